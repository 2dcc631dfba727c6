/*
 * ui-case-move.c: a case moved from the screens.  The moves offered are
 * those the user's role may make from the case's state; a reason is
 * asked (some moves require one); a move a guard would refuse says what
 * is missing before anything else is asked; then the state it leads to
 * and the deadline the case will have there are shown, and the move is
 * made only once confirmed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "record.h"
#include "session.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

/* A header field of the case, or "". */
static const char *
move_str(const struct casefile *cf, const char *k)
{
	return (str_or(record_get_str(cf->header, k), ""));
}

/*
 * Before a move is made: the state it leads to, by its label, and the
 * deadline the case will have there, wrapped above the question.
 */
static int
move_confirm(struct ui *ui, const struct casefile *cf,
    const struct workflow *wf, const struct workflow_transition *tr,
    const char *state)
{
	struct workflow_clock	 clock;
	const char		*to;
	char			*text, *shown, day[11];
	int			 n, max = (ui->rows - 2) / 3;

	casefile_clock(cf->header, &clock);
	to = workflow_target(tr, &clock);
	workflow_clock_move(wf, &clock, state, to, casefile_today());
	if (clock.deadline != 0) {
		format_day(clock.deadline, day);
		shown = form_value_show(FORM_DATE, day);
		xasprintf(&text, _("The case will be “%s”, with a new deadline: "
		    "%s."), workflow_state_label(wf, to), shown);
		free(shown);
	} else if (clock.paused_since != 0)
		xasprintf(&text, _("The case will be “%s”; its clock stops "
		    "there."), workflow_state_label(wf, to));
	else
		xasprintf(&text, _("The case will be “%s”, with no deadline "
		    "there."), workflow_state_label(wf, to));
	n = ui_wrap_rows(ui, ui->rows, -1, UI_BOLD, text) - ui->rows;
	if (n > max)
		n = max;
	ui_wrap_rows(ui, ui->rows - 2 - n, n, UI_BOLD, text);
	free(text);
	return (ui_confirm(ui, _("Make this move?")));
}

void
ui_case_move(struct ui *ui, const struct casefile *cf)
{
	const struct workflow			*wf;
	const struct workflow_transition	*tr;
	const char				*state, **codes, **labels;
	char					*reason = NULL, *cause = NULL;
	size_t					 n = 0, i, j;
	int					 k;

	state = move_str(cf, "state");
	if ((wf = workflow_find(ui->ctx.flows, move_str(cf, "workflow"))) ==
	    NULL)
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
				labels[n++] = form_lang(tr->label);
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
	/* A move that would be refused says why before anything is asked. */
	if (casefile_move_check(&ui->ctx, cf->id, codes[k], reason,
	    &cause) != 0) {
		ui_cause(ui, cause);
		goto out;
	}
	if (!move_confirm(ui, cf, wf, tr, state)) {
		ui_message(ui, 0, "%s", _("The case was not moved."));
		goto out;
	}
	if (casefile_move(&ui->ctx, cf->id, codes[k], reason, &cause) != 0)
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

/* Does the user's role have a move from the case's state? */
int
ui_case_has_move(struct ui *ui, const struct casefile *cf)
{
	const struct workflow	*wf;
	const char		*state;
	size_t			 i, j;

	if (cf == NULL)
		return (0);
	state = move_str(cf, "state");
	if ((wf = workflow_find(ui->ctx.flows, move_str(cf, "workflow"))) ==
	    NULL)
		return (0);
	for (i = 0; i < wf->ntransitions; i++) {
		if ((wf->transitions[i].roles &
		    (1U << ui->ctx.sess->user->role)) == 0)
			continue;
		for (j = 0; j < wf->transitions[i].nfrom; j++)
			if (strcmp(wf->transitions[i].from[j], state) == 0)
				return (1);
	}
	return (0);
}
