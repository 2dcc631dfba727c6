/*
 * monkey.c: random keys into the real terminal application.
 *
 * The harness makes a demonstration data directory ('dossier demo'),
 * then runs the terminal application in a pseudo-terminal, once per run,
 * cycling over every role (registrar, investigators, supervisor,
 * auditor, administrator) in French and in English.  Each run works on
 * its own copy of the demonstration directory, so a run can be replayed
 * alone.  It signs in by typing the passphrase, then sends keys from
 * keys.c: the first half at 80x24, the second half with resizes.  When
 * the program leaves (q), it is started again until the run's keys are
 * spent; the run then ends with Esc, SIGTERM or the terminal closing.
 *
 * The oracle, any of which fails the test:
 *   - the program dies of a signal or exits with a failure;
 *   - a sanitizer report in its stderr (kept in a file, away from the
 *     terminal), or any other byte there: a message on stderr would land
 *     in the middle of the screen;
 *   - a hang: keys not read, or no rest, for $DOSSIER_MONKEY_HANG seconds
 *     (the idle lock is pushed away with DOSSIER_IDLE_SECONDS);
 *   - Esc and 'y' forty times do not leave the program;
 *   - the terminal output holds a control character that curses does not
 *     send (NUL, 0x01-0x08, ...), a C1 control or invalid UTF-8: data
 *     reaching the terminal raw.  A terminfo entry like xterm-256color but
 *     for backspace as cursor-left and the bell makes 0x07 and 0x08 count;
 *   - after the run, 'dossier check' or 'dossier audit verify' fails:
 *     damage done through the screens.
 *
 * The seed is printed first and read from $DOSSIER_MONKEY_SEED ("random"
 * for a new one); on a failure the seed, the run and the last 200 keys
 * are printed with the command that replays that run alone.  Other knobs:
 * DOSSIER_MONKEY_KEYS (all runs), DOSSIER_MONKEY_RUN_KEYS (per run),
 * DOSSIER_MONKEY_RUN (only that run), DOSSIER_MONKEY_KEEP (keep the
 * directories and what each terminal was sent), DOSSIER_MONKEY_HANG
 * (seconds), DOSSIER_MONKEY_VERBOSE (slow keys, why the program left).
 *
 * The store every run copies is the demonstration's, with a case full of
 * hostile text (setup.c).  Before the random keys, regress.c replays the
 * bugs the monkey found, each to the screen the fixed program shows.
 *
 * Run as root, every dossier process runs as nobody: a path typed at the
 * export prompt cannot write outside the harness's directory then.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "monkey.h"

#define HISTORY		200
#define NO_RUN		((unsigned long)-1)
#define ESCDELAY_MS	150	/* the program's set_escdelay(100), and some */

/* Run k uses roles[k % NROLES]: every role, both languages, alternately. */
static const struct role roles[] = {
	{ "awa", "fr" }, { "ibrahim", "en" }, { "mariam", "fr" },
	{ "oumar", "en" }, { "fatou", "fr" }, { "admin", "en" },
	{ "awa", "en" }, { "ibrahim", "fr" }, { "mariam", "en" },
	{ "oumar", "fr" }, { "fatou", "en" }, { "admin", "fr" },
};
#define NROLES	(sizeof roles / sizeof roles[0])

const char	 *dossier_bin;
static const char *tmpbase, *forms_dir, *keys_dir;
static const char *locale_dir;
char		  scratch[4096], *template_dir;
static char	 *terminfo_dir;
static int	  have_terminfo, keep_dirs, verbose;
static uint64_t	  master_seed;

static struct monkey_key history[HISTORY];
static unsigned long	 history_n;

/* The run under way, for the failure report. */
static unsigned long	 cur_run = NO_RUN;
static char		 cur_name[64];
static const struct role *cur_role;
char		 cur_dir[4096];
static char		 cur_err[4096], cur_tty[4096];
static unsigned long	 run_keys, run_budget;

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "monkey: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(99);
}

