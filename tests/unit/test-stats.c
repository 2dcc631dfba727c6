/*
 * test-stats.c: the figures of 'dossier stats' on a generated data set
 * in a real store with real keys, compared with a count kept by the test
 * itself as it made the cases; who counts what (headers for all, content
 * only with the key, never witness data); the durations of stages on a
 * moved clock; and suppression for publication, checked against an
 * independent criterion: a hidden number of a table with its margins can
 * be worked out from the numbers shown exactly when its edge is a bridge
 * of the bipartite graph of hidden numbers (rows and columns as nodes,
 * totals included), or, in a one-way table, when it is hidden alone.
 */
#include "config.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "stats.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define PASS	HELPER_USER_PASS
#define NCASES	36
#define SENTINEL "SENTINELLE-TEMOIN"

struct fixture {
	char			*tmp;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct session		*reg, *inv1, *sup;
	struct casefile_ctx	 creg, cinv1, csup;
};

/* The team every test starts from (helpers.h). */
static void
team(struct fixture *f, struct helper_user *u)
{
	const struct helper_user t[] = {
		{ "sup", "supervisor", &f->sup, &f->csup },
		{ "reg", "registrar", &f->reg, &f->creg },
		{ "inv1", "investigator", &f->inv1, &f->cinv1 }
	};

	memcpy(u, t, sizeof t);
}
#define TEAM	3

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct helper_user	 u[TEAM];

	team(f, u);
	f->s = helper_team(&f->tmp, &f->forms, &f->flows, u, TEAM);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture		*f = *state;
	struct helper_user	 u[TEAM];

	team(f, u);
	helper_team_free(f->tmp, f->s, f->forms, f->flows, u, TEAM);
	free(f);
	return (0);
}

/* The test's own count: codes and how many, per dimension. */
struct tally {
	char	*code[64];
	long	 n[64];
	size_t	 len;
};

static void
tally(struct tally *t, const char *code)
{
	size_t	 i;

	for (i = 0; i < t->len; i++) {
		if (strcmp(t->code[i], code) == 0) {
			t->n[i]++;
			return;
		}
	}
	assert_true(t->len < 64);
	t->code[t->len] = xstrdup(code);
	t->n[t->len++] = 1;
}

static void
tally_free(struct tally *t)
{
	size_t	 i;

	for (i = 0; i < t->len; i++)
		free(t->code[i]);
	memset(t, 0, sizeof *t);
}

/* The table of dimension d in st says exactly what the tally says. */
static void
same_counts(const struct stats *st, enum stats_dim d, const struct tally *t)
{
	const struct stats_table	*tab = NULL;
	size_t				 i, r;
	long				 sum = 0;

	for (i = 0; i < st->ntables; i++)
		if (st->tables[i]->row == d && st->tables[i]->col == STATS_NDIM)
			tab = st->tables[i];
	assert_non_null(tab);
	if (tab->nr != t->len)
		fail_msg("%s: %zu values counted, %zu made",
		    stats_dim_info(d)->name, tab->nr, t->len);
	for (i = 0; i < t->len; i++) {
		for (r = 0; r < tab->nr; r++)
			if (strcmp(tab->rcodes[r], t->code[i]) == 0)
				break;
		if (r == tab->nr)
			fail_msg("%s: no row %s", stats_dim_info(d)->name,
			    t->code[i]);
		if (tab->grid[STATS_AT(tab, r, 0)] != t->n[i])
			fail_msg("%s=%s: %ld counted, %ld made",
			    stats_dim_info(d)->name, t->code[i],
			    tab->grid[STATS_AT(tab, r, 0)], t->n[i]);
		sum += t->n[i];
	}
	assert_int_equal(tab->grid[STATS_AT(tab, tab->nr, 0)], sum);
}

static const char *regions[] = { "mopti", "gao", "kayes", "segou", "kidal" };
static const char *forces[] = { "police", "gendarmerie", "garde", "armee" };
static const char *channels[] = { "letter", "phone", "in_person" };
static const char *sexes[] = { "f", "m", NULL };
static const char *ages[] = { "child", "adult", NULL, "elderly" };
static const char *cats[] = { "liberty.arbitrary", "integrity.torture",
    "integrity.torture,integrity.force", "probity.extortion",
    "sgbv.rape,liberty.custody" };
static const char *units[] = { "Brigade de Sévaré", "BRIGADE  de Sévaré",
    "GMS Gao", NULL };
