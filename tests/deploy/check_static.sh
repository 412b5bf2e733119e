#!/usr/bin/env bash
# Offline checks of deploy/: what can be verified without a Docker engine,
# a Kubernetes cluster or a Grafana server.
#
#   tests/deploy/check_static.sh [REPO_ROOT] [DRIFTD_BINARY]
#
# Needs promtool (Debian: prometheus), yamllint, python3-yaml and
# docker-compose; uses kubectl, systemd-analyze and shellcheck when they are
# there. With DRIFTD_BINARY it also validates the configurations with
# `driftd validate`, replays the demo producer's events through the pipeline,
# and checks that the image's runtime packages provide every library the
# binary loads. With DRIFTD_DEPLOY_NPM_INSTALL=1 (or a filled cache) it also
# type-checks the dashboard with Grafana's own TypeScript types and validates
# the Kubernetes manifests against their OpenAPI schemas (npm packages in
# tests/deploy/schema/package.json, installed under
# ${DRIFTD_DEPLOY_NPM_CACHE:-~/.cache/driftd/deploy-schema}).
#
# Prints one line per check (ok / FAIL / SKIP) and exits non-zero when any
# check fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${1:-$here/../..}" && pwd)"
binary="${2:-}"
if [ -n "$binary" ]; then
  if [ ! -x "$binary" ]; then
    echo "FAIL driftd binary $binary is not an executable file" >&2
    exit 1
  fi
  binary="$(realpath "$binary")"
fi
deploy="$root/deploy"
py=/usr/bin/python3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0 failed=0 skipped=0

# step NAME COMMAND...: runs COMMAND, prints ok/FAIL and, on failure, its output.
step() {
  local name="$1"; shift
  local log="$work/step.log"
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    printf 'ok   %s\n' "$name"
    grep -v '^\s*$' "$log" | head -n 3 | sed 's/^/       /' || true
  else
    failed=$((failed + 1))
    printf 'FAIL %s\n' "$name"
    sed 's/^/       /' "$log"
  fi
}

# in_dir DIR COMMAND...: runs COMMAND in DIR (promtool resolves rule files
# relative to the working directory).
in_dir() {
  local dir="$1"; shift
  (cd "$dir" && "$@")
}

skip() {
  skipped=$((skipped + 1))
  printf 'SKIP %s\n' "$1"
}

need() {
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    failed=$((failed + 1))
    printf 'FAIL %s is not installed (%s)\n' "$1" "$2"
    return 1
  fi
}

echo "deploy checks of $deploy${binary:+ with $binary}"

# --- Prometheus --------------------------------------------------------------
if need promtool "apt-get install prometheus"; then
  mkdir -p "$work/prom"
  cp "$deploy/prometheus/prometheus.yml" "$deploy/prometheus/rules.yml" "$work/prom/"
  step "promtool check config deploy/prometheus/prometheus.yml (with rules.yml beside it)" \
    promtool check config "$work/prom/prometheus.yml"
  step "promtool check rules deploy/prometheus/rules.yml" \
    promtool check rules "$deploy/prometheus/rules.yml"
  step "promtool test rules deploy/prometheus/rules_test.yml" \
    in_dir "$deploy/prometheus" promtool test rules rules_test.yml
fi

# --- Grafana dashboard -------------------------------------------------------
dashboard="$deploy/grafana/dashboards/driftd.json"
step "dashboard structure, PromQL lexing and metric contract (check_dashboard.py)" \
  "$py" "$here/check_dashboard.py" "$dashboard" --emit-promtool "$work/dash"
if command -v promtool >/dev/null && [ -f "$work/dash/dashboard_rules.yml" ]; then
  step "dashboard expressions parse (promtool check rules, each as a recording rule)" \
    promtool check rules "$work/dash/dashboard_rules.yml"
  step "dashboard expressions return data 3 min into a 15 s scrape of every contract metric (promtool test rules)" \
    in_dir "$work/dash" promtool test rules dashboard_test.yml
fi

# --- YAML ----------------------------------------------------------------------
if need yamllint "apt-get install yamllint"; then
  mapfile -t yamls < <(find "$deploy/" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort)
  lint_yaml() {
    local out status=0
    out="$(yamllint -f parsable -d relaxed "$@")" || status=$?
    printf '%s\n' "$out" | grep -F '[error]' || true
    echo "  $(printf '%s\n' "$out" | grep -cF '[warning]') warnings (relaxed: line length), $(printf '%s\n' "$out" | grep -cF '[error]') errors"
    return "$status"
  }
  step "yamllint -d relaxed on ${#yamls[@]} YAML files under deploy/" lint_yaml "${yamls[@]}"
