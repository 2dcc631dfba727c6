/*
 * slowlink.c: a TCP relay that behaves like a slow link, for 'make bench'
 * (tests/bench/replication.sh).  Benchmark tooling: not built by 'make',
 * not installed.
 *
 *	slowlink [--rate BYTES_PER_S] [--delay-ms MS] [--pair]
 *	    [--bind ADDR] [--stats FILE] LISTENPORT=HOST:PORT ...
 *
 * For each mapping it listens on ADDR:LISTENPORT (127.0.0.1 unless told)
 * and relays every connection it accepts to HOST:PORT.  Both directions
 * of each link are shaped as a real line would be: a chunk read from one
 * side waits for the line in that direction to be free, takes
 * bytes / rate seconds to go through it (the line is shared, first come
 * first served, by every connection of the link), and arrives delay-ms
 * later.  The connection to the target is opened delay-ms after the
 * client's, as the first packet of a real handshake would arrive.
 * Bytes are never lost or reordered; when one side closes (or fails),
 * what it sent is delivered and then both sides are closed.
 *
 * A link is one mapping, with a line each way.  With --pair there must
 * be two mappings, the two ends of one link between two sites: bytes
 * toward the first mapping's target share one line, whether they travel
 * on a connection the other site opened to it (through the first
 * mapping) or on an answer to a connection it opened (through the
 * second), and the same toward the second.  That is a single 64 kbit/s
 * line between two sites, used in both directions by both sites.
 *
 * What it does not model: loss, jitter, reordering, a shared queue's
 * drops, and TCP's own slow start over the line.  The relay holds at most
 * QUEUE_MAX bytes a connection and direction (2 s of a 64 kbit/s line)
 * and keeps its sockets' receive buffers small, so that what a sender
 * writes beyond that waits in its own socket, as it would behind a slow
 * line, rather than in loopback's large buffers.
 *
 * On SIGUSR1, and when it ends (SIGTERM, SIGINT), it writes what each
 * line carried to the --stats file (or to standard error): bytes,
 * connections, and the most bytes it delivered in any one second.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAPS_MAX	8
#define CONNS_MAX	256
#define CHUNK		1460		/* one Ethernet segment's payload */
#define QUEUE_MAX	16384		/* bytes queued, a connection and direction */
#define RCVBUF		16384		/* each socket's receive buffer */
#define SLOTS		10		/* 100 ms slots, for the peak of a second */

struct line {
	char		 name[64];
	double		 free_at;	/* when the line has sent all it holds */
	uint64_t	 bytes;		/* delivered */
	uint64_t	 conns;
	double		 first, last;	/* first and last delivery */
	uint64_t	 slot[SLOTS];	/* delivered in each of the last slots */
	long		 slot_now;	/* the slot slot[slot_now % SLOTS] counts */
	uint64_t	 peak;		/* most delivered in SLOTS slots */
};

struct map {
	int		 lfd;
	int		 port;
	struct sockaddr_in target;
	char		 spec[128];
	struct line	*to_target;	/* client to target */
	struct line	*to_client;	/* target to client */
};

struct chunk {
	struct chunk	*next;
	double		 due;
	size_t		 len, off;
	unsigned char	 data[CHUNK];
};

/* One direction of one connection: from fd 'from' to fd 'to'. */
struct flow {
	struct line	*line;
	struct chunk	*head, *tail;
	size_t		 queued;
	int		 eof;		/* 'from' closed or failed */
};

struct conn {
	int		 used;
	int		 cfd, tfd;	/* client, target (-1 until connected) */
	int		 connecting;	/* tfd's connect in progress */
	double		 connect_at;	/* when to open tfd */
	struct map	*map;
	struct flow	 up;		/* client to target */
	struct flow	 down;		/* target to client */
};

static double		 rate = 8000;
static double		 delay = 0.150;
static struct map	 maps[MAPS_MAX];
static int		 nmaps;
static struct line	 lines[2 * MAPS_MAX];
static struct conn	 conns[CONNS_MAX];
static const char	*stats_path;
static volatile sig_atomic_t want_stats, want_exit;

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
usage(void)
{
	fprintf(stderr, "usage: slowlink [--rate BYTES_PER_S] [--delay-ms MS] "
	    "[--pair] [--bind ADDR] [--stats FILE] "
	    "LISTENPORT=HOST:PORT ...\n");
	exit(2);
}

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_stats = 1;
	else
		want_exit = 1;
}

