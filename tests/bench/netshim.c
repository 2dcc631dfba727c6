/*
 * netshim.c: an LD_PRELOAD object for 'make bench' that sends IPv4
 * connections elsewhere.  Benchmark tooling: not built by 'make', not
 * installed.
 *
 *	DOSSIER_BENCH_REDIRECT="127.0.0.1:30000=127.0.0.1:31000,..." \
 *	LD_PRELOAD=.../netshim.so dossier ...
 *
 * A Berkeley DB replication site binds the address it advertises, and
 * each site connects to the address the other advertises, so a relay
 * (tests/bench/slowlink) cannot sit between two sites on one machine by
 * addresses alone.  Run with this object, a site's connect(2) to
 * 127.0.0.1:30000 goes to 127.0.0.1:31000 instead, where the relay
 * listens.  Nothing else changes: the result and errno are those of the
 * real connect(2) (the Replication Manager's are non-blocking, and
 * EINPROGRESS must reach it as is).  An entry that does not parse is
 * ignored; at most REDIRECT_MAX entries are read.
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define REDIRECT_MAX	16

struct redirect {
	struct in_addr	 from_addr, to_addr;
	in_port_t	 from_port, to_port;	/* network order */
};

static struct redirect	 redirects[REDIRECT_MAX];
static int		 nredirects;
static int		(*real_connect)(int, const struct sockaddr *, socklen_t);
static pthread_once_t	 once = PTHREAD_ONCE_INIT;

/* "HOST:PORT" with HOST a dotted IPv4 address; 0 if it parses. */
static int
parse_addr(const char *s, size_t len, struct in_addr *a, in_port_t *p)
{
	char		 buf[32], *colon, *end;
	unsigned long	 port;

	if (len >= sizeof buf)
		return (-1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((colon = strrchr(buf, ':')) == NULL)
		return (-1);
	*colon = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || port == 0 || port > 65535)
		return (-1);
	if (inet_pton(AF_INET, buf, a) != 1)
		return (-1);
	*p = htons((in_port_t)port);
	return (0);
}

static void
load(void)
{
	const char	*env, *s, *comma, *eq;
	struct redirect	*r;

	real_connect = (int (*)(int, const struct sockaddr *, socklen_t))
	    dlsym(RTLD_NEXT, "connect");
	if ((env = getenv("DOSSIER_BENCH_REDIRECT")) == NULL)
		return;
	for (s = env; *s != '\0' && nredirects < REDIRECT_MAX; s = comma) {
		if ((comma = strchr(s, ',')) == NULL)
			comma = s + strlen(s);
		eq = memchr(s, '=', comma - s);
		r = &redirects[nredirects];
		if (eq != NULL &&
		    parse_addr(s, eq - s, &r->from_addr, &r->from_port) == 0 &&
		    parse_addr(eq + 1, comma - eq - 1, &r->to_addr,
		    &r->to_port) == 0)
			nredirects++;
		if (*comma == ',')
			comma++;
	}
}

int
connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	const struct sockaddr_in	*sin;
	struct sockaddr_in		 to;
	int				 i, saved = errno;

	pthread_once(&once, load);
	errno = saved;
	if (real_connect == NULL) {
		errno = ENOSYS;
		return (-1);
	}
	if (sa == NULL || len < sizeof to || sa->sa_family != AF_INET)
		return (real_connect(fd, sa, len));
	sin = (const struct sockaddr_in *)sa;
	for (i = 0; i < nredirects; i++) {
		if (sin->sin_port != redirects[i].from_port ||
		    sin->sin_addr.s_addr != redirects[i].from_addr.s_addr)
			continue;
		memcpy(&to, sin, sizeof to);
		to.sin_addr = redirects[i].to_addr;
		to.sin_port = redirects[i].to_port;
		return (real_connect(fd, (const struct sockaddr *)&to,
		    sizeof to));
	}
	return (real_connect(fd, sa, len));
}
