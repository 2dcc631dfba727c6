/*
 * export.c: case summaries for signing (design.md section 8).
 *
 * A summary says what an oversight body needs: the reference and dates,
 * the chronology of states with who, when and why, the time spent in
 * each state against its deadline, the allegations with their findings
 * and reasons, the witnesses (by pseudonym), the hearings, the evidence
 * with its hashes and custody, the report's conclusions and the
 * decisions.  Witness identities appear only when asked for and only
 * where the record was opened with the witness key; even then never in
 * the hearings, which name witnesses by pseudonym.
 *
 * Text and Markdown follow the user's language; JSON uses field ids and
 * codes.  The output depends only on the case and the export time
 * (now(), which tests pin), so a summary can be compared byte for byte.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "account.h"
#include "casefile.h"
#include "export.h"
#include "export-int.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "text.h"
#include "util.h"
#include "workflow.h"

/* Text values go through text_clean: an export is read on terminals. */
static char *
clean(const char *s)
{
	return (text_clean(s, strlen(s), TEXT_NEWLINES));
}

void
eb_printf(struct ebuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	if (b->len + (size_t)n + 1 > b->size) {
		b->size = (b->len + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->size);
	}
	memcpy(b->s + b->len, s, (size_t)n + 1);
	b->len += (size_t)n;
	free(s);
}

/* One period in a state, from the journal. */
struct period {
	const char	*state;
	const char	*left_by;	/* the transition that ended it */
	long		 from, to;	/* days */
	long		 days;		/* merged with a resumed stay */
	int		 limit;
	int		 paused;
};

static long
day_of(int64_t t)
{
	return ((long)(t / 86400));
}

/* Stays in each state; a stay resumed after a pause counts as one. */
static size_t
export_periods(const struct casefile *cf, const struct workflow *wf,
    struct period **pp)
{
	const struct workflow_state	*st;
	struct period			*p = NULL;
	const char			*to;
	size_t				 n = 0, i;
	long				 d;

	for (i = 0; i < cf->njournal; i++) {
		if (strcmp(cf->journal[i].what, "create") != 0 &&
		    strcmp(cf->journal[i].what, "move") != 0)
			continue;
		if ((to = record_get_str(cf->journal[i].body, "to")) == NULL)
			continue;
		d = day_of(cf->journal[i].at);
		if (n > 0) {
			p[n - 1].to = d;
			p[n - 1].left_by = record_get_str(cf->journal[i].body,
			    "transition");
		}
		p = xrealloc(p, (n + 1) * sizeof *p);
		memset(&p[n], 0, sizeof p[n]);
		p[n].state = to;
		p[n].from = d;
		st = wf != NULL ? workflow_state(wf, to) : NULL;
		p[n].limit = st != NULL ? st->days : 0;
		p[n].paused = st != NULL && st->paused;
		n++;
	}
	if (n > 0)
		p[n - 1].to = casefile_today();
	for (i = 0; i < n; i++) {
		p[i].days = p[i].to - p[i].from;
		/* back from a pause into the state left: one stay */
		if (i >= 2 && p[i - 1].paused &&
		    strcmp(p[i - 2].state, p[i].state) == 0) {
			p[i].days += p[i - 2].days;
			p[i - 2].days = -1;	/* merged into this one */
		}
	}
	*pp = p;
	return (n);
}

const char *
export_label(const struct casefile_ctx *ctx, const char *list,
    const char *code)
{
	if (code == NULL || *code == '\0')
		return ("-");
	return (form_list_label(ctx->forms, list, code));
}

char *
export_labels(const struct casefile_ctx *ctx, const char *list,
    const char *codes)
{
	const char	*p = codes;
	char		*out = NULL, *n, *one;
	size_t		 len;

	if (codes == NULL || *codes == '\0')
		return (xstrdup("-"));
	while (*p != '\0') {
		len = strcspn(p, ",");
		one = xstrndup(p, len);
		xasprintf(&n, "%s%s%s", out != NULL ? out : "", out != NULL ?
		    ", " : "", export_label(ctx, list, one));
		free(one);
		free(out);
		out = n;
		p += len;
		if (*p == ',')
			p++;
	}
	return (out != NULL ? out : xstrdup("-"));
}

