/*
 * store-group.c: the operations on a replication group that a person
 * runs ('dossier site init, join, status, remove, promote') and the
 * master's heartbeat, by which replicas measure their lag.  The design
 * is in store-site.c.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "store-int.h"
#include "store-site.h"
#include "util.h"

/*
 * 'dossier site init': make an existing store the first site of a group.
 * Its environment was made without replication, so it is recovered and
 * its regions removed while no other process has it open; the next open
 * makes them again with DB_INIT_REP.
 */
int
store_site_init(const char *dir, const char *listen, const char *acks,
    char **cause)
{
	struct store_site	 site;
	struct stat		 sb;
	char			*path;
	int			 fd, rc;

	memset(&site, 0, sizeof site);
	if (site_parse_addr(listen, &site.self) != 0)
		return (err_set(cause, _("'%s' is not an address: write "
		    "HOST:PORT, such as 10.0.0.1:6100."), listen));
	site.acks = DB_REPMGR_ACKS_QUORUM;
	if (acks != NULL && store_site_acks_parse(acks, &site.acks) != 0)
		return (err_set(cause, _("--acks takes quorum, all, one or "
		    "none.")));
	site.creator = 1;
	site.ack_timeout = 10000;
	site.heartbeat = 10;
	site.priority = 100;
	site.bulk = 0;
	xasprintf(&path, "%s/%s", dir, SITE_CONF);
	rc = stat(path, &sb);
	free(path);
	if (rc == 0)
		return (err_set(cause, _("%s is already a site of a replication "
		    "group (it has %s)."), dir, SITE_CONF));
	xasprintf(&path, "%s/%s", dir, STORE_MARKER);
	fd = open(path, O_RDONLY|O_CLOEXEC);
	free(path);
	if (fd == -1)
		return (err_set(cause, _("%s is not a dossier data directory "
		    "(no %s)."), dir, STORE_MARKER));
	if (flock(fd, LOCK_EX|LOCK_NB) != 0) {
		close(fd);
		return (err_set(cause, _("Other dossier processes are using %s; "
		    "run 'dossier site init' when they are done."), dir));
	}
	if ((rc = store_recover_alone(dir, cause)) == 0 &&
	    (rc = site_key_create(dir, cause)) == 0 &&
	    (rc = site_write(dir, &site, cause)) != 0) {
		xasprintf(&path, "%s/%s", dir, SITE_KEY);
		unlink(path);
		free(path);
	}
	close(fd);
	return (rc);
}

/*
 * 'dossier site join': make a new or empty directory a replica.  This
 * process starts as the replication process of the new site, asks the
 * peer for the group and waits until the master's files and log have
 * been copied here, then closes; 'dossier serve' takes over from there.
 */
int
store_site_join(const char *dir, const char *listen, const char *peer,
    const char *keyfile, const char *acks, u_int wait,
    void (*progress)(const char *), char **cause)
{
	struct store_site	 site;
	struct store		*s;
	DB_REP_STAT		*sp;
	time_t			 start = time(NULL), said = 0;
	int			 done = 0, synced = 0;

	memset(&site, 0, sizeof site);
	if (site_parse_addr(listen, &site.self) != 0)
		return (err_set(cause, _("'%s' is not an address: write "
		    "HOST:PORT, such as 10.0.0.1:6100."), listen));
	if (site_parse_addr(peer, &site.peers[0]) != 0)
		return (err_set(cause, _("'%s' is not an address: write "
		    "HOST:PORT, such as 10.0.0.1:6100."), peer));
	site.npeers = 1;
	site.acks = DB_REPMGR_ACKS_QUORUM;
	if (acks != NULL && store_site_acks_parse(acks, &site.acks) != 0)
		return (err_set(cause, _("--acks takes quorum, all, one or "
		    "none.")));
	site.ack_timeout = 10000;
	site.heartbeat = 10;
	site.priority = 100;
	site.bulk = 0;
	if (site_key_check(keyfile, cause) != 0 ||
	    store_check_dir(dir, STORE_CREATE, cause) != 0 ||
	    store_write_config(dir, cause) != 0 ||
	    site_key_install(dir, keyfile, cause) != 0 ||
	    site_write(dir, &site, cause) != 0)
		return (-1);
	if (store_open(&s, dir, STORE_JOIN, cause) != 0)
		return (-1);
	while (!done && (u_int)(time(NULL) - start) < wait) {
		if (store_site_auth_poll(s, cause) != 0 ||
		    (!synced && (synced = store_site_auth_sync(s, cause)) < 0)) {
			store_close(s);
			return (-1);
		}
		if (atomic_load(&s->rep_removed)) {
			store_close(s);
			return (err_set(cause, _("The group removed %s: the site "
			    "at %s did not accept its proof of the group key. "
			    "Is %s the file site.key of that group?"), dir, peer,
			    keyfile));
		}
		if (!synced)
			done = 0;
		else if (atomic_load(&s->rep_startup))
			done = 1;
		else if (s->env->rep_stat(s->env, &sp, 0) == 0) {
			done = sp->st_startup_complete != 0;
			free(sp);
		}
		/* Leaving before the master heard our proof would get this
		 * site removed as a stranger. */
		if (done && !store_site_auth_done(s))
			done = 0;
		if (!done && progress != NULL && time(NULL) - said >= 10) {
			progress(_("copying from the group..."));
			said = time(NULL);
		}
		if (!done)
			usleep(200000);
	}
	store_close(s);
	if (!done)
		return (err_set(cause, _("%s did not catch up with the group "
		    "within %u seconds; it goes on when 'dossier serve' runs "
		    "there."), dir, wait));
	return (0);
}

