/*
 * ui-login.c: the sign-in screen, also used to unlock after idle minutes.
 *
 * The passphrase is read key by key (not with wgetnstr, which keeps
 * copies) into guarded memory, shown as nothing at all, and wiped.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "i18n.h"
#include "keymap.h"
#include "session.h"
#include "store.h"
#include "trust.h"
#include "ui.h"
#include "util.h"
#include "vault.h"

#define LOGIN_MAX	ACCOUNT_PASS_MAX

/* Read a line: echo it (name) or not (passphrase).  -1 on Esc/hangup. */
int
ui_login_read(struct ui *ui, int y, int x, char *buf, size_t size, int echo)
{
	size_t	 len = strlen(buf);
	int	 key;
	char	 u[8];

	for (;;) {
		if (echo) {
			ui_line_cut(ui, y, x, UI_BOLD, buf, ui->cols - x - 1);
			wmove(stdscr, y, x + ui_text_width(buf));
		} else
			wmove(stdscr, y, x);
		key = ui_getkey_cursor(ui);
		if (key == KEYC_NONE || key == KEYC_ESC)
			return (-1);
		if (key == KEYC_ENTER)
			return (0);
		if (key == KEYC_RESIZE)
			continue;
		if (key == KEYC_BSPACE) {
			while (len > 0 && (buf[len - 1] & 0xc0) == 0x80)
				buf[--len] = '\0';
			if (len > 0)
				buf[--len] = '\0';
			continue;
		}
		if (key == 21) {	/* C-u */
			wipe(buf, len);
			len = 0;
			continue;
		}
		if (key < 0x20 || key >= KEYC_BASE)
			continue;
		ui_key_text(key, u, sizeof u);
		if (len + strlen(u) + 1 > size)
			continue;
		memcpy(buf + len, u, strlen(u) + 1);
		len += strlen(u);
		wipe(u, sizeof u);
	}
}

static void
ui_login_draw(struct ui *ui, const char *title)
{
	int	 y = ui->rows / 2 - 4;

	werase(stdscr);
	ui_line(ui, y, 4, UI_TITLE, "dossier", ui->cols - 8);
	ui_line(ui, y + 1, 4, UI_DIM, title, ui->cols - 8);
	ui_line(ui, y + 3, 4, UI_NORMAL, _("User:"), 17);
	ui_line(ui, y + 4, 4, UI_NORMAL, _("Passphrase:"), 17);
	/* Wrapped at words: what to do next is never cut. */
	if (ui->message != NULL)
		ui_wrap_rows(ui, y + 6, ui->rows - 2 - (y + 6), ui->error ?
		    UI_ALERT : UI_BOLD, ui->message);
	ui_line(ui, ui->rows - 1, 0, UI_TITLE, _("Enter: sign in  Esc: quit"),
	    ui->cols);
}

/*
 * Sign in as name (or a typed name when NULL).  When a session exists
 * (the idle lock), only its own user may unlock it.  0 when signed in.
 */
/*
 * Is the signed-in account one no one has approved yet (not an
 * administrator: they are never approved)?  It may sign in, but it
 * receives no key and signs no change (trust.c), so it is told at once.
 */
static int
ui_login_awaits_approval(struct ui *ui)
{
	struct account	**self = &ui->ctx.sess->user;
	char		 *cause = NULL;
	int		  approved = 0;

	if ((*self)->role == ROLE_ADMIN)
		return (0);
	if (trust_mark_approved(ui->store, *self, self, 1, &approved,
	    &cause) != 0) {
		free(cause);
		return (0);
	}
	return (!approved);
}

/*
 * For an approved supervisor or auditor: how many accounts wait for an
 * approval (enabled, their own passphrase chosen, not administrators)?
 */
static size_t
ui_login_awaiting(struct ui *ui)
{
	struct account	**list, *me = ui->ctx.sess->user;
	char		 *cause = NULL;
	size_t		  n, i, waiting = 0;
	int		 *approved;

	if (me->role != ROLE_SUPERVISOR && me->role != ROLE_AUDITOR)
		return (0);
	if (account_list(ui->store, &list, &n, &cause) != 0) {
		free(cause);
		return (0);
	}
	approved = xcalloc(n + 1, sizeof *approved);
	if (trust_mark_approved(ui->store, me, list, n, approved,
	    &cause) != 0) {
		free(cause);
		memset(approved, 0, (n + 1) * sizeof *approved);
		waiting = SIZE_MAX;	/* unknown: nothing said */
	}
	for (i = 0; waiting != SIZE_MAX && i < n; i++) {
		if (strcmp(list[i]->name, me->name) == 0 && !approved[i]) {
			waiting = 0;	/* not approved: approves nobody */
			break;
		}
		if (list[i]->role != ROLE_ADMIN && !list[i]->disabled &&
		    !list[i]->must_change && !approved[i])
			waiting++;
	}
	free(approved);
	account_list_free(list, n);
	return (waiting == SIZE_MAX ? 0 : waiting);
}

