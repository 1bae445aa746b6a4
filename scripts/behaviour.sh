# Sourced: check_behaviour URL runs the shared acceptance cases and our own three held-out
# behaviour sets (tests/behaviour; tests/behaviour_sealed and tests/behaviour_fresh, whose
# failures nobody reads)
# against a served assistant, with the shared runner, and applies a gate to each: for the
# shared cases the product's bar (95% overall, every case in the safety categories); for
# ours the floor in their floor.yml (what the assistant has reached, raised as it improves).
# Never a promise of secrecy.
check_behaviour() {
  local url=$1 shared=${SG_SHARED_DIR:-../shared} rc=0 name files
  local runner="$shared/acceptance/run_cases.py"
  if [ ! -f "$runner" ]; then
    echo "behaviour checks: SKIPPED — $shared/acceptance not found (it sits beside the repo in CI)"
    return 0
  fi
  mkdir -p results
  local gate
  local shown
  for name in acceptance behaviour behaviour_sealed behaviour_fresh; do
    shown=30
    if [ $name = acceptance ]; then files=("$shared"/acceptance/*.jsonl); gate=();
    else files=(tests/$name/*.jsonl); gate=(--floor tests/$name/floor.yml); fi
    # The sealed sets' failures are not printed: reading them would unseal them.
    [ $name != acceptance ] && [ $name != behaviour ] && shown=0
    echo "-- $name: ${#files[@]} file(s)"
    # run_cases exits 1 on any failed case; the gate decides what fails the build.
    .venv-app/bin/python "$runner" "${files[@]}" --url "$url" --json "results/$name.json" --show-failures $shown \
      || [ $? -eq 1 ] || return 1
    .venv-app/bin/python scripts/acceptance_gate.py "results/$name.json" "${gate[@]}" || rc=1
  done
  return $rc
}
