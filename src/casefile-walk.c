/*
 * casefile-walk.c: reading the header indexes and counters kept by
 * casefile-index.c: the ids of the cases matching a filter, in a sort
 * order, from index walks (casefile_ids()), and the counters with the
 * number of cases overdue today (casefile_counts()).
 *
 * A filter is one walk per condition that has an index (a state, a
 * workflow, an assignee, a region, a listed header field, overdue, a
 * list of ids), the sets intersected; "open" takes away the cases of
 * the terminal states; a header field without an index is checked on
 * the headers of the cases left.  A sort is a walk of its index keeping
 * the cases of the set (the state's sort orders the states by label).
 * Keys are read in bulk (store_scan_keys()), no value, no header.  A
 * list of one walk is also read from its end, backwards
 * (store_scan_keys_back()), for the End key.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "workflow.h"

#define CW_KEYMAX	512

static int
ci_u64cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * Reading: sets of ids from index walks.  A set holds inverted ids in
 * ascending order (newest case first), as the entries do.
 */
struct ci_set {
	uint64_t	*v;
	size_t		 n, size;
	/* For walks that stop at a day (the overdue walk). */
	size_t		 plen;
	uint64_t	 before;
};

static void
ci_set_add(struct ci_set *s, uint64_t x)
{
	if (s->n == s->size) {
		s->size = s->size == 0 ? 64 : 2 * s->size;
		s->v = xrealloc(s->v, (s->size) * sizeof *s->v);
	}
	s->v[s->n++] = x;
}

static void
ci_set_sort(struct ci_set *s)
{
	size_t	 i, j;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof *s->v, ci_u64cmp);
	for (i = j = 1; i < s->n; i++)
		if (s->v[i] != s->v[j - 1])
			s->v[j++] = s->v[i];
	s->n = j;
}

/*
 * Where x is in s (sorted, no repeats), or NULL.  Case ids are given in
 * order, so a set of every case holds every id between its ends: its
 * place is then a subtraction, not a search (a million searches were
 * most of a sort by region).
 */
static uint64_t *
ci_set_find(const struct ci_set *s, uint64_t x)
{
	if (s->n == 0)
		return (NULL);
	if (s->v[s->n - 1] - s->v[0] == s->n - 1)
		return (x >= s->v[0] && x <= s->v[s->n - 1] ?
		    &s->v[x - s->v[0]] : NULL);
	return (bsearch(&x, s->v, s->n, sizeof *s->v, ci_u64cmp));
}

/* a = a and b (both sorted). */
static void
ci_set_and(struct ci_set *a, const struct ci_set *b)
{
	size_t	 i = 0, j = 0, k = 0;

	while (i < a->n && j < b->n) {
		if (a->v[i] < b->v[j])
			i++;
		else if (a->v[i] > b->v[j])
			j++;
		else {
			a->v[k++] = a->v[i++];
			j++;
		}
	}
	a->n = k;
}

/* a = a but not b (both sorted). */
static void
ci_set_minus(struct ci_set *a, const struct ci_set *b)
{
	size_t	 i, j = 0, k = 0;

	for (i = 0; i < a->n; i++) {
		while (j < b->n && b->v[j] < a->v[i])
			j++;
		if (j < b->n && b->v[j] == a->v[i])
			continue;
		a->v[k++] = a->v[i];
	}
	a->n = k;
}

static int
ci_walk_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct ci_set	*s = arg;

	(void)v;
	(void)vlen;
	if (klen < 3 + 8)
		return (0);
	if (s->before != 0 && (klen < s->plen + 8 ||
	    get_be64((const uint8_t *)k + s->plen) >= s->before))
		return (1);
	ci_set_add(s, get_be64((const uint8_t *)k + klen - 8));
	return (0);
}

/* Add to s every case of entry name with value parts a, b (NULL: any). */
static int
ci_walk(struct store_txn *t, struct ci_set *s, const char *name,
    const char *a, const char *b, char **cause)
{
	uint8_t	 k[CW_KEYMAX];
	size_t	 len;

	if ((len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY, name, a,
	    b)) == 0)
		return (0);
	return (store_scan_keys(t, STORE_INDEX, k, len, ci_walk_cb, s,
	    cause));
}

/* The cases whose clock ran out before today. */
static int
ci_walk_overdue(struct store_txn *t, struct ci_set *s, char **cause)
{
	uint8_t	 k[CW_KEYMAX];
	int	 rc;

	s->plen = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY, "due", NULL,
	    NULL);
	s->before = (uint64_t)casefile_today();
	rc = store_scan_keys(t, STORE_INDEX, k, s->plen, ci_walk_cb, s,
	    cause);
	s->before = 0;
	return (rc);
}

static uint64_t	 ci_count_all(struct store_txn *);

struct ci_ids {
	struct casefile_ctx		*ctx;
	const struct casefile_filter	*f;
	enum casefile_sort		 sort;
	struct ci_set			 set;
	int				 all;	/* set: every case */
	int				 probe;	/* the walk alone or nothing */
	uint64_t			*out;
	size_t				 nout;
};

/* Keep in s the cases of the filter's states. */
static int
ci_states(struct store_txn *t, struct ci_ids *q, struct ci_set *s,
    char **cause)
{
	const struct casefile_filter	*f = q->f;
	const struct workflow_set	*flows = q->ctx->flows;
	char				*copy, *tok, *save;
	size_t				 j;
	int				 rc = 0;

	copy = xstrdup(f->state);
	for (tok = strtok_r(copy, ",", &save); rc == 0 && tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (f->workflow != NULL)
			rc = ci_walk(t, s, "flow", f->workflow, tok, cause);
		for (j = 0; f->workflow == NULL && flows != NULL &&
		    rc == 0 && j < flows->n; j++)
			rc = ci_walk(t, s, "flow", flows->list[j]->id, tok,
			    cause);
	}
	free(copy);
	ci_set_sort(s);
	return (rc);
}

/* The cases in a terminal state of their workflow. */
static int
ci_closed(struct store_txn *t, struct ci_ids *q, struct ci_set *s,
    char **cause)
{
	const struct workflow_set	*flows = q->ctx->flows;
	const struct workflow		*wf;
	size_t				 i, j;
	int				 rc = 0;

	for (j = 0; flows != NULL && rc == 0 && j < flows->n; j++) {
		wf = flows->list[j];
		for (i = 0; rc == 0 && i < wf->nstates; i++)
			if (wf->states[i].terminal)
				rc = ci_walk(t, s, "flow", wf->id,
				    wf->states[i].id, cause);
	}
	ci_set_sort(s);
	return (rc);
}

/*
 * The fields keys (sorted) of the header of the case whose inverted id
 * is inv: 0 and *h (NULL if it does not decode), STORE_NOTFOUND when
 * there is no such case, or an error of the store.
 */
static int
ci_header(struct store_txn *t, uint64_t inv, const char **keys, size_t n,
    struct record **h, char **cause)
{
	uint8_t	 k[8], *v;
	size_t	 len;
	int	 rc;

	*h = NULL;
	put_be64(k, ~inv);
	rc = store_get(t, STORE_CASES, k, sizeof k, &v, &len, cause);
	if (rc == STORE_NOTFOUND)
		err_clear(cause);
	if (rc != 0)
		return (rc);
	*h = record_decode_keys(v, len, keys, n, NULL);
	free(v);
	return (0);
}

/* Read the header of each case left for a field with no index. */
static int
ci_field_check(struct store_txn *t, struct ci_ids *q, char **cause)
{
	const char	*keys[1] = { q->f->field };
	struct record	*h;
	size_t		 i, n = 0;
	int		 rc, keep;

	for (i = 0; i < q->set.n; i++) {
		rc = ci_header(t, q->set.v[i], keys, 1, &h, cause);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != 0)
			return (rc);
		keep = h != NULL && list_has(record_get_str(h, q->f->field),
		    q->f->value);
		record_free(h);
		if (keep)
			q->set.v[n++] = q->set.v[i];
	}
	q->set.n = n;
	return (0);
}

/* Narrow cur by the cases of s (the first condition replaces it). */
static void
ci_narrow(struct ci_set *cur, int *have, struct ci_set *s)
{
	if (!*have) {
		free(cur->v);
		*cur = *s;
		*have = 1;
	} else {
		ci_set_and(cur, s);
		free(s->v);
	}
	memset(s, 0, sizeof *s);
}

