/*
 * ui-case.c: one case: its header, its records by section, its journal,
 * and the moves the user's role may make.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "case-words.h"
#include "casefile.h"
#include "export.h"
#include "form.h"
#include "i18n.h"
#include "paths.h"
#include "record.h"
#include "session.h"
#include "text.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

struct case_row {
	char		*text;
	int		 kind;		/* UI_* */
	int		 rec;		/* index in cf->recs, or -1 */
};

struct caseview {
	struct ui_listbox	 lb;		/* first: its moves serve */
	uint64_t		 id;
	struct casefile		*cf;
	struct case_row		*rows;
	size_t			 nrows;
	uint64_t		 seen;
	int			 loaded;
	int			 laid;		/* rows laid out for this width */
	int			 identities;	/* show witness identities */
	uint64_t		 sel_rid;	/* the record selected ... */
	int			 has_sel;	/* ... kept across a reload */
};

static const struct casefile_rec *case_selected(const struct caseview *);

static const char *case_kinds[] = { "intake", "person", "agent",
	"allegation", "witness", "hearing", "evidence", "report", "decision",
	"mission", "recommendation" };
#define CASE_NKINDS	(sizeof case_kinds / sizeof case_kinds[0])

static void
case_rows_free(struct caseview *v)
{
	size_t	 i;

	for (i = 0; i < v->nrows; i++)
		free(v->rows[i].text);
	free(v->rows);
	v->rows = NULL;
	v->nrows = 0;
}

static void
case_add_row(struct caseview *v, int kind, int rec, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
case_add_row(struct caseview *v, int kind, int rec, const char *fmt, ...)
{
	va_list	 ap;

	v->rows = xrealloc(v->rows, (v->nrows + 1) * sizeof *v->rows);
	va_start(ap, fmt);
	xvasprintf(&v->rows[v->nrows].text, fmt, ap);
	va_end(ap);
	v->rows[v->nrows].kind = kind;
	v->rows[v->nrows].rec = rec;
	v->nrows++;
}

static const char *
case_str(const struct record *f, const char *k)
{
	const char	*s = record_get_str(f, k);

	return (s != NULL ? s : "");
}

struct case_shown {
	struct ui		*ui;
	const struct casefile	*cf;
};

/*
 * A value in a record's summary: a linked record by its name (a witness
 * by pseudonym only), else as the viewer shows it; the caller frees it.
 */
static char *
case_summary_value(void *arg, const struct form_field *f, const char *v)
{
	struct case_shown	*a = arg;
	char			*s;

	if (f->type == FORM_PERSON &&
	    (s = words_link(a->ui->ctx.forms, a->cf, v, 0)) != NULL)
		return (s);
	return (words_field(a->ui->ctx.forms, a->cf, f, v));
}

/*
 * One line that says what a record is, as its form's "summary =" writes
 * it (form_summary()); a witness's identity only for the holder of the
 * witness's key.
 */
static void
case_summary(struct ui *ui, const struct casefile *cf,
    const struct casefile_rec *r, char *buf, size_t len)
{
	struct case_shown	 a = { ui, cf };
	char			*s;

	if (r->locked) {
		snprintf(buf, len, "%s", _("(sealed)"));
		return;
	}
	s = form_summary(formset_form(ui->ctx.forms, r->kind), r->fields,
	    r->witness_locked, case_summary_value, &a);
	if (s != NULL && *s != '\0')
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "v%" PRId64 " %s", r->version, r->by);
	free(s);
}

/* Rows of text wrapped at words to cols, the next ones indented. */
static void
case_add_wrapped(struct caseview *v, int kind, const char *text, int cols,
    int indent)
{
	char	**lines;
	size_t	  n, i;

	n = text_wrap(text, cols - indent, &lines);
	for (i = 0; i < n; i++)
		case_add_row(v, kind, -1, "%*s%s", i == 0 ? 0 : indent, "",
		    lines[i]);
	text_lines_free(lines, n);
}

/*
 * Parts of a line ("Deadline ...", "Assigned: ...") packed on as few
 * rows as they take, two spaces apart, a part never split unless it is
 * wider than the screen by itself.
 */
