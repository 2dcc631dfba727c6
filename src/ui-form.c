/*
 * ui-form.c: the form editor.  It renders any form of forms/: one row per
 * field (label, a mark for required fields, the value as a user reads
 * it), the selected field's help below, and edits each field with the
 * editor its type calls for: a line (text, dates, numbers), the
 * multi-line editor (long text), a picker (choices), a toggle (yes/no).
 *
 * Editing happens in memory; nothing is written until "save", which
 * sends the changed fields with the version the form was opened from, so
 * a record saved meanwhile by someone else is never overwritten: the
 * user is told and keeps their text.  If the terminal goes away, the
 * form is saved as an encrypted draft (draft.c).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "case-words.h"
#include "casefile.h"
#include "draft.h"
#include "form.h"
#include "i18n.h"
#include "paths.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "util.h"

struct formview {
	const struct form	*form;
	char			*kind;
	char			*workflow;
	uint64_t		 case_id;
	uint64_t		 rid;
	int			 is_new;
	int64_t			 version;
	struct record		*values;
	struct record		*original;
	size_t			 sel, top;
	int			 readonly;
	char			*why;		/* why, when not the role */
	struct casefile		*cf;		/* the case, for linked records */
	int			 cf_loaded;
	int			 identities;	/* witness names asked */
	char			*attach;	/* a file to attach on save */
};

/*
 * The case's records, read once when a field links to one of them:
 * witnesses by pseudonym, with their names only where the user asked
 * for them on the case (w) and holds their key (a view of their
 * identity, audited as the case view's is).
 */
static const struct casefile *
form_case(struct ui *ui, struct formview *v)
{
	char	*cause = NULL;

	if (!v->cf_loaded && v->case_id != 0) {
		v->cf_loaded = 1;
		if (casefile_open(&ui->ctx, v->case_id, v->identities ?
		    CASEFILE_WITNESSES : 0, &v->cf, &cause) != 0) {
			ui_cause(ui, cause);
			v->cf = NULL;
		}
	}
	return (v->cf);
}

static const char *
form_value(const struct formview *v, const struct form_field *f, size_t *len)
{
	const char	*s = record_get(v->values, f->id, len);

	if (s == NULL) {
		*len = 0;
		return ("");
	}
	return (s);
}

/* A value as a user reads it: labels for codes, first line of text. */
static void
form_display(struct ui *ui, const struct form_field *f, const char *v,
    char *buf, size_t len)
{
	char			*copy, *tok, *save, *nl;
	size_t			 used = 0;

	buf[0] = '\0';
	if (f->list != NULL && formset_list(ui->ctx.forms, f->list) != NULL &&
	    *v != '\0') {
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			used += (size_t)snprintf(buf + used, len > used ? len -
			    used : 0, "%s%s", used ? ", " : "",
			    form_list_label(ui->ctx.forms, f->list, tok));
			if (used >= len)
				break;
		}
		free(copy);
		return;
	}
	if (f->type == FORM_YESNO && *v != '\0') {
		snprintf(buf, len, "%s", strcmp(v, "yes") == 0 ? _("yes") :
		    _("no"));
		return;
	}
	if (f->type == FORM_DATE || f->type == FORM_TIME ||
	    f->type == FORM_DATETIME) {
		copy = form_value_show(f->type, v);
		snprintf(buf, len, "%s", copy);
		free(copy);
		return;
	}
	snprintf(buf, len, "%s", v);
	if ((nl = strchr(buf, '\n')) != NULL) {
		*nl = '\0';
		if (len - (size_t)(nl - buf) > 4)
			snprintf(nl, len - (size_t)(nl - buf), " …");
	}
}

/*
 * The label column is as wide as the longest label, up to two fifths of
 * the screen; a label longer than that ends with an ellipsis in its row
 * and is read whole, wrapped, with the field's help below the fields.
 */
