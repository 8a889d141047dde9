/*
 * fw_mbox.c - the host mailbox, firmware side (docs/spec.md 10.1-10.6).
 */
#include "fw.h"

#include "mmio.h"

void fw_mbox_poll(struct fw *fw) {
    uint32_t is = fw_read32(OPTILE_CSR_INTR_STATE_OFFSET);
    if (!(is & OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK)) return;
    /* clear first (W1C, our bit only): a command written meanwhile is not lost */
    fw_write32(OPTILE_CSR_INTR_STATE_OFFSET, OPTILE_CSR_INTR_STATE_MBOX_CMD_MASK);
    uint32_t cmd = fw_read32(OPTILE_CSR_MBOX_CMD_OFFSET);
    uint32_t arg0 = fw_read32(OPTILE_CSR_MBOX_ARG0_OFFSET);
    uint32_t arg1 = fw_read32(OPTILE_CSR_MBOX_ARG1_OFFSET);
    uint8_t code = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_CMD_CODE_MASK, cmd);
    uint8_t seq = (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_MBOX_CMD_SEQ_MASK, cmd);
    uint32_t res0 = 0, res1 = 0;

    fw->in_cmd = 1;
    uint8_t st = fw_mbox_execute(fw, code, arg0, arg1, &res0, &res1);
    fw->in_cmd = 0;
    fw->cmds++;
    if (st != FW_ST_OK) fw->cmd_errors++;
    fw->last_seq = seq;
    fw->last_status = st;
    fw_write32(OPTILE_CSR_MBOX_RES0_OFFSET, res0);
    fw_write32(OPTILE_CSR_MBOX_RES1_OFFSET, res1);
    fw_write32(OPTILE_CSR_MBOX_RSP_OFFSET,
               OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATUS_MASK, st) |
                   OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_SEQ_MASK, seq) |
                   OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, fw->state));
}

static uint32_t status_word0(const struct fw *fw) {
    return OPTILE_CSR_FIELD_PREP(FW_STATUS0_LAST_ERROR_MASK, fw->last_error) |
           OPTILE_CSR_FIELD_PREP(FW_STATUS0_LOCKED_MASK, fw_tune_locked_mask(&fw->tune)) |
           OPTILE_CSR_FIELD_PREP(FW_STATUS0_FAILED_MASK, fw->failed_lanes) |
           OPTILE_CSR_FIELD_PREP(FW_STATUS0_TRAIN_STATE_MASK, fw_phy_train_state());
}

static uint32_t status_word1(const struct fw *fw) {
    uint32_t r = fw->retrains > 0xffffu ? 0xffffu : fw->retrains;
    return OPTILE_CSR_FIELD_PREP(FW_STATUS1_LANE_MASK_MASK, fw->lane_mask) |
           OPTILE_CSR_FIELD_PREP(FW_STATUS1_FAULTS_MASK, fw->faults) |
           OPTILE_CSR_FIELD_PREP(FW_STATUS1_RETRAINS_MASK, r);
}

static uint8_t counters(const struct fw *fw, uint32_t index, uint32_t *res0, uint32_t *res1) {
    switch (index) {
    case FW_CNT_VERSION:
        *res0 = FW_VERSION;
        *res1 = fw_now();
        return FW_ST_OK;
    case FW_CNT_RETRAINS:
        *res0 = fw->retrains;
        *res1 = fw_read32(OPTILE_CSR_PHY_LINK_DOWNS_OFFSET);
        return FW_ST_OK;
    case FW_CNT_PHY_ERRORS:
        *res0 = fw_read32(OPTILE_CSR_PHY_REPLAYS_OFFSET);
        *res1 = fw_read32(OPTILE_CSR_PHY_BAD_PACKETS_OFFSET);
        return FW_ST_OK;
    case FW_CNT_TUNING:
        *res0 = fw->tune.rounds;
        *res1 = fw->tune.moves;
        return FW_ST_OK;
    case FW_CNT_MBOX:
        *res0 = fw->cmds;
        *res1 = fw->cmd_errors;
        return FW_ST_OK;
    default:
        break;
    }
    if (index >= FW_CNT_LANE0 && index < FW_CNT_LANE0 + (uint32_t)fw->tune.nlanes) {
        const struct fw_lane *l = &fw->tune.lane[index - FW_CNT_LANE0];
        *res0 = OPTILE_CSR_FIELD_PREP(FW_LANE0_HEATER_MASK, l->code) |
                OPTILE_CSR_FIELD_PREP(FW_LANE0_PEAK_MASK, l->peak);
        *res1 = OPTILE_CSR_FIELD_PREP(FW_LANE1_POWER_MASK, l->power) |
                OPTILE_CSR_FIELD_PREP(FW_LANE1_PHASE_MASK, l->phase) |
                OPTILE_CSR_FIELD_PREP(FW_LANE1_IN_TARGET_MASK, l->in_target) |
                OPTILE_CSR_FIELD_PREP(FW_LANE1_ERROR_MASK, l->err);
        return FW_ST_OK;
    }
    return FW_ST_BAD_ARG;
}

