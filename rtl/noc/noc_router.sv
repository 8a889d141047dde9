// Network-tile router: six ports (N, E, S, W, L, X), NumVc virtual channels
// per port, credit flow control, two pipeline stages (buffer write, then
// route computation + VC allocation + switch allocation in one cycle) plus
// the output (link) register. docs/spec.md section 5 is the normative
// description; the comments below name its steps (section 5.7).
//
// Every output is a register or a constant: no combinational path from any
// input to any output. Per-port vectors are flat, port p at [p*W +: W].

`default_nettype none

module noc_router
  import noc_pkg::*;
#(
  parameter int unsigned          FlitW    = 256,
  parameter int unsigned          NumVc    = 2,
  parameter int unsigned          BufDepth = 4,
  parameter logic [NumPorts-1:0]  PortEn   = 6'b111111,
  // derived; do not override
  parameter int unsigned          VcW      = (NumVc > 1) ? $clog2(NumVc) : 1
) (
  input  wire logic                        clk_i,
  input  wire logic                        rst_ni,
  // identity and inter-chip route table (section 5.3)
  input  wire logic [3:0]                  my_chip_i,
  input  wire logic [3:0]                  my_x_i,
  input  wire logic [3:0]                  my_y_i,
  input  wire logic [63:0]                 route_i,
  // input links
  input  wire logic [NumPorts-1:0]         in_valid_i,
  input  wire logic [NumPorts*FlitW-1:0]   in_flit_i,
  input  wire logic [NumPorts-1:0]         in_head_i,
  input  wire logic [NumPorts-1:0]         in_tail_i,
  input  wire logic [NumPorts*VcW-1:0]     in_vc_i,
  output logic      [NumPorts-1:0]         in_credit_valid_o,
  output logic      [NumPorts*VcW-1:0]     in_credit_vc_o,
  // output links
  output logic      [NumPorts-1:0]         out_valid_o,
  output logic      [NumPorts*FlitW-1:0]   out_flit_o,
  output logic      [NumPorts-1:0]         out_head_o,
  output logic      [NumPorts-1:0]         out_tail_o,
  output logic      [NumPorts*VcW-1:0]     out_vc_o,
  input  wire logic [NumPorts-1:0]         out_credit_valid_i,
  input  wire logic [NumPorts*VcW-1:0]     out_credit_vc_i,
  // counters (section 5.8), port p at [32p +: 32]
  output logic      [NumPorts*CntW-1:0]    cnt_flits_in_o,
  output logic      [NumPorts*CntW-1:0]    cnt_flits_out_o,
  output logic      [NumPorts*CntW-1:0]    cnt_stall_o,
  output logic      [NumPorts*CntW-1:0]    cnt_occ_o,
  output logic      [NumPorts*CntW-1:0]    cnt_buf_wr_o,
  output logic      [NumPorts*CntW-1:0]    cnt_buf_rd_o,
  output logic      [NumPorts*CntW-1:0]    cnt_xbar_o,
  output logic      [NumPorts*CntW-1:0]    cnt_va_o,
  output logic      [NumPorts*CntW-1:0]    cnt_sa_o,
  output logic      [CntW-1:0]             cnt_err_route_o,
  output logic      [CntW-1:0]             cnt_err_proto_o,
  output logic      [CntW-1:0]             cnt_err_ovf_o,
  output logic      [CntW-1:0]             cnt_err_credit_o
);

  // Input VC (i, v) has flat index i*NumVc + v; so has output VC (o, v).
  localparam int unsigned NumIvc = NumPorts * NumVc;
  localparam int unsigned BufW   = FlitW + 2;               // {tail, head, payload}
  localparam int unsigned BCntW  = $clog2(BufDepth + 1);    // buffer fill and credits
  localparam int unsigned OccW   = $clog2(NumVc * BufDepth + 1);
  localparam int unsigned EvW    = $clog2(NumIvc + NumPorts + 1);

  function automatic logic [EvW-1:0] popcount(logic [NumIvc+NumPorts-1:0] v);
    logic [EvW-1:0] n = '0;
    for (int unsigned k = 0; k < NumIvc + NumPorts; k++) n = n + EvW'(v[k]);
    return n;
  endfunction

  // ---------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------
  vc_state_e           st_d [NumIvc], st_q [NumIvc];
  logic [PortIdxW-1:0] op_d [NumIvc], op_q [NumIvc];      // output port of an ACTIVE VC
  logic [NumIvc-1:0]   alloc_d, alloc_q;                   // output VC (o, v) holds a packet
  logic [BCntW-1:0]    cred_d [NumIvc], cred_q [NumIvc];   // credits of output VC (o, v)

  // ---------------------------------------------------------------------------
  // Input VC buffers and the view of their front flits
  // ---------------------------------------------------------------------------
  logic [NumIvc-1:0]   push, pop;
  logic [BufW-1:0]     front [NumIvc];
  logic [BCntW-1:0]    fill  [NumIvc];
  logic [NumIvc-1:0]   nonempty, full, fr_head, fr_tail;
  logic [NumIvc-1:0]   st_idle, st_active, st_drop;

  // Arrivals (step 6), per input port
  logic [NumPorts-1:0] in_ok;       // enabled and valid
  logic [NumPorts-1:0] in_badvc;    // in_vc_i >= NumVc: discarded, err_proto
  logic [NumPorts-1:0] in_ovf;      // target buffer full at the start of the cycle
  logic [BufW-1:0]     in_data [NumPorts];

  for (genvar p = 0; p < NumPorts; p++) begin : g_in_port
    logic [VcW-1:0] vc;
    assign vc          = in_vc_i[p*VcW +: VcW];
    assign in_ok[p]    = PortEn[p] && in_valid_i[p];
    assign in_badvc[p] = in_ok[p] && (32'(vc) >= NumVc);
    assign in_data[p]  = {in_tail_i[p], in_head_i[p], in_flit_i[p*FlitW +: FlitW]};

    logic [NumVc-1:0] ovf_v;
    for (genvar v = 0; v < NumVc; v++) begin : g_vc
      localparam int unsigned Iv = p * NumVc + v;
      assign push[Iv]  = in_ok[p] && (32'(vc) == v) && !full[Iv];
      assign ovf_v[v]  = in_ok[p] && (32'(vc) == v) && full[Iv];

      noc_fifo #(
        .Width (BufW),
        .Depth (BufDepth)
      ) u_buf (
        .clk_i,
        .rst_ni,
        .push_i (push[Iv]),
        .data_i (in_data[p]),
        .pop_i  (pop[Iv]),
        .data_o (front[Iv]),
        .cnt_o  (fill[Iv])
      );

      assign nonempty[Iv]  = fill[Iv] != '0;
      assign full[Iv]      = 32'(fill[Iv]) == BufDepth;
      assign fr_head[Iv]   = front[Iv][FlitW];
      assign fr_tail[Iv]   = front[Iv][FlitW+1];
      assign st_idle[Iv]   = st_q[Iv] == VcIdle;
      assign st_active[Iv] = st_q[Iv] == VcActive;
      assign st_drop[Iv]   = st_q[Iv] == VcDrop;
    end
    assign in_ovf[p] = |ovf_v;
  end

  // ---------------------------------------------------------------------------
  // Step 1: route computation for every input VC's front flit (used only when
  // the VC is IDLE and the front flit is a head).
  // ---------------------------------------------------------------------------
  logic [PortIdxW-1:0] rc_port [NumIvc];
  logic [NumIvc-1:0]   rc_ok;

  for (genvar iv = 0; iv < NumIvc; iv++) begin : g_rc
    noc_rc #(
      .PortEn (PortEn)
    ) u_rc (
      .dst_i     (front[iv][11:0]),
      .my_chip_i,
      .my_x_i,
      .my_y_i,
      .route_i,
      .port_o    (rc_port[iv]),
      .ok_o      (rc_ok[iv])
    );
  end

  // ---------------------------------------------------------------------------
  // Step 2: drop detection
  // ---------------------------------------------------------------------------
  logic [NumIvc-1:0] ev_route, ev_proto, drop_cand, va_want;

  assign ev_route  = nonempty & st_idle & fr_head & ~rc_ok;
  assign ev_proto  = nonempty & st_idle & ~fr_head;
  assign drop_cand = ev_route | ev_proto | (nonempty & st_drop);
  // IDLE head with a valid route: wants output VC (rc_port, v)
  assign va_want   = nonempty & st_idle & fr_head & rc_ok;

  // ---------------------------------------------------------------------------
  // Step 3: VC allocation, one arbiter per output VC (o, v) over input ports
  // ---------------------------------------------------------------------------
  logic [NumPorts-1:0] va_req [NumIvc];   // indexed by output VC
  logic [NumPorts-1:0] va_gnt [NumIvc];   // indexed by output VC
  logic [NumIvc-1:0]   va_any;            // output VC (o, v) granted this cycle
  logic [NumIvc-1:0]   va_won;            // input VC (i, v) granted this cycle

  for (genvar o = 0; o < NumPorts; o++) begin : g_va_out
    for (genvar v = 0; v < NumVc; v++) begin : g_vc
      localparam int unsigned Ov = o * NumVc + v;
      for (genvar i = 0; i < NumPorts; i++) begin : g_req
        assign va_req[Ov][i] = va_want[i*NumVc+v] && (rc_port[i*NumVc+v] == PortIdxW'(o))
                               && !alloc_q[Ov];
      end

      logic [PortIdxW-1:0] unused_idx;
      noc_rr_arb #(
        .N (NumPorts)
      ) u_arb (
        .clk_i,
        .rst_ni,
        .req_i (va_req[Ov]),
        .upd_i (1'b1),
        .gnt_o (va_gnt[Ov]),
        .idx_o (unused_idx),
        .any_o (va_any[Ov])
      );
    end
  end

  for (genvar i = 0; i < NumPorts; i++) begin : g_va_in
    for (genvar v = 0; v < NumVc; v++) begin : g_vc
      logic [NumPorts-1:0] won_at;   // one bit per output port
      for (genvar o = 0; o < NumPorts; o++) begin : g_out
        assign won_at[o] = va_gnt[o*NumVc+v][i];
      end
      assign va_won[i*NumVc+v] = |won_at;
    end
  end

  // ---------------------------------------------------------------------------
  // Step 4: switch allocation, input stage then output stage
  // ---------------------------------------------------------------------------
  // cred_pos[v][o]: output VC (o, v) has a credit at the start of the cycle
  // (8 bits so that any 3-bit port index is in range).
  logic [7:0] cred_pos [NumVc];
  for (genvar v = 0; v < NumVc; v++) begin : g_cred_pos
    for (genvar o = 0; o < 8; o++) begin : g_port
      if (o < NumPorts) begin : g_real
        assign cred_pos[v][o] = cred_q[o*NumVc+v] != '0;
      end else begin : g_none
        assign cred_pos[v][o] = 1'b0;
      end
    end
  end

  logic [NumIvc-1:0]   sa_cand;
  logic [PortIdxW-1:0] tgt_port [NumIvc];

  for (genvar i = 0; i < NumPorts; i++) begin : g_sa_cand
    for (genvar v = 0; v < NumVc; v++) begin : g_vc
      localparam int unsigned Iv = i * NumVc + v;
      assign tgt_port[Iv] = st_active[Iv] ? op_q[Iv] : rc_port[Iv];
      assign sa_cand[Iv]  = nonempty[Iv] &&
                            ((st_active[Iv] && cred_pos[v][op_q[Iv]]) ||
                             (va_won[Iv] && cred_pos[v][rc_port[Iv]]) ||
                             drop_cand[Iv]);
    end
  end

  // Input stage: one arbiter per input port over its VCs.
  logic [NumPorts-1:0] in_any;      // input i has a candidate
  logic [VcW-1:0]      in_vc [NumPorts];
  logic [NumPorts-1:0] in_sink;     // its winner targets the drop sink
  logic [PortIdxW-1:0] in_port [NumPorts];
  logic [NumPorts-1:0] in_gnt;      // its winner is granted (by an output or the sink)
  logic [BufW-1:0]     in_front [NumPorts];

  for (genvar i = 0; i < NumPorts; i++) begin : g_sa_in
    logic [NumVc-1:0] unused_gnt;
    noc_rr_arb #(
      .N (NumVc)
    ) u_arb (
      .clk_i,
      .rst_ni,
      .req_i (sa_cand[i*NumVc +: NumVc]),
      .upd_i (in_gnt[i]),
      .gnt_o (unused_gnt),
      .idx_o (in_vc[i]),
      .any_o (in_any[i])
    );
    if (NumVc > 1) begin : g_sel
      assign in_sink[i]  = drop_cand[i*NumVc + 32'(in_vc[i])];
      assign in_port[i]  = tgt_port[i*NumVc + 32'(in_vc[i])];
      assign in_front[i] = front[i*NumVc + 32'(in_vc[i])];
    end else begin : g_one
      assign in_sink[i]  = drop_cand[i];
      assign in_port[i]  = tgt_port[i];
      assign in_front[i] = front[i];
    end
  end

  // Output stage: one arbiter per output port over input ports.
  logic [NumPorts-1:0] sa_req [NumPorts];   // indexed by output
  logic [NumPorts-1:0] sa_gnt [NumPorts];   // indexed by output
  logic [NumPorts-1:0] out_any;             // output o granted a flit
  logic [PortIdxW-1:0] out_src [NumPorts];  // from this input port

  for (genvar o = 0; o < NumPorts; o++) begin : g_sa_out
    for (genvar i = 0; i < NumPorts; i++) begin : g_req
      assign sa_req[o][i] = in_any[i] && !in_sink[i] && (in_port[i] == PortIdxW'(o));
    end
    noc_rr_arb #(
      .N (NumPorts)
    ) u_arb (
      .clk_i,
      .rst_ni,
      .req_i (sa_req[o]),
      .upd_i (1'b1),
      .gnt_o (sa_gnt[o]),
      .idx_o (out_src[o]),
      .any_o (out_any[o])
    );
  end

  for (genvar i = 0; i < NumPorts; i++) begin : g_gnt
    logic [NumPorts-1:0] by_out;
    for (genvar o = 0; o < NumPorts; o++) begin : g_out
      assign by_out[o] = sa_gnt[o][i];
    end
    assign in_gnt[i] = in_any[i] && (in_sink[i] || (|by_out));
    for (genvar v = 0; v < NumVc; v++) begin : g_vc
      assign pop[i*NumVc+v] = in_gnt[i] && (32'(in_vc[i]) == v);
    end
  end

  // Crossbar: the flit granted output o and its VC.
  logic [BufW-1:0] xb_data [NumPorts];
  logic [VcW-1:0]  xb_vc   [NumPorts];
  for (genvar o = 0; o < NumPorts; o++) begin : g_xbar
    logic [BufW-1:0] data;
    logic [VcW-1:0]  vc;
    always_comb begin
      data = '0;
      vc   = '0;
      for (int unsigned i = 0; i < NumPorts; i++) begin
        if (32'(out_src[o]) == i) begin
          data = in_front[i];
          vc   = in_vc[i];
        end
      end
    end
    assign xb_data[o] = out_any[o] ? data : '0;
    assign xb_vc[o]   = out_any[o] ? vc : '0;
  end

  // ---------------------------------------------------------------------------
  // Next state of input VCs, output VCs and credits
  // ---------------------------------------------------------------------------
  for (genvar iv = 0; iv < NumIvc; iv++) begin : g_st
    always_comb begin
      st_d[iv] = st_q[iv];
      op_d[iv] = op_q[iv];
      if (va_won[iv]) begin
        st_d[iv] = VcActive;
        op_d[iv] = rc_port[iv];
      end
      if (drop_cand[iv] && st_idle[iv]) st_d[iv] = VcDrop;
      if (pop[iv] && fr_tail[iv])       st_d[iv] = VcIdle;
    end
  end

  logic [NumPorts-1:0] err_credit;

  for (genvar o = 0; o < NumPorts; o++) begin : g_out_vc
    logic [VcW-1:0] cvc;
    logic           cin;
    assign cvc = out_credit_vc_i[o*VcW +: VcW];
    assign cin = PortEn[o] && out_credit_valid_i[o];

    logic [NumVc-1:0] over;
    for (genvar v = 0; v < NumVc; v++) begin : g_vc
      localparam int unsigned Ov = o * NumVc + v;
      logic           inc, dec, freed;
      logic [BCntW:0] sum;
      assign inc   = cin && (32'(cvc) == v);
      assign dec   = out_any[o] && (32'(xb_vc[o]) == v);
      assign freed = dec && xb_data[o][FlitW+1];
      assign sum   = {1'b0, cred_q[Ov]} + (BCntW+1)'(inc) - (BCntW+1)'(dec);
      assign over[v]    = 32'(sum) > BufDepth;
      assign cred_d[Ov] = over[v] ? BCntW'(BufDepth) : sum[BCntW-1:0];
      assign alloc_d[Ov] = freed ? 1'b0 : (va_any[Ov] ? 1'b1 : alloc_q[Ov]);
    end
    assign err_credit[o] = (cin && (32'(cvc) >= NumVc)) || (|over);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      alloc_q <= '0;
      for (int unsigned k = 0; k < NumIvc; k++) begin
        st_q[k]   <= VcIdle;
        op_q[k]   <= '0;
        cred_q[k] <= BCntW'(BufDepth);
      end
    end else begin
      alloc_q <= alloc_d;
      for (int unsigned k = 0; k < NumIvc; k++) begin
        st_q[k]   <= st_d[k];
        op_q[k]   <= op_d[k];
        cred_q[k] <= cred_d[k];
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Output registers and credit-return registers (step 7)
  // ---------------------------------------------------------------------------
  for (genvar p = 0; p < NumPorts; p++) begin : g_out_reg
    if (PortEn[p]) begin : g_en
      logic             valid_q, head_q, tail_q, cr_valid_q;
      logic [FlitW-1:0] flit_q;
      logic [VcW-1:0]   vc_q, cr_vc_q;
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          valid_q    <= 1'b0;
          flit_q     <= '0;
          head_q     <= 1'b0;
          tail_q     <= 1'b0;
          vc_q       <= '0;
          cr_valid_q <= 1'b0;
          cr_vc_q    <= '0;
        end else begin
          // xb_data and xb_vc are 0 when nothing was granted output p
          valid_q    <= out_any[p];
          flit_q     <= xb_data[p][FlitW-1:0];
          head_q     <= xb_data[p][FlitW];
          tail_q     <= xb_data[p][FlitW+1];
          vc_q       <= xb_vc[p];
          cr_valid_q <= in_gnt[p];
          cr_vc_q    <= in_gnt[p] ? in_vc[p] : '0;
        end
      end
      assign out_valid_o[p]                = valid_q;
      assign out_flit_o[p*FlitW +: FlitW]  = flit_q;
      assign out_head_o[p]                 = head_q;
      assign out_tail_o[p]                 = tail_q;
      assign out_vc_o[p*VcW +: VcW]        = vc_q;
      assign in_credit_valid_o[p]          = cr_valid_q;
      assign in_credit_vc_o[p*VcW +: VcW]  = cr_vc_q;
    end else begin : g_dis
      assign out_valid_o[p]                = 1'b0;
      assign out_flit_o[p*FlitW +: FlitW]  = '0;
      assign out_head_o[p]                 = 1'b0;
      assign out_tail_o[p]                 = 1'b0;
      assign out_vc_o[p*VcW +: VcW]        = '0;
      assign in_credit_valid_o[p]          = 1'b0;
      assign in_credit_vc_o[p*VcW +: VcW]  = '0;
    end
  end

  // ---------------------------------------------------------------------------
  // Step 5: counters (section 5.8)
  // ---------------------------------------------------------------------------
  for (genvar p = 0; p < NumPorts; p++) begin : g_cnt
    if (PortEn[p]) begin : g_en
      logic [OccW-1:0]  occ;
      logic [VcW:0]     va_n;
      logic             stall, wr;
      always_comb begin
        occ   = '0;
        va_n  = '0;
        for (int unsigned v = 0; v < NumVc; v++) begin
          occ  = occ + OccW'(fill[p*NumVc+v]);
          va_n = va_n + (VcW+1)'(va_any[p*NumVc+v]);
        end
      end
      assign stall = (|nonempty[p*NumVc +: NumVc]) && !in_gnt[p];
      assign wr    = |push[p*NumVc +: NumVc];

      logic [CntW-1:0] flits_in_q, flits_out_q, stall_q, occ_q, wr_q, rd_q, xbar_q, va_q, sa_q;
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          flits_in_q  <= '0;
          flits_out_q <= '0;
          stall_q     <= '0;
          occ_q       <= '0;
          wr_q        <= '0;
          rd_q        <= '0;
          xbar_q      <= '0;
          va_q        <= '0;
          sa_q        <= '0;
        end else begin
          flits_in_q  <= flits_in_q  + CntW'(in_ok[p]);
          flits_out_q <= flits_out_q + CntW'(out_valid_o[p]);
          stall_q     <= stall_q     + CntW'(stall);
          occ_q       <= occ_q       + CntW'(occ);
          wr_q        <= wr_q        + CntW'(wr);
          rd_q        <= rd_q        + CntW'(in_gnt[p]);
          xbar_q      <= xbar_q      + CntW'(out_any[p]);
          va_q        <= va_q        + CntW'(va_n);
          sa_q        <= sa_q        + CntW'(|sa_req[p]);
        end
      end
      assign cnt_flits_in_o [p*CntW +: CntW] = flits_in_q;
      assign cnt_flits_out_o[p*CntW +: CntW] = flits_out_q;
      assign cnt_stall_o    [p*CntW +: CntW] = stall_q;
      assign cnt_occ_o      [p*CntW +: CntW] = occ_q;
      assign cnt_buf_wr_o   [p*CntW +: CntW] = wr_q;
      assign cnt_buf_rd_o   [p*CntW +: CntW] = rd_q;
      assign cnt_xbar_o     [p*CntW +: CntW] = xbar_q;
      assign cnt_va_o       [p*CntW +: CntW] = va_q;
      assign cnt_sa_o       [p*CntW +: CntW] = sa_q;
    end else begin : g_dis
      assign cnt_flits_in_o [p*CntW +: CntW] = '0;
      assign cnt_flits_out_o[p*CntW +: CntW] = '0;
      assign cnt_stall_o    [p*CntW +: CntW] = '0;
      assign cnt_occ_o      [p*CntW +: CntW] = '0;
      assign cnt_buf_wr_o   [p*CntW +: CntW] = '0;
      assign cnt_buf_rd_o   [p*CntW +: CntW] = '0;
      assign cnt_xbar_o     [p*CntW +: CntW] = '0;
      assign cnt_va_o       [p*CntW +: CntW] = '0;
      assign cnt_sa_o       [p*CntW +: CntW] = '0;
    end
  end

  // Router-wide error counters: every event of the cycle counts 1.
  logic [CntW-1:0] err_route_q, err_proto_q, err_ovf_q, err_credit_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      err_route_q  <= '0;
      err_proto_q  <= '0;
      err_ovf_q    <= '0;
      err_credit_q <= '0;
    end else begin
      err_route_q  <= err_route_q  + CntW'(popcount({NumPorts'(0), ev_route}));
      err_proto_q  <= err_proto_q  + CntW'(popcount({in_badvc, ev_proto}));
      err_ovf_q    <= err_ovf_q    + CntW'(popcount({in_ovf, NumIvc'(0)}));
      err_credit_q <= err_credit_q + CntW'(popcount({err_credit, NumIvc'(0)}));
    end
  end
  assign cnt_err_route_o  = err_route_q;
  assign cnt_err_proto_o  = err_proto_q;
  assign cnt_err_ovf_o    = err_ovf_q;
  assign cnt_err_credit_o = err_credit_q;

endmodule

`default_nettype wire