static void	site_remove_serve(struct store *);

#define SITE_STATE	"site.state"

/*
 * site.state: what 'dossier serve' sees of the other sites, rewritten
 * every second ("HOST:PORT connected|down LAST-SEEN"); the first line is
 * the time it was written.
 */
static void
site_state_read(struct store *s, struct store_site_status *st)
{
	FILE		*f;
	char		*path, line[400], addr[300], how[16];
	long long	 seen;
	int		 first = 1;

	xasprintf(&path, "%s/%s", s->dir, SITE_STATE);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (first) {
			st->state_time = strtoll(line, NULL, 10);
			first = 0;
			continue;
		}
		if (st->nsites == STORE_SITE_MAX ||
		    sscanf(line, "%299s %15s %lld", addr, how, &seen) != 3)
			continue;
		snprintf(st->sites[st->nsites].addr, sizeof st->sites[0].addr,
		    "%s", addr);
		st->sites[st->nsites].connected = strcmp(how, "connected") == 0;
		st->sites[st->nsites].seen = seen;
		st->nsites++;
	}
	fclose(f);
}

static int
site_noop_txn(struct store_txn *t, void *arg, char **cause)
{
	return (0);
}

/*
 * 'dossier serve', every second: reopen the environment if another
 * process ran recovery (a process killed at this site), which also
 * starts replication again; keep the acknowledgement policy fit for the
 * group's size; write site.state.
 */
int
store_site_poll(struct store *s, char **cause)
{
	if (store_run(s, site_noop_txn, NULL, cause) != 0)
		return (-1);
	if (s->rep_started)
		store_site_policy(s);
	if (store_site_auth_poll(s, cause) != 0)
		return (STORE_STOP);
	site_remove_serve(s);
	return (store_site_state_write(s, cause));
}

int
store_site_state_write(struct store *s, char **cause)
{
	DB_REPMGR_SITE	*list;
	char		*text, *more, addr[300];
	u_int		 n, i;
	int		 j, rc;
	int64_t		 t = (int64_t)time(NULL), seen;

	if (s->site == NULL || s->env == NULL ||
	    s->env->repmgr_site_list(s->env, &n, &list) != 0)
		return (0);
	xasprintf(&text, "%lld\n", (long long)t);
	for (i = 0; i < n; i++) {
		snprintf(addr, sizeof addr, "%s:%u", list[i].host, list[i].port);
		for (j = 0; j < s->rep_nknown &&
		    strcmp(s->rep_known[j].addr, addr) != 0; j++)
			;
		if (j == s->rep_nknown && j < STORE_SITE_MAX) {
			snprintf(s->rep_known[j].addr,
			    sizeof s->rep_known[j].addr, "%s", addr);
			s->rep_known[j].seen = 0;
			s->rep_nknown++;
		}
		if (list[i].status == DB_REPMGR_CONNECTED && j < s->rep_nknown)
			s->rep_known[j].seen = t;
		seen = j < s->rep_nknown ? s->rep_known[j].seen : 0;
		xasprintf(&more, "%s%s %s %lld\n", text, addr, list[i].status ==
		    DB_REPMGR_CONNECTED ? "connected" : "down", (long long)seen);
		free(text);
		text = more;
	}
	free(list);
	rc = site_file_write(s->dir, SITE_STATE, text, 0660, cause);
	free(text);
	return (rc);
}

