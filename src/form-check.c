/*
 * form-check.c: a record's values checked against its form: each value
 * against its field's type, list and size, in words that name the field
 * by its label; required fields; and the fields a form fills by itself
 * (auto = now), on every path that creates a record.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "record.h"
#include "util.h"

/*
 * Every path that creates a record (the screens, 'case new', import, the
 * demo) calls this, so a field the form fills by itself, such as the
 * date a complaint was received, is never left empty.  A value given is
 * kept: a letter received yesterday may be registered today.
 */
void
form_fill_automatic(const struct form *fm, struct record *r, int64_t t)
{
	const struct form_field	*f;
	const char		*v;
	char			 when[17];
	size_t			 i;

	format_time(t, when);
	for (i = 0; i < fm->nfields; i++) {
		f = &fm->fields[i];
		if (f->automatic == NULL || strcmp(f->automatic, "now") != 0)
			continue;
		if ((v = record_get_str(r, f->id)) != NULL && *v != '\0')
			continue;
		if (f->type == FORM_DATE)
			when[10] = '\0';
		else if (f->type == FORM_TIME)
			memmove(when, when + 11, 6);
		record_set_str(r, f->id, when);
		format_time(t, when);
	}
}

/* Days since 1970-01-01 of a valid Gregorian YYYY-MM-DD. */
int
form_parse_date(const char *s, long *days)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 y, m, d, leap, n;
	long	 yy, era, yoe, doy, doe;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || s[4] != '-' || s[7] != '-' || y < 1900 || y > 2200 ||
	    m < 1 || m > 12 || d < 1)
		return (-1);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return (-1);
	/* Howard Hinnant's days_from_civil. */
	yy = y - (m <= 2);
	era = yy / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = era * 146097 + doe - 719468;
	return (0);
}

static int
form_valid_utf8(const unsigned char *s, size_t len)
{
	size_t	 i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) { n = 1; cp = s[i] & 0x1f; }
		else if ((s[i] & 0xf0) == 0xe0) { n = 2; cp = s[i] & 0x0f; }
		else if ((s[i] & 0xf8) == 0xf0) { n = 3; cp = s[i] & 0x07; }
		else
			return (0);
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return (0);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
		i += n + 1;
	}
	return (1);
}

/*
 * Check one value against its field; the sentence names the field by its
 * label in the user's language, as the form shows it.
 */
int
form_check_value(const struct formset *set, const struct form_field *f,
    const char *v, size_t len, char **cause)
{
	const char		*label = *form_lang(f->label) != '\0' ?
				    form_lang(f->label) : f->id;
	const struct form_list	*l;
	char			*copy, *tok, *save;
	long			 days;
	int			 hh, mm, n;

	if (len > f->max)
		return (err_set(cause, _("'%s' is too long (%zu bytes; at most "
		    "%zu)."), label, len, f->max));
	if (f->type != FORM_FILE && memchr(v, '\0', len) != NULL)
		return (err_set(cause, _("'%s' contains a NUL byte."), label));
	if (f->type != FORM_FILE && !form_valid_utf8((const unsigned char *)v,
	    len))
		return (err_set(cause, _("'%s' is not valid UTF-8 text."), label));
	if (len == 0)
		return (0);
	switch (f->type) {
	case FORM_DATE:
		if (form_parse_date(v, &days) != 0)
			return (err_set(cause, _("'%s' must be a date written "
			    "YYYY-MM-DD, not '%s'."), label, v));
		break;
	case FORM_TIME:
		if (sscanf(v, "%2d:%2d%n", &hh, &mm, &n) != 2 || n != 5 ||
		    hh > 23 || mm > 59 || hh < 0 || mm < 0 || len != 5)
			return (err_set(cause, _("'%s' must be a time written "
			    "HH:MM, not '%s'."), label, v));
		break;
	case FORM_DATETIME:
		copy = xstrndup(v, len);
		if (len != 16 || copy[10] != ' ' ||
		    (copy[10] = '\0', form_parse_date(copy, &days)) != 0 ||
		    sscanf(copy + 11, "%2d:%2d%n", &hh, &mm, &n) != 2 ||
		    n != 5 || hh > 23 || mm > 59 || hh < 0 || mm < 0) {
			free(copy);
			return (err_set(cause, _("'%s' must be written "
			    "YYYY-MM-DD HH:MM, not '%s'."), label, v));
		}
		free(copy);
		break;
	case FORM_NUMBER:
		if (strspn(v, "0123456789") != len || len > 12)
			return (err_set(cause, _("'%s' must be a whole number, not "
			    "'%s'."), label, v));
		break;
	case FORM_YESNO:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return (err_set(cause, _("'%s' must be yes or no."), label));
		break;
	case FORM_CHOICE:
	case FORM_MULTICHOICE:
		l = formset_list(set, f->list);
		copy = xstrndup(v, len);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (form_list_item(l, tok) == NULL) {
				err_set(cause, _("'%s' has no choice '%s' (see the "
				    "list '%s')."), label, tok, f->list);
				free(copy);
				return (-1);
			}
			if (f->type == FORM_CHOICE && strchr(v, ',') != NULL) {
				free(copy);
				return (err_set(cause, _("'%s' takes one choice."),
				    label));
			}
		}
		free(copy);
		break;
	default:
		break;
	}
	return (0);
}

