/*
 * casefile.c: finding a case by its reference.
 *
 * The case module, file by file:
 *	casefile-change.c	the one transaction every change goes through,
 *				and the table of changes (access, audit action)
 *	casefile-batch.c	creating cases, one or many; writing a record
 *	casefile-record.c	adding and editing records, attached files
 *	casefile-move.c		moves through the workflow, events
 *	casefile-holders.c	assigning, granting, revoking; re-keying
 *	casefile-witness.c	who holds a witness's key
 *	casefile-request.c	asking for a witness's key
 *	casefile-keys.c		headers, records and keys in the store
 *	casefile-manifest.c	the signed manifest of each case
 *	casefile-guard.c	what a move's guards are checked against
 *	casefile-index.c	indexes and counters of the clear headers
 *	casefile-index-check.c	their check against the headers, --repair
 *	casefile-walk.c		case ids and counts read from them
 *	casefile-query.c	opening, listing, counting, searching
 *	casefile-check.c	dossier check
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "audit.h"
#include "casefile-int.h"
#include "casefile.h"
#include "form.h"
#include "i18n.h"
#include "keyring.h"
#include "layout.h"
#include "record.h"
#include "session.h"
#include "store.h"
#include "trust.h"
#include "util.h"
#include "vault.h"
#include "workflow.h"

static int
cf_find_txn(struct store_txn *t, void *arg, char **cause)
{
	struct cf_op	*op = arg;
	struct record	*h;
	const char	*ref;
	int		 rc;

	rc = layout_ref_get(t, op->name, &op->id, cause);
	if (rc == STORE_NOTFOUND)
		return (err_set(cause, _("There is no case %s."), op->name));
	if (rc != 0)
		return (rc);
	/* The index is clear data: the case must say it is this one. */
	if ((rc = cf_header_read(t, op->id, &h, cause)) != 0)
		return (rc);
	ref = record_get_str(h, "reference");
	if (ref == NULL || strcmp(ref, op->name) != 0)
		rc = err_set(cause, _("The reference index sends %s to case "
		    "number %" PRIu64 ", which is %s: the index was changed "
		    "outside dossier; nothing was read or written."), op->name,
		    op->id, ref != NULL ? ref : "?");
	record_free(h);
	return (rc);
}

/* A reference (ISSPC-2026-0042) or a case number to a case id. */
int
casefile_find(struct casefile_ctx *ctx, const char *ref, uint64_t *id,
    char **cause)
{
	struct cf_op	 op;
	char		*end;
	unsigned long long n;

	if (*ref >= '1' && *ref <= '9') {
		n = strtoull(ref, &end, 10);
		if (*end == '\0') {
			*id = n;
			return (0);
		}
	}
	if (strlen(ref) >= CASEFILE_REF_MAX)
		return (err_set(cause, _("'%.20s...' is not a case reference."),
		    ref));
	memset(&op, 0, sizeof op);
	op.name = ref;
	if (store_run(ctx->sess->store, cf_find_txn, &op, cause) != 0)
		return (-1);
	*id = op.id;
	return (0);
}
