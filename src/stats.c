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

static void	stats_case_header(struct stats_case *, const struct record *,
		    const struct workflow_set *);
static void	stats_case_content(struct stats *, struct stats_case *,
		    const struct casefile *);
static void	stats_case_visits(struct stats_case *, const struct casefile *,
		    const struct workflow_set *);

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

char *
stats_code_label(const struct formset *forms, const struct workflow_set *flows,
    enum stats_dim d, const char *code)
{
	const struct form_list		*l;
	const struct form_item		*it;
	const struct workflow		*wf;
	const struct workflow_state	*st;
	size_t				 i;
	int				 lang = lang_index();

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
	if (d == STATS_WORKFLOW && flows != NULL &&
	    (wf = workflow_find(flows, code)) != NULL)
		return (xstrdup(wf->title[lang]));
	if (d == STATS_STATE && flows != NULL) {
		/* State ids may repeat across workflows: the first wins. */
		for (i = 0; i < flows->n; i++)
			if ((st = workflow_state(flows->list[i], code)) != NULL)
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
	struct stats_case	*c;

	st->cases = xrealloc(st->cases, (st->ncases + 1) * sizeof *st->cases);
	c = &st->cases[st->ncases++];
	memset(c, 0, sizeof *c);
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

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], value) == 0)
			return;
	v->v = xrealloc(v->v, (v->n + 1) * sizeof *v->v);
	v->v[v->n++] = xstrdup(value);
}

void
stats_add_visit(struct stats_case *c, const char *workflow, const char *state,
    long days, int limit, int open, int late)
{
	struct stats_visit	*v;

	c->visits = xrealloc(c->visits, (c->nvisits + 1) * sizeof *c->visits);
	v = &c->visits[c->nvisits++];
	v->workflow = xstrdup(workflow);
	v->state = xstrdup(state);
	v->days = days < 0 ? 0 : days;
	v->limit = limit;
	v->open = open;
	v->late = late;
}

void
stats_free(struct stats *st)
{
	struct stats_case	*c;
	size_t			 i, j, d;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncases; i++) {
		c = &st->cases[i];
		for (d = 0; d < STATS_NDIM; d++) {
			for (j = 0; j < c->values[d].n; j++)
				free(c->values[d].v[j]);
			free(c->values[d].v);
		}
		for (j = 0; j < c->nvisits; j++) {
			free(c->visits[j].workflow);
			free(c->visits[j].state);
		}
		free(c->visits);
	}
	free(st->cases);
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
	snprintf(buf, sizeof buf, "%.4s", date);
	stats_set(c, year, buf);
	m = (date[5] - '0') * 10 + (date[6] - '0');
	snprintf(buf, sizeof buf, "%.4s-Q%d", date, m >= 1 && m <= 12 ?
	    (m - 1) / 3 + 1 : 0);
	stats_set(c, year + 1, buf);
	snprintf(buf, sizeof buf, "%.7s", date);
	stats_set(c, year + 2, buf);
}

/* A header field's comma-separated codes, or STATS_NONE. */
static void
stats_set_codes(struct stats_case *c, enum stats_dim d, const char *codes,
    int group, const char *none)
{
	const char	*p = codes, *end;
	char		*one;
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
			one = xstrndup(p, len);
			stats_set(c, d, one);
			free(one);
			any = 1;
		}
		p = *end == ',' ? end + 1 : end;
	}
	if (!any)
		stats_set(c, d, none);
}

/* Free text as a code: one line, spaces folded, ASCII lowercased. */
static void
stats_set_text(struct stats_case *c, enum stats_dim d, const char *text,
    const char *none)
{
	char	*out, *o;
	int	 space = 0;

	if (text == NULL) {
		stats_set(c, d, none);
		return;
	}
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
		*o++ = (*text & 0x80) ? *text : tolower((unsigned char)*text);
	}
	*o = '\0';
	stats_set(c, d, *out != '\0' ? out : none);
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

