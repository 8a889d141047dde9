/*
 * fw_tune.h - microring tuning and tracking (docs/spec.md 10.6, 10.7).
 *
 * Every lane has a phase: OFF, SWEEP (coarse scan upwards from code 0),
 * FINE (dither hill-climb to the peak), LOCKED (the same climb, run every
 * track_period cycles to follow the drift) or FAILED. Lanes are measured in
 * lock step, two points per round. fw_tune_step never blocks: it does what
 * is due at the current cycle and returns.
 */
#ifndef OPTILE_FW_TUNE_H
#define OPTILE_FW_TUNE_H

#include <stdint.h>

#include "optile_csr.h"

/* Lanes the register map has, and the heater range 0..FW_HEATER_MAX. */
#define FW_LANES OPTILE_CSR_LANE_COUNT
#define FW_HEATER_MAX (OPTILE_CSR_LANE_HEATER_CODE_MASK >> OPTILE_CSR_LANE_HEATER_CODE_SHIFT)

/* Fixed rules of spec 10.6. */
#define FW_RANGE_ROUNDS 4u
#define FW_CONVERGE_ROUNDS 2u
#define FW_FINE_MAX_ROUNDS 256u
#define FW_DARK_ROUNDS 64u
#define FW_SWEEP_TRIES 3u

/* Lane phases (also reported by COUNTERS(LANE(i))). */
enum fw_lane_phase {
    FW_LANE_OFF = 0,
    FW_LANE_SWEEP = 1,
    FW_LANE_FINE = 2,
    FW_LANE_LOCKED = 3,
    FW_LANE_FAILED = 4,
};

/* Tunable parameters (SET_PARAM), defaults in fw_tune_cfg_default. */
struct fw_tune_cfg {
    uint16_t coarse_step;  /* sweep step, codes */
    uint16_t dither;       /* dither half-amplitude d, codes */
    uint16_t fine_step;    /* large climb step, codes */
    uint16_t deadband;     /* |D| <= deadband: converged, no move */
    uint16_t found_min;    /* least power code that counts as a resonance */
    uint16_t big_diff;     /* |D| >= big_diff: move fine_step, else 1 */
    uint32_t dwell;        /* cycles from the heater writes to the first sample */
    uint32_t sample_gap;   /* cycles between samples */
    uint32_t track_period; /* cycles between tracking rounds */
    uint8_t samples;       /* samples averaged per point, 1..16 */
};

/* One lane's tuner state. */
struct fw_lane {
    uint16_t code;       /* FINE/LOCKED: centre code; SWEEP: next point A */
    uint16_t peak;       /* reference peak power */
    uint16_t power;      /* last centre power (SWEEP: last point) */
    uint16_t best_code;  /* SWEEP: best point so far */
    uint16_t best_power;
    uint16_t rounds;     /* FINE rounds so far */
    uint16_t probe[2];   /* this round's points A, B */
    uint16_t result[2];  /* their powers */
    uint8_t phase;       /* enum fw_lane_phase */
    uint8_t err;         /* FW_ST_RANGE or FW_ST_NO_PEAK when FAILED */
    uint8_t tries;       /* sweeps started since the lane was (re)started */
    uint8_t converged;   /* consecutive rounds without a move */
    uint8_t edge;        /* consecutive rounds pushing past a limit, out of target */
    uint8_t dark;        /* consecutive dark rounds */
    uint8_t in_target;   /* last round: 8*power >= 7*peak */
    uint8_t in_round;    /* takes part in the round being measured */
};

/* The tuner. */
struct fw_tune {
    struct fw_tune_cfg cfg;
    struct fw_lane lane[FW_LANES];
    uint32_t acc[FW_LANES]; /* sample sums of the point being measured */
    uint32_t due;           /* cycle of the next action */
    uint32_t rounds;        /* rounds completed */
    uint32_t moves;         /* heater moves by FINE/LOCKED climbing */
    uint8_t nlanes;         /* lanes that exist, 1..FW_LANES */
    uint8_t running;        /* rounds are being run */
    uint8_t measuring;      /* a round is in progress */
    uint8_t point;          /* 0: measuring A, 1: measuring B */
    uint8_t nsamp;          /* samples taken of this point */
};

/* Fills *cfg with the defaults of spec 10.6. */
void fw_tune_cfg_default(struct fw_tune_cfg *cfg);

/* Resets the tuner for `nlanes` lanes (clamped to 1..FW_LANES): default
 * parameters, every lane OFF with code 0 and no peak, nothing running. */
void fw_tune_init(struct fw_tune *t, unsigned nlanes);

/* Starts lane `lane`: `fine` = 0 sweeps from code 0, else climbs from the
 * lane's current code (keeping its peak reference). The first round starts
 * at the next fw_tune_step unless one is being measured. Returns 0, or -1 if
 * the lane does not exist. */
int fw_tune_start(struct fw_tune *t, unsigned lane, int fine);

/* Stops running rounds (a round in progress is abandoned) and writes the
 * centre code of every FINE or LOCKED lane back to its heater. Phases are
 * kept (for reporting); fw_tune_start resumes. */
void fw_tune_halt(struct fw_tune *t);

/* fw_tune_halt, then every lane OFF (codes and peaks are kept). */
void fw_tune_off(struct fw_tune *t);

/* Does what is due now. Returns 1 when a round was completed by this call,
 * else 0. Reads time with fw_now(), registers with fw_read32/fw_write32. */
int fw_tune_step(struct fw_tune *t);

/* Mask of lanes whose phase is `phase`. */
uint32_t fw_tune_mask(const struct fw_tune *t, unsigned phase);

/* Mask of LOCKED lanes that were in target in their last round. */
uint32_t fw_tune_locked_mask(const struct fw_tune *t);

/* Nonzero while some lane is in SWEEP or FINE. */
int fw_tune_busy(const struct fw_tune *t);

#endif
