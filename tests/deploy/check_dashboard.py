#!/usr/bin/python3
"""Structural checks of the Grafana dashboard deploy/grafana/dashboards/driftd.json.

    check_dashboard.py DASHBOARD.json [--emit-promtool DIR]

Checks (standard library only): valid JSON; uid, title, schemaVersion; the
`datasource` and `model` template variables; every panel has an id (unique),
type, title, gridPos inside the 24-column grid without overlaps, the
`${datasource}` data source, and targets with a non-empty expr and a unique
refId. Every PromQL expression is lexed: brackets balance, functions and
keywords are PromQL's, every metric is in driftd's metric contract (CONTRACT,
checked equal, names and labels, to the table in include/driftd/README.md, "Metrics"),
every label in a matcher or a by/without clause is one the metric has, every
selector of a metric with a `model` label filters it with model=~"$model",
and no Grafana macro other than $model is used (so that the expressions run
in Prometheus as they are once $model is replaced).

With --emit-promtool DIR, writes DIR/dashboard_rules.yml (each expression as
a recording rule, so `promtool check rules` parses it with Prometheus's own
parser) and DIR/dashboard_test.yml (a `promtool test rules` file that feeds
synthetic series of every contract metric, scraped every 15 s, and asserts
that every expression returns at least one sample after 3 minutes).

Exit status 0 when every check passes, 1 otherwise.
"""

import json
import os
import re
import sys

# The metric contract: name -> labels (besides the target labels).
CONTRACT = {
    "driftd_events_consumed_total": {"model"},
    "driftd_events_invalid_total": {"reason"},
    "driftd_events_late_total": {"model"},
    "driftd_dead_lettered_total": set(),
    "driftd_dead_letters_truncated_total": set(),
    "driftd_dead_letters_failed_total": set(),
    "driftd_drift_statistic": {"model", "feature", "test"},
    "driftd_drift_p_value": {"model", "feature", "test"},
    "driftd_drift_detected": {"model", "feature", "test"},
    "driftd_test_threshold": {"model", "feature", "test"},
    "driftd_calibration_seconds": {"model"},
    "driftd_model_drifted_share": {"model"},
    "driftd_model_drift": {"model"},
    "driftd_evaluations_total": {"model"},
    "driftd_last_evaluation_timestamp_seconds": {"model"},
    "driftd_alerts_total": {"model", "severity"},
    "driftd_retrain_triggers_total": {"model"},
    "driftd_window_events": {"model"},
    "driftd_evaluation_seconds": {"test"},  # histogram
    "driftd_consumer_lag": {"topic", "partition"},
    "driftd_kafka_delivery_errors_total": set(),
    "driftd_ready": set(),
    "driftd_build_info": {"version"},
    "driftd_events_replayed_total": set(),
    "driftd_outputs_suppressed_total": set(),
    "driftd_values_overflowed_total": {"model"},
    "driftd_state_restores_total": {"result"},
    "driftd_state_models_started_fresh_total": set(),
    "driftd_state_snapshots_written_total": set(),
    "driftd_state_snapshot_bytes_total": set(),
    "driftd_state_last_checkpoint_bytes": set(),
    "driftd_state_snapshots_failed_total": set(),
    "driftd_labels_total": {"model", "outcome"},
    "driftd_labels_pending": {"model"},
    "driftd_label_lag_seconds": {"model"},
    "driftd_model_performance": {"model", "metric"},
    "driftd_reference_performance": {"model", "metric"},
}
HISTOGRAMS = {"driftd_evaluation_seconds"}
TARGET_LABELS = {"instance", "job"}
# Prometheus's own series that the dashboard may use.
PROMETHEUS_SERIES = {"up": set()}

FUNCTIONS = {
    "abs", "absent", "absent_over_time", "avg_over_time", "ceil", "changes", "clamp",
    "clamp_max", "clamp_min", "count_over_time", "day_of_month", "day_of_week", "delta",
    "deriv", "exp", "floor", "histogram_quantile", "holt_winters", "hour", "idelta",
    "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log10",
    "log2", "max_over_time", "min_over_time", "minute", "month", "predict_linear",
    "present_over_time", "quantile_over_time", "rate", "resets", "round", "scalar", "sgn",
    "sort", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time",
    "time", "timestamp", "vector", "year",
}
AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
                "count_values", "bottomk", "topk", "quantile"}
