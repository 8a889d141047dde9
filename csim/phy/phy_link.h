/*
 * phy_link.h - cycle-level, bit-exact golden model of one end of an optile
 * optical link: the PHY shim of docs/spec.md section 4 (module optile_phy).
 *
 * The model has exactly the ports of spec 4.2. It is driven one clock cycle
 * at a time:
 *
 *     phy_link_outputs(h, &out);   outputs of the current cycle
 *     ... decide the inputs of this cycle (may depend on out) ...
 *     phy_link_step(h, &in);       clock edge: the next cycle begins
 *
 * Fed the same inputs in the same cycles as the RTL, it predicts every
 * lane_tx_o word, lane_laser_on_o bit and rx_* output of every cycle.
 * The step path performs no allocation.
 *
 * Flits are arrays of FlitW/64 uint64_t words, word j = flit bits 64j+63..64j.
 * A handle is not thread-safe; distinct handles are independent.
 */
#ifndef OPTILE_PHY_LINK_H
#define OPTILE_PHY_LINK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PHY_MAX_LANES 8
#define PHY_MAX_FLIT_WORDS 8 /* FlitW up to 512 */
#define PHY_MAX_PKT_FLITS 8  /* MaxFlits */
#define PHY_DESKEW_DEPTH 16  /* DeskewDepth */
#define PHY_LOCK_WAIT 1024u  /* LockWait */

/** Training states and their state_o encoding (spec 4.9). */
typedef enum {
    PHY_ST_RESET = 0,
    PHY_ST_LASER_ON = 1,
    PHY_ST_RING_TUNE = 2,
    PHY_ST_BLOCK_LOCK = 3,
    PHY_ST_DESKEW = 4,
    PHY_ST_ACTIVE = 5,
    PHY_ST_IDLE = 6,
    PHY_ST_DOWN = 7
} phy_state_t;

/** Name of a state ("ACTIVE", ...). */
const char *phy_state_name(unsigned st);

/** Synthesis-time parameters (spec 4.1). */
typedef struct {
    unsigned lanes;         /* L, 1..8 */
    unsigned lane_w;        /* W, 8..64 */
    unsigned flit_w;        /* FlitW, 64..512, multiple of 64 */
    unsigned side_w;        /* SideW, 1..4 */
    unsigned tx_fifo_depth; /* TxFifoDepth, 8..1024 */
    unsigned replay_pkts;   /* ReplayPkts, 2..64, power of two */
    unsigned rx_credits;    /* RxCredits, 1..64 */
    /* TEST ONLY, not part of spec 4: 0 (the default) = the spec scrambler;
     * 1..57 replaces its x^39 tap (sc[38]) by sc[test_scr_tap-1], giving a
     * deliberately broken transmitter for the checkers' negative tests. */
    unsigned test_scr_tap;
} phy_link_cfg_t;

/** Fill `c` with the defaults of spec 4.1 (8 lanes x 32 bits, 256-bit flits). */
void phy_link_cfg_default(phy_link_cfg_t *c);

/**
 * Check a configuration. Returns 0 if valid, else -1 with a message naming
 * the offending field written to err (if err is not NULL).
 */
int phy_link_cfg_check(const phy_link_cfg_t *c, char *err, size_t errlen);

/** CSR-side inputs (spec 4.2); they hold their value until changed. */
typedef struct {
    unsigned enable;         /* enable_i */
    unsigned rings_locked;   /* rings_locked_i */
    unsigned lane_mask;      /* lane_mask_i, bit per lane */
    unsigned am_period;      /* am_period_i, M, 32..65535 */
    uint32_t idle_timeout;   /* idle_timeout_i, 0 = never */
    unsigned laser_settle;   /* laser_settle_i, 0..65535 */
    unsigned replay_timeout; /* replay_timeout_i, 0..65535, 0 = no timer */
    unsigned replay_limit;   /* replay_limit_i, 0..255 */
    uint32_t train_timeout;  /* train_timeout_i, 0 = never */
    uint16_t heater_code[PHY_MAX_LANES]; /* heater_code_i, 12 bits each */
} phy_link_csr_t;

/** Fill `c` with the reset values of spec 4.2 (enable 0, all lanes, M 4096...). */
void phy_link_csr_default(phy_link_csr_t *c);

/** Inputs of one cycle. */
typedef struct {
    int tx_valid;            /* tx_valid_i */
    const uint64_t *tx_flit; /* tx_flit_i, FlitW/64 words; may be NULL if !tx_valid */
    unsigned tx_side;        /* tx_side_i */
    int rx_ready;            /* rx_ready_i */
    uint64_t lane_rx[PHY_MAX_LANES];       /* lane_rx_i, low W bits used */
    uint16_t lane_rx_power[PHY_MAX_LANES]; /* lane_rx_power_i, 12 bits */
} phy_link_in_t;

