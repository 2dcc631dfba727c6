/*
 * casefile-change.c: the one transaction every change to a case goes
 * through.
 *
 * A change is an entry of cf_changes[]: the audit action it is logged
 * as, what the user must be allowed (access.h), whether a closed case
 * refuses it, and its functions:
 *
 *	prepare	 before the transaction: fill and validate what was typed;
 *	applies	 in it, before any key is used: may this change be made
 *		 here (the workflow's role and reason for a move)?
 *	apply	 with the case key in hand: write the records and keys,
 *		 and say what the journal entry holds and the audit detail.
 *
 * cf_change() checks the access, then runs in one store transaction:
 * read the header, refuse a closed case, applies(), take the case key
 * (checking the case against its signed manifest, re-keying first when
 * due: cf_key_for_write), apply(), then the journal entry, the header,
 * the manifest signed by the writer and the audit entry (cf_commit).
 * No change writes a record without the journal, manifest and audit
 * entry that go with it: they are committed together or not at all.
 *
 * Creating a case is the one change outside the table (there is no
 * header to read yet): casefile_batch_case() ends in cf_commit() too.
 */
#include "config.h"

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
#include "workflow.h"

/* Passed back through store_run(): none may mean one of its own. */
_Static_assert(CF_CHECKED != STORE_BUSY && CF_CHECKED != STORE_NOTFOUND &&
    CF_CHECKED != STORE_RETRY && CF_CHECKED != STORE_EXISTS,
    "CF_CHECKED is a store_run() code");
_Static_assert(CASEFILE_CONFLICT != STORE_BUSY &&
    CASEFILE_CONFLICT != STORE_NOTFOUND && CASEFILE_CONFLICT != STORE_RETRY &&
    CASEFILE_CONFLICT != STORE_EXISTS,
    "CASEFILE_CONFLICT is a store_run() code");

#define CF_OPEN		0x1	/* refused once the case is closed */

struct cf_change {
	const char		*action;	/* audit; journal after the dot */
	enum access_action	 access;
	int			 flags;
	int			(*prepare)(struct cf_op *, char **);
	int			(*applies)(struct cf_tx *, char **);
	int			(*apply)(struct cf_tx *, char **);
};

static const struct cf_change cf_changes[] = {
	[CF_ADD] = { "record.add", ACCESS_EDIT_CASE, CF_OPEN,
	    cf_add_prepare, NULL, cf_add_apply },
	[CF_EDIT] = { "record.edit", ACCESS_EDIT_CASE, CF_OPEN,
	    cf_edit_prepare, NULL, cf_edit_apply },
	[CF_ATTACH] = { "record.edit", ACCESS_EDIT_CASE, CF_OPEN,
	    cf_attach_prepare, NULL, cf_edit_apply },
	[CF_MOVE] = { "case.move", ACCESS_READ_CASE, 0,
	    NULL, cf_move_applies, cf_move_apply },
	[CF_EVENT] = { "case.event", ACCESS_EDIT_CASE, 0,
	    cf_event_prepare, NULL, cf_event_apply },
	[CF_ASSIGN] = { "case.assign", ACCESS_ASSIGN_CASE, 0,
	    NULL, NULL, cf_assign_apply },
	[CF_UNASSIGN] = { "case.unassign", ACCESS_ASSIGN_CASE, 0,
	    NULL, NULL, cf_unassign_apply },
	[CF_GRANT_CASE] = { "case.grant", ACCESS_ASSIGN_CASE, 0,
	    NULL, NULL, cf_grant_case_apply },
	[CF_GRANT_WITNESS] = { "witness.grant", ACCESS_EDIT_CASE, 0,
	    NULL, NULL, cf_grant_witness_apply },
	[CF_REVOKE_CASE] = { "case.revoke", ACCESS_ASSIGN_CASE, 0,
	    NULL, NULL, cf_revoke_case_apply },
	[CF_REVOKE_WITNESS] = { "witness.revoke", ACCESS_EDIT_CASE, 0,
	    NULL, NULL, cf_revoke_witness_apply },
	[CF_REQUEST] = { "witness.request", ACCESS_READ_CASE, 0,
	    NULL, NULL, cf_request_apply },
};

struct cf_run {
	const struct cf_change	*ch;
	struct cf_op		*op;
};

int
cf_require(struct casefile_ctx *ctx, enum access_action a, char **cause)
{
	return (session_require(ctx->sess, a, cause));
}

const struct workflow *
cf_workflow(struct casefile_ctx *ctx, const struct record *h, char **cause)
{
	const struct workflow	*wf;
	const char		*name = record_get_str(h, "workflow");

	if (name == NULL || (wf = workflow_find(ctx->flows, name)) == NULL) {
		err_set(cause, _("The case uses the workflow '%s', which is not "
		    "installed."), name != NULL ? name : "?");
		return (NULL);
	}
	return (wf);
}