#define CI_KEEP_OVERDUE	0x1
#define CI_KEEP_OPEN	0x2
#define CI_KEEP_STATE	0x4
#define CI_KEEP_REGION	0x8
#define CI_KEEP_ASSIGNEE 0x10
#define CI_KEEP_SET	0x20

/*
 * The conditions of a list read in parts and kept case by case: a copy
 * of its filter, whose strings it owns (ci_plan_many()), or the set of
 * the filter's cases, walked in another order (ci_plan_sorted()).
 */
struct casefile_idkeep {
	struct casefile_filter	 f;
	char			*state, *workflow, *region, *assignee;
	char			*field, *value;
	uint64_t		*ids;
	struct ci_set		 set;
	enum casefile_sort	 sort;
};

/*
 * What each case read must be to stay: overdue, or open, as its header
 * says (a list read in parts, ci_plan_filtered(); a small set of cases
 * in a filter of two conditions, ci_filter()), and of the state, region
 * and assignee of kf (ci_plan_many()).
 */
struct ci_keep {
	int				 flags;		/* CI_KEEP_* */
	const struct workflow_set	*flows;
	uint64_t			 today;
	const struct casefile_idkeep	*kf;
};

static const char *
ci_or_empty(const char *s)
{
	return (s != NULL ? s : "");
}

/* Is the (workflow, state) of a header one of the filter's, as walked? */
static int
ci_keep_state(const struct ci_keep *kp, const char *wf, const char *st)
{
	const struct casefile_filter	*f = &kp->kf->f;
	size_t				 j;

	if (f->workflow != NULL && strcmp(wf, f->workflow) != 0)
		return (0);
	if (f->state != NULL && !list_has(f->state, st))
		return (0);
	/* Without a workflow, the states of those forms/ knows. */
	for (j = 0; f->workflow == NULL && kp->flows != NULL &&
	    j < kp->flows->n; j++)
		if (strcmp(kp->flows->list[j]->id, wf) == 0)
			return (1);
	return (f->workflow != NULL);
}

/* Does the header h pass every condition of kp? */
static int
ci_keep_one(const struct ci_keep *kp, const struct record *h)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const char			*w, *s;
	int64_t				 deadline;

	w = ci_or_empty(h != NULL ? record_get_str(h, "workflow") : NULL);
	s = ci_or_empty(h != NULL ? record_get_str(h, "state") : NULL);
	if (kp->flags & CI_KEEP_OVERDUE) {
		/* As the entry "due" says: a clock that runs. */
		deadline = h != NULL ? record_get_int(h, "clock.deadline",
		    0) : 0;
		if (!(deadline > 0 && (uint64_t)deadline < kp->today &&
		    record_get_int(h, "clock.paused_since", 0) == 0))
			return (0);
	}
	if (kp->flags & CI_KEEP_OPEN) {
		/* As the "flow" entries say: not a terminal state. */
		wf = h == NULL ? NULL : workflow_find(kp->flows, w);
		st = wf == NULL ? NULL : workflow_state(wf, s);
		if (st != NULL && st->terminal)
			return (0);
	}
	if ((kp->flags & CI_KEEP_STATE) && !ci_keep_state(kp, w, s))
		return (0);
	if ((kp->flags & CI_KEEP_REGION) && (h == NULL ||
	    !list_has(record_get_str(h, "region"), kp->kf->region)))
		return (0);
	if ((kp->flags & CI_KEEP_ASSIGNEE) && (h == NULL ||
	    !list_has(record_get_str(h, "assignees"), kp->kf->assignee)))
		return (0);
	return (1);
}

/*
 * Keep in s the cases of the set of kp (CI_KEEP_SET), and those whose
 * header passes its other conditions.
 */
static int
ci_keep(struct store_txn *t, const struct ci_keep *kp, struct ci_set *s,
    char **cause)
{
	static const char		*keys[] = { "assignees",
	    "clock.deadline", "clock.paused_since", "region", "state",
	    "workflow" };
	struct record			*h;
	size_t				 i, n = 0;
	int				 rc, keep;

	if (kp->flags & CI_KEEP_SET) {
		for (i = 0; i < s->n; i++)
			if (ci_set_find(&kp->kf->set, s->v[i]) != NULL)
				s->v[n++] = s->v[i];
		s->n = n;
		n = 0;
		if ((kp->flags & ~CI_KEEP_SET) == 0)
			return (0);
	}
	for (i = 0; i < s->n; i++) {
		rc = ci_header(t, s->v[i], keys, 6, &h, cause);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != 0)
			return (rc);
		keep = ci_keep_one(kp, h);
		record_free(h);
		if (keep)
			s->v[n++] = s->v[i];
	}
	s->n = n;
	return (0);
}

/*
 * Whether the cases a filter has kept so far are few enough to read each
 * one's header for overdue or open (about 5 us each) rather than walk the
 * entries of every overdue or closed case (about 0.1 us each, half the
 * store or more): 64 at most, or fewer than a 128th of the store.
 */
static int
ci_keep_small(struct store_txn *t, struct ci_ids *q)
{
	return (q->ctx->flows != NULL && (q->set.n <= 64 ||
	    q->set.n <= ci_count_all(t) / 128));
}

static int
ci_filter(struct store_txn *t, struct ci_ids *q, char **cause)
{
	const struct casefile_filter	*f = q->f;
	struct ci_set			 s;
	struct ci_keep			 kp = { 0, q->ctx->flows,
					    (uint64_t)casefile_today(), NULL };
	size_t				 i;
	int				 rc = 0, have = 0;

	memset(&s, 0, sizeof s);
	if (f != NULL && f->state != NULL) {
		if ((rc = ci_states(t, q, &s, cause)) != 0)
			return (rc);
		ci_narrow(&q->set, &have, &s);
	} else if (f != NULL && f->workflow != NULL) {
		if ((rc = ci_walk(t, &s, "flow", f->workflow, NULL,
		    cause)) != 0)
			return (rc);
		ci_set_sort(&s);
		ci_narrow(&q->set, &have, &s);
	}
	if (f != NULL && f->field != NULL && f->value != NULL &&
	    (cf_index_listed(f->field) || strcmp(f->field,
	    "assignees") == 0)) {
		rc = ci_walk(t, &s, strcmp(f->field, "assignees") == 0 ?
		    "assignee" : f->field, f->value, NULL, cause);
		ci_set_sort(&s);
		ci_narrow(&q->set, &have, &s);
	}
	if (rc == 0 && f != NULL && f->region != NULL) {
		rc = ci_walk(t, &s, "region", f->region, NULL, cause);
		ci_narrow(&q->set, &have, &s);
	}
	if (rc == 0 && f != NULL && f->assignee != NULL) {
		rc = ci_walk(t, &s, "assignee", f->assignee, NULL, cause);
		ci_narrow(&q->set, &have, &s);
	}
	if (rc == 0 && f != NULL && f->ids != NULL) {
		for (i = 0; i < f->nids; i++)
			ci_set_add(&s, ~f->ids[i]);
		ci_set_sort(&s);
		ci_narrow(&q->set, &have, &s);
	}
	if (rc == 0 && f != NULL && f->overdue && have &&
	    ci_keep_small(t, q)) {
		kp.flags = CI_KEEP_OVERDUE;
		rc = ci_keep(t, &kp, &q->set, cause);
	} else if (rc == 0 && f != NULL && f->overdue) {
		rc = ci_walk_overdue(t, &s, cause);
		ci_set_sort(&s);
		ci_narrow(&q->set, &have, &s);
	}
	if (rc == 0 && !have) {
		rc = ci_walk(t, &q->set, "all", NULL, NULL, cause);
		q->all = f == NULL || (!f->open && (f->field == NULL ||
		    f->value == NULL));
	}
	if (rc == 0 && f != NULL && f->open && have && ci_keep_small(t, q)) {
		kp.flags = CI_KEEP_OPEN;
		rc = ci_keep(t, &kp, &q->set, cause);
	} else if (rc == 0 && f != NULL && f->open) {
		rc = ci_closed(t, q, &s, cause);
		ci_set_minus(&q->set, &s);
	}
	free(s.v);
	if (rc == 0 && f != NULL && f->field != NULL && f->value != NULL &&
	    !cf_index_listed(f->field) && strcmp(f->field, "assignees") != 0)
		rc = ci_field_check(t, q, cause);
	return (rc);
}

