/*
 * casefile.c: creating and changing cases.
 *
 * Every change runs in one store transaction that reads the case header,
 * checks what the user may do, writes the records, a journal entry and an
 * audit entry, and bumps the header's version: the change, its history
 * and its audit entry are committed together or not at all.  The keyboard
 * is never waited on inside a transaction: callers edit in memory and
 * pass the version they started from, and a save over a newer version is
 * refused with CASEFILE_CONFLICT.
 *
 * A record is stored as a clear envelope (kind, version, who, when) with
 * the case-class fields sealed under the case key in "body" and the
 * witness-class fields under the witness key in "wbody"; the associated
 * data of each names the case, kind, record and version.  When an
 * investigator is unassigned, their sealed copies are removed and the
 * header is marked "rekey": the next change by a holder draws a new case
 * key and re-encrypts the case under it (cf_rekey).
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

struct casefile_batch {
	struct casefile_ctx	*ctx;
	struct vault_sealer	*self;
	struct vault_sealer	*recovery;
	struct vault_sealer	*oversight;	/* NULL until one exists */
	struct vault_key	*index;		/* NULL if not held */
	int			 index_tried;
	char			 prefix[16];
	int			 ready;
	int			 quiet;		/* no per-case audit entry */
	long			 day;		/* 0: today */
	int			 witness_assignees; /* not the creator */
	char			*assignees;
	struct cf_assignee {
		char			*name;
		struct vault_sealer	*sealer;
	}			*as;		/* every assignee, however many */
	size_t			 nas;
};



long
casefile_today(void)
{
	return ((long)(now() / 86400));
}

void
casefile_clock(const struct record *h, struct workflow_clock *c)
{
	const char	*p;

	memset(c, 0, sizeof *c);
	c->entered = record_get_int(h, "clock.entered", 0);
	c->deadline = record_get_int(h, "clock.deadline", 0);
	c->paused_since = record_get_int(h, "clock.paused_since", 0);
	c->paused_days = record_get_int(h, "clock.paused_days", 0);
	c->resume_left = record_get_int(h, "clock.resume_left", 0);
	c->resume = record_get_int(h, "clock.resume", 0);
	if ((p = record_get_str(h, "clock.previous")) != NULL)
		snprintf(c->previous, sizeof c->previous, "%s", p);
}

static void
cf_set_clock(struct record *h, const struct workflow_clock *c)
{
	record_set_int(h, "clock.entered", c->entered);
	record_set_int(h, "clock.deadline", c->deadline);
	record_set_int(h, "clock.paused_since", c->paused_since);
	record_set_int(h, "clock.paused_days", c->paused_days);
	record_set_int(h, "clock.resume_left", c->resume_left);
	record_set_int(h, "clock.resume", c->resume);
	record_set_str(h, "clock.previous", c->previous);
}

/* Split fields by class; fields the form does not know stay case-class. */
static void
cf_split(const struct form *fm, const struct record *in, struct record *hdr,
    struct record *body, struct record *wit)
{
	const struct form_field	*f;
	const char		*key;
	const void		*v;
	size_t			 i, len;

	for (i = 0; i < record_count(in); i++) {
		key = record_key_at(in, i);
		v = record_value_at(in, i, &len);
		f = fm != NULL ? form_field(fm, key) : NULL;
		if (f != NULL && f->class == FORM_HEADER && hdr != NULL)
			record_set(hdr, key, v, len);
		else if (f != NULL && f->class == FORM_WITNESS)
			record_set(wit, key, v, len);
		else
			record_set(body, key, v, len);
	}
}

/* "Témoin A" ... "Témoin Z", "Témoin AA" ... */
static char *
cf_pseudonym(int64_t n)
{
	char	 letters[16], *s;
	int	 i = sizeof letters - 1;

	letters[i] = '\0';
	do {
		letters[--i] = 'A' + (char)(n % 26);
		n = n / 26 - 1;
	} while (n >= 0 && i > 0);
	xasprintf(&s, "Témoin %s", letters + i);
	return (s);
}

static int
cf_field_is_reference(const struct form_field *f)
{
	return (strcmp(f->id, "reference") == 0 || (f->automatic != NULL &&
	    strcmp(f->automatic, "reference") == 0));
}

int
cf_require(struct casefile_ctx *ctx, enum access_action a, char **cause)
{
	return (session_require(ctx->sess, a, cause));
}

