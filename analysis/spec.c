/* spec: see spec.h. */
#include "analysis/spec.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"

void sweep_short_text(const char *text, char *buf, size_t size)
{
	size_t n = strlen(text);
	snprintf(buf, size, "%.*s%s", (int)(n > 80 ? 77 : n), text,
		 n > 80 ? "..." : "");
}

/* SPEC start:stop:step (`shown` is SPEC for messages). */
static int spec_range(const char *spec, const char *shown,
		      char (**values)[SWEEP_VALUE_MAX], int *n, char *err,
		      size_t size)
{
	double v[3];
	const char *p = spec;
	for (int k = 0; k < 3; k++) {
		char *end;
		errno = 0;
		v[k] = strtod(p, &end);
		if (end == p || errno || !isfinite(v[k]) ||
		    *end != (k < 2 ? ':' : '\0')) {
			snprintf(err, size,
				 "'%s' is not start:stop:step with three "
				 "finite numbers",
				 shown);
			return CD_EINVAL;
		}
		p = end + 1;
	}
	if (!(v[2] > 0)) {
		snprintf(err, size, "'%s': the step must be > 0", shown);
		return CD_EINVAL;
	}
	if (v[1] < v[0]) {
		snprintf(err, size,
			 "'%s' is reversed: stop %.15g is below start %.15g",
			 shown, v[1], v[0]);
		return CD_EINVAL;
	}
	/* Inclusive of stop within rounding (1e-9 of a step). */
	double count = floor((v[1] - v[0]) / v[2] + 1e-9) + 1;
	if (!(count <= SWEEP_MAX_VALUES)) { /* also an infinite count */
		char many[32] = "more than 1e15";
		if (count < 1e15)
			snprintf(many, sizeof many, "%.0f", count);
		snprintf(err, size, "'%s' makes %s values; allowed: at most %d",
			 shown, many, SWEEP_MAX_VALUES);
		return CD_EINVAL;
	}
	*values = malloc((size_t)count * sizeof **values);
	if (!*values)
		return CD_ENOMEM;
	for (int i = 0; i < (int)count; i++)
		snprintf((*values)[i], SWEEP_VALUE_MAX, "%.12g",
			 v[0] + i * v[2]);
	*n = (int)count;
	return 0;
}

/* SPEC a,b,c. */
static int spec_list(const char *spec, const char *shown,
		     char (**values)[SWEEP_VALUE_MAX], int *n, char *err,
		     size_t size)
{
	size_t count = 1;
	for (const char *p = spec; *p; p++)
		count += *p == ',';
	if (count > SWEEP_MAX_VALUES) {
		snprintf(err, size,
			 "the list has %zu values; allowed: at most %d", count,
			 SWEEP_MAX_VALUES);
		return CD_EINVAL;
	}
	*values = malloc(count * sizeof **values);
	if (!*values)
		return CD_ENOMEM;
	const char *p = spec;
	for (size_t i = 0; i < count; i++) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0 || len >= SWEEP_VALUE_MAX) {
			snprintf(err, size,
				 "'%s': value %zu is %s; allowed: a list a,b,c "
				 "of non-empty values of at most %d bytes",
				 shown, i + 1, len ? "too long" : "empty",
				 SWEEP_VALUE_MAX - 1);
			free(*values);
			*values = NULL;
			return CD_EINVAL;
		}
		snprintf((*values)[i], SWEEP_VALUE_MAX, "%.*s", (int)len, p);
		p = e ? e + 1 : p + len;
	}
	*n = (int)count;
	return 0;
}

int sweep_parse_spec(const char *spec, char (**values)[SWEEP_VALUE_MAX], int *n,
		     char *err, size_t size)
{
	*values = NULL;
	*n = 0;
	if (!*spec) {
		snprintf(err, size,
			 "empty SPEC; allowed: start:stop:step or a list "
			 "a,b,c");
		return CD_EINVAL;
	}
	char shown[100];
	sweep_short_text(spec, shown, sizeof shown);
	return strchr(spec, ':') ? spec_range(spec, shown, values, n, err, size)
				 : spec_list(spec, shown, values, n, err, size);
}
