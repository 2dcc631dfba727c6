/*
 * stats.c: what the figures are made of, gathered case by case.
 *
 * Each case is read through casefile_open() without witness identities,
 * so the figures rest on exactly what this user may read: the clear
 * header of every case (region, force, channel, categories, victim sex
 * and age group, dates, state, deadline clock) and the clear part of its
 * journal (the moves from state to state, with their dates), and, only
 * for the cases whose key the user holds, the unit (intake), the
 * findings (allegations) and the outcomes and sanctions (decisions).
 * Witness records are skipped whatever the user holds.  A case whose key
 * is not held counts under STATS_NOKEY in the content dimensions, so
 * every table still adds up to the cases counted and says why.
 */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "account.h"
#include "audit.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "stats.h"
#include "store.h"
#include "util.h"
#include "workflow.h"

static void	stats_case_header(struct stats_case *,
		    const struct stats_input *, const struct workflow_set *);
static void	stats_case_content(struct stats *, struct stats_case *,
		    const struct stats_input *);
static void	stats_case_visits(struct stats_case *,
		    const struct stats_input *, const struct workflow_set *);

static const struct stats_dim_info stats_dims[STATS_NDIM] = {
	[STATS_RECEIVED] = { "received", N_("Received (year)"), NULL, 0 },
	[STATS_RECEIVED_QUARTER] = { "received_quarter",
	    N_("Received (quarter)"), NULL, 0 },
	[STATS_RECEIVED_MONTH] = { "received_month", N_("Received (month)"),
	    NULL, 0 },
	[STATS_CLOSED] = { "closed", N_("Closed (year)"), NULL, 0 },
	[STATS_CLOSED_QUARTER] = { "closed_quarter", N_("Closed (quarter)"),
	    NULL, 0 },
	[STATS_CLOSED_MONTH] = { "closed_month", N_("Closed (month)"), NULL,
	    0 },
	[STATS_WORKFLOW] = { "workflow", N_("Workflow"), NULL, 0 },
	[STATS_STATE] = { "state", N_("State"), NULL, 0 },
	[STATS_REGION] = { "region", N_("Region"), "regions", 0 },
	[STATS_FORCE] = { "force", N_("Force or service"), "forces", 0 },
	[STATS_UNIT] = { "unit", N_("Unit"), NULL, 1 },
	[STATS_CATEGORY_GROUP] = { "category_group", N_("Category group"),
	    "misconduct", 0 },
	[STATS_CATEGORY] = { "category", N_("Category"), "misconduct", 0 },
	[STATS_CHANNEL] = { "channel", N_("Channel"), "channels", 0 },
	[STATS_SEX] = { "sex", N_("Victim sex"), "sexes", 0 },
	[STATS_AGE] = { "age", N_("Victim age group"), "age_groups", 0 },
	[STATS_FINDING] = { "finding", N_("Finding"), "findings", 1 },
	[STATS_DECISION] = { "decision", N_("Decision"), "outcomes", 1 },
	[STATS_SANCTION] = { "sanction", N_("Sanction"), NULL, 1 },
	[STATS_REC_UNIT] = { "recommendation_unit",
	    N_("Recommendations by addressee unit"), NULL, 1 },
	[STATS_REC_FORCE] = { "recommendation_force",
	    N_("Recommendations by addressee force"), "forces", 1 },
	[STATS_REC_STATUS] = { "recommendation_status",
	    N_("Recommendation status"), "recommendation_status", 1 },
};

const struct stats_dim_info *
stats_dim_info(enum stats_dim d)
{
	if ((int)d < 0 || d >= STATS_NDIM)
		return (NULL);
	return (&stats_dims[d]);
}

int
stats_dim_parse(const char *s, enum stats_dim *d)
{
	int	 i;

	for (i = 0; i < STATS_NDIM; i++) {
		if (strcmp(stats_dims[i].name, s) == 0) {
			*d = i;
			return (0);
		}
	}
	return (-1);
}

/*
 * Where a code comes in the configuration: its place in its list, the
 * workflows' order and their states'; -1 where there is none (years,
 * free text, a code no longer listed), which keep the order of codes.
 */
