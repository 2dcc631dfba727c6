/*
 * store-auth.c: the sites of a replication group prove that they hold
 * the group's key.
 *
 * Berkeley DB 5.3's Replication Manager accepts any process that reaches
 * a site's port and gives an address: it would join the group, count
 * towards the acknowledgements of changes it never kept and stand in
 * elections.  'site init' therefore makes a group key (site.key: 32
 * random bytes, mode 0600), and a new site is given a copy ('site join
 * --group-key FILE', copied over SSH).  The replication process of each
 * site ('dossier serve', and 'site join' while it copies) challenges every
 * site it connects to, on a Replication Manager channel: a random nonce,
 * to which the other site answers with a keyed hash of the nonce and of
 * its own address.  A master removes from the group a site that answers
 * wrongly, or not at all within SITE_AUTH_TRIES tries, or that joined
 * and went away before answering; a replica stops
 * replicating from a master that cannot prove the key.  What this does
 * not stop (a listener on the link, a process answering from a real
 * site's address) is in docs/SECURITY.md.
 */
#include "config.h"

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
#include "vault.h"

#define SITE_KEY_MAGIC		"dossier-group-key-1"
#define SITE_AUTH_TAG		"dossier-site-auth-1"
#define SITE_AUTH_NONCE		32
#define SITE_AUTH_TIMEOUT	5000000	/* us: many slow links' round trips */
#define SITE_AUTH_TRIES		2
#define SITE_PROVED		"site.proved "	/* meta key: and HOST:PORT */
#define SITE_AUTH_GRACE		6	/* heartbeats: an unproved member away */

static void	site_auth_dispatch(DB_ENV *, DB_CHANNEL *, DBT *, u_int32_t,
		    u_int32_t);

/* The keyed hash a site answers with: nonce and the answering address. */
static void
site_auth_proof(const struct vault_key *key, const uint8_t *nonce,
    const char *addr, uint8_t *out)
{
	uint8_t	 buf[sizeof SITE_AUTH_TAG + SITE_AUTH_NONCE + 300];
	size_t	 n, alen = strlen(addr);

	if (alen > 299)
		alen = 299;
	memcpy(buf, SITE_AUTH_TAG, sizeof SITE_AUTH_TAG);
	n = sizeof SITE_AUTH_TAG;
	memcpy(buf + n, nonce, SITE_AUTH_NONCE);
	n += SITE_AUTH_NONCE;
	memcpy(buf + n, addr, alen);
	n += alen;
	vault_key_hash(key, buf, n, out);
}

static int
site_key_write(const char *dir, const uint8_t *raw, char **cause)
{
	char	*hex, *line;
	int	 rc;

	hex = vault_hex(raw, VAULT_KEY_LEN);
	xasprintf(&line, "%s %s\n", SITE_KEY_MAGIC, hex);
	rc = site_file_write(dir, SITE_KEY, line, 0600, cause);
	wipe(line, strlen(line));
	wipe(hex, strlen(hex));
	free(line);
	free(hex);
	return (rc);
}

/* Read a group key file: 0 and the key, or -1 with a sentence. */
static int
site_key_read(const char *path, uint8_t *raw, char **cause)
{
	struct stat	 sb;
	char		 line[200], *p;
	size_t		 n;
	int		 fd;
	ssize_t		 got;

	fd = open(path, O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC);
	if (fd == -1 && errno == ELOOP)
		return (err_set(cause, _("Cannot read the group key %s: it is a "
		    "symbolic link; give the file site.key itself."), path));
	if (fd == -1)
		return (err_set(cause, _("Cannot read the group key %s: %s."),
		    path, strerror(errno)));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return (err_set(cause, _("%s is not a dossier group key (the "
		    "file site.key of the group's first site)."), path));
	}
	got = read(fd, line, sizeof line - 1);
	close(fd);
	if (got < 0)
		return (err_set(cause, _("Cannot read the group key %s: %s."),
		    path, strerror(errno)));
	line[got] = '\0';
	if ((p = strchr(line, '\n')) != NULL)
		*p = '\0';
	n = strlen(SITE_KEY_MAGIC);
	if (strncmp(line, SITE_KEY_MAGIC, n) != 0 || line[n] != ' ' ||
	    vault_unhex(line + n + 1, raw, VAULT_KEY_LEN, &n) != 0 ||
	    n != VAULT_KEY_LEN) {
		wipe(line, sizeof line);
		return (err_set(cause, _("%s is not a dossier group key (the "
		    "file site.key of the group's first site)."), path));
	}
	wipe(line, sizeof line);
	return (0);
}

