/*
 * export-steps.c: the "Required steps" of a case summary: for each move
 * the workflow guards (the rights of the defence before the report, the
 * report, the decision, the findings), what the case holds for it, with
 * its dates, and a gap wherever the case went on without it.
 *
 * Which steps are shown comes from the workflow's guards, never from
 * names in code: the moves with guards that the case has taken (from its
 * journal) and those that lead out of its current state.  A guard is
 * judged on the day of the move (a lapse counted to that day); a date
 * later than the move is a gap too: the step did not happen in time.
 * The deadline lines of the summary ask export_steps_gap() so that a
 * stay left without its steps never reads "deadline met".
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "casefile.h"
#include "export.h"
#include "export-int.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "text.h"
#include "util.h"
#include "workflow.h"

static struct workflow_item *
es_items(const struct casefile *cf, size_t *n)
{
	struct workflow_item	*items;
	size_t			 i;

	items = xcalloc(cf->nrecs + 1, sizeof *items);
	for (i = 0; i < cf->nrecs; i++) {
		items[i].form = cf->recs[i].kind;
		items[i].fields = cf->recs[i].fields;
	}
	*n = cf->nrecs;
	return (items);
}

/* The day the case last took this transition, or -1. */
static long
es_taken(const struct casefile *cf, const char *trid)
{
	const char	*t;
	size_t		 i;
	long		 day = -1;

	for (i = 0; i < cf->njournal; i++) {
		if (strcmp(cf->journal[i].what, "move") != 0)
			continue;
		t = record_get_str(cf->journal[i].body, "transition");
		if (t != NULL && strcmp(t, trid) == 0)
			day = (long)(cf->journal[i].at / 86400);
	}
	return (day);
}

/* Did the case leave a stay by this transition without its steps? */
int
export_steps_gap(const struct casefile *cf, const struct workflow *wf,
    const char *trid, long day)
{
	const struct workflow_transition	*tr = NULL;
	struct workflow_item			*items;
	size_t					 i, n;
	int					 gap = 0;

	for (i = 0; wf != NULL && i < wf->ntransitions; i++)
		if (strcmp(wf->transitions[i].id, trid) == 0)
			tr = &wf->transitions[i];
	if (tr == NULL)
		return (0);
	items = es_items(cf, &n);
	for (i = 0; i < tr->nguards; i++)
		if (!workflow_guard_met(&tr->guards[i], items, n, day))
			gap = 1;
	free(items);
	return (gap);
}

/* "Rights of the defence 7, Adj Sangare (Person 3)": the record and
 * whom it names, as the rest of the summary names them. */
static char *
es_record_name(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct casefile_rec *r, int redact)
{
	const struct form	*fm = formset_form(ctx->forms, r->kind);
	const char		*v;
	char			*s, *who;
	size_t			 i;

	for (i = 0; fm != NULL && i < fm->nfields; i++) {
		if (fm->fields[i].type != FORM_PERSON)
			continue;
		if ((v = record_get_str(r->fields, fm->fields[i].id)) == NULL ||
		    *v == '\0')
			break;
		who = export_party(ctx, cf, strtoull(v, NULL, 10), redact);
		xasprintf(&s, "%s %" PRIu64 ", %s", form_lang(fm->title),
		    r->rid, who);
		free(who);
		return (s);
	}
	xasprintf(&s, "%s %" PRIu64, fm != NULL ? form_lang(fm->title) :
	    r->kind, r->rid);
	return (s);
}

static void
es_line(char **out, int md, int depth, const char *text)
{
	char	*c = text_clean(text, strlen(text), 0), *n;

	xasprintf(&n, "%s%s%s\n", *out, md ? (depth ? "  - " : "- ") :
	    (depth ? "    " : "  "), c);
	free(*out);
	free(c);
	*out = n;
}

/* The day of a date or date-and-time value. */
static int
es_date(const char *v, long *d)
{
	char	 day[11];

	if (v == NULL || strlen(v) < 10)
		return (0);
	memcpy(day, v, 10);
	day[10] = '\0';
	return (form_parse_date(day, d) == 0);
}

