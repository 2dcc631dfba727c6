/*
 * workflow-guard.c: what a move requires first ("requires =" lines of a
 * transition in forms/workflow-NAME.ini, dossier-forms(5)).
 *
 * A guard is read once with its workflow, checked against the forms when
 * both are loaded (a guard naming a form or field that does not exist
 * would refuse every move for ever), and evaluated against the records of
 * a case, given as a flat list of (form, fields) pairs so that this file
 * needs neither the store nor the keys: casefile.c decrypts the records
 * and calls workflow_guards_allow() inside the transaction of the move.
 *
 * A refused move is explained in one sentence built from the labels of
 * the forms, fields and states, in the user's language, never from ids.
 *
 * A case placed straight in a state by an import or the demo must meet
 * what the moves to that state would have asked: workflow_state_allow()
 * computes the guards that every way from the initial state passes (a
 * forward "must pass" analysis over the transitions) and checks those.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "record.h"
#include "util.h"
#include "workflow.h"

static int	wg_term_parse(const char *, struct workflow_term *, char **);
static int	wg_filled(const struct workflow_term *, const struct record *);
static int	wg_lapsed(const struct workflow_term *, const struct record *,
		    long);
static char	*wg_term_words(const struct workflow_term *,
		    const struct formset *);
static int	wg_refuse(const char *, const struct formset *,
		    const struct workflow_guard **, size_t, char **);

static const struct {
	const char		*prefix;
	enum workflow_term_type	 type;
} wg_types[] = {
	{ "record:", WORKFLOW_RECORD },
	{ "field:", WORKFLOW_FIELD },
	{ "every:", WORKFLOW_EVERY },
	{ "lapsed:", WORKFLOW_LAPSED },
};

static int
wg_term_parse(const char *s, struct workflow_term *t, char **reason)
{
	const char	*p = NULL;
	char		*copy, *dot, *cut, *end;
	size_t		 i, len;
	long		 days;

	memset(t, 0, sizeof *t);
	for (i = 0; i < sizeof wg_types / sizeof wg_types[0]; i++) {
		len = strlen(wg_types[i].prefix);
		if (strncmp(s, wg_types[i].prefix, len) == 0) {
			t->type = wg_types[i].type;
			p = s + len;
			break;
		}
	}
	if (p == NULL || *p == '\0')
		return (err_first(reason, _("'%s' is not a requirement: write "
		    "record:FORM, field:FORM.FIELD, every:FORM.FIELD or "
		    "lapsed:FORM.FIELD+DAYS"), s) - 1);
	copy = xstrdup(p);
	if (t->type == WORKFLOW_LAPSED) {
		if ((cut = strrchr(copy, '+')) == NULL)
			goto nodays;
		*cut++ = '\0';
		errno = 0;
		days = strtol(cut, &end, 10);
		if (*cut == '\0' || *end != '\0' || errno != 0 || days < 1 ||
		    days > 3650)
			goto nodays;
		t->days = (int)days;
	} else if ((cut = strchr(copy, '=')) != NULL) {
		if (cut > copy && cut[-1] == '!') {
			t->negate = 1;
			cut[-1] = '\0';
		}
		*cut++ = '\0';
		if (t->type == WORKFLOW_RECORD || *cut == '\0' ||
		    !record_valid_key(cut)) {
			free(copy);
			return (err_first(reason, _("in '%s', '=' and '!=' take a "
			    "code and only follow field: or every:"), s) - 1);
		}
		t->code = xstrdup(cut);
	}
	if (t->type == WORKFLOW_RECORD) {
		t->form = copy;
		if (!record_valid_key(t->form))
			goto bad;
		return (0);
	}
	/* The last dot: form ids may hold dots, field ids do not. */
	if ((dot = strrchr(copy, '.')) == NULL || dot == copy ||
	    dot[1] == '\0')
		goto bad;
	*dot = '\0';
	t->form = copy;
	t->field = xstrdup(dot + 1);
	if (!record_valid_key(t->form) || !record_valid_key(t->field))
		goto bad;
	return (0);

nodays:
	free(copy);
	return (err_first(reason, _("'%s' needs a number of days from 1 to "
	    "3650: lapsed:FORM.FIELD+DAYS"), s) - 1);
bad:
	err_first(reason, _("'%s' does not name a form and a field as "
	    "FORM.FIELD"), s);
	if (t->form == NULL)
		free(copy);
	free(t->form);
	free(t->field);
	free(t->code);
	memset(t, 0, sizeof *t);
	return (-1);
}

