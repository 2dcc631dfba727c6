/*
 * ui-draft.c: offering back, at sign-in, the form that was open when the
 * terminal went away (draft.c keeps it encrypted).
 *
 * The question names the form, the case and the time, so that a user
 * with several cases knows what they are taking back.  The draft is
 * deleted only once answered: if the terminal goes away again while the
 * question is on screen (a link that drops twice), it is offered again
 * at the next sign-in.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casefile.h"
#include "draft.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "ui.h"
#include "util.h"

/* When a draft was kept, as the user's language writes it, local time. */
static char *
draft_when(int64_t t)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;
	char		 buf[32];

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm) == 0)
		return (xstrdup("?"));
	return (form_value_show(FORM_DATETIME, buf));
}

/* The case a draft belongs to, by its reference. */
static char *
draft_case(struct ui *ui, uint64_t id)
{
	struct casefile	*cf;
	const char	*ref;
	char		*cause = NULL, *out;

	if (casefile_open(&ui->ctx, id, 0, &cf, &cause) != 0) {
		free(cause);
		xasprintf(&out, "%" PRIu64, id);
		return (out);
	}
	ref = record_get_str(cf->header, "reference");
	xasprintf(&out, "%s", ref != NULL ? ref : "?");
	casefile_free(cf);
	return (out);
}

static char *
draft_question(struct ui *ui, const struct draft *d)
{
	const struct form	*fm = formset_form(ui->ctx.forms, d->kind);
	const char		*title;
	char			*when, *ref, *q;

	title = fm != NULL ? fm->title[lang_index()] : d->kind;
	when = draft_when(d->saved);
	if (d->case_id == 0)
		xasprintf(&q, _("Resume the new complaint (form \"%s\") you "
		    "left open on %s?"), title, when);
	else {
		ref = draft_case(ui, d->case_id);
		if (d->is_new)
			xasprintf(&q, _("Resume the form \"%s\" (a new record) "
			    "of case %s you left open on %s?"), title, ref,
			    when);
		else
			xasprintf(&q, _("Resume the form \"%s\" (record "
			    "%" PRIu64 ") of case %s you left open on %s?"),
			    title, d->rid, ref, when);
		free(ref);
	}
	free(when);
	return (q);
}

void
ui_draft_offer(struct ui *ui)
{
	struct draft	*d;
	char		*cause = NULL, *q, *held;
	int		 yes, held_error;

	if (draft_load(ui->ctx.sess, &d, &cause) != 0) {
		ui_cause(ui, cause);
		return;
	}
	if (d == NULL)
		return;
	q = draft_question(ui, d);
	/*
	 * A message shown at sign-in (an account awaiting approval, a bad
	 * setting) comes back whole after the question, rather than half
	 * hidden under it.
	 */
	held = ui->message;
	held_error = ui->error;
	ui->message = NULL;
	ui_redraw(ui);		/* the list under the question */
	yes = ui_confirm(ui, q);
	free(q);
	if (held != NULL && ui->message == NULL) {
		ui->message = held;
		ui->error = held_error;
	} else
		free(held);
	if (ui->quit) {
		/* Gone while asking: keep the draft for next time. */
		draft_free(d);
		return;
	}
	if (yes)
		ui_form_open(ui, d->kind, d->case_id, d->rid, d->fields,
		    d->version, (d->is_new ? UI_FORM_NEW : 0) | UI_FORM_DRAFT,
		    d->workflow);
	if (draft_delete(ui->ctx.sess, &cause) != 0)
		ui_cause(ui, cause);
	draft_free(d);
}
