/*
 * test-casefile.c: cases on a real store with real keys: creation, who
 * reads what, optimistic versions, unassignment re-keying, the blind
 * index, closed cases, and the journal and audit entries of each change.
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

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define PASS	"une phrase assez longue pour nous"

struct fixture {
	char			*tmp;
	struct store		*s;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct session		*reg, *inv1, *inv2, *sup, *aud;
	struct casefile_ctx	 creg, cinv1, cinv2, csup, caud;
};

static void
ctx_init(struct fixture *f, struct casefile_ctx *c, struct session *sess)
{
	char	*cause = NULL;

	c->sess = sess;
	c->forms = f->forms;
	c->flows = f->flows;
	if (casefile_share_keys(c, &cause) != 0)
		fail_msg("share: %s", cause);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	struct session	*admin;

	f->tmp = helper_tmpdir();
	f->s = helper_init_store(f->tmp, NULL);
	helper_load_forms(&f->forms, &f->flows);
	admin = helper_signin(f->s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "sup", "supervisor", PASS);
	helper_add_user(admin, "reg", "registrar", PASS);
	helper_add_user(admin, "inv1", "investigator", PASS);
	helper_add_user(admin, "inv2", "investigator", PASS);
	helper_add_user(admin, "aud", "auditor", PASS);
	session_free(admin);
	f->sup = helper_signin(f->s, "sup", PASS);
	ctx_init(f, &f->csup, f->sup);
	f->reg = helper_signin(f->s, "reg", PASS);
	ctx_init(f, &f->creg, f->reg);
	f->inv1 = helper_signin(f->s, "inv1", PASS);
	ctx_init(f, &f->cinv1, f->inv1);
	f->inv2 = helper_signin(f->s, "inv2", PASS);
	ctx_init(f, &f->cinv2, f->inv2);
	f->aud = helper_signin(f->s, "aud", PASS);
	ctx_init(f, &f->caud, f->aud);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	session_free(f->reg);
	session_free(f->inv1);
	session_free(f->inv2);
	session_free(f->sup);
	session_free(f->aud);
	formset_free(f->forms);
	workflow_set_free(f->flows);
	store_close(f->s);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f);
	return (0);
}

/* A case registered by reg, assigned to inv1 by sup. */
static uint64_t
new_case(struct fixture *f)
{
	struct record	*r = helper_intake("Arrestation au poste de Sévaré");
	char		*ref, *cause = NULL;
	uint64_t	 id;

	if (casefile_create(&f->creg, "inspection", r, &ref, &cause) != 0)
		fail_msg("create: %s", cause);
	record_free(r);
	assert_int_equal(strncmp(ref, "ISSPC-", 6), 0);
	assert_int_equal(casefile_find(&f->creg, ref, &id, &cause), 0);
	free(ref);
	if (casefile_assign(&f->csup, id, "inv1", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	return (id);
}

static uint64_t
add(struct casefile_ctx *c, uint64_t id, const char *kind, ...)
{
	struct record	*r = record_create();
	const char	*k, *v;
	char		*cause = NULL;
	uint64_t	 rid;
	va_list		 ap;

	va_start(ap, kind);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		record_set_str(r, k, v);
	}
	va_end(ap);
	if (casefile_add(c, id, kind, r, &rid, &cause) != 0)
		fail_msg("add %s: %s", kind, cause);
	record_free(r);
	return (rid);
}

static void
casefile__reads__by_role_and_key(void **state)
{
	struct fixture		*f = *state;
	struct casefile		*cf;
	const struct casefile_rec *r;
	char			*cause = NULL;
	uint64_t		 id, w;

	id = new_case(f);
	w = add(&f->cinv1, id, "witness", "full_name", "Aminata Diallo",
	    "phone", "+223 76 11 22 33", "role", "direct", NULL);
	/* The investigator who recorded the witness reads everything. */
	assert_int_equal(casefile_open(&f->cinv1, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_true(cf->readable);
	r = casefile_rec(cf, w);
	assert_non_null(r);
	assert_false(r->witness_locked);
	assert_string_equal(record_get_str(r->fields, "full_name"),
	    "Aminata Diallo");
	assert_string_equal(record_get_str(r->fields, "pseudonym"),
	    "Témoin A");
	assert_string_equal(record_get_str(casefile_rec(cf, 0)->fields,
	    "summary"), "Arrestation au poste de Sévaré");
	casefile_free(cf);
	/* The supervisor reads the case, the witness only by pseudonym. */
	assert_int_equal(casefile_open(&f->csup, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_true(cf->readable);
	r = casefile_rec(cf, w);
	assert_true(r->witness_locked);
	assert_null(record_get_str(r->fields, "full_name"));
	assert_string_equal(record_get_str(r->fields, "pseudonym"),
	    "Témoin A");
	casefile_free(cf);
	/* The auditor too (oversight key); inv2, unassigned, sees headers. */
	assert_int_equal(casefile_open(&f->caud, id, 0, &cf, &cause), 0);
	assert_true(cf->readable);
	casefile_free(cf);
	assert_int_equal(casefile_open(&f->cinv2, id, 0, &cf, &cause), 0);
	assert_false(cf->readable);
	assert_true(casefile_rec(cf, 0)->locked);
	assert_null(record_get_str(casefile_rec(cf, 0)->fields, "summary"));
	assert_string_equal(record_get_str(cf->header, "region"), "mopti");
	casefile_free(cf);
	/* inv2 cannot add to it; granting the witness needs the case key. */
	{
		struct record	*r2 = record_create();
		uint64_t	 rid;

		record_set_str(r2, "role", "victim");
		record_set_str(r2, "full_name", "X");
		assert_int_equal(casefile_add(&f->cinv2, id, "person", r2, &rid,
		    &cause), -1);
		assert_non_null(strstr(cause, "do not hold the key"));
		free(cause);
		cause = NULL;
		record_free(r2);
	}
	assert_int_equal(casefile_grant(&f->cinv1, id, w, "inv2", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(casefile_assign(&f->csup, id, "inv2", 1, &cause), 0);
	assert_int_equal(casefile_grant(&f->cinv1, id, w, "inv2", &cause), 0);
	assert_int_equal(casefile_open(&f->cinv2, id, CASEFILE_WITNESSES, &cf,
	    &cause), 0);
	assert_string_equal(record_get_str(casefile_rec(cf, w)->fields,
	    "full_name"), "Aminata Diallo");
	casefile_free(cf);
}

static void
casefile__refuses__saving_over_a_newer_version(void **state)
{
	struct fixture	*f = *state;
	struct record	*ch;
	struct casefile	*cf;
	char		*cause = NULL;
	uint64_t	 id, p;

	id = new_case(f);
	p = add(&f->cinv1, id, "person", "role", "victim", "full_name",
	    "Moussa Keïta", NULL);
	/* Both start from version 1; the first save wins. */
	ch = record_create();
	record_set_str(ch, "contact", "Sévaré, marché");
	assert_int_equal(casefile_edit(&f->cinv1, id, p, ch, 1, &cause), 0);
	record_free(ch);
	ch = record_create();
	record_set_str(ch, "contact", "Mopti, port");
	assert_int_equal(casefile_edit(&f->csup, id, p, ch, 1, &cause),
	    CASEFILE_CONFLICT);
	assert_non_null(strstr(cause, "inv1"));
	free(cause);
	cause = NULL;
	record_free(ch);
	assert_int_equal(casefile_open(&f->csup, id, CASEFILE_JOURNAL, &cf,
	    &cause), 0);
	assert_string_equal(record_get_str(casefile_rec(cf, p)->fields,
	    "contact"), "Sévaré, marché");
	assert_int_equal(casefile_rec(cf, p)->version, 2);
	/* The journal holds the old and new value of the change. */
	assert_string_equal(cf->journal[cf->njournal - 1].what, "edit");
	assert_string_equal(record_get_str(cf->journal[cf->njournal - 1].body,
	    "new.contact"), "Sévaré, marché");
	casefile_free(cf);
	/* A bad value is refused and nothing changes. */
	ch = record_create();
	record_set_str(ch, "sex", "martian");
	assert_int_equal(casefile_edit(&f->cinv1, id, p, ch, -1, &cause), -1);
	assert_non_null(strstr(cause, "sex"));
	free(cause);
	record_free(ch);
}

static void
casefile__unassignment__rekeys_the_case(void **state)
{
	struct fixture	*f = *state;
	struct casefile	*cf;
	char		*cause = NULL;
	uint64_t	 id;

	id = new_case(f);
	assert_int_equal(casefile_assign(&f->csup, id, "inv2", 1, &cause), 0);
	assert_int_equal(casefile_open(&f->cinv2, id, 0, &cf, &cause), 0);
	assert_true(cf->readable);
	casefile_free(cf);
	assert_int_equal(casefile_assign(&f->csup, id, "inv2", 0, &cause), 0);
	assert_int_equal(casefile_open(&f->cinv2, id, 0, &cf, &cause), 0);
	assert_false(cf->readable);
	assert_int_equal(record_get_int(cf->header, "rekey", 0), 1);
	casefile_free(cf);
	/* The next change re-keys; everyone still assigned reads on. */
	add(&f->cinv1, id, "person", "role", "victim", "full_name", "Awa",
	    NULL);
	assert_int_equal(casefile_open(&f->cinv1, id, 0, &cf, &cause), 0);
	assert_int_equal(record_get_int(cf->header, "rekey", 1), 0);
	assert_string_equal(record_get_str(casefile_rec(cf, 0)->fields,
	    "summary"), "Arrestation au poste de Sévaré");
	casefile_free(cf);
	assert_int_equal(casefile_open(&f->caud, id, 0, &cf, &cause), 0);
	assert_true(cf->readable);
	casefile_free(cf);
}

static void
casefile__links__an_agent_across_cases(void **state)
{
	struct fixture	*f = *state;
	uint64_t	 a, b, c, *ids;
	size_t		 n;
	char		*cause = NULL;

	a = new_case(f);
	b = new_case(f);
	c = new_case(f);
	add(&f->cinv1, a, "person", "role", "agent", "full_name", "Sgt Traoré",
	    "service_number", "PN-4471", NULL);
	add(&f->cinv1, b, "person", "role", "agent", "full_name", "S. Traoré",
	    "service_number", "pn 4471", NULL);
	add(&f->cinv1, c, "person", "role", "agent", "full_name", "Cpl Diarra",
	    "service_number", "PN-9000", NULL);
	assert_int_equal(casefile_agent_cases(&f->csup, "PN4471", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], b);
	free(ids);
	assert_int_equal(casefile_agent_cases(&f->csup, "PN-1", &ids, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	free(ids);
}

static void
casefile__moves__through_the_workflow_and_closes(void **state)
{
	struct fixture		*f = *state;
	struct casefile		*cf;
	struct casefile_summary	*list;
	size_t			 n;
	char			*cause = NULL;
	uint64_t		 id, count, bad;
	const char		*path[] = { "enregistree", "examen_prealable",
	    "ouverte", "en_instruction", "contradictoire", "rapport_depose",
	    "en_revue", "transmise", "decidee", "cloturee" };
	struct casefile_ctx	*who;
	size_t			 i;

	id = new_case(f);
	assert_int_equal(casefile_move(&f->cinv1, id, "enregistree", NULL,
	    &cause), -1);			/* the registrar's move */
	free(cause);
	cause = NULL;
	for (i = 0; i < sizeof path / sizeof path[0]; i++) {
		who = i == 0 ? &f->creg : (i == 3 || i == 4 || i == 5) ?
		    &f->cinv1 : &f->csup;
		if (casefile_move(who, id, path[i], NULL, &cause) != 0)
			fail_msg("move to %s: %s", path[i], cause);
	}
	assert_int_equal(casefile_event(&f->csup, id, "referral_prosecutor",
	    "Transmis au parquet de Mopti", &cause), 0);
	/* Closed: read-only until a reasoned reopening. */
	assert_int_equal(casefile_event(&f->csup, id, "note", "x", &cause), 0);
	{
		struct record	*r = record_create();
		uint64_t	 rid;

		record_set_str(r, "role", "victim");
		record_set_str(r, "full_name", "Y");
		assert_int_equal(casefile_add(&f->cinv1, id, "person", r, &rid,
		    &cause), -1);
		assert_non_null(strstr(cause, "read-only"));
		free(cause);
		cause = NULL;
		record_free(r);
	}
	assert_int_equal(casefile_move(&f->csup, id, "rouverte", NULL, &cause),
	    -1);
	free(cause);
	cause = NULL;
	assert_int_equal(casefile_move(&f->csup, id, "rouverte",
	    "Élément nouveau", &cause), 0);
	assert_int_equal(casefile_open(&f->csup, id, CASEFILE_JOURNAL, &cf,
	    &cause), 0);
	assert_string_equal(record_get_str(cf->header, "state"), "rouverte");
	assert_string_equal(record_get_str(cf->journal[cf->njournal - 1].body,
	    "reason"), "Élément nouveau");
	casefile_free(cf);
	/* Filters. */
	{
		struct casefile_filter	 flt;

		memset(&flt, 0, sizeof flt);
		flt.state = "rouverte";
		assert_int_equal(casefile_list(&f->csup, &flt, &list, &n,
		    &cause), 0);
		assert_int_equal(n, 1);
		casefile_list_free(list, n);
		flt.state = NULL;
		flt.assignee = "inv2";
		assert_int_equal(casefile_list(&f->csup, &flt, &list, &n,
		    &cause), 0);
		assert_int_equal(n, 0);
		casefile_list_free(list, n);
	}
	/* Every change left a verifiable audit entry. */
	if (audit_verify(f->s, &count, &bad, &cause) != 0)
		fail_msg("audit verify: %s", cause);
	assert_true(count > 15);
}

static void
casefile__overdue__cases_are_listed(void **state)
{
	struct fixture		*f = *state;
	struct casefile_filter	 flt;
	struct casefile_summary	*list;
	size_t			 n;
	char			*cause = NULL, buf[32];
	uint64_t		 id;

	id = new_case(f);
	(void)id;
	memset(&flt, 0, sizeof flt);
	flt.overdue = 1;
	assert_int_equal(casefile_list(&f->csup, &flt, &list, &n, &cause), 0);
	assert_int_equal(n, 0);
	casefile_list_free(list, n);
	/* Four days later the 3-day deadline of 'recue' has passed. */
	snprintf(buf, sizeof buf, "%lld", (long long)now() + 4 * 86400);
	setenv("DOSSIER_NOW", buf, 1);
	assert_int_equal(casefile_list(&f->csup, &flt, &list, &n, &cause), 0);
	unsetenv("DOSSIER_NOW");
	assert_int_equal(n, 1);
	assert_int_equal(list[0].overdue, 1);
	casefile_list_free(list, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(casefile__reads__by_role_and_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__refuses__saving_over_a_newer_version, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__unassignment__rekeys_the_case, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__links__an_agent_across_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__moves__through_the_workflow_and_closes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    casefile__overdue__cases_are_listed, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
