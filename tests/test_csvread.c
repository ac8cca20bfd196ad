/* csvread: the one CSV reader. Each rule of analysis/csvread.h, with the
 * exact message line and problem it must name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/csvread.h"

static const struct csv_limits strict = {
	.max_bytes = 1 << 20,
	.max_field = 8,
	.max_rows = 3,
	.max_cols = 4,
	.no_space = 1,
};

/* Parses text; returns the status, with the table in *t (freed by the
 * caller on success) and the message in d. */
static int parse(csv_table *t, const char *text, const struct csv_limits *lim,
		 struct cd_diag *d)
{
	d->msg[0] = '\0';
	return csv_table_parse(t, "f.csv", text, strlen(text), lim, d);
}

/* Fails unless text is refused with rc and a message holding every
 * fragment (NULL-terminated). */
static void refused(const char *text, const struct csv_limits *lim, int rc, ...)
{
	csv_table t;
	struct cd_diag d;
	int got = parse(&t, text, lim, &d);
	if (got != rc)
		fail_msg("%s: status %d, want %d (%s)", text, got, rc, d.msg);
	assert_null(t.cell); /* owns nothing */
	va_list ap;
	va_start(ap, rc);
	const char *frag;
	while ((frag = va_arg(ap, const char *)))
		if (!strstr(d.msg, frag))
			fail_msg("message \"%s\" lacks \"%s\"", d.msg, frag);
	va_end(ap);
}

static void test_basic(void **state)
{
	(void)state;
	csv_table t;
	struct cd_diag d;
	assert_int_equal(parse(&t, "a,b\r\n1,2\n\n3,\"x,\"\"y\"\"\"", NULL, &d),
			 0);
	assert_int_equal(t.ncols, 2);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(csv_table_cell(&t, 0, 1), "b");
	assert_string_equal(csv_table_cell(&t, 1, 0), "1");
	assert_string_equal(csv_table_cell(&t, 2, 1), "x,\"y\"");
	assert_int_equal(t.line[0], 1);
	assert_int_equal(t.line[2], 4); /* after the empty line */
	assert_int_equal(csv_table_column(&t, "b"), 1);
	assert_int_equal(csv_table_column(&t, "c"), -1);
	csv_table_free(&t);
}

/* A quoted field may hold line breaks; a row carries its first line. */
static void test_quoted_line_break(void **state)
{
	(void)state;
	csv_table t;
	struct cd_diag d;
	assert_int_equal(parse(&t, "a\n\"x\ny\"\nz\n", NULL, &d), 0);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(csv_table_cell(&t, 1, 0), "x\ny");
	assert_int_equal(t.line[1], 2);
	assert_int_equal(t.line[2], 4);
	csv_table_free(&t);
}

/* A UTF-8 byte-order mark is skipped; "" is one empty field, not a
 * blank line; a trailing comma is one more (empty) field. */
static void test_bom_and_empty_fields(void **state)
{
	(void)state;
	csv_table t;
	struct cd_diag d;
	assert_int_equal(parse(&t, "\xef\xbb\xbfk\n\"\"\n", NULL, &d), 0);
	assert_string_equal(csv_table_cell(&t, 0, 0), "k");
	assert_int_equal(t.nrows, 1);
	assert_string_equal(csv_table_cell(&t, 1, 0), "");
	csv_table_free(&t);
	assert_int_equal(parse(&t, "a,b\n1,\n", NULL, &d), 0);
	assert_string_equal(csv_table_cell(&t, 1, 1), "");
	csv_table_free(&t);
}

static void test_bad_quotes(void **state)
{
	(void)state;
	refused("a,b\n1,x\"y\n", NULL, CD_EINVAL, "f.csv:2: field 2",
		"a '\"' inside an unquoted value", NULL);
	refused("a\n\"x\"y\n", NULL, CD_EINVAL, "f.csv:2: field 1",
		"text after the closing '\"'", NULL);
	refused("a\n1\n\"open\nmore\n", NULL, CD_EINVAL, "f.csv:3: field 1",
		"is not closed", NULL);
}

static void test_bad_bytes(void **state)
{
	(void)state;
	refused("a\n1\rx\n", NULL, CD_EINVAL, "f.csv:2: field 1",
		"carriage return", NULL);
	csv_table t;
	struct cd_diag d;
	assert_int_equal(
		csv_table_parse(&t, "f.csv", "a\n1\n\0\n", 6, NULL, &d),
		CD_EINVAL);
	assert_non_null(strstr(d.msg, "f.csv:3: not a text file"));
}

static void test_widths(void **state)
{
	(void)state;
	refused("a,b\n1,2\n3\n", NULL, CD_EINVAL,
		"f.csv:3: 1 field, but the "
		"header has 2",
		NULL);
	refused("a\n1,2\n", NULL, CD_EINVAL, "f.csv:2: 2 fields", NULL);
	refused("", NULL, CD_EINVAL, "f.csv: empty file", NULL);
	refused("\xef\xbb\xbf\n\r\n", NULL, CD_EINVAL, "empty file", NULL);
}

/* Limits: at the edge accepted, one past refused by name. */
static void test_limits(void **state)
{
	(void)state;
	csv_table t;
	struct cd_diag d;
	assert_int_equal(parse(&t,
			       "a,b,c,d\n12345678,\"1234567\"\"\",,\n"
			       "1,2,3,4\n1,2,3,4\n",
			       &strict, &d),
			 0);
	assert_int_equal(t.nrows, 3);
	csv_table_free(&t);
	refused("a\n123456789\n", &strict, CD_ELIMIT, "f.csv:2: field 1",
		"longer than 8 bytes", NULL);
	refused("a\n\"12345678\"\"\"\n", &strict, CD_ELIMIT, "longer than 8",
		NULL);
	refused("a,b,c,d,e\n", &strict, CD_ELIMIT, "more than 4 fields", NULL);
	refused("a\n1\n2\n3\n4\n", &strict, CD_ELIMIT,
		"f.csv:5: more than 3 "
		"rows",
		NULL);
	struct csv_limits tiny = strict;
	tiny.max_bytes = 3;
	refused("a\n1\n", &tiny, CD_ELIMIT, "larger than 3 bytes", NULL);
}

/* With no_space, spaces around an unquoted value are refused; quoted,
 * they are the value's. Without it, they are kept. */
static void test_spaces(void **state)
{
	(void)state;
	refused("a\n 1\n", &strict, CD_EINVAL,
		"f.csv:2: field 1 ' 1' begins "
		"with a space",
		NULL);
	refused("a,b\n1,2\t\n", &strict, CD_EINVAL, "field 2", "ends with",
		NULL);
	refused("a\n   \n", &strict, CD_EINVAL, "holds only spaces", NULL);
	csv_table t;
	struct cd_diag d;
	assert_int_equal(parse(&t, "a\n\" 1 \"\n", &strict, &d), 0);
	assert_string_equal(csv_table_cell(&t, 1, 0), " 1 ");
	csv_table_free(&t);
	assert_int_equal(parse(&t, "a\n 1 \n", NULL, &d), 0);
	assert_string_equal(csv_table_cell(&t, 1, 0), " 1 ");
	csv_table_free(&t);
}

static void test_missing_file(void **state)
{
	(void)state;
	csv_table t;
	struct cd_diag d;
	assert_int_equal(csv_table_read(&t, "/nonexistent/x.csv", NULL, &d),
			 CD_ENOENT);
	assert_non_null(strstr(d.msg, "cannot read /nonexistent/x.csv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_quoted_line_break),
		cmocka_unit_test(test_bom_and_empty_fields),
		cmocka_unit_test(test_bad_quotes),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
