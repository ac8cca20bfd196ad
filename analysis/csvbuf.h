/* csvbuf: CSV fields formatted into a buffer, for files of many rows.
 *
 * The text of each field is that of csv.h's field writers, byte for byte
 * (they call the formatters below), but a field costs no printf when it
 * can be written without one: integers, and reals that are integers below
 * 10^15, are formatted digit by digit. A cd_csvbuf holds the text of many
 * rows and hands it to its stream in large blocks; errors show in the
 * stream's error indicator, as for csv.h's writers.
 */
#ifndef CD_CSVBUF_H
#define CD_CSVBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Formatters: each writes its field's text at `out` (not terminated) and
 * returns its length. */
#define CSV_INT_MAX 20	/* bytes of the longest csv_format_int */
#define CSV_REAL_MAX 32 /* bytes of the longest csv_format_real */
/* The text of csv_int: "%lld". Cannot fail. */
size_t csv_format_int(char *out, long long v);
/* The text of csv_real: the shortest of "%.15g" and "%.17g" that reads
 * back as v, with '.' as radix; "0" for +-0; nothing for NaN and
 * infinities. Cannot fail. */
size_t csv_format_real(char *out, double v);

#define CSV_BUF_SIZE (1 << 16)
#define CSV_MEMO_SIZE 64

/* The text of a real that needed printf, kept for the next time. */
struct csv_memo {
	uint64_t bits; /* of the value; 0 (+0) when empty */
	unsigned char len;
	char text[CSV_REAL_MAX];
};

/* A buffer of text on its way to stream f. */
typedef struct cd_csvbuf {
	FILE *f;
	size_t n; /* bytes held */
	char b[CSV_BUF_SIZE];
	struct csv_memo memo[CSV_MEMO_SIZE]; /* texts of recent reals */
} cd_csvbuf;

/* Starts an empty buffer onto f, nothing remembered. Cannot fail. */
void csvbuf_begin(cd_csvbuf *w, FILE *f);
/* Writes what the buffer holds to its stream and empties it. Errors show
 * in the stream's error indicator. */
void csvbuf_flush(cd_csvbuf *w);
/* Flushes, then goes on onto stream f (what it remembers is kept). */
void csvbuf_switch(cd_csvbuf *w, FILE *f);

/* Fields and separators, as csv_int, csv_real, csv_str, csv_sep and
 * csv_eol. */
void csvbuf_int(cd_csvbuf *w, long long v);
void csvbuf_real(cd_csvbuf *w, double v);
void csvbuf_str(cd_csvbuf *w, const char *s);
void csvbuf_sep(cd_csvbuf *w);
void csvbuf_eol(cd_csvbuf *w);

#endif
