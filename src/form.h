/*
 * form.h: forms and reference lists read at run time from forms/NAME.form
 * and forms/lists.ini (format in docs/dossier-forms.5).
 *
 * A formset owns its forms and lists; formset_free() frees them all.
 * Labels are bilingual: index FORM_FR or FORM_EN.
 */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>
#include <stdint.h>

#define FORM_FR		0
#define FORM_EN		1
#define FORM_NLANG	2

enum form_type {
	FORM_TEXT, FORM_LONGTEXT, FORM_DATE, FORM_DATETIME, FORM_TIME,
	FORM_CHOICE, FORM_MULTICHOICE, FORM_NUMBER, FORM_PERSON, FORM_YESNO,
	FORM_FILE
};

enum form_class {
	FORM_HEADER,		/* clear, indexed */
	FORM_CASE,		/* under the case key */
	FORM_WITNESS		/* under the witness key */
};

struct form_field {
	char		*id;
	enum form_type	 type;
	enum form_class	 class;
	int		 required;
	int		 personal;	/* left out of a redacted summary */
	size_t		 max;		/* bytes for text, 0 = default */
	char		*list;		/* choices: a list id */
	char		*automatic;	/* "reference", "pseudonym", "now" */
	/* A link (type person) names a record of the case: of these
	 * forms (comma-separated; NULL: person or witness), and, with
	 * link_field, one whose field holds one of link_codes. */
	char		*link;
	char		*link_field;
	char		*link_codes;
	/* A date or a time never before (not_before) or after (not_after)
	 * the same record's field named, of the same kind. */
	char		*not_before;
	char		*not_after;
	char		*label[FORM_NLANG];
	char		*help[FORM_NLANG];
};

struct form {
	char			*id;
	char			*title[FORM_NLANG];
	char			*summary;	/* "summary =", or NULL */
	char			*file;
	struct form_field	*fields;
	size_t			 nfields;
};

struct form_item {
	char		*code;
	char		*label[FORM_NLANG];
};

struct form_list {
	char			*id;
	struct form_item	*items;
	size_t			 nitems;
};

struct formset {
	struct form		**forms;
	size_t			  nforms;
	struct form_list	**lists;
	size_t			  nlists;
};

struct record;

#define FORM_TEXT_MAX		4096
#define FORM_LONGTEXT_MAX	(1024 * 1024)

int	 formset_load(const char *, struct formset **, char **);
void	 formset_free(struct formset *);
int	 form_load_file(struct formset *, const char *, char **);
/* Lines libinih would split and NUL bytes are refused before parsing. */
int	 form_precheck(const char *, char **);
int	 form_load_lists(struct formset *, const char *, char **);
int	 formset_check(struct formset *, char **);
/* A witness identity field (witness class whatever the file says)? */
int	 form_identity_field(const char *, const char *);

const struct form	*formset_form(const struct formset *, const char *);
const struct form_list	*formset_list(const struct formset *, const char *);
const struct form_field	*form_field(const struct form *, const char *);
const struct form_item	*form_list_item(const struct form_list *,
			    const char *);

/*
 * form-label.c: words in the user's language from the data files: a
 * bilingual label (the one choice of language); a field's label (code
 * NULL) or a choice's; a list item's; a form's title.  Each gives the id
 * itself where the files have none.  Owned by the formset.
 */
const char	*form_lang(char *const [FORM_NLANG]);
const char	*form_label(const struct formset *, const char *, const char *,
		    const char *);
const char	*form_list_label(const struct formset *, const char *,
		    const char *);
const char	*form_title(const struct formset *, const char *);

/*
 * form-summary.c: a record's one line, from its form's "summary =" (see
 * docs/dossier-forms.5): each {field} shown by show(arg, field, value)
 * (malloc'd, or NULL), [parts] left out when a field in them is empty;
 * with witness_hidden, witness fields read as empty.  A form without one:
 * its first field with a value; NULL if none.  The caller frees it.
 * form_summary_check() is formset_check()'s.
 */
char	*form_summary(const struct form *, const struct record *, int,
	    char *(*)(void *, const struct form_field *, const char *),
	    void *);
int	 form_summary_check(const struct form *, char **);

int	 form_check_value(const struct formset *, const struct form_field *,
	    const char *, size_t, char **);
int	 form_validate(const struct formset *, const struct form *,
	    const struct record *, char **);
int	 form_validate_skip(const struct formset *, const struct form *,
	    const struct record *, int, char **);
int	 form_check_dates(const struct form *, const struct record *,
	    char **);
const char *form_type_name(enum form_type);
const char *form_class_name(enum form_class);

/*
 * Links (form-value.c).  May field f name a record of this form with
 * these fields?  Then, for a record r of form fm: each link field set in
 * r must be the number of a record of the case that it may name; the
 * caller's lookup(arg, number, &form, &fields) finds it (0) or not (-1).
 * 0, or -1 with a sentence naming the field and what it may name.
 */
int	 form_link_allows(const struct form_field *, const char *,
	    const struct record *);
int	 form_check_links(const struct formset *, const struct form *,
	    const struct record *, int (*)(void *, uint64_t, const char **,
	    const struct record **), void *, char **);
/* What a link field may name, in words: “Person” whose “Role” is ... */
char	*form_link_words(const struct formset *, const struct form_field *);

/* Fill the empty fields marked "auto = now" with this time (UTC). */
void	 form_fill_automatic(const struct form *, struct record *, int64_t);

/*
 * A value as typed (form-value.c): dates as 28/11/2026 or 2026-11-28,
 * times as 9h30 or 09:30 become the stored forms; then checked.  0 with
 * the value to store in *out (malloc'd), or -1 with a sentence that
 * names the field by its label and quotes what was typed.
 */
int	 form_value_input(const struct formset *, const struct form_field *,
	    const char *, char **, char **);
/* A stored value as the user's language writes it (malloc'd). */
char	*form_value_show(enum form_type, const char *);

/* Date helpers: "YYYY-MM-DD" <-> days since 1970-01-01. */
int	 form_parse_date(const char *, long *);

#endif
