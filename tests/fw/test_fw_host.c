/*
 * test_fw_host.c - the host driver (host/, through its mock HAL) against
 * the firmware logic (firmware/, through mmio.h) on one simulated tile
 * (fw_mock.c): proves both copies of the mailbox protocol of docs/spec.md
 * section 10 agree, and that optile_link_up brings the link up through the
 * firmware, reports a firmware failure with its error code and survives a
 * retrain. HAL wait() runs the firmware for that many cycles.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw.h"
#include "fw_mock.h"
#include "hal_mock.h"
#include "optile_drv.h"

/* ---- both copies of the protocol agree ------------------------------------------------- */

#define SAME(a, b) _Static_assert((unsigned)(a) == (unsigned)(b), #a " != " #b)
SAME(FW_CMD_PING, OPTILE_FW_CMD_PING);
SAME(FW_CMD_STATUS, OPTILE_FW_CMD_STATUS);
SAME(FW_CMD_LINK_UP, OPTILE_FW_CMD_LINK_UP);
SAME(FW_CMD_LINK_DOWN, OPTILE_FW_CMD_LINK_DOWN);
SAME(FW_CMD_COUNTERS, OPTILE_FW_CMD_COUNTERS);
SAME(FW_CMD_RETRAIN, OPTILE_FW_CMD_RETRAIN);
SAME(FW_CMD_SET_PARAM, OPTILE_FW_CMD_SET_PARAM);
SAME(FW_ST_OK, OPTILE_FW_ST_OK);
SAME(FW_ST_UNKNOWN_CMD, OPTILE_FW_ST_UNKNOWN_CMD);
SAME(FW_ST_BAD_ARG, OPTILE_FW_ST_BAD_ARG);
SAME(FW_ST_BUSY, OPTILE_FW_ST_BUSY);
SAME(FW_ST_RANGE, OPTILE_FW_ST_RANGE);
SAME(FW_ST_NO_PEAK, OPTILE_FW_ST_NO_PEAK);
SAME(FW_ST_PHY_TIMEOUT, OPTILE_FW_ST_PHY_TIMEOUT);
SAME(FW_ST_RETRAIN_LIMIT, OPTILE_FW_ST_RETRAIN_LIMIT);
SAME(FW_ST_BAD_TILE, OPTILE_FW_ST_BAD_TILE);
SAME(FW_STATE_BOOT, OPTILE_FW_STATE_BOOT);
SAME(FW_STATE_READY, OPTILE_FW_STATE_READY);
SAME(FW_STATE_BRINGUP, OPTILE_FW_STATE_BRINGUP);
SAME(FW_STATE_RING_TUNE, OPTILE_FW_STATE_RING_TUNE);
SAME(FW_STATE_LINK_WAIT, OPTILE_FW_STATE_LINK_WAIT);
SAME(FW_STATE_LINK_UP, OPTILE_FW_STATE_LINK_UP);
SAME(FW_STATE_TRACKING, OPTILE_FW_STATE_TRACKING);
SAME(FW_STATE_RETRAINING, OPTILE_FW_STATE_RETRAINING);
SAME(FW_STATE_FAILED_RANGE, OPTILE_FW_STATE_FAILED_RANGE);
SAME(FW_STATE_FAILED_NOPEAK, OPTILE_FW_STATE_FAILED_NOPEAK);
SAME(FW_STATE_FAILED_PHY, OPTILE_FW_STATE_FAILED_PHY);
SAME(FW_STATE_FAILED_TILE, OPTILE_FW_STATE_FAILED_TILE);
SAME(FW_STATE_FAILED_BIT, OPTILE_FW_STATE_FAILED_BIT);
SAME(FW_CNT_VERSION, OPTILE_FW_CNT_VERSION);
SAME(FW_CNT_RETRAINS, OPTILE_FW_CNT_RETRAINS);
SAME(FW_CNT_PHY_ERRORS, OPTILE_FW_CNT_PHY_ERRORS);
SAME(FW_CNT_TUNING, OPTILE_FW_CNT_TUNING);
SAME(FW_CNT_MBOX, OPTILE_FW_CNT_MBOX);
SAME(FW_CNT_LANE0, OPTILE_FW_CNT_LANE0);
SAME(FW_PARAM_COARSE_STEP, OPTILE_FW_PARAM_COARSE_STEP);
SAME(FW_PARAM_DITHER, OPTILE_FW_PARAM_DITHER);
SAME(FW_PARAM_FINE_STEP, OPTILE_FW_PARAM_FINE_STEP);
SAME(FW_PARAM_DEADBAND, OPTILE_FW_PARAM_DEADBAND);
SAME(FW_PARAM_FOUND_MIN, OPTILE_FW_PARAM_FOUND_MIN);
SAME(FW_PARAM_DWELL, OPTILE_FW_PARAM_DWELL);
SAME(FW_PARAM_SAMPLE_GAP, OPTILE_FW_PARAM_SAMPLE_GAP);
SAME(FW_PARAM_SAMPLES, OPTILE_FW_PARAM_SAMPLES);
SAME(FW_PARAM_TRACK_PERIOD, OPTILE_FW_PARAM_TRACK_PERIOD);
SAME(FW_PARAM_PHY_TIMEOUT, OPTILE_FW_PARAM_PHY_TIMEOUT);
SAME(FW_PARAM_LINK_TIMEOUT, OPTILE_FW_PARAM_LINK_TIMEOUT);
SAME(FW_PARAM_MAX_FAULTS, OPTILE_FW_PARAM_MAX_FAULTS);
SAME(FW_PARAM_BIG_DIFF, OPTILE_FW_PARAM_BIG_DIFF);
SAME(FW_STATUS0_LAST_ERROR_MASK, OPTILE_FW_STATUS0_LAST_ERROR_MASK);
SAME(FW_STATUS0_LOCKED_MASK, OPTILE_FW_STATUS0_LOCKED_MASK);
SAME(FW_STATUS0_FAILED_MASK, OPTILE_FW_STATUS0_FAILED_MASK);
SAME(FW_STATUS0_TRAIN_STATE_MASK, OPTILE_FW_STATUS0_TRAIN_STATE_MASK);
SAME(FW_STATUS1_LANE_MASK_MASK, OPTILE_FW_STATUS1_LANE_MASK_MASK);
SAME(FW_STATUS1_FAULTS_MASK, OPTILE_FW_STATUS1_FAULTS_MASK);
SAME(FW_STATUS1_RETRAINS_MASK, OPTILE_FW_STATUS1_RETRAINS_MASK);