static int
form_label_width(const struct form *fm, int cols)
{
	size_t	 i;
	int	 w = 0, max = cols * 2 / 5, l = lang_index();

	for (i = 0; i < fm->nfields; i++)
		if (ui_text_width(fm->fields[i].label[l]) > w)
			w = ui_text_width(fm->fields[i].label[l]);
	if (w < 12)
		w = 12;
	return (w < max ? w : max);
}

/* The selected field's label (when cut in its row), help and class. */
static char *
form_help_text(const struct form_field *f, int cut)
{
	const char	*help = f->help[lang_index()];
	char		*s;

	xasprintf(&s, "%s%s%s%s%s", cut ? form_lang(f->label) : "",
	    cut && help != NULL ? ": " : cut ? "." : "",
	    help != NULL ? help : "",
	    f->class == FORM_WITNESS && (cut || help != NULL) ? "  " : "",
	    f->class == FORM_WITNESS ? _("Witness identity: sealed under this "
	    "witness's own key.") : "");
	return (s);
}

static void
form_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct formview		*v = data;
	const struct form	*fm = v->form;
	const struct form_field	*f;
	char			 val[512], *line, *title, *help;
	const char		*s;
	size_t			 len, i;
	int			 y, body, hrows, lw, l = lang_index();

	lw = form_label_width(fm, cols);
	f = &fm->fields[v->sel];
	help = form_help_text(f, ui_text_width(f->label[l]) > lw);
	/* The help takes two rows, or up to four when it needs them. */
	hrows = ui_wrap_rows(ui, ui->rows, -1, UI_DIM, help) - ui->rows;
	hrows = hrows < 2 ? 2 : hrows > 4 ? 4 : hrows;
	body = rows - 1 - hrows;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + (size_t)body)
		v->top = v->sel - body + 1;
	if (v->is_new)
		xasprintf(&title, _("%s (new)%s"), fm->title[l],
		    v->readonly ? _("  [read-only]") : "");
	else
		xasprintf(&title, _("%s %" PRIu64 " (version %" PRId64 ")%s"),
		    fm->title[l], v->rid, v->version, v->readonly ?
		    _("  [read-only]") : "");
	ui_line(ui, 0, 0, UI_TITLE, title, cols);
	free(title);
	for (y = 0; y < body; y++) {
		i = v->top + (size_t)y;
		if (i >= fm->nfields) {
			ui_line(ui, 1 + y, 0, UI_NORMAL, "", cols);
			continue;
		}
		f = &fm->fields[i];
		s = form_value(v, f, &len);
		form_display(ui, f, s, val, sizeof val);
		if (f->type == FORM_PERSON && *s != '\0' &&
		    (line = words_link(ui->ctx.forms, form_case(ui, v), s, 1)) != NULL) {
			snprintf(val, sizeof val, "%s", line);
			free(line);
		}
		if (f->type == FORM_FILE && v->attach != NULL)
			snprintf(val, sizeof val, _("%s (attached on saving)"),
			    strrchr(v->attach, '/') != NULL ?
			    strrchr(v->attach, '/') + 1 : v->attach);
		if (f->class == FORM_WITNESS && !v->is_new &&
		    record_get(v->values, "full_name", NULL) == NULL &&
		    strcmp(v->kind, "witness") == 0)
			snprintf(val, sizeof val, "%s", _("(sealed)"));
		/* The label fitted by display width, then the mark. */
		line = xstrdup("");
		ui_cell(&line, f->label[l], lw);
		line[strlen(line) - 1] = '\0';	/* ui_cell's separator */
		xasprintf(&title, "%s%s %s", line, f->required &&
		    f->automatic == NULL ? "*" : " ", val);
		ui_row(ui, 1 + y, f->class == FORM_WITNESS ? UI_BOLD :
		    UI_NORMAL, title, i == v->sel);
		free(title);
		free(line);
	}
	ui_clear_rows(ui, rows - hrows, rows);
	ui_wrap_rows(ui, rows - hrows, hrows, UI_DIM, help);
	free(help);
}