fi

# --- Compose -------------------------------------------------------------------
if ! "$py" -c 'import yaml' 2>/dev/null; then
  failed=$((failed + 1))
  echo "FAIL python3-yaml is not installed (apt-get install python3-yaml)"
else
  if command -v docker-compose >/dev/null; then
    step "docker-compose -f deploy/compose.yaml config -q" \
      docker-compose -f "$deploy/compose.yaml" config -q
  else
    skip "docker-compose config: docker-compose is not installed (apt-get install docker-compose)"
  fi
  step "compose wiring: mounts, brokers, topics, scrape target, provisioning (check_compose.py)" \
    "$py" "$here/check_compose.py" "$deploy"

  # --- Kubernetes --------------------------------------------------------------
  step "k8s manifests: sidecar, probes, resources, ConfigMap, Service, ServiceMonitor, kustomization (check_k8s.py)" \
    "$py" "$here/check_k8s.py" "$deploy/k8s" --config-out "$work/k8s-driftd.yaml"
  if command -v kubectl >/dev/null; then
    kustomize() { kubectl kustomize "$deploy/k8s" > "$work/kustomized.yaml"; }
    step "kubectl kustomize deploy/k8s" kustomize
  else
    skip "kubectl kustomize: kubectl is not installed"
  fi
fi

# --- Dockerfile ----------------------------------------------------------------
step "Dockerfile stages, packages, user, volumes, entrypoint, context (check_dockerfile.py)" \
  "$py" "$here/check_dockerfile.py" "$root" ${binary:+--binary "$binary"}

# --- systemd -------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  # verify wants the ExecStart binary to exist: point it at one that does.
  sed "s#/usr/local/bin/driftd#${binary:-/bin/true}#g" "$deploy/systemd/driftd.service" > "$work/driftd.service"
  step "systemd-analyze verify deploy/systemd/driftd.service" \
    systemd-analyze verify "$work/driftd.service"
  exposure_ok() {
    local level
    level="$(systemd-analyze security --offline=true "$1" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
    echo "  exposure level $level (must be <= 3.0)"
    [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 3.0) }'
  }
  step "systemd-analyze security --offline: exposure of driftd.service" exposure_ok "$work/driftd.service"
else
  skip "systemd-analyze: not installed"
fi

# --- Demo producer -------------------------------------------------------------
step "sh -n deploy/demo/producer.sh" sh -n "$deploy/demo/producer.sh"
if command -v shellcheck >/dev/null; then
  step "shellcheck deploy/demo/producer.sh deploy/ci/drift-gate.sh tests/deploy/check_static.sh" \
    shellcheck "$deploy/demo/producer.sh" "$deploy/ci/drift-gate.sh" "$here/check_static.sh"
else
  skip "shellcheck: not installed"
fi

