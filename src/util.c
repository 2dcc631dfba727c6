/*
 * util.c: allocation, error reporting, wiping, byte order, process
 * hardening.
 */
#include "config.h"

#include <sys/resource.h>
#ifdef HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "util.h"

static void
oom(void)
{
	fputs("dossier: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		oom();
	return (p);
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		oom();
	return (p);
}

void *
xrealloc(void *old, size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = realloc(old, size)) == NULL)
		oom();
	return (p);
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		oom();
	return (p);
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	if ((p = strndup(s, n)) == NULL)
		oom();
	return (p);
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) < 0)
		oom();
	return (n);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}

int
err_set(char **cause, const char *fmt, ...)
{
	va_list	 ap;

	if (cause == NULL)
		return (-1);
	free(*cause);
	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	return (-1);
}

void
wipe(void *p, size_t len)
{
	if (p == NULL || len == 0)
		return;
#ifdef HAVE_EXPLICIT_BZERO
	explicit_bzero(p, len);
#else
	volatile unsigned char *v = p;
	while (len--)
		*v++ = 0;
#endif
}

void
free_wiped(char *s)
{
	if (s == NULL)
		return;
	wipe(s, strlen(s));
	free(s);
}

void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

void
put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (uint32_t)v);
}

uint16_t
get_be16(const uint8_t *p)
{
	return ((uint16_t)p[0] << 8 | p[1]);
}

uint32_t
get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

uint64_t
get_be64(const uint8_t *p)
{
	return ((uint64_t)get_be32(p) << 32 | get_be32(p + 4));
}

size_t
varint_size(uint64_t v)
{
	size_t	 n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return (n);
}

uint8_t *
varint_put(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return (p);
}

/*
 * Read a varint at *pp, moving *pp past it: -1 if it runs past end, is
 * longer than it needs (each number has one encoding) or exceeds max.
 */
int
varint_get(const uint8_t **pp, const uint8_t *end, uint64_t max,
    uint64_t *v)
{
	const uint8_t	*p = *pp;
	uint64_t	 x = 0;
	int		 shift = 0;

	for (;;) {
		if (p == end || shift > 63)
			return (-1);
		if (shift == 63 && (*p & 0x7e) != 0)
			return (-1);	/* past 64 bits */
		x |= (uint64_t)(*p & 0x7f) << shift;
		if ((*p++ & 0x80) == 0)
			break;
		shift += 7;
	}
	if (x > max || (size_t)(p - *pp) != varint_size(x))
		return (-1);
	*pp = p;
	*v = x;
	return (0);
}

int
harden_process(void)
{
	struct rlimit	 rl = { 0, 0 };
	int		 rc = 0;

	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		rc = -1;
#if defined(HAVE_PRCTL) && defined(PR_SET_DUMPABLE)
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		rc = -1;
#endif
	return (rc);
}

/*
 * The program's clock.  Only a test build replaces it (tests/testclock.c
 * and the unit tests): the installed binary has no way to move audit
 * times, journals or deadlines.
 */
static int64_t	(*util_clock)(void);

void
util_set_clock(int64_t (*fn)(void))
{
	util_clock = fn;
}

int64_t
now(void)
{
	if (util_clock != NULL)
		return (util_clock());
	return ((int64_t)time(NULL));
}

int
lang_index(void)
{
	const char	*l;

	if ((l = getenv("LANGUAGE")) == NULL || *l == '\0')
		l = setlocale(LC_MESSAGES, NULL);
	if (l != NULL && strncmp(l, "fr", 2) == 0)
		return (0);
	return (1);
}

void
format_day(long days, char *buf)
{
	long	 z = days + 719468, era, doe, yoe, y, doy, mp, d, m;

	/* Howard Hinnant's civil_from_days. */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)((y + (m <= 2)) % 10000),
	    (unsigned)m % 13, (unsigned)d % 32);
}

void
format_time(int64_t t, char *buf)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, 17, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, 17, "?");
}

/* Is name one of the items of a comma-separated list? */
int
list_has(const char *list, const char *name)
{
	size_t		 len = strlen(name);
	const char	*p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, len) == 0 && (p[len] == ',' ||
		    p[len] == '\0'))
			return (1);
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return (0);
}

FILE *
file_create_private(const char *path, char **cause)
{
	FILE	*f;
	int	 fd;

	fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600);
	if (fd == -1 && errno == EEXIST) {
		err_set(cause, _("%s already exists; choose another name."),
		    path);
		return (NULL);
	}
	if (fd == -1) {
		err_set(cause, _("Cannot create %s: %s."), path,
		    strerror(errno));
		return (NULL);
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		err_set(cause, _("Cannot create %s: %s."), path,
		    strerror(errno));
		close(fd);
		unlink(path);
	}
	return (f);
}

void
err_clear(char **cause)
{
	if (cause != NULL) {
		free(*cause);
		*cause = NULL;
	}
}


const char *
str_or(const char *s, const char *dflt)
{
	return (s != NULL && *s != '\0' ? s : dflt);
}

/*
 * Keep the first of several error sentences (a parser reports the first
 * bad line's number, so the reason must be that line's).  Returns 0: what
 * a libinih handler returns for a bad line.
 */
int
err_first(char **reason, const char *fmt, ...)
{
	va_list	 ap;

	if (*reason == NULL) {
		va_start(ap, fmt);
		xvasprintf(reason, fmt, ap);
		va_end(ap);
	}
	return (0);
}

/* A regular file of at most max bytes opened, never through a link. */
static int
file_open_regular(const char *path, size_t max, struct stat *st,
    char **cause)
{
	int	 fd;

	if ((fd = open(path, O_RDONLY|O_NOFOLLOW)) == -1 ||
	    fstat(fd, st) == -1) {
		if (fd != -1)
			close(fd);
		err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISREG(st->st_mode) || (uintmax_t)st->st_size > max) {
		close(fd);
		err_set(cause, _("%s is not a regular file of at most %zu "
		    "bytes."), path, max);
		return (-1);
	}
	return (fd);
}

/* Could file_read() read it now? */
int
file_readable(const char *path, size_t max, char **cause)
{
	struct stat	 st;
	int		 fd;

	if ((fd = file_open_regular(path, max, &st, cause)) == -1)
		return (-1);
	close(fd);
	return (0);
}

/*
 * A whole regular file of at most max bytes (an evidence file to
 * attach), never through a link.  The caller wipes and frees *data.
 */
int
file_read(const char *path, size_t max, uint8_t **data, size_t *len,
    char **cause)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if ((fd = file_open_regular(path, max, &st, cause)) == -1)
		return (-1);
	*data = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		n = read(fd, *data + off, (size_t)st.st_size - off);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			close(fd);
			wipe(*data, off);
			free(*data);
			return (err_set(cause, _("Cannot read %s: %s."), path,
			    n == 0 ? _("it shrank") : strerror(errno)));
		}
		off += (size_t)n;
	}
	close(fd);
	*len = off;
	return (0);
}

int
write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;
	size_t		 off = 0;

	while (off < len) {
		if ((n = write(fd, p + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		off += (size_t)n;
	}
	return (0);
}
