// Thin Verilator glue for ni_top: an opaque handle, pin copies, register
// strobes. Two models share it (Vni: MemLat 100, Vni_lat1: MemLat 1).
#include "ni/ni_dut.h"

#include <cstring>
#include <new>

#include "Vni.h"
#include "Vni_lat1.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace {

void wide_to_bytes(const uint32_t *w, uint8_t *b) {
  for (int i = 0; i < NI_DUT_B; i++) b[i] = static_cast<uint8_t>(w[i / 4] >> (8 * (i % 4)));
}

void bytes_to_wide(const uint8_t *b, uint32_t *w) {
  for (int i = 0; i < NI_DUT_B / 4; i++) {
    w[i] = b[4 * i] | (uint32_t(b[4 * i + 1]) << 8) | (uint32_t(b[4 * i + 2]) << 16) |
           (uint32_t(b[4 * i + 3]) << 24);
  }
}

}  // namespace

struct ni_dut {
  VerilatedContext ctx;
  VerilatedFstC *tfp = nullptr;
  struct ni_dut_in in {};
  struct ni_dut_out out {};
  uint64_t cycles = 0;
  unsigned memlat = 0;
  virtual ~ni_dut() {}
  virtual void eval() = 0;
  virtual void clock() = 0;
  virtual void reset(unsigned n) = 0;
  virtual void reg_write(enum ni_reg r, uint32_t v) = 0;
  virtual uint32_t counter(enum ni_cnt c) const = 0;
  virtual void trace(VerilatedFstC *t) = 0;
};

namespace {

template <class M>
struct dut_impl : ni_dut {
  M *m;

  dut_impl(unsigned lat, unsigned chip, unsigned x, unsigned y) {
    memlat = lat;
    ctx.traceEverOn(true);
    m = new M(&ctx, "ni_top");
    m->my_chip_i = chip & 15u;
    m->my_x_i = x & 15u;
    m->my_y_i = y & 15u;
    m->clk_i = 0;
    m->rst_ni = 1;
    m->eval();
  }

  ~dut_impl() override {
    if (tfp) {
      tfp->close();
      delete tfp;
    }
    m->final();
    delete m;
  }

  void clear_strobes() {
    m->dma_ctrl_tx_en_qe_i = 0;
    m->dma_ctrl_rx_en_qe_i = 0;
    m->dma_ctrl_cq_en_qe_i = 0;
    m->dma_irq_coal_count_qe_i = 0;
    m->dma_irq_coal_timer_qe_i = 0;
    m->dma_tx_base_lo_qe_i = 0;
    m->dma_tx_base_hi_qe_i = 0;
    m->dma_tx_size_qe_i = 0;
    m->dma_tx_prod_qe_i = 0;
    m->dma_rx_base_lo_qe_i = 0;
    m->dma_rx_base_hi_qe_i = 0;
    m->dma_rx_size_qe_i = 0;
    m->dma_rx_prod_qe_i = 0;
    m->dma_cq_base_lo_qe_i = 0;
    m->dma_cq_base_hi_qe_i = 0;
    m->dma_cq_size_qe_i = 0;
    m->dma_cq_cons_qe_i = 0;
  }

