/*
 * fw_tune.c - microring tuning and tracking (docs/spec.md 10.6, 10.7).
 */
#include "fw_tune.h"

#include "fw_proto.h"
#include "mmio.h"

void fw_tune_cfg_default(struct fw_tune_cfg *cfg) {
    cfg->coarse_step = 32;
    cfg->dither = 16;
    cfg->fine_step = 4;
    cfg->deadband = 4;
    cfg->found_min = 512;
    cfg->big_diff = 32;
    cfg->dwell = 64;
    cfg->sample_gap = 16;
    cfg->track_period = 1024;
    cfg->samples = 4;
}

void fw_tune_init(struct fw_tune *t, unsigned nlanes) {
    struct fw_tune zero = {0};
    *t = zero;
    fw_tune_cfg_default(&t->cfg);
    if (nlanes < 1) nlanes = 1;
    if (nlanes > FW_LANES) nlanes = FW_LANES;
    t->nlanes = (uint8_t)nlanes;
}

static void write_heater(unsigned lane, uint16_t code) {
    fw_write32(OPTILE_CSR_LANE_HEATER_OFFSET(lane),
               OPTILE_CSR_FIELD_PREP(OPTILE_CSR_LANE_HEATER_CODE_MASK, code));
}

static uint32_t read_power(unsigned lane) {
    return OPTILE_CSR_FIELD_GET(OPTILE_CSR_LANE_RX_POWER_CODE_MASK,
                                fw_read32(OPTILE_CSR_LANE_RX_POWER_OFFSET(lane)));
}

static int lane_runs(const struct fw_lane *l) {
    return l->phase == FW_LANE_SWEEP || l->phase == FW_LANE_FINE || l->phase == FW_LANE_LOCKED;
}

static uint16_t clamp_code(int32_t c) {
    if (c < 0) return 0;
    if (c > (int32_t)FW_HEATER_MAX) return (uint16_t)FW_HEATER_MAX;
    return (uint16_t)c;
}

static void begin_sweep(struct fw_lane *l) {
    l->phase = FW_LANE_SWEEP;
    l->code = 0;
    l->best_code = 0;
    l->best_power = 0;
    l->in_target = 0;
    l->tries++;
}

static void begin_fine(struct fw_lane *l, uint16_t code) {
    l->phase = FW_LANE_FINE;
    l->code = code;
    l->rounds = 0;
    l->converged = 0;
    l->edge = 0;
    l->dark = 0;
}

static void fail_lane(struct fw_lane *l, uint8_t err) {
    l->phase = FW_LANE_FAILED;
    l->err = err;
    l->in_target = 0;
}

int fw_tune_start(struct fw_tune *t, unsigned lane, int fine) {
    if (lane >= t->nlanes) return -1;
    struct fw_lane *l = &t->lane[lane];
    l->err = 0;
    l->tries = 0;
    l->in_round = 0;
    if (fine) {
        begin_fine(l, l->code);
    } else {
        begin_sweep(l);
    }
    if (!t->running) {
        t->running = 1;
        t->measuring = 0;
    }
    if (!t->measuring) t->due = fw_now(); /* start the next round at once */
    return 0;
}

void fw_tune_halt(struct fw_tune *t) {
    t->running = 0;
    t->measuring = 0;
    for (unsigned i = 0; i < t->nlanes; i++) {
        struct fw_lane *l = &t->lane[i];
        l->in_round = 0;
        if (l->phase == FW_LANE_FINE || l->phase == FW_LANE_LOCKED) write_heater(i, l->code);
    }
}

void fw_tune_off(struct fw_tune *t) {
    fw_tune_halt(t);
    for (unsigned i = 0; i < t->nlanes; i++) t->lane[i].phase = FW_LANE_OFF;
}

uint32_t fw_tune_mask(const struct fw_tune *t, unsigned phase) {
    uint32_t m = 0;
    for (unsigned i = 0; i < t->nlanes; i++)
        if (t->lane[i].phase == phase) m |= 1u << i;
    return m;
}

uint32_t fw_tune_locked_mask(const struct fw_tune *t) {
    uint32_t m = 0;
    for (unsigned i = 0; i < t->nlanes; i++)
        if (t->lane[i].phase == FW_LANE_LOCKED && t->lane[i].in_target) m |= 1u << i;
    return m;
}

int fw_tune_busy(const struct fw_tune *t) {
    return (fw_tune_mask(t, FW_LANE_SWEEP) | fw_tune_mask(t, FW_LANE_FINE)) != 0;
}

/* Points A and B of the coming round (spec 10.7). */
static void plan_lane(const struct fw_tune *t, struct fw_lane *l) {
    if (l->phase == FW_LANE_SWEEP) {
        l->probe[0] = l->code;
        l->probe[1] = clamp_code((int32_t)l->code + t->cfg.coarse_step);
    } else {
        l->probe[0] = clamp_code((int32_t)l->code - t->cfg.dither);
        l->probe[1] = clamp_code((int32_t)l->code + t->cfg.dither);
    }
}

