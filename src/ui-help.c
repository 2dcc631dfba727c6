/*
 * ui-help.c: the help screen, generated from the key map of the screen
 * it was asked from (and the global keys), so it never lies.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "keymap.h"
#include "ui.h"
#include "util.h"

struct help {
	char		**lines;
	size_t		  n, top;
};

static void
help_add(struct help *h, const char *line)
{
	h->lines = xrealloc(h->lines, (h->n + 1) * sizeof *h->lines);
	h->lines[h->n++] = xstrdup(line);
}

static void
help_screen(struct ui *ui, struct help *h, enum keymap_screen s)
{
	const struct keymap_action	*acts;
	const struct keymap_binding	*b;
	char				 line[200], key[16], keys[64];
	size_t				 n, i, k;

	acts = keymap_actions(s, &n);
	for (i = 0; i < n; i++) {
		b = &ui->keymap->bind[s][i];
		keys[0] = '\0';
		for (k = 0; k < b->nkeys; k++) {
			keymap_key_name(b->keys[k], key, sizeof key);
			if (strlen(keys) + strlen(key) + 2 < sizeof keys)
				snprintf(keys + strlen(keys), sizeof keys -
				    strlen(keys), "%s%s", k ? " " : "", key);
		}
		snprintf(line, sizeof line, "  %-22s %-16s %s", keys[0] ? keys :
		    _("(no key)"), acts[i].name, _(acts[i].label));
		help_add(h, line);
	}
}

static void
help_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct help	*h = data;
	size_t		 i;
	int		 y;

	for (y = 0; y < rows; y++) {
		i = h->top + (size_t)y;
		ui_line(ui, y, 0, i < h->n && h->lines[i][0] != ' ' ? UI_TITLE :
		    UI_NORMAL, i < h->n ? h->lines[i] : "", cols);
	}
}

static void
help_key(struct ui *ui, void *data, const char *action, int key)
{
	struct help	*h = data;
	size_t		 page = (size_t)(ui->rows - 3);

	(void)key;
	if (action == NULL)
		return;
	if (strcmp(action, "down") == 0 && h->top + 1 < h->n)
		h->top++;
	else if (strcmp(action, "up") == 0 && h->top > 0)
		h->top--;
	else if (strcmp(action, "page-down") == 0 && h->top + page < h->n)
		h->top += page;
	else if (strcmp(action, "page-up") == 0)
		h->top = h->top > page ? h->top - page : 0;
	else if (strcmp(action, "back") == 0)
		ui_pop(ui);
}

static void
help_free(void *data)
{
	struct help	*h = data;
	size_t		 i;

	for (i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	free(h);
}

static const struct screen ui_help_screen = {
	.name = "help",
	.keys = KEYMAP_HELP,
	.draw = help_draw,
	.key = help_key,
	.free = help_free,
};

void
ui_help_open(struct ui *ui, enum keymap_screen s)
{
	struct help	*h = xcalloc(1, sizeof *h);
	char		 line[200];

	snprintf(line, sizeof line, _("Keys of this screen (%s), from the key "
	    "map; see dossier-keys(5)"), keymap_screen_name(s));
	help_add(h, line);
	help_screen(ui, h, s);
	help_add(h, _("Keys everywhere"));
	help_screen(ui, h, KEYMAP_GLOBAL);
	if (s == KEYMAP_FORM) {
		help_add(h, _("While editing a field"));
		help_screen(ui, h, KEYMAP_EDIT);
	}
	ui_push(ui, &ui_help_screen, h);
}