static int
form_changed(const struct formview *v)
{
	const char	*a, *b;
	size_t		 i, la, lb;

	if (v->attach != NULL)
		return (1);
	for (i = 0; i < v->form->nfields; i++) {
		a = record_get(v->values, v->form->fields[i].id, &la);
		b = record_get(v->original, v->form->fields[i].id, &lb);
		if (a == NULL)
			la = 0;
		if (b == NULL)
			lb = 0;
		if (la != lb || (la != 0 && memcmp(a, b, la) != 0))
			return (1);
	}
	return (0);
}

static void
form_set(struct formview *v, const char *id, const char *value)
{
	record_set(v->values, id, value, strlen(value));
}

static void
form_edit_choice(struct ui *ui, struct formview *v, const struct form_field *f)
{
	const struct form_list	*l = formset_list(ui->ctx.forms, f->list);
	const char		**codes, **labels, *cur;
	char			*sel, *out, *n;
	size_t			 i, len;
	int			 k;

	if (l == NULL)
		return;
	codes = xcalloc(l->nitems + 1, sizeof *codes);
	labels = xcalloc(l->nitems + 1, sizeof *labels);
	sel = xcalloc(l->nitems + 1, 1);
	cur = form_value(v, f, &len);
	for (i = 0; i < l->nitems; i++) {
		codes[i] = l->items[i].code;
		labels[i] = form_lang(l->items[i].label);
		if (f->type == FORM_MULTICHOICE) {
			char	*copy = xstrdup(cur), *tok, *save;

			for (tok = strtok_r(copy, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save))
				if (strcmp(tok, codes[i]) == 0)
					sel[i] = 1;
			free(copy);
		}
	}
	k = ui_pick(ui, form_lang(f->label), codes, labels, l->nitems,
	    f->type == FORM_MULTICHOICE, sel);
	if (k >= 0 && f->type == FORM_CHOICE)
		form_set(v, f->id, codes[k]);
	else if (k >= 0) {
		out = xstrdup("");
		for (i = 0; i < l->nitems; i++) {
			if (!sel[i])
				continue;
			xasprintf(&n, "%s%s%s", out, *out ? "," : "", codes[i]);
			free(out);
			out = n;
		}
		form_set(v, f->id, out);
		free(out);
	}
	free(codes);
	free(labels);
	free(sel);
}

/*
 * A field that names a person of the case: picked among the records the
 * form lets it name (link = in forms/: persons, witnesses, an agent's
 * role), stored by record number.
 */
static void
form_edit_link(struct ui *ui, struct formview *v, const struct form_field *f)
{
	const struct casefile	*cf = form_case(ui, v);
	const char		**codes, **labels;
	char			**owned, *words;
	size_t			 i, n = 0;
	int			 k;

	if (cf == NULL)
		return;
	codes = xcalloc(cf->nrecs + 1, sizeof *codes);
	labels = xcalloc(cf->nrecs + 1, sizeof *labels);
	owned = xcalloc(2 * cf->nrecs + 1, sizeof *owned);
	for (i = 0; i < cf->nrecs; i++) {
		if (cf->recs[i].locked || !form_link_allows(f, cf->recs[i].kind,
		    cf->recs[i].fields))
			continue;
		xasprintf(&owned[2 * n], "%" PRIu64, cf->recs[i].rid);
		owned[2 * n + 1] = words_link(ui->ctx.forms, cf, owned[2 * n], 1);
		codes[n] = owned[2 * n];
		labels[n] = owned[2 * n + 1] != NULL ? owned[2 * n + 1] :
		    owned[2 * n];
		n++;
	}
	if (n == 0) {
		words = form_link_words(ui->ctx.forms, f);
		ui_message(ui, 1, _("This case has no record “%s” may name "
		    "yet (a record %s): add it to the case first."),
		    form_lang(f->label), words);
		free(words);
	}
	else if ((k = ui_pick(ui, form_lang(f->label), codes, labels, n, 0,
	    NULL)) >= 0)
		form_set(v, f->id, codes[k]);
	for (i = 0; i < 2 * n; i++)
		free(owned[i]);
	free(owned);
	free(codes);
	free(labels);
}

