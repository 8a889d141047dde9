/*
 * hal_mock.c - mock back end of optile_hal.h for unit tests (see hal_mock.h).
 */
#include "hal_mock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "optile_csr.h"

static int reg_ok(struct optile_hal_mock *m, uint32_t off) {
    if (off >= OPTILE_HAL_MOCK_REG_BYTES || (off & 3u)) {
        m->bad_access = 1;
        return 0;
    }
    return 1;
}

static uint32_t mock_read32(void *ctx, uint32_t off) {
    struct optile_hal_mock *m = ctx;
    m->reads++;
    uint32_t v;
    if (m->hooks.read32 && m->hooks.read32(m->hooks.user, off, &v)) return v;
    return reg_ok(m, off) ? m->regs[off / 4] : UINT32_MAX;
}

static void mock_write32(void *ctx, uint32_t off, uint32_t val) {
    struct optile_hal_mock *m = ctx;
    m->writes++;
    if (m->hooks.write32 && m->hooks.write32(m->hooks.user, off, val)) return;
    if (reg_ok(m, off)) m->regs[off / 4] = val;
}

uint8_t *optile_hal_mock_mem(struct optile_hal_mock *m, uint64_t bus, size_t len) {
    if (!m || !m->mem || bus < OPTILE_HAL_MOCK_BUS_BASE) return NULL;
    uint64_t off = bus - OPTILE_HAL_MOCK_BUS_BASE;
    if (off > m->mem_size || len > m->mem_size - off) return NULL;
    return m->mem + off;
}

static int mock_dma_alloc(void *ctx, size_t len, size_t align, struct optile_dma_buf *buf) {
    struct optile_hal_mock *m = ctx;
    if (!buf || len == 0 || align < 16 || (align & (align - 1))) return -EINVAL;
    if (m->fail_alloc) return -ENOMEM;
    size_t start = (m->mem_used + align - 1) & ~(align - 1);
    if (start > m->mem_size || len > m->mem_size - start) return -ENOMEM;
    memset(m->mem + start, 0, len);
    m->mem_used = start + len;
    m->allocs++;
    buf->bus = OPTILE_HAL_MOCK_BUS_BASE + start;
    buf->len = len;
    buf->priv = m;
    return 0;
}

static void mock_dma_free(void *ctx, struct optile_dma_buf *buf) {
    struct optile_hal_mock *m = ctx;
    if (!buf || !buf->priv) return;
    m->frees++;
    buf->bus = 0;
    buf->len = 0;
    buf->priv = NULL;
}

static int mock_dma_read(void *ctx, uint64_t bus, void *dst, size_t len) {
    const uint8_t *p = optile_hal_mock_mem(ctx, bus, len);
    if (!p || !dst) return -EFAULT;
    memcpy(dst, p, len);
    return 0;
}

static int mock_dma_write(void *ctx, uint64_t bus, const void *src, size_t len) {
    uint8_t *p = optile_hal_mock_mem(ctx, bus, len);
    if (!p || !src) return -EFAULT;
    memcpy(p, src, len);
    return 0;
}

static int mock_wait(void *ctx, uint32_t cycles) {
    struct optile_hal_mock *m = ctx;
    m->waits++;
    m->cycles += cycles;
    return m->hooks.wait ? m->hooks.wait(m->hooks.user, cycles) : 0;
}

static int mock_wait_irq(void *ctx, uint32_t max_cycles) {
    struct optile_hal_mock *m = ctx;
    uint32_t waited = 0;
    for (;;) {
        uint32_t line = mock_read32(m, OPTILE_CSR_INTR_STATE_OFFSET) &
                        mock_read32(m, OPTILE_CSR_INTR_ENABLE_OFFSET);
        if (line) return 1;
        if (waited >= max_cycles) return 0;
        uint32_t step = max_cycles - waited < 16u ? max_cycles - waited : 16u;
        int rc = mock_wait(m, step);
        if (rc < 0) return rc;
        waited += step;
    }
}

static const struct optile_hal_ops mock_ops = {
    .read32 = mock_read32,
    .write32 = mock_write32,
    .dma_alloc = mock_dma_alloc,
    .dma_free = mock_dma_free,
    .dma_read = mock_dma_read,
    .dma_write = mock_dma_write,
    .wait = mock_wait,
    .wait_irq = mock_wait_irq,
};

int optile_hal_mock_init(struct optile_hal_mock *m, size_t mem_size, struct optile_hal *hal) {
    if (!m || !hal) return -EINVAL;
    memset(m, 0, sizeof *m);
    if (mem_size) {
        m->mem = calloc(1, mem_size);
        if (!m->mem) return -ENOMEM;
        m->mem_size = mem_size;
    }
    m->regs[OPTILE_CSR_ID_OFFSET / 4] = OPTILE_CSR_ID_RESET;
    m->regs[OPTILE_CSR_VERSION_OFFSET / 4] = OPTILE_CSR_VERSION_RESET;
    m->regs[OPTILE_CSR_TILE_CFG_OFFSET / 4] = OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_LANES_MASK, 8) |
                                              OPTILE_CSR_FIELD_PREP(OPTILE_CSR_TILE_CFG_VCS_MASK, 2);
    m->regs[OPTILE_CSR_PHY_CTRL_OFFSET / 4] = OPTILE_CSR_PHY_CTRL_RESET;
    for (unsigned i = 0; i < OPTILE_CSR_ROUTE_COUNT; i++)
        m->regs[OPTILE_CSR_ROUTE_OFFSET(i) / 4] = OPTILE_CSR_ROUTE_RESET;
    hal->ops = &mock_ops;
    hal->ctx = m;
    hal->name = "mock";
    return 0;
}

void optile_hal_mock_fini(struct optile_hal_mock *m) {
    if (!m) return;
    free(m->mem);
    m->mem = NULL;
    m->mem_size = 0;
}

uint32_t optile_hal_mock_get(const struct optile_hal_mock *m, uint32_t off) {
    return off < OPTILE_HAL_MOCK_REG_BYTES ? m->regs[off / 4] : UINT32_MAX;
}

void optile_hal_mock_set(struct optile_hal_mock *m, uint32_t off, uint32_t val) {
    if (off < OPTILE_HAL_MOCK_REG_BYTES) m->regs[off / 4] = val;
}
