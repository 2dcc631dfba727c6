/*
 * testclock.c: linked only into tests/dossier-test, the test build of the
 * program, whose clock DOSSIER_NOW (seconds since the epoch) sets.  The
 * installed src/dossier has no such override.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "util.h"

static int64_t
testclock_now(void)
{
	const char	*s = getenv("DOSSIER_NOW");

	if (s != NULL && *s != '\0')
		return ((int64_t)strtoll(s, NULL, 10));
	return ((int64_t)time(NULL));
}

__attribute__((constructor)) static void
testclock_init(void)
{
	util_set_clock(testclock_now);
}
