/*
 * form.c: reading forms/NAME.form and forms/lists.ini with libinih, and
 * checking the files against each other (values are checked against them
 * in form-check.c).
 *
 * libinih calls us once per "name = value" line.  Continuation lines
 * (indented) come as further calls with the same name: for labels and help
 * they are appended, for anything else a repeated name is an error.  Its
 * line buffer is 200 bytes, so longer lines are refused up front rather
 * than silently split.  Every error names the file and line.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "record.h"
#include "util.h"

#define FORM_LINE_MAX	199

struct form_parse {
	struct formset		*set;
	struct form		*form;		/* when parsing a .form */
	struct form_list	*list;		/* current [list.ID] */
	struct form_field	*field;		/* current [field.ID] */
	char			*section;
	char			*lastname;	/* for continuation lines */
	char			*seen;		/* " name name ... " in section */
	char			*reason;	/* first error */
	int			 section_bad;	/* the current section was refused */
	int			 errline;
};

static const char *form_types[] = {
	"text", "longtext", "date", "datetime", "time", "choice",
	"multichoice", "number", "person", "yesno", "file"
};
static const char *form_classes[] = { "header", "case", "witness" };

const char *
form_type_name(enum form_type t)
{
	return (form_types[t]);
}

const char *
form_class_name(enum form_class c)
{
	return (form_classes[c]);
}

static int
form_lang_key(const char *name, const char *base, int *lang)
{
	size_t	 len = strlen(base);

	if (strncmp(name, base, len) != 0 || name[len] != '.')
		return (0);
	if (strcmp(name + len + 1, "fr") == 0)
		*lang = FORM_FR;
	else if (strcmp(name + len + 1, "en") == 0)
		*lang = FORM_EN;
	else
		return (0);
	return (1);
}

/* Set a text, appending on continuation lines of the same name. */
static int
form_set_text(struct form_parse *p, char **dst, const char *name,
    const char *value)
{
	char	*s;

	if (*dst != NULL) {
		if (p->lastname == NULL || strcmp(p->lastname, name) != 0)
			return (err_first(&p->reason, _("'%s' is given twice"), name));
		xasprintf(&s, "%s %s", *dst, value);
		free(*dst);
		*dst = s;
		return (1);
	}
	*dst = xstrdup(value);
	return (1);
}

/* A comma-separated list of ids, kept without spaces. */
static int
form_set_list(struct form_parse *p, char **dst, const char *name,
    const char *value)
{
	char	*s, *w;
	int	 rc;

	s = xstrdup(value);
	for (w = s; *value != '\0'; value++)
		if (*value != ' ' && *value != '\t')
			*w++ = *value;
	*w = '\0';
	if (*dst != NULL && p->lastname != NULL &&
	    strcmp(p->lastname, name) == 0) {
		xasprintf(&w, "%s,%s", *dst, s);
		free(*dst);
		*dst = w;
		rc = 1;
	} else
		rc = form_set_text(p, dst, name, s);
	free(s);
	return (rc);
}

static int
form_yes(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = 0;
	else
		return (-1);
	return (0);
}

