/*
 * fw_mock.c - a simulated tile behind mmio.h for the firmware's unit tests.
 * See fw_mock.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw_mock.h"
#include "mmio.h"

struct mock_tile mock;

static uint32_t *reg(uint32_t off) {
    assert_true(off < MOCK_REG_BYTES && (off & 3u) == 0);
    return &mock.regs[off / 4];
}

static uint32_t xorshift(void) {
    uint32_t x = mock.rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    mock.rng = x;
    return x;
}

void mock_reset(uint32_t seed) {
    memset(&mock, 0, sizeof mock);
    mock.rng = seed ? seed : 0x12345678u;
    *reg(OPTILE_CSR_ID_OFFSET) = OPTILE_CSR_ID_RESET;
    *reg(OPTILE_CSR_VERSION_OFFSET) = OPTILE_CSR_VERSION_RESET;
    *reg(OPTILE_CSR_TILE_CFG_OFFSET) = OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_LANES_MASK, 8) |
                                       OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_VCS_MASK, 2);
    *reg(OPTILE_CSR_PHY_CTRL_OFFSET) = OPTILE_CSR_PHY_CTRL_RESET;
    *reg(OPTILE_CSR_PHY_REPLAY_LIMIT_OFFSET) = OPTILE_CSR_PHY_REPLAY_LIMIT_RESET;
    for (unsigned i = 0; i < OPTILE_CSR_ROUTE_COUNT; i++) *reg(OPTILE_CSR_ROUTE_OFFSET(i)) = OPTILE_CSR_ROUTE_RESET;
    for (unsigned i = 0; i < MOCK_LANES; i++) {
        mock.lane[i].res0 = 1600.0;
        mock.lane[i].peak = 3276.0;
    }
    mock.hwhm = 200.0;
    mock.noise = 2;
    mock.lag = 24;
    mock.phy = FW_PHY_RESET;
    mock.settle = 100;
    mock.lock_cycles = 2000;
    mock.active_min = 0.5;
    mock.retrain_below = 0.3;
}

double mock_resonance(unsigned lane) {
    return mock.lane[lane].res0 + mock.drift * (double)mock.now;
}

uint16_t mock_heater(unsigned lane) {
    return (uint16_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_LANE_HEATER_CODE_MASK,
                                          mock.regs[OPTILE_CSR_LANE_HEATER_OFFSET(lane) / 4]);
}

static double frac_at(unsigned lane, double code) {
    if (mock.lane[lane].dark) return 0.0;
    double x = (code - mock_resonance(lane)) / mock.hwhm;
    return 1.0 / (1.0 + x * x);
}

double mock_power_frac(unsigned lane) {
    return frac_at(lane, mock_heater(lane));
}

static uint32_t rx_power(unsigned lane) {
    const struct mock_lane *l = &mock.lane[lane];
    int early = mock.now - l->write_t < mock.lag;
    if (early) mock.early_reads++;
    double code = early ? l->prev : mock_heater(lane);
    double p = l->peak * frac_at(lane, code);
    int32_t v = (int32_t)(p + 0.5);
    if (mock.noise) v += (int32_t)(xorshift() % (2u * (uint32_t)mock.noise + 1u)) - mock.noise;
    if (v < 0) v = 0;
    if (v > 4095) v = 4095;
    return (uint32_t)v;
}

static uint32_t lane_mask(void) {
    return OPTILE_CSR_FIELD_GET(OPTILE_CSR_PHY_CTRL_LANE_MASK_MASK, *reg(OPTILE_CSR_PHY_CTRL_OFFSET));
}

static int lanes_above(double frac) {
    for (unsigned i = 0; i < MOCK_LANES; i++)
        if ((lane_mask() >> i & 1u) && mock_power_frac(i) < frac) return 0;
    return 1;
}

static void phy_enter(int state) {
    mock.phy = state;
    mock.phy_t = mock.now;
}

/* The toy PHY of spec 4.9, advanced lazily on every access. */
static void phy_update(void) {
    uint32_t ctrl = *reg(OPTILE_CSR_PHY_CTRL_OFFSET);
    if (!(ctrl & OPTILE_CSR_PHY_CTRL_ENABLE_MASK)) {
        if (mock.phy != FW_PHY_RESET) phy_enter(FW_PHY_RESET);
        return;
    }
    uint32_t in = mock.now - mock.phy_t;
    switch (mock.phy) {
    case FW_PHY_RESET:
        phy_enter(FW_PHY_LASER_ON);
        break;
    case FW_PHY_LASER_ON:
        if (in >= mock.settle) phy_enter(FW_PHY_RING_TUNE);
        break;
    case FW_PHY_RING_TUNE:
        if (ctrl & OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK) phy_enter(FW_PHY_BLOCK_LOCK);
        break;
    case FW_PHY_BLOCK_LOCK:
        if (in >= mock.lock_cycles / 2) phy_enter(FW_PHY_DESKEW);
        break;
    case FW_PHY_DESKEW:
        if (in >= mock.lock_cycles / 2 && lanes_above(mock.active_min)) phy_enter(FW_PHY_ACTIVE);
        break;
    case FW_PHY_ACTIVE:
        if (!lanes_above(mock.retrain_below)) {
            mock.phy_retrains++;
            phy_enter(FW_PHY_BLOCK_LOCK);
        }
        break;
    default: /* IDLE, DOWN: until forced or disabled */
        break;
    }
}

