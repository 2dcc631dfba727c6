/*
 * ui-help.c: the help screen, generated from the key map of the screen
 * it was asked from (and the global keys), so it never lies; read in the
 * pager (ui-pager.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/* The screens as users name them. */
static const char *help_screens[KEYMAP_NSCREENS] = {
	[KEYMAP_GLOBAL] = N_("every screen"),
	[KEYMAP_LIST] = N_("case list"),
	[KEYMAP_CASE] = N_("case"),
	[KEYMAP_FORM] = N_("form"),
	[KEYMAP_EDIT] = N_("field editor"),
	[KEYMAP_PICK] = N_("choice list"),
	[KEYMAP_DASHBOARD] = N_("dashboard"),
	[KEYMAP_ADMIN] = N_("accounts"),
	[KEYMAP_HELP] = N_("help"),
	[KEYMAP_VIEW] = N_("record or journal"),
};

/* Screens that share another's keys, named for themselves. */
static const struct {
	const char	*screen;
	const char	*label;
} help_own[] = {
	{ "audit", N_("audit log") },
	{ "stats", N_("statistics") },
	{ "followup", N_("follow-up of recommendations") },
};

static const char *
help_screen_label(const struct screen *sc)
{
	size_t	 i;

	for (i = 0; i < sizeof help_own / sizeof help_own[0]; i++)
		if (strcmp(sc->name, help_own[i].screen) == 0)
			return (_(help_own[i].label));
	return (_(help_screens[sc->keys]));
}

/* Headings stand out; the lines under them are indented. */
static void
help_add(struct ui_pager *h, const char *line)
{
	ui_pager_add(h, line[0] != ' ' ? UI_TITLE : UI_NORMAL, line);
}

/* The keys bound to action i of screen s, named in the user's language. */
static void
help_keys(struct ui *ui, enum keymap_screen s, size_t i, char *keys,
    size_t len)
{
	const struct keymap_binding	*b = &ui->keymap->bind[s][i];
	char				 key[32];
	size_t				 k;

	keys[0] = '\0';
	for (k = 0; k < b->nkeys; k++) {
		keymap_key_name(b->keys[k], key, sizeof key);
		ui_key_label(key, sizeof key);
		if (strlen(keys) + strlen(key) + 2 < len)
			snprintf(keys + strlen(keys), len - strlen(keys),
			    "%s%s", k ? " " : "", key);
	}
}

/* The widest keys column of a screen's actions. */
static int
help_keys_width(struct ui *ui, enum keymap_screen s)
{
	char	 keys[96];
	size_t	 n, i;
	int	 w = ui_text_width(_("(no key)"));

	keymap_actions(s, &n);
	for (i = 0; i < n; i++) {
		help_keys(ui, s, i, keys, sizeof keys);
		if (ui_text_width(keys) > w)
			w = ui_text_width(keys);
	}
	return (w);
}

/* Text wrapped at words, each row indented by indent columns. */
static void
help_about(int cols, struct ui_pager *h, const char *text, int indent)
{
	char	**lines, *row;
	size_t	  n, i;

	n = text_wrap(text, cols - indent - 1, &lines);
	for (i = 0; i < n; i++) {
		xasprintf(&row, "%*s%s", indent, "", lines[i]);
		ui_pager_add(h, UI_DIM, row);
		free(row);
	}
	text_lines_free(lines, n);
}

/*
 * One line per action: its keys as the user's language names them, what
 * it does, and the action's name for dossier-keys(5) files.  Columns are
 * laid out by display width.
 */
