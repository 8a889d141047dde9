/*
 * channel.c - optical channel and microring macro model (spec section 7).
 */
#include "channel/channel.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- PRNG: splitmix64 seeding, xoshiro256** generator ------------------------ */

uint64_t ch_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void ch_rng_seed(ch_rng_t *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = ch_splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t ch_rng_next(ch_rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

double ch_rng_uniform(ch_rng_t *r)
{
    /* 53 random bits, shifted into (0, 1] */
    return ((double)(ch_rng_next(r) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
}

double ch_rng_normal(ch_rng_t *r)
{
    double u1 = ch_rng_uniform(r), u2 = ch_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

uint64_t ch_rng_geometric(ch_rng_t *r, double p)
{
    if (!(p > 0.0))
        return UINT64_MAX;
    if (p >= 1.0)
        return 0;
    double g = floor(log(ch_rng_uniform(r)) / log1p(-p));
    if (!(g < 1.8e19))
        return UINT64_MAX;
    return (uint64_t)g;
}

/* ---- formulas ------------------------------------------------------------------ */

double ch_lorentzian(double d, double fwhm)
{
    double x = 2.0 * d / fwhm;
    return 1.0 / (1.0 + x * x);
}

double ch_ber_from_q(double q) { return 0.5 * erfc(q / sqrt(2.0)); }

double ch_q_from_power(const ch_ring_cfg_t *r, double p) { return p > 0 ? r->q_peak * p / r->p_peak_mw : 0.0; }

/* ---- model ---------------------------------------------------------------------- */

typedef struct {
    uint64_t *ring;   /* delayed input words */
    uint8_t *lit;     /* laser flag of each word */
    unsigned q, r;    /* delay = q*W + r bits */
    uint64_t pos;     /* output bits so far */
    uint64_t next_err, next_burst, burst_end;
    double ber;       /* total random BER */
    double ber_ring;  /* the ring/receiver part of it */
    double fab;
    double power, detune;
    uint16_t code;
    uint64_t inject; /* directed error mask for the next word */
    ch_lane_stats_t st;
} lane_t;

struct ch {
    ch_cfg_t cfg;
    ch_rng_t rng;      /* errors */
    ch_rng_t trng;     /* temperature and monitor noise */
    unsigned size;     /* ring size, power of two */
    uint64_t cycle;
    double temp_ou;
    double temp;
    lane_t lane[CH_MAX_LANES];
};

static void set_err(char *err, size_t len, const char *fmt, ...)
{
    if (!err || !len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

void ch_cfg_default(ch_cfg_t *c)
{
    memset(c, 0, sizeof *c);
    c->lanes = 8;
    c->lane_w = 32;
    c->latency_cycles = 10;
    c->ber = 0;
    c->burst_rate = 0;
    c->burst_len_mean = 32;
    c->burst_flip = 0.5;
    for (unsigned i = 0; i < CH_MAX_LANES; i++)
        c->loss_cycle[i] = c->restore_cycle[i] = CH_NEVER;
    c->seed = 1;
    ch_ring_cfg_t *r = &c->ring;
    r->enable = 0;
    r->fwhm_pm = 100.0;
    r->thermal_pm_per_k = 80.0;
    r->heater_pm_per_code = 0.25;
    r->crosstalk = 0.0;
    r->fab_mean_pm = -400.0;
    r->fab_sigma_pm = 100.0;
    r->temp_drift_k_per_s = 200.0;
    r->temp_sine_k = 0.0;
    r->temp_sine_period_s = 1e-3;
    r->temp_noise_k = 0.01;
    r->temp_tau_s = 10e-6;
    r->p_peak_mw = 0.1;
    r->p_fullscale_mw = 0.125;
    r->monitor_noise_codes = 2.0;
    r->q_peak = 7.94;
    r->update_cycles = 16;
    r->cycle_s = 1e-9;
}

#define CHECK(cond, ...)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            set_err(err, n, __VA_ARGS__);                                                                    \
            return -1;                                                                                       \
        }                                                                                                    \
    } while (0)

int ch_cfg_check(const ch_cfg_t *c, char *err, size_t n)
{
    CHECK(c, "ch_cfg: NULL configuration");
    CHECK(c->lanes >= 1 && c->lanes <= CH_MAX_LANES, "ch_cfg.lanes = %u: must be 1..%d", c->lanes, CH_MAX_LANES);
    CHECK(c->lane_w >= 8 && c->lane_w <= 64, "ch_cfg.lane_w = %u: must be 8..64", c->lane_w);
    for (unsigned i = 0; i < c->lanes; i++) {
        uint64_t d = (uint64_t)c->latency_cycles * c->lane_w + c->skew_bits[i];
        CHECK(d <= CH_MAX_DELAY_BITS, "ch_cfg: lane %u delay %llu bits (latency_cycles*lane_w + skew_bits[%u]) exceeds %u",
              i, (unsigned long long)d, i, CH_MAX_DELAY_BITS);
    }
    CHECK(c->ber >= 0.0 && c->ber <= 0.5, "ch_cfg.ber = %g: must be 0..0.5", c->ber);
    CHECK(c->burst_rate >= 0.0 && c->burst_rate <= 0.5, "ch_cfg.burst_rate = %g: must be 0..0.5", c->burst_rate);
    CHECK(c->burst_len_mean >= 1.0, "ch_cfg.burst_len_mean = %g: must be >= 1", c->burst_len_mean);
    CHECK(c->burst_flip >= 0.0 && c->burst_flip <= 1.0, "ch_cfg.burst_flip = %g: must be 0..1", c->burst_flip);
    const ch_ring_cfg_t *r = &c->ring;
    CHECK(r->update_cycles >= 1, "ch_cfg.ring.update_cycles = %u: must be >= 1", r->update_cycles);
    CHECK(r->cycle_s > 0, "ch_cfg.ring.cycle_s = %g: must be > 0", r->cycle_s);
    CHECK(r->p_fullscale_mw > 0, "ch_cfg.ring.p_fullscale_mw = %g: must be > 0", r->p_fullscale_mw);
    CHECK(r->p_peak_mw > 0, "ch_cfg.ring.p_peak_mw = %g: must be > 0", r->p_peak_mw);
    if (r->enable) {
        CHECK(r->fwhm_pm > 0, "ch_cfg.ring.fwhm_pm = %g: must be > 0", r->fwhm_pm);
        CHECK(r->heater_pm_per_code >= 0, "ch_cfg.ring.heater_pm_per_code = %g: must be >= 0", r->heater_pm_per_code);
        CHECK(r->crosstalk >= 0 && r->crosstalk < 1, "ch_cfg.ring.crosstalk = %g: must be 0..1", r->crosstalk);
        CHECK(r->fab_sigma_pm >= 0, "ch_cfg.ring.fab_sigma_pm = %g: must be >= 0", r->fab_sigma_pm);
        CHECK(r->temp_noise_k >= 0, "ch_cfg.ring.temp_noise_k = %g: must be >= 0", r->temp_noise_k);
        CHECK(r->temp_tau_s > 0, "ch_cfg.ring.temp_tau_s = %g: must be > 0", r->temp_tau_s);
        CHECK(r->temp_sine_period_s > 0, "ch_cfg.ring.temp_sine_period_s = %g: must be > 0", r->temp_sine_period_s);
        CHECK(r->p_peak_mw > 0, "ch_cfg.ring.p_peak_mw = %g: must be > 0", r->p_peak_mw);
        CHECK(r->p_fullscale_mw > 0, "ch_cfg.ring.p_fullscale_mw = %g: must be > 0", r->p_fullscale_mw);
        CHECK(r->monitor_noise_codes >= 0, "ch_cfg.ring.monitor_noise_codes = %g: must be >= 0",
              r->monitor_noise_codes);
        CHECK(r->q_peak > 0, "ch_cfg.ring.q_peak = %g: must be > 0", r->q_peak);
    }
    return 0;
}

static void redraw_errors(ch_t *c, lane_t *ln)
{
    uint64_t g = ch_rng_geometric(&c->rng, ln->ber);
    ln->next_err = g == UINT64_MAX || ln->pos > UINT64_MAX - 1 - g ? UINT64_MAX : ln->pos + g;
}

static void ring_update(ch_t *c, unsigned laser_on, const uint16_t *heater, int first)
{
    const ch_ring_cfg_t *r = &c->cfg.ring;
    double dt = (double)r->update_cycles * r->cycle_s;
    double t = (double)c->cycle * r->cycle_s;
    if (r->enable) {
        if (!first) {
            double a = exp(-dt / r->temp_tau_s);
            c->temp_ou = c->temp_ou * a + r->temp_noise_k * sqrt(1.0 - a * a) * ch_rng_normal(&c->trng);
        }
        c->temp = r->temp_drift_k_per_s * t + r->temp_sine_k * sin(6.283185307179586 * t / r->temp_sine_period_s) +
                  c->temp_ou;
    }
    for (unsigned i = 0; i < c->cfg.lanes; i++) {
        lane_t *ln = &c->lane[i];
        int lost = c->cycle >= c->cfg.loss_cycle[i] && c->cycle < c->cfg.restore_cycle[i];
        int lit = (laser_on >> i & 1u) && !lost;
        double ber;
        if (r->enable) {
            double h = heater ? heater[i] : 0;
            if (r->crosstalk > 0 && heater) {
                if (i > 0)
                    h += r->crosstalk * heater[i - 1];
                if (i + 1 < c->cfg.lanes)
                    h += r->crosstalk * heater[i + 1];
            }
            ln->detune = ln->fab + r->thermal_pm_per_k * c->temp + r->heater_pm_per_code * h;
            ln->power = lit ? r->p_peak_mw * ch_lorentzian(ln->detune, r->fwhm_pm) : 0.0;
            ln->ber_ring = ch_ber_from_q(ch_q_from_power(r, ln->power));
            ber = c->cfg.ber + ln->ber_ring;
            double code = ln->power / r->p_fullscale_mw * 4095.0;
            if (r->monitor_noise_codes > 0)
                code += r->monitor_noise_codes * ch_rng_normal(&c->trng);
            code = floor(code + 0.5);
            ln->code = (uint16_t)(code < 0 ? 0 : code > 4095 ? 4095 : code);
        } else {
            ln->power = lit ? r->p_peak_mw : 0.0;
            ln->detune = 0;
            ln->ber_ring = 0;
            ber = c->cfg.ber;
            double code = floor(ln->power / r->p_fullscale_mw * 4095.0 + 0.5);
            ln->code = (uint16_t)(code > 4095 ? 4095 : code);
        }
        if (ber > 0.5)
            ber = 0.5;
        if (ber != ln->ber || first) {
            ln->ber = ber;
            redraw_errors(c, ln); /* memoryless: redrawing from here is exact */
        }
    }
}

ch_t *ch_new(const ch_cfg_t *cfg, char *err, size_t errlen)
{
    if (ch_cfg_check(cfg, err, errlen))
        return NULL;
    ch_t *c = calloc(1, sizeof *c);
    if (!c) {
        set_err(err, errlen, "ch_new: out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    unsigned maxq = 0;
    for (unsigned i = 0; i < cfg->lanes; i++) {
        uint64_t d = (uint64_t)cfg->latency_cycles * cfg->lane_w + cfg->skew_bits[i];
        c->lane[i].q = (unsigned)(d / cfg->lane_w);
        c->lane[i].r = (unsigned)(d % cfg->lane_w);
        if (c->lane[i].q > maxq)
            maxq = c->lane[i].q;
    }
    c->size = 4;
    while (c->size < maxq + 2)
        c->size <<= 1;
    for (unsigned i = 0; i < cfg->lanes; i++) {
        c->lane[i].ring = calloc(c->size, sizeof(uint64_t));
        c->lane[i].lit = calloc(c->size, 1);
        if (!c->lane[i].ring || !c->lane[i].lit) {
            ch_free(c);
            set_err(err, errlen, "ch_new: out of memory");
            return NULL;
        }
    }
    ch_rng_seed(&c->rng, cfg->seed);
    ch_rng_seed(&c->trng, cfg->seed ^ 0x5DEECE66Dull);
    for (unsigned i = 0; i < cfg->lanes; i++) {
        lane_t *ln = &c->lane[i];
        ln->fab = cfg->ring.fab_mean_pm + cfg->ring.fab_sigma_pm * ch_rng_normal(&c->trng);
        uint64_t g = ch_rng_geometric(&c->rng, cfg->burst_rate);
        ln->next_burst = g;
        ln->burst_end = 0;
    }
    ring_update(c, 0, NULL, 1);
    return c;
}

void ch_free(ch_t *c)
{
    if (!c)
        return;
    for (unsigned i = 0; i < CH_MAX_LANES; i++) {
        free(c->lane[i].ring);
        free(c->lane[i].lit);
    }
    free(c);
}

uint64_t ch_cycle(const ch_t *c) { return c->cycle; }

int ch_set_loss(ch_t *c, unsigned lane, uint64_t loss, uint64_t restore)
{
    if (lane >= c->cfg.lanes)
        return -1;
    c->cfg.loss_cycle[lane] = loss;
    c->cfg.restore_cycle[lane] = restore;
    return 0;
}

int ch_set_ber(ch_t *c, double ber)
{
    if (!(ber >= 0.0 && ber <= 0.5))
        return -1;
    c->cfg.ber = ber;
    for (unsigned i = 0; i < c->cfg.lanes; i++) { /* effective from the next bit */
        lane_t *ln = &c->lane[i];
        double b = ber + ln->ber_ring;
        ln->ber = b > 0.5 ? 0.5 : b;
        redraw_errors(c, ln);
    }
    return 0;
}

int ch_inject_next(ch_t *c, unsigned lane, uint64_t mask)
{
    if (lane >= c->cfg.lanes)
        return -1;
    c->lane[lane].inject ^= mask;
    return 0;
}

int ch_lane_stats(const ch_t *c, unsigned lane, ch_lane_stats_t *st)
{
    if (lane >= c->cfg.lanes) {
        memset(st, 0, sizeof *st);
        return -1;
    }
    const lane_t *ln = &c->lane[lane];
    *st = ln->st;
    st->ber = ln->ber;
    st->power_mw = ln->power;
    st->detuning_pm = ln->detune;
    st->temperature_k = c->temp;
    st->fab_offset_pm = ln->fab;
    st->monitor_code = ln->code;
    return 0;
}

/* flip the bits of the word [pos, pos+W) hit by the error processes */
static uint64_t inject(ch_t *c, lane_t *ln, uint64_t w, unsigned W)
{
    uint64_t end = ln->pos + W;
    /* events that fell into a dark stretch did not happen; memorylessness
     * makes drawing again from here exact */
    if (ln->next_err < ln->pos)
        redraw_errors(c, ln);
    if (c->cfg.burst_rate > 0 && ln->burst_end <= ln->pos && ln->next_burst < ln->pos) {
        uint64_t g = ch_rng_geometric(&c->rng, c->cfg.burst_rate);
        ln->next_burst = g == UINT64_MAX ? UINT64_MAX : ln->pos + g;
    }
    while (ln->next_err < end) {
        w ^= 1ull << (ln->next_err - ln->pos);
        ln->st.errors++;
        ln->st.random_errors++;
        uint64_t g = ch_rng_geometric(&c->rng, ln->ber);
        ln->next_err = g == UINT64_MAX || ln->next_err > UINT64_MAX - 2 - g ? UINT64_MAX : ln->next_err + 1 + g;
    }
    if (c->cfg.burst_rate <= 0)
        return w;
    for (;;) {
        if (ln->burst_end <= ln->pos) { /* not in a burst: maybe one starts in this word */
            if (ln->next_burst >= end)
                break;
            uint64_t len = 1 + ch_rng_geometric(&c->rng, 1.0 / c->cfg.burst_len_mean);
            ln->burst_end = ln->next_burst + len;
            ln->st.bursts++;
            ln->st.burst_bits += len;
        }
        uint64_t s = ln->next_burst > ln->pos ? ln->next_burst : ln->pos;
        uint64_t e = ln->burst_end < end ? ln->burst_end : end;
        for (uint64_t b = s; b < e; b++) {
            int flip = c->cfg.burst_flip >= 1.0 || ch_rng_uniform(&c->rng) <= c->cfg.burst_flip;
            if (flip) {
                w ^= 1ull << (b - ln->pos);
                ln->st.errors++;
            }
        }
        if (ln->burst_end > end)
            break; /* burst continues into the next word */
        uint64_t g = ch_rng_geometric(&c->rng, c->cfg.burst_rate);
        ln->next_burst = g == UINT64_MAX ? UINT64_MAX : ln->burst_end + g;
        ln->burst_end = 0;
        if (ln->next_burst >= end)
            break;
    }
    return w;
}

void ch_step(ch_t *c, const uint64_t *tx, unsigned laser_on, const uint16_t *heater, uint64_t *rx, uint16_t *monitor)
{
    unsigned W = c->cfg.lane_w;
    uint64_t mask = W == 64 ? ~0ull : (1ull << W) - 1u;
    unsigned sm = c->size - 1;
    uint64_t t = c->cycle;
    uint64_t word[CH_MAX_LANES] = {0};
    unsigned arriving = 0; /* lanes whose arriving word carries light */
    for (unsigned i = 0; i < c->cfg.lanes; i++) {
        lane_t *ln = &c->lane[i];
        int on = laser_on >> i & 1u;
        ln->ring[t & sm] = on && tx ? tx[i] & mask : 0;
        ln->lit[t & sm] = (uint8_t)on;
        int lost = t >= c->cfg.loss_cycle[i] && t < c->cfg.restore_cycle[i];
        uint64_t w = 0;
        int lit = 0;
        if (!lost && t >= ln->q) {
            uint64_t a = t - ln->q;
            w = ln->ring[a & sm];
            lit = ln->lit[a & sm];
            if (ln->r) {
                uint64_t prev = a >= 1 ? ln->ring[(a - 1) & sm] : 0;
                int plit = a >= 1 ? ln->lit[(a - 1) & sm] : 0;
                w = ((w << ln->r) | (prev >> (W - ln->r))) & mask;
                lit |= plit;
            }
        }
        word[i] = w;
        arriving |= (unsigned)lit << i;
    }
    if (t % c->cfg.ring.update_cycles == 0)
        ring_update(c, arriving, heater, 0);
    for (unsigned i = 0; i < c->cfg.lanes; i++) {
        lane_t *ln = &c->lane[i];
        uint64_t w = word[i];
        if (arriving >> i & 1u)
            w = inject(c, ln, w, W);
        else
            ln->st.dark_bits += W;
        if (ln->inject) {
            uint64_t m = ln->inject & mask;
            w ^= m;
            ln->st.errors += (uint64_t)__builtin_popcountll(m);
            ln->inject = 0;
        }
        ln->pos += W;
        ln->st.bits += W;
        if (rx)
            rx[i] = w;
        if (monitor)
            monitor[i] = ln->code;
    }
    c->cycle++;
}
