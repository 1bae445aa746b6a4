# The verbs of the project. `make run` and `make test` do all set-up themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export RASA_TELEMETRY_ENABLED := false
export HF_HUB_OFFLINE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)

.PHONY: help setup train shell interactive run test test-stories lint validate eval heldout acceptance bench lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

setup:  ## create both environments from their lock files (idempotent)
	@bash scripts/setup.sh

train: setup  ## rasa train, only if its inputs changed (bot/config.yml, bot/domain, nlu, stories)
	@bash scripts/train.sh

shell: train  ## rasa shell: talk to the trained model in this terminal, with the action server
	@bash scripts/shell.sh

interactive: train  ## rasa interactive: correct the model turn by turn and save the conversation as a story
	@bash scripts/shell.sh interactive

run: setup train  ## run the assistant: engine, actions, web chat + casebook, notifier
	@bash scripts/run.sh

test: setup  ## lint, unit and integration tests, data validation, rasa test, acceptance cases
	@bash scripts/test.sh

lint:  ## ruff
	@.venv-app/bin/ruff check . && .venv-app/bin/ruff format --check .

validate: setup  ## rasa data validate
	@bash scripts/validate.sh

test-stories: train  ## rasa test core: the conversations in tests/stories against the trained model
	@bash scripts/test_stories.sh

eval: train  ## k-fold cross-validation of the NLU over the training data, per intent
	@bash scripts/eval.sh

heldout: train  ## the trained model on the held-out NLU files (tests/nlu_heldout), per intent
	@bash scripts/heldout.sh

acceptance: train  ## the shared acceptance cases and our held-out behaviour set against a freshly served model
	@bash scripts/acceptance.sh

bench: train  ## latency and throughput against the stock `rasa init` assistant; handoff time
	@bash scripts/bench.sh

lock:  ## re-resolve the lock files after editing requirements/*.in
	@bash scripts/lock.sh

clean:  ## remove environments, models and local data
	rm -rf .venv-app .venv-engine .venv-tools models results