/*
 * A date (or time) against another field of the record: written
 * YYYY-MM-DD[ HH:MM] (or HH:MM), they compare as text; two dates by
 * their day.  Unset, nothing to compare.
 */
static int
form_check_order(const struct form *fm, const struct record *r,
    const struct form_field *f, const char *other, int before,
    char **cause)
{
	const struct form_field	*o;
	const char		*v, *w;
	char			*sv, *sw;
	size_t			 n;
	int			 c;

	if (other == NULL || (o = form_field(fm, other)) == NULL ||
	    (v = record_get_str(r, f->id)) == NULL || *v == '\0' ||
	    (w = record_get_str(r, other)) == NULL || *w == '\0')
		return (0);
	n = f->type == FORM_TIME ? 5 : 10;
	if (strlen(v) < n || strlen(w) < n)
		return (0);
	c = strncmp(v, w, n);
	if ((before && c >= 0) || (!before && c <= 0))
		return (0);
	sv = form_value_show(f->type, v);
	sw = form_value_show(o->type, w);
	err_set(cause, before ? _("'%s' (%s) cannot be before '%s' (%s).") :
	    _("'%s' (%s) cannot be after '%s' (%s)."), form_lang(f->label), sv,
	    form_lang(o->label), sw);
	free(sv);
	free(sw);
	return (-1);
}

/* Every field of the record known to the form is valid; required set. */
int
form_validate(const struct formset *set, const struct form *fm,
    const struct record *r, char **cause)
{
	return (form_validate_skip(set, fm, r, -1, cause));
}

/* The same, leaving out the fields of one class (-1: none). */
int
form_validate_skip(const struct formset *set, const struct form *fm,
    const struct record *r, int skip, char **cause)
{
	const struct form_field	*f;
	const char		*v;
	size_t			 i, len;

	for (i = 0; i < fm->nfields; i++) {
		f = &fm->fields[i];
		if ((int)f->class == skip)
			continue;
		v = record_get(r, f->id, &len);
		if (v == NULL || len == 0) {
			if (f->required && f->automatic == NULL)
				return (err_set(cause, _("'%s' is required."),
				    form_lang(f->label)));
			continue;
		}
		if (form_check_value(set, f, v, len, cause) != 0)
			return (-1);
	}
	return (form_check_dates(fm, r, cause));
}

/* Every date and time of the record in the order its form asks. */
int
form_check_dates(const struct form *fm, const struct record *r, char **cause)
{
	const struct form_field	*f;
	size_t			 i;

	for (i = 0; i < fm->nfields; i++) {
		f = &fm->fields[i];
		if (form_check_order(fm, r, f, f->not_before, 1, cause) != 0 ||
		    form_check_order(fm, r, f, f->not_after, 0, cause) != 0)
			return (-1);
	}
	return (0);
}
