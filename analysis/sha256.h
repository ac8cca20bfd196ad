/* sha256: the SHA-256 hash (FIPS 180-4), small and self-contained.
 *
 * Used to fingerprint scenario text in run metadata, so that an output
 * file can be traced back to the exact input that produced it. The module
 * owns nothing beyond the caller's sha256_ctx, which is plain data and may
 * live on the stack. Messages are byte strings; the bit length is kept
 * modulo 2^64, as the standard allows (up to 2^61 - 1 bytes).
 */
#ifndef CD_SHA256_H
#define CD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32 /* bytes in a digest */
#define SHA256_BLOCK_SIZE 64  /* bytes in a message block */
#define SHA256_HEX_SIZE 65    /* 64 lowercase hex digits and a NUL */

typedef struct sha256_ctx {
	uint32_t h[8];				/* intermediate hash value */
	uint64_t nbytes;			/* message bytes so far */
	unsigned char block[SHA256_BLOCK_SIZE]; /* pending partial block */
	size_t fill;				/* bytes in block, [0,63] */
} sha256_ctx;

/* Incremental interface */

/* Starts a new message in `c`. Cannot fail. */
void sha256_init(sha256_ctx *c);

/* Appends `len` bytes at `data` to the message in `c`; `data` may be NULL
 * when `len` is 0. May be called any number of times. Cannot fail.
 */
void sha256_update(sha256_ctx *c, const void *data, size_t len);

/* Pads the message, writes its digest to `digest` and wipes `c`; call
 * sha256_init before using `c` again. Cannot fail.
 */
void sha256_final(sha256_ctx *c, unsigned char digest[SHA256_DIGEST_SIZE]);

/* One-shot interface */

/* Writes the digest of `len` bytes at `data` to `out` as 64 lowercase hex
 * digits followed by a NUL. Cannot fail.
 */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_SIZE]);

#endif
