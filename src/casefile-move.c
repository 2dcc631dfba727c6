/*
 * casefile-move.c: the workflow of a case: moves from state to state
 * (guards, deadlines), the check a screen makes before asking for a
 * confirmation, and events at any stage.  Both are entries of
 * casefile-change.c's table.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"



long
casefile_today(void)
{
	return ((long)(now() / 86400));
}

void
casefile_clock(const struct record *h, struct workflow_clock *c)
{
	const char	*p;

	memset(c, 0, sizeof *c);
	c->entered = record_get_int(h, "clock.entered", 0);
	c->deadline = record_get_int(h, "clock.deadline", 0);
	c->paused_since = record_get_int(h, "clock.paused_since", 0);
	c->paused_days = record_get_int(h, "clock.paused_days", 0);
	c->resume_left = record_get_int(h, "clock.resume_left", 0);
	c->resume = record_get_int(h, "clock.resume", 0);
	if ((p = record_get_str(h, "clock.previous")) != NULL)
		snprintf(c->previous, sizeof c->previous, "%s", p);
}

void
cf_set_clock(struct record *h, const struct workflow_clock *c)
{
	record_set_int(h, "clock.entered", c->entered);
	record_set_int(h, "clock.deadline", c->deadline);
	record_set_int(h, "clock.paused_since", c->paused_since);
	record_set_int(h, "clock.paused_days", c->paused_days);
	record_set_int(h, "clock.resume_left", c->resume_left);
	record_set_int(h, "clock.resume", c->resume);
	record_set_str(h, "clock.previous", c->previous);
}


/* Before any key: the workflow, the transition, the role, the reason. */
int
cf_move_applies(struct cf_tx *x, char **cause)
{
	const struct workflow		*wf;
	const struct workflow_transition *tr;
	const char			*state = record_get_str(x->h, "state");

	if ((wf = cf_workflow(x->ctx, x->h, cause)) == NULL || state == NULL)
		return (-1);
	tr = workflow_transition(wf, state, x->op->name);
	return (workflow_allows(wf, tr, state, x->ctx->sess->user->role,
	    x->op->text, cause));
}

int
cf_move_apply(struct cf_tx *x, char **cause)
{
	struct cf_op			*op = x->op;
	const struct workflow		*wf;
	const struct workflow_transition *tr;
	struct workflow_clock		 clock;
	struct cf_guard_view		 gv;
	char				*from, *to;
	int				 rc = 0;

	/* cf_move_applies() found them. */
	wf = cf_workflow(x->ctx, x->h, cause);
	from = xstrdup(record_get_str(x->h, "state"));
	tr = workflow_transition(wf, from, op->name);
	casefile_clock(x->h, &clock);
	to = xstrdup(workflow_target(tr, &clock));
	if (workflow_state(wf, to) == NULL) {
		rc = err_set(cause, _("There is no state to return to."));
		goto out;
	}
	/* What the move requires first (workflow-guard.c). */
	if (tr->nguards != 0) {
		if ((rc = cf_guard_view(x->t, op->id, x->h, x->ck, &gv,
		    cause)) == 0)
			rc = workflow_guards_allow(wf, tr, to, x->ctx->forms,
			    gv.items, gv.n, casefile_today(), cause);
		cf_guard_view_free(&gv);
		if (rc != 0)
			goto out;
	}
	if (op->check_only)
		goto out;	/* allowed, not made */
	workflow_clock_move(wf, &clock, from, to, casefile_today());
	cf_set_clock(x->h, &clock);
	record_set_str(x->h, "state", to);
	record_set_str(x->jenv, "from", from);
	record_set_str(x->jenv, "to", to);
	record_set_str(x->jenv, "transition", tr->id);
	if (op->text != NULL && *op->text != '\0')
		record_set_str(x->jbody, "reason", op->text);
	xasprintf(&x->detail, "%s -> %s", from, to);
out:
	free(from);
	free(to);
	return (rc);
}

/* Move a case by a transition id or the name of the state it leads to. */
int
casefile_move(struct casefile_ctx *ctx, uint64_t id, const char *name,
    const char *reason, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.name = name;
	op.text = reason;
	return (cf_change(ctx, CF_MOVE, &op, cause));
}

/*
 * Would casefile_move() make this move now?  The same checks (role,
 * reason, key, guards) in a transaction that keeps nothing, so that the
 * screens ask for a confirmation only of a move that can be made.
 */
int
casefile_move_check(struct casefile_ctx *ctx, uint64_t id, const char *name,
    const char *reason, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.name = name;
	op.text = reason;
	op.check_only = 1;
	return (cf_change(ctx, CF_MOVE, &op, cause));
}

static const char *cf_events[] = {
	"referral_prosecutor",	/* referred to the public prosecutor */
	"interim_measure",	/* suspension or other interim measure */
	"protection_measure",	/* a witness or victim protection step */
	"notification",		/* a notification to agent or complainant */
	"note"
};

int
casefile_event_valid(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof cf_events / sizeof cf_events[0]; i++)
		if (strcmp(cf_events[i], name) == 0)
			return (1);
	return (0);
}

int
cf_event_prepare(struct cf_op *op, char **cause)
{
	if (!casefile_event_valid(op->name))
		return (err_set(cause, _("Unknown event '%s': use "
		    "referral_prosecutor, interim_measure, protection_measure, "
		    "notification or note."), op->name));
	return (0);
}

int
cf_event_apply(struct cf_tx *x, char **cause)
{
	struct cf_op	*op = x->op;

	(void)cause;
	record_set_str(x->jenv, "event", op->name);
	record_set_str(x->jenv, "state", record_get_str(x->h, "state"));
	if (op->text != NULL && *op->text != '\0')
		record_set_str(x->jbody, "text", op->text);
	if (strcmp(op->name, "referral_prosecutor") == 0)
		record_set_int(x->h, "referred", now());
	x->detail = xstrdup(op->name);
	return (0);
}

/* An event at any stage (referral to the prosecutor, ...). */
int
casefile_event(struct casefile_ctx *ctx, uint64_t id, const char *name,
    const char *text, char **cause)
{
	struct cf_op	 op;

	memset(&op, 0, sizeof op);
	op.id = id;
	op.name = name;
	op.text = text;
	return (cf_change(ctx, CF_EVENT, &op, cause));
}
