/*
 * ui-stats.c: the statistics for supervisors and auditors (the figures
 * of 'dossier stats', stats.h), and the follow-up of recommendations:
 * those still to implement, overdue first.  Both are pages of the one
 * pager (ui-pager.c), with the help screen's keys; each opening is one
 * audit entry, as a run of 'dossier stats' is.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "account.h"
#include "form.h"
#include "i18n.h"
#include "session.h"
#include "stats.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/*
 * The statistics: the cases gathered once (one audit entry), then each
 * view made from them again: every count, one dimension or two crossed,
 * published or not (each view one audit entry, as a run is).
 */
struct statsview {
	struct stats	*st;
	enum stats_dim	 d1, d2;	/* STATS_NDIM: every count / none */
	int		 publish;
};

#define STATSVIEW_THRESHOLD	5

static char *
statsview_title(struct ui *ui, struct ui_pager *p, int *kind)
{
	struct statsview	*v = p->data;
	const char		*pub;
	char			*t;

	(void)ui;
	*kind = UI_TITLE;
	pub = v->publish ? _(", to publish") : "";
	if (v->d1 == STATS_NDIM)
		xasprintf(&t, _("Statistics: %zu cases%s"), v->st->ncases, pub);
	else if (v->d2 == STATS_NDIM)
		xasprintf(&t, _("Statistics: %zu cases, by %s%s"),
		    v->st->ncases, _(stats_dim_info(v->d1)->label), pub);
	else
		xasprintf(&t, _("Statistics: %zu cases, %s by %s%s"),
		    v->st->ncases, _(stats_dim_info(v->d1)->label),
		    _(stats_dim_info(v->d2)->label), pub);
	return (t);
}

static void
statsview_free(void *data)
{
	struct statsview	*v = data;

	stats_free(v->st);
	free(v);
}

/* Text, one row per line. */
static void
statsview_text(struct ui_pager *p, const char *text)
{
	const char	*s = text, *end;
	char		*line;

	while (*s != '\0') {
		end = s + strcspn(s, "\n");
		line = xstrndup(s, (size_t)(end - s));
		ui_pager_add(p, UI_NORMAL, line);
		free(line);
		s = *end == '\n' ? end + 1 : end;
	}
}

/* Make the view asked for, audited; 0, or -1 (the old one stays). */
static int
statsview_show(struct ui *ui, struct ui_pager *p)
{
	struct statsview	*v = p->data;
	char			*text, *detail, *cause = NULL;

	xasprintf(&detail, "screen %s%s%s publish=%d cases=%zu",
	    v->d1 == STATS_NDIM ? "all" : stats_dim_info(v->d1)->name,
	    v->d2 == STATS_NDIM ? "" : ",", v->d2 == STATS_NDIM ? "" :
	    stats_dim_info(v->d2)->name, v->publish ? STATSVIEW_THRESHOLD : 0,
	    v->st->ncases);
	if (stats_audit(&ui->ctx, detail, &cause) != 0) {
		free(detail);
		ui_cause(ui, cause);
		return (-1);
	}
	free(detail);
	stats_view(v->st, ui->ctx.forms, ui->ctx.flows, v->d1, v->d2, v->publish ?
	    STATSVIEW_THRESHOLD : 0);
	ui_pager_clear(p);
	text = stats_render(v->st, ui->ctx.forms, ui->ctx.flows, STATS_TEXT);
	statsview_text(p, text);
	free(text);
	p->top = 0;
	return (0);
}

/* Pick a dimension (first: or every count; then: or none); -1: none. */
static int
statsview_pick(struct ui *ui, const char *title, const char *first,
    int publish, enum stats_dim *d)
{
	const char	**codes, **labels;
	size_t		  n = 0;
	int		  i, k;

	codes = xcalloc(STATS_NDIM + 1, sizeof *codes);
	labels = xcalloc(STATS_NDIM + 1, sizeof *labels);
	codes[n] = "";
	labels[n++] = first;
	for (i = 0; i < STATS_NDIM; i++) {
		/* Sanctions are free text: never in a view to publish. */
		if (publish && i == STATS_SANCTION)
			continue;
		codes[n] = stats_dim_info(i)->name;
		labels[n++] = _(stats_dim_info(i)->label);
	}
	k = ui_pick(ui, title, codes, labels, n, 0, NULL);
	if (k > 0)
		stats_dim_parse(codes[k], d);
	else if (k == 0)
		*d = STATS_NDIM;
	free(codes);
	free(labels);
	return (k < 0 ? -1 : 0);
}

static void
statsview_dimension(struct ui *ui, void *data)
{
	struct ui_pager		*p = data;
	struct statsview	*v = p->data;
	enum stats_dim		 d1, d2 = STATS_NDIM, o1 = v->d1, o2 = v->d2;

	if (statsview_pick(ui, _("Count by"), _("Every count"), v->publish,
	    &d1) != 0)
		return;
	if (d1 != STATS_NDIM && statsview_pick(ui, _("Crossed with"),
	    _("Nothing"), v->publish, &d2) != 0)
		return;
	v->d1 = d1;
	v->d2 = d2;
	if (statsview_show(ui, p) != 0) {
		v->d1 = o1;
		v->d2 = o2;
	}
}

