/*
 * test-record.c: the record encoding.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "record.h"
#include "util.h"

static void
record__round_trips__every_field_in_order(void **state)
{
	struct record	*r, *d;
	uint8_t		*buf, bin[4] = { 0, 1, 0xff, 0 };
	size_t		 len, vlen;

	r = record_create();
	assert_int_equal(record_set_str(r, "full_name", "Aïssata Traoré"), 0);
	assert_int_equal(record_set(r, "blob", bin, sizeof bin), 0);
	assert_int_equal(record_set_int(r, "age", -42), 0);
	assert_int_equal(record_set_str(r, "empty", ""), 0);
	record_encode(r, &buf, &len);
	d = record_decode(buf, len, NULL);
	assert_non_null(d);
	assert_int_equal(record_count(d), 4);
	assert_string_equal(record_key_at(d, 0), "full_name");
	assert_string_equal(record_get_str(d, "full_name"), "Aïssata Traoré");
	assert_memory_equal(record_get(d, "blob", &vlen), bin, sizeof bin);
	assert_int_equal(vlen, sizeof bin);
	assert_int_equal(record_get_int(d, "age", 0), -42);
	assert_string_equal(record_get_str(d, "empty"), "");
	assert_null(record_get(d, "missing", NULL));
	free(buf);
	record_free(r);
	record_free(d);
}

static void
record__keeps__unknown_fields_through_an_edit(void **state)
{
	struct record	*r, *d;
	uint8_t		*buf, *buf2;
	size_t		 len, len2;

	r = record_create();
	record_set_str(r, "x.future_field", "kept");
	record_set_str(r, "summary", "old");
	record_encode(r, &buf, &len);
	d = record_decode(buf, len, NULL);
	assert_non_null(d);
	record_set_str(d, "summary", "new");
	record_encode(d, &buf2, &len2);
	record_free(d);
	d = record_decode(buf2, len2, NULL);
	assert_string_equal(record_get_str(d, "x.future_field"), "kept");
	assert_string_equal(record_get_str(d, "summary"), "new");
	free(buf);
	free(buf2);
	record_free(r);
	record_free(d);
}

static void
record__rejects__bad_keys_and_sizes(void **state)
{
	struct record	*r;
	char		 key[80];

	r = record_create();
	assert_int_equal(record_set_str(r, "", "x"), -1);
	assert_int_equal(record_set_str(r, "Upper", "x"), -1);
	assert_int_equal(record_set_str(r, "a b", "x"), -1);
	memset(key, 'a', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	assert_int_equal(record_set_str(r, key, "x"), -1);
	assert_int_equal(record_set(r, "big", "", RECORD_VALUE_MAX + 1), -1);
	assert_int_equal(record_count(r), 0);
	record_free(r);
}

static void
record__decode_rejects__every_truncation(void **state)
{
	struct record	*r, *d;
	uint8_t		*buf;
	size_t		 len, cut;
	char		*cause = NULL;

	r = record_create();
	record_set_str(r, "a", "alpha");
	record_set_str(r, "b", "beta");
	record_encode(r, &buf, &len);
	for (cut = 0; cut < len; cut++) {
		d = record_decode(buf, cut, &cause);
		assert_null(d);
		assert_non_null(cause);
	}
	free(cause);
	free(buf);
	record_free(r);
}

static void
record__decode_rejects__trailing_bytes_duplicates_and_versions(void **state)
{
	struct record	*r;
	uint8_t		*buf, *longer;
	size_t		 len;
	char		*cause = NULL;

	r = record_create();
	record_set_str(r, "a", "x");
	record_set_str(r, "b", "y");
	record_encode(r, &buf, &len);

	longer = xmalloc(len + 1);
	memcpy(longer, buf, len);
	longer[len] = 0;
	assert_null(record_decode(longer, len + 1, NULL));

	/* "DR" 2, count, 1 "a" 1 "x", 1 "b" ...: the second key at 9. */
	assert_int_equal(len, 3 + 1 + 4 + 4);
	buf[9] = 'a';	/* second key "b" -> "a" */
	assert_null(record_decode(buf, len, NULL));
	buf[9] = 'b';
	record_free(r);
	r = record_decode(buf, len, NULL);
	assert_non_null(r);

	buf[2] = 9;
	assert_null(record_decode(buf, len, &cause));
	assert_non_null(strstr(cause, "version 9"));
	free(cause);
	free(longer);
	free(buf);
	record_free(r);
}

static void
record__decode_survives__random_bytes(void **state)
{
	uint8_t		 buf[256], *enc;
	struct record	*d;
	size_t		 len, enclen;
	unsigned int	 seed = 1, i, j;

	for (i = 0; i < 40000; i++) {
		for (j = 0; j < sizeof buf; j++)
			buf[j] = (uint8_t)rand_r(&seed);
		buf[0] = 'D';
		buf[1] = 'R';
		if (i % 2 == 0) {
			buf[2] = 1;
			buf[3] = 0;
			buf[4] = buf[5] = buf[6] = 0;
			buf[7] %= 8;
			len = 8 + rand_r(&seed) % 248;
		} else {
			buf[2] = 2;
			buf[3] %= 8;
			len = 4 + rand_r(&seed) % 252;
		}
		if ((d = record_decode(buf, len, NULL)) == NULL)
			continue;
		/* What decodes is the one encoding of its record. */
		record_encode(d, &enc, &enclen);
		assert_int_equal(enclen, len);
		assert_memory_equal(enc, buf, len);
		free(enc);
		record_free(d);
	}
}

