/*
 * ui.c: curses set-up, the main loop, the screen stack, resizing, the
 * idle lock, and the terminal going away.
 *
 * The loop is: draw the top screen into stdscr, one doupdate(), wait for
 * a key.  Screens draw every row they own each time; curses compares with
 * what the terminal shows and sends only the difference (and uses the
 * terminal's scrolling for a list that moved by a line, since idlok is
 * on), so the bytes on the wire follow what changed, not what was drawn.
 * While no key comes, nothing is written: the wait wakes once a second
 * only to look at signal flags and the idle clock.
 *
 * SIGHUP and SIGTERM set a flag.  The loop then asks every screen on the
 * stack to save what it can (the form editor saves an encrypted draft),
 * closes the store cleanly and leaves.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "account.h"
#include "form.h"
#include "i18n.h"
#include "paths.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "ui.h"
#include "util.h"
#include "workflow.h"

static volatile sig_atomic_t ui_hangup_flag;
static volatile sig_atomic_t ui_winch_flag;

static void
ui_signal(int sig)
{
	if (sig == SIGWINCH)
		ui_winch_flag = 1;
	else
		ui_hangup_flag = 1;
}

void
ui_push(struct ui *ui, const struct screen *s, void *data)
{
	if (ui->depth == UI_MAXSTACK) {
		if (s->free != NULL)
			s->free(data);
		ui_message(ui, 1, "%s", _("Too many screens open; go back "
		    "first."));
		return;
	}
	ui->stack[ui->depth].screen = s;
	ui->stack[ui->depth].data = data;
	ui->depth++;
}

void
ui_pop(struct ui *ui)
{
	if (ui->depth == 0)
		return;
	ui->depth--;
	if (ui->stack[ui->depth].screen->free != NULL)
		ui->stack[ui->depth].screen->free(ui->stack[ui->depth].data);
	if (ui->depth == 0)
		ui->quit = 1;
}

void
ui_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list	 ap;

	free(ui->message);
	va_start(ap, fmt);
	xvasprintf(&ui->message, fmt, ap);
	va_end(ap);
	ui->error = error;
}

/* The same after a message not seen yet (at sign-in), on its own line. */
void
ui_message_add(struct ui *ui, int error, const char *fmt, ...)
{
	va_list	 ap;
	char	*more, *all;

	va_start(ap, fmt);
	xvasprintf(&more, fmt, ap);
	va_end(ap);
	if (ui->message == NULL) {
		ui->message = more;
		ui->error = error;
		return;
	}
	xasprintf(&all, "%s\n%s", ui->message, more);
	free(more);
	free(ui->message);
	ui->message = all;
	ui->error |= error;
}

/*
 * At a replica, before a form is offered: say in one sentence that
 * changes are made at the master (1), rather than let the user type a
 * form that cannot be saved.
 */
int
ui_refuses_change(struct ui *ui)
{
	char	*cause = NULL;

	if (store_site_refuses(ui->store, &cause) == 0)
		return (0);
	ui_cause(ui, cause);
	return (1);
}

/* Show a cause from the domain layer, and free it. */
void
ui_cause(struct ui *ui, char *cause)
{
	ui_message(ui, 1, "%s", cause != NULL ? cause : _("Failed."));
	free(cause);
}

static attr_t
ui_attr(struct ui *ui, int kind)
{
	switch (kind) {
	case UI_SELECTED:
		return (A_REVERSE);
	case UI_TITLE:
		return (ui->color ? (A_BOLD | COLOR_PAIR(1)) : A_BOLD);
	case UI_DIM:
		return (ui->color ? COLOR_PAIR(2) : A_NORMAL);
	case UI_ALERT:
		return (ui->color ? (A_BOLD | COLOR_PAIR(3)) : A_BOLD);
	case UI_BOLD:
		return (A_BOLD);
	default:
		return (A_NORMAL);
	}
}

int
ui_text_width(const char *s)
{
	return (text_width(s));
}

