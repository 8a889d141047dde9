// Network interface with its DMA engine (docs/spec.md section 6).
//
// Router side (section 5.1; the NI is the router's L port):
//   tx_*_o            -> router in_*[L]            (a flit in the cycle it is sent)
//   tx_credit_*_i     <- router in_credit_*[L]
//   rx_*_i            <- router out_*[L]
//   rx_credit_*_o     -> router out_credit_*[L]     (registered)
// Host memory (section 6.2), see ni_memif for the exact handshake: requests
// are taken unconditionally when valid; read data comes back with
// mem_rdata_valid_i in the cycle whose closing edge performs the read
// (issue cycle + MemLat - 1); writes have no response.
// Registers (section 6.3, rtl/csr/optile_csr.rdl dma_*): each field as a value
// with a one-cycle write strobe (_qe_i); in the strobe cycle the value is the
// one written and it takes effect at the end of that cycle. Outputs: the
// hardware indices, intr_dma_cpl_set_o (sets intr_state.dma_cpl at the end of
// the cycle) and the section 6.8 counters.
// Every output except intr_dma_cpl_set_o is a function of the state alone
// (no combinational path from an input); intr_dma_cpl_set_o also sees a
// dma_irq_coal write of the same cycle.

`default_nettype none

module ni_top #(
  parameter int unsigned FlitW    = 256,
  parameter int unsigned NumVc    = 2,
  parameter int unsigned BufDepth = 4,
  parameter int unsigned MemLat   = 100,
  parameter int unsigned MaxOutRd = 128,
  parameter int unsigned MaxOutWr = 128,
  parameter int unsigned TxFlits  = 128,
  parameter int unsigned TxDescQ  = 4,
  parameter int unsigned RxDescQ  = 4,
  parameter int unsigned CplQ     = 4,
  parameter int unsigned NumRxCtx = 16,
  // derived, do not override
  parameter int unsigned B        = FlitW / 8,
  parameter int unsigned LenW     = $clog2(B + 1),
  parameter int unsigned VcW      = (NumVc > 1) ? $clog2(NumVc) : 1
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic [3:0]       my_chip_i,
  input  wire logic [3:0]       my_x_i,
  input  wire logic [3:0]       my_y_i,

  // router L input (NI transmits)
  output logic                  tx_valid_o,
  output logic      [FlitW-1:0] tx_flit_o,
  output logic                  tx_head_o,
  output logic                  tx_tail_o,
  output logic      [VcW-1:0]   tx_vc_o,
  input  wire logic             tx_credit_valid_i,
  input  wire logic [VcW-1:0]   tx_credit_vc_i,
  // router L output (NI receives)
  input  wire logic             rx_valid_i,
  input  wire logic [FlitW-1:0] rx_flit_i,
  input  wire logic             rx_head_i,
  input  wire logic             rx_tail_i,
  input  wire logic [VcW-1:0]   rx_vc_i,
  output logic                  rx_credit_valid_o,
  output logic      [VcW-1:0]   rx_credit_vc_o,

  // host memory
  output logic                  mem_rd_valid_o,
  output logic      [63:0]      mem_rd_addr_o,
  output logic      [LenW-1:0]  mem_rd_len_o,
  input  wire logic             mem_rdata_valid_i,
  input  wire logic [FlitW-1:0] mem_rdata_i,
  output logic                  mem_wr_valid_o,
  output logic      [63:0]      mem_wr_addr_o,
  output logic      [LenW-1:0]  mem_wr_len_o,
  output logic      [FlitW-1:0] mem_wr_data_o,
  output logic      [B-1:0]     mem_wr_be_o,

  // registers: dma_ctrl, dma_irq_coal
  input  wire logic             dma_ctrl_tx_en_i,
  input  wire logic             dma_ctrl_tx_en_qe_i,
  input  wire logic             dma_ctrl_rx_en_i,
  input  wire logic             dma_ctrl_rx_en_qe_i,
  input  wire logic             dma_ctrl_cq_en_i,
  input  wire logic             dma_ctrl_cq_en_qe_i,
  input  wire logic [15:0]      dma_irq_coal_count_i,
  input  wire logic             dma_irq_coal_count_qe_i,
  input  wire logic [15:0]      dma_irq_coal_timer_i,
  input  wire logic             dma_irq_coal_timer_qe_i,
  // dma_tx
  input  wire logic [31:0]      dma_tx_base_lo_i,
  input  wire logic             dma_tx_base_lo_qe_i,
  input  wire logic [31:0]      dma_tx_base_hi_i,
  input  wire logic             dma_tx_base_hi_qe_i,
  input  wire logic [4:0]       dma_tx_size_i,
  input  wire logic             dma_tx_size_qe_i,
  input  wire logic [15:0]      dma_tx_prod_i,          // dma_tx_tail (doorbell)
  input  wire logic             dma_tx_prod_qe_i,
  output logic      [15:0]      dma_tx_hw_index_o,      // dma_tx_head
  // dma_rx
  input  wire logic [31:0]      dma_rx_base_lo_i,
  input  wire logic             dma_rx_base_lo_qe_i,
  input  wire logic [31:0]      dma_rx_base_hi_i,
  input  wire logic             dma_rx_base_hi_qe_i,
  input  wire logic [4:0]       dma_rx_size_i,
  input  wire logic             dma_rx_size_qe_i,
  input  wire logic [15:0]      dma_rx_prod_i,          // dma_rx_tail (doorbell)
  input  wire logic             dma_rx_prod_qe_i,
  output logic      [15:0]      dma_rx_hw_index_o,      // dma_rx_head
  // dma_cq
  input  wire logic [31:0]      dma_cq_base_lo_i,
  input  wire logic             dma_cq_base_lo_qe_i,
  input  wire logic [31:0]      dma_cq_base_hi_i,
  input  wire logic             dma_cq_base_hi_qe_i,
  input  wire logic [4:0]       dma_cq_size_i,
  input  wire logic             dma_cq_size_qe_i,
  input  wire logic [15:0]      dma_cq_cons_i,          // dma_cq_head
  input  wire logic             dma_cq_cons_qe_i,
  output logic      [15:0]      dma_cq_hw_index_o,      // dma_cq_tail
  // interrupt
  output logic                  intr_dma_cpl_set_o,

  // counters (section 6.8); the dma_stat registers read the err_*, tx_msgs, rx_msgs ones
  output logic      [31:0]      cnt_tx_msgs_o,
  output logic      [31:0]      cnt_tx_pkts_o,
  output logic      [31:0]      cnt_tx_flits_o,
  output logic      [31:0]      cnt_rx_msgs_o,
  output logic      [31:0]      cnt_rx_pkts_o,
  output logic      [31:0]      cnt_rx_flits_o,
  output logic      [31:0]      cnt_rd_reqs_o,
  output logic      [31:0]      cnt_wr_reqs_o,
  output logic      [31:0]      cnt_rd_bytes_o,
  output logic      [31:0]      cnt_wr_bytes_o,
  output logic      [31:0]      cnt_rx_nobuf_o,
  output logic      [31:0]      cnt_cq_full_o,
  output logic      [31:0]      cnt_err_rx_o,
  output logic      [31:0]      cnt_err_rx_noctx_o,
  output logic      [31:0]      cnt_err_ovf_o,
  output logic      [31:0]      cnt_err_credit_o,
  output logic      [31:0]      cnt_err_desc_o,
  output logic      [31:0]      cnt_err_doorbell_o,
  output logic      [31:0]      cnt_err_csr_o
);

  // ---- configuration ------------------------------------------------------------------
  logic        tx_en, rx_en, cq_en, tx_rst, rx_rst, cq_rst;
  logic [15:0] irq_count, irq_timer, tx_tail, rx_tail, cq_head;
  logic [63:0] tx_base, rx_base, cq_base;
  logic [4:0]  tx_size, rx_size, cq_size;

  ni_csr u_csr (
    .clk_i, .rst_ni,
    .tx_en_i(dma_ctrl_tx_en_i), .tx_en_qe_i(dma_ctrl_tx_en_qe_i),
    .rx_en_i(dma_ctrl_rx_en_i), .rx_en_qe_i(dma_ctrl_rx_en_qe_i),
    .cq_en_i(dma_ctrl_cq_en_i), .cq_en_qe_i(dma_ctrl_cq_en_qe_i),
    .irq_count_i(dma_irq_coal_count_i), .irq_count_qe_i(dma_irq_coal_count_qe_i),
    .irq_timer_i(dma_irq_coal_timer_i), .irq_timer_qe_i(dma_irq_coal_timer_qe_i),
    .tx_base_lo_i(dma_tx_base_lo_i), .tx_base_lo_qe_i(dma_tx_base_lo_qe_i),
    .tx_base_hi_i(dma_tx_base_hi_i), .tx_base_hi_qe_i(dma_tx_base_hi_qe_i),
    .tx_size_i(dma_tx_size_i), .tx_size_qe_i(dma_tx_size_qe_i),
    .tx_prod_i(dma_tx_prod_i), .tx_prod_qe_i(dma_tx_prod_qe_i),
    .rx_base_lo_i(dma_rx_base_lo_i), .rx_base_lo_qe_i(dma_rx_base_lo_qe_i),
    .rx_base_hi_i(dma_rx_base_hi_i), .rx_base_hi_qe_i(dma_rx_base_hi_qe_i),
    .rx_size_i(dma_rx_size_i), .rx_size_qe_i(dma_rx_size_qe_i),
    .rx_prod_i(dma_rx_prod_i), .rx_prod_qe_i(dma_rx_prod_qe_i),
    .cq_base_lo_i(dma_cq_base_lo_i), .cq_base_lo_qe_i(dma_cq_base_lo_qe_i),
    .cq_base_hi_i(dma_cq_base_hi_i), .cq_base_hi_qe_i(dma_cq_base_hi_qe_i),
    .cq_size_i(dma_cq_size_i), .cq_size_qe_i(dma_cq_size_qe_i),
    .cq_cons_i(dma_cq_cons_i), .cq_cons_qe_i(dma_cq_cons_qe_i),
    .tx_en_o(tx_en), .rx_en_o(rx_en), .cq_en_o(cq_en),
    .irq_count_o(irq_count), .irq_timer_o(irq_timer),
    .tx_base_o(tx_base), .tx_size_o(tx_size), .tx_tail_o(tx_tail), .tx_rst_o(tx_rst),
    .rx_base_o(rx_base), .rx_size_o(rx_size), .rx_tail_o(rx_tail), .rx_rst_o(rx_rst),
    .cq_base_o(cq_base), .cq_size_o(cq_size), .cq_head_o(cq_head), .cq_rst_o(cq_rst),
    .cnt_err_csr_o, .cnt_err_doorbell_o
  );

  // ---- memory channels ------------------------------------------------------------------
  logic             rxd_req, rxd_gnt, txd_req, txd_gnt, txp_req, txp_gnt;
  logic [63:0]      rxd_addr, txd_addr, txp_addr;
  logic [LenW-1:0]  txp_len;
  logic             rxd_done, txd_done, txp_done;
  logic [FlitW-1:0] rd_data;
  logic             cqw_req, cqw_gnt, rxw_req, rxw_gnt, cqw_perf;
  logic [63:0]      cqw_addr, rxw_addr;
  logic [127:0]     cqw_data;
  logic [LenW-1:0]  rxw_len;
  logic [FlitW-1:0] rxw_data;

  ni_memif #(
    .FlitW(FlitW), .MemLat(MemLat), .MaxOutRd(MaxOutRd), .MaxOutWr(MaxOutWr)
  ) u_memif (
    .clk_i, .rst_ni,
    .rxd_req_i(rxd_req), .rxd_addr_i(rxd_addr), .rxd_gnt_o(rxd_gnt),
    .txd_req_i(txd_req), .txd_addr_i(txd_addr), .txd_gnt_o(txd_gnt),
    .txp_req_i(txp_req), .txp_addr_i(txp_addr), .txp_len_i(txp_len), .txp_gnt_o(txp_gnt),
    .rxd_done_o(rxd_done), .txd_done_o(txd_done), .txp_done_o(txp_done), .rd_data_o(rd_data),
    .cqw_req_i(cqw_req), .cqw_addr_i(cqw_addr), .cqw_data_i(cqw_data), .cqw_gnt_o(cqw_gnt),
    .rxw_req_i(rxw_req), .rxw_addr_i(rxw_addr), .rxw_len_i(rxw_len), .rxw_data_i(rxw_data),
    .rxw_gnt_o(rxw_gnt),
    .cqw_perf_o(cqw_perf),
    .mem_rd_valid_o, .mem_rd_addr_o, .mem_rd_len_o, .mem_rdata_valid_i, .mem_rdata_i,
    .mem_wr_valid_o, .mem_wr_addr_o, .mem_wr_len_o, .mem_wr_data_o, .mem_wr_be_o,
    .cnt_rd_reqs_o, .cnt_rd_bytes_o, .cnt_wr_reqs_o, .cnt_wr_bytes_o
  );

  // ---- transmit -----------------------------------------------------------------------
  logic         txc_full, txc_push, rxc_full, rxc_push;
  logic [127:0] txc_data, rxc_data;

  ni_tx #(
    .FlitW(FlitW), .NumVc(NumVc), .BufDepth(BufDepth), .TxFlits(TxFlits), .TxDescQ(TxDescQ)
  ) u_tx (
    .clk_i, .rst_ni,
    .en_i(tx_en), .base_i(tx_base), .size_i(tx_size), .tail_i(tx_tail), .ring_rst_i(tx_rst),
    .head_o(dma_tx_hw_index_o),
    .my_chip_i, .my_x_i, .my_y_i,
    .dreq_o(txd_req), .daddr_o(txd_addr), .dgnt_i(txd_gnt),
    .preq_o(txp_req), .paddr_o(txp_addr), .plen_o(txp_len), .pgnt_i(txp_gnt),
    .ddone_i(txd_done), .pdone_i(txp_done), .rdata_i(rd_data),
    .tx_valid_o, .tx_flit_o, .tx_head_o, .tx_tail_o, .tx_vc_o,
    .credit_valid_i(tx_credit_valid_i), .credit_vc_i(tx_credit_vc_i),
    .cpl_full_i(txc_full), .cpl_push_o(txc_push), .cpl_data_o(txc_data),
    .cnt_tx_msgs_o, .cnt_tx_pkts_o, .cnt_tx_flits_o, .cnt_err_desc_o, .cnt_err_credit_o
  );

  // ---- receive ------------------------------------------------------------------------
  ni_rx #(
    .FlitW(FlitW), .NumVc(NumVc), .BufDepth(BufDepth), .RxDescQ(RxDescQ), .NumRxCtx(NumRxCtx)
  ) u_rx (
    .clk_i, .rst_ni,
    .en_i(rx_en), .base_i(rx_base), .size_i(rx_size), .tail_i(rx_tail), .ring_rst_i(rx_rst),
    .head_o(dma_rx_hw_index_o),
    .dreq_o(rxd_req), .daddr_o(rxd_addr), .dgnt_i(rxd_gnt),
    .ddone_i(rxd_done), .rdata_i(rd_data[127:0]),
    .rx_valid_i, .rx_flit_i, .rx_head_i, .rx_tail_i, .rx_vc_i,
    .rx_credit_valid_o, .rx_credit_vc_o,
    .wreq_o(rxw_req), .waddr_o(rxw_addr), .wlen_o(rxw_len), .wdata_o(rxw_data),
    .wgnt_i(rxw_gnt),
    .cpl_full_i(rxc_full), .cpl_push_o(rxc_push), .cpl_data_o(rxc_data),
    .cnt_rx_msgs_o, .cnt_rx_pkts_o, .cnt_rx_flits_o, .cnt_rx_nobuf_o,
    .cnt_err_rx_o, .cnt_err_rx_noctx_o, .cnt_err_ovf_o
  );

  // ---- completions and interrupt ------------------------------------------------------------
  ni_cq #(.CplQ(CplQ)) u_cq (
    .clk_i, .rst_ni,
    .en_i(cq_en), .base_i(cq_base), .size_i(cq_size), .head_i(cq_head), .ring_rst_i(cq_rst),
    .irq_count_i(irq_count), .irq_timer_i(irq_timer),
    .tail_o(dma_cq_hw_index_o),
    .rx_push_i(rxc_push), .rx_data_i(rxc_data), .rx_full_o(rxc_full),
    .tx_push_i(txc_push), .tx_data_i(txc_data), .tx_full_o(txc_full),
    .wreq_o(cqw_req), .waddr_o(cqw_addr), .wdata_o(cqw_data), .wgnt_i(cqw_gnt),
    .wperf_i(cqw_perf),
    .intr_set_o(intr_dma_cpl_set_o),
    .cnt_cq_full_o
  );

endmodule

`default_nettype wire
