// ACK/NAK bookkeeping of the link layer (docs/spec.md 4.8.2, 4.8.3).
//
// Receiver side: ack_dirty, ack_events, ack_age, ack_urgent, nak_pending,
// nak_sent and the own freed count; the ACK block the framer sends this
// cycle (values at the start of the cycle).
//
// Transmitter side: U (oldest unacknowledged), F (the peer's freed count),
// replay_req, replay_count and the replay timer. Received ACK/NAK blocks of
// a popped row are applied in lane (slot) order after the transmitter's own
// updates of the cycle (N after the row, next_seq_d_i).

`default_nettype none

module optile_phy_ack
  import optile_phy_pkg::*;
#(
  parameter int unsigned NumLanes = 8
) (
  input  wire logic                   clk_i,
  input  wire logic                   rst_ni,
  input  wire logic                   clear_i,         // RESET
  input  wire logic                   flags_clr_i,     // retrain / leaving IDLE
  input  wire logic                   enter_active_i,  // DESKEW -> ACTIVE at this edge
  input  wire logic                   active_i,        // state ACTIVE this cycle
  // this cycle's transmitter row
  input  wire logic                   ack_sent_i,
  input  wire logic                   nak_sent_i,
  input  wire logic                   replay_clr_i,
  input  wire logic [7:0]             next_seq_d_i,    // N after the row
  // receiver events
  input  wire logic [7:0]             exp_seq_i,       // E at the start of the cycle
  input  wire logic [3:0]             accepts_i,       // packets accepted this cycle
  input  wire logic                   freed_i,         // last flit of a packet left the RX FIFO
  input  wire logic                   dup_i,           // a duplicate was discarded
  input  wire logic                   nak_pending_rx_i,// after the deframer's row
  input  wire logic                   nak_sent_rx_i,
  // received ACK/NAK blocks (valid ones, between packets), lane order
  input  wire logic [NumLanes-1:0]    ack_valid_i,
  input  wire logic [NumLanes*64-1:0] ack_blk_i,       // unscrambled payloads
  // CSRs
  input  wire logic [15:0]            replay_timeout_i,
  input  wire logic [7:0]             replay_limit_i,
  // receiver flags, start of cycle
  output logic                        ack_dirty_o,
  output logic      [7:0]             ack_events_o,
  output logic      [15:0]            ack_age_o,
  output logic                        ack_urgent_o,
  output logic                        nak_pending_o,
  // nak flags as updated by this cycle's transmitter row
  output logic                        nak_pending_tx_o,
  output logic                        nak_sent_tx_o,
  output logic      [63:0]            ack_payload_o,
  // transmitter state
  output logic      [7:0]             una_o,           // U, start of cycle
  output logic      [7:0]             peer_freed_o,    // F, start of cycle
  output logic                        replay_req_o,
  output logic      [3:0]             replay_trig_o,   // replay triggers this cycle
  output logic                        down_o           // replay_count exceeded replay_limit_i
);

  logic        dirty_q, urg_q, nakp_q, naks_q, rr_q;
  logic [7:0]  events_q, own_freed_q, una_q, pf_q;
  logic [15:0] age_q, rt_q;
  logic [8:0]  rcount_q;

  logic        dirty_d, urg_d, rr_d;
  logic [7:0]  events_d, una_d, pf_d;
  logic [15:0] age_d, rt_d;
  logic [8:0]  rcount_d;
  logic        released;

  // ---- the ACK block of this cycle -------------------------------------------
  logic [31:0] ack_lo, ack_crc;
  assign ack_lo = {own_freed_q, exp_seq_i - 8'd1, 6'd0, nakp_q ? AckKindNak : AckKindAck, BtAck};

  optile_phy_crc32 #(.DataBytes(4)) u_crc (
    .crc_i  (32'hFFFF_FFFF),
    .data_i (ack_lo),
    .crc_o  (ack_crc)
  );

  assign ack_payload_o = {~ack_crc, ack_lo};

  assign ack_dirty_o      = dirty_q;
  assign ack_events_o     = events_q;
  assign ack_age_o        = age_q;
  assign ack_urgent_o     = urg_q;
  assign nak_pending_o    = nakp_q;
  assign nak_pending_tx_o = ack_sent_i ? 1'b0 : nakp_q;
  assign nak_sent_tx_o    = nak_sent_i ? 1'b1 : naks_q;
  assign una_o            = una_q;
  assign peer_freed_o     = pf_q;
  assign replay_req_o     = rr_q;

  // ---- received ACK/NAK blocks, replay timer ----------------------------------
  always_comb begin
    logic [7:0] a, fp, d, out;
    logic       nak;
    logic [3:0] trig;
    logic       down;
    a        = '0;
    fp       = '0;
    nak      = 1'b0;
    d        = '0;
    out      = '0;
    una_d    = una_q;
    pf_d     = pf_q;
    rcount_d = rcount_q;
    released = 1'b0;
    trig     = '0;
    down     = 1'b0;
    for (int unsigned i = 0; i < NumLanes; i++) begin
      if (ack_valid_i[i]) begin
        a   = ack_blk_i[64*i + 16 +: 8];
        fp  = ack_blk_i[64*i + 24 +: 8];
        nak = (ack_blk_i[64*i + 8 +: 2] == AckKindNak);
        d   = a + 8'd1 - una_d;
        out = next_seq_d_i - una_d;
        if (d >= 8'd1 && d <= out) begin
          una_d    = a + 8'd1;
          released = 1'b1;
          rcount_d = '0;
        end
        if ((fp - pf_d) <= (next_seq_d_i - pf_d)) pf_d = fp;
        if (nak && (una_d != next_seq_d_i)) begin
          trig     = trig + 4'd1;
          rcount_d = (rcount_d == '1) ? rcount_d : rcount_d + 9'd1;
          if (rcount_d > 9'(replay_limit_i)) down = 1'b1;
        end
      end
    end
    if (active_i && (replay_timeout_i != '0) && (rt_q == replay_timeout_i) && !released &&
        (una_d != next_seq_d_i)) begin
      trig     = trig + 4'd1;
      rcount_d = (rcount_d == '1) ? rcount_d : rcount_d + 9'd1;
      if (rcount_d > 9'(replay_limit_i)) down = 1'b1;
    end
    replay_trig_o = trig;
    down_o        = down;
    rr_d = (trig != '0) ? 1'b1 : (replay_clr_i ? 1'b0 : rr_q);
    if ((una_d == next_seq_d_i) || released || (trig != '0) || !active_i) rt_d = '0;
    else rt_d = (rt_q == '1) ? rt_q : rt_q + 16'd1;
  end

  // ---- receiver flags -----------------------------------------------------------
  always_comb begin
    logic [8:0] ev;
    dirty_d  = ack_sent_i ? 1'b0 : dirty_q;
    events_d = ack_sent_i ? '0 : events_q;
    age_d    = ack_sent_i ? '0 : (dirty_q ? ((age_q == '1) ? age_q : age_q + 16'd1) : age_q);
    urg_d    = ack_sent_i ? 1'b0 : urg_q;
    ev       = 9'(accepts_i) + 9'(freed_i);
    if (ev != '0) begin
      dirty_d  = 1'b1;
      events_d = (9'(events_d) + ev > 9'd255) ? 8'd255 : events_d + ev[7:0];
    end
    if (dup_i) urg_d = 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dirty_q     <= 1'b0;
      urg_q       <= 1'b0;
      nakp_q      <= 1'b0;
      naks_q      <= 1'b0;
      events_q    <= '0;
      age_q       <= '0;
      own_freed_q <= '0;
      una_q       <= '0;
      pf_q        <= '0;
      rr_q        <= 1'b0;
      rcount_q    <= '0;
      rt_q        <= '0;
    end else if (clear_i) begin
      dirty_q     <= 1'b0;
      urg_q       <= 1'b0;
      nakp_q      <= 1'b0;
      naks_q      <= 1'b0;
      events_q    <= '0;
      age_q       <= '0;
      own_freed_q <= '0;
      una_q       <= '0;
      pf_q        <= '0;
      rr_q        <= 1'b0;
      rcount_q    <= '0;
      rt_q        <= '0;
    end else begin
      own_freed_q <= own_freed_q + 8'(freed_i);
      una_q       <= una_d;
      pf_q        <= pf_d;
      // entering ACTIVE with data in flight: go-back-N replay (4.9)
      rr_q        <= rr_d || (enter_active_i && (una_d != next_seq_d_i));
      rcount_q    <= rcount_d;
      rt_q        <= rt_d;
      if (flags_clr_i) begin
        dirty_q  <= 1'b0;
        urg_q    <= 1'b0;
        nakp_q   <= 1'b0;
        naks_q   <= 1'b0;
        events_q <= '0;
        age_q    <= '0;
      end else begin
        dirty_q  <= dirty_d;
        urg_q    <= urg_d || enter_active_i;
        nakp_q   <= nak_pending_rx_i;
        naks_q   <= nak_sent_rx_i;
        events_q <= events_d;
        age_q    <= age_d;
      end
    end
  end

endmodule

`default_nettype wire