/* The record numbered rid of the case (for form_check_links()). */
static int
form_link_lookup(void *arg, uint64_t rid, const char **kind,
    const struct record **fields)
{
	const struct casefile_rec	*r = casefile_rec(arg, rid);

	if (r == NULL || r->locked)
		return (-1);
	*kind = r->kind;
	*fields = r->fields;
	return (0);
}

/*
 * Do the links in rec name records the form lets them name?  Else the
 * sentence, and the form stays open with the user's values.
 */
static int
form_links_refused(struct ui *ui, struct formview *v, const struct record *rec)
{
	const struct casefile	*cf = form_case(ui, v);
	char			*cause = NULL;

	if (cf == NULL || !cf->readable)
		return (0);	/* casefile_add() and _edit() refuse */
	if (form_check_links(ui->ctx.forms, v->form, rec, form_link_lookup,
	    (void *)cf, &cause) == 0)
		return (0);
	ui_cause(ui, cause);
	return (1);
}

/* A file's path, attached when the record is saved (ui_attach_path). */
static void
form_edit_file(struct ui *ui, struct formview *v)
{
	char	*path, *cause = NULL;

	if (paths_restricted()) {
		ui_message(ui, 1, "%s", _("Over SSH, dossier reads no file on "
		    "the server: attaching files is not available this way."));
		return;
	}
	if ((path = ui_ask(ui, _("Path of the file to attach: "),
	    v->attach != NULL ? v->attach : "", 1)) == NULL)
		return;
	/* Refused now, not after the record is saved without it. */
	if (*path != '\0' && file_readable(path, CASEFILE_BLOB_MAX,
	    &cause) != 0) {
		ui_cause(ui, cause);
		free(path);
		return;
	}
	free(v->attach);
	v->attach = *path != '\0' ? path : NULL;
	if (v->attach == NULL)
		free(path);
}

/* A refused value's sentence, wrapped above the editing line. */
static void
form_refused(struct ui *ui)
{
	int	 n, max = (ui->rows - 2) / 3;

	n = ui_wrap_rows(ui, ui->rows, -1, UI_ALERT, ui->message) - ui->rows;
	if (n > max)
		n = max;
	ui_wrap_rows(ui, ui->rows - 2 - n, n, UI_ALERT, ui->message);
}

static void
form_edit(struct ui *ui, void *data)
{
	struct formview		*v = data;
	const struct form_field	*f = &v->form->fields[v->sel];
	const char		*cur;
	char			*text, *prompt, *cause = NULL, *shown, *value;
	size_t			 len;
	int			 refused = 0;

	if (v->readonly) {
		ui_message(ui, 1, "%s", v->why != NULL ? v->why :
		    _("This form is read-only for you."));
		return;
	}
	if (f->automatic != NULL) {
		ui_message(ui, 0, "%s", _("This field is filled in "
		    "automatically."));
		return;
	}
	cur = form_value(v, f, &len);
	switch (f->type) {
	case FORM_CHOICE:
	case FORM_MULTICHOICE:
		form_edit_choice(ui, v, f);
		return;
	case FORM_YESNO:
		form_set(v, f->id, strcmp(cur, "yes") == 0 ? "no" :
		    strcmp(cur, "no") == 0 ? "" : "yes");
		return;
	case FORM_FILE:
		form_edit_file(ui, v);
		return;
	case FORM_PERSON:
		if (v->case_id != 0) {
			form_edit_link(ui, v, f);
			return;
		}
		break;
	case FORM_LONGTEXT:
		text = ui_textarea(ui, form_lang(f->label), cur);
		while (text != NULL && form_check_value(ui->ctx.forms, f, text,
		    strlen(text), &cause) != 0) {
			/* Back to the editor with the text and the reason. */
			ui_cause(ui, cause);
			cause = NULL;
			shown = text;
			text = ui_textarea(ui, ui->message, shown);
			free(shown);
		}
		if (text != NULL) {
			form_set(v, f->id, text);
			free(text);
		}
		return;
	default:
		break;
	}
	/* TRANSLATORS: a field's label, its format, then the answer. */
	xasprintf(&prompt, _("%s%s: "), form_lang(f->label),
	    f->type == FORM_DATE ? _(" (dd/mm/yyyy)") : f->type == FORM_TIME ?
	    _(" (hh:mm)") : f->type == FORM_DATETIME ?
	    _(" (dd/mm/yyyy hh:mm)") : "");
	/* Dates and times are edited the way the user writes them. */
	shown = form_value_show(f->type, cur);
	for (;;) {
		text = ui_ask(ui, prompt, shown, 1);
		free(shown);
		shown = NULL;
		if (text == NULL)
			break;
		if (form_value_input(ui->ctx.forms, f, text, &value,
		    &cause) == 0) {
			form_set(v, f->id, value);
			free(value);
			free(text);
			if (refused) {
				free(ui->message);
				ui->message = NULL;
			}
			break;
		}
		/* The sentence above the line, the value kept to correct. */
		ui_cause(ui, cause);
		cause = NULL;
		form_refused(ui);
		refused = 1;
		shown = text;
	}
	free(prompt);
}

