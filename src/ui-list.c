/*
 * ui-list.c: the case list, the home screen.
 *
 * The list holds the ids of the matching cases in their order, from one
 * walk of the header indexes (casefile_ids(): no header read), and
 * reads the clear headers of the rows on screen only, a window of them
 * at a time (casefile_summaries()), so 100,000 cases scroll as fast as
 * ten.  After a change the ids are walked again and the window re-read;
 * the column widths are those of the rows seen so far, and only grow.  Investigators start with the cases assigned to them; 'a' switches
 * to all.  Filters combine (mine, overdue, a state, a region, or what a
 * dashboard line asked) and the header says which are on; 'O' is the
 * saved view of my overdue cases.
 *
 * '/' searches what the user can read: the line's cells, and the names,
 * service numbers and localities of the cases whose key they hold
 * (casefile_search_text(), read once per list).  The characters typed
 * are echoed on the message row only; the selection moves once typing
 * pauses, or on Enter: one repaint per search, not one per key, which
 * matters on a slow link.  A search that finds nothing says so and puts
 * the selection back where it was.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "account.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "keymap.h"
#include "record.h"
#include "session.h"
#include "text.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

enum list_sort { SORT_REFERENCE, SORT_DEADLINE, SORT_STATE, SORT_REGION,
	SORT_COUNT };

/*
 * The columns, sized to the terminal at each draw from the widths
 * measured at load (text_columns()): the reference and the figures are
 * never cut, each as wide as its widest; the text columns share the
 * rest, the state first, and widen on a wider terminal until every
 * label is whole.  A label still too long ends with an ellipsis.
 */
enum list_col { COL_REF, COL_STATE, COL_REGION, COL_CATEGORY, COL_ASSIGNED,
	COL_AGE, COL_LATE, LIST_NCOLS };

static const struct {
	const char	*title;
	int		 min, weight, figure;
} list_cols[LIST_NCOLS] = {
	[COL_REF] = { N_("Reference"), 0, 0, 0 },
	[COL_STATE] = { N_("State"), 10, 5, 0 },
	[COL_REGION] = { N_("Region"), 10, 2, 0 },
	[COL_CATEGORY] = { N_("Category"), 8, 3, 0 },
	[COL_ASSIGNED] = { N_("Assigned"), 7, 2, 0 },
	[COL_AGE] = { N_("Age"), 0, 0, 1 },
	[COL_LATE] = { N_("Late"), 0, 0, 1 },
};

struct list {
	struct casefile_filter	 filter;
	char			*title;
	char			*state, *field, *value, *assignee, *workflow;
	uint64_t		*ids;		/* a dashboard's cases */
	uint64_t		*rows;		/* case ids, in order */
	size_t			 n;
	struct casefile_summary	*win;		/* headers of rows ... */
	size_t			 win_from, win_n; /* ... win_from on */
	size_t			 sel, top;
	enum list_sort		 sort;
	char			 search[64];
	size_t			 search_from;	/* selection before '/' */
	int			 missed;	/* the search found nothing */
	char			**texts;	/* per row, decrypted; wiped */
	uint8_t			*texts_tried;
	uint64_t		 seen;
	int			 loaded;
	struct text_column	 col[LIST_NCOLS];	/* measured at load */
	int			 width[LIST_NCOLS];	/* laid out to draw */
	int			 laid;			/* for this width */
};

static void	 list_measure(struct ui *, struct list *, int);
static void	 list_texts_free(struct list *);
static int	 list_offers(struct ui *, void *, const char *);

static const char *
list_str(const struct record *h, const char *k)
{
	const char	*s = record_get_str(h, k);

	return (s != NULL ? s : "");
}

static const char *
list_code_label(struct ui *ui, const char *listid, const char *code)
{
	const struct form_list	*l = formset_list(ui->ctx.forms, listid);
	const struct form_item	*it;

	if (l == NULL || (it = form_list_item(l, code)) == NULL)
		return (code);
	return (it->label[lang_index()]);
}

