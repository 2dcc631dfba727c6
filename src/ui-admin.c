/*
 * ui-admin.c: accounts for administrators: names, roles, status; enable
 * or disable with Enter.  An administrator sees no case content: this is
 * their only screen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "i18n.h"
#include "ui.h"
#include "util.h"

struct admin {
	struct account	**users;
	size_t		  n, sel;
	int		  loaded;
};

static void
admin_load(struct ui *ui, struct admin *a)
{
	char	*cause = NULL;

	account_list_free(a->users, a->n);
	a->users = NULL;
	a->n = 0;
	if (account_list(ui->store, &a->users, &a->n, &cause) != 0)
		ui_cause(ui, cause);
	if (a->sel >= a->n)
		a->sel = 0;
	a->loaded = 1;
}

static void
admin_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct admin	*a = data;
	char		 line[200], day[11];
	size_t		 i;
	int		 y;

	if (!a->loaded)
		admin_load(ui, a);
	snprintf(line, sizeof line, _("Accounts: %zu  |  %s (%s)"), a->n,
	    ui->ctx.sess->user->name, access_role_label(ui->ctx.sess->user->role));
	ui_line(ui, 0, 0, UI_TITLE, line, cols);
	snprintf(line, sizeof line, "%-20s %-14s %-11s %s", _("Name"),
	    _("Role"), _("Created"), _("Status"));
	ui_line(ui, 1, 0, UI_DIM, line, cols);
	for (y = 2; y < rows - 1; y++) {
		i = (size_t)(y - 2);
		if (i >= a->n) {
			ui_line(ui, y, 0, UI_NORMAL, "", cols);
			continue;
		}
		format_day((long)(a->users[i]->created / 86400), day);
		snprintf(line, sizeof line, "%-20s %-14s %-11s %s",
		    a->users[i]->name, access_role_label(a->users[i]->role), day,
		    a->users[i]->disabled ? _("disabled") :
		    a->users[i]->must_change ? _("must change passphrase") :
		    _("active"));
		ui_row(ui, y, a->users[i]->disabled ? UI_DIM : UI_NORMAL, line,
		    i == a->sel);
	}
	ui_line(ui, rows - 1, 0, UI_DIM, _("Enter: disable or enable the "
	    "account.  Add accounts with 'dossier user add'."), cols);
}

static void
admin_key(struct ui *ui, void *data, const char *action, int key)
{
	struct admin	*a = data;
	struct account	*u;
	char		*cause = NULL, *q;

	if (key == KEYC_ENTER && a->sel < a->n) {
		u = a->users[a->sel];
		xasprintf(&q, u->disabled ? _("Enable %s?") : _("Disable %s?"),
		    u->name);
		if (ui_confirm(ui, q)) {
			if (account_set_disabled(ui->ctx.sess, u->name,
			    !u->disabled, &cause) != 0)
				ui_cause(ui, cause);
			a->loaded = 0;
		}
		free(q);
		return;
	}
	if (action == NULL)
		return;
	if (strcmp(action, "down") == 0 && a->sel + 1 < a->n)
		a->sel++;
	else if (strcmp(action, "up") == 0 && a->sel > 0)
		a->sel--;
	else if (strcmp(action, "back") == 0)
		ui_pop(ui);
}

static void
admin_free(void *data)
{
	struct admin	*a = data;

	account_list_free(a->users, a->n);
	free(a);
}

static const struct screen ui_admin_screen = {
	.name = "admin",
	.keys = KEYMAP_ADMIN,
	.draw = admin_draw,
	.key = admin_key,
	.free = admin_free,
};

void
ui_admin_open(struct ui *ui)
{
	ui_push(ui, &ui_admin_screen, xcalloc(1, sizeof (struct admin)));
}