char *
export_party(const struct casefile_ctx *ctx, const struct casefile *cf,
    uint64_t rid, int redact)
{
	const struct casefile_rec	*r = casefile_rec(cf, rid);
	const struct form		*fm;
	const char			*name, *title;
	char				*s;

	if (r == NULL) {
		xasprintf(&s, _("record %" PRIu64 " (not in the case)"), rid);
		return (s);
	}
	fm = formset_form(ctx->forms, r->kind);
	title = fm != NULL ? form_lang(fm->title) : r->kind;
	if ((name = record_get_str(r->fields, "pseudonym")) != NULL &&
	    *name != '\0')
		return (xstrdup(name));
	name = record_get_str(r->fields, "full_name");
	if (redact || name == NULL || *name == '\0' ||
	    strcmp(r->kind, "person") != 0)
		xasprintf(&s, "%s %" PRIu64, title, rid);
	else
		xasprintf(&s, "%s (%s %" PRIu64 ")", name, title, rid);
	return (s);
}

static const char *
fld(const struct record *r, const char *k)
{
	const char	*s = record_get_str(r, k);

	return (s != NULL && *s != '\0' ? s : "-");
}

void
eb_field(struct ebuf *b, int md, const char *label, const char *value)
{
	char	*c = clean(value), *nl, *l, *kv;

	for (nl = c; (nl = strchr(nl, '\n')) != NULL; nl++)
		*nl = ' ';
	if (md)
		xasprintf(&l, "**%s**", label);
	else
		l = xstrdup(label);
	/* TRANSLATORS: a label and its value (French: "%s : %s"). */
	xasprintf(&kv, _("%s: %s"), l, c);
	eb_printf(b, md ? "- %s\n" : "  %s\n", kv);
	free(kv);
	free(l);
	free(c);
}

void
eb_line(struct ebuf *b, int md, int depth, const char *text)
{
	char	*c = clean(text), *nl;

	for (nl = c; (nl = strchr(nl, '\n')) != NULL; nl++)
		*nl = ' ';
	if (md && depth == 0)
		eb_printf(b, "%s### %s\n\n", b->len >= 2 &&
		    strcmp(b->s + b->len - 2, "\n\n") != 0 ? "\n" : "", c);
	else if (md)
		eb_printf(b, "%*s- %s\n", 2 * (depth - 1), "", c);
	else
		eb_printf(b, "%*s%s\n", depth == 0 ? 1 : 2 * depth, "", c);
	free(c);
}

void
eb_title(struct ebuf *b, int md, const char *title)
{
	if (md)
		eb_printf(b, "\n## %s\n\n", title);
	else
		eb_printf(b, "\n%s\n", title);
}

/* Records of one kind, field by field (export_fields_json's rules). */
static void
export_records(const struct casefile_ctx *ctx, const struct casefile *cf,
    struct ebuf *b, int md, const char *kind, const char *title,
    int flags)
{
	const struct form		*fm = formset_form(ctx->forms, kind);
	const struct casefile_rec	*r;
	const json_t			*e;
	json_t				*fields;
	char				*line;
	size_t				 i, j;
	int				 any = 0, l = lang_index();

	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (strcmp(r->kind, kind) != 0)
			continue;
		if (!any)
			eb_title(b, md, title);
		any = 1;
		xasprintf(&line, "%s %" PRIu64, fm != NULL ? fm->title[l] :
		    kind, r->rid);
		eb_line(b, md, 0, line);
		free(line);
		fields = export_fields_json(ctx, cf, fm, r->fields, flags,
		    r->witness_locked, NULL);
		json_array_foreach(fields, j, e)
			eb_field(b, md, json_string_value(json_object_get(e,
			    "label")), json_string_value(json_object_get(e,
			    "value")));
		json_decref(fields);
	}
}

static void
export_chronology(const struct casefile_ctx *ctx, const struct casefile *cf,
    const struct workflow *wf, struct ebuf *b, int md)
{
	const struct casefile_event	*e;
	const char			*to, *reason, *ev;
	char				 when[17], *c;
	size_t				 i;

	(void)ctx;
	eb_title(b, md, _("Chronology"));
	for (i = 0; i < cf->njournal; i++) {
		e = &cf->journal[i];
		format_time(e->at, when);
		to = record_get_str(e->body, "to");
		reason = record_get_str(e->body, "reason");
		ev = record_get_str(e->body, "event");
		if ((strcmp(e->what, "create") == 0 ||
		    strcmp(e->what, "move") == 0) && to != NULL) {
			eb_printf(b, md ? "- %s UTC, %s: %s" : "  %s UTC  %-10s "
			    "%s", when, e->by, workflow_state_label(wf, to));
		} else if (strcmp(e->what, "event") == 0 && ev != NULL) {
			eb_printf(b, md ? "- %s UTC, %s: %s" : "  %s UTC  %-10s "
			    "%s", when, e->by, ev);
			reason = record_get_str(e->body, "text");
		} else if (strcmp(e->what, "assign") == 0 ||
		    strcmp(e->what, "unassign") == 0) {
			eb_printf(b, md ? "- %s UTC, %s: %s %s" : "  %s UTC  "
			    "%-10s %s %s", when, e->by, strcmp(e->what,
			    "assign") == 0 ? _("assigned") : _("unassigned"),
			    fld(e->body, "user"));
		} else
			continue;
		if (reason != NULL) {
			c = clean(reason);
			eb_printf(b, " (%s)", c);
			free(c);
		}
		eb_printf(b, "\n");
	}
}

