/*
 * test-index.c: the header indexes and counters against a full scan of
 * the same data: a demo store of a few hundred cases in every state
 * (made by the real 'dossier demo'), each filter in each sort order,
 * every counter; again after changes, after a rebuild, and 'dossier
 * check' naming the case whose entry was taken out of the index.
 */
#include "config.h"

#include <sys/wait.h>

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "raw.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

#define NCASES	"300"

struct fixture {
	char			*tmp, *data;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct session		*sup;
	struct casefile_ctx	 ctx;
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*pass, *cause = NULL;

	helper_demo("--cases " NCASES " --seed 11", &f->tmp, &f->data);
	helper_load_forms(&f->forms, &f->flows);
	assert_int_equal(vault_init(NULL), 0);
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	pass = helper_demo_pass(f->data, "oumar");
	f->sup = helper_signin(f->s, "oumar", pass);
	free(pass);
	f->ctx.sess = f->sup;
	f->ctx.forms = f->forms;
	f->ctx.flows = f->flows;
	if (casefile_share_keys(&f->ctx, &cause) != 0)
		fail_msg("share: %s", cause);
	*state = f;
	return (0);
}

/* The store closed, as a file writer finds it. */
static void
let_go(struct fixture *f)
{
	session_free(f->sup);
	f->sup = NULL;
	store_close(f->s);
	f->s = NULL;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	session_free(f->sup);
	store_close(f->s);
	formset_free(f->forms);
	workflow_set_free(f->flows);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f->data);
	free(f);
	return (0);
}

/* The list screen's order, from full headers (ui-list.c list_cmp). */
static const struct workflow_set *sort_flows;
static enum casefile_sort sort_by;

static const char *
label(const struct record *h)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const char			*w = record_get_str(h, "workflow");
	const char			*s = record_get_str(h, "state");

	if (w != NULL && s != NULL && (wf = workflow_find(sort_flows,
	    w)) != NULL && (st = workflow_state(wf, s)) != NULL)
		return (st->label[lang_index()]);
	return (s != NULL ? s : "");
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct casefile_summary	*x = a, *y = b;
	const char			*rx, *ry;
	int64_t				 dx, dy;
	int				 c = 0;

	switch (sort_by) {
	case CASEFILE_SORT_DEADLINE:
		dx = record_get_int(x->header, "clock.deadline", 0);
		dy = record_get_int(y->header, "clock.deadline", 0);
		dx = dx == 0 ? (int64_t)1 << 40 : dx;
		dy = dy == 0 ? (int64_t)1 << 40 : dy;
		c = dx < dy ? -1 : dx > dy;
		break;
	case CASEFILE_SORT_STATE:
		c = text_cmp(label(x->header), label(y->header));
		break;
	case CASEFILE_SORT_REGION:
		rx = record_get_str(x->header, "region");
		ry = record_get_str(y->header, "region");
		c = strcmp(rx != NULL ? rx : "", ry != NULL ? ry : "");
		break;
	default:
		break;
	}
	if (c == 0)
		c = x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
	return (c);
}

/*
 * The ids read so far are the scan's first ones (the last read of a
 * list kept by its headers reads it whole, and would hide a part read
 * out of order).
 */
static void
same_so_far(const struct casefile_idlist *l,
    const struct casefile_summary *list, size_t n, const char *what, int s)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (i >= n || l->ids[i] != list[i].id)
			fail_msg("%s, sort %d, read in parts: line %zu of %zu "
			    "read is case %" PRIu64 ", %" PRIu64 " by the scan",
			    what, s, i, l->n, l->ids[i], i < n ? list[i].id :
			    0);
}

/*
 * The same read from its end (the End key on a long list): the last 5,
 * then back 9 more at a time, to half the list (v 0) or to its start (v
 * 1), then on from the start until both reads meet.  The unfiltered list
 * newest first is one walk and must be read so; a list that cannot be
 * read from its end says so (1) and is left to the other reads.
 */
static void
same_from_the_end(struct fixture *f, const struct casefile_filter *flt,
    int s, const struct casefile_summary *list, size_t n, const char *what)
{
	struct casefile_idlist	 l;
	size_t			 i, j;
	char			*cause = NULL;
	int			 rc, v;

	for (v = 0; v < 2; v++) {
		if (casefile_ids_open(&f->ctx, flt, s, 7, &l, &cause) != 0)
			fail_msg("ids_open: %s", cause);
		if ((rc = casefile_ids_tail(&f->ctx, &l, 5, &cause)) < 0)
			fail_msg("ids_tail: %s", cause);
		if (flt == NULL && s == CASEFILE_SORT_REFERENCE &&
		    (rc != 0 || l.ntail != 5 || !l.more))
			fail_msg("%s: the last 5 not read from the end (%d, "
			    "%zu)", what, rc, l.ntail);
		while (rc == 0 && l.more && l.ntail < (v == 0 ? n / 2 : n)) {
			for (j = 0; j < l.ntail; j++)
				if (l.tail[j] != list[n - 1 - j].id)
					fail_msg("%s, sort %d, from the end: "
					    "line %zu is case %" PRIu64 ", %"
					    PRIu64 " by the scan", what, s,
					    n - 1 - j, l.tail[j],
					    list[n - 1 - j].id);
			if ((rc = casefile_ids_tail(&f->ctx, &l, l.ntail + 9,
			    &cause)) < 0)
				fail_msg("ids_tail: %s", cause);
		}
		while (l.more)
			if (casefile_ids_more(&f->ctx, &l, l.n + 13,
			    &cause) != 0)
				fail_msg("ids_more: %s", cause);
		if (l.n != n || l.total != n || l.ntail != 0)
			fail_msg("%s, sort %d: from both ends, %zu ids (%zu "
			    "counted, %zu left apart), the scan %zu", what, s,
			    l.n, l.total, l.ntail, n);
		for (i = 0; i < n; i++)
			if (l.ids[i] != list[i].id)
				fail_msg("%s, sort %d, from both ends: line %zu "
				    "is case %" PRIu64 ", %" PRIu64 " by the "
				    "scan", what, s, i, l.ids[i], list[i].id);
		casefile_idlist_free(&l);
	}
}

