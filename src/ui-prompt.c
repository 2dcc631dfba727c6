/*
 * ui-prompt.c: the modal pieces every screen uses: a yes/no question, a
 * one-line editor, a multi-line editor with word wrap, and a picker.
 * Each runs its own small loop over ui_getkey() and draws only its rows.
 *
 * Text is edited as UTF-8 bytes; the cursor moves by whole characters and
 * is placed by display width (wcwidth), so accents and wide characters
 * line up.
 */
#include "config.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "keymap.h"
#include "text.h"
#include "ui.h"
#include "util.h"

/* Bytes of the UTF-8 character before / at offset. */
static size_t
prompt_prev(const char *s, size_t off)
{
	size_t	 n = 0;

	while (off > 0) {
		off--;
		n++;
		if (((unsigned char)s[off] & 0xc0) != 0x80)
			break;
	}
	return (n);
}

static size_t
prompt_next(const char *s, size_t len, size_t off)
{
	size_t	 n = 1;

	if (off >= len)
		return (0);
	while (off + n < len && ((unsigned char)s[off + n] & 0xc0) == 0x80)
		n++;
	return (n);
}

/* Insert the UTF-8 encoding of key at *off in the growing buffer. */
static void
prompt_insert(char **buf, size_t *len, size_t *off, int key)
{
	char	 u[8];
	size_t	 n;

	ui_key_text(key, u, sizeof u);
	n = strlen(u);
	*buf = xrealloc(*buf, *len + n + 1);
	memmove(*buf + *off + n, *buf + *off, *len - *off + 1);
	memcpy(*buf + *off, u, n);
	*len += n;
	*off += n;
}

static char	*prompt_line(struct ui *, const char *, const char *, int, int,
		    void (*)(struct ui *, void *, const char *), void *);

static int
prompt_width(const char *s, size_t n)
{
	char	*copy = xstrndup(s, n);
	int	 w = ui_text_width(copy);

	free(copy);
	return (w);
}

/*
 * The text of the editor open when the terminal went away: the form
 * takes it into its draft (form_hangup), so the field being typed is
 * kept too.  Only ever one editor is open.
 */
static char	*prompt_unsaved;

static void
prompt_keep(const char *buf)
{
	free_wiped(prompt_unsaved);
	prompt_unsaved = xstrdup(buf);
}

char *
ui_prompt_unsaved(struct ui *ui)
{
	char	*s = prompt_unsaved;

	(void)ui;
	prompt_unsaved = NULL;
	return (s);
}

/*
 * A question answered by y or n (o or n in French), wrapped at words
 * above the hint bar: a long one (the draft offered back names the case,
 * the form and the time) is never cut.
 */
int
ui_confirm(struct ui *ui, const char *question)
{
	char	*q;
	int	 key, n, max, m, i;

	xasprintf(&q, _("%s (y/n)"), question);
	for (;;) {
		max = (ui->rows - 2) / 3;
		n = ui_wrap_rows(ui, ui->rows, -1, UI_ALERT, q) - ui->rows;
		if (n > max)
			n = max;
		if (n < 1)
			n = 1;
		/* The question takes the place of the message last drawn
		 * (gone with the key that asks), not of its last row only. */
		m = ui->mrows < 1 ? 1 : ui->mrows;
		for (i = 0; i < m && i < ui->rows - 2; i++)
			ui_line(ui, ui->rows - 2 - i, 0, UI_NORMAL, "",
			    ui->cols);
		ui_wrap_rows(ui, ui->rows - 1 - n, n, UI_ALERT, q);
		wnoutrefresh(stdscr);
		doupdate();
		key = ui_getkey(ui);
		if (key == KEYC_RESIZE) {
			ui_redraw(ui);	/* the screen at its new size */
			continue;
		}
		break;
	}
	free(q);
	/* Its rows go, all of them: a question asked next stands alone. */
	for (i = 0; i < n; i++)
		ui_line(ui, ui->rows - 2 - i, 0, UI_NORMAL, "", ui->cols);
	if (ui->mrows < n)
		ui->mrows = n;
	return (key == 'y' || key == 'Y' || key == 'o' || key == 'O');
}

