// Deskew and row reassembly (docs/spec.md 4.7): one FIFO of Depth blocks
// per lane, hunting for the first AM after a deskew start, row pops when
// every group lane holds a block, the marker check on every M-th popped row
// and the deskew failure conditions. Runs in DESKEW and ACTIVE (run_i).
//
// The first popped row is row x = 0; xm_q is the index of the last popped
// row modulo M. second_marker_o flags a marker row other than the first one
// whose blocks are all good markers (see the spec notes in the PHY report).

`default_nettype none

module optile_phy_deskew #(
  parameter int unsigned NumLanes = 8,
  parameter int unsigned Depth    = 16
) (
  input  wire logic                   clk_i,
  input  wire logic                   rst_ni,
  input  wire logic                   clear_i,       // not in DESKEW/ACTIVE next: stop, forget the group
  input  wire logic                   run_i,         // state DESKEW or ACTIVE this cycle
  input  wire logic                   start_i,       // deskew (re)start at this edge
  input  wire logic [NumLanes-1:0]    start_group_i,
  input  wire logic [15:0]            am_period_i,   // M, sampled at start_i
  input  wire logic                   commit_i,      // group becomes commit_mask_i at this edge
  input  wire logic [NumLanes-1:0]    commit_mask_i,
  input  wire logic [NumLanes-1:0]    pass_i,
  input  wire logic [NumLanes*66-1:0] blk_i,
  input  wire logic [NumLanes-1:0]    am_i,
  input  wire logic [NumLanes-1:0]    lock_lost_i,
  output logic                        pop_o,
  output logic                        first_o,
  output logic                        marker_o,
  output logic                        second_marker_o,
  output logic      [NumLanes*66-1:0] head_blk_o,
  output logic      [NumLanes-1:0]    head_am_o,
  output logic                        failure_o,
  output logic      [NumLanes-1:0]    group_o,
  output logic      [NumLanes-1:0]    lane_deskew_o
);

  localparam int unsigned PtrW = $clog2(Depth);
  localparam int unsigned CntW = $clog2(Depth + 1);

  logic [66:0]          mem_q [NumLanes][Depth];
  logic [PtrW-1:0]      rd_q [NumLanes];
  logic [PtrW-1:0]      wr_q [NumLanes];
  logic [CntW-1:0]      cnt_q [NumLanes];
  logic [NumLanes-1:0]  hunt_q;
  logic [2:0]           badm_q [NumLanes];
  logic [NumLanes-1:0]  group_q, deskew_q;
  logic                 done_q;
  logic [15:0]          m_q, xm_q;

  logic [NumLanes-1:0]  nonempty, wr_en, hunt_d;
  logic [2:0]           badm_d [NumLanes];
  logic [15:0]          idx;
  logic                 fail_lane;

  for (genvar i = 0; i < NumLanes; i++) begin : g_head
    assign nonempty[i]            = (cnt_q[i] != '0);
    assign head_blk_o[66*i +: 66] = mem_q[i][rd_q[i]][65:0];
    assign head_am_o[i]           = mem_q[i][rd_q[i]][66];
  end

  assign pop_o    = run_i && (group_q != '0) && ((nonempty & group_q) == group_q);
  assign first_o  = pop_o && !done_q;
  assign idx      = first_o ? 16'd0 :
                    ((17'(xm_q) + 17'd1 >= 17'(m_q)) ? 16'd0 : xm_q + 16'd1);
  assign marker_o = pop_o && (idx == 16'd0);

  always_comb begin
    logic all_good;
    logic [CntW:0] occ;
    all_good  = 1'b1;
    fail_lane = 1'b0;
    occ       = '0;
    for (int unsigned i = 0; i < NumLanes; i++) begin
      badm_d[i] = badm_q[i];
      hunt_d[i] = hunt_q[i];
      wr_en[i]  = 1'b0;
      if (group_q[i]) begin
        // marker check / AM in a non-marker row
        if (pop_o) begin
          if (marker_o) begin
            if (head_am_o[i]) begin
              badm_d[i] = '0;
            end else begin
              all_good  = 1'b0;
              badm_d[i] = badm_q[i] + 3'd1;
              if (badm_d[i] == 3'd4) fail_lane = 1'b1;
            end
          end else if (head_am_o[i]) begin
            fail_lane = 1'b1;
          end
        end
        // hunting and writes
        if (pass_i[i] && (!hunt_q[i] || am_i[i])) begin
          hunt_d[i] = 1'b0;
          occ = (CntW+1)'(cnt_q[i]) - (CntW+1)'(pop_o) + 'd1;
          if (occ > (CntW+1)'(Depth)) fail_lane = 1'b1;
          else wr_en[i] = 1'b1;
        end
        if (lock_lost_i[i]) fail_lane = 1'b1;
      end
    end
    second_marker_o = marker_o && !first_o && all_good;
  end

  assign failure_o     = run_i && fail_lane;
  assign group_o       = group_q;
  assign lane_deskew_o = deskew_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      group_q  <= '0;
      deskew_q <= '0;
      done_q   <= 1'b0;
      hunt_q   <= '1;
      m_q      <= 16'd4096;
      xm_q     <= '0;
      for (int unsigned i = 0; i < NumLanes; i++) begin
        rd_q[i]   <= '0;
        wr_q[i]   <= '0;
        cnt_q[i]  <= '0;
        badm_q[i] <= '0;
      end
    end else if (clear_i || start_i) begin
      group_q  <= clear_i ? '0 : start_group_i;
      deskew_q <= '0;
      done_q   <= 1'b0;
      hunt_q   <= '1;
      xm_q     <= '0;
      if (!clear_i) m_q <= am_period_i;
      for (int unsigned i = 0; i < NumLanes; i++) begin
        rd_q[i]   <= '0;
        wr_q[i]   <= '0;
        cnt_q[i]  <= '0;
        badm_q[i] <= '0;
      end
    end else if (run_i) begin
      hunt_q <= hunt_d;
      if (pop_o) begin
        xm_q <= idx;
        if (first_o) begin
          done_q   <= 1'b1;
          deskew_q <= group_q;
        end
      end
      for (int unsigned i = 0; i < NumLanes; i++) begin
        badm_q[i] <= badm_d[i];
        if (wr_en[i]) begin
          mem_q[i][wr_q[i]] <= {am_i[i], blk_i[66*i +: 66]};
          wr_q[i]           <= wr_q[i] + 1'b1;
        end
        if (pop_o && group_q[i]) rd_q[i] <= rd_q[i] + 1'b1;
        cnt_q[i] <= cnt_q[i] + CntW'(wr_en[i]) - CntW'(pop_o && group_q[i]);
      end
      if (commit_i) begin
        group_q  <= commit_mask_i;
        deskew_q <= commit_mask_i;
        for (int unsigned i = 0; i < NumLanes; i++) begin
          if (!commit_mask_i[i]) begin
            rd_q[i]  <= '0;
            wr_q[i]  <= '0;
            cnt_q[i] <= '0;
          end
        end
      end
    end
  end

endmodule

`default_nettype wire
