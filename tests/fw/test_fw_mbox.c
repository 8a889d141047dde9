/*
 * test_fw_mbox.c - the firmware side of the mailbox protocol
 * (docs/spec.md 10.1-10.6): exact register writes of a command/response
 * exchange by their generated names, sequence numbers, status codes for
 * unknown commands and bad arguments, state updates, COUNTERS and
 * SET_PARAM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fw.h"
#include "fw_mock.h"

static struct fw fw;

static uint32_t rsp_word(uint8_t status, uint8_t seq, uint8_t state) {
    return OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATUS_MASK, status) |
           OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_SEQ_MASK, seq) |
           OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, state);
}

static void watch_mbox(int on) {
    mock_watch(OPTILE_CSR_INTR_STATE_OFFSET, on);
    mock_watch(OPTILE_CSR_MBOX_RES0_OFFSET, on);
    mock_watch(OPTILE_CSR_MBOX_RES1_OFFSET, on);
    mock_watch(OPTILE_CSR_MBOX_RSP_OFFSET, on);
}

/* The writes of one response, in order. */
static void expect_response(uint32_t res0, uint32_t res1, uint32_t rsp) {
    expect_value(mock_watched_write, off, OPTILE_CSR_INTR_STATE_OFFSET);
    expect_value(mock_watched_write, val, OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK);
    expect_value(mock_watched_write, off, OPTILE_CSR_MBOX_RES0_OFFSET);
    expect_value(mock_watched_write, val, res0);
    expect_value(mock_watched_write, off, OPTILE_CSR_MBOX_RES1_OFFSET);
    expect_value(mock_watched_write, val, res1);
    expect_value(mock_watched_write, off, OPTILE_CSR_MBOX_RSP_OFFSET);
    expect_value(mock_watched_write, val, rsp);
}

static int setup(void **state) {
    (void)state;
    mock_reset(1);
    fw_init(&fw);
    return 0;
}

static uint8_t status_of(uint32_t rsp) {
    return (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATUS_MASK, rsp);
}

static void test_boot_report(void **state) {
    (void)state;
    assert_int_equal(mock.regs[OPTILE_CSR_MBOX_RSP_OFFSET / 4], rsp_word(FW_ST_OK, 0, FW_STATE_READY));
    assert_true(mock.regs[OPTILE_CSR_INTR_STATE_OFFSET / 4] & OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
    /* no command pending: polling writes nothing */
    uint32_t w = mock.fw_writes;
    for (int i = 0; i < 100; i++) fw_mbox_poll(&fw);
    assert_int_equal(mock.fw_writes, w);
}

static void test_ping_exact_writes(void **state) {
    (void)state;
    watch_mbox(1);
    expect_response(~0xA5A5F00Du, FW_VERSION, rsp_word(FW_ST_OK, 7, FW_STATE_READY));
    mock_host_cmd(FW_CMD_PING, 7, 0xA5A5F00Du, 0);
    assert_true(mock.regs[OPTILE_CSR_INTR_STATE_OFFSET / 4] & OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK);
    fw_mbox_poll(&fw);
    watch_mbox(0);
    /* the command bit is cleared, the host's response bit is set */
    uint32_t is = mock.regs[OPTILE_CSR_INTR_STATE_OFFSET / 4];
    assert_false(is & OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK);
    assert_true(is & OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
}

static void test_sequence_numbers(void **state) {
    (void)state;
    static const uint8_t seqs[] = {1, 2, 3, 200, 255, 1};
    for (unsigned k = 0; k < sizeof seqs; k++) {
        uint32_t r0;
        uint32_t rsp = mock_host_call(&fw, FW_CMD_PING, seqs[k], k, 0, &r0, NULL);
        assert_int_equal(OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_SEQ_MASK, rsp), seqs[k]);
        assert_int_equal(status_of(rsp), FW_ST_OK);
        assert_int_equal(r0, ~(uint32_t)k);
    }
    /* the same seq twice is executed twice (no duplicate suppression) */
    uint32_t r0;
    (void)mock_host_call(&fw, FW_CMD_COUNTERS, 9, FW_CNT_MBOX, 0, &r0, NULL);
    uint32_t before = r0;
    (void)mock_host_call(&fw, FW_CMD_COUNTERS, 9, FW_CNT_MBOX, 0, &r0, NULL);
    assert_int_equal(r0, before + 1);
}

static void test_unknown_command(void **state) {
    (void)state;
    watch_mbox(1);
    expect_response(0, 0, rsp_word(FW_ST_UNKNOWN_CMD, 42, FW_STATE_READY));
    mock_host_cmd(0x5A, 42, 1, 2);
    fw_mbox_poll(&fw);
    /* code 0, the reset value of mbox_cmd, is unknown too */
    expect_response(0, 0, rsp_word(FW_ST_UNKNOWN_CMD, 43, FW_STATE_READY));
    mock_host_cmd(0, 43, 0, 0);
    fw_mbox_poll(&fw);
    watch_mbox(0);
    uint32_t r0, r1;
    (void)mock_host_call(&fw, FW_CMD_COUNTERS, 44, FW_CNT_MBOX, 0, &r0, &r1);
    assert_int_equal(r0, 2); /* handled */
    assert_int_equal(r1, 2); /* rejected */
}

static void test_bad_arguments(void **state) {
    (void)state;
    uint8_t seq = 1;
    struct {
        uint8_t code;
        uint32_t a0, a1;
    } bad[] = {
        {FW_CMD_COUNTERS, 0x99, 0},
        {FW_CMD_COUNTERS, FW_CNT_LANE0 + 8, 0},
        {FW_CMD_LINK_UP, 0x100, 0},
        {FW_CMD_LINK_UP, 0, 1},
        {FW_CMD_SET_PARAM, 99, 1},
        {FW_CMD_SET_PARAM, FW_PARAM_SAMPLES, 0},
        {FW_CMD_SET_PARAM, FW_PARAM_SAMPLES, 17},
        {FW_CMD_SET_PARAM, FW_PARAM_COARSE_STEP, 0},
        {FW_CMD_SET_PARAM, FW_PARAM_DWELL, (1u << 20) + 1},
    };
    for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        uint32_t rsp = mock_host_call(&fw, bad[k].code, seq++, bad[k].a0, bad[k].a1, NULL, NULL);
        assert_int_equal(status_of(rsp), FW_ST_BAD_ARG);
    }
    assert_int_equal(fw.state, FW_STATE_READY);
    assert_int_equal(fw.tune.cfg.samples, 4);
    /* fewer lanes: a mask beyond them is refused */
    mock_reset(2);
    mock.regs[OPTILE_CSR_TILE_CFG_OFFSET / 4] = OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_LANES_MASK, 4);
    fw_init(&fw);
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_LINK_UP, 1, 0x10, 0, NULL, NULL)), FW_ST_BAD_ARG);
    uint32_t r0;
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_LINK_UP, 2, 0, 0, &r0, NULL)), FW_ST_OK);
    assert_int_equal(r0, 0xF);
}

