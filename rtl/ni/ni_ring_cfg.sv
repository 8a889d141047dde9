// One descriptor ring's configuration as the NI holds it (docs/spec.md
// section 6.3): base, size (log2 entries) and the host's index (TX/RX
// doorbell = producer, CQ = consumer). A register write arrives as a value
// with a one-cycle strobe and takes effect at the end of that cycle:
//  * base or size writes are applied only while the ring is disabled
//    (else ignored, err_csr); a size above 16 is ignored (err_csr); an applied
//    base or size write resets the ring's indices (rst_o, same cycle);
//  * an index write with a value >= the ring size, or to an unusable ring
//    (size 0), is ignored (err_doorbell).

`default_nettype none

module ni_ring_cfg (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic        en_i,          // ring enable at the start of the cycle
  input  wire logic [31:0] base_lo_i,
  input  wire logic        base_lo_qe_i,
  input  wire logic [31:0] base_hi_i,
  input  wire logic        base_hi_qe_i,
  input  wire logic [4:0]  size_i,
  input  wire logic        size_qe_i,
  input  wire logic [15:0] idx_i,
  input  wire logic        idx_qe_i,
  output logic      [63:0] base_o,
  output logic      [4:0]  size_o,
  output logic      [15:0] idx_o,
  output logic             rst_o,         // indices reset at the end of this cycle
  output logic             err_csr_o,     // one err_csr event this cycle
  output logic             err_db_o       // one err_doorbell event this cycle
);

  localparam logic [4:0] MaxLog2 = 5'd16;

  logic [31:0] base_lo_q, base_hi_q;
  logic [4:0]  size_q;
  logic [15:0] idx_q;
  logic        cfg_wr, size_ok, idx_ok;

  assign cfg_wr  = base_lo_qe_i | base_hi_qe_i | size_qe_i;
  assign size_ok = (size_i <= MaxLog2);
  // a usable ring has 2^size_q entries; the index must be below that
  assign idx_ok  = (size_q != 5'd0) && ((32'(idx_i) >> size_q) == 32'd0);

  assign rst_o     = !en_i && (base_lo_qe_i || base_hi_qe_i || (size_qe_i && size_ok));
  assign err_csr_o = (cfg_wr && en_i) || (size_qe_i && !en_i && !size_ok);
  assign err_db_o  = idx_qe_i && !idx_ok;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      base_lo_q <= '0;
      base_hi_q <= '0;
      size_q    <= '0;
      idx_q     <= '0;
    end else begin
      if (base_lo_qe_i && !en_i)           base_lo_q <= base_lo_i;
      if (base_hi_qe_i && !en_i)           base_hi_q <= base_hi_i;
      if (size_qe_i && !en_i && size_ok)   size_q    <= size_i;
      if (rst_o)                           idx_q     <= '0;
      else if (idx_qe_i && idx_ok)         idx_q     <= idx_i;
    end
  end

  assign base_o = {base_hi_q, base_lo_q};
  assign size_o = size_q;
  assign idx_o  = idx_q;

endmodule

`default_nettype wire
