/*
 * ui-list.c: the case list, the home screen.
 *
 * The list holds the ids of the matching cases in their order, from
 * walks of the header indexes (no header read): an unfiltered list reads
 * them as far as the screen goes (casefile_ids_open(), _more()), so the
 * first screen of a million cases, in any order, reads a few hundred;
 * End on a list of one index walk reads its last rows from the end
 * (casefile_ids_tail()), until both reads meet.  It reads the clear
 * headers of the rows on screen only, a window of them at a time
 * (casefile_summaries()), so 100,000 cases scroll as fast as
 * ten.  After a change the ids are walked again and the window re-read;
 * the column widths are those of the rows seen so far, and only grow.
 * Investigators start with the cases assigned to them; 'a' switches to
 * all.  The selection and scrolling are the list widget's
 * (ui-listbox.c); the search is in ui-list-search.c, the filters and
 * the header that names them in ui-list-filter.c.  Each key's action is
 * a function in the table at the end, which also says what the user's
 * role is offered.
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
#include "ui-list-int.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

/*
 * The columns, sized to the terminal at each draw from the widths
 * measured at load (text_columns()): the reference and the figures are
 * never cut, each as wide as its widest; the text columns share the
 * rest, the state first, and widen on a wider terminal until every
 * label is whole.  A label still too long ends with an ellipsis.
 */
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


static void	 list_measure(struct ui *, struct list *, int);

