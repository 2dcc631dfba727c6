/*
 * audit.h: the tamper-evident audit log (design.md section 8).
 *
 * Each entry is a record (docs/FORMAT.md, "Audit entries") holding its
 * sequence number, time, user, action, case reference, a short detail,
 * the BLAKE2b hash of the previous entry and the acting user's Ed25519
 * signature.  audit_append() runs inside the caller's transaction, so
 * an entry is written if and only if the change it records is.
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_txn;
struct vault_identity;

/* Who signs an entry: the user's name and unlocked identity. */
struct audit_signer {
	const char			*user;
	const struct vault_identity	*id;
};

/*
 * For audit_verify(): 1 if the named user holds or held this Ed25519
 * public key (32 bytes), else 0.
 */
typedef int (*audit_key_fn)(const char *, const uint8_t *, void *);

struct audit_entry {
	uint64_t	 seq;
	int64_t		 time;
	char		*user;
	char		*action;
	char		*caseref;
	char		*detail;
	char		*via;		/* made at this replica (or NULL) */
};

typedef int (*audit_fn)(const struct audit_entry *, void *);

int	 audit_append(struct store_txn *, const struct audit_signer *,
	    const char *, const char *, const char *, char **);
int	 audit_append_failure(struct store_txn *, const char *, char **);

/* At a replica, the entry goes to the master (audit-forward.c). */
struct record;
int	 audit_forward(struct store_txn *, const char *,
	    const struct vault_identity *, const char *, const char *,
	    const char *, size_t, char **);
int	 audit_append_forwarded(struct store_txn *, const struct record *,
	    char **);
/* Whether an entry after the first argument carries this nonce. */
int	 audit_nonce_in(struct store_txn *, uint64_t, const uint8_t *, int *,
	    char **);
#define AUDIT_FORWARD_NONCE	16
void	 audit_forward_encode(const char *, const struct vault_identity *,
	    const char *, const char *, const char *, size_t, const char *,
	    const uint8_t *, uint8_t **, size_t *);
/* Anchors: the head now, and the hash of an entry (STORE_NOTFOUND). */
int	 audit_head_in(struct store_txn *, uint64_t *, uint8_t *, char **);
/* A long reading of one state: the head held, the rest at degree 2. */
int	 audit_hold(struct store_txn *, char **);
int	 audit_entry_hash_in(struct store_txn *, uint64_t, uint8_t *, char **);
/* The entries after one whose hash was kept, chain checked, to fn. */
int	 audit_after_in(struct store_txn *, uint64_t, const uint8_t *,
	    audit_fn, void *, char **);
int	 audit_appendf(struct store_txn *, const struct audit_signer *,
	    const char *, const char *, char **, const char *, ...)
	    __attribute__((format(printf, 6, 7)));
/* Anchors kept off the server ('audit checkpoint', 'verify --since'). */
int	 audit_head_now(struct store *, uint64_t *, uint8_t *, char **);
int	 audit_extends(struct store *, uint64_t, const uint8_t *, char **);
/* Walk the chain and every signature; *bad is the first broken entry. */
int	 audit_verify(struct store *, audit_key_fn, void *, uint64_t *,
	    uint64_t *, char **);
/* Reading the log is for the roles that may (ACCESS_READ_AUDIT). */
int	 audit_list(struct store *, int, audit_fn, void *, char **);
/* An action code in the user's words (the code if unknown). */
const char *audit_action_words(const char *);
/* An entry's detail in the user's words where its shape is known. */
char	*audit_detail_words(const char *, const char *);
/* audit-words.c: the same, with the states and forms of forms/ named. */
struct formset;
struct workflow_set;
char	*audit_detail_labels(const struct formset *,
	    const struct workflow_set *, const char *, const char *,
	    const char *);
/* The same with no role: for 'dossier check' only. */
int	 audit_scan(struct store *, audit_fn, void *, char **);

#endif