char *
path_join(const char *a, const char *b)
{
	char	*p;

	if (asprintf(&p, "%s/%s", a, b) == -1)
		fatal("out of memory");
	return (p);
}

/* ------------------------------------------------ processes */

void
own(const char *path)
{
	if (term_drop_privs && chown(path, NOBODY, NOBODY) != 0)
		fatal("chown %s: %s", path, strerror(errno));
}

/* The environment of every dossier process of a run. */
static char **
child_env(const char *home, const char *lang, int nocolor, int arrow)
{
	static char	*env[32];
	const char	*keep[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "PATH" };
	size_t		 n = 0, i;
	char		*v;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	memset(env, 0, sizeof env);
#define ENV(...) do { if (asprintf(&env[n++], __VA_ARGS__) == -1) \
	fatal("out of memory"); } while (0)
	ENV("HOME=%s", home);
	ENV("XDG_CONFIG_HOME=%s/config", home);
	ENV("LANG=C.UTF-8");
	ENV("DOSSIER_FORMS=%s", forms_dir);
	ENV("DOSSIER_KEYS=%s", keys_dir);
	if (locale_dir != NULL)
		ENV("DOSSIER_LOCALEDIR=%s", locale_dir);
	ENV("DOSSIER_IDLE_SECONDS=%d", 1000000);
	if (have_terminfo) {
		ENV("TERMINFO=%s", terminfo_dir);
		ENV("TERM=dossier-monkey");
	} else
		ENV("TERM=xterm-256color");
	if (lang != NULL)
		ENV("LANGUAGE=%s", lang);
	if (nocolor)
		ENV("NO_COLOR=1");
	if (arrow)
		ENV("DOSSIER_ARROW_CURSOR=1");
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if ((v = getenv(keep[i])) != NULL)
			ENV("%s=%s", keep[i], v);
#undef ENV
	return (env);
}

void
print_file(const char *path, const char *prefix, int max)
{
	FILE	*f = fopen(path, "r");
	char	 line[1024];
	int	 n = 0;

	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL && n++ < max)
		printf("%s%s%s", prefix, line, strchr(line, '\n') ? "" : "\n");
	fclose(f);
}

static off_t
file_size(const char *path)
{
	struct stat	 sb;

	return (stat(path, &sb) == 0 ? sb.st_size : 0);
}

/* The terminal application for role r, on the run's copy. */
static void
start_dossier(struct term *t, const struct role *r, char **envp,
    const char *home, int cols, int rows)
{
	char	*argv[] = { (char *)dossier_bin, (char *)"--data", cur_dir,
	    (char *)"--user", (char *)r->user, (char *)"--lang",
	    (char *)r->lang, NULL };

	term_start(t, argv, envp, home, cur_err, cols, rows);
	t->scan.strict = have_terminfo;
	if (keep_dirs)	/* what the terminal was sent, to look at */
		t->log = open(cur_tty, O_WRONLY|O_CREAT|O_APPEND, 0644);
}

/* ------------------------------------------------ failures */

static const char *sanitizer_marks[] = { "AddressSanitizer",
	"LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:",
	"SUMMARY:" };

static int
file_has_report(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	 line[1024];
	size_t	 i;
	int	 found = 0;

	if (f == NULL)
		return (0);
	while (!found && fgets(line, sizeof line, f) != NULL)
		for (i = 0; i < sizeof sanitizer_marks /
		    sizeof sanitizer_marks[0]; i++)
			if (strstr(line, sanitizer_marks[i]) != NULL)
				found = 1;
	fclose(f);
	return (found);
}