/* Walk a sort's entries, keeping the cases of the set, in their order. */
static int
ci_order(struct store_txn *t, struct ci_ids *q, const char *name,
    int missing_first, char **cause)
{
	struct ci_set	 w;
	uint8_t		*done;
	size_t		 i, n = 0;
	uint64_t	*p;
	int		 rc;

	memset(&w, 0, sizeof w);
	if ((rc = ci_walk(t, &w, name, NULL, NULL, cause)) != 0) {
		free(w.v);
		return (rc);
	}
	/* One entry for every case (the deadline's): the walk is the answer. */
	if (q->all && !missing_first && w.n == q->set.n) {
		q->out = w.v;
		q->nout = w.n;
		return (0);
	}
	if (q->probe) {
		free(w.v);
		return (0);
	}
	done = xcalloc(q->set.n + 1, 1);
	q->out = xcalloc(q->set.n + 1, sizeof *q->out);
	for (i = 0; i < w.n; i++) {
		p = ci_set_find(&q->set, w.v[i]);
		if (p == NULL || done[p - q->set.v])
			continue;
		done[p - q->set.v] = 1;
		q->out[n++] = *p;
	}
	free(w.v);
	/* Cases without an entry (no region): first, or last. */
	if (missing_first && n < q->set.n) {
		memmove(q->out + (q->set.n - n), q->out, n * sizeof *q->out);
		for (i = 0, n = 0; i < q->set.n; i++)
			if (!done[i])
				q->out[n++] = q->set.v[i];
	} else {
		for (i = 0; i < q->set.n; i++)
			if (!done[i])
				q->out[n++] = q->set.v[i];
	}
	free(done);
	q->nout = q->set.n;
	return (0);
}

/*
 * By the label of the state (as the list shows it), then newest first:
 * the (workflow, state) pairs come from their counters, are put in the
 * order of their labels, and each pair's entries are walked in that
 * order, newest first already: no sort of the cases.  Pairs of the same
 * label (two workflows) have their cases merged newest first.
 */
struct ci_group {
	char		*flow;		/* workflow \0 state \0 */
	size_t		 len;
	const char	*label;
};

struct ci_groups {
	struct ci_group	*list;
	size_t		 n;
};

static int
ci_groups_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_groups	*g = arg;
	const char		*flow = (const char *)k + 8;	/* "hc/flow\0" */
	size_t			 len = klen - 8;

	/* A counter's key ends with the state, without its \0. */
	if (klen <= 8 || vlen != 8 || get_be64(v) == 0 ||
	    memchr(flow, '\0', len) == NULL)
		return (0);
	g->list = xrealloc(g->list, (g->n + 1) * sizeof *g->list);
	g->list[g->n].flow = xmalloc(len + 1);
	memcpy(g->list[g->n].flow, flow, len);
	g->list[g->n].flow[len] = '\0';
	g->list[g->n].len = len + 1;
	g->n++;
	return (0);
}

static int
ci_labelcmp(const void *a, const void *b)
{
	const struct ci_group	*x = a, *y = b;
	int			 c;

	if ((c = text_cmp(x->label, y->label)) != 0)
		return (c);
	return (strcmp(x->flow, y->flow));
}

/* The (workflow, state) pairs that have cases, in the order of labels. */
static int
ci_groups_read(struct store_txn *t, struct casefile_ctx *ctx,
    struct ci_groups *g, char **cause)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const char			*state;
	size_t				 i;
	int				 rc;

	memset(g, 0, sizeof *g);
	rc = store_scan(t, STORE_INDEX, CF_INDEX_COUNT "flow", 8,
	    ci_groups_cb, g, cause);
	for (i = 0; i < g->n; i++) {
		state = g->list[i].flow + strlen(g->list[i].flow) + 1;
		g->list[i].label = state;
		if (ctx->flows != NULL && (wf = workflow_find(ctx->flows,
		    g->list[i].flow)) != NULL &&
		    (st = workflow_state(wf, state)) != NULL)
			g->list[i].label = st->label[lang_index()];
	}
	if (g->n > 0)
		qsort(g->list, g->n, sizeof *g->list, ci_labelcmp);
	return (rc);
}

static void
ci_groups_free(struct ci_groups *g)
{
	size_t	 i;

	for (i = 0; i < g->n; i++)
		free(g->list[i].flow);
	free(g->list);
	memset(g, 0, sizeof *g);
}

static int
ci_by_state(struct store_txn *t, struct ci_ids *q, char **cause)
{
	struct ci_groups		 g;
	struct ci_set			 w;
	uint64_t			*p;
	uint8_t				*done;
	size_t				 i, j, from;
	int				 rc;

	memset(&w, 0, sizeof w);
	rc = ci_groups_read(t, q->ctx, &g, cause);
	for (i = 0; rc == 0 && i < g.n; i = j) {
		from = w.n;
		for (j = i; rc == 0 && j < g.n &&
		    strcmp(g.list[j].label, g.list[i].label) == 0; j++)
			rc = ci_walk(t, &w, "flow", g.list[j].flow,
			    g.list[j].flow + strlen(g.list[j].flow) + 1, cause);
		if (j - i > 1)
			qsort(w.v + from, w.n - from, sizeof *w.v, ci_u64cmp);
	}
	ci_groups_free(&g);
	if (rc != 0) {
		free(w.v);
		return (rc);
	}
	/* Every case, once each: the walk is the answer. */
	if (q->all && w.n == q->set.n) {
		q->out = w.v;
		q->nout = w.n;
		return (0);
	}
	if (q->probe) {
		free(w.v);
		return (0);
	}
	q->out = xcalloc(w.n + q->set.n + 1, sizeof *q->out);
	done = xcalloc(q->set.n + 1, 1);
	for (i = 0; i < w.n; i++) {
		p = ci_set_find(&q->set, w.v[i]);
		if (p == NULL || done[p - q->set.v])
			continue;
		done[p - q->set.v] = 1;
		q->out[q->nout++] = w.v[i];
	}
	/* A case no counted state leads to (an index to repair): last. */
	for (i = 0; i < q->set.n; i++)
		if (!done[i])
			q->out[q->nout++] = q->set.v[i];
	free(done);
	free(w.v);
	return (0);
}

static int
ci_unfiltered(const struct casefile_filter *f)
{
	return (f == NULL || (f->state == NULL && f->field == NULL &&
	    f->assignee == NULL && f->region == NULL && f->workflow == NULL &&
	    !f->overdue && !f->mine && !f->open && f->ids == NULL));
}

/* How many cases the counter "all" says the store holds; 0 if none. */
static uint64_t
ci_count_all(struct store_txn *t)
{
	uint8_t		 k[CW_KEYMAX];
	size_t		 klen;
	uint64_t	 n = 0;

	if ((klen = cf_index_prefix(k, sizeof k, CF_INDEX_COUNT, "all", NULL,
	    NULL)) == 0 || cf_ix_get(t, k, klen, &n, NULL, NULL) != 0)
		return (0);
	return (n);
}

/*
 * Every case by deadline or by state: the sort's walk alone, when it
 * finds as many cases as the counter says there are (else the walk of
 * every case, then the sort, as for a filter).
 */
static int
ci_sorted_all(struct store_txn *t, struct ci_ids *q, char **cause)
{
	uint64_t	 n;
	int		 rc;

	if (!ci_unfiltered(q->f) || (q->sort != CASEFILE_SORT_DEADLINE &&
	    q->sort != CASEFILE_SORT_STATE) || (n = ci_count_all(t)) == 0)
		return (0);
	q->all = q->probe = 1;
	q->set.n = (size_t)n;	/* compared with, never read */
	if (q->sort == CASEFILE_SORT_DEADLINE)
		rc = ci_order(t, q, "deadline", 0, cause);
	else
		rc = ci_by_state(t, q, cause);
	q->set.n = 0;
	q->all = q->probe = 0;
	if (rc != 0)
		return (rc);
	if (q->out != NULL && q->nout == n)
		return (1);
	free(q->out);
	q->out = NULL;
	q->nout = 0;
	return (0);
}

static int
ci_ids_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_ids	*q = arg;
	size_t		 i;
	int		 rc;

	free(q->set.v);
	free(q->out);
	memset(&q->set, 0, sizeof q->set);
	q->out = NULL;
	q->nout = 0;
	q->all = 0;
	if ((rc = ci_sorted_all(t, q, cause)) < 0)
		return (rc);
	if (rc > 0) {
		for (i = 0; i < q->nout; i++)
			q->out[i] = ~q->out[i];
		return (0);
	}
	if ((rc = ci_filter(t, q, cause)) != 0)
		return (rc);
	switch (q->sort) {
	case CASEFILE_SORT_DEADLINE:
		rc = ci_order(t, q, "deadline", 0, cause);
		break;
	case CASEFILE_SORT_REGION:
		rc = ci_order(t, q, "region", 1, cause);
		break;
	case CASEFILE_SORT_STATE:
		rc = ci_by_state(t, q, cause);
		break;
	default:
		q->out = q->set.v;
		q->nout = q->set.n;
		memset(&q->set, 0, sizeof q->set);
		break;
	}
	for (i = 0; i < q->nout; i++)
		q->out[i] = ~q->out[i];
	return (rc);
}

