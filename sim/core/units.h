/* units: sizes of memory, read from options and written in messages.
 *
 * One place for how cyberdef reads a size (--max-memory 512M) and writes
 * one ("17.4 MiB"), and for the machine's memory, the default limit.
 */
#ifndef CD_UNITS_H
#define CD_UNITS_H

#include <stddef.h>

/* Parses a size such as 512M, 8G, 1.5k or 1e9 (bytes; K, M, G and T are
 * binary multiples, either case). Returns 0 and *bytes, or -1 if text is
 * not a positive finite size, whole. Cannot fail otherwise. */
int cd_size_parse(const char *text, double *bytes);

/* Writes a byte count in the largest unit that keeps it at least 1
 * (bytes, KiB, MiB, GiB, TiB), with `digits` significant digits (at least
 * 3; a count of bytes is written whole). Cannot fail. */
void cd_size_text(double bytes, int digits, char *buf, size_t size);

/* Writes two sizes that a message compares ("need A, more than the B
 * allowed") with as many digits as it takes for them to read
 * differently when they differ (up to exact byte counts). */
void cd_size_pair(double a, double b, char *ta, char *tb, size_t size);

/* The machine's physical memory in bytes, or 0 if unknown. */
double cd_machine_memory(void);

#endif
