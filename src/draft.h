/*
 * draft.h: a form being edited, saved encrypted when the terminal goes
 * away (SIGHUP, SIGTERM) and offered back at the next sign-in.
 *
 * One draft per user, in the drafts table, encrypted under a random key
 * sealed to the user's own public key: only they can read it back.
 */
#ifndef DRAFT_H
#define DRAFT_H

#include <stdint.h>

struct record;
struct session;

struct draft {
	char		*kind;		/* form id */
	char		*workflow;	/* for a new case */
	uint64_t	 case_id;	/* 0: a new case */
	uint64_t	 rid;		/* 0 with a new kind: a new record */
	int		 is_new;
	int64_t		 version;
	int64_t		 saved;
	struct record	*fields;
};

int	 draft_save(struct session *, const struct draft *, char **);
/* 0 with *dp NULL when there is no draft. */
int	 draft_load(struct session *, struct draft **, char **);
int	 draft_delete(struct session *, char **);
void	 draft_free(struct draft *);

#endif
