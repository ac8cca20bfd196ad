/* plot_text: which text may be shown on a chart (analysis/plot.h:
 * plot_text_check), the sanitizing of text made from a path, and the
 * growing strings the plot files build texts in (plot_encode.h).
 */
#include "analysis/plot_encode.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void plot_buf_printf(struct plot_buf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->s ? b->s + b->len : NULL,
				  b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t ncap = b->cap ? b->cap : 256;
		while (ncap <= b->len + (size_t)n)
			ncap *= 2;
		char *bigger = realloc(b->s, ncap);
		if (!bigger) {
			b->oom = 1;
			return;
		}
		b->s = bigger;
		b->cap = ncap;
	}
}

/* ---- text shown on a chart ---------------------------------------------- */

static const struct text_rule {
	size_t max_bytes;
	int max_breaks; /* line feeds allowed */
	int no_quotes;
	const char *allowed;
} text_rules[] = {
	[PLOT_TEXT_NAME] = {256, 0, 1,
			    "allowed in a column name: printable UTF-8 text "
			    "without quotes or line breaks, at most 256 "
			    "bytes"},
	[PLOT_TEXT_VALUE] = {256, 0, 0,
			     "allowed in a value shown on the chart: "
			     "printable UTF-8 text without line breaks, at "
			     "most 256 bytes"},
	[PLOT_TEXT_LABEL] = {256, 0, 0,
			     "allowed in a label: printable UTF-8 text "
			     "without line breaks, at most 256 bytes"},
	[PLOT_TEXT_TITLE] = {512, 3, 0,
			     "allowed in a title: printable UTF-8 text and "
			     "up to 3 line breaks, at most 512 bytes"},
	[PLOT_TEXT_SHOWN] = {(size_t)-1, -1, 0,
			     "allowed on a chart: printable UTF-8 text and "
			     "line breaks"},
};

/* The length of the UTF-8 sequence at s, setting *cp to its code point;
 * 0 if it is not one (a stray byte, an overlong form, a surrogate, past
 * U+10FFFF, or cut short, also by the terminating NUL). */
static size_t utf8_seq(const unsigned char *s, unsigned long *cp)
{
	unsigned long v, min;
	size_t n;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2, v = s[0] & 0x1fu, min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3, v = s[0] & 0x0fu, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4, v = s[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Says which control character cp is, e.g. "a tab". */
static void control_name(unsigned long cp, char *buf, size_t size)
{
	snprintf(buf, size, "%s",
		 cp == '\n'   ? "a line break (LF)"
		 : cp == '\r' ? "a carriage return (CR)"
		 : cp == '\t' ? "a tab"
		 : cp == 0x1b ? "an escape character (ESC)"
			      : "");
	if (!*buf)
		snprintf(buf, size, "a control character (code %lu)", cp);
}

int plot_text_check(const char *s, enum plot_text_kind kind, char *why,
		    size_t size)
{
	const struct text_rule *r = &text_rules[kind];
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	int breaks = 0;
	if (len > r->max_bytes) {
		snprintf(why, size, "is %zu bytes long", len);
		return -1;
	}
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = utf8_seq(p + i, &cp);
		if (!n) {
			snprintf(
				why, size,
				"is not UTF-8 text (byte %zu of %zu is 0x%02x)",
				i + 1, len, p[i]);
			return -1;
		}
		int control = cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
		if (cp == '\n' &&
		    (r->max_breaks < 0 || ++breaks <= r->max_breaks))
			control = 0;
		if (control) {
			char name[64];
			control_name(cp, name, sizeof name);
			if (cp == '\n' && r->max_breaks > 0)
				snprintf(why, size,
					 "holds more than %d line breaks",
					 r->max_breaks);
			else
				snprintf(why, size,
					 "holds %s at byte %zu of %zu", name,
					 i + 1, len);
			return -1;
		}
		if (r->no_quotes && (cp == '"' || cp == '\'')) {
			snprintf(why, size,
				 "holds a quote (%c) at byte %zu of %zu",
				 (int)cp, i + 1, len);
			return -1;
		}
		i += n;
	}
	return 0;
}

void plot_text_sanitize(char *s, int keep_breaks)
{
	unsigned char *p = (unsigned char *)s;
	while (*p) {
		unsigned long cp;
		size_t n = utf8_seq(p, &cp);
		if (n && (cp >= 0xa0 || (cp >= 0x20 && cp < 0x7f) ||
			  (cp == '\n' && keep_breaks))) {
			p += n;
			continue;
		}
		*p++ = '?';
	}
}

const char *plot_text_allowed(enum plot_text_kind kind)
{
	return text_rules[kind].allowed;
}
