/*
 * store.c: one transactional Berkeley DB environment per data directory.
 *
 * Several dossier processes (investigators over SSH) share the environment
 * at once.  Each opens it with DB_REGISTER|DB_RECOVER: Berkeley DB keeps a
 * register of the processes using the environment and runs recovery only
 * when one of them died without closing it.  A process killed while it
 * held locks would otherwise block every other one forever, so every
 * process also declares an is-alive function and runs failchk() when a
 * lock wait times out (DB_TIME_NOTGRANTED), then retries its transaction.
 * A panic (DB_RUNRECOVERY, or another process running recovery) closes
 * every handle and reopens the environment, recovering it.  Berkeley DB
 * does not free a panicked environment's handles (their close returns at
 * once): each recovery leaves a few tens of kilobytes allocated.  In
 * 'serve', whose Berkeley DB message threads write too, one thread
 * reopens while the others wait, and no transaction waits for a lock
 * (store_reopen(), store_attempt()).
 *
 * No transaction is ever held open across user input: callers edit in
 * memory and come here for one short transaction (store_run).
 */
#include "config.h"

#include <sys/file.h>

#include <sys/stat.h>
#include <sys/random.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "store-int.h"
#include "util.h"

#define STORE_RETRIES		200
/* Recoveries within one transaction's attempts before giving up. */
#define STORE_RECOVERIES	3
#define STORE_LOCK_TIMEOUT	500000		/* microseconds */
#define STORE_CKP_KBYTES	16384		/* log between checkpoints */
#define STORE_PAGE_SIZE		8192

static _Atomic uint64_t	 store_serial;

static void	store_txn_after_drop(struct store_txn *);
static int	store_txn_after_run(struct store_txn *, char **);

static const char *store_names[STORE_NTABLES] = {
	"meta", "users", "cases", "records", "keys", "audit", "drafts",
	"index"
};

/*
 * The last message Berkeley DB reported, for causes: per thread, since
 * the watchdog's failchk() reports through the same callback.
 */
_Thread_local char store_errbuf[512];

static void	store_errcall(const DB_ENV *, const char *, const char *);
static void	store_event(DB_ENV *, u_int32_t, void *);
static int	store_isalive(DB_ENV *, pid_t, db_threadid_t, u_int32_t);
static int	store_env_open(struct store *, int, char **);
static void	store_env_close(struct store *);
static int	store_init_meta(struct store *, char **);
static int	store_check_meta(struct store *, char **);
static void	*store_watchdog(void *);
static int	store_scan_at(struct store_txn *, enum store_table,
		    const void *, size_t, size_t, store_scan_fn, void *,
		    char **);
static int	store_watchdog_start(struct store *);
static void	store_watchdog_stop(struct store *);
static void	store_checkpoint_soon(struct store *);

const char *
store_table_name(enum store_table t)
{
	return (store_names[t]);
}

static void
store_errcall(const DB_ENV *env, const char *pfx, const char *msg)
{
	snprintf(store_errbuf, sizeof store_errbuf, "%s", msg);
}

static void
store_msgcall(const DB_ENV *env, const char *msg)
{
	/* Informational messages (failchk's) are not for the user. */
}

static void
store_event(DB_ENV *env, u_int32_t event, void *info)
{
	struct store	*s = env->app_private;

	if (s == NULL)
		return;
	if (event == DB_EVENT_PANIC || event == DB_EVENT_REG_PANIC)
		atomic_store(&s->panic, 1);
	else if (s->site != NULL)
		store_site_event(s, event, info);
}

/*
 * A process is alive if kill(pid, 0) succeeds or fails with EPERM: the
 * data directory is shared by a group, so other users' processes count.
 */
static int
store_isalive(DB_ENV *env, pid_t pid, db_threadid_t tid, u_int32_t flags)
{
	if (kill(pid, 0) == 0 || errno == EPERM)
		return (1);
	return (0);
}

/*
 * The same inside a transaction: after a deadlock the transaction can
 * only be aborted, so store_run() retries it even if the caller went on
 * and returned something else (a check that reads "not found" for any
 * error would otherwise conclude from a dead transaction).
 */
static int
store_terror(struct store_txn *t, int ret, const char *what, char **cause)
{
	int	 rc;

	if (ret == DB_REP_HANDLE_DEAD)
		atomic_store(&t->store->panic, 1);	/* reopen every handle */
	if ((rc = store_error(ret, what, cause)) == STORE_RETRY)
		t->dead = 1;
	return (rc);
}

/*
 * A read that failed: a damaged page (a compressed run that does not
 * decode, a page that is not where its parent says) names its table and
 * what to do; anything else as store_terror().
 */
static int
store_read_error(struct store_txn *t, enum store_table table, int ret,
    char **cause)
{
	if (ret == EINVAL || ret == EIO || ret == DB_PAGE_NOTFOUND ||
	    ret == DB_VERIFY_BAD)
		return (err_set(cause, _("Cannot read the table %s.db (%s): "
		    "part of it is damaged or was changed outside dossier. "
		    "Run 'dossier check' and restore a backup."),
		    store_names[table], db_strerror(ret)));
	return (store_terror(t, ret, _("reading"), cause));
}

/* Translate a Berkeley DB error into our codes and a sentence. */
int
store_error(int ret, const char *what, char **cause)
{
	switch (ret) {
	case DB_NOTFOUND:
		return (STORE_NOTFOUND);
	case DB_KEYEXIST:
		return (STORE_EXISTS);
	case DB_LOCK_DEADLOCK:
	case DB_LOCK_NOTGRANTED:
		err_set(cause, _("The database is busy; try again."));
		return (STORE_RETRY);
	case DB_RUNRECOVERY:
		err_set(cause, _("The database needs recovery; it will be "
		    "recovered when dossier is next opened."));
		return (STORE_RETRY);
	case DB_REP_HANDLE_DEAD:
	case DB_REP_LOCKOUT:
		err_set(cause, _("This site is catching up with the other "
		    "sites; try again in a moment."));
		return (STORE_RETRY);
	case ENOSPC:
		err_set(cause, _("The disk holding the data directory is full: "
		    "nothing of this change was saved. Free some space and try "
		    "again."));
		return (-1);
	default:
		err_set(cause, _("Database error while %s: %s."), what,
		    db_strerror(ret));
		return (-1);
	}
}

char *
store_default_dir(const char *option)
{
	const char	*env, *home;
	char		*dir;

	if (option != NULL && *option != '\0')
		return (xstrdup(option));
	if ((env = getenv("DOSSIER_DATA")) != NULL && *env != '\0')
		return (xstrdup(env));
	if ((env = getenv("XDG_DATA_HOME")) != NULL && *env == '/') {
		xasprintf(&dir, "%s/dossier", env);
		return (dir);
	}
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		return (NULL);
	xasprintf(&dir, "%s/.local/share/dossier", home);
	return (dir);
}

