#!/usr/bin/env bash
# Every table and chart of the README, regenerated from a clean build:
#   1. the scenario table ("What they show"), seeds 1 to 100;
#   2. the headline comparison ("Comparing policies"): japan_2017 against
#      eu_us_sharing, umbrella_withdrawn, workforce_gap_closed,
#      singapore_model, cdu_expanded, hygiene_global and asean_capacity,
#      30 paired replicates, as a table of effects and
#      the forest plot analysis/examples/effects.png;
#   3. the share-rate chart ("Experiments"): a sweep of won.share_rate
#      over 0..1, 100 replicates a point, drawn into
#      analysis/examples/share_rate.png;
#   4. the Sobol analysis ("Which assumptions matter"), N = 256, as a
#      table and the chart analysis/examples/sensitivity.png;
#   5. the benchmark ("Performance");
#   6. the 2011 wave ("The 2011 wave"): apt_2011 against the year without
#      it and the wave under WoG 0.5, 100 paired seeds;
#   7. the 2015 Pension Service breach ("The 2015 Pension Service
#      breach"): pension_2015 under 2015 institutions and WoG as of 2017,
#      seeds 1 to 250;
#   8. the recovery study ("Recovery study"): 50 calibrations of the
#      36,000-SME Japan of the test fixtures, each to the statistics of a
#      run at parameters drawn from the prior.
# Tables and the benchmark's output go to OUT (default build/figures);
# paste them into README.md. Later issues add their figures here.
#
# Usage: analysis/figures.sh [OUT]
# Needs: what the build needs, and gnuplot for the chart (sh .ci/deps).
#   9. the calibration ("How well it fits", "How well it predicts what
#      it was not fitted to", "What-ifs over the posterior"):
#      analysis/figures/calibration.sh, the shipped calibration, the
#      validation and the comparison over the posterior, with the charts
#      analysis/examples/posterior.png and fit.png (about 55 minutes: two
#      calibrations of 25 minutes each; its posterior.csv is
#      scenarios/posteriors/japan_2017.csv, which it must reproduce byte
#      for byte).
# About 100 minutes on 2 idle cores (model version 4: a national run
# simulates 7 years, the six-year warm-up and the reported one).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/figures}
mkdir -p "$out"
cmake --preset release >/dev/null
cmake --build --preset release
bin=./build/release/cyberdef

echo "== scenario table =="
bash analysis/figures/scenario_table.sh "$bin" 100 >"$out/scenario_table.md"
cat "$out/scenario_table.md"

echo "== headline comparison =="
rm -rf "$out/compare"
"$bin" compare japan_2017 eu_us_sharing umbrella_withdrawn \
	workforce_gap_closed singapore_model cdu_expanded hygiene_global \
	asean_capacity --reps 30 --quiet \
	--exceed loss_yen=2.5e11 --out "$out/compare"
bash analysis/figures/effects_table.sh "$out/compare/effects.csv" \
	>"$out/effects.md"
"$bin" plot "$out/compare" --metric intrusions \
	--metric intrusions_state_government --metric median_dwell_days \
	--metric loss_yen --out analysis/examples/effects.png
cat "$out/effects.md"

echo "== share-rate chart =="
rm -rf "$out/share"
"$bin" sweep scenarios/japan_2017.cfg --vary won.share_rate=0:1:0.05 \
	--reps 100 --quiet --out "$out/share"
"$bin" plot "$out/share" --metric intrusions_corporate \
	--metric median_dwell_days --mark '0.498=Japan: 30.4% of firms' \
	--mark '1=all 61% with a framework' --out analysis/examples/share_rate.png
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
	{ printf "share %s: corporate intrusions %.0f, median dwell %.1f\n",
	  $at["won.share_rate"], $at["intrusions_corporate_mean"],
	  $at["median_dwell_days_mean"] }' "$out/share/points.csv" \
	>"$out/share_rate.txt"
cat "$out/share_rate.txt"

echo "== Sobol analysis =="
bash analysis/figures/sensitivity.sh "$bin" 256 "$out/sensitivity" \
	>"$out/sensitivity.md"
"$bin" plot "$out/sensitivity" --out analysis/examples/sensitivity.png
cat "$out/sensitivity.md"

echo "== benchmark =="
"$bin" bench | tee "$out/bench.txt"

echo "== the 2011 wave =="
bash analysis/figures/apt_2011.sh "$bin" 100 >"$out/apt_2011.md"
cat "$out/apt_2011.md"

echo "== the 2015 Pension Service breach =="
bash analysis/figures/pension_2015.sh "$bin" 250 >"$out/pension_2015.md"
cat "$out/pension_2015.md"

echo "== the recovery study =="
bash analysis/figures/recovery.sh "$bin" 50 "$out/recovery" >"$out/recovery.md"
cat "$out/recovery.md"

echo "== the calibration =="
bash analysis/figures/calibration.sh "$bin" "$out/calibration" 200 8 50 \
	>"$out/calibration.md"
cat "$out/calibration.md"
