// Constants and helper functions of the optical PHY shim (docs/spec.md
// section 4): training state encoding, block types, decoded block kinds,
// transmit slot kinds, alignment-marker payload and a table-driven CRC-32.

`default_nettype none

package optile_phy_pkg;

  // ---- training states and state_o encoding (4.9) ----------------------------
  localparam logic [2:0] StReset     = 3'd0;
  localparam logic [2:0] StLaserOn   = 3'd1;
  localparam logic [2:0] StRingTune  = 3'd2;
  localparam logic [2:0] StBlockLock = 3'd3;
  localparam logic [2:0] StDeskew    = 3'd4;
  localparam logic [2:0] StActive    = 3'd5;
  localparam logic [2:0] StIdle      = 3'd6;
  localparam logic [2:0] StDown      = 3'd7;

  // ---- sync headers as {b[1], b[0]} (b[0] is sent first, 4.3) --------------
  localparam logic [1:0] ShData = 2'b10;
  localparam logic [1:0] ShCtrl = 2'b01;

  // ---- control block types, unscrambled p[7:0] (4.3) -------------------------
  localparam logic [7:0] BtIdle  = 8'h1E;
  localparam logic [7:0] BtHdr   = 8'h78;
  localparam logic [7:0] BtTrl   = 8'hE1;
  localparam logic [7:0] BtAck   = 8'h4B;
  localparam logic [7:0] BtTs    = 8'h2D;
  localparam logic [7:0] BtSleep = 8'h33;

  // ACK block kind field p[9:8]; SLEEP block kind field p[15:8]
  localparam logic [1:0] AckKindAck = 2'b01;
  localparam logic [1:0] AckKindNak = 2'b10;
  localparam logic [7:0] SleepReq   = 8'h01;
  localparam logic [7:0] SleepAck   = 8'h02;

  // ---- kinds of a received block after decoding (4.3 validity column) -------
  localparam logic [2:0] KInvalid = 3'd0;
  localparam logic [2:0] KData    = 3'd1;
  localparam logic [2:0] KIdle    = 3'd2;
  localparam logic [2:0] KHdr     = 3'd3;
  localparam logic [2:0] KTrl     = 3'd4;
  localparam logic [2:0] KAck     = 3'd5;
  localparam logic [2:0] KTs      = 3'd6;
  localparam logic [2:0] KSleep   = 3'd7;

  // ---- what the link-layer scheduler put into a transmit slot (4.5.5) -------
  localparam logic [2:0] TxNone     = 3'd0;  // dark lane, AM row or no row
  localparam logic [2:0] TxData     = 3'd1;
  localparam logic [2:0] TxHdr      = 3'd2;
  localparam logic [2:0] TxTrl      = 3'd3;
  localparam logic [2:0] TxAck      = 3'd4;
  localparam logic [2:0] TxIdle     = 3'd5;
  localparam logic [2:0] TxSleepReq = 3'd6;
  localparam logic [2:0] TxSleepAck = 3'd7;

  // Alignment marker of a lane, unscrambled 64-bit payload (4.3).
  function automatic logic [63:0] am_payload(logic [7:0] lane);
    return {40'hC6_8F21_E4A7, ~lane, lane, 8'hD2};
  endfunction

  // ---- CRC-32 (4.4): reflected 0xEDB88320, one table lookup per byte --------
  function automatic logic [256*32-1:0] crc_table_gen();
    logic [256*32-1:0] t;
    logic [31:0]       c;
    t = '0;
    for (int v = 0; v < 256; v++) begin
      c = 32'(v);
      for (int k = 0; k < 8; k++) c = c[0] ? ((c >> 1) ^ 32'hEDB8_8320) : (c >> 1);
      t[32*v +: 32] = c;
    end
    return t;
  endfunction

  localparam logic [256*32-1:0] CrcTable = crc_table_gen();

  // Advance the CRC register (not inverted) over the low `nbytes` bytes of d,
  // byte 0 = d[7:0] first, each byte LSB first.
  function automatic logic [31:0] crc32_upd(logic [31:0] crc, logic [63:0] d, int unsigned nbytes);
    logic [31:0] c;
    logic [7:0]  idx;
    c = crc;
    for (int unsigned b = 0; b < 8; b++) begin
      if (b < nbytes) begin
        idx = c[7:0] ^ d[8*b +: 8];
        c = (c >> 8) ^ CrcTable[{idx, 5'd0} +: 32];
      end
    end
    return c;
  endfunction

endpackage

`default_nettype wire