/*
 * The same read a part at a time (the case list's way): 7 ids first,
 * then 13 more each time.  An unfiltered list by reference, deadline or
 * state (the demo's workflows share labels: merged walks), or by region
 * when every case is in one, is read in parts (the first read stops at
 * 7), and so is a list newest first with the conditions that allow it
 * (one_cond: one, or two of ci_plan_many()), and any filtered list in
 * another order (its set, then the sort's walks); the others whole.
 */
static void
same_in_parts(struct fixture *f, const struct casefile_filter *flt, int s,
    const struct casefile_summary *list, size_t n, const char *what,
    int one_cond)
{
	struct casefile_idlist	 l;
	size_t			 i, reads = 0;
	char			*cause = NULL;
	int			 parts = flt == NULL || (n > 7 &&
				    (one_cond || s != CASEFILE_SORT_REFERENCE));

	/* By region, in parts when every case is in one region. */
	for (i = 0; parts && s == CASEFILE_SORT_REGION && i < n; i++)
		if (record_get_str(list[i].header, "region") == NULL ||
		    strchr(record_get_str(list[i].header, "region"), ',') !=
		    NULL)
			parts = 0;
	if (casefile_ids_open(&f->ctx, flt, s, 7, &l, &cause) != 0)
		fail_msg("ids_open: %s", cause);
	if (parts && (l.n != 7 || !l.more))
		fail_msg("%s, sort %d: the first read gave %zu ids of %zu, "
		    "not 7", what, s, l.n, n);
	if (l.total != n)
		fail_msg("%s, sort %d: %zu cases counted, the scan finds %zu",
		    what, s, l.total, n);
	while (l.more) {
		same_so_far(&l, list, n, what, s);
		if (casefile_ids_more(&f->ctx, &l, l.n + 13, &cause) != 0)
			fail_msg("ids_more: %s", cause);
		reads++;
	}
	if (l.n != n || l.total != n)
		fail_msg("%s, sort %d: read in parts, %zu ids (%zu counted), "
		    "the scan %zu", what, s, l.n, l.total, n);
	for (i = 0; i < n; i++)
		if (l.ids[i] != list[i].id)
			fail_msg("%s, sort %d, read in parts: line %zu is case "
			    "%" PRIu64 ", %" PRIu64 " by the scan", what, s, i,
			    l.ids[i], list[i].id);
	if (flt == NULL && s == CASEFILE_SORT_REFERENCE && reads < n / 13)
		fail_msg("%s: %zu reads after the first, for %zu cases by "
		    "13", what, reads, n);
	casefile_idlist_free(&l);
	/*
	 * One at a time: walks merged (the states of a filter) whose cases
	 * are kept by their headers give few each, and none may give one
	 * before a newer one another has not read yet.
	 */
	if (parts) {
		if (casefile_ids_open(&f->ctx, flt, s, 1, &l, &cause) != 0)
			fail_msg("ids_open: %s", cause);
		while (l.more) {
			if (casefile_ids_more(&f->ctx, &l, l.n + 1,
			    &cause) != 0)
				fail_msg("ids_more: %s", cause);
			same_so_far(&l, list, n, what, s);
		}
		if (l.n != n)
			fail_msg("%s: one at a time, %zu ids, the scan %zu",
			    what, l.n, n);
		for (i = 0; i < n; i++)
			if (l.ids[i] != list[i].id)
				fail_msg("%s, one at a time: line %zu is case "
				    "%" PRIu64 ", %" PRIu64 " by the scan",
				    what, i, l.ids[i], list[i].id);
		casefile_idlist_free(&l);
	}
	same_from_the_end(f, flt, s, list, n, what);
	/* The first 7, then all the rest at once (the End key). */
	if (casefile_ids_open(&f->ctx, flt, s, 7, &l, &cause) != 0 ||
	    casefile_ids_more(&f->ctx, &l, n, &cause) != 0)
		fail_msg("ids_open or _more: %s", cause);
	if (l.n != n)
		fail_msg("%s, sort %d: to the end at once, %zu ids, the scan "
		    "%zu", what, s, l.n, n);
	for (i = 0; i < n; i++)
		if (l.ids[i] != list[i].id)
			fail_msg("%s, sort %d, to the end at once: line %zu is "
			    "case %" PRIu64 ", %" PRIu64 " by the scan", what,
			    s, i, l.ids[i], list[i].id);
	casefile_idlist_free(&l);
}

/* The index's answer is the full scan's, in the same order. */
static void
same_as_scan(struct fixture *f, const struct casefile_filter *flt,
    const char *what, int one_cond)
{
	struct casefile_summary	*list;
	uint64_t		*ids;
	size_t			 n, nids, i;
	char			*cause = NULL;
	int			 s;

	if (casefile_list(&f->ctx, flt, &list, &n, &cause) != 0)
		fail_msg("scan: %s", cause);
	sort_flows = f->flows;
	for (s = CASEFILE_SORT_REFERENCE; s <= CASEFILE_SORT_REGION; s++) {
		sort_by = s;
		if (n > 0)
			qsort(list, n, sizeof *list, ref_cmp);
		if (casefile_ids(&f->ctx, flt, s, &ids, &nids, &cause) != 0)
			fail_msg("ids: %s", cause);
		if (nids != n)
			fail_msg("%s, sort %d: the index finds %zu cases, the "
			    "scan %zu", what, s, nids, n);
		for (i = 0; i < n; i++)
			if (ids[i] != list[i].id)
				fail_msg("%s, sort %d: line %zu is case %" PRIu64
				    " by the index, %" PRIu64 " by the scan",
				    what, s, i, ids[i], list[i].id);
		free(ids);
		same_in_parts(f, flt, s, list, n, what, one_cond);
	}
	casefile_list_free(list, n);
}

/* Noon of edge_day: the day some clocks run out is today. */
static int64_t	 edge_day;

