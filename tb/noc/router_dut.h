/* C interface to one Verilated noc_router (docs/spec.md section 5) with its
 * default parameters: FlitW 256, NumVc 2, BufDepth 4, every port enabled.
 * The C++ glue behind it holds the model as an opaque handle.
 *
 * Cycle convention: between two router_dut_clock() calls is one cycle t.
 * Outputs are registers (spec 5.1), so router_dut_get_out() and
 * router_dut_in_credit() may be read any time during t; inputs set with
 * router_dut_set_in() / router_dut_set_out_credit() are the inputs of cycle t
 * and stay until changed. router_dut_clock() is the edge ending t. */
#ifndef OPTILE_TB_ROUTER_DUT_H
#define OPTILE_TB_ROUTER_DUT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  ROUTER_DUT_PORTS = 6,
  ROUTER_DUT_FLIT_BITS = 256,
  ROUTER_DUT_FLIT_WORDS = ROUTER_DUT_FLIT_BITS / 32,
  ROUTER_DUT_NUM_VC = 2,
  ROUTER_DUT_BUF_DEPTH = 4,
};

/* Port indices (spec 5.1). */
enum router_port { RP_N = 0, RP_E = 1, RP_S = 2, RP_W = 3, RP_L = 4, RP_X = 5 };

/* Per-port counters (spec 5.8). */
enum router_cnt {
  RCNT_FLITS_IN,
  RCNT_FLITS_OUT,
  RCNT_STALL,
  RCNT_OCC,
  RCNT_BUF_WR,
  RCNT_BUF_RD,
  RCNT_XBAR,
  RCNT_VA,
  RCNT_SA,
  RCNT_NUM
};

/* Router-wide error counters (spec 5.8). */
enum router_err { RERR_ROUTE, RERR_PROTO, RERR_OVF, RERR_CREDIT, RERR_NUM };

/* One flit on a link: payload word w holds bits [32w+31:32w]. */
struct router_flit {
  int valid;
  int head;
  int tail;
  unsigned vc;
  uint32_t data[ROUTER_DUT_FLIT_WORDS];
};

typedef struct router_dut router_dut;

router_dut *router_dut_new(void);
void router_dut_free(router_dut *d);

/* Start dumping FST waves to `path` (from the next edge on); 0 on success. */
int router_dut_trace_open(router_dut *d, const char *path);
void router_dut_trace_close(router_dut *d);

/* Static inputs: chip id, mesh coordinates and the route table (route_i). */
void router_dut_set_id(router_dut *d, unsigned chip, unsigned x, unsigned y);
void router_dut_set_route(router_dut *d, uint64_t route);

/* Hold reset for `cycles` edges with every link input idle, then release it.
 * The cycle after reset is cycle 0 of router_dut_cycles(). */
void router_dut_reset(router_dut *d, unsigned cycles);

/* Input link `port` in this cycle; NULL or valid == 0 means idle. */
void router_dut_set_in(router_dut *d, unsigned port, const struct router_flit *f);
/* Credit returned by the downstream of output `port` in this cycle. */
void router_dut_set_out_credit(router_dut *d, unsigned port, int valid, unsigned vc);
/* Every link input and credit input idle. */
void router_dut_idle_inputs(router_dut *d);

/* Settle combinational logic with the clock low (optional before clock). */
void router_dut_eval(router_dut *d);
/* The rising edge that ends the current cycle. */
void router_dut_clock(router_dut *d);

/* Output link `port` in this cycle. */
void router_dut_get_out(const router_dut *d, unsigned port, struct router_flit *f);
/* Credit returned to the upstream of input `port` in this cycle; returns its
 * valid bit and stores its VC in *vc (if vc is not NULL). */
int router_dut_in_credit(const router_dut *d, unsigned port, unsigned *vc);

uint32_t router_dut_cnt(const router_dut *d, enum router_cnt c, unsigned port);
uint32_t router_dut_err(const router_dut *d, enum router_err e);
/* Edges since reset was released. */
uint64_t router_dut_cycles(const router_dut *d);

#ifdef __cplusplus
}
#endif
#endif