static const struct workflow *
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
int
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
	 * The case as it stands must match its manifest, keyed hash
	 * included, before anything is written: a case key planted in the
	 * keys table, or a header changed by hand, writes nothing.
	 */
	if ((rc = cf_manifest_check(t, id, h, *kp, cause)) != 0) {
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

/*
 * What a batch needs is made when first needed, once per batch: a save
 * that seals no key and indexes no agent does no public-key work here.
 */
static int
cf_batch_prepare(struct casefile_batch *b, struct store_txn *t, char **cause)
{
	uint8_t	*v;
	size_t	 len;

	if (b->ready)
		return (0);
	snprintf(b->prefix, sizeof b->prefix, "ISSPC");
	if (meta_get(t, META_REF_PREFIX, &v, &len, NULL) == 0) {
		if (len > 0 && len < sizeof b->prefix) {
			memcpy(b->prefix, v, len);
			b->prefix[len] = '\0';
		}
		free(v);
	}
	b->ready = 1;
	return (0);
}

/* Sealers for a new key: the user, the recovery key and oversight. */
static int
cf_batch_sealers(struct casefile_batch *b, struct store_txn *t, char **cause)
{
	uint8_t	 pk[VAULT_PK_LEN];
	int	 rc;

	if (b->self != NULL)
		return (0);
	/* The recovery key the user's account pinned, never the row's. */
	if ((rc = account_recovery_pk(t, b->ctx->sess->user, pk, cause)) != 0)
		return (rc);
	b->recovery = vault_sealer_create(pk);
	/* The oversight key the organisation signed for, never the row. */
	if ((rc = trust_org_value(t, b->ctx->sess->user,
	    LAYOUT_LABEL_OVERSIGHT, pk, cause)) != 0)
		return (rc);
	b->oversight = vault_sealer_create(pk);
	b->self = vault_sealer_create(b->ctx->sess->user->box_pk);
	return (0);
}

/* The agents' index key, if the user holds it. */
static int
cf_batch_index(struct casefile_batch *b, struct store_txn *t, char **cause)
{
	int	 rc;

	if (b->index_tried)
		return (0);
	rc = cf_org_key(t, b->ctx->sess, CF_LABEL_INDEX, &b->index, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		rc = 0;
	}
	if (rc == 0)
		b->index_tried = 1;
	return (rc);
}

struct casefile_batch *
casefile_batch_create(struct casefile_ctx *ctx)
{
	struct casefile_batch	*b;

	b = xcalloc(1, sizeof *b);
	b->ctx = ctx;
	return (b);
}

void
casefile_batch_free(struct casefile_batch *b)
{
	if (b == NULL)
		return;
	vault_sealer_free(b->self);
	vault_sealer_free(b->recovery);
	vault_sealer_free(b->oversight);
	vault_key_free(b->index);
	casefile_batch_assignees(b, NULL);
	free(b);
}

void
casefile_batch_quiet(struct casefile_batch *b)
{
	b->quiet = 1;
}

/* Witness keys go to the assignees only (the demo's supervisor made the
 * cases, the investigators heard the witnesses). */
void
casefile_batch_witness_assignees(struct casefile_batch *b)
{
	b->witness_assignees = 1;
}

void
casefile_batch_day(struct casefile_batch *b, long day)
{
	b->day = day;
}

void
casefile_batch_assignees(struct casefile_batch *b, const char *list)
{
	size_t	 i;

	for (i = 0; i < b->nas; i++) {
		free(b->as[i].name);
		vault_sealer_free(b->as[i].sealer);
	}
	free(b->as);
	b->as = NULL;
	b->nas = 0;
	free(b->assignees);
	b->assignees = list != NULL ? xstrdup(list) : NULL;
}

/* Seal a key to each assignee of the batch (sealers made once). */
static int
cf_seal_assignees(struct store_txn *t, struct casefile_batch *b,
    const char *label, const struct vault_key *k, char **cause)
{
	uint8_t	 pk[VAULT_PK_LEN];
	char	*copy, *tok, *save;
	size_t	 i;
	enum role role;
	int	 rc = 0;

	if (b->assignees == NULL || *b->assignees == '\0')
		return (0);
	if (b->nas == 0) {
		copy = xstrdup(b->assignees);
		for (tok = strtok_r(copy, ",", &save); rc == 0 && tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if ((rc = cf_user_pk(t, b->ctx->sess, tok, pk, &role,
			    cause)) != 0)
				break;
			b->as = xrealloc(b->as, (b->nas + 1) * sizeof *b->as);
			b->as[b->nas].name = xstrdup(tok);
			b->as[b->nas].sealer = vault_sealer_create(pk);
			b->nas++;
		}
		free(copy);
		if (rc != 0)
			return (rc);
	}
	for (i = 0; rc == 0 && i < b->nas; i++)
		rc = keyring_seal_with(t, label, k, b->as[i].name,
		    b->as[i].sealer, cause);
	return (rc);
}

static int
cf_seal_new(struct store_txn *t, struct casefile_batch *b, const char *label,
    const struct vault_key *k, int oversight, char **cause)
{
	int	 rc;

	if ((rc = cf_batch_sealers(b, t, cause)) != 0)
		return (rc);
	rc = keyring_seal_with(t, label, k, b->ctx->sess->user->name, b->self,
	    cause);
	if (rc == 0)
		rc = keyring_seal_with(t, label, k, KEYRING_RECOVERY,
		    b->recovery, cause);
	if (rc == 0 && oversight && b->oversight != NULL)
		rc = keyring_seal_with(t, label, k, CF_OVERSIGHT, b->oversight,
		    cause);
	return (rc);
}

/* A new witness's key holders in the header: as sealed just before. */
static void
cf_wholders_batch(struct casefile_batch *b, struct record *h, uint64_t rid)
{
	char	*copy, *tok, *save;

	if (!b->witness_assignees || b->assignees == NULL ||
	    *b->assignees == '\0')
		cf_wholder_edit(h, rid, b->ctx->sess->user->name, 1);
	if (b->assignees == NULL)
		return;
	copy = xstrdup(b->assignees);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		cf_wholder_edit(h, rid, tok, 1);
	free(copy);
}

/* Index an agent's service number; env gets the index value. */
static int
cf_index_agent(struct store_txn *t, struct casefile_batch *b, uint64_t id,
    uint64_t rid, struct record *env, const char *number, char **cause)
{
	char	 hex[2 * VAULT_HASH_LEN + 1];
	uint8_t	*key;
	size_t	 klen;
	int	 rc;

	if ((rc = cf_batch_index(b, t, cause)) != 0)
		return (rc);
	if (b->index == NULL)
		return (err_set(cause, _("The agent index key has not reached "
		    "you yet: it is passed on when a colleague who holds it "
		    "signs in. Save the person without the service number for "
		    "now.")));
	cf_blind(b->index, number, hex);
	record_set_str(env, "bi", hex);
	key = layout_agent_key(hex, id, rid, &klen);
	rc = store_put(t, STORE_INDEX, key, klen, "", 0, 0, cause);
	free(key);
	return (rc);
}

static int
cf_unindex_agent(struct store_txn *t, uint64_t id, uint64_t rid,
    const char *hex, char **cause)
{
	uint8_t	*key;
	size_t	 len;
	int	 rc;

	key = layout_agent_key(hex, id, rid, &len);
	rc = store_del(t, STORE_INDEX, key, len, cause);
	free(key);
	return (rc == STORE_NOTFOUND ? 0 : rc);
}

/*
 * Write one record's envelope: body under ck, witness fields under wk.
 * Header-class fields go to h for the intake, else to "h.ID" fields.
 */
static int
cf_write_record(struct store_txn *t, struct casefile_batch *b, uint64_t id,
    struct record *h, const struct vault_key *ck, const struct vault_key *wk,
    const char *kind, uint64_t rid, int64_t version,
    const struct record *fields, const struct record *old, char **cause)
{
	const struct form	*fm = formset_form(b->ctx->forms, kind);
	struct record		*env, *hdr, *body, *wit;
	const void		*wb;
	const char		*num;
	char			*ad;
	size_t			 i, wblen;
	int64_t			 wv;
	int			 rc = 0;

	env = record_create();
	record_set_str(env, "kind", kind);
	record_set_int(env, "v", version);
	record_set_str(env, "by", b->ctx->sess->user->name);
	record_set_int(env, "at", now());
	hdr = record_create();
	body = record_create();
	wit = record_create();
	cf_split(fm, fields, hdr, body, wit);
	if (rid == 0) {
		for (i = 0; i < record_count(hdr); i++) {
			const void	*v;
			size_t		 len;

			v = record_value_at(hdr, i, &len);
			record_set(h, record_key_at(hdr, i), v, len);
		}
	} else {
		for (i = 0; i < record_count(hdr); i++) {
			const void	*v;
			size_t		 len;
			char		*k2;

			v = record_value_at(hdr, i, &len);
			xasprintf(&k2, "h.%s", record_key_at(hdr, i));
			record_set(env, k2, v, len);
			free(k2);
		}
	}
	ad = layout_ad_record(id, kind, rid, version);
	cf_seal_body(env, "body", ck, ad, body);
	free(ad);
	if (wk != NULL) {
		wv = old != NULL ? record_get_int(old, "wv", 0) + 1 : 1;
		record_set_int(env, "wv", wv);
		ad = layout_ad_witness(id, rid, wv);
		cf_seal_body(env, "wbody", wk, ad, wit);
		free(ad);
	} else if (record_count(wit) != 0)
		rc = err_set(cause, _("You do not hold the key of this witness; "
		    "ask the investigator who recorded it to grant it to you."));
	else if (old != NULL && (wb = record_get(old, "wbody", &wblen)) != NULL) {
		/* Not ours to open: the sealed identity is kept as it is. */
		record_set(env, "wbody", wb, wblen);
		record_set_int(env, "wv", record_get_int(old, "wv", 1));
	}
	num = record_get_str(body, "service_number");
	if (rc == 0 && num != NULL && *num != '\0')
		rc = cf_index_agent(t, b, id, rid, env, num, cause);
	if (rc == 0)
		rc = cf_put(t, id, LAYOUT_RECORD, rid, env, cause);
	record_free(env);
	record_free(hdr);
	record_free(body);
	record_free(wit);
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
	int	 rc;

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
	rc = cf_put(t, id, LAYOUT_JOURNAL, (uint64_t)seq, env, cause);
	return (rc);
}

/* Finish a change: bump the version, write the header, audit. */
int
cf_commit(struct store_txn *t, struct casefile_ctx *ctx, uint64_t id,
    struct record *h, const struct vault_key *ck, const char *action,
    const char *detail, char **cause)
{
	int	 rc;

	record_set_int(h, "version", record_get_int(h, "version", 0) + 1);
	record_set_int(h, "updated", now());
	if ((rc = cf_header_write(t, id, h, cause)) != 0 ||
	    (rc = cf_manifest_write(t, ctx->sess, id, h, ck, cause)) != 0)
		return (rc);
	return (audit_append(t, &ctx->sess->signer, action,
	    record_get_str(h, "reference"), detail, cause));
}

/*
 * Create one case in the caller's transaction: header, intake, records.
 * state NULL means the workflow's initial state.
 */
int
casefile_batch_case(struct casefile_batch *b, struct store_txn *t,
    const char *workflow, const char *state, const struct record *intake,
    const char **kinds, struct record **recs, size_t nrecs, char **refp,
    char **cause)
{
	struct casefile_ctx	*ctx = b->ctx;
	const struct workflow	*wf;
	struct workflow_clock	 clock;
	struct cf_guard_view	 gv;
	const struct form	*fm;
	struct vault_key	*ck = NULL, *wk;
	struct record		*filled;
	struct record		*h, *env, *body;
	struct tm		 tm;
	time_t			 tt = (time_t)now();
	char			 ref[64], *label, *counter, *p;
	uint64_t		 id, n, rid;
	size_t			 i;
	int			 rc;

	if ((rc = cf_require(ctx, ACCESS_CREATE_CASE, cause)) != 0 ||
	    (rc = cf_batch_prepare(b, t, cause)) != 0)
		return (rc);
	if ((wf = workflow_find(ctx->flows, workflow)) == NULL)
		return (err_set(cause, _("There is no workflow '%s'."),
		    workflow));
	if (state == NULL)
		state = wf->initial;
	if (workflow_state(wf, state) == NULL)
		return (err_set(cause, _("The workflow '%s' has no state '%s'."),
		    workflow, state));
	/* Placed past a guard: the records it requires come along. */
	if (strcmp(state, wf->initial) != 0) {
		memset(&gv, 0, sizeof gv);
		cf_guard_view_add(&gv, "intake", intake);
		for (i = 0; i < nrecs; i++)
			cf_guard_view_add(&gv, kinds[i], recs[i]);
		rc = workflow_state_allow(wf, state, ctx->forms, gv.items, gv.n,
		    b->day != 0 ? b->day : casefile_today(), cause);
		cf_guard_view_free(&gv);
		if (rc != 0)
			return (rc);
	}
	if ((rc = store_next_id(t, "case", &id, cause)) != 0)
		return (rc);
	gmtime_r(&tt, &tm);
	xasprintf(&counter, "ref.%d", tm.tm_year + 1900);
	rc = store_next_id(t, counter, &n, cause);
	free(counter);
	if (rc != 0)
		return (rc);
	snprintf(ref, sizeof ref, "%s-%d-%04" PRIu64, b->prefix,
	    tm.tm_year + 1900, n);
	if ((rc = layout_ref_put(t, ref, id, cause)) != 0)
		return (rc == STORE_EXISTS ? err_set(cause, _("The reference %s "
		    "is already taken."), ref) : rc);

	h = record_create();
	record_set_int(h, "id", (int64_t)id);
	record_set_str(h, "reference", ref);
	record_set_str(h, "workflow", wf->id);
	record_set_str(h, "state", state);
	record_set_int(h, "created", b->day != 0 ? (int64_t)b->day * 86400 +
	    now() % 86400 : now());
	record_set_str(h, "created_by", ctx->sess->user->name);
	record_set_str(h, "assignees", "");
	workflow_clock_start(wf, &clock, b->day != 0 ? b->day :
	    casefile_today());
	if (strcmp(state, wf->initial) != 0)
		workflow_clock_move(wf, &clock, wf->initial, state, b->day != 0 ?
		    b->day : casefile_today());
	cf_set_clock(h, &clock);

	ck = vault_key_generate();
	label = layout_label_case(id);
	rc = cf_seal_new(t, b, label, ck, 1, cause);
	if (rc == 0)
		rc = cf_seal_assignees(t, b, label, ck, cause);
	free(label);
	if (b->assignees != NULL)
		record_set_str(h, "assignees", b->assignees);
	/* Import and demo too: what the intake form fills by itself. */
	filled = record_copy(intake);
	if ((fm = formset_form(ctx->forms, "intake")) != NULL)
		form_fill_automatic(fm, filled, now());
	if (rc == 0)
		rc = cf_write_record(t, b, id, h, ck, NULL, "intake", 0, 1,
		    filled, NULL, cause);
	record_free(filled);
	record_set_str(h, "reference", ref);	/* never from the intake */
	rid = 1;
	for (i = 0; rc == 0 && i < nrecs; i++, rid++) {
		wk = NULL;
		if (strcmp(kinds[i], "witness") == 0) {
			if ((rc = cf_batch_sealers(b, t, cause)) != 0)
				break;
			wk = vault_key_generate();
			label = layout_label_witness(id, rid);
			if (b->witness_assignees && b->assignees != NULL &&
			    *b->assignees != '\0')
				rc = keyring_seal_with(t, label, wk,
				    KEYRING_RECOVERY, b->recovery, cause);
			else
				rc = cf_seal_new(t, b, label, wk, 0, cause);
			if (rc == 0)
				rc = cf_seal_assignees(t, b, label, wk, cause);
			free(label);
			cf_wholders_batch(b, h, rid);
			cf_wseal(h, id, rid, wk);
			/* Assigned here, never taken from an import. */
			p = cf_pseudonym(record_get_int(h, "witnesses", 0));
			record_set_str(recs[i], "pseudonym", p);
			free(p);
			record_set_int(h, "witnesses",
			    record_get_int(h, "witnesses", 0) + 1);
		}
		if (rc == 0)
			rc = cf_write_record(t, b, id, h, ck, wk, kinds[i], rid,
			    1, recs[i], NULL, cause);
		vault_key_free(wk);
		xasprintf(&p, "n.%s", kinds[i]);
		record_set_int(h, p, record_get_int(h, p, 0) + 1);
		free(p);
	}
	record_set_int(h, "next_rid", (int64_t)rid);
	if (rc == 0) {
		env = record_create();
		record_set_str(env, "to", state);
		body = record_create();
		rc = cf_journal(t, ctx, id, h, ck, "create", 0, env, body, NULL,
		    NULL, cause);
		record_free(body);
		record_free(env);
	}
	if (rc == 0 && b->quiet) {
		record_set_int(h, "version", 1);
		record_set_int(h, "updated", now());
		if ((rc = cf_header_write(t, id, h, cause)) == 0)
			rc = cf_manifest_write(t, ctx->sess, id, h, ck, cause);
	} else if (rc == 0)
		rc = cf_commit(t, ctx, id, h, ck, "case.create", ref, cause);
	if (rc == 0 && refp != NULL)
		*refp = xstrdup(ref);
	vault_key_free(ck);
	record_free(h);
	return (rc);
}

static int
cf_create_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op		*op = arg;
	struct casefile_batch	*b;
	int			 rc;

	free(op->ref);
	op->ref = NULL;
	b = casefile_batch_create(op->ctx);
	rc = casefile_batch_case(b, t, op->name, NULL, op->fields, NULL, NULL,
	    0, &op->ref, cause);
	casefile_batch_free(b);
	return (rc);
}

