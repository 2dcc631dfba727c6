/*
 * replica.h: what a master accepts from its replicas (replica.c).
 */
#ifndef REPLICA_H
#define REPLICA_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* The master's serve: a replica's audit entry, checked and appended. */
int	 replica_entry_accept(struct store *, const uint8_t *, size_t,
	    char **);

#endif