/* Create the missing parents of dir (as "mkdir -p"), private to the user. */
static int
store_mkdir_parents(const char *dir)
{
	char	*copy, *p;
	int	 rc = 0;

	copy = xstrdup(dir);
	for (p = copy + 1; rc == 0 && (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(copy);
	return (rc);
}

/*
 * Check the data directory before Berkeley DB touches it: it must be a
 * directory, not accessible to others, and (unless creating) hold a
 * dossier store; when creating it must be new or empty.
 */
int
store_check_dir(const char *dir, int flags, char **cause)
{
	struct stat	 sb;
	char		*marker;
	DIR		*d;
	struct dirent	*de;
	int		 empty = 1, has_marker;

	if (stat(dir, &sb) != 0) {
		if (errno != ENOENT)
			return (err_set(cause, _("Cannot use the data directory "
			    "%s: %s."), dir, strerror(errno)));
		if (!(flags & STORE_CREATE))
			return (err_set(cause, _("There is no dossier data "
			    "directory at %s; create one with 'dossier init'."),
			    dir));
		if (store_mkdir_parents(dir) != 0 || mkdir(dir, 0770) != 0)
			return (err_set(cause, _("Cannot create the data "
			    "directory %s: %s."), dir, strerror(errno)));
		if (chmod(dir, 02770) != 0 || stat(dir, &sb) != 0)
			return (err_set(cause, _("Cannot set the permissions of "
			    "%s: %s."), dir, strerror(errno)));
	}
	if (!S_ISDIR(sb.st_mode))
		return (err_set(cause, _("%s is not a directory."), dir));
	if (sb.st_mode & S_IRWXO)
		return (err_set(cause, _("The data directory %s is accessible "
		    "to other users; run 'chmod o-rwx %s' first."), dir, dir));

	xasprintf(&marker, "%s/%s", dir, STORE_MARKER);
	has_marker = access(marker, F_OK) == 0;
	free(marker);
	if (!(flags & STORE_CREATE)) {
		if (!has_marker)
			return (err_set(cause, _("%s is not a dossier data "
			    "directory (it has no %s)."), dir, STORE_MARKER));
		return (0);
	}
	if (has_marker)
		return (err_set(cause, _("%s already holds a dossier store; "
		    "refusing to initialise it again."), dir));
	if ((d = opendir(dir)) == NULL)
		return (err_set(cause, _("Cannot read the data directory %s: "
		    "%s."), dir, strerror(errno)));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	}
	closedir(d);
	if (!empty)
		return (err_set(cause, _("%s is not empty and holds no dossier "
		    "store; choose a new or empty directory."), dir));
	return (0);
}

/*
 * A process killed while holding locks blocks every process waiting for
 * them: Berkeley DB checks lock timeouts only when its deadlock detector
 * runs, which happens when a wait starts, not while it goes on.  So a
 * helper thread calls failchk() about once a second: it aborts the
 * transactions of dead processes and releases their locks.
 *
 * The same thread takes the checkpoints store_run() asks for, so that
 * the writer goes on while the cache's dirty pages are written (about a
 * tenth of an import's main thread was spent in them).
 */
static void *
store_watchdog(void *arg)
{
	struct store	*s = arg;
	struct timespec	 ts;
	int		 ret;

	pthread_mutex_lock(&s->watchdog_lock);
	while (!s->watchdog_stop) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&s->watchdog_cond, &s->watchdog_lock,
		    &ts);
		if (s->watchdog_stop || atomic_load(&s->panic))
			continue;
		if (atomic_exchange(&s->ckp_wanted, 0)) {
			pthread_mutex_unlock(&s->watchdog_lock);
			s->env->txn_checkpoint(s->env, STORE_CKP_KBYTES, 0, 0);
			pthread_mutex_lock(&s->watchdog_lock);
		}
		ret = s->env->failchk(s->env, 0);
		if (ret == DB_RUNRECOVERY)
			atomic_store(&s->panic, 1);
		/* Expire lock requests older than the lock timeout. */
		s->env->lock_detect(s->env, 0, DB_LOCK_EXPIRE, NULL);
	}
	pthread_mutex_unlock(&s->watchdog_lock);
	return (NULL);
}

static int
store_watchdog_start(struct store *s)
{
	int	 ret;

	s->watchdog_stop = 0;
	atomic_store(&s->ckp_wanted, 0);
	if ((ret = pthread_create(&s->watchdog, NULL, store_watchdog, s)) != 0) {
		errno = ret;
		return (-1);
	}
	s->watchdog_running = 1;
	return (0);
}

/* A checkpoint, taken by the watchdog thread when it runs. */
static void
store_checkpoint_soon(struct store *s)
{
	if (!s->watchdog_running) {
		s->env->txn_checkpoint(s->env, STORE_CKP_KBYTES, 0, 0);
		return;
	}
	atomic_store(&s->ckp_wanted, 1);
	pthread_mutex_lock(&s->watchdog_lock);
	pthread_cond_signal(&s->watchdog_cond);
	pthread_mutex_unlock(&s->watchdog_lock);
}

static void
store_watchdog_stop(struct store *s)
{
	if (!s->watchdog_running)
		return;
	pthread_mutex_lock(&s->watchdog_lock);
	s->watchdog_stop = 1;
	pthread_cond_signal(&s->watchdog_cond);
	pthread_mutex_unlock(&s->watchdog_lock);
	pthread_join(s->watchdog, NULL);
	s->watchdog_running = 0;
}

/* What every environment handle is given before it is opened. */
static void
store_env_setup(struct store *s, DB_ENV *env)
{
	env->app_private = s;
	env->set_errcall(env, store_errcall);
	env->set_msgcall(env, store_msgcall);
	env->set_event_notify(env, store_event);
	env->set_isalive(env, store_isalive);
	env->set_thread_count(env, 64);
	env->set_lk_detect(env, DB_LOCK_DEFAULT);
	env->set_timeout(env, STORE_LOCK_TIMEOUT, DB_SET_LOCK_TIMEOUT);
	env->set_flags(env, DB_TIME_NOTGRANTED, 1);
	env->log_set_config(env, DB_LOG_AUTO_REMOVE, 1);
}

/* New stores compress records and keys (store_set_compress()). */
static int store_compress = 1;

void
store_set_compress(int on)
{
	store_compress = on;
}

/* Open table i of an open environment (store_env_open; a join, late). */
static int
store_table_open(struct store *s, int i, int create, char **cause)
{
	DB		*db;
	u_int32_t	 dbflags;
	int		 ret;
	char		*file;

	if ((ret = db_create(&db, s->env, 0)) != 0)
		return (err_set(cause, "%s", db_strerror(ret)));
	s->db[i] = db;
	if (create)
		db->set_pagesize(db, STORE_PAGE_SIZE);
	/*
	 * A new store keeps its records and sealed keys prefix-compressed
	 * (Berkeley DB's default compression): a case's records share the
	 * case id and their envelope's first bytes, its keys their label,
	 * and a compressed page holds its entries as one stream, without a
	 * header for each.  About 200 bytes a case.  The file says whether
	 * it is compressed; an open without create reads either, so a store
	 * made before keeps its tables as they are.  The index is not:
	 * its entries arrive out of order, and a compressed table rewrites
	 * a run of entries for each one put in its middle.
	 */
	if (create && store_compress && (i == STORE_RECORDS ||
	    i == STORE_KEYS) && (ret = db->set_bt_compress(db, NULL, NULL)) != 0)
		return (err_set(cause, "%s", db_strerror(ret)));
	/* An existing table is opened outside a transaction: at a
	 * replicated master, an auto-commit open would wait for the
	 * other sites to acknowledge its file registration. */
	dbflags = DB_THREAD | (create ? DB_CREATE | DB_AUTO_COMMIT : 0);
	xasprintf(&file, "%s.db", store_names[i]);
	store_errbuf[0] = '\0';
	ret = db->open(db, NULL, file, NULL, DB_BTREE, dbflags, 0660);
	if (ret != 0) {
		err_set(cause, _("Cannot open the table %s in %s (%s%s%s); "
		    "the file is missing or damaged: run 'dossier check' "
		    "or restore a backup."), file, s->dir,
		    db_strerror(ret), store_errbuf[0] != '\0' ? ": " : "",
		    store_errbuf);
		free(file);
		return (-1);
	}
	free(file);
	/*
	 * Every table holds one value per key.  A file rebuilt to hold
	 * several (a second, forged header behind a real one) was changed
	 * outside dossier.
	 */
	if (db->get_flags(db, &dbflags) != 0 ||
	    (dbflags & (DB_DUP | DB_DUPSORT)) != 0)
		return (err_set(cause, _("The table %s.db in %s was rebuilt to "
		    "hold several values under one key: it was changed "
		    "outside dossier. Restore a backup."), store_names[i],
		    s->dir));
	return (0);
}

/*
 * 'site join', once the master's files are here: open one table to read
 * it (the tables of a join are not opened with its environment).
 */
int
store_join_table(struct store *s, enum store_table table, char **cause)
{
	if (s->db[table] != NULL)
		return (0);
	if (store_table_open(s, table, 0, cause) != 0) {
		if (s->db[table] != NULL)
			s->db[table]->close(s->db[table], 0);
		s->db[table] = NULL;
		return (-1);
	}
	return (0);
}

