/*
 * ui-audit.c: the audit log for supervisors and auditors: whether the
 * chain and every signature verify, then the entries, newest first.
 * It uses the help screen's keys (up, down, pages, back).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "session.h"
#include "form.h"
#include "i18n.h"
#include "ui.h"
#include "util.h"

struct auditview {
	char		**lines;
	size_t		  n, top;
	char		 *status;
	int		  ok;
};

static int
audit_collect_line(const struct audit_entry *e, void *arg)
{
	struct auditview	*a = arg;
	char			 when[17], *shown, *line, *cells;
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
	detail = e->detail != NULL ? e->detail : "";
	xasprintf(&line, "%6" PRIu64 " %s%s%s%s", e->seq, cells, ref,
	    *ref != '\0' && *detail != '\0' ? " " : "", detail);
	free(cells);
	free(shown);
	a->lines = xrealloc(a->lines, (a->n + 1) * sizeof *a->lines);
	a->lines[a->n++] = line;
	return (0);
}

static void
audit_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct auditview	*a = data;
	size_t			 i;
	int			 y;

	ui_line(ui, 0, 0, a->ok ? UI_TITLE : UI_ALERT, a->status, cols);
	for (y = 1; y < rows; y++) {
		i = a->top + (size_t)(y - 1);
		/* newest first */
		ui_line(ui, y, 0, UI_NORMAL, i < a->n ? a->lines[a->n - 1 - i] :
		    "", cols);
	}
}

static void
audit_key(struct ui *ui, void *data, const char *action, int key)
{
	struct auditview	*a = data;
	size_t			 page = (size_t)(ui->rows - 4);

	(void)key;
	if (action == NULL)
		return;
	if (strcmp(action, "down") == 0 && a->top + 1 < a->n)
		a->top++;
	else if (strcmp(action, "up") == 0 && a->top > 0)
		a->top--;
	else if (strcmp(action, "page-down") == 0 && a->top + page < a->n)
		a->top += page;
	else if (strcmp(action, "page-up") == 0)
		a->top = a->top > page ? a->top - page : 0;
	else if (strcmp(action, "back") == 0)
		ui_pop(ui);
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

static const struct screen ui_audit_screen = {
	.name = "audit",
	.keys = KEYMAP_HELP,
	.draw = audit_draw,
	.key = audit_key,
	.free = audit_free,
};

void
ui_audit_open(struct ui *ui)
{
	struct auditview	*a = xcalloc(1, sizeof *a);
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
	if (audit_list(ui->store, ui->ctx.sess->user->role, audit_collect_line, a, &cause) != 0)
		ui_cause(ui, cause);
	ui_push(ui, &ui_audit_screen, a);
}
