/*
 * fw_link.c - link bring-up, tracking and fault handling
 * (docs/spec.md 10.7, 10.8).
 */
#include "fw.h"

#include "mmio.h"

void fw_link_cfg_default(struct fw_link_cfg *cfg) {
    cfg->phy_timeout = 100000u;
    cfg->link_timeout = 4000000u;
    cfg->max_faults = 4;
}

uint8_t fw_phy_train_state(void) {
    return (uint8_t)OPTILE_CSR_FIELD_GET(OPTILE_CSR_PHY_STATUS_TRAIN_STATE_MASK,
                                         fw_read32(OPTILE_CSR_PHY_STATUS_OFFSET));
}

static uint32_t phy_link_downs(void) {
    return OPTILE_CSR_FIELD_GET(OPTILE_CSR_PHY_LINK_DOWNS_COUNT_MASK,
                                fw_read32(OPTILE_CSR_PHY_LINK_DOWNS_OFFSET));
}

/* Read-modify-write of phy_ctrl; the retrain pulse is written only when set. */
static void phy_ctrl_update(uint32_t clear, uint32_t set) {
    uint32_t v = fw_read32(OPTILE_CSR_PHY_CTRL_OFFSET);
    v &= ~(clear | OPTILE_CSR_PHY_CTRL_RETRAIN_MASK);
    fw_write32(OPTILE_CSR_PHY_CTRL_OFFSET, v | set);
}

void fw_set_state(struct fw *fw, uint8_t state) {
    if (state == fw->state) return;
    fw->state = state;
    if (fw->in_cmd) return;
    fw_write32(OPTILE_CSR_MBOX_RSP_OFFSET,
               OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATUS_MASK, fw->last_status) |
                   OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_SEQ_MASK, fw->last_seq) |
                   OPTILE_CSR_FIELD_PREP(OPTILE_CSR_MBOX_RSP_STATE_MASK, state));
}

/* The reported state of a running phase. */
static void publish_phase(struct fw *fw) {
    static const uint8_t normal[] = {
        [FW_PH_WAIT_TUNE] = FW_STATE_BRINGUP,
        [FW_PH_TUNE] = FW_STATE_RING_TUNE,
        [FW_PH_WAIT_ACTIVE] = FW_STATE_LINK_WAIT,
    };
    if (fw->phase == FW_PH_UP) {
        fw_set_state(fw, fw->good >= FW_GOOD_ROUNDS ? FW_STATE_TRACKING : FW_STATE_LINK_UP);
    } else if (fw->phase == FW_PH_SOFT || fw->retraining) {
        fw_set_state(fw, FW_STATE_RETRAINING);
    } else if (fw->phase < sizeof normal) {
        fw_set_state(fw, normal[fw->phase]);
    }
}

static void enter(struct fw *fw, uint8_t phase, uint32_t timeout) {
    fw->phase = phase;
    fw->deadline = fw_now() + timeout;
    publish_phase(fw);
}

static void fail(struct fw *fw, uint8_t state, uint8_t err, uint32_t lanes) {
    fw_tune_halt(&fw->tune);
    fw->phase = FW_PH_IDLE;
    fw->last_error = err;
    fw->failed_lanes = (uint8_t)lanes;
    fw_set_state(fw, state);
}

/* A lane of the tuner failed: FAILED_RANGE takes precedence over NO_PEAK. */
static int check_tuner_failure(struct fw *fw) {
    uint32_t failed = fw_tune_mask(&fw->tune, FW_LANE_FAILED) & fw->lane_mask;
    if (!failed) return 0;
    uint8_t err = FW_ST_NO_PEAK;
    for (unsigned i = 0; i < fw->tune.nlanes; i++)
        if ((failed >> i & 1u) && fw->tune.lane[i].err == FW_ST_RANGE) err = FW_ST_RANGE;
    fail(fw, err == FW_ST_RANGE ? FW_STATE_FAILED_RANGE : FW_STATE_FAILED_NOPEAK, err, failed);
    return 1;
}

/* Enables the PHY (after a reset pulse if it was enabled) for the lane mask. */
static void phy_restart(struct fw *fw) {
    uint32_t v = fw_read32(OPTILE_CSR_PHY_CTRL_OFFSET);
    uint32_t off = OPTILE_CSR_PHY_CTRL_ENABLE_MASK | OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK;
    v &= ~OPTILE_CSR_PHY_CTRL_RETRAIN_MASK;
    if (v & off) {
        v &= ~off;
        fw_write32(OPTILE_CSR_PHY_CTRL_OFFSET, v);
    }
    v &= ~OPTILE_CSR_PHY_CTRL_LANE_MASK_MASK;
    v |= OPTILE_CSR_FIELD_PREP(OPTILE_CSR_PHY_CTRL_LANE_MASK_MASK, fw->lane_mask);
    fw_write32(OPTILE_CSR_PHY_CTRL_OFFSET, v | OPTILE_CSR_PHY_CTRL_ENABLE_MASK);
}