static void
statsview_publish(struct ui *ui, void *data)
{
	struct ui_pager		*p = data;
	struct statsview	*v = p->data;

	if (v->publish == 0 && (v->d1 == STATS_SANCTION ||
	    v->d2 == STATS_SANCTION)) {
		ui_message(ui, 1, "%s", _("Sanctions are free text that may "
		    "name the agent: they are never published."));
		return;
	}
	v->publish = !v->publish;
	if (statsview_show(ui, p) != 0)
		v->publish = !v->publish;
}

static const struct ui_action statsview_actions[] = {
	{ .name = "dimension", .run = statsview_dimension },
	{ .name = "publish", .run = statsview_publish },
	{ .name = NULL }
};

static const struct ui_pager_class statsview_pager = {
	.title = statsview_title,
	.actions = statsview_actions,
	.free = statsview_free,
};

static const struct screen ui_stats_screen = {
	.name = "stats",
	.keys = KEYMAP_HELP,
	.draw = ui_pager_draw,
	.key = ui_pager_key,
	.offers = ui_pager_offers,
	.free = ui_pager_free,
};

static int
ui_stats_collect(struct ui *ui, const char *detail, int how,
    struct stats **st)
{
	char	*cause = NULL;

	if (session_require(ui->ctx.sess, ACCESS_DASHBOARD, &cause) != 0 ||
	    stats_collect_how(&ui->ctx, NULL, how, st, &cause) != 0 ||
	    (detail != NULL && stats_audit(&ui->ctx, detail, &cause) != 0)) {
		if (*st != NULL)
			stats_free(*st);
		*st = NULL;
		ui_cause(ui, cause);
		return (-1);
	}
	return (0);
}

/* Every figure, as 'dossier stats' prints them; c and p change the view. */
void
ui_stats_open(struct ui *ui)
{
	struct ui_pager		*p;
	struct statsview	*v;
	struct stats		*st = NULL;

	if (ui_stats_collect(ui, NULL, 0, &st) != 0)
		return;
	v = xcalloc(1, sizeof *v);
	v->st = st;
	v->d1 = v->d2 = STATS_NDIM;
	p = ui_pager_create(&statsview_pager, v);
	if (statsview_show(ui, p) != 0) {
		ui_pager_free(p);
		return;
	}
	ui_push(ui, &ui_stats_screen, p);
}

/*
 * The follow-up: one row per recommendation still to implement, under a
 * title; Enter opens the case or mission it belongs to.
 */
struct followup {
	struct ui_listbox	 lb;		/* first: its moves serve */
	char			*title;
	char			**rows;
	uint64_t		*ids;		/* each row's case */
	size_t			 n;
	struct stats		*st;		/* the recommendations listed */
	struct stats_rec	**due;		/* those to implement, in order */
	size_t			 ndue;
	int			 cols;		/* the width rows were made for */
};

static void	followup_build(struct ui *, struct followup *, int);

static void
followup_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct followup	*f = data;
	size_t		 i;
	int		 y;

	/* Made again for a terminal resized: the unit takes what it leaves. */
	if (cols != f->cols)
		followup_build(ui, f, cols);
	ui_line(ui, 0, 0, UI_TITLE, f->title, cols);
	ui_listbox_show(&f->lb, rows - 1);
	for (y = 1; y < rows; y++) {
		i = f->lb.top + (size_t)(y - 1);
		if (i >= f->n) {
			ui_line(ui, y, 0, UI_NORMAL, "", cols);
			continue;
		}
		ui_row(ui, y, UI_NORMAL, f->rows[i], f->ids[i] != 0 &&
		    ui_listbox_is_selected(&f->lb, i));
	}
}

static int
followup_selectable(const struct ui_listbox *lb, size_t i)
{
	return (((const struct followup *)lb)->ids[i] != 0);
}

static void
followup_open(struct ui *ui, void *data)
{
	struct followup	*f = data;
	size_t		 i;

	if (ui_listbox_selected(&f->lb, &i) && f->ids[i] != 0)
		ui_case_open(ui, f->ids[i]);
}

static void
followup_stats(struct ui *ui, void *data)
{
	(void)data;
	ui_stats_open(ui);
}

static void
followup_back(struct ui *ui, void *data)
{
	(void)data;
	ui_pop(ui);
}

static const struct ui_action followup_actions[] = {
	UI_LISTBOX_ACTIONS,
	{ .name = "open", .run = followup_open },
	{ .name = "stats", .run = followup_stats },
	{ .name = "back", .run = followup_back },
	{ .name = NULL }
};

/* Only what the table holds ('r', this very screen, is not offered). */
static int
followup_offers(struct ui *ui, void *data, const char *name)
{
	(void)ui;
	(void)data;
	return (ui_action_find(followup_actions, name) != NULL);
}

