/*
 * export-int.h: what the parts of a summary (export.c, export-file.c,
 * export-steps.c, export-council.c, export-council-text.c) share; not
 * for the rest of the program.
 */
#ifndef EXPORT_INT_H
#define EXPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct casefile;
struct casefile_ctx;
struct form;
struct record;

/* A growing, NUL-terminated text. */
struct ebuf {
	char	*s;
	size_t	 len, size;
};

void	 eb_printf(struct ebuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* "  label: value" (text) or "- **label**: value" (Markdown). */
void	 eb_field(struct ebuf *, int, const char *, const char *);
/* A section title. */
void	 eb_title(struct ebuf *, int, const char *);
/* A line at a depth: 0 a heading of its own, then indented items. */
void	 eb_line(struct ebuf *, int, int, const char *);

/* A code's label in the user's language (the code if unknown, "-"). */
const char *export_label(const struct casefile_ctx *, const char *,
	    const char *);
/* Comma-separated codes as their labels, ", "-separated (malloc'd). */
char	*export_labels(const struct casefile_ctx *, const char *,
	    const char *);

/*
 * How a summary names a record it refers to: a witness by pseudonym, a
 * person by name and record ("Awa Traoré (Person 3)"), or only by record
 * ("Person 3") when the summary is redacted (malloc'd).
 */
char	*export_party(const struct casefile_ctx *, const struct casefile *,
	    uint64_t, int);

/*
 * export-council.c: what a disciplinary council reads (parties,
 * investigators, the rights of the defence per agent, allegations per
 * agent with the history of each finding, report, decision).  One model,
 * built once as JSON with codes and labels; the text and Markdown are
 * rendered from it, so the three formats say the same.
 */
json_t	*export_council_model(const struct casefile_ctx *,
	    const struct casefile *, int);
void	 export_council_text(const struct casefile_ctx *, const json_t *,
	    int, int, struct ebuf *);
/* The closing lines of the header: what a closed case lacks. */
void	 export_council_note(const json_t *, int, struct ebuf *);
/* A string member of a model object, or NULL. */
const char *ec_str(const json_t *, const char *);

/*
 * A record's fields in form order, as [{field, label, value[, code]}]:
 * values as shown (labels of codes, parties by export_party), codes kept
 * beside them; witness fields only when allowed, personal fields left out
 * when redacting.  skip: a field id not to list, or NULL.
 */
json_t	*export_fields_json(const struct casefile_ctx *,
	    const struct casefile *, const struct form *,
	    const struct record *, int, int, const char *);

#endif
