/* rules: what holds across settings, and the engine's limits on the work
 * a scenario asks for, at the start and after each timeline event. See
 * loader.h. */
#define _POSIX_C_SOURCE 200809L
#include "load/loader.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/describe.h"
#include "params/names.h"
#include "params/stages.h"
#include "world/world.h"

/* ---- rules across settings -------------------------------------------- */

/* What is wrong with link k ("" if nothing): it joins a body to itself,
 * or is lateral without being a link of whole of government. */
static const char *link_wrong(const struct cd_params *p, int k)
{
	const struct cd_link *l = &p->links[k];
	if (l->from == l->to)
		return "a link must join two different bodies";
	if (l->lateral && l->stage != CD_STAGE_WOG)
		return "lateral: only a link of stage \"wog\" can be lateral "
		       "(its relay is wog.lateral_relay); allowed: false, or "
		       "stage = \"wog\"";
	return "";
}

int load_cross_check(struct loader *L, const config_setting_t *root)
{
	struct cd_params *p = &L->sc->p;
	const char *top = L->sc->n_files ? L->sc->files[0] : L->sc->path;
	if (p->n_segments == 0) {
		snprintf(L->d->msg, sizeof L->d->msg,
			 "%.900s: segments: at least one segment is needed",
			 top);
		return CD_EINVAL;
	}
	if (p->n_attackers == 0) {
		snprintf(L->d->msg, sizeof L->d->msg,
			 "%.900s: attackers: at least one attacker group is "
			 "needed",
			 top);
		return CD_EINVAL;
	}
	for (int a = 0; a < p->n_attackers; a++) {
		double w = 0;
		for (int s = 0; s < p->n_segments; s++)
			w += p->attackers[a].targets[s] *
			     (double)p->segments[s].count;
		if (!(w > 0)) {
			char path[128];
			snprintf(path, sizeof path, "attackers.%s.targets",
				 p->attackers[a].name);
			const config_setting_t *s = config_lookup(L->cfg, path);
			return load_fail_at(
				L, s ? s : root,
				"%s: no segment has a positive weight; "
				"allowed: at least one segment = a "
				"number > 0",
				path);
		}
	}
	for (int k = 0; k < p->n_links; k++) {
		const char *wrong = link_wrong(p, k);
		if (*wrong) {
			char path[128];
			snprintf(path, sizeof path, "links.%s",
				 p->links[k].name);
			const config_setting_t *s = config_lookup(L->cfg, path);
			return load_fail_at(L, s ? s : root, "%s: %s", path,
					    wrong);
		}
	}
	if (p->workforce.trained > p->workforce.employed) {
		const config_setting_t *s =
			config_lookup(L->cfg, "workforce.trained");
		return load_fail_at(
			L, s ? s : root,
			"workforce.trained: %.15g exceeds "
			"workforce.employed (%.15g); allowed: at most "
			"employed",
			p->workforce.trained, p->workforce.employed);
	}
	for (int e = 0; e < L->sc->timeline.n_events; e++) {
		if (L->sc->timeline.events[e].day >= p->days) {
			const char *file;
			int line;
			scenario_where(L->sc, L->event_line[e], &file, &line);
			snprintf(L->d->msg, sizeof L->d->msg,
				 "%s:%d: timeline[%d].day: %d is beyond the "
				 "horizon; allowed: an integer in [0, %d)",
				 file, line, e, L->sc->timeline.events[e].day,
				 p->days);
			return CD_EINVAL;
		}
	}
	return 0;
}

/* The engine's limits on the parameters in force: at the start (event < 0,
 * lines from the settings) or after timeline event `event` (its line). */
