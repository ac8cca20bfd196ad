/* metrics: the run-time forms of the column tables (metrics.h). */
#include "analysis/metrics.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "analysis/output.h"

uint64_t cd_daily_detections(const struct cd_daily *d)
{
	uint64_t n = 0;
	for (int k = 0; k < CD_SOURCES; k++)
		n += d->detections[k];
	return n;
}

#define COLUMN(name, kind, unit, help, expr, agg) \
	{#name, unit, help, CD_AGG_##agg},
const struct cd_column cd_timeseries_columns[] = {
	CD_TIMESERIES_COLUMNS(COLUMN){NULL, NULL, NULL, 0}};

#define KEPT_IF_LABEL(name, unit, help)
#define KEPT_IF_SUM(name, unit, help)
#define KEPT_IF_MEAN(name, unit, help)
#define KEPT_IF_MAX(name, unit, help)
#define KEPT_IF_KEEP(name, unit, help) {#name, unit, help, CD_AGG_KEEP},
#define KEPT_IF_KEEP_LEVEL(name, unit, help) \
	{#name, unit, help, CD_AGG_KEEP_LEVEL},
#define KEPT(name, kind, unit, help, expr, agg) KEPT_IF_##agg(name, unit, help)
const struct cd_column cd_kept_columns[] = {
	CD_TIMESERIES_COLUMNS(KEPT){NULL, NULL, NULL, 0}};

#define SUMMARY(name, unit, help, value) {#name, unit, help, CD_AGG_SUM},
const struct cd_column cd_summary_columns[] = {
	CD_SUMMARY_COLUMNS(SUMMARY){NULL, NULL, NULL, 0}};

const struct cd_column *cd_column_find(const struct cd_column *t,
				       const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

const char *cd_column_daily_unit(const struct cd_column *c, char *buf,
				 size_t size)
{
	int count = c->agg == CD_AGG_SUM || c->agg == CD_AGG_KEEP;
	snprintf(buf, size, "%s%s", c->unit, count && *c->unit ? "/day" : "");
	return buf;
}
