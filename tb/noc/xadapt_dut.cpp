// Thin Verilator glue for noc_x_adapter (router defaults, RxQDepth 4).
#include "noc/xadapt_dut.h"

#include <new>

#include "Vxadapt.h"
#include "verilated.h"
#include "verilated_fst_c.h"

struct xadapt_dut {
  VerilatedContext ctx;
  Vxadapt *m;
  VerilatedFstC *fst;
  uint64_t ticks;
};

extern "C" {

xadapt_dut *xadapt_dut_new(void) {
  xadapt_dut *d = new (std::nothrow) xadapt_dut();
  if (!d) return nullptr;
  d->ctx.traceEverOn(true);
  d->m = new (std::nothrow) Vxadapt(&d->ctx, "noc_x_adapter");
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

void xadapt_dut_free(xadapt_dut *d) {
  if (!d) return;
  if (d->fst) {
    d->fst->close();
    delete d->fst;
  }
  d->m->final();
  delete d->m;
  delete d;
}

int xadapt_dut_trace_open(xadapt_dut *d, const char *path) {
  if (d->fst) return -1;
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

void xadapt_dut_clock(xadapt_dut *d) {
  d->m->clk_i = 0;
  d->m->eval();
  if (d->fst) d->fst->dump(d->ticks);
  d->ticks++;
  d->m->clk_i = 1;
  d->m->eval();
  if (d->fst) d->fst->dump(d->ticks);
  d->ticks++;
}

void xadapt_dut_reset(xadapt_dut *d, unsigned cycles) {
  xadapt_dut_set_rt_out(d, nullptr);
  xadapt_dut_set_rt_in_credit(d, 0, 0);
  xadapt_dut_set_tx_ready(d, 0);
  xadapt_dut_set_rx(d, 0, nullptr, 0);
  d->m->rst_ni = 0;
  for (unsigned i = 0; i < (cycles ? cycles : 1); i++) xadapt_dut_clock(d);
  d->m->rst_ni = 1;
  d->m->clk_i = 0;
  d->m->eval();
}

void xadapt_dut_set_rt_out(xadapt_dut *d, const struct router_flit *f) {
  Vxadapt *m = d->m;
  const bool v = f && f->valid;
  m->rt_out_valid_i = v;
  m->rt_out_head_i = v && f->head;
  m->rt_out_tail_i = v && f->tail;
  m->rt_out_vc_i = v ? (f->vc & 1u) : 0;
  for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS; w++) m->rt_out_flit_i[w] = v ? f->data[w] : 0;
}

int xadapt_dut_rt_out_credit(const xadapt_dut *d, unsigned *vc) {
  if (vc) *vc = d->m->rt_out_credit_vc_o;
  return d->m->rt_out_credit_valid_o;
}

void xadapt_dut_get_rt_in(const xadapt_dut *d, struct router_flit *f) {
  const Vxadapt *m = d->m;
  f->valid = m->rt_in_valid_o;
  f->head = m->rt_in_head_o;
  f->tail = m->rt_in_tail_o;
  f->vc = m->rt_in_vc_o;
  for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS; w++) f->data[w] = m->rt_in_flit_o[w];
}

void xadapt_dut_set_rt_in_credit(xadapt_dut *d, int valid, unsigned vc) {
  d->m->rt_in_credit_valid_i = valid ? 1 : 0;
  d->m->rt_in_credit_vc_i = valid ? (vc & 1u) : 0;
}

int xadapt_dut_tx(const xadapt_dut *d, uint32_t *flit, unsigned *side) {
  const Vxadapt *m = d->m;
  if (flit)
    for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS; w++) flit[w] = m->tx_flit_o[w];
  if (side) *side = m->tx_side_o;
  return m->tx_valid_o;
}

void xadapt_dut_set_tx_ready(xadapt_dut *d, int ready) { d->m->tx_ready_i = ready ? 1 : 0; }

int xadapt_dut_rx_ready(const xadapt_dut *d) { return d->m->rx_ready_o; }

void xadapt_dut_set_rx(xadapt_dut *d, int valid, const uint32_t *flit, unsigned side) {
  Vxadapt *m = d->m;
  m->rx_valid_i = valid ? 1 : 0;
  m->rx_side_i = valid ? (side & 15u) : 0;
  for (unsigned w = 0; w < ROUTER_DUT_FLIT_WORDS; w++)
    m->rx_flit_i[w] = (valid && flit) ? flit[w] : 0;
}

uint32_t xadapt_dut_cnt(const xadapt_dut *d, enum xadapt_cnt c) {
  switch (c) {
    case XCNT_TX_FLITS: return d->m->cnt_tx_flits_o;
    case XCNT_RX_FLITS: return d->m->cnt_rx_flits_o;
    case XCNT_RX_STALL: return d->m->cnt_rx_stall_o;
    case XCNT_ERR: return d->m->cnt_err_o;
    default: return 0;
  }
}

}  // extern "C"