void mock_phy_force(int state) {
    if (state == FW_PHY_DOWN) mock.link_downs++;
    phy_enter(state);
}

void mock_advance(uint32_t cycles) {
    mock.now += cycles;
}

static uint32_t tile_read(uint32_t off) {
    mock.now += 2;
    phy_update();
    if (off == OPTILE_CSR_PHY_STATUS_OFFSET) {
        uint32_t active = mock.phy == FW_PHY_ACTIVE
                              ? (mock.active_lanes_override ? mock.active_lanes_override : lane_mask())
                              : 0;
        return OPTILE_CSR_FIELD_PREP(OPTILE_CSR_PHY_STATUS_TRAIN_STATE_MASK, (uint32_t)mock.phy) |
               OPTILE_CSR_FIELD_PREP(OPTILE_CSR_PHY_STATUS_LINK_UP_MASK, mock.phy == FW_PHY_ACTIVE) |
               OPTILE_CSR_FIELD_PREP(OPTILE_CSR_PHY_STATUS_ACTIVE_LANES_MASK, active);
    }
    if (off == OPTILE_CSR_PHY_LINK_DOWNS_OFFSET) return mock.link_downs;
    for (unsigned i = 0; i < MOCK_LANES; i++)
        if (off == OPTILE_CSR_LANE_RX_POWER_OFFSET(i)) return rx_power(i);
    return *reg(off);
}

static void tile_write(uint32_t off, uint32_t v) {
    mock.now += 2;
    phy_update();
    switch (off) {
    case OPTILE_CSR_ID_OFFSET:
    case OPTILE_CSR_VERSION_OFFSET:
    case OPTILE_CSR_TILE_CFG_OFFSET:
    case OPTILE_CSR_PHY_STATUS_OFFSET:
    case OPTILE_CSR_PHY_LINK_DOWNS_OFFSET:
        return; /* read-only */
    case OPTILE_CSR_INTR_STATE_OFFSET:
        *reg(off) &= ~v;
        return;
    case OPTILE_CSR_INTR_TEST_OFFSET:
        *reg(OPTILE_CSR_INTR_STATE_OFFSET) |= v;
        return;
    case OPTILE_CSR_MBOX_CMD_OFFSET:
        *reg(off) = v & (OPTILE_CSR_MBOX_CMD_CODE_MASK | OPTILE_CSR_MBOX_CMD_SEQ_MASK);
        *reg(OPTILE_CSR_INTR_STATE_OFFSET) |= OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK;
        return;
    case OPTILE_CSR_MBOX_RSP_OFFSET:
        *reg(off) = v & (OPTILE_CSR_MBOX_RSP_STATUS_MASK | OPTILE_CSR_MBOX_RSP_SEQ_MASK |
                         OPTILE_CSR_MBOX_RSP_STATE_MASK);
        *reg(OPTILE_CSR_INTR_STATE_OFFSET) |= OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK;
        return;
    case OPTILE_CSR_PHY_CTRL_OFFSET:
        mock.phy_ctrl_writes++;
        if ((v & OPTILE_CSR_PHY_CTRL_RETRAIN_MASK) && mock.phy == FW_PHY_ACTIVE) {
            mock.retrain_pulses++;
            mock.active_lanes_override = 0;
            phy_enter(FW_PHY_BLOCK_LOCK);
        }
        *reg(off) = v & ~OPTILE_CSR_PHY_CTRL_RETRAIN_MASK;
        phy_update();
        return;
    default:
        break;
    }
    for (unsigned i = 0; i < MOCK_LANES; i++) {
        if (off == OPTILE_CSR_LANE_HEATER_OFFSET(i)) {
            mock.heater_writes++;
            mock.lane[i].prev = mock_heater(i);
            mock.lane[i].write_t = mock.now;
            *reg(off) = v & OPTILE_CSR_LANE_HEATER_CODE_MASK;
            return;
        }
        if (off == OPTILE_CSR_LANE_RX_POWER_OFFSET(i)) return; /* read-only */
    }
    *reg(off) = v;
}

