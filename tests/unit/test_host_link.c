/*
 * test_host_link.c - the two halves of link bring-up and the one-shot link
 * status of the host driver (optile_link_start, optile_link_wait,
 * optile_link_status; docs/spec.md 10.1-10.4 and 10.10) on the mock HAL.
 *
 * A small fake firmware sits behind the mock's hooks: it answers every
 * mailbox command at once (or never), with a per-command status, and after
 * each HAL wait it may move its reported state along a script. Every write
 * the driver makes is logged and checked by its generated register name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hal_mock.h"
#include "optile_drv.h"

static struct optile_hal_mock m;
static struct optile_hal hal;
static struct optile_dev dev;

/* ---- fake firmware and the write log --------------------------------------------------- */

#define LOG_MAX 64

static struct {
    int silent;                 /* never answers a command */
    uint8_t status_of[256];     /* status answered per command code (default OK) */
    uint8_t state;              /* state reported in mbox_rsp */
    uint32_t status_res0;       /* STATUS res0 (last_error, lanes, train state) */
    const uint8_t *script;      /* states taken after each later wait */
    unsigned script_len, script_pos;
    int wait_rc;                /* result of every HAL wait */
    unsigned commands;          /* mbox_cmd writes */
    uint8_t code, seq;          /* the last command */
    uint32_t arg0, arg1;
    unsigned rsp_reads;         /* reads of mbox_rsp */
    unsigned nlog;
    struct {
        uint32_t off, val;
    } log[LOG_MAX];
} fw;

static void rsp_set_state(uint8_t state) {
    uint32_t v = optile_hal_mock_get(&m, OPTILE_CSR_MBOX_RSP_OFFSET) & ~OPTILE_CSR_MBOX_RSP_STATE_MASK;
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET,
                        v | OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, state));
    fw.state = state;
}

static void fw_answer(void) {
    uint32_t res0 = 0, res1 = 0;
    if (fw.code == OPTILE_FW_CMD_LINK_UP) res0 = fw.arg0;
    if (fw.code == OPTILE_FW_CMD_STATUS) res0 = fw.status_res0;
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RES0_OFFSET, res0);
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RES1_OFFSET, res1);
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET,
                        OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATUS_MASK, fw.status_of[fw.code]) |
                            OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_SEQ_MASK, fw.seq) |
                            OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, fw.state));
    optile_hal_mock_set(&m, OPTILE_CSR_INTR_STATE_OFFSET,
                        optile_hal_mock_get(&m, OPTILE_CSR_INTR_STATE_OFFSET) |
                            OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
}

static int fw_read(void *user, uint32_t off, uint32_t *val) {
    (void)user;
    (void)val;
    if (off == OPTILE_CSR_MBOX_RSP_OFFSET) fw.rsp_reads++;
    return 0; /* from the register file */
}

static int fw_write(void *user, uint32_t off, uint32_t val) {
    (void)user;
    if (fw.nlog < LOG_MAX) {
        fw.log[fw.nlog].off = off;
        fw.log[fw.nlog].val = val;
    }
    fw.nlog++;
    if (off == OPTILE_CSR_INTR_STATE_OFFSET) { /* W1C */
        optile_hal_mock_set(&m, off, optile_hal_mock_get(&m, off) & ~val);
        return 1;
    }
    if (off == OPTILE_CSR_MBOX_CMD_OFFSET) {
        fw.commands++;
        fw.code = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_CMD_CODE_MASK, val);
        fw.seq = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_CMD_SEQ_MASK, val);
        fw.arg0 = optile_hal_mock_get(&m, OPTILE_CSR_MBOX_ARG0_OFFSET);
        fw.arg1 = optile_hal_mock_get(&m, OPTILE_CSR_MBOX_ARG1_OFFSET);
        optile_hal_mock_set(&m, off, val);
        if (!fw.silent) fw_answer();
        return 1;
    }
    return 0;
}

