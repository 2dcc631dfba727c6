/*
 * casefile-batch.c: creating cases, one (casefile_create) or many in one
 * transaction (import, demo), and writing a record's envelope, which
 * creation and the changes of casefile-record.c share.
 *
 * A record is stored as a clear envelope (kind, version, who, when) with
 * the case-class fields sealed under the case key in "body" and the
 * witness-class fields under the witness key in "wbody"; the associated
 * data of each names the case, kind, record and version.  A batch makes
 * what it needs (the sealers of the organisation's keys, the index key)
 * once, when first needed.
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
	}			*as;		/* every assignee seen */
	size_t			 nas;
	int			 defer;		/* counters at the end */
	struct cf_ix_counts	 counts;
	struct cf_ix_keys	 agents;	/* agent, case: counted then */
	/*
	 * A deferred batch numbers its cases itself: each counter is read
	 * (and so held) at its first case and written once, at its end.
	 */
	struct cf_seq {
		char		*name;
		uint64_t	 last;
		int		 dirty;
	}			 seq[2];	/* the cases, the references */
	/* A quiet deferred batch's audit head, read at its first witness. */
	int			 head_read;
	uint64_t		 head_seq;
	uint8_t			 head_hash[VAULT_HASH_LEN];
};


void
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
char *
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


/*
 * What a batch needs is made when first needed, once per batch: a save
 * that seals no key and indexes no agent does no public-key work here.
 */
int
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
	cf_ix_keys_free(&b->counts.plus);
	cf_ix_keys_free(&b->counts.minus);
	cf_ix_keys_free(&b->agents);
	free(b->seq[0].name);
	free(b->seq[1].name);
	free(b);
}

/* Write a counter the batch numbered from, as far as it went. */
static int
cf_seq_flush(struct store_txn *t, struct cf_seq *q, char **cause)
{
	int	 rc = 0;

	if (q->dirty)
		rc = store_set_id(t, q->name, q->last, cause);
	q->dirty = 0;
	return (rc);
}

/*
 * The next number of counter name (slot 0: the cases, 1: a year's
 * references): store_next_id() itself outside a deferred batch and for
 * a batch's first; then the following numbers, the counter written at
 * the batch's end (or when a reference's year changes).
 */
static int
cf_batch_next(struct casefile_batch *b, struct store_txn *t, int slot,
    const char *name, uint64_t *id, char **cause)
{
	struct cf_seq	*q = &b->seq[slot];
	int		 rc;

	if (!b->defer)
		return (store_next_id(t, name, id, cause));
	if (q->name != NULL && strcmp(q->name, name) == 0) {
		*id = ++q->last;
		q->dirty = 1;
		return (0);
	}
	if ((rc = cf_seq_flush(t, q, cause)) != 0 ||
	    (rc = store_next_id(t, name, id, cause)) != 0)
		return (rc);
	free(q->name);
	q->name = xstrdup(name);
	q->last = *id;
	return (0);
}

/*
 * The counters of the cases of the batch are written once, at its end:
 * the caller must then call casefile_batch_finish() in the transaction
 * of its cases before it commits.
 */
void
casefile_batch_defer(struct casefile_batch *b)
{
	b->defer = 1;
}