void
fail(struct term *t, const char *fmt, ...)
{
	va_list		 ap;
	char		 esc[1024];
	unsigned long	 i, from;

	fflush(stdout);
	printf("\nFAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (cur_role == NULL)
		printf("\n  before any run\n");
	else if (cur_run == NO_RUN)
		printf("\n  %s (%s, --lang %s), after %lu keys\n", cur_name,
		    cur_role->user, cur_role->lang, run_keys);
	else {
		printf("\n  seed %" PRIu64 ", run %lu (%s, --lang %s), after "
		    "%lu keys of the run, terminal %dx%d\n", master_seed,
		    cur_run, cur_role->user, cur_role->lang, run_keys,
		    t != NULL ? t->cols : 0, t != NULL ? t->rows : 0);
		printf("  replay: DOSSIER_MONKEY_SEED=%" PRIu64
		    " DOSSIER_MONKEY_RUN=%lu DOSSIER_MONKEY_RUN_KEYS=%lu "
		    "DOSSIER_MONKEY_KEEP=1 tests/monkey/monkey (with the "
		    "environment of make check)\n", master_seed, cur_run,
		    run_budget);
	}
	from = history_n > HISTORY ? history_n - HISTORY : 0;
	printf("  the last %lu keys:\n", history_n - from);
	for (i = from; i < history_n; i++) {
		struct monkey_key	*k = &history[i % HISTORY];

		if (k->kind == MK_PASTE) {
			monkey_escape(k->bytes, k->len, esc, 160);
			printf("    %5lu  %s: %s\n", i, k->label, esc);
		} else
			printf("    %5lu  %s\n", i, k->label);
	}
	if (t != NULL && t->pid > 0) {
		if (!t->exited && kill(t->pid, 0) == 0 &&
		    strncmp(fmt, "hang", 4) == 0) {
			char	 cmd[256];

			/* A hang: where is it?  (gdb, when installed) */
			snprintf(cmd, sizeof cmd, "command -v gdb >/dev/null && "
			    "gdb -q -batch -p %ld -ex 'thread apply all bt' "
			    "2>/dev/null | sed 's/^/  gdb| /' | tail -60",
			    (long)t->pid);
			if (system(cmd) != 0)
				printf("  (no backtrace)\n");
		}
		if (!t->exited && kill(t->pid, SIGKILL) == 0)
			waitpid(t->pid, NULL, 0);
		monkey_escape(t->tail, t->taillen, esc, sizeof esc);
		printf("  the last terminal output: %s\n", esc);
		printf("  the screen (%dx%d):\n", t->screen.cols,
		    t->screen.rows);
		screen_print(&t->screen, "  |");
	}
	if (file_size(cur_err) > 0) {
		printf("  the program's stderr (%s):\n", cur_err);
		print_file(cur_err, "  | ", 80);
	}
	printf("  kept: %s\n", scratch);
	exit(1);
}

/* A program that ended: only a plain exit 0 with a silent stderr passes. */
static void
check_exit(struct term *t)
{
	if (file_has_report(cur_err))
		fail(t, "a sanitizer report");
	if (WIFSIGNALED(t->status))
		fail(t, "the program died of signal %d (%s)",
		    WTERMSIG(t->status), strsignal(WTERMSIG(t->status)));
	if (!WIFEXITED(t->status) || WEXITSTATUS(t->status) != 0)
		fail(t, "the program exited with status %d",
		    WEXITSTATUS(t->status));
	if (file_size(cur_err) > 0)
		fail(t, "the program wrote to stderr (it would show on the "
		    "screen)");
}

/* ------------------------------------------------ one run */

/*
 * q or Esc here would leave the program (the case list, or the accounts
 * screen of an administrator): a restart costs a sign-in.
 */
static int
leaves_program(const struct screen *s, const struct monkey_key *k)
{
	char	 row[4096];

	if (k->kind != MK_KEY || k->len != 1 || (k->bytes[0] != 'q' &&
	    k->bytes[0] != '\033'))
		return (0);
	screen_row(s, s->rows - 1, row, sizeof row);
	if (strstr(row, ":Quit") != NULL)
		return (1);
	screen_row(s, 0, row, sizeof row);
	return (strncmp(row, "Accounts:", 9) == 0 ||
	    strncmp(row, "Comptes :", 9) == 0);
}

void
history_add(const struct monkey_key *k)
{
	history[history_n % HISTORY] = *k;
	history_n++;
}

static void
signin(struct term *t, const char *pass)
{
	static const char *refused[] = { "Wrong passphrase",
	    "Phrase secrète incorrecte", "is disabled", "est désactivé",
	    "must first choose", "devez d'abord choisir" };
	char		 line[1100];
	double		 start = now_ms();
	size_t		 i;

	/* curses is up (raw mode) once the sign-in screen waits for keys. */
	while (!term_raw(t)) {
		term_pump(t, 5);
		if (term_reap(t))
			check_exit(t), fail(t, "the program left before the "
			    "sign-in screen");
		if (now_ms() - start > 60000)
			fail(t, "no sign-in screen within 60 s");
	}
	snprintf(line, sizeof line, "%s\r", pass);
	if (term_send(t, line, strlen(line)) != 0 || term_settle(t, 60000))
		check_exit(t), fail(t, "the program left at sign-in");
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (memmem(t->tail, t->taillen, refused[i],
		    strlen(refused[i])) != NULL)
			fail(t, "the sign-in was refused (%s)", refused[i]);
}

/* Leave: Esc (and y to discard a form) until the program has gone. */
static void
leave_by_keys(struct term *t)
{
	int	 i;

	if (t->cols < 80 || t->rows < 24) {
		term_resize(t, 80, 24);
		if (term_settle(t, term_hang_ms))
			return;
	}
	for (i = 0; i < 40; i++) {
		if (term_send(t, "\033", 1) || term_settle(t, term_hang_ms))
			return;
		sleep_ms(ESCDELAY_MS);
		if (term_send(t, "y", 1) || term_settle(t, term_hang_ms))
			return;
	}
	fail(t, "Esc and y forty times do not leave the program");
}

void
term_end(struct term *t, enum ending how)
{
	switch (how) {
	case END_KEYS:
		leave_by_keys(t);
		break;
	case END_TERM:
		kill(t->pid, SIGTERM);
		break;
	case END_HANGUP:
		term_close(t);		/* SIGHUP from the kernel */
		break;
	}
	if (term_wait(t, term_hang_ms) != 0)
		fail(t, "hang: the program does not end %.0f s after %s",
		    term_hang_ms / 1e3, how == END_TERM ? "SIGTERM" :
		    how == END_HANGUP ? "the terminal closed" : "the keys");
	check_exit(t);
	term_close(t);
}

struct run_stats {
	unsigned long	 starts, pastes;
	size_t		 bytes;
	double		 start_ms, paste_ms;
};

/*
 * A run's directory: a copy of the demonstration data, a home, the
 * passphrase of the role (NULL for a user the demonstration lacks).
 */
void
run_prepare(struct run *run, const char *name, const struct role *r,
    int nocolor, int arrow)
{
	char	*sub;

	memset(run, 0, sizeof *run);
	run->role = r;
	cur_role = r;
	snprintf(cur_name, sizeof cur_name, "%s", name);
	history_n = 0;
	run_keys = 0;
	run->dir = path_join(scratch, name);
	if (mkdir(run->dir, 0700) != 0)
		fatal("mkdir %s: %s", run->dir, strerror(errno));
	own(run->dir);
	run->home = path_join(run->dir, "home");
	mkdir(run->home, 0700);
	own(run->home);
	sub = path_join(run->home, "config");
	mkdir(sub, 0700);
	own(sub);
	free(sub);
	snprintf(cur_dir, sizeof cur_dir, "%s/data", run->dir);
	snprintf(cur_err, sizeof cur_err, "%s/stderr.log", run->dir);
	snprintf(cur_tty, sizeof cur_tty, "%s/terminal.out", run->dir);
	copy_store(template_dir, cur_dir);
	run->pass = run_demo_pass(r->user);
	run->envp = child_env(run->home, r->lang, nocolor, arrow);
}

/* The program at 80x24; signed in unless the caller types that. */
void
run_start(struct run *run, int signin_too)
{
	start_dossier(&run->t, run->role, run->envp, run->home, 80, 24);
	if (signin_too)
		signin(&run->t, run->pass);
}

void
run_begin(struct run *run, const char *name, const struct role *r,
    int nocolor, int arrow)
{
	run_prepare(run, name, r, nocolor, arrow);
	run_start(run, 1);
}

/* The program left: check how, and start it again at the same size. */
void
run_restart(struct run *run)
{
	struct term	*t = &run->t;

	if (!t->exited && term_wait(t, term_hang_ms) != 0)
		fail(t, "hang: the program does not end");
	check_exit(t);
	term_close(t);
	start_dossier(t, run->role, run->envp, run->home, t->cols ? t->cols :
	    80, t->rows ? t->rows : 24);
	signin(t, run->pass);
}

/* One step: 0, or 1 when the program has gone (and has been waited for). */
int
run_key(struct run *run, const struct monkey_key *key)
{
	struct term	*t = &run->t;
	int		 gone;

	history_add(key);
	run_keys++;
	switch (key->kind) {
	case MK_RESIZE:
		term_resize(t, key->cols, key->rows);
		return (term_settle(t, term_hang_ms));
	case MK_HANGUP:
		term_end(t, END_HANGUP);
		return (1);
	default:
		/* A lone Esc then '[' or 'O' would make a key. */
		if (now_ms() < t->esc_until && (key->bytes[0] == '[' ||
		    key->bytes[0] == 'O'))
			sleep_ms(t->esc_until - now_ms());
		gone = term_send(t, key->bytes, key->len);
		if (key->len > 0 && key->bytes[key->len - 1] == '\033')
			t->esc_until = now_ms() + ESCDELAY_MS;
		if (!gone)
			gone = term_settle(t, term_hang_ms);
		return (gone);
	}
}

/* Run a command as the program runs; fail unless it exits 0. */
void
run_tool_ok(struct run *run, const char *what, char *const argv[])
{
	char	*out = path_join(run->dir, "tool.out");
	int	 status;

	status = run_tool(argv, run->envp, run->home, out);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("\n'%s' says:\n", what);
		print_file(out, "  | ", 60);
		fail(NULL, "'%s' fails (status %d)", what, status);
	}
	if (file_has_report(out))
		fail(NULL, "a sanitizer report from '%s'", what);
	free(out);
}

