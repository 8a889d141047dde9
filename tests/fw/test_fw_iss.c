/*
 * test_fw_iss.c - the real firmware ELF (build/fw/optile-fw.elf: RV32IM,
 * picolibc, firmware/link.ld, mmio_hw.c) on the instruction-set simulator
 * of csim/iss, its CSR window wired to the simulated tile of fw_mock.c
 * (two bus cycles per access). Shows the target build behaves as the
 * native one: boot report, mailbox, link bring-up to TRACKING, retrain.
 * usage: test_fw_iss FIRMWARE.elf
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "fw_mock.h"
#include "iss/iss.h"

static const char *elf_path;
static iss *hart;
static int bus_busy; /* the second cycle of a transfer completes it */

static int bus_read(void *ctx, uint32_t off, uint32_t *data) {
    (void)ctx;
    if (!bus_busy) {
        bus_busy = 1;
        return ISS_BUS_WAIT;
    }
    bus_busy = 0;
    *data = mock_host_read(off);
    return ISS_BUS_OK;
}

static int bus_write(void *ctx, uint32_t off, uint32_t data, uint32_t strb) {
    (void)ctx;
    (void)strb;
    if (!bus_busy) {
        bus_busy = 1;
        return ISS_BUS_WAIT;
    }
    bus_busy = 0;
    mock_host_write(off, data);
    return ISS_BUS_OK;
}

/* Steps the hart for `cycles` cycles, or until pred() holds. Tile time
 * follows the hart's mcycle. Fails the test on any trap. */
static int run(uint32_t cycles, int (*pred)(void)) {
    for (uint32_t c = 0; c < cycles; c++) {
        if (pred && pred()) return 1;
        iss_status st = iss_step(hart);
        mock.now = (uint32_t)iss_cycles(hart);
        if (st == ISS_EXCEPTION || st == ISS_INTERRUPT || st == ISS_HALTED) {
            const iss_step_info *i = iss_last_step(hart);
            fail_msg("firmware trapped: status %d, cause %u, pc 0x%08x, tval 0x%08x", (int)st,
                     (unsigned)i->cause, (unsigned)i->pc, (unsigned)i->tval);
        }
    }
    return pred ? pred() : 1;
}

static uint8_t want_state;
static int state_reached(void) {
    return mock_rsp_state() == want_state;
}

static uint8_t want_seq;
static int seq_reached(void) {
    return OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_SEQ_MASK, mock.regs[OPTILE_CSR_MBOX_RSP_OFFSET / 4]) ==
           want_seq;
}

static uint32_t call(uint8_t code, uint8_t seq, uint32_t arg0, uint32_t *res0) {
    mock_host_cmd(code, seq, arg0, 0);
    want_seq = seq;
    assert_true(run(200000, seq_reached));
    if (res0) *res0 = mock.regs[OPTILE_CSR_MBOX_RES0_OFFSET / 4];
    return mock.regs[OPTILE_CSR_MBOX_RSP_OFFSET / 4];
}

static int setup(void **state) {
    (void)state;
    mock_reset(5);
    char err[256];
    iss_config cfg = {0};
    cfg.bus.read32 = bus_read;
    cfg.bus.write32 = bus_write;
    hart = iss_new(&cfg, err, sizeof err);
    if (!hart) fail_msg("iss_new: %s", err);
    if (iss_load_elf(hart, elf_path, err, sizeof err)) fail_msg("%s", err);
    bus_busy = 0;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    iss_free(hart);
    return 0;
}

static void test_boot_and_mailbox(void **state) {
    (void)state;
    want_state = FW_STATE_READY;
    assert_true(run(100000, state_reached));
    uint32_t r0 = 0;
    uint32_t rsp = call(FW_CMD_PING, 1, 0x0BADF00Du, &r0);
    assert_int_equal(OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATUS_MASK, rsp), FW_ST_OK);
    assert_int_equal(r0, ~0x0BADF00Du);
    assert_int_equal(mock.regs[OPTILE_CSR_MBOX_RES1_OFFSET / 4], FW_VERSION);
    rsp = call(0x99, 2, 0, NULL);
    assert_int_equal(OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATUS_MASK, rsp), FW_ST_UNKNOWN_CMD);
    /* mcycle works: COUNTERS(VERSION).res1 is the hart's cycle count */
    (void)call(FW_CMD_COUNTERS, 3, FW_CNT_VERSION, NULL);
    uint32_t cyc = mock.regs[OPTILE_CSR_MBOX_RES1_OFFSET / 4];
    assert_true(cyc > 1000 && cyc <= mock.now);
}

static void test_link_up_on_the_target(void **state) {
    (void)state;
    for (unsigned i = 0; i < 8; i++) mock.lane[i].res0 = 600.0 + 400.0 * i;
    want_state = FW_STATE_READY;
    assert_true(run(100000, state_reached));
    uint32_t rsp = call(FW_CMD_LINK_UP, 1, 0, NULL);
    assert_int_equal(OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATUS_MASK, rsp), FW_ST_OK);
    want_state = FW_STATE_TRACKING;
    assert_true(run(3000000, state_reached));
    assert_int_equal(mock.phy, FW_PHY_ACTIVE);
    for (unsigned i = 0; i < 8; i++) {
        uint32_t r0;
        (void)call(FW_CMD_COUNTERS, (uint8_t)(10 + i), FW_CNT_LANE0 + i, &r0);
        double d = (double)OPTILE_CSR_FIELD_GET(FW_LANE0_HEATER_MASK, r0) - mock_resonance(i);
        if (d > 3 || d < -3) fail_msg("lane %u off by %.1f codes", i, d);
    }
    printf("ISS: TRACKING after %u cycles, %llu instructions\n", (unsigned)mock.now,
           (unsigned long long)iss_instret(hart));
    /* a link-down: the firmware on the hart retrains */
    mock_phy_force(FW_PHY_DOWN);
    want_state = FW_STATE_RETRAINING;
    assert_true(run(100000, state_reached));
    want_state = FW_STATE_TRACKING;
    assert_true(run(3000000, state_reached));
    assert_int_equal(mock.phy, FW_PHY_ACTIVE);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FIRMWARE.elf\n", argv[0]);
        return 2;
    }
    elf_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_boot_and_mailbox, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_up_on_the_target, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
