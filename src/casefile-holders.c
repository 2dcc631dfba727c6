/*
 * casefile-holders.c: who holds a case's keys.  Assigning and granting
 * seal a key to an approved account (trust.c); unassigning and revoking
 * take it back, and the key is replaced at once so that a copy kept opens
 * nothing written afterwards (cf_rekey, cf_rekey_witness).  A holder
 * disabled by an administrator, who holds no case key, makes the case
 * re-keyed at its next change instead.
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
#include "trust.h"
#include "util.h"
#include "vault.h"

char *
cf_list_edit(const char *list, const char *name, int add)
{
	char	*out = xstrdup(""), *copy, *tok, *save, *n;

	copy = xstrdup(list != NULL ? list : "");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, name) == 0)
			continue;
		xasprintf(&n, "%s%s%s", out, *out != '\0' ? "," : "", tok);
		free(out);
		out = n;
	}
	if (add) {
		xasprintf(&n, "%s%s%s", out, *out != '\0' ? "," : "", name);
		free(out);
		out = n;
	}
	free(copy);
	return (out);
}

/*
 * Who may hold a case's keys, as its header says (the header is signed
 * in the manifest, checked before any change): the registrar who made
 * it, its assignees and those it was granted to ("grants"); for each
 * witness, those its key was given to ("wholders", "RID:name,...").  A
 * re-key seals the new key to these alone, never to a name found in the
 * keys table, where anyone who can write the files can add one.
 */
void
cf_header_list(struct record *h, const char *field, const char *item, int add)
{
	char	*nl;

	nl = cf_list_edit(record_get_str(h, field), item, add);
	record_set_str(h, field, nl);
	free(nl);
}

void
cf_wholder_edit(struct record *h, uint64_t rid, const char *name, int add)
{
	char	*item;

	xasprintf(&item, "%" PRIu64 ":%s", rid, name);
	cf_header_list(h, "wholders", item, add);
	free(item);
}

int
cf_wholder_has(const struct record *h, uint64_t rid, const char *name)
{
	char	*item;
	int	 has;

	xasprintf(&item, "%" PRIu64 ":%s", rid, name);
	has = list_has(record_get_str(h, "wholders"), item);
	free(item);
	return (has);
}

/* Every witness key of the case taken from name (unassigned, revoked). */
static void
cf_wholders_drop(struct record *h, const char *name)
{
	const char	*list = record_get_str(h, "wholders");
	char		*out = xstrdup(""), *copy, *tok, *save, *n, *colon;

	copy = xstrdup(list != NULL ? list : "");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((colon = strchr(tok, ':')) != NULL &&
		    strcmp(colon + 1, name) == 0) {
			/* Its key stays as it is until a holder re-keys. */
			*colon = '\0';
			cf_header_list(h, "wrekey", tok, 1);
			continue;
		}
		xasprintf(&n, "%s%s%s", out, *out != '\0' ? "," : "", tok);
		free(out);
		out = n;
	}
	record_set_str(h, "wholders", out);
	free(out);
	free(copy);
}

static int
cf_case_holder(const struct record *h, const char *name)
{
	const char	*by = record_get_str(h, "created_by");

	return ((by != NULL && strcmp(by, name) == 0 &&
	    !list_has(record_get_str(h, "excluded"), name)) ||
	    list_has(record_get_str(h, "assignees"), name) ||
	    list_has(record_get_str(h, "grants"), name));
}

/* Every name the header gives a key to, once each. */
static void
cf_header_names(const struct record *h, char ***names, size_t *n)
{
	const char	*fields[] = { "created_by", "assignees", "grants",
			    "wholders" }, *v;
	char		*copy, *tok, *save, *colon;
	size_t		 i, j;

	*names = NULL;
	*n = 0;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if ((v = record_get_str(h, fields[i])) == NULL)
			continue;
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if ((colon = strchr(tok, ':')) != NULL)
				tok = colon + 1;
			if (*tok == '\0' || (i == 0 && list_has(
			    record_get_str(h, "excluded"), tok)))
				continue;
			for (j = 0; j < *n; j++)
				if (strcmp((*names)[j], tok) == 0)
					break;
			if (j < *n)
				continue;
			*names = xrealloc(*names, (*n + 1) * sizeof **names);
			(*names)[(*n)++] = xstrdup(tok);
		}
		free(copy);
	}
}

