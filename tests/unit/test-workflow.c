/*
 * test-workflow.c: the shipped workflows, malformed workflow files, every
 * transition allowed and refused per role, the deadline clock, and the
 * guards: each refuses its move until its record or field exists.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"
#include "helpers.h"
#include "record.h"
#include "util.h"
#include "workflow.h"

static struct workflow_set *
load_shipped(void)
{
	struct workflow_set	*set;
	const char		*top = getenv("top_srcdir");
	char			*dir, *cause = NULL;

	xasprintf(&dir, "%s/forms", top != NULL ? top : "..");
	if (workflow_load(dir, &set, &cause) != 0)
		fail_msg("%s", cause);
	free(dir);
	return (set);
}

static void
workflow__ships__inspection_and_monitoring(void **state)
{
	struct workflow_set	*set = load_shipped();
	const struct workflow	*wf;
	const char		*insp[] = { "recue", "enregistree",
	    "examen_prealable", "irrecevable", "reorientee", "ouverte",
	    "en_instruction", "suspendue", "contradictoire", "rapport_depose",
	    "en_revue", "transmise", "decidee", "suivi", "cloturee",
	    "rouverte" };
	const char		*mon[] = { "signalement", "verification",
	    "documente", "intervention", "suivi", "clos" };
	size_t			 i;

	(void)state;
	wf = workflow_find(set, "inspection");
	assert_non_null(wf);
	assert_string_equal(wf->initial, "recue");
	for (i = 0; i < sizeof insp / sizeof insp[0]; i++)
		assert_non_null(workflow_state(wf, insp[i]));
	assert_int_equal(workflow_state(wf, "examen_prealable")->days, 15);
	assert_int_equal(workflow_state(wf, "en_instruction")->days, 90);
	assert_int_equal(workflow_state(wf, "contradictoire")->days, 15);
	assert_int_equal(workflow_state(wf, "en_revue")->days, 15);
	assert_true(workflow_state(wf, "suspendue")->paused);
	assert_true(workflow_state(wf, "cloturee")->terminal);
	wf = workflow_find(set, "monitoring");
	assert_non_null(wf);
	for (i = 0; i < sizeof mon / sizeof mon[0]; i++)
		assert_non_null(workflow_state(wf, mon[i]));
	assert_null(workflow_find(set, "nothing"));
	workflow_set_free(set);
}

/* Each line: from, transition or target, role, allowed (1/0). */
static const struct {
	const char	*from, *name;
	enum role	 role;
	int		 allowed;
} moves[] = {
	{ "recue", "enregistree", ROLE_REGISTRAR, 1 },
	{ "recue", "enregistree", ROLE_SUPERVISOR, 1 },
	{ "recue", "enregistree", ROLE_INVESTIGATOR, 0 },
	{ "recue", "enregistree", ROLE_AUDITOR, 0 },
	{ "recue", "enregistree", ROLE_ADMIN, 0 },
	{ "enregistree", "examen_prealable", ROLE_SUPERVISOR, 1 },
	{ "enregistree", "examen_prealable", ROLE_REGISTRAR, 0 },
	{ "examen_prealable", "ouverte", ROLE_SUPERVISOR, 1 },
	{ "examen_prealable", "ouverte", ROLE_INVESTIGATOR, 0 },
	{ "ouverte", "en_instruction", ROLE_INVESTIGATOR, 1 },
	{ "en_instruction", "contradictoire", ROLE_INVESTIGATOR, 1 },
	{ "contradictoire", "rapport_depose", ROLE_INVESTIGATOR, 1 },
	{ "rapport_depose", "en_revue", ROLE_SUPERVISOR, 1 },
	{ "rapport_depose", "en_revue", ROLE_INVESTIGATOR, 0 },
	{ "en_revue", "transmise", ROLE_SUPERVISOR, 1 },
	{ "en_revue", "transmise", ROLE_INVESTIGATOR, 0 },
	{ "transmise", "decidee", ROLE_SUPERVISOR, 1 },
	{ "decidee", "cloturee", ROLE_SUPERVISOR, 1 },
	{ "decidee", "cloturee", ROLE_INVESTIGATOR, 0 },
	{ "cloturee", "rouverte", ROLE_SUPERVISOR, 1 },
	{ "cloturee", "rouverte", ROLE_INVESTIGATOR, 0 },
	{ "cloturee", "en_instruction", ROLE_SUPERVISOR, 0 },
	{ "recue", "cloturee", ROLE_SUPERVISOR, 0 },
	{ "en_instruction", "transmise", ROLE_SUPERVISOR, 0 },
};

