/*
 * test_host_mbox.c - host side of the firmware mailbox and link bring-up
 * (docs/spec.md 10.1-10.5): command writes by their generated names,
 * sequence numbers and their wrap, stale and late responses, timeout,
 * firmware error codes mapped to errno, link-up state polling. A scripted
 * fake firmware answers behind the mock HAL's hooks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hal_mock.h"
#include "optile_drv.h"

static struct optile_hal_mock m;
static struct optile_hal hal;
static struct optile_dev dev;

/* ---- a scripted fake firmware ---------------------------------------------------------- */

static struct {
    int delay;          /* waits before the response; < 0: never answers */
    int countdown;
    int pending;
    uint8_t seq, code;
    uint32_t arg0, arg1;
    uint8_t status;     /* status to answer with */
    uint8_t state;      /* state to report */
    uint32_t res0, res1;
    int stale_first;    /* first answer carries the previous seq */
    int bad_echo;
    const uint8_t *script; /* states reported after each later wait (link tests) */
    unsigned script_len, script_pos;
    uint32_t status_res0;  /* STATUS res0 */
    int strict_cmd;     /* check mailbox writes with cmocka */
    unsigned commands;
} fake;

static void fake_answer(uint8_t seq) {
    uint32_t rsp = OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATUS_MASK, fake.status) |
                   OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_SEQ_MASK, seq) |
                   OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, fake.state);
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RES0_OFFSET, fake.res0);
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RES1_OFFSET, fake.res1);
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET, rsp);
    optile_hal_mock_set(&m, OPTILE_CSR_INTR_STATE_OFFSET,
                        optile_hal_mock_get(&m, OPTILE_CSR_INTR_STATE_OFFSET) |
                            OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
}

static void fake_execute(void) {
    switch (fake.code) {
    case OPTILE_FW_CMD_PING:
        fake.res0 = fake.bad_echo ? fake.arg0 : ~fake.arg0;
        fake.res1 = 0x010000;
        break;
    case OPTILE_FW_CMD_STATUS:
        fake.res0 = fake.status_res0;
        fake.res1 = 0;
        break;
    default:
        break;
    }
}

static void mbox_write(uint32_t off, uint32_t val) {
    check_expected(off);
    check_expected(val);
}

static int fake_write(void *user, uint32_t off, uint32_t val) {
    (void)user;
    if (fake.strict_cmd &&
        (off == OPTILE_CSR_MBOX_ARG0_OFFSET || off == OPTILE_CSR_MBOX_ARG1_OFFSET ||
         off == OPTILE_CSR_MBOX_CMD_OFFSET || off == OPTILE_CSR_INTR_STATE_OFFSET))
        mbox_write(off, val);
    if (off == OPTILE_CSR_INTR_STATE_OFFSET) { /* W1C */
        optile_hal_mock_set(&m, off, optile_hal_mock_get(&m, off) & ~val);
        return 1;
    }
    if (off == OPTILE_CSR_MBOX_CMD_OFFSET) {
        fake.commands++;
        fake.code = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_CMD_CODE_MASK, val);
        fake.seq = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_CMD_SEQ_MASK, val);
        fake.arg0 = optile_hal_mock_get(&m, OPTILE_CSR_MBOX_ARG0_OFFSET);
        fake.arg1 = optile_hal_mock_get(&m, OPTILE_CSR_MBOX_ARG1_OFFSET);
        fake_execute();
        if (fake.delay >= 0) {
            fake.pending = 1;
            fake.countdown = fake.delay;
            if (fake.stale_first) fake_answer((uint8_t)(fake.seq - 1));
            if (fake.countdown == 0) {
                fake.pending = 0;
                fake_answer(fake.seq);
            }
        }
    }
    return 0;
}

static int fake_wait(void *user, uint32_t cycles) {
    (void)user;
    (void)cycles;
    if (fake.pending && --fake.countdown <= 0) {
        fake.pending = 0;
        fake_answer(fake.seq);
    } else if (!fake.pending && fake.script && fake.script_pos < fake.script_len) {
        fake.state = fake.script[fake.script_pos++];
        uint32_t v = optile_hal_mock_get(&m, OPTILE_CSR_MBOX_RSP_OFFSET) & ~OPTILE_CSR_MBOX_RSP_STATE_MASK;
        optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET,
                            v | OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, fake.state));
    }
    return 0;
}

