/*
 * casefile-record.c: the records of a case: adding one, editing one
 * (an empty value clears a field), attaching a file to an evidence
 * record and reading it back.  Each change is an entry of
 * casefile-change.c's table: the functions here fill and check what was
 * typed (prepare) and write the record (apply); the pipeline adds the
 * journal entry, the manifest and the audit entry.
 *
 * The keyboard is never waited on inside a transaction: callers edit in
 * memory and pass the version they started from, and a save over a
 * newer version is refused with CASEFILE_CONFLICT.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

static int
cf_field_is_reference(const struct form_field *f)
{
	return (strcmp(f->id, "reference") == 0 || (f->automatic != NULL &&
	    strcmp(f->automatic, "reference") == 0));
}



/*
 * The records a link field may name, read from the store under the
 * case key (form_check_links): every path that adds or edits a record
 * checks its links here, the import's included.
 */
struct cf_links {
	struct cf_tx	*x;
	struct record	*env, *body;
};

static int
cf_link_lookup(void *arg, uint64_t rid, const char **kind,
    const struct record **fields)
{
	struct cf_links	*l = arg;
	char		*ad;
	int		 rc;

	record_free(l->env);
	record_free(l->body);
	l->env = l->body = NULL;
	if (cf_get(l->x->t, l->x->op->id, LAYOUT_RECORD, rid, &l->env,
	    NULL) != 0 || (*kind = record_get_str(l->env, "kind")) == NULL)
		return (-1);
	ad = layout_ad_record(l->x->op->id, *kind, rid,
	    record_get_int(l->env, "v", 0));
	rc = cf_open_body(l->env, "body", l->x->ck, ad, &l->body, NULL);
	free(ad);
	*fields = l->body;
	return (rc);
}

static int
cf_check_links(struct cf_tx *x, const struct form *fm, const struct record *r,
    char **cause)
{
	struct cf_links	 l;
	int		 rc;

	memset(&l, 0, sizeof l);
	l.x = x;
	rc = form_check_links(x->ctx->forms, fm, r, cf_link_lookup, &l, cause);
	record_free(l.env);
	record_free(l.body);
	return (rc);
}

/* Before the transaction: the form, its automatic fields, its checks. */
int
cf_add_prepare(struct cf_op *op, char **cause)
{
	const struct form	*fm;

	if (strcmp(op->kind, "intake") == 0 ||
	    (fm = formset_form(op->ctx->forms, op->kind)) == NULL)
		return (err_set(cause, _("There is no form '%s' to add; see the "
		    "forms directory."), op->kind));
	record_unset(op->fields, "pseudonym");
	form_fill_automatic(fm, op->fields, now());
	return (form_validate(op->ctx->forms, fm, op->fields, cause));
}

int
cf_add_apply(struct cf_tx *x, char **cause)
{
	struct cf_op		*op = x->op;
	struct casefile_batch	*b;
	struct record		*fields;
	const struct form	*fm = formset_form(x->ctx->forms, op->kind);
	char			*label, *p;
	uint64_t		 rid;
	int			 rc;

	b = casefile_batch_create(x->ctx);
	if ((rc = cf_batch_prepare(b, x->t, cause)) != 0) {
		casefile_batch_free(b);
		return (rc);
	}
	if ((rc = cf_check_links(x, fm, op->fields, cause)) != 0) {
		casefile_batch_free(b);
		return (rc);
	}
	rid = (uint64_t)record_get_int(x->h, "next_rid", 1);
	record_set_int(x->h, "next_rid", (int64_t)rid + 1);
	fields = record_copy(op->fields);
	if (strcmp(op->kind, "witness") == 0) {
		x->wk = vault_key_generate();
		label = layout_label_witness(op->id, rid);
		rc = cf_seal_new(x->t, b, label, x->wk, 0, cause);
		free(label);
		cf_wholder_edit(x->h, rid, x->ctx->sess->user->name, 1);
		if (rc == 0)
			rc = cf_wseal(x->t, x->h, op->id, rid, x->wk, cause);
		p = cf_pseudonym(record_get_int(x->h, "witnesses", 0));
		record_set_str(fields, "pseudonym", p);
		free(p);
		record_set_int(x->h, "witnesses",
		    record_get_int(x->h, "witnesses", 0) + 1);
	}
	if (rc == 0)
		rc = cf_write_record(x->t, b, op->id, x->h, x->ck, x->wk,
		    op->kind, rid, 1, fields, NULL, cause);
	casefile_batch_free(b);
	if (rc == 0) {
		xasprintf(&p, "n.%s", op->kind);
		record_set_int(x->h, p, record_get_int(x->h, p, 0) + 1);
		free(p);
		/* The journal holds the whole record, witness part apart. */
		record_set_str(x->jenv, "kind", op->kind);
		cf_split(fm, fields, x->jbody, x->jbody, x->jwit);
		x->rid = rid;
		xasprintf(&x->detail, "%s %" PRIu64, op->kind, rid);
		op->rid = rid;
	}
	record_free(fields);
	return (rc);
}

