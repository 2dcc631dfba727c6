/*
 * cli.c: option parsing, dispatch, shared helpers and 'dossier init'.
 *
 * Every option is parsed here, whether global or belonging to a
 * subcommand, so that global options may come on either side of the
 * subcommand; each subcommand then refuses the options it does not take.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "cli.h"
#include "i18n.h"
#include "layout.h"
#include "prompt.h"
#include "session.h"
#include "store.h"
#include "ui.h"
#include "util.h"
#include "vault.h"

#define CLI_SETS_MAX	512
static const char *cli_sets[CLI_SETS_MAX];

static int	cli_init(struct cli *);
static int	cli_help(void);

static const struct {
	const char	*name;
	int		(*fn)(struct cli *);
} cli_commands[] = {
	{ "init", cli_init },
	{ "user", cli_user },
	{ "demo", cli_demo },
	{ "case", cli_case },
	{ "audit", cli_audit },
	{ "export", cli_export },
	{ "key", cli_key },
	{ "verify", cli_verify },
	{ "check", cli_check },
	{ "backup", cli_backup },
};

enum {
	OPT_DATA = 256, OPT_USER, OPT_PASSFILE, OPT_LANG, OPT_HELP,
	OPT_VERSION, OPT_ADMIN, OPT_RECOVERY, OPT_ROLE, OPT_NEWPASS, OPT_KDF,
	OPT_CASES, OPT_FORMAT, OPT_FORM, OPT_WORKFLOW, OPT_SET, OPT_STATE,
	OPT_ASSIGNEE, OPT_REGION, OPT_OVERDUE, OPT_REASON, OPT_IFVERSION,
	OPT_ATTACH, OPT_WITNESS, OPT_WITH_WITNESSES, OPT_OUT, OPT_PUB, OPT_CASE,
	OPT_BY, OPT_PREFIX
};

static const struct option cli_options[] = {
	{ "data", required_argument, NULL, OPT_DATA },
	{ "user", required_argument, NULL, OPT_USER },
	{ "passphrase-file", required_argument, NULL, OPT_PASSFILE },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "admin", required_argument, NULL, OPT_ADMIN },
	{ "recovery-out", required_argument, NULL, OPT_RECOVERY },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "new-passphrase-file", required_argument, NULL, OPT_NEWPASS },
	{ "kdf", required_argument, NULL, OPT_KDF },
	{ "cases", required_argument, NULL, OPT_CASES },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "form", required_argument, NULL, OPT_FORM },
	{ "workflow", required_argument, NULL, OPT_WORKFLOW },
	{ "set", required_argument, NULL, OPT_SET },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "assignee", required_argument, NULL, OPT_ASSIGNEE },
	{ "region", required_argument, NULL, OPT_REGION },
	{ "overdue", no_argument, NULL, OPT_OVERDUE },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "if-version", required_argument, NULL, OPT_IFVERSION },
	{ "attach", required_argument, NULL, OPT_ATTACH },
	{ "witness", required_argument, NULL, OPT_WITNESS },
	{ "with-witnesses", no_argument, NULL, OPT_WITH_WITNESSES },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "pub", required_argument, NULL, OPT_PUB },
	{ "case", required_argument, NULL, OPT_CASE },
	{ "by", required_argument, NULL, OPT_BY },
	{ "ref-prefix", required_argument, NULL, OPT_PREFIX },
	{ NULL, 0, NULL, 0 }
};

int
cli_usage(const char *what)
{
	err_print("%s", what);
	fprintf(stderr, "%s\n", _("Run 'dossier --help' for the commands and "
	    "their options."));
	return (CLI_USAGE);
}

/* Refuse subcommand options that this subcommand does not take. */
int
cli_only(const struct cli *c, unsigned int allowed, const char *command)
{
	char	*msg;

	if ((c->given & ~allowed) == 0)
		return (0);
	xasprintf(&msg, _("'%s' does not take some of the options given."),
	    command);
	cli_usage(msg);
	free(msg);
	return (-1);
}

