/*
 * stats-render.c: the figures as text, CSV or JSON (docs/FORMAT.md,
 * "Statistics"), and written with a minisign signature.
 *
 * Every rendering opens with what the figures rest on: how many cases,
 * how many counted from their clear header only (the user does not hold
 * their key), that witness data is never used, and, when published, what
 * was suppressed and why.  Text is laid out by display width.  The CSV is
 * one figure per line under one header row, UTF-8 with a byte order mark
 * so that spreadsheets read the accents; in French its separator is ";"
 * and its decimal mark ",", as a French spreadsheet expects; a field that
 * a spreadsheet would take for a formula is quoted behind an apostrophe.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "minisign.h"
#include "session.h"
#include "account.h"
#include "stats.h"
#include "tar.h"
#include "text.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

#define SR_LABEL	28	/* columns of a row label */
#define SR_CELL		8	/* columns of a number in a cross-tab */
#define SR_WIDTH	78

struct sr_buf {
	char	*s;
	size_t	 len;
};

static void	sr_add(struct sr_buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
sr_add(struct sr_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	b->s = xrealloc(b->s, b->len + (size_t)n + 1);
	memcpy(b->s + b->len, s, (size_t)n + 1);
	b->len += (size_t)n;
	free(s);
}

int
stats_format_parse(const char *s, enum stats_format *f)
{
	if (s == NULL || strcmp(s, "text") == 0)
		*f = STATS_TEXT;
	else if (strcmp(s, "csv") == 0)
		*f = STATS_CSV;
	else if (strcmp(s, "json") == 0)
		*f = STATS_JSON;
	else
		return (-1);
	return (0);
}

/*
 * A code's label: a free-text value (a unit, a sanction) in the words it
 * was first entered as, the code itself being folded; a code of a list in
 * the user's language.
 */
static char *
sr_code_label(const struct stats *st, const struct formset *forms,
    const struct workflow_set *flows, enum stats_dim d, const char *code)
{
	const char	*shown = NULL;

	if (d == STATS_UNIT || d == STATS_SANCTION)
		shown = stats_code_shown(st, code);
	else if (d == STATS_REC_UNIT)
		shown = stats_code_shown(st->recs, code);
	if (shown != NULL)
		return (xstrdup(shown));
	return (stats_code_label(forms, flows, d, code));
}

/* A label safe for a terminal: control characters replaced. */
static char *
sr_label(const struct stats *st, const struct formset *forms,
    const struct workflow_set *flows, enum stats_dim d, const char *code)
{
	char	*l = sr_code_label(st, forms, flows, d, code), *clean;

	clean = text_clean(l, strlen(l), 0);
	free(l);
	return (clean);
}

static char *
sr_stage_label(const struct workflow_set *flows, const struct stats_stage *g)
{
	const struct workflow		*wf;
	const struct workflow_state	*s;

	if (flows != NULL && (wf = workflow_find(flows, g->workflow)) != NULL &&
	    (s = workflow_state(wf, g->state)) != NULL)
		return (xstrdup(s->label[lang_index()]));
	return (xstrdup(g->state));
}

/* A number, or "*" when suppressed, right-aligned in width columns. */
static void
sr_number(struct sr_buf *b, const struct stats_table *t, size_t k, int width)
{
	if (t->sup[k])
		sr_add(b, "%*s", width, "*");
	else
		sr_add(b, "%*ld", width, t->grid[k]);
}

/*
 * The implementation rate of a row of a table by recommendation status:
 * implemented over all, in percent; -1 if it cannot be shown (nothing
 * counted, or either number hidden).
 */
static int
sr_rate(const struct stats_table *t, size_t r)
{
	size_t	 c;
	long	 all = t->grid[STATS_AT(t, r, t->nc)];

	if (t->col != STATS_REC_STATUS || all == 0 ||
	    t->sup[STATS_AT(t, r, t->nc)])
		return (-1);
	for (c = 0; c < t->nc; c++) {
		if (strcmp(t->ccodes[c], "implemented") != 0)
			continue;
		if (t->sup[STATS_AT(t, r, c)])
			return (-1);
		return ((int)((t->grid[STATS_AT(t, r, c)] * 100 + all / 2) /
		    all));
	}
	return (0);
}

/* A label fitted (and padded) to width columns. */
static void
sr_fit(struct sr_buf *b, const char *s, int width)
{
	char	*f = text_fit(s, width, TEXT_PAD);

	sr_add(b, "%s", f);
	free(f);
}

/* A heading right-aligned in width columns (by display width). */
static void
sr_right(struct sr_buf *b, const char *s, int width)
{
	char	*f = text_fit(s, width - 1, 0);

	sr_add(b, "%*s%s", width - text_width(f), "", f);
	free(f);
}

/* Words wrapped to the page. */
static void
sr_wrap(struct sr_buf *b, const char *text)
{
	char	**lines;
	size_t	  n, i;

	n = text_wrap(text, SR_WIDTH, &lines);
	for (i = 0; i < n; i++)
		sr_add(b, "%s\n", lines[i]);
	text_lines_free(lines, n);
}

static void
sr_count(char *buf, size_t len, const struct stats *st, size_t n)
{
	if (st->publish && n > 0 && (long)n < st->threshold)
		snprintf(buf, len, "< %d", st->threshold);
	else
		snprintf(buf, len, "%zu", n);
}

/* What the figures rest on, in words. */
static char *
sr_preamble(const struct stats *st)
{
	struct sr_buf	 b = { NULL, 0 };
	char		 when[17], all[32], some[32], *shown;
	size_t		 i, primary = 0, secondary = 0;

	format_time(st->at, when);
	shown = form_value_show(FORM_DATETIME, when);
	sr_count(all, sizeof all, st, st->ncases);
	sr_count(some, sizeof some, st, st->ncases - st->readable);
	/* The time written as everywhere in the user's language. */
	sr_add(&b, _("Figures of %s UTC, for %s."), shown, st->user != NULL ?
	    st->user : "?");
	free(shown);
	sr_add(&b, " ");
	sr_add(&b, _("Cases counted: %s, every one from its clear header "
	    "(dates, region, force, channel, categories, victim sex and age "
	    "group, state and deadlines)."), all);
	sr_add(&b, " ");
	if (st->readable == st->ncases)
		sr_add(&b, "%s", _("Unit, findings, decisions, sanctions and "
		    "recommendations come from the content of every case: you "
		    "hold every case's key."));
	else
		sr_add(&b, _("Unit, findings, decisions, sanctions and "
		    "recommendations come only from the cases whose key you "
		    "hold; %s cases are counted from their header only and "
		    "appear there as \"(key not held)\"."), some);
	sr_add(&b, " ");
	sr_add(&b, "%s", _("No witness data is used."));
	sr_add(&b, " ");
	sr_add(&b, "%s", _("A case counts once under each value it has: the "
	    "totals of categories, findings and decisions count case-value "
	    "pairs."));
	if (st->publish) {
		for (i = 0; i < st->ntables; i++) {
			primary += st->tables[i]->primary;
			secondary += st->tables[i]->secondary;
		}
		sr_add(&b, " ");
		sr_add(&b, _("For publication, every number from 1 to %d is "
		    "suppressed (*), since so few cases could name a person."),
		    st->threshold - 1);
		sr_add(&b, " ");
		if (primary == 0)
			sr_add(&b, "%s", _("No number of these figures is that "
			    "small."));
		else if (secondary == 0)
			sr_add(&b, ngettext("%zu number is suppressed so.",
			    "%zu numbers are suppressed so.", primary), primary);
		else
			sr_add(&b, ngettext("%zu number is suppressed so, and "
			    "%zu more so that none can be worked out from the "
			    "totals.", "%zu numbers are suppressed so, and %zu "
			    "more so that none can be worked out from the "
			    "totals.", primary), primary, secondary);
		sr_add(&b, " ");
		sr_add(&b, _("Durations of stages with fewer than %d completed "
		    "stays are left out, and so are sanctions, free text that "
		    "may name the agent, and tables that add up to another "
		    "table shown (months and quarters, states, units, category "
		    "groups), from which a hidden count could be worked out."),
		    st->threshold);
	}
	return (b.s);
}

/*
 * A label with its first letter in lower case, inside a sentence: an
 * ASCII or Latin-1 capital followed by a small letter (an acronym such
 * as "ONG" stays as it is).
 */
static char *
sr_lower_first(const char *label)
{
	char		*s = xstrdup(label);
	unsigned char	*u = (unsigned char *)s;

	if (u[0] >= 'A' && u[0] <= 'Z' && !(u[1] >= 'A' && u[1] <= 'Z'))
		u[0] += 'a' - 'A';
	else if (u[0] == 0xc3 && u[1] >= 0x80 && u[1] <= 0x9e &&
	    u[1] != 0x97 && !(u[2] >= 'A' && u[2] <= 'Z'))
		u[1] += 0x20;		/* À-Þ to à-þ */
	return (s);
}

static void
sr_text_table(struct sr_buf *b, const struct stats *st,
    const struct stats_table *t, const struct formset *forms,
    const struct workflow_set *flows)
{
	const struct stats_dim_info	*ri = stats_dim_info(t->row);
	const struct stats_dim_info	*ci;
	char				*l, *f;
	size_t				 i, j;
	int				 legend, w;

	(void)st;
	if (t->col == STATS_NDIM) {
		sr_add(b, "\n%s\n", _(ri->label));
		for (i = 0; i <= t->nr; i++) {
			l = i < t->nr ? sr_label(st, forms, flows, t->row,
			    t->rcodes[i]) : xstrdup(_("Total"));
			sr_add(b, "  ");
			sr_fit(b, l, SR_LABEL + 20);
			sr_number(b, t, STATS_AT(t, i, 0), SR_CELL);
			sr_add(b, "\n");
			free(l);
		}
		return;
	}
	ci = stats_dim_info(t->col);
	l = NULL;
	if (t->col == STATS_REC_STATUS)
		xasprintf(&l, _("%s, by status (rate: the share implemented, in "
		    "percent)"), _(ri->label));
	else {
		/* "État par circuit", not "État par Circuit". */
		f = sr_lower_first(_(ci->label));
		xasprintf(&l, _("%s by %s"), _(ri->label), f);
		free(f);
	}
	sr_add(b, "\n");
	sr_wrap(b, l);
	free(l);
	/* Columns are numbered when a label does not fit: a legend first. */
	for (j = 0, legend = 0; j < t->nc; j++) {
		l = sr_label(st, forms, flows, t->col, t->ccodes[j]);
		if (text_width(l) > SR_CELL - 1)
			legend = 1;
		free(l);
	}
	for (j = 0; legend && j < t->nc; j++) {
		l = sr_label(st, forms, flows, t->col, t->ccodes[j]);
		sr_add(b, "  [%zu] %s\n", j + 1, l);
		free(l);
	}
	sr_add(b, "%*s", SR_LABEL, "");
	for (j = 0; j <= t->nc; j++) {
		if (j == t->nc)
			l = xstrdup(_("Total"));
		else if (legend)
			xasprintf(&l, "[%zu]", j + 1);
		else
			l = sr_label(st, forms, flows, t->col, t->ccodes[j]);
		w = text_width(l);
		if (w > SR_CELL - 1) {
			f = text_fit(l, SR_CELL - 1, 0);
			free(l);
			l = f;
			w = text_width(l);
		}
		sr_add(b, "%*s%s", SR_CELL - w, "", l);
		free(l);
	}
	if (t->col == STATS_REC_STATUS) {
		l = xstrdup(_("Rate"));
		sr_add(b, "%*s%s", SR_CELL - text_width(l), "", l);
		free(l);
	}
	sr_add(b, "\n");
	for (i = 0; i <= t->nr; i++) {
		l = i < t->nr ? sr_label(st, forms, flows, t->row, t->rcodes[i]) :
		    xstrdup(_("Total"));
		sr_fit(b, l, SR_LABEL);
		free(l);
		for (j = 0; j <= t->nc; j++)
			sr_number(b, t, STATS_AT(t, i, j), SR_CELL);
		if (t->col == STATS_REC_STATUS && sr_rate(t, i) >= 0)
			sr_add(b, "%*d", SR_CELL, sr_rate(t, i));
		else if (t->col == STATS_REC_STATUS)
			sr_add(b, "%*s", SR_CELL, "-");
		sr_add(b, "\n");
	}
}

static void
sr_text_stages(struct sr_buf *b, const struct stats *st,
    const struct workflow_set *flows)
{
	const struct stats_stage	*g;
	const struct workflow		*wf;
	const char			*prev = "";
	char				*l, num[32], *p;
	size_t				 i;

	if (st->nstages == 0)
		return;
	sr_add(b, "\n%s\n", _("Durations of stages, in days, and deadlines"));
	sr_wrap(b, _("Completed stays: how many, median, 90th percentile; "
	    "deadline: met, missed (late, finished or not), running (within "
	    "it)."));
	for (i = 0; i < st->nstages; i++) {
		g = &st->stages[i];
		if (strcmp(prev, g->workflow) != 0) {
			wf = flows != NULL ? workflow_find(flows, g->workflow) :
			    NULL;
			sr_add(b, "%s\n", wf != NULL ?
			    wf->title[lang_index()] : g->workflow);
			sr_add(b, "  ");
			sr_fit(b, _("Stage"), 24);
			sr_right(b, _("Limit"), 6);
			sr_right(b, _("Done"), 7);
			sr_right(b, _("Median"), 8);
			sr_right(b, _("90%"), 6);
			sr_right(b, _("Met"), 6);
			sr_right(b, _("Missed"), 9);
			sr_right(b, _("Running"), 9);
			sr_add(b, "\n");
			prev = g->workflow;
		}
		l = sr_stage_label(flows, g);
		sr_add(b, "  ");
		sr_fit(b, l, 24);
		free(l);
		if (g->limit > 0)
			sr_add(b, "%6d", g->limit);
		else
			sr_add(b, "%6s", "-");
		if (g->suppressed) {
			sr_add(b, "%7s%8s%6s%6s%9s%9s\n", "*", "*", "*", "*",
			    "*", "*");
			continue;
		}
		sr_add(b, "%7zu", g->done);
		if (g->done > 0) {
			snprintf(num, sizeof num, "%.1f", g->median);
			if (lang_index() == FORM_FR && (p = strchr(num,
			    '.')) != NULL)
				*p = ',';
			sr_add(b, "%8s%6ld", num, g->p90);
		} else
			sr_add(b, "%8s%6s", "-", "-");
		sr_add(b, "%6zu%9zu%9zu\n", g->met, g->missed, g->running);
	}
}

/* CSV: one field, quoted when it must be, never a formula. */
static void
sr_csv_field(struct sr_buf *b, const char *s, char sep, int last)
{
	const char	*p;
	int		 quote, formula;

	formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	quote = formula || strchr(s, sep) != NULL || strchr(s, '"') != NULL ||
	    strchr(s, '\n') != NULL || strchr(s, '\r') != NULL;
	if (quote) {
		sr_add(b, "\"%s", formula ? "'" : "");
		for (p = s; *p != '\0'; p++)
			sr_add(b, *p == '"' ? "\"\"" : "%c", *p);
		sr_add(b, "\"");
	} else
		sr_add(b, "%s", s);
	sr_add(b, last ? "\r\n" : "%c", sep);
}

static void
sr_csv_line(struct sr_buf *b, char sep, const char **f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		sr_csv_field(b, f[i] != NULL ? f[i] : "", sep, i + 1 == n);
}

static char *
sr_csv(const struct stats *st, const struct formset *forms,
    const struct workflow_set *flows)
{
	struct sr_buf			 b = { NULL, 0 };
	const struct stats_table	*t;
	const struct stats_stage	*g;
	const struct workflow		*wf;
	const char			*f[10];
	char				*rl, *cl, num[32], *sl, *p;
	char				 sep = lang_index() == FORM_FR ? ';' : ',';
	size_t				 i, r, c, k;

	sr_add(&b, "\xef\xbb\xbf");	/* UTF-8 byte order mark */
	f[0] = "section"; f[1] = "dimension"; f[2] = "code"; f[3] = "label";
	f[4] = "dimension2"; f[5] = "code2"; f[6] = "label2";
	f[7] = "measure"; f[8] = "value"; f[9] = "suppressed";
	sr_csv_line(&b, sep, f, 10);
	for (i = 0; i < st->ntables; i++) {
		t = st->tables[i];
		for (r = 0; r <= t->nr; r++) {
			rl = r < t->nr ? sr_label(st, forms, flows, t->row,
			    t->rcodes[r]) : xstrdup(_("Total"));
			for (c = 0; c < (t->col == STATS_NDIM ? 1 : t->nc + 1);
			    c++) {
				k = STATS_AT(t, r, c);
				cl = t->col == STATS_NDIM ? NULL : c < t->nc ?
				    sr_label(st, forms, flows, t->col,
				    t->ccodes[c]) : xstrdup(_("Total"));
				snprintf(num, sizeof num, "%ld", t->grid[k]);
				f[0] = "table";
				f[1] = stats_dim_info(t->row)->name;
				f[2] = r < t->nr ? t->rcodes[r] : "(total)";
				f[3] = rl;
				f[4] = t->col == STATS_NDIM ? "" :
				    stats_dim_info(t->col)->name;
				f[5] = t->col == STATS_NDIM ? "" : c < t->nc ?
				    t->ccodes[c] : "(total)";
				f[6] = cl != NULL ? cl : "";
				f[7] = "count";
				f[8] = t->sup[k] ? "" : num;
				f[9] = t->sup[k] ? "yes" : "";
				sr_csv_line(&b, sep, f, 10);
				free(cl);
			}
			if (t->col == STATS_REC_STATUS) {
				snprintf(num, sizeof num, "%d", sr_rate(t, r));
				f[5] = "";
				f[6] = "";
				f[7] = "implemented_percent";
				f[8] = sr_rate(t, r) >= 0 ? num : "";
				f[9] = "";
				sr_csv_line(&b, sep, f, 10);
			}
			free(rl);
		}
	}
	for (i = 0; i < st->nstages; i++) {
		g = &st->stages[i];
		wf = flows != NULL ? workflow_find(flows, g->workflow) : NULL;
		sl = sr_stage_label(flows, g);
		f[0] = "stage"; f[1] = "workflow"; f[2] = g->workflow;
		f[3] = wf != NULL ? wf->title[lang_index()] : g->workflow;
		f[4] = "state"; f[5] = g->state; f[6] = sl;
#define SR_MEASURE(name, fmt, val, hide) do {				\
	snprintf(num, sizeof num, fmt, val);				\
	if (sep == ';' && (p = strchr(num, '.')) != NULL)		\
		*p = ',';						\
	f[7] = name;							\
	f[8] = (hide) ? "" : num;					\
	f[9] = (hide) ? "yes" : "";					\
	sr_csv_line(&b, sep, f, 10);					\
} while (0)
		SR_MEASURE("deadline_days", "%d", g->limit, 0);
		SR_MEASURE("stays_completed", "%zu", g->done, g->suppressed);
		if (g->done > 0) {
			SR_MEASURE("median_days", "%.1f", g->median,
			    g->suppressed);
			SR_MEASURE("p90_days", "%ld", g->p90, g->suppressed);
		}
		SR_MEASURE("deadline_met", "%zu", g->met, g->suppressed);
		SR_MEASURE("deadline_missed", "%zu", g->missed, g->suppressed);
		SR_MEASURE("deadline_running", "%zu", g->running,
		    g->suppressed);
#undef SR_MEASURE
		free(sl);
	}
	return (b.s);
}

