/*
 * store.h: the transactional Berkeley DB environment of a data directory
 * (the only module that includes <db.h>).  See design.md section 2 and
 * docs/FORMAT.md for the tables.
 *
 * All access happens inside store_run(), which runs a callback in one
 * transaction and retries it after a deadlock or a lock timeout (when a
 * process died holding locks, the retry first clears them with failchk).
 * Callbacks must pass STORE_RETRY back up unchanged.  Values returned by
 * store_get() are malloc'd and owned by the caller.  The threads of one
 * process may share a store: one reopens it after a panic while the
 * others wait (store.c); it returns STORE_BUSY, with a sentence, when
 * nothing was done but trying later may succeed.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_FORMAT_VERSION	2	/* 2: approvals, the root key */

/* Return codes besides 0 and -1. */
#define STORE_NOTFOUND		(-2)
#define STORE_RETRY		(-3)	/* deadlock: run the transaction again */
#define STORE_EXISTS		(-4)	/* store_put with STORE_NOOVERWRITE */
#define STORE_STOP		(-5)	/* serve: stop replicating (store-auth.c) */
/* Apart from the codes callers pass back through store_run() (casefile.h
 * CASEFILE_CONFLICT -5, casefile-int.h CF_CHECKED -6). */
#define STORE_BUSY		(-16)	/* busy or recovering: try again later */

/* store_open() flags. */
#define STORE_CREATE		0x1
#define STORE_NOLOCK		0x2	/* internal: check holds it alone */
#define STORE_JOIN		0x4	/* internal: a new replica, no tables yet */
#define STORE_SERVE		0x8	/* 'dossier serve': the replication process,
					   whose threads share the store */

/* store_put() flags. */
#define STORE_NOOVERWRITE	0x1

enum store_table {
	STORE_META,		/* format version, organisation keys, counters */
	STORE_USERS,		/* user name -> account record */
	STORE_CASES,		/* case id -> case header + sealed record */
	STORE_RECORDS,		/* case id, kind, record id -> record */
	STORE_KEYS,		/* place, recipient -> sealed key */
	STORE_AUDIT,		/* sequence -> audit entry */
	STORE_DRAFTS,		/* user, draft -> encrypted draft */
	STORE_INDEX,		/* index entries (blind index of agents) */
	STORE_NTABLES
};

struct store;
struct store_txn;

typedef int (*store_fn)(struct store_txn *, void *, char **);
typedef int (*store_scan_fn)(const void *, size_t, const void *, size_t,
	    void *);

char	*store_default_dir(const char *);
int	 store_open(struct store **, const char *, int, char **);
void	 store_close(struct store *);
const char *store_dir(const struct store *);

int	 store_run(struct store *, store_fn, void *, char **);
/* A change committed here that the other sites did not confirm: once. */
int	 store_unconfirmed(struct store *, char **);
uint64_t store_txn_serial(const struct store_txn *);
struct store *store_txn_store(struct store_txn *);
/* A transaction that only reads many pages: no lock kept on those passed. */
void	 store_txn_read_committed(struct store_txn *);
/* After this attempt commits: fn(store, arg, cause); arg is free()d. */
typedef int (*store_after_fn)(struct store *, void *, char **);
int	 store_txn_after(struct store_txn *, store_after_fn, void *, char **);
/* A reading: its audit entry may stay at this site if no other confirms. */
void	 store_txn_local_ok(struct store_txn *);
int	 store_txn_confirmable(struct store_txn *);
/* A replica that sends its audit entries to the master (store-forward.c). */
int	 store_txn_forwards(struct store_txn *);
/* Whether this transaction may write here: 0, or a refusal. */
int	 store_txn_writable(struct store_txn *, char **);

int	 store_get(struct store_txn *, enum store_table, const void *, size_t,
	    uint8_t **, size_t *, char **);
int	 store_put(struct store_txn *, enum store_table, const void *, size_t,
	    const void *, size_t, int, char **);
int	 store_del(struct store_txn *, enum store_table, const void *, size_t,
	    char **);
int	 store_del_any(struct store_txn *, enum store_table, const void *,
	    size_t, char **);
/*
 * The puts of this transaction made by a thread of their own from now on,
 * while the caller goes on (a bulk load: its cases' encryption beside
 * their writes).  Any read waits for the puts queued before it; a failed
 * put fails the next put, the next read or the attempt at its end.
 */
int	 store_txn_behind(struct store_txn *, char **);
int	 store_txn_behind_stop(struct store_txn *, char **);
int	 store_scan(struct store_txn *, enum store_table, const void *, size_t,
	    store_scan_fn, void *, char **);
int	 store_scan_from(struct store_txn *, enum store_table, const void *,
	    size_t, store_scan_fn, void *, char **);
/* The same, keys only, read in bulk: fn gets no value. */
int	 store_scan_keys(struct store_txn *, enum store_table, const void *,
	    size_t, store_scan_fn, void *, char **);
