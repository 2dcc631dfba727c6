/*
 * export-council-text.c: the council's part of a summary in text and
 * Markdown, rendered from the one model export-council.c builds (so the
 * JSON, the text and the Markdown say the same): the parties, the
 * investigators, the rights of the defence with their dates and gaps,
 * the allegations agent by agent with the history of each finding, the
 * report and the decision.
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
#include "i18n.h"
#include "util.h"

static void
ec_fields_text(const json_t *fields, int md, int depth, struct ebuf *b)
{
	const json_t	*e;
	char		*line;
	size_t		 i;

	json_array_foreach(fields, i, e) {
		xasprintf(&line, _("%s: %s"), ec_str(e, "label"),
		    ec_str(e, "value"));
		eb_line(b, md, depth, line);
		free(line);
	}
}

static void
ec_parties_text(const json_t *m, int md, struct ebuf *b)
{
	const json_t	*p, *a = json_object_get(m, "parties");
	char		*line;
	size_t		 i;
	int		 complainant = 0;

	eb_title(b, md, _("Parties"));
	if (json_is_true(json_object_get(m, "redacted")))
		eb_line(b, md, 1, _("Redacted for third parties: persons are "
		    "named by record only, and what the forms mark personal "
		    "(names, service numbers, contacts, file names) is left "
		    "out. Free texts (the summary of facts, statements, "
		    "reasons) are shown as written: read them before this "
		    "summary goes out."));
	json_array_foreach(a, i, p) {
		if (json_is_true(json_object_get(p, "complainant")) ||
		    strcmp(str_or(ec_str(p, "role"), ""), "complainant") == 0)
			complainant = 1;
		if (json_is_true(json_object_get(p, "complainant")) &&
		    strcmp(str_or(ec_str(p, "role"), ""), "complainant") != 0)
			xasprintf(&line, _("%s, complainant: %s"),
			    ec_str(p, "role_label"), ec_str(p, "designation"));
		else
			xasprintf(&line, _("%s: %s"), ec_str(p, "role_label"),
			    ec_str(p, "designation"));
		eb_line(b, md, 0, line);
		free(line);
		ec_fields_text(json_object_get(p, "fields"), md, 1, b);
	}
	if (!complainant)
		eb_line(b, md, 1, _("No complainant is recorded."));
}

static void
ec_investigators_text(const json_t *m, int md, struct ebuf *b)
{
	const json_t	*p, *a = json_object_get(m, "investigators");
	const char	*on, *off;
	char		*line;
	size_t		 i;

	eb_title(b, md, _("Investigators"));
	if (json_array_size(a) == 0)
		eb_line(b, md, 1, _("No investigator was assigned."));
	json_array_foreach(a, i, p) {
		on = ec_str(p, "assigned");
		off = ec_str(p, "unassigned");
		if (on == NULL)
			xasprintf(&line, _("%s: assigned when the case was "
			    "registered"), ec_str(p, "user"));
		else if (off == NULL)
			xasprintf(&line, _("%s: assigned on %s UTC by %s"),
			    ec_str(p, "user"), on, ec_str(p, "assigned_by"));
		else
			xasprintf(&line, _("%s: assigned on %s UTC by %s, "
			    "unassigned on %s UTC by %s"), ec_str(p, "user"),
			    on, ec_str(p, "assigned_by"), off,
			    ec_str(p, "unassigned_by"));
		eb_line(b, md, 1, line);
		free(line);
	}
}

static void
ec_rights_text(const json_t *m, int md, struct ebuf *b)
{
	const json_t	*p, *r, *e, *a = json_object_get(m, "rights");
	const char	*d;
	char		*line, *none = NULL;
	size_t		 i, j, k;

	eb_title(b, md, _("Rights of the defence"));
	if (json_array_size(a) == 0)
		eb_line(b, md, 1, _("No agent concerned is recorded."));
	json_array_foreach(a, i, p) {
		eb_line(b, md, 0, ec_str(p, "designation"));
		if (json_array_size(json_object_get(p, "records")) == 0)
			eb_line(b, md, 1, _("None of the steps is recorded for "
			    "this agent."));
		json_array_foreach(json_object_get(p, "records"), j, r) {
			/* Required steps always; the others if dated. */
			json_array_foreach(json_object_get(r, "steps"), k, e) {
				d = ec_str(e, "date");
				if (d == NULL && !json_is_true(json_object_get(e,
				    "required"))) {
					xasprintf(&line, "%s%s%s", none != NULL ?
					    none : "", none != NULL ? "; " : "",
					    ec_str(e, "label"));
					free(none);
					none = line;
					continue;
				}
				xasprintf(&line, _("%s: %s"), ec_str(e, "label"),
				    d != NULL ? d : _("not recorded"));
				eb_line(b, md, 1, line);
				free(line);
			}
			if (none != NULL) {
				xasprintf(&line, _("Not recorded either: %s"),
				    none);
				eb_line(b, md, 1, line);
				free(line);
				free(none);
				none = NULL;
			}
			/* The rest: defender, suspension authority, ... */
			ec_fields_text(json_object_get(r, "fields"), md, 1, b);
		}
		json_array_foreach(json_object_get(p, "gaps"), j, e) {
			if ((d = ec_str(e, "moved")) != NULL)
				xasprintf(&line, _("GAP: moved to “%s” on %s "
				    "without %s."), ec_str(e, "to_label"), d,
				    ec_str(e, "missing"));
			else
				xasprintf(&line, _("Still missing before “%s”: "
				    "%s."), ec_str(e, "to_label"),
				    ec_str(e, "missing"));
			eb_line(b, md, 1, line);
			free(line);
		}
	}
}

