/*
 * record.c: the record encoding (docs/FORMAT.md, "Record encoding").
 *
 * Version 2, written today:
 *	"DR" version(1)=2 count(varint)
 *	count times: key value
 *	key: a byte 1..64, then as many bytes of the key's name; or a byte
 *	     65..255, the name at that place minus 65 in record_names[]
 *	value: vallen(varint) value
 * Varints are LEB128 (7 bits a byte, low first), in as few bytes as can
 * hold them.  A name of the table is always written as its byte.
 *
 * Version 1, still read (stores made before):
 *	"DR" version(1)=1 flags(1)=0 count(u32 BE)
 *	count times: keylen(u8) key  vallen(u32 BE) value
 *
 * A decoded record remembers its version and is encoded again in it, so
 * that a signature or a hash made over its bytes still verifies; a new
 * record is written in version 2.  Each encoding of a record is the only
 * one the decoder accepts for it, so decoding then encoding gives back
 * the same bytes (fuzz-record checks it).
 *
 * Keys are 1..64 bytes of [a-z0-9_.-]; values are at most 16 MiB; a record
 * holds at most 4096 fields, each key once.  The decoder checks every
 * length against what is left and rejects trailing bytes: it is fuzzed.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "record.h"
#include "util.h"

#define RECORD_MAGIC0	'D'
#define RECORD_MAGIC1	'R'
#define RECORD_V1	1
#define RECORD_V2	2
#define RECORD_V1_HEADER 8
#define RECORD_V2_HEADER 4	/* the magic, the version, a count of 0 */
#define RECORD_NAME0	65	/* the first byte naming a field by table */

/*
 * The names version 2 writes as one byte: the fields of case headers,
 * record envelopes, accounts, audit entries and organisation statements,
 * then the shipped forms' fields.  Part of the format: never reordered,
 * never removed, and full (bytes 65 to 255): a name not in it, such as a
 * field a site adds to its forms, is written in full.
 */
static const char *record_names[] = {
	/* 65: case headers */
	"id", "reference", "workflow", "state", "created", "created_by",
	"assignees", "clock.entered", "clock.deadline", "clock.paused_since",
	"clock.paused_days", "clock.resume_left", "clock.resume",
	"clock.previous", "received", "channel", "filed_by", "facts_date",
	"region", "force", "categories", "victim_sex", "victim_age",
	"n.person", "n.allegation", "wholders", "wsnap", "wanchor", "wseal",
	"witnesses", "n.witness", "next_rid", "next_j", "version", "updated",
	"n.hearing", "n.agent", "n.report", "n.decision", "violation_status",
	"n.evidence",
	/* 106: record envelopes and journal entries */
	"by", "at", "kind", "v", "body", "to", "what", "rid", "m", "mac", "pk",
	"sig", "bi", "wv", "wbody",
	/* 121: accounts */
	"name", "role", "disabled", "must_change", "failures", "box_pk",
	"sign_pk", "secret", "org_pk", "root_pk", "approved_by", "approved_at",
	"approval", "seen",
	/* 135: audit entries, statements */
	"seq", "time", "user", "action", "case", "detail", "prev", "via",
	"nonce", "value", "epoch", "holders",
	/* 147: the shipped forms' fields */
	"complainant", "language", "interpreter", "cercle", "commune",
	"locality", "place_type", "unit", "agents_reported", "summary",
	"urgent_risk", "link_duplicate", "link_judicial", "link_commission",
	"full_name", "service_number", "rank", "corps", "unit_then",
	"unit_now", "sex", "age_group", "contact", "pseudonym", "phone",
	"location", "address", "officer_unit", "identifying", "risk",
	"risk_review", "protection", "consent_heard", "consent_recorded",
	"consent_named", "consent_shared", "consent_revoked", "reliability",
	"agent", "category", "norm", "norm_detail", "involvement", "finding",
	/* 191: the shipped forms' fields, continued */
	"finding_date", "finding_reasons", "heard", "date", "start", "end",
	"place", "investigators", "defender_present", "rights_given",
	"statement", "exhibits", "signed", "refusal_reason", "person",
	"notice_date", "file_access_date", "observations_date", "defender",
	"defender_date", "suspension_date", "suspension_authority",
	"suspension_end", "criminal_case", "conflict_checked",
	"conflict_date", "level", "verdict", "decided_by", "sanction",
	"recommendations", "outcome", "notified_agent",
	"notified_complainant", "number", "source", "obtained", "file",
	"file_sha256", "file_size", "weight", "communicable",
	"communicable_reason", "custody", "chronology", "acts", "facts",
	"analysis", "agent_observations", "conclusions", "type", "scope",
	"team", "start_date", "end_date", "report_date", "findings",
	"source_record", "addressee_unit", "addressee_force", "measure",
	"deadline", "status", "status_date", "evidence"
	/* 255: the table is full */
};
#define RECORD_NNAMES	(sizeof record_names / sizeof record_names[0])
_Static_assert(RECORD_NNAMES == 256 - RECORD_NAME0,
    "record_names[] fills bytes 65 to 255");

