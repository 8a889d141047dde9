// Classification of one popped block (docs/spec.md 4.3, validity column)
// for the deframer and the training logic. A block carrying the AM flag is
// reported invalid: popped non-marker rows are the only ones decoded, and
// there an AM is an invalid block (4.7). A control block of type 0xD2 that
// was not detected as an AM is likewise invalid.

`default_nettype none

module optile_phy_blk_decode
  import optile_phy_pkg::*;
#(
  parameter int unsigned LaneIdx = 0
) (
  input  wire logic [65:0] blk_i,       // {payload, sync header}
  input  wire logic        am_i,
  output logic      [2:0]  kind_o,      // K* of optile_phy_pkg
  output logic      [1:0]  ts_phase_o,
  output logic      [7:0]  ts_rx_mask_o,
  output logic      [7:0]  ts_active_mask_o,
  output logic      [1:0]  sleep_kind_o  // 01 REQ, 10 ACK (valid SLEEP only)
);

  logic [63:0] p;
  logic [1:0]  sh;
  logic [31:0] ack_crc;

  assign p  = blk_i[65:2];
  assign sh = blk_i[1:0];

  optile_phy_crc32 #(.DataBytes(4)) u_ack_crc (
    .crc_i  (32'hFFFF_FFFF),
    .data_i (p[31:0]),
    .crc_o  (ack_crc)
  );

  always_comb begin
    kind_o = KInvalid;
    if (am_i) begin
      kind_o = KInvalid;
    end else if (sh == ShData) begin
      kind_o = KData;
    end else if (sh == ShCtrl) begin
      unique case (p[7:0])
        BtIdle:  if (p[63:8] == '0) kind_o = KIdle;
        BtHdr:   if (p[31:19] == '0) kind_o = KHdr;
        BtTrl:   if (p[63:40] == '0) kind_o = KTrl;
        BtAck:   if ((p[9:8] == AckKindAck || p[9:8] == AckKindNak) && (p[15:10] == '0) &&
                     (p[63:32] == ~ack_crc)) kind_o = KAck;
        BtTs:    if ((p[15:8] == 8'(LaneIdx)) && (p[17:16] != 2'd3) && (p[23:18] == '0) &&
                     (p[63:40] == '0)) kind_o = KTs;
        BtSleep: if ((p[15:8] == SleepReq || p[15:8] == SleepAck) && (p[23:16] == ~p[15:8]) &&
                     (p[63:24] == '0)) kind_o = KSleep;
        default: kind_o = KInvalid;
      endcase
    end
  end

  assign ts_phase_o       = p[17:16];
  assign ts_rx_mask_o     = p[31:24];
  assign ts_active_mask_o = p[39:32];
  assign sleep_kind_o     = p[9:8];

endmodule

`default_nettype wire
