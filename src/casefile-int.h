/*
 * casefile-int.h: what casefile.c, casefile-keys.c and casefile-query.c
 * share.  Not an interface: nothing outside casefile*.c includes it.
 *
 * The keys, labels and associated data they use are in layout.h.
 */
#ifndef CASEFILE_INT_H
#define CASEFILE_INT_H

#include <stddef.h>
#include <stdint.h>

struct record;
struct session;
struct store_txn;
struct vault_identity;
struct vault_key;
struct workflow_item;


#define CF_OVERSIGHT	"@oversight"	/* recipient of every case key */
#define CF_LABEL_OVERSIGHT "org:oversight"
#define CF_LABEL_INDEX	"org:index"


int	 cf_header_read(struct store_txn *, uint64_t, struct record **,
	    char **);
int	 cf_header_write(struct store_txn *, uint64_t, const struct record *,
	    char **);
int	 cf_get(struct store_txn *, uint64_t, int, uint64_t, struct record **,
	    char **);
int	 cf_put(struct store_txn *, uint64_t, int, uint64_t,
	    const struct record *, char **);

/* Keys: 0, STORE_NOTFOUND when not held, or an error. */
int	 cf_case_key(struct store_txn *, const struct session *, uint64_t,
	    struct vault_key **, char **);
int	 cf_witness_key(struct store_txn *, const struct session *, uint64_t,
	    uint64_t, struct vault_key **, char **);
int	 cf_org_key(struct store_txn *, const struct session *, const char *,
	    struct vault_key **, char **);
int	 cf_user_pk(struct store_txn *, const char *, uint8_t *, int *,
	    char **);

/* Encrypt a record into env[name] / decrypt env[name] into a record. */
void	 cf_seal_body(struct record *, const char *, const struct vault_key *,
	    const char *, const struct record *);
int	 cf_open_body(const struct record *, const char *,
	    const struct vault_key *, const char *, struct record **, char **);

/* casefile-manifest.c: written by every change, checked by every open. */
int	 cf_manifest_write(struct store_txn *, const struct session *,
	    uint64_t, const struct record *, const struct vault_key *,
	    char **);
int	 cf_manifest_check(struct store_txn *, uint64_t,
	    const struct record *, const struct vault_key *, char **);

void	 cf_blind(const struct vault_key *, const char *, char *);

/* casefile-guard.c: the records a move's guards are checked against. */
struct cf_guard_view {
	struct workflow_item	*items;
	char			**kinds;
	size_t			  n;
};
int	 cf_guard_view(struct store_txn *, uint64_t, const struct record *,
	    const struct vault_key *, struct cf_guard_view *, char **);
void	 cf_guard_view_add(struct cf_guard_view *, const char *,
	    const struct record *);
void	 cf_guard_view_free(struct cf_guard_view *);

#endif
