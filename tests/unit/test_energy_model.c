/*
 * test_energy_model.c - energy model (docs/spec.md 8.2-8.5): per component
 * energies against a separate implementation of the formulas in this file,
 * static and dynamic reported apart, utilisation (E_dyn + P_static/(u R)),
 * the checker energy_compare (positive and negative: each component in turn
 * must be named when the events driving it are missing), activity checks,
 * and the text and JSON outputs.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "energy/energy.h"

/* A card with distinct, non-zero values everywhere (so that every
 * component's energy is non-zero and distinguishable). */
static const char card_text[] = "[card]\n"
                                "name = test-card\n"
                                "description = unit test card\n"
                                "[laser]\nelectrical_mw_per_lane = 3.25\n"
                                "[modulator_driver]\npj_per_bit = 0.09\n"
                                "[receiver]\npj_per_bit = 0.05\n"
                                "[serializer]\npj_per_bit = 0.02\n"
                                "[heaters]\nmw_per_code = 0.0007\nnominal_code = 1500\n"
                                "[router_buffers]\npj_per_write_64b = 0.6\npj_per_read_64b = 0.45\n"
                                "[crossbar]\npj_per_traversal_64b = 0.7\n"
                                "[allocation]\npj_per_va_grant = 0.03\npj_per_sa_arbitration = 0.08\n"
                                "[clock]\npj_per_cycle = 0.2\n"
                                "[leakage]\nstatic_mw = 12\n";

static energy_card_t *mkcard(const char *text)
{
    char err[512];
    energy_card_t *c = NULL;
    if (energy_card_parse_string(text, "test", &c, err, sizeof err) != 0)
        fail_msg("card: %s", err);
    return c;
}

static double get(const energy_card_t *c, const char *sec, const char *key)
{
    double v = -1;
    if (energy_card_get(c, sec, key, &v) != 0)
        fail_msg("card has no %s.%s", sec, key);
    return v;
}

static int near_rel(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
}

static uint64_t rng = 12345;
static uint64_t rnd(uint64_t n) /* 0..n-1, test data only */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % n;
}

/* a random but valid activity: 6 lanes of 32 bits, 128-bit flits, 800 MHz */
static energy_activity_t random_activity(void)
{
    energy_activity_t a;
    energy_activity_init(&a);
    a.lanes = 6;
    a.flit_bits = 128;
    a.clock_hz = 8e8;
    a.cycles = 100000 + rnd(100000);
    /* every count at least 100, so that tests may remove a few events */
    for (unsigned i = 0; i < a.lanes; i++) {
        a.laser_cycles[i] = a.cycles / 2 + rnd(a.cycles / 2);
        a.bits_sent[i] = 32 * (100 + rnd(a.laser_cycles[i] - 100));
        a.bits_received[i] = 32 * (100 + rnd(a.cycles - 100));
        a.heater_integral[i] = (a.cycles / 2) * (1 + rnd(4094));
    }
    a.replays = rnd(10);
    a.buf_writes = 100 + rnd(6 * a.cycles);
    a.buf_reads = 100 + rnd(6 * a.cycles);
    a.xbar = 100 + rnd(6 * a.cycles);
    a.va_grants = 100 + rnd(a.cycles);
    a.sa_arbs = 100 + rnd(6 * a.cycles);
    a.router_flits = a.xbar;
    a.payload_bits = 1 + rnd(a.cycles * 100);
    return a;
}

/* ---- per component formulas, written again from spec 8.2 --------------------------- */

