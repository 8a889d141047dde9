/*
 * optile_drv.c - device: open, identify, reset, route table, interrupts,
 * counters (docs/spec.md 2 and 10.10).
 */
#include "optile_drv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "optile_priv.h"

int optile_hal_check(const struct optile_hal *hal) {
    if (!hal || !hal->ops) return -EINVAL;
    const struct optile_hal_ops *o = hal->ops;
    if (!o->read32 || !o->write32 || !o->dma_alloc || !o->dma_free || !o->dma_read || !o->dma_write ||
        !o->wait)
        return -EINVAL;
    return 0;
}

int optile_fail(struct optile_dev *dev, int rc, const char *fmt, ...) {
    if (!dev) return rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dev->err, sizeof dev->err, fmt, ap);
    va_end(ap);
    return rc;
}

int optile_check_dev(struct optile_dev *dev, const char *what) {
    if (!dev) return -EINVAL;
    if (!dev->is_open) return optile_fail(dev, -ENODEV, "%s: device not open", what);
    return 0;
}

const char *optile_last_error(const struct optile_dev *dev) {
    return dev ? dev->err : "no device";
}

int optile_wait(struct optile_dev *dev, uint32_t cycles) {
    if (!dev || !dev->hal.ops) return -EINVAL;
    int rc = dev->hal.ops->wait(dev->hal.ctx, cycles);
    if (rc < 0) return optile_fail(dev, rc, "HAL %s: wait failed (%d)", dev->hal.name, rc);
    return 0;
}

int optile_identify(struct optile_dev *dev) {
    if (!dev || optile_hal_check(&dev->hal)) return -EINVAL;
    uint32_t id = optile_rd(dev, OPTILE_CSR_ID_OFFSET);
    if (id == UINT32_MAX)
        return optile_fail(dev, -ENODEV, "identify: id reads all ones: no device answers");
    if (OPTILE_CSR_FIELD_GET(OPTILE_CSR_ID_VALUE_MASK, id) != OPTILE_CSR_ID_VALUE_RESET)
        return optile_fail(dev, -ENODEV, "identify: id reads 0x%08x, expected 0x%08x ('OPTL')",
                           (unsigned)id, (unsigned)OPTILE_CSR_ID_VALUE_RESET);
    uint32_t ver = optile_rd(dev, OPTILE_CSR_VERSION_OFFSET);
    uint32_t major = OPTILE_CSR_FIELD_GET(OPTILE_CSR_VERSION_MAJOR_MASK, ver);
    uint32_t minor = OPTILE_CSR_FIELD_GET(OPTILE_CSR_VERSION_MINOR_MASK, ver);
    if (major != OPTILE_CSR_VERSION_MAJOR_RESET || minor < OPTILE_CSR_VERSION_MINOR_RESET)
        return optile_fail(dev, -ENODEV,
                           "identify: register map version %u.%u, driver built for %u.%u",
                           (unsigned)major, (unsigned)minor, (unsigned)OPTILE_CSR_VERSION_MAJOR_RESET,
                           (unsigned)OPTILE_CSR_VERSION_MINOR_RESET);
    dev->version = ver;
    dev->tile_cfg = optile_rd(dev, OPTILE_CSR_TILE_CFG_OFFSET);
    dev->lanes = OPTILE_CSR_FIELD_GET(OPTILE_CSR_TILE_CFG_LANES_MASK, dev->tile_cfg);
    if (dev->lanes == 0 || dev->lanes > OPTILE_CSR_LANE_COUNT) dev->lanes = OPTILE_CSR_LANE_COUNT;
    dev->vcs = OPTILE_CSR_FIELD_GET(OPTILE_CSR_TILE_CFG_VCS_MASK, dev->tile_cfg);
    return 0;
}

int optile_reset(struct optile_dev *dev) {
    if (!dev || optile_hal_check(&dev->hal)) return -EINVAL;
    optile_dma_teardown(dev);
    optile_wr(dev, OPTILE_CSR_DMA_CTRL_OFFSET, 0);
    optile_wr(dev, OPTILE_CSR_INTR_ENABLE_OFFSET, 0);
    optile_wr(dev, OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_INTR_HOST_MASK);
    optile_wr(dev, OPTILE_CSR_CTRL_OFFSET, OPTILE_CSR_FIELD_PREP(OPTILE_CSR_CTRL_SOFT_RST_MASK, 1));
    optile_wr(dev, OPTILE_CSR_CTRL_OFFSET, OPTILE_CSR_FIELD_PREP(OPTILE_CSR_CTRL_TILE_EN_MASK, 1));
    return 0;
}

