// Receive front end of one lane (docs/spec.md 4.6): bit accumulator,
// 66-bit candidate blocks with slip, block lock (sync-header hunting), AM
// detection and the descrambler. A candidate whose last bit arrived in cycle
// c is evaluated in c+1 (stage R1); a passed block is presented on pass_o /
// blk_o / am_o in that cycle (the deskew FIFO writes it at the clock edge).
//
// The accumulator holds icnt_q received bits not yet consumed, oldest at
// bit 0; skip_q means the next candidate starts one bit later (a slip).
// With W <= 64 at most one candidate completes per cycle.

`default_nettype none

module optile_phy_rx_lane
  import optile_phy_pkg::*;
#(
  parameter int unsigned LaneW   = 32,
  parameter int unsigned LaneIdx = 0
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             clear_i,     // entering/in RESET: back to reset values
  input  wire logic             run_i,       // the front end runs this cycle (not RESET/DOWN)
  input  wire logic [LaneW-1:0] word_i,      // lane_rx_i word, bit 0 first
  output logic                  pass_o,      // a block is passed on this cycle
  output logic      [65:0]      blk_o,       // {payload, sync header}; payload descrambled unless AM
  output logic                  am_o,        // the passed block is this lane's AM
  output logic                  locked_o,    // block lock (register)
  output logic                  locked_d_o,  // block lock after this cycle's R1
  output logic                  lock_lost_o, // lock lost this cycle
  output logic                  sh_err_o,    // invalid sync header while locked
  output logic                  ts_o         // a valid TS block was passed (wake detect)
);

  localparam int unsigned BufW = LaneW + 67;

  logic [BufW-1:0] ibuf_q, ibuf_d;
  logic [7:0]      icnt_q, icnt_d;
  logic            skip_q, skip_d;
  logic [5:0]      sh_cnt_q, sh_cnt_d;
  logic [3:0]      bad_q, bad_d;
  logic            locked_q, locked_d;
  logic [57:0]     rc_q, rc_nxt;

  logic        avail, valid_sh, slip;
  logic [65:0] cand;
  logic [7:0]  cons;
  logic [63:0] descr;

  assign avail = run_i && (icnt_q >= (8'd66 + 8'(skip_q)));
  assign cand  = skip_q ? ibuf_q[66:1] : ibuf_q[65:0];
  assign cons  = avail ? (8'd66 + 8'(skip_q)) : 8'd0;

  always_comb begin
    ibuf_d = (ibuf_q >> cons) | (BufW'(word_i) << (icnt_q - cons));
    icnt_d = icnt_q - cons + 8'(LaneW);
  end

  // ---- block lock -----------------------------------------------------------
  assign valid_sh = cand[0] ^ cand[1];

  always_comb begin
    logic [6:0] sh_n;
    logic [4:0] bad_n;
    sh_cnt_d    = sh_cnt_q;
    bad_d       = bad_q;
    locked_d    = locked_q;
    slip        = 1'b0;
    lock_lost_o = 1'b0;
    sh_err_o    = 1'b0;
    sh_n        = 7'(sh_cnt_q) + 7'd1;
    bad_n       = 5'(bad_q) + 5'(!valid_sh);
    if (avail) begin
      if (!locked_q) begin
        if (valid_sh) begin
          if (sh_n == 7'd64) begin
            locked_d = 1'b1;
            sh_cnt_d = '0;
            bad_d    = '0;
          end else begin
            sh_cnt_d = sh_n[5:0];
          end
        end else begin
          sh_cnt_d = '0;
          slip     = 1'b1;
        end
      end else begin
        sh_err_o = !valid_sh;
        if (bad_n == 5'd16) begin
          locked_d    = 1'b0;
          sh_cnt_d    = '0;
          bad_d       = '0;
          slip        = 1'b1;
          lock_lost_o = 1'b1;
        end else if (sh_n == 7'd64) begin
          sh_cnt_d = '0;
          bad_d    = '0;
        end else begin
          sh_cnt_d = sh_n[5:0];
          bad_d    = bad_n[3:0];
        end
      end
    end
    skip_d = avail ? slip : skip_q;
  end

  assign locked_o   = locked_q;
  assign locked_d_o = locked_d;

  // ---- AM detection, descrambling ------------------------------------------
  optile_phy_scrambler #(.Descramble(1'b1)) u_descr (
    .state_i (rc_q),
    .data_i  (cand[65:2]),
    .data_o  (descr),
    .state_o (rc_nxt)
  );

  assign pass_o = avail && locked_d;
  assign am_o   = (cand[1:0] == ShCtrl) && (cand[65:2] == am_payload(8'(LaneIdx)));
  assign blk_o  = {am_o ? cand[65:2] : descr, cand[1:0]};

  assign ts_o = pass_o && !am_o && (cand[1:0] == ShCtrl) && (descr[7:0] == BtTs) &&
                (descr[15:8] == 8'(LaneIdx)) && (descr[17:16] != 2'd3) &&
                (descr[23:18] == '0) && (descr[63:40] == '0);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ibuf_q   <= '0;
      icnt_q   <= '0;
      skip_q   <= 1'b0;
      sh_cnt_q <= '0;
      bad_q    <= '0;
      locked_q <= 1'b0;
      rc_q     <= '1;
    end else if (clear_i) begin
      ibuf_q   <= '0;
      icnt_q   <= '0;
      skip_q   <= 1'b0;
      sh_cnt_q <= '0;
      bad_q    <= '0;
      locked_q <= 1'b0;
      rc_q     <= '1;
    end else if (run_i) begin
      ibuf_q   <= ibuf_d;
      icnt_q   <= icnt_d;
      skip_q   <= skip_d;
      sh_cnt_q <= sh_cnt_d;
      bad_q    <= bad_d;
      locked_q <= locked_d;
      if (pass_o && !am_o) rc_q <= rc_nxt;
    end
  end

endmodule

`default_nettype wire
