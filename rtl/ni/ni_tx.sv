// NI transmit path (docs/spec.md section 6.5): TX descriptor fetch, the TX
// descriptor queue, packetising into one payload read per flit, the TX flit
// queue, sending on the router's L input with credits, TX completions.

`default_nettype none

module ni_tx #(
  parameter int unsigned FlitW    = 256,
  parameter int unsigned NumVc    = 2,
  parameter int unsigned BufDepth = 4,
  parameter int unsigned TxFlits  = 128,
  parameter int unsigned TxDescQ  = 4,
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
  // packet source
  input  wire logic [3:0]       my_chip_i,
  input  wire logic [3:0]       my_x_i,
  input  wire logic [3:0]       my_y_i,
  // read requests and their data
  output logic                  dreq_o,
  output logic      [63:0]      daddr_o,
  input  wire logic             dgnt_i,
  output logic                  preq_o,
  output logic      [63:0]      paddr_o,
  output logic      [LenW-1:0]  plen_o,
  input  wire logic             pgnt_i,
  input  wire logic             ddone_i,
  input  wire logic             pdone_i,
  input  wire logic [FlitW-1:0] rdata_i,
  // router L input
  output logic                  tx_valid_o,
  output logic      [FlitW-1:0] tx_flit_o,
  output logic                  tx_head_o,
  output logic                  tx_tail_o,
  output logic      [VcW-1:0]   tx_vc_o,
  input  wire logic             credit_valid_i,
  input  wire logic [VcW-1:0]   credit_vc_i,
  // TX completion queue
  input  wire logic             cpl_full_i,
  output logic                  cpl_push_o,
  output logic      [127:0]     cpl_data_o,
  // counters
  output logic      [31:0]      cnt_tx_msgs_o,
  output logic      [31:0]      cnt_tx_pkts_o,
  output logic      [31:0]      cnt_tx_flits_o,
  output logic      [31:0]      cnt_err_desc_o,
  output logic      [31:0]      cnt_err_credit_o
);

  import ni_pkg::*;

  localparam int unsigned HdrPay = B - 8;           // payload bytes of a head flit
  localparam int unsigned Pmax   = 8 * B - 8;       // payload bytes of a packet
  localparam int unsigned LogB   = $clog2(B);
  localparam int unsigned DcW    = $clog2(TxDescQ + 1);
  localparam int unsigned QW     = (TxFlits > 1) ? $clog2(TxFlits) : 1;
  localparam int unsigned QcW    = $clog2(TxFlits + 1);
  localparam int unsigned CrW    = $clog2(BufDepth + 1);
  localparam logic [QW-1:0] LastSlot = QW'(TxFlits - 1);

  typedef struct packed {
    logic [7:0]  flow;
    logic [3:0]  dst_y;
    logic [3:0]  dst_x;
    logic [3:0]  dst_chip;
    logic [1:0]  vc;
    logic [31:0] len;
    logic [63:0] addr;
  } desc_t;

  // per slot of the TX flit queue: what sending needs ...
  typedef struct packed {
    logic            ph;     // len-0 placeholder: nothing is sent
    logic            head;
    logic            tail;
    logic            last;   // last flit of its message
    logic [1:0]      vc;
  } ctl_t;

  // ... and what assembling the flit from the read data needs
  typedef struct packed {
    logic            head;
    logic [63:0]     hdr;    // header of a head flit
    logic [LenW-1:0] nb;     // payload bytes read for this flit
  } fmt_t;

  typedef struct packed {
    logic [63:0] addr;
    logic [31:0] len;
    logic [3:0]  dst_chip;
    logic [3:0]  dst_y;
    logic [3:0]  dst_x;
    logic [7:0]  flow;
  } cinfo_t;

  function automatic logic [QW-1:0] slot_inc(logic [QW-1:0] s);
    return (s == LastSlot) ? '0 : s + 1'b1;
  endfunction

  // payload byte mask: bytes 0..nb-1 kept
  function automatic logic [FlitW-1:0] byte_mask(logic [LenW-1:0] nb);
    logic [FlitW-1:0] m;
    for (int unsigned i = 0; i < B; i++) m[8*i +: 8] = (LenW'(i) < nb) ? 8'hff : 8'h00;
    return m;
  endfunction

  // ---- descriptor fetch ------------------------------------------------------
  logic [15:0]  mask, fetch_q, head_q;
  logic [DcW-1:0] dcnt_q;
  logic         desc_pop, desc_empty, desc_full;
  logic [DcW-1:0] desc_count;
  desc_t        desc_in, fr;
  logic         vc_bad;

  assign mask    = 16'((17'd1 << size_i) - 17'd1);
  assign dreq_o  = en_i && (size_i != 5'd0) && (fetch_q != tail_i) && (dcnt_q < DcW'(TxDescQ));
  assign daddr_o = base_i + {44'd0, fetch_q, 4'd0};

  assign vc_bad = (32'(rdata_i[101:100]) >= NumVc);
  always_comb begin
    desc_in.addr     = rdata_i[63:0];
    desc_in.len      = rdata_i[95:64];
    desc_in.dst_chip = rdata_i[99:96];
    desc_in.vc       = vc_bad ? 2'd0 : rdata_i[101:100];
    desc_in.dst_x    = rdata_i[107:104];
    desc_in.dst_y    = rdata_i[111:108];
    desc_in.flow     = rdata_i[119:112];
  end

  ni_fifo #(.Width($bits(desc_t)), .Depth(TxDescQ)) u_descq (
    .clk_i, .rst_ni,
    .push_i (ddone_i),
    .wdata_i(desc_in),
    .pop_i  (desc_pop),
    .rdata_o(fr),
    .count_o(desc_count),
    .full_o (desc_full),
    .empty_o(desc_empty)
  );

  // ---- packetiser: one read per flit of the front descriptor -------------------
  logic        started_q;
  logic [31:0] rem_q;
  logic [63:0] addr_q;
  logic [7:0]  prem_q;              // bytes of the current packet not yet read
  logic [15:0] seq_q [256];          // per-flow packet sequence numbers
  logic [QW-1:0]  alloc_q, fill_q, rd_q;
  logic [QcW-1:0] inflight_q, filled_q;

  logic [31:0] rem, rem_after;
  logic [63:0] cur;
  logic        ph, newp, eom, tail, last;
  logic [7:0]  n, fb_head, fb_body, prem_after;
  logic [LenW-1:0] fb;
  logic [3:0]  nflits;
  logic [15:0] seq;
  ctl_t        ctl_new;
  fmt_t        fmt_new;
  cinfo_t      cinfo_new;

  always_comb begin
    rem  = started_q ? rem_q : fr.len;
    cur  = started_q ? addr_q : fr.addr;
    ph   = !started_q && (fr.len == 32'd0);
    newp = (prem_q == 8'd0);
    eom  = (rem <= 32'(Pmax));
    n    = eom ? rem[7:0] : 8'(Pmax);
    fb_head = (n > 8'(HdrPay)) ? 8'(HdrPay) : n;
    fb_body = (prem_q > 8'(B)) ? 8'(B) : prem_q;
    nflits  = (n > 8'(HdrPay)) ? 4'(((n - 8'(HdrPay) + 8'(B - 1)) >> LogB) + 8'd1) : 4'd1;
    if (ph) begin
      fb         = '0;
      prem_after = 8'd0;
    end else if (newp) begin
      fb         = LenW'(fb_head);
      prem_after = n - fb_head;
    end else begin
      fb         = LenW'(fb_body);
      prem_after = prem_q - fb_body;
    end
    rem_after = rem - 32'(fb);
    tail = !ph && (prem_after == 8'd0);
    last = ph || (rem_after == 32'd0);
    seq  = seq_q[fr.flow];

    ctl_new.ph   = ph;
    ctl_new.head = newp && !ph;
    ctl_new.tail = tail;
    ctl_new.last = last;
    ctl_new.vc   = fr.vc;
    fmt_new.head = newp && !ph;
    // section 5.2 header and section 6.4 `ni` field
    fmt_new.hdr  = {2'b00, eom, !started_q, n - 8'd1, nflits, seq, fr.flow,
                    my_chip_i, my_y_i, my_x_i, fr.dst_chip, fr.dst_y, fr.dst_x};
    fmt_new.nb   = fb;

    cinfo_new.addr     = fr.addr;
    cinfo_new.len      = fr.len;
    cinfo_new.dst_chip = fr.dst_chip;
    cinfo_new.dst_y    = fr.dst_y;
    cinfo_new.dst_x    = fr.dst_x;
    cinfo_new.flow     = fr.flow;
  end

  assign preq_o   = !desc_empty && (inflight_q < QcW'(TxFlits));
  assign paddr_o  = cur;
  assign plen_o   = fb;
  assign desc_pop = pgnt_i && last;

  // ---- TX flit queue -----------------------------------------------------------
  ctl_t             ctl_q   [TxFlits];
  fmt_t             fmt_q   [TxFlits];
  cinfo_t           cinfo_q [TxFlits];
  logic [FlitW-1:0] data_q  [TxFlits];
  ctl_t             fm;
  fmt_t             mm;
  cinfo_t           ci;
  logic [FlitW-1:0] fd, masked, flit_in;

  // format of the slot being filled; with MemLat = 1 a read returns in the
  // cycle it is issued, before its slot is written
  assign mm      = (inflight_q == filled_q) ? fmt_new : fmt_q[fill_q];
  assign masked  = rdata_i & byte_mask(mm.nb);
  assign flit_in = mm.head ? {masked[FlitW-65:0], mm.hdr} : masked;

  assign fm = ctl_q[rd_q];
  assign fd = data_q[rd_q];
  assign ci = cinfo_q[rd_q];

  // Storage: slots are written when their read is issued (ctl, fmt, cinfo)
  // and when it is performed (data). Every entry has a reset value; reset
  // loops are split in nested loops of at most 32 iterations, since the
  // tools' Verilator (5.006) rejects non-blocking array writes in loops it
  // does not unroll (over 64 iterations).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned hi = 0; hi < (TxFlits + 31) / 32; hi++) begin
        for (int unsigned lo = 0; lo < 32; lo++) begin
          if (hi * 32 + lo < TxFlits) begin
            ctl_q[hi * 32 + lo]   <= '0;
            fmt_q[hi * 32 + lo]   <= '0;
            cinfo_q[hi * 32 + lo] <= '0;
            data_q[hi * 32 + lo]  <= '0;
          end
        end
      end
      for (int unsigned hi = 0; hi < 8; hi++) begin
        for (int unsigned lo = 0; lo < 32; lo++) seq_q[hi * 32 + lo] <= '0;
      end
    end else begin
      if (pgnt_i) begin
        ctl_q[alloc_q]   <= ctl_new;
        fmt_q[alloc_q]   <= fmt_new;
        cinfo_q[alloc_q] <= cinfo_new;
        if (newp && !ph) seq_q[fr.flow] <= seq + 16'd1;
      end
      if (pdone_i) data_q[fill_q] <= flit_in;
    end
  end

  // ---- sending -----------------------------------------------------------------
  logic [CrW-1:0] cred_q [NumVc];
  logic           front, cred_ok, send, ph_pop, pop;

  assign front   = (filled_q != '0);
  assign cred_ok = (cred_q[VcW'(fm.vc)] != '0);
  assign send    = front && !fm.ph && cred_ok && (!fm.last || !cpl_full_i);
  assign ph_pop  = front && fm.ph && !cpl_full_i;
  assign pop     = send || ph_pop;

  assign tx_valid_o = send;
  assign tx_flit_o  = send ? fd : '0;
  assign tx_head_o  = send && fm.head;
  assign tx_tail_o  = send && fm.tail;
  assign tx_vc_o    = send ? VcW'(fm.vc) : '0;

  assign cpl_push_o = ph_pop || (send && fm.last);
  assign cpl_data_o = cpl_entry(ci.addr, fm.ph ? 32'd0 : ci.len, KindTx,
                                fm.ph ? StBadLen : StOk, ci.flow,
                                {ci.dst_y, ci.dst_x}, {4'd0, ci.dst_chip});

  // credits (section 5.6 rules, the NI being the upstream of the L input)
  logic [CrW-1:0] cred_d [NumVc];
  logic           cred_err;
  always_comb begin
    cred_err = credit_valid_i && (32'(credit_vc_i) >= NumVc);
    for (int unsigned v = 0; v < NumVc; v++) begin
      automatic logic [CrW:0] sum = {1'b0, cred_q[v]}
          + (CrW+1)'(credit_valid_i && (32'(credit_vc_i) == v))
          - (CrW+1)'(send && (32'(fm.vc) == v));
      if (sum > (CrW+1)'(BufDepth)) begin
        cred_d[v] = CrW'(BufDepth);
        cred_err  = 1'b1;
      end else begin
        cred_d[v] = sum[CrW-1:0];
      end
    end
  end

  // ---- state -------------------------------------------------------------------
  logic [31:0] msgs_q, pkts_q, flits_q, err_desc_q, err_credit_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fetch_q      <= '0;
      head_q       <= '0;
      dcnt_q       <= '0;
      started_q    <= 1'b0;
      rem_q        <= '0;
      addr_q       <= '0;
      prem_q       <= '0;
      alloc_q      <= '0;
      fill_q       <= '0;
      rd_q         <= '0;
      inflight_q   <= '0;
      filled_q     <= '0;
      msgs_q       <= '0;
      pkts_q       <= '0;
      flits_q      <= '0;
      err_desc_q   <= '0;
      err_credit_q <= '0;
      for (int unsigned v = 0; v < NumVc; v++) cred_q[v] <= CrW'(BufDepth);
    end else begin
      // descriptor fetch and the NI's head index (reset first, then performed)
      if (ring_rst_i)  fetch_q <= '0;
      else if (dgnt_i) fetch_q <= (fetch_q + 16'd1) & mask;
      if (ring_rst_i)  head_q  <= {15'd0, ddone_i};
      else if (ddone_i) head_q <= (head_q + 16'd1) & mask;
      dcnt_q <= dcnt_q + DcW'(dgnt_i) - DcW'(desc_pop);

      // packetiser
      if (pgnt_i) begin
        alloc_q <= slot_inc(alloc_q);
        if (last) begin
          started_q <= 1'b0;
          prem_q    <= 8'd0;
        end else begin
          started_q <= 1'b1;
          rem_q     <= rem_after;
          addr_q    <= cur + 64'(fb);
          prem_q    <= prem_after;
        end
      end

      // performed payload reads fill the flit queue in order
      if (pdone_i) fill_q <= slot_inc(fill_q);
      if (pop) rd_q <= slot_inc(rd_q);
      inflight_q <= inflight_q + QcW'(pgnt_i) - QcW'(pop);
      filled_q   <= filled_q + QcW'(pdone_i) - QcW'(pop);

      for (int unsigned v = 0; v < NumVc; v++) cred_q[v] <= cred_d[v];

      if (send && fm.last)         msgs_q       <= msgs_q + 32'd1;
      if (send && fm.tail)         pkts_q       <= pkts_q + 32'd1;
      if (send)                    flits_q      <= flits_q + 32'd1;
      if (ddone_i && vc_bad)       err_desc_q   <= err_desc_q + 32'd1;
      if (cred_err)                err_credit_q <= err_credit_q + 32'd1;
    end
  end

  assign head_o           = head_q;
  assign cnt_tx_msgs_o    = msgs_q;
  assign cnt_tx_pkts_o    = pkts_q;
  assign cnt_tx_flits_o   = flits_q;
  assign cnt_err_desc_o   = err_desc_q;
  assign cnt_err_credit_o = err_credit_q;

  // The queue's own count and full flag are implied by dcnt_q (queued or
  // being fetched), which is what section 6.5 limits; descriptor bits not in
  // desc_t (byte 12 bits 7:6, byte 15) are reserved and ignored.
  logic unused;
  assign unused = ^{desc_count, desc_full, rdata_i[FlitW-1:120], rdata_i[103:102]};

endmodule

`default_nettype wire
