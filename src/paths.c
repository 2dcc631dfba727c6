/*
 * paths.c: see paths.h.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

/*
 * The installed copy; a program not installed yet (run from its build
 * tree, as the tests do) takes the directory the environment names, else
 * the source tree's.  An installed program never takes its forms from the
 * environment: a forms file decides what is encrypted.
 */
static const char *
paths_pick(const char *env, const char *installed, const char *source,
    const char *probe)
{
	const char	*dir;
	char		*p;
	int		 here;

	xasprintf(&p, "%s/%s", installed, probe);
	here = access(p, R_OK) == 0;
	free(p);
	if (here)
		return (installed);
	if ((dir = getenv(env)) != NULL && *dir != '\0')
		return (dir);
	xasprintf(&p, "%s/%s", source, probe);
	here = access(p, R_OK) == 0;
	free(p);
	return (here ? source : installed);
}

const char *
paths_forms_dir(void)
{
	return (paths_pick("DOSSIER_FORMS", DOSSIER_DATADIR "/forms",
	    DOSSIER_SRCDIR "/forms", "lists.ini"));
}

const char *
paths_keys_dir(void)
{
	return (paths_pick("DOSSIER_KEYS", DOSSIER_DATADIR "/keys",
	    DOSSIER_SRCDIR "/keys", "default.keys"));
}

const char *
paths_locale_dir(void)
{
	return (paths_pick("DOSSIER_LOCALEDIR", LOCALEDIR,
	    DOSSIER_BUILDDIR "/po/locale", "fr/LC_MESSAGES/" PACKAGE ".mo"));
}

char *
paths_config_file(const char *name)
{
	const char	*base = getenv("XDG_CONFIG_HOME"), *home;
	char		*p;

	if (base != NULL && *base != '\0')
		xasprintf(&p, "%s/dossier/%s", base, name);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		xasprintf(&p, "%s/.config/dossier/%s", home, name);
	else
		p = NULL;
	return (p);
}

/*
 * Run as an SSH key's forced command (cli-ssh.c): nothing reaches the
 * server's files by a path the person types.
 */
static int	paths_restricted_flag;

void
paths_set_restricted(void)
{
	paths_restricted_flag = 1;
}

int
paths_restricted(void)
{
	return (paths_restricted_flag);
}
