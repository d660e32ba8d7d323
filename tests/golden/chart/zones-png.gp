# Written by almanac chart: the figures as of 2024-12-31. Data inline;
# gnuplot 5.4 or later redraws it without Almanac: gnuplot FILE.gp
load 'plots/theme.gp'

# ---- chart 1 ----
set terminal pngcairo size 800,500 noenhanced font sprintf('%s,%g', alm_font, alm_font_size) background rgb alm_background
set termoption noenhanced
eval alm_image_axes
set output 'zones.png'
alm_cw = 800.0; alm_ch = 500.0
set multiplot

# panel 1: zones
unset label
unset arrow
unset object
alm_x0 = 0; alm_y0 = 0; alm_w = 800; alm_h = 500
alm_top = alm_y0 + alm_h - alm_pad - 1*alm_title_h - 1*alm_key_h - alm_unit_h
alm_bottom = alm_y0 + alm_pad + 2*alm_line_h + alm_xtics_h
set lmargin at screen (alm_x0 + alm_ytics_w)/alm_cw
set rmargin at screen (alm_x0 + alm_w - alm_right_w)/alm_cw
set tmargin at screen alm_top/alm_ch
set bmargin at screen alm_bottom/alm_ch
set xrange [2022.875:2024.875]
set xtics ('2023' 2023.5, '2024' 2024.5)
set yrange [0:200]
set ytics 0, 50, 200
set format y '%.0f'
unset key
alm_key = alm_y0 + alm_h - alm_pad - 1*alm_title_h
set label '' at screen (alm_x0 + alm_pad + 0 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 2 front noenhanced
set label 'published' at screen (alm_x0 + alm_pad + 0 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label 'National high-tech zones' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_h - alm_pad - (0 + 0.5)*alm_title_h)/alm_ch left font alm_title_font tc rgb alm_text front noenhanced
set label 'zones, counted at varying dates' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_top + 0.5*alm_unit_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label 'Source: Xinhua. Figures as published, as of 2024-12-31.' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (0 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '“had reached 178 as of the end of November”' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (1 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '178' at first 2023.875, first 178 center offset 0, char 1.1 font alm_label_font tc rgb alm_obs front noenhanced
set label 'no trend: one point has no trend: at least 2 are needed' at graph 0.02, graph 0.94 left font alm_small_font tc rgb alm_muted front noenhanced
$alm_p1_stated << EOD
2023.875 178
EOD
plot $alm_p1_stated using 1:2 with points ls 2 title 'published'
undefine $alm_p1_stated
unset multiplot
unset output