static int64_t
edge_now(void)
{
	return (edge_day * 86400 + 43200);
}

static void
every_filter(struct fixture *f)
{
	struct casefile_filter	 flt;
	struct casefile_summary	*list;
	uint64_t		 some[40];
	size_t			 i, n, k = 0;
	int64_t			 d;
	char			*cause = NULL;

	/*
	 * 40 cases: first those whose clock runs out on a day some clock
	 * does (today, for the filters that use them: overdue's edge), then
	 * others.
	 */
	if (casefile_list(&f->ctx, NULL, &list, &n, &cause) != 0)
		fail_msg("scan: %s", cause);
	for (d = 0, i = 0; i < n && d == 0; i++)
		if (record_get_int(list[i].header, "clock.paused_since", 0) == 0)
			d = record_get_int(list[i].header, "clock.deadline", 0);
	assert_true(d > 0);
	for (i = 0; i < n && k < 20; i++)
		if (record_get_int(list[i].header, "clock.deadline", 0) == d)
			some[k++] = list[i].id;
	for (i = 0; k < 40; i++)
		some[k++] = list[(7 * i + 3) % n].id;
	casefile_list_free(list, n);
	same_as_scan(f, NULL, "no filter", 0);
	/* ONE: read in parts newest first; WHOLE: read whole. */
#define ONE	1
#define WHOLE	0
#define FILTER(what, parts, ...) do {					\
	memset(&flt, 0, sizeof flt);					\
	__VA_ARGS__;							\
	same_as_scan(f, &flt, what, parts);				\
} while (0)
	FILTER("state", ONE, flt.state = "en_instruction";
	    flt.workflow = "inspection");
	FILTER("states", ONE, flt.state = "suivi,ouverte,clos");
	FILTER("workflow", ONE, flt.workflow = "monitoring");
	FILTER("region", ONE, flt.region = "mopti");
	FILTER("field region", ONE, flt.field = "region"; flt.value = "gao");
	FILTER("field force", ONE, flt.field = "force";
	    flt.value = "police");
	FILTER("field categories", ONE, flt.field = "categories";
	    flt.value = "integrity.torture");
	FILTER("field assignees", ONE, flt.field = "assignees";
	    flt.value = "mariam");
	FILTER("field not indexed", WHOLE, flt.field = "victim_age";
	    flt.value = "adult");
	FILTER("assignee", ONE, flt.assignee = "ibrahim");
	FILTER("overdue", ONE, flt.overdue = 1);
	FILTER("open", ONE, flt.open = 1);
	/* Two conditions and more: the counters of two (ci_pairs()). */
#define MANY_STATES "suivi,en_instruction,reorientee,en_revue,transmise,"	\
	    "recue,enregistree,rapport_depose"
	FILTER("assignee overdue", ONE, flt.assignee = "mariam";
	    flt.overdue = 1);
	FILTER("region overdue", ONE, flt.field = "region";
	    flt.value = "segou"; flt.overdue = 1);
	FILTER("states overdue", ONE, flt.state = MANY_STATES;
	    flt.overdue = 1);
	FILTER("states region", ONE, flt.state = MANY_STATES;
	    flt.region = "segou");
	FILTER("state workflow field region", ONE, flt.state = MANY_STATES;
	    flt.workflow = "inspection"; flt.field = "region";
	    flt.value = "bandiagara");
	FILTER("workflow assignee", ONE, flt.workflow = "inspection";
	    flt.assignee = "mariam");
	/*
	 * The states walked (fewer cases), each kept by its assignee; a
	 * state of two workflows is two walks of cases of the same age.
	 */
	FILTER("states assignee", ONE, flt.state = "suivi,cloturee";
	    flt.assignee = "ibrahim");
	FILTER("region assignee", ONE, flt.region = "bandiagara";
	    flt.assignee = "ibrahim");
	FILTER("field assignees region", ONE, flt.field = "assignees";
	    flt.value = "mariam"; flt.region = "koulikoro");
	FILTER("states region assignee", ONE, flt.state = MANY_STATES;
	    flt.region = "bandiagara"; flt.assignee = "ibrahim");
#undef MANY_STATES
	FILTER("overdue region assignee", WHOLE, flt.overdue = 1;
	    flt.region = "mopti"; flt.assignee = "ibrahim");
	FILTER("field force region", WHOLE, flt.field = "force";
	    flt.value = "police"; flt.region = "mopti");
	FILTER("open assignee region", WHOLE, flt.open = 1;
	    flt.assignee = "mariam"; flt.region = "bamako");
	FILTER("nobody's", ONE, flt.assignee = "personne");
	/* A few cases and overdue, or open: each one's header is read. */
	edge_day = d;
	util_set_clock(edge_now);
	FILTER("ids overdue", WHOLE, flt.ids = some; flt.nids = 40;
	    flt.overdue = 1);
	FILTER("ids open", WHOLE, flt.ids = some; flt.nids = 40;
	    flt.open = 1);
	util_set_clock(NULL);
	FILTER("nobody's open", WHOLE, flt.assignee = "personne";
	    flt.open = 1);
#undef FILTER
#undef ONE
#undef WHOLE
}