/* The ids of the cases matching filter (NULL: all), in sort's order. */
int
casefile_ids(struct casefile_ctx *ctx, const struct casefile_filter *filter,
    enum casefile_sort sort, uint64_t **idsp, size_t *np, char **cause)
{
	struct ci_ids	 q;

	*idsp = NULL;
	*np = 0;
	if (casefile_index_ensure(ctx->sess->store, cause) != 0)
		return (-1);
	memset(&q, 0, sizeof q);
	q.ctx = ctx;
	q.f = filter;
	q.sort = sort;
	if (store_run(ctx->sess->store, ci_ids_txn, &q, cause) != 0) {
		free(q.set.v);
		free(q.out);
		return (-1);
	}
	free(q.set.v);
	*idsp = q.out != NULL ? q.out : xcalloc(1, sizeof *q.out);
	*np = q.nout;
	return (0);
}

/*
 * A list read a part at a time.  An unfiltered list in the order of one
 * index holds every case once: newest first is the walk of "all", by
 * deadline the walk of "deadline", by state the walks of each state's
 * entries in the order of the labels (the states of one label in two
 * workflows merged, newest first), by region the walk of "region" when
 * every case is in exactly one (ci_region_single(): else the cases
 * without a region come first, and a case of two regions is listed
 * once).  Its first ids are read now and the
 * rest as the screen goes further, each walk going on from the key after
 * the last one it gave, so a sort of 1,000,000 cases shows its first
 * screen without reading the others.  The number of cases comes from
 * the counter "all" and is made right when a read reaches the end.  A
 * list newest first with one condition is read in parts too
 * (ci_plan_filtered()), its number from the counters.  Any other list (a
 * filter and another order, two conditions, by region otherwise) is read
 * whole by casefile_ids().
 */
struct casefile_idwalk {
	uint8_t		*prefix;
	size_t		 plen;
	uint8_t		 last[CW_KEYMAX + 1];	/* go on from here ... */
	size_t		 lastlen;		/* ... if not 0 */
	int		 merged;		/* with the next walk */
	int		 done;
	/* The first key read from the end: a read from the start stops
	 * there (met), a read from the end goes on before it. */
	uint8_t		*stop;
	size_t		 stoplen;
	int		 met;
};

/* Keys in the table's order (Berkeley DB's default comparison). */
static int
ci_keycmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int	 c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return (c);
	return (alen < blen ? -1 : alen > blen);
}

static void
ci_plan_add(struct casefile_idlist *l, const uint8_t *k, size_t len,
    int merged)
{
	struct casefile_idwalk	*w;

	l->walk = xrealloc(l->walk, (l->nwalk + 1) * sizeof *l->walk);
	w = &l->walk[l->nwalk++];
	memset(w, 0, sizeof *w);
	w->prefix = xmalloc(len);
	memcpy(w->prefix, k, len);
	w->plen = len;
	w->merged = merged;
}

/* The sum of the counters scanned. */
static int
ci_region_sum_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	uint64_t	*sum = arg;

	(void)k;
	(void)klen;
	if (vlen == 8)
		*sum += get_be64(v);
	return (0);
}

/*
 * Whether every case is in exactly one region: the intake's region is a
 * single choice and the region counters add up to every case.  Then the
 * region's entries, in their order, are the list by region (no case
 * without one to put first, none listed twice).  1 yes, 0 no, or an
 * error of the store.
 */
static int
ci_region_single(struct store_txn *t, struct casefile_ctx *ctx, uint64_t all,
    char **cause)
{
	const struct form	*fm;
	const struct form_field	*ff;
	uint8_t			 k[CW_KEYMAX];
	size_t			 len;
	uint64_t		 sum = 0;
	int			 rc;

	if (ctx->forms == NULL ||
	    (fm = formset_form(ctx->forms, "intake")) == NULL ||
	    (ff = form_field(fm, "region")) == NULL || ff->type != FORM_CHOICE)
		return (0);
	if ((len = cf_index_prefix(k, sizeof k, CF_INDEX_COUNT, "region",
	    NULL, NULL)) == 0)
		return (0);
	if ((rc = store_scan(t, STORE_INDEX, k, len, ci_region_sum_cb, &sum,
	    cause)) != 0)
		return (rc);
	return (sum == all);
}

/* The value of one counter (0 if there is none). */
static int
ci_counter(struct store_txn *t, const char *name, const char *a,
    const char *b, uint64_t *n, char **cause)
{
	uint8_t	 k[CW_KEYMAX];
	size_t	 klen;

	*n = 0;
	if ((klen = cf_index_prefix(k, sizeof k, CF_INDEX_COUNT, name, a,
	    b)) == 0)
		return (0);
	/* A counter's key ends with its value, without the last \0. */
	if (a != NULL)
		klen--;
	return (cf_ix_get(t, k, klen, n, NULL, cause));
}

/*
 * The sum of the counters of the days before today under a prefix of
 * plen bytes ("due", or "rdue" and a region...): each key is the prefix
 * and a day.
 */
struct ci_late {
	uint64_t	 today, n;
	size_t		 plen;
};

static int
ci_late_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct ci_late	*c = arg;

	if (klen != c->plen + 8 || vlen != 8)
		return (0);
	if (get_be64((const uint8_t *)k + c->plen) >= c->today)
		return (1);
	c->n += get_be64(v);
	return (0);
}

static int
ci_late_sum(struct store_txn *t, const uint8_t *k, size_t len, uint64_t *n,
    char **cause)
{
	struct ci_late	 late;
	int		 rc;

	late.today = (uint64_t)casefile_today();
	late.n = 0;
	late.plen = len;
	rc = store_scan(t, STORE_INDEX, k, len, ci_late_cb, &late, cause);
	*n += late.n;
	return (rc);
}


#define CI_PAIRS	64

/*
 * The (workflow, state) pairs of a filter's state or workflow, in the
 * order of forms/: how many, 0 when none or too many.
 */
static size_t
ci_flow_pairs(const struct workflow_set *flows,
    const struct casefile_filter *f, const char **wfs, const char **sts)
{
	const struct workflow	*wf;
	size_t			 i, j, np = 0;

	for (j = 0; j < flows->n; j++) {
		wf = flows->list[j];
		if (f->workflow != NULL && strcmp(wf->id, f->workflow) != 0)
			continue;
		for (i = 0; i < wf->nstates; i++) {
			if (f->state != NULL && !list_has(f->state,
			    wf->states[i].id))
				continue;
			if (np == CI_PAIRS)
				return (0);
			wfs[np] = wf->id;
			sts[np++] = wf->states[i].id;
		}
	}
	return (np);
}

/* Add the counter of kind, name and parts (exact: no prefix) to *n. */
static int
ci_counter_v(struct store_txn *t, const char *kind, const char *name,
    const char *const parts[4], uint64_t *n, char **cause)
{
	uint8_t		 k[CW_KEYMAX];
	size_t		 len;
	uint64_t	 v;
	int		 rc;

	if ((len = cf_index_prefixv(k, sizeof k, kind, name, parts)) == 0)
		return (0);
	/* A counter's key ends with its value, without the last \0. */
	if ((rc = cf_ix_get(t, k, len - (parts[0] != NULL), &v, NULL,
	    cause)) == 0)
		*n += v;
	return (rc);
}

/*
 * Add to *n the counters under kind, name and parts: all of them (sum),
 * those of the days before today (late), or the one (exact).
 */
#define CI_SUM_ALL	0
#define CI_SUM_LATE	1
#define CI_SUM_EXACT	2