static int
cli_help(void)
{
	printf("%s", _(
"Usage: dossier [--data DIR] [--user NAME] [--passphrase-file FILE]\n"
"               [--lang fr|en] COMMAND [ARGUMENTS]\n"
"\n"
"Pre-disciplinary investigation cases, encrypted at rest.\n"
"\n"
"Commands:\n"
"  init --admin NAME --recovery-out FILE [--kdf COST] [--ref-prefix P]\n"
"                     create a data directory, its first administrator\n"
"                     and the organisation recovery key\n"
"  user add NAME --role ROLE [--new-passphrase-file FILE]\n"
"                     add an account (administrators only); ROLE is\n"
"                     registrar, investigator, supervisor, auditor or admin\n"
"  user list [--format text|tsv]\n"
"                     list the accounts\n"
"  user disable NAME | user enable NAME\n"
"                     stop or allow an account's sign-in\n"
"  user passwd [--new-passphrase-file FILE]\n"
"                     change your own passphrase\n"
"  demo [--cases N]   make a demonstration data directory\n"
"  case new [--workflow inspection|monitoring] --set FIELD=VALUE ...\n"
"                     register a complaint; prints its reference\n"
"  case add REF KIND --set FIELD=VALUE ... [--attach FILE]\n"
"                     add a person, agent, allegation, witness, hearing,\n"
"                     evidence, report or decision; prints its number\n"
"  case edit REF RECORD --set FIELD=VALUE ... [--if-version N]\n"
"  case show REF [--format text|json]\n"
"  case list [--state S] [--assignee U] [--region R] [--overdue]\n"
"            [--format text|tsv|json]\n"
"  case assign|unassign REF USER\n"
"  case move REF STATE [--reason TEXT]\n"
"  case event REF EVENT [--reason TEXT]\n"
"  case grant REF USER [--witness RECORD]\n"
"  case history REF | case agent SERVICE_NUMBER\n"
"  case file REF RECORD --out FILE\n"
"  case export-json REF... [--out FILE] | case import FILE.json\n"
"  export REF --out FILE [--format text|md|json] [--with-witnesses]\n"
"                     a case summary, signed: FILE and FILE.minisig\n"
"  key export [USER]  a user's public key in minisign's format\n"
"  verify FILE [--pub KEY.pub]\n"
"                     check FILE against FILE.minisig\n"
"  audit verify | audit list [--case REF] [--by USER]\n"
"  check              verify every table and the audit log\n"
"  backup DIR         a hot backup into a new directory\n"
"\n"
"Global options:\n"
"  --data DIR         the data directory (else $DOSSIER_DATA, else\n"
"                     $XDG_DATA_HOME/dossier)\n"
"  --user NAME        who signs in (else $USER)\n"
"  --passphrase-file FILE\n"
"                     read your passphrase from the first line of FILE\n"
"                     instead of asking on the terminal\n"
"  --lang fr|en       the language of messages\n"
"  --help, --version\n"
"\n"
"Passphrases are never taken from the command line or the environment.\n"
"Exit status: 0 success, 1 failure, 2 usage error. See dossier(1).\n"));
	return (CLI_OK);
}

char *
cli_data_dir(const struct cli *c)
{
	return (store_default_dir(c->data));
}

int
cli_open(const struct cli *c, struct store **sp)
{
	char	*dir, *cause = NULL;

	if ((dir = cli_data_dir(c)) == NULL) {
		err_print("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		return (-1);
	}
	if (store_open(sp, dir, 0, &cause) != 0) {
		err_print("%s", cause);
		free(cause);
		free(dir);
		return (-1);
	}
	free(dir);
	return (0);
}

static const char *
cli_user_name(const struct cli *c)
{
	const char	*name;
	struct passwd	*pw;

	if (c->user != NULL)
		return (c->user);
	if ((name = getenv("USER")) != NULL && *name != '\0')
		return (name);
	if ((pw = getpwuid(getuid())) != NULL)
		return (pw->pw_name);
	return ("");
}

/*
 * Open the store and sign in.  An account that must still choose its own
 * passphrase may only run 'user passwd' (allow_change set).
 */
static int
cli_signin_flags(const struct cli *c, struct store **sp, struct session **ssp,
    int allow_change)
{
	const char	*name = cli_user_name(c);
	char		*pass, *prompt, *cause = NULL;
	size_t		 len;
	int		 rc;

	*sp = NULL;
	*ssp = NULL;
	if (cli_open(c, sp) != 0)
		return (-1);
	xasprintf(&prompt, _("Passphrase for %s: "), name);
	rc = prompt_passphrase(c->passfile, prompt, &pass, &len, &cause);
	free(prompt);
	if (rc == 0) {
		rc = session_signin(*sp, name, pass, len, ssp, &cause);
		prompt_free(pass);
	}
	if (rc != 0) {
		err_print("%s", cause);
		free(cause);
		store_close(*sp);
		*sp = NULL;
		return (-1);
	}
	if ((*ssp)->user->must_change && !allow_change) {
		err_print("%s", _("You must first choose your own passphrase: "
		    "run 'dossier user passwd'."));
		cli_signout(*sp, *ssp);
		*sp = NULL;
		*ssp = NULL;
		return (-1);
	}
	return (0);
}

int
cli_signin(const struct cli *c, struct store **sp, struct session **ssp)
{
	return (cli_signin_flags(c, sp, ssp, 0));
}

int
cli_signin_for_passwd(const struct cli *c, struct store **sp,
    struct session **ssp)
{
	return (cli_signin_flags(c, sp, ssp, 1));
}

void
cli_signout(struct store *s, struct session *sess)
{
	session_free(sess);
	store_close(s);
}

/* Write the recovery key file, created beforehand with O_EXCL. */
static int
cli_write_recovery(int fd, const char *path, const char *text)
{
	size_t	 len = strlen(text), off = 0;
	ssize_t	 n;

	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		off += n;
	}
	return (fsync(fd));
}