/* The counters are what the headers make. */
static void
counts_as_scan(struct fixture *f)
{
	struct casefile_summary	*list;
	struct casefile_count	*c;
	size_t			 n, nc, overdue, i, k, want;
	const char		*v, *part;
	char			*cause = NULL;

	if (casefile_list(&f->ctx, NULL, &list, &n, &cause) != 0 ||
	    casefile_counts(&f->ctx, &c, &nc, &overdue, &cause) != 0)
		fail_msg("counts: %s", cause);
	for (want = 0, i = 0; i < n; i++)
		want += list[i].overdue > 0;
	assert_int_equal(overdue, want);
	assert_true(overdue > 0);
	assert_true(nc > 20);
	for (k = 0; k < nc; k++) {
		want = 0;
		for (i = 0; i < n; i++) {
			const struct record *h = list[i].header;

			if (strcmp(c[k].name, "all") == 0)
				want++;
			else if (strcmp(c[k].name, "flow") == 0)
				want += strcmp(record_get_str(h, "workflow"),
				    c[k].v[0]) == 0 && strcmp(record_get_str(h,
				    "state"), c[k].v[1]) == 0;
			else if (strcmp(c[k].name, "aflow") == 0)
				want += list_has(record_get_str(h,
				    "assignees"), c[k].v[0]) &&
				    strcmp(record_get_str(h, "workflow"),
				    c[k].v[1]) == 0 && strcmp(record_get_str(h,
				    "state"), c[k].v[2]) == 0;
			else {
				v = record_get_str(h, c[k].name);
				part = c[k].v[0];
				want += v != NULL && list_has(v, part);
			}
		}
		if (c[k].n != want)
			fail_msg("counter %s %s: %zu, the scan makes %zu",
			    c[k].name, c[k].v[0] != NULL ? c[k].v[0] : "",
			    c[k].n, want);
	}
	casefile_counts_free(c, nc);
	casefile_list_free(list, n);
}

static void
no_problem(const char *sentence, void *arg)
{
	(void)arg;
	fail_msg("check: %s", sentence);
}

struct heard {
	char	*all;
};

static void
hear(const char *sentence, void *arg)
{
	struct heard	*h = arg;
	char		*n;

	xasprintf(&n, "%s%s\n", h->all, sentence);
	free(h->all);
	h->all = n;
}

static void
checks_clean(struct fixture *f)
{
	size_t	 cases, problems;
	char	*cause = NULL;

	if (casefile_check(f->s, f->forms, f->flows, no_problem, NULL, &cases,
	    &problems, &cause) != 0)
		fail_msg("check: %s", cause);
	assert_int_equal(problems, 0);
}

static void
index__lists_and_counts__as_a_full_scan(void **state)
{
	struct fixture	*f = *state;

	every_filter(f);
	counts_as_scan(f);
	checks_clean(f);
}

static void
index__follows__changes(void **state)
{
	struct fixture	*f = *state;
	uint64_t	*ids;
	size_t		 n, i;
	char		*cause = NULL;

	assert_int_equal(casefile_ids(&f->ctx, NULL, CASEFILE_SORT_REFERENCE,
	    &ids, &n, &cause), 0);
	assert_true(n >= 10);
	for (i = 0; i < 10; i++) {
		/* Assign, take off, and (where the workflow allows) move. */
		if (casefile_assign(&f->ctx, ids[i], "ibrahim", i % 2 == 0,
		    &cause) != 0) {
			free(cause);
			cause = NULL;
		}
		if (casefile_event(&f->ctx, ids[i], "prosecutor", "renvoi",
		    &cause) != 0) {
			free(cause);
			cause = NULL;
		}
		if (casefile_move(&f->ctx, ids[i], i % 3 == 0 ? "suspendue" :
		    "cloturee", "motif", &cause) != 0) {
			free(cause);
			cause = NULL;
		}
	}
	free(ids);
	every_filter(f);
	counts_as_scan(f);
	checks_clean(f);
}

static void
index__rebuilt__the_same(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	if (casefile_index_rebuild(f->s, &cause) != 0)
		fail_msg("rebuild: %s", cause);
	every_filter(f);
	counts_as_scan(f);
	checks_clean(f);
}

/* An entry or a counter changed outside dossier: check says which. */
struct tamper {
	uint64_t	 id;
	int		 counter;
};

static int
find_entry_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct tamper	*tp = arg;

	(void)v;
	(void)vlen;
	if (klen >= 3 + 8 && memcmp(k, "hx/region", 9) == 0) {
		tp->id = ~get_be64((const uint8_t *)k + klen - 8);
		return (1);
	}
	return (0);
}

static int
tamper_txn(struct store_txn *t, void *arg, char **cause)
{
	struct tamper	*tp = arg;
	uint8_t		 k[64], v[8];
	size_t		 len;
	int		 rc;

	if (tp->counter) {
		len = strlen("hc/region") + 1 + strlen("mopti");
		memcpy(k, "hc/region\0mopti", len);
		put_be64(v, 9999);
		return (store_put(t, STORE_INDEX, k, len, v, 8, 0, cause));
	}
	tp->id = 0;
	if ((rc = store_scan(t, STORE_INDEX, "hx/region", 9, find_entry_cb,
	    tp, cause)) != 0)
		return (rc);
	assert_true(tp->id != 0);
	return (0);
}

static int
del_entry_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	uint8_t	**key = arg;

	(void)v;
	(void)vlen;
	*key = xmalloc(klen + sizeof klen);
	memcpy(*key, &klen, sizeof klen);
	memcpy(*key + sizeof klen, k, klen);
	return (1);
}

static int
del_txn(struct store_txn *t, void *arg, char **cause)
{
	uint8_t	*key = NULL;
	size_t	 klen;
	int	 rc;

	(void)arg;
	if ((rc = store_scan(t, STORE_INDEX, "hx/region", 9, del_entry_cb,
	    &key, cause)) != 0)
		return (rc);
	assert_non_null(key);
	memcpy(&klen, key, sizeof klen);
	rc = store_del(t, STORE_INDEX, key + sizeof klen, klen, cause);
	free(key);
	return (rc);
}

static int
find_key_txn(struct store_txn *t, void *arg, char **cause)
{
	return (store_scan(t, STORE_INDEX, "hx/region", 9, del_entry_cb, arg,
	    cause));
}

