/*
 * optile_mbox.c - the host side of the firmware mailbox and the link
 * bring-up through the firmware (docs/spec.md 10.1-10.5, 10.7).
 */
#include <errno.h>
#include <stdio.h>

#include "optile_drv.h"
#include "optile_priv.h"

int optile_fw_errno(uint8_t status) {
    switch (status) {
    case OPTILE_FW_ST_OK: return 0;
    case OPTILE_FW_ST_UNKNOWN_CMD: return -EOPNOTSUPP;
    case OPTILE_FW_ST_BAD_ARG: return -EINVAL;
    case OPTILE_FW_ST_BUSY: return -EBUSY;
    case OPTILE_FW_ST_RANGE: return -ERANGE;
    case OPTILE_FW_ST_NO_PEAK: return -ENOLINK;
    case OPTILE_FW_ST_PHY_TIMEOUT: return -ETIME;
    case OPTILE_FW_ST_RETRAIN_LIMIT: return -ECONNRESET;
    case OPTILE_FW_ST_BAD_TILE: return -ENODEV;
    default: return -EPROTO;
    }
}

const char *optile_fw_state_name(uint8_t state) {
    switch (state) {
    case OPTILE_FW_STATE_BOOT: return "BOOT";
    case OPTILE_FW_STATE_READY: return "READY";
    case OPTILE_FW_STATE_BRINGUP: return "BRINGUP";
    case OPTILE_FW_STATE_RING_TUNE: return "RING_TUNE";
    case OPTILE_FW_STATE_LINK_WAIT: return "LINK_WAIT";
    case OPTILE_FW_STATE_LINK_UP: return "LINK_UP";
    case OPTILE_FW_STATE_TRACKING: return "TRACKING";
    case OPTILE_FW_STATE_RETRAINING: return "RETRAINING";
    case OPTILE_FW_STATE_FAILED_RANGE: return "FAILED_RANGE";
    case OPTILE_FW_STATE_FAILED_NOPEAK: return "FAILED_NOPEAK";
    case OPTILE_FW_STATE_FAILED_PHY: return "FAILED_PHY";
    case OPTILE_FW_STATE_FAILED_TILE: return "FAILED_TILE";
    default: return "unknown";
    }
}

static uint8_t next_seq(struct optile_dev *dev) {
    dev->seq = (uint8_t)(dev->seq + 1u);
    if (dev->seq == 0) dev->seq = 1; /* 0 is the reset value of mbox_rsp.seq */
    return dev->seq;
}

int optile_mbox_call(struct optile_dev *dev, uint8_t code, uint32_t arg0, uint32_t arg1,
                     struct optile_mbox_rsp *rsp) {
    int rc = optile_check_dev(dev, "mailbox");
    if (rc) return rc;
    uint8_t seq = next_seq(dev);
    optile_wr(dev, OPTILE_CSR_MBOX_ARG0_OFFSET, arg0);
    optile_wr(dev, OPTILE_CSR_MBOX_ARG1_OFFSET, arg1);
    optile_wr(dev, OPTILE_CSR_MBOX_CMD_OFFSET,
              OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_CODE_MASK, code) |
                  OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_CMD_SEQ_MASK, seq));
    uint32_t waited = 0, v;
    for (;;) {
        v = optile_rd(dev, OPTILE_CSR_MBOX_RSP_OFFSET);
        dev->fw_state = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATE_MASK, v);
        if (OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_SEQ_MASK, v) == seq) break;
        if (waited >= dev->mbox_timeout)
            return optile_fail(dev, -ETIMEDOUT,
                               "mailbox: command 0x%02x seq %u: no response in %u cycles "
                               "(firmware state %s)",
                               code, seq, (unsigned)waited, optile_fw_state_name(dev->fw_state));
        rc = optile_wait(dev, dev->poll_cycles);
        if (rc) return rc;
        waited += dev->poll_cycles;
    }
    struct optile_mbox_rsp r;
    r.status = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATUS_MASK, v);
    r.seq = seq;
    r.state = dev->fw_state;
    r.res0 = optile_rd(dev, OPTILE_CSR_MBOX_RES0_OFFSET);
    r.res1 = optile_rd(dev, OPTILE_CSR_MBOX_RES1_OFFSET);
    optile_wr(dev, OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK);
    dev->fw_status = r.status;
    if (rsp) *rsp = r;
    rc = optile_fw_errno(r.status);
    if (rc)
        return optile_fail(dev, rc, "mailbox: command 0x%02x seq %u: firmware status 0x%02x (state %s)",
                           code, seq, r.status, optile_fw_state_name(r.state));
    return 0;
}

int optile_fw_state(struct optile_dev *dev) {
    int rc = optile_check_dev(dev, "firmware");
    if (rc) return rc;
    uint32_t v = optile_rd(dev, OPTILE_CSR_MBOX_RSP_OFFSET);
    dev->fw_state = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_RSP_STATE_MASK, v);
    return dev->fw_state;
}

int optile_fw_wait_ready(struct optile_dev *dev, uint32_t timeout_cycles) {
    uint32_t waited = 0;
    for (;;) {
        int st = optile_fw_state(dev);
        if (st < 0) return st;
        if (st == OPTILE_FW_STATE_FAILED_TILE)
            return optile_fail(dev, -ENODEV, "firmware: refuses this tile (FAILED_TILE)");
        if (st != OPTILE_FW_STATE_BOOT) return 0;
        if (waited >= timeout_cycles)
            return optile_fail(dev, -ETIMEDOUT, "firmware: still in BOOT after %u cycles", (unsigned)waited);
        int rc = optile_wait(dev, dev->poll_cycles);
        if (rc) return rc;
        waited += dev->poll_cycles;
    }
}