/*
 * Append text fitted to width display columns (cut with an ellipsis at a
 * word, or padded), then a space, to the string *out: columns line up
 * whatever the accents.  ui_cell_right() aligns figures on the right;
 * a column of figures is sized to its widest, so they are never cut.
 */
static void
ui_cell_align(char **out, const char *text, int width, int right)
{
	char	*fit, *n;
	int	 w;

	fit = text_fit(text, width, right ? 0 : TEXT_PAD);
	w = right ? width - text_width(fit) : 0;
	xasprintf(&n, "%s%*s%s ", *out, w > 0 ? w : 0, "", fit);
	free(fit);
	free(*out);
	*out = n;
}

void
ui_cell(char **out, const char *text, int width)
{
	ui_cell_align(out, text, width, 0);
}

void
ui_cell_right(char **out, const char *text, int width)
{
	ui_cell_align(out, text, width, 1);
}

/*
 * Print text at (y, x) in width columns, padded with spaces.  Text too
 * long is cut with an ellipsis at a word (ui_line), or at a character
 * where an editor scrolls it (ui_line_cut).  The text goes through
 * text_clean(): no control character or escape sequence from the data
 * reaches the terminal.
 */
static void
ui_line_draw(struct ui *ui, int y, int x, int kind, const char *text,
    int width, int ellipsis)
{
	char		*clean, *fit = NULL;
	const char	*s;
	wchar_t		 wc;
	cchar_t		 cc;
	size_t		 n, len;
	int		 w = 0, cw;
	mbstate_t	 ps;
	attr_t		 a = ui_attr(ui, kind);

	if (width <= 0 || y < 0 || y >= ui->rows)
		return;
	clean = text_clean(text, strlen(text), 0);
	/* Spaces at the end (a table's last gap) are no reason to cut. */
	n = strlen(clean);
	while (n > 0 && clean[n - 1] == ' ')
		clean[--n] = '\0';
	if (ellipsis && text_width(clean) > width)
		fit = text_fit(clean, width, 0);
	s = fit != NULL ? fit : clean;
	len = strlen(s);
	memset(&ps, 0, sizeof ps);
	wmove(stdscr, y, x);
	while (len > 0 && (n = mbrtowc(&wc, s, len, &ps)) != 0) {
		if (n == (size_t)-1 || n == (size_t)-2)
			break;
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1, wc = L'?';
		if (w + cw > width)
			break;
		if (cw > 0 || w > 0) {
			wchar_t	 str[2] = { wc, L'\0' };

			setcchar(&cc, str, a, 0, NULL);
			wadd_wch(stdscr, &cc);
		}
		w += cw;
		s += n;
		len -= n;
	}
	wattrset(stdscr, a);
	while (w++ < width)
		waddch(stdscr, ' ');
	wattrset(stdscr, A_NORMAL);
	free(fit);
	free(clean);
}

void
ui_line(struct ui *ui, int y, int x, int kind, const char *text, int width)
{
	ui_line_draw(ui, y, x, kind, text, width, 1);
}

void
ui_line_cut(struct ui *ui, int y, int x, int kind, const char *text,
    int width)
{
	ui_line_draw(ui, y, x, kind, text, width, 0);
}

/* A whole row; with arrow_cursor, selection is "->" instead of reverse. */
void
ui_row(struct ui *ui, int y, int kind, const char *text, int selected)
{
	if (ui->settings.arrow_cursor) {
		ui_line(ui, y, 0, UI_BOLD, selected ? "->" : "  ", 2);
		ui_line(ui, y, 2, kind, text, ui->cols - 2);
		return;
	}
	ui_line(ui, y, 0, selected ? UI_SELECTED : kind, text, ui->cols);
}

void
ui_clear_rows(struct ui *ui, int from, int to)
{
	int	 y;

	for (y = from; y < to && y < ui->rows; y++) {
		wmove(stdscr, y, 0);
		wclrtoeol(stdscr);
	}
}