/* Register a complaint: the intake form's fields; *refp gets the reference. */
int
casefile_create(struct casefile_ctx *ctx, const char *workflow,
    struct record *intake, char **refp, char **cause)
{
	const struct form	*fm;
	struct cf_op		 op;

	*refp = NULL;
	if (cf_require(ctx, ACCESS_CREATE_CASE, cause) != 0)
		return (-1);
	if ((fm = formset_form(ctx->forms, "intake")) == NULL)
		return (err_set(cause, _("The intake form is not installed.")));
	record_unset(intake, "reference");
	form_fill_automatic(fm, intake, now());
	if (form_validate(ctx->forms, fm, intake, cause) != 0)
		return (-1);
	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.name = workflow;
	op.fields = intake;
	if (store_run(ctx->sess->store, cf_create_txn, &op, cause) != 0) {
		free(op.ref);
		return (-1);
	}
	*refp = op.ref;
	return (0);
}

/* The prefix of references (ISSPC-2026-0042): 1 to 12 A-Z or 0-9. */
int
casefile_check_prefix(const char *p, char **cause)
{
	if (*p == '\0' || strlen(p) > 12 || strspn(p,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(p))
		return (err_set(cause, _("--ref-prefix takes 1 to 12 capital "
		    "letters or digits (ISSPC, CNDH).")));
	return (0);
}

static int
cf_prefix_txn(struct store_txn *t, void *arg, char **cause)
{
	const char	*p = arg;

	return (meta_put(t, META_REF_PREFIX, p, strlen(p), 0, cause));
}

/* Set once, at init, before any case exists. */
int
casefile_set_prefix(struct store *s, const char *p, char **cause)
{
	if (casefile_check_prefix(p, cause) != 0)
		return (-1);
	return (store_run(s, cf_prefix_txn, (void *)p, cause));
}

static int
cf_find_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op	*op = arg;
	struct record	*h;
	const char	*ref;
	int		 rc;

	rc = layout_ref_get(t, op->name, &op->id, cause);
	if (rc == STORE_NOTFOUND)
		return (err_set(cause, _("There is no case %s."), op->name));
	if (rc != 0)
		return (rc);
	/* The index is clear data: the case must say it is this one. */
	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	ref = record_get_str(h, "reference");
	if (ref == NULL || strcmp(ref, op->name) != 0)
		rc = err_set(cause, _("The reference index sends %s to case "
		    "number %" PRIu64 ", which is %s: the index was changed "
		    "outside dossier; nothing was read or written."), op->name,
		    op->id, ref != NULL ? ref : "?");
	record_free(h);
	return (rc);
}

