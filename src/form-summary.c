/*
 * form-summary.c: the one line that says what a record is, as its form
 * writes it (forms/NAME.form, "summary =" in [form], read by form.c):
 *
 *	summary = {role} - {full_name}[ {service_number}]
 *
 * Text is kept as written; {field} is the field's value as users read
 * it (the caller's show(): a choice's label, a date their way, a linked
 * record by name); {field|code} uses code when the field is empty; a
 * part in [brackets] is left out unless every field in it has a value.
 * Brackets do not nest.  A form with no summary line reads as its first
 * field that has a value to show.
 *
 * A witness's identity is never in a summary for someone without the
 * witness's key: with witness_hidden, every field of the witness class
 * (and every identity field, whatever the file says) reads as empty.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "record.h"
#include "util.h"

/* The end of a {field} or {field|code} at s (after the '{'), or NULL. */
static const char *
summary_field(const char *s, char **id, char **code)
{
	const char	*end, *bar;

	if ((end = strchr(s, '}')) == NULL)
		return (NULL);
	bar = memchr(s, '|', (size_t)(end - s));
	*id = xstrndup(s, (size_t)((bar != NULL ? bar : end) - s));
	*code = bar != NULL ? xstrndup(bar + 1, (size_t)(end - bar - 1)) :
	    NULL;
	return (end);
}

int
form_summary_check(const struct form *fm, char **cause)
{
	const char	*s, *end;
	char		*id, *code;
	int		 group = 0, rc = 0;

	for (s = fm->summary; *s != '\0' && rc == 0; s++) {
		switch (*s) {
		case '[':
			if (group)
				rc = err_set(cause, _("%s: the summary's "
				    "[optional parts] do not nest."), fm->file);
			group = 1;
			break;
		case ']':
			if (!group)
				rc = err_set(cause, _("%s: the summary has a "
				    "']' with no '[' before it."), fm->file);
			group = 0;
			break;
		case '}':
			rc = err_set(cause, _("%s: the summary has a '}' with "
			    "no '{' before it."), fm->file);
			break;
		case '{':
			if ((end = summary_field(s + 1, &id, &code)) == NULL) {
				rc = err_set(cause, _("%s: the summary has a "
				    "'{' with no '}' after it."), fm->file);
				break;
			}
			if (form_field(fm, id) == NULL)
				rc = err_set(cause, _("%s: the summary names "
				    "'%s', which is not a field of the form."),
				    fm->file, id);
			else if (code != NULL && *code == '\0')
				rc = err_set(cause, _("%s: the summary's "
				    "'{%s|}' gives no value after '|'."),
				    fm->file, id);
			free(id);
			free(code);
			s = end;
			break;
		}
	}
	if (rc == 0 && group)
		rc = err_set(cause, _("%s: the summary has a '[' with no ']' "
		    "after it."), fm->file);
	return (rc);
}

/* Append n bytes of s to *out. */
static void
summary_add(char **out, const char *s, size_t n)
{
	char	*t;

	xasprintf(&t, "%s%.*s", *out, (int)n, s);
	free(*out);
	*out = t;
}

/* A field's value as shown, or NULL when it has none to show. */
static char *
summary_value(const struct form *fm, const struct record *fields,
    int witness_hidden, const char *id, const char *code,
    char *(*show)(void *, const struct form_field *, const char *),
    void *arg)
{
	const struct form_field	*f = form_field(fm, id);
	const char		*v;
	char			*s;

	if (f == NULL || (witness_hidden && (f->class == FORM_WITNESS ||
	    form_identity_field(fm->id, f->id))))
		return (NULL);
	if ((v = record_get_str(fields, id)) == NULL || *v == '\0')
		v = code;
	if (v == NULL || *v == '\0')
		return (NULL);
	if ((s = show(arg, f, v)) != NULL && *s == '\0') {
		free(s);
		s = NULL;
	}
	return (s);
}

char *
form_summary(const struct form *fm, const struct record *fields,
    int witness_hidden,
    char *(*show)(void *, const struct form_field *, const char *),
    void *arg)
{
	const char	*s, *end;
	char		*out, *part = NULL, *id, *code, *v, **to;
	size_t		 i;
	int		 whole = 1;

	if (fm == NULL)
		return (NULL);
	if (fm->summary == NULL) {
		for (i = 0, v = NULL; v == NULL && i < fm->nfields; i++)
			v = summary_value(fm, fields, witness_hidden,
			    fm->fields[i].id, NULL, show, arg);
		return (v);
	}
	out = xstrdup("");
	for (s = fm->summary; *s != '\0'; s++) {
		to = part != NULL ? &part : &out;
		if (*s == '[' && part == NULL) {
			part = xstrdup("");
			whole = 1;
		} else if (*s == ']' && part != NULL) {
			if (whole)
				summary_add(&out, part, strlen(part));
			free(part);
			part = NULL;
		} else if (*s == '{' &&
		    (end = summary_field(s + 1, &id, &code)) != NULL) {
			v = summary_value(fm, fields, witness_hidden, id, code,
			    show, arg);
			if (v != NULL)
				summary_add(to, v, strlen(v));
			else
				whole = 0;
			free(v);
			free(id);
			free(code);
			s = end;
		} else
			summary_add(to, s, 1);
	}
	free(part);
	return (out);
}
