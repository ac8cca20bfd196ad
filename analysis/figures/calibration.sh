#!/usr/bin/env bash
# The README's calibration figures ("How well it fits", "How well it
# predicts what it was not fitted to", "What-ifs over the posterior"):
#   1. the shipped calibration of japan_2017 to every target of
#      scenarios/targets/global_2016_2017.cfg (N particles, G generations,
#      seed 1): its posterior.csv is scenarios/posteriors/japan_2017.csv,
#      its fit and parameter tables, and the charts
#      analysis/examples/posterior.png and analysis/examples/fit.png;
#   2. the validation: the same calibration with M-Trends' share found
#      internally (both years) held out, and its predictive check;
#   3. the headline comparison over the posterior: japan_2017 against the
#      what-ifs with --posterior, R paired replicates.
# Resumable: a calibration already complete in OUT is not redone
# (--resume), one cut short is finished.
#
# Usage: analysis/figures/calibration.sh BIN OUT [N] [G] [R]
# Defaults: N 200, G 8, R 50 (the shipped run; about 25 minutes for each
# calibration on 2 idle cores, 48 CPU-minutes: README "How well it fits").
set -euo pipefail
bin=${1:?usage: calibration.sh BIN OUT [N] [G] [R]}
out=${2:?usage: calibration.sh BIN OUT [N] [G] [R]}
n=${3:-200}
g=${4:-8}
reps=${5:-50}
here=$(dirname "$0")
targets=scenarios/targets/global_2016_2017.cfg
mkdir -p "$out"

calibrate() { # DIR [options...]
	local dir=$1
	shift
	local resume=()
	[ -f "$dir/metadata.json" ] && resume=(--resume)
	"$bin" calibrate japan_2017 --targets "$targets" --particles "$n" \
		--generations "$g" --seed 1 --out "$dir" --quiet "${resume[@]}" "$@"
}

echo "== the shipped calibration (N $n, G $g) =="
calibrate "$out/cal"
cat "$out/cal/generations.csv"
bash "$here/fit_table.sh" "$out/cal/fit.csv" >"$out/fit.md"
bash "$here/posterior_table.sh" "$out/cal/posterior.csv" >"$out/posterior.md"
cat "$out/fit.md" "$out/posterior.md"
"$bin" plot "$out/cal" --out analysis/examples/posterior.png
"$bin" plot "$out/cal" --chart fit --out analysis/examples/fit.png

echo "== validation: the share found internally held out =="
calibrate "$out/val" --hold-out mtrends_internal_2016 \
	--hold-out mtrends_internal_2017
cat "$out/val/generations.csv"
bash "$here/fit_table.sh" "$out/val/fit.csv" >"$out/validation.md"
cat "$out/validation.md"

echo "== what-ifs over the posterior ($reps paired replicates) =="
rm -rf "$out/compare"
"$bin" compare japan_2017 eu_us_sharing umbrella_withdrawn \
	workforce_gap_closed singapore_model cdu_expanded hygiene_global \
	asean_capacity --posterior "$out/cal/posterior.csv" --reps "$reps" \
	--quiet --out "$out/compare"
bash "$here/effects_table.sh" "$out/compare/effects.csv" >"$out/whatif.md"
cat "$out/whatif.md"
