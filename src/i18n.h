/*
 * i18n.h: the gettext macros.  Every user-visible string goes through _()
 * (or N_() where it must stay a constant).  Key-map action names and form
 * field ids are never translated.
 */
#ifndef I18N_H
#define I18N_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)
/*
 * A constant msgid in a context (gettext's msgctxt), for words that are
 * translated apart from the same English word elsewhere: the key "Down"
 * (Bas) is not the action "Down" (Descendre).  i18n_context() translates
 * it, or gives back the English word.
 */
#define NC_(c, s)	(c "\004" s)

static inline const char *
i18n_context(const char *cs)
{
	const char	*t = gettext(cs), *eot;

	if (t != cs)
		return (t);
	for (eot = cs; *eot != '\0' && *eot != '\004'; eot++)
		;
	return (*eot == '\004' ? eot + 1 : cs);
}

#endif