/*
 * 1 if the header gives a key to an account the organisation no longer
 * vouches for (disabled, its approval gone or broken): the case gets a
 * new key at this change.  Taken from the signed header, not from a mark
 * a file writer could delete.
 */
int
cf_holders_stale(struct store_txn *t, struct casefile_ctx *ctx,
    const struct record *h, char **cause)
{
	struct account	*a;
	char		**names;
	size_t		  n, i;
	int		  rc = 0, stale = 0;

	cf_header_names(h, &names, &n);
	for (i = 0; rc == 0 && !stale && i < n; i++) {
		rc = account_get_in(t, names[i], &a, cause);
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			rc = 0;
			stale = 1;
			continue;
		}
		if (rc == 0)
			stale = trust_account(t, ctx->sess->user, a, NULL,
			    NULL) != 0;
		account_free(a);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (rc != 0 ? rc : stale);
}

static int	 cf_revoke_witnesses(struct store_txn *, uint64_t,
		    const char *, char **);

/* At a re-key: the names the organisation no longer vouches for go. */
static int
cf_holders_prune(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, char **cause)
{
	struct account	*a;
	char		**names;
	size_t		  n, i;
	int		  rc = 0, gone;
	const char	*by = record_get_str(h, "created_by");

	cf_header_names(h, &names, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		rc = account_get_in(t, names[i], &a, cause);
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			rc = 0;
			gone = 1;
		} else
			gone = rc == 0 && trust_account(t, ctx->sess->user, a,
			    NULL, NULL) != 0;
		account_free(a);
		if (!gone)
			continue;
		/*
		 * Said in the audit log, which a witness's next holder reads
		 * before giving its key again; the witness keys sealed to
		 * them go now, the case key at the re-key that follows.
		 */
		if ((rc = cf_revoke_witnesses(t, id, names[i], cause)) != 0 ||
		    (rc = audit_append(t, &ctx->sess->signer, "case.drop",
		    record_get_str(h, "reference"), names[i], cause)) != 0)
			break;
		cf_header_list(h, "assignees", names[i], 0);
		cf_header_list(h, "grants", names[i], 0);
		cf_wholders_drop(h, names[i]);
		if (by != NULL && strcmp(by, names[i]) == 0)
			cf_header_list(h, "excluded", names[i], 1);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (rc);
}

struct cf_revoke {
	const char	*prefix;
	const char	*user;
	char		**labels;
	size_t		  n;
};

static int
cf_revoke_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cf_revoke	*rv = arg;
	const char		*key = k;
	size_t			 llen = strnlen(key, klen);

	(void)v;
	(void)vlen;
	if (llen + 1 + strlen(rv->user) != klen ||
	    memcmp(key + llen + 1, rv->user, klen - llen - 1) != 0)
		return (0);
	rv->labels = xrealloc(rv->labels, (rv->n + 1) * sizeof *rv->labels);
	rv->labels[rv->n++] = xstrndup(key, llen);
	return (0);
}

/* Remove every witness key of a case sealed to user. */
static int
cf_revoke_witnesses(struct store_txn *t, uint64_t id, const char *user,
    char **cause)
{
	struct cf_revoke	 rv;
	size_t			 i;
	int			 rc;

	memset(&rv, 0, sizeof rv);
	rv.user = user;
	rv.prefix = layout_label_witness_prefix(id);
	rc = store_scan(t, STORE_KEYS, rv.prefix, strlen(rv.prefix),
	    cf_revoke_cb, &rv, cause);
	for (i = 0; i < rv.n; i++) {
		if (rc == 0)
			rc = keyring_revoke(t, rv.labels[i], user, cause);
		free(rv.labels[i]);
	}
	free(rv.labels);
	free((char *)rv.prefix);
	return (rc);
}