static int
ci_counter_sum(struct store_txn *t, const char *kind, const char *name,
    const char *const parts[4], int how, uint64_t *n, char **cause)
{
	uint8_t		 k[CW_KEYMAX];
	size_t		 len;
	uint64_t	 sum = 0;
	int		 rc;

	if (how == CI_SUM_EXACT)
		return (ci_counter_v(t, kind, name, parts, n, cause));
	if ((len = cf_index_prefixv(k, sizeof k, kind, name, parts)) == 0)
		return (0);
	if (how == CI_SUM_LATE)
		return (ci_late_sum(t, k, len, n, cause));
	rc = store_scan(t, STORE_INDEX, k, len, ci_region_sum_cb, &sum,
	    cause);
	*n += sum;
	return (rc);
}

static void
ci_idkeep_free(struct casefile_idkeep *kf)
{
	if (kf == NULL)
		return;
	free(kf->state);
	free(kf->workflow);
	free(kf->region);
	free(kf->assignee);
	free(kf->field);
	free(kf->value);
	free(kf->ids);
	free(kf->set.v);
	free(kf);
}

static char *
ci_strdup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

/*
 * A list of two conditions or more among a state (or workflow), a
 * region, an assignee and overdue, newest first, read in parts: the walk
 * of the condition with the fewest cases (never overdue: its entries are
 * in the order of days), each case kept if its header passes the others
 * (ci_keep()).  Its number comes from the counters of two conditions
 * and more (ci_pairs() in casefile-index.c): overdue and one other, or
 * any of the three others.  1 when planned, 0 when the list is read
 * whole (overdue and two others, open, a list of ids, another field, a
 * store whose counters are not all counted yet).
 */
static int
ci_plan_many(struct store_txn *t, struct casefile_ctx *ctx,
    const struct casefile_filter *f, struct casefile_idlist *l,
    char **cause)
{
	const char		*region = f->region, *assignee = f->assignee;
	const char		*wfs[CI_PAIRS], *sts[CI_PAIRS], *p[4];
	struct casefile_idkeep	*kf;
	uint8_t			 k[CW_KEYMAX];
	size_t			 i, len, np = 0;
	uint64_t		 total = 0, ns = 0, nr = 0, na = 0, pmark;
	int			 rc = 0, conds, drive, how;

	if (f->open || f->mine || f->ids != NULL)
		return (0);
	if (f->field != NULL || f->value != NULL) {
		if (f->field == NULL || f->value == NULL)
			return (0);
		if (strcmp(f->field, "region") == 0 && (region == NULL ||
		    strcmp(region, f->value) == 0))
			region = f->value;
		else if (strcmp(f->field, "assignees") == 0 &&
		    (assignee == NULL || strcmp(assignee, f->value) == 0))
			assignee = f->value;
		else
			return (0);
	}
	if ((f->state != NULL || f->workflow != NULL) &&
	    (np = ci_flow_pairs(ctx->flows, f, wfs, sts)) == 0)
		return (0);
	conds = (np > 0) + (region != NULL) + (assignee != NULL) +
	    (f->overdue != 0);
	if (conds < 2 || (f->overdue && conds > 2))
		return (0);
	if ((rc = cf_ix_pairs_mark(t, &pmark, cause)) != 0)
		return (rc);
	if (pmark != CF_INDEX_DONE)
		return (0);

	/* The number. */
	memset(p, 0, sizeof p);
	how = f->overdue ? CI_SUM_LATE : np > 0 ? CI_SUM_EXACT : CI_SUM_ALL;
	for (i = 0; rc == 0 && i < (np > 0 ? np : 1); i++) {
		if (f->overdue && region != NULL)
			p[0] = region, rc = ci_counter_sum(t, CF_INDEX_MULTI,
			    "rdue", p, how, &total, cause);
		else if (f->overdue && assignee != NULL)
			p[0] = assignee, rc = ci_counter_sum(t, CF_INDEX_MULTI,
			    "adue", p, how, &total, cause);
		else if (f->overdue)
			p[0] = wfs[i], p[1] = sts[i], rc = ci_counter_sum(t,
			    CF_INDEX_MULTI, "fdue", p, how, &total, cause);
		else if (assignee != NULL && region != NULL) {
			p[0] = assignee, p[1] = region;
			p[2] = np > 0 ? wfs[i] : NULL;
			p[3] = np > 0 ? sts[i] : NULL;
			rc = ci_counter_sum(t, CF_INDEX_MULTI, "raflow", p,
			    how, &total, cause);
		} else if (assignee != NULL)
			p[0] = assignee, p[1] = wfs[i], p[2] = sts[i],
			    rc = ci_counter_sum(t, CF_INDEX_COUNT, "aflow", p,
			    how, &total, cause);
		else
			p[0] = region, p[1] = wfs[i], p[2] = sts[i],
			    rc = ci_counter_sum(t, CF_INDEX_MULTI, "rflow", p,
			    how, &total, cause);
	}

	/* The walk: the condition with the fewest cases. */
	memset(p, 0, sizeof p);
	for (i = 0; rc == 0 && i < np; i++)
		p[0] = wfs[i], p[1] = sts[i], rc = ci_counter_sum(t,
		    CF_INDEX_COUNT, "flow", p, CI_SUM_EXACT, &ns, cause);
	p[1] = NULL;
	if (rc == 0 && region != NULL)
		p[0] = region, rc = ci_counter_sum(t, CF_INDEX_COUNT,
		    "region", p, CI_SUM_EXACT, &nr, cause);
	if (rc == 0 && assignee != NULL)
		p[0] = assignee, rc = ci_counter_sum(t, CF_INDEX_COUNT,
		    "aflow", p, CI_SUM_ALL, &na, cause);
	if (rc != 0)
		return (rc);
	drive = np > 0 ? 's' : region != NULL ? 'r' : 'a';
	if (region != NULL && (drive == 's' && nr < ns))
		drive = 'r';
	if (assignee != NULL && ((drive == 's' && na < ns) ||
	    (drive == 'r' && na < nr)))
		drive = 'a';
	for (i = 0; drive == 's' && i < np; i++) {
		len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY, "flow",
		    wfs[i], sts[i]);
		if (len == 0 || len + 9 > CW_KEYMAX + 1)
			return (0);
		ci_plan_add(l, k, len, i + 1 < np);
	}
	if (drive != 's') {
		len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY, drive ==
		    'r' ? "region" : "assignee", drive == 'r' ? region :
		    assignee, NULL);
		if (len == 0 || len + 9 > CW_KEYMAX + 1)
			return (0);
		ci_plan_add(l, k, len, 0);
	}
	kf = xcalloc(1, sizeof *kf);
	kf->f.state = kf->state = ci_strdup(f->state);
	kf->f.workflow = kf->workflow = ci_strdup(f->workflow);
	kf->f.region = kf->region = ci_strdup(region);
	kf->f.assignee = kf->assignee = ci_strdup(assignee);
	kf->f.overdue = f->overdue;
	l->kf = kf;
	l->keep = (f->overdue ? CI_KEEP_OVERDUE : 0) |
	    (np > 0 && drive != 's' ? CI_KEEP_STATE : 0) |
	    (region != NULL && drive != 'r' ? CI_KEEP_REGION : 0) |
	    (assignee != NULL && drive != 'a' ? CI_KEEP_ASSIGNEE : 0);
	l->total = (size_t)total;
	return (1);
}

/*
 * A list with one condition, newest first, read in parts as the others:
 * a state, several, or a workflow is the walk of each of its (workflow,
 * state) entries, merged newest first; a region, an indexed field or an
 * assignee the walk of its entries.  Overdue and open have no entries in
 * that order: the walk of every case, each kept if its header says so
 * (ci_keep()).  The number comes from the counters.  1 when planned, 0
 * when the list is read whole.
 */
static int
ci_plan_filtered(struct store_txn *t, struct casefile_ctx *ctx,
    const struct casefile_filter *f, enum casefile_sort sort,
    struct casefile_idlist *l, char **cause)
{
	const struct workflow_set	*flows = ctx->flows;
	const struct workflow		*wf;
	const char			*field = NULL, *value = NULL;
	const char			*wfs[CI_PAIRS], *sts[CI_PAIRS];
	uint8_t				 k[CW_KEYMAX];
	size_t				 i, j, len, np = 0;
	uint64_t			 n, all;
	int				 rc = 0, conds, counted;