/* Counts a fault; returns 1 (after failing) when the limit is exceeded. */
static int count_fault(struct fw *fw) {
    fw->retrains++;
    if (fw->faults < 255) fw->faults++;
    fw->good = 0;
    if (fw->faults > fw->lcfg.max_faults) {
        fail(fw, FW_STATE_FAILED_PHY, FW_ST_RETRAIN_LIMIT, 0);
        return 1;
    }
    return 0;
}

static void hard_fault(struct fw *fw) {
    if (count_fault(fw)) return;
    fw->retraining = 1;
    fw->fine_plan = (uint8_t)(fw_tune_locked_mask(&fw->tune) & fw->lane_mask);
    fw_tune_halt(&fw->tune);
    phy_restart(fw);
    enter(fw, FW_PH_WAIT_TUNE, fw->lcfg.phy_timeout);
}

static void soft_fault(struct fw *fw, uint32_t lost, uint8_t train_state) {
    if (count_fault(fw)) return;
    fw->retraining = 1;
    for (unsigned i = 0; i < fw->tune.nlanes; i++) {
        if (lost >> i & 1u) {
            (void)fw_tune_start(&fw->tune, i, 0);
            fw->lost[i] = 0;
        }
    }
    fw->pulsed = 0;
    fw->left_active = train_state != FW_PHY_ACTIVE;
    enter(fw, FW_PH_SOFT, fw->lcfg.link_timeout);
}

static void go_up(struct fw *fw) {
    fw->link_downs = phy_link_downs();
    fw->good = 0;
    fw->asleep = 0;
    fw->retraining = 0;
    for (unsigned i = 0; i < FW_LANES; i++) fw->lost[i] = 0;
    enter(fw, FW_PH_UP, 0);
}

uint8_t fw_link_up(struct fw *fw, uint32_t lane_mask) {
    if (fw->state == FW_STATE_FAILED_TILE) return FW_ST_BAD_TILE;
    if (lane_mask == 0) lane_mask = fw->all_lanes;
    if (lane_mask & ~(uint32_t)fw->all_lanes) return FW_ST_BAD_ARG;
    if (fw->phase != FW_PH_IDLE) return FW_ST_OK; /* already on its way or up */
    fw->lane_mask = (uint8_t)lane_mask;
    fw->last_error = FW_ST_OK;
    fw->failed_lanes = 0;
    fw->faults = 0;
    fw->retraining = 0;
    fw->fine_plan = 0;
    fw->good = 0;
    fw_tune_off(&fw->tune);
    phy_restart(fw);
    enter(fw, FW_PH_WAIT_TUNE, fw->lcfg.phy_timeout);
    return FW_ST_OK;
}

uint8_t fw_link_down(struct fw *fw) {
    fw_tune_off(&fw->tune);
    phy_ctrl_update(OPTILE_CSR_PHY_CTRL_ENABLE_MASK | OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK, 0);
    fw->phase = FW_PH_IDLE;
    fw->retraining = 0;
    if (fw->state != FW_STATE_FAILED_TILE) fw_set_state(fw, FW_STATE_READY);
    return FW_ST_OK;
}

uint8_t fw_link_retrain(struct fw *fw) {
    if (fw->phase != FW_PH_UP) return FW_ST_BUSY;
    hard_fault(fw);
    return FW_ST_OK;
}

/* Rounds completed while ACTIVE: lost lanes and the good-round count. */
static uint32_t account_round(struct fw *fw) {
    uint32_t lost = 0;
    for (unsigned i = 0; i < fw->tune.nlanes; i++) {
        const struct fw_lane *l = &fw->tune.lane[i];
        if (!(fw->lane_mask >> i & 1u) || l->phase != FW_LANE_LOCKED) {
            fw->lost[i] = 0;
            continue;
        }
        if (4u * l->power < l->peak) {
            if (++fw->lost[i] >= FW_LOST_ROUNDS) lost |= 1u << i;
        } else {
            fw->lost[i] = 0;
        }
    }
    if ((fw_tune_locked_mask(&fw->tune) & fw->lane_mask) == fw->lane_mask) {
        if (fw->good < 0xffff) fw->good++;
        if (fw->good == FW_GOOD_ROUNDS) fw->faults = 0;
    } else if (fw->state != FW_STATE_TRACKING) {
        fw->good = 0;
    }
    return lost;
}