static void
workflow__allows__each_role_only_its_moves(void **state)
{
	struct workflow_set			*set = load_shipped();
	const struct workflow			*wf;
	const struct workflow_transition	*tr;
	char					*cause = NULL;
	size_t					 i;
	int					 rc;

	(void)state;
	wf = workflow_find(set, "inspection");
	for (i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		tr = workflow_transition(wf, moves[i].from, moves[i].name);
		rc = workflow_allows(wf, tr, moves[i].from, moves[i].role,
		    "une raison", &cause);
		if (moves[i].allowed && rc != 0)
			fail_msg("%s -> %s as %d refused: %s", moves[i].from,
			    moves[i].name, moves[i].role, cause);
		if (!moves[i].allowed && rc == 0)
			fail_msg("%s -> %s as %d allowed", moves[i].from,
			    moves[i].name, moves[i].role);
		free(cause);
		cause = NULL;
	}
	workflow_set_free(set);
}

static void
workflow__requires__a_reason_where_the_file_says(void **state)
{
	struct workflow_set			*set = load_shipped();
	const struct workflow			*wf;
	const struct workflow_transition	*tr;
	char					*cause = NULL;

	(void)state;
	wf = workflow_find(set, "inspection");
	tr = workflow_transition(wf, "examen_prealable", "irrecevable");
	assert_non_null(tr);
	assert_int_equal(workflow_allows(wf, tr, "examen_prealable",
	    ROLE_SUPERVISOR, NULL, &cause), -1);
	assert_non_null(strstr(cause, "reason"));
	free(cause);
	cause = NULL;
	assert_int_equal(workflow_allows(wf, tr, "examen_prealable",
	    ROLE_SUPERVISOR, "hors compétence", &cause), 0);
	/* A closed case is read-only, said so. */
	tr = workflow_transition(wf, "cloturee", "en_instruction");
	assert_int_equal(workflow_allows(wf, tr, "cloturee", ROLE_SUPERVISOR,
	    "x", &cause), -1);
	assert_non_null(strstr(cause, "read-only"));
	free(cause);
	workflow_set_free(set);
}

static void
workflow__clock__pauses_and_resumes_the_days_left(void **state)
{
	struct workflow_set	*set = load_shipped();
	const struct workflow	*wf;
	struct workflow_clock	 c;
	long			 d0 = 20000;

	(void)state;
	wf = workflow_find(set, "inspection");
	workflow_clock_start(wf, &c, d0);
	assert_int_equal(c.deadline, d0 + 3);			/* recue */
	workflow_clock_move(wf, &c, "recue", "en_instruction", d0);
	assert_int_equal(c.deadline, d0 + 90);
	/* 30 days in, suspended for 40 days: 60 days are left on return. */
	workflow_clock_move(wf, &c, "en_instruction", "suspendue", d0 + 30);
	assert_int_equal(c.deadline, 0);
	assert_int_equal(workflow_overdue(&c, d0 + 200), 0);
	assert_int_equal(workflow_paused_total(&c, d0 + 50), 20);
	workflow_clock_move(wf, &c, "suspendue", "en_instruction", d0 + 70);
	assert_int_equal(c.deadline, d0 + 70 + 60);
	assert_int_equal(c.paused_days, 40);
	assert_int_equal(workflow_overdue(&c, d0 + 130), 0);
	assert_int_equal(workflow_overdue(&c, d0 + 135), 5);
	/* A second pause adds up; leaving elsewhere starts afresh. */
	workflow_clock_move(wf, &c, "en_instruction", "suspendue", d0 + 140);
	workflow_clock_move(wf, &c, "suspendue", "en_instruction", d0 + 150);
	assert_int_equal(c.paused_days, 50);
	assert_int_equal(c.deadline, d0 + 150 - 10);		/* still late */
	workflow_clock_move(wf, &c, "en_instruction", "contradictoire",
	    d0 + 151);
	assert_int_equal(c.deadline, d0 + 151 + 15);
	workflow_clock_move(wf, &c, "decidee", "cloturee", d0 + 160);
	assert_int_equal(c.deadline, 0);
	assert_int_equal(workflow_overdue(&c, d0 + 999), 0);
	workflow_set_free(set);
}

