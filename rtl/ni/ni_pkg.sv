// Network interface (docs/spec.md section 6): constants shared by the NI's
// modules. Widths that depend on the NI's parameters live in the modules.

`default_nettype none

package ni_pkg;

  // `make lint-rtl` lints every top with every RTL file; when the top is not
  // ni_top nothing uses these constants.
  /* verilator lint_off UNUSEDPARAM */

  // Completion entry, byte 12 bits 1:0 (section 6.4).
  localparam logic [1:0] KindTx = 2'd1;
  localparam logic [1:0] KindRx = 2'd2;

  // Completion status, byte 12 bits 4:2 (section 6.4).
  localparam logic [2:0] StOk     = 3'd0;
  localparam logic [2:0] StTrunc  = 3'd1;
  localparam logic [2:0] StErr    = 3'd2;
  localparam logic [2:0] StNoCtx  = 3'd3;
  localparam logic [2:0] StBadLen = 3'd4;

  // Bit of the phase flag in a 128-bit completion entry (byte 12, bit 7).
  localparam int unsigned CplPhaseBit = 103;

  /* verilator lint_on UNUSEDPARAM */

  // A 16-byte completion entry with phase 0 (the CQ writer adds the phase).
  function automatic logic [127:0] cpl_entry(logic [63:0] addr, logic [31:0] len,
                                             logic [1:0] kind, logic [2:0] status,
                                             logic [7:0] flow, logic [7:0] byte14,
                                             logic [7:0] byte15);
    return {byte15, byte14, flow, 1'b0, 2'b00, status, kind, len, addr};
  endfunction

endpackage

`default_nettype wire
