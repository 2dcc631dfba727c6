/*
 * ui-admin.c: the accounts: names, roles, status.  Administrators add an
 * account, disable or enable one (an administrator sees no case content:
 * this is their only screen); supervisors and auditors approve one,
 * typing the fingerprint its owner reads to them (trust.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "form.h"
#include "i18n.h"
#include "minisign.h"
#include "session.h"
#include "text.h"
#include "trust.h"
#include "ui.h"
#include "util.h"
#include "vault.h"

struct admin {
	struct ui_listbox lb;		/* first: its moves serve */
	struct account	**users;
	int		 *approved;
	size_t		  n;
	int		  loaded;
};

static int	 admin_refused(struct ui *);

static void
admin_load(struct ui *ui, struct admin *a)
{
	char	*cause = NULL;

	account_list_free(a->users, a->n);
	a->users = NULL;
	a->n = 0;
	free(a->approved);
	if (account_list(ui->store, &a->users, &a->n, &cause) != 0)
		ui_cause(ui, cause);
	a->approved = xcalloc(a->n + 1, sizeof *a->approved);
	if (trust_mark_approved(ui->store, ui->ctx.sess->user, a->users, a->n,
	    a->approved, &cause) != 0)
		ui_cause(ui, cause);
	ui_listbox_reset(&a->lb, a->n);
	a->loaded = 1;
}

/* One row of the table, columns padded by display width. */
static char *
admin_columns(const int *w, const char *name, const char *role,
    const char *created, const char *status)
{
	char	*row = xstrdup(""), *n;

	ui_cell(&row, name, w[0]);
	ui_cell(&row, role, w[1]);
	ui_cell(&row, created, w[2]);
	xasprintf(&n, "%s%s", row, status);
	free(row);
	return (n);
}

/* Name, role and date columns as wide as the widest of each. */
static void
admin_widths(struct admin *a, int *w)
{
	size_t	 i;
	int	 k;

	w[0] = ui_text_width(_("Name"));
	w[1] = ui_text_width(_("Role"));
	w[2] = ui_text_width(_("Created"));
	if (w[2] < 10)
		w[2] = 10;
	for (i = 0; i < a->n; i++) {
		if ((k = ui_text_width(a->users[i]->name)) > w[0])
			w[0] = k;
		k = ui_text_width(access_role_label(a->users[i]->role));
		if (k > w[1])
			w[1] = k;
	}
	if (w[0] > 24)
		w[0] = 24;
}

static const char *
admin_status(const struct account *u, int approved)
{
	if (u->disabled)
		return (_("disabled"));
	if (u->must_change)
		return (_("must change passphrase"));
	if (u->role != ROLE_ADMIN && !approved)
		return (_("awaiting approval"));
	return (_("active"));
}

static void
admin_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct admin	*a = data;
	uint8_t		 kid[VAULT_KEYID_LEN];
	char		 line[200], day[11], *row, hex[2 * VAULT_KEYID_LEN + 1];
	char		 fp[VAULT_FINGERPRINT_LEN + 1], *foot[3], *shown;
	size_t		 i;
	int		 y, k, w[3], nf[3], bottom;

	if (!a->loaded)
		admin_load(ui, a);
	admin_widths(a, w);
	/* Below the table, wrapped at words: fingerprints and advice. */
	if (ui_listbox_selected(&a->lb, &i)) {
		vault_keyid(a->users[i]->sign_pk, kid);
		minisign_keyid_hex(kid, hex);	/* as minisign shows it */
		/*
		 * Not the account's fingerprint: the approver types the one
		 * its owner reads out, and one shown here could be copied
		 * instead, which would check nothing.
		 */
		xasprintf(&foot[0], _("%s: minisign key %s"),
		    a->users[i]->name, hex);
	} else
		foot[0] = xstrdup("");
	vault_fingerprint(ui->ctx.sess->user->org_pk, fp);
	xasprintf(&foot[1], _("Organisation recovery key: %s"), fp);
	foot[2] = xstrdup(ui->ctx.sess->user->role == ROLE_ADMIN ?
	    _("New accounts choose their own passphrase, then a supervisor or "
	    "auditor approves them.") : _("Approve an account (p) once its "
	    "owner has read you its fingerprint."));
	for (k = 0; k < 3; k++)
		nf[k] = ui_wrap_rows(ui, ui->rows, -1, UI_NORMAL, foot[k]) -
		    ui->rows;
	bottom = rows - nf[0] - nf[1] - nf[2];
	snprintf(line, sizeof line, _("Accounts: %zu  |  %s (%s)"), a->n,
	    ui->ctx.sess->user->name, access_role_label(ui->ctx.sess->user->role));
	ui_line(ui, 0, 0, UI_TITLE, line, cols);
	row = admin_columns(w, _("Name"), _("Role"), _("Created"), _("Status"));
	ui_line(ui, 1, 0, UI_DIM, row, cols);
	free(row);
	ui_listbox_show(&a->lb, bottom - 2);
	for (y = 2; y < bottom; y++) {
		i = a->lb.top + (size_t)(y - 2);
		if (i >= a->n) {
			ui_line(ui, y, 0, UI_NORMAL, "", cols);
			continue;
		}
		format_day((long)(a->users[i]->created / 86400), day);
		shown = form_value_show(FORM_DATE, day);
		row = admin_columns(w, a->users[i]->name,
		    access_role_label(a->users[i]->role), shown,
		    admin_status(a->users[i], a->approved[i]));
		free(shown);
		ui_row(ui, y, a->users[i]->disabled ? UI_DIM : UI_NORMAL, row,
		    ui_listbox_is_selected(&a->lb, i));
		free(row);
	}
	for (k = 0, y = bottom; k < 3; k++) {
		y = ui_wrap_rows(ui, y, nf[k], k == 2 ? UI_DIM : UI_NORMAL,
		    foot[k]);
		free(foot[k]);
	}
}