static void
check__names__the_case_the_index_misses(void **state)
{
	struct fixture	*f = *state;
	struct tamper	 tp;
	struct heard	 h;
	size_t		 cases, problems;
	char		*cause = NULL, want[64];

	memset(&tp, 0, sizeof tp);
	assert_int_equal(store_run(f->s, tamper_txn, &tp, &cause), 0);
	assert_int_equal(store_run(f->s, del_txn, NULL, &cause), 0);
	tp.counter = 1;
	assert_int_equal(store_run(f->s, tamper_txn, &tp, &cause), 0);
	h.all = xstrdup("");
	assert_int_equal(casefile_check(f->s, f->forms, f->flows, hear, &h,
	    &cases, &problems, &cause), 0);
	assert_int_equal(problems, 2);
	snprintf(want, sizeof want, "case number %" PRIu64 ":", tp.id);
	if (strstr(h.all, want) == NULL || strstr(h.all, "lacks") == NULL ||
	    strstr(h.all, "region mopti\" says 9999") == NULL)
		fail_msg("check said: %s", h.all);
	free(h.all);
	/* The rebuild puts both right. */
	assert_int_equal(casefile_index_rebuild(f->s, &cause), 0);
	checks_clean(f);
}

/* The keys under a prefix of the index, gathered to be deleted. */
struct keys {
	uint8_t	**k;
	size_t	 *len, n;
};

static int
keys_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct keys	*ks = arg;

	(void)v;
	(void)vlen;
	ks->k = xrealloc(ks->k, (ks->n + 1) * sizeof *ks->k);
	ks->len = xrealloc(ks->len, (ks->n + 1) * sizeof *ks->len);
	ks->k[ks->n] = xmalloc(klen);
	memcpy(ks->k[ks->n], k, klen);
	ks->len[ks->n++] = klen;
	return (0);
}

static void
keys_free(struct keys *ks)
{
	size_t	 i;

	for (i = 0; i < ks->n; i++)
		free(ks->k[i]);
	free(ks->k);
	free(ks->len);
}

/*
 * A store indexed before some counters: none of those under prefix, and
 * not the mark that says they are counted.
 */
struct strip {
	const char	*prefix, *mark;
	size_t		 n;
};

static int
strip_txn(struct store_txn *t, void *arg, char **cause)
{
	struct strip	*sp = arg;
	struct keys	 ks;
	size_t		 i;
	int		 rc;

	memset(&ks, 0, sizeof ks);
	if (sp->prefix != NULL)
		rc = store_scan(t, STORE_INDEX, sp->prefix,
		    strlen(sp->prefix), keys_cb, &ks, cause);
	else
		rc = 0;		/* the mark alone */
	for (i = 0; rc == 0 && i < ks.n; i++)
		rc = store_del(t, STORE_INDEX, ks.k[i], ks.len[i], cause);
	if (rc == 0)
		rc = store_del(t, STORE_INDEX, sp->mark, strlen(sp->mark),
		    cause);
	sp->n = ks.n;
	keys_free(&ks);
	return (rc);
}

/* The index checked as it is, without casefile_index_ensure(). */
static void
count_problem(uint64_t id, const char *msg, void *arg)
{
	(void)id;
	(void)msg;
	(*(size_t *)arg)++;
}

static int
check_as_is_txn(struct store_txn *t, void *arg, char **cause)
{
	*(size_t *)arg = 0;
	return (cf_index_check(t, count_problem, arg, cause));
}

/* The first key under a prefix (strip's), its key in sp->key. */
struct first {
	const char	*prefix;
	uint8_t		*key;
	size_t		 len;
};

static int
first_key_txn(struct store_txn *t, void *arg, char **cause)
{
	struct first	*fk = arg;
	struct keys	 ks;
	int		 rc;

	memset(&ks, 0, sizeof ks);
	rc = store_scan(t, STORE_INDEX, fk->prefix, strlen(fk->prefix),
	    keys_cb, &ks, cause);
	assert_true(ks.n > 0);
	fk->key = xmalloc(ks.len[0]);
	memcpy(fk->key, ks.k[0], ks.len[0]);
	fk->len = ks.len[0];
	keys_free(&ks);
	return (rc);
}

/*
 * Counters made after the index (under prefix, counted once mark is
 * there) are made on first use for a store indexed before them: the
 * counts, the lists and 'check' are then as a full scan says; the first
 * of them changed since by a file writer (a raw Berkeley DB handle) is
 * named by 'check' as said.
 */
static void
counters_made_for_an_older_store(struct fixture *f, const char *prefix,
    const char *mark, const char *said)
{
	struct strip	 sp = { prefix, mark, 0 };
	struct first	 fk = { prefix, NULL, 0 };
	struct heard	 h;
	struct raw	 r;
	uint8_t		 v[8];
	size_t		 cases, problems;
	char		*cause = NULL;

	assert_int_equal(store_run(f->s, strip_txn, &sp, &cause), 0);
	assert_true(sp.n > 10);
	/* Not counted yet (a replica waits for its master): not compared. */
	assert_int_equal(store_run(f->s, check_as_is_txn, &problems, &cause),
	    0);
	assert_int_equal(problems, 0);
	assert_int_equal(casefile_index_ensure(f->s, &cause), 0);
	counts_as_scan(f);
	every_filter(f);
	checks_clean(f);

	/* Then one counter raised by a file writer, through Berkeley DB. */
	assert_int_equal(store_run(f->s, first_key_txn, &fk, &cause), 0);
	let_go(f);
	raw_open(&r, f->data, "index.db");
	put_be64(v, 9999);
	raw_put(&r, fk.key, fk.len, v, sizeof v);
	raw_close(&r);
	free(fk.key);
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	h.all = xstrdup("");
	assert_int_equal(casefile_check(f->s, f->forms, f->flows, hear, &h,
	    &cases, &problems, &cause), 0);
	assert_int_equal(problems, 1);
	if (strstr(h.all, said) == NULL || strstr(h.all, "says 9999") == NULL)
		fail_msg("check said: %s", h.all);
	free(h.all);
}

/*
 * The overdue cases are counted from a counter per deadline day: a store
 * indexed before those counters gets them on first use (its "due"
 * entries counted), and the counts, the lists and 'check' are then as a
 * full scan says; a counter changed since by a file writer (a raw
 * Berkeley DB handle) is named by 'check'.
 */
static void
index__due_counters__made_for_an_older_store(void **state)
{
	counters_made_for_an_older_store(*state, "hc/due", "hd",
	    "the counter \"due ");
}

