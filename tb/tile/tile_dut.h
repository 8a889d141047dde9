/* C interface to one Verilated network tile (rtl/tile/optile_tile.sv with
 * default parameters: 256-bit flits, 2 VCs, 4-flit buffers, 8 lanes of 32
 * bits, host-memory latency 100), docs/spec.md section 2.4. The C++ glue
 * (tile_dut.cpp) holds the model as an opaque handle.
 *
 * One cycle t, in this order:
 *   1. set the early inputs: the APB pins of both ports (apb_bfm_drive on
 *      tile_dut_apb()) and the mesh inputs in tile_dut_in();
 *   2. tile_dut_eval(): copies every input into the model and evaluates it;
 *      tile_dut_out() and the APB completer pins then hold cycle t's outputs;
 *   3. set the late inputs in tile_dut_in() (lane_rx, lane_rx_power,
 *      mem_rdata): they are sampled at the edge ending cycle t and reach no
 *      output combinationally (the PHY and NI register them);
 *   4. tile_dut_clock(): copies the inputs again (APB pins included, so a
 *      transfer started after step 2 has its setup phase in cycle t) and
 *      applies the rising edge ending cycle t.
 * Every lane output is a register, so lane_tx_o and laser_on of cycle t are
 * known after step 2 without depending on step 3.
 */
#ifndef OPTILE_TB_TILE_DUT_H
#define OPTILE_TB_TILE_DUT_H

#include <stdint.h>

#include "bfm/apb_bfm.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  TILE_FLIT_BYTES = 32, /* FlitW / 8 */
  TILE_FLIT_WORDS = 8,  /* FlitW / 32 */
  TILE_NUM_VC = 2,
  TILE_BUF_DEPTH = 4,
  TILE_PORTS = 6,       /* router ports N, E, S, W, L, X */
  TILE_MESH_PORTS = 4,  /* N, E, S, W: the tile's pins */
  TILE_LANES = 8,
  TILE_LANE_W = 32,
  TILE_MEMLAT = 100,    /* host-memory latency of the NI, cycles */
};

enum tile_port { TILE_PORT_N = 0, TILE_PORT_E, TILE_PORT_S, TILE_PORT_W, TILE_PORT_L, TILE_PORT_X };
enum tile_apb_port { TILE_APB_HOST = 0, TILE_APB_MGMT = 1 };

/* Wave formats of tile_dut_trace_open. */
enum tile_wave_fmt { TILE_WAVES_FST = 1, TILE_WAVES_VCD = 2 };

/* One direction of one router link in one cycle: a flit and the credit that
 * flows back against it. For a router input p (rin[p]) the flit enters the
 * router and the credit is the router's; for an output p (rout[p]) the flit
 * leaves the router and the credit comes from the downstream receiver. */
struct tile_link {
  uint8_t valid, head, tail, vc;
  uint8_t credit_valid, credit_vc;
  uint32_t flit[TILE_FLIT_WORDS]; /* word j = flit bits 32j+31..32j (0 when !valid) */
};

/* Inputs of the tile (besides the APB pins). */
struct tile_dut_in {
  struct tile_link mesh_in[TILE_MESH_PORTS];   /* flit into the router; credit field unused */
  struct {
    uint8_t valid, vc;
  } mesh_out_credit[TILE_MESH_PORTS];           /* credits for the router's mesh outputs */
  /* late inputs (sampled at the edge) */
  uint32_t lane_rx[TILE_LANES];
  uint16_t lane_rx_power[TILE_LANES];           /* 12-bit monitor codes */
  uint8_t mem_rdata_valid;
  uint8_t mem_rdata[TILE_FLIT_BYTES];
};

