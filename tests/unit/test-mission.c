/*
 * test-mission.c: the mission workflow (forms/workflow-mission.ini):
 * every move from every state to every state by every role, allowed
 * exactly when the table below says so; a mission carried through on a
 * real store with its guards; and recommendations followed up: the due
 * and overdue list and the implementation rates, against the test's own
 * count, from the cases whose key the user holds only.
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

#include <cmocka.h>

#include "access.h"
#include "account.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "session.h"
#include "stats.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define PASS	HELPER_USER_PASS

static const char *states[] = { "planifiee", "en_cours", "rapport",
    "suivi_recommandations", "cloturee" };
#define NSTATES	(sizeof states / sizeof states[0])

#define R	(1U << ROLE_REGISTRAR)
#define I	(1U << ROLE_INVESTIGATOR)
#define S	(1U << ROLE_SUPERVISOR)

/* The moves a mission allows, written out here, not read from the file. */
static const struct {
	const char	*from, *to;
	unsigned int	 roles;
	int		 reason;
} allowed[] = {
	{ "planifiee", "en_cours", S | I, 0 },
	{ "en_cours", "rapport", S | I, 0 },
	{ "rapport", "en_cours", S, 1 },
	{ "rapport", "suivi_recommandations", S, 0 },
	{ "rapport", "cloturee", S, 1 },
	{ "suivi_recommandations", "cloturee", S, 0 },
	{ "cloturee", "suivi_recommandations", S, 1 },
};

static void
mission__workflow__allows_each_role_exactly_its_moves(void **state)
{
	struct workflow_set			*set;
	struct formset				*forms;
	const struct workflow			*wf;
	const struct workflow_transition	*tr;
	char					*cause = NULL;
	size_t					 a, b, k, moves = 0, refused = 0;
	int					 role, rc, expect, reason;

	(void)state;
	helper_load_forms(&forms, &set);
	wf = workflow_find(set, "mission");
	assert_non_null(wf);
	assert_string_equal(wf->initial, "planifiee");
	assert_int_equal(wf->nstates, NSTATES);
	assert_true(workflow_state(wf, "cloturee")->terminal);
	for (a = 0; a < NSTATES; a++) {
		assert_non_null(workflow_state(wf, states[a]));
		for (b = 0; b < NSTATES; b++) {
			for (role = 0; role < ROLE_COUNT; role++) {
				expect = 0;
				reason = 0;
				for (k = 0; k < sizeof allowed /
				    sizeof allowed[0]; k++) {
					if (strcmp(allowed[k].from, states[a]) ||
					    strcmp(allowed[k].to, states[b]))
						continue;
					expect = (allowed[k].roles &
					    (1U << role)) != 0;
					reason = allowed[k].reason;
				}
				tr = workflow_transition(wf, states[a],
				    states[b]);
				rc = workflow_allows(wf, tr, states[a], role,
				    "une raison", &cause);
				if (expect != (rc == 0))
					fail_msg("%s -> %s as %s: %s",
					    states[a], states[b],
					    access_role_name(role), expect ?
					    cause : "allowed");
				err_clear(&cause);
				if (!expect) {
					refused++;
					continue;
				}
				moves++;
				/* Without a reason where one is due. */
				rc = workflow_allows(wf, tr, states[a], role,
				    NULL, &cause);
				assert_int_equal(rc == 0, !reason);
				err_clear(&cause);
			}
		}
	}
	assert_int_equal(moves, 9);	/* two moves are two roles' */
	assert_int_equal(refused, NSTATES * NSTATES * ROLE_COUNT - 9);
	workflow_set_free(set);
	formset_free(forms);
}

struct fixture {
	char			*tmp;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct session		*inv1, *inv2, *sup, *aud;
	struct casefile_ctx	 cinv1, cinv2, csup, caud;
};

/* The team every test starts from (helpers.h). */
static void
team(struct fixture *f, struct helper_user *u)
{
	const struct helper_user t[] = {
		{ "sup", "supervisor", &f->sup, &f->csup },
		{ "inv1", "investigator", &f->inv1, &f->cinv1 },
		{ "inv2", "investigator", &f->inv2, &f->cinv2 },
		{ "aud", "auditor", &f->aud, &f->caud }
	};

	memcpy(u, t, sizeof t);
}
#define TEAM	4

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