/*
 * The UTF-8 text a character key types into buf (8 bytes at least).
 * keymap_key_name() is for a key's name ("Space"), and has no four-byte
 * form: an emoji typed came out as bytes that are not UTF-8, which a
 * field then refused and a passphrase did not match.
 */
void
ui_key_text(int key, char *buf, size_t len)
{
	unsigned int	 c = (unsigned int)key;

	if (c < 0x80)
		snprintf(buf, len, "%c", (int)c);
	else if (c < 0x800)
		snprintf(buf, len, "%c%c", 0xc0 | (c >> 6), 0x80 | (c & 0x3f));
	else if (c < 0x10000)
		snprintf(buf, len, "%c%c%c", 0xe0 | (c >> 12),
		    0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
	else
		snprintf(buf, len, "%c%c%c%c", 0xf0 | (c >> 18),
		    0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f),
		    0x80 | (c & 0x3f));
}

/*
 * A key's name as the user's language says it ("Entrée" for Enter), for
 * the hint bar and help; key files keep the English names.
 */
static const char *ui_key_names[][2] = {
	{ "Up", NC_("key", "Up") }, { "Down", NC_("key", "Down") },
	{ "Left", NC_("key", "Left") }, { "Right", NC_("key", "Right") },
	{ "Enter", NC_("key", "Enter") }, { "Esc", NC_("key", "Esc") },
	{ "Tab", NC_("key", "Tab") }, { "BTab", NC_("key", "BTab") },
	{ "PgUp", NC_("key", "PgUp") }, { "PgDn", NC_("key", "PgDn") },
	{ "Home", NC_("key", "Home") }, { "End", NC_("key", "End") },
	{ "Backspace", NC_("key", "Backspace") },
	{ "Delete", NC_("key", "Delete") }, { "Space", NC_("key", "Space") },
};

void
ui_key_label(char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof ui_key_names / sizeof ui_key_names[0]; i++)
		if (strcmp(name, ui_key_names[i][0]) == 0) {
			snprintf(name, len, "%s", i18n_context(
			    ui_key_names[i][1]));
			return;
		}
}

/* curses' key codes into the keymap's. */
static int
ui_translate(int ch, int is_key)
{
	if (!is_key) {
		switch (ch) {
		case '\r':
		case '\n':
			return (KEYC_ENTER);
		case 27:
			return (KEYC_ESC);
		case '\t':
			return (KEYC_TAB);
		case 127:
		case 8:
			return (KEYC_BSPACE);
		default:
			return (ch);
		}
	}
	switch (ch) {
	case KEY_UP: return (KEYC_UP);
	case KEY_DOWN: return (KEYC_DOWN);
	case KEY_LEFT: return (KEYC_LEFT);
	case KEY_RIGHT: return (KEYC_RIGHT);
	case KEY_ENTER: return (KEYC_ENTER);
	case KEY_BTAB: return (KEYC_BTAB);
	case KEY_PPAGE: return (KEYC_PGUP);
	case KEY_NPAGE: return (KEYC_PGDN);
	case KEY_HOME: return (KEYC_HOME);
	case KEY_END: return (KEYC_END);
	case KEY_BACKSPACE: return (KEYC_BSPACE);
	case KEY_DC: return (KEYC_DC);
	case KEY_RESIZE: return (KEYC_RESIZE);
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(12))
			return (KEYC_F1 + ch - KEY_F(1));
		return (KEYC_NONE);
	}
}

static void ui_lock(struct ui *);
static void ui_hangup(struct ui *);

/*
 * The rest of the UTF-8 character that byte lead starts, read from curses
 * byte by byte: the code point, or -1 (the byte is dropped).  A byte that
 * is not a continuation goes back to curses, to be read as the next key.
 *
 * Characters are decoded here, not by wget_wch(): given a byte that
 * starts no character (a Latin-1 terminal, a bad paste), ncurses'
 * wget_wch() goes on collecting every key that follows into the same
 * character until one second passes with no key, then drops them all:
 * the keys a user typed meanwhile, Esc included, were lost.
 */
