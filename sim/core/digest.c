#include "core/digest.h"

#include <stdio.h>

void cd_sha256_begin(cd_sha256 *c)
{
	sha256_init(c);
}

void cd_sha256_add(cd_sha256 *c, const void *data, size_t len)
{
	if (len)
		sha256_update(c, len, data);
}

void cd_sha256_end(cd_sha256 *c, char hex[CD_SHA256_HEX])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(c, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

void cd_sha256_hex(const void *data, size_t len, char hex[CD_SHA256_HEX])
{
	cd_sha256 c;
	cd_sha256_begin(&c);
	cd_sha256_add(&c, data, len);
	cd_sha256_end(&c, hex);
}
