/*
 * cli-init.c: 'dossier init': a new data directory, its first
 * administrator and the organisation recovery key.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "casefile.h"
#include "cli.h"
#include "i18n.h"
#include "prompt.h"
#include "store.h"
#include "text.h"
#include "trust.h"
#include "util.h"
#include "vault.h"

/* Write the recovery key file, created beforehand with O_EXCL. */
static int
cli_write_recovery(int fd, const char *path, const char *text)
{
	if (write_all(fd, text, strlen(text)) != 0)
		return (-1);
	return (fsync(fd));
}

static int
cli_init(struct cli_run *r)
{
	struct cli	*c = r->c;
	struct store	*s;
	enum vault_cost	 cost = VAULT_COST_MODERATE;
	char		*dir, *pass = NULL, *cause = NULL, *recovery = NULL;
	char		*prompt, *rule;
	struct vault_identity *org;
	size_t		 len;
	char		 fp[48];
	int		 fd, ok, rc = CLI_FAIL;

	if (c->admin == NULL || c->recovery_out == NULL)
		return (cli_usage(_("Usage: dossier init --admin NAME "
		    "--recovery-out FILE [--kdf interactive|moderate|sensitive] "
		    "[--ref-prefix P]")));
	if (c->prefix != NULL && casefile_check_prefix(c->prefix, &cause) != 0) {
		cli_usage(cause);
		free(cause);
		return (CLI_USAGE);
	}
	if (c->kdf != NULL && vault_cost_parse(c->kdf, &cost) != 0)
		return (cli_usage(_("--kdf takes interactive, moderate or "
		    "sensitive.")));
	if (account_check_name(c->admin, &cause) != 0) {
		text_error("%s", cause);
		free(cause);
		return (CLI_FAIL);
	}
	if ((dir = cli_data_dir(c)) == NULL) {
		text_error("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		return (CLI_FAIL);
	}

	xasprintf(&prompt, _("New passphrase for %s: "), c->admin);
	rule = account_passphrase_rule();
	ok = prompt_new_passphrase(c->passfile, rule, prompt, &pass, &len,
	    &cause) == 0 && account_check_passphrase(c->admin, pass,
	    &cause) == 0;
	free(rule);
	if (!ok) {
		free(prompt);
		goto out;
	}
	free(prompt);

	/* Claim the recovery file first: never overwrite one. */
	fd = open(c->recovery_out, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW, 0600);
	if (fd == -1) {
		if (errno == EEXIST)
			err_set(&cause, _("%s already exists; choose a new file "
			    "for the recovery key."), c->recovery_out);
		else
			err_set(&cause, _("Cannot create %s: %s."),
			    c->recovery_out, strerror(errno));
		goto out;
	}
	if (store_open(&s, dir, STORE_CREATE, &cause) != 0) {
		close(fd);
		unlink(c->recovery_out);
		goto out;
	}
	if (account_init(s, c->admin, pass, len, cost, trust_org_init,
	    &recovery, &cause) != 0 || (c->prefix != NULL &&
	    casefile_set_prefix(s, c->prefix, &cause) != 0)) {
		store_close(s);
		close(fd);
		unlink(c->recovery_out);
		goto out;
	}
	store_close(s);
	if (cli_write_recovery(fd, c->recovery_out, recovery) != 0) {
		err_set(&cause, _("The store was created but the recovery key "
		    "could not be written to %s (%s); remove %s and run init "
		    "again."), c->recovery_out, strerror(errno), dir);
		close(fd);
		goto out;
	}
	close(fd);
	text_printf(_("Initialised %s with the administrator %s.\n"), dir,
	    c->admin);
	text_printf(_("The organisation recovery key is in %s: keep it offline "
	    "and safe; it opens every case.\n"), c->recovery_out);
	if ((org = vault_recovery_decode(recovery, NULL)) != NULL) {
		vault_fingerprint(vault_identity_box_pk(org), fp);
		text_printf(_("Its fingerprint, to note on paper and compare "
		    "with 'dossier key fingerprint': %s\n"), fp);
		vault_fingerprint(vault_identity_sign_pk(org), fp);
		text_printf(_("The fingerprint of the root key derived from it, "
		    "which approves the first supervisors: %s\n"), fp);
		text_printf("%s\n", _("Approve the first supervisor or auditor "
		    "with 'dossier user approve NAME --fingerprint FP "
		    "--recovery-key FILE' once they have chosen their "
		    "passphrase."));
		vault_identity_free(org);
	}
	rc = CLI_OK;
out:
	if (cause != NULL) {
		text_error("%s", cause);
		free(cause);
	}
	if (recovery != NULL)
		free_wiped(recovery);
	if (pass != NULL)
		prompt_free(pass);
	free(dir);
	return (rc);
}

const struct cli_command cli_init_commands[] = {
	{ "init", N_("--admin NAME --recovery-out FILE [--kdf COST] "
	    "[--ref-prefix P]"), N_("create a data directory, its first "
	    "administrator and the organisation recovery key"),
	    CLI_OPT_ADMIN | CLI_OPT_RECOVERY | CLI_OPT_KDF | CLI_OPT_PREFIX,
	    0, 0, 0, cli_init, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