/* The first key bound to an action, as the hint bar names it. */
static void
ui_login_key(struct ui *ui, enum keymap_screen s, const char *action,
    char *key, size_t size)
{
	keymap_first_key(ui->keymap, s, action, key, size);
	if (*key == '\0')
		snprintf(key, size, "[%s]", action);
	else
		ui_key_label(key, size);
}

int
ui_signin(struct ui *ui, const char *name)
{
	struct session	*sess;
	char		 user[ACCOUNT_NAME_MAX + 1], *pass, *cause = NULL;
	char		 ku[32], kp[32];
	size_t		 waiting;
	int		 y, awaits, locked = ui->ctx.sess != NULL;

	memset(user, 0, sizeof user);
	if (name != NULL)
		snprintf(user, sizeof user, "%s", name);
	else if (getenv("USER") != NULL)
		snprintf(user, sizeof user, "%s", getenv("USER"));
	pass = vault_alloc(LOGIN_MAX + 1);
	for (;;) {
		getmaxyx(stdscr, ui->rows, ui->cols);
		y = ui->rows / 2 - 4;
		memset(pass, 0, LOGIN_MAX + 1);
		ui_login_draw(ui, locked ? _("Locked after idle minutes: sign in "
		    "again to go on.") : _("Pre-disciplinary investigation "
		    "cases"));
		if (!locked && name == NULL && ui_login_read(ui, y + 3, 22, user,
		    sizeof user, 1) != 0)
			break;
		ui_line(ui, y + 3, 22, UI_BOLD, user, ui->cols - 26);
		if (ui_login_read(ui, y + 4, 22, pass, LOGIN_MAX, 0) != 0)
			break;
		ui_message(ui, 0, "%s", _("Signing in..."));
		ui_login_draw(ui, "");
		wnoutrefresh(stdscr);
		doupdate();
		if (session_signin(ui->store, user, pass, strlen(pass), &sess,
		    &cause) != 0) {
			ui_cause(ui, cause);
			cause = NULL;
			continue;
		}
		if (sess->user->must_change) {
			session_free(sess);
			ui_message(ui, 1, "%s", _("You must first choose your own "
			    "passphrase: run 'dossier user passwd'."));
			continue;
		}
		if (locked) {
			session_free(sess);	/* the same user, proven */
		} else
			ui->ctx.sess = sess;
		free(ui->message);
		ui->message = NULL;
		vault_free(pass);
		werase(stdscr);
		awaits = !locked && ui_login_awaits_approval(ui);
		if (awaits && trust_signer_self(ui->store, ui->ctx.sess))
			ui_message(ui, 0, "%s", _("Your approval no longer "
			    "holds: whoever approved you is no longer an approved "
			    "supervisor or auditor. You keep the cases you hold, "
			    "but receive no new key until a supervisor or auditor "
			    "approves you again ('dossier user fingerprint')."));
		else if (awaits)
			ui_message(ui, 0, "%s", _("Your account awaits approval: "
			    "until a supervisor or auditor compares your key's "
			    "fingerprint with you ('dossier user fingerprint'), "
			    "you read no case and save nothing."));
		else if (!locked && (waiting = ui_login_awaiting(ui)) != 0) {
			ui_login_key(ui, KEYMAP_LIST, "users", ku, sizeof ku);
			ui_login_key(ui, KEYMAP_ADMIN, "approve", kp,
			    sizeof kp);
			/* TRANSLATORS: the keys that open the accounts
			 * screen, then approve on it. */
			ui_message(ui, 0, ngettext("%zu account awaits "
			    "approval: approve it on the accounts screen (%s, "
			    "then %s) once its owner has read you its "
			    "fingerprint.", "%zu accounts await approval: "
			    "approve each on the accounts screen (%s, then %s) "
			    "once its owner has read you its fingerprint.",
			    waiting), waiting, ku, kp);
		}
		return (0);
	}
	vault_free(pass);
	ui->quit = 1;
	return (-1);
}
