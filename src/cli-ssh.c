/*
 * cli-ssh.c: one service account reached over SSH, each person's key
 * bound to their dossier name by a forced command (the gitolite model).
 *
 * 'dossier ssh-key add NAME KEYFILE' writes to the service account's
 * authorized_keys a line
 *
 *	command="/usr/bin/dossier --data DIR --ssh-user NAME",restrict,pty KEY
 *
 * so that whoever holds the key gets dossier as NAME and nothing else: no
 * shell, no port forwarding.  Run so, dossier takes the command the
 * person typed from SSH_ORIGINAL_COMMAND, split into words with no shell
 * in between, and refuses anything that names a file or another identity
 * on the server (--data, --user, --passphrase-file, --out, --attach,
 * init, demo, backup, restore, verify, case import ...): the files stay the
 * service account's.  No command at all opens the terminal application.
 */
#include "config.h"

#include <sys/stat.h>

#include <getopt.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "account.h"
#include "cli.h"
#include "i18n.h"
#include "paths.h"
#include "session.h"
#include "text.h"
#include "ui.h"
#include "util.h"

#define SSH_WORDS_MAX	64
#define SSH_LINE_MAX	16384

/* Options and commands that reach the server's files or identities. */
static const char *ssh_refused_options[] = {
	"--data", "--user", "--passphrase-file", "--new-passphrase-file",
	"--out", "--attach", "--recovery-out", "--recovery-key", "--pub",
	"--since", "--ssh-user", "--authorized-keys", NULL
};
static const char *ssh_refused_commands[] = {
	"init", "demo", "backup", "restore", "verify", "ssh-key", "site",
	"serve", "compact", NULL
};

/*
 * SSH_ORIGINAL_COMMAND as words: blanks separate, single and double
 * quotes group, a backslash escapes; nothing is expanded.  -1 on a
 * control character, an open quote or too many words.
 */
static int
cli_ssh_split(const char *s, char ***wordsp, int *np)
{
	char	**words = NULL, *w = NULL;
	size_t	 len = 0;
	int	 n = 0, quote = 0, inword = 0;

	for (;; s++) {
		if (*s != '\0' && (unsigned char)*s < 0x20 && *s != '\t')
			goto bad;
		if (*s == '\0' || (!quote && (*s == ' ' || *s == '\t'))) {
			if (*s == '\0' && quote)
				goto bad;
			if (inword) {
				if (n == SSH_WORDS_MAX)
					goto bad;
				words = xrealloc(words, (n + 2) *
				    sizeof *words);
				w[len] = '\0';
				words[n++] = w;
				words[n] = NULL;
				w = NULL;
				len = 0;
				inword = 0;
			}
			if (*s == '\0')
				break;
			continue;
		}
		if (w == NULL)
			w = xmalloc(strlen(s) + 1);
		inword = 1;
		if (quote == 0 && (*s == '\'' || *s == '"')) {
			quote = *s;
			continue;
		}
		if (quote != 0 && *s == quote) {
			quote = 0;
			continue;
		}
		if (*s == '\\' && quote != '\'' && s[1] != '\0')
			s++;
		w[len++] = *s;
	}
	*wordsp = words;
	*np = n;
	return (0);
bad:
	free(w);
	while (n > 0)
		free(words[--n]);
	free(words);
	return (-1);
}

static void
cli_ssh_words_free(char **words, int n)
{
	while (n > 0)
		free(words[--n]);
	free(words);
}

/* Is this word refused over SSH?  Its sentence, or NULL. */
static const char *
cli_ssh_refused(char **words, int n)
{
	size_t	 i;
	int	 k;

	for (i = 0; ssh_refused_commands[i] != NULL; i++)
		if (n > 0 && strcmp(words[0], ssh_refused_commands[i]) == 0)
			return (_("This command works on files of the server; "
			    "it is not available over SSH."));
	if (n > 1 && strcmp(words[0], "case") == 0 &&
	    (strcmp(words[1], "import") == 0 || strcmp(words[1], "file") == 0))
		return (_("This command works on files of the server; it is "
		    "not available over SSH."));
	for (k = 0; k < n; k++) {
		/* An export or figures may go to standard output, as an
		 * archive. */
		if ((strcmp(words[0], "export") == 0 ||
		    strcmp(words[0], "stats") == 0) &&
		    (strcmp(words[k], "--out=-") == 0 ||
		    (strcmp(words[k], "--out") == 0 && k + 1 < n &&
		    strcmp(words[k + 1], "-") == 0)))
			continue;
		for (i = 0; ssh_refused_options[i] != NULL; i++) {
			/* --out FILE, --out=FILE, and abbreviations. */
			if (strncmp(words[k], "--", 2) == 0 && strlen(words[k]) >
			    2 && strncmp(ssh_refused_options[i], words[k],
			    strcspn(words[k], "=")) == 0)
				return (_("Over SSH, dossier works as the account "
				    "your key was given to and touches no file "
				    "of the server: this option is refused."));
		}
	}
	return (NULL);
}

