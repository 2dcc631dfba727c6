/*
 * ui-stats.c: the statistics for supervisors and auditors (the figures
 * of 'dossier stats', stats.h), and the follow-up of recommendations:
 * those still to implement, overdue first.  Both are read-only pages
 * that scroll with the help screen's keys (up, down, pages, back); each
 * opening is one audit entry, as a run of 'dossier stats' is.
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

struct statsview {
	char		 *title;
	char		**lines;
	size_t		  n, top;
};

static void
statsview_add(struct statsview *v, const char *line)
{
	v->lines = xrealloc(v->lines, (v->n + 1) * sizeof *v->lines);
	v->lines[v->n++] = xstrdup(line);
}

/* Text, one entry per line. */
static void
statsview_text(struct statsview *v, const char *text)
{
	const char	*p = text, *end;
	char		*line;

	while (*p != '\0') {
		end = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(end - p));
		statsview_add(v, line);
		free(line);
		p = *end == '\n' ? end + 1 : end;
	}
}

static void
statsview_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct statsview	*v = data;
	size_t			 i;
	int			 y;

	ui_line(ui, 0, 0, UI_TITLE, v->title, cols);
	for (y = 1; y < rows; y++) {
		i = v->top + (size_t)(y - 1);
		ui_line(ui, y, 0, UI_NORMAL, i < v->n ? v->lines[i] : "", cols);
	}
}

static void
statsview_key(struct ui *ui, void *data, const char *action, int key)
{
	struct statsview	*v = data;
	size_t			 page = (size_t)(ui->rows > 4 ? ui->rows - 4 : 1);

	(void)key;
	if (action == NULL)
		return;
	if (strcmp(action, "down") == 0 && v->top + 1 < v->n)
		v->top++;
	else if (strcmp(action, "up") == 0 && v->top > 0)
		v->top--;
	else if (strcmp(action, "page-down") == 0 && v->top + page < v->n)
		v->top += page;
	else if (strcmp(action, "page-up") == 0)
		v->top = v->top > page ? v->top - page : 0;
	else if (strcmp(action, "back") == 0)
		ui_pop(ui);
}

static void
statsview_free(void *data)
{
	struct statsview	*v = data;
	size_t			 i;

	for (i = 0; i < v->n; i++)
		free(v->lines[i]);
	free(v->lines);
	free(v->title);
	free(v);
}

static const struct screen ui_stats_screen = {
	.name = "stats",
	.keys = KEYMAP_HELP,
	.draw = statsview_draw,
	.key = statsview_key,
	.free = statsview_free,
};

static int
ui_stats_collect(struct ui *ui, const char *detail, struct stats **st)
{
	char	*cause = NULL;

	if (session_require(ui->ctx.sess, ACCESS_DASHBOARD, &cause) != 0 ||
	    stats_collect(&ui->ctx, NULL, st, &cause) != 0 ||
	    stats_audit(&ui->ctx, detail, &cause) != 0) {
		if (*st != NULL)
			stats_free(*st);
		*st = NULL;
		ui_cause(ui, cause);
		return (-1);
	}
	return (0);
}

/* Every figure, as 'dossier stats' prints them. */
void
ui_stats_open(struct ui *ui)
{
	struct statsview	*v;
	struct stats		*st = NULL;
	char			*text;

	if (ui_stats_collect(ui, "screen", &st) != 0)
		return;
	v = xcalloc(1, sizeof *v);
	xasprintf(&v->title, _("Statistics: %zu cases"), st->ncases);
	text = stats_render(st, ui->ctx.forms, ui->ctx.flows, STATS_TEXT);
	statsview_text(v, text);
	free(text);
	stats_free(st);
	ui_push(ui, &ui_stats_screen, v);
}

static int
ui_followup_cmp(const void *a, const void *b)
{
	const struct stats_rec	*x = *(const struct stats_rec * const *)a;
	const struct stats_rec	*y = *(const struct stats_rec * const *)b;

	if (x->late != y->late)
		return (x->late > y->late ? -1 : 1);
	if (x->deadline != y->deadline)
		return (x->deadline < y->deadline ? -1 : 1);
	return (strcmp(x->reference, y->reference));
}

/* Recommendations still to implement, overdue first. */
void
ui_followup_open(struct ui *ui)
{
	struct statsview	 *v;
	struct stats		 *st = NULL;
	struct stats_rec	**due;
	char			  day[16], *line, *cells, *status, *late;
	size_t			  i, n = 0, overdue = 0;

	if (ui_stats_collect(ui, "recommendations screen", &st) != 0)
		return;
	due = xcalloc(st->nlist + 1, sizeof *due);
	for (i = 0; i < st->nlist; i++)
		if (STATS_REC_OPEN(st->list[i].status))
			due[n++] = &st->list[i];
	qsort(due, n, sizeof *due, ui_followup_cmp);
	v = xcalloc(1, sizeof *v);
	for (i = 0; i < n; i++) {
		overdue += due[i]->late > 0;
		if (due[i]->deadline > 0)
			format_day(due[i]->deadline, day);
		else
			snprintf(day, sizeof day, "-");
		line = form_value_show(FORM_DATE, day);
		status = stats_code_label(ui->ctx.forms, ui->ctx.flows,
		    STATS_REC_STATUS, due[i]->status);
		cells = xstrdup("");
		ui_cell(&cells, due[i]->reference, 15);
		ui_cell(&cells, line, 10);
		ui_cell(&cells, due[i]->unit, 20);
		if (due[i]->late > 0)
			xasprintf(&late, _("%s, %ld days late"), status,
			    due[i]->late);
		else
			late = xstrdup(status);
		xasprintf(&line, "%s%s", cells, late);
		statsview_add(v, line);
		free(line);
		free(late);
		free(cells);
		free(status);
	}
	if (n == 0)
		statsview_add(v, _("No recommendation is waiting to be "
		    "implemented."));
	xasprintf(&v->title, _("Recommendations to implement: %zu, %zu "
	    "overdue"), n, overdue);
	free(due);
	stats_free(st);
	ui_push(ui, &ui_stats_screen, v);
}
