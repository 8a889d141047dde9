// Transmit FIFO and replay buffer (docs/spec.md 4.5.6, 4.8.2) in one
// circular flit store of Cap = 8*ReplayPkts + TxFifoDepth flits (payload
// and sideband).
//
// Flits accepted from the router are written at the tail. The TX FIFO is
// [head, tail); the framer takes flits into a new packet by moving head
// (take_i), so a packet's flits stay where they are and become replay data.
// Packets are cut from the FIFO in order and released in order, so the
// flits of unacknowledged packets are the region just before head. At most
// ReplayPkts packets of at most 8 flits are unacknowledged and at most
// TxFifoDepth flits wait, so the store never overwrites live data.
//
// Replay slot s (packet seq mod ReplayPkts) records where its flits start
// and n-1. HDR and TRL are not stored: they are rebuilt from the flits and
// the slot entry when the packet is (re)sent, which yields the same blocks.
//
// Read ports, one per lane: a 64-bit data word of a flit, and the
// sidebands of the 8 flits starting at that flit (for a HDR).

`default_nettype none

module optile_phy_replay #(
  parameter int unsigned NumLanes    = 8,
  parameter int unsigned FlitW       = 256,
  parameter int unsigned SideW       = 4,
  parameter int unsigned TxFifoDepth = 16,
  parameter int unsigned ReplayPkts  = 32,
  localparam int unsigned Cap   = 8 * ReplayPkts + TxFifoDepth,
  localparam int unsigned PtrW  = $clog2(Cap),
  localparam int unsigned CntW  = $clog2(TxFifoDepth + 1),
  localparam int unsigned SlotW = $clog2(ReplayPkts),
  localparam int unsigned B     = FlitW / 64,
  localparam int unsigned WordW = (B > 1) ? $clog2(B) : 1
) (
  input  wire logic                          clk_i,
  input  wire logic                          rst_ni,
  input  wire logic                          clear_i,
  // router side: a flit accepted into the TX FIFO
  input  wire logic                          push_i,
  input  wire logic [FlitW-1:0]              push_flit_i,
  input  wire logic [SideW-1:0]              push_side_i,
  // framer: flits taken from the FIFO head into new packets this cycle
  input  wire logic [CntW-1:0]               take_i,
  output logic      [CntW-1:0]               count_o,
  output logic      [PtrW-1:0]               head_o,
  // replay slot table
  input  wire logic [NumLanes-1:0]           tab_we_i,
  input  wire logic [NumLanes*SlotW-1:0]     tab_idx_i,
  input  wire logic [NumLanes*PtrW-1:0]      tab_start_i,
  input  wire logic [NumLanes*3-1:0]         tab_n1_i,
  output logic      [ReplayPkts*PtrW-1:0]    tab_start_o,
  output logic      [ReplayPkts*3-1:0]       tab_n1_o,
  // read ports
  input  wire logic [NumLanes*PtrW-1:0]      rd_addr_i,
  input  wire logic [NumLanes*WordW-1:0]     rd_word_i,
  output logic      [NumLanes*64-1:0]        rd_data_o,
  output logic      [NumLanes*8*SideW-1:0]   rd_side_o
);

  logic [63:0]       data_q [Cap][B];
  logic [SideW-1:0]  side_q [Cap];
  logic [PtrW-1:0]   head_q, tail_q;
  logic [CntW-1:0]   count_q;
  logic [PtrW-1:0]   tab_start_q [ReplayPkts];
  logic [2:0]        tab_n1_q [ReplayPkts];

  function automatic logic [PtrW-1:0] ptr_add(logic [PtrW-1:0] a, logic [PtrW:0] k);
    logic [PtrW:0] s;
    s = (PtrW+1)'(a) + k;
    if (s >= (PtrW+1)'(Cap)) s = s - (PtrW+1)'(Cap);
    return s[PtrW-1:0];
  endfunction

  assign count_o = count_q;
  assign head_o  = head_q;

  for (genvar s = 0; s < ReplayPkts; s++) begin : g_tab
    assign tab_start_o[PtrW*s +: PtrW] = tab_start_q[s];
    assign tab_n1_o[3*s +: 3]          = tab_n1_q[s];
  end

  for (genvar i = 0; i < NumLanes; i++) begin : g_rd
    logic [PtrW-1:0]  a;
    logic [WordW-1:0] w;
    assign a = rd_addr_i[PtrW*i +: PtrW];
    assign w = rd_word_i[WordW*i +: WordW];
    if (B > 1) begin : g_multi
      assign rd_data_o[64*i +: 64] = data_q[a][w];
    end else begin : g_single
      logic unused_w;
      assign unused_w = ^w;
      assign rd_data_o[64*i +: 64] = data_q[a][0];
    end
    for (genvar k = 0; k < 8; k++) begin : g_side
      assign rd_side_o[(8*i + k)*SideW +: SideW] = side_q[ptr_add(a, (PtrW+1)'(k))];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      head_q  <= '0;
      tail_q  <= '0;
      count_q <= '0;
    end else if (clear_i) begin
      head_q  <= '0;
      tail_q  <= '0;
      count_q <= '0;
    end else begin
      if (push_i) tail_q <= ptr_add(tail_q, (PtrW+1)'(1));
      head_q  <= ptr_add(head_q, (PtrW+1)'(take_i));
      count_q <= count_q + CntW'(push_i) - take_i;
    end
  end

  // Storage: no reset (memory). Slot entries are written before use.
  always_ff @(posedge clk_i) begin
    if (push_i && !clear_i) begin
      for (int unsigned j = 0; j < B; j++) data_q[tail_q][j] <= push_flit_i[64*j +: 64];
      side_q[tail_q] <= push_side_i;
    end
    for (int unsigned i = 0; i < NumLanes; i++) begin
      if (tab_we_i[i]) begin
        tab_start_q[tab_idx_i[SlotW*i +: SlotW]] <= tab_start_i[PtrW*i +: PtrW];
        tab_n1_q[tab_idx_i[SlotW*i +: SlotW]]    <= tab_n1_i[3*i +: 3];
      end
    end
  end

endmodule

`default_nettype wire
