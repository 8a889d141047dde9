/*
 * optile_dma.c - the NI's descriptor rings from the host side
 * (docs/spec.md 6.3, 6.4, 10.10): set-up, transmit, free receive buffers,
 * completion reaping by phase.
 */
#include <errno.h>
#include <string.h>

#include "optile_drv.h"
#include "optile_priv.h"

/* Register offsets and index/size fields of one ring (generated names). */
struct ring_regs {
    uint32_t base_lo, base_hi, size, prod, cons, hw;
    uint32_t size_mask, hw_mask;
};

static const struct ring_regs tx_regs = {
    OPTILE_CSR_DMA_TX_BASE_LO_OFFSET,        OPTILE_CSR_DMA_TX_BASE_HI_OFFSET,
    OPTILE_CSR_DMA_TX_SIZE_OFFSET,           OPTILE_CSR_DMA_TX_PROD_OFFSET,
    OPTILE_CSR_DMA_TX_CONS_OFFSET,           OPTILE_CSR_DMA_TX_HW_INDEX_OFFSET,
    OPTILE_CSR_DMA_TX_SIZE_LOG2_ENTRIES_MASK, OPTILE_CSR_DMA_TX_HW_INDEX_INDEX_MASK,
};
static const struct ring_regs rx_regs = {
    OPTILE_CSR_DMA_RX_BASE_LO_OFFSET,        OPTILE_CSR_DMA_RX_BASE_HI_OFFSET,
    OPTILE_CSR_DMA_RX_SIZE_OFFSET,           OPTILE_CSR_DMA_RX_PROD_OFFSET,
    OPTILE_CSR_DMA_RX_CONS_OFFSET,           OPTILE_CSR_DMA_RX_HW_INDEX_OFFSET,
    OPTILE_CSR_DMA_RX_SIZE_LOG2_ENTRIES_MASK, OPTILE_CSR_DMA_RX_HW_INDEX_INDEX_MASK,
};
static const struct ring_regs cq_regs = {
    OPTILE_CSR_DMA_CQ_BASE_LO_OFFSET,        OPTILE_CSR_DMA_CQ_BASE_HI_OFFSET,
    OPTILE_CSR_DMA_CQ_SIZE_OFFSET,           OPTILE_CSR_DMA_CQ_PROD_OFFSET,
    OPTILE_CSR_DMA_CQ_CONS_OFFSET,           OPTILE_CSR_DMA_CQ_HW_INDEX_OFFSET,
    OPTILE_CSR_DMA_CQ_SIZE_LOG2_ENTRIES_MASK, OPTILE_CSR_DMA_CQ_HW_INDEX_INDEX_MASK,
};

/* ---- little-endian packing (spec 1: little-endian everywhere) ------------------------ */

