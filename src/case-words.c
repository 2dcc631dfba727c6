/*
 * case-words.c: a case in its users' words, for the screens and the
 * command line alike: a stored value as users read it (labels for codes,
 * dates their way, a linked record by name), an event by its label, a
 * journal entry as a sentence and each field it changed, old and new.
 * Codes stay in the files and in the machine formats (tsv, json); what a
 * person reads goes through here, in their language.
 *
 * Nothing here is cleaned for a terminal: the screens clean what they
 * draw, the command line prints through text_printf().
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case-words.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "util.h"
#include "workflow.h"

/* Events recorded at any stage (casefile.c), as users name them. */
static const struct {
	const char	*code;
	const char	*label;
} words_events[] = {
	{ "referral_prosecutor", N_("Referred to the public prosecutor") },
	{ "interim_measure", N_("Interim measure") },
	{ "protection_measure", N_("Protection measure") },
	{ "notification", N_("Notification") },
	{ "note", N_("Note") },
};

/* The code of the i-th event, NULL past the last. */
const char *
words_event_code(size_t i)
{
	return (i < sizeof words_events / sizeof words_events[0] ?
	    words_events[i].code : NULL);
}

/* An event as users name it (the code itself when unknown). */
const char *
words_event(const char *code)
{
	size_t	 i;

	for (i = 0; i < sizeof words_events / sizeof words_events[0]; i++)
		if (strcmp(words_events[i].code, code) == 0)
			return (_(words_events[i].label));
	return (code);
}

/*
 * A linked record (a field of type person holds a record number) as
 * users name it: a person by name and service number, a witness by
 * pseudonym, with their name only where this user holds their key; or
 * (full 0) the name or pseudonym alone.  NULL when the value is no
 * record of the case.
 */
char *
words_link(const struct formset *forms, const struct casefile *cf,
    const char *value, int full)
{
	const struct casefile_rec	*r;
	const struct form		*fm;
	const char			*name, *num, *role;
	char				*end, *s;
	uint64_t			 rid;

	if (cf == NULL || value == NULL || *value < '0' || *value > '9')
		return (NULL);
	rid = strtoull(value, &end, 10);
	if (*end != '\0' || (r = casefile_rec(cf, rid)) == NULL || r->locked)
		return (NULL);
	if (strcmp(r->kind, "witness") == 0) {
		name = full ? record_get_str(r->fields, "full_name") : NULL;
		xasprintf(&s, "%s%s%s%s", str_or(record_get_str(r->fields,
		    "pseudonym"), "?"), !r->witness_locked && name != NULL ?
		    " (" : "", !r->witness_locked && name != NULL ? name : "",
		    !r->witness_locked && name != NULL ? ")" : "");
		return (s);
	}
	if (strcmp(r->kind, "person") != 0 &&
	    record_get_str(r->fields, "full_name") == NULL &&
	    (fm = formset_form(forms, r->kind)) != NULL) {
		/* A record that is no one (a report, a decision, a
		 * mission): what it is, in a word, and its number. */
		if (strcmp(r->kind, "report") == 0)
			xasprintf(&s, _("Report %" PRIu64), rid);
		else if (strcmp(r->kind, "decision") == 0)
			xasprintf(&s, _("Decision %" PRIu64), rid);
		else if (strcmp(r->kind, "mission") == 0)
			xasprintf(&s, _("Mission %" PRIu64), rid);
		else
			xasprintf(&s, "%s %" PRIu64, form_lang(fm->title),
			    rid);
		return (s);
	}
	name = str_or(record_get_str(r->fields, "full_name"), "?");
	if (!full)
		return (xstrdup(name));
	num = record_get_str(r->fields, "service_number");
	if ((role = record_get_str(r->fields, "role")) != NULL)
		role = form_label(forms, r->kind, "role", role);
	xasprintf(&s, "%s%s%s%s%s", name, num != NULL && *num != '\0' ? " " :
	    "", num != NULL ? num : "", role != NULL ? ", " : "",
	    role != NULL ? role : "");
	return (s);
}

/*
 * A stored value as a user reads it, whole: labels for codes, dates and
 * times the user's way, yes or no, linked records by name.  The caller
 * frees it.
 */
char *
words_field(const struct formset *forms, const struct casefile *cf,
    const struct form_field *f, const char *v)
{
	char			*copy, *tok, *save, *out, *n;

	if (f == NULL || *v == '\0')
		return (xstrdup(v));
	if (f->list != NULL && formset_list(forms, f->list) != NULL) {
		out = xstrdup("");
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			xasprintf(&n, "%s%s%s", out, *out != '\0' ? ", " : "",
			    form_list_label(forms, f->list, tok));
			free(out);
			out = n;
		}
		free(copy);
		return (out);
	}
	switch (f->type) {
	case FORM_YESNO:
		return (xstrdup(strcmp(v, "yes") == 0 ? _("yes") :
		    strcmp(v, "no") == 0 ? _("no") : v));
	case FORM_DATE:
	case FORM_TIME:
	case FORM_DATETIME:
		return (form_value_show(f->type, v));
	case FORM_PERSON:
		if ((out = words_link(forms, cf, v, 1)) != NULL)
			return (out);
		return (xstrdup(v));
	default:
		return (xstrdup(v));
	}
}

