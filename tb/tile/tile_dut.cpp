// Thin Verilator glue for optile_tile: an opaque handle, pin copies, the
// monitored internal signals (public through optile_tile.vlt) and FST waves
// for a cycle window.
#include "tile/tile_dut.h"

#include <cerrno>
#include <cstring>
#include <new>

#include "Vtile.h"
#include "Vtile___024root.h"
#include "verilated.h"
#include "verilated_fst_c.h"

struct tile_dut {
  VerilatedContext ctx;
  Vtile *m = nullptr;
  VerilatedFstC *fst = nullptr;
  uint64_t wave_from = 0, wave_to = 0;
  struct apb_pins pins[2]{};
  struct tile_dut_in in{};
  struct tile_dut_out out{};
  uint64_t cycles = 0;
};

namespace {

// `width` (<= 32) bits from bit `lsb` of a wide Verilator vector.
template <typename W>
uint32_t bits(const W &w, unsigned lsb, unsigned width) {
  unsigned word = lsb / 32, off = lsb % 32;
  uint64_t v = w[word] >> off;
  if (off + width > 32) v |= static_cast<uint64_t>(w[word + 1]) << (32 - off);
  return static_cast<uint32_t>(v & ((width == 32) ? 0xffffffffull : ((1ull << width) - 1)));
}

template <typename W>
uint64_t bits64(const W &w, unsigned idx) {
  return static_cast<uint64_t>(w[2 * idx]) | (static_cast<uint64_t>(w[2 * idx + 1]) << 32);
}

inline unsigned bit(unsigned v, unsigned i) { return (v >> i) & 1u; }

void words_to_bytes(const uint32_t *w, uint8_t *b) {
  for (int i = 0; i < TILE_FLIT_BYTES; i++) b[i] = static_cast<uint8_t>(w[i / 4] >> (8 * (i % 4)));
}

void bytes_to_words(const uint8_t *b, uint32_t *w) {
  for (int i = 0; i < TILE_FLIT_BYTES / 4; i++) {
    w[i] = b[4 * i] | (uint32_t(b[4 * i + 1]) << 8) | (uint32_t(b[4 * i + 2]) << 16) |
           (uint32_t(b[4 * i + 3]) << 24);
  }
}

void copy_in(tile_dut *d) {
  Vtile *m = d->m;
  const apb_pins &h = d->pins[0], &g = d->pins[1];
  m->psel_i = (h.psel & 1u) | ((g.psel & 1u) << 1);
  m->penable_i = (h.penable & 1u) | ((g.penable & 1u) << 1);
  m->pwrite_i = (h.pwrite & 1u) | ((g.pwrite & 1u) << 1);
  m->paddr_i[0] = static_cast<uint16_t>(h.paddr);
  m->paddr_i[1] = static_cast<uint16_t>(g.paddr);
  m->pwdata_i[0] = h.pwdata;
  m->pwdata_i[1] = g.pwdata;
  m->pstrb_i[0] = h.pstrb & 15u;
  m->pstrb_i[1] = g.pstrb & 15u;
  const struct tile_dut_in &in = d->in;
  unsigned v = 0, hd = 0, tl = 0, vc = 0, cv = 0, cvc = 0;
  for (unsigned p = 0; p < TILE_MESH_PORTS; p++) {
    v |= (in.mesh_in[p].valid & 1u) << p;
    hd |= (in.mesh_in[p].head & 1u) << p;
    tl |= (in.mesh_in[p].tail & 1u) << p;
    vc |= (in.mesh_in[p].vc & 1u) << p;
    cv |= (in.mesh_out_credit[p].valid & 1u) << p;
    cvc |= (in.mesh_out_credit[p].vc & 1u) << p;
    for (unsigned j = 0; j < TILE_FLIT_WORDS; j++) m->mesh_in_flit_i[p * TILE_FLIT_WORDS + j] = in.mesh_in[p].flit[j];
  }
  m->mesh_in_valid_i = v;
  m->mesh_in_head_i = hd;
  m->mesh_in_tail_i = tl;
  m->mesh_in_vc_i = vc;
  m->mesh_out_credit_valid_i = cv;
  m->mesh_out_credit_vc_i = cvc;
  // 8 x 12-bit monitor codes packed into three words (lane i at bit 12i)
  uint32_t pw[3] = {0, 0, 0};
  for (unsigned i = 0; i < TILE_LANES; i++) {
    m->lane_rx_i[i] = in.lane_rx[i];
    uint64_t v = static_cast<uint64_t>(in.lane_rx_power[i] & 0xfffu) << ((12 * i) % 32);
    unsigned w = (12 * i) / 32;
    pw[w] |= static_cast<uint32_t>(v);
    if (v >> 32) pw[w + 1] |= static_cast<uint32_t>(v >> 32);
  }
  for (unsigned w = 0; w < 3; w++) m->lane_rx_power_i[w] = pw[w];
  m->mem_rdata_valid_i = in.mem_rdata_valid ? 1 : 0;
  bytes_to_words(in.mem_rdata, m->mem_rdata_i.data());
}

void refresh(tile_dut *d) {
  Vtile *m = d->m;
  struct tile_dut_out &o = d->out;
  for (unsigned p = 0; p < TILE_MESH_PORTS; p++) {
    tile_link &l = o.mesh_out[p];
    l.valid = bit(m->mesh_out_valid_o, p);
    l.head = bit(m->mesh_out_head_o, p);
    l.tail = bit(m->mesh_out_tail_o, p);
    l.vc = bit(m->mesh_out_vc_o, p);
    for (unsigned j = 0; j < TILE_FLIT_WORDS; j++) l.flit[j] = l.valid ? m->mesh_out_flit_o[p * TILE_FLIT_WORDS + j] : 0;
    o.mesh_in_credit[p].valid = bit(m->mesh_in_credit_valid_o, p);
    o.mesh_in_credit[p].vc = bit(m->mesh_in_credit_vc_o, p);
  }
  o.mem_rd_valid = m->mem_rd_valid_o;
  o.mem_rd_len = m->mem_rd_len_o;
  o.mem_rd_addr = m->mem_rd_addr_o;
  o.mem_wr_valid = m->mem_wr_valid_o;
  o.mem_wr_len = m->mem_wr_len_o;
  o.mem_wr_addr = m->mem_wr_addr_o;
  o.mem_wr_be = m->mem_wr_be_o;
  if (o.mem_wr_valid) words_to_bytes(m->mem_wr_data_o.data(), o.mem_wr_data);
  for (unsigned i = 0; i < TILE_LANES; i++) {
    o.lane_tx[i] = m->lane_tx_o[i];
    o.lane_heater[i] = static_cast<uint16_t>(bits(m->lane_heater_o, 12 * i, 12));
  }
  o.lane_laser_on = m->lane_laser_on_o;
  o.intr = m->intr_o;
  for (int p = 0; p < 2; p++) {
    d->pins[p].pready = bit(m->pready_o, p);
    d->pins[p].pslverr = bit(m->pslverr_o, p);
    d->pins[p].prdata = m->prdata_o;
  }
}

void dump(tile_dut *d, uint64_t t) {
  if (!d->fst) return;
  if (d->cycles < d->wave_from) return;
  if (d->wave_to && d->cycles >= d->wave_to) {
    tile_dut_trace_close(d);
    return;
  }
  d->fst->dump(t);
}

}  // namespace