static int
form_field_key(struct form_parse *p, const char *name, const char *value)
{
	struct form_field	*f = p->field;
	size_t			 i;
	int			 lang;
	char			*end;

	if (form_lang_key(name, "label", &lang))
		return (form_set_text(p, &f->label[lang], name, value));
	if (form_lang_key(name, "help", &lang))
		return (form_set_text(p, &f->help[lang], name, value));
	if (strcmp(name, "type") == 0) {
		for (i = 0; i < sizeof form_types / sizeof form_types[0]; i++) {
			if (strcmp(value, form_types[i]) == 0) {
				f->type = i;
				return (1);
			}
		}
		return (err_first(&p->reason, _("unknown field type '%s'"), value));
	}
	if (strcmp(name, "class") == 0) {
		for (i = 0; i < 3; i++) {
			if (strcmp(value, form_classes[i]) == 0) {
				f->class = i;
				return (1);
			}
		}
		return (err_first(&p->reason, _("class must be header, case or witness, "
		    "not '%s'"), value));
	}
	if (strcmp(name, "required") == 0) {
		if (form_yes(value, &f->required) != 0)
			return (err_first(&p->reason, _("required must be yes or no")));
		return (1);
	}
	if (strcmp(name, "personal") == 0) {
		if (form_yes(value, &f->personal) != 0)
			return (err_first(&p->reason, _("personal must be yes or "
			    "no")));
		return (1);
	}
	if (strcmp(name, "max") == 0) {
		errno = 0;
		f->max = strtoul(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 || f->max == 0 ||
		    f->max > FORM_LONGTEXT_MAX)
			return (err_first(&p->reason, _("max must be a number from 1 to "
			    "%d"), FORM_LONGTEXT_MAX));
		return (1);
	}
	if (strcmp(name, "choices") == 0)
		return (form_set_text(p, &f->list, name, value));
	if (strcmp(name, "link") == 0)
		return (form_set_list(p, &f->link, name, value));
	if (strncmp(name, "link.", 5) == 0) {
		if (f->link_field != NULL && strcmp(f->link_field, name + 5) != 0)
			return (err_first(&p->reason, _("a field takes one "
			    "'link.FIELD =' condition")));
		if (!record_valid_key(name + 5))
			return (err_first(&p->reason, _("'%s' is not a valid "
			    "field id"), name + 5));
		if (f->link_field == NULL)
			f->link_field = xstrdup(name + 5);
		return (form_set_list(p, &f->link_codes, name, value));
	}
	if (strcmp(name, "not_before") == 0 || strcmp(name, "not_after") == 0) {
		if (!record_valid_key(value))
			return (err_first(&p->reason, _("'%s' is not a valid "
			    "field id"), value));
		return (form_set_text(p, name[4] == 'b' ? &f->not_before :
		    &f->not_after, name, value));
	}
	if (strcmp(name, "auto") == 0) {
		if (strcmp(value, "reference") != 0 &&
		    strcmp(value, "pseudonym") != 0 && strcmp(value, "now") != 0)
			return (err_first(&p->reason, _("auto must be reference, "
			    "pseudonym or now")));
		return (form_set_text(p, &f->automatic, name, value));
	}
	return (err_first(&p->reason, _("unknown key '%s'"), name));
}

static int
form_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct form_parse	*p = user;
	struct form		*fm = p->form;
	struct form_field	*f;
	struct form_item	*it;
	const char		*id;
	size_t			 i;
	int			 lang, rc = 1;
	char			*bar;

	if (p->section != NULL && strcmp(p->section, section) == 0 &&
	    p->section_bad)
		return (0);	/* the rest of a refused section */
	if (p->section == NULL || strcmp(p->section, section) != 0) {
		free(p->section);
		p->section = xstrdup(section);
		p->section_bad = 1;	/* until it proves valid */
		free(p->lastname);
		p->lastname = NULL;
		free(p->seen);
		p->seen = xstrdup(" ");
		p->field = NULL;
		p->list = NULL;
		if (strncmp(section, "field.", 6) == 0 && fm != NULL) {
			id = section + 6;
			if (!record_valid_key(id))
				return (err_first(&p->reason, _("'%s' is not a valid "
				    "field id"), id));
			for (i = 0; i < fm->nfields; i++) {
				if (strcmp(fm->fields[i].id, id) == 0)
					return (err_first(&p->reason, _("field '%s' is "
					    "defined twice"), id));
			}
			fm->fields = xrealloc(fm->fields, (fm->nfields + 1) *
			    sizeof *fm->fields);
			f = p->field = &fm->fields[fm->nfields++];
			memset(f, 0, sizeof *f);
			f->id = xstrdup(id);
			f->class = FORM_CASE;
		} else if (strncmp(section, "list.", 5) == 0 && fm == NULL) {
			if (formset_list(p->set, section + 5) != NULL)
				return (err_first(&p->reason, _("list '%s' is defined "
				    "twice"), section + 5));
			p->set->lists = xrealloc(p->set->lists,
			    (p->set->nlists + 1) * sizeof *p->set->lists);
			p->list = xcalloc(1, sizeof *p->list);
			p->list->id = xstrdup(section + 5);
			p->set->lists[p->set->nlists++] = p->list;
		} else if (!(strcmp(section, "form") == 0 && fm != NULL))
			return (err_first(&p->reason, _("unknown section [%s]"), section));
		p->section_bad = 0;
	}

	/* A name seen before in this section is only a continuation. */
	xasprintf(&bar, " %s ", name);
	if (strstr(p->seen, bar) != NULL && (p->lastname == NULL ||
	    strcmp(p->lastname, name) != 0 || (strncmp(name, "label.", 6) != 0 &&
	    strncmp(name, "help.", 5) != 0 && strncmp(name, "title.", 6) != 0))) {
		free(bar);
		return (err_first(&p->reason, _("'%s' is given twice"), name));
	}
	free(bar);
	xasprintf(&bar, "%s%s ", p->seen, name);
	free(p->seen);
	p->seen = bar;

	if (p->field != NULL)
		rc = form_field_key(p, name, value);
	else if (p->list != NULL) {
		/* code = libellé français | English label */
		if (!record_valid_key(name))
			return (err_first(&p->reason, _("'%s' is not a valid code"), name));
		if (form_list_item(p->list, name) != NULL)
			return (err_first(&p->reason, _("code '%s' is listed twice"),
			    name));
		if ((bar = strstr(value, " | ")) == NULL)
			return (err_first(&p->reason, _("a list entry is 'code = French "
			    "label | English label'")));
		p->list->items = xrealloc(p->list->items,
		    (p->list->nitems + 1) * sizeof *p->list->items);
		it = &p->list->items[p->list->nitems++];
		it->code = xstrdup(name);
		it->label[FORM_FR] = xstrndup(value, bar - value);
		it->label[FORM_EN] = xstrdup(bar + 3);
	} else {
		if (strcmp(name, "id") == 0)
			rc = form_set_text(p, &fm->id, name, value);
		else if (form_lang_key(name, "title", &lang))
			rc = form_set_text(p, &fm->title[lang], name, value);
		else if (strcmp(name, "summary") == 0)
			rc = form_set_text(p, &fm->summary, name, value);
		else
			return (err_first(&p->reason, _("unknown key '%s' in [form]"),
			    name));
	}
	free(p->lastname);
	p->lastname = xstrdup(name);
	return (rc);
}

