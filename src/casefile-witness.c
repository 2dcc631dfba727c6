/*
 * casefile-witness.c: who holds a witness's key.  Its holders as the
 * header names them, sealed under the witness key by the last holder who
 * changed them (wsnap, wseal); a witness marked for a new key (wrekey);
 * and the re-key itself.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "casefile-int.h"
#include "casefile.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

/*
 * A witness whose key was taken from someone by a person who does not
 * hold it (an unassignment, a revoked case grant, a holder disabled) is
 * marked ("wrekey", record ids): the next holder of its key who writes
 * about it, grants or revokes it, re-keys it first, so that a copy kept
 * opens nothing written afterwards.
 */
int
cf_wrekey_due(const struct record *h, uint64_t rid)
{
	char	 item[24];

	snprintf(item, sizeof item, "%" PRIu64, rid);
	return (list_has(record_get_str(h, "wrekey"), item));
}

/*
 * Who holds a witness's key is said twice in the header: "wholders",
 * which any change of the case may shorten (an unassignment takes a name
 * off), and "wsnap", the list as one of the key's holders last left it,
 * with "wseal" ("RID:hex"), a keyed hash of that list under the witness
 * key.  Someone who holds the case key but not the witness's can rewrite
 * the header and sign its manifest, but cannot make that hash: a witness
 * key goes only to names on both lists.
 */
#define CF_WSEAL_LABEL	"dossier witness holders 1\n"

/* The names list gives witness rid, in order, joined by commas. */
static char *
cf_witems(const char *list, uint64_t rid)
{
	char	*out = xstrdup(""), *copy, *tok, *save, *n, *end;

	copy = xstrdup(list != NULL ? list : "");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strtoull(tok, &end, 10) != rid || *end != ':')
			continue;
		xasprintf(&n, "%s%s%s", out, *out != '\0' ? "," : "",
		    end + 1);
		free(out);
		out = n;
	}
	free(copy);
	return (out);
}

/* Replace witness rid's items of a "RID:..." list by those of names. */
static void
cf_witems_set(struct record *h, const char *field, uint64_t rid,
    const char *names)
{
	const char	*list = record_get_str(h, field);
	char		*out = xstrdup(""), *copy, *tok, *save, *n, *end;

	copy = xstrdup(list != NULL ? list : "");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strtoull(tok, &end, 10) == rid && *end == ':')
			continue;
		xasprintf(&n, "%s%s%s", out, *out != '\0' ? "," : "", tok);
		free(out);
		out = n;
	}
	free(copy);
	copy = xstrdup(names);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		xasprintf(&n, "%s%s%" PRIu64 ":%s", out, *out != '\0' ? "," :
		    "", rid, tok);
		free(out);
		out = n;
	}
	free(copy);
	record_set_str(h, field, out);
	free(out);
}

/*
 * The keyed hash of a witness's sealed holders: names, then the audit
 * anchor (the log's last entry when they were sealed, "SEQ.HASH"); a
 * seal made before anchors existed covers the names alone.
 */
static void
cf_wseal_mac(uint64_t id, uint64_t rid, const char *names, const char *anchor,
    const struct vault_key *wk, uint8_t *mac)
{
	uint8_t	*buf;
	size_t	 llen = sizeof CF_WSEAL_LABEL - 1, nlen = strlen(names), len;
	size_t	 alen = anchor != NULL ? strlen(anchor) : 0;

	len = llen + 16 + nlen + (anchor != NULL ? 1 + alen : 0);
	buf = xmalloc(len);
	memcpy(buf, CF_WSEAL_LABEL, llen);
	put_be64(buf + llen, id);
	put_be64(buf + llen + 8, rid);
	memcpy(buf + llen + 16, names, nlen);
	if (anchor != NULL) {
		buf[llen + 16 + nlen] = '\n';
		memcpy(buf + llen + 17 + nlen, anchor, alen);
	}
	vault_key_hash(wk, buf, len, mac);
	free(buf);
}

/*
 * A hash of a seal or an anchor as written: base64 (since 2026-12-02:
 * the seal's first CF_WSEAL_LEN bytes, an anchor's whole hash) or hex
 * (before, whole).  The bytes in out, their count in *len; -1 if the
 * text is neither, or of another length.
 */