	conds = (f->state != NULL || f->workflow != NULL) + (f->field !=
	    NULL || f->value != NULL) + (f->region != NULL) + (f->assignee !=
	    NULL) + (f->overdue != 0) + (f->open != 0) + (f->ids != NULL);
	if (sort != CASEFILE_SORT_REFERENCE || flows == NULL)
		return (0);
	if (conds > 1)
		return (ci_plan_many(t, ctx, f, l, cause));
	l->total = 0;
	if (f->state != NULL || f->workflow != NULL) {
		/* The (workflow, state) pairs, each walked newest first. */
		if ((np = ci_flow_pairs(flows, f, wfs, sts)) == 0)
			return (0);
		for (i = 0; rc == 0 && i < np; i++) {
			len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY,
			    "flow", wfs[i], sts[i]);
			if (len == 0 || len + 9 > CW_KEYMAX + 1)
				return (0);
			ci_plan_add(l, k, len, i + 1 < np);
			rc = ci_counter(t, "flow", wfs[i], sts[i], &n, cause);
			l->total += n;
		}
		return (rc != 0 ? rc : 1);
	}
	if (f->field != NULL && f->value != NULL &&
	    strcmp(f->field, "assignees") == 0)
		field = "assignee", value = f->value;
	else if (f->field != NULL && f->value != NULL &&
	    cf_index_listed(f->field))
		field = f->field, value = f->value;
	else if (f->region != NULL)
		field = "region", value = f->region;
	else if (f->assignee != NULL)
		field = "assignee", value = f->assignee;
	if (field != NULL) {
		len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY, field,
		    value, NULL);
		if (len == 0 || len + 9 > CW_KEYMAX + 1)
			return (0);
		ci_plan_add(l, k, len, 0);
		if (strcmp(field, "assignee") != 0)
			rc = ci_counter(t, field, value, NULL, &n, cause);
		else if ((len = cf_index_prefix(k, sizeof k, CF_INDEX_COUNT,
		    "aflow", value, NULL)) == 0)
			return (0);
		else {
			/* Assigned: the workloads of each (workflow, state). */
			n = 0;
			rc = store_scan(t, STORE_INDEX, k, len,
			    ci_region_sum_cb, &n, cause);
		}
		l->total = (size_t)n;
		return (rc != 0 ? rc : 1);
	}
	if (!f->overdue && !f->open)
		return (0);
	/* Every case, each kept if its header says so. */
	if ((all = ci_count_all(t)) == 0)
		return (0);
	len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY, "all", NULL, NULL);
	if (len == 0)
		return (0);
	if (f->overdue) {
		if ((rc = cf_ix_due_counted(t, &counted, cause)) != 0 ||
		    !counted)
			return (rc);
		n = 0;
		if ((rc = ci_late_sum(t, (const uint8_t *)CF_INDEX_COUNT "due",
		    7, &n, cause)) != 0)
			return (rc);
		l->total = (size_t)n;
		l->keep = CI_KEEP_OVERDUE;
	} else {
		/* Open: every case but those of the terminal states. */
		l->total = (size_t)all;
		for (j = 0; rc == 0 && j < flows->n; j++) {
			wf = flows->list[j];
			for (i = 0; rc == 0 && i < wf->nstates; i++) {
				if (!wf->states[i].terminal)
					continue;
				rc = ci_counter(t, "flow", wf->id,
				    wf->states[i].id, &n, cause);
				l->total -= n < l->total ? (size_t)n :
				    l->total;
			}
		}
		l->keep = CI_KEEP_OPEN;
	}
	ci_plan_add(l, k, len, 0);
	return (rc != 0 ? rc : 1);
}

/*
 * The walks of a sort over every case (all of them counted: all), in
 * order: 1, or 0 when the sort is not read in parts.
 */
static int
ci_plan_sort(struct store_txn *t, struct casefile_ctx *ctx,
    enum casefile_sort sort, uint64_t all, struct casefile_idlist *l,
    char **cause)
{
	struct ci_groups	 g;
	uint8_t			 k[CW_KEYMAX];
	size_t			 i, len;
	int			 rc;

	switch (sort) {
	case CASEFILE_SORT_REFERENCE:
	case CASEFILE_SORT_DEADLINE:
		len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY,
		    sort == CASEFILE_SORT_REFERENCE ? "all" : "deadline", NULL,
		    NULL);
		if (len == 0)
			return (0);
		ci_plan_add(l, k, len, 0);
		return (1);
	case CASEFILE_SORT_STATE:
		if ((rc = ci_groups_read(t, ctx, &g, cause)) != 0) {
			ci_groups_free(&g);
			return (rc);
		}
		for (rc = g.n > 0, i = 0; rc && i < g.n; i++) {
			len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY,
			    "flow", g.list[i].flow, g.list[i].flow +
			    strlen(g.list[i].flow) + 1);
			if (len == 0 || len + 9 > CW_KEYMAX + 1)
				rc = 0;		/* no room to go on: whole */
			else
				ci_plan_add(l, k, len, i + 1 < g.n &&
				    strcmp(g.list[i].label,
				    g.list[i + 1].label) == 0);
		}
		ci_groups_free(&g);
		return (rc);
	case CASEFILE_SORT_REGION:
		if ((rc = ci_region_single(t, ctx, all, cause)) != 1)
			return (rc);
		len = cf_index_prefix(k, sizeof k, CF_INDEX_ENTRY, "region",
		    NULL, NULL);
		if (len == 0)
			return (0);
		ci_plan_add(l, k, len, 0);
		return (1);
	default:
		return (0);
	}
}

/*
 * A filtered list in another order than newest first: the set of the
 * filter's cases read whole by its index walks (keys only, as
 * casefile_ids() does), then the sort's walks read in parts, each case
 * kept if it is in the set (no header read).  Its number is the set's.
 * 1 when planned, 0 when the list is read whole.
 */
static int
ci_plan_sorted(struct store_txn *t, struct casefile_ctx *ctx,
    const struct casefile_filter *f, enum casefile_sort sort,
    struct casefile_idlist *l, char **cause)
{
	struct casefile_idkeep	*kf;
	struct ci_ids		 q;
	uint64_t		 all;
	int			 rc;

	if ((all = ci_count_all(t)) == 0)
		return (0);
	memset(&q, 0, sizeof q);
	q.ctx = ctx;
	q.f = f;
	q.sort = CASEFILE_SORT_REFERENCE;
	if ((rc = ci_filter(t, &q, cause)) != 0 || q.set.n == 0 ||
	    (rc = ci_plan_sort(t, ctx, sort, all, l, cause)) != 1) {
		free(q.set.v);
		return (rc);
	}
	kf = xcalloc(1, sizeof *kf);
	kf->f = *f;
	kf->f.state = kf->state = ci_strdup(f->state);
	kf->f.workflow = kf->workflow = ci_strdup(f->workflow);
	kf->f.region = kf->region = ci_strdup(f->region);
	kf->f.assignee = kf->assignee = ci_strdup(f->assignee);
	kf->f.field = kf->field = ci_strdup(f->field);
	kf->f.value = kf->value = ci_strdup(f->value);
	if (f->ids != NULL) {
		kf->ids = xcalloc(f->nids + 1, sizeof *kf->ids);
		memcpy(kf->ids, f->ids, f->nids * sizeof *kf->ids);
	}
	kf->f.ids = kf->ids;
	kf->set = q.set;
	kf->sort = sort;
	l->kf = kf;
	l->keep = CI_KEEP_SET;
	l->total = q.set.n;
	return (1);
}

/* No walk planned. */
static void
ci_plan_clear(struct casefile_idlist *l)
{
	size_t	 i;

	for (i = 0; i < l->nwalk; i++)
		free(l->walk[i].prefix);
	l->nwalk = 0;
	ci_idkeep_free(l->kf);
	l->kf = NULL;
	l->keep = 0;
	l->total = 0;
}

/* The walks, in order: 1, or 0 when the list is not read in parts. */
static int
ci_plan_txn(struct store_txn *t, struct casefile_ctx *ctx,
    const struct casefile_filter *f, enum casefile_sort sort,
    struct casefile_idlist *l, char **cause)
{
	int	 rc;

	l->keep = 0;
	/*
	 * The cases of one region, every case being in one: by region is
	 * newest first (and the walk of the regions before it is skipped).
	 */
	if (!ci_unfiltered(f) && sort == CASEFILE_SORT_REGION &&
	    (f->region != NULL || (f->field != NULL && f->value != NULL &&
	    strcmp(f->field, "region") == 0))) {
		if ((rc = ci_region_single(t, ctx, ci_count_all(t),
		    cause)) < 0)
			return (rc);
		if (rc == 1 && (rc = ci_plan_filtered(t, ctx, f,
		    CASEFILE_SORT_REFERENCE, l, cause)) != 0)
			return (rc);
		ci_plan_clear(l);	/* not newest first: as the others */
	}
	if (!ci_unfiltered(f) && sort != CASEFILE_SORT_REFERENCE)
		return (ci_plan_sorted(t, ctx, f, sort, l, cause));
	if (!ci_unfiltered(f))
		return (ci_plan_filtered(t, ctx, f, sort, l, cause));
	if ((l->total = ci_count_all(t)) == 0)
		return (0);
	return (ci_plan_sort(t, ctx, sort, l->total, l, cause));
}

