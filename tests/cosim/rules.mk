# Co-simulation tests of Verilated RTL driven from C.

# Register block alone (issue: foundation).
$(eval $(call vl_model,csr,tb_csr_top,$(CSR_RTL) tb/csr/tb_csr_top.sv))
TB_CSR_OBJS := $(OBJ)/tb/bfm/apb_bfm.o $(OBJ)/tb/csr/csr_check.o $(OBJ)/tb/csr/csr_dut.o
$(OBJ)/tb/csr/csr_dut.o: CPPFLAGS += -isystem $(VL)/csr -isystem $(VINC) -isystem $(VINC)/vltstd
$(OBJ)/tb/csr/csr_dut.o: $(VL)/csr/Vcsr__ALL.a
$(O)/tests/cosim/test_csr_regs: $(OBJ)/tests/cosim/test_csr_regs.o $(TB_CSR_OBJS) $(VL)/csr/Vcsr__ALL.a $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/cosim/test_csr_regs
