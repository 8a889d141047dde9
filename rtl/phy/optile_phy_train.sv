// Link training and low-power IDLE (docs/spec.md 4.9, 4.10): the state
// machine, the own TS phase and masks, the commit / uncommit / go-active
// rules, retrain triggers, the retrain timer, sleep_req / sleep_ack modes.
//
// It evaluates the events of the cycle produced by the other blocks
// (4.9.1 steps 1-3) and produces the next state plus the edge controls the
// other blocks apply at the clock edge (clear, LASER_ON entry, deskew start,
// commit, ACTIVE entry, retrain, flag clears).

`default_nettype none

module optile_phy_train
  import optile_phy_pkg::*;
#(
  parameter int unsigned NumLanes = 8,
  parameter int unsigned LockWait = 1024
) (
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // CSR side
  input  wire logic                enable_i,
  input  wire logic                rings_locked_i,
  input  wire logic                retrain_i,        // phy_ctrl.retrain pulse (4.9)
  input  wire logic [NumLanes-1:0] lane_mask_i,
  input  wire logic [31:0]         idle_timeout_i,
  input  wire logic [15:0]         laser_settle_i,
  input  wire logic [31:0]         train_timeout_i,
  // receive front end (this cycle's R1)
  input  wire logic [NumLanes-1:0] locked_d_i,
  input  wire logic [NumLanes-1:0] ts_wake_i,
  // transmit side
  input  wire logic                tx_valid_i,
  input  wire logic                fifo_empty_i,     // TX FIFO empty (start of cycle)
  input  wire logic                row_nonam_i,      // a non-AM row is composed this cycle
  input  wire logic                sleep_row_tx_i,   // ... and all its slots are SLEEP(ACK)
  input  wire logic                hdr_sent_i,
  input  wire logic                hdr_rcvd_i,
  input  wire logic                eligible_i,       // 4.10, start-of-cycle values
  // deskew
  input  wire logic                pop_i,
  input  wire logic                first_i,
  input  wire logic                marker_i,
  input  wire logic                second_marker_i,
  input  wire logic                failure_i,
  input  wire logic [NumLanes-1:0] group_i,
  // popped row: block on the lowest group lane, SLEEP row
  input  wire logic [2:0]          low_kind_i,
  input  wire logic [1:0]          low_ts_phase_i,
  input  wire logic [7:0]          low_ts_rx_mask_i,
  input  wire logic [7:0]          low_ts_active_mask_i,
  input  wire logic                sleep_row_rx_i,
  // link layer
  input  wire logic                replay_down_i,
  // state
  output logic      [2:0]          state_o,
  output logic      [1:0]          phase_o,
  output logic      [NumLanes-1:0] rx_mask_o,
  output logic      [NumLanes-1:0] active_mask_o,
  output logic                     sleep_ack_o,
  output logic                     sleep_req_o,
  // edge controls (apply at this clock edge)
  output logic                     clear_o,          // next state RESET
  output logic                     enter_laser_on_o,
  output logic                     deskew_start_o,
  output logic      [NumLanes-1:0] start_group_o,
  output logic                     deskew_clear_o,   // next state neither DESKEW nor ACTIVE
  output logic                     commit_o,
  output logic      [NumLanes-1:0] commit_mask_o,
  output logic                     enter_active_o,
  output logic                     retrain_o,
  output logic                     flags_clr_o,      // retrain or leaving IDLE
  output logic                     abandon_o,        // next state not ACTIVE
  output logic                     link_down_o,      // entering DOWN
  output logic                     idle_entry_o
);

  logic [2:0]          state_q, state_d;
  logic [16:0]         st_cnt_q;
  logic [31:0]         rtt_q;
  logic                rtt_run_q;
  logic [1:0]          phase_q;
  logic [NumLanes-1:0] rx_mask_q, active_mask_q;
  logic [7:0]          p_q, p_d;
  logic [7:0]          tscnt_q, tscnt_d;
  logic                second_q, second_d;
  logic [2:0]          p2rows_q, p2rows_d;
  logic                peer_ok_q, peer_ev;
  logic [1:0]          uc_cnt_q;          // consecutive contradicting TS rows (4.9)
  logic                contra;
  logic                sleep_ack_q;
  logic [2:0]          sleep_rows_q;
  logic [1:0]          sleep_wait_q;
  logic [31:0]         idle_cnt_q, idle_cnt_d;

  logic [NumLanes-1:0] locked_m;
  logic                row_read, low_ts, low_p2_own;
  logic                commit_cond, uncommit, go_active, retrain_trig, idle_go, wake;
  logic                timer_down, commit_down, reentry;
  logic                training_st;

  assign locked_m    = lane_mask_i & locked_d_i;
  assign row_read    = pop_i && !marker_i;
  assign low_ts      = (low_kind_i == KTs);
  assign low_p2_own  = (low_ts_phase_i == 2'd2) && (low_ts_active_mask_i == 8'(active_mask_q));
  assign training_st = (state_q == StLaserOn) || (state_q == StRingTune) ||
                       (state_q == StBlockLock) || (state_q == StDeskew);

  // ---- commit state (DESKEW, deskew completed, not committed) -------------------
  always_comb begin
    p_d      = p_q;
    tscnt_d  = tscnt_q;
    second_d = second_q;
    if ((state_q == StDeskew) && (phase_q == 2'd1)) begin
      if (second_marker_i) second_d = 1'b1;
      if (row_read) begin
        if (low_ts && (low_ts_phase_i != 2'd0)) begin
          if (tscnt_q == '0) begin
            p_d     = low_ts_rx_mask_i;
            tscnt_d = 8'd1;
          end else if (low_ts_rx_mask_i == p_q) begin
            tscnt_d = (tscnt_q == 8'd255) ? tscnt_q : tscnt_q + 8'd1;
          end else begin
            tscnt_d = '0;
          end
        end else begin
          tscnt_d = '0;
        end
      end
    end
  end

  assign commit_cond   = (state_q == StDeskew) && (phase_q == 2'd1) && second_d && (tscnt_d >= 8'd4);
  assign commit_mask_o = lane_mask_i & rx_mask_q & p_d[NumLanes-1:0];
  assign commit_down   = commit_cond && (commit_mask_o == '0);

  // ---- committed DESKEW: uncommit, go active ---------------------------------------
  assign contra   = (state_q == StDeskew) && (phase_q == 2'd2) && row_read && low_ts &&
                    ((low_ts_phase_i == 2'd0) || (low_ts_rx_mask_i != p_q) ||
                     ((low_ts_phase_i == 2'd2) && (low_ts_active_mask_i != 8'(active_mask_q))));
  // the 4th contradicting TS row in a row uncommits (one corrupted TS does not)
  assign uncommit = contra && (uc_cnt_q == 2'd3);
  assign peer_ev  = (state_q == StDeskew) && (phase_q == 2'd2) && row_read &&
                    ((low_ts && low_p2_own) || ((low_kind_i != KTs) && (low_kind_i != KInvalid)));
  assign p2rows_d = ((phase_q == 2'd2) && training_st && row_nonam_i && (p2rows_q != 3'd4)) ?
                    p2rows_q + 3'd1 : p2rows_q;
  assign go_active = (state_q == StDeskew) && (phase_q == 2'd2) && (p2rows_d >= 3'd4) &&
                     (peer_ok_q || peer_ev);

  // ---- ACTIVE: retrain triggers, sleep --------------------------------------------
  assign retrain_trig = (state_q == StActive) && !sleep_ack_q &&
                        (retrain_i || failure_i || (row_read && low_ts && !low_p2_own));
  assign idle_go      = (state_q == StActive) && (sleep_wait_q == 2'd2);
  assign wake         = tx_valid_i || !fifo_empty_i || ((ts_wake_i & lane_mask_i) != '0);
  assign timer_down   = rtt_run_q && (train_timeout_i != '0) && (rtt_q == train_timeout_i);

  always_comb begin
    idle_cnt_d = '0;
    if (state_q == StActive && eligible_i && !hdr_sent_i && !hdr_rcvd_i)
      idle_cnt_d = (idle_cnt_q == '1) ? idle_cnt_q : idle_cnt_q + 32'd1;
  end

  assign sleep_req_o = (state_q == StActive) && (idle_timeout_i != '0) && (idle_cnt_q >= idle_timeout_i);

  // ---- next state -------------------------------------------------------------------
  always_comb begin
    state_d        = state_q;
    reentry        = 1'b0;
    deskew_start_o = 1'b0;
    commit_o       = 1'b0;
    if (!enable_i) begin
      state_d = StReset;
    end else if ((state_q != StReset) && (state_q != StDown) &&
                 (replay_down_i || timer_down || commit_down)) begin
      state_d = StDown;
    end else if (retrain_trig) begin
      state_d = StBlockLock;
    end else if (idle_go) begin
      state_d = StIdle;
    end else begin
      unique case (state_q)
        StReset:    state_d = StLaserOn;
        StLaserOn:  if (17'(st_cnt_q) + 17'd1 >= 17'(laser_settle_i)) state_d = StRingTune;
        StRingTune: if (rings_locked_i) state_d = StBlockLock;
        StBlockLock: begin
          if ((locked_m == lane_mask_i) ||
              ((locked_m != '0) && (st_cnt_q >= 17'(LockWait)))) begin
            if (locked_m != '0) begin
              state_d        = StDeskew;
              deskew_start_o = 1'b1;
            end else begin
              reentry = 1'b1;  // empty group: "goes to BLOCK_LOCK instead"
            end
          end
        end
        StDeskew: begin
          if (failure_i || uncommit) begin
            if (locked_m != '0) deskew_start_o = 1'b1;
            else state_d = StBlockLock;
          end else if (commit_cond) begin
            commit_o = 1'b1;
          end else if (go_active) begin
            state_d = StActive;
          end
        end
        StIdle:     if (wake) state_d = StLaserOn;
        default:    ;  // ACTIVE (handled above), DOWN
      endcase
    end
  end

  assign start_group_o    = locked_m;
  assign clear_o          = !enable_i;
  assign enter_laser_on_o = (state_d == StLaserOn) && (state_q != StLaserOn);
  assign deskew_clear_o   = (state_d != StDeskew) && (state_d != StActive);
  assign enter_active_o   = (state_q == StDeskew) && (state_d == StActive);
  assign retrain_o        = (state_q == StActive) && (state_d == StBlockLock);
  assign flags_clr_o      = retrain_o || ((state_q == StIdle) && (state_d != StIdle));
  assign abandon_o        = (state_d != StActive);
  assign link_down_o      = (state_d == StDown) && (state_q != StDown);
  assign idle_entry_o     = (state_d == StIdle) && (state_q == StActive);

  assign state_o       = state_q;
  assign phase_o       = phase_q;
  assign rx_mask_o     = rx_mask_q;
  assign active_mask_o = active_mask_q;
  assign sleep_ack_o   = sleep_ack_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= StReset;
      st_cnt_q      <= '0;
      rtt_q         <= '0;
      rtt_run_q     <= 1'b0;
      phase_q       <= '0;
      rx_mask_q     <= '0;
      active_mask_q <= '0;
      p_q           <= '0;
      tscnt_q       <= '0;
      second_q      <= 1'b0;
      p2rows_q      <= '0;
      peer_ok_q     <= 1'b0;
      uc_cnt_q      <= '0;
      sleep_ack_q   <= 1'b0;
      sleep_rows_q  <= '0;
      sleep_wait_q  <= '0;
      idle_cnt_q    <= '0;
    end else begin
      state_q  <= state_d;
      st_cnt_q <= ((state_d != state_q) || reentry) ? '0 :
                  ((st_cnt_q == '1) ? st_cnt_q : st_cnt_q + 17'd1);

      // retrain timer
      if (clear_o) begin
        rtt_run_q <= 1'b0;
        rtt_q     <= '0;
      end else if (retrain_o || ((state_q == StIdle) && (state_d == StLaserOn))) begin
        rtt_run_q <= 1'b1;
        rtt_q     <= '0;
      end else if (state_d == StActive) begin
        rtt_run_q <= 1'b0;
      end else if (rtt_run_q) begin
        rtt_q <= (rtt_q == '1) ? rtt_q : rtt_q + 32'd1;
      end

      // TS phase, masks and commit state
      if (deskew_clear_o || deskew_start_o) begin
        phase_q       <= '0;
        rx_mask_q     <= '0;
        active_mask_q <= '0;
        p_q           <= '0;
        tscnt_q       <= '0;
        second_q      <= 1'b0;
        p2rows_q      <= '0;
        peer_ok_q     <= 1'b0;
        uc_cnt_q      <= '0;
      end else if (commit_o) begin
        phase_q       <= 2'd2;
        active_mask_q <= commit_mask_o;
        p_q           <= p_d;
        tscnt_q       <= tscnt_d;
        second_q      <= second_d;
        p2rows_q      <= '0;
        peer_ok_q     <= 1'b0;
        uc_cnt_q      <= '0;
      end else begin
        if (first_i && (state_q == StDeskew)) begin
          phase_q   <= 2'd1;
          rx_mask_q <= group_i;
        end
        p_q       <= p_d;
        tscnt_q   <= tscnt_d;
        second_q  <= second_d;
        p2rows_q  <= p2rows_d;
        peer_ok_q <= peer_ok_q || peer_ev;
        if ((state_q == StDeskew) && (phase_q == 2'd2) && row_read)
          uc_cnt_q <= contra ? ((uc_cnt_q == 2'd3) ? uc_cnt_q : uc_cnt_q + 2'd1) : 2'd0;
      end

      // sleep modes (ACTIVE only)
      if (state_d != StActive) begin
        sleep_ack_q  <= 1'b0;
        sleep_rows_q <= '0;
        sleep_wait_q <= '0;
      end else begin
        if ((state_q == StActive) && eligible_i && row_read && sleep_row_rx_i) sleep_ack_q <= 1'b1;
        if (sleep_ack_q && sleep_row_tx_i && (sleep_rows_q != 3'd4)) begin
          sleep_rows_q <= sleep_rows_q + 3'd1;
          if (sleep_rows_q == 3'd3) sleep_wait_q <= 2'd1;
        end
        if (sleep_wait_q == 2'd1) sleep_wait_q <= 2'd2;
      end
      idle_cnt_q <= idle_cnt_d;
    end
  end

endmodule

`default_nettype wire
