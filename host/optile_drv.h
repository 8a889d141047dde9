/*
 * optile_drv.h - host driver of the optile network tile
 * (docs/spec.md sections 2, 6 and 10).
 *
 * The driver reaches the tile only through optile_hal.h and knows only the
 * generated register header (every offset and field is an OPTILE_CSR_* name)
 * and the firmware mailbox protocol of spec section 10, whose numbers are
 * repeated here (OPTILE_FW_*; the firmware has its own copy in
 * firmware/fw_proto.h, tests/fw/test_fw_host.c checks both ends agree).
 *
 * Every function returns 0 (or a count where stated) or a negative errno:
 * -EINVAL bad argument, -ENODEV not an optile tile, -ETIMEDOUT no answer in
 * time, -EAGAIN ring full for now, -ENOSPC more than a ring can ever hold,
 * -EBUSY wrong state, firmware errors as spec 10.3 maps them. After an
 * error, optile_last_error(dev) says what happened in words.
 */
#ifndef OPTILE_DRV_H
#define OPTILE_DRV_H

#include <stddef.h>
#include <stdint.h>

#include "optile_csr.h"
#include "optile_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- firmware mailbox protocol (spec 10.2-10.6), host copy ------------------------ */

enum optile_fw_cmd {
    OPTILE_FW_CMD_PING = 0x01,
    OPTILE_FW_CMD_STATUS = 0x02,
    OPTILE_FW_CMD_LINK_UP = 0x03,
    OPTILE_FW_CMD_LINK_DOWN = 0x04,
    OPTILE_FW_CMD_COUNTERS = 0x05,
    OPTILE_FW_CMD_RETRAIN = 0x06,
    OPTILE_FW_CMD_SET_PARAM = 0x07,
};

enum optile_fw_status {
    OPTILE_FW_ST_OK = 0x00,
    OPTILE_FW_ST_UNKNOWN_CMD = 0x01,
    OPTILE_FW_ST_BAD_ARG = 0x02,
    OPTILE_FW_ST_BUSY = 0x03,
    OPTILE_FW_ST_RANGE = 0x10,
    OPTILE_FW_ST_NO_PEAK = 0x11,
    OPTILE_FW_ST_PHY_TIMEOUT = 0x12,
    OPTILE_FW_ST_RETRAIN_LIMIT = 0x13,
    OPTILE_FW_ST_BAD_TILE = 0x14,
};

enum optile_fw_state {
    OPTILE_FW_STATE_BOOT = 0x00,
    OPTILE_FW_STATE_READY = 0x01,
    OPTILE_FW_STATE_BRINGUP = 0x02,
    OPTILE_FW_STATE_RING_TUNE = 0x03,
    OPTILE_FW_STATE_LINK_WAIT = 0x04,
    OPTILE_FW_STATE_LINK_UP = 0x05,
    OPTILE_FW_STATE_TRACKING = 0x06,
    OPTILE_FW_STATE_RETRAINING = 0x07,
    OPTILE_FW_STATE_FAILED_RANGE = 0x81,
    OPTILE_FW_STATE_FAILED_NOPEAK = 0x82,
    OPTILE_FW_STATE_FAILED_PHY = 0x83,
    OPTILE_FW_STATE_FAILED_TILE = 0x84,
};
#define OPTILE_FW_STATE_FAILED_BIT 0x80u

enum optile_fw_counter {
    OPTILE_FW_CNT_VERSION = 0x00,
    OPTILE_FW_CNT_RETRAINS = 0x01,
    OPTILE_FW_CNT_PHY_ERRORS = 0x02,
    OPTILE_FW_CNT_TUNING = 0x03,
    OPTILE_FW_CNT_MBOX = 0x04,
    OPTILE_FW_CNT_LANE0 = 0x10,
};

enum optile_fw_param {
    OPTILE_FW_PARAM_COARSE_STEP = 1,
    OPTILE_FW_PARAM_DITHER = 2,
    OPTILE_FW_PARAM_FINE_STEP = 3,
    OPTILE_FW_PARAM_DEADBAND = 4,
    OPTILE_FW_PARAM_FOUND_MIN = 5,
    OPTILE_FW_PARAM_DWELL = 6,
    OPTILE_FW_PARAM_SAMPLE_GAP = 7,
    OPTILE_FW_PARAM_SAMPLES = 8,
    OPTILE_FW_PARAM_TRACK_PERIOD = 9,
    OPTILE_FW_PARAM_PHY_TIMEOUT = 10,
    OPTILE_FW_PARAM_LINK_TIMEOUT = 11,
    OPTILE_FW_PARAM_MAX_FAULTS = 12,
    OPTILE_FW_PARAM_BIG_DIFF = 13,
};