/* Outputs of the tile in the current cycle (after tile_dut_eval). */
struct tile_dut_out {
  struct tile_link mesh_out[TILE_MESH_PORTS];  /* flit out of the router; credit field unused */
  struct {
    uint8_t valid, vc;
  } mesh_in_credit[TILE_MESH_PORTS];           /* router's credits for its mesh inputs */
  /* host memory requests (spec 6.2) */
  uint8_t mem_rd_valid;
  uint32_t mem_rd_len;
  uint64_t mem_rd_addr;
  uint8_t mem_wr_valid;
  uint32_t mem_wr_len;
  uint64_t mem_wr_addr;
  uint32_t mem_wr_be;
  uint8_t mem_wr_data[TILE_FLIT_BYTES];
  /* lanes */
  uint32_t lane_tx[TILE_LANES];
  uint32_t lane_laser_on; /* bit i = lane i */
  uint16_t lane_heater[TILE_LANES];
  uint8_t intr;
};

/* Internal signals of the current cycle, for monitors (tile_dut_observe). */
struct tile_obs {
  uint64_t cycle;                    /* cycles clocked since creation */
  uint8_t dp_rst_n;                  /* datapath out of reset (spec 2.4) */
  struct tile_link rin[TILE_PORTS];  /* router inputs, by enum tile_port */
  struct tile_link rout[TILE_PORTS]; /* router outputs */
  /* PHY flit interface (X adapter <-> PHY, valid/ready) */
  uint8_t phy_tx_valid, phy_tx_ready, phy_tx_side;
  uint8_t phy_rx_valid, phy_rx_ready, phy_rx_side;
  uint32_t phy_tx_flit[TILE_FLIT_WORDS], phy_rx_flit[TILE_FLIT_WORDS];
  /* PHY state (spec 4.9) and lanes */
  uint8_t phy_state, link_up, lane_lock, lane_deskew, active_mask, train_phase;
  uint32_t lane_tx[TILE_LANES], lane_rx[TILE_LANES];
  uint8_t lane_laser_on;
  uint16_t lane_heater[TILE_LANES], lane_rx_power[TILE_LANES], lane_power[TILE_LANES];
  /* The PHY's CSR-side inputs of this cycle (spec 4.2, wired by spec 2.4):
   * what u_phy samples, for the golden link end's shadow. */
  uint8_t phy_enable, phy_rings_locked, phy_retrain, phy_lane_mask, phy_replay_limit;
  uint16_t phy_am_period, phy_laser_settle, phy_replay_timeout;
  uint32_t phy_idle_timeout, phy_train_timeout;
  uint16_t phy_heater_code[TILE_LANES];
  /* ctrl.tile_en and ctrl.soft_rst register values of this cycle (spec 2.4) */
  uint8_t reg_tile_en, reg_soft_rst;
};

/* The NI's (u_ni's) register-side inputs of the current cycle as spec 2.4
 * wires them: each field's value and its write strobe (the register
 * block's qe delayed by one cycle), plus its hardware indices, interrupt
 * set pulse and the spec 6.8 counters (tile_dut_ni_observe), for the
 * cross-check's NI shadow (tb/xcheck/xc_ni.h). */
enum tile_ni_field {
  TILE_NI_TX_EN = 0, TILE_NI_RX_EN, TILE_NI_CQ_EN, TILE_NI_COAL_COUNT, TILE_NI_COAL_TIMER,
  TILE_NI_TX_BASE_LO, TILE_NI_TX_BASE_HI, TILE_NI_TX_SIZE, TILE_NI_TX_PROD,
  TILE_NI_RX_BASE_LO, TILE_NI_RX_BASE_HI, TILE_NI_RX_SIZE, TILE_NI_RX_PROD,
  TILE_NI_CQ_BASE_LO, TILE_NI_CQ_BASE_HI, TILE_NI_CQ_SIZE, TILE_NI_CQ_CONS,
  TILE_NI_FIELDS
};
enum { TILE_NI_COUNTERS = 19 };
struct tile_ni_obs {
  uint32_t val[TILE_NI_FIELDS];      /* field value (the register's q) */
  uint32_t qe;                       /* bit f: the strobe of field f is 1 */
  uint16_t tx_head, rx_head, cq_tail; /* dma_{tx,rx,cq}_hw_index_o */
  uint8_t intr_set;                  /* intr_dma_cpl_set_o */
  uint32_t cnt[TILE_NI_COUNTERS];    /* spec 6.8 order (tx_msgs .. err_csr) */
};

