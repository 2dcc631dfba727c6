/*
 * ui-viewer.c: reading without editing.  Two screens are classes of the
 * one pager (ui-pager.c: rows of text laid out for the terminal's width,
 * scrolled a row or a page at a time, Home and End): the record viewer, which shows one
 * record of a case whole, each field under its label wrapped at words
 * (codes as labels, dates the user's way, linked records by name), and
 * the case journal, each change with its old and new values.
 *
 * Both keep the case id, not its records: when anything was saved
 * (ui->list_dirty moved), they read the case again, so the viewer shows
 * the record as the form just saved it.
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
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "text.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

struct viewer {
	uint64_t		 id;
	uint64_t		 rid;
	int			 journal;	/* the journal, not a record */
	int			 identities;	/* witness identities asked */
	struct casefile		*cf;
	struct ui_pager		*p;		/* the pager showing it */
	int			 loaded;
	uint64_t		 seen;
};

static void	 viewer_add_field(struct viewer *, const char *, const char *,
		    int, int);

/*
 * A label and its value side by side: the label in a column lw wide,
 * the value wrapped at words in the rest; either may take several rows.
 * A value with a word too wide for its column (a SHA-256) starts on the
 * row below the label, indented by two.
 */
static void
viewer_add_field(struct viewer *v, const char *label, const char *value,
    int lw, int cols)
{
	char	**ll, **vl, *clean, *row, *cell;
	size_t	  nl, nv, i, n;
	int	  vw = cols - lw - 2, below = 0;
	const char *w, *e;

	clean = text_clean(value, strlen(value), TEXT_NEWLINES);
	for (w = clean; *w != '\0'; w = e) {
		while (*w == ' ' || *w == '\n')
			w++;
		for (e = w; *e != '\0' && *e != ' ' && *e != '\n'; e++)
			;
		if (text_nwidth(w, (size_t)(e - w)) > vw)
			below = 1;
	}
	if (below) {
		ui_pager_add_wrapped(v->p, UI_BOLD, label, cols, 2);
		nv = text_wrap(clean, cols - 2, &vl);
		for (i = 0; i < nv; i++) {
			xasprintf(&row, "  %s", vl[i]);
			ui_pager_add(v->p, UI_NORMAL, row);
			free(row);
		}
		text_lines_free(vl, nv);
		free(clean);
		return;
	}
	nl = text_wrap(label, lw, &ll);
	nv = text_wrap(clean, vw, &vl);
	n = nl > nv ? nl : nv;
	for (i = 0; i < n; i++) {
		cell = xstrdup("");
		ui_cell(&cell, i < nl ? ll[i] : "", lw);
		xasprintf(&row, "%s %s", cell, i < nv ? vl[i] : "");
		ui_pager_add(v->p, UI_NORMAL, row);
		free(row);
		free(cell);
	}
	text_lines_free(ll, nl);
	text_lines_free(vl, nv);
	free(clean);
}

/* The label column: as wide as the longest label, two fifths at most. */
static int
viewer_label_width(const struct form *fm, const struct record *fields,
    int cols)
{
	size_t	 i;
	int	 w = 8, l = lang_index();

	for (i = 0; i < fm->nfields; i++)
		if (record_get(fields, fm->fields[i].id, NULL) != NULL &&
		    text_width(fm->fields[i].label[l]) > w)
			w = text_width(fm->fields[i].label[l]);
	return (w < cols * 2 / 5 ? w : cols * 2 / 5);
}

