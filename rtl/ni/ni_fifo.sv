// Synchronous FIFO used for the NI's queues. Push and pop may happen in the
// same cycle; the caller pushes only when full_o is 0 and pops only when
// empty_o is 0 (both describe the state at the start of the cycle, which is
// what section 6.9's "room" and "non-empty" tests use).

`default_nettype none

module ni_fifo #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 4,
  // derived, do not override
  parameter int unsigned CntW  = $clog2(Depth + 1)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             push_i,
  input  wire logic [Width-1:0] wdata_i,
  input  wire logic             pop_i,
  output logic      [Width-1:0] rdata_o,
  output logic      [CntW-1:0]  count_o,
  output logic                  full_o,
  output logic                  empty_o
);

  localparam int unsigned PtrW = (Depth > 1) ? $clog2(Depth) : 1;
  localparam logic [PtrW-1:0] LastPtr = PtrW'(Depth - 1);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  rptr_q, wptr_q;
  logic [CntW-1:0]  cnt_q;

  function automatic logic [PtrW-1:0] ptr_inc(logic [PtrW-1:0] p);
    return (p == LastPtr) ? '0 : p + 1'b1;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rptr_q <= '0;
      wptr_q <= '0;
      cnt_q  <= '0;
    end else begin
      if (push_i) wptr_q <= ptr_inc(wptr_q);
      if (pop_i) rptr_q <= ptr_inc(rptr_q);
      cnt_q <= cnt_q + CntW'(push_i) - CntW'(pop_i);
    end
  end

  // Storage. Every entry has a reset value; the reset loop is split in two
  // nested loops of at most 32 iterations because Verilator 5.006 rejects
  // non-blocking array writes in loops it does not unroll (over 64).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned hi = 0; hi < (Depth + 31) / 32; hi++) begin
        for (int unsigned lo = 0; lo < 32; lo++) begin
          if (hi * 32 + lo < Depth) mem_q[hi * 32 + lo] <= '0;
        end
      end
    end else if (push_i) begin
      mem_q[wptr_q] <= wdata_i;
    end
  end

  assign rdata_o = mem_q[rptr_q];
  assign count_o = cnt_q;
  assign full_o  = (cnt_q == CntW'(Depth));
  assign empty_o = (cnt_q == '0);

endmodule

`default_nettype wire