/* Before registering a complaint: same facts date, region and force? */
static int
form_duplicates_ok(struct ui *ui, struct formview *v)
{
	struct casefile_filter	 flt;
	struct casefile_summary	*list;
	const char		*region, *force, *date, *r;
	char			*refs, *n, *cause = NULL, *q;
	size_t			 nl, i, found = 0;
	int			 ok = 1;

	region = record_get_str(v->values, "region");
	force = record_get_str(v->values, "force");
	date = record_get_str(v->values, "facts_date");
	if (region == NULL || force == NULL || date == NULL)
		return (1);
	memset(&flt, 0, sizeof flt);
	flt.field = "region";
	flt.value = region;
	if (casefile_list(&ui->ctx, &flt, &list, &nl, &cause) != 0) {
		ui_cause(ui, cause);
		return (1);
	}
	refs = xstrdup("");
	for (i = 0; i < nl && found < 5; i++) {
		r = record_get_str(list[i].header, "force");
		if (r == NULL || strcmp(r, force) != 0)
			continue;
		r = record_get_str(list[i].header, "facts_date");
		if (r == NULL || strcmp(r, date) != 0)
			continue;
		xasprintf(&n, "%s %s", refs,
		    record_get_str(list[i].header, "reference"));
		free(refs);
		refs = n;
		found++;
	}
	casefile_list_free(list, nl);
	if (found > 0) {
		xasprintf(&q, _("Possible duplicates (same date, region and "
		    "force):%s. Register anyway?"), refs);
		ok = ui_confirm(ui, q);
		free(q);
	}
	free(refs);
	return (ok);
}