/* Approve the selected account with the fingerprint its owner reads. */
static void
admin_approve(struct ui *ui, void *data)
{
	struct admin	*a = data;
	struct account	*u;
	char		*q, *fp, *cause = NULL;
	size_t		 i;

	/* The administrator introduces; someone else approves. */
	if (ui->ctx.sess->user->role == ROLE_ADMIN) {
		ui_message(ui, 1, "%s", _("Only a supervisor or auditor, or the "
		    "holder of the organisation recovery key, can approve an "
		    "account."));
		return;
	}
	if (!ui_listbox_selected(&a->lb, &i))
		return;
	u = a->users[i];
	xasprintf(&q, _("Approve %s as %s: the fingerprint they read to "
	    "you: "), u->name, access_role_label(u->role));
	fp = ui_ask(ui, q, "", 0);
	free(q);
	if (fp == NULL)
		return;
	if (trust_approve(ui->ctx.sess, u->name, fp, NULL, &cause) != 0)
		ui_cause(ui, cause);
	else {
		ui_message(ui, 0, _("Approved %s: they receive the keys their "
		    "role needs."), u->name);
		a->loaded = 0;
	}
	free(fp);
}

/* A passphrase typed after its prompt on row y, not shown. */
static int
admin_read_pass(struct ui *ui, int y, const char *prompt, char *buf)
{
	int	 x = text_width(prompt);

	ui_line(ui, y, 0, UI_BOLD, prompt, ui->cols);
	if (x > ui->cols - 8)
		x = ui->cols - 8;
	return (ui_login_read(ui, y, x, buf, ACCOUNT_PASS_MAX, 0));
}