int	 store_scan_values(struct store_txn *, enum store_table, const void *,
	    size_t, store_scan_fn, void *, char **);
int	 store_scan_keys_at(struct store_txn *, enum store_table, const void *,
	    size_t, size_t, store_scan_fn, void *, char **);
/* Keys under a prefix from its end backwards, before a key (or all). */
int	 store_scan_keys_back(struct store_txn *, enum store_table,
	    const void *, size_t, const void *, size_t, store_scan_fn, void *,
	    char **);
int	 store_next_id(struct store_txn *, const char *, uint64_t *, char **);
int	 store_set_id(struct store_txn *, const char *, uint64_t, char **);
int	 store_last_id(struct store_txn *, const char *, uint64_t *, char **);

/* Verify every table with DB->verify; needs the environment alone. */
int	 store_verify(const char *, char **);
/* A hot backup into an empty directory that exists, recovered, verified. */
int	 store_backup(struct store *, const char *, char **);
/* The tables' pages filled again, free ones given back (store-compact.c). */
struct store_compaction {
	uint64_t	 before;	/* bytes of the tables' files */
	uint64_t	 after;
};
int	 store_compact(struct store *, struct store_compaction *, char **);
/* Tests only: large tables' way (ranges of N keys) on every table; 0: off. */
void	 store_compact_by_ranges(size_t);
/* Tests only: 0 makes new stores' tables as before 2026-12-02 (none
 * compressed); 1, the default, compresses records and keys. */
void	 store_set_compress(int);
/* Catastrophic recovery of a copy (a backup) that nothing else uses. */
int	 store_recover(const char *, char **);
/* Take the directory alone, flush, verify every table (dossier check). */
int	 store_check(const char *, char **);
const char *store_table_name(enum store_table);

/* Replication (store-site.c, store-group.c; docs/REPLICATION.md). */
#define STORE_SITE_MAX		16
struct store_site_status {
	int		 replicated;	/* 0: a single site, nothing below */
	int		 running;	/* 'dossier serve' runs here */
	int		 master;	/* this site is the master */
	int		 caught_up;	/* a replica that has caught up */
	char		 self[300];	/* HOST:PORT */
	char		 master_addr[300]; /* "" when none is known */
	const char	*acks;		/* the acknowledgement policy */
	unsigned int	 heartbeat;	/* seconds between the master's beats */
	int		 nsites;	/* the other sites */
	struct {
		char	 addr[300];
		int	 connected;
		int64_t	 seen;		/* last time serve saw it connected */
	}		 sites[STORE_SITE_MAX];
	int64_t		 state_time;	/* when serve last wrote site.state */
	uint64_t	 lsn_file, lsn_offset;	/* this site's log */
	uint64_t	 queued;	/* log records waiting for a gap */
	int64_t		 beat;		/* the master's last beat seen here */
};

int	 store_site_init(const char *, const char *, const char *, char **);
int	 store_site_join(const char *, const char *, const char *,
	    const char *, const char *, unsigned int, void (*)(const char *),
	    char **);
int	 store_site_status(struct store *, struct store_site_status *,
	    char **);
int	 store_site_remove(struct store *, const char *, char **);
int	 store_site_promote(struct store *, unsigned int, char **);
int	 store_site_beat(struct store *, char **);
/* serve: a site connected and has not proved the group key yet. */
int	 store_site_auth_pending(struct store *);
/* Whether a change here would be refused now (a replica), and why. */
int	 store_site_refuses(struct store *, char **);
/* serve, every second: recover from a panic, challenge the sites that
 * connected (STORE_STOP: the master failed), write site.state. */
int	 store_site_poll(struct store *, char **);
int	 store_site_state_write(struct store *, char **);
int	 store_site_beat_read(struct store *, int64_t *, char **);
unsigned int store_site_heartbeat(const struct store *);
int	 store_site_acks_parse(const char *, int *);
/* The next event for 'dossier serve' to print (malloc'd), or NULL. */
char	*store_site_next_event(struct store *);

/*
 * Audit entries made at a replica go to the master (store-forward.c): a
 * process leaves one in the outbox under a name, the replica's serve
 * sends it, the master's serve hands it to the handler, which appends it
 * or says why not (a sentence the replica's serve leaves for the sender).
 */
typedef int (*store_forward_fn)(struct store *, const uint8_t *, size_t,
	    char **);
int	 store_forward_send(struct store *, const char *, const uint8_t *,
	    size_t, char **);
/* 0 still waiting, -1 refused (cause: the master's sentence). */
int	 store_forward_refused(struct store *, const char *, char **);
void	 store_forward_drop(struct store *, const char *);
void	 store_forward_handler(struct store *, store_forward_fn);
/* serve at a replica: send what waits; at most a few seconds. */
void	 store_forward_poll(struct store *);
/* This site's HOST:PORT and its master's when the transaction began. */
void	 store_txn_addrs(struct store_txn *, char *, char *, size_t);

#endif
