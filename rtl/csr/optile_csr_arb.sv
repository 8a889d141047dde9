// Two APB4 requesters (host, management) share one APB4 completer.
// docs/spec.md section 2.2: round robin between requests that are waiting
// when the completer is free; a granted transfer runs setup + access phase
// downstream; the requester that is not granted sees wait states.

`default_nettype none

module optile_csr_arb #(
  parameter int unsigned Aw = 16
) (
  input  wire logic          clk_i,
  input  wire logic          rst_ni,
  // requesters: index 0 = host, 1 = management
  input  wire logic [1:0]    psel_i,
  input  wire logic [1:0]    penable_i,
  input  wire logic [1:0]    pwrite_i,
  input  wire logic [Aw-1:0] paddr_i   [2],
  input  wire logic [31:0]   pwdata_i  [2],
  input  wire logic [3:0]    pstrb_i   [2],
  output logic [1:0]         pready_o,
  output logic [31:0]        prdata_o,
  output logic [1:0]         pslverr_o,
  // completer
  output logic               m_psel_o,
  output logic               m_penable_o,
  output logic               m_pwrite_o,
  output logic [Aw-1:0]      m_paddr_o,
  output logic [31:0]        m_pwdata_o,
  output logic [3:0]         m_pstrb_o,
  input  wire logic          m_pready_i,
  input  wire logic [31:0]   m_prdata_i,
  input  wire logic          m_pslverr_i
);

  // busy_q: a transfer is in its access phase downstream; owner_q: whose.
  // last_q: the requester granted last (reset 1, so the host wins first).
  logic busy_d, busy_q;
  logic owner_d, owner_q;
  logic last_d, last_q;
  logic grant;          // requester chosen this cycle when free
  logic sel;            // requester driving the completer this cycle

  // penable_i is only needed by requesters; a waiting requester holds psel.
  logic unused_penable;
  assign unused_penable = ^penable_i;

  always_comb begin
    if (psel_i[0] && psel_i[1]) grant = ~last_q;
    else                        grant = psel_i[1];
  end

  assign sel = busy_q ? owner_q : grant;

  always_comb begin
    busy_d  = busy_q;
    owner_d = owner_q;
    last_d  = last_q;
    if (busy_q) begin
      if (m_pready_i) busy_d = 1'b0;
    end else if (|psel_i) begin
      busy_d  = 1'b1;
      owner_d = grant;
      last_d  = grant;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q  <= 1'b0;
      owner_q <= 1'b0;
      last_q  <= 1'b1;
    end else begin
      busy_q  <= busy_d;
      owner_q <= owner_d;
      last_q  <= last_d;
    end
  end

  assign m_psel_o    = busy_q | (|psel_i);
  assign m_penable_o = busy_q;
  assign m_pwrite_o  = pwrite_i[sel];
  assign m_paddr_o   = paddr_i[sel];
  assign m_pwdata_o  = pwdata_i[sel];
  assign m_pstrb_o   = pstrb_i[sel];

  assign prdata_o = m_prdata_i;
  always_comb begin
    pready_o  = 2'b00;
    pslverr_o = 2'b00;
    if (busy_q) begin
      pready_o[owner_q]  = m_pready_i;
      pslverr_o[owner_q] = m_pready_i & m_pslverr_i;
    end
  end

endmodule

`default_nettype wire
