/*
 * casefile-guard.c: a case's records as the guards of a move see them
 * (workflow-guard.c), read and decrypted inside the move's transaction,
 * so that what is checked is what is committed.
 *
 * Only the case-class fields are opened (a guard may not name a witness
 * field: workflow_guards_check_forms() refuses it), and the intake,
 * record 0, gets the case header's fields, where its header-class
 * fields live.  The decrypted text is wiped by cf_guard_view_free().
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "casefile-int.h"
#include "casefile.h"
#include "layout.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

struct cg_scan {
	struct cf_guard_view	*gv;
	uint64_t		 id;
	const struct record	*header;
	const struct vault_key	*ck;
	char			*cause;
	int			 rc;
};

static void
cg_add(struct cf_guard_view *gv, const char *kind, struct record *fields)
{
	gv->items = xrealloc(gv->items, (gv->n + 1) * sizeof *gv->items);
	gv->kinds = xrealloc(gv->kinds, (gv->n + 1) * sizeof *gv->kinds);
	gv->kinds[gv->n] = xstrdup(kind);
	gv->items[gv->n].form = gv->kinds[gv->n];
	gv->items[gv->n].fields = fields;
	gv->n++;
}

static int
cg_scan_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cg_scan	*s = arg;
	const uint8_t	*key = k;
	struct record	*env, *fields, *body;
	const char	*kind, *name;
	const void	*val;
	char		*ad;
	uint64_t	 rid;
	size_t		 i, len;
	int		 rc;

	if (klen != LAYOUT_RECORD_KEYLEN || key[8] != LAYOUT_RECORD)
		return (0);
	if ((env = record_decode(v, vlen, NULL)) == NULL)
		return (0);
	rid = get_be64(key + 9);
	if ((kind = record_get_str(env, "kind")) == NULL) {
		record_free(env);
		return (0);
	}
	fields = record_create();
	for (i = 0; i < record_count(env); i++) {
		name = record_key_at(env, i);
		if (strncmp(name, "h.", 2) == 0) {
			val = record_value_at(env, i, &len);
			record_set(fields, name + 2, val, len);
		}
	}
	if (rid == 0)
		record_merge(fields, s->header);
	if (record_get(env, "body", NULL) != NULL) {
		ad = layout_ad_record(s->id, kind, rid,
		    record_get_int(env, "v", 0));
		rc = cf_open_body(env, "body", s->ck, ad, &body, &s->cause);
		free(ad);
		if (rc != 0) {
			record_free(fields);
			record_free(env);
			s->rc = rc;
			return (1);
		}
		record_merge(fields, body);
		record_free(body);
	}
	cg_add(s->gv, kind, fields);
	record_free(env);
	return (0);
}

int
cf_guard_view(struct store_txn *t, uint64_t id, const struct record *h,
    const struct vault_key *ck, struct cf_guard_view *gv, char **cause)
{
	struct cg_scan	 s;
	uint8_t		 prefix[8];
	int		 rc;

	memset(gv, 0, sizeof *gv);
	memset(&s, 0, sizeof s);
	s.gv = gv;
	s.id = id;
	s.header = h;
	s.ck = ck;
	put_be64(prefix, id);
	rc = store_scan(t, STORE_RECORDS, prefix, sizeof prefix, cg_scan_cb,
	    &s, cause);
	if (rc == 0 && s.rc != 0) {
		rc = s.rc;
		if (cause != NULL) {
			free(*cause);
			*cause = s.cause;
			s.cause = NULL;
		}
	}
	free(s.cause);
	return (rc);
}

/* A record given in the clear (import, demo). */
void
cf_guard_view_add(struct cf_guard_view *gv, const char *kind,
    const struct record *fields)
{
	struct record	*copy = record_create();

	record_merge(copy, fields);
	cg_add(gv, kind, copy);
}

void
cf_guard_view_free(struct cf_guard_view *gv)
{
	size_t	 i;

	for (i = 0; i < gv->n; i++) {
		record_free((struct record *)gv->items[i].fields);
		free(gv->kinds[i]);
	}
	free(gv->items);
	free(gv->kinds);
	memset(gv, 0, sizeof *gv);
}