static void
workflow__previous__returns_to_the_state_left(void **state)
{
	struct workflow_set			*set = load_shipped();
	const struct workflow			*wf;
	const struct workflow_transition	*tr;
	struct workflow_clock			 c;

	(void)state;
	wf = workflow_find(set, "monitoring");
	workflow_clock_start(wf, &c, 100);
	workflow_clock_move(wf, &c, "signalement", "documente", 100);
	workflow_clock_move(wf, &c, "documente", "attente", 110);
	tr = workflow_transition(wf, "attente", "reprendre");
	assert_non_null(tr);
	assert_string_equal(workflow_target(tr, &c), "documente");
	workflow_clock_move(wf, &c, "attente", "documente", 120);
	assert_int_equal(c.deadline, 120 + 20);
	workflow_set_free(set);
}

/* A malformed workflow file: refused with file, line and reason. */
static void
check_bad(const char *text, const char *expect)
{
	struct workflow_set	*set = xcalloc(1, sizeof *set);
	char			*dir = helper_tmpdir(), *path, *cause = NULL;
	FILE			*f;

	xasprintf(&path, "%s/workflow-bad.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(workflow_load_file(set, path, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, expect) == NULL)
		fail_msg("'%s' does not mention '%s'", cause, expect);
	free(cause);
	workflow_set_free(set);
	free(path);
	helper_rmrf(dir);
	free(dir);
}

#define HEAD "[workflow]\nid = w\ntitle.fr = T\ntitle.en = T\ninitial = a\n" \
	"[state.a]\nlabel.fr = A\nlabel.en = A\ndays = 5\n"

static void
workflow__refuses__malformed_files(void **state)
{
	(void)state;
	check_bad(HEAD "[state.b]\nlabel.fr = B\nlabel.en = B\ndays = x\n",
	    "workflow-bad.ini:13: days must be");
	check_bad(HEAD "[transition.t]\nfrom = a\nto = z\nroles = supervisor\n"
	    "label.fr = T\nlabel.en = T\n", "'z', which is not a state");
	check_bad(HEAD "[transition.t]\nfrom = a\nto = a\nroles = admin\n",
	    "not a role that may move a case");
	check_bad(HEAD "[transition.t]\nfrom = q\nto = a\nroles = supervisor\n"
	    "label.fr = T\nlabel.en = T\n", "starts from 'q'");
	check_bad(HEAD "[oops]\nx = 1\n", "unknown section [oops]");
	check_bad(HEAD "label.fr = again\n", "given twice");
	check_bad("[workflow]\nid = w\ntitle.fr = T\ntitle.en = T\n"
	    "initial = nowhere\n[state.a]\nlabel.fr = A\nlabel.en = A\n",
	    "initial state");
	check_bad(HEAD "[state.p]\nlabel.fr = P\nlabel.en = P\nclock = paused\n"
	    "days = 3\n", "pauses the clock");
	check_bad("garbage line\n", "workflow-bad.ini:1");
}

/*
 * A state renamed in the file is read under its new id and label; an id
 * the file no longer has shows as it is, not as some other state.
 */
static void
workflow_state_label__follows__the_file(void **state)
{
	struct workflow_set	*set = xcalloc(1, sizeof *set);
	const struct workflow	*wf;
	char			*dir = helper_tmpdir(), *path, *cause = NULL;
	FILE			*f;

	(void)state;
	xasprintf(&path, "%s/workflow-w.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(HEAD "[state.classee]\nlabel.fr = Classée sans suite\n"
	    "label.en = Closed with no action\nterminal = yes\n"
	    "[transition.classer]\nfrom = a\nto = classee\n"
	    "roles = supervisor\nlabel.fr = Classer\nlabel.en = Close\n", f);
	fclose(f);
	if (workflow_load_file(set, path, &cause) != 0)
		fail_msg("%s", cause);
	wf = workflow_find(set, "w");
	assert_non_null(wf);
	setenv("LANGUAGE", "fr", 1);
	assert_string_equal(workflow_state_label(wf, "classee"),
	    "Classée sans suite");
	setenv("LANGUAGE", "en", 1);
	assert_string_equal(workflow_state_label(wf, "classee"),
	    "Closed with no action");
	assert_string_equal(workflow_state_label(wf, "cloturee"), "cloturee");
	assert_string_equal(workflow_state_label(NULL, "a"), "a");
	unsetenv("LANGUAGE");
	workflow_set_free(set);
	free(path);
	helper_rmrf(dir);
	free(dir);
}

/* A case's records, as casefile.c gives them to the guards. */
struct gcase {
	struct workflow_item	 items[16];
	struct record		*recs[16];
	size_t			 n;
};

static struct record *
gcase_add(struct gcase *c, const char *form)
{
	assert_true(c->n < 16);
	c->recs[c->n] = record_create();
	c->items[c->n].form = form;
	c->items[c->n].fields = c->recs[c->n];
	return (c->recs[c->n++]);
}

static void
gcase_free(struct gcase *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		record_free(c->recs[i]);
	memset(c, 0, sizeof *c);
}

struct gfix {
	struct formset		*forms;
	struct workflow_set	*flows;
	const struct workflow	*wf;
};

static void
gfix_load(struct gfix *g, const char *workflow)
{
	helper_load_forms(&g->forms, &g->flows);
	g->wf = workflow_find(g->flows, workflow);
	assert_non_null(g->wf);
}

static void
gfix_free(struct gfix *g)
{
	formset_free(g->forms);
	workflow_set_free(g->flows);
}

/* 0 if the move is allowed; else its cause must mention want. */
static int
try_move(struct gfix *g, const char *from, const char *name,
    struct gcase *c, long today, const char *want)
{
	const struct workflow_transition	*tr;
	char					*cause = NULL;
	int					 rc;

	tr = workflow_transition(g->wf, from, name);
	assert_non_null(tr);
	rc = workflow_guards_allow(g->wf, tr, workflow_target(tr, &(struct
	    workflow_clock){ 0 }), g->forms, c->items, c->n, today, &cause);
	if (rc != 0) {
		assert_non_null(cause);
		if (want != NULL && strstr(cause, want) == NULL)
			fail_msg("'%s' does not mention '%s'", cause, want);
		/* Labels, never ids. */
		if (strstr(cause, "_date") != NULL ||
		    strstr(cause, "rapport_depose") != NULL)
			fail_msg("'%s' names an id", cause);
	}
	free(cause);
	return (rc);
}

static long
day(const char *date)
{
	long	 d;

	assert_int_equal(form_parse_date(date, &d), 0);
	return (d);
}

static void
guard__deposer__waits_for_notice_observations_and_report(void **state)
{
	struct gfix	 g;
	struct gcase	 c;
	struct record	*agent, *second;
	long		 today = day("2026-12-01");

	(void)state;
	gfix_load(&g, "inspection");
	memset(&c, 0, sizeof c);
	gcase_add(&c, "intake");
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c, today,
	    "To move to “Report filed”, the case first needs: “Written "
	    "notice of the facts” in every record “Rights of the defence”"),
	    -1);
	agent = gcase_add(&c, "agent");
	record_set_str(agent, "person", "2");
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c, today,
	    "Written notice of the facts"), -1);
	record_set_str(agent, "notice_date", "2026-11-25");
	/* Notice given six days ago: observations or 15 days, and a report. */
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c, today,
	    "“Observations received” in every record “Rights of the "
	    "defence” or 15 days since “Written notice of the facts”"), -1);
	gcase_add(&c, "report");
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c, today,
	    "Observations received"), -1);
	record_set_str(agent, "observations_date", "2026-11-30");
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c, today,
	    NULL), 0);
	/* Or no observations, but the 15 days have gone by (day 16). */
	record_unset(agent, "observations_date");
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c,
	    day("2026-12-10"), "Observations received"), -1);
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c,
	    day("2026-12-11"), NULL), 0);
	/* Every agent: a second one not yet told holds the move again. */
	second = gcase_add(&c, "agent");
	record_set_str(second, "person", "3");
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c,
	    day("2026-12-11"), "Written notice of the facts"), -1);
	record_set_str(second, "notice_date", "2026-12-01");
	record_set_str(second, "observations_date", "2026-12-05");
	assert_int_equal(try_move(&g, "contradictoire", "deposer", &c,
	    day("2026-12-11"), NULL), 0);
	/* Going back to investigate further asks nothing. */
	gcase_free(&c);
	gcase_add(&c, "intake");
	assert_int_equal(try_move(&g, "contradictoire", "completer", &c, today,
	    NULL), 0);
	gcase_free(&c);
	gfix_free(&g);
}