static void
form_save(struct ui *ui, void *data)
{
	struct formview	*v = data;
	struct record	*changes;
	const char	*a, *b;
	char		*cause = NULL, *ref = NULL;
	uint64_t	 rid, id;
	size_t		 i, la, lb;
	int		 rc;

	if (v->readonly)
		return;
	if (v->is_new && v->case_id == 0) {
		if (!form_duplicates_ok(ui, v))
			return;
		if (casefile_create(&ui->ctx, v->workflow, v->values, &ref,
		    &cause) != 0) {
			ui_cause(ui, cause);
			return;
		}
		ui->list_dirty++;
		ui_pop(ui);
		if (casefile_find(&ui->ctx, ref, &id, &cause) != 0) {
			/* Registered all the same: it is in the list. */
			ui_message(ui, 1, _("Registered %s, but it cannot be "
			    "opened now: %s"), ref, cause != NULL ? cause :
			    _("Failed."));
			free(cause);
		} else {
			ui_message(ui, 0, _("Registered %s."), ref);
			ui_case_open(ui, id);
		}
		free(ref);
		return;
	}
	if (v->is_new) {
		if (form_links_refused(ui, v, v->values))
			return;
		if (casefile_add(&ui->ctx, v->case_id, v->kind, v->values, &rid,
		    &cause) != 0) {
			ui_cause(ui, cause);
			return;
		}
		ui_message(ui, 0, _("Saved as record %" PRIu64 "."), rid);
		ui->list_dirty++;
		if (v->attach != NULL)
			ui_attach_path(ui, v->case_id, rid, v->attach);
		ui_pop(ui);
		return;
	}
	changes = record_create();
	for (i = 0; i < v->form->nfields; i++) {
		a = record_get(v->values, v->form->fields[i].id, &la);
		b = record_get(v->original, v->form->fields[i].id, &lb);
		if (a == NULL)
			a = "", la = 0;
		if (b == NULL)
			lb = 0;
		if (la != lb || (la != 0 && memcmp(a, b, la) != 0))
			record_set(changes, v->form->fields[i].id, a, la);
	}
	if (record_count(changes) == 0) {
		record_free(changes);
		if (v->attach != NULL)
			ui_attach_path(ui, v->case_id, v->rid, v->attach);
		ui_pop(ui);
		return;
	}
	if (form_links_refused(ui, v, changes)) {
		record_free(changes);
		return;
	}
	rc = casefile_edit(&ui->ctx, v->case_id, v->rid, changes, v->version,
	    &cause);
	record_free(changes);
	if (rc != 0) {
		/* A conflict keeps the form open with the user's text. */
		ui_cause(ui, cause);
		return;
	}
	ui_message(ui, 0, "%s", _("Saved."));
	ui->list_dirty++;
	if (v->attach != NULL)
		ui_attach_path(ui, v->case_id, v->rid, v->attach);
	ui_pop(ui);
}

static void
form_down(struct ui *ui, void *data)
{
	struct formview	*v = data;

	(void)ui;
	if (v->sel + 1 < v->form->nfields)
		v->sel++;
}

static void
form_up(struct ui *ui, void *data)
{
	struct formview	*v = data;

	(void)ui;
	if (v->sel > 0)
		v->sel--;
}

static void
form_page_down(struct ui *ui, void *data)
{
	struct formview	*v = data;
	size_t		 page = (size_t)(ui->rows - 6);

	v->sel = v->sel + page < v->form->nfields ? v->sel + page :
	    v->form->nfields - 1;
}

static void
form_page_up(struct ui *ui, void *data)
{
	struct formview	*v = data;
	size_t		 page = (size_t)(ui->rows - 6);

	v->sel = v->sel > page ? v->sel - page : 0;
}

static void
form_cancel(struct ui *ui, void *data)
{
	struct formview	*v = data;

	if (!v->readonly && form_changed(v) &&
	    !ui_confirm(ui, _("Discard your changes?")))
		return;
	ui_pop(ui);
}

/* A read-only form offers no edit and no save. */
static int
form_offers_change(struct ui *ui, void *data)
{
	struct formview	*v = data;

	(void)ui;
	return (!v->readonly);
}

static const struct ui_action form_actions[] = {
	{ .name = "down", .run = form_down },
	{ .name = "up", .run = form_up },
	{ .name = "page-down", .run = form_page_down },
	{ .name = "page-up", .run = form_page_up },
	{ .name = "edit", .run = form_edit, .offered = form_offers_change },
	{ .name = "save", .run = form_save, .offered = form_offers_change },
	{ .name = "cancel", .run = form_cancel },
	{ .name = NULL }
};

/*
 * The text of the field being typed when the terminal went away (kept by
 * ui-prompt.c) goes into the draft too: stored as the field stores it
 * when it is valid (a date typed 28/11/2026), else as typed, to correct.
 */