/*
 * A one-line editor on the message row.  Returns the text (malloc'd) or
 * NULL when cancelled or when the terminal went away.
 */
char *
ui_ask(struct ui *ui, const char *prompt, const char *initial, int allow_empty)
{
	return (prompt_line(ui, prompt, initial, allow_empty, -1, NULL, NULL));
}

char *
ui_ask_live(struct ui *ui, const char *prompt, const char *initial, int ms,
    void (*live)(struct ui *, void *, const char *), void *arg)
{
	return (prompt_line(ui, prompt, initial, 1, ms, live, arg));
}

/*
 * The text being edited, by the one-line and the multi-line editor (whose
 * state begins with this one, so the actions below serve both).
 */
struct prompt_edit {
	char		*buf;
	size_t		 len, off;
	int		 allow_empty;
	int		 changed;	/* since the last live() call */
	int		 done;		/* 1 accepted, -1 cancelled */
};

static void
edit_accept(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;

	(void)ui;
	if (e->len > 0 || e->allow_empty)
		e->done = 1;
}

static void
edit_cancel(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;

	(void)ui;
	e->done = -1;
}

static void
edit_left(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;

	(void)ui;
	e->off -= prompt_prev(e->buf, e->off);
}

static void
edit_right(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;

	(void)ui;
	e->off += prompt_next(e->buf, e->len, e->off);
}

static void
edit_home(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;

	(void)ui;
	e->off = 0;
}

static void
edit_end(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;

	(void)ui;
	e->off = e->len;
}

static void
edit_clear(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;

	(void)ui;
	e->buf[0] = '\0';
	e->len = e->off = 0;
	e->changed = 1;
}

static void
edit_backspace(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;
	size_t			 n;

	(void)ui;
	e->changed = 1;
	if (e->off == 0)
		return;
	n = prompt_prev(e->buf, e->off);
	memmove(e->buf + e->off - n, e->buf + e->off, e->len - e->off + 1);
	e->off -= n;
	e->len -= n;
}

static void
edit_delete(struct ui *ui, void *data)
{
	struct prompt_edit	*e = data;
	size_t			 n;

	(void)ui;
	e->changed = 1;
	if (e->off >= e->len)
		return;
	n = prompt_next(e->buf, e->len, e->off);
	memmove(e->buf + e->off, e->buf + e->off + n, e->len - e->off - n + 1);
	e->len -= n;
}

static const struct ui_action edit_line_actions[] = {
	{ .name = "accept", .run = edit_accept },
	{ .name = "cancel", .run = edit_cancel },
	{ .name = "left", .run = edit_left },
	{ .name = "right", .run = edit_right },
	{ .name = "home", .run = edit_home },
	{ .name = "end", .run = edit_end },
	{ .name = "clear", .run = edit_clear },
	{ .name = "backspace", .run = edit_backspace },
	{ .name = "delete", .run = edit_delete },
	{ .name = NULL }
};

/*
 * The one-line editor.  Each key typed changes only the editing row, so
 * it echoes a character or two on the wire; with live, once no key has
 * come for ms milliseconds since the text changed, live() runs and the
 * screen under the row is drawn again, once.
 */