static void
guard__transmettre_and_decider__want_report_and_decision(void **state)
{
	struct gfix	 g;
	struct gcase	 c;
	struct record	*d;

	(void)state;
	gfix_load(&g, "inspection");
	memset(&c, 0, sizeof c);
	gcase_add(&c, "intake");
	assert_int_equal(try_move(&g, "en_revue", "transmettre", &c, 1,
	    "a record “Investigation report”"), -1);
	gcase_add(&c, "report");
	assert_int_equal(try_move(&g, "en_revue", "transmettre", &c, 1, NULL),
	    0);
	assert_int_equal(try_move(&g, "transmise", "decider", &c, 1,
	    "“Verdict” set to “Decided” in a record “Decision”"), -1);
	d = gcase_add(&c, "decision");
	record_set_str(d, "verdict", "returned");
	assert_int_equal(try_move(&g, "transmise", "decider", &c, 1,
	    "Decided"), -1);
	record_set_str(d, "verdict", "decided");
	assert_int_equal(try_move(&g, "transmise", "decider", &c, 1, NULL), 0);
	gcase_free(&c);
	gfix_free(&g);
}

static void
guard__cloturer__wants_a_finding_on_every_allegation(void **state)
{
	struct gfix	 g;
	struct gcase	 c;
	struct record	*a, *b;

	(void)state;
	gfix_load(&g, "inspection");
	memset(&c, 0, sizeof c);
	gcase_add(&c, "intake");
	assert_int_equal(try_move(&g, "decidee", "cloturer", &c, 1,
	    "“Finding” other than “Pending” in every record “Allegation”"),
	    -1);
	a = gcase_add(&c, "allegation");
	b = gcase_add(&c, "allegation");
	record_set_str(a, "finding", "sustained");
	assert_int_equal(try_move(&g, "decidee", "cloturer", &c, 1, "Finding"),
	    -1);
	record_set_str(b, "finding", "pending");
	assert_int_equal(try_move(&g, "suivi", "cloturer", &c, 1, "Pending"),
	    -1);
	record_set_str(b, "finding", "unfounded");
	assert_int_equal(try_move(&g, "suivi", "cloturer", &c, 1, NULL), 0);
	gcase_free(&c);
	gfix_free(&g);
}

