/*
 * casefile.h: cases and their records (design.md sections 3 and 4;
 * docs/FORMAT.md "Cases" for the bytes).
 *
 * A case has a clear header (reference, workflow state, deadline clock,
 * and the header-class fields of the intake form) and records: the
 * intake's case-class fields (record 0), persons, agents, allegations,
 * witnesses, hearings, evidence, report and decision.  Each record's
 * case-class fields are encrypted under the case key and its
 * witness-class fields under a key of that witness.  Every change adds a
 * journal entry (encrypted like what it describes) and an audit entry in
 * the same transaction.
 *
 * Functions take a signed-in session and the loaded forms and workflows
 * (struct casefile_ctx).  A struct casefile returned by casefile_open()
 * owns everything in it; casefile_free() wipes the decrypted text.
 */
#ifndef CASEFILE_H
#define CASEFILE_H

#include <stddef.h>
#include <stdint.h>

struct formset;
struct record;
struct session;
struct workflow_set;
struct workflow_clock;
struct store_txn;

#define CASEFILE_CONFLICT	(-5)	/* saved over by someone else */

#define CASEFILE_REF_MAX	32
#define CASEFILE_BLOB_MAX	(16U * 1024 * 1024)

struct casefile_ctx {
	struct session		*sess;
	const struct formset	*forms;
	const struct workflow_set *flows;
};

struct casefile_rec {
	uint64_t	 rid;
	char		*kind;		/* a form id */
	int64_t		 version;
	char		*by;
	int64_t		 at;
	struct record	*fields;	/* what this user may read */
	int		 locked;	/* no case key: fields empty */
	int		 witness_locked; /* witness fields not readable */
};

struct casefile_event {
	uint64_t	 seq;
	int64_t		 at;
	char		*by;
	char		*what;		/* add, edit, move, assign, ... */
	uint64_t	 rid;
	struct record	*body;		/* decrypted detail, or NULL */
};

struct casefile {
	uint64_t		 id;
	struct record		*header;
	int			 readable;	/* the user holds the case key */
	struct casefile_rec	*recs;
	size_t			 nrecs;
	struct casefile_event	*journal;
	size_t			 njournal;
};

/* Flags of casefile_open(). */
#define CASEFILE_WITNESSES	0x1	/* decrypt witness identities */
#define CASEFILE_JOURNAL	0x2	/* read the journal */

/* A case list line (clear header only). */
struct casefile_summary {
	uint64_t	 id;
	struct record	*header;
	long		 overdue;	/* days past the deadline */
};

struct casefile_filter {
	const char	*state;		/* one state, or several comma-separated */
	const char	*field;		/* a header field ... */
	const char	*value;		/* ... holding this code */
	const char	*assignee;
	const char	*region;
	const char	*workflow;
	int		 overdue;
	int		 mine;		/* cases whose key the user holds */
	int		 open;		/* not in a terminal state */
	const uint64_t	*ids;		/* only these cases (nids of them) */
	size_t		 nids;
};

struct store;
int	 casefile_check_prefix(const char *, char **);
int	 casefile_set_prefix(struct store *, const char *, char **);
int	 casefile_share_keys(struct casefile_ctx *, char **);
/* Refuse forms that lower a field's class this store has kept. */
int	 casefile_forms_pin(struct store *, const struct formset *, char **);
int	 casefile_create(struct casefile_ctx *, const char *, struct record *,
	    char **, char **);
int	 casefile_find(struct casefile_ctx *, const char *, uint64_t *,
	    char **);
int	 casefile_open(struct casefile_ctx *, uint64_t, int, struct casefile **,
	    char **);
void	 casefile_free(struct casefile *);
const struct casefile_rec *casefile_rec(const struct casefile *, uint64_t);

int	 casefile_add(struct casefile_ctx *, uint64_t, const char *,
	    struct record *, uint64_t *, char **);
