/*
 * form-value.c: values as users write and read them.
 *
 * Dates and times are stored one way (2026-11-28, 09:30, "2026-11-28
 * 09:30"), so they sort, compare and export the same everywhere.  People
 * write them their way: a French inspector types 28/11/2026 and 9h30.
 * form_value_input() takes the usual French and international forms and
 * gives the stored one; form_value_show() gives a stored value back the
 * way the user's language writes it (28/11/2026, 9 h 30 in French; the
 * stored form in English).  A value refused keeps what was typed in the
 * sentence, and names the field by its label, never by its id.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "record.h"
#include "util.h"

#define FV_BUF	16	/* a date or a time, written any way */

static int	 fv_date(const char *, size_t, char *);
static int	 fv_time(const char *, size_t, char *);

/* Digits at *p, at most max of them, at least one: the number, or -1. */
static int
fv_number(const char **p, const char *end, int max)
{
	int	 n = 0, k = 0;

	while (*p < end && isdigit((unsigned char)**p) && k < max) {
		n = n * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return (k == 0 ? -1 : n);
}

/*
 * A date as 2026-11-28, 28/11/2026, 28-11-2026 or 28.11.2026 (day and
 * month of one or two digits) into out as YYYY-MM-DD; 0 if valid.
 */
static int
fv_date(const char *s, size_t len, char *out)
{
	const char	*p = s, *end = s + len;
	long		 days;
	int		 a, b, c, y, m, d;
	char		 sep;

	if ((a = fv_number(&p, end, 4)) < 0 || p >= end)
		return (-1);
	sep = *p++;
	if (sep != '-' && sep != '/' && sep != '.')
		return (-1);
	if ((b = fv_number(&p, end, 2)) < 0 || p >= end || *p++ != sep)
		return (-1);
	if ((c = fv_number(&p, end, 4)) < 0 || p != end)
		return (-1);
	if (a >= 1000) {		/* 2026-11-28, year first */
		y = a;
		m = b;
		d = c;
	} else {
		d = a;
		m = b;
		y = c;
	}
	if (y < 1000 || d > 31 || m > 12)
		return (-1);
	snprintf(out, FV_BUF, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return (form_parse_date(out, &days));
}

/* A time as 09:30, 9:30, 9h30, 9 h 30 or 9h into out as HH:MM. */
static int
fv_time(const char *s, size_t len, char *out)
{
	const char	*p = s, *end = s + len;
	int		 h, m = 0, french = 0;

	if ((h = fv_number(&p, end, 2)) < 0)
		return (-1);
	while (p < end && *p == ' ')
		p++;
	if (p < end && (*p == 'h' || *p == 'H'))
		french = 1;
	else if (p >= end || *p != ':')
		return (-1);
	p++;
	while (p < end && *p == ' ')
		p++;
	if (p < end) {
		if (end - p != 2 || (m = fv_number(&p, end, 2)) < 0)
			return (-1);
	} else if (!french)
		return (-1);
	if (h > 23 || m > 59)
		return (-1);
	snprintf(out, FV_BUF, "%02d:%02d", h % 100, m % 100);
	return (0);
}

/* Leading and trailing spaces go. */
static void
fv_trim(const char **s, size_t *len)
{
	while (*len > 0 && **s == ' ') {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && (*s)[*len - 1] == ' ')
		(*len)--;
}

int
form_value_input(const struct formset *set, const struct form_field *f,
    const char *in, char **out, char **cause)
{
	const char	*s = in, *label = form_lang(f->label), *sp;
	char		 day[FV_BUF], hm[FV_BUF];
	size_t		 len = strlen(in);

	*out = NULL;
	switch (f->type) {
	case FORM_DATE:
		fv_trim(&s, &len);
		if (len == 0)
			break;
		if (fv_date(s, len, day) != 0)
			return (err_set(cause, _("'%s': '%s' is not a date; write "
			    "it as 28/11/2026 (day/month/year) or 2026-11-28."),
			    label, in));
		*out = xstrdup(day);
		return (0);
	case FORM_TIME:
		fv_trim(&s, &len);
		if (len == 0)
			break;
		if (fv_time(s, len, hm) != 0)
			return (err_set(cause, _("'%s': '%s' is not a time; write "
			    "it as 9h30 or 09:30."), label, in));
		*out = xstrdup(hm);
		return (0);
	case FORM_DATETIME:
		fv_trim(&s, &len);
		if (len == 0)
			break;
		/* The date, then the time after a space (or " à "). */
		sp = memchr(s, ' ', len);
		if (sp == NULL || fv_date(s, (size_t)(sp - s), day) != 0)
			return (err_set(cause, _("'%s': '%s' is not a date and "
			    "time; write it as 28/11/2026 9h30."), label, in));
		len -= (size_t)(sp - s);
		s = sp;
		fv_trim(&s, &len);
		if (len > 3 && strncmp(s, "\xc3\xa0 ", 3) == 0) {	/* "à " */
			s += 3;
			len -= 3;
			fv_trim(&s, &len);
		}
		if (fv_time(s, len, hm) != 0)
			return (err_set(cause, _("'%s': '%s' is not a date and "
			    "time; write it as 28/11/2026 9h30."), label, in));
		xasprintf(out, "%s %s", day, hm);
		return (0);
	default:
		break;
	}
	if (form_check_value(set, f, in, strlen(in), cause) != 0)
		return (-1);
	*out = xstrdup(in);
	return (0);
}

/* "2026-11-28" as the language writes it into out. */
static void
fv_show_date(const char *v, char *out)
{
	if (lang_index() == FORM_FR)
		snprintf(out, FV_BUF, "%.2s/%.2s/%.4s", v + 8, v + 5, v);
	else
		snprintf(out, FV_BUF, "%.10s", v);
}

/* "09:30" as the language writes it into out. */
static void
fv_show_time(const char *v, char *out)
{
	int	 h = atoi(v), m = atoi(v + 3);

	if (lang_index() == FORM_FR)
		snprintf(out, FV_BUF, "%d h %02d", h % 100, m % 100);
	else
		snprintf(out, FV_BUF, "%.5s", v);
}

char *
form_value_show(enum form_type type, const char *v)
{
	char	 day[FV_BUF], hm[FV_BUF], *out;
	long	 days;

	switch (type) {
	case FORM_DATE:
		if (form_parse_date(v, &days) != 0)
			break;
		fv_show_date(v, day);
		return (xstrdup(day));
	case FORM_TIME:
		if (fv_time(v, strlen(v), hm) != 0 || strlen(v) != 5)
			break;
		fv_show_time(v, hm);
		return (xstrdup(hm));
	case FORM_DATETIME:
		if (strlen(v) != 16 || v[10] != ' ' ||
		    fv_date(v, 10, day) != 0 || fv_time(v + 11, 5, hm) != 0)
			break;
		fv_show_date(v, day);
		fv_show_time(v + 11, hm);
		xasprintf(&out, "%s %s", day, hm);
		return (out);
	default:
		break;
	}
	return (xstrdup(v));
}

/* May f name a record of form kind whose fields are these? */
int
form_link_allows(const struct form_field *f, const char *kind,
    const struct record *fields)
{
	const char	*v;

	if (f->type != FORM_PERSON || kind == NULL)
		return (0);
	if (!list_has(f->link != NULL ? f->link : "person,witness", kind))
		return (0);
	if (f->link_field == NULL)
		return (1);
	v = fields != NULL ? record_get_str(fields, f->link_field) : NULL;
	return (v != NULL && list_has(f->link_codes, v));
}

/* A comma-separated list in words: each item's words, joined by "or". */
static char *
fv_words_or(const char *list, const char *(*word)(const void *,
    const char *), const void *arg)
{
	char	*copy, *tok, *save, *out, *n;

	out = xstrdup("");
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (*out == '\0')
			/* TRANSLATORS: a name in quotes: “Person”. */
			xasprintf(&n, _("“%s”"), word(arg, tok));
		else
			/* TRANSLATORS: choices joined: “Person” or “Witness”. */
			xasprintf(&n, _("%s or “%s”"), out, word(arg, tok));
		free(out);
		out = n;
	}
	free(copy);
	return (out);
}

static const char *
fv_form_word(const void *arg, const char *id)
{
	return (form_title(arg, id));
}

struct fv_code {
	const struct formset	*set;
	const char		*form, *field;
};

static const char *
fv_code_word(const void *arg, const char *code)
{
	const struct fv_code	*c = arg;

	return (form_label(c->set, c->form, c->field, code));
}

/* What a link field may name, in words (malloc'd). */
char *
form_link_words(const struct formset *set, const struct form_field *f)
{
	struct fv_code	 c;
	const char	*link = f->link != NULL ? f->link : "person,witness";
	char		*forms, *codes, *s, *first;

	forms = fv_words_or(link, fv_form_word, set);
	if (f->link_field == NULL)
		return (forms);
	first = xstrndup(link, strcspn(link, ","));
	c.set = set;
	c.form = first;
	c.field = f->link_field;
	codes = fv_words_or(f->link_codes, fv_code_word, &c);
	/* TRANSLATORS: “Person” whose “Role” is “Agent concerned”. */
	xasprintf(&s, _("%s whose “%s” is %s"), forms, form_label(set, first,
	    f->link_field, NULL), codes);
	free(first);
	free(codes);
	free(forms);
	return (s);
}

int
form_check_links(const struct formset *set, const struct form *fm,
    const struct record *r, int (*lookup)(void *, uint64_t, const char **,
    const struct record **), void *arg, char **cause)
{
	const struct form_field	*f;
	const struct record	*fields;
	const char		*v, *kind;
	char			*end, *words;
	uint64_t		 rid;
	size_t			 i;
	int			 ok;

	for (i = 0; i < fm->nfields; i++) {
		f = &fm->fields[i];
		if (f->type != FORM_PERSON ||
		    (v = record_get_str(r, f->id)) == NULL || *v == '\0')
			continue;
		rid = strtoull(v, &end, 10);
		ok = *v >= '0' && *v <= '9' && *end == '\0' &&
		    lookup(arg, rid, &kind, &fields) == 0 &&
		    form_link_allows(f, kind, fields);
		if (ok)
			continue;
		words = form_link_words(set, f);
		err_set(cause, _("“%s” names a record of the case by its "
		    "number: a record %s; '%s' is not one."), form_lang(f->label),
		    words, v);
		free(words);
		return (-1);
	}
	return (0);
}
