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
#include "casefile.h"
#include "export.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

struct case_row {
	char		*text;
	int		 kind;		/* UI_* */
	int		 rec;		/* index in cf->recs, or -1 */
};

struct caseview {
	uint64_t		 id;
	struct casefile		*cf;
	struct case_row		*rows;
	size_t			 nrows, sel, top;
	uint64_t		 seen;
	int			 loaded;
	int			 identities;	/* show witness identities */
};

static const char *case_kinds[] = { "intake", "person", "agent",
	"allegation", "witness", "hearing", "evidence", "report", "decision" };

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
case_label(struct ui *ui, const char *list, const char *code)
{
	const struct form_list	*l;
	const struct form_item	*it;

	if (code == NULL)
		return ("");
	if ((l = formset_list(ui->ctx.forms, list)) == NULL ||
	    (it = form_list_item(l, code)) == NULL)
		return (code);
	return (it->label[lang_index()]);
}

static const char *
case_str(const struct record *f, const char *k)
{
	const char	*s = record_get_str(f, k);

	return (s != NULL ? s : "");
}

/* One line that says what a record is. */
static void
case_summary(struct ui *ui, const struct casefile_rec *r, char *buf,
    size_t len)
{
	const struct record	*f = r->fields;
	const char		*num;

	if (r->locked) {
		snprintf(buf, len, "%s", _("(sealed)"));
		return;
	}
	if (strcmp(r->kind, "intake") == 0)
		snprintf(buf, len, "%s", case_str(f, "summary"));
	else if (strcmp(r->kind, "person") == 0) {
		num = case_str(f, "service_number");
		snprintf(buf, len, "%s - %s%s%s", case_label(ui, "person_roles",
		    record_get_str(f, "role")), case_str(f, "full_name"),
		    *num ? " " : "", num);
	} else if (strcmp(r->kind, "allegation") == 0)
		snprintf(buf, len, "%s - %s",
		    case_label(ui, "misconduct", record_get_str(f, "category")),
		    case_label(ui, "findings", record_get_str(f, "finding") ?
		    record_get_str(f, "finding") : "pending"));
	else if (strcmp(r->kind, "witness") == 0)
		snprintf(buf, len, "%s%s%s  (%s)", case_str(f, "pseudonym"),
		    r->witness_locked ? "" : " - ",
		    r->witness_locked ? "" : case_str(f, "full_name"),
		    case_label(ui, "witness_roles", record_get_str(f, "role")));
	else if (strcmp(r->kind, "hearing") == 0)
		snprintf(buf, len, "%s %s", case_str(f, "date"),
		    case_str(f, "heard"));
	else if (strcmp(r->kind, "evidence") == 0)
		snprintf(buf, len, "%s %s", case_label(ui, "evidence_kinds",
		    record_get_str(f, "kind")), case_str(f, "file"));
	else if (strcmp(r->kind, "decision") == 0)
		snprintf(buf, len, "%s - %s", case_label(ui, "decision_levels",
		    record_get_str(f, "level")), case_label(ui,
		    "decision_verdicts", record_get_str(f, "verdict")));
	else
		snprintf(buf, len, "v%" PRId64 " %s", r->version, r->by);
}

