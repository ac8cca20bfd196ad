/* csvbuf: see csvbuf.h. */
#include "analysis/csvbuf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"

static const char digit_pairs[201] = "00010203040506070809"
				     "10111213141516171819"
				     "20212223242526272829"
				     "30313233343536373839"
				     "40414243444546474849"
				     "50515253545556575859"
				     "60616263646566676869"
				     "70717273747576777879"
				     "80818283848586878889"
				     "90919293949596979899";

size_t csv_format_int(char *out, long long v)
{
	static const unsigned long long pow10[19] = {10ull,
						     100ull,
						     1000ull,
						     10000ull,
						     100000ull,
						     1000000ull,
						     10000000ull,
						     100000000ull,
						     1000000000ull,
						     10000000000ull,
						     100000000000ull,
						     1000000000000ull,
						     10000000000000ull,
						     100000000000000ull,
						     1000000000000000ull,
						     10000000000000000ull,
						     100000000000000000ull,
						     1000000000000000000ull,
						     10000000000000000000ull};
	/* The magnitude as unsigned: -LLONG_MIN does not fit a long long. */
	unsigned long long u =
		v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	size_t n = 1 + (v < 0); /* digits, and the sign */
	for (int k = 0; k < 19 && u >= pow10[k]; k++)
		n++;
	char *p = out + n; /* written from the last digit back */
	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;
		u /= 100;
		*--p = digit_pairs[d + 1];
		*--p = digit_pairs[d];
	}
	if (u >= 10) {
		*--p = digit_pairs[u * 2 + 1];
		*--p = digit_pairs[u * 2];
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	return n;
}

/* Copies number text from printf's "%g" to out with whatever radix
 * character the locale used replaced by '.'. "%g" prints only digits, a
 * sign, 'e' and one radix character (a string of one or more bytes), so
 * any other run of bytes is the radix character. Returns the length. */
static size_t put_number(char *out, const char *s)
{
	size_t n = 0;
	int in_radix = 0;

	for (; *s != '\0'; s++) {
		if ((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' ||
		    *s == 'e') {
			out[n++] = *s;
			in_radix = 0;
		} else if (!in_radix) {
			out[n++] = '.';
			in_radix = 1;
		}
	}
	return n;
}

/* The program never calls setlocale, so printf and strtod run in the "C"
 * locale; should a caller ever change LC_NUMERIC, the round-trip test
 * still holds (printf and strtod share the locale) and put_number writes
 * '.' for the locale's radix character. glibc's printf and strtod are
 * correctly rounded, so the text depends only on the value. An integer
 * below 10^15 in magnitude has at most 15 digits: "%.15g" writes it as
 * "%lld" would, and it reads back exactly (it is below 2^53). */
size_t csv_format_real(char *out, double v)
{
	char buf[64];

	if (!isfinite(v))
		return 0; /* missing */
	if (v == 0.0) {
		out[0] = '0'; /* also for -0 */
		return 1;
	}
	if (fabs(v) < 1e15 && v == trunc(v))
		return csv_format_int(out, (long long)v);
	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	return put_number(out, buf);
}

void csvbuf_begin(cd_csvbuf *w, FILE *f)
{
	memset(w->memo, 0, sizeof w->memo);
	w->f = f;
	w->n = 0;
}

void csvbuf_switch(cd_csvbuf *w, FILE *f)
{
	csvbuf_flush(w);
	w->f = f;
}

void csvbuf_flush(cd_csvbuf *w)
{
	if (w->n)
		(void)fwrite(w->b, 1, w->n, w->f); /* errors: in the stream */
	w->n = 0;
}

/* Makes room for k more bytes (k <= CSV_BUF_SIZE). */
static char *room(cd_csvbuf *w, size_t k)
{
	if (w->n + k > CSV_BUF_SIZE)
		csvbuf_flush(w);
	return w->b + w->n;
}

static void put(cd_csvbuf *w, const char *s, size_t len)
{
	if (len > CSV_BUF_SIZE) {
		csvbuf_flush(w);
		(void)fwrite(s, 1, len, w->f);
		return;
	}
	memcpy(room(w, len), s, len);
	w->n += len;
}

static void put_char(cd_csvbuf *w, char c)
{
	*room(w, 1) = c;
	w->n++;
}

void csvbuf_int(cd_csvbuf *w, long long v)
{
	w->n += csv_format_int(room(w, CSV_INT_MAX), v);
}

/* A real that needs printf: its text remembered, keyed by its bits (0,
 * the bits of +0, never needs printf, so a zeroed entry is empty). */
void csvbuf_real(cd_csvbuf *w, double v)
{
	char *out = room(w, CSV_REAL_MAX);
	if (v == 0.0 || (fabs(v) < 1e15 && v == trunc(v)) || !isfinite(v)) {
		w->n += csv_format_real(out, v);
		return;
	}
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	struct csv_memo *e = &w->memo[rng_mix(bits) % CSV_MEMO_SIZE];
	if (e->bits != bits) {
		e->bits = bits;
		e->len = (unsigned char)csv_format_real(e->text, v);
	}
	memcpy(out, e->text, e->len);
	w->n += e->len;
}

/* A string the careful way: quoted when it must be, or longer than the
 * room left. */
static void str_slow(cd_csvbuf *w, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		put(w, s, strlen(s));
		return;
	}
	put_char(w, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			put_char(w, '"');
		put_char(w, *s);
	}
	put_char(w, '"');
}

/* Copied as it is scanned; should it need quotes, or not fit, the copy is
 * dropped and str_slow writes it. */
void csvbuf_str(cd_csvbuf *w, const char *s)
{
	if (s == NULL)
		return;
	char *p = w->b + w->n, *end = w->b + CSV_BUF_SIZE;
	for (const char *q = s; p < end; q++) {
		char c = *q;
		if (c == '\0') {
			w->n = (size_t)(p - w->b);
			return;
		}
		if (c == ',' || c == '"' || c == '\r' || c == '\n')
			break;
		*p++ = c;
	}
	str_slow(w, s);
}

void csvbuf_sep(cd_csvbuf *w)
{
	put_char(w, ',');
}

void csvbuf_eol(cd_csvbuf *w)
{
	put(w, "\r\n", 2);
}
