// Thin Verilator glue for tb_csr_top: an opaque handle and pin copies.
#include "csr/csr_dut.h"

#include <new>

#include "Vcsr.h"
#include "verilated.h"

struct csr_dut {
  VerilatedContext ctx;
  Vcsr *m;
  struct apb_pins pins[2];
  uint64_t cycles;
};

extern "C" {

csr_dut *csr_dut_new(void) {
  csr_dut *d = new (std::nothrow) csr_dut();
  if (!d) return nullptr;
  d->m = new (std::nothrow) Vcsr(&d->ctx, "tb_csr_top");
  if (!d->m) {
    delete d;
    return nullptr;
  }
  d->m->clk_i = 0;
  d->m->rst_ni = 1;
  d->m->eval();
  return d;
}

void csr_dut_free(csr_dut *d) {
  if (!d) return;
  d->m->final();
  delete d->m;
  delete d;
}

struct apb_pins *csr_dut_pins(csr_dut *d, int port) { return &d->pins[port ? 1 : 0]; }

void csr_dut_eval(csr_dut *d) {
  Vcsr *m = d->m;
  const apb_pins &h = d->pins[0], &g = d->pins[1];
  m->host_psel_i = h.psel;
  m->host_penable_i = h.penable;
  m->host_pwrite_i = h.pwrite;
  m->host_paddr_i = h.paddr;
  m->host_pwdata_i = h.pwdata;
  m->host_pstrb_i = h.pstrb;
  m->mgmt_psel_i = g.psel;
  m->mgmt_penable_i = g.penable;
  m->mgmt_pwrite_i = g.pwrite;
  m->mgmt_paddr_i = g.paddr;
  m->mgmt_pwdata_i = g.pwdata;
  m->mgmt_pstrb_i = g.pstrb;
  m->clk_i = 0;
  m->eval();
  d->pins[0].pready = m->host_pready_o;
  d->pins[0].pslverr = m->host_pslverr_o;
  d->pins[0].prdata = m->prdata_o;
  d->pins[1].pready = m->mgmt_pready_o;
  d->pins[1].pslverr = m->mgmt_pslverr_o;
  d->pins[1].prdata = m->prdata_o;
}

void csr_dut_clock(csr_dut *d) {
  d->m->clk_i = 1;
  d->m->eval();
  d->m->clk_i = 0;
  d->m->eval();
  d->cycles++;
}

void csr_dut_reset(csr_dut *d, unsigned cycles) {
  d->m->rst_ni = 0;
  for (unsigned i = 0; i < cycles; i++) {
    csr_dut_eval(d);
    csr_dut_clock(d);
  }
  d->m->rst_ni = 1;
  csr_dut_eval(d);
}

static void eval_cb(void *c) { csr_dut_eval(static_cast<csr_dut *>(c)); }
static void clock_cb(void *c) { csr_dut_clock(static_cast<csr_dut *>(c)); }

struct apb_clocking csr_dut_clocking(csr_dut *d) {
  struct apb_clocking c;
  c.ctx = d;
  c.eval = eval_cb;
  c.clock = clock_cb;
  c.timeout = 16;
  return c;
}

void csr_dut_hw2reg_set(csr_dut *d, unsigned lsb, unsigned width, uint32_t value) {
  for (unsigned i = 0; i < width; i++) {
    unsigned b = lsb + i;
    EData &w = d->m->hw2reg_i[b / 32];
    if ((value >> i) & 1u) w |= (1u << (b % 32));
    else w &= ~(1u << (b % 32));
  }
}

uint32_t csr_dut_reg2hw_get(csr_dut *d, unsigned lsb, unsigned width) {
  uint32_t v = 0;
  for (unsigned i = 0; i < width; i++) {
    unsigned b = lsb + i;
    v |= ((d->m->reg2hw_o[b / 32] >> (b % 32)) & 1u) << i;
  }
  return v;
}

int csr_dut_intr(csr_dut *d) { return d->m->intr_o; }

uint64_t csr_dut_cycles(const csr_dut *d) { return d->cycles; }

}  // extern "C"
