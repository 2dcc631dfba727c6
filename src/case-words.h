/*
 * case-words.h: a case in its users' words (case-words.c).
 */
#ifndef CASE_WORDS_H
#define CASE_WORDS_H

#include <stddef.h>
#include <stdint.h>

struct casefile;
struct casefile_event;
struct form_field;
struct formset;
struct workflow;

/* Events recorded at any stage: the i-th code (NULL past the last), and
 * a code's label. */
const char	*words_event_code(size_t);
const char	*words_event(const char *);
/* A linked record by name (NULL when the value is none); a stored value
 * as users read it; a journal entry as a sentence; a time their way; the
 * fields an entry changed, "Label: old → new".  All malloc'd. */
char	*words_link(const struct formset *, const struct casefile *,
	    const char *, int);
char	*words_field(const struct formset *, const struct casefile *,
	    const struct form_field *, const char *);
char	*words_journal(const struct formset *, const struct workflow *,
	    const struct casefile *, const struct casefile_event *);
char	*words_time(int64_t);
char	**words_changes(const struct formset *, const struct casefile *,
	    const struct casefile_event *, size_t *);
void	 words_free(char **, size_t);

#endif