static void put_le32(uint8_t *p, uint32_t v) {
    for (unsigned i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v) {
    for (unsigned i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p) {
    return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* ---- rings ------------------------------------------------------------------------------- */

static int ring_alloc(struct optile_dev *dev, struct optile_ring *r, unsigned log2) {
    memset(r, 0, sizeof *r);
    r->log2 = log2;
    r->size = 1u << log2;
    size_t bytes = (size_t)r->size * OPTILE_DESC_BYTES;
    int rc = dev->hal.ops->dma_alloc(dev->hal.ctx, bytes, 4096, &r->mem);
    if (rc) return optile_fail(dev, rc, "dma: cannot allocate a ring of %zu bytes (%d)", bytes, rc);
    /* zero it: a completion ring must hold no valid phase yet */
    static const uint8_t zero[256];
    for (size_t off = 0; off < bytes; off += sizeof zero) {
        size_t n = bytes - off < sizeof zero ? bytes - off : sizeof zero;
        rc = dev->hal.ops->dma_write(dev->hal.ctx, r->mem.bus + off, zero, n);
        if (rc) return optile_fail(dev, rc, "dma: cannot clear ring memory (%d)", rc);
    }
    r->phase = 1;
    return 0;
}

static void ring_free(struct optile_dev *dev, struct optile_ring *r) {
    if (r->mem.priv || r->mem.len) dev->hal.ops->dma_free(dev->hal.ctx, &r->mem);
    memset(r, 0, sizeof *r);
}

static void ring_program(struct optile_dev *dev, const struct optile_ring *r, const struct ring_regs *g) {
    optile_wr(dev, g->base_lo, (uint32_t)r->mem.bus);
    optile_wr(dev, g->base_hi, (uint32_t)(r->mem.bus >> 32));
    optile_wr(dev, g->size, OPTILE_CSR_FIELD_PREP(g->size_mask, r->log2));
}

int optile_dma_setup(struct optile_dev *dev, const struct optile_dma_cfg *cfg) {
    int rc = optile_check_dev(dev, "dma");
    if (rc) return rc;
    if (!cfg) return optile_fail(dev, -EINVAL, "dma: no configuration");
    if (dev->dma_ready) return optile_fail(dev, -EBUSY, "dma: rings are set up already");
    const uint8_t l[3] = {cfg->tx_log2, cfg->rx_log2, cfg->cq_log2};
    for (unsigned i = 0; i < 3; i++)
        if (l[i] < 1 || l[i] > OPTILE_RING_LOG2_MAX)
            return optile_fail(dev, -EINVAL, "dma: ring size 2^%u out of range (2^1..2^%u)", l[i],
                               OPTILE_RING_LOG2_MAX);
    optile_wr(dev, OPTILE_CSR_DMA_CTRL_OFFSET, 0); /* base and size are taken only while disabled */
    if ((rc = ring_alloc(dev, &dev->tx, cfg->tx_log2)) != 0 || (rc = ring_alloc(dev, &dev->rx, cfg->rx_log2)) != 0 ||
        (rc = ring_alloc(dev, &dev->cq, cfg->cq_log2)) != 0) {
        ring_free(dev, &dev->tx);
        ring_free(dev, &dev->rx);
        ring_free(dev, &dev->cq);
        return rc;
    }
    ring_program(dev, &dev->tx, &tx_regs);
    ring_program(dev, &dev->rx, &rx_regs);
    ring_program(dev, &dev->cq, &cq_regs);
    optile_wr(dev, OPTILE_CSR_DMA_IRQ_COAL_OFFSET,
              OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_IRQ_COAL_COUNT_MASK, cfg->coal_count) |
                  OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_IRQ_COAL_TIMER_MASK, cfg->coal_timer));
    optile_wr(dev, OPTILE_CSR_DMA_CTRL_OFFSET,
              OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_CTRL_TX_EN_MASK, 1) |
                  OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_CTRL_RX_EN_MASK, 1) |
                  OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_CTRL_CQ_EN_MASK, 1));
    dev->max_msg = cfg->max_msg ? cfg->max_msg : OPTILE_MAX_MSG_DEFAULT;
    dev->dma_ready = 1;
    return 0;
}

void optile_dma_teardown(struct optile_dev *dev) {
    if (!dev || !dev->dma_ready) return;
    optile_wr(dev, OPTILE_CSR_DMA_CTRL_OFFSET, 0);
    ring_free(dev, &dev->tx);
    ring_free(dev, &dev->rx);
    ring_free(dev, &dev->cq);
    dev->dma_ready = 0;
}

int optile_dma_alloc(struct optile_dev *dev, size_t len, struct optile_dma_buf *buf) {
    int rc = optile_check_dev(dev, "dma");
    if (rc) return rc;
    if (!buf || len == 0) return optile_fail(dev, -EINVAL, "dma: bad buffer request");
    rc = dev->hal.ops->dma_alloc(dev->hal.ctx, len, 64, buf);
    if (rc) return optile_fail(dev, rc, "dma: cannot allocate %zu bytes (%d)", len, rc);
    return 0;
}

