/*
 * keymap.c: the actions of each screen and the keys bound to them.
 *
 * keys/default.keys holds the shipped bindings.  keymap_create() starts
 * from a minimal built-in map (arrows, Enter, Esc, q, ?) so that the
 * application stays usable when no keys file can be read; the shipped and
 * the user's files are then read over it.  A key bound in a file replaces
 * the keys the built-in map gave that action, so a user who rebinds "down"
 * to "s" no longer has Down arrow unless they list it too.
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "keymap.h"
#include "util.h"

static const struct keymap_action keymap_global[] = {
	{ "help", N_("Help"), 1, NULL },
	{ "redraw", N_("Redraw"), 0, NULL },
};
static const struct keymap_action keymap_list[] = {
	{ "down", N_("Down"), 0, NULL },
	{ "up", N_("Up"), 0, NULL },
	{ "page-down", N_("Page down"), 0, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "top", N_("First"), 0, NULL },
	{ "bottom", N_("Last"), 0, NULL },
	{ "open", N_("Open"), 1, NULL },
	{ "search", N_("Search"), 1, NULL },
	{ "search-next", N_("Next match"), 0, NULL },
	{ "filter", N_("Filter"), 1, NULL },
	{ "my-overdue", N_("My overdue"), 0, NULL },
	{ "sort", N_("Sort"), 0, NULL },
	{ "all-mine", N_("All/mine"), 0, NULL },
	{ "intake", N_("New complaint"), 1, NULL },
	{ "dashboard", N_("Dashboard"), 1, NULL },
	{ "users", N_("Users"), 0, NULL },
	{ "audit", N_("Audit log"), 0, NULL },
	{ "quit", N_("Quit"), 1, NULL },
};
static const struct keymap_action keymap_case[] = {
	{ "down", N_("Down"), 0, NULL },
	{ "up", N_("Up"), 0, NULL },
	{ "page-down", N_("Page down"), 0, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "top", N_("First"), 0, NULL },
	{ "bottom", N_("Last"), 0, NULL },
	{ "open", N_("Open"), 1, NULL },
	{ "edit", N_("Edit"), 1, NULL },
	{ "add", N_("Add"), 1, NULL },
	{ "move", N_("Move"), 1, N_("Pick one of the moves your role may "
	    "make, give a reason (some moves require one), then confirm, "
	    "seeing the state the case goes to and its new deadline.") },
	{ "witnesses", N_("Identities"), 0, N_("Show witnesses by pseudonym "
	    "only, or with their names where you hold their key (each view "
	    "is audited).") },
	{ "journal", N_("Journal"), 1, NULL },
	{ "assign", N_("Investigators"), 0, N_("Tick the investigators "
	    "assigned to the case: each receives the case's key.") },
	{ "grant", N_("Give a key"), 0, N_("Give the case's key, or the key "
	    "of a witness you hold, to someone who has not got it "
	    "(audited).") },
	{ "revoke", N_("Take a key back"), 0, N_("Take a key you gave back "
	    "from its holder (audited).") },
	{ "event", N_("Event"), 0, N_("Record an event at any stage, such as "
	    "a referral to the public prosecutor, with a few words.") },
	{ "request", N_("Ask for the key"), 0, N_("Ask a holder for the key "
	    "of a witness you see by pseudonym only; they see the request "
	    "when they sign in.") },
	{ "export", N_("Export"), 0, N_("Write a signed summary: asks the "
	    "format (text, Markdown, JSON), whether to include witness "
	    "identities where you hold their key (audited), and if not, "
	    "whether to leave out names and personal details for third "
	    "parties; then the file, written with FILE.minisig. Not "
	    "available over SSH.") },
	{ "back", N_("Back"), 1, NULL },
};
static const struct keymap_action keymap_form[] = {
	{ "down", N_("Next field"), 0, NULL },
	{ "up", N_("Previous field"), 0, NULL },
	{ "page-down", N_("Page down"), 0, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "edit", N_("Edit field"), 1, NULL },
	{ "save", N_("Save"), 1, NULL },
	{ "cancel", N_("Cancel"), 1, NULL },
};
static const struct keymap_action keymap_edit[] = {
	{ "accept", N_("Accept"), 1, NULL },
	{ "cancel", N_("Cancel"), 1, NULL },
	{ "left", N_("Left"), 0, NULL },
	{ "right", N_("Right"), 0, NULL },
	{ "home", N_("Start of line"), 0, NULL },
	{ "end", N_("End of line"), 0, NULL },
	{ "backspace", N_("Delete back"), 0, NULL },
	{ "delete", N_("Delete"), 0, NULL },
	{ "clear", N_("Clear"), 0, NULL },
	{ "line-up", N_("Line up"), 0, NULL },
	{ "line-down", N_("Line down"), 0, NULL },
};
static const struct keymap_action keymap_pick[] = {
	{ "down", N_("Down"), 0, NULL },
	{ "up", N_("Up"), 0, NULL },
	{ "page-down", N_("Page down"), 0, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "top", N_("First"), 0, NULL },
	{ "bottom", N_("Last"), 0, NULL },
	{ "toggle", N_("Toggle"), 1, NULL },
	{ "accept", N_("Choose"), 1, NULL },
	{ "cancel", N_("Cancel"), 1, NULL },
};
static const struct keymap_action keymap_dashboard[] = {
	{ "down", N_("Down"), 0, NULL },
	{ "up", N_("Up"), 0, NULL },
	{ "page-down", N_("Page down"), 0, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "top", N_("First"), 0, NULL },
	{ "bottom", N_("Last"), 0, NULL },
	{ "open", N_("Open list"), 1, NULL },
	{ "stats", N_("Statistics"), 1, NULL },
	{ "followup", N_("Recommendations"), 1, NULL },
	{ "audit", N_("Audit log"), 0, NULL },
	{ "back", N_("Back"), 1, NULL },
};
static const struct keymap_action keymap_admin[] = {
	{ "down", N_("Down"), 0, NULL },
	{ "up", N_("Up"), 0, NULL },
	{ "page-down", N_("Page down"), 0, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "top", N_("First"), 0, NULL },
	{ "bottom", N_("Last"), 0, NULL },
	{ "add", N_("Add an account"), 1, NULL },
	{ "toggle", N_("Disable/enable"), 1, NULL },
	{ "approve", N_("Approve"), 1, NULL },
	{ "back", N_("Back"), 1, NULL },
};
static const struct keymap_action keymap_view[] = {
	{ "down", N_("Down"), 0, NULL },
	{ "up", N_("Up"), 0, NULL },
	{ "page-down", N_("Page down"), 1, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "top", N_("First"), 0, NULL },
	{ "bottom", N_("Last"), 0, NULL },
	{ "edit", N_("Edit"), 1, NULL },
	{ "attach", N_("Attach a file"), 1, NULL },
	{ "back", N_("Back"), 1, NULL },
};
static const struct keymap_action keymap_help[] = {
	{ "down", N_("Down"), 0, NULL },
	{ "up", N_("Up"), 0, NULL },
	{ "page-down", N_("Page down"), 0, NULL },
	{ "page-up", N_("Page up"), 0, NULL },
	{ "top", N_("First"), 0, NULL },
	{ "bottom", N_("Last"), 0, NULL },
	/* The statistics' pages only. */
	{ "dimension", N_("Count by"), 1, N_("Pick what to count by (or "
	    "every count), then what to cross it with (or nothing).") },
	{ "publish", N_("Publish view"), 1, N_("Hide small counts as "
	    "'dossier stats --publish' does (threshold 5), or show them "
	    "again.") },
	{ "back", N_("Back"), 1, NULL },
};