/* One "requires =" value: terms joined by "or". */
int
workflow_guard_parse(const char *value, struct workflow_guard *g,
    char **reason)
{
	struct workflow_term	 t;
	char			*copy, *tok, *save;
	int			 want_term = 1;

	memset(g, 0, sizeof *g);
	g->text = xstrdup(value);
	copy = xstrdup(value);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (!want_term) {
			if (strcmp(tok, "or") != 0) {
				err_first(reason, _("'%s' must follow 'or' "
				    "(requirements on one line are "
				    "alternatives; write one requires line "
				    "for each requirement)"), tok);
				goto fail;
			}
			want_term = 1;
			continue;
		}
		if (wg_term_parse(tok, &t, reason) != 0)
			goto fail;
		g->terms = xrealloc(g->terms, (g->nterms + 1) *
		    sizeof *g->terms);
		g->terms[g->nterms++] = t;
		want_term = 0;
	}
	if (want_term) {
		err_first(reason, g->nterms == 0 ? _("requires needs a "
		    "requirement") : _("requires ends with 'or'"));
		goto fail;
	}
	free(copy);
	return (0);
fail:
	free(copy);
	workflow_guard_free(g);
	return (-1);
}

void
workflow_guard_free(struct workflow_guard *g)
{
	size_t	 i;

	for (i = 0; i < g->nterms; i++) {
		free(g->terms[i].form);
		free(g->terms[i].field);
		free(g->terms[i].code);
	}
	free(g->terms);
	free(g->text);
	memset(g, 0, sizeof *g);
}

/*
 * Every form and field a guard names exists, is readable with the case
 * key, and is of a type the term can use.
 */
int
workflow_guards_check_forms(const struct workflow_set *set,
    const struct formset *forms, char **cause)
{
	const struct workflow_transition	*tr;
	const struct workflow_term		*t;
	const struct workflow			*wf;
	const struct form			*fm;
	const struct form_field			*f;
	const struct form_list			*l;
	size_t					 w, i, j, k;

	for (w = 0; w < set->n; w++) {
		wf = set->list[w];
		for (i = 0; i < wf->ntransitions; i++) {
			tr = &wf->transitions[i];
			for (j = 0; j < tr->nguards; j++) {
				for (k = 0; k < tr->guards[j].nterms; k++) {
					t = &tr->guards[j].terms[k];
					if ((fm = formset_form(forms,
					    t->form)) == NULL)
						return (err_set(cause, _("%s: "
						    "transition '%s' requires "
						    "the form '%s', which is "
						    "not installed."), wf->file,
						    tr->id, t->form));
					if (t->field == NULL)
						continue;
					if ((f = form_field(fm,
					    t->field)) == NULL)
						return (err_set(cause, _("%s: "
						    "transition '%s' requires "
						    "'%s', which the form '%s' "
						    "does not have."), wf->file,
						    tr->id, t->field, t->form));
					if (f->class == FORM_WITNESS)
						return (err_set(cause, _("%s: "
						    "transition '%s' requires "
						    "the witness field '%s', "
						    "which only a witness key "
						    "opens."), wf->file,
						    tr->id, t->field));
					if (t->type == WORKFLOW_LAPSED &&
					    f->type != FORM_DATE &&
					    f->type != FORM_DATETIME)
						return (err_set(cause, _("%s: "
						    "transition '%s': lapsed "
						    "needs a date field, and "
						    "'%s' is not one."), wf->file,
						    tr->id, t->field));
					if (t->code == NULL)
						continue;
					if (f->list == NULL ||
					    (l = formset_list(forms,
					    f->list)) == NULL ||
					    form_list_item(l, t->code) == NULL)
						return (err_set(cause, _("%s: "
						    "transition '%s': '%s' is "
						    "not a choice of '%s'."),
						    wf->file, tr->id, t->code,
						    t->field));
				}
			}
		}
	}
	return (0);
}

static int
wg_filled(const struct workflow_term *t, const struct record *r)
{
	const char	*v = record_get_str(r, t->field);

	if (v == NULL || *v == '\0')
		return (0);
	if (t->code == NULL)
		return (1);
	return ((strcmp(v, t->code) == 0) != t->negate);
}

/* The date in the field (a date or date and time) is days + 1 ago. */
static int
wg_lapsed(const struct workflow_term *t, const struct record *r, long today)
{
	const char	*v = record_get_str(r, t->field);
	char		 date[11];
	long		 day;

	if (v == NULL || strlen(v) < 10)
		return (0);
	memcpy(date, v, 10);
	date[10] = '\0';
	if (form_parse_date(date, &day) != 0)
		return (0);
	return (today > day + t->days);
}

/*
 * A guard holds when one of its record: or field: terms holds, or when,
 * for one form, there are records of it and each meets one of the
 * guard's every: or lapsed: terms on that form.
 */
