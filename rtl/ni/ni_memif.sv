// The NI's two host-memory request channels (docs/spec.md sections 6.2 and
// 6.9 steps 4-5).
//
// Read channel: requesters RX descriptor fetch (0), TX descriptor fetch (1),
// TX payload read (2); round robin (rd_ptr); no grant while MaxOutRd reads are
// outstanding. A request is issued when mem_rd_valid_o is 1; the memory takes
// it unconditionally. The memory returns the data (byte i = memory[addr + i]
// for i < len, 0 above) with mem_rdata_valid_i = 1 in cycle c + MemLat - 1
// for a read issued in cycle c, i.e. in the cycle whose closing edge performs
// it; the NI takes it into its state at that edge. Reads are returned in issue
// order; a FIFO of tags routes each to its requester and its fill level is
// the number of reads outstanding (issued, not performed).
//
// Write channel: requesters CQ writer (0) and the chosen RX flit (1); round
// robin (wr_ptr); no grant while MaxOutWr writes are outstanding. The memory
// takes a request unconditionally when mem_wr_valid_o is 1 (data byte i goes
// to addr + i for i < len; mem_wr_be_o marks those bytes) and performs it at
// the edge ending cycle c + MemLat - 1. The NI has no write response: a delay
// line of MemLat - 1 stages tells it which edge performs each of its writes.

