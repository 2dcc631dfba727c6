/*
 * text.c: terminal-safe text (see text.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

#include "text.h"
#include "util.h"

size_t
text_utf8(const unsigned char *s, size_t len, unsigned int *cp)
{
	size_t		 n, k;
	unsigned int	 c;

	if (len == 0)
		return (0);
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0) { n = 2; c = s[0] & 0x1f; }
	else if ((s[0] & 0xf0) == 0xe0) { n = 3; c = s[0] & 0x0f; }
	else if ((s[0] & 0xf8) == 0xf0) { n = 4; c = s[0] & 0x07; }
	else
		return (0);
	if (n > len)
		return (0);
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return (0);
		c = c << 6 | (s[k] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

char *
text_clean(const char *in, size_t len, int flags)
{
	const unsigned char	*s = (const unsigned char *)in;
	char			*out;
	size_t			 i = 0, o = 0, n;
	unsigned int		 cp;

	/* At most 10 output bytes per input byte ("<U+0085>"). */
	out = xmalloc(len * 10 + 1);
	while (i < len) {
		if ((n = text_utf8(s + i, len - i, &cp)) == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
			continue;
		}
		if ((cp == '\n' && (flags & TEXT_NEWLINES)) ||
		    (cp == '\t' && (flags & TEXT_TABS))) {
			out[o++] = (char)cp;
		} else if (cp < 0x20) {
			out[o++] = '^';
			out[o++] = (char)(cp + '@');
		} else if (cp == 0x7f) {
			out[o++] = '^';
			out[o++] = '?';
		} else if (cp >= 0x80 && cp < 0xa0) {
			o += (size_t)snprintf(out + o, 10, "<U+%04X>", cp);
		} else {
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return (out);
}

/*
 * printf for every sink that is not a curses window (standard output and
 * error, files): the format's own text is trusted, each %s argument is
 * data and goes through text_clean() with flags, so no stored or
 * imported string can send an escape sequence or break a TSV line.  The
 * other conversions take the usual arguments.
 */
/* Each spec is one conversion cut from the caller's literal format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int
text_vfprintf(FILE *f, int flags, const char *fmt, va_list ap)
{
	const char	*p = fmt, *start;
	char		 spec[32], *clean;
	size_t		 slen;
	int		 n = 0, r, longs, size_t_, intmax;

	while (*p != '\0') {
		if (*p != '%') {
			start = p;
			while (*p != '\0' && *p != '%')
				p++;
			if (fwrite(start, 1, (size_t)(p - start), f) !=
			    (size_t)(p - start))
				return (-1);
			n += (int)(p - start);
			continue;
		}
		if (p[1] == '%') {
			if (fputc('%', f) == EOF)
				return (-1);
			n++;
			p += 2;
			continue;
		}
		start = p++;
		while (*p != '\0' && strchr("-+ #0123456789.*", *p) != NULL)
			p++;
		longs = size_t_ = intmax = 0;
		while (*p == 'l' || *p == 'h' || *p == 'z' || *p == 'j' ||
		    *p == 't') {
			if (*p == 'l')
				longs++;
			else if (*p == 'z' || *p == 't')
				size_t_ = 1;
			else if (*p == 'j')
				intmax = 1;
			p++;
		}
		if (*p == '\0')
			return (-1);
		slen = (size_t)(p - start + 1);
		if (slen >= sizeof spec || memchr(start, '*', slen) != NULL)
			return (-1);	/* not used by dossier's formats */
		memcpy(spec, start, slen);
		spec[slen] = '\0';
		switch (*p) {
		case 's': {
			const char	*arg = va_arg(ap, const char *);

			if (arg == NULL)
				arg = "(null)";
			clean = text_clean(arg, strlen(arg), flags);
			r = fprintf(f, spec, clean);
			free(clean);
			break;
		}
		case 'c': {
			int	 ch = va_arg(ap, int);

			r = fprintf(f, "%c", ch < 0x20 || ch >= 0x7f ? '?' : ch);
			break;
		}
		case 'd': case 'i':
			if (intmax)
				r = fprintf(f, spec, va_arg(ap, intmax_t));
			else if (size_t_)
				r = fprintf(f, spec, va_arg(ap, ssize_t));
			else if (longs >= 2)
				r = fprintf(f, spec, va_arg(ap, long long));
			else if (longs == 1)
				r = fprintf(f, spec, va_arg(ap, long));
			else
				r = fprintf(f, spec, va_arg(ap, int));
			break;
		case 'u': case 'x': case 'X': case 'o':
			if (intmax)
				r = fprintf(f, spec, va_arg(ap, uintmax_t));
			else if (size_t_)
				r = fprintf(f, spec, va_arg(ap, size_t));
			else if (longs >= 2)
				r = fprintf(f, spec, va_arg(ap, unsigned long long));
			else if (longs == 1)
				r = fprintf(f, spec, va_arg(ap, unsigned long));
			else
				r = fprintf(f, spec, va_arg(ap, unsigned int));
			break;
		case 'f': case 'g': case 'e':
			r = fprintf(f, spec, va_arg(ap, double));
			break;
		case 'p':
			r = fprintf(f, spec, va_arg(ap, void *));
			break;
		default:
			return (-1);
		}
		if (r < 0)
			return (-1);
		n += r;
		p++;
	}
	return (n);
}
#pragma GCC diagnostic pop

