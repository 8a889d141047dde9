/*
 * test_host_dma.c - the driver's DMA rings (docs/spec.md 6.3, 6.4, 10.10)
 * on the mock HAL: ring programming by generated register names, TX
 * descriptors byte for byte (little-endian), splitting a buffer into
 * messages, doorbells, ring wrap-around, full rings (-EAGAIN, -ENOSPC),
 * free receive buffers, completion reaping with phase flips.
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

static const uint64_t BASE = OPTILE_HAL_MOCK_BUS_BASE;

/* writes to watched offsets are checked with cmocka */
static uint32_t watched[8];
static unsigned nwatched;

static void reg_write(uint32_t off, uint32_t val) {
    check_expected(off);
    check_expected(val);
}

static int hook_write(void *user, uint32_t off, uint32_t val) {
    (void)user;
    for (unsigned i = 0; i < nwatched; i++)
        if (watched[i] == off) reg_write(off, val);
    return 0;
}

static void watch(uint32_t off) {
    watched[nwatched++] = off;
}

#define EXPECT_WRITE(o, v)                                                                         \
    do {                                                                                           \
        expect_value(reg_write, off, (o));                                                         \
        expect_value(reg_write, val, (uint32_t)(v));                                               \
    } while (0)

static int setup(void **state) {
    (void)state;
    nwatched = 0;
    assert_int_equal(optile_hal_mock_init(&m, 1u << 20, &hal), 0);
    m.hooks.write32 = hook_write;
    assert_int_equal(optile_open(&dev, &hal), 0);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    nwatched = 0;
    optile_close(&dev);
    optile_hal_mock_fini(&m);
    return 0;
}

static void rings(uint8_t tx, uint8_t rx, uint8_t cq, uint32_t max_msg) {
    struct optile_dma_cfg cfg = {.tx_log2 = tx, .rx_log2 = rx, .cq_log2 = cq, .max_msg = max_msg};
    assert_int_equal(optile_dma_setup(&dev, &cfg), 0);
}

static const uint8_t *mem(uint64_t bus) {
    const uint8_t *p = optile_hal_mock_mem(&m, bus, 16);
    assert_non_null(p);
    return p;
}

static uint64_t le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- set-up ---------------------------------------------------------------------------------- */

