# Written by almanac chart: the figures as of 2024-12-31. Data inline;
# gnuplot 5.4 or later redraws it without Almanac: gnuplot FILE.gp
load 'plots/theme.gp'

# ---- chart 1 ----
set terminal dumb size 80,24 noenhanced
set encoding utf8
set termoption noenhanced
eval alm_text_axes
set output
alm_cw = 80.0; alm_ch = 24.0
set multiplot

# panel 1: share
unset label
unset arrow
unset object
alm_x0 = 0; alm_y0 = 0; alm_w = 80; alm_h = 24
alm_top = alm_y0 + alm_h - alm_t_pad - 1*alm_t_title_h - 4*alm_t_key_h - alm_t_unit_h
alm_bottom = alm_y0 + alm_t_pad + 1*alm_t_line_h + alm_t_xtics_h
set lmargin at screen (alm_x0 + alm_t_ytics_w)/alm_cw
set rmargin at screen (alm_x0 + alm_w - alm_t_right_w)/alm_cw
set tmargin at screen alm_top/alm_ch
set bmargin at screen alm_bottom/alm_ch
set xrange [2014.05:2025.95]
set xtics ('2014' 2014.5, '2016' 2016.5, '2018' 2018.5, '2020' 2020.5, '2022' 2022.5, '2024' 2024.5)
set yrange [0:20]
set ytics 0, 5, 20
set format y '%.0f'
set key at screen alm_x0/alm_cw, screen (alm_y0 + alm_h - alm_t_pad - 1*alm_t_title_h)/alm_ch left top horizontal Left reverse noenhanced samplen 2 maxrows 4
set label 'Strategic emerging industries'."\047".' share of GDP' at screen (alm_x0 + alm_t_pad)/alm_cw, screen (alm_y0 + alm_h - alm_t_pad - (0 + 0.5)*alm_t_title_h)/alm_ch left tc rgb alm_text front noenhanced
set label '% of GDP' at screen (alm_x0 + alm_t_pad)/alm_cw, screen (alm_top + 0.5*alm_t_unit_h)/alm_ch left tc rgb alm_muted front noenhanced
set label 'Source: NBS; news article. Figures as published, as of 2024-12-31. Trend:…' at screen (alm_x0 + alm_t_pad)/alm_cw, screen (alm_y0 + alm_t_pad + (0 + 0.5)*alm_t_line_h)/alm_ch left tc rgb alm_muted front noenhanced
set label '>13' at first 2022.5, first 13 center offset 0, char 1.1 tc rgb alm_obs front noenhanced
set label '15.1' at first 2025.5, first 15.073684210526316 left offset char 0.8, 0 tc rgb alm_proj front noenhanced
set label 'target ≥17' at first 2025.5, first 17 center offset 0, char 1.3 tc rgb alm_target front noenhanced
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
plot $alm_p1_proj using 1:3 with lines ls 110 title 'projection, 95% interval', \
     $alm_p1_proj using 1:4 with lines ls 110 notitle, \
     $alm_p1_trend using 1:2 with lines ls 108 title 'trend: linear (auto)', \
     $alm_p1_proj using 1:2 with lines ls 109 notitle, \
     $alm_p1_line using 1:2 with lines ls 101 notitle, \
     $alm_p1_stated using 1:2 with points ls 102 title 'published', \
     $alm_p1_over using 1:2 with points ls 104 title 'over (>)', \
     $alm_p1_target using 1:2 with points ls 111 title 'target'
undefine $alm_p1_proj $alm_p1_trend $alm_p1_line $alm_p1_stated $alm_p1_over $alm_p1_target
unset multiplot
unset output