int
text_fprintf(FILE *f, int flags, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = text_vfprintf(f, flags, fmt, ap);
	va_end(ap);
	return (n);
}

int
text_printf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = text_vfprintf(stdout, 0, fmt, ap);
	va_end(ap);
	return (n);
}

/* "dossier: " and one sentence on standard error, made safe. */
void
text_error(const char *fmt, ...)
{
	va_list	 ap;

	fputs("dossier: ", stderr);
	va_start(ap, fmt);
	text_vfprintf(stderr, 0, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Laying text out by display width.
 *
 * Everything here walks UTF-8 one code point at a time with text_utf8()
 * and asks wcwidth() for its columns, so the widths agree with what
 * curses draws.  A control character counts as text_clean() shows it
 * ("^[" two columns, "<U+009B>" eight), a byte that is not UTF-8 as the
 * one-column U+FFFD that replaces it, and a character the locale does
 * not know (wcwidth -1, as every accent is in the C locale) as one.
 */

/* Columns of one code point, as text_clean() and curses show it. */
static int
text_cp_width(unsigned int cp)
{
	int	 w;

	if (cp < 0x20 || cp == 0x7f)
		return (2);
	if (cp >= 0x80 && cp < 0xa0)
		return (8);
	if ((w = wcwidth((wchar_t)cp)) < 0)
		return (1);
	return (w);
}

/* The next code point of s (len bytes): its length, at least 1. */
static size_t
text_next(const char *s, size_t len, unsigned int *cp, int *w)
{
	size_t	 n;

	if ((n = text_utf8((const unsigned char *)s, len, cp)) == 0) {
		*cp = 0xfffd;
		*w = 1;
		return (1);
	}
	*w = text_cp_width(*cp);
	return (n);
}

int
text_nwidth(const char *s, size_t len)
{
	unsigned int	 cp;
	size_t		 n;
	int		 w = 0, cw;

	while (len > 0) {
		n = text_next(s, len, &cp, &cw);
		w += cw;
		s += n;
		len -= n;
	}
	return (w);
}

int
text_width(const char *s)
{
	return (text_nwidth(s, strlen(s)));
}

/* The ellipsis, where the locale can show it. */
static const char *
text_ellipsis(void)
{
	return (MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : ".");
}

static char *
text_pad(const char *s, size_t len, int w, int width, const char *tail,
    int flags)
{
	char	*out;
	int	 pad = (flags & TEXT_PAD) && w < width ? width - w : 0;

	xasprintf(&out, "%.*s%s%*s", (int)len, s, tail, pad, "");
	return (out);
}

char *
text_fit(const char *s, int width, int flags)
{
	const char	*ell = text_ellipsis();
	unsigned int	 cp;
	size_t		 len = strlen(s), off = 0, n, cut = 0, brk = 0;
	int		 w = 0, cw, room, wbrk = 0, total;

	if (width < 0)
		width = 0;
	if ((total = text_width(s)) <= width)
		return (text_pad(s, len, total, width, "", flags));
	room = width - text_width(ell);
	if (room < 0)
		return (text_pad("", 0, 0, width, "", flags));
	while (off < len) {
		n = text_next(s + off, len - off, &cp, &cw);
		/* Before a space, or after a comma, slash or hyphen. */
		if (cp == ' ' && w > 0) {
			brk = off;
			wbrk = w;
		}
		if (w + cw > room)
			break;
		w += cw;
		off += n;
		cut = off;
		if ((cp == ',' || cp == '/' || cp == '-' || cp == ';') &&
		    off < len && s[off] != ' ') {
			brk = off;
			wbrk = w;
		}
	}
	if (brk > 0 && wbrk * 2 >= room) {
		cut = brk;
		w = wbrk;
	}
	/* No space before the ellipsis. */
	while (cut > 0 && s[cut - 1] == ' ') {
		cut--;
		w--;
	}
	return (text_pad(s, cut, w + text_width(ell), width, ell, flags));
}

void
text_lines_free(char **lines, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void
text_lines_add(char ***lines, size_t *n, const char *s, size_t len)
{
	*lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
	(*lines)[(*n)++] = xstrndup(s, len);
}

/*
 * Does the space at s[i] glue its neighbours (French spacing: before
 * : ; ? ! and », after «)?
 */
static int
text_glued(const char *s, size_t i, size_t len)
{
	const char	*lq = "\xc2\xab", *rq = "\xc2\xbb";

	if (i + 1 < len && (s[i + 1] == ':' || s[i + 1] == ';' ||
	    s[i + 1] == '?' || s[i + 1] == '!'))
		return (i + 2 >= len || s[i + 2] == ' ' || s[i + 2] == '\n');
	if (i + 2 < len && memcmp(s + i + 1, rq, 2) == 0)
		return (1);
	return (i >= 2 && memcmp(s + i - 2, lq, 2) == 0);
}

/* One paragraph (no newline) of len bytes into lines. */
static void
text_wrap_para(const char *s, size_t len, int width, char ***lines,
    size_t *n)
{
	unsigned int	 cp;
	size_t		 start, off, k, brk;
	int		 w, cw;

	start = 0;
	while (start < len) {
		/* Spaces at the start of a continuation line go. */
		if (*n > 0 && start > 0)
			while (start < len && s[start] == ' ')
				start++;
		if (start >= len)
			break;
		w = 0;
		off = start;
		brk = 0;
		while (off < len) {
			k = text_next(s + off, len - off, &cp, &cw);
			if (cp == ' ' && off > start && !text_glued(s, off, len))
				brk = off;
			if (w + cw > width && off > start)
				break;
			w += cw;
			off += k;
		}
		if (off >= len) {
			text_lines_add(lines, n, s + start, len - start);
			break;
		}
		if (brk == 0)
			brk = off;	/* a word longer than the line */
		k = brk;
		while (k > start && s[k - 1] == ' ')
			k--;
		text_lines_add(lines, n, s + start, k - start);
		start = brk;
	}
}

size_t
text_wrap(const char *s, int width, char ***lines)
{
	const char	*nl;
	size_t		 n = 0, len;

	*lines = NULL;
	if (width < 1)
		width = 1;
	for (;;) {
		nl = strchr(s, '\n');
		len = nl != NULL ? (size_t)(nl - s) : strlen(s);
		if (len == 0)
			text_lines_add(lines, &n, "", 0);
		else
			text_wrap_para(s, len, width, lines, &n);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return (n);
}

int
text_columns(struct text_column *c, size_t n, int total, int gap)
{
	size_t	 i, best;
	int	 room, used;

	room = total - (n > 0 ? (int)(n - 1) * gap : 0);
	for (i = 0; i < n; i++) {
		if (c[i].want < c[i].min)
			c[i].want = c[i].min;
		c[i].width = c[i].min;
		room -= c[i].min;
	}
	while (room > 0) {
		best = n;
		for (i = 0; i < n; i++) {
			if (c[i].weight <= 0 || c[i].width >= c[i].want)
				continue;
			/* The narrowest for its weight. */
			if (best == n || (long)c[i].width * c[best].weight <
			    (long)c[best].width * c[i].weight)
				best = i;
		}
		if (best == n)
			break;
		c[best].width++;
		room--;
	}
	used = n > 0 ? (int)(n - 1) * gap : 0;
	for (i = 0; i < n; i++)
		used += c[i].width;
	return (used);
}

/*
 * A character folded for searching: lower case, Latin accents dropped
 * (the letters French and the languages of West Africa write with).
 */
static unsigned int
text_fold(unsigned int c)
{
	static const char	 latin1[] =	/* U+00C0 .. U+00FF */
	    "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
	    "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

	if (c >= 'A' && c <= 'Z')
		return (c - 'A' + 'a');
	if (c >= 0xc0 && c <= 0xff && latin1[c - 0xc0] != '*' &&
	    latin1[c - 0xc0] != '/')
		return ((unsigned char)latin1[c - 0xc0]);
	if (c == 0x152 || c == 0x153)		/* Œ œ */
		return ('o');
	return (c);
}

/* Text as folded characters; an invalid byte stays a character. */
static unsigned int *
text_folded(const char *s, size_t *n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), k;
	unsigned int		*out, c;

	out = xcalloc(len + 1, sizeof *out);
	*n = 0;
	while (len > 0) {
		if ((k = text_utf8(p, len, &c)) == 0) {
			c = 0xfffd;
			k = 1;
		}
		out[(*n)++] = text_fold(c);
		p += k;
		len -= k;
	}
	return (out);
}

int
text_cmp(const char *a, const char *b)
{
	unsigned int	*x, *y;
	size_t		 nx, ny, i;
	int		 c = 0;

	x = text_folded(a, &nx);
	y = text_folded(b, &ny);
	for (i = 0; i < nx && i < ny && c == 0; i++)
		c = x[i] < y[i] ? -1 : x[i] > y[i];
	if (c == 0)
		c = nx < ny ? -1 : nx > ny;
	free(x);
	free(y);
	return (c != 0 ? c : strcmp(a, b));
}

long
text_find(const char *text, const char *needle)
{
	unsigned int	*t, *w;
	size_t		 nt, nw, i;
	long		 at = -1;

	t = text_folded(text, &nt);
	w = text_folded(needle, &nw);
	for (i = 0; nw <= nt && i <= nt - nw && at < 0; i++)
		if (memcmp(t + i, w, nw * sizeof *w) == 0)
			at = (long)i;
	free(t);
	free(w);
	return (at);
}