int
store_site_status(struct store *s, struct store_site_status *st,
    char **cause)
{
	DB_REP_STAT	*sp;
	DB_REPMGR_SITE	*list = NULL;
	DB_SITE		*dbsite;
	const char	*host;
	u_int		 n = 0, i, port;
	int		 ret;

	memset(st, 0, sizeof *st);
	if (s->site == NULL)
		return (0);
	st->replicated = 1;
	st->running = site_serve_running(s) || (s->flags & STORE_SERVE);
	st->acks = site_acks_name(s->site->acks);
	st->heartbeat = s->site->heartbeat;
	snprintf(st->self, sizeof st->self, "%s:%u", s->site->self.host,
	    s->site->self.port);
	if ((ret = s->env->rep_stat(s->env, &sp, 0)) != 0)
		return (err_set(cause, _("Cannot read the replication state: "
		    "%s."), db_strerror(ret)));
	st->master = sp->st_status == DB_REP_MASTER;
	st->caught_up = st->master || sp->st_startup_complete != 0;
	st->lsn_file = sp->st_next_lsn.file;
	st->lsn_offset = sp->st_next_lsn.offset;
	st->queued = sp->st_log_queued;
	site_eid_addr(s, (int)sp->st_master, st->master_addr,
	    sizeof st->master_addr);
	if (st->master)
		snprintf(st->master_addr, sizeof st->master_addr, "%s", st->self);
	free(sp);
	if (s->env->repmgr_local_site(s->env, &dbsite) == 0) {
		if (dbsite->get_address(dbsite, &host, &port) == 0)
			snprintf(st->self, sizeof st->self, "%s:%u", host, port);
		dbsite->close(dbsite);
	}
	/* Only the replication process knows the connections. */
	if (s->flags & STORE_SERVE) {
		if (s->env->repmgr_site_list(s->env, &n, &list) == 0) {
			for (i = 0; i < n && st->nsites < STORE_SITE_MAX; i++) {
				snprintf(st->sites[st->nsites].addr,
				    sizeof st->sites[0].addr, "%s:%u",
				    list[i].host, list[i].port);
				st->sites[st->nsites].connected =
				    list[i].status == DB_REPMGR_CONNECTED;
				st->nsites++;
			}
			free(list);
		}
	} else
		site_state_read(s, st);
	return (store_site_beat_read(s, &st->beat, cause));
}

/* Take a site out of the group; at the master. */
#define SITE_REMOVE		"site.remove"	/* a request to serve */
#define SITE_REMOVE_DONE	"site.remove.done"	/* its answer */
#define SITE_REMOVE_WAIT	30	/* seconds */

