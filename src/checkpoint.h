/*
 * checkpoint.h: audit checkpoints, the anchors kept off the server
 * (docs/FORMAT.md "Audit checkpoints").  'dossier audit checkpoint --out
 * FILE' writes the log's head signed in minisign's format; 'dossier audit
 * verify --since FILE' checks that the log still extends it.
 */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stdint.h>

struct session;
struct store;

int	 checkpoint_write(struct session *, const char *, uint64_t *, char **);
/* Parse FILE (its signature is checked by export_verify()). */
int	 checkpoint_read(const char *, uint64_t *, uint8_t *, char **);

#endif