static const char *
list_state_label(struct ui *ui, const struct record *h)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;

	wf = workflow_find(ui->ctx.flows, list_str(h, "workflow"));
	if (wf == NULL ||
	    (st = workflow_state(wf, list_str(h, "state"))) == NULL)
		return (list_str(h, "state"));
	return (st->label[lang_index()]);
}

#define LIST_WINDOW	128	/* headers read at a time */

/* Drop the window of headers read. */
static void
list_window_free(struct list *l)
{
	casefile_list_free(l->win, l->win_n);
	l->win = NULL;
	l->win_from = l->win_n = 0;
}

/* The header of row i, reading a window of rows around it if needed. */
static const struct casefile_summary *
list_row(struct ui *ui, struct list *l, size_t i)
{
	char	*cause = NULL;
	size_t	 from, n;

	if (i >= l->n)
		return (NULL);
	if (l->win != NULL && i >= l->win_from && i < l->win_from + l->win_n)
		return (&l->win[i - l->win_from]);
	list_window_free(l);
	from = i > LIST_WINDOW / 4 ? i - LIST_WINDOW / 4 : 0;
	n = l->n - from < LIST_WINDOW ? l->n - from : LIST_WINDOW;
	if (casefile_summaries(&ui->ctx, l->rows + from, n, &l->win,
	    &cause) != 0) {
		ui_cause(ui, cause);
		return (NULL);
	}
	l->win_from = from;
	l->win_n = n;
	list_measure(ui, l, 0);
	return (&l->win[i - from]);
}

static enum casefile_sort
list_casefile_sort(enum list_sort sort)
{
	switch (sort) {
	case SORT_DEADLINE:
		return (CASEFILE_SORT_DEADLINE);
	case SORT_STATE:
		return (CASEFILE_SORT_STATE);
	case SORT_REGION:
		return (CASEFILE_SORT_REGION);
	default:
		return (CASEFILE_SORT_REFERENCE);
	}
}

static void
list_load(struct ui *ui, struct list *l)
{
	char	*cause = NULL;

	list_texts_free(l);
	list_window_free(l);
	free(l->rows);
	l->rows = NULL;
	l->n = 0;
	if (casefile_ids(&ui->ctx, &l->filter, list_casefile_sort(l->sort),
	    &l->rows, &l->n, &cause) != 0)
		ui_cause(ui, cause);
	if (l->rows == NULL)
		l->rows = xcalloc(1, sizeof *l->rows);
	if (l->seen == 0 || !l->loaded)
		list_measure(ui, l, 1);
	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
	l->seen = ui->list_dirty;
	l->loaded = 1;
}

void *
ui_list_create(struct ui *ui, const struct casefile_filter *f,
    const char *title)
{
	struct list	*l = xcalloc(1, sizeof *l);

	if (f != NULL) {
		l->filter = *f;
		l->state = f->state != NULL ? xstrdup(f->state) : NULL;
		l->field = f->field != NULL ? xstrdup(f->field) : NULL;
		l->value = f->value != NULL ? xstrdup(f->value) : NULL;
		l->assignee = f->assignee != NULL ? xstrdup(f->assignee) : NULL;
		l->workflow = f->workflow != NULL ? xstrdup(f->workflow) : NULL;
		l->filter.state = l->state;
		l->filter.field = l->field;
		l->filter.value = l->value;
		l->filter.assignee = l->assignee;
		l->filter.workflow = l->workflow;
		if (f->ids != NULL) {
			l->ids = xcalloc(f->nids + 1, sizeof *l->ids);
			memcpy(l->ids, f->ids, f->nids * sizeof *l->ids);
			l->filter.ids = l->ids;
		}
	} else if (ui->ctx.sess->user->role == ROLE_INVESTIGATOR)
		l->filter.assignee = ui->ctx.sess->user->name;
	l->title = xstrdup(title != NULL ? title : _("Cases"));
	return (l);
}

static void
list_free(void *data)
{
	struct list	*l = data;

	list_texts_free(l);
	list_window_free(l);
	free(l->rows);
	free(l->title);
	free(l->state);
	free(l->field);
	free(l->value);
	free(l->assignee);
	free(l->workflow);
	free(l->ids);
	free(l);
}

