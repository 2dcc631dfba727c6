/*
 * ui-listbox.c: the one list widget.  The case list, the case view, the
 * dashboard, the accounts and the pickers each show rows of which some
 * may be selected (a heading, a case's header lines, the journal may
 * not) and keep one of them selected and in view; this file does that
 * for all of them, as tmux's mode-tree.c and calcurse's listbox.c do.
 *
 * The screen owns its rows and draws them; the listbox holds only their
 * number, the selection, the first row shown, and asks the screen's
 * selectable() whether a row may be selected.  A screen's data begins
 * with its struct ui_listbox, so the moves below serve every screen's
 * action table as they are (UI_LISTBOX_ACTIONS).
 *
 * Moves land on a selectable row: the nearest one going the same way,
 * else the nearest the other way.  Past the last selectable row, "down"
 * scrolls what follows it (a journal) into view, as far as the
 * selection stays on screen; before the first, "up" shows the rows above
 * it.  A heading right above the selection stays in view.
 */
#include "config.h"

#include <stddef.h>

#include "ui.h"

static int
listbox_can(const struct ui_listbox *lb, size_t i)
{
	if (i >= lb->n)
		return (0);
	return (lb->selectable == NULL || lb->selectable(lb, i));
}

/* The selectable row nearest to i going by step (+1 or -1), or -1. */
static long
listbox_find(const struct ui_listbox *lb, size_t i, int step)
{
	for (;;) {
		if (listbox_can(lb, i))
			return ((long)i);
		if ((step < 0 && i == 0) || (step > 0 && i + 1 >= lb->n))
			return (-1);
		i = step < 0 ? i - 1 : i + 1;
	}
}

/* Row i if it may be selected, else the nearest after it, else before. */
void
ui_listbox_select(struct ui_listbox *lb, size_t i)
{
	long	 k;

	if (lb->n == 0) {
		lb->sel = lb->top = 0;
		return;
	}
	if (i >= lb->n)
		i = lb->n - 1;
	if ((k = listbox_find(lb, i, 1)) < 0 &&
	    (k = listbox_find(lb, i, -1)) < 0)
		k = (long)i;
	lb->sel = (size_t)k;
}

void
ui_listbox_reset(struct ui_listbox *lb, size_t n)
{
	lb->n = n;
	if (lb->top >= n)
		lb->top = 0;
	ui_listbox_select(lb, lb->sel);
}

int
ui_listbox_selected(const struct ui_listbox *lb, size_t *i)
{
	if (!listbox_can(lb, lb->sel))
		return (0);
	if (i != NULL)
		*i = lb->sel;
	return (1);
}

int
ui_listbox_is_selected(const struct ui_listbox *lb, size_t i)
{
	return (i == lb->sel && listbox_can(lb, i));
}

/* Before drawing body rows: the selection in view, its heading too. */
void
ui_listbox_show(struct ui_listbox *lb, int body)
{
	size_t	 b = body > 0 ? (size_t)body : 1;

	lb->body = b;
	if (lb->top > 0 && lb->top + b > lb->n)
		lb->top = lb->n > b ? lb->n - b : 0;
	if (lb->sel < lb->top)
		lb->top = lb->sel;
	if (lb->sel >= lb->top + b)
		lb->top = lb->sel - b + 1;
	if (b > 1 && lb->top > 0 && lb->sel == lb->top &&
	    !listbox_can(lb, lb->top - 1))
		lb->top--;
}

/* A page keeps one row of the one before in view. */
static size_t
listbox_page(const struct ui_listbox *lb)
{
	return (lb->body > 1 ? lb->body - 1 : 1);
}

void
ui_listbox_down(struct ui *ui, void *data)
{
	struct ui_listbox	*lb = data;
	long			 k;

	(void)ui;
	if (lb->n == 0)
		return;
	if (lb->sel + 1 < lb->n && (k = listbox_find(lb, lb->sel + 1, 1)) >= 0)
		lb->sel = (size_t)k;
	else if (lb->top < lb->sel && lb->top + lb->body < lb->n)
		lb->top++;	/* what follows the last one into view */
}

void
ui_listbox_up(struct ui *ui, void *data)
{
	struct ui_listbox	*lb = data;
	long			 k;

	(void)ui;
	if (lb->sel > 0 && (k = listbox_find(lb, lb->sel - 1, -1)) >= 0)
		lb->sel = (size_t)k;
	else
		lb->top = 0;	/* what comes before the first into view */
}

void
ui_listbox_page_down(struct ui *ui, void *data)
{
	struct ui_listbox	*lb = data;
	long			 k;

	(void)ui;
	if (lb->n == 0)
		return;
	if (lb->sel + listbox_page(lb) < lb->n)
		ui_listbox_select(lb, lb->sel + listbox_page(lb));
	else if ((k = listbox_find(lb, lb->n - 1, -1)) >= 0)
		lb->sel = (size_t)k;
}

void
ui_listbox_page_up(struct ui *ui, void *data)
{
	struct ui_listbox	*lb = data;

	(void)ui;
	if (lb->sel > listbox_page(lb))
		ui_listbox_select(lb, lb->sel - listbox_page(lb));
	else
		ui_listbox_first(ui, data);
}

void
ui_listbox_first(struct ui *ui, void *data)
{
	struct ui_listbox	*lb = data;

	(void)ui;
	lb->top = 0;
	ui_listbox_select(lb, 0);
}

void
ui_listbox_last(struct ui *ui, void *data)
{
	struct ui_listbox	*lb = data;
	long			 k;

	(void)ui;
	if (lb->n > 0 && (k = listbox_find(lb, lb->n - 1, -1)) >= 0)
		lb->sel = (size_t)k;
}