static int
ui_utf8(int lead)
{
	char		 buf[4];
	wchar_t		 wc;
	mbstate_t	 ps;
	size_t		 need, n = 1;
	int		 ch;

	if (MB_CUR_MAX == 1)
		return (lead);		/* a single-byte locale */
	if (lead >= 0xc2 && lead <= 0xdf)
		need = 2;
	else if (lead >= 0xe0 && lead <= 0xef)
		need = 3;
	else if (lead >= 0xf0 && lead <= 0xf4)
		need = 4;
	else
		return (-1);
	buf[0] = (char)lead;
	while (n < need) {
		if ((ch = wgetch(stdscr)) == ERR)
			return (-1);
		if (ch < 0x80 || ch > 0xbf) {
			ungetch(ch);
			return (-1);
		}
		buf[n++] = (char)ch;
	}
	memset(&ps, 0, sizeof ps);
	if (mbrtowc(&wc, buf, n, &ps) != n)
		return (-1);		/* overlong, a surrogate */
	return ((int)wc);
}

/*
 * Wait for a key.  Returns KEYC_NONE when the terminal went away (the
 * caller unwinds) and KEYC_RESIZE after a resize, once curses and
 * ui->rows, ui->cols have the new size: whoever waits, the main loop or a
 * prompt, a picker or an editor, which used to leave the resize unknown
 * to curses until the next one.
 */
int
ui_getkey(struct ui *ui)
{
	return (ui_getkey_wait(ui, -1));
}

/*
 * The same, but after ms milliseconds with no key (ms >= 0) it returns
 * UI_KEY_TIMEOUT: a search moves the list once typing pauses.
 */
int
ui_getkey_wait(struct ui *ui, int ms)
{
	int	 ch;

	for (;;) {
		if (ui_hangup_flag) {
			ui->quit = 1;
			return (KEYC_NONE);
		}
		if (ui_winch_flag) {
			ui_winch_flag = 0;
			ui->idle = 0;		/* someone is there */
			endwin();
			refresh();
			getmaxyx(stdscr, ui->rows, ui->cols);
			return (KEYC_RESIZE);
		}
		errno = 0;
		if (ms >= 0)
			wtimeout(stdscr, ms);
		ch = wgetch(stdscr);
		if (ms >= 0)
			wtimeout(stdscr, 1000);
		if (ch == ERR) {
			if (errno == EINTR)
				continue;
			if (errno == EIO || errno == ENXIO || errno == EBADF) {
				ui_hangup_flag = 1;	/* the terminal is gone */
				continue;
			}
			if (ms >= 0)
				return (UI_KEY_TIMEOUT);
			if (++ui->idle >= ui->settings.idle_seconds &&
			    ui->settings.idle_seconds > 0 && ui->ctx.sess != NULL) {
				ui_lock(ui);
				ui->idle = 0;
				return (KEYC_RESIZE);	/* redraw all */
			}
			if (ui->ticking && ui->idle % UI_TICK_SECONDS == 0)
				return (UI_KEY_TICK);
			continue;
		}
		ui->idle = 0;
		if (ch >= KEY_MIN)
			return (ui_translate(ch, 1));
		if (ch < 0x80)
			return (ui_translate(ch, 0));
		if ((ch = ui_utf8(ch)) != -1)
			return (ch);
	}
}

/* Show the cursor where the caller left it, wait for a key, hide it. */
int
ui_getkey_cursor(struct ui *ui)
{
	return (ui_getkey_cursor_wait(ui, -1));
}

int
ui_getkey_cursor_wait(struct ui *ui, int ms)
{
	int	 key;

	leaveok(stdscr, FALSE);
	curs_set(1);
	wnoutrefresh(stdscr);
	doupdate();
	key = ui_getkey_wait(ui, ms);
	curs_set(0);
	leaveok(stdscr, TRUE);
	return (key);
}

