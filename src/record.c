/*
 * record.c: the record encoding.
 *
 *	"DR" version(1)=1 flags(1)=0 count(u32 BE)
 *	count times: keylen(u8) key  vallen(u32 BE) value
 *
 * Keys are 1..64 bytes of [a-z0-9_.-]; values are at most 16 MiB; a record
 * holds at most 4096 fields, each key once.  The decoder checks every
 * length against what is left and rejects trailing bytes: it is fuzzed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "record.h"
#include "util.h"

#define RECORD_MAGIC0	'D'
#define RECORD_MAGIC1	'R'
#define RECORD_VERSION	1
#define RECORD_HEADER	8

struct record_field {
	char		*key;
	uint8_t		*value;		/* len + 1 bytes, NUL-terminated */
	size_t		 len;
};

struct record {
	struct record_field	*fields;
	size_t			 n;
	size_t			 alloc;
};

static struct record_field *record_find(const struct record *, const char *);

struct record *
record_create(void)
{
	return (xcalloc(1, sizeof(struct record)));
}

void
record_free(struct record *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->fields[i].key);
		wipe(r->fields[i].value, r->fields[i].len);
		free(r->fields[i].value);
	}
	free(r->fields);
	free(r);
}

struct record *
record_copy(const struct record *r)
{
	struct record	*c;
	size_t		 i;

	c = record_create();
	for (i = 0; i < r->n; i++)
		record_set(c, r->fields[i].key, r->fields[i].value,
		    r->fields[i].len);
	return (c);
}

/* Copy every field of src into dst (replacing those it has). */
void
record_merge(struct record *dst, const struct record *src)
{
	size_t	 i;

	for (i = 0; i < src->n; i++)
		record_set(dst, src->fields[i].key, src->fields[i].value,
		    src->fields[i].len);
}

int
record_valid_key(const char *key)
{
	size_t	 len, i;

	len = strlen(key);
	if (len == 0 || len > RECORD_KEY_MAX)
		return (0);
	for (i = 0; i < len; i++) {
		if ((key[i] >= 'a' && key[i] <= 'z') ||
		    (key[i] >= '0' && key[i] <= '9') ||
		    key[i] == '_' || key[i] == '.' || key[i] == '-')
			continue;
		return (0);
	}
	return (1);
}

static struct record_field *
record_find(const struct record *r, const char *key)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->fields[i].key, key) == 0)
			return (&r->fields[i]);
	}
	return (NULL);
}

int
record_set(struct record *r, const char *key, const void *value, size_t len)
{
	struct record_field	*f;
	uint8_t			*copy;

	if (!record_valid_key(key) || len > RECORD_VALUE_MAX)
		return (-1);
	copy = xmalloc(len + 1);
	if (len != 0)
		memcpy(copy, value, len);
	copy[len] = '\0';
	if ((f = record_find(r, key)) != NULL) {
		wipe(f->value, f->len);
		free(f->value);
		f->value = copy;
		f->len = len;
		return (0);
	}
	if (r->n == RECORD_FIELDS_MAX) {
		free(copy);
		return (-1);
	}
	if (r->n == r->alloc) {
		r->alloc = r->alloc == 0 ? 8 : r->alloc * 2;
		r->fields = xrealloc(r->fields, r->alloc * sizeof *r->fields);
	}
	f = &r->fields[r->n++];
	f->key = xstrdup(key);
	f->value = copy;
	f->len = len;
	return (0);
}

int
record_set_str(struct record *r, const char *key, const char *value)
{
	return (record_set(r, key, value, strlen(value)));
}

int
record_set_int(struct record *r, const char *key, int64_t value)
{
	char	 buf[32];
	int	 n;

	n = snprintf(buf, sizeof buf, "%lld", (long long)value);
	return (record_set(r, key, buf, (size_t)n));
}

int
record_unset(struct record *r, const char *key)
{
	struct record_field	*f;
	size_t			 i;

	if ((f = record_find(r, key)) == NULL)
		return (-1);
	i = f - r->fields;
	free(f->key);
	wipe(f->value, f->len);
	free(f->value);
	memmove(&r->fields[i], &r->fields[i + 1],
	    (r->n - i - 1) * sizeof *r->fields);
	r->n--;
	return (0);
}

const void *
record_get(const struct record *r, const char *key, size_t *len)
{
	struct record_field	*f;

	if ((f = record_find(r, key)) == NULL)
		return (NULL);
	if (len != NULL)
		*len = f->len;
	return (f->value);
}

const char *
record_get_str(const struct record *r, const char *key)
{
	return (record_get(r, key, NULL));
}

int64_t
record_get_int(const struct record *r, const char *key, int64_t dflt)
{
	const char	*s;
	char		*end;
	long long	 v;

	if ((s = record_get_str(r, key)) == NULL || *s == '\0')
		return (dflt);
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return (dflt);
	return (v);
}