static void expected_components(const energy_card_t *c, const energy_activity_t *a,
                                double st[ENERGY_NUM_COMPONENTS],
                                double dy[ENERGY_NUM_COMPONENTS])
{
    double ns = 1e9 / a->clock_hz, sent = 0, recv = 0, las = 0, heat = 0;
    for (unsigned i = 0; i < a->lanes; i++) {
        sent += (double)a->bits_sent[i];
        recv += (double)a->bits_received[i];
        las += (double)a->laser_cycles[i];
        heat += (double)a->heater_integral[i];
    }
    double w = a->flit_bits / 64.0;
    memset(st, 0, sizeof(double) * ENERGY_NUM_COMPONENTS);
    memset(dy, 0, sizeof(double) * ENERGY_NUM_COMPONENTS);
    st[ENERGY_LASER] = get(c, "laser", "electrical_mw_per_lane") * las * ns;
    dy[ENERGY_MODULATOR_DRIVER] = get(c, "modulator_driver", "pj_per_bit") * sent;
    dy[ENERGY_RECEIVER] = get(c, "receiver", "pj_per_bit") * recv;
    dy[ENERGY_SERIALIZER] = get(c, "serializer", "pj_per_bit") * sent;
    st[ENERGY_HEATERS] = get(c, "heaters", "mw_per_code") * heat * ns;
    dy[ENERGY_ROUTER_BUFFERS] =
        w * (get(c, "router_buffers", "pj_per_write_64b") * (double)a->buf_writes +
             get(c, "router_buffers", "pj_per_read_64b") * (double)a->buf_reads);
    dy[ENERGY_CROSSBAR] = w * get(c, "crossbar", "pj_per_traversal_64b") * (double)a->xbar;
    dy[ENERGY_ALLOCATION] = get(c, "allocation", "pj_per_va_grant") * (double)a->va_grants +
                            get(c, "allocation", "pj_per_sa_arbitration") * (double)a->sa_arbs;
    dy[ENERGY_CLOCK] = get(c, "clock", "pj_per_cycle") * (double)a->cycles;
    st[ENERGY_LEAKAGE] = get(c, "leakage", "static_mw") * (double)a->cycles * ns;
}

static void test_components_match_formulas(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    for (int trial = 0; trial < 50; trial++) {
        energy_activity_t a = random_activity();
        energy_report_t r;
        char err[256];
        assert_int_equal(energy_compute(c, &a, &r, err, sizeof err), 0);
        double st[ENERGY_NUM_COMPONENTS], dy[ENERGY_NUM_COMPONENTS];
        expected_components(c, &a, st, dy);
        double tot = 0, link = 0, sent = 0;
        for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++) {
            if (!near_rel(r.static_pj[k], st[k], 1e-12) || !near_rel(r.dynamic_pj[k], dy[k], 1e-12))
                fail_msg("%s: static %g/%g dynamic %g/%g", energy_component_name(k), r.static_pj[k],
                         st[k], r.dynamic_pj[k], dy[k]);
            tot += st[k] + dy[k];
            if (k <= ENERGY_HEATERS)
                link += st[k] + dy[k];
        }
        for (unsigned i = 0; i < a.lanes; i++)
            sent += (double)a.bits_sent[i];
        assert_true(near_rel(r.total_pj, tot, 1e-12));
        assert_true(near_rel(r.link_pj, link, 1e-12));
        assert_true(near_rel(r.router_pj, tot - link, 1e-9));
        assert_true(near_rel(r.static_total_pj + r.dynamic_total_pj, tot, 1e-12));
        assert_true(near_rel(r.utilisation, sent / (6.0 * 32 * (double)a.cycles), 1e-12));
        assert_true(near_rel(r.link_pj_per_line_bit, link / sent, 1e-12));
        assert_true(near_rel(r.pj_per_payload_bit, tot / (double)a.payload_bits, 1e-12));
        assert_true(near_rel(r.router_pj_per_flit, (tot - link) / (double)a.router_flits, 1e-9));
        /* pJ / ns = mW */
        assert_true(near_rel(r.average_power_mw, tot / ((double)a.cycles * 1.25), 1e-12));
        assert_true(near_rel(r.seconds, (double)a.cycles / 8e8, 1e-15));
        assert_string_equal(r.card, "test-card");
    }
    energy_card_free(c);
}

/* ---- static and dynamic apart ----------------------------------------------------- */

