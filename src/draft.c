/*
 * draft.c: encrypted drafts (see draft.h and docs/FORMAT.md, "Drafts").
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "draft.h"
#include "layout.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

struct draft_op {
	struct session	*sess;
	const uint8_t	*val;
	size_t		 len;
	uint8_t		*out;
	size_t		 outlen;
};

static int
draft_put_txn(struct store_txn *t, void *arg, char **cause)
{
	struct draft_op	*op = arg;
	const char	*name = op->sess->user->name;

	return (store_put(t, STORE_DRAFTS, name, strlen(name), op->val,
	    op->len, 0, cause));
}

int
draft_save(struct session *sess, const struct draft *d, char **cause)
{
	struct draft_op		 op;
	struct vault_key	*k;
	struct record		*r, *env;
	uint8_t			 sealed[VAULT_SEALED_LEN], *pt, *ct, *val;
	size_t			 ptlen, ctlen, vlen;
	char			*ad;
	int			 rc;

	r = record_copy(d->fields);
	record_set_str(r, "-kind", d->kind);
	record_set_str(r, "-workflow", d->workflow != NULL ? d->workflow : "");
	record_set_int(r, "-case", (int64_t)d->case_id);
	record_set_int(r, "-rid", (int64_t)d->rid);
	record_set_int(r, "-new", d->is_new);
	record_set_int(r, "-version", d->version);
	record_set_int(r, "-saved", now());
	record_encode(r, &pt, &ptlen);
	record_free(r);
	k = vault_key_generate();
	ad = layout_ad_draft(sess->user->name);
	vault_key_seal(k, ad, sess->user->box_pk, sealed);
	vault_encrypt(k, ad, pt, ptlen, &ct, &ctlen);
	vault_key_free(k);
	free(ad);
	wipe(pt, ptlen);
	free(pt);
	env = record_create();
	record_set(env, "key", sealed, sizeof sealed);
	record_set(env, "body", ct, ctlen);
	free(ct);
	record_encode(env, &val, &vlen);
	record_free(env);
	memset(&op, 0, sizeof op);
	op.sess = sess;
	op.val = val;
	op.len = vlen;
	rc = store_run(sess->store, draft_put_txn, &op, cause);
	free(val);
	return (rc);
}

static int
draft_get_txn(struct store_txn *t, void *arg, char **cause)
{
	struct draft_op	*op = arg;
	const char	*name = op->sess->user->name;
	int		 rc;

	free(op->out);
	op->out = NULL;
	rc = store_get(t, STORE_DRAFTS, name, strlen(name), &op->out,
	    &op->outlen, cause);
	return (rc == STORE_NOTFOUND ? 0 : rc);
}

int
draft_load(struct session *sess, struct draft **dp, char **cause)
{
	struct draft_op		 op;
	struct draft		*d;
	struct vault_key	*k;
	struct record		*env, *r;
	const void		*sealed, *ct;
	const char		*key;
	const void		*v;
	uint8_t			*pt;
	size_t			 slen, ctlen, ptlen, vlen, i;
	char			*ad;
	int			 rc;

	*dp = NULL;
	memset(&op, 0, sizeof op);
	op.sess = sess;
	if (store_run(sess->store, draft_get_txn, &op, cause) != 0)
		return (-1);
	if (op.out == NULL)
		return (0);
	env = record_decode(op.out, op.outlen, cause);
	free(op.out);
	if (env == NULL)
		return (-1);
	sealed = record_get(env, "key", &slen);
	ct = record_get(env, "body", &ctlen);
	ad = layout_ad_draft(sess->user->name);
	rc = -1;
	if (sealed == NULL || ct == NULL)
		err_set(cause, _("Your saved draft is damaged."));
	else if (vault_key_open(sealed, slen, ad, sess->id, &k, cause) == 0) {
		rc = vault_decrypt(k, ad, ct, ctlen, &pt, &ptlen, cause);
		vault_key_free(k);
	}
	free(ad);
	record_free(env);
	if (rc != 0)
		return (-1);
	r = record_decode(pt, ptlen, cause);
	wipe(pt, ptlen);
	free(pt);
	if (r == NULL)
		return (-1);
	d = xcalloc(1, sizeof *d);
	d->kind = xstrdup(record_get_str(r, "-kind") != NULL ?
	    record_get_str(r, "-kind") : "");
	d->workflow = xstrdup(record_get_str(r, "-workflow") != NULL ?
	    record_get_str(r, "-workflow") : "");
	d->case_id = (uint64_t)record_get_int(r, "-case", 0);
	d->rid = (uint64_t)record_get_int(r, "-rid", 0);
	d->is_new = (int)record_get_int(r, "-new", 0);
	d->version = record_get_int(r, "-version", -1);
	d->saved = record_get_int(r, "-saved", 0);
	d->fields = record_create();
	for (i = 0; i < record_count(r); i++) {
		key = record_key_at(r, i);
		if (key[0] == '-')
			continue;
		v = record_value_at(r, i, &vlen);
		record_set(d->fields, key, v, vlen);
	}
	record_free(r);
	*dp = d;
	return (0);
}

static int
draft_del_txn(struct store_txn *t, void *arg, char **cause)
{
	struct draft_op	*op = arg;
	const char	*name = op->sess->user->name;
	int		 rc;

	rc = store_del(t, STORE_DRAFTS, name, strlen(name), cause);
	return (rc == STORE_NOTFOUND ? 0 : rc);
}

int
draft_delete(struct session *sess, char **cause)
{
	struct draft_op	 op;

	memset(&op, 0, sizeof op);
	op.sess = sess;
	return (store_run(sess->store, draft_del_txn, &op, cause));
}

void
draft_free(struct draft *d)
{
	if (d == NULL)
		return;
	free(d->kind);
	free(d->workflow);
	record_free(d->fields);
	free(d);
}