/* The record: who saved it and when, then every field filled in. */
static void
viewer_rows_record(struct ui *ui, struct viewer *v, int cols)
{
	const struct casefile_rec	*r;
	const struct form		*fm;
	const struct form_field		*f;
	const char			*val;
	char				*when, *line, *text, stamp[17];
	size_t				 i, len, shown = 0;
	int				 lw;

	if ((r = casefile_rec(v->cf, v->rid)) == NULL) {
		ui_pager_add_wrapped(v->p, UI_ALERT, _("This record is no longer in "
		    "the case."), cols, 0);
		return;
	}
	fm = formset_form(ui->ctx.forms, r->kind);
	format_time(r->at, stamp);
	when = form_value_show(FORM_DATETIME, stamp);
	xasprintf(&line, _("Version %" PRId64 ", saved by %s on %s."),
	    r->version, r->by, when);
	ui_pager_add_wrapped(v->p, UI_DIM, line, cols, 0);
	free(line);
	free(when);
	ui_pager_add(v->p, UI_NORMAL, "");
	if (r->locked) {
		ui_pager_add_wrapped(v->p, UI_ALERT, _("You do not hold this case's "
		    "key: the record is sealed."), cols, 0);
		return;
	}
	if (r->witness_locked)
		ui_pager_add_wrapped(v->p, UI_ALERT, _("Identity sealed: this "
		    "witness is shown by pseudonym only. Ask for the witness's "
		    "key from the case to read it."), cols, 0);
	if (fm == NULL)
		return;
	lw = viewer_label_width(fm, r->fields, cols);
	for (i = 0; i < fm->nfields; i++) {
		f = &fm->fields[i];
		if (r->rid == 0 && f->class == FORM_HEADER &&
		    strcmp(f->id, "reference") == 0)
			continue;
		if ((val = record_get(r->fields, f->id, &len)) == NULL ||
		    len == 0)
			continue;
		line = xstrndup(val, len);
		text = words_field(ui->ctx.forms, v->cf, f, line);
		viewer_add_field(v, form_lang(f->label), text, lw, cols);
		free(text);
		free(line);
		shown++;
	}
	if (shown == 0)
		ui_pager_add_wrapped(v->p, UI_DIM, _("No field is filled in."), cols,
		    0);
	if (strcmp(r->kind, "evidence") == 0 &&
	    record_get_str(r->fields, "file_sha256") != NULL) {
		ui_pager_add(v->p, UI_NORMAL, "");
		ui_pager_add_wrapped(v->p, UI_DIM, _("Anyone can check the file "
		    "with sha256sum: the figure it prints must be the SHA-256 "
		    "above."), cols, 0);
	}
}

/* The journal, newest first: when, who, what, and what changed. */
static void
viewer_rows_journal(struct ui *ui, struct viewer *v, int cols)
{
	const struct workflow		*wf;
	struct casefile_event		*e;
	char				*when, *what, *line, **changes;
	size_t				 i, j, from, nc;

	wf = workflow_find(ui->ctx.flows, str_or(record_get_str(
	    v->cf->header, "workflow"), ""));
	if (v->cf->njournal == 0)
		ui_pager_add_wrapped(v->p, UI_DIM, _("The journal is empty."), cols,
		    0);
	for (i = v->cf->njournal; i > 0; i--) {
		e = &v->cf->journal[i - 1];
		when = words_time(e->at);
		what = words_journal(ui->ctx.forms, wf, v->cf, e);
		xasprintf(&line, "%s  %s  %s", when, e->by, what);
		ui_pager_add_wrapped(v->p, UI_BOLD, line, cols, 2);
		free(line);
		free(what);
		free(when);
		from = v->p->nrows;
		changes = words_changes(ui->ctx.forms, v->cf, e, &nc);
		for (j = 0; j < nc; j++)
			ui_pager_add_wrapped(v->p, UI_NORMAL, changes[j],
			    cols - 4, 2);
		words_free(changes, nc);
		/* The changes indented under their entry. */
		for (j = from; j < v->p->nrows; j++) {
			xasprintf(&line, "    %s", v->p->rows[j].text);
			free(v->p->rows[j].text);
			v->p->rows[j].text = line;
		}
	}
}

static void
viewer_load(struct ui *ui, struct viewer *v)
{
	char	*cause = NULL;

	casefile_free(v->cf);
	v->cf = NULL;
	ui_pager_relayout(v->p);
	if (casefile_open(&ui->ctx, v->id, (v->journal ? CASEFILE_JOURNAL :
	    0) | (v->identities ? CASEFILE_WITNESSES : 0), &v->cf,
	    &cause) != 0)
		ui_cause(ui, cause);
	v->seen = ui->list_dirty;
	v->loaded = 1;
}

static void
viewer_layout(struct ui *ui, struct ui_pager *p, int cols)
{
	struct viewer	*v = p->data;

	if (v->cf == NULL)
		return;
	if (v->journal)
		viewer_rows_journal(ui, v, cols);
	else
		viewer_rows_record(ui, v, cols);
}

