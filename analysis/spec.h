/* spec: the values of one varied setting, read from a SPEC.
 *
 * `--vary PATH=SPEC` and the `vary` texts of a scenario's sweep block give
 * a setting's values as a SPEC: a range "start:stop:step" (stop included
 * within rounding) or a list "a,b,c". This module turns a SPEC into value
 * texts of at most SWEEP_VALUE_MAX - 1 bytes. It owns nothing but the
 * array it returns, and says what is wrong in a message for the caller to
 * show: nothing here prints.
 */
#ifndef CD_ANALYSIS_SPEC_H
#define CD_ANALYSIS_SPEC_H

#include <stddef.h>

#define SWEEP_VALUE_MAX 64	/* bytes of one value's text */
#define SWEEP_MAX_VALUES 100000 /* values of one --vary */

/* Parses SPEC ("start:stop:step", inclusive of stop within rounding, or a
 * list "a,b,c") into *n value texts at *values (malloc'd; free it). Numbers
 * of a range are written with 12 significant digits, so 0:1:0.1 gives
 * "0.3", not 0.30000000000000004. Returns 0, or CD_EINVAL with err saying
 * what is wrong (empty, reversed, zero step, too many values), or
 * CD_ENOMEM. On error *values is NULL and *n is 0. */
int sweep_parse_spec(const char *spec, char (**values)[SWEEP_VALUE_MAX], int *n,
		     char *err, size_t size);

/* Writes the first 80 bytes of text into buf for a message, ending in
 * "..." if text is longer. Cannot fail. */
void sweep_short_text(const char *text, char *buf, size_t size);

#endif
