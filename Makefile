# rewardkit's entry points: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench docs clean

install: $(STAMP)

# torch first, pinned: a plain `torch` requirement would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[all,dev]"
	# verl, for tests/test_verl.py, in a folder of its own: its requirements pin transformers
	# below the version TRL needs, and its omegaconf pins antlr4 4.9 where math-verify reads
	# LaTeX best with 4.13.2. The dev extra has the rest its reward managers import.
	$(PY) -m pip install --quiet --no-deps --upgrade --target $(VENV)/verl-env verl==0.9.1 \
		hydra-core==1.3.2 omegaconf==2.3.0 antlr4-python3-runtime==4.9.3
	touch $(STAMP)

demo: install
	$(VENV)/bin/rewardkit verifiers
	$(VENV)/bin/rewardkit score examples/data/sample.jsonl --config examples/demo.yaml \
		-o examples/data/sample.scored.jsonl
	@echo "first scored lines (all in examples/data/sample.scored.jsonl):"
	@head -n 3 examples/data/sample.scored.jsonl

# scripts/start-services.sh starts what the tests need (the sandbox tools, a private dockerd).
# The plugin packages in plugins/ are installed as users install them, then found through
# their entry points.
# REWARDKIT_REQUIRE_SANDBOXES=1: a missing bwrap or dockerd fails the run instead of skipping.
test: install
	REWARDKIT_REQUIRE_SANDBOXES=1 scripts/start-services.sh
	$(PY) -m pip install --quiet --no-deps --no-build-isolation $(wildcard plugins/*/)
	REWARDKIT_REQUIRE_SANDBOXES=1 $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check core verifiers tests benchmarks plugins
	mkdir -p $(VENV)/typecheck && ln -sfn "$(CURDIR)/core" $(VENV)/typecheck/rewardkit
	$(VENV)/bin/mypy
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir $(VENV)/site

# Each script prints its figure against a baseline measured in the same run.
bench: install
	$(PY) benchmarks/engine_overhead.py
	$(PY) benchmarks/math_throughput.py --workers 2
	$(PY) benchmarks/sandbox_latency.py
	$(PY) benchmarks/ray_scaling.py
	$(PY) benchmarks/async_offload.py

docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