static const char *unit_codes[] = { "brigade de sévaré",
    "brigade de sévaré", "gms gao", STATS_NONE };
static const char *findings[] = { "sustained", "unfounded", "pending",
    "not_sustained" };

/* One code or several, comma-separated, into a tally (group: before '.'). */
static void
tally_codes(struct tally *t, const char *codes, int group)
{
	char	*copy = xstrdup(codes), *p, *save = NULL, *dot;
	char	*seen[8];
	size_t	 n = 0, i;

	for (p = strtok_r(copy, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (group && (dot = strchr(p, '.')) != NULL)
			*dot = '\0';
		for (i = 0; i < n; i++)
			if (strcmp(seen[i], p) == 0)
				break;
		if (i < n)
			continue;
		seen[n++] = p;
		tally(t, p);
	}
	free(copy);
}

static void
stats__figures__match_an_independent_count(void **state)
{
	struct fixture	*f = *state;
	struct tally	 region = { 0 }, force = { 0 }, channel = { 0 };
	struct tally	 sex = { 0 }, age = { 0 }, cat = { 0 }, group = { 0 };
	struct tally	 unit = { 0 }, finding = { 0 }, decision = { 0 };
	struct tally	 sanction = { 0 }, ifinding = { 0 }, iunit = { 0 };
	struct tally	 cross = { 0 }, received = { 0 };
	struct stats	*st, *si;
	struct record	*r;
	char		*ref, *cause = NULL, *out, key[64], agent[24] = "";
	struct stats_table	*t;
	uint64_t	 id;
	size_t		 i, k, a, b, readable = 0;
	int		 fmt, mine, had;

	for (i = 0; i < NCASES; i++) {
		r = helper_intake("Faits");
		record_set_str(r, "region", regions[i % 5]);
		record_set_str(r, "force", forces[(i * 7) % 4]);
		record_set_str(r, "channel", channels[(i / 2) % 3]);
		if (sexes[i % 3] != NULL)
			record_set_str(r, "victim_sex", sexes[i % 3]);
		if (ages[(i / 3) % 4] != NULL)
			record_set_str(r, "victim_age", ages[(i / 3) % 4]);
		record_set_str(r, "categories", cats[(i * 3) % 5]);
		if (units[i % 4] != NULL)
			record_set_str(r, "unit", units[i % 4]);
		record_set_str(r, "received", i % 2 ? "2025-03-02 10:00" :
		    "2026-11-20 09:30");
		/* The facts before the complaint (the intake refuses else). */
		if (i % 2)
			record_set_str(r, "facts_date", "2025-02-27");
		if (casefile_create(&f->creg, "inspection", r, &ref,
		    &cause) != 0)
			fail_msg("create: %s", cause);
		record_free(r);
		assert_int_equal(casefile_find(&f->creg, ref, &id, &cause), 0);
		free(ref);
		mine = i % 3 == 0;
		if (mine && casefile_assign(&f->csup, id, "inv1", 1,
		    &cause) != 0)
			fail_msg("assign: %s", cause);
		readable += mine;
		tally(&region, regions[i % 5]);
		tally(&force, forces[(i * 7) % 4]);
		snprintf(key, sizeof key, "%s/%s", regions[i % 5],
		    forces[(i * 7) % 4]);
		tally(&cross, key);
		tally(&channel, channels[(i / 2) % 3]);
		tally(&sex, sexes[i % 3] != NULL ? sexes[i % 3] : STATS_NONE);
		tally(&age, ages[(i / 3) % 4] != NULL ? ages[(i / 3) % 4] :
		    STATS_NONE);
		tally_codes(&cat, cats[(i * 3) % 5], 0);
		tally_codes(&group, cats[(i * 3) % 5], 1);
		tally(&received, i % 2 ? "2025" : "2026");
		tally(&unit, unit_codes[i % 4]);
		tally(&iunit, mine ? unit_codes[i % 4] : STATS_NOKEY);
		/* Allegations: none, one, or two with their findings. */
		had = 0;
		if (i % 3 != 0)		/* whom the allegations concern */
			snprintf(agent, sizeof agent, "%" PRIu64, helper_add(&f->csup,
			    id, "person", "role", "agent", "full_name",
			    "Sgt Diarra", NULL));
		for (k = 0; k < i % 3; k++) {
			a = (i + k) % 4;
			helper_add(&f->csup, id, "allegation", "agent", agent,
			    "category", "liberty.arbitrary", "finding",
			    findings[a], NULL);
			tally(&finding, findings[a]);
			if (mine)
				tally(&ifinding, findings[a]);
			had = 1;
		}
		if (!had) {
			tally(&finding, STATS_NONE);
			if (mine)
				tally(&ifinding, STATS_NONE);
		}
		if (!mine)
			tally(&ifinding, STATS_NOKEY);
		if (i % 5 == 0) {
			helper_add(&f->csup, id, "decision", "level", "authority",
			    "verdict", "decided", "decided_by", "DG", "date",
			    "2026-11-28", "outcome", i % 2 ? "sanction" :
			    "board,prosecutor", "sanction", i % 2 ?
			    "Blâme" : "", NULL);
			tally_codes(&decision, i % 2 ? "sanction" :
			    "board,prosecutor", 0);
			tally(&sanction, i % 2 ? "blâme" : STATS_UNSTATED);
		} else {
			tally(&decision, STATS_NONE);
			tally(&sanction, STATS_NONE);
		}
		/* A witness the supervisor recorded, who must never count. */
		if (i % 4 == 0)
			helper_add(&f->csup, id, "witness", "full_name", SENTINEL,
			    "officer_unit", SENTINEL, "role", "direct", NULL);
	}

	/* The first run opens every case and leaves their digests. */
	assert_int_equal(stats_collect(&f->csup, NULL, &st, &cause), 0);
	assert_int_equal(st->opened, NCASES);
	assert_int_equal(st->digests, 0);
	stats_free(st);
	/* The second reads the digests alone, and counts the same. */
	assert_int_equal(stats_collect(&f->csup, NULL, &st, &cause), 0);
	assert_int_equal(st->digests, NCASES);
	assert_int_equal(st->opened, 0);
	helper_stats_same(&f->csup, NULL, st);
	assert_int_equal(st->ncases, NCASES);
	assert_int_equal(st->readable, NCASES);
	same_counts(st, STATS_REGION, &region);
	same_counts(st, STATS_FORCE, &force);
	same_counts(st, STATS_CHANNEL, &channel);
	same_counts(st, STATS_SEX, &sex);
	same_counts(st, STATS_AGE, &age);
	same_counts(st, STATS_CATEGORY, &cat);
	same_counts(st, STATS_CATEGORY_GROUP, &group);
	same_counts(st, STATS_RECEIVED, &received);
	same_counts(st, STATS_UNIT, &unit);
	same_counts(st, STATS_FINDING, &finding);
	same_counts(st, STATS_DECISION, &decision);
	same_counts(st, STATS_SANCTION, &sanction);

	/* A cross-tabulation: each cell against the test's own count. */
	t = stats_table(st, STATS_REGION, STATS_FORCE);
	for (a = 0; a < t->nr; a++) {
		for (b = 0; b < t->nc; b++) {
			snprintf(key, sizeof key, "%s/%s", t->rcodes[a],
			    t->ccodes[b]);
			for (k = 0; k < cross.len; k++)
				if (strcmp(cross.code[k], key) == 0)
					break;
			assert_int_equal(t->grid[STATS_AT(t, a, b)],
			    k < cross.len ? cross.n[k] : 0);
		}
	}
	assert_int_equal(t->grid[STATS_AT(t, t->nr, t->nc)], NCASES);
	stats_table_free(t);

	/*
	 * Witness data never reaches any rendering.  A unit is counted
	 * folded, and shown in the words it was first entered as: one row
	 * for "Brigade de Sévaré" and "BRIGADE  de Sévaré".
	 */
	for (fmt = STATS_TEXT; fmt <= STATS_JSON; fmt++) {
		out = stats_render(st, f->forms, f->flows, fmt);
		assert_null(strstr(out, SENTINEL));
		assert_non_null(strstr(out, "GMS Gao"));
		assert_non_null(strstr(out, fmt == STATS_JSON ?
		    "\"Brigade de S\\u00E9var\\u00E9\"" : "Brigade de Sévaré"));
		assert_null(strstr(out, "BRIGADE"));
		if (fmt == STATS_JSON)
			assert_non_null(strstr(out, "\"gms gao\""));
		free(out);
	}

	/* The investigator holds no oversight key: no digest is read. */
	assert_int_equal(stats_collect(&f->cinv1, NULL, &si, &cause), 0);
	assert_int_equal(si->digests, 0);
	assert_int_equal(si->opened, NCASES);
	assert_int_equal(si->ncases, NCASES);
	assert_int_equal(si->readable, readable);
	same_counts(si, STATS_REGION, &region);
	same_counts(si, STATS_CATEGORY, &cat);
	same_counts(si, STATS_SEX, &sex);
	same_counts(si, STATS_FINDING, &ifinding);
	same_counts(si, STATS_UNIT, &iunit);
	out = stats_render(si, f->forms, f->flows, STATS_TEXT);
	for (k = 0; out[k] != '\0'; k++)
		if (out[k] == '\n')
			out[k] = ' ';
	assert_non_null(strstr(out, "24 cases are counted from their header "
	    "only"));
	free(out);
	stats_free(si);
	stats_free(st);

	tally_free(&region); tally_free(&force); tally_free(&channel);
	tally_free(&sex); tally_free(&age); tally_free(&cat);
	tally_free(&group); tally_free(&unit); tally_free(&finding);
	tally_free(&decision); tally_free(&sanction); tally_free(&ifinding);
	tally_free(&iunit); tally_free(&cross); tally_free(&received);
}

static int64_t	 clock_now;

static int64_t
test_clock(void)
{
	return (clock_now);
}

static uint64_t
new_case(struct fixture *f)
{
	struct record	*r = helper_intake("Faits");
	char		*ref, *cause = NULL;
	uint64_t	 id;

	if (casefile_create(&f->creg, "inspection", r, &ref, &cause) != 0)
		fail_msg("create: %s", cause);
	record_free(r);
	assert_int_equal(casefile_find(&f->creg, ref, &id, &cause), 0);
	free(ref);
	return (id);
}

static void
move_on(struct fixture *f, uint64_t id, const char *to, int64_t t0, int day)
{
	char	*cause = NULL;

	clock_now = t0 + (int64_t)day * 86400;
	if (casefile_move(&f->csup, id, to, NULL, &cause) != 0)
		fail_msg("move to %s: %s", to, cause);
}

/* Digests: what a run of the supervisor reads in place of the cases. */
struct raw_digest {
	uint64_t	 from, to;	/* copy from's digest over to's */
	int		 garbage;	/* or write garbage over to's */
	int		 n;		/* digests found */
};

static int
raw_digest_count_cb(const void *k, size_t klen, const void *v, size_t vlen,
    void *arg)
{
	(void)k; (void)klen; (void)v; (void)vlen;
	((struct raw_digest *)arg)->n++;
	return (0);
}

static int
raw_digest_txn(struct store_txn *t, void *arg, char **cause)
{
	struct raw_digest	*a = arg;
	uint8_t			 kf[LAYOUT_STATS_KEYLEN], kt[LAYOUT_STATS_KEYLEN];
	uint8_t			*v, junk[64];
	size_t			 len;
	int			 rc;

	a->n = 0;
	if (a->to == 0)
		return (store_scan(t, STORE_INDEX, LAYOUT_STATS_PREFIX,
		    strlen(LAYOUT_STATS_PREFIX), raw_digest_count_cb, a,
		    cause));
	layout_stats_key(kt, a->to);
	if (a->garbage) {
		memset(junk, 'x', sizeof junk);
		return (store_put(t, STORE_INDEX, kt, sizeof kt, junk,
		    sizeof junk, 0, cause));
	}
	layout_stats_key(kf, a->from);
	if ((rc = store_get(t, STORE_INDEX, kf, sizeof kf, &v, &len,
	    cause)) != 0)
		return (rc);
	rc = store_put(t, STORE_INDEX, kt, sizeof kt, v, len, 0, cause);
	free(v);
	return (rc);
}

static int
raw_digest(struct fixture *f, uint64_t from, uint64_t to, int garbage)
{
	struct raw_digest	 a = { from, to, garbage, 0 };
	char			*cause = NULL;

	if (store_run(f->s, raw_digest_txn, &a, &cause) != 0)
		fail_msg("raw: %s", cause);
	return (a.n);
}

/* A supervisor's run: how many cases came from digests, how many whole. */
static void
run_digests(struct fixture *f, size_t digests, size_t opened)
{
	struct stats	*st;
	char		*cause = NULL;

	if (stats_collect(&f->csup, NULL, &st, &cause) != 0)
		fail_msg("stats: %s", cause);
	if (st->digests != digests || st->opened != opened)
		fail_msg("%zu digests and %zu cases opened, not %zu and %zu",
		    st->digests, st->opened, digests, opened);
	helper_stats_same(&f->csup, NULL, st);
	stats_free(st);
}

static void
stats__digests__follow_every_change_and_refuse_tampering(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 id[4], agent;
	char		*cause = NULL, ref[24];
	size_t		 i;

	for (i = 0; i < 4; i++) {
		id[i] = new_case(f);
		agent = helper_add(&f->csup, id[i], "person", "role", "agent",
		    "full_name", "Sgt Diarra", NULL);
		snprintf(ref, sizeof ref, "%" PRIu64, agent);
		helper_add(&f->csup, id[i], "allegation", "agent", ref,
		    "category", "liberty.arbitrary", "finding", findings[i],
		    NULL);
		snprintf(ref, sizeof ref, "%" PRIu64, helper_add(&f->csup,
		    id[i], "report", "facts", "Faits", "conclusions",
		    "Conclusions", NULL));
		helper_add(&f->csup, id[i], "recommendation", "source",
		    "report", "source_record", ref,
		    "addressee_unit", " Brigade  de GAO ",
		    "addressee_force", "police", "measure", "Former",
		    "deadline", "2020-01-02", "status", "accepted", NULL);
		helper_add(&f->csup, id[i], "witness", "full_name", SENTINEL,
		    "role", "direct", NULL);
	}
	/* No digest yet: every case opened, a digest left for each. */
	assert_int_equal(raw_digest(f, 0, 0, 0), 0);
	run_digests(f, 0, 4);
	assert_int_equal(raw_digest(f, 0, 0, 0), 4);
	run_digests(f, 4, 0);

	/* A change removes the case's digest in its own transaction. */
	helper_add(&f->csup, id[1], "decision", "level", "authority",
	    "verdict", "decided", "decided_by", "DG", "date", "2026-11-28",
	    "outcome", "sanction", "sanction", "Blâme", NULL);
	assert_int_equal(raw_digest(f, 0, 0, 0), 3);
	run_digests(f, 3, 1);
	if (casefile_move(&f->csup, id[2], "enregistree", NULL, &cause) != 0)
		fail_msg("move: %s", cause);
	run_digests(f, 3, 1);

	/* A digest moved to another case, or damaged, is not read. */
	raw_digest(f, id[0], id[3], 0);
	run_digests(f, 3, 1);
	raw_digest(f, 0, id[0], 1);
	run_digests(f, 3, 1);
	run_digests(f, 4, 0);
}

static const struct stats_stage *
stage(const struct stats *st, const char *state)
{
	size_t	 i;

	for (i = 0; i < st->nstages; i++)
		if (strcmp(st->stages[i].workflow, "inspection") == 0 &&
		    strcmp(st->stages[i].state, state) == 0)
			return (&st->stages[i]);
	fail_msg("no stage %s", state);
	return (NULL);
}

static void
stats__stages__have_durations_and_deadlines(void **state)
{
	struct fixture			*f = *state;
	const struct stats_stage	*g;
	struct stats			*st;
	char				*cause = NULL;
	int64_t				 t0;
	uint64_t			 a, b, c;

	/* Noon, so that whole days apart are whole days of the calendar. */
	t0 = (int64_t)time(NULL) / 86400 * 86400 + 43200;
	clock_now = t0;
	util_set_clock(test_clock);
	a = new_case(f);
	b = new_case(f);
	c = new_case(f);
	move_on(f, c, "enregistree", t0, 1);		/* 1 day, met */
	move_on(f, a, "enregistree", t0, 2);		/* 2 days, met */
	move_on(f, b, "enregistree", t0, 4);		/* 4 days, late */
	move_on(f, b, "examen_prealable", t0, 5);	/* 1 day, met */
	move_on(f, a, "examen_prealable", t0, 10);	/* 8 days, late */
	/* Day 10: c has sat 9 days in 'enregistree' (5 allowed). */
	assert_int_equal(stats_collect(&f->csup, NULL, &st, &cause), 0);
	stats_free(st);
	/* From the digests, the same stays on the same day. */
	assert_int_equal(stats_collect(&f->csup, NULL, &st, &cause), 0);
	assert_int_equal(st->opened, 0);
	helper_stats_same(&f->csup, NULL, st);
	util_set_clock(NULL);

	g = stage(st, "recue");
	assert_int_equal(g->limit, 3);
	assert_int_equal(g->done, 3);			/* 1, 2, 4 */
	assert_true(g->median == 2.0);
	assert_int_equal(g->p90, 4);
	assert_int_equal(g->met, 2);
	assert_int_equal(g->missed, 1);
	assert_int_equal(g->running, 0);
	g = stage(st, "enregistree");
	assert_int_equal(g->done, 2);			/* 1, 8 */
	assert_true(g->median == 4.5);
	assert_int_equal(g->p90, 8);
	assert_int_equal(g->met, 1);
	assert_int_equal(g->missed, 2);			/* a late, c open */
	assert_int_equal(g->running, 0);
	g = stage(st, "examen_prealable");
	assert_int_equal(g->done, 0);
	assert_int_equal(g->running, 2);		/* 0 and 5 of 15 */
	assert_int_equal(g->missed, 0);
	stats_free(st);
}

struct audit_tally {
	size_t	 stats;
	char	*detail;
};

static int
audit_cb(const struct audit_entry *e, void *arg)
{
	struct audit_tally	*t = arg;

	if (strcmp(e->action, "stats.run") == 0) {
		t->stats++;
		free(t->detail);
		t->detail = xstrdup(e->detail != NULL ? e->detail : "");
	}
	return (0);
}

static void
stats__runs__are_audited_once(void **state)
{
	struct fixture		*f = *state;
	struct audit_tally	 t = { 0, NULL };
	char			*cause = NULL;

	assert_int_equal(stats_audit(&f->csup, "all format=csv", &cause), 0);
	assert_int_equal(audit_list(f->s, f->sup->user->role, audit_cb, &t,
	    &cause), 0);
	assert_int_equal(t.stats, 1);
	assert_string_equal(t.detail, "all format=csv");
	free(t.detail);
}

/*
 * The independent criterion.  Nodes: rows 0..nr and columns 0..nc of the
 * grid (totals included); each hidden number an edge.  A hidden number
 * is safe when its endpoints stay connected without its edge.
 */
static int
connected(const struct stats_table *t, size_t skip, size_t from, size_t to)
{
	size_t	 nodes = (t->nr + 1) + (t->nc + 1), *queue, head = 0, tail = 0;
	size_t	 u, k, i, j, v;
	char	*seen;
	int	 found = 0;

	seen = xcalloc(nodes, 1);
	queue = xcalloc(nodes, sizeof *queue);
	queue[tail++] = from;
	seen[from] = 1;
	while (head < tail && !found) {
		u = queue[head++];
		for (k = 0; k < (t->nr + 1) * (t->nc + 1); k++) {
			if (!t->sup[k] || k == skip)
				continue;
			i = k / (t->nc + 1);
			j = (t->nr + 1) + k % (t->nc + 1);
			if (u == i)
				v = j;
			else if (u == j)
				v = i;
			else
				continue;
			if (!seen[v]) {
				seen[v] = 1;
				queue[tail++] = v;
			}
		}
		found = seen[to];
	}
	free(seen);
	free(queue);
	return (found);
}

/* 0 if no hidden number can be worked out, else 1 + its index. */
static size_t
recoverable(const struct stats_table *t)
{
	size_t	 k, hidden = 0;

	if (t->col == STATS_NDIM) {
		for (k = 0; k <= t->nr; k++)
			hidden += t->sup[STATS_AT(t, k, 0)] != 0;
		if (hidden != 1)
			return (0);
		for (k = 0; k <= t->nr; k++)
			if (t->sup[STATS_AT(t, k, 0)])
				return (1 + STATS_AT(t, k, 0));
	}
	for (k = 0; k < (t->nr + 1) * (t->nc + 1); k++)
		if (t->sup[k] && !connected(t, k, k / (t->nc + 1),
		    (t->nr + 1) + k % (t->nc + 1)))
			return (1 + k);
	return (0);
}

static unsigned int	 seed = 12345;

static unsigned int
next(void)
{
	seed = seed * 1103515245 + 12345;
	return ((seed >> 16) & 0x7fff);
}

/* The row of a one-way table with this code, or fail. */
static size_t
row_of(const struct stats_table *t, const char *code)
{
	size_t	 r;

	for (r = 0; r < t->nr; r++)
		if (strcmp(t->rcodes[r], code) == 0)
			return (r);
	fail_msg("no row %s", code);
	return (0);
}

/*
 * A state is its workflow's: "suivi" is a state of the inspection and
 * of the monitoring workflows, "cloturee" of the inspection and of the
 * mission ones; each is counted apart, under a label that says whose
 * it is where two workflows give the same, and states come in their
 * workflow's order, not their codes'.
 */
static void
stats__states__are_each_workflows_own(void **state)
{
	struct fixture		*f = *state;
	static const struct {
		const char	*w, *s;
		int		 n;
	} in[] = {
		{ "inspection", "suivi", 3 }, { "monitoring", "suivi", 2 },
		{ "inspection", "cloturee", 4 }, { "mission", "cloturee", 1 },
		{ "inspection", "recue", 5 }, { "monitoring", "clos", 6 }
	};
	struct stats		*st = stats_create();
	struct stats_input	 si;
	struct stats_table	*t;
	char			*l, *m;
	size_t			 i, k;
	uint64_t		 id = 1;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		for (k = 0; k < (size_t)in[i].n; k++) {
			memset(&si, 0, sizeof si);
			si.id = id++;
			si.readable = 1;
			si.h[STATS_H_WORKFLOW] = in[i].w;
			si.h[STATS_H_STATE] = in[i].s;
			stats_add_input(st, &si, f->flows);
		}
	}
	stats_view(st, f->forms, f->flows, STATS_STATE, STATS_NDIM, 0);
	assert_int_equal(st->ntables, 1);
	t = st->tables[0];
	assert_int_equal(t->nr, 6);
	assert_int_equal(t->grid[STATS_AT(t, row_of(t, "inspection/suivi"),
	    0)], 3);
	assert_int_equal(t->grid[STATS_AT(t, row_of(t, "monitoring/suivi"),
	    0)], 2);
	assert_int_equal(t->grid[STATS_AT(t, row_of(t,
	    "inspection/cloturee"), 0)], 4);
	assert_int_equal(t->grid[STATS_AT(t, row_of(t, "mission/cloturee"),
	    0)], 1);
	assert_int_equal(t->grid[STATS_AT(t, t->nr, 0)], 21);
	/* The inspection workflow's order: received, follow-up, closed. */
	assert_true(row_of(t, "inspection/recue") <
	    row_of(t, "inspection/suivi"));
	assert_true(row_of(t, "inspection/suivi") <
	    row_of(t, "inspection/cloturee"));

	/* In English both are "Follow-up": the workflow says which. */
	setenv("LANGUAGE", "en", 1);
	l = stats_code_label(f->forms, f->flows, STATS_STATE,
	    "monitoring/suivi");
	m = stats_code_label(f->forms, f->flows, STATS_STATE,
	    "inspection/suivi");
	assert_non_null(strstr(l, "Follow-up ("));
	assert_non_null(strstr(m, "Follow-up ("));
	assert_string_not_equal(l, m);
	free(l);
	free(m);
	l = stats_code_label(f->forms, f->flows, STATS_STATE,
	    "mission/cloturee");
	assert_string_equal(l, "Mission closed");
	free(l);
	/* In French they differ already. */
	setenv("LANGUAGE", "fr", 1);
	l = stats_code_label(f->forms, f->flows, STATS_STATE,
	    "inspection/suivi");
	assert_string_equal(l, "Suivi de la décision");
	free(l);
	unsetenv("LANGUAGE");
	stats_free(st);
}