static void test_setup_programs_rings(void **state) {
    (void)state;
    uint32_t offs[] = {OPTILE_CSR_DMA_CTRL_OFFSET,       OPTILE_CSR_DMA_TX_BASE_LO_OFFSET,
                       OPTILE_CSR_DMA_TX_BASE_HI_OFFSET, OPTILE_CSR_DMA_TX_SIZE_OFFSET,
                       OPTILE_CSR_DMA_RX_BASE_LO_OFFSET, OPTILE_CSR_DMA_RX_SIZE_OFFSET,
                       OPTILE_CSR_DMA_CQ_BASE_LO_OFFSET, OPTILE_CSR_DMA_IRQ_COAL_OFFSET};
    for (unsigned i = 0; i < 8; i++) watch(offs[i]);
    /* the mock's allocator is deterministic: rings at BASE, +4 KiB, +8 KiB */
    EXPECT_WRITE(OPTILE_CSR_DMA_CTRL_OFFSET, 0);
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_BASE_LO_OFFSET, (uint32_t)BASE);
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_BASE_HI_OFFSET, (uint32_t)(BASE >> 32));
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_SIZE_OFFSET,
                 OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_TX_SIZE_LOG2_ENTRIES_MASK, 3));
    EXPECT_WRITE(OPTILE_CSR_DMA_RX_BASE_LO_OFFSET, (uint32_t)(BASE + 4096));
    EXPECT_WRITE(OPTILE_CSR_DMA_RX_SIZE_OFFSET,
                 OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_RX_SIZE_LOG2_ENTRIES_MASK, 4));
    EXPECT_WRITE(OPTILE_CSR_DMA_CQ_BASE_LO_OFFSET, (uint32_t)(BASE + 8192));
    EXPECT_WRITE(OPTILE_CSR_DMA_IRQ_COAL_OFFSET,
                 OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_IRQ_COAL_COUNT_MASK, 8) |
                     OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_IRQ_COAL_TIMER_MASK, 500));
    EXPECT_WRITE(OPTILE_CSR_DMA_CTRL_OFFSET, OPTILE_CSR_DMA_CTRL_TX_EN_MASK |
                                                 OPTILE_CSR_DMA_CTRL_RX_EN_MASK |
                                                 OPTILE_CSR_DMA_CTRL_CQ_EN_MASK);
    struct optile_dma_cfg cfg = {.tx_log2 = 3, .rx_log2 = 4, .cq_log2 = 5, .coal_count = 8, .coal_timer = 500};
    assert_int_equal(optile_dma_setup(&dev, &cfg), 0);
    nwatched = 0;
    assert_true(optile_hal_mock_get(&m, OPTILE_CSR_DMA_RX_BASE_HI_OFFSET) == (uint32_t)(BASE >> 32));
    assert_int_equal(optile_hal_mock_get(&m, OPTILE_CSR_DMA_CQ_SIZE_OFFSET), 5);
    assert_int_equal(dev.cq.phase, 1);
    assert_int_equal(dev.max_msg, OPTILE_MAX_MSG_DEFAULT);
    /* twice: -EBUSY; after teardown it works again */
    assert_int_equal(optile_dma_setup(&dev, &cfg), -EBUSY);
    optile_dma_teardown(&dev);
    assert_int_equal(optile_hal_mock_get(&m, OPTILE_CSR_DMA_CTRL_OFFSET), 0);
    assert_int_equal(m.frees, 3);
    assert_int_equal(optile_dma_setup(&dev, &cfg), 0);
}

static void test_setup_bad_input(void **state) {
    (void)state;
    struct optile_dma_cfg cfg = {.tx_log2 = 0, .rx_log2 = 4, .cq_log2 = 4};
    assert_int_equal(optile_dma_setup(&dev, &cfg), -EINVAL);
    cfg.tx_log2 = 17;
    assert_int_equal(optile_dma_setup(&dev, &cfg), -EINVAL);
    assert_non_null(strstr(optile_last_error(&dev), "2^17"));
    assert_int_equal(optile_dma_setup(&dev, NULL), -EINVAL);
    /* no memory: -ENOMEM, nothing left allocated */
    cfg.tx_log2 = 4;
    m.fail_alloc = 1;
    assert_int_equal(optile_dma_setup(&dev, &cfg), -ENOMEM);
    assert_false(dev.dma_ready);
    m.fail_alloc = 0;
    /* rings not set up */
    struct optile_dst d = {0};
    assert_int_equal(optile_send(&dev, BASE, 10, &d), -EINVAL);
    assert_non_null(strstr(optile_last_error(&dev), "not set up"));
    struct optile_rx_buf b = {BASE, 64};
    assert_int_equal(optile_post_rx(&dev, &b, 1), -EINVAL);
    struct optile_cpl c;
    assert_int_equal(optile_reap(&dev, &c, 1), -EINVAL);
}

/* ---- transmit ---------------------------------------------------------------------------------- */