static int
store_env_open_once(struct store *s, int create, char **cause)
{
	struct statvfs	 vfs;
	DB_ENV		*env;
	u_int32_t	 flags;
	int		 ret, i;

	store_errbuf[0] = '\0';
	if ((ret = db_env_create(&env, 0)) != 0)
		return (err_set(cause, _("Cannot create a database "
		    "environment: %s."), db_strerror(ret)));
	s->env = env;
	store_env_setup(s, env);

	flags = DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
	    DB_INIT_MPOOL | DB_THREAD | DB_REGISTER | DB_RECOVER;
	if (s->site != NULL) {
		flags |= DB_INIT_REP;
		if (store_site_configure(s, cause) != 0) {
			store_env_close(s);
			return (-1);
		}
	}
	/*
	 * Two processes making the regions at the same moment (the first
	 * open after 'site init' or a repair removed them) can see a region
	 * file before it has its size: Berkeley DB's mmap then fails with
	 * EINVAL.  The second try finds the region made.
	 */
	for (i = 0; i < 5; i++) {
		if ((ret = env->open(env, s->dir, flags, 0660)) != EINVAL)
			break;
		store_env_close(s);
		usleep(100000);
		if ((ret = db_env_create(&env, 0)) != 0)
			return (err_set(cause, _("Cannot create a database "
			    "environment: %s."), db_strerror(ret)));
		s->env = env;
		store_env_setup(s, env);
		if (s->site != NULL && store_site_configure(s, cause) != 0) {
			store_env_close(s);
			return (-1);
		}
		ret = EINVAL;
	}
	if (ret != 0) {
		if (statvfs(s->dir, &vfs) == 0 &&
		    (uint64_t)vfs.f_bavail * vfs.f_frsize < 4 * 1024 * 1024)
			err_set(cause, _("The disk holding %s is full: free some "
			    "space, then open dossier again (nothing saved is "
			    "lost; it recovers)."), s->dir);
		else if (access(s->dir, W_OK) != 0)
			err_set(cause, _("%s is read-only for you: dossier needs "
			    "to write to its data directory, even to read."),
			    s->dir);
		else
			err_set(cause, _("Cannot open the database environment in "
			    "%s: %s%s%s."), s->dir, db_strerror(ret),
			    store_errbuf[0] != '\0' ? ": " : "", store_errbuf);
		store_env_close(s);
		return (-1);
	}
	/* Clear what processes that died left behind, before anything. */
	ret = env->failchk(env, 0);
	if (ret != 0 && ret != EBUSY) {
		err_set(cause, _("Cannot clean up after a stopped process in "
		    "%s: %s."), s->dir, db_strerror(ret));
		store_env_close(s);
		return (-1);
	}
	if ((ret = env->set_flags(env, DB_AUTO_COMMIT, 1)) != 0) {
		store_env_close(s);
		return (err_set(cause, "%s", db_strerror(ret)));
	}
	if (s->site != NULL && store_site_start(s, cause) != 0) {
		store_env_close(s);
		return (-1);
	}
	if (s->flags & STORE_JOIN) {
		/* A new replica: the tables come from the master. */
		atomic_store(&s->panic, 0);
		return (0);
	}

	for (i = 0; i < STORE_NTABLES; i++)
		if (store_table_open(s, i, create, cause) != 0) {
			store_env_close(s);
			return (-1);
		}
	atomic_store(&s->panic, 0);
	if (store_watchdog_start(s) != 0) {
		store_env_close(s);
		return (err_set(cause, _("Cannot start the thread that frees the "
		    "locks of dead processes: %s."), strerror(errno)));
	}
	return (0);
}

/*
 * A process that finds another one killed runs recovery, and first
 * panics the environment for every process that opened it before.  One
 * still opening it (its tables, its replication: a 'serve' restarted at
 * once after SIGKILL, while a 'site status' finds the killed one gone)
 * is among them: it opens the environment again, which recovers it.
 */
static int
store_env_open(struct store *s, int create, char **cause)
{
	int	 tries;

	for (tries = 0;; tries++) {
		atomic_store(&s->panic, 0);
		if (store_env_open_once(s, create, cause) == 0)
			return (0);
		if (!atomic_load(&s->panic) || tries == STORE_RECOVERIES)
			return (-1);
		err_clear(cause);
	}
}

static void
store_env_close(struct store *s)
{
	int	 i;

	store_watchdog_stop(s);

	for (i = 0; i < STORE_NTABLES; i++) {
		if (s->db[i] != NULL)
			s->db[i]->close(s->db[i], 0);
		s->db[i] = NULL;
	}
	if (s->env != NULL) {
		/* A replica's checkpoints come from its master. */
		if (!atomic_load(&s->panic) &&
		    (s->site == NULL || atomic_load(&s->rep_master)))
			s->env->txn_checkpoint(s->env, 0, 0, 0);
		s->env->close(s->env, 0);
	}
	s->env = NULL;
	s->rep_started = 0;
	s->rep_connected = 0;
}

static int
store_init_meta_txn(struct store_txn *t, void *arg, char **cause)
{
	char	 v[16];
	int	 rc, n;

	n = snprintf(v, sizeof v, "%d", STORE_FORMAT_VERSION);
	if ((rc = store_put(t, STORE_META, "format", 6, v, n, 0, cause)) != 0)
		return (rc);
	n = snprintf(v, sizeof v, "%lld", (long long)now());
	return (store_put(t, STORE_META, "created", 7, v, n, 0, cause));
}

static int
store_init_meta(struct store *s, char **cause)
{
	return (store_run(s, store_init_meta_txn, NULL, cause));
}

static int
store_check_meta_txn(struct store_txn *t, void *arg, char **cause)
{
	uint8_t		*v;
	size_t		 len;
	char		 buf[16];
	long		 version;
	int		 rc;

	rc = store_get(t, STORE_META, "format", 6, &v, &len, cause);
	if (rc == STORE_NOTFOUND)
		return (err_set(cause, _("The store in %s has no format "
		    "version; it is damaged or was not made by dossier."),
		    t->store->dir));
	if (rc != 0)
		return (rc);
	snprintf(buf, sizeof buf, "%.*s", (int)(len < 15 ? len : 15), v);
	free(v);
	version = strtol(buf, NULL, 10);
	if (version < 1)
		return (err_set(cause, _("The store in %s has an invalid format "
		    "version; it is damaged."), t->store->dir));
	if (version < STORE_FORMAT_VERSION)
		return (err_set(cause, _("The store in %s was made by an earlier "
		    "development version of dossier (format %ld), before accounts "
		    "were approved with the organisation's root key; this one "
		    "reads format %d. Make a new store and import its cases "
		    "with 'case export-json' and 'case import'."), t->store->dir,
		    version, STORE_FORMAT_VERSION));
	if (version > STORE_FORMAT_VERSION)
		return (err_set(cause, _("The store in %s was made by a newer "
		    "dossier (format %ld); this one reads format %d. Install "
		    "the newer version."), t->store->dir, version,
		    STORE_FORMAT_VERSION));
	return (0);
}

static int
store_check_meta(struct store *s, char **cause)
{
	return (store_run(s, store_check_meta_txn, NULL, cause));
}

/*
 * A full disk can cut the write of a table's new last page short when
 * Berkeley DB flushes it (at a checkpoint, after the commit was logged):
 * the file then ends in a partial page and Berkeley DB refuses to open it
 * ("file size not a multiple of the pagesize").  Nothing committed is
 * lost: the log holds it.  Cutting the partial page off and running
 * recovery writes the page again from the log.
 */
static int
store_torn(const char *dir)
{
	struct stat	 sb;
	char		*path;
	int		 i, torn = 0;

	for (i = 0; i < STORE_NTABLES && !torn; i++) {
		xasprintf(&path, "%s/%s.db", dir, store_names[i]);
		if (stat(path, &sb) == 0 && sb.st_size % STORE_PAGE_SIZE != 0)
			torn = 1;
		free(path);
	}
	return (torn);
}

/*
 * Recover the environment alone and remove its regions, so that the next
 * process makes them again with every setting it needs.  The caller holds
 * the directory alone.
 */
