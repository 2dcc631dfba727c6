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
	if ((rc = store_recover_alone(dir, cause)) == 0)
		rc = site_write(dir, &site, cause);
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
    const char *acks, u_int wait, void (*progress)(const char *),
    char **cause)
{
	struct store_site	 site;
	struct store		*s;
	DB_REP_STAT		*sp;
	time_t			 start = time(NULL), said = 0;
	int			 done = 0;

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
	if (store_check_dir(dir, STORE_CREATE, cause) != 0 ||
	    store_write_config(dir, cause) != 0 ||
	    site_write(dir, &site, cause) != 0)
		return (-1);
	if (store_open(&s, dir, STORE_JOIN, cause) != 0)
		return (-1);
	while (!done && (u_int)(time(NULL) - start) < wait) {
		if (atomic_load(&s->rep_startup))
			done = 1;
		else if (s->env->rep_stat(s->env, &sp, 0) == 0) {
			done = sp->st_startup_complete != 0;
			free(sp);
		}
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
	return (store_site_state_write(s, cause));
}

int
store_site_state_write(struct store *s, char **cause)
{
	static struct {
		char	 addr[300];
		int64_t	 seen;
	}		 known[STORE_SITE_MAX];
	static int	 nknown;
	DB_REPMGR_SITE	*list;
	FILE		*f;
	char		*path, *tmp, addr[300];
	u_int		 n, i;
	int		 j, fd, rc = 0;
	int64_t		 t = (int64_t)time(NULL), seen;

	if (s->site == NULL || s->env == NULL ||
	    s->env->repmgr_site_list(s->env, &n, &list) != 0)
		return (0);
	xasprintf(&path, "%s/%s", s->dir, SITE_STATE);
	xasprintf(&tmp, "%s/%s.new", s->dir, SITE_STATE);
	unlink(tmp);
	fd = open(tmp, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0660);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		rc = err_set(cause, _("Cannot write %s: %s."), tmp,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		free(list);
		goto out;
	}
	fprintf(f, "%lld\n", (long long)t);
	for (i = 0; i < n; i++) {
		snprintf(addr, sizeof addr, "%s:%u", list[i].host, list[i].port);
		for (j = 0; j < nknown && strcmp(known[j].addr, addr) != 0; j++)
			;
		if (j == nknown && nknown < STORE_SITE_MAX) {
			snprintf(known[j].addr, sizeof known[j].addr, "%s", addr);
			known[j].seen = 0;
			nknown++;
		}
		if (list[i].status == DB_REPMGR_CONNECTED && j < nknown)
			known[j].seen = t;
		seen = j < nknown ? known[j].seen : 0;
		fprintf(f, "%s %s %lld\n", addr, list[i].status ==
		    DB_REPMGR_CONNECTED ? "connected" : "down", (long long)seen);
	}
	free(list);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		rc = err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	free(path);
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
int
store_site_remove(struct store *s, const char *addr, char **cause)
{
	struct site_addr	 a;
	DB_SITE			*dbsite;
	int			 ret;

	if (site_parse_addr(addr, &a) != 0)
		return (err_set(cause, _("'%s' is not an address: write "
		    "HOST:PORT, such as 10.0.0.1:6100."), addr));
	if (s->site == NULL)
		return (err_set(cause, _("This data directory is not a site of "
		    "a replication group.")));
	if (store_site_writable(s, cause) != 0)
		return (-1);
	if ((ret = s->env->repmgr_site(s->env, a.host, a.port, &dbsite,
	    0)) != 0)
		return (err_set(cause, _("No site %s in the group: %s."), addr,
		    db_strerror(ret)));
	/* remove() closes the handle, whatever it returns. */
	if ((ret = dbsite->remove(dbsite)) != 0)
		return (err_set(cause, _("Cannot remove %s from the group: "
		    "%s%s%s."), addr, db_strerror(ret),
		    store_errbuf[0] != '\0' ? ": " : "", store_errbuf));
	return (0);
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