/* Assigning seals the case key to an approved account. */
int
cf_assign_apply(struct cf_tx *x, char **cause)
{
	struct cf_op	*op = x->op;
	uint8_t		 pk[VAULT_PK_LEN];
	const char	*list = record_get_str(x->h, "assignees");
	char		*label, *nl;
	enum role	 role = ROLE_ADMIN;
	int		 rc;

	if ((rc = cf_user_pk(x->t, x->ctx->sess, op->name, pk, &role,
	    cause)) != 0)
		return (rc);
	if (role != ROLE_INVESTIGATOR && role != ROLE_SUPERVISOR)
		return (err_set(cause, _("Only an active investigator or "
		    "supervisor can be assigned a case.")));
	/* After the key: a re-key may have taken names off the list. */
	if (list_has(list, op->name))
		return (err_set(cause, _("%s is already assigned to %s."),
		    op->name, record_get_str(x->h, "reference")));
	label = layout_label_case(op->id);
	rc = keyring_seal(x->t, label, x->ck, op->name, pk, cause);
	free(label);
	if (rc != 0)
		return (rc);
	nl = cf_list_edit(list, op->name, 1);
	record_set_str(x->h, "assignees", nl);
	free(nl);
	record_set_str(x->jenv, "user", op->name);
	x->detail = xstrdup(op->name);
	return (0);
}

/* Anyone can be taken off; the case gets a new key at once. */
int
cf_unassign_apply(struct cf_tx *x, char **cause)
{
	struct cf_op	*op = x->op;
	const char	*list = record_get_str(x->h, "assignees");
	char		*label, *nl;
	int		 rc;

	if (!list_has(list, op->name))
		return (err_set(cause, _("%s is not assigned to %s."),
		    op->name, record_get_str(x->h, "reference")));
	label = layout_label_case(op->id);
	rc = keyring_revoke(x->t, label, op->name, cause);
	free(label);
	if (rc == 0)
		rc = cf_revoke_witnesses(x->t, op->id, op->name, cause);
	cf_wholders_drop(x->h, op->name);
	if (rc != 0)
		return (rc);
	nl = cf_list_edit(list, op->name, 0);
	record_set_str(x->h, "assignees", nl);
	free(nl);
	/*
	 * A new case key at once, not at the next change: until then the
	 * one unassigned could sign a header naming them again with the
	 * key they kept, and the next writer would seal to them.
	 */
	if ((rc = cf_rekey(x->t, x->ctx, op->id, x->h, &x->ck, cause)) != 0)
		return (rc);
	record_set_str(x->jenv, "user", op->name);
	x->detail = xstrdup(op->name);
	return (0);
}

/* Assign (or unassign) an investigator: seal (or revoke) the case key. */
int
casefile_assign(struct casefile_ctx *ctx, uint64_t id, const char *user,
    int assign, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.name = user;
	return (cf_change(ctx, assign ? CF_ASSIGN : CF_UNASSIGN, &op, cause));
}

/* A grant's or a revocation's journal entry and audit detail. */
static void
cf_holder_note(struct cf_tx *x)
{
	struct cf_op	*op = x->op;

	record_set_str(x->jenv, "user", op->name);
	x->rid = op->rid;
	xasprintf(&x->detail, "%s %s %" PRIu64, op->rid == 0 ? "case" :
	    "witness", op->name, op->rid);
}

/* Record rid is a witness whose key the signed-in user holds: *wkp. */
static int
cf_witness_held(struct store_txn *t, struct cf_op *op, struct vault_key **wkp,
    const char *refusal, char **cause)
{
	struct record	*env;
	int		 rc;

	if ((rc = cf_get(t, op->id, LAYOUT_RECORD, op->rid, &env,
	    cause)) != 0)
		return (rc);
	rc = record_get(env, "wbody", NULL) != NULL;
	record_free(env);
	if (!rc)
		return (err_set(cause, _("Record %" PRIu64 " is not a "
		    "witness."), op->rid));
	rc = cf_witness_key(t, op->ctx->sess, op->id, op->rid, wkp, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (err_set(cause, "%s", refusal));
	}
	return (rc);
}

/* The grantee's public key; they must be able to read cases. */
static int
cf_grantee(struct cf_tx *x, uint8_t *pk, enum role *role, char **cause)
{
	int	 rc;

	/* A key one holds is not one's to give oneself again. */
	if (strcmp(x->op->name, x->ctx->sess->user->name) == 0)
		return (err_set(cause, "%s", _("You cannot grant a key to "
		    "yourself.")));
	if ((rc = cf_user_pk(x->t, x->ctx->sess, x->op->name, pk, role,
	    cause)) != 0)
		return (rc);
	if (!access_allows(*role, ACCESS_READ_CASE))
		return (err_set(cause, _("%s cannot read cases (disabled, or "
		    "an administrator)."), x->op->name));
	return (0);
}

