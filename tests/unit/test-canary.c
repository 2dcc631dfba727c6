/*
 * test-canary.c: witness-class data and passphrases never reach the disk
 * in clear.  Canary strings are stored through the real write path
 * (casefile_create, casefile_add, casefile_edit) as a complaint's
 * narrative and a witness's identity, and every byte of every file of
 * the data directory (tables, logs, environment regions) is searched for
 * them.  A control run also stores a canary in a clear header field and
 * must find it, so the search itself is shown to work.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define CANARY_NAME	"CANARY-Kadiatou-Diallo-7f3e"
#define CANARY_PHONE	"CANARY-+223-76-00-11-22"
#define CANARY_PHONE2	"CANARY-+223-66-99-88-77"
#define CANARY_SUMMARY	"CANARY-recit-de-la-plainte"
#define CANARY_PASS	"CANARY passphrase sous le baobab"
#define PASS		"une phrase assez longue pour nous"

static void
ctx_init(struct casefile_ctx *c, struct session *sess,
    const struct formset *forms, const struct workflow_set *flows)
{
	helper_ctx(c, sess, forms, flows);
}

/*
 * Through the real write path: a complaint whose narrative is the
 * canary, a witness whose identity is the canary, then an edit of the
 * witness's phone, so that the journal's sealed old and new values are
 * written too.  For the control, the canary also goes into a clear
 * header field, which the search must find.
 */
static char *
store_witness(int clear)
{
	struct store		*s;
	struct session		*admin, *reg, *sup, *inv;
	struct casefile_ctx	 creg, csup, cinv;
	struct formset		*forms;
	struct workflow_set	*flows;
	struct casefile		*cf;
	const struct casefile_rec *w;
	struct record		*r;
	char			*tmp, *cause = NULL, *ref;
	uint64_t		 id, rid;
	size_t			 i;
	int			 edited = 0;

	tmp = helper_tmpdir();
	s = helper_init_store(tmp, NULL);
	helper_load_forms(&forms, &flows);
	admin = helper_signin(s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "sup", "supervisor", PASS);
	helper_add_user(admin, "reg", "registrar", PASS);
	helper_add_user(admin, "ibrahim", "investigator", CANARY_PASS);
	session_free(admin);
	sup = helper_signin(s, "sup", PASS);
	ctx_init(&csup, sup, forms, flows);
	reg = helper_signin(s, "reg", PASS);
	ctx_init(&creg, reg, forms, flows);
	inv = helper_signin(s, "ibrahim", CANARY_PASS);
	ctx_init(&cinv, inv, forms, flows);

	r = helper_intake(CANARY_SUMMARY);
	if (clear)
		record_set_str(r, "link_duplicate", CANARY_NAME);
	if (casefile_create(&creg, "inspection", r, &ref, &cause) != 0)
		fail_msg("create: %s", cause);
	record_free(r);
	assert_int_equal(casefile_find(&creg, ref, &id, &cause), 0);
	free(ref);
	if (casefile_assign(&csup, id, "ibrahim", 1, &cause) != 0)
		fail_msg("assign: %s", cause);
	r = record_create();
	record_set_str(r, "full_name", CANARY_NAME);
	record_set_str(r, "phone", CANARY_PHONE);
	record_set_str(r, "role", "direct");
	if (casefile_add(&cinv, id, "witness", r, &rid, &cause) != 0)
		fail_msg("add witness: %s", cause);
	record_free(r);
	r = record_create();
	record_set_str(r, "phone", CANARY_PHONE2);
	if (casefile_edit(&cinv, id, rid, r, -1, &cause) != 0)
		fail_msg("edit witness: %s", cause);
	record_free(r);

	/* The investigator reads it all back: the data is there. */
	assert_int_equal(casefile_open(&cinv, id, CASEFILE_WITNESSES |
	    CASEFILE_JOURNAL, &cf, &cause), 0);
	w = casefile_rec(cf, rid);
	assert_non_null(w);
	assert_false(w->witness_locked);
	assert_string_equal(record_get_str(w->fields, "full_name"),
	    CANARY_NAME);
	assert_string_equal(record_get_str(w->fields, "phone"), CANARY_PHONE2);
	assert_string_equal(record_get_str(casefile_rec(cf, 0)->fields,
	    "summary"), CANARY_SUMMARY);
	for (i = 0; i < cf->njournal; i++)
		if (strcmp(cf->journal[i].what, "edit") == 0 &&
		    cf->journal[i].rid == rid)
			edited = 1;
	assert_true(edited);
	casefile_free(cf);

	session_free(reg);
	session_free(sup);
	session_free(inv);
	formset_free(forms);
	workflow_set_free(flows);
	store_close(s);
	free(cause);
	return (tmp);
}

static void
canary__finds__clear_text_in_the_control_store(void **state)
{
	char	*tmp, *where = NULL;

	tmp = store_witness(1);
	assert_true(helper_tree_contains(tmp, CANARY_NAME,
	    strlen(CANARY_NAME), &where));
	free(where);
	helper_rmrf(tmp);
	free(tmp);
}

static void
canary__never_appears__in_any_file_of_the_data_directory(void **state)
{
	const char	*canaries[] = { CANARY_NAME, CANARY_PHONE,
			    CANARY_PHONE2, CANARY_SUMMARY, CANARY_PASS,
			    "CANARY" };
	char		*tmp, *where = NULL;
	size_t		 i;

	tmp = store_witness(0);
	for (i = 0; i < sizeof canaries / sizeof canaries[0]; i++) {
		if (helper_tree_contains(tmp, canaries[i], strlen(canaries[i]),
		    &where))
			fail_msg("'%s' found in clear in %s", canaries[i], where);
	}
	helper_rmrf(tmp);
	free(tmp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canary__finds__clear_text_in_the_control_store),
		cmocka_unit_test(
		    canary__never_appears__in_any_file_of_the_data_directory),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
