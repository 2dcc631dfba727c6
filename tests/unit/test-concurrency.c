/*
 * test-concurrency.c: 4 processes editing different cases and 2 editing
 * the same record at once, each with its own environment handle as
 * investigators on one server do.  No process hangs (an alarm kills a
 * stuck one and fails the test), no update is lost (the record's final
 * version is one plus every save that reported success; a loser gets the
 * version conflict), and the store verifies afterwards.
 */
#include "config.h"

#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

#define PASS		"une phrase assez longue pour nous"
#define EDITS		25
#define WRITERS		4
#define RIVALS		2

struct fixture {
	char			*tmp, *data;
	struct formset		*forms;
	struct workflow_set	*flows;
	uint64_t		 ids[WRITERS + 1];
	uint64_t		 rid;
};

static void
ctx_open(struct fixture *f, struct store **s, struct casefile_ctx *ctx)
{
	char	*cause = NULL;

	if (store_open(s, f->data, 0, &cause) != 0)
		_exit(2);
	memset(ctx, 0, sizeof *ctx);
	if (session_signin(*s, "inv", PASS, strlen(PASS), &ctx->sess,
	    &cause) != 0)
		_exit(3);
	ctx->forms = f->forms;
	ctx->flows = f->flows;
}

static int
setup(void **state)
{
	struct fixture		*f = xcalloc(1, sizeof *f);
	struct store		*s;
	struct session		*admin;
	struct casefile_ctx	 ctx;
	struct record		*r;
	char			*cause = NULL, *ref;
	int			 i;

	f->tmp = helper_tmpdir();
	s = helper_init_store(f->tmp, NULL);
	xasprintf(&f->data, "%s/data", f->tmp);
	helper_load_forms(&f->forms, &f->flows);
	admin = helper_signin(s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "inv", "investigator", PASS);
	session_free(admin);
	store_close(s);
	ctx_open(f, &s, &ctx);
	assert_int_equal(casefile_share_keys(&ctx, &cause), 0);
	for (i = 0; i <= WRITERS; i++) {
		r = helper_intake("Concurrence");
		if (casefile_create(&ctx, "inspection", r, &ref, &cause) != 0)
			fail_msg("%s", cause);
		casefile_find(&ctx, ref, &f->ids[i], &cause);
		free(ref);
		record_free(r);
	}
	r = record_create();
	record_set_str(r, "role", "victim");
	record_set_str(r, "full_name", "Disputée");
	assert_int_equal(casefile_add(&ctx, f->ids[WRITERS], "person", r,
	    &f->rid, &cause), 0);
	record_free(r);
	session_free(ctx.sess);
	store_close(s);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	formset_free(f->forms);
	workflow_set_free(f->flows);
	helper_rmrf(f->tmp);
	free(f->tmp);
	free(f->data);
	free(f);
	return (0);
}

/* A writer: EDITS edits of its own case; exit status 0 when all saved. */
static void
writer(struct fixture *f, int w)
{
	struct store		*s;
	struct casefile_ctx	 ctx;
	struct record		*r;
	char			*cause = NULL, buf[32];
	uint64_t		 rid;
	int			 i;

	ctx_open(f, &s, &ctx);
	for (i = 0; i < EDITS; i++) {
		r = record_create();
		record_set_str(r, "role", "complainant");
		snprintf(buf, sizeof buf, "Writer %d edit %d", w, i);
		record_set_str(r, "full_name", buf);
		if (casefile_add(&ctx, f->ids[w], "person", r, &rid,
		    &cause) != 0) {
			fprintf(stderr, "writer %d: %s\n", w, cause);
			_exit(10);
		}
		record_free(r);
	}
	session_free(ctx.sess);
	store_close(s);
	_exit(0);
}

/*
 * A rival: read the disputed record's version, then save from it.  The
 * exit status is the number of saves that succeeded.
 */
static void
rival(struct fixture *f, int who)
{
	struct store		*s;
	struct casefile_ctx	 ctx;
	struct casefile		*cf;
	struct record		*r;
	char			*cause = NULL, buf[32];
	int64_t			 v;
	int			 i, ok = 0, rc;

	ctx_open(f, &s, &ctx);
	for (i = 0; i < EDITS; i++) {
		if (casefile_open(&ctx, f->ids[WRITERS], 0, &cf, &cause) != 0)
			_exit(250);
		v = casefile_rec(cf, f->rid)->version;
		casefile_free(cf);
		usleep(10000);	/* others save meanwhile */
		r = record_create();
		snprintf(buf, sizeof buf, "rival %d save %d", who, i);
		record_set_str(r, "contact", buf);
		rc = casefile_edit(&ctx, f->ids[WRITERS], f->rid, r, v, &cause);
		record_free(r);
		if (rc == 0)
			ok++;
		else if (rc != CASEFILE_CONFLICT)
			_exit(251);
		free(cause);
		cause = NULL;
	}
	session_free(ctx.sess);
	store_close(s);
	_exit(ok);
}

static void
concurrency__loses__no_update_and_never_hangs(void **state)
{
	struct fixture		*f = *state;
	struct store		*s;
	struct casefile_ctx	 ctx;
	struct casefile		*cf;
	pid_t			 pids[WRITERS + RIVALS];
	char			*cause = NULL;
	uint64_t		 count, bad;
	int			 i, status, saves = 0;
	size_t			 k, persons;

	for (i = 0; i < WRITERS + RIVALS; i++) {
		if ((pids[i] = fork()) == 0) {
			alarm(120);	/* a hang fails the test */
			if (i < WRITERS)
				writer(f, i);
			else
				rival(f, i);
		}
	}
	for (i = 0; i < WRITERS + RIVALS; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status))
			fail_msg("process %d died (signal %d): a hang?", i,
			    WTERMSIG(status));
		if (i < WRITERS)
			assert_int_equal(WEXITSTATUS(status), 0);
		else {
			assert_true(WEXITSTATUS(status) <= EDITS);
			saves += WEXITSTATUS(status);
		}
	}
	ctx_open(f, &s, &ctx);
	for (i = 0; i < WRITERS; i++) {
		assert_int_equal(casefile_open(&ctx, f->ids[i], 0, &cf, &cause),
		    0);
		for (k = 0, persons = 0; k < cf->nrecs; k++)
			if (strcmp(cf->recs[k].kind, "person") == 0)
				persons++;
		assert_int_equal(persons, EDITS);
		casefile_free(cf);
	}
	assert_int_equal(casefile_open(&ctx, f->ids[WRITERS], 0, &cf, &cause),
	    0);
	/* Every reported save is there: none overwrote another unseen. */
	assert_int_equal(casefile_rec(cf, f->rid)->version, 1 + saves);
	printf("# %d of %d rival saves won; the others got the conflict\n",
	    saves, RIVALS * EDITS);
	assert_true(saves >= 1);
	casefile_free(cf);
	if (account_verify_audit(s, NULL, &count, &bad, &cause) != 0)
		fail_msg("%s", cause);
	session_free(ctx.sess);
	store_close(s);
	if (store_check(f->data, &cause) != 0)
		fail_msg("%s", cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    concurrency__loses__no_update_and_never_hangs, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