static void step_up(struct fw *fw, int round_done) {
    uint8_t ts = fw_phy_train_state();
    if (phy_link_downs() != fw->link_downs) {
        hard_fault(fw);
        return;
    }
    switch (ts) {
    case FW_PHY_ACTIVE: {
        fw->asleep = 0;
        uint32_t lost = round_done ? account_round(fw) : 0;
        if (lost) {
            soft_fault(fw, lost, ts);
            return;
        }
        break;
    }
    case FW_PHY_IDLE:
        fw->asleep = 1;
        break;
    case FW_PHY_LASER_ON:
    case FW_PHY_RING_TUNE:
        if (!fw->asleep) {
            hard_fault(fw);
            return;
        }
        break;
    case FW_PHY_BLOCK_LOCK:
    case FW_PHY_DESKEW:
        if (!fw->asleep) {
            soft_fault(fw, 0, ts);
            return;
        }
        break;
    default: /* RESET, DOWN */
        hard_fault(fw);
        return;
    }
    if (ts != FW_PHY_ACTIVE)
        for (unsigned i = 0; i < FW_LANES; i++) fw->lost[i] = 0;
    publish_phase(fw);
}

static void step_soft(struct fw *fw) {
    uint8_t ts = fw_phy_train_state();
    if (phy_link_downs() != fw->link_downs || ts == FW_PHY_DOWN || ts == FW_PHY_RESET ||
        fw_time_reached(fw_now(), fw->deadline)) {
        hard_fault(fw);
        return;
    }
    if (ts != FW_PHY_ACTIVE) {
        fw->left_active = 1;
        return;
    }
    if (fw_tune_busy(&fw->tune)) return;
    if (fw->pulsed) {
        if (fw->left_active) go_up(fw);
        return;
    }
    uint32_t active = OPTILE_CSR_FIELD_GET(OPTILE_CSR_PHY_STATUS_ACTIVE_LANES_MASK,
                                           fw_read32(OPTILE_CSR_PHY_STATUS_OFFSET));
    if ((active & fw->lane_mask) != fw->lane_mask) {
        phy_ctrl_update(0, OPTILE_CSR_PHY_CTRL_RETRAIN_MASK);
        fw->pulsed = 1;
        fw->left_active = 0;
        return;
    }
    go_up(fw);
}

void fw_link_step(struct fw *fw, int round_done) {
    switch (fw->phase) {
    case FW_PH_WAIT_TUNE: {
        uint8_t ts = fw_phy_train_state();
        if (ts == FW_PHY_RING_TUNE) {
            for (unsigned i = 0; i < fw->tune.nlanes; i++)
                if (fw->lane_mask >> i & 1u) (void)fw_tune_start(&fw->tune, i, fw->fine_plan >> i & 1u);
            enter(fw, FW_PH_TUNE, 0);
        } else if (fw_time_reached(fw_now(), fw->deadline)) {
            fail(fw, FW_STATE_FAILED_PHY, FW_ST_PHY_TIMEOUT, 0);
        }
        break;
    }
    case FW_PH_TUNE:
        if (check_tuner_failure(fw)) break;
        if (!fw_tune_busy(&fw->tune)) {
            phy_ctrl_update(0, OPTILE_CSR_PHY_CTRL_RINGS_LOCKED_MASK);
            enter(fw, FW_PH_WAIT_ACTIVE, fw->lcfg.link_timeout);
        }
        break;
    case FW_PH_WAIT_ACTIVE: {
        if (check_tuner_failure(fw)) break;
        uint8_t ts = fw_phy_train_state();
        if (ts == FW_PHY_ACTIVE) {
            go_up(fw);
        } else if (ts == FW_PHY_DOWN || fw_time_reached(fw_now(), fw->deadline)) {
            hard_fault(fw);
        }
        break;
    }
    case FW_PH_UP:
        if (check_tuner_failure(fw)) break;
        step_up(fw, round_done);
        break;
    case FW_PH_SOFT:
        if (check_tuner_failure(fw)) break;
        step_soft(fw);
        break;
    default:
        break;
    }
}

void fw_init(struct fw *fw) {
    struct fw zero = {0};
    *fw = zero;
    fw_link_cfg_default(&fw->lcfg);
    uint32_t lanes = OPTILE_CSR_FIELD_GET(OPTILE_CSR_TILE_CFG_LANES_MASK,
                                          fw_read32(OPTILE_CSR_TILE_CFG_OFFSET));
    if (lanes < 1 || lanes > FW_LANES) lanes = FW_LANES; /* not reported: the map's count */
    fw_tune_init(&fw->tune, lanes);
    fw->all_lanes = (uint8_t)((1u << lanes) - 1u);
    fw->lane_mask = fw->all_lanes;
    uint32_t id = fw_read32(OPTILE_CSR_ID_OFFSET);
    if (OPTILE_CSR_FIELD_GET(OPTILE_CSR_ID_VALUE_MASK, id) != OPTILE_CSR_ID_VALUE_RESET) {
        fw->last_error = FW_ST_BAD_TILE;
        fw_set_state(fw, FW_STATE_FAILED_TILE);
    } else {
        fw_set_state(fw, FW_STATE_READY);
    }
}

void fw_poll(struct fw *fw) {
    fw_mbox_poll(fw);
    int round_done = fw_tune_step(&fw->tune);
    fw_link_step(fw, round_done);
}
