/* Tests of the fit models. The expected values were computed in R 4.2.2
 * (the snippet is beside each block) or by hand, never by this code. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/fit.h>

#include "../check.h"

/* R:
 *   t <- c(2014.5, 2015.5, 2017.5, 2019.5, 2022.5)
 *   y <- c(7.6, 8.0, 10.2, 11.5, 13.1)
 *   new <- data.frame(t = c(2025.5, 2030.5)) */
static const double T5[] = {2014.5, 2015.5, 2017.5, 2019.5, 2022.5};
static const double Y5[] = {7.6, 8.0, 10.2, 11.5, 13.1};

static struct alm_fit_ws *w;

static void check_forecast(const char *model, double level, double t,
                           double fit, double lwr, double upr)
{
    struct alm_model_spec m;
    struct alm_fit f;
    struct alm_forecast fc;
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_model_parse(model, &m, &err) == ALM_OK);
    CHECK_AT(alm_fit_series(w, T5, Y5, 5, ALM_KIND_VALUE, &m, &f, &err) ==
                 ALM_OK,
             "%s: %s", model, err.msg);
    CHECK(alm_fit_predict(&f, t, level, &fc, &err) == ALM_OK);
    CHECK_REL(fc.value, fit, 1e-9);
    CHECK_REL(fc.lower, lwr, 1e-9);
    CHECK_REL(fc.upper, upr, 1e-9);
}

static void test_r_parity(void)
{
    /* predict(lm(y ~ t), new, interval = "prediction") */
    check_forecast("linear", 95, 2025.5, 15.529126213592235, 13.545133798428942,
                   17.513118628755528);
    check_forecast("linear", 95, 2030.5, 19.114077669902827, 16.349155075959921,
                   21.879000263845732);
    /* ... level = 0.80 */
    check_forecast("linear", 80, 2025.5, 15.529126213592235, 14.508127879601451,
                   16.550124547583017);
    /* lm(y ~ poly(t, 2, raw = TRUE)) */
    check_forecast("poly:2", 95, 2025.5, 14.143670231191209,
                   10.0068072997001742, 18.280533162682243);
    check_forecast("poly:2", 95, 2030.5, 14.483528803335503, 2.2446894766985022,
                   26.722368129972502);
    /* exp(predict(lm(log(y) ~ t), ...)) */
    check_forecast("loglinear", 95, 2025.5, 16.925450452690921,
                   12.745806323097378, 22.475696379236958);
    check_forecast("loglinear", 95, 2030.5, 24.142419974816406,
                   16.260170982703094, 35.845652721637009);
    /* 100 * plogis(predict(lm(qlogis(y / 100) ~ t), ...)) */
    check_forecast("logistic", 95, 2025.5, 16.671940089804291,
                   12.862239767317494, 21.333780110471647);
    check_forecast("logistic", 95, 2030.5, 22.900777101126739,
                   16.276855780467042, 31.215289452173657);
    /* SPEC.md's drift formula, in R:
     *   m <- 5; mu <- (y[m] - y[1]) / (t[m] - t[1])
     *   s2 <- sum((diff(y) - mu * diff(t))^2 / diff(t)) / (m - 2)
     *   h <- new$t - t[m]; se <- sqrt(s2) * sqrt(h + h^2 / (t[m] - t[1]))
     *   y[m] + mu * h + c(-1, 0, 1) * qt(0.975, m - 2) * se */
    check_forecast("drift", 95, 2025.5, 15.1625, 12.531462518974607,
                   17.793537481025393);
    check_forecast("drift", 95, 2030.5, 18.600000000000001, 13.418266778209226,
                   23.781733221790777);

    /* forecast::meanf(y, h = 2, level = c(80, 95)) in R 4.2.2, forecast
     * 8.20: the mean 10.08 and its bounds at every horizon. */
    check_forecast("mean", 95, 2025.5, 10.08, 3.0077452015604065,
                   17.152254798439593);
    check_forecast("mean", 95, 2040.5, 10.08, 3.0077452015604065,
                   17.152254798439593);
    check_forecast("mean", 80, 2025.5, 10.08, 6.1745651659341636,
                   13.985434834065837);
    {
        struct alm_model_spec mm = {ALM_MODEL_MEAN, 0};
        struct alm_fit fm;
        CHECK(alm_fit_series(w, T5, Y5, 5, ALM_KIND_VALUE, &mm, &fm, NULL) ==
              ALM_OK);
        CHECK_REL(fm.sigma, 2.3252956801232827, 1e-12); /* sd(y) */
        CHECK(fm.p == 1 && fm.has_interval);
    }

    /* summary(lm(y ~ t)): slope, its SE, sigma, R-squared. */
    struct alm_model_spec m = {ALM_MODEL_LINEAR, 0};
    struct alm_fit f;
    CHECK(alm_fit_series(w, T5, Y5, 5, ALM_KIND_VALUE, &m, &f, NULL) == ALM_OK);
    CHECK_REL(f.coef[1], 0.71699029126211167, 1e-12);
    CHECK_REL(f.se[1], 0.060211788841598488, 1e-12);
    CHECK_REL(f.sigma, 0.38648277068819814, 1e-12);
    CHECK_REL(f.r_squared, 0.97928117273365634, 1e-12);
}

