/* describe: `cyberdef describe`, every resolved parameter of a scenario with
 * where it was set and the source comment beside it in the file; and the
 * check of the stage mappings, which names where a coefficient was set. */
#include "load/describe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/scenario.h"
#include "params/hygiene.h"
#include "params/names.h"
#include "params/schema.h"
#include "params/stages.h"

static double get(const struct cd_params *p, size_t offset)
{
	return *(const double *)(const void *)((const char *)p + offset);
}

/* Mapping m with p's coefficients, e.g. "0.8 - 0.6 m". */
static void formula(const struct cd_params *p, const struct stage_map *m,
		    char *buf, size_t size)
{
	double base = get(p, m->base), slope = get(p, m->slope);
	const char *sign = slope < 0 ? "-" : "+";
	if (m->form == STAGE_LATENCY)
		snprintf(buf, size, "round(%.15g %s %.15g (1 - m))", base, sign,
			 fabs(slope));
	else
		snprintf(buf, size, "%.15g %s %.15g m", base, sign,
			 fabs(slope));
}

/* Writes v in 15 significant digits, or in 17 if 15 would read back
 * inside [lo, hi] while v is outside. */
static void show_value(char *buf, size_t size, double v, double lo, double hi)
{
	snprintf(buf, size, "%.15g", v);
	double b = strtod(buf, NULL);
	if ((v < lo || v > hi) && b >= lo && b <= hi)
		snprintf(buf, size, "%.17g", v);
}

int scenario_check_stages(const struct cd_scenario *s,
			  const struct cd_params *p, int event, int event_line,
			  struct cd_diag *d)
{
	double at, v;
	const struct stage_map *m = stages_check(p, &at, &v);
	if (!m)
		return 0;
	const char *sec = cd_stage_names[m->stage];
	const struct schema_field *f = stages_field(m, m->name);
	double base = get(p, m->base), slope = get(p, m->slope);
	/* Blame the coefficient set last: by the event; else by the later
	 * --set, else the layer, else on the later line
	 * (scenario_origin_after). */
	int blame_slope = 1;
	if (event >= 0) {
		const struct cd_event *ev = &s->timeline.events[event];
		for (int k = 0; k < ev->count; k++) {
			size_t off = s->timeline.assign[ev->first + k].offset;
			if (off == m->base || off == m->slope)
				blame_slope = off == m->slope;
		}
	} else {
		int ob = s->origin[m->base], os = s->origin[m->slope];
		blame_slope = !scenario_origin_after(ob, os);
	}
	/* The ends of the mapping are base and base + slope (at m = 0 and
	 * m = 1, or the reverse for a latency): what the blamed coefficient
	 * may be with the other as it is, within its own range. */
	const struct schema_field *bf =
		stages_field(m, blame_slope ? m->slope_name : m->base_name);
	double lo = blame_slope ? f->min - base : f->min - fmin(0, slope);
	double hi = blame_slope ? f->max - base : f->max - fmax(0, slope);
	lo = fmax(lo, bf->min);
	hi = fmin(hi, bf->max);
	char form[128], shown[40], what[640];
	formula(p, m, form, sizeof form);
	show_value(shown, sizeof shown, v, f->min, f->max);
	snprintf(what, sizeof what,
		 "%s.%s: %s.%s = %s reaches %s at maturity %g, outside "
		 "[%.15g, %.15g]; allowed: %s.%s in [%.15g, %.15g] with %s.%s "
		 "= %.15g, so that %s.%s stays in [%.15g, %.15g] at every "
		 "maturity in [0, 1]",
		 sec, bf->name, sec, m->name, form, shown, at, f->min, f->max,
		 sec, bf->name, lo, hi, sec,
		 blame_slope ? m->base_name : m->slope_name,
		 blame_slope ? base : slope, sec, m->name, f->min, f->max);
	const char *file;
	int line;
	if (event >= 0) {
		scenario_where(s, event_line, &file, &line);
		snprintf(d->msg, sizeof d->msg,
			 "%.300s:%d: timeline[%d]: after it, %s", file, line,
			 event, what);
		return CD_EINVAL;
	}
	int o = s->origin[blame_slope ? m->slope : m->base];
	if (o < 0) {
		char by[CD_LAYER_NAME + CD_SET_MAX + 8];
		scenario_origin_text(s, o, by, sizeof by);
		snprintf(d->msg, sizeof d->msg, "%.380s: %s", by, what);
		return CD_EINVAL;
	}
	scenario_where(s, o, &file, &line);
	if (line > 0)
		snprintf(d->msg, sizeof d->msg, "%.300s:%d: %s", file, line,
			 what);
	else
		snprintf(d->msg, sizeof d->msg, "%.300s: %s", file, what);
	return CD_EINVAL;
}

