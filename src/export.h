/*
 * export.h: case summaries (text, Markdown, JSON) for signed exports.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>
#include <stdint.h>

struct casefile;
struct casefile_ctx;
struct workflow;

enum export_format { EXPORT_TEXT, EXPORT_MD, EXPORT_JSON };

/* What a summary includes (flags of export_render and export_case). */
#define EXPORT_WITNESSES	0x1	/* identities where the key is held */
#define EXPORT_REDACT		0x2	/* for third parties: no names */

int	 export_format_parse(const char *, enum export_format *);
const char *export_format_name(enum export_format);
char	*export_render(const struct casefile_ctx *, const struct casefile *,
	    enum export_format, int, size_t *);

/* Render, write FILE and FILE.minisig signed by the user; audited. */
int	 export_case(struct casefile_ctx *, uint64_t, enum export_format, int,
	    const char *, char **);
/* Check FILE against FILE.minisig with a public key. */
int	 export_verify(const char *, const uint8_t *, const uint8_t *, char **,
	    char **);

/* export-steps.c, for export.c: the steps the workflow's guards ask. */
char	*export_steps(const struct casefile_ctx *, const struct casefile *,
	    const struct workflow *, int, int);
struct json_t *export_steps_json(const struct casefile *,
	    const struct workflow *);
int	 export_steps_gap(const struct casefile *, const struct workflow *,
	    const char *, long);

#endif