/* 'site init': a new group key. */
int
site_key_create(const char *dir, char **cause)
{
	uint8_t	 raw[VAULT_KEY_LEN];
	int	 rc;

	vault_random(raw, sizeof raw);
	rc = site_key_write(dir, raw, cause);
	wipe(raw, sizeof raw);
	return (rc);
}

/* Whether FILE is a group key, before anything is written. */
int
site_key_check(const char *from, char **cause)
{
	uint8_t	 raw[VAULT_KEY_LEN];

	if (site_key_read(from, raw, cause) != 0)
		return (-1);
	wipe(raw, sizeof raw);
	return (0);
}

/* 'site join --group-key FILE': this site's copy of the group's key. */
int
site_key_install(const char *dir, const char *from, char **cause)
{
	uint8_t	 raw[VAULT_KEY_LEN];
	int	 rc;

	if (site_key_read(from, raw, cause) != 0)
		return (-1);
	rc = site_key_write(dir, raw, cause);
	wipe(raw, sizeof raw);
	return (rc);
}

/*
 * Before repmgr_start() in the replication process: load the key and
 * answer challenges.  A site without a key cannot prove anything, so its
 * replication process does not start.
 */
int
store_site_auth_start(struct store *s, char **cause)
{
	uint8_t	 raw[VAULT_KEY_LEN];
	char	*path;
	int	 ret;

	if (s->site_key == NULL) {
		xasprintf(&path, "%s/%s", s->dir, SITE_KEY);
		ret = site_key_read(path, raw, cause);
		free(path);
		if (ret != 0)
			return (-1);
		s->site_key = vault_key_import(raw);
		wipe(raw, sizeof raw);
	}
	s->auth_started = time(NULL);
	if ((ret = s->env->repmgr_msg_dispatch(s->env, site_auth_dispatch,
	    0)) != 0)
		return (err_set(cause, _("Cannot set up replication from %s/%s: "
		    "%s."), s->dir, SITE_CONF, db_strerror(ret)));
	return (0);
}

static int	site_proved_get(struct store *, const char *);

/*
 * 'site join': whether this site proved itself to the master and checked
 * the others.  Answering some site is not enough: a replica's challenge
 * may come first, and a join that left then, before the master (busy
 * with a silent stranger's challenge for seconds) asked, was removed from
 * the group as a stranger.  The master writes "site.proved HOST:PORT"
 * when the proof arrives, and that change reaches this site.
 */
int
store_site_auth_done(struct store *s)
{
	char	 addr[300], *cause = NULL;

	if (!atomic_load(&s->auth_answered) || store_site_auth_pending(s))
		return (0);
	if (store_join_table(s, STORE_META, &cause) != 0) {
		free(cause);	/* not there yet: asked again */
		return (0);
	}
	snprintf(addr, sizeof addr, "%s:%u", s->site->self.host,
	    s->site->self.port);
	return (site_proved_get(s, addr) == 1);
}

/*
 * 'site join' starts with Berkeley DB's client synchronisation delayed
 * (DB_REP_CONF_DELAYCLIENT): nothing is copied from a master until it
 * proved that it holds the group key.  1 once synchronisation started,
 * 0 while the master is unknown or unproved, -1 with a sentence.
 */
int
store_site_auth_sync(struct store *s, char **cause)
{
	int	 master, eid, ok, ret;

	if (site_role(s, &master, &eid) != 0 || master || eid < 0 ||
	    eid >= STORE_SITE_MAX)
		return (0);
	pthread_mutex_lock(&s->rep_lock);
	ok = s->auth_ok[eid];
	pthread_mutex_unlock(&s->rep_lock);
	if (!ok)
		return (0);
	if ((ret = s->env->rep_sync(s->env, 0)) != 0 ||
	    (ret = s->env->rep_set_config(s->env, DB_REP_CONF_DELAYCLIENT,
	    0)) != 0)
		return (err_set(cause, _("Cannot copy from the group into %s: "
		    "%s."), s->dir, db_strerror(ret)));
	return (1);
}

