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
