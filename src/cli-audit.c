/*
 * cli-audit.c: 'dossier audit verify' and 'dossier audit list'.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "cli.h"
#include "i18n.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"

static int
cli_audit_print(const struct audit_entry *e, void *arg)
{
	const struct cli	*c = arg;
	char			 when[17], *detail;

	if ((c->caseref != NULL && (e->caseref == NULL ||
	    strcmp(c->caseref, e->caseref) != 0)) ||
	    (c->by != NULL && strcmp(c->by, e->user) != 0))
		return (0);
	format_time(e->time, when);
	detail = text_clean(e->detail != NULL ? e->detail : "",
	    e->detail != NULL ? strlen(e->detail) : 0, 0);
	printf("%" PRIu64 "\t%s\t%s\t%s\t%s\t%s\n", e->seq, when, e->user,
	    e->action, e->caseref != NULL ? e->caseref : "", detail);
	free(detail);
	return (0);
}

int
cli_audit(struct cli *c)
{
	struct store	*s;
	struct session	*sess;
	uint64_t	 count, bad;
	char		*cause = NULL;
	int		 rc = CLI_OK;

	if (cli_only(c, CLI_OPT_CASE | CLI_OPT_BY, "audit") != 0)
		return (CLI_USAGE);
	if (c->nargs != 2 || (strcmp(c->args[1], "verify") != 0 &&
	    strcmp(c->args[1], "list") != 0))
		return (cli_usage(_("Usage: dossier audit verify | audit list "
		    "[--case REF] [--by USER]")));
	if (cli_signin(c, &s, &sess) != 0)
		return (CLI_FAIL);
	if (strcmp(c->args[1], "verify") == 0) {
		if (account_verify_audit(s, sess, &count, &bad, &cause) != 0) {
			err_print("%s", cause);
			free(cause);
			rc = CLI_FAIL;
		} else
			printf(_("The audit log is intact: %" PRIu64 " entries, "
			    "every link and signature verified.\n"), count);
	} else if (audit_list(s, sess->user->role, cli_audit_print, c, &cause) != 0) {
		err_print("%s", cause);
		free(cause);
		rc = CLI_FAIL;
	}
	cli_signout(s, sess);
	return (rc);
}