static void
ec_allegations_text(const json_t *m, int md, struct ebuf *b)
{
	const json_t	*g, *o, *h, *a = json_object_get(m,
			    "allegations_by_agent");
	const char	*from;
	char		*line;
	size_t		 i, j, k;

	eb_title(b, md, _("Allegations and findings, by agent"));
	if (json_array_size(a) == 0)
		eb_line(b, md, 1, _("No allegation is recorded."));
	json_array_foreach(a, i, g) {
		eb_line(b, md, 0, ec_str(g, "designation"));
		json_array_foreach(json_object_get(g, "allegations"), j, o) {
			/* TRANSLATORS: "Allegation 5: Assault". */
			xasprintf(&line, _("%s %" PRIu64 ": %s"),
			    ec_str(o, "title"), (uint64_t)json_integer_value(
			    json_object_get(o, "id")), str_or(ec_str(o,
			    "category_label"), "-"));
			eb_line(b, md, 1, line);
			free(line);
			if (ec_str(o, "finding") == NULL)
				eb_line(b, md, 2, _("No finding yet."));
			ec_fields_text(json_object_get(o, "fields"), md, 2, b);
			if (json_array_size(json_object_get(o, "history")) ==
			    0)
				continue;
			eb_line(b, md, 2, _("History of the finding:"));
			json_array_foreach(json_object_get(o, "history"), k,
			    h) {
				from = ec_str(h, "from_label");
				if (ec_str(h, "to_label") == NULL)
					xasprintf(&line, _("%s UTC, %s: %s → "
					    "none"), ec_str(h, "at"),
					    ec_str(h, "by"), from);
				else if (from == NULL)
					xasprintf(&line, _("%s UTC, %s: %s"),
					    ec_str(h, "at"), ec_str(h, "by"),
					    ec_str(h, "to_label"));
				else
					xasprintf(&line, _("%s UTC, %s: %s → "
					    "%s"),
					    ec_str(h, "at"), ec_str(h, "by"),
					    from, ec_str(h, "to_label"));
				eb_line(b, md, 3, line);
				free(line);
			}
		}
	}
}

static void
ec_records_text(const json_t *a, int md, const char *title,
    const char *none, struct ebuf *b)
{
	const json_t	*o;
	char		*line;
	size_t		 i;

	eb_title(b, md, title);
	if (json_array_size(a) == 0)
		eb_line(b, md, 1, none);
	json_array_foreach(a, i, o) {
		xasprintf(&line, _("%s %" PRIu64 ", written by %s, last on %s"),
		    ec_str(o, "title"), (uint64_t)json_integer_value(
		    json_object_get(o, "id")), ec_str(o, "written_by"),
		    ec_str(o, "last_on"));
		eb_line(b, md, 0, line);
		free(line);
		ec_fields_text(json_object_get(o, "fields"), md, 1, b);
	}
}

void
export_council_note(const json_t *m, int md, struct ebuf *b)
{
	int	 norep, nodec;

	if (!json_is_true(json_object_get(m, "closed")))
		return;
	norep = json_array_size(json_object_get(m, "report")) == 0;
	nodec = json_array_size(json_object_get(m, "decisions")) == 0;
	if (norep && nodec)
		eb_field(b, md, _("Note"), _("This case was closed with no "
		    "investigation report and no decision."));
	else if (norep)
		eb_field(b, md, _("Note"), _("This case was closed with no "
		    "investigation report."));
	else if (nodec)
		eb_field(b, md, _("Note"), _("This case was closed with no "
		    "decision."));
}

/* Part 0: parties, investigators; 1: rights; 2: findings to decision. */
void
export_council_text(const struct casefile_ctx *ctx, const json_t *m,
    int part, int md, struct ebuf *b)
{
	int	 closed = json_is_true(json_object_get(m, "closed"));

	(void)ctx;
	if (part == 0) {
		ec_parties_text(m, md, b);
		ec_investigators_text(m, md, b);
		return;
	}
	if (part == 1) {
		ec_rights_text(m, md, b);
		return;
	}
	ec_allegations_text(m, md, b);
	ec_records_text(json_object_get(m, "report"), md,
	    _("Investigation report"), closed ? _("None: the case was closed "
	    "with no investigation report.") : _("No investigation report has "
	    "been filed."), b);
	ec_records_text(json_object_get(m, "decisions"), md,
	    _("Decision and sanction"), closed ? _("None: the case was closed "
	    "with no decision.") : _("No decision has been recorded."), b);
}
