# Register map: rtl/csr/optile_csr.rdl -> build/gen (docs/spec.md section 2.1).

RDL      := rtl/csr/optile_csr.rdl
REG_SV   := $(GEN)/optile_csr_reg_pkg.sv $(GEN)/optile_csr_reg.sv
REG_C    := $(GEN)/optile_csr.h $(GEN)/optile_csr_fields.h
REG_DOC  := $(GEN)/optile_csr.md
PY       := $(VENV)/bin/python

regs: $(REG_SV) $(REG_C) $(REG_DOC) ## generate register block (SV), C header, field table, reference (build/gen)

$(VENV)/.optile-requirements: scripts/requirements.txt scripts/deps.sh
	@bash scripts/deps.sh

$(REG_SV) $(REG_C) &: $(RDL) scripts/regtool.py $(VENV)/.optile-requirements
	@mkdir -p $(GEN)
	$(PY) scripts/regtool.py $(RDL) --addr-width 16 --sv $(GEN) --c $(GEN)/optile_csr.h --table $(GEN)/optile_csr_fields.h

$(REG_DOC): $(RDL) $(VENV)/.optile-requirements
	@mkdir -p $(GEN)
	$(VENV)/bin/peakrdl markdown $(RDL) -o $@

CSR_RTL   := $(REG_SV) rtl/csr/optile_csr_arb.sv rtl/csr/optile_csr_top.sv
RTL_SRCS  += $(CSR_RTL)
LINT_TOPS += optile_csr_top
LINT_SRCS_optile_csr_top := $(CSR_RTL)
