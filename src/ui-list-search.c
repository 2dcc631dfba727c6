/*
 * ui-list-search.c: '/' and 'n' on the case list.  A search reaches what
 * the user can read: the line's cells, and the names, service numbers
 * and localities of the cases whose key they hold (casefile_search_text(),
 * read once per list, when the search first reaches a row).  The
 * characters typed are echoed on the message row only; the selection
 * moves once typing pauses, or on Enter: one repaint per search, not one
 * per key, which matters on a slow link.  A search that finds nothing
 * says so and puts the selection back where it was.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"
#include "ui-list-int.h"
#include "ui.h"
#include "util.h"

void
list_texts_free(struct list *l)
{
	size_t	 i;

	if (l->texts != NULL)
		for (i = 0; i < l->lb.n; i++)
			free_wiped(l->texts[i]);
	free(l->texts);
	free(l->texts_tried);
	l->texts = NULL;
	l->texts_tried = NULL;
}

/*
 * The texts of a case this user can read, read when the search first
 * reaches its row (and again after a change): a case that cannot be
 * read (no key, damaged) has none.
 */
static const char *
list_text(struct ui *ui, struct list *l, size_t i)
{
	char	*cause = NULL;

	if (l->texts == NULL) {
		l->texts = xcalloc(l->lb.n + 1, sizeof *l->texts);
		l->texts_tried = xcalloc(l->lb.n + 1, 1);
	}
	if (!l->texts_tried[i]) {
		l->texts_tried[i] = 1;
		if (casefile_search_text(&ui->ctx, l->rows[i], &l->texts[i],
		    &cause) != 0) {
			free(cause);
			l->texts[i] = NULL;
		}
	}
	return (l->texts[i]);
}

static int
list_matches(struct ui *ui, struct list *l, size_t i)
{
	const struct casefile_summary	*cs;
	char				*cell[LIST_NCOLS];
	const char			*t;
	int				 c, match = 0;

	if (l->search[0] == '\0' || (cs = list_row(ui, l, i)) == NULL)
		return (0);
	/* The whole labels, not the cells cut to the screen. */
	list_cells(ui, cs, cell);
	for (c = 0; c < LIST_NCOLS && !match; c++)
		match = text_find(cell[c], l->search) >= 0;
	list_cells_free(cell);
	if (!match)
		match = text_find(list_str(cs->header, "assignees"),
		    l->search) >= 0;
	if (!match && (t = list_text(ui, l, i)) != NULL)
		match = text_find(t, l->search) >= 0;
	return (match);
}

/* Select the first line matching from line from (or after it): found? */
static int
list_search_from(struct ui *ui, struct list *l, size_t from, int after)
{
	size_t	 k, i;

	if (l->lb.n == 0 || l->search[0] == '\0')
		return (0);
	for (k = after ? 1 : 0; k <= l->lb.n; k++) {
		i = (from + k) % l->lb.n;
		if (list_matches(ui, l, i)) {
			l->lb.sel = i;
			return (1);
		}
	}
	return (0);
}

static void
list_not_found(struct ui *ui, struct list *l)
{
	ui_message(ui, 1, _("No case contains \"%s\" (references, states, "
	    "places, categories, investigators, and the names, service "
	    "numbers and localities of the cases you can read)."), l->search);
}

/*
 * How long typing must pause before the list moves: 400 ms, or
 * $DOSSIER_SEARCH_PAUSE_MS (tests lengthen it to see the echo alone).
 */
static int
list_pause_ms(void)
{
	const char	*e = getenv("DOSSIER_SEARCH_PAUSE_MS");

	if (e != NULL && atoi(e) > 0 && atoi(e) <= 60000)
		return (atoi(e));
	return (400);
}

/* Typing paused: move to the first match, or back where it was. */
static void
list_live(struct ui *ui, void *arg, const char *text)
{
	struct list	*l = arg;

	snprintf(l->search, sizeof l->search, "%s", text);
	l->missed = 0;
	if (list_search_from(ui, l, l->search_from, 0))
		return;
	l->lb.sel = l->search_from;
	l->missed = l->search[0] != '\0';
}

void
list_search(struct ui *ui, void *data)
{
	struct list	*l = data;
	char		*text;

	l->search_from = l->lb.sel;
	l->missed = 0;
	text = ui_ask_live(ui, _("Search: "), "", list_pause_ms(), list_live, l);
	l->missed = 0;
	if (text == NULL) {
		/* Cancelled: where it was, nothing searched. */
		l->lb.sel = l->search_from;
		l->search[0] = '\0';
		return;
	}
	snprintf(l->search, sizeof l->search, "%s", text);
	free(text);
	if (l->search[0] == '\0') {
		l->lb.sel = l->search_from;
		return;
	}
	if (!list_search_from(ui, l, l->search_from, 0)) {
		l->lb.sel = l->search_from;
		list_not_found(ui, l);
	}
}

void
list_search_next(struct ui *ui, void *data)
{
	struct list	*l = data;

	if (l->search[0] == '\0') {
		ui_message(ui, 0, "%s", _("No search yet: type / first."));
		return;
	}
	if (!list_search_from(ui, l, l->lb.sel, 1))
		list_not_found(ui, l);
}
