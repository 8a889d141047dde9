// Receive FIFO (docs/spec.md 4.8.1): 8*RxCredits flits with sideband and a
// last-flit-of-packet flag. The deframer writes a packet's data blocks as
// they arrive into the free space after the committed tail (speculative
// writes) and commits the packet's flits when it is accepted; a discarded
// packet is simply not committed. The head flit is presented to the router
// (rx_flit_o/rx_side_o are 0 while the FIFO is empty).

`default_nettype none

module optile_phy_rx_fifo #(
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
  input  wire logic                        clear_i,
  // data word writes (flit address, word of the flit)
  input  wire logic [NumLanes-1:0]         we_i,
  input  wire logic [NumLanes*PtrW-1:0]    waddr_i,
  input  wire logic [NumLanes*WordW-1:0]   wword_i,
  input  wire logic [NumLanes*64-1:0]      wdata_i,
  // sideband / last-flag writes (flit address)
  input  wire logic [NumLanes-1:0]         swe_i,
  input  wire logic [NumLanes*SideW-1:0]   wside_i,
  input  wire logic [NumLanes-1:0]         wlast_i,
  // flits of accepted packets, committed at this edge
  input  wire logic [CntW-1:0]             commit_i,
  // router side
  input  wire logic                        rx_ready_i,
  output logic                             rx_valid_o,
  output logic      [FlitW-1:0]            rx_flit_o,
  output logic      [SideW-1:0]            rx_side_o,
  output logic                             freed_o,    // a packet's last flit leaves this cycle
  output logic      [PtrW-1:0]             tail_o,     // committed tail (first free flit)
  output logic      [CntW-1:0]             count_o     // committed flits
);

  logic [63:0]      data_q [Depth][B];
  logic [SideW-1:0] side_q [Depth];
  logic             last_q [Depth];
  logic [PtrW-1:0]  rd_q, tail_q;
  logic [CntW-1:0]  cnt_q;
  logic             pop;

  function automatic logic [PtrW-1:0] ptr_add(logic [PtrW-1:0] a, logic [PtrW:0] k);
    logic [PtrW:0] s;
    s = (PtrW+1)'(a) + k;
    if (s >= (PtrW+1)'(Depth)) s = s - (PtrW+1)'(Depth);
    return s[PtrW-1:0];
  endfunction

  assign rx_valid_o = (cnt_q != '0);
  assign pop        = rx_valid_o && rx_ready_i;
  assign freed_o    = pop && last_q[rd_q];
  assign tail_o     = tail_q;
  assign count_o    = cnt_q;

  for (genvar j = 0; j < B; j++) begin : g_out
    assign rx_flit_o[64*j +: 64] = rx_valid_o ? data_q[rd_q][j] : '0;
  end
  assign rx_side_o = rx_valid_o ? side_q[rd_q] : '0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q   <= '0;
      tail_q <= '0;
      cnt_q  <= '0;
    end else if (clear_i) begin
      rd_q   <= '0;
      tail_q <= '0;
      cnt_q  <= '0;
    end else begin
      if (pop) rd_q <= ptr_add(rd_q, (PtrW+1)'(1));
      tail_q <= ptr_add(tail_q, (PtrW+1)'(commit_i));
      cnt_q  <= cnt_q + commit_i - CntW'(pop);
    end
  end

  // Storage: no reset (memory); only committed flits are ever read.
  always_ff @(posedge clk_i) begin
    for (int unsigned i = 0; i < NumLanes; i++) begin
      if (we_i[i]) begin
        if (B > 1) data_q[waddr_i[PtrW*i +: PtrW]][wword_i[WordW*i +: WordW]] <= wdata_i[64*i +: 64];
        else       data_q[waddr_i[PtrW*i +: PtrW]][0]                          <= wdata_i[64*i +: 64];
      end
      if (swe_i[i]) begin
        side_q[waddr_i[PtrW*i +: PtrW]] <= wside_i[SideW*i +: SideW];
        last_q[waddr_i[PtrW*i +: PtrW]] <= wlast_i[i];
      end
    end
  end

endmodule

`default_nettype wire