int
workflow_guard_met(const struct workflow_guard *g,
    const struct workflow_item *items, size_t n, long today)
{
	const struct workflow_term	*t, *u;
	size_t				 i, j, k, seen;
	int				 ok;

	for (i = 0; i < g->nterms; i++) {
		t = &g->terms[i];
		if (t->type != WORKFLOW_RECORD && t->type != WORKFLOW_FIELD)
			continue;
		for (j = 0; j < n; j++) {
			if (strcmp(items[j].form, t->form) != 0)
				continue;
			if (t->type == WORKFLOW_RECORD ||
			    wg_filled(t, items[j].fields))
				return (1);
		}
	}
	for (i = 0; i < g->nterms; i++) {
		t = &g->terms[i];
		if (t->type != WORKFLOW_EVERY && t->type != WORKFLOW_LAPSED)
			continue;
		/* Each form once: at its first per-record term. */
		for (k = 0; k < i; k++)
			if ((g->terms[k].type == WORKFLOW_EVERY ||
			    g->terms[k].type == WORKFLOW_LAPSED) &&
			    strcmp(g->terms[k].form, t->form) == 0)
				break;
		if (k < i)
			continue;
		seen = 0;
		ok = 1;
		for (j = 0; ok && j < n; j++) {
			if (strcmp(items[j].form, t->form) != 0)
				continue;
			seen++;
			ok = 0;
			for (k = i; !ok && k < g->nterms; k++) {
				u = &g->terms[k];
				if (strcmp(u->form, t->form) != 0)
					continue;
				if (u->type == WORKFLOW_EVERY)
					ok = wg_filled(u, items[j].fields);
				else if (u->type == WORKFLOW_LAPSED)
					ok = wg_lapsed(u, items[j].fields,
					    today);
			}
		}
		if (ok && seen > 0)
			return (1);
	}
	return (0);
}

static char *
wg_term_words(const struct workflow_term *t, const struct formset *forms)
{
	const char	*form = form_title(forms, t->form), *field;
	char		*s;

	if (t->type == WORKFLOW_RECORD) {
		xasprintf(&s, _("a record “%s”"), form);
		return (s);
	}
	field = form_label(forms, t->form, t->field, NULL);
	if (t->type == WORKFLOW_LAPSED)
		xasprintf(&s, ngettext("%d day since “%s”",
		    "%d days since “%s”", t->days), t->days, field);
	else if (t->code != NULL && t->negate)
		xasprintf(&s, t->type == WORKFLOW_EVERY ?
		    _("“%s” other than “%s” in every record “%s”") :
		    _("“%s” other than “%s” in a record “%s”"), field,
		    form_label(forms, t->form, t->field, t->code), form);
	else if (t->code != NULL)
		xasprintf(&s, t->type == WORKFLOW_EVERY ?
		    _("“%s” set to “%s” in every record “%s”") :
		    _("“%s” set to “%s” in a record “%s”"), field,
		    form_label(forms, t->form, t->field, t->code), form);
	else
		xasprintf(&s, t->type == WORKFLOW_EVERY ?
		    _("“%s” in every record “%s”") :
		    _("“%s” in a record “%s”"), field, form);
	return (s);
}

char *
workflow_guard_words(const struct workflow_guard *g,
    const struct formset *forms)
{
	char	*s = NULL, *t, *n;
	size_t	 i;

	for (i = 0; i < g->nterms; i++) {
		t = wg_term_words(&g->terms[i], forms);
		if (s == NULL) {
			s = t;
			continue;
		}
		/* TRANSLATORS: alternatives a move accepts: "A or B". */
		xasprintf(&n, _("%s or %s"), s, t);
		free(s);
		free(t);
		s = n;
	}
	return (s != NULL ? s : xstrdup(""));
}

/* "To move to “Report filed”, the case first needs: A; B or C; D." */
static int
wg_refuse(const char *state, const struct formset *forms,
    const struct workflow_guard **unmet, size_t n, char **cause)
{
	char	*list = NULL, *w, *s;
	size_t	 i;
	int	 rc;

	for (i = 0; i < n; i++) {
		w = workflow_guard_words(unmet[i], forms);
		if (list == NULL)
			list = w;
		else {
			/* TRANSLATORS: between requirements: "A; B". */
			xasprintf(&s, _("%s; %s"), list, w);
			free(list);
			free(w);
			list = s;
		}
	}
	rc = err_set(cause, _("To move to “%s”, the case first needs: %s."),
	    state, list);
	free(list);
	return (rc);
}