/* A reference (ISSPC-2026-0042) or a case number to a case id. */
int
casefile_find(struct casefile_ctx *ctx, const char *ref, uint64_t *id,
    char **cause)
{
	struct cf_op	 op;
	char		*end;
	unsigned long long n;

	if (*ref >= '1' && *ref <= '9') {
		n = strtoull(ref, &end, 10);
		if (*end == '\0') {
			*id = n;
			return (0);
		}
	}
	if (strlen(ref) >= CASEFILE_REF_MAX)
		return (err_set(cause, _("'%.20s...' is not a case reference."),
		    ref));
	memset(&op, 0, sizeof op);
	op.name = ref;
	if (store_run(ctx->sess->store, cf_find_txn, &op, cause) != 0)
		return (-1);
	*id = op.id;
	return (0);
}

static int
cf_add_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op		*op = arg;
	struct casefile_ctx	*ctx = op->ctx;
	struct casefile_batch	*b;
	struct vault_key	*ck = NULL, *wk = NULL;
	struct record		*h = NULL, *env, *body, *wit, *fields;
	const struct form	*fm = formset_form(ctx->forms, op->kind);
	char			*label, *p, *detail;
	uint64_t		 rid;
	int			 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	if ((rc = cf_writable(ctx, h, cause)) != 0 ||
	    (rc = cf_key_for_write(t, ctx, op->id, h, &ck, cause)) != 0) {
		record_free(h);
		return (rc);
	}
	b = casefile_batch_create(ctx);
	if ((rc = cf_batch_prepare(b, t, cause)) != 0)
		goto out;
	rid = (uint64_t)record_get_int(h, "next_rid", 1);
	record_set_int(h, "next_rid", (int64_t)rid + 1);
	fields = record_copy(op->fields);
	if (strcmp(op->kind, "witness") == 0) {
		wk = vault_key_generate();
		label = layout_label_witness(op->id, rid);
		rc = cf_seal_new(t, b, label, wk, 0, cause);
		free(label);
		cf_wholder_edit(h, rid, ctx->sess->user->name, 1);
		cf_wseal(h, op->id, rid, wk);
		p = cf_pseudonym(record_get_int(h, "witnesses", 0));
		record_set_str(fields, "pseudonym", p);
		free(p);
		record_set_int(h, "witnesses",
		    record_get_int(h, "witnesses", 0) + 1);
	}
	if (rc == 0)
		rc = cf_write_record(t, b, op->id, h, ck, wk, op->kind, rid, 1,
		    fields, NULL, cause);
	if (rc == 0) {
		xasprintf(&p, "n.%s", op->kind);
		record_set_int(h, p, record_get_int(h, p, 0) + 1);
		free(p);
		env = record_create();
		record_set_str(env, "kind", op->kind);
		body = record_create();
		wit = record_create();
		cf_split(fm, fields, body, body, wit);
		rc = cf_journal(t, ctx, op->id, h, ck, "add", rid, env, body,
		    wk, wit, cause);
		record_free(env);
		record_free(body);
		record_free(wit);
	}
	record_free(fields);
	if (rc == 0) {
		xasprintf(&detail, "%s %" PRIu64, op->kind, rid);
		rc = cf_commit(t, ctx, op->id, h, ck, "record.add", detail, cause);
		free(detail);
	}
	if (rc == 0)
		op->rid = rid;
