/* Mesh co-simulation (docs/spec.md section 5): k x k routers as Verilated RTL
 * and as the golden model (csim/noc/noc_mesh.h), each driven by its own copy
 * of the same traffic agents, compared every cycle on every port of every
 * router.
 *
 * Topologies:
 *   k = 1  one router at (0, 0) of chip 0 with an agent and a sink on each of
 *          its six ports. Endpoint e is port e (N E S W L X). E, S and L are
 *          reached by dimension-order routing, W, N and X by the route table
 *          (chips 1, 2, 3), so both halves of spec 5.3 carry traffic.
 *   k > 1  a k x k mesh of chip 0; an agent and a sink on each router's L
 *          port; endpoint e is router (e mod k, e / k). Border and X ports
 *          are unused (idle inputs).
 *
 * RTL wiring: one Verilated noc_router model (tb/noc/router_dut.h)
 * instantiated k*k times and wired in C (mesh_sim.c says why).
 *
 * Two sides run in lock step: the reference ("expected") and the side under
 * test ("actual"); each is the RTL or the model (optionally a test-only
 * arbitration variant, csim/noc/noc_router.h). Each side has its own agents,
 * sinks and checkers; with two sides, their registered outputs (flits and
 * credit returns on every port of every router) are compared every cycle with
 * zero tolerance and their counters (spec 5.8) every window and at the end. */
#ifndef OPTILE_TB_MESH_SIM_H
#define OPTILE_TB_MESH_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "mesh/mesh_sb.h"

#define MESH_K_MAX 8u

enum mesh_kind { MESH_NONE = 0, MESH_MODEL = 1, MESH_RTL = 2 };

/* Destination of each new packet of endpoint e (n endpoints). */
enum mesh_pattern {
  MESH_UNIFORM = 0, /* any endpoint, itself included, with equal probability */
  MESH_TRANSPOSE,   /* mesh: (x, y) -> (y, x); k = 1: N<->W, E<->S, L and X to themselves */
  MESH_BITCOMP,     /* e -> n-1-e (mesh: (k-1-x, k-1-y); k = 1: N<->X, E<->L, S<->W) */
  MESH_HOTSPOT,     /* with probability hot_frac the hotspot endpoint, else uniform */
  MESH_NPATTERN
};

enum mesh_fault_kind {
  MESH_FAULT_NONE = 0,
  MESH_FAULT_DROP_CREDIT,  /* the first credit router (x, y) returns on input `port` at or
                              after cycle `after` never reaches its upstream */
  MESH_FAULT_EXTRA_CREDIT, /* in cycle `after`, output `port` of router (x, y) receives a
                              credit for VC 0 that nobody returned */
  MESH_FAULT_CORRUPT,      /* the first flit leaving router (x, y) on output `port` at or
                              after cycle `after` has payload bit 130 flipped on its way */
};

/* Faults are applied to the RTL side (the harness around the DUT). */
struct mesh_fault {
  enum mesh_fault_kind kind;
  unsigned x, y, port;
  uint64_t after;
};

struct mesh_cfg {
  unsigned k;               /* 1 (one router, six endpoints) or 2..MESH_K_MAX */
  enum mesh_pattern pattern;
  double rate;              /* offered load, flits per endpoint per cycle (0..len mean) */
  uint64_t seed;
  unsigned len_min, len_max; /* packet length in flits, uniform in [min, max], 1..8 */
  unsigned hot_ep;          /* hotspot endpoint; MESH_HOT_DEFAULT = the mesh centre (k = 1: E) */
  double hot_frac;          /* hotspot share of packets */
  uint64_t warmup;          /* statistics count packets created in [warmup, cycles) */
  uint64_t cycles;          /* agents create packets in cycles [0, cycles) */
  uint64_t drain_max;       /* then at most this many cycles to deliver everything */
  unsigned window;          /* throughput window in cycles (0 = 1024) */
  enum mesh_kind ref, dut;  /* expected and actual side; dut may be MESH_NONE */
  unsigned ref_variant, dut_variant; /* NOC_VARIANT_* for a model side */
  int keep_going;           /* 0: stop at the first RTL/model mismatch */
  struct mesh_fault fault;
  int progress;             /* draw a progress line on a terminal */
  const char *waves_dir;    /* non-NULL: on an RTL/model mismatch, run again with an FST
                               window of the RTL router where it happened (from 256
                               cycles before it) written to this folder */
};
#define MESH_HOT_DEFAULT 0xFFFFu

