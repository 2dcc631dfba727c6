/*
 * ui-list.c: the case list, the home screen.
 *
 * The list holds the clear headers of the matching cases (no key needed)
 * and draws only the rows on screen, so 100,000 cases scroll as fast as
 * ten.  Investigators start with the cases assigned to them; 'a' switches
 * to all.  '/' searches incrementally: each key typed moves the selection
 * to the next line containing the text.
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
	struct casefile_summary	*cases;
	size_t			 n;
	size_t			*order;
	size_t			 sel, top;
	enum list_sort		 sort;
	int			 searching;
	char			 search[64];
	uint64_t		 seen;
	int			 loaded;
	struct text_column	 col[LIST_NCOLS];	/* measured at load */
	int			 width[LIST_NCOLS];	/* laid out to draw */
	int			 laid;			/* for this width */
};

static void	 list_measure(struct ui *, struct list *);

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

static struct list *list_sort_ctx;
static struct ui *list_sort_ui;

static int
list_cmp(const void *a, const void *b)
{
	const struct casefile_summary	*x, *y;
	long				 dx, dy;
	int				 c = 0;

	x = &list_sort_ctx->cases[*(const size_t *)a];
	y = &list_sort_ctx->cases[*(const size_t *)b];
	switch (list_sort_ctx->sort) {
	case SORT_DEADLINE:
		dx = record_get_int(x->header, "clock.deadline", 0);
		dy = record_get_int(y->header, "clock.deadline", 0);
		if (dx == 0)
			dx = 1L << 40;
		if (dy == 0)
			dy = 1L << 40;
		c = dx < dy ? -1 : dx > dy;
		break;
	case SORT_STATE:
		c = strcmp(list_state_label(list_sort_ui, x->header),
		    list_state_label(list_sort_ui, y->header));
		break;
	case SORT_REGION:
		c = strcmp(list_str(x->header, "region"),
		    list_str(y->header, "region"));
		break;
	default:
		break;
	}
	if (c == 0)
		c = x->id < y->id ? 1 : x->id > y->id ? -1 : 0; /* newest first */
	return (c);
}

static void
list_load(struct ui *ui, struct list *l)
{
	char	*cause = NULL;
	size_t	 i;

	casefile_list_free(l->cases, l->n);
	free(l->order);
	l->cases = NULL;
	l->order = NULL;
	l->n = 0;
	if (casefile_list(&ui->ctx, &l->filter, &l->cases, &l->n,
	    &cause) != 0)
		ui_cause(ui, cause);
	l->order = xcalloc(l->n + 1, sizeof *l->order);
	for (i = 0; i < l->n; i++)
		l->order[i] = i;
	list_sort_ctx = l;
	list_sort_ui = ui;
	qsort(l->order, l->n, sizeof *l->order, list_cmp);
	list_measure(ui, l);
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
	} else if (ui->ctx.sess->user->role == ROLE_INVESTIGATOR)
		l->filter.assignee = ui->ctx.sess->user->name;
	l->title = xstrdup(title != NULL ? title : _("Cases"));
	return (l);
}

static void
list_free(void *data)
{
	struct list	*l = data;

	casefile_list_free(l->cases, l->n);
	free(l->order);
	free(l->title);
	free(l->state);
	free(l->field);
	free(l->value);
	free(l->assignee);
	free(l->workflow);
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

/* The widest cell of each column, headers included. */
static void
list_measure(struct ui *ui, struct list *l)
{
	char	*cell[LIST_NCOLS];
	size_t	 i;
	int	 c, w;

	for (c = 0; c < LIST_NCOLS; c++) {
		l->col[c].want = ui_text_width(_(list_cols[c].title));
		l->col[c].weight = list_cols[c].weight;
	}
	for (i = 0; i < l->n; i++) {
		list_cells(ui, &l->cases[i], cell);
		for (c = 0; c < LIST_NCOLS; c++)
			if ((w = ui_text_width(cell[c])) > l->col[c].want)
				l->col[c].want = w;
		list_cells_free(cell);
	}
	for (c = 0; c < LIST_NCOLS; c++) {
		l->col[c].min = list_cols[c].weight == 0 ? l->col[c].want :
		    list_cols[c].min;
		if (l->col[c].min > l->col[c].want)
			l->col[c].min = l->col[c].want;
	}
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

static void
list_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct list	*l = data;
	char		*title, *line, *cell[LIST_NCOLS];
	int		 y, c, body = rows - 2;
	size_t		 i;

	if (!l->loaded || l->seen != ui->list_dirty)
		list_load(ui, l);
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)body)
		l->top = l->sel - body + 1;
	xasprintf(&title, _("%s: %zu  |  %s (%s)%s"), l->title, l->n,
	    ui->ctx.sess->user->name,
	    access_role_label(ui->ctx.sess->user->role),
	    l->filter.assignee != NULL ? _("  |  mine") : "");
	ui_line(ui, 0, 0, UI_TITLE, title, cols);
	free(title);
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
		list_cells(ui, &l->cases[l->order[i]], cell);
		line = list_format(ui, l, cell);
		list_cells_free(cell);
		ui_row(ui, 2 + y, l->cases[l->order[i]].overdue > 0 ?
		    UI_ALERT : UI_NORMAL, line, i == l->sel);
		free(line);
	}
	if (l->searching) {
		xasprintf(&title, _("Search: %s"), l->search);
		ui_message(ui, 0, "%s", title);
		free(title);
	}
}

