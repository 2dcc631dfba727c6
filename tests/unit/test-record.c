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

	buf[8 + 1 + 1 + 4 + 1 + 1] = 'a';	/* second key "b" -> "a" */
	assert_null(record_decode(buf, len, NULL));
	buf[8 + 1 + 1 + 4 + 1 + 1] = 'b';
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
	uint8_t		 buf[256];
	struct record	*d;
	unsigned int	 seed = 1, i, j;

	for (i = 0; i < 20000; i++) {
		for (j = 0; j < sizeof buf; j++)
			buf[j] = (uint8_t)rand_r(&seed);
		buf[0] = 'D';
		buf[1] = 'R';
		buf[2] = 1;
		buf[3] = 0;
		buf[4] = buf[5] = buf[6] = 0;
		buf[7] %= 8;
		d = record_decode(buf, 8 + rand_r(&seed) % 248, NULL);
		record_free(d);
	}
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
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