static json_t *
sr_json_count(const struct stats_table *t, size_t k)
{
	return (t->sup[k] ? json_null() : json_integer(t->grid[k]));
}

static char *
sr_json(const struct stats *st, const struct formset *forms,
    const struct workflow_set *flows)
{
	json_t				*o, *tabs, *jt, *rows, *row, *cols, *col;
	json_t				*cells, *stages, *js, *pub;
	const struct stats_table	*t;
	const struct stats_stage	*g;
	char				 when[17], *l, *pre, *s;
	size_t				 i, r, c, primary = 0, secondary = 0;

	format_time(st->at, when);
	o = json_object();
	json_object_set_new(o, "format", json_string("dossier-stats 1"));
	json_object_set_new(o, "generated", json_string(when));
	json_object_set_new(o, "user", json_string(st->user != NULL ?
	    st->user : ""));
	pre = sr_preamble(st);
	json_object_set_new(o, "note", json_string(pre));
	free(pre);
	if (!st->publish || (long)st->ncases >= st->threshold) {
		json_object_set_new(o, "cases", json_integer((json_int_t)
		    st->ncases));
		json_object_set_new(o, "headers_only", json_integer(
		    (json_int_t)(st->ncases - st->readable)));
	}
	json_object_set_new(o, "witness_data", json_false());
	if (st->publish) {
		for (i = 0; i < st->ntables; i++) {
			primary += st->tables[i]->primary;
			secondary += st->tables[i]->secondary;
		}
		pub = json_object();
		json_object_set_new(pub, "threshold", json_integer(
		    st->threshold));
		json_object_set_new(pub, "primary", json_integer((json_int_t)
		    primary));
		json_object_set_new(pub, "complementary", json_integer(
		    (json_int_t)secondary));
		json_object_set_new(o, "publish", pub);
	} else
		json_object_set_new(o, "publish", json_null());
	tabs = json_array();
	for (i = 0; i < st->ntables; i++) {
		t = st->tables[i];
		jt = json_object();
		json_object_set_new(jt, "dimension", json_string(
		    stats_dim_info(t->row)->name));
		json_object_set_new(jt, "label", json_string(_(
		    stats_dim_info(t->row)->label)));
		json_object_set_new(jt, "by", t->col == STATS_NDIM ?
		    json_null() : json_string(stats_dim_info(t->col)->name));
		if (t->col != STATS_NDIM) {
			cols = json_array();
			for (c = 0; c < t->nc; c++) {
				col = json_object();
				json_object_set_new(col, "code", json_string(
				    t->ccodes[c]));
				l = sr_code_label(st, forms, flows, t->col,
				    t->ccodes[c]);
				json_object_set_new(col, "label",
				    json_string(l));
				free(l);
				json_object_set_new(col, "total",
				    sr_json_count(t, STATS_AT(t, t->nr, c)));
				json_array_append_new(cols, col);
			}
			json_object_set_new(jt, "columns", cols);
		}
		rows = json_array();
		for (r = 0; r < t->nr; r++) {
			row = json_object();
			json_object_set_new(row, "code", json_string(
			    t->rcodes[r]));
			l = sr_code_label(st, forms, flows, t->row,
			    t->rcodes[r]);
			json_object_set_new(row, "label", json_string(l));
			free(l);
			if (t->col == STATS_NDIM)
				json_object_set_new(row, "count",
				    sr_json_count(t, STATS_AT(t, r, 0)));
			else {
				cells = json_array();
				for (c = 0; c < t->nc; c++)
					json_array_append_new(cells,
					    sr_json_count(t, STATS_AT(t, r, c)));
				json_object_set_new(row, "cells", cells);
				json_object_set_new(row, "total",
				    sr_json_count(t, STATS_AT(t, r, t->nc)));
				if (t->col == STATS_REC_STATUS)
					json_object_set_new(row,
					    "implemented_percent", sr_rate(t,
					    r) >= 0 ? json_integer(sr_rate(t,
					    r)) : json_null());
			}
			json_array_append_new(rows, row);
		}
		json_object_set_new(jt, "rows", rows);
		json_object_set_new(jt, "total", sr_json_count(t, STATS_AT(t,
		    t->nr, t->col == STATS_NDIM ? 0 : t->nc)));
		json_array_append_new(tabs, jt);
	}
	json_object_set_new(o, "tables", tabs);
	stages = json_array();
	for (i = 0; i < st->nstages; i++) {
		g = &st->stages[i];
		js = json_object();
		json_object_set_new(js, "workflow", json_string(g->workflow));
		json_object_set_new(js, "state", json_string(g->state));
		l = sr_stage_label(flows, g);
		json_object_set_new(js, "label", json_string(l));
		free(l);
		json_object_set_new(js, "deadline_days", json_integer(g->limit));
		if (g->suppressed) {
			json_object_set_new(js, "suppressed", json_true());
			json_array_append_new(stages, js);
			continue;
		}
		json_object_set_new(js, "completed", json_integer((json_int_t)
		    g->done));
		json_object_set_new(js, "median_days", g->done > 0 ?
		    json_real(g->median) : json_null());
		json_object_set_new(js, "p90_days", g->done > 0 ?
		    json_integer(g->p90) : json_null());
		json_object_set_new(js, "met", json_integer((json_int_t)g->met));
		json_object_set_new(js, "missed", json_integer((json_int_t)
		    g->missed));
		json_object_set_new(js, "running", json_integer((json_int_t)
		    g->running));
		json_array_append_new(stages, js);
	}
	json_object_set_new(o, "stages", stages);
	s = json_dumps(o, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	json_decref(o);
	l = NULL;
	xasprintf(&l, "%s\n", s);
	free(s);
	return (l);
}

char *
stats_render(const struct stats *st, const struct formset *forms,
    const struct workflow_set *flows, enum stats_format f)
{
	struct sr_buf	 b = { NULL, 0 };
	char		*pre;
	size_t		 i;

	if (f == STATS_CSV)
		return (sr_csv(st, forms, flows));
	if (f == STATS_JSON)
		return (sr_json(st, forms, flows));
	pre = sr_preamble(st);
	sr_wrap(&b, pre);
	free(pre);
	for (i = 0; i < st->ntables; i++)
		sr_text_table(&b, st, st->tables[i], forms, flows);
	sr_text_stages(&b, st, flows);
	return (b.s);
}

/* A new file, mode 0640, never over an existing one. */
static int
sr_create(const char *path, char **cause)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0640);
	if (fd == -1)
		err_set(cause, _("Cannot create %s: %s."), path,
		    strerror(errno));
	return (fd);
}

