/*
 * channel.h - optical channel and microring macro model of one direction of
 * an optile link (docs/spec.md section 7).
 *
 * Per lane (wavelength): a delay line (fiber latency plus per-lane skew, in
 * bits), random bit errors at a bit error rate, burst errors, lane loss and
 * restore at chosen cycles, and a receive microring whose resonance drifts
 * with temperature and is pulled back by a heater code. The ring sets the
 * received power (a Lorentzian in detuning), the power sets the bit error
 * rate (Q-function of an SNR proportional to received power), and a 12-bit
 * power monitor code is returned for the firmware.
 *
 * Everything is deterministic for a given seed (xoshiro256** seeded through
 * splitmix64). Error positions are drawn by geometric skip-ahead, so a BER
 * of 1e-12 costs nothing per cycle. The step path performs no allocation.
 * A handle is not thread-safe; distinct handles are independent.
 */
#ifndef OPTILE_CHANNEL_H
#define OPTILE_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CH_MAX_LANES 8
#define CH_NEVER UINT64_MAX
#define CH_MAX_DELAY_BITS (1u << 20) /* latency*W + skew, per lane */

/** Microring and receiver parameters (spec 7.3); units in the names. */
typedef struct {
    int enable;                 /* 0: no ring, power is p_peak_mw, BER = ber only */
    double fwhm_pm;             /* Lorentzian full width at half maximum */
    double thermal_pm_per_k;    /* resonance shift per kelvin (red) */
    double heater_pm_per_code;  /* resonance shift per heater code (red) */
    double crosstalk;           /* fraction of a neighbour's heater shift seen */
    double fab_mean_pm;         /* mean detuning at heater 0, T0 (negative: ring blue of laser) */
    double fab_sigma_pm;        /* lane-to-lane spread of that detuning */
    double temp_drift_k_per_s;  /* deterministic temperature ramp */
    double temp_sine_k;         /* amplitude of a sinusoidal temperature swing */
    double temp_sine_period_s;  /* its period */
    double temp_noise_k;        /* stationary std. deviation of the Ornstein-Uhlenbeck noise */
    double temp_tau_s;          /* its correlation time */
    double p_peak_mw;           /* received power on resonance */
    double p_fullscale_mw;      /* power that reads as monitor code 4095 */
    double monitor_noise_codes; /* std. deviation of the monitor code noise */
    double q_peak;              /* receiver Q factor at p_peak_mw (BER = Q-function of Q) */
    unsigned update_cycles;     /* ring/temperature/BER update period, cycles */
    double cycle_s;             /* seconds per cycle (1e-9) */
} ch_ring_cfg_t;

/** Channel configuration (one direction, spec 7.1). */
typedef struct {
    unsigned lanes;                        /* 1..8 */
    unsigned lane_w;                       /* bits per lane per cycle, 8..64 */
    unsigned latency_cycles;               /* fiber latency, whole cycles */
    unsigned skew_bits[CH_MAX_LANES];      /* extra per-lane delay, bits */
    double ber;                            /* static random bit error rate, 0..0.5 */
    double burst_rate;                     /* probability per bit that a burst starts */
    double burst_len_mean;                 /* mean burst length, bits (geometric), >= 1 */
    double burst_flip;                     /* flip probability of a bit inside a burst */
    uint64_t loss_cycle[CH_MAX_LANES];     /* lane goes dark at this cycle (CH_NEVER) */
    uint64_t restore_cycle[CH_MAX_LANES];  /* and comes back at this one (CH_NEVER) */
    uint64_t seed;
    ch_ring_cfg_t ring;
} ch_cfg_t;

/** Fill `c` with the defaults of spec 7 (8 x 32, no errors, ring disabled). */
void ch_cfg_default(ch_cfg_t *c);

/** Check a configuration; 0 if valid, else -1 with a message naming the field. */
int ch_cfg_check(const ch_cfg_t *c, char *err, size_t errlen);