static void test_theil_sen(void)
{
    /* By hand: t = 2014.5 .. 2017.5, y = 1 3 2 5. Pairwise slopes 2, 0.5,
     * 4/3, -1, 1, 3: median (1 + 4/3) / 2 = 7/6. With u = t - 2016,
     * y - 7/6 u = 2.75, 3.58333, 1.41667, 3.25: median 3. At t = 2019.5,
     * u = 3.5: 3 + 7/6 * 3.5 = 7.0833... */
    const double t[] = {2014.5, 2015.5, 2016.5, 2017.5};
    const double y[] = {1, 3, 2, 5};
    struct alm_model_spec m = {ALM_MODEL_THEIL_SEN, 0};
    struct alm_fit f;
    struct alm_forecast fc;
    CHECK(alm_fit_series(w, t, y, 4, ALM_KIND_VALUE, &m, &f, NULL) == ALM_OK);
    CHECK_REL(f.coef[1], 7.0 / 6.0, 1e-15);
    CHECK(alm_fit_predict(&f, 2019.5, 95, &fc, NULL) == ALM_OK);
    CHECK_REL(fc.value, 3 + 7.0 / 6.0 * 3.5, 1e-14);
    CHECK(isnan(fc.lower) && isnan(fc.upper)); /* no interval */
    CHECK(!f.has_interval && f.note[0]);
}

/* auto: each series is built so that one candidate must win. The rolling
 * one-step MAEs over the last ceil(8/2) = 4 points were computed in R with
 * a loop over origins i = 5..8 fitting on points 1..(i-1):
 *   linear-wins    linear 0.8877381, loglinear 0.9547482, drift 1.357083
 *   loglinear-wins loglinear 2.8e-11, drift 50.86098, linear 73.23553
 *   drift-wins     drift 24.30417, linear 31.86786
 *   logistic-wins  logistic 1.3e-12, linear 7.826879 */
static void check_auto(enum alm_kind kind, const double *y, const char *want,
                       const char *runner, double score, double runner_score)
{
    const double t[] = {2010.5, 2011.5, 2012.5, 2013.5,
                        2014.5, 2015.5, 2016.5, 2017.5};
    struct alm_model_spec m = {ALM_MODEL_AUTO, 0};
    struct alm_fit f;
    struct alm_error err;
    char name[32];
    alm_error_clear(&err);
    CHECK_AT(alm_fit_series(w, t, y, 8, kind, &m, &f, &err) == ALM_OK, "%s",
             err.msg);
    CHECK(f.chosen);
    alm_model_format(&f.model, name, sizeof name);
    CHECK_STR(name, want);
    alm_model_format(&f.runner_up, name, sizeof name);
    CHECK_STR(name, runner);
    if (score > 1e-6)
        CHECK_REL(f.score, score, 1e-6);
    else
        CHECK(f.score < 1e-6);
    CHECK_REL(f.runner_up_score, runner_score, 1e-6);
}