static int
sr_fill(int fd, const char *path, const char *text, char **cause)
{
	if (write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
		err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno));
		close(fd);
		return (-1);
	}
	if (close(fd) != 0)
		return (err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno)));
	return (0);
}

/*
 * path and path.minisig, signed by the user as case summaries are.  Both
 * files are claimed, then the audit entry written (detail), then the
 * files filled: an export that cannot be made is never recorded as made,
 * and an export that cannot be recorded is not made.
 */
/*
 * To standard output (path "-"), for someone who has no file of the
 * server (over SSH), as case exports go: a tar archive of
 * statistics.EXT and statistics.EXT.minisig.  Never to a terminal;
 * audited before anything is written.
 */
static int
sr_archive(struct casefile_ctx *ctx, enum stats_format f, const char *text,
    const char *sigtext, const char *detail, char **cause)
{
	const char	*name;
	char		*signame;
	time_t		 t = now();
	int		 rc;

	if (isatty(STDOUT_FILENO))
		return (err_set(cause, _("With --out -, the figures are a tar "
		    "archive written to standard output: send it to a file "
		    "(... --out - > statistics.tar), not to the terminal.")));
	name = f == STATS_JSON ? "statistics.json" : f == STATS_CSV ?
	    "statistics.csv" : "statistics.txt";
	xasprintf(&signame, "%s.minisig", name);
	if ((rc = stats_audit(ctx, detail, cause)) == 0 &&
	    (rc = tar_add(STDOUT_FILENO, name, text, strlen(text), t,
	    cause)) == 0 &&
	    (rc = tar_add(STDOUT_FILENO, signame, sigtext, strlen(sigtext), t,
	    cause)) == 0)
		rc = tar_end(STDOUT_FILENO, cause);
	free(signame);
	return (rc);
}