static void
form_hangup_typed(struct ui *ui, struct formview *v)
{
	const struct form_field	*f;
	char			*typed, *value, *cause = NULL;

	if ((typed = ui_prompt_unsaved(ui)) == NULL)
		return;
	if (!v->readonly && ui->depth > 0 &&
	    ui->stack[ui->depth - 1].data == v && v->sel < v->form->nfields) {
		f = &v->form->fields[v->sel];
		if (form_value_input(ui->ctx.forms, f, typed, &value,
		    &cause) == 0) {
			form_set(v, f->id, value);
			free_wiped(value);
		} else {
			free(cause);
			form_set(v, f->id, typed);
		}
	}
	free_wiped(typed);
}

/* The terminal went away: keep the edits as an encrypted draft. */
static void
form_hangup(struct ui *ui, void *data)
{
	struct formview	*v = data;
	struct draft	 d;
	char		*cause = NULL;

	form_hangup_typed(ui, v);
	if (v->readonly || !form_changed(v))
		return;
	memset(&d, 0, sizeof d);
	d.kind = v->kind;
	d.workflow = v->workflow;
	d.case_id = v->case_id;
	d.rid = v->rid;
	d.is_new = v->is_new;
	d.version = v->version;
	d.fields = v->values;
	if (draft_save(ui->ctx.sess, &d, &cause) != 0)
		free(cause);
}

static void
form_free(void *data)
{
	struct formview	*v = data;

	record_free(v->values);
	record_free(v->original);
	casefile_free(v->cf);
	free(v->attach);
	free(v->why);
	free(v->kind);
	free(v->workflow);
	free(v);
}

static const struct screen ui_form_screen = {
	.name = "form",
	.keys = KEYMAP_FORM,
	.draw = form_draw,
	.actions = form_actions,
	.free = form_free,
	.hangup = form_hangup,
};

/*
 * Open a form: kind, the case (0 for a new complaint), the record (when
 * not new), its values and version.
 */
void
ui_form_open(struct ui *ui, const char *kind, uint64_t case_id, uint64_t rid,
    const struct record *values, int64_t version, int is_new,
    const char *workflow)
{
	ui_form_open_why(ui, kind, case_id, rid, values, version, is_new,
	    workflow, NULL);
}

/* The same, read-only for the reason given (a closed case) if any. */
void
ui_form_open_why(struct ui *ui, const char *kind, uint64_t case_id,
    uint64_t rid, const struct record *values, int64_t version, int is_new,
    const char *workflow, const char *why)
{
	const struct form	*fm = formset_form(ui->ctx.forms, kind);
	struct formview		*v;
	enum role		 role = ui->ctx.sess->user->role;

	if (fm == NULL) {
		ui_message(ui, 1, _("There is no form '%s'."), kind);
		return;
	}
	v = xcalloc(1, sizeof *v);
	v->form = fm;
	v->kind = xstrdup(kind);
	v->workflow = xstrdup(workflow != NULL && *workflow != '\0' ?
	    workflow : "inspection");
	v->case_id = case_id;
	v->rid = rid;
	v->is_new = is_new & UI_FORM_NEW;
	v->identities = (is_new & UI_FORM_IDENTITIES) != 0;
	v->version = version;
	v->values = values != NULL ? record_copy(values) : record_create();
	/* Shown from the start: the received date of a new complaint. */
	if (v->is_new)
		form_fill_automatic(fm, v->values, now());
	/* A resumed draft: every field counts as changed. */
	v->original = (is_new & (UI_FORM_NEW | UI_FORM_DRAFT)) ?
	    record_create() : record_copy(values);
	if (v->is_new && case_id == 0)
		v->readonly = !access_allows(role, ACCESS_CREATE_CASE);
	else
		v->readonly = !access_allows(role, ACCESS_EDIT_CASE);
	/* At a replica a record is shown, not edited. */
	if (!v->readonly && store_site_refuses(ui->store, &v->why) != 0)
		v->readonly = 1;
	if (!v->readonly && why != NULL) {
		v->readonly = 1;
		v->why = xstrdup(why);
	}
	ui_push(ui, &ui_form_screen, v);
	/* Said at once, not at the first key that would change it. */
	if (why != NULL)
		ui_message(ui, 0, "%s", why);
}
