/*
 * test_host_drv.c - host driver: open (identify + reset), route table,
 * interrupts, counters and bad input (docs/spec.md 10.10), on the mock HAL
 * with cmocka expectations on every register access by its generated name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hal_hw.h"
#include "hal_mock.h"
#include "optile_drv.h"

static struct optile_hal_mock m;
static struct optile_hal hal;
static struct optile_dev dev;

/* ---- strict hooks: every access must have been expected ---------------------------- */

static int strict_read(void *user, uint32_t off, uint32_t *val) {
    (void)user;
    check_expected(off);
    *val = mock_type(uint32_t);
    return 1;
}

static int strict_write(void *user, uint32_t off, uint32_t val) {
    (void)user;
    check_expected(off);
    check_expected(val);
    return 0; /* and store it */
}

#define EXPECT_READ(o, v)                                                                          \
    do {                                                                                           \
        expect_value(strict_read, off, (o));                                                       \
        will_return(strict_read, (uint32_t)(v));                                                   \
    } while (0)
#define EXPECT_WRITE(o, v)                                                                         \
    do {                                                                                           \
        expect_value(strict_write, off, (o));                                                      \
        expect_value(strict_write, val, (uint32_t)(v));                                            \
    } while (0)

static void strict(int on) {
    m.hooks.read32 = on ? strict_read : NULL;
    m.hooks.write32 = on ? strict_write : NULL;
}

static int setup(void **state) {
    (void)state;
    assert_int_equal(optile_hal_mock_init(&m, 1u << 20, &hal), 0);
    memset(&dev, 0, sizeof dev);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    optile_close(&dev);
    optile_hal_mock_fini(&m);
    return 0;
}

static void expect_reset_writes(void) {
    EXPECT_WRITE(OPTILE_CSR_DMA_CTRL_OFFSET, 0);
    EXPECT_WRITE(OPTILE_CSR_INTR_ENABLE_OFFSET, 0);
    EXPECT_WRITE(OPTILE_CSR_INTR_STATE_OFFSET,
                 OPTILE_CSR_INTR_STATE_DMA_CPL_MASK | OPTILE_CSR_INTR_STATE_LINK_UP_MASK |
                     OPTILE_CSR_INTR_STATE_LINK_DOWN_MASK | OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK |
                     OPTILE_CSR_INTR_STATE_RX_ERROR_MASK);
    EXPECT_WRITE(OPTILE_CSR_CTRL_OFFSET, OPTILE_CSR_CTRL_SOFT_RST_MASK);
    EXPECT_WRITE(OPTILE_CSR_CTRL_OFFSET, OPTILE_CSR_CTRL_TILE_EN_MASK);
}

static void test_open_sequence(void **state) {
    (void)state;
    strict(1);
    EXPECT_READ(OPTILE_CSR_ID_OFFSET, OPTILE_CSR_ID_VALUE_RESET);
    EXPECT_READ(OPTILE_CSR_VERSION_OFFSET, OPTILE_CSR_VERSION_RESET);
    EXPECT_READ(OPTILE_CSR_TILE_CFG_OFFSET, OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_LANES_MASK, 4) |
                                                OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_VCS_MASK, 2));
    expect_reset_writes();
    EXPECT_READ(OPTILE_CSR_MBOX_RSP_OFFSET, OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_SEQ_MASK, 41) |
                                                OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK,
                                                                      OPTILE_FW_STATE_READY));
    assert_int_equal(optile_open(&dev, &hal), 0);
    assert_int_equal(dev.lanes, 4);
    assert_int_equal(dev.vcs, 2);
    assert_int_equal(dev.seq, 41); /* the next command uses 42 */
    assert_int_equal(dev.fw_state, OPTILE_FW_STATE_READY);
    assert_string_equal(optile_last_error(&dev), "");
    strict(0);
}

