/*
 * test-workflow.c: the shipped workflows, malformed workflow files, every
 * transition allowed and refused per role, and the deadline clock.
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

#include "helpers.h"
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
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
