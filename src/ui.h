/*
 * ui.h: the terminal application (design.md section 6).  Only ui*.c
 * include curses.h.
 *
 * A screen is a const table of functions.  Key handlers change state and
 * never paint; once per turn of the loop, ui.c asks the top screen to
 * draw into the standard screen and sends the difference with a single
 * doupdate(), so moving a selection costs a few bytes on the wire.
 */
#ifndef UI_H
#define UI_H

#include <stddef.h>
#include <stdint.h>

#include "casefile.h"
#include "keymap.h"

struct store;
struct ui;
struct record;
struct form;
struct form_field;
struct workflow;

/*
 * What a screen does: each action of its key map ("down", "edit") with
 * the function that does it, and whether it is offered to the signed-in
 * user (NULL: always).  A table ends with an entry whose name is NULL.
 */
struct ui_action {
	const char	*name;
	void		(*run)(struct ui *, void *);
	int		(*offered)(struct ui *, void *);
};

struct screen {
	const char		*name;
	enum keymap_screen	 keys;
	void	(*draw)(struct ui *, void *, int, int);	/* rows, cols */
	/* Its actions; an action not in the table (or a plain key, with
	 * action NULL) goes to key() when there is one. */
	const struct ui_action	*actions;
	void	(*key)(struct ui *, void *, const char *, int);
	void	(*free)(void *);
	/* Save what can be saved when the terminal goes away. */
	void	(*hangup)(struct ui *, void *);
	/* Is this action offered to the signed-in user (NULL: all are)? */
	int	(*offers)(struct ui *, void *, const char *);
	/* A status screen: read again every UI_TICK_SECONDS while it is
	 * on top and no key comes (NULL: drawn from what it holds). */
	void	(*tick)(struct ui *, void *);
};

#define UI_TICK_SECONDS	5

struct ui_settings {
	int		 idle_minutes;		/* lock after; 0 = never */
	int		 idle_seconds;		/* the same, as counted */
	int		 arrow_cursor;		/* "->" instead of reverse */
	int		 warning_threshold;	/* agents in >= n cases */
};

#define UI_MAXSTACK	8

struct ui {
	struct store		*store;
	struct casefile_ctx	 ctx;
	struct keymap		*keymap;
	struct ui_settings	 settings;
	struct {
		const struct screen	*screen;
		void			*data;
	}			 stack[UI_MAXSTACK];
	int			 depth;
	char			*message;	/* one line, until next key */
	int			 mrows;		/* its rows at the last draw */
	char			*notice;	/* a config problem, after sign-in */
	int			 error;		/* message is an error */
	int			 quit;
	int			 color;
	int			 rows, cols;
	uint64_t		 list_dirty;	/* bumped by changes */
	int			 idle;		/* seconds with no key */
	int			 ticking;	/* the main loop waits */
};

#define UI_MIN_ROWS	24
#define UI_MIN_COLS	80

/* The terminal application on this data directory (NULL: the default)
 * for this user (NULL: ask); 0, or 1 after one sentence on stderr. */
int	 ui_main(const char *, const char *);