/* A file only nobody (or the user) reads, for --passphrase-file. */
char *
run_file(struct run *run, const char *name, const char *text)
{
	char	*path = path_join(run->dir, name);
	int	 fd;

	if ((fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, 0600)) == -1 ||
	    dprintf(fd, "%s\n", text) < 0)
		fatal("%s: %s", path, strerror(errno));
	close(fd);
	own(path);
	return (path);
}

/*
 * End the program (if it still runs) the way asked, then check that the
 * data survived whatever was typed: 'dossier check' and 'audit verify'.
 */
void
run_finish(struct run *run, enum ending how)
{
	char	*oumar, *pwfile, *cmd;

	if (run->t.pid > 0 && !run->t.exited)
		term_end(&run->t, how);
	term_close(&run->t);
	screen_free(&run->t.screen);
	oumar = run_demo_pass("oumar");
	pwfile = run_file(run, "oumar.pw", oumar);
	{
		char	*check[] = { (char *)dossier_bin, (char *)"--data",
		    cur_dir, (char *)"check", NULL };
		char	*audit[] = { (char *)dossier_bin, (char *)"--data",
		    cur_dir, (char *)"--user", (char *)"oumar",
		    (char *)"--passphrase-file", pwfile, (char *)"audit",
		    (char *)"verify", NULL };

		run_tool_ok(run, "dossier check", check);
		/* An administrator's keys may have disabled oumar. */
		if (strcmp(run->role->user, "admin") == 0) {
			char	*admin = run_demo_pass("admin");
			char	*adminpw = run_file(run, "admin.pw", admin);
			char	*enable[] = { (char *)dossier_bin,
			    (char *)"--data", cur_dir, (char *)"--user",
			    (char *)"admin", (char *)"--passphrase-file",
			    adminpw, (char *)"user", (char *)"enable",
			    (char *)"oumar", NULL };

			run_tool_ok(run, "dossier user enable oumar", enable);
			free(adminpw);
			free(admin);
		}
		run_tool_ok(run, "dossier audit verify", audit);
	}
	free(oumar);
	free(pwfile);
	if (!keep_dirs && asprintf(&cmd, "rm -rf '%s'", run->dir) != -1) {
		if (system(cmd) != 0)
			printf("monkey: cannot remove %s\n", run->dir);
		free(cmd);
	}
	free(run->pass);
	free(run->home);
	free(run->dir);
}