/** Outputs of the current cycle (values before the clock edge). */
typedef struct {
    int tx_ready;                          /* tx_ready_o */
    int rx_valid;                          /* rx_valid_o */
    uint64_t rx_flit[PHY_MAX_FLIT_WORDS];  /* rx_flit_o (0 when !rx_valid) */
    unsigned rx_side;                      /* rx_side_o */
    uint64_t lane_tx[PHY_MAX_LANES];       /* lane_tx_o */
    unsigned laser_on;                     /* lane_laser_on_o, bit per lane */
    uint16_t lane_heater[PHY_MAX_LANES];   /* lane_heater_o */
    uint16_t lane_power[PHY_MAX_LANES];    /* lane_power_o */
    unsigned state;                        /* state_o */
    int link_up;                           /* link_up_o */
    unsigned lane_lock, lane_deskew, active_mask, train_phase;
} phy_link_out_t;

/** Activity and event counters of spec 4.12 (never cleared except by reset). */
typedef struct {
    uint64_t bits_sent[PHY_MAX_LANES];
    uint64_t laser_cycles[PHY_MAX_LANES];
    uint64_t heater_integral[PHY_MAX_LANES];
    uint32_t sh_errors[PHY_MAX_LANES];
    uint32_t lock_losses[PHY_MAX_LANES];
    uint32_t tx_flits, rx_flits, tx_packets, rx_packets, bad_packets;
    uint32_t replays, replayed_packets, naks_sent, acks_sent;
    uint32_t retrains, link_downs, idle_entries, rx_errors;
} phy_link_counters_t;

/** Internal sequence state, for scoreboards and tests (not ports). */
typedef struct {
    unsigned tx_u, tx_n, tx_r, tx_peer_freed; /* U, N, R, F of spec 4.5.6 */
    unsigned rx_e, rx_freed;                  /* E and own freed count */
    unsigned replay_req, replay_count;
    unsigned tx_fifo_count, rx_fifo_count;
    unsigned committed, sleep_req, sleep_ack;
    uint64_t cycle;  /* cycles stepped since reset */
    uint64_t rows;   /* rows composed since LASER_ON entry */
} phy_link_debug_t;

typedef struct phy_link phy_link_t;

/**
 * Create one link end in reset, with default CSRs. Returns NULL with a
 * message in err on a bad configuration or out of memory.
 */
phy_link_t *phy_link_new(const phy_link_cfg_t *cfg, char *err, size_t errlen);

/** Free a handle (NULL is ignored). */
void phy_link_free(phy_link_t *h);

/** Assert rst_ni: everything including counters to reset values, CSRs kept. */
void phy_link_reset(phy_link_t *h);

/**
 * Set the CSR inputs (take effect from the next phy_link_step). Returns 0,
 * or -1 with a message naming the bad field (then nothing changes).
 */
int phy_link_set_csr(phy_link_t *h, const phy_link_csr_t *csr, char *err, size_t errlen);

/**
 * Pulse retrain_i for one cycle: the next phy_link_step sees retrain_i = 1
 * (a retrain trigger if the state is ACTIVE), later steps see 0.
 */
void phy_link_pulse_retrain(phy_link_t *h);

/** Current CSR inputs. */
void phy_link_get_csr(const phy_link_t *h, phy_link_csr_t *csr);

/** Outputs of the current cycle. */
void phy_link_outputs(const phy_link_t *h, phy_link_out_t *out);

/** Apply the inputs of the current cycle and advance one clock (in == NULL:
 * every input 0). */
void phy_link_step(phy_link_t *h, const phy_link_in_t *in);

/** Counters (pointer valid for the handle's life). */
const phy_link_counters_t *phy_link_counters(const phy_link_t *h);

/** Internal sequence state snapshot. */
void phy_link_debug(const phy_link_t *h, phy_link_debug_t *d);

/** The configuration the handle was made with. */
const phy_link_cfg_t *phy_link_cfg(const phy_link_t *h);

/**
 * Optional observer of blocks: called for every block composed on a lit lane
 * (dir 0: unscrambled payload, before the scrambler) and every block popped
 * from the deskew stage (dir 1: descrambled). For monitors and tests; NULL
 * removes it.
 */
typedef void (*phy_block_obs_fn)(void *ctx, int dir, uint64_t cycle, unsigned lane, uint8_t sh, uint64_t p);
void phy_link_set_block_observer(phy_link_t *h, phy_block_obs_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* OPTILE_PHY_LINK_H */