void optile_dma_free(struct optile_dev *dev, struct optile_dma_buf *buf) {
    if (!dev || !dev->hal.ops || !buf) return;
    dev->hal.ops->dma_free(dev->hal.ctx, buf);
}

/* Free slots of a producer ring by the cached consumer index. */
static uint32_t ring_free_slots(const struct optile_ring *r) {
    return r->size - 1u - ((r->prod - r->cons) & (r->size - 1u));
}

/* Free slots, re-reading the NI's index if fewer than `need` are known free. */
static uint32_t ring_space(struct optile_dev *dev, struct optile_ring *r, const struct ring_regs *g,
                           uint32_t need) {
    if (ring_free_slots(r) < need) {
        uint32_t hw = OPTILE_CSR_FIELD_GET(g->hw_mask, optile_rd(dev, g->hw));
        if (hw < r->size) r->cons = hw;
    }
    return ring_free_slots(r);
}

static int check_rings(struct optile_dev *dev, const char *what) {
    int rc = optile_check_dev(dev, what);
    if (rc) return rc;
    if (!dev->dma_ready) return optile_fail(dev, -EINVAL, "%s: rings are not set up (optile_dma_setup)", what);
    return 0;
}

int optile_tx_space(struct optile_dev *dev) {
    int rc = check_rings(dev, "tx");
    if (rc) return rc;
    return (int)ring_space(dev, &dev->tx, &tx_regs, dev->tx.size);
}

int optile_rx_space(struct optile_dev *dev) {
    int rc = check_rings(dev, "rx");
    if (rc) return rc;
    return (int)ring_space(dev, &dev->rx, &rx_regs, dev->rx.size);
}

int optile_send(struct optile_dev *dev, uint64_t bus, uint64_t len, const struct optile_dst *dst) {
    int rc = check_rings(dev, "send");
    if (rc) return rc;
    if (!dst) return optile_fail(dev, -EINVAL, "send: no destination");
    if (len == 0) return optile_fail(dev, -EINVAL, "send: empty message");
    if (bus + len < bus) return optile_fail(dev, -EINVAL, "send: buffer wraps the address space");
    if (dst->chip > 15 || dst->x > 15 || dst->y > 15)
        return optile_fail(dev, -EINVAL, "send: destination (%u, %u, %u) out of range (0..15)", dst->chip,
                           dst->x, dst->y);
    if (dst->vc > 3 || (dev->vcs && dst->vc >= dev->vcs))
        return optile_fail(dev, -EINVAL, "send: vc %u, the tile has %u", dst->vc, dev->vcs ? dev->vcs : 4u);
    uint64_t n = len / dev->max_msg + (len % dev->max_msg != 0);
    if (n > dev->tx.size - 1u)
        return optile_fail(dev, -ENOSPC, "send: %llu descriptors needed, the TX ring holds %u",
                           (unsigned long long)n, dev->tx.size - 1u);
    if (ring_space(dev, &dev->tx, &tx_regs, (uint32_t)n) < n)
        return optile_fail(dev, -EAGAIN, "send: TX ring full (%u free, %llu needed)",
                           ring_free_slots(&dev->tx), (unsigned long long)n);
    uint64_t off = 0;
    for (uint64_t k = 0; k < n; k++) {
        uint64_t chunk = len - off < dev->max_msg ? len - off : dev->max_msg;
        uint8_t d[OPTILE_DESC_BYTES] = {0};
        put_le64(d, bus + off);
        put_le32(d + 8, (uint32_t)chunk);
        d[12] = (uint8_t)((dst->chip & 0xFu) | (dst->vc & 0x3u) << 4);
        d[13] = (uint8_t)((dst->x & 0xFu) | (dst->y & 0xFu) << 4);
        d[14] = dst->flow;
        rc = dev->hal.ops->dma_write(dev->hal.ctx, dev->tx.mem.bus + (uint64_t)dev->tx.prod * OPTILE_DESC_BYTES,
                                     d, sizeof d);
        if (rc) return optile_fail(dev, rc, "send: cannot write a descriptor (%d)", rc);
        dev->tx.prod = (dev->tx.prod + 1u) & (dev->tx.size - 1u);
        off += chunk;
    }
    optile_wr(dev, OPTILE_CSR_DMA_TX_PROD_OFFSET,
              OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_TX_PROD_INDEX_MASK, dev->tx.prod));
    return (int)n;
}