/* One term, record by record: its values and dates. */
static void
es_term(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct workflow_term *t, long taken, int flags, char **out, int md)
{
	const struct form	*fm = formset_form(ctx->forms, t->form);
	const struct form_field	*f = NULL;
	const char		*v, *title, *label;
	char			*who, *line, day[11];
	long			 d;
	size_t			 i, seen = 0;

	title = form_title(ctx->forms, t->form);
	if (t->field != NULL && fm != NULL)
		f = form_field(fm, t->field);
	label = form_label(ctx->forms, t->form, t->field, NULL);
	for (i = 0; i < cf->nrecs; i++) {
		if (strcmp(cf->recs[i].kind, t->form) != 0)
			continue;
		seen++;
		who = es_record_name(ctx, cf, &cf->recs[i],
		    flags & EXPORT_REDACT);
		v = t->field != NULL ? record_get_str(cf->recs[i].fields,
		    t->field) : NULL;
		if (t->type == WORKFLOW_RECORD) {
			format_day((long)(cf->recs[i].at / 86400), day);
			xasprintf(&line, _("%s: written by %s, last on %s"), who,
			    cf->recs[i].by, day);
		} else if (t->type == WORKFLOW_LAPSED) {
			if (es_date(v, &d)) {
				format_day(d + t->days, day);
				xasprintf(&line, ngettext("%s: %d day from “%s”: "
				    "until %s", "%s: %d days from “%s”: until %s",
				    t->days), who, t->days, label, day);
			} else
				xasprintf(&line, _("%s: “%s”: none"), who, label);
		} else if (v == NULL || *v == '\0') {
			xasprintf(&line, _("%s: “%s”: none"), who, label);
		} else if (f != NULL && f->personal &&
		    (flags & EXPORT_REDACT) != 0) {
			xasprintf(&line, _("%s: “%s”: recorded (withheld)"),
			    who, label);
		} else {
			v = form_label(ctx->forms, t->form, t->field, v);
			xasprintf(&line, _("%s: “%s”: %s"), who, label, v);
			if (taken >= 0 && f != NULL && (f->type == FORM_DATE ||
			    f->type == FORM_DATETIME) && es_date(v, &d) &&
			    d > taken) {
				free(who);
				who = line;
				xasprintf(&line, _("%s (GAP: dated after the "
				    "move)"), who);
			}
		}
		es_line(out, md, 1, line);
		free(line);
		free(who);
	}
	if (seen == 0) {
		xasprintf(&line, _("“%s”: none"), title);
		es_line(out, md, 1, line);
		free(line);
	}
}

/* The section, or NULL when the workflow guards nothing. */
char *
export_steps(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct workflow *wf, int flags, int md)
{
	const struct workflow_transition	*tr;
	struct workflow_item			*items;
	const char				*state;
	char					*out, *line, *words, day[11];
	size_t					 i, j, k, n, shown = 0;
	long					 taken;
	int					 current;

	if (wf == NULL)
		return (NULL);
	state = record_get_str(cf->header, "state");
	items = es_items(cf, &n);
	out = xstrdup("");
	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		if (tr->nguards == 0)
			continue;
		taken = es_taken(cf, tr->id);
		current = 0;
		for (j = 0; state != NULL && j < tr->nfrom; j++)
			if (strcmp(tr->from[j], state) == 0)
				current = 1;
		if (taken < 0 && !current)
			continue;
		shown++;
		if (taken >= 0) {
			format_day(taken, day);
			xasprintf(&line, _("Before “%s”: moved on %s"),
			    workflow_state_label(wf, tr->to), day);
		} else
			xasprintf(&line, _("Before “%s”: not moved yet"),
			    workflow_state_label(wf, tr->to));
		es_line(&out, md, 0, line);
		free(line);
		for (j = 0; j < tr->nguards; j++) {
			for (k = 0; k < tr->guards[j].nterms; k++)
				es_term(ctx, cf, &tr->guards[j].terms[k],
				    taken, flags, &out, md);
			if (workflow_guard_met(&tr->guards[j], items, n,
			    taken >= 0 ? taken : casefile_today()))
				continue;
			words = workflow_guard_words(&tr->guards[j],
			    ctx->forms);
			xasprintf(&line, taken >= 0 ? _("GAP: the case moved on "
			    "without %s.") : _("Still missing: %s."), words);
			es_line(&out, md, 1, line);
			free(line);
			free(words);
		}
	}
	free(items);
	if (shown == 0) {
		free(out);
		return (NULL);
	}
	return (out);
}

/* JSON: per guarded move taken or next, each requirement and if met. */
json_t *
export_steps_json(const struct casefile *cf, const struct workflow *wf)
{
	const struct workflow_transition	*tr;
	struct workflow_item			*items;
	const char				*state;
	json_t					*a = json_array(), *o, *r, *g;
	char					 day[11];
	size_t					 i, j, n;
	long					 taken;
	int					 current;

	if (wf == NULL)
		return (a);
	state = record_get_str(cf->header, "state");
	items = es_items(cf, &n);
	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		if (tr->nguards == 0)
			continue;
		taken = es_taken(cf, tr->id);
		current = 0;
		for (j = 0; state != NULL && j < tr->nfrom; j++)
			if (strcmp(tr->from[j], state) == 0)
				current = 1;
		if (taken < 0 && !current)
			continue;
		o = json_object();
		json_object_set_new(o, "transition", json_string(tr->id));
		json_object_set_new(o, "to", json_string(tr->to));
		if (taken >= 0) {
			format_day(taken, day);
			json_object_set_new(o, "moved", json_string(day));
		} else
			json_object_set_new(o, "moved", json_null());
		r = json_array();
		for (j = 0; j < tr->nguards; j++) {
			g = json_object();
			json_object_set_new(g, "requires",
			    json_string(tr->guards[j].text));
			json_object_set_new(g, "met", json_boolean(
			    workflow_guard_met(&tr->guards[j], items, n,
			    taken >= 0 ? taken : casefile_today())));
			json_array_append_new(r, g);
		}
		json_object_set_new(o, "requires", r);
		json_array_append_new(a, o);
	}
	free(items);
	return (a);
}