/* A table of small, uneven counts, from cases made by hand. */
static struct stats *
random_cases(size_t nr, size_t nc)
{
	struct stats		*st = stats_create();
	struct stats_case	*c;
	char			 code[16];
	size_t			 n = 10 + next() % 80, i, r;

	for (i = 0; i < n; i++) {
		c = stats_add_case(st, i + 1, 1);
		/* Skewed: low codes common, high codes rare. */
		r = next() % nr;
		r = next() % 2 ? r * r / (nr > 1 ? nr : 1) : r;
		snprintf(code, sizeof code, "r%02zu", r);
		stats_set(c, STATS_REGION, code);
		snprintf(code, sizeof code, "c%02u", next() % (unsigned)nc);
		stats_set(c, STATS_FORCE, code);
	}
	return (st);
}

/*
 * The one-way tables made in one pass are those made one by one, on
 * enough cases that their array moves in memory many times over (values
 * are kept in the cases themselves up to two).
 */
static void
stats__tables__one_pass_matches_each_table(void **state)
{
	struct stats		*st = stats_create();
	struct stats_case	*c;
	struct stats_table	*t, *u;
	char			 code[16];
	size_t			 i, k, n, r;
	int			 d;

	(void)state;
	for (i = 0; i < 3000; i++) {
		c = stats_add_case(st, i + 1, i % 2);
		for (d = 0; d < STATS_NDIM; d++) {
			n = 1 + (i * 7 + (size_t)d) % 4;	/* 1 to 4 values */
			for (k = 0; k < n; k++) {
				snprintf(code, sizeof code, "c%zu",
				    (i * 13 + k * 5 + (size_t)d) % 9);
				stats_set(c, d, code);
			}
		}
	}
	stats_add_one_way(st);
	assert_int_equal(st->ntables, STATS_REC_UNIT);
	for (i = 0; i < st->ntables; i++) {
		t = st->tables[i];
		u = stats_table(st, t->row, STATS_NDIM);
		assert_int_equal(t->nr, u->nr);
		assert_int_equal(t->nc, u->nc);
		for (r = 0; r < t->nr; r++)
			assert_string_equal(t->rcodes[r], u->rcodes[r]);
		for (r = 0; r < (t->nr + 1) * (t->nc + 1); r++)
			assert_int_equal(t->grid[r], u->grid[r]);
		assert_true(t->grid[STATS_AT(t, t->nr, 0)] > 3000);
		stats_table_free(u);
	}
	/* The values of the first case survived every move. */
	assert_int_equal(st->cases[0].values[0].n, 1);
	assert_string_equal(st->cases[0].values[0].v[0], "c0");
	stats_free(st);
}

