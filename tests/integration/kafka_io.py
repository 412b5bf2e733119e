#!/usr/bin/python3
"""Produce files to Kafka and read topics back, for integration tests and the demo.

Run it with Debian's /usr/bin/python3 (python3-kafka 2.0.2 imports only there).

  kafka_io.py produce --bootstrap B --topic T --input FILE [--input-format jsonl|b64lines]
                      [--key-field model_id | --raw-lines] [--partitions-by-key]
      One message per input line. jsonl: the line's bytes are the value (without
      the newline; an empty line is an empty message); the key is the line's
      `--key-field` when the line is a JSON object whose field is a string or a
      number, else no key (lines that are not JSON are sent anyway: tests inject
      garbage on purpose). b64lines: each line is the base64 of the message, so
      that any bytes (and empty messages) can be sent; keys as for jsonl.
      --raw-lines: no key at all. Placement: keyed messages go where
      kafka-python's murmur2 partitioner puts them (as Java clients and
      librdkafka's murmur2 partitioners do); keyless ones are spread. With
      --partitions-by-key the k-th distinct key (in order of first appearance)
      goes to partition k mod P, so that a few keys spread evenly; keyless
      messages then go round-robin; --key-partitions KEY=P,... fixes the slot of
      some keys (so that a model keeps its partition across runs). Prints the number of messages sent; exit 1
      if any send failed.

  kafka_io.py consume --bootstrap B --topic T [--expect N] [--idle-ms 3000]
                      [--timeout-s 60] [--headers | --output-format lines|b64lines|json]
      Reads every partition of T from the beginning, without a consumer group
      (nothing is committed). Writes one line per message on stdout:
        lines     the value as is (default),
        b64lines  the base64 of the value,
        json      {"partition","offset","timestamp","key","value","headers"} with
                  key/value/header values as UTF-8 strings, or
                  {"b64": "..."} objects when they are not valid UTF-8;
                  key/value null when absent. --headers is short for json.
      Messages of one partition come in offset order; partitions interleave.
      Stops at the first of:
        - N messages read (with --expect N); exit 0;
        - --idle-ms without a new message, counted from the last message, and
          only once at least one message was read (so a slow producer that has
          not started yet is waited for); --idle-ms 0 turns this off;
        - --timeout-s since start.
      Exit 1 when --expect N was given and fewer than N messages were read,
      else 0. With no --expect, an empty topic ends at --timeout-s.

Both commands exit 2 on bad arguments or an unreadable input file, and 1 on a
Kafka error or when --timeout-s (default 60) passes before they are done, e.g.
with an unreachable broker, where kafka-python would otherwise wait forever. The mock
cluster (`driftd kafka-sandbox`) works with kafka-python as it is; we give
api_version explicitly (default 2.5.0) to skip the version probe, which can
time out on a loaded machine; `--api-version auto` probes.
"""

import argparse
import base64
import json
import logging
import signal
import sys
import time

try:
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.errors import KafkaError
except ImportError:
    sys.exit("kafka_io.py: python3-kafka is missing; run with /usr/bin/python3 "
             "(apt-get install -y python3-kafka)")


def api_version(text):
    if text == "auto":
        return None
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected auto or X.Y.Z, not {text!r}")