int optile_open(struct optile_dev *dev, const struct optile_hal *hal) {
    if (!dev) return -EINVAL;
    memset(dev, 0, sizeof *dev);
    if (optile_hal_check(hal))
        return optile_fail(dev, -EINVAL, "open: HAL is missing or lacks a mandatory operation");
    dev->hal = *hal;
    if (!dev->hal.name) dev->hal.name = "?";
    dev->mbox_timeout = OPTILE_MBOX_TIMEOUT_CYCLES;
    dev->poll_cycles = OPTILE_POLL_CYCLES;
    int rc = optile_identify(dev);
    if (rc) return rc;
    rc = optile_reset(dev);
    if (rc) return rc;
    uint32_t rsp = optile_rd(dev, OPTILE_CSR_MBOX_RSP_OFFSET);
    dev->seq = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_SEQ_MASK, rsp);
    dev->fw_state = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATE_MASK, rsp);
    dev->is_open = 1;
    dev->err[0] = '\0';
    return 0;
}

void optile_close(struct optile_dev *dev) {
    if (!dev || !dev->is_open) return;
    optile_dma_teardown(dev);
    optile_wr(dev, OPTILE_CSR_INTR_ENABLE_OFFSET, 0);
    dev->is_open = 0;
}

int optile_route_set(struct optile_dev *dev, unsigned chip, unsigned port) {
    int rc = optile_check_dev(dev, "route");
    if (rc) return rc;
    if (chip >= OPTILE_CSR_ROUTE_COUNT)
        return optile_fail(dev, -EINVAL, "route: chip %u out of range (0..%u)", chip,
                           (unsigned)OPTILE_CSR_ROUTE_COUNT - 1);
    if (port > 5) return optile_fail(dev, -EINVAL, "route: port %u is not N/E/S/W/L/X (0..5)", port);
    optile_wr(dev, OPTILE_CSR_ROUTE_OFFSET(chip),
              OPTILE_CSR_FIELD_PREP(OPTILE_CSR_ROUTE_VALID_MASK, 1) |
                  OPTILE_CSR_FIELD_PREP(OPTILE_CSR_ROUTE_PORT_MASK, port));
    return 0;
}

int optile_route_clear(struct optile_dev *dev, unsigned chip) {
    int rc = optile_check_dev(dev, "route");
    if (rc) return rc;
    if (chip >= OPTILE_CSR_ROUTE_COUNT)
        return optile_fail(dev, -EINVAL, "route: chip %u out of range (0..%u)", chip,
                           (unsigned)OPTILE_CSR_ROUTE_COUNT - 1);
    optile_wr(dev, OPTILE_CSR_ROUTE_OFFSET(chip), 0);
    return 0;
}

int optile_irq_enable(struct optile_dev *dev, uint32_t mask) {
    int rc = optile_check_dev(dev, "irq");
    if (rc) return rc;
    const uint32_t all = OPTILE_CSR_INTR_ENABLE_DMA_CPL_MASK | OPTILE_CSR_INTR_ENABLE_LINK_UP_MASK |
                         OPTILE_CSR_INTR_ENABLE_LINK_DOWN_MASK | OPTILE_CSR_INTR_ENABLE_MBOX_CMD_MASK |
                         OPTILE_CSR_INTR_ENABLE_MBOX_RSP_MASK | OPTILE_CSR_INTR_ENABLE_RX_ERROR_MASK;
    if (mask & ~all) return optile_fail(dev, -EINVAL, "irq: enable mask 0x%x has unknown bits", (unsigned)mask);
    optile_wr(dev, OPTILE_CSR_INTR_ENABLE_OFFSET, mask);
    return 0;
}

int optile_irq_handle(struct optile_dev *dev, uint32_t *events) {
    int rc = optile_check_dev(dev, "irq");
    if (rc) return rc;
    uint32_t s = optile_rd(dev, OPTILE_CSR_INTR_STATE_OFFSET) & OPTILE_INTR_HOST_MASK;
    if (s) optile_wr(dev, OPTILE_CSR_INTR_STATE_OFFSET, s);
    if (events) *events = s;
    return 0;
}

int optile_irq_wait(struct optile_dev *dev, uint32_t max_cycles) {
    int rc = optile_check_dev(dev, "irq");
    if (rc) return rc;
    if (dev->hal.ops->wait_irq) return dev->hal.ops->wait_irq(dev->hal.ctx, max_cycles);
    uint32_t waited = 0;
    for (;;) {
        if (optile_rd(dev, OPTILE_CSR_INTR_STATE_OFFSET) & optile_rd(dev, OPTILE_CSR_INTR_ENABLE_OFFSET))
            return 1;
        if (waited >= max_cycles) return 0;
        uint32_t step = max_cycles - waited < dev->poll_cycles ? max_cycles - waited : dev->poll_cycles;
        rc = optile_wait(dev, step ? step : 1);
        if (rc) return rc;
        waited += step ? step : 1;
    }
}

