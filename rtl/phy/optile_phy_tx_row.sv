// Transmit row composer (docs/spec.md 4.5.1, 4.5.3-4.5.5): in a row cycle,
// one 66-bit block per lane. AM rows (r mod M == 0) carry each lit lane's
// unscrambled alignment marker; other rows carry a TS block per lit lane in
// the training states and the scheduler's slot blocks (optile_phy_framer) in
// ACTIVE, scrambled by the lane's scrambler. Dark lanes get zero fill and
// keep their scrambler state. The row counter (mod M), M and the scramblers
// restart on entry to LASER_ON.

`default_nettype none

module optile_phy_tx_row
  import optile_phy_pkg::*;
#(
  parameter int unsigned NumLanes = 8
) (
  input  wire logic                     clk_i,
  input  wire logic                     rst_ni,
  input  wire logic                     row_cycle_i,   // on state and a row cycle
  input  wire logic                     restart_i,     // entering LASER_ON at this edge
  input  wire logic [15:0]              am_period_i,   // sampled at restart_i
  input  wire logic                     active_i,      // state ACTIVE (else training)
  input  wire logic [NumLanes-1:0]      lit_i,         // lit set of this row
  input  wire logic [1:0]               ts_phase_i,
  input  wire logic [NumLanes-1:0]      ts_rx_mask_i,
  input  wire logic [NumLanes-1:0]      ts_active_mask_i,
  input  wire logic [NumLanes*64-1:0]   slot_payload_i, // ACTIVE: unscrambled payload per lane
  input  wire logic [NumLanes-1:0]      slot_ctrl_i,    // ACTIVE: 1 = control block
  output logic                          am_row_o,       // the row of this cycle is an AM row
  output logic      [NumLanes*66-1:0]   row_o,
  output logic      [NumLanes-1:0]      row_lit_o,
  output logic      [NumLanes-1:0]      sent_o          // non-zero-fill block composed (bits_sent)
);

  logic [15:0]            m_q;
  logic [15:0]            am_cnt_q;      // r mod M of the next row
  logic [NumLanes*58-1:0] scr_q, scr_d;

  assign am_row_o  = (am_cnt_q == 16'd0);
  assign row_lit_o = lit_i;
  assign sent_o    = row_cycle_i ? lit_i : '0;

  for (genvar i = 0; i < NumLanes; i++) begin : g_lane
    logic [63:0] p, s;
    logic [57:0] nxt;

    always_comb begin
      if (active_i) p = slot_payload_i[64*i +: 64];
      else p = {24'd0, 8'(ts_active_mask_i), 8'(ts_rx_mask_i), 6'd0, ts_phase_i, 8'(i), BtTs};
    end

    optile_phy_scrambler #(.Descramble(1'b0)) u_scr (
      .state_i (scr_q[58*i +: 58]),
      .data_i  (p),
      .data_o  (s),
      .state_o (nxt)
    );

    logic [65:0] blk;
    logic [57:0] st;
    always_comb begin
      if (!lit_i[i]) begin
        blk = '0;
        st  = scr_q[58*i +: 58];
      end else if (am_row_o) begin
        blk = {am_payload(8'(i)), ShCtrl};
        st  = scr_q[58*i +: 58];
      end else begin
        blk = {s, (active_i && !slot_ctrl_i[i]) ? ShData : ShCtrl};
        st  = nxt;
      end
    end
    assign row_o[66*i +: 66] = blk;
    assign scr_d[58*i +: 58] = st;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      m_q      <= 16'd4096;
      am_cnt_q <= '0;
      scr_q    <= '1;
    end else if (restart_i) begin
      m_q      <= am_period_i;
      am_cnt_q <= '0;
      scr_q    <= '1;
    end else if (row_cycle_i) begin
      am_cnt_q <= (17'(am_cnt_q) + 17'd1 >= 17'(m_q)) ? 16'd0 : am_cnt_q + 16'd1;
      scr_q    <= scr_d;
    end
  end

endmodule

`default_nettype wire
