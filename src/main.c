/*
 * main.c: process set-up, then the command line.
 */
#include "config.h"

#include <sys/stat.h>

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "paths.h"
#include "i18n.h"
#include "util.h"
#include "vault.h"

/*
 * --lang must act before any message is translated, so it is looked for
 * here, ahead of the full option parsing.
 */
static void
main_language(int argc, char **argv)
{
	const char	*lang = NULL;
	int		 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[i + 1];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
	}
	if (lang == NULL)
		return;
	/* LANGUAGE is ignored in the C locale: leave it for C.UTF-8. */
	setenv("LANGUAGE", lang, 1);
	if (strcmp(lang, "fr") == 0 &&
	    setlocale(LC_MESSAGES, "fr_FR.UTF-8") == NULL)
		setlocale(LC_MESSAGES, "C.UTF-8");
	else if (strcmp(lang, "fr") != 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
}

/*
 * A full disk shows as SIGBUS when Berkeley DB touches a page of its
 * memory-mapped region files.  Nothing committed is lost (the log is
 * written with write(2), which reports ENOSPC): say so in one sentence and
 * leave; the next open recovers.  The message is made before it is needed,
 * since a handler may not translate or allocate.
 */
static char	main_bus_msg[512];

static void
main_sigbus(int sig)
{
	ssize_t	 n;

	(void)sig;
	n = write(STDERR_FILENO, main_bus_msg, strlen(main_bus_msg));
	(void)n;
	_exit(1);
}

static void
main_disk_full_handler(void)
{
	struct sigaction	 sa;

	snprintf(main_bus_msg, sizeof main_bus_msg, "\ndossier: %s\n",
	    _("The disk holding the data directory is full (or the data "
	    "directory's memory files could not grow). Nothing that was saved "
	    "is lost; free some space and open dossier again: it recovers."));
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

int
main(int argc, char **argv)
{
	char	*cause = NULL;
	const char *ld;

	umask(007);
	setlocale(LC_ALL, "");
	main_language(argc, argv);
	ld = paths_locale_dir();
	bindtextdomain(PACKAGE, ld);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);

	main_disk_full_handler();
	if (harden_process() != 0)
		fprintf(stderr, "dossier: %s\n",
		    _("warning: core dumps could not be disabled."));
	if (vault_init(&cause) != 0) {
		fprintf(stderr, "dossier: %s\n", cause);
		free(cause);
		return (CLI_FAIL);
	}
	return (cli_main(argc, argv));
}