static void test_identify_mismatch(void **state) {
    (void)state;
    strict(1);
    /* wrong identity: -ENODEV, and not a single write */
    EXPECT_READ(OPTILE_CSR_ID_OFFSET, 0x12345678u);
    assert_int_equal(optile_open(&dev, &hal), -ENODEV);
    assert_non_null(strstr(optile_last_error(&dev), "0x12345678"));
    /* nobody answers */
    EXPECT_READ(OPTILE_CSR_ID_OFFSET, 0xFFFFFFFFu);
    assert_int_equal(optile_open(&dev, &hal), -ENODEV);
    assert_non_null(strstr(optile_last_error(&dev), "no device"));
    /* another register-map major version, or an older minor */
    EXPECT_READ(OPTILE_CSR_ID_OFFSET, OPTILE_CSR_ID_VALUE_RESET);
    EXPECT_READ(OPTILE_CSR_VERSION_OFFSET,
                OPTILE_CSR_VERSION_RESET + OPTILE_CSR_FIELD_PREP(OPTILE_CSR_VERSION_MAJOR_MASK, 1));
    assert_int_equal(optile_open(&dev, &hal), -ENODEV);
    assert_non_null(strstr(optile_last_error(&dev), "version"));
    EXPECT_READ(OPTILE_CSR_ID_OFFSET, OPTILE_CSR_ID_VALUE_RESET);
    EXPECT_READ(OPTILE_CSR_VERSION_OFFSET,
                OPTILE_CSR_VERSION_RESET & ~OPTILE_CSR_VERSION_MINOR_MASK);
    assert_int_equal(optile_open(&dev, &hal), -ENODEV);
    strict(0);
    /* a device that failed to open refuses everything */
    assert_int_equal(optile_route_set(&dev, 1, 5), -ENODEV);
    assert_int_equal(optile_mbox_call(&dev, OPTILE_FW_CMD_PING, 0, 0, NULL), -ENODEV);
    assert_int_equal(m.writes, 0);
}

static void test_bad_input(void **state) {
    (void)state;
    assert_int_equal(optile_open(NULL, &hal), -EINVAL);
    assert_int_equal(optile_open(&dev, NULL), -EINVAL);
    struct optile_hal_ops ops = *hal.ops;
    ops.wait = NULL;
    struct optile_hal broken = {&ops, hal.ctx, "broken"};
    assert_int_equal(optile_open(&dev, &broken), -EINVAL);
    assert_int_equal(optile_hal_check(NULL), -EINVAL);
    /* NULL devices: errors, no crash */
    assert_int_equal(optile_identify(NULL), -EINVAL);
    assert_int_equal(optile_reset(NULL), -EINVAL);
    assert_int_equal(optile_route_set(NULL, 0, 0), -EINVAL);
    assert_int_equal(optile_route_clear(NULL, 0), -EINVAL);
    assert_int_equal(optile_irq_enable(NULL, 0), -EINVAL);
    assert_int_equal(optile_irq_handle(NULL, NULL), -EINVAL);
    assert_int_equal(optile_irq_wait(NULL, 1), -EINVAL);
    assert_int_equal(optile_read_counters(NULL, NULL), -EINVAL);
    assert_int_equal(optile_mbox_call(NULL, 1, 0, 0, NULL), -EINVAL);
    assert_int_equal(optile_link_up(NULL, 0, 0), -EINVAL);
    assert_int_equal(optile_link_down(NULL), -EINVAL);
    assert_int_equal(optile_fw_status(NULL, NULL), -EINVAL);
    assert_int_equal(optile_fw_state(NULL), -EINVAL);
    assert_int_equal(optile_dma_setup(NULL, NULL), -EINVAL);
    assert_int_equal(optile_send(NULL, 0, 1, NULL), -EINVAL);
    assert_int_equal(optile_post_rx(NULL, NULL, 1), -EINVAL);
    assert_int_equal(optile_reap(NULL, NULL, 1), -EINVAL);
    assert_int_equal(optile_wait(NULL, 1), -EINVAL);
    optile_close(NULL);
    optile_dma_teardown(NULL);
    assert_string_equal(optile_last_error(NULL), "no device");

    assert_int_equal(optile_open(&dev, &hal), 0);
    strict(1); /* nothing below may touch a register */
    assert_int_equal(optile_route_set(&dev, 16, 5), -EINVAL);
    assert_non_null(strstr(optile_last_error(&dev), "chip 16"));
    assert_int_equal(optile_route_set(&dev, 0, 6), -EINVAL);
    assert_int_equal(optile_route_clear(&dev, 99), -EINVAL);
    assert_int_equal(optile_irq_enable(&dev, 0x100), -EINVAL);
    assert_int_equal(optile_read_counters(&dev, NULL), -EINVAL);
    assert_int_equal(optile_fw_status(&dev, NULL), -EINVAL);
    assert_int_equal(optile_link_up(&dev, 0x100, 0), -EINVAL);
    strict(0);
}

