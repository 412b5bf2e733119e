#!/usr/bin/python3
"""Garbage on the input topic never stops `driftd run`, and every bad message
is counted under the right reason and dead-lettered unchanged (include/driftd/README.md, "Events", "Dead letters").

A valid two-model stream (make_stream.py, 3000 events per model) with ~10 %
malformed messages mixed in at random places, generated with a fixed seed:
random bytes (invalid UTF-8, NUL bytes), truncated events, wrong types,
1e999/-1e999, NaN/Infinity tokens, unknown models, messages over
input.max_bytes (4096), empty messages, JSON that is not an object, and
messages with several problems at once (the first reason in the order
too_large, not_json, not_object, unknown_model, wrong_type, non_finite,
bad_timestamp wins). A few valid events that look suspicious (1e999 in a
categorical column or an ignored field, exactly max_bytes long, repeated
keys, ...) are mixed in too and must be consumed.

Checked:
  1. driftd stays up through all of it (/healthz), and exits 0 on SIGTERM;
  2. driftd_events_invalid_total{reason} equals the injected count for every
     reason, and nothing else is counted invalid;
  3. driftd_events_consumed_total{model} equals the valid events per model;
  4. the dead-letter topic holds exactly the injected messages: the same
     bytes, the expected `driftd-error` header, and source coordinates that
     point at the very message on the input topic;
  5. /v1/status counts every message sent.

When a reason is wrong, the failure lists each message (base64 and a
printable excerpt) with the reason expected and the one driftd gave.

usage: test_garbage.py DRIFTD
"""
import base64
import collections
import copy
import json
import os
import random
import sys
import tempfile

import harness
from harness import check

MAX_BYTES = 4096  # harness.write_config sets input.max_bytes to this
MAX_DEPTH = 64  # levels of arrays and objects, the outermost included
REASONS = ["too_large", "not_json", "not_object", "unknown_model", "wrong_type", "non_finite", "bad_timestamp"]
SEED = 20261201
EVENTS_PER_MODEL = 3000
INVALID_SHARE = 0.10

driftd = sys.argv[1]
work = tempfile.mkdtemp(prefix="driftd-it-garbage-")
harness.make_stream(work, "--events", str(EVENTS_PER_MODEL), "--invalid-every", "0", "--seed", "11")
with open(os.path.join(work, "events.jsonl")) as f:
    events = [json.loads(line) for line in f]
rng = random.Random(SEED)


def dumps(value):
    return json.dumps(value, separators=(",", ":")).encode()


def a_valid_event():
    return copy.deepcopy(rng.choice(events))


def with_features(model=None, **changes):
    """A valid event's bytes (of `model`, if given) with some features replaced by raw JSON text."""
    event = a_valid_event()
    event["model_id"] = model or event["model_id"]
    for name in changes:
        event["features"][name] = f"@@{name}@@"
    text = dumps(event)
    for name, raw in changes.items():
        text = text.replace(f'"@@{name}@@"'.encode(), raw)
    return text


def with_field(name, raw, model="drifty"):
    """A valid event of `model` whose top-level field `name` is raw JSON text (None: left out)."""
    event = a_valid_event()
    event["model_id"] = model
    if raw is None:
        del event[name]
        return dumps(event)
    event[name] = "@@field@@"
    return dumps(event).replace(b'"@@field@@"', raw)


def padded(size, model="steady"):
    """A valid event of exactly `size` bytes, padded in an ignored top-level field."""
    event = a_valid_event()
    event["model_id"] = model
    event["pad"] = ""
    text = dumps(event)
    event["pad"] = "z" * (size - len(text))
    text = dumps(event)
    assert len(text) == size
    return text


