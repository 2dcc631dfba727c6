/* fuzz-json.c: 'case import' files, parsed and checked against the
 * shipped forms and workflows (nothing is written). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "form.h"
#include "fuzz.h"
#include "workflow.h"

int	cli_case_json_check(struct casefile_ctx *, const char *, size_t,
	    char **);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct casefile_ctx	 ctx;
	static int			 ready;
	struct formset			*forms;
	struct workflow_set		*flows;
	const char			*dir = getenv("DOSSIER_FORMS");
	char				*cause = NULL;

	if (!ready) {
		if (dir == NULL || formset_load(dir, &forms, &cause) != 0 ||
		    workflow_load(dir, &flows, &cause) != 0)
			abort();	/* set DOSSIER_FORMS */
		ctx.forms = forms;
		ctx.flows = flows;
		ready = 1;
	}
	if (cli_case_json_check(&ctx, (const char *)data, len, &cause) != 0)
		free(cause);
	return (0);
}