static void test_auto(void)
{
    const double lin[] = {10.5, 10.4, 12.6, 12.4, 14.6, 14.4, 16.6, 16.4};
    check_auto(ALM_KIND_LEVEL, lin, "linear", "loglinear", 0.8877380952,
               0.9547481542);
    double expo[8], logi[8];
    for (int i = 0; i < 8; i++) {
        expo[i] = 100 * pow(1.3, i);
        logi[i] = 100 / (1 + exp(-(-3 + 0.5 * i)));
    }
    check_auto(ALM_KIND_LEVEL, expo, "loglinear", "drift", 0, 50.86098);
    const double walk[] = {1, 2, 4, 8, 16, 32, 64, 128};
    check_auto(ALM_KIND_GROWTH, walk, "drift", "linear", 24.30416667,
               31.86785714);
    check_auto(ALM_KIND_SHARE, logi, "logistic", "linear", 0, 7.826879235);
}

/* The domain rule: a growth rate falling 10 points a year. Linear and
 * drift fit it exactly (one-step MAE 0, by hand), the mean does not: its
 * one-step errors at origins 5..8 are |-5 - -30|, |-10 - -40|, |-15 - -50|,
 * |-20 - -60| = 25, 30, 35, 40, MAE 32.5. Two years on, the lines reach
 * -80 (inside the domain): drift wins the tie on fewer parameters. Five
 * years on they reach -110, impossible for a growth rate: auto takes the
 * mean, the one candidate that stays inside, and says why. */
static void test_domains(void)
{
    const double t[] = {2010.5, 2011.5, 2012.5, 2013.5,
                        2014.5, 2015.5, 2016.5, 2017.5};
    const double y[] = {10, 0, -10, -20, -30, -40, -50, -60};
    struct alm_model_spec a = {ALM_MODEL_AUTO, 0};
    struct alm_fit f;
    char name[32];
    CHECK(alm_fit_series_to(w, t, y, 8, ALM_KIND_GROWTH, &a, 2019.5, &f,
                            NULL) == ALM_OK);
    alm_model_format(&f.model, name, sizeof name);
    CHECK_STR(name, "drift");
    alm_model_format(&f.runner_up, name, sizeof name);
    CHECK_STR(name, "linear");
    CHECK(fabs(f.score) < 1e-9 && fabs(f.runner_up_score) < 1e-9);
    CHECK(f.note[0] == '\0');

    CHECK(alm_fit_series_to(w, t, y, 8, ALM_KIND_GROWTH, &a, 2022.5, &f,
                            NULL) == ALM_OK);
    alm_model_format(&f.model, name, sizeof name);
    CHECK_STR(name, "mean");
    CHECK_REL(f.score, 32.5, 1e-12);
    CHECK_REL(f.coef[0], -25, 1e-14);           /* -200 / 8 */
    CHECK(f.runner_up.model == ALM_MODEL_AUTO); /* no other stays inside */
    CHECK_STR(f.note, "auto set aside linear and drift (one-step MAE 0, 0): "
                      "their projections go to -100% or below, impossible "
                      "for a growth rate");
    /* The same figures as a value: no domain, so drift again. */
    CHECK(alm_fit_series_to(w, t, y, 8, ALM_KIND_VALUE, &a, 2022.5, &f, NULL) ==
          ALM_OK);
    CHECK(f.model.model == ALM_MODEL_DRIFT);

    /* Every candidate leaving the domain: auto keeps the best score, and
     * the projection flags it. A count falling 30 a year to
     * 0: loglinear is out (a zero), linear and drift both cross 0. */
    const double c[] = {210, 180, 150, 120, 90, 60, 30, 0};
    CHECK(alm_fit_series_to(w, t, c, 8, ALM_KIND_COUNT, &a, 2022.5, &f, NULL) ==
          ALM_OK);
    CHECK(f.model.model == ALM_MODEL_DRIFT && f.note[0] == '\0');

    /* The words. */
    CHECK_STR(alm_domain_words(ALM_KIND_GROWTH, -100),
              "at or below -100%: impossible for a growth rate");
    CHECK(alm_domain_words(ALM_KIND_GROWTH, -99.9) == NULL);
    CHECK_STR(alm_domain_words(ALM_KIND_SHARE, 100.5),
              "above 100%: impossible for a share");
    CHECK_STR(alm_domain_words(ALM_KIND_SHARE, -0.1),
              "below 0%: impossible for a share");
    CHECK(alm_domain_words(ALM_KIND_SHARE, 0) == NULL);
    CHECK(alm_domain_words(ALM_KIND_SHARE, 100) == NULL);
    CHECK_STR(alm_domain_words(ALM_KIND_COUNT, -1),
              "below 0: impossible for a count");
    CHECK_STR(alm_domain_words(ALM_KIND_LEVEL, -1),
              "below 0: impossible for a level");
    CHECK(alm_domain_words(ALM_KIND_INDEX, -1e9) == NULL);
    CHECK(alm_domain_words(ALM_KIND_VALUE, -1e9) == NULL);
    CHECK(alm_domain_words(ALM_KIND_COUNT, NAN) == NULL);
}

