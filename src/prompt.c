/*
 * prompt.c: passphrase input for the command line.
 *
 * Passphrases are read byte by byte with read(2) straight into protected
 * memory: no stdio buffer keeps a copy.  On a terminal, echo is turned off
 * and restored even when the user presses ^C.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "i18n.h"
#include "prompt.h"
#include "util.h"
#include "vault.h"

#define PROMPT_SIZE	(PROMPT_PASS_MAX + 2)

static volatile sig_atomic_t prompt_interrupted;

static void
prompt_signal(int sig)
{
	prompt_interrupted = 1;
}

void
prompt_free(char *pass)
{
	vault_free(pass);	/* sodium_free wipes. */
}

/* Read one line from fd into buf; -1 on error, -2 if too long. */
static int
prompt_read_line(int fd, char *buf, size_t size, size_t *len)
{
	size_t	 n = 0;
	ssize_t	 r;
	char	 c;

	for (;;) {
		r = read(fd, &c, 1);
		if (r == -1 && errno == EINTR && !prompt_interrupted)
			continue;
		if (r == -1)
			return (-1);
		if (r == 0 || c == '\n')
			break;
		if (n + 1 >= size) {
			c = 0;
			return (-2);
		}
		buf[n++] = c;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = n;
	c = 0;
	return (0);
}

static int
prompt_from_file(const char *path, char **pass, size_t *len, char **cause)
{
	char	*buf;
	int	 fd, rc;

	/* "-": standard input, which stays open. */
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY)) == -1)
		return (err_set(cause, _("Cannot read the passphrase file %s: "
		    "%s."), path, strerror(errno)));
	buf = vault_alloc(PROMPT_SIZE);
	rc = prompt_read_line(fd, buf, PROMPT_SIZE, len);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == -2) {
		prompt_free(buf);
		return (err_set(cause, _("The passphrase in %s is too long."),
		    path));
	}
	if (rc != 0) {
		prompt_free(buf);
		return (err_set(cause, _("Cannot read the passphrase file %s: "
		    "%s."), path, strerror(errno)));
	}
	if (*len == 0) {
		prompt_free(buf);
		return (err_set(cause, _("The first line of %s is empty; it "
		    "must hold the passphrase."), path));
	}
	*pass = buf;
	return (0);
}

static int
prompt_from_tty(const char *prompt, char **pass, size_t *len, char **cause)
{
	struct termios		 old, noecho;
	struct sigaction	 sa, oldint, oldterm, oldhup;
	char			*buf;
	int			 fd, rc;

	if ((fd = open("/dev/tty", O_RDWR|O_NOCTTY)) == -1)
		return (err_set(cause, _("There is no terminal to ask for the "
		    "passphrase; use --passphrase-file.")));
	if (tcgetattr(fd, &old) != 0) {
		close(fd);
		return (err_set(cause, _("Cannot turn off echo on the terminal; "
		    "use --passphrase-file.")));
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = prompt_signal;	/* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	prompt_interrupted = 0;
	sigaction(SIGINT, &sa, &oldint);
	sigaction(SIGTERM, &sa, &oldterm);
	sigaction(SIGHUP, &sa, &oldhup);
	noecho = old;
	noecho.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	tcsetattr(fd, TCSAFLUSH, &noecho);
	(void)write(fd, prompt, strlen(prompt));

	buf = vault_alloc(PROMPT_SIZE);
	rc = prompt_read_line(fd, buf, PROMPT_SIZE, len);

	tcsetattr(fd, TCSAFLUSH, &old);
	(void)write(fd, "\n", 1);
	sigaction(SIGINT, &oldint, NULL);
	sigaction(SIGTERM, &oldterm, NULL);
	sigaction(SIGHUP, &oldhup, NULL);
	close(fd);
	if (prompt_interrupted) {
		prompt_free(buf);
		return (err_set(cause, _("Cancelled.")));
	}
	if (rc == -2) {
		prompt_free(buf);
		return (err_set(cause, _("The passphrase is too long.")));
	}
	if (rc != 0 || *len == 0) {
		prompt_free(buf);
		return (err_set(cause, _("No passphrase was given.")));
	}
	*pass = buf;
	return (0);
}

int
prompt_passphrase(const char *file, const char *prompt, char **pass,
    size_t *len, char **cause)
{
	*pass = NULL;
	if (file != NULL && strcmp(file, "-") == 0)
		(void)write(STDERR_FILENO, prompt, strlen(prompt));
	if (file != NULL)
		return (prompt_from_file(file, pass, len, cause));
	return (prompt_from_tty(prompt, pass, len, cause));
}

/*
 * A new passphrase: from the file, or typed twice on the terminal, with
 * the rule it must follow (hint) on the line before the first prompt.
 */
int
prompt_new_passphrase(const char *file, const char *hint, const char *prompt,
    char **pass, size_t *len, char **cause)
{
	char	*again, *first;
	size_t	 againlen;
	int	 rc;

	if (file != NULL)
		return (prompt_passphrase(file, prompt, pass, len, cause));
	xasprintf(&first, "%s\n%s", hint, prompt);
	rc = prompt_passphrase(NULL, first, pass, len, cause);
	free(first);
	if (rc != 0)
		return (-1);
	if (prompt_from_tty(_("Type it again: "), &again, &againlen,
	    cause) != 0) {
		prompt_free(*pass);
		*pass = NULL;
		return (-1);
	}
	if (againlen != *len || memcmp(again, *pass, againlen) != 0) {
		prompt_free(again);
		prompt_free(*pass);
		*pass = NULL;
		return (err_set(cause, _("The two passphrases differ; nothing "
		    "was changed.")));
	}
	prompt_free(again);
	return (0);
}