static void
case_add_parts(struct caseview *v, int kind, char **parts, size_t n,
    int cols)
{
	char	*line = NULL, *next;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (line == NULL) {
			line = xstrdup(parts[i]);
			continue;
		}
		xasprintf(&next, "%s  %s", line, parts[i]);
		/* case_add_wrapped() gives its rows cols - 2. */
		if (ui_text_width(next) <= cols - 2) {
			free(line);
			line = next;
			continue;
		}
		free(next);
		case_add_wrapped(v, kind, line, cols, 2);
		free(line);
		line = xstrdup(parts[i]);
	}
	if (line != NULL)
		case_add_wrapped(v, kind, line, cols, 2);
	free(line);
}

/*
 * The record selected is selected again, by its number, once the rows
 * are made again (after a change, or for another width).
 */
static void
case_keep_selection(struct caseview *v)
{
	const struct casefile_rec	*r;

	if ((r = case_selected(v)) != NULL) {
		v->sel_rid = r->rid;
		v->has_sel = 1;
	}
}

static void
case_load(struct ui *ui, struct caseview *v)
{
	char	*cause = NULL;

	case_keep_selection(v);
	casefile_free(v->cf);
	v->cf = NULL;
	case_rows_free(v);
	ui_listbox_reset(&v->lb, 0);
	v->laid = 0;
	if (casefile_open(&ui->ctx, v->id, CASEFILE_JOURNAL |
	    (v->identities ? CASEFILE_WITNESSES : 0), &v->cf, &cause) != 0)
		ui_cause(ui, cause);
	v->seen = ui->list_dirty;
	v->loaded = 1;
}

/* A stored list of names ("ibrahim,mariam") as read: "ibrahim, mariam". */
static char *
case_names(const char *list)
{
	char	*out = xmalloc(2 * strlen(list) + 1), *o = out;

	for (; *list != '\0'; list++) {
		*o++ = *list;
		if (*list == ',')
			*o++ = ' ';
	}
	*o = '\0';
	return (out);
}

/* The deadline, pause, assignees, region and force, packed on rows. */
static void
case_rows_header(struct ui *ui, struct caseview *v, int cols)
{
	static const char		*fields[] = { "region", "force" };
	const struct record		*h = v->cf->header;
	struct workflow_clock		 clock;
	char				*parts[5], day[11], *shown, *as;
	size_t				 i, np = 0;
	long				 late;

	casefile_clock(h, &clock);
	late = workflow_overdue(&clock, casefile_today());
	if (clock.deadline != 0) {
		format_day(clock.deadline, day);
		shown = form_value_show(FORM_DATE, day);
	} else
		shown = xstrdup("-");
	xasprintf(&parts[np++], _("Deadline %s%s"), shown, late > 0 ?
	    _(" (overdue)") : "");
	free(shown);
	/* Only a case suspended now, or once, says for how long. */
	if (clock.paused_since != 0 || clock.paused_days > 0)
		xasprintf(&parts[np++], _("Paused %ld d"),
		    workflow_paused_total(&clock, casefile_today()));
	as = case_names(case_str(h, "assignees"));
	xasprintf(&parts[np++], _("Assigned: %s"), *as != '\0' ? as : "-");
	free(as);
	/* Named as the intake form names them. */
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		/* TRANSLATORS: a label and its value (French: "%s : %s"). */
		xasprintf(&parts[np++], _("%s: %s"), form_label(ui->ctx.forms,
		    "intake", fields[i], NULL), form_label(ui->ctx.forms,
		    "intake", fields[i], case_str(h, fields[i])));
	case_add_parts(v, late > 0 ? UI_ALERT : UI_NORMAL, parts, np, cols);
	for (i = 0; i < np; i++)
		free(parts[i]);
}