static void
case_load(struct ui *ui, struct caseview *v)
{
	const struct workflow		*wf;
	const struct workflow_state	*st;
	const struct form		*fm;
	struct workflow_clock		 clock;
	struct casefile_event		*e;
	char				*cause = NULL, buf[512], day[11], *kind;
	const char			*state;
	size_t				 k, i;
	long				 late;
	int				 l = lang_index();

	casefile_free(v->cf);
	v->cf = NULL;
	case_rows_free(v);
	if (casefile_open(&ui->ctx, v->id, CASEFILE_JOURNAL |
	    (v->identities ? CASEFILE_WITNESSES : 0), &v->cf, &cause) != 0) {
		ui_cause(ui, cause);
		v->loaded = 1;
		return;
	}
	/* A header field may be missing: show it empty, never crash. */
	state = case_str(v->cf->header, "state");
	wf = workflow_find(ui->ctx.flows, case_str(v->cf->header, "workflow"));
	st = wf != NULL ? workflow_state(wf, state) : NULL;
	case_add_row(v, UI_BOLD, -1, "%s  %s  [%s]",
	    case_str(v->cf->header, "reference"),
	    st != NULL ? st->label[l] : state, wf != NULL ? wf->title[l] : "");
	casefile_clock(v->cf->header, &clock);
	late = workflow_overdue(&clock, casefile_today());
	if (clock.deadline != 0)
		format_day(clock.deadline, day);
	else
		snprintf(day, sizeof day, "-");
	case_add_row(v, late > 0 ? UI_ALERT : UI_NORMAL, -1,
	    _("Deadline %s%s  Paused %ld d  Assigned: %s  Region: %s  "
	    "Force: %s"), day, late > 0 ? _(" (overdue)") : "",
	    workflow_paused_total(&clock, casefile_today()),
	    *case_str(v->cf->header, "assignees") != '\0' ?
	    case_str(v->cf->header, "assignees") : "-",
	    case_label(ui, "regions", record_get_str(v->cf->header, "region")),
	    case_label(ui, "forces", record_get_str(v->cf->header, "force")));
	if (!v->cf->readable)
		case_add_row(v, UI_ALERT, -1, "%s", _("You do not hold this "
		    "case's key: only its header is shown."));
	for (k = 0; k < sizeof case_kinds / sizeof case_kinds[0]; k++) {
		fm = formset_form(ui->ctx.forms, case_kinds[k]);
		for (i = 0; i < v->cf->nrecs; i++) {
			if (strcmp(v->cf->recs[i].kind, case_kinds[k]) != 0)
				continue;
			case_summary(ui, &v->cf->recs[i], buf, sizeof buf);
			kind = xstrdup("  ");
			ui_cell(&kind, fm != NULL ? fm->title[l] :
			    case_kinds[k], 12);
			case_add_row(v, UI_NORMAL, (int)i, "%s%3" PRIu64 " %s",
			    kind, v->cf->recs[i].rid, buf);
			free(kind);
		}
	}
	case_add_row(v, UI_TITLE, -1, "%s", _("Journal"));
	for (i = v->cf->njournal; i > 0; i--) {
		e = &v->cf->journal[i - 1];
		format_time(e->at, buf);
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
		    "  %-10.10s %-8.8s %s%s%s", e->by, e->what,
		    record_get_str(e->body, "from") ?
		    record_get_str(e->body, "from") : "",
		    record_get_str(e->body, "to") ? " -> " : "",
		    record_get_str(e->body, "to") ?
		    record_get_str(e->body, "to") : "");
		if (record_get_str(e->body, "reason") != NULL)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    "  (%s)", record_get_str(e->body, "reason"));
		case_add_row(v, UI_DIM, -1, "  %s", buf);
	}
	if (v->sel >= v->nrows)
		v->sel = 0;
	for (i = v->sel; i < v->nrows && v->rows[v->sel].rec < 0; i++)
		if (v->rows[i].rec >= 0)
			v->sel = i;
	v->seen = ui->list_dirty;
	v->loaded = 1;
}

static void
case_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct caseview	*v = data;
	size_t		 i;
	int		 y;

	if (!v->loaded || v->seen != ui->list_dirty)
		case_load(ui, v);
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + (size_t)rows)
		v->top = v->sel - rows + 1;
	for (y = 0; y < rows; y++) {
		i = v->top + (size_t)y;
		if (i >= v->nrows) {
			ui_line(ui, y, 0, UI_NORMAL, "", cols);
			continue;
		}
		ui_row(ui, y, v->rows[i].kind, v->rows[i].text, i == v->sel &&
		    v->rows[i].rec >= 0);
	}
}

static void
case_move(struct ui *ui, struct caseview *v)
{
	const struct workflow			*wf;
	const struct workflow_transition	*tr;
	const char				*state, **codes, **labels;
	char					*reason = NULL, *cause = NULL;
	size_t					 n = 0, i, j;
	int					 k;

	if (v->cf == NULL)
		return;
	state = case_str(v->cf->header, "state");
	if ((wf = workflow_find(ui->ctx.flows,
	    case_str(v->cf->header, "workflow"))) == NULL)
		return;
	codes = xcalloc(wf->ntransitions + 1, sizeof *codes);
	labels = xcalloc(wf->ntransitions + 1, sizeof *labels);
	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		if ((tr->roles & (1U << ui->ctx.sess->user->role)) == 0)
			continue;
		for (j = 0; j < tr->nfrom; j++) {
			if (strcmp(tr->from[j], state) == 0) {
				codes[n] = tr->id;
				labels[n++] = tr->label[lang_index()];
			}
		}
	}
	if (n == 0) {
		ui_message(ui, 1, "%s", _("Your role has no move from this "
		    "state."));
		goto out;
	}
	if ((k = ui_pick(ui, _("Move the case"), codes, labels, n, 0,
	    NULL)) < 0)
		goto out;
	tr = workflow_transition(wf, state, codes[k]);
	if (tr->reason && (reason = ui_ask(ui, _("Reason (required): "), "",
	    1)) == NULL)
		goto out;
	if (!tr->reason && (reason = ui_ask(ui, _("Reason (optional): "), "",
	    1)) == NULL)
		goto out;
	if (casefile_move(&ui->ctx, v->id, codes[k], reason, &cause) != 0)
		ui_cause(ui, cause);
	else {
		ui_message(ui, 0, _("Moved: %s."), labels[k]);
		ui->list_dirty++;
	}