static void test_static_dynamic_apart(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a = random_activity();
    energy_report_t r;
    assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);
    for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++) {
        int st = energy_component_is_static(k);
        if (st) {
            assert_true(r.static_pj[k] > 0);
            assert_true(r.dynamic_pj[k] == 0);
        } else {
            assert_true(r.dynamic_pj[k] > 0);
            assert_true(r.static_pj[k] == 0);
        }
    }
    /* exactly laser, heaters and leakage are static (brief section 2) */
    assert_int_equal(energy_component_is_static(ENERGY_LASER), 1);
    assert_int_equal(energy_component_is_static(ENERGY_HEATERS), 1);
    assert_int_equal(energy_component_is_static(ENERGY_LEAKAGE), 1);
    int n_static = 0;
    for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++)
        n_static += energy_component_is_static(k);
    assert_int_equal(n_static, 3);

    /* lasers and heaters on, nothing sent: link energy is all static */
    energy_activity_t idle;
    energy_activity_init(&idle);
    idle.cycles = 1000;
    for (int i = 0; i < 8; i++) {
        idle.laser_cycles[i] = 1000;
        idle.heater_integral[i] = 1000 * 1500;
    }
    assert_int_equal(energy_compute(c, &idle, &r, NULL, 0), 0);
    /* by hand: 8 x 3.25 mW x 1000 ns = 26000 pJ; 8 x 0.0007 x 1500 mW x 1000 ns = 8400 pJ */
    assert_true(near_rel(r.static_pj[ENERGY_LASER], 26000.0, 1e-12));
    assert_true(near_rel(r.static_pj[ENERGY_HEATERS], 8400.0, 1e-12));
    for (int k = 0; k <= ENERGY_HEATERS; k++)
        assert_true(r.dynamic_pj[k] == 0);
    assert_true(isnan(r.link_pj_per_line_bit)); /* nothing sent */
    assert_true(isnan(r.pj_per_payload_bit));
    assert_true(r.utilisation == 0);

    /* nothing at all: all zero, no NaN in energies */
    energy_activity_init(&idle);
    assert_int_equal(energy_compute(c, &idle, &r, NULL, 0), 0);
    assert_true(r.total_pj == 0);
    assert_true(isnan(r.utilisation));
    assert_true(isnan(r.average_power_mw));
    energy_card_free(c);
}

/* ---- utilisation ------------------------------------------------------------------ */

/* a link-only activity: lasers on and heaters at `code` all the time, line utilisation u */
static energy_activity_t link_at(double u, uint64_t n, double code)
{
    energy_activity_t a;
    energy_activity_init(&a);
    a.cycles = n;
    for (int i = 0; i < 8; i++) {
        a.bits_sent[i] = a.bits_received[i] = (uint64_t)(u * 32.0 * (double)n);
        a.laser_cycles[i] = n;
        a.heater_integral[i] = (uint64_t)code * n;
    }
    return a;
}