/* Add a record (person, agent, allegation, witness, ...) to a case. */
int
casefile_add(struct casefile_ctx *ctx, uint64_t id, const char *kind,
    struct record *fields, uint64_t *rid, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.kind = kind;
	op.fields = fields;
	if (cf_change(ctx, CF_ADD, &op, cause) != 0)
		return (-1);
	*rid = op.rid;
	return (0);
}

/* An evidence record's file, encrypted under the case key ck. */
static int
cf_blob_put(struct store_txn *t, struct cf_op *op, const char *kind,
    const struct vault_key *ck, char **cause)
{
	uint8_t	 k[LAYOUT_RECORD_KEYLEN], *ct;
	size_t	 ctlen;
	char	*ad;
	int	 rc;

	if (strcmp(kind, "evidence") != 0)
		return (err_set(cause, _("Files are attached to evidence "
		    "records; record %" PRIu64 " is not one."), op->rid));
	ad = layout_ad_blob(op->id, op->rid);
	vault_encrypt_few(ck, ad, op->data, op->len, &ct, &ctlen);
	free(ad);
	layout_record_key(k, op->id, LAYOUT_BLOB, op->rid);
	rc = cf_put_raw(t, k, ct, ctlen, cause);
	free(ct);
	return (rc);
}

/* Record the old and new value of each changed field in the journal. */
static void
cf_diff(const struct record *old, const struct record *changes,
    struct record *out)
{
	const char	*key;
	const void	*nv, *ov;
	size_t		 i, nlen, olen;
	char		*k;

	for (i = 0; i < record_count(changes); i++) {
		key = record_key_at(changes, i);
		nv = record_value_at(changes, i, &nlen);
		if ((ov = record_get(old, key, &olen)) == NULL) {
			ov = "";
			olen = 0;
		}
		if (olen == nlen && memcmp(ov, nv, nlen) == 0)
			continue;
		if (strlen(key) > RECORD_KEY_MAX - 4)
			continue;
		xasprintf(&k, "old.%s", key);
		record_set(out, k, ov, olen);
		free(k);
		xasprintf(&k, "new.%s", key);
		record_set(out, k, nv, nlen);
		free(k);
	}
}

/* The record's stored header-class fields (the intake's are in h). */
static void
cf_header_fields(const struct form *fm, const struct record *h,
    struct record *out)
{
	const void	*v;
	size_t		 i, len;

	for (i = 0; i < fm->nfields; i++)
		if (fm->fields[i].class == FORM_HEADER &&
		    (v = record_get(h, fm->fields[i].id, &len)) != NULL)
			record_set(out, fm->fields[i].id, v, len);
}

/* The witness part of record env: *wit, and x->wk if the user holds it. */
static int
cf_edit_witness(struct cf_tx *x, const struct record *env,
    const struct record *ch_w, struct record **wit, char **cause)
{
	struct cf_op		*op = x->op;
	char			*ad;
	int			 rc = 0, holder;

	*wit = NULL;
	if (record_get(env, "wbody", NULL) != NULL) {
		rc = cf_witness_key(x->t, x->ctx->sess, op->id, op->rid, &x->wk,
		    cause);
		if (rc == STORE_NOTFOUND && record_count(ch_w) == 0)
			rc = 0;		/* the case-class part only */
		else if (rc == STORE_NOTFOUND)
			rc = err_set(cause, _("You do not hold the key of this "
			    "witness; ask the investigator who recorded it to "
			    "grant it to you."));
		if (rc == 0 && x->wk != NULL) {
			ad = layout_ad_witness(op->id, op->rid,
			    record_get_int(env, "wv", 1));
			rc = cf_open_body(env, "wbody", x->wk, ad, wit, cause);
			free(ad);
		}
	}
	/*
	 * A key that opens is not enough: the writer must be one of the
	 * holders the seal and the audit log leave; a witness whose holders
	 * lost someone gets a new key first.
	 */
	if (rc == 0 && x->wk != NULL && (rc = cf_witness_write(x->t, x->ctx,
	    op->id, x->h, op->rid, &x->wk, 0, &holder, cause)) == 0 &&
	    !holder) {
		vault_key_free(x->wk);
		x->wk = NULL;
		record_free(*wit);
		*wit = NULL;
		if (record_count(ch_w) != 0)
			rc = err_set(cause, _("You do not hold the key of this "
			    "witness; ask the investigator who recorded it to "
			    "grant it to you."));
	}
	if (rc != 0)
		return (rc);
	if (*wit == NULL)
		*wit = record_create();
	return (0);
}