static void
edit(struct fixture *f, uint64_t id, uint64_t rid, const char *k,
    const char *v)
{
	struct casefile			*cf;
	const struct casefile_rec	*r;
	struct record			*ch = record_create();
	char				*cause = NULL;

	assert_int_equal(casefile_open(&f->csup, id, 0, &cf, &cause), 0);
	r = casefile_rec(cf, rid);
	assert_non_null(r);
	record_set_str(ch, k, v);
	if (casefile_edit(&f->csup, id, rid, ch, r->version, &cause) != 0)
		fail_msg("edit: %s", cause);
	record_free(ch);
	casefile_free(cf);
}

static uint64_t
new_case(struct fixture *f, const char *workflow, const char *force)
{
	struct record	*r = helper_intake("Contrôle");
	char		*ref, *cause = NULL;
	uint64_t	 id;

	record_set_str(r, "force", force);
	if (casefile_create(&f->csup, workflow, r, &ref, &cause) != 0)
		fail_msg("create: %s", cause);
	record_free(r);
	assert_int_equal(casefile_find(&f->csup, ref, &id, &cause), 0);
	free(ref);
	return (id);
}

static void
moves(struct casefile_ctx *c, uint64_t id, const char *to, const char *reason,
    int ok)
{
	char	*cause = NULL;
	int	 rc;

	rc = casefile_move(c, id, to, reason, &cause);
	if (ok && rc != 0)
		fail_msg("move to %s refused: %s", to, cause);
	if (!ok && rc == 0)
		fail_msg("move to %s allowed", to);
	err_clear(&cause);
}

static const char *
state_of(struct fixture *f, uint64_t id)
{
	static char	 buf[64];
	struct casefile	*cf;
	char		*cause = NULL;

	assert_int_equal(casefile_open(&f->csup, id, 0, &cf, &cause), 0);
	snprintf(buf, sizeof buf, "%s", record_get_str(cf->header, "state"));
	casefile_free(cf);
	return (buf);
}

static void
mission__carries_through__with_its_guards(void **state)
{
	struct fixture	*f = *state;
	struct record	*rec;
	char		*cause = NULL, src[24];
	uint64_t	 id, m, r1, r2, rid;

	id = new_case(f, "mission", "police");
	assert_string_equal(state_of(f, id), "planifiee");
	assert_int_equal(casefile_assign(&f->csup, id, "inv1", 1, &cause), 0);
	/* No mission record yet. */
	moves(&f->cinv1, id, "en_cours", NULL, 0);
	m = helper_add(&f->cinv1, id, "mission", "type", "control", "unit",
	    "Commissariat de Sévaré", "scope", "Registres de garde à vue",
	    NULL);
	moves(&f->caud, id, "en_cours", NULL, 0);	/* auditors never */
	moves(&f->cinv2, id, "en_cours", NULL, 0);	/* no key */
	moves(&f->cinv1, id, "en_cours", NULL, 1);
	/* The report needs its date. */
	moves(&f->cinv1, id, "rapport", NULL, 0);
	edit(f, id, m, "report_date", "2026-11-28");
	moves(&f->cinv1, id, "rapport", NULL, 1);
	/* Follow-up needs a recommendation, and only a supervisor. */
	moves(&f->csup, id, "suivi_recommandations", NULL, 0);
	/* A recommendation names the record it comes from, by number. */
	snprintf(src, sizeof src, "%" PRIu64, m);
	r1 = helper_add(&f->cinv1, id, "recommendation", "source", "mission",
	    "source_record", src,
	    "addressee_unit", "Commissariat de Sévaré", "addressee_force",
	    "police", "measure", "Tenir le registre", "deadline", "2027-01-31",
	    "status", "accepted", NULL);
	r2 = helper_add(&f->cinv1, id, "recommendation", "source", "mission",
	    "source_record", src,
	    "addressee_unit", "Commissariat de Sévaré", "addressee_force",
	    "police", "measure", "Former les OPJ", "deadline", "2027-03-31",
	    "status", "in_progress", NULL);
	/* Not a free field: a number that is no report, decision or
	 * mission of the case is refused. */
	rec = record_create();
	record_set_str(rec, "source", "mission");
	record_set_str(rec, "addressee_unit", "Commissariat de Sévaré");
	record_set_str(rec, "addressee_force", "police");
	record_set_str(rec, "measure", "Mesure");
	record_set_str(rec, "deadline", "2027-01-31");
	record_set_str(rec, "status", "accepted");
	snprintf(src, sizeof src, "%" PRIu64, r1);	/* a recommendation */
	record_set_str(rec, "source_record", src);
	assert_int_not_equal(casefile_add(&f->cinv1, id, "recommendation",
	    rec, &rid, &cause), 0);
	free(cause);
	cause = NULL;
	record_set_str(rec, "source_record", "999");	/* no such record */
	assert_int_not_equal(casefile_add(&f->cinv1, id, "recommendation",
	    rec, &rid, &cause), 0);
	free(cause);
	cause = NULL;
	record_unset(rec, "source_record");		/* none */
	assert_int_not_equal(casefile_add(&f->cinv1, id, "recommendation",
	    rec, &rid, &cause), 0);
	free(cause);
	cause = NULL;
	record_free(rec);
	moves(&f->cinv1, id, "suivi_recommandations", NULL, 0);
	moves(&f->csup, id, "suivi_recommandations", NULL, 1);
	/* Closed only when every recommendation is settled. */
	moves(&f->csup, id, "cloturee", NULL, 0);
	edit(f, id, r1, "status", "implemented");
	moves(&f->csup, id, "cloturee", NULL, 0);
	edit(f, id, r2, "status", "not_implemented");
	edit(f, id, r2, "evidence", "12/01/2027, note de service n° 14");
	moves(&f->cinv1, id, "cloturee", NULL, 0);
	moves(&f->csup, id, "cloturee", NULL, 1);
	assert_string_equal(state_of(f, id), "cloturee");
	moves(&f->csup, id, "suivi_recommandations", NULL, 0);	/* reason */
	moves(&f->csup, id, "suivi_recommandations", "Nouvelle pièce", 1);
}

