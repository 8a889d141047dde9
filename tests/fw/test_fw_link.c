/*
 * test_fw_link.c - link bring-up, tracking and fault handling of the
 * firmware (docs/spec.md 10.7, 10.8) against the simulated tile: the
 * register writes that matter are checked by their generated names, the
 * reported states through mbox_rsp as the host sees them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "fw.h"
#include "fw_mock.h"

static struct fw fw;
static uint8_t seq;

#define PHY_CTRL_DEFAULT                                                                             \
    (OPTILE_CSR_FIELD_PREP(OPTILE_CSR_PHY_CTRL_LANE_MASK_MASK, 0xFF) |                               \
     OPTILE_CSR_FIELD_PREP(OPTILE_CSR_PHY_CTRL_MARKER_PERIOD_MASK, OPTILE_CSR_PHY_CTRL_MARKER_PERIOD_RESET))

static uint32_t call(uint8_t code, uint32_t arg0, uint32_t arg1, uint32_t *res0, uint32_t *res1) {
    if (++seq == 0) seq = 1;
    uint32_t rsp = mock_host_call(&fw, code, seq, arg0, arg1, res0, res1);
    assert_int_not_equal(rsp, UINT32_MAX);
    return rsp;
}

static uint8_t rsp_status(uint32_t rsp) {
    return (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATUS_MASK, rsp);
}

static void boot(uint32_t seed) {
    mock_reset(seed);
    seq = 0;
    fw_init(&fw);
    assert_int_equal(mock_rsp_state(), FW_STATE_READY);
}

/* Runs the firmware and records every distinct state the host could read. */
static unsigned run_recording(uint8_t until, uint8_t *seen, unsigned max_seen, uint32_t max_cycles) {
    unsigned n = 0;
    uint8_t last = 0xFF;
    uint32_t end = mock.now + max_cycles;
    while ((int32_t)(mock.now - end) < 0) {
        fw_poll(&fw);
        uint8_t s = mock_rsp_state();
        if (s != last && n < max_seen) seen[n++] = s;
        last = s;
        if (s == until) break;
    }
    return n;
}