#define CF_WSEAL_LEN	16

/* Tests write the hex of an older store (cf_wseal_set_hex()). */
static int cf_wseal_hex;

void
cf_wseal_set_hex(int hex)
{
	cf_wseal_hex = hex;
}

static int
cf_whash_read(const char *text, size_t b64len, uint8_t *out, size_t *len)
{
	uint8_t	*raw;
	size_t	 rawlen;

	if (strlen(text) == 2 * VAULT_HASH_LEN)
		return (vault_unhex(text, out, VAULT_HASH_LEN, len) == 0 &&
		    *len == VAULT_HASH_LEN ? 0 : -1);
	if (strlen(text) != 4 * ((b64len + 2) / 3) ||
	    vault_unbase64(text, &raw, &rawlen) != 0)
		return (-1);
	if (rawlen != b64len) {
		free(raw);
		return (-1);
	}
	memcpy(out, raw, rawlen);
	*len = rawlen;
	free(raw);
	return (0);
}

/*
 * After a holder of wk changed "wholders": seal the list as it stands,
 * with the audit log's last entry, so that what the log says afterwards
 * (an unassignment, a revocation) is read before the key is given again.
 */
int
cf_wseal(struct store_txn *t, struct record *h, uint64_t id, uint64_t rid,
    const struct vault_key *wk, char **cause)
{
	uint8_t	 hash[VAULT_HASH_LEN];
	uint64_t seq;
	int	 rc;

	if ((rc = audit_head_in(t, &seq, hash, cause)) != 0)
		return (rc);
	cf_wseal_at(h, id, rid, wk, seq, hash);
	return (0);
}

/*
 * The same with the audit log's head given: a batch that appends no
 * entry reads it once, since no other transaction can move it while
 * this one holds it.
 */
void
cf_wseal_at(struct record *h, uint64_t id, uint64_t rid,
    const struct vault_key *wk, uint64_t seq, const uint8_t *hash)
{
	uint8_t	 mac[VAULT_HASH_LEN];
	char	*names, *b64, *anchor;

	b64 = cf_wseal_hex ? vault_hex(hash, VAULT_HASH_LEN) :
	    vault_base64(hash, VAULT_HASH_LEN);
	xasprintf(&anchor, "%" PRIu64 ".%s", seq, b64);
	free(b64);
	names = cf_witems(record_get_str(h, "wholders"), rid);
	cf_witems_set(h, "wsnap", rid, names);
	cf_witems_set(h, "wanchor", rid, anchor);
	cf_wseal_mac(id, rid, names, anchor, wk, mac);
	b64 = cf_wseal_hex ? vault_hex(mac, sizeof mac) :
	    vault_base64(mac, CF_WSEAL_LEN);
	cf_witems_set(h, "wseal", rid, b64);
	free(b64);
	free(anchor);
	free(names);
}

/* What the audit log says of one witness's holders after the anchor. */
struct cf_wlog {
	const char	*ref;
	uint64_t	 rid;
	char		*gone;		/* names whose access was taken */
};

static void
cf_wlog_name(struct cf_wlog *w, const char *name, size_t len, int gone)
{
	char	*n = xstrndup(name, len), *l;

	if (*n != '\0' && strchr(n, ',') == NULL) {
		l = cf_list_edit(w->gone, n, gone);
		free(w->gone);
		w->gone = l;
	}
	free(n);
}

static int
cf_wlog_cb(const struct audit_entry *e, void *arg)
{
	struct cf_wlog	*w = arg;
	const char	*d = e->detail != NULL ? e->detail : "", *sp;
	char		 rid[24];
	size_t		 len;
	int		 witness;

	/* A disabled account holds nothing of any case ("NAME ..."). */
	if (strcmp(e->action, "user.disable") == 0) {
		cf_wlog_name(w, d, strcspn(d, " "), 1);
		return (0);
	}
	if (e->caseref == NULL || strcmp(e->caseref, w->ref) != 0)
		return (0);
	if (strcmp(e->action, "case.unassign") == 0 ||
	    strcmp(e->action, "case.drop") == 0) {
		cf_wlog_name(w, d, strlen(d), 1);
		return (0);
	}
	/* "case NAME 0", "witness NAME RID" */
	witness = strncmp(d, "witness ", 8) == 0;
	if (!witness && strncmp(d, "case ", 5) != 0)
		return (0);
	d += witness ? 8 : 5;
	if ((sp = strrchr(d, ' ')) == NULL)
		return (0);
	len = (size_t)(sp - d);
	snprintf(rid, sizeof rid, "%" PRIu64, w->rid);
	/*
	 * A grant entry gives nothing back: whoever can write the files
	 * can chain one.  A holder's real grant seals the list again, with
	 * an anchor after every entry that took the name off.
	 */
	if (strcmp(e->action, "case.revoke") == 0 || (witness &&
	    strcmp(sp + 1, rid) == 0 && strcmp(e->action, "witness.revoke") == 0))
		cf_wlog_name(w, d, len, 1);
	return (0);
}