static int
store_recover_regions(const char *dir)
{
	DB_ENV	*env;
	int	 ret;

	/* Recovery always runs without DB_REGISTER. */
	if ((ret = db_env_create(&env, 0)) != 0)
		return (ret);
	env->set_errcall(env, store_errcall);
	ret = env->open(env, dir, DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK |
	    DB_INIT_LOG | DB_INIT_MPOOL | DB_RECOVER, 0660);
	if (ret == 0)
		ret = env->txn_checkpoint(env, 0, 0, DB_FORCE);
	env->close(env, 0);
	if (ret != 0)
		return (ret);
	/* Its regions lack what every process sets up: let them be made. */
	if ((ret = db_env_create(&env, 0)) != 0)
		return (ret);
	return (env->remove(env, dir, DB_FORCE));
}

int
store_recover_alone(const char *dir, char **cause)
{
	int	 ret;

	if ((ret = store_recover_regions(dir)) != 0)
		return (err_set(cause, _("Cannot recover %s: %s%s%s."), dir,
		    db_strerror(ret), store_errbuf[0] != '\0' ? ": " : "",
		    store_errbuf));
	return (0);
}

static int
store_repair(const char *dir, int flags, char **cause)
{
	struct stat	 sb;
	struct statvfs	 vfs;
	char		*path;
	int		 i, fd = -1, ret;

	/* Only alone: other processes may have the tables open. */
	if ((flags & STORE_NOLOCK) == 0) {
		xasprintf(&path, "%s/%s", dir, STORE_MARKER);
		fd = open(path, O_RDONLY|O_CLOEXEC);
		free(path);
		if (fd == -1 || flock(fd, LOCK_EX|LOCK_NB) != 0) {
			if (fd != -1)
				close(fd);
			err_clear(cause);
			return (err_set(cause, _("A table of %s was cut short (the "
			    "disk was full); it is repaired from the log when no "
			    "other dossier process uses the data directory: close "
			    "them and open dossier again."), dir));
		}
	}
	for (i = 0; i < STORE_NTABLES; i++) {
		xasprintf(&path, "%s/%s.db", dir, store_names[i]);
		if (stat(path, &sb) == 0 && sb.st_size % STORE_PAGE_SIZE != 0 &&
		    truncate(path, sb.st_size - sb.st_size % STORE_PAGE_SIZE) != 0)
			ret = errno;
		else
			ret = 0;
		free(path);
		if (ret != 0)
			goto fail;
	}
	if ((ret = store_recover_regions(dir)) != 0)
		goto fail;
	if (fd != -1)
		close(fd);
	return (0);
fail:
	if (fd != -1)
		close(fd);
	err_clear(cause);
	if (statvfs(dir, &vfs) == 0 &&
	    (uint64_t)vfs.f_bavail * vfs.f_frsize < 4 * 1024 * 1024)
		return (err_set(cause, _("The disk holding %s is full: free some "
		    "space, then open dossier again (nothing saved is lost; it "
		    "recovers)."), dir));
	return (err_set(cause, _("A table of %s was cut short, most likely by "
	    "a full disk, and repairing it from the log failed (%s). Make sure "
	    "the disk has free space and open dossier again: nothing saved is "
	    "lost. If it fails again, restore a backup."), dir, ret > 0 ?
	    strerror(ret) : db_strerror(ret)));
}

int
store_open(struct store **sp, const char *dir, int flags, char **cause)
{
	struct store	*s;
	char		*path;
	int		 rc;

	*sp = NULL;
	if ((flags & STORE_JOIN) == 0 && store_check_dir(dir, flags, cause) != 0)
		return (-1);
	if ((flags & STORE_CREATE) && store_write_config(dir, cause) != 0)
		return (-1);
	if ((flags & STORE_CREATE) == 0)
		store_config_upgrade(dir);
	s = xcalloc(1, sizeof *s);
	s->dir = xstrdup(dir);
	s->lockfd = -1;
	s->servefd = -1;
	s->flags = flags;
	pthread_mutex_init(&s->watchdog_lock, NULL);
	pthread_cond_init(&s->watchdog_cond, NULL);
	pthread_mutex_init(&s->rep_lock, NULL);
	pthread_rwlock_init(&s->env_lock, NULL);
	if (store_site_load(s, cause) != 0) {
		store_close(s);
		return (-1);
	}
	/* Replication's message threads start within: none may enter yet. */
	pthread_rwlock_wrlock(&s->env_lock);
	rc = store_env_open(s, flags & STORE_CREATE, cause);
	/* A table cut short by a full disk: repair once, retry. */
	if (rc != 0 && store_torn(dir) && store_repair(dir, flags, cause) == 0)
		rc = (err_clear(cause), store_env_open(s, 0, cause));
	pthread_rwlock_unlock(&s->env_lock);
	if (rc != 0) {
		store_close(s);
		return (-1);
	}
	if ((flags & STORE_JOIN) == 0 &&
	    ((flags & STORE_CREATE) ? store_init_meta(s, cause) :
	    store_check_meta(s, cause)) != 0) {
		store_close(s);
		return (-1);
	}
	/*
	 * Every process holds a shared flock on meta.db, so that 'dossier
	 * check' can tell when it has the data directory alone (Berkeley DB
	 * uses fcntl locks, which flock does not touch).
	 */
	if ((flags & (STORE_NOLOCK | STORE_JOIN)) == 0) {
		xasprintf(&path, "%s/%s", dir, STORE_MARKER);
		s->lockfd = open(path, O_RDONLY|O_CLOEXEC);
		if (s->lockfd == -1 || flock(s->lockfd, LOCK_SH) != 0) {
			err_set(cause, _("Cannot lock %s: %s."), path,
			    strerror(errno));
			free(path);
			store_close(s);
			return (-1);
		}
		free(path);
	}
	*sp = s;
	return (0);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	/* Berkeley DB's message threads leave it before it closes. */
	pthread_rwlock_wrlock(&s->env_lock);
	store_env_close(s);
	pthread_rwlock_unlock(&s->env_lock);
	store_site_free(s);
	if (s->lockfd != -1)
		close(s->lockfd);
	pthread_mutex_destroy(&s->watchdog_lock);
	pthread_mutex_destroy(&s->rep_lock);
	pthread_rwlock_destroy(&s->env_lock);
	pthread_cond_destroy(&s->watchdog_cond);
	free(s->dir);
	free(s);
}

const char *
store_dir(const struct store *s)
{
	return (s->dir);
}

/* Wait a little, more each time, with jitter so retries do not collide. */
static void
store_backoff(int attempt)
{
	struct timespec	 ts;
	long		 us;
	uint16_t	 jitter = 0;

	/* Each process its own jitter: random() unseeded is the same in all. */
	if (getrandom(&jitter, sizeof jitter, GRND_NONBLOCK) != sizeof jitter)
		jitter = (uint16_t)(getpid() * 7919U + (unsigned)attempt * 104729U);
	us = (1000L << (attempt < 6 ? attempt : 6)) + (jitter % 1000);
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	nanosleep(&ts, NULL);
}

/*
 * Whether STORE_CKP_KBYTES of log were written since the last checkpoint.
 * Asking txn_checkpoint() costs more than its answer: with the log files
 * removed as they are no longer needed, each call opens the log file and
 * reads 32 KB of it, even when it takes no checkpoint (a twentieth of a
 * save).  The log's own count is in its region.
 */
static int
store_log_grown(struct store *s)
{
	DB_LOG_STAT	*sp;
	int		 grown;

	if (s->env->log_stat(s->env, &sp, 0) != 0)
		return (1);	/* let txn_checkpoint() tell */
	grown = sp->st_wc_mbytes * 1024 + sp->st_wc_bytes / 1024 >=
	    STORE_CKP_KBYTES;
	free(sp);
	return (grown);
}

/*
 * One thread reopens the environment after a panic, while no other runs
 * a transaction in it: 'serve' runs a replica's audit entries in Berkeley
 * DB's message threads.  A thread that already has a transaction (a
 * message thread's caller, or a store_run() within one) does not reopen
 * it: it says to try again later.
 */
