/*
 * store-site.c: a data directory as one site of a replication group
 * (Berkeley DB's Replication Manager; docs/REPLICATION.md).
 *
 * A replicated directory holds site.conf: the address this site listens
 * on, the sites it may ask to join, the acknowledgement policy and the
 * timeouts.  Every process reads it when it opens the environment, and
 * opens it with DB_INIT_REP.
 *
 * Only one process per site may accept connections: Berkeley DB makes the
 * first process that calls repmgr_start() the "replication process" and
 * every later one a subordinate that only sends its own changes.  The
 * replication process must outlive the sign-ins, so it is 'dossier serve',
 * which holds serve.lock.  Other processes start the Replication Manager
 * only when serve runs; without it they may read, and a change is refused
 * with a sentence, since no other site could confirm it.
 *
 * A change is reported saved only when the acknowledgement policy was met
 * (a quorum of sites by default): Berkeley DB raises PERM_FAILED in the
 * committing process before commit returns, and store_run() turns that
 * into a sentence.  Elections are automatic with three sites or more;
 * with two, DB_REPMGR_CONF_2SITE_STRICT keeps the survivor a replica until
 * a person runs 'dossier site promote'.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "store-int.h"
#include "store-site.h"
#include "util.h"

static const struct {
	const char	*name;
	int		 policy;
} site_acks[] = {
	{ "quorum", DB_REPMGR_ACKS_QUORUM },
	{ "all", DB_REPMGR_ACKS_ALL },
	{ "one", DB_REPMGR_ACKS_ONE },
	{ "none", DB_REPMGR_ACKS_NONE },
};

static int	 site_read(const char *, struct store_site *, char **);
static void	 site_wait_connected(struct store *);

/* HOST:PORT, the port from 1 to 65535; [v6]:PORT too. */
int
site_parse_addr(const char *text, struct site_addr *a)
{
	const char	*colon, *host = text;
	size_t		 hlen;
	char		*end;
	long		 port;

	if ((colon = strrchr(text, ':')) == NULL || colon == text)
		return (-1);
	hlen = (size_t)(colon - text);
	if (*host == '[' && hlen >= 2 && colon[-1] == ']') {
		host++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof a->host ||
	    memchr(host, ' ', hlen) != NULL)
		return (-1);
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || port < 1 ||
	    port > 65535)
		return (-1);
	memcpy(a->host, host, hlen);
	a->host[hlen] = '\0';
	a->port = (u_int)port;
	return (0);
}

const char *
site_acks_name(int policy)
{
	size_t	 i;

	for (i = 0; i < sizeof site_acks / sizeof site_acks[0]; i++) {
		if (site_acks[i].policy == policy)
			return (site_acks[i].name);
	}
	return ("?");
}

int
store_site_acks_parse(const char *name, int *policy)
{
	size_t	 i;

	for (i = 0; i < sizeof site_acks / sizeof site_acks[0]; i++) {
		if (strcmp(site_acks[i].name, name) == 0) {
			*policy = site_acks[i].policy;
			return (0);
		}
	}
	return (-1);
}

/*
 * site.conf: one setting per line, '#' comments.
 *	listen HOST:PORT	this site (once)
 *	peer HOST:PORT		a site to ask when joining (any number)
 *	creator			this site made the group
 *	acks quorum|all|one|none
 *	ack-timeout MS		how long a change waits for the others
 *	heartbeat S		how often the master says it is alive
 *	priority N		0 never becomes master; higher wins elections
 */