#define N(a) (sizeof (a) / sizeof (a)[0])
static const struct {
	const char			*name;
	const struct keymap_action	*actions;
	size_t				 n;
} keymap_screens[KEYMAP_NSCREENS] = {
	[KEYMAP_GLOBAL] = { "global", keymap_global, N(keymap_global) },
	[KEYMAP_LIST] = { "list", keymap_list, N(keymap_list) },
	[KEYMAP_CASE] = { "case", keymap_case, N(keymap_case) },
	[KEYMAP_FORM] = { "form", keymap_form, N(keymap_form) },
	[KEYMAP_EDIT] = { "edit", keymap_edit, N(keymap_edit) },
	[KEYMAP_PICK] = { "pick", keymap_pick, N(keymap_pick) },
	[KEYMAP_DASHBOARD] = { "dashboard", keymap_dashboard,
	    N(keymap_dashboard) },
	[KEYMAP_ADMIN] = { "admin", keymap_admin, N(keymap_admin) },
	[KEYMAP_HELP] = { "help", keymap_help, N(keymap_help) },
	[KEYMAP_VIEW] = { "view", keymap_view, N(keymap_view) },
};

/* The built-in map: enough to move, open, go back and get help. */
static const struct {
	enum keymap_screen	 screen;
	const char		*action;
	int			 key;
} keymap_builtin[] = {
	{ KEYMAP_GLOBAL, "help", '?' },
	{ KEYMAP_LIST, "down", KEYC_DOWN }, { KEYMAP_LIST, "up", KEYC_UP },
	{ KEYMAP_LIST, "open", KEYC_ENTER }, { KEYMAP_LIST, "quit", 'q' },
	{ KEYMAP_CASE, "down", KEYC_DOWN }, { KEYMAP_CASE, "up", KEYC_UP },
	{ KEYMAP_CASE, "open", KEYC_ENTER }, { KEYMAP_CASE, "back", KEYC_ESC },
	{ KEYMAP_FORM, "down", KEYC_DOWN }, { KEYMAP_FORM, "up", KEYC_UP },
	{ KEYMAP_FORM, "edit", KEYC_ENTER }, { KEYMAP_FORM, "save", KEYC_F1 + 1 },
	{ KEYMAP_FORM, "cancel", KEYC_ESC },
	{ KEYMAP_EDIT, "accept", KEYC_ENTER }, { KEYMAP_EDIT, "cancel", KEYC_ESC },
	{ KEYMAP_EDIT, "left", KEYC_LEFT }, { KEYMAP_EDIT, "right", KEYC_RIGHT },
	{ KEYMAP_EDIT, "backspace", KEYC_BSPACE },
	{ KEYMAP_PICK, "down", KEYC_DOWN }, { KEYMAP_PICK, "up", KEYC_UP },
	{ KEYMAP_PICK, "toggle", ' ' }, { KEYMAP_PICK, "accept", KEYC_ENTER },
	{ KEYMAP_PICK, "cancel", KEYC_ESC },
	{ KEYMAP_DASHBOARD, "down", KEYC_DOWN }, { KEYMAP_DASHBOARD, "up", KEYC_UP },
	{ KEYMAP_DASHBOARD, "open", KEYC_ENTER },
	{ KEYMAP_DASHBOARD, "back", KEYC_ESC },
	{ KEYMAP_ADMIN, "down", KEYC_DOWN }, { KEYMAP_ADMIN, "up", KEYC_UP },
	{ KEYMAP_ADMIN, "back", KEYC_ESC },
	{ KEYMAP_HELP, "down", KEYC_DOWN }, { KEYMAP_HELP, "up", KEYC_UP },
	{ KEYMAP_HELP, "back", KEYC_ESC },
	{ KEYMAP_VIEW, "down", KEYC_DOWN }, { KEYMAP_VIEW, "up", KEYC_UP },
	{ KEYMAP_VIEW, "back", KEYC_ESC },
};

