/* Tests for sha256: the FIPS 180-2 / 180-4 example vectors, padding edge
 * cases around the 55/56/64-byte boundaries, and split updates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static void digest_hex(sha256_ctx *c, char out[SHA256_HEX_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[SHA256_DIGEST_SIZE];
	int i;

	sha256_final(c, d);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 0x0f];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
}

static void check_hex(const char *msg, const char *want)
{
	char got[SHA256_HEX_SIZE];

	sha256_hex(msg, strlen(msg), got);
	assert_string_equal(got, want);
}

/* FIPS 180-2 Appendix B / NIST "SHA256.pdf" example: empty message. */
static void test_sha256_empty(void **state)
{
	char got[SHA256_HEX_SIZE];

	(void)state;
	check_hex("", "e3b0c44298fc1c149afbf4c8996fb924"
		      "27ae41e4649b934ca495991b7852b855");
	sha256_hex(NULL, 0, got);
	assert_string_equal(got, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

/* FIPS 180-2 Appendix B.1: one-block message "abc". */
static void test_sha256_abc(void **state)
{
	(void)state;
	check_hex("abc", "ba7816bf8f01cfea414140de5dae2223"
			 "b00361a396177a9cb410ff61f20015ad");
}

/* FIPS 180-2 Appendix B.2: the 448-bit two-block message. */
static void test_sha256_448bit(void **state)
{
	(void)state;
	check_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039"
		  "a33ce45964ff2167f6ecedd419db06c1");
}

/* NIST example: the 896-bit message. */
static void test_sha256_896bit(void **state)
{
	(void)state;
	check_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b049237"
		  "0b249b11e8f07a51afac45037afee9d1");
}

/* FIPS 180-2 Appendix B.3: one million 'a', fed in uneven pieces. */
static void test_sha256_million_a(void **state)
{
	unsigned char buf[1000];
	char got[SHA256_HEX_SIZE];
	sha256_ctx c;
	size_t done = 0, piece = 1;

	(void)state;
	memset(buf, 'a', sizeof(buf));
	sha256_init(&c);
	while (done < 1000000) {
		size_t n = piece;

		if (n > 1000000 - done)
			n = 1000000 - done;
		sha256_update(&c, buf, n);
		done += n;
		piece = piece % 997 + 1; /* 1..997, crossing block edges */
	}
	digest_hex(&c, got);
	assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67"
				 "f1809a48a497200e046d39ccc7112cd0");
}

/* Padding edges: lengths where the length field just fits, just does not
 * fit, or the message fills whole blocks. Expected digests were computed
 * independently with GNU coreutils sha256sum on the same bytes.
 */
static void fill_pattern(char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (char)(32 + (i * 7) % 95);
}

static void test_sha256_padding_edges(void **state)
{
	static const struct {
		size_t len;
		const char *hex;
	} cases[] = {
		{55, "3a26ecc7600bad220529097e6d7bb305"
		     "aabe5160f55fdbbf1ac6e15802acc730"},
		{56, "faf7bc8b23e8a8f4e0784073a72ae053"
		     "32b8c095a87fe5f5b3143bf5bf210fea"},
		{63, "4d98713d4a41bff55981e08e3444057e"
		     "51a04641d3a5705f69b96a9f10088595"},
		{64, "1ba074ceec6bcd6b27c071c5117da5ea"
		     "ca3e0ab116299517c7e724e90218ae2e"},
		{65, "1832ae916b5ac5fb6def20bd502d0192"
		     "a4e23c6eecda4d992c4e57b723aecfd7"},
		{119, "d5dfd367953a9dcbf481ca4b23be6a64"
		      "58e472a82b5001360b505144eb1f614d"},
		{120, "487870513b22fdbaab5e7e918ec9d160"
		      "d8b27b1c335509b786d9a09fbd118086"},
		{128, "f447b58b66d8dbcdb71ef02b3a4073e0"
		      "aa211d91940d491c37cf12e92080eadf"},
	};
	char buf[128], got[SHA256_HEX_SIZE];
	size_t i;

	(void)state;
	fill_pattern(buf, sizeof(buf));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sha256_hex(buf, cases[i].len, got);
		assert_string_equal(got, cases[i].hex);
	}
}

/* Every way of splitting a 150-byte message into two updates (with an
 * empty update in between) gives the one-shot digest.
 */
static void test_sha256_split_updates(void **state)
{
	char buf[150], want[SHA256_HEX_SIZE], got[SHA256_HEX_SIZE];
	sha256_ctx c;
	size_t cut;

	(void)state;
	fill_pattern(buf, sizeof(buf));
	sha256_hex(buf, sizeof(buf), want);
	for (cut = 0; cut <= sizeof(buf); cut++) {
		sha256_init(&c);
		sha256_update(&c, buf, cut);
		sha256_update(&c, NULL, 0);
		sha256_update(&c, buf + cut, sizeof(buf) - cut);
		digest_hex(&c, got);
		assert_string_equal(got, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_empty),
		cmocka_unit_test(test_sha256_abc),
		cmocka_unit_test(test_sha256_448bit),
		cmocka_unit_test(test_sha256_896bit),
		cmocka_unit_test(test_sha256_million_a),
		cmocka_unit_test(test_sha256_padding_edges),
		cmocka_unit_test(test_sha256_split_updates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
