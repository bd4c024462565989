# `make run` opens the app, `make test` runs the tests. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench screenshot clean

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

screenshot: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(PY) assets/make_screenshot.py

# Reinstall whenever the dependencies change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev,plots,media,sweep]"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[box2d]" \
		|| echo "Box2D did not install here: only --scene gym:LunarLander-v3 needs it"
	touch $(STAMP)

clean:
	rm -rf $(VENV)
