# plot_fit.gp: the model against its targets (fit.csv of `cyberdef
# calibrate` or `cyberdef observe`): one line per target, every value
# divided by the target's observed value, the observed value (1) with its
# +-1 sd bar and the model's median with its 90% interval; 1 marked.
#
# `cyberdef plot` runs this script (compiled into the program) in a private
# directory holding two files it wrote from fit.csv, and takes the chart
# from its standard output. Both files hold numbers only: no text from the
# inputs may reach gnuplot as code (see analysis/plot.c).
#   data.csv    block 0 (index 0): "xlo,xhi", the x axis's range; block 1
#               (index 1): per target, its index from 0 (top line first),
#               1, 1 - sd/observed, 1 + sd/observed, and the model's median,
#               5th and 95th percentiles over the observed value; NaN where
#               undefined
#   labels.csv  every text shown, as lines "LABEL,BYTE" (plot_points.gp)
#
# Variables, set with -e before the script runs (numbers only): ncats (the
# lines), svg, title_lines, nbytes, and the counts plot_points.gp takes
# (npanels 1, ngroups 2, nmarks 0). Labels, in order: the title; the x
# axis label; the legend title; the metric name; its unit; the legend
# titles of the observed values and of the model; then ncats line labels.
#
# The labels are only ever shown: the script uses no macro, eval, load or
# system, and enhanced text is off, so each shows as it is written.

if (!exists("ncats") || !exists("nbytes")) {
	print "plot_fit.gp: cyberdef plot sets ncats and nbytes"
	exit status 2
}
if (!exists("svg")) svg = 0
if (!exists("title_lines")) title_lines = 1
if (!exists("npanels")) npanels = 1
if (!exists("ngroups")) ngroups = 2
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
obs_title = L[3 + 2 * npanels + 1]
model_title = L[3 + 2 * npanels + 2]
cat_label(k) = L[3 + 2 * npanels + ngroups + nmarks + k]

stats "data.csv" index 0 using (xlo = $1, xhi = $2, 0) nooutput

width = 1300
margin_top = 22 + 22 * title_lines
height = margin_top + 110 + 30 * ncats
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
set linetype 1 lc rgb "#444444" lw 2 pt 5 ps 0.9
set linetype 2 lc rgb "#0072B2" lw 2 pt 7 ps 1.0
set yrange [ncats - 0.5 : -0.5]
set ytics ()
do for [k=1:ncats] {
	set ytics add (cat_label(k) k - 1)
}
set format x "%g"
set xlabel xlabel
set title title
# the legend in the free corner below the line labels
set key at screen 0.01, screen 0.02 left bottom horizontal maxrows 1 \
    samplen 2 width 2
set lmargin 80
set tmargin at screen 1.0 - (margin_top / (height * 1.0))
set xrange [xlo : xhi]
set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb "#444444" dt 2
plot "data.csv" index 1 using 2:($1 - 0.15):3:4 with xerrorbars lt 1 \
	title obs_title, \
     "data.csv" index 1 using 5:($1 + 0.15):6:7 with xerrorbars lt 2 \
	title model_title
