/*
 * ui-list-int.h: the case list's own parts, shared by ui-list.c (the
 * screen: rows, columns, drawing, its actions), ui-list-search.c ('/'
 * and 'n') and ui-list-filter.c (the filters and the header that names
 * them).  Nothing outside these files includes it.
 */
#ifndef UI_LIST_INT_H
#define UI_LIST_INT_H

#include <stddef.h>
#include <stdint.h>

#include "casefile.h"
#include "text.h"
#include "ui.h"

enum list_sort { SORT_REFERENCE, SORT_DEADLINE, SORT_STATE, SORT_REGION,
	SORT_COUNT };

enum list_col { COL_REF, COL_STATE, COL_REGION, COL_CATEGORY, COL_ASSIGNED,
	COL_AGE, COL_LATE, LIST_NCOLS };

struct list {
	struct ui_listbox	 lb;		/* first: its moves serve */
	struct casefile_filter	 filter;
	char			*title;
	char			*state, *field, *value, *assignee, *workflow;
	uint64_t		*ids;		/* a dashboard's cases */
	struct casefile_idlist	 rows;		/* case ids, in order; read
						   as far as shown (lb.n:
						   their number) */
	struct casefile_summary	*win;		/* headers of rows ... */
	size_t			 win_from, win_n; /* ... win_from on */
	enum list_sort		 sort;
	char			 search[64];
	size_t			 search_from;	/* selection before '/' */
	int			 missed;	/* the search found nothing: */
#define LIST_MISSED_ALL		1	/* ... in the whole list */
#define LIST_MISSED_STEP	2	/* ... in the rows of one step */
	size_t			 search_next;	/* where a bounded search */
	size_t			 search_left;	/* stopped; 0: none */
	char			**texts;	/* per row, decrypted; wiped */
	uint8_t			*texts_tried;
	uint64_t		 seen;
	int			 loaded;
	uint64_t		 keep;		/* the case to select after a
						   reload (a sort) */
	struct text_column	 col[LIST_NCOLS];	/* measured at load */
	int			 width[LIST_NCOLS];	/* laid out to draw */
	int			 laid;			/* for this width */
};

/* ui-list.c: a header field or ""; the header of row i (NULL: none);
 * the cells of a row as the user reads them, and freeing them. */
const char	*list_str(const struct record *, const char *);
const struct casefile_summary *list_row(struct ui *, struct list *, size_t);
void		 list_cells(struct ui *, const struct casefile_summary *,
		    char *[LIST_NCOLS]);
void		 list_cells_free(char *[LIST_NCOLS]);
/* The list is read again at the next draw, from its first row. */
void		 list_reload(struct list *);
/* The id of row i, its part of the list read if need be (0: none). */
uint64_t	 list_id(struct ui *, struct list *, size_t);

/* ui-list-search.c: the actions; the texts read for searching. */
void		 list_search(struct ui *, void *);
void		 list_search_next(struct ui *, void *);
void		 list_texts_free(struct list *);

/* ui-list-filter.c: the filters on, in words (malloc'd); the actions. */
char		*list_filters_text(struct ui *, struct list *);
void		 list_filter(struct ui *, void *);
void		 list_my_overdue(struct ui *, void *);

#endif