# --- With the driftd binary ----------------------------------------------------
if [ -n "$binary" ]; then
  step "driftd validate --config deploy/config/driftd.yaml" \
    "$binary" validate --config "$deploy/config/driftd.yaml"
  if [ -f "$work/k8s-driftd.yaml" ]; then
    step "driftd validate on the configuration in deploy/k8s/configmap.yaml" \
      "$binary" validate --config "$work/k8s-driftd.yaml"
  fi
  # The demo's promise: fraud-v3 drifts (alerts + a retrain trigger),
  # churn-v1 does not. Fixed seed, no pauses, 8 ticks of 1500 events/model.
  demo_replay() {
    RATE=1500 DRIFT_AFTER=3 DURATION=8 SLEEP=0 SEED=7 sh "$deploy/demo/producer.sh" --stdout > "$work/demo.jsonl"
    "$binary" replay --config "$deploy/config/driftd.yaml" --input "$work/demo.jsonl" > "$work/demo.out"
    "$py" - "$work/demo.out" <<'EOF'
import collections, json, sys
counts = collections.Counter()
for line in open(sys.argv[1]):
    d = json.loads(line)
    counts[(d["model_id"], d["schema"])] += 1
print("  " + ", ".join(f"{m} {s}: {n}" for (m, s), n in sorted(counts.items())))
ok = counts[("fraud-v3", "driftd.alert.v1")] > 0 and counts[("fraud-v3", "driftd.retrain.v1")] == 1
ok = ok and not any(m == "churn-v1" for m, _ in counts)
sys.exit(0 if ok else 1)
EOF
  }
  step "demo producer events through driftd replay: fraud-v3 drifts, churn-v1 does not" demo_replay
  # The CI examples' gate, as their jobs call it: the verdict is the exit
  # status, and the report and the JSON are kept whatever it is.
  drift_gate() {
    local examples="$root/config" status
    mkdir -p "$work/gate"
    status=0
    DRIFTD="$binary" sh "$deploy/ci/drift-gate.sh" "$examples/example-reference.csv" "$examples/example-current.csv" \
      "$work/gate/drift" > "$work/gate/drift.log" 2>&1 || status=$?
    [ "$status" = 1 ] || { echo "  drifted data: exit $status, expected 1"; return 1; }
    status=0
    DRIFTD="$binary" sh "$deploy/ci/drift-gate.sh" "$examples/example-reference.csv" "$examples/example-reference.csv" \
      "$work/gate/same" > "$work/gate/same.log" 2>&1 || status=$?
    [ "$status" = 0 ] || { echo "  a file against itself: exit $status, expected 0"; return 1; }
    status=0
    DRIFTD="$binary" sh "$deploy/ci/drift-gate.sh" "$examples/example-reference.csv" /nonexistent.csv \
      "$work/gate/bad" > "$work/gate/bad.log" 2>&1 || status=$?
    [ "$status" = 2 ] || { echo "  a missing file: exit $status, expected 2"; return 1; }
    "$py" - "$work/gate" <<'EOF'
import json, os, sys
gate = sys.argv[1]
for name, drift in (("drift", True), ("same", False)):
    result = json.load(open(os.path.join(gate, name, "result.json")))
    assert result["drift"] is drift, (name, result["drift"])
    page = open(os.path.join(gate, name, "report.html")).read()
    assert page.lstrip().lower().startswith("<!doctype html") and "<svg" in page, name
    assert "drift" in open(os.path.join(gate, name + ".log")).read(), name
EOF
  }
  step "deploy/ci/drift-gate.sh: exit 1 on drift, 0 without, 2 on a missing file; report.html and result.json kept" drift_gate
else
  skip "driftd validate / demo replay / runtime libraries: no driftd binary given"
fi

# --- Schemas from npm (opt-in) -------------------------------------------------
cache="${DRIFTD_DEPLOY_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/driftd/deploy-schema}"
if command -v node >/dev/null && { [ -d "$cache/node_modules" ] || [ "${DRIFTD_DEPLOY_NPM_INSTALL:-0}" = 1 ]; }; then
  install_schema() {
    mkdir -p "$cache"
    if ! cmp -s "$here/schema/package.json" "$cache/package.json" || [ ! -d "$cache/node_modules" ]; then
      cp "$here/schema/package.json" "$cache/package.json"
      (cd "$cache" && npm install --no-audit --no-fund --no-package-lock)
    fi
  }
  if [ "${DRIFTD_DEPLOY_NPM_INSTALL:-0}" = 1 ]; then
    step "npm install tests/deploy/schema/package.json into $cache" install_schema
  fi
  if [ -d "$cache/node_modules" ]; then
    mkdir -p "$work/ts"
    ln -s "$cache/node_modules" "$work/ts/node_modules"
    cp "$here/schema/dashboard_types.ts" "$here/schema/tsconfig.json" "$here/schema/validate_k8s.mjs" "$work/ts/"
    {
      echo "import type { CheckedDashboard } from './dashboard_types';"
      printf 'export const dashboard: CheckedDashboard = '
      cat "$dashboard"
      echo ';'
    } > "$work/ts/dashboard.ts"
    step "dashboard type-checks against @grafana/schema (tsc)" \
      in_dir "$work/ts" node_modules/.bin/tsc -p tsconfig.json
    if [ -f "$work/kustomized.yaml" ]; then k8s_input="$work/kustomized.yaml"; else k8s_input=""; fi
    to_json() {
      "$py" - "$deploy/k8s" "$k8s_input" > "$work/ts/k8s.json" <<'EOF'
import glob, json, os, sys, yaml
k8s_dir, rendered = sys.argv[1], sys.argv[2]
files = [rendered] if rendered else [f for f in sorted(glob.glob(os.path.join(k8s_dir, "*.yaml")))
                                    if not f.endswith("kustomization.yaml")]
json.dump([d for f in files for d in yaml.safe_load_all(open(f)) if d], sys.stdout)
EOF
      cd "$work/ts" && node validate_k8s.mjs k8s.json
    }
    step "k8s objects validate against kubernetes-models / prometheus-operator schemas" to_json
  fi
else
  skip "Grafana types and k8s schemas: set DRIFTD_DEPLOY_NPM_INSTALL=1 to fetch them from npm"
fi

echo "deploy: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