/* Fills a configuration with the defaults: k = 4, uniform, rate 0.2,
 * seed 1, lengths 1..8, hotspot share 0.25, 4096 cycles, no warm-up,
 * drain 200000, window 1024, model (expected) against RTL (actual). */
void mesh_cfg_default(struct mesh_cfg *c);

const char *mesh_pattern_name(enum mesh_pattern p);
const char *mesh_kind_name(enum mesh_kind k);

/* What one side measured. */
struct mesh_side_result {
  enum mesh_kind kind;
  unsigned variant;
  uint64_t created, delivered;       /* packets (whole run) */
  uint64_t flits_created, flits_delivered; /* flits in [warmup, cycles) */
  double offered, accepted;          /* flits per endpoint per cycle in [warmup, cycles) */
  struct mesh_lat lat;               /* packets created in [warmup, cycles) */
  uint64_t sb_errors;                /* delivery scoreboard */
  char sb_first[512];
  uint64_t audit_errors;             /* credit audit and error counters */
  char audit_first[512];
  uint64_t fault_cycle;              /* cycle the fault took effect (0 if none) */
  uint64_t max_queue;                /* longest source queue (of one VC) seen, packets */
  double win_mean, win_min, win_max; /* accepted throughput per full window, flits/ep/cycle */
};

struct mesh_result {
  unsigned nep, windows, window;
  uint64_t cycles;       /* simulated cycles, drain included */
  int drained;           /* every packet delivered before drain_max ran out */
  double seconds;        /* wall clock of the cycle loop */
  double cpu_seconds;    /* CPU time of the process during the cycle loop */
  struct mesh_side_result side[2]; /* [0] expected, [1] actual */
  /* cross-check (two sides only) */
  uint64_t mismatches;   /* output or credit mismatches */
  char first_mismatch[1024];
  uint64_t mm_cycle;     /* where the first one is */
  unsigned mm_x, mm_y, mm_port, mm_vc;
  int mm_credit;         /* 1 if it is a credit return, 0 a flit */
  uint64_t counter_mismatches;
  char first_counter[512];
  uint64_t win_dev_max;  /* largest |expected - actual| flits per endpoint per window */
  char waves[384];       /* the FST file written on a mismatch ("" if none) */
  uint32_t *win[2];      /* [side][window * nep + ep] flits delivered */
};

/* Runs one co-simulation. Returns 0 if it ran (the result says whether it
 * passed); -1 with a message in err on a bad configuration or out of memory.
 * Free the result with mesh_result_free. */
int mesh_run(const struct mesh_cfg *c, struct mesh_result *r, char *err, size_t errlen);
void mesh_result_free(struct mesh_result *r);

/* 1 if nothing failed: no mismatch, no scoreboard or audit error, drained. */
int mesh_result_ok(const struct mesh_result *r);

/* First failure in words ("" if none). */
const char *mesh_result_why(const struct mesh_result *r);

/* A few summary lines: configuration, per side throughput and latency, the
 * largest window deviation, mismatches, speed. */
void mesh_result_print(FILE *f, const struct mesh_cfg *c, const struct mesh_result *r);

/* One line per throughput window: cycles, then per side the flits delivered
 * per endpoint per cycle and, with two sides, the largest per-endpoint
 * difference in flits. */
void mesh_result_print_windows(FILE *f, const struct mesh_result *r);

#endif
