// Receive link layer (docs/spec.md 4.8.1): processes the blocks of a
// popped non-marker row over the active lanes in ascending order (the block
// stream of 4.5.5): opens packets on HDR, collects data blocks (written to
// the RX FIFO's free space as they come), checks the TRL's CRC and decides:
// accept (commit the flits, E := E+1), duplicate (ack_urgent), sequence gap
// or bad packet (NAK request). Valid ACK/NAK blocks between packets are
// handed to optile_phy_ack in lane order.

`default_nettype none

module optile_phy_deframer
  import optile_phy_pkg::*;
#(
  parameter int unsigned NumLanes  = 8,
  parameter int unsigned FlitW     = 256,
  parameter int unsigned SideW     = 4,
  parameter int unsigned RxCredits = 32,
  localparam int unsigned Depth = 8 * RxCredits,
  localparam int unsigned PtrW  = $clog2(Depth),
  localparam int unsigned CntW  = $clog2(Depth + 1),
  localparam int unsigned B     = FlitW / 64,
  localparam int unsigned WordW = (B > 1) ? $clog2(B) : 1
) (
  input  wire logic                        clk_i,
  input  wire logic                        rst_ni,
  input  wire logic                        clear_i,      // RESET: E := 0
  input  wire logic                        flush_i,      // discard a partial packet at this edge
  input  wire logic                        run_i,        // committed, in DESKEW or ACTIVE
  input  wire logic                        row_i,        // a non-marker row is popped
  input  wire logic [NumLanes-1:0]         lanes_i,      // the active lanes
  input  wire logic [NumLanes*66-1:0]      blk_i,        // popped blocks {payload, sh}
  input  wire logic [NumLanes*3-1:0]       kind_i,       // decoded kinds (K*)
  input  wire logic [PtrW-1:0]             fifo_tail_i,
  input  wire logic [CntW-1:0]             fifo_count_i,
  input  wire logic                        nak_pending_tx_i,
  input  wire logic                        nak_sent_tx_i,
  // RX FIFO writes
  output logic      [NumLanes-1:0]         we_o,
  output logic      [NumLanes*PtrW-1:0]    waddr_o,
  output logic      [NumLanes*WordW-1:0]   wword_o,
  output logic      [NumLanes*64-1:0]      wdata_o,
  output logic      [NumLanes-1:0]         swe_o,
  output logic      [NumLanes*SideW-1:0]   wside_o,
  output logic      [NumLanes-1:0]         wlast_o,
  output logic      [CntW-1:0]             commit_o,
  // state and events
  output logic      [7:0]                  exp_seq_o,    // E, start of cycle
  output logic                             open_o,       // a packet is being received
  output logic      [3:0]                  accepts_o,
  output logic                             dup_o,
  output logic                             nak_pending_o,
  output logic                             nak_sent_o,
  output logic      [NumLanes-1:0]         ack_valid_o,
  output logic                             hdr_rcvd_o,
  output logic      [3:0]                  bad_inc_o,
  output logic      [3:0]                  rx_err_inc_o,
  output logic      [7:0]                  rx_flits_inc_o
);

  logic [7:0]         e_q, e_d;
  logic               open_q, open_d;
  logic               bad_q, bad_d;
  logic [7:0]         seq_q, seq_d;
  logic [2:0]         n1_q, n1_d;
  logic [8*SideW-1:0] side_q, side_d;
  logic [6:0]         cnt_q, cnt_d;
  logic [31:0]        crc_q, crc_d;
  logic [PtrW-1:0]    base_q, base_d;
  logic               act;

  function automatic logic [PtrW-1:0] ptr_add(logic [PtrW-1:0] a, logic [PtrW:0] k);
    logic [PtrW:0] s;
    s = (PtrW+1)'(a) + k;
    if (s >= (PtrW+1)'(Depth)) s = s - (PtrW+1)'(Depth);
    return s[PtrW-1:0];
  endfunction

  assign act       = run_i && row_i;
  assign exp_seq_o = e_q;
  assign open_o    = open_q;

  always_comb begin
    logic [63:0]     p;
    logic [2:0]      k;
    logic            closing, good, opening, v_nakp, v_naks;
    logic [6:0]      nb;
    logic [PtrW-1:0] v_tail;
    logic [CntW:0]   v_used;
    logic [CntW-1:0] commit;
    int unsigned     f;
    logic [7:0]      back;

    p       = '0;
    k       = '0;
    closing = 1'b0;
    good    = 1'b0;
    opening = 1'b0;
    nb      = '0;
    f       = 0;
    back    = '0;
    e_d    = e_q;
    open_d = open_q;
    bad_d  = bad_q;
    seq_d  = seq_q;
    n1_d   = n1_q;
    side_d = side_q;
    cnt_d  = cnt_q;
    crc_d  = crc_q;
    base_d = base_q;
    v_tail = fifo_tail_i;
    v_used = (CntW+1)'(fifo_count_i);
    v_nakp = nak_pending_tx_i;
    v_naks = nak_sent_tx_i;
    commit = '0;
    we_o    = '0;
    waddr_o = '0;
    wword_o = '0;
    wdata_o = '0;
    swe_o   = '0;
    wside_o = '0;
    wlast_o = '0;
    accepts_o      = '0;
    dup_o          = 1'b0;
    ack_valid_o    = '0;
    hdr_rcvd_o     = 1'b0;
    bad_inc_o      = '0;
    rx_err_inc_o   = '0;
    rx_flits_inc_o = '0;

    for (int unsigned i = 0; i < NumLanes; i++) begin
      if (act && lanes_i[i]) begin
        p       = blk_i[66*i + 2 +: 64];
        k       = kind_i[3*i +: 3];
        closing = 1'b0;
        good    = 1'b0;
        opening = 1'b0;
        nb      = 7'(({4'd0, n1_d} + 7'd1) * 7'(B));
        unique case (k)
          KHdr: begin
            closing = open_d;
            opening = 1'b1;
          end
          KData: begin
            if (!open_d) begin
              rx_err_inc_o = rx_err_inc_o + 4'd1;
            end else if (cnt_d < nb) begin
              f = int'(cnt_d) / B;
              if (v_used + (CntW+1)'(f) < (CntW+1)'(Depth)) begin
                we_o[i]                   = 1'b1;
                waddr_o[PtrW*i +: PtrW]   = ptr_add(base_d, (PtrW+1)'(f));
                wword_o[WordW*i +: WordW] = WordW'(int'(cnt_d) % B);
                wdata_o[64*i +: 64]       = p;
                if (int'(cnt_d) % B == 0) begin
                  swe_o[i]                  = 1'b1;
                  wside_o[SideW*i +: SideW] = side_d[SideW*f +: SideW];
                  wlast_o[i]                = (f == int'(n1_d));
                end
              end
              crc_d = crc32_upd(crc_d, p, 8);
              cnt_d = cnt_d + 7'd1;
            end else begin
              bad_d = 1'b1;
            end
          end
          KTrl: begin
            if (open_d) begin
              closing = 1'b1;
              good    = !bad_d && (cnt_d == nb) && (p[39:8] == ~crc_d);
            end else begin
              rx_err_inc_o = rx_err_inc_o + 4'd1;
            end
          end
          KInvalid: begin
            if (open_d) bad_d = 1'b1;
            else rx_err_inc_o = rx_err_inc_o + 4'd1;
          end
          KAck: begin
            closing        = open_d;
            ack_valid_o[i] = 1'b1;
          end
          default: begin  // IDLE, SLEEP, TS
            closing = open_d;
          end
        endcase

        if (closing) begin
          open_d = 1'b0;
          back   = e_d - seq_d;
          if (good && (seq_d == e_d)) begin
            commit         = commit + CntW'(n1_d) + CntW'(1);
            v_tail         = ptr_add(v_tail, (PtrW+1)'(n1_d) + (PtrW+1)'(1));
            v_used         = v_used + (CntW+1)'(n1_d) + (CntW+1)'(1);
            e_d            = e_d + 8'd1;
            v_naks         = 1'b0;
            accepts_o      = accepts_o + 4'd1;
            rx_flits_inc_o = rx_flits_inc_o + 8'(n1_d) + 8'd1;
          end else if (good && (back >= 8'd1) && (back <= 8'd128)) begin
            dup_o = 1'b1;
          end else begin
            if (!good) bad_inc_o = bad_inc_o + 4'd1;
            if (!v_nakp && !v_naks) v_nakp = 1'b1;
          end
        end

        if (opening) begin
          open_d     = 1'b1;
          bad_d      = 1'b0;
          seq_d      = p[15:8];
          n1_d       = p[18:16];
          side_d     = p[32 +: 8*SideW];
          cnt_d      = '0;
          crc_d      = crc32_upd(32'hFFFF_FFFF, p, 8);
          base_d     = v_tail;
          hdr_rcvd_o = 1'b1;
        end
      end
    end

    commit_o      = commit;
    nak_pending_o = v_nakp;
    nak_sent_o    = v_naks;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      e_q    <= '0;
      open_q <= 1'b0;
      bad_q  <= 1'b0;
      seq_q  <= '0;
      n1_q   <= '0;
      side_q <= '0;
      cnt_q  <= '0;
      crc_q  <= '1;
      base_q <= '0;
    end else if (clear_i) begin
      e_q    <= '0;
      open_q <= 1'b0;
      bad_q  <= 1'b0;
      seq_q  <= '0;
      n1_q   <= '0;
      side_q <= '0;
      cnt_q  <= '0;
      crc_q  <= '1;
      base_q <= '0;
    end else begin
      if (act) begin
        e_q    <= e_d;
        open_q <= open_d;
        bad_q  <= bad_d;
        seq_q  <= seq_d;
        n1_q   <= n1_d;
        side_q <= side_d;
        cnt_q  <= cnt_d;
        crc_q  <= crc_d;
        base_q <= base_d;
      end
      if (flush_i) open_q <= 1'b0;
    end
  end

endmodule

`default_nettype wire