static void
stats_case_header(struct stats_case *c, const struct record *h,
    const struct workflow_set *flows)
{
	const struct workflow_state	*st;
	const char			*w, *s;
	char				 day[16];

	w = record_get_str(h, "workflow");
	s = record_get_str(h, "state");
	stats_set_period(c, STATS_RECEIVED, record_get_str(h, "received"));
	st = stats_state(flows, w, s, NULL);
	if (st != NULL && st->terminal &&
	    record_get_int(h, "clock.entered", 0) > 0) {
		format_day((long)record_get_int(h, "clock.entered", 0), day);
		stats_set_period(c, STATS_CLOSED, day);
	} else
		stats_set_period(c, STATS_CLOSED, NULL);
	stats_set(c, STATS_WORKFLOW, w != NULL ? w : STATS_NONE);
	stats_set(c, STATS_STATE, s != NULL ? s : STATS_NONE);
	stats_set_codes(c, STATS_REGION, record_get_str(h, "region"), 0,
	    STATS_NONE);
	stats_set_codes(c, STATS_FORCE, record_get_str(h, "force"), 0,
	    STATS_NONE);
	stats_set_codes(c, STATS_CATEGORY, record_get_str(h, "categories"), 0,
	    STATS_NONE);
	stats_set_codes(c, STATS_CATEGORY_GROUP, record_get_str(h,
	    "categories"), 1, STATS_NONE);
	stats_set_codes(c, STATS_CHANNEL, record_get_str(h, "channel"), 0,
	    STATS_NONE);
	stats_set_codes(c, STATS_SEX, record_get_str(h, "victim_sex"), 0,
	    STATS_NONE);
	stats_set_codes(c, STATS_AGE, record_get_str(h, "victim_age"), 0,
	    STATS_NONE);
}

/* Unit, findings, outcomes and sanctions: records under the case key. */
/*
 * A recommendation: a line of the follow-up list, and a pseudo-case
 * carrying its unit, force and status and its case's header values.
 */
static void
stats_case_rec(struct stats *st, const struct stats_case *c,
    const struct casefile *cf, const struct casefile_rec *r)
{
	struct stats_rec	*l;
	struct stats_case	*p;
	const char		*v;
	long			 day, today = casefile_today();
	size_t			 d, j;

	if (st->recs == NULL)
		st->recs = stats_create();
	p = stats_add_case(st->recs, r->rid, 1);
	for (d = 0; d < STATS_NDIM; d++)
		if (!stats_dims[d].content)
			for (j = 0; j < c->values[d].n; j++)
				stats_set(p, d, c->values[d].v[j]);
	stats_set_text(p, STATS_REC_UNIT, record_get_str(r->fields,
	    "addressee_unit"), STATS_NONE);
	stats_set_codes(p, STATS_REC_FORCE, record_get_str(r->fields,
	    "addressee_force"), 0, STATS_NONE);
	stats_set_codes(p, STATS_REC_STATUS, record_get_str(r->fields,
	    "status"), 0, STATS_NONE);

	st->list = xrealloc(st->list, (st->nlist + 1) * sizeof *st->list);
	l = &st->list[st->nlist++];
	memset(l, 0, sizeof *l);
	l->id = c->id;
	l->rid = r->rid;
	v = record_get_str(cf->header, "reference");
	l->reference = xstrdup(v != NULL ? v : "?");
	v = record_get_str(cf->header, "workflow");
	l->workflow = xstrdup(v != NULL ? v : "?");
	l->unit = xstrdup(p->values[STATS_REC_UNIT].v[0]);
	l->force = xstrdup(p->values[STATS_REC_FORCE].v[0]);
	l->status = xstrdup(p->values[STATS_REC_STATUS].v[0]);
	if ((v = record_get_str(r->fields, "deadline")) != NULL &&
	    form_parse_date(v, &day) == 0) {
		l->deadline = day;
		if (STATS_REC_OPEN(l->status) && day < today)
			l->late = today - day;
	}
}

