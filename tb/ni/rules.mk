# Network interface with its DMA engine (docs/spec.md section 6): the RTL,
# two Verilated models (default parameters; MemLat = 1 for the short-latency
# checks), the C glue and host-memory model, and the back-to-back test.

NI_RTL := rtl/ni/ni_pkg.sv rtl/ni/ni_fifo.sv rtl/ni/ni_rr_arb.sv rtl/ni/ni_ring_cfg.sv \
          rtl/ni/ni_csr.sv rtl/ni/ni_memif.sv rtl/ni/ni_tx.sv rtl/ni/ni_rx.sv \
          rtl/ni/ni_cq.sv rtl/ni/ni_top.sv
RTL_SRCS  += $(NI_RTL)
LINT_TOPS += ni_top
LINT_SRCS_ni_top := $(NI_RTL)

$(eval $(call vl_model,ni,ni_top,$(NI_RTL),--trace-fst))
$(eval $(call vl_model,ni_lat1,ni_top,$(NI_RTL),--trace-fst -GMemLat=1))

NI_VL_LIBS := $(VL)/ni/Vni__ALL.a $(VL)/ni_lat1/Vni_lat1__ALL.a
TB_NI_OBJS := $(OBJ)/tb/ni/ni_dut.o $(OBJ)/tb/ni/ni_mem.o
$(OBJ)/tb/ni/ni_dut.o: CPPFLAGS += -isystem $(VL)/ni -isystem $(VL)/ni_lat1 -isystem $(VINC) -isystem $(VINC)/vltstd
$(OBJ)/tb/ni/ni_dut.o: $(NI_VL_LIBS)
$(O)/tests/cosim/test_ni_rtl: $(OBJ)/tests/cosim/test_ni_rtl.o $(TB_NI_OBJS) $(NI_VL_LIBS) $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/cosim/test_ni_rtl

# RTL against the golden NI, cycle by cycle (tb/ni/ni_cosim.h; the RTL side
# sits in ni_cosim_rtl.c because ni.h and ni_dut.h both name NI_REG_*).
TB_NI_COSIM_OBJS := $(OBJ)/tb/ni/ni_cosim.o $(OBJ)/tb/ni/ni_cmp.o $(OBJ)/tb/ni/ni_cosim_rtl.o $(TB_NI_OBJS)
$(O)/tests/cosim/test_ni_cosim: $(OBJ)/tests/cosim/test_ni_cosim.o $(TB_NI_COSIM_OBJS) $(LIB)/libcsim.a $(NI_VL_LIBS) $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/cosim/test_ni_cosim
