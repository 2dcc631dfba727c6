/*
 * screen.c: a small terminal emulator, enough for what curses sends to
 * xterm: text, cursor motion, erasing, scrolling regions.  The monkey
 * keeps the screen to print it when the oracle fires, and to read the
 * hint bar: q on the case list leaves the program, and restarting it
 * costs a sign-in, so q there is sent less often than elsewhere.
 *
 * Cells hold one character (UTF-8, up to 4 bytes); attributes are
 * ignored.  A wide character takes its cell and leaves the next empty.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "monkey.h"

#define CELL(s, y, x)	((s)->cells + ((size_t)(y) * (s)->cols + (x)) * 4)

void
screen_resize(struct screen *s, int cols, int rows)
{
	char	*n;
	int	 y, w;

	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	if ((n = calloc((size_t)cols * rows, 4)) == NULL)
		abort();
	for (y = 0; y < rows && y < s->rows; y++) {
		w = cols < s->cols ? cols : s->cols;
		memcpy(n + (size_t)y * cols * 4, CELL(s, y, 0), (size_t)w * 4);
	}
	free(s->cells);
	s->cells = n;
	s->cols = cols;
	s->rows = rows;
	s->top = 0;
	s->bottom = rows - 1;
	if (s->cx >= cols)
		s->cx = cols - 1;
	if (s->cy >= rows)
		s->cy = rows - 1;
}

void
screen_free(struct screen *s)
{
	free(s->cells);
	memset(s, 0, sizeof *s);
}

static void
screen_erase(struct screen *s, int y, int from, int to)
{
	if (y < 0 || y >= s->rows)
		return;
	if (from < 0)
		from = 0;
	if (to > s->cols)
		to = s->cols;
	if (to > from)
		memset(CELL(s, y, from), 0, (size_t)(to - from) * 4);
}

/* Scroll lines top..bottom up by n (down when n < 0). */
static void
screen_scroll(struct screen *s, int top, int bottom, int n)
{
	size_t	 row = (size_t)s->cols * 4;
	int	 y;

	if (top < 0 || bottom >= s->rows || top > bottom)
		return;
	for (; n > 0; n--) {
		for (y = top; y < bottom; y++)
			memcpy(CELL(s, y, 0), CELL(s, y + 1, 0), row);
		screen_erase(s, bottom, 0, s->cols);
	}
	for (; n < 0; n++) {
		for (y = bottom; y > top; y--)
			memcpy(CELL(s, y, 0), CELL(s, y - 1, 0), row);
		screen_erase(s, top, 0, s->cols);
	}
}

static void
screen_newline(struct screen *s)
{
	if (s->cy == s->bottom)
		screen_scroll(s, s->top, s->bottom, 1);
	else if (s->cy < s->rows - 1)
		s->cy++;
}

static int
param(const struct screen *s, int i, int dflt)
{
	return (i < s->nparams && s->params[i] > 0 ? s->params[i] : dflt);
}

static void
screen_csi(struct screen *s, unsigned char c)
{
	int	 n = param(s, 0, 1), i;

	if (s->private)
		return;		/* modes: nothing to draw */
	switch (c) {
	case 'H':
	case 'f':
		s->cy = param(s, 0, 1) - 1;
		s->cx = param(s, 1, 1) - 1;
		break;
	case 'd':
		s->cy = n - 1;
		break;
	case 'G':
	case '`':
		s->cx = n - 1;
		break;
	case 'A':
		s->cy -= n;
		break;
	case 'B':
		s->cy += n;
		break;
	case 'C':
		s->cx += n;
		break;
	case 'D':
		s->cx -= n;
		break;
	case 'K':
		i = param(s, 0, 0);
		screen_erase(s, s->cy, i == 0 ? s->cx : 0, i == 1 ? s->cx + 1 :
		    s->cols);
		break;
	case 'J':
		i = param(s, 0, 0);
		if (i == 0) {
			screen_erase(s, s->cy, s->cx, s->cols);
			for (i = s->cy + 1; i < s->rows; i++)
				screen_erase(s, i, 0, s->cols);
		} else if (i == 2 || i == 3)
			for (i = 0; i < s->rows; i++)
				screen_erase(s, i, 0, s->cols);
		break;
	case 'X':
		screen_erase(s, s->cy, s->cx, s->cx + n);
		break;
	case 'S':
		screen_scroll(s, s->top, s->bottom, n);
		break;
	case 'T':
		screen_scroll(s, s->top, s->bottom, -n);
		break;
	case 'L':
		if (s->cy >= s->top && s->cy <= s->bottom)
			screen_scroll(s, s->cy, s->bottom, -n);
		break;
	case 'M':
		if (s->cy >= s->top && s->cy <= s->bottom)
			screen_scroll(s, s->cy, s->bottom, n);
		break;
	case 'P':
		for (i = s->cx; i < s->cols; i++) {
			if (i + n < s->cols)
				memcpy(CELL(s, s->cy, i), CELL(s, s->cy, i + n), 4);
			else
				memset(CELL(s, s->cy, i), 0, 4);
		}
		break;
	case '@':
		for (i = s->cols - 1; i >= s->cx; i--) {
			if (i - n >= s->cx)
				memcpy(CELL(s, s->cy, i), CELL(s, s->cy, i - n), 4);
			else
				memset(CELL(s, s->cy, i), 0, 4);
		}
		break;
	case 'r':
		s->top = param(s, 0, 1) - 1;
		s->bottom = param(s, 1, s->rows) - 1;
		if (s->top < 0 || s->bottom >= s->rows || s->top >= s->bottom) {
			s->top = 0;
			s->bottom = s->rows - 1;
		}
		s->cx = s->cy = 0;
		break;
	}
}

