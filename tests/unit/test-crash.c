/*
 * test-crash.c: SIGKILL at random moments while a child process creates
 * and edits cases, then reopen: recovery runs, every table verifies, the
 * audit chain holds, and every change the child reported as committed is
 * there, whole.  50 rounds in 'make check'; DOSSIER_CRASH_ROUNDS=1000 in
 * 'make check-long'.
 *
 * The child reports a case's reference on a pipe only after
 * casefile_create() returned (the transaction committed), and the id of
 * an edit after casefile_edit() returned; whatever it was doing when
 * killed may or may not be there, but never half there.
 */
#include "config.h"

#include <errno.h>
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "form.h"
#include "helpers.h"
#include "record.h"
#include "store.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

#define PASS	"une phrase assez longue pour nous"

struct fixture {
	char			*tmp, *data;
	struct formset		*forms;
	struct workflow_set	*flows;
};

/* The child: create a case, add a person, edit it; report each commit. */
static void
child(struct fixture *f, int fd)
{
	struct store		*s;
	struct session		*sess;
	struct casefile_ctx	 ctx;
	struct record		*r;
	char			*ref, *cause = NULL, line[96];
	uint64_t		 id, rid;
	int			 n;

	if (store_open(&s, f->data, 0, &cause) != 0)
		_exit(2);
	if (account_signin(s, "inv", PASS, strlen(PASS), &sess, &cause) != 0)
		_exit(3);
	memset(&ctx, 0, sizeof ctx);
	ctx.sess = sess;
	ctx.forms = f->forms;
	ctx.flows = f->flows;
	for (n = 0;; n++) {
		snprintf(line, sizeof line, "Plainte numéro %d", n);
		r = helper_intake(line);
		if (casefile_create(&ctx, "inspection", r, &ref, &cause) != 0)
			_exit(4);
		record_free(r);
		casefile_find(&ctx, ref, &id, &cause);
		snprintf(line, sizeof line, "C %s %d\n", ref, n);
		if (write(fd, line, strlen(line)) < 0)
			_exit(5);
		free(ref);
		r = record_create();
		record_set_str(r, "role", "victim");
		record_set_str(r, "full_name", "Victime témoin du crash");
		if (casefile_add(&ctx, id, "person", r, &rid, &cause) != 0)
			_exit(6);
		record_free(r);
		r = record_create();
		record_set_str(r, "contact", "modifié");
		if (casefile_edit(&ctx, id, rid, r, 1, &cause) != 0)
			_exit(7);
		record_free(r);
		snprintf(line, sizeof line, "E %" PRIu64 " %" PRIu64 "\n", id,
		    rid);
		if (write(fd, line, strlen(line)) < 0)
			_exit(5);
	}
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	struct store	*s;
	struct session	*admin, *sess;
	struct casefile_ctx ctx;
	char		*cause = NULL;

	f->tmp = helper_tmpdir();
	s = helper_init_store(f->tmp, NULL);
	xasprintf(&f->data, "%s/data", f->tmp);
	helper_load_forms(&f->forms, &f->flows);
	admin = helper_signin(s, "chef", HELPER_ADMIN_PASS);
	helper_add_user(admin, "inv", "investigator", PASS);
	session_free(admin);
	sess = helper_signin(s, "inv", PASS);
	memset(&ctx, 0, sizeof ctx);
	ctx.sess = sess;
	ctx.forms = f->forms;
	ctx.flows = f->flows;
	assert_int_equal(casefile_share_keys(&ctx, &cause), 0);
	session_free(sess);
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

/* Check everything the child reported is there. */
static void
check_reported(struct fixture *f, const char *log)
{
	struct store		*s;
	struct session		*sess;
	struct casefile_ctx	 ctx;
	struct casefile		*cf;
	const struct casefile_rec *r;
	const char		*p = log;
	char			 ref[64], *cause = NULL, want[64];
	uint64_t		 id, rid, count, bad;
	int			 n;

	if (store_open(&s, f->data, 0, &cause) != 0)
		fail_msg("reopen after the kill: %s", cause);
	sess = helper_signin(s, "inv", PASS);
	memset(&ctx, 0, sizeof ctx);
	ctx.sess = sess;
	ctx.forms = f->forms;
	ctx.flows = f->flows;
	while (*p != '\0') {
		if (sscanf(p, "C %63s %d", ref, &n) == 2) {
			if (casefile_find(&ctx, ref, &id, &cause) != 0)
				fail_msg("committed case %s lost: %s", ref,
				    cause);
			assert_int_equal(casefile_open(&ctx, id, 0, &cf,
			    &cause), 0);
			snprintf(want, sizeof want, "Plainte numéro %d", n);
			assert_string_equal(record_get_str(casefile_rec(cf,
			    0)->fields, "summary"), want);
			casefile_free(cf);
		} else if (sscanf(p, "E %" SCNu64 " %" SCNu64, &id,
		    &rid) == 2) {
			assert_int_equal(casefile_open(&ctx, id, 0, &cf,
			    &cause), 0);
			r = casefile_rec(cf, rid);
			if (r == NULL)
				fail_msg("committed record %" PRIu64 " lost", rid);
			assert_string_equal(record_get_str(r->fields,
			    "contact"), "modifié");
			assert_int_equal(r->version, 2);
			casefile_free(cf);
		}
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	if (audit_verify(s, &count, &bad, &cause) != 0)
		fail_msg("audit after the kill: %s", cause);
	session_free(sess);
	store_close(s);
}

static void
crash__loses__no_committed_change(void **state)
{
	struct fixture	*f = *state;
	const char	*env = getenv("DOSSIER_CRASH_ROUNDS");
	char		*log = xstrdup(""), buf[4096], *n, *cause = NULL;
	int		 rounds = env != NULL ? atoi(env) : 50, i, fd[2], status;
	ssize_t		 got;
	size_t		 done = 0;
	pid_t		 pid;
	unsigned int	 seed = (unsigned int)time(NULL);

	printf("# %d rounds, seed %u\n", rounds, seed);
	srand(seed);
	for (i = 0; i < rounds; i++) {
		assert_int_equal(pipe(fd), 0);
		if ((pid = fork()) == 0) {
			close(fd[0]);
			child(f, fd[1]);
		}
		close(fd[1]);
		/* Sign-in takes ~0.1 s; kill somewhere in the work after. */
		usleep(80000 + (useconds_t)(rand() % 150000));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (!WIFSIGNALED(status))
			fail_msg("the child ended by itself (%d)",
			    WEXITSTATUS(status));
		while ((got = read(fd[0], buf, sizeof buf - 1)) > 0) {
			buf[got] = '\0';
			xasprintf(&n, "%s%s", log, buf);
			free(log);
			log = n;
		}
		close(fd[0]);
		/* Only complete lines were committed and reported. */
		if ((n = strrchr(log, '\n')) != NULL)
			n[1] = '\0';
		else
			log[0] = '\0';
		/* This round's reports now; all of them again at the end. */
		check_reported(f, log + done);
		done = strlen(log);
	}
	check_reported(f, log);
	if (store_check(f->data, &cause) != 0)
		fail_msg("dossier check after %d kills: %s", rounds, cause);
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(crash__loses__no_committed_change,
		    setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
