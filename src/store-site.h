/*
 * store-site.h: what store-site.c and store-group.c share about a site
 * of a replication group (the store module's inside).
 */
#ifndef STORE_SITE_H
#define STORE_SITE_H

#include <sys/types.h>

#define SITE_CONF		"site.conf"
#define SITE_SERVE_LOCK		"serve.lock"
#define SITE_KEY		"site.key"	/* the group key, mode 0600 */
#define SITE_PEERS_MAX		8
#define SITE_BEAT_KEY		"site.beat"
#define SITE_REQUEST_MAX	1280000	/* us: the longest wait before asking again */

struct site_addr {
	char		 host[256];
	u_int		 port;
};

struct store_site {
	struct site_addr self;
	struct site_addr peers[SITE_PEERS_MAX];
	int		 npeers;
	int		 creator;	/* made the group ('site init') */
	int		 acks;		/* DB_REPMGR_ACKS_* */
	u_int		 ack_timeout;	/* milliseconds */
	u_int		 heartbeat;	/* seconds */
	u_int		 priority;
	int		 bulk;		/* send in bulk (messages up to 1 MB) */
};

int	 site_parse_addr(const char *, struct site_addr *);
const char *site_acks_name(int);
int	 site_write(const char *, const struct store_site *, char **);
int	 site_file_write(const char *, const char *, const char *, mode_t,
	    char **);
int	 site_serve_running(struct store *);
void	 site_eid_addr(struct store *, int, char *, size_t);
int	 site_role(struct store *, int *, int *);

/* store-auth.c: the group key. */
int	 site_key_create(const char *, char **);
int	 site_key_install(const char *, const char *, char **);
int	 site_key_check(const char *, char **);

#endif
