/*
 * workflow.c: reading forms/workflow-NAME.ini with libinih, checking
 * transitions against roles, and the deadline clock.
 *
 * The clock counts whole days (UTC).  Entering a state with a deadline
 * sets it to the day of entry plus the state's days.  Entering a paused
 * state stops the clock: the days left are kept, and when the case goes
 * back to the state it came from, the deadline is that many days after
 * the day of return, so time spent suspended is never counted against
 * the investigator.  Any other move starts the new state's own deadline.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "record.h"
#include "util.h"
#include "workflow.h"

struct workflow_parse {
	struct workflow			*wf;
	struct workflow_state		*state;
	struct workflow_transition	*tr;
	char				*section;
	char				*seen;
	char				*reason;
};

static int	workflow_text(struct workflow_parse *, char **, const char *);
static int	workflow_handler(void *, const char *, const char *,
		    const char *);
static int	workflow_check(struct workflow *, char **);
static void	workflow_free(struct workflow *);

static int
workflow_text(struct workflow_parse *p, char **dst, const char *value)
{
	if (*value == '\0')
		return (err_first(&p->reason, _("an empty value")));
	*dst = xstrdup(value);
	return (1);
}

static int
workflow_lang(const char *name, const char *base)
{
	size_t	 len = strlen(base);

	if (strncmp(name, base, len) != 0 || name[len] != '.')
		return (-1);
	if (strcmp(name + len + 1, "fr") == 0)
		return (FORM_FR);
	if (strcmp(name + len + 1, "en") == 0)
		return (FORM_EN);
	return (-1);
}

static int
workflow_yes(struct workflow_parse *p, const char *value, int *out)
{
	if (strcmp(value, "yes") == 0)
		*out = 1;
	else if (strcmp(value, "no") == 0)
		*out = 0;
	else
		return (err_first(&p->reason, _("expected yes or no, not '%s'"),
		    value));
	return (1);
}

static int
workflow_state_key(struct workflow_parse *p, const char *name,
    const char *value)
{
	struct workflow_state	*st = p->state;
	char			*end;
	long			 days;
	int			 lang;

	if ((lang = workflow_lang(name, "label")) != -1)
		return (workflow_text(p, &st->label[lang], value));
	if ((lang = workflow_lang(name, "group")) != -1)
		return (workflow_text(p, &st->group[lang], value));
	if (strcmp(name, "terminal") == 0)
		return (workflow_yes(p, value, &st->terminal));
	if (strcmp(name, "clock") == 0) {
		if (strcmp(value, "paused") == 0)
			st->paused = 1;
		else if (strcmp(value, "runs") != 0)
			return (err_first(&p->reason, _("clock is runs or paused, "
			    "not '%s'"), value));
		return (1);
	}
	if (strcmp(name, "days") == 0) {
		errno = 0;
		days = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno != 0 || days < 0 ||
		    days > 3650)
			return (err_first(&p->reason, _("days must be a number from "
			    "0 to 3650")));
		st->days = days;
		return (1);
	}
	return (err_first(&p->reason, _("unknown key '%s'"), name));
}

static int
workflow_transition_key(struct workflow_parse *p, const char *name,
    const char *value)
{
	struct workflow_transition	*tr = p->tr;
	struct workflow_guard		 g;
	char				*copy, *tok, *save;
	enum role			 role;
	int				 lang;

	if ((lang = workflow_lang(name, "label")) != -1)
		return (workflow_text(p, &tr->label[lang], value));
	if (strcmp(name, "to") == 0)
		return (workflow_text(p, &tr->to, value));
	if (strcmp(name, "reason") == 0)
		return (workflow_yes(p, value, &tr->reason));
	if (strcmp(name, "requires") == 0) {
		if (workflow_guard_parse(value, &g, &p->reason) != 0)
			return (0);
		tr->guards = xrealloc(tr->guards, (tr->nguards + 1) *
		    sizeof *tr->guards);
		tr->guards[tr->nguards++] = g;
		return (1);
	}
	if (strcmp(name, "from") != 0 && strcmp(name, "roles") != 0)
		return (err_first(&p->reason, _("unknown key '%s'"), name));
	copy = xstrdup(value);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (*name == 'f') {
			tr->from = xrealloc(tr->from, (tr->nfrom + 1) *
			    sizeof *tr->from);
			tr->from[tr->nfrom++] = xstrdup(tok);
			continue;
		}
		if (access_role_parse(tok, &role) != 0 ||
		    role == ROLE_ADMIN || role == ROLE_AUDITOR) {
			err_first(&p->reason, _("'%s' is not a role that may move a "
			    "case (registrar, investigator or supervisor)"), tok);
			free(copy);
			return (0);
		}
		tr->roles |= 1U << role;
	}
	free(copy);
	return (1);
}

static int
workflow_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct workflow_parse	*p = user;
	struct workflow		*wf = p->wf;
	const char		*id;
	char			*bar;
	size_t			 i;
	int			 lang, rc;

	if (p->section == NULL || strcmp(p->section, section) != 0) {
		free(p->section);
		p->section = xstrdup(section);
		free(p->seen);
		p->seen = xstrdup(" ");
		p->state = NULL;
		p->tr = NULL;
		if (strncmp(section, "state.", 6) == 0) {
			id = section + 6;
			if (!record_valid_key(id))
				return (err_first(&p->reason, _("'%s' is not a valid "
				    "state id"), id));
			for (i = 0; i < wf->nstates; i++)
				if (strcmp(wf->states[i].id, id) == 0)
					return (err_first(&p->reason, _("state '%s' "
					    "is defined twice"), id));
			wf->states = xrealloc(wf->states, (wf->nstates + 1) *
			    sizeof *wf->states);
			p->state = &wf->states[wf->nstates++];
			memset(p->state, 0, sizeof *p->state);
			p->state->id = xstrdup(id);
		} else if (strncmp(section, "transition.", 11) == 0) {
			id = section + 11;
			if (!record_valid_key(id))
				return (err_first(&p->reason, _("'%s' is not a valid "
				    "transition id"), id));
			wf->transitions = xrealloc(wf->transitions,
			    (wf->ntransitions + 1) * sizeof *wf->transitions);
			p->tr = &wf->transitions[wf->ntransitions++];
			memset(p->tr, 0, sizeof *p->tr);
			p->tr->id = xstrdup(id);
		} else if (strcmp(section, "workflow") != 0)
			return (err_first(&p->reason, _("unknown section [%s]"),
			    section));
	}

	/* Every key once, but requires: one line per requirement. */
	xasprintf(&bar, " %s ", name);
	if (strcmp(name, "requires") != 0 && strstr(p->seen, bar) != NULL) {
		free(bar);
		return (err_first(&p->reason, _("'%s' is given twice"), name));
	}
	free(bar);
	xasprintf(&bar, "%s%s ", p->seen, name);
	free(p->seen);
	p->seen = bar;

	if (p->state != NULL)
		return (workflow_state_key(p, name, value));
	if (p->tr != NULL)
		return (workflow_transition_key(p, name, value));
	if (strcmp(name, "id") == 0)
		rc = workflow_text(p, &wf->id, value);
	else if (strcmp(name, "initial") == 0)
		rc = workflow_text(p, &wf->initial, value);
	else if ((lang = workflow_lang(name, "title")) != -1)
		rc = workflow_text(p, &wf->title[lang], value);
	else
		rc = err_first(&p->reason, _("unknown key '%s' in [workflow]"), name);
	return (rc);
}