static long
stats_code_order(const struct formset *forms, const struct workflow_set *flows,
    enum stats_dim d, const char *code)
{
	const struct form_list	*l;
	const char		*slash;
	size_t			 i, j;

	if (d == STATS_NDIM)
		return (-1);
	if ((d == STATS_WORKFLOW || d == STATS_STATE) && flows != NULL) {
		slash = d == STATS_STATE ? strchr(code, '/') : NULL;
		for (i = 0; i < flows->n; i++) {
			if (d == STATS_WORKFLOW) {
				if (strcmp(flows->list[i]->id, code) == 0)
					return ((long)i);
				continue;
			}
			if (slash == NULL ||
			    strlen(flows->list[i]->id) != (size_t)(slash - code) ||
			    strncmp(flows->list[i]->id, code, slash - code) != 0)
				continue;
			for (j = 0; j < flows->list[i]->nstates; j++)
				if (strcmp(flows->list[i]->states[j].id,
				    slash + 1) == 0)
					return ((long)(i * 10000 + j));
		}
		return (-1);
	}
	if (stats_dims[d].list == NULL || forms == NULL ||
	    (l = formset_list(forms, stats_dims[d].list)) == NULL)
		return (-1);
	for (i = 0; i < l->nitems; i++)
		if (strcmp(l->items[i].code, code) == 0)
			return ((long)i);
	return (-1);
}

/* A table's rows and columns in the order of the configuration. */
static void
stats_order(struct stats_table *t, const struct formset *forms,
    const struct workflow_set *flows)
{
	long	*rr, *cr = NULL;
	size_t	 i;

	rr = xcalloc(t->nr + 1, sizeof *rr);
	for (i = 0; i < t->nr; i++)
		rr[i] = stats_code_order(forms, flows, t->row, t->rcodes[i]);
	if (t->col != STATS_NDIM) {
		cr = xcalloc(t->nc + 1, sizeof *cr);
		for (i = 0; i < t->nc; i++)
			cr[i] = stats_code_order(forms, flows, t->col,
			    t->ccodes[i]);
	}
	stats_table_order(t, rr, cr);
	free(rr);
	free(cr);
}

/* The months, for the labels of the tables by month. */
static const char *stats_months[] = {
	N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
	N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
	N_("November"), N_("December")
};

/* The state a code of the state dimension names: "WORKFLOW/STATE". */
static const struct workflow_state *
stats_state_code(const struct workflow_set *flows, const char *code,
    const struct workflow **wfp)
{
	const char	*slash;
	size_t		 i;

	if ((slash = strchr(code, '/')) == NULL)
		return (NULL);
	for (i = 0; i < flows->n; i++) {
		if (strlen(flows->list[i]->id) != (size_t)(slash - code) ||
		    strncmp(flows->list[i]->id, code, slash - code) != 0)
			continue;
		*wfp = flows->list[i];
		return (workflow_state(flows->list[i], slash + 1));
	}
	return (NULL);
}

char *
stats_code_label(const struct formset *forms, const struct workflow_set *flows,
    enum stats_dim d, const char *code)
{
	const struct form_list		*l;
	const struct form_item		*it;
	const struct workflow		*wf;
	const struct workflow_state	*st;
	size_t				 i, j;
	int				 lang = lang_index();
	char				*out;

