// Thin Verilator glue for noc_router (default parameters): an opaque handle,
// bit copies between C structs and the flat port vectors, optional FST waves.
#include "noc/router_dut.h"

#include <new>

#include "Vrouter.h"
#include "verilated.h"
#include "verilated_fst_c.h"

struct router_dut {
  VerilatedContext ctx;
  Vrouter *m;
  VerilatedFstC *fst;
  uint64_t cycles;
  uint64_t ticks;  // wave time: two per cycle
};

namespace {

// Read or write one bit of a model port of any width.
template <typename T> inline uint32_t bit(const T &v, unsigned b) { return (v >> b) & 1u; }
template <typename T> inline void set_bit(T &v, unsigned b, uint32_t x) {
  v = static_cast<T>((v & ~(static_cast<T>(1) << b)) | (static_cast<T>(x & 1u) << b));
}

void dump(router_dut *d) {
  if (d->fst) d->fst->dump(d->ticks);
  d->ticks++;
}

}  // namespace

extern "C" {

router_dut *router_dut_new(void) {
  router_dut *d = new (std::nothrow) router_dut();
  if (!d) return nullptr;
  d->ctx.traceEverOn(true);
  d->m = new (std::nothrow) Vrouter(&d->ctx, "noc_router");
  if (!d->m) {
    delete d;
    return nullptr;
  }
  d->fst = nullptr;
  d->m->clk_i = 0;
  d->m->rst_ni = 1;
  d->m->eval();
  return d;
}

void router_dut_free(router_dut *d) {
  if (!d) return;
  router_dut_trace_close(d);
  d->m->final();
  delete d->m;
  delete d;
}

int router_dut_trace_open(router_dut *d, const char *path) {
  router_dut_trace_close(d);
  d->fst = new (std::nothrow) VerilatedFstC;
  if (!d->fst) return -1;
  d->m->trace(d->fst, 99);
  d->fst->open(path);
  if (!d->fst->isOpen()) {
    delete d->fst;
    d->fst = nullptr;
    return -1;
  }
  return 0;
}

void router_dut_trace_close(router_dut *d) {
  if (!d->fst) return;
  d->fst->close();
  delete d->fst;
  d->fst = nullptr;
}

void router_dut_set_id(router_dut *d, unsigned chip, unsigned x, unsigned y) {
  d->m->my_chip_i = chip & 0xf;
  d->m->my_x_i = x & 0xf;
  d->m->my_y_i = y & 0xf;
}

void router_dut_set_route(router_dut *d, uint64_t route) { d->m->route_i = route; }

void router_dut_idle_inputs(router_dut *d) {
  d->m->in_valid_i = 0;
  d->m->in_head_i = 0;
  d->m->in_tail_i = 0;
  d->m->in_vc_i = 0;
  for (unsigned w = 0; w < ROUTER_DUT_PORTS * ROUTER_DUT_FLIT_WORDS; w++) d->m->in_flit_i[w] = 0;
  d->m->out_credit_valid_i = 0;
  d->m->out_credit_vc_i = 0;
}

void router_dut_eval(router_dut *d) {
  d->m->clk_i = 0;
  d->m->eval();
}

void router_dut_clock(router_dut *d) {
  Vrouter *m = d->m;
  m->clk_i = 0;
  m->eval();
  dump(d);
  m->clk_i = 1;
  m->eval();
  dump(d);
  d->cycles++;
}

void router_dut_reset(router_dut *d, unsigned cycles) {
  router_dut_idle_inputs(d);
  d->m->rst_ni = 0;
  for (unsigned i = 0; i < (cycles ? cycles : 1); i++) router_dut_clock(d);
  d->m->rst_ni = 1;
  router_dut_eval(d);
  d->cycles = 0;
}

void router_dut_set_in(router_dut *d, unsigned port, const struct router_flit *f) {
  Vrouter *m = d->m;
  const int v = f && f->valid;
  set_bit(m->in_valid_i, port, v);
  set_bit(m->in_head_i, port, v && f->head);
  set_bit(m->in_tail_i, port, v && f->tail);
  set_bit(m->in_vc_i, port, v ? f->vc : 0);  // VcW = 1
  for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS; w++)
    m->in_flit_i[port * ROUTER_DUT_FLIT_WORDS + w] = v ? f->data[w] : 0;
}

void router_dut_set_out_credit(router_dut *d, unsigned port, int valid, unsigned vc) {
  set_bit(d->m->out_credit_valid_i, port, valid ? 1u : 0u);
  set_bit(d->m->out_credit_vc_i, port, valid ? vc : 0u);
}

void router_dut_get_out(const router_dut *d, unsigned port, struct router_flit *f) {
  const Vrouter *m = d->m;
  f->valid = static_cast<int>(bit(m->out_valid_o, port));
  f->head = static_cast<int>(bit(m->out_head_o, port));
  f->tail = static_cast<int>(bit(m->out_tail_o, port));
  f->vc = bit(m->out_vc_o, port);
  for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS; w++)
    f->data[w] = m->out_flit_o[port * ROUTER_DUT_FLIT_WORDS + w];
}

int router_dut_in_credit(const router_dut *d, unsigned port, unsigned *vc) {
  if (vc) *vc = bit(d->m->in_credit_vc_o, port);
  return static_cast<int>(bit(d->m->in_credit_valid_o, port));
}

uint32_t router_dut_cnt(const router_dut *d, enum router_cnt c, unsigned port) {
  const Vrouter *m = d->m;
  switch (c) {
    case RCNT_FLITS_IN: return m->cnt_flits_in_o[port];
    case RCNT_FLITS_OUT: return m->cnt_flits_out_o[port];
    case RCNT_STALL: return m->cnt_stall_o[port];
    case RCNT_OCC: return m->cnt_occ_o[port];
    case RCNT_BUF_WR: return m->cnt_buf_wr_o[port];
    case RCNT_BUF_RD: return m->cnt_buf_rd_o[port];
    case RCNT_XBAR: return m->cnt_xbar_o[port];
    case RCNT_VA: return m->cnt_va_o[port];
    case RCNT_SA: return m->cnt_sa_o[port];
    default: return 0;
  }
}

uint32_t router_dut_err(const router_dut *d, enum router_err e) {
  switch (e) {
    case RERR_ROUTE: return d->m->cnt_err_route_o;
    case RERR_PROTO: return d->m->cnt_err_proto_o;
    case RERR_OVF: return d->m->cnt_err_ovf_o;
    case RERR_CREDIT: return d->m->cnt_err_credit_o;
    default: return 0;
  }
}

uint64_t router_dut_cycles(const router_dut *d) { return d->cycles; }

}  // extern "C"