static void test_busy(void **state) {
    (void)state;
    /* RETRAIN needs a link */
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_RETRAIN, 1, 0, 0, NULL, NULL)), FW_ST_BUSY);
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_LINK_UP, 2, 0, 0, NULL, NULL)), FW_ST_OK);
    /* SET_PARAM only while idle; LINK_UP again is harmless */
    uint32_t rsp = mock_host_call(&fw, FW_CMD_SET_PARAM, 3, FW_PARAM_DITHER, 8, NULL, NULL);
    assert_int_equal(status_of(rsp), FW_ST_BUSY);
    assert_int_equal(fw.tune.cfg.dither, 16);
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_LINK_UP, 4, 0, 0, NULL, NULL)), FW_ST_OK);
    assert_int_equal(fw.retrains, 0);
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_LINK_DOWN, 5, 0, 0, NULL, NULL)), FW_ST_OK);
    uint32_t old;
    rsp = mock_host_call(&fw, FW_CMD_SET_PARAM, 6, FW_PARAM_DITHER, 8, &old, NULL);
    assert_int_equal(status_of(rsp), FW_ST_OK);
    assert_int_equal(old, 16);
    assert_int_equal(fw.tune.cfg.dither, 8);
}

static void test_state_updates_keep_seq_and_status(void **state) {
    (void)state;
    uint32_t rsp = mock_host_call(&fw, FW_CMD_LINK_UP, 9, 0, 0, NULL, NULL);
    assert_int_equal(rsp, rsp_word(FW_ST_OK, 9, FW_STATE_BRINGUP));
    /* the host acknowledged; the next state change is published with seq 9 */
    assert_false(mock.regs[OPTILE_CSR_INTR_STATE_OFFSET / 4] & OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
    assert_true(mock_run_to_state(&fw, FW_STATE_RING_TUNE, 10000));
    assert_int_equal(mock.regs[OPTILE_CSR_MBOX_RSP_OFFSET / 4], rsp_word(FW_ST_OK, 9, FW_STATE_RING_TUNE));
    assert_true(mock.regs[OPTILE_CSR_INTR_STATE_OFFSET / 4] & OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
    /* a rejected command's status stays with its seq in later updates */
    rsp = mock_host_call(&fw, 0x77, 10, 0, 0, NULL, NULL);
    assert_int_equal(rsp, rsp_word(FW_ST_UNKNOWN_CMD, 10, FW_STATE_RING_TUNE));
    assert_true(mock_run_to_state(&fw, FW_STATE_LINK_WAIT, 1000000));
    assert_int_equal(mock.regs[OPTILE_CSR_MBOX_RSP_OFFSET / 4],
                     rsp_word(FW_ST_UNKNOWN_CMD, 10, FW_STATE_LINK_WAIT));
    /* results of a command are never overwritten by updates */
    uint32_t r0, r1;
    (void)mock_host_call(&fw, FW_CMD_PING, 11, 0x1234, 0, &r0, &r1);
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
    assert_int_equal(mock.regs[OPTILE_CSR_MBOX_RES0_OFFSET / 4], ~0x1234u);
    assert_int_equal(mock.regs[OPTILE_CSR_MBOX_RES1_OFFSET / 4], FW_VERSION);
}

static void test_status_and_counters(void **state) {
    (void)state;
    uint32_t r0, r1;
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_STATUS, 1, 0, 0, &r0, &r1)), FW_ST_OK);
    assert_int_equal(r0, 0); /* no error, nothing locked, PHY in RESET */
    assert_int_equal(r1, OPTILE_CSR_FIELD_PREP(FW_STATUS1_LANE_MASK_MASK, 0xFF));
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_COUNTERS, 2, FW_CNT_VERSION, 0, &r0, &r1)),
                     FW_ST_OK);
    assert_int_equal(r0, FW_VERSION);
    assert_true(r1 > 0 && r1 <= mock.now);

    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_LINK_UP, 3, 0x0F, 0, NULL, NULL)), FW_ST_OK);
    assert_true(mock_run_to_state(&fw, FW_STATE_TRACKING, 1000000));
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_STATUS, 4, 0, 0, &r0, &r1)), FW_ST_OK);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_LOCKED_MASK, r0), 0x0F);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS0_TRAIN_STATE_MASK, r0), FW_PHY_ACTIVE);
    assert_int_equal(OPTILE_CSR_FIELD_GET(FW_STATUS1_LANE_MASK_MASK, r1), 0x0F);
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_COUNTERS, (uint8_t)(10 + i),
                                                  FW_CNT_LANE0 + i, 0, &r0, &r1)),
                         FW_ST_OK);
        if (i < 4) {
            assert_int_equal(OPTILE_CSR_FIELD_GET(FW_LANE1_PHASE_MASK, r1), FW_LANE_LOCKED);
            assert_int_equal(OPTILE_CSR_FIELD_GET(FW_LANE1_IN_TARGET_MASK, r1), 1);
            assert_in_range(OPTILE_CSR_FIELD_GET(FW_LANE0_HEATER_MASK, r0), 1597, 1603);
            assert_true(OPTILE_CSR_FIELD_GET(FW_LANE0_PEAK_MASK, r0) > 3200);
            assert_true(OPTILE_CSR_FIELD_GET(FW_LANE1_POWER_MASK, r1) > 3000);
        } else {
            assert_int_equal(OPTILE_CSR_FIELD_GET(FW_LANE1_PHASE_MASK, r1), FW_LANE_OFF);
        }
    }
    mock.regs[OPTILE_CSR_PHY_REPLAYS_OFFSET / 4] = 17;
    mock.regs[OPTILE_CSR_PHY_BAD_PACKETS_OFFSET / 4] = 3;
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_COUNTERS, 30, FW_CNT_PHY_ERRORS, 0, &r0, &r1)),
                     FW_ST_OK);
    assert_int_equal(r0, 17);
    assert_int_equal(r1, 3);
    assert_int_equal(status_of(mock_host_call(&fw, FW_CMD_COUNTERS, 31, FW_CNT_TUNING, 0, &r0, &r1)),
                     FW_ST_OK);
    assert_int_equal(r0, fw.tune.rounds);
    assert_int_equal(r1, fw.tune.moves);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_boot_report, setup),
        cmocka_unit_test_setup(test_ping_exact_writes, setup),
        cmocka_unit_test_setup(test_sequence_numbers, setup),
        cmocka_unit_test_setup(test_unknown_command, setup),
        cmocka_unit_test_setup(test_bad_arguments, setup),
        cmocka_unit_test_setup(test_busy, setup),
        cmocka_unit_test_setup(test_state_updates_keep_seq_and_status, setup),
        cmocka_unit_test_setup(test_status_and_counters, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
