/*
 * casefile-int.h: what the casefile*.c files share.  Not an interface:
 * nothing outside casefile*.c includes it.
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
struct workflow;
struct workflow_clock;
struct workflow_item;

#include "access.h"
#include "layout.h"
#include "store.h"

#define CF_OVERSIGHT	LAYOUT_OVERSIGHT
#define CF_LABEL_OVERSIGHT LAYOUT_LABEL_OVERSIGHT
#define CF_LABEL_INDEX	LAYOUT_LABEL_INDEX

struct casefile_ctx;

/* One change's arguments. */
struct cf_op {
	struct casefile_ctx	*ctx;
	uint64_t		 id;
	uint64_t		 rid;
	const char		*kind;
	const char		*name;		/* state, user, event */
	const char		*text;		/* reason */
	struct record		*fields;
	int64_t			 version;
	int			 check_only;	/* every check, nothing kept */
	const void		*data;
	size_t			 len;
	char			*ref;		/* out */
};

/*
 * casefile-change.c: every change to a case is an entry of its table,
 * run by cf_change() in one transaction (see there).
 */
enum cf_change_id {
	CF_ADD,
	CF_EDIT,
	CF_ATTACH,
	CF_MOVE,
	CF_EVENT,
	CF_ASSIGN,
	CF_UNASSIGN,
	CF_GRANT_CASE,
	CF_GRANT_WITNESS,
	CF_REVOKE_CASE,
	CF_REVOKE_WITNESS,
	CF_REQUEST
};

#define CF_CHECKED	(-6)	/* a check_only change: allowed, aborted */

/* One change in its transaction, as applies() and apply() see it. */
struct cf_tx {
	struct store_txn	*t;
	struct casefile_ctx	*ctx;
	struct cf_op		*op;
	struct record		*h;	/* the header, written at commit */
	struct vault_key	*ck;	/* the case key written with */
	/* What apply() leaves for the journal entry and the audit. */
	uint64_t		 rid;	/* the record concerned, 0: the case */
	struct record		*jenv;	/* clear fields */
	struct record		*jbody;	/* sealed under ck */
	struct record		*jwit;	/* sealed under wk */
	struct vault_key	*wk;	/* a witness key, freed after */
	char			*detail; /* the audit entry's detail */
};

int	 cf_change(struct casefile_ctx *, enum cf_change_id, struct cf_op *,
	    char **);
int	 cf_require(struct casefile_ctx *, enum access_action, char **);
const struct workflow *cf_workflow(struct casefile_ctx *,
	    const struct record *, char **);
int	 cf_journal(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, const struct vault_key *, const char *, uint64_t,
	    struct record *, const struct record *, const struct vault_key *,
	    const struct record *, char **);
int	 cf_commit(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, const struct vault_key *, const char *,
	    const char *, char **);

/* The changes: casefile-record.c (records), casefile-move.c (moves,
 * events), casefile-holders.c and casefile-request.c (who holds keys). */
int	 cf_add_prepare(struct cf_op *, char **);
int	 cf_add_apply(struct cf_tx *, char **);
int	 cf_edit_prepare(struct cf_op *, char **);
int	 cf_attach_prepare(struct cf_op *, char **);
int	 cf_edit_apply(struct cf_tx *, char **);
int	 cf_move_applies(struct cf_tx *, char **);
int	 cf_move_apply(struct cf_tx *, char **);
int	 cf_event_prepare(struct cf_op *, char **);
int	 cf_event_apply(struct cf_tx *, char **);
int	 cf_assign_apply(struct cf_tx *, char **);
int	 cf_unassign_apply(struct cf_tx *, char **);
int	 cf_grant_case_apply(struct cf_tx *, char **);
int	 cf_grant_witness_apply(struct cf_tx *, char **);
int	 cf_revoke_case_apply(struct cf_tx *, char **);
int	 cf_revoke_witness_apply(struct cf_tx *, char **);
int	 cf_request_apply(struct cf_tx *, char **);

/* casefile-batch.c: how a record is written, for creation and changes. */
struct casefile_batch;
struct form;
int	 cf_batch_prepare(struct casefile_batch *, struct store_txn *, char **);
int	 cf_seal_new(struct store_txn *, struct casefile_batch *, const char *,
	    const struct vault_key *, int, char **);
int	 cf_write_record(struct store_txn *, struct casefile_batch *, uint64_t,
	    struct record *, const struct vault_key *, const struct vault_key *,
	    const char *, uint64_t, int64_t, const struct record *,
	    const struct record *, char **);
void	 cf_split(const struct form *, const struct record *, struct record *,
	    struct record *, struct record *);
char	*cf_pseudonym(int64_t);
/* casefile-move.c */
void	 cf_set_clock(struct record *, const struct workflow_clock *);

/* casefile-holders.c: who may hold a witness's key (header "wholders"). */
void	 cf_wholder_edit(struct record *, uint64_t, const char *, int);
int	 cf_wholder_has(const struct record *, uint64_t, const char *);
/* casefile-holders.c: add or take an item off a comma-separated list. */
char	*cf_list_edit(const char *, const char *, int);
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
int	 cf_wseal(struct store_txn *, struct record *, uint64_t, uint64_t,
	    const struct vault_key *, char **);
void	 cf_wseal_at(struct record *, uint64_t, uint64_t,
	    const struct vault_key *, uint64_t, const uint8_t *);