/* A new account: name, role, an initial passphrase typed twice. */
static void
admin_add(struct ui *ui, void *data)
{
	struct admin	*a = data;
	const char	*codes[] = { "registrar", "investigator", "supervisor",
	    "auditor", "admin" };
	const char	*labels[5];
	enum role	 role;
	char		*name, *p1, *p2, *rule, *cause = NULL;
	int		 k, y = ui->rows - 2, ok = 0;

	if (admin_refused(ui))
		return;
	if ((name = ui_ask(ui, _("New account name: "), "", 0)) == NULL)
		return;
	/* A name refused now, before the role and passphrases are typed. */
	if (account_check_name(name, &cause) != 0 ||
	    account_name_free(ui->ctx.sess->store, name, &cause) != 0) {
		ui_cause(ui, cause);
		free(name);
		return;
	}
	for (k = 0; k < 5; k++) {
		access_role_parse(codes[k], &role);
		labels[k] = access_role_label(role);
	}
	if ((k = ui_pick(ui, _("Role"), codes, labels, 5, 0, NULL)) < 0) {
		free(name);
		return;
	}
	access_role_parse(codes[k], &role);
	p1 = vault_alloc(ACCOUNT_PASS_MAX + 1);
	p2 = vault_alloc(ACCOUNT_PASS_MAX + 1);
	memset(p1, 0, ACCOUNT_PASS_MAX + 1);
	memset(p2, 0, ACCOUNT_PASS_MAX + 1);
	/* The rule first; a passphrase that breaks it is not asked again. */
	rule = account_passphrase_rule();
	ui_line(ui, y - 1, 0, UI_DIM, rule, ui->cols);
	free(rule);
	if (admin_read_pass(ui, y, _("Initial passphrase (not shown): "),
	    p1) == 0) {
		if (account_check_passphrase(name, p1, &cause) != 0)
			ui_cause(ui, cause);
		else if (admin_read_pass(ui, y, _("The same again: "),
		    p2) == 0)
			ok = 1;
	}
	ui_line(ui, y - 1, 0, UI_NORMAL, "", ui->cols);
	if (ok && strcmp(p1, p2) != 0)
		ui_message(ui, 1, "%s", _("The two passphrases differ; nothing "
		    "was added."));
	else if (ok && account_add(ui->ctx.sess, name, role, p1, strlen(p1),
	    1, &cause) != 0)
		ui_cause(ui, cause);
	else if (ok) {
		ui_message(ui, 0, _("Added %s (%s): they choose their own "
		    "passphrase with 'dossier user passwd' before anything "
		    "else."), name, labels[k]);
		a->loaded = 0;
	}
	vault_free(p1);
	vault_free(p2);
	free(name);
}

/* Adding and disabling are refused before any question is asked. */
static int
admin_refused(struct ui *ui)
{
	char	*cause = NULL;

	if (session_require(ui->ctx.sess, ACCESS_MANAGE_USERS, &cause) == 0)
		return (0);
	ui_cause(ui, cause);
	return (1);
}

/* Disable or enable the selected account. */
static void
admin_toggle(struct ui *ui, void *data)
{
	struct admin	*a = data;
	struct account	*u;
	char		*cause = NULL, *q, *notice;
	size_t		 i;

	if (admin_refused(ui) || !ui_listbox_selected(&a->lb, &i))
		return;
	u = a->users[i];
	xasprintf(&q, u->disabled ? _("Enable %s?") : _("Disable %s?"),
	    u->name);
	if (ui_confirm(ui, q)) {
		if (account_set_disabled(ui->ctx.sess, u->name, !u->disabled,
		    &cause) != 0)
			ui_cause(ui, cause);
		else if (!u->disabled && (notice = trust_disable_notice(
		    ui->ctx.sess->store, ui->ctx.sess->user, u->role)) != NULL) {
			ui_message(ui, 1, "%s", notice);
			free(notice);
		}
		a->loaded = 0;
	}
	free(q);
}

static void
admin_back(struct ui *ui, void *data)
{
	(void)data;
	/* The administrator's home: q must not end it unasked. */
	if (ui->depth == 1 && !ui_confirm(ui, _("Quit dossier?")))
		return;
	ui_pop(ui);
}

/* Administrators add and disable; supervisors and auditors approve. */
static int
admin_offers_manage(struct ui *ui, void *data)
{
	(void)data;
	return (ui->ctx.sess->user->role == ROLE_ADMIN);
}

static int
admin_offers_approve(struct ui *ui, void *data)
{
	return (!admin_offers_manage(ui, data));
}

static const struct ui_action admin_actions[] = {
	UI_LISTBOX_ACTIONS,
	{ .name = "add", .run = admin_add, .offered = admin_offers_manage },
	{ .name = "toggle", .run = admin_toggle,
	  .offered = admin_offers_manage },
	{ .name = "approve", .run = admin_approve,
	  .offered = admin_offers_approve },
	{ .name = "back", .run = admin_back },
	{ .name = NULL }
};

static void
admin_free(void *data)
{
	struct admin	*a = data;

	account_list_free(a->users, a->n);
	free(a->approved);
	free(a);
}

static const struct screen ui_admin_screen = {
	.name = "admin",
	.keys = KEYMAP_ADMIN,
	.draw = admin_draw,
	.actions = admin_actions,
	.free = admin_free,
};

void
ui_admin_open(struct ui *ui)
{
	ui_push(ui, &ui_admin_screen, xcalloc(1, sizeof (struct admin)));
}
