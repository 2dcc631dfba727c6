/*
 * ui-pager.c: the one pager of read-only text.  The help screen, the
 * audit log, the record viewer and the case journal are each a class of
 * pager: rows of text laid out for the terminal's width (again when it
 * changes), a title row if the class has one, moved a row or a page at a
 * time, to the first or the last, then the class's own actions (edit a
 * record, attach a file) from the same kind of table as every screen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui.h"
#include "util.h"

static void	 pager_down(struct ui *, void *);
static void	 pager_up(struct ui *, void *);
static void	 pager_page_down(struct ui *, void *);
static void	 pager_page_up(struct ui *, void *);
static void	 pager_top(struct ui *, void *);
static void	 pager_bottom(struct ui *, void *);
static void	 pager_back(struct ui *, void *);
static int	 pager_offers_page(struct ui *, void *);

/* Moving, for every pager; "back" unless the class has its own. */
static const struct ui_action pager_actions[] = {
	{ .name = "down", .run = pager_down },
	{ .name = "up", .run = pager_up },
	{ .name = "page-down", .run = pager_page_down,
	  .offered = pager_offers_page },
	{ .name = "page-up", .run = pager_page_up },
	{ .name = "top", .run = pager_top },
	{ .name = "bottom", .run = pager_bottom },
	{ .name = "back", .run = pager_back },
	{ .name = NULL }
};

struct ui_pager *
ui_pager_create(const struct ui_pager_class *cls, void *data)
{
	struct ui_pager	*p = xcalloc(1, sizeof *p);

	p->cls = cls;
	p->data = data;
	return (p);
}

void
ui_pager_clear(struct ui_pager *p)
{
	size_t	 i;

	for (i = 0; i < p->nrows; i++)
		free(p->rows[i].text);
	free(p->rows);
	p->rows = NULL;
	p->nrows = 0;
}

void
ui_pager_add(struct ui_pager *p, int kind, const char *text)
{
	p->rows = xrealloc(p->rows, (p->nrows + 1) * sizeof *p->rows);
	p->rows[p->nrows].text = xstrdup(text);
	p->rows[p->nrows].kind = kind;
	p->nrows++;
}

void
ui_pager_add_wrapped(struct ui_pager *p, int kind, const char *text,
    int cols, int indent)
{
	char	**lines, *row, *clean;
	size_t	  n, i;

	clean = text_clean(text, strlen(text), TEXT_NEWLINES);
	n = text_wrap(clean, cols - indent, &lines);
	for (i = 0; i < n; i++) {
		xasprintf(&row, "%*s%s", i == 0 ? 0 : indent, "", lines[i]);
		ui_pager_add(p, kind, row);
		free(row);
	}
	text_lines_free(lines, n);
	free(clean);
}

void
ui_pager_relayout(struct ui_pager *p)
{
	p->laid = 0;
}

int
ui_pager_scrolls(const struct ui_pager *p)
{
	return (p->nrows > (size_t)p->body);
}

/* The first row shown when the last screenful is. */
static size_t
pager_last(const struct ui_pager *p)
{
	return (p->nrows > (size_t)p->body ? p->nrows - (size_t)p->body : 0);
}

/* A page keeps one row of the one before in view. */
static size_t
pager_page(const struct ui_pager *p)
{
	return (p->body > 1 ? (size_t)p->body - 1 : 1);
}

void
ui_pager_draw(struct ui *ui, void *data, int rows, int cols)
{
	struct ui_pager	*p = data;
	char		*title;
	size_t		 i;
	int		 y, y0 = 0, kind = UI_TITLE;

	if (p->cls->layout != NULL && p->laid != cols) {
		ui_pager_clear(p);
		p->laid = cols;
		p->cls->layout(ui, p, cols);
	}
	if (p->cls->title != NULL)
		y0 = 1;
	p->body = rows - y0;
	if (p->top > pager_last(p))
		p->top = pager_last(p);
	if (p->cls->title != NULL) {
		title = p->cls->title(ui, p, &kind);
		ui_line(ui, 0, 0, kind, title, cols);
		free(title);
	}
	for (y = 0; y < p->body; y++) {
		i = p->top + (size_t)y;
		ui_line(ui, y0 + y, 0, i < p->nrows ? p->rows[i].kind :
		    UI_NORMAL, i < p->nrows ? p->rows[i].text : "", cols);
	}
}

void
ui_pager_key(struct ui *ui, void *data, const char *action, int key)
{
	struct ui_pager	*p = data;

	(void)key;
	if (action == NULL)
		return;
	/* The class's actions first: it may go back its own way. */
	if (ui_action_run(ui, p->cls->actions, action, p))
		return;
	ui_action_run(ui, pager_actions, action, p);
}

int
ui_pager_offers(struct ui *ui, void *data, const char *action)
{
	struct ui_pager		*p = data;
	const struct ui_action	*a;

	if ((a = ui_action_find(p->cls->actions, action)) == NULL)
		a = ui_action_find(pager_actions, action);
	if (a == NULL)
		return (0);	/* a class's action, not this one's */
	if (a->offered != NULL)
		return (a->offered(ui, p));
	return (1);
}

void
ui_pager_free(void *data)
{
	struct ui_pager	*p = data;

	ui_pager_clear(p);
	if (p->cls->free != NULL)
		p->cls->free(p->data);
	free(p);
}

static void
pager_down(struct ui *ui, void *data)
{
	struct ui_pager	*p = data;

	(void)ui;
	if (p->top < pager_last(p))
		p->top++;
}

static void
pager_up(struct ui *ui, void *data)
{
	struct ui_pager	*p = data;

	(void)ui;
	if (p->top > 0)
		p->top--;
}

static void
pager_page_down(struct ui *ui, void *data)
{
	struct ui_pager	*p = data;

	(void)ui;
	p->top = p->top + pager_page(p) < pager_last(p) ? p->top +
	    pager_page(p) : pager_last(p);
}

static void
pager_page_up(struct ui *ui, void *data)
{
	struct ui_pager	*p = data;

	(void)ui;
	p->top = p->top > pager_page(p) ? p->top - pager_page(p) : 0;
}

static void
pager_top(struct ui *ui, void *data)
{
	struct ui_pager	*p = data;

	(void)ui;
	p->top = 0;
}

static void
pager_bottom(struct ui *ui, void *data)
{
	struct ui_pager	*p = data;

	(void)ui;
	p->top = pager_last(p);
}

static void
pager_back(struct ui *ui, void *data)
{
	(void)data;
	ui_pop(ui);
}

static int
pager_offers_page(struct ui *ui, void *data)
{
	(void)ui;
	return (ui_pager_scrolls(data));
}