static void
export_deadlines(const struct casefile *cf, const struct workflow *wf,
    struct ebuf *b, int md)
{
	struct period			*p;
	const char			*label;
	size_t				 n, i;
	int				 pad;

	n = export_periods(cf, wf, &p);
	eb_title(b, md, _("Time in each state"));
	for (i = 0; i < n; i++) {
		if (p[i].days < 0 || p[i].paused)
			continue;
		label = workflow_state_label(wf, p[i].state);
		/* Padded by display width: French labels have accents. */
		pad = 28 - text_width(label);
		if (md)
			eb_printf(b, "- %s: ", label);
		else
			eb_printf(b, "  %s%*s ", label, pad > 0 ? pad : 0, "");
		/* A stay left without what its way out required met
		 * nothing, whatever the days say; the stay not left yet
		 * met nothing so far either. */
		if (p[i].left_by != NULL && export_steps_gap(cf, wf,
		    p[i].left_by, p[i].to))
			eb_printf(b, _("%ld days: left without its required "
			    "steps (see “Required steps”)\n"), p[i].days);
		else if (p[i].limit == 0)
			eb_printf(b, ngettext("%ld day (no deadline)\n",
			    "%ld days (no deadline)\n", (unsigned long)p[i].days),
			    p[i].days);
		else if (p[i].left_by == NULL && p[i].days <= p[i].limit)
			eb_printf(b, ngettext("%ld day of %d so far: not left "
			    "yet\n", "%ld days of %d so far: not left yet\n",
			    (unsigned long)p[i].days), p[i].days, p[i].limit);
		else if (p[i].days <= p[i].limit)
			eb_printf(b, ngettext("%ld day of %d: deadline met\n",
			    "%ld days of %d: deadline met\n",
			    (unsigned long)p[i].days), p[i].days, p[i].limit);
		else
			eb_printf(b, _("%ld days of %d: deadline missed by %ld "
			    "days\n"), p[i].days, p[i].limit,
			    p[i].days - p[i].limit);
	}
	free(p);
}

static void
export_text(const struct casefile_ctx *ctx, const struct casefile *cf,
    int flags, int md, struct ebuf *b)
{
	json_t				*model;
	const struct workflow		*wf;
	const struct record		*h = cf->header;
	struct workflow_clock		 clock;
	const char			*state = fld(h, "state");
	char				 when[17], day[11], *c;
	long				 late;
	int				 l = lang_index();

	wf = workflow_find(ctx->flows, fld(h, "workflow"));
	format_time(now(), when);
	eb_printf(b, md ? "# %s %s\n\n" : "%s %s\n", _("Case summary"),
	    fld(h, "reference"));
	eb_field(b, md, _("Workflow"), wf != NULL ? wf->title[l] :
	    fld(h, "workflow"));
	eb_field(b, md, _("State"), workflow_state_label(wf, state));
	eb_field(b, md, form_label(ctx->forms, "intake", "received", NULL),
	    fld(h, "received"));
	eb_field(b, md, form_label(ctx->forms, "intake", "facts_date", NULL),
	    fld(h, "facts_date"));
	eb_field(b, md, form_label(ctx->forms, "intake", "region", NULL),
	    export_label(ctx, "regions", record_get_str(h, "region")));
	eb_field(b, md, form_label(ctx->forms, "intake", "force", NULL),
	    export_label(ctx, "forces", record_get_str(h, "force")));
	c = export_labels(ctx, "misconduct", record_get_str(h, "categories"));
	eb_field(b, md, form_label(ctx->forms, "intake", "categories", NULL),
	    c);
	free(c);
	casefile_clock(h, &clock);
	late = workflow_overdue(&clock, casefile_today());
	if (clock.deadline != 0) {
		format_day(clock.deadline, day);
		xasprintf(&c, late > 0 ? _("%s (overdue by %ld days)") : "%s",
		    day, late);
		eb_field(b, md, _("Current deadline"), c);
		free(c);
	}
	xasprintf(&c, "%ld", workflow_paused_total(&clock, casefile_today()));
	eb_field(b, md, _("Days with the clock paused"), c);
	free(c);
	xasprintf(&c, "%s UTC, %s", when, ctx->sess->user->name);
	eb_field(b, md, _("Exported"), c);
	free(c);
	eb_field(b, md, _("Witnesses"), (flags & EXPORT_WITNESSES) ?
	    _("identities included where the exporting user holds the "
	    "witness key") : _("by pseudonym only"));
	eb_field(b, md, _("Parties"), (flags & EXPORT_REDACT) ?
	    _("redacted for third parties: persons by record number, the "
	    "fields the forms mark personal left out; free texts are as "
	    "written: read them before this summary goes out") :
	    _("named"));
	model = export_council_model(ctx, cf, flags);
	export_council_note(model, md, b);

	export_council_text(ctx, model, 0, md, b);
	export_chronology(ctx, cf, wf, b, md);
	export_deadlines(cf, wf, b, md);
	export_council_text(ctx, model, 1, md, b);
	if ((c = export_steps(ctx, cf, wf, flags, md)) != NULL) {
		eb_title(b, md, _("Required steps"));
		eb_printf(b, "%s", c);
		free(c);
	}
	export_council_text(ctx, model, 2, md, b);
	json_decref(model);
	export_records(ctx, cf, b, md, "intake", _("Complaint"), flags);
	export_records(ctx, cf, b, md, "witness", _("Witnesses"), flags);
	export_records(ctx, cf, b, md, "hearing", _("Hearings"), flags);
	export_records(ctx, cf, b, md, "evidence", _("Evidence"), flags);
}

