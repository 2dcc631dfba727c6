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
#include <wchar.h>

#include "account.h"
#include "casefile.h"
#include "cli.h"
#include "form.h"
#include "i18n.h"
#include "layout.h"
#include "minisign.h"
#include "paths.h"
#include "prompt.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

#define CLI_SETS_MAX	512
static const char *cli_sets[CLI_SETS_MAX];

static int	cli_help(void);

/* In the order of the help. */
static const struct cli_command *cli_tables[] = {
	cli_init_commands, cli_user_commands, cli_demo_commands,
	cli_case_commands, cli_export_commands, cli_backup_commands,
	cli_audit_commands, cli_ssh_commands, cli_stats_commands,
	cli_site_commands,
};

enum {
	OPT_DATA = 256, OPT_USER, OPT_PASSFILE, OPT_LANG, OPT_HELP,
	OPT_VERSION, OPT_ADMIN, OPT_RECOVERY, OPT_ROLE, OPT_NEWPASS, OPT_KDF,
	OPT_CASES, OPT_FORMAT, OPT_FORM, OPT_WORKFLOW, OPT_SET, OPT_STATE,
	OPT_ASSIGNEE, OPT_REGION, OPT_OVERDUE, OPT_REASON, OPT_IFVERSION,
	OPT_ATTACH, OPT_WITNESS, OPT_WITH_WITNESSES, OPT_OUT, OPT_PUB, OPT_CASE,
	OPT_BY, OPT_PREFIX, OPT_SINCE, OPT_FINGERPRINT, OPT_RECOVERY_KEY,
	OPT_SSH_USER, OPT_AUTHKEYS, OPT_REDACT, OPT_PUBLISH, OPT_THRESHOLD,
	OPT_SEED, OPT_LISTEN, OPT_PEER, OPT_ACKS, OPT_KEEP, OPT_GROUP_KEY,
	OPT_REPAIR
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
	{ "seed", required_argument, NULL, OPT_SEED },
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
	{ "redact", no_argument, NULL, OPT_REDACT },
	{ "publish", no_argument, NULL, OPT_PUBLISH },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "pub", required_argument, NULL, OPT_PUB },
	{ "case", required_argument, NULL, OPT_CASE },
	{ "by", required_argument, NULL, OPT_BY },
	{ "ref-prefix", required_argument, NULL, OPT_PREFIX },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "fingerprint", required_argument, NULL, OPT_FINGERPRINT },
	{ "recovery-key", required_argument, NULL, OPT_RECOVERY_KEY },
	{ "ssh-user", required_argument, NULL, OPT_SSH_USER },
	{ "authorized-keys", required_argument, NULL, OPT_AUTHKEYS },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "peer", required_argument, NULL, OPT_PEER },
	{ "acks", required_argument, NULL, OPT_ACKS },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "group-key", required_argument, NULL, OPT_GROUP_KEY },
	{ "repair", no_argument, NULL, OPT_REPAIR },
	{ NULL, 0, NULL, 0 }
};

int
cli_usage(const char *what)
{
	text_error("%s", what);
	fprintf(stderr, "%s\n", _("Run 'dossier --help' for the commands and "
	    "their options."));
	return (CLI_USAGE);
}

/* Refuse subcommand options that this subcommand does not take. */
static int
cli_only(const struct cli *c, uint64_t allowed, const char *command)
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

/* Display width of a word (French: characters, not bytes). */
static size_t
cli_width(const char *s, size_t len)
{
	wchar_t		 wc;
	mbstate_t	 ps;
	size_t		 n, w = 0;
	int		 cw;

	memset(&ps, 0, sizeof ps);
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof ps);
			n = 1;
			cw = 1;
		} else if ((cw = wcwidth(wc)) < 0)
			cw = 1;
		w += (size_t)cw;
		s += n;
		len -= n;
	}
	return (w);
}

/* Words of text, wrapped before 79 columns, each line indented. */
static void
cli_wrap(const char *text, size_t indent)
{
	const char	*p = text, *end;
	size_t		 col = indent, len, w;

	printf("%*s", (int)indent, "");
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, " ");
		len = (size_t)(end - p);
		w = cli_width(p, len);
		if (col > indent && col + 1 + w > 78) {
			printf("\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, len, stdout);
		col += w;
		p = end;
	}
	putchar('\n');
}

/* "case" alone: the usage of every "case ..." command. */
static int
cli_family_usage(const char *family)
{
	const struct cli_command	*cmd;
	size_t				 t, len = strlen(family);
	int				 found = 0;

	for (t = 0; t < sizeof cli_tables / sizeof cli_tables[0]; t++) {
		for (cmd = cli_tables[t]; cmd->name != NULL; cmd++) {
			if (strncmp(cmd->name, family, len) != 0 ||
			    cmd->name[len] != ' ')
				continue;
			if (!found++)
				fprintf(stderr, "%s\n", _("Usage:"));
			fprintf(stderr, "  dossier %s%s%s\n", cmd->name,
			    *cmd->args != '\0' ? " " : "", *cmd->args != '\0' ?
			    _(cmd->args) : "");
		}
	}
	return (found ? CLI_USAGE : cli_usage(_("Unknown command.")));
}