static char *
prompt_line(struct ui *ui, const char *prompt, const char *initial,
    int allow_empty, int ms, void (*live)(struct ui *, void *, const char *),
    void *arg)
{
	struct prompt_edit	 e;
	const char		*action;
	size_t			 start = 0;
	int			 key, pw = ui_text_width(prompt), room, y;

	memset(&e, 0, sizeof e);
	e.buf = xstrdup(initial != NULL ? initial : "");
	e.len = e.off = strlen(e.buf);
	e.allow_empty = allow_empty;
	for (;;) {
		y = ui->rows - 2;	/* after a resize too */
		room = ui->cols - pw - 1;
		/* Scroll the visible part so the cursor stays on screen. */
		if (e.off < start || start > e.len)
			start = e.off;
		while (start < e.off &&
		    prompt_width(e.buf + start, e.off - start) > room - 1)
			start += prompt_next(e.buf, e.len, start);
		ui_line(ui, y, 0, UI_BOLD, prompt, pw);
		ui_line_cut(ui, y, pw, UI_NORMAL, e.buf + start, ui->cols - pw);
		wmove(stdscr, y, pw + prompt_width(e.buf + start, e.off -
		    start));
		key = ui_getkey_cursor_wait(ui, live != NULL && e.changed ? ms :
		    -1);
		if (key == KEYC_NONE) {
			prompt_keep(e.buf);
			free_wiped(e.buf);
			return (NULL);
		}
		if (key == UI_KEY_TIMEOUT) {
			e.changed = 0;
			live(ui, arg, e.buf);
			ui_redraw(ui);
			continue;
		}
		if (key == KEYC_RESIZE) {
			if (live != NULL)
				ui_redraw(ui);
			continue;
		}
		action = keymap_lookup(ui->keymap, KEYMAP_EDIT, key);
		if (action == NULL) {
			if (key >= 0x20 && key < KEYC_BASE && key != 0x7f) {
				prompt_insert(&e.buf, &e.len, &e.off, key);
				e.changed = 1;
			}
			continue;
		}
		ui_action_run(ui, edit_line_actions, action, &e);
		if (e.done != 0)
			break;
	}
	ui_line(ui, y, 0, UI_NORMAL, "", ui->cols);
	if (e.done < 0) {
		free(e.buf);
		return (NULL);
	}
	return (e.buf);
}

/* Word-wrapped lines of a text: start offsets of each display line. */
static size_t
area_wrap(const char *buf, size_t len, int width, size_t **starts)
{
	size_t	 n = 0, off = 0, line, last_space, k;
	int	 w;

	*starts = NULL;
	for (;;) {
		*starts = xrealloc(*starts, (n + 1) * sizeof **starts);
		(*starts)[n++] = off;
		if (off >= len)
			break;
		line = off;
		w = 0;
		last_space = 0;
		while (off < len && buf[off] != '\n') {
			k = prompt_next(buf, len, off);
			w += prompt_width(buf + off, k);
			if (w > width)
				break;
			if (buf[off] == ' ')
				last_space = off + 1;
			off += k;
		}
		if (off < len && buf[off] == '\n')
			off++;
		else if (off < len && last_space > line)
			off = last_space;
		else if (off == line)	/* not one character fits: take one */
			off += prompt_next(buf, len, off);
		if (off == len && buf[len - 1] != '\n')
			break;
	}
	return (n);
}

/*
 * The multi-line editor's state: the text (first, so the one-line
 * editor's actions serve it too) and its lines as last wrapped.
 */
struct prompt_area {
	struct prompt_edit	 e;
	size_t			*starts;	/* each line's first byte */
	size_t			 n, cl;		/* lines, the cursor's */
	int			 cx;		/* the cursor's column */
};

static void
area_home(struct ui *ui, void *data)
{
	struct prompt_area	*a = data;

	(void)ui;
	a->e.off = a->starts[a->cl];
}

static void
area_end(struct ui *ui, void *data)
{
	struct prompt_area	*a = data;

	(void)ui;
	a->e.off = a->cl + 1 < a->n ? a->starts[a->cl + 1] - 1 : a->e.len;
}

/* To the line above or below, as near the same column as it goes. */
static void
area_line(struct prompt_area *a, size_t cl)
{
	const char	*buf = a->e.buf;
	size_t		 off;

	a->cl = cl;
	off = a->starts[cl];
	while (off < a->e.len && buf[off] != '\n' &&
	    (cl + 1 >= a->n || off < a->starts[cl + 1]) &&
	    prompt_width(buf + a->starts[cl], off - a->starts[cl]) < a->cx)
		off += prompt_next(buf, a->e.len, off);
	a->e.off = off;
}

static void
area_line_up(struct ui *ui, void *data)
{
	struct prompt_area	*a = data;

	(void)ui;
	if (a->cl > 0)
		area_line(a, a->cl - 1);
}