#define EXPECT_MBOX_WRITE(o, v)                                                                    \
    do {                                                                                           \
        expect_value(mbox_write, off, (o));                                                        \
        expect_value(mbox_write, val, (uint32_t)(v));                                              \
    } while (0)

static uint32_t cmd_word(uint8_t code, uint8_t seq) {
    return OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_CODE_MASK, code) |
           OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_SEQ_MASK, seq);
}

static int setup(void **state) {
    (void)state;
    memset(&fake, 0, sizeof fake);
    fake.delay = 2;
    fake.state = OPTILE_FW_STATE_READY;
    assert_int_equal(optile_hal_mock_init(&m, 1u << 16, &hal), 0);
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET,
                        OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, OPTILE_FW_STATE_READY));
    m.hooks.write32 = fake_write;
    m.hooks.wait = fake_wait;
    assert_int_equal(optile_open(&dev, &hal), 0);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    optile_close(&dev);
    optile_hal_mock_fini(&m);
    return 0;
}

/* ---- tests ------------------------------------------------------------------------------------- */

static void test_ping_writes_and_seq(void **state) {
    (void)state;
    fake.strict_cmd = 1;
    for (uint8_t s = 1; s <= 2; s++) {
        EXPECT_MBOX_WRITE(OPTILE_CSR_MBOX_ARG0_OFFSET, 0x5A17C0DEu);
        EXPECT_MBOX_WRITE(OPTILE_CSR_MBOX_ARG1_OFFSET, 0);
        EXPECT_MBOX_WRITE(OPTILE_CSR_MBOX_CMD_OFFSET, cmd_word(OPTILE_FW_CMD_PING, s));
        EXPECT_MBOX_WRITE(OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
        uint32_t ver = 0;
        assert_int_equal(optile_fw_ping(&dev, &ver), 0);
        assert_int_equal(ver, 0x010000);
        assert_int_equal(dev.seq, s);
    }
    fake.strict_cmd = 0;
    /* the acknowledgement cleared intr_state.mbox_rsp */
    assert_int_equal(optile_hal_mock_get(&m, OPTILE_CSR_INTR_STATE_OFFSET) & OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK,
                     0);
    /* a wrong echo is a protocol error */
    fake.bad_echo = 1;
    assert_int_equal(optile_fw_ping(&dev, NULL), -EPROTO);
}

static void test_seq_wraps_past_zero(void **state) {
    (void)state;
    dev.seq = 254;
    assert_int_equal(optile_mbox_call(&dev, OPTILE_FW_CMD_PING, 1, 0, NULL), 0);
    assert_int_equal(fake.seq, 255);
    assert_int_equal(optile_mbox_call(&dev, OPTILE_FW_CMD_PING, 1, 0, NULL), 0);
    assert_int_equal(fake.seq, 1); /* 0 is never used */
}

static void test_stale_response_ignored(void **state) {
    (void)state;
    fake.stale_first = 1; /* the previous seq is in mbox_rsp at once */
    fake.delay = 5;
    fake.res0 = 0;
    struct optile_mbox_rsp r;
    uint64_t t0 = m.cycles;
    assert_int_equal(optile_mbox_call(&dev, OPTILE_FW_CMD_COUNTERS, 0, 0, &r), 0);
    assert_int_equal(r.seq, dev.seq);
    assert_int_equal(m.cycles - t0, 5u * OPTILE_POLL_CYCLES); /* waited for the right one */
}

static void test_timeout_then_late_response(void **state) {
    (void)state;
    fake.delay = -1; /* never answers */
    dev.mbox_timeout = 10000;
    uint64_t t0 = m.cycles;
    assert_int_equal(optile_mbox_call(&dev, OPTILE_FW_CMD_STATUS, 0, 0, NULL), -ETIMEDOUT);
    assert_true(m.cycles - t0 >= 10000 && m.cycles - t0 <= 10000 + OPTILE_POLL_CYCLES);
    assert_non_null(strstr(optile_last_error(&dev), "no response"));
    uint8_t lost = dev.seq;
    /* the late response to the lost command arrives; the next command is not fooled */
    fake.delay = 3;
    fake.stale_first = 1; /* = the lost seq */
    assert_int_equal(optile_mbox_call(&dev, OPTILE_FW_CMD_PING, 9, 0, NULL), 0);
    assert_int_equal(dev.seq, (uint8_t)(lost + 1));
}

static void test_firmware_errors(void **state) {
    (void)state;
    static const struct {
        uint8_t status;
        int err;
    } map[] = {
        {OPTILE_FW_ST_UNKNOWN_CMD, -EOPNOTSUPP}, {OPTILE_FW_ST_BAD_ARG, -EINVAL},
        {OPTILE_FW_ST_BUSY, -EBUSY},             {OPTILE_FW_ST_RANGE, -ERANGE},
        {OPTILE_FW_ST_NO_PEAK, -ENOLINK},        {OPTILE_FW_ST_PHY_TIMEOUT, -ETIME},
        {OPTILE_FW_ST_RETRAIN_LIMIT, -ECONNRESET}, {OPTILE_FW_ST_BAD_TILE, -ENODEV},
        {0x77, -EPROTO},
    };
    for (unsigned k = 0; k < sizeof map / sizeof map[0]; k++) {
        fake.status = map[k].status;
        struct optile_mbox_rsp r;
        memset(&r, 0, sizeof r);
        assert_int_equal(optile_mbox_call(&dev, 0x42, 0, 0, &r), map[k].err);
        assert_int_equal(r.status, map[k].status); /* the response is still reported */
        assert_int_equal(optile_fw_errno(map[k].status), map[k].err);
        assert_non_null(strstr(optile_last_error(&dev), "firmware status"));
    }
    assert_int_equal(optile_fw_errno(OPTILE_FW_ST_OK), 0);
    assert_string_equal(optile_fw_state_name(OPTILE_FW_STATE_FAILED_RANGE), "FAILED_RANGE");
    assert_string_equal(optile_fw_state_name(0x55), "unknown");
}

static void test_status_decode(void **state) {
    (void)state;
    fake.state = OPTILE_FW_STATE_FAILED_RANGE;
    fake.status_res0 = OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_LAST_ERROR_MASK, OPTILE_FW_ST_RANGE) |
                       OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_FAILED_MASK, 0x08) |
                       OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_LOCKED_MASK, 0xF7) |
                       OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_TRAIN_STATE_MASK, 5);
    struct optile_fw_info info;
    assert_int_equal(optile_fw_status(&dev, &info), 0);
    assert_int_equal(info.state, OPTILE_FW_STATE_FAILED_RANGE);
    assert_int_equal(info.last_error, OPTILE_FW_ST_RANGE);
    assert_int_equal(info.failed_lanes, 0x08);
    assert_int_equal(info.locked_lanes, 0xF7);
    assert_int_equal(info.train_state, 5);
}

