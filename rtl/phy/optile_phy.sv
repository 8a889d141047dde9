// Optical PHY shim, one end of one link (docs/spec.md section 4).
//
//   router --tx--> [replay: TX FIFO + replay store] -> [framer] -> [tx_row:
//   AM/TS/slots, scramblers] -> [tx_gearbox] -> lane_tx_o
//   lane_rx_i -> [rx_lane x L: lock, AM, descramble] -> [deskew] ->
//   [blk_decode x L] -> [deframer] -> [rx_fifo] --rx--> router
//   [ack]: ACK/NAK flags, U/F, replay requests; [train]: state machine.
//
// Per-lane vectors are flattened: lane i at [i*W +: W]. Counters (4.12) are
// plain output ports, reset by rst_ni only.

`default_nettype none

module optile_phy
  import optile_phy_pkg::*;
#(
  parameter int unsigned NumLanes    = 8,
  parameter int unsigned LaneW       = 32,
  parameter int unsigned FlitW       = 256,
  parameter int unsigned SideW       = 4,
  parameter int unsigned TxFifoDepth = 16,
  parameter int unsigned ReplayPkts  = 32,
  parameter int unsigned RxCredits   = 32,
  // TEST ONLY (default 0, never set in a design): 1 makes every go-back-N
  // replay skip the packet being replayed (it re-sends the next one's flits
  // under its sequence number), so the checkers' negative test can show the
  // end-to-end scoreboard catches a replay that drops a packet.
  parameter int unsigned TestDropReplay = 0,
  // fixed by the spec (4.1); MaxFlits = 8 is built into the 3-bit n-1 field
  localparam int unsigned DeskewDepth = 16,
  localparam int unsigned LockWait    = 1024,
  localparam int unsigned PowerW      = 12,
  localparam int unsigned HeaterW     = 12
) (
  input  wire logic                          clk_i,
  input  wire logic                          rst_ni,
  // router side
  input  wire logic                          tx_valid_i,
  output logic                               tx_ready_o,
  input  wire logic [FlitW-1:0]              tx_flit_i,
  input  wire logic [SideW-1:0]              tx_side_i,
  output logic                               rx_valid_o,
  input  wire logic                          rx_ready_i,
  output logic      [FlitW-1:0]              rx_flit_o,
  output logic      [SideW-1:0]              rx_side_o,
  // lane side
  output logic      [NumLanes*LaneW-1:0]     lane_tx_o,
  output logic      [NumLanes-1:0]           lane_laser_on_o,
  input  wire logic [NumLanes*LaneW-1:0]     lane_rx_i,
  input  wire logic [NumLanes*PowerW-1:0]    lane_rx_power_i,
  output logic      [NumLanes*HeaterW-1:0]   lane_heater_o,
  // CSR side
  input  wire logic                          enable_i,
  input  wire logic                          rings_locked_i,
  input  wire logic                          retrain_i,
  input  wire logic [NumLanes-1:0]           lane_mask_i,
  input  wire logic [15:0]                   am_period_i,
  input  wire logic [31:0]                   idle_timeout_i,
  input  wire logic [15:0]                   laser_settle_i,
  input  wire logic [15:0]                   replay_timeout_i,
  input  wire logic [7:0]                    replay_limit_i,
  input  wire logic [31:0]                   train_timeout_i,
  input  wire logic [NumLanes*HeaterW-1:0]   heater_code_i,
  output logic      [2:0]                    state_o,
  output logic                               link_up_o,
  output logic      [NumLanes-1:0]           lane_lock_o,
  output logic      [NumLanes-1:0]           lane_deskew_o,
  output logic      [NumLanes-1:0]           active_mask_o,
  output logic      [1:0]                    train_phase_o,
  output logic      [NumLanes*PowerW-1:0]    lane_power_o,
  // counters (4.12)
  output logic      [NumLanes*64-1:0]        bits_sent_o,
  output logic      [NumLanes*64-1:0]        laser_cycles_o,
  output logic      [NumLanes*64-1:0]        heater_integral_o,
  output logic      [NumLanes*32-1:0]        sh_errors_o,
  output logic      [NumLanes*32-1:0]        lock_losses_o,
  output logic      [31:0]                   tx_flits_o,
  output logic      [31:0]                   rx_flits_o,
  output logic      [31:0]                   tx_packets_o,
  output logic      [31:0]                   rx_packets_o,
  output logic      [31:0]                   bad_packets_o,
  output logic      [31:0]                   replays_o,
  output logic      [31:0]                   replayed_packets_o,
  output logic      [31:0]                   naks_sent_o,
  output logic      [31:0]                   acks_sent_o,
  output logic      [31:0]                   retrains_o,
  output logic      [31:0]                   link_downs_o,
  output logic      [31:0]                   idle_entries_o,
  output logic      [31:0]                   rx_errors_o
);

  localparam int unsigned Cap      = 8 * ReplayPkts + TxFifoDepth;
  localparam int unsigned TxPtrW   = $clog2(Cap);
  localparam int unsigned TxCntW   = $clog2(TxFifoDepth + 1);
  localparam int unsigned SlotW    = $clog2(ReplayPkts);
  localparam int unsigned B        = FlitW / 64;
  localparam int unsigned WordW    = (B > 1) ? $clog2(B) : 1;
  localparam int unsigned RxDepth  = 8 * RxCredits;
  localparam int unsigned RxPtrW   = $clog2(RxDepth);
  localparam int unsigned RxCntW   = $clog2(RxDepth + 1);

  // ---- training state and edge controls ------------------------------------------
  logic [2:0]          state;
  logic [1:0]          phase;
  logic [NumLanes-1:0] rx_mask, active_mask;
  logic                sleep_ack, sleep_req;
  logic                clear, enter_laser_on, deskew_start, deskew_clear, commit, enter_active;
  logic                retrain, flags_clr, abandon, link_down, idle_entry;
  logic [NumLanes-1:0] start_group, commit_mask;

  logic st_on, st_active, st_run_rx, st_deskew_run;
  assign st_on         = (state >= StLaserOn) && (state <= StActive);
  assign st_active     = (state == StActive);
  assign st_run_rx     = (state != StReset) && (state != StDown);
  assign st_deskew_run = (state == StDeskew) || (state == StActive);

  // ---- transmit path ---------------------------------------------------------------
  logic                   row_cycle, am_row;
  logic [NumLanes*66-1:0] row;
  logic [NumLanes-1:0]    row_lit, row_sent, lit;
  logic [NumLanes*64-1:0] slot_payload;
  logic [NumLanes-1:0]    slot_ctrl;

  logic                        push;
  logic [TxCntW-1:0]           take, fifo_count;
  logic [TxPtrW-1:0]           fifo_head;
  logic [NumLanes-1:0]         tab_we;
  logic [NumLanes*SlotW-1:0]   tab_idx;
  logic [NumLanes*TxPtrW-1:0]  tab_start_w;
  logic [NumLanes*3-1:0]       tab_n1_w;
  logic [ReplayPkts*TxPtrW-1:0] tab_start;
  logic [ReplayPkts*3-1:0]     tab_n1;
  logic [NumLanes*TxPtrW-1:0]  rd_addr;
  logic [NumLanes*WordW-1:0]   rd_word;
  logic [NumLanes*64-1:0]      rd_data;
  logic [NumLanes*8*SideW-1:0] rd_side;

  logic [7:0]  next_seq, next_seq_d;
  logic        replay_clr, hdr_sent, ack_sent, nak_sent, sleep_row_tx;
  logic [7:0]  tx_flits_inc;
  logic [3:0]  replayed_inc, new_pkts;

  assign lit        = st_active ? active_mask : lane_mask_i;
  assign tx_ready_o = st_active && !sleep_ack && (fifo_count < TxCntW'(TxFifoDepth));
  assign push       = tx_valid_i && tx_ready_o;

  optile_phy_replay #(
    .NumLanes(NumLanes), .FlitW(FlitW), .SideW(SideW),
    .TxFifoDepth(TxFifoDepth), .ReplayPkts(ReplayPkts)
  ) u_replay (
    .clk_i, .rst_ni,
    .clear_i     (clear),
    .push_i      (push),
    .push_flit_i (tx_flit_i),
    .push_side_i (tx_side_i),
    .take_i      (take),
    .count_o     (fifo_count),
    .head_o      (fifo_head),
    .tab_we_i    (tab_we),
    .tab_idx_i   (tab_idx),
    .tab_start_i (tab_start_w),
    .tab_n1_i    (tab_n1_w),
    .tab_start_o (tab_start),
    .tab_n1_o    (tab_n1),
    .rd_addr_i   (rd_addr),
    .rd_word_i   (rd_word),
    .rd_data_o   (rd_data),
    .rd_side_o   (rd_side)
  );

  // ack module outputs used by the framer
  logic        ack_dirty, ack_urgent, nak_pending, nak_pending_tx, nak_sent_tx;
  logic [7:0]  ack_events, una, peer_freed;
  logic [15:0] ack_age;
  logic [63:0] ack_payload;
  logic        replay_req, replay_down;
  logic [3:0]  replay_trig;

  optile_phy_framer #(
    .NumLanes(NumLanes), .FlitW(FlitW), .SideW(SideW), .TxFifoDepth(TxFifoDepth),
    .ReplayPkts(ReplayPkts), .RxCredits(RxCredits), .TestDropReplay(TestDropReplay)
  ) u_framer (
    .clk_i, .rst_ni,
    .clear_i        (clear),
    .abandon_i      (abandon),
    .active_i       (st_active),
    .row_cycle_i    (row_cycle),
    .am_row_i       (am_row),
    .lit_i          (active_mask),
    .sleep_ack_i    (sleep_ack),
    .sleep_req_i    (sleep_req),
    .ack_dirty_i    (ack_dirty),
    .ack_events_i   (ack_events),
    .ack_age_i      (ack_age),
    .ack_urgent_i   (ack_urgent),
    .nak_pending_i  (nak_pending),
    .ack_payload_i  (ack_payload),
    .una_i          (una),
    .peer_freed_i   (peer_freed),
    .replay_req_i   (replay_req),
    .fifo_count_i   (fifo_count),
    .fifo_head_i    (fifo_head),
    .tab_start_i    (tab_start),
    .tab_n1_i       (tab_n1),
    .take_o         (take),
    .tab_we_o       (tab_we),
    .tab_idx_o      (tab_idx),
    .tab_start_o    (tab_start_w),
    .tab_n1_o       (tab_n1_w),
    .rd_addr_o      (rd_addr),
    .rd_word_o      (rd_word),
    .rd_data_i      (rd_data),
    .rd_side_i      (rd_side),
    .slot_payload_o (slot_payload),
    .slot_ctrl_o    (slot_ctrl),
    .next_seq_o     (next_seq),
    .next_seq_d_o   (next_seq_d),
    .replay_clr_o   (replay_clr),
    .hdr_sent_o     (hdr_sent),
    .ack_sent_o     (ack_sent),
    .nak_sent_o     (nak_sent),
    .sleep_row_o    (sleep_row_tx),
    .tx_flits_inc_o (tx_flits_inc),
    .replayed_inc_o (replayed_inc),
    .new_pkts_o     (new_pkts)
  );

  optile_phy_tx_row #(.NumLanes(NumLanes)) u_tx_row (
    .clk_i, .rst_ni,
    .row_cycle_i      (row_cycle),
    .restart_i        (enter_laser_on),
    .am_period_i      (am_period_i),
    .active_i         (st_active),
    .lit_i            (lit),
    .ts_phase_i       (phase),
    .ts_rx_mask_i     (rx_mask),
    .ts_active_mask_i (active_mask),
    .slot_payload_i   (slot_payload),
    .slot_ctrl_i      (slot_ctrl),
    .am_row_o         (am_row),
    .row_o            (row),
    .row_lit_o        (row_lit),
    .sent_o           (row_sent)
  );

  optile_phy_tx_gearbox #(.NumLanes(NumLanes), .LaneW(LaneW)) u_gearbox (
    .clk_i, .rst_ni,
    .on_i            (st_on),
    .restart_i       (enter_laser_on),
    .row_i           (row),
    .row_lit_i       (row_lit),
    .row_cycle_o     (row_cycle),
    .lane_tx_o       (lane_tx_o),
    .lane_laser_on_o (lane_laser_on_o)
  );

  // ---- receive front end ---------------------------------------------------------
  logic [NumLanes-1:0]    rx_pass, rx_am, rx_locked, rx_locked_d, rx_lost, rx_sh_err, rx_ts;
  logic [NumLanes*66-1:0] rx_blk;

  for (genvar i = 0; i < NumLanes; i++) begin : g_rx
    optile_phy_rx_lane #(.LaneW(LaneW), .LaneIdx(i)) u_lane (
      .clk_i, .rst_ni,
      .clear_i     (clear),
      .run_i       (st_run_rx),
      .word_i      (lane_rx_i[LaneW*i +: LaneW]),
      .pass_o      (rx_pass[i]),
      .blk_o       (rx_blk[66*i +: 66]),
      .am_o        (rx_am[i]),
      .locked_o    (rx_locked[i]),
      .locked_d_o  (rx_locked_d[i]),
      .lock_lost_o (rx_lost[i]),
      .sh_err_o    (rx_sh_err[i]),
      .ts_o        (rx_ts[i])
    );
  end

  // ---- deskew, decode ----------------------------------------------------------------
  logic                   pop, pop_first, pop_marker, second_marker, deskew_fail;
  logic [NumLanes*66-1:0] head_blk;
  logic [NumLanes-1:0]    head_am, group;

  optile_phy_deskew #(.NumLanes(NumLanes), .Depth(DeskewDepth)) u_deskew (
    .clk_i, .rst_ni,
    .clear_i         (deskew_clear),
    .run_i           (st_deskew_run),
    .start_i         (deskew_start),
    .start_group_i   (start_group),
    .am_period_i     (am_period_i),
    .commit_i        (commit),
    .commit_mask_i   (commit_mask),
    .pass_i          (rx_pass),
    .blk_i           (rx_blk),
    .am_i            (rx_am),
    .lock_lost_i     (rx_lost),
    .pop_o           (pop),
    .first_o         (pop_first),
    .marker_o        (pop_marker),
    .second_marker_o (second_marker),
    .head_blk_o      (head_blk),
    .head_am_o       (head_am),
    .failure_o       (deskew_fail),
    .group_o         (group),
    .lane_deskew_o   (lane_deskew_o)
  );

  logic [NumLanes*3-1:0] kind;
  logic [1:0]            ts_phase  [NumLanes];
  logic [7:0]            ts_rxm    [NumLanes];
  logic [7:0]            ts_actm   [NumLanes];
  logic [1:0]            slp_kind  [NumLanes];

  for (genvar i = 0; i < NumLanes; i++) begin : g_dec
    optile_phy_blk_decode #(.LaneIdx(i)) u_dec (
      .blk_i            (head_blk[66*i +: 66]),
      .am_i             (head_am[i]),
      .kind_o           (kind[3*i +: 3]),
      .ts_phase_o       (ts_phase[i]),
      .ts_rx_mask_o     (ts_rxm[i]),
      .ts_active_mask_o (ts_actm[i]),
      .sleep_kind_o     (slp_kind[i])
    );
  end

  // block on the lowest group lane; SLEEP row (every group lane a valid SLEEP of one kind)
  logic [2:0] low_kind;
  logic [1:0] low_phase;
  logic [7:0] low_rxm, low_actm;
  logic       sleep_row_rx;

  always_comb begin
    logic found, all_req, all_ack;
    found     = 1'b0;
    low_kind  = KInvalid;
    low_phase = '0;
    low_rxm   = '0;
    low_actm  = '0;
    all_req   = 1'b1;
    all_ack   = 1'b1;
    for (int unsigned i = 0; i < NumLanes; i++) begin
      if (group[i]) begin
        if (!found) begin
          found     = 1'b1;
          low_kind  = kind[3*i +: 3];
          low_phase = ts_phase[i];
          low_rxm   = ts_rxm[i];
          low_actm  = ts_actm[i];
        end
        if (kind[3*i +: 3] != KSleep || slp_kind[i] != 2'b01) all_req = 1'b0;
        if (kind[3*i +: 3] != KSleep || slp_kind[i] != 2'b10) all_ack = 1'b0;
      end
    end
    sleep_row_rx = found && (all_req || all_ack);
  end

  // ---- receive link layer ------------------------------------------------------------
  logic [NumLanes-1:0]        rf_we, rf_swe, rf_wlast;
  logic [NumLanes*RxPtrW-1:0] rf_waddr;
  logic [NumLanes*WordW-1:0]  rf_wword;
  logic [NumLanes*64-1:0]     rf_wdata;
  logic [NumLanes*SideW-1:0]  rf_wside;
  logic [RxCntW-1:0]          rf_commit, rf_count;
  logic [RxPtrW-1:0]          rf_tail;
  logic                       rf_freed;

  logic [7:0]          exp_seq, rx_flits_inc;
  logic                rx_open, dup, nak_pending_rx, nak_sent_rx, hdr_rcvd;
  logic [3:0]          accepts, bad_inc, rx_err_inc;
  logic [NumLanes-1:0] ack_valid;

  optile_phy_deframer #(
    .NumLanes(NumLanes), .FlitW(FlitW), .SideW(SideW), .RxCredits(RxCredits)
  ) u_deframer (
    .clk_i, .rst_ni,
    .clear_i          (clear),
    .flush_i          (deskew_start || deskew_clear),
    .run_i            (st_deskew_run && (phase == 2'd2)),
    .row_i            (pop && !pop_marker),
    .lanes_i          (group),
    .blk_i            (head_blk),
    .kind_i           (kind),
    .fifo_tail_i      (rf_tail),
    .fifo_count_i     (rf_count),
    .nak_pending_tx_i (nak_pending_tx),
    .nak_sent_tx_i    (nak_sent_tx),
    .we_o             (rf_we),
    .waddr_o          (rf_waddr),
    .wword_o          (rf_wword),
    .wdata_o          (rf_wdata),
    .swe_o            (rf_swe),
    .wside_o          (rf_wside),
    .wlast_o          (rf_wlast),
    .commit_o         (rf_commit),
    .exp_seq_o        (exp_seq),
    .open_o           (rx_open),
    .accepts_o        (accepts),
    .dup_o            (dup),
    .nak_pending_o    (nak_pending_rx),
    .nak_sent_o       (nak_sent_rx),
    .ack_valid_o      (ack_valid),
    .hdr_rcvd_o       (hdr_rcvd),
    .bad_inc_o        (bad_inc),
    .rx_err_inc_o     (rx_err_inc),
    .rx_flits_inc_o   (rx_flits_inc)
  );

  optile_phy_rx_fifo #(
    .NumLanes(NumLanes), .FlitW(FlitW), .SideW(SideW), .RxCredits(RxCredits)
  ) u_rx_fifo (
    .clk_i, .rst_ni,
    .clear_i    (clear),
    .we_i       (rf_we),
    .waddr_i    (rf_waddr),
    .wword_i    (rf_wword),
    .wdata_i    (rf_wdata),
    .swe_i      (rf_swe),
    .wside_i    (rf_wside),
    .wlast_i    (rf_wlast),
    .commit_i   (rf_commit),
    .rx_ready_i (rx_ready_i),
    .rx_valid_o (rx_valid_o),
    .rx_flit_o  (rx_flit_o),
    .rx_side_o  (rx_side_o),
    .freed_o    (rf_freed),
    .tail_o     (rf_tail),
    .count_o    (rf_count)
  );

  // ---- ACK/NAK ---------------------------------------------------------------------
  logic [NumLanes*64-1:0] ack_blk;
  for (genvar i = 0; i < NumLanes; i++) begin : g_ackblk
    assign ack_blk[64*i +: 64] = head_blk[66*i + 2 +: 64];
  end

  optile_phy_ack #(.NumLanes(NumLanes)) u_ack (
    .clk_i, .rst_ni,
    .clear_i          (clear),
    .flags_clr_i      (flags_clr),
    .enter_active_i   (enter_active),
    .active_i         (st_active),
    .ack_sent_i       (ack_sent),
    .nak_sent_i       (nak_sent),
    .replay_clr_i     (replay_clr),
    .next_seq_d_i     (next_seq_d),
    .exp_seq_i        (exp_seq),
    .accepts_i        (accepts),
    .freed_i          (rf_freed),
    .dup_i            (dup),
    .nak_pending_rx_i (nak_pending_rx),
    .nak_sent_rx_i    (nak_sent_rx),
    .ack_valid_i      (ack_valid),
    .ack_blk_i        (ack_blk),
    .replay_timeout_i (replay_timeout_i),
    .replay_limit_i   (replay_limit_i),
    .ack_dirty_o      (ack_dirty),
    .ack_events_o     (ack_events),
    .ack_age_o        (ack_age),
    .ack_urgent_o     (ack_urgent),
    .nak_pending_o    (nak_pending),
    .nak_pending_tx_o (nak_pending_tx),
    .nak_sent_tx_o    (nak_sent_tx),
    .ack_payload_o    (ack_payload),
    .una_o            (una),
    .peer_freed_o     (peer_freed),
    .replay_req_o     (replay_req),
    .replay_trig_o    (replay_trig),
    .down_o           (replay_down)
  );

  // ---- training ----------------------------------------------------------------------
  logic eligible;
  assign eligible = (fifo_count == '0) && (una == next_seq) && (rf_count == '0) && !rx_open &&
                    !ack_dirty && !ack_urgent && !nak_pending;

  optile_phy_train #(.NumLanes(NumLanes), .LockWait(LockWait)) u_train (
    .clk_i, .rst_ni,
    .enable_i             (enable_i),
    .rings_locked_i       (rings_locked_i),
    .retrain_i            (retrain_i),
    .lane_mask_i          (lane_mask_i),
    .idle_timeout_i       (idle_timeout_i),
    .laser_settle_i       (laser_settle_i),
    .train_timeout_i      (train_timeout_i),
    .locked_d_i           (rx_locked_d),
    .ts_wake_i            (rx_ts),
    .tx_valid_i           (tx_valid_i),
    .fifo_empty_i         (fifo_count == '0),
    .row_nonam_i          (row_cycle && !am_row),
    .sleep_row_tx_i       (sleep_row_tx),
    .hdr_sent_i           (hdr_sent),
    .hdr_rcvd_i           (hdr_rcvd),
    .eligible_i           (eligible),
    .pop_i                (pop),
    .first_i              (pop_first),
    .marker_i             (pop_marker),
    .second_marker_i      (second_marker),
    .failure_i            (deskew_fail),
    .group_i              (group),
    .low_kind_i           (low_kind),
    .low_ts_phase_i       (low_phase),
    .low_ts_rx_mask_i     (low_rxm),
    .low_ts_active_mask_i (low_actm),
    .sleep_row_rx_i       (sleep_row_rx),
    .replay_down_i        (replay_down),
    .state_o              (state),
    .phase_o              (phase),
    .rx_mask_o            (rx_mask),
    .active_mask_o        (active_mask),
    .sleep_ack_o          (sleep_ack),
    .sleep_req_o          (sleep_req),
    .clear_o              (clear),
    .enter_laser_on_o     (enter_laser_on),
    .deskew_start_o       (deskew_start),
    .start_group_o        (start_group),
    .deskew_clear_o       (deskew_clear),
    .commit_o             (commit),
    .commit_mask_o        (commit_mask),
    .enter_active_o       (enter_active),
    .retrain_o            (retrain),
    .flags_clr_o          (flags_clr),
    .abandon_o            (abandon),
    .link_down_o          (link_down),
    .idle_entry_o         (idle_entry)
  );

  assign state_o       = state;
  assign link_up_o     = st_active;
  assign lane_lock_o   = rx_locked;
  assign active_mask_o = active_mask;
  assign train_phase_o = phase;

  // ---- registered CSR-side values, counters ----------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lane_heater_o      <= '0;
      lane_power_o       <= '0;
      bits_sent_o        <= '0;
      laser_cycles_o     <= '0;
      heater_integral_o  <= '0;
      sh_errors_o        <= '0;
      lock_losses_o      <= '0;
      tx_flits_o         <= '0;
      rx_flits_o         <= '0;
      tx_packets_o       <= '0;
      rx_packets_o       <= '0;
      bad_packets_o      <= '0;
      replays_o          <= '0;
      replayed_packets_o <= '0;
      naks_sent_o        <= '0;
      acks_sent_o        <= '0;
      retrains_o         <= '0;
      link_downs_o       <= '0;
      idle_entries_o     <= '0;
      rx_errors_o        <= '0;
    end else begin
      lane_heater_o <= heater_code_i;
      lane_power_o  <= lane_rx_power_i;
      for (int unsigned i = 0; i < NumLanes; i++) begin
        bits_sent_o[64*i +: 64]       <= bits_sent_o[64*i +: 64] + (row_sent[i] ? 64'd66 : 64'd0);
        laser_cycles_o[64*i +: 64]    <= laser_cycles_o[64*i +: 64] + 64'(lane_laser_on_o[i]);
        heater_integral_o[64*i +: 64] <= heater_integral_o[64*i +: 64] +
                                         64'(lane_heater_o[HeaterW*i +: HeaterW]);
        sh_errors_o[32*i +: 32]       <= sh_errors_o[32*i +: 32] + 32'(rx_sh_err[i]);
        lock_losses_o[32*i +: 32]     <= lock_losses_o[32*i +: 32] + 32'(rx_lost[i]);
      end
      tx_flits_o         <= tx_flits_o + 32'(tx_flits_inc);
      rx_flits_o         <= rx_flits_o + 32'(rx_flits_inc);
      tx_packets_o       <= tx_packets_o + 32'(new_pkts);
      rx_packets_o       <= rx_packets_o + 32'(accepts);
      bad_packets_o      <= bad_packets_o + 32'(bad_inc);
      replays_o          <= replays_o + 32'(replay_trig);
      replayed_packets_o <= replayed_packets_o + 32'(replayed_inc);
      naks_sent_o        <= naks_sent_o + 32'(nak_sent);
      acks_sent_o        <= acks_sent_o + 32'(ack_sent);
      retrains_o         <= retrains_o + 32'(retrain);
      link_downs_o       <= link_downs_o + 32'(link_down);
      idle_entries_o     <= idle_entries_o + 32'(idle_entry);
      rx_errors_o        <= rx_errors_o + 32'(rx_err_inc);
    end
  end

endmodule

`default_nettype wire
