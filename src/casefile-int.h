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

#include "access.h"
#include "layout.h"

#define CF_OVERSIGHT	LAYOUT_OVERSIGHT
#define CF_LABEL_OVERSIGHT LAYOUT_LABEL_OVERSIGHT
#define CF_LABEL_INDEX	LAYOUT_LABEL_INDEX

struct casefile_ctx;

/* One change's arguments, for store_run(). */
struct cf_op {
	struct casefile_ctx	*ctx;
	uint64_t		 id;
	uint64_t		 rid;
	const char		*kind;
	const char		*name;		/* state, user, event */
	const char		*text;		/* reason */
	struct record		*fields;
	int64_t			 version;
	int			 flag;
	const void		*data;
	size_t			 len;
	char			*ref;		/* out */
};

/* casefile.c: what every change goes through. */
int	 cf_require(struct casefile_ctx *, enum access_action, char **);
int	 cf_key_for_write(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, struct vault_key **, char **);
int	 cf_journal(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, const struct vault_key *, const char *, uint64_t,
	    struct record *, const struct record *, const struct vault_key *,
	    const struct record *, char **);
int	 cf_commit(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, const struct vault_key *, const char *,
	    const char *, char **);
/* casefile-holders.c: who may hold a witness's key (header "wholders"). */
void	 cf_wholder_edit(struct record *, uint64_t, const char *, int);
int	 cf_wholder_has(const struct record *, uint64_t, const char *);
/* casefile-holders.c: add or take an item off a comma-separated field. */
void	 cf_header_list(struct record *, const char *, const char *, int);
/* casefile-holders.c: every stored item of a case (store_scan callback). */
struct cf_item {
	uint8_t		 key[LAYOUT_RECORD_KEYLEN];
	uint8_t		*val;
	size_t		 len;
};

struct cf_items {
	struct cf_item	*list;
	size_t		 n;
};
int	 cf_items_cb(const void *, size_t, const void *, size_t, void *);
void	 cf_items_free(struct cf_items *);
/* casefile-witness.c: seal "wholders" of a witness under its key. */
void	 cf_wseal(struct record *, uint64_t, uint64_t,
	    const struct vault_key *);
int	 cf_wholders_settle(struct record *, uint64_t, uint64_t,
	    const struct vault_key *, char **);
int	 cf_wrekey_due(const struct record *, uint64_t);
/* A new key for witness RID, sealed to its holders; *nkp gets it. */
int	 cf_rekey_witness(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, uint64_t, const struct vault_key *,
	    struct vault_key **, char **);
/* casefile-holders.c: 1 if a holder the header names is no longer trusted. */
int	 cf_holders_stale(struct store_txn *, struct casefile_ctx *,
	    const struct record *, char **);
/* casefile-holders.c: a new case key for the remaining holders. */
int	 cf_rekey(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, struct vault_key **, char **);

int	 cf_header_read(struct store_txn *, uint64_t, struct record **,
	    char **);
int	 cf_header_write(struct store_txn *, uint64_t, const struct record *,
	    char **);
/* casefile-index.c: called by cf_header_write() before it writes. */
int	 cf_index_header(struct store_txn *, uint64_t, const struct record *,
	    char **);
#define CF_INDEX_ENTRY	"hx/"	/* an index entry */
#define CF_INDEX_COUNT	"hc/"	/* a counter */
size_t	 cf_index_prefix(uint8_t *, size_t, const char *, const char *,
	    const char *, const char *);
int	 cf_index_listed(const char *);
typedef void (*cf_index_problem_fn)(uint64_t, const char *, void *);
int	 cf_index_check(struct store_txn *, cf_index_problem_fn, void *,
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
int	 cf_org_key_for(struct store_txn *, const struct session *,
	    const char *, struct vault_key **, const char *, char **);
int	 cf_index_keys(struct store_txn *, const struct session *,
	    struct vault_key ***, size_t *, char **);
int	 cf_user_pk(struct store_txn *, const struct session *, const char *,
	    uint8_t *, enum role *, char **);

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