	if (strcmp(code, STATS_NOKEY) == 0)
		return (xstrdup(_("(key not held)")));
	if (strcmp(code, STATS_UNSTATED) == 0)
		return (xstrdup(_("(not stated)")));
	if (strcmp(code, STATS_NONE) == 0) {
		if (d == STATS_CLOSED || d == STATS_CLOSED_QUARTER ||
		    d == STATS_CLOSED_MONTH)
			return (xstrdup(_("(not closed)")));
		if (d == STATS_DECISION || d == STATS_SANCTION)
			return (xstrdup(_("(no decision)")));
		if (d == STATS_FINDING)
			return (xstrdup(_("(no allegation)")));
		return (xstrdup(_("(not stated)")));
	}
	/* Periods as the reader writes them: "Q3 2026", "July 2026". */
	if ((d == STATS_RECEIVED_QUARTER || d == STATS_CLOSED_QUARTER) &&
	    strlen(code) == 7 && code[4] == '-' && code[5] == 'Q' &&
	    code[6] >= '1' && code[6] <= '4') {
		/* TRANSLATORS: a quarter (1 to 4) and its year. */
		xasprintf(&out, _("Q%c %.4s"), code[6], code);
		return (out);
	}
	if ((d == STATS_RECEIVED_MONTH || d == STATS_CLOSED_MONTH) &&
	    strlen(code) == 7 && code[4] == '-' && (i = (size_t)atoi(code +
	    5)) >= 1 && i <= 12) {
		xasprintf(&out, "%s %.4s", _(stats_months[i - 1]), code);
		return (out);
	}
	if (d == STATS_WORKFLOW && flows != NULL &&
	    (wf = workflow_find(flows, code)) != NULL)
		return (xstrdup(wf->title[lang]));
	if (d == STATS_STATE && flows != NULL &&
	    (st = stats_state_code(flows, code, &wf)) != NULL) {
		/* A label another workflow also gives says whose it is. */
		for (i = 0; i < flows->n; i++) {
			if (flows->list[i] == wf)
				continue;
			for (j = 0; j < flows->list[i]->nstates; j++) {
				if (strcmp(flows->list[i]->states[j].label[lang],
				    st->label[lang]) != 0)
					continue;
				xasprintf(&out, "%s (%s)", st->label[lang],
				    wf->title[lang]);
				return (out);
			}
		}
		return (xstrdup(st->label[lang]));
	}
	if (stats_dims[d].list != NULL && forms != NULL &&
	    (l = formset_list(forms, stats_dims[d].list)) != NULL &&
	    (it = form_list_item(l, code)) != NULL)
		return (xstrdup(it->label[lang]));
	return (xstrdup(code));
}

struct stats *
stats_create(void)
{
	struct stats	*st = xcalloc(1, sizeof *st);

	st->at = now();
	return (st);
}

struct stats_case *
stats_add_case(struct stats *st, uint64_t id, int readable)
{
	struct stats_case	*c, *old = st->cases;
	size_t			 i, d;

	if (st->ncases == st->ncap) {
		st->ncap = st->ncap == 0 ? 64 : 2 * st->ncap;
		st->cases = xrealloc(st->cases, st->ncap * sizeof *st->cases);
		/* Values kept in the case itself moved with it. */
		for (i = 0; old != NULL && st->cases != old &&
		    i < st->ncases; i++)
			for (d = 0; d < STATS_NDIM; d++)
				if (st->cases[i].values[d].cap == 2)
					st->cases[i].values[d].v =
					    st->cases[i].values[d].inl;
	}
	c = &st->cases[st->ncases++];
	memset(c, 0, sizeof *c);
	c->owner = st;
	c->id = id;
	c->readable = readable;
	if (readable)
		st->readable++;
	return (c);
}

/* Add a value to a case's dimension, once. */
void
stats_set(struct stats_case *c, enum stats_dim d, const char *value)
{
	struct stats_values	*v = &c->values[d];
	size_t			 i;

	value = stats_intern(c->owner, value);
	for (i = 0; i < v->n; i++)
		if (v->v[i] == value)
			return;
	if (v->cap == 0) {
		v->v = v->inl;
		v->cap = 2;
	} else if (v->n == v->cap) {
		v->cap *= 2;
		if (v->v == v->inl) {
			v->v = xcalloc(v->cap, sizeof *v->v);
			memcpy(v->v, v->inl, sizeof v->inl);
		} else
			v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = (char *)value;
}

void
stats_add_visit(struct stats_case *c, const char *workflow, const char *state,
    long days, int limit, int open, int late)
{
	struct stats_visit	*v;

	c->visits = xrealloc(c->visits, (c->nvisits + 1) * sizeof *c->visits);
	v = &c->visits[c->nvisits++];
	v->workflow = stats_intern(c->owner, workflow);
	v->state = stats_intern(c->owner, state);
	v->days = days < 0 ? 0 : days;
	v->limit = limit;
	v->open = open;
	v->late = late;
}

void
stats_free(struct stats *st)
{
	struct stats_case	*c;
	size_t			 i, d;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncases; i++) {
		c = &st->cases[i];
		for (d = 0; d < STATS_NDIM; d++)
			if (c->values[d].v != c->values[d].inl)
				free(c->values[d].v);
		free(c->visits);
	}
	free(st->cases);
	stats_pool_free(st);
	for (i = 0; i < st->ntables; i++)
		stats_table_free(st->tables[i]);
	free(st->tables);
	for (i = 0; i < st->nstages; i++) {
		free(st->stages[i].workflow);
		free(st->stages[i].state);
	}
	free(st->stages);
	for (i = 0; i < st->nlist; i++) {
		free(st->list[i].reference);
		free(st->list[i].workflow);
		free(st->list[i].unit);
		free(st->list[i].force);
		free(st->list[i].status);
		free(st->list[i].source_kind);
	}
	free(st->list);
	stats_free(st->recs);
	free(st->user);
	free(st);
}