int optile_fw_ping(struct optile_dev *dev, uint32_t *version) {
    static const uint32_t pattern = 0x5A17C0DEu;
    struct optile_mbox_rsp r;
    int rc = optile_mbox_call(dev, OPTILE_FW_CMD_PING, pattern, 0, &r);
    if (rc) return rc;
    if (r.res0 != ~pattern)
        return optile_fail(dev, -EPROTO, "firmware: PING echoed 0x%08x, expected 0x%08x", (unsigned)r.res0,
                           (unsigned)~pattern);
    if (version) *version = r.res1;
    return 0;
}

int optile_fw_status(struct optile_dev *dev, struct optile_fw_info *info) {
    if (!info) return optile_fail(dev, -EINVAL, "firmware: STATUS without output");
    struct optile_mbox_rsp r;
    int rc = optile_mbox_call(dev, OPTILE_FW_CMD_STATUS, 0, 0, &r);
    if (rc) return rc;
    info->state = r.state;
    info->last_error = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_FW_STATUS0_LAST_ERROR_MASK, r.res0);
    info->locked_lanes = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_FW_STATUS0_LOCKED_MASK, r.res0);
    info->failed_lanes = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_FW_STATUS0_FAILED_MASK, r.res0);
    info->train_state = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_FW_STATUS0_TRAIN_STATE_MASK, r.res0);
    info->lane_mask = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_FW_STATUS1_LANE_MASK_MASK, r.res1);
    info->faults = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_FW_STATUS1_FAULTS_MASK, r.res1);
    info->retrains = (uint16_t)OPTILE_CSR_FIELD_GET(OPTILE_FW_STATUS1_RETRAINS_MASK, r.res1);
    return 0;
}

int optile_fw_counter(struct optile_dev *dev, uint32_t index, uint32_t *v0, uint32_t *v1) {
    struct optile_mbox_rsp r;
    int rc = optile_mbox_call(dev, OPTILE_FW_CMD_COUNTERS, index, 0, &r);
    if (rc) return rc;
    if (v0) *v0 = r.res0;
    if (v1) *v1 = r.res1;
    return 0;
}

int optile_fw_set_param(struct optile_dev *dev, uint32_t id, uint32_t value) {
    return optile_mbox_call(dev, OPTILE_FW_CMD_SET_PARAM, id, value, NULL);
}

/* ctrl := ctrl with link_en set or cleared (soft_rst is a pulse: written 0). */
static void set_link_en(struct optile_dev *dev, int on) {
    uint32_t v = optile_rd(dev, OPTILE_CSR_CTRL_OFFSET) & ~OPTILE_CSR_CTRL_SOFT_RST_MASK;
    v &= ~OPTILE_CSR_CTRL_LINK_EN_MASK;
    v |= OPTILE_CSR_FIELD_PREP(OPTILE_CSR_CTRL_LINK_EN_MASK, on ? 1u : 0u);
    optile_wr(dev, OPTILE_CSR_CTRL_OFFSET, v);
}

int optile_link_start(struct optile_dev *dev, uint32_t lane_mask) {
    int rc = optile_check_dev(dev, "link");
    if (rc) return rc;
    if (lane_mask >> dev->lanes)
        return optile_fail(dev, -EINVAL, "link: lane mask 0x%x names lanes beyond the tile's %u",
                           (unsigned)lane_mask, dev->lanes);
    set_link_en(dev, 1);
    return optile_mbox_call(dev, OPTILE_FW_CMD_LINK_UP, lane_mask, 0, NULL);
}

int optile_link_status(struct optile_dev *dev) {
    int st = optile_fw_state(dev);
    if (st < 0) return st;
    if (st == OPTILE_FW_STATE_LINK_UP || st == OPTILE_FW_STATE_TRACKING) return 1;
    if (st & OPTILE_FW_STATE_FAILED_BIT) {
        struct optile_fw_info info;
        int rc = optile_fw_status(dev, &info);
        if (rc) return rc;
        rc = optile_fw_errno(info.last_error);
        if (rc == 0) rc = -EIO;
        return optile_fail(dev, rc, "link: firmware %s, error 0x%02x, failed lanes 0x%02x",
                           optile_fw_state_name((uint8_t)st), info.last_error, info.failed_lanes);
    }
    return 0;
}

int optile_link_wait(struct optile_dev *dev, uint32_t timeout_cycles) {
    if (timeout_cycles == 0) timeout_cycles = OPTILE_LINK_TIMEOUT_CYCLES;
    uint32_t waited = 0;
    for (;;) {
        int rc = optile_link_status(dev);
        if (rc < 0) return rc;
        if (rc == 1) return 0;
        if (waited >= timeout_cycles)
            return optile_fail(dev, -ETIMEDOUT, "link: not up after %u cycles (firmware state %s)",
                               (unsigned)waited, optile_fw_state_name(dev->fw_state));
        uint32_t step = OPTILE_LINK_POLL_CYCLES;
        rc = optile_wait(dev, step);
        if (rc) return rc;
        waited += step;
    }
}

int optile_link_up(struct optile_dev *dev, uint32_t lane_mask, uint32_t timeout_cycles) {
    int rc = optile_link_start(dev, lane_mask);
    if (rc) return rc;
    return optile_link_wait(dev, timeout_cycles);
}

int optile_link_down(struct optile_dev *dev) {
    int rc = optile_mbox_call(dev, OPTILE_FW_CMD_LINK_DOWN, 0, 0, NULL);
    if (rc) return rc;
    set_link_en(dev, 0);
    return 0;
}