/*
 * Before a holder of wk gives the key again: keep on "wholders" only the
 * names its last holder sealed, less those the audit log, since that
 * seal, says lost their access (unassigned, grant revoked, disabled).
 * The header is any case-key holder's to write; the seal is not, and
 * the log's entries are chained.  Refused if the seal does not verify or
 * the log no longer extends its anchor.
 */
int
cf_wholders_settle(struct store_txn *t, struct record *h, uint64_t id,
    uint64_t rid, const struct vault_key *wk, char **cause)
{
	struct cf_wlog	 w;
	uint8_t		 hash[VAULT_HASH_LEN], mac[VAULT_HASH_LEN];
	uint8_t		 got[VAULT_HASH_LEN];
	uint64_t	 seq = 0;
	char		*snap, *seal, *anchor, *names, *copy, *tok;
	char		*save, *dot;
	size_t		 hlen = 0, glen = 0;
	int		 ok, rc;

	snap = cf_witems(record_get_str(h, "wsnap"), rid);
	seal = cf_witems(record_get_str(h, "wseal"), rid);
	anchor = cf_witems(record_get_str(h, "wanchor"), rid);
	cf_wseal_mac(id, rid, snap, *anchor != '\0' ? anchor : NULL, wk, mac);
	ok = cf_whash_read(seal, CF_WSEAL_LEN, got, &glen) == 0 &&
	    memcmp(got, mac, glen) == 0;
	free(seal);
	if (ok && *anchor != '\0') {
		seq = strtoull(anchor, &dot, 10);
		ok = *dot == '.' && cf_whash_read(dot + 1, VAULT_HASH_LEN, hash,
		    &hlen) == 0 && hlen == sizeof hash;
	}
	free(anchor);
	if (!ok) {
		free(snap);
		return (err_set(cause, _("The list of who holds the key of "
		    "witness %" PRIu64 " in case %s was changed behind "
		    "dossier's back; nothing was saved."), rid,
		    record_get_str(h, "reference")));
	}
	memset(&w, 0, sizeof w);
	w.ref = record_get_str(h, "reference");
	w.rid = rid;
	if (w.ref == NULL)
		w.ref = "";
	/* No anchor (sealed by an older dossier): the whole log. */
	if ((rc = audit_after_in(t, seq, hash, cf_wlog_cb, &w, cause)) != 0) {
		free(w.gone);
		free(snap);
		return (rc);
	}
	names = cf_witems(record_get_str(h, "wholders"), rid);
	copy = xstrdup(names);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (!list_has(snap, tok) || list_has(w.gone, tok))
			cf_wholder_edit(h, rid, tok, 0);
	free(copy);
	free(names);
	free(snap);
	free(w.gone);
	return (0);
}

/* 1 if the names sealed for witness rid are not those on "wholders". */
static int
cf_wholders_moved(const struct record *h, uint64_t rid)
{
	char	*snap, *now, *copy, *tok, *save;
	int	 moved = 0;

	snap = cf_witems(record_get_str(h, "wsnap"), rid);
	now = cf_witems(record_get_str(h, "wholders"), rid);
	copy = xstrdup(snap);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && !moved;
	    tok = strtok_r(NULL, ",", &save))
		moved = !list_has(now, tok);
	free(copy);
	copy = xstrdup(now);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && !moved;
	    tok = strtok_r(NULL, ",", &save))
		moved = !list_has(snap, tok);
	free(copy);
	free(snap);
	free(now);
	return (moved);
}