# Hand-written cases, each sent once: (reason or the model of a valid event, bytes).
CASES = [
    # too_large, even when it is also not JSON
    ("too_large", padded(MAX_BYTES + 1)),
    ("too_large", padded(3 * MAX_BYTES, model="nobody")),
    ("too_large", b"\x00\xff" * MAX_BYTES),
    # (kafka_io.py's key_of() dies on 1000+ levels of "[": RecursionError is not caught)
    ("too_large", b"{" * (MAX_BYTES + 1)),
    ("not_json", b"[" * 900),
    ("steady", padded(MAX_BYTES)),  # exactly max_bytes is fine
    # not_json
    ("not_json", b""),
    ("not_json", b" "),
    ("not_json", b"\n"),
    ("not_json", b"\x00"),
    ("not_json", b"this is not json"),
    ("not_json", b'{"model_id":"drifty","ts":1,"features":{"x":NaN,"y":1.0,"c":"a"}}'),
    ("not_json", b'{"model_id":"drifty","ts":1,"features":{"x":Infinity,"y":1.0,"c":"a"}}'),
    ("not_json", b'{"model_id":"drifty","ts":1,"features":{"x":-Infinity,"y":1.0,"c":"a"}}'),
    ("not_json", b'{"model_id":"drifty","ts":1,"features":{"x":1.0,"y":1.0,"c":"a"},"extra":NaN}'),
    ("not_json", b"NaN"),
    ("not_json", with_features(x=b"01")),  # leading zero
    ("not_json", with_features(x=b"1.")),
    ("not_json", with_features(x=b".5")),
    ("not_json", with_features(x=b"+1")),
    ("not_json", with_features(x=b"0x10")),
    ("not_json", with_features(c=b"'a'")),
    ("not_json", with_features(c=b'"a\\x"')),  # bad escape
    ("not_json", with_features(c=b'"a\x01b"')),  # raw control character in a string
    ("not_json", with_features(c=b'"a\x00b"')),  # NUL in a string
    ("not_json", with_features(c=b'"\xc3\x28"')),  # invalid UTF-8 in a string
    ("not_json", with_features(c=b'"\xed\xa0\x80"')),  # a UTF-8-encoded surrogate
    ("not_json", with_features(c=b'"\xc0\xaf"')),  # overlong encoding
    ("not_json", with_features(c=b'"\\ud800"')),  # lone surrogate escape
    ("not_json", with_field("ignored", b'"\\ud800x"')),
    ("not_json", with_field("ignored", b"[1,2,]")),
    ("not_json", with_field("ignored", b'{"a":' * 100 + b"1" + b"}" * 100)),  # too deep
    ("not_json", with_field("ignored", b"[" * 65 + b"]" * 65)),  # 66 levels with the event's own
    ("not_json", with_features(z=b"[" * 64 + b"]" * 64)),  # 66 levels, in a feature not monitored
    ("not_json", b"[" * 65 + b"]" * 65),
    ("not_json", with_field("ignored", b'{"a" 1}')),
    ("not_json", with_field("ignored", b"tru")),
    ("not_json", with_field("ignored", b"nul")),
    ("not_json", dumps(events[0]) + b"\x00"),  # trailing NUL
    ("not_json", dumps(events[0]) + b"{}"),  # a second value
    ("not_json", dumps(events[0]) + b" x"),
    ("not_json", dumps(events[0])[:-1]),  # missing the last brace
    ("not_json", b'{"model_id":"drifty","features":{"x":1.0,"y":1.0,"c":"a"}}}'),
    ("not_json", b'{"model_id":"drifty" "features":{"x":1.0,"y":1.0,"c":"a"}}'),
    ("not_json", b'{"model_id":"drifty","features":{"x":1.0,"y":1.0,"c":"a"},}'),
    ("not_json", b'{model_id:"drifty","features":{"x":1.0,"y":1.0,"c":"a"}}'),
    ("not_json", b'{"model_id":"drifty","features":{"x":1.0,"y":1.0,"c":"a":1}}'),
    ("not_json", b"\xef\xbb\xbf" + dumps(events[0])),  # a UTF-8 BOM
    # several problems: not_json wins
    ("not_json", b'{"model_id":"nobody","ts":"yesterday","features":{"x":1e999,"y":"s","c":NaN}}'),
    ("not_json", b'{"model_id":7,"features":[1,2}'),
    ("not_json", b'[1,2,3' + b"\xff"),
    # not_object
    ("not_object", b"[1,2,3]"),
    ("not_object", b"[]"),
    ("not_object", b'"a string"'),
    ("not_object", b"42"),
    ("not_object", b"-1.5e3"),
    ("not_object", b"1e999"),  # valid JSON, if out of range
    ("not_object", b"true"),
    ("not_object", b"false"),
    ("not_object", b"null"),
    ("not_object", b"[" * 64 + b"]" * 64),  # 64 levels are fine
    ("not_object", b" 42 "),
    ("not_object", b"\t[{}]\r\n"),
    ("not_object", b"[" + dumps(events[1]) + b"]"),
    ("not_object", b'[{"model_id":"nobody","features":7}]'),
    # unknown_model (and it beats what follows it in the order)
    ("unknown_model", with_field("model_id", b'"nobody"')),
    ("unknown_model", with_field("model_id", b'"Drifty"')),
    ("unknown_model", with_field("model_id", b'"drifty "')),
    ("unknown_model", with_field("model_id", b'""')),
    ("unknown_model", with_field("model_id", None)),  # absent, with two models configured
    ("unknown_model", b'{"features":{"x":1.0,"y":1.0,"c":"a"},"model_id":"nobody"}'),
    ("unknown_model", b"{}"),
    ("unknown_model", b'{"model_id":"nobody","ts":"yesterday","features":{"x":1e999,"y":"s","c":{}}}'),
    ("unknown_model", b'{"features":"not an object","model_id":"ghost"}'),
    ("unknown_model", b'{"ts":-5,"features":{"x":1e999}}'),
    # wrong_type
    ("wrong_type", with_features(x=b'"high"')),
    ("wrong_type", with_features(x=b'"1.0"')),
    ("wrong_type", with_features(y=b"true")),
    ("wrong_type", with_features(y=b"[1.0]")),
    ("wrong_type", with_features(x=b'{"v":1.0}')),
    ("wrong_type", with_features(c=b'["a"]')),
    ("wrong_type", with_features(c=b"{}")),
    ("wrong_type", with_field("model_id", b"7")),
    ("wrong_type", with_field("model_id", b"null")),
    ("wrong_type", with_field("model_id", b"true")),
    ("wrong_type", with_field("model_id", b'["drifty"]')),
    ("wrong_type", with_field("model_id", b'{"id":"drifty"}')),
    ("wrong_type", b'{"model_id":"steady","ts":1,"features":[1.0,2.0,"a"]}'),
    ("wrong_type", b'{"model_id":"steady","ts":1,"features":"x=1"}'),
    ("wrong_type", b'{"model_id":"steady","ts":1,"features":null}'),
    ("wrong_type", b'{"model_id":"steady","ts":1,"features":42}'),
    ("wrong_type", b'{"features":{"x":"a","y":1.0,"c":"a"},"model_id":"drifty"}'),  # features first
    # several problems: wrong_type beats non_finite and bad_timestamp, in any order
    ("wrong_type", b'{"model_id":"drifty","ts":"yesterday","features":{"x":1e999,"y":"s","c":"a"}}'),
    ("wrong_type", b'{"features":{"x":-1e999,"y":1.0,"c":["a"]},"ts":-1,"model_id":"steady"}'),
    ("wrong_type", b'{"model_id":5,"ts":"yesterday","features":{"x":1e999}}'),
    # non_finite
    ("non_finite", with_features(x=b"1e999")),
    ("non_finite", with_features(x=b"-1e999")),
    ("non_finite", with_features(y=b"1e309")),
    ("non_finite", with_features(y=b"-2.5E+400")),
    ("non_finite", with_features(x=b"123456789" * 40)),  # an integer of 360 digits
    ("non_finite", b'{"features":{"x":1e999,"y":1.0,"c":"a"},"model_id":"drifty"}'),  # features first
    ("non_finite", b'{"model_id":"drifty","ts":"yesterday","features":{"x":1e999,"y":1.0,"c":"a"}}'),
    ("non_finite", b'{"ts":-1,"features":{"y":-1e999,"x":1e999,"c":"b"},"model_id":"steady"}'),
    # bad_timestamp
    ("bad_timestamp", with_field("ts", b'"yesterday"')),
    ("bad_timestamp", with_field("ts", b"-1")),
    ("bad_timestamp", with_field("ts", b"-0.5")),
    ("bad_timestamp", with_field("ts", b"1e999")),
    ("bad_timestamp", with_field("ts", b"1e30")),
    ("bad_timestamp", with_field("ts", b"99999999999999999999")),
    ("bad_timestamp", with_field("ts", b"true")),
    ("bad_timestamp", with_field("ts", b"[1]")),
    ("bad_timestamp", with_field("ts", b"{}")),
    ("bad_timestamp", with_field("ts", b'""')),
    ("bad_timestamp", with_field("ts", b'"1763800000000"')),
    ("bad_timestamp", with_field("ts", b'"2025-13-01T00:00:00Z"')),
    ("bad_timestamp", with_field("ts", b'"2025-02-29T00:00:00Z"')),  # not a leap year
    ("bad_timestamp", with_field("ts", b'"2025-11-22T08:26:40"')),  # no offset
    ("bad_timestamp", with_field("ts", b'"2025-11-22"')),
    ("bad_timestamp", with_field("ts", b'"1969-12-31T23:59:59Z"')),  # before the epoch
    ("bad_timestamp", b'{"ts":"soon","features":{"x":1.0,"y":1.0,"c":"a"},"model_id":"steady"}'),
    # valid, if odd: each must be consumed
    ("drifty", with_field("ts", b'"2025-11-22T08:26:40.123Z"')),
    ("drifty", with_field("ts", b'"2025-11-22 08:26:40+09:00"')),
    ("drifty", with_field("ts", b'"2016-12-31T23:59:60Z"')),  # a leap second
    ("drifty", with_field("ts", b"null")),
    ("drifty", with_field("ts", None)),  # the broker's timestamp
    ("drifty", with_field("ts", b"1763800000000.75")),
    ("steady", with_features("steady", c=b"1e999")),  # a number in a categorical column is a category
    ("steady", with_features("steady", c=b"true")),
    ("steady", with_features("steady", x=b"null", c=b"null")),  # missing values
    ("steady", with_features("steady", x=b"-0.0", y=b"1E-400")),  # underflow is zero, not infinite
    ("steady", with_features("steady", x=b"0.95000000000000000000000")),  # simdjson issue #2093
    ("drifty", with_field("ignored", b"1e999")),  # out of range, but ignored
    ("drifty", with_field("ignored", b'{"deep":[[[[[[[[[[1]]]]]]]]]],"s":"\\u00e9\\ud83d\\ude00"}')),
    ("drifty", with_field("ignored", b"[" * 63 + b"]" * 63)),  # 64 levels with the event's own
    ("steady", with_features("steady", z=b"[" * 62 + b"]" * 62)),
    ("drifty", with_field("label", b'"fraud"')),
    ("drifty", b'{"model_id":"drifty","model_id":"nobody","features":{"x":1.0,"x":"s","y":1.0,"c":"a"}}'),
    ("drifty", b'{"features":{"x":1.5,"y":-1.0,"c":"b","other":{"z":[1e999]}},"model_id":"drifty"}'),
    ("drifty", b' \t\r\n{"model_id":"drifty","features":{"x":1.0,"y":2.0,"c":"d"}} \t\r\n'),
    ("steady", '{"model_id":"steady","features":{"x":0.5,"y":0.25,"c":"é日本"}}'.encode()),
    ("steady", b'{"model_id":"steady","features":{"x":0.5,"y":0.25,"c":"\\u0000"}}'),
    ("steady", b'{"model_id":"steady","features":{}}'),
    ("steady", b'{"model_id":"steady","features":{"c\\u0000":1e999}}'),
]