/* Fails at attacker a's setting, or at timeline event `event` (>= 0). */
static int fail_attacker(struct loader *L, const struct cd_params *p, int a,
			 int event, const config_setting_t *root,
			 const char *what)
{
	char path[128];
	snprintf(path, sizeof path, "attackers.%s", p->attackers[a].name);
	if (event >= 0)
		return load_fail_line(L, L->event_line[event],
				      "timeline[%d]: after it, %s: %s", event,
				      path, what);
	/* The line that last set one of the rates, e.g. in `overrides`. */
	const struct cd_attacker *att = &p->attackers[a];
	const double *f[] = {&att->campaigns_per_year, &att->campaign_days,
			     &att->attempts_per_day, &att->success_prob};
	int last = 0; /* a --set, else the layer, else the last line */
	for (int k = 0; k < 4; k++) {
		int o = L->sc->origin[(const char *)f[k] - (const char *)p];
		last = scenario_origin_after(o, last) ? o : last;
	}
	if (last < 0) {
		char by[CD_LAYER_NAME + CD_SET_MAX + 8];
		scenario_origin_text(L->sc, last, by, sizeof by);
		snprintf(L->d->msg, sizeof L->d->msg, "%.500s: %s: %s", by,
			 path, what);
		return CD_EINVAL;
	}
	if (last > 0)
		return load_fail_line(L, last, "%s: %s", path, what);
	const config_setting_t *s = config_lookup(L->cfg, path);
	return load_fail_at(L, s ? s : root, "%s: %s", path, what);
}

/* The work the parameters in force ask for (world.h): each candidate
 * intrusion is simulated, so an attack rate without bound would make a
 * run that never ends. */
static int check_work(struct loader *L, const struct cd_params *p, int event,
		      const config_setting_t *root)
{
	char what[600], num[32];
	for (int a = 0; a < p->n_attackers; a++) {
		double cand = p->attackers[a].attempts_per_day *
			      p->attackers[a].success_prob;
		if (cand <= CD_MAX_CANDIDATES)
			continue;
		load_show_num(num, sizeof num, cand, CD_MAX_CANDIDATES,
			      CD_MAX_CANDIDATES, 3);
		snprintf(what, sizeof what,
			 "attempts_per_day x success_prob = %s candidate "
			 "intrusions per campaign and day; allowed: at most "
			 "%.0g (a built-in limit: each one is simulated)",
			 num, CD_MAX_CANDIDATES);
		return fail_attacker(L, p, a, event, root, what);
	}
	int worst = 0;
	double day = sim_world_day_work(p, &worst);
	if (day <= CD_MAX_DAY_WORK)
		return 0;
	load_show_num(num, sizeof num, day, CD_MAX_DAY_WORK, CD_MAX_DAY_WORK,
		      3);
	snprintf(what, sizeof what,
		 "the attackers ask for about %s units of work a day "
		 "(expected simultaneous campaigns x the work of one a day: "
		 "its candidate intrusions, and the footholds each report "
		 "rehazards), this attacker most; "
		 "allowed: at most %.0g a day (a built-in limit: each is "
		 "simulated): fewer or shorter campaigns, or fewer attempts",
		 num, CD_MAX_DAY_WORK);
	return fail_attacker(L, p, worst, event, root, what);
}

/* The links after timeline event `event` (at the start, load_cross_check
 * has checked them with their own lines). */
static int check_links_after(struct loader *L, const struct cd_params *p,
			     int event)
{
	for (int k = 0; k < p->n_links; k++) {
		if (p->links[k].from == p->links[k].to)
			return load_fail_line(
				L, L->event_line[event],
				"links.%s: timeline[%d] makes it join "
				"body '%s' to itself; allowed: two "
				"different bodies",
				p->links[k].name, event,
				p->bodies[p->links[k].from].name);
		if (*link_wrong(p, k))
			return load_fail_line(
				L, L->event_line[event],
				"links.%s: after timeline[%d], %s",
				p->links[k].name, event, link_wrong(p, k));
	}
	return 0;
}

