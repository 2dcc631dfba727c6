/* fuzz-keymap.c: key map files. */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"
#include "keymap.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct keymap	*km = keymap_create();
	char		*path, *cause = NULL, name[16];
	int		 fd, k;

	path = fuzz_path(data, len, &fd);
	if (keymap_load(km, path, &cause) != 0)
		free(cause);
	for (k = 0; k < KEYMAP_NSCREENS; k++)
		keymap_first_key(km, k, "down", name, sizeof name);
	keymap_lookup(km, KEYMAP_LIST, 'j');
	keymap_free(km);
	fuzz_path_free(path, fd);
	return (0);
}
