#!/usr/bin/env bash
# The README's recovery study ("Recovery study"): does `cyberdef
# calibrate` recover parameters it is given the statistics of? For
# repetition i = 1..REPS:
#   1. a truth theta_i is drawn from the priors of
#      analysis/figures/recovery_targets.cfg (three detection settings),
#      by the Kronecker sequence u_ij = frac(i sqrt(q_j)), q_j the j-th
#      prime (2, 3, 5, ...), mapped by inversion (log-uniform:
#      lo (hi/lo)^u; uniform: lo + (hi - lo) u). It is the same on every
#      awk and machine, and covers the prior evenly (a quasi-random
#      sample, not a pseudo-random one);
#   2. the 36,000-SME Japan of the test fixtures (a full year after the
#      default three-year warm-up) is run once at theta_i by `cyberdef
#      observe --reps 1 --seed 1000000+i`, and its four statistics
#      become the observed values of a targets file (sd by the rule, 20%
#      of the value);
#   3. `cyberdef calibrate` fits the three settings to that file
#      (N particles, G generations, --seed i);
#   4. per parameter, the 90% interval of the final generation (the
#      weighted 5% and 95% quantiles: the smallest particle values whose
#      cumulative normalised weight reaches 0.05 and 0.95) covers theta_i
#      or not.
# Prints a Markdown table: per parameter and pooled, the intervals that
# cover the truth of the repetitions, the share with its exact 95%
# binomial (Clopper-Pearson) interval, the median over repetitions of
# posterior median / truth and of the interval's width (p95 / p05, all
# three parameters being log-uniform), then the mean final tolerance.
# The pooled count's intervals are not independent (three parameters of
# one calibration), so its binomial interval is only indicative.
# Writes OUT/recovery.csv, one row per repetition, and keeps each
# repetition's files in OUT/reps/i/ (truth/: observe's; calibrate/).
#
# Usage: analysis/figures/recovery.sh [CYBERDEF] [REPS] [OUT]
#   CYBERDEF  the program (default ./build/release/cyberdef)
#   REPS      repetitions (default 50)
#   OUT       output directory (default build/figures/recovery)
# Environment: RECOVERY_PARTICLES (default 100), RECOVERY_GENERATIONS
# (default 4), RECOVERY_JOBS (calibrations at once, default nproc; each
# runs on one thread, so the results do not depend on it).
# Needs: bash, awk, sed, xargs. About 9 minutes at REPS = 50 with the
# release build on 2 idle cores (55,550 runs of about 0.018 s each).
set -euo pipefail
bin=${1:-./build/release/cyberdef}
reps=${2:-50}
out=${3:-build/figures/recovery}
particles=${RECOVERY_PARTICLES:-100}
generations=${RECOVERY_GENERATIONS:-4}
jobs=${RECOVERY_JOBS:-$(nproc 2>/dev/null || echo 2)}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
targets=$root/analysis/figures/recovery_targets.cfg
scenario=$root/tests/fixtures/japan_sample.cfg
case $reps in '' | *[!0-9]* | 0)
	echo "recovery.sh: REPS '$reps'; allowed: an integer above 0" >&2
	exit 2
	;;
esac
rm -rf "$out"
mkdir -p "$out/reps"

