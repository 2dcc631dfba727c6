/*
 * export-council.c: the parts of a case summary a disciplinary council
 * needs (issue 13, item 12): the parties, the investigators assigned, the
 * rights of the defence agent by agent with their dates and gaps, the
 * allegations agent by agent with their findings and the history of each
 * finding (from the journal's old and new values), the report and the
 * decision.
 *
 * The content is built once, as a JSON model holding codes and the labels
 * of the summary's language; the JSON summary carries the model as it is
 * and the text and Markdown summaries are rendered from it, so the three
 * formats cannot say different things.  A redacted summary (for third
 * parties) names persons only by record ("Person 3") and leaves out every
 * field the forms mark personal; witnesses are always named by pseudonym
 * here, whatever the exporter holds.
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
#include "util.h"
#include "workflow.h"

static json_t	*ec_parties(const struct casefile_ctx *,
		    const struct casefile *, int);
static json_t	*ec_investigators(const struct casefile *);
static json_t	*ec_rights(const struct casefile_ctx *,
		    const struct casefile *, const struct workflow *, int);
static json_t	*ec_allegations(const struct casefile_ctx *,
		    const struct casefile *, int);
static json_t	*ec_records(const struct casefile_ctx *,
		    const struct casefile *, const char *, int);

static void
ec_set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v != NULL ? json_string(v) : json_null());
}

/* A string member of a model object, or NULL. */
const char *
ec_str(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

json_t *
export_fields_json(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct form *fm, const struct record *r, int flags, int wlocked,
    const char *skip)
{
	const struct form_field	*f;
	json_t			*a = json_array(), *e;
	const char		*v;
	char			*shown;
	size_t			 i;
	int			 l = lang_index();

	for (i = 0; fm != NULL && i < fm->nfields; i++) {
		f = &fm->fields[i];
		if (skip != NULL && list_has(skip, f->id))
			continue;
		if (f->class == FORM_WITNESS && ((flags & EXPORT_WITNESSES) ==
		    0 || (flags & EXPORT_REDACT) != 0 || wlocked))
			continue;
		if (f->personal && (flags & EXPORT_REDACT) != 0)
			continue;
		if ((v = record_get_str(r, f->id)) == NULL || *v == '\0')
			continue;
		e = json_object();
		json_object_set_new(e, "field", json_string(f->id));
		json_object_set_new(e, "label", json_string(f->label[l]));
		if (f->type == FORM_PERSON)
			shown = export_party(ctx, cf, strtoull(v, NULL, 10),
			    flags & EXPORT_REDACT);
		else if (f->list != NULL)
			shown = export_labels(ctx, f->list, v);
		else if (f->type == FORM_YESNO)
			shown = xstrdup(strcmp(v, "yes") == 0 ? _("yes") :
			    strcmp(v, "no") == 0 ? _("no") : v);
		else
			shown = xstrdup(v);
		json_object_set_new(e, "value", json_string(shown));
		if (f->type == FORM_PERSON || f->list != NULL ||
		    f->type == FORM_YESNO)
			json_object_set_new(e, "code", json_string(v));
		free(shown);
		json_array_append_new(a, e);
	}
	return (a);
}

/* The person records, complainants first (the order of the role list). */
static json_t *
ec_parties(const struct casefile_ctx *ctx, const struct casefile *cf,
    int flags)
{
	const struct form		*fm = formset_form(ctx->forms, "person");
	const struct form_list		*roles;
	const struct casefile_rec	*r, *intake = casefile_rec(cf, 0);
	const char			*role, *by;
	json_t				*a = json_array(), *o;
	char				*s;
	size_t				 i, k, nroles;
	int				 pass, known;

	roles = formset_list(ctx->forms, "person_roles");
	nroles = roles != NULL ? roles->nitems : 0;
	by = intake != NULL ? record_get_str(intake->fields, "complainant") :
	    NULL;
	/* One pass per role of the list, a last one for any other. */
	for (pass = 0; pass <= (int)nroles; pass++) {
		for (i = 0; i < cf->nrecs; i++) {
			r = &cf->recs[i];
			if (strcmp(r->kind, "person") != 0)
				continue;
			role = record_get_str(r->fields, "role");
			known = 0;
			for (k = 0; role != NULL && k < nroles; k++)
				if (strcmp(roles->items[k].code, role) == 0)
					known = (int)k + 1;
			if ((pass < (int)nroles && known != pass + 1) ||
			    (pass == (int)nroles && known != 0))
				continue;
			o = json_object();
			json_object_set_new(o, "id",
			    json_integer((json_int_t)r->rid));
			ec_set_str(o, "role", role);
			ec_set_str(o, "role_label", role != NULL ?
			    export_label(ctx, "person_roles", role) :
			    _("Person"));
			s = export_party(ctx, cf, r->rid, flags & EXPORT_REDACT);
			json_object_set_new(o, "designation", json_string(s));
			free(s);
			if ((flags & EXPORT_REDACT) == 0)
				ec_set_str(o, "name", record_get_str(r->fields,
				    "full_name"));
			json_object_set_new(o, "complainant", json_boolean(
			    by != NULL && strtoull(by, NULL, 10) == r->rid));
			json_object_set_new(o, "fields", export_fields_json(ctx,
			    cf, fm, r->fields, flags, r->witness_locked,
			    "role,full_name"));
			json_array_append_new(a, o);
		}
	}
	return (a);
}

/* Who was assigned, when and by whom, and who still is. */
static json_t *
ec_investigators(const struct casefile *cf)
{
	const struct casefile_event	*e;
	const char			*user, *now_list;
	json_t				*a = json_array(), *o, *found;
	char				 when[17];
	size_t				 i, j;

	now_list = record_get_str(cf->header, "assignees");
	for (i = 0; i < cf->njournal; i++) {
		e = &cf->journal[i];
		if (strcmp(e->what, "assign") != 0 &&
		    strcmp(e->what, "unassign") != 0)
			continue;
		if ((user = record_get_str(e->body, "user")) == NULL)
			continue;
		found = NULL;
		for (j = 0; j < json_array_size(a); j++) {
			o = json_array_get(a, j);
			if (strcmp(ec_str(o, "user"), user) == 0 &&
			    json_is_null(json_object_get(o, "unassigned")))
				found = o;
		}
		format_time(e->at, when);
		if (strcmp(e->what, "assign") == 0 && found == NULL) {
			o = json_object();
			json_object_set_new(o, "user", json_string(user));
			json_object_set_new(o, "assigned", json_string(when));
			json_object_set_new(o, "assigned_by",
			    json_string(e->by));
			json_object_set_new(o, "unassigned", json_null());
			json_array_append_new(a, o);
		} else if (strcmp(e->what, "unassign") == 0 && found != NULL) {
			json_object_set_new(found, "unassigned",
			    json_string(when));
			json_object_set_new(found, "unassigned_by",
			    json_string(e->by));
		}
	}
	/* Assigned when the case was made (import, demo): no entry. */
	for (i = 0; now_list != NULL && *now_list != '\0'; ) {
		size_t	 len = strcspn(now_list, ",");
		char	*u = xstrndup(now_list, len);

		found = NULL;
		for (j = 0; j < json_array_size(a); j++) {
			o = json_array_get(a, j);
			if (strcmp(ec_str(o, "user"), u) == 0 &&
			    json_is_null(json_object_get(o, "unassigned")))
				found = o;
		}
		if (found == NULL) {
			o = json_object();
			json_object_set_new(o, "user", json_string(u));
			json_object_set_new(o, "assigned", json_null());
			json_object_set_new(o, "unassigned", json_null());
			json_array_append_new(a, o);
		}
		free(u);
		now_list += len;
		if (*now_list == ',')
			now_list++;
	}
	return (a);
}

/* The day the case last took this transition, or -1. */
static long
ec_taken(const struct casefile *cf, const char *trid)
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

static int
ec_guard_names(const struct workflow_guard *g, const char *form)
{
	size_t	 k;

	for (k = 0; k < g->nterms; k++)
		if (strcmp(g->terms[k].form, form) == 0)
			return (1);
	return (0);
}

/*
 * The guards on the rights records, judged for one agent alone: the
 * case's records with only this agent's rights records (none: the guard
 * fails, as it should).  A guard of a move taken that fails is a gap; of
 * a move out of the current state, a step still to do.
 */
static json_t *
ec_rights_gaps(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct workflow *wf, uint64_t agent)
{
	const struct workflow_transition	*tr;
	struct workflow_item			*items;
	const char				*state, *v;
	json_t					*a = json_array(), *o;
	char					*words, day[11];
	size_t					 i, j, n = 0;
	long					 taken;
	int					 current;

	if (wf == NULL)
		return (a);
	state = record_get_str(cf->header, "state");
	items = xcalloc(cf->nrecs + 1, sizeof *items);
	for (i = 0; i < cf->nrecs; i++) {
		if (strcmp(cf->recs[i].kind, "agent") == 0 &&
		    ((v = record_get_str(cf->recs[i].fields, "person")) ==
		    NULL || strtoull(v, NULL, 10) != agent))
			continue;
		items[n].form = cf->recs[i].kind;
		items[n++].fields = cf->recs[i].fields;
	}
	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		taken = ec_taken(cf, tr->id);
		current = 0;
		for (j = 0; state != NULL && j < tr->nfrom; j++)
			if (strcmp(tr->from[j], state) == 0)
				current = 1;
		if (taken < 0 && !current)
			continue;
		for (j = 0; j < tr->nguards; j++) {
			if (!ec_guard_names(&tr->guards[j], "agent") ||
			    workflow_guard_met(&tr->guards[j], items, n,
			    taken >= 0 ? taken : casefile_today()))
				continue;
			o = json_object();
			json_object_set_new(o, "transition",
			    json_string(tr->id));
			json_object_set_new(o, "to", json_string(tr->to));
			json_object_set_new(o, "to_label", json_string(
			    workflow_state_label(wf, tr->to)));
			if (taken >= 0) {
				format_day(taken, day);
				json_object_set_new(o, "moved",
				    json_string(day));
			} else
				json_object_set_new(o, "moved", json_null());
			json_object_set_new(o, "requires",
			    json_string(tr->guards[j].text));
			words = workflow_guard_words(&tr->guards[j],
			    ctx->forms);
			json_object_set_new(o, "missing", json_string(words));
			free(words);
			json_array_append_new(a, o);
		}
	}
	free(items);
	return (a);
}