static void
nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void
line_count(struct line *l, size_t n, double t)
{
	long	 s = (long)(t * SLOTS), i;
	uint64_t sum;

	if (l->bytes == 0)
		l->first = t;
	l->last = t;
	l->bytes += n;
	if (s - l->slot_now >= SLOTS)
		memset(l->slot, 0, sizeof l->slot);
	else
		for (i = l->slot_now + 1; i <= s; i++)
			l->slot[i % SLOTS] = 0;
	if (s > l->slot_now)
		l->slot_now = s;
	l->slot[s % SLOTS] += n;
	for (i = sum = 0; i < SLOTS; i++)
		sum += l->slot[i];
	if (sum > l->peak)
		l->peak = sum;
}

static void
stats_write(void)
{
	FILE	*f = stderr;
	char	 tmp[PATH_MAX];
	int	 i;

	/* Written aside and renamed: a reader sees all of it or none. */
	if (stats_path != NULL) {
		if (snprintf(tmp, sizeof tmp, "%s.tmp", stats_path) >=
		    (int)sizeof tmp || (f = fopen(tmp, "w")) == NULL)
			return;
	}
	fprintf(f, "# line bytes connections seconds_from_first_to_last "
	    "peak_bytes_in_1s\n");
	for (i = 0; i < 2 * nmaps; i++) {
		struct line *l = &lines[i];

		if (l->name[0] == '\0')
			continue;
		fprintf(f, "%s %llu %llu %.1f %llu\n", l->name,
		    (unsigned long long)l->bytes, (unsigned long long)l->conns,
		    l->bytes ? l->last - l->first : 0.0,
		    (unsigned long long)l->peak);
	}
	if (f != stderr && fclose(f) == 0)
		rename(tmp, stats_path);
}

static int
parse_map(const char *arg, struct map *m)
{
	char		 host[64], *eq, *colon;
	struct addrinfo	 hints, *res;
	long		 lport, tport;

	if (strlen(arg) >= sizeof m->spec)
		return (-1);
	strcpy(m->spec, arg);
	lport = strtol(arg, &eq, 10);
	if (*eq != '=' || lport <= 0 || lport > 65535)
		return (-1);
	colon = strrchr(eq + 1, ':');
	if (colon == NULL || (size_t)(colon - eq - 1) >= sizeof host)
		return (-1);
	memcpy(host, eq + 1, colon - eq - 1);
	host[colon - eq - 1] = '\0';
	tport = strtol(colon + 1, &eq, 10);
	if (*eq != '\0' || tport <= 0 || tport > 65535)
		return (-1);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return (-1);
	memcpy(&m->target, res->ai_addr, sizeof m->target);
	m->target.sin_port = htons((uint16_t)tport);
	freeaddrinfo(res);
	m->port = (int)lport;
	return (0);
}

static void
flow_free(struct flow *f)
{
	struct chunk	*c;

	while ((c = f->head) != NULL) {
		f->head = c->next;
		free(c);
	}
	f->tail = NULL;
	f->queued = 0;
}

static void
conn_close(struct conn *c)
{
	if (c->cfd != -1)
		close(c->cfd);
	if (c->tfd != -1)
		close(c->tfd);
	flow_free(&c->up);
	flow_free(&c->down);
	memset(c, 0, sizeof *c);
	c->cfd = c->tfd = -1;
}

static void
conn_accept(struct map *m)
{
	struct conn	*c = NULL;
	int		 fd, i, one = 1;

	if ((fd = accept(m->lfd, NULL, NULL)) == -1)
		return;
	for (i = 0; i < CONNS_MAX; i++)
		if (!conns[i].used) {
			c = &conns[i];
			break;
		}
	if (c == NULL) {
		close(fd);
		return;
	}
	nonblock(fd);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(c, 0, sizeof *c);
	c->used = 1;
	c->cfd = fd;
	c->tfd = -1;
	c->map = m;
	c->connect_at = now() + delay;
	c->up.line = m->to_target;
	c->down.line = m->to_client;
	m->to_target->conns++;
}