static void test_route_table(void **state) {
    (void)state;
    assert_int_equal(optile_open(&dev, &hal), 0);
    strict(1);
    EXPECT_WRITE(OPTILE_CSR_ROUTE_OFFSET(3),
                 OPTILE_CSR_ROUTE_VALID_MASK | OPTILE_CSR_FIELD_PREP(OPTILE_CSR_ROUTE_PORT_MASK, 5));
    EXPECT_WRITE(OPTILE_CSR_ROUTE_OFFSET(15),
                 OPTILE_CSR_ROUTE_VALID_MASK | OPTILE_CSR_FIELD_PREP(OPTILE_CSR_ROUTE_PORT_MASK, 0));
    EXPECT_WRITE(OPTILE_CSR_ROUTE_OFFSET(3), 0);
    assert_int_equal(optile_route_set(&dev, 3, 5), 0);
    assert_int_equal(optile_route_set(&dev, 15, 0), 0);
    assert_int_equal(optile_route_clear(&dev, 3), 0);
    strict(0);
}

static void test_interrupts(void **state) {
    (void)state;
    assert_int_equal(optile_open(&dev, &hal), 0);
    strict(1);
    EXPECT_WRITE(OPTILE_CSR_INTR_ENABLE_OFFSET,
                 OPTILE_CSR_INTR_ENABLE_DMA_CPL_MASK | OPTILE_CSR_INTR_ENABLE_LINK_DOWN_MASK);
    assert_int_equal(optile_irq_enable(&dev, OPTILE_CSR_INTR_ENABLE_DMA_CPL_MASK |
                                                 OPTILE_CSR_INTR_ENABLE_LINK_DOWN_MASK),
                     0);
    /* W1C of exactly the host's bits that are set; the firmware's mbox_cmd stays */
    EXPECT_READ(OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_DMA_CPL_MASK |
                                                  OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK |
                                                  OPTILE_CSR_INTR_STATE_LINK_DOWN_MASK);
    EXPECT_WRITE(OPTILE_CSR_INTR_STATE_OFFSET,
                 OPTILE_CSR_INTR_STATE_DMA_CPL_MASK | OPTILE_CSR_INTR_STATE_LINK_DOWN_MASK);
    uint32_t ev = 0;
    assert_int_equal(optile_irq_handle(&dev, &ev), 0);
    assert_int_equal(ev, OPTILE_CSR_INTR_STATE_DMA_CPL_MASK | OPTILE_CSR_INTR_STATE_LINK_DOWN_MASK);
    /* only the firmware's bit: nothing to clear */
    EXPECT_READ(OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK);
    assert_int_equal(optile_irq_handle(&dev, &ev), 0);
    assert_int_equal(ev, 0);
    strict(0);

    /* waiting for the line (the mock's wait_irq and the polling fallback) */
    optile_hal_mock_set(&m, OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_DMA_CPL_MASK);
    assert_int_equal(optile_irq_wait(&dev, 1000), 1);
    optile_hal_mock_set(&m, OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_LINK_UP_MASK);
    uint64_t t0 = m.cycles;
    assert_int_equal(optile_irq_wait(&dev, 1000), 0);
    assert_int_equal(m.cycles - t0, 1000);
    struct optile_hal_ops ops = *hal.ops;
    ops.wait_irq = NULL;
    dev.hal.ops = &ops;
    t0 = m.cycles;
    assert_int_equal(optile_irq_wait(&dev, 500), 0);
    assert_true(m.cycles - t0 >= 500);
    optile_hal_mock_set(&m, OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_DMA_CPL_MASK);
    assert_int_equal(optile_irq_wait(&dev, 500), 1);
    dev.hal.ops = hal.ops;
}