static void
run_one(unsigned long k, unsigned long nkeys, struct run_stats *rs)
{
	const struct role	*r = &roles[k % NROLES];
	struct monkey_rng	 rng = { monkey_mix(master_seed ^
	    (0x9e3779b97f4a7c15ULL * (k + 1))) };
	struct monkey_key	 key;
	struct run		 run;
	struct term		*t = &run.t;
	char			 name[32], row[4096];
	double			 t0;
	int			 gone, resizes, nocolor, arrow;

	cur_run = k;
	run_budget = nkeys;
	snprintf(name, sizeof name, "run-%lu", k);
	nocolor = monkey_below(&rng, 4) == 0;
	arrow = monkey_below(&rng, 4) == 0;
	t0 = now_ms();
	run_begin(&run, name, r, nocolor, arrow);
	rs->starts = 1;
	rs->start_ms += now_ms() - t0;
	while (run_keys < nkeys) {
		resizes = run_keys >= nkeys / 2;
		if ((t->cols < 80 || t->rows < 24) &&
		    monkey_below(&rng, 4) == 0) {
			/* Too small: keys are ignored; grow back soon. */
			key.kind = MK_RESIZE;
			key.cols = 80 + (int)monkey_below(&rng, 2) *
			    (int)monkey_below(&rng, 120);
			key.rows = 24 + (int)monkey_below(&rng, 2) *
			    (int)monkey_below(&rng, 40);
			snprintf(key.label, sizeof key.label, "resize %dx%d",
			    key.cols, key.rows);
		} else {
			monkey_next(&rng, resizes, &key);
			/* Leave the program one time in eight it could. */
			while (leaves_program(&t->screen, &key) &&
			    monkey_below(&rng, 8) != 0)
				monkey_next(&rng, resizes, &key);
		}
		t0 = now_ms();
		gone = run_key(&run, &key);
		if (key.kind == MK_PASTE) {
			rs->pastes++;
			rs->paste_ms += now_ms() - t0;
		}
		rs->bytes += t->out_bytes;
		t->out_bytes = 0;
		if (verbose && now_ms() - t0 > 50)
			printf("  slow: %lu %s %.0f ms\n", run_keys, key.label,
			    now_ms() - t0);
		if (gone && verbose) {
			screen_row(&t->screen, t->screen.rows - 1, row,
			    sizeof row);
			printf("  gone after %s (%s)\n", key.label, row);
		}
		if (gone && run_keys < nkeys) {
			t0 = now_ms();
			run_restart(&run);
			rs->starts++;
			rs->start_ms += now_ms() - t0;
		}
	}
	run_finish(&run, monkey_below(&rng, 10) < 6 ? END_KEYS :
	    monkey_below(&rng, 2) ? END_TERM : END_HANGUP);
}

