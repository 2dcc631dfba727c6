/* fuzz-text.c: terminal-safe text: the result has no control character
 * but newline and tab, no ESC, and is valid UTF-8. */
#include "config.h"

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

	for (i = 0; i < olen; i += n) {
		if ((n = text_utf8((const unsigned char *)out + i, olen - i,
		    &cp)) == 0)
			abort();		/* invalid UTF-8 out */
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0))
			abort();		/* a control character out */
	}
	free(out);
	return (0);
}