/* The comment of expanded line `line` (text after '#', outside strings)
 * and of the comment-only lines right after it, joined by spaces. */
static void comment_of(const struct cd_scenario *s, int line, char *buf,
		       size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int l = line; l >= 1 && l <= s->n_lines; l++) {
		const char *p = s->text + s->lines[l - 1].start;
		const char *end = strchr(p, '\n');
		const char *hash = NULL;
		int quoted = 0, only_comment = 1;
		for (const char *q = p; q < end; q++) {
			if (*q == '"')
				quoted = !quoted;
			if (*q == '#' && !quoted) {
				hash = q;
				break;
			}
			if (*q != ' ' && *q != '\t')
				only_comment = 0;
		}
		if (l > line && (!hash || !only_comment))
			break; /* the comment block ended */
		if (!hash)
			break;
		hash++;
		while (hash < end && *hash == ' ')
			hash++;
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used,
						 "%s%.*s", used ? " " : "",
						 (int)(end - hash), hash);
	}
}

/* Where a derived value at offset off comes from: a stage mapping, with
 * its coefficients in force, or else the field's help. */
static void derived(const struct cd_scenario *s, size_t off,
		    const struct schema_field *f, char *buf, size_t size)
{
	const struct stage_map *m = NULL;
	for (int k = 0; k < STAGE_N_MAPS && !m; k++)
		if (stage_maps[k].derived == off)
			m = &stage_maps[k];
	if (!m) {
		snprintf(buf, size, "derived: %s", f->help);
		return;
	}
	const char *sec = cd_stage_names[m->stage];
	char form[128];
	formula(&s->p, m, form, sizeof form);
	snprintf(buf, size,
		 m->form == STAGE_LATENCY
			 ? "derived: round(%s.%s + %s.%s (1 - m)) = %s, m = "
			   "%s.maturity = %.15g"
			 : "derived: %s.%s + %s.%s m = %s, m = %s.maturity = "
			   "%.15g",
		 sec, m->base_name, sec, m->slope_name, form, sec,
		 get(&s->p, m->maturity));
}

/* Where the value at `off` comes from, into buf; returns its kind (see
 * scenario_describe_kinds). */
static const char *where(const struct cd_scenario *s, size_t off,
			 const struct schema_field *f, char *buf, size_t size)
{
	int o = s->origin[off];
	if (o > 0) {
		const char *file;
		int line;
		scenario_where(s, o, &file, &line);
		char comment[600];
		comment_of(s, o, comment, sizeof comment);
		snprintf(buf, size, "%s:%d%s%s", file, line,
			 comment[0] ? ": " : "", comment);
		return strstr(comment, "assumption")   ? "assumption"
		       : strstr(comment, "calibrated") ? "calibrated"
		       : comment[0]		       ? "sourced"
						       : "unannotated";
	}
	if (o < 0) {
		scenario_origin_text(s, o, buf, size);
		return o > CD_ORIGIN_LAYER ? "set" : "calibrated";
	}
	if (f->flags & SCHEMA_DERIVED) {
		derived(s, off, f, buf, size);
		return "derived";
	}
	snprintf(buf, size, "default");
	return "default";
}

/* A segment's hygiene_mean or hygiene_proper, whichever is not in force,
 * derived from the other (params/hygiene.h): its value and where it comes
 * from into value and from, with the share implemented properly after
 * guideline uplift. Returns "derived", or NULL if off is neither field or
 * the one in force. */
