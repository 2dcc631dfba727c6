/*
 * workflow.h: case workflows read from forms/workflow-NAME.ini (format in
 * dossier-forms(5)), and the deadline clock of a case.
 *
 * A workflow set owns its workflows; workflow_set_free() frees them.
 * The clock functions are pure: they take and return a struct
 * workflow_clock, which casefile.c stores in the clear case header.
 */
#ifndef WORKFLOW_H
#define WORKFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "access.h"
#include "form.h"

#define WORKFLOW_PREVIOUS	"@previous"	/* transition target */

struct formset;
struct record;

/*
 * A guard is one "requires =" line of a transition: the move is allowed
 * when any of its terms holds.  Terms (see dossier-forms(5)):
 *   record:FORM		a record of that form exists
 *   field:FORM.FIELD		some record of FORM has FIELD filled in
 *   every:FORM.FIELD		there is a record of FORM and each has it
 *				(both: =CODE or !=CODE for a choice field)
 *   lapsed:FORM.FIELD+DAYS	there is a record of FORM, and in each the
 *				date FIELD is more than DAYS days ago
 * The every: and lapsed: terms of one line that name the same form are
 * checked record by record: each record must meet one of them.
 */
enum workflow_term_type {
	WORKFLOW_RECORD,
	WORKFLOW_FIELD,
	WORKFLOW_EVERY,
	WORKFLOW_LAPSED
};

struct workflow_term {
	enum workflow_term_type	 type;
	char			*form;
	char			*field;		/* NULL for record: */
	char			*code;		/* "=CODE" or "!=CODE" */
	int			 negate;	/* "!=" */
	int			 days;		/* lapsed: */
};

struct workflow_guard {
	char			*text;		/* as written */
	struct workflow_term	*terms;
	size_t			 nterms;
};

/* What a guard is checked against: the records of a case. */
struct workflow_item {
	const char		*form;
	const struct record	*fields;
};

struct workflow_state {
	char		*id;
	char		*label[FORM_NLANG];
	int		 terminal;
	int		 paused;	/* the clock stops here */
	int		 days;		/* deadline; 0 = none */
	/* A dashboard line gathering states ("waiting for a decision"). */
	char		*group[FORM_NLANG];
};

struct workflow_transition {
	char		*id;
	char		**from;
	size_t		  nfrom;
	char		*to;		/* a state id or WORKFLOW_PREVIOUS */
	unsigned int	 roles;		/* 1 << enum role */
	int		 reason;	/* a reason is required */
	char		*label[FORM_NLANG];
	struct workflow_guard	*guards;	/* all must hold */
	size_t			 nguards;
};

struct workflow_must;
struct workflow {
	char				*id;
	char				*title[FORM_NLANG];
	char				*initial;
	char				*file;
	struct workflow_state		*states;
	size_t				 nstates;
	struct workflow_transition	*transitions;
	size_t				 ntransitions;
	struct workflow_must		*must;	/* workflow-guard.c, lazily */
};

struct workflow_set {
	struct workflow		**list;
	size_t			  n;
};

/*
 * The clock of a case, in days since 1970-01-01 (UTC).  While a paused
 * state runs, paused_since is set and deadline is 0; the days that were
 * left on the state the case came from are kept in resume_left.
 */
struct workflow_clock {
	long		 entered;	/* day the current state began */
	long		 deadline;	/* last day allowed; 0 = none */
	long		 paused_since;	/* 0 unless in a paused state */
	long		 paused_days;	/* total over the case's life */
	long		 resume_left;	/* days left when the clock stopped */
	int		 resume;	/* resume_left is set */
	char		 previous[64];	/* state left for the paused one */
};

int	 workflow_load(const char *, struct workflow_set **, char **);
int	 workflow_load_file(struct workflow_set *, const char *, char **);
void	 workflow_set_free(struct workflow_set *);

const struct workflow	*workflow_find(const struct workflow_set *,
			    const char *);
const struct workflow_state *workflow_state(const struct workflow *,
			    const char *);
/* A state's label in the user's language, or its id (form-label.c). */
const char	*workflow_state_label(const struct workflow *, const char *);
/* The transition named (by its id or its target) from this state. */
const struct workflow_transition *workflow_transition(const struct workflow *,
			    const char *, const char *);

/* Can this role take this transition from this state? 0 or -1 + cause. */
int	 workflow_allows(const struct workflow *,
	    const struct workflow_transition *, const char *, enum role,
	    const char *, char **);
/* The state a transition leads to from a case with this clock. */
const char *workflow_target(const struct workflow_transition *,
	    const struct workflow_clock *);

/* workflow-guard.c: guards, parsed, checked against forms, evaluated. */
int	 workflow_guard_parse(const char *, struct workflow_guard *,
	    char **);
void	 workflow_guard_free(struct workflow_guard *);
int	 workflow_guards_check_forms(const struct workflow_set *,
	    const struct formset *, char **);
int	 workflow_guard_met(const struct workflow_guard *,
	    const struct workflow_item *, size_t, long);
/* The move's guards against the case's records: 0, or -1 and a cause
 * naming what is missing in the user's language. */
int	 workflow_guards_allow(const struct workflow *,
	    const struct workflow_transition *, const char *,
	    const struct formset *, const struct workflow_item *, size_t, long,
	    char **);
/* A case placed straight in a state (import, demo) must meet every
 * guard that each way from the initial state to it passes. */
void	 workflow_must_free(struct workflow_must *);
int	 workflow_state_allow(const struct workflow *, const char *,
	    const struct formset *, const struct workflow_item *, size_t, long,
	    char **);
/* One guard in words ("“Observations received” in every record ..."). */
char	*workflow_guard_words(const struct workflow_guard *,
	    const struct formset *);

void	 workflow_clock_start(const struct workflow *, struct workflow_clock *,
	    long);
void	 workflow_clock_move(const struct workflow *, struct workflow_clock *,
	    const char *, const char *, long);
/* Days past the deadline (0 if not overdue). */
long	 workflow_overdue(const struct workflow_clock *, long);
long	 workflow_paused_total(const struct workflow_clock *, long);

#endif
