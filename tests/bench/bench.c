/*
 * bench.c: 'make bench': figures, not pass/fail (design.md section 10).
 *
 * For each size (10,000 and 100,000 cases, or $DOSSIER_BENCH_SIZES) it
 * builds a data directory with 'dossier demo --cases N' and prints:
 * import rate (the whole command, and its cases alone: less the time of
 * 'demo --cases 0', its accounts) and database bytes per case; list,
 * filter and search latency; case open and save latency beside their
 * floors in the same run (an open: the raw read of the case, one unseal
 * and one signature checked; a save: its own writes made raw, the same
 * sizes into the same tables and pages, and one signature made; and,
 * as before, one raw put of a sixth of the case's bytes); export and sign
 * time; and the bytes the terminal application writes at 80x24 on
 * xterm-256color, measured in a pseudo-terminal: start-up, one line
 * down in the list (default and arrow_cursor), scrolling past the
 * bottom, opening a case and going back, and 5 s idle.  When neomutt
 * is installed, the same steps over a generated mailbox are printed
 * beside them as the reference.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "export.h"
#include "form.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "stats.h"
#include "store.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

static const char *dossier_bin;

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* Median and 95th percentile of n samples (sorted in place). */
static void
stats(double *v, size_t n, double *med, double *p95)
{
	qsort(v, n, sizeof *v, cmp_double);
	*med = v[n / 2];
	*p95 = v[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1];
}

static off_t
db_bytes(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	struct stat	 sb;
	char		*p;
	off_t		 total = 0;
	size_t		 len;

	if (d == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".db") != 0)
			continue;
		xasprintf(&p, "%s/%s", dir, de->d_name);
		if (stat(p, &sb) == 0)
			total += sb.st_size;
		free(p);
	}
	closedir(d);
	return (total);
}

static char *
demo_pass(const char *dir, const char *user)
{
	char	*path, name[64], role[64], pass[256];
	FILE	*f;

	xasprintf(&path, "%s/demo-users.txt", dir);
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "bench: cannot read %s\n", path);
		exit(1);
	}
	free(path);
	while (fscanf(f, "%63s %63s %255s", name, role, pass) == 3) {
		if (strcmp(name, user) == 0) {
			fclose(f);
			return (xstrdup(pass));
		}
	}
	fclose(f);
	fprintf(stderr, "bench: no demo user %s\n", user);
	exit(1);
}

/* ------------------------------------------------ terminal bytes */

struct term {
	int	 fd;
	pid_t	 pid;
	size_t	 total;
	char	 tail[4096];	/* the last output, to find text */
	size_t	 taillen;
};

static size_t
term_drain(struct term *t, int quiet_ms, int max_ms)
{
	struct pollfd	 pfd;
	char		 buf[8192];
	ssize_t		 n;
	size_t		 got = 0;
	double		 start = now_ms();

	pfd.fd = t->fd;
	pfd.events = POLLIN;
	while (now_ms() - start < max_ms) {
		if (poll(&pfd, 1, quiet_ms) <= 0)
			break;
		if ((n = read(t->fd, buf, sizeof buf)) <= 0)
			break;
		got += (size_t)n;
		if ((size_t)n >= sizeof t->tail) {
			memcpy(t->tail, buf + n - sizeof t->tail + 1,
			    sizeof t->tail - 1);
			t->taillen = sizeof t->tail - 1;
		} else {
			if (t->taillen + (size_t)n >= sizeof t->tail) {
				memmove(t->tail, t->tail + n, t->taillen - n);
				t->taillen -= (size_t)n;
			}
			memcpy(t->tail + t->taillen, buf, (size_t)n);
			t->taillen += (size_t)n;
		}
		t->tail[t->taillen] = '\0';
	}
	t->total += got;
	return (got);
}

static int
term_start(struct term *t, char *const argv[], char *const envp[])
{
	struct winsize	 ws = { .ws_row = 24, .ws_col = 80 };

	memset(t, 0, sizeof *t);
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid == -1)
		return (-1);
	if (t->pid == 0) {
		execve(argv[0], argv, envp);
		_exit(127);
	}
	return (0);
}

static size_t
term_key(struct term *t, const char *keys)
{
	if (write(t->fd, keys, strlen(keys)) < 0)
		return (0);
	return (term_drain(t, 250, 5000));
}

static void
term_stop(struct term *t)
{
	kill(t->pid, SIGTERM);
	term_drain(t, 100, 1000);
	waitpid(t->pid, NULL, 0);
	close(t->fd);
}

struct tbytes {
	size_t	 startup, down_med, down_max, scroll_med, scroll_max;
	size_t	 open, back, idle;
	int	 ok;
};

/*
 * Keystroke latency: from the key written to the last byte of the
 * screen's answer (however long the first byte takes), the screen
 * counting as settled after 150 ms without output.
 */
#define LAT_QUIET	150
struct tlat {
	const char	*label;
	const char	*keys;
	int		 times;
	double		 med, p95;
};

static double
term_timed(struct term *t, const char *keys)
{
	struct pollfd	 pfd;
	char		 buf[8192];
	double		 t0, last;
	ssize_t		 n;

	pfd.fd = t->fd;
	pfd.events = POLLIN;
	t0 = last = now_ms();
	if (write(t->fd, keys, strlen(keys)) < 0)
		return (0);
	/* The first byte may be long in coming (a list read again). */
	while (now_ms() - t0 < 120000) {
		if (poll(&pfd, 1, last == t0 ? 60000 : LAT_QUIET) <= 0)
			break;
		if ((n = read(t->fd, buf, sizeof buf)) <= 0)
			break;
		last = now_ms();
		t->total += (size_t)n;
	}
	return (last - t0);
}

/*
 * Resident memory of a process, in kB: all of it (VmRSS), and the part
 * that is its own (RssAnon: the rest is Berkeley DB's cache, a file
 * mapped by every process of the data directory, and the program).
 */
static void
proc_rss(pid_t pid, long *rss, long *anon)
{
	char	 path[64], line[256];
	FILE	*f;

	*rss = *anon = -1;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		sscanf(line, "VmRSS: %ld", rss);
		sscanf(line, "RssAnon: %ld", anon);
	}
	fclose(f);
}

/* The process's resident peak so far (kB), or -1. */
static long
proc_hwm(pid_t pid)
{
	char	 path[64], line[256];
	FILE	*f;
	long	 hwm = -1;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL)
		sscanf(line, "VmHWM: %ld", &hwm);
	fclose(f);
	return (hwm);
}

