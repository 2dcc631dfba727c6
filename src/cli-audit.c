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
	text_printf("%" PRIu64 "\t%s\t%s\t%s\t%s\t%s\n", e->seq, when, e->user,
	    e->action, e->caseref != NULL ? e->caseref : "", detail);
	free(detail);
	return (0);
}

static int
cli_audit_verify(struct cli_run *r)
{
	uint64_t	 count, bad;
	char		*cause = NULL;

	if (account_verify_audit(r->store, r->sess, &count, &bad, &cause) != 0)
		return (cli_fail(cause));
	text_printf(_("The audit log is intact: %" PRIu64 " entries, every link "
	    "and signature verified.\n"), count);
	return (CLI_OK);
}

static int
cli_audit_list(struct cli_run *r)
{
	char	*cause = NULL;

	if (audit_list(r->store, r->sess->user->role, cli_audit_print, r->c,
	    &cause) != 0)
		return (cli_fail(cause));
	return (CLI_OK);
}

const struct cli_command cli_audit_commands[] = {
	{ "audit verify", "", N_("walk the audit log's chain and signatures"),
	    0, 0, 0, CLI_SIGNIN, cli_audit_verify, NULL },
	{ "audit list", N_("[--case REF] [--by USER]"), N_("the audit log, "
	    "one entry a line"), CLI_OPT_CASE | CLI_OPT_BY, 0, 0, CLI_SIGNIN,
	    cli_audit_list, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