static void test_utilisation(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    const uint64_t n = 1 << 16;
    const double code = get(c, "heaters", "nominal_code");
    /* hand, from the card: E_dyn = 0.09 + 0.02 + 0.05 = 0.16 pJ/bit;
     * P_static = 8 x (3.25 + 0.0007 x 1500) = 8 x 4.3 = 34.4 mW; R = 256 Gb/s;
     * static per bit at u = 1: 34.4 / 256 = 0.134375 pJ/bit. */
    const double e_dyn = 0.16, s1 = 34.4 / 256.0;
    double prev_share = 0;
    for (double u = 1.0; u > 0.01; u /= 2) {
        energy_activity_t a = link_at(u, n, code);
        energy_report_t r;
        energy_point_t pt;
        assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);
        assert_int_equal(energy_link_at_utilisation(c, 8, 32, 1e9, u, &pt, NULL, 0), 0);
        assert_true(near_rel(r.utilisation, u, 1e-12));
        /* activity-based = analytic = hand */
        double hand = e_dyn + s1 / u;
        assert_true(near_rel(r.link_pj_per_line_bit, hand, 1e-12));
        assert_true(near_rel(pt.total_pj_per_bit, hand, 1e-12));
        assert_true(near_rel(pt.dynamic_pj_per_bit, e_dyn, 1e-12));
        assert_true(near_rel(pt.static_pj_per_bit, s1 / u, 1e-12));
        assert_true(near_rel(pt.static_mw, 34.4, 1e-12));
        /* static share of the link from the report's static/dynamic split
         * (the report's static total also holds the router's leakage) */
        double link_static = 0;
        for (int k = 0; k <= ENERGY_HEATERS; k++)
            link_static += r.static_pj[k];
        double share = link_static / r.link_pj;
        assert_true(near_rel(share, (s1 / u) / hand, 1e-12));
        assert_true(near_rel(pt.static_share, share, 1e-12));
        /* halving u: the static term doubles, so the share goes from
         * S/(D+S) to 2S/(D+2S) */
        if (u < 1.0) {
            double S = s1 / (2 * u), D = e_dyn;
            assert_true(near_rel(share, 2 * S / (D + 2 * S), 1e-12));
            assert_true(near_rel(prev_share, S / (D + S), 1e-12));
            assert_true(share > prev_share);
        }
        prev_share = share;
    }
    energy_point_t pt;
    char err[256];
    assert_int_equal(energy_link_at_utilisation(c, 8, 32, 1e9, 0.0, &pt, err, sizeof err), -1);
    assert_non_null(strstr(err, "u = 0"));
    assert_int_equal(energy_link_at_utilisation(c, 8, 32, 1e9, 1.5, &pt, err, sizeof err), -1);
    assert_int_equal(energy_link_at_utilisation(c, 8, 32, 1e9, NAN, &pt, err, sizeof err), -1);
    assert_int_equal(energy_link_at_utilisation(c, 9, 32, 1e9, 1, &pt, err, sizeof err), -1);
    assert_int_equal(energy_link_at_utilisation(c, 8, 4, 1e9, 1, &pt, err, sizeof err), -1);
    assert_int_equal(energy_link_at_utilisation(c, 8, 32, 0, 1, &pt, err, sizeof err), -1);
    assert_int_equal(energy_link_at_utilisation(NULL, 8, 32, 1e9, 1, &pt, err, sizeof err), -1);
    energy_card_free(c);
}

/* ---- flit width ------------------------------------------------------------------- */

static void test_flit_width_scaling(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a;
    energy_activity_init(&a);
    a.cycles = 10;
    a.buf_writes = a.buf_reads = a.xbar = a.sa_arbs = 10;
    energy_report_t r64, r256;
    a.flit_bits = 64;
    assert_int_equal(energy_compute(c, &a, &r64, NULL, 0), 0);
    a.flit_bits = 256;
    assert_int_equal(energy_compute(c, &a, &r256, NULL, 0), 0);
    /* data path x4, allocation unchanged */
    assert_true(near_rel(r256.dynamic_pj[ENERGY_ROUTER_BUFFERS],
                         4 * r64.dynamic_pj[ENERGY_ROUTER_BUFFERS], 1e-15));
    assert_true(near_rel(r256.dynamic_pj[ENERGY_CROSSBAR], 4 * r64.dynamic_pj[ENERGY_CROSSBAR],
                         1e-15));
    assert_true(r256.dynamic_pj[ENERGY_ALLOCATION] == r64.dynamic_pj[ENERGY_ALLOCATION]);
    /* by hand: 10 flits x (0.6 + 0.45) x 4 = 42 pJ; 10 x 0.7 x 4 = 28 pJ; 10 x 0.08 = 0.8 pJ */
    assert_true(near_rel(r256.dynamic_pj[ENERGY_ROUTER_BUFFERS], 42.0, 1e-12));
    assert_true(near_rel(r256.dynamic_pj[ENERGY_CROSSBAR], 28.0, 1e-12));
    assert_true(near_rel(r256.dynamic_pj[ENERGY_ALLOCATION], 0.8, 1e-12));
    energy_card_free(c);
}

/* ---- activity checks and adding -------------------------------------------------- */

static void expect_bad_activity(const energy_card_t *c, const energy_activity_t *a,
                                const char *what)
{
    char err[256] = "";
    energy_report_t r;
    assert_int_equal(energy_compute(c, a, &r, err, sizeof err), -1);
    if (!strstr(err, what))
        fail_msg("message '%s' lacks '%s'", err, what);
}

