/*
 * stranger.c: a Berkeley DB 5.3 Replication Manager site that does not
 * hold the dossier group key, for tests/e2e/stranger.sh.
 *
 * It is what anyone who can reach a site's replication port can write
 * with the library alone: it gives an address, names a group's site as
 * its helper and joins, then copies what the master sends.  dossier's
 * 'dossier serve' challenges it on a Replication Manager channel (a nonce
 * to answer with a keyed hash under the group key); the stranger either
 * never answers (silent: the message thread that got the challenge keeps
 * it and sleeps) or answers with random bytes (wrong).  With -t it exits
 * after that many seconds without closing anything, as a process that is
 * killed does, so that a test can make it come and go.
 *
 * It prints one line per replication event and per challenge, each with
 * the seconds since it started, for the test's log.  Exit status: 0 at
 * the end of its lifetime, 3 when the group tells it that it was removed
 * (DB_EVENT_REP_LOCAL_SITE_REMOVED), 1 on an error, 2 on bad usage.
 */
#include "config.h"

#include <sys/time.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <db.h>

#define STRANGER_THREADS	50	/* silent: one sleeps per challenge */
#define STRANGER_ANSWER		32	/* the size of a true answer */

enum stranger_mode {
	STRANGER_SILENT,
	STRANGER_WRONG
};

static enum stranger_mode	 mode;
static double			 started;

static const char *const stranger_events[] = {
	[DB_EVENT_REP_CLIENT] = "client",
	[DB_EVENT_REP_CONNECT_BROKEN] = "connection broken",
	[DB_EVENT_REP_CONNECT_ESTD] = "connected",
	[DB_EVENT_REP_CONNECT_TRY_FAILED] = "connection attempt failed",
	[DB_EVENT_REP_DUPMASTER] = "duplicate master",
	[DB_EVENT_REP_ELECTED] = "elected",
	[DB_EVENT_REP_ELECTION_FAILED] = "election failed",
	[DB_EVENT_REP_INIT_DONE] = "initialisation done",
	[DB_EVENT_REP_JOIN_FAILURE] = "join failure",
	[DB_EVENT_REP_LOCAL_SITE_REMOVED] = "removed from the group",
	[DB_EVENT_REP_MASTER] = "master",
	[DB_EVENT_REP_MASTER_FAILURE] = "master failure",
	[DB_EVENT_REP_NEWMASTER] = "new master",
	[DB_EVENT_REP_PERM_FAILED] = "acknowledgements failed",
	[DB_EVENT_REP_SITE_ADDED] = "a site was added",
	[DB_EVENT_REP_SITE_REMOVED] = "a site was removed",
	[DB_EVENT_REP_STARTUPDONE] = "caught up"
};

static double	stranger_now(void);
static void	stranger_say(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static void	stranger_dispatch(DB_ENV *, DB_CHANNEL *, DBT *, u_int32_t,
		    u_int32_t);
static void	stranger_event(DB_ENV *, u_int32_t, void *);
static int	stranger_addr(const char *, char *, size_t, u_int *);
static void	stranger_usage(void) __attribute__((noreturn));

static double
stranger_now(void)
{
	struct timeval	 tv;

	gettimeofday(&tv, NULL);
	return ((double)tv.tv_sec + (double)tv.tv_usec / 1e6);
}

static void
stranger_say(const char *fmt, ...)
{
	va_list	 ap;

	flockfile(stdout);
	printf("stranger %.3f ", stranger_now() - started);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	funlockfile(stdout);
}

/* A message thread: a challenge, kept unanswered or answered wrongly. */
static void
stranger_dispatch(DB_ENV *env, DB_CHANNEL *ch, DBT *req, u_int32_t nreq,
    u_int32_t flags)
{
	unsigned char	 junk[STRANGER_ANSWER];
	DBT		 resp;
	size_t		 i;

	stranger_say("challenge received (%u parts%s)", nreq,
	    (flags & DB_REPMGR_NEED_RESPONSE) ? ", an answer asked" : "");
	if ((flags & DB_REPMGR_NEED_RESPONSE) == 0)
		return;
	if (mode == STRANGER_SILENT) {
		for (;;)
			sleep(1000);
	}
	for (i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)random();
	memset(&resp, 0, sizeof resp);
	resp.data = junk;
	resp.size = sizeof junk;
	if (ch->send_msg(ch, &resp, 1, 0) == 0)
		stranger_say("answered with %zu random bytes", sizeof junk);
}

static void
stranger_event(DB_ENV *env, u_int32_t event, void *info)
{
	const char	*name = NULL;

	if (event < sizeof stranger_events / sizeof stranger_events[0])
		name = stranger_events[event];
	if (name != NULL)
		stranger_say("event: %s", name);
	else
		stranger_say("event %u", event);
	if (event == DB_EVENT_REP_LOCAL_SITE_REMOVED) {
		stranger_say("removed: exiting");
		_exit(3);
	}
}

/* HOST:PORT into its parts; -1 if it is not one. */
static int
stranger_addr(const char *s, char *host, size_t size, u_int *port)
{
	const char	*colon;
	char		*end;
	unsigned long	 n;

	if ((colon = strrchr(s, ':')) == NULL || colon == s ||
	    (size_t)(colon - s) >= size)
		return (-1);
	n = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || n == 0 || n > 65535)
		return (-1);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	*port = (u_int)n;
	return (0);
}