static _Thread_local int store_entered;
static const char *store_busy = N_("The database is being recovered; try "
    "again in a moment.");

static int
store_reopen(struct store *s, int *mine, char **cause)
{
	int	 rc = 0;

	*mine = 0;
	if (store_entered) {
		(void)err_set(cause, "%s", _(store_busy));
		return (STORE_BUSY);
	}
	pthread_rwlock_wrlock(&s->env_lock);
	if (atomic_load(&s->panic) || s->env == NULL) {
		*mine = 1;	/* not another thread's, done meanwhile */
		store_env_close(s);
		rc = store_env_open(s, 0, cause);
	}
	pthread_rwlock_unlock(&s->env_lock);
	return (rc);
}

/*
 * Before a transaction, or before a Berkeley DB message thread touches
 * the environment: 0, or -1 when another thread reopens it and wait is
 * 0 (a message thread must not wait: the reopen's close waits for it).
 */
int
store_enter(struct store *s, int wait)
{
	if (store_entered > 0) {
		store_entered++;
		return (0);
	}
	if (wait)
		pthread_rwlock_rdlock(&s->env_lock);
	else if (pthread_rwlock_tryrdlock(&s->env_lock) != 0)
		return (-1);
	store_entered = 1;
	return (0);
}

void
store_leave(struct store *s)
{
	if (--store_entered == 0)
		pthread_rwlock_unlock(&s->env_lock);
}

/* One attempt: 0 committed, STORE_RETRY to try again, else an error. */
static int
store_attempt(struct store *s, struct store_txn *t, store_fn fn, void *arg,
    char **cause)
{
	unsigned int	 failed;
	int		 ret, rc;

	if (atomic_load(&s->panic) || s->env == NULL)
		return (STORE_RETRY);	/* reopened by the caller */
	store_txn_after_drop(t);
	t->store = s;
	t->local_ok = 0;
	t->loose = 0;
	t->dead = 0;
	t->wrote = 0;
	t->behind = NULL;
	t->gather = NULL;
	t->serial = atomic_fetch_add(&store_serial, 1) + 1;
	store_site_role(s, &t->role);
	/*
	 * In 'serve', whose threads share the store, no transaction waits
	 * for a lock: after a panic, a wait in the old environment would
	 * never end (a lock is released by nothing there), and the reopen
	 * waits for every transaction.  A conflict is tried again instead.
	 */
	if ((ret = s->env->txn_begin(s->env, NULL, &t->txn,
	    (s->flags & STORE_SERVE) ? DB_TXN_NOWAIT : 0)) != 0) {
		if ((rc = store_error(ret, _("starting a transaction"),
		    cause)) == STORE_RETRY && ret == DB_RUNRECOVERY)
			atomic_store(&s->panic, 1);
		return (rc);
	}
	rc = fn(t, arg, cause);
	if (t->behind != NULL)	/* its failure is the attempt's */
		rc = store_behind_end(t, rc, cause);
	if (rc == 0 && !t->dead)	/* and the puts gathered */
		rc = store_gather_flush(t, cause);
	store_gather_drop(t);
	if (rc == STORE_RETRY || t->dead) {
		/* Deadlock, or a lock a dead process held: the watchdog
		 * releases the latter within a second. */
		t->txn->abort(t->txn);
		return (STORE_RETRY);
	}
	if (rc != 0) {
		t->txn->abort(t->txn);
		return (rc);
	}
	failed = atomic_load(&s->rep_perm_failed);
	if ((ret = t->txn->commit(t->txn, 0)) != 0) {
		if ((rc = store_error(ret, _("committing"), cause)) ==
		    STORE_RETRY && ret == DB_RUNRECOVERY)
			atomic_store(&s->panic, 1);
		return (rc);
	}
	/*
	 * A checkpoint when 16 MB of log was written since the last
	 * one: recovery after a crash reads that much at most.  Every
	 * megabyte, as before 2026-12-02, made a bulk load write its
	 * dirty pages after each of its transactions (6% of a
	 * 200,000-case import).  The watchdog thread takes it.
	 */
	if (t->wrote && store_log_grown(s))
		store_checkpoint_soon(s);
	/*
	 * Berkeley DB tells the committing process, before commit
	 * returns, when too few sites acknowledged the change in
	 * time.  It is committed here all the same: the caller goes
	 * on (a file still to attach, a reference to print) and says
	 * so once at the end (store_unconfirmed()).  Returning an
	 * error made callers stop half-way and a person save again.
	 */
	if (atomic_load(&s->rep_perm_failed) != failed && !t->local_ok)
		atomic_store(&s->unconfirmed, 1);
	return (0);
}

int
store_run(struct store *s, store_fn fn, void *arg, char **cause)
{
	struct store_txn	 t;
	int			 attempt, rc, mine, recovered = 0;

	t.nafter = 0;
	for (attempt = 0; attempt < STORE_RETRIES; attempt++) {
		if (atomic_load(&s->panic) || s->env == NULL) {
			/* Another process ran recovery, or we panicked; a
			 * store that panics again after each is damaged. */
			if (recovered == STORE_RECOVERIES)
				break;
			if ((rc = store_reopen(s, &mine, cause)) != 0) {
				store_txn_after_drop(&t);
				return (rc);
			}
			recovered += mine;
		}
		store_enter(s, 1);
		rc = store_attempt(s, &t, fn, arg, cause);
		store_leave(s);
		if (rc == STORE_RETRY) {
			store_backoff(attempt);
			continue;
		}
		if (rc != 0) {
			store_txn_after_drop(&t);
			return (rc);
		}
		/* A sentence left by a retried attempt means nothing now. */
		if (cause != NULL) {
			free(*cause);
			*cause = NULL;
		}
		return (store_txn_after_run(&t, cause));
	}
	store_txn_after_drop(&t);
	/* Busy is not what it was when every attempt needed recovery. */
	if (recovered > 1)
		return (err_set(cause, _("The database failed again each time "
		    "it was recovered; nothing was changed. A table may be "
		    "damaged: run 'dossier check' and restore a backup.")));
	(void)err_set(cause, _("The database stayed busy; nothing was "
	    "changed. Try again."));
	return (STORE_BUSY);
}

/*
 * Work that must follow the commit of this attempt (a replica sends the
 * audit entries of a read to the master): fn(store, arg, cause) after
 * the commit, arg freed with free() after it or when the attempt is
 * abandoned.  An error from fn is store_run()'s.
 */
int
store_txn_after(struct store_txn *t, store_after_fn fn, void *arg,
    char **cause)
{
	if (t->nafter == STORE_AFTER_MAX) {
		free(arg);
		return (err_set(cause, _("Too much to do after one change; "
		    "nothing was saved.")));
	}
	t->after[t->nafter].fn = fn;
	t->after[t->nafter].arg = arg;
	t->nafter++;
	return (0);
}

static void
store_txn_after_drop(struct store_txn *t)
{
	int	 i;

	for (i = 0; i < t->nafter; i++)
		free(t->after[i].arg);
	t->nafter = 0;
}

static int
store_txn_after_run(struct store_txn *t, char **cause)
{
	int	 i, rc = 0;

	for (i = 0; i < t->nafter; i++) {
		if (rc == 0)
			rc = t->after[i].fn(t->store, t->after[i].arg, cause);
		free(t->after[i].arg);
	}
	t->nafter = 0;
	return (rc);
}

/*
 * Whether a change committed since the last call was not confirmed by
 * the other sites in time: 1 with the sentence to show, once.
 */
int
store_unconfirmed(struct store *s, char **cause)
{
	if (s == NULL || !atomic_exchange(&s->unconfirmed, 0))
		return (0);
	err_set(cause, _("This change is saved at this site only: the other "
	    "sites did not confirm it in time, so it could be lost if this "
	    "site fails before they catch up. Check 'dossier site status'."));
	return (1);
}

/*
 * A reading whose only write is its audit entry (a sign-in, a witness
 * seen, an export): kept at this master alone when the other sites do
 * not confirm it in time, rather than refused.  Otherwise a pair whose
 * replica is down would let no one sign in, not even to see why.
 */
