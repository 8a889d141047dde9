// X-port adapter (docs/spec.md section 5.9): between the router's X port
// (flits with credits) and the PHY shim's router-side interface (valid/ready
// with a 4-bit opaque sideband: bit 0 head, bit 1 tail, bits 3:2 VC).
//
// Transmit: the router's X output is appended to txq (NumVc*BufDepth flits);
// txq's front is offered to the PHY; a transfer pops it and returns a credit
// for its VC to the router in the next cycle (a register).
// Receive: PHY flits are appended to rxq (RxQDepth flits); rxq's front goes
// to the router's X input when the adapter holds a credit for its VC
// (head-of-line: it blocks the flits behind it until then).
//
// Every output is a function of registers only.

`default_nettype none

module noc_x_adapter #(
  parameter int unsigned FlitW    = 256,
  parameter int unsigned NumVc    = 2,
  parameter int unsigned BufDepth = 4,
  parameter int unsigned RxQDepth = 4,
  // derived; do not override
  parameter int unsigned VcW      = (NumVc > 1) ? $clog2(NumVc) : 1,
  parameter int unsigned CntW     = 32   // counter width (section 5.8)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // router X output -> adapter
  input  wire logic             rt_out_valid_i,
  input  wire logic [FlitW-1:0] rt_out_flit_i,
  input  wire logic             rt_out_head_i,
  input  wire logic             rt_out_tail_i,
  input  wire logic [VcW-1:0]   rt_out_vc_i,
  output logic                  rt_out_credit_valid_o,
  output logic      [VcW-1:0]   rt_out_credit_vc_o,
  // adapter -> router X input
  output logic                  rt_in_valid_o,
  output logic      [FlitW-1:0] rt_in_flit_o,
  output logic                  rt_in_head_o,
  output logic                  rt_in_tail_o,
  output logic      [VcW-1:0]   rt_in_vc_o,
  input  wire logic             rt_in_credit_valid_i,
  input  wire logic [VcW-1:0]   rt_in_credit_vc_i,
  // PHY shim, router side (section 4.2; directions seen from the adapter)
  output logic                  tx_valid_o,
  input  wire logic             tx_ready_i,
  output logic      [FlitW-1:0] tx_flit_o,
  output logic      [3:0]       tx_side_o,
  input  wire logic             rx_valid_i,
  output logic                  rx_ready_o,
  input  wire logic [FlitW-1:0] rx_flit_i,
  input  wire logic [3:0]       rx_side_i,
  // counters
  output logic      [CntW-1:0]  cnt_tx_flits_o,
  output logic      [CntW-1:0]  cnt_rx_flits_o,
  output logic      [CntW-1:0]  cnt_rx_stall_o,
  output logic      [CntW-1:0]  cnt_err_o
);

  localparam int unsigned EntW   = FlitW + 4;            // {side, flit}
  localparam int unsigned TxQD   = NumVc * BufDepth;
  localparam int unsigned TxCntW = $clog2(TxQD + 1);
  localparam int unsigned RxCntW = $clog2(RxQDepth + 1);
  localparam int unsigned CrW    = $clog2(BufDepth + 1);

  // ---------------------------------------------------------------------------
  // Transmit
  // ---------------------------------------------------------------------------
  logic [EntW-1:0]   txq_front;
  logic [TxCntW-1:0] txq_cnt;
  logic              txq_push, txq_ovf, tx_pop;
  logic [1:0]        tx_vc2;

  assign tx_vc2   = 2'(rt_out_vc_i);
  assign txq_ovf  = rt_out_valid_i && (32'(txq_cnt) == TxQD);
  assign txq_push = rt_out_valid_i && !txq_ovf;
  assign tx_pop   = tx_valid_o && tx_ready_i;

  noc_fifo #(
    .Width (EntW),
    .Depth (TxQD)
  ) u_txq (
    .clk_i,
    .rst_ni,
    .push_i (txq_push),
    .data_i ({tx_vc2, rt_out_tail_i, rt_out_head_i, rt_out_flit_i}),
    .pop_i  (tx_pop),
    .data_o (txq_front),
    .cnt_o  (txq_cnt)
  );

  assign tx_valid_o = txq_cnt != '0;
  assign tx_flit_o  = tx_valid_o ? txq_front[FlitW-1:0] : '0;
  assign tx_side_o  = tx_valid_o ? txq_front[FlitW +: 4] : '0;

  logic           txcr_valid_q;
  logic [VcW-1:0] txcr_vc_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      txcr_valid_q <= 1'b0;
      txcr_vc_q    <= '0;
    end else begin
      txcr_valid_q <= tx_pop;
      txcr_vc_q    <= tx_pop ? txq_front[FlitW + 2 +: VcW] : '0;
    end
  end
  assign rt_out_credit_valid_o = txcr_valid_q;
  assign rt_out_credit_vc_o    = txcr_vc_q;

  // ---------------------------------------------------------------------------
  // Receive
  // ---------------------------------------------------------------------------
  logic [EntW-1:0]   rxq_front;
  logic [RxCntW-1:0] rxq_cnt;
  logic              rx_take, rx_badvc, rxq_push, rxq_pop, rxq_nonempty;
  logic [1:0]        rx_front_vc2;
  logic [CrW-1:0]    rcred_d [NumVc], rcred_q [NumVc];
  logic [NumVc-1:0]  rcred_pos, rcred_over;
  logic              rcr_badvc;

  assign rx_ready_o = 32'(rxq_cnt) < RxQDepth;
  assign rx_take    = rx_valid_i && rx_ready_o;
  assign rx_badvc   = rx_take && (32'(rx_side_i[3:2]) >= NumVc);
  assign rxq_push   = rx_take && !rx_badvc;

  noc_fifo #(
    .Width (EntW),
    .Depth (RxQDepth)
  ) u_rxq (
    .clk_i,
    .rst_ni,
    .push_i (rxq_push),
    .data_i ({rx_side_i, rx_flit_i}),
    .pop_i  (rxq_pop),
    .data_o (rxq_front),
    .cnt_o  (rxq_cnt)
  );

  assign rxq_nonempty = rxq_cnt != '0;
  assign rx_front_vc2 = rxq_front[FlitW+2 +: 2];

  // rcred_pos as a 4-bit vector so that any 2-bit sideband VC is in range;
  // a front flit's VC is always < NumVc (others are discarded on entry).
  logic [3:0] rcred_pos4;
  assign rcred_pos4 = 4'(rcred_pos);
  assign rxq_pop    = rxq_nonempty && rcred_pos4[rx_front_vc2];

  assign rt_in_valid_o = rxq_pop;
  assign rt_in_flit_o  = rxq_pop ? rxq_front[FlitW-1:0] : '0;
  assign rt_in_head_o  = rxq_pop && rxq_front[FlitW];
  assign rt_in_tail_o  = rxq_pop && rxq_front[FlitW+1];
  assign rt_in_vc_o    = rxq_pop ? VcW'(rx_front_vc2) : '0;

  for (genvar v = 0; v < NumVc; v++) begin : g_rcred
    logic         inc, dec;
    logic [CrW:0] sum;
    assign inc = rt_in_credit_valid_i && (32'(rt_in_credit_vc_i) == v);
    assign dec = rxq_pop && (32'(rx_front_vc2) == v);
    assign sum = {1'b0, rcred_q[v]} + (CrW+1)'(inc) - (CrW+1)'(dec);
    // A credit beyond BufDepth was never owed: saturate and count an error.
    assign rcred_over[v] = 32'(sum) > BufDepth;
    assign rcred_d[v]    = rcred_over[v] ? CrW'(BufDepth) : sum[CrW-1:0];
    assign rcred_pos[v]  = rcred_q[v] != '0;
  end
  assign rcr_badvc = rt_in_credit_valid_i && (32'(rt_in_credit_vc_i) >= NumVc);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned v = 0; v < NumVc; v++) rcred_q[v] <= CrW'(BufDepth);
    end else begin
      for (int unsigned v = 0; v < NumVc; v++) rcred_q[v] <= rcred_d[v];
    end
  end

  // ---------------------------------------------------------------------------
  // Counters
  // ---------------------------------------------------------------------------
  logic [CntW-1:0] tx_flits_q, rx_flits_q, rx_stall_q, err_q;
  logic [2:0]      err_n;
  assign err_n = 3'(txq_ovf) + 3'(rx_badvc) + 3'(rcr_badvc || (|rcred_over));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tx_flits_q <= '0;
      rx_flits_q <= '0;
      rx_stall_q <= '0;
      err_q      <= '0;
    end else begin
      tx_flits_q <= tx_flits_q + CntW'(tx_pop);
      rx_flits_q <= rx_flits_q + CntW'(rx_take);
      rx_stall_q <= rx_stall_q + CntW'(rxq_nonempty && !rxq_pop);
      err_q      <= err_q + CntW'(err_n);
    end
  end
  assign cnt_tx_flits_o = tx_flits_q;
  assign cnt_rx_flits_o = rx_flits_q;
  assign cnt_rx_stall_o = rx_stall_q;
  assign cnt_err_o      = err_q;

endmodule

`default_nettype wire
