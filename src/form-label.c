/*
 * form-label.c: the words users read for what the data files name.  The
 * vocabulary lives in forms/: a field's label, a choice's label, a
 * state's label (workflow.c, which calls form_lang()) are each read
 * from there in the user's language, through form_lang(), the one place
 * that chooses the language.  Where the files have no such id, the id
 * itself is shown as it is: a state or a choice renamed in the files
 * shows its new name or its bare id, never a wrong word from the code.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "util.h"

/* A bilingual label in the user's language, else the other; or "". */
const char *
form_lang(char *const label[FORM_NLANG])
{
	int	 l = lang_index();

	if (label[l] != NULL && *label[l] != '\0')
		return (label[l]);
	if (label[!l] != NULL)
		return (label[!l]);
	return ("");
}

/*
 * The label of field of form (code NULL), or of the choice code of that
 * field's list; the field id or the code when the files have none.
 */
const char *
form_label(const struct formset *set, const char *form, const char *field,
    const char *code)
{
	const struct form	*fm;
	const struct form_field	*f;
	const char		*s;

	fm = set != NULL && form != NULL ? formset_form(set, form) : NULL;
	f = fm != NULL && field != NULL ? form_field(fm, field) : NULL;
	if (code != NULL) {
		/* A yes-or-no field's value, in words (the screens' too). */
		if (f != NULL && f->type == FORM_YESNO && strcmp(code,
		    "yes") == 0)
			return (_("yes"));
		if (f != NULL && f->type == FORM_YESNO && strcmp(code,
		    "no") == 0)
			return (_("no"));
		if (f == NULL || f->list == NULL)
			return (code);
		return (form_list_label(set, f->list, code));
	}
	if (f == NULL || *(s = form_lang(f->label)) == '\0')
		return (field != NULL ? field : "");
	return (s);
}

/* The label of code in list (forms/lists.ini), or the code. */
const char *
form_list_label(const struct formset *set, const char *list,
    const char *code)
{
	const struct form_list	*l;
	const struct form_item	*it;
	const char		*s;

	if (code == NULL)
		return ("");
	if (set == NULL || list == NULL ||
	    (l = formset_list(set, list)) == NULL ||
	    (it = form_list_item(l, code)) == NULL ||
	    *(s = form_lang(it->label)) == '\0')
		return (code);
	return (s);
}

/* A form's title, or its id. */
const char *
form_title(const struct formset *set, const char *form)
{
	const struct form	*fm;
	const char		*s;

	if (set == NULL || form == NULL ||
	    (fm = formset_form(set, form)) == NULL ||
	    *(s = form_lang(fm->title)) == '\0')
		return (form != NULL ? form : "");
	return (s);
}
