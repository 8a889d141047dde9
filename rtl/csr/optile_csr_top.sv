// The tile's register block with its two bus ports and the hand-written
// register core: interrupt state/enable/test and mailbox notifications.
// docs/spec.md section 2. Blocks read reg2hw_o and drive hw2reg_i; the
// intr_state set inputs in hw2reg_i are the blocks' events.

`default_nettype none

module optile_csr_top
  import optile_csr_reg_pkg::*;
(
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // host port (index 0) and management port (index 1), APB4
  input  wire logic [1:0]          psel_i,
  input  wire logic [1:0]          penable_i,
  input  wire logic [1:0]          pwrite_i,
  input  wire logic [BlockAw-1:0]  paddr_i   [2],
  input  wire logic [31:0]         pwdata_i  [2],
  input  wire logic [3:0]          pstrb_i   [2],
  output logic [1:0]               pready_o,
  output logic [31:0]              prdata_o,
  output logic [1:0]               pslverr_o,
  // to and from the design
  output optile_csr_reg2hw_t       reg2hw_o,
  input  wire optile_csr_hw2reg_t  hw2reg_i,
  output logic                     intr_o
);

  logic               psel, penable, pwrite, pready, pslverr;
  logic [BlockAw-1:0] paddr;
  logic [31:0]        pwdata, prdata;
  logic [3:0]         pstrb;
  optile_csr_hw2reg_t hw2reg;

  optile_csr_arb #(.Aw(BlockAw)) u_arb (
    .clk_i, .rst_ni,
    .psel_i, .penable_i, .pwrite_i, .paddr_i, .pwdata_i, .pstrb_i,
    .pready_o, .prdata_o, .pslverr_o,
    .m_psel_o(psel), .m_penable_o(penable), .m_pwrite_o(pwrite),
    .m_paddr_o(paddr), .m_pwdata_o(pwdata), .m_pstrb_o(pstrb),
    .m_pready_i(pready), .m_prdata_i(prdata), .m_pslverr_i(pslverr)
  );

  // Interrupt sources: block events, software test writes, mailbox writes.
  always_comb begin
    hw2reg = hw2reg_i;
    hw2reg.intr_state.dma_cpl.de   = hw2reg_i.intr_state.dma_cpl.de   | reg2hw_o.intr_test.dma_cpl.q;
    hw2reg.intr_state.link_up.de   = hw2reg_i.intr_state.link_up.de   | reg2hw_o.intr_test.link_up.q;
    hw2reg.intr_state.link_down.de = hw2reg_i.intr_state.link_down.de | reg2hw_o.intr_test.link_down.q;
    hw2reg.intr_state.rx_error.de  = hw2reg_i.intr_state.rx_error.de  | reg2hw_o.intr_test.rx_error.q;
    hw2reg.intr_state.mbox_cmd.de  = hw2reg_i.intr_state.mbox_cmd.de  | reg2hw_o.intr_test.mbox_cmd.q
                                   | reg2hw_o.mbox_cmd.code.qe | reg2hw_o.mbox_cmd.seq.qe;
    hw2reg.intr_state.mbox_rsp.de  = hw2reg_i.intr_state.mbox_rsp.de  | reg2hw_o.intr_test.mbox_rsp.q
                                   | reg2hw_o.mbox_rsp.status.qe | reg2hw_o.mbox_rsp.seq.qe
                                   | reg2hw_o.mbox_rsp.state.qe;
  end

  optile_csr_reg u_reg (
    .clk_i, .rst_ni,
    .psel_i(psel), .penable_i(penable), .pwrite_i(pwrite), .paddr_i(paddr),
    .pwdata_i(pwdata), .pstrb_i(pstrb),
    .pready_o(pready), .prdata_o(prdata), .pslverr_o(pslverr),
    .reg2hw_o, .hw2reg_i(hw2reg)
  );

  assign intr_o = |{reg2hw_o.intr_enable.dma_cpl.q   & reg2hw_o.intr_state.dma_cpl.q,
                    reg2hw_o.intr_enable.link_up.q   & reg2hw_o.intr_state.link_up.q,
                    reg2hw_o.intr_enable.link_down.q & reg2hw_o.intr_state.link_down.q,
                    reg2hw_o.intr_enable.mbox_cmd.q  & reg2hw_o.intr_state.mbox_cmd.q,
                    reg2hw_o.intr_enable.mbox_rsp.q  & reg2hw_o.intr_state.mbox_rsp.q,
                    reg2hw_o.intr_enable.rx_error.q  & reg2hw_o.intr_state.rx_error.q};

endmodule

`default_nettype wire
