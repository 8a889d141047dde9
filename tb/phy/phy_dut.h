/* C interface to one Verilated optile_phy (default parameters: 8 lanes of
 * 32 bits, 256-bit flits, 4-bit sideband), for tests and the co-simulation.
 * The C++ glue behind it holds the model as an opaque handle.
 *
 * A cycle is: fill phy_dut_in(), phy_dut_eval(), read phy_dut_out(),
 * phy_dut_clock(). Every output of optile_phy is a register or a function
 * of registers only, so the outputs read after phy_dut_clock() (or
 * phy_dut_eval()) are those of the cycle about to run. */
#ifndef OPTILE_TB_PHY_DUT_H
#define OPTILE_TB_PHY_DUT_H

#include <stdint.h>

#include "phy/phy_link.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  PHY_DUT_LANES = 8,       /* NumLanes */
  PHY_DUT_LANE_W = 32,     /* LaneW */
  PHY_DUT_FLIT_WORDS = 8,  /* FlitW / 32 */
  PHY_DUT_SIDE_W = 4,      /* SideW */
};

/* Training states (state_o, docs/spec.md 4.9): PHY_ST_* of the golden model's
 * header, the same encoding. */

/* Every input port. phy_dut_new() sets the reset/default values of 4.2. */
struct phy_dut_in {
  /* router side */
  int tx_valid;
  uint32_t tx_flit[PHY_DUT_FLIT_WORDS]; /* word j = tx_flit_i[32j +: 32] */
  uint32_t tx_side;
  int rx_ready;
  /* lane side */
  uint32_t lane_rx[PHY_DUT_LANES];
  uint16_t lane_rx_power[PHY_DUT_LANES];
  /* CSR side */
  int enable;
  int rings_locked;
  int retrain;             /* retrain_i; cleared by phy_dut_clock (a one-cycle pulse) */
  uint32_t lane_mask;
  uint32_t am_period;      /* 16 bits */
  uint32_t idle_timeout;
  uint32_t laser_settle;   /* 16 bits */
  uint32_t replay_timeout; /* 16 bits */
  uint32_t replay_limit;   /* 8 bits */
  uint32_t train_timeout;
  uint16_t heater_code[PHY_DUT_LANES];
};

/* Outputs needed every cycle (refreshed by phy_dut_eval / phy_dut_clock). */
struct phy_dut_out {
  int tx_ready;
  int rx_valid;
  uint32_t rx_flit[PHY_DUT_FLIT_WORDS];
  uint32_t rx_side;
  uint32_t lane_tx[PHY_DUT_LANES];
  uint32_t lane_laser_on; /* bit i = lane i */
  uint16_t lane_heater[PHY_DUT_LANES]; /* lane_heater_o */
  uint16_t lane_power[PHY_DUT_LANES];  /* lane_power_o (what firmware reads) */
  unsigned state;         /* PHY_ST_* */
  int link_up;
  uint32_t lane_lock;
  uint32_t lane_deskew;
  uint32_t active_mask;
  unsigned train_phase;
};

/* CSR-side values and counters of 4.12 (read on demand). */
struct phy_dut_counters {
  uint16_t lane_heater[PHY_DUT_LANES];
  uint16_t lane_power[PHY_DUT_LANES];
  uint64_t bits_sent[PHY_DUT_LANES];
  uint64_t laser_cycles[PHY_DUT_LANES];
  uint64_t heater_integral[PHY_DUT_LANES];
  uint32_t sh_errors[PHY_DUT_LANES];
  uint32_t lock_losses[PHY_DUT_LANES];
  uint32_t tx_flits, rx_flits, tx_packets, rx_packets, bad_packets;
  uint32_t replays, replayed_packets, naks_sent, acks_sent;
  uint32_t retrains, link_downs, idle_entries, rx_errors;
};

typedef struct phy_dut phy_dut;

phy_dut *phy_dut_new(void);
/** TEST ONLY: a PHY Verilated with -GTestDropReplay=1 (every go-back-N replay
 * skips a packet; tb/phy/phy_dut_drop.cpp, model Vphydrop). */
phy_dut *phy_dut_new_drop_replay(void);
void phy_dut_free(phy_dut *d);
/** Hold rst_ni low for `cycles` clock cycles, then release it. */
void phy_dut_reset(phy_dut *d, unsigned cycles);
/** The input ports; changes take effect at the next phy_dut_eval(). */
struct phy_dut_in *phy_dut_in(phy_dut *d);
/** Copy the inputs into the design and evaluate it (no clock edge). */
void phy_dut_eval(phy_dut *d);
/** One rising clock edge (ends the current cycle); refreshes the outputs. */
void phy_dut_clock(phy_dut *d);
const struct phy_dut_out *phy_dut_out(const phy_dut *d);
void phy_dut_counters(const phy_dut *d, struct phy_dut_counters *c);
uint64_t phy_dut_cycles(const phy_dut *d);
/** Start dumping FST waves to `path` from now on (0 on success). */
int phy_dut_trace_open(phy_dut *d, const char *path);
void phy_dut_trace_close(phy_dut *d);

#ifdef __cplusplus
}
#endif
#endif
