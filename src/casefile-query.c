/*
 * casefile-query.c: reading cases: one case with its records and journal,
 * the case list with its filters, and an agent's other cases through the
 * blind index.
 *
 * Reading witness identities appends an audit entry, so casefile_open()
 * runs in a write transaction when asked for them; everything else only
 * reads.  The list reads clear headers only and needs no key.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
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
#include "util.h"
#include "vault.h"
#include "workflow.h"

/*
 * casefile_open() for a search: a case without the user's key is not
 * checked at all, since nothing of it is read.  One with a key is checked
 * whole, signature included: a sealed key proves nothing of who sealed
 * it (anyone may seal one to a user's public key), so a file writer can
 * plant a case key of their own and make the keyed hash match; only the
 * author's signature tells (test-manifest.c, a key planted for a search).
 */
#define CQ_SEARCH	0x100

struct cq_open {
	struct casefile_ctx	*ctx;
	uint64_t		 id;
	int			 flags;
	struct casefile		*cf;
};

static void
cq_reset(struct casefile *cf)
{
	size_t	 i;

	record_free(cf->header);
	for (i = 0; i < cf->nrecs; i++) {
		free(cf->recs[i].kind);
		free(cf->recs[i].by);
		record_free(cf->recs[i].fields);
	}
	free(cf->recs);
	for (i = 0; i < cf->njournal; i++) {
		free(cf->journal[i].by);
		free(cf->journal[i].what);
		record_free(cf->journal[i].body);
	}
	free(cf->journal);
	memset(cf, 0, sizeof *cf);
}

void
casefile_free(struct casefile *cf)
{
	if (cf == NULL)
		return;
	cq_reset(cf);
	free(cf);
}

const struct casefile_rec *
casefile_rec(const struct casefile *cf, uint64_t rid)
{
	size_t	 i;

	for (i = 0; i < cf->nrecs; i++)
		if (cf->recs[i].rid == rid)
			return (&cf->recs[i]);
	return (NULL);
}

/* Decode one record envelope into cf->recs. */
static int
cq_record(struct store_txn *t, struct cq_open *o, uint64_t rid,
    const struct record *env, const struct vault_key *ck, int *viewed,
    char **cause)
{
	struct casefile		*cf = o->cf;
	struct casefile_rec	*r;
	struct record		*body;
	struct vault_key	*wk;
	const char		*kind = record_get_str(env, "kind"), *key;
	const void		*v;
	char			*ad;
	size_t			 i, len;
	int			 rc;

	cf->recs = xrealloc(cf->recs, (cf->nrecs + 1) * sizeof *cf->recs);
	r = &cf->recs[cf->nrecs++];
	memset(r, 0, sizeof *r);
	r->rid = rid;
	r->kind = xstrdup(kind != NULL ? kind : "?");
	r->version = record_get_int(env, "v", 0);
	r->by = xstrdup(record_get_str(env, "by") != NULL ?
	    record_get_str(env, "by") : "");
	r->at = record_get_int(env, "at", 0);
	r->fields = record_create();
	for (i = 0; i < record_count(env); i++) {
		key = record_key_at(env, i);
		if (strncmp(key, "h.", 2) == 0) {
			v = record_value_at(env, i, &len);
			record_set(r->fields, key + 2, v, len);
		}
	}
	if (rid == 0) {
		/* The intake's header-class fields live in the header. */
		record_merge(r->fields, cf->header);
	}
	if (ck == NULL) {
		r->locked = 1;
		r->witness_locked = record_get(env, "wbody", NULL) != NULL;
		return (0);
	}
	ad = layout_ad_record(cf->id, r->kind, rid, r->version);
	rc = cf_open_body(env, "body", ck, ad, &body, cause);
	free(ad);
	if (rc != 0)
		return (rc);
	record_merge(r->fields, body);
	record_free(body);
	if (record_get(env, "wbody", NULL) == NULL)
		return (0);
	r->witness_locked = 1;
	if ((o->flags & CASEFILE_WITNESSES) == 0)
		return (0);
	rc = cf_witness_key(t, o->ctx->sess, cf->id, rid, &wk, cause);
	if (rc == STORE_NOTFOUND)
		return (0);
	if (rc != 0)
		return (rc);
	ad = layout_ad_witness(cf->id, rid, record_get_int(env, "wv", 1));
	rc = cf_open_body(env, "wbody", wk, ad, &body, cause);
	free(ad);
	vault_key_free(wk);
	if (rc != 0)
		return (rc);
	record_merge(r->fields, body);
	record_free(body);
	r->witness_locked = 0;
	(*viewed)++;
	return (0);
}