/* Does a guard of the workflow name this field of the rights form? */
static int
ec_guarded(const struct workflow *wf, const char *field)
{
	const struct workflow_term	*t;
	size_t				 i, j, k;

	for (i = 0; wf != NULL && i < wf->ntransitions; i++)
		for (j = 0; j < wf->transitions[i].nguards; j++)
			for (k = 0; k < wf->transitions[i].guards[j].nterms;
			    k++) {
				t = &wf->transitions[i].guards[j].terms[k];
				if (strcmp(t->form, "agent") == 0 &&
				    t->field != NULL &&
				    strcmp(t->field, field) == 0)
					return (1);
			}
	return (0);
}

/* Per agent concerned: the rights records' dates, and the gaps. */
static json_t *
ec_rights(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct workflow *wf, int flags)
{
	const struct form		*fm = formset_form(ctx->forms, "agent");
	const struct form_field		*f;
	const struct casefile_rec	*r, *p;
	const char			*v;
	json_t				*a = json_array(), *o, *recs, *jr, *steps;
	json_t				*e, *all, *rest;
	char				*s;
	size_t				 i, j, k;
	int				 l = lang_index();

	for (i = 0; i < cf->nrecs; i++) {
		p = &cf->recs[i];
		if (strcmp(p->kind, "person") != 0 || (v = record_get_str(
		    p->fields, "role")) == NULL || strcmp(v, "agent") != 0)
			continue;
		o = json_object();
		json_object_set_new(o, "agent",
		    json_integer((json_int_t)p->rid));
		s = export_party(ctx, cf, p->rid, flags & EXPORT_REDACT);
		json_object_set_new(o, "designation", json_string(s));
		free(s);
		recs = json_array();
		for (j = 0; j < cf->nrecs; j++) {
			r = &cf->recs[j];
			if (strcmp(r->kind, "agent") != 0 ||
			    (v = record_get_str(r->fields, "person")) == NULL ||
			    strtoull(v, NULL, 10) != p->rid)
				continue;
			jr = json_object();
			json_object_set_new(jr, "id",
			    json_integer((json_int_t)r->rid));
			/* Every dated step, recorded or not. */
			steps = json_array();
			for (k = 0; fm != NULL && k < fm->nfields; k++) {
				f = &fm->fields[k];
				if (f->type != FORM_DATE)
					continue;
				v = record_get_str(r->fields, f->id);
				e = json_object();
				json_object_set_new(e, "field",
				    json_string(f->id));
				json_object_set_new(e, "label",
				    json_string(f->label[l]));
				ec_set_str(e, "date", v != NULL && *v != '\0' ?
				    v : NULL);
				json_object_set_new(e, "required", json_boolean(
				    ec_guarded(wf, f->id)));
				json_array_append_new(steps, e);
			}
			json_object_set_new(jr, "steps", steps);
			/* The other fields (the dates are steps). */
			all = export_fields_json(ctx, cf, fm, r->fields, flags,
			    0, "person");
			rest = json_array();
			json_array_foreach(all, k, e) {
				f = fm != NULL ? form_field(fm, ec_str(e,
				    "field")) : NULL;
				if (f == NULL || f->type != FORM_DATE)
					json_array_append(rest, e);
			}
			json_decref(all);
			json_object_set_new(jr, "fields", rest);
			json_array_append_new(recs, jr);
		}
		json_object_set_new(o, "records", recs);
		json_object_set_new(o, "gaps", ec_rights_gaps(ctx, cf, wf,
		    p->rid));
		json_array_append_new(a, o);
	}
	return (a);
}

