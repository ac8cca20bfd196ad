#define _POSIX_C_SOURCE 200809L
#include "core/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cd_size_parse(const char *text, double *bytes)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	double unit = 1;
	if (end != text && end[0] && !end[1]) {
		const char *u = strchr("KkMmGgTt", end[0]);
		if (u) {
			int power = (int)(u - "KkMmGgTt") / 2 + 1;
			unit = pow(1024.0, power);
			end++;
		}
	}
	if (end == text || *end || errno || !(v > 0) || !isfinite(v))
		return -1;
	*bytes = v * unit;
	return 0;
}

void cd_size_text(double bytes, int digits, char *buf, size_t size)
{
	static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	double v = bytes;
	int k = 0;
	while (k < 4 && v >= 1024) {
		v /= 1024;
		k++;
	}
	if (k == 0)
		snprintf(buf, size, "%.0f byte%s", v, v == 1 ? "" : "s");
	else
		snprintf(buf, size, "%.*g %s", digits < 3 ? 3 : digits, v,
			 unit[k]);
}

void cd_size_pair(double a, double b, char *ta, char *tb, size_t size)
{
	for (int digits = 3; digits <= 17; digits++) {
		cd_size_text(a, digits, ta, size);
		cd_size_text(b, digits, tb, size);
		if (a == b || strcmp(ta, tb))
			return;
	}
	snprintf(ta, size, "%.0f bytes", a);
	snprintf(tb, size, "%.0f bytes", b);
}

double cd_machine_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
	return pages > 0 && page > 0 ? (double)pages * (double)page : 0;
}
