// Synchronous FIFO: the router's input VC buffer (docs/spec.md section 5.5)
// and the X-port adapter's queues (section 5.9).
//
// data_o is the front entry (meaningful when cnt_o != 0). A push when the
// FIFO holds Depth entries at the start of the cycle is ignored (callers
// detect and count it); a pop of an empty FIFO is ignored. Push and pop in
// the same cycle are allowed; the pushed entry is never visible at data_o in
// the cycle it is pushed (no bypass).

`default_nettype none

module noc_fifo #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 4,
  // derived; do not override
  parameter int unsigned CntW  = $clog2(Depth + 1)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             push_i,
  input  wire logic [Width-1:0] data_i,
  input  wire logic             pop_i,
  output logic [Width-1:0]      data_o,
  output logic [CntW-1:0]       cnt_o
);

  localparam int unsigned PtrW = (Depth > 1) ? $clog2(Depth) : 1;

  logic [Width-1:0] mem_q [Depth];
  logic [PtrW-1:0]  rd_q, wr_q;
  logic [CntW-1:0]  cnt_q;
  logic             do_push, do_pop;

  assign do_push = push_i && (32'(cnt_q) != Depth);
  assign do_pop  = pop_i && (cnt_q != '0);

  function automatic logic [PtrW-1:0] next_ptr(logic [PtrW-1:0] p);
    return (32'(p) == Depth - 1) ? '0 : p + 1'b1;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q  <= '0;
      wr_q  <= '0;
      cnt_q <= '0;
    end else begin
      if (do_push) wr_q <= next_ptr(wr_q);
      if (do_pop)  rd_q <= next_ptr(rd_q);
      if (do_push && !do_pop)      cnt_q <= cnt_q + 1'b1;
      else if (do_pop && !do_push) cnt_q <= cnt_q - 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned k = 0; k < Depth; k++) mem_q[k] <= '0;
    end else if (do_push) begin
      mem_q[wr_q] <= data_i;
    end
  end

  assign data_o = mem_q[rd_q];
  assign cnt_o  = cnt_q;

endmodule

`default_nettype wire