/* An allegation's findings over time: as added, then each change. */
static json_t *
ec_history(const struct casefile_ctx *ctx, const struct casefile *cf,
    uint64_t rid)
{
	const struct casefile_event	*e;
	const char			*from, *to;
	json_t				*a = json_array(), *o;
	char				 when[17];
	size_t				 i;

	for (i = 0; i < cf->njournal; i++) {
		e = &cf->journal[i];
		if (e->rid != rid || e->body == NULL)
			continue;
		if (strcmp(e->what, "add") == 0) {
			from = NULL;
			to = record_get_str(e->body, "finding");
		} else if (strcmp(e->what, "edit") == 0) {
			if (record_get(e->body, "new.finding", NULL) == NULL)
				continue;
			from = record_get_str(e->body, "old.finding");
			to = record_get_str(e->body, "new.finding");
		} else
			continue;
		if (from != NULL && *from == '\0')
			from = NULL;
		if (to != NULL && *to == '\0')
			to = NULL;
		if (from == NULL && to == NULL)
			continue;
		o = json_object();
		format_time(e->at, when);
		json_object_set_new(o, "at", json_string(when));
		json_object_set_new(o, "by", json_string(e->by));
		ec_set_str(o, "from", from);
		ec_set_str(o, "from_label", from != NULL ?
		    export_label(ctx, "findings", from) : NULL);
		ec_set_str(o, "to", to);
		ec_set_str(o, "to_label", to != NULL ?
		    export_label(ctx, "findings", to) : NULL);
		json_array_append_new(a, o);
	}
	return (a);
}