/* The title: what is shown, and where in it when it scrolls. */
static char *
viewer_title(struct ui *ui, struct ui_pager *p, int *kind)
{
	struct viewer			*v = p->data;
	const struct casefile_rec	*r;
	const struct form		*fm;
	const char			*ref;
	char				*what, *t;
	size_t				 body = (size_t)p->body;

	*kind = UI_TITLE;
	ref = v->cf != NULL ? str_or(record_get_str(v->cf->header,
	    "reference"), "") : "";
	r = v->cf != NULL ? casefile_rec(v->cf, v->rid) : NULL;
	fm = r != NULL ? formset_form(ui->ctx.forms, r->kind) : NULL;
	if (v->journal)
		xasprintf(&what, _("%s: journal"), ref);
	else if (r != NULL && r->rid == 0)
		/* TRANSLATORS: a case's reference and a form's title. */
		xasprintf(&what, _("%s: %s"), ref, fm != NULL ?
		    form_lang(fm->title) : r->kind);
	else
		/* TRANSLATORS: a case's reference, a form's title, a number. */
		xasprintf(&what, _("%s: %s %" PRIu64), ref, fm != NULL ?
		    form_lang(fm->title) : r != NULL ? r->kind : "",
		    v->rid);
	if (!ui_pager_scrolls(p))
		return (what);
	/* TRANSLATORS: a title, then the rows shown of how many. */
	xasprintf(&t, _("%s  (rows %zu-%zu of %zu)"), what, p->top + 1,
	    p->top + body < p->nrows ? p->top + body : p->nrows, p->nrows);
	free(what);
	return (t);
}

/* Read the case again when anything was saved, then draw the pager. */
static void
viewer_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct ui_pager	*p = data;
	struct viewer	*v = p->data;

	if (!v->loaded || v->seen != ui->list_dirty)
		viewer_load(ui, v);
	ui_pager_draw(ui, p, rows, cols);
}

static void
viewer_edit(struct ui *ui, void *data)
{
	struct viewer			*v = ((struct ui_pager *)data)->data;
	const struct casefile_rec	*r;
	char				*why = NULL;
	int				 ident = v->identities ?
					    UI_FORM_IDENTITIES : 0;

	if (v->journal || v->cf == NULL ||
	    (r = casefile_rec(v->cf, v->rid)) == NULL)
		return;
	if (r->locked) {
		ui_message(ui, 1, "%s", _("You do not hold this case's key."));
		return;
	}
	if (casefile_closed(&ui->ctx, v->cf->header, &why) != 0) {
		ui_form_open_why(ui, r->kind, v->id, r->rid, r->fields,
		    r->version, ident, NULL, why);
		free(why);
		return;
	}
	ui_form_open(ui, r->kind, v->id, r->rid, r->fields, r->version, ident,
	    NULL);
}

static int
viewer_offers_edit(struct ui *ui, void *data)
{
	struct viewer	*v = ((struct ui_pager *)data)->data;

	return (!v->journal && access_allows(ui->ctx.sess->user->role,
	    ACCESS_EDIT_CASE));
}

static void
viewer_attach(struct ui *ui, void *data)
{
	struct viewer	*v = ((struct ui_pager *)data)->data;

	if (!v->journal)
		ui_attach(ui, v->id, v->rid);
}

/* Files are attached to evidence. */
static int
viewer_offers_attach(struct ui *ui, void *data)
{
	struct viewer			*v = ((struct ui_pager *)data)->data;
	const struct casefile_rec	*r;

	r = v->cf != NULL ? casefile_rec(v->cf, v->rid) : NULL;
	return (!v->journal && r != NULL && strcmp(r->kind, "evidence") == 0 &&
	    viewer_offers_edit(ui, data) &&
	    casefile_closed(&ui->ctx, v->cf->header, NULL) == 0);
}

static const struct ui_action viewer_actions[] = {
	{ .name = "edit", .run = viewer_edit, .offered = viewer_offers_edit },
	{ .name = "attach", .run = viewer_attach,
	  .offered = viewer_offers_attach },
	{ .name = NULL }
};

static void
viewer_free(void *data)
{
	struct viewer	*v = data;

	casefile_free(v->cf);
	free(v);
}

static const struct ui_pager_class viewer_pager = {
	.layout = viewer_layout,
	.title = viewer_title,
	.actions = viewer_actions,
	.free = viewer_free,
};

static const struct screen ui_viewer_screen = {
	.name = "view",
	.keys = KEYMAP_VIEW,
	.draw = viewer_draw,
	.key = ui_pager_key,
	.offers = ui_pager_offers,
	.free = ui_pager_free,
};

static void
viewer_open(struct ui *ui, uint64_t id, uint64_t rid, int journal,
    int identities)
{
	struct viewer	*v = xcalloc(1, sizeof *v);

	v->id = id;
	v->rid = rid;
	v->journal = journal;
	v->identities = identities;
	v->p = ui_pager_create(&viewer_pager, v);
	ui_push(ui, &ui_viewer_screen, v->p);
}

/* Record rid of case id, read only; identities: witness names asked. */
void
ui_viewer_open(struct ui *ui, uint64_t id, uint64_t rid, int identities)
{
	viewer_open(ui, id, rid, 0, identities);
}

/* The journal of case id, with the old and new value of each change. */
void
ui_journal_open(struct ui *ui, uint64_t id, int identities)
{
	viewer_open(ui, id, 0, 1, identities);
}