/*
 * serve: whether a site is still to prove the key.  The master's beat
 * waits meanwhile: it is a change, and a silent stranger that counts
 * towards its acknowledgements made it wait the whole acknowledgement
 * timeout between two challenges (the window measured 16 s, not 10).
 */
int
store_site_auth_pending(struct store *s)
{
	int	 eid, due = 0;

	if (s->site_key == NULL)
		return (0);
	pthread_mutex_lock(&s->rep_lock);
	for (eid = 0; eid < STORE_SITE_MAX; eid++)
		due |= s->auth_since[eid] != 0;
	pthread_mutex_unlock(&s->rep_lock);
	return (due);
}

void
store_site_auth_free(struct store *s)
{
	if (s->site_key != NULL)
		vault_key_free(s->site_key);
	s->site_key = NULL;
}

/* Berkeley DB's message threads: answer a challenge, or take a replica's
 * audit entry (store-forward.c). */
static void
site_auth_dispatch(DB_ENV *env, DB_CHANNEL *ch, DBT *req, u_int32_t nreq,
    u_int32_t flags)
{
	struct store	*s = env->app_private;
	uint8_t		 proof[VAULT_HASH_LEN];
	char		 addr[300];
	DBT		 resp;

	if ((flags & DB_REPMGR_NEED_RESPONSE) == 0)
		return;
	if (s != NULL && nreq >= 1 && req[0].size == sizeof STORE_FORWARD_TAG &&
	    memcmp(req[0].data, STORE_FORWARD_TAG,
	    sizeof STORE_FORWARD_TAG) == 0) {
		store_forward_receive(s, ch, req, nreq);
		return;
	}
	memset(&resp, 0, sizeof resp);
	if (s != NULL && s->site_key != NULL && s->site != NULL &&
	    nreq == 2 && req[0].size == sizeof SITE_AUTH_TAG &&
	    memcmp(req[0].data, SITE_AUTH_TAG, sizeof SITE_AUTH_TAG) == 0 &&
	    req[1].size == SITE_AUTH_NONCE) {
		snprintf(addr, sizeof addr, "%s:%u", s->site->self.host,
		    s->site->self.port);
		site_auth_proof(s->site_key, req[1].data, addr, proof);
		resp.data = proof;
		resp.size = sizeof proof;
	}
	if (ch->send_msg(ch, &resp, 1, 0) == 0 && resp.size != 0)
		atomic_store(&s->auth_answered, 1);
}

/* The event thread: a site connected or joined; check it at the next poll. */
void
store_site_auth_mark(struct store *s, int eid, int joined)
{
	if (eid < 0 || eid >= STORE_SITE_MAX || s->site_key == NULL)
		return;
	pthread_mutex_lock(&s->rep_lock);
	s->auth_ok[eid] = 0;	/* proved again at each connection */
	if (s->auth_since[eid] == 0)
		s->auth_since[eid] = time(NULL);
	if (joined)
		s->auth_joined[eid] = 1;
	pthread_mutex_unlock(&s->rep_lock);
}

/* Challenge site eid: 0 proved, 1 no answer in time, -1 a wrong answer. */
static int
site_auth_challenge(struct store *s, int eid, const char *addr)
{
	DB_CHANNEL	*ch;
	DBT		 req[2], resp;
	uint8_t		 nonce[SITE_AUTH_NONCE], want[VAULT_HASH_LEN];
	int		 ret, rc;

	if ((ret = s->env->repmgr_channel(s->env, eid, &ch, 0)) != 0)
		return (1);
	vault_random(nonce, sizeof nonce);
	memset(req, 0, sizeof req);
	req[0].data = (void *)SITE_AUTH_TAG;
	req[0].size = sizeof SITE_AUTH_TAG;
	req[1].data = nonce;
	req[1].size = sizeof nonce;
	memset(&resp, 0, sizeof resp);
	resp.flags = DB_DBT_MALLOC;
	ret = ch->send_request(ch, req, 2, &resp, SITE_AUTH_TIMEOUT, 0);
	ch->close(ch, 0);
	if (ret == DB_TIMEOUT || ret == DB_REP_UNAVAIL)
		return (1);
	site_auth_proof(s->site_key, nonce, addr, want);
	rc = ret == 0 && resp.size == sizeof want &&
	    vault_equal(resp.data, want, sizeof want) ? 0 : -1;
	free(resp.data);
	return (rc);
}