/* Refuse lines libinih would split, and NUL bytes, before parsing. */
int
form_precheck(const char *path, char **cause)
{
	FILE	*f;
	int	 c, line = 1;
	size_t	 len = 0;

	if ((f = fopen(path, "r")) == NULL)
		return (err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno)));
	while ((c = getc(f)) != EOF) {
		if (c == '\0') {
			fclose(f);
			return (err_set(cause, _("%s:%d: a NUL byte; this is not "
			    "a text file."), path, line));
		}
		if (c == '\n') {
			line++;
			len = 0;
		} else if (++len > FORM_LINE_MAX) {
			fclose(f);
			return (err_set(cause, _("%s:%d: line longer than %d bytes; "
			    "continue it on an indented line."), path, line,
			    FORM_LINE_MAX));
		}
	}
	fclose(f);
	return (0);
}

static int
form_parse(struct form_parse *p, const char *path, char **cause)
{
	int	 rc;

	if (form_precheck(path, cause) != 0)
		return (-1);
	rc = ini_parse(path, form_handler, p);
	free(p->section);
	free(p->lastname);
	free(p->seen);
	p->section = p->lastname = p->seen = NULL;
	if (rc == -1)
		return (err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno)));
	if (rc != 0) {
		err_set(cause, "%s:%d: %s.", path, rc, p->reason != NULL ?
		    p->reason : _("not a valid line (expected [section] or "
		    "name = value)"));
		free(p->reason);
		p->reason = NULL;
		return (-1);
	}
	return (0);
}

int
form_load_file(struct formset *set, const char *path, char **cause)
{
	struct form_parse	 p;
	struct form		*fm;

	memset(&p, 0, sizeof p);
	p.set = set;
	p.form = fm = xcalloc(1, sizeof *fm);
	fm->file = xstrdup(path);
	set->forms = xrealloc(set->forms, (set->nforms + 1) * sizeof *set->forms);
	set->forms[set->nforms++] = fm;
	if (form_parse(&p, path, cause) != 0)
		return (-1);
	if (fm->id == NULL || !record_valid_key(fm->id))
		return (err_set(cause, _("%s: the [form] section needs a valid "
		    "id."), path));
	if (fm->nfields == 0)
		return (err_set(cause, _("%s: the form has no fields."), path));
	return (0);
}

int
form_load_lists(struct formset *set, const char *path, char **cause)
{
	struct form_parse	 p;

	memset(&p, 0, sizeof p);
	p.set = set;
	return (form_parse(&p, path, cause));
}

/* Cross-checks once everything is read: ids unique, lists exist. */
/*
 * The fields that identify a witness are witness class whatever a forms
 * file says: a file that lowers one would write names in clear.
 */
static const char *form_identity[] = {
	"full_name", "phone", "location", "address", "officer_unit",
	"identifying"
};