static void test_send_splits_into_descriptors(void **state) {
    (void)state;
    rings(4, 4, 4, 65536);
    watch(OPTILE_CSR_DMA_TX_PROD_OFFSET);
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_PROD_OFFSET, 4); /* one doorbell for the 4 messages */
    struct optile_dst d = {.chip = 9, .x = 3, .y = 12, .vc = 1, .flow = 0xA7};
    uint64_t buf = 0x0000123456789000ull;
    assert_int_equal(optile_send(&dev, buf, 200000, &d), 4);
    nwatched = 0;
    for (unsigned k = 0; k < 4; k++) {
        const uint8_t *e = mem(dev.tx.mem.bus + 16u * k);
        assert_true(le64(e) == buf + 65536ull * k);
        assert_int_equal(le32(e + 8), k < 3 ? 65536 : 200000 - 3 * 65536);
        assert_int_equal(e[12], 9 | 1 << 4);
        assert_int_equal(e[13], 3 | 12 << 4);
        assert_int_equal(e[14], 0xA7);
        assert_int_equal(e[15], 0);
    }
    /* bad destinations */
    struct optile_dst bad = d;
    bad.vc = 2; /* the tile has 2 VCs */
    assert_int_equal(optile_send(&dev, buf, 10, &bad), -EINVAL);
    bad = d;
    bad.chip = 16;
    assert_int_equal(optile_send(&dev, buf, 10, &bad), -EINVAL);
    assert_int_equal(optile_send(&dev, buf, 0, &d), -EINVAL);
    assert_int_equal(optile_send(&dev, buf, 10, NULL), -EINVAL);
    assert_int_equal(optile_send(&dev, UINT64_MAX - 4, 10, &d), -EINVAL);
    assert_int_equal(optile_send(&dev, 0, UINT64_MAX, &d), -ENOSPC); /* no overflow */
    assert_int_equal(dev.tx.prod, 4);
}

static void test_tx_ring_wraps_and_fills(void **state) {
    (void)state;
    rings(2, 2, 2, 1000); /* 4 entries, 3 usable */
    watch(OPTILE_CSR_DMA_TX_PROD_OFFSET);
    struct optile_dst d = {.chip = 1};
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_PROD_OFFSET, 1);
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_PROD_OFFSET, 2);
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_PROD_OFFSET, 3);
    for (unsigned k = 0; k < 3; k++) assert_int_equal(optile_send(&dev, BASE + 0x10000 + k, 100, &d), 1);
    /* full: the NI has fetched nothing (hw_index 0) */
    assert_int_equal(optile_send(&dev, BASE, 100, &d), -EAGAIN);
    assert_non_null(strstr(optile_last_error(&dev), "full"));
    assert_int_equal(optile_tx_space(&dev), 0);
    /* more descriptors than the ring can ever hold */
    assert_int_equal(optile_send(&dev, BASE, 3500, &d), -ENOSPC);
    /* the NI fetched two: two more fit, in slots 3 and 0 (wrap) */
    optile_hal_mock_set(&m, OPTILE_CSR_DMA_TX_HW_INDEX_OFFSET, 2);
    EXPECT_WRITE(OPTILE_CSR_DMA_TX_PROD_OFFSET, 1);
    assert_int_equal(optile_send(&dev, BASE + 0x20000, 1500, &d), 2);
    nwatched = 0;
    assert_true(le64(mem(dev.tx.mem.bus + 16u * 3)) == BASE + 0x20000);
    assert_int_equal(le32(mem(dev.tx.mem.bus + 16u * 3) + 8), 1000);
    assert_true(le64(mem(dev.tx.mem.bus)) == BASE + 0x20000 + 1000);
    assert_int_equal(le32(mem(dev.tx.mem.bus) + 8), 500);
    assert_int_equal(optile_tx_space(&dev), 0);
    /* a hardware index out of range is not believed */
    optile_hal_mock_set(&m, OPTILE_CSR_DMA_TX_HW_INDEX_OFFSET, 9);
    assert_int_equal(optile_tx_space(&dev), 0);
    optile_hal_mock_set(&m, OPTILE_CSR_DMA_TX_HW_INDEX_OFFSET, 1);
    assert_int_equal(optile_tx_space(&dev), 3);
}

/* ---- receive buffers ------------------------------------------------------------------------- */

