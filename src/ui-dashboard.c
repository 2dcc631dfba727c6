/*
 * ui-dashboard.c: the supervisor's status screen: cases by state, overdue
 * cases, cases waiting for a decision, workload per investigator, agents
 * named in several cases (early warning), and counts by region, force,
 * category and victim sex.  Each line opens the matching case list.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

struct dash_row {
	char		*text;
	int		 kind;
	struct casefile_filter filter;	/* strings point into the row */
	char		*a, *b, *c;
	int		 opens;
	uint64_t	 case_id;	/* an agent's case */
};

struct dashboard {
	struct dash_row	*rows;
	size_t		 n, sel, top;
	uint64_t	 seen;
	int		 loaded;
};

struct dash_count {
	char	*key;
	size_t	 n;
};

static void
dash_clear(struct dashboard *d)
{
	size_t	 i;

	for (i = 0; i < d->n; i++) {
		free(d->rows[i].text);
		free(d->rows[i].a);
		free(d->rows[i].b);
		free(d->rows[i].c);
	}
	free(d->rows);
	d->rows = NULL;
	d->n = 0;
}

static struct dash_row *
dash_add(struct dashboard *d, int kind, const char *text)
{
	struct dash_row	*r;

	d->rows = xrealloc(d->rows, (d->n + 1) * sizeof *d->rows);
	r = &d->rows[d->n++];
	memset(r, 0, sizeof *r);
	r->text = xstrdup(text);
	r->kind = kind;
	return (r);
}

static void
dash_count(struct dash_count **c, size_t *n, const char *key)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*c)[i].key, key) == 0) {
			(*c)[i].n++;
			return;
		}
	*c = xrealloc(*c, (*n + 1) * sizeof **c);
	(*c)[*n].key = xstrdup(key);
	(*c)[*n].n = 1;
	(*n)++;
}

static int
dash_cmp(const void *a, const void *b)
{
	const struct dash_count	*x = a, *y = b;

	return (x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->key, y->key));
}

/* A header field, "" when missing. */
static const char *
dash_str(const struct record *h, const char *k)
{
	const char	*s = record_get_str(h, k);

	return (s != NULL ? s : "");
}

static const char *
dash_label(struct ui *ui, const char *list, const char *code)
{
	const struct form_list	*l = formset_list(ui->ctx.forms, list);
	const struct form_item	*it;

	if (l == NULL || (it = form_list_item(l, code)) == NULL)
		return (code);
	return (it->label[lang_index()]);
}

/* Count one header field over all cases; comma lists count each code. */
static void
dash_section(struct ui *ui, struct dashboard *d,
    const struct casefile_summary *cs, size_t n, const char *title,
    const char *field, const char *list)
{
	struct dash_count	*c = NULL;
	struct dash_row		*r;
	const char		*v;
	char			*copy, *tok, *save, line[200];
	size_t			 nc = 0, i;

	for (i = 0; i < n; i++) {
		if ((v = record_get_str(cs[i].header, field)) == NULL ||
		    *v == '\0')
			continue;
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			dash_count(&c, &nc, tok);
		free(copy);
	}
	qsort(c, nc, sizeof *c, dash_cmp);
	dash_add(d, UI_TITLE, title);
	for (i = 0; i < nc; i++) {
		snprintf(line, sizeof line, "  %6zu  %s", c[i].n,
		    list != NULL ? dash_label(ui, list, c[i].key) : c[i].key);
		r = dash_add(d, UI_NORMAL, line);
		r->opens = 1;
		if (strcmp(field, "assignees") == 0) {
			r->a = xstrdup(c[i].key);
			r->filter.assignee = r->a;
		} else {
			r->a = xstrdup(field);
			r->b = xstrdup(c[i].key);
			r->filter.field = r->a;
			r->filter.value = r->b;
		}
		free(c[i].key);
	}
	free(c);
}

/* The states of a case waiting for review or a decision. */
#define DASH_WAITING	"rapport_depose,en_revue,transmise"

static int
dash_waiting(const char *state)
{
	char	*key;
	int	 found;

	if (*state == '\0')
		return (0);
	xasprintf(&key, ",%s,", state);
	found = strstr("," DASH_WAITING ",", key) != NULL;
	free(key);
	return (found);
}