/* Once read: every state named exists, labels are there, ids unique. */
static int
workflow_check(struct workflow *wf, char **cause)
{
	const struct workflow_transition	*tr;
	const struct workflow_state		*st;
	size_t					 i, j;

	if (wf->id == NULL || !record_valid_key(wf->id))
		return (err_set(cause, _("%s: [workflow] needs a valid id."),
		    wf->file));
	if (wf->title[FORM_FR] == NULL || wf->title[FORM_EN] == NULL)
		return (err_set(cause, _("%s: [workflow] needs title.fr and "
		    "title.en."), wf->file));
	if (wf->nstates == 0 || wf->initial == NULL ||
	    (st = workflow_state(wf, wf->initial)) == NULL)
		return (err_set(cause, _("%s: the initial state is missing or "
		    "not defined."), wf->file));
	for (i = 0; i < wf->nstates; i++) {
		st = &wf->states[i];
		if (st->label[FORM_FR] == NULL || st->label[FORM_EN] == NULL)
			return (err_set(cause, _("%s: state '%s' needs label.fr "
			    "and label.en."), wf->file, st->id));
		if (st->paused && st->days != 0)
			return (err_set(cause, _("%s: state '%s' pauses the clock "
			    "and so cannot have a deadline."), wf->file,
			    st->id));
	}
	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		for (j = 0; j < i; j++)
			if (strcmp(wf->transitions[j].id, tr->id) == 0)
				return (err_set(cause, _("%s: transition '%s' is "
				    "defined twice."), wf->file, tr->id));
		if (tr->label[FORM_FR] == NULL || tr->label[FORM_EN] == NULL)
			return (err_set(cause, _("%s: transition '%s' needs "
			    "label.fr and label.en."), wf->file, tr->id));
		if (tr->nfrom == 0 || tr->to == NULL || tr->roles == 0)
			return (err_set(cause, _("%s: transition '%s' needs from, "
			    "to and roles."), wf->file, tr->id));
		if (strcmp(tr->to, WORKFLOW_PREVIOUS) != 0 &&
		    workflow_state(wf, tr->to) == NULL)
			return (err_set(cause, _("%s: transition '%s' goes to "
			    "'%s', which is not a state."), wf->file, tr->id,
			    tr->to));
		for (j = 0; j < tr->nfrom; j++)
			if (workflow_state(wf, tr->from[j]) == NULL)
				return (err_set(cause, _("%s: transition '%s' "
				    "starts from '%s', which is not a state."),
				    wf->file, tr->id, tr->from[j]));
	}
	return (0);
}

