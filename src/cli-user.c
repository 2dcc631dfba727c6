/*
 * cli-user.c: 'dossier user add|list|approve|disable|enable|passwd'.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "cli.h"
#include "i18n.h"
#include "prompt.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "trust.h"
#include "util.h"
#include "vault.h"

#define CLI_RECOVERY_MAX	4096	/* a recovery file is ~140 bytes */

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
	char		*pass, *prompt, *rule, *cause = NULL;
	size_t		 len;
	int		 rc;

	access_role_parse(c->role, &role);	/* cli_user_add_check */
	/* Before asking for a passphrase that could not be used. */
	if (session_require(sess, ACCESS_MANAGE_USERS, &cause) != 0)
		return (cli_fail(cause));
	/* A name taken is refused before the passphrase is typed. */
	if (account_name_free(sess->store, r->argv[0], &cause) != 0)
		return (cli_fail(cause));
	xasprintf(&prompt, _("Initial passphrase for %s: "), r->argv[0]);
	rule = account_passphrase_rule();
	rc = prompt_new_passphrase(c->newpassfile, rule, prompt, &pass, &len,
	    &cause);
	free(rule);
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
cli_user_status(const struct account *a, int approved)
{
	if (a->disabled)
		return (_("disabled"));
	if (a->must_change)
		return (_("must change passphrase"));
	if (a->role != ROLE_ADMIN && !approved)
		return (_("awaiting approval"));
	return (_("active"));
}

static const char *
cli_user_status_tsv(const struct account *a, int approved)
{
	if (a->disabled)
		return ("disabled");
	if (a->must_change)
		return ("must-change");
	if (a->role != ROLE_ADMIN && !approved)
		return ("awaiting-approval");
	return ("active");
}

/* One row of the accounts table: three columns padded to their width. */
static void
cli_user_row(const int *w, const char *name, const char *role,
    const char *date, const char *status)
{
	const char	*cell[3] = { name, role, date };
	char		*p;
	size_t		 k;

	for (k = 0; k < 3; k++) {
		p = text_fit(cell[k], w[k], TEXT_PAD);
		text_printf("%s ", p);
		free(p);
	}
	text_printf("%s\n", status);
}

static int
cli_user_list(struct cli_run *r)
{
	struct cli	 *c = r->c;
	struct account	**list;
	size_t		  n, i;
	char		 *cause = NULL, date[32];
	int		  tsv = 0, *approved, w[3];
	time_t		  t;
	struct tm	 *tm;

	tsv = c->format != NULL && strcmp(c->format, "tsv") == 0;
	if (account_list(r->store, &list, &n, &cause) != 0)
		return (cli_fail(cause));
	approved = xcalloc(n + 1, sizeof *approved);
	if (trust_mark_approved(r->store, r->sess->user, list, n, approved,
	    &cause) != 0) {
		free(approved);
		account_list_free(list, n);
		return (cli_fail(cause));
	}
	/* Columns as wide as their widest text, on screen (not bytes). */
	w[0] = text_width(_("NAME"));
	w[1] = text_width(_("ROLE"));
	w[2] = text_width(_("CREATED"));
	for (i = 0; i < n; i++) {
		if (text_width(list[i]->name) > w[0])
			w[0] = text_width(list[i]->name);
		if (text_width(access_role_label(list[i]->role)) > w[1])
			w[1] = text_width(access_role_label(list[i]->role));
	}
	if (w[2] < 10)
		w[2] = 10;			/* YYYY-MM-DD */
	if (!tsv)
		cli_user_row(w, _("NAME"), _("ROLE"), _("CREATED"),
		    _("STATUS"));
	for (i = 0; i < n; i++) {
		t = (time_t)list[i]->created;
		tm = gmtime(&t);
		if (tm == NULL || strftime(date, sizeof date, "%Y-%m-%d", tm) == 0)
			strcpy(date, "?");
		if (tsv)
			text_printf("%s\t%s\t%s\t%s\n", list[i]->name,
			    access_role_name(list[i]->role), date,
			    cli_user_status_tsv(list[i], approved[i]));
		else
			cli_user_row(w, list[i]->name,
			    access_role_label(list[i]->role), date,
			    cli_user_status(list[i], approved[i]));
	}
	free(approved);
	account_list_free(list, n);
	return (CLI_OK);
}