static void test_activity_checks(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a, b;
    energy_activity_init(&a);
    a.cycles = 100;
    energy_report_t r;
    assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);

    b = a; b.lanes = 0;                expect_bad_activity(c, &b, "lanes = 0");
    b = a; b.lanes = 9;                expect_bad_activity(c, &b, "lanes = 9");
    b = a; b.lane_w = 7;               expect_bad_activity(c, &b, "lane_w = 7");
    b = a; b.lane_w = 65;              expect_bad_activity(c, &b, "lane_w = 65");
    b = a; b.flit_bits = 32;           expect_bad_activity(c, &b, "flit_bits = 32");
    b = a; b.clock_hz = 0;             expect_bad_activity(c, &b, "clock_hz");
    b = a; b.clock_hz = NAN;           expect_bad_activity(c, &b, "clock_hz");
    b = a; b.lanes = 4; b.bits_sent[5] = 1; expect_bad_activity(c, &b, "bits_sent[5]");
    b = a; b.lanes = 4; b.heater_integral[4] = 1; expect_bad_activity(c, &b, "heater_integral[4]");
    b = a; b.laser_cycles[2] = 101;    expect_bad_activity(c, &b, "laser_cycles[2] = 101");
    b = a; b.heater_integral[3] = 4095 * 100 + 1;
    expect_bad_activity(c, &b, "heater_integral[3]");
    b = a; b.heater_integral[3] = 4095 * 100;
    assert_int_equal(energy_compute(c, &b, &r, NULL, 0), 0);
    b = a; b.cycles = UINT64_MAX;      expect_bad_activity(c, &b, "overflows");

    assert_int_equal(energy_compute(NULL, &a, &r, NULL, 0), -1);
    assert_int_equal(energy_compute(c, NULL, &r, NULL, 0), -1);
    assert_int_equal(energy_compute(c, &a, NULL, NULL, 0), -1);
    assert_int_equal(energy_activity_check(NULL, NULL, 0), -1);
    energy_card_free(c);
}

static void test_activity_add(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a = random_activity(), b = random_activity(), s = a;
    char err[256];
    assert_int_equal(energy_activity_add(&s, &b, err, sizeof err), 0);
    assert_true(s.cycles == a.cycles + b.cycles);
    assert_true(s.bits_sent[3] == a.bits_sent[3] + b.bits_sent[3]);
    assert_true(s.payload_bits == a.payload_bits + b.payload_bits);
    /* energy is additive */
    energy_report_t ra, rb, rs;
    assert_int_equal(energy_compute(c, &a, &ra, NULL, 0), 0);
    assert_int_equal(energy_compute(c, &b, &rb, NULL, 0), 0);
    assert_int_equal(energy_compute(c, &s, &rs, NULL, 0), 0);
    for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++)
        assert_true(near_rel(energy_report_component_pj(&rs, k),
                             energy_report_component_pj(&ra, k) +
                                 energy_report_component_pj(&rb, k),
                             1e-12));
    /* different configurations, overflow: refused, dst unchanged */
    energy_activity_t d = a;
    b.lane_w = 16;
    assert_int_equal(energy_activity_add(&d, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "configurations differ"));
    assert_memory_equal(&d, &a, sizeof d);
    b = a;
    b.xbar = UINT64_MAX;
    assert_int_equal(energy_activity_add(&d, &b, err, sizeof err), -1);
    assert_non_null(strstr(err, "overflows"));
    assert_memory_equal(&d, &a, sizeof d);
    assert_int_equal(energy_activity_add(NULL, &b, err, sizeof err), -1);
    energy_card_free(c);
}

/* ---- energy_compare --------------------------------------------------------------- */

