/*
 * cli-user.c: 'dossier user add|list|disable|enable|passwd'.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "cli.h"
#include "i18n.h"
#include "prompt.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "util.h"

static int
cli_user_add_check(struct cli_run *r)
{
	enum role	 role;

	if (r->c->role == NULL || access_role_parse(r->c->role, &role) != 0)
		return (cli_usage(_("ROLE is registrar, investigator, "
		    "supervisor, auditor or admin.")));
	return (CLI_OK);
}

static int
cli_user_list_check(struct cli_run *r)
{
	const char	*f = r->c->format;

	if (f != NULL && strcmp(f, "tsv") != 0 && strcmp(f, "text") != 0)
		return (cli_usage(_("--format takes text or tsv.")));
	return (CLI_OK);
}

static int
cli_user_add(struct cli_run *r)
{
	struct cli	*c = r->c;
	struct session	*sess = r->sess;
	enum role	 role;
	char		*pass, *prompt, *cause = NULL;
	size_t		 len;
	int		 rc;

	access_role_parse(c->role, &role);	/* cli_user_add_check */
	/* Before asking for a passphrase that could not be used. */
	if (session_require(sess, ACCESS_MANAGE_USERS, &cause) != 0)
		return (cli_fail(cause));
	xasprintf(&prompt, _("Initial passphrase for %s: "), r->argv[0]);
	rc = prompt_new_passphrase(c->newpassfile, prompt, &pass, &len, &cause);
	free(prompt);
	if (rc == 0) {
		rc = account_add(sess, r->argv[0], role, pass, len, 1, &cause);
		prompt_free(pass);
	}
	if (rc != 0)
		return (cli_fail(cause));
	text_printf(_("Added %s (%s). They must choose their own passphrase at "
	    "first sign-in with 'dossier user passwd'.\n"), r->argv[0],
	    access_role_label(role));
	return (CLI_OK);
}

static const char *
cli_user_status(const struct account *a)
{
	if (a->disabled)
		return (_("disabled"));
	if (a->must_change)
		return (_("must change passphrase"));
	return (_("active"));
}

static int
cli_user_list(struct cli_run *r)
{
	struct cli	 *c = r->c;
	struct account	**list;
	size_t		  n, i;
	char		 *cause = NULL, date[32];
	int		  tsv = 0;
	time_t		  t;
	struct tm	 *tm;

	tsv = c->format != NULL && strcmp(c->format, "tsv") == 0;
	if (account_list(r->store, &list, &n, &cause) != 0)
		return (cli_fail(cause));
	if (!tsv)
		text_printf("%-20s %-14s %-12s %s\n", _("NAME"), _("ROLE"),
		    _("CREATED"), _("STATUS"));
	for (i = 0; i < n; i++) {
		t = (time_t)list[i]->created;
		tm = gmtime(&t);
		if (tm == NULL || strftime(date, sizeof date, "%Y-%m-%d", tm) == 0)
			strcpy(date, "?");
		if (tsv)
			text_printf("%s\t%s\t%s\t%s\n", list[i]->name,
			    access_role_name(list[i]->role), date,
			    list[i]->disabled ? "disabled" :
			    list[i]->must_change ? "must-change" : "active");
		else
			text_printf("%-20s %-14s %-12s %s\n", list[i]->name,
			    access_role_label(list[i]->role), date,
			    cli_user_status(list[i]));
	}
	account_list_free(list, n);
	return (CLI_OK);
}

static int
cli_user_disable_set(struct cli_run *r, int disabled)
{
	char	*cause = NULL;

	if (account_set_disabled(r->sess, r->argv[0], disabled, &cause) != 0)
		return (cli_fail(cause));
	text_printf(disabled ? _("Disabled %s.\n") : _("Enabled %s.\n"), r->argv[0]);
	return (CLI_OK);
}

static int
cli_user_disable(struct cli_run *r)
{
	return (cli_user_disable_set(r, 1));
}

static int
cli_user_enable(struct cli_run *r)
{
	return (cli_user_disable_set(r, 0));
}

static int
cli_user_passwd(struct cli_run *r)
{
	char	*pass, *cause = NULL;
	size_t	 len;
	int	 rc;

	rc = prompt_new_passphrase(r->c->newpassfile, _("New passphrase: "),
	    &pass, &len, &cause);
	if (rc == 0) {
		rc = account_passwd(r->sess, pass, len, &cause);
		prompt_free(pass);
	}
	if (rc != 0)
		return (cli_fail(cause));
	text_printf("%s\n", _("Passphrase changed."));
	return (CLI_OK);
}

const struct cli_command cli_user_commands[] = {
	{ "user add", N_("NAME --role ROLE [--new-passphrase-file FILE]"),
	    N_("add an account (administrators only); ROLE is registrar, "
	    "investigator, supervisor, auditor or admin"),
	    CLI_OPT_ROLE | CLI_OPT_NEWPASS, 1, 1, CLI_SIGNIN, cli_user_add,
	    cli_user_add_check },
	{ "user list", N_("[--format text|tsv]"), N_("list the accounts"),
	    CLI_OPT_FORMAT, 0, 0, CLI_SIGNIN, cli_user_list,
	    cli_user_list_check },
	{ "user disable", N_("NAME"), N_("stop an account's sign-in"), 0, 1, 1,
	    CLI_SIGNIN, cli_user_disable, NULL },
	{ "user enable", N_("NAME"), N_("allow an account's sign-in again"), 0,
	    1, 1, CLI_SIGNIN, cli_user_enable, NULL },
	{ "user passwd", N_("[--new-passphrase-file FILE]"),
	    N_("change your own passphrase"), CLI_OPT_NEWPASS, 0, 0,
	    CLI_SIGNIN | CLI_PASSWD, cli_user_passwd, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
