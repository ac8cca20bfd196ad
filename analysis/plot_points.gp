# plot_points.gp: a sweep's metric means against the varied setting, with
# shaded 95% confidence bands; one panel per metric, stacked.
#
# `cyberdef plot` runs this script (compiled into the program) on a data file
# it prepares from points.csv. It also runs on a sweep's points.csv directly
# when the rows are in order of the varied setting, e.g.
#   gnuplot -e "datafile='out/points.csv'; xcol='won.share_rate'; \
#     metrics='intrusions_corporate'; outfile='x.png'" plot_points.gp
#
# Variables, set with -e before the script runs:
#   datafile    CSV file with a header row (required)
#   xcol        name of the column of the varied setting (required)
#   metrics     metric names M separated by spaces, one panel each; the file
#               has the columns M_mean, M_ci_lo and M_ci_hi (required)
#   outfile     path of the chart to write (required)
#   term        "png" (default) or "svg"
#   xcat        1 if the setting's values are labels, not numbers (default 0)
#   ngroups     number of data blocks (series), separated in the file by two
#               blank lines, each with its own header row (default 1)
#   group1..    legend title of each block (default: "mean")
#   nmarks      number of marks (default 0): vertical dashed lines at
#   mark_x1..   the setting values mark_x1, ... labelled
#   mark_label1..  mark_label1, ...
#   title       chart title (default: the metrics)
#   xlabel      x axis label (default: xcol)
#   yunit1..    unit of each panel's metric, for its y axis label; large
#               values are shown in thousands, millions or billions of it
#   ylabel1..   y axis label of each panel, as it is (default: the metric
#               and its unit)
#   mean_title, band_title  legend titles (default "mean", "95% CI")

if (!exists("datafile") || !exists("xcol") || !exists("metrics") || \
    !exists("outfile")) {
	print "plot_points.gp: set datafile, xcol, metrics and outfile with -e"
	exit status 2
}
if (!exists("term")) term = "png"
if (!exists("xcat")) xcat = 0
if (!exists("ngroups")) ngroups = 1
if (!exists("nmarks")) nmarks = 0
if (!exists("title")) title = metrics
if (!exists("xlabel")) xlabel = xcol
if (!exists("mean_title")) mean_title = "mean"
if (!exists("band_title")) band_title = "95% CI"

npanels = words(metrics)
MEAN(m) = m."_mean"
# Layout in pixels: room above for the title's lines, below for the x axis
# and the legend's rows (about three entries a row).
width = 1000
entries = ngroups > 1 ? ngroups + 1 : 2
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
set style fill transparent solid 0.2 noborder
set format y "%.4g"
# Colour-blind-safe colours (Okabe and Ito), repeated after eight series.
set linetype 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.9
set linetype 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.9
set linetype 3 lc rgb "#009E73" lw 2 pt 9 ps 1.0
set linetype 4 lc rgb "#CC79A7" lw 2 pt 11 ps 1.0
set linetype 5 lc rgb "#E69F00" lw 2 pt 13 ps 1.0
set linetype 6 lc rgb "#56B4E9" lw 2 pt 7 ps 0.9
set linetype 7 lc rgb "#000000" lw 2 pt 5 ps 0.9
set linetype 8 lc rgb "#F0E442" lw 2 pt 9 ps 1.0
set linetype cycle 8

# The setting's range, widened to show every mark, with a margin.
if (xcat) {
	stats datafile using 0 nooutput
	set xrange [-0.5 : STATS_records - 0.5]
	if (STATS_records > 5) {
		set xtics rotate by 30 right
	}
} else {
	stats datafile using (column(xcol)) nooutput
	xlo = STATS_min
	xhi = STATS_max
	do for [i=1:nmarks] {
		mx = value(sprintf("mark_x%d", i))
		xlo = mx < xlo ? mx : xlo
		xhi = mx > xhi ? mx : xhi
	}
	xpad = xhi > xlo ? 0.04 * (xhi - xlo) : (xlo != 0 ? 0.1 * abs(xlo) : 1)
	set xrange [xlo - xpad : xhi + xpad]
}

# Room above the data for the marks' labels; the legend sits below the plot.
set offsets 0, 0, graph (nmarks > 0 ? 0.14 : 0.05), graph 0.05
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
	level = (!xcat && (mx - prev) < 0.2 * (xhi - xlo)) ? 1 - level : 0; \
	prev = mx; \
	right = !xcat && mx > xlo + 0.7 * (xhi - xlo); \
	if (right) { \
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
	if (xcat) {
		plot for [g=0:ngroups-1] datafile index g \
			using 0:(column(m."_mean") / scale):(column(m."_ci_lo") / scale): \
			    (column(m."_ci_hi") / scale):xtic(stringcolumn(xcol)) \
			with yerrorbars lt g + 1 lw 1.5 \
			title (ngroups > 1 ? value(sprintf("group%d", g + 1)) \
				: mean_title." and ".band_title)
	} else {
		plot for [g=0:ngroups-1] datafile index g \
			using (column(xcol)):(column(m."_ci_lo") / scale): \
			    (column(m."_ci_hi") / scale) \
			with filledcurves lt g + 1 \
			title (ngroups > 1 ? "" : band_title), \
		     for [g=0:ngroups-1] datafile index g \
			using (column(xcol)):(column(m."_mean") / scale) \
			with linespoints lt g + 1 \
			title (ngroups > 1 ? value(sprintf("group%d", g + 1)) \
				: mean_title), \
		     keyentry with filledcurves lc rgb "#999999" \
			title (ngroups > 1 ? band_title : "")
	}
}
unset multiplot
set output
