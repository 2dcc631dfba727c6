/*
 * ui-dashboard.c: the supervisor's status screen: cases by state, overdue
 * cases, the groups of states the workflows name (waiting for review or
 * a decision), workload per investigator (open cases only), agents named
 * in several cases (early warning), and counts by region, force,
 * category and victim sex.  Each line opens the list of its cases.
 *
 * At a site of a replication group, a section says when 'dossier serve'
 * is not running here, when another site is silent and when this copy
 * lags (store_site_status(): site.state, the master's heartbeat).
 *
 * Every figure comes from the counters kept with the case headers
 * (casefile_counts(); overdue: the counters "due" of the days before
 * today): the screen reads no case header and walks no index.  So it
 * reads them again every UI_TICK_SECONDS while it is shown (dash_tick):
 * a case another user files, a site that goes silent or comes back,
 * show without a key.
 *
 * Nothing here knows a state by its id: states, their labels, which are
 * closed and which form a group all come from forms/workflow-*.ini.
 * Counts are right-aligned in a column as wide as the largest; labels
 * take the rest of the terminal's width.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "store.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

struct dash_row {
	char		*text;		/* a heading, or the label of a count */
	long		 count;		/* -1: a heading */
	uint64_t	*ids;		/* the cases of an early warning */
	char		*agent;		/* its agent, read when opened */
	int		 kind;
	struct casefile_filter filter;	/* strings point into the row */
	char		*a, *b, *c;
	int		 opens;
};

struct dashboard {
	struct ui_listbox lb;		/* first: its moves serve */
	struct dash_row	*rows;
	size_t		 n;
	uint64_t	 seen;
	size_t		 total;		/* cases counted */
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
		free(d->rows[i].ids);
		free(d->rows[i].agent);
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
	r->count = -1;
	return (r);
}

static void
dash_count(struct dash_count **c, size_t *n, const char *key, size_t add)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*c)[i].key, key) == 0) {
			(*c)[i].n += add;
			return;
		}
	*c = xrealloc(*c, (*n + 1) * sizeof **c);
	(*c)[*n].key = xstrdup(key);
	(*c)[*n].n = add;
	(*n)++;
}

static int
dash_cmp(const void *a, const void *b)
{
	const struct dash_count	*x = a, *y = b;

	return (x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->key, y->key));
}

/* A line counting cases, which opens their list. */
static struct dash_row *
dash_count_row(struct dashboard *d, int kind, size_t n, const char *label)
{
	struct dash_row	*r = dash_add(d, kind, label);

	r->count = (long)n;
	r->opens = 1;
	return (r);
}

/* Is a state closed (terminal) in its workflow? */
static int
dash_closed(struct ui *ui, const char *w, const char *st)
{
	const struct workflow		*wf;
	const struct workflow_state	*s;

	if (w == NULL || st == NULL || (wf = workflow_find(ui->ctx.flows,
	    w)) == NULL || (s = workflow_state(wf, st)) == NULL)
		return (0);
	return (s->terminal);
}

/* The counter of a workflow's state (0 if none). */
static size_t
dash_flow(const struct casefile_count *c, size_t nc, const char *wf,
    const char *st)
{
	size_t	 i;

	for (i = 0; i < nc; i++)
		if (strcmp(c[i].name, "flow") == 0 && c[i].v[0] != NULL &&
		    c[i].v[1] != NULL && strcmp(c[i].v[0], wf) == 0 &&
		    strcmp(c[i].v[1], st) == 0)
			return (c[i].n);
	return (0);
}

/*
 * One section from the counters of a header field (name); for
 * "aflow", the open cases of each investigator.
 */
