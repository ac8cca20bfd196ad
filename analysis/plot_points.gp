# plot_points.gp: a sweep's metric means against the varied setting, with
# shaded 95% confidence bands; one panel per metric, stacked.
#
# `cyberdef plot` runs this script (compiled into the program) in a private
# directory holding two files it wrote from points.csv, and takes the chart
# from its standard output. Both files hold numbers only: no text from the
# inputs may reach gnuplot as code (see analysis/plot.c).
#   data.csv    one block per series, separated by two blank lines: column
#               1 the setting's value (with xcat, its category's index from
#               0), then for panel p the metric's mean and the low and high
#               ends of its 95% confidence interval, columns 3p-1, 3p and
#               3p+1; NaN where missing
#   labels.csv  every text shown, as lines "LABEL,BYTE": the bytes of label
#               LABEL (from 1) in order, rebuilt here with sprintf("%c")
#
# Variables, set with -e before the script runs (numbers only):
#   npanels      panels, one per metric
#   ngroups      data blocks (series)
#   nmarks       marks: vertical dashed lines at the setting values
#   mark_x1..    mark_x1, ...
#   ncats        with xcat: the number of categories
#   xcat         1 if the setting's values are labels, not numbers
#   svg          1 for SVG, 0 for PNG
#   title_lines  lines of the title
#   nbytes       lines of labels.csv
# Labels, in order: the title; the x axis label; the legend title of the
# means; npanels metric names; npanels units (for the y axis labels, where
# large values are shown in thousands, millions or billions of it); ngroups
# legend titles of the series (used when there are several); nmarks mark
# labels; ncats category names.
#
# The labels are only ever shown: the script uses no macro, eval, load or
# system, and enhanced text is off, so each shows as it is written.

if (!exists("npanels") || !exists("ngroups") || !exists("nbytes")) {
	print "plot_points.gp: cyberdef plot sets npanels, ngroups and nbytes"
	exit status 2
}
if (!exists("nmarks")) nmarks = 0
if (!exists("ncats")) ncats = 0
if (!exists("xcat")) xcat = 0
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
mean_title = L[3]
metric_name(p) = L[3 + p]
metric_unit(p) = L[3 + npanels + p]
group_title(g) = L[3 + 2 * npanels + g]
mark_label(i) = L[3 + 2 * npanels + ngroups + i]
cat_label(k) = L[3 + 2 * npanels + ngroups + nmarks + k]
band_title = "95% CI"
MEAN(p) = 3 * p - 1
LO(p) = 3 * p
HI(p) = 3 * p + 1

# Layout in pixels: room above for the title's lines, below for the x axis
# and the legend's rows (about three entries a row).
width = 1000
entries = ngroups > 1 ? ngroups + 1 : 2
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

# The setting's range, widened to show every mark, with a margin; or one
# tick per category.
if (xcat) {
	xlo = 0
	xhi = ncats > 1 ? ncats - 1 : 1
	set xrange [-0.5 : ncats - 0.5]
	set xtics ()
	do for [k=1:ncats] {
		set xtics add (cat_label(k) k - 1)
	}
	if (ncats > 5) {
		set xtics rotate by 30 right
	}
} else {
	stats "data.csv" using 1 nooutput
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
			level = (!xcat && (mx - prev) < 0.2 * (xhi - xlo)) ? \
				1 - level : 0
			prev = mx
			if (!xcat && mx > xlo + 0.7 * (xhi - xlo)) {
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
	if (xcat) {
		plot for [g=0:ngroups-1] "data.csv" index g \
			using 1:(column(MEAN(p)) / scale): \
			    (column(LO(p)) / scale):(column(HI(p)) / scale) \
			with yerrorbars lt g + 1 lw 1.5 \
			title (ngroups > 1 ? group_title(g + 1) \
				: mean_title." and ".band_title)
	} else {
		plot for [g=0:ngroups-1] "data.csv" index g \
			using 1:(column(LO(p)) / scale):(column(HI(p)) / scale) \
			with filledcurves lt g + 1 \
			title (ngroups > 1 ? "" : band_title), \
		     for [g=0:ngroups-1] "data.csv" index g \
			using 1:(column(MEAN(p)) / scale) \
			with linespoints lt g + 1 \
			title (ngroups > 1 ? group_title(g + 1) : mean_title), \
		     keyentry with filledcurves lc rgb "#999999" \
			title (ngroups > 1 ? band_title : "")
	}
}
unset multiplot
set output