/*
 * The same for the counters of two conditions (region and state,
 * overdue and an assignee...): the first is "adue", an assignee and a
 * day.  Without its mark alone, they are counted again from nothing,
 * not added to those there.
 */
static void
index__pair_counters__made_for_an_older_store(void **state)
{
	struct fixture	*f = *state;
	struct strip	 sp = { NULL, "hp", 0 };
	char		*cause = NULL;

	/* The mark alone taken away: counted again from nothing. */
	assert_int_equal(store_run(f->s, strip_txn, &sp, &cause), 0);
	assert_int_equal(casefile_index_ensure(f->s, &cause), 0);
	checks_clean(f);
	counters_made_for_an_older_store(f, "hm/", "hp",
	    "the counter \"adue ");
}

/* Run 'dossier ARGS' on the fixture's data; its exit status, its output in *out. */
static int
run_dossier(struct fixture *f, const char *args, char **out)
{
	char	*cmd, *path, buf[4096];
	FILE	*fp;
	size_t	 n;
	int	 st;

	xasprintf(&path, "%s/out.txt", f->tmp);
	xasprintf(&cmd, "'%s' --data '%s' %s >'%s' 2>&1", getenv("DOSSIER"),
	    f->data, args, path);
	st = system(cmd);
	free(cmd);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	free(path);
	*out = xstrdup(buf);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/*
 * An index entry deleted and a counter changed with a raw Berkeley DB
 * handle, as someone with write access to the files could: 'check' names
 * both and fails; 'check --repair' rebuilds the indexes from the headers,
 * says so and passes; 'check' passes again.
 */
static void
check__repair__rebuilds_an_index_tampered_with(void **state)
{
	struct fixture	*f = *state;
	struct raw	 r;
	uint8_t		*key = NULL, v[8];
	size_t		 klen;
	char		*cause = NULL, *out;

	assert_int_equal(store_run(f->s, find_key_txn, &key, &cause), 0);
	assert_non_null(key);
	memcpy(&klen, key, sizeof klen);
	let_go(f);

	raw_open(&r, f->data, "index.db");
	raw_del(&r, key + sizeof klen, klen);
	put_be64(v, 9999);
	raw_put(&r, "hc/region\0mopti", strlen("hc/region") + 1 +
	    strlen("mopti"), v, sizeof v);
	raw_close(&r);
	free(key);

	assert_int_not_equal(run_dossier(f, "check", &out), 0);
	if (strstr(out, "lacks") == NULL ||
	    strstr(out, "region mopti\" says 9999") == NULL)
		fail_msg("check said: %s", out);
	free(out);
	if (run_dossier(f, "check --repair", &out) != 0 ||
	    strstr(out, "rebuilt") == NULL || strstr(out, "lacks") == NULL)
		fail_msg("check --repair said: %s", out);
	free(out);
	if (run_dossier(f, "check", &out) != 0)
		fail_msg("check after the repair said: %s", out);
	free(out);

	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	checks_clean(f);
}

/* The agents of the agent index and their cases, read from its entries. */
struct agents {
	char		(*hex)[65];
	size_t		 *cases, n;
	uint64_t	  last;
};

static int
agents_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct agents	*a = arg;
	const char	*hex = (const char *)k + 6;
	uint64_t	 id;

	(void)v;
	(void)vlen;
	assert_int_equal(klen, 6 + 64 + 1 + 16);
	id = get_be64((const uint8_t *)hex + 65);
	if (a->n == 0 || memcmp(a->hex[a->n - 1], hex, 64) != 0) {
		a->hex = xrealloc(a->hex, (a->n + 1) * sizeof *a->hex);
		a->cases = xrealloc(a->cases, (a->n + 1) * sizeof *a->cases);
		memcpy(a->hex[a->n], hex, 64);
		a->hex[a->n][64] = '\0';
		a->cases[a->n++] = 1;
	} else if (id != a->last)
		a->cases[a->n - 1]++;
	a->last = id;
	return (0);
}

static int
agents_txn(struct store_txn *t, void *arg, char **cause)
{
	return (store_scan_keys(t, STORE_INDEX, "agent/", 6, agents_cb, arg,
	    cause));
}

/* The early warning from min cases: want agents, each named so often. */
static void
agents_over(struct fixture *f, size_t min, size_t want)
{
	struct casefile_agent_count	*l;
	size_t				 n, i;
	char				*cause = NULL;

	assert_int_equal(casefile_agent_counts(&f->ctx, min, &l, &n, &cause),
	    0);
	assert_int_equal(n, want);
	for (i = 0; i < n; i++)
		assert_true(l[i].cases >= min);
	casefile_agent_counts_free(l, n);
}

/*
 * The early warning (casefile_agent_counts()) lists every agent the
 * entries name, with as many cases, the most named first, and only
 * those named in min cases or more; the first's cases are its entries'.
 */
static void
agents_as_scan(struct fixture *f)
{
	struct agents			 a;
	struct casefile_agent_count	*l;
	size_t				 n, i, j, over, nids;
	uint64_t			*ids;
	char				*cause = NULL;

	memset(&a, 0, sizeof a);
	assert_int_equal(store_run(f->s, agents_txn, &a, &cause), 0);
	assert_true(a.n > 10);
	if (casefile_agent_counts(&f->ctx, 1, &l, &n, &cause) != 0)
		fail_msg("agents: %s", cause);
	assert_int_equal(n, a.n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < a.n && strcmp(a.hex[j], l[i].hex) != 0; j++)
			;
		if (j == a.n || a.cases[j] != l[i].cases)
			fail_msg("agent %.12s: %zu cases listed, %zu named",
			    l[i].hex, l[i].cases, j == a.n ? 0 : a.cases[j]);
		if (i > 0)
			assert_true(l[i - 1].cases >= l[i].cases);
	}
	if (casefile_agent_ids(&f->ctx, l[0].hex, &ids, &nids, &cause) != 0)
		fail_msg("ids: %s", cause);
	assert_int_equal(nids, l[0].cases);
	for (i = 1; i < nids; i++)
		assert_true(ids[i - 1] < ids[i]);
	free(ids);
	/* Only those named in as many cases as the first (the most). */
	for (i = over = 0; i < a.n; i++)
		over += a.cases[i] >= l[0].cases;
	agents_over(f, l[0].cases, over);
	casefile_agent_counts_free(l, n);
	free(a.hex);
	free(a.cases);
}

