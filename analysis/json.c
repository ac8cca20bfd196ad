#include "analysis/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/status.h"

/* Length of the well-formed UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xc2 && c <= 0xdf   ? 2
		     : c >= 0xe0 && c <= 0xef ? 3
		     : c >= 0xf0 && c <= 0xf4 ? 4
					      : 0;
	if (!len || len > n)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0; /* overlong, surrogate, or above U+10FFFF */
	return len;
}

json_t *cd_json_text(const char *s)
{
	if (!s)
		return json_null();
	size_t n = strlen(s), o = 0;
	char *clean = malloc(3 * n + 1); /* each bad byte grows to 3 */
	if (!clean)
		return NULL;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len(u + i, n - i);
		if (k) {
			/* A run of k bytes inside s, not a string: */
			// NOLINTNEXTLINE(bugprone-not-null-terminated-result)
			memcpy(clean + o, s + i, k);
			o += k;
			i += k;
		} else {
			// NOLINTNEXTLINE(bugprone-not-null-terminated-result)
			memcpy(clean + o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
			i++;
		}
	}
	json_t *j = json_stringn(clean, o);
	free(clean);
	return j;
}

json_t *cd_json_u64(uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
	return json_string(buf);
}

void cd_json_set(json_t *obj, const char *key, json_t *value, int *ok)
{
	if (!value || json_object_set_new(obj, key, value))
		*ok = 0;
}

void cd_json_append(json_t *arr, json_t *value, int *ok)
{
	if (!value || json_array_append_new(arr, value))
		*ok = 0;
}

/* Streamed, not built in memory with json_dumps: jansson 2.14 (Debian 12)
 * ignores a failure to append an object's key to its buffer, and
 * json_dumps then returns the document without that key as a success. */
int cd_json_write(FILE *f, const json_t *root)
{
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER))
		return ferror(f) ? CD_EIO : CD_ENOMEM;
	return putc('\n', f) == EOF ? CD_EIO : 0;
}