static void test_post_rx_buffers(void **state) {
    (void)state;
    rings(2, 2, 2, 0);
    watch(OPTILE_CSR_DMA_RX_PROD_OFFSET);
    struct optile_rx_buf b[4] = {{BASE + 0x40000, 4096}, {BASE + 0x41000, 4096}, {BASE + 0x42000, 100},
                                 {BASE + 0x43000, 64}};
    EXPECT_WRITE(OPTILE_CSR_DMA_RX_PROD_OFFSET, 2);
    assert_int_equal(optile_post_rx(&dev, b, 2), 0);
    for (unsigned k = 0; k < 2; k++) {
        const uint8_t *e = mem(dev.rx.mem.bus + 16u * k);
        assert_true(le64(e) == b[k].bus);
        assert_int_equal(le32(e + 8), b[k].len);
        assert_int_equal(le32(e + 12), 0);
    }
    assert_int_equal(optile_post_rx(&dev, b, 2), -EAGAIN); /* 1 slot left */
    assert_int_equal(optile_post_rx(&dev, b, 4), -ENOSPC);
    optile_hal_mock_set(&m, OPTILE_CSR_DMA_RX_HW_INDEX_OFFSET, 2);
    EXPECT_WRITE(OPTILE_CSR_DMA_RX_PROD_OFFSET, 0); /* slots 2, 3: the index wraps to 0 */
    EXPECT_WRITE(OPTILE_CSR_DMA_RX_PROD_OFFSET, 1); /* slot 0 */
    assert_int_equal(optile_post_rx(&dev, b + 2, 2), 0);
    assert_int_equal(optile_post_rx(&dev, b, 1), 0);
    nwatched = 0;
    assert_true(le64(mem(dev.rx.mem.bus + 48)) == b[3].bus);
    assert_true(le64(mem(dev.rx.mem.bus)) == b[0].bus);
    struct optile_rx_buf bad = {BASE, 0};
    assert_int_equal(optile_post_rx(&dev, &bad, 1), -EINVAL);
    assert_int_equal(optile_post_rx(&dev, NULL, 1), -EINVAL);
    assert_int_equal(optile_post_rx(&dev, b, 0), -EINVAL);
}

/* ---- completions ----------------------------------------------------------------------------- */

/* The NI writes completion `slot` (spec 6.4). */
static void put_cpl(unsigned slot, uint64_t addr, uint32_t len, unsigned kind, unsigned status,
                    unsigned phase, uint8_t flow, uint8_t b14, uint8_t b15) {
    uint8_t *e = optile_hal_mock_mem(&m, dev.cq.mem.bus + 16u * slot, 16);
    assert_non_null(e);
    for (unsigned i = 0; i < 8; i++) e[i] = (uint8_t)(addr >> (8 * i));
    for (unsigned i = 0; i < 4; i++) e[8 + i] = (uint8_t)(len >> (8 * i));
    e[12] = (uint8_t)(kind | status << 2 | phase << 7);
    e[13] = flow;
    e[14] = b14;
    e[15] = b15;
}