static const char *hygiene_where(const struct cd_scenario *s, size_t off,
				 char *value, size_t vsize, char *from,
				 size_t fsize)
{
	const struct cd_params *p = &s->p;
	size_t base = offsetof(struct cd_params, segments);
	size_t other = hygiene_displaced(off);
	if (!other)
		return NULL;
	int k = (int)((off - base) / sizeof p->segments[0]);
	const struct cd_segment *sp = &p->segments[k];
	int proper = hygiene_proper_in_force(p, s->set, k);
	int is_mean = off < other; /* the mean comes first in the struct */
	if (is_mean != proper)
		return NULL;
	double t = p->won.proper_hygiene, c = sp->hygiene_conc;
	double h = hygiene_after_uplift(p, k);
	char after[200];
	if (sp->kind == CD_KIND_GOVERNMENT)
		snprintf(after, sizeof after,
			 "no guideline uplift (government)");
	else
		snprintf(after, sizeof after,
			 "after guideline uplift (won.hygiene_uplift = %.4g) "
			 "the mean is %.4g and %.4g of them implement properly",
			 p->won.hygiene_uplift, h, hygiene_share(h, c, t));
	if (is_mean)
		snprintf(from, fsize,
			 "derived: the mean that puts "
			 "segments.%s.hygiene_proper "
			 "= %.15g of the organisations at or above "
			 "won.proper_hygiene = %.15g (Beta, hygiene_conc = "
			 "%.15g); %s",
			 sp->name, sp->hygiene_proper, t, c, after);
	else
		snprintf(from, fsize,
			 "derived: the share of the organisations at or above "
			 "won.proper_hygiene = %.15g (Beta, hygiene_mean = "
			 "%.15g, hygiene_conc = %.15g); %s",
			 t, sp->hygiene_mean, c, after);
	/* A derived share to 10 digits: gsl_cdf_beta_Q is good to about
	 * 1e-14. The mean in full: it is what the model uses. */
	if (is_mean)
		snprintf(value, vsize, "%.15g", sp->hygiene_mean);
	else
		snprintf(value, vsize, "%.10g",
			 hygiene_share(sp->hygiene_mean, c, t));
	return "derived";
}

const char *const scenario_describe_kinds[] = {
	"assumption", "calibrated", "sourced", "unannotated",
	"set",	      "derived",    "default", NULL};

static void value_text(const struct cd_scenario *s,
		       const struct schema_field *f, const char *p, char *buf,
		       size_t size)
{
	switch (f->type) {
	case SCHEMA_INT:
		snprintf(buf, size, "%d", *(const int *)(const void *)p);
		break;
	case SCHEMA_I64:
		snprintf(buf, size, "%lld",
			 (long long)*(const int64_t *)(const void *)p);
		break;
	case SCHEMA_BOOL:
		snprintf(buf, size, "%s",
			 *(const int *)(const void *)p ? "true" : "false");
		break;
	case SCHEMA_STR:
		snprintf(buf, size, "\"%s\"", p);
		break;
	case SCHEMA_ENUM:
		snprintf(buf, size, "\"%s\"",
			 f->names[*(const int *)(const void *)p]);
		break;
	case SCHEMA_BODYREF:
		snprintf(buf, size, "\"%s\"",
			 s->p.bodies[*(const int *)(const void *)p].name);
		break;
	default:
		snprintf(buf, size, "%.15g", *(const double *)(const void *)p);
		break;
	}
}

/* A setting's line, if its kind is `only`'s (or only is NULL). */
static void line(FILE *out, const char *path, const char *value,
		 const char *from, const char *kind, const char *only)
{
	if (!only || !strcmp(kind, only))
		fprintf(out, "%-48s = %-14s # %s\n", path, value, from);
}

static void fields(const struct cd_scenario *s, FILE *out,
		   const struct schema_table *t, size_t base,
		   const char *prefix, const char *only)
{
	for (int i = 0; i < t->n_fields; i++) {
		const struct schema_field *f = &t->fields[i];
		size_t off = base + f->offset;
		const char *p = (const char *)&s->p + off;
		char path[256], value[300], from[1024];
		snprintf(path, sizeof path, "%s%s%s", prefix,
			 prefix[0] ? "." : "", f->name);
		if (f->type == SCHEMA_WEIGHTS) {
			for (int k = 0; k < s->p.n_segments; k++) {
				size_t o = off + (size_t)k * sizeof(double);
				double v = ((const double *)(const void *)p)[k];
				if (v == 0 && !s->origin[o])
					continue;
				char ep[300];
				snprintf(ep, sizeof ep, "%s.%s", path,
					 s->p.segments[k].name);
				snprintf(value, sizeof value, "%.15g", v);
				const char *kind =
					where(s, o, f, from, sizeof from);
				line(out, ep, value, from, kind, only);
			}
			continue;
		}
		if (f->type == SCHEMA_SECTION) {
			fields(s, out, f->sub, f->sub->base, path, only);
			continue;
		}
		if (f->type == SCHEMA_COLLECTION) {
			const struct schema_table *sub = f->sub;
			int n = *(
				const int *)(const void *)((const char *)&s->p +
							   sub->count_offset);
			for (int k = 0; k < n; k++) {
				size_t eb = sub->base + (size_t)k * sub->stride;
				char ep[300];
				snprintf(ep, sizeof ep, "%s.%s", path,
					 (const char *)&s->p + eb);
				fields(s, out, sub, eb, ep, only);
			}
			continue;
		}
		if (f->type == SCHEMA_TIMELINE || f->type == SCHEMA_OVERRIDES ||
		    f->type == SCHEMA_SWEEP)
			continue;
		const char *kind = hygiene_where(s, off, value, sizeof value,
						 from, sizeof from);
		if (!kind) {
			value_text(s, f, p, value, sizeof value);
			kind = where(s, off, f, from, sizeof from);
		}
		line(out, path, value, from, kind, only);
	}
}

