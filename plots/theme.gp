# Almanac chart theme: the look of every chart, in the manner of a
# statistics office's publication: no top or right border, light horizontal
# gridlines, a colour-blind-safe palette, figures labelled directly, the
# unit on the axis, a source line underneath.
#
# Every chart script Almanac writes reads this file once, at its start
# (`load`, or a copy for `almanac chart --script`), then sets the terminal
# of each chart. Change the look here, not in C: the scripts rely only on
# the names defined below (variables alm_*, line styles 1-14 for images and
# 101-114 for text); their values are yours to change.
#
# Palette: Okabe and Ito, "Color Universal Design" (2008), distinguishable
# with the common colour-vision deficiencies.

# ---- fonts ---------------------------------------------------------------
# Noto Sans CJK draws Latin and Chinese text alike (Debian: fonts-noto-cjk);
# without it, fontconfig picks a fallback.
alm_font       = 'Noto Sans CJK SC'
alm_font_size  = 10                          # tick labels, key (points)
alm_title_font = 'Noto Sans CJK SC:Bold,14'  # the title
alm_small_font = 'Noto Sans CJK SC,8.5'      # unit, quote, source, notes
alm_label_font = 'Noto Sans CJK SC:Bold,9.5' # labels on the data

# ---- colours -------------------------------------------------------------
alm_background = '#ffffff'
alm_text       = '#1a1a1a'  # title, tick labels, key
alm_muted      = '#5f5f5f'  # unit, quote, source, notes
alm_obs        = '#0072B2'  # blue: the published figures
alm_proj       = '#D55E00'  # vermilion: trend, projection, interval
alm_target     = '#009E73'  # bluish green: targets
alm_other      = '#8c8c8c'  # grey: other vintages, breaks
alm_band_alpha = 0.16       # opacity of the prediction-interval band

# ---- spacing of a panel --------------------------------------------------
# Images, in pixels at the chart's size (a PDF is laid out as an image at
# 72 points per inch). From the top: padding, each title line, each key
# row, the unit; from the bottom: padding, each line of the source and the
# quote, the x tick labels; at the sides: the y tick labels, room for the
# labels at the right end.
alm_pad     = 14
alm_title_h = 24
alm_key_h   = 22
alm_unit_h  = 20
alm_line_h  = 14
alm_xtics_h = 34
alm_ytics_w = 58
alm_right_w = 70
# Text (the dumb terminal), in character cells.
alm_t_pad     = 0
alm_t_title_h = 1
alm_t_key_h   = 1
alm_t_unit_h  = 1
alm_t_line_h  = 1
alm_t_xtics_h = 1
alm_t_ytics_w = 9
alm_t_right_w = 7

# ---- axes: run at the start of each chart, by kind of terminal -----------
# A bottom axis only; tick labels outside; light horizontal gridlines.
alm_image_axes = "set border 1 lw 1 lc rgb '#4d4d4d'; " . \
    "set xtics nomirror out scale 0.6,0 textcolor rgb alm_text; " . \
    "set ytics nomirror scale 0 textcolor rgb alm_text; " . \
    "set grid noxtics ytics lt 1 lw 0.8 lc rgb '#dcdcdc' back; " . \
    "set style fill transparent solid alm_band_alpha noborder"
alm_text_axes = "set border 1; set xtics nomirror out scale 0,0; " . \
    "set ytics nomirror scale 0; unset grid; set style fill empty"

# ---- line and point styles of images -------------------------------------
# 1 the line through the published figures
set style line 1 lc rgb alm_obs lw 2.2 dt 1 pt 7 ps 0.9
# 2 published figures, as stated: filled circle
set style line 2 lc rgb alm_obs lw 1.5 pt 7 ps 0.9
# 3 "about" (~): open circle
set style line 3 lc rgb alm_obs lw 1.6 pt 6 ps 1.1
# 4 "over" (>, >=): open triangle pointing up
set style line 4 lc rgb alm_obs lw 1.6 pt 8 ps 1.3
# 5 "under" (<, <=): open triangle pointing down
set style line 5 lc rgb alm_obs lw 1.6 pt 10 ps 1.3
# 6 other vintages of a figure: small grey open circles
set style line 6 lc rgb alm_other lw 1.2 pt 6 ps 0.8
# 7 forecasts published as such (status F): open square
set style line 7 lc rgb alm_obs lw 1.4 pt 4 ps 0.9
# 8 the fitted trend over the observed years: fine dots
set style line 8 lc rgb alm_proj lw 1.3 dt (4,6)
# 9 the projection: long dashes
set style line 9 lc rgb alm_proj lw 2.2 dt (18,8)
# 10 the prediction-interval band (its fill is the fill style above)
set style line 10 lc rgb alm_proj lw 0
# 11 targets: filled diamond
set style line 11 lc rgb alm_target lw 1.5 pt 13 ps 1.5
# 12 a break in the series: thin dashed vertical line
set style line 12 lc rgb alm_other lw 1 dt (4,4)
# 14 the zero line, when the axis crosses zero
set style line 14 lc rgb '#4d4d4d' lw 1

# ---- the same for text ---------------------------------------------------
# Points are characters; the band is drawn as its two edges.
set style line 101 lc rgb alm_obs dt 1
set style line 102 lc rgb alm_obs pt 'o'
set style line 103 lc rgb alm_obs pt '~'
set style line 104 lc rgb alm_obs pt '^'
set style line 105 lc rgb alm_obs pt 'v'
set style line 106 lc rgb alm_other pt '.'
set style line 107 lc rgb alm_obs pt 'f'
set style line 108 lc rgb alm_proj pt '.' dt 1
set style line 109 lc rgb alm_proj dt 1
set style line 110 lc rgb alm_proj dt 1
set style line 111 lc rgb alm_target pt 'T'
set style line 112 lc rgb alm_other dt 1
set style line 114 lc rgb alm_other dt 1