static int
site_read(const char *dir, struct store_site *site, char **cause)
{
	FILE		*f;
	char		*path, line[512], *word, *arg, *end;
	unsigned long	 n;
	int		 lineno = 0, rc = 0;

	memset(site, 0, sizeof *site);
	site->acks = DB_REPMGR_ACKS_QUORUM;
	site->ack_timeout = 10000;
	site->heartbeat = 10;
	site->priority = 100;
	site->bulk = 0;
	xasprintf(&path, "%s/%s", dir, SITE_CONF);
	if ((f = fopen(path, "r")) == NULL) {
		rc = errno == ENOENT ? 1 : err_set(cause, _("Cannot read %s: "
		    "%s."), path, strerror(errno));
		free(path);
		return (rc);
	}
	while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		word = line + strspn(line, " \t");
		if (*word == '#' || *word == '\0')
			continue;
		arg = word + strcspn(word, " \t");
		if (*arg != '\0')
			*arg++ = '\0';
		arg += strspn(arg, " \t");
		arg[strcspn(arg, " \t")] = '\0';
		errno = 0;
		n = strtoul(arg, &end, 10);
		if (strcmp(word, "listen") == 0 &&
		    site_parse_addr(arg, &site->self) == 0)
			continue;
		if (strcmp(word, "peer") == 0 && site->npeers < SITE_PEERS_MAX &&
		    site_parse_addr(arg, &site->peers[site->npeers]) == 0) {
			site->npeers++;
			continue;
		}
		if (strcmp(word, "creator") == 0 && *arg == '\0') {
			site->creator = 1;
			continue;
		}
		if (strcmp(word, "acks") == 0 &&
		    store_site_acks_parse(arg, &site->acks) == 0)
			continue;
		if (strcmp(word, "bulk") == 0 && (strcmp(arg, "yes") == 0 ||
		    strcmp(arg, "no") == 0)) {
			site->bulk = strcmp(arg, "yes") == 0;
			continue;
		}
		if (*arg != '\0' && *end == '\0' && errno == 0 && n <= 3600000) {
			if (strcmp(word, "ack-timeout") == 0 && n >= 10) {
				site->ack_timeout = (u_int)n;
				continue;
			}
			if (strcmp(word, "heartbeat") == 0 && n >= 1) {
				site->heartbeat = (u_int)n;
				continue;
			}
			if (strcmp(word, "priority") == 0) {
				site->priority = (u_int)n;
				continue;
			}
		}
		rc = err_set(cause, _("%s, line %d: '%s' is not a site setting "
		    "dossier understands (see docs/REPLICATION.md)."), path,
		    lineno, word);
	}
	if (rc == 0 && ferror(f))
		rc = err_set(cause, _("Cannot read %s: %s."), path,
		    strerror(errno));
	if (rc == 0 && site->self.port == 0)
		rc = err_set(cause, _("%s has no 'listen HOST:PORT' line."),
		    path);
	fclose(f);
	free(path);
	return (rc);
}

/* Written whole under another name, then renamed over the old one. */
int
site_write(const char *dir, const struct store_site *site, char **cause)
{
	char	*text, *more;
	int	 i, rc;

	xasprintf(&text, "# dossier: this site of the replication group "
	    "(docs/REPLICATION.md)\nlisten %s:%u\n", site->self.host,
	    site->self.port);
	for (i = 0; i < site->npeers; i++) {
		xasprintf(&more, "%speer %s:%u\n", text, site->peers[i].host,
		    site->peers[i].port);
		free(text);
		text = more;
	}
	xasprintf(&more, "%s%sacks %s\nack-timeout %u\nheartbeat %u\n"
	    "priority %u\nbulk %s\n", text, site->creator ? "creator\n" : "",
	    site_acks_name(site->acks), site->ack_timeout, site->heartbeat,
	    site->priority, site->bulk ? "yes" : "no");
	free(text);
	rc = site_file_write(dir, SITE_CONF, more, 0660, cause);
	free(more);
	return (rc);
}

/*
 * A small file of a site (site.conf, site.key, site.state, a removal
 * request), whole or absent: written under a temporary name, synced,
 * then renamed over the old one.
 */