out:
	casefile_batch_free(b);
	vault_key_free(ck);
	vault_key_free(wk);
	record_free(h);
	return (rc);
}

/* Add a record (person, agent, allegation, witness, ...) to a case. */
int
casefile_add(struct casefile_ctx *ctx, uint64_t id, const char *kind,
    struct record *fields, uint64_t *rid, char **cause)
{
	const struct form	*fm;
	struct cf_op		 op;

	if (cf_require(ctx, ACCESS_EDIT_CASE, cause) != 0)
		return (-1);
	if (strcmp(kind, "intake") == 0 ||
	    (fm = formset_form(ctx->forms, kind)) == NULL)
		return (err_set(cause, _("There is no form '%s' to add; see the "
		    "forms directory."), kind));
	record_unset(fields, "pseudonym");
	form_fill_automatic(fm, fields, now());
	if (form_validate(ctx->forms, fm, fields, cause) != 0)
		return (-1);
	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.kind = kind;
	op.fields = fields;
	if (store_run(ctx->sess->store, cf_add_txn, &op, cause) != 0)
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
	vault_encrypt(ck, ad, op->data, op->len, &ct, &ctlen);
	free(ad);
	layout_record_key(k, op->id, LAYOUT_BLOB, op->rid);
	rc = store_put(t, STORE_RECORDS, k, sizeof k, ct, ctlen, 0, cause);
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

static int
cf_edit_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op		*op = arg;
	struct casefile_ctx	*ctx = op->ctx;
	struct casefile_batch	*b = NULL;
	struct vault_key	*ck = NULL, *wk = NULL;
	struct record		*h = NULL, *env = NULL, *body = NULL;
	struct record		*wit = NULL, *merged = NULL, *jb, *jw, *je;
	struct record		*ch_h, *ch_b, *ch_w;
	const struct form	*fm;
	const char		*kind, *bi;
	char			*ad, *detail;
	int64_t			 v;
	size_t			 i;
	int			 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	if ((rc = cf_writable(ctx, h, cause)) != 0 ||
	    (rc = cf_key_for_write(t, ctx, op->id, h, &ck, cause)) != 0 ||
	    (rc = cf_get(t, op->id, LAYOUT_RECORD, op->rid, &env, cause)) != 0)
		goto out;
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
	if (op->data != NULL && (rc = cf_blob_put(t, op, kind, ck,
	    cause)) != 0)
		goto out;
	if (op->version >= 0 && op->version != v) {
		rc = err_set(cause, _("Record %" PRIu64 " was changed by %s "
		    "(version %" PRId64 ", you started from %" PRId64 "); your "
		    "text is kept: reopen the record and apply it again."),
		    op->rid, record_get_str(env, "by"), v, op->version);
		rc = CASEFILE_CONFLICT;
		goto out;
	}
	ad = layout_ad_record(op->id, kind, op->rid, v);
	rc = cf_open_body(env, "body", ck, ad, &body, cause);
	free(ad);
	if (rc != 0)
		goto out;
	ch_h = record_create();
	ch_b = record_create();
	ch_w = record_create();
	cf_split(fm, op->fields, ch_h, ch_b, ch_w);
	if (record_get(env, "wbody", NULL) != NULL) {
		rc = cf_witness_key(t, ctx->sess, op->id, op->rid, &wk, cause);
		if (rc == STORE_NOTFOUND && record_count(ch_w) == 0)
			rc = 0;		/* the case-class part only */
		else if (rc == STORE_NOTFOUND)
			rc = err_set(cause, _("You do not hold the key of this "
			    "witness; ask the investigator who recorded it to "
			    "grant it to you."));
		if (rc == 0 && wk != NULL) {
			ad = layout_ad_witness(op->id, op->rid,
			    record_get_int(env, "wv", 1));
			rc = cf_open_body(env, "wbody", wk, ad, &wit, cause);
			free(ad);
		}
	}
	if (rc != 0) {
		record_free(ch_h);
		record_free(ch_b);
		record_free(ch_w);
		goto out;
	}
	if (wit == NULL)
		wit = record_create();
	/* A witness marked for a new key gets it before anything is added. */
	if (wk != NULL && cf_wrekey_due(h, op->rid)) {
		struct vault_key	*nk = NULL;

		if ((rc = cf_rekey_witness(t, ctx, op->id, h, op->rid, wk, &nk,
		    cause)) != 0) {
			record_free(ch_h);
			record_free(ch_b);
			record_free(ch_w);
			goto out;
		}
		vault_key_free(wk);
		wk = nk;
	}

