// NI receive path (docs/spec.md section 6.6): the RX FIFOs (the downstream
// buffers of the router's L output) with their credit return, free-buffer
// fetch, reassembly contexts, per-VC packet state, the RX choice (section 6.9
// step 2), payload write requests and RX completions.

`default_nettype none

module ni_rx #(
  parameter int unsigned FlitW    = 256,
  parameter int unsigned NumVc    = 2,
  parameter int unsigned BufDepth = 4,
  parameter int unsigned RxDescQ  = 4,
  parameter int unsigned NumRxCtx = 16,
  // derived, do not override
  parameter int unsigned B        = FlitW / 8,
  parameter int unsigned LenW     = $clog2(B + 1),
  parameter int unsigned VcW      = (NumVc > 1) ? $clog2(NumVc) : 1
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // ring configuration
  input  wire logic             en_i,
  input  wire logic [63:0]      base_i,
  input  wire logic [4:0]       size_i,
  input  wire logic [15:0]      tail_i,
  input  wire logic             ring_rst_i,
  output logic      [15:0]      head_o,
  // free-buffer descriptor reads
  output logic                  dreq_o,
  output logic      [63:0]      daddr_o,
  input  wire logic             dgnt_i,
  input  wire logic             ddone_i,
  input  wire logic [127:0]     rdata_i,
  // router L output
  input  wire logic             rx_valid_i,
  input  wire logic [FlitW-1:0] rx_flit_i,
  input  wire logic             rx_head_i,
  input  wire logic             rx_tail_i,
  input  wire logic [VcW-1:0]   rx_vc_i,
  output logic                  rx_credit_valid_o,
  output logic      [VcW-1:0]   rx_credit_vc_o,
  // payload writes
  output logic                  wreq_o,
  output logic      [63:0]      waddr_o,
  output logic      [LenW-1:0]  wlen_o,
  output logic      [FlitW-1:0] wdata_o,
  input  wire logic             wgnt_i,
  // RX completion queue
  input  wire logic             cpl_full_i,
  output logic                  cpl_push_o,
  output logic      [127:0]     cpl_data_o,
  // counters
  output logic      [31:0]      cnt_rx_msgs_o,
  output logic      [31:0]      cnt_rx_pkts_o,
  output logic      [31:0]      cnt_rx_flits_o,
  output logic      [31:0]      cnt_rx_nobuf_o,
  output logic      [31:0]      cnt_err_rx_o,
  output logic      [31:0]      cnt_err_rx_noctx_o,
  output logic      [31:0]      cnt_err_ovf_o
);

  import ni_pkg::*;

  localparam int unsigned HdrPay = B - 8;
  localparam int unsigned Pmax   = 8 * B - 8;
  localparam int unsigned LogB   = $clog2(B);
  localparam int unsigned CtxW   = (NumRxCtx > 1) ? $clog2(NumRxCtx) : 1;
  localparam int unsigned BcW    = $clog2(RxDescQ + 1);
  localparam int unsigned FcW    = $clog2(BufDepth + 1);
  localparam int unsigned EntW   = FlitW + 2;          // {head, tail, flit}

  // What consuming the front flit of a VC does (section 6.6).
  typedef enum logic [3:0] {
    ClsAcc,      // body/tail of an accepted packet
    ClsDisc,     // body/tail of a discarded packet
    ClsStray,    // not a head, no packet in progress: discarded alone, err_rx
    ClsBadLen,   // head with a bad len/byte count: discarded, err_rx
    ClsDup,      // SOM head whose context exists: discarded, err_rx
    ClsNoCtx,    // SOM head, all contexts in use: discarded, NOCTX completion
    ClsWait,     // SOM head, no free buffer held: waits
    ClsNew,      // SOM head: allocates a context
    ClsOrphan,   // non-SOM head without context: discarded, err_rx
    ClsSeq,      // non-SOM head with a seq mismatch: discarded
    ClsCont      // non-SOM head with the expected seq: accepted
  } cls_e;

  function automatic logic [FlitW-1:0] byte_mask(logic [LenW-1:0] nb);
    logic [FlitW-1:0] m;
    for (int unsigned i = 0; i < B; i++) m[8*i +: 8] = (LenW'(i) < nb) ? 8'hff : 8'h00;
    return m;
  endfunction

  // ---- RX FIFOs, one per VC ----------------------------------------------------
  logic [EntW-1:0] fr_q   [NumVc];   // front entry
  logic [NumVc-1:0] f_full, f_empty, f_push, f_pop;
  logic             arr_ok, ovf, vc_err;

  assign arr_ok = rx_valid_i && (32'(rx_vc_i) < NumVc);
  assign vc_err = rx_valid_i && !arr_ok;
  assign ovf    = arr_ok && f_full[rx_vc_i];

  for (genvar v = 0; v < NumVc; v++) begin : g_fifo
    logic [FcW-1:0] cnt;
    assign f_push[v] = arr_ok && (32'(rx_vc_i) == v) && !f_full[v];
    ni_fifo #(.Width(EntW), .Depth(BufDepth)) u_fifo (
      .clk_i, .rst_ni,
      .push_i (f_push[v]),
      .wdata_i({rx_head_i, rx_tail_i, rx_flit_i}),
      .pop_i  (f_pop[v]),
      .rdata_o(fr_q[v]),
      .count_o(cnt),
      .full_o (f_full[v]),
      .empty_o(f_empty[v])
    );
    logic unused_cnt;
    assign unused_cnt = ^cnt;
  end

  // ---- free buffers --------------------------------------------------------------
  logic [15:0]     mask, fetch_q, head_q;
  logic [BcW-1:0]  bcnt_q, buf_count;
  logic            buf_pop, buf_empty, buf_full;
  logic [95:0]     buf_fr;           // {len, addr} of the oldest held buffer

  assign mask    = 16'((17'd1 << size_i) - 17'd1);
  assign dreq_o  = en_i && (size_i != 5'd0) && (fetch_q != tail_i) && (bcnt_q < BcW'(RxDescQ));
  assign daddr_o = base_i + {44'd0, fetch_q, 4'd0};

  ni_fifo #(.Width(96), .Depth(RxDescQ)) u_bufq (
    .clk_i, .rst_ni,
    .push_i (ddone_i),
    .wdata_i(rdata_i[95:0]),
    .pop_i  (buf_pop),
    .rdata_o(buf_fr),
    .count_o(buf_count),
    .full_o (buf_full),
    .empty_o(buf_empty)
  );

  // ---- reassembly contexts and per-VC packet state ----------------------------------
  logic [NumRxCtx-1:0] ctx_v_q, ctx_err_q;
  logic [19:0]         ctx_key_q  [NumRxCtx];   // {flow, src_chip, src_y, src_x}
  logic [63:0]         ctx_addr_q [NumRxCtx];
  logic [31:0]         ctx_blen_q [NumRxCtx];
  logic [31:0]         ctx_rcv_q  [NumRxCtx];
  logic [15:0]         ctx_exp_q  [NumRxCtx];

  logic [NumVc-1:0]    ps_act_q, ps_disc_q, ps_cpl_q, ps_eom_q;
  logic [CtxW-1:0]     ps_ctx_q [NumVc];
  logic [7:0]          ps_rem_q [NumVc];        // payload bytes still to come
  logic [3:0]          ps_cnt_q [NumVc];        // flits consumed (saturates at 15)
  logic [3:0]          ps_len_q [NumVc];        // header len

  // lowest free context
  logic            free_any;
  logic [CtxW-1:0] free_idx;
  always_comb begin
    free_any = 1'b0;
    free_idx = '0;
    for (int unsigned c = 0; c < NumRxCtx; c++) begin
      if (!free_any && !ctx_v_q[c]) begin
        free_any = 1'b1;
        free_idx = CtxW'(c);
      end
    end
  end

  // ---- per-VC analysis of the front flit ------------------------------------------------
  cls_e             an_cls   [NumVc];
  logic [NumVc-1:0] an_match, an_cplk, an_cpl, an_ready, an_nobuf;
  logic [CtxW-1:0]  an_midx  [NumVc];

  always_comb begin
    for (int unsigned v = 0; v < NumVc; v++) begin
      automatic logic        fh   = fr_q[v][EntW-1];
      automatic logic        ft   = fr_q[v][EntW-2];
      automatic logic [8:0]  nb   = {1'b0, fr_q[v][59:52]} + 9'd1;
      automatic logic [8:0]  expf = (nb > 9'(HdrPay))
                                    ? (((nb - 9'(HdrPay) + 9'(B - 1)) >> LogB) + 9'd1) : 9'd1;
      automatic logic        bad  = (nb > 9'(Pmax)) || ({5'd0, fr_q[v][51:48]} != expf);
      automatic logic [19:0] key  = fr_q[v][31:12];   // {flow, src_chip, src_y, src_x}
      automatic logic        som  = fr_q[v][60];
      automatic logic        eom  = fr_q[v][61];
      an_match[v] = 1'b0;
      an_midx[v]  = '0;
      for (int unsigned c = 0; c < NumRxCtx; c++) begin
        if (!an_match[v] && ctx_v_q[c] && (ctx_key_q[c] == key)) begin
          an_match[v] = 1'b1;
          an_midx[v]  = CtxW'(c);
        end
      end
      an_cplk[v] = 1'b0;
      if (ps_act_q[v]) begin
        an_cls[v] = ps_disc_q[v] ? ClsDisc : ClsAcc;
        an_cpl[v] = ft && (ps_disc_q[v] ? (ps_cpl_q[v] && ctx_v_q[ps_ctx_q[v]]) : ps_eom_q[v]);
      end else begin
        if (!fh)                       an_cls[v] = ClsStray;
        else if (bad)                  an_cls[v] = ClsBadLen;
        else if (som && an_match[v])   an_cls[v] = ClsDup;
        else if (som && !free_any)     an_cls[v] = ClsNoCtx;
        else if (som && buf_empty)     an_cls[v] = ClsWait;
        else if (som)                  an_cls[v] = ClsNew;
        else if (!an_match[v])         an_cls[v] = ClsOrphan;
        else if (fr_q[v][47:32] != ctx_exp_q[an_midx[v]]) an_cls[v] = ClsSeq;
        else                           an_cls[v] = ClsCont;
        // a discarded packet that matched a context and has EOM completes it at its tail
        an_cplk[v] = an_match[v] && eom &&
                     (an_cls[v] == ClsBadLen || an_cls[v] == ClsDup || an_cls[v] == ClsSeq);
        an_cpl[v]  = (an_cls[v] == ClsNoCtx) || (ft && an_cplk[v]) ||
                     (ft && eom && (an_cls[v] == ClsNew || an_cls[v] == ClsCont));
      end
      an_ready[v] = !f_empty[v] && (an_cls[v] != ClsWait) && (!an_cpl[v] || !cpl_full_i);
      an_nobuf[v] = !f_empty[v] && (an_cls[v] == ClsWait);
    end
  end

  // ---- RX choice (section 6.9 step 2) -------------------------------------------------
  logic           ch_valid, consume;
  logic [VcW-1:0] cv;

  ni_rr_arb #(.N(NumVc)) u_rx_arb (
    .clk_i, .rst_ni,
    .req_i  (an_ready),
    .take_i (consume),
    .valid_o(ch_valid),
    .idx_o  (cv)
  );

  // ---- the chosen flit ---------------------------------------------------------------
  cls_e            cls;
  logic            fh, ft, accepted, is_hcls, cplk, cpl;
  logic [FlitW-1:0] flit;
  logic [8:0]      nb;
  logic [CtxW-1:0] idx;
  logic [63:0]     baddr;
  logic [31:0]     blen, rcv, rcv_new, avail;
  logic [7:0]      pb, rem_after;
  logic [LenW-1:0] wb;
  logic [3:0]      cnt_now, len_now;
  logic            eom_now, tail_err, err_final, complete_acc, disc_cpl;
  logic [19:0]     key;
  logic [2:0]      status;

  always_comb begin
    cls     = an_cls[cv];
    fh      = fr_q[cv][EntW-1];
    ft      = fr_q[cv][EntW-2];
    flit    = fr_q[cv][FlitW-1:0];
    nb      = {1'b0, flit[59:52]} + 9'd1;
    cplk    = an_cplk[cv];
    cpl     = an_cpl[cv];
    is_hcls = !ps_act_q[cv] && fh;
    accepted = (cls == ClsAcc) || (cls == ClsNew) || (cls == ClsCont);

    unique case (cls)
      ClsNew:  idx = free_idx;
      ClsAcc,
      ClsDisc: idx = ps_ctx_q[cv];
      default: idx = an_midx[cv];
    endcase
    key = is_hcls ? flit[31:12] : ctx_key_q[idx];

    if (cls == ClsNew) begin
      baddr = buf_fr[63:0];
      blen  = buf_fr[95:64];
      rcv   = 32'd0;
    end else begin
      baddr = ctx_addr_q[idx];
      blen  = ctx_blen_q[idx];
      rcv   = ctx_rcv_q[idx];
    end

    if (is_hcls) begin
      pb        = (nb > 9'(HdrPay)) ? 8'(HdrPay) : nb[7:0];
      rem_after = nb[7:0] - pb;
      cnt_now   = 4'd1;
      len_now   = flit[51:48];
      eom_now   = flit[61];
    end else begin
      pb        = (ps_rem_q[cv] > 8'(B)) ? 8'(B) : ps_rem_q[cv];
      rem_after = ps_rem_q[cv] - pb;
      cnt_now   = (ps_cnt_q[cv] == 4'hf) ? 4'hf : ps_cnt_q[cv] + 4'd1;
      len_now   = ps_len_q[cv];
      eom_now   = ps_eom_q[cv];
    end

    // bytes beyond the buffer are dropped (clipped write)
    avail   = (blen > rcv) ? blen - rcv : 32'd0;
    wb      = (avail < 32'(pb)) ? LenW'(avail) : LenW'(pb);
    rcv_new = rcv + 32'(pb);

    // every packet, accepted or discarded (section 6.6); a stray flit is no packet
    tail_err     = ft && (cls != ClsStray) && (cnt_now != len_now);
    err_final    = ((cls == ClsNew) ? 1'b0 : ctx_err_q[idx]) || (accepted && tail_err);
    complete_acc = accepted && ft && eom_now;
    disc_cpl     = cpl && !accepted && (cls != ClsNoCtx);
    status       = err_final ? StErr : ((rcv_new > blen) ? StTrunc : StOk);
  end

  assign wreq_o  = ch_valid && accepted && (wb != '0);
  assign waddr_o = baddr + 64'(rcv);
  assign wlen_o  = wb;
  assign wdata_o = (is_hcls ? (flit >> 64) : flit) & byte_mask(wb);
  assign consume = ch_valid && (!wreq_o || wgnt_i);

  assign buf_pop = consume && (cls == ClsNew);
  assign f_pop   = consume ? (NumVc'(1) << cv) : '0;

  assign cpl_push_o = consume && cpl;
  always_comb begin
    // byte 14 src_x | src_y << 4, byte 15 src_chip | vc << 4
    if (cls == ClsNoCtx) begin
      cpl_data_o = cpl_entry(64'd0, 32'd0, KindRx, StNoCtx, key[19:12],
                             {key[7:4], key[3:0]}, {2'b00, 2'(cv), key[11:8]});
    end else if (disc_cpl) begin
      cpl_data_o = cpl_entry(ctx_addr_q[idx], ctx_rcv_q[idx], KindRx, StErr, key[19:12],
                             {key[7:4], key[3:0]}, {2'b00, 2'(cv), key[11:8]});
    end else begin
      cpl_data_o = cpl_entry(baddr, rcv_new, KindRx, status, key[19:12],
                             {key[7:4], key[3:0]}, {2'b00, 2'(cv), key[11:8]});
    end
  end

  // ---- state -------------------------------------------------------------------------
  logic        cr_v_q;
  logic [VcW-1:0] cr_vc_q;
  logic [31:0] msgs_q, pkts_q, flits_q, nobuf_q, err_rx_q, noctx_q, ovf_q;
  logic        err_rx_now;

  // Section 6.6 names err_rx for these; a seq mismatch only sets the
  // context's error flag.
  assign err_rx_now = consume && ((cls == ClsStray) || (cls == ClsBadLen) || (cls == ClsDup) ||
                                  (cls == ClsOrphan) || tail_err);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fetch_q   <= '0;
      head_q    <= '0;
      bcnt_q    <= '0;
      ctx_v_q   <= '0;
      ctx_err_q <= '0;
      for (int unsigned c = 0; c < NumRxCtx; c++) begin
        ctx_key_q[c]  <= '0;
        ctx_addr_q[c] <= '0;
        ctx_blen_q[c] <= '0;
        ctx_rcv_q[c]  <= '0;
        ctx_exp_q[c]  <= '0;
      end
      ps_act_q  <= '0;
      ps_disc_q <= '0;
      ps_cpl_q  <= '0;
      ps_eom_q  <= '0;
      for (int unsigned v = 0; v < NumVc; v++) begin
        ps_ctx_q[v] <= '0;
        ps_rem_q[v] <= '0;
        ps_cnt_q[v] <= '0;
        ps_len_q[v] <= '0;
      end
      cr_v_q   <= 1'b0;
      cr_vc_q  <= '0;
      msgs_q   <= '0;
      pkts_q   <= '0;
      flits_q  <= '0;
      nobuf_q  <= '0;
      err_rx_q <= '0;
      noctx_q  <= '0;
      ovf_q    <= '0;
    end else begin
      // free-buffer fetch and the NI's head index (reset first, then performed)
      if (ring_rst_i)   fetch_q <= '0;
      else if (dgnt_i)  fetch_q <= (fetch_q + 16'd1) & mask;
      if (ring_rst_i)   head_q  <= {15'd0, ddone_i};
      else if (ddone_i) head_q  <= (head_q + 16'd1) & mask;
      bcnt_q <= bcnt_q + BcW'(dgnt_i) - BcW'(buf_pop);

      // credit return: a flit popped in cycle c is credited in cycle c+1
      cr_v_q  <= consume;
      cr_vc_q <= consume ? cv : '0;

      if (consume) begin
        // per-VC packet state
        if (is_hcls) begin
          ps_act_q[cv]  <= !ft;
          ps_disc_q[cv] <= !accepted;
          ps_cpl_q[cv]  <= cplk;
          ps_ctx_q[cv]  <= idx;
          ps_rem_q[cv]  <= accepted ? rem_after : 8'd0;
          ps_cnt_q[cv]  <= cnt_now;
          ps_len_q[cv]  <= len_now;
          ps_eom_q[cv]  <= eom_now;
        end else if (ps_act_q[cv]) begin
          if (ft) ps_act_q[cv] <= 1'b0;
          ps_rem_q[cv] <= accepted ? rem_after : 8'd0;
          ps_cnt_q[cv] <= cnt_now;
        end

        // context
        if (cls == ClsNew) begin
          ctx_key_q[idx]  <= key;
          ctx_addr_q[idx] <= baddr;
          ctx_blen_q[idx] <= blen;
        end
        if (accepted) begin
          ctx_v_q[idx]   <= !complete_acc;
          ctx_rcv_q[idx] <= rcv_new;
          ctx_err_q[idx] <= err_final;
        end
        if (cls == ClsNew || cls == ClsCont || cls == ClsSeq) begin
          ctx_exp_q[idx] <= flit[47:32] + 16'd1;
        end
        if ((cls == ClsBadLen && an_match[cv]) || cls == ClsDup || cls == ClsSeq) begin
          ctx_err_q[idx] <= 1'b1;
        end
        if (disc_cpl) ctx_v_q[idx] <= 1'b0;
        // a context completed and freed: a packet of it still in progress on
        // another VC is discarded from now on (section 6.6)
        if (complete_acc || disc_cpl) begin
          for (int unsigned u = 0; u < NumVc; u++) begin
            if ((VcW'(u) != cv) && ps_act_q[u] && (ps_ctx_q[u] == idx)) begin
              ps_disc_q[u] <= 1'b1;
              ps_cpl_q[u]  <= 1'b0;
              ps_rem_q[u]  <= '0;
            end
          end
        end

        flits_q <= flits_q + 32'd1;
        if (ft && cls != ClsStray)        pkts_q  <= pkts_q + 32'd1;
        if (complete_acc || disc_cpl)     msgs_q  <= msgs_q + 32'd1;
        if (cls == ClsNoCtx)              noctx_q <= noctx_q + 32'd1;
      end

      err_rx_q <= err_rx_q + 32'(err_rx_now) + 32'(vc_err);
      if (|an_nobuf) nobuf_q <= nobuf_q + 32'd1;
      if (ovf)       ovf_q   <= ovf_q + 32'd1;
    end
  end

  assign rx_credit_valid_o  = cr_v_q;
  assign rx_credit_vc_o     = cr_vc_q;
  assign head_o             = head_q;
  assign cnt_rx_msgs_o      = msgs_q;
  assign cnt_rx_pkts_o      = pkts_q;
  assign cnt_rx_flits_o     = flits_q;
  assign cnt_rx_nobuf_o     = nobuf_q;
  assign cnt_err_rx_o       = err_rx_q;
  assign cnt_err_rx_noctx_o = noctx_q;
  assign cnt_err_ovf_o      = ovf_q;

  // bcnt_q (held or being fetched) bounds the buffer queue, so its own count
  // and full flag are not needed; descriptor bytes 12-15 are reserved.
  logic unused;
  assign unused = ^{buf_count, buf_full, rdata_i[127:96]};

endmodule

`default_nettype wire