/* "2026-11-20 09:30" or a day number: year, quarter and month codes. */
static void
stats_set_period(struct stats_case *c, enum stats_dim year, const char *date)
{
	char	 buf[16];
	int	 m;

	if (date == NULL || strlen(date) < 7 || date[4] != '-' ||
	    !isdigit((unsigned char)date[5]) ||
	    !isdigit((unsigned char)date[6])) {
		stats_set(c, year, STATS_NONE);
		stats_set(c, year + 1, STATS_NONE);
		stats_set(c, year + 2, STATS_NONE);
		return;
	}
	/* "2026", "2026-Q4", "2026-11" (no snprintf: a run makes many). */
	memcpy(buf, date, 4);
	buf[4] = '\0';
	stats_set(c, year, buf);
	m = (date[5] - '0') * 10 + (date[6] - '0');
	memcpy(buf + 4, "-Q", 2);
	buf[6] = (char)('0' + (m >= 1 && m <= 12 ? (m - 1) / 3 + 1 : 0));
	buf[7] = '\0';
	stats_set(c, year + 1, buf);
	memcpy(buf, date, 7);
	buf[7] = '\0';
	stats_set(c, year + 2, buf);
}

/* A header field's comma-separated codes, or STATS_NONE. */
static void
stats_set_codes(struct stats_case *c, enum stats_dim d, const char *codes,
    int group, const char *none)
{
	const char	*p = codes, *end;
	char		*one, buf[64];
	size_t		 len;
	int		 any = 0;

	while (p != NULL && *p != '\0') {
		end = p + strcspn(p, ",");
		len = (size_t)(end - p);
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (group && memchr(p, '.', len) != NULL)
			len = (size_t)((const char *)memchr(p, '.', len) - p);
		if (len > 0) {
			if (len < sizeof buf) {
				memcpy(buf, p, len);
				buf[len] = '\0';
				stats_set(c, d, buf);
			} else {
				one = xstrndup(p, len);
				stats_set(c, d, one);
				free(one);
			}
			any = 1;
		}
		p = *end == ',' ? end + 1 : end;
	}
	if (!any)
		stats_set(c, d, none);
}

/* Free text on one line, spaces folded; ASCII lowercased if lower. */
static char *
stats_line(const char *text, int lower)
{
	char	*out, *o;
	int	 space = 0;

	o = out = xmalloc(strlen(text) + 1);
	for (; *text != '\0'; text++) {
		if (isspace((unsigned char)*text) ||
		    iscntrl((unsigned char)*text)) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = (*text & 0x80) || !lower ? *text :
		    tolower((unsigned char)*text);
	}
	*o = '\0';
	return (out);
}

/* Free text as a code: one line, spaces folded, ASCII lowercased. */
char *
stats_fold(const char *text)
{
	return (stats_line(text, 1));
}

static void
stats_set_text(struct stats_case *c, enum stats_dim d, const char *text,
    const char *none, uint64_t order)
{
	char	*out, *shown;

	if (text == NULL) {
		stats_set(c, d, none);
		return;
	}
	out = stats_fold(text);
	stats_set(c, d, *out != '\0' ? out : none);
	if (*out != '\0') {
		/* The label shows the words as entered, on one line. */
		shown = stats_line(text, 0);
		stats_code_set_shown(c->owner, out, shown, order);
		free(shown);
	}
	free(out);
}

