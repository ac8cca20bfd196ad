# plot_timeseries.gp: daily national totals over the days of a run, one
# panel per metric, stacked; for a sweep, one line with its shaded 95%
# confidence band per sweep point.
#
# `cyberdef plot` runs this script (compiled into the program) in a private
# directory holding two files it wrote from a run's timeseries.csv (totals
# over segments) or a sweep's timeseries_points.csv (one block per point),
# and takes the chart from its standard output. Both files hold numbers
# only: no text from the inputs may reach gnuplot as code (see
# analysis/plot.c).
#   data.csv    one block per series, separated by two blank lines, in
#               order of day: column 1 the day, then for panel p, with
#               bands, the metric's mean and the low and high ends of its
#               95% confidence interval (columns 3p-1, 3p and 3p+1), or
#               without, its value (column p+1); NaN where missing
#   labels.csv  every text shown, as lines "LABEL,BYTE": the bytes of label
#               LABEL (from 1) in order, rebuilt here with sprintf("%c")
#
# Variables, set with -e before the script runs (numbers only):
#   npanels      panels, one per metric
#   ngroups      data blocks (series)
#   bands        1: mean and band per panel; 0: a line
#   nmarks       marks: vertical dashed lines at the days
#   mark_x1..    mark_x1, ...
#   svg          1 for SVG, 0 for PNG
#   title_lines  lines of the title
#   nbytes       lines of labels.csv
# Labels, in order: the title; the x axis label; (unused); npanels metric
# names; npanels units (for the y axis labels, where large values are
# shown in thousands, millions or billions of it); ngroups legend titles of
# the series; nmarks mark labels.
#
# The labels are only ever shown: the script uses no macro, eval, load or
# system, and enhanced text is off, so each shows as it is written.

if (!exists("npanels") || !exists("ngroups") || !exists("nbytes")) {
	print "plot_timeseries.gp: cyberdef plot sets npanels, ngroups and nbytes"
	exit status 2
}
if (!exists("bands")) bands = 0
if (!exists("nmarks")) nmarks = 0
if (!exists("ncats")) ncats = 0
if (!exists("svg")) svg = 0
if (!exists("title_lines")) title_lines = 1

# The labels, rebuilt from their bytes.
set datafile separator ","
nlabels = 3 + 2 * npanels + ngroups + nmarks + ncats
array L[nlabels]
do for [i=1:nlabels] {
	L[i] = ""
}
if (nbytes > 0) {
	stats "labels.csv" using \
	    (L[int($1)] = L[int($1)] . sprintf("%c", int($2)), 0) nooutput
}
title = L[1]
xlabel = L[2]
metric_name(p) = L[3 + p]
metric_unit(p) = L[3 + npanels + p]
group_title(g) = L[3 + 2 * npanels + g]
mark_label(i) = L[3 + 2 * npanels + ngroups + i]
band_title = "95% CI"
MEAN(p) = bands ? 3 * p - 1 : p + 1
LO(p) = 3 * p
HI(p) = 3 * p + 1

# Layout in pixels: room above for the title's lines, below for the x axis
# and the legend's rows (about three entries a row).
width = 1100
entries = bands ? (ngroups > 1 ? ngroups + 1 : 2) : (ngroups > 1 ? ngroups : 0)
key_rows = entries > 0 ? int((entries + 2) / 3) : 0
margin_top = 22 + 22 * title_lines
margin_bottom = 70 + 20 * key_rows
height = (npanels > 1 ? 300 * npanels : 480) + margin_top + margin_bottom
if (svg) {
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
# Names hold '_', '^', '{', '@', ...: print every text as it is.
set termoption noenhanced
set encoding utf8
set output

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
stats "data.csv" using 1 nooutput
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

# Panels share the margins, so that their plot areas line up.
set multiplot layout npanels, 1 title title font ",14" \
    margins 0.1, 0.96, 1.0 * margin_bottom / height, \
    1 - 1.0 * margin_top / height spacing 60.0 / height
do for [p=1:npanels] {
	m = metric_name(p)
	# Counts and amounts are never negative: the margin below the data
	# (and a confidence band reaching below zero) stops at zero.
	stats "data.csv" using (column(MEAN(p))) nooutput
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
	unit = metric_unit(p)
	if (strlen(unit) > 0) {
		set ylabel sprintf("%s (%s%s%s)", m, scale_word, \
			scale > 1 ? " " : "", unit)
	} else {
		set ylabel m.(scale > 1 ? " (".scale_word."s)" : "")
	}
	if (p == npanels) {
		set xlabel xlabel
	} else {
		unset xlabel
	}
	# Marks: dashed vertical lines, labelled at the top of the first
	# panel. A label right of centre runs to the left of its line; labels
	# of marks close together are staggered.
	unset arrow
	unset label
	do for [i=1:nmarks] {
		mx = value(sprintf("mark_x%d", i))
		set arrow 100 + i from mx, graph 0 to mx, graph 1 nohead back \
		    dt 2 lw 1.5 lc rgb "#555555"
	}
	if (p == 1) {
		prev = -1e300
		level = 0
		do for [i=1:nmarks] {
			mx = value(sprintf("mark_x%d", i))
			level = (mx - prev) < 0.2 * (xhi - xlo) ? 1 - level : 0
			prev = mx
			if (mx > xlo + 0.7 * (xhi - xlo)) {
				set label 100 + i mark_label(i) at mx, \
				    graph 0.965 - 0.065 * level right \
				    offset -0.6, 0 front boxed tc rgb "#333333"
			} else {
				set label 100 + i mark_label(i) at mx, \
				    graph 0.965 - 0.065 * level left \
				    offset 0.6, 0 front boxed tc rgb "#333333"
			}
		}
	}
	if (p < npanels) {
		set key off
	} else {
		set key on
	}
	if (bands) {
		plot for [g=0:ngroups-1] "data.csv" index g \
			using 1:(column(LO(p)) / scale):(column(HI(p)) / scale) \
			with filledcurves lt g + 1 \
			title (ngroups > 1 ? "" : band_title), \
		     for [g=0:ngroups-1] "data.csv" index g \
			using 1:(column(MEAN(p)) / scale) \
			with lines lt g + 1 title group_title(g + 1), \
		     keyentry with filledcurves lc rgb "#999999" \
			title (ngroups > 1 ? band_title : "")
	} else {
		plot for [g=0:ngroups-1] "data.csv" index g \
			using 1:(column(MEAN(p)) / scale) \
			with lines lt g + 1 title group_title(g + 1)
	}
}
unset multiplot
set output
