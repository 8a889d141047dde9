// Round-robin arbiter (docs/spec.md section 5.5).
//
// The winner is the first requester in the order ptr, ptr+1, ..., N-1, 0,
// ..., ptr-1. The pointer moves to (winner + 1) mod N at the clock edge only
// when the caller says the winner was finally granted (upd_i); otherwise it
// keeps its value. The pointer resets to 0. Purely combinational from req_i
// to the grant; the pointer is the only state.

`default_nettype none

module noc_rr_arb #(
  parameter int unsigned N    = 6,
  // derived; do not override
  parameter int unsigned IdxW = (N > 1) ? $clog2(N) : 1
) (
  input  wire logic            clk_i,
  input  wire logic            rst_ni,
  input  wire logic [N-1:0]    req_i,
  input  wire logic            upd_i,   // the winner of this cycle is granted
  output logic [N-1:0]         gnt_o,   // one-hot winner, 0 when no request
  output logic [IdxW-1:0]      idx_o,   // index of the winner
  output logic                 any_o    // at least one request
);

  logic [IdxW-1:0] ptr_d, ptr_q;
  logic [N-1:0]    req_hi;   // requests at or above the pointer
  logic [IdxW-1:0] idx_lo, idx_hi;

  always_comb begin
    for (int unsigned k = 0; k < N; k++) begin
      req_hi[k] = req_i[k] && (k >= 32'(ptr_q));
    end
  end

  // Lowest set bit of req_i and of req_hi (loops run downwards so that the
  // last assignment is the lowest index).
  always_comb begin
    idx_lo = '0;
    idx_hi = '0;
    for (int k = N - 1; k >= 0; k--) begin
      if (req_i[k])  idx_lo = IdxW'(k);
      if (req_hi[k]) idx_hi = IdxW'(k);
    end
  end

  assign any_o = |req_i;
  assign idx_o = (|req_hi) ? idx_hi : idx_lo;

  always_comb begin
    gnt_o = '0;
    if (any_o) gnt_o[idx_o] = 1'b1;
  end

  always_comb begin
    ptr_d = ptr_q;
    if (upd_i && any_o) ptr_d = (32'(idx_o) == N - 1) ? '0 : idx_o + 1'b1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) ptr_q <= '0;
    else         ptr_q <= ptr_d;
  end

endmodule

`default_nettype wire
