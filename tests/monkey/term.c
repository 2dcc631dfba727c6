/*
 * term.c: the program in a pseudo-terminal, for the monkey: start it,
 * send keys, read what it writes (through the output oracle), and tell
 * when it rests, has hung, or has gone.
 *
 * "Rests" means: every key sent has been read (FIONREAD on the slave side
 * is 0), nothing was written for a few milliseconds, and the process
 * sleeps (state S in /proc/PID/stat).  Sending the next key only then
 * keeps a seed's replay close to the run it replays.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "monkey.h"

#define QUIET_MS	1

double	 term_hang_ms = 10000;
int	 term_drop_privs;

double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

void
sleep_ms(double ms)
{
	struct timespec	 ts;

	ts.tv_sec = (time_t)(ms / 1e3);
	ts.tv_nsec = (long)((ms - ts.tv_sec * 1e3) * 1e6);
	nanosleep(&ts, NULL);
}

void
child_setup(const char *cwd)
{
	if (chdir(cwd) != 0)
		_exit(126);
	if (term_drop_privs && (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 ||
	    setuid(NOBODY) != 0))
		_exit(126);
}

/* Run a command line tool to completion; its output goes to out. */
int
run_tool(char *const argv[], char **envp, const char *cwd, const char *out)
{
	pid_t	 pid;
	int	 fd, status, i;

	if ((fd = open(out, O_WRONLY|O_CREAT|O_TRUNC, 0644)) == -1)
		return (-1);
	if ((pid = fork()) == -1)
		return (-1);
	if (pid == 0) {
		int	 null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		child_setup(cwd);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(fd);
	for (i = 0; i < 1200; i++) {	/* two minutes */
		if (waitpid(pid, &status, WNOHANG) == pid)
			return (status);
		sleep_ms(100);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return (-1);
}

/* ------------------------------------------------ the output oracle */

/*
 * Curses sends text, escape sequences, CR, LF, tab and (unless strict)
 * BS and BEL.  Everything else in the text state came from the data.
 */
static int
scan_byte(struct scan *s, unsigned char c)
{
	switch (s->state) {
	case SCAN_ESC:
		s->state = SCAN_TEXT;
		if (c == '[')
			s->state = SCAN_CSI;
		else if (c == ']' || c == 'P' || c == '_' || c == '^')
			s->state = SCAN_STRING;
		else if (c == '(' || c == ')' || c == '*' || c == '+')
			s->state = SCAN_CHARSET;
		else if (c < 0x20 || c > 0x7e)
			goto bad;
		return (0);
	case SCAN_CSI:
		if (c >= 0x40 && c <= 0x7e)
			s->state = SCAN_TEXT;
		else if (c < 0x20 || c > 0x3f)
			goto bad;
		return (0);
	case SCAN_STRING:
		if (c == 0x07)
			s->state = SCAN_TEXT;
		else if (c == 0x1b)
			s->state = SCAN_STRESC;
		return (0);
	case SCAN_STRESC:
		s->state = c == '\\' ? SCAN_TEXT : SCAN_STRING;
		return (0);
	case SCAN_CHARSET:
		s->state = SCAN_TEXT;
		return (0);
	}
	if (s->utf8_left > 0) {
		if ((c & 0xc0) != 0x80)
			goto bad;
		if (s->lead == 0xc2 && c < 0xa0 && s->utf8_left == 1) {
			snprintf(s->why, sizeof s->why, "a C1 control (U+%04X)",
			    c);
			return (-1);
		}
		s->utf8_left--;
		return (0);
	}
	if (c == 0x1b) {
		s->state = SCAN_ESC;
		return (0);
	}
	if (c >= 0x20 && c < 0x7f)
		return (0);
	if (c == '\r' || c == '\n' || c == '\t')
		return (0);
	if (!s->strict && (c == 0x07 || c == 0x08))
		return (0);
	if (c >= 0xc2 && c <= 0xdf) {
		s->utf8_left = 1;
		s->lead = c;
		return (0);
	}
	if (c >= 0xe0 && c <= 0xef) {
		s->utf8_left = 2;
		s->lead = c;
		return (0);
	}
	if (c >= 0xf0 && c <= 0xf4) {
		s->utf8_left = 3;
		s->lead = c;
		return (0);
	}
bad:
	snprintf(s->why, sizeof s->why, "byte 0x%02x %s", c,
	    c >= 0x80 ? "(invalid UTF-8)" : s->state == SCAN_TEXT ?
	    "outside any escape sequence" : "inside an escape sequence");
	s->state = SCAN_TEXT;
	s->utf8_left = 0;
	return (-1);
}

/* ------------------------------------------------ the terminal */

/*
 * Out of curses (leaving, or not yet started) the terminal echoes keys
 * itself: bytes then are not the program's output.
 */
static int
term_echoes(struct term *t)
{
	struct termios	 tio;

	return (tcgetattr(t->fd, &tio) == 0 && (tio.c_lflag & ECHO) != 0);
}

/* Read what the program wrote; wait up to ms for the first byte. */
void
term_pump(struct term *t, int ms)
{
	struct pollfd	 pfd = { .fd = t->fd, .events = POLLIN };
	char		 buf[8192];
	ssize_t		 n, i;

	while (t->fd != -1 && poll(&pfd, 1, ms) > 0) {
		if ((n = read(t->fd, buf, sizeof buf)) <= 0)
			return;
		ms = 0;
		t->last_out = now_ms();
		if (t->log != -1 && write(t->log, buf, (size_t)n) != n)
			t->log = -1;
		screen_feed(&t->screen, buf, (size_t)n);
		t->out_bytes += (size_t)n;
		for (i = 0; i < n; i++) {
			if (t->taillen == sizeof t->tail) {
				memmove(t->tail, t->tail + 1, t->taillen - 1);
				t->taillen--;
			}
			t->tail[t->taillen++] = buf[i];
			if (scan_byte(&t->scan, (unsigned char)buf[i]) != 0 &&
			    !term_echoes(t))
				fail(t, "terminal output: %s", t->scan.why);
		}
	}
}

int
term_reap(struct term *t)
{
	if (!t->exited && waitpid(t->pid, &t->status, WNOHANG) == t->pid)
		t->exited = 1;
	return (t->exited);
}

/* The state letter of /proc/PID/stat: 'S' while it waits for a key. */
static char
proc_state(pid_t pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	char	 st = '?';

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return ('?');
	if (fgets(buf, sizeof buf, f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL && p[1] == ' ')
		st = p[2];
	fclose(f);
	return (st);
}

/*
 * How many times the process went to sleep: once it has slept after the
 * keys were written, it has seen them (a key it ignores writes nothing).
 */
static long
proc_sleeps(pid_t pid)
{
	char	 path[64], buf[256];
	FILE	*f;
	long	 n = -1;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(buf, sizeof buf, f) != NULL)
		if (sscanf(buf, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return (n);
}

static int
pending_input(struct term *t)
{
	int	 n = 0;

	if (t->slave == -1 || ioctl(t->slave, FIONREAD, &n) != 0)
		return (0);
	return (n);
}

/*
 * Wait until the program has read every key sent and rests (waiting for
 * the next key, output sent).  0, or 1 when it has exited.  A program
 * that neither reads nor rests for term_hang_ms has hung.
 */
int
term_settle(struct term *t, double limit_ms)
{
	double	 start = now_ms(), progress = start;
	int	 pending, last_pending = -1;

	for (;;) {
		term_pump(t, 1);
		if (term_reap(t)) {
			term_pump(t, 0);
			return (1);
		}
		pending = pending_input(t);
		if (pending != last_pending) {
			if (last_pending == -1 || pending < last_pending)
				progress = now_ms();
			last_pending = pending;
		}
		if (t->last_out > progress)
			progress = t->last_out;
		if (pending == 0 && now_ms() - t->last_out >= QUIET_MS &&
		    proc_state(t->pid) == 'S' && (t->sent_sleeps == -1 ||
		    proc_sleeps(t->pid) != t->sent_sleeps))
			return (0);
		if (now_ms() - progress > limit_ms)
			fail(t, "hang: %d bytes of keys unread, no output for "
			    "%.1f s, process state %c", pending,
			    (now_ms() - t->last_out) / 1e3, proc_state(t->pid));
		if (now_ms() - start > 6 * limit_ms)
			fail(t, "hang: output for %.1f s without rest",
			    (now_ms() - start) / 1e3);
	}
}

/*
 * curses runs the terminal raw; until it does (starting, leaving, the
 * moment of a resize) C-c, C-\ and C-s would be signals or flow control
 * from the terminal, which no user can send to a program in raw mode.
 */
int
term_raw(struct term *t)
{
	struct termios	 tio;

	if (tcgetattr(t->fd, &tio) != 0)
		return (0);
	return ((tio.c_lflag & (ISIG | ICANON)) == 0 &&
	    (tio.c_iflag & IXON) == 0);
}

/*
 * Send bytes, reading the output meanwhile; 0, or 1 when it exited.  A
 * paste goes in pieces, each once the program has read the one before:
 * bytes it has not read when it leaves curses would be taken in cooked
 * mode, echoed by the terminal itself (and C-c made a signal).
 */
int
term_send(struct term *t, const char *buf, size_t len)
{
	struct pollfd	 pfd;
	double		 start = now_ms();
	ssize_t		 n;
	size_t		 off = 0;

	while (off < len) {
		while (!term_raw(t) || (off > 0 && pending_input(t) > 0)) {
			term_pump(t, 1);
			if (term_reap(t))
				return (1);
			if (now_ms() - start > term_hang_ms)
				fail(t, "hang: %s for %.1f s", term_raw(t) ?
				    "keys not read" : "the terminal not raw",
				    (now_ms() - start) / 1e3);
		}
		pfd.fd = t->fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 5) > 0) {
			t->sent_sleeps = proc_sleeps(t->pid);
			n = write(t->fd, buf + off, len - off > 64 ? 64 :
			    len - off);
			if (n > 0) {
				off += (size_t)n;
				start = now_ms();
			} else if (n == -1 && errno != EAGAIN && errno != EINTR)
				return (term_reap(t) || 1);
		}
		term_pump(t, 0);
		if (term_reap(t))
			return (1);
		if (now_ms() - start > term_hang_ms)
			fail(t, "hang: keys not read for %.1f s",
			    (now_ms() - start) / 1e3);
	}
	return (0);
}

void
term_resize(struct term *t, int cols, int rows)
{
	struct winsize	 ws = { .ws_row = rows, .ws_col = cols };

	t->cols = cols;
	t->rows = rows;
	screen_resize(&t->screen, cols, rows);
	t->sent_sleeps = proc_sleeps(t->pid);
	ioctl(t->fd, TIOCSWINSZ, &ws);
	kill(t->pid, SIGWINCH);		/* the kernel sends one too */
}

void
term_start(struct term *t, char *const argv[], char **envp, const char *cwd,
    const char *errlog, int cols, int rows)
{
	struct winsize	 ws = { .ws_row = rows, .ws_col = cols };
	int		 err, flags;

	screen_free(&t->screen);
	memset(t, 0, sizeof *t);
	screen_resize(&t->screen, cols, rows);
	t->cols = cols;
	t->rows = rows;
	t->slave = -1;
	t->log = -1;
	t->sent_sleeps = -1;
	if ((err = open(errlog, O_WRONLY|O_CREAT|O_APPEND, 0644)) == -1)
		fail(t, "%s: %s", errlog, strerror(errno));
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid == -1)
		fail(t, "forkpty: %s", strerror(errno));
	if (t->pid == 0) {
		dup2(err, 2);
		close(err);
		child_setup(cwd);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(err);
	flags = fcntl(t->fd, F_GETFL);
	fcntl(t->fd, F_SETFL, flags | O_NONBLOCK);
	/* The slave side, to see how many keys wait unread. */
	t->slave = open(ptsname(t->fd), O_RDWR|O_NOCTTY);
	t->last_out = now_ms();
}

void
term_close(struct term *t)
{
	if (t->slave != -1)
		close(t->slave);
	if (t->fd != -1)
		close(t->fd);
	if (t->log != -1)
		close(t->log);
	t->slave = t->fd = t->log = -1;
}

/* Wait for the process to end, reading its output; 0 or -1 (timeout). */
int
term_wait(struct term *t, double ms)
{
	double	 start = now_ms();

	while (!term_reap(t)) {
		if (t->fd != -1)
			term_pump(t, 5);
		else
			sleep_ms(5);
		if (now_ms() - start > ms)
			return (-1);
	}
	if (t->fd != -1)
		term_pump(t, 0);
	return (0);
}