static void
screen_clamp(struct screen *s)
{
	if (s->cx < 0)
		s->cx = 0;
	if (s->cx > s->cols)
		s->cx = s->cols;	/* pending wrap */
	if (s->cy < 0)
		s->cy = 0;
	if (s->cy >= s->rows)
		s->cy = s->rows - 1;
}

static void
screen_put(struct screen *s, const char *u, size_t len)
{
	wchar_t	 wc;
	int	 w = 1;

	if (mbtowc(&wc, u, len) > 0 && (w = wcwidth(wc)) < 0)
		w = 1;
	if (w == 0) {		/* combining: keep it with the previous cell */
		return;
	}
	if (s->cx + w > s->cols) {
		s->cx = 0;
		screen_newline(s);
	}
	memset(CELL(s, s->cy, s->cx), 0, 4);
	memcpy(CELL(s, s->cy, s->cx), u, len);
	if (w == 2 && s->cx + 1 < s->cols)
		memset(CELL(s, s->cy, s->cx + 1), 0, 4);
	s->cx += w;
}

void
screen_feed(struct screen *s, const char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)buf[i];

		switch (s->state) {
		case 1:				/* after ESC */
			s->state = 0;
			if (c == '[') {
				s->state = 2;
				s->nparams = 0;
				s->private = 0;
				memset(s->params, 0, sizeof s->params);
			} else if (c == ']' || c == 'P')
				s->state = 3;
			else if (c == '(' || c == ')')
				s->state = 4;
			else if (c == '7') {
				s->sx = s->cx;
				s->sy = s->cy;
			} else if (c == '8') {
				s->cx = s->sx;
				s->cy = s->sy;
			} else if (c == 'M') {
				if (s->cy == s->top)
					screen_scroll(s, s->top, s->bottom, -1);
				else
					s->cy--;
			} else if (c == 'D')
				screen_newline(s);
			else if (c == 'E') {
				s->cx = 0;
				screen_newline(s);
			}
			break;
		case 2:				/* CSI */
			if (c >= '0' && c <= '9') {
				if (s->nparams == 0)
					s->nparams = 1;
				if (s->params[s->nparams - 1] < 10000)
					s->params[s->nparams - 1] =
					    s->params[s->nparams - 1] * 10 +
					    (c - '0');
			} else if (c == ';') {
				if (s->nparams == 0)
					s->nparams = 1;
				if (s->nparams < 8)
					s->nparams++;
			} else if (c == '?' || c == '>' || c == '=')
				s->private = 1;
			else if (c >= 0x40 && c <= 0x7e) {
				s->state = 0;
				screen_csi(s, c);
			}
			break;
		case 3:				/* OSC, DCS */
			if (c == 0x07 || c == '\\')
				s->state = 0;
			break;
		case 4:				/* charset */
			s->state = 0;
			break;
		default:
			if (s->ulen > 0) {
				s->u[s->ulen++] = (char)c;
				if (s->ulen == s->uwant) {
					screen_put(s, s->u, s->ulen);
					s->ulen = 0;
				}
				break;
			}
			if (c == 0x1b)
				s->state = 1;
			else if (c == '\r')
				s->cx = 0;
			else if (c == '\n')
				screen_newline(s);
			else if (c == '\b')
				s->cx--;
			else if (c == '\t')
				s->cx = (s->cx / 8 + 1) * 8;
			else if (c >= 0x20 && c < 0x7f)
				screen_put(s, (const char *)&buf[i], 1);
			else if (c >= 0xc0) {
				s->u[0] = (char)c;
				s->ulen = 1;
				s->uwant = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			}
			break;
		}
		screen_clamp(s);
	}
}

/* Row y as text (blank cells as spaces) into buf. */
void
screen_row(const struct screen *s, int y, char *buf, size_t len)
{
	size_t	 used = 0, n;
	int	 x;

	buf[0] = '\0';
	if (y < 0 || y >= s->rows)
		return;
	for (x = 0; x < s->cols; x++) {
		const char	*c = CELL(s, y, x);

		n = c[0] == '\0' ? 1 : strnlen(c, 4);
		if (used + n + 1 > len)
			break;
		if (c[0] == '\0')
			buf[used] = ' ';
		else
			memcpy(buf + used, c, n);
		used += n;
	}
	while (used > 0 && buf[used - 1] == ' ')
		used--;
	buf[used] = '\0';
}

void
screen_print(const struct screen *s, const char *prefix)
{
	char	 line[4096];
	int	 y, last = -1;

	for (y = 0; y < s->rows; y++) {
		screen_row(s, y, line, sizeof line);
		if (*line != '\0')
			last = y;
	}
	for (y = 0; y <= last; y++) {
		screen_row(s, y, line, sizeof line);
		printf("%s%s\n", prefix, line);
	}
}