int
form_identity_field(const char *form, const char *field)
{
	size_t	 i;

	if (strcmp(form, "witness") != 0)
		return (0);
	for (i = 0; i < sizeof form_identity / sizeof form_identity[0]; i++)
		if (strcmp(field, form_identity[i]) == 0)
			return (1);
	return (0);
}

/*
 * A link's forms exist; its condition names a choice field of each of
 * them, and codes of that field's list.
 */
static int
form_check_link(const struct formset *set, const struct form *fm,
    const struct form_field *f, char **cause)
{
	const struct form	*to;
	const struct form_field	*lf;
	const struct form_list	*l;
	char			*forms, *codes, *tok, *save, *c, *csave;
	int			 rc = 0;

	if (f->link == NULL && f->link_field == NULL)
		return (0);
	if (f->type != FORM_PERSON)
		return (err_set(cause, _("%s: field '%s' is no link (type = "
		    "person): 'link' does not apply."), fm->file, f->id));
	forms = xstrdup(f->link != NULL ? f->link : "person,witness");
	for (tok = strtok_r(forms, ",", &save); tok != NULL && rc == 0;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((to = formset_form(set, tok)) == NULL) {
			rc = err_set(cause, _("%s: field '%s' links to the form "
			    "'%s', which forms/ does not define."), fm->file,
			    f->id, tok);
			break;
		}
		if (f->link_field == NULL)
			continue;
		if ((lf = form_field(to, f->link_field)) == NULL ||
		    lf->list == NULL ||
		    (l = formset_list(set, lf->list)) == NULL) {
			rc = err_set(cause, _("%s: field '%s': 'link.%s' must "
			    "name a choice field of the form '%s'."), fm->file,
			    f->id, f->link_field, tok);
			break;
		}
		codes = xstrdup(f->link_codes);
		for (c = strtok_r(codes, ",", &csave); c != NULL && rc == 0;
		    c = strtok_r(NULL, ",", &csave))
			if (form_list_item(l, c) == NULL)
				rc = err_set(cause, _("%s: field '%s': '%s' is "
				    "not in the list '%s'."), fm->file, f->id,
				    c, l->id);
		free(codes);
	}
	free(forms);
	return (rc);
}

/* A date's or a time's order names a field of the same kind. */
static int
form_check_order(const struct form *fm, const struct form_field *f,
    const char *other, char **cause)
{
	const struct form_field	*o;
	int			 dated;

	if (other == NULL)
		return (0);
	dated = f->type == FORM_DATE || f->type == FORM_DATETIME;
	if ((o = form_field(fm, other)) == NULL || o == f ||
	    (dated ? !(o->type == FORM_DATE || o->type == FORM_DATETIME) :
	    !(f->type == FORM_TIME && o->type == FORM_TIME)))
		return (err_set(cause, _("%s: field '%s': 'not_before' and "
		    "'not_after' name another date field of the form (or "
		    "another time field, for a time), not '%s'."), fm->file,
		    f->id, other));
	return (0);
}

int
formset_check(struct formset *set, char **cause)
{
	struct form		*fm;
	struct form_field	*f;
	size_t			 i, j, k;

	for (i = 0; i < set->nforms; i++) {
		fm = set->forms[i];
		for (k = 0; k < i; k++) {
			if (strcmp(set->forms[k]->id, fm->id) == 0)
				return (err_set(cause, _("%s: form '%s' is also "
				    "defined in %s."), fm->file, fm->id,
				    set->forms[k]->file));
		}
		if (fm->title[FORM_FR] == NULL || fm->title[FORM_EN] == NULL)
			return (err_set(cause, _("%s: the form needs title.fr and "
			    "title.en."), fm->file));
		if (fm->summary != NULL && form_summary_check(fm, cause) != 0)
			return (-1);
		for (j = 0; j < fm->nfields; j++) {
			f = &fm->fields[j];
			if (f->label[FORM_FR] == NULL || f->label[FORM_EN] == NULL)
				return (err_set(cause, _("%s: field '%s' needs "
				    "label.fr and label.en."), fm->file, f->id));
			if ((f->type == FORM_CHOICE ||
			    f->type == FORM_MULTICHOICE) && f->list == NULL)
				return (err_set(cause, _("%s: field '%s' is a "
				    "choice but has no 'choices ='."), fm->file,
				    f->id));
			if (f->list != NULL && formset_list(set, f->list) == NULL)
				return (err_set(cause, _("%s: field '%s' uses the "
				    "list '%s', which lists.ini does not define."),
				    fm->file, f->id, f->list));
			if (form_check_link(set, fm, f, cause) != 0 ||
			    form_check_order(fm, f, f->not_before, cause) != 0 ||
			    form_check_order(fm, f, f->not_after, cause) != 0)
				return (-1);
			if (f->max == 0)
				f->max = f->type == FORM_LONGTEXT ?
				    FORM_LONGTEXT_MAX : FORM_TEXT_MAX;
			if (form_identity_field(fm->id, f->id) &&
			    f->class != FORM_WITNESS)
				return (err_set(cause, _("%s: field '%s' holds a "
				    "witness's identity and must stay "
				    "'class = witness'."), fm->file, f->id));
		}
	}
	for (i = 0; i < set->nlists; i++) {
		if (set->lists[i]->nitems == 0)
			return (err_set(cause, _("lists.ini: list '%s' is empty."),
			    set->lists[i]->id));
	}
	return (0);
}