static void
dash_load(struct ui *ui, struct dashboard *d)
{
	struct casefile_summary		*cs;
	struct casefile_agent_count	*ag;
	const struct workflow		*wf;
	struct dash_row			*r;
	char				*cause = NULL, line[200];
	size_t				 n, i, j, nag, overdue = 0, waiting = 0;
	size_t				 count;

	dash_clear(d);
	d->loaded = 1;
	d->seen = ui->list_dirty;
	if (casefile_list(&ui->ctx, NULL, &cs, &n, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (cs[i].overdue > 0)
			overdue++;
		if (dash_waiting(dash_str(cs[i].header, "state")))
			waiting++;
	}
	snprintf(line, sizeof line, _("Dashboard: %zu cases"), n);
	dash_add(d, UI_TITLE, line);
	snprintf(line, sizeof line, _("  %6zu  overdue"), overdue);
	r = dash_add(d, overdue ? UI_ALERT : UI_NORMAL, line);
	r->opens = 1;
	r->filter.overdue = 1;
	snprintf(line, sizeof line, _("  %6zu  waiting for review or a "
	    "decision"), waiting);
	r = dash_add(d, UI_NORMAL, line);
	r->opens = 1;
	r->a = xstrdup(DASH_WAITING);
	r->filter.state = r->a;
	for (j = 0; j < ui->ctx.flows->n; j++) {
		wf = ui->ctx.flows->list[j];
		dash_add(d, UI_TITLE, wf->title[lang_index()]);
		for (i = 0; i < wf->nstates; i++) {
			size_t	 k;

			count = 0;
			for (k = 0; k < n; k++)
				if (strcmp(dash_str(cs[k].header,
				    "workflow"), wf->id) == 0 &&
				    strcmp(dash_str(cs[k].header,
				    "state"), wf->states[i].id) == 0)
					count++;
			if (count == 0)
				continue;
			snprintf(line, sizeof line, "  %6zu  %s", count,
			    wf->states[i].label[lang_index()]);
			r = dash_add(d, UI_NORMAL, line);
			r->opens = 1;
			r->a = xstrdup(wf->states[i].id);
			r->b = xstrdup(wf->id);
			r->filter.state = r->a;
			r->filter.workflow = r->b;
		}
	}
	dash_section(ui, d, cs, n, _("Workload per investigator"),
	    "assignees", NULL);
	if (casefile_agent_counts(&ui->ctx, (size_t)
	    ui->settings.warning_threshold, &ag, &nag, &cause) != 0) {
		ui_cause(ui, cause);
		cause = NULL;
	} else {
		snprintf(line, sizeof line, _("Early warning: agents named in "
		    "%d cases or more"), ui->settings.warning_threshold);
		dash_add(d, UI_TITLE, line);
		if (nag == 0)
			dash_add(d, UI_DIM, _("  none"));
		for (i = 0; i < nag; i++) {
			snprintf(line, sizeof line, _("  %6zu  agent %.12s "
			    "(blind index)"), ag[i].cases, ag[i].hex);
			r = dash_add(d, UI_ALERT, line);
			r->case_id = ag[i].last;
		}
		free(ag);
	}
	dash_section(ui, d, cs, n, _("By region"), "region", "regions");
	dash_section(ui, d, cs, n, _("By force"), "force", "forces");
	dash_section(ui, d, cs, n, _("By category"), "categories",
	    "misconduct");
	dash_section(ui, d, cs, n, _("By victim sex"), "victim_sex", "sexes");
	casefile_list_free(cs, n);
	d->sel = 1;
}

static void
dash_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct dashboard	*d = data;
	size_t			 i;
	int			 y;

	if (!d->loaded || d->seen != ui->list_dirty)
		dash_load(ui, d);
	if (d->sel < d->top)
		d->top = d->sel;
	if (d->sel >= d->top + (size_t)rows)
		d->top = d->sel - rows + 1;
	for (y = 0; y < rows; y++) {
		i = d->top + (size_t)y;
		if (i >= d->n)
			ui_line(ui, y, 0, UI_NORMAL, "", cols);
		else
			ui_row(ui, y, d->rows[i].kind, d->rows[i].text,
			    i == d->sel);
	}
}

static void
dash_key(struct ui *ui, void *data, const char *action, int key)
{
	struct dashboard	*d = data;
	struct dash_row		*r;
	size_t			 i;

	(void)key;
	if (action == NULL)
		return;
	if (strcmp(action, "down") == 0) {
		for (i = d->sel + 1; i < d->n; i++)
			if (d->rows[i].opens || d->rows[i].case_id) {
				d->sel = i;
				break;
			}
	} else if (strcmp(action, "up") == 0) {
		for (i = d->sel; i > 0; i--)
			if (d->rows[i - 1].opens || d->rows[i - 1].case_id) {
				d->sel = i - 1;
				break;
			}
		if (i == 0)
			d->top = 0;
	} else if (strcmp(action, "open") == 0 && d->sel < d->n) {
		r = &d->rows[d->sel];
		if (r->case_id != 0)
			ui_case_open(ui, r->case_id);
		else if (r->opens)
			ui_push(ui, &ui_list_screen, ui_list_create(ui,
			    &r->filter, r->text + 10));
	} else if (strcmp(action, "back") == 0)
		ui_pop(ui);
}

static void
dash_free(void *data)
{
	struct dashboard	*d = data;

	dash_clear(d);
	free(d);
}

static const struct screen ui_dashboard_screen = {
	.name = "dashboard",
	.keys = KEYMAP_DASHBOARD,
	.draw = dash_draw,
	.key = dash_key,
	.free = dash_free,
};

void
ui_dashboard_open(struct ui *ui)
{
	ui_push(ui, &ui_dashboard_screen, xcalloc(1, sizeof
	    (struct dashboard)));
}