/* The help is made from the tables, so it lists every command. */
static int
cli_help(void)
{
	const struct cli_command	*cmd;
	size_t				 t;
	char				*line;

	cli_wrap(_("Usage: dossier [--data DIR] [--user NAME] "
	    "[--passphrase-file FILE] [--lang fr|en] COMMAND [ARGUMENTS]"), 0);
	printf("\n%s\n\n%s\n",
	    _("Pre-disciplinary investigation cases, encrypted at rest."),
	    _("Commands:"));
	for (t = 0; t < sizeof cli_tables / sizeof cli_tables[0]; t++) {
		for (cmd = cli_tables[t]; cmd->name != NULL; cmd++) {
			xasprintf(&line, "%s%s%s", cmd->name,
			    *cmd->args != '\0' ? " " : "", *cmd->args != '\0' ?
			    _(cmd->args) : "");
			cli_wrap(line, 2);
			free(line);
			if (cmd->help != NULL)
				cli_wrap(_(cmd->help), 8);
		}
	}
	printf("\n%s\n", _("Global options:\n"
	    "  --data DIR         the data directory (else $DOSSIER_DATA, else\n"
	    "                     $XDG_DATA_HOME/dossier)\n"
	    "  --user NAME        who signs in (else $USER)\n"
	    "  --passphrase-file FILE\n"
	    "                     read your passphrase from the first line of "
	    "FILE\n"
	    "                     instead of asking on the terminal\n"
	    "  --lang fr|en       the language of messages\n"
	    "  --help, --version"));
	printf("\n%s\n", _("Passphrases are never taken from the command line "
	    "or the environment.\nExit status: 0 success, 1 failure, 2 usage "
	    "error. See dossier(1)."));
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
		text_error("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		return (-1);
	}
	if (store_open(sp, dir, 0, &cause) != 0) {
		text_error("%s", cause);
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
		text_error("%s", cause);
		free(cause);
		store_close(*sp);
		*sp = NULL;
		return (-1);
	}
	if ((*ssp)->user->must_change && !allow_change) {
		text_error("%s", _("You must first choose your own passphrase: "
		    "run 'dossier user passwd'."));
		session_free(*ssp);
		store_close(*sp);
		*sp = NULL;
		*ssp = NULL;
		return (-1);
	}
	return (0);
}

/* A minisign public key file (--pub). */
int
cli_read_pub(const char *path, uint8_t *keyid, uint8_t *pk, char **cause)
{
	FILE	*f;
	char	*text;
	size_t	 n;
	int	 rc;

	if ((f = fopen(path, "r")) == NULL)
		return (err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno)));
	text = xcalloc(1, 4096);
	n = fread(text, 1, 4095, f);
	fclose(f);
	text[n] = '\0';
	rc = minisign_pubkey_parse(text, keyid, pk, cause);
	free(text);
	return (rc);
}