/* ---- the host's HAL goes to the simulated tile; wait runs the firmware -------------------- */

static struct fw fw;
static struct optile_hal_mock hm;
static struct optile_hal hal;
static struct optile_dev dev;

static int to_tile_read(void *user, uint32_t off, uint32_t *val) {
    (void)user;
    *val = mock_host_read(off);
    return 1;
}

static int to_tile_write(void *user, uint32_t off, uint32_t val) {
    (void)user;
    mock_host_write(off, val);
    return 1;
}

static int run_firmware(void *user, uint32_t cycles) {
    (void)user;
    uint32_t end = mock.now + cycles;
    while ((int32_t)(mock.now - end) < 0) fw_poll(&fw);
    return 0;
}

static int setup(void **state) {
    (void)state;
    mock_reset(77);
    fw_init(&fw); /* the firmware boots first */
    assert_int_equal(optile_hal_mock_init(&hm, 1u << 16, &hal), 0);
    hm.hooks.read32 = to_tile_read;
    hm.hooks.write32 = to_tile_write;
    hm.hooks.wait = run_firmware;
    assert_int_equal(optile_open(&dev, &hal), 0);
    assert_int_equal(optile_fw_wait_ready(&dev, 10000), 0);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    optile_close(&dev);
    optile_hal_mock_fini(&hm);
    return 0;
}

static void test_ping_status_unknown(void **state) {
    (void)state;
    uint32_t ver = 0;
    assert_int_equal(optile_fw_ping(&dev, &ver), 0);
    assert_int_equal(ver, FW_VERSION);
    struct optile_fw_info info;
    assert_int_equal(optile_fw_status(&dev, &info), 0);
    assert_int_equal(info.state, OPTILE_FW_STATE_READY);
    assert_int_equal(info.lane_mask, 0xFF);
    struct optile_mbox_rsp r;
    assert_int_equal(optile_mbox_call(&dev, 0x66, 0, 0, &r), -EOPNOTSUPP);
    assert_int_equal(r.status, FW_ST_UNKNOWN_CMD);
    assert_int_equal(optile_fw_counter(&dev, 0x99, NULL, NULL), -EINVAL);
    assert_int_equal(optile_fw_set_param(&dev, OPTILE_FW_PARAM_SAMPLES, 99), -EINVAL);
    assert_int_equal(optile_fw_set_param(&dev, OPTILE_FW_PARAM_TRACK_PERIOD, 2048), 0);
    assert_int_equal(fw.tune.cfg.track_period, 2048);
}