/* Read and delete such a file: its text (malloc'd), or NULL. */
static char *
site_file_take(struct store *s, const char *name)
{
	char	*path, buf[600], *nl;
	ssize_t	 n;
	int	 fd;

	xasprintf(&path, "%s/%s", s->dir, name);
	fd = open(path, O_RDONLY|O_NOFOLLOW|O_CLOEXEC);
	if (fd == -1) {
		free(path);
		return (NULL);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	unlink(path);
	free(path);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	return (xstrdup(buf));
}

/*
 * 'dossier site remove': Berkeley DB accepts a removal only from the
 * replication process, so the command leaves the address to 'dossier
 * serve' (site.remove) and waits for its answer (site.remove.done: "ok"
 * or the sentence of its failure).
 */
int
store_site_remove(struct store *s, const char *addr, char **cause)
{
	struct site_addr	 a;
	char			*answer, *req;
	int			 i;

	if (site_parse_addr(addr, &a) != 0)
		return (err_set(cause, _("'%s' is not an address: write "
		    "HOST:PORT, such as 10.0.0.1:6100."), addr));
	if (s->site == NULL)
		return (err_set(cause, _("This data directory is not a site of "
		    "a replication group.")));
	if (store_site_writable(s, cause) != 0)
		return (-1);
	free(site_file_take(s, SITE_REMOVE_DONE));
	xasprintf(&req, "%s:%u\n", a.host, a.port);
	i = site_file_write(s->dir, SITE_REMOVE, req, 0660, cause);
	free(req);
	if (i != 0)
		return (-1);
	for (i = 0; i < SITE_REMOVE_WAIT * 5; i++) {
		if ((answer = site_file_take(s, SITE_REMOVE_DONE)) != NULL) {
			if (strcmp(answer, "ok") == 0) {
				free(answer);
				return (0);
			}
			err_set(cause, "%s", answer);
			free(answer);
			return (-1);
		}
		usleep(200000);
	}
	free(site_file_take(s, SITE_REMOVE));
	return (err_set(cause, _("'dossier serve' did not take the removal "
	    "within %d seconds: nothing was removed."), SITE_REMOVE_WAIT));
}

/* 'dossier serve', every second: a removal asked by 'site remove'. */
static void
site_remove_serve(struct store *s)
{
	struct site_addr	 a;
	DB_REPMGR_SITE		*list;
	DB_SITE			*dbsite;
	char			*addr, *answer = NULL, *cause = NULL;
	u_int			 n, i;
	int			 ret, master, eid, found = 0;

	if ((addr = site_file_take(s, SITE_REMOVE)) == NULL)
		return;
	if (site_parse_addr(addr, &a) != 0)
		xasprintf(&answer, _("'%s' is not an address: write HOST:PORT, "
		    "such as 10.0.0.1:6100."), addr);
	else if (site_role(s, &master, &eid) != 0 || !master)
		xasprintf(&answer, "%s", _("This site is not the master (any "
		    "more): nothing was removed."));
	else if (s->env->repmgr_site_list(s->env, &n, &list) == 0) {
		for (i = 0; i < n; i++)
			found |= strcmp(list[i].host, a.host) == 0 &&
			    list[i].port == a.port;
		free(list);
	}
	if (answer == NULL && !found)
		xasprintf(&answer, _("%s is not a site of this group."), addr);
	if (answer == NULL) {
		/* remove() closes the handle, whatever it returns. */
		if ((ret = s->env->repmgr_site(s->env, a.host, a.port,
		    &dbsite, 0)) == 0)
			ret = dbsite->remove(dbsite);
		if (ret != 0)
			xasprintf(&answer, _("Cannot remove %s from the group: "
			    "%s."), addr, db_strerror(ret));
		else
			store_site_note(s, _("site %s removed from the group "
			    "('dossier site remove')"), addr);
	}
	if (site_file_write(s->dir, SITE_REMOVE_DONE, answer != NULL ?
	    answer : "ok", 0660, &cause) != 0) {
		store_site_note(s, "%s", cause);
		free(cause);
	}
	free(answer);
	free(addr);
}

/*
 * 'dossier site promote': with two sites, the survivor of a master that
 * is gone for good becomes master on a person's decision.  It lets this
 * site win an election alone (2SITE_STRICT off), waits until the
 * replication process has won one, and sets the rule back.
 */
int
store_site_promote(struct store *s, u_int wait, char **cause)
{
	time_t	 start = time(NULL);
	int	 master = 0, eid;

	if (s->site == NULL)
		return (err_set(cause, _("This data directory is not a site of "
		    "a replication group.")));
	if (!s->rep_started)
		return (err_set(cause, _("Start 'dossier serve' at this site "
		    "first: it is the process that takes over as master.")));
	if (site_role(s, &master, &eid) == 0 && master)
		return (err_set(cause, _("This site is already the master.")));
	s->env->rep_set_config(s->env, DB_REPMGR_CONF_2SITE_STRICT, 0);
	while (!master && (u_int)(time(NULL) - start) < wait) {
		usleep(200000);
		if (site_role(s, &master, &eid) != 0)
			master = 0;
	}
	s->env->rep_set_config(s->env, DB_REPMGR_CONF_2SITE_STRICT, 1);
	if (!master)
		return (err_set(cause, _("This site did not become master within "
		    "%u seconds: is another site still master? See 'dossier site "
		    "status'."), wait));
	return (0);
}

static int
site_beat_txn(struct store_txn *t, void *arg, char **cause)
{
	char	 v[32];
	int	 n;

	n = snprintf(v, sizeof v, "%lld", (long long)time(NULL));
	return (store_put(t, STORE_META, SITE_BEAT_KEY, strlen(SITE_BEAT_KEY),
	    v, (size_t)n, 0, cause));
}

/* The master says it is alive: replicas measure their lag by it. */
int
store_site_beat(struct store *s, char **cause)
{
	if (s->site == NULL || !store_site_master(s))
		return (0);
	return (store_run(s, site_beat_txn, NULL, cause));
}

struct site_beat_read {
	int64_t	*beat;
};

static int
site_beat_read_txn(struct store_txn *t, void *arg, char **cause)
{
	struct site_beat_read	*r = arg;
	uint8_t			*v;
	size_t			 len;
	char			 buf[32];
	int			 rc;

	rc = store_get(t, STORE_META, SITE_BEAT_KEY, strlen(SITE_BEAT_KEY),
	    &v, &len, cause);
	if (rc == STORE_NOTFOUND)
		return (0);
	if (rc != 0)
		return (rc);
	if (len < sizeof buf) {
		memcpy(buf, v, len);
		buf[len] = '\0';
		*r->beat = strtoll(buf, NULL, 10);
	}
	free(v);
	return (0);
}

int
store_site_beat_read(struct store *s, int64_t *beat, char **cause)
{
	struct site_beat_read	 r = { beat };

	*beat = 0;
	return (store_run(s, site_beat_read_txn, &r, cause));
}

u_int
store_site_heartbeat(const struct store *s)
{
	return (s->site != NULL ? s->site->heartbeat : 0);
}