/*
 * The agents' mark set back to the first agent, as a file writer could,
 * the second agent's counter and place changed to 777 beforehand.
 */
static int
mark_back_txn(struct store_txn *t, void *arg, char **cause)
{
	struct agents	*a = arg;
	uint8_t		 k[3 + 64], rk[3 + 8 + 64], v[8];
	int		 rc;

	memcpy(k, "an/", 3);
	memcpy(k + 3, a->hex[1], 64);
	put_be64(v, 777);
	memcpy(rk, "ar/", 3);
	put_be64(rk + 3, 777);
	memcpy(rk + 11, a->hex[1], 64);
	rc = store_put(t, STORE_INDEX, k, sizeof k, v, sizeof v, 0, cause);
	if (rc == 0)
		rc = store_put(t, STORE_INDEX, rk, sizeof rk, "", 0, 0, cause);
	if (rc == 0)
		rc = store_put(t, STORE_INDEX, "am", 2, a->hex[0], 64, 0,
		    cause);
	return (rc);
}

/* A counter, and its place, of an agent no entry names. */
static int
stale_txn(struct store_txn *t, void *arg, char **cause)
{
	uint8_t		 k[3 + 64], rk[3 + 8 + 64], v[8];
	int		 rc;

	(void)arg;
	memcpy(k, "an/", 3);
	memset(k + 3, 'e', 64);
	put_be64(v, 5000);
	memcpy(rk, "ar/", 3);
	put_be64(rk + 3, 5000);
	memset(rk + 11, 'e', 64);
	rc = store_put(t, STORE_INDEX, k, sizeof k, v, sizeof v, 0, cause);
	if (rc == 0)
		rc = store_put(t, STORE_INDEX, rk, sizeof rk, "", 0, 0, cause);
	return (rc);
}

/*
 * The dashboard's early warning reads counters of the agent index, kept
 * with its entries.  They say what the entries say; a store counted
 * before them (its mark taken away, a stale counter left) is counted
 * again from nothing at the next sign-in; a counter raised and an agent
 * made up by a file writer (a raw Berkeley DB handle) are named by
 * 'check', and 'check --repair' counts them again.
 */
static void
index__agent_counters__as_the_entries_say(void **state)
{
	struct fixture	*f = *state;
	struct strip	 sp = { NULL, "am", 0 };
	struct first	 fk = { "an/", NULL, 0 };
	struct agents	 a;
	struct heard	 h;
	struct raw	 r;
	uint8_t		 v[8], ek[3 + 8 + 64];
	size_t		 cases, problems;
	char		*cause = NULL, *out, *pass;

	agents_as_scan(f);
	memset(&a, 0, sizeof a);
	assert_int_equal(store_run(f->s, agents_txn, &a, &cause), 0);
	checks_clean(f);

	/* Counted before: the mark gone, a stale counter left. */
	assert_int_equal(store_run(f->s, stale_txn, NULL, &cause), 0);
	assert_int_equal(store_run(f->s, strip_txn, &sp, &cause), 0);
	assert_int_equal(casefile_index_ensure(f->s, &cause), 0);
	agents_as_scan(f);
	checks_clean(f);
	/* The mark moved back by hand, a counter after it wrong: the agents
	 * after it counted again, each in its place once. */
	assert_int_equal(store_run(f->s, mark_back_txn, &a, &cause), 0);
	assert_int_equal(casefile_index_ensure(f->s, &cause), 0);
	agents_as_scan(f);
	checks_clean(f);

	/* A counter raised by a file writer. */
	assert_int_equal(store_run(f->s, first_key_txn, &fk, &cause), 0);
	let_go(f);
	raw_open(&r, f->data, "index.db");
	put_be64(v, 9999);
	raw_put(&r, fk.key, fk.len, v, sizeof v);
	/* And an agent no record names, counter and place, made up. */
	memcpy(ek, "an/", 3);
	memset(ek + 3, 'e', 64);
	put_be64(v, 7);
	raw_put(&r, ek, 3 + 64, v, sizeof v);
	memcpy(ek, "ar/", 3);
	put_be64(ek + 3, 7);
	memset(ek + 11, 'e', 64);
	raw_put(&r, ek, sizeof ek, "", 0);
	raw_close(&r);
	free(fk.key);
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	h.all = xstrdup("");
	assert_int_equal(casefile_check(f->s, f->forms, f->flows, hear, &h,
	    &cases, &problems, &cause), 0);
	if (problems < 2 || strstr(h.all, "the counter of agent") == NULL ||
	    strstr(h.all, "says 9999") == NULL ||
	    strstr(h.all, "eeeeeeeeeeee (blind index) counts cases that the "
	    "agent index does not name") == NULL)
		fail_msg("check said: %s", h.all);
	free(h.all);
	store_close(f->s);
	f->s = NULL;
	if (run_dossier(f, "check --repair", &out) != 0 ||
	    strstr(out, "rebuilt") == NULL)
		fail_msg("check --repair said: %s", out);
	free(out);
	if (run_dossier(f, "check", &out) != 0)
		fail_msg("check after the repair said: %s", out);
	free(out);
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	pass = helper_demo_pass(f->data, "oumar");
	f->sup = helper_signin(f->s, "oumar", pass);
	free(pass);
	f->ctx.sess = f->sup;
	agents_as_scan(f);
	free(a.hex);
	free(a.cases);
}