static void
area_line_down(struct ui *ui, void *data)
{
	struct prompt_area	*a = data;

	(void)ui;
	if (a->cl + 1 < a->n)
		area_line(a, a->cl + 1);
}

static const struct ui_action edit_area_actions[] = {
	{ .name = "accept", .run = edit_accept },
	{ .name = "cancel", .run = edit_cancel },
	{ .name = "left", .run = edit_left },
	{ .name = "right", .run = edit_right },
	{ .name = "home", .run = area_home },
	{ .name = "end", .run = area_end },
	{ .name = "line-up", .run = area_line_up },
	{ .name = "line-down", .run = area_line_down },
	{ .name = "backspace", .run = edit_backspace },
	{ .name = "delete", .run = edit_delete },
	{ .name = NULL }
};

/*
 * A multi-line editor over the screen with word wrap.  Enter starts a new
 * line; accept (F2) keeps the text; cancel (Esc) drops it.
 */
char *
ui_textarea(struct ui *ui, const char *title, const char *initial)
{
	struct prompt_area	 a;
	const char		*action;
	char			*help, *seg, *nl;
	size_t			 top = 0, i, k;
	int			 key, rows, y;

	memset(&a, 0, sizeof a);
	a.e.buf = xstrdup(initial != NULL ? initial : "");
	a.e.len = a.e.off = strlen(a.e.buf);
	a.e.allow_empty = 1;
	for (;;) {
		rows = ui->rows - 3;
		a.n = area_wrap(a.e.buf, a.e.len, ui->cols - 1, &a.starts);
		for (a.cl = a.n - 1; a.cl > 0 && a.starts[a.cl] > a.e.off;
		    a.cl--)
			;
		if (a.cl < top)
			top = a.cl;
		if (a.cl >= top + (size_t)rows)
			top = a.cl - rows + 1;
		ui_line(ui, 0, 0, UI_TITLE, title, ui->cols);
		for (y = 0; y < rows; y++) {
			i = top + (size_t)y;
			if (i >= a.n) {
				ui_line(ui, 1 + y, 0, UI_NORMAL, "", ui->cols);
				continue;
			}
			k = (i + 1 < a.n ? a.starts[i + 1] : a.e.len) -
			    a.starts[i];
			seg = xstrndup(a.e.buf + a.starts[i], k);
			if ((nl = strchr(seg, '\n')) != NULL)
				*nl = '\0';
			ui_line(ui, 1 + y, 0, UI_NORMAL, seg, ui->cols);
			free(seg);
		}
		xasprintf(&help, ngettext("Enter: new line  F2: keep  Esc: "
		    "cancel  (%zu byte)", "Enter: new line  F2: keep  Esc: "
		    "cancel  (%zu bytes)", a.e.len), a.e.len);
		ui_line(ui, ui->rows - 2, 0, UI_DIM, help, ui->cols);
		free(help);
		ui_line(ui, ui->rows - 1, 0, UI_NORMAL, "", ui->cols);
		a.cx = prompt_width(a.e.buf + a.starts[a.cl], a.e.off -
		    a.starts[a.cl]);
		wmove(stdscr, 1 + (int)(a.cl - top), a.cx < ui->cols ? a.cx :
		    ui->cols - 1);
		key = ui_getkey_cursor(ui);
		if (key == KEYC_NONE) {
			prompt_keep(a.e.buf);
			free(a.starts);
			free_wiped(a.e.buf);
			return (NULL);
		}
		action = key == KEYC_ENTER ? NULL :
		    keymap_lookup(ui->keymap, KEYMAP_EDIT, key);
		if (key == KEYC_ENTER)
			prompt_insert(&a.e.buf, &a.e.len, &a.e.off, '\n');
		else if (action == NULL) {
			if (key >= 0x20 && key < KEYC_BASE && key != 0x7f)
				prompt_insert(&a.e.buf, &a.e.len, &a.e.off,
				    key);
		} else
			ui_action_run(ui, edit_area_actions, action, &a);
		free(a.starts);
		a.starts = NULL;
		/*
		 * Text typed is never dropped on one key: Esc asks first (an
		 * escape character pasted with a text lands here too, and the
		 * key after it, not a yes, goes on with the text).
		 */
		if (a.e.done < 0 && strcmp(a.e.buf, initial != NULL ?
		    initial : "") != 0 && !ui_confirm(ui, _("Drop what you "
		    "typed in this text?")))
			a.e.done = 0;
		if (a.e.done > 0)
			return (a.e.buf);
		if (a.e.done < 0) {
			free_wiped(a.e.buf);
			return (NULL);
		}
	}
}