int
casefile_batch_finish(struct casefile_batch *b, struct store_txn *t,
    char **cause)
{
	int	 rc;

	/* The counters are read and written each in turn: no gain there. */
	if ((rc = store_txn_behind_stop(t, cause)) != 0 ||
	    (rc = cf_seq_flush(t, &b->seq[0], cause)) != 0 ||
	    (rc = cf_seq_flush(t, &b->seq[1], cause)) != 0)
		return (rc);
	if ((rc = cf_index_flush(t, &b->counts, cause)) != 0)
		return (rc);
	return (cf_agent_flush(t, &b->agents, cause));
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

/*
 * The assignees of the next cases.  The sealer of each account named is
 * kept for the whole batch, whatever the list of the next case: making
 * one is two scalar multiplications, more than the rest of a case.
 */
void
casefile_batch_assignees(struct casefile_batch *b, const char *list)
{
	size_t	 i;

	if (list == NULL) {
		for (i = 0; i < b->nas; i++) {
			free(b->as[i].name);
			vault_sealer_free(b->as[i].sealer);
		}
		free(b->as);
		b->as = NULL;
		b->nas = 0;
	}
	free(b->assignees);
	b->assignees = list != NULL ? xstrdup(list) : NULL;
}

/* The sealer of assignee name, made once per batch. */
static int
cf_assignee_sealer(struct store_txn *t, struct casefile_batch *b,
    const char *name, struct vault_sealer **sp, char **cause)
{
	uint8_t	 pk[VAULT_PK_LEN];
	size_t	 i;
	enum role role;
	int	 rc;

	for (i = 0; i < b->nas; i++)
		if (strcmp(b->as[i].name, name) == 0) {
			*sp = b->as[i].sealer;
			return (0);
		}
	if ((rc = cf_user_pk(t, b->ctx->sess, name, pk, &role, cause)) != 0)
		return (rc);
	b->as = xrealloc(b->as, (b->nas + 1) * sizeof *b->as);
	b->as[b->nas].name = xstrdup(name);
	b->as[b->nas].sealer = vault_sealer_create(pk);
	*sp = b->as[b->nas++].sealer;
	return (0);
}

/* Seal a key to each assignee of the batch (sealers made once). */
static int
cf_seal_assignees(struct store_txn *t, struct casefile_batch *b,
    const char *label, const struct vault_key *k, char **cause)
{
	struct vault_sealer	*sealer;
	char			*copy, *tok, *save;
	int			 rc = 0;

	if (b->assignees == NULL || *b->assignees == '\0')
		return (0);
	copy = xstrdup(b->assignees);
	for (tok = strtok_r(copy, ",", &save); rc == 0 && tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if ((rc = cf_assignee_sealer(t, b, tok, &sealer, cause)) == 0)
			rc = keyring_seal_with(t, label, k, tok, sealer, cause);
	free(copy);
	return (rc);
}

int
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

/* Take out a record version's entry of the agent index. */
static int
cf_unindex_agent(struct store_txn *t, uint64_t id, uint64_t rid,
    const char *hex, char **cause)
{
	return (cf_agent_del(t, hex, id, rid, cause));
}

/*
 * Index an agent's service number; env gets the index value.  The entry
 * of the version before (obi) stays when the number did not change, and
 * goes when it did.
 */
static int
cf_index_agent(struct store_txn *t, struct casefile_batch *b, uint64_t id,
    uint64_t rid, struct record *env, const char *number, const char *obi,
    char **cause)
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
	if (obi != NULL && strcmp(obi, hex) == 0)
		return (0);
	if (obi != NULL && (rc = cf_unindex_agent(t, id, rid, obi, cause)) != 0)
		return (rc);
	if (!b->defer)
		return (cf_agent_put(t, hex, id, rid, cause));
	/* A new case of a batch: counted at its end. */
	key = layout_agent_key(hex, id, rid, &klen);
	rc = store_put(t, STORE_INDEX, key, klen, "", 0, 0, cause);
	free(key);
	if (rc == 0)
		cf_agent_note(&b->agents, hex, id);
	return (rc);
}

/*
 * Write one record's envelope: body under ck, witness fields under wk.
 * Header-class fields go to h for the intake, else to "h.ID" fields.
 */
int
cf_write_record(struct store_txn *t, struct casefile_batch *b, uint64_t id,
    struct record *h, const struct vault_key *ck, const struct vault_key *wk,
    const char *kind, uint64_t rid, int64_t version,
    const struct record *fields, const struct record *old, char **cause)
{
	const struct form	*fm = formset_form(b->ctx->forms, kind);
	struct record		*env, *hdr, *body, *wit;
	const void		*wb;
	const char		*num, *obi;
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
	/* The blind index follows the service number. */
	obi = old != NULL ? record_get_str(old, "bi") : NULL;
	num = record_get_str(body, "service_number");
	if (rc == 0 && num != NULL && *num != '\0')
		rc = cf_index_agent(t, b, id, rid, env, num, obi, cause);
	else if (rc == 0 && obi != NULL)
		rc = cf_unindex_agent(t, id, rid, obi, cause);
	if (rc == 0)
		rc = cf_put(t, id, LAYOUT_RECORD, rid, env, cause);
	record_free(env);
	record_free(hdr);
	record_free(body);
	record_free(wit);
	return (rc);
}

/*
 * A witness's holders sealed with the audit log's head: read once in a
 * quiet deferred batch, which appends no entry that would move it.
 */
static int
cf_batch_wseal(struct casefile_batch *b, struct store_txn *t,
    struct record *h, uint64_t id, uint64_t rid, const struct vault_key *wk,
    char **cause)
{
	int	 rc;

	if (!b->quiet || !b->defer)
		return (cf_wseal(t, h, id, rid, wk, cause));
	if (!b->head_read) {
		if ((rc = audit_head_in(t, &b->head_seq, b->head_hash,
		    cause)) != 0)
			return (rc);
		b->head_read = 1;
	}
	cf_wseal_at(h, id, rid, wk, b->head_seq, b->head_hash);
	return (0);
}

/* A new case's records, numbered from 1 in order (form_check_links). */
struct cf_newrecs {
	const char		**kinds;
	struct record		**recs;
	size_t			  n;
};

static int
cf_newrec_lookup(void *arg, uint64_t rid, const char **kind,
    const struct record **fields)
{
	struct cf_newrecs	*nr = arg;

	if (rid == 0 || rid > nr->n)
		return (-1);
	*kind = nr->kinds[rid - 1];
	*fields = nr->recs[rid - 1];
	return (0);
}

/*
 * Create one case in the caller's transaction: header, intake, records.
 * state NULL means the workflow's initial state.
 */
static int	cf_batch_case(struct casefile_batch *, struct store_txn *,
		    const char *, const char *, const struct record *,
		    const char **, struct record **, size_t, char **, char **);

int
casefile_batch_case(struct casefile_batch *b, struct store_txn *t,
    const char *workflow, const char *state, const struct record *intake,
    const char **kinds, struct record **recs, size_t nrecs, char **refp,
    char **cause)
{
	int	 rc;

	/* A deferred batch's puts are made beside its other work. */
	if (b->defer && (rc = store_txn_behind(t, cause)) != 0)
		return (rc);
	if (b->defer) {
		cf_index_defer(&b->counts);
		cf_index_fresh(1);
	}
	rc = cf_batch_case(b, t, workflow, state, intake, kinds, recs, nrecs,
	    refp, cause);
	cf_index_defer(NULL);
	cf_index_fresh(0);
	return (rc);
}

static int
cf_batch_case(struct casefile_batch *b, struct store_txn *t,
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
	/* Links name records of this case, as the forms allow (import). */
	{
		struct cf_newrecs	 nr = { kinds, recs, nrecs };
		const struct form	*rf;

		for (i = 0; i < nrecs; i++)
			if ((rf = formset_form(ctx->forms, kinds[i])) != NULL &&
			    (rc = form_check_links(ctx->forms, rf, recs[i],
			    cf_newrec_lookup, &nr, cause)) != 0)
				return (rc);
	}
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
	if ((rc = cf_batch_next(b, t, 0, "case", &id, cause)) != 0)
		return (rc);
	/* Its items are written in key order at its end (cf_commit). */
	cf_manifest_new(t, id);
	gmtime_r(&tt, &tm);
	xasprintf(&counter, "ref.%d", tm.tm_year + 1900);
	rc = cf_batch_next(b, t, 1, counter, &n, cause);
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
			if (rc == 0)
				rc = cf_batch_wseal(b, t, h, id, rid, wk, cause);
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
	/* A batch import is audited once, by its caller. */
	if (rc == 0)
		rc = cf_commit(t, ctx, id, h, ck, b->quiet ? NULL :
		    "case.create", ref, cause);
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