/* Writable: not in a terminal state. */
static int
cf_writable(struct casefile_ctx *ctx, const struct record *h, char **cause)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const char			*state = record_get_str(h, "state");

	if ((wf = cf_workflow(ctx, h, cause)) == NULL)
		return (-1);
	st = workflow_state(wf, state != NULL ? state : "");
	if (st != NULL && st->terminal)
		return (err_set(cause, _("The case %s is closed (%s): it is "
		    "read-only until a supervisor reopens it with a reason."),
		    record_get_str(h, "reference"),
		    st->label[lang_index()]));
	return (0);
}

/*
 * Whether a case's records are closed to additions and edits, from its
 * header as read: 1 and why, else 0 (a change is still checked in its
 * transaction).
 */
int
casefile_closed(struct casefile_ctx *ctx, const struct record *h, char **why)
{
	char	*cause = NULL;

	if (h == NULL || record_get_str(h, "workflow") == NULL ||
	    workflow_find(ctx->flows, record_get_str(h, "workflow")) == NULL)
		return (0);
	if (cf_writable(ctx, h, &cause) == 0)
		return (0);
	if (why != NULL)
		*why = cause;
	else
		free(cause);
	return (1);
}

/* A disabled account held the case key: 1 if a new key is due. */
static int
cf_rekey_due(struct store_txn *t, uint64_t id, char **cause)
{
	uint8_t	 k[LAYOUT_REKEY_KEYLEN], *v;
	size_t	 len;
	int	 rc;

	layout_rekey_key(k, id);
	rc = store_get(t, STORE_INDEX, k, sizeof k, &v, &len, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc != 0)
		return (rc);
	free(v);
	return (1);
}

/*
 * 1 if the case's copy for oversight was sealed to an oversight key that
 * has been replaced since (its holder was disabled): the case then gets
 * a new key at this change.
 */
static int
cf_oversight_stale(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    char **cause)
{
	uint8_t	 pk[VAULT_PK_LEN];
	char	*label;
	int	 rc;

	if ((rc = trust_org_value(t, ctx->sess->user, LAYOUT_LABEL_OVERSIGHT,
	    pk, cause)) != 0)
		return (rc);
	label = layout_label_case(id);
	rc = keyring_sealed_for(t, label, CF_OVERSIGHT, pk, cause);
	free(label);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (1);
	}
	return (rc < 0 ? rc : !rc);
}

/*
 * The case key, re-keying first if an unassignment, a disabled account
 * or a replaced oversight key asked for it.
 */
static int
cf_key_for_write(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, struct vault_key **kp, char **cause)
{
	int	 rc;

	rc = cf_case_key(t, ctx->sess, id, kp, cause);
	if (rc == STORE_NOTFOUND)
		return (err_set(cause, _("You do not hold the key of case %s; "
		    "ask a supervisor to assign it to you."),
		    record_get_str(h, "reference")));
	if (rc != 0)
		return (rc);
	/*
	 * The case as it stands must match its manifest, keyed hash and
	 * signature, before anything is written: a case key planted in
	 * the keys table, or a header changed by hand, writes nothing.
	 */
	if ((rc = cf_manifest_check(t, id, h, *kp,
	    ctx->sess->user->root_pk, cause)) != 0) {
		vault_key_free(*kp);
		*kp = NULL;
		return (rc);
	}
	if (record_get_int(h, "rekey", 0) != 0 ||
	    (rc = cf_rekey_due(t, id, cause)) > 0 ||
	    (rc = cf_oversight_stale(t, ctx, id, cause)) > 0 ||
	    (rc = cf_holders_stale(t, ctx, h, cause)) > 0)
		return (cf_rekey(t, ctx, id, h, kp, cause));
	return (rc);
}

/* A journal entry: clear fields in env, detail sealed under the case key. */
int
cf_journal(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, const struct vault_key *ck, const char *what,
    uint64_t rid, struct record *env, const struct record *body,
    const struct vault_key *wk, const struct record *wbody, char **cause)
{
	int64_t	 seq = record_get_int(h, "next_j", 1);
	char	*ad;

	record_set_int(h, "next_j", seq + 1);
	record_set_str(env, "what", what);
	record_set_str(env, "by", ctx->sess->user->name);
	record_set_int(env, "at", now());
	record_set_int(env, "rid", (int64_t)rid);
	if (body != NULL && record_count(body) != 0) {
		ad = layout_ad_journal(id, (uint64_t)seq);
		cf_seal_body(env, "body", ck, ad, body);
		free(ad);
	}
	if (wk != NULL && wbody != NULL && record_count(wbody) != 0) {
		ad = layout_ad_journal_witness(id, (uint64_t)seq);
		cf_seal_body(env, "wbody", wk, ad, wbody);
		free(ad);
	}
	return (cf_put(t, id, LAYOUT_JOURNAL, (uint64_t)seq, env, cause));
}

/*
 * Finish a change: bump the version, write the header and the manifest
 * signed by the writer, and the audit entry (none when action is NULL:
 * a batch import audits once for all its cases).
 */