/* One row per record, by kind; the kind and number in columns. */
static void
case_rows_records(struct ui *ui, struct caseview *v, int cols)
{
	const struct form	*fm;
	char			 buf[512], *kind;
	size_t			 k, i;
	int			 l = lang_index(), kw = 0, rw = 1, w;

	/* The columns as wide as what they show, a third at most. */
	for (i = 0; i < v->cf->nrecs; i++) {
		fm = formset_form(ui->ctx.forms, v->cf->recs[i].kind);
		w = ui_text_width(fm != NULL ? fm->title[l] :
		    v->cf->recs[i].kind);
		kw = w > kw ? w : kw;
		snprintf(buf, sizeof buf, "%" PRIu64, v->cf->recs[i].rid);
		rw = (int)strlen(buf) > rw ? (int)strlen(buf) : rw;
	}
	if (kw > cols / 3)
		kw = cols / 3;
	for (k = 0; k < sizeof case_kinds / sizeof case_kinds[0]; k++) {
		fm = formset_form(ui->ctx.forms, case_kinds[k]);
		for (i = 0; i < v->cf->nrecs; i++) {
			if (strcmp(v->cf->recs[i].kind, case_kinds[k]) != 0)
				continue;
			case_summary(ui, v->cf, &v->cf->recs[i], buf, sizeof buf);
			kind = xstrdup("  ");
			ui_cell(&kind, fm != NULL ? fm->title[l] :
			    case_kinds[k], kw);
			case_add_row(v, UI_NORMAL, (int)i, "%s%*" PRIu64 " %s",
			    kind, rw, v->cf->recs[i].rid, buf);
			free(kind);
		}
	}
}

/*
 * The rows of the case for this width: the header wrapped at words, one
 * row per record (its summary cut with an ellipsis when drawn), then the
 * journal, newest first, each entry wrapped under its time.
 */
static void
case_rows(struct ui *ui, struct caseview *v, int cols)
{
	const struct workflow		*wf;
	struct casefile_event		*e;
	char				*line, *when, *what;
	const char			*state;
	size_t				 i;
	int				 l = lang_index();

	/* The same record stays selected whatever the rows above it. */
	case_keep_selection(v);
	case_rows_free(v);
	ui_listbox_reset(&v->lb, 0);
	v->laid = cols;
	if (v->cf == NULL)
		return;
	/* A header field may be missing: show it empty, never crash. */
	state = case_str(v->cf->header, "state");
	wf = workflow_find(ui->ctx.flows, case_str(v->cf->header, "workflow"));
	xasprintf(&line, "%s  %s  [%s]", case_str(v->cf->header, "reference"),
	    workflow_state_label(wf, state), wf != NULL ? wf->title[l] : "");
	case_add_wrapped(v, UI_BOLD, line, cols, 2);
	free(line);
	case_rows_header(ui, v, cols);
	if (!v->cf->readable)
		case_add_wrapped(v, UI_ALERT, _("You do not hold this case's "
		    "key: only its header is shown."), cols, 0);
	case_rows_records(ui, v, cols);
	case_add_row(v, UI_TITLE, -1, "%s", _("Journal"));
	for (i = v->cf->njournal; i > 0; i--) {
		e = &v->cf->journal[i - 1];
		when = words_time(e->at);
		what = words_journal(ui->ctx.forms, wf, v->cf, e);
		xasprintf(&line, "  %s  %s  %s", when, e->by, what);
		case_add_wrapped(v, UI_DIM, line, cols, 4);
		free(line);
		free(what);
		free(when);
	}
	ui_listbox_reset(&v->lb, v->nrows);
	for (i = 0; v->has_sel && i < v->nrows; i++)
		if (v->rows[i].rec >= 0 &&
		    v->cf->recs[v->rows[i].rec].rid == v->sel_rid)
			ui_listbox_select(&v->lb, i);
}

/* Records are selected; the header and the journal are not. */
static int
case_selectable(const struct ui_listbox *lb, size_t i)
{
	const struct caseview	*v = (const struct caseview *)lb;

	return (i < v->nrows && v->rows[i].rec >= 0);
}

static void
case_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct caseview	*v = data;
	size_t		 i;
	int		 y, width;

	if (!v->loaded || v->seen != ui->list_dirty)
		case_load(ui, v);
	width = ui->settings.arrow_cursor ? cols - 2 : cols;
	if (v->laid != width)
		case_rows(ui, v, width);
	ui_listbox_show(&v->lb, rows);
	for (y = 0; y < rows; y++) {
		i = v->lb.top + (size_t)y;
		if (i >= v->nrows) {
			ui_line(ui, y, 0, UI_NORMAL, "", cols);
			continue;
		}
		ui_row(ui, y, v->rows[i].kind, v->rows[i].text,
		    ui_listbox_is_selected(&v->lb, i));
	}
}

