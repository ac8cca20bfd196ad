/* The assumptions register: every number a shipped scenario gives carries
 * its warrant beside it. A number on a setting's line (`name = 1.5;`) is
 * annotated by the comment on that line, with the comment lines that
 * continue it below (what `cyberdef describe` shows beside the setting,
 * and sorts by with --kind); a group's comment does not annotate the
 * numbers inside it, which describe would show bare. The annotation
 * must say what the number is: "assumption", "calibrated" (set by a
 * calibration), "counted" (a count of the things the comment names), "run
 * design" (the length of the run, not a model input), or cite a source
 * with its year (Gady 2017, White Paper on SMEs 2018, ...). A bare number
 * fails the test with its file and line.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define MAX_LINES 4096

static regex_t marker;

/* Whether a comment's text warrants a number. */
static int warrants(const char *text)
{
	return regexec(&marker, text, 0, NULL, 0) == 0;
}

/* The code of a line (before '#', strings blanked) into code, and its
 * comment (after '#', or "") into com. */
static void split(const char *line, char *code, char *com, size_t size)
{
	int in_str = 0;
	size_t n = 0;
	com[0] = '\0';
	for (const char *p = line; *p && n + 1 < size; p++) {
		if (*p == '"')
			in_str = !in_str;
		if (!in_str && *p == '#') {
			snprintf(com, size, "%s", p + 1);
			break;
		}
		code[n++] = in_str ? ' ' : *p;
	}
	code[n] = '\0';
}

/* Whether code assigns a number: '=' followed by a numeric literal. */
static int assigns_number(const char *code)
{
	for (const char *p = strchr(code, '='); p; p = strchr(p + 1, '=')) {
		const char *v = p + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '-' || *v == '+')
			v++;
		if (isdigit((unsigned char)*v) ||
		    (*v == '.' && isdigit((unsigned char)v[1])))
			return 1;
	}
	return 0;
}

static int indent(const char *s)
{
	int n = 0;
	while (s[n] == ' ')
		n++;
	return n;
}

/* The comment of line i with the comment lines below it that continue it
 * (comment-only lines indented at least as far as the comment), into
 * buf. */
static void comment_of(char **lines, int n, int i, const char *com, char *buf,
		       size_t size)
{
	snprintf(buf, size, "%s", com);
	const char *hash = strchr(lines[i], '#');
	int col = hash ? (int)(hash - lines[i]) : 0;
	for (int j = i + 1; j < n; j++) {
		const char *t = lines[j] + indent(lines[j]);
		if (*t != '#' || indent(lines[j]) < col || !*com)
			break;
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, " %s", t + 1);
	}
}

/* Checks one file; returns the count of bare numbers, each printed. */
static int check_file(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char *lines[MAX_LINES];
	char buf[1024];
	int n = 0;
	while (n < MAX_LINES && fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		lines[n] = strdup(buf);
		assert_non_null(lines[n]);
		n++;
	}
	fclose(f);
	int bare = 0;
	for (int i = 0; i < n; i++) {
		char code[1024], com[1024], full[2048];
		split(lines[i], code, com, sizeof code);
		comment_of(lines, n, i, com, full, sizeof full);
		if (assigns_number(code) && !warrants(full)) {
			printf("%s:%d: a number without its warrant: %s\n",
			       path, i + 1, lines[i] + indent(lines[i]));
			bare++;
		}
	}
	for (int i = 0; i < n; i++)
		free(lines[i]);
	return bare;
}

/* The .cfg files of dir; returns the bare numbers found, and counts the
 * files. */
static int check_dir(const char *dir, int *files)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int bare = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".cfg"))
			continue;
		char path[2048];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		bare += check_file(path);
		(*files)++;
	}
	closedir(d);
	return bare;
}

static void test_every_number_has_its_warrant(void **state)
{
	(void)state;
	int files = 0;
	int bare = check_dir(SOURCE_DIR "/scenarios", &files) +
		   check_dir(SOURCE_DIR "/scenarios/common", &files);
	assert_true(files >= 8);
	assert_int_equal(bare, 0);
}

/* The check can fail: a bare number, a comment that warrants nothing,
 * and numbers under a group's comment are found; warranted ones, a
 * warrant on a continuing line and a number in a string are not. */
static void test_bare_numbers_found(void **state)
{
	(void)state;
	char path[] = "/tmp/cd_register_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("days = 365;\n"
	      "a = { x = 1.0; }; # the usual\n"
	      "b = {          # nothing said\n"
	      "  y = 2.0;\n"
	      "};\n"
	      "c = {          # assumption: weights\n"
	      "  z = 3.0;\n"
	      "};\n"
	      "d = 0.5;       # Gady 2017\n"
	      "e = 7;         # the seventh,\n"
	      "               # an assumption\n"
	      "name = \"v1.0 = 2\"; # a string is not a number\n",
	      f);
	fclose(f);
	assert_int_equal(check_file(path), 4);
	remove(path);
}

static int setup(void **state)
{
	(void)state;
	return regcomp(&marker,
		       "assumption|calibrated|counted|run design|"
		       "(19|20)[0-9][0-9]",
		       REG_EXTENDED | REG_ICASE | REG_NOSUB);
}

static int teardown(void **state)
{
	(void)state;
	regfree(&marker);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_number_has_its_warrant),
		cmocka_unit_test(test_bare_numbers_found),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