int	 casefile_edit(struct casefile_ctx *, uint64_t, uint64_t,
	    struct record *, int64_t, char **);
int	 casefile_attach(struct casefile_ctx *, uint64_t, uint64_t,
	    const char *, const void *, size_t, char **);
int	 casefile_blob(struct casefile_ctx *, uint64_t, uint64_t, uint8_t **,
	    size_t *, char **);
int	 casefile_move(struct casefile_ctx *, uint64_t, const char *,
	    const char *, char **);
int	 casefile_closed(struct casefile_ctx *, const struct record *,
	    char **);
int	 casefile_move_check(struct casefile_ctx *, uint64_t, const char *,
	    const char *, char **);
int	 casefile_event_valid(const char *);
int	 casefile_event(struct casefile_ctx *, uint64_t, const char *,
	    const char *, char **);
int	 casefile_assign(struct casefile_ctx *, uint64_t, const char *, int,
	    char **);
int	 casefile_grant(struct casefile_ctx *, uint64_t, uint64_t,
	    const char *, char **);
int	 casefile_revoke(struct casefile_ctx *, uint64_t, uint64_t,
	    const char *, char **);

/*
 * casefile-request.c: a witness's key asked for by a reader of the case
 * who lacks it; each holder of that key sees the request when they sign
 * in, until the key is given (casefile_grant) or they no longer hold it.
 */
struct casefile_request {
	uint64_t	 id;		/* the case */
	uint64_t	 rid;		/* the witness record */
	char		*reference;
	char		*user;		/* who asks */
};
int	 casefile_key_request(struct casefile_ctx *, uint64_t, uint64_t,
	    char **);
int	 casefile_key_requests(struct casefile_ctx *,
	    struct casefile_request **, size_t *, char **);
void	 casefile_requests_free(struct casefile_request *, size_t);

int	 casefile_audit(struct casefile_ctx *, uint64_t, const char *,
	    const char *, char **);
int	 casefile_list(struct casefile_ctx *, const struct casefile_filter *,
	    struct casefile_summary **, size_t *, char **);
void	 casefile_list_free(struct casefile_summary *, size_t);
/*
 * casefile-index.c: the indexes and counters of the clear headers.
 * casefile_ids() gives the ids of the cases matching a filter in a sort
 * order, from index walks (no header read, but for a filter on a header
 * field that has no index); casefile_summaries() reads the headers of
 * just those ids (the lines on screen); casefile_counts() reads the
 * counters.
 */
enum casefile_sort {
	CASEFILE_SORT_REFERENCE,	/* newest first */
	CASEFILE_SORT_DEADLINE,		/* none last; then newest first */
	CASEFILE_SORT_STATE,		/* by the state's label */
	CASEFILE_SORT_REGION
};
int	 casefile_index_ensure(struct store *, char **);
int	 casefile_index_rebuild(struct store *, char **);
int	 casefile_ids(struct casefile_ctx *, const struct casefile_filter *,
	    enum casefile_sort, uint64_t **, size_t *, char **);
int	 casefile_summaries(struct casefile_ctx *, const uint64_t *, size_t,
	    struct casefile_summary **, char **);
/* The cases holding a recommendation; 1: not known yet (read them all). */
int	 casefile_recs_ids(struct casefile_ctx *, uint64_t **, size_t *,
	    char **);

/*
 * The ids of a list read a part at a time: an unfiltered list in the
 * order of one index reads its first ids at casefile_ids_open() and the
 * others at casefile_ids_more(), as the screen goes further; any other
 * list is read whole at once.  ids[0..n) are read; total is the number
 * of cases (the counter's, made right when a read reaches the end);
 * more says whether a read may give more.  walk is where the next read
 * starts (casefile-walk.c's).  A list of one walk is also read from its
 * end (casefile_ids_tail()): tail[0] is the last row, tail[j] row
 * total - 1 - j; once both reads meet, the tail joins ids.
 */
