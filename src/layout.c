/*
 * layout.c: see layout.h.  Changing any string here changes the format:
 * existing data stops opening.  docs/FORMAT.md must change with it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "layout.h"
#include "record.h"
#include "store.h"
#include "util.h"

static const char *meta_names[META_NKEYS] = {
	[META_RECOVERY_PK] = "recovery_pk",
	[META_ROOT_PK] = "root_pk",
	[META_ORG_OVERSIGHT] = "org.oversight",
	[META_ORG_INDEX] = "org.index",
	[META_ORG_ROTATE] = "org.rotate",
	[META_KDF] = "kdf",
	[META_REF_PREFIX] = "ref_prefix",
	[META_AUDIT_HEAD] = "audit.head",
	[META_CLASSES] = "form_classes",
};

const char *
meta_key_name(enum meta_key k)
{
	return (meta_names[k]);
}

int
meta_get(struct store_txn *t, enum meta_key k, uint8_t **v, size_t *len,
    char **cause)
{
	return (store_get(t, STORE_META, meta_names[k], strlen(meta_names[k]),
	    v, len, cause));
}

int
meta_put(struct store_txn *t, enum meta_key k, const void *v, size_t len,
    int flags, char **cause)
{
	return (store_put(t, STORE_META, meta_names[k], strlen(meta_names[k]),
	    v, len, flags, cause));
}

int
meta_get_fixed(struct store_txn *t, enum meta_key k, uint8_t *out,
    size_t want, char **cause)
{
	uint8_t	*v;
	size_t	 len;
	int	 rc;

	if ((rc = meta_get(t, k, &v, &len, cause)) != 0)
		return (rc);
	if (len != want) {
		free(v);
		return (err_set(cause, _("The store's %s is damaged."),
		    meta_names[k]));
	}
	memcpy(out, v, want);
	free(v);
	return (0);
}

int
layout_ref_get(struct store_txn *t, const char *ref, uint64_t *id,
    char **cause)
{
	uint8_t	*v;
	size_t	 len;
	char	*key;
	int	 rc;

	xasprintf(&key, "ref:%s", ref);
	rc = store_get(t, STORE_META, key, strlen(key), &v, &len, cause);
	free(key);
	if (rc != 0)
		return (rc);
	*id = len == 8 ? get_be64(v) : 0;
	free(v);
	return (0);
}

int
layout_ref_put(struct store_txn *t, const char *ref, uint64_t id,
    char **cause)
{
	uint8_t	 idbuf[8];
	char	*key;
	int	 rc;

	xasprintf(&key, "ref:%s", ref);
	put_be64(idbuf, id);
	rc = store_put(t, STORE_META, key, strlen(key), idbuf, sizeof idbuf,
	    STORE_NOOVERWRITE, cause);
	free(key);
	return (rc);
}

void
layout_record_key(uint8_t *k, uint64_t id, int type, uint64_t n)
{
	put_be64(k, id);
	k[8] = (uint8_t)type;
	put_be64(k + 9, n);
}

char *
layout_label_case(uint64_t id)
{
	char	*s;

	xasprintf(&s, "case:%" PRIu64, id);
	return (s);
}

char *
layout_label_witness(uint64_t id, uint64_t rid)
{
	char	*s;

	xasprintf(&s, "witness:%" PRIu64 ":%" PRIu64, id, rid);
	return (s);
}

char *
layout_label_witness_prefix(uint64_t id)
{
	char	*s;

	xasprintf(&s, "witness:%" PRIu64 ":", id);
	return (s);
}

char *
layout_agent_prefix(const char *hex)
{
	char	*s;

	xasprintf(&s, LAYOUT_AGENT_PREFIX "%s/", hex);
	return (s);
}

uint8_t *
layout_agent_key(const char *hex, uint64_t id, uint64_t rid, size_t *len)
{
	char	*prefix = layout_agent_prefix(hex);
	size_t	 plen = strlen(prefix);
	uint8_t	*k;

	k = xmalloc(plen + 16);
	memcpy(k, prefix, plen);
	put_be64(k + plen, id);
	put_be64(k + plen + 8, rid);
	free(prefix);
	*len = plen + 16;
	return (k);
}

char *
layout_request_prefix(const char *holder)
{
	char	*p;

	xasprintf(&p, "%s%s/", LAYOUT_REQUEST_PREFIX, holder);
	return (p);
}

uint8_t *
layout_request_key(const char *holder, uint64_t id, uint64_t rid,
    const char *user, size_t *len)
{
	char	*prefix = layout_request_prefix(holder);
	size_t	 plen = strlen(prefix), ulen = strlen(user);
	uint8_t	*k;

	k = xmalloc(plen + 16 + ulen);
	memcpy(k, prefix, plen);
	put_be64(k + plen, id);
	put_be64(k + plen + 8, rid);
	memcpy(k + plen + 16, user, ulen);
	free(prefix);
	*len = plen + 16 + ulen;
	return (k);
}

void
layout_rekey_key(uint8_t *k, uint64_t id)
{
	memcpy(k, LAYOUT_REKEY_PREFIX, 6);
	put_be64(k + 6, id);
}

void
layout_stats_key(uint8_t *k, uint64_t id)
{
	memcpy(k, LAYOUT_STATS_PREFIX, 6);
	put_be64(k + 6, id);
}

uint64_t
layout_label_case_id(const char *label)
{
	unsigned long long	 id;
	char			*end;

	if (strncmp(label, "case:", 5) != 0 || label[5] < '1' ||
	    label[5] > '9')
		return (0);
	id = strtoull(label + 5, &end, 10);
	return (*end == '\0' ? (uint64_t)id : 0);
}

char *
layout_ad_record(uint64_t id, const char *kind, uint64_t rid, int64_t version)
{
	char	*s;

	xasprintf(&s, "case:%" PRIu64 "/%s/%" PRIu64 "/v%" PRId64, id, kind,
	    rid, version);
	return (s);
}

char *
layout_ad_witness(uint64_t id, uint64_t rid, int64_t wv)
{
	char	*s;

	xasprintf(&s, "witness:%" PRIu64 "/%" PRIu64 "/w%" PRId64, id, rid, wv);
	return (s);
}

char *
layout_ad_journal(uint64_t id, uint64_t seq)
{
	return (layout_ad_record(id, "journal", seq, 0));
}

char *
layout_ad_journal_witness(uint64_t id, uint64_t seq)
{
	return (layout_ad_record(id, "journal-w", seq, 0));
}

char *
layout_ad_blob(uint64_t id, uint64_t rid)
{
	return (layout_ad_record(id, "blob", rid, 0));
}

/*
 * A user's locked keys: their name and the organisation keys they pinned
 * (recovery and root), so a changed pin no longer unlocks.
 */