def random_bytes():
    """Random bytes holding a NUL or an 0xFF somewhere: never JSON, never UTF-8 text with a NUL."""
    data = bytearray(rng.randbytes(rng.randint(1, 400)))
    data[rng.randrange(len(data))] = rng.choice((0x00, 0xFF, 0xC0, 0xFE))
    return "not_json", bytes(data)


def random_text():
    """Printable junk, the way a wrong producer writes it; not_json unless Python's parser disagrees."""
    alphabet = 'abcxyz019 :,.-+eE"{}[]\\'
    return None, "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120))).encode()


def truncated():
    text = dumps(rng.choice(events))
    return "not_json", text[:rng.randint(1, len(text) - 1)]


def wrong_type():
    name = rng.choice("xyc")
    raw = {"x": [b'"1.0"', b"true", b"false", b"[]", b"{}"], "y": [b'"n/a"', b"[0.5]", b'{"v":1}'],
           "c": [b"[]", b'{"k":"a"}', b'["a","b"]']}[name]
    return "wrong_type", with_features(**{name: rng.choice(raw)})


def non_finite():
    sign = rng.choice((b"", b"-"))
    return "non_finite", with_features(**{rng.choice("xy"): sign + rng.choice((b"1e999", b"9e308", b"1E+1000"))})


