# Optical PHY shim (docs/spec.md section 4): RTL, its Verilated model with
# default parameters (waves can be switched on at run time: --trace-fst), the
# two-PHY link test (lane to lane), the two-PHY co-simulation through the
# channel model against the golden models, and its benchmark.

PHY_RTL := \
  rtl/phy/optile_phy_pkg.sv \
  rtl/phy/optile_phy_crc32.sv \
  rtl/phy/optile_phy_scrambler.sv \
  rtl/phy/optile_phy_tx_gearbox.sv \
  rtl/phy/optile_phy_tx_row.sv \
  rtl/phy/optile_phy_replay.sv \
  rtl/phy/optile_phy_framer.sv \
  rtl/phy/optile_phy_rx_lane.sv \
  rtl/phy/optile_phy_deskew.sv \
  rtl/phy/optile_phy_blk_decode.sv \
  rtl/phy/optile_phy_deframer.sv \
  rtl/phy/optile_phy_rx_fifo.sv \
  rtl/phy/optile_phy_ack.sv \
  rtl/phy/optile_phy_train.sv \
  rtl/phy/optile_phy.sv

RTL_SRCS  += $(PHY_RTL)
LINT_TOPS += optile_phy

$(eval $(call vl_model,phy,optile_phy,$(PHY_RTL),--trace-fst))

TB_PHY_OBJS := $(OBJ)/tb/phy/phy_dut.o
$(OBJ)/tb/phy/phy_dut.o: CPPFLAGS += -isystem $(VL)/phy -isystem $(VINC) -isystem $(VINC)/vltstd
$(OBJ)/tb/phy/phy_dut.o: $(VL)/phy/Vphy__ALL.a
$(O)/tests/cosim/test_phy_link: $(OBJ)/tests/cosim/test_phy_link.o $(TB_PHY_OBJS) $(VL)/phy/Vphy__ALL.a $(LIB)/libcsim.a $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/cosim/test_phy_link
LINT_SRCS_optile_phy := $(PHY_RTL)

# The same PHY with the test-only parameter TestDropReplay = 1: every go-back-N
# replay skips a packet. Only the scoreboard's negative test links it.
$(eval $(call vl_model,phydrop,optile_phy,$(PHY_RTL),--trace-fst -GTestDropReplay=1))
$(OBJ)/tb/phy/phy_dut_drop.o: CPPFLAGS += -isystem $(VL)/phydrop -isystem $(VINC) -isystem $(VINC)/vltstd
$(OBJ)/tb/phy/phy_dut_drop.o: $(VL)/phydrop/Vphydrop__ALL.a

# Two-PHY co-simulation through the channel model, against the golden models.
TB_PHY_COSIM_OBJS := $(OBJ)/tb/phy/phy_cosim.o $(TB_PHY_OBJS) $(OBJ)/tb/phy/phy_dut_drop.o
$(O)/tests/cosim/test_phy_cosim: $(OBJ)/tests/cosim/test_phy_cosim.o $(TB_PHY_COSIM_OBJS) \
    $(VL)/phy/Vphy__ALL.a $(VL)/phydrop/Vphydrop__ALL.a $(LIB)/libcsim.a $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/cosim/test_phy_cosim
