/* options: see options.h. */
#define _POSIX_C_SOURCE 200809L /* sysconf */
#include "cmd/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/units.h"

int cmd_bad(const struct cmd_line *l, const char *problem, const char *arg)
{
	fprintf(stderr, "cyberdef: %s%s\n\n%s", problem, arg, l->usage);
	return 2;
}

static const struct option *find_long(const struct option *o, const char *name,
				      size_t len)
{
	for (; o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

/* The one long option that `name` (len bytes) abbreviates, or NULL. */
static const struct option *abbreviates(const struct option *o,
					const char *name, size_t len)
{
	const struct option *hit = NULL;
	for (; o->name; o++)
		if (len && !strncmp(o->name, name, len)) {
			if (hit)
				return NULL;
			hit = o;
		}
	return hit;
}

/* getopt_long accepts unique abbreviations of long options; refuse them
 * (and unknown options) before it runs, naming the full spelling. */
static int check_spelling(struct cmd_line *l)
{
	for (int i = 1; i < l->argc; i++) {
		const char *t = l->argv[i];
		if (!strcmp(t, "--"))
			break;
		if (strncmp(t, "--", 2)) {
			if (t[0] == '-' && t[1] && strcmp(t, "-h"))
				return cmd_bad(l, "unknown option ", t);
			continue;
		}
		const char *name = t + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct option *o = find_long(l->longopts, name, len);
		if (!o) {
			const struct option *a =
				abbreviates(l->longopts, name, len);
			if (!a)
				return cmd_bad(l, "unknown option ", t);
			fprintf(stderr,
				"cyberdef: unknown option %s; options are "
				"spelt out in full: did you mean --%s?\n\n%s",
				t, a->name, l->usage);
			return 2;
		}
		if (o->has_arg == required_argument && !eq)
			i++; /* its value, whatever it looks like */
	}
	return 0;
}

int cmd_begin(struct cmd_line *l, int argc, char **argv,
	      const struct option *longopts, const char *usage)
{
	*l = (struct cmd_line){.usage = usage,
			       .argc = argc,
			       .argv = argv,
			       .longopts = longopts};
	optind = 0; /* a fresh parse (GNU: reinitialises everything) */
	opterr = 0; /* our messages, not getopt's */
	return check_spelling(l);
}

static const char *name_of(const struct cmd_line *l, int val)
{
	for (const struct option *o = l->longopts; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

int cmd_next(struct cmd_line *l)
{
	int idx = 0;
	int c = getopt_long(l->argc, l->argv, ":h", l->longopts, &idx);
	l->optarg = optarg;
	if (c == -1) {
		for (int i = optind; i < l->argc; i++) {
			if (l->n_pos ==
			    (int)(sizeof l->pos / sizeof l->pos[0])) {
				cmd_bad(l, "too many arguments: ", l->argv[i]);
				return -2;
			}
			l->pos[l->n_pos++] = l->argv[i];
		}
		return -1;
	}
	if (c == ':') {
		char opt[80];
		snprintf(opt, sizeof opt, "--%s", name_of(l, optopt));
		cmd_bad(l, "missing value after ", opt);
		return -2;
	}
	if (c == '?') {
		cmd_bad(l, "unknown option ", l->argv[optind - 1]);
		return -2;
	}
	return c;
}

/* An unsigned decimal integer, whole: no sign, space or trailing text. */
static int parse_u64(const char *s, uint64_t *v)
{
	if (*s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (*end || errno)
		return -1;
	*v = x;
	return 0;
}

/* A size, whole: a digit first, then digits, '.', an exponent and at
 * most one unit letter last (no space, sign or hexadecimal). */
static int parse_size(const char *s, double *bytes)
{
	size_t n = strlen(s), k = strspn(s, "0123456789.eE+-");
	if (*s < '0' || *s > '9' ||
	    (k != n && (k + 1 != n || !strchr("KkMmGgTt", s[k]))))
		return -1;
	return cd_size_parse(s, bytes);
}

static int add_set(struct cmd_line *l, struct cmd_common *c, const char *v)
{
	if (c->n_sets >= CD_MAX_SETS)
		return cmd_bad(l, "too many --set options; at most ", "64");
	c->sets[c->n_sets++] = v;
	return 0;
}

int cmd_common(struct cmd_line *l, struct cmd_common *c, int code,
	       const char *arg)
{
	uint64_t v;
	switch (code) {
	case OPT_SEED:
		if (parse_u64(arg, &c->seed))
			return cmd_bad(l,
				       "--seed: allowed: an integer in [0, "
				       "2^64-1], got ",
				       arg);
		c->seed_given = 1;
		return 0;
	case OPT_SET:
		return add_set(l, c, arg);
	case OPT_DAYS: {
		/* --days N is --set days=N, up to the length --set allows. */
		if (c->n_sets >= CD_MAX_SETS)
			return add_set(l, c, arg);
		char *t = c->days[c->n_sets];
		int n = snprintf(t, sizeof c->days[0], "days=%s", arg);
		if (n < 0 || (size_t)n >= sizeof c->days[0])
			return cmd_bad(l,
				       "--days: allowed: an integer in [1, "
				       "36500], got ",
				       arg);
		return add_set(l, c, t);
	}
	case OPT_OUT:
		if (!*arg)
			return cmd_bad(l, "--out needs a directory name", "");
		c->out = arg;
		return 0;
	case OPT_JOBS:
		if (parse_u64(arg, &v) || v < 1 || v > 1024)
			return cmd_bad(l,
				       "--jobs: allowed: an integer in [1, "
				       "1024], got ",
				       arg);
		c->jobs = (int)v;
		return 0;
	case OPT_QUIET:
		c->quiet = 1;
		return 0;
	case OPT_MAX_MEMORY:
		if (parse_size(arg, &c->max_memory))
			return cmd_bad(l,
				       "--max-memory: allowed: a size such as "
				       "512M or 8G, got ",
				       arg);
		return 0;
	default:
		return cmd_bad(l, "internal error: not a shared option", "");
	}
}

int cmd_positional(struct cmd_line *l, int max, const char *what)
{
	if (l->n_pos <= max)
		return 0;
	if (!max)
		return cmd_bad(l, "unexpected argument ", l->pos[0]);
	char problem[200];
	snprintf(problem, sizeof problem, "more than one %s given: ", what);
	return cmd_bad(l, problem, l->pos[max]);
}

int cmd_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}
