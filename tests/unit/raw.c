/*
 * raw.c: see raw.h.
 */
#include "config.h"

#include <db.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "raw.h"

void
raw_open(struct raw *r, const char *data, const char *table)
{
	DB_ENV	*env;
	DB	*db;

	assert_int_equal(db_env_create(&env, 0), 0);
	assert_int_equal(env->open(env, data, DB_CREATE | DB_INIT_MPOOL |
	    DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG, 0), 0);
	assert_int_equal(db_create(&db, env, 0), 0);
	assert_int_equal(db->open(db, NULL, table, NULL, DB_BTREE,
	    DB_AUTO_COMMIT, 0), 0);
	r->env = env;
	r->db = db;
}

void
raw_close(struct raw *r)
{
	DB_ENV	*env = r->env;
	DB	*db = r->db;

	db->close(db, 0);
	env->txn_checkpoint(env, 0, 0, DB_FORCE);
	env->close(env, 0);
}

void
raw_get(struct raw *r, const void *k, size_t klen, uint8_t **v, size_t *len)
{
	DB	*db = r->db;
	DBT	 key, val;

	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = (void *)k;
	key.size = (u_int32_t)klen;
	val.flags = DB_DBT_MALLOC;
	assert_int_equal(db->get(db, NULL, &key, &val, 0), 0);
	*v = val.data;
	*len = val.size;
}

void
raw_put(struct raw *r, const void *k, size_t klen, const void *v, size_t len)
{
	DB	*db = r->db;
	DBT	 key, val;

	memset(&key, 0, sizeof key);
	memset(&val, 0, sizeof val);
	key.data = (void *)k;
	key.size = (u_int32_t)klen;
	val.data = (void *)v;
	val.size = (u_int32_t)len;
	assert_int_equal(db->put(db, NULL, &key, &val, 0), 0);
}

void
raw_del(struct raw *r, const void *k, size_t klen)
{
	DB	*db = r->db;
	DBT	 key;

	memset(&key, 0, sizeof key);
	key.data = (void *)k;
	key.size = (u_int32_t)klen;
	assert_int_equal(db->del(db, NULL, &key, 0), 0);
}