# The parameters of the targets file, one "setting prior lo hi" a line.
awk '
	/^parameters = \(/ { on = 1; next }
	!on { next }
	{ text = text " " $0 }
	END {
		n = split(text, e, "}")
		for (k = 1; k <= n; k++) {
			if (!match(e[k], /setting = "[^"]*"/)) continue
			s = substr(e[k], RSTART + 11, RLENGTH - 12)
			match(e[k], /prior = "[^"]*"/)
			p = substr(e[k], RSTART + 9, RLENGTH - 10)
			match(e[k], /lo = [^;]*;/); lo = substr(e[k], RSTART + 5, RLENGTH - 6)
			match(e[k], /hi = [^;]*;/); hi = substr(e[k], RSTART + 5, RLENGTH - 6)
			if (p != "uniform" && p != "log_uniform") {
				print "recovery.sh: " s ": prior " p "; allowed: uniform, log_uniform" > "/dev/stderr"
				exit 2
			}
			print s, p, lo, hi
		}
	}' "$targets" >"$out/parameters.txt"

# One repetition: truth, its statistics, the calibration, the row.
one() {
	set -euo pipefail
	local i=$1 dir=$out/reps/$1
	mkdir -p "$dir"
	local sets
	sets=$(awk -v i="$i" '
		BEGIN { split("2 3 5 7 11 13 17 19 23 29", q, " ") }
		{
			x = i * sqrt(q[NR]); u = x - int(x)
			v = $2 == "log_uniform" ? $3 * exp(u * log($4 / $3)) : $3 + ($4 - $3) * u
			printf "%s=%.17g\n", $1, v
		}' "$out/parameters.txt")
	local -a args=()
	local s
	for s in $sets; do args+=(--set "$s"); done
	"$bin" observe "$scenario" --targets "$targets" --reps 1 \
		--seed $((1000000 + i)) --jobs 1 --quiet --out "$dir/truth" \
		"${args[@]}"
	# The targets file of this truth: values from replicates.csv, sd by
	# the rule, the scenario by its absolute path.
	if ! awk -F, -v sc="$scenario" '
		{ sub(/\r$/, "") }
		FNR == 1 && NR == 1 { for (k = 3; k <= NF; k++) name[k] = $k; next }
		NR == 2 {
			for (k = 3; k <= NF; k++) {
				if ($k == "" || $k !~ /^[-+0-9.eE]+$/) bad = 1
				val[name[k]] = $k
			}
			if (bad) exit 3
			next
		}
		/^targets = \{/ { on = 1 }
		on && /^};/ { on = 0 }
		on && match($0, /^  [a-z_0-9]+ = \{/) { t = substr($0, 3, RLENGTH - 6) }
		on && /^    scenario = / { $0 = "    scenario = \"" sc "\";" }
		on && /^    value = / { $0 = sprintf("    value = %.17g;", val[t]) }
		on && /^    sd = / { v = val[t]; if (v < 0) v = -v; $0 = sprintf("    sd = %.17g;", 0.2 * v) }
		{ print }' "$dir/truth/replicates.csv" "$targets" >"$dir/targets.cfg"; then
		echo "$i undefined" >"$dir/row.txt"
		return 0
	fi
	"$bin" calibrate "$scenario" --targets "$dir/targets.cfg" \
		--particles "$particles" --generations "$generations" \
		--seed "$i" --jobs 1 --quiet --out "$dir/calibrate"
	# The row: per parameter truth, p05, median, p95, covered; then the
	# final tolerance and ESS, and the observed statistics.
	awk -F, -v i="$i" -v sets="${sets//$'\n'/ }" '
		{ sub(/\r$/, "") }
		FILENAME ~ /generations.csv$/ { if (FNR > 1) { tol = $2; ess = $8 } next }
		FILENAME ~ /replicates.csv$/ { if (FNR == 2) stats = $0; next }
		FNR == 1 { for (k = 1; k <= NF; k++) col[$k] = k; next }
		{ g[FNR] = $1; last = $1 > last ? $1 : last; row[FNR] = $0 }
		END {
			n = split(sets, st, " ")
			line = i
			for (p = 1; p <= n; p++) {
				split(st[p], kv, "="); truth = kv[2] + 0
				m = 0; tw = 0
				for (r in row) {
					if (g[r] != last) continue
					split(row[r], f, ",")
					m++; x[m] = f[col[kv[1]]] + 0; w[m] = f[col["weight"]] + 0; tw += w[m]
				}
				for (a = 2; a <= m; a++) { # insertion sort by value
					xv = x[a]; wv = w[a]
					for (b = a - 1; b >= 1 && x[b] > xv; b--) { x[b + 1] = x[b]; w[b + 1] = w[b] }
					x[b + 1] = xv; w[b + 1] = wv
				}
				c = 0; q05 = q50 = q95 = ""
				for (a = 1; a <= m; a++) {
					c += w[a] / tw
					if (q05 == "" && c >= 0.05 - 1e-12) q05 = x[a]
					if (q50 == "" && c >= 0.5 - 1e-12) q50 = x[a]
					if (q95 == "" && c >= 0.95 - 1e-12) q95 = x[a]
				}
				if (q95 == "") q95 = x[m]
				line = line sprintf(",%.17g,%.17g,%.17g,%.17g,%d", truth, q05, q50, q95, q05 <= truth && truth <= q95)
			}
			split(stats, sv, ",")
			line = line "," tol "," ess
			for (k = 3; k in sv; k++) line = line "," sv[k]
			print line
		}' "$dir/calibrate/generations.csv" "$dir/truth/replicates.csv" \
		"$dir/calibrate/posterior.csv" >"$dir/row.txt"
}
export -f one
export bin out targets scenario particles generations
start=$(date +%s)
seq 1 "$reps" | xargs -P "$jobs" -I{} bash -c 'one "$@"' _ {}
elapsed=$(($(date +%s) - start))

# recovery.csv: the header, then the rows in repetition order.
{
	printf 'rep'
	while read -r s _; do
		printf ',%s_truth,%s_p05,%s_median,%s_p95,%s_covered' "$s" "$s" "$s" "$s" "$s"
	done <"$out/parameters.txt"
	printf ',final_tolerance,final_ess'
	head -1 "$out/reps/1/truth/replicates.csv" | tr -d '\r' | cut -d, -f3- | sed 's/[^,]*/observed_&/g; s/^/,/'
	for i in $(seq 1 "$reps"); do
		grep -v ' undefined$' "$out/reps/$i/row.txt" || true
	done
} >"$out/recovery.csv"
undefined=$(cat "$out"/reps/*/row.txt | grep -c ' undefined$' || true)

# The table. Clopper-Pearson by bisection on the binomial CDF (in logs).
awk -F, -v np="$(wc -l <"$out/parameters.txt")" -v undef="$undefined" \
	-v elapsed="$elapsed" -v N="$particles" -v G="$generations" '
	function lf(m) { return m < 1 ? 0 : lfac[m] }
	function cdf(k, n, p,   j, s) {
		if (k < 0) return 0
		if (k >= n) return 1
		s = 0
		for (j = 0; j <= k; j++)
			s += exp(lf(n) - lf(j) - lf(n - j) + j * log(p) + (n - j) * log(1 - p))
		return s
	}
	function cp_lo(k, n,   a, b, m, t) { # P(X >= k | p) = 0.025
		if (k == 0) return 0
		a = 0; b = 1
		for (t = 0; t < 60; t++) { m = (a + b) / 2; if (1 - cdf(k - 1, n, m) < 0.025) a = m; else b = m }
		return (a + b) / 2
	}
	function cp_hi(k, n,   a, b, m, t) { # P(X <= k | p) = 0.025
		if (k == n) return 1
		a = 0; b = 1
		for (t = 0; t < 60; t++) { m = (a + b) / 2; if (cdf(k, n, m) > 0.025) a = m; else b = m }
		return (a + b) / 2
	}
	function median(v, n,   a, b, t) {
		for (a = 2; a <= n; a++) { t = v[a]; for (b = a - 1; b >= 1 && v[b] > t; b--) v[b + 1] = v[b]; v[b + 1] = t }
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	function rowout(name, k, n, ratio, width) {
		printf "| %s | %d of %d | %.0f%% | %.1f%% to %.1f%% | %s | %s |\n", name, k, n,
			100 * k / n, 100 * cp_lo(k, n), 100 * cp_hi(k, n), ratio, width
	}
	NR == 1 { for (p = 1; p <= np; p++) { nm[p] = $(2 + 5 * (p - 1)); sub(/_truth$/, "", nm[p]) } next }
	{
		n++
		for (p = 1; p <= np; p++) {
			b = 2 + 5 * (p - 1)
			cov[p] += $(b + 4)
			r[p, n] = $(b + 2) / $b
			wd[p, n] = $(b + 3) / $(b + 1)
		}
		tol += $(2 + 5 * np)
		ess += $(3 + 5 * np)
	}
	END {
		for (m = 1; m <= n * np; m++) lfac[m] = lfac[m - 1] + log(m)
		print "| parameter | 90% intervals covering the truth | share | 95% interval (Clopper-Pearson) | median of posterior median / truth | median of p95 / p05 |"
		print "|---|---|---|---|---|---|"
		for (p = 1; p <= np; p++) {
			for (j = 1; j <= n; j++) { a[j] = r[p, j]; c[j] = wd[p, j] }
			rowout("`" nm[p] "`", cov[p], n, sprintf("%.2f", median(a, n)), sprintf("%.1f", median(c, n)))
			all += cov[p]
		}
		rowout("pooled (not independent)", all, n * np, "", "")
		printf "\n%d repetitions (N %d, G %d), %d with an undefined statistic left out; mean final tolerance %.2f, mean final ESS %.0f; %d s.\n",
			n, N, G, undef, tol / n, ess / n, elapsed
	}' "$out/recovery.csv"
