// Completion writer and interrupt (docs/spec.md section 6.7): the RX and TX
// completion queues, the CQ writer's round-robin choice (section 6.9 step 3),
// the NI's write index and phase, dma_cq_tail (performed completions) and
// interrupt coalescing.

`default_nettype none

module ni_cq #(
  parameter int unsigned CplQ = 4
) (
  input  wire logic         clk_i,
  input  wire logic         rst_ni,
  // ring configuration
  input  wire logic         en_i,
  input  wire logic [63:0]  base_i,
  input  wire logic [4:0]   size_i,
  input  wire logic [15:0]  head_i,        // the host's consumer index
  input  wire logic         ring_rst_i,
  input  wire logic [15:0]  irq_count_i,   // N (0 = 1)
  input  wire logic [15:0]  irq_timer_i,   // T (0 = off)
  output logic      [15:0]  tail_o,        // dma_cq_tail
  // completion queues (index 0 RX, 1 TX)
  input  wire logic         rx_push_i,
  input  wire logic [127:0] rx_data_i,
  output logic              rx_full_o,
  input  wire logic         tx_push_i,
  input  wire logic [127:0] tx_data_i,
  output logic              tx_full_o,
  // completion writes
  output logic              wreq_o,
  output logic      [63:0]  waddr_o,
  output logic      [127:0] wdata_o,
  input  wire logic         wgnt_i,
  input  wire logic         wperf_i,       // a completion write is performed at this edge
  // interrupt: sets intr_state.dma_cpl at the end of this cycle
  output logic              intr_set_o,
  output logic      [31:0]  cnt_cq_full_o
);

  import ni_pkg::*;

  localparam int unsigned QcW = $clog2(CplQ + 1);

  logic [127:0]   rx_front, tx_front;
  logic           rx_empty, tx_empty;
  logic [QcW-1:0] rx_count, tx_count;
  logic           rx_pop, tx_pop;

  ni_fifo #(.Width(128), .Depth(CplQ)) u_rxq (
    .clk_i, .rst_ni,
    .push_i(rx_push_i), .wdata_i(rx_data_i), .pop_i(rx_pop),
    .rdata_o(rx_front), .count_o(rx_count), .full_o(rx_full_o), .empty_o(rx_empty)
  );

  ni_fifo #(.Width(128), .Depth(CplQ)) u_txq (
    .clk_i, .rst_ni,
    .push_i(tx_push_i), .wdata_i(tx_data_i), .pop_i(tx_pop),
    .rdata_o(tx_front), .count_o(tx_count), .full_o(tx_full_o), .empty_o(tx_empty)
  );

  // ---- writer ------------------------------------------------------------------------
  logic [15:0] mask, wr_q, tail_q, wr_next;
  logic        phase_q, ring_full, can, ch_valid, ch_idx;

  assign mask      = 16'((17'd1 << size_i) - 17'd1);
  assign wr_next   = (wr_q + 16'd1) & mask;
  assign ring_full = (wr_next == head_i);
  assign can       = en_i && (size_i != 5'd0) && !ring_full;

  ni_rr_arb #(.N(2)) u_cq_arb (
    .clk_i, .rst_ni,
    .req_i  ({!tx_empty, !rx_empty} & {2{can}}),
    .take_i (wgnt_i),
    .valid_o(ch_valid),
    .idx_o  (ch_idx)
  );

  always_comb begin
    wdata_o = ch_idx ? tx_front : rx_front;
    wdata_o[CplPhaseBit] = phase_q;
  end
  assign wreq_o  = ch_valid;
  assign waddr_o = base_i + {44'd0, wr_q, 4'd0};
  assign rx_pop  = wgnt_i && !ch_idx;
  assign tx_pop  = wgnt_i && ch_idx;

  // ---- interrupt coalescing ------------------------------------------------------------
  // pend_q: performed completions not yet signalled; age_q: edges since the
  // oldest of them was performed (that edge is age 0).
  logic [16:0] pend_q, pend_new;
  logic [15:0] age_q, age_new, n_eff;
  logic        sig;

  assign n_eff    = (irq_count_i == 16'd0) ? 16'd1 : irq_count_i;
  assign pend_new = pend_q + 17'(wperf_i);
  assign age_new  = (pend_q == 17'd0) ? 16'd0 : ((age_q == 16'hffff) ? age_q : age_q + 16'd1);
  assign sig      = (pend_new != 17'd0) &&
                    ((pend_new >= {1'b0, n_eff}) ||
                     ((irq_timer_i != 16'd0) && (age_new >= irq_timer_i)));
  assign intr_set_o = sig;

  logic [31:0] cq_full_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_q      <= '0;
      tail_q    <= '0;
      phase_q   <= 1'b1;
      pend_q    <= '0;
      age_q     <= '0;
      cq_full_q <= '0;
    end else begin
      if (ring_rst_i) begin
        wr_q    <= '0;
        phase_q <= 1'b1;
      end else if (wgnt_i) begin
        wr_q <= wr_next;
        if (wr_next == 16'd0) phase_q <= !phase_q;
      end
      // register write first, then the completion performed at this edge
      if (ring_rst_i)   tail_q <= {15'd0, wperf_i};
      else if (wperf_i) tail_q <= (tail_q + 16'd1) & mask;
      if (sig) begin
        pend_q <= '0;
        age_q  <= '0;
      end else begin
        pend_q <= pend_new;
        age_q  <= age_new;
      end
      if ((!rx_empty || !tx_empty) && en_i && (size_i != 5'd0) && ring_full) begin
        cq_full_q <= cq_full_q + 32'd1;
      end
    end
  end

  assign tail_o        = tail_q;
  assign cnt_cq_full_o = cq_full_q;

  logic unused;
  assign unused = ^{rx_count, tx_count};

endmodule

`default_nettype wire
