/* fuzz-text.c: terminal-safe text: the result has no control character
 * but newline and tab, no ESC, and is valid UTF-8; text fitted or
 * wrapped to a width is never wider. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		*out = text_clean((const char *)data, len,
			    TEXT_NEWLINES | TEXT_TABS);
	size_t		 i, n, olen = strlen(out);
	unsigned int	 cp;
	char		*fit, **lines;
	int		 width;

	for (i = 0; i < olen; i += n) {
		if ((n = text_utf8((const unsigned char *)out + i, olen - i,
		    &cp)) == 0)
			abort();		/* invalid UTF-8 out */
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0))
			abort();		/* a control character out */
	}
	free(out);
	setlocale(LC_CTYPE, "C.UTF-8");
	out = text_clean((const char *)data, len, TEXT_NEWLINES);
	width = len > 0 ? data[0] % 40 : 10;
	fit = text_fit(out, width, TEXT_PAD);
	if (text_width(fit) != width)
		abort();		/* fitted text wider or narrower */
	free(fit);
	n = text_wrap(out, width, &lines);
	for (i = 0; i < n; i++)
		if (text_width(lines[i]) > (width > 0 ? width : 1) &&
		    text_width(lines[i]) > 2)
			abort();		/* a wrapped line too wide */
	text_lines_free(lines, n);
	free(out);
	return (0);
}
