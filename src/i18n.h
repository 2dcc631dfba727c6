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

#endif
