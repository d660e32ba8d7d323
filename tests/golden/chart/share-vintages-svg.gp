# Written by almanac chart: the figures as of 2024-12-31. Data inline;
# gnuplot 5.4 or later redraws it without Almanac: gnuplot FILE.gp
load 'plots/theme.gp'

# ---- chart 1 ----
set terminal svg size 640,400 fixed noenhanced font sprintf('%s,%g', alm_font, alm_font_size) background rgb alm_background
set termoption noenhanced
eval alm_image_axes
set output 'share.svg'
alm_cw = 640.0; alm_ch = 400.0
set multiplot

# panel 1: share
unset label
unset arrow
unset object
alm_x0 = 0; alm_y0 = 0; alm_w = 640; alm_h = 400
alm_top = alm_y0 + alm_h - alm_pad - 1*alm_title_h - 2*alm_key_h - alm_unit_h
alm_bottom = alm_y0 + alm_pad + 3*alm_line_h + alm_xtics_h
set lmargin at screen (alm_x0 + alm_ytics_w)/alm_cw
set rmargin at screen (alm_x0 + alm_w - alm_right_w)/alm_cw
set tmargin at screen alm_top/alm_ch
set bmargin at screen alm_bottom/alm_ch
set xrange [2014.05:2025.95]
set xtics ('2014' 2014.5, '2016' 2016.5, '2018' 2018.5, '2020' 2020.5, '2022' 2022.5, '2024' 2024.5)
set yrange [0:20]
set ytics 0, 5, 20
set format y '%.0f'
unset key
alm_key = alm_y0 + alm_h - alm_pad - 1*alm_title_h
set arrow from screen (alm_x0 + alm_pad + 0)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 0 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 1 front
set label '' at screen (alm_x0 + alm_pad + 0 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 2 front noenhanced
set label 'published' at screen (alm_x0 + alm_pad + 0 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label '' at screen (alm_x0 + alm_pad + 109.4 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 4 front noenhanced
set label 'over (>)' at screen (alm_x0 + alm_pad + 109.4 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label '' at screen (alm_x0 + alm_pad + 212.2 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 6 front noenhanced
set label 'other vintages' at screen (alm_x0 + alm_pad + 212.2 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set arrow from screen (alm_x0 + alm_pad + 354.6)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 354.6 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 8 front
set label 'trend: linear (auto)' at screen (alm_x0 + alm_pad + 354.6 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set object rectangle from screen (alm_x0 + alm_pad + 0)/alm_cw, screen (alm_key - (1 + 0.5)*alm_key_h - 5)/alm_ch to screen (alm_x0 + alm_pad + 0 + 24)/alm_cw, screen (alm_key - (1 + 0.5)*alm_key_h + 5)/alm_ch fc ls 10 fillstyle transparent solid alm_band_alpha noborder front
set arrow from screen (alm_x0 + alm_pad + 0)/alm_cw, screen (alm_key - (1 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 0 + 24)/alm_cw, screen (alm_key - (1 + 0.5)*alm_key_h)/alm_ch nohead ls 9 front
set label 'projection, 95% interval' at screen (alm_x0 + alm_pad + 0 + 30)/alm_cw, screen (alm_key - (1 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label '' at screen (alm_x0 + alm_pad + 208.4 + 12)/alm_cw, screen (alm_key - (1 + 0.5)*alm_key_h)/alm_ch point ls 11 front noenhanced
set label 'target' at screen (alm_x0 + alm_pad + 208.4 + 30)/alm_cw, screen (alm_key - (1 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label 'Strategic emerging industries'."\047".' share of GDP' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_h - alm_pad - (0 + 0.5)*alm_title_h)/alm_ch left font alm_title_font tc rgb alm_text front noenhanced
set label '% of GDP, annual' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_top + 0.5*alm_unit_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '95% prediction interval.' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (0 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label 'Source: NBS; news article. Figures as published, as of 2024-12-31. Trend: Almanac, linear (auto),' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (1 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '“over 13 percent in 2022”' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (2 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '>13' at first 2022.5, first 13 center offset 0, char 1.1 font alm_label_font tc rgb alm_obs front noenhanced
set label '15.1' at first 2025.5, first 15.073684210526316 left offset char 0.8, 0 font alm_label_font tc rgb alm_proj front noenhanced
set label 'target ≥17' at first 2025.5, first 17 center offset 0, char 1.3 font alm_label_font tc rgb alm_target front noenhanced
set label '12.2, 2022-03-31' at first 2021.5, first 12.199999999999999 left offset char 0.7, char -0.8 font alm_small_font tc rgb alm_other front noenhanced
$alm_p1_proj << EOD
2022.5 13.036842105263158 12.142118771854784 13.931565438671532
2023.5 13.715789473684211 12.770037522937495 14.661541424430927
2024.5 14.394736842105264 13.387166961696325 15.402306722514203
2025.5 15.073684210526316 13.99536107804534 16.152007343007291
EOD
$alm_p1_trend << EOD
2014.5 7.6052631578947363
2022.5 13.036842105263158
EOD
$alm_p1_line << EOD
2014.5 7.5999999999999996
2021.5 12.4
2022.5 13
EOD
$alm_p1_other << EOD
2021.5 12.199999999999999
EOD
$alm_p1_stated << EOD
2014.5 7.5999999999999996
2021.5 12.4
EOD
$alm_p1_over << EOD
2022.5 13
EOD
$alm_p1_target << EOD
2025.5 17
EOD
plot $alm_p1_proj using 1:3:4 with filledcurves ls 10 title 'projection, 95% interval', \
     $alm_p1_trend using 1:2 with lines ls 8 title 'trend: linear (auto)', \
     $alm_p1_proj using 1:2 with lines ls 9 notitle, \
     $alm_p1_line using 1:2 with lines ls 1 notitle, \
     $alm_p1_other using 1:2 with points ls 6 title 'other vintages', \
     $alm_p1_stated using 1:2 with points ls 2 title 'published', \
     $alm_p1_over using 1:2 with points ls 4 title 'over (>)', \
     $alm_p1_target using 1:2 with points ls 11 title 'target'
undefine $alm_p1_proj $alm_p1_trend $alm_p1_line $alm_p1_other $alm_p1_stated $alm_p1_over $alm_p1_target
unset multiplot
unset output
