/* The RTL side of the NI co-simulation: ni_dut and ni_mem under names that
 * do not clash with csim/ni/ni.h. See ni_cosim_rtl.h. */
#include "ni/ni_cosim_rtl.h"

#include <stdlib.h>
#include <string.h>

#include "ni/ni_dut.h"
#include "ni/ni_mem.h"

_Static_assert((int)NCR_B == (int)NI_DUT_B, "flit bytes");
_Static_assert((int)NCR_NUM_REGS == (int)NI_REG_COUNT, "register list");
_Static_assert((int)NCR_NUM_CNT == (int)NI_CNT_COUNT, "counter list");

struct ncr {
  ni_dut *d;
  ni_mem *m;
  ncr_out o;
};

ncr *ncr_new(unsigned memlat, unsigned chip, unsigned x, unsigned y) {
  ncr *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->d = ni_dut_new(memlat, chip, x, y);
  r->m = ni_mem_new(memlat, NI_DUT_B);
  if (!r->d || !r->m) {
    ncr_free(r);
    return NULL;
  }
  ni_dut_reset(r->d, 3);
  return r;
}

void ncr_free(ncr *r) {
  if (!r) return;
  if (r->d) ni_dut_free(r->d);
  ni_mem_free(r->m);
  free(r);
}

void ncr_reg(ncr *r, enum ncr_reg reg, uint32_t value) {
  ni_dut_reg_write(r->d, (enum ni_reg)reg, value);
}

const ncr_out *ncr_eval(ncr *r) {
  ni_dut_eval(r->d);
  const struct ni_dut_out *o = ni_dut_out(r->d);
  ncr_out *c = &r->o;
  c->tx_valid = o->tx_valid;
  c->tx_head = o->tx_head;
  c->tx_tail = o->tx_tail;
  c->tx_vc = o->tx_vc;
  memcpy(c->tx_flit, o->tx_flit, NCR_B);
  c->rx_credit_valid = o->rx_credit_valid;
  c->rx_credit_vc = o->rx_credit_vc;
  c->rd_valid = o->mem_rd_valid;
  c->rd_len = o->mem_rd_len;
  c->rd_addr = o->mem_rd_addr;
  c->wr_valid = o->mem_wr_valid;
  c->wr_len = o->mem_wr_len;
  c->wr_addr = o->mem_wr_addr;
  c->wr_be = o->mem_wr_be;
  memcpy(c->wr_data, o->mem_wr_data, NCR_B);
  c->intr_set = o->intr_set;
  c->tx_head_idx = o->dma_tx_head;
  c->rx_head_idx = o->dma_rx_head;
  c->cq_tail_idx = o->dma_cq_tail;
  return c;
}

int ncr_clock(ncr *r, const ncr_in *x, int flip) {
  const ncr_out *o = &r->o;
  struct ni_dut_in *in = ni_dut_in(r->d);
  struct ni_mem_rd rd = {o->rd_valid, o->rd_addr, o->rd_len};
  struct ni_mem_wr wr;
  memset(&wr, 0, sizeof wr);
  wr.valid = o->wr_valid;
  wr.addr = o->wr_addr;
  wr.len = o->wr_len;
  wr.be = o->wr_be;
  memcpy(wr.data, o->wr_data, NCR_B);
  in->mem_rdata_valid = (uint8_t)ni_mem_cycle(r->m, &rd, &wr, in->mem_rdata);
  if (in->mem_rdata_valid && flip >= 0 && flip < NCR_B) in->mem_rdata[flip] ^= 0xFFu;
  in->rx_valid = x->rx_valid;
  in->rx_head = x->rx_head;
  in->rx_tail = x->rx_tail;
  in->rx_vc = x->rx_vc;
  memcpy(in->rx_flit, x->rx_flit, NCR_B);
  in->tx_credit_valid = x->credit_valid;
  in->tx_credit_vc = x->credit_vc;
  ni_dut_clock(r->d);
  return in->mem_rdata_valid;
}

void ncr_mem_write(ncr *r, uint64_t addr, const void *src, size_t n) { ni_mem_write(r->m, addr, src, n); }
void ncr_mem_read(const ncr *r, uint64_t addr, void *dst, size_t n) { ni_mem_read(r->m, addr, dst, n); }
uint32_t ncr_counter(const ncr *r, unsigned i) { return ni_dut_counter(r->d, (enum ni_cnt)i); }
uint64_t ncr_proto_errors(const ncr *r) { return ni_mem_stats(r->m)->proto_errors; }
int ncr_trace_open(ncr *r, const char *path) { return ni_dut_trace_open(r->d, path); }
