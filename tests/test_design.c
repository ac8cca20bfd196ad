/* Tests of the design reader (analysis/design.h), in process: 100000
 * rows and 16 columns are a design and one more of either is refused by
 * name; setting paths longer than a value; every message with its file
 * and line; a FIFO without a writer refused, a pipe read to its end.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis/design.h"
#include "core/digest.h"
#include "core/status.h"
#include "load/scenario.h"
#include "params/params.h"
#include "sweep_fixture.h"

/* 100000 rows are a design, every one of them read; 100001 are refused
 * by name. */
static void test_design_rows_limit(void **state)
{
	(void)state;
	struct cd_scenario *sc = sw_small_world();
	struct cd_design dg;
	struct cd_diag d;
	size_t len;
	char *text = sw_rows_design(CD_DESIGN_MAX_ROWS, &len);
	int rc = cd_design_parse(&dg, "d.csv", text, len, &sc->p, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(dg.n_rows, 100000);
	assert_int_equal(dg.n_cols, 1);
	assert_string_equal(cd_design_cell(&dg, 99998, 0), "0.5");
	assert_string_equal(cd_design_cell(&dg, 99999, 0), "0.25");
	cd_design_free(&dg);
	free(text);
	text = sw_rows_design(CD_DESIGN_MAX_ROWS + 1, &len);
	d.msg[0] = '\0';
	rc = cd_design_parse(&dg, "d.csv", text, len, &sc->p, &d);
	assert_int_equal(rc, CD_ELIMIT);
	assert_non_null(strstr(d.msg, "d.csv:100002: "));
	assert_non_null(strstr(d.msg, "more than 100000 rows"));
	free(text);
	scenario_destroy(sc);
}

/* A header of k of the sw_sixteen settings and one row of their values. */
static char *cols_design(int k)
{
	struct sw_text t = {0};
	for (int c = 0; c < k; c++) {
		sw_add(&t, c ? "," : "");
		sw_add(&t, c < 16 ? sw_sixteen[c][0] : "days");
	}
	sw_add(&t, "\r\n");
	for (int c = 0; c < k; c++) {
		sw_add(&t, c ? "," : "");
		sw_add(&t, c < 16 ? sw_sixteen[c][1] : "120");
	}
	sw_add(&t, "\r\n");
	return t.s;
}

/* 16 columns are a design, each one kept; 17 are refused by name. */
static void test_design_columns_limit(void **state)
{
	(void)state;
	assert_int_equal(CD_MAX_AXES, 16);
	struct cd_scenario *sc = sw_small_world();
	struct cd_design dg;
	struct cd_diag d;
	char *text = cols_design(16);
	int rc = cd_design_parse(&dg, "d.csv", text, strlen(text), &sc->p, &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(dg.n_cols, 16);
	assert_int_equal(dg.n_rows, 1);
	for (int c = 0; c < 16; c++) {
		assert_string_equal(cd_design_column(&dg, c), sw_sixteen[c][0]);
		assert_string_equal(cd_design_cell(&dg, 0, c),
				    sw_sixteen[c][1]);
	}
	cd_design_free(&dg);
	free(text);
	text = cols_design(17);
	rc = cd_design_parse(&dg, "d.csv", text, strlen(text), &sc->p, &d);
	assert_int_equal(rc, CD_ELIMIT);
	assert_non_null(strstr(d.msg, "d.csv:1: "));
	assert_non_null(strstr(d.msg, "more than 16 fields"));
	free(text);
	scenario_destroy(sc);
}

/* A setting's path may be longer than a value (63 bytes): segment and
 * attacker names of 31 bytes make an 81-byte path. A value over 63 bytes
 * is refused by name. */
static void test_design_long_path(void **state)
{
	(void)state;
	static const char text[] =
		"days = 3; warmup_days = 0;\n"
		"segments = { s234567890123456789012345678901 = { kind = "
		"\"corporation\"; count = 5; }; };\n"
		"attackers = { a234567890123456789012345678901 = { type = "
		"\"criminal\"; objective = \"extortion\"; targets = { "
		"s234567890123456789012345678901 = 1.0; }; }; };\n";
	struct cd_scenario *sc;
	struct cd_diag d;
	assert_int_equal(
		scenario_load_string(&sc, "long.cfg", text, NULL, 0, &d), 0);
	static const char design[] =
		"attackers.a234567890123456789012345678901.targets."
		"s234567890123456789012345678901\n2.5\n";
	struct cd_design dg;
	int rc = cd_design_parse(&dg, "l.csv", design, strlen(design), &sc->p,
				 &d);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(cd_design_cell(&dg, 0, 0), "2.5");
	cd_design_free(&dg);
	static const char long_value[] = "days\n1000000000000000000000000000000"
					 "000000000000000000000000000"
					 "0000000\n";
	assert_int_equal(cd_design_parse(&dg, "v.csv", long_value,
					 strlen(long_value), &sc->p, &d),
			 CD_ELIMIT);
	assert_non_null(strstr(d.msg, "v.csv:2: field 1: the value is longer "
				      "than 63 bytes"));
	scenario_destroy(sc);
}

/* A byte-order mark is skipped; the hash is the SHA-256 of the bytes; a
 * row of "" is a value, not a blank line; every message has file and
 * line and names the problem. */
static void test_design_reader_messages(void **state)
{
	(void)state;
	struct cd_scenario *sc = sw_small_world();
	struct cd_design dg;
	struct cd_diag d;
	const char bom[] = "\xef\xbb\xbfwon.share_rate\r\n0.5\r\n\r\n0.75\r\n";
	assert_int_equal(
		cd_design_parse(&dg, "b.csv", bom, strlen(bom), &sc->p, &d), 0);
	assert_string_equal(cd_design_column(&dg, 0), "won.share_rate");
	assert_int_equal(dg.n_rows, 2);
	assert_string_equal(cd_design_cell(&dg, 1, 0), "0.75");
	char hex[CD_SHA256_HEX];
	cd_sha256_hex(bom, strlen(bom), hex);
	assert_string_equal(dg.sha256, hex);
	cd_design_free(&dg);
	struct {
		const char *text, *says[2];
	} bad[] = {
		{"won.share_rate\n0.5\n\"\"\n",
		 {"x.csv:3: ", "won.share_rate: '' is not a number"}},
		{"won.share_rate,detection.hunt_rate\n0.5,0.1\n\"\"\n",
		 {"x.csv:3: ", "1 field, but the header has 2"}},
		{"won.share_rate\n0.5\n 0.5\n", {"x.csv:3: ", "begins with a"}},
		{"won.share_rate\n0.5 \n", {"x.csv:2: ", "ends with a"}},
		{"won.share_rate\n0.\"5\n", {"x.csv:2: ", "unquoted value"}},
		{"won.share_rate\n\"0.5\n", {"x.csv:2: ", "not closed"}},
		{"won.share_rate\n0.1234567890123456789012345678901234567890"
		 "12345678901234567890123\n",
		 {"x.csv:2: ", "longer than 63 bytes"}},
		{"won.share_rate\n2\n", {"x.csv:2: ", "out of range"}},
		{"won.share_rat\n0.5\n", {"x.csv:1: column 1", "share_rate"}},
		{"won.share_rate,won.share_rate\n0.5,0.5\n",
		 {"x.csv:1: column 2", "again (column 1 does)"}},
		{"won.share_rate,\n0.5,0.5\n",
		 {"x.csv:1: column 2", "no name"}},
		{"\n\nwon.share_rate\n", {"x.csv:3: ", "no rows"}},
		{"\xef\xbb\xbf\r\n\n", {"x.csv:1: ", "empty file"}},
		{"", {"x.csv:1: ", "empty file"}},
		{"won.share_rate\n0.5\n\0\n", {"x.csv:3: ", "NUL byte"}},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len = strlen(bad[i].text);
		if (strstr(bad[i].says[1], "NUL"))
			len += 2;
		d.msg[0] = '\0';
		int rc = cd_design_parse(&dg, "x.csv", bad[i].text, len, &sc->p,
					 &d);
		int ok = rc != 0 && strstr(d.msg, bad[i].says[0]) &&
			 strstr(d.msg, bad[i].says[1]);
		if (!ok)
			fprintf(stderr, "case %zu: rc %d, '%s'\n", i, rc,
				d.msg);
		assert_true(ok);
		assert_null(dg.t.cell);
	}
	scenario_destroy(sc);
}

/* The writer of a pipe: writes text into fd, then closes it. */
struct writer {
	int fd;
	const char *text;
	int ok;
};

static void *write_design(void *arg)
{
	struct writer *w = arg;
	size_t n = strlen(w->text);
	w->ok = write(w->fd, w->text, n) == (ssize_t)n;
	close(w->fd);
	return NULL;
}

/* A FIFO that no process writes is refused at once; a pipe with a writer
 * (as process substitution gives; here a thread) is read to its end. */
static void test_design_fifo(void **state)
{
	(void)state;
	struct cd_scenario *sc = sw_small_world();
	char fifo[300];
	sw_path(fifo, "design.fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	struct cd_design dg;
	struct cd_diag d;
	int rc = cd_design_read(&dg, fifo, &sc->p, &d);
	assert_int_equal(rc, CD_EIO);
	assert_non_null(strstr(d.msg, fifo));
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct writer w = {fds[1], "won.share_rate\n0.1\n0.2\n0.3\n", 0};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, write_design, &w), 0);
	char dev[64];
	snprintf(dev, sizeof dev, "/dev/fd/%d", fds[0]);
	rc = cd_design_read(&dg, dev, &sc->p, &d);
	assert_int_equal(pthread_join(th, NULL), 0);
	close(fds[0]);
	assert_true(w.ok);
	if (rc)
		fprintf(stderr, "%s\n", d.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(dg.n_rows, 3);
	cd_design_free(&dg);
	unlink(fifo);
	scenario_destroy(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_rows_limit),
		cmocka_unit_test(test_design_columns_limit),
		cmocka_unit_test(test_design_long_path),
		cmocka_unit_test(test_design_reader_messages),
		cmocka_unit_test(test_design_fifo),
	};
	return cmocka_run_group_tests(tests, sw_setup, sw_teardown);
}
