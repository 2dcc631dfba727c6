/*
 * record.h: records are ordered maps from field ids to byte values, with a
 * small versioned binary encoding (docs/FORMAT.md, "Record encoding").
 * Unknown fields survive a decode/encode round trip untouched, and a
 * decoded record (and its copies) is encoded in the version it was read
 * from, so that what was signed or hashed verifies again.
 *
 * A record owns its keys and values; record_free() wipes values, since a
 * decoded record may hold decrypted case or witness text.
 */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>
#include <stdint.h>

#define RECORD_KEY_MAX		64
#define RECORD_VALUE_MAX	(16U * 1024 * 1024)
#define RECORD_FIELDS_MAX	4096

struct record;

struct record	*record_create(void);
struct record	*record_create_as(const struct record *);
void		 record_free(struct record *);
struct record	*record_copy(const struct record *);
void		 record_merge(struct record *, const struct record *);

int		 record_valid_key(const char *);
/* Set (or replace) a field; the value is copied.  -1 on a bad key/size. */
int		 record_set(struct record *, const char *, const void *, size_t);
int		 record_set_str(struct record *, const char *, const char *);
int		 record_set_int(struct record *, const char *, int64_t);
int		 record_unset(struct record *, const char *);

/* Values are always followed by a NUL byte not counted in the length. */
const void	*record_get(const struct record *, const char *, size_t *);
const char	*record_get_str(const struct record *, const char *);
int64_t		 record_get_int(const struct record *, const char *, int64_t);

size_t		 record_count(const struct record *);
const char	*record_key_at(const struct record *, size_t);
const void	*record_value_at(const struct record *, size_t, size_t *);

/* Encoding: *out is malloc'd; the caller frees (and wipes if secret). */
void		 record_encode(const struct record *, uint8_t **, size_t *);
struct record	*record_decode(const void *, size_t, char **);
/* New records in version 1 (tests of upgrades only) or 2 (the default). */
void		 record_set_new_version(int);
struct record	*record_decode_keys(const void *, size_t, const char **, size_t,
		    char **);

#endif
