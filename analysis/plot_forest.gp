# plot_forest.gp: a comparison's paired effects (effects.csv) as a forest
# plot: one line per alternative and metric, the relative effect as a
# point, its 95% interval as a bar, zero marked.
#
# `cyberdef plot` runs this script (compiled into the program) in a private
# directory holding two files it wrote from effects.csv, and takes the
# chart from its standard output. Both files hold numbers only: no text
# from the inputs may reach gnuplot as code (see analysis/plot.c).
#   data.csv    one line per effect: its index from 0 (top line first),
#               the effect, and the low and high ends of its interval, in
#               per cent; NaN where undefined
#   labels.csv  every text shown, as lines "LABEL,BYTE" (plot_points.gp)
#
# Variables, set with -e before the script runs (numbers only): ncats (the
# lines), svg, title_lines, nbytes, and the counts plot_points.gp takes
# (npanels 1, ngroups 1, nmarks 0). Labels, in order: the title; the x
# axis label; the legend title; the metric name; its unit; the series
# title; then ncats line labels.
#
# The labels are only ever shown: the script uses no macro, eval, load or
# system, and enhanced text is off, so each shows as it is written.

if (!exists("ncats") || !exists("nbytes")) {
	print "plot_forest.gp: cyberdef plot sets ncats and nbytes"
	exit status 2
}
if (!exists("svg")) svg = 0
if (!exists("title_lines")) title_lines = 1
if (!exists("npanels")) npanels = 1
if (!exists("ngroups")) ngroups = 1
if (!exists("nmarks")) nmarks = 0

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
cat_label(k) = L[3 + 2 * npanels + ngroups + nmarks + k]

width = 1200
margin_top = 22 + 22 * title_lines
height = margin_top + 90 + 24 * ncats
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
set termoption noenhanced
set encoding utf8
set output

set border 1 lw 1 lc rgb "#444444"
set tics nomirror out scale 0.6
set grid xtics lw 1 lc rgb "#e4e4e4" dt 1
set linetype 1 lc rgb "#0072B2" lw 2 pt 7 ps 1.0
# The x range: every interval, and zero.
stats "data.csv" using 3 nooutput
xlo = STATS_min < 0 ? STATS_min : 0
stats "data.csv" using 4 nooutput
xhi = STATS_max > 0 ? STATS_max : 0
set yrange [ncats - 0.5 : -0.5]
set ytics ()
do for [k=1:ncats] {
	set ytics add (cat_label(k) k - 1)
}
set format x "%+g"
set xlabel xlabel
set title title
set key off
set lmargin 72
set tmargin at screen 1.0 - (margin_top / (height * 1.0))
xpad = xhi > xlo ? 0.05 * (xhi - xlo) : 1
set xrange [xlo - xpad : xhi + xpad]
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb "#444444" dt 2
plot "data.csv" using 2:1:3:4 with xerrorbars lt 1