/* The action that leaves a screen: its hint is the last one dropped. */
static int
ui_hint_way_out(const char *action)
{
	return (strcmp(action, "quit") == 0 || strcmp(action, "back") == 0 ||
	    strcmp(action, "cancel") == 0);
}

/*
 * The bottom rows: the message, then the hint bar from the key map.  The
 * bar is laid out by display width and always ends with the help key;
 * the way out of the screen (quit, back, cancel) comes next in priority,
 * then the other hints in key map order while they fit: a long
 * translation drops a hint, never help.
 */
static void
ui_draw_bars(struct ui *ui, const struct screen *sc, void *data, int mlines)
{
	enum keymap_screen		 keys = sc->keys;
	const struct keymap_action	*acts;
	char				 key[32], **hints, *help = NULL, *bar, *n;
	size_t				 na, i, pass;
	int				 room;

	/* The message wrapped at words on its rows: never cut. */
	if (ui->message != NULL)
		ui_wrap_rows(ui, ui->rows - 1 - mlines, mlines, ui->error ?
		    UI_ALERT : UI_BOLD, ui->message);
	else
		ui_line(ui, ui->rows - 2, 0, UI_NORMAL, "", ui->cols);
	keymap_first_key(ui->keymap, KEYMAP_GLOBAL, "help", key, sizeof key);
	ui_key_label(key, sizeof key);
	if (*key != '\0')
		xasprintf(&help, "%s:%s", key, _("Help"));
	room = ui->cols - (help != NULL ? ui_text_width(help) : 0);
	acts = keymap_actions(keys, &na);
	hints = xcalloc(na + 1, sizeof *hints);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < na; i++) {
			if (!acts[i].hint || (pass == 0) != ui_hint_way_out(
			    acts[i].name))
				continue;
			/* Only what this user may do is offered. */
			if (!ui_screen_offers(ui, sc, data, acts[i].name))
				continue;
			keymap_first_key(ui->keymap, keys, acts[i].name, key,
			    sizeof key);
			ui_key_label(key, sizeof key);
			if (*key == '\0')
				continue;
			/* Back from the first screen ends the session. */
			xasprintf(&hints[i], "%s:%s ", key, ui->depth == 1 &&
			    strcmp(acts[i].name, "back") == 0 ? _("Quit") :
			    _(acts[i].label));
			if (ui_text_width(hints[i]) > room) {
				free(hints[i]);
				hints[i] = NULL;
			} else
				room -= ui_text_width(hints[i]);
		}
	}
	bar = xstrdup("");
	for (i = 0; i < na; i++) {
		if (hints[i] == NULL)
			continue;
		xasprintf(&n, "%s%s", bar, hints[i]);
		free(bar);
		bar = n;
		free(hints[i]);
	}
	free(hints);
	if (help != NULL) {
		xasprintf(&n, "%s%s", bar, help);
		free(bar);
		bar = n;
		free(help);
	}
	ui_line(ui, ui->rows - 1, 0, UI_TITLE, bar, ui->cols);
	free(bar);
}

/*
 * Word-wrap text to the screen's width from row y, on at most max rows
 * (-1: any number); the next free row.  Drawing from a row below the
 * screen draws nothing, so ui_message_rows() counts with it.  text_wrap()
 * keeps French spacing: no row starts with ":" or "»".  Text longer than
 * max rows ends with an ellipsis on the last.
 */
int
ui_wrap_rows(struct ui *ui, int y, int max, int kind, const char *text)
{
	char	**lines, *last;
	size_t	  n, i;

	n = text_wrap(text, ui->cols, &lines);
	for (i = 0; i < n; i++) {
		if (max >= 0 && (int)i == max - 1 && n > (size_t)max) {
			xasprintf(&last, "%s %s", lines[i], lines[i + 1]);
			ui_line(ui, y + (int)i, 0, kind, last, ui->cols);
			free(last);
		} else if (max < 0 || (int)i < max)
			ui_line(ui, y + (int)i, 0, kind, lines[i], ui->cols);
	}
	text_lines_free(lines, n);
	return (y + (int)n);
}