/* The case key, to a supervisor's or auditor's choice of reader. */
int
cf_grant_case_apply(struct cf_tx *x, char **cause)
{
	uint8_t		 pk[VAULT_PK_LEN];
	char		*label;
	enum role	 role = ROLE_ADMIN;
	int		 rc;

	if ((rc = cf_grantee(x, pk, &role, cause)) != 0)
		return (rc);
	label = layout_label_case(x->op->id);
	rc = keyring_seal(x->t, label, x->ck, x->op->name, pk, cause);
	free(label);
	if (rc != 0)
		return (rc);
	cf_header_list(x->h, "grants", x->op->name, 1);
	cf_holder_note(x);
	return (0);
}

/* A witness's key, by one of its holders, to a reader of the case. */
int
cf_grant_witness_apply(struct cf_tx *x, char **cause)
{
	struct cf_op		*op = x->op;
	struct vault_key	*wk = NULL;
	uint8_t			 pk[VAULT_PK_LEN];
	char			*label;
	enum role		 role = ROLE_ADMIN;
	int			 rc, holder;

	if ((rc = cf_grantee(x, pk, &role, cause)) != 0 ||
	    (rc = cf_witness_held(x->t, op, &wk, _("You do not hold this "
	    "witness's key, so you cannot grant it."), cause)) != 0)
		return (rc);
	/* The grantee must be able to read the case too. */
	label = layout_label_case(op->id);
	rc = keyring_holds(x->t, label, op->name, cause);
	if (rc == 0 && role != ROLE_SUPERVISOR && role != ROLE_AUDITOR)
		rc = err_set(cause, _("%s does not hold the case key: assign "
		    "the case to them first."), op->name);
	else if (rc > 0)
		rc = 0;
	free(label);
	if (rc == 0 && (rc = cf_witness_write(x->t, x->ctx, op->id, x->h,
	    op->rid, &wk, 0, &holder, cause)) == 0 && !holder)
		rc = err_set(cause, "%s", _("You do not hold this witness's key, "
		    "so you cannot grant it."));
	if (rc == 0) {
		label = layout_label_witness(op->id, op->rid);
		rc = keyring_seal(x->t, label, wk, op->name, pk, cause);
		free(label);
		cf_wholder_edit(x->h, op->rid, op->name, 1);
		if (rc == 0)
			rc = cf_wseal(x->t, x->h, op->id, op->rid, wk, cause);
	}
	vault_key_free(wk);
	if (rc == 0)
		cf_holder_note(x);
	return (rc);
}

/*
 * Grant the case key (rid 0; supervisors) or a witness's key (a holder of
 * it) to another user.  Audited.
 */
int
casefile_grant(struct casefile_ctx *ctx, uint64_t id, uint64_t rid,
    const char *user, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.rid = rid;
	op.name = user;
	return (cf_change(ctx, rid == 0 ? CF_GRANT_CASE : CF_GRANT_WITNESS, &op,
	    cause));
}

int
cf_items_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cf_items	*it = arg;
	struct cf_item	*i;

	if (klen != LAYOUT_RECORD_KEYLEN)
		return (0);
	it->list = xrealloc(it->list, (it->n + 1) * sizeof *it->list);
	i = &it->list[it->n++];
	memcpy(i->key, k, LAYOUT_RECORD_KEYLEN);
	i->val = xmalloc(vlen > 0 ? vlen : 1);
	memcpy(i->val, v, vlen);
	i->len = vlen;
	return (0);
}

void
cf_items_free(struct cf_items *it)
{
	size_t	 i;

	for (i = 0; i < it->n; i++) {
		wipe(it->list[i].val, it->list[i].len);
		free(it->list[i].val);
	}
	free(it->list);
}