void
store_txn_local_ok(struct store_txn *t)
{
	t->local_ok = 1;
}

/*
 * Whether this transaction's audit entries go to the master: a replica
 * whose replication process runs and knows a master.  Anywhere else
 * they are written here (or refused, as any change).
 */
int
store_txn_forwards(struct store_txn *t)
{
	return (t->role.known && !t->role.master && t->role.eid >= 0);
}

/* Whether this transaction may write here: 0, or a refusal. */
int
store_txn_writable(struct store_txn *t, char **cause)
{
	if (t->store->site == NULL)
		return (0);
	return (store_site_writable_as(t->store, &t->role, cause));
}

/* This site's HOST:PORT and its master's ("" if none was known). */
void
store_txn_addrs(struct store_txn *t, char *self, char *master, size_t len)
{
	store_site_self(t->store, self, len);
	snprintf(master, len, "%s", t->role.addr);
}

/* Whether a change now would be confirmed by enough sites (or needs none). */
int
store_txn_confirmable(struct store_txn *t)
{
	struct store	*s = t->store;

	if (s->site == NULL || !s->rep_started || s->env == NULL)
		return (1);
	return (store_site_confirmable_as(s, &t->role));
}

/*
 * A transaction that only reads, over many pages: its reads keep no lock
 * on a page once they have left it (degree 2 isolation,
 * DB_READ_COMMITTED), where a whole-table scan otherwise keeps one lock a
 * page until it ends and runs out of the lock table (50,000 locks:
 * 'dossier check' and the statistics at 1,000,000 cases).  It sees what
 * others commit while it reads; it must not write.
 */
void
store_txn_read_committed(struct store_txn *t)
{
	t->loose = 1;
}

struct store *
store_txn_store(struct store_txn *t)
{
	return (t->store);
}

/* A number no other transaction (or attempt) of the process has. */
uint64_t
store_txn_serial(const struct store_txn *t)
{
	return (t->serial);
}

/*
 * A table that is not open: 'site join' has none until the group's copy
 * is here (store_join_table()).  Reading or writing one is an error, not
 * a crash: a join that an election made master for a moment would go to
 * write its proof into meta (store-auth.c).
 */
static int
store_table_absent(struct store_txn *t, enum store_table table, char **cause)
{
	if (t->store->db[table] != NULL)
		return (0);
	return (err_set(cause, _("%s is still being copied from its group: "
	    "it has no %s table yet."), t->store->dir,
	    store_table_name(table)));
}

/*
 * Before table is read or a key of it deleted: the puts the transaction
 * queued for the write-behind thread, or gathered into it, are made.
 */
static int
store_txn_settle(struct store_txn *t, enum store_table table, char **cause)
{
	int	 rc;

	if ((rc = store_table_absent(t, table, cause)) != 0)
		return (rc);
	if (t->behind != NULL && (rc = store_behind_wait(t, cause)) != 0)
		return (rc);
	if (t->gather != NULL && store_gather_table(table))
		return (store_gather_flush(t, cause));
	return (0);
}

int
store_get(struct store_txn *t, enum store_table table, const void *key,
    size_t klen, uint8_t **val, size_t *vlen, char **cause)
{
	DB	*db = t->store->db[table];
	DBT	 k, v;
	int	 ret, rc;

	*val = NULL;
	if ((rc = store_txn_settle(t, table, cause)) != 0)
		return (rc);
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.data = (void *)key;
	k.size = (u_int32_t)klen;
	v.flags = DB_DBT_MALLOC;
	if ((ret = db->get(db, t->txn, &k, &v, t->loose ?
	    DB_READ_COMMITTED : 0)) != 0) {
		*val = NULL;
		return (store_read_error(t, table, ret, cause));
	}
	*val = v.data;
	*vlen = v.size;
	return (0);
}

int
store_put(struct store_txn *t, enum store_table table, const void *key,
    size_t klen, const void *val, size_t vlen, int flags, char **cause)
{
	int	 rc;

	if (t->loose)	/* store_txn_read_committed(): a reading only */
		return (err_set(cause, _("Internal error: a write in a "
		    "transaction that only reads; nothing was saved.")));
	if ((rc = store_txn_writable(t, cause)) != 0) {
		if (rc == STORE_RETRY)
			t->dead = 1;
		return (rc);
	}
	if ((rc = store_table_absent(t, table, cause)) != 0)
		return (rc);
	t->wrote = 1;
	if (t->behind != NULL)
		return (store_behind_add(t, 0, table, key, klen, val, vlen,
		    flags, cause));
	if (flags == 0 && store_gather_table(table))
		return (store_gather_add(t, table, key, klen, val, vlen));
	return (store_put_now(t, table, key, klen, val, vlen, flags, cause));
}

/* The put itself, in the caller's thread or the write-behind thread. */
int
store_put_now(struct store_txn *t, enum store_table table, const void *key,
    size_t klen, const void *val, size_t vlen, int flags, char **cause)
{
	DB	*db = t->store->db[table];
	DBT	 k, v;
	int	 ret;

	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.data = (void *)key;
	k.size = (u_int32_t)klen;
	v.data = (void *)val;
	v.size = (u_int32_t)vlen;
	ret = db->put(db, t->txn, &k, &v,
	    (flags & STORE_NOOVERWRITE) ? DB_NOOVERWRITE : 0);
	if (ret != 0)
		return (store_terror(t, ret, _("writing"), cause));
	return (0);
}

/*
 * n puts into one table at once, their keys in increasing order (so no
 * key twice): one bulk put (DB_MULTIPLE_KEY), which a compressed table
 * merges in one pass instead of rewriting a chunk for each key.
 */
int
store_put_many_now(struct store_txn *t, enum store_table table, size_t n,
    const uint8_t *const *keys, const size_t *klens,
    const uint8_t *const *vals, const size_t *vlens, char **cause)
{
	DB	*db = t->store->db[table];
	DBT	 bulk;
	void	*p;
	size_t	 size = 1024, i;
	int	 ret;

	for (i = 0; i < n; i++)
		size += klens[i] + vlens[i] + 4 * sizeof(u_int32_t) + 8;
	size = (size + 1023) & ~(size_t)1023;
	memset(&bulk, 0, sizeof bulk);
	bulk.data = xmalloc(size);
	bulk.ulen = (u_int32_t)size;
	bulk.flags = DB_DBT_USERMEM | DB_DBT_BULK;
	DB_MULTIPLE_WRITE_INIT(p, &bulk);
	for (i = 0; i < n; i++) {
		DB_MULTIPLE_KEY_WRITE_NEXT(p, &bulk, keys[i], klens[i],
		    vals[i], vlens[i]);
		if (p == NULL) {
			free(bulk.data);
			return (err_set(cause, _("Internal error: a bulk write "
			    "did not fit; nothing was saved.")));
		}
	}
	ret = db->put(db, t->txn, &bulk, NULL, DB_MULTIPLE_KEY);
	free(bulk.data);
	if (ret != 0)
		return (store_terror(t, ret, _("writing"), cause));
	return (0);
}

int
store_del(struct store_txn *t, enum store_table table, const void *key,
    size_t klen, char **cause)
{
	int	 rc;

	if ((rc = store_txn_writable(t, cause)) != 0) {
		if (rc == STORE_RETRY)
			t->dead = 1;
		return (rc);
	}
	if ((rc = store_txn_settle(t, table, cause)) != 0)
		return (rc);
	t->wrote = 1;
	return (store_del_now(t, table, key, klen, cause));
}

/*
 * The same where the key may be absent (0 then): with write-behind on,
 * it is queued as a put is, since nothing waits for its answer.
 */
int
store_del_any(struct store_txn *t, enum store_table table, const void *key,
    size_t klen, char **cause)
{
	int	 rc;

	if ((rc = store_txn_writable(t, cause)) != 0) {
		if (rc == STORE_RETRY)
			t->dead = 1;
		return (rc);
	}
	if ((rc = store_table_absent(t, table, cause)) != 0)
		return (rc);
	t->wrote = 1;
	if (t->behind != NULL)
		return (store_behind_add(t, 1, table, key, klen, NULL, 0, 0,
		    cause));
	if ((rc = store_txn_settle(t, table, cause)) != 0)
		return (rc);
	rc = store_del_now(t, table, key, klen, cause);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		rc = 0;
	}
	return (rc);
}