/* Allegations grouped by the agent they name, each with its history. */
static json_t *
ec_allegations(const struct casefile_ctx *ctx, const struct casefile *cf,
    int flags)
{
	const struct form		*fm = formset_form(ctx->forms,
					    "allegation");
	const struct casefile_rec	*r;
	const char			*v;
	json_t				*a = json_array(), *g, *list, *o;
	char				*s;
	size_t				 i, j;
	uint64_t			 agent;

	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (strcmp(r->kind, "allegation") != 0)
			continue;
		v = record_get_str(r->fields, "agent");
		agent = v != NULL && *v != '\0' ? strtoull(v, NULL, 10) : 0;
		g = NULL;
		for (j = 0; j < json_array_size(a); j++)
			if ((uint64_t)json_integer_value(json_object_get(
			    json_array_get(a, j), "agent")) == agent)
				g = json_array_get(a, j);
		if (g == NULL) {
			g = json_object();
			json_object_set_new(g, "agent",
			    json_integer((json_int_t)agent));
			s = agent != 0 ? export_party(ctx, cf, agent,
			    flags & EXPORT_REDACT) : xstrdup(_("Agent not "
			    "named"));
			json_object_set_new(g, "designation", json_string(s));
			free(s);
			json_object_set_new(g, "allegations", json_array());
			json_array_append_new(a, g);
		}
		list = json_object_get(g, "allegations");
		o = json_object();
		json_object_set_new(o, "id", json_integer((json_int_t)r->rid));
		json_object_set_new(o, "title", json_string(fm != NULL ?
		    form_lang(fm->title) : r->kind));
		v = record_get_str(r->fields, "category");
		ec_set_str(o, "category", v);
		ec_set_str(o, "category_label", v != NULL ?
		    export_label(ctx, "misconduct", v) : NULL);
		v = record_get_str(r->fields, "finding");
		ec_set_str(o, "finding", v != NULL && *v != '\0' ? v : NULL);
		ec_set_str(o, "finding_label", v != NULL && *v != '\0' ?
		    export_label(ctx, "findings", v) : NULL);
		json_object_set_new(o, "fields", export_fields_json(ctx, cf,
		    fm, r->fields, flags, 0, "agent,category"));
		json_object_set_new(o, "history", ec_history(ctx, cf, r->rid));
		json_array_append_new(list, o);
	}
	return (a);
}