def not_finite_token():
    return "not_json", with_features(**{rng.choice("xy"): rng.choice((b"NaN", b"nan", b"Infinity", b"-Infinity",
                                                                      b"inf", b"-inf"))})


def unknown_model():
    return "unknown_model", with_field("model_id", dumps(rng.choice(["nobody", "fraud-v3", "DRIFTY", "steady2"])))


def not_object():
    return "not_object", dumps(rng.choice([[1, 2, 3], "drifty", 3.25, None, True, [rng.choice(events)], []]))


def too_large():
    if rng.random() < 0.5:
        return "too_large", padded(rng.randint(MAX_BYTES + 1, 2 * MAX_BYTES), model=rng.choice(["drifty", "steady"]))
    return "too_large", rng.randbytes(rng.randint(MAX_BYTES + 1, MAX_BYTES + 2000))


def bad_timestamp():
    return "bad_timestamp", with_field("ts", rng.choice([b"-1000", b'"now"', b'"2025-11-31T00:00:00Z"',
                                                         b"false", b'"1763800000123"', b"1e20"]))


def empty():
    return "not_json", rng.choice([b"", b"", b" ", b"\r\n"])


GENERATORS = [random_bytes, random_text, truncated, wrong_type, non_finite, not_finite_token, unknown_model,
              not_object, too_large, bad_timestamp, empty]


