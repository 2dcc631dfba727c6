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

static int
prompt_width(const char *s, size_t n)
{
	char	*copy = xstrndup(s, n);
	int	 w = ui_text_width(copy);

	free(copy);
	return (w);
}

int
ui_confirm(struct ui *ui, const char *question)
{
	char	*q;
	int	 key;

	xasprintf(&q, _("%s (y/n)"), question);
	for (;;) {
		ui_line(ui, ui->rows - 2, 0, UI_ALERT, q, ui->cols);
		wnoutrefresh(stdscr);
		doupdate();
		key = ui_getkey(ui);
		if (key == KEYC_RESIZE)
			continue;
		break;
	}
	free(q);
	ui_line(ui, ui->rows - 2, 0, UI_NORMAL, "", ui->cols);
	return (key == 'y' || key == 'Y' || key == 'o' || key == 'O');
}

/*
 * A one-line editor on the message row.  Returns the text (malloc'd) or
 * NULL when cancelled or when the terminal went away.
 */
char *
ui_ask(struct ui *ui, const char *prompt, const char *initial, int allow_empty)
{
	const char	*action;
	char		*buf = xstrdup(initial != NULL ? initial : "");
	size_t		 len = strlen(buf), off = len, start = 0;
	int		 key, pw = ui_text_width(prompt), room, y;

	for (;;) {
		y = ui->rows - 2;	/* after a resize too */
		room = ui->cols - pw - 1;
		/* Scroll the visible part so the cursor stays on screen. */
		if (off < start)
			start = off;
		while (start < off &&
		    prompt_width(buf + start, off - start) > room - 1)
			start += prompt_next(buf, len, start);
		ui_line(ui, y, 0, UI_BOLD, prompt, pw);
		ui_line_cut(ui, y, pw, UI_NORMAL, buf + start, ui->cols - pw);
		wmove(stdscr, y, pw + prompt_width(buf + start, off - start));
		key = ui_getkey_cursor(ui);
		if (key == KEYC_NONE) {
			free(buf);
			return (NULL);
		}
		if (key == KEYC_RESIZE)
			continue;
		action = keymap_lookup(ui->keymap, KEYMAP_EDIT, key);
		if (action == NULL) {
			if (key >= 0x20 && key < KEYC_BASE && key != 0x7f)
				prompt_insert(&buf, &len, &off, key);
			continue;
		}
		if (strcmp(action, "accept") == 0) {
			if (len == 0 && !allow_empty)
				continue;
			break;
		}
		if (strcmp(action, "cancel") == 0) {
			free(buf);
			ui_line(ui, y, 0, UI_NORMAL, "", ui->cols);
			return (NULL);
		}
		if (strcmp(action, "left") == 0)
			off -= prompt_prev(buf, off);
		else if (strcmp(action, "right") == 0)
			off += prompt_next(buf, len, off);
		else if (strcmp(action, "home") == 0)
			off = 0;
		else if (strcmp(action, "end") == 0)
			off = len;
		else if (strcmp(action, "clear") == 0) {
			buf[0] = '\0';
			len = off = start = 0;
		} else if (strcmp(action, "backspace") == 0 && off > 0) {
			size_t	 n = prompt_prev(buf, off);

			memmove(buf + off - n, buf + off, len - off + 1);
			off -= n;
			len -= n;
		} else if (strcmp(action, "delete") == 0 && off < len) {
			size_t	 n = prompt_next(buf, len, off);

			memmove(buf + off, buf + off + n, len - off - n + 1);
			len -= n;
		}
	}
	ui_line(ui, y, 0, UI_NORMAL, "", ui->cols);
	return (buf);
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
 * A multi-line editor over the screen with word wrap.  Enter starts a new
 * line; accept (F2) keeps the text; cancel (Esc) drops it.
 */
char *
ui_textarea(struct ui *ui, const char *title, const char *initial)
{
	const char	*action;
	char		*buf = xstrdup(initial != NULL ? initial : ""), *help;
	size_t		 len = strlen(buf), off = len, *starts, n, cl, top = 0;
	size_t		 i, k;
	int		 key, rows, y, cx, want;

	for (;;) {
		rows = ui->rows - 3;
		n = area_wrap(buf, len, ui->cols - 1, &starts);
		for (cl = n - 1; cl > 0 && starts[cl] > off; cl--)
			;
		if (cl < top)
			top = cl;
		if (cl >= top + (size_t)rows)
			top = cl - rows + 1;
		ui_line(ui, 0, 0, UI_TITLE, title, ui->cols);
		for (y = 0; y < rows; y++) {
			i = top + (size_t)y;
			if (i >= n) {
				ui_line(ui, 1 + y, 0, UI_NORMAL, "", ui->cols);
				continue;
			}
			k = (i + 1 < n ? starts[i + 1] : len) - starts[i];
			{
				char	*seg = xstrndup(buf + starts[i], k);
				char	*nl = strchr(seg, '\n');

				if (nl != NULL)
					*nl = '\0';
				ui_line(ui, 1 + y, 0, UI_NORMAL, seg, ui->cols);
				free(seg);
			}
		}
		xasprintf(&help, _("Enter: new line  F2: keep  Esc: cancel  "
		    "(%zu bytes)"), len);
		ui_line(ui, ui->rows - 2, 0, UI_DIM, help, ui->cols);
		free(help);
		ui_line(ui, ui->rows - 1, 0, UI_NORMAL, "", ui->cols);
		cx = prompt_width(buf + starts[cl], off - starts[cl]);
		wmove(stdscr, 1 + (int)(cl - top), cx < ui->cols ? cx :
		    ui->cols - 1);
		key = ui_getkey_cursor(ui);
		if (key == KEYC_NONE) {
			free(starts);
			free(buf);
			return (NULL);
		}
		action = key == KEYC_ENTER ? NULL :
		    keymap_lookup(ui->keymap, KEYMAP_EDIT, key);
		if (key == KEYC_ENTER)
			prompt_insert(&buf, &len, &off, '\n');
		else if (action == NULL) {
			if (key >= 0x20 && key < KEYC_BASE && key != 0x7f)
				prompt_insert(&buf, &len, &off, key);
		} else if (strcmp(action, "accept") == 0) {
			free(starts);
			return (buf);
		} else if (strcmp(action, "cancel") == 0) {
			free(starts);
			free(buf);
			return (NULL);
		} else if (strcmp(action, "left") == 0)
			off -= prompt_prev(buf, off);
		else if (strcmp(action, "right") == 0)
			off += prompt_next(buf, len, off);
		else if (strcmp(action, "home") == 0)
			off = starts[cl];
		else if (strcmp(action, "end") == 0)
			off = cl + 1 < n ? starts[cl + 1] - 1 : len;
		else if ((strcmp(action, "line-up") == 0 && cl > 0) ||
		    (strcmp(action, "line-down") == 0 && cl + 1 < n)) {
			want = cx;
			cl = action[5] == 'u' ? cl - 1 : cl + 1;
			off = starts[cl];
			while (off < len && buf[off] != '\n' &&
			    (cl + 1 >= n || off < starts[cl + 1]) &&
			    prompt_width(buf + starts[cl], off - starts[cl]) <
			    want)
				off += prompt_next(buf, len, off);
		} else if (strcmp(action, "backspace") == 0 && off > 0) {
			k = prompt_prev(buf, off);
			memmove(buf + off - k, buf + off, len - off + 1);
			off -= k;
			len -= k;
		} else if (strcmp(action, "delete") == 0 && off < len) {
			k = prompt_next(buf, len, off);
			memmove(buf + off, buf + off + k, len - off - k + 1);
			len -= k;
		}
		free(starts);
	}
}

/*
 * Pick one item (returns its index) or, with multi, toggle several in
 * selected[] and return 0; -1 when cancelled.
 */
int
ui_pick(struct ui *ui, const char *title, const char **codes,
    const char **labels, size_t n, int multi, char *selected)
{
	const char	*action;
	char		 line[256];
	size_t		 sel = 0, top = 0, i;
	int		 key, rows, y;

	(void)codes;
	for (;;) {
		rows = ui->rows - 3;
		if (sel < top)
			top = sel;
		if (sel >= top + (size_t)rows)
			top = sel - rows + 1;
		ui_line(ui, 0, 0, UI_TITLE, title, ui->cols);
		for (y = 0; y < rows; y++) {
			i = top + (size_t)y;
			if (i >= n) {
				ui_line(ui, 1 + y, 0, UI_NORMAL, "", ui->cols);
				continue;
			}
			snprintf(line, sizeof line, "%s%s", multi ?
			    (selected[i] ? "[x] " : "[ ] ") : "", labels[i]);
			ui_row(ui, 1 + y, UI_NORMAL, line, i == sel);
		}
		ui_line(ui, ui->rows - 2, 0, UI_DIM, multi ? _("Space: toggle  "
		    "Enter: done  Esc: cancel") : _("Enter: choose  Esc: "
		    "cancel"), ui->cols);
		ui_line(ui, ui->rows - 1, 0, UI_NORMAL, "", ui->cols);
		wnoutrefresh(stdscr);
		doupdate();
		key = ui_getkey(ui);
		if (key == KEYC_NONE)
			return (-1);
		if ((action = keymap_lookup(ui->keymap, KEYMAP_PICK,
		    key)) == NULL)
			continue;
		if (strcmp(action, "down") == 0 && sel + 1 < n)
			sel++;
		else if (strcmp(action, "up") == 0 && sel > 0)
			sel--;
		else if (strcmp(action, "page-down") == 0)
			sel = sel + rows < n ? sel + rows : n - 1;
		else if (strcmp(action, "page-up") == 0)
			sel = sel > (size_t)rows ? sel - rows : 0;
		else if (strcmp(action, "toggle") == 0 && multi)
			selected[sel] = !selected[sel];
		else if (strcmp(action, "accept") == 0)
			return (multi ? 0 : (int)sel);
		else if (strcmp(action, "cancel") == 0)
			return (-1);
	}
}