static void
case_move(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	if (v->cf != NULL && !ui_refuses_change(ui))
		ui_case_move(ui, v->cf);
}

/* A closed case takes no new record: say so, 1. */
static int
case_refuses_closed(struct ui *ui, struct caseview *v)
{
	char	*why = NULL;

	if (v->cf == NULL || casefile_closed(&ui->ctx, v->cf->header,
	    &why) == 0)
		return (0);
	ui_cause(ui, why);
	return (1);
}

static void
case_add(struct ui *ui, void *data)
{
	struct caseview		*v = data;
	const char		*codes[CASE_NKINDS], *labels[CASE_NKINDS];
	const struct form	*fm;
	size_t			 i, n = 0;
	int			 k;

	if (ui_refuses_change(ui) || case_refuses_closed(ui, v))
		return;
	for (i = 1; i < CASE_NKINDS; i++) {
		if ((fm = formset_form(ui->ctx.forms, case_kinds[i])) == NULL)
			continue;
		codes[n] = case_kinds[i];
		labels[n++] = form_lang(fm->title);
	}
	if ((k = ui_pick(ui, _("Add to the case"), codes, labels, n, 0,
	    NULL)) < 0)
		return;
	ui_form_open(ui, codes[k], v->id, 0, NULL, -1, UI_FORM_NEW |
	    (v->identities ? UI_FORM_IDENTITIES : 0), NULL);
}

