/*
 * paths.h: where the program finds what it reads at run time: the forms
 * and workflows, the key maps, the message catalogues, and a user's own
 * settings.  The one module that decides it, so that the screens and the
 * command line need nothing of each other to find their files.
 *
 * An installed program reads $(pkgdatadir); one run from its build tree
 * (before 'make install') reads the source tree's files.  The tests point
 * at the source tree with DOSSIER_FORMS, DOSSIER_KEYS and
 * DOSSIER_LOCALEDIR.
 */
#ifndef PATHS_H
#define PATHS_H

const char	*paths_forms_dir(void);
const char	*paths_keys_dir(void);
const char	*paths_locale_dir(void);
/* Over SSH (a forced command): no path typed reaches the server's files. */
void		 paths_set_restricted(void);
int		 paths_restricted(void);
/* ~/.config/dossier/NAME (or under $XDG_CONFIG_HOME); NULL if no home. */
char		*paths_config_file(const char *);

#endif