/* Re-encrypt one stored item from key o to key n. */
static int
cf_rekey_item(struct store_txn *t, uint64_t id, struct cf_item *i,
    const struct vault_key *o, const struct vault_key *n, char **cause)
{
	struct record	*env, *body;
	uint8_t		*pt, *ct;
	size_t		 ptlen, ctlen;
	uint64_t	 num = get_be64(i->key + 9);
	const char	*kind;
	char		*ad;
	int		 rc;

	if (i->key[8] == LAYOUT_BLOB) {
		ad = layout_ad_blob(id, num);
		rc = vault_decrypt(o, ad, i->val, i->len, &pt, &ptlen, cause);
		if (rc == 0) {
			vault_encrypt_few(n, ad, pt, ptlen, &ct, &ctlen);
			wipe(pt, ptlen);
			free(pt);
			rc = cf_put_raw(t, i->key, ct, ctlen, cause);
			free(ct);
		}
		free(ad);
		return (rc);
	}
	if ((env = record_decode(i->val, i->len, cause)) == NULL)
		return (-1);
	if (record_get(env, "body", NULL) == NULL) {
		record_free(env);
		return (0);
	}
	if (i->key[8] == LAYOUT_JOURNAL)
		ad = layout_ad_journal(id, num);
	else {
		kind = record_get_str(env, "kind");
		ad = layout_ad_record(id, kind != NULL ? kind : "", num,
		    record_get_int(env, "v", 0));
	}
	rc = cf_open_body(env, "body", o, ad, &body, cause);
	if (rc == 0) {
		cf_seal_body(env, "body", n, ad, body);
		record_free(body);
		rc = cf_put(t, id, i->key[8], num, env, cause);
	}
	free(ad);
	record_free(env);
	return (rc);
}

/*
 * Seal nk, the new key of a case (rid 0) or of its witness rid, to
 * every holder the keys table lists for label: the recovery key and,
 * for a case, the oversight key as the organisation's trusted statements
 * give them; a user only if the signed header names them (assignees and
 * grants, or the witness's holders) and the organisation still vouches
 * for them.  Every other row is removed.
 */
int
cf_reseal(struct store_txn *t, struct casefile_ctx *ctx, const struct record *h,
    uint64_t rid, const char *label, const struct vault_key *nk, char **cause)
{
	uint8_t		 pk[VAULT_PK_LEN];
	char		**holders = NULL;
	size_t		 i, nholders = 0;
	enum role	 role = ROLE_ADMIN;
	int		 rc, named;

	if ((rc = keyring_holders(t, label, &holders, &nholders, cause)) != 0)
		return (rc);
	for (i = 0; rc == 0 && i < nholders; i++) {
		if (strcmp(holders[i], KEYRING_RECOVERY) == 0) {
			if ((rc = account_recovery_pk(t, ctx->sess->user, pk,
			    cause)) == 0)
				rc = keyring_seal_recovery(t, label, nk, pk,
				    cause);
			continue;
		}
		if (rid == 0 && strcmp(holders[i], CF_OVERSIGHT) == 0) {
			if ((rc = trust_org_value(t, ctx->sess->user,
			    LAYOUT_LABEL_OVERSIGHT, pk, cause)) == 0)
				rc = keyring_seal(t, label, nk, CF_OVERSIGHT,
				    pk, cause);
			continue;
		}
		named = rid == 0 ? cf_case_holder(h, holders[i]) :
		    cf_wholder_has(h, rid, holders[i]);
		rc = named ? cf_user_pk(t, ctx->sess, holders[i], pk, &role,
		    NULL) : -1;
		if (rc == 0)
			rc = keyring_seal(t, label, nk, holders[i], pk, cause);
		else if (rc == STORE_NOTFOUND || rc == -1)
			rc = keyring_revoke(t, label, holders[i], cause);
	}
	for (i = 0; i < nholders; i++)
		free(holders[i]);
	free(holders);
	return (rc);
}

/*
 * A fresh case key after an unassignment, a revoked grant or a holder
 * disabled: every body, journal entry and
 * file of the case is re-encrypted, and the key sealed anew to those who
 * still hold it.  Witness identities keep their own keys, whose copies
 * for the unassigned user were removed.
 */