static void
help_screen(struct ui *ui, struct ui_pager *h, int cols, enum keymap_screen s,
    int kw, const struct screen *sc, void *data)
{
	const struct keymap_action	*acts;
	char				 keys[96], *line, *full;
	size_t				 n, i;

	acts = keymap_actions(s, &n);
	for (i = 0; i < n; i++) {
		/* Only what this user may do, as in the hint bar. */
		if (sc != NULL && !ui_screen_offers(ui, sc, data,
		    acts[i].name))
			continue;
		help_keys(ui, s, i, keys, sizeof keys);
		line = xstrdup("  ");
		ui_cell(&line, keys[0] ? keys : _("(no key)"), kw);
		ui_cell(&line, _(acts[i].label), 28);
		xasprintf(&full, "%s[%s]", line, acts[i].name);
		help_add(h, full);
		free(full);
		free(line);
		/* What it asks, wrapped under its label: never cut. */
		if (acts[i].about != NULL)
			help_about(cols, h, _(acts[i].about), kw + 3);
	}
}

/* The screen the help was asked from, under it on the stack. */
struct help {
	const struct screen	*sc;
	void			*data;
};

/* The help for a terminal cols wide, laid out again when it changes. */
static void
help_layout(struct ui *ui, struct ui_pager *h, int cols)
{
	const struct help	*hp = h->data;
	enum keymap_screen	 s = hp->sc->keys;
	char			 line[300], **lines;
	size_t			 n, i;
	int			 kw;

	snprintf(line, sizeof line, _("From the key map: in key files, the "
	    "keys of this screen are under [%s] and each action is named as "
	    "in brackets; see dossier-keys(5)."), keymap_screen_name(s));
	n = text_wrap(line, cols - 2, &lines);
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "  %s", lines[i]);
		help_add(h, line);
	}
	text_lines_free(lines, n);
	kw = help_keys_width(ui, s);
	if (help_keys_width(ui, KEYMAP_GLOBAL) > kw)
		kw = help_keys_width(ui, KEYMAP_GLOBAL);
	if (s == KEYMAP_FORM && help_keys_width(ui, KEYMAP_EDIT) > kw)
		kw = help_keys_width(ui, KEYMAP_EDIT);
	if (kw > 24)
		kw = 24;
	help_screen(ui, h, cols, s, kw, hp->sc, hp->data);
	help_add(h, _("Keys everywhere"));
	help_screen(ui, h, cols, KEYMAP_GLOBAL, kw, NULL, NULL);
	if (s == KEYMAP_FORM) {
		help_add(h, _("While editing a field"));
		help_screen(ui, h, cols, KEYMAP_EDIT, kw, NULL, NULL);
	}
	/* What the list's short columns and marks mean. */
	if (s == KEYMAP_LIST) {
		help_add(h, _("The list's columns"));
		help_about(cols, h, _("Age: days since the complaint was "
		    "registered. Late: !N, the case is N days past its "
		    "deadline; ||, its clock is paused. Assigned: the first "
		    "investigator, +N for the others. A value too long for "
		    "its column ends with …: the case shows it whole."), 2);
	}
}

/* The title: the screen the keys are of, and where when it scrolls. */
static char *
help_title(struct ui *ui, struct ui_pager *h, int *kind)
{
	const struct help	*hp = h->data;
	size_t			 body = (size_t)h->body;
	char			*what, *t;

	(void)ui;
	*kind = UI_TITLE;
	xasprintf(&what, _("Keys of this screen (%s)"),
	    help_screen_label(hp->sc));
	if (!ui_pager_scrolls(h))
		return (what);
	xasprintf(&t, _("%s  (rows %zu-%zu of %zu)"), what, h->top + 1,
	    h->top + body < h->nrows ? h->top + body : h->nrows, h->nrows);
	free(what);
	return (t);
}

static const struct ui_pager_class help_pager = {
	.layout = help_layout,
	.title = help_title,
	.free = free,
};

static const struct screen ui_help_screen = {
	.name = "help",
	.keys = KEYMAP_HELP,
	.draw = ui_pager_draw,
	.key = ui_pager_key,
	.offers = ui_pager_offers,
	.free = ui_pager_free,
};

void
ui_help_open(struct ui *ui, const struct screen *sc, void *data)
{
	struct help	*hp = xcalloc(1, sizeof *hp);

	hp->sc = sc;
	hp->data = data;
	ui_push(ui, &ui_help_screen, ui_pager_create(&help_pager, hp));
}
