/*
 * text.c: terminal-safe text (see text.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
