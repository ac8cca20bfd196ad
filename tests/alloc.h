/* Allocation failures on demand (tests/alloc.c, for test_alloc).
 *
 * test_alloc is linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=free,--wrap=strdup,--wrap=strndup, so that every
 * allocation of cyberdef's own code (the static libraries of every layer)
 * and of the test goes through the wrappers of alloc.c; jansson's go
 * through them too (json_set_alloc_funcs). GSL, libconfig and libc
 * allocate inside their shared libraries, out of reach: out of scope.
 *
 * While armed, the wrappers count allocations and fail the k-th (with
 * errno ENOMEM, as malloc does), or every one from the k-th on; they also
 * list every block allocated while armed until it is freed, so that a
 * leak on a failure path shows as a block still listed, in any build (the
 * asan preset and valgrind check it again).
 */
#ifndef CYBERDEF_TESTS_ALLOC_H
#define CYBERDEF_TESTS_ALLOC_H

#include <stddef.h>

/* Starts counting: fails allocation number fail_at (1-based; 0 fails
 * none), and every later one too if `persist`. Forgets the blocks listed
 * before. */
void alloc_arm(long fail_at, int persist);
/* Stops counting and failing. */
void alloc_disarm(void);
/* Allocations made since alloc_arm, and how many were failed. */
long alloc_count(void);
long alloc_failed(void);
/* Blocks allocated while armed and not freed yet. */
size_t alloc_live(void);
/* Where the first failed allocation was made from: the return address
 * of the allocator's caller (NULL if none failed), and the same as text
 * for addr2line, in buf. */
void *alloc_failed_at(void);
const char *alloc_site(char *buf, size_t size);
/* Routes jansson's allocations through the wrappers. Call before jansson
 * allocates anything. */
void alloc_hook_jansson(void);
/* Whether jansson's allocations are counted and may fail (1, the
 * default) or not (0). Its parser cannot report every failure: it drops a
 * failed append to its token buffer (lex_save in jansson 2.14), so out of
 * memory there reads as bad input or even as a shorter string. */
void alloc_jansson(int on);

#endif