	/* The record as it would be saved, checked against its form. */
	merged = record_create();
	if (op->rid == 0)
		for (i = 0; i < fm->nfields; i++)
			if (fm->fields[i].class == FORM_HEADER &&
			    record_get(h, fm->fields[i].id, NULL) != NULL) {
				const void	*hv;
				size_t		 hl;

				hv = record_get(h, fm->fields[i].id, &hl);
				record_set(merged, fm->fields[i].id, hv, hl);
			}
	record_merge(merged, body);
	record_merge(merged, wit);
	jb = record_create();
	jw = record_create();
	cf_diff(merged, ch_h, jb);
	cf_diff(merged, ch_b, jb);
	cf_diff(merged, ch_w, jw);
	record_merge(merged, op->fields);
	for (i = 0; i < record_count(op->fields); i++) {
		size_t	 l;

		record_value_at(op->fields, i, &l);
		if (l == 0)
			record_unset(merged, record_key_at(op->fields, i));
	}
	record_free(ch_h);
	record_free(ch_b);
	record_free(ch_w);
	if (form_validate_skip(ctx->forms, fm, merged, wk == NULL &&
	    record_get(env, "wbody", NULL) != NULL ? FORM_WITNESS : -1,
	    cause) != 0) {
		rc = -1;
		record_free(jb);
		record_free(jw);
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
				record_unset(h, fm->fields[i].id);
	}
	/* The blind index follows the service number. */
	if ((bi = record_get_str(env, "bi")) != NULL)
		rc = cf_unindex_agent(t, op->id, op->rid, bi, cause);
	b = casefile_batch_create(ctx);
	if (rc == 0)
		rc = cf_batch_prepare(b, t, cause);
	if (rc == 0)
		rc = cf_write_record(t, b, op->id, h, ck, wk, kind, op->rid,
		    v + 1, merged, env, cause);
	if (rc == 0) {
		je = record_create();
		record_set_str(je, "kind", kind);
		rc = cf_journal(t, ctx, op->id, h, ck, "edit", op->rid, je, jb,
		    wk, jw, cause);
		record_free(je);
	}
	record_free(jb);
	record_free(jw);
	if (rc == 0) {
		xasprintf(&detail, "%s %" PRIu64 " v%" PRId64, kind, op->rid,
		    v + 1);
		rc = cf_commit(t, ctx, op->id, h, ck, "record.edit", detail, cause);
		free(detail);
	}
out:
	casefile_batch_free(b);
	vault_key_free(ck);
	vault_key_free(wk);
	record_free(h);
	record_free(env);
	record_free(body);
	record_free(wit);
	record_free(merged);
	return (rc);
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
	int		 rc;