static void check_fails(const char *model, const double *t, const double *y,
                        size_t n, const char *msg)
{
    struct alm_model_spec m;
    struct alm_fit f;
    struct alm_error err;
    alm_error_clear(&err);
    alm_model_parse(model, &m, NULL);
    CHECK_AT(alm_fit_series(w, t, y, n, ALM_KIND_SHARE, &m, &f, &err) ==
                 ALM_EINPUT,
             "%s fitted", model);
    CHECK_AT(strstr(err.msg, msg) != NULL, "%s: '%s'", model, err.msg);
}

static void test_awkward(void)
{
    const double t[] = {2020.5, 2021.5, 2022.5};
    const double y[] = {3, 0, 100};
    check_fails("linear", t, y, 1, "one point has no trend");
    check_fails("linear", t, y, 0, "no observations");
    check_fails("poly:3", t, y, 3, "poly:3 needs at least 4 points, got 3");
    check_fails("loglinear", t, y, 3, "values above 0");
    check_fails("logistic", t, y, 3, "strictly between 0 and 100");

    /* Two points: an exact line, no interval, and a note saying why. */
    struct alm_model_spec m = {ALM_MODEL_LINEAR, 0};
    struct alm_fit f;
    struct alm_forecast fc;
    const double y2[] = {4, 6};
    CHECK(alm_fit_series(w, t, y2, 2, ALM_KIND_VALUE, &m, &f, NULL) == ALM_OK);
    CHECK(!f.has_interval && strstr(f.note, "exact fit"));
    CHECK(alm_fit_predict(&f, 2023.5, 95, &fc, NULL) == ALM_OK);
    CHECK_REL(fc.value, 10, 1e-14); /* 6 + 2 a year * 2 years */
    CHECK(isnan(fc.lower) && isnan(fc.upper));

    /* A constant series: a flat line with a zero-width interval. */
    const double yc[] = {5, 5, 5};
    CHECK(alm_fit_series(w, t, yc, 3, ALM_KIND_VALUE, &m, &f, NULL) == ALM_OK);
    CHECK(alm_fit_predict(&f, 2030.5, 95, &fc, NULL) == ALM_OK);
    CHECK_REL(fc.value, 5, 1e-14);
    CHECK(fabs(fc.upper - fc.lower) < 1e-12);

    /* Bad model names and levels. */
    struct alm_error err;
    alm_error_clear(&err);
    CHECK(alm_model_parse("poly:0", &m, &err) == ALM_EINPUT);
    CHECK_STR(err.field, "--model");
    CHECK(alm_model_parse("cubic", &m, NULL) == ALM_EINPUT);
    double level;
    CHECK(alm_level_parse("100", &level, NULL) == ALM_EINPUT);
    CHECK(alm_level_parse("95", &level, NULL) == ALM_OK && level == 95);
}