static int
cli_user_disable_set(struct cli_run *r, int disabled)
{
	struct account	*a;
	char		*cause = NULL, *notice = NULL;

	if (account_get(r->sess->store, r->argv[0], &a, &cause) != 0)
		return (cli_fail(cause));
	if (account_set_disabled(r->sess, r->argv[0], disabled, &cause) != 0) {
		account_free(a);
		return (cli_fail(cause));
	}
	text_printf(disabled ? _("Disabled %s.\n") : _("Enabled %s.\n"), r->argv[0]);
	if (disabled)
		notice = trust_disable_notice(r->sess->store, r->sess->user,
		    a->role);
	if (notice != NULL)
		text_printf("%s\n", notice);
	free(notice);
	account_free(a);
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
	char	*pass, *rule, *cause = NULL;
	size_t	 len;
	int	 rc;

	rule = account_passphrase_rule();
	rc = prompt_new_passphrase(r->c->newpassfile, rule,
	    _("New passphrase: "), &pass, &len, &cause);
	free(rule);
	if (rc == 0) {
		rc = account_passwd(r->sess, pass, len, &cause);
		prompt_free(pass);
	}
	if (rc != 0)
		return (cli_fail(cause));
	text_printf("%s\n", _("Passphrase changed."));
	return (CLI_OK);
}

/* The recovery key file, read into guarded memory. */
static struct vault_identity *
cli_read_recovery(const char *path, char **cause)
{
	struct vault_identity	*id;
	char			*buf;
	ssize_t			 n;
	size_t			 len = 0;
	int			 fd;

	if ((fd = open(path, O_RDONLY|O_NOFOLLOW)) == -1) {
		err_set(cause, _("Cannot read the recovery key %s: %s."), path,
		    strerror(errno));
		return (NULL);
	}
	buf = vault_alloc(CLI_RECOVERY_MAX + 1);
	while (len < CLI_RECOVERY_MAX && (n = read(fd, buf + len,
	    CLI_RECOVERY_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	id = vault_recovery_decode(buf, cause);
	vault_free(buf);
	return (id);
}

static int
cli_user_approve(struct cli_run *r)
{
	struct vault_identity	*root = NULL;
	char			*cause = NULL;
	int			 rc;

	if (r->c->recovery_key != NULL &&
	    (root = cli_read_recovery(r->c->recovery_key, &cause)) == NULL)
		return (cli_fail(cause));
	rc = trust_approve(r->sess, r->argv[0], r->c->fingerprint, root,
	    &cause);
	vault_identity_free(root);
	if (rc != 0)
		return (cli_fail(cause));
	text_printf(_("Approved %s: their keys and role are now vouched for, "
	    "and they receive the keys their role needs.\n"), r->argv[0]);
	return (CLI_OK);
}

static int
cli_user_approve_check(struct cli_run *r)
{
	if (r->c->fingerprint == NULL)
		return (cli_usage(_("'user approve' needs --fingerprint FP: the "
		    "fingerprint the person reads to you from 'dossier user "
		    "fingerprint'.")));
	return (CLI_OK);
}

/* Your account's fingerprint, to read to the person who approves it. */
static int
cli_user_fingerprint(struct cli_run *r)
{
	char	 fp[VAULT_FINGERPRINT_LEN];

	trust_fingerprint(r->sess->user, fp);
	text_printf(_("%s (%s): %s\n"), r->sess->user->name,
	    access_role_label(r->sess->user->role), fp);
	text_printf("%s\n", _("Read it to the supervisor or auditor who "
	    "approves your account, in person or on a call you trust; check "
	    "that the role is yours."));
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
	{ "user approve", N_("NAME --fingerprint FP [--recovery-key FILE]"),
	    N_("vouch for an account once its owner has read you their key's "
	    "fingerprint; a supervisor or auditor, or with --recovery-key the "
	    "holder of the organisation recovery key (for the first ones)"),
	    CLI_OPT_FINGERPRINT | CLI_OPT_RECOVERY_KEY, 1, 1, CLI_SIGNIN,
	    cli_user_approve, cli_user_approve_check },
	{ "user fingerprint", "", N_("your account's fingerprint (name, role "
	    "and keys), to read to whoever approves it"), 0, 0, 0, CLI_SIGNIN,
	    cli_user_fingerprint, NULL },
	{ "user passwd", N_("[--new-passphrase-file FILE]"),
	    N_("change your own passphrase"), CLI_OPT_NEWPASS, 0, 0,
	    CLI_SIGNIN | CLI_PASSWD, cli_user_passwd, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