	if (cf_require(ctx, ACCESS_EDIT_CASE, cause) != 0)
		return (-1);
	record_unset(changes, "reference");
	record_unset(changes, "pseudonym");
	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.rid = rid;
	op.fields = changes;
	op.version = version;
	rc = store_run(ctx->sess->store, cf_edit_txn, &op, cause);
	return (rc == CASEFILE_CONFLICT ? CASEFILE_CONFLICT : rc != 0 ? -1 : 0);
}

static int
cf_move_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op			*op = arg;
	struct casefile_ctx		*ctx = op->ctx;
	const struct workflow		*wf;
	const struct workflow_transition *tr;
	struct workflow_clock		 clock;
	struct cf_guard_view		 gv;
	struct vault_key		*ck = NULL;
	struct record			*h, *env, *body;
	const char			*state;
	char				*from = NULL, *to, *detail;
	int				 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	state = record_get_str(h, "state");
	if ((wf = cf_workflow(ctx, h, cause)) == NULL || state == NULL) {
		record_free(h);
		return (-1);
	}
	tr = workflow_transition(wf, state, op->name);
	if ((rc = workflow_allows(wf, tr, state, ctx->sess->user->role,
	    op->text, cause)) != 0 ||
	    (rc = cf_key_for_write(t, ctx, op->id, h, &ck, cause)) != 0) {
		record_free(h);
		return (rc);
	}
	from = xstrdup(state);
	casefile_clock(h, &clock);
	to = xstrdup(workflow_target(tr, &clock));
	if (workflow_state(wf, to) == NULL) {
		rc = err_set(cause, _("There is no state to return to."));
		goto out;
	}
	/* What the move requires first (workflow-guard.c). */
	if (tr->nguards != 0) {
		if ((rc = cf_guard_view(t, op->id, h, ck, &gv, cause)) == 0)
			rc = workflow_guards_allow(wf, tr, to, ctx->forms,
			    gv.items, gv.n, casefile_today(), cause);
		cf_guard_view_free(&gv);
		if (rc != 0)
			goto out;
	}
	if (op->flag)
		goto out;	/* casefile_move_check(): allowed, not made */
	workflow_clock_move(wf, &clock, from, to, casefile_today());
	cf_set_clock(h, &clock);
	record_set_str(h, "state", to);
	env = record_create();
	record_set_str(env, "from", from);
	record_set_str(env, "to", to);
	record_set_str(env, "transition", tr->id);
	body = record_create();
	if (op->text != NULL && *op->text != '\0')
		record_set_str(body, "reason", op->text);
	rc = cf_journal(t, ctx, op->id, h, ck, "move", 0, env, body, NULL,
	    NULL, cause);
	record_free(env);
	record_free(body);
	if (rc == 0) {
		xasprintf(&detail, "%s -> %s", from, to);
		rc = cf_commit(t, ctx, op->id, h, ck, "case.move", detail, cause);
		free(detail);
	}
	if (rc == 0) {
		free(op->ref);		/* from an earlier, retried try */
		op->ref = xstrdup(to);
	}