/* ------------------------------------------------ set-up */

/* xterm-256color, but curses may send neither BS nor BEL. */
static void
make_terminfo(char **envp)
{
	char	*src = path_join(scratch, "monkey.ti"), *out, *log;
	char	*argv[] = { (char *)"/bin/sh", (char *)"-c", NULL, NULL };
	FILE	*f;
	int	 status;

	terminfo_dir = path_join(scratch, "terminfo");
	if ((f = fopen(src, "w")) == NULL)
		fatal("%s: %s", src, strerror(errno));
	fprintf(f, "dossier-monkey|xterm-256color without BS or BEL,\n"
	    "\tcub1=\\E[D, bel@, flash@, use=xterm-256color,\n");
	fclose(f);
	if (asprintf(&out, "tic -x -o '%s' '%s'", terminfo_dir, src) == -1)
		fatal("out of memory");
	argv[2] = out;
	log = path_join(scratch, "tic.out");
	status = run_tool(argv, envp, scratch, log);
	have_terminfo = status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0;
	if (!have_terminfo)
		printf("monkey: no tic: xterm-256color, and BS and BEL are "
		    "allowed in the output\n");
	free(out);
	free(log);
	free(src);
}

static uint64_t
parse_seed(void)
{
	const char	*s = getenv("DOSSIER_MONKEY_SEED");
	uint64_t	 v = 0;
	int		 fd;

	if (s == NULL || *s == '\0')
		return (20261129);	/* make check: always the same keys */
	if (strcmp(s, "random") == 0) {
		if ((fd = open("/dev/urandom", O_RDONLY)) == -1 ||
		    read(fd, &v, sizeof v) != sizeof v)
			v = (uint64_t)time(NULL) ^ (uint64_t)getpid();
		if (fd != -1)
			close(fd);
		return (v % 1000000000000ULL);
	}
	return (strtoull(s, NULL, 10));
}