/*
 * Before the signed-in user writes with witness rid's key *wkp (an edit
 * of the witness, a grant, a revocation): its holders settled against
 * their seal and the audit log since; the user must still be one of
 * them (a key row that opens proves nothing: whoever kept a key can
 * plant one), else *holder is 0 and nothing is changed.  If anyone the
 * key was sealed to lost access since, whatever the header's marks say,
 * the witness gets a new key first (*wkp); otherwise the list is sealed
 * again with a new anchor, so that the next write reads the log from
 * here.  With rekey_after the caller re-keys it anyway.
 */
int
cf_witness_write(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, uint64_t rid, struct vault_key **wkp, int rekey_after,
    int *holder, char **cause)
{
	struct vault_key	*nk = NULL;
	int			 rc;

	*holder = 0;
	if ((rc = cf_wholders_settle(t, h, id, rid, *wkp, cause)) != 0)
		return (rc);
	if (!cf_wholder_has(h, rid, ctx->sess->user->name))
		return (0);
	*holder = 1;
	if (rekey_after)
		return (0);
	if (!cf_wrekey_due(h, rid) && !cf_wholders_moved(h, rid))
		return (cf_wseal(t, h, id, rid, *wkp, cause));
	if ((rc = cf_rekey_witness(t, ctx, id, h, rid, *wkp, &nk,
	    cause)) != 0)
		return (rc);
	vault_key_free(*wkp);
	*wkp = nk;
	return (0);
}

/*
 * Re-encrypt one witness's identity (its record and every journal entry
 * about it) under a new key, and seal the new key to the holders left.
 */
int
cf_rekey_witness(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, uint64_t rid, const struct vault_key *ok,
    struct vault_key **nkp, char **cause)
{
	struct cf_items		 it;
	struct vault_key	*nk;
	struct record		*env, *body;
	uint8_t			 prefix[8];
	uint64_t		 num;
	char			*ad, *label;
	size_t			 i;
	int			 rc = 0;

	/* Whoever calls: the new key goes only to names its holders sealed. */
	if ((rc = cf_wholders_settle(t, h, id, rid, ok, cause)) != 0)
		return (rc);
	memset(&it, 0, sizeof it);
	put_be64(prefix, id);
	if ((rc = store_scan(t, STORE_RECORDS, prefix, sizeof prefix,
	    cf_items_cb, &it, cause)) != 0)
		return (rc);
	nk = vault_key_generate();
	for (i = 0; rc == 0 && i < it.n; i++) {
		num = get_be64(it.list[i].key + 9);
		if (it.list[i].key[8] == LAYOUT_RECORD && num == rid)
			ad = NULL;
		else if (it.list[i].key[8] != LAYOUT_JOURNAL)
			continue;
		if ((env = record_decode(it.list[i].val, it.list[i].len,
		    cause)) == NULL) {
			rc = -1;
			break;
		}
		if (record_get(env, "wbody", NULL) == NULL ||
		    (it.list[i].key[8] == LAYOUT_JOURNAL &&
		    (uint64_t)record_get_int(env, "rid", 0) != rid)) {
			record_free(env);
			continue;
		}
		ad = it.list[i].key[8] == LAYOUT_JOURNAL ?
		    layout_ad_journal_witness(id, num) :
		    layout_ad_witness(id, rid, record_get_int(env, "wv", 1));
		if ((rc = cf_open_body(env, "wbody", ok, ad, &body,
		    cause)) == 0) {
			cf_seal_body(env, "wbody", nk, ad, body);
			record_free(body);
			rc = cf_put(t, id, it.list[i].key[8], num, env, cause);
		}
		free(ad);
		record_free(env);
	}
	label = layout_label_witness(id, rid);
	if (rc == 0)
		rc = cf_reseal(t, ctx, h, rid, label, nk, cause);
	free(label);
	if (rc == 0)
		rc = cf_wseal(t, h, id, rid, nk, cause);
	if (rc == 0) {
		char	 item[24];

		snprintf(item, sizeof item, "%" PRIu64, rid);
		cf_header_list(h, "wrekey", item, 0);
	}
	if (rc == 0 && nkp != NULL)
		*nkp = nk;
	else
		vault_key_free(nk);
	cf_items_free(&it);
	return (rc);
}
