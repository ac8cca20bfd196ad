# plot_timeseries.gp: daily national totals over the days of a run, one
# panel per metric, stacked; for a sweep, one line with its shaded 95%
# confidence band per sweep point.
#
# `cyberdef plot` runs this script (compiled into the program) on a data file
# it prepares from a run's timeseries.csv (totals over segments) or from a
# sweep's timeseries_points.csv (one block per point, in order of day).
#
# Variables, set with -e before the script runs:
#   datafile    CSV file with a header row and a column "day" (required)
#   metrics     daily metric names D separated by spaces, one panel each
#               (required)
#   outfile     path of the chart to write (required)
#   bands       1: the file has columns D_mean, D_ci_lo and D_ci_hi, drawn as
#               a line in a shaded band; 0 (default): a column D, a line
#   term        "png" (default) or "svg"
#   ngroups     number of data blocks (series), separated in the file by two
#               blank lines, each with its own header row (default 1)
#   group1..    legend title of each block (default: "mean" or none)
#   nmarks      number of marks (default 0): vertical dashed lines at
#   mark_x1..   the days mark_x1, ... labelled
#   mark_label1..  mark_label1, ...
#   title       chart title (default: the metrics)
#   xlabel      x axis label (default: "day")
#   yunit1..    unit of each panel's metric, for its y axis label; large
#               values are shown in thousands, millions or billions of it
#   ylabel1..   y axis label of each panel, as it is (default: the metric
#               and its unit)
#   band_title  legend title of the bands (default "95% CI")

if (!exists("datafile") || !exists("metrics") || !exists("outfile")) {
	print "plot_timeseries.gp: set datafile, metrics and outfile with -e"
	exit status 2
}
if (!exists("term")) term = "png"
if (!exists("bands")) bands = 0
if (!exists("ngroups")) ngroups = 1
if (!exists("nmarks")) nmarks = 0
if (!exists("title")) title = metrics
if (!exists("xlabel")) xlabel = "day"
if (!exists("band_title")) band_title = "95% CI"

npanels = words(metrics)
MEAN(m) = bands ? m."_mean" : m
# Layout in pixels: room above for the title's lines, below for the x axis
# and the legend's rows (about three entries a row).
width = 1100
entries = bands ? (ngroups > 1 ? ngroups + 1 : 2) : (ngroups > 1 ? ngroups : 0)
key_rows = entries > 0 ? int((entries + 2) / 3) : 0
margin_top = 22 + 22 * (strstrt(title, "\n") > 0 ? 2 : 1)
margin_bottom = 70 + 20 * key_rows
height = (npanels > 1 ? 300 * npanels : 480) + margin_top + margin_bottom
if (term eq "svg") {
	set terminal svg size width, height dynamic font "Sans,13" \
	    background rgb "white"
} else {
	if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
		set terminal pngcairo size width, height font "Sans,11" \
		    background rgb "white"
	} else {
		set terminal png size width, height font "Sans,11"
	}
}
# Metric and setting names hold '_' and '.': print them as they are.
set termoption noenhanced
set output outfile

set datafile separator ","
set datafile columnheaders
set border 3 lw 1 lc rgb "#444444"
set tics nomirror out scale 0.6
set grid xtics ytics lw 1 lc rgb "#e4e4e4" dt 1
set style fill transparent solid 0.18 noborder
set format y "%.4g"
# Colour-blind-safe colours (Okabe and Ito), repeated after eight series.
# A single run's daily counts are noisy: a thinner line.
lw_line = bands || ngroups > 1 ? 2 : 1.2
set linetype 1 lc rgb "#0072B2" lw lw_line
set linetype 2 lc rgb "#D55E00" lw lw_line
set linetype 3 lc rgb "#009E73" lw lw_line
set linetype 4 lc rgb "#CC79A7" lw lw_line
set linetype 5 lc rgb "#E69F00" lw lw_line
set linetype 6 lc rgb "#56B4E9" lw lw_line
set linetype 7 lc rgb "#000000" lw lw_line
set linetype 8 lc rgb "#F0E442" lw lw_line
set linetype cycle 8

# The days, widened to show every mark.
stats datafile using (column("day")) nooutput
xlo = STATS_min
xhi = STATS_max
do for [i=1:nmarks] {
	mx = value(sprintf("mark_x%d", i))
	xlo = mx < xlo ? mx : xlo
	xhi = mx > xhi ? mx : xhi
}
set xrange [xlo : xhi > xlo ? xhi : xlo + 1]

