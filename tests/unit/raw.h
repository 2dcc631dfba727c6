/*
 * raw.h: what a user with write access to the data directory's files can
 * do: open a table through Berkeley DB directly, with no passphrase and
 * none of dossier's checks.  The attacks of the security tests use it.
 */
#ifndef RAW_H
#define RAW_H

#include <db.h>
#include <stddef.h>
#include <stdint.h>

struct raw {
	DB_ENV	*env;
	DB	*db;
};

/* One table ("users.db", "meta.db", ...) of the data directory. */
void	 raw_open(struct raw *, const char *, const char *);
void	 raw_close(struct raw *);
void	 raw_get(struct raw *, const void *, size_t, uint8_t **, size_t *);
void	 raw_put(struct raw *, const void *, size_t, const void *, size_t);
void	 raw_del(struct raw *, const void *, size_t);

#endif