/* The setting at byte `off` of the parameters, in table t at `base`; NULL
 * if none. */
static const struct schema_field *field_at(const struct cd_scenario *s,
					   const struct schema_table *t,
					   size_t base, size_t off)
{
	for (int i = 0; i < t->n_fields; i++) {
		const struct schema_field *f = &t->fields[i], *in;
		size_t o = base + f->offset;
		if (f->type == SCHEMA_SECTION &&
		    (in = field_at(s, f->sub, f->sub->base, off)))
			return in;
		if (f->type == SCHEMA_COLLECTION) {
			const struct schema_table *sub = f->sub;
			int n = *(
				const int *)(const void *)((const char *)&s->p +
							   sub->count_offset);
			for (int k = 0; k < n; k++) {
				size_t eb = sub->base + (size_t)k * sub->stride;
				if (off >= eb && off < eb + sub->stride)
					return field_at(s, sub, eb, off);
			}
		}
		if (f->type == SCHEMA_WEIGHTS
			    ? off >= o &&
				      off < o + CD_MAX_SEGMENTS * sizeof(double)
			    : off == o)
			return f;
	}
	return NULL;
}

static int enum_has(const struct schema_field *f, int i)
{
	for (int k = 0; k <= i; k++)
		if (!f->names[k])
			return 0;
	return 1;
}

/* An assignment's value as the file would write it: enums and bodies by
 * name. */
static void assign_text(const struct cd_scenario *s, const struct cd_assign *a,
			char *buf, size_t size)
{
	const struct schema_field *f = field_at(s, &schema_root, 0, a->offset);
	int i = (int)a->value.i;
	if (a->value.type == CD_VAL_REAL)
		snprintf(buf, size, "%.15g", a->value.r);
	else if (a->value.type == CD_VAL_STR)
		snprintf(buf, size, "\"%s\"", a->value.s);
	else if (f && f->type == SCHEMA_ENUM && i >= 0 && enum_has(f, i))
		snprintf(buf, size, "\"%s\"", f->names[i]);
	else if (f && f->type == SCHEMA_BODYREF && i >= 0 && i < s->p.n_bodies)
		snprintf(buf, size, "\"%s\"", s->p.bodies[i].name);
	else
		snprintf(buf, size, "%lld", (long long)a->value.i);
}

void scenario_describe(const struct cd_scenario *s, FILE *out)
{
	scenario_describe_only(s, out, NULL);
}

void scenario_describe_only(const struct cd_scenario *s, FILE *out,
			    const char *only)
{
	fprintf(out,
		"# %s\n# sha256 of the expanded text: %s\n"
		"# segments, attackers, bodies and links in the order of their "
		"names,\n# as the model takes them%s%s\n",
		s->path, s->hash, only ? "; only the settings of kind " : "",
		only ? only : "");
	fields(s, out, &schema_root, 0, "", only);
	for (int e = 0; e < s->timeline.n_events && !only; e++) {
		const struct cd_event *ev = &s->timeline.events[e];
		fprintf(out, "timeline: day %d\n", ev->day);
		for (int k = 0; k < ev->count; k++) {
			const struct cd_assign *a =
				&s->timeline.assign[ev->first + k];
			char value[CD_VALUE_MAX + 8];
			assign_text(s, a, value, sizeof value);
			fprintf(out, "  %-46s = %s\n", a->path, value);
		}
	}
}