static void
followup_free(void *data)
{
	struct followup	*f = data;
	size_t		 i;

	for (i = 0; i < f->n; i++)
		free(f->rows[i]);
	free(f->rows);
	free(f->ids);
	free(f->title);
	free(f->due);
	stats_free(f->st);
	free(f);
}

static const struct screen ui_followup_screen = {
	.name = "followup",
	.keys = KEYMAP_DASHBOARD,
	.draw = followup_draw,
	.actions = followup_actions,
	.offers = followup_offers,
	.free = followup_free,
};

static void
followup_add(struct followup *f, const char *text, uint64_t id)
{
	f->rows = xrealloc(f->rows, (f->n + 1) * sizeof *f->rows);
	f->ids = xrealloc(f->ids, (f->n + 1) * sizeof *f->ids);
	f->rows[f->n] = xstrdup(text);
	f->ids[f->n++] = id;
}

/* The record a recommendation comes from, in a few words. */
static char *
followup_source(struct ui *ui, const struct stats_rec *r)
{
	const struct form	*fm;
	char			*s;

	if (r->source == 0 || *r->source_kind == '\0')
		return (xstrdup("-"));
	if (strcmp(r->source_kind, "report") == 0)
		xasprintf(&s, _("Report %" PRIu64), r->source);
	else if (strcmp(r->source_kind, "decision") == 0)
		xasprintf(&s, _("Decision %" PRIu64), r->source);
	else if (strcmp(r->source_kind, "mission") == 0)
		xasprintf(&s, _("Mission %" PRIu64), r->source);
	else if ((fm = formset_form(ui->ctx.forms, r->source_kind)) != NULL)
		xasprintf(&s, "%s %" PRIu64, form_lang(fm->title), r->source);
	else
		xasprintf(&s, "%s %" PRIu64, r->source_kind, r->source);
	return (s);
}

/*
 * The rows for a terminal cols wide: a reference whole, however many
 * cases the year has; the unit as wide as the terminal leaves (the
 * status, about 28 columns, last), 11 columns at least.
 */
static void
followup_build(struct ui *ui, struct followup *f, int cols)
{
	struct stats_rec	**due = f->due;
	char			  day[16], *line, *cells, *status, *late, *src;
	size_t			  i, n = f->ndue;
	int			  rw = 15, uw = 0;

	for (i = 0; i < f->n; i++)
		free(f->rows[i]);
	f->n = 0;
	f->cols = cols;
	for (i = 0; i < n; i++) {
		if (ui_text_width(due[i]->reference) > rw)
			rw = ui_text_width(due[i]->reference);
		if (due[i]->unit != NULL && ui_text_width(due[i]->unit) > uw)
			uw = ui_text_width(due[i]->unit);
	}
	if (uw > cols - rw - 1 - 11 - 12 - 28)
		uw = cols - rw - 1 - 11 - 12 - 28;
	if (uw < 11)
		uw = 11;
	for (i = 0; i < n; i++) {
		if (due[i]->deadline > 0)
			format_day(due[i]->deadline, day);
		else
			snprintf(day, sizeof day, "-");
		line = form_value_show(FORM_DATE, day);
		status = stats_code_label(ui->ctx.forms, ui->ctx.flows,
		    STATS_REC_STATUS, due[i]->status);
		src = followup_source(ui, due[i]);
		cells = xstrdup("");
		ui_cell(&cells, due[i]->reference, rw);
		ui_cell(&cells, line, 10);
		ui_cell(&cells, src, 11);
		ui_cell(&cells, due[i]->unit, uw);
		free(src);
		if (due[i]->late > 0)
			xasprintf(&late, _("%s, %ld days late"), status,
			    due[i]->late);
		else
			late = xstrdup(status);
		free(line);
		xasprintf(&line, "%s%s", cells, late);
		followup_add(f, line, due[i]->id);
		free(line);
		free(late);
		free(cells);
		free(status);
	}
	if (n == 0)
		followup_add(f, _("No recommendation is waiting to be "
		    "implemented."), 0);
}

/* Recommendations still to implement, overdue first. */
void
ui_followup_open(struct ui *ui)
{
	struct followup		 *f;
	struct stats		 *st = NULL;
	size_t			  i, overdue = 0;

	if (ui_stats_collect(ui, "recommendations screen", STATS_RECS,
	    &st) != 0)
		return;
	f = xcalloc(1, sizeof *f);
	f->lb.selectable = followup_selectable;
	f->st = st;
	f->due = xcalloc(st->nlist + 1, sizeof *f->due);
	for (i = 0; i < st->nlist; i++)
		if (STATS_REC_OPEN(st->list[i].status)) {
			f->due[f->ndue++] = &st->list[i];
			overdue += st->list[i].late > 0;
		}
	qsort(f->due, f->ndue, sizeof *f->due, stats_rec_cmp);
	followup_build(ui, f, ui->cols);
	xasprintf(&f->title, _("Recommendations to implement: %zu, %zu "
	    "overdue"), f->ndue, overdue);
	ui_listbox_reset(&f->lb, f->n);
	ui_push(ui, &ui_followup_screen, f);
}