# Room above the data for the marks' labels; the legend sits below the plot.
set offsets 0, 0, graph (nmarks > 0 ? 0.14 : 0.05), graph 0.03
set key outside bottom center horizontal samplen 2.5 spacing 1.1 \
    width 1 noautotitle
set style textbox opaque noborder margins 1, 1

# Marks: dashed vertical lines, labelled at the top of the first panel. A
# label right of centre runs to the left of its line; labels of marks
# close together are staggered.
set_marks = 'do for [i=1:nmarks] { \
	mx = value(sprintf("mark_x%d", i)); \
	set arrow 100 + i from mx, graph 0 to mx, graph 1 nohead back \
	    dt 2 lw 1.5 lc rgb "#555555"; \
}'
set_mark_labels = 'prev = -1e300; level = 0; \
do for [i=1:nmarks] { \
	mx = value(sprintf("mark_x%d", i)); \
	level = (mx - prev) < 0.2 * (xhi - xlo) ? 1 - level : 0; \
	prev = mx; \
	if (mx > xlo + 0.7 * (xhi - xlo)) { \
		set label 100 + i value(sprintf("mark_label%d", i)) \
		    at mx, graph 0.965 - 0.065 * level right offset -0.6, 0 \
		    front boxed tc rgb "#333333"; \
	} else { \
		set label 100 + i value(sprintf("mark_label%d", i)) \
		    at mx, graph 0.965 - 0.065 * level left offset 0.6, 0 \
		    front boxed tc rgb "#333333"; \
	} \
}'

# Panels share the margins, so that their plot areas line up.
set multiplot layout npanels, 1 title title font ",14" \
    margins 0.1, 0.96, 1.0 * margin_bottom / height, \
    1 - 1.0 * margin_top / height spacing 60.0 / height
group_title(g) = exists(sprintf("group%d", g)) ? \
	value(sprintf("group%d", g)) : (bands ? "mean" : "")
do for [p=1:npanels] {
	m = word(metrics, p)
	# Counts and amounts are never negative: the margin below the data
	# (and a confidence band reaching below zero) stops at zero.
	stats datafile using (column(MEAN(m))) nooutput
	if (STATS_min >= 0) {
		set yrange [0 < * : *]
	} else {
		set yrange [* : *]
	}
	# Large values in thousands, millions or billions, e.g.
	# "loss_yen (billion yen)".
	big = abs(STATS_max) > abs(STATS_min) ? abs(STATS_max) : abs(STATS_min)
	scale = big >= 1e9 ? 1e9 : (big >= 1e6 ? 1e6 : (big >= 1e5 ? 1e3 : 1))
	scale_word = scale == 1e9 ? "billion" : (scale == 1e6 ? "million" : \
		(scale == 1e3 ? "thousand" : ""))
	unit = exists(sprintf("yunit%d", p)) ? value(sprintf("yunit%d", p)) : ""
	if (exists(sprintf("ylabel%d", p))) {
		set ylabel value(sprintf("ylabel%d", p))
	} else {
		if (strlen(unit) > 0) {
			set ylabel sprintf("%s (%s%s%s)", m, scale_word, \
				scale > 1 ? " " : "", unit)
		} else {
			set ylabel m.(scale > 1 ? " (".scale_word."s)" : "")
		}
	}
	if (p == npanels) {
		set xlabel xlabel
	} else {
		unset xlabel
	}
	unset arrow
	unset label
	@set_marks
	if (p == 1) {
		@set_mark_labels
	}
	if (p < npanels) {
		set key off
	} else {
		set key on
	}
	if (bands) {
		plot for [g=0:ngroups-1] datafile index g \
			using (column("day")):(column(m."_ci_lo") / scale): \
			    (column(m."_ci_hi") / scale) \
			with filledcurves lt g + 1 \
			title (ngroups > 1 ? "" : band_title), \
		     for [g=0:ngroups-1] datafile index g \
			using (column("day")):(column(m."_mean") / scale) \
			with lines lt g + 1 title group_title(g + 1), \
		     keyentry with filledcurves lc rgb "#999999" \
			title (ngroups > 1 ? band_title : "")
	} else {
		plot for [g=0:ngroups-1] datafile index g \
			using (column("day")):(column(m) / scale) \
			with lines lt g + 1 title group_title(g + 1)
	}
}
unset multiplot
set output