GROUPING = {"by", "without", "on", "ignoring", "group_left", "group_right"}
KEYWORDS = {"bool", "and", "or", "unless", "offset", "inf", "nan"}
DURATION = re.compile(r"^(\d+(ms|s|m|h|d|w|y))+$")

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<var>\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:ms|s|m|h|d|w|y)?(?:\d+(?:ms|s|m|h|d|w|y))*)
  | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<op>=~|!~|!=|==|<=|>=|[-+*/%^<>=,(){}\[\]:@])
""", re.VERBOSE)


class Failures:
    def __init__(self):
        self.items = []

    def add(self, where, message):
        self.items.append(f"{where}: {message}")


def lex(expr):
    tokens, pos = [], 0
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError(f"cannot lex at {expr[pos:pos + 20]!r}")
        pos = m.end()
        if m.lastgroup != "space":
            tokens.append((m.lastgroup, m.group()))
    return tokens


def metric_labels(name):
    """Labels of a series name, or None when it is not in the contract."""
    if name in CONTRACT:
        if name in HISTOGRAMS:
            return None  # a histogram is used through its _bucket/_sum/_count series
        return CONTRACT[name] | TARGET_LABELS
    for base in HISTOGRAMS:
        if name == base + "_bucket":
            return CONTRACT[base] | {"le"} | TARGET_LABELS
        if name in (base + "_sum", base + "_count"):
            return CONTRACT[base] | TARGET_LABELS
    if name in PROMETHEUS_SERIES:
        return PROMETHEUS_SERIES[name] | TARGET_LABELS
    return None


def check_expr(expr, where, fail):
    """Lexes one PromQL expression and checks it against the contract."""
    try:
        tokens = lex(expr)
    except ValueError as e:
        fail.add(where, str(e))
        return set()
    depth = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for kind, text in tokens:
        if text in "([{" and kind == "op":
            depth.append(text)
        elif text in ")]}" and kind == "op":
            if not depth or depth.pop() != pairs[text]:
                fail.add(where, f"unbalanced {text!r} in {expr!r}")
                return set()
    if depth:
        fail.add(where, f"unclosed {depth[-1]!r} in {expr!r}")
        return set()

    used, grouping_labels = set(), []
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else None
        if kind == "var":
            fail.add(where, f"Grafana variable {text} outside a label matcher (only \"$model\" is allowed)")
        elif kind == "op" and text == "[":
            # range or subquery: [1m] or [5m:30s]
            j = i + 1
            parts = []
            while tokens[j][1] != "]":
                parts.append(tokens[j])
                j += 1
            for pk, pt in parts:
                if pk == "var":
                    fail.add(where, f"range {pt} is a Grafana macro: use a fixed duration such as [1m]")
                elif pk == "number" and not DURATION.match(pt):
                    fail.add(where, f"bad duration {pt!r}")
            i = j
        elif kind == "ident":
            if text in GROUPING:
                if nxt != "(":
                    fail.add(where, f"{text} without a label list")
                else:
                    j = i + 2
                    while tokens[j][1] != ")":
                        if tokens[j][0] == "ident":
                            grouping_labels.append(tokens[j][1])
                        j += 1
                    i = j
            elif text in KEYWORDS:
                pass
            elif (nxt == "(" and text in FUNCTIONS) or \
                    (text in AGGREGATIONS and nxt in ("(", "by", "without")):
                pass
            elif nxt == "(":
                fail.add(where, f"unknown function {text}()")
            else:
                labels = metric_labels(text)
                if labels is None:
                    fail.add(where, f"metric {text} is not in driftd's metric contract")
                    labels = set()
                used.add(text)
                model_filtered = False
                if nxt == "{":
                    j = i + 2
                    while tokens[j][1] != "}":
                        if tokens[j][1] == ",":
                            j += 1
                            continue
                        lname, op, value = tokens[j][1], tokens[j + 1][1], tokens[j + 2]
                        if tokens[j][0] != "ident" or op not in ("=", "!=", "=~", "!~") or value[0] != "string":
                            fail.add(where, f"malformed matcher near {lname!r} in {expr!r}")
                            break
                        if lname not in labels:
                            fail.add(where, f"{text} has no label {lname}")
                        if "$" in value[1] and not (lname == "model" and value[1] == '"$model"'):
                            fail.add(where, f"variable in matcher {lname}{op}{value[1]}: only model=~\"$model\"")
                        if lname == "model" and op == "=~" and value[1] == '"$model"':
                            model_filtered = True
                        j += 3
                    i = j
                if "model" in labels and not model_filtered:
                    fail.add(where, f"{text} has a model label but is not filtered by model=~\"$model\"")
        i += 1

    known = set().union(*(metric_labels(m) or set() for m in used)) if used else set()
    for label in grouping_labels:
        if label not in known:
            fail.add(where, f"grouping label {label!r} is on none of {sorted(used)}")
    return used


def documented_metrics(readme):
    """name -> labels of the table in README.md's "Metrics" section."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## Metrics\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"`driftd_[a-z_]+`", cells[0]):
            out[cells[0].strip("`")] = {c.strip() for c in cells[2].split(",") if c.strip()}
    return out