/* n new cases, each with a report and a recommendation from it. */
static void
recs_cases(struct fixture *f, uint64_t *ids, size_t n)
{
	char	 src[24], day[16];
	size_t	 i;

	format_day(casefile_today() + 30, day);
	for (i = 0; i < n; i++) {
		ids[i] = helper_new_case(&f->ctx, "Recommandation");
		snprintf(src, sizeof src, "%" PRIu64, helper_add(&f->ctx,
		    ids[i], "report", "facts", "Faits", "conclusions",
		    "Conclusions", NULL));
		helper_add(&f->ctx, ids[i], "recommendation", "source",
		    "report", "source_record", src, "addressee_unit", "Unité",
		    "addressee_force", "police", "measure", "Mesure",
		    "deadline", day, "status", "accepted", NULL);
	}
}

/* A full scan of the headers: the ids of those counting a recommendation. */
struct recs_scan {
	uint64_t	*ids;
	size_t		 n;
};

static int
recs_scan_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	struct recs_scan	*rs = arg;
	struct record		*h;

	if (klen != 8 || (h = record_decode(v, vlen, NULL)) == NULL)
		return (0);
	if (record_get_int(h, "n.recommendation", 0) > 0) {
		rs->ids = xrealloc(rs->ids, (rs->n + 1) * sizeof *rs->ids);
		rs->ids[rs->n++] = get_be64(k);
	}
	record_free(h);
	return (0);
}

static int
recs_scan_txn(struct store_txn *t, void *arg, char **cause)
{
	struct recs_scan	*rs = arg;

	free(rs->ids);
	rs->ids = NULL;
	rs->n = 0;
	return (store_scan(t, STORE_CASES, NULL, 0, recs_scan_cb, rs, cause));
}

/*
 * The cases the entries "recs" name are those a full scan finds (in
 * id order; the entries give them newest first), want[0..n) among them;
 * their number.
 */
static size_t
recs_are(struct fixture *f, const uint64_t *want, size_t nwant)
{
	struct recs_scan	 rs = { NULL, 0 };
	uint64_t		*ids;
	size_t			 got, i, j;
	char			*cause = NULL;

	assert_int_equal(store_run(f->s, recs_scan_txn, &rs, &cause), 0);
	if (casefile_recs_ids(&f->ctx, &ids, &got, &cause) != 0)
		fail_msg("recs: %s", cause ? cause : "not made");
	assert_int_equal(got, rs.n);
	for (i = 0; i < got; i++)
		assert_int_equal(ids[i], rs.ids[got - 1 - i]);
	for (i = 0; i < nwant; i++) {
		for (j = 0; j < rs.n && rs.ids[j] != want[i]; j++)
			;
		assert_true(j < rs.n);
	}
	free(ids);
	free(rs.ids);
	return (got);
}

/*
 * The follow-up of recommendations reads the cases the entries "recs"
 * name: exactly those whose header counts a recommendation, made for a
 * store older than them, and 'check' names the case whose entry a file
 * writer (a raw Berkeley DB handle) took out, or planted, which would
 * hide its recommendations from the follow-up.
 */
static void
index__recs__as_the_headers_say(void **state)
{
	struct fixture	*f = *state;
	struct strip	 sp = { "hx/recs", "hr", 0 };
	struct heard	 h;
	struct raw	 r;
	uint64_t	 ids[3], *all;
	uint8_t		 k[16];
	size_t		 n, nrecs, problems, cases;
	char		*cause = NULL, *pass, want[64];

	/* The demo's missions (every hundredth case), and three more. */
	assert_int_equal(recs_are(f, NULL, 0), 3);
	recs_cases(f, ids, 3);
	nrecs = recs_are(f, ids, 3);
	assert_int_equal(nrecs, 6);
	checks_clean(f);

	/* A store older than them: not compared, then made at first use. */
	assert_int_equal(store_run(f->s, strip_txn, &sp, &cause), 0);
	assert_int_equal(sp.n, nrecs);
	assert_int_equal(store_run(f->s, check_as_is_txn, &problems, &cause),
	    0);
	assert_int_equal(problems, 0);
	assert_int_equal(recs_are(f, ids, 3), nrecs);
	checks_clean(f);

	/* A file writer takes one out and plants one on the oldest case. */
	assert_int_equal(casefile_ids(&f->ctx, NULL, CASEFILE_SORT_REFERENCE,
	    &all, &n, &cause), 0);
	let_go(f);
	raw_open(&r, f->data, "index.db");
	memcpy(k, "hx/recs", 8);
	put_be64(k + 8, ~ids[1]);
	raw_del(&r, k, sizeof k);
	put_be64(k + 8, ~all[n - 1]);
	raw_put(&r, k, sizeof k, "", 0);
	raw_close(&r);
	if (store_open(&f->s, f->data, 0, &cause) != 0)
		fail_msg("open: %s", cause);
	h.all = xstrdup("");
	assert_int_equal(casefile_check(f->s, f->forms, f->flows, hear, &h,
	    &cases, &problems, &cause), 0);
	assert_int_equal(problems, 2);
	snprintf(want, sizeof want, "case number %" PRIu64 ":", ids[1]);
	if (strstr(h.all, want) == NULL ||
	    strstr(h.all, "lacks its entry \"recs\"") == NULL)
		fail_msg("check said: %s", h.all);
	snprintf(want, sizeof want, "case number %" PRIu64 ":", all[n - 1]);
	if (strstr(h.all, want) == NULL ||
	    strstr(h.all, "added outside dossier") == NULL)
		fail_msg("check said: %s", h.all);
	free(h.all);
	free(all);
	/* The rebuild puts both right. */
	assert_int_equal(casefile_index_rebuild(f->s, &cause), 0);
	checks_clean(f);
	pass = helper_demo_pass(f->data, "oumar");
	f->sup = helper_signin(f->s, "oumar", pass);
	free(pass);
	f->ctx.sess = f->sup;
	assert_int_equal(recs_are(f, ids, 3), nrecs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    index__lists_and_counts__as_a_full_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(index__follows__changes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(index__rebuilt__the_same, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    index__due_counters__made_for_an_older_store, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    index__pair_counters__made_for_an_older_store, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    check__names__the_case_the_index_misses, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    check__repair__rebuilds_an_index_tampered_with, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    index__agent_counters__as_the_entries_say, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    index__recs__as_the_headers_say, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