static const struct workflow_state *
stats_state(const struct workflow_set *flows, const char *w, const char *s,
    const struct workflow **wfp)
{
	const struct workflow	*wf;

	if (w == NULL || s == NULL || flows == NULL ||
	    (wf = workflow_find(flows, w)) == NULL)
		return (NULL);
	if (wfp != NULL)
		*wfp = wf;
	return (workflow_state(wf, s));
}

const char *stats_hfield_keys[STATS_NH] = {
	"workflow", "state", "received", "region", "force", "categories",
	"channel", "victim_sex", "victim_age", "reference", "clock.previous"
};

/* The last is no field: source_record's kind (stats_input_casefile()). */
static const char *const stats_rec_recommendation[] = {
	"addressee_unit", "addressee_force", "status", "deadline",
	"source_record", NULL
};
static const char *const stats_rec_intake[] = { "unit", NULL };
static const char *const stats_rec_allegation[] = { "finding", NULL };
static const char *const stats_rec_decision[] = {
	"verdict", "outcome", "sanction", NULL
};

const char *const *
stats_rec_fields(const char *kind, uint64_t rid, int *text)
{
	*text = -1;
	if (strcmp(kind, "witness") == 0)
		return (NULL);		/* never witness data */
	if (strcmp(kind, "recommendation") == 0) {
		*text = 0;
		return (stats_rec_recommendation);
	}
	if (rid == 0) {
		*text = 0;
		return (stats_rec_intake);
	}
	if (strcmp(kind, "allegation") == 0)
		return (stats_rec_allegation);
	if (strcmp(kind, "decision") == 0) {
		*text = 2;
		return (stats_rec_decision);
	}
	return (NULL);
}

static void
stats_case_header(struct stats_case *c, const struct stats_input *in,
    const struct workflow_set *flows)
{
	const struct workflow_state	*st;
	const char			*w, *s, *const *h = in->h;
	char				 day[16], *ws;

	w = h[STATS_H_WORKFLOW];
	s = h[STATS_H_STATE];
	stats_set_period(c, STATS_RECEIVED, h[STATS_H_RECEIVED]);
	st = stats_state(flows, w, s, NULL);
	if (st != NULL && st->terminal && in->num[STATS_N_ENTERED] > 0) {
		format_day((long)in->num[STATS_N_ENTERED], day);
		stats_set_period(c, STATS_CLOSED, day);
	} else
		stats_set_period(c, STATS_CLOSED, NULL);
	stats_set(c, STATS_WORKFLOW, w != NULL ? w : STATS_NONE);
	/* A state is its workflow's: one id may be in two of them. */
	if (w != NULL && s != NULL) {
		xasprintf(&ws, "%s/%s", w, s);
		stats_set(c, STATS_STATE, ws);
		free(ws);
	} else
		stats_set(c, STATS_STATE, STATS_NONE);
	stats_set_codes(c, STATS_REGION, h[STATS_H_REGION], 0, STATS_NONE);
	stats_set_codes(c, STATS_FORCE, h[STATS_H_FORCE], 0, STATS_NONE);
	stats_set_codes(c, STATS_CATEGORY, h[STATS_H_CATEGORIES], 0,
	    STATS_NONE);
	stats_set_codes(c, STATS_CATEGORY_GROUP, h[STATS_H_CATEGORIES], 1,
	    STATS_NONE);
	stats_set_codes(c, STATS_CHANNEL, h[STATS_H_CHANNEL], 0, STATS_NONE);
	stats_set_codes(c, STATS_SEX, h[STATS_H_SEX], 0, STATS_NONE);
	stats_set_codes(c, STATS_AGE, h[STATS_H_AGE], 0, STATS_NONE);
}

/*
 * A recommendation: a line of the follow-up list, and a pseudo-case
 * carrying its unit, force and status and its case's header values.
 */