int
cf_edit_apply(struct cf_tx *x, char **cause)
{
	struct cf_op		*op = x->op;
	struct casefile_ctx	*ctx = x->ctx;
	struct casefile_batch	*b = NULL;
	struct record		*env = NULL, *body = NULL, *wit = NULL;
	struct record		*merged = NULL, *ch_h, *ch_b, *ch_w;
	const struct form	*fm;
	const char		*kind;
	char			*ad;
	int64_t			 v;
	size_t			 i, l;
	int			 rc;

	if ((rc = cf_get(x->t, op->id, LAYOUT_RECORD, op->rid, &env,
	    cause)) != 0)
		return (rc);
	kind = record_get_str(env, "kind");
	v = record_get_int(env, "v", 0);
	if (kind == NULL || (fm = formset_form(ctx->forms, kind)) == NULL) {
		rc = err_set(cause, _("Record %" PRIu64 " is of a kind no form "
		    "describes; it cannot be edited."), op->rid);
		goto out;
	}
	/*
	 * A file attached (casefile_attach): written here, once the case
	 * matched its manifest and under the key this edit writes with,
	 * so that the manifest this edit writes lists it.
	 */
	if (op->data != NULL && (rc = cf_blob_put(x->t, op, kind, x->ck,
	    cause)) != 0)
		goto out;
	if (op->version >= 0 && op->version != v) {
		err_set(cause, _("Record %" PRIu64 " was changed by %s "
		    "(version %" PRId64 ", you started from %" PRId64 "); your "
		    "text is kept: reopen the record and apply it again."),
		    op->rid, record_get_str(env, "by"), v, op->version);
		rc = CASEFILE_CONFLICT;
		goto out;
	}
	ad = layout_ad_record(op->id, kind, op->rid, v);
	rc = cf_open_body(env, "body", x->ck, ad, &body, cause);
	free(ad);
	if (rc != 0)
		goto out;
	ch_h = record_create();
	ch_b = record_create();
	ch_w = record_create();
	cf_split(fm, op->fields, ch_h, ch_b, ch_w);
	if ((rc = cf_edit_witness(x, env, ch_w, &wit, cause)) == 0) {
		/* The record as it would be saved, checked against its form. */
		merged = record_create();
		if (op->rid == 0)
			cf_header_fields(fm, x->h, merged);
		record_merge(merged, body);
		record_merge(merged, wit);
		/* The journal: old and new value of each field changed. */
		cf_diff(merged, ch_h, x->jbody);
		cf_diff(merged, ch_b, x->jbody);
		cf_diff(merged, ch_w, x->jwit);
		record_merge(merged, op->fields);
		for (i = 0; i < record_count(op->fields); i++) {
			record_value_at(op->fields, i, &l);
			if (l == 0)
				record_unset(merged,
				    record_key_at(op->fields, i));
		}
	}
	record_free(ch_h);
	record_free(ch_b);
	record_free(ch_w);
	if (rc != 0)
		goto out;
	if (form_validate_skip(ctx->forms, fm, merged, x->wk == NULL &&
	    record_get(env, "wbody", NULL) != NULL ? FORM_WITNESS : -1,
	    cause) != 0 || cf_check_links(x, fm, merged, cause) != 0) {
		rc = -1;
		goto out;
	}
	/*
	 * A header field of the intake cleared by this change leaves the
	 * header too; the reference is the case's, never the form's.
	 */
	if (op->rid == 0) {
		for (i = 0; i < fm->nfields; i++)
			if (fm->fields[i].class == FORM_HEADER &&
			    !cf_field_is_reference(&fm->fields[i]) &&
			    record_get(merged, fm->fields[i].id, NULL) == NULL)
				record_unset(x->h, fm->fields[i].id);
	}
	b = casefile_batch_create(ctx);
	if (rc == 0)
		rc = cf_batch_prepare(b, x->t, cause);
	if (rc == 0)
		rc = cf_write_record(x->t, b, op->id, x->h, x->ck, x->wk, kind,
		    op->rid, v + 1, merged, env, cause);
	if (rc == 0) {
		record_set_str(x->jenv, "kind", kind);
		x->rid = op->rid;
		xasprintf(&x->detail, "%s %" PRIu64 " v%" PRId64, kind,
		    op->rid, v + 1);
	}
out:
	casefile_batch_free(b);
	record_free(env);
	record_free(body);
	record_free(wit);
	record_free(merged);
	return (rc);
}

