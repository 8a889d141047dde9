// Transmit link layer (docs/spec.md 4.5.5, 4.5.6, 4.8.3): in an ACTIVE
// non-AM row cycle, fills the slots (lit lanes in ascending order) with the
// block stream: the packet in progress (data blocks, then TRL), else
// SLEEP(ACK) in sleep_ack mode, an ACK/NAK block when due, a HDR (replay or
// new packet), SLEEP(REQ) in sleep_req mode, or IDLE. Every slot sees the
// state as left by the earlier slots of the row.
//
// New packets take min(waiting, 8) flits from the TX FIFO head; their
// flits stay in the flit store (optile_phy_replay) as replay data. The
// packet CRC is computed while the packet's blocks are composed (HDR, then
// data blocks, possibly over several rows) and sent in the TRL; a replay
// recomputes it from the same bytes.

`default_nettype none

module optile_phy_framer
  import optile_phy_pkg::*;
#(
  parameter int unsigned NumLanes    = 8,
  parameter int unsigned FlitW       = 256,
  parameter int unsigned SideW       = 4,
  parameter int unsigned TxFifoDepth = 16,
  parameter int unsigned ReplayPkts  = 32,
  parameter int unsigned RxCredits   = 32,
  parameter int unsigned TestDropReplay = 0,  // TEST ONLY, see optile_phy
  localparam int unsigned Cap   = 8 * ReplayPkts + TxFifoDepth,
  localparam int unsigned PtrW  = $clog2(Cap),
  localparam int unsigned CntW  = $clog2(TxFifoDepth + 1),
  localparam int unsigned SlotW = $clog2(ReplayPkts),
  localparam int unsigned B     = FlitW / 64,
  localparam int unsigned WordW = (B > 1) ? $clog2(B) : 1
) (
  input  wire logic                        clk_i,
  input  wire logic                        rst_ni,
  input  wire logic                        clear_i,      // RESET: sequence state to reset values
  input  wire logic                        abandon_i,    // leaving ACTIVE: drop the packet in progress
  input  wire logic                        active_i,     // state ACTIVE this cycle
  input  wire logic                        row_cycle_i,
  input  wire logic                        am_row_i,
  input  wire logic [NumLanes-1:0]         lit_i,        // active mask
  input  wire logic                        sleep_ack_i,
  input  wire logic                        sleep_req_i,
  // receiver-side ACK flags (start of cycle) and the ACK block to send
  input  wire logic                        ack_dirty_i,
  input  wire logic [7:0]                  ack_events_i,
  input  wire logic [15:0]                 ack_age_i,
  input  wire logic                        ack_urgent_i,
  input  wire logic                        nak_pending_i,
  input  wire logic [63:0]                 ack_payload_i,
  // transmitter state held by optile_phy_ack
  input  wire logic [7:0]                  una_i,        // U
  input  wire logic [7:0]                  peer_freed_i, // F
  input  wire logic                        replay_req_i,
  // flit store
  input  wire logic [CntW-1:0]             fifo_count_i,
  input  wire logic [PtrW-1:0]             fifo_head_i,
  input  wire logic [ReplayPkts*PtrW-1:0]  tab_start_i,
  input  wire logic [ReplayPkts*3-1:0]     tab_n1_i,
  output logic      [CntW-1:0]             take_o,
  output logic      [NumLanes-1:0]         tab_we_o,
  output logic      [NumLanes*SlotW-1:0]   tab_idx_o,
  output logic      [NumLanes*PtrW-1:0]    tab_start_o,
  output logic      [NumLanes*3-1:0]       tab_n1_o,
  output logic      [NumLanes*PtrW-1:0]    rd_addr_o,
  output logic      [NumLanes*WordW-1:0]   rd_word_o,
  input  wire logic [NumLanes*64-1:0]      rd_data_i,
  input  wire logic [NumLanes*8*SideW-1:0] rd_side_i,
  // composed slots
  output logic      [NumLanes*64-1:0]      slot_payload_o,
  output logic      [NumLanes-1:0]         slot_ctrl_o,
  // sequence state and events
  output logic      [7:0]                  next_seq_o,    // N at the start of the cycle
  output logic      [7:0]                  next_seq_d_o,  // N after this cycle's row
  output logic                             replay_clr_o,  // a HDR was sent: replay_req := 0
  output logic                             hdr_sent_o,
  output logic                             ack_sent_o,
  output logic                             nak_sent_o,
  output logic                             sleep_row_o,   // a non-AM row of only SLEEP(ACK) slots
  output logic      [7:0]                  tx_flits_inc_o,
  output logic      [3:0]                  replayed_inc_o,
  output logic      [3:0]                  new_pkts_o
);

  localparam logic [7:0] WinPkts = 8'(ReplayPkts);
  localparam logic [7:0] Credits = 8'(RxCredits);

  logic [7:0]      n_q, r_q;
  logic            in_q;
  logic [6:0]      blk_q;
  logic [2:0]      n1_q;
  logic [PtrW-1:0] start_q;
  logic [31:0]     crc_q;

  logic [7:0]      n_d, r_d;
  logic            in_d;
  logic [6:0]      blk_d;
  logic [2:0]      n1_d;
  logic [PtrW-1:0] start_d;
  logic [31:0]     crc_d;

  logic            run;
  logic [2:0]      kind [NumLanes];
  logic [7:0]      seq  [NumLanes];
  logic [2:0]      pn1  [NumLanes];

  function automatic logic [PtrW-1:0] ptr_add(logic [PtrW-1:0] a, logic [PtrW:0] k);
    logic [PtrW:0] s;
    s = (PtrW+1)'(a) + k;
    if (s >= (PtrW+1)'(Cap)) s = s - (PtrW+1)'(Cap);
    return s[PtrW-1:0];
  endfunction

  assign run = active_i && row_cycle_i && !am_row_i;

  // ---- slot decisions ------------------------------------------------------
  always_comb begin
    logic [7:0]      rp, v_n, v_r;
    logic            v_in, v_rr, v_dirty, v_urg, v_nakp;
    logic            can_replay, can_new, due;
    logic [6:0]      v_blk;
    logic [2:0]      v_n1;
    logic [PtrW-1:0] v_start, v_head;
    logic [CntW-1:0] v_avail, take;
    logic [CntW-1:0] nf;
    logic [SlotW-1:0] slot;
    logic            all_sleep;

    rp         = '0;
    can_replay = 1'b0;
    can_new    = 1'b0;
    due        = 1'b0;
    slot       = '0;
    nf         = '0;
    v_in    = in_q;
    v_blk   = blk_q;
    v_n1    = n1_q;
    v_start = start_q;
    v_n     = n_q;
    v_r     = r_q;
    v_rr    = replay_req_i;
    v_dirty = ack_dirty_i;
    v_urg   = ack_urgent_i;
    v_nakp  = nak_pending_i;
    v_avail = fifo_count_i;
    v_head  = fifo_head_i;
    take    = '0;
    all_sleep      = 1'b1;
    replay_clr_o   = 1'b0;
    hdr_sent_o     = 1'b0;
    ack_sent_o     = 1'b0;
    nak_sent_o     = 1'b0;
    tx_flits_inc_o = '0;
    replayed_inc_o = '0;
    new_pkts_o     = '0;
    tab_we_o       = '0;
    tab_idx_o      = '0;
    tab_start_o    = '0;
    tab_n1_o       = '0;
    rd_addr_o      = '0;
    rd_word_o      = '0;

    for (int unsigned i = 0; i < NumLanes; i++) begin
      kind[i] = TxNone;
      seq[i]  = '0;
      pn1[i]  = '0;
      if (run && lit_i[i]) begin
        if (v_in) begin
          if (v_blk < 7'(({4'd0, v_n1} + 7'd1) * 7'(B))) begin
            kind[i] = TxData;
            rd_addr_o[PtrW*i +: PtrW]   = ptr_add(v_start, (PtrW+1)'(int'(v_blk) / B));
            rd_word_o[WordW*i +: WordW] = WordW'(int'(v_blk) % B);
            v_blk = v_blk + 7'd1;
          end else begin
            kind[i] = TxTrl;
            v_in    = 1'b0;
          end
        end else if (sleep_ack_i) begin
          kind[i] = TxSleepAck;
        end else begin
          // 4.5.6: R' and "can start"
          rp = (v_rr || ((v_r - una_i) > (v_n - una_i))) ? una_i : v_r;
          can_replay = (rp != v_n);
          can_new    = !can_replay && (v_avail != '0) && ((v_n - una_i) < WinPkts) &&
                       ((v_n - peer_freed_i) < Credits);
          // 4.8.3: ACK due
          due = v_nakp || v_urg ||
                (v_dirty && (!(can_replay || can_new) || (ack_events_i >= 8'd8) ||
                             (ack_age_i >= 16'd128)));
          if (due) begin
            kind[i]    = TxAck;
            ack_sent_o = 1'b1;
            nak_sent_o = nak_pending_i;
            v_dirty    = 1'b0;
            v_urg      = 1'b0;
            v_nakp     = 1'b0;
          end else if (can_replay || can_new) begin
            kind[i]      = TxHdr;
            v_in         = 1'b1;
            v_blk        = '0;
            v_rr         = 1'b0;
            replay_clr_o = 1'b1;
            hdr_sent_o   = 1'b1;
            if (can_replay) begin
              slot    = SlotW'(rp);
              // test-only fault: take the next packet's flits (not past N)
              if ((TestDropReplay != 0) && ((rp + 8'd1) != v_n)) slot = SlotW'(rp + 8'd1);
              v_start = tab_start_i[PtrW*slot +: PtrW];
              v_n1    = tab_n1_i[3*slot +: 3];
              seq[i]  = rp;
              v_r     = rp + 8'd1;
              replayed_inc_o = replayed_inc_o + 4'd1;
            end else begin
              nf      = (v_avail > CntW'(8)) ? CntW'(8) : v_avail;
              v_start = v_head;
              v_n1    = 3'(nf - CntW'(1));
              seq[i]  = v_n;
              tab_we_o[i]                   = 1'b1;
              tab_idx_o[SlotW*i +: SlotW]   = SlotW'(v_n);
              tab_start_o[PtrW*i +: PtrW]   = v_head;
              tab_n1_o[3*i +: 3]            = v_n1;
              v_head  = ptr_add(v_head, (PtrW+1)'(nf));
              v_avail = v_avail - nf;
              take    = take + nf;
              v_n     = v_n + 8'd1;
              v_r     = v_n;
              tx_flits_inc_o = tx_flits_inc_o + 8'(nf);
              new_pkts_o     = new_pkts_o + 4'd1;
            end
            pn1[i] = v_n1;
            rd_addr_o[PtrW*i +: PtrW] = v_start;
          end else if (sleep_req_i) begin
            kind[i] = TxSleepReq;
          end else begin
            kind[i] = TxIdle;
          end
        end
        if (kind[i] != TxSleepAck) all_sleep = 1'b0;
      end
    end

    take_o      = take;
    n_d         = v_n;
    r_d         = v_r;
    in_d        = v_in;
    blk_d       = v_blk;
    n1_d        = v_n1;
    start_d     = v_start;
    sleep_row_o = run && all_sleep;
  end

  // ---- slot contents and the running packet CRC -----------------------------
  always_comb begin
    logic [31:0] c;
    logic [63:0] p;
    logic [31:0] sides;
    c     = crc_q;
    p     = '0;
    sides = '0;
    slot_payload_o = '0;
    slot_ctrl_o    = '0;
    for (int unsigned i = 0; i < NumLanes; i++) begin
      p = '0;
      unique case (kind[i])
        TxHdr: begin
          sides = '0;
          for (int unsigned k = 0; k < 8; k++) begin
            if (k <= int'(pn1[i])) sides[SideW*k +: SideW] = rd_side_i[(8*i + k)*SideW +: SideW];
          end
          p = {sides, 13'd0, pn1[i], seq[i], BtHdr};
          c = crc32_upd(32'hFFFF_FFFF, p, 8);
        end
        TxData: begin
          p = rd_data_i[64*i +: 64];
          c = crc32_upd(c, p, 8);
        end
        TxTrl:      p = {24'd0, ~c, BtTrl};
        TxAck:      p = ack_payload_i;
        TxIdle:     p = {56'd0, BtIdle};
        TxSleepReq: p = {40'd0, ~SleepReq, SleepReq, BtSleep};
        TxSleepAck: p = {40'd0, ~SleepAck, SleepAck, BtSleep};
        default:    p = '0;
      endcase
      slot_payload_o[64*i +: 64] = p;
      slot_ctrl_o[i]             = (kind[i] != TxData);
    end
    crc_d = c;
  end

  assign next_seq_o   = n_q;
  assign next_seq_d_o = n_d;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      n_q     <= '0;
      r_q     <= '0;
      in_q    <= 1'b0;
      blk_q   <= '0;
      n1_q    <= '0;
      start_q <= '0;
      crc_q   <= '1;
    end else if (clear_i) begin
      n_q     <= '0;
      r_q     <= '0;
      in_q    <= 1'b0;
      blk_q   <= '0;
      n1_q    <= '0;
      start_q <= '0;
      crc_q   <= '1;
    end else begin
      if (run) begin
        n_q     <= n_d;
        r_q     <= r_d;
        blk_q   <= blk_d;
        n1_q    <= n1_d;
        start_q <= start_d;
        crc_q   <= crc_d;
        in_q    <= in_d;
      end
      if (abandon_i) in_q <= 1'b0;
    end
  end

endmodule

`default_nettype wire
