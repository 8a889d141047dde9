// Combinational CRC-32 update (docs/spec.md 4.4) over DataBytes bytes,
// byte 0 = data_i[7:0] first. crc_i/crc_o are the running register (start
// from 32'hFFFF_FFFF; the CRC-32 value is ~crc_o after the last byte).

`default_nettype none

module optile_phy_crc32 #(
  parameter int unsigned DataBytes = 8  // 1..8
) (
  input  wire logic [31:0]            crc_i,
  input  wire logic [8*DataBytes-1:0] data_i,
  output logic      [31:0]            crc_o
);

  logic [63:0] data64;
  assign data64 = 64'(data_i);
  assign crc_o  = optile_phy_pkg::crc32_upd(crc_i, data64, DataBytes);

endmodule

`default_nettype wire