static int
cq_journal(struct store_txn *t, struct cq_open *o, uint64_t seq,
    const struct record *env, const struct vault_key *ck, char **cause)
{
	struct casefile		*cf = o->cf;
	struct casefile_event	*e;
	struct record		*body, *wbody;
	struct vault_key	*wk;
	const void		*v;
	const char		*key;
	char			*ad;
	size_t			 i, len;
	int			 rc = 0;

	cf->journal = xrealloc(cf->journal, (cf->njournal + 1) *
	    sizeof *cf->journal);
	e = &cf->journal[cf->njournal++];
	memset(e, 0, sizeof *e);
	e->seq = seq;
	e->at = record_get_int(env, "at", 0);
	e->by = xstrdup(record_get_str(env, "by") != NULL ?
	    record_get_str(env, "by") : "");
	e->what = xstrdup(record_get_str(env, "what") != NULL ?
	    record_get_str(env, "what") : "");
	e->rid = (uint64_t)record_get_int(env, "rid", 0);
	e->body = record_create();
	for (i = 0; i < record_count(env); i++) {
		key = record_key_at(env, i);
		if (strcmp(key, "body") == 0 || strcmp(key, "wbody") == 0)
			continue;
		v = record_value_at(env, i, &len);
		record_set(e->body, key, v, len);
	}
	if (ck != NULL && record_get(env, "body", NULL) != NULL) {
		ad = layout_ad_journal(cf->id, seq);
		rc = cf_open_body(env, "body", ck, ad, &body, cause);
		free(ad);
		if (rc != 0)
			return (rc);
		record_merge(e->body, body);
		record_free(body);
	}
	if ((o->flags & CASEFILE_WITNESSES) == 0 ||
	    record_get(env, "wbody", NULL) == NULL)
		return (0);
	rc = cf_witness_key(t, o->ctx->sess, cf->id, e->rid, &wk, cause);
	if (rc == STORE_NOTFOUND)
		return (0);
	if (rc != 0)
		return (rc);
	ad = layout_ad_journal_witness(cf->id, seq);
	rc = cf_open_body(env, "wbody", wk, ad, &wbody, cause);
	free(ad);
	vault_key_free(wk);
	if (rc == 0) {
		record_merge(e->body, wbody);
		record_free(wbody);
	}
	return (rc);
}

struct cq_item {
	int		 type;
	uint64_t	 n;
	struct record	*env;
};

struct cq_items {
	struct cq_item	*list;
	size_t		 n;
};

static int
cq_items_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cq_items	*it = arg;
	const uint8_t	*key = k;
	struct record	*env;

	if (klen != LAYOUT_RECORD_KEYLEN || (key[8] != LAYOUT_RECORD && key[8] != LAYOUT_JOURNAL))
		return (0);
	if ((env = record_decode(v, vlen, NULL)) == NULL)
		return (0);
	it->list = xrealloc(it->list, (it->n + 1) * sizeof *it->list);
	it->list[it->n].type = key[8];
	it->list[it->n].n = get_be64(key + 9);
	it->list[it->n].env = env;
	it->n++;
	return (0);
}

static int
cq_open_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cq_open		*o = arg;
	struct cq_items		 it;
	struct vault_key	*ck = NULL;
	struct cf_scan		*sc = NULL;
	size_t			 i;
	int			 rc, viewed = 0;

	cq_reset(o->cf);
	o->cf->id = o->id;
	if ((rc = cf_header_read(t, o->id, &o->cf->header, cause)) != 0)
		return (rc);
	if (access_allows(o->ctx->sess->user->role, ACCESS_READ_CASE)) {
		rc = cf_case_key(t, o->ctx->sess, o->id, &ck, cause);
		if (rc != 0 && rc != STORE_NOTFOUND)
			return (rc);
	}
	o->cf->readable = ck != NULL;
	if ((o->flags & CQ_SEARCH) && ck == NULL)
		return (0);
	/*
	 * One read of the case for both the check and what is shown;
	 * nothing of a case that does not match its manifest is shown: its
	 * items are only decoded envelopes until the check passes.
	 */
	memset(&it, 0, sizeof it);
	rc = cf_manifest_scan(t, o->id, cq_items_cb, &it, &sc, cause);
	if (rc == 0)
		rc = cf_manifest_check_scanned(t, o->id, o->cf->header, ck,
		    o->ctx->sess->user->root_pk, sc, cause);
	cf_scan_free(sc);
	for (i = 0; rc == 0 && i < it.n; i++) {
		if (it.list[i].type == LAYOUT_RECORD)
			rc = cq_record(t, o, it.list[i].n, it.list[i].env, ck,
			    &viewed, cause);
		else if (o->flags & CASEFILE_JOURNAL)
			rc = cq_journal(t, o, it.list[i].n, it.list[i].env, ck,
			    cause);
	}
	for (i = 0; i < it.n; i++)
		record_free(it.list[i].env);
	free(it.list);
	if (rc == 0 && viewed != 0) {
		store_txn_local_ok(t);
		rc = audit_appendf(t, &o->ctx->sess->signer, "witness.view",
		    record_get_str(o->cf->header, "reference"), cause,
		    "%d witness record(s)", viewed);
	}
	vault_key_free(ck);
	return (rc);
}