static void
stats_case_content(struct stats *st, struct stats_case *c,
    const struct casefile *cf)
{
	const struct casefile_rec	*r;
	const char			*v;
	size_t				 i;
	int				 findings = 0, decisions = 0;

	if (!c->readable) {
		stats_set(c, STATS_UNIT, STATS_NOKEY);
		stats_set(c, STATS_FINDING, STATS_NOKEY);
		stats_set(c, STATS_DECISION, STATS_NOKEY);
		stats_set(c, STATS_SANCTION, STATS_NOKEY);
		return;
	}
	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (r->locked || strcmp(r->kind, "witness") == 0)
			continue;	/* never witness data */
		if (strcmp(r->kind, "recommendation") == 0)
			stats_case_rec(st, c, cf, r);
		else if (r->rid == 0) {
			stats_set_text(c, STATS_UNIT, record_get_str(r->fields,
			    "unit"), STATS_NONE);
		} else if (strcmp(r->kind, "allegation") == 0) {
			v = record_get_str(r->fields, "finding");
			stats_set(c, STATS_FINDING, v != NULL && *v != '\0' ?
			    v : "pending");
			findings++;
		} else if (strcmp(r->kind, "decision") == 0 &&
		    (v = record_get_str(r->fields, "verdict")) != NULL &&
		    strcmp(v, "decided") == 0) {
			stats_set_codes(c, STATS_DECISION,
			    record_get_str(r->fields, "outcome"), 0,
			    STATS_UNSTATED);
			stats_set_text(c, STATS_SANCTION,
			    record_get_str(r->fields, "sanction"),
			    STATS_UNSTATED);
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
stats_case_visits(struct stats_case *c, const struct casefile *cf,
    const struct workflow_set *flows)
{
	const struct workflow		*wf = NULL;
	const struct workflow_state	*st;
	const struct casefile_event	*e;
	struct workflow_clock		 clock;
	const char			*w, *from;
	long				 prev, day, today = casefile_today();
	size_t				 i;

	w = record_get_str(cf->header, "workflow");
	if (w == NULL)
		return;
	prev = (long)(record_get_int(cf->header, "created", 0) / 86400);
	for (i = 0; i < cf->njournal; i++) {
		e = &cf->journal[i];
		if (strcmp(e->what, "move") != 0 ||
		    (from = record_get_str(e->body, "from")) == NULL)
			continue;
		day = (long)(e->at / 86400);
		st = stats_state(flows, w, from, &wf);
		if (st != NULL && !st->terminal)
			stats_add_visit(c, w, from, day - prev, st->days, 0,
			    st->days > 0 && day - prev > st->days);
		prev = day;
	}
	st = stats_state(flows, w, record_get_str(cf->header, "state"), &wf);
	if (st == NULL || st->terminal)
		return;
	casefile_clock(cf->header, &clock);
	stats_add_visit(c, w, st->id, today - clock.entered, st->days, 1,
	    workflow_overdue(&clock, today) > 0);
}

int
stats_collect(struct casefile_ctx *ctx, const char *workflow,
    struct stats **stp, char **cause)
{
	struct casefile_filter	 filter;
	struct casefile_summary	*list;
	struct casefile		*cf;
	struct stats		*st;
	struct stats_case	*c;
	size_t			 n, i;
	int			 d;

	*stp = NULL;
	if (session_require(ctx->sess, ACCESS_READ_CASE, cause) != 0)
		return (-1);
	memset(&filter, 0, sizeof filter);
	filter.workflow = workflow;
	if (casefile_list(ctx, &filter, &list, &n, cause) != 0)
		return (-1);
	st = stats_create();
	st->user = xstrdup(ctx->sess->user->name);
	for (i = 0; i < n; i++) {
		if (casefile_open(ctx, list[i].id, CASEFILE_JOURNAL, &cf,
		    cause) != 0) {
			casefile_list_free(list, n);
			stats_free(st);
			return (-1);
		}
		c = stats_add_case(st, list[i].id, cf->readable);
		stats_case_header(c, cf->header, ctx->flows);
		stats_case_content(st, c, cf);
		stats_case_visits(c, cf, ctx->flows);
		casefile_free(cf);
	}
	casefile_list_free(list, n);
	for (d = 0; d < STATS_NDIM; d++)
		if (!STATS_IS_REC(d))
			stats_add_table(st, stats_table(st, d, STATS_NDIM));
	stats_stages(st, ctx->flows);
	/* Implementation of recommendations by unit and by force. */
	if (st->recs != NULL) {
		stats_add_table(st, stats_table_any(st, STATS_REC_UNIT,
		    STATS_REC_STATUS));
		stats_add_table(st, stats_table_any(st, STATS_REC_FORCE,
		    STATS_REC_STATUS));
	}
	*stp = st;
	return (0);
}

struct stats_audit_arg {
	struct casefile_ctx	*ctx;
	const char		*detail;
};

static int
stats_audit_txn(struct store_txn *t, void *arg, char **cause)
{
	struct stats_audit_arg	*a = arg;

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