/*
 * Run as the forced command of an SSH key: the command the person typed,
 * as NAME, on the data directory the key's line names.
 */
int
cli_ssh_forced(struct cli *c, const char *argv0)
{
	const char	*oc = getenv("SSH_ORIGINAL_COMMAND"), *why;
	char		**words, **argv;
	int		  n, argc, rc, i, fd = -1;

	if (c->data == NULL || c->user != NULL || c->passfile != NULL ||
	    c->given != 0 || c->nargs != 0)
		return (cli_usage(_("--ssh-user goes in an SSH key's forced "
		    "command, with --data and nothing else.")));
	if (account_check_name(c->ssh_user, NULL) != 0)
		return (cli_usage(_("--ssh-user names a dossier account.")));
	paths_set_restricted();		/* the screens too */
	if (oc == NULL || *oc == '\0')
		return (ui_main(c->data, c->ssh_user) == 0 ? CLI_OK :
		    CLI_FAIL);
	if (strlen(oc) > SSH_LINE_MAX || cli_ssh_split(oc, &words, &n) != 0) {
		text_error("%s", _("The command could not be read: quotes that "
		    "do not close, or control characters."));
		return (CLI_USAGE);
	}
	if (n == 0) {
		cli_ssh_words_free(words, n);
		return (ui_main(c->data, c->ssh_user) == 0 ? CLI_OK :
		    CLI_FAIL);
	}
	if ((why = cli_ssh_refused(words, n)) != NULL) {
		text_error("%s", why);
		cli_ssh_words_free(words, n);
		return (CLI_USAGE);
	}
	/* dossier --data DIR --user NAME [--lang L] WORDS... */
	argv = xcalloc(n + 8, sizeof *argv);
	argc = 0;
	argv[argc++] = (char *)argv0;
	argv[argc++] = (char *)"--data";
	argv[argc++] = (char *)c->data;
	argv[argc++] = (char *)"--user";
	argv[argc++] = (char *)c->ssh_user;
	if (c->lang != NULL) {
		argv[argc++] = (char *)"--lang";
		argv[argc++] = (char *)c->lang;
	}
	/*
	 * Without a terminal (ssh -T, to take an export's archive from
	 * standard output), the passphrase is the first line of standard
	 * input, which comes from the person's own machine.
	 */
	if (!isatty(STDIN_FILENO) && (fd = open("/dev/tty", O_RDWR |
	    O_NOCTTY)) == -1) {
		argv[argc++] = (char *)"--passphrase-file";
		argv[argc++] = (char *)"-";
	} else if (fd != -1)
		close(fd);
	for (i = 0; i < n; i++)
		argv[argc++] = words[i];
	argv[argc] = NULL;
	optind = 0;		/* getopt_long() from the start */
	rc = cli_main(argc, argv);
	free(argv);
	cli_ssh_words_free(words, n);
	return (rc);
}

/* The service account's authorized_keys, or the file named. */
static char *
cli_ssh_keyfile(const struct cli *c)
{
	const char	*home = getenv("HOME");
	char		*p;

	if (c->authorized_keys != NULL)
		return (xstrdup(c->authorized_keys));
	if (home == NULL || *home == '\0')
		return (NULL);
	xasprintf(&p, "%s/.ssh", home);
	if (mkdir(p, 0700) != 0 && errno != EEXIST) {
		free(p);
		return (NULL);
	}
	free(p);
	xasprintf(&p, "%s/.ssh/authorized_keys", home);
	return (p);
}

/* "ssh-ed25519 AAAA..." from a public key file; NULL if it is not one. */
static char *
cli_ssh_pubkey(const char *path, char **cause)
{
	const char	*types[] = { "ssh-ed25519", "ssh-rsa",
			    "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
			    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
			    "sk-ecdsa-sha2-nistp256@openssh.com", NULL };
	char		 line[SSH_LINE_MAX], *type, *blob, *save, *out;
	FILE		*f;
	size_t		 i;

	if ((f = fopen(path, "r")) == NULL) {
		err_set(cause, _("Cannot read the key %s: %s."), path,
		    strerror(errno));
		return (NULL);
	}
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	fclose(f);
	type = strtok_r(line, " \t\r\n", &save);
	blob = strtok_r(NULL, " \t\r\n", &save);
	for (i = 0; type != NULL && types[i] != NULL; i++)
		if (strcmp(type, types[i]) == 0)
			break;
	if (type == NULL || types[i] == NULL || blob == NULL ||
	    strspn(blob, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=") != strlen(blob) || strlen(blob) < 16) {
		err_set(cause, _("%s is not an SSH public key (a line such as "
		    "'ssh-ed25519 AAAA... name')."), path);
		return (NULL);
	}
	xasprintf(&out, "%s %s", type, blob);
	return (out);
}

/*
 * Rewrite authorized_keys without the lines of NAME (their comment is
 * "dossier:NAME"), adding line if not NULL.  0600, replaced atomically.
 */
static int
cli_ssh_rewrite(const char *path, const char *name, const char *line,
    int *removed, char **cause)
{
	char	 buf[SSH_LINE_MAX], *tmp, *tag;
	FILE	*in, *out;
	size_t	 taglen;
	int	 fd;

	*removed = 0;
	xasprintf(&tag, " dossier:%s", name);
	taglen = strlen(tag);
	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1 || fchmod(fd, 0600) != 0 ||
	    (out = fdopen(fd, "w")) == NULL) {
		err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno));
		free(tmp);
		free(tag);
		return (-1);
	}
	if ((in = fopen(path, "r")) != NULL) {
		while (fgets(buf, sizeof buf, in) != NULL) {
			size_t	 l = strcspn(buf, "\n");

			if (l >= taglen && strncmp(buf + l - taglen, tag,
			    taglen) == 0) {
				(*removed)++;
				continue;
			}
			fputs(buf, out);
			if (buf[l] != '\n')
				fputc('\n', out);
		}
		fclose(in);
	}
	if (line != NULL)
		fprintf(out, "%s%s\n", line, tag);
	free(tag);
	if (fflush(out) != 0 || fsync(fileno(out)) != 0 || fclose(out) != 0 ||
	    rename(tmp, path) != 0) {
		err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno));
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}