static void test_reap_with_phase_flips(void **state) {
    (void)state;
    rings(2, 2, 2, 0); /* CQ of 4 entries */
    watch(OPTILE_CSR_DMA_CQ_CONS_OFFSET);
    struct optile_cpl c[8];
    /* empty ring: nothing, no doorbell */
    assert_int_equal(optile_reap(&dev, c, 8), 0);

    /* first pass: phase 1 */
    put_cpl(0, BASE + 0x1000, 300, OPTILE_CPL_TX, OPTILE_CPL_OK, 1, 7, 2 | 3 << 4, 5);
    put_cpl(1, BASE + 0x2000, 5000, OPTILE_CPL_RX, OPTILE_CPL_TRUNC, 1, 9, 1 | 0 << 4, 4 | 1 << 4);
    put_cpl(2, 0, 0, OPTILE_CPL_RX, OPTILE_CPL_NOCTX, 1, 0, 0, 0);
    EXPECT_WRITE(OPTILE_CSR_DMA_CQ_CONS_OFFSET, 3);
    assert_int_equal(optile_reap(&dev, c, 8), 3);
    assert_true(c[0].addr == BASE + 0x1000);
    assert_int_equal(c[0].len, 300);
    assert_int_equal(c[0].kind, OPTILE_CPL_TX);
    assert_int_equal(c[0].status, OPTILE_CPL_OK);
    assert_int_equal(c[0].flow, 7);
    assert_int_equal(c[0].x, 2);
    assert_int_equal(c[0].y, 3);
    assert_int_equal(c[0].chip, 5);
    assert_int_equal(c[1].kind, OPTILE_CPL_RX);
    assert_int_equal(c[1].status, OPTILE_CPL_TRUNC);
    assert_int_equal(c[1].len, 5000);
    assert_int_equal(c[1].chip, 4);
    assert_int_equal(c[1].vc, 1);
    assert_int_equal(c[2].status, OPTILE_CPL_NOCTX);

    /* slot 3 (phase 1), then the NI wraps: slots 0 and 1 of the second pass carry phase 0 */
    put_cpl(3, BASE + 0x3000, 1, OPTILE_CPL_TX, OPTILE_CPL_OK, 1, 1, 0, 0);
    put_cpl(0, BASE + 0x4000, 2, OPTILE_CPL_TX, OPTILE_CPL_OK, 0, 2, 0, 0);
    put_cpl(1, BASE + 0x5000, 3, OPTILE_CPL_TX, OPTILE_CPL_ERR, 0, 3, 0, 0);
    /* max = 1: one at a time */
    EXPECT_WRITE(OPTILE_CSR_DMA_CQ_CONS_OFFSET, 0);
    assert_int_equal(optile_reap(&dev, c, 1), 1);
    assert_true(c[0].addr == BASE + 0x3000);
    assert_int_equal(dev.cq.phase, 0); /* flipped at the wrap */
    EXPECT_WRITE(OPTILE_CSR_DMA_CQ_CONS_OFFSET, 2);
    assert_int_equal(optile_reap(&dev, c, 8), 2);
    assert_true(c[0].addr == BASE + 0x4000);
    assert_true(c[1].addr == BASE + 0x5000);
    assert_int_equal(c[1].status, OPTILE_CPL_ERR);
    /* slot 2 still holds the first pass's entry (phase 1): stale, not reaped */
    assert_int_equal(optile_reap(&dev, c, 8), 0);
    /* the third pass flips back to phase 1 */
    put_cpl(2, BASE + 0x6000, 4, OPTILE_CPL_TX, OPTILE_CPL_OK, 0, 0, 0, 0);
    put_cpl(3, BASE + 0x7000, 5, OPTILE_CPL_TX, OPTILE_CPL_OK, 0, 0, 0, 0);
    put_cpl(0, BASE + 0x8000, 6, OPTILE_CPL_TX, OPTILE_CPL_OK, 1, 0, 0, 0);
    EXPECT_WRITE(OPTILE_CSR_DMA_CQ_CONS_OFFSET, 1);
    assert_int_equal(optile_reap(&dev, c, 8), 3);
    assert_true(c[2].addr == BASE + 0x8000);
    assert_int_equal(dev.cq.phase, 1);
    nwatched = 0;
    assert_int_equal(optile_reap(&dev, NULL, 4), -EINVAL);
    assert_int_equal(optile_reap(&dev, NULL, 0), 0);
}

static void test_dma_buffers(void **state) {
    (void)state;
    struct optile_dma_buf b;
    assert_int_equal(optile_dma_alloc(&dev, 1000, &b), 0);
    assert_true(b.bus >= BASE && (b.bus & 63) == 0);
    assert_int_equal(optile_dma_alloc(&dev, 0, &b), -EINVAL);
    assert_int_equal(optile_dma_alloc(&dev, 1u << 30, &b), -ENOMEM);
    optile_dma_free(&dev, &b);
    optile_dma_free(NULL, &b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_setup_programs_rings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_setup_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_splits_into_descriptors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_ring_wraps_and_fills, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_rx_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reap_with_phase_flips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dma_buffers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
