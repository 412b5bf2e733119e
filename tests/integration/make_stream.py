#!/usr/bin/python3
"""A deterministic two-model event stream for the Kafka integration tests.

  make_stream.py OUTDIR [--events N] [--onset K] [--invalid-every J] [--seed S]

Writes into OUTDIR:
  drifty.csv, steady.csv   reference samples of the two models
  events.jsonl             the valid events, in order: `driftd replay` input
  messages.b64             every Kafka message (valid events with invalid ones
                           mixed in), one base64 line each (kafka_io.py b64lines)
  invalid.json             the injected invalid messages: [{"b64", "reason"}]

Model `drifty` (or those named by --drifting) shifts feature x by one standard deviation from its K-th event
(until --drift-end, if given); `steady` never changes. Every J-th message is invalid, cycling through the
reasons driftd must recognise (include/driftd/README.md, "Events").
"""
import argparse
import base64
import json
import os
import random

INVALID = [  # (reason, message bytes) — {ts} is filled in
    ("not_json", b"this is not json"),
    ("not_json", b'{"model_id": "drifty", "ts": 1, "features": {"x": 1.0'),  # truncated
    ("not_json", b""),
    ("not_object", b"[1, 2, 3]"),
    ("unknown_model", b'{"model_id": "nobody", "ts": {ts}, "features": {"x": 1.0}}'),
    ("wrong_type", b'{"model_id": "steady", "ts": {ts}, "features": {"x": "high", "y": 1.0, "c": "a"}}'),
    ("non_finite", b'{"model_id": "drifty", "ts": {ts}, "features": {"x": 1e999, "y": 1.0, "c": "a"}}'),
    ("bad_timestamp", b'{"model_id": "steady", "ts": "yesterday", "features": {"x": 1.0, "y": 1.0, "c": "a"}}'),
    ("not_json", bytes(range(256))),
    ("too_large", b'{"model_id": "drifty", "ts": {ts}, "features": {"x": 1.0}, "pad": "' + b"z" * 5000 + b'"}'),
]


def event(rng, model, i, onset, end, drifting, ts):
    shift = 1.0 if model in drifting and onset <= i < end else 0.0
    return {"model_id": model, "ts": ts,
            "features": {"x": round(rng.gauss(shift, 1.0), 6), "y": round(rng.gauss(0.0, 1.0), 6),
                         "c": rng.choice("abcd")}}


def reference_csv(rng, path, rows):
    with open(path, "w") as f:
        f.write("x,y,c\n")
        for _ in range(rows):
            f.write(f"{rng.gauss(0, 1):.6f},{rng.gauss(0, 1):.6f},{rng.choice('abcd')}\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--events", type=int, default=8000, help="events per model")
    parser.add_argument("--onset", type=int, default=4000, help="drifty's event index where x shifts")
    parser.add_argument("--drift-end", type=int, default=None, help="drifty's event index where x shifts back")
    parser.add_argument("--invalid-every", type=int, default=100, help="0: no invalid messages")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start-ts", type=int, default=1763800000000)
    parser.add_argument("--models", default="drifty,steady")
    parser.add_argument("--drifting", default="drifty", help="the models that drift, comma-separated")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    models = args.models.split(",")
    for model in models:
        reference_csv(rng, os.path.join(args.outdir, f"{model}.csv"), 2000)

    invalid = []
    with open(os.path.join(args.outdir, "events.jsonl"), "w") as events, \
            open(os.path.join(args.outdir, "messages.b64"), "w") as messages:
        sent = 0
        for i in range(args.events):
            for model in models:
                ts = args.start_ts + (i * len(models) + models.index(model)) * 100
                line = json.dumps(event(rng, model, i, args.onset, args.drift_end or args.events, args.drifting.split(","), ts), separators=(",", ":"))
                events.write(line + "\n")
                messages.write(base64.b64encode(line.encode()).decode() + "\n")
                sent += 1
                if args.invalid_every and sent % args.invalid_every == 0:
                    reason, raw = INVALID[len(invalid) % len(INVALID)]
                    raw = raw.replace(b"{ts}", str(ts).encode())
                    b64 = base64.b64encode(raw).decode()
                    messages.write(b64 + "\n")
                    invalid.append({"b64": b64, "reason": reason})
    with open(os.path.join(args.outdir, "invalid.json"), "w") as f:
        json.dump(invalid, f)


if __name__ == "__main__":
    main()