void	 cf_wseal_set_hex(int);
int	 cf_wholders_settle(struct store_txn *, struct record *, uint64_t,
	    uint64_t, const struct vault_key *, char **);
int	 cf_wrekey_due(const struct record *, uint64_t);
/* Before a write with a witness key: settle, check the writer, re-key. */
int	 cf_witness_write(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, uint64_t, struct vault_key **, int, int *,
	    char **);
/* A new key for witness RID, sealed to its holders; *nkp gets it. */
int	 cf_rekey_witness(struct store_txn *, struct casefile_ctx *, uint64_t,
	    struct record *, uint64_t, const struct vault_key *,
	    struct vault_key **, char **);
/* casefile-holders.c: 1 if a holder the header names is no longer trusted. */
int	 cf_holders_stale(struct store_txn *, struct casefile_ctx *,
	    const struct record *, char **);
/* casefile-holders.c: a new key sealed to the holders the header names. */
int	 cf_reseal(struct store_txn *, struct casefile_ctx *,
	    const struct record *, uint64_t, const char *,
	    const struct vault_key *, char **);
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
#define CF_INDEX_MULTI	"hm/"	/* a counter of two conditions and more */
size_t	 cf_index_prefix(uint8_t *, size_t, const char *, const char *,
	    const char *, const char *);
size_t	 cf_index_prefixv(uint8_t *, size_t, const char *, const char *,
	    const char *const [4]);
/* casefile-index.c, for casefile-index-check.c: the keys a header makes. */
#define CF_INDEX_DONE	UINT64_MAX	/* the mark once every case is in */
struct cf_ix_key {
	uint8_t		*b;
	size_t		 len;
};
struct cf_ix_keys {
	struct cf_ix_key	*list;
	size_t			 n;
};
void	 cf_ix_keys_free(struct cf_ix_keys *);
int	 cf_ix_keycmp(const void *, const void *);
int	 cf_ix_u64cmp(const void *, const void *);
#define CF_IX_PAIRS	0x1	/* the counters of two conditions */
#define CF_IX_RECS	0x2	/* the entry "recs" */
void	 cf_ix_terms(const struct record *, uint64_t, struct cf_ix_keys *,
	    struct cf_ix_keys *, int);
int	 cf_ix_is_pair(const void *, size_t);
int	 cf_ix_is_recs(const void *, size_t);
int	 cf_ix_pairs_mark(struct store_txn *, uint64_t *, char **);
int	 cf_ix_recs_mark(struct store_txn *, uint64_t *, char **);
struct record *cf_ix_decode(const void *, size_t);
int	 cf_ix_get(struct store_txn *, const void *, size_t, uint64_t *, int *,
	    char **);
int	 cf_ix_mark(struct store_txn *, uint64_t *, char **);
int	 cf_ix_due_counted(struct store_txn *, int *, char **);
/* casefile-index.c: counters changed once at the end of a batch. */
struct cf_ix_counts {
	struct cf_ix_keys	 plus, minus;
};
void	 cf_index_defer(struct cf_ix_counts *);
void	 cf_index_fresh(int);
int	 cf_index_flush(struct store_txn *, struct cf_ix_counts *, char **);
int	 cf_index_listed(const char *);
typedef void (*cf_index_problem_fn)(uint64_t, const char *, void *);
int	 cf_index_check(struct store_txn *, cf_index_problem_fn, void *,
	    char **);
/* The agent index's entries and counters (casefile-agent.c). */
struct store;
int	 cf_agent_put(struct store_txn *, const char *, uint64_t, uint64_t,
	    char **);
int	 cf_agent_del(struct store_txn *, const char *, uint64_t, uint64_t,
	    char **);
void	 cf_agent_note(struct cf_ix_keys *, const char *, uint64_t);
int	 cf_agent_flush(struct store_txn *, struct cf_ix_keys *, char **);
int	 cf_agent_drop(struct store_txn *, char **);
int	 cf_agent_ensure(struct store *, char **);
int	 cf_agent_check(struct store_txn *, cf_index_problem_fn, void *,
	    char **);
int	 cf_get(struct store_txn *, uint64_t, int, uint64_t, struct record **,
	    char **);
int	 cf_put(struct store_txn *, uint64_t, int, uint64_t,
	    const struct record *, char **);
int	 cf_put_raw(struct store_txn *, const uint8_t *, const void *, size_t,
	    char **);

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
/* root: the organisation root key the author's approvals chain to. */
int	 cf_manifest_check(struct store_txn *, uint64_t,
	    const struct record *, const struct vault_key *, const uint8_t *,
	    char **);
struct cf_scan;
int	 cf_manifest_scan(struct store_txn *, uint64_t, store_scan_fn, void *,
	    struct cf_scan **, char **);
int	 cf_manifest_check_scanned(struct store_txn *, uint64_t,
	    const struct record *, const struct vault_key *, const uint8_t *,
	    struct cf_scan *, char **);
void	 cf_scan_free(struct cf_scan *);
void	 cf_manifest_note(struct store_txn *, const uint8_t *, const void *,
	    size_t);
void	 cf_manifest_new(struct store_txn *, uint64_t);
int	 cf_manifest_keep(struct store_txn *, const uint8_t *, const void *,
	    size_t);
int	 cf_manifest_flush(struct store_txn *, char **);
void	 cf_manifest_set_version(int);

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