static int fw_wait(void *user, uint32_t cycles) {
    (void)user;
    (void)cycles;
    if (fw.script && fw.script_pos < fw.script_len) rsp_set_state(fw.script[fw.script_pos++]);
    return fw.wait_rc;
}

static void run_script(const uint8_t *s, unsigned n) {
    fw.script = s;
    fw.script_len = n;
    fw.script_pos = 0;
}

static void clear_log(void) {
    fw.nlog = 0;
    fw.commands = 0;
    fw.rsp_reads = 0;
}

static uint32_t cmd_word(uint8_t code, uint8_t seq) {
    return OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_CODE_MASK, code) |
           OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_SEQ_MASK, seq);
}

static void assert_logged(unsigned i, uint32_t off, uint32_t val) {
    assert_true(i < fw.nlog);
    assert_int_equal(fw.log[i].off, off);
    assert_int_equal(fw.log[i].val, val);
}

/* The four writes of one mailbox exchange starting at log entry i. */
static void assert_mbox_exchange(unsigned i, uint8_t code, uint8_t seq, uint32_t arg0, uint32_t arg1) {
    assert_logged(i, OPTILE_CSR_MBOX_ARG0_OFFSET, arg0);
    assert_logged(i + 1, OPTILE_CSR_MBOX_ARG1_OFFSET, arg1);
    assert_logged(i + 2, OPTILE_CSR_MBOX_CMD_OFFSET, cmd_word(code, seq));
    assert_logged(i + 3, OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
}

static uint32_t status_res0(uint8_t last_error, uint8_t failed_lanes) {
    return OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_LAST_ERROR_MASK, last_error) |
           OPTILE_CSR_FIELD_PREP(OPTILE_FW_STATUS0_FAILED_MASK, failed_lanes);
}

static void open_dev(unsigned lanes, uint8_t state) {
    memset(&fw, 0, sizeof fw);
    assert_int_equal(optile_hal_mock_init(&m, 1u << 16, &hal), 0);
    optile_hal_mock_set(&m, OPTILE_CSR_TILE_CFG_OFFSET,
                        OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_LANES_MASK, lanes) |
                            OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_VCS_MASK, 2));
    optile_hal_mock_set(&m, OPTILE_CSR_MBOX_RSP_OFFSET,
                        OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_SEQ_MASK, 7) |
                            OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, state));
    fw.state = state;
    m.hooks.read32 = fw_read;
    m.hooks.write32 = fw_write;
    m.hooks.wait = fw_wait;
    assert_int_equal(optile_open(&dev, &hal), 0);
    assert_int_equal(dev.lanes, lanes);
    clear_log();
}

static int setup(void **state) {
    (void)state;
    open_dev(8, OPTILE_FW_STATE_READY);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    optile_close(&dev);
    optile_hal_mock_fini(&m);
    return 0;
}

/* ---- optile_link_start ------------------------------------------------------------------- */

