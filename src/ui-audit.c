/*
 * ui-audit.c: the audit log for supervisors and auditors: whether the
 * chain and every signature verify, then the entries, newest first.
 * A pager (ui-pager.c) with the help screen's keys; an entry too long
 * for the width goes on over the next rows.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "account.h"
#include "audit.h"
#include "session.h"
#include "form.h"
#include "i18n.h"
#include "ui.h"
#include "util.h"

/* The verdict on the chain, shown as the pager's title; the entries. */
struct auditview {
	char		*status;
	int		 ok;
	char		**lines;	/* newest first */
	size_t		  n;
};

/* The entries as read, oldest first. */
struct auditlines {
	char				**lines;
	size_t				  n;
	const struct formset		 *forms;	/* for the details */
	const struct workflow_set	 *flows;
};

static int
audit_collect_line(const struct audit_entry *e, void *arg)
{
	struct auditlines	*l = arg;
	char			 when[17], *shown, *line, *cells, *at = NULL;
	char			*words;
	const char		*ref, *detail;

	format_time(e->time, when);
	shown = form_value_show(FORM_DATETIME, when);
	/* Columns by display width: names and details may be accented. */
	cells = xstrdup("");
	ui_cell(&cells, shown, 18);
	ui_cell(&cells, e->user, 10);
	ui_cell(&cells, audit_action_words(e->action), 22);
	/* What it concerns, in the rest of the line: the case, the detail. */
	ref = e->caseref != NULL ? e->caseref : "";
	words = audit_detail_labels(l->forms, l->flows, e->action,
	    e->caseref, e->detail != NULL ? e->detail : "");
	detail = words;
	if (e->via != NULL) {	/* made at a replica */
		xasprintf(&at, *detail != '\0' ? _("%s (at %s)") :
		    _("%s(at %s)"), detail, e->via);
		detail = at;
	}
	xasprintf(&line, "%6" PRIu64 " %s%s%s%s", e->seq, cells, ref,
	    *ref != '\0' && *detail != '\0' ? " " : "", detail);
	free(at);
	free(words);
	free(cells);
	free(shown);
	l->lines = xrealloc(l->lines, (l->n + 1) * sizeof *l->lines);
	l->lines[l->n++] = line;
	return (0);
}

static char *
audit_title(struct ui *ui, struct ui_pager *p, int *kind)
{
	struct auditview	*a = p->data;

	(void)ui;
	*kind = a->ok ? UI_TITLE : UI_ALERT;
	return (xstrdup(a->status));
}

/*
 * Each entry wrapped to the width, its rows after the first under the
 * time: a long detail is read whole, not cut.
 */
static void
audit_layout(struct ui *ui, struct ui_pager *p, int cols)
{
	struct auditview	*a = p->data;
	size_t			 i;

	(void)ui;
	for (i = 0; i < a->n; i++)
		ui_pager_add_wrapped(p, UI_NORMAL, a->lines[i], cols, 7);
}

static void
audit_free(void *data)
{
	struct auditview	*a = data;
	size_t			 i;

	for (i = 0; i < a->n; i++)
		free(a->lines[i]);
	free(a->lines);
	free(a->status);
	free(a);
}

static const struct ui_pager_class audit_pager = {
	.layout = audit_layout,
	.title = audit_title,
	.free = audit_free,
};

static const struct screen ui_audit_screen = {
	.name = "audit",
	.keys = KEYMAP_HELP,
	.draw = ui_pager_draw,
	.key = ui_pager_key,
	.offers = ui_pager_offers,
	.free = ui_pager_free,
};

void
ui_audit_open(struct ui *ui)
{
	struct auditview	*a = xcalloc(1, sizeof *a);
	struct auditlines	 l = { NULL, 0, NULL, NULL };
	struct ui_pager		*p;
	uint64_t		 count, bad;
	char			*cause = NULL;

	if (account_verify_audit(ui->store, ui->ctx.sess, &count, &bad,
	    &cause) == 0) {
		a->ok = 1;
		xasprintf(&a->status, _("Audit log intact: %" PRIu64 " entries, "
		    "every link and signature verified."), count);
	} else {
		xasprintf(&a->status, "%s", cause);
		free(cause);
		cause = NULL;
	}
	l.forms = ui->ctx.forms;
	l.flows = ui->ctx.flows;
	if (audit_list(ui->store, ui->ctx.sess->user->role,
	    audit_collect_line, &l, &cause) != 0)
		ui_cause(ui, cause);
	/* Newest first. */
	a->lines = xcalloc(l.n + 1, sizeof *a->lines);
	while (l.n > 0)
		a->lines[a->n++] = l.lines[--l.n];
	free(l.lines);
	p = ui_pager_create(&audit_pager, a);
	ui_push(ui, &ui_audit_screen, p);
}

/* The "audit" key of the list and the dashboard, for those who may read. */
void
ui_audit_action(struct ui *ui, void *data)
{
	char	*cause = NULL;

	(void)data;
	if (session_require(ui->ctx.sess, ACCESS_READ_AUDIT, &cause) != 0)
		ui_cause(ui, cause);
	else
		ui_audit_open(ui);
}

int
ui_audit_offered(struct ui *ui, void *data)
{
	(void)data;
	return (access_allows(ui->ctx.sess->user->role, ACCESS_READ_AUDIT));
}
