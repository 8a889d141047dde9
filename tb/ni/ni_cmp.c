/* Shared RTL-vs-golden NI comparison (see ni_cmp.h). */
#include "ni/ni_cmp.h"

#include <stdio.h>

static const char *const cnt_names[NCR_NUM_CNT] = {
    "tx_msgs", "tx_pkts", "tx_flits", "rx_msgs", "rx_pkts", "rx_flits", "rd_reqs",
    "wr_reqs", "rd_bytes", "wr_bytes", "cnt_rx_nobuf", "cnt_cq_full", "err_rx",
    "err_rx_noctx", "err_ovf", "err_credit", "err_desc", "err_doorbell", "err_csr"};

const char *ni_cmp_counter_name(unsigned i) { return i < NCR_NUM_CNT ? cnt_names[i] : NULL; }

static int diff(ni_cmp_diff *m, const char *sig, uint64_t exp, uint64_t act) {
  snprintf(m->signal, sizeof m->signal, "%s", sig);
  m->expected = exp;
  m->actual = act;
  return -1;
}

#define CMP(sig, e, a)                                                   \
  do {                                                                   \
    uint64_t e_ = (uint64_t)(e), a_ = (uint64_t)(a);                     \
    if (e_ != a_) return diff(m, sig, e_, a_);                           \
  } while (0)

int ni_cmp_outputs(const ni *g, const ncr_out *o, int rtl_intr, ni_cmp_diff *m) {
  const noc_flit *gf = ni_tx_flit(g);
  CMP("tx_valid", gf != NULL, o->tx_valid);
  if (gf) {
    CMP("tx_head", gf->head, o->tx_head);
    CMP("tx_tail", gf->tail, o->tx_tail);
    CMP("tx_vc", gf->vc, o->tx_vc);
    for (unsigned i = 0; i < NCR_B; i++) {
      uint8_t b = (uint8_t)(gf->data[i / 8] >> (8 * (i % 8)));
      if (b != o->tx_flit[i]) {
        char sig[48];
        snprintf(sig, sizeof sig, "tx_flit byte %u", i);
        return diff(m, sig, b, o->tx_flit[i]);
      }
    }
  }
  int gc = ni_rx_credit_out(g);
  CMP("rx_credit_valid", gc >= 0, o->rx_credit_valid);
  if (gc >= 0) CMP("rx_credit_vc", (unsigned)gc, o->rx_credit_vc);
  CMP("dma_tx_head", ni_reg_read(g, NI_REG_TX_HEAD), o->tx_head_idx);
  CMP("dma_rx_head", ni_reg_read(g, NI_REG_RX_HEAD), o->rx_head_idx);
  CMP("dma_cq_tail", ni_reg_read(g, NI_REG_CQ_TAIL), o->cq_tail_idx);
  CMP("intr_state.dma_cpl", ni_irq(g), rtl_intr);
  return 0;
}

int ni_cmp_requests(const ni *g, const ncr_out *o, ni_cmp_diff *m) {
  const hostmem_req *rd = ni_issued_read(g), *wr = ni_issued_write(g);
  CMP("mem_rd valid", rd != NULL, o->rd_valid);
  if (rd) {
    CMP("mem_rd addr", rd->addr, o->rd_addr);
    CMP("mem_rd len", rd->len, o->rd_len);
  }
  CMP("mem_wr valid", wr != NULL, o->wr_valid);
  if (wr) {
    CMP("mem_wr addr", wr->addr, o->wr_addr);
    CMP("mem_wr len", wr->len, o->wr_len);
    uint32_t be = wr->len >= 32 ? 0xFFFFFFFFu : ((1u << wr->len) - 1u);
    CMP("mem_wr be", be, o->wr_be);
    for (unsigned i = 0; i < wr->len && i < NCR_B; i++) {
      if (wr->data[i] != o->wr_data[i]) {
        char sig[48];
        snprintf(sig, sizeof sig, "mem_wr data byte %u", i);
        return diff(m, sig, wr->data[i], o->wr_data[i]);
      }
    }
  }
  return 0;
}

int ni_cmp_counters(const ni *g, const uint32_t rtl[NCR_NUM_CNT], ni_cmp_diff *m) {
  const ni_counters *k = ni_get_counters(g);
  const uint32_t v[NCR_NUM_CNT] = {
      k->tx_msgs, k->tx_pkts, k->tx_flits, k->rx_msgs, k->rx_pkts, k->rx_flits, k->rd_reqs,
      k->wr_reqs, k->rd_bytes, k->wr_bytes, k->rx_nobuf, k->cq_full, k->err_rx,
      k->err_rx_noctx, k->err_ovf, k->err_credit, k->err_desc, k->err_doorbell, k->err_csr};
  for (unsigned i = 0; i < NCR_NUM_CNT; i++) {
    if (v[i] != rtl[i]) {
      char sig[48];
      snprintf(sig, sizeof sig, "counter %s", cnt_names[i]);
      return diff(m, sig, v[i], rtl[i]);
    }
  }
  return 0;
}