int
stats_write_signed(struct casefile_ctx *ctx, const char *path,
    enum stats_format f, const char *text, const char *detail, char **cause)
{
	struct minisign_sig	 sig;
	uint8_t			 hash[VAULT_HASH512_LEN];
	char			*sigtext, *trusted, *sigpath, when[17];
	int			 fd, sfd, rc;

	format_time(now(), when);
	xasprintf(&trusted, "dossier statistics by %s at %s UTC",
	    ctx->sess->user->name, when);
	vault_hash512(text, strlen(text), hash);
	sigtext = minisign_sign(ctx->sess->id, hash, trusted);
	free(trusted);
	/* Verify right after signing, as minisign does. */
	if ((rc = minisign_sig_parse(sigtext, &sig, cause)) == 0) {
		rc = minisign_verify(&sig, hash, vault_identity_keyid(
		    ctx->sess->id), ctx->sess->user->sign_pk, cause);
		minisign_sig_free(&sig);
	}
	if (rc != 0) {
		free(sigtext);
		return (-1);
	}
	if (strcmp(path, "-") == 0) {
		rc = sr_archive(ctx, f, text, sigtext, detail, cause);
		free(sigtext);
		return (rc);
	}
	xasprintf(&sigpath, "%s.minisig", path);
	if ((fd = sr_create(path, cause)) == -1) {
		free(sigpath);
		free(sigtext);
		return (-1);
	}
	if ((sfd = sr_create(sigpath, cause)) == -1) {
		close(fd);
		unlink(path);
		free(sigpath);
		free(sigtext);
		return (-1);
	}
	if ((rc = stats_audit(ctx, detail, cause)) != 0) {
		close(fd);
		close(sfd);
	} else if ((rc = sr_fill(fd, path, text, cause)) != 0)
		close(sfd);
	else
		rc = sr_fill(sfd, sigpath, sigtext, cause);
	if (rc != 0) {
		unlink(path);
		unlink(sigpath);
	}
	free(sigpath);
	free(sigtext);
	return (rc);
}