static int
ui_wrap(struct ui *ui, int y, int kind, const char *text)
{
	return (ui_wrap_rows(ui, y, -1, kind, text));
}

/* The rows a message takes: one, or more for a long one (a third at most). */
static int
ui_message_rows(struct ui *ui)
{
	int	 n, max = (ui->rows - 2) / 3;

	if (ui->message == NULL)
		return (1);
	n = ui_wrap_rows(ui, ui->rows, -1, UI_NORMAL, ui->message) - ui->rows;
	if (n > max)
		n = max;
	return (n < 1 ? 1 : n);
}

/*
 * Below the minimum size no screen is drawn and keys are ignored (see
 * ui_dispatch), so an open form waits, untouched, for the terminal to
 * grow: what the message says must stay true.
 */
static void
ui_too_small(struct ui *ui)
{
	char	*msg;
	int	 y;

	werase(stdscr);
	xasprintf(&msg, _("Terminal too small (%dx%d): dossier needs %dx%d."),
	    ui->cols, ui->rows, UI_MIN_COLS, UI_MIN_ROWS);
	y = ui_wrap(ui, 0, UI_BOLD, msg);
	free(msg);
	y = ui_wrap(ui, y, UI_NORMAL, _("Nothing is lost; enlarge it."));
	if (ui->message != NULL)
		ui_wrap(ui, y, UI_DIM, ui->message);
}

/* The top screen and the bars into stdscr, sent by the next doupdate(). */
void
ui_redraw(struct ui *ui)
{
	const struct screen	*s;
	int			 mlines;

	getmaxyx(stdscr, ui->rows, ui->cols);
	if (ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS) {
		ui_too_small(ui);
	} else if (ui->depth > 0) {
		s = ui->stack[ui->depth - 1].screen;
		mlines = ui->mrows = ui_message_rows(ui);
		s->draw(ui, ui->stack[ui->depth - 1].data, ui->rows - 1 - mlines,
		    ui->cols);
		ui_draw_bars(ui, s, ui->stack[ui->depth - 1].data, mlines);
	}
}

static void
ui_draw(struct ui *ui)
{
	ui_redraw(ui);
	wnoutrefresh(stdscr);
	doupdate();
}

/* The global keys: help on the screen on top, and a full repaint. */
static void
ui_global_help(struct ui *ui, void *arg)
{
	(void)arg;
	ui_help_open(ui, ui->stack[ui->depth - 1].screen,
	    ui->stack[ui->depth - 1].data);
}

static void
ui_global_redraw(struct ui *ui, void *arg)
{
	(void)ui;
	(void)arg;
	clearok(curscr, TRUE);
}

static const struct ui_action ui_global_actions[] = {
	{ .name = "help", .run = ui_global_help },
	{ .name = "redraw", .run = ui_global_redraw },
	{ .name = NULL }
};

static void
ui_dispatch(struct ui *ui, int key)
{
	const struct screen	*s;
	const char		*action;
	void			*data;

	if (key == KEYC_RESIZE || key == KEYC_NONE)
		return;
	free(ui->message);
	ui->message = NULL;
	if (ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS) {
		/* Not even q: it would drop an open form unseen. */
		ui_message(ui, 0, "%s", _("Keys pressed while the terminal is "
		    "too small are ignored."));
		return;
	}
	s = ui->stack[ui->depth - 1].screen;
	data = ui->stack[ui->depth - 1].data;
	action = keymap_lookup(ui->keymap, s->keys, key);
	if (ui_action_run(ui, ui_global_actions, action, NULL))
		return;
	if (ui_action_run(ui, s->actions, action, data))
		return;
	if (s->key != NULL)
		s->key(ui, data, action, key);
}

/* The terminal went away: every screen saves what it can. */
static void
ui_hangup(struct ui *ui)
{
	int	 i;

	for (i = ui->depth - 1; i >= 0; i--)
		if (ui->stack[i].screen->hangup != NULL)
			ui->stack[i].screen->hangup(ui, ui->stack[i].data);
}

