/* Allocation failures on demand: see alloc.h. */
#define _GNU_SOURCE /* dladdr; strnlen */

#include "alloc.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static struct {
	int armed, persist, no_jansson;
	long n, fail_at, failed;
	void *first_site;
} inj;

/* ---- the blocks allocated while armed ----------------------------------- */

/* An open-addressing set of pointers (deletion by backward shift). */
#define LIVE_CAP (1u << 16)
static void *live[LIVE_CAP];
static size_t n_live;

static size_t slot_of(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (LIVE_CAP - 1);
}

static void track(void *p)
{
	if (!p || n_live + 1 >= LIVE_CAP / 2)
		return; /* full: the sanitizers still see a leak */
	size_t i = slot_of(p);
	while (live[i] && live[i] != p)
		i = (i + 1) & (LIVE_CAP - 1);
	if (!live[i])
		n_live++;
	live[i] = p;
}

static void untrack(void *p)
{
	if (!p || !n_live)
		return;
	size_t i = slot_of(p);
	while (live[i] && live[i] != p)
		i = (i + 1) & (LIVE_CAP - 1);
	if (!live[i])
		return;
	live[i] = NULL;
	n_live--;
	/* Move back the entries of the run after it that belong before. */
	for (size_t j = (i + 1) & (LIVE_CAP - 1); live[j];
	     j = (j + 1) & (LIVE_CAP - 1)) {
		size_t home = slot_of(live[j]);
		if (((j - home) & (LIVE_CAP - 1)) >=
		    ((j - i) & (LIVE_CAP - 1))) {
			live[i] = live[j];
			live[j] = NULL;
			i = j;
		}
	}
}

static int tracked(const void *p)
{
	if (!p)
		return 0;
	size_t i = slot_of(p);
	while (live[i] && live[i] != p)
		i = (i + 1) & (LIVE_CAP - 1);
	return live[i] != NULL;
}

/* ---- arming ------------------------------------------------------------- */

void alloc_arm(long fail_at, int persist)
{
	memset(live, 0, sizeof live);
	n_live = 0;
	inj.n = inj.failed = 0;
	inj.first_site = NULL;
	inj.fail_at = fail_at;
	inj.persist = persist;
	inj.armed = 1;
}

void alloc_disarm(void)
{
	inj.armed = 0;
}

long alloc_count(void)
{
	return inj.n;
}

long alloc_failed(void)
{
	return inj.failed;
}

size_t alloc_live(void)
{
	return n_live;
}

void *alloc_failed_at(void)
{
	return inj.first_site;
}

const char *alloc_site(char *buf, size_t size)
{
	Dl_info info;
	void *site = inj.first_site;
	if (!site)
		snprintf(buf, size, "nowhere");
	else if (dladdr(site, &info) && info.dli_fname)
		snprintf(buf, size, "%s+0x%lx (addr2line -e %s 0x%lx)",
			 info.dli_fname,
			 (unsigned long)((char *)site - (char *)info.dli_fbase),
			 info.dli_fname,
			 (unsigned long)((char *)site - (char *)info.dli_fbase -
					 1));
	else
		snprintf(buf, size, "%p", site);
	return buf;
}

/* Is this allocation (made from site) the one to fail? */
static int fails(void *site)
{
	if (!inj.armed)
		return 0;
	long k = ++inj.n;
	if (!inj.fail_at || k < inj.fail_at ||
	    (k > inj.fail_at && !inj.persist))
		return 0;
	if (!inj.failed++)
		inj.first_site = site;
	errno = ENOMEM;
	return 1;
}

/* ---- the wrappers ------------------------------------------------------- */

static void *do_malloc(size_t size, void *site)
{
	if (fails(site))
		return NULL;
	void *p = __real_malloc(size);
	if (inj.armed)
		track(p);
	return p;
}

void *__wrap_malloc(size_t size)
{
	return do_malloc(size, __builtin_return_address(0));
}

void *__wrap_calloc(size_t n, size_t size)
{
	if (fails(__builtin_return_address(0)))
		return NULL;
	void *p = __real_calloc(n, size);
	if (inj.armed)
		track(p);
	return p;
}

void *__wrap_realloc(void *p, size_t size)
{
	if (fails(__builtin_return_address(0)))
		return NULL; /* p stays allocated, as realloc leaves it */
	int was = tracked(p);
	void *q = __real_realloc(p, size);
	if (q) {
		untrack(p);
		if (inj.armed && (was || !p))
			track(q);
	}
	return q;
}

void __wrap_free(void *p)
{
	untrack(p);
	__real_free(p);
}

char *__wrap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = do_malloc(n, __builtin_return_address(0));
	if (p)
		memcpy(p, s, n);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = do_malloc(len + 1, __builtin_return_address(0));
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* jansson's allocator: the same counting, failing and listing. */
static void *jansson_malloc(size_t size)
{
	if (inj.no_jansson) {
		void *p = __real_malloc(size);
		if (inj.armed)
			track(p);
		return p;
	}
	return do_malloc(size, __builtin_return_address(0));
}

void alloc_jansson(int on)
{
	inj.no_jansson = !on;
}

void alloc_hook_jansson(void)
{
	json_set_alloc_funcs(jansson_malloc, __wrap_free);
}