def python_says(data):
    """An independent check of the generator: not_json / not_object / json, by Python's strict parser."""
    if len(data) > MAX_BYTES:
        return "too_large"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not_json"
    if text.startswith("\ufeff"):
        return "not_json"

    def refuse(token):
        raise ValueError(token)

    def depth(value):
        """Levels of arrays and objects; a ValueError for a lone surrogate, which Python lets through."""
        if isinstance(value, str):
            if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
                raise ValueError("lone surrogate")
            return 0
        if isinstance(value, dict):
            return 1 + max((max(depth(k), depth(v)) for k, v in value.items()), default=0)
        if isinstance(value, list):
            return 1 + max((depth(v) for v in value), default=0)
        return 0

    try:
        value = json.loads(text, parse_constant=refuse)
        if depth(value) > MAX_DEPTH:
            return "not_json"  # Python allows ~1000 levels
    except (ValueError, RecursionError):
        return "not_json"
    return "json" if isinstance(value, dict) else "not_object"


# Assemble: the valid events in order, the invalid and odd ones at random places.
injected = list(CASES)  # (expected, bytes); expected is a reason or, for a valid event, its model
valid_count = len(events) + sum(1 for expected, _ in CASES if expected not in REASONS)
target = int(INVALID_SHARE * valid_count / (1 - INVALID_SHARE))
while sum(1 for expected, _ in injected if expected in REASONS) < target:
    expected, data = rng.choice(GENERATORS)()
    if expected is None:
        expected = python_says(data)
        if expected == "json":
            continue  # random text that happens to be an object: not what we want here
    injected.append((expected, data))

for expected, data in injected:
    said = python_says(data)
    if expected in ("too_large", "not_json", "not_object"):
        agree = said == expected
    else:
        agree = said == "json"
    if not agree:
        harness.fail(f"the generator is wrong: {data[:120]!r} is {said} to Python, expected {expected}")

messages = [(dumps(e), e["model_id"]) for e in events]  # (bytes, a reason or the model of a valid event)
for expected, data in injected:
    messages.insert(rng.randint(0, len(messages)), (data, expected))

invalid = [(data, expected) for data, expected in messages if expected in REASONS]
per_model = collections.Counter(expected for _, expected in messages if expected not in REASONS)
per_reason = collections.Counter(expected for _, expected in invalid)
total = len(messages)
check(set(per_reason) == set(REASONS),
      f"{len(invalid)} invalid of {total} messages ({100 * len(invalid) / total:.1f} %), every reason: "
      + ", ".join(f"{r} {per_reason[r]}" for r in REASONS))
b64_path = os.path.join(work, "messages.b64")
with open(b64_path, "w") as f:
    for data, _ in messages:
        f.write(base64.b64encode(data).decode() + "\n")
config = os.path.join(work, "driftd.yaml")


def raw(value):
    if value is None:
        return b""
    return base64.b64decode(value["b64"]) if isinstance(value, dict) else value.encode()


def show(data):
    return f"{base64.b64encode(data).decode()[:80]} = {data[:100]!r}{'...' if len(data) > 100 else ''}"


