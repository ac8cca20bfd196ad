# plot_posterior.gp: a calibration's posterior marginals (posterior.csv):
# one panel per parameter, the final generation's weighted histogram on
# the prior's range (dashed), the weighted median (solid); a log x axis for
# a log-uniform prior.
#
# `cyberdef plot` runs this script (compiled into the program) in a private
# directory holding two files it wrote from posterior.csv and metadata.json,
# and takes the chart from its standard output. Both files hold numbers
# only: no text from the inputs may reach gnuplot as code (see
# analysis/plot.c).
#   data.csv    block 0 (index 0): per panel k from 0, "k,has,lo,hi,log,
#               median,xlo,xhi": has 1 when the prior is known (lo and hi
#               are then its range, else the bins'), log 1 for a log axis,
#               the weighted median, the x axis's range; block k+1 (index
#               k+1, blocks separated by two blank lines): per bin
#               "left,right,weight", the weights of a panel adding up to 1
#   labels.csv  every text shown, as lines "LABEL,BYTE" (plot_points.gp)
#
# Variables, set with -e before the script runs (numbers only): ncats (two
# per panel), svg, title_lines, nbytes, and the counts plot_points.gp takes
# (npanels 0, ngroups 0, nmarks 0). Labels, in order: the title; the x axis
# label; the y axis label; then per panel its parameter's name and its
# prior's description.
#
# The labels are only ever shown: the script uses no macro, eval, load or
# system, and enhanced text is off, so each shows as it is written.

if (!exists("ncats") || !exists("nbytes")) {
	print "plot_posterior.gp: cyberdef plot sets ncats and nbytes"
	exit status 2
}
if (!exists("svg")) svg = 0
if (!exists("title_lines")) title_lines = 1
if (!exists("npanels")) npanels = 0
if (!exists("ngroups")) ngroups = 0
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
ylabel = L[3]
cat_label(k) = L[3 + 2 * npanels + ngroups + nmarks + k]

npar = int(ncats / 2)
array HAS[npar]
array LO[npar]
array HI[npar]
array LG[npar]
array MED[npar]
array XA[npar]
array XB[npar]
stats "data.csv" index 0 using (k = int($1) + 1, HAS[k] = $2, LO[k] = $3, \
    HI[k] = $4, LG[k] = $5, MED[k] = $6, XA[k] = $7, XB[k] = $8, 0) nooutput

ncols = npar <= 1 ? 1 : npar <= 4 ? 2 : 3
nrows = int((npar + ncols - 1) / ncols)
width = ncols == 1 ? 800 : 1200
margin_top = 22 + 22 * title_lines
height = margin_top + 300 * nrows
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

set border 3 lw 1 lc rgb "#444444"
set tics nomirror out scale 0.6
set grid ytics lw 1 lc rgb "#e4e4e4" dt 1
set style fill solid 0.45 border lc rgb "#0072B2"
set key off
set yrange [0:*]
set ylabel ylabel

top = 1.0 - margin_top / (height * 1.0)
set multiplot title title
do for [k=1:npar] {
	col = (k - 1) % ncols
	row = int((k - 1) / ncols)
	set origin col * 1.0 / ncols, top - (row + 1) * top / nrows
	set size 1.0 / ncols, top / nrows
	set title cat_label(2 * k - 1)
	set xlabel cat_label(2 * k)
	if (LG[k] > 0) {
		set logscale x 10
		set format x "%g"
	} else {
		unset logscale x
		set format x "%g"
	}
	set xrange [XA[k] : XB[k]]
	unset arrow
	if (HAS[k] > 0) {
		set arrow 1 from LO[k], graph 0 to LO[k], graph 1 nohead \
		    lc rgb "#444444" dt 2
		set arrow 2 from HI[k], graph 0 to HI[k], graph 1 nohead \
		    lc rgb "#444444" dt 2
	}
	set arrow 3 from MED[k], graph 0 to MED[k], graph 1 nohead front \
	    lc rgb "#D55E00" lw 2
	plot "data.csv" index k using (($1 + $2) / 2):($3 / 2):1:2:(0):3 \
	    with boxxyerror lc rgb "#0072B2"
}
unset multiplot