static int
site_auth_connected(struct store *s, int eid)
{
	DB_REPMGR_SITE	*list;
	u_int		 n, i;
	int		 up = 0;

	if (s->env->repmgr_site_list(s->env, &n, &list) != 0)
		return (0);
	for (i = 0; i < n; i++)
		if (list[i].eid == eid)
			up = list[i].status == DB_REPMGR_CONNECTED;
	free(list);
	return (up);
}

static void
site_auth_remove(struct store *s, int eid, const char *addr)
{
	DB_SITE	*dbsite;
	int	 ret;

	if ((ret = s->env->repmgr_site_by_eid(s->env, eid, &dbsite)) == 0)
		ret = dbsite->remove(dbsite);	/* closes the handle */
	if (ret == 0)
		store_site_note(s, _("site %s could not prove that it holds "
		    "the group key: removed from the group"), addr);
	else
		store_site_note(s, _("site %s could not prove that it holds "
		    "the group key, and removing it failed: %s"), addr,
		    db_strerror(ret));
}

/*
 * The sites that proved the key to a master, in meta ("site.proved
 * HOST:PORT"): replicated, so that any later master knows them.  A
 * member that never proved it and stays away is a stranger that joined
 * and left; it would stay a member that every change waits for.
 */
struct site_proved_arg {
	const char	*addr;
	int		 found;
};

static int
site_proved_txn(struct store_txn *t, void *arg, char **cause)
{
	struct site_proved_arg	*a = arg;
	char			*key, v[32];
	uint8_t			*old;
	size_t			 len;
	int			 rc, n;

	xasprintf(&key, "%s%s", SITE_PROVED, a->addr);
	rc = store_get(t, STORE_META, key, strlen(key), &old, &len, cause);
	if (rc == 0) {
		free(old);
		a->found = 1;
	} else if (rc == STORE_NOTFOUND && a->found == -1) {
		n = snprintf(v, sizeof v, "%lld", (long long)time(NULL));
		rc = store_put(t, STORE_META, key, strlen(key), v, (size_t)n, 0,
		    cause);
	} else if (rc == STORE_NOTFOUND)
		rc = 0;
	free(key);
	return (rc);
}

/* Whether addr proved the key: 1 yes, 0 no, -1 it could not be read. */
static int
site_proved_get(struct store *s, const char *addr)
{
	struct site_proved_arg	 a = { addr, 0 };
	char			*cause = NULL;

	if (store_run(s, site_proved_txn, &a, &cause) != 0) {
		free(cause);
		return (-1);
	}
	return (a.found);
}

/* The master's sweep: when in doubt, remove nothing. */
static int
site_proved(struct store *s, const char *addr)
{
	return (site_proved_get(s, addr) != 0);
}

static void
site_proved_put(struct store *s, const char *addr)
{
	struct site_proved_arg	 a = { addr, -1 };
	char			*cause = NULL;

	if (store_run(s, site_proved_txn, &a, &cause) != 0) {
		store_site_note(s, "%s", cause);
		free(cause);
	}
}

/* The master: remove members that never proved the key and are away. */
static void
site_auth_sweep(struct store *s)
{
	DB_REPMGR_SITE	*list;
	char		 addr[300];
	int64_t		 now = (int64_t)time(NULL), since, grace;
	u_int		 n, i;
	int		 j, eid, ok;

	snprintf(addr, sizeof addr, "%s:%u", s->site->self.host,
	    s->site->self.port);
	if (!site_proved(s, addr))
		site_proved_put(s, addr);
	grace = SITE_AUTH_GRACE * (int64_t)s->site->heartbeat;
	if (s->env->repmgr_site_list(s->env, &n, &list) != 0)
		return;
	for (i = 0; i < n; i++) {
		snprintf(addr, sizeof addr, "%s:%u", list[i].host,
		    list[i].port);
		if (list[i].status == DB_REPMGR_CONNECTED) {
			/* Proved to this site while it was a replica (an
			 * election came between): a join waits to read
			 * that its master knows it. */
			eid = list[i].eid;
			pthread_mutex_lock(&s->rep_lock);
			ok = eid >= 0 && eid < STORE_SITE_MAX &&
			    s->auth_ok[eid] && s->auth_since[eid] == 0;
			pthread_mutex_unlock(&s->rep_lock);
			if (ok && !site_proved(s, addr))
				site_proved_put(s, addr);
			continue;
		}
		since = s->auth_started;
		for (j = 0; j < s->rep_nknown; j++)
			if (strcmp(s->rep_known[j].addr, addr) == 0 &&
			    s->rep_known[j].seen > since)
				since = s->rep_known[j].seen;
		if (now - since < grace || site_proved(s, addr))
			continue;
		eid = list[i].eid;
		site_auth_remove(s, eid, addr);
	}
	free(list);
}