/* The prefix of case references (ISSPC-2026-0042), set once at init. */
static int
cli_prefix_txn(struct store_txn *t, void *arg, char **cause)
{
	const char	*p = arg;

	return (meta_put(t, META_REF_PREFIX, p, strlen(p), 0, cause));
}

static int
cli_init(struct cli *c)
{
	struct store	*s;
	enum vault_cost	 cost = VAULT_COST_MODERATE;
	char		*dir, *pass = NULL, *cause = NULL, *recovery = NULL;
	char		*prompt;
	size_t		 len;
	int		 fd, rc = CLI_FAIL;

	if (cli_only(c, CLI_OPT_ADMIN | CLI_OPT_RECOVERY | CLI_OPT_KDF |
	    CLI_OPT_PREFIX,
	    "init") != 0)
		return (CLI_USAGE);
	if (c->nargs != 1 || c->admin == NULL || c->recovery_out == NULL)
		return (cli_usage(_("Usage: dossier init --admin NAME "
		    "--recovery-out FILE [--kdf interactive|moderate|sensitive] "
		    "[--ref-prefix P]")));
	if (c->prefix != NULL && (strlen(c->prefix) == 0 ||
	    strlen(c->prefix) > 12 || strspn(c->prefix,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(c->prefix)))
		return (cli_usage(_("--ref-prefix takes 1 to 12 capital letters "
		    "or digits (ISSPC, CNDH).")));
	if (c->kdf != NULL && vault_cost_parse(c->kdf, &cost) != 0)
		return (cli_usage(_("--kdf takes interactive, moderate or "
		    "sensitive.")));
	if (account_check_name(c->admin, &cause) != 0) {
		err_print("%s", cause);
		free(cause);
		return (CLI_FAIL);
	}
	if ((dir = cli_data_dir(c)) == NULL) {
		err_print("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		return (CLI_FAIL);
	}

	xasprintf(&prompt, _("New passphrase for %s: "), c->admin);
	if (prompt_new_passphrase(c->passfile, prompt, &pass, &len,
	    &cause) != 0 ||
	    account_check_passphrase(c->admin, pass, &cause) != 0) {
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
	if (account_init(s, c->admin, pass, len, cost, &recovery,
	    &cause) != 0 || (c->prefix != NULL &&
	    store_run(s, cli_prefix_txn, (void *)c->prefix, &cause) != 0)) {
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
	printf(_("Initialised %s with the administrator %s.\n"), dir,
	    c->admin);
	printf(_("The organisation recovery key is in %s: keep it offline "
	    "and safe; it opens every case.\n"), c->recovery_out);
	rc = CLI_OK;
out:
	if (cause != NULL) {
		err_print("%s", cause);
		free(cause);
	}
	if (recovery != NULL)
		free_wiped(recovery);
	if (pass != NULL)
		prompt_free(pass);
	free(dir);
	return (rc);
}

/*
 * getopt_long() accepts abbreviations: "--passphrase WORDS" would be taken
 * for --passphrase-file and the words printed in an error.  Only whole
 * option names are accepted, and a refused option is never echoed.
 */
static int
cli_check_long_options(int argc, char **argv)
{
	const struct option	*o;
	size_t			 len;
	int			 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		len = strcspn(argv[i] + 2, "=");
		for (o = cli_options; o->name != NULL; o++) {
			if (strlen(o->name) == len &&
			    strncmp(o->name, argv[i] + 2, len) == 0)
				break;
		}
		if (o->name == NULL) {
			cli_usage(_("Unknown option (passphrases are never "
			    "taken from the command line)."));
			return (-1);
		}
		if (o->has_arg == required_argument && argv[i][2 + len] == '\0')
			i++;	/* skip its value */
	}
	return (0);
}

int
cli_main(int argc, char **argv)
{
	struct cli	 c;
	size_t		 i;
	int		 ch, rc;

	memset(&c, 0, sizeof c);
	if (cli_check_long_options(argc, argv) != 0)
		return (CLI_USAGE);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hV", cli_options, NULL)) != -1) {
		switch (ch) {
		case OPT_DATA: c.data = optarg; break;
		case OPT_USER: c.user = optarg; break;
		case OPT_PASSFILE: c.passfile = optarg; break;
		case OPT_LANG:
			if (strcmp(optarg, "fr") != 0 && strcmp(optarg, "en") != 0)
				return (cli_usage(_("--lang takes fr or en.")));
			c.lang = optarg;
			break;
		case 'h':
		case OPT_HELP:
			return (cli_help());
		case 'V':
		case OPT_VERSION:
			printf("dossier %s\n", PACKAGE_VERSION);
			return (CLI_OK);
		case OPT_ADMIN: c.admin = optarg; c.given |= CLI_OPT_ADMIN; break;
		case OPT_RECOVERY:
			c.recovery_out = optarg;
			c.given |= CLI_OPT_RECOVERY;
			break;
		case OPT_ROLE: c.role = optarg; c.given |= CLI_OPT_ROLE; break;
		case OPT_NEWPASS:
			c.newpassfile = optarg;
			c.given |= CLI_OPT_NEWPASS;
			break;
		case OPT_KDF: c.kdf = optarg; c.given |= CLI_OPT_KDF; break;
		case OPT_CASES: c.cases = optarg; c.given |= CLI_OPT_CASES; break;
		case OPT_FORMAT:
			c.format = optarg;
			c.given |= CLI_OPT_FORMAT;
			break;
#define CLI_STR(opt, field, bit) \
		case opt: c.field = optarg; c.given |= bit; break
		CLI_STR(OPT_FORM, form, CLI_OPT_FORM);
		CLI_STR(OPT_WORKFLOW, workflow, CLI_OPT_WORKFLOW);
		CLI_STR(OPT_STATE, state, CLI_OPT_STATE);
		CLI_STR(OPT_ASSIGNEE, assignee, CLI_OPT_ASSIGNEE);
		CLI_STR(OPT_REGION, region, CLI_OPT_REGION);
		CLI_STR(OPT_REASON, reason, CLI_OPT_REASON);
		CLI_STR(OPT_IFVERSION, ifversion, CLI_OPT_IFVERSION);
		CLI_STR(OPT_ATTACH, attach, CLI_OPT_ATTACH);
		CLI_STR(OPT_WITNESS, witness, CLI_OPT_WITNESS);
		CLI_STR(OPT_OUT, out, CLI_OPT_OUT);
		CLI_STR(OPT_PUB, pub, CLI_OPT_PUB);
		CLI_STR(OPT_CASE, caseref, CLI_OPT_CASE);
		CLI_STR(OPT_BY, by, CLI_OPT_BY);
		CLI_STR(OPT_PREFIX, prefix, CLI_OPT_PREFIX);
#undef CLI_STR
		case OPT_SET:
			if (c.nsets == CLI_SETS_MAX)
				return (cli_usage(_("Too many --set options.")));
			cli_sets[c.nsets++] = optarg;
			c.sets = cli_sets;
			c.given |= CLI_OPT_SET;
			break;
		case OPT_OVERDUE:
			c.overdue = 1;
			c.given |= CLI_OPT_OVERDUE;
			break;
		case OPT_WITH_WITNESSES:
			c.with_witnesses = 1;
			c.given |= CLI_OPT_WITH_WITNESSES;
			break;
		case ':':
			return (cli_usage(_("An option is missing its value.")));
		default:
			return (cli_usage(_("Unknown option.")));
		}
	}
	c.args = argv + optind;
	c.nargs = argc - optind;
	if (c.nargs == 0) {
		if (c.given != 0)
			return (cli_usage(_("The terminal application takes only "
			    "the global options.")));
		return (ui_main(c.data, c.user) == 0 ? CLI_OK : CLI_FAIL);
	}
	for (i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++) {
		if (strcmp(c.args[0], cli_commands[i].name) == 0) {
			rc = cli_commands[i].fn(&c);
			if (fflush(stdout) != 0 && rc == CLI_OK) {
				err_print(_("Cannot write the output: %s."),
				    strerror(errno));
				rc = CLI_FAIL;
			}
			return (rc);
		}
	}
	return (cli_usage(_("Unknown command.")));
}