size_t
record_count(const struct record *r)
{
	return (r->n);
}

const char *
record_key_at(const struct record *r, size_t i)
{
	return (i < r->n ? r->fields[i].key : NULL);
}

const void *
record_value_at(const struct record *r, size_t i, size_t *len)
{
	if (i >= r->n)
		return (NULL);
	if (len != NULL)
		*len = r->fields[i].len;
	return (r->fields[i].value);
}

void
record_encode(const struct record *r, uint8_t **out, size_t *outlen)
{
	size_t	 size, i, klen;
	uint8_t	*p;

	size = RECORD_HEADER;
	for (i = 0; i < r->n; i++)
		size += 1 + strlen(r->fields[i].key) + 4 + r->fields[i].len;
	p = *out = xmalloc(size);
	*outlen = size;
	p[0] = RECORD_MAGIC0;
	p[1] = RECORD_MAGIC1;
	p[2] = RECORD_VERSION;
	p[3] = 0;
	put_be32(p + 4, (uint32_t)r->n);
	p += RECORD_HEADER;
	for (i = 0; i < r->n; i++) {
		klen = strlen(r->fields[i].key);
		*p++ = (uint8_t)klen;
		memcpy(p, r->fields[i].key, klen);
		p += klen;
		put_be32(p, (uint32_t)r->fields[i].len);
		p += 4;
		if (r->fields[i].len != 0)
			memcpy(p, r->fields[i].value, r->fields[i].len);
		p += r->fields[i].len;
	}
}

struct record *
record_decode(const void *buf, size_t len, char **cause)
{
	return (record_decode_keys(buf, len, NULL, 0, cause));
}

static int
record_key_cmp(const void *a, const void *b)
{
	return (strcmp(a, *(const char * const *)b));
}

/* keys is sorted (strcmp order): a binary search per field. */
static int
record_wanted(const char *key, const char **keys, size_t nkeys)
{
	if (keys == NULL)
		return (1);
	return (bsearch(key, keys, nkeys, sizeof *keys, record_key_cmp) !=
	    NULL);
}

/*
 * Decode keeping only the fields named in keys, sorted in strcmp order
 * (all of them when keys is NULL).  The whole encoding is still checked; lists of 100,000 case
 * headers need a dozen fields of each, not forty.
 */
struct record *
record_decode_keys(const void *buf, size_t len, const char **keys,
    size_t nkeys, char **cause)
{
	const uint8_t	*p = buf, *end = p + len;
	struct record	*r;
	struct record_field *f;
	uint32_t	 count, i, vlen;
	char		 key[RECORD_KEY_MAX + 1];
	size_t		 klen;

	if (len < RECORD_HEADER || p[0] != RECORD_MAGIC0 ||
	    p[1] != RECORD_MAGIC1) {
		err_set(cause, _("A stored record is damaged (bad header)."));
		return (NULL);
	}
	if (p[2] != RECORD_VERSION) {
		err_set(cause, _("A stored record has format version %u, which "
		    "this version of dossier cannot read."), p[2]);
		return (NULL);
	}
	count = get_be32(p + 4);
	if (p[3] != 0 || count > RECORD_FIELDS_MAX)
		goto bad;
	p += RECORD_HEADER;
	r = record_create();
	/* A field is at least 5 bytes: count cannot ask for more. */
	if (count > (size_t)(end - p) / 5)
		goto bad_free;
	if (count > 0) {
		r->fields = xcalloc(count, sizeof *r->fields);
		r->alloc = count;
	}
	for (i = 0; i < count; i++) {
		if (end - p < 1)
			goto bad_free;
		klen = *p++;
		if (klen == 0 || klen > RECORD_KEY_MAX || (size_t)(end - p) < klen)
			goto bad_free;
		memcpy(key, p, klen);
		key[klen] = '\0';
		if (memchr(key, '\0', klen) != NULL)
			goto bad_free;	/* found by fuzz-record */
		p += klen;
		if (!record_valid_key(key))
			goto bad_free;
		if (end - p < 4)
			goto bad_free;
		vlen = get_be32(p);
		p += 4;
		if (vlen > RECORD_VALUE_MAX || (size_t)(end - p) < vlen)
			goto bad_free;
		if (!record_wanted(key, keys, nkeys)) {
			p += vlen;
			continue;
		}
		if (record_find(r, key) != NULL)
			goto bad_free;
		/* Append directly: record_set() would search again. */
		f = &r->fields[r->n++];
		f->key = xstrndup(key, klen);
		f->value = xmalloc(vlen + 1);
		memcpy(f->value, p, vlen);
		f->value[vlen] = '\0';
		f->len = vlen;
		p += vlen;
	}
	if (p != end)
		goto bad_free;
	return (r);

bad_free:
	record_free(r);
bad:
	err_set(cause, _("A stored record is damaged (bad field lengths)."));
	return (NULL);
}