out:
	free(reason);
	free(codes);
	free(labels);
}

static void
case_add(struct ui *ui, struct caseview *v)
{
	const char		*codes[8], *labels[8];
	const struct form	*fm;
	size_t			 i, n = 0;
	int			 k;

	for (i = 1; i < sizeof case_kinds / sizeof case_kinds[0]; i++) {
		if ((fm = formset_form(ui->ctx.forms, case_kinds[i])) == NULL)
			continue;
		codes[n] = case_kinds[i];
		labels[n++] = fm->title[lang_index()];
	}
	if ((k = ui_pick(ui, _("Add to the case"), codes, labels, n, 0,
	    NULL)) < 0)
		return;
	ui_form_open(ui, codes[k], v->id, 0, NULL, -1, 1, NULL);
}

/* A signed summary to a path the user types (auditors, supervisors). */
static void
case_export(struct ui *ui, struct caseview *v)
{
	const char		*codes[] = { "text", "md", "json" };
	const char		*labels[] = { "text", "Markdown", "JSON" };
	enum export_format	 f;
	char			*path, *cause = NULL;
	int			 k, with;

	if (session_require(ui->ctx.sess, ACCESS_EXPORT_CASE, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	if ((k = ui_pick(ui, _("Export format"), codes, labels, 3, 0,
	    NULL)) < 0)
		return;
	export_format_parse(codes[k], &f);
	with = ui_confirm(ui, _("Include witness identities where you hold "
	    "their key (audited)?"));
	if ((path = ui_ask(ui, _("Write the summary to: "), "", 0)) == NULL)
		return;
	if (export_case(&ui->ctx, v->id, f, with, path, &cause) != 0)
		ui_cause(ui, cause);
	else
		ui_message(ui, 0, _("Wrote %s and %s.minisig."), path, path);
	free(path);
}

static void
case_key(struct ui *ui, void *data, const char *action, int key)
{
	struct caseview			*v = data;
	const struct casefile_rec	*r;
	size_t				 page = (size_t)(ui->rows - 4), i;

	(void)key;
	if (action == NULL)
		return;
	if (strcmp(action, "down") == 0) {
		for (i = v->sel + 1; i < v->nrows; i++)
			if (v->rows[i].rec >= 0) {
				v->sel = i;
				break;
			}
		if (i == v->nrows && v->top + (size_t)(ui->rows - 2) < v->nrows)
			v->top++;	/* scroll the journal into view */
	} else if (strcmp(action, "up") == 0) {
		for (i = v->sel; i > 0; i--)
			if (v->rows[i - 1].rec >= 0) {
				v->sel = i - 1;
				break;
			}
		if (i == 0)
			v->top = 0;
	} else if (strcmp(action, "page-down") == 0)
		v->top = v->top + page < v->nrows ? v->top + page : v->top;
	else if (strcmp(action, "page-up") == 0)
		v->top = v->top > page ? v->top - page : 0;
	else if ((strcmp(action, "open") == 0 || strcmp(action, "edit") == 0) &&
	    v->cf != NULL && v->sel < v->nrows && v->rows[v->sel].rec >= 0) {
		r = &v->cf->recs[v->rows[v->sel].rec];
		if (r->locked) {
			ui_message(ui, 1, "%s", _("You do not hold this case's "
			    "key."));
			return;
		}
		ui_form_open(ui, r->kind, v->id, r->rid, r->fields, r->version,
		    0, NULL);
	} else if (strcmp(action, "add") == 0)
		case_add(ui, v);
	else if (strcmp(action, "move") == 0)
		case_move(ui, v);
	else if (strcmp(action, "witnesses") == 0) {
		v->identities = !v->identities;
		v->loaded = 0;
		ui_message(ui, 0, "%s", v->identities ? _("Witness identities "
		    "shown where you hold the key (audited).") : _("Witnesses "
		    "shown by pseudonym only."));
	} else if (strcmp(action, "export") == 0)
		case_export(ui, v);
	else if (strcmp(action, "back") == 0)
		ui_pop(ui);
}

static void
case_free(void *data)
{
	struct caseview	*v = data;

	casefile_free(v->cf);
	case_rows_free(v);
	free(v);
}

static const struct screen ui_case_screen = {
	.name = "case",
	.keys = KEYMAP_CASE,
	.draw = case_draw,
	.key = case_key,
	.free = case_free,
};

void
ui_case_open(struct ui *ui, uint64_t id)
{
	struct caseview	*v = xcalloc(1, sizeof *v);

	v->id = id;
	v->identities = 1;
	v->sel = 0;
	ui_push(ui, &ui_case_screen, v);
}