static void
stranger_usage(void)
{
	fprintf(stderr, "usage: stranger [-p priority] [-t seconds] "
	    "silent|wrong dir host:port peer-host:port\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	DB_ENV		*env;
	DB_SITE		*site;
	char		 host[256], peer[256], *end;
	u_int		 port, peer_port;
	u_long		 priority = 0;
	long		 lifetime = 0;
	int		 ch, ret;

	while ((ch = getopt(argc, argv, "p:t:")) != -1) {
		switch (ch) {
		case 'p':
			priority = strtoul(optarg, &end, 10);
			if (*end != '\0')
				stranger_usage();
			break;
		case 't':
			lifetime = strtol(optarg, &end, 10);
			if (*end != '\0' || lifetime < 0)
				stranger_usage();
			break;
		default:
			stranger_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 4)
		stranger_usage();
	if (strcmp(argv[0], "silent") == 0)
		mode = STRANGER_SILENT;
	else if (strcmp(argv[0], "wrong") == 0)
		mode = STRANGER_WRONG;
	else
		stranger_usage();
	if (stranger_addr(argv[2], host, sizeof host, &port) != 0 ||
	    stranger_addr(argv[3], peer, sizeof peer, &peer_port) != 0)
		stranger_usage();
	started = stranger_now();
	srandom((unsigned int)getpid());

	if ((ret = db_env_create(&env, 0)) != 0) {
		fprintf(stderr, "stranger: db_env_create: %s\n",
		    db_strerror(ret));
		return (1);
	}
	env->set_errfile(env, stderr);
	env->set_errpfx(env, "stranger");
	env->set_event_notify(env, stranger_event);
	if ((ret = env->repmgr_site(env, host, port, &site, 0)) != 0 ||
	    (ret = site->set_config(site, DB_LOCAL_SITE, 1)) != 0 ||
	    (ret = site->close(site)) != 0 ||
	    (ret = env->repmgr_site(env, peer, peer_port, &site, 0)) != 0 ||
	    (ret = site->set_config(site, DB_BOOTSTRAP_HELPER, 1)) != 0 ||
	    (ret = site->close(site)) != 0 ||
	    (ret = env->rep_set_priority(env, (u_int32_t)priority)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_CONNECTION_RETRY,
	    500000)) != 0 ||
	    (ret = env->rep_set_timeout(env, DB_REP_ELECTION_RETRY,
	    500000)) != 0 ||
	    (ret = env->repmgr_msg_dispatch(env, stranger_dispatch, 0)) != 0) {
		fprintf(stderr, "stranger: setting up: %s\n", db_strerror(ret));
		return (1);
	}
	ret = env->open(env, argv[1], DB_CREATE|DB_INIT_TXN|DB_INIT_LOCK|
	    DB_INIT_LOG|DB_INIT_MPOOL|DB_THREAD|DB_INIT_REP|DB_RECOVER, 0600);
	if (ret != 0) {
		fprintf(stderr, "stranger: opening %s: %s\n", argv[1],
		    db_strerror(ret));
		return (1);
	}
	stranger_say("joining as %s:%u through %s:%u, %s", host, port, peer,
	    peer_port, mode == STRANGER_SILENT ? "silent" : "answering wrongly");
	if ((ret = env->repmgr_start(env, STRANGER_THREADS,
	    DB_REP_CLIENT)) != 0) {
		fprintf(stderr, "stranger: repmgr_start: %s\n",
		    db_strerror(ret));
		_exit(1);
	}
	if (lifetime > 0) {
		sleep((u_int)lifetime);
		stranger_say("lifetime over: exiting without closing");
		_exit(0);
	}
	for (;;)
		sleep(1000);
}
