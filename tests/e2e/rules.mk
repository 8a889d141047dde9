# End-to-end two-chip tests (issue 5): firmware on the ISS brings the optical
# link up on both chips, chip A's host driver moves 1 MiB by DMA to chip B,
# the ring stays locked under drift, drift beyond the heater range fails
# cleanly. Needs the firmware ELF; the test takes its path as argument.

$(O)/tests/e2e/test_e2e: $(OBJ)/tests/e2e/test_e2e.o $(TB_SYSTEM_OBJS) $(TB_SYSTEM_LIBS) | $(FW_ELF)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $(filter-out $(FW_ELF),$^) -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/e2e/test_e2e@$(FW_ELF)

e2e: $(O)/tests/e2e/test_e2e $(FW_ELF) ## run the two-chip end-to-end tests (firmware, driver, RTL, channel)
	$(O)/tests/e2e/test_e2e $(FW_ELF)
.PHONY: e2e