/*
 * After idle minutes: clear the screen of all case text, then ask for the
 * passphrase again before going on.
 */
static void
ui_lock(struct ui *ui)
{
	werase(stdscr);
	wnoutrefresh(stdscr);
	doupdate();
	if (ui_signin(ui, ui->ctx.sess->user->name) != 0) {
		ui->quit = 1;
		ui_hangup_flag = 1;	/* keep an open form as a draft */
	}
	clearok(curscr, TRUE);
}

static void
ui_settings_default(struct ui_settings *s)
{
	s->idle_minutes = 10;
	s->arrow_cursor = 0;
	s->warning_threshold = 3;
}

/* A whole number from lo to hi, digits only ("beaucoup" is not 0). */
static int
ui_settings_int(const char *value, int lo, int hi, int *v)
{
	char	*end;
	long	 l;

	errno = 0;
	l = strtol(value, &end, 10);
	if (end == value || *end != '\0' || errno != 0 || l < lo || l > hi)
		return (-1);
	*v = (int)l;
	return (0);
}

static int
ui_settings_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct ui_settings	*s = user;

	(void)section;
	if (strcmp(name, "idle_minutes") == 0)
		return (ui_settings_int(value, 0, 1440, &s->idle_minutes) == 0);
	if (strcmp(name, "warning_threshold") == 0)
		return (ui_settings_int(value, 2, INT_MAX,
		    &s->warning_threshold) == 0);
	if (strcmp(name, "arrow_cursor") == 0 && (strcmp(value, "yes") == 0 ||
	    strcmp(value, "no") == 0)) {
		s->arrow_cursor = strcmp(value, "yes") == 0;
		return (1);
	}
	return (0);
}

/* Settings and key maps; problems become a message, defaults are kept. */
static void
ui_load_config(struct ui *ui)
{
	const char	*idle;
	char		*path, *cause = NULL;
	int		 rc;

	ui_settings_default(&ui->settings);
	if ((path = paths_config_file("settings")) != NULL) {
		if (access(path, R_OK) == 0 &&
		    (rc = ini_parse(path, ui_settings_handler,
		    &ui->settings)) != 0)
			xasprintf(&ui->notice, _("%s:%d: unknown or bad setting; "
			    "defaults used for it."), path, rc);
		free(path);
	}
	if (getenv("DOSSIER_ARROW_CURSOR") != NULL)
		ui->settings.arrow_cursor = 1;
	ui->settings.idle_seconds = ui->settings.idle_minutes * 60;
	/* Tests cannot wait minutes for the lock. */
	if ((idle = getenv("DOSSIER_IDLE_SECONDS")) != NULL && atoi(idle) > 0)
		ui->settings.idle_seconds = atoi(idle);
	ui->keymap = keymap_create();
	xasprintf(&path, "%s/default.keys", paths_keys_dir());
	if (keymap_load(ui->keymap, path, &cause) != 0) {
		free(ui->notice);
		ui->notice = cause;
	}
	free(path);
	cause = NULL;
	if ((path = paths_config_file("keys")) != NULL) {
		if (access(path, R_OK) == 0 &&
		    keymap_load(ui->keymap, path, &cause) != 0) {
			free(ui->notice);
			xasprintf(&ui->notice, _("%s Your other keys are the "
			    "defaults."), cause);
			free(cause);
		}
		free(path);
	}
}