sandbox = harness.Sandbox(driftd, "ml.events:4,ml.drift.alerts:1,ml.retrain.triggers:1,ml.events.dlq:1")
try:
    harness.write_config(config, sandbox.bootstrap, ["drifty", "steady"])
    daemon = harness.Daemon(driftd, config, name="driftd-garbage")
    sent = harness.produce(sandbox.bootstrap, "ml.events", b64_path, "b64lines")
    check(sent == total, f"produced {sent} messages")

    def processed():
        if daemon.process.poll() is not None:
            harness.fail(f"driftd exited with {daemon.process.returncode} while reading the garbage; its log ends: "
                         f"{daemon.log_text()[-2000:]}")
        return daemon.status()["messages"] >= total
    harness.wait_for(f"driftd to process the {total} messages", processed, timeout_s=90)

    # 1. Still up.
    check(daemon.process.poll() is None and daemon.get("/healthz")[0] == 200,
          "driftd is up and /healthz answers 200 after all the garbage")

    # 4. The dead-letter topic, first: it tells which message got which reason.
    # Read until idle rather than --expect, so that a missing dead letter is reported message by message.
    dlq = [json.loads(line) for line in
           harness.consume(sandbox.bootstrap, "ml.events.dlq", idle_ms=3000, timeout_s=60, output_format="json")]
    source = {(m["partition"], m["offset"]): raw(m["value"]) for m in
              (json.loads(line) for line in
               harness.consume(sandbox.bootstrap, "ml.events", expect=total, output_format="json"))}
    got = collections.Counter((raw(m["value"]), m["headers"].get("driftd-error")) for m in dlq)
    want = collections.Counter(invalid)
    if got != want:
        given = collections.defaultdict(list)
        for (data, reason), n in got.items():
            given[data] += [reason] * n
        lines = []
        for (data, reason), n in sorted((want - got).items()):
            lines.append(f"  expected {reason}, driftd gave {given.get(data) or 'nothing (not dead-lettered)'}: "
                         f"{show(data)}")
        for (data, reason), n in sorted((got - want).items()):
            if data not in {d for d, _ in want}:
                lines.append(f"  dead-lettered but valid: {reason}: {show(data)}")
        harness.fail("the dead-letter topic differs from the injected messages:\n" + "\n".join(lines))
    check(True, f"the dead-letter topic holds the {len(invalid)} invalid messages and nothing else, byte for "
          f"byte, each with the expected driftd-error header")
    check(all(m["headers"].get("driftd-source-topic") == "ml.events" and
              source.get((int(m["headers"]["driftd-source-partition"]),
                          int(m["headers"]["driftd-source-offset"]))) == raw(m["value"]) for m in dlq),
          "each dead letter's source topic/partition/offset points at that very message on ml.events")
    empties = [m for m in dlq if raw(m["value"]) == b""]
    check(all(m["value"] == "" for m in empties),
          f"the {len(empties)} empty messages are dead-lettered as empty values, not as null (tombstones)")

    # 2, 3. Metrics.
    harness.wait_for("the metrics to count every event",
                     lambda: all(daemon.metric("driftd_events_consumed_total", model=m) == n
                                 for m, n in per_model.items()), timeout_s=10)
    text = daemon.metrics()
    for model, count in sorted(per_model.items()):
        check(harness.metric_value(text, "driftd_events_consumed_total", model=model) == count,
              f"driftd_events_consumed_total{{model={model}}} = {count}")
    for reason in REASONS:
        value = harness.metric_value(text, "driftd_events_invalid_total", reason=reason)
        check(value == per_reason[reason], f"driftd_events_invalid_total{{reason={reason}}} = {per_reason[reason]} "
              f"(driftd: {value})")
    counted = sum(float(line.rsplit(" ", 1)[1]) for line in text.split("\n")
                  if line.startswith("driftd_events_invalid_total{"))
    check(counted == len(invalid), f"driftd_events_invalid_total sums to {len(invalid)} over all reasons")
    check(harness.metric_value(text, "driftd_dead_lettered_total") == len(invalid),
          f"driftd_dead_lettered_total = {len(invalid)}")

    # 5. Status.
    status = daemon.status()
    check(status["messages"] == total and status["invalid"] == len(invalid) and
          [m["events"] for m in status["models"]] == [per_model["drifty"], per_model["steady"]],
          f"/v1/status: {status['messages']} messages, {status['invalid']} invalid, "
          f"events {[m['events'] for m in status['models']]}")

    # 1. Graceful to the end.
    daemon.stop()
finally:
    harness.teardown(sandbox)
print("PASS")