static void
dash_section(struct ui *ui, struct dashboard *d,
    const struct casefile_count *cc, size_t ncc, const char *title,
    const char *name, const char *field, const char *list)
{
	struct dash_count	*c = NULL;
	struct dash_row		*r;
	size_t			 nc = 0, i;
	int			 open_only = strcmp(name, "aflow") == 0;

	for (i = 0; i < ncc; i++) {
		if (strcmp(cc[i].name, name) != 0 || cc[i].v[0] == NULL ||
		    *cc[i].v[0] == '\0' || (open_only && dash_closed(ui,
		    cc[i].v[1], cc[i].v[2])))
			continue;
		dash_count(&c, &nc, cc[i].v[0], cc[i].n);
	}
	qsort(c, nc, sizeof *c, dash_cmp);
	dash_add(d, UI_TITLE, title);
	for (i = 0; i < nc; i++) {
		r = dash_count_row(d, UI_NORMAL, c[i].n, list != NULL ?
		    form_list_label(ui->ctx.forms, list, c[i].key) : c[i].key);
		r->filter.open = open_only;
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

/* The cases in a group of states (their ids into *states, comma list). */
static size_t
dash_group_count(struct ui *ui, const struct casefile_count *cc, size_t ncc,
    const char *group, char **states)
{
	const struct workflow	*wf;
	const char		*g;
	char			*tmp;
	size_t			 j, i, count = 0;

	*states = xstrdup("");
	for (j = 0; j < ui->ctx.flows->n; j++) {
		wf = ui->ctx.flows->list[j];
		for (i = 0; i < wf->nstates; i++) {
			g = form_lang(wf->states[i].group);
			if (strcmp(g, group) != 0)
				continue;
			xasprintf(&tmp, "%s%s%s", *states, **states ? "," : "",
			    wf->states[i].id);
			free(*states);
			*states = tmp;
			count += dash_flow(cc, ncc, wf->id, wf->states[i].id);
		}
	}
	return (count);
}

/*
 * The groups of states the workflows name (group.fr, group.en), one
 * line each, in the order they first appear.
 */
static void
dash_groups(struct ui *ui, struct dashboard *d,
    const struct casefile_count *cc, size_t ncc)
{
	const struct workflow	*wf;
	const char		*g;
	struct dash_row		*r;
	char			*states, *key, *seen = xstrdup("\n"), *tmp;
	size_t			 i, j, count;

	for (j = 0; j < ui->ctx.flows->n; j++) {
		wf = ui->ctx.flows->list[j];
		for (i = 0; i < wf->nstates; i++) {
			if (*(g = form_lang(wf->states[i].group)) == '\0')
				continue;
			xasprintf(&key, "\n%s\n", g);
			if (strstr(seen, key) != NULL) {
				free(key);
				continue;
			}
			xasprintf(&tmp, "%s%s", seen, key + 1);
			free(seen);
			seen = tmp;
			free(key);
			count = dash_group_count(ui, cc, ncc, g, &states);
			r = dash_count_row(d, UI_NORMAL, count, g);
			r->a = states;
			r->filter.state = r->a;
		}
	}
	free(seen);
}

/* "12 s", "5 min", "3 h", "2 d": how long a site has been silent. */
static char *
dash_age(int64_t s)
{
	char	*out;

	if (s < 120)
		xasprintf(&out, _("%lld s"), (long long)s);
	else if (s < 2 * 3600)
		xasprintf(&out, _("%lld min"), (long long)(s / 60));
	else if (s < 2 * 86400)
		xasprintf(&out, _("%lld h"), (long long)(s / 3600));
	else
		xasprintf(&out, _("%lld d"), (long long)(s / 86400));
	return (out);
}

/* Replication health: nothing at a single site. */
static void
dash_sites(struct ui *ui, struct dashboard *d)
{
	struct store_site_status st;
	char			*cause = NULL, *line, *age;
	int64_t			 now = (int64_t)time(NULL);
	int			 i, bad = 0, up = 0;

	if (store_site_status(ui->store, &st, &cause) != 0) {
		free(cause);
		if (!st.replicated)
			return;
	}
	if (!st.replicated)
		return;
	dash_add(d, UI_TITLE, _("Replication"));
	if (!st.running || now - st.state_time > 10) {
		dash_add(d, UI_ALERT, _("  'dossier serve' is not running "
		    "here: no other site can confirm a change"));
		bad = 1;
	}
	for (i = 0; i < st.nsites; i++) {
		if (st.sites[i].connected) {
			up++;
			continue;
		}
		if (st.sites[i].seen == 0)
			xasprintf(&line, _("  site %s: not seen since 'dossier "
			    "serve' started"), st.sites[i].addr);
		else {
			age = dash_age(now - st.sites[i].seen);
			xasprintf(&line, _("  site %s: silent for %s"),
			    st.sites[i].addr, age);
			free(age);
		}
		dash_add(d, UI_ALERT, line);
		free(line);
		bad = 1;
	}
	if (!st.master && st.beat > 0 &&
	    now - st.beat > 3 * (int64_t)st.heartbeat) {
		age = dash_age(now - st.beat);
		xasprintf(&line, _("  this replica's copy is %s old"), age);
		free(age);
		dash_add(d, UI_ALERT, line);
		free(line);
		bad = 1;
	}
	if (!bad && !st.master)
		xasprintf(&line, ngettext("  a replica of %s, up to date; %d "
		    "other site connected", "  a replica of %s, up to date; %d "
		    "other sites connected", up), st.master_addr, up);
	else if (!bad)
		xasprintf(&line, ngettext("  %d other site connected; master "
		    "%s", "  %d other sites connected; master %s", up), up,
		    st.master_addr);
	if (!bad) {
		dash_add(d, UI_DIM, line);
		free(line);
	}
}

/*
 * Everything from the counters kept with the headers (casefile_counts):
 * no case header is read, however many there are.
 */
static void
dash_load(struct ui *ui, struct dashboard *d)
{
	struct casefile_count		*cc;
	struct casefile_agent_count	*ag;
	const struct workflow		*wf;
	struct dash_row			*r;
	char				*cause = NULL, *line;
	size_t				 ncc, i, j, nag, overdue, count, n;

	dash_clear(d);
	d->loaded = 1;
	d->seen = ui->list_dirty;
	if (casefile_counts(&ui->ctx, &cc, &ncc, &overdue, &cause) != 0) {
		ui_cause(ui, cause);
		ui_listbox_reset(&d->lb, 0);
		return;
	}
	for (i = n = 0; i < ncc; i++)
		if (strcmp(cc[i].name, "all") == 0)
			n = cc[i].n;
	d->total = n;
	xasprintf(&line, ngettext("Dashboard: %zu case", "Dashboard: %zu cases",
	    n), n);
	dash_add(d, UI_TITLE, line);
	free(line);
	r = dash_count_row(d, overdue ? UI_ALERT : UI_NORMAL, overdue,
	    _("Overdue"));
	r->filter.overdue = 1;
	dash_sites(ui, d);
	dash_groups(ui, d, cc, ncc);
	for (j = 0; j < ui->ctx.flows->n; j++) {
		wf = ui->ctx.flows->list[j];
		dash_add(d, UI_TITLE, form_lang(wf->title));
		for (i = 0; i < wf->nstates; i++) {
			if ((count = dash_flow(cc, ncc, wf->id,
			    wf->states[i].id)) == 0)
				continue;
			r = dash_count_row(d, UI_NORMAL, count,
			    workflow_state_label(wf, wf->states[i].id));
			r->a = xstrdup(wf->states[i].id);
			r->b = xstrdup(wf->id);
			r->filter.state = r->a;
			r->filter.workflow = r->b;
		}
	}
	dash_section(ui, d, cc, ncc, _("Workload per investigator (open "
	    "cases)"), "aflow", "assignees", NULL);
	if (casefile_agent_counts(&ui->ctx, (size_t)
	    ui->settings.warning_threshold, &ag, &nag, &cause) != 0) {
		ui_cause(ui, cause);
		cause = NULL;
	} else {
		xasprintf(&line, _("Early warning: agents named in %d cases or "
		    "more"), ui->settings.warning_threshold);
		dash_add(d, UI_TITLE, line);
		free(line);
		if (nag == 0)
			dash_add(d, UI_DIM, _("  none"));
		for (i = 0; i < nag; i++) {
			xasprintf(&line, _("agent %.12s (blind index)"),
			    ag[i].hex);
			r = dash_count_row(d, UI_ALERT, ag[i].cases, line);
			free(line);
			/* The line opens the list of the agent's cases (read
			 * then, when the counters gave the number alone). */
			r->agent = xstrdup(ag[i].hex);
			r->ids = ag[i].ids;
			ag[i].ids = NULL;
			r->filter.ids = r->ids;
			r->filter.nids = r->ids != NULL ? ag[i].cases : 0;
		}
		casefile_agent_counts_free(ag, nag);
	}
	dash_section(ui, d, cc, ncc, _("By region"), "region", "region",
	    "regions");
	dash_section(ui, d, cc, ncc, _("By force"), "force", "force", "forces");
	dash_section(ui, d, cc, ncc, _("By category"), "categories",
	    "categories", "misconduct");
	dash_section(ui, d, cc, ncc, _("By victim sex"), "victim_sex",
	    "victim_sex", "sexes");
	casefile_counts_free(cc, ncc);
}

/* The widest count, for the figures' column. */
static int
dash_figures(const struct dashboard *d)
{
	char	 buf[32];
	size_t	 i;
	int	 w = 1, k;

	for (i = 0; i < d->n; i++)
		if (d->rows[i].count >= 0 && (k = snprintf(buf, sizeof buf,
		    "%ld", d->rows[i].count)) > w)
			w = k;
	return (w);
}

static void
dash_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct dashboard	*d = data;
	char			*line, *full, num[32];
	size_t			 i;
	int			 y, fw;

	if (!d->loaded || d->seen != ui->list_dirty) {
		dash_load(ui, d);
		ui_listbox_reset(&d->lb, d->n);
	}
	ui_listbox_show(&d->lb, rows);
	fw = dash_figures(d);
	for (y = 0; y < rows; y++) {
		i = d->lb.top + (size_t)y;
		if (i >= d->n) {
			ui_line(ui, y, 0, UI_NORMAL, "", cols);
			continue;
		}
		if (d->rows[i].count < 0) {
			ui_row(ui, y, d->rows[i].kind, d->rows[i].text, 0);
			continue;
		}
		/* Figures right-aligned; the label has the rest of the row. */
		snprintf(num, sizeof num, "%ld", d->rows[i].count);
		line = xstrdup("  ");
		ui_cell_right(&line, num, fw);
		xasprintf(&full, "%s %s", line, d->rows[i].text);
		ui_row(ui, y, d->rows[i].kind, full,
		    ui_listbox_is_selected(&d->lb, i));
		free(full);
		free(line);
	}
}

/* The lines that count cases open their list; headings do not. */
static int
dash_selectable(const struct ui_listbox *lb, size_t i)
{
	const struct dashboard	*d = (const struct dashboard *)lb;

	return (d->rows[i].opens);
}

static void
dash_open(struct ui *ui, void *data)
{
	struct dashboard	*d = data;
	struct dash_row		*r;
	size_t			 i;
	char			*cause = NULL;

	if (!ui_listbox_selected(&d->lb, &i))
		return;
	r = &d->rows[i];
	if (r->agent != NULL && r->ids == NULL) {
		if (casefile_agent_ids(&ui->ctx, r->agent, &r->ids,
		    &r->filter.nids, &cause) != 0) {
			ui_cause(ui, cause);
			return;
		}
		r->filter.ids = r->ids;
	}
	ui_push(ui, &ui_list_screen, ui_list_create(ui, &r->filter, r->text));
}

static void
dash_stats(struct ui *ui, void *data)
{
	(void)data;
	ui_stats_open(ui);
}

static void
dash_followup(struct ui *ui, void *data)
{
	(void)data;
	ui_followup_open(ui);
}

static void
dash_back(struct ui *ui, void *data)
{
	(void)data;
	ui_pop(ui);
}

static const struct ui_action dash_actions[] = {
	UI_LISTBOX_ACTIONS,
	{ .name = "open", .run = dash_open },
	{ .name = "stats", .run = dash_stats },
	{ .name = "followup", .run = dash_followup },
	{ .name = "audit", .run = ui_audit_action, .offered = ui_audit_offered },
	{ .name = "back", .run = dash_back },
	{ .name = NULL }
};

/*
 * Every UI_TICK_SECONDS while shown: the counters and the sites again
 * (another user's save, a site gone silent), the same line selected.
 */
static void
dash_tick(struct ui *ui, void *data)
{
	struct dashboard	*d = data;
	char			*was = NULL;
	size_t			 i, at = 0, total = d->total;

	if (ui_listbox_selected(&d->lb, &at))
		was = xstrdup(d->rows[at].text);
	dash_load(ui, d);
	ui_listbox_reset(&d->lb, d->n);
	if (d->total != total)		/* the list beneath reads again */
		d->seen = ++ui->list_dirty;
	if (was == NULL)
		return;
	/* Where it was, else the first line of that label (a site line
	 * come or gone above moves it). */
	if (at < d->n && d->rows[at].count >= 0 &&
	    strcmp(d->rows[at].text, was) == 0)
		ui_listbox_select(&d->lb, at);
	else {
		for (i = 0; i < d->n; i++)
			if (d->rows[i].count >= 0 &&
			    strcmp(d->rows[i].text, was) == 0) {
				ui_listbox_select(&d->lb, i);
				break;
			}
	}
	free(was);
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
	.actions = dash_actions,
	.free = dash_free,
	.tick = dash_tick,
};

void
ui_dashboard_open(struct ui *ui)
{
	struct dashboard	*d = xcalloc(1, sizeof *d);

	d->lb.selectable = dash_selectable;
	ui_push(ui, &ui_dashboard_screen, d);
}