static void
stats_case_rec(struct stats *st, const struct stats_case *c,
    const struct stats_input *in, const struct stats_irec *r)
{
	struct stats_rec	*l;
	struct stats_case	*p, one;
	const char		*v;
	long			 day, today = casefile_today();
	size_t			 d, j;

	if (st->list_only) {
		/* Its unit, force and status read the same way, kept in
		 * no table. */
		memset(&one, 0, sizeof one);
		one.owner = st;
		p = &one;
	} else {
		if (st->recs == NULL)
			st->recs = stats_create();
		p = stats_add_case(st->recs, r->rid, 1);
		for (d = 0; d < STATS_NDIM; d++)
			if (!stats_dims[d].content)
				for (j = 0; j < c->values[d].n; j++)
					stats_set(p, d, c->values[d].v[j]);
	}
	stats_set_text(p, STATS_REC_UNIT, r->f[0], STATS_NONE, c->id);
	stats_set_codes(p, STATS_REC_FORCE, r->f[1], 0, STATS_NONE);
	stats_set_codes(p, STATS_REC_STATUS, r->f[2], 0, STATS_NONE);

	if (st->nlist == st->listcap) {
		st->listcap = st->listcap == 0 ? 64 : 2 * st->listcap;
		st->list = xrealloc(st->list, st->listcap *
		    sizeof *st->list);
	}
	l = &st->list[st->nlist++];
	memset(l, 0, sizeof *l);
	l->id = c->id;
	l->rid = r->rid;
	v = in->h[STATS_H_REFERENCE];
	l->reference = xstrdup(v != NULL ? v : "?");
	v = in->h[STATS_H_WORKFLOW];
	l->workflow = xstrdup(v != NULL ? v : "?");
	/* The unit as entered (on one line), counted folded. */
	l->unit = r->f[0] != NULL ? stats_line(r->f[0], 0) : NULL;
	if (l->unit == NULL || *l->unit == '\0') {
		free(l->unit);
		l->unit = xstrdup(p->values[STATS_REC_UNIT].v[0]);
	}
	l->force = xstrdup(p->values[STATS_REC_FORCE].v[0]);
	l->status = xstrdup(p->values[STATS_REC_STATUS].v[0]);
	if ((v = r->f[STATS_RF_SOURCE]) != NULL)
		l->source = strtoull(v, NULL, 10);
	v = r->f[STATS_RF_SOURCE_KIND];
	l->source_kind = xstrdup(v != NULL ? v : "");
	if ((v = r->f[3]) != NULL && form_parse_date(v, &day) == 0) {
		l->deadline = day;
		if (STATS_REC_OPEN(l->status) && day < today)
			l->late = today - day;
	}
	for (d = 0; p == &one && d < STATS_NDIM; d++)
		if (one.values[d].v != one.values[d].inl)
			free(one.values[d].v);
}

/* Unit, findings, outcomes and sanctions: records under the case key. */
static void
stats_case_content(struct stats *st, struct stats_case *c,
    const struct stats_input *in)
{
	const struct stats_irec	*r;
	const char		*v;
	size_t			 i;
	int			 findings = 0, decisions = 0;

	if (!c->readable) {
		stats_set(c, STATS_UNIT, STATS_NOKEY);
		stats_set(c, STATS_FINDING, STATS_NOKEY);
		stats_set(c, STATS_DECISION, STATS_NOKEY);
		stats_set(c, STATS_SANCTION, STATS_NOKEY);
		return;
	}
	for (i = 0; i < in->nrecs; i++) {
		r = &in->recs[i];
		if (strcmp(r->kind, "recommendation") == 0)
			stats_case_rec(st, c, in, r);
		else if (r->rid == 0)
			stats_set_text(c, STATS_UNIT, r->f[0], STATS_NONE,
			    c->id);
		else if (strcmp(r->kind, "allegation") == 0) {
			v = r->f[0];
			stats_set(c, STATS_FINDING, v != NULL && *v != '\0' ?
			    v : "pending");
			findings++;
		} else if (strcmp(r->kind, "decision") == 0 &&
		    (v = r->f[0]) != NULL && strcmp(v, "decided") == 0) {
			stats_set_codes(c, STATS_DECISION, r->f[1], 0,
			    STATS_UNSTATED);
			stats_set_text(c, STATS_SANCTION, r->f[2],
			    STATS_UNSTATED, c->id);
			decisions++;
		}
	}
	if (c->values[STATS_UNIT].n == 0)
		stats_set(c, STATS_UNIT, STATS_NONE);
	if (findings == 0)
		stats_set(c, STATS_FINDING, STATS_NONE);
	if (decisions == 0) {
		stats_set(c, STATS_DECISION, STATS_NONE);
		stats_set(c, STATS_SANCTION, STATS_NONE);
	}
}