void	 ui_push(struct ui *, const struct screen *, void *);
void	 ui_pop(struct ui *);
int	 ui_refuses_change(struct ui *);
void	 ui_message(struct ui *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 ui_message_add(struct ui *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 ui_cause(struct ui *, char *);

/* ui-action.c: the entry for an action, or NULL; run it (1) or not
 * found (0); whether a screen offers an action to the user. */
const struct ui_action *ui_action_find(const struct ui_action *,
	    const char *);
int	 ui_action_run(struct ui *, const struct ui_action *, const char *,
	    void *);
int	 ui_screen_offers(struct ui *, const struct screen *, void *,
	    const char *);

/*
 * ui-listbox.c: the one list widget: rows of which some may be selected,
 * the selection and the first row shown, moved a row or a page at a
 * time, to the first and the last.  A screen's data begins with its
 * struct ui_listbox, so UI_LISTBOX_ACTIONS serve its action table.
 */
struct ui_listbox {
	size_t	 n;		/* rows */
	size_t	 sel, top;	/* the selection, the first row shown */
	size_t	 body;		/* rows shown, last drawn */
	/* May row i be selected (NULL: every row)? */
	int	(*selectable)(const struct ui_listbox *, size_t);
};
/* There are n rows now: the selection kept, on a row it may be on. */
void	 ui_listbox_reset(struct ui_listbox *, size_t);
/* Select row i, else the nearest selectable after it, else before. */
void	 ui_listbox_select(struct ui_listbox *, size_t);
/* Is a row selected (which, into the pointer if not NULL)?  Row i? */
int	 ui_listbox_selected(const struct ui_listbox *, size_t *);
int	 ui_listbox_is_selected(const struct ui_listbox *, size_t);
/* Before drawing: body rows are shown; top moves to show the selection. */
void	 ui_listbox_show(struct ui_listbox *, int);
void	 ui_listbox_down(struct ui *, void *);
void	 ui_listbox_up(struct ui *, void *);
void	 ui_listbox_page_down(struct ui *, void *);
void	 ui_listbox_page_up(struct ui *, void *);
void	 ui_listbox_first(struct ui *, void *);
void	 ui_listbox_last(struct ui *, void *);
#define UI_LISTBOX_ACTIONS						\
	{ .name = "down", .run = ui_listbox_down },			\
	{ .name = "up", .run = ui_listbox_up },				\
	{ .name = "page-down", .run = ui_listbox_page_down },		\
	{ .name = "page-up", .run = ui_listbox_page_up },		\
	{ .name = "top", .run = ui_listbox_first },			\
	{ .name = "bottom", .run = ui_listbox_last }

/*
 * ui-pager.c: read-only text in rows, scrolled a row or a page at a
 * time, first and last.  A screen built on the pager pushes a struct
 * ui_pager whose class says how to lay out its rows for a width, its
 * title and its own actions besides moving.
 */
struct ui_pager;
struct ui_pager_class {
	/* Lay the rows out for cols (ui_pager_add...); NULL: laid once. */
	void	(*layout)(struct ui *, struct ui_pager *, int);
	/* The title row (malloc'd) and its look; NULL: no title row. */
	char	*(*title)(struct ui *, struct ui_pager *, int *);
	const struct ui_action	*actions;	/* besides moving */
	void	(*free)(void *);		/* the class's data */
};
struct ui_pager_row {
	char		*text;
	int		 kind;		/* UI_* */
};
struct ui_pager {
	const struct ui_pager_class *cls;
	void			*data;		/* the class's */
	struct ui_pager_row	*rows;
	size_t			 nrows, top;
	int			 laid;		/* rows laid out for this width */
	int			 body;		/* rows shown, last drawn */
};
struct ui_pager *ui_pager_create(const struct ui_pager_class *, void *);
void	 ui_pager_clear(struct ui_pager *);
void	 ui_pager_add(struct ui_pager *, int, const char *);
/* Text wrapped at words to cols, rows after the first indented. */
void	 ui_pager_add_wrapped(struct ui_pager *, int, const char *, int, int);
/* Lay out again at the next draw. */
void	 ui_pager_relayout(struct ui_pager *);
/* Is there more than a screenful? */
int	 ui_pager_scrolls(const struct ui_pager *);
/* A pager screen's functions: its moves, then its class's actions. */
void	 ui_pager_draw(struct ui *, void *, int, int);
void	 ui_pager_key(struct ui *, void *, const char *, int);
int	 ui_pager_offers(struct ui *, void *, const char *);
void	 ui_pager_free(void *);

/* Drawing helpers for screens (curses kept inside ui*.c). */
#define UI_NORMAL	0
#define UI_SELECTED	1
#define UI_TITLE	2
#define UI_DIM		3
#define UI_ALERT	4
#define UI_BOLD		5
void	 ui_line(struct ui *, int, int, int, const char *, int);
void	 ui_line_cut(struct ui *, int, int, int, const char *, int);
void	 ui_row(struct ui *, int, int, const char *, int);
void	 ui_clear_rows(struct ui *, int, int);
/* Text wrapped at words from a row, on max rows at most (-1: any): the
 * next row.  From a row below the screen it only counts. */
int	 ui_wrap_rows(struct ui *, int, int, int, const char *);
int	 ui_text_width(const char *);
void	 ui_key_text(int, char *, size_t);
/* A key's name (keymap_key_name()) in place, as the language says it. */
void	 ui_key_label(char *, size_t);
void	 ui_cell(char **, const char *, int);
void	 ui_cell_right(char **, const char *, int);

/* Modal prompts: they run their own small loop. */
int	 ui_confirm(struct ui *, const char *);
char	*ui_ask(struct ui *, const char *, const char *, int);
char	*ui_textarea(struct ui *, const char *, const char *);
int	 ui_getkey(struct ui *);
int	 ui_getkey_cursor(struct ui *);
/* The same, returning UI_KEY_TIMEOUT after ms milliseconds without a key. */
#define UI_KEY_TIMEOUT	(KEYC_NONE + 1)
/* From the main loop's wait alone: a status screen's time to read again. */
#define UI_KEY_TICK	(KEYC_NONE + 2)
int	 ui_getkey_wait(struct ui *, int);
int	 ui_getkey_cursor_wait(struct ui *, int);
/* Draw the top screen and the bars (sent by the next doupdate()). */
void	 ui_redraw(struct ui *);
/*
 * A one-line editor that calls live(ui, arg, text) once typing pauses for
 * ms milliseconds, then repaints the screen under it: one repaint per
 * pause, not one per key.  Returns as ui_ask().
 */
char	*ui_ask_live(struct ui *, const char *, const char *, int,
	    void (*)(struct ui *, void *, const char *), void *);
/*
 * The text a line or multi-line editor held when the terminal went away
 * (malloc'd, for the caller to wipe), or NULL; taken once.
 */
char	*ui_prompt_unsaved(struct ui *);
/* Offer back a draft kept when the terminal went away (ui-draft.c). */
void	 ui_draft_offer(struct ui *);

/* Screens. */
void	*ui_list_create(struct ui *, const struct casefile_filter *,
	    const char *);
void	 ui_case_open(struct ui *, uint64_t);
#define UI_FORM_NEW	0x1	/* a new record (or complaint) */
#define UI_FORM_DRAFT	0x2	/* resumed from a draft */
#define UI_FORM_IDENTITIES 0x4	/* witness names asked for (in links) */
void	 ui_form_open(struct ui *, const char *, uint64_t, uint64_t,
	    const struct record *, int64_t, int, const char *);
/* The same, read-only for the reason given (NULL: none). */
void	 ui_form_open_why(struct ui *, const char *, uint64_t, uint64_t,
	    const struct record *, int64_t, int, const char *, const char *);
/* ui-viewer.c: a record read only, the journal with old and new values;
 * the last argument: witness identities asked for. */
void	 ui_viewer_open(struct ui *, uint64_t, uint64_t, int);
void	 ui_journal_open(struct ui *, uint64_t, int);
/* ui-case-act.c: what is done to a case besides its records. */
void	 ui_case_assign(struct ui *, const struct casefile *);
void	 ui_case_grant(struct ui *, const struct casefile *,
	    const struct casefile_rec *, int);
void	 ui_case_event(struct ui *, const struct casefile *);
/* ui-case-move.c: a move the user's role may make, confirmed; is there one? */
void	 ui_case_move(struct ui *, const struct casefile *);
int	 ui_case_has_move(struct ui *, const struct casefile *);
void	 ui_case_request(struct ui *, const struct casefile *,
	    const struct casefile_rec *);
int	 ui_case_sealed_witness(const struct casefile *);
void	 ui_key_requests(struct ui *);
void	 ui_attach(struct ui *, uint64_t, uint64_t);
int	 ui_attach_path(struct ui *, uint64_t, uint64_t, const char *);
void	 ui_dashboard_open(struct ui *);
void	 ui_admin_open(struct ui *);
void	 ui_audit_open(struct ui *);
void	 ui_audit_action(struct ui *, void *);
int	 ui_audit_offered(struct ui *, void *);
/* ui-stats.c: the figures, and recommendations still to implement. */
void	 ui_stats_open(struct ui *);
void	 ui_followup_open(struct ui *);
/* Help for the screen on top (its data for what it offers). */
void	 ui_help_open(struct ui *, const struct screen *, void *);
int	 ui_pick(struct ui *, const char *, const char **, const char **,
	    size_t, int, char *);
int	 ui_signin(struct ui *, const char *);
int	 ui_login_read(struct ui *, int, int, char *, size_t, int);

extern const struct screen ui_list_screen;

#endif