int
cf_commit(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, const struct vault_key *ck, const char *action,
    const char *detail, char **cause)
{
	struct account	*me;
	int		 rc;

	/*
	 * What a key no approval gave signs would be no one's: the next
	 * reader refuses it (trust_signer()), so nothing is written.  The
	 * account as it stands now: an approval may have come since the
	 * sign-in.
	 */
	if (!ctx->sess->signer_approved) {
		if ((rc = account_get_in(t, ctx->sess->user->name, &me,
		    cause)) != 0)
			return (rc);
		rc = trust_signer(t, ctx->sess->user->root_pk, me,
		    vault_identity_sign_pk(ctx->sess->id));
		account_free(me);
		if (rc != 0)
			return (err_set(cause, _("Your account has not been "
			    "approved yet: a supervisor or auditor must first "
			    "compare your key's fingerprint with you ('dossier "
			    "user fingerprint'). Nothing was saved.")));
		ctx->sess->signer_approved = 1;
	}
	record_set_int(h, "version", record_get_int(h, "version", 0) + 1);
	record_set_int(h, "updated", now());
	if ((rc = cf_header_write(t, id, h, cause)) != 0 ||
	    (rc = cf_manifest_write(t, ctx->sess, id, h, ck, cause)) != 0 ||
	    (rc = cf_manifest_flush(t, cause)) != 0)
		return (rc);
	if (action == NULL)
		return (0);
	return (audit_append(t, &ctx->sess->signer, action,
	    record_get_str(h, "reference"), detail, cause));
}

static void
cf_tx_free(struct cf_tx *x)
{
	vault_key_free(x->ck);
	vault_key_free(x->wk);
	record_free(x->h);
	record_free(x->jenv);
	record_free(x->jbody);
	record_free(x->jwit);
	free(x->detail);
}

static int
cf_change_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_run		*r = arg;
	const struct cf_change	*ch = r->ch;
	struct cf_op		*op = r->op;
	struct casefile_ctx	*ctx = op->ctx;
	struct cf_tx		 x;
	int			 rc;

	memset(&x, 0, sizeof x);
	x.t = t;
	x.ctx = ctx;
	x.op = op;
	x.jenv = record_create();
	x.jbody = record_create();
	x.jwit = record_create();
	if ((rc = cf_header_read(t, op->id, &x.h, cause)) != 0)
		goto out;
	if ((ch->flags & CF_OPEN) && (rc = cf_writable(ctx, x.h, cause)) != 0)
		goto out;
	if (ch->applies != NULL && (rc = ch->applies(&x, cause)) != 0)
		goto out;
	if ((rc = cf_key_for_write(t, ctx, op->id, x.h, &x.ck, cause)) != 0 ||
	    (rc = ch->apply(&x, cause)) != 0)
		goto out;
	/* Allowed, not made: abort, so that not even a re-key is kept. */
	if (op->check_only) {
		rc = CF_CHECKED;
		goto out;
	}
	rc = cf_journal(t, ctx, op->id, x.h, x.ck, strchr(ch->action, '.') + 1,
	    x.rid, x.jenv, x.jbody, x.wk, x.jwit, cause);
	if (rc == 0)
		rc = cf_commit(t, ctx, op->id, x.h, x.ck, ch->action, x.detail,
		    cause);
out:
	cf_tx_free(&x);
	return (rc);
}

/*
 * Make change c to case op->id: the access, then prepare() outside the
 * transaction, then the transaction above (or, with op->check_only, all
 * its checks and nothing kept).  CASEFILE_CONFLICT when a
 * record was saved over since the version the user started from.
 */
int
cf_change(struct casefile_ctx *ctx, enum cf_change_id c, struct cf_op *op,
    char **cause)
{
	struct cf_run	 r;
	int		 rc;

	r.ch = &cf_changes[c];
	r.op = op;
	op->ctx = ctx;
	if (cf_require(ctx, r.ch->access, cause) != 0)
		return (-1);
	if (r.ch->prepare != NULL && r.ch->prepare(op, cause) != 0)
		return (-1);
	rc = store_run(ctx->sess->store, cf_change_txn, &r, cause);
	if (rc == CF_CHECKED)
		return (0);
	return (rc == CASEFILE_CONFLICT ? CASEFILE_CONFLICT : rc != 0 ? -1 : 0);
}

static int
cf_audit_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op	*op = arg;
	struct record	*h;
	int		 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	store_txn_local_ok(t);		/* an export changes nothing */
	rc = audit_append(t, &op->ctx->sess->signer, op->name,
	    record_get_str(h, "reference"), op->text, cause);
	record_free(h);
	return (rc);
}

/* An audit entry about a case that changes nothing in it (exports). */
int
casefile_audit(struct casefile_ctx *ctx, uint64_t id, const char *action,
    const char *detail, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.name = action;
	op.text = detail;
	return (store_run(ctx->sess->store, cf_audit_txn, &op, cause));
}