static void test_link_up_through_firmware(void **state) {
    (void)state;
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 = 800.0 + 300.0 * i;
    assert_int_equal(optile_link_up(&dev, 0, 2000000), 0);
    assert_true(mock.regs[OPTILE_CSR_CTRL_OFFSET / 4] & OPTILE_CSR_CTRL_LINK_EN_MASK);
    assert_int_equal(mock.phy, FW_PHY_ACTIVE);
    /* steady state, as the host sees it */
    uint32_t waited = 0;
    while (optile_fw_state(&dev) != OPTILE_FW_STATE_TRACKING && waited < 200000) {
        assert_int_equal(optile_wait(&dev, 1000), 0);
        waited += 1000;
    }
    struct optile_fw_info info;
    assert_int_equal(optile_fw_status(&dev, &info), 0);
    assert_int_equal(info.state, OPTILE_FW_STATE_TRACKING);
    assert_int_equal(info.locked_lanes, 0xFF);
    assert_int_equal(info.train_state, FW_PHY_ACTIVE);
    assert_int_equal(info.last_error, 0);
    for (unsigned i = 0; i < 8; i++) {
        uint32_t v0;
        assert_int_equal(optile_fw_counter(&dev, OPTILE_FW_CNT_LANE0 + i, &v0, NULL), 0);
        double code = OPTILE_CSR_FIELD_GET(FW_LANE0_HEATER_MASK, v0);
        assert_true(code - mock_resonance(i) < 4 && mock_resonance(i) - code < 4);
    }
    /* a link-down event: the firmware retrains, the host counts it */
    mock_phy_force(FW_PHY_DOWN);
    waited = 0;
    uint32_t retrains = 0;
    do {
        assert_int_equal(optile_wait(&dev, 1000), 0);
        waited += 1000;
        assert_int_equal(optile_fw_counter(&dev, OPTILE_FW_CNT_RETRAINS, &retrains, NULL), 0);
    } while ((retrains == 0 || optile_fw_state(&dev) != OPTILE_FW_STATE_TRACKING) && waited < 1000000);
    assert_int_equal(retrains, 1);
    assert_int_equal(optile_fw_state(&dev), OPTILE_FW_STATE_TRACKING);
    /* busy while up */
    assert_int_equal(optile_fw_set_param(&dev, OPTILE_FW_PARAM_DITHER, 8), -EBUSY);
    assert_int_equal(optile_link_down(&dev), 0);
    assert_int_equal(optile_fw_state(&dev), OPTILE_FW_STATE_READY);
    assert_int_equal(mock.regs[OPTILE_CSR_PHY_CTRL_OFFSET / 4] & OPTILE_CSR_PHY_CTRL_ENABLE_MASK, 0);
}

static void test_link_up_reports_range_failure(void **state) {
    (void)state;
    mock.lane[4].res0 = 4500.0;
    assert_int_equal(optile_link_up(&dev, 0, 2000000), -ERANGE);
    assert_non_null(strstr(optile_last_error(&dev), "FAILED_RANGE"));
    assert_non_null(strstr(optile_last_error(&dev), "0x10")); /* lane 4 */
    struct optile_fw_info info;
    assert_int_equal(optile_fw_status(&dev, &info), 0);
    assert_int_equal(info.failed_lanes, 1u << 4);
    /* without lane 4 the link comes up */
    assert_int_equal(optile_link_up(&dev, 0xEF, 2000000), 0);
}

static void test_link_up_firmware_silent(void **state) {
    (void)state;
    /* the firmware is not running (no polls): the mailbox times out */
    hm.hooks.wait = NULL;
    dev.mbox_timeout = 5000;
    assert_int_equal(optile_link_up(&dev, 0, 100000), -ETIMEDOUT);
    assert_non_null(strstr(optile_last_error(&dev), "no response"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ping_status_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_up_through_firmware, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_up_reports_range_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_up_firmware_silent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
