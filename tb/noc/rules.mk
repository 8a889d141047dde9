# Router RTL (rtl/noc/, docs/spec.md section 5): sources, lint tops, the
# Verilated router model `router` and X-port adapter model `xadapt` (FST
# tracing compiled in, switched on at run time) and their cycle-by-cycle
# cmocka test tests/cosim/test_router_rtl.c.

NOC_RTL   := rtl/noc/noc_pkg.sv rtl/noc/noc_rr_arb.sv rtl/noc/noc_fifo.sv \
             rtl/noc/noc_rc.sv rtl/noc/noc_router.sv rtl/noc/noc_x_adapter.sv
RTL_SRCS  += $(NOC_RTL)
LINT_TOPS += noc_router noc_x_adapter
LINT_SRCS_noc_router    := $(filter-out rtl/noc/noc_x_adapter.sv,$(NOC_RTL))
LINT_SRCS_noc_x_adapter := rtl/noc/noc_fifo.sv rtl/noc/noc_x_adapter.sv

$(eval $(call vl_model,router,noc_router,$(filter-out rtl/noc/noc_x_adapter.sv,$(NOC_RTL)),--trace-fst))
$(eval $(call vl_model,xadapt,noc_x_adapter,rtl/noc/noc_fifo.sv rtl/noc/noc_x_adapter.sv,--trace-fst))

TB_ROUTER_OBJS := $(OBJ)/tb/noc/router_dut.o $(OBJ)/tb/noc/xadapt_dut.o $(OBJ)/tb/noc/noc_sb.o
$(OBJ)/tb/noc/router_dut.o: CPPFLAGS += -isystem $(VL)/router -isystem $(VINC) -isystem $(VINC)/vltstd
$(OBJ)/tb/noc/router_dut.o: $(VL)/router/Vrouter__ALL.a
$(OBJ)/tb/noc/xadapt_dut.o: CPPFLAGS += -isystem $(VL)/xadapt -isystem $(VINC) -isystem $(VINC)/vltstd
$(OBJ)/tb/noc/xadapt_dut.o: $(VL)/xadapt/Vxadapt__ALL.a
$(O)/tests/cosim/test_router_rtl: $(OBJ)/tests/cosim/test_router_rtl.o $(TB_ROUTER_OBJS) \
                                  $(VL)/router/Vrouter__ALL.a $(VL)/xadapt/Vxadapt__ALL.a \
                                  $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/cosim/test_router_rtl