int
store_del_now(struct store_txn *t, enum store_table table, const void *key,
    size_t klen, char **cause)
{
	DB	*db = t->store->db[table];
	DBT	 k;
	int	 ret;

	memset(&k, 0, sizeof k);
	k.data = (void *)key;
	k.size = (u_int32_t)klen;
	if ((ret = db->del(db, t->txn, &k, 0)) != 0)
		return (store_terror(t, ret, _("deleting"), cause));
	return (0);
}

/*
 * Call fn for every key starting with prefix, in key order; fn returns 0
 * to go on, 1 to stop, or a negative error that is passed back.
 */
int
store_scan(struct store_txn *t, enum store_table table, const void *prefix,
    size_t plen, store_scan_fn fn, void *arg, char **cause)
{
	return (store_scan_at(t, table, prefix, plen, plen, fn, arg, cause));
}

/* The same from key start (or the first after it) to the end. */
int
store_scan_from(struct store_txn *t, enum store_table table,
    const void *start, size_t slen, store_scan_fn fn, void *arg,
    char **cause)
{
	return (store_scan_at(t, table, start, slen, 0, fn, arg, cause));
}

/* From start; only keys whose first plen bytes are start's. */
static int
store_scan_at(struct store_txn *t, enum store_table table, const void *prefix,
    size_t slen, size_t plen, store_scan_fn fn, void *arg, char **cause)
{
	DB	*db = t->store->db[table];
	DBC	*c;
	DBT	 k, v;
	int	 ret, rc = 0;
	u_int32_t flag;

	if ((rc = store_txn_settle(t, table, cause)) != 0)
		return (rc);
	if ((ret = db->cursor(db, t->txn, &c, t->loose ? DB_READ_COMMITTED :
	    0)) != 0)
		return (store_read_error(t, table, ret, cause));
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.flags = DB_DBT_REALLOC;
	v.flags = DB_DBT_REALLOC;
	if (slen != 0) {
		k.data = xmalloc(slen);
		memcpy(k.data, prefix, slen);
		k.size = (u_int32_t)slen;
		flag = DB_SET_RANGE;
	} else
		flag = DB_FIRST;
	for (;;) {
		if ((ret = c->get(c, &k, &v, flag)) != 0) {
			if (ret != DB_NOTFOUND)
				rc = store_read_error(t, table, ret, cause);
			break;
		}
		flag = DB_NEXT;
		if (plen != 0 && (k.size < plen ||
		    memcmp(k.data, prefix, plen) != 0))
			break;
		if ((rc = fn(k.data, k.size, v.data, v.size, arg)) != 0) {
			if (rc > 0)
				rc = 0;
			break;
		}
	}
	c->close(c);
	free(k.data);
	if (v.data != NULL)
		wipe(v.data, v.size);
	free(v.data);
	return (rc);
}

/*
 * Call fn for every key starting with prefix, in key order, without
 * its value (fn gets NULL and 0): keys are read from Berkeley DB in bulk
 * (DB_MULTIPLE_KEY, a page's worth at a time), which walks an index of
 * 100,000 short keys in a few milliseconds where a cursor step per key
 * takes ten times as long.  fn returns 0 to go on, 1 to stop, or a
 * negative error that is passed back.
 */
#define STORE_BULK	(256 * 1024)
static int	store_scan_bulk(struct store_txn *, enum store_table,
		    const void *, size_t, size_t, int, store_scan_fn, void *,
		    char **);

int
store_scan_keys(struct store_txn *t, enum store_table table,
    const void *prefix, size_t plen, store_scan_fn fn, void *arg,
    char **cause)
{
	return (store_scan_bulk(t, table, prefix, plen, plen, 0, fn, arg,
	    cause));
}

/* The same from key start (or the first after it), only the keys whose
 * first plen bytes are start's: a walk resumed where it stopped. */
int
store_scan_keys_at(struct store_txn *t, enum store_table table,
    const void *start, size_t slen, size_t plen, store_scan_fn fn, void *arg,
    char **cause)
{
	return (store_scan_bulk(t, table, start, slen, plen, 0, fn, arg,
	    cause));
}

/* The same with the values, read in bulk too (statistics digests). */
int
store_scan_values(struct store_txn *t, enum store_table table,
    const void *prefix, size_t plen, store_scan_fn fn, void *arg,
    char **cause)
{
	return (store_scan_bulk(t, table, prefix, plen, plen, 1, fn, arg,
	    cause));
}

static int
store_scan_bulk(struct store_txn *t, enum store_table table,
    const void *prefix, size_t slen, size_t plen, int values,
    store_scan_fn fn, void *arg, char **cause)
{
	DB		*db = t->store->db[table];
	DBC		*c;
	DBT		 k, v;
	void		*p, *kd, *vd;
	u_int32_t	 kl, vl, flag;
	int		 ret, rc = 0, done = 0;

	if ((rc = store_txn_settle(t, table, cause)) != 0)
		return (rc);
	if ((ret = db->cursor(db, t->txn, &c, t->loose ? DB_READ_COMMITTED :
	    0)) != 0)
		return (store_read_error(t, table, ret, cause));
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	v.data = xmalloc(STORE_BULK);
	v.ulen = STORE_BULK;
	v.flags = DB_DBT_USERMEM;
	k.flags = DB_DBT_REALLOC;
	if (slen != 0) {
		k.data = xmalloc(slen);
		memcpy(k.data, prefix, slen);
		k.size = (u_int32_t)slen;
		flag = DB_SET_RANGE;
	} else
		flag = DB_FIRST;
	while (!done) {
		ret = c->get(c, &k, &v, flag | DB_MULTIPLE_KEY);
		if (ret == DB_BUFFER_SMALL && v.size > v.ulen) {
			/* One value larger than the buffer: a larger one. */
			v.ulen = v.size + STORE_BULK;
			v.data = xrealloc(v.data, v.ulen);
			continue;
		}
		if (ret != 0) {
			if (ret != DB_NOTFOUND)
				rc = store_read_error(t, table, ret, cause);
			break;
		}
		flag = DB_NEXT;
		DB_MULTIPLE_INIT(p, &v);
		for (;;) {
			DB_MULTIPLE_KEY_NEXT(p, &v, kd, kl, vd, vl);
			if (p == NULL)
				break;
			if (plen != 0 && (kl < plen ||
			    memcmp(kd, prefix, plen) != 0)) {
				done = 1;
				break;
			}
			if ((rc = fn(kd, kl, values ? vd : NULL, values ? vl :
			    0, arg)) != 0) {
				if (rc > 0)
					rc = 0;
				done = 1;
				break;
			}
		}
	}
	c->close(c);
	free(k.data);
	if (values)
		wipe(v.data, v.ulen);
	free(v.data);
	return (rc);
}

/*
 * The keys under prefix from the last backwards, one at a time (a bulk
 * read goes forwards only): from the last key before before (blen 0:
 * from the prefix's last key).  fn gets no value; a fn that returns
 * above 0 stops the walk.
 */