static const struct {
	const char	*name;
	int		 key;
} keymap_names[] = {
	{ "Up", KEYC_UP }, { "Down", KEYC_DOWN }, { "Left", KEYC_LEFT },
	{ "Right", KEYC_RIGHT }, { "Enter", KEYC_ENTER }, { "Esc", KEYC_ESC },
	{ "Tab", KEYC_TAB }, { "BTab", KEYC_BTAB }, { "PgUp", KEYC_PGUP },
	{ "PgDn", KEYC_PGDN }, { "Home", KEYC_HOME }, { "End", KEYC_END },
	{ "Backspace", KEYC_BSPACE }, { "Delete", KEYC_DC }, { "Space", ' ' },
};

const char *
keymap_screen_name(enum keymap_screen s)
{
	return (keymap_screens[s].name);
}

const struct keymap_action *
keymap_actions(enum keymap_screen s, size_t *n)
{
	*n = keymap_screens[s].n;
	return (keymap_screens[s].actions);
}

static int
keymap_action_index(enum keymap_screen s, const char *name)
{
	size_t	 i;

	for (i = 0; i < keymap_screens[s].n; i++)
		if (strcmp(keymap_screens[s].actions[i].name, name) == 0)
			return ((int)i);
	return (-1);
}

static void
keymap_bind(struct keymap *km, enum keymap_screen s, int a, int key)
{
	struct keymap_binding	*b = &km->bind[s][a];

	if (b->nkeys < KEYMAP_MAXKEYS)
		b->keys[b->nkeys++] = key;
}

