// Route computation of one head flit (docs/spec.md section 5.3): route-table
// lookup for another chip, dimension-order (X before Y) routing inside the
// chip. ok_o = 0 is the INVALID route (entry not valid, port > 5, or a port
// that PortEn disables).

`default_nettype none

module noc_rc
  import noc_pkg::*;
#(
  parameter logic [NumPorts-1:0] PortEn = '1
) (
  input  wire logic [11:0]         dst_i,      // header bits 11:0: {chip, y, x}
  input  wire logic [3:0]          my_chip_i,
  input  wire logic [3:0]          my_x_i,
  input  wire logic [3:0]          my_y_i,
  input  wire logic [63:0]         route_i,
  output logic [PortIdxW-1:0]      port_o,
  output logic                     ok_o
);

  logic [3:0] dst_x, dst_y, dst_chip, entry;
  logic [PortIdxW-1:0] port;
  logic                valid;
  logic [7:0]          port_en;   // PortEn indexed by a 3-bit port, 6 and 7 absent

  assign port_en = 8'(PortEn);

  assign dst_x    = dst_i[3:0];
  assign dst_y    = dst_i[7:4];
  assign dst_chip = dst_i[11:8];
  assign entry    = route_i[{dst_chip, 2'b00} +: 4];

  always_comb begin
    valid = 1'b1;
    if (dst_chip != my_chip_i) begin
      port  = entry[2:0];
      valid = entry[3];
    end else if (dst_x > my_x_i) begin
      port = PortE;
    end else if (dst_x < my_x_i) begin
      port = PortW;
    end else if (dst_y > my_y_i) begin
      port = PortS;
    end else if (dst_y < my_y_i) begin
      port = PortN;
    end else begin
      port = PortL;
    end
  end

  assign port_o = port;
  assign ok_o   = valid && port_en[port];

endmodule

`default_nettype wire