/* A signed summary to a path the user types (auditors, supervisors). */
static void
case_export(struct ui *ui, void *data)
{
	struct caseview		*v = data;
	const char		*codes[] = { "text", "md", "json" };
	const char		*labels[3];
	enum export_format	 f;
	char			*path, *cause = NULL;
	int			 k, with, redact;

	if (session_require(ui->ctx.sess, ACCESS_EXPORT_CASE, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	labels[0] = _("Text");
	labels[1] = "Markdown";
	labels[2] = "JSON";
	if ((k = ui_pick(ui, _("Export format"), codes, labels, 3, 0,
	    NULL)) < 0)
		return;
	export_format_parse(codes[k], &f);
	with = ui_confirm(ui, _("Include witness identities where you hold "
	    "their key (audited)?"));
	/* The variant for third parties names no one, witnesses least. */
	redact = !with && ui_confirm(ui, _("For third parties: leave out "
	    "names and personal details?"));
	if (paths_restricted()) {
		ui_message(ui, 1, "%s", _("Over SSH, dossier writes no file on "
		    "the server: exports are not available this way yet."));
		return;
	}
	if ((path = ui_ask(ui, _("Write the summary to: "), "", 0)) == NULL)
		return;
	if (export_case(&ui->ctx, v->id, f, (with ? EXPORT_WITNESSES : 0) |
	    (redact ? EXPORT_REDACT : 0), path, &cause) != 0)
		ui_cause(ui, cause);
	else
		ui_message(ui, 0, _("Wrote %s and %s.minisig."), path, path);
	free(path);
}

/* The record on the selected row, or NULL. */
static const struct casefile_rec *
case_selected(const struct caseview *v)
{
	size_t	 i;

	if (v->cf == NULL || !ui_listbox_selected(&v->lb, &i))
		return (NULL);
	return (&v->cf->recs[v->rows[i].rec]);
}

static void
case_free(void *data)
{
	struct caseview	*v = data;

	casefile_free(v->cf);
	case_rows_free(v);
	free(v);
}

static void
case_open_record(struct ui *ui, void *data)
{
	struct caseview			*v = data;
	const struct casefile_rec	*r;

	if ((r = case_selected(v)) != NULL)
		ui_viewer_open(ui, v->id, r->rid, v->identities);
}

static void
case_edit(struct ui *ui, void *data)
{
	struct caseview			*v = data;
	const struct casefile_rec	*r;
	char				*why = NULL;
	int				 ident = v->identities ?
					    UI_FORM_IDENTITIES : 0;

	if ((r = case_selected(v)) == NULL)
		return;
	if (r->locked) {
		ui_message(ui, 1, "%s", _("You do not hold this case's key."));
		return;
	}
	/* A closed case's record is shown read-only, and why. */
	if (v->cf != NULL &&
	    casefile_closed(&ui->ctx, v->cf->header, &why) != 0) {
		ui_form_open_why(ui, r->kind, v->id, r->rid, r->fields,
		    r->version, ident, NULL, why);
		free(why);
		return;
	}
	ui_form_open(ui, r->kind, v->id, r->rid, r->fields, r->version, ident,
	    NULL);
}

static void
case_journal(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	ui_journal_open(ui, v->id, v->identities);
}

static void
case_assign(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	if (v->cf != NULL)
		ui_case_assign(ui, v->cf);
}

static void
case_grant(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	if (v->cf != NULL)
		ui_case_grant(ui, v->cf, case_selected(v), 0);
}

static void
case_revoke(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	if (v->cf != NULL)
		ui_case_grant(ui, v->cf, case_selected(v), 1);
}

static void
case_event(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	if (v->cf != NULL)
		ui_case_event(ui, v->cf);
}

static void
case_request(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	if (v->cf != NULL)
		ui_case_request(ui, v->cf, case_selected(v));
}

static void
case_witnesses(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	v->identities = !v->identities;
	v->loaded = 0;
	ui_message(ui, 0, "%s", v->identities ? _("Witness identities shown "
	    "where you hold the key (audited).") : _("Witnesses shown by "
	    "pseudonym only."));
}

static void
case_back(struct ui *ui, void *data)
{
	(void)data;
	ui_pop(ui);
}

/* Only what the user's role may do is offered. */
static int
case_offers_edit(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	return (access_allows(ui->ctx.sess->user->role, ACCESS_EDIT_CASE) &&
	    (v->cf == NULL || v->cf->readable));
}

/* Nothing is added to a closed case. */
static int
case_offers_add(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	return (case_offers_edit(ui, data) && (v->cf == NULL ||
	    casefile_closed(&ui->ctx, v->cf->header, NULL) == 0));
}

static int
case_offers_move(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	return (ui_case_has_move(ui, v->cf));
}

static int
case_offers_assign(struct ui *ui, void *data)
{
	(void)data;
	return (access_allows(ui->ctx.sess->user->role, ACCESS_ASSIGN_CASE));
}

static int
case_offers_grant(struct ui *ui, void *data)
{
	enum role	 role = ui->ctx.sess->user->role;

	(void)data;
	return (access_allows(role, ACCESS_EDIT_CASE) ||
	    access_allows(role, ACCESS_ASSIGN_CASE));
}

static int
case_offers_export(struct ui *ui, void *data)
{
	(void)data;
	return (access_allows(ui->ctx.sess->user->role, ACCESS_EXPORT_CASE));
}

static int
case_offers_request(struct ui *ui, void *data)
{
	struct caseview	*v = data;

	(void)ui;
	return (ui_case_sealed_witness(v->cf));
}

static const struct ui_action case_actions[] = {
	UI_LISTBOX_ACTIONS,
	{ .name = "open", .run = case_open_record },
	{ .name = "edit", .run = case_edit, .offered = case_offers_edit },
	{ .name = "add", .run = case_add, .offered = case_offers_add },
	{ .name = "event", .run = case_event, .offered = case_offers_edit },
	{ .name = "journal", .run = case_journal },
	{ .name = "move", .run = case_move, .offered = case_offers_move },
	{ .name = "assign", .run = case_assign,
	  .offered = case_offers_assign },
	{ .name = "grant", .run = case_grant, .offered = case_offers_grant },
	{ .name = "revoke", .run = case_revoke, .offered = case_offers_grant },
	{ .name = "request", .run = case_request,
	  .offered = case_offers_request },
	{ .name = "witnesses", .run = case_witnesses },
	{ .name = "export", .run = case_export,
	  .offered = case_offers_export },
	{ .name = "back", .run = case_back },
	{ .name = NULL }
};

static const struct screen ui_case_screen = {
	.name = "case",
	.keys = KEYMAP_CASE,
	.draw = case_draw,
	.actions = case_actions,
	.free = case_free,
};

void
ui_case_open(struct ui *ui, uint64_t id)
{
	struct caseview	*v = xcalloc(1, sizeof *v);

	v->lb.selectable = case_selectable;
	v->id = id;
	v->identities = 1;
	ui_push(ui, &ui_case_screen, v);
}