/* STATUS results (spec 10.5), for OPTILE_CSR_FIELD_GET. */
#define OPTILE_FW_STATUS0_LAST_ERROR_MASK 0x000000ffu
#define OPTILE_FW_STATUS0_LOCKED_MASK 0x0000ff00u
#define OPTILE_FW_STATUS0_FAILED_MASK 0x00ff0000u
#define OPTILE_FW_STATUS0_TRAIN_STATE_MASK 0x0f000000u
#define OPTILE_FW_STATUS1_LANE_MASK_MASK 0x000000ffu
#define OPTILE_FW_STATUS1_FAULTS_MASK 0x0000ff00u
#define OPTILE_FW_STATUS1_RETRAINS_MASK 0xffff0000u

/* ---- driver defaults ----------------------------------------------------------------- */

#define OPTILE_MBOX_TIMEOUT_CYCLES 200000u  /* per mailbox command */
#define OPTILE_POLL_CYCLES 64u              /* between mailbox polls */
#define OPTILE_LINK_POLL_CYCLES 1024u       /* between link-state polls */
#define OPTILE_LINK_TIMEOUT_CYCLES 50000000u
#define OPTILE_MAX_MSG_DEFAULT 65536u       /* bytes per TX descriptor */
#define OPTILE_DESC_BYTES 16u               /* ring entry, spec 6.4 */
#define OPTILE_RING_LOG2_MAX 16u

/* intr_state bits the host owns (everything but mbox_cmd, the firmware's). */
#define OPTILE_INTR_HOST_MASK                                                                      \
    (OPTILE_CSR_INTR_STATE_DMA_CPL_MASK | OPTILE_CSR_INTR_STATE_LINK_UP_MASK |                       \
     OPTILE_CSR_INTR_STATE_LINK_DOWN_MASK | OPTILE_CSR_INTR_STATE_MBOX_RSP_MASK |                    \
     OPTILE_CSR_INTR_STATE_RX_ERROR_MASK)

/* ---- types ------------------------------------------------------------------------------ */

/* One descriptor ring in host memory (spec 6.3). */
struct optile_ring {
    struct optile_dma_buf mem;
    uint32_t log2;  /* 2^log2 entries */
    uint32_t size;
    uint32_t prod;  /* TX/RX: host's producer index (tail); CQ: unused */
    uint32_t cons;  /* TX/RX: last known NI index (head); CQ: host's consumer index */
    uint8_t phase;  /* CQ: phase of valid entries at `cons` */
};

/* A device. Zero it, then optile_open. Fields are read-only for users. */
struct optile_dev {
    struct optile_hal hal;
    uint32_t version;       /* version register */
    uint32_t tile_cfg;      /* tile_cfg register */
    unsigned lanes;         /* PHY lanes */
    unsigned vcs;           /* virtual channels (0: not reported) */
    uint32_t mbox_timeout;  /* cycles; settable */
    uint32_t poll_cycles;   /* cycles between mailbox polls; settable */
    uint8_t seq;            /* last mailbox seq used */
    uint8_t fw_state;       /* firmware state last seen */
    uint8_t fw_status;      /* status of the last response */
    uint8_t is_open;
    uint8_t dma_ready;
    uint32_t max_msg;       /* bytes per TX descriptor */
    struct optile_ring tx, rx, cq;
    char err[160];          /* last error, in words */
};

/* A mailbox response. */
struct optile_mbox_rsp {
    uint8_t status, seq, state;
    uint32_t res0, res1;
};

/* STATUS decoded (spec 10.5). */
struct optile_fw_info {
    uint8_t state, last_error, locked_lanes, failed_lanes, train_state, lane_mask, faults;
    uint16_t retrains;
};

/* Where a message goes (spec 6.4 TX descriptor). */
struct optile_dst {
    uint8_t chip, x, y; /* 0..15 each */
    uint8_t vc;         /* < the tile's VCs (at most 3) */
    uint8_t flow;
};

/* A free receive buffer. */
struct optile_rx_buf {
    uint64_t bus;
    uint32_t len;
};