/* The rolling-origin one-step MAE of model m over the last ceil(n/2)
 * points, refitted from scratch at every origin through the public API:
 * the definition auto's scores must match. NaN if some origin fails. */
static double refit_mae(const double *t, const double *y, size_t n,
                        enum alm_kind kind, enum alm_model m)
{
    struct alm_model_spec spec = {m, 0};
    size_t h = (n + 1) / 2;
    double sum = 0;
    for (size_t i = n - h; i < n; i++) {
        struct alm_fit f;
        struct alm_forecast fc;
        if (alm_fit_series(w, t, y, i, kind, &spec, &f, NULL) != ALM_OK ||
            alm_fit_predict(&f, t[i], 95, &fc, NULL) != ALM_OK)
            return NAN;
        sum += fabs(fc.value - y[i]);
    }
    return sum / (double)h;
}

/* auto on long series updates running sums instead of refitting at each
 * origin (fit.c, rolling_mae); its scores must equal the refits' to 12
 * digits: annual levels far from 0, a share near its bound, growth rates,
 * daily times (close together, far from t = 0). */
static void test_auto_updates(void)
{
    static const size_t lengths[] = {65, 200, 999};
    unsigned long long state = 42;
    for (size_t li = 0; li < 3; li++) {
        size_t n = lengths[li];
        double *t = malloc(n * sizeof *t), *y = malloc(n * sizeof *y);
        for (int series = 0; series < 5; series++) {
            enum alm_kind kind = series == 1                  ? ALM_KIND_SHARE
                                 : series >= 2 && series != 3 ? ALM_KIND_GROWTH
                                                              : ALM_KIND_LEVEL;
            for (size_t i = 0; i < n; i++) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                double noise = (double)(state >> 11) / 9007199254740992.0 - 0.5;
                double k = (double)i;
                t[i] = series == 3 ? 1995 + (k + 0.5) / 365.0 : 1900 + k;
                y[i] = series == 0   ? 1e6 + 1234.5 * k + 5e4 * noise
                       : series == 1 ? 3 + 90 * k / (double)n + 2 * noise
                       : series == 2 ? 2.5 - 0.001 * k + noise
                       : series == 3 ? 87.25 * exp(0.0001 * k) + noise
                                     : 7.3 + 4 * noise; /* the mean wins */
            }
            struct alm_model_spec a = {ALM_MODEL_AUTO, 0};
            struct alm_fit f;
            CHECK(alm_fit_series(w, t, y, n, kind, &a, &f, NULL) == ALM_OK);
            if (series == 4)
                CHECK(f.model.model == ALM_MODEL_MEAN);
            double best = refit_mae(t, y, n, kind, f.model.model);
            CHECK_REL(f.score, best, 1e-12);
            CHECK(f.runner_up.model != ALM_MODEL_AUTO);
            double second = refit_mae(t, y, n, kind, f.runner_up.model);
            CHECK_REL(f.runner_up_score, second, 1e-12);
        }
        free(t);
        free(y);
    }
    /* 10,000 daily points: auto's cost is linear (no timing here; the
     * benchmark times it), and the scores are still finite. */
    size_t n = 10000;
    double *t = malloc(n * sizeof *t), *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        t[i] = 1995 + ((double)i + 0.5) / 365.0;
        y[i] = 100 + 0.01 * (double)i + (double)(i % 7);
    }
    struct alm_model_spec a = {ALM_MODEL_AUTO, 0};
    struct alm_fit f;
    CHECK(alm_fit_series(w, t, y, n, ALM_KIND_LEVEL, &a, &f, NULL) == ALM_OK);
    CHECK(isfinite(f.score) && f.score > 0);
    free(t);
    free(y);
}

int main(void)
{
    alm_init();
    w = alm_fit_ws_new(16, NULL);
    test_r_parity();
    test_theil_sen();
    test_auto();
    test_domains();
    test_awkward();
    test_auto_updates();
    alm_fit_ws_free(w);
    return check_done();
}
