/*
 * fw.h - the management firmware's state and entry points
 * (docs/spec.md section 10): link bring-up, ring tracking, fault handling
 * (fw_link.c) and the host mailbox (fw_mbox.c). Plain C11 on top of mmio.h,
 * so that it runs on the RV32IM target and natively in the unit tests.
 */
#ifndef OPTILE_FW_H
#define OPTILE_FW_H

#include <stdint.h>

#include "fw_proto.h"
#include "fw_tune.h"

/* Fixed link rules of spec 10.6. */
#define FW_GOOD_ROUNDS 16u
#define FW_LOST_ROUNDS 8u

/* Link parameters (SET_PARAM), defaults of spec 10.6. */
struct fw_link_cfg {
    uint32_t phy_timeout;  /* cycles from enable to RING_TUNE */
    uint32_t link_timeout; /* cycles from rings_locked (or a soft fault) to ACTIVE */
    uint8_t max_faults;    /* consecutive faults before FAILED_PHY */
};

/* Internal link phases (the reported state is derived, spec 10.4). */
enum fw_phase {
    FW_PH_IDLE = 0,    /* READY or FAILED_*: nothing runs */
    FW_PH_WAIT_TUNE,   /* PHY enabled, waiting for RING_TUNE */
    FW_PH_TUNE,        /* tuner sweeping / climbing */
    FW_PH_WAIT_ACTIVE, /* rings_locked set, waiting for ACTIVE */
    FW_PH_UP,          /* ACTIVE, tracking */
    FW_PH_SOFT,        /* soft retrain: tracking, waiting for ACTIVE */
};

/* The whole firmware. */
struct fw {
    struct fw_tune tune;
    struct fw_link_cfg lcfg;
    uint32_t deadline;       /* of the current phase */
    uint32_t link_downs;     /* phy_link_downs when the link came up */
    uint32_t retrains;       /* faults handled */
    uint32_t cmds;           /* mailbox commands handled */
    uint32_t cmd_errors;     /* ... answered with a status other than OK */
    uint16_t good;           /* consecutive rounds with every lane in target */
    uint8_t lost[FW_LANES];  /* consecutive ACTIVE rounds below a quarter of peak */
    uint8_t state;           /* enum fw_state, as reported */
    uint8_t phase;           /* enum fw_phase */
    uint8_t retraining;      /* recovering from a fault */
    uint8_t last_error;      /* enum fw_status, 0 = none */
    uint8_t lane_mask;       /* lanes in use */
    uint8_t all_lanes;       /* lanes the tile has */
    uint8_t failed_lanes;    /* lanes that caused the last failure */
    uint8_t fine_plan;       /* lanes that restart in FINE at the next RING_TUNE */
    uint8_t faults;          /* consecutive faults */
    uint8_t asleep;          /* the PHY went IDLE (the wake-up path is no fault) */
    uint8_t pulsed;          /* soft retrain: phy_ctrl.retrain was pulsed */
    uint8_t left_active;     /* soft retrain: the PHY has been seen out of ACTIVE */
    uint8_t last_seq;        /* seq of the last response */
    uint8_t last_status;     /* status of the last response */
    uint8_t in_cmd;          /* executing a command (the response carries the state) */
};

/* Fills *cfg with the defaults of spec 10.6. */
void fw_link_cfg_default(struct fw_link_cfg *cfg);

/* Boot: checks the tile identity, reads the lane count, resets all state to
 * the defaults and reports READY (or FAILED_TILE) in mbox_rsp. */
void fw_init(struct fw *fw);

/* One pass of the main loop: the mailbox, the tuner, the link state
 * machine. Never blocks. */
void fw_poll(struct fw *fw);

/* Handles a pending mailbox command, if any (spec 10.1). */
void fw_mbox_poll(struct fw *fw);

/* Executes one command; returns its status (enum fw_status) and fills the
 * results. Used by fw_mbox_poll. */
uint8_t fw_mbox_execute(struct fw *fw, uint8_t code, uint32_t arg0, uint32_t arg1,
                        uint32_t *res0, uint32_t *res1);

/* Link actions behind the commands. Each returns a status (enum fw_status). */
uint8_t fw_link_up(struct fw *fw, uint32_t lane_mask);
uint8_t fw_link_down(struct fw *fw);
uint8_t fw_link_retrain(struct fw *fw);

/* Advances the link state machine; `round_done` says the tuner completed a
 * round during this poll. */
void fw_link_step(struct fw *fw, int round_done);

/* Sets the reported state; outside a command, a change is published at once
 * by rewriting mbox_rsp with the last seq and status (spec 10.1). */
void fw_set_state(struct fw *fw, uint8_t state);

/* The PHY's training state (phy_status.train_state). */
uint8_t fw_phy_train_state(void);

#endif
