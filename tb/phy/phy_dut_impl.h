// Thin Verilator glue for optile_phy, shared by every Verilated variant of
// the PHY (the default model Vphy and test-only builds such as Vphydrop):
// the C handle is an abstract base, each model a template instance.
#ifndef OPTILE_TB_PHY_DUT_IMPL_H
#define OPTILE_TB_PHY_DUT_IMPL_H

#include <cstdint>
#include <new>

#include "phy/phy_dut.h"
#include "verilated.h"
#include "verilated_fst_c.h"

struct phy_dut {
  struct phy_dut_in in {};
  struct phy_dut_out out {};
  uint64_t cycles = 0;
  virtual ~phy_dut() = default;
  virtual void eval() = 0;   // inputs -> design, evaluate, refresh outputs
  virtual void clock() = 0;  // one rising edge, refresh outputs
  virtual void set_rst_n(int v) = 0;
  virtual void counters(struct phy_dut_counters *c) const = 0;
  virtual int trace_open(const char *path) = 0;
  virtual void trace_close() = 0;
};

namespace phy_glue {

// `width` (<= 32) bits from bit `lsb` of a wide Verilator vector.
template <typename W>
uint32_t bits(const W &w, unsigned lsb, unsigned width) {
  unsigned word = lsb / 32, off = lsb % 32;
  uint64_t v = w[word] >> off;
  if (off + width > 32) v |= static_cast<uint64_t>(w[word + 1]) << (32 - off);
  return static_cast<uint32_t>(v & ((width == 32) ? 0xffffffffull : ((1ull << width) - 1)));
}

template <typename W>
void set_bits(W &w, unsigned lsb, unsigned width, uint32_t value) {
  for (unsigned i = 0; i < width; i++) {
    unsigned b = lsb + i;
    if ((value >> i) & 1u) w[b / 32] |= (1u << (b % 32));
    else w[b / 32] &= ~(1u << (b % 32));
  }
}

template <typename W>
uint64_t bits64(const W &w, unsigned lane) {
  return static_cast<uint64_t>(w[2 * lane]) | (static_cast<uint64_t>(w[2 * lane + 1]) << 32);
}

template <class M>
struct dut final : phy_dut {
  VerilatedContext ctx;
  M *m = nullptr;
  VerilatedFstC *fst = nullptr;

  ~dut() override {
    trace_close();
    if (m) {
      m->final();
      delete m;
    }
  }

  void refresh() {
    struct phy_dut_out &o = out;
    o.tx_ready = m->tx_ready_o;
    o.rx_valid = m->rx_valid_o;
    for (unsigned j = 0; j < PHY_DUT_FLIT_WORDS; j++) o.rx_flit[j] = m->rx_flit_o[j];
    o.rx_side = m->rx_side_o;
    for (unsigned i = 0; i < PHY_DUT_LANES; i++) {
      o.lane_tx[i] = m->lane_tx_o[i];
      o.lane_heater[i] = static_cast<uint16_t>(bits(m->lane_heater_o, 12 * i, 12));
      o.lane_power[i] = static_cast<uint16_t>(bits(m->lane_power_o, 12 * i, 12));
    }
    o.lane_laser_on = m->lane_laser_on_o;
    o.state = m->state_o;
    o.link_up = m->link_up_o;
    o.lane_lock = m->lane_lock_o;
    o.lane_deskew = m->lane_deskew_o;
    o.active_mask = m->active_mask_o;
    o.train_phase = m->train_phase_o;
  }

