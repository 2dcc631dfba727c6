/* fuzz-form.c: form and list files, then every field of the form checked
 * against a few values. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct formset	*set = calloc(1, sizeof *set);
	char		*path, *cause = NULL;
	size_t		 i, j;
	int		 fd;
	const char	*vals[] = { "", "2026-02-29", "x,y", "yes", "12:60" };

	path = fuzz_path(data, len, &fd);
	/* The same bytes as a list file, then as a form. */
	if (form_load_lists(set, path, &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	if (form_load_file(set, path, &cause) == 0 &&
	    formset_check(set, &cause) == 0) {
		for (i = 0; i < set->nforms; i++)
			for (j = 0; j < set->forms[i]->nfields; j++) {
				size_t	 k;

				for (k = 0; k < 5; k++) {
					form_check_value(set,
					    &set->forms[i]->fields[j], vals[k],
					    strlen(vals[k]), &cause);
					free(cause);
					cause = NULL;
				}
			}
	}
	free(cause);
	formset_free(set);
	fuzz_path_free(path, fd);
	return (0);
}
