# Developer shortcuts. `make setup` once, then `make test`, `make demo` or `make bench`.
PY ?= .venv/bin/python

.PHONY: setup test lint demo bench score clean

# The venv is (re)made when pyproject.toml changes; every other target depends on it.
.venv/bin/kg: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -e '.[dev]'
	touch .venv/bin/kg

setup: .venv/bin/kg

test: setup
	$(PY) -m pytest -q

lint: setup
	.venv/bin/ruff check kg tests bench

# The main job on the bundled examples: build the graph, then show what it holds.
demo: setup
	.venv/bin/kg build examples/docs --store demo-store
	.venv/bin/kg facts --store demo-store --out demo-facts
	.venv/bin/kg export-rdf --store demo-store --format turtle --out demo-graph.ttl

score: setup
	.venv/bin/kg facts ../shared/corpus/seeds --out /tmp/kg-seed-facts
	python3 ../shared/eval/score.py --gold ../shared/eval/gold/seeds --pred /tmp/kg-seed-facts
	.venv/bin/kg facts examples/docs --out /tmp/kg-example-facts
	python3 ../shared/eval/score.py --gold examples/gold --pred /tmp/kg-example-facts

# Prints figures (never asserts them): every bench/bench_*.py in turn.
bench: setup
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf demo-store demo-facts demo-graph.ttl kg-store .pytest_cache