  void eval() override {
    m->tx_valid_i = in.tx_valid ? 1 : 0;
    for (unsigned j = 0; j < PHY_DUT_FLIT_WORDS; j++) m->tx_flit_i[j] = in.tx_flit[j];
    m->tx_side_i = in.tx_side & ((1u << PHY_DUT_SIDE_W) - 1);
    m->rx_ready_i = in.rx_ready ? 1 : 0;
    for (unsigned i = 0; i < PHY_DUT_LANES; i++) {
      m->lane_rx_i[i] = in.lane_rx[i];
      set_bits(m->lane_rx_power_i, 12 * i, 12, in.lane_rx_power[i]);
      set_bits(m->heater_code_i, 12 * i, 12, in.heater_code[i]);
    }
    m->enable_i = in.enable ? 1 : 0;
    m->rings_locked_i = in.rings_locked ? 1 : 0;
    m->retrain_i = in.retrain ? 1 : 0;
    m->lane_mask_i = in.lane_mask & ((1u << PHY_DUT_LANES) - 1);
    m->am_period_i = in.am_period & 0xffff;
    m->idle_timeout_i = in.idle_timeout;
    m->laser_settle_i = in.laser_settle & 0xffff;
    m->replay_timeout_i = in.replay_timeout & 0xffff;
    m->replay_limit_i = in.replay_limit & 0xff;
    m->train_timeout_i = in.train_timeout;
    m->clk_i = 0;
    m->eval();
    if (fst) fst->dump(2 * cycles);
    refresh();
  }

  void clock() override {
    m->clk_i = 1;
    m->eval();
    if (fst) fst->dump(2 * cycles + 1);
    m->clk_i = 0;
    m->eval();
    cycles++;
    in.retrain = 0;
    refresh();
  }

  void set_rst_n(int v) override { m->rst_ni = v ? 1 : 0; }

  void counters(struct phy_dut_counters *c) const override {
    for (unsigned i = 0; i < PHY_DUT_LANES; i++) {
      c->lane_heater[i] = static_cast<uint16_t>(bits(m->lane_heater_o, 12 * i, 12));
      c->lane_power[i] = static_cast<uint16_t>(bits(m->lane_power_o, 12 * i, 12));
      c->bits_sent[i] = bits64(m->bits_sent_o, i);
      c->laser_cycles[i] = bits64(m->laser_cycles_o, i);
      c->heater_integral[i] = bits64(m->heater_integral_o, i);
      c->sh_errors[i] = m->sh_errors_o[i];
      c->lock_losses[i] = m->lock_losses_o[i];
    }
    c->tx_flits = m->tx_flits_o;
    c->rx_flits = m->rx_flits_o;
    c->tx_packets = m->tx_packets_o;
    c->rx_packets = m->rx_packets_o;
    c->bad_packets = m->bad_packets_o;
    c->replays = m->replays_o;
    c->replayed_packets = m->replayed_packets_o;
    c->naks_sent = m->naks_sent_o;
    c->acks_sent = m->acks_sent_o;
    c->retrains = m->retrains_o;
    c->link_downs = m->link_downs_o;
    c->idle_entries = m->idle_entries_o;
    c->rx_errors = m->rx_errors_o;
  }

  int trace_open(const char *path) override {
    if (fst) return 0;
    fst = new (std::nothrow) VerilatedFstC;
    if (!fst) return -1;
    m->trace(fst, 99);
    fst->open(path);
    if (!fst->isOpen()) {
      delete fst;
      fst = nullptr;
      return -1;
    }
    return 0;
  }

  void trace_close() override {
    if (!fst) return;
    fst->close();
    delete fst;
    fst = nullptr;
  }
};

// A new handle of model M with the reset/default inputs of spec 4.2.
template <class M>
phy_dut *make(const char *name) {
  dut<M> *d = new (std::nothrow) dut<M>();
  if (!d) return nullptr;
  d->ctx.traceEverOn(true);
  d->m = new (std::nothrow) M(&d->ctx, name);
  if (!d->m) {
    delete d;
    return nullptr;
  }
  struct phy_dut_in &in = d->in;
  in.lane_mask = (1u << PHY_DUT_LANES) - 1;
  in.am_period = 4096;
  in.laser_settle = 100;
  in.replay_timeout = 2048;
  in.replay_limit = 8;
  in.train_timeout = 1048576;
  d->m->clk_i = 0;
  d->m->rst_ni = 1;
  d->eval();
  return d;
}

}  // namespace phy_glue

#endif