/* One sweep point. Returns 1 when the sweep is over (phase changed). */
static int sweep_point(const struct fw_tune *t, struct fw_lane *l, uint16_t code, uint16_t p) {
    l->power = p;
    if (p > l->best_power) {
        l->best_power = p;
        l->best_code = code;
    }
    int passed = l->best_power >= t->cfg.found_min && 2u * p < l->best_power;
    if (!passed && code < FW_HEATER_MAX) return 0;
    if (!passed && l->best_power < t->cfg.found_min) {
        /* the whole range without a resonance */
        if (l->tries < FW_SWEEP_TRIES) {
            begin_sweep(l);
        } else {
            fail_lane(l, FW_ST_NO_PEAK);
        }
        return 1;
    }
    if (l->best_code == 0 || l->best_code == FW_HEATER_MAX) {
        /* power still rising at a limit of the heater range */
        fail_lane(l, FW_ST_RANGE);
        return 1;
    }
    l->peak = l->best_power;
    begin_fine(l, l->best_code);
    return 1;
}

static void eval_sweep(const struct fw_tune *t, struct fw_lane *l) {
    if (sweep_point(t, l, l->probe[0], l->result[0])) return;
    if (l->probe[1] != l->probe[0] && sweep_point(t, l, l->probe[1], l->result[1])) return;
    l->code = clamp_code((int32_t)l->probe[1] + t->cfg.coarse_step);
}

static void eval_climb(struct fw_tune *t, struct fw_lane *l) {
    const struct fw_tune_cfg *c = &t->cfg;
    int32_t d = (int32_t)l->result[1] - (int32_t)l->result[0];
    uint16_t centre = (uint16_t)(((uint32_t)l->result[0] + l->result[1]) / 2u);
    l->power = centre;
    if (centre > l->peak) l->peak = centre;
    l->in_target = 8u * centre >= 7u * (uint32_t)l->peak;
    if (l->phase == FW_LANE_FINE) l->rounds++;

    if (2u * centre < c->found_min) {
        /* dark: no light, or no resonance nearby; hold */
        l->converged = 0;
        l->edge = 0;
        if (l->dark < 255) l->dark++;
        if (l->phase == FW_LANE_FINE && l->dark >= FW_DARK_ROUNDS) {
            if (l->tries < FW_SWEEP_TRIES) {
                begin_sweep(l);
            } else {
                fail_lane(l, FW_ST_NO_PEAK);
            }
        }
        return;
    }
    l->dark = 0;

    int dir = d > (int32_t)c->deadband ? 1 : d < -(int32_t)c->deadband ? -1 : 0;
    int32_t mag = d < 0 ? -d : d;
    int32_t step = mag >= (int32_t)c->big_diff ? c->fine_step : 1;
    if (dir == 0) {
        if (l->converged < 255) l->converged++;
    } else {
        l->converged = 0;
    }
    int at_edge = (dir < 0 && l->code == 0) || (dir > 0 && l->code == FW_HEATER_MAX);
    if (at_edge && !l->in_target) {
        if (++l->edge >= FW_RANGE_ROUNDS) {
            fail_lane(l, FW_ST_RANGE);
            return;
        }
    } else {
        l->edge = 0;
    }
    if (dir != 0) {
        uint16_t next = clamp_code((int32_t)l->code + dir * step);
        if (next != l->code) t->moves++;
        l->code = next;
    }
    if (l->phase == FW_LANE_FINE &&
        (l->converged >= FW_CONVERGE_ROUNDS || l->rounds >= FW_FINE_MAX_ROUNDS))
        l->phase = FW_LANE_LOCKED;
}

static void write_points(struct fw_tune *t, unsigned k) {
    for (unsigned i = 0; i < t->nlanes; i++) {
        t->acc[i] = 0;
        if (t->lane[i].in_round) write_heater(i, t->lane[i].probe[k]);
    }
    t->nsamp = 0;
    t->due = fw_now() + t->cfg.dwell;
}

static void finish_round(struct fw_tune *t) {
    for (unsigned i = 0; i < t->nlanes; i++) {
        struct fw_lane *l = &t->lane[i];
        if (!l->in_round) continue;
        l->in_round = 0;
        int climbing = l->phase == FW_LANE_FINE || l->phase == FW_LANE_LOCKED;
        if (climbing) {
            eval_climb(t, l);
        } else {
            eval_sweep(t, l);
        }
        /* back to the centre (also for a lane that failed while climbing) */
        if (climbing || l->phase == FW_LANE_FINE) write_heater(i, l->code);
    }
    t->rounds++;
    t->measuring = 0;
    t->due = fw_now() + (fw_tune_busy(t) ? 0u : t->cfg.track_period);
}

int fw_tune_step(struct fw_tune *t) {
    if (!t->running) return 0;
    if (!fw_time_reached(fw_now(), t->due)) return 0;
    if (!t->measuring) {
        int any = 0;
        for (unsigned i = 0; i < t->nlanes; i++) {
            struct fw_lane *l = &t->lane[i];
            l->in_round = (uint8_t)lane_runs(l);
            if (l->in_round) {
                plan_lane(t, l);
                any = 1;
            }
        }
        if (!any) {
            t->running = 0;
            return 0;
        }
        t->measuring = 1;
        t->point = 0;
        write_points(t, 0);
        return 0;
    }
    for (unsigned i = 0; i < t->nlanes; i++)
        if (t->lane[i].in_round) t->acc[i] += read_power(i);
    unsigned n = t->cfg.samples ? t->cfg.samples : 1u;
    if (++t->nsamp < n) {
        t->due = fw_now() + t->cfg.sample_gap; /* a fresh monitor sample */
        return 0;
    }
    for (unsigned i = 0; i < t->nlanes; i++)
        if (t->lane[i].in_round)
            t->lane[i].result[t->point] = (uint16_t)((t->acc[i] + n / 2u) / n);
    if (t->point == 0) {
        t->point = 1;
        write_points(t, 1);
        return 0;
    }
    finish_round(t);
    return 1;
}