int
site_file_write(const char *dir, const char *name, const char *text,
    mode_t mode, char **cause)
{
	char	*path, *tmp;
	size_t	 len = strlen(text);
	int	 fd, rc = 0;

	xasprintf(&path, "%s/%s", dir, name);
	xasprintf(&tmp, "%s/%s.new", dir, name);
	unlink(tmp);
	fd = open(tmp, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, mode);
	if (fd == -1 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) != 0) {
		rc = err_set(cause, _("Cannot write %s: %s."), tmp,
		    strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
	} else if (close(fd) != 0 || rename(tmp, path) != 0) {
		rc = err_set(cause, _("Cannot write %s: %s."), path,
		    strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(path);
	return (rc);
}

int
store_site_load(struct store *s, char **cause)
{
	struct store_site	*site;
	int			 rc;

	site = xcalloc(1, sizeof *site);
	if ((rc = site_read(s->dir, site, cause)) != 0) {
		free(site);
		return (rc == 1 ? 0 : -1);
	}
	s->site = site;
	return (0);
}

void
store_site_free(struct store *s)
{
	int	 i;

	for (i = 0; i < s->rep_nevents; i++)
		free(s->rep_events[i]);
	s->rep_nevents = 0;
	free(s->site);
	s->site = NULL;
	store_site_auth_free(s);
	if (s->servefd != -1)
		close(s->servefd);
	s->servefd = -1;
}

/* Before DB_ENV->open: the sites, the policy, the timeouts. */
int
store_site_configure(struct store *s, char **cause)
{
	struct store_site	*site = s->site;
	DB_ENV			*env = s->env;
	DB_SITE			*dbsite;
	int			 i, ret;

	if ((ret = env->repmgr_site(env, site->self.host, site->self.port,
	    &dbsite, 0)) != 0)
		goto fail;
	ret = dbsite->set_config(dbsite, DB_LOCAL_SITE, 1);
	if (ret == 0 && site->creator)
		ret = dbsite->set_config(dbsite, DB_GROUP_CREATOR, 1);
	dbsite->close(dbsite);
	if (ret != 0)
		goto fail;
	for (i = 0; i < site->npeers; i++) {
		if ((ret = env->repmgr_site(env, site->peers[i].host,
		    site->peers[i].port, &dbsite, 0)) != 0)
			goto fail;
		ret = dbsite->set_config(dbsite, DB_BOOTSTRAP_HELPER, 1);
		dbsite->close(dbsite);
		if (ret != 0)
			goto fail;
	}
	if ((ret = env->repmgr_set_ack_policy(env, site->acks)) != 0 ||
	    (ret = env->rep_set_priority(env, site->priority)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_ACK_TIMEOUT,
	    site->ack_timeout * 1000)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_HEARTBEAT_SEND,
	    site->heartbeat * 1000000 / 2)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_HEARTBEAT_MONITOR,
	    site->heartbeat * 1000000 * 3 / 2)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_CONNECTION_RETRY,
	    site->heartbeat * 1000000 / 2)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_ELECTION_RETRY,
	    site->heartbeat * 1000000 / 2)) != 0 ||
	    (ret = env->rep_set_config(env, DB_REP_CONF_BULK,
	    site->bulk)) != 0 ||
	    (ret = env->rep_set_config(env, DB_REPMGR_CONF_2SITE_STRICT,
	    1)) != 0)
		goto fail;
	return (0);
fail:
	return (err_set(cause, _("Cannot set up replication from %s/%s: "
	    "%s."), s->dir, SITE_CONF, db_strerror(ret)));
}

/* 'dossier serve' holds serve.lock alone while it runs. */
int
site_serve_running(struct store *s)
{
	char	*path;
	int	 fd, running = 0;

	xasprintf(&path, "%s/%s", s->dir, SITE_SERVE_LOCK);
	fd = open(path, O_RDONLY|O_CLOEXEC);
	free(path);
	if (fd == -1)
		return (0);
	if (flock(fd, LOCK_SH|LOCK_NB) != 0 && errno == EWOULDBLOCK)
		running = 1;
	close(fd);
	return (running);
}

/*
 * After DB_ENV->open: 'dossier serve' and 'site join' start the
 * Replication Manager.  Any other process does not: Berkeley DB 5.3 joins
 * it to the Replication Manager of the process already running at this
 * site when it opens the environment ("autostart": it sends its own
 * changes and waits for their acknowledgements).  Calling repmgr_start()
 * again there would start a second network thread that nothing stops.
 */
int
store_site_start(struct store *s, char **cause)
{
	char		*path;

	if ((s->flags & (STORE_SERVE | STORE_JOIN)) == 0) {
		s->rep_started = site_serve_running(s);
		return (0);
	}
	if (s->servefd != -1)		/* reopened after a panic */
		return (store_site_start_now(s, cause));
	xasprintf(&path, "%s/%s", s->dir, SITE_SERVE_LOCK);
	s->servefd = open(path, O_RDWR|O_CREAT|O_CLOEXEC, 0660);
	if (s->servefd == -1 || flock(s->servefd, LOCK_EX|LOCK_NB) != 0) {
		err_set(cause, errno == EWOULDBLOCK ? _("'dossier serve' "
		    "already runs for %s.") : _("Cannot lock %s: %s."),
		    errno == EWOULDBLOCK ? s->dir : path, strerror(errno));
		free(path);
		return (-1);
	}
	free(path);
	return (store_site_start_now(s, cause));
}