static void
guard__monitoring__documents_with_a_hearing_or_evidence(void **state)
{
	struct gfix	 g;
	struct gcase	 c;
	struct record	*in;

	(void)state;
	gfix_load(&g, "monitoring");
	memset(&c, 0, sizeof c);
	in = gcase_add(&c, "intake");
	assert_int_equal(try_move(&g, "verification", "documenter", &c, 1,
	    "a record “Hearing record” or a record “Evidence”; “Violation "
	    "status” in a record “Complaint intake”"), -1);
	gcase_add(&c, "evidence");
	assert_int_equal(try_move(&g, "verification", "documenter", &c, 1,
	    "Violation status"), -1);
	record_set_str(in, "violation_status", "likely");
	assert_int_equal(try_move(&g, "verification", "documenter", &c, 1,
	    NULL), 0);
	gcase_free(&c);
	gfix_free(&g);
}

/* Import and demo place a case in a state: what the way there asked. */
static void
guard__state__needs_every_guard_on_the_way(void **state)
{
	struct gfix	 g;
	struct gcase	 c;
	struct record	*r;
	char		*cause = NULL;

	(void)state;
	gfix_load(&g, "inspection");
	memset(&c, 0, sizeof c);
	gcase_add(&c, "intake");
	assert_int_equal(workflow_state_allow(g.wf, "en_instruction", g.forms,
	    c.items, c.n, 1, &cause), 0);
	assert_int_equal(workflow_state_allow(g.wf, "rouverte", g.forms,
	    c.items, c.n, 1, &cause), 0);
	assert_int_equal(workflow_state_allow(g.wf, "cloturee", g.forms,
	    c.items, c.n, 1, &cause), -1);
	assert_non_null(strstr(cause, "“Closed”"));
	assert_non_null(strstr(cause, "Written notice of the facts"));
	assert_non_null(strstr(cause, "Investigation report"));
	assert_non_null(strstr(cause, "Decided"));
	assert_non_null(strstr(cause, "Pending"));
	free(cause);
	cause = NULL;
	r = gcase_add(&c, "agent");
	record_set_str(r, "notice_date", "2026-11-01");
	record_set_str(r, "observations_date", "2026-11-10");
	gcase_add(&c, "report");
	assert_int_equal(workflow_state_allow(g.wf, "en_revue", g.forms,
	    c.items, c.n, 1, &cause), 0);
	assert_int_equal(workflow_state_allow(g.wf, "decidee", g.forms,
	    c.items, c.n, 1, &cause), -1);
	free(cause);
	cause = NULL;
	r = gcase_add(&c, "decision");
	record_set_str(r, "verdict", "decided");
	r = gcase_add(&c, "allegation");
	record_set_str(r, "finding", "withdrawn");
	assert_int_equal(workflow_state_allow(g.wf, "cloturee", g.forms,
	    c.items, c.n, 1, &cause), 0);
	gcase_free(&c);
	gfix_free(&g);
}

