// Self-synchronous scrambler / descrambler x^58 + x^39 + 1 over one 64-bit
// block payload (docs/spec.md 4.5.1), combinational; the caller holds the
// state register.
//
// State encoding: h[57:0] holds the last 58 scrambled bits of the lane in
// transmission order, h[57] the most recent one; i.e. h[j] = sc[57-j] of the
// spec. Reset value all ones (the same in either bit order).
//
// With x the scrambled stream and bit m of this block at x[m]:
//   s[m] = p[m] ^ x[m-39] ^ x[m-58]
// where x[m-39] and x[m-58] come from h for m < 39 and m < 58 respectively,
// which splits the 64 bits into three vector steps (no bit loop).

`default_nettype none

module optile_phy_scrambler #(
  parameter bit Descramble = 1'b0
) (
  input  wire logic [57:0] state_i,
  input  wire logic [63:0] data_i,   // p (scramble) or s (descramble)
  output logic      [63:0] data_o,   // s (scramble) or p (descramble)
  output logic      [57:0] state_o
);

  if (Descramble) begin : g_descr
    // p[m] = s[m] ^ x[m-39] ^ x[m-58], all from the received stream
    assign data_o  = data_i ^ {data_i[24:0], state_i[57:19]} ^ {data_i[5:0], state_i};
    assign state_o = data_i[63:6];
  end else begin : g_scr
    always_comb begin
      logic [63:0] v;
      v[38:0]  = data_i[38:0]  ^ state_i[57:19] ^ state_i[38:0];
      v[57:39] = data_i[57:39] ^ v[18:0]        ^ state_i[57:39];
      v[63:58] = data_i[63:58] ^ v[24:19]       ^ v[5:0];
      data_o   = v;
    end
    assign state_o = data_o[63:6];
  end

endmodule

`default_nettype wire