static void test_start_writes(void **state) {
    (void)state;
    /* a stale soft_rst bit in ctrl must not be written back (it is a pulse) */
    uint32_t before = optile_hal_mock_get(&m, OPTILE_CSR_CTRL_OFFSET) | OPTILE_CSR_CTRL_SOFT_RST_MASK;
    optile_hal_mock_set(&m, OPTILE_CSR_CTRL_OFFSET, before);
    assert_true(before & OPTILE_CSR_CTRL_TILE_EN_MASK);
    assert_false(before & OPTILE_CSR_CTRL_LINK_EN_MASK);
    uint8_t seq = (uint8_t)(dev.seq + 1u);
    const uint32_t mask = 0x0Fu;

    assert_int_equal(optile_link_start(&dev, mask), 0);
    assert_int_equal(fw.nlog, 5);
    uint32_t ctrl = (before & ~OPTILE_CSR_CTRL_SOFT_RST_MASK) | OPTILE_CSR_CTRL_LINK_EN_MASK;
    assert_logged(0, OPTILE_CSR_CTRL_OFFSET, ctrl); /* link_en before LINK_UP */
    assert_mbox_exchange(1, OPTILE_FW_CMD_LINK_UP, seq, mask, 0);
    assert_int_equal(fw.commands, 1);
    assert_int_equal(dev.seq, seq);
    /* tile_en kept, link_en set, soft_rst not set */
    uint32_t now = optile_hal_mock_get(&m, OPTILE_CSR_CTRL_OFFSET);
    assert_true(now & OPTILE_CSR_CTRL_TILE_EN_MASK);
    assert_true(now & OPTILE_CSR_CTRL_LINK_EN_MASK);
    assert_false(now & OPTILE_CSR_CTRL_SOFT_RST_MASK);
    /* the response was acknowledged */
    assert_false(optile_hal_mock_get(&m, OPTILE_CSR_INTR_STATE_OFFSET) & OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
    /* start does not wait for the link */
    assert_int_equal(m.cycles, 0);

    /* a second start takes the next seq; mask 0 means every lane */
    clear_log();
    assert_int_equal(optile_link_start(&dev, 0), 0);
    assert_mbox_exchange(1, OPTILE_FW_CMD_LINK_UP, (uint8_t)(seq + 1u), 0, 0);
}

static void test_start_lane_mask_bounds(void **state) {
    (void)state;
    teardown(NULL);
    open_dev(4, OPTILE_FW_STATE_READY);
    const uint32_t all = (1u << dev.lanes) - 1u;
    assert_int_equal(optile_link_start(&dev, all), 0); /* the tile's every lane: accepted */
    assert_int_equal(fw.arg0, all);
    /* one lane beyond the tile: refused before any register write */
    optile_hal_mock_set(&m, OPTILE_CSR_CTRL_OFFSET, OPTILE_CSR_CTRL_TILE_EN_MASK);
    clear_log();
    assert_int_equal(optile_link_start(&dev, 1u << dev.lanes), -EINVAL);
    assert_int_equal(fw.nlog, 0);
    assert_int_equal(fw.commands, 0);
    assert_false(optile_hal_mock_get(&m, OPTILE_CSR_CTRL_OFFSET) & OPTILE_CSR_CTRL_LINK_EN_MASK);
    assert_non_null(strstr(optile_last_error(&dev), "lane mask"));
    assert_int_equal(optile_link_start(&dev, 0x80000000u), -EINVAL);
    assert_int_equal(fw.nlog, 0);
}

static void test_start_refused(void **state) {
    (void)state;
    static const struct {
        uint8_t status;
        int err;
    } cases[] = {
        {OPTILE_FW_ST_BUSY, -EBUSY},
        {OPTILE_FW_ST_BAD_TILE, -ENODEV},
        {OPTILE_FW_ST_BAD_ARG, -EINVAL},
        {OPTILE_FW_ST_UNKNOWN_CMD, -EOPNOTSUPP},
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        fw.status_of[OPTILE_FW_CMD_LINK_UP] = cases[k].status;
        clear_log();
        assert_int_equal(optile_link_start(&dev, 0), cases[k].err);
        assert_int_equal(fw.commands, 1);
        assert_int_equal(fw.code, OPTILE_FW_CMD_LINK_UP);
        assert_int_equal(dev.fw_status, cases[k].status);
        assert_non_null(strstr(optile_last_error(&dev), "firmware status"));
    }
    /* OK again: 0 */
    fw.status_of[OPTILE_FW_CMD_LINK_UP] = OPTILE_FW_ST_OK;
    assert_int_equal(optile_link_start(&dev, 0), 0);
}

static void test_start_no_answer(void **state) {
    (void)state;
    fw.silent = 1;
    dev.mbox_timeout = 4096;
    assert_int_equal(optile_link_start(&dev, 0), -ETIMEDOUT);
    assert_true(m.cycles >= dev.mbox_timeout && m.cycles <= dev.mbox_timeout + dev.poll_cycles);
    assert_non_null(strstr(optile_last_error(&dev), "no response"));
    /* link_en was set before the command went out */
    assert_true(optile_hal_mock_get(&m, OPTILE_CSR_CTRL_OFFSET) & OPTILE_CSR_CTRL_LINK_EN_MASK);
}

static void test_bad_device(void **state) {
    (void)state;
    assert_int_equal(optile_link_start(NULL, 0), -EINVAL);
    assert_int_equal(optile_link_wait(NULL, 1000), -EINVAL);
    assert_int_equal(optile_link_status(NULL), -EINVAL);
    assert_int_equal(fw.nlog, 0);
    /* a closed device: -ENODEV, and nothing reaches the tile */
    optile_close(&dev);
    clear_log();
    unsigned reads = m.reads;
    assert_int_equal(optile_link_start(&dev, 0), -ENODEV);
    assert_int_equal(optile_link_wait(&dev, 1000), -ENODEV);
    assert_int_equal(optile_link_status(&dev), -ENODEV);
    assert_non_null(strstr(optile_last_error(&dev), "not open"));
    assert_int_equal(fw.nlog, 0);
    assert_int_equal(m.reads, reads);
    assert_int_equal(m.cycles, 0);
}

/* ---- optile_link_status ------------------------------------------------------------------- */

static void test_status_up_and_not_yet(void **state) {
    (void)state;
    static const struct {
        uint8_t state;
        int want;
    } cases[] = {
        {OPTILE_FW_STATE_LINK_UP, 1},   {OPTILE_FW_STATE_TRACKING, 1},
        {OPTILE_FW_STATE_BOOT, 0},      {OPTILE_FW_STATE_READY, 0},
        {OPTILE_FW_STATE_BRINGUP, 0},   {OPTILE_FW_STATE_RING_TUNE, 0},
        {OPTILE_FW_STATE_LINK_WAIT, 0}, {OPTILE_FW_STATE_RETRAINING, 0},
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        rsp_set_state(cases[k].state);
        clear_log();
        assert_int_equal(optile_link_status(&dev), cases[k].want);
        /* one mbox_rsp read, no command, no write, no wait */
        assert_int_equal(fw.rsp_reads, 1);
        assert_int_equal(fw.commands, 0);
        assert_int_equal(fw.nlog, 0);
        assert_int_equal(m.cycles, 0);
        assert_int_equal(dev.fw_state, cases[k].state);
    }
}

static void test_status_failed_maps_last_error(void **state) {
    (void)state;
    static const struct {
        uint8_t state, last_error;
        int err;
    } cases[] = {
        {OPTILE_FW_STATE_FAILED_RANGE, OPTILE_FW_ST_RANGE, -ERANGE},
        {OPTILE_FW_STATE_FAILED_NOPEAK, OPTILE_FW_ST_NO_PEAK, -ENOLINK},
        {OPTILE_FW_STATE_FAILED_PHY, OPTILE_FW_ST_PHY_TIMEOUT, -ETIME},
        {OPTILE_FW_STATE_FAILED_PHY, OPTILE_FW_ST_RETRAIN_LIMIT, -ECONNRESET},
        {OPTILE_FW_STATE_FAILED_TILE, OPTILE_FW_ST_BAD_TILE, -ENODEV},
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        rsp_set_state(cases[k].state);
        const uint8_t lanes = (uint8_t)(1u << k);
        fw.status_res0 = status_res0(cases[k].last_error, lanes);
        clear_log();
        uint8_t seq = (uint8_t)(dev.seq + 1u);
        assert_int_equal(optile_link_status(&dev), cases[k].err);
        /* exactly one STATUS exchange was made to learn the error */
        assert_int_equal(fw.commands, 1);
        assert_int_equal(fw.nlog, 4);
        assert_mbox_exchange(0, OPTILE_FW_CMD_STATUS, seq, 0, 0);
        /* the message names the state and the failed lanes */
        assert_non_null(strstr(optile_last_error(&dev), optile_fw_state_name(cases[k].state)));
        char hex[8];
        snprintf(hex, sizeof hex, "0x%02x", lanes);
        assert_non_null(strstr(optile_last_error(&dev), hex));
    }
}

static void test_status_failed_without_error(void **state) {
    (void)state;
    /* a FAILED state whose STATUS reports no last error is still an error */
    rsp_set_state(OPTILE_FW_STATE_FAILED_RANGE);
    fw.status_res0 = status_res0(0, 0);
    int rc = optile_link_status(&dev);
    assert_true(rc < 0);
    assert_int_equal(rc, -EIO);
    /* an unknown last error code is a protocol error */
    fw.status_res0 = status_res0(0x7E, 0);
    assert_int_equal(optile_link_status(&dev), -EPROTO);
    /* STATUS itself refused or unanswered: that error comes back */
    fw.status_res0 = status_res0(OPTILE_FW_ST_RANGE, 1);
    fw.status_of[OPTILE_FW_CMD_STATUS] = OPTILE_FW_ST_BUSY;
    assert_int_equal(optile_link_status(&dev), -EBUSY);
    fw.status_of[OPTILE_FW_CMD_STATUS] = OPTILE_FW_ST_OK;
    fw.silent = 1;
    dev.mbox_timeout = 1024;
    assert_int_equal(optile_link_status(&dev), -ETIMEDOUT);
    /* and once the firmware answers, the mapped error again */
    fw.silent = 0;
    assert_int_equal(optile_link_status(&dev), -ERANGE);
}

/* ---- optile_link_wait -------------------------------------------------------------------- */

static void test_wait_until_up(void **state) {
    (void)state;
    static const uint8_t seq[] = {OPTILE_FW_STATE_RING_TUNE, OPTILE_FW_STATE_RING_TUNE,
                                  OPTILE_FW_STATE_LINK_WAIT, OPTILE_FW_STATE_TRACKING};
    rsp_set_state(OPTILE_FW_STATE_BRINGUP);
    run_script(seq, sizeof seq);
    assert_int_equal(optile_link_wait(&dev, 100000), 0);
    /* polled every OPTILE_LINK_POLL_CYCLES until the last scripted state */
    assert_int_equal(fw.script_pos, sizeof seq);
    assert_int_equal(m.cycles, (uint64_t)sizeof seq * OPTILE_LINK_POLL_CYCLES);
    assert_int_equal(fw.rsp_reads, sizeof seq + 1);
    /* only reads: no command while the link is coming up */
    assert_int_equal(fw.commands, 0);
    assert_int_equal(fw.nlog, 0);

    /* already up: returns at once */
    uint64_t t0 = m.cycles;
    assert_int_equal(optile_link_wait(&dev, 100000), 0);
    assert_int_equal(m.cycles, t0);
}

static void test_wait_start_then_wait(void **state) {
    (void)state;
    /* the two halves used as optile_link_up would */
    static const uint8_t seq[] = {OPTILE_FW_STATE_RING_TUNE, OPTILE_FW_STATE_LINK_WAIT,
                                  OPTILE_FW_STATE_LINK_UP};
    fw.state = OPTILE_FW_STATE_BRINGUP; /* the state LINK_UP is answered in */
    assert_int_equal(optile_link_start(&dev, 0x3), 0);
    assert_int_equal(optile_link_status(&dev), 0);
    run_script(seq, sizeof seq);
    assert_int_equal(optile_link_wait(&dev, 0), 0);
    assert_int_equal(optile_link_status(&dev), 1);
    assert_int_equal(fw.commands, 1); /* LINK_UP only */
}

static void test_wait_times_out(void **state) {
    (void)state;
    static const uint8_t stuck[] = {OPTILE_FW_STATE_RING_TUNE};
    rsp_set_state(OPTILE_FW_STATE_BRINGUP);
    run_script(stuck, sizeof stuck);
    const uint32_t timeout = 20000;
    assert_int_equal(optile_link_wait(&dev, timeout), -ETIMEDOUT);
    assert_true(m.cycles >= timeout);
    assert_true(m.cycles <= (uint64_t)timeout + OPTILE_LINK_POLL_CYCLES);
    assert_non_null(strstr(optile_last_error(&dev), "not up"));
    assert_non_null(strstr(optile_last_error(&dev), "RING_TUNE"));
    assert_int_equal(fw.commands, 0);

    /* timeout 0 is the default, OPTILE_LINK_TIMEOUT_CYCLES, not "at once" */
    uint64_t t0 = m.cycles;
    assert_int_equal(optile_link_wait(&dev, 0), -ETIMEDOUT);
    assert_true(m.cycles - t0 >= OPTILE_LINK_TIMEOUT_CYCLES);
    assert_true(m.cycles - t0 <= (uint64_t)OPTILE_LINK_TIMEOUT_CYCLES + OPTILE_LINK_POLL_CYCLES);

    /* up on the last poll before the deadline: no timeout */
    static const uint8_t late[] = {OPTILE_FW_STATE_RING_TUNE, OPTILE_FW_STATE_LINK_UP};
    rsp_set_state(OPTILE_FW_STATE_BRINGUP);
    run_script(late, sizeof late);
    assert_int_equal(optile_link_wait(&dev, (uint32_t)sizeof late * OPTILE_LINK_POLL_CYCLES), 0);
    /* one poll less: the deadline passes first */
    rsp_set_state(OPTILE_FW_STATE_BRINGUP);
    run_script(late, sizeof late);
    assert_int_equal(optile_link_wait(&dev, (uint32_t)(sizeof late - 1) * OPTILE_LINK_POLL_CYCLES),
                     -ETIMEDOUT);
}

static void test_wait_fails(void **state) {
    (void)state;
    static const uint8_t seq[] = {OPTILE_FW_STATE_RING_TUNE, OPTILE_FW_STATE_FAILED_RANGE};
    rsp_set_state(OPTILE_FW_STATE_BRINGUP);
    run_script(seq, sizeof seq);
    fw.status_res0 = status_res0(OPTILE_FW_ST_RANGE, 0x20);
    assert_int_equal(optile_link_wait(&dev, 100000), -ERANGE);
    /* stopped at the failure, long before the timeout */
    assert_int_equal(m.cycles, (uint64_t)sizeof seq * OPTILE_LINK_POLL_CYCLES);
    assert_int_equal(fw.commands, 1);
    assert_int_equal(fw.code, OPTILE_FW_CMD_STATUS);
    assert_non_null(strstr(optile_last_error(&dev), "FAILED_RANGE"));

    /* no light: -ENOLINK */
    static const uint8_t dark[] = {OPTILE_FW_STATE_FAILED_NOPEAK};
    rsp_set_state(OPTILE_FW_STATE_RING_TUNE);
    run_script(dark, sizeof dark);
    fw.status_res0 = status_res0(OPTILE_FW_ST_NO_PEAK, 0xFF);
    assert_int_equal(optile_link_wait(&dev, 100000), -ENOLINK);
}

static void test_wait_hal_error(void **state) {
    (void)state;
    rsp_set_state(OPTILE_FW_STATE_BRINGUP);
    fw.wait_rc = -EIO;
    assert_int_equal(optile_link_wait(&dev, 100000), -EIO);
    assert_int_equal(m.waits, 1); /* gave up at the first failed wait */
    assert_non_null(strstr(optile_last_error(&dev), "wait failed"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_start_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_lane_mask_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_no_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_device, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_up_and_not_yet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_failed_maps_last_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_failed_without_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_until_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_start_then_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_hal_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