static int check_limits(struct loader *L, const struct cd_params *p, int event,
			const config_setting_t *root)
{
	int rc = scenario_check_stages(
		L->sc, p, event, event >= 0 ? L->event_line[event] : 0, L->d);
	if (!rc)
		rc = check_work(L, p, event, root);
	if (rc)
		return rc;
	int64_t total = 0;
	for (int s = 0; s < p->n_segments; s++)
		total += p->segments[s].count;
	if (total > (int64_t)INT32_MAX) { /* sim_world_create's limit */
		char what[300];
		snprintf(what, sizeof what,
			 "segments: %lld organisations in all; allowed: at "
			 "most %ld in all segments (a built-in limit)",
			 (long long)total, (long)INT32_MAX);
		/* Blame the last --set of a count, or the layer's, if one
		 * made it. */
		int set = 0;
		for (int s = 0; s < p->n_segments; s++) {
			int o = L->sc->origin[(const char *)&p->segments[s]
						      .count -
					      (const char *)p];
			set = o < 0 && scenario_origin_after(o, set) ? o : set;
		}
		if (set < 0) {
			char by[CD_LAYER_NAME + CD_SET_MAX + 8];
			scenario_origin_text(L->sc, set, by, sizeof by);
			snprintf(L->d->msg, sizeof L->d->msg, "%.500s: %s", by,
				 what);
			return CD_EINVAL;
		}
		const config_setting_t *s = config_lookup(L->cfg, "segments");
		return load_fail_at(L, s ? s : root, "%s", what);
	}
	for (int s = 0; s < p->n_segments; s++) {
		int n = 0, last = 0; /* the last in the file's order */
		for (int k = 0; k < p->n_bodies; k++) {
			int b = p->body_order[k];
			if (p->bodies[b].coverage[s] *
				    p->bodies[b].coverage_scale >
			    0) {
				n++;
				last = b;
			}
		}
		if (n <= CD_MAX_SEGMENT_BODIES)
			continue;
		char path[128];
		snprintf(path, sizeof path, "bodies.%s.members.%s",
			 p->bodies[last].name, p->segments[s].name);
		const config_setting_t *m = config_lookup(L->cfg, path);
		if (event >= 0)
			return load_fail_line(
				L, L->event_line[event],
				"timeline[%d]: segment '%s' would "
				"belong to %d sharing bodies (members "
				"> 0); allowed: at most %d (a built-in "
				"limit)",
				event, p->segments[s].name, n,
				CD_MAX_SEGMENT_BODIES);
		return load_fail_at(
			L, m ? m : root,
			"segment '%s' belongs to %d sharing bodies "
			"(members > 0); allowed: at most %d (a built-in "
			"limit)",
			p->segments[s].name, n, CD_MAX_SEGMENT_BODIES);
	}
	return event >= 0 ? check_links_after(L, p, event) : 0;
}

/* Settings only a partner body may set: a home body that sets one
 * (explicitly: in the file, `overrides`, --set or, after timeline event
 * `event` >= 0, the timeline, which may also change a body's kind) fails
 * at the line that set it. */
static int check_partner_only(struct loader *L, const struct cd_params *p,
			      const unsigned char *set, int event,
			      const config_setting_t *root)
{
	static const char *const names[] = {"capability", "capacity_recipient"};
	for (int k = 0; k < p->n_bodies; k++) {
		const struct cd_body *body = &p->bodies[p->body_order[k]];
		if (body->kind == CD_BODY_PARTNER)
			continue;
		const void *field[] = {&body->capability,
				       &body->capacity_recipient};
		for (int f = 0; f < 2; f++) {
			size_t off = (size_t)((const char *)field[f] -
					      (const char *)p);
			if (!set[off])
				continue;
			char path[128], what[300];
			snprintf(path, sizeof path, "bodies.%s.%s", body->name,
				 names[f]);
			snprintf(what, sizeof what,
				 "only a partner body (kind = \"partner\") may "
				 "set it; '%s' is of kind \"%s\"",
				 body->name, cd_body_kind_names[body->kind]);
			if (event >= 0)
				return load_fail_line(
					L, L->event_line[event],
					"timeline[%d]: after it, %s: %s", event,
					path, what);
			int o = L->sc->origin[off];
			if (o < 0) {
				char by[CD_LAYER_NAME + CD_SET_MAX + 8];
				scenario_origin_text(L->sc, o, by, sizeof by);
				snprintf(L->d->msg, sizeof L->d->msg,
					 "%.500s: %s: %s", by, path, what);
				return CD_EINVAL;
			}
			if (o > 0)
				return load_fail_line(L, o, "%s: %s", path,
						      what);
			const config_setting_t *s = config_lookup(L->cfg, path);
			return load_fail_at(L, s ? s : root, "%s: %s", path,
					    what);
		}
	}
	return 0;
}