char *
layout_ad_account(const char *name, const uint8_t *org_pk,
    const uint8_t *root_pk)
{
	char	*s, org[2 * 32 + 1], root[2 * 32 + 1];
	size_t	 i;

	for (i = 0; i < 32; i++) {
		snprintf(org + 2 * i, 3, "%02x", org_pk[i]);
		snprintf(root + 2 * i, 3, "%02x", root_pk[i]);
	}
	xasprintf(&s, "dossier-user:%s:%s%s", name, org, root);
	return (s);
}

char *
layout_ad_draft(const char *name)
{
	char	*s;

	xasprintf(&s, "draft:%s", name);
	return (s);
}

/* The marker's field for an organisation key's label ("org:index"). */
static const char *
layout_rotate_field(const char *label)
{
	const char	*colon = strchr(label, ':');

	return (colon != NULL ? colon + 1 : label);
}

static int
layout_rotate_set(struct store_txn *t, const char *label, int on,
    char **cause)
{
	struct record	*r = NULL;
	uint8_t		*v;
	size_t		 len;
	int		 rc;

	rc = meta_get(t, META_ORG_ROTATE, &v, &len, cause);
	if (rc == 0) {
		r = record_decode(v, len, NULL);
		free(v);
	} else if (rc != STORE_NOTFOUND)
		return (rc);
	err_clear(cause);
	if (r == NULL)
		r = record_create();
	if (on)
		record_set_int(r, layout_rotate_field(label), 1);
	else
		record_unset(r, layout_rotate_field(label));
	record_encode(r, &v, &len);
	record_free(r);
	rc = meta_put(t, META_ORG_ROTATE, v, len, 0, cause);
	free(v);
	return (rc);
}

int
layout_rotate_mark(struct store_txn *t, const char *label, char **cause)
{
	return (layout_rotate_set(t, label, 1, cause));
}

int
layout_rotate_clear(struct store_txn *t, const char *label, char **cause)
{
	return (layout_rotate_set(t, label, 0, cause));
}

/* 1 if the key is to be replaced, 0 if not, or an error. */
int
layout_rotate_due(struct store_txn *t, const char *label, char **cause)
{
	struct record	*r;
	uint8_t		*v;
	size_t		 len;
	int		 rc;

	rc = meta_get(t, META_ORG_ROTATE, &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc != 0)
		return (rc);
	r = record_decode(v, len, NULL);
	free(v);
	rc = r != NULL && record_get_int(r, layout_rotate_field(label), 0);
	record_free(r);
	return (rc);
}

char *
layout_label_archive(const char *label, int64_t epoch)
{
	char	*s;

	xasprintf(&s, "%s:%lld", label, (long long)epoch);
	return (s);
}
