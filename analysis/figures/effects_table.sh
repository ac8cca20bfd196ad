#!/usr/bin/env bash
# The README's table of paired effects ("Comparing policies"): from the
# effects.csv of `cyberdef compare`, the relative effect of each
# alternative on each metric (kind all) with its 95% interval, as a
# Markdown table, one row per metric and one column per alternative.
#
# Usage: analysis/figures/effects_table.sh DIR/effects.csv
# Needs: bash, awk. The alternatives' names must hold no comma or quote
# (scenario names; an @PATH=VALUE,... alternative is quoted in the CSV).
set -euo pipefail
file=${1:?usage: effects_table.sh DIR/effects.csv}
awk -F, '
{ sub(/\r$/, "") }
NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
$at["kind"] == "all" {
	alt = $at["alternative"]; m = $at["metric"]
	if (!(alt in seen_alt)) { seen_alt[alt] = 1; alts[++na] = alt }
	if (!(m in seen_m)) { seen_m[m] = 1; ms[++nm] = m }
	r = $at["rel_effect"]; lo = $at["rel_ci_lo"]; hi = $at["rel_ci_hi"]
	cell[alt, m] = r == "" ? "" : sprintf("%+.1f%% (%+.1f, %+.1f)", \
		100 * r, 100 * lo, 100 * hi)
	base[m] = $at["base_mean"]
}
END {
	printf "| metric | japan_2017 mean |"
	for (a = 1; a <= na; a++) printf " `%s` |", alts[a]
	printf "\n|---|---|"
	for (a = 1; a <= na; a++) printf "---|"
	printf "\n"
	for (k = 1; k <= nm; k++) {
		printf "| `%s` | %.4g |", ms[k], base[ms[k]]
		for (a = 1; a <= na; a++) printf " %s |", cell[alts[a], ms[k]]
		printf "\n"
	}
}' "$file"