static void test_link_up(void **state) {
    (void)state;
    static const uint8_t script[] = {OPTILE_FW_STATE_RING_TUNE, OPTILE_FW_STATE_RING_TUNE,
                                     OPTILE_FW_STATE_LINK_WAIT, OPTILE_FW_STATE_LINK_UP};
    fake.state = OPTILE_FW_STATE_BRINGUP;
    fake.script = script;
    fake.script_len = sizeof script;
    assert_int_equal(optile_link_up(&dev, 0, 100000), 0);
    assert_int_equal(fake.code, OPTILE_FW_CMD_LINK_UP);
    assert_int_equal(fake.arg0, 0);
    assert_true(optile_hal_mock_get(&m, OPTILE_CSR_CTRL_OFFSET) & OPTILE_CSR_CTRL_LINK_EN_MASK);
    assert_int_equal(optile_fw_state(&dev), OPTILE_FW_STATE_LINK_UP);
    /* down: LINK_DOWN and link_en cleared */
    fake.state = OPTILE_FW_STATE_READY;
    assert_int_equal(optile_link_down(&dev), 0);
    assert_int_equal(fake.code, OPTILE_FW_CMD_LINK_DOWN);
    assert_false(optile_hal_mock_get(&m, OPTILE_CSR_CTRL_OFFSET) & OPTILE_CSR_CTRL_LINK_EN_MASK);
}