static void
stats__suppression__leaves_nothing_derivable(void **state)
{
	struct stats		*st;
	struct stats_table	*t;
	size_t			 round, bad, secondary = 0, primary = 0, k;
	int			 threshold;

	(void)state;
	for (round = 0; round < 400; round++) {
		st = random_cases(1 + next() % 7, 1 + next() % 6);
		threshold = 3 + (int)(next() % 5);
		t = stats_table(st, STATS_REGION, round % 4 == 0 ? STATS_NDIM :
		    STATS_FORCE);
		stats_suppress(t, threshold);
		/* Every small number hidden, zeros and the rest shown. */
		for (k = 0; k < (t->nr + 1) * (t->nc + 1); k++) {
			if (t->col == STATS_NDIM && k % (t->nc + 1) != 0)
				continue;
			if (t->grid[k] > 0 && t->grid[k] < threshold)
				assert_int_equal(t->sup[k], STATS_SUP_PRIMARY);
			if (t->sup[k])
				assert_false(stats_derivable(t, k));
		}
		if ((bad = recoverable(t)) != 0)
			fail_msg("round %zu: hidden number %zu (%ld) can be "
			    "worked out", round, bad - 1, t->grid[bad - 1]);
		primary += t->primary;
		secondary += t->secondary;
		stats_table_free(t);
		stats_free(st);
	}
	/* The rounds did need complementary suppression. */
	assert_true(primary > 100);
	assert_true(secondary > 100);
}

