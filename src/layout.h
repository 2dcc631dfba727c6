/*
 * layout.h: where things are kept and what binds each ciphertext to its
 * place, each written once (docs/FORMAT.md describes the same bytes).
 *
 * - The meta table's keys (organisation keys, settings, the audit head)
 *   and the reference index ("ref:ISSPC-2026-0042" -> case id).
 * - Keys of the records table: case id (8 bytes, big-endian), a type
 *   byte and a number (8 bytes).
 * - Labels of sealed keys ("case:42", "witness:42:7") and the index
 *   table's keys (the agents' blind index, cases waiting for oversight).
 * - The associated data of every ciphertext, which names its place, so a
 *   ciphertext moved to another place does not open.
 *
 * Strings returned are malloc'd; the caller frees them.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct store_txn;

enum meta_key {
	META_RECOVERY_PK,	/* organisation recovery public key */
	META_ROOT_PK,		/* organisation root signing key */
	META_ORG_OVERSIGHT,	/* the oversight key's public half, signed */
	META_ORG_INDEX,		/* the index key's id, signed */
	META_ORG_ROTATE,	/* organisation keys to replace */
	META_KDF,		/* Argon2id cost of new accounts */
	META_REF_PREFIX,	/* "ISSPC" in ISSPC-2026-0042 */
	META_AUDIT_HEAD,	/* last audit sequence and hash */
	META_CLASSES,		/* form.field -> class, pinned at first use */
	META_NKEYS
};

int	 meta_get(struct store_txn *, enum meta_key, uint8_t **, size_t *,
	    char **);
int	 meta_put(struct store_txn *, enum meta_key, const void *, size_t,
	    int, char **);
/* A fixed-length value (a public key): an error if it is not len bytes. */
int	 meta_get_fixed(struct store_txn *, enum meta_key, uint8_t *, size_t,
	    char **);
const char *meta_key_name(enum meta_key);

/* The reference index in the meta table. */
int	 layout_ref_get(struct store_txn *, const char *, uint64_t *, char **);
int	 layout_ref_put(struct store_txn *, const char *, uint64_t, char **);

/* Records table. */
#define LAYOUT_RECORD_KEYLEN	17
#define LAYOUT_RECORD		'r'	/* a record; 0 is the intake */
#define LAYOUT_JOURNAL		'j'	/* a journal entry */
#define LAYOUT_BLOB		'b'	/* an evidence file */
#define LAYOUT_MANIFEST		'm'	/* the case's manifest (number 0) */
void	 layout_record_key(uint8_t *, uint64_t, int, uint64_t);

/* Labels of sealed keys. */
#define LAYOUT_LABEL_OVERSIGHT	"org:oversight"	/* the oversight seed */
#define LAYOUT_LABEL_INDEX	"org:index"	/* the agents' index key */
#define LAYOUT_OVERSIGHT	"@oversight"	/* recipient of case keys */
char	*layout_label_case(uint64_t);
char	*layout_label_witness(uint64_t, uint64_t);
char	*layout_label_witness_prefix(uint64_t);	/* every witness of a case */

/* Index table. */
#define LAYOUT_AGENT_PREFIX	"agent/"
/* "agent/HEX/" followed by case id and record id (8 bytes each). */
uint8_t	*layout_agent_key(const char *, uint64_t, uint64_t, size_t *);
/* "agent/HEX/": every record naming this agent. */
char	*layout_agent_prefix(const char *);
/* "rekey/" and a case id: its key must be rotated at the next change. */
#define LAYOUT_REKEY_PREFIX	"rekey/"
#define LAYOUT_REKEY_KEYLEN	14
void	 layout_rekey_key(uint8_t *, uint64_t);
/*
 * "stats/" and a case id: the case's statistics digest (stats-digest.c),
 * removed by every change of the case (cf_manifest_write()).
 */
#define LAYOUT_STATS_PREFIX	"stats/"
#define LAYOUT_STATS_KEYLEN	14
void	 layout_stats_key(uint8_t *, uint64_t);
/*
 * "request/HOLDER/", then case id and witness record id (8 bytes each),
 * then the name of who asks: a witness's key asked for, shown to each of
 * its holders when they sign in.
 */
#define LAYOUT_REQUEST_PREFIX	"request/"
uint8_t	*layout_request_key(const char *, uint64_t, uint64_t, const char *,
	    size_t *);
char	*layout_request_prefix(const char *);
/* The case id of a "case:ID" label, or 0. */
uint64_t layout_label_case_id(const char *);

/*
 * Organisation keys to replace, because a holder was disabled: marked by
 * the disabling, done by the next supervisor or auditor who signs in.
 */
int	 layout_rotate_mark(struct store_txn *, const char *, char **);
int	 layout_rotate_due(struct store_txn *, const char *, char **);
int	 layout_rotate_clear(struct store_txn *, const char *, char **);
/* "org:oversight:1": an organisation key's earlier version. */
char	*layout_label_archive(const char *, int64_t);

/* Associated data. */
char	*layout_ad_record(uint64_t, const char *, uint64_t, int64_t);
char	*layout_ad_witness(uint64_t, uint64_t, int64_t);
char	*layout_ad_journal(uint64_t, uint64_t);
char	*layout_ad_journal_witness(uint64_t, uint64_t);
char	*layout_ad_blob(uint64_t, uint64_t);
char	*layout_ad_account(const char *, const uint8_t *, const uint8_t *);
char	*layout_ad_draft(const char *);

#endif
