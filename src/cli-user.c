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
#include "util.h"

static int
cli_user_add(struct cli *c)
{
	struct store	*s;
	struct session	*sess;
	enum role	 role;
	char		*pass, *prompt, *cause = NULL;
	size_t		 len;
	int		 rc;

	if (cli_only(c, CLI_OPT_ROLE | CLI_OPT_NEWPASS, "user add") != 0)
		return (CLI_USAGE);
	if (c->nargs != 3 || c->role == NULL)
		return (cli_usage(_("Usage: dossier user add NAME --role ROLE "
		    "[--new-passphrase-file FILE]")));
	if (access_role_parse(c->role, &role) != 0)
		return (cli_usage(_("ROLE is registrar, investigator, "
		    "supervisor, auditor or admin.")));
	if (cli_signin(c, &s, &sess) != 0)
		return (CLI_FAIL);
	/* Before asking for a passphrase that could not be used. */
	if (session_require(sess, ACCESS_MANAGE_USERS, &cause) != 0) {
		err_print("%s", cause);
		free(cause);
		cli_signout(s, sess);
		return (CLI_FAIL);
	}
	xasprintf(&prompt, _("Initial passphrase for %s: "), c->args[2]);
	rc = prompt_new_passphrase(c->newpassfile, prompt, &pass, &len, &cause);
	free(prompt);
	if (rc == 0) {
		rc = account_add(sess, c->args[2], role, pass, len, 1, &cause);
		prompt_free(pass);
	}
	cli_signout(s, sess);
	if (rc != 0) {
		err_print("%s", cause);
		free(cause);
		return (CLI_FAIL);
	}
	printf(_("Added %s (%s). They must choose their own passphrase at "
	    "first sign-in with 'dossier user passwd'.\n"), c->args[2],
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
cli_user_list(struct cli *c)
{
	struct store	 *s;
	struct session	 *sess;
	struct account	**list;
	size_t		  n, i;
	char		 *cause = NULL, date[32];
	int		  tsv = 0;
	time_t		  t;
	struct tm	 *tm;

	if (cli_only(c, CLI_OPT_FORMAT, "user list") != 0)
		return (CLI_USAGE);
	if (c->format != NULL) {
		if (strcmp(c->format, "tsv") == 0)
			tsv = 1;
		else if (strcmp(c->format, "text") != 0)
			return (cli_usage(_("--format takes text or tsv.")));
	}
	if (c->nargs != 2)
		return (cli_usage(_("Usage: dossier user list [--format "
		    "text|tsv]")));
	if (cli_signin(c, &s, &sess) != 0)
		return (CLI_FAIL);
	if (account_list(s, &list, &n, &cause) != 0) {
		err_print("%s", cause);
		free(cause);
		cli_signout(s, sess);
		return (CLI_FAIL);
	}
	if (!tsv)
		printf("%-20s %-14s %-12s %s\n", _("NAME"), _("ROLE"),
		    _("CREATED"), _("STATUS"));
	for (i = 0; i < n; i++) {
		t = (time_t)list[i]->created;
		tm = gmtime(&t);
		if (tm == NULL || strftime(date, sizeof date, "%Y-%m-%d", tm) == 0)
			strcpy(date, "?");
		if (tsv)
			printf("%s\t%s\t%s\t%s\n", list[i]->name,
			    access_role_name(list[i]->role), date,
			    list[i]->disabled ? "disabled" :
			    list[i]->must_change ? "must-change" : "active");
		else
			printf("%-20s %-14s %-12s %s\n", list[i]->name,
			    access_role_label(list[i]->role), date,
			    cli_user_status(list[i]));
	}
	account_list_free(list, n);
	cli_signout(s, sess);
	return (CLI_OK);
}

static int
cli_user_disable(struct cli *c, int disabled)
{
	struct store	*s;
	struct session	*sess;
	char		*cause = NULL;
	int		 rc;

	if (cli_only(c, 0, disabled ? "user disable" : "user enable") != 0)
		return (CLI_USAGE);
	if (c->nargs != 3)
		return (cli_usage(disabled ?
		    _("Usage: dossier user disable NAME") :
		    _("Usage: dossier user enable NAME")));
	if (cli_signin(c, &s, &sess) != 0)
		return (CLI_FAIL);
	rc = account_set_disabled(sess, c->args[2], disabled, &cause);
	cli_signout(s, sess);
	if (rc != 0) {
		err_print("%s", cause);
		free(cause);
		return (CLI_FAIL);
	}
	printf(disabled ? _("Disabled %s.\n") : _("Enabled %s.\n"), c->args[2]);
	return (CLI_OK);
}

static int
cli_user_passwd(struct cli *c)
{
	struct store	*s;
	struct session	*sess;
	char		*pass, *cause = NULL;
	size_t		 len;
	int		 rc;

	if (cli_only(c, CLI_OPT_NEWPASS, "user passwd") != 0)
		return (CLI_USAGE);
	if (c->nargs != 2)
		return (cli_usage(_("Usage: dossier user passwd "
		    "[--new-passphrase-file FILE]")));
	if (cli_signin_for_passwd(c, &s, &sess) != 0)
		return (CLI_FAIL);
	rc = prompt_new_passphrase(c->newpassfile, _("New passphrase: "),
	    &pass, &len, &cause);
	if (rc == 0) {
		rc = account_passwd(sess, pass, len, &cause);
		prompt_free(pass);
	}
	cli_signout(s, sess);
	if (rc != 0) {
		err_print("%s", cause);
		free(cause);
		return (CLI_FAIL);
	}
	printf("%s\n", _("Passphrase changed."));
	return (CLI_OK);
}

int
cli_user(struct cli *c)
{
	const char	*sub = c->nargs > 1 ? c->args[1] : "";

	if (strcmp(sub, "add") == 0)
		return (cli_user_add(c));
	if (strcmp(sub, "list") == 0)
		return (cli_user_list(c));
	if (strcmp(sub, "disable") == 0)
		return (cli_user_disable(c, 1));
	if (strcmp(sub, "enable") == 0)
		return (cli_user_disable(c, 0));
	if (strcmp(sub, "passwd") == 0)
		return (cli_user_passwd(c));
	return (cli_usage(_("Usage: dossier user add|list|disable|enable|"
	    "passwd ...")));
}
