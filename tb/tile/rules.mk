# One network tile (rtl/tile/optile_tile.sv, docs/spec.md section 2.4):
# lint top, the Verilated model `tile` (FST tracing compiled in, switched on
# at run time for a cycle window) with tb/tile/optile_tile.vlt making the
# monitored internal signals readable, and the thin C glue (tile_dut).
# Sources are lazy (=): the block fragments are included in sorted order.

TILE_RTL = rtl/tile/optile_tile.sv
RTL_SRCS  += rtl/tile/optile_tile.sv
LINT_TOPS += optile_tile
LINT_SRCS_optile_tile = $(CSR_RTL) $(NOC_RTL) $(NI_RTL) $(PHY_RTL) $(TILE_RTL)

$(eval $(call vl_model,tile,optile_tile,tb/tile/optile_tile.vlt $$(CSR_RTL) $$(NOC_RTL) $$(NI_RTL) $$(PHY_RTL) $$(TILE_RTL),--trace-fst))

TILE_VL_LIB   := $(VL)/tile/Vtile__ALL.a
TB_TILE_OBJS  := $(OBJ)/tb/tile/tile_dut.o
$(OBJ)/tb/tile/tile_dut.o: CPPFLAGS += -isystem $(VL)/tile -isystem $(VINC) -isystem $(VINC)/vltstd
$(OBJ)/tb/tile/tile_dut.o: $(TILE_VL_LIB)

tile-model: $(TILE_VL_LIB) ## Verilate the tile (router, NI, X adapter, PHY, CSRs)
.PHONY: tile-model
