/* Two-PHY co-simulation (docs/spec.md sections 4 and 7): two Verilated
 * optile_phy ends joined through two csim/channel handles (one per
 * direction), with for each end a golden phy_link model fed the very inputs
 * of that RTL end and compared with it every cycle, router-side traffic
 * sources and sinks with backpressure, an end-to-end scoreboard per
 * direction, windowed throughput RTL against golden, and a firmware stand-in
 * that brings the link up and (optionally) tunes and tracks the microrings.
 *
 * End e transmits direction e: end e -> channel ch[e] -> end 1-e.
 * Used by tests/cosim/test_phy_cosim.c and bench/phy_bench.c. */
#ifndef OPTILE_TB_PHY_COSIM_H
#define OPTILE_TB_PHY_COSIM_H

#include <stddef.h>
#include <stdint.h>

#include "channel/channel.h"
#include "phy/phy_dut.h"
#include "phy/phy_link.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { PC_L = PHY_DUT_LANES, PC_W = PHY_DUT_LANE_W, PC_FW = PHY_DUT_FLIT_WORDS };
enum { PC_WAVES_WINDOW = 4000 }; /* cycles of waves dumped from PHY_WAVES_FROM */

/* What the firmware stand-in does with the rings. */
enum pc_fw_mode {
  PC_FW_NO_RING = 0, /* ring model off: rings_locked as soon as RING_TUNE is reached */
  PC_FW_TRACK = 1,   /* sweep every heater to resonance, then hill-climb forever */
  PC_FW_TUNE_ONCE = 2, /* sweep and climb until locked, then leave the heaters alone */
};

struct pc_cfg {
  uint64_t seed;            /* traffic randomness (the channels have their own seeds) */
  ch_cfg_t ch[2];           /* ch[d]: direction d */
  /* CSRs of both ends */
  unsigned am_period, laser_settle, replay_timeout, replay_limit;
  uint32_t train_timeout, idle_timeout;
  /* traffic: end e offers limit[e] flits (p_valid[e] % of cycles when it has
   * one) and its sink takes with probability p_ready[e] % */
  uint64_t limit[2];
  unsigned p_valid[2], p_ready[2];
  int golden;               /* 1: golden model per end, compared every cycle */
  unsigned golden_scr_tap;  /* TEST ONLY: phy_link_cfg.test_scr_tap of the golden models */
  int drop_replay_end0;     /* TEST ONLY: end 0 is the TestDropReplay=1 RTL */
  unsigned test_gold_stall; /* TEST ONLY: if n > 0, every n-th cycle the golden
                             * models' rx_ready is 0 while the RTL's is not (a
                             * throughput difference for the window checker) */
  enum pc_fw_mode fw;
  uint64_t rings_locked_at[2]; /* PC_FW_NO_RING: earliest cycle end e says rings_locked */
  unsigned window;          /* throughput window, cycles */
};

/** Defaults: both channels ch_cfg_default (seeds differ), CSRs of 4.2 with
 * replay_limit 16, no traffic, golden on, no ring, window 1024. */
void pc_cfg_default(struct pc_cfg *c);

/* End-to-end scoreboard of one direction. */
struct pc_sb {
  uint64_t expect;   /* index of the next flit that must arrive */
  uint64_t ok, corrupt, dups, lost;
  uint64_t errors;
  char msg[384];     /* the first error */
};

/* First mismatch between an RTL end and its golden model. */
struct pc_cmp {
  uint64_t mismatches;      /* cycles with at least one mismatch */
  uint64_t lane_word_mismatches;
  char msg[384];
  uint64_t first_cycle;
};

/* Firmware stand-in of one end. */
struct pc_fw {
  int phase;                /* 0 sweep, 1 climb */
  uint16_t heater[PC_L];
  int dir[PC_L];
  uint16_t prev[PC_L];
  int climbing[PC_L];
  unsigned settled;         /* climb decisions with every lane above target */
  int locked;               /* rings_locked given */
  uint64_t locked_at;
  uint64_t decisions;
};

struct pc {
  struct pc_cfg cfg;
  phy_dut *dut[2];
  phy_link_t *gold[2];
  ch_t *ch[2];
  uint64_t t;               /* cycles since reset */
  uint64_t rng;
  /* per end: CSRs (applied to RTL and golden alike) */
  phy_link_csr_t csr[2];
  int csr_dirty[2];
  int retrain[2];
  /* sources and sinks */
  uint64_t next[2];         /* next flit index end e offers */
  int holding[2];
  uint32_t hold_flit[2][PC_FW];
  uint32_t hold_side[2];
  uint64_t accepted[2];     /* flits end e's PHY took */
  uint64_t delivered[2];    /* flits of direction d the far end handed over */
  uint64_t gold_delivered[2];
  struct pc_sb sb[2];
  struct pc_cmp cmp[2];
  /* windowed throughput of direction d, RTL against golden */
  uint64_t win_rtl[2], win_gold[2];
  uint64_t win_count;
  uint64_t win_max_dev;     /* largest |RTL - golden| flits in a window, either direction */
  struct pc_fw fw[2];
  /* negative-test hook: tamper with the delivered flit number n of direction 0
   * before the scoreboard sees it (-1: off). 0 corrupt, 1 duplicate, 2 drop. */
  int64_t tamper_n;
  int tamper_kind;
  /* waves: FST of both ends for PC_WAVES_WINDOW cycles from cycle waves_from
   * (environment variable PHY_WAVES_FROM; UINT64_MAX = never) to
   * waves/out/phy_cosim_{A,B}.fst */
  uint64_t waves_from;
};

/** Create (returns NULL with a message on error). The PHYs are reset; the
 * ends are enabled by pc_step from cycle 0. Every first-error message ends
 * with the PHY_WAVES_FROM value that dumps the waves around it. */
struct pc *pc_new(const struct pc_cfg *c, char *err, size_t errlen);
void pc_free(struct pc *p);
/** One clock cycle of everything. */
void pc_step(struct pc *p);
/** Pulse retrain_i of end e (RTL and golden) in the next cycle. */
void pc_retrain(struct pc *p, unsigned e);
int pc_both_active(const struct pc *p);
/** 1 if either end is DOWN. */
int pc_any_down(const struct pc *p);
/** Step until both ends are ACTIVE; returns the cycles taken, or UINT64_MAX
 * after max cycles. */
uint64_t pc_run_until_active(struct pc *p, uint64_t max);
/** Step until every offered flit is delivered (returns 0), an end is DOWN
 * (1) or max cycles passed (-1); then `tail` more cycles. */
int pc_run_until_done(struct pc *p, uint64_t max, uint64_t tail);
/** Flits offered by the source of end e that are still to be delivered. */
uint64_t pc_outstanding(const struct pc *p, unsigned d);
/** The 4.13 bound in flits per cycle for active lanes n, marker period M,
 * B = 4 data blocks per flit and `a` ACK blocks per packet. */
double pc_bound(unsigned lanes, unsigned M, double a);

#ifdef __cplusplus
}
#endif
#endif