int optile_post_rx(struct optile_dev *dev, const struct optile_rx_buf *bufs, unsigned n) {
    int rc = check_rings(dev, "rx");
    if (rc) return rc;
    if (!bufs || n == 0) return optile_fail(dev, -EINVAL, "rx: no buffers");
    for (unsigned k = 0; k < n; k++)
        if (bufs[k].len == 0 || bufs[k].bus + bufs[k].len < bufs[k].bus)
            return optile_fail(dev, -EINVAL, "rx: buffer %u is empty or wraps", k);
    if (n > dev->rx.size - 1u)
        return optile_fail(dev, -ENOSPC, "rx: %u buffers, the RX ring holds %u", n, dev->rx.size - 1u);
    if (ring_space(dev, &dev->rx, &rx_regs, n) < n)
        return optile_fail(dev, -EAGAIN, "rx: RX ring full (%u free, %u needed)", ring_free_slots(&dev->rx), n);
    for (unsigned k = 0; k < n; k++) {
        uint8_t d[OPTILE_DESC_BYTES] = {0};
        put_le64(d, bufs[k].bus);
        put_le32(d + 8, bufs[k].len);
        rc = dev->hal.ops->dma_write(dev->hal.ctx, dev->rx.mem.bus + (uint64_t)dev->rx.prod * OPTILE_DESC_BYTES,
                                     d, sizeof d);
        if (rc) return optile_fail(dev, rc, "rx: cannot write a descriptor (%d)", rc);
        dev->rx.prod = (dev->rx.prod + 1u) & (dev->rx.size - 1u);
    }
    optile_wr(dev, OPTILE_CSR_DMA_RX_PROD_OFFSET,
              OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_RX_PROD_INDEX_MASK, dev->rx.prod));
    return 0;
}

int optile_reap(struct optile_dev *dev, struct optile_cpl *out, unsigned max) {
    int rc = check_rings(dev, "reap");
    if (rc) return rc;
    if (!out && max) return optile_fail(dev, -EINVAL, "reap: no output");
    unsigned n = 0;
    while (n < max) {
        uint8_t e[OPTILE_DESC_BYTES];
        rc = dev->hal.ops->dma_read(dev->hal.ctx, dev->cq.mem.bus + (uint64_t)dev->cq.cons * OPTILE_DESC_BYTES,
                                    e, sizeof e);
        if (rc) return optile_fail(dev, rc, "reap: cannot read the completion ring (%d)", rc);
        if ((e[12] >> 7) != dev->cq.phase) break;
        struct optile_cpl *c = &out[n++];
        c->addr = get_le64(e);
        c->len = get_le32(e + 8);
        c->kind = e[12] & 0x3u;
        c->status = (e[12] >> 2) & 0x7u;
        c->flow = e[13];
        c->x = e[14] & 0xFu;
        c->y = e[14] >> 4;
        c->chip = e[15] & 0xFu;
        c->vc = c->kind == OPTILE_CPL_RX ? (uint8_t)((e[15] >> 4) & 0x3u) : 0;
        dev->cq.cons = (dev->cq.cons + 1u) & (dev->cq.size - 1u);
        if (dev->cq.cons == 0) dev->cq.phase ^= 1u;
    }
    if (n)
        optile_wr(dev, OPTILE_CSR_DMA_CQ_CONS_OFFSET,
                  OPTILE_CSR_FIELD_PREP(OPTILE_CSR_DMA_CQ_CONS_INDEX_MASK, dev->cq.cons));
    return (int)n;
}
