/*
 * sigmemo.h: signatures already checked in this process (sigmemo.c).
 */
#ifndef SIGMEMO_H
#define SIGMEMO_H

#include <stddef.h>
#include <stdint.h>

int	 sigmemo_verify(const uint8_t *, const void *, size_t, const uint8_t *);
void	 sigmemo_note(const uint8_t *, const void *, size_t, const uint8_t *);

#endif