/* One walk read from where it stopped: up to want ids into s. */
struct ci_part {
	struct casefile_idwalk	*w;
	struct ci_set		*s;
	size_t			 want;
};

static int
ci_part_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_part	*p = arg;

	(void)v;
	(void)vlen;
	if (klen < 3 + 8 || klen > CW_KEYMAX)
		return (0);
	/* The rest was read from the end. */
	if (p->w->stop != NULL && ci_keycmp(k, klen, p->w->stop,
	    p->w->stoplen) >= 0) {
		p->w->met = 1;
		return (1);
	}
	ci_set_add(p->s, get_be64((const uint8_t *)k + klen - 8));
	/* The next read starts just after this key: the key and a \0. */
	memcpy(p->w->last, k, klen);
	p->w->last[klen] = '\0';
	p->w->lastlen = klen + 1;
	return (p->s->n >= p->want);
}

static int
ci_part_read(struct store_txn *t, struct casefile_idwalk *w, struct ci_set *s,
    size_t want, const struct ci_keep *kp, char **cause)
{
	struct ci_part	 p = { w, s, want };
	int		 rc;

	if (w->done)
		return (0);
	if (w->lastlen == 0)
		rc = store_scan_keys(t, STORE_INDEX, w->prefix, w->plen,
		    ci_part_cb, &p, cause);
	else
		rc = store_scan_keys_at(t, STORE_INDEX, w->last, w->lastlen,
		    w->plen, ci_part_cb, &p, cause);
	if (rc == 0 && (s->n < want || w->met))
		w->done = 1;
	if (rc == 0 && kp->flags != 0)
		rc = ci_keep(t, kp, s, cause);
	return (rc);
}

static void
ci_part_add(struct casefile_idlist *l, uint64_t inv)
{
	if (l->n == l->size) {
		l->size = l->size == 0 ? 256 : 2 * l->size;
		l->ids = xrealloc(l->ids, l->size * sizeof *l->ids);
	}
	l->ids[l->n++] = ~inv;
}

/*
 * The walks of one step (one, or the merged states of one label): up to
 * want ids, newest first across them.  A merged walk's entry key is its
 * prefix and the inverted id, so where it goes on is made from the last
 * id taken from it.  1 when the step has given all it holds.
 */
static int
ci_part_step(struct store_txn *t, struct casefile_idlist *l, size_t k,
    size_t want, const struct ci_keep *kp, char **cause)
{
	struct casefile_idwalk	*w = &l->walk[l->at], *before;
	struct ci_set		*s;
	size_t			*pos, i, j, best, left = want;
	uint64_t		 bound;
	int			 rc = 0, all = 1;

	s = xcalloc(k, sizeof *s);
	pos = xcalloc(k, sizeof *pos);
	before = xcalloc(k, sizeof *before);
	memcpy(before, w, k * sizeof *w);
	for (j = 0; rc == 0 && j < k; j++)
		rc = ci_part_read(t, &w[j], &s[j], want, kp, cause);
	/*
	 * Merged walks (each newest first): one that goes on has given
	 * nothing past the last key it read, so no case past it is taken
	 * from the others (its ids kept by their headers may be fewer).
	 */
	for (bound = UINT64_MAX, j = 0; k > 1 && j < k; j++)
		if (!w[j].done && w[j].lastlen >= 9 && get_be64(w[j].last +
		    w[j].lastlen - 9) < bound)
			bound = get_be64(w[j].last + w[j].lastlen - 9);
	while (rc == 0 && left > 0) {
		for (best = k, j = 0; j < k; j++)
			if (pos[j] < s[j].n && (best == k ||
			    s[j].v[pos[j]] < s[best].v[pos[best]]))
				best = j;
		if (best == k || s[best].v[pos[best]] > bound)
			break;
		ci_part_add(l, s[best].v[pos[best]++]);
		left--;
	}
	for (j = 0; rc == 0 && j < k; j++) {
		if (k > 1 && pos[j] < s[j].n) {
			/* Not all taken: on from the last one taken ... */
			w[j].done = 0;
			if (pos[j] == 0)	/* ... or from where it was */
				w[j] = before[j];
			else {
				memcpy(w[j].last, w[j].prefix, w[j].plen);
				put_be64(w[j].last + w[j].plen,
				    s[j].v[pos[j] - 1]);
				w[j].last[w[j].plen + 8] = '\0';
				w[j].lastlen = w[j].plen + 9;
			}
		}
		all &= w[j].done;
	}
	for (i = 0; i < k; i++)
		free(s[i].v);
	free(s);
	free(pos);
	free(before);
	return (rc != 0 ? rc : all);
}

/* Read on until want ids are read or the list ended. */
struct ci_more {
	struct casefile_ctx	*ctx;
	struct casefile_idlist	*l;
	size_t			 want;
};

static int
ci_more_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_more		*m = arg;
	struct casefile_idlist	*l = m->l;
	struct casefile_idwalk	*saved;
	struct ci_keep		 kp = { l->keep, m->ctx->flows,
				    (uint64_t)casefile_today(), l->kf };
	size_t			 n = l->n, at = l->at, k;
	int			 rc = 0, more = l->more;

	store_txn_read_committed(t);
	saved = xcalloc(l->nwalk, sizeof *saved);
	memcpy(saved, l->walk, l->nwalk * sizeof *saved);
	while (l->more && l->n < m->want) {
		for (k = 1; l->at + k < l->nwalk &&
		    l->walk[l->at + k - 1].merged; k++)
			;
		if ((rc = ci_part_step(t, l, k, m->want - l->n, &kp,
		    cause)) < 0)
			break;
		if (rc == 1 && (l->at += k) == l->nwalk)
			l->more = 0;
		rc = 0;
	}
	if (rc != 0) {		/* a retried transaction reads again */
		memcpy(l->walk, saved, l->nwalk * sizeof *saved);
		l->n = n;
		l->at = at;
		l->more = more;
	} else if (!l->more || l->n > l->total)
		l->total = l->n;
	free(saved);
	return (rc);
}

struct ci_open {
	struct casefile_ctx		*ctx;
	const struct casefile_filter	*f;
	enum casefile_sort		 sort;
	struct casefile_idlist		*l;
};

static int
ci_open_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_open	*o = arg;

	ci_plan_clear(o->l);
	return (ci_plan_txn(t, o->ctx, o->f, o->sort, o->l, cause));
}

/*
 * The first want ids of the list (all of them if it is not read in
 * parts; at most CI_KEEP_FIRST if its cases are kept by their headers:
 * a screen's worth, the rest read as the screen goes).
 */
#define CI_KEEP_FIRST	128

int
casefile_ids_open(struct casefile_ctx *ctx, const struct casefile_filter *f,
    enum casefile_sort sort, size_t want, struct casefile_idlist *l,
    char **cause)
{
	struct ci_open	 o = { ctx, f, sort, l };
	int		 rc;

	memset(l, 0, sizeof *l);
	if (casefile_index_ensure(ctx->sess->store, cause) != 0)
		return (-1);
	if ((rc = store_run(ctx->sess->store, ci_open_txn, &o, cause)) < 0)
		return (-1);
	if (rc == 0 || l->nwalk == 0) {
		casefile_idlist_free(l);
		if (casefile_ids(ctx, f, sort, &l->ids, &l->n, cause) != 0)
			return (-1);
		l->total = l->size = l->n;
		return (0);
	}
	l->more = 1;
	/* Each case of a list kept by its headers is a header read. */
	if (l->keep != 0 && want > CI_KEEP_FIRST)
		want = CI_KEEP_FIRST;
	return (casefile_ids_more(ctx, l, want, cause));
}

/*
 * A list kept by its headers (overdue, open) read far on at once (to its
 * end, or 8,192 more) is read whole instead: the index walk of it is
 * cheaper than a header for each case passed.
 */
#define CI_KEEP_FAR	8192

