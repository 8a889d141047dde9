// Constants of the router (docs/spec.md section 5.1): port count and
// indices, and the state of an input virtual channel (section 5.5).

`default_nettype none

package noc_pkg;

  // Ports of every router; per-port vectors are flat, port p at [p*W +: W].
  localparam int unsigned NumPorts = 6;
  localparam int unsigned PortIdxW = 3;

  localparam logic [PortIdxW-1:0] PortN = 3'd0;  // mesh neighbour at (x, y-1)
  localparam logic [PortIdxW-1:0] PortE = 3'd1;  // mesh neighbour at (x+1, y)
  localparam logic [PortIdxW-1:0] PortS = 3'd2;  // mesh neighbour at (x, y+1)
  localparam logic [PortIdxW-1:0] PortW = 3'd3;  // mesh neighbour at (x-1, y)
  localparam logic [PortIdxW-1:0] PortL = 3'd4;  // network interface
  // Port 5 is X, the optical uplink through the X-port adapter; no logic
  // treats it specially, so it has no named constant here.

  // Counters (section 5.8).
  localparam int unsigned CntW = 32;

  // State of an input VC (section 5.5).
  typedef enum logic [1:0] {
    VcIdle   = 2'd0,
    VcActive = 2'd1,
    VcDrop   = 2'd2
  } vc_state_e;

endpackage

`default_nettype wire