/* The criterion is not blind: hiding small numbers only is caught. */
static void
stats__suppression__primary_alone_is_caught(void **state)
{
	struct stats		*st = stats_create();
	struct stats_case	*c;
	struct stats_table	*t;
	size_t			 i, k;

	(void)state;
	/* mopti: 10 police, 2 garde; gao: 8 police, 9 garde. */
	for (i = 0; i < 29; i++) {
		c = stats_add_case(st, i + 1, 1);
		stats_set(c, STATS_REGION, i < 12 ? "mopti" : "gao");
		stats_set(c, STATS_FORCE, i < 10 || (i >= 12 && i < 20) ?
		    "police" : "garde");
	}
	t = stats_table(st, STATS_REGION, STATS_FORCE);
	for (k = 0; k < (t->nr + 1) * (t->nc + 1); k++)
		if (t->grid[k] > 0 && t->grid[k] < 5)
			t->sup[k] = STATS_SUP_PRIMARY;
	assert_int_not_equal(recoverable(t), 0);
	for (k = 0; k < (t->nr + 1) * (t->nc + 1); k++)
		if (t->sup[k])
			assert_true(stats_derivable(t, k));
	stats_suppress(t, 5);
	assert_int_equal(recoverable(t), 0);
	assert_int_equal(t->primary, 1);
	assert_true(t->secondary >= 3);		/* a cycle at least */
	stats_table_free(t);
	stats_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    stats__figures__match_an_independent_count, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    stats__stages__have_durations_and_deadlines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    stats__runs__are_audited_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    stats__digests__follow_every_change_and_refuse_tampering,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    stats__states__are_each_workflows_own, setup, teardown),
		cmocka_unit_test(stats__tables__one_pass_matches_each_table),
		cmocka_unit_test(stats__suppression__leaves_nothing_derivable),
		cmocka_unit_test(stats__suppression__primary_alone_is_caught),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