static int
ci_keep_whole(struct casefile_ctx *ctx, struct casefile_idlist *l,
    char **cause)
{
	struct casefile_filter	 f;
	uint64_t		*ids;
	size_t			 n;

	memset(&f, 0, sizeof f);
	f.overdue = (l->keep & CI_KEEP_OVERDUE) != 0;
	f.open = (l->keep & CI_KEEP_OPEN) != 0;
	if (casefile_ids(ctx, l->kf != NULL ? &l->kf->f : &f, l->kf != NULL ?
	    l->kf->sort : CASEFILE_SORT_REFERENCE, &ids, &n, cause) != 0)
		return (-1);
	free(l->ids);
	l->ids = ids;
	l->n = l->size = l->total = n;
	l->more = 0;
	return (0);
}

/* Both reads met: the list is whole, the tail after the rest. */
static void
ci_tail_join(struct casefile_idlist *l)
{
	size_t	 j;

	if (l->n + l->ntail > l->size) {
		l->size = l->n + l->ntail;
		l->ids = xrealloc(l->ids, l->size * sizeof *l->ids);
	}
	for (j = l->ntail; j > 0; j--)
		l->ids[l->n++] = l->tail[j - 1];
	free(l->tail);
	l->tail = NULL;
	l->ntail = l->tsize = 0;
	l->more = 0;
	l->total = l->n;
	l->walk[0].done = 1;
}

/* Read on until want ids are read or the list ends. */
int
casefile_ids_more(struct casefile_ctx *ctx, struct casefile_idlist *l,
    size_t want, char **cause)
{
	struct ci_more	 m = { ctx, l, want };

	if (!l->more || l->n >= want)
		return (0);
	if (l->keep != 0 && (want >= l->total || want - l->n > CI_KEEP_FAR))
		return (ci_keep_whole(ctx, l, cause));
	if (store_run(ctx->sess->store, ci_more_txn, &m, cause) != 0)
		return (-1);
	if (!l->more && l->ntail > 0)
		ci_tail_join(l);
	return (0);
}

/* Read back from the end of the one walk, up to want ids in all. */
struct ci_tail {
	struct casefile_idlist	*l;
	size_t			 want;
	int			 met;
};

static int
ci_tail_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_tail		*tp = arg;
	struct casefile_idlist	*l = tp->l;
	struct casefile_idwalk	*w = &l->walk[0];

	(void)v;
	(void)vlen;
	if (klen < 3 + 8 || klen > CW_KEYMAX)
		return (0);
	/* Read already from the start (its last key, without the \0). */
	if (w->lastlen != 0 && ci_keycmp(k, klen, w->last, w->lastlen - 1) <=
	    0) {
		tp->met = 1;
		return (1);
	}
	if (l->ntail == l->tsize) {
		l->tsize = l->tsize == 0 ? 256 : 2 * l->tsize;
		l->tail = xrealloc(l->tail, l->tsize * sizeof *l->tail);
	}
	l->tail[l->ntail++] = ~get_be64((const uint8_t *)k + klen - 8);
	free(w->stop);
	w->stop = xmalloc(klen);
	memcpy(w->stop, k, klen);
	w->stoplen = klen;
	return (l->ntail >= tp->want);
}

static int
ci_tail_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_tail		*tp = arg;
	struct casefile_idlist	*l = tp->l;
	struct casefile_idwalk	*w = &l->walk[0];
	uint8_t			*stop = NULL;
	size_t			 ntail = l->ntail, stoplen = w->stoplen;
	int			 rc;

	store_txn_read_committed(t);
	if (w->stop != NULL) {
		stop = xmalloc(stoplen);
		memcpy(stop, w->stop, stoplen);
	}
	tp->met = 0;
	rc = store_scan_keys_back(t, STORE_INDEX, w->prefix, w->plen, stop,
	    stoplen, ci_tail_cb, tp, cause);
	if (rc != 0) {		/* a retried transaction reads again */
		l->ntail = ntail;
		free(w->stop);
		w->stop = stop;
		w->stoplen = stoplen;
		return (rc);
	}
	/* The walk's first key reached: nothing before it to read. */
	if (l->ntail < tp->want)
		tp->met = 1;
	free(stop);
	return (0);
}

/*
 * The last want ids of a list of one walk, read from its end: End on a
 * million cases reads the screen's ids, not a million.  Once the reads
 * from both ends meet, the list is whole and its number made right.  1:
 * not one plain walk (several, or cases kept by their headers), read it
 * on from its start.
 */
int
casefile_ids_tail(struct casefile_ctx *ctx, struct casefile_idlist *l,
    size_t want, char **cause)
{
	struct ci_tail	 tp = { l, want, 0 };

	if (!l->more)
		return (0);
	if (l->nwalk != 1 || l->keep != 0 || l->kf != NULL)
		return (1);
	if (l->ntail >= want)
		return (0);
	if (store_run(ctx->sess->store, ci_tail_txn, &tp, cause) != 0)
		return (-1);
	if (tp.met)
		ci_tail_join(l);
	return (0);
}

void
casefile_idlist_free(struct casefile_idlist *l)
{
	size_t	 i;

	for (i = 0; i < l->nwalk; i++) {
		free(l->walk[i].prefix);
		free(l->walk[i].stop);
	}
	free(l->walk);
	free(l->ids);
	free(l->tail);
	ci_idkeep_free(l->kf);
	memset(l, 0, sizeof *l);
}

/* The counters, and the number of cases overdue today. */
struct ci_counts {
	struct casefile_count	*list;
	size_t			 n;
	struct ci_set		 overdue;	/* walked, without "due" */
	uint64_t		 late;		/* the "due" before today */
	uint64_t		 today;
};

static int
ci_counts_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct ci_counts	*c = arg;
	struct casefile_count	*e;
	const char		*p = (const char *)k + 3, *end;
	size_t			 i;

	if (vlen != 8 || klen <= 3 || (end = memchr(p, '\0', klen - 3)) ==
	    NULL)
		return (0);
	/* "due" \0 day: the cases whose clock runs out that day. */
	if (klen == 7 + 8 && memcmp(k, CF_INDEX_COUNT "due", 7) == 0) {
		if (get_be64((const uint8_t *)k + 7) < c->today)
			c->late += get_be64(v);
		return (0);
	}
	c->list = xrealloc(c->list, (c->n + 1) * sizeof *c->list);
	e = &c->list[c->n++];
	memset(e, 0, sizeof *e);
	e->name = xstrndup(p, end - p);
	e->n = (size_t)get_be64(v);
	/* The value's parts, \0 between them (xstrndup stops at the first). */
	p = end + 1;
	for (i = 0; i < 3 && p < (const char *)k + klen; i++) {
		e->v[i] = xstrndup(p, (const char *)k + klen - p);
		p += strlen(e->v[i]) + 1;
	}
	return (0);
}

static int
ci_counts_txn(struct store_txn *t, void *arg, char **cause)
{
	struct ci_counts	*c = arg;
	int			 rc, counted;

	casefile_counts_free(c->list, c->n);
	c->list = NULL;
	c->n = 0;
	free(c->overdue.v);
	memset(&c->overdue, 0, sizeof c->overdue);
	c->late = 0;
	c->today = (uint64_t)casefile_today();
	if ((rc = cf_ix_due_counted(t, &counted, cause)) != 0 ||
	    (rc = store_scan(t, STORE_INDEX, CF_INDEX_COUNT, 3, ci_counts_cb, c,
	    cause)) != 0)
		return (rc);
	/* A replica whose master has not counted "due" yet walks them. */
	if (counted)
		return (0);
	c->late = 0;
	if ((rc = ci_walk_overdue(t, &c->overdue, cause)) == 0)
		c->late = c->overdue.n;
	return (rc);
}

int
casefile_counts(struct casefile_ctx *ctx, struct casefile_count **listp,
    size_t *np, size_t *overdue, char **cause)
{
	struct ci_counts	 c;

	*listp = NULL;
	*np = 0;
	*overdue = 0;
	if (casefile_index_ensure(ctx->sess->store, cause) != 0)
		return (-1);
	memset(&c, 0, sizeof c);
	if (store_run(ctx->sess->store, ci_counts_txn, &c, cause) != 0) {
		casefile_counts_free(c.list, c.n);
		free(c.overdue.v);
		return (-1);
	}
	*listp = c.list;
	*np = c.n;
	*overdue = (size_t)c.late;
	free(c.overdue.v);
	return (0);
}

void
casefile_counts_free(struct casefile_count *list, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		free(list[i].name);
		for (j = 0; j < 3; j++)
			free(list[i].v[j]);
	}
	free(list);
}