struct casefile_idwalk;
struct casefile_idkeep;
struct casefile_idlist {
	uint64_t		*ids;
	size_t			 n, size, total;
	int			 more;
	uint64_t		*tail;
	size_t			 ntail, tsize;
	struct casefile_idwalk	*walk;
	size_t			 nwalk, at;
	int			 keep;	/* each case's header says (walk.c) */
	struct casefile_idkeep	*kf;	/* ... of these conditions */
};
int	 casefile_ids_open(struct casefile_ctx *,
	    const struct casefile_filter *, enum casefile_sort, size_t,
	    struct casefile_idlist *, char **);
int	 casefile_ids_more(struct casefile_ctx *, struct casefile_idlist *,
	    size_t, char **);
/* The last ids, up to the given number of them; 1: this list cannot be
 * read from its end (read on from its start). */
int	 casefile_ids_tail(struct casefile_ctx *, struct casefile_idlist *,
	    size_t, char **);
void	 casefile_idlist_free(struct casefile_idlist *);

/* A counter: name ("all", "flow", "aflow", "region", ...) and its value. */
struct casefile_count {
	char		*name;
	char		*v[3];		/* value parts; NULL past the last */
	size_t		 n;
};
int	 casefile_counts(struct casefile_ctx *, struct casefile_count **,
	    size_t *, size_t *, char **);
void	 casefile_counts_free(struct casefile_count *, size_t);

/* The short texts of a case this user may read, for searching. */
int	 casefile_search_text(struct casefile_ctx *, uint64_t, char **,
	    char **);
int	 casefile_agent_cases(struct casefile_ctx *, const char *,
	    uint64_t **, size_t *, char **);

/* Agents named in at least n cases (early warning), by blind index. */
struct casefile_agent_count {
	char		 hex[65];
	size_t		 cases;
	uint64_t	*ids;		/* all of them (cases of them) */
};
int	 casefile_agent_counts(struct casefile_ctx *, size_t,
	    struct casefile_agent_count **, size_t *, char **);
void	 casefile_agent_counts_free(struct casefile_agent_count *, size_t);
/* The cases naming an agent of the early warning (its blind index). */
int	 casefile_agent_ids(struct casefile_ctx *, const char *, uint64_t **,
	    size_t *, char **);

/*
 * 'dossier check': every case header has its id, reference (found again
 * through the reference index), workflow, state and the intake's required
 * header fields.  fn gets one sentence per problem.
 */
typedef void (*casefile_problem_fn)(const char *, void *);
int	 casefile_check(struct store *, const struct formset *,
	    const struct workflow_set *, casefile_problem_fn, void *, size_t *,
	    size_t *, char **);
int	 casefile_index_repair(struct store *, casefile_problem_fn, void *,
	    size_t *, char **);

/* The clock kept in a header, and the header's day of today. */
void	 casefile_clock(const struct record *, struct workflow_clock *);
long	 casefile_today(void);

/* Used by import and the demo: one case with its records in one go. */
struct casefile_batch;
struct casefile_batch *casefile_batch_create(struct casefile_ctx *);
void	 casefile_batch_free(struct casefile_batch *);
/* Demo data: no audit entry per case; state entered on this day. */
void	 casefile_batch_quiet(struct casefile_batch *);
void	 casefile_batch_defer(struct casefile_batch *);
int	 casefile_batch_finish(struct casefile_batch *, struct store_txn *,
	    char **);
void	 casefile_batch_day(struct casefile_batch *, long);
void	 casefile_batch_witness_assignees(struct casefile_batch *);
/* Assign the cases that follow (comma list; witness keys too). */
void	 casefile_batch_assignees(struct casefile_batch *, const char *);
int	 casefile_batch_case(struct casefile_batch *, struct store_txn *,
	    const char *, const char *, const struct record *,
	    const char **, struct record **, size_t, char **, char **);

#endif