  void reg_write(enum ni_reg r, uint32_t v) override {
    switch (r) {
      case NI_REG_CTRL:
        m->dma_ctrl_tx_en_i = v & 1u;
        m->dma_ctrl_rx_en_i = (v >> 1) & 1u;
        m->dma_ctrl_cq_en_i = (v >> 2) & 1u;
        m->dma_ctrl_tx_en_qe_i = m->dma_ctrl_rx_en_qe_i = m->dma_ctrl_cq_en_qe_i = 1;
        break;
      case NI_REG_IRQ_COAL:
        m->dma_irq_coal_count_i = v & 0xffffu;
        m->dma_irq_coal_timer_i = v >> 16;
        m->dma_irq_coal_count_qe_i = m->dma_irq_coal_timer_qe_i = 1;
        break;
      case NI_REG_TX_BASE_LO: m->dma_tx_base_lo_i = v; m->dma_tx_base_lo_qe_i = 1; break;
      case NI_REG_TX_BASE_HI: m->dma_tx_base_hi_i = v; m->dma_tx_base_hi_qe_i = 1; break;
      case NI_REG_TX_SIZE: m->dma_tx_size_i = v & 31u; m->dma_tx_size_qe_i = 1; break;
      case NI_REG_TX_TAIL: m->dma_tx_prod_i = v & 0xffffu; m->dma_tx_prod_qe_i = 1; break;
      case NI_REG_RX_BASE_LO: m->dma_rx_base_lo_i = v; m->dma_rx_base_lo_qe_i = 1; break;
      case NI_REG_RX_BASE_HI: m->dma_rx_base_hi_i = v; m->dma_rx_base_hi_qe_i = 1; break;
      case NI_REG_RX_SIZE: m->dma_rx_size_i = v & 31u; m->dma_rx_size_qe_i = 1; break;
      case NI_REG_RX_TAIL: m->dma_rx_prod_i = v & 0xffffu; m->dma_rx_prod_qe_i = 1; break;
      case NI_REG_CQ_BASE_LO: m->dma_cq_base_lo_i = v; m->dma_cq_base_lo_qe_i = 1; break;
      case NI_REG_CQ_BASE_HI: m->dma_cq_base_hi_i = v; m->dma_cq_base_hi_qe_i = 1; break;
      case NI_REG_CQ_SIZE: m->dma_cq_size_i = v & 31u; m->dma_cq_size_qe_i = 1; break;
      case NI_REG_CQ_HEAD: m->dma_cq_cons_i = v & 0xffffu; m->dma_cq_cons_qe_i = 1; break;
      default: break;
    }
  }

  void eval() override {
    m->clk_i = 0;
    m->eval();
    out.tx_valid = m->tx_valid_o;
    out.tx_head = m->tx_head_o;
    out.tx_tail = m->tx_tail_o;
    out.tx_vc = m->tx_vc_o;
    if (m->tx_valid_o) wide_to_bytes(m->tx_flit_o.data(), out.tx_flit);
    else std::memset(out.tx_flit, 0, sizeof out.tx_flit);
    out.rx_credit_valid = m->rx_credit_valid_o;
    out.rx_credit_vc = m->rx_credit_vc_o;
    out.mem_rd_valid = m->mem_rd_valid_o;
    out.mem_rd_addr = m->mem_rd_addr_o;
    out.mem_rd_len = m->mem_rd_len_o;
    out.mem_wr_valid = m->mem_wr_valid_o;
    out.mem_wr_addr = m->mem_wr_addr_o;
    out.mem_wr_len = m->mem_wr_len_o;
    out.mem_wr_be = m->mem_wr_be_o;
    if (m->mem_wr_valid_o) wide_to_bytes(m->mem_wr_data_o.data(), out.mem_wr_data);
    out.intr_set = m->intr_dma_cpl_set_o;
    out.dma_tx_head = m->dma_tx_hw_index_o;
    out.dma_rx_head = m->dma_rx_hw_index_o;
    out.dma_cq_tail = m->dma_cq_hw_index_o;
  }

  void clock() override {
    m->rx_valid_i = in.rx_valid;
    m->rx_head_i = in.rx_head;
    m->rx_tail_i = in.rx_tail;
    m->rx_vc_i = in.rx_vc;
    bytes_to_wide(in.rx_flit, m->rx_flit_i.data());
    m->tx_credit_valid_i = in.tx_credit_valid;
    m->tx_credit_vc_i = in.tx_credit_vc;
    m->mem_rdata_valid_i = in.mem_rdata_valid;
    bytes_to_wide(in.mem_rdata, m->mem_rdata_i.data());
    if (tfp) {
      // settle this cycle's inputs for the dump; eval() itself does not need it
      m->eval();
      tfp->dump(2 * cycles);
    }
    m->clk_i = 1;
    m->eval();
    if (tfp) tfp->dump(2 * cycles + 1);
    clear_strobes();
    cycles++;
  }

  void reset(unsigned n) override {
    clear_strobes();
    std::memset(&in, 0, sizeof in);
    m->rst_ni = 0;
    for (unsigned i = 0; i < n; i++) {
      eval();
      clock();
    }
    m->rst_ni = 1;
    cycles = 0;
  }