/*
 * The cells of one case, as the user reads them; the caller frees them.
 * More than one investigator reads "first +N".
 */
static void
list_cells(struct ui *ui, const struct casefile_summary *cs,
    char *cell[LIST_NCOLS])
{
	const struct record	*h = cs->header;
	const char		*as = list_str(h, "assignees"), *comma;
	char			 cat[64], *p;
	size_t			 more = 0;

	snprintf(cat, sizeof cat, "%s", list_str(h, "categories"));
	if ((p = strchr(cat, ',')) != NULL)
		*p = '\0';
	cell[COL_REF] = xstrdup(list_str(h, "reference"));
	cell[COL_STATE] = xstrdup(list_state_label(ui, h));
	cell[COL_REGION] = xstrdup(list_code_label(ui, "regions",
	    list_str(h, "region")));
	cell[COL_CATEGORY] = xstrdup(list_code_label(ui, "misconduct", cat));
	for (p = (char *)as; (p = strchr(p, ',')) != NULL; p++)
		more++;
	if (*as == '\0')
		cell[COL_ASSIGNED] = xstrdup("-");
	else if (more == 0)
		cell[COL_ASSIGNED] = xstrdup(as);
	else {
		comma = strchr(as, ',');
		xasprintf(&cell[COL_ASSIGNED], "%.*s +%zu", (int)(comma - as),
		    as, more);
	}
	xasprintf(&cell[COL_AGE], "%ld",
	    (long)((now() - record_get_int(h, "created", now())) / 86400));
	if (cs->overdue > 0)
		xasprintf(&cell[COL_LATE], "!%ld", cs->overdue);
	else if (record_get_int(h, "clock.paused_since", 0) != 0)
		cell[COL_LATE] = xstrdup("||");
	else
		cell[COL_LATE] = xstrdup("");
}

static void
list_cells_free(char *cell[LIST_NCOLS])
{
	int	 c;

	for (c = 0; c < LIST_NCOLS; c++)
		free(cell[c]);
}

/*
 * The widest cell of each column, headers included, over the rows read
 * so far (reset: the titles only).  A column that grows is laid out
 * again at the next draw.
 */
static void
list_measure(struct ui *ui, struct list *l, int reset)
{
	char	*cell[LIST_NCOLS];
	size_t	 i;
	int	 c, w;

	for (c = 0; reset && c < LIST_NCOLS; c++) {
		l->col[c].want = ui_text_width(_(list_cols[c].title));
		l->col[c].weight = list_cols[c].weight;
	}
	for (i = 0; i < l->win_n; i++) {
		list_cells(ui, &l->win[i], cell);
		for (c = 0; c < LIST_NCOLS; c++)
			if ((w = ui_text_width(cell[c])) > l->col[c].want) {
				l->col[c].want = w;
				l->laid = 0;
			}
		list_cells_free(cell);
	}
	for (c = 0; c < LIST_NCOLS; c++) {
		l->col[c].min = list_cols[c].weight == 0 ? l->col[c].want :
		    list_cols[c].min;
		if (l->col[c].min > l->col[c].want)
			l->col[c].min = l->col[c].want;
	}
	if (reset)
		l->laid = 0;
}

/* The columns for this width of screen. */
static void
list_layout(struct list *l, int cols)
{
	struct text_column	 c[LIST_NCOLS];
	int			 k;

	if (l->laid == cols)
		return;
	memcpy(c, l->col, sizeof c);
	text_columns(c, LIST_NCOLS, cols, 1);
	for (k = 0; k < LIST_NCOLS; k++)
		l->width[k] = c[k].width;
	l->laid = cols;
}

/* One line of the list, its cells laid out in columns; the caller frees it. */
static char *
list_format(struct ui *ui, struct list *l, char *cell[LIST_NCOLS])
{
	char	*out = xstrdup("");
	int	 c;

	(void)ui;
	for (c = 0; c < LIST_NCOLS; c++) {
		if (list_cols[c].figure)
			ui_cell_right(&out, cell[c], l->width[c]);
		else
			ui_cell(&out, cell[c], l->width[c]);
	}
	return (out);
}