out:
	free(from);
	free(to);
	vault_key_free(ck);
	record_free(h);
	return (rc);
}

/*
 * Move a case by a transition id or the name of the state it leads to.
 * *newstate gets the state reached.
 */
int
casefile_move(struct casefile_ctx *ctx, uint64_t id, const char *name,
    const char *reason, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.name = name;
	op.text = reason;
	if (store_run(ctx->sess->store, cf_move_txn, &op, cause) != 0) {
		free(op.ref);
		return (-1);
	}
	free(op.ref);
	return (0);
}

/*
 * Would casefile_move() make this move now?  The same checks (role,
 * reason, key, guards) in a transaction that writes nothing, so that the
 * screens ask for a confirmation only of a move that can be made.
 */
int
casefile_move_check(struct casefile_ctx *ctx, uint64_t id, const char *name,
    const char *reason, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.name = name;
	op.text = reason;
	op.flag = 1;
	return (store_run(ctx->sess->store, cf_move_txn, &op, cause) != 0 ?
	    -1 : 0);
}

static const char *cf_events[] = {
	"referral_prosecutor",	/* referred to the public prosecutor */
	"interim_measure",	/* suspension or other interim measure */
	"protection_measure",	/* a witness or victim protection step */
	"notification",		/* a notification to agent or complainant */
	"note"
};

int
casefile_event_valid(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof cf_events / sizeof cf_events[0]; i++)
		if (strcmp(cf_events[i], name) == 0)
			return (1);
	return (0);
}

static int
cf_event_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op		*op = arg;
	struct casefile_ctx	*ctx = op->ctx;
	struct vault_key	*ck = NULL;
	struct record		*h, *env, *body;
	int			 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	if ((rc = cf_key_for_write(t, ctx, op->id, h, &ck, cause)) != 0) {
		record_free(h);
		return (rc);
	}
	env = record_create();
	record_set_str(env, "event", op->name);
	record_set_str(env, "state", record_get_str(h, "state"));
	body = record_create();
	if (op->text != NULL && *op->text != '\0')
		record_set_str(body, "text", op->text);
	rc = cf_journal(t, ctx, op->id, h, ck, "event", 0, env, body, NULL,
	    NULL, cause);
	record_free(env);
	record_free(body);
	if (rc == 0 && strcmp(op->name, "referral_prosecutor") == 0)
		record_set_int(h, "referred", now());
	if (rc == 0)
		rc = cf_commit(t, ctx, op->id, h, ck, "case.event", op->name, cause);
	vault_key_free(ck);
	record_free(h);
	return (rc);
}

/* An event at any stage (referral to the prosecutor, ...). */
int
casefile_event(struct casefile_ctx *ctx, uint64_t id, const char *name,
    const char *text, char **cause)
{
	struct cf_op	 op;

	if (cf_require(ctx, ACCESS_EDIT_CASE, cause) != 0)
		return (-1);
	if (!casefile_event_valid(name))
		return (err_set(cause, _("Unknown event '%s': use "
		    "referral_prosecutor, interim_measure, protection_measure, "
		    "notification or note."), name));
	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.name = name;
	op.text = text;
	return (store_run(ctx->sess->store, cf_event_txn, &op, cause));
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
	uint8_t		 sum[VAULT_SHA256_LEN];
	char		*hex, num[32];
	int		 rc;

	if (cf_require(ctx, ACCESS_EDIT_CASE, cause) != 0)
		return (-1);
	if (len > CASEFILE_BLOB_MAX)
		return (err_set(cause, _("The file is too large (%zu bytes; at "
		    "most %u)."), len, CASEFILE_BLOB_MAX));
	vault_sha256(data, len, sum);
	hex = vault_hex(sum, sizeof sum);
	snprintf(num, sizeof num, "%zu", len);
	memset(&op, 0, sizeof op);
	op.ctx = ctx;
	op.id = id;
	op.rid = rid;
	op.data = data;
	op.len = len;
	op.version = -1;
	op.fields = record_create();
	record_set_str(op.fields, "file", name);
	record_set_str(op.fields, "file_sha256", hex);
	record_set_str(op.fields, "file_size", num);
	rc = store_run(ctx->sess->store, cf_edit_txn, &op, cause);
	record_free(op.fields);
	free(hex);
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

static int
cf_audit_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op	*op = arg;
	struct record	*h;
	int		 rc;

	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
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