/* Whether enough sites are connected to confirm a change (-1: unknown). */
static int
site_enough(struct store *s)
{
	DB_REPMGR_SITE	*list;
	u_int		 n, i, up, need;

	if (s->env->repmgr_site_list(s->env, &n, &list) != 0)
		return (-1);
	for (i = up = 0; i < n; i++)
		up += list[i].status == DB_REPMGR_CONNECTED;
	free(list);
	switch (s->site->acks) {
	case DB_REPMGR_ACKS_ALL:
		need = n;
		break;
	case DB_REPMGR_ACKS_QUORUM:
		need = (n + 1) / 2;	/* a majority, with this site */
		break;
	case DB_REPMGR_ACKS_ONE:
		need = n > 0;
		break;
	default:
		need = 0;
		break;
	}
	return (up >= need);
}

/*
 * Wait (a second at most) until this process is connected to as many
 * sites as its first change needs acknowledgements from, so that it does
 * not wait for the whole acknowledgement timeout while they connect.
 */
static void
site_wait_connected(struct store *s)
{
	int	 tries;

	for (tries = 0; tries < 40; tries++) {
		if (site_enough(s) != 0)
			return;
		usleep(25000);
	}
}

/* A master connected to enough sites for a change to be confirmed. */
int
store_site_confirmable_as(struct store *s, const struct store_role *r)
{
	if (!r->known || !r->master)
		return (1);
	if (!s->rep_connected) {
		store_site_policy(s);
		site_wait_connected(s);
		s->rep_connected = 1;
	}
	return (site_enough(s) != 0);
}

int
store_site_start_now(struct store *s, char **cause)
{
	u_int32_t	 how;
	int		 ret, tries;

	if (s->flags & STORE_JOIN)
		how = DB_REP_CLIENT;
	else
		how = DB_REP_ELECTION;	/* ignored in a subordinate */
	if (store_site_auth_start(s, cause) != 0)
		return (-1);
	/* A new site copies nothing before its master proved the key. */
	if ((ret = s->env->rep_set_config(s->env, DB_REP_CONF_DELAYCLIENT,
	    (s->flags & STORE_JOIN) != 0)) != 0)
		return (err_set(cause, _("Cannot set up replication from %s/%s: "
		    "%s."), s->dir, SITE_CONF, db_strerror(ret)));
	/* A new site waits until enough sites acknowledge it. */
	for (tries = 0; tries < 30; tries++) {
		store_errbuf[0] = '\0';
		ret = s->env->repmgr_start(s->env, 3, how);
		if (ret != DB_REP_UNAVAIL)
			break;
		sleep(1);
	}
	if (ret != 0 && ret != DB_REP_IGNORE)
		return (err_set(cause, _("Cannot start replication in %s "
		    "(listening on %s:%u): %s%s%s."), s->dir, s->site->self.host,
		    s->site->self.port, db_strerror(ret),
		    store_errbuf[0] != '\0' ? ": " : "", store_errbuf));
	s->rep_started = 1;
	/*
	 * A replica asks for a missing log record as soon as a later one
	 * arrives.  Berkeley DB's default waits 40 ms and for a further
	 * message: at a master, records that a short-lived process wrote
	 * while closing its tables reach no one, and the next process's
	 * change then waited for the next heartbeat (seconds) before the
	 * gap was filled and the change acknowledged.  Set here, after the
	 * open, because the value kept in an existing region wins over
	 * one given before it.
	 */
	/*
	 * A master's checkpoint waits DB_REP_CHECKPOINT_DELAY (30 s by
	 * default) after telling its replicas, so that they may start
	 * flushing first: 'serve' took 30 s to stop at a master (its closing
	 * checkpoint), and so would any change that happened to checkpoint.
	 * Replicas flush at their own pace; no one waits.
	 */
	if ((ret = s->env->rep_set_request(s->env, 1, SITE_REQUEST_MAX)) != 0 ||
	    (ret = s->env->rep_set_timeout(s->env, DB_REP_CHECKPOINT_DELAY,
	    0)) != 0)
		return (err_set(cause, _("Cannot set up replication from %s/%s: "
		    "%s."), s->dir, SITE_CONF, db_strerror(ret)));
	store_site_policy(s);
	return (0);
}