static void link_up_to_tracking(void) {
    uint32_t rsp = call(FW_CMD_LINK_UP, 0, 0, NULL, NULL);
    assert_int_equal(rsp_status(rsp), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
}

static void test_bringup_sequence(void **state) {
    (void)state;
    boot(1);
    static const double res[8] = {350, 900, 1400, 1650, 1900, 2400, 3100, 3700};
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 = res[i];

    /* phy_ctrl: enable with the lane mask, later rings_locked; nothing else */
    mock_watch(OPTILE_CSR_PHY_CTRL_OFFSET, 1);
    expect_value(mock_watched_write, off, OPTILE_CSR_PHY_CTRL_OFFSET);
    expect_value(mock_watched_write, val, PHY_CTRL_DEFAULT | OPTILE_CSR_PHY_CTRL_ENABLE_MASK);
    expect_value(mock_watched_write, off, OPTILE_CSR_PHY_CTRL_OFFSET);
    expect_value(mock_watched_write, val,
                 PHY_CTRL_DEFAULT | OPTILE_CSR_PHY_CTRL_ENABLE_MASK | OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK);

    uint32_t res0 = 0;
    uint32_t rsp = call(FW_CMD_LINK_UP, 0, 0, &res0, NULL);
    assert_int_equal(rsp_status(rsp), FW_ST_OK);
    assert_int_equal(res0, 0xFF);
    assert_int_equal(OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATE_MASK, rsp), FW_STATE_BRINGUP);

    uint8_t seen[16];
    unsigned n = run_recording(FW_STATE_TRACKING, seen, 16, 1000000);
    static const uint8_t expect[] = {FW_STATE_BRINGUP, FW_STATE_RING_TUNE, FW_STATE_LINK_WAIT,
                                     FW_STATE_LINK_UP, FW_STATE_TRACKING};
    assert_int_equal(n, sizeof expect);
    assert_memory_equal(seen, expect, sizeof expect);
    assert_int_equal(mock.phy, FW_PHY_ACTIVE);
    for (unsigned i = 0; i < 8; i++) {
        double d = fw.tune.lane[i].code - mock_resonance(i);
        if (d > 3 || d < -3) fail_msg("lane %u: code %u, resonance %.1f", i, fw.tune.lane[i].code, res[i]);
    }
    /* every state change raised intr_state.mbox_rsp for the host */
    assert_true(mock_host_read(OPTILE_CSR_INTR_STATE_OFFSET) & OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
    mock_watch(OPTILE_CSR_PHY_CTRL_OFFSET, 0);
}

static void test_tracking_under_slow_drift(void **state) {
    (void)state;
    boot(2);
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 = 1200.0 + 40.0 * i;
    link_up_to_tracking();
    /* 0.5 codes per 1000 cycles (about 8 x the default channel's 200 K/s):
     * 2000 codes over 4 M cycles */
    mock.drift = 0.0005;
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 -= mock.drift * mock.now; /* no jump now */
    double worst = 0;
    for (unsigned step = 0; step < 800; step++) {
        (void)mock_run_until(&fw, NULL, NULL, 5000);
        assert_int_equal(fw.state, FW_STATE_TRACKING);
        for (unsigned i = 0; i < 8; i++) {
            double d = fw.tune.lane[i].code - mock_resonance(i);
            if (d < 0) d = -d;
            if (d > worst) worst = d;
        }
    }
    if (worst > 8.0) fail_msg("tracking error up to %.1f codes", worst);
    assert_int_equal(mock.phy, FW_PHY_ACTIVE);
    assert_int_equal(mock.phy_retrains, 0);
    assert_int_equal(fw.retrains, 0);
    uint32_t r0, r1;
    assert_int_equal(rsp_status(call(FW_CMD_COUNTERS, FW_CNT_TUNING, 0, &r0, &r1)), FW_ST_OK);
    assert_true(r0 > 2000); /* rounds: one per ~1.3k cycles */
    assert_true(r1 > 1500); /* moves: the drift is 2000 codes */
    printf("tracking: worst error %.2f codes, %u rounds, %u moves\n", worst, (unsigned)r0, (unsigned)r1);
}

static void test_drift_beyond_range(void **state) {
    (void)state;
    boot(3);
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 = 1500.0;
    mock.lane[3].res0 = 150.0;
    link_up_to_tracking();
    mock.drift = -0.002; /* lane 3 reaches code 0 after ~75 k cycles */
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 -= mock.drift * mock.now;
    uint8_t seen[8];
    unsigned n = run_recording(FW_STATE_FAILED_RANGE, seen, 8, 1000000);
    assert_true(n >= 1);
    assert_int_equal(seen[n - 1], FW_STATE_FAILED_RANGE);
    /* the host sees the failure in mbox_rsp.state, the error code in STATUS */
    assert_int_equal(mock_rsp_state(), FW_STATE_FAILED_RANGE);
    assert_int_equal(mock_heater(3), 0);
    assert_true(mock_resonance(3) < -40.0); /* lost 7/8 of the peak: well beyond the range */
    uint32_t r0, r1;
    uint32_t rsp = call(FW_CMD_STATUS, 0, 0, &r0, &r1);
    assert_int_equal(rsp_status(rsp), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATE_MASK, rsp), FW_STATE_FAILED_RANGE);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_LAST_ERROR_MASK, r0), FW_ST_RANGE);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_FAILED_MASK, r0), 1u << 3);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_TRAIN_STATE_MASK, r0), FW_PHY_ACTIVE);
    /* the lane's own counters name the error */
    assert_int_equal(rsp_status(call(FW_CMD_COUNTERS, FW_CNT_LANE0 + 3, 0, &r0, &r1)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_LANE1_PHASE_MASK, r1), FW_LANE_FAILED);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_LANE1_ERROR_MASK, r1), FW_ST_RANGE);
    /* failed: tuning stopped, heaters hold */
    uint32_t hw = mock.heater_writes;
    (void)mock_run_until(&fw, NULL, NULL, 50000);
    assert_int_equal(mock.heater_writes, hw);
    /* LINK_DOWN returns to READY and disables the PHY */
    assert_int_equal(rsp_status(call(FW_CMD_LINK_DOWN, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_int_equal(mock_rsp_state(), FW_STATE_READY);
    assert_int_equal(mock.regs[OPTILE_CSR_PHY_CTRL_OFFSET / 4] &
                         (OPTILE_CSR_PHY_CTRL_ENABLE_MASK | OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK),
                     0);
}

static void test_range_at_bringup(void **state) {
    (void)state;
    boot(4);
    mock.lane[6].res0 = 4400.0; /* needs more heat than the heater has */
    assert_int_equal(rsp_status(call(FW_CMD_LINK_UP, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_FAILED_RANGE, 1000000));
    uint32_t r0;
    assert_int_equal(rsp_status(call(FW_CMD_STATUS, 0, 0, &r0, NULL)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_LAST_ERROR_MASK, r0), FW_ST_RANGE);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_FAILED_MASK, r0), 1u << 6);
    /* rings_locked was never set; a lane mask without lane 6 brings the link up */
    assert_int_equal(mock.regs[OPTILE_CSR_PHY_CTRL_OFFSET / 4] & OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK, 0);
    assert_int_equal(rsp_status(call(FW_CMD_LINK_UP, 0xBF, 0, NULL, NULL)), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
    assert_int_equal(OPTILE_CSR_FIELD_GET(OPTILE_CSR_PHY_CTRL_LANE_MASK_MASK,
                                          mock.regs[OPTILE_CSR_PHY_CTRL_OFFSET / 4]),
                     0xBF);
}

static void test_no_light_fails_nopeak(void **state) {
    (void)state;
    boot(5);
    mock.lane[2].dark = 1;
    assert_int_equal(rsp_status(call(FW_CMD_LINK_UP, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_FAILED_NOPEAK, 3000000));
    uint32_t r0;
    assert_int_equal(rsp_status(call(FW_CMD_STATUS, 0, 0, &r0, NULL)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_LAST_ERROR_MASK, r0), FW_ST_NO_PEAK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_FAILED_MASK, r0), 1u << 2);
}

static void test_retrain_after_link_down(void **state) {
    (void)state;
    boot(6);
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 = 1000.0 + 100.0 * i;
    link_up_to_tracking();

    /* the PHY goes DOWN (replay limit): reset, re-enable, re-tune, rings_locked */
    mock_watch(OPTILE_CSR_PHY_CTRL_OFFSET, 1);
    uint32_t up = PHY_CTRL_DEFAULT | OPTILE_CSR_PHY_CTRL_ENABLE_MASK | OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK;
    expect_value(mock_watched_write, off, OPTILE_CSR_PHY_CTRL_OFFSET);
    expect_value(mock_watched_write, val, PHY_CTRL_DEFAULT);
    expect_value(mock_watched_write, off, OPTILE_CSR_PHY_CTRL_OFFSET);
    expect_value(mock_watched_write, val, PHY_CTRL_DEFAULT | OPTILE_CSR_PHY_CTRL_ENABLE_MASK);
    expect_value(mock_watched_write, off, OPTILE_CSR_PHY_CTRL_OFFSET);
    expect_value(mock_watched_write, val, up);
    mock_phy_force(FW_PHY_DOWN);
    uint8_t seen[8];
    unsigned n = run_recording(FW_STATE_TRACKING, seen, 8, 1000000);
    static const uint8_t expect[] = {FW_STATE_RETRAINING, FW_STATE_LINK_UP, FW_STATE_TRACKING};
    assert_int_equal(n, sizeof expect);
    assert_memory_equal(seen, expect, sizeof expect);
    mock_watch(OPTILE_CSR_PHY_CTRL_OFFSET, 0);
    assert_int_equal(mock.phy, FW_PHY_ACTIVE);
    /* lanes in target restarted in FINE: no lane swept again */
    for (unsigned i = 0; i < 8; i++) assert_int_equal(fw.tune.lane[i].tries, 0);

    uint32_t r0, r1;
    assert_int_equal(rsp_status(call(FW_CMD_COUNTERS, FW_CNT_RETRAINS, 0, &r0, &r1)), FW_ST_OK);
    assert_int_equal(r0, 1);
    assert_int_equal(r1, 1); /* phy_link_downs */
    assert_int_equal(rsp_status(call(FW_CMD_STATUS, 0, 0, &r0, &r1)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS1_FAULTS_MASK, r1), 0); /* TRACKING again */
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS1_RETRAINS_MASK, r1), 1);

    /* a link-down event the firmware never saw as DOWN still counts */
    mock.link_downs++;
    assert_true(mock_run_to_state(&fw, FW_STATE_RETRAINING, 10000));
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
    assert_int_equal(fw.retrains, 2);

    /* the RETRAIN command does the same on request */
    assert_int_equal(rsp_status(call(FW_CMD_RETRAIN, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_int_equal(mock_rsp_state(), FW_STATE_RETRAINING);
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
    assert_int_equal(fw.retrains, 3);
}

static void test_soft_retrain(void **state) {
    (void)state;
    boot(7);
    link_up_to_tracking();
    /* the PHY retrains by itself (ACTIVE -> BLOCK_LOCK): no phy_ctrl write */
    mock_watch(OPTILE_CSR_PHY_CTRL_OFFSET, 1);
    mock_phy_force(FW_PHY_BLOCK_LOCK);
    assert_true(mock_run_to_state(&fw, FW_STATE_RETRAINING, 10000));
    assert_true(mock_run_to_state(&fw, FW_STATE_LINK_UP, 100000));
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 100000));
    mock_watch(OPTILE_CSR_PHY_CTRL_OFFSET, 0);
    assert_int_equal(fw.retrains, 1);

    /* IDLE and the wake-up path are no fault; dark lanes hold their code */
    uint16_t code = fw.tune.lane[0].code;
    mock_phy_force(FW_PHY_IDLE);
    for (unsigned i = 0; i < 8; i++) mock.lane[i].dark = 1;
    (void)mock_run_until(&fw, NULL, NULL, 100000);
    assert_int_equal(fw.state, FW_STATE_TRACKING);
    assert_int_equal(fw.tune.lane[0].code, code);
    for (unsigned i = 0; i < 8; i++) mock.lane[i].dark = 0;
    mock_phy_force(FW_PHY_LASER_ON);
    (void)mock_run_until(&fw, NULL, NULL, 100000);
    assert_int_equal(mock.phy, FW_PHY_ACTIVE);
    assert_int_equal(fw.state, FW_STATE_TRACKING);
    assert_int_equal(fw.retrains, 1);
}

static void test_lost_lane_resweep_and_retrain_pulse(void **state) {
    (void)state;
    boot(8);
    link_up_to_tracking();
    /* lane 5's resonance jumps by 1000 codes; the PHY stays ACTIVE without it */
    mock.retrain_below = 0.0;
    mock.lane[5].res0 += 1000.0;
    mock.active_lanes_override = 0xDF;
    assert_true(mock_run_to_state(&fw, FW_STATE_RETRAINING, 100000));
    assert_int_equal(fw.tune.lane[5].tries, 1); /* swept again */
    assert_true(mock_run_to_state(&fw, FW_STATE_LINK_UP, 1000000));
    assert_int_equal(mock.retrain_pulses, 1);
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
    double d = fw.tune.lane[5].code - mock_resonance(5);
    assert_true(d <= 3 && d >= -3);
}

static void test_retrain_limit(void **state) {
    (void)state;
    boot(9);
    mock.active_min = 2.0; /* the PHY never reaches ACTIVE */
    uint32_t r0, r1;
    uint32_t rsp = call(FW_CMD_SET_PARAM, FW_PARAM_LINK_TIMEOUT, 30000, &r0, NULL);
    assert_int_equal(rsp_status(rsp), FW_ST_OK);
    assert_int_equal(r0, 4000000);
    assert_int_equal(rsp_status(call(FW_CMD_LINK_UP, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_FAILED_PHY, 2000000));
    assert_int_equal(rsp_status(call(FW_CMD_STATUS, 0, 0, &r0, &r1)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_LAST_ERROR_MASK, r0), FW_ST_RETRAIN_LIMIT);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS1_FAULTS_MASK, r1), 5);
    assert_int_equal(fw.retrains, 5);
}