static int
form_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char * const *)a, *(char * const *)b));
}

/* Load dir/lists.ini and every dir/NAME.form, in name order. */
int
formset_load(const char *dir, struct formset **setp, char **cause)
{
	struct formset	*set;
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *path;
	size_t		 n = 0, i, len;
	int		 rc = 0;

	*setp = NULL;
	if ((d = opendir(dir)) == NULL)
		return (err_set(cause, _("Cannot read the forms directory %s: "
		    "%s."), dir, strerror(errno)));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".form") == 0) {
			names = xrealloc(names, (n + 1) * sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof *names, form_name_cmp);

	set = xcalloc(1, sizeof *set);
	xasprintf(&path, "%s/lists.ini", dir);
	rc = form_load_lists(set, path, cause);
	free(path);
	for (i = 0; rc == 0 && i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]);
		rc = form_load_file(set, path, cause);
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == 0)
		rc = formset_check(set, cause);
	if (rc != 0) {
		formset_free(set);
		return (-1);
	}
	*setp = set;
	return (0);
}

void
formset_free(struct formset *set)
{
	size_t	 i, j;
	int	 l;

	if (set == NULL)
		return;
	for (i = 0; i < set->nforms; i++) {
		struct form *fm = set->forms[i];

		for (j = 0; j < fm->nfields; j++) {
			free(fm->fields[j].id);
			free(fm->fields[j].list);
			free(fm->fields[j].automatic);
			free(fm->fields[j].link);
			free(fm->fields[j].link_field);
			free(fm->fields[j].link_codes);
			free(fm->fields[j].not_before);
			free(fm->fields[j].not_after);
			for (l = 0; l < FORM_NLANG; l++) {
				free(fm->fields[j].label[l]);
				free(fm->fields[j].help[l]);
			}
		}
		for (l = 0; l < FORM_NLANG; l++)
			free(fm->title[l]);
		free(fm->summary);
		free(fm->fields);
		free(fm->id);
		free(fm->file);
		free(fm);
	}
	for (i = 0; i < set->nlists; i++) {
		for (j = 0; j < set->lists[i]->nitems; j++) {
			free(set->lists[i]->items[j].code);
			for (l = 0; l < FORM_NLANG; l++)
				free(set->lists[i]->items[j].label[l]);
		}
		free(set->lists[i]->items);
		free(set->lists[i]->id);
		free(set->lists[i]);
	}
	free(set->forms);
	free(set->lists);
	free(set);
}

const struct form *
formset_form(const struct formset *set, const char *id)
{
	size_t	 i;

	for (i = 0; i < set->nforms; i++) {
		if (set->forms[i]->id != NULL && strcmp(set->forms[i]->id, id) == 0)
			return (set->forms[i]);
	}
	return (NULL);
}

const struct form_list *
formset_list(const struct formset *set, const char *id)
{
	size_t	 i;

	for (i = 0; i < set->nlists; i++) {
		if (strcmp(set->lists[i]->id, id) == 0)
			return (set->lists[i]);
	}
	return (NULL);
}

const struct form_field *
form_field(const struct form *fm, const char *id)
{
	size_t	 i;

	for (i = 0; i < fm->nfields; i++) {
		if (strcmp(fm->fields[i].id, id) == 0)
			return (&fm->fields[i]);
	}
	return (NULL);
}

const struct form_item *
form_list_item(const struct form_list *l, const char *code)
{
	size_t	 i;

	for (i = 0; i < l->nitems; i++) {
		if (strcmp(l->items[i].code, code) == 0)
			return (&l->items[i]);
	}
	return (NULL);
}
