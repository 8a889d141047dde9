/*
 * test_channel.c - unit tests of the optical channel and microring model
 * (csim/channel/channel.h) against docs/spec.md section 7.
 *
 * Statistical checks use fixed seeds and 5-sigma bounds computed from the
 * configured parameters (binomial/Poisson counts, geometric means); errors
 * are counted independently by XOR of the channel's output against its
 * input. The PRNG is checked against published splitmix64 output and
 * xoshiro256** values computed by a separate Python implementation. Negative
 * tests show each statistical checker rejecting a deliberately wrong model
 * (a 20% BER error, a Gaussian line shape of the same width, frozen heaters).
 * A small heater controller that sees only monitor codes shows that the
 * firmware's ring-locking job is feasible under a 1 K/ms drift.
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

#include "channel/channel.h"

static uint64_t tr_state;
static uint64_t trnd(void) /* test data, independent of the model's PRNG */
{
    uint64_t z = (tr_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* |measured - expected| within k standard deviations */
static int within_sigma(double measured, double expected, double sigma, double k)
{
    return fabs(measured - expected) <= k * sigma;
}

/* a Poisson/binomial count check: n trials with probability p */
static int count_ok(uint64_t count, double n, double p)
{
    double mean = n * p, sd = sqrt(n * p * (1 - p));
    return within_sigma((double)count, mean, sd, 5.0);
}

static ch_t *mk(const ch_cfg_t *c)
{
    char err[256];
    ch_t *h = ch_new(c, err, sizeof err);
    if (!h)
        fail_msg("ch_new: %s", err);
    return h;
}

/* ---- PRNG ------------------------------------------------------------------------ */

static void test_rng_vectors(void **state)
{
    (void)state;
    ch_rng_t r;
    ch_rng_seed(&r, 0);
    /* the state words are splitmix64(0) outputs; the first is the published
     * 0xE220A8397B1DCDAF */
    assert_true(r.s[0] == 0xE220A8397B1DCDAFull);
    assert_true(r.s[1] == 0x6E789E6AA1B965F4ull);
    assert_true(r.s[2] == 0x06C45D188009454Full);
    assert_true(r.s[3] == 0xF88BB8A8724C81ECull);
    /* xoshiro256** outputs from that state (separate Python implementation) */
    static const uint64_t want[5] = {0x99EC5F36CB75F2B4ull, 0xBF6E1F784956452Aull, 0x1A5F849D4933E6E0ull,
                                     0x6AA594F1262D2D2Cull, 0xBBA5AD4A1F842E59ull};
    for (int i = 0; i < 5; i++)
        assert_true(ch_rng_next(&r) == want[i]);
}

static void test_rng_distributions(void **state)
{
    (void)state;
    ch_rng_t r;
    ch_rng_seed(&r, 12345);
    const int n = 1000000;
    double su = 0, sn = 0, sn2 = 0;
    double umin = 1;
    for (int i = 0; i < n; i++) {
        double u = ch_rng_uniform(&r);
        assert_true(u > 0.0 && u <= 1.0);
        if (u < umin)
            umin = u;
        su += u;
        double g = ch_rng_normal(&r);
        sn += g;
        sn2 += g * g;
    }
    assert_true(within_sigma(su / n, 0.5, sqrt(1.0 / 12 / n), 5));
    assert_true(within_sigma(sn / n, 0.0, 1.0 / sqrt(n), 5));
    assert_true(within_sigma(sn2 / n, 1.0, sqrt(2.0 / n), 5));
    /* geometric gaps: mean (1-p)/p, standard deviation sqrt(1-p)/p */
    static const double ps[] = {0.3, 1e-3, 1e-9, 1e-13};
    for (int k = 0; k < 4; k++) {
        double p = ps[k], s = 0;
        const int m = 200000;
        for (int i = 0; i < m; i++)
            s += (double)ch_rng_geometric(&r, p);
        double mean = (1 - p) / p, sd = sqrt(1 - p) / p;
        if (!within_sigma(s / m, mean, sd / sqrt(m), 5))
            fail_msg("geometric p=%g: mean %g, expected %g", p, s / m, mean);
    }
    assert_true(ch_rng_geometric(&r, 0) == UINT64_MAX);
    assert_true(ch_rng_geometric(&r, 1) == 0);
}

/* ---- delay, skew, darkness -------------------------------------------------------- */

static void test_delay_and_skew(void **state)
{
    (void)state;
    static const unsigned widths[] = {32, 24, 64};
    for (int wi = 0; wi < 3; wi++) {
        unsigned W = widths[wi];
        ch_cfg_t c;
        ch_cfg_default(&c);
        c.lane_w = W;
        c.latency_cycles = 7;
        for (unsigned i = 0; i < 8; i++)
            c.skew_bits[i] = i * 37 + (i == 5 ? 16 * W : 0);
        ch_t *h = mk(&c);
        enum { T = 400 };
        static uint8_t in_bits[8][T * 64], out_bits[8][T * 64];
        tr_state = 9 + W;
        uint64_t mask = W == 64 ? ~0ull : (1ull << W) - 1;
        for (unsigned t = 0; t < T; t++) {
            uint64_t tx[8], rx[8];
            for (unsigned i = 0; i < 8; i++) {
                tx[i] = trnd() & mask;
                for (unsigned b = 0; b < W; b++)
                    in_bits[i][t * W + b] = (uint8_t)(tx[i] >> b & 1u);
            }
            ch_step(h, tx, 0xFF, NULL, rx, NULL);
            for (unsigned i = 0; i < 8; i++) {
                assert_true((rx[i] & ~mask) == 0);
                for (unsigned b = 0; b < W; b++)
                    out_bits[i][t * W + b] = (uint8_t)(rx[i] >> b & 1u);
            }
        }
        /* output bit k is input bit k - D_i, zeros before */
        for (unsigned i = 0; i < 8; i++) {
            unsigned D = c.latency_cycles * W + c.skew_bits[i];
            for (unsigned k = 0; k < T * W; k++) {
                uint8_t want = k >= D ? in_bits[i][k - D] : 0;
                if (out_bits[i][k] != want)
                    fail_msg("W=%u lane %u bit %u: got %u want %u (D=%u)", W, i, k, out_bits[i][k], want, D);
            }
        }
        assert_int_equal(ch_cycle(h), T);
        ch_free(h);
    }
}

static void test_dark_and_lane_loss(void **state)
{
    (void)state;
    ch_cfg_t c;
    ch_cfg_default(&c);
    c.latency_cycles = 0;
    c.ber = 0.5; /* errors everywhere that is lit */
    c.loss_cycle[2] = 100;
    c.restore_cycle[2] = 200;
    ch_t *h = mk(&c);
    uint64_t tx[8], rx[8];
    for (int i = 0; i < 8; i++)
        tx[i] = 0xFFFFFFFFu;
    for (uint64_t t = 0; t < 300; t++) {
        unsigned laser = t >= 50 && t < 60 ? 0xFE : 0xFF; /* lane 0 dark for 10 cycles */
        ch_step(h, tx, laser, NULL, rx, NULL);
        if (t >= 50 && t < 60)
            assert_true(rx[0] == 0);
        if (t >= 100 && t < 200)
            assert_true(rx[2] == 0);
    }
    ch_lane_stats_t s;
    ch_lane_stats(h, 0, &s);
    assert_true(s.dark_bits == 10 * 32);
    ch_lane_stats(h, 2, &s);
    assert_true(s.dark_bits == 100 * 32);
    assert_true(s.bits == 300 * 32);
    ch_lane_stats(h, 1, &s);
    assert_true(s.dark_bits == 0);
    /* run-time loss control */
    assert_int_equal(ch_set_loss(h, 1, 300, 310), 0);
    assert_int_equal(ch_set_loss(h, 8, 0, 1), -1);
    for (int t = 0; t < 10; t++) {
        ch_step(h, tx, 0xFF, NULL, rx, NULL);
        assert_true(rx[1] == 0);
    }
    ch_step(h, tx, 0xFF, NULL, rx, NULL);
    ch_lane_stats(h, 1, &s);
    assert_true(s.dark_bits == 10 * 32);
    /* directed injection flips exactly the given bits */
    assert_int_equal(ch_set_ber(h, 0), 0);
    assert_int_equal(ch_set_ber(h, 0.6), -1);
    ch_inject_next(h, 4, 0x81);
    ch_step(h, tx, 0xFF, NULL, rx, NULL);
    assert_true(rx[4] == (0xFFFFFFFFu ^ 0x81u));
    ch_step(h, tx, 0xFF, NULL, rx, NULL);
    assert_true(rx[4] == 0xFFFFFFFFu);
    ch_free(h);
}

/* ---- random and burst errors ------------------------------------------------------ */

/* run a zero-latency channel with random data; count errors by XOR */
static uint64_t run_count(ch_t *h, unsigned W, uint64_t cycles, uint64_t per_pos[64])
{
    uint64_t mask = W == 64 ? ~0ull : (1ull << W) - 1, errs = 0;
    uint64_t tx[8], rx[8];
    for (uint64_t t = 0; t < cycles; t++) {
        for (int i = 0; i < 8; i++)
            tx[i] = trnd() & mask;
        ch_step(h, tx, 0xFF, NULL, rx, NULL);
        for (int i = 0; i < 8; i++) {
            uint64_t e = rx[i] ^ tx[i];
            if (e) {
                errs += (uint64_t)__builtin_popcountll(e);
                if (per_pos)
                    for (unsigned b = 0; b < W; b++)
                        per_pos[b] += e >> b & 1u;
            }
        }
    }
    return errs;
}

static void test_ber_statistics(void **state)
{
    (void)state;
    static const double bers[] = {1e-3, 1e-4, 1e-6};
    static const unsigned Ws[] = {32, 32, 64};
    static const uint64_t cyc[] = {100000, 400000, 2000000};
    for (int k = 0; k < 3; k++) {
        ch_cfg_t c;
        ch_cfg_default(&c);
        c.latency_cycles = 0;
        c.lane_w = Ws[k];
        c.ber = bers[k];
        c.seed = 31 + (uint64_t)k;
        ch_t *h = mk(&c);
        tr_state = 3;
        uint64_t pos[64] = {0};
        uint64_t errs = run_count(h, Ws[k], cyc[k], pos);
        double n = 8.0 * Ws[k] * (double)cyc[k];
        print_message("BER %g: %llu errors in %.3g bits, measured %.4g\n", bers[k], (unsigned long long)errs, n,
                      (double)errs / n);
        assert_true(count_ok(errs, n, bers[k]));
        /* the model's own count agrees with the XOR count */
        uint64_t model = 0;
        for (unsigned i = 0; i < 8; i++) {
            ch_lane_stats_t s;
            ch_lane_stats(h, i, &s);
            model += s.errors;
            assert_true(s.errors == s.random_errors);
        }
        assert_true(model == errs);
        /* errors spread evenly over bit positions (chi-square, 5-sigma-ish bound) */
        if (k < 2) {
            double e = (double)errs / Ws[k], chi = 0;
            for (unsigned b = 0; b < Ws[k]; b++)
                chi += ((double)pos[b] - e) * ((double)pos[b] - e) / e;
            double dof = Ws[k] - 1;
            assert_true(chi < dof + 5 * sqrt(2 * dof));
        }
        ch_free(h);
    }
}

/* Negative: the same count check rejects a channel whose BER is 20% off. */
static void test_ber_checker_catches_wrong_rate(void **state)
{
    (void)state;
    ch_cfg_t c;
    ch_cfg_default(&c);
    c.latency_cycles = 0;
    c.ber = 1.2e-4; /* the "wrong" model */
    ch_t *h = mk(&c);
    tr_state = 3;
    uint64_t errs = run_count(h, 32, 400000, NULL);
    assert_false(count_ok(errs, 8.0 * 32 * 400000, 1e-4));
    ch_free(h);
}

static void test_burst_statistics(void **state)
{
    (void)state;
    ch_cfg_t c;
    ch_cfg_default(&c);
    c.latency_cycles = 0;
    c.burst_rate = 1e-5;
    c.burst_len_mean = 50;
    c.burst_flip = 0.5;
    c.seed = 77;
    ch_t *h = mk(&c);
    tr_state = 5;
    const uint64_t cycles = 1000000;
    uint64_t errs = run_count(h, 32, cycles, NULL);
    uint64_t bursts = 0, bbits = 0, model_errs = 0;
    for (unsigned i = 0; i < 8; i++) {
        ch_lane_stats_t s;
        ch_lane_stats(h, i, &s);
        bursts += s.bursts;
        bbits += s.burst_bits;
        model_errs += s.errors;
    }
    double nbits = 8.0 * 32 * cycles;
    /* a burst starts after a geometric gap from the end of the previous one:
     * bursts ~ nbits / (1/rate + mean_len) */
    double exp_bursts = nbits / (1.0 / c.burst_rate + c.burst_len_mean);
    double mean_len = (double)bbits / (double)bursts;
    double flip = (double)errs / (double)bbits;
    print_message("bursts: %llu (expected %.0f), mean length %.2f (configured %.0f), flip fraction %.4f\n",
                  (unsigned long long)bursts, exp_bursts, mean_len, c.burst_len_mean, flip);
    assert_true(within_sigma((double)bursts, exp_bursts, sqrt(exp_bursts), 5));
    /* length 1 + Geometric(1/mean): mean = mean_len, sd = sqrt(mean*(mean-1)) */
    double sd_len = sqrt(c.burst_len_mean * (c.burst_len_mean - 1));
    assert_true(within_sigma(mean_len, c.burst_len_mean, sd_len / sqrt((double)bursts), 5));
    assert_true(within_sigma(flip, 0.5, sqrt(0.25 / (double)bbits), 5));
    assert_true(model_errs == errs);
    ch_free(h);
}

/* ---- microring --------------------------------------------------------------------- */

static void ring_quiet(ch_cfg_t *c)
{
    ch_cfg_default(c);
    c->latency_cycles = 0;
    c->ring.enable = 1;
    c->ring.fab_sigma_pm = 0; /* every lane at fab_mean_pm = -400 */
    c->ring.temp_drift_k_per_s = 0;
    c->ring.temp_noise_k = 0;
    c->ring.monitor_noise_codes = 0;
    c->ring.update_cycles = 1;
}

/* received power at heater code h for the quiet ring, by stepping */
static void sweep_point(ch_t *h, uint16_t code, double *power, uint16_t *mon)
{
    uint16_t heat[8], m[8];
    uint64_t tx[8] = {0}, rx[8];
    for (int i = 0; i < 8; i++)
        heat[i] = code;
    ch_step(h, tx, 0xFF, heat, rx, m);
    ch_lane_stats_t s;
    ch_lane_stats(h, 0, &s);
    *power = s.power_mw;
    *mon = m[0];
}

static void test_lorentzian_shape(void **state)
{
    (void)state;
    ch_cfg_t c;
    ring_quiet(&c);
    ch_t *h = mk(&c);
    const ch_ring_cfg_t *r = &c.ring;
    double pk = 0;
    int pk_code = -1;
    double pw[4096];
    for (int code = 0; code < 4096; code++) {
        uint16_t mon;
        sweep_point(h, (uint16_t)code, &pw[code], &mon);
        double det = -400.0 + 0.25 * code;
        double want = r->p_peak_mw / (1.0 + (2 * det / r->fwhm_pm) * (2 * det / r->fwhm_pm));
        assert_true(fabs(pw[code] - want) <= 1e-12 * r->p_peak_mw);
        assert_int_equal(mon, (int)floor(want / r->p_fullscale_mw * 4095 + 0.5));
        if (pw[code] > pk) {
            pk = pw[code];
            pk_code = code;
        }
    }
    /* peak at the code that cancels the fabrication offset: 400 / 0.25 */
    assert_int_equal(pk_code, 1600);
    assert_true(fabs(pk - r->p_peak_mw) < 1e-12);
    /* width measured from the sweep (linear interpolation of the half-power
     * crossings) equals the configured FWHM */
    double lo = 0, hi = 0;
    for (int code = 1; code < 4096; code++) {
        double a = pw[code - 1] - pk / 2, b = pw[code] - pk / 2;
        if (a < 0 && b >= 0)
            lo = code - 1 + a / (a - b);
        if (a >= 0 && b < 0)
            hi = code - 1 + a / (a - b);
    }
    double fwhm = (hi - lo) * 0.25;
    print_message("Lorentzian: peak at code %d, measured FWHM %.3f pm (configured %.1f)\n", pk_code, fwhm, r->fwhm_pm);
    assert_true(fabs(fwhm - r->fwhm_pm) < 0.05);
    /* shape: P(δ)·(1+(2δ/w)²) is constant; a Gaussian of the same FWHM is not
     * (negative test of the shape check: its tail at 2·FWHM is 60x smaller) */
    int bad_lor = 0, bad_gauss = 0;
    for (int code = 0; code < 4096; code += 8) {
        double det = -400.0 + 0.25 * code, x = 2 * det / r->fwhm_pm;
        double gauss = r->p_peak_mw * exp(-log(2.0) * x * x);
        bad_lor += fabs(pw[code] * (1 + x * x) - r->p_peak_mw) > 1e-9;
        bad_gauss += fabs(gauss * (1 + x * x) - r->p_peak_mw) > 1e-9;
    }
    assert_int_equal(bad_lor, 0);
    assert_true(bad_gauss > 400);
    ch_free(h);

    /* thermal crosstalk: a neighbour's heater shifts this ring by c*k_H*code */
    ring_quiet(&c);
    c.ring.crosstalk = 0.1;
    h = mk(&c);
    uint16_t heat[8] = {0, 1000, 0, 0, 0, 0, 0, 0};
    uint64_t tx[8] = {0}, rx[8];
    ch_step(h, tx, 0xFF, heat, rx, NULL);
    ch_lane_stats_t s0, s2, s3;
    ch_lane_stats(h, 0, &s0);
    ch_lane_stats(h, 2, &s2);
    ch_lane_stats(h, 3, &s3);
    assert_true(fabs(s0.detuning_pm - (-400 + 0.1 * 0.25 * 1000)) < 1e-9);
    assert_true(fabs(s2.detuning_pm - (-400 + 0.1 * 0.25 * 1000)) < 1e-9);
    assert_true(fabs(s3.detuning_pm - (-400)) < 1e-9);
    ch_free(h);
}

/* BER follows the received power: Q proportional to power. */
static void test_ber_vs_power(void **state)
{
    (void)state;
    ch_cfg_t c;
    ring_quiet(&c);
    c.ring.update_cycles = 16;
    ch_t *h = mk(&c);
    /* detuning +50 pm = FWHM/2: half power, Q = q_peak/2 */
    uint16_t heat[8];
    for (int i = 0; i < 8; i++)
        heat[i] = 1800;
    uint64_t tx[8], rx[8], errs = 0;
    tr_state = 17;
    const uint64_t cycles = 200000;
    for (uint64_t t = 0; t < cycles; t++) {
        for (int i = 0; i < 8; i++)
            tx[i] = trnd() & 0xFFFFFFFFu;
        ch_step(h, tx, 0xFF, heat, rx, NULL);
        for (int i = 0; i < 8; i++)
            errs += (uint64_t)__builtin_popcountll(rx[i] ^ tx[i]);
    }
    double want = 0.5 * erfc(c.ring.q_peak / 2 / sqrt(2.0));
    ch_lane_stats_t s;
    ch_lane_stats(h, 0, &s);
    assert_true(fabs(s.power_mw - c.ring.p_peak_mw / 2) < 1e-12);
    assert_true(fabs(s.ber - want) < 1e-15);
    double n = 8.0 * 32 * cycles;
    print_message("BER at -3 dB: formula %.4g, measured %.4g (%llu errors)\n", want, (double)errs / n,
                  (unsigned long long)errs);
    assert_true(count_ok(errs, n, want));
    /* the formula's landmarks of spec 7.3 */
    assert_true(fabs(ch_ber_from_q(7.94) / 1.0109e-15 - 1) < 1e-3);
    assert_true(fabs(ch_ber_from_q(7.94 * pow(10, -0.1)) / 1.4228e-10 - 1) < 1e-3);
    assert_true(ch_q_from_power(&c.ring, 0) == 0);
    assert_true(ch_ber_from_q(0) == 0.5);
    ch_free(h);

    /* far off resonance with the laser on: power ~ 0, BER ~ 0.5, monitor ~ 0 */
    ring_quiet(&c);
    h = mk(&c);
    double p;
    uint16_t mon;
    sweep_point(h, 0, &p, &mon);
    ch_lane_stats(h, 0, &s);
    assert_true(p < 0.02 * c.ring.p_peak_mw);
    assert_true(s.ber > 0.3);
    assert_true(mon < 100);
    ch_free(h);
}

/* Temperature: linear drift moves the resonance at k_T per kelvin; the OU
 * noise has the configured standard deviation; the monitor noise too. */
static void test_temperature_and_monitor(void **state)
{
    (void)state;
    ch_cfg_t c;
    ring_quiet(&c);
    c.ring.temp_drift_k_per_s = 1000; /* 1 K per ms */
    ch_t *h = mk(&c);
    uint64_t tx[8] = {0}, rx[8];
    uint16_t heat[8] = {1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600};
    for (int t = 0; t < 500001; t++)
        ch_step(h, tx, 0xFF, heat, rx, NULL);
    ch_lane_stats_t s;
    ch_lane_stats(h, 0, &s);
    /* last update at cycle 500000: T = 1000 K/s * 0.5 ms = 0.5 K, 40 pm */
    assert_true(fabs(s.temperature_k - 0.5) < 1e-9);
    assert_true(fabs(s.detuning_pm - 40.0) < 1e-6);
    ch_free(h);

    ring_quiet(&c);
    c.ring.temp_noise_k = 0.05;
    c.ring.temp_tau_s = 1e-6;
    c.ring.update_cycles = 100;
    c.seed = 99;
    h = mk(&c);
    double st = 0, st2 = 0;
    int n = 0;
    for (int t = 0; t < 4000000; t++) {
        ch_step(h, tx, 0xFF, heat, rx, NULL);
        if (t % 1000 == 0) { /* samples 10 tau apart: nearly independent */
            ch_lane_stats(h, 0, &s);
            st += s.temperature_k;
            st2 += s.temperature_k * s.temperature_k;
            n++;
        }
    }
    double sd = sqrt(st2 / n - (st / n) * (st / n));
    print_message("temperature noise: sd %.4f K (configured 0.05) over %d samples\n", sd, n);
    /* sd of a sample sd is about sd/sqrt(2n) = 1.1%; allow 10% */
    assert_true(fabs(sd - 0.05) < 0.05 * 0.1);
    ch_free(h);

    /* monitor code noise at constant power: mean = the formula's code, sd = 3 */
    ring_quiet(&c);
    c.ring.monitor_noise_codes = 3;
    c.seed = 98;
    h = mk(&c);
    double sm = 0, sm2 = 0;
    const int m = 100000;
    uint16_t mon[8];
    for (int t = 0; t < m; t++) {
        ch_step(h, tx, 0xFF, heat, rx, mon);
        sm += mon[3];
        sm2 += (double)mon[3] * mon[3];
    }
    double mean = sm / m, msd = sqrt(sm2 / m - mean * mean);
    double want = 0.1 / 0.125 * 4095; /* 3276, on resonance */
    print_message("monitor: mean %.2f (formula %.2f), sd %.3f codes (configured 3)\n", mean, want, msd);
    /* rounding adds 1/12 code^2 of variance */
    assert_true(within_sigma(mean, want, 3.0 / sqrt(m), 5));
    assert_true(fabs(msd - sqrt(9 + 1.0 / 12)) < 0.05 * 3);
    ch_free(h);
}

/* The firmware's job is possible with what the model gives it (spec 7.4): a
 * controller that only writes heater codes and reads monitor codes finds
 * each ring's resonance by a sweep and holds it against a 1 K/ms drift (320
 * heater codes over the run) with no bit errors; with the heaters frozen
 * after the sweep, the same drift walks the rings off resonance (negative). */
typedef struct {
    int code[8];
    int phase;       /* 0: sweep, 1: track */
    int best[8], best_code[8];
    double acc[3][8];
    int nacc;
} tuner_t;

static uint64_t run_tuner(int track, double *min_power_after_lock)
{
    ch_cfg_t c;
    ch_cfg_default(&c);
    c.latency_cycles = 0;
    c.ring.enable = 1;
    c.ring.temp_drift_k_per_s = 1000;
    c.seed = 4;
    ch_t *h = mk(&c);
    tuner_t t;
    memset(&t, 0, sizeof t);
    uint64_t tx[8], rx[8], errs = 0;
    uint16_t mon[8], heat[8] = {0};
    tr_state = 8;
    *min_power_after_lock = 1e9;
    const uint64_t total = 1200000;
    uint64_t locked_at = 0;
    for (uint64_t cyc = 0; cyc < total; cyc++) {
        for (int i = 0; i < 8; i++)
            tx[i] = trnd() & 0xFFFFFFFFu;
        ch_step(h, tx, 0xFF, heat, rx, mon);
        if (locked_at && cyc > locked_at + 20000)
            for (int i = 0; i < 8; i++)
                errs += (uint64_t)__builtin_popcountll(rx[i] ^ tx[i]);
        if (t.phase == 0) {
            /* sweep: 4 codes per monitor update (16 cycles), remember the best */
            if (cyc % 16 == 15) {
                for (int i = 0; i < 8; i++) {
                    if (mon[i] > t.best[i]) {
                        t.best[i] = mon[i];
                        t.best_code[i] = t.code[i];
                    }
                    t.code[i] += 4;
                }
                if (t.code[0] > 4095) {
                    for (int i = 0; i < 8; i++)
                        t.code[i] = t.best_code[i];
                    t.phase = 1;
                    locked_at = cyc;
                }
            }
        } else if (track) {
            /* every 16 updates, visit code-8, code, code+8 (16 samples each) */
            int slot = (int)((cyc / 256) % 3);
            int off = slot == 0 ? -8 : slot == 1 ? 0 : 8;
            if (cyc % 16 == 15 && cyc % 256 >= 64) /* let the code settle one update */
                for (int i = 0; i < 8; i++)
                    t.acc[slot][i] += mon[i];
            if (cyc % 768 == 767) {
                for (int i = 0; i < 8; i++) {
                    int b = 1;
                    if (t.acc[0][i] > t.acc[b][i])
                        b = 0;
                    if (t.acc[2][i] > t.acc[b][i])
                        b = 2;
                    t.code[i] += b == 0 ? -8 : b == 2 ? 8 : 0;
                    t.acc[0][i] = t.acc[1][i] = t.acc[2][i] = 0;
                }
            }
            for (int i = 0; i < 8; i++)
                heat[i] = (uint16_t)(t.code[i] + off < 0 ? 0 : t.code[i] + off > 4095 ? 4095 : t.code[i] + off);
            if (cyc > locked_at + 20000 && cyc % 1000 == 0)
                for (unsigned i = 0; i < 8; i++) {
                    ch_lane_stats_t s;
                    ch_lane_stats(h, i, &s);
                    if (s.power_mw < *min_power_after_lock)
                        *min_power_after_lock = s.power_mw;
                }
            continue;
        }
        for (int i = 0; i < 8; i++)
            heat[i] = (uint16_t)(t.code[i] > 4095 ? 4095 : t.code[i]);
        if (t.phase == 1 && cyc > locked_at + 20000 && cyc % 1000 == 0)
            for (unsigned i = 0; i < 8; i++) {
                ch_lane_stats_t s;
                ch_lane_stats(h, i, &s);
                if (s.power_mw < *min_power_after_lock)
                    *min_power_after_lock = s.power_mw;
            }
    }
    ch_free(h);
    return errs;
}

static void test_ring_tracking(void **state)
{
    (void)state;
    double pmin;
    uint64_t errs = run_tuner(1, &pmin);
    print_message("ring tracking under 1 K/ms drift: min power %.1f%% of peak, %llu bit errors\n", pmin / 0.1 * 100,
                  (unsigned long long)errs);
    assert_true(pmin > 0.9 * 0.1);
    assert_true(errs == 0);
    uint64_t errs_frozen = run_tuner(0, &pmin);
    print_message("heaters frozen after the sweep: min power %.1f%% of peak, %llu bit errors\n", pmin / 0.1 * 100,
                  (unsigned long long)errs_frozen);
    assert_true(pmin < 0.5 * 0.1);
    assert_true(errs_frozen > 1000);
}

static void test_reproducible(void **state)
{
    (void)state;
    uint64_t sum[3] = {0};
    for (int k = 0; k < 3; k++) {
        ch_cfg_t c;
        ch_cfg_default(&c);
        c.ber = 1e-3;
        c.burst_rate = 1e-4;
        c.ring.enable = 1;
        c.seed = k == 2 ? 8 : 7;
        ch_t *h = mk(&c);
        uint64_t tx[8], rx[8];
        uint16_t mon[8], heat[8] = {1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500};
        tr_state = 1;
        for (int t = 0; t < 20000; t++) {
            for (int i = 0; i < 8; i++)
                tx[i] = trnd() & 0xFFFFFFFFu;
            ch_step(h, tx, 0xFF, heat, rx, mon);
            for (int i = 0; i < 8; i++)
                sum[k] = sum[k] * 31 + rx[i] + mon[i];
        }
        ch_free(h);
    }
    assert_true(sum[0] == sum[1]);
    assert_true(sum[0] != sum[2]);
}

static void test_config_errors(void **state)
{
    (void)state;
    char err[256];
    ch_cfg_t c;
    ch_cfg_default(&c);
    c.lanes = 9;
    assert_null(ch_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "lanes"));
    ch_cfg_default(&c);
    c.lane_w = 4;
    assert_null(ch_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "lane_w"));
    ch_cfg_default(&c);
    c.ber = 0.7;
    assert_null(ch_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "ber"));
    ch_cfg_default(&c);
    c.burst_len_mean = 0.5;
    assert_null(ch_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "burst_len_mean"));
    ch_cfg_default(&c);
    c.skew_bits[6] = CH_MAX_DELAY_BITS;
    assert_null(ch_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "skew_bits[6]"));
    ch_cfg_default(&c);
    c.ring.enable = 1;
    c.ring.fwhm_pm = 0;
    assert_null(ch_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "fwhm_pm"));
    ch_cfg_default(&c);
    c.ring.update_cycles = 0;
    assert_null(ch_new(&c, err, sizeof err));
    assert_non_null(strstr(err, "update_cycles"));
    assert_int_equal(ch_cfg_check(NULL, err, sizeof err), -1);
    ch_cfg_default(&c);
    ch_t *h = mk(&c);
    ch_lane_stats_t s;
    assert_int_equal(ch_lane_stats(h, 8, &s), -1);
    assert_int_equal(ch_inject_next(h, 8, 1), -1);
    ch_free(h);
    ch_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_vectors),
        cmocka_unit_test(test_rng_distributions),
        cmocka_unit_test(test_delay_and_skew),
        cmocka_unit_test(test_dark_and_lane_loss),
        cmocka_unit_test(test_ber_statistics),
        cmocka_unit_test(test_ber_checker_catches_wrong_rate),
        cmocka_unit_test(test_burst_statistics),
        cmocka_unit_test(test_lorentzian_shape),
        cmocka_unit_test(test_ber_vs_power),
        cmocka_unit_test(test_temperature_and_monitor),
        cmocka_unit_test(test_ring_tracking),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
