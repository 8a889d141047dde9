// One network tile: router, network interface (DMA) on port L, X-port
// adapter and optical PHY shim on port X, and the register block shared by
// the host and management ports. docs/spec.md section 2.4 says how the
// registers are wired to the blocks.

`default_nettype none

module optile_tile
  import optile_csr_reg_pkg::*;
#(
  parameter int unsigned FlitW    = 256,
  parameter int unsigned NumVc    = 2,
  parameter int unsigned BufDepth = 4,
  parameter int unsigned NumLanes = 8,
  parameter int unsigned LaneW    = 32,
  parameter int unsigned MemLat   = 100,
  // derived; do not override
  parameter int unsigned VcW      = (NumVc > 1) ? $clog2(NumVc) : 1,
  parameter int unsigned B        = FlitW / 8,
  parameter int unsigned LenW     = $clog2(B + 1)
) (
  input  wire logic                      clk_i,
  input  wire logic                      rst_ni,
  // straps: where this tile is
  input  wire logic [3:0]                my_chip_i,
  input  wire logic [3:0]                my_x_i,
  input  wire logic [3:0]                my_y_i,
  // register bus: host port (0) and management port (1), APB4
  input  wire logic [1:0]                psel_i,
  input  wire logic [1:0]                penable_i,
  input  wire logic [1:0]                pwrite_i,
  input  wire logic [BlockAw-1:0]        paddr_i   [2],
  input  wire logic [31:0]               pwdata_i  [2],
  input  wire logic [3:0]                pstrb_i   [2],
  output logic [1:0]                     pready_o,
  output logic [31:0]                    prdata_o,
  output logic [1:0]                     pslverr_o,
  output logic                           intr_o,
  // mesh links N, E, S, W (router ports 0..3, flat as in section 5.1)
  input  wire logic [3:0]                mesh_in_valid_i,
  input  wire logic [4*FlitW-1:0]        mesh_in_flit_i,
  input  wire logic [3:0]                mesh_in_head_i,
  input  wire logic [3:0]                mesh_in_tail_i,
  input  wire logic [4*VcW-1:0]          mesh_in_vc_i,
  output logic [3:0]                     mesh_in_credit_valid_o,
  output logic [4*VcW-1:0]               mesh_in_credit_vc_o,
  output logic [3:0]                     mesh_out_valid_o,
  output logic [4*FlitW-1:0]             mesh_out_flit_o,
  output logic [3:0]                     mesh_out_head_o,
  output logic [3:0]                     mesh_out_tail_o,
  output logic [4*VcW-1:0]               mesh_out_vc_o,
  input  wire logic [3:0]                mesh_out_credit_valid_i,
  input  wire logic [4*VcW-1:0]          mesh_out_credit_vc_i,
  // host memory (section 6.2)
  output logic                           mem_rd_valid_o,
  output logic [63:0]                    mem_rd_addr_o,
  output logic [LenW-1:0]                mem_rd_len_o,
  input  wire logic                      mem_rdata_valid_i,
  input  wire logic [FlitW-1:0]          mem_rdata_i,
  output logic                           mem_wr_valid_o,
  output logic [63:0]                    mem_wr_addr_o,
  output logic [LenW-1:0]                mem_wr_len_o,
  output logic [FlitW-1:0]               mem_wr_data_o,
  output logic [B-1:0]                   mem_wr_be_o,
  // optical lanes (section 4.2)
  output logic [NumLanes*LaneW-1:0]      lane_tx_o,
  output logic [NumLanes-1:0]            lane_laser_on_o,
  input  wire logic [NumLanes*LaneW-1:0] lane_rx_i,
  input  wire logic [NumLanes*12-1:0]    lane_rx_power_i,
  output logic [NumLanes*12-1:0]         lane_heater_o
);

  localparam int unsigned CntW = 32;
  localparam int unsigned PortL = 4;
  localparam int unsigned PortX = 5;

  optile_csr_reg2hw_t reg2hw;
  optile_csr_hw2reg_t hw2reg;

  optile_csr_top u_csr (
    .clk_i, .rst_ni,
    .psel_i, .penable_i, .pwrite_i, .paddr_i, .pwdata_i, .pstrb_i,
    .pready_o, .prdata_o, .pslverr_o,
    .reg2hw_o(reg2hw), .hw2reg_i(hw2reg), .intr_o
  );

  // ---- datapath reset: power-on reset, tile_en = 0, or a soft_rst pulse ----
  logic dp_rst_nq;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) dp_rst_nq <= 1'b0;
    else         dp_rst_nq <= reg2hw.ctrl.tile_en.q & ~reg2hw.ctrl.soft_rst.q;
  end
  // The datapath reset is a register output, so it cannot glitch.
  logic dp_rst_n;
  assign dp_rst_n = dp_rst_nq & rst_ni;

  // ---- router ----------------------------------------------------------------
  logic [5:0]          r_in_valid, r_in_head, r_in_tail, r_in_credit_valid;
  logic [6*FlitW-1:0]  r_in_flit;
  logic [6*VcW-1:0]    r_in_vc, r_in_credit_vc;
  logic [5:0]          r_out_valid, r_out_head, r_out_tail, r_out_credit_valid;
  logic [6*FlitW-1:0]  r_out_flit;
  logic [6*VcW-1:0]    r_out_vc, r_out_credit_vc;
  logic [6*CntW-1:0]   c_in, c_out, c_stall, c_occ, c_bwr, c_brd, c_xbar, c_va, c_sa;
  logic [CntW-1:0]     c_err_route, c_err_proto, c_err_ovf, c_err_credit;
  logic [63:0]         route;

  for (genvar e = 0; e < 16; e++) begin : g_route
    assign route[4*e +: 4] = {reg2hw.route[e].valid.q, reg2hw.route[e].port.q};
  end

  noc_router #(.FlitW(FlitW), .NumVc(NumVc), .BufDepth(BufDepth)) u_router (
    .clk_i, .rst_ni(dp_rst_n),
    .my_chip_i, .my_x_i, .my_y_i, .route_i(route),
    .in_valid_i(r_in_valid), .in_flit_i(r_in_flit), .in_head_i(r_in_head),
    .in_tail_i(r_in_tail), .in_vc_i(r_in_vc),
    .in_credit_valid_o(r_in_credit_valid), .in_credit_vc_o(r_in_credit_vc),
    .out_valid_o(r_out_valid), .out_flit_o(r_out_flit), .out_head_o(r_out_head),
    .out_tail_o(r_out_tail), .out_vc_o(r_out_vc),
    .out_credit_valid_i(r_out_credit_valid), .out_credit_vc_i(r_out_credit_vc),
    .cnt_flits_in_o(c_in), .cnt_flits_out_o(c_out), .cnt_stall_o(c_stall), .cnt_occ_o(c_occ),
    .cnt_buf_wr_o(c_bwr), .cnt_buf_rd_o(c_brd), .cnt_xbar_o(c_xbar), .cnt_va_o(c_va),
    .cnt_sa_o(c_sa), .cnt_err_route_o(c_err_route), .cnt_err_proto_o(c_err_proto),
    .cnt_err_ovf_o(c_err_ovf), .cnt_err_credit_o(c_err_credit)
  );

  // mesh ports 0..3 straight to the tile's pins
  assign r_in_valid[3:0]              = mesh_in_valid_i;
  assign r_in_flit[4*FlitW-1:0]       = mesh_in_flit_i;
  assign r_in_head[3:0]               = mesh_in_head_i;
  assign r_in_tail[3:0]               = mesh_in_tail_i;
  assign r_in_vc[4*VcW-1:0]           = mesh_in_vc_i;
  assign mesh_in_credit_valid_o       = r_in_credit_valid[3:0];
  assign mesh_in_credit_vc_o          = r_in_credit_vc[4*VcW-1:0];
  assign mesh_out_valid_o             = r_out_valid[3:0];
  assign mesh_out_flit_o              = r_out_flit[4*FlitW-1:0];
  assign mesh_out_head_o              = r_out_head[3:0];
  assign mesh_out_tail_o              = r_out_tail[3:0];
  assign mesh_out_vc_o                = r_out_vc[4*VcW-1:0];
  assign r_out_credit_valid[3:0]      = mesh_out_credit_valid_i;
  assign r_out_credit_vc[4*VcW-1:0]   = mesh_out_credit_vc_i;

  // ---- network interface on port L ------------------------------------------------
  // Register writes reach the NI one cycle after the bus write, with the new
  // value: the register's .q changes at the end of the write cycle, and the
  // write strobe is delayed by one register to line up with it (section 2.4).
  typedef struct packed {
    logic tx_en, rx_en, cq_en, coal_count, coal_timer;
    logic tx_base_lo, tx_base_hi, tx_size, tx_prod;
    logic rx_base_lo, rx_base_hi, rx_size, rx_prod;
    logic cq_base_lo, cq_base_hi, cq_size, cq_cons;
  } ni_qe_t;
  ni_qe_t qe_d, qe_q;
  assign qe_d = '{
    tx_en:      reg2hw.dma_ctrl.tx_en.qe,
    rx_en:      reg2hw.dma_ctrl.rx_en.qe,
    cq_en:      reg2hw.dma_ctrl.cq_en.qe,
    coal_count: reg2hw.dma_irq_coal.count.qe,
    coal_timer: reg2hw.dma_irq_coal.timer.qe,
    tx_base_lo: reg2hw.dma_tx.base_lo.addr.qe,
    tx_base_hi: reg2hw.dma_tx.base_hi.addr.qe,
    tx_size:    reg2hw.dma_tx.size.log2_entries.qe,
    tx_prod:    reg2hw.dma_tx.prod.index.qe,
    rx_base_lo: reg2hw.dma_rx.base_lo.addr.qe,
    rx_base_hi: reg2hw.dma_rx.base_hi.addr.qe,
    rx_size:    reg2hw.dma_rx.size.log2_entries.qe,
    rx_prod:    reg2hw.dma_rx.prod.index.qe,
    cq_base_lo: reg2hw.dma_cq.base_lo.addr.qe,
    cq_base_hi: reg2hw.dma_cq.base_hi.addr.qe,
    cq_size:    reg2hw.dma_cq.size.log2_entries.qe,
    cq_cons:    reg2hw.dma_cq.cons.index.qe
  };
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) qe_q <= '0;
    else         qe_q <= qe_d;
  end

  logic [15:0] ni_tx_head, ni_rx_head, ni_cq_tail;
  logic        ni_intr;
  logic [CntW-1:0] n_tx_msgs, n_tx_pkts, n_tx_flits, n_rx_msgs, n_rx_pkts, n_rx_flits;
  logic [CntW-1:0] n_rd_reqs, n_wr_reqs, n_rd_bytes, n_wr_bytes, n_rx_nobuf, n_cq_full;
  logic [CntW-1:0] n_err_rx, n_err_noctx, n_err_ovf, n_err_credit, n_err_desc, n_err_db, n_err_csr;

  ni_top #(.FlitW(FlitW), .NumVc(NumVc), .BufDepth(BufDepth), .MemLat(MemLat)) u_ni (
    .clk_i, .rst_ni(dp_rst_n), .my_chip_i, .my_x_i, .my_y_i,
    .tx_valid_o(r_in_valid[PortL]), .tx_flit_o(r_in_flit[PortL*FlitW +: FlitW]),
    .tx_head_o(r_in_head[PortL]), .tx_tail_o(r_in_tail[PortL]), .tx_vc_o(r_in_vc[PortL*VcW +: VcW]),
    .tx_credit_valid_i(r_in_credit_valid[PortL]), .tx_credit_vc_i(r_in_credit_vc[PortL*VcW +: VcW]),
    .rx_valid_i(r_out_valid[PortL]), .rx_flit_i(r_out_flit[PortL*FlitW +: FlitW]),
    .rx_head_i(r_out_head[PortL]), .rx_tail_i(r_out_tail[PortL]), .rx_vc_i(r_out_vc[PortL*VcW +: VcW]),
    .rx_credit_valid_o(r_out_credit_valid[PortL]), .rx_credit_vc_o(r_out_credit_vc[PortL*VcW +: VcW]),
    .mem_rd_valid_o, .mem_rd_addr_o, .mem_rd_len_o, .mem_rdata_valid_i, .mem_rdata_i,
    .mem_wr_valid_o, .mem_wr_addr_o, .mem_wr_len_o, .mem_wr_data_o, .mem_wr_be_o,
    .dma_ctrl_tx_en_i(reg2hw.dma_ctrl.tx_en.q),             .dma_ctrl_tx_en_qe_i(qe_q.tx_en),
    .dma_ctrl_rx_en_i(reg2hw.dma_ctrl.rx_en.q),             .dma_ctrl_rx_en_qe_i(qe_q.rx_en),
    .dma_ctrl_cq_en_i(reg2hw.dma_ctrl.cq_en.q),             .dma_ctrl_cq_en_qe_i(qe_q.cq_en),
    .dma_irq_coal_count_i(reg2hw.dma_irq_coal.count.q),     .dma_irq_coal_count_qe_i(qe_q.coal_count),
    .dma_irq_coal_timer_i(reg2hw.dma_irq_coal.timer.q),     .dma_irq_coal_timer_qe_i(qe_q.coal_timer),
    .dma_tx_base_lo_i(reg2hw.dma_tx.base_lo.addr.q),        .dma_tx_base_lo_qe_i(qe_q.tx_base_lo),
    .dma_tx_base_hi_i(reg2hw.dma_tx.base_hi.addr.q),        .dma_tx_base_hi_qe_i(qe_q.tx_base_hi),
    .dma_tx_size_i(reg2hw.dma_tx.size.log2_entries.q),      .dma_tx_size_qe_i(qe_q.tx_size),
    .dma_tx_prod_i(reg2hw.dma_tx.prod.index.q),             .dma_tx_prod_qe_i(qe_q.tx_prod),
    .dma_tx_hw_index_o(ni_tx_head),
    .dma_rx_base_lo_i(reg2hw.dma_rx.base_lo.addr.q),        .dma_rx_base_lo_qe_i(qe_q.rx_base_lo),
    .dma_rx_base_hi_i(reg2hw.dma_rx.base_hi.addr.q),        .dma_rx_base_hi_qe_i(qe_q.rx_base_hi),
    .dma_rx_size_i(reg2hw.dma_rx.size.log2_entries.q),      .dma_rx_size_qe_i(qe_q.rx_size),
    .dma_rx_prod_i(reg2hw.dma_rx.prod.index.q),             .dma_rx_prod_qe_i(qe_q.rx_prod),
    .dma_rx_hw_index_o(ni_rx_head),
    .dma_cq_base_lo_i(reg2hw.dma_cq.base_lo.addr.q),        .dma_cq_base_lo_qe_i(qe_q.cq_base_lo),
    .dma_cq_base_hi_i(reg2hw.dma_cq.base_hi.addr.q),        .dma_cq_base_hi_qe_i(qe_q.cq_base_hi),
    .dma_cq_size_i(reg2hw.dma_cq.size.log2_entries.q),      .dma_cq_size_qe_i(qe_q.cq_size),
    .dma_cq_cons_i(reg2hw.dma_cq.cons.index.q),             .dma_cq_cons_qe_i(qe_q.cq_cons),
    .dma_cq_hw_index_o(ni_cq_tail),
    .intr_dma_cpl_set_o(ni_intr),
    .cnt_tx_msgs_o(n_tx_msgs), .cnt_tx_pkts_o(n_tx_pkts), .cnt_tx_flits_o(n_tx_flits),
    .cnt_rx_msgs_o(n_rx_msgs), .cnt_rx_pkts_o(n_rx_pkts), .cnt_rx_flits_o(n_rx_flits),
    .cnt_rd_reqs_o(n_rd_reqs), .cnt_wr_reqs_o(n_wr_reqs), .cnt_rd_bytes_o(n_rd_bytes),
    .cnt_wr_bytes_o(n_wr_bytes), .cnt_rx_nobuf_o(n_rx_nobuf), .cnt_cq_full_o(n_cq_full),
    .cnt_err_rx_o(n_err_rx), .cnt_err_rx_noctx_o(n_err_noctx), .cnt_err_ovf_o(n_err_ovf),
    .cnt_err_credit_o(n_err_credit), .cnt_err_desc_o(n_err_desc),
    .cnt_err_doorbell_o(n_err_db), .cnt_err_csr_o(n_err_csr)
  );

  // ---- X-port adapter and PHY shim on port X -------------------------------------
  logic              phy_tx_valid, phy_tx_ready, phy_rx_valid, phy_rx_ready;
  logic [FlitW-1:0]  phy_tx_flit, phy_rx_flit;
  logic [3:0]        phy_tx_side, phy_rx_side;
  logic [CntW-1:0]   x_tx_flits, x_rx_flits, x_rx_stall, x_err;

  noc_x_adapter #(.FlitW(FlitW), .NumVc(NumVc), .BufDepth(BufDepth)) u_xadapt (
    .clk_i, .rst_ni(dp_rst_n),
    .rt_out_valid_i(r_out_valid[PortX]), .rt_out_flit_i(r_out_flit[PortX*FlitW +: FlitW]),
    .rt_out_head_i(r_out_head[PortX]), .rt_out_tail_i(r_out_tail[PortX]),
    .rt_out_vc_i(r_out_vc[PortX*VcW +: VcW]),
    .rt_out_credit_valid_o(r_out_credit_valid[PortX]),
    .rt_out_credit_vc_o(r_out_credit_vc[PortX*VcW +: VcW]),
    .rt_in_valid_o(r_in_valid[PortX]), .rt_in_flit_o(r_in_flit[PortX*FlitW +: FlitW]),
    .rt_in_head_o(r_in_head[PortX]), .rt_in_tail_o(r_in_tail[PortX]),
    .rt_in_vc_o(r_in_vc[PortX*VcW +: VcW]),
    .rt_in_credit_valid_i(r_in_credit_valid[PortX]),
    .rt_in_credit_vc_i(r_in_credit_vc[PortX*VcW +: VcW]),
    .tx_valid_o(phy_tx_valid), .tx_ready_i(phy_tx_ready), .tx_flit_o(phy_tx_flit),
    .tx_side_o(phy_tx_side), .rx_valid_i(phy_rx_valid), .rx_ready_o(phy_rx_ready),
    .rx_flit_i(phy_rx_flit), .rx_side_i(phy_rx_side),
    .cnt_tx_flits_o(x_tx_flits), .cnt_rx_flits_o(x_rx_flits), .cnt_rx_stall_o(x_rx_stall),
    .cnt_err_o(x_err)
  );

  logic [NumLanes*12-1:0]  heater_code;
  for (genvar l = 0; l < NumLanes; l++) begin : g_heater
    assign heater_code[12*l +: 12] = reg2hw.lane[l].heater.code.q;
  end

  logic [2:0]             p_state;
  logic                   p_link_up;
  logic [NumLanes-1:0]    p_lock, p_deskew, p_active;
  logic [1:0]             p_phase;
  logic [NumLanes*12-1:0] p_power;
  logic [NumLanes*64-1:0] p_bits, p_laser, p_heat;
  logic [NumLanes*32-1:0] p_sh_err, p_lock_loss;
  logic [CntW-1:0] p_tx_flits, p_rx_flits, p_tx_pkts, p_rx_pkts, p_bad, p_replays, p_replayed;
  logic [CntW-1:0] p_naks, p_acks, p_retrains, p_downs, p_idles, p_rx_err;

  optile_phy #(.NumLanes(NumLanes), .LaneW(LaneW), .FlitW(FlitW), .SideW(4)) u_phy (
    .clk_i, .rst_ni(dp_rst_n),
    .tx_valid_i(phy_tx_valid), .tx_ready_o(phy_tx_ready), .tx_flit_i(phy_tx_flit),
    .tx_side_i(phy_tx_side), .rx_valid_o(phy_rx_valid), .rx_ready_i(phy_rx_ready),
    .rx_flit_o(phy_rx_flit), .rx_side_o(phy_rx_side),
    .lane_tx_o, .lane_laser_on_o, .lane_rx_i, .lane_rx_power_i, .lane_heater_o,
    .enable_i(reg2hw.phy_ctrl.enable.q & reg2hw.ctrl.link_en.q),
    .rings_locked_i(reg2hw.phy_ctrl.rings_locked.q),
    .retrain_i(reg2hw.phy_ctrl.retrain.q),
    .lane_mask_i(reg2hw.phy_ctrl.lane_mask.q[NumLanes-1:0]),
    .am_period_i(reg2hw.phy_ctrl.marker_period.q),
    .idle_timeout_i(reg2hw.phy_idle.cycles.q),
    .laser_settle_i(reg2hw.phy_timing.laser_settle.q),
    .replay_timeout_i(reg2hw.phy_timing.replay_timeout.q),
    .replay_limit_i(reg2hw.phy_replay_limit.count.q),
    .train_timeout_i(reg2hw.phy_train_timeout.cycles.q),
    .heater_code_i(heater_code),
    .state_o(p_state), .link_up_o(p_link_up), .lane_lock_o(p_lock), .lane_deskew_o(p_deskew),
    .active_mask_o(p_active), .train_phase_o(p_phase), .lane_power_o(p_power),
    .bits_sent_o(p_bits), .laser_cycles_o(p_laser), .heater_integral_o(p_heat),
    .sh_errors_o(p_sh_err), .lock_losses_o(p_lock_loss),
    .tx_flits_o(p_tx_flits), .rx_flits_o(p_rx_flits), .tx_packets_o(p_tx_pkts),
    .rx_packets_o(p_rx_pkts), .bad_packets_o(p_bad), .replays_o(p_replays),
    .replayed_packets_o(p_replayed), .naks_sent_o(p_naks), .acks_sent_o(p_acks),
    .retrains_o(p_retrains), .link_downs_o(p_downs), .idle_entries_o(p_idles),
    .rx_errors_o(p_rx_err)
  );

  // ---- events for interrupts -----------------------------------------------------
  logic link_up_q;
  logic [CntW-1:0] rx_err_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      link_up_q <= 1'b0;
      rx_err_q  <= '0;
    end else begin
      link_up_q <= p_link_up;
      rx_err_q  <= p_rx_err + p_bad;
    end
  end

  // ---- status back to the registers ------------------------------------------------
  // Ring occupancy seen from the registers: the host's index against the NI's.
  logic [15:0] tx_mask;
  assign tx_mask = 16'((32'd1 << reg2hw.dma_tx.size.log2_entries.q) - 32'd1);

  // Sums of per-port router activity for the energy model's counters.
  logic [CntW-1:0] sum_bwr, sum_brd, sum_xbar, sum_alloc;
  always_comb begin
    sum_bwr = '0; sum_brd = '0; sum_xbar = '0; sum_alloc = '0;
    for (int p = 0; p < 6; p++) begin
      sum_bwr   = sum_bwr   + c_bwr[CntW*p +: CntW];
      sum_brd   = sum_brd   + c_brd[CntW*p +: CntW];
      sum_xbar  = sum_xbar  + c_xbar[CntW*p +: CntW];
      sum_alloc = sum_alloc + c_va[CntW*p +: CntW] + c_sa[CntW*p +: CntW];
    end
  end

  always_comb begin
    hw2reg = '0;
    hw2reg.tile_cfg.lanes.d     = 8'(NumLanes);
    hw2reg.tile_cfg.vcs.d       = 4'(NumVc);
    hw2reg.tile_cfg.buf_depth.d = 4'(BufDepth);
    hw2reg.tile_cfg.chip_id.d   = my_chip_i;
    hw2reg.tile_cfg.mesh_x.d    = my_x_i;
    hw2reg.tile_cfg.mesh_y.d    = my_y_i;

    hw2reg.status.link_up.d       = p_link_up;
    hw2reg.status.dma_busy.d      = (reg2hw.dma_tx.prod.index.q != ni_tx_head);
    hw2reg.status.tx_ring_full.d  = reg2hw.dma_tx.size.log2_entries.q != '0 &&
                                    ((reg2hw.dma_tx.prod.index.q + 16'd1) & tx_mask) == ni_tx_head;
    hw2reg.status.rx_ring_empty.d = (reg2hw.dma_rx.prod.index.q == ni_rx_head);

    hw2reg.intr_state.dma_cpl.de   = ni_intr;
    hw2reg.intr_state.link_up.de   = p_link_up & ~link_up_q;
    hw2reg.intr_state.link_down.de = ~p_link_up & link_up_q;
    hw2reg.intr_state.rx_error.de  = (p_rx_err + p_bad) != rx_err_q;

    hw2reg.dma_tx.hw_index.index.d = ni_tx_head;
    hw2reg.dma_rx.hw_index.index.d = ni_rx_head;
    hw2reg.dma_cq.hw_index.index.d = ni_cq_tail;
    hw2reg.dma_stat.tx_msgs.count.d      = n_tx_msgs;
    hw2reg.dma_stat.rx_msgs.count.d      = n_rx_msgs;
    hw2reg.dma_stat.err_rx.count.d       = n_err_rx;
    hw2reg.dma_stat.err_rx_noctx.count.d = n_err_noctx;
    hw2reg.dma_stat.err_desc.count.d     = n_err_desc;
    hw2reg.dma_stat.err_doorbell.count.d = n_err_db;
    hw2reg.dma_stat.err_csr.count.d      = n_err_csr;
    hw2reg.dma_stat.err_ovf.count.d      = n_err_ovf;
    hw2reg.dma_stat.err_credit.count.d   = n_err_credit;

    hw2reg.phy_status.train_state.d  = {1'b0, p_state};
    hw2reg.phy_status.link_up.d      = p_link_up;
    hw2reg.phy_status.active_lanes.d = 8'(p_active);
    hw2reg.phy_replays.count.d       = p_replays;
    hw2reg.phy_bad_packets.count.d   = p_bad;
    hw2reg.phy_link_downs.count.d    = p_downs;
    for (int l = 0; l < NumLanes; l++) begin
      hw2reg.lane[l].rx_power.code.d      = p_power[12*l +: 12];
      hw2reg.lane[l].status.block_lock.d  = p_lock[l];
      hw2reg.lane[l].status.deskewed.d    = p_deskew[l];
      hw2reg.lane[l].status.laser_on.d    = lane_laser_on_o[l];
      hw2reg.lane[l].bits_lo.count.d      = p_bits[64*l +: 32];
      hw2reg.lane[l].bits_hi.count.d      = p_bits[64*l + 32 +: 32];
      hw2reg.lane[l].laser_cycles.count.d = p_laser[64*l +: 32];
      hw2reg.lane[l].heater_int_lo.sum.d  = p_heat[64*l +: 32];
      hw2reg.lane[l].heater_int_hi.sum.d  = p_heat[64*l + 32 +: 32];
    end
    for (int p = 0; p < 6; p++) begin
      hw2reg.port[p].flits_in.count.d  = c_in[CntW*p +: CntW];
      hw2reg.port[p].flits_out.count.d = c_out[CntW*p +: CntW];
      hw2reg.port[p].stalls.count.d    = c_stall[CntW*p +: CntW];
      hw2reg.port[p].occupancy.count.d = c_occ[CntW*p +: CntW];
    end
    hw2reg.rtr_buf_writes.count.d = sum_bwr;
    hw2reg.rtr_buf_reads.count.d  = sum_brd;
    hw2reg.rtr_xbar.count.d       = sum_xbar;
    hw2reg.rtr_allocs.count.d     = sum_alloc;
  end

  // Block counters that have no register: the testbench's monitors read
  // them through the Verilated hierarchy (energy and link reports).
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_counters;
  assign unused_counters = ^{p_phase, p_sh_err, p_lock_loss, p_laser[NumLanes*64-1:0],
                             p_tx_flits, p_rx_flits, p_tx_pkts, p_rx_pkts, p_replayed, p_naks,
                             p_acks, p_retrains, p_idles, n_tx_pkts, n_tx_flits, n_rx_pkts,
                             n_rx_flits, n_rd_reqs, n_wr_reqs, n_rd_bytes, n_wr_bytes,
                             n_rx_nobuf, n_cq_full, c_err_route, c_err_proto, c_err_ovf,
                             c_err_credit, x_tx_flits, x_rx_flits, x_rx_stall, x_err};
  // Interrupt and mailbox fields are consumed inside optile_csr_top.
  logic unused_reg2hw;
  assign unused_reg2hw = ^{reg2hw.intr_state, reg2hw.intr_enable, reg2hw.intr_test,
                           reg2hw.mbox_cmd, reg2hw.mbox_rsp};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