static int
cmp_size(const void *a, const void *b)
{
	size_t	 x = *(const size_t *)a, y = *(const size_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * The steps, whatever the program: start (and sign in), 10 x one line
 * down, 25 lines down past the bottom, open, back, 5 s idle.
 */
static void
term_steps(struct term *t, const char *signin, struct tbytes *b,
    const char *down, const char *open, const char *back)
{
	size_t	 d[64];
	int	 i;

	b->startup = term_drain(t, 1000, 10000);
	if (signin != NULL) {
		b->startup += term_key(t, signin);
		b->startup += term_drain(t, 2500, 30000);
	}
	for (i = 0; i < 10; i++)
		d[i] = term_key(t, down);
	qsort(d, 10, sizeof d[0], cmp_size);
	b->down_med = d[5];
	b->down_max = d[9];
	for (i = 0; i < 25; i++)
		d[i] = term_key(t, down);
	/* The last steps scroll the list by one line each. */
	qsort(d + 15, 10, sizeof d[0], cmp_size);
	b->scroll_med = d[20];
	b->scroll_max = d[24];
	b->open = term_key(t, open);
	b->back = term_key(t, back);
	b->idle = term_drain(t, 5000, 5000);
	b->ok = 1;
}

/*
 * The keys a user presses in the list, each timed: line down, page
 * down, a search ('/' and a reference a few screens down, then Enter),
 * a filter (all / mine, twice; overdue on and off through the filter
 * menu), a sort, open and back, the dashboard, then the terminal's
 * resident memory.
 */
static void
term_latency(struct term *t)
{
	struct tlat	 lat[] = {
		{ "line down (j)", "j", 30, 0, 0 },
		{ "page down (Space)", " ", 20, 0, 0 },
		{ "search (/ REF Enter)", NULL, 5, 0, 0 },
		{ "filter (a: mine / all)", "a", 10, 0, 0 },
		{ "filter overdue on / off (f Down Enter)", "f\033OB\r", 10,
		    0, 0 },
		{ "the same in Mopti (two conditions)", "f\033OB\r", 10,
		    0, 0 },
		{ "sort (o)", "o", 8, 0, 0 },
		{ "open a case (Enter)", "\r", 5, 0, 0 },
		{ "back to the list (q)", "q", 5, 0, 0 },
		{ "dashboard (d)", "d", 8, 0, 0 },
	};
	double	 v[64], order_max[4] = { 0, 0, 0, 0 };
	char	 search[64];
	size_t	 i;
	long	 rss, anon;
	int	 k, tries, region;

	term_drain(t, 300, 2000);
	for (i = 0; i < sizeof lat / sizeof lat[0]; i++) {
		tries = lat[i].times;
		/* The region Mopti around the second filter, not timed:
		 * the third line of the filter menu, then the region typed;
		 * the sixth line (no filter) after. */
		region = strncmp(lat[i].label, "the same in Mopti", 17) == 0;
		if (region)
			term_timed(t, "f\033OB\033OB\033OB\rmopti\r");
		for (k = 0; k < tries; k++) {
			if (lat[i].keys == NULL) {
				/* The state of the case a few screens down. */
				snprintf(search, sizeof search, "/%s\r",
				    k % 2 == 0 ? "Gao" : "Mopti");
				v[k] = term_timed(t, search);
			} else if (strcmp(lat[i].keys, "\r") == 0) {
				v[k] = term_timed(t, "\r");
				term_timed(t, "q");
			} else if (strcmp(lat[i].keys, "q") == 0) {
				term_timed(t, "\r");
				v[k] = term_timed(t, "q");
			} else if (strcmp(lat[i].keys, "d") == 0) {
				v[k] = term_timed(t, "d");
				term_timed(t, "q");
			} else
				v[k] = term_timed(t, lat[i].keys);
			/* The sort key goes from newest first to deadline,
			 * state, region and back: the slowest of each. */
			if (strcmp(lat[i].label, "sort (o)") == 0 &&
			    v[k] > order_max[k % 4])
				order_max[k % 4] = v[k];
		}
		if (region)
			term_timed(t, "f\033OB\033OB\033OB\033OB\033OB\r");
		stats(v, (size_t)tries, &lat[i].med, &lat[i].p95);
	}
	printf("\nkeystroke latency in the terminal (key sent -> screen "
	    "settled)\n");
	for (i = 0; i < sizeof lat / sizeof lat[0]; i++)
		printf("%-44s %9.1f ms median %9.1f ms p95\n", lat[i].label,
		    lat[i].med, lat[i].p95);
	printf("%-44s %9.1f / %.1f / %.1f / %.1f ms at most\n",
	    "sort (o) to deadline / state / region / newest", order_max[0],
	    order_max[1], order_max[2], order_max[3]);
	proc_rss(t->pid, &rss, &anon);
	printf("%-44s %9ld kB, %ld kB its own (RssAnon)\n",
	    "terminal resident memory (VmRSS)", rss, anon);
}

static void
term_dossier(const char *dir, int arrow, struct tbytes *b)
{
	struct term	 t;
	char		*pass = demo_pass(dir, "oumar"), *signin, *envp[8];
	char		*argv[] = { (char *)dossier_bin, (char *)"--data",
	    (char *)dir, (char *)"--user", (char *)"oumar", NULL };
	int		 n = 0;

	memset(b, 0, sizeof *b);
	xasprintf(&envp[n++], "TERM=xterm-256color");
	xasprintf(&envp[n++], "LANG=C.UTF-8");
	xasprintf(&envp[n++], "DOSSIER_FORMS=%s", getenv("DOSSIER_FORMS"));
	xasprintf(&envp[n++], "DOSSIER_KEYS=%s", getenv("DOSSIER_KEYS"));
	xasprintf(&envp[n++], "HOME=/nonexistent");
	if (arrow)
		xasprintf(&envp[n++], "DOSSIER_ARROW_CURSOR=1");
	envp[n] = NULL;
	xasprintf(&signin, "%s\r", pass);
	if (term_start(&t, argv, envp) == 0) {
		term_steps(&t, signin, b, "j", "\r", "q");
		if (!arrow)
			term_latency(&t);
		term_stop(&t);
	}
	while (n-- > 0)
		free(envp[n]);
	free(signin);
	free(pass);
}

/* neomutt over a generated mailbox of 500 messages, as the reference. */
static void
term_neomutt(struct tbytes *b)
{
	struct term	 t;
	char		 mbox[] = "/tmp/dossier-bench-mbox-XXXXXX";
	char		*argv[] = { (char *)"/usr/bin/neomutt", (char *)"-n",
	    (char *)"-F", (char *)"/dev/null", (char *)"-R", (char *)"-f",
	    mbox, NULL };
	char		*envp[] = { (char *)"TERM=xterm-256color",
	    (char *)"LANG=C.UTF-8", (char *)"HOME=/tmp", NULL };
	FILE		*f;
	int		 fd, i;

	memset(b, 0, sizeof *b);
	if (access(argv[0], X_OK) != 0)
		return;
	if ((fd = mkstemp(mbox)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return;
	for (i = 0; i < 500; i++)
		fprintf(f, "From bench@example.org Mon Nov 30 10:00:00 2026\n"
		    "From: Inspection %d <bench@example.org>\nTo: chef@example.org\n"
		    "Subject: Dossier ISSPC-2026-%04d en instruction\n"
		    "Date: Mon, 30 Nov 2026 10:00:00 +0000\n\n"
		    "Le dossier %d avance.\n\n", i % 7, i, i);
	fclose(f);
	if (term_start(&t, argv, envp) == 0) {
		term_steps(&t, NULL, b, "j", "\r", "q");
		term_stop(&t);
	}
	unlink(mbox);
}

/* ------------------------------------------------ store figures */

/* 'case list --format tsv' to /dev/null: its time and peak memory. */
static void
bench_cli_list(const char *dir, const char *data)
{
	struct rusage	 ru;
	char		*pw, *pass = demo_pass(data, "oumar"), c;
	double		 t0, ms;
	long		 rss, anon, hwm, peak = 0, peak_hwm = 0;
	pid_t		 pid, w = 0;
	FILE		*f;
	int		 st, fd, p[2];

	xasprintf(&pw, "%s/oumar.pw", dir);
	if ((f = fopen(pw, "w")) == NULL)
		return;
	fprintf(f, "%s\n", pass);
	fclose(f);
	free(pass);
	/*
	 * Sampled only once the exec is done (the close-on-exec pipe is
	 * closed then): before it, the child is a copy of this bench, whose
	 * heap holds every header of the runs above, and wait4's ru_maxrss
	 * carries that copy's maximum over the exec, so it is not used.
	 */
	if (pipe2(p, O_CLOEXEC) != 0) {
		free(pw);
		return;
	}
	t0 = now_ms();
	if ((pid = fork()) == 0) {
		close(p[0]);
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, 1);
		execl(dossier_bin, dossier_bin, "--data", data, "--user",
		    "oumar", "--passphrase-file", pw, "case", "list",
		    "--format", "tsv", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (pid != -1 && read(p[0], &c, 1) == -1 && errno == EINTR)
		;
	close(p[0]);
	/* Its resident peak (VmHWM, the shared cache's pages included) and
	 * its own memory (RssAnon), sampled as it runs. */
	while (pid != -1 && (w = wait4(pid, &st, WNOHANG, &ru)) == 0) {
		proc_rss(pid, &rss, &anon);
		hwm = proc_hwm(pid);
		if (anon > peak)
			peak = anon;
		if (hwm > peak_hwm)
			peak_hwm = hwm;
		usleep(2000);
	}
	if (pid == -1 || w != pid) {
		free(pw);
		return;
	}
	ms = now_ms() - t0;
	printf("%-44s %9.0f ms %9ld kB resident at most (VmHWM), %ld kB its "
	    "own (RssAnon, peak)\n", "case list --format tsv (all)", ms,
	    peak_hwm, peak);
	unlink(pw);
	free(pw);
}

/* What the list and the dashboard read now: index walks and counters. */
/* The first 512 ids of a list, as the terminal reads them, 11 times. */
static int
first_ids(struct casefile_ctx *ctx, const struct casefile_filter *flt,
    enum casefile_sort sort, const char *label)
{
	struct casefile_idlist	 part;
	double			 v[11], t0, med, p95;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < 11; i++) {
		t0 = now_ms();
		if (casefile_ids_open(ctx, flt, sort, 512, &part,
		    &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			free(cause);
			return (-1);
		}
		v[i] = now_ms() - t0;
		casefile_idlist_free(&part);
	}
	stats(v, 11, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", label, med, p95);
	return (0);
}

static void
bench_index(struct casefile_ctx *ctx, unsigned long n)
{
	struct casefile_filter	 flt;
	struct casefile_summary	*win;
	struct casefile_count	*cc;
	struct casefile_agent_count *ag;
	uint64_t		*ids;
	double			 v[11], t0, med, p95;
	size_t			 nids, ncc, overdue, i, f, nag;
	char			*cause = NULL;
	const struct {
		const char		*label;
		enum casefile_sort	 sort;
		int			 filter;
	} steps[] = {
		{ "list ids (index walk), newest first", CASEFILE_SORT_REFERENCE,
		    0 },
		{ "list ids, by deadline", CASEFILE_SORT_DEADLINE, 0 },
		{ "list ids, by state", CASEFILE_SORT_STATE, 0 },
		{ "list ids, by region", CASEFILE_SORT_REGION, 0 },
		{ "filter (state) ids", CASEFILE_SORT_REFERENCE, 1 },
		{ "filter (overdue) ids", CASEFILE_SORT_REFERENCE, 2 },
		{ "filter (assignee + region) ids", CASEFILE_SORT_REFERENCE,
		    3 },
	};

	(void)n;
	for (f = 0; f < sizeof steps / sizeof steps[0]; f++) {
		memset(&flt, 0, sizeof flt);
		if (steps[f].filter == 1)
			flt.state = "en_instruction";
		else if (steps[f].filter == 2)
			flt.overdue = 1;
		else if (steps[f].filter == 3) {
			flt.assignee = "mariam";
			flt.region = "mopti";
		}
		for (i = 0; i < 11; i++) {
			t0 = now_ms();
			if (casefile_ids(ctx, steps[f].filter ? &flt : NULL,
			    steps[f].sort, &ids, &nids, &cause) != 0) {
				fprintf(stderr, "bench: %s\n", cause);
				return;
			}
			v[i] = now_ms() - t0;
			free(ids);
		}
		stats(v, 11, &med, &p95);
		printf("%-44s %9.1f ms median %9.1f ms p95\n", steps[f].label,
		    med, p95);
	}
	/* What a sort key reads now: the first 512 ids. */
	if (first_ids(ctx, NULL, CASEFILE_SORT_REFERENCE,
	    "first 512 ids, newest first") != 0 ||
	    first_ids(ctx, NULL, CASEFILE_SORT_DEADLINE,
	    "first 512 ids, by deadline") != 0 ||
	    first_ids(ctx, NULL, CASEFILE_SORT_STATE,
	    "first 512 ids, by state") != 0)
		return;
	/*
	 * A filter of one condition newest first: read in parts too; and
	 * of two (their number from the counters of two conditions).
	 */
	for (f = 1; f <= 8; f++) {
		memset(&flt, 0, sizeof flt);
		if (f == 1 || f == 7)
			flt.state = "en_instruction";
		if (f == 2 || f == 5 || f == 6)
			flt.overdue = 1;
		if (f == 3 || f == 6 || f == 8)
			flt.assignee = "mariam";
		if (f == 5 || f == 7 || f == 8)
			flt.region = "mopti";
		if (f == 4)
			flt.open = 1;
		if (first_ids(ctx, &flt, CASEFILE_SORT_REFERENCE, f == 1 ?
		    "first 512 ids, filter (state)" : f == 2 ?
		    "first 512 ids, filter (overdue)" : f == 3 ?
		    "first 512 ids, filter (assignee)" : f == 4 ?
		    "first 512 ids, filter (open)" : f == 5 ?
		    "first 512 ids, region + overdue" : f == 6 ?
		    "first 512 ids, assignee + overdue" : f == 7 ?
		    "first 512 ids, state + region" :
		    "first 512 ids, assignee + region") != 0)
			return;
	}
	/* A filter in another order: its set, then the sort's walk. */
	memset(&flt, 0, sizeof flt);
	flt.region = "mopti";
	if (first_ids(ctx, &flt, CASEFILE_SORT_DEADLINE,
	    "first 512 ids, region by deadline") != 0 ||
	    first_ids(ctx, &flt, CASEFILE_SORT_STATE,
	    "first 512 ids, region by state") != 0 ||
	    first_ids(ctx, &flt, CASEFILE_SORT_REGION,
	    "first 512 ids, region by region") != 0)
		return;
	if (casefile_ids(ctx, NULL, CASEFILE_SORT_REFERENCE, &ids, &nids,
	    &cause) != 0 || nids == 0)
		return;
	for (i = 0; i < 11; i++) {
		t0 = now_ms();
		casefile_summaries(ctx, ids + (i * 997) % (nids > 128 ?
		    nids - 128 : 1), nids < 128 ? nids : 128, &win, &cause);
		v[i] = now_ms() - t0;
		casefile_list_free(win, nids < 128 ? nids : 128);
	}
	free(ids);
	stats(v, 11, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", "list window (128 "
	    "headers)", med, p95);
	for (i = 0; i < 11; i++) {
		t0 = now_ms();
		casefile_counts(ctx, &cc, &ncc, &overdue, &cause);
		v[i] = now_ms() - t0;
		casefile_counts_free(cc, ncc);
	}
	stats(v, 11, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", "dashboard counters",
	    med, p95);
	/* Its early warning: the agents named in 3 cases or more. */
	for (i = 0; i < 11; i++) {
		t0 = now_ms();
		if (casefile_agent_counts(ctx, 3, &ag, &nag, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			free(cause);
			return;
		}
		v[i] = now_ms() - t0;
		casefile_agent_counts_free(ag, nag);
	}
	stats(v, 11, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", "dashboard early "
	    "warning (agents, 3+ cases)", med, p95);
}

struct raw {
	uint64_t	 id;
	size_t		 bytes;
};

static int
raw_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct raw	*r = arg;
	uint8_t		*copy = xmalloc(vlen + 1);

	(void)k;
	memcpy(copy, v, vlen);
	r->bytes += klen + vlen;
	free(copy);
	return (0);
}

static int
raw_read_txn(struct store_txn *t, void *arg, char **cause)
{
	struct raw	*r = arg;
	uint8_t		 prefix[8];

	r->bytes = 0;
	put_be64(prefix, r->id);
	return (store_scan(t, STORE_RECORDS, prefix, 8, raw_cb, r, cause));
}

struct rawput {
	size_t	 len;
	uint8_t	*buf;
};

/*
 * New bytes for each raw put, as a save's ciphertext always is: Berkeley
 * DB logs only the bytes a put changes, so the same bytes put again
 * logged about a hundred bytes, not the put.
 */
static void
fresh_bytes(uint8_t *buf, size_t len)
{
	size_t	 off = 0;
	ssize_t	 n;

	while (off < len) {
		if ((n = getrandom(buf + off, len - off, 0)) <= 0)
			break;
		off += (size_t)n;
	}
}

static void
rawput_fresh(struct rawput *p)
{
	fresh_bytes(p->buf, p->len);
}

static int
raw_put_txn(struct store_txn *t, void *arg, char **cause)
{
	struct rawput	*p = arg;

	return (store_put(t, STORE_META, "bench.scratch", 13, p->buf, p->len,
	    0, cause));
}

/* The raw read of case id, one key unsealed and one signature checked. */
static double
floor_open(struct casefile_ctx *ctx, uint64_t id)
{
	struct vault_key	*k, *k2 = NULL;
	struct raw		 raw;
	uint8_t			 sealed[VAULT_SEALED_LEN], msg[600];
	uint8_t			 sig[VAULT_SIG_LEN];
	char			*cause = NULL;
	double			 t0, t;

	/* A key sealed alone (one Diffie-Hellman to open it): a batch's
	 * seal (version 3) needs its batch's record, and once that batch's
	 * exchange is kept it costs less; this floor is the higher one. */
	k = vault_key_generate();
	vault_key_seal(k, "bench:floor", vault_identity_box_pk(ctx->sess->id),
	    sealed);
	vault_key_free(k);
	memset(msg, (int)(id & 0xff), sizeof msg);
	vault_sign(ctx->sess->id, msg, sizeof msg, sig);
	raw.id = id;
	t0 = now_ms();
	store_run(ctx->sess->store, raw_read_txn, &raw, &cause);
	if (vault_key_open(sealed, sizeof sealed, "bench:floor",
	    ctx->sess->id, &k2, &cause) != 0 ||
	    vault_verify(vault_identity_sign_pk(ctx->sess->id), msg,
	    sizeof msg, sig) != 0)
		fprintf(stderr, "bench: the floor's unseal or verify failed\n");
	t = now_ms() - t0;
	vault_key_free(k2);
	free(cause);
	return (t);
}

/* fn in one transaction, then one signature made: the time in ms; *rc
 * is the transaction's result. */
static double
timed_write_sign(struct casefile_ctx *ctx, store_fn fn, void *arg, int *rc,
    char **cause)
{
	uint8_t	 msg[600], sig[VAULT_SIG_LEN];
	double	 t0;

	memset(msg, 1, sizeof msg);
	t0 = now_ms();
	*rc = store_run(ctx->sess->store, fn, arg, cause);
	vault_sign(ctx->sess->id, msg, sizeof msg, sig);
	return (now_ms() - t0);
}

/* One raw put (a sixth of the case's bytes, into one page of meta) and one
 * signature made: the floor the bench measured first. */
static double
floor_save(struct casefile_ctx *ctx, struct rawput *rp)
{
	char	*cause = NULL;
	double	 t;
	int	 rc;

	rawput_fresh(rp);
	t = timed_write_sign(ctx, raw_put_txn, rp, &rc, &cause);
	free(cause);
	return (t);
}

/*
 * A save's floor: what it wrote, written again raw.  Before the save, the
 * items it replaces are read (its record version, the manifest, the
 * header, the audit log's head); after it, what it wrote.  The floor then
 * puts back the items as they were before the save, whose differences
 * from what is there now, which is what Berkeley DB logs for a replace,
 * are the save's own, and fresh bytes as long as the save's new journal
 * entry and audit entry under the next keys (where the next save puts
 * them), all in one transaction; the save's writes are then put back
 * (not timed).
 */
struct wrote_item {
	enum store_table	 table;
	uint8_t			 key[LAYOUT_RECORD_KEYLEN];
	size_t			 klen;
	uint8_t			*pre;		/* before the save; NULL: new */
	size_t			 prelen;
	uint8_t			*now;		/* after it */
	size_t			 len;
};

struct wrote {
	uint64_t		 id, rid, jseq;
	size_t			 jlen;
	struct wrote_item	 it[6];
	size_t			 n;
	int			 undo;
};

static void
wrote_free(struct wrote *w)
{
	size_t	 i;

	for (i = 0; i < w->n; i++) {
		free(w->it[i].pre);
		free(w->it[i].now);
	}
	w->n = 0;
}

static int
wrote_cb(const void *k, size_t klen, const void *v, size_t vlen, void *arg)
{
	struct wrote	*w = arg;
	const uint8_t	*key = k;

	(void)v;
	if (klen == LAYOUT_RECORD_KEYLEN && key[8] == LAYOUT_JOURNAL) {
		w->jseq = get_be64(key + 9);	/* in key order: the newest */
		w->jlen = vlen;
	}
	return (0);
}

/* Add an item: its bytes as they are now into *pre (or *now). */
static int
wrote_item(struct store_txn *t, struct wrote *w, int after,
    enum store_table table, const void *key, size_t klen, char **cause)
{
	struct wrote_item	*x;
	size_t			 i;

	for (i = 0; i < w->n; i++)
		if (w->it[i].table == table && w->it[i].klen == klen &&
		    memcmp(w->it[i].key, key, klen) == 0)
			break;
	x = &w->it[i];
	if (i == w->n) {
		memset(x, 0, sizeof *x);
		x->table = table;
		memcpy(x->key, key, klen);
		x->klen = klen;
		w->n++;
	}
	if (after)
		return (store_get(t, table, key, klen, &x->now, &x->len,
		    cause));
	return (store_get(t, table, key, klen, &x->pre, &x->prelen, cause));
}

/* Before the save (after 0) or after it (1): see above. */
static int
wrote_read(struct store_txn *t, struct wrote *w, int after, char **cause)
{
	uint8_t		 k[LAYOUT_RECORD_KEYLEN], hash[VAULT_HASH_LEN];
	uint64_t	 aseq;
	size_t		 i;
	int		 rc;

	if (!after)
		wrote_free(w);
	for (i = 0; i < w->n; i++) {	/* a retried attempt reads again */
		free(w->it[i].now);
		w->it[i].now = NULL;
	}
	layout_record_key(k, w->id, LAYOUT_RECORD, w->rid);
	if ((rc = wrote_item(t, w, after, STORE_RECORDS, k, sizeof k,
	    cause)) != 0)
		return (rc);
	layout_record_key(k, w->id, LAYOUT_MANIFEST, 0);
	if ((rc = wrote_item(t, w, after, STORE_RECORDS, k, sizeof k,
	    cause)) != 0)
		return (rc);
	put_be64(k, w->id);
	if ((rc = wrote_item(t, w, after, STORE_CASES, k, 8, cause)) != 0)
		return (rc);
	if ((rc = wrote_item(t, w, after, STORE_META, "audit.head", 10,
	    cause)) != 0 || !after)
		return (rc);
	/* The new journal entry and audit entry: the last of each. */
	put_be64(k, w->id);
	if ((rc = store_scan(t, STORE_RECORDS, k, 8, wrote_cb, w, cause)) != 0)
		return (rc);
	layout_record_key(k, w->id, LAYOUT_JOURNAL, w->jseq);
	if ((rc = wrote_item(t, w, 1, STORE_RECORDS, k, sizeof k, cause)) != 0)
		return (rc);
	if ((rc = audit_head_in(t, &aseq, hash, cause)) != 0)
		return (rc);
	put_be64(k, aseq);
	return (wrote_item(t, w, 1, STORE_AUDIT, k, 8, cause));
}

static int
wrote_before_txn(struct store_txn *t, void *arg, char **cause)
{
	return (wrote_read(t, arg, 0, cause));
}

static int
wrote_after_txn(struct store_txn *t, void *arg, char **cause)
{
	return (wrote_read(t, arg, 1, cause));
}

/*
 * The floor's writes, or (undo) the save's put back.  A new item (no
 * bytes before the save) is written under the key that follows it.
 */
static int
rawsame_txn(struct store_txn *t, void *arg, char **cause)
{
	struct wrote		*w = arg;
	struct wrote_item	*x;
	uint8_t			 next[LAYOUT_RECORD_KEYLEN], *buf;
	size_t			 i;
	int			 rc = 0;

	for (i = 0; rc == 0 && i < w->n; i++) {
		x = &w->it[i];
		if (x->pre != NULL) {
			rc = store_put(t, x->table, x->key, x->klen, w->undo ?
			    x->now : x->pre, w->undo ? x->len : x->prelen, 0,
			    cause);
			continue;
		}
		memcpy(next, x->key, x->klen);
		put_be64(next + x->klen - 8, get_be64(x->key + x->klen - 8) + 1);
		if (w->undo) {
			rc = store_del(t, x->table, next, x->klen, cause);
			continue;
		}
		buf = xmalloc(x->len + 1);
		fresh_bytes(buf, x->len);
		rc = store_put(t, x->table, next, x->klen, buf, x->len, 0,
		    cause);
		free(buf);
	}
	return (rc);
}

/*
 * That, and one signature made: its time in ms, or -1 if it could not be
 * made.  A store the floor could not put back as the save left it is
 * damaged: the bench stops.
 */
static double
floor_save_same(struct casefile_ctx *ctx, struct wrote *w)
{
	char		*cause = NULL;
	double		 t;
	int		 rc;

	if (store_run(ctx->sess->store, wrote_after_txn, w, &cause) != 0) {
		fprintf(stderr, "bench: reading a save's writes: %s\n", cause);
		free(cause);
		wrote_free(w);
		return (-1);
	}
	w->undo = 0;
	t = timed_write_sign(ctx, rawsame_txn, w, &rc, &cause);
	if (rc != 0) {		/* aborted: nothing to put back */
		fprintf(stderr, "bench: a save's writes made raw: %s\n", cause);
		free(cause);
		wrote_free(w);
		return (-1);
	}
	w->undo = 1;
	if (store_run(ctx->sess->store, rawsame_txn, w, &cause) != 0) {
		fprintf(stderr, "bench: putting a save's writes back failed, "
		    "the store is damaged: %s\n", cause);
		exit(1);
	}
	wrote_free(w);
	return (t);
}

/* Before a save: what it will replace (0), or -1. */
static int
floor_save_before(struct casefile_ctx *ctx, struct wrote *w, uint64_t id,
    uint64_t rid)
{
	char	*cause = NULL;

	memset(w, 0, sizeof *w);
	w->id = id;
	w->rid = rid;
	if (store_run(ctx->sess->store, wrote_before_txn, w, &cause) != 0) {
		fprintf(stderr, "bench: reading before a save: %s\n", cause);
		free(cause);
		wrote_free(w);
		return (-1);
	}
	return (0);
}

/*
 * A full statistics run as 'dossier stats' makes it (stats.h): every
 * case read as the signed-in user (the supervisor holds every key),
 * every table and the stages, then the CSV rendering.
 */
static void
bench_stats(struct casefile_ctx *ctx, const char *label)
{
	struct stats	*st;
	char		*cause = NULL, *text;
	double		 t0, t1;

	t0 = now_ms();
	if (stats_collect(ctx, NULL, &st, &cause) != 0) {
		fprintf(stderr, "bench: %s\n", cause);
		free(cause);
		return;
	}
	t1 = now_ms();
	text = stats_render(st, ctx->forms, ctx->flows, STATS_CSV);
	printf("%-44s %9.1f ms (render %.1f ms, %zu cases, %zu opened)\n",
	    label, now_ms() - t0, now_ms() - t1, st->ncases, st->opened);
	free(text);
	stats_free(st);
}

static void
bench_size(unsigned long n, const struct formset *forms,
    const struct workflow_set *flows)
{
	struct store		*s;
	struct casefile_ctx	 ctx;
	struct casefile_filter	 flt;
	struct casefile_summary	*list;
	struct casefile		*cf;
	struct record		*ch;
	struct raw		 raw;
	struct rawput		 rp;
	struct tbytes		 tb[3];
	char			*dir, *data, *cmd;
	char			*pass, *cause = NULL, *path, buf[64];
	double			 t0, import_s, accounts_s, v[200], w[200];
	double			 fl[100], med, p95;
	double			 m2, q2;
	off_t			 bytes;
	size_t			 saved[100];
	double			 same[100], sratio[100];
	struct wrote		 wr;
	size_t			 nsame;
	int			 before;
	size_t			 cnt, i, j, k, found;
	uint64_t		 rid = 0;
	int			 rc;

	xasprintf(&dir, "%s/dossier-bench-XXXXXX", getenv("TMPDIR") != NULL &&
	    *getenv("TMPDIR") != '\0' ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return;
	if (getenv("DOSSIER_BENCH_DIR") != NULL) {
		/* Reuse a demo directory (no import figure). */
		data = xstrdup(getenv("DOSSIER_BENCH_DIR"));
		printf("\n== %s\n", data);
	} else {
		/*
		 * The demo's accounts first, alone: six Argon2id locks and
		 * the sign-ins, about a second whatever the number of cases.
		 */
		xasprintf(&data, "%s/accounts", dir);
		xasprintf(&cmd, "'%s' --data '%s' demo --cases 0 >/dev/null",
		    dossier_bin, data);
		t0 = now_ms();
		rc = system(cmd);
		accounts_s = (now_ms() - t0) / 1e3;
		free(cmd);
		free(data);
		if (rc != 0) {
			fprintf(stderr, "bench: demo --cases 0 failed\n");
			return;
		}
		xasprintf(&data, "%s/data", dir);
		xasprintf(&cmd, "'%s' --data '%s' demo --cases %lu >/dev/null",
		    dossier_bin, data, n);
		t0 = now_ms();
		rc = system(cmd);
		import_s = (now_ms() - t0) / 1e3;
		free(cmd);
		if (rc != 0) {
			fprintf(stderr, "bench: demo --cases %lu failed\n", n);
			return;
		}
		printf("\n== %lu cases\n", n);
		printf("%-44s %12.0f cases/s (%.1f s)\n",
		    "import (demo --cases, whole)", n / import_s, import_s);
		if (import_s > accounts_s)
			printf("%-44s %12.0f cases/s (%.1f s less %.1f s)\n",
			    "import, its cases (less demo --cases 0)",
			    n / (import_s - accounts_s), import_s, accounts_s);
	}
	bytes = db_bytes(data);
	printf("%-44s %12.0f bytes\n", "database bytes per case",
	    (double)bytes / (n ? n : 1));

	if (store_open(&s, data, 0, &cause) != 0) {
		fprintf(stderr, "bench: %s\n", cause);
		return;
	}
	pass = demo_pass(data, "oumar");
	memset(&ctx, 0, sizeof ctx);
	/* Sign-in: the passphrase's Argon2id, the log's anchor, trust. */
	for (i = 0; i < 5; i++) {
		t0 = now_ms();
		if (session_signin(s, "oumar", pass, strlen(pass), &ctx.sess,
		    &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			return;
		}
		v[i] = now_ms() - t0;
		if (i < 4)
			session_free(ctx.sess);
	}
	stats(v, 5, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", "sign-in", med, p95);
	ctx.forms = forms;
	ctx.flows = flows;
	/* $DOSSIER_BENCH_SKIP: the index walks and the terminal only, not
	 * what reads every header (a store of a million cases). */
	if (getenv("DOSSIER_BENCH_SKIP") != NULL) {
		bench_index(&ctx, n);
		session_free(ctx.sess);
		store_close(s);
		free(pass);
		goto terminal;
	}

	for (i = 0; i < 11; i++) {
		t0 = now_ms();
		if (casefile_list(&ctx, NULL, &list, &cnt, &cause) != 0) {
			fprintf(stderr, "bench: case list: %s\n", cause);
			return;
		}
		v[i] = now_ms() - t0;
		if (i < 10)
			casefile_list_free(list, cnt);
	}
	stats(v, 11, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", "case list (all), "
	    "full scan", med, p95);
	bench_index(&ctx, n);
	memset(&flt, 0, sizeof flt);
	flt.state = "en_instruction";
	for (i = 0; i < 11; i++) {
		struct casefile_summary	*l2;
		size_t			 c2;

		t0 = now_ms();
		if (casefile_list(&ctx, &flt, &l2, &c2, &cause) != 0) {
			fprintf(stderr, "bench: filter (state): %s\n", cause);
			l2 = NULL;
			c2 = 0;
		}
		v[i] = now_ms() - t0;
		casefile_list_free(l2, c2);
	}
	stats(v, 11, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", "filter (state)", med,
	    p95);
	for (i = 0; i < 11; i++) {
		snprintf(buf, sizeof buf, "ISSPC-2026-%04lu",
		    (unsigned long)(n - i * 7 - 1) % 10000);
		t0 = now_ms();
		for (j = 0, found = 0; j < cnt; j++)
			if (strcasestr(record_get_str(list[j].header,
			    "reference"), buf) != NULL)
				found++;
		v[i] = now_ms() - t0;
	}
	stats(v, 11, &med, &p95);
	printf("%-44s %9.1f ms median %9.1f ms p95\n", "search (in the list)",
	    med, p95);

	/* Open: decrypt + decode, beside a raw read of the same records. */
	for (i = 0; i < 200; i++) {
		raw.id = list[(i * 7919) % cnt].id;
		t0 = now_ms();
		casefile_open(&ctx, raw.id, 0, &cf, &cause);
		v[i] = now_ms() - t0;
		casefile_free(cf);
		t0 = now_ms();
		store_run(s, raw_read_txn, &raw, &cause);
		w[i] = now_ms() - t0;
	}
	stats(v, 200, &med, &p95);
	stats(w, 200, &m2, &q2);
	printf("%-44s %9.2f ms median %9.2f ms p95\n", "case open", med, p95);
	printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
	    "  raw read of the same records", m2, q2, med / m2);
	/*
	 * Its floor: the raw read, plus the public-key work an open cannot
	 * avoid: one key unsealed (bytes never opened before) and one
	 * signature checked (of a manifest's size), in the same run.
	 */
	for (i = 0; i < 200; i++)
		w[i] = floor_open(&ctx, list[(i * 7919) % cnt].id);
	stats(w, 200, &m2, &q2);
	printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
	    "  floor: raw read + unseal + verify", m2, q2, med / m2);
	/*
	 * The floor above reads records the open just read: in the cache.
	 * Each open read its case from wherever it was, from the disk when
	 * the store outgrows the cache (1,000,000 cases); the same floor on
	 * cases half the list away, which nothing read before, reads them
	 * from where the open found its own.
	 */
	for (i = 0; i < 200; i++)
		w[i] = floor_open(&ctx, list[(i * 7919 + cnt / 2) % cnt].id);
	stats(w, 200, &m2, &q2);
	printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
	    "  the same, cases not read before", m2, q2, med / m2);
	/* The same cases again: their keys are held, no public-key work. */
	for (i = 0; i < 200; i++) {
		t0 = now_ms();
		casefile_open(&ctx, list[(i * 7919) % cnt].id, 0, &cf, &cause);
		v[i] = now_ms() - t0;
		casefile_free(cf);
	}
	stats(v, 200, &med, &p95);
	printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
	    "case reopen (the same 200)", med, p95, med / m2);
	/* Save: one field of a person, beside a raw put of as many bytes. */
	raw.id = list[0].id;
	for (j = 0; j < cnt; j++)
		if (strcmp(record_get_str(list[j].header, "state"),
		    "en_instruction") == 0) {
			raw.id = list[j].id;
			break;
		}
	casefile_open(&ctx, raw.id, 0, &cf, &cause);
	for (k = 0; k < cf->nrecs; k++)
		if (strcmp(cf->recs[k].kind, "person") == 0)
			rid = cf->recs[k].rid;
	casefile_free(cf);
	store_run(s, raw_read_txn, &raw, &cause);
	rp.len = raw.bytes / 6 + 1;
	rp.buf = xcalloc(1, rp.len);
	/*
	 * Each save beside its raw put, that put's floor (the put and one
	 * signature made) and the floor of its own writes (floor_save_same),
	 * one after the other: they see the same disk, whose sync is most
	 * of a floor and moves between runs.  A checkpoint (every 16 MB of
	 * log) may land in any of them.
	 */
	for (i = nsame = 0; i < 100; i++) {
		ch = record_create();
		snprintf(buf, sizeof buf, "contact %zu", i);
		record_set_str(ch, "contact", buf);
		before = floor_save_before(&ctx, &wr, raw.id, rid);
		t0 = now_ms();
		if (casefile_edit(&ctx, raw.id, rid, ch, -1, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			free(cause);
			cause = NULL;
			before = -1;
			wrote_free(&wr);
		}
		v[i] = now_ms() - t0;
		record_free(ch);
		rawput_fresh(&rp);
		t0 = now_ms();
		store_run(s, raw_put_txn, &rp, &cause);
		w[i] = now_ms() - t0;
		fl[i] = floor_save(&ctx, &rp);
		/* Failed ones are left out of the figures. */
		if (before == 0 && (t0 = floor_save_same(&ctx, &wr)) > 0)
			same[nsame++] = t0;
	}
	free(rp.buf);
	stats(v, 100, &med, &p95);
	stats(w, 100, &m2, &q2);
	printf("%-44s %9.2f ms median %9.2f ms p95\n", "case save (edit, "
	    "journal, audit)", med, p95);
	printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
	    "  one raw put, a sixth of the case's bytes", m2, q2, med / m2);
	stats(fl, 100, &m2, &q2);
	printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
	    "  floor: that put + sign", m2, q2, med / m2);
	if (nsame > 0) {
		stats(same, nsame, &m2, &q2);
		printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
		    "  floor: its own writes raw + sign", m2, q2, med / m2);
	}
	/*
	 * The same case saved 100 times grows its history (and manifest)
	 * by two items a save; a typical save is one field of a case with
	 * the history the demo gave it: 100 cases under instruction, one
	 * save each, each followed by its floor for as many bytes.
	 */
	for (i = j = nsame = 0; i < 100 && j < cnt; j++) {
		if (strcmp(record_get_str(list[(j * 7919) % cnt].header,
		    "state"), "en_instruction") != 0)
			continue;
		raw.id = list[(j * 7919) % cnt].id;
		rid = 0;
		if (casefile_open(&ctx, raw.id, 0, &cf, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		for (k = 0; k < cf->nrecs; k++)
			if (strcmp(cf->recs[k].kind, "person") == 0)
				rid = cf->recs[k].rid;
		casefile_free(cf);
		if (rid == 0)
			continue;
		store_run(s, raw_read_txn, &raw, &cause);
		saved[i] = raw.bytes / 6 + 1;
		ch = record_create();
		record_set_str(ch, "contact", "contact once");
		before = floor_save_before(&ctx, &wr, raw.id, rid);
		t0 = now_ms();
		if (casefile_edit(&ctx, raw.id, rid, ch, -1, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			free(cause);
			cause = NULL;
			before = -1;
			wrote_free(&wr);
		}
		v[i] = now_ms() - t0;
		record_free(ch);
		rp.len = saved[i];
		rp.buf = xcalloc(1, rp.len);
		w[i] = floor_save(&ctx, &rp);
		free(rp.buf);
		/* And the save's own writes made raw, beside it; failed
		 * ones are left out of the figures. */
		if (before == 0 && (t0 = floor_save_same(&ctx, &wr)) > 0) {
			same[nsame] = t0;
			sratio[nsame++] = v[i] / t0;
		}
		i++;
	}
	if (i > 0) {
		/* Each save against the floor made right after it (before
		 * stats() sorts either). */
		for (j = 0; j < i; j++)
			fl[j] = w[j] > 0 ? v[j] / w[j] : 0;
		stats(v, i, &med, &p95);
		stats(w, i, &m2, &q2);
		printf("%-44s %9.2f ms median %9.2f ms p95\n", "case save, "
		    "once in each of 100 cases", med, p95);
		printf("%-44s %9.2f ms median %9.2f ms p95 (ratio %.1f)\n",
		    "  floor: a sixth of the case put + sign", m2, q2,
		    med / m2);
		stats(fl, i, &med, &p95);
		printf("%-44s %9.1f median %9.1f p95\n", "  each save / its "
		    "own floor", med, p95);
		/*
		 * The floor read as the save's own writes: its journal
		 * entry, record, manifest, header, audit entry and head, as
		 * many fresh bytes into the same tables and pages, raw, in
		 * one transaction, and one signature.  What a save costs
		 * beyond it is the processor's part of the save (checks,
		 * sealing, encoding, the index, the second signature).
		 */
		stats(v, i, &med, &p95);
		if (nsame > 0) {
			stats(same, nsame, &m2, &q2);
			printf("%-44s %9.2f ms median %9.2f ms p95 (ratio "
			    "%.1f)\n", "  floor: its own writes raw + sign", m2,
			    q2, med / m2);
			stats(sratio, nsame, &med, &p95);
			printf("%-44s %9.1f median %9.1f p95\n", "  each save / "
			    "its own writes raw", med, p95);
		}
	}
	for (i = 0; i < 20; i++) {
		xasprintf(&path, "%s/summary-%zu.txt", dir, i);
		t0 = now_ms();
		if (export_case(&ctx, list[(i * 31) % cnt].id, EXPORT_TEXT, 0,
		    path, &cause) != 0) {
			fprintf(stderr, "bench: %s\n", cause);
			free(cause);
			cause = NULL;
		}
		v[i] = now_ms() - t0;
		free(path);
	}
	stats(v, 20, &med, &p95);
	printf("%-44s %9.2f ms median %9.2f ms p95\n", "export + sign", med,
	    p95);
	/* The first run makes the digests (stats-digest.c). */
	bench_stats(&ctx, "statistics, first run");
	bench_stats(&ctx, "statistics, full run");
	casefile_list_free(list, cnt);
	session_free(ctx.sess);
	store_close(s);
	free(pass);
terminal:
	bench_cli_list(dir, data);
	term_dossier(data, 0, &tb[0]);
	term_dossier(data, 1, &tb[1]);
	term_neomutt(&tb[2]);
	printf("\nterminal bytes at 80x24, xterm-256color  %10s %10s %10s\n",
	    "dossier", "arrow", "neomutt");
	printf("%-40s %10zu %10zu\n", "start-up (with sign-in)",
	    tb[0].startup, tb[1].startup);
#define ROW(label, f) do { \
	if (tb[2].ok) \
		printf("%-40s %10zu %10zu %10zu\n", label, tb[0].f, tb[1].f, \
		    tb[2].f); \
	else \
		printf("%-40s %10zu %10zu %10s\n", label, tb[0].f, tb[1].f, \
		    "n/a"); \
} while (0)
	ROW("one line down, median", down_med);
	ROW("one line down, max", down_max);
	ROW("scroll past the bottom, median", scroll_med);
	ROW("scroll past the bottom, max", scroll_max);
	ROW("open a case", open);
	ROW("back to the list", back);
	ROW("5 s idle", idle);
	if (!tb[2].ok)
		printf("(neomutt is not installed: no reference column)\n");
	if (getenv("DOSSIER_BENCH_DIR") != NULL)
		free(data), data = NULL;
	xasprintf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: cannot remove %s\n", dir);
	free(cmd);
	free(data);
	free(dir);
}

int
main(void)
{
	struct formset		*forms;
	struct workflow_set	*flows;
	const char		*sizes = getenv("DOSSIER_BENCH_SIZES"), *fd;
	char			*cause = NULL, *copy, *tok, *save, host[256];

	if ((dossier_bin = getenv("DOSSIER")) == NULL ||
	    (fd = getenv("DOSSIER_FORMS")) == NULL) {
		fprintf(stderr, "bench: run it with 'make bench'\n");
		return (1);
	}
	if (vault_init(&cause) != 0 || formset_load(fd, &forms, &cause) != 0 ||
	    workflow_load(fd, &flows, &cause) != 0) {
		fprintf(stderr, "bench: %s\n", cause);
		return (1);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	gethostname(host, sizeof host);
	printf("dossier %s benchmark on %s, %ld CPUs\n", PACKAGE_VERSION, host,
	    sysconf(_SC_NPROCESSORS_ONLN));
	if (sizes == NULL && getenv("BENCH_MAX") != NULL &&
	    *getenv("BENCH_MAX") != '\0')
		xasprintf(&copy, "10000,100000,%s", getenv("BENCH_MAX"));
	else
		copy = xstrdup(sizes != NULL ? sizes : "10000,100000");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		bench_size(strtoul(tok, NULL, 10), forms, flows);
	free(copy);
	formset_free(forms);
	workflow_set_free(flows);
	return (0);
}