/** Per-lane statistics and the current physical state of the lane. */
typedef struct {
    uint64_t bits;           /* bits delivered */
    uint64_t errors;         /* bits flipped (random + burst) */
    uint64_t random_errors;  /* of which by the random BER process */
    uint64_t bursts;         /* bursts started */
    uint64_t burst_bits;     /* bits covered by bursts */
    uint64_t dark_bits;      /* bits delivered as 0 because dark (laser off or lane lost) */
    double ber;              /* current total random BER */
    double power_mw;         /* current received power */
    double detuning_pm;      /* ring resonance minus laser wavelength */
    double temperature_k;    /* temperature offset from T0 */
    double fab_offset_pm;    /* detuning at heater 0, T0 */
    uint16_t monitor_code;   /* last power monitor code */
} ch_lane_stats_t;

typedef struct ch ch_t;

/** Create a channel; NULL with a message in err on a bad configuration. */
ch_t *ch_new(const ch_cfg_t *cfg, char *err, size_t errlen);

/** Free (NULL ignored). */
void ch_free(ch_t *c);

/**
 * One cycle. `tx` holds the transmitted lane words (low W bits; NULL: all
 * 0), `laser_on` the transmitter's laser bits, `heater` the receiver's heater
 * codes (NULL: all 0). Writes the received words to `rx` and the monitor
 * codes to `monitor` (either may be NULL).
 */
void ch_step(ch_t *c, const uint64_t *tx, unsigned laser_on, const uint16_t *heater, uint64_t *rx,
             uint16_t *monitor);

/** Cycles stepped so far. */
uint64_t ch_cycle(const ch_t *c);

/** Statistics of lane `lane` (0 if lane is out of range: returns -1). */
int ch_lane_stats(const ch_t *c, unsigned lane, ch_lane_stats_t *st);

/** Change lane loss / restore cycles at run time. Returns -1 on a bad lane. */
int ch_set_loss(ch_t *c, unsigned lane, uint64_t loss_cycle, uint64_t restore_cycle);

/** Change the static BER at run time (0..0.5). Returns -1 if out of range. */
int ch_set_ber(ch_t *c, double ber);

/**
 * Directed error injection: XOR `mask` into the word lane `lane` delivers at
 * the next ch_step (whether lit or dark; counted in `errors`). Returns -1 on
 * a bad lane.
 */
int ch_inject_next(ch_t *c, unsigned lane, uint64_t mask);

/* ---- formulas of spec 7.3, exposed for tests and reports -------------------- */

/** Lorentzian drop transmission at detuning d (pm) for a given FWHM (pm). */
double ch_lorentzian(double detuning_pm, double fwhm_pm);

/** Bit error rate for a receiver Q factor: 0.5 * erfc(q / sqrt(2)). */
double ch_ber_from_q(double q);

/** Receiver Q factor at power p (mW) for the ring configuration. */
double ch_q_from_power(const ch_ring_cfg_t *r, double p_mw);

/* ---- the seeded PRNG, exposed for tests --------------------------------------- */

typedef struct {
    uint64_t s[4];
} ch_rng_t;

/**
 * splitmix64: advance *state and return its next 64 bits. Also the
 * harness's stateless hash of flit contents (a copy of the state).
 */
uint64_t ch_splitmix64(uint64_t *state);
/** Seed xoshiro256** through splitmix64. */
void ch_rng_seed(ch_rng_t *r, uint64_t seed);
/** Next 64 random bits. */
uint64_t ch_rng_next(ch_rng_t *r);
/** Uniform double in (0, 1]. */
double ch_rng_uniform(ch_rng_t *r);
/** Standard normal deviate. */
double ch_rng_normal(ch_rng_t *r);
/**
 * Number of failures before the first success of Bernoulli(p) trials, i.e.
 * the gap to the next event; p in (0,1]. Returns UINT64_MAX for p <= 0.
 */
uint64_t ch_rng_geometric(ch_rng_t *r, double p);

#ifdef __cplusplus
}
#endif

#endif /* OPTILE_CHANNEL_H */