static void test_compare_equal(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a = random_activity(), b = a;
    energy_report_t ra, rb;
    char msg[512];
    assert_int_equal(energy_compute(c, &a, &ra, NULL, 0), 0);
    assert_int_equal(energy_compute(c, &b, &rb, NULL, 0), 0);
    /* same counts, same card: bit-identical, zero tolerance passes */
    assert_int_equal(energy_compare(&ra, &rb, 0.0, msg, sizeof msg), 0);
    assert_string_equal(msg, "");
    /* a small difference within the tolerance passes, and fails with 0 */
    b.bits_sent[0] += 32;
    assert_int_equal(energy_compute(c, &b, &rb, NULL, 0), 0);
    assert_int_equal(energy_compare(&ra, &rb, 1e-3, msg, sizeof msg), 0);
    assert_int_equal(energy_compare(&ra, &rb, 0.0, msg, sizeof msg), 1);
    /* both n/a (no payload) match */
    a.payload_bits = b.payload_bits = 0;
    b = a;
    assert_int_equal(energy_compute(c, &a, &ra, NULL, 0), 0);
    assert_int_equal(energy_compute(c, &b, &rb, NULL, 0), 0);
    assert_int_equal(energy_compare(&ra, &rb, 0.0, msg, sizeof msg), 0);
    /* bad arguments */
    assert_int_equal(energy_compare(&ra, &rb, -1.0, msg, sizeof msg), -1);
    assert_int_equal(energy_compare(&ra, &rb, NAN, msg, sizeof msg), -1);
    assert_int_equal(energy_compare(NULL, &rb, 0, msg, sizeof msg), -1);
    assert_int_equal(energy_compare(&ra, NULL, 0, NULL, 0), -1);
    energy_card_free(c);
}

/* Negative tests: the "actual" side misses some events that drive exactly
 * one component; the checker must name that component. */