/*
 * 'dossier serve' and 'site join', every second: challenge the sites that
 * connected since.  -1 with a sentence when this site must stop: its
 * master could not prove the key.
 */
int
store_site_auth_poll(struct store *s, char **cause)
{
	char	 addr[300];
	int	 eid, master, master_eid, rc, due, connected, joined;
	int	 unproved;

	if (s->site_key == NULL)
		return (0);
	for (eid = 0; eid < STORE_SITE_MAX; eid++) {
		pthread_mutex_lock(&s->rep_lock);
		due = s->auth_since[eid] != 0;
		pthread_mutex_unlock(&s->rep_lock);
		if (!due)
			continue;
		site_eid_addr(s, eid, addr, sizeof addr);
		if (*addr == '\0')
			continue;
		rc = site_auth_challenge(s, eid, addr);
		/* The role may have changed during the challenge. */
		if (site_role(s, &master, &master_eid) != 0)
			continue;
		/*
		 * No answer from a site still connected, SITE_AUTH_TRIES
		 * times, counts as a wrong one.
		 */
		connected = rc == 1 ? site_auth_connected(s, eid) : 1;
		/* A site that never proved the key gains nothing by going
		 * away and coming back: its tries are kept. */
		unproved = rc == 1 && master && !site_proved(s, addr);
		pthread_mutex_lock(&s->rep_lock);
		if (rc == 1 && (connected || unproved) &&
		    ++s->auth_tries[eid] < SITE_AUTH_TRIES) {
			if (!connected)
				s->auth_since[eid] = 0;	/* until it is back */
			pthread_mutex_unlock(&s->rep_lock);
			continue;
		}
		s->auth_since[eid] = 0;
		s->auth_tries[eid] = 0;
		joined = s->auth_joined[eid];
		s->auth_joined[eid] = 0;
		pthread_mutex_unlock(&s->rep_lock);
		if (rc == 0) {
			pthread_mutex_lock(&s->rep_lock);
			s->auth_ok[eid] = 1;
			pthread_mutex_unlock(&s->rep_lock);
			store_site_note(s, _("site %s proved that it holds the "
			    "group key"), addr);
			if (master)
				site_proved_put(s, addr);
			continue;
		}
		/*
		 * A site that went away is challenged again when it comes
		 * back, but one that joined and left without a proof would
		 * stay a member that every change then waits for.  Another
		 * replica's silence is for the master to judge.
		 */
		if (rc == 1 && !connected && !(master && (joined || unproved)))
			continue;
		/* Even at a join: a silent stranger in the group must not
		 * make a good site's join fail; only the master counts. */
		if (rc == 1 && !master && eid != master_eid)
			continue;
		if (master)
			site_auth_remove(s, eid, addr);
		else if (s->flags & STORE_JOIN)
			return (err_set(cause, _("The site at %s could not prove "
			    "that it holds this group key: either the key given "
			    "is not that group's or that site is not one of it. "
			    "Nothing was copied."), addr));
		else if (eid == master_eid)
			return (err_set(cause, _("The master, %s, could not "
			    "prove that it holds the group key: this site stops "
			    "replicating from it. Check site.key at both sites "
			    "(docs/REPLICATION.md)."), addr));
		else
			store_site_note(s, _("site %s could not prove that it "
			    "holds the group key; the master removes it"), addr);
	}
	if (site_role(s, &master, &master_eid) == 0 && master)
		site_auth_sweep(s);
	return (0);
}
