// Transmit gearbox (docs/spec.md 4.5.2, 4.5.4): 66-bit rows onto W-bit lane
// words. All lanes share one bit count; a lane outside the lit set gets 66
// zero bits from the row composer, so the count is the same on every lane.
//
// pend_q composed bits are waiting at the start of a cycle (0..65). A cycle
// is a row cycle when the transmitter is on and pend_q < W: the row is
// appended at bit pend_q, W bits leave as the gearbox word, which is
// registered onto lane_tx_o. Off states load zeros; the counters restart on
// entry to LASER_ON (restart_i at that clock edge).

`default_nettype none

module optile_phy_tx_gearbox #(
  parameter int unsigned NumLanes = 8,
  parameter int unsigned LaneW    = 32
) (
  input  wire logic                      clk_i,
  input  wire logic                      rst_ni,
  input  wire logic                      on_i,        // transmitter on this cycle
  input  wire logic                      restart_i,   // entering LASER_ON at this edge
  input  wire logic [NumLanes*66-1:0]    row_i,       // lane i block at [66i +: 66], bit 0 first
  input  wire logic [NumLanes-1:0]       row_lit_i,   // row-level laser flags
  output logic                           row_cycle_o, // a row is composed this cycle
  output logic      [NumLanes*LaneW-1:0] lane_tx_o,
  output logic      [NumLanes-1:0]       lane_laser_on_o
);

  localparam int unsigned CombW = LaneW + 66;

  logic [6:0]             pend_q, pend_d;
  logic [NumLanes*66-1:0] buf_q, buf_d;
  logic [NumLanes-1:0]    lit_q, lit_d;
  logic [NumLanes*LaneW-1:0] word_d;
  logic [NumLanes-1:0]    laser_d;

  assign row_cycle_o = on_i && (pend_q < 7'(LaneW));

  always_comb begin
    logic [CombW-1:0] comb;
    for (int unsigned i = 0; i < NumLanes; i++) begin
      comb = CombW'(buf_q[66*i +: 66]);
      if (row_cycle_o) comb = comb | (CombW'(row_i[66*i +: 66]) << pend_q);
      word_d[LaneW*i +: LaneW] = comb[LaneW-1:0];
      buf_d[66*i +: 66]        = comb[CombW-1:LaneW];
    end
    pend_d = row_cycle_o ? (pend_q + 7'd66 - 7'(LaneW)) : (pend_q - 7'(LaneW));
    lit_d   = row_cycle_o ? row_lit_i : lit_q;
    laser_d = lit_d;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pend_q          <= '0;
      buf_q           <= '0;
      lit_q           <= '0;
      lane_tx_o       <= '0;
      lane_laser_on_o <= '0;
    end else begin
      if (restart_i) begin
        pend_q <= '0;
        buf_q  <= '0;
        lit_q  <= '0;
      end else if (on_i) begin
        pend_q <= pend_d;
        buf_q  <= buf_d;
        lit_q  <= lit_d;
      end
      lane_tx_o       <= on_i ? word_d  : '0;
      lane_laser_on_o <= on_i ? laser_d : '0;
    end
  end

endmodule

`default_nettype wire