/* A version 1 encoding, as stores made before version 2 hold them. */
static size_t
v1_encode(uint8_t *p, const char **kv, size_t n)
{
	size_t	 i, len = 8, kl, vl;

	memcpy(p, "DR\1\0", 4);
	p[4] = p[5] = p[6] = 0;
	p[7] = (uint8_t)n;
	for (i = 0; i < n; i++) {
		kl = strlen(kv[2 * i]);
		vl = strlen(kv[2 * i + 1]);
		p[len++] = (uint8_t)kl;
		memcpy(p + len, kv[2 * i], kl);
		len += kl;
		p[len++] = 0;
		p[len++] = 0;
		p[len++] = 0;
		p[len++] = (uint8_t)vl;
		memcpy(p + len, kv[2 * i + 1], vl);
		len += vl;
	}
	return (len);
}

/*
 * Signatures and hashes were made over version 1 bytes: a version 1
 * record decodes, and it and its copies encode to version 1 again, byte
 * for byte, even after an edit; a new record is version 2 and shorter.
 */
static void
record__keeps__the_version_it_was_decoded_from(void **state)
{
	const char	*kv[] = { "seq", "7", "user", "awa", "action",
			    "signin", "x-site", "local" };
	uint8_t		 v1[256], *enc;
	size_t		 v1len, enclen, v2len;
	struct record	*r, *c, *n;

	v1len = v1_encode(v1, kv, 4);
	r = record_decode(v1, v1len, NULL);
	assert_non_null(r);
	assert_string_equal(record_get_str(r, "user"), "awa");
	assert_string_equal(record_get_str(r, "x-site"), "local");
	record_encode(r, &enc, &enclen);
	assert_int_equal(enclen, v1len);
	assert_memory_equal(enc, v1, v1len);
	free(enc);
	/* An audit entry checked without its signature: a copy, unset. */
	c = record_copy(r);
	record_unset(c, "x-site");
	record_encode(c, &enc, &enclen);
	assert_int_equal(enc[2], 1);
	assert_int_equal(enclen, v1_encode(v1, kv, 3));
	assert_memory_equal(enc, v1, enclen);
	free(enc);
	record_free(c);
	/* The same fields in a new record: version 2. */
	n = record_create();
	record_merge(n, r);
	record_encode(n, &enc, &v2len);
	assert_int_equal(enc[2], 2);
	assert_true(v2len < v1len);
	/* Names of the table in one byte, others in full, short lengths. */
	assert_int_equal(v2len, 3 + 1 + (1 + 1 + 1) + (1 + 1 + 3) +
	    (1 + 1 + 6) + (1 + 6 + 1 + 5));
	free(enc);
	record_free(n);
	record_free(r);
}

/* Version 2 accepts one encoding of a record and no other. */
static void
record__v2_rejects__other_spellings_of_a_record(void **state)
{
	/* "seq" written in full: the table's byte is the only spelling. */
	const uint8_t	 spelled[] = { 'D', 'R', 2, 1, 3, 's', 'e', 'q', 1, '7' };
	/* A length of 1 in two bytes. */
	const uint8_t	 longlen[] = { 'D', 'R', 2, 1, 1, 'z', 0x81, 0x00, '7' };
	/* A count of 1 in two bytes. */
	const uint8_t	 longcount[] = { 'D', 'R', 2, 0x81, 0x00, 1, 'z', 1,
			    '7' };
	const uint8_t	 good[] = { 'D', 'R', 2, 1, 1, 'z', 1, '7' };
	/* A value longer than 16 MiB. */
	const uint8_t	 huge[] = { 'D', 'R', 2, 1, 1, 'z', 0x81, 0x80, 0x80,
			    0x08 };
	struct record	*r;

	assert_null(record_decode(spelled, sizeof spelled, NULL));
	assert_null(record_decode(longlen, sizeof longlen, NULL));
	assert_null(record_decode(longcount, sizeof longcount, NULL));
	assert_null(record_decode(huge, sizeof huge, NULL));
	r = record_decode(good, sizeof good, NULL);
	assert_non_null(r);
	assert_string_equal(record_get_str(r, "z"), "7");
	record_free(r);
}

/* A field of 200 bytes: its length takes two bytes, and reads back. */
static void
record__v2_round_trips__long_values(void **state)
{
	struct record	*r, *d;
	uint8_t		*enc;
	char		 v[70000];
	size_t		 enclen, len;

	memset(v, 'x', sizeof v);
	r = record_create();
	record_set(r, "summary", v, 200);
	record_set(r, "statement", v, sizeof v);
	record_set(r, "a-new-field", "", 0);
	record_encode(r, &enc, &enclen);
	assert_int_equal(enclen, 3 + 1 + (1 + 2 + 200) + (1 + 3 + sizeof v) +
	    (1 + 11 + 1));
	d = record_decode(enc, enclen, NULL);
	assert_non_null(d);
	assert_non_null(record_get(d, "statement", &len));
	assert_int_equal(len, sizeof v);
	assert_non_null(record_get(d, "a-new-field", &len));
	assert_int_equal(len, 0);
	free(enc);
	record_free(d);
	record_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record__round_trips__every_field_in_order),
		cmocka_unit_test(record__keeps__unknown_fields_through_an_edit),
		cmocka_unit_test(record__rejects__bad_keys_and_sizes),
		cmocka_unit_test(record__decode_rejects__every_truncation),
		cmocka_unit_test(
		    record__decode_rejects__trailing_bytes_duplicates_and_versions),
		cmocka_unit_test(record__decode_survives__random_bytes),
		cmocka_unit_test(record__keeps__the_version_it_was_decoded_from),
		cmocka_unit_test(record__v2_rejects__other_spellings_of_a_record),
		cmocka_unit_test(record__v2_round_trips__long_values),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