int
cli_fail(char *cause)
{
	text_error("%s", cause != NULL ? cause : _("Failed."));
	free(cause);
	return (CLI_FAIL);
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

/* The command named by the first one or two arguments. */
static const struct cli_command *
cli_find(const struct cli *c, int *words)
{
	const struct cli_command	*cmd;
	size_t				 t, len;

	for (t = 0; t < sizeof cli_tables / sizeof cli_tables[0]; t++) {
		for (cmd = cli_tables[t]; cmd->name != NULL; cmd++) {
			len = strlen(c->args[0]);
			if (strcmp(cmd->name, c->args[0]) == 0) {
				*words = 1;
				return (cmd);
			}
			if (c->nargs > 1 && strncmp(cmd->name, c->args[0],
			    len) == 0 && cmd->name[len] == ' ' &&
			    strcmp(cmd->name + len + 1, c->args[1]) == 0) {
				*words = 2;
				return (cmd);
			}
		}
	}
	return (NULL);
}

static int
cli_usage_of(const struct cli_command *cmd)
{
	char	*msg;
	int	 rc;

	xasprintf(&msg, _("Usage: dossier %s%s%s"), cmd->name,
	    *cmd->args != '\0' ? " " : "", *cmd->args != '\0' ?
	    _(cmd->args) : "");
	rc = cli_usage(msg);
	free(msg);
	return (rc);
}

/* Why a workflow named is none: the ones there are. */
static void
cli_workflows_known(const struct workflow_set *flows, const char *name,
    char **cause)
{
	char	*all = xstrdup(""), *n;
	size_t	 i;

	for (i = 0; i < flows->n; i++) {
		xasprintf(&n, "%s%s%s", all, *all != '\0' ? ", " : "",
		    flows->list[i]->id);
		free(all);
		all = n;
	}
	err_set(cause, _("There is no workflow \"%s\"; the workflows are: "
	    "%s."), name, all);
	free(all);
}

/* Check, open, sign in, run, close. */
static int
cli_run(struct cli *c, const struct cli_command *cmd, int words)
{
	struct cli_run		 r;
	struct casefile_ctx	 ctx;
	struct formset		*forms = NULL;
	struct workflow_set	*flows = NULL;
	char			*cause = NULL;
	int			 rc, n = c->nargs - words;

	if (cli_only(c, cmd->options, cmd->name) != 0)
		return (CLI_USAGE);
	if (n < cmd->min || (cmd->max >= 0 && n > cmd->max))
		return (cli_usage_of(cmd));
	memset(&r, 0, sizeof r);
	memset(&ctx, 0, sizeof ctx);
	r.c = c;
	r.argv = c->args + words;
	r.argc = n;
	if (cmd->validate != NULL && (rc = cmd->validate(&r)) != CLI_OK)
		return (rc);
	if (cmd->flags & CLI_CASES) {
		if (formset_load(paths_forms_dir(), &forms, &cause) != 0 ||
		    workflow_load(paths_forms_dir(), &flows, &cause) != 0 ||
		    workflow_guards_check_forms(flows, forms, &cause) != 0) {
			formset_free(forms);
			workflow_set_free(flows);
			return (cli_fail(cause));
		}
		ctx.forms = forms;
		ctx.flows = flows;
		r.ctx = &ctx;
		/* A workflow mistyped would list or count nothing. */
		if (c->workflow != NULL &&
		    workflow_find(flows, c->workflow) == NULL) {
			cli_workflows_known(flows, c->workflow, &cause);
			formset_free(forms);
			workflow_set_free(flows);
			return (cli_fail(cause));
		}
	}
	if (cmd->flags & (CLI_SIGNIN | CLI_CASES)) {
		rc = cli_signin_flags(c, &r.store, &r.sess,
		    (cmd->flags & CLI_PASSWD) != 0);
	} else if (cmd->flags & CLI_STORE)
		rc = cli_open(c, &r.store);
	else
		rc = 0;
	if (rc == 0 && (cmd->flags & CLI_CASES)) {
		ctx.sess = r.sess;
		if (casefile_share_keys(&ctx, &cause) != 0)
			rc = cli_fail(cause);
	}
	rc = rc == 0 ? cmd->exec(&r) : CLI_FAIL;
	/* Committed here, not confirmed by the group: said once, at the end. */
	if (store_unconfirmed(r.store, &cause))
		rc = cli_fail(cause);
	session_free(r.sess);
	store_close(r.store);
	formset_free(forms);
	workflow_set_free(flows);
	return (rc);
}

int
cli_main(int argc, char **argv)
{
	const struct cli_command	*cmd;
	struct cli			 c;
	int				 ch, rc, words;

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
		case OPT_SEED: c.seed = optarg; c.given |= CLI_OPT_SEED; break;
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
		CLI_STR(OPT_SINCE, since, CLI_OPT_SINCE);
		CLI_STR(OPT_FINGERPRINT, fingerprint, CLI_OPT_FINGERPRINT);
		CLI_STR(OPT_RECOVERY_KEY, recovery_key, CLI_OPT_RECOVERY_KEY);
		CLI_STR(OPT_AUTHKEYS, authorized_keys, CLI_OPT_AUTHKEYS);
		CLI_STR(OPT_THRESHOLD, threshold, CLI_OPT_THRESHOLD);
		CLI_STR(OPT_LISTEN, listen, CLI_OPT_LISTEN);
		CLI_STR(OPT_PEER, peer, CLI_OPT_PEER);
		CLI_STR(OPT_ACKS, acks, CLI_OPT_ACKS);
		CLI_STR(OPT_KEEP, keep, CLI_OPT_KEEP);
		CLI_STR(OPT_GROUP_KEY, group_key, CLI_OPT_GROUP_KEY);
		case OPT_REPAIR:
			c.repair = 1;
			c.given |= CLI_OPT_REPAIR;
			break;
		case OPT_PUBLISH:
			c.publish = 1;
			c.given |= CLI_OPT_PUBLISH;
			break;
		case OPT_SSH_USER:
			if (paths_restricted())
				return (cli_usage(_("Unknown option.")));
			c.ssh_user = optarg;
			break;
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
		case OPT_REDACT:
			c.redact = 1;
			c.given |= CLI_OPT_REDACT;
			break;
		case ':':
			return (cli_usage(_("An option is missing its value.")));
		default:
			return (cli_usage(_("Unknown option.")));
		}
	}
	c.args = argv + optind;
	c.nargs = argc - optind;
	if (c.ssh_user != NULL)
		return (cli_ssh_forced(&c, argv[0]));
	if (c.nargs == 0) {
		if (c.given != 0)
			return (cli_usage(_("The terminal application takes only "
			    "the global options.")));
		return (ui_main(c.data, c.user) == 0 ? CLI_OK : CLI_FAIL);
	}
	if ((cmd = cli_find(&c, &words)) == NULL)
		return (cli_family_usage(c.args[0]));
	rc = cli_run(&c, cmd, words);
	if (fflush(stdout) != 0 && rc == CLI_OK) {
		text_error(_("Cannot write the output: %s."), strerror(errno));
		rc = CLI_FAIL;
	}
	return (rc);
}
