// The NI's copy of its dma_* registers (docs/spec.md section 6.3). Every
// field arrives as a value with a one-cycle write strobe (qe); in the strobe
// cycle the value is the one being written, and the write takes effect at the
// end of that cycle. Also counts err_csr and err_doorbell (section 6.8).

`default_nettype none

module ni_csr (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  // dma_ctrl
  input  wire logic        tx_en_i,
  input  wire logic        tx_en_qe_i,
  input  wire logic        rx_en_i,
  input  wire logic        rx_en_qe_i,
  input  wire logic        cq_en_i,
  input  wire logic        cq_en_qe_i,
  // dma_irq_coal
  input  wire logic [15:0] irq_count_i,
  input  wire logic        irq_count_qe_i,
  input  wire logic [15:0] irq_timer_i,
  input  wire logic        irq_timer_qe_i,
  // dma_tx
  input  wire logic [31:0] tx_base_lo_i,
  input  wire logic        tx_base_lo_qe_i,
  input  wire logic [31:0] tx_base_hi_i,
  input  wire logic        tx_base_hi_qe_i,
  input  wire logic [4:0]  tx_size_i,
  input  wire logic        tx_size_qe_i,
  input  wire logic [15:0] tx_prod_i,
  input  wire logic        tx_prod_qe_i,
  // dma_rx
  input  wire logic [31:0] rx_base_lo_i,
  input  wire logic        rx_base_lo_qe_i,
  input  wire logic [31:0] rx_base_hi_i,
  input  wire logic        rx_base_hi_qe_i,
  input  wire logic [4:0]  rx_size_i,
  input  wire logic        rx_size_qe_i,
  input  wire logic [15:0] rx_prod_i,
  input  wire logic        rx_prod_qe_i,
  // dma_cq
  input  wire logic [31:0] cq_base_lo_i,
  input  wire logic        cq_base_lo_qe_i,
  input  wire logic [31:0] cq_base_hi_i,
  input  wire logic        cq_base_hi_qe_i,
  input  wire logic [4:0]  cq_size_i,
  input  wire logic        cq_size_qe_i,
  input  wire logic [15:0] cq_cons_i,
  input  wire logic        cq_cons_qe_i,
  // to the datapath
  output logic             tx_en_o,
  output logic             rx_en_o,
  output logic             cq_en_o,
  output logic      [15:0] irq_count_o,   // values in effect at the end of this cycle
  output logic      [15:0] irq_timer_o,
  output logic      [63:0] tx_base_o,
  output logic      [4:0]  tx_size_o,
  output logic      [15:0] tx_tail_o,
  output logic             tx_rst_o,
  output logic      [63:0] rx_base_o,
  output logic      [4:0]  rx_size_o,
  output logic      [15:0] rx_tail_o,
  output logic             rx_rst_o,
  output logic      [63:0] cq_base_o,
  output logic      [4:0]  cq_size_o,
  output logic      [15:0] cq_head_o,
  output logic             cq_rst_o,
  // counters
  output logic      [31:0] cnt_err_csr_o,
  output logic      [31:0] cnt_err_doorbell_o
);

  logic        tx_en_q, rx_en_q, cq_en_q;
  logic [15:0] irq_count_q, irq_timer_q;
  logic [31:0] err_csr_q, err_db_q;
  logic [2:0]  ecsr, edb;

  ni_ring_cfg u_tx (
    .clk_i, .rst_ni, .en_i(tx_en_q),
    .base_lo_i(tx_base_lo_i), .base_lo_qe_i(tx_base_lo_qe_i),
    .base_hi_i(tx_base_hi_i), .base_hi_qe_i(tx_base_hi_qe_i),
    .size_i(tx_size_i), .size_qe_i(tx_size_qe_i),
    .idx_i(tx_prod_i), .idx_qe_i(tx_prod_qe_i),
    .base_o(tx_base_o), .size_o(tx_size_o), .idx_o(tx_tail_o), .rst_o(tx_rst_o),
    .err_csr_o(ecsr[0]), .err_db_o(edb[0])
  );

  ni_ring_cfg u_rx (
    .clk_i, .rst_ni, .en_i(rx_en_q),
    .base_lo_i(rx_base_lo_i), .base_lo_qe_i(rx_base_lo_qe_i),
    .base_hi_i(rx_base_hi_i), .base_hi_qe_i(rx_base_hi_qe_i),
    .size_i(rx_size_i), .size_qe_i(rx_size_qe_i),
    .idx_i(rx_prod_i), .idx_qe_i(rx_prod_qe_i),
    .base_o(rx_base_o), .size_o(rx_size_o), .idx_o(rx_tail_o), .rst_o(rx_rst_o),
    .err_csr_o(ecsr[1]), .err_db_o(edb[1])
  );

  ni_ring_cfg u_cq (
    .clk_i, .rst_ni, .en_i(cq_en_q),
    .base_lo_i(cq_base_lo_i), .base_lo_qe_i(cq_base_lo_qe_i),
    .base_hi_i(cq_base_hi_i), .base_hi_qe_i(cq_base_hi_qe_i),
    .size_i(cq_size_i), .size_qe_i(cq_size_qe_i),
    .idx_i(cq_cons_i), .idx_qe_i(cq_cons_qe_i),
    .base_o(cq_base_o), .size_o(cq_size_o), .idx_o(cq_head_o), .rst_o(cq_rst_o),
    .err_csr_o(ecsr[2]), .err_db_o(edb[2])
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tx_en_q     <= 1'b0;
      rx_en_q     <= 1'b0;
      cq_en_q     <= 1'b0;
      irq_count_q <= '0;
      irq_timer_q <= '0;
      err_csr_q   <= '0;
      err_db_q    <= '0;
    end else begin
      if (tx_en_qe_i)     tx_en_q     <= tx_en_i;
      if (rx_en_qe_i)     rx_en_q     <= rx_en_i;
      if (cq_en_qe_i)     cq_en_q     <= cq_en_i;
      if (irq_count_qe_i) irq_count_q <= irq_count_i;
      if (irq_timer_qe_i) irq_timer_q <= irq_timer_i;
      err_csr_q <= err_csr_q + 32'(ecsr[0]) + 32'(ecsr[1]) + 32'(ecsr[2]);
      err_db_q  <= err_db_q + 32'(edb[0]) + 32'(edb[1]) + 32'(edb[2]);
    end
  end

  assign tx_en_o = tx_en_q;
  assign rx_en_o = rx_en_q;
  assign cq_en_o = cq_en_q;
  // Section 6.9: register writes take effect at the edge before the requests
  // due at that edge are performed, so the interrupt decision of this edge
  // (made when a completion write is performed) sees a value written now.
  assign irq_count_o = irq_count_qe_i ? irq_count_i : irq_count_q;
  assign irq_timer_o = irq_timer_qe_i ? irq_timer_i : irq_timer_q;
  assign cnt_err_csr_o      = err_csr_q;
  assign cnt_err_doorbell_o = err_db_q;

endmodule

`default_nettype wire