extern "C" {

tile_dut *tile_dut_new(unsigned chip, unsigned x, unsigned y) {
  tile_dut *d = new (std::nothrow) tile_dut();
  if (!d) return nullptr;
  d->ctx.traceEverOn(true);
  d->m = new (std::nothrow) Vtile(&d->ctx, "optile_tile");
  if (!d->m) {
    delete d;
    return nullptr;
  }
  d->m->my_chip_i = chip & 15u;
  d->m->my_x_i = x & 15u;
  d->m->my_y_i = y & 15u;
  d->m->clk_i = 0;
  d->m->rst_ni = 1;
  tile_dut_eval(d);
  return d;
}

void tile_dut_free(tile_dut *d) {
  if (!d) return;
  tile_dut_trace_close(d);
  d->m->final();
  delete d->m;
  delete d;
}

struct apb_pins *tile_dut_apb(tile_dut *d, int port) { return &d->pins[port ? 1 : 0]; }
struct tile_dut_in *tile_dut_in(tile_dut *d) { return &d->in; }
const struct tile_dut_out *tile_dut_out(const tile_dut *d) { return &d->out; }
uint64_t tile_dut_cycles(const tile_dut *d) { return d->cycles; }

void tile_dut_eval(tile_dut *d) {
  copy_in(d);
  d->m->clk_i = 0;
  d->m->eval();
  refresh(d);
}

void tile_dut_clock(tile_dut *d) {
  copy_in(d);
  if (d->fst) {  // settle the late inputs for the wave file only
    d->m->clk_i = 0;
    d->m->eval();
    dump(d, 2 * d->cycles);
  }
  d->m->clk_i = 1;
  d->m->eval();
  dump(d, 2 * d->cycles + 1);
  d->cycles++;
}

void tile_dut_reset(tile_dut *d, unsigned cycles) {
  for (int p = 0; p < 2; p++) {
    d->pins[p].psel = d->pins[p].penable = 0;
  }
  d->m->rst_ni = 0;
  for (unsigned i = 0; i < cycles; i++) {
    tile_dut_eval(d);
    tile_dut_clock(d);
  }
  d->m->rst_ni = 1;
  tile_dut_eval(d);
}

void tile_dut_observe(const tile_dut *d, struct tile_obs *o) {
  const Vtile___024root *r = d->m->rootp;
  o->cycle = d->cycles;
  o->dp_rst_n = r->optile_tile__DOT__dp_rst_n;
  for (unsigned p = 0; p < TILE_PORTS; p++) {
    tile_link &i = o->rin[p];
    i.valid = bit(r->optile_tile__DOT__r_in_valid, p);
    i.head = bit(r->optile_tile__DOT__r_in_head, p);
    i.tail = bit(r->optile_tile__DOT__r_in_tail, p);
    i.vc = bit(r->optile_tile__DOT__r_in_vc, p);
    i.credit_valid = bit(r->optile_tile__DOT__r_in_credit_valid, p);
    i.credit_vc = bit(r->optile_tile__DOT__r_in_credit_vc, p);
    tile_link &u = o->rout[p];
    u.valid = bit(r->optile_tile__DOT__r_out_valid, p);
    u.head = bit(r->optile_tile__DOT__r_out_head, p);
    u.tail = bit(r->optile_tile__DOT__r_out_tail, p);
    u.vc = bit(r->optile_tile__DOT__r_out_vc, p);
    u.credit_valid = bit(r->optile_tile__DOT__r_out_credit_valid, p);
    u.credit_vc = bit(r->optile_tile__DOT__r_out_credit_vc, p);
    for (unsigned j = 0; j < TILE_FLIT_WORDS; j++) {
      i.flit[j] = i.valid ? r->optile_tile__DOT__r_in_flit[p * TILE_FLIT_WORDS + j] : 0;
      u.flit[j] = u.valid ? r->optile_tile__DOT__r_out_flit[p * TILE_FLIT_WORDS + j] : 0;
    }
  }
  o->phy_tx_valid = r->optile_tile__DOT__phy_tx_valid;
  o->phy_tx_ready = r->optile_tile__DOT__phy_tx_ready;
  o->phy_tx_side = r->optile_tile__DOT__phy_tx_side;
  o->phy_rx_valid = r->optile_tile__DOT__phy_rx_valid;
  o->phy_rx_ready = r->optile_tile__DOT__phy_rx_ready;
  o->phy_rx_side = r->optile_tile__DOT__phy_rx_side;
  for (unsigned j = 0; j < TILE_FLIT_WORDS; j++) {
    o->phy_tx_flit[j] = r->optile_tile__DOT__phy_tx_flit[j];
    o->phy_rx_flit[j] = r->optile_tile__DOT__phy_rx_flit[j];
  }
  o->phy_state = r->optile_tile__DOT__p_state;
  o->link_up = r->optile_tile__DOT__p_link_up;
  o->lane_lock = r->optile_tile__DOT__p_lock;
  o->lane_deskew = r->optile_tile__DOT__p_deskew;
  o->active_mask = r->optile_tile__DOT__p_active;
  o->train_phase = r->optile_tile__DOT__p_phase;
  o->lane_laser_on = static_cast<uint8_t>(d->out.lane_laser_on);
  for (unsigned i = 0; i < TILE_LANES; i++) {
    o->lane_tx[i] = d->out.lane_tx[i];
    o->lane_rx[i] = d->in.lane_rx[i];
    o->lane_heater[i] = d->out.lane_heater[i];
    o->lane_rx_power[i] = d->in.lane_rx_power[i];
    o->lane_power[i] = static_cast<uint16_t>(bits(r->optile_tile__DOT__p_power, 12 * i, 12));
    o->phy_heater_code[i] = static_cast<uint16_t>(bits(r->optile_tile__DOT__u_phy__DOT__heater_code_i, 12 * i, 12));
  }
  o->phy_enable = r->optile_tile__DOT__u_phy__DOT__enable_i;
  o->phy_rings_locked = r->optile_tile__DOT__u_phy__DOT__rings_locked_i;
  o->phy_retrain = r->optile_tile__DOT__u_phy__DOT__retrain_i;
  o->phy_lane_mask = r->optile_tile__DOT__u_phy__DOT__lane_mask_i;
  o->phy_am_period = r->optile_tile__DOT__u_phy__DOT__am_period_i;
  o->phy_idle_timeout = r->optile_tile__DOT__u_phy__DOT__idle_timeout_i;
  o->phy_laser_settle = r->optile_tile__DOT__u_phy__DOT__laser_settle_i;
  o->phy_replay_timeout = r->optile_tile__DOT__u_phy__DOT__replay_timeout_i;
  o->phy_replay_limit = r->optile_tile__DOT__u_phy__DOT__replay_limit_i;
  o->phy_train_timeout = r->optile_tile__DOT__u_phy__DOT__train_timeout_i;
  o->reg_tile_en = r->optile_tile__DOT__u_csr__DOT__u_reg__DOT__ctrl_tile_en_q;
  o->reg_soft_rst = r->optile_tile__DOT__u_csr__DOT__u_reg__DOT__ctrl_soft_rst_q;
}

void tile_dut_ni_observe(const tile_dut *d, struct tile_ni_obs *o) {
  const Vtile___024root *r = d->m->rootp;
#define NI_FIELD(f, name)                                                        \
  do {                                                                         \
    o->val[f] = r->optile_tile__DOT__u_ni__DOT__dma_##name##_i;                 \
    o->qe |= static_cast<uint32_t>(r->optile_tile__DOT__u_ni__DOT__dma_##name##_qe_i & 1u) << (f); \
  } while (0)
  o->qe = 0;
  NI_FIELD(TILE_NI_TX_EN, ctrl_tx_en);
  NI_FIELD(TILE_NI_RX_EN, ctrl_rx_en);
  NI_FIELD(TILE_NI_CQ_EN, ctrl_cq_en);
  NI_FIELD(TILE_NI_COAL_COUNT, irq_coal_count);
  NI_FIELD(TILE_NI_COAL_TIMER, irq_coal_timer);
  NI_FIELD(TILE_NI_TX_BASE_LO, tx_base_lo);
  NI_FIELD(TILE_NI_TX_BASE_HI, tx_base_hi);
  NI_FIELD(TILE_NI_TX_SIZE, tx_size);
  NI_FIELD(TILE_NI_TX_PROD, tx_prod);
  NI_FIELD(TILE_NI_RX_BASE_LO, rx_base_lo);
  NI_FIELD(TILE_NI_RX_BASE_HI, rx_base_hi);
  NI_FIELD(TILE_NI_RX_SIZE, rx_size);
  NI_FIELD(TILE_NI_RX_PROD, rx_prod);
  NI_FIELD(TILE_NI_CQ_BASE_LO, cq_base_lo);
  NI_FIELD(TILE_NI_CQ_BASE_HI, cq_base_hi);
  NI_FIELD(TILE_NI_CQ_SIZE, cq_size);
  NI_FIELD(TILE_NI_CQ_CONS, cq_cons);
#undef NI_FIELD
  o->tx_head = r->optile_tile__DOT__u_ni__DOT__dma_tx_hw_index_o;
  o->rx_head = r->optile_tile__DOT__u_ni__DOT__dma_rx_hw_index_o;
  o->cq_tail = r->optile_tile__DOT__u_ni__DOT__dma_cq_hw_index_o;
  o->intr_set = r->optile_tile__DOT__u_ni__DOT__intr_dma_cpl_set_o;
  const uint32_t c[TILE_NI_COUNTERS] = {
      r->optile_tile__DOT__n_tx_msgs, r->optile_tile__DOT__n_tx_pkts, r->optile_tile__DOT__n_tx_flits,
      r->optile_tile__DOT__n_rx_msgs, r->optile_tile__DOT__n_rx_pkts, r->optile_tile__DOT__n_rx_flits,
      r->optile_tile__DOT__n_rd_reqs, r->optile_tile__DOT__n_wr_reqs, r->optile_tile__DOT__n_rd_bytes,
      r->optile_tile__DOT__n_wr_bytes, r->optile_tile__DOT__n_rx_nobuf, r->optile_tile__DOT__n_cq_full,
      r->optile_tile__DOT__n_err_rx, r->optile_tile__DOT__n_err_noctx, r->optile_tile__DOT__n_err_ovf,
      r->optile_tile__DOT__n_err_credit, r->optile_tile__DOT__n_err_desc, r->optile_tile__DOT__n_err_db,
      r->optile_tile__DOT__n_err_csr};
  for (unsigned i = 0; i < TILE_NI_COUNTERS; i++) o->cnt[i] = c[i];
}

void tile_dut_counters(const tile_dut *d, struct tile_counters *c) {
  const Vtile___024root *r = d->m->rootp;
  for (unsigned p = 0; p < TILE_PORTS; p++) {
    c->rtr_flits_in[p] = r->optile_tile__DOT__c_in[p];
    c->rtr_flits_out[p] = r->optile_tile__DOT__c_out[p];
    c->rtr_stall[p] = r->optile_tile__DOT__c_stall[p];
    c->rtr_occ[p] = r->optile_tile__DOT__c_occ[p];
    c->rtr_buf_wr[p] = r->optile_tile__DOT__c_bwr[p];
    c->rtr_buf_rd[p] = r->optile_tile__DOT__c_brd[p];
    c->rtr_xbar[p] = r->optile_tile__DOT__c_xbar[p];
    c->rtr_va[p] = r->optile_tile__DOT__c_va[p];
    c->rtr_sa[p] = r->optile_tile__DOT__c_sa[p];
  }
  c->rtr_err_route = r->optile_tile__DOT__c_err_route;
  c->rtr_err_proto = r->optile_tile__DOT__c_err_proto;
  c->rtr_err_ovf = r->optile_tile__DOT__c_err_ovf;
  c->rtr_err_credit = r->optile_tile__DOT__c_err_credit;
  c->ni_tx_msgs = r->optile_tile__DOT__n_tx_msgs;
  c->ni_tx_pkts = r->optile_tile__DOT__n_tx_pkts;
  c->ni_tx_flits = r->optile_tile__DOT__n_tx_flits;
  c->ni_rx_msgs = r->optile_tile__DOT__n_rx_msgs;
  c->ni_rx_pkts = r->optile_tile__DOT__n_rx_pkts;
  c->ni_rx_flits = r->optile_tile__DOT__n_rx_flits;
  c->ni_rd_reqs = r->optile_tile__DOT__n_rd_reqs;
  c->ni_wr_reqs = r->optile_tile__DOT__n_wr_reqs;
  c->ni_rd_bytes = r->optile_tile__DOT__n_rd_bytes;
  c->ni_wr_bytes = r->optile_tile__DOT__n_wr_bytes;
  c->ni_rx_nobuf = r->optile_tile__DOT__n_rx_nobuf;
  c->ni_cq_full = r->optile_tile__DOT__n_cq_full;
  c->ni_err_rx = r->optile_tile__DOT__n_err_rx;
  c->ni_err_noctx = r->optile_tile__DOT__n_err_noctx;
  c->ni_err_ovf = r->optile_tile__DOT__n_err_ovf;
  c->ni_err_credit = r->optile_tile__DOT__n_err_credit;
  c->ni_err_desc = r->optile_tile__DOT__n_err_desc;
  c->ni_err_doorbell = r->optile_tile__DOT__n_err_db;
  c->ni_err_csr = r->optile_tile__DOT__n_err_csr;
  c->x_tx_flits = r->optile_tile__DOT__x_tx_flits;
  c->x_rx_flits = r->optile_tile__DOT__x_rx_flits;
  c->x_rx_stall = r->optile_tile__DOT__x_rx_stall;
  c->x_err = r->optile_tile__DOT__x_err;
  for (unsigned i = 0; i < TILE_LANES; i++) {
    c->bits_sent[i] = bits64(r->optile_tile__DOT__p_bits, i);
    c->laser_cycles[i] = bits64(r->optile_tile__DOT__p_laser, i);
    c->heater_integral[i] = bits64(r->optile_tile__DOT__p_heat, i);
    c->sh_errors[i] = r->optile_tile__DOT__p_sh_err[i];
    c->lock_losses[i] = r->optile_tile__DOT__p_lock_loss[i];
  }
  c->phy_tx_flits = r->optile_tile__DOT__p_tx_flits;
  c->phy_rx_flits = r->optile_tile__DOT__p_rx_flits;
  c->phy_tx_packets = r->optile_tile__DOT__p_tx_pkts;
  c->phy_rx_packets = r->optile_tile__DOT__p_rx_pkts;
  c->phy_bad_packets = r->optile_tile__DOT__p_bad;
  c->phy_replays = r->optile_tile__DOT__p_replays;
  c->phy_replayed_packets = r->optile_tile__DOT__p_replayed;
  c->phy_naks = r->optile_tile__DOT__p_naks;
  c->phy_acks = r->optile_tile__DOT__p_acks;
  c->phy_retrains = r->optile_tile__DOT__p_retrains;
  c->phy_link_downs = r->optile_tile__DOT__p_downs;
  c->phy_idle_entries = r->optile_tile__DOT__p_idles;
  c->phy_rx_errors = r->optile_tile__DOT__p_rx_err;
}

void tile_dut_phy_status(const tile_dut *d, unsigned *state, unsigned *link_up, uint32_t *link_downs) {
  const Vtile___024root *r = d->m->rootp;
  *state = r->optile_tile__DOT__p_state;
  *link_up = r->optile_tile__DOT__p_link_up;
  *link_downs = r->optile_tile__DOT__p_downs;
}

int tile_dut_trace_open(tile_dut *d, const char *path, int fmt, uint64_t from, uint64_t to) {
  if (fmt == TILE_WAVES_VCD) return -EOPNOTSUPP;
  if (fmt != TILE_WAVES_FST || !path) return -EINVAL;
  if (d->fst) return -EBUSY;
  d->fst = new (std::nothrow) VerilatedFstC;
  if (!d->fst) return -ENOMEM;
  d->m->trace(d->fst, 99);
  d->fst->open(path);
  if (!d->fst->isOpen()) {
    delete d->fst;
    d->fst = nullptr;
    return -EIO;
  }
  d->wave_from = from;
  d->wave_to = to;
  return 0;
}

void tile_dut_trace_close(tile_dut *d) {
  if (!d->fst) return;
  d->fst->close();
  delete d->fst;
  d->fst = nullptr;
}

}  // extern "C"