/* A 64-bit counter from two registers, consistent across a carry. */
static uint64_t rd64(struct optile_dev *dev, uint32_t lo_off, uint32_t hi_off) {
    uint32_t hi = optile_rd(dev, hi_off);
    uint32_t lo = optile_rd(dev, lo_off);
    uint32_t hi2 = optile_rd(dev, hi_off);
    if (hi2 != hi) lo = optile_rd(dev, lo_off);
    return (uint64_t)hi2 << 32 | lo;
}

int optile_read_counters(struct optile_dev *dev, struct optile_counters *c) {
    int rc = optile_check_dev(dev, "counters");
    if (rc) return rc;
    if (!c) return optile_fail(dev, -EINVAL, "counters: no output");
    memset(c, 0, sizeof *c);
    c->tx_msgs = optile_rd(dev, OPTILE_CSR_DMA_STAT_TX_MSGS_OFFSET);
    c->rx_msgs = optile_rd(dev, OPTILE_CSR_DMA_STAT_RX_MSGS_OFFSET);
    c->err_rx = optile_rd(dev, OPTILE_CSR_DMA_STAT_ERR_RX_OFFSET);
    c->err_rx_noctx = optile_rd(dev, OPTILE_CSR_DMA_STAT_ERR_RX_NOCTX_OFFSET);
    c->err_desc = optile_rd(dev, OPTILE_CSR_DMA_STAT_ERR_DESC_OFFSET);
    c->err_doorbell = optile_rd(dev, OPTILE_CSR_DMA_STAT_ERR_DOORBELL_OFFSET);
    c->err_csr = optile_rd(dev, OPTILE_CSR_DMA_STAT_ERR_CSR_OFFSET);
    c->err_ovf = optile_rd(dev, OPTILE_CSR_DMA_STAT_ERR_OVF_OFFSET);
    c->err_credit = optile_rd(dev, OPTILE_CSR_DMA_STAT_ERR_CREDIT_OFFSET);
    c->phy_status = optile_rd(dev, OPTILE_CSR_PHY_STATUS_OFFSET);
    c->phy_replays = optile_rd(dev, OPTILE_CSR_PHY_REPLAYS_OFFSET);
    c->phy_bad_packets = optile_rd(dev, OPTILE_CSR_PHY_BAD_PACKETS_OFFSET);
    c->phy_link_downs = optile_rd(dev, OPTILE_CSR_PHY_LINK_DOWNS_OFFSET);
    c->rtr_buf_writes = optile_rd(dev, OPTILE_CSR_RTR_BUF_WRITES_OFFSET);
    c->rtr_buf_reads = optile_rd(dev, OPTILE_CSR_RTR_BUF_READS_OFFSET);
    c->rtr_xbar = optile_rd(dev, OPTILE_CSR_RTR_XBAR_OFFSET);
    c->rtr_allocs = optile_rd(dev, OPTILE_CSR_RTR_ALLOCS_OFFSET);
    for (unsigned i = 0; i < OPTILE_CSR_LANE_COUNT; i++) {
        struct optile_lane_counters *l = &c->lane[i];
        l->bits_sent = rd64(dev, OPTILE_CSR_LANE_BITS_LO_OFFSET(i), OPTILE_CSR_LANE_BITS_HI_OFFSET(i));
        l->heater_integral =
            rd64(dev, OPTILE_CSR_LANE_HEATER_INT_LO_OFFSET(i), OPTILE_CSR_LANE_HEATER_INT_HI_OFFSET(i));
        l->laser_cycles = optile_rd(dev, OPTILE_CSR_LANE_LASER_CYCLES_OFFSET(i));
        l->heater = OPTILE_CSR_FIELD_GET(OPTILE_CSR_LANE_HEATER_CODE_MASK,
                                         optile_rd(dev, OPTILE_CSR_LANE_HEATER_OFFSET(i)));
        l->rx_power = OPTILE_CSR_FIELD_GET(OPTILE_CSR_LANE_RX_POWER_CODE_MASK,
                                           optile_rd(dev, OPTILE_CSR_LANE_RX_POWER_OFFSET(i)));
        l->status = optile_rd(dev, OPTILE_CSR_LANE_STATUS_OFFSET(i));
    }
    for (unsigned p = 0; p < OPTILE_CSR_PORT_COUNT; p++) {
        c->port[p].flits_in = optile_rd(dev, OPTILE_CSR_PORT_FLITS_IN_OFFSET(p));
        c->port[p].flits_out = optile_rd(dev, OPTILE_CSR_PORT_FLITS_OUT_OFFSET(p));
        c->port[p].stalls = optile_rd(dev, OPTILE_CSR_PORT_STALLS_OFFSET(p));
        c->port[p].occupancy = optile_rd(dev, OPTILE_CSR_PORT_OCCUPANCY_OFFSET(p));
    }
    return 0;
}