/*
 * Berkeley DB 5.3 counts a quorum of two sites as the master alone: a
 * pair would confirm changes that only one site holds.  A pair therefore
 * waits for the other site: ONE, which for two sites means the same as
 * ALL, and which, unlike ALL, a process other than the replication
 * process sees met without waiting for the whole timeout.
 */
void
store_site_policy(struct store *s)
{
	DB_REPMGR_SITE	*list;
	u_int		 n;
	int		 policy = s->site->acks, now;

	if (s->env->repmgr_site_list(s->env, &n, &list) != 0)
		return;
	free(list);
	if (policy == DB_REPMGR_ACKS_QUORUM && n == 1)
		policy = DB_REPMGR_ACKS_ONE;
	if (s->env->repmgr_get_ack_policy(s->env, &now) == 0 && now != policy)
		s->env->repmgr_set_ack_policy(s->env, policy);
}

void
store_site_note(struct store *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *line;
	char	 stamp[32];
	time_t	 t = time(NULL);
	struct tm tm;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	xasprintf(&line, "%s %s", stamp, msg);
	free(msg);
	pthread_mutex_lock(&s->rep_lock);
	if (s->rep_nevents == STORE_SITE_EVENTS) {
		free(s->rep_events[0]);
		memmove(s->rep_events, s->rep_events + 1,
		    (STORE_SITE_EVENTS - 1) * sizeof *s->rep_events);
		s->rep_nevents--;
	}
	s->rep_events[s->rep_nevents++] = line;
	pthread_mutex_unlock(&s->rep_lock);
}

/* Replication events: in the replication process, and PERM_FAILED. */
void
store_site_event(struct store *s, u_int32_t event, void *info)
{
	int	 eid;

	switch (event) {
	case DB_EVENT_REP_PERM_FAILED:
		atomic_fetch_add(&s->rep_perm_failed, 1);
		store_site_note(s, "%s", _("a change was not confirmed by enough "
		    "sites in time"));
		break;
	case DB_EVENT_REP_MASTER:
		atomic_store(&s->rep_master, 1);
		store_site_note(s, "%s", _("this site is now the master"));
		break;
	case DB_EVENT_REP_CLIENT:
		atomic_store(&s->rep_master, 0);
		store_site_note(s, "%s", _("this site is now a replica"));
		break;
	case DB_EVENT_REP_NEWMASTER:
		eid = info != NULL ? *(int *)info : -1;
		store_site_note(s, _("the master is now site %d"), eid);
		break;
	case DB_EVENT_REP_STARTUPDONE:
		atomic_store(&s->rep_startup, 1);
		store_site_note(s, "%s", _("this replica has caught up with the "
		    "master"));
		break;
	case DB_EVENT_REP_INIT_DONE:
		store_site_note(s, "%s", _("the copy of the master's files is "
		    "complete"));
		break;
	case DB_EVENT_REP_CONNECT_ESTD:
		eid = info != NULL ? *(int *)info : -1;
		store_site_note(s, _("connected to site %d"), eid);
		store_site_auth_mark(s, eid, 0);
		break;
	case DB_EVENT_REP_CONNECT_BROKEN:
		eid = info != NULL ? ((DB_REPMGR_CONN_ERR *)info)->eid : -1;
		store_site_note(s, _("lost the connection to site %d"), eid);
		break;
	case DB_EVENT_REP_MASTER_FAILURE:
		store_site_note(s, "%s", _("the master stopped answering"));
		break;
	case DB_EVENT_REP_ELECTED:
		store_site_note(s, "%s", _("this site won an election"));
		break;
	case DB_EVENT_REP_ELECTION_FAILED:
		store_site_note(s, "%s", _("an election found no master; it will be "
		    "tried again"));
		break;
	case DB_EVENT_REP_DUPMASTER:
		store_site_note(s, "%s", _("two sites claimed to be master; an "
		    "election decides"));
		break;
	case DB_EVENT_REP_JOIN_FAILURE:
		store_site_note(s, "%s", _("this site could not join the group: "
		    "re-initialise it with 'dossier site join' into an empty "
		    "directory"));
		break;
	case DB_EVENT_REP_LOCAL_SITE_REMOVED:
		atomic_store(&s->rep_removed, 1);
		store_site_note(s, "%s", _("this site was removed from the group"));
		break;
	case DB_EVENT_REP_SITE_ADDED:
		store_site_note(s, "%s", _("a site joined the group"));
		store_site_auth_mark(s, info != NULL ? *(int *)info : -1, 1);
		break;
	case DB_EVENT_REP_SITE_REMOVED:
		store_site_note(s, "%s", _("a site left the group"));
		break;
	default:
		break;
	}
}