  uint32_t counter(enum ni_cnt c) const override {
    switch (c) {
      case NI_CNT_TX_MSGS: return m->cnt_tx_msgs_o;
      case NI_CNT_TX_PKTS: return m->cnt_tx_pkts_o;
      case NI_CNT_TX_FLITS: return m->cnt_tx_flits_o;
      case NI_CNT_RX_MSGS: return m->cnt_rx_msgs_o;
      case NI_CNT_RX_PKTS: return m->cnt_rx_pkts_o;
      case NI_CNT_RX_FLITS: return m->cnt_rx_flits_o;
      case NI_CNT_RD_REQS: return m->cnt_rd_reqs_o;
      case NI_CNT_WR_REQS: return m->cnt_wr_reqs_o;
      case NI_CNT_RD_BYTES: return m->cnt_rd_bytes_o;
      case NI_CNT_WR_BYTES: return m->cnt_wr_bytes_o;
      case NI_CNT_RX_NOBUF: return m->cnt_rx_nobuf_o;
      case NI_CNT_CQ_FULL: return m->cnt_cq_full_o;
      case NI_CNT_ERR_RX: return m->cnt_err_rx_o;
      case NI_CNT_ERR_RX_NOCTX: return m->cnt_err_rx_noctx_o;
      case NI_CNT_ERR_OVF: return m->cnt_err_ovf_o;
      case NI_CNT_ERR_CREDIT: return m->cnt_err_credit_o;
      case NI_CNT_ERR_DESC: return m->cnt_err_desc_o;
      case NI_CNT_ERR_DOORBELL: return m->cnt_err_doorbell_o;
      case NI_CNT_ERR_CSR: return m->cnt_err_csr_o;
      default: return 0;
    }
  }

  void trace(VerilatedFstC *t) override { m->trace(t, 99); }
};

}  // namespace

extern "C" {

ni_dut *ni_dut_new(unsigned memlat, unsigned chip, unsigned x, unsigned y) {
  ni_dut *d = nullptr;
  if (memlat == 100) d = new (std::nothrow) dut_impl<Vni>(memlat, chip, x, y);
  else if (memlat == 1) d = new (std::nothrow) dut_impl<Vni_lat1>(memlat, chip, x, y);
  return d;
}

void ni_dut_free(ni_dut *d) { delete d; }

unsigned ni_dut_memlat(const ni_dut *d) { return d->memlat; }

void ni_dut_reset(ni_dut *d, unsigned cycles) { d->reset(cycles); }

void ni_dut_reg_write(ni_dut *d, enum ni_reg reg, uint32_t value) { d->reg_write(reg, value); }

void ni_dut_eval(ni_dut *d) { d->eval(); }

struct ni_dut_in *ni_dut_in(ni_dut *d) { return &d->in; }

const struct ni_dut_out *ni_dut_out(const ni_dut *d) { return &d->out; }

void ni_dut_clock(ni_dut *d) { d->clock(); }

uint32_t ni_dut_counter(const ni_dut *d, enum ni_cnt c) { return d->counter(c); }

const char *ni_dut_counter_name(enum ni_cnt c) {
  static const char *const names[NI_CNT_COUNT] = {
      "tx_msgs", "tx_pkts", "tx_flits", "rx_msgs", "rx_pkts", "rx_flits",
      "rd_reqs", "wr_reqs", "rd_bytes", "wr_bytes", "cnt_rx_nobuf", "cnt_cq_full",
      "err_rx", "err_rx_noctx", "err_ovf", "err_credit", "err_desc", "err_doorbell", "err_csr"};
  return (c >= 0 && c < NI_CNT_COUNT) ? names[c] : "?";
}

uint64_t ni_dut_cycles(const ni_dut *d) { return d->cycles; }

int ni_dut_trace_open(ni_dut *d, const char *path) {
  if (d->tfp) return -1;
  d->tfp = new (std::nothrow) VerilatedFstC;
  if (!d->tfp) return -1;
  d->trace(d->tfp);
  d->tfp->open(path);
  if (!d->tfp->isOpen()) {
    delete d->tfp;
    d->tfp = nullptr;
    return -1;
  }
  return 0;
}

void ni_dut_trace_close(ni_dut *d) {
  if (!d->tfp) return;
  d->tfp->close();
  delete d->tfp;
  d->tfp = nullptr;
}

}  // extern "C"