/*
 * A picker.  Items whose code heads a group (the code of the items
 * after it begins with it and a dot: "probity" before
 * "probity.extortion") are headings: shown, never selectable, their
 * items indented under them.  Typing letters finds the first choice
 * that starts with them (else that contains them), without case or
 * accents; bound keys move and choose as the [pick] key map says, but
 * while letters are being typed every letter goes on the text (a space
 * too, but in a multiple choice, where it toggles), until a pause or a
 * move, and Enter chooses nothing while the text matches no choice.
 */
struct pick {
	struct ui_listbox lb;		/* first: its moves serve */
	const char	**codes, **labels;
	size_t		  n;
	char		 *heading;	/* n flags */
	int		  multi;
	char		 *selected;	/* with multi, n flags */
	int		  done;		/* 1 chosen, -1 cancelled */
};

static int
pick_heading(const char **codes, size_t n, size_t i)
{
	size_t	 len;

	if (codes == NULL || codes[i] == NULL || i + 1 >= n ||
	    codes[i + 1] == NULL)
		return (0);
	len = strlen(codes[i]);
	return (len > 0 && strncmp(codes[i + 1], codes[i], len) == 0 &&
	    codes[i + 1][len] == '.');
}

/* Headings are shown, never selected. */
static int
pick_selectable(const struct ui_listbox *lb, size_t i)
{
	const struct pick	*p = (const struct pick *)lb;

	return (!p->heading[i]);
}

/* The first choice starting with text, else containing it; -1: none. */
static long
pick_find(const struct pick *p, const char *text)
{
	size_t	 i;
	int	 pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < p->n; i++) {
			long	 at;

			if (p->heading[i])
				continue;
			at = text_find(p->labels[i], text);
			if ((pass == 0 && at == 0) || (pass == 1 && at > 0))
				return ((long)i);
		}
	return (-1);
}

static void
pick_toggle(struct ui *ui, void *data)
{
	struct pick	*p = data;

	(void)ui;
	if (p->multi && ui_listbox_selected(&p->lb, NULL))
		p->selected[p->lb.sel] = !p->selected[p->lb.sel];
}

static void
pick_accept(struct ui *ui, void *data)
{
	struct pick	*p = data;

	(void)ui;
	p->done = 1;
}

static void
pick_cancel(struct ui *ui, void *data)
{
	struct pick	*p = data;

	(void)ui;
	p->done = -1;
}

static const struct ui_action pick_actions[] = {
	UI_LISTBOX_ACTIONS,
	{ .name = "toggle", .run = pick_toggle },
	{ .name = "accept", .run = pick_accept },
	{ .name = "cancel", .run = pick_cancel },
	{ .name = NULL }
};

/*
 * Pick one item (returns its index) or, with multi, toggle several in
 * selected[] and return 0; -1 when cancelled.
 */