/* A guard naming what the forms do not have is refused at load. */
static void
check_bad_forms(const char *requires, const char *expect)
{
	struct formset		*forms;
	struct workflow_set	*flows, *set = xcalloc(1, sizeof *set);
	char			*dir = helper_tmpdir(), *path, *cause = NULL;
	FILE			*f;

	helper_load_forms(&forms, &flows);
	xasprintf(&path, "%s/workflow-g.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[workflow]\nid = w\ntitle.fr = T\ntitle.en = T\n"
	    "initial = a\n[state.a]\nlabel.fr = A\nlabel.en = A\n"
	    "[transition.t]\nfrom = a\nto = a\nroles = supervisor\n"
	    "label.fr = T\nlabel.en = T\nrequires = %s\n", requires);
	fclose(f);
	assert_int_equal(workflow_load_file(set, path, &cause), 0);
	assert_int_equal(workflow_guards_check_forms(set, forms, &cause), -1);
	if (strstr(cause, expect) == NULL)
		fail_msg("'%s' does not mention '%s'", cause, expect);
	free(cause);
	workflow_set_free(set);
	workflow_set_free(flows);
	formset_free(forms);
	free(path);
	helper_rmrf(dir);
	free(dir);
}

#define TR "[transition.t]\nfrom = a\nto = a\nroles = supervisor\n" \
	"label.fr = T\nlabel.en = T\n"

static void
guard__refuses__malformed_requirements(void **state)
{
	(void)state;
	check_bad(HEAD TR "requires = nothing:x\n",
	    "workflow-bad.ini:16: 'nothing:x' is not a requirement");
	check_bad(HEAD TR "requires = lapsed:agent.notice_date\n",
	    "needs a number of days");
	check_bad(HEAD TR "requires = lapsed:agent.notice_date+0\n",
	    "needs a number of days");
	check_bad(HEAD TR "requires = record:report record:decision\n",
	    "must follow 'or'");
	check_bad(HEAD TR "requires = record:report or\n", "ends with 'or'");
	check_bad(HEAD TR "requires = every:agent\n", "FORM.FIELD");
	check_bad(HEAD TR "requires = record:report=x\n", "'!='");
	check_bad_forms("record:rapport", "the form 'rapport', which is not "
	    "installed");
	check_bad_forms("every:agent.notice", "'notice', which the form "
	    "'agent' does not have");
	check_bad_forms("lapsed:agent.defender+3", "needs a date field");
	check_bad_forms("field:witness.full_name", "witness field");
	check_bad_forms("every:allegation.finding!=maybe", "'maybe' is not a "
	    "choice");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(workflow__ships__inspection_and_monitoring),
		cmocka_unit_test(workflow__allows__each_role_only_its_moves),
		cmocka_unit_test(workflow__requires__a_reason_where_the_file_says),
		cmocka_unit_test(workflow__clock__pauses_and_resumes_the_days_left),
		cmocka_unit_test(workflow__previous__returns_to_the_state_left),
		cmocka_unit_test(workflow__refuses__malformed_files),
		cmocka_unit_test(workflow_state_label__follows__the_file),
		cmocka_unit_test(guard__deposer__waits_for_notice_observations_and_report),
		cmocka_unit_test(guard__transmettre_and_decider__want_report_and_decision),
		cmocka_unit_test(guard__cloturer__wants_a_finding_on_every_allegation),
		cmocka_unit_test(guard__monitoring__documents_with_a_hearing_or_evidence),
		cmocka_unit_test(guard__state__needs_every_guard_on_the_way),
		cmocka_unit_test(guard__refuses__malformed_requirements),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