/*
 * The stays in each state, from the clear journal: a stay ends with the
 * move out of it; the first began when the case was created, the last
 * (unless the state is terminal) runs until today.
 */
static void
stats_case_visits(struct stats_case *c, const struct stats_input *in,
    const struct workflow_set *flows)
{
	const struct workflow		*wf = NULL;
	const struct workflow_state	*st;
	struct workflow_clock		 clock;
	const char			*w, *from;
	long				 prev, day, today = casefile_today();
	size_t				 i;

	w = in->h[STATS_H_WORKFLOW];
	if (w == NULL)
		return;
	prev = (long)(in->num[STATS_N_CREATED] / 86400);
	for (i = 0; i < in->nmoves; i++) {
		from = in->moves[i].from;
		day = (long)(in->moves[i].at / 86400);
		st = stats_state(flows, w, from, &wf);
		if (st != NULL && !st->terminal)
			stats_add_visit(c, w, from, day - prev, st->days, 0,
			    st->days > 0 && day - prev > st->days);
		prev = day;
	}
	st = stats_state(flows, w, in->h[STATS_H_STATE], &wf);
	if (st == NULL || st->terminal)
		return;
	memset(&clock, 0, sizeof clock);
	clock.entered = (long)in->num[STATS_N_ENTERED];
	clock.deadline = (long)in->num[STATS_N_DEADLINE];
	clock.paused_since = (long)in->num[STATS_N_PAUSED_SINCE];
	clock.paused_days = (long)in->num[STATS_N_PAUSED_DAYS];
	clock.resume_left = (long)in->num[STATS_N_RESUME_LEFT];
	clock.resume = (int)in->num[STATS_N_RESUME];
	if (in->h[STATS_H_PREVIOUS] != NULL)
		snprintf(clock.previous, sizeof clock.previous, "%s",
		    in->h[STATS_H_PREVIOUS]);
	stats_add_visit(c, w, st->id, today - clock.entered, st->days, 1,
	    workflow_overdue(&clock, today) > 0);
}

/* One case's figures, from what it holds that the figures read. */
void
stats_add_input(struct stats *st, const struct stats_input *in,
    const struct workflow_set *flows)
{
	struct stats_case	*c, one;
	size_t			 i;

	if (st->list_only) {
		/* The recommendations of the cases whose key is held. */
		memset(&one, 0, sizeof one);
		one.owner = st;
		one.id = in->id;
		for (i = 0; in->readable && i < in->nrecs; i++)
			if (strcmp(in->recs[i].kind, "recommendation") == 0)
				stats_case_rec(st, &one, in, &in->recs[i]);
		return;
	}
	c = stats_add_case(st, in->id, in->readable);
	stats_case_header(c, in, flows);
	stats_case_content(st, c, in);
	stats_case_visits(c, in, flows);
}

void
stats_add_casefile(struct stats *st, const struct casefile *cf,
    const struct workflow_set *flows)
{
	struct stats_input	 in;

	stats_input_casefile(&in, cf);
	stats_add_input(st, &in, flows);
	stats_input_free(&in);
}