def read_messages(path, input_format):
    """The messages of the input file, as bytes, one per line."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":  # the newline that ends the last line
        lines.pop()
    if input_format == "jsonl":
        return lines
    messages = []
    for number, line in enumerate(lines, 1):
        try:
            messages.append(base64.b64decode(line.strip(), validate=True))
        except ValueError:
            sys.exit(f"kafka_io.py: {path}:{number}: not base64")
    return messages


def key_of(message, field):
    try:
        event = json.loads(message)
    except (ValueError, UnicodeDecodeError, RecursionError):  # garbage is sent on purpose
        return None
    if not isinstance(event, dict):
        return None
    value = event.get(field)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value).encode()


class Deadline(Exception):
    pass


def start_watchdog(seconds):
    """kafka-python blocks without limit in places (metadata with no broker up):
    a timer interrupts whatever it is doing."""
    def expire(signum, frame):
        raise Deadline()
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def produce(args):
    messages = read_messages(args.input, args.input_format)
    producer = KafkaProducer(bootstrap_servers=args.bootstrap.split(","), api_version=args.api_version,
                             acks=1, linger_ms=20, batch_size=256 * 1024, retries=5,
                             max_request_size=16 * 1024 * 1024)
    partitions = None
    if args.partitions_by_key:
        partitions = sorted(producer.partitions_for(args.topic))
    # --key-partitions: fixed slots for some keys, so that a model stays on
    # its partition across several produce runs.
    slots = {}
    for pair in filter(None, (args.key_partitions or "").split(",")):
        key, slot = pair.rsplit("=", 1)
        slots[key.encode()] = int(slot)
    futures = []
    for i, message in enumerate(messages):
        key = None if args.raw_lines else key_of(message, args.key_field)
        partition = None
        if partitions:
            slot = slots.setdefault(key, len(slots)) if key is not None else i  # new keys: the next slot
            partition = partitions[slot % len(partitions)]
        futures.append(producer.send(args.topic, value=message, key=key, partition=partition))
    producer.flush()
    producer.close()
    failed = [f.exception for f in futures if f.failed()]
    if failed:
        print(f"kafka_io.py: {len(failed)} of {len(futures)} messages not sent, first error: {failed[0]!r}",
              file=sys.stderr)
        return 1
    print(len(futures))
    return 0


def text_or_b64(data):
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"b64": base64.b64encode(data).decode()}


def consume(args):
    start = time.monotonic()
    deadline = start + args.timeout_s
    consumer = KafkaConsumer(bootstrap_servers=args.bootstrap.split(","), api_version=args.api_version,
                             group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100,
                             max_partition_fetch_bytes=4 * 1024 * 1024)
    # The topic may not exist yet when a test starts us early.
    partitions = consumer.partitions_for_topic(args.topic)
    while not partitions and time.monotonic() < deadline:
        time.sleep(0.1)
        consumer.topics()  # refreshes the metadata
        partitions = consumer.partitions_for_topic(args.topic)
    if not partitions:
        print(f"kafka_io.py: topic {args.topic} not found within {args.timeout_s} s", file=sys.stderr)
        return 1 if args.expect is not None else 0
    assignment = [TopicPartition(args.topic, p) for p in sorted(partitions)]
    consumer.assign(assignment)
    consumer.seek_to_beginning(*assignment)

    out = sys.stdout.buffer
    count = 0
    last_message = None
    while args.expect is None or count < args.expect:
        now = time.monotonic()
        if now >= deadline:
            break
        if args.idle_ms > 0 and last_message is not None and now - last_message >= args.idle_ms / 1000:
            break
        batches = consumer.poll(timeout_ms=100, max_records=10000)
        for records in batches.values():
            for record in records:
                if args.expect is not None and count >= args.expect:
                    break
                count += 1
                if args.output_format == "lines":
                    out.write(record.value + b"\n")
                elif args.output_format == "b64lines":
                    out.write(base64.b64encode(record.value) + b"\n")
                else:
                    line = {"partition": record.partition, "offset": record.offset,
                            "timestamp": record.timestamp, "key": text_or_b64(record.key),
                            "value": text_or_b64(record.value),
                            "headers": {name: text_or_b64(value) for name, value in record.headers}}
                    out.write(json.dumps(line).encode() + b"\n")
                last_message = time.monotonic()
        out.flush()
    consumer.close()
    if args.expect is not None and count < args.expect:
        print(f"kafka_io.py: read {count} of the {args.expect} expected messages from {args.topic} "
              f"in {time.monotonic() - start:.1f} s", file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(command):
        command.add_argument("--bootstrap", required=True, help="bootstrap servers, comma-separated")
        command.add_argument("--topic", required=True)
        command.add_argument("--api-version", type=api_version, default=(2, 5, 0),
                             help="Kafka protocol version to assume (X.Y.Z), or auto to probe (default 2.5.0)")
        command.add_argument("--verbose", action="store_true", help="kafka-python's log on stderr")

    p = commands.add_parser("produce", help="send the lines of a file as messages")
    common(p)
    p.add_argument("--input", required=True, help="input file, - for stdin")
    p.add_argument("--input-format", choices=["jsonl", "b64lines"], default="jsonl")
    p.add_argument("--key-field", default="model_id", help="JSON field whose value is the key (default model_id)")
    p.add_argument("--raw-lines", action="store_true", help="no keys: send the lines as they are")
    p.add_argument("--timeout-s", type=float, default=60, help="give up after this long (default 60)")
    p.add_argument("--key-partitions", metavar="KEY=P,...",
                   help="with --partitions-by-key: these keys go to these partition slots")
    p.add_argument("--partitions-by-key", action="store_true",
                   help="k-th distinct key to partition k mod P (keyless: round-robin)")

    c = commands.add_parser("consume", help="read a topic from the beginning, values on stdout")
    common(c)
    c.add_argument("--expect", type=int, help="stop after N messages; exit 1 if fewer arrive")
    c.add_argument("--idle-ms", type=int, default=3000,
                   help="stop after this long without a message, once one was read; 0: never (default 3000)")
    c.add_argument("--timeout-s", type=float, default=60, help="stop after this long in all (default 60)")
    c.add_argument("--output-format", choices=["lines", "b64lines", "json"], default="lines")
    c.add_argument("--headers", dest="output_format", action="store_const", const="json",
                   help="same as --output-format json")

    args = parser.parse_args()
    # Unreachable brokers make kafka-python log an error every few ms; our own
    # message says what failed.
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL, stream=sys.stderr)
    # consume() stops by itself at the deadline; the watchdog, a little later,
    # is for where kafka-python blocks.
    start_watchdog(args.timeout_s + (2 if args.command == "consume" else 0))
    try:
        return produce(args) if args.command == "produce" else consume(args)
    except Deadline:
        print(f"kafka_io.py: {args.command} on {args.topic} at {args.bootstrap} not done within "
              f"{args.timeout_s} s (is the broker up?)", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"kafka_io.py: {e}", file=sys.stderr)
        return 2
    except KafkaError as e:
        print(f"kafka_io.py: {e!r}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