/* What the filters on show, for the header: "mine, overdue, ...". */
static char *
list_filters_text(struct ui *ui, struct list *l)
{
	const struct casefile_filter	*f = &l->filter;
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const struct form		*intake;
	const struct form_field		*fd;
	char				*out = xstrdup(""), *n, *part;
	const char			*name = ui->ctx.sess->user->name;

#define LIST_PART(...) do {						\
	xasprintf(&part, __VA_ARGS__);					\
	xasprintf(&n, "%s%s%s", out, *out ? ", " : "", part);		\
	free(part);							\
	free(out);							\
	out = n;							\
} while (0)
	if (f->assignee != NULL && strcmp(f->assignee, name) == 0)
		LIST_PART("%s", _("mine"));
	else if (f->assignee != NULL)
		LIST_PART(_("assigned to %s"), f->assignee);
	if (f->overdue)
		LIST_PART("%s", _("overdue"));
	if (f->open)
		LIST_PART("%s", _("open"));
	if (f->ids != NULL)
		LIST_PART("%s", l->title);
	if (f->state != NULL) {
		wf = workflow_find(ui->ctx.flows, f->workflow != NULL ?
		    f->workflow : "inspection");
		if (wf != NULL && strchr(f->state, ',') == NULL &&
		    (st = workflow_state(wf, f->state)) != NULL)
			LIST_PART(_("state: %s"), st->label[lang_index()]);
		else
			LIST_PART("%s", l->title);
	}
	if (f->field != NULL && f->value != NULL) {
		intake = formset_form(ui->ctx.forms, "intake");
		fd = intake != NULL ? form_field(intake, f->field) : NULL;
		LIST_PART(_("%s: %s"), fd != NULL ? fd->label[lang_index()] :
		    f->field, fd != NULL && fd->list != NULL ?
		    list_code_label(ui, fd->list, f->value) : f->value);
	}
#undef LIST_PART
	return (out);
}

static void
list_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct list	*l = data;
	const struct casefile_summary *cs;
	char		*title, *line, *cell[LIST_NCOLS], *filters;
	int		 y, c, body = rows - 2;
	size_t		 i;

	if (!l->loaded || l->seen != ui->list_dirty)
		list_load(ui, l);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)body)
		l->top = l->sel - body + 1;
	/* The rows on screen read (and measured) before the layout. */
	if (l->n > 0 && (l->win == NULL || l->top < l->win_from ||
	    l->top + (size_t)body > l->win_from + l->win_n)) {
		list_window_free(l);
		list_row(ui, l, l->top);
	}
	filters = list_filters_text(ui, l);
	if (l->missed) {
		/* While typing a search that finds nothing. */
		xasprintf(&title, _("No case contains \"%s\"."), l->search);
		ui_line(ui, 0, 0, UI_ALERT, title, cols);
	} else {
		xasprintf(&title, _("%s: %zu  |  %s (%s)%s%s"), l->title, l->n,
		    ui->ctx.sess->user->name,
		    access_role_label(ui->ctx.sess->user->role),
		    *filters != '\0' ? "  |  " : "", filters);
		ui_line(ui, 0, 0, UI_TITLE, title, cols);
	}
	free(title);
	free(filters);
	list_layout(l, ui->settings.arrow_cursor ? cols - 2 : cols);
	for (c = 0; c < LIST_NCOLS; c++)
		cell[c] = (char *)_(list_cols[c].title);
	line = list_format(ui, l, cell);
	ui_line(ui, 1, ui->settings.arrow_cursor ? 2 : 0, UI_DIM, line,
	    ui->settings.arrow_cursor ? cols - 2 : cols);
	free(line);
	for (y = 0; y < body; y++) {
		i = l->top + (size_t)y;
		if (i >= l->n) {
			ui_line(ui, 2 + y, 0, UI_NORMAL, y == 0 && l->n == 0 ?
			    _("No case matches.") : "", cols);
			continue;
		}
		if ((cs = list_row(ui, l, i)) == NULL)
			break;
		list_cells(ui, cs, cell);
		line = list_format(ui, l, cell);
		list_cells_free(cell);
		ui_row(ui, 2 + y, cs->overdue > 0 ? UI_ALERT : UI_NORMAL,
		    line, i == l->sel);
		free(line);
	}
}

