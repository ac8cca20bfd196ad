/* json: building and writing metadata with jansson.
 *
 * metadata.json and its kin are written with jansson (Debian's
 * libjansson-dev), which escapes every string as RFC 8259 requires. Text
 * that reaches them from outside (paths, descriptions, command lines) need
 * not be UTF-8; JSON must be. The rule, the same everywhere: every byte
 * that does not begin a well-formed UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) is replaced by U+FFFD, the
 * replacement character, and the rest is kept as it is. 64-bit seeds are
 * written as decimal strings, since a JSON number above 2^53 is not read
 * back exactly by most tools and jansson's integers stop at 2^63 - 1.
 *
 * The builders return new references, or NULL when out of memory; the
 * setters take a reference and record a failure in *ok, so that a whole
 * object is built first and checked once.
 */
#ifndef CD_JSON_H
#define CD_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* A JSON string of s with invalid UTF-8 replaced (see above); NULL s
 * gives JSON null. */
json_t *cd_json_text(const char *s);

/* A JSON string holding the decimal digits of v. */
json_t *cd_json_u64(uint64_t v);

/* Sets obj[key] = value, taking the reference; on failure (value NULL,
 * out of memory) sets *ok = 0. */
void cd_json_set(json_t *obj, const char *key, json_t *value, int *ok);

/* Appends value to array arr, taking the reference; as cd_json_set. */
void cd_json_append(json_t *arr, json_t *value, int *ok);

/* Writes root to f as it goes, indented by 2, keys in insertion order,
 * with a final newline. Returns 0, or CD_ENOMEM / CD_EIO; a write that
 * fails unseen shows in f's error indicator (cd_outfile_commit checks
 * it). */
int cd_json_write(FILE *f, const json_t *root);

#endif