/* The next message for 'dossier serve' to print, or NULL. */
char *
store_site_next_event(struct store *s)
{
	char	*line = NULL;

	pthread_mutex_lock(&s->rep_lock);
	if (s->rep_nevents > 0) {
		line = s->rep_events[0];
		memmove(s->rep_events, s->rep_events + 1,
		    (s->rep_nevents - 1) * sizeof *s->rep_events);
		s->rep_nevents--;
	}
	pthread_mutex_unlock(&s->rep_lock);
	return (line);
}

void
site_eid_addr(struct store *s, int eid, char *buf, size_t len)
{
	DB_SITE		*dbsite;
	const char	*host;
	u_int		 port;

	*buf = '\0';
	if (eid < 0 || s->env->repmgr_site_by_eid(s->env, eid, &dbsite) != 0)
		return;
	if (dbsite->get_address(dbsite, &host, &port) == 0)
		snprintf(buf, len, "%s:%u", host, port);
	dbsite->close(dbsite);
}

/* Whether this site is the master, and which site is. */
int
site_role(struct store *s, int *master, int *eid)
{
	DB_REP_STAT	*sp;

	*master = 0;
	*eid = -1;
	if (s->env->rep_stat(s->env, &sp, 0) != 0)
		return (-1);
	*master = sp->st_status == DB_REP_MASTER;
	*eid = (int)sp->st_master;
	free(sp);
	return (0);
}

void
store_site_self(struct store *s, char *buf, size_t len)
{
	*buf = '\0';
	if (s->site != NULL)
		snprintf(buf, len, "%s:%u", s->site->self.host,
		    s->site->self.port);
}

/* Before a transaction begins (struct store_role). */
void
store_site_role(struct store *s, struct store_role *r)
{
	memset(r, 0, sizeof *r);
	r->eid = -1;
	if (s->site == NULL || s->env == NULL || !s->rep_started ||
	    site_role(s, &r->master, &r->eid) != 0)
		return;
	r->known = 1;
	if (!r->master)
		site_eid_addr(s, r->eid, r->addr, sizeof r->addr);
}

int
store_site_master(struct store *s)
{
	int	 master, eid;

	if (s->site == NULL)
		return (1);
	if (s->env == NULL || site_role(s, &master, &eid) != 0)
		return (0);
	return (master);
}

/*
 * Before a screen offers a form: -1 with the sentence a change would get
 * if this site is a replica now, else 0 (a change finds out the rest).
 */
int
store_site_refuses(struct store *s, char **cause)
{
	if (s->site == NULL || s->env == NULL || !s->rep_started ||
	    store_site_master(s))
		return (0);
	return (store_site_writable(s, cause) != 0 ? -1 : 0);
}

/*
 * A change may be made here only at the master, with replication on.  A
 * process that opened the environment before 'dossier serve' started
 * was not joined to it: it reopens the environment (STORE_RETRY asks
 * store_run() to) and is joined then.
 */
int
store_site_writable(struct store *s, char **cause)
{
	struct store_role	 r;

	store_site_role(s, &r);
	return (store_site_writable_as(s, &r, cause));
}

int
store_site_writable_as(struct store *s, const struct store_role *r,
    char **cause)
{
	if (!s->rep_started) {
		if (!site_serve_running(s))
			return (err_set(cause, _("Replication is not running at "
			    "this site, so no other site could confirm a change: "
			    "nothing was saved. Start 'dossier serve' (see "
			    "docs/REPLICATION.md).")));
		atomic_store(&s->panic, 1);
		return (STORE_RETRY);
	}
	if (!r->known)
		return (err_set(cause, _("Cannot tell whether this site is the "
		    "master: nothing was saved.")));
	if (r->master) {
		if (!s->rep_connected) {
			store_site_policy(s);
			site_wait_connected(s);
			s->rep_connected = 1;
		}
		return (0);
	}
	if (*r->addr == '\0')
		return (err_set(cause, _("This site is a replica and no master "
		    "is known at the moment: nothing was saved. See 'dossier "
		    "site status'.")));
	return (err_set(cause, _("This site is a replica: changes are made at "
	    "the master, %s. Nothing was saved here."), r->addr));
}