static void
conn_connect(struct conn *c)
{
	int	 one = 1, rcvbuf = RCVBUF;

	c->tfd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->tfd == -1) {
		c->up.eof = c->down.eof = 1;
		return;
	}
	nonblock(c->tfd);
	setsockopt(c->tfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	setsockopt(c->tfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->tfd, (struct sockaddr *)&c->map->target,
	    sizeof c->map->target) == -1) {
		if (errno != EINPROGRESS) {
			/* Refused: the client sees its connection close. */
			c->down.eof = 1;
			return;
		}
		c->connecting = 1;
	}
}

/* Read what 'fd' has, as chunks timed for the line, into 'f'. */
static void
flow_read(struct flow *f, int fd)
{
	struct chunk	*c;
	ssize_t		 n;
	double		 t;

	while (!f->eof && f->queued < QUEUE_MAX) {
		if ((c = malloc(sizeof *c)) == NULL)
			return;
		n = read(fd, c->data, sizeof c->data);
		if (n <= 0) {
			free(c);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				return;
			f->eof = 1;
			return;
		}
		t = now();
		if (f->line->free_at < t)
			f->line->free_at = t;
		f->line->free_at += n / rate;
		c->due = f->line->free_at + delay;
		c->len = (size_t)n;
		c->off = 0;
		c->next = NULL;
		if (f->tail != NULL)
			f->tail->next = c;
		else
			f->head = c;
		f->tail = c;
		f->queued += (size_t)n;
	}
}

/* Write what is due from 'f' to 'fd'; -1 if 'fd' failed. */
static int
flow_write(struct flow *f, int fd)
{
	struct chunk	*c;
	ssize_t		 n;
	double		 t = now();

	while ((c = f->head) != NULL && c->due <= t) {
		n = write(fd, c->data + c->off, c->len - c->off);
		if (n == -1)
			return (errno == EAGAIN || errno == EINTR ? 0 : -1);
		line_count(f->line, (size_t)n, t);
		c->off += (size_t)n;
		f->queued -= (size_t)n;
		if (c->off < c->len)
			return (0);
		f->head = c->next;
		if (f->head == NULL)
			f->tail = NULL;
		free(c);
	}
	return (0);
}

static void
setup(int argc, char **argv)
{
	struct sockaddr_in	 sin;
	const char		*bind_addr = "127.0.0.1";
	int			 i, one = 1, pair = 0, rcvbuf = RCVBUF;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc)
			rate = atof(argv[++i]);
		else if (strcmp(argv[i], "--delay-ms") == 0 && i + 1 < argc)
			delay = atof(argv[++i]) / 1000;
		else if (strcmp(argv[i], "--bind") == 0 && i + 1 < argc)
			bind_addr = argv[++i];
		else if (strcmp(argv[i], "--stats") == 0 && i + 1 < argc)
			stats_path = argv[++i];
		else if (strcmp(argv[i], "--pair") == 0)
			pair = 1;
		else if (argv[i][0] == '-' || nmaps == MAPS_MAX ||
		    parse_map(argv[i], &maps[nmaps++]) != 0)
			usage();
	}
	if (nmaps == 0 || rate <= 0 || delay < 0 || (pair && nmaps != 2))
		usage();
	for (i = 0; i < nmaps; i++) {
		struct map	*m = &maps[i];

		if (pair) {
			/* Toward each target, one line; see the top. */
			m->to_target = &lines[i];
			m->to_client = &lines[1 - i];
			snprintf(lines[i].name, sizeof lines[i].name,
			    "to:%s", strchr(m->spec, '=') + 1);
		} else {
			m->to_target = &lines[2 * i];
			m->to_client = &lines[2 * i + 1];
			snprintf(m->to_target->name, sizeof lines[0].name,
			    "%d:to-target", m->port);
			snprintf(m->to_client->name, sizeof lines[0].name,
			    "%d:to-client", m->port);
		}
		m->lfd = socket(AF_INET, SOCK_STREAM, 0);
		if (m->lfd == -1)
			goto fail;
		setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		/* Before listen(2): accepted sockets inherit it. */
		setsockopt(m->lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof rcvbuf);
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)m->port);
		if (inet_pton(AF_INET, bind_addr, &sin.sin_addr) != 1)
			usage();
		if (bind(m->lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
		    listen(m->lfd, 16) == -1)
			goto fail;
		nonblock(m->lfd);
	}
	for (i = 0; i < CONNS_MAX; i++)
		conns[i].cfd = conns[i].tfd = -1;
	return;