int
workflow_guards_allow(const struct workflow *wf,
    const struct workflow_transition *tr, const char *to,
    const struct formset *forms, const struct workflow_item *items,
    size_t n, long today, char **cause)
{
	const struct workflow_guard	**unmet;
	size_t				  i, nu = 0;
	int				  rc = 0;

	unmet = xcalloc(tr->nguards + 1, sizeof *unmet);
	for (i = 0; i < tr->nguards; i++)
		if (!workflow_guard_met(&tr->guards[i], items, n, today))
			unmet[nu++] = &tr->guards[i];
	if (nu != 0)
		rc = wg_refuse(workflow_state_label(wf, to), forms, unmet, nu,
		    cause);
	free(unmet);
	return (rc);
}

/*
 * The guards every way into each state passes: must[s] is the
 * intersection, over the transitions into s, of must[from] and the
 * transition's guards; the initial state starts empty and the others
 * full, and the sets only shrink until nothing changes.  Guards are the
 * same when written the same.  A return to the state left before a
 * pause (@previous) asks nothing new and is left out.  It depends on the
 * workflow alone, so it is worked out once per loaded workflow and kept
 * with it (an import places thousands of cases).
 */
struct workflow_must {
	const struct workflow_guard	**all;
	size_t				  na;
	unsigned char			 *must;
};

void
workflow_must_free(struct workflow_must *m)
{
	if (m == NULL)
		return;
	free(m->all);
	free(m->must);
	free(m);
}

static struct workflow_must *
wg_must(const struct workflow *wf)
{
	const struct workflow_transition	 *tr;
	const struct workflow_guard		**all = NULL;
	struct workflow_must			 *m;
	unsigned char				 *must, *in, *next;
	size_t					  na = 0, ns = wf->nstates;
	size_t					  i, j, k, g, s, f;
	int					  changed;

	if (wf->must != NULL)
		return (wf->must);
	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		for (j = 0; j < tr->nguards; j++) {
			for (k = 0; k < na; k++)
				if (strcmp(all[k]->text, tr->guards[j].text) == 0)
					break;
			if (k == na) {
				all = xrealloc(all, (na + 1) * sizeof *all);
				all[na++] = &tr->guards[j];
			}
		}
	}
	must = xcalloc(ns + 1, na + 1);
	in = xcalloc(na + 1, 1);
	next = xcalloc(na + 1, 1);
	for (s = 0; s < ns; s++)
		if (strcmp(wf->states[s].id, wf->initial) != 0)
			memset(must + s * na, 1, na);
	do {
		changed = 0;
		for (s = 0; s < ns; s++) {
			if (strcmp(wf->states[s].id, wf->initial) == 0)
				continue;
			memset(next, 1, na);
			for (i = 0; i < wf->ntransitions; i++) {
				tr = &wf->transitions[i];
				if (strcmp(tr->to, wf->states[s].id) != 0)
					continue;
				for (j = 0; j < tr->nfrom; j++) {
					f = (size_t)(workflow_state(wf,
					    tr->from[j]) - wf->states);
					for (g = 0; g < na; g++) {
						in[g] = must[f * na + g];
						for (k = 0; !in[g] &&
						    k < tr->nguards; k++)
							in[g] = strcmp(all[g]->text,
							    tr->guards[k].text) == 0;
						next[g] = next[g] && in[g];
					}
				}
			}
			if (memcmp(next, must + s * na, na) != 0) {
				memcpy(must + s * na, next, na);
				changed = 1;
			}
		}
	} while (changed);
	free(next);
	free(in);
	m = xcalloc(1, sizeof *m);
	m->all = all;
	m->na = na;
	m->must = must;
	/* Kept with the workflow, which is otherwise read-only here. */
	((struct workflow *)wf)->must = m;
	return (m);
}

int
workflow_state_allow(const struct workflow *wf, const char *state,
    const struct formset *forms, const struct workflow_item *items,
    size_t n, long today, char **cause)
{
	const struct workflow_guard		**all, **unmet;
	const struct workflow_state		 *st;
	const struct workflow_must		 *m;
	unsigned char				 *must;
	size_t					  na, t, g, nu = 0;
	int					  rc = 0;

	m = wg_must(wf);
	all = m->all;
	na = m->na;
	must = m->must;
	if (na == 0 || (st = workflow_state(wf, state)) == NULL)
		return (0);
	t = (size_t)(st - wf->states);
	unmet = xcalloc(na, sizeof *unmet);
	for (g = 0; g < na; g++)
		if (must[t * na + g] &&
		    !workflow_guard_met(all[g], items, n, today))
			unmet[nu++] = all[g];
	if (nu != 0)
		rc = wg_refuse(workflow_state_label(wf, state), forms, unmet,
		    nu, cause);
	free(unmet);
	return (rc);
}