/* Read a case with what this user may read of it. */
int
casefile_open(struct casefile_ctx *ctx, uint64_t id, int flags,
    struct casefile **cfp, char **cause)
{
	struct cq_open	 o;

	*cfp = NULL;
	memset(&o, 0, sizeof o);
	o.ctx = ctx;
	o.id = id;
	o.flags = flags;
	o.cf = xcalloc(1, sizeof *o.cf);
	if (store_run(ctx->sess->store, cq_open_txn, &o, cause) != 0) {
		casefile_free(o.cf);
		return (-1);
	}
	*cfp = o.cf;
	return (0);
}

/* What a case list line, its filters and the dashboard read. */
static const char *cq_list_keys[] = {
	"id", "reference", "workflow", "state", "created", "assignees",
	"region", "force", "categories", "victim_sex", "victim_age",
	"facts_date", "received", "urgent_risk", "version",
	"clock.entered", "clock.deadline", "clock.paused_since",
	"clock.paused_days", "clock.resume_left", "clock.resume",
	"clock.previous"
};
#define CQ_NKEYS (sizeof cq_list_keys / sizeof cq_list_keys[0])

static int
cq_strcmp(const void *a, const void *b)
{
	return (strcmp(*(const char * const *)a, *(const char * const *)b));
}

struct cq_list {
	struct casefile_ctx		*ctx;
	const struct casefile_filter	*filter;
	const char			*keys[CQ_NKEYS + 1]; /* + the filter's */
	size_t				 nkeys;
	struct casefile_summary		*list;
	size_t				 n;
	long				 today;
};

static int
cq_has_id(const struct casefile_filter *f, uint64_t id)
{
	size_t	 i;

	for (i = 0; i < f->nids; i++)
		if (f->ids[i] == id)
			return (1);
	return (0);
}

/* Is the case in a terminal state of its workflow (closed)? */
static int
cq_terminal(const struct casefile_ctx *ctx, const struct record *h)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const char			*w, *s;

	if (ctx->flows == NULL || (w = record_get_str(h, "workflow")) == NULL ||
	    (s = record_get_str(h, "state")) == NULL ||
	    (wf = workflow_find(ctx->flows, w)) == NULL ||
	    (st = workflow_state(wf, s)) == NULL)
		return (0);
	return (st->terminal);
}

static int
cq_list_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cq_list			*l = arg;
	const struct casefile_filter	*f = l->filter;
	struct workflow_clock		 clock;
	struct record			*h;
	const char			*s;
	long				 overdue;

	if (klen != 8 || (h = record_decode_keys(v, vlen, l->keys, l->nkeys,
	    NULL)) == NULL)
		return (0);
	if (f != NULL) {
		if ((f->state != NULL && ((s = record_get_str(h, "state")) ==
		    NULL || !list_has(f->state, s))) ||
		    (f->field != NULL && f->value != NULL &&
		    !list_has(record_get_str(h, f->field), f->value)) ||
		    (f->region != NULL && ((s = record_get_str(h, "region")) ==
		    NULL || strcmp(s, f->region) != 0)) ||
		    (f->workflow != NULL && ((s = record_get_str(h,
		    "workflow")) == NULL || strcmp(s, f->workflow) != 0)) ||
		    (f->assignee != NULL && !list_has(record_get_str(h,
		    "assignees"), f->assignee))) {
			record_free(h);
			return (0);
		}
	}
	if (f != NULL && f->ids != NULL && !cq_has_id(f, get_be64(k))) {
		record_free(h);
		return (0);
	}
	if (f != NULL && f->open && cq_terminal(l->ctx, h)) {
		record_free(h);
		return (0);
	}
	casefile_clock(h, &clock);
	overdue = workflow_overdue(&clock, l->today);
	if (f != NULL && f->overdue && overdue == 0) {
		record_free(h);
		return (0);
	}
	if ((l->n & (l->n - 1)) == 0 || l->n == 0)
		l->list = xrealloc(l->list, (l->n == 0 ? 1 : 2 * l->n) *
		    sizeof *l->list);
	l->list[l->n].id = get_be64(k);
	l->list[l->n].header = h;
	l->list[l->n].overdue = overdue;
	l->n++;
	return (0);
}