/* A path safe inside the forced command's double quotes. */
static int
cli_ssh_plain(const char *s)
{
	return (strpbrk(s, "\"\\ \t\n'`$") == NULL);
}

static int
cli_ssh_key_add(struct cli_run *r)
{
	char	*key = NULL, *path = NULL, *line, *cause = NULL;
	char	 bin[PATH_MAX], dir[PATH_MAX], *data;
	ssize_t	 len;
	int	 removed, rc;

	if (session_require(r->sess, ACCESS_MANAGE_USERS, &cause) != 0)
		return (cli_fail(cause));
	if (account_check_name(r->argv[0], NULL) != 0)
		return (cli_usage(_("Name a dossier account.")));
	if ((key = cli_ssh_pubkey(r->argv[1], &cause)) == NULL)
		return (cli_fail(cause));
	if ((len = readlink("/proc/self/exe", bin, sizeof bin - 1)) <= 0) {
		free(key);
		return (cli_fail(xstrdup(_("Cannot find this program's own "
		    "path."))));
	}
	bin[len] = '\0';
	data = cli_data_dir(r->c);
	if (data == NULL || realpath(data, dir) == NULL ||
	    !cli_ssh_plain(bin) || !cli_ssh_plain(dir)) {
		free(data);
		free(key);
		return (cli_fail(xstrdup(_("The program's path and the data "
		    "directory's must hold no blank, quote or backslash to go "
		    "in a forced command."))));
	}
	free(data);
	if ((path = cli_ssh_keyfile(r->c)) == NULL) {
		free(key);
		return (cli_fail(xstrdup(_("No home directory for the "
		    "authorized_keys file; use --authorized-keys FILE."))));
	}
	xasprintf(&line, "command=\"%s --data %s --ssh-user %s\",restrict,pty "
	    "%s", bin, dir, r->argv[0], key);
	rc = cli_ssh_rewrite(path, r->argv[0], line, &removed, &cause);
	free(line);
	free(key);
	if (rc != 0) {
		free(path);
		return (cli_fail(cause));
	}
	text_printf(_("%s's key was added to %s: over SSH it runs dossier as "
	    "%s, and nothing else.\n"), r->argv[0], path, r->argv[0]);
	free(path);
	return (CLI_OK);
}

static int
cli_ssh_key_remove(struct cli_run *r)
{
	char	*path, *cause = NULL;
	int	 removed;

	if (session_require(r->sess, ACCESS_MANAGE_USERS, &cause) != 0)
		return (cli_fail(cause));
	if ((path = cli_ssh_keyfile(r->c)) == NULL)
		return (cli_fail(xstrdup(_("No home directory for the "
		    "authorized_keys file; use --authorized-keys FILE."))));
	if (cli_ssh_rewrite(path, r->argv[0], NULL, &removed, &cause) != 0) {
		free(path);
		return (cli_fail(cause));
	}
	text_printf(ngettext("Removed %d key of %s.\n", "Removed %d keys of "
	    "%s.\n", removed), removed, r->argv[0]);
	free(path);
	return (CLI_OK);
}

const struct cli_command cli_ssh_commands[] = {
	{ "ssh-key add", N_("NAME KEYFILE [--authorized-keys FILE]"),
	    N_("let NAME reach dossier over SSH with the public key in "
	    "KEYFILE, and nothing else (administrators)"),
	    CLI_OPT_AUTHKEYS, 2, 2, CLI_SIGNIN, cli_ssh_key_add, NULL },
	{ "ssh-key remove", N_("NAME [--authorized-keys FILE]"),
	    N_("remove NAME's SSH keys"), CLI_OPT_AUTHKEYS, 1, 1, CLI_SIGNIN,
	    cli_ssh_key_remove, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL }
};
