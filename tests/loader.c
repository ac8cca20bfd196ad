/* Helpers of the tests of the scenario loader: see loader.h. */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw; implies POSIX.1-2008 */

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "loader.h"

/* Fails unless msg is one line holding every fragment of the
 * NULL-terminated list. */
void ld_check_msg(const char *msg, const char *const *frags)
{
	if (!msg[0])
		fail_msg("empty message");
	if (strchr(msg, '\n'))
		fail_msg("message is more than one line: %s", msg);
	for (; *frags; frags++)
		if (!strstr(msg, *frags))
			fail_msg("message lacks \"%s\":\n    %s", *frags, msg);
}

/* Fails unless rc is want; on failure shows the message. */
void ld_check_rc(int rc, int want, const struct cd_diag *d)
{
	if (rc != want)
		fail_msg("status %d (%s), want %d (%s); message: %s", rc,
			 cd_strerror(rc), want, cd_strerror(want), d->msg);
}

/* Loads `text` named `name` with the --set texts, expects status `want`
 * and a message holding every fragment. */
void ld_fail_string(const char *name, const char *text, const char *const *sets,
		    int n_sets, int want, const char *const *frags)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_string(&s, name, text, sets, n_sets, &d);

	if (rc == 0)
		scenario_destroy(s);
	ld_check_rc(rc, want, &d);
	assert_null(s);
	ld_check_msg(d.msg, frags);
}

/* Expects `path` to fail to load with status want and the fragments. */
void ld_fail_file(const char *path, int want, const char *const *frags)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_file(&s, path, NULL, 0, &d);

	if (rc == 0)
		scenario_destroy(s);
	ld_check_rc(rc, want, &d);
	assert_null(s);
	ld_check_msg(d.msg, frags);
}

struct cd_scenario *ld_load_string_sets(const char *text,
					const char *const *sets, int n_sets)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_string(&s, "good.cfg", text, sets, n_sets, &d);

	ld_check_rc(rc, 0, &d);
	assert_non_null(s);
	return s;
}

struct cd_scenario *ld_load_string(const char *text)
{
	return ld_load_string_sets(text, NULL, 0);
}

struct cd_scenario *ld_load_file(const char *path)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_file(&s, path, NULL, 0, &d);

	if (rc)
		fail_msg("%s: status %d: %s", path, rc, d.msg);
	return s;
}

struct cd_scenario *ld_load_embedded(const char *name)
{
	struct cd_scenario *s = NULL;
	struct cd_diag d = {{0}};
	int rc = scenario_load_embedded(&s, name, NULL, 0, &d);

	if (rc)
		fail_msg("embedded %s: status %d: %s", name, rc, d.msg);
	return s;
}

/* ---- a temporary directory for @include tests ------------------------- */

int ld_setup_dir(void **state)
{
	struct fixture *fx = malloc(sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/cd_test_scenario.XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int ld_teardown_dir(void **state)
{
	struct fixture *fx = *state;
	int rc = nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	free(fx);
	return rc;
}

/* Writes "<dir>/<rel>" into buf. */
void ld_path_in(char *buf, size_t size, const struct fixture *fx,
		const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", fx->dir, rel);

	assert_true(n > 0 && (size_t)n < size);
}

/* Writes len bytes of text to "<dir>/<rel>". */
void ld_write_bytes(const struct fixture *fx, const char *rel, const char *text,
		    size_t len)
{
	char path[256];
	FILE *f;

	ld_path_in(path, sizeof(path), fx, rel);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

void ld_write_text(const struct fixture *fx, const char *rel, const char *text)
{
	ld_write_bytes(fx, rel, text, strlen(text));
}