/* Every case read through casefile_open(), the digests left aside. */
static int
stats_collect_slow(struct casefile_ctx *ctx,
    const struct casefile_filter *filter, struct stats *st, char **cause)
{
	struct casefile_summary	*list;
	struct casefile		*cf;
	size_t			 n, i;

	if (casefile_list(ctx, filter, &list, &n, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (casefile_open(ctx, list[i].id, CASEFILE_JOURNAL, &cf,
		    cause) != 0) {
			casefile_list_free(list, n);
			return (-1);
		}
		stats_add_casefile(st, cf, ctx->flows);
		st->opened++;
		casefile_free(cf);
	}
	casefile_list_free(list, n);
	return (0);
}

int
stats_collect(struct casefile_ctx *ctx, const char *workflow,
    struct stats **stp, char **cause)
{
	return (stats_collect_how(ctx, workflow, 0, stp, cause));
}

int
stats_collect_how(struct casefile_ctx *ctx, const char *workflow, int how,
    struct stats **stp, char **cause)
{
	struct casefile_filter	 filter;
	struct stats		*st;
	uint64_t		*ids = NULL;
	size_t			 nids;
	int			 rc = 1;

	*stp = NULL;
	if (session_require(ctx->sess, ACCESS_READ_CASE, cause) != 0)
		return (-1);
	memset(&filter, 0, sizeof filter);
	filter.workflow = workflow;
	/* Only the cases the index says hold one; 1: not known yet. */
	if ((how & STATS_RECS) &&
	    (rc = casefile_recs_ids(ctx, &ids, &nids, cause)) < 0)
		return (-1);
	if (ids != NULL) {
		filter.ids = ids;
		filter.nids = nids;
	}
	st = stats_create();
	st->user = xstrdup(ctx->sess->user->name);
	st->list_only = (how & STATS_RECS) != 0;
	/* Digests first; 1: this user cannot read them. */
	rc = 1;
	if ((how & STATS_SLOW) == 0)
		rc = stats_digest_collect(ctx, &filter, st, cause);
	if (rc == 1) {
		st->digests = 0;
		rc = stats_collect_slow(ctx, &filter, st, cause);
	}
	free(ids);
	if (rc != 0) {
		stats_free(st);
		return (-1);
	}
	if (!st->list_only)
		stats_view(st, ctx->forms, ctx->flows, STATS_NDIM, STATS_NDIM,
		    0);
	*stp = st;
	return (0);
}

/*
 * The tables and stages of a view of the cases gathered: every count and
 * the stages (d1 STATS_NDIM), one dimension (d2 STATS_NDIM) or two
 * crossed; published (threshold > 0) or not.  What was there goes.
 */
void
stats_view(struct stats *st, const struct formset *forms,
    const struct workflow_set *flows, enum stats_dim d1, enum stats_dim d2,
    int threshold)
{
	size_t	 i;

	for (i = 0; i < st->ntables; i++)
		stats_table_free(st->tables[i]);
	st->ntables = 0;
	for (i = 0; i < st->nstages; i++) {
		free(st->stages[i].workflow);
		free(st->stages[i].state);
	}
	free(st->stages);
	st->stages = NULL;
	st->nstages = 0;
	st->publish = 0;
	st->threshold = 0;
	if (d1 != STATS_NDIM)
		stats_add_table(st, stats_table_any(st, d1, d2));
	else {
		stats_add_one_way(st);
		stats_stages(st, flows);
		/* Implementation of recommendations by unit and by force. */
		if (st->recs != NULL) {
			stats_add_table(st, stats_table_any(st,
			    STATS_REC_UNIT, STATS_REC_STATUS));
			stats_add_table(st, stats_table_any(st,
			    STATS_REC_FORCE, STATS_REC_STATUS));
		}
	}
	for (i = 0; i < st->ntables; i++)
		stats_order(st->tables[i], forms, flows);
	if (threshold > 0)
		stats_publish(st, threshold);
}

struct stats_audit_arg {
	struct casefile_ctx	*ctx;
	const char		*detail;
};

static int
stats_audit_txn(struct store_txn *t, void *arg, char **cause)
{
	struct stats_audit_arg	*a = arg;

	store_txn_local_ok(t);
	return (audit_appendf(t, &a->ctx->sess->signer, "stats.run", NULL,
	    cause, "%s", a->detail));
}

/* One audit entry per run or export: what was asked, where it went. */
int
stats_audit(struct casefile_ctx *ctx, const char *detail, char **cause)
{
	struct stats_audit_arg	 a;

	a.ctx = ctx;
	a.detail = detail;
	return (store_run(ctx->sess->store, stats_audit_txn, &a, cause));
}

int
stats_rec_cmp(const void *a, const void *b)
{
	const struct stats_rec	*x = *(const struct stats_rec * const *)a;
	const struct stats_rec	*y = *(const struct stats_rec * const *)b;

	if (x->late != y->late)
		return (x->late > y->late ? -1 : 1);
	if (x->deadline != y->deadline)
		return (x->deadline < y->deadline ? -1 : 1);
	if (x->id != y->id)
		return (x->id < y->id ? -1 : 1);
	return (x->rid < y->rid ? -1 : x->rid > y->rid);
}