static void
ui_curses_start(struct ui *ui)
{
	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	idlok(stdscr, TRUE);
	/* No cursor to park after each update: saves a move per key. */
	leaveok(stdscr, TRUE);
	wtimeout(stdscr, 1000);
	set_escdelay(100);
	/*
	 * Home and End as the usual terminals send them, whatever TERM
	 * says (tmux, screen, PuTTY, xterm's two modes): otherwise an
	 * unknown sequence reads as Esc, which leaves the screen.
	 */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[H", KEY_HOME);
	define_key("\033OH", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[8~", KEY_END);
	define_key("\033[F", KEY_END);
	define_key("\033OF", KEY_END);
	curs_set(0);
	ui->color = 0;
	if (getenv("NO_COLOR") == NULL && has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_CYAN, -1);
		init_pair(2, COLOR_BLUE, -1);
		init_pair(3, COLOR_RED, -1);
		ui->color = 1;
	}
	getmaxyx(stdscr, ui->rows, ui->cols);
}

int
ui_main(const char *datadir, const char *user)
{
	struct ui		 ui;
	struct sigaction	 sa;
	struct formset		*forms;
	struct workflow_set	*flows;
	char			*cause = NULL, *dir;
	const struct screen	*top;
	int			 key, rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		text_error("%s", _("The terminal application needs a terminal; "
		    "see 'dossier --help' for the commands."));
		return (1);
	}
	memset(&ui, 0, sizeof ui);
	if (formset_load(paths_forms_dir(), &forms, &cause) != 0 ||
	    workflow_load(paths_forms_dir(), &flows, &cause) != 0 ||
	    workflow_guards_check_forms(flows, forms, &cause) != 0) {
		text_error("%s", cause);
		free(cause);
		formset_free(forms);
		workflow_set_free(flows);
		return (1);
	}
	ui.ctx.forms = forms;
	ui.ctx.flows = flows;
	if ((dir = store_default_dir(datadir)) == NULL) {
		text_error("%s", _("No data directory: use --data DIR or set "
		    "DOSSIER_DATA."));
		rc = -1;
	} else
		rc = store_open(&ui.store, dir, 0, &cause);
	free(dir);
	/* Forms that would lower a field's class open nothing. */
	if (rc == 0 && (rc = casefile_forms_pin(ui.store, forms, &cause)) != 0)
		store_close(ui.store);
	if (rc != 0) {
		if (cause != NULL)
			text_error("%s", cause);
		free(cause);
		formset_free(forms);
		workflow_set_free(flows);
		return (1);
	}
	ui_load_config(&ui);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ui_curses_start(&ui);
	if (ui_signin(&ui, user) == 0) {
		if (ui.notice != NULL)
			ui_message_add(&ui, 1, "%s", ui.notice);
		if (casefile_share_keys(&ui.ctx, &cause) != 0)
			ui_cause(&ui, cause);
		if (ui.ctx.sess->user->role == ROLE_ADMIN)
			ui_admin_open(&ui);
		else {
			ui_push(&ui, &ui_list_screen, ui_list_create(&ui, NULL,
			    NULL));
			ui_key_requests(&ui);
			ui_draft_offer(&ui);
		}
		while (!ui.quit && ui.depth > 0) {
			ui_draw(&ui);
			top = ui.stack[ui.depth - 1].screen;
			ui.ticking = top->tick != NULL;
			key = ui_getkey(&ui);
			ui.ticking = 0;
			if (key == UI_KEY_TICK) {
				top->tick(&ui, ui.stack[ui.depth - 1].data);
				continue;
			}
			if (key == KEYC_RESIZE)
				continue;
			ui_dispatch(&ui, key);
			if (store_unconfirmed(ui.store, &cause))
				ui_cause(&ui, cause);
		}
	}
	if (ui_hangup_flag)
		ui_hangup(&ui);
	while (ui.depth > 0) {
		ui.depth--;
		if (ui.stack[ui.depth].screen->free != NULL)
			ui.stack[ui.depth].screen->free(ui.stack[ui.depth].data);
	}
	if (!ui_hangup_flag) {
		werase(stdscr);
		wnoutrefresh(stdscr);
		doupdate();
	}
	endwin();
	free_wiped(ui_prompt_unsaved(&ui));
	free(ui.message);
	free(ui.notice);
	keymap_free(ui.keymap);
	session_free(ui.ctx.sess);
	store_close(ui.store);
	formset_free(forms);
	workflow_set_free(flows);
	return (0);
}
