#!/usr/bin/env bash
# The README's fit tables ("How well it fits", "How well it predicts what
# it was not fitted to"): from the fit.csv of `cyberdef calibrate` (or
# `cyberdef observe`), one row per target: the published figure with its
# sd, the model's (posterior-predictive) median and 90% interval, the
# standardised distance, whether the median is within one sd, and (when
# some target was held out) whether it was fitted or held out; then a
# summary line.
#
# Usage: analysis/figures/fit_table.sh DIR/fit.csv
# Needs: bash, awk. Target names and sources must hold no comma or quote
# (those of the shipped targets files).
set -euo pipefail
file=${1:?usage: fit_table.sh DIR/fit.csv}
awk -F, '
{ sub(/\r$/, "") }
NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
function g(x) { return x == "" ? "undefined" : sprintf("%.3g", x) }
{
	held = ("held_out" in at) && $at["held_out"] == 1
	w = $at["within_sd"]
	rows[++n] = sprintf("| `%s` | %s (%s) | %s ± %s %s | %s [%s, %s] | %s | %s |%s",
		$at["target"], $at["source"], $at["data_year"],
		g($at["observed"]), g($at["sd"]), $at["unit"],
		g($at["model_median"]), g($at["model_p05"]), g($at["model_p95"]),
		$at["distance"] == "" ? "" : sprintf("%+.2f", $at["distance"]),
		w == 1 ? "yes" : w == 0 ? "no" : "undefined", "")
	role[n] = held ? " held out |" : " fitted |"
	if (held) { nh++; wh += w == 1 } else { nf++; wf += w == 1 }
}
END {
	printf "| target | source (data year) | observed ± sd | model median [90%%] | z | within 1 sd |%s\n", nh ? " role |" : ""
	printf "|---|---|---|---|---|---|%s\n", nh ? "---|" : ""
	for (i = 1; i <= n; i++) print rows[i] (nh ? role[i] : "")
	printf "\n%d of %d %stargets within one sd", wf, nf, nh ? "fitted " : ""
	if (nh) printf "; %d of %d held-out targets", wh, nh
	printf ".\n"
}' "$file"