int
cf_rekey(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, struct vault_key **kp, char **cause)
{
	struct cf_items		 it;
	struct vault_key	*nk;
	uint8_t			 prefix[8];
	char			*label;
	size_t			 i;
	int			 rc;

	memset(&it, 0, sizeof it);
	put_be64(prefix, id);
	if ((rc = store_scan(t, STORE_RECORDS, prefix, sizeof prefix,
	    cf_items_cb, &it, cause)) != 0)
		goto out;
	if ((rc = cf_holders_prune(t, ctx, id, h, cause)) != 0)
		goto out;
	nk = vault_key_generate();
	for (i = 0; rc == 0 && i < it.n; i++)
		rc = cf_rekey_item(t, id, &it.list[i], *kp, nk, cause);
	label = layout_label_case(id);
	if (rc == 0)
		rc = cf_reseal(t, ctx, h, 0, label, nk, cause);
	free(label);
	if (rc == 0) {
		uint8_t	 rk[LAYOUT_REKEY_KEYLEN];

		layout_rekey_key(rk, id);
		rc = store_del(t, STORE_INDEX, rk, sizeof rk, cause);
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			rc = 0;
		}
	}
	if (rc == 0) {
		record_set_int(h, "rekey", 0);
		vault_key_free(*kp);
		*kp = nk;
	} else
		vault_key_free(nk);
out:
	cf_items_free(&it);
	return (rc);
}

/* A revocation of one's own access is refused: ask someone else. */
static int
cf_revoke_self(struct cf_tx *x, char **cause)
{
	if (strcmp(x->op->name, x->ctx->sess->user->name) == 0)
		return (err_set(cause, _("You cannot revoke your own access.")));
	return (0);
}

/* A case grant taken back: a new case key at once, as for unassigning. */
int
cf_revoke_case_apply(struct cf_tx *x, char **cause)
{
	struct cf_op	*op = x->op;
	char		*label;
	int		 rc;

	if ((rc = cf_revoke_self(x, cause)) != 0)
		return (rc);
	if (list_has(record_get_str(x->h, "assignees"), op->name))
		return (err_set(cause, _("%s is assigned to %s: unassign them "
		    "instead."), op->name, record_get_str(x->h, "reference")));
	label = layout_label_case(op->id);
	rc = keyring_holds(x->t, label, op->name, cause);
	if (rc == 0)
		rc = err_set(cause, _("%s was not granted this case."),
		    op->name);
	else if (rc > 0)
		rc = keyring_revoke(x->t, label, op->name, cause);
	free(label);
	if (rc == 0)
		rc = cf_revoke_witnesses(x->t, op->id, op->name, cause);
	cf_header_list(x->h, "grants", op->name, 0);
	cf_wholders_drop(x->h, op->name);
	if (rc == 0)
		rc = cf_rekey(x->t, x->ctx, op->id, x->h, &x->ck, cause);
	if (rc == 0)
		cf_holder_note(x);
	return (rc);
}

/* A witness's key taken back by one of its holders: a new one at once. */
int
cf_revoke_witness_apply(struct cf_tx *x, char **cause)
{
	struct cf_op		*op = x->op;
	struct vault_key	*wk = NULL;
	char			*label;
	int			 rc, holder;

	if ((rc = cf_revoke_self(x, cause)) != 0 ||
	    (rc = cf_witness_held(x->t, op, &wk, _("You do not hold this "
	    "witness's key, so you cannot revoke it."), cause)) != 0)
		return (rc);
	if ((rc = cf_witness_write(x->t, x->ctx, op->id, x->h, op->rid, &wk,
	    1, &holder, cause)) != 0)
		goto out;
	if (!holder) {
		rc = err_set(cause, "%s", _("You do not hold this witness's "
		    "key, so you cannot revoke it."));
		goto out;
	}
	label = layout_label_witness(op->id, op->rid);
	rc = keyring_holds(x->t, label, op->name, cause);
	if (rc == 0)
		rc = err_set(cause, _("%s does not hold this witness's key."),
		    op->name);
	else if (rc > 0)
		rc = keyring_revoke(x->t, label, op->name, cause);
	free(label);
	cf_wholder_edit(x->h, op->rid, op->name, 0);
	if (rc == 0)
		rc = cf_rekey_witness(x->t, x->ctx, op->id, x->h, op->rid, wk,
		    NULL, cause);
	if (rc == 0)
		cf_holder_note(x);
out:
	vault_key_free(wk);
	return (rc);
}

/*
 * Take back a grant: the case key (rid 0; supervisors) or a witness's
 * key (a holder of it).  Either is re-encrypted under a new key at once.
 * Audited.
 */
int
casefile_revoke(struct casefile_ctx *ctx, uint64_t id, uint64_t rid,
    const char *user, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.rid = rid;
	op.name = user;
	return (cf_change(ctx, rid == 0 ? CF_REVOKE_CASE : CF_REVOKE_WITNESS,
	    &op, cause));
}
