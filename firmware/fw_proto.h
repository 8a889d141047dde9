/*
 * fw_proto.h - the host <-> firmware mailbox protocol, firmware side
 * (docs/spec.md section 10). The host driver has its own copy of these
 * numbers in host/optile_drv.h (host/ and firmware/ share nothing but the
 * generated register header); tests/fw/test_fw_host.c checks they agree.
 */
#ifndef OPTILE_FW_PROTO_H
#define OPTILE_FW_PROTO_H

/* Firmware version reported by PING and COUNTERS(VERSION). */
#define FW_VERSION_MAJOR 1u
#define FW_VERSION_MINOR 0u
#define FW_VERSION_PATCH 0u
#define FW_VERSION ((FW_VERSION_MAJOR << 16) | (FW_VERSION_MINOR << 8) | FW_VERSION_PATCH)

/* Command codes (mbox_cmd.code), spec 10.2. */
enum fw_cmd {
    FW_CMD_PING = 0x01,
    FW_CMD_STATUS = 0x02,
    FW_CMD_LINK_UP = 0x03,
    FW_CMD_LINK_DOWN = 0x04,
    FW_CMD_COUNTERS = 0x05,
    FW_CMD_RETRAIN = 0x06,
    FW_CMD_SET_PARAM = 0x07,
};

/* Status codes (mbox_rsp.status) and last-error codes, spec 10.3. */
enum fw_status {
    FW_ST_OK = 0x00,
    FW_ST_UNKNOWN_CMD = 0x01,
    FW_ST_BAD_ARG = 0x02,
    FW_ST_BUSY = 0x03,
    FW_ST_RANGE = 0x10,
    FW_ST_NO_PEAK = 0x11,
    FW_ST_PHY_TIMEOUT = 0x12,
    FW_ST_RETRAIN_LIMIT = 0x13,
    FW_ST_BAD_TILE = 0x14,
};

/* Firmware states (mbox_rsp.state), spec 10.4. Bit 7: failed. */
enum fw_state {
    FW_STATE_BOOT = 0x00,
    FW_STATE_READY = 0x01,
    FW_STATE_BRINGUP = 0x02,
    FW_STATE_RING_TUNE = 0x03,
    FW_STATE_LINK_WAIT = 0x04,
    FW_STATE_LINK_UP = 0x05,
    FW_STATE_TRACKING = 0x06,
    FW_STATE_RETRAINING = 0x07,
    FW_STATE_FAILED_RANGE = 0x81,
    FW_STATE_FAILED_NOPEAK = 0x82,
    FW_STATE_FAILED_PHY = 0x83,
    FW_STATE_FAILED_TILE = 0x84,
};
#define FW_STATE_FAILED_BIT 0x80u

/* COUNTERS indices (mbox_arg0), spec 10.5. */
enum fw_counter {
    FW_CNT_VERSION = 0x00,
    FW_CNT_RETRAINS = 0x01,
    FW_CNT_PHY_ERRORS = 0x02,
    FW_CNT_TUNING = 0x03,
    FW_CNT_MBOX = 0x04,
    FW_CNT_LANE0 = 0x10, /* 0x10 + lane */
};

/* STATUS result fields (res0, res1), spec 10.5. Use with OPTILE_CSR_FIELD_PREP/GET. */
#define FW_STATUS0_LAST_ERROR_MASK 0x000000ffu
#define FW_STATUS0_LOCKED_MASK 0x0000ff00u
#define FW_STATUS0_FAILED_MASK 0x00ff0000u
#define FW_STATUS0_TRAIN_STATE_MASK 0x0f000000u
#define FW_STATUS1_LANE_MASK_MASK 0x000000ffu
#define FW_STATUS1_FAULTS_MASK 0x0000ff00u
#define FW_STATUS1_RETRAINS_MASK 0xffff0000u

/* COUNTERS(LANE(i)) result fields. */
#define FW_LANE0_HEATER_MASK 0x00000fffu
#define FW_LANE0_PEAK_MASK 0x0fff0000u
#define FW_LANE1_POWER_MASK 0x00000fffu
#define FW_LANE1_PHASE_MASK 0x000f0000u
#define FW_LANE1_IN_TARGET_MASK 0x00100000u
#define FW_LANE1_ERROR_MASK 0xff000000u

/* SET_PARAM ids (mbox_arg0), spec 10.6. */
enum fw_param {
    FW_PARAM_COARSE_STEP = 1,
    FW_PARAM_DITHER = 2,
    FW_PARAM_FINE_STEP = 3,
    FW_PARAM_DEADBAND = 4,
    FW_PARAM_FOUND_MIN = 5,
    FW_PARAM_DWELL = 6,
    FW_PARAM_SAMPLE_GAP = 7,
    FW_PARAM_SAMPLES = 8,
    FW_PARAM_TRACK_PERIOD = 9,
    FW_PARAM_PHY_TIMEOUT = 10,
    FW_PARAM_LINK_TIMEOUT = 11,
    FW_PARAM_MAX_FAULTS = 12,
    FW_PARAM_BIG_DIFF = 13,
};

/* PHY training states (phy_status.train_state), spec 4.9. */
enum fw_phy_state {
    FW_PHY_RESET = 0,
    FW_PHY_LASER_ON = 1,
    FW_PHY_RING_TUNE = 2,
    FW_PHY_BLOCK_LOCK = 3,
    FW_PHY_DESKEW = 4,
    FW_PHY_ACTIVE = 5,
    FW_PHY_IDLE = 6,
    FW_PHY_DOWN = 7,
};

#endif