int
workflow_load_file(struct workflow_set *set, const char *path, char **cause)
{
	struct workflow_parse	 p;
	struct workflow		*wf;
	size_t			 i;
	int			 rc;

	if (form_precheck(path, cause) != 0)
		return (-1);
	memset(&p, 0, sizeof p);
	p.wf = wf = xcalloc(1, sizeof *wf);
	wf->file = xstrdup(path);
	set->list = xrealloc(set->list, (set->n + 1) * sizeof *set->list);
	set->list[set->n++] = wf;
	rc = ini_parse(path, workflow_handler, &p);
	free(p.section);
	free(p.seen);
	if (rc == -1)
		return (err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno)));
	if (rc != 0) {
		err_set(cause, "%s:%d: %s.", path, rc, p.reason != NULL ?
		    p.reason : _("not a valid line (expected [section] or "
		    "name = value)"));
		free(p.reason);
		return (-1);
	}
	if (workflow_check(wf, cause) != 0)
		return (-1);
	for (i = 0; i + 1 < set->n; i++)
		if (strcmp(set->list[i]->id, wf->id) == 0)
			return (err_set(cause, _("%s: workflow '%s' is also "
			    "defined in %s."), path, wf->id,
			    set->list[i]->file));
	return (0);
}

/* Load every dir/workflow-NAME.ini. */
int
workflow_load(const char *dir, struct workflow_set **setp, char **cause)
{
	struct workflow_set	*set;
	DIR			*d;
	struct dirent		*de;
	char			*path;
	size_t			 len;
	int			 rc = 0;

	*setp = NULL;
	if ((d = opendir(dir)) == NULL)
		return (err_set(cause, _("Cannot read the forms directory %s: "
		    "%s."), dir, strerror(errno)));
	set = xcalloc(1, sizeof *set);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strncmp(de->d_name, "workflow-", 9) != 0 || len < 14 ||
		    strcmp(de->d_name + len - 4, ".ini") != 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		rc = workflow_load_file(set, path, cause);
		free(path);
	}
	closedir(d);
	if (rc == 0 && set->n == 0)
		rc = err_set(cause, _("%s holds no workflow-NAME.ini file."),
		    dir);
	if (rc != 0) {
		workflow_set_free(set);
		return (-1);
	}
	*setp = set;
	return (0);
}

static void
workflow_free(struct workflow *wf)
{
	size_t	 i, j;
	int	 l;

	for (i = 0; i < wf->nstates; i++) {
		free(wf->states[i].id);
		for (l = 0; l < FORM_NLANG; l++) {
			free(wf->states[i].label[l]);
			free(wf->states[i].group[l]);
		}
	}
	for (i = 0; i < wf->ntransitions; i++) {
		free(wf->transitions[i].id);
		free(wf->transitions[i].to);
		for (j = 0; j < wf->transitions[i].nfrom; j++)
			free(wf->transitions[i].from[j]);
		free(wf->transitions[i].from);
		for (j = 0; j < wf->transitions[i].nguards; j++)
			workflow_guard_free(&wf->transitions[i].guards[j]);
		free(wf->transitions[i].guards);
		for (l = 0; l < FORM_NLANG; l++)
			free(wf->transitions[i].label[l]);
	}
	for (l = 0; l < FORM_NLANG; l++)
		free(wf->title[l]);
	free(wf->states);
	free(wf->transitions);
	workflow_must_free(wf->must);
	free(wf->id);
	free(wf->initial);
	free(wf->file);
	free(wf);
}

void
workflow_set_free(struct workflow_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		workflow_free(set->list[i]);
	free(set->list);
	free(set);
}

const struct workflow *
workflow_find(const struct workflow_set *set, const char *id)
{
	size_t	 i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->list[i]->id, id) == 0)
			return (set->list[i]);
	return (NULL);
}