static int
list_matches(struct ui *ui, struct list *l, size_t i)
{
	char	*cell[LIST_NCOLS];
	int	 c, match = 0;

	if (l->search[0] == '\0')
		return (0);
	/* The whole labels, not the cells cut to the screen. */
	list_cells(ui, &l->cases[l->order[i]], cell);
	for (c = 0; c < LIST_NCOLS && !match; c++)
		match = strcasestr(cell[c], l->search) != NULL;
	list_cells_free(cell);
	if (!match)
		match = strcasestr(list_str(l->cases[l->order[i]].header,
		    "assignees"), l->search) != NULL;
	return (match);
}

static void
list_search_next(struct ui *ui, struct list *l, int from_next)
{
	size_t	 k, i;

	for (k = from_next ? 1 : 0; k <= l->n; k++) {
		i = (l->sel + k) % (l->n ? l->n : 1);
		if (l->n > 0 && list_matches(ui, l, i)) {
			l->sel = i;
			return;
		}
	}
	ui_message(ui, 1, _("No line contains '%s'."), l->search);
}

static void
list_filter(struct ui *ui, struct list *l)
{
	const char	*codes[] = { "all", "mine", "overdue", "state", "region" };
	const char	*labels[5];
	const struct workflow *wf;
	const struct form_list *fl;
	const char	**c2, **l2;
	size_t		 n, i;
	int		 k;

	labels[0] = _("All cases");
	labels[1] = _("Assigned to me");
	labels[2] = _("Overdue");
	labels[3] = _("By state...");
	labels[4] = _("By region...");
	if ((k = ui_pick(ui, _("Filter"), codes, labels, 5, 0, NULL)) < 0)
		return;
	free(l->state);
	free(l->field);
	free(l->value);
	l->state = l->field = l->value = NULL;
	memset(&l->filter, 0, sizeof l->filter);
	if (k == 1)
		l->filter.assignee = ui->ctx.sess->user->name;
	else if (k == 2)
		l->filter.overdue = 1;
	else if (k == 3 && (wf = workflow_find(ui->ctx.flows,
	    "inspection")) != NULL) {
		n = wf->nstates;
		c2 = xcalloc(n, sizeof *c2);
		l2 = xcalloc(n, sizeof *l2);
		for (i = 0; i < n; i++) {
			c2[i] = wf->states[i].id;
			l2[i] = wf->states[i].label[lang_index()];
		}
		if ((k = ui_pick(ui, _("State"), c2, l2, n, 0, NULL)) >= 0)
			l->state = xstrdup(c2[k]);
		free(c2);
		free(l2);
	} else if (k == 4 && (fl = formset_list(ui->ctx.forms,
	    "regions")) != NULL) {
		n = fl->nitems;
		c2 = xcalloc(n, sizeof *c2);
		l2 = xcalloc(n, sizeof *l2);
		for (i = 0; i < n; i++) {
			c2[i] = fl->items[i].code;
			l2[i] = fl->items[i].label[lang_index()];
		}
		if ((k = ui_pick(ui, _("Region"), c2, l2, n, 0, NULL)) >= 0) {
			l->field = xstrdup("region");
			l->value = xstrdup(c2[k]);
		}
		free(c2);
		free(l2);
	}
	l->filter.state = l->state;
	l->filter.field = l->field;
	l->filter.value = l->value;
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
	size_t		 len;
	char		 u[8], *cause = NULL;

	if (l->searching) {
		len = strlen(l->search);
		if (key == KEYC_ENTER || key == KEYC_ESC) {
			l->searching = 0;
			return;
		}
		if (key == KEYC_BSPACE) {
			/* A whole character, not the last byte of an accent. */
			while (len > 0 && (l->search[len - 1] & 0xc0) == 0x80)
				l->search[--len] = '\0';
			if (len > 0)
				l->search[--len] = '\0';
		} else if (key >= 0x20 && key < KEYC_BASE) {
			ui_key_text(key, u, sizeof u);
			if (len + strlen(u) < sizeof l->search)
				memcpy(l->search + len, u, strlen(u) + 1);
		} else
			return;
		list_search_next(ui, l, 0);
		l->searching = 1;
		return;
	}
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
		ui_case_open(ui, l->cases[l->order[l->sel]].id);
	else if (strcmp(action, "search") == 0) {
		l->searching = 1;
		l->search[0] = '\0';
	} else if (strcmp(action, "search-next") == 0)
		list_search_next(ui, l, 1);
	else if (strcmp(action, "filter") == 0)
		list_filter(ui, l);
	else if (strcmp(action, "sort") == 0) {
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
		if (ui->ctx.sess->user->role == ROLE_SUPERVISOR ||
		    ui->ctx.sess->user->role == ROLE_AUDITOR)
			ui_admin_open(ui);
		else
			ui_message(ui, 1, "%s", _("Accounts are managed by "
			    "administrators."));
	}
	else if (strcmp(action, "quit") == 0)
		ui_pop(ui);
}

const struct screen ui_list_screen = {
	.name = "list",
	.keys = KEYMAP_LIST,
	.draw = list_draw,
	.key = list_key,
	.free = list_free,
};