/*
 * The follow-up (STATS_RECS) reads only the cases the index says hold a
 * recommendation (nrec of them), from the digests or opened whole, and
 * lists the same recommendations as the figures of every case (all).
 */
static void
recs_only_same(struct casefile_ctx *ctx, const struct stats *all,
    size_t nrec)
{
	struct stats	*st;
	char		*cause = NULL;
	size_t		 i;
	int		 how;

	for (how = STATS_RECS; how <= (STATS_RECS | STATS_SLOW);
	    how += STATS_SLOW) {
		if (stats_collect_how(ctx, NULL, how, &st, &cause) != 0)
			fail_msg("stats: %s", cause);
		/* Only the cases the recs entries name were read. */
		assert_int_equal(st->digests + st->opened, nrec);
		assert_int_equal(st->ncases, 0);
		assert_int_equal(st->ntables, 0);
		assert_int_equal(st->nlist, all->nlist);
		for (i = 0; i < st->nlist; i++) {
			assert_string_equal(st->list[i].reference,
			    all->list[i].reference);
			assert_string_equal(st->list[i].unit,
			    all->list[i].unit);
			assert_string_equal(st->list[i].force,
			    all->list[i].force);
			assert_int_equal(st->list[i].source,
			    all->list[i].source);
			assert_string_equal(st->list[i].source_kind,
			    all->list[i].source_kind);
			assert_int_equal(st->list[i].id, all->list[i].id);
			assert_int_equal(st->list[i].rid, all->list[i].rid);
			assert_string_equal(st->list[i].status,
			    all->list[i].status);
			assert_int_equal(st->list[i].late, all->list[i].late);
			assert_int_equal(st->list[i].deadline,
			    all->list[i].deadline);
		}
		stats_free(st);
	}
}

