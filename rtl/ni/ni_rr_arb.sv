// Round-robin arbiter of docs/spec.md section 5.5, as section 6.9 uses it:
// the winner is the first requester in the order ptr, ptr+1, ..., N-1, 0, ...;
// ptr becomes (winner + 1) mod N when, and only when, the caller reports the
// winner granted (take_i). Pointer resets to 0.

`default_nettype none

module ni_rr_arb #(
  parameter int unsigned N    = 2,
  // derived, do not override
  parameter int unsigned IdxW = (N > 1) ? $clog2(N) : 1
) (
  input  wire logic            clk_i,
  input  wire logic            rst_ni,
  input  wire logic [N-1:0]    req_i,
  input  wire logic            take_i,
  output logic                 valid_o,
  output logic      [IdxW-1:0] idx_o
);

  localparam logic [IdxW-1:0] LastIdx = IdxW'(N - 1);

  logic [IdxW-1:0] ptr_q;

  always_comb begin
    valid_o = 1'b0;
    idx_o   = '0;
    for (int unsigned i = 0; i < N; i++) begin
      // candidate j = (ptr + i) mod N, scanned in priority order
      automatic logic [IdxW-1:0] j = IdxW'((32'(ptr_q) + i) % N);
      if (!valid_o && req_i[j]) begin
        valid_o = 1'b1;
        idx_o   = j;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ptr_q <= '0;
    end else if (take_i) begin
      ptr_q <= (idx_o == LastIdx) ? '0 : idx_o + 1'b1;
    end
  end

endmodule

`default_nettype wire
