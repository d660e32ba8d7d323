# Written by almanac chart: the figures as of 2024-12-31. Data inline;
# gnuplot 5.4 or later redraws it without Almanac: gnuplot FILE.gp
load 'plots/theme.gp'

# ---- chart 1 ----
set terminal svg size 800,500 fixed noenhanced font sprintf('%s,%g', alm_font, alm_font_size) background rgb alm_background
set termoption noenhanced
eval alm_image_axes
set output 'out/share.svg'
alm_cw = 800.0; alm_ch = 500.0
set multiplot

# panel 1: share
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
set xrange [2014.02:2030.98]
set xtics ('2014' 2014.5, '2016' 2016.5, '2018' 2018.5, '2020' 2020.5, '2022' 2022.5, '2024' 2024.5, '2026' 2026.5, '2028' 2028.5, '2030' 2030.5)
set yrange [0:30]
set ytics 0, 5, 30
set format y '%.0f'
unset key
alm_key = alm_y0 + alm_h - alm_pad - 1*alm_title_h
set arrow from screen (alm_x0 + alm_pad + 0)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 0 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 1 front
set label '' at screen (alm_x0 + alm_pad + 0 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 2 front noenhanced
set label 'published' at screen (alm_x0 + alm_pad + 0 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label '' at screen (alm_x0 + alm_pad + 109.4 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 4 front noenhanced
set label 'over (>)' at screen (alm_x0 + alm_pad + 109.4 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set arrow from screen (alm_x0 + alm_pad + 212.2)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 212.2 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 8 front
set label 'trend: loglinear' at screen (alm_x0 + alm_pad + 212.2 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set object rectangle from screen (alm_x0 + alm_pad + 367.8)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h - 5)/alm_ch to screen (alm_x0 + alm_pad + 367.8 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h + 5)/alm_ch fc ls 10 fillstyle transparent solid alm_band_alpha noborder front
set arrow from screen (alm_x0 + alm_pad + 367.8)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch to screen (alm_x0 + alm_pad + 367.8 + 24)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch nohead ls 9 front
set label 'projection, 80% interval' at screen (alm_x0 + alm_pad + 367.8 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label '' at screen (alm_x0 + alm_pad + 576.2 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 11 front noenhanced
set label 'target' at screen (alm_x0 + alm_pad + 576.2 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label 'Strategic emerging industries'."\047".' share of GDP' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_h - alm_pad - (0 + 0.5)*alm_title_h)/alm_ch left font alm_title_font tc rgb alm_text front noenhanced
set label '% of GDP, annual' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_top + 0.5*alm_unit_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label 'Source: NBS; news article. Figures as published, as of 2024-12-31. Trend: Almanac, loglinear, 80% prediction interval.' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (0 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '“over 13 percent in 2022”' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (1 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '>13' at first 2022.5, first 13 center offset 0, char 1.1 font alm_label_font tc rgb alm_obs front noenhanced
set label '22.6' at first 2030.5, first 22.643135427621829 left offset char 0.8, 0 font alm_label_font tc rgb alm_proj front noenhanced
set label 'target ≥17' at first 2025.5, first 17 center offset 0, char 1.3 font alm_label_font tc rgb alm_target front noenhanced
$alm_p1_proj << EOD
2022.5 13.127363726405639 12.395686388633395 13.902229614599777
2023.5 14.05310849895781 13.226500331327992 14.931376670797048
2024.5 15.044137010253641 14.103242250954585 16.047803360107803
2025.5 16.105053084879263 15.029490100743944 17.257587125589865
2026.5 17.240785210211666 16.009081475068374 18.567253538409751
2027.5 18.456609431714995 17.046051343331111 19.983890981775158
2028.5 19.758173862818456 18.144608356541198 21.515230680227219
2029.5 21.151524923236533 19.309136126520887 23.169705969591
2030.5 22.643135427621829 20.544208354792591 24.956502248187945
EOD
$alm_p1_trend << EOD
2014.5 7.6105925769949714
2014.6702127659576 7.6993825721082878
2014.8404255319149 7.7892084475622676
2015.0106382978724 7.8800822885935453
2015.1808510638298 7.9720163214322968
2015.3510638297873 8.0650229149481394
2015.5212765957447 8.1591145823132596
2015.6914893617022 8.2543039826869471
2015.8617021276596 8.350603922917756
2016.0319148936171 8.4480273592675523
2016.2021276595744 8.5465873991536583
2016.372340425532 8.6462973029133501
2016.5425531914893 8.7471704855868673
2016.7127659574469 8.8492205187233495
2016.8829787234042 8.9524611322056824
2017.0531914893618 9.0569062160988221
2017.2234042553191 9.1625698225174457
2017.3936170212767 9.2694661675176899
2017.563829787234 9.3776096330086265
2017.7340425531916 9.4870147686883772
2017.9042553191489 9.5976962940004675
2018.0744680851064 9.7096691001153737
2018.2446808510638 9.8229482519328055
2018.4148936170213 9.9375489901097342
2018.5851063829787 10.053486733109688
2018.7553191489362 10.170777079278379
2018.9255319148936 10.289435808941073
2019.0957446808511 10.409478886526944
2019.2659574468084 10.530922462715672
2019.436170212766 10.653782876611649
2019.6063829787233 10.778076657940954
2019.7765957446809 10.903820529276581
2019.9468085106382 11.031031408286994
2020.1170212765958 11.159726410013571
2020.2872340425531 11.289922849171923
2020.4574468085107 11.421638242482794
2020.627659574468 11.554890311027394
2020.7978723404256 11.689696982633007
2020.9680851063829 11.826076394283573
2021.1382978723404 11.964046894561326
2021.3085106382978 12.103627046113942
2021.4787234042553 12.244835628153449
2021.6489361702127 12.387691638981314
2021.8191489361702 12.532214298545981
2021.9893617021276 12.678423051027229
2022.1595744680851 12.826337567453722
2022.3297872340424 12.975977748348035
2022.5 13.127363726405639
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
plot $alm_p1_proj using 1:3:4 with filledcurves ls 10 title 'projection, 80% interval', \
     $alm_p1_trend using 1:2 with lines ls 8 title 'trend: loglinear', \
     $alm_p1_proj using 1:2 with lines ls 9 notitle, \
     $alm_p1_line using 1:2 with lines ls 1 notitle, \
     $alm_p1_stated using 1:2 with points ls 2 title 'published', \
     $alm_p1_over using 1:2 with points ls 4 title 'over (>)', \
     $alm_p1_target using 1:2 with points ls 11 title 'target'
undefine $alm_p1_proj $alm_p1_trend $alm_p1_line $alm_p1_stated $alm_p1_over $alm_p1_target
unset multiplot
unset output

# ---- chart 2 ----
set terminal svg size 800,500 fixed noenhanced font sprintf('%s,%g', alm_font, alm_font_size) background rgb alm_background
set termoption noenhanced
eval alm_image_axes
set output 'out/growth_janfeb.svg'
alm_cw = 800.0; alm_ch = 500.0
set multiplot

# panel 2: growth_janfeb
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
set xrange [2023.0833333333333:2025.0833333333333]
set xtics ('Jan–Feb 2023' 2023.0833333333333, 'Jan–Feb 2024' 2024.0833333333333, 'Jan–Feb 2025' 2025.0833333333333)
set yrange [0:10]
set ytics 0, 2, 10
set format y '%.0f'
unset key
alm_key = alm_y0 + alm_h - alm_pad - 1*alm_title_h
set label '' at screen (alm_x0 + alm_pad + 0 + 12)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch point ls 2 front noenhanced
set label 'published' at screen (alm_x0 + alm_pad + 0 + 30)/alm_cw, screen (alm_key - (0 + 0.5)*alm_key_h)/alm_ch left tc rgb alm_text front noenhanced
set label 'High-tech manufacturing value added, Jan-Feb' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_h - alm_pad - (0 + 0.5)*alm_title_h)/alm_ch left font alm_title_font tc rgb alm_text front noenhanced
set label '% y/y, Jan–Feb of each year' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_top + 0.5*alm_unit_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label 'Source: NBS. Figures as published, as of 2024-12-31.' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (0 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '“grew 7.5% year-on-year in the first two months”' at screen (alm_x0 + alm_pad)/alm_cw, screen (alm_y0 + alm_pad + (1 + 0.5)*alm_line_h)/alm_ch left font alm_small_font tc rgb alm_muted front noenhanced
set label '7.5' at first 2024.0833333333333, first 7.5 center offset 0, char 1.1 font alm_label_font tc rgb alm_obs front noenhanced
set label 'no trend: one point has no trend: at least 2 are needed' at graph 0.02, graph 0.94 left font alm_small_font tc rgb alm_muted front noenhanced
$alm_p2_stated << EOD
2024.0833333333333 7.5
EOD
plot $alm_p2_stated using 1:2 with points ls 2 title 'published'
undefine $alm_p2_stated
unset multiplot
unset output

# ---- chart 3 ----
set terminal svg size 800,500 fixed noenhanced font sprintf('%s,%g', alm_font, alm_font_size) background rgb alm_background
set termoption noenhanced
eval alm_image_axes
set output 'out/zones.svg'
alm_cw = 800.0; alm_ch = 500.0
set multiplot

# panel 3: zones
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
$alm_p3_stated << EOD
2023.875 178
EOD
plot $alm_p3_stated using 1:2 with points ls 2 title 'published'
undefine $alm_p3_stated
unset multiplot
unset output
