/*
 * session.c: see session.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "account.h"
#include "audit.h"
#include "i18n.h"
#include "layout.h"
#include "session.h"
#include "store.h"
#include "util.h"
#include "vault.h"

struct session_op {
	const char		*name;
	int			 failed;
	const struct session	*sess;
};

static int
session_note_txn(struct store_txn *t, void *arg, char **cause)
{
	struct session_op	*op = arg;
	uint8_t			 pk[VAULT_PK_LEN];
	int			 rc;

	/* A store whose recovery key was replaced is refused at once. */
	if (!op->failed && ((rc = account_recovery_pk(t, op->sess->user, pk,
	    cause)) != 0 || (rc = account_root_pk(t, op->sess->user, pk,
	    cause)) != 0))
		return (rc);
	return (account_note_signin(t, op->name, op->failed, op->failed ?
	    NULL : &op->sess->signer, cause));
}

static int
session_unknown_txn(struct store_txn *t, void *arg, char **cause)
{
	return (audit_append_failure(t, arg, cause));
}

/* A failed sign-in that the audit log could not record says so. */
static void
session_unrecorded(char **cause, char *why)
{
	char	*s;

	if (cause != NULL && *cause != NULL) {
		xasprintf(&s, _("%s The attempt could not be written to the audit "
		    "log: %s"), *cause, why != NULL ? why : "?");
		free(*cause);
		*cause = s;
	}
	free(why);
}

/*
 * Unlock the user's key pairs with the passphrase.  Every attempt is in
 * the audit log; wrong passphrases slow the next attempts down.
 */
int
session_signin(struct store *s, const char *name, const char *pass,
    size_t passlen, struct session **sp, char **cause)
{
	struct account		*a;
	struct vault_identity	*id;
	struct session_op	 op;
	struct session		*sess;
	char			*ad, *why = NULL;
	int			 rc;

	*sp = NULL;
	if (account_get(s, name, &a, cause) != 0) {
		if (account_check_name(name, NULL) == 0 && store_run(s,
		    session_unknown_txn, (void *)name, &why) != 0)
			session_unrecorded(cause, why);
		return (-1);
	}
	if (a->disabled) {
		account_free(a);
		return (err_set(cause, _("The account '%s' is disabled; ask an "
		    "administrator."), name));
	}
	ad = layout_ad_account(name, a->org_pk, a->root_pk);
	rc = vault_identity_unlock(a->secret, a->secretlen, pass, passlen, ad,
	    a->box_pk, a->sign_pk, &id, cause);
	free(ad);
	memset(&op, 0, sizeof op);
	op.name = name;
	if (rc == VAULT_EBADPASS) {
		op.failed = 1;
		rc = store_run(s, session_note_txn, &op, &why);
		/* Slow down guessing: 1, 2, 4, ... up to 30 seconds. */
		sleep(account_failure_delay(a->failures + 1));
		account_free(a);
		err_set(cause, _("Wrong passphrase for '%s'."), name);
		if (rc != 0)
			session_unrecorded(cause, why);
		return (-1);
	}
	if (rc != 0) {
		account_free(a);
		return (-1);
	}
	sess = session_create(s, a, id);
	op.sess = sess;
	if (store_run(s, session_note_txn, &op, cause) != 0) {
		session_free(sess);
		return (-1);
	}
	a->failures = 0;
	*sp = sess;
	return (0);
}

struct session *
session_create(struct store *s, struct account *a, struct vault_identity *id)
{
	struct session	*sess;

	sess = xcalloc(1, sizeof *sess);
	sess->store = s;
	sess->user = a;
	sess->id = id;
	sess->signer.user = a->name;
	sess->signer.id = id;
	return (sess);
}

void
session_free(struct session *sess)
{
	if (sess == NULL)
		return;
	vault_identity_free(sess->id);
	vault_cache_clear();
	account_free(sess->user);
	free(sess);
}

int
session_require(const struct session *sess, int action, char **cause)
{
	return (access_require(sess->user->role, action, cause));
}