static void test_compare_names_component(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    const struct {
        energy_component_t comp;
        const char *part;
    } cases[] = {
        {ENERGY_LASER, "static"},          {ENERGY_MODULATOR_DRIVER, "dynamic"},
        {ENERGY_RECEIVER, "dynamic"},      {ENERGY_HEATERS, "static"},
        {ENERGY_ROUTER_BUFFERS, "dynamic"}, {ENERGY_CROSSBAR, "dynamic"},
        {ENERGY_ALLOCATION, "dynamic"},    {ENERGY_CLOCK, "dynamic"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        energy_activity_t a = random_activity(), b = a;
        switch (cases[i].comp) {
        case ENERGY_LASER: b.laser_cycles[2] -= 1; break;
        /* bits_sent drives modulator and serializer: modulator comes first */
        case ENERGY_MODULATOR_DRIVER: b.bits_sent[1] -= 32; break;
        case ENERGY_RECEIVER: b.bits_received[5] -= 64; break;
        case ENERGY_HEATERS: b.heater_integral[0] -= 1; break;
        case ENERGY_ROUTER_BUFFERS: b.buf_reads -= 3; break;
        case ENERGY_CROSSBAR: b.xbar -= 5; break;
        case ENERGY_ALLOCATION: b.va_grants -= 1; break;
        case ENERGY_CLOCK: b.cycles += 7; break; /* leakage follows, clock comes first */
        default: fail();
        }
        energy_report_t ra, rb;
        char msg[512];
        assert_int_equal(energy_compute(c, &a, &ra, NULL, 0), 0);
        assert_int_equal(energy_compute(c, &b, &rb, NULL, 0), 0);
        assert_int_equal(energy_compare(&ra, &rb, 1e-9, msg, sizeof msg), 1);
        char want[128];
        snprintf(want, sizeof want, "component %s, %s energy", energy_component_name(cases[i].comp),
                 cases[i].part);
        if (!strstr(msg, want))
            fail_msg("message '%s' lacks '%s'", msg, want);
        assert_non_null(strstr(msg, energy_component_driver(cases[i].comp)));
        /* expected and actual values appear in the message */
        char ev[64], av[64];
        snprintf(ev, sizeof ev, "expected %.9g pJ", energy_report_component_pj(&ra, cases[i].comp));
        snprintf(av, sizeof av, "actual %.9g pJ", energy_report_component_pj(&rb, cases[i].comp));
        assert_non_null(strstr(msg, ev));
        assert_non_null(strstr(msg, av));
        assert_non_null(strstr(msg, "relative difference"));
    }

    /* serializer and leakage share their counts with an earlier component:
     * with the earlier one at 0 in the card, the later one is named */
    char text[2048];
    snprintf(text, sizeof text, "%s", card_text);
    char *p = strstr(text, "[modulator_driver]\npj_per_bit = 0.09");
    assert_non_null(p);
    memcpy(strstr(p, "0.09"), "0.00", 4);
    p = strstr(text, "pj_per_cycle = 0.2");
    assert_non_null(p);
    memcpy(strstr(p, "0.2"), "0.0", 3);
    energy_card_t *c2 = mkcard(text);
    energy_activity_t a = random_activity(), b = a;
    b.bits_sent[0] -= 32;
    b.cycles += 3;
    energy_report_t ra, rb;
    char msg[512];
    assert_int_equal(energy_compute(c2, &a, &ra, NULL, 0), 0);
    assert_int_equal(energy_compute(c2, &b, &rb, NULL, 0), 0);
    assert_int_equal(energy_compare(&ra, &rb, 0, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "component serializer, dynamic"));
    b = a;
    b.cycles += 3;
    assert_int_equal(energy_compute(c2, &b, &rb, NULL, 0), 0);
    assert_int_equal(energy_compare(&ra, &rb, 0, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "component leakage, static"));
    /* components equal, payload differs */
    b = a;
    b.payload_bits += 1000;
    assert_int_equal(energy_compute(c2, &b, &rb, NULL, 0), 0);
    assert_int_equal(energy_compare(&ra, &rb, 0, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "pj_per_payload_bit"));
    energy_card_free(c2);
    energy_card_free(c);
}

/* ---- text and JSON ---------------------------------------------------------------- */

static void test_table(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a = random_activity();
    energy_report_t r;
    assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);
    int need = energy_report_table(&r, NULL, 0);
    assert_true(need > 0);
    char *buf = malloc((size_t)need + 1);
    assert_non_null(buf);
    assert_int_equal(energy_report_table(&r, buf, (size_t)need + 1), need);
    assert_int_equal((int)strlen(buf), need);
    assert_non_null(strstr(buf, "test-card"));
    for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++)
        assert_non_null(strstr(buf, energy_component_name(k)));
    assert_non_null(strstr(buf, "= total"));
    /* the link row: its static and dynamic parts, by hand from the components */
    char row[256];
    snprintf(row, sizeof row, "%-18s %14.6g %14.6g %14.6g", "= link",
             r.static_pj[ENERGY_LASER] + r.static_pj[ENERGY_HEATERS],
             r.dynamic_pj[ENERGY_MODULATOR_DRIVER] + r.dynamic_pj[ENERGY_RECEIVER] +
                 r.dynamic_pj[ENERGY_SERIALIZER],
             r.link_pj);
    if (!strstr(buf, row))
        fail_msg("no row '%s' in\n%s", row, buf);
    char v[64];
    snprintf(v, sizeof v, "%.6g", r.total_pj);
    assert_non_null(strstr(buf, v));
    snprintf(v, sizeof v, "link pJ/line bit %.6g", r.link_pj_per_line_bit);
    assert_non_null(strstr(buf, v));
    /* truncation: snprintf semantics */
    char small[40];
    assert_int_equal(energy_report_table(&r, small, sizeof small), need);
    assert_int_equal((int)strlen(small), (int)sizeof small - 1);
    assert_memory_equal(small, buf, sizeof small - 1);
    free(buf);

    /* n/a where nothing was sent */
    energy_activity_init(&a);
    a.cycles = 10;
    assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);
    char big[4096];
    assert_true(energy_report_table(&r, big, sizeof big) > 0);
    assert_non_null(strstr(big, "n/a"));
    assert_int_equal(energy_report_table(NULL, big, sizeof big), -1);
    energy_card_free(c);
}

static void test_table2(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a = random_activity(), b = a;
    b.xbar -= 10;
    energy_report_t ra, rb;
    assert_int_equal(energy_compute(c, &a, &ra, NULL, 0), 0);
    assert_int_equal(energy_compute(c, &b, &rb, NULL, 0), 0);
    char buf[8192];
    int n = energy_report_table2(&ra, &rb, "golden", "rtl", buf, sizeof buf);
    assert_true(n > 0 && (size_t)n < sizeof buf);
    assert_non_null(strstr(buf, "golden pJ"));
    assert_non_null(strstr(buf, "rtl pJ"));
    /* the crossbar row shows both values and a non-zero difference; others 0 */
    const char *row = strstr(buf, "\ncrossbar");
    assert_non_null(row);
    char v[64];
    snprintf(v, sizeof v, "%.9g", energy_report_component_pj(&rb, ENERGY_CROSSBAR));
    const char *eol = strchr(row + 1, '\n');
    assert_non_null(eol);
    const char *hit = strstr(row, v);
    assert_true(hit && hit < eol);
    row = strstr(buf, "\nlaser");
    eol = strchr(row + 1, '\n');
    hit = strstr(row, "0.000e+00");
    assert_true(hit && hit < eol);
    assert_int_equal(energy_report_table2(&ra, &rb, NULL, NULL, buf, sizeof buf) > 0, 1);
    assert_non_null(strstr(buf, "expected pJ"));
    assert_int_equal(energy_report_table2(NULL, &rb, NULL, NULL, buf, sizeof buf), -1);
    energy_card_free(c);
}

