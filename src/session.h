/*
 * session.h: a signed-in user: the store, the account, the unlocked key
 * pairs, and the signer that audit entries are made with.  Made by
 * session_signin(); session_free() wipes the secret keys.
 */
#ifndef SESSION_H
#define SESSION_H

#include "audit.h"

struct account;
struct store;
struct vault_identity;

struct session {
	struct store		*store;		/* not owned */
	struct account		*user;
	struct vault_identity	*id;
	struct audit_signer	 signer;	/* user's name, id */
	int			 signer_approved; /* trust_signer() said so */
};

#include <stddef.h>

int		 session_signin(struct store *, const char *, const char *,
		    size_t, struct session **, char **);
/* Takes ownership of the account and the identity. */
struct session	*session_create(struct store *, struct account *,
		    struct vault_identity *);
void		 session_free(struct session *);

/* Access rules checked against the signed-in user's role. */
int		 session_require(const struct session *, int, char **);

#endif