def check_contract(readme, fail):
    """CONTRACT is the README's table: a metric added to driftd and
    documented there must be added here too, and the other way round."""
    try:
        documented = documented_metrics(readme)
    except (OSError, IndexError) as e:
        fail.add("contract", f"cannot read the metrics table of {readme}: {e}")
        return
    for name in sorted(set(documented) | set(CONTRACT)):
        if name not in CONTRACT:
            fail.add("contract", f"{name} is in {readme} but not in CONTRACT")
        elif name not in documented:
            fail.add("contract", f"{name} is in CONTRACT but not in {readme}")
        elif documented[name] != CONTRACT[name]:
            fail.add("contract", f"{name}: labels {sorted(documented[name])} in {readme}, "
                                 f"{sorted(CONTRACT[name])} in CONTRACT")


def overlaps(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def check_dashboard(dash, fail):
    exprs = []  # (where, expr)
    if dash.get("uid") != "driftd":
        fail.add("dashboard", f"uid is {dash.get('uid')!r}, expected 'driftd'")
    if not isinstance(dash.get("title"), str) or not dash["title"].strip():
        fail.add("dashboard", "no title")
    sv = dash.get("schemaVersion")
    if not isinstance(sv, int) or not 36 <= sv <= 41:
        fail.add("dashboard", f"schemaVersion {sv!r} is not in 36..41")

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        fail.add("templating", "needs a `datasource` variable of type datasource, query prometheus")
    model = variables.get("model")
    if not model:
        fail.add("templating", "no `model` variable")
    else:
        query = model.get("query")
        query = query.get("query") if isinstance(query, dict) else query
        if query != "label_values(driftd_events_consumed_total, model)":
            fail.add("templating.model", f"query is {query!r}")
        if not model.get("multi") or not model.get("includeAll"):
            fail.add("templating.model", "must be multi-value and include All")
        if (model.get("datasource") or {}).get("uid") != "${datasource}":
            fail.add("templating.model", "must use the ${datasource} data source")

    for a in dash.get("annotations", {}).get("list", []):
        expr = (a.get("target") or {}).get("expr", a.get("expr"))
        if expr is not None:
            if (a.get("datasource") or {}).get("uid") != "${datasource}":
                fail.add(f"annotation {a.get('name')!r}", "must use the ${datasource} data source")
            exprs.append((f"annotation {a.get('name')!r}", expr))

    panels = dash.get("panels")
    if not isinstance(panels, list) or not panels:
        fail.add("dashboard", "no panels")
        return exprs
    flat = []
    for p in panels:
        flat.append(p)
        flat.extend(p.get("panels", []) if p.get("type") == "row" else [])
    ids, grids = {}, []
    for p in flat:
        where = f"panel {p.get('id')!r} {p.get('title')!r}"
        for key in ("id", "type", "title", "gridPos"):
            if key not in p:
                fail.add(where, f"no {key}")
        if not isinstance(p.get("id"), int):
            fail.add(where, "id is not an integer")
        elif p["id"] in ids:
            fail.add(where, f"id {p['id']} is also panel {ids[p['id']]!r}")
        else:
            ids[p["id"]] = p.get("title")
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in ("h", "w", "x", "y")):
            fail.add(where, f"gridPos {g!r} needs integer h, w, x, y")
        else:
            if g["x"] < 0 or g["w"] <= 0 or g["h"] <= 0 or g["x"] + g["w"] > 24:
                fail.add(where, f"gridPos {g!r} is outside the 24-column grid")
            for other_where, other in grids:
                if overlaps(g, other):
                    fail.add(where, f"overlaps {other_where}")
            grids.append((where, g))
        if p.get("type") == "row":
            continue
        if p.get("type") not in ("timeseries", "stat", "gauge", "table", "bargauge", "state-timeline", "text"):
            fail.add(where, f"unexpected panel type {p.get('type')!r}")
        if (p.get("datasource") or {}).get("uid") != "${datasource}" or \
                (p.get("datasource") or {}).get("type") != "prometheus":
            fail.add(where, "datasource must be {type: prometheus, uid: ${datasource}}")
        targets = p.get("targets")
        if not isinstance(targets, list) or not targets:
            fail.add(where, "no targets")
            continue
        refs = set()
        for t in targets:
            ref = t.get("refId")
            if not ref:
                fail.add(where, "a target has no refId")
            elif ref in refs:
                fail.add(where, f"refId {ref} twice")
            refs.add(ref)
            if "datasource" in t and (t["datasource"] or {}).get("uid") != "${datasource}":
                fail.add(f"{where} {ref}", "target data source is not ${datasource}")
            expr = t.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                fail.add(f"{where} {ref}", "empty expr")
                continue
            exprs.append((f"{where} {ref}", expr))
    return exprs


