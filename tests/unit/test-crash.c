/*
 * test-crash.c: SIGKILL at random moments while a child process creates
 * and edits cases, then reopen: recovery runs, every table verifies, the
 * audit chain holds, and every change the child reported as committed is
 * there, whole, and 'dossier check' finds the header indexes and
 * counters as the headers make them.  50 rounds in 'make check'; DOSSIER_CRASH_ROUNDS=1000 in
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
#include <sys/select.h>
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
#include "session.h"
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
	if (session_signin(s, "inv", PASS, strlen(PASS), &sess, &cause) != 0)
		_exit(3);
	if (write(fd, "S\n", 2) != 2)
		_exit(5);
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

static void
crash_problem(const char *sentence, void *arg)
{
	(void)arg;
	print_message("check: %s\n", sentence);
}

/*
 * Check everything the child reported is there; the audit chain too when
 * asked (it grows with every round: walking it after each of 1000 rounds
 * made check-long quadratic).
 */
static void
check_reported(struct fixture *f, const char *log, int audit)
{
	struct store		*s;
	struct session		*sess;
	struct casefile_ctx	 ctx;
	struct casefile		*cf;
	const struct casefile_rec *r;
	const char		*p = log;
	char			 ref[64], *cause = NULL, want[64];
	uint64_t		 id, rid, count, bad, *ids;
	size_t			 cases, problems, nids;
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
	/* The header indexes and counters agree with the headers. */
	if (casefile_check(s, f->forms, f->flows, crash_problem, NULL, &cases,
	    &problems, &cause) != 0)
		fail_msg("check after the kill: %s", cause);
	assert_int_equal(problems, 0);
	assert_int_equal(casefile_ids(&ctx, NULL, CASEFILE_SORT_REFERENCE,
	    &ids, &nids, &cause), 0);
	assert_int_equal(nids, cases);
	free(ids);
	if (audit && account_verify_audit(s, NULL, &count, &bad, &cause) != 0)
		fail_msg("audit after the kill: %s", cause);
	session_free(sess);
	store_close(s);
}

/* Read what the child wrote until a line starting with c, or t ms. */
static int
wait_for(int fd, char **log, char c, int ms)
{
	struct timespec	 start, nowts;
	char		 buf[4096], *n;
	fd_set		 rfds;
	struct timeval	 tv;
	ssize_t		 got;
	long		 spent;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (**log != '\0' && ((*log)[0] == c ||
		    (n = strstr(*log, (char[]){ '\n', c, '\0' })) != NULL))
			return (0);
		clock_gettime(CLOCK_MONOTONIC, &nowts);
		spent = (nowts.tv_sec - start.tv_sec) * 1000 +
		    (nowts.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= ms)
			return (-1);
		FD_ZERO(&rfds);
		FD_SET(fd, &rfds);
		tv.tv_sec = (ms - spent) / 1000;
		tv.tv_usec = ((ms - spent) % 1000) * 1000;
		if (select(fd + 1, &rfds, NULL, NULL, &tv) <= 0)
			continue;
		if ((got = read(fd, buf, sizeof buf - 1)) <= 0)
			return (-1);
		buf[got] = '\0';
		xasprintf(&n, "%s%s", *log, buf);
		free(*log);
		*log = n;
	}
}

/*
 * Each round kills the child at a random moment after it signed in; in
 * every other round (the first included), only after its first
 * acknowledged commit, so the run is known to have checked committed
 * changes (at least one per such round), however slow the build
 * (sanitizers) or the machine.
 */
static void
crash__loses__no_committed_change(void **state)
{
	struct fixture	*f = *state;
	const char	*env = getenv("DOSSIER_CRASH_ROUNDS");
	const char	*senv = getenv("DOSSIER_CRASH_SEED");
	char		*log = xstrdup(""), *round, buf[4096], *n, *p;
	char		*cause = NULL;
	int		 rounds = env != NULL ? atoi(env) : 50, i, fd[2], status;
	ssize_t		 got;
	size_t		 acked = 0, acked_rounds = 0;
	pid_t		 pid;
	unsigned int	 seed = senv != NULL ? (unsigned int)atoi(senv) :
			    (unsigned int)time(NULL);

	printf("# %d rounds, seed %u (DOSSIER_CRASH_SEED)\n", rounds, seed);
	srand(seed);
	for (i = 0; i < rounds; i++) {
		assert_int_equal(pipe(fd), 0);
		if ((pid = fork()) == 0) {
			close(fd[0]);
			child(f, fd[1]);
		}
		close(fd[1]);
		round = xstrdup("");
		if (wait_for(fd[0], &round, 'S', 60000) != 0)
			fail_msg("round %d: the child did not sign in", i);
		if (i % 2 == 0 && wait_for(fd[0], &round, 'C', 60000) != 0)
			fail_msg("round %d: no commit acknowledged in 60 s", i);
		usleep((useconds_t)(rand() % 150000));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (!WIFSIGNALED(status))
			fail_msg("the child ended by itself (%d)",
			    WEXITSTATUS(status));
		while ((got = read(fd[0], buf, sizeof buf - 1)) > 0) {
			buf[got] = '\0';
			xasprintf(&n, "%s%s", round, buf);
			free(round);
			round = n;
		}
		close(fd[0]);
		/* Only complete lines were committed and reported. */
		if ((n = strrchr(round, '\n')) != NULL)
			n[1] = '\0';
		else
			round[0] = '\0';
		got = 0;
		for (p = round; (p = strchr(p, '\n')) != NULL; p++)
			if (p[1] == 'C' || p[1] == 'E')
				got++;
		acked += (size_t)got;
		acked_rounds += got > 0;
		/* This round's reports now; all of them again at the end. */
		check_reported(f, round, i % 25 == 24);
		xasprintf(&n, "%s%s", log, round);
		free(log);
		log = n;
		free(round);
	}
	printf("# %zu commits acknowledged before a kill, in %zu of %d "
	    "rounds\n", acked, acked_rounds, rounds);
	assert_true(acked_rounds >= ((size_t)rounds + 1) / 2);
	check_reported(f, log, 1);
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