static unsigned long
env_ulong(const char *name, unsigned long dflt)
{
	const char	*s = getenv(name);

	return (s != NULL && *s != '\0' ? strtoul(s, NULL, 10) : dflt);
}

/* The sanitizers stop at the first report, which goes to stderr. */
static void
sanitizer_options(void)
{
	const char	*names[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS" };
	char		*v;
	size_t		 i;

	for (i = 0; i < 2; i++) {
		if (asprintf(&v, "halt_on_error=1:abort_on_error=1:"
		    "print_stacktrace=1%s%s", getenv(names[i]) != NULL ? ":" :
		    "", getenv(names[i]) != NULL ? getenv(names[i]) : "") == -1)
			fatal("out of memory");
		setenv(names[i], v, 1);
		free(v);
	}
}

/*
 * Run as root, the programs run as nobody, who may not be able to reach
 * the build tree: the binary, forms, key maps and catalogues are copied
 * into the scratch directory first.
 */
static void
stage_for_nobody(void)
{
	static char	*bin, *forms, *keys, *locale;

	bin = path_join(scratch, "dossier");
	copy_tree(dossier_bin, bin);
	dossier_bin = bin;
	forms = path_join(scratch, "forms");
	copy_tree(forms_dir, forms);
	forms_dir = forms;
	keys = path_join(scratch, "keys");
	copy_tree(keys_dir, keys);
	keys_dir = keys;
	if (locale_dir != NULL) {
		locale = path_join(scratch, "locale");
		copy_tree(locale_dir, locale);
		locale_dir = locale;
	}
}

int
main(void)
{
	struct run_stats	 rs;
	char			*kpath, **envp;
	unsigned long		 total, per, only, hang, k, done = 0;
	double			 t0 = now_ms(), t1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	signal(SIGPIPE, SIG_IGN);
	dossier_bin = getenv("DOSSIER");
	forms_dir = getenv("DOSSIER_FORMS");
	keys_dir = getenv("DOSSIER_KEYS");
	locale_dir = getenv("DOSSIER_LOCALEDIR");
	if ((tmpbase = getenv("TMPDIR")) == NULL || *tmpbase == '\0')
		tmpbase = "/tmp";
	if (dossier_bin == NULL || forms_dir == NULL || keys_dir == NULL)
		fatal("DOSSIER, DOSSIER_FORMS and DOSSIER_KEYS must be set "
		    "(make check sets them)");
	master_seed = parse_seed();
	total = env_ulong("DOSSIER_MONKEY_KEYS", 4000);
	per = env_ulong("DOSSIER_MONKEY_RUN_KEYS", (total + NROLES - 1) / NROLES);
	if (per == 0)
		per = 1;
	only = env_ulong("DOSSIER_MONKEY_RUN", (unsigned long)-1);
	hang = env_ulong("DOSSIER_MONKEY_HANG", 10);
	term_hang_ms = 1e3 * hang;
	keep_dirs = getenv("DOSSIER_MONKEY_KEEP") != NULL;
	verbose = getenv("DOSSIER_MONKEY_VERBOSE") != NULL;
	term_drop_privs = geteuid() == 0;
	sanitizer_options();

	kpath = path_join(keys_dir, "default.keys");
	if (monkey_keys_load(kpath) != 0)
		fatal("cannot read the key map %s", kpath);
	free(kpath);
	snprintf(scratch, sizeof scratch, "%s/dossier-monkey-XXXXXX", tmpbase);
	if (mkdtemp(scratch) == NULL)
		fatal("mkdtemp: %s", strerror(errno));
	own(scratch);
	if (term_drop_privs)
		stage_for_nobody();
	printf("monkey: seed %" PRIu64 " (DOSSIER_MONKEY_SEED), %lu keys in "
	    "runs of %lu, %zu keys in the key map, hang after %.0f s%s\n",
	    master_seed, only != (unsigned long)-1 ? per : total, per,
	    monkey_keys_count(), term_hang_ms / 1e3, term_drop_privs ?
	    ", programs run as nobody" : "");

	envp = child_env(scratch, NULL, 0, 0);
	make_terminfo(envp);
	template_dir = path_join(scratch, "demo");
	setup_store(envp);

	if (only == (unsigned long)-1 && getenv("DOSSIER_MONKEY_NO_REGRESS") ==
	    NULL) {
		t1 = now_ms();
		regress_all();
		printf("regressions passed, %.1f s\n", (now_ms() - t1) / 1e3);
	}
	for (k = 0; only != (unsigned long)-1 ? k <= only : done < total;
	    k++) {
		unsigned long	 n = only != (unsigned long)-1 ? per :
		    (total - done < per ? total - done : per);

		if (only != (unsigned long)-1 && k != only)
			continue;
		memset(&rs, 0, sizeof rs);
		t1 = now_ms();
		run_one(k, n, &rs);
		done += n;
		printf("run %3lu  %-8s %s %6lu keys %6.1f s  %3lu starts "
		    "%5.1f s  %3lu pastes %5.1f s  %9zu bytes out\n", k,
		    roles[k % NROLES].user, roles[k % NROLES].lang, n,
		    (now_ms() - t1) / 1e3, rs.starts, rs.start_ms / 1e3,
		    rs.pastes, rs.paste_ms / 1e3, rs.bytes);
	}
	printf("monkey: %lu keys, %lu runs, no failure, %.1f s (seed %" PRIu64
	    ")\n", done, only != (unsigned long)-1 ? 1 : k, (now_ms() - t0) /
	    1e3, master_seed);
	free(template_dir);
	free(terminfo_dir);
	monkey_keys_free();
	if (!keep_dirs) {
		char	*cmd;

		if (asprintf(&cmd, "rm -rf '%s'", scratch) != -1) {
			if (system(cmd) != 0)
				printf("monkey: cannot remove %s\n", scratch);
			free(cmd);
		}
	} else
		printf("monkey: kept %s\n", scratch);
	return (0);
}
