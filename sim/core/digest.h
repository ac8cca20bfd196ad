/* digest: SHA-256 fingerprints, from nettle.
 *
 * Scenario text, design files and every output file of a set are
 * fingerprinted so that a number can be traced to the exact inputs behind
 * it and a set of outputs can prove it is whole. The hashing is nettle's
 * (Debian's nettle-dev), not ours; this module only names the digest the
 * way cyberdef prints it: 64 lowercase hexadecimal digits.
 */
#ifndef CD_DIGEST_H
#define CD_DIGEST_H

#include <nettle/sha2.h>
#include <stddef.h>
#include <stdint.h>

#define CD_SHA256_HEX 65 /* 64 lowercase hex digits and a NUL */

/* An incremental SHA-256: nettle's context. */
typedef struct sha256_ctx cd_sha256;

/* Starts, extends and ends a digest; cd_sha256_end writes the hex text.
 * Cannot fail. */
void cd_sha256_begin(cd_sha256 *c);
void cd_sha256_add(cd_sha256 *c, const void *data, size_t len);
void cd_sha256_end(cd_sha256 *c, char hex[CD_SHA256_HEX]);

/* The digest of len bytes at data, as hex text. Cannot fail. */
void cd_sha256_hex(const void *data, size_t len, char hex[CD_SHA256_HEX]);

#endif