int
store_scan_keys_back(struct store_txn *t, enum store_table table,
    const void *prefix, size_t plen, const void *before, size_t blen,
    store_scan_fn fn, void *arg, char **cause)
{
	DB		*db = t->store->db[table];
	DBC		*c;
	DBT		 k, v;
	uint8_t		*end;
	size_t		 elen, i;
	int		 ret, rc = 0;

	if ((rc = store_txn_settle(t, table, cause)) != 0)
		return (rc);
	if ((ret = db->cursor(db, t->txn, &c, t->loose ? DB_READ_COMMITTED :
	    0)) != 0)
		return (store_read_error(t, table, ret, cause));
	/* Where to stand: the first key at or past the bound, then back. */
	if (blen != 0) {
		end = xmalloc(blen);
		memcpy(end, before, blen);
		elen = blen;
	} else {
		/* Past every key under the prefix: the prefix plus one. */
		end = xmalloc(plen + 1);
		memcpy(end, prefix, plen);
		elen = plen;
		for (i = plen; i > 0 && end[i - 1] == 0xff; i--)
			elen--;
		if (elen > 0)
			end[elen - 1]++;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.flags = DB_DBT_REALLOC;
	v.flags = DB_DBT_PARTIAL;	/* keys only */
	k.data = end;
	k.size = (u_int32_t)elen;
	ret = elen == 0 ? DB_NOTFOUND : c->get(c, &k, &v, DB_SET_RANGE);
	if (ret == 0)
		ret = c->get(c, &k, &v, DB_PREV);
	else if (ret == DB_NOTFOUND)
		ret = c->get(c, &k, &v, DB_LAST);
	while (ret == 0) {
		if (k.size < plen || memcmp(k.data, prefix, plen) != 0)
			break;
		if ((rc = fn(k.data, k.size, NULL, 0, arg)) != 0) {
			if (rc > 0)
				rc = 0;
			break;
		}
		ret = c->get(c, &k, &v, DB_PREV);
	}
	if (ret != 0 && ret != DB_NOTFOUND && rc == 0)
		rc = store_read_error(t, table, ret, cause);
	c->close(c);
	free(k.data);
	return (rc);
}

/* Next value of a named counter in the meta table (starts at 1). */
int
store_next_id(struct store_txn *t, const char *name, uint64_t *id,
    char **cause)
{
	char		*key;
	uint8_t		*v, buf[8];
	size_t		 len;
	uint64_t	 next = 1;
	int		 rc;

	xasprintf(&key, "seq.%s", name);
	rc = store_get(t, STORE_META, key, strlen(key), &v, &len, cause);
	if (rc == 0) {
		if (len == 8)
			next = get_be64(v) + 1;
		free(v);
	} else if (rc != STORE_NOTFOUND) {
		free(key);
		return (rc);
	}
	put_be64(buf, next);
	rc = store_put(t, STORE_META, key, strlen(key), buf, 8, 0, cause);
	free(key);
	if (rc == 0)
		*id = next;
	return (rc);
}

/* Set a named counter (a batch that gave numbers itself, in order). */
int
store_set_id(struct store_txn *t, const char *name, uint64_t id,
    char **cause)
{
	char	*key;
	uint8_t	 buf[8];
	int	 rc;

	xasprintf(&key, "seq.%s", name);
	put_be64(buf, id);
	rc = store_put(t, STORE_META, key, strlen(key), buf, 8, 0, cause);
	free(key);
	return (rc);
}

/* The last number store_next_id() gave for name (0: none yet). */
int
store_last_id(struct store_txn *t, const char *name, uint64_t *id,
    char **cause)
{
	char		*key;
	uint8_t		*v;
	size_t		 len;
	int		 rc;

	*id = 0;
	xasprintf(&key, "seq.%s", name);
	rc = store_get(t, STORE_META, key, strlen(key), &v, &len, cause);
	free(key);
	if (rc == STORE_NOTFOUND) {
		err_clear(cause);
		return (0);
	}
	if (rc != 0)
		return (rc);
	if (len == 8)
		*id = get_be64(v);
	free(v);
	return (0);
}

/*
 * Verify every table file.  DB->verify takes no locks, so the caller must
 * make sure no other process uses the environment.
 */
int
store_verify(const char *dir, char **cause)
{
	DB	*db;
	char	*path;
	int	 i, ret;

	for (i = 0; i < STORE_NTABLES; i++) {
		if ((ret = db_create(&db, NULL, 0)) != 0)
			return (err_set(cause, "%s", db_strerror(ret)));
		xasprintf(&path, "%s/%s.db", dir, store_names[i]);
		store_errbuf[0] = '\0';
		db->set_errcall(db, store_errcall);
		/* verify() always destroys the handle. */
		ret = db->verify(db, path, NULL, NULL, 0);
		if (ret != 0) {
			err_set(cause, _("The table %s fails verification (%s%s%s)."),
			    path, db_strerror(ret),
			    store_errbuf[0] != '\0' ? ": " : "", store_errbuf);
			free(path);
			return (-1);
		}
		free(path);
	}
	return (0);
}

/*
 * 'dossier check': verify every table file, which Berkeley DB can only do
 * safely when no other process uses the environment.  Take the data
 * directory alone (an exclusive flock on meta.db, refused while any
 * dossier process holds its shared one), flush everything to the files
 * with a forced checkpoint, close, verify, and let go.
 */
int
store_check(const char *dir, char **cause)
{
	struct store	*s;
	char		*path;
	int		 fd, rc;

	xasprintf(&path, "%s/%s", dir, STORE_MARKER);
	fd = open(path, O_RDONLY|O_CLOEXEC);
	free(path);
	if (fd == -1)
		return (err_set(cause, _("%s is not a dossier data directory "
		    "(no %s)."), dir, STORE_MARKER));
	if (flock(fd, LOCK_EX|LOCK_NB) != 0) {
		close(fd);
		return (err_set(cause, _("Other dossier processes are using %s; "
		    "run 'dossier check' when they are done."), dir));
	}
	/*
	 * Alone: the environment is recovered and made again, with the
	 * settings of DB_CONFIG as they are now (an older version's, brought
	 * to today's by store_config_upgrade(), or an administrator's).
	 */
	store_config_upgrade(dir);
	if (store_recover_alone(dir, cause) != 0 ||
	    store_open(&s, dir, STORE_NOLOCK, cause) != 0) {
		close(fd);
		return (-1);
	}
	s->env->txn_checkpoint(s->env, 0, 0, DB_FORCE);
	s->env->memp_sync(s->env, NULL);
	store_close(s);
	rc = store_verify(dir, cause);
	close(fd);
	return (rc);
}

/*
 * A hot backup of the open environment into target, an empty directory
 * the caller made: a forced checkpoint, then Berkeley DB's own copy of
 * every table followed by the log files (DB_ENV->backup, which keeps
 * the logs from being removed meanwhile), and the DB_CONFIG that goes
 * with them.  The tables were copied while other processes wrote to
 * them, so the copy is brought to one instant by catastrophic recovery
 * (store_recover) and each table is verified.  The copy is as encrypted
 * as the original and opens with --data.
 */
int
store_backup(struct store *s, const char *target, char **cause)
{
	int	 ret;

	if (store_write_config(target, cause) != 0)
		return (-1);
	s->env->txn_checkpoint(s->env, 0, 0, DB_FORCE);
	store_errbuf[0] = '\0';
	if ((ret = s->env->backup(s->env, target, 0)) != 0)
		return (err_set(cause, _("The backup into %s failed: %s%s%s."),
		    target, db_strerror(ret), store_errbuf[0] != '\0' ? ": " :
		    "", store_errbuf));
	if (store_recover(target, cause) != 0 || store_verify(target, cause) != 0)
		return (-1);
	return (0);
}

/*
 * Catastrophic recovery of a copied environment (a hot backup needs it:
 * normal recovery never replays a hot copy's logs), in a private region
 * that leaves no files behind, then a checkpoint.  Nothing else may use
 * dir meanwhile.
 */
int
store_recover(const char *dir, char **cause)
{
	DB_ENV	*env;
	int	 ret;

	if ((ret = db_env_create(&env, 0)) != 0)
		return (err_set(cause, _("Cannot create a database "
		    "environment: %s."), db_strerror(ret)));
	env->set_errcall(env, store_errcall);
	store_errbuf[0] = '\0';
	ret = env->open(env, dir, DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK |
	    DB_INIT_LOG | DB_INIT_MPOOL | DB_PRIVATE | DB_RECOVER_FATAL, 0660);
	if (ret == 0)
		ret = env->txn_checkpoint(env, 0, 0, DB_FORCE);
	env->close(env, 0);
	if (ret != 0)
		return (err_set(cause, _("Berkeley DB cannot recover the copy in "
		    "%s from its log (%s%s%s): the backup is damaged or "
		    "incomplete."), dir, db_strerror(ret), store_errbuf[0] !=
		    '\0' ? ": " : "", store_errbuf));
	return (0);
}