static void test_counters(void **state) {
    (void)state;
    assert_int_equal(optile_open(&dev, &hal), 0);
    optile_hal_mock_set(&m, OPTILE_CSR_DMA_STAT_TX_MSGS_OFFSET, 7);
    optile_hal_mock_set(&m, OPTILE_CSR_DMA_STAT_ERR_CREDIT_OFFSET, 2);
    optile_hal_mock_set(&m, OPTILE_CSR_PHY_REPLAYS_OFFSET, 11);
    optile_hal_mock_set(&m, OPTILE_CSR_PHY_LINK_DOWNS_OFFSET, 1);
    optile_hal_mock_set(&m, OPTILE_CSR_LANE_BITS_LO_OFFSET(2), 0x89ABCDEFu);
    optile_hal_mock_set(&m, OPTILE_CSR_LANE_BITS_HI_OFFSET(2), 0x01234567u);
    optile_hal_mock_set(&m, OPTILE_CSR_LANE_HEATER_OFFSET(5), 0xF000u | 1600u);
    optile_hal_mock_set(&m, OPTILE_CSR_LANE_RX_POWER_OFFSET(5), 3200u);
    optile_hal_mock_set(&m, OPTILE_CSR_PORT_FLITS_OUT_OFFSET(5), 1234);
    optile_hal_mock_set(&m, OPTILE_CSR_RTR_XBAR_OFFSET, 99);
    struct optile_counters c;
    assert_int_equal(optile_read_counters(&dev, &c), 0);
    assert_int_equal(c.tx_msgs, 7);
    assert_int_equal(c.err_credit, 2);
    assert_int_equal(c.phy_replays, 11);
    assert_int_equal(c.phy_link_downs, 1);
    assert_true(c.lane[2].bits_sent == 0x0123456789ABCDEFull);
    assert_int_equal(c.lane[5].heater, 1600); /* the field, not the register */
    assert_int_equal(c.lane[5].rx_power, 3200);
    assert_int_equal(c.port[5].flits_out, 1234);
    assert_int_equal(c.rtr_xbar, 99);
}

static void test_hw_stub(void **state) {
    (void)state;
    struct optile_hal hw;
    assert_int_equal(optile_hal_hw_open(NULL, NULL), -EINVAL);
    assert_int_equal(optile_hal_hw_open(&hw, "0000:3b:00.0"), -ENOSYS);
    /* its ops fail safely: identify sees no device */
    assert_int_equal(optile_open(&dev, &hw), -ENODEV);
    struct optile_dma_buf b;
    assert_int_equal(hw.ops->dma_alloc(hw.ctx, 64, 64, &b), -ENOSYS);
    assert_int_equal(hw.ops->wait(hw.ctx, 1), -ENOSYS);
    optile_hal_hw_close(&hw);
    optile_hal_hw_close(NULL);
    assert_null(hw.ops);
}

static void test_reopen_after_close(void **state) {
    (void)state;
    assert_int_equal(optile_open(&dev, &hal), 0);
    optile_close(&dev);
    assert_int_equal(optile_route_set(&dev, 1, 1), -ENODEV);
    assert_int_equal(optile_open(&dev, &hal), 0);
    assert_int_equal(optile_route_set(&dev, 1, 1), 0);
    assert_false(m.bad_access);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_sequence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identify_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hw_stub, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_after_close, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