/* JSON: ids and codes, no labels; persons are left out (not needed). */
static void
export_json(const struct casefile_ctx *ctx, const struct casefile *cf,
    int flags, struct ebuf *b)
{
	json_t				*labels, *model;
	const struct casefile_rec	*r;
	const struct form		*fm;
	const struct form_field		*f;
	struct workflow_clock		 clock;
	struct period			*p;
	const struct workflow		*wf;
	json_t				*o, *a, *jr, *jf, *je;
	const char			*key, *v;
	char				*s, day[11], when[17];
	size_t				 i, j, n;
	int				 gap;

	wf = workflow_find(ctx->flows, fld(cf->header, "workflow"));
	o = json_object();
	json_object_set_new(o, "format", json_string("dossier-summary"));
	json_object_set_new(o, "version", json_integer(1));
	for (i = 0; i < record_count(cf->header); i++) {
		key = record_key_at(cf->header, i);
		if (strcmp(key, "reference") == 0 || strcmp(key, "workflow") ==
		    0 || strcmp(key, "state") == 0 ||
		    (formset_form(ctx->forms, "intake") != NULL &&
		    form_field(formset_form(ctx->forms, "intake"), key) !=
		    NULL))
			json_object_set_new(o, key, json_string(
			    record_get_str(cf->header, key)));
	}
	/* The codes above as the summary's language says them. */
	json_object_set_new(o, "language", json_string(lang_index() ==
	    FORM_FR ? "fr" : "en"));
	labels = json_object();
	if (wf != NULL)
		json_object_set_new(labels, "workflow",
		    json_string(form_lang(wf->title)));
	json_object_set_new(labels, "state", json_string(workflow_state_label(
	    wf, fld(cf->header, "state"))));
	json_object_set_new(labels, "region", json_string(export_label(ctx,
	    "regions", record_get_str(cf->header, "region"))));
	json_object_set_new(labels, "force", json_string(export_label(ctx,
	    "forces", record_get_str(cf->header, "force"))));
	s = export_labels(ctx, "misconduct", record_get_str(cf->header,
	    "categories"));
	json_object_set_new(labels, "categories", json_string(s));
	free(s);
	json_object_set_new(o, "labels", labels);
	casefile_clock(cf->header, &clock);
	if (clock.deadline != 0) {
		format_day(clock.deadline, day);
		json_object_set_new(o, "deadline", json_string(day));
	}
	json_object_set_new(o, "overdue_days", json_integer(
	    workflow_overdue(&clock, casefile_today())));
	json_object_set_new(o, "paused_days", json_integer(
	    workflow_paused_total(&clock, casefile_today())));
	format_time(now(), when);
	json_object_set_new(o, "exported_at", json_string(when));
	json_object_set_new(o, "exported_by",
	    json_string(ctx->sess->user->name));
	json_object_set_new(o, "witness_identities",
	    json_boolean((flags & EXPORT_WITNESSES) != 0 &&
	    (flags & EXPORT_REDACT) == 0));
	a = json_array();
	for (i = 0; i < cf->njournal; i++) {
		je = json_object();
		format_time(cf->journal[i].at, when);
		json_object_set_new(je, "at", json_string(when));
		json_object_set_new(je, "by", json_string(cf->journal[i].by));
		json_object_set_new(je, "what", json_string(cf->journal[i].what));
		for (j = 0; j < record_count(cf->journal[i].body); j++) {
			key = record_key_at(cf->journal[i].body, j);
			if (strcmp(key, "from") == 0 || strcmp(key, "to") == 0 ||
			    strcmp(key, "reason") == 0 ||
			    strcmp(key, "event") == 0 ||
			    strcmp(key, "user") == 0)
				json_object_set_new(je, key, json_string(
				    record_get_str(cf->journal[i].body, key)));
		}
		json_array_append_new(a, je);
	}
	json_object_set_new(o, "chronology", a);
	a = json_array();
	n = export_periods(cf, wf, &p);
	for (i = 0; i < n; i++) {
		if (p[i].days < 0 || p[i].paused)
			continue;
		je = json_object();
		json_object_set_new(je, "state", json_string(p[i].state));
		json_object_set_new(je, "days", json_integer(p[i].days));
		json_object_set_new(je, "limit", json_integer(p[i].limit));
		gap = p[i].left_by != NULL && export_steps_gap(cf, wf,
		    p[i].left_by, p[i].to);
		/* The stay not left yet has met nothing so far. */
		if (!gap && p[i].left_by == NULL && p[i].limit != 0 &&
		    p[i].days <= p[i].limit) {
			json_object_set_new(je, "met", json_null());
			json_object_set_new(je, "running", json_true());
		} else
			json_object_set_new(je, "met", json_boolean(!gap &&
			    (p[i].limit == 0 || p[i].days <= p[i].limit)));
		if (gap)
			json_object_set_new(je, "steps_missing",
			    json_true());
		json_array_append_new(a, je);
	}
	free(p);
	json_object_set_new(o, "deadlines", a);
	json_object_set_new(o, "steps", export_steps_json(cf, wf));
	a = json_array();
	for (i = 0; i < cf->nrecs; i++) {
		r = &cf->recs[i];
		if (strcmp(r->kind, "person") == 0)
			continue;
		fm = formset_form(ctx->forms, r->kind);
		jr = json_object();
		json_object_set_new(jr, "id", json_integer((json_int_t)r->rid));
		json_object_set_new(jr, "kind", json_string(r->kind));
		jf = json_object();
		for (j = 0; fm != NULL && j < fm->nfields; j++) {
			f = &fm->fields[j];
			if (f->class == FORM_WITNESS &&
			    ((flags & EXPORT_WITNESSES) == 0 ||
			    (flags & EXPORT_REDACT) != 0 || r->witness_locked))
				continue;
			if (f->personal && (flags & EXPORT_REDACT) != 0)
				continue;
			if (r->rid == 0 && f->class == FORM_HEADER)
				continue;
			if ((v = record_get_str(r->fields, f->id)) != NULL &&
			    *v != '\0')
				json_object_set_new(jf, f->id, json_string(v));
		}
		json_object_set_new(jr, "fields", jf);
		json_array_append_new(a, jr);
	}
	json_object_set_new(o, "records", a);
	/* What the text and Markdown summaries show, with codes. */
	model = export_council_model(ctx, cf, flags);
	json_object_update(o, model);
	json_decref(model);
	s = json_dumps(o, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	eb_printf(b, "%s\n", s);
	free(s);
	json_decref(o);
}

int
export_format_parse(const char *s, enum export_format *f)
{
	if (s == NULL || strcmp(s, "text") == 0)
		*f = EXPORT_TEXT;
	else if (strcmp(s, "md") == 0)
		*f = EXPORT_MD;
	else if (strcmp(s, "json") == 0)
		*f = EXPORT_JSON;
	else
		return (-1);
	return (0);
}

const char *
export_format_name(enum export_format f)
{
	return (f == EXPORT_MD ? "md" : f == EXPORT_JSON ? "json" : "text");
}

/* The summary of an opened case into a malloc'd, NUL-terminated buffer. */
char *
export_render(const struct casefile_ctx *ctx, const struct casefile *cf,
    enum export_format f, int flags, size_t *lenp)
{
	struct ebuf	 b;

	memset(&b, 0, sizeof b);
	eb_printf(&b, "%s", "");
	if (f == EXPORT_JSON)
		export_json(ctx, cf, flags, &b);
	else
		export_text(ctx, cf, flags, f == EXPORT_MD, &b);
	*lenp = b.len;
	return (b.s);
}