/* A witness as the journal names it: its pseudonym, else its number. */
static const char *
words_witness(const struct casefile_rec *r, uint64_t rid, char *buf,
    size_t len)
{
	const char	*p;

	if (r != NULL && (p = record_get_str(r->fields, "pseudonym")) != NULL &&
	    *p != '\0')
		return (p);
	snprintf(buf, len, _("witness %" PRIu64), rid);
	return (buf);
}

/* What a journal entry did, in the user's words; the caller frees it. */
char *
words_journal(const struct formset *forms, const struct workflow *wf,
    const struct casefile *cf, const struct casefile_event *e)
{
	const struct casefile_rec	*r;
	const struct form		*fm;
	const char			*kind, *user, *reason;
	char				*what, *out, wname[48];

	/* The record's own kind: an evidence's "kind" field is its nature. */
	r = e->rid != 0 && cf != NULL ? casefile_rec(cf, e->rid) : NULL;
	kind = r != NULL ? r->kind : record_get_str(e->body, "kind");
	fm = kind != NULL ? formset_form(forms, kind) : NULL;
	kind = fm != NULL ? form_lang(fm->title) : kind != NULL ? kind : "";
	user = str_or(record_get_str(e->body, "user"), "?");
	if (strcmp(e->what, "create") == 0)
		xasprintf(&what, _("Registered: %s"), workflow_state_label(wf,
		    record_get_str(e->body, "to")));
	else if (strcmp(e->what, "move") == 0)
		xasprintf(&what, _("%s → %s"), workflow_state_label(wf,
		    record_get_str(e->body, "from")), workflow_state_label(wf,
		    record_get_str(e->body, "to")));
	else if (strcmp(e->what, "add") == 0)
		xasprintf(&what, _("Added: %s %" PRIu64), kind, e->rid);
	else if (strcmp(e->what, "edit") == 0)
		xasprintf(&what, _("Changed: %s %" PRIu64), kind, e->rid);
	else if (strcmp(e->what, "assign") == 0)
		xasprintf(&what, _("Assigned to %s"), user);
	else if (strcmp(e->what, "unassign") == 0)
		xasprintf(&what, _("No longer assigned: %s"), user);
	else if (strcmp(e->what, "grant") == 0 && e->rid != 0)
		/* Which witness: by pseudonym, as everywhere. */
		xasprintf(&what, _("Key of %s given to %s"),
		    words_witness(r, e->rid, wname, sizeof wname), user);
	else if (strcmp(e->what, "grant") == 0)
		xasprintf(&what, _("Case key given to %s"), user);
	else if (strcmp(e->what, "revoke") == 0 && e->rid != 0)
		xasprintf(&what, _("Key of %s withdrawn from %s"),
		    words_witness(r, e->rid, wname, sizeof wname), user);
	else if (strcmp(e->what, "revoke") == 0)
		xasprintf(&what, _("Case key withdrawn from %s"), user);
	else if (strcmp(e->what, "event") == 0)
		what = xstrdup(words_event(str_or(record_get_str(e->body,
		    "event"), "")));
	else if (strcmp(e->what, "request") == 0)
		xasprintf(&what, _("Key of %s asked for by %s"),
		    words_witness(r, e->rid, wname, sizeof wname), e->by);
	else
		what = xstrdup(e->what);
	reason = record_get_str(e->body, "reason");
	if (reason == NULL || *reason == '\0')
		reason = record_get_str(e->body, "text");
	if (reason != NULL && *reason != '\0')
		xasprintf(&out, "%s (%s)", what, reason);
	else
		out = xstrdup(what);
	free(what);
	return (out);
}

/* A time as the user's language writes it; the caller frees it. */
char *
words_time(int64_t t)
{
	char	 when[17];

	format_time(t, when);
	return (form_value_show(FORM_DATETIME, when));
}

/*
 * What a journal entry changed, a line a field, "Label: old → new", by
 * the form's labels and in the user's words; *n lines, the caller frees
 * them (words_free()).
 */
char **
words_changes(const struct formset *forms, const struct casefile *cf,
    const struct casefile_event *e, size_t *n)
{
	const struct casefile_rec	*r;
	const struct form		*fm = NULL;
	const struct form_field		*f;
	const char			*key, *kind, *nv;
	char				*old, *new, *line, **lines = NULL;
	size_t				 i;

	*n = 0;
	if (e->body == NULL)
		return (NULL);
	r = e->rid != 0 ? casefile_rec(cf, e->rid) : NULL;
	if ((kind = r != NULL ? r->kind : record_get_str(e->body,
	    "kind")) != NULL)
		fm = formset_form(forms, kind);
	for (i = 0; i < record_count(e->body); i++) {
		key = record_key_at(e->body, i);
		if (strncmp(key, "new.", 4) != 0)
			continue;
		f = fm != NULL ? form_field(fm, key + 4) : NULL;
		nv = record_get_str(e->body, key);
		xasprintf(&line, "old.%s", key + 4);
		old = words_field(forms, cf, f, str_or(record_get_str(
		    e->body, line), ""));
		free(line);
		new = words_field(forms, cf, f, str_or(nv, ""));
		lines = xrealloc(lines, (*n + 1) * sizeof *lines);
		/* TRANSLATORS: a field changed: its label, old and new value. */
		xasprintf(&lines[(*n)++], _("%s: %s → %s"), f != NULL ?
		    form_lang(f->label) : key + 4, *old != '\0' ? old : "-",
		    *new != '\0' ? new : "-");
		free(old);
		free(new);
	}
	return (lines);
}

void
words_free(char **lines, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
