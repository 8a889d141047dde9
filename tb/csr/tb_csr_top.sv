// Test harness top for the register block alone: flattens the bus arrays and
// the reg2hw/hw2reg structs into plain vectors so that C can drive them.
// Field bit positions in the vectors come from build/gen/optile_csr_fields.h.

`default_nettype none

module tb_csr_top
  import optile_csr_reg_pkg::*;
(
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  input  wire logic                host_psel_i,
  input  wire logic                host_penable_i,
  input  wire logic                host_pwrite_i,
  input  wire logic [BlockAw-1:0]  host_paddr_i,
  input  wire logic [31:0]         host_pwdata_i,
  input  wire logic [3:0]          host_pstrb_i,
  output logic                     host_pready_o,
  output logic                     host_pslverr_o,
  input  wire logic                mgmt_psel_i,
  input  wire logic                mgmt_penable_i,
  input  wire logic                mgmt_pwrite_i,
  input  wire logic [BlockAw-1:0]  mgmt_paddr_i,
  input  wire logic [31:0]         mgmt_pwdata_i,
  input  wire logic [3:0]          mgmt_pstrb_i,
  output logic                     mgmt_pready_o,
  output logic                     mgmt_pslverr_o,
  output logic [31:0]              prdata_o,
  output logic [$bits(optile_csr_reg2hw_t)-1:0] reg2hw_o,
  input  wire logic [$bits(optile_csr_hw2reg_t)-1:0] hw2reg_i,
  output logic                     intr_o
);

  logic [1:0] pready, pslverr;
  optile_csr_reg2hw_t reg2hw;

  optile_csr_top u_csr (
    .clk_i, .rst_ni,
    .psel_i   ({mgmt_psel_i, host_psel_i}),
    .penable_i({mgmt_penable_i, host_penable_i}),
    .pwrite_i ({mgmt_pwrite_i, host_pwrite_i}),
    .paddr_i  ('{host_paddr_i, mgmt_paddr_i}),
    .pwdata_i ('{host_pwdata_i, mgmt_pwdata_i}),
    .pstrb_i  ('{host_pstrb_i, mgmt_pstrb_i}),
    .pready_o (pready),
    .prdata_o,
    .pslverr_o(pslverr),
    .reg2hw_o (reg2hw),
    .hw2reg_i (optile_csr_hw2reg_t'(hw2reg_i)),
    .intr_o
  );

  assign reg2hw_o       = reg2hw;
  assign host_pready_o  = pready[0];
  assign mgmt_pready_o  = pready[1];
  assign host_pslverr_o = pslverr[0];
  assign mgmt_pslverr_o = pslverr[1];

endmodule

`default_nettype wire
