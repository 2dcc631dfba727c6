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

/* A page of figures: its title is the class's data. */
static char *
statsview_title(struct ui *ui, struct ui_pager *p, int *kind)
{
	(void)ui;
	*kind = UI_TITLE;
	return (xstrdup(p->data));
}

static const struct ui_pager_class statsview_pager = {
	.title = statsview_title,
	.free = free,
};

static const struct screen ui_stats_screen = {
	.name = "stats",
	.keys = KEYMAP_HELP,
	.draw = ui_pager_draw,
	.key = ui_pager_key,
	.offers = ui_pager_offers,
	.free = ui_pager_free,
};

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
	struct ui_pager		*p;
	struct stats		*st = NULL;
	char			*text, *title;

	if (ui_stats_collect(ui, "screen", &st) != 0)
		return;
	xasprintf(&title, _("Statistics: %zu cases"), st->ncases);
	p = ui_pager_create(&statsview_pager, title);
	text = stats_render(st, ui->ctx.forms, ui->ctx.flows, STATS_TEXT);
	statsview_text(p, text);
	free(text);
	stats_free(st);
	ui_push(ui, &ui_stats_screen, p);
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
	struct ui_pager		 *p;
	struct stats		 *st = NULL;
	struct stats_rec	**due;
	char			  day[16], *line, *cells, *status, *late, *title;
	size_t			  i, n = 0, overdue = 0;

	if (ui_stats_collect(ui, "recommendations screen", &st) != 0)
		return;
	due = xcalloc(st->nlist + 1, sizeof *due);
	for (i = 0; i < st->nlist; i++)
		if (STATS_REC_OPEN(st->list[i].status))
			due[n++] = &st->list[i];
	qsort(due, n, sizeof *due, ui_followup_cmp);
	p = ui_pager_create(&statsview_pager, NULL);
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
		ui_pager_add(p, UI_NORMAL, line);
		free(line);
		free(late);
		free(cells);
		free(status);
	}
	if (n == 0)
		ui_pager_add(p, UI_NORMAL, _("No recommendation is waiting to "
		    "be implemented."));
	xasprintf(&title, _("Recommendations to implement: %zu, %zu "
	    "overdue"), n, overdue);
	p->data = title;
	free(due);
	stats_free(st);
	ui_push(ui, &ui_stats_screen, p);
}