/* Block counters (spec 4.12, 5.8, 6.8, 5.9), including those without a
 * register. Read on demand (tile_dut_counters). */
struct tile_counters {
  /* router, per port (enum tile_port) */
  uint32_t rtr_flits_in[TILE_PORTS], rtr_flits_out[TILE_PORTS], rtr_stall[TILE_PORTS],
      rtr_occ[TILE_PORTS], rtr_buf_wr[TILE_PORTS], rtr_buf_rd[TILE_PORTS],
      rtr_xbar[TILE_PORTS], rtr_va[TILE_PORTS], rtr_sa[TILE_PORTS];
  uint32_t rtr_err_route, rtr_err_proto, rtr_err_ovf, rtr_err_credit;
  /* NI */
  uint32_t ni_tx_msgs, ni_tx_pkts, ni_tx_flits, ni_rx_msgs, ni_rx_pkts, ni_rx_flits;
  uint32_t ni_rd_reqs, ni_wr_reqs, ni_rd_bytes, ni_wr_bytes, ni_rx_nobuf, ni_cq_full;
  uint32_t ni_err_rx, ni_err_noctx, ni_err_ovf, ni_err_credit, ni_err_desc, ni_err_doorbell,
      ni_err_csr;
  /* X adapter */
  uint32_t x_tx_flits, x_rx_flits, x_rx_stall, x_err;
  /* PHY */
  uint64_t bits_sent[TILE_LANES], laser_cycles[TILE_LANES], heater_integral[TILE_LANES];
  uint32_t sh_errors[TILE_LANES], lock_losses[TILE_LANES];
  uint32_t phy_tx_flits, phy_rx_flits, phy_tx_packets, phy_rx_packets, phy_bad_packets;
  uint32_t phy_replays, phy_replayed_packets, phy_naks, phy_acks;
  uint32_t phy_retrains, phy_link_downs, phy_idle_entries, phy_rx_errors;
};

typedef struct tile_dut tile_dut;

/** A new tile with straps chip/x/y (0..15), clock low, reset released. */
tile_dut *tile_dut_new(unsigned chip, unsigned x, unsigned y);
void tile_dut_free(tile_dut *d);
/** Hold rst_ni low for `cycles` cycles (all inputs idle), then release it. */
void tile_dut_reset(tile_dut *d, unsigned cycles);
/** APB pins of a port (TILE_APB_HOST or TILE_APB_MGMT). */
struct apb_pins *tile_dut_apb(tile_dut *d, int port);
struct tile_dut_in *tile_dut_in(tile_dut *d);
const struct tile_dut_out *tile_dut_out(const tile_dut *d);
void tile_dut_eval(tile_dut *d);
void tile_dut_clock(tile_dut *d);
uint64_t tile_dut_cycles(const tile_dut *d);
/** Fill *o with the internal signals of the current cycle (after eval). */
void tile_dut_observe(const tile_dut *d, struct tile_obs *o);
void tile_dut_counters(const tile_dut *d, struct tile_counters *c);
/** Fill *o with the NI's inputs and outputs of the current cycle (after eval). */
void tile_dut_ni_observe(const tile_dut *d, struct tile_ni_obs *o);
/** Cheap per-cycle PHY summary: training state (spec 4.9), link_up_o and
 *  the link_downs counter. */
void tile_dut_phy_status(const tile_dut *d, unsigned *state, unsigned *link_up, uint32_t *link_downs);
/** Dump waves to `path` for the cycles [from, to) (to = 0: until closed).
 *  Only FST is compiled into the model: TILE_WAVES_VCD returns -95
 *  (-EOPNOTSUPP); 0 on success, negative on error. */
int tile_dut_trace_open(tile_dut *d, const char *path, int fmt, uint64_t from, uint64_t to);
void tile_dut_trace_close(tile_dut *d);

#ifdef __cplusplus
}
#endif
#endif
