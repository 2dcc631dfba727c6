/* fuzz-record.c: the record decoder; a decoded record re-encodes to the
 * same bytes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "record.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct record	*r;
	uint8_t		*out;
	size_t		 outlen;

	if ((r = record_decode(data, len, NULL)) == NULL)
		return (0);
	record_encode(r, &out, &outlen);
	if (outlen != len || memcmp(out, data, len) != 0)
		abort();
	free(out);
	record_free(r);
	return (0);
}
