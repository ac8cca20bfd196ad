/* vec: growing arrays of 32-bit values, the one way the engine grows a
 * list. Plain functions on (array, count, capacity), so a store keeps its
 * lists in its own struct. */
#ifndef CD_VEC_H
#define CD_VEC_H

#include <stdint.h>

/* Appends v to *arr (*n used, *cap allocated; doubling, from 16).
 * Returns 0, or CD_ENOMEM leaving the array as it was. */
int vec_push_u32(uint32_t **arr, uint32_t *n, uint32_t *cap, uint32_t v);

#endif