/* The version a new record is encoded in (record_set_new_version()). */
static int		 record_new_version = RECORD_V2;

/* The table's places in strcmp order of their names, for the encoder. */
static unsigned char	 record_sorted[RECORD_NNAMES];
static pthread_once_t	 record_sorted_once = PTHREAD_ONCE_INIT;

struct record_field {
	char		*key;
	uint8_t		*value;		/* len + 1 bytes, NUL-terminated */
	size_t		 len;
};

struct record {
	struct record_field	*fields;
	size_t			 n;
	size_t			 alloc;
	int			 version;	/* decoded from; 0: new */
};

static struct record_field *record_find(const struct record *, const char *);

struct record *
record_create(void)
{
	return (xcalloc(1, sizeof(struct record)));
}

/* An empty record that is encoded in the version model was decoded from. */
struct record *
record_create_as(const struct record *model)
{
	struct record	*r = record_create();

	r->version = model->version;
	return (r);
}

/*
 * Tests make stores as versions before 2 did (tests/unit/test-upgrade.c);
 * nothing else calls it.
 */
void
record_set_new_version(int version)
{
	record_new_version = version == RECORD_V1 ? RECORD_V1 : RECORD_V2;
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
	c->version = r->version;
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

	/* The first byte first: strcmp() was a twentieth of an import. */
	for (i = 0; i < r->n; i++) {
		if (r->fields[i].key[0] == key[0] &&
		    strcmp(r->fields[i].key, key) == 0)
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

static int
record_name_cmp(const void *a, const void *b)
{
	return (strcmp(record_names[*(const unsigned char *)a],
	    record_names[*(const unsigned char *)b]));
}

static void
record_sort_names(void)
{
	size_t	 i;

	for (i = 0; i < RECORD_NNAMES; i++)
		record_sorted[i] = (unsigned char)i;
	qsort(record_sorted, RECORD_NNAMES, 1, record_name_cmp);
}

/* The byte that names key in version 2, or 0 if it is not in the table. */
static unsigned int
record_name_byte(const char *key)
{
	size_t	 lo = 0, hi = RECORD_NNAMES, mid;
	int	 c;

	pthread_once(&record_sorted_once, record_sort_names);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(key, record_names[record_sorted[mid]]);
		if (c == 0)
			return (RECORD_NAME0 + record_sorted[mid]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (0);
}

static void
record_encode_v1(const struct record *r, uint8_t **out, size_t *outlen)
{
	size_t	 size, i, klen;
	uint8_t	*p;

	size = RECORD_V1_HEADER;
	for (i = 0; i < r->n; i++)
		size += 1 + strlen(r->fields[i].key) + 4 + r->fields[i].len;
	p = *out = xmalloc(size);
	*outlen = size;
	p[0] = RECORD_MAGIC0;
	p[1] = RECORD_MAGIC1;
	p[2] = RECORD_V1;
	p[3] = 0;
	put_be32(p + 4, (uint32_t)r->n);
	p += RECORD_V1_HEADER;
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

void
record_encode(const struct record *r, uint8_t **out, size_t *outlen)
{
	unsigned int	 nb, stack[64], *names = stack;
	size_t		 size, i, klen;
	uint8_t		*p;

	if (r->version == RECORD_V1 ||
	    (r->version == 0 && record_new_version == RECORD_V1)) {
		record_encode_v1(r, out, outlen);
		return;
	}
	if (r->n > sizeof stack / sizeof stack[0])
		names = xcalloc(r->n, sizeof *names);
	size = 3 + varint_size(r->n);
	for (i = 0; i < r->n; i++) {
		names[i] = record_name_byte(r->fields[i].key);
		size += names[i] != 0 ? 1 : 1 + strlen(r->fields[i].key);
		size += varint_size(r->fields[i].len) + r->fields[i].len;
	}
	p = *out = xmalloc(size);
	*outlen = size;
	*p++ = RECORD_MAGIC0;
	*p++ = RECORD_MAGIC1;
	*p++ = RECORD_V2;
	p = varint_put(p, r->n);
	for (i = 0; i < r->n; i++) {
		if ((nb = names[i]) != 0)
			*p++ = (uint8_t)nb;
		else {
			klen = strlen(r->fields[i].key);
			*p++ = (uint8_t)klen;
			memcpy(p, r->fields[i].key, klen);
			p += klen;
		}
		p = varint_put(p, r->fields[i].len);
		if (r->fields[i].len != 0)
			memcpy(p, r->fields[i].value, r->fields[i].len);
		p += r->fields[i].len;
	}
	if (names != stack)
		free(names);
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
	const char	*name;
	char		 key[RECORD_KEY_MAX + 1];
	size_t		 count, i, klen, vlen, minfield;
	uint64_t	 n;
	int		 version;

	if (len < 3 || p[0] != RECORD_MAGIC0 || p[1] != RECORD_MAGIC1) {
		err_set(cause, _("A stored record is damaged (bad header)."));
		return (NULL);
	}
	version = p[2];
	if (version == RECORD_V1) {
		if (len < RECORD_V1_HEADER || p[3] != 0)
			goto bad;
		count = get_be32(p + 4);
		p += RECORD_V1_HEADER;
		minfield = 5;
	} else if (version == RECORD_V2) {
		p += 3;
		if (varint_get(&p, end, RECORD_FIELDS_MAX, &n) != 0)
			goto bad;
		count = (size_t)n;
		minfield = 2;
	} else {
		err_set(cause, _("A stored record has format version %u, which "
		    "this version of dossier cannot read."), version);
		return (NULL);
	}
	/* A field is at least minfield bytes: count cannot ask for more. */
	if (count > RECORD_FIELDS_MAX || count > (size_t)(end - p) / minfield)
		goto bad;
	r = record_create();
	r->version = version;
	if (count > 0) {
		r->fields = xcalloc(count, sizeof *r->fields);
		r->alloc = count;
	}
	for (i = 0; i < count; i++) {
		if (end - p < 1)
			goto bad_free;
		klen = *p++;
		if (version == RECORD_V2 && klen >= RECORD_NAME0) {
			if (klen - RECORD_NAME0 >= RECORD_NNAMES)
				goto bad_free;
			name = record_names[klen - RECORD_NAME0];
			klen = strlen(name);
		} else {
			if (klen == 0 || klen > RECORD_KEY_MAX ||
			    (size_t)(end - p) < klen)
				goto bad_free;
			memcpy(key, p, klen);
			key[klen] = '\0';
			if (memchr(key, '\0', klen) != NULL)
				goto bad_free;	/* found by fuzz-record */
			p += klen;
			if (!record_valid_key(key))
				goto bad_free;
			/* Version 2 writes a name of its table as the byte. */
			if (version == RECORD_V2 && record_name_byte(key) != 0)
				goto bad_free;
			name = key;
		}
		if (version == RECORD_V1) {
			if (end - p < 4)
				goto bad_free;
			vlen = get_be32(p);
			p += 4;
			if (vlen > RECORD_VALUE_MAX)
				goto bad_free;
		} else if (varint_get(&p, end, RECORD_VALUE_MAX, &n) != 0)
			goto bad_free;
		else
			vlen = (size_t)n;
		if ((size_t)(end - p) < vlen)
			goto bad_free;
		if (!record_wanted(name, keys, nkeys)) {
			p += vlen;
			continue;
		}
		if (record_find(r, name) != NULL)
			goto bad_free;
		/* Append directly: record_set() would search again. */
		f = &r->fields[r->n++];
		f->key = xstrndup(name, klen);
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