/* A completion entry, decoded (spec 6.4). */
enum { OPTILE_CPL_TX = 1, OPTILE_CPL_RX = 2 };
enum { OPTILE_CPL_OK = 0, OPTILE_CPL_TRUNC = 1, OPTILE_CPL_ERR = 2, OPTILE_CPL_NOCTX = 3,
       OPTILE_CPL_BADLEN = 4 };
struct optile_cpl {
    uint64_t addr;   /* TX: the descriptor's address; RX: the buffer's */
    uint32_t len;
    uint8_t kind;    /* OPTILE_CPL_TX or OPTILE_CPL_RX */
    uint8_t status;  /* OPTILE_CPL_* */
    uint8_t flow;
    uint8_t x, y, chip; /* TX: destination; RX: source */
    uint8_t vc;      /* RX only */
};

/* Ring set-up. */
struct optile_dma_cfg {
    uint8_t tx_log2, rx_log2, cq_log2; /* 1..16 */
    uint32_t max_msg;                  /* bytes per TX descriptor; 0: OPTILE_MAX_MSG_DEFAULT */
    uint16_t coal_count, coal_timer;   /* dma_irq_coal; 0: every completion interrupts */
};

/* Counters read from the CSRs. */
struct optile_lane_counters {
    uint64_t bits_sent, heater_integral;
    uint32_t laser_cycles, heater, rx_power, status;
};
struct optile_port_counters {
    uint32_t flits_in, flits_out, stalls, occupancy;
};
struct optile_counters {
    uint32_t tx_msgs, rx_msgs, err_rx, err_rx_noctx, err_desc, err_doorbell, err_csr, err_ovf,
        err_credit;
    uint32_t phy_status, phy_replays, phy_bad_packets, phy_link_downs;
    uint32_t rtr_buf_writes, rtr_buf_reads, rtr_xbar, rtr_allocs;
    struct optile_lane_counters lane[OPTILE_CSR_LANE_COUNT];
    struct optile_port_counters port[OPTILE_CSR_PORT_COUNT];
};

/* ---- device ------------------------------------------------------------------------------ */

/* Takes the back end (copied), identifies and resets the tile, and starts
 * the mailbox sequence after the current mbox_rsp.seq. */
int optile_open(struct optile_dev *dev, const struct optile_hal *hal);

/* Disables and frees the rings; the device may be opened again. NULL-safe. */
void optile_close(struct optile_dev *dev);

/* Checks id ("OPTL") and version (same major, at least the header's minor);
 * -ENODEV otherwise. Reads tile_cfg (lanes, VCs). */
int optile_identify(struct optile_dev *dev);

/* Reset of spec 10.10: rings off and forgotten, interrupts masked and the
 * host's intr_state bits cleared, soft_rst pulse, then tile_en. */
int optile_reset(struct optile_dev *dev);

/* The last error, in words ("" if none). */
const char *optile_last_error(const struct optile_dev *dev);

/* Lets `cycles` pass (HAL wait). */
int optile_wait(struct optile_dev *dev, uint32_t cycles);

/* ---- firmware ------------------------------------------------------------------------------ */

/* Maps a firmware status (spec 10.3) to 0 or a negative errno. */
int optile_fw_errno(uint8_t status);

/* Name of a firmware state ("READY", ..., "unknown"). */
const char *optile_fw_state_name(uint8_t state);

/* One mailbox exchange (spec 10.1). *rsp (may be NULL) is filled whenever
 * the firmware answered, also with an error status. Returns 0,
 * -ETIMEDOUT, or the mapped firmware error. */
int optile_mbox_call(struct optile_dev *dev, uint8_t code, uint32_t arg0, uint32_t arg1,
                     struct optile_mbox_rsp *rsp);

/* Waits up to `timeout_cycles` for the firmware to leave BOOT; -ENODEV if
 * it reports FAILED_TILE, -ETIMEDOUT. */
int optile_fw_wait_ready(struct optile_dev *dev, uint32_t timeout_cycles);

/* PING; *version (may be NULL) gets the firmware version. -EPROTO if the
 * echo is wrong. */
int optile_fw_ping(struct optile_dev *dev, uint32_t *version);

/* STATUS, decoded. */
int optile_fw_status(struct optile_dev *dev, struct optile_fw_info *info);

/* COUNTERS(index) into *v0, *v1 (either may be NULL). */
int optile_fw_counter(struct optile_dev *dev, uint32_t index, uint32_t *v0, uint32_t *v1);

/* SET_PARAM (only while the link is down). */
int optile_fw_set_param(struct optile_dev *dev, uint32_t id, uint32_t value);