const char *
list_str(const struct record *h, const char *k)
{
	const char	*s = record_get_str(h, k);

	return (s != NULL ? s : "");
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

#define LIST_FIRST	512	/* ids read at first, at least */

/*
 * The ids of rows [0, want) read: 0, or -1 when the list ended before
 * (its number is then made right) or a read failed.  Each read goes at
 * least twice as far as the last, so the end is a few reads away.
 */
static int
list_rows_need(struct ui *ui, struct list *l, size_t want)
{
	char	*cause = NULL;
	size_t	 far;

	if (want <= l->rows.n)
		return (0);
	far = want < 2 * l->rows.n ? 2 * l->rows.n : want;
	if (casefile_ids_more(&ui->ctx, &l->rows, far, &cause) != 0) {
		ui_cause(ui, cause);
		return (-1);
	}
	if (l->rows.total != l->lb.n) {
		/* The texts read for the search are per row of the old
		 * number; the window too. */
		list_texts_free(l);
		list_window_free(l);
		ui_listbox_reset(&l->lb, l->rows.total);
	}
	return (want <= l->rows.n ? 0 : -1);
}

/* Row i's id if it was read, from the start or from the end; else 0. */
static uint64_t
list_known(const struct list *l, size_t i)
{
	const struct casefile_idlist	*r = &l->rows;

	if (i < r->n)
		return (r->ids[i]);
	if (r->ntail > 0 && i < r->total && i >= r->total - r->ntail)
		return (r->tail[r->total - 1 - i]);
	return (0);
}

#define LIST_TAIL_FAR	512	/* rows past those read: read from the end */

/*
 * Rows [from, to) read: far past the rows read from the start (End), a
 * list of one walk reads them from its end; any other, from the start.
 */
static int
list_rows_have(struct ui *ui, struct list *l, size_t from, size_t to)
{
	char	*cause = NULL;
	size_t	 i;
	int	 rc;

	for (i = from; i < to && list_known(l, i) != 0; i++)
		;
	if (i == to)
		return (0);
	if (from < l->rows.n + LIST_TAIL_FAR || to > l->rows.total)
		return (list_rows_need(ui, l, to));
	rc = casefile_ids_tail(&ui->ctx, &l->rows, l->rows.total - from,
	    &cause);
	if (rc < 0) {
		ui_cause(ui, cause);
		return (-1);
	}
	if (rc == 1)
		return (list_rows_need(ui, l, to));
	if (l->rows.total != l->lb.n) {
		/* Both ends met: the number made right. */
		list_texts_free(l);
		list_window_free(l);
		ui_listbox_reset(&l->lb, l->rows.total);
	}
	for (i = from; i < to && list_known(l, i) != 0; i++)
		;
	return (i == to ? 0 : -1);
}

uint64_t
list_id(struct ui *ui, struct list *l, size_t i)
{
	if (i >= l->lb.n || (list_known(l, i) == 0 && list_rows_have(ui, l,
	    i, i + 1) != 0))
		return (0);
	return (list_known(l, i));
}

/* The header of row i, reading a window of rows around it if needed. */
const struct casefile_summary *
list_row(struct ui *ui, struct list *l, size_t i)
{
	char		*cause = NULL;
	uint64_t	*ids;
	size_t		 from, n, k;
	int		 rc;

	if (i >= l->lb.n)
		return (NULL);
	if (l->win != NULL && i >= l->win_from && i < l->win_from + l->win_n)
		return (&l->win[i - l->win_from]);
	list_window_free(l);
	from = i > LIST_WINDOW / 4 ? i - LIST_WINDOW / 4 : 0;
	n = l->lb.n - from < LIST_WINDOW ? l->lb.n - from : LIST_WINDOW;
	if (list_rows_have(ui, l, from, from + n) != 0) {
		/* The list ended before (the counter was ahead). */
		if (i >= l->rows.n)
			return (NULL);
		n = l->rows.n - from;
	}
	if (i >= l->lb.n)	/* both ends met, fewer than counted */
		return (NULL);
	ids = xcalloc(n + 1, sizeof *ids);
	for (k = 0; k < n; k++)
		ids[k] = list_known(l, from + k);
	rc = casefile_summaries(&ui->ctx, ids, n, &l->win, &cause);
	free(ids);
	if (rc != 0) {
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

#define LIST_KEEP_FAR	4096	/* rows read to find the case kept */

/*
 * Select the case kept across a reload where it is now, reading the
 * list as far as LIST_KEEP_FAR for it: 1, or 0 when it is not there.
 */
static int
list_select_kept(struct ui *ui, struct list *l, uint64_t keep)
{
	size_t	 i;

	for (i = 0; i < l->lb.n && i < LIST_KEEP_FAR; i++) {
		if (i >= l->rows.n && list_rows_need(ui, l, i + 1) != 0)
			break;
		if (l->rows.ids[i] == keep) {
			ui_listbox_select(&l->lb, i);
			return (1);
		}
	}
	return (0);
}

static void
list_load(struct ui *ui, struct list *l)
{
	char	*cause = NULL;
	uint64_t keep = l->keep;
	size_t	 i;
	int	 sorted = keep != 0;

	/* After a change, the case selected stays so where it went. */
	if (keep == 0 && l->loaded && ui_listbox_selected(&l->lb, &i) &&
	    i < l->rows.n)
		keep = l->rows.ids[i];
	l->keep = 0;
	list_texts_free(l);
	list_window_free(l);
	casefile_idlist_free(&l->rows);
	if (casefile_ids_open(&ui->ctx, &l->filter,
	    list_casefile_sort(l->sort), LIST_FIRST, &l->rows, &cause) != 0)
		ui_cause(ui, cause);
	ui_listbox_reset(&l->lb, l->rows.total);
	/* A new order starts at the top where the case is not near it. */
	if (keep != 0 && !list_select_kept(ui, l, keep) && sorted)
		l->lb.sel = l->lb.top = 0;
	if (l->seen == 0 || !l->loaded)
		list_measure(ui, l, 1);
	l->seen = ui->list_dirty;
	l->loaded = 1;
}

void
list_reload(struct list *l)
{
	l->lb.sel = l->lb.top = 0;
	l->loaded = 0;
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
	casefile_idlist_free(&l->rows);
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
void
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
	cell[COL_STATE] = xstrdup(workflow_state_label(workflow_find(
	    ui->ctx.flows, list_str(h, "workflow")), list_str(h, "state")));
	cell[COL_REGION] = xstrdup(form_label(ui->ctx.forms, "intake",
	    "region", list_str(h, "region")));
	cell[COL_CATEGORY] = xstrdup(form_label(ui->ctx.forms, "intake",
	    "categories", cat));
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

void
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

/*
 * "first +N" in width columns: first without the space ("ibrahim+1" in 9
 * columns), then the first name cut, never the count of the others
 * ("ibrahim +1" in 8 columns is "ibra… +1", not "ibrahim…").  Allocated.
 */
static char *
list_assigned_fit(const char *cell, int width)
{
	const char	*plus = strstr(cell, " +");
	char		*name, *fit, *out;
	int		 tail;

	if (plus == NULL || text_width(cell) <= width ||
	    (tail = text_width(plus)) + 2 > width)
		return (xstrdup(cell));
	name = xstrndup(cell, (size_t)(plus - cell));
	if (text_width(cell) - 1 <= width) {
		xasprintf(&out, "%s%s", name, plus + 1);
		free(name);
		return (out);
	}
	fit = text_fit(name, width - tail, 0);
	xasprintf(&out, "%s%s", fit, plus);
	free(fit);
	free(name);
	return (out);
}

/* One line of the list, its cells laid out in columns; the caller frees it. */
static char *
list_format(struct ui *ui, struct list *l, char *cell[LIST_NCOLS])
{
	char	*out = xstrdup(""), *fit;
	int	 c;

	(void)ui;
	for (c = 0; c < LIST_NCOLS; c++) {
		if (list_cols[c].figure)
			ui_cell_right(&out, cell[c], l->width[c]);
		else if (c == COL_ASSIGNED) {
			fit = list_assigned_fit(cell[c], l->width[c]);
			ui_cell(&out, fit, l->width[c]);
			free(fit);
		} else
			ui_cell(&out, cell[c], l->width[c]);
	}
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
	ui_listbox_show(&l->lb, body);
	/* The rows on screen read (and measured) before the layout. */
	if (l->lb.n > 0 && (l->win == NULL || l->lb.top < l->win_from ||
	    l->lb.top + (size_t)body > l->win_from + l->win_n)) {
		list_window_free(l);
		list_row(ui, l, l->lb.top);
	}
	filters = list_filters_text(ui, l);
	if (l->missed) {
		/* While typing a search that finds nothing (so far). */
		if (l->missed == LIST_MISSED_STEP)
			xasprintf(&title, _("\"%s\" is not in the first %zu "
			    "of %zu cases."), l->search, l->lb.n -
			    l->search_left, l->lb.n);
		else if (*filters != '\0')
			xasprintf(&title, _("No case of this list contains "
			    "\"%s\" (a filter is on: f, then No filter, "
			    "searches every case)."), l->search);
		else
			xasprintf(&title, _("No case contains \"%s\"."),
			    l->search);
		ui_line(ui, 0, 0, UI_ALERT, title, cols);
	} else {
		xasprintf(&title, _("%s: %zu  |  %s (%s)%s%s"), l->title, l->lb.n,
		    ui->ctx.sess->user->name,
		    access_role_label(ui->ctx.sess->user->role),
		    *filters != '\0' ? "  |  " : "", filters);
		/* The filters on matter more than who is signed in (the
		 * dashboard says it): too long, the name goes. */
		if (*filters != '\0' && ui_text_width(title) > cols) {
			free(title);
			xasprintf(&title, _("%s: %zu  |  %s"), l->title,
			    l->lb.n, filters);
		}
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
		i = l->lb.top + (size_t)y;
		if (i >= l->lb.n) {
			ui_line(ui, 2 + y, 0, UI_NORMAL, y == 0 && l->lb.n == 0 ?
			    _("No case matches.") : "", cols);
			continue;
		}
		if ((cs = list_row(ui, l, i)) == NULL)
			break;
		list_cells(ui, cs, cell);
		line = list_format(ui, l, cell);
		list_cells_free(cell);
		ui_row(ui, 2 + y, cs->overdue > 0 ? UI_ALERT : UI_NORMAL,
		    line, ui_listbox_is_selected(&l->lb, i));
		free(line);
	}
}

static void
list_intake(struct ui *ui, void *data)
{
	const char	*codes[] = { "inspection", "monitoring" };
	const char	*labels[2];
	const struct workflow *wf[2];
	char		*cause = NULL;
	int		 k;

	(void)data;
	if (session_require(ui->ctx.sess, ACCESS_CREATE_CASE, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	if (ui_refuses_change(ui))
		return;
	/* Ask which workflow only when both are installed. */
	wf[0] = workflow_find(ui->ctx.flows, codes[0]);
	wf[1] = workflow_find(ui->ctx.flows, codes[1]);
	if (wf[0] != NULL && wf[1] != NULL) {
		labels[0] = form_lang(wf[0]->title);
		labels[1] = form_lang(wf[1]->title);
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
list_open(struct ui *ui, void *data)
{
	struct list	*l = data;
	size_t		 i;
	uint64_t	 id;

	if (ui_listbox_selected(&l->lb, &i) && (id = list_id(ui, l, i)) != 0)
		ui_case_open(ui, id);
}

static void
list_sort(struct ui *ui, void *data)
{
	struct list	*l = data;
	size_t		 i;

	/* The case selected stays so in the new order. */
	if (ui_listbox_selected(&l->lb, &i))
		l->keep = list_id(ui, l, i);
	l->sort = (l->sort + 1) % SORT_COUNT;
	l->loaded = 0;
	ui_message(ui, 0, "%s", l->sort == SORT_DEADLINE ?
	    _("Sorted by deadline") : l->sort == SORT_STATE ?
	    _("Sorted by state") : l->sort == SORT_REGION ?
	    _("Sorted by region") : _("Sorted by reference, newest first"));
}

static void
list_all_mine(struct ui *ui, void *data)
{
	struct list	*l = data;

	l->filter.assignee = l->filter.assignee == NULL ?
	    ui->ctx.sess->user->name : NULL;
	list_reload(l);
}

static void
list_dashboard(struct ui *ui, void *data)
{
	char	*cause = NULL;

	(void)data;
	if (session_require(ui->ctx.sess, ACCESS_DASHBOARD, &cause) != 0)
		ui_cause(ui, cause);
	else
		ui_dashboard_open(ui);
}

/* Supervisors and auditors approve accounts there. */
static int
list_offers_users(struct ui *ui, void *data)
{
	enum role	 role = ui->ctx.sess->user->role;

	(void)data;
	return (role == ROLE_SUPERVISOR || role == ROLE_AUDITOR);
}

static void
list_users(struct ui *ui, void *data)
{
	if (list_offers_users(ui, data))
		ui_admin_open(ui);
	else
		ui_message(ui, 1, "%s", _("Accounts are managed by "
		    "administrators."));
}

static void
list_quit(struct ui *ui, void *data)
{
	(void)data;
	ui_pop(ui);
}

/* Only what the user's role may do is offered, in the bar and in help. */
static int
list_offers_intake(struct ui *ui, void *data)
{
	(void)data;
	return (access_allows(ui->ctx.sess->user->role, ACCESS_CREATE_CASE));
}

static int
list_offers_dashboard(struct ui *ui, void *data)
{
	(void)data;
	return (access_allows(ui->ctx.sess->user->role, ACCESS_DASHBOARD));
}

static const struct ui_action list_actions[] = {
	UI_LISTBOX_ACTIONS,
	{ .name = "open", .run = list_open },
	{ .name = "search", .run = list_search },
	{ .name = "search-next", .run = list_search_next },
	{ .name = "filter", .run = list_filter },
	{ .name = "my-overdue", .run = list_my_overdue },
	{ .name = "sort", .run = list_sort },
	{ .name = "all-mine", .run = list_all_mine },
	{ .name = "intake", .run = list_intake,
	  .offered = list_offers_intake },
	{ .name = "dashboard", .run = list_dashboard,
	  .offered = list_offers_dashboard },
	{ .name = "audit", .run = ui_audit_action, .offered = ui_audit_offered },
	{ .name = "users", .run = list_users, .offered = list_offers_users },
	{ .name = "quit", .run = list_quit },
	{ .name = NULL }
};

const struct screen ui_list_screen = {
	.name = "list",
	.keys = KEYMAP_LIST,
	.draw = list_draw,
	.actions = list_actions,
	.free = list_free,
};
