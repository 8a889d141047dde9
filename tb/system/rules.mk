# Two-chip system (tb/system/system.h): two Verilated tiles, optical
# channels, host memories, an ISS running the firmware per chip and the host
# driver on the simulator HAL (tb/hal_sim). Programs that use it link
# $(TB_SYSTEM_OBJS) $(TB_SYSTEM_LIBS) with $(CXX) and -lz.

TB_SYSTEM_OBJS = $(OBJ)/tb/system/system.o $(OBJ)/tb/hal_sim/hal_sim.o $(TB_TILE_OBJS) \
                 $(OBJ)/tb/ni/ni_mem.o $(OBJ)/tb/bfm/apb_bfm.o
TB_SYSTEM_LIBS = $(LIB)/libhost.a $(LIB)/libcsim.a $(TILE_VL_LIB) $(VL)/libverilated.a
