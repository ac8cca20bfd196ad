/* hygiene: the share of a segment's organisations that implement their
 * baseline measures properly, and the hygiene mean that gives it.
 *
 * An organisation's hygiene h is a Beta draw of mean mu and concentration
 * c = a + b (a = mu c, b = (1 - mu) c; orgs.h). It implements its measures
 * properly when h >= won.proper_hygiene = t (an assumption: README, "The
 * model"). A segment's share of such organisations is then
 *
 *   S(mu) = P(Beta(mu c, (1 - mu) c) >= t) = gsl_cdf_beta_Q(t, mu c,
 *                                                          (1 - mu) c),
 *
 * S(0) = 0 and S(1) = 1 (the model's draws are 0 and 1 there). S rises
 * with mu (at a fixed a + b, Beta(a, c - a) rises in a in the likelihood
 * ratio order), so a share s in (0, 1) has exactly one mean mu in (0, 1)
 * with S(mu) = s, found by bisection on (0, 1) down to adjacent doubles
 * (an ulp of mu); S(mu) then reproduces s to the accuracy of
 * gsl_cdf_beta_Q, which falls as c grows: within 1e-14 at c <= 10 (the
 * shipped segments), 1e-11 at 1e4, 2e-9 at 1e6 (tests/test_hygiene.c).
 * The schema keeps s in [0.001, 0.999] and t in [0.01, 0.99], where
 * every c in its range has a solution well inside (0, 1): 0 and 1 have
 * none but the degenerate means 0 and 1.
 *
 * A segment gives either hygiene_mean or hygiene_proper (the share before
 * guideline uplift): the one assigned last is in force (params_apply), and
 * when it is hygiene_proper, stages_derive sets hygiene_mean = S^-1
 * (hygiene_proper) at the segment's hygiene_conc (hygiene_derive). WoN
 * guideline adoption then raises the mean of every segment but
 * government's: mu' = mu + u (1 - mu), u = won.hygiene_uplift, at the same
 * concentration, so the share implemented properly is S(mu') > S(mu).
 */
#ifndef CD_HYGIENE_H
#define CD_HYGIENE_H

#include <stddef.h>

#include "params/params.h"

/* S(mean): the share of organisations at or above `threshold` when
 * hygiene is Beta(mean conc, (1 - mean) conc); 0 at mean <= 0, 1 at
 * mean >= 1. Cannot fail. */
double hygiene_share(double mean, double conc, double threshold);

/* The mean in (0, 1) whose share is `share` (in (0, 1)), by bisection:
 * see above. A share <= 0 gives 0, >= 1 gives 1. Cannot fail. */
double hygiene_mean_for(double share, double conc, double threshold);

/* Segment s's mean hygiene after WoN guideline adoption (the mean itself
 * for a government segment). Cannot fail. */
double hygiene_after_uplift(const struct cd_params *p, int s);

/* 1 if segment s's hygiene_proper is in force (assigned explicitly, and
 * after any hygiene_mean), by `set` (may be NULL: none is). */
int hygiene_proper_in_force(const struct cd_params *p, const unsigned char *set,
			    int s);

/* If `offset` is a segment's hygiene_mean or hygiene_proper, the offset
 * of the other, which an assignment at `offset` displaces; else 0 (the
 * offset of no such field). Cannot fail. */
size_t hygiene_displaced(size_t offset);

/* Sets the hygiene_mean of every segment whose hygiene_proper is in force
 * by `set` (may be NULL: none). Cannot fail. */
void hygiene_derive(struct cd_params *p, const unsigned char *set);

#endif