/* A key may serve one action per screen: unbind it elsewhere first. */
static void
keymap_unbind_key(struct keymap *km, enum keymap_screen s, int key)
{
	struct keymap_binding	*b;
	size_t			 a, i;

	for (a = 0; a < keymap_screens[s].n; a++) {
		b = &km->bind[s][a];
		for (i = 0; i < b->nkeys; i++) {
			if (b->keys[i] != key)
				continue;
			memmove(&b->keys[i], &b->keys[i + 1],
			    (b->nkeys - i - 1) * sizeof b->keys[0]);
			b->nkeys--;
			i--;
		}
	}
}

struct keymap *
keymap_create(void)
{
	struct keymap	*km;
	size_t		 i;
	int		 a;

	km = xcalloc(1, sizeof *km);
	for (i = 0; i < KEYMAP_NSCREENS; i++)
		km->bind[i] = xcalloc(keymap_screens[i].n, sizeof *km->bind[i]);
	for (i = 0; i < N(keymap_builtin); i++) {
		a = keymap_action_index(keymap_builtin[i].screen,
		    keymap_builtin[i].action);
		keymap_bind(km, keymap_builtin[i].screen, a,
		    keymap_builtin[i].key);
	}
	return (km);
}

void
keymap_free(struct keymap *km)
{
	size_t	 i;

	if (km == NULL)
		return;
	for (i = 0; i < KEYMAP_NSCREENS; i++)
		free(km->bind[i]);
	free(km);
}

int
keymap_key_parse(const char *s, int *key)
{
	unsigned char	 c = (unsigned char)s[0];
	unsigned int	 cp;
	size_t		 i, n;
	char		*end;
	long		 f;

	for (i = 0; i < N(keymap_names); i++) {
		if (strcmp(s, keymap_names[i].name) == 0) {
			*key = keymap_names[i].key;
			return (0);
		}
	}
	if (s[0] == 'C' && s[1] == '-' && s[2] >= 'a' && s[2] <= 'z' &&
	    s[3] == '\0') {
		*key = s[2] - 'a' + 1;
		return (0);
	}
	if (s[0] == 'F' && s[1] >= '1' && s[1] <= '9') {
		f = strtol(s + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= 12) {
			*key = KEYC_F1 + (int)f - 1;
			return (0);
		}
	}
	/* One printable character, possibly multibyte UTF-8. */
	if (c < 0x80)
		n = 1, cp = c;
	else if ((c & 0xe0) == 0xc0)
		n = 2, cp = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		n = 3, cp = c & 0x0f;
	else
		return (-1);
	for (i = 1; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return (-1);
		cp = cp << 6 | ((unsigned char)s[i] & 0x3f);
	}
	if (s[n] != '\0' || cp < 0x21 || cp == 0x7f)
		return (-1);
	*key = (int)cp;
	return (0);
}