uint32_t mock_host_read(uint32_t off) {
    return tile_read(off);
}

void mock_host_write(uint32_t off, uint32_t v) {
    tile_write(off, v);
}

void mock_host_cmd(uint8_t code, uint8_t seq, uint32_t arg0, uint32_t arg1) {
    mock_host_write(OPTILE_CSR_MBOX_ARG0_OFFSET, arg0);
    mock_host_write(OPTILE_CSR_MBOX_ARG1_OFFSET, arg1);
    mock_host_write(OPTILE_CSR_MBOX_CMD_OFFSET,
                    OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_CODE_MASK, code) |
                        OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_SEQ_MASK, seq));
}

void mock_watch(uint32_t off, int watch) {
    (void)reg(off); /* bounds check */
    mock.watch[off / 4] = (uint8_t)(watch != 0);
}

void mock_watched_write(uint32_t off, uint32_t val) {
    check_expected(off);
    check_expected(val);
}

/* ---- mmio.h ------------------------------------------------------------------------ */

uint32_t fw_read32(uint32_t off) {
    return tile_read(off);
}

void fw_write32(uint32_t off, uint32_t v) {
    mock.fw_writes++;
    if (mock.watch[off / 4]) mock_watched_write(off, v);
    tile_write(off, v);
}

uint32_t fw_now(void) {
    return ++mock.now;
}

/* ---- running ------------------------------------------------------------------------- */

int mock_run_until(struct fw *fw, int (*pred)(const struct fw *fw, void *ctx), void *ctx,
                   uint32_t max_cycles) {
    uint32_t end = mock.now + max_cycles;
    while ((int32_t)(mock.now - end) < 0) {
        if (pred && pred(fw, ctx)) return 1;
        fw_poll(fw);
    }
    return pred ? pred(fw, ctx) : 1;
}

static int state_is(const struct fw *fw, void *ctx) {
    return fw->state == *(const uint8_t *)ctx;
}

int mock_run_to_state(struct fw *fw, uint8_t state, uint32_t max_cycles) {
    return mock_run_until(fw, state_is, &state, max_cycles);
}

uint32_t mock_host_call(struct fw *fw, uint8_t code, uint8_t seq, uint32_t arg0, uint32_t arg1,
                        uint32_t *res0, uint32_t *res1) {
    mock_host_cmd(code, seq, arg0, arg1);
    uint32_t end = mock.now + 100000u;
    while ((int32_t)(mock.now - end) < 0) {
        fw_poll(fw);
        uint32_t rsp = mock_host_read(OPTILE_CSR_MBOX_RSP_OFFSET);
        if (OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_SEQ_MASK, rsp) == seq) {
            if (res0) *res0 = mock_host_read(OPTILE_CSR_MBOX_RES0_OFFSET);
            if (res1) *res1 = mock_host_read(OPTILE_CSR_MBOX_RES1_OFFSET);
            mock_host_write(OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
            return rsp;
        }
    }
    return UINT32_MAX;
}

uint8_t mock_rsp_state(void) {
    return (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATE_MASK,
                                         mock.regs[OPTILE_CSR_MBOX_RSP_OFFSET / 4]);
}