/* Sets a 16-bit tuning parameter if lo <= v <= hi. */
static uint8_t set16(uint16_t *p, uint32_t v, uint32_t lo, uint32_t hi, uint32_t *old) {
    *old = *p;
    if (v < lo || v > hi) return FW_ST_BAD_ARG;
    *p = (uint16_t)v;
    return FW_ST_OK;
}

static uint8_t set32(uint32_t *p, uint32_t v, uint32_t lo, uint32_t hi, uint32_t *old) {
    *old = *p;
    if (v < lo || v > hi) return FW_ST_BAD_ARG;
    *p = v;
    return FW_ST_OK;
}

static uint8_t set8(uint8_t *p, uint32_t v, uint32_t lo, uint32_t hi, uint32_t *old) {
    *old = *p;
    if (v < lo || v > hi) return FW_ST_BAD_ARG;
    *p = (uint8_t)v;
    return FW_ST_OK;
}

static uint8_t set_param(struct fw *fw, uint32_t id, uint32_t v, uint32_t *old) {
    struct fw_tune_cfg *c = &fw->tune.cfg;
    if (fw->phase != FW_PH_IDLE) return FW_ST_BUSY;
    switch (id) {
    case FW_PARAM_COARSE_STEP: return set16(&c->coarse_step, v, 1, 1024, old);
    case FW_PARAM_DITHER: return set16(&c->dither, v, 1, 256, old);
    case FW_PARAM_FINE_STEP: return set16(&c->fine_step, v, 1, 64, old);
    case FW_PARAM_DEADBAND: return set16(&c->deadband, v, 0, FW_HEATER_MAX, old);
    case FW_PARAM_FOUND_MIN: return set16(&c->found_min, v, 1, FW_HEATER_MAX, old);
    case FW_PARAM_DWELL: return set32(&c->dwell, v, 1, 1u << 20, old);
    case FW_PARAM_SAMPLE_GAP: return set32(&c->sample_gap, v, 1, 1u << 20, old);
    case FW_PARAM_SAMPLES: return set8(&c->samples, v, 1, 16, old);
    case FW_PARAM_TRACK_PERIOD: return set32(&c->track_period, v, 0, 1u << 24, old);
    case FW_PARAM_PHY_TIMEOUT: return set32(&fw->lcfg.phy_timeout, v, 1, 1u << 30, old);
    case FW_PARAM_LINK_TIMEOUT: return set32(&fw->lcfg.link_timeout, v, 1, 1u << 30, old);
    case FW_PARAM_MAX_FAULTS: return set8(&fw->lcfg.max_faults, v, 1, 255, old);
    case FW_PARAM_BIG_DIFF: return set16(&c->big_diff, v, 1, FW_HEATER_MAX, old);
    default: return FW_ST_BAD_ARG;
    }
}

uint8_t fw_mbox_execute(struct fw *fw, uint8_t code, uint32_t arg0, uint32_t arg1,
                        uint32_t *res0, uint32_t *res1) {
    *res0 = 0;
    *res1 = 0;
    switch (code) {
    case FW_CMD_PING:
        *res0 = ~arg0;
        *res1 = FW_VERSION;
        return FW_ST_OK;
    case FW_CMD_STATUS:
        *res0 = status_word0(fw);
        *res1 = status_word1(fw);
        return FW_ST_OK;
    case FW_CMD_LINK_UP: {
        if (arg1 != 0) return FW_ST_BAD_ARG;
        uint8_t st = fw_link_up(fw, arg0);
        *res0 = fw->lane_mask;
        return st;
    }
    case FW_CMD_LINK_DOWN:
        return fw_link_down(fw);
    case FW_CMD_COUNTERS:
        return counters(fw, arg0, res0, res1);
    case FW_CMD_RETRAIN:
        return fw_link_retrain(fw);
    case FW_CMD_SET_PARAM:
        return set_param(fw, arg0, arg1, res0);
    default:
        return FW_ST_UNKNOWN_CMD;
    }
}