def synthetic_series():
    """Series for every contract metric, 15 s apart, over 5 minutes."""
    t = 'instance="driftd:9108",job="driftd"'
    out = [(f'up{{{t}}}', "1x20"), (f"driftd_ready{{{t}}}", "1x20"),
           (f'driftd_build_info{{{t},version="0.1.0"}}', "1x20"),
           (f"driftd_dead_lettered_total{{{t}}}", "0+1x20"),
           (f"driftd_dead_letters_truncated_total{{{t}}}", "0+1x20"),
           (f"driftd_dead_letters_failed_total{{{t}}}", "0+1x20"),
           (f"driftd_kafka_delivery_errors_total{{{t}}}", "0+1x20"),
           (f"driftd_events_replayed_total{{{t}}}", "0+100x20"),
           (f"driftd_outputs_suppressed_total{{{t}}}", "0x20"),
           (f'driftd_events_invalid_total{{{t},reason="not_json"}}', "0+2x20"),
           (f'driftd_state_restores_total{{{t},result="snapshot"}}', "0+1x20"),
           (f"driftd_state_models_started_fresh_total{{{t}}}", "0x20"),
           (f"driftd_state_snapshots_written_total{{{t}}}", "0+4x20"),
           (f"driftd_state_snapshot_bytes_total{{{t}}}", "0+1000x20"),
           (f"driftd_state_last_checkpoint_bytes{{{t}}}", "1000x20"),
           (f"driftd_state_snapshots_failed_total{{{t}}}", "0x20")]
    for p in ("0", "1"):
        out.append((f'driftd_consumer_lag{{{t},topic="ml.events",partition="{p}"}}', "10+5x20"))
    for test in ("ks", "mmd"):
        for i, le in enumerate(("0.001", "0.01", "0.1", "1", "+Inf")):
            out.append((f'driftd_evaluation_seconds_bucket{{{t},test="{test}",le="{le}"}}',
                        f"0+{2 * (i + 1)}x20"))
        out.append((f'driftd_evaluation_seconds_sum{{{t},test="{test}"}}', "0+0.1x20"))
        out.append((f'driftd_evaluation_seconds_count{{{t},test="{test}"}}', "0+10x20"))
    for model in ("fraud-v3", "churn-v1"):
        m = f'{t},model="{model}"'
        out += [(f"driftd_events_consumed_total{{{m}}}", "0+500x20"),
                (f"driftd_events_late_total{{{m}}}", "0+1x20"),
                (f"driftd_values_overflowed_total{{{m}}}", "0+1x20"),
                (f"driftd_model_drifted_share{{{m}}}", "0.5x20"),
                (f"driftd_model_drift{{{m}}}", "0x10 1x10"),
                (f"driftd_evaluations_total{{{m}}}", "0+2x20"),
                (f"driftd_last_evaluation_timestamp_seconds{{{m}}}", "0+15x20"),
                (f"driftd_retrain_triggers_total{{{m}}}", "0x10 1x10"),
                (f"driftd_window_events{{{m}}}", "1000x20"),
                (f"driftd_calibration_seconds{{{m}}}", "0.5x20")]
        for sev in ("warning", "critical"):
            out.append((f'driftd_alerts_total{{{m},severity="{sev}"}}', "0x5 1x5 2x10"))
        # Ground truth, as a classifier with labels has it.
        for outcome, per_scrape in (("in_event", 200), ("joined", 250), ("unmatched", 3), ("late", 1),
                                    ("duplicate", 0), ("expired", 20), ("dropped", 0), ("no_prediction", 0)):
            out.append((f'driftd_labels_total{{{m},outcome="{outcome}"}}', f"0+{per_scrape}x20"))
        out += [(f"driftd_labels_pending{{{m}}}", "400x20"),
                (f"driftd_label_lag_seconds{{{m}}}", "30+1x20"),
                (f'driftd_reference_performance{{{m},metric="accuracy"}}', "0.95x20")]
        for metric, value in (("accuracy", "0.93"), ("error_rate", "0.07"), ("precision", "0.8"), ("recall", "0.7"),
                              ("f1", "0.75")):
            out.append((f'driftd_model_performance{{{m},metric="{metric}"}}', f"{value}x20"))
        for feature, test in (("amount", "ks"), ("amount", "psi"), ("country", "chi2"), ("label", "performance")):
            f = f'{m},feature="{feature}",test="{test}"'
            out += [(f"driftd_drift_statistic{{{f}}}", "0.1x20"),
                    (f"driftd_drift_detected{{{f}}}", "0x10 1x10"),
                    (f"driftd_test_threshold{{{f}}}", "0.2x20")]
            if test in ("ks", "chi2"):
                out.append((f"driftd_drift_p_value{{{f}}}", "0.01x20"))
    return out


