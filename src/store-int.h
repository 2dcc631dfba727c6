/*
 * store-int.h: what store.c and store-site.c share (the store module's
 * inside; nothing else includes it).
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include <db.h>

#include "store.h"

#define STORE_MARKER		"meta.db"
#define STORE_SITE_EVENTS	32	/* messages kept for 'dossier serve' */

struct store_site;
struct vault_key;
struct store_behind;
struct store_gather;

struct store {
	char		*dir;
	DB_ENV		*env;
	DB		*db[STORE_NTABLES];
	atomic_int	 panic;		/* set by Berkeley DB's event thread too */
	pthread_rwlock_t env_lock;	/* transactions (read), reopen (write) */
	int		 lockfd;	/* flock on meta.db: shared while open */
	int		 flags;		/* store_open()'s */

	/* The watchdog thread runs failchk about once a second, and the
	 * checkpoints store_run() asks for (ckp_wanted). */
	pthread_t	 watchdog;
	atomic_int	 ckp_wanted;
	int		 watchdog_running;
	int		 watchdog_stop;
	pthread_mutex_t	 watchdog_lock;
	pthread_cond_t	 watchdog_cond;

	/* Replication (store-site.c); site is NULL for a single site. */
	struct store_site *site;
	int		 rep_started;	/* repmgr_start() called here */
	int		 rep_connected;	/* waited for the connections */
	int		 servefd;	/* serve.lock, held by 'dossier serve' */
	atomic_int	 rep_master;	/* this site is the master */
	atomic_int	 rep_startup;	/* a client that has caught up */
	atomic_uint	 rep_perm_failed; /* changes the group did not confirm */
	atomic_int	 unconfirmed;	/* store_unconfirmed() */
	atomic_int	 rep_handle_dead; /* a rollback: reopen every handle */
	atomic_int	 rep_removed;	/* the group removed this site */
	pthread_mutex_t	 rep_lock;	/* guards the event messages */
	char		*rep_events[STORE_SITE_EVENTS];
	int		 rep_nevents;

	/* Sites to challenge for the group key (store-auth.c). */
	struct vault_key *site_key;	/* serve and join only */
	time_t		 auth_since[STORE_SITE_MAX];	/* 0: nothing due */
	int		 auth_tries[STORE_SITE_MAX];
	int		 auth_joined[STORE_SITE_MAX];	/* joined while we ran */
	int		 auth_ok[STORE_SITE_MAX];	/* proved to this process */
	atomic_int	 auth_answered;	/* this site proved itself once */
	time_t		 auth_started;	/* when this process began checking */

	/* The master's serve: what appends a replica's audit entries. */
	store_forward_fn forward_fn;

	/* serve: when each other site was last seen connected (site.state). */
	struct {
		char	 addr[300];
		int64_t	 seen;
	}		 rep_known[STORE_SITE_MAX];
	int		 rep_nknown;
};

extern _Thread_local char store_errbuf[512];

int	 store_error(int, const char *, char **);
int	 store_enter(struct store *, int);
void	 store_leave(struct store *);
int	 store_write_config(const char *, char **);
void	 store_config_upgrade(const char *);
int	 store_check_dir(const char *, int, char **);
int	 store_recover_alone(const char *, char **);

/* store-site.c */
/*
 * A site's role as seen when a transaction begins.  Asking Berkeley DB
 * (rep_stat) inside a transaction that holds page locks deadlocks at a
 * replica: the thread applying the master's log holds the mutex
 * rep_stat waits for while it waits for those locks.
 */
struct store_role {
	int		 known;		/* replication runs and was asked */
	int		 master;
	int		 eid;		/* the master's, or -1 */
	char		 addr[300];	/* the master's HOST:PORT at a replica */
};

/* One attempt of store_run()'s (store.c; store-behind.c makes its puts). */
#define STORE_AFTER_MAX	4

struct store_txn {
	struct store	*store;
	DB_TXN		*txn;
	int		 dead;	/* a deadlock: retried, whatever fn says */
	int		 wrote;	/* a put or a delete was made */
	uint64_t	 serial; /* this attempt's number in the process */
	struct {			/* store_txn_after() */
		store_after_fn	 fn;
		void		*arg;
	}		 after[STORE_AFTER_MAX];
	int		 nafter;
	int		 local_ok; /* store_txn_local_ok() */
	int		 loose;	/* store_txn_read_committed() */
	struct store_role role;	/* the site's, as this attempt began */
	struct store_behind *behind; /* store_txn_behind(): puts by a thread */
	struct store_gather *gather; /* puts made at once (store-gather.c) */
};

void	 store_site_role(struct store *, struct store_role *);
void	 store_site_self(struct store *, char *, size_t);
int	 store_site_writable_as(struct store *, const struct store_role *,
	    char **);
int	 store_site_confirmable_as(struct store *, const struct store_role *);
int	 store_site_load(struct store *, char **);
int	 store_site_configure(struct store *, char **);
int	 store_site_start(struct store *, char **);
int	 store_site_start_now(struct store *, char **);
void	 store_site_event(struct store *, u_int32_t, void *);
int	 store_site_writable(struct store *, char **);
int	 store_site_master(struct store *);
void	 store_site_policy(struct store *);
void	 store_site_free(struct store *);
void	 store_site_note(struct store *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* store-auth.c */
int	 store_site_auth_start(struct store *, char **);
void	 store_site_auth_mark(struct store *, int, int);
int	 store_site_auth_poll(struct store *, char **);
int	 store_site_auth_done(struct store *);
int	 store_join_table(struct store *, enum store_table, char **);
int	 store_site_auth_sync(struct store *, char **);
void	 store_site_auth_free(struct store *);

/* store-forward.c */
#define STORE_FORWARD_TAG	"dossier-audit-forward-1"
void	 store_forward_receive(struct store *, DB_CHANNEL *, const DBT *,
	    u_int32_t);

/* store.c: a put or a delete made now, whatever the transaction's mode. */
int	 store_put_many_now(struct store_txn *, enum store_table, size_t,
	    const uint8_t *const *, const size_t *, const uint8_t *const *,
	    const size_t *, char **);
int	 store_put_now(struct store_txn *, enum store_table, const void *,
	    size_t, const void *, size_t, int, char **);
int	 store_del_now(struct store_txn *, enum store_table, const void *,
	    size_t, char **);
/* store-behind.c */
int	 store_behind_add(struct store_txn *, int, enum store_table,
	    const void *, size_t, const void *, size_t, int, char **);
int	 store_behind_wait(struct store_txn *, char **);
int	 store_behind_end(struct store_txn *, int, char **);
/* store-gather.c */
int	 store_key_order(enum store_table, const void *, size_t,
	    enum store_table, const void *, size_t);
int	 store_gather_table(enum store_table);
int	 store_gather_add(struct store_txn *, enum store_table, const void *,
	    size_t, const void *, size_t);
int	 store_gather_flush(struct store_txn *, char **);
void	 store_gather_drop(struct store_txn *);

#endif