static int
cq_list_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cq_list	*l = arg;
	int		 rc;

	casefile_list_free(l->list, l->n);
	l->list = NULL;
	l->n = 0;
	/* Every header (1,000,000 cases) in one state, few locks. */
	if ((rc = audit_hold(t, cause)) != 0)
		return (rc);
	return (store_scan(t, STORE_CASES, NULL, 0, cq_list_cb, l, cause));
}

/* The clear headers of the cases matching filter (NULL: all). */
int
casefile_list(struct casefile_ctx *ctx, const struct casefile_filter *filter,
    struct casefile_summary **listp, size_t *np, char **cause)
{
	struct cq_list	 l;

	memset(&l, 0, sizeof l);
	l.ctx = ctx;
	l.filter = filter;
	l.today = casefile_today();
	memcpy(l.keys, cq_list_keys, sizeof cq_list_keys);
	l.nkeys = CQ_NKEYS;
	if (filter != NULL && filter->field != NULL)
		l.keys[l.nkeys++] = filter->field;
	qsort(l.keys, l.nkeys, sizeof l.keys[0], cq_strcmp);
	if (store_run(ctx->sess->store, cq_list_txn, &l, cause) != 0) {
		casefile_list_free(l.list, l.n);
		return (-1);
	}
	*listp = l.list;
	*np = l.n;
	return (0);
}

struct cq_some {
	const uint64_t			*ids;
	size_t				 n;
	struct casefile_summary		*list;
	long				 today;
	const char			*keys[CQ_NKEYS];
};

static int
cq_some_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cq_some		*q = arg;
	struct workflow_clock	 clock;
	struct record		*h;
	uint8_t			 k[8], *v;
	size_t			 len, i;
	int			 rc;

	for (i = 0; i < q->n; i++) {
		record_free(q->list[i].header);
		q->list[i].header = NULL;
	}
	for (i = 0; i < q->n; i++) {
		q->list[i].id = q->ids[i];
		put_be64(k, q->ids[i]);
		rc = store_get(t, STORE_CASES, k, sizeof k, &v, &len, cause);
		if (rc == STORE_NOTFOUND) {
			err_clear(cause);
			q->list[i].header = record_create();
			continue;
		}
		if (rc != 0)
			return (rc);
		h = record_decode_keys(v, len, q->keys, CQ_NKEYS, NULL);
		free(v);
		if (h == NULL)
			h = record_create();
		casefile_clock(h, &clock);
		q->list[i].header = h;
		q->list[i].overdue = workflow_overdue(&clock, q->today);
	}
	return (0);
}

/*
 * The list lines of these cases only (what is on screen), in one short
 * transaction; a case that is not there has an empty header.
 */
int
casefile_summaries(struct casefile_ctx *ctx, const uint64_t *ids, size_t n,
    struct casefile_summary **listp, char **cause)
{
	struct cq_some	 q;

	q.ids = ids;
	q.n = n;
	q.list = xcalloc(n + 1, sizeof *q.list);
	q.today = casefile_today();
	memcpy(q.keys, cq_list_keys, sizeof cq_list_keys);
	qsort(q.keys, CQ_NKEYS, sizeof q.keys[0], cq_strcmp);
	if (store_run(ctx->sess->store, cq_some_txn, &q, cause) != 0) {
		casefile_list_free(q.list, n);
		*listp = NULL;
		return (-1);
	}
	*listp = q.list;
	return (0);
}

void
casefile_list_free(struct casefile_summary *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		record_free(list[i].header);
	free(list);
}

struct cq_agent {
	struct casefile_ctx	*ctx;
	const char		*number;
	uint64_t		*ids;
	size_t			 n;
};

