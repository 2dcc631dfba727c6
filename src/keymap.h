/*
 * keymap.h: keys -> action names, per screen (design.md section 5,
 * dossier-keys(5)).
 *
 * Keys are Unicode code points (printable characters), control keys
 * (C-a is 1) or the KEYC_* codes below; the terminal layer translates
 * curses' codes into these, so this module knows nothing of curses.  The
 * actions of each screen, with the label shown in the hint bar and help,
 * are a const table here; their default keys are in keys/default.keys, a
 * user's ~/.config/dossier/keys overrides them.
 */
#ifndef KEYMAP_H
#define KEYMAP_H

#include <stddef.h>

#define KEYC_BASE	0x200000
enum {
	KEYC_UP = KEYC_BASE, KEYC_DOWN, KEYC_LEFT, KEYC_RIGHT, KEYC_ENTER,
	KEYC_ESC, KEYC_TAB, KEYC_BTAB, KEYC_PGUP, KEYC_PGDN, KEYC_HOME,
	KEYC_END, KEYC_BSPACE, KEYC_DC, KEYC_F1, KEYC_F12 = KEYC_F1 + 11,
	KEYC_RESIZE, KEYC_NONE
};

enum keymap_screen {
	KEYMAP_GLOBAL, KEYMAP_LIST, KEYMAP_CASE, KEYMAP_FORM, KEYMAP_EDIT,
	KEYMAP_PICK, KEYMAP_DASHBOARD, KEYMAP_ADMIN, KEYMAP_HELP,
	KEYMAP_VIEW, KEYMAP_NSCREENS
};

struct keymap_action {
	const char	*name;		/* "down", "open", ... never translated */
	const char	*label;		/* N_() label for the hint bar and help */
	int		 hint;		/* shown in the bottom hint bar */
	/* What it asks and does, for the help screen (N_(), or NULL). */
	const char	*about;
};

#define KEYMAP_MAXKEYS	8

struct keymap_binding {
	int		 keys[KEYMAP_MAXKEYS];
	size_t		 nkeys;
};

struct keymap {
	struct keymap_binding	*bind[KEYMAP_NSCREENS];	/* per action */
};

const char	*keymap_screen_name(enum keymap_screen);
const struct keymap_action *keymap_actions(enum keymap_screen, size_t *);

struct keymap	*keymap_create(void);
void		 keymap_free(struct keymap *);
/* Read a keys file over the current bindings; -1 + cause on a bad line. */
int		 keymap_load(struct keymap *, const char *, char **);
/* The action bound to key on screen (then global), or NULL. */
const char	*keymap_lookup(const struct keymap *, enum keymap_screen, int);
/* The key's name ("j", "Down", "C-l") into buf. */
void		 keymap_key_name(int, char *, size_t);
int		 keymap_key_parse(const char *, int *);
/* The first key bound to an action, named, or "" when none. */
void		 keymap_first_key(const struct keymap *, enum keymap_screen,
		    const char *, char *, size_t);

#endif
