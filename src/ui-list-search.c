/*
 * ui-list-search.c: '/' and 'n' on the case list.  A search reaches what
 * the user can read: the line's cells, and the names, service numbers
 * and localities of the cases whose key they hold (casefile_search_text(),
 * read once per list, when the search first reaches a row).  The
 * characters typed are echoed on the message row only; the selection
 * moves once typing pauses, or on Enter: one repaint per search, not one
 * per key, which matters on a slow link.  A search that finds nothing
 * says so and puts the selection back where it was.
 *
 * A search is bounded: each step (a pause in typing, Enter, n) looks at
 * no more than list_step() rows, 2,000 by default, each at most one
 * decryption (about 0.5 ms), so that no key waits more than about a
 * second however many cases the list holds.  When a step ends without a
 * match the message says how many cases were searched and n goes on from
 * there; the whole list once round without a match says that nothing
 * was found.
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
	l->search_left = 0;		/* the rows may have changed */
}

/*
 * The texts of a case this user can read, read when the search first
 * reaches its row (and again after a change): a case that cannot be
 * read (no key, damaged) has none.
 */
static const char *
list_text(struct ui *ui, struct list *l, size_t i)
{
	char		*cause = NULL;
	uint64_t	 id;

	if ((id = list_id(ui, l, i)) == 0 || i >= l->lb.n)
		return (NULL);
	if (l->texts == NULL) {
		l->texts = xcalloc(l->lb.n + 1, sizeof *l->texts);
		l->texts_tried = xcalloc(l->lb.n + 1, 1);
	}
	if (!l->texts_tried[i]) {
		l->texts_tried[i] = 1;
		if (casefile_search_text(&ui->ctx, id, &l->texts[i],
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

/* How many rows one step looks at: 2,000, or $DOSSIER_SEARCH_STEP. */
static size_t
list_step(void)
{
	const char	*e = getenv("DOSSIER_SEARCH_STEP");

	if (e != NULL && atoi(e) > 0)
		return ((size_t)atoi(e));
	return (2000);
}

/*
 * Select the first line matching from line from (or after it), looking at
 * left lines at most: 1 found, 0 none in those, -1 stopped at the step's
 * bound (l->search_next and l->search_left say where to go on).
 */
static int
list_search_rows(struct ui *ui, struct list *l, size_t from, size_t left)
{
	size_t	 k, i, step = list_step();

	l->search_left = 0;
	if (l->lb.n == 0 || l->search[0] == '\0')
		return (0);
	for (k = 0; k < left; k++) {
		if (l->lb.n == 0)	/* the list was read again: none left */
			return (0);
		i = (from + k) % l->lb.n;
		if (k == step) {
			l->search_next = i;
			l->search_left = left - k;
			return (-1);
		}
		if (list_matches(ui, l, i)) {
			l->lb.sel = i;
			return (1);
		}
	}
	return (0);
}

static int
list_search_from(struct ui *ui, struct list *l, size_t from, int after)
{
	return (list_search_rows(ui, l, from + (after ? 1 : 0), l->lb.n));
}

/* A step ended without a match: how far it went. */
static void
list_searched(struct ui *ui, struct list *l)
{
	ui_message(ui, 0, _("\"%s\" is not in the first %zu of %zu cases; n "
	    "searches on."), l->search, l->lb.n - l->search_left, l->lb.n);
}

static void
list_not_found(struct ui *ui, struct list *l)
{
	char	*filters = list_filters_text(ui, l);

	/* Only the cases of the list are searched: a filter on says so. */
	if (*filters != '\0')
		ui_message(ui, 1, _("No case of this list contains \"%s\" "
		    "(references, states, places, categories, investigators, "
		    "and the names, service numbers and localities of the "
		    "cases you can read); a filter is on: f, then No filter, "
		    "searches every case."), l->search);
	else
		ui_message(ui, 1, _("No case contains \"%s\" (references, "
		    "states, places, categories, investigators, and the names, "
		    "service numbers and localities of the cases you can "
		    "read)."), l->search);
	free(filters);
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
	int		 rc;

	snprintf(l->search, sizeof l->search, "%s", text);
	l->missed = 0;
	if ((rc = list_search_from(ui, l, l->search_from, 0)) > 0)
		return;
	l->lb.sel = l->search_from;
	/* None at all, or none in the rows a step looks at. */
	if (l->search[0] != '\0')
		l->missed = rc < 0 ? LIST_MISSED_STEP : LIST_MISSED_ALL;
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
	switch (list_search_from(ui, l, l->search_from, 0)) {
	case 0:
		l->lb.sel = l->search_from;
		list_not_found(ui, l);
		break;
	case -1:
		l->lb.sel = l->search_from;
		list_searched(ui, l);
		break;
	}
}

void
list_search_next(struct ui *ui, void *data)
{
	struct list	*l = data;
	int		 rc;

	if (l->search[0] == '\0') {
		ui_message(ui, 0, "%s", _("No search yet: type / first."));
		return;
	}
	/* A bounded step stopped: go on from where it did. */
	if (l->search_left > 0 && l->search_next < l->lb.n)
		rc = list_search_rows(ui, l, l->search_next, l->search_left);
	else
		rc = list_search_from(ui, l, l->lb.sel, 1);
	if (rc == 0)
		list_not_found(ui, l);
	else if (rc < 0)
		list_searched(ui, l);
}