const struct workflow_state *
workflow_state(const struct workflow *wf, const char *id)
{
	size_t	 i;

	for (i = 0; i < wf->nstates; i++)
		if (strcmp(wf->states[i].id, id) == 0)
			return (&wf->states[i]);
	return (NULL);
}

/* A state's label in the user's language (form_lang()), or its id. */
const char *
workflow_state_label(const struct workflow *wf, const char *id)
{
	const struct workflow_state	*st;
	const char			*s;

	if (id == NULL)
		return ("");
	if (wf == NULL || (st = workflow_state(wf, id)) == NULL ||
	    *(s = form_lang(st->label)) == '\0')
		return (id);
	return (s);
}

static int
workflow_from(const struct workflow_transition *tr, const char *state)
{
	size_t	 i;

	for (i = 0; i < tr->nfrom; i++)
		if (strcmp(tr->from[i], state) == 0)
			return (1);
	return (0);
}

const struct workflow_transition *
workflow_transition(const struct workflow *wf, const char *state,
    const char *name)
{
	const struct workflow_transition	*tr;
	size_t					 i;

	for (i = 0; i < wf->ntransitions; i++) {
		tr = &wf->transitions[i];
		if (workflow_from(tr, state) && (strcmp(tr->id, name) == 0 ||
		    strcmp(tr->to, name) == 0))
			return (tr);
	}
	return (NULL);
}

int
workflow_allows(const struct workflow *wf,
    const struct workflow_transition *tr, const char *state, enum role role,
    const char *reason, char **cause)
{
	const struct workflow_state	*st = workflow_state(wf, state);

	/* Said with the labels the screens show, never the ids. */
	if (tr == NULL || !workflow_from(tr, state)) {
		if (st != NULL && st->terminal)
			return (err_set(cause, _("The case is closed (%s): it "
			    "is read-only until a supervisor reopens it with a "
			    "reason."), form_lang(st->label)));
		return (err_set(cause, _("No such move from the state '%s'; "
		    "'case show' lists the moves allowed."), st != NULL ?
		    form_lang(st->label) : state));
	}
	if ((tr->roles & (1U << role)) == 0)
		return (err_set(cause, _("Your role (%s) may not make the move "
		    "'%s'."), access_role_label(role), form_lang(tr->label)));
	if (tr->reason && (reason == NULL || *reason == '\0'))
		return (err_set(cause, _("The move '%s' needs a reason (on the "
		    "command line, --reason TEXT)."), form_lang(tr->label)));
	return (0);
}

const char *
workflow_target(const struct workflow_transition *tr,
    const struct workflow_clock *clock)
{
	if (strcmp(tr->to, WORKFLOW_PREVIOUS) == 0)
		return (clock->previous);
	return (tr->to);
}

void
workflow_clock_start(const struct workflow *wf, struct workflow_clock *clock,
    long today)
{
	const struct workflow_state	*st = workflow_state(wf, wf->initial);

	memset(clock, 0, sizeof *clock);
	clock->entered = today;
	clock->deadline = st->days != 0 ? today + st->days : 0;
	if (st->paused)
		clock->paused_since = today;
}

void
workflow_clock_move(const struct workflow *wf, struct workflow_clock *clock,
    const char *from, const char *to, long today)
{
	const struct workflow_state	*sf = workflow_state(wf, from);
	const struct workflow_state	*st = workflow_state(wf, to);
	int				 was_paused = sf != NULL && sf->paused;

	if (st == NULL)
		return;
	clock->entered = today;
	if (st->paused) {
		if (!was_paused) {
			clock->resume = clock->deadline != 0;
			clock->resume_left = clock->deadline - today;
			snprintf(clock->previous, sizeof clock->previous, "%s",
			    from);
			clock->paused_since = today;
		}
		clock->deadline = 0;
		return;
	}
	if (was_paused) {
		clock->paused_days += today - clock->paused_since;
		clock->paused_since = 0;
		if (clock->resume && strcmp(clock->previous, to) == 0) {
			clock->deadline = today + clock->resume_left;
			clock->resume = 0;
			return;
		}
		clock->resume = 0;
	}
	clock->deadline = st->days != 0 ? today + st->days : 0;
}

long
workflow_overdue(const struct workflow_clock *clock, long today)
{
	if (clock->deadline == 0 || clock->paused_since != 0 ||
	    today <= clock->deadline)
		return (0);
	return (today - clock->deadline);
}

long
workflow_paused_total(const struct workflow_clock *clock, long today)
{
	return (clock->paused_days + (clock->paused_since != 0 ?
	    today - clock->paused_since : 0));
}
