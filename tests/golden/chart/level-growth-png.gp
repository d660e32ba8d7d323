# Written by almanac chart: the figures as of 2024-08-01. Data inline;
# gnuplot 5.4 or later redraws it without Almanac: gnuplot FILE.gp
load 'plots/theme.gp'

# ---- chart 1 ----
set terminal pngcairo size 800,500 noenhanced font sprintf('%s,%g', alm_font, alm_font_size) background rgb alm_background
set termoption noenhanced
eval alm_image_axes
set output 'two.png'
alm_cw = 800.0; alm_ch = 500.0
set multiplot

# panel 1: out
unset label
unset arrow
unset object
alm_x0 = 0; alm_y0 = 0; alm_w = 800; alm_h = 500
alm_top = alm_y0 + alm_h - alm_pad - 1*alm_title_h - 1*alm_key_h - alm_unit_h
alm_bottom = alm_y0 + alm_pad + 2*alm_line_h + alm_xtics_h
set lmargin at screen (alm_x0 + alm_ytics_w)/alm_cw
set rmargin at screen (alm_x0 + alm_w - alm_right_w - alm_ytics_w)/alm_cw
set tmargin at screen alm_top/alm_ch
set bmargin at screen alm_bottom/alm_ch
set xrange [2021.675:2028.825]
set xtics ('2022' 2022.5, '2023' 2023.5, '2024' 2024.5, '2025' 2025.5, '2026' 2026.5, '2027' 2027.5, '2028' 2028.5)
set yrange [0:6]
set ytics 0, 1, 6
set format y '%.0f'
set y2range [0:1.2000000000000002]
set y2tics 0, 0.20000000000000001, 1.2000000000000002 nomirror scale 0 offset character (alm_right_w)/7.0, 0 textcolor rgb alm_muted
set format y2 '%.1f'
unset key
alm_key = alm_y0 + alm_h - alm_pad - 1*alm_title_h
set arrow from screen (alm_x0 + alm_pad + 0)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 0 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 1 front
set label '' at screen (alm_x0 + alm_pad + 0 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 2 front noenhanced
set label 'computed' at screen (alm_x0 + alm_pad + 0 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set arrow from screen (alm_x0 + alm_pad + 102.8)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 102.8 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 6 front
set label '' at screen (alm_x0 + alm_pad + 102.8 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 6 front noenhanced
set label 'level, right axis' at screen (alm_x0 + alm_pad + 102.8 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set arrow from screen (alm_x0 + alm_pad + 265)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 265 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 8 front
set label 'trend: linear (auto)' at screen (alm_x0 + alm_pad + 265 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set arrow from screen (alm_x0 + alm_pad + 447)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 447 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 9 front
set label 'projection' at screen (alm_x0 + alm_pad + 447 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label 'Output '."\047".'q'."\047".' `touch /tmp/x`, percent change from a year ago' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_h - alm_pad - (0 + 0.5)*alm_title_h)/alm_ch left font alm_title_font tc rgb alm_text front noenhanced
set label '%, quarterly' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_top + 0.5*alm_unit_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label 'level: CNY tn, right axis' at screen (alm_x0 + alm_w - alm_pad)/alm_cw, screen (alm_top + 0.5*alm_unit_h)/alm_ch right font alm_small_font tc rgb alm_muted front noenhanced
set label 'interval.' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (0 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label 'Source: Office. Figures computed from published ones, as of 2024-08-01. Trend: Almanac, linear (auto), 95% prediction' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (1 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '4.808' at first 2023.375, first 4.8076923076923128 center offset 0, char 1.1 font alm_label_font tc rgb alm_obs front noenhanced
set label '0.962' at first 2028.375, first 0.96153846153848033 left offset char 0.8, 0 font alm_label_font tc rgb alm_proj front noenhanced
$alm_p1_level << EOD
2022.125 1
2022.375 1.04
2022.625 1.03
2022.875 1.1000000000000001
2023.125 1.05
2023.375 1.0900000000000001
EOD
$alm_p1_proj << EOD
2023.375 4.8076923076923128 4.8076923076923128 4.8076923076923128
2023.625 4.6153846153846212 4.6153846153846212 4.6153846153846212
2023.875 4.4230769230769296 4.4230769230769296 4.4230769230769296
2024.125 4.2307692307692379 4.2307692307692379 4.2307692307692379
2024.375 4.0384615384615463 4.0384615384615463 4.0384615384615463
2024.625 3.8461538461538547 3.8461538461538547 3.8461538461538547
2024.875 3.6538461538461631 3.6538461538461631 3.6538461538461631
2025.125 3.4615384615384714 3.4615384615384714 3.4615384615384714
2025.375 3.2692307692307798 3.2692307692307798 3.2692307692307798
2025.625 3.0769230769230882 3.0769230769230882 3.0769230769230882
2025.875 2.8846153846153966 2.8846153846153966 2.8846153846153966
2026.125 2.6923076923077049 2.6923076923077049 2.6923076923077049
2026.375 2.5000000000000133 2.5000000000000133 2.5000000000000133
2026.625 2.3076923076923217 2.3076923076923217 2.3076923076923217
2026.875 2.1153846153846301 2.1153846153846301 2.1153846153846301
2027.125 1.9230769230769384 1.9230769230769384 1.9230769230769384
2027.375 1.7307692307692468 1.7307692307692468 1.7307692307692468
2027.625 1.5384615384615552 1.5384615384615552 1.5384615384615552
2027.875 1.3461538461538636 1.3461538461538636 1.3461538461538636
2028.125 1.153846153846172 1.153846153846172 1.153846153846172
2028.375 0.96153846153848033 0.96153846153848033 0.96153846153848033
EOD
$alm_p1_trend << EOD
2023.125 5.0000000000000044
2023.375 4.8076923076923128
EOD
$alm_p1_line << EOD
2023.125 5.0000000000000044
2023.375 4.8076923076923128
EOD
$alm_p1_stated << EOD
2023.125 5.0000000000000044
2023.375 4.8076923076923128
EOD
plot $alm_p1_level using 1:2 axes x1y2 with linespoints ls 6 title 'level, right axis', \
     $alm_p1_trend using 1:2 with lines ls 8 title 'trend: linear (auto)', \
     $alm_p1_proj using 1:2 with lines ls 9 notitle, \
     $alm_p1_line using 1:2 with lines ls 1 notitle, \
     $alm_p1_stated using 1:2 with points ls 2 title 'computed'
undefine $alm_p1_level $alm_p1_proj $alm_p1_trend $alm_p1_line $alm_p1_stated
unset y2tics
unset multiplot
unset output