int
ui_pick(struct ui *ui, const char *title, const char **codes,
    const char **labels, size_t n, int multi, char *selected)
{
	struct pick	 p;
	const char	*action;
	char		*line, *hint, typed[64], u[8];
	size_t		 i, tl = 0;
	long		 found;
	int		 key, rows, y, grouped = 0, missed = 0, rc;

	if (n == 0)
		return (-1);
	memset(&p, 0, sizeof p);
	p.codes = codes;
	p.labels = labels;
	p.n = n;
	p.multi = multi;
	p.selected = selected;
	p.heading = xcalloc(n, 1);
	for (i = 0; i < n; i++)
		if ((p.heading[i] = (char)pick_heading(codes, n, i)))
			grouped = 1;
	p.lb.selectable = pick_selectable;
	ui_listbox_reset(&p.lb, n);
	typed[0] = '\0';
	for (;;) {
		rows = ui->rows - 3;
		/* The heading of the first item shown stays in view. */
		ui_listbox_show(&p.lb, rows);
		ui_line(ui, 0, 0, UI_TITLE, title, ui->cols);
		for (y = 0; y < rows; y++) {
			i = p.lb.top + (size_t)y;
			if (i >= n) {
				ui_line(ui, 1 + y, 0, UI_NORMAL, "", ui->cols);
				continue;
			}
			if (p.heading[i]) {
				ui_row(ui, 1 + y, UI_BOLD, labels[i], 0);
				continue;
			}
			xasprintf(&line, "%s%s%s", grouped && codes[i] != NULL &&
			    strchr(codes[i], '.') != NULL ? "  " : "", multi ?
			    (selected[i] ? "[x] " : "[ ] ") : "", labels[i]);
			ui_row(ui, 1 + y, UI_NORMAL, line,
			    ui_listbox_is_selected(&p.lb, i));
			free(line);
		}
		if (tl > 0) {
			xasprintf(&hint, missed ? _("Find: %s (no choice "
			    "contains it)") : _("Find: %s"), typed);
			ui_line(ui, ui->rows - 2, 0, missed ? UI_ALERT : UI_BOLD,
			    hint, ui->cols);
			free(hint);
		} else
			ui_line(ui, ui->rows - 2, 0, UI_DIM, multi ?
			    _("Type to find; Space: toggle  Enter: done  "
			    "Esc: cancel") : _("Type to find; Enter: choose  "
			    "Esc: cancel"), ui->cols);
		ui_line(ui, ui->rows - 1, 0, UI_NORMAL, "", ui->cols);
		wnoutrefresh(stdscr);
		doupdate();
		/* Letters typed make one text until a pause. */
		key = ui_getkey_wait(ui, tl > 0 ? 1500 : -1);
		if (key == KEYC_NONE) {
			p.done = -1;
			break;
		}
		if (key == UI_KEY_TIMEOUT) {
			tl = 0;
			typed[0] = '\0';
			missed = 0;
			continue;
		}
		if (key == KEYC_RESIZE)
			continue;
		action = keymap_lookup(ui->keymap, KEYMAP_PICK, key);
		if (tl > 0 && key == KEYC_BSPACE) {
			while (tl > 0 && (typed[tl - 1] & 0xc0) == 0x80)
				typed[--tl] = '\0';
			if (tl > 0)
				typed[--tl] = '\0';
			missed = 0;
			if (tl > 0 && (found = pick_find(&p, typed)) >= 0)
				p.lb.sel = (size_t)found;
			else if (tl > 0)
				missed = 1;
			continue;
		}
		/* While typing, Space is text, but in a multiple choice. */
		if (key >= 0x20 && key < KEYC_BASE && key != 0x7f &&
		    (action == NULL || (tl > 0 && (key != ' ' || !multi)))) {
			ui_key_text(key, u, sizeof u);
			if (tl + strlen(u) < sizeof typed) {
				memcpy(typed + tl, u, strlen(u) + 1);
				tl += strlen(u);
			}
			if ((found = pick_find(&p, typed)) >= 0) {
				p.lb.sel = (size_t)found;
				missed = 0;
			} else
				missed = 1;
			continue;
		}
		if (action == NULL)
			continue;
		/* Text that matches nothing chooses nothing. */
		if (missed && strcmp(action, "accept") == 0)
			continue;
		tl = 0;
		typed[0] = '\0';
		missed = 0;
		ui_action_run(ui, pick_actions, action, &p);
		if (p.done != 0)
			break;
	}
	rc = p.done < 0 ? -1 : multi ? 0 : (int)p.lb.sel;
	free(p.heading);
	return (rc);
}