static void test_json(void **state)
{
    (void)state;
    energy_card_t *c = mkcard(card_text);
    energy_activity_t a = random_activity();
    energy_report_t r;
    assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);
    char *s = energy_report_json_string(&r);
    assert_non_null(s);
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);
    if (!j)
        fail_msg("JSON does not parse: %s at line %d", je.text, je.line);
    assert_string_equal(json_string_value(json_object_get(j, "card")), "test-card");
    assert_true(json_integer_value(json_object_get(j, "cycles")) == (json_int_t)r.cycles);
    json_t *comps = json_object_get(j, "components");
    assert_true(json_is_object(comps));
    assert_int_equal((int)json_object_size(comps), ENERGY_NUM_COMPONENTS);
    for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++) {
        json_t *o = json_object_get(comps, energy_component_name(k));
        assert_non_null(o);
        /* 17 significant digits: the doubles round-trip exactly */
        assert_true(json_real_value(json_object_get(o, "static_pj")) == r.static_pj[k]);
        assert_true(json_real_value(json_object_get(o, "dynamic_pj")) == r.dynamic_pj[k]);
        assert_string_equal(json_string_value(json_object_get(o, "kind")),
                            energy_component_is_static(k) ? "static" : "dynamic");
    }
    assert_true(json_real_value(json_object_get(j, "total_pj")) == r.total_pj);
    assert_true(json_real_value(json_object_get(j, "pj_per_payload_bit")) ==
                r.pj_per_payload_bit);
    assert_true(json_integer_value(json_object_get(j, "payload_bits")) ==
                (json_int_t)r.payload_bits);
    json_decref(j);
    free(s);

    /* NaN becomes null */
    energy_activity_init(&a);
    assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);
    j = energy_report_json(&r);
    assert_non_null(j);
    assert_true(json_is_null(json_object_get(j, "utilisation")));
    assert_true(json_is_null(json_object_get(j, "pj_per_payload_bit")));
    assert_true(json_is_real(json_object_get(j, "total_pj")));
    json_decref(j);
    assert_null(energy_report_json(NULL));
    assert_null(energy_report_json_string(NULL));
    energy_card_free(c);
}

static void test_names(void **state)
{
    (void)state;
    const char *want[] = {"laser",          "modulator_driver", "receiver",   "serializer",
                          "heaters",        "router_buffers",   "crossbar",   "allocation",
                          "clock",          "leakage"};
    assert_int_equal((int)(sizeof want / sizeof want[0]), ENERGY_NUM_COMPONENTS);
    for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++) {
        assert_string_equal(energy_component_name(k), want[k]);
        assert_int_equal(energy_component_is_link(k), k <= ENERGY_HEATERS);
    }
    assert_string_equal(energy_component_name(ENERGY_NUM_COMPONENTS), "?");
    assert_string_equal(energy_component_name((energy_component_t)-1), "?");
    assert_string_equal(energy_component_driver(ENERGY_NUM_COMPONENTS), "?");
    assert_true(isnan(energy_report_component_pj(NULL, ENERGY_LASER)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_components_match_formulas),
        cmocka_unit_test(test_static_dynamic_apart),
        cmocka_unit_test(test_utilisation),
        cmocka_unit_test(test_flit_width_scaling),
        cmocka_unit_test(test_activity_checks),
        cmocka_unit_test(test_activity_add),
        cmocka_unit_test(test_compare_equal),
        cmocka_unit_test(test_compare_names_component),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_table2),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
