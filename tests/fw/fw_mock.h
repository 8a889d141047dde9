/*
 * fw_mock.h - a simulated tile behind the firmware's mmio.h, for the native
 * unit tests of the firmware logic (docs/spec.md 10.9).
 *
 * It implements fw_read32/fw_write32/fw_now over a register array with the
 * tile's semantics that the firmware relies on (intr_state W1C, mbox_cmd and
 * mbox_rsp writes raising their intr_state bits, read-only status), a toy
 * ring model per lane (rx_power = Lorentzian of heater code minus a drifting
 * resonance, plus uniform noise, seen `lag` cycles after a heater write) and
 * a toy PHY training state machine (spec 4.9: RESET, LASER_ON, RING_TUNE,
 * BLOCK_LOCK, DESKEW, ACTIVE; faults injected by the tests).
 *
 * Time: every register access costs 2 cycles, every fw_now() 1 cycle.
 * Firmware writes to offsets given to mock_watch() are checked with cmocka:
 * expect_value(mock_watched_write, off, ...), expect_value(mock_watched_write, val, ...).
 */
#ifndef OPTILE_TESTS_FW_MOCK_H
#define OPTILE_TESTS_FW_MOCK_H

#include <stdint.h>

#include "fw.h"

#define MOCK_REG_BYTES 0x800u
#define MOCK_LANES 8u

struct mock_lane {
    double res0;      /* resonance position at cycle 0, heater codes */
    double peak;      /* monitor code on resonance */
    int dark;         /* no light on this lane */
    uint32_t write_t; /* cycle of the last heater write */
    uint16_t prev;    /* heater code before it */
};

struct mock_tile {
    uint32_t regs[MOCK_REG_BYTES / 4];
    uint8_t watch[MOCK_REG_BYTES / 4];
    uint32_t now;
    /* ring model */
    struct mock_lane lane[MOCK_LANES];
    double drift; /* codes per cycle, every lane */
    double hwhm;  /* half width at half maximum, codes */
    int noise;    /* uniform +-noise codes on every reading */
    uint32_t lag; /* cycles before a heater write is seen by rx_power */
    uint32_t rng;
    /* PHY model */
    int phy;                /* training state, spec 4.9 encoding */
    uint32_t phy_t;         /* cycle the state was entered */
    uint32_t settle;        /* cycles in LASER_ON */
    uint32_t lock_cycles;   /* BLOCK_LOCK + DESKEW */
    double active_min;      /* DESKEW -> ACTIVE needs every masked lane above this fraction of peak */
    double retrain_below;   /* ACTIVE -> BLOCK_LOCK when a masked lane falls below this fraction */
    uint32_t link_downs;
    uint32_t phy_retrains;
    uint32_t retrain_pulses;
    uint32_t active_lanes_override; /* nonzero: reported active lanes in ACTIVE */
    /* statistics */
    uint32_t fw_writes;
    uint32_t heater_writes;
    uint32_t phy_ctrl_writes;
    uint32_t early_reads; /* rx_power reads less than `lag` cycles after a heater write */
};

extern struct mock_tile mock;

/* Fresh tile: reset values of the register map, 8 lanes, resonances at
 * 1600 codes, peak 3276, hwhm 200, noise 2, lag 24, no drift, PHY in RESET
 * with settle 100 and lock 2000 cycles. */
void mock_reset(uint32_t seed);

/* Register access by the "host" side (2 cycles each, never watched). */
uint32_t mock_host_read(uint32_t off);
void mock_host_write(uint32_t off, uint32_t v);

/* Writes a mailbox command as the host does (args, then mbox_cmd). */
void mock_host_cmd(uint8_t code, uint8_t seq, uint32_t arg0, uint32_t arg1);

/* Firmware writes to `off` are checked with cmocka from now on (watch = 1). */
void mock_watch(uint32_t off, int watch);

/* Called for every watched firmware write; checks the cmocka expectations. */
void mock_watched_write(uint32_t off, uint32_t val);

/* Resonance of `lane` now, in heater codes. */
double mock_resonance(unsigned lane);

/* Received power of `lane` at its current heater code, as a fraction of peak. */
double mock_power_frac(unsigned lane);

/* The heater code register of `lane`. */
uint16_t mock_heater(unsigned lane);

/* Forces the PHY into `state` (DOWN also counts a link-down event). */
void mock_phy_force(int state);

/* Lets `cycles` pass without firmware activity. */
void mock_advance(uint32_t cycles);

/* Runs fw_poll until pred(fw, ctx) holds (returns 1) or `max_cycles` have
 * passed (returns 0). pred may be NULL: run for max_cycles. */
int mock_run_until(struct fw *fw, int (*pred)(const struct fw *fw, void *ctx), void *ctx,
                   uint32_t max_cycles);

/* mock_run_until with a predicate "fw->state == state". */
int mock_run_to_state(struct fw *fw, uint8_t state, uint32_t max_cycles);

/* The host's side of one command (spec 10.1): writes it, runs the firmware
 * until mbox_rsp.seq == seq (at most 100000 cycles), reads the results,
 * acknowledges intr_state.mbox_rsp. Returns mbox_rsp, or UINT32_MAX when the
 * firmware did not answer. res0/res1 may be NULL. */
uint32_t mock_host_call(struct fw *fw, uint8_t code, uint8_t seq, uint32_t arg0, uint32_t arg1,
                        uint32_t *res0, uint32_t *res1);

/* mbox_rsp.state as the host would read it (no time passes). */
uint8_t mock_rsp_state(void);

#endif