fail:
	fprintf(stderr, "slowlink: %s: %s\n", maps[i].spec, strerror(errno));
	exit(1);
}

/* One turn for one connection: connect, move bytes, close when done. */
static void
conn_turn(struct conn *c, short crev, short trev)
{
	int	 err = 0;
	socklen_t len = sizeof err;

	if (c->tfd == -1 && !c->down.eof && now() >= c->connect_at)
		conn_connect(c);
	if (c->connecting && (trev & (POLLOUT | POLLERR | POLLHUP))) {
		getsockopt(c->tfd, SOL_SOCKET, SO_ERROR, &err, &len);
		c->connecting = 0;
		if (err != 0)
			c->down.eof = 1;
	}
	if (crev & (POLLIN | POLLHUP | POLLERR))
		flow_read(&c->up, c->cfd);
	if (c->tfd != -1 && !c->connecting) {
		if (trev & (POLLIN | POLLHUP | POLLERR))
			flow_read(&c->down, c->tfd);
		if (flow_write(&c->up, c->tfd) == -1)
			c->down.eof = c->up.eof = 1;
	}
	if (flow_write(&c->down, c->cfd) == -1)
		c->down.eof = c->up.eof = 1;
	/* One side closed and what it sent has been delivered. */
	if ((c->up.eof && c->up.head == NULL) ||
	    (c->down.eof && c->down.head == NULL) ||
	    (c->down.eof && c->tfd == -1))
		conn_close(c);
}

int
main(int argc, char **argv)
{
	struct pollfd	 pfd[MAPS_MAX + 2 * CONNS_MAX];
	int		 who[MAPS_MAX + 2 * CONNS_MAX];
	struct sigaction sa;
	int		 i, n, timeout;
	double		 t, next;

	setup(argc, argv);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (!want_exit) {
		if (want_stats) {
			want_stats = 0;
			stats_write();
		}
		n = 0;
		for (i = 0; i < nmaps; i++) {
			pfd[n].fd = maps[i].lfd;
			pfd[n].events = POLLIN;
			who[n++] = -1;
		}
		t = now();
		next = t + 1;
		for (i = 0; i < CONNS_MAX; i++) {
			struct conn *c = &conns[i];

			if (!c->used)
				continue;
			pfd[n].fd = c->cfd;
			pfd[n].events = 0;
			if (!c->up.eof && c->up.queued < QUEUE_MAX)
				pfd[n].events |= POLLIN;
			if (c->down.head != NULL) {
				if (c->down.head->due <= t)
					pfd[n].events |= POLLOUT;
				else if (c->down.head->due < next)
					next = c->down.head->due;
			}
			who[n++] = i;
			if (c->tfd == -1) {
				if (c->connect_at < next)
					next = c->connect_at;
				continue;
			}
			pfd[n].fd = c->tfd;
			pfd[n].events = c->connecting ? POLLOUT : 0;
			if (!c->connecting && !c->down.eof &&
			    c->down.queued < QUEUE_MAX)
				pfd[n].events |= POLLIN;
			if (c->up.head != NULL && !c->connecting) {
				if (c->up.head->due <= t)
					pfd[n].events |= POLLOUT;
				else if (c->up.head->due < next)
					next = c->up.head->due;
			}
			who[n++] = i;
		}
		timeout = (int)((next - t) * 1000) + 1;
		if (timeout < 0)
			timeout = 0;
		if (poll(pfd, n, timeout) == -1 && errno != EINTR)
			break;
		for (i = 0; i < nmaps; i++)
			if (pfd[i].revents & POLLIN)
				conn_accept(&maps[i]);
		for (i = nmaps; i < n; i++) {
			struct conn *c = &conns[who[i]];
			short	 crev, trev = 0;

			if (!c->used || pfd[i].fd != c->cfd)
				continue;
			crev = pfd[i].revents;
			if (i + 1 < n && who[i + 1] == who[i] &&
			    pfd[i + 1].fd == c->tfd)
				trev = pfd[++i].revents;
			conn_turn(c, crev, trev);
		}
		/* Connections with nothing polled still need their turn. */
		for (i = 0; i < CONNS_MAX; i++)
			if (conns[i].used)
				conn_turn(&conns[i], 0, 0);
	}
	stats_write();
	return (0);
}