/* Records of one kind (the report, the decisions): who wrote, fields. */
static json_t *
ec_records(const struct casefile_ctx *ctx, const struct casefile *cf,
    const char *kind, int flags)
{
	const struct form		*fm = formset_form(ctx->forms, kind);
	const struct casefile_rec	*r;
	json_t				*a = json_array(), *o;
	char				 day[11];
	size_t				 i;

	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (strcmp(r->kind, kind) != 0)
			continue;
		o = json_object();
		json_object_set_new(o, "id", json_integer((json_int_t)r->rid));
		json_object_set_new(o, "title", json_string(fm != NULL ?
		    form_lang(fm->title) : kind));
		json_object_set_new(o, "written_by", json_string(r->by));
		format_day((long)(r->at / 86400), day);
		json_object_set_new(o, "last_on", json_string(day));
		json_object_set_new(o, "fields", export_fields_json(ctx, cf,
		    fm, r->fields, flags, 0, NULL));
		json_array_append_new(a, o);
	}
	return (a);
}

json_t *
export_council_model(const struct casefile_ctx *ctx, const struct casefile *cf,
    int flags)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const char			*state;
	json_t				*o = json_object(), *rep, *dec;

	state = record_get_str(cf->header, "state");
	wf = workflow_find(ctx->flows, str_or(record_get_str(cf->header,
	    "workflow"), ""));
	st = wf != NULL && state != NULL ? workflow_state(wf, state) : NULL;
	json_object_set_new(o, "redacted",
	    json_boolean((flags & EXPORT_REDACT) != 0));
	json_object_set_new(o, "parties", ec_parties(ctx, cf, flags));
	json_object_set_new(o, "investigators", ec_investigators(cf));
	json_object_set_new(o, "rights", ec_rights(ctx, cf, wf, flags));
	json_object_set_new(o, "allegations_by_agent",
	    ec_allegations(ctx, cf, flags));
	rep = ec_records(ctx, cf, "report", flags);
	dec = ec_records(ctx, cf, "decision", flags);
	json_object_set_new(o, "closed", json_boolean(st != NULL &&
	    st->terminal));
	json_object_set_new(o, "report", rep);
	json_object_set_new(o, "decisions", dec);
	return (o);
}