static void
list_texts_free(struct list *l)
{
	size_t	 i;

	if (l->texts != NULL)
		for (i = 0; i < l->n; i++)
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
		l->texts = xcalloc(l->n + 1, sizeof *l->texts);
		l->texts_tried = xcalloc(l->n + 1, 1);
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

	if (l->n == 0 || l->search[0] == '\0')
		return (0);
	for (k = after ? 1 : 0; k <= l->n; k++) {
		i = (from + k) % l->n;
		if (list_matches(ui, l, i)) {
			l->sel = i;
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
	l->sel = l->search_from;
	l->missed = l->search[0] != '\0';
}

static void
list_search(struct ui *ui, struct list *l)
{
	char	*text;

	l->search_from = l->sel;
	l->missed = 0;
	text = ui_ask_live(ui, _("Search: "), "", list_pause_ms(), list_live, l);
	l->missed = 0;
	if (text == NULL) {
		/* Cancelled: where it was, nothing searched. */
		l->sel = l->search_from;
		l->search[0] = '\0';
		return;
	}
	snprintf(l->search, sizeof l->search, "%s", text);
	free(text);
	if (l->search[0] == '\0') {
		l->sel = l->search_from;
		return;
	}
	if (!list_search_from(ui, l, l->search_from, 0)) {
		l->sel = l->search_from;
		list_not_found(ui, l);
	}
}

static void
list_search_next(struct ui *ui, struct list *l)
{
	if (l->search[0] == '\0') {
		ui_message(ui, 0, "%s", _("No search yet: type / first."));
		return;
	}
	if (!list_search_from(ui, l, l->sel, 1))
		list_not_found(ui, l);
}

/* Drop the state and region or dashboard filters. */
static void
list_filter_clear_codes(struct list *l)
{
	free(l->state);
	free(l->field);
	free(l->value);
	free(l->workflow);
	l->state = l->field = l->value = l->workflow = NULL;
	l->filter.state = l->filter.field = l->filter.value = NULL;
	l->filter.workflow = NULL;
}

/* The states of every workflow, each under its workflow's heading. */
static void
list_filter_state(struct ui *ui, struct list *l)
{
	const struct workflow	*wf;
	const char		**codes, **labels;
	char			**owned;
	size_t			 n = 0, i, j, total = 0;
	int			 k;

	for (j = 0; j < ui->ctx.flows->n; j++)
		total += 1 + ui->ctx.flows->list[j]->nstates;
	codes = xcalloc(total + 1, sizeof *codes);
	labels = xcalloc(total + 1, sizeof *labels);
	owned = xcalloc(total + 1, sizeof *owned);
	for (j = 0; j < ui->ctx.flows->n; j++) {
		wf = ui->ctx.flows->list[j];
		codes[n] = wf->id;
		labels[n++] = wf->title[lang_index()];
		for (i = 0; i < wf->nstates; i++) {
			xasprintf(&owned[n], "%s.%s", wf->id, wf->states[i].id);
			codes[n] = owned[n];
			labels[n++] = wf->states[i].label[lang_index()];
		}
	}
	if ((k = ui_pick(ui, _("State"), codes, labels, n, 0, NULL)) >= 0 &&
	    owned[k] != NULL) {
		free(l->state);
		free(l->workflow);
		l->workflow = xstrndup(owned[k], strcspn(owned[k], "."));
		l->state = xstrdup(strchr(owned[k], '.') + 1);
		l->filter.state = l->state;
		l->filter.workflow = l->workflow;
	}
	for (i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(codes);
	free(labels);
}

static void
list_filter_region(struct ui *ui, struct list *l)
{
	const struct form_list	*fl;
	const char		**codes, **labels;
	size_t			 i;
	int			 k;

	if ((fl = formset_list(ui->ctx.forms, "regions")) == NULL)
		return;
	codes = xcalloc(fl->nitems + 1, sizeof *codes);
	labels = xcalloc(fl->nitems + 1, sizeof *labels);
	for (i = 0; i < fl->nitems; i++) {
		codes[i] = fl->items[i].code;
		labels[i] = fl->items[i].label[lang_index()];
	}
	if ((k = ui_pick(ui, _("Region"), codes, labels, fl->nitems, 0,
	    NULL)) >= 0) {
		free(l->field);
		free(l->value);
		l->field = xstrdup("region");
		l->value = xstrdup(codes[k]);
		l->filter.field = l->field;
		l->filter.value = l->value;
	}
	free(codes);
	free(labels);
}

/* The saved view: the cases assigned to me that are overdue. */
static void
list_my_overdue(struct ui *ui, struct list *l)
{
	list_filter_clear_codes(l);
	l->filter.assignee = ui->ctx.sess->user->name;
	l->filter.overdue = 1;
}

/*
 * Filters combine: mine and overdue are switched on and off, a state and
 * a region replace the ones before; the header lists what is on.
 */
static void
list_filter(struct ui *ui, struct list *l)
{
	const char	*codes[] = { "mine", "overdue", "state", "region",
	    "my-overdue", "none" };
	const char	*labels[6];
	char		*mine, *late;
	int		 k;

	xasprintf(&mine, "[%s] %s", l->filter.assignee != NULL ? "x" : " ",
	    _("Assigned to me"));
	xasprintf(&late, "[%s] %s", l->filter.overdue ? "x" : " ",
	    _("Overdue"));
	labels[0] = mine;
	labels[1] = late;
	labels[2] = _("By state...");
	labels[3] = _("By region...");
	labels[4] = _("My overdue cases (saved view)");
	labels[5] = _("No filter: all cases");
	k = ui_pick(ui, _("Filter (they combine)"), codes, labels, 6, 0, NULL);
	free(mine);
	free(late);
	if (k < 0)
		return;
	switch (k) {
	case 0:
		l->filter.assignee = l->filter.assignee == NULL ?
		    ui->ctx.sess->user->name : NULL;
		break;
	case 1:
		l->filter.overdue = !l->filter.overdue;
		break;
	case 2:
		list_filter_state(ui, l);
		break;
	case 3:
		list_filter_region(ui, l);
		break;
	case 4:
		list_my_overdue(ui, l);
		break;
	default:
		list_filter_clear_codes(l);
		l->filter.assignee = NULL;
		l->filter.overdue = 0;
		l->filter.open = 0;
		l->filter.ids = NULL;
		l->filter.nids = 0;
		break;
	}
	l->sel = l->top = 0;
	l->loaded = 0;
}

static void
list_intake(struct ui *ui)
{
	const char	*codes[] = { "inspection", "monitoring" };
	const char	*labels[2];
	const struct workflow *wf[2];
	char		*cause = NULL;
	int		 k;

	if (session_require(ui->ctx.sess, ACCESS_CREATE_CASE, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	/* Ask which workflow only when both are installed. */
	wf[0] = workflow_find(ui->ctx.flows, codes[0]);
	wf[1] = workflow_find(ui->ctx.flows, codes[1]);
	if (wf[0] != NULL && wf[1] != NULL) {
		labels[0] = wf[0]->title[lang_index()];
		labels[1] = wf[1]->title[lang_index()];
		if ((k = ui_pick(ui, _("Workflow"), codes, labels, 2, 0,
		    NULL)) < 0)
			return;
	} else if (wf[0] != NULL || wf[1] != NULL)
		k = wf[0] != NULL ? 0 : 1;
	else {
		ui_message(ui, 1, "%s", _("No workflow for complaints is "
		    "installed (forms/workflow-inspection.ini)."));
		return;
	}
	ui_form_open(ui, "intake", 0, 0, NULL, -1, 1, codes[k]);
}

static void
list_key(struct ui *ui, void *data, const char *action, int key)
{
	struct list	*l = data;
	size_t		 page = (size_t)(ui->rows > 6 ? ui->rows - 6 : 1);
	char		*cause = NULL;

	(void)key;
	if (action == NULL)
		return;
	if (strcmp(action, "down") == 0 && l->sel + 1 < l->n)
		l->sel++;
	else if (strcmp(action, "up") == 0 && l->sel > 0)
		l->sel--;
	else if (strcmp(action, "page-down") == 0)
		l->sel = l->sel + page < l->n ? l->sel + page :
		    (l->n ? l->n - 1 : 0);
	else if (strcmp(action, "page-up") == 0)
		l->sel = l->sel > page ? l->sel - page : 0;
	else if (strcmp(action, "top") == 0)
		l->sel = 0;
	else if (strcmp(action, "bottom") == 0)
		l->sel = l->n ? l->n - 1 : 0;
	else if (strcmp(action, "open") == 0 && l->n > 0)
		ui_case_open(ui, l->rows[l->sel]);
	else if (strcmp(action, "search") == 0)
		list_search(ui, l);
	else if (strcmp(action, "search-next") == 0)
		list_search_next(ui, l);
	else if (strcmp(action, "filter") == 0)
		list_filter(ui, l);
	else if (strcmp(action, "my-overdue") == 0) {
		list_my_overdue(ui, l);
		l->sel = l->top = 0;
		l->loaded = 0;
	} else if (strcmp(action, "sort") == 0) {
		l->sort = (l->sort + 1) % SORT_COUNT;
		l->loaded = 0;
		ui_message(ui, 0, "%s", l->sort == SORT_DEADLINE ?
		    _("Sorted by deadline") : l->sort == SORT_STATE ?
		    _("Sorted by state") : l->sort == SORT_REGION ?
		    _("Sorted by region") : _("Sorted by reference, newest "
		    "first"));
	} else if (strcmp(action, "all-mine") == 0) {
		l->filter.assignee = l->filter.assignee == NULL ?
		    ui->ctx.sess->user->name : NULL;
		l->sel = l->top = 0;
		l->loaded = 0;
	} else if (strcmp(action, "intake") == 0)
		list_intake(ui);
	else if (strcmp(action, "dashboard") == 0) {
		if (session_require(ui->ctx.sess, ACCESS_DASHBOARD,
		    &cause) != 0)
			ui_cause(ui, cause);
		else
			ui_dashboard_open(ui);
	} else if (strcmp(action, "audit") == 0) {
		if (session_require(ui->ctx.sess, ACCESS_READ_AUDIT,
		    &cause) != 0)
			ui_cause(ui, cause);
		else
			ui_audit_open(ui);
	} else if (strcmp(action, "users") == 0) {
		/* Supervisors and auditors approve accounts there. */
		if (list_offers(ui, l, action))
			ui_admin_open(ui);
		else
			ui_message(ui, 1, "%s", _("Accounts are managed by "
			    "administrators."));
	}
	else if (strcmp(action, "quit") == 0)
		ui_pop(ui);
}

/* Only what the user's role may do is offered, in the bar and in help. */
static int
list_offers(struct ui *ui, void *data, const char *action)
{
	enum role	 role = ui->ctx.sess->user->role;

	(void)data;
	if (strcmp(action, "intake") == 0)
		return (access_allows(role, ACCESS_CREATE_CASE));
	if (strcmp(action, "dashboard") == 0)
		return (access_allows(role, ACCESS_DASHBOARD));
	if (strcmp(action, "audit") == 0)
		return (access_allows(role, ACCESS_READ_AUDIT));
	if (strcmp(action, "users") == 0)
		return (role == ROLE_SUPERVISOR || role == ROLE_AUDITOR);
	return (1);
}

const struct screen ui_list_screen = {
	.name = "list",
	.keys = KEYMAP_LIST,
	.draw = list_draw,
	.key = list_key,
	.free = list_free,
	.offers = list_offers,
};