def yaml_str(s):
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def emit_promtool(exprs, directory):
    os.makedirs(directory, exist_ok=True)
    concrete = [(where, expr.replace("$model", ".*")) for where, expr in exprs]
    with open(os.path.join(directory, "dashboard_rules.yml"), "w") as f:
        f.write("groups:\n  - name: dashboard\n    rules:\n")
        for n, (where, expr) in enumerate(concrete):
            f.write(f"      # {where}\n      - record: dashboard:expr_{n}\n        expr: {yaml_str(expr)}\n")
    with open(os.path.join(directory, "dashboard_test.yml"), "w") as f:
        f.write("rule_files: []\nevaluation_interval: 15s\ntests:\n  - interval: 15s\n    input_series:\n")
        for series, values in synthetic_series():
            f.write(f"      - series: {yaml_str(series)}\n        values: {yaml_str(values)}\n")
        f.write("    promql_expr_test:\n")
        for where, expr in concrete:
            f.write(f"      # {where}\n      - expr: {yaml_str(f'clamp_max(count({expr}), 1)')}\n"
                    "        eval_time: 3m\n        exp_samples:\n          - labels: '{}'\n            value: 1\n")


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--emit-promtool"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    fail = Failures()
    try:
        with open(argv[1], encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        print(f"FAIL {argv[1]}: {e}")
        return 1
    check_contract(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "driftd",
                                "README.md"), fail)
    exprs = check_dashboard(dash, fail)
    used = set()
    for where, expr in exprs:
        used |= check_expr(expr, where, fail)
    if len(argv) == 4:
        emit_promtool(exprs, argv[3])
    panels = [p for p in dash.get("panels", []) if p.get("type") != "row"]
    print(f"{argv[1]}: {len(panels)} panels, {len(exprs)} expressions, {len(used)} series names used")
    unused = sorted(set(CONTRACT) - {m.rsplit('_bucket', 1)[0] for m in used})
    if unused:
        print(f"  (contract metrics no panel shows: {', '.join(unused)})")
    for item in fail.items:
        print(f"FAIL {item}")
    return 1 if fail.items else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