static void
recommendations__follow_up__due_overdue_and_rates(void **state)
{
	struct fixture			*f = *state;
	struct stats			*st, *si, *sm;
	struct stats_table		*t;
	char				*cause = NULL, past[16], ahead[16];
	char				 src[24];
	const char			*force[] = { "police", "gendarmerie",
	    "garde" };
	const char			*status[] = { "accepted", "in_progress",
	    "implemented", "not_implemented", "implemented" };
	long				 done[3] = { 0 }, all[3] = { 0 };
	size_t				 i, k, r, c, overdue = 0, due = 0;
	size_t				 mine = 0, late_mine = 0;
	uint64_t			 id;
	int				 late;

	format_day(casefile_today() - 10, past);
	format_day(casefile_today() + 10, ahead);
	/* Cases without one, which the follow-up does not read. */
	for (i = 0; i < 5; i++) {
		id = new_case(f, i % 2 ? "mission" : "inspection",
		    force[i % 3]);
		if (i % 2 == 0)
			assert_int_equal(casefile_assign(&f->csup, id, "inv1",
			    1, &cause), 0);
	}
	for (i = 0; i < 12; i++) {
		id = new_case(f, i % 2 ? "mission" : "inspection",
		    force[i % 3]);
		if (i % 4 == 0)
			assert_int_equal(casefile_assign(&f->csup, id, "inv1",
			    1, &cause), 0);
		/* The record the recommendations come from. */
		snprintf(src, sizeof src, "%" PRIu64, i % 2 ?
		    helper_add(&f->csup, id, "mission", "type", "audit",
		    "unit", "Unité", "scope", "Registres", NULL) :
		    helper_add(&f->csup, id, "report", "facts", "Faits",
		    "conclusions", "Conclusions", NULL));
		for (k = 0; k < 1 + i % 3; k++) {
			late = (i + k) % 2;
			helper_add(&f->csup, id, "recommendation", "source",
			    i % 2 ? "mission" : "report", "source_record", src,
			    "addressee_unit",
			    "Unité", "addressee_force", force[(i + k) % 3],
			    "measure", "Mesure", "deadline", late ? past :
			    ahead, "status", status[(i + k) % 5], NULL);
			all[(i + k) % 3]++;
			done[(i + k) % 3] += strcmp(status[(i + k) % 5],
			    "implemented") == 0;
			if ((i + k) % 5 < 2) {
				overdue += late;
				due += !late;
				if (i % 4 == 0) {
					mine++;
					late_mine += late;
				}
			}
		}
	}
	assert_int_equal(stats_collect(&f->csup, NULL, &st, &cause), 0);
	stats_free(st);
	/* From the digests: the same list and rates. */
	assert_int_equal(stats_collect(&f->csup, NULL, &st, &cause), 0);
	assert_int_equal(st->opened, 0);
	helper_stats_same(&f->csup, NULL, st);
	/* Each recommendation names the record it comes from. */
	for (i = 0; i < st->nlist; i++) {
		assert_true(st->list[i].source != 0);
		assert_string_equal(st->list[i].source_kind,
		    strcmp(st->list[i].workflow, "mission") == 0 ? "mission" :
		    "report");
	}
	assert_int_equal(st->ncases, 17);
	recs_only_same(&f->csup, st, 12);
	/* One workflow's figures, from its cases' digests. */
	assert_int_equal(stats_collect(&f->csup, "mission", &sm, &cause), 0);
	assert_int_equal(sm->opened, 0);
	assert_int_equal(sm->ncases, 8);
	helper_stats_same(&f->csup, "mission", sm);
	stats_free(sm);
	for (i = k = c = 0; i < st->nlist; i++) {
		if (!STATS_REC_OPEN(st->list[i].status))
			continue;
		if (st->list[i].late > 0) {
			assert_int_equal(st->list[i].late, 10);
			k++;
		} else
			c++;
	}
	assert_int_equal(k, overdue);
	assert_int_equal(c, due);
	/* Implementation by force: implemented over all, per force. */
	t = stats_table_any(st, STATS_REC_FORCE, STATS_REC_STATUS);
	for (i = 0; i < 3; i++) {
		for (r = 0; r < t->nr; r++)
			if (strcmp(t->rcodes[r], force[i]) == 0)
				break;
		assert_true(r < t->nr);
		assert_int_equal(t->grid[STATS_AT(t, r, t->nc)], all[i]);
		for (c = 0; c < t->nc; c++)
			if (strcmp(t->ccodes[c], "implemented") == 0)
				assert_int_equal(t->grid[STATS_AT(t, r, c)],
				    done[i]);
	}
	stats_table_free(t);
	stats_free(st);
	/* The investigator sees only the recommendations of his cases. */
	assert_int_equal(stats_collect(&f->cinv1, NULL, &si, &cause), 0);
	for (i = k = c = 0; i < si->nlist; i++) {
		if (!STATS_REC_OPEN(si->list[i].status))
			continue;
		c++;
		k += si->list[i].late > 0;
	}
	assert_int_equal(c, mine);
	assert_int_equal(k, late_mine);
	recs_only_same(&f->cinv1, si, 12);
	stats_free(si);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    mission__workflow__allows_each_role_exactly_its_moves),
		cmocka_unit_test_setup_teardown(
		    mission__carries_through__with_its_guards, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    recommendations__follow_up__due_overdue_and_rates, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