static int
cq_agent_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct cq_agent	*a = arg;
	uint64_t	 id;

	(void)v;
	(void)vlen;
	if (klen < 16)
		return (0);
	id = get_be64((const uint8_t *)k + klen - 16);
	if (a->n > 0 && a->ids[a->n - 1] == id)
		return (0);
	a->ids = xrealloc(a->ids, (a->n + 1) * sizeof *a->ids);
	a->ids[a->n++] = id;
	return (0);
}

static int
cq_agent_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cq_agent		*a = arg;
	struct vault_key	**keys = NULL;
	char			 hex[2 * VAULT_HASH_LEN + 1], *prefix, *label;
	size_t			 i, j, nkeys = 0;
	int			 rc;

	free(a->ids);
	a->ids = NULL;
	a->n = 0;
	rc = cf_index_keys(t, a->ctx->sess, &keys, &nkeys, cause);
	if (rc == STORE_NOTFOUND)
		return (err_set(cause, _("The agent index key has not reached "
		    "you yet: it is passed on when a colleague who holds it "
		    "signs in.")));
	/* Under the current key and each it replaced. */
	for (i = nkeys; rc == 0 && i > 0; i--) {
		cf_blind(keys[i - 1], a->number, hex);
		prefix = layout_agent_prefix(hex);
		rc = store_scan(t, STORE_INDEX, prefix, strlen(prefix),
		    cq_agent_cb, a, cause);
		free(prefix);
	}
	for (i = 0; i < nkeys; i++)
		vault_key_free(keys[i]);
	free(keys);
	/* Outside oversight, only the cases whose key the user holds. */
	if (rc == 0 && !access_allows(a->ctx->sess->user->role,
	    ACCESS_DASHBOARD)) {
		for (i = j = 0; rc >= 0 && i < a->n; i++) {
			label = layout_label_case(a->ids[i]);
			rc = keyring_holds(t, label, a->ctx->sess->user->name,
			    cause);
			free(label);
			if (rc > 0)
				a->ids[j++] = a->ids[i];
		}
		if (rc < 0)
			return (rc);
		a->n = j;
		rc = 0;
	}
	/* Who looked up which agent is audited (by blind index only). */
	store_txn_local_ok(t);
	if (rc == 0)
		rc = audit_appendf(t, &a->ctx->sess->signer, "agent.lookup",
		    NULL, cause, "bi=%.16s %zu case(s)", hex, a->n);
	return (rc);
}

/* The cases naming an agent by this service number (blind index). */
int
casefile_agent_cases(struct casefile_ctx *ctx, const char *number,
    uint64_t **ids, size_t *n, char **cause)
{
	struct cq_agent	 a;

	if (session_require(ctx->sess, ACCESS_AGENT_LOOKUP, cause) != 0)
		return (-1);
	memset(&a, 0, sizeof a);
	a.ctx = ctx;
	a.number = number;
	if (store_run(ctx->sess->store, cq_agent_txn, &a, cause) != 0) {
		free(a.ids);
		return (-1);
	}
	*ids = a.ids;
	*n = a.n;
	return (0);
}

/*
 * What a search may find in a case beyond its clear header: the short
 * text fields (names, service numbers, ranks, units, localities, places,
 * numbers) of the records this user may read, decrypted through
 * casefile_open() (so under the case key they hold, checked against the
 * manifest, signature included), witness identities left out.  Long texts (narratives) are
 * not searched.  *text is NULL when the user holds no key of the case;
 * else one line per value, for the caller to wipe.
 */
int
casefile_search_text(struct casefile_ctx *ctx, uint64_t id, char **text,
    char **cause)
{
	struct casefile			*cf;
	const struct casefile_rec	*r;
	const struct form		*fm;
	const struct form_field		*f;
	const char			*v;
	char				*out = NULL, *n;
	size_t				 i, k;

	*text = NULL;
	if (casefile_open(ctx, id, CQ_SEARCH, &cf, cause) != 0)
		return (-1);
	if (!cf->readable) {
		casefile_free(cf);
		return (0);
	}
	out = xstrdup("");
	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (r->locked || (fm = formset_form(ctx->forms, r->kind)) == NULL)
			continue;
		for (k = 0; k < fm->nfields; k++) {
			f = &fm->fields[k];
			if (f->class == FORM_WITNESS || (f->type != FORM_TEXT &&
			    f->type != FORM_PERSON && f->type != FORM_NUMBER))
				continue;
			if ((v = record_get_str(r->fields, f->id)) == NULL ||
			    *v == '\0')
				continue;
			xasprintf(&n, "%s%s\n", out, v);
			free_wiped(out);
			out = n;
		}
	}
	casefile_free(cf);
	*text = out;
	return (0);
}