/* Fails when the whole run asks for more than CD_MAX_RUN_WORK. */
static int check_run_work(struct loader *L, double work, int event,
			  const config_setting_t *root)
{
	if (work <= CD_MAX_RUN_WORK)
		return 0;
	char num[32];
	load_show_num(num, sizeof num, work, CD_MAX_RUN_WORK, CD_MAX_RUN_WORK,
		      3);
	const char *msg =
		"the run asks for about %s units of work in all (expected "
		"simultaneous campaigns x the work of one a day, summed over "
		"its days and its warm-up's%s); allowed: at "
		"most %.0g (a built-in limit: an hour or two of work): fewer "
		"days, warm-up days, campaigns or attempts";
	if (event >= 0)
		return load_fail_line(L, L->event_line[event], msg, num,
				      ", with this timeline event",
				      CD_MAX_RUN_WORK);
	const config_setting_t *s = config_lookup(L->cfg, "days");
	return load_fail_at(L, s ? s : root, msg, num, "", CD_MAX_RUN_WORK);
}

/* Checks the limits at the start and after each day's timeline events,
 * applied in day order to a copy, and the work of the whole run: each
 * stretch of days between events costs its days x its work a day. Call
 * after stages_derive. */
int load_check_run_limits(struct loader *L, const config_setting_t *root)
{
	const struct cd_scenario *sc = L->sc;
	int rc = check_partner_only(L, &sc->p, sc->set, -1, root);
	if (!rc)
		rc = check_limits(L, &sc->p, -1, root);
	if (rc)
		return rc;
	const struct cd_timeline *t = &sc->timeline;
	if (t->n_events == 0)
		return check_run_work(L,
				      sim_world_day_work(&sc->p, NULL) *
					      (sc->p.warmup_days + sc->p.days),
				      -1, root);
	struct cd_params *q = malloc(sizeof *q);
	unsigned char *set = malloc(sizeof sc->set);
	if (!q || !set) {
		free(q);
		free(set);
		return CD_ENOMEM;
	}
	*q = sc->p;
	memcpy(set, sc->set, sizeof sc->set);
	int order[CD_MAX_TIMELINE]; /* by day; file order within a day */
	for (int i = 0; i < t->n_events; i++) {
		int j = i;
		for (; j > 0 && t->events[order[j - 1]].day > t->events[i].day;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	/* The stretch of days from one event to the next costs its days x
	 * its work a day; the largest stretch is blamed if the sum is too
	 * much (-1: the one before the first event, with the warm-up, which
	 * runs on day 0's settings). */
	double work = 0, most = -1;
	int from = -q->warmup_days, blame = -1, cause = -1;
	for (int k = 0; k <= t->n_events && !rc; k++) {
		int to = k < t->n_events ? t->events[order[k]].day : q->days;
		double w = sim_world_day_work(q, NULL) * (to - from);
		work += w;
		if (w > most) {
			most = w;
			blame = cause;
		}
		if (k == t->n_events)
			break;
		const struct cd_event *e = &t->events[order[k]];
		for (int a = 0; a < e->count; a++)
			params_apply(q, set, &t->assign[e->first + a]);
		stages_derive(q, set);
		rc = check_partner_only(L, q, set, order[k], root);
		if (!rc)
			rc = check_limits(L, q, order[k], root);
		from = to;
		cause = order[k];
	}
	if (!rc)
		rc = check_run_work(L, work, blame, root);
	free(q);
	free(set);
	return rc;
}

/* Sorts timeline events by day, keeping file order within a day. */
void load_sort_timeline(struct cd_timeline *t)
{
	for (int i = 1; i < t->n_events; i++) {
		struct cd_event e = t->events[i];
		int j = i;
		while (j > 0 && t->events[j - 1].day > e.day) {
			t->events[j] = t->events[j - 1];
			j--;
		}
		t->events[j] = e;
	}
}