/* The firmware state now (mbox_rsp.state, no command): >= 0. */
int optile_fw_state(struct optile_dev *dev);

/* Sets ctrl.link_en, sends LINK_UP(lane_mask; 0 = all lanes) and waits up
 * to `timeout_cycles` (0: OPTILE_LINK_TIMEOUT_CYCLES) for LINK_UP or
 * TRACKING. A FAILED state returns its error (-ERANGE, -ENOLINK, -ETIME,
 * -ECONNRESET, -ENODEV as spec 10.3), no progress -ETIMEDOUT. */
int optile_link_up(struct optile_dev *dev, uint32_t lane_mask, uint32_t timeout_cycles);

/* The two halves of optile_link_up, for bringing up both ends of a link
 * from one thread: optile_link_start sets ctrl.link_en and sends LINK_UP
 * (returns once the firmware answered); optile_link_wait polls as
 * optile_link_up does. */
int optile_link_start(struct optile_dev *dev, uint32_t lane_mask);
int optile_link_wait(struct optile_dev *dev, uint32_t timeout_cycles);

/* The link as the firmware reports it now (one mbox_rsp read): 1 up
 * (LINK_UP or TRACKING), 0 not yet (booting, bringing up, retraining), or
 * a FAILED state's error (-ERANGE, -ENOLINK, -ETIME, -ECONNRESET, -ENODEV;
 * STATUS is read for last_error, spec 10.3). */
int optile_link_status(struct optile_dev *dev);

/* LINK_DOWN, then clears ctrl.link_en. */
int optile_link_down(struct optile_dev *dev);

/* ---- route table, interrupts, counters ------------------------------------------------- */

/* route[chip] := valid, port (0 N, 1 E, 2 S, 3 W, 4 L, 5 X). */
int optile_route_set(struct optile_dev *dev, unsigned chip, unsigned port);

/* route[chip] := not valid. */
int optile_route_clear(struct optile_dev *dev, unsigned chip);

/* intr_enable := mask (OPTILE_CSR_INTR_ENABLE_* bits). */
int optile_irq_enable(struct optile_dev *dev, uint32_t mask);

/* Reads intr_state, clears (W1C) the host-owned bits that are set and
 * returns them in *events (never touches mbox_cmd). Call optile_reap after
 * a DMA_CPL event. */
int optile_irq_handle(struct optile_dev *dev, uint32_t *events);

/* Waits up to max_cycles for the interrupt line (HAL wait_irq, or polling
 * intr_state & intr_enable). Returns 1 raised, 0 timeout, or an error. */
int optile_irq_wait(struct optile_dev *dev, uint32_t max_cycles);

/* Snapshot of the NI, PHY, lane and router counters. */
int optile_read_counters(struct optile_dev *dev, struct optile_counters *c);

/* ---- DMA rings (spec 6) ----------------------------------------------------------------- */

/* Allocates and programs the three rings and enables them. -EBUSY if they
 * are set up already. */
int optile_dma_setup(struct optile_dev *dev, const struct optile_dma_cfg *cfg);

/* Disables the rings and frees their memory. NULL-safe. */
void optile_dma_teardown(struct optile_dev *dev);

/* Allocates / frees a DMA buffer through the HAL (for message data). */
int optile_dma_alloc(struct optile_dev *dev, size_t len, struct optile_dma_buf *buf);
void optile_dma_free(struct optile_dev *dev, struct optile_dma_buf *buf);

/* Sends `len` bytes at bus address `bus` to `dst`: one message per chunk of
 * at most max_msg bytes, one TX descriptor each, one doorbell. All or
 * nothing. Returns the number of descriptors posted, -EAGAIN (not enough
 * free slots now), -ENOSPC (more chunks than the ring holds), -EINVAL. */
int optile_send(struct optile_dev *dev, uint64_t bus, uint64_t len, const struct optile_dst *dst);

/* Posts `n` free receive buffers, one doorbell. All or nothing; errors as
 * optile_send. */
int optile_post_rx(struct optile_dev *dev, const struct optile_rx_buf *bufs, unsigned n);

/* Reaps up to `max` completions (phase bit), then writes dma_cq_cons once.
 * Returns how many were reaped. */
int optile_reap(struct optile_dev *dev, struct optile_cpl *out, unsigned max);

/* Free TX / RX descriptor slots, re-reading the NI's index. */
int optile_tx_space(struct optile_dev *dev);
int optile_rx_space(struct optile_dev *dev);

#ifdef __cplusplus
}
#endif

#endif
