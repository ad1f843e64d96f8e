# Developer shortcuts. `make setup` once, then `make test`, `make demo` or `make bench`.
PY ?= .venv/bin/python

.PHONY: setup test lint demo bench score clean

setup:
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -e '.[dev]'

test:
	$(PY) -m pytest -q

lint:
	.venv/bin/ruff check kg tests bench

demo:
	.venv/bin/kg build examples/docs --store demo-store
	.venv/bin/kg facts --store demo-store --out demo-facts

score:
	.venv/bin/kg facts ../shared/corpus/seeds --out /tmp/kg-seed-facts
	python3 ../shared/eval/score.py --gold ../shared/eval/gold/seeds --pred /tmp/kg-seed-facts
	.venv/bin/kg facts examples/docs --out /tmp/kg-example-facts
	python3 ../shared/eval/score.py --gold examples/gold --pred /tmp/kg-example-facts

# Prints figures (never asserts them): every bench/bench_*.py in turn.
bench:
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf demo-store demo-facts kg-store .pytest_cache