/* What is typed never names the case, nor a witness's pseudonym. */
int
cf_edit_prepare(struct cf_op *op, char **cause)
{
	(void)cause;
	record_unset(op->fields, "reference");
	record_unset(op->fields, "pseudonym");
	return (0);
}

/*
 * Change fields of a record (0: the intake); an empty value clears a
 * field.  version is the record version the change was made from, or -1
 * to change whatever is stored now.
 */
int
casefile_edit(struct casefile_ctx *ctx, uint64_t id, uint64_t rid,
    struct record *changes, int64_t version, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.rid = rid;
	op.fields = changes;
	op.version = version;
	return (cf_change(ctx, CF_EDIT, &op, cause));
}

/* The file's size, then its name, size and SHA-256 into the record. */
int
cf_attach_prepare(struct cf_op *op, char **cause)
{
	uint8_t	 sum[VAULT_SHA256_LEN];
	char	*hex, num[32];

	if (op->len > CASEFILE_BLOB_MAX)
		return (err_set(cause, _("The file is too large (%zu bytes; at "
		    "most %u)."), op->len, CASEFILE_BLOB_MAX));
	vault_sha256(op->data, op->len, sum);
	hex = vault_hex(sum, sizeof sum);
	snprintf(num, sizeof num, "%zu", op->len);
	record_set_str(op->fields, "file", op->name);
	record_set_str(op->fields, "file_sha256", hex);
	record_set_str(op->fields, "file_size", num);
	free(hex);
	return (0);
}

/*
 * Attach a file to an evidence record: its bytes are encrypted into the
 * store, its name, size and SHA-256 recorded in the record.
 */
int
casefile_attach(struct casefile_ctx *ctx, uint64_t id, uint64_t rid,
    const char *name, const void *data, size_t len, char **cause)
{
	struct cf_op	 op;
	int		 rc;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.rid = rid;
	op.name = name;
	op.data = data;
	op.len = len;
	op.version = -1;
	op.fields = record_create();
	rc = cf_change(ctx, CF_ATTACH, &op, cause);
	record_free(op.fields);
	return (rc);
}

static int
cf_blob_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op		*op = arg;
	struct vault_key	*ck = NULL;
	uint8_t			 k[LAYOUT_RECORD_KEYLEN], *ct, *pt;
	size_t			 ctlen, ptlen;
	char			*ad;
	int			 rc;

	rc = cf_case_key(t, op->ctx->sess, op->id, &ck, cause);
	if (rc == STORE_NOTFOUND)
		return (err_set(cause, _("You do not hold the key of this "
		    "case.")));
	if (rc != 0)
		return (rc);
	layout_record_key(k, op->id, LAYOUT_BLOB, op->rid);
	rc = store_get(t, STORE_RECORDS, k, sizeof k, &ct, &ctlen, cause);
	if (rc == STORE_NOTFOUND)
		rc = err_set(cause, _("No file is attached to record %" PRIu64
		    "."), op->rid);
	if (rc == 0) {
		ad = layout_ad_blob(op->id, op->rid);
		rc = vault_decrypt(ck, ad, ct, ctlen, &pt, &ptlen, cause);
		free(ad);
		free(ct);
		if (rc == 0) {
			free((void *)op->data);
			op->data = pt;
			op->len = ptlen;
		}
	}
	vault_key_free(ck);
	return (rc);
}

/* The bytes of an attached file; the caller frees (and wipes) them. */
int
casefile_blob(struct casefile_ctx *ctx, uint64_t id, uint64_t rid,
    uint8_t **data, size_t *len, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.rid = rid;
	if (store_run(ctx->sess->store, cf_blob_txn, &op, cause) != 0) {
		free((void *)op.data);
		return (-1);
	}
	*data = (uint8_t *)op.data;
	*len = op.len;
	return (0);
}