static void test_phy_timeout(void **state) {
    (void)state;
    boot(10);
    mock.settle = 1000000000u; /* lasers never settle */
    assert_int_equal(rsp_status(call(FW_CMD_LINK_UP, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_FAILED_PHY, 200000));
    uint32_t r0;
    assert_int_equal(rsp_status(call(FW_CMD_STATUS, 0, 0, &r0, NULL)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_LAST_ERROR_MASK, r0), FW_ST_PHY_TIMEOUT);
    /* LINK_UP again starts afresh (and with settling lasers succeeds) */
    mock.settle = 100;
    assert_int_equal(rsp_status(call(FW_CMD_LINK_UP, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
    assert_int_equal(rsp_status(call(FW_CMD_STATUS, 0, 0, &r0, NULL)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_LAST_ERROR_MASK, r0), FW_ST_OK);
}

static void test_bad_tile(void **state) {
    (void)state;
    mock_reset(11);
    mock.regs[OPTILE_CSR_ID_OFFSET / 4] = 0x12345678u;
    seq = 0;
    fw_init(&fw);
    assert_int_equal(mock_rsp_state(), FW_STATE_FAILED_TILE);
    uint32_t rsp = call(FW_CMD_LINK_UP, 0, 0, NULL, NULL);
    assert_int_equal(rsp_status(rsp), FW_ST_BAD_TILE);
    assert_int_equal(mock.regs[OPTILE_CSR_PHY_CTRL_OFFSET / 4], OPTILE_CSR_PHY_CTRL_RESET);
    assert_int_equal(rsp_status(call(FW_CMD_LINK_DOWN, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_int_equal(mock_rsp_state(), FW_STATE_FAILED_TILE);
    /* PING still answers */
    uint32_t r0;
    assert_int_equal(rsp_status(call(FW_CMD_PING, 5, 0, &r0, NULL)), FW_ST_OK);
    assert_int_equal(r0, ~5u);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bringup_sequence),
        cmocka_unit_test(test_tracking_under_slow_drift),
        cmocka_unit_test(test_drift_beyond_range),
        cmocka_unit_test(test_range_at_bringup),
        cmocka_unit_test(test_no_light_fails_nopeak),
        cmocka_unit_test(test_retrain_after_link_down),
        cmocka_unit_test(test_soft_retrain),
        cmocka_unit_test(test_lost_lane_resweep_and_retrain_pulse),
        cmocka_unit_test(test_retrain_limit),
        cmocka_unit_test(test_phy_timeout),
        cmocka_unit_test(test_bad_tile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
