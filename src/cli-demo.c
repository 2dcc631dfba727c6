/*
 * cli-demo.c: 'dossier demo': a demonstration data directory with one
 * account per role.  Demo passphrases are random words written to
 * DIR/demo-users.txt, and the recovery key to DIR/demo-recovery.key:
 * acceptable for a demonstration only, and said so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "cli.h"
#include "i18n.h"
#include "store.h"
#include "util.h"
#include "vault.h"

static const struct {
	const char	*name;
	enum role	 role;
} demo_users[] = {
	{ "admin", ROLE_ADMIN },
	{ "awa", ROLE_REGISTRAR },
	{ "ibrahim", ROLE_INVESTIGATOR },
	{ "mariam", ROLE_INVESTIGATOR },
	{ "oumar", ROLE_SUPERVISOR },
	{ "fatou", ROLE_AUDITOR },
};
#define DEMO_NUSERS (sizeof demo_users / sizeof demo_users[0])

static const char *demo_words[] = {
	"baobab", "fleuve", "sahel", "karite", "tamarin", "harmattan",
	"pirogue", "mangue", "savane", "colline", "caravane", "tambour",
	"djembe", "mil", "sorgho", "dune", "hippo", "marche", "puits", "etoile",
	"acacia", "gazelle", "boubou", "calebasse", "griot", "niebe",
	"falaise", "delta", "lagune", "orage", "argile", "cauris"
};

/* Four random words and two digits: easy to type, hard to guess. */
static char *
demo_passphrase(void)
{
	uint32_t	 r[5];
	size_t		 nw = sizeof demo_words / sizeof demo_words[0];
	char		*p;

	vault_random(r, sizeof r);
	xasprintf(&p, "%s-%s-%s-%s-%02u", demo_words[r[0] % nw],
	    demo_words[r[1] % nw], demo_words[r[2] % nw],
	    demo_words[r[3] % nw], (unsigned)(r[4] % 100));
	return (p);
}

static int
demo_write(const char *path, const char *text, char **cause)
{
	FILE	*f;
	int	 fd;

	fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW, 0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		return (err_set(cause, _("Cannot create %s: %s."), path,
		    strerror(errno)));
	}
	fputs(text, f);
	if (fclose(f) != 0)
		return (err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno)));
	return (0);
}

int
cli_demo(struct cli *c)
{
	struct store	*s = NULL;
	struct session	*admin = NULL;
	char		*dir, *pass[DEMO_NUSERS], *recovery = NULL, *path;
	char		*users = NULL, *line, *cause = NULL;
	size_t		 i;
	int		 rc = CLI_FAIL;

	if (cli_only(c, 0, "demo") != 0)
		return (CLI_USAGE);
	if (c->nargs != 1)
		return (cli_usage(_("Usage: dossier --data DIR demo")));
	if ((dir = cli_data_dir(c)) == NULL) {
		cli_error("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		return (CLI_FAIL);
	}
	for (i = 0; i < DEMO_NUSERS; i++)
		pass[i] = demo_passphrase();

	if (store_open(&s, dir, STORE_CREATE, &cause) != 0)
		goto out;
	/* Demo accounts use the fast Argon2id cost: sign-in is instant. */
	if (account_init(s, demo_users[0].name, pass[0], strlen(pass[0]),
	    VAULT_COST_INTERACTIVE, &recovery, &cause) != 0)
		goto out;
	if (account_signin(s, demo_users[0].name, pass[0], strlen(pass[0]),
	    &admin, &cause) != 0)
		goto out;
	for (i = 1; i < DEMO_NUSERS; i++) {
		if (account_add(admin, demo_users[i].name, demo_users[i].role,
		    pass[i], strlen(pass[i]), 0, &cause) != 0)
			goto out;
	}

	xasprintf(&path, "%s/demo-recovery.key", dir);
	rc = demo_write(path, recovery, &cause);
	free(path);
	if (rc != 0) {
		rc = CLI_FAIL;
		goto out;
	}
	users = xstrdup("");
	for (i = 0; i < DEMO_NUSERS; i++) {
		xasprintf(&line, "%s%s %s %s\n", users, demo_users[i].name,
		    access_role_name(demo_users[i].role), pass[i]);
		free(users);
		users = line;
	}
	xasprintf(&path, "%s/demo-users.txt", dir);
	rc = demo_write(path, users, &cause);
	free(path);
	if (rc != 0) {
		rc = CLI_FAIL;
		goto out;
	}
	printf(_("Demo data directory: %s\n"), dir);
	printf("%s\n", _("Demo accounts (name, role, passphrase), also in "
	    "demo-users.txt:"));
	fputs(users, stdout);
	printf("%s\n", _("These passphrases and the recovery key stored beside "
	    "them are for a demonstration only."));
	rc = CLI_OK;
out:
	if (cause != NULL) {
		cli_error("%s", cause);
		free(cause);
	}
	session_free(admin);
	store_close(s);
	for (i = 0; i < DEMO_NUSERS; i++)
		free_wiped(pass[i]);
	free_wiped(users);
	free_wiped(recovery);
	free(dir);
	return (rc);
}