void
keymap_key_name(int key, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < N(keymap_names); i++) {
		if (keymap_names[i].key == key) {
			snprintf(buf, len, "%s", keymap_names[i].name);
			return;
		}
	}
	if (key >= 1 && key <= 26)
		snprintf(buf, len, "C-%c", 'a' + key - 1);
	else if (key >= KEYC_F1 && key <= KEYC_F12)
		snprintf(buf, len, "F%d", key - KEYC_F1 + 1);
	else if (key < 0x80)
		snprintf(buf, len, "%c", key);
	else if (key < 0x800)
		snprintf(buf, len, "%c%c", 0xc0 | (key >> 6),
		    0x80 | (key & 0x3f));
	else
		snprintf(buf, len, "%c%c%c", 0xe0 | (key >> 12),
		    0x80 | ((key >> 6) & 0x3f), 0x80 | (key & 0x3f));
}

struct keymap_parse {
	struct keymap	*km;
	int		 screen;
	char		*reason;
	int		 fresh[KEYMAP_NSCREENS][64]; /* action rebound in file */
};

/* Keep the first error: libinih reports the first bad line's number. */

static int
keymap_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct keymap_parse	*p = user;
	size_t			 i;
	int			 a, key;

	for (i = 0; i < KEYMAP_NSCREENS; i++)
		if (strcmp(section, keymap_screens[i].name) == 0)
			break;
	if (i == KEYMAP_NSCREENS)
		return (err_first(&p->reason, _("unknown screen [%s]"), section));
	if (keymap_key_parse(name, &key) != 0)
		return (err_first(&p->reason, _("'%s' is not a key name"), name));
	if ((a = keymap_action_index(i, value)) == -1)
		return (err_first(&p->reason, _("the %s screen has no action '%s'"),
		    keymap_screens[i].name, value));
	if (a < 64 && !p->fresh[i][a]) {
		/* The file's keys for this action replace the old ones. */
		p->km->bind[i][a].nkeys = 0;
		p->fresh[i][a] = 1;
	}
	keymap_unbind_key(p->km, i, key);
	keymap_bind(p->km, i, a, key);
	return (1);
}

int
keymap_load(struct keymap *km, const char *path, char **cause)
{
	struct keymap_parse	*p;
	struct keymap		*copy;
	size_t			 i;
	int			 rc;

	if (form_precheck(path, cause) != 0)
		return (-1);
	/* Work on a copy: a bad file changes nothing. */
	copy = keymap_create();
	for (i = 0; i < KEYMAP_NSCREENS; i++)
		memcpy(copy->bind[i], km->bind[i], keymap_screens[i].n *
		    sizeof *km->bind[i]);
	p = xcalloc(1, sizeof *p);
	p->km = copy;
	rc = ini_parse(path, keymap_handler, p);
	if (rc == -1)
		err_set(cause, _("Cannot read %s: %s."), path, strerror(errno));
	else if (rc != 0)
		err_set(cause, "%s:%d: %s.", path, rc, p->reason != NULL ?
		    p->reason : _("not a valid line (expected [screen] or "
		    "key = action)"));
	else {
		for (i = 0; i < KEYMAP_NSCREENS; i++)
			memcpy(km->bind[i], copy->bind[i], keymap_screens[i].n *
			    sizeof *km->bind[i]);
	}
	free(p->reason);
	free(p);
	keymap_free(copy);
	return (rc == 0 ? 0 : -1);
}

const char *
keymap_lookup(const struct keymap *km, enum keymap_screen s, int key)
{
	size_t	 a, i;
	int	 pass;
	enum keymap_screen scr;

	for (pass = 0; pass < 2; pass++) {
		scr = pass == 0 ? s : KEYMAP_GLOBAL;
		for (a = 0; a < keymap_screens[scr].n; a++)
			for (i = 0; i < km->bind[scr][a].nkeys; i++)
				if (km->bind[scr][a].keys[i] == key)
					return (keymap_screens[scr].actions[a].name);
		if (s == KEYMAP_EDIT)
			break;	/* typing '?' in a field is text */
	}
	return (NULL);
}

void
keymap_first_key(const struct keymap *km, enum keymap_screen s,
    const char *action, char *buf, size_t len)
{
	int	 a = keymap_action_index(s, action);

	if (a == -1 || km->bind[s][a].nkeys == 0) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	keymap_key_name(km->bind[s][a].keys[0], buf, len);
}