static void test_link_up_failures(void **state) {
    (void)state;
    /* the firmware reports FAILED_RANGE: the driver asks STATUS and maps its error */
    static const uint8_t fail_range[] = {OPTILE_FW_STATE_RING_TUNE, OPTILE_FW_STATE_FAILED_RANGE};
    fake.state = OPTILE_FW_STATE_BRINGUP;
    fake.script = fail_range;
    fake.script_len = sizeof fail_range;
    fake.status_res0 = OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_LAST_ERROR_MASK, OPTILE_FW_ST_RANGE) |
                       OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_FAILED_MASK, 0x40);
    assert_int_equal(optile_link_up(&dev, 0xFF, 100000), -ERANGE);
    assert_non_null(strstr(optile_last_error(&dev), "FAILED_RANGE"));
    assert_non_null(strstr(optile_last_error(&dev), "0x40"));

    /* no progress: -ETIMEDOUT */
    static const uint8_t stuck[] = {OPTILE_FW_STATE_RING_TUNE};
    fake.state = OPTILE_FW_STATE_BRINGUP;
    fake.script = stuck;
    fake.script_len = sizeof stuck;
    fake.script_pos = 0;
    assert_int_equal(optile_link_up(&dev, 0, 20000), -ETIMEDOUT);
    assert_non_null(strstr(optile_last_error(&dev), "RING_TUNE"));

    /* refused by the firmware */
    fake.script = NULL;
    fake.status = OPTILE_FW_ST_BAD_TILE;
    assert_int_equal(optile_link_up(&dev, 0, 20000), -ENODEV);

    /* a lane mask beyond the tile: refused before any command */
    unsigned before = fake.commands;
    assert_int_equal(optile_link_up(&dev, 0x100, 0), -EINVAL);
    assert_int_equal(fake.commands, before);
}

static void test_wait_ready(void **state) {
    (void)state;
    static const uint8_t boot[] = {OPTILE_FW_STATE_BOOT, OPTILE_FW_STATE_BOOT, OPTILE_FW_STATE_READY};
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET, 0);
    fake.script = boot;
    fake.script_len = sizeof boot;
    assert_int_equal(optile_fw_wait_ready(&dev, 10000), 0);
    fake.script = NULL;
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET, 0);
    assert_int_equal(optile_fw_wait_ready(&dev, 1000), -ETIMEDOUT);
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET,
                        OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, OPTILE_FW_STATE_FAILED_TILE));
    assert_int_equal(optile_fw_wait_ready(&dev, 1000), -ENODEV);
}

static void test_counter_and_param(void **state) {
    (void)state;
    fake.res0 = 0;
    uint32_t v0 = 1, v1 = 1;
    assert_int_equal(optile_fw_counter(&dev, OPTILE_FW_CNT_RETRAINS, &v0, &v1), 0);
    assert_int_equal(fake.code, OPTILE_FW_CMD_COUNTERS);
    assert_int_equal(fake.arg0, OPTILE_FW_CNT_RETRAINS);
    assert_int_equal(optile_fw_set_param(&dev, OPTILE_FW_PARAM_DWELL, 128), 0);
    assert_int_equal(fake.code, OPTILE_FW_CMD_SET_PARAM);
    assert_int_equal(fake.arg0, OPTILE_FW_PARAM_DWELL);
    assert_int_equal(fake.arg1, 128);
    fake.status = OPTILE_FW_ST_BUSY;
    assert_int_equal(optile_fw_set_param(&dev, OPTILE_FW_PARAM_DWELL, 128), -EBUSY);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ping_writes_and_seq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seq_wraps_past_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_response_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_then_late_response, setup, teardown),
        cmocka_unit_test_setup_teardown(test_firmware_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_decode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_up_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_ready, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counter_and_param, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