`default_nettype none

module ni_memif #(
  parameter int unsigned FlitW    = 256,
  parameter int unsigned MemLat   = 100,
  parameter int unsigned MaxOutRd = 128,
  parameter int unsigned MaxOutWr = 128,
  // derived, do not override
  parameter int unsigned B        = FlitW / 8,
  parameter int unsigned LenW     = $clog2(B + 1)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // read requesters (descriptor reads are 16 bytes)
  input  wire logic             rxd_req_i,
  input  wire logic [63:0]      rxd_addr_i,
  output logic                  rxd_gnt_o,
  input  wire logic             txd_req_i,
  input  wire logic [63:0]      txd_addr_i,
  output logic                  txd_gnt_o,
  input  wire logic             txp_req_i,
  input  wire logic [63:0]      txp_addr_i,
  input  wire logic [LenW-1:0]  txp_len_i,
  output logic                  txp_gnt_o,
  // performed reads, at the edge ending this cycle
  output logic                  rxd_done_o,
  output logic                  txd_done_o,
  output logic                  txp_done_o,
  output logic      [FlitW-1:0] rd_data_o,
  // write requesters (completion entries are 16 bytes)
  input  wire logic             cqw_req_i,
  input  wire logic [63:0]      cqw_addr_i,
  input  wire logic [127:0]     cqw_data_i,
  output logic                  cqw_gnt_o,
  input  wire logic             rxw_req_i,
  input  wire logic [63:0]      rxw_addr_i,
  input  wire logic [LenW-1:0]  rxw_len_i,
  input  wire logic [FlitW-1:0] rxw_data_i,
  output logic                  rxw_gnt_o,
  // a completion write is performed at the edge ending this cycle
  output logic                  cqw_perf_o,
  // host memory
  output logic                  mem_rd_valid_o,
  output logic      [63:0]      mem_rd_addr_o,
  output logic      [LenW-1:0]  mem_rd_len_o,
  input  wire logic             mem_rdata_valid_i,
  input  wire logic [FlitW-1:0] mem_rdata_i,
  output logic                  mem_wr_valid_o,
  output logic      [63:0]      mem_wr_addr_o,
  output logic      [LenW-1:0]  mem_wr_len_o,
  output logic      [FlitW-1:0] mem_wr_data_o,
  output logic      [B-1:0]     mem_wr_be_o,
  // counters (section 6.8)
  output logic      [31:0]      cnt_rd_reqs_o,
  output logic      [31:0]      cnt_rd_bytes_o,
  output logic      [31:0]      cnt_wr_reqs_o,
  output logic      [31:0]      cnt_wr_bytes_o
);

  localparam logic [LenW-1:0] DescLen = LenW'(16);
  localparam int unsigned RdCntW = $clog2(MaxOutRd + 1);
  localparam int unsigned WrCntW = $clog2(MaxOutWr + 1);
  localparam logic [1:0] TagRxd = 2'd0;
  localparam logic [1:0] TagTxd = 2'd1;
  localparam logic [1:0] TagTxp = 2'd2;

  // ---- read channel --------------------------------------------------------
  logic              rd_ok, rd_valid, rd_issue;
  logic [1:0]        rd_idx;
  logic [1:0]        tag_front;
  logic [RdCntW-1:0] rd_out;
  logic              tag_empty, tag_full, tag_pop;

  assign rd_ok = (rd_out < RdCntW'(MaxOutRd));

  ni_rr_arb #(.N(3)) u_rd_arb (
    .clk_i, .rst_ni,
    .req_i  ({txp_req_i, txd_req_i, rxd_req_i} & {3{rd_ok}}),
    .take_i (rd_issue),
    .valid_o(rd_valid),
    .idx_o  (rd_idx)
  );

  assign rd_issue  = rd_valid;
  assign rxd_gnt_o = rd_issue && (rd_idx == TagRxd);
  assign txd_gnt_o = rd_issue && (rd_idx == TagTxd);
  assign txp_gnt_o = rd_issue && (rd_idx == TagTxp);

  always_comb begin
    mem_rd_valid_o = rd_issue;
    mem_rd_addr_o  = '0;
    mem_rd_len_o   = '0;
    unique case (1'b1)
      rxd_gnt_o: begin mem_rd_addr_o = rxd_addr_i; mem_rd_len_o = DescLen;   end
      txd_gnt_o: begin mem_rd_addr_o = txd_addr_i; mem_rd_len_o = DescLen;   end
      txp_gnt_o: begin mem_rd_addr_o = txp_addr_i; mem_rd_len_o = txp_len_i; end
      default: ;
    endcase
  end

  // With MemLat = 1 a read is performed at the end of the cycle it is issued
  // in: with no older read outstanding, a return is this cycle's read, which
  // then never enters the tag FIFO. (A return with nothing outstanding and
  // nothing issued is a memory-model error and is ignored.)
  logic       ret_now;
  logic [1:0] ret_tag;
  assign tag_pop = mem_rdata_valid_i && !tag_empty;
  assign ret_now = mem_rdata_valid_i && tag_empty && rd_issue;
  assign ret_tag = tag_empty ? rd_idx : tag_front;

  ni_fifo #(.Width(2), .Depth(MaxOutRd)) u_tags (
    .clk_i, .rst_ni,
    .push_i (rd_issue && !ret_now),
    .wdata_i(rd_idx),
    .pop_i  (tag_pop),
    .rdata_o(tag_front),
    .count_o(rd_out),
    .full_o (tag_full),
    .empty_o(tag_empty)
  );

  assign rxd_done_o = (tag_pop || ret_now) && (ret_tag == TagRxd);
  assign txd_done_o = (tag_pop || ret_now) && (ret_tag == TagTxd);
  assign txp_done_o = (tag_pop || ret_now) && (ret_tag == TagTxp);
  assign rd_data_o  = mem_rdata_i;

  // ---- write channel -------------------------------------------------------
  logic              wr_ok, wr_valid, wr_issue, wr_perf, wr_perf_cq;
  logic              wr_idx;
  logic [WrCntW-1:0] wr_out_q;

  assign wr_ok = (wr_out_q < WrCntW'(MaxOutWr));

  ni_rr_arb #(.N(2)) u_wr_arb (
    .clk_i, .rst_ni,
    .req_i  ({rxw_req_i, cqw_req_i} & {2{wr_ok}}),
    .take_i (wr_issue),
    .valid_o(wr_valid),
    .idx_o  (wr_idx)
  );

  assign wr_issue  = wr_valid;
  assign cqw_gnt_o = wr_issue && !wr_idx;
  assign rxw_gnt_o = wr_issue && wr_idx;

  always_comb begin
    mem_wr_valid_o = wr_issue;
    mem_wr_addr_o  = '0;
    mem_wr_len_o   = '0;
    mem_wr_data_o  = '0;
    if (cqw_gnt_o) begin
      mem_wr_addr_o = cqw_addr_i;
      mem_wr_len_o  = DescLen;
      mem_wr_data_o = FlitW'(cqw_data_i);
    end else if (rxw_gnt_o) begin
      mem_wr_addr_o = rxw_addr_i;
      mem_wr_len_o  = rxw_len_i;
      mem_wr_data_o = rxw_data_i;
    end
    for (int unsigned i = 0; i < B; i++) begin
      mem_wr_be_o[i] = wr_issue && (LenW'(i) < mem_wr_len_o);
    end
  end

  // Delay line: stage k holds the write issued k + 1 cycles ago; the last
  // stage's write is performed at the end of this cycle.
  if (MemLat == 1) begin : g_lat1
    assign wr_perf    = wr_issue;
    assign wr_perf_cq = cqw_gnt_o;
  end else begin : g_latn
    logic [MemLat-2:0] dl_v_q, dl_cq_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        dl_v_q  <= '0;
        dl_cq_q <= '0;
      end else begin
        dl_v_q[0]  <= wr_issue;
        dl_cq_q[0] <= cqw_gnt_o;
        for (int unsigned k = 1; k < MemLat - 1; k++) begin
          dl_v_q[k]  <= dl_v_q[k-1];
          dl_cq_q[k] <= dl_cq_q[k-1];
        end
      end
    end
    assign wr_perf    = dl_v_q[MemLat-2];
    assign wr_perf_cq = dl_cq_q[MemLat-2];
  end

  assign cqw_perf_o = wr_perf_cq;

  // ---- counters and outstanding writes --------------------------------------
  logic [31:0] rd_reqs_q, rd_bytes_q, wr_reqs_q, wr_bytes_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_out_q   <= '0;
      rd_reqs_q  <= '0;
      rd_bytes_q <= '0;
      wr_reqs_q  <= '0;
      wr_bytes_q <= '0;
    end else begin
      wr_out_q <= wr_out_q + WrCntW'(wr_issue) - WrCntW'(wr_perf);
      if (rd_issue) begin
        rd_reqs_q  <= rd_reqs_q + 32'd1;
        rd_bytes_q <= rd_bytes_q + 32'(mem_rd_len_o);
      end
      if (wr_issue) begin
        wr_reqs_q  <= wr_reqs_q + 32'd1;
        wr_bytes_q <= wr_bytes_q + 32'(mem_wr_len_o);
      end
    end
  end

  assign cnt_rd_reqs_o  = rd_reqs_q;
  assign cnt_rd_bytes_o = rd_bytes_q;
  assign cnt_wr_reqs_o  = wr_reqs_q;
  assign cnt_wr_bytes_o = wr_bytes_q;

  // tag_full cannot be 1 when a read is issued (rd_ok); kept for clarity.
  logic unused_tag_full;
  assign unused_tag_full = tag_full;

endmodule

`default_nettype wire
