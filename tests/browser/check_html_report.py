#!/usr/bin/env python3
"""`driftd score --format html` opened in a real browser.

Writes two CSV files (numeric and categorical columns, fixed seeds, drift in
some columns), runs the real driftd on them, opens the report in Debian's
headless chromium and drives it over the Chrome DevTools Protocol: every
feature's plot is laid out with a non-zero size and bars of both samples,
the verdict is visible, the console stays free of errors and the page asks
the network for nothing but its own file. Saves the report, a full-page
screenshot, one of the print layout and a PDF print under ARTIFACTS.

usage: check_html_report.py DRIFTD ARTIFACTS
"""
import base64
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # Debian's python3-websocket

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DEADLINE_SECONDS = 150  # whole test; ctest's TIMEOUT is above it
ODD_NAME = "<i>odd</i> & \"name\""  # a column name that is markup


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def write_fixtures(directory):
    """Reference and current CSVs: amount and tenure shift, country's mix
    changes, the rest stay; some cells missing."""
    header = ["amount", "age", "tenure", "country", "plan", "is_new", ODD_NAME]
    countries = ["DE", "FR", "KR", "US", "BR", "IN", "<b>XX</b>"] + ["C%02d" % k for k in range(30)]

    def rows(seed, n, drift):
        rng = random.Random(seed)
        for row in range(n):
            amount = rng.lognormvariate(3.4 if drift else 3.0, 0.6)
            if drift and row == 7:
                amount = 250000.0  # one far outlier: the outer bars take the tails
            age = "" if rng.random() < 0.02 else str(rng.randint(18, 80))
            tenure = rng.gauss(14 if drift else 10, 3)
            weights = [1 + (k % 5) for k in range(len(countries))]
            if drift:
                weights[2] *= 6
            country = rng.choices(countries, weights)[0]
            plan = rng.choice(["free", "pro", "team"])
            is_new = "true" if rng.random() < 0.3 else "false"
            odd = rng.choice(["a", "b", "c"])
            yield ["%.2f" % amount, age, "%.3f" % tenure, country, plan, is_new, odd]

    def write(name, seed, n, drift):
        path = os.path.join(directory, name)
        with open(path, "w", encoding="utf-8") as out:
            out.write(",".join('"%s"' % h.replace('"', '""') for h in header) + "\n")
            for row in rows(seed, n, drift):
                out.write(",".join(row) + "\n")
        return path

    return write("reference.csv", 11, 4000, False), write("current.csv", 12, 2500, True)


class DevTools:
    """A minimal CDP client: commands wait for their answer; events seen
    meanwhile are kept for the checks."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                check("error" not in message, "%s failed: %s" % (method, message.get("error")))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if any(e["method"] == method for e in self.events):
                return
            self.ws.settimeout(max(0.1, end - time.monotonic()))
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            finally:
                self.ws.settimeout(30)
            if "method" in message:
                self.events.append(message)
        raise Failure("no %s within %s s" % (method, seconds))

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        check("exceptionDetails" not in result, "evaluation failed: %s" % result.get("exceptionDetails"))
        return result["result"].get("value")

    def close(self):
        self.ws.close()


def start_chromium(profile):
    args = [CHROMIUM, "--headless=new", "--remote-debugging-port=0", "--user-data-dir=" + profile,
            "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--window-size=1400,1000", "about:blank"]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # chromium refuses to run as root with its sandbox
    log = open(os.path.join(profile, "..", "chromium.log"), "wb")
    # Its own process group, so that every helper process goes with it.
    return subprocess.Popen(args, stdout=log, stderr=log, start_new_session=True), log


def stop_chromium(process):
    """Ends chromium and every helper process of its group."""
    if process is None:
        return
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return  # the whole group is gone
        try:
            process.wait(wait)
            break
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(process.pid, signal.SIGKILL)  # helpers that outlived the browser
    except ProcessLookupError:
        pass


def page_websocket(profile, process):
    port_file = os.path.join(profile, "DevToolsActivePort")
    end = time.monotonic() + 30
    while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
        check(process.poll() is None, "chromium exited with %s before listening" % process.returncode)
        check(time.monotonic() < end, "chromium wrote no DevToolsActivePort in 30 s")
        time.sleep(0.1)
    time.sleep(0.1)  # the file is written in one go, but let it finish
    port = int(open(port_file).read().split()[0])
    end = time.monotonic() + 15
    while True:
        with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=10) as answer:
            pages = [t for t in json.load(answer) if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        check(time.monotonic() < end, "chromium shows no page target")
        time.sleep(0.2)


# Runs in the page: what a reader would see, measured.
INSPECT = r"""
(() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return {w: r.width, h: r.height}; };
  const verdict = document.getElementById('verdict');
  const style = verdict ? getComputedStyle(verdict) : null;
  const bars = (svg, cls) => [...svg.querySelectorAll('rect.' + cls)]
      .filter(r => !r.closest('.legend')).map(box).filter(b => b.w > 0 && b.h > 0).length;
  return {
    title: document.title,
    verdict: verdict ? {text: verdict.textContent, ...box(verdict), visibility: style.visibility,
                        display: style.display, opacity: style.opacity, color: style.color} : null,
    verdict_background: verdict ? getComputedStyle(verdict.closest('header')).backgroundColor : null,
    cards: [...document.querySelectorAll('article.card')].map(card => {
      const svg = card.querySelector('svg.plot');
      return {name: card.querySelector('h3').textContent,
              plot: svg ? box(svg) : null,
              ref_bars: svg ? bars(svg, 'ref') : 0,
              cur_bars: svg ? bars(svg, 'cur') : 0,
              stats_rows: card.querySelectorAll('table.stats tbody tr').length};
    }),
    result_rows: document.querySelectorAll('table.results tbody tr').length,
    scripts: document.scripts.length,
    page: {w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight},
  };
})()
"""


def run(driftd, artifacts, work):
    reference, current = write_fixtures(work)
    expected = subprocess.run([driftd, "score", "--reference", reference, "--current", current],
                              capture_output=True, timeout=60)
    check(expected.returncode in (0, 1), "driftd score (json) failed: %s" % expected.stderr.decode())
    expected = json.loads(expected.stdout)
    report = subprocess.run([driftd, "score", "--reference", reference, "--current", current, "--format", "html"],
                            capture_output=True, timeout=60)
    check(report.returncode == (1 if expected["drift"] else 0),
          "html exit code %d, json says drift=%s: %s" % (report.returncode, expected["drift"], report.stderr.decode()))
    check(expected["drift"], "the fixtures are meant to drift")
    os.makedirs(artifacts, exist_ok=True)
    html_path = os.path.abspath(os.path.join(artifacts, "score-report.html"))
    with open(html_path, "wb") as out:
        out.write(report.stdout)
    print("report:", html_path, "(%d bytes)" % len(report.stdout))
    file_url = "file://" + html_path

    profile = os.path.join(work, "profile")
    os.makedirs(profile)
    chromium = None
    log = None
    try:
        chromium, log = start_chromium(profile)
        tools = DevTools(page_websocket(profile, chromium))
        try:
            for domain in ("Page", "Runtime", "Log", "Network"):
                tools.send(domain + ".enable")
            tools.send("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1,
                       mobile=False)
            tools.events.clear()  # what about:blank did before is not the report's
            tools.send("Page.navigate", url=file_url)
            tools.wait_for("Page.loadEventFired", 30)
            seen = tools.evaluate(INSPECT)
            check_page(seen, expected)
            check_events(tools.events, file_url)

            metrics = tools.send("Page.getLayoutMetrics")
            size = metrics["cssContentSize"]
            shot = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                              clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
            png_path = os.path.join(artifacts, "score-report.png")
            with open(png_path, "wb") as out:
                out.write(base64.b64decode(shot["data"]))
            print("screenshot:", os.path.abspath(png_path))

            # Print: the verdict keeps its colour as text on white (no
            # background needed), and a PDF for the record.
            tools.send("Emulation.setEmulatedMedia", media="print")
            # A4 at 96 dpi less chromium's default margins of 1 cm.
            tools.send("Emulation.setDeviceMetricsOverride", width=718, height=1047, deviceScaleFactor=1,
                       mobile=False)
            printed = tools.evaluate(INSPECT)
            check(printed["verdict_background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"),
                  "the printed verdict has a background: %s" % printed["verdict_background"])
            check(printed["verdict"]["color"] != "rgb(255, 255, 255)", "the printed verdict is white on white")
            check(printed["page"]["w"] <= 718, "the print layout is wider than A4: %s" % printed["page"])
            size = tools.send("Page.getLayoutMetrics")["cssContentSize"]
            shot = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                              clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
            with open(os.path.join(artifacts, "score-report-print.png"), "wb") as out:
                out.write(base64.b64decode(shot["data"]))
            tools.send("Emulation.setEmulatedMedia", media="")
            pdf = tools.send("Page.printToPDF", printBackground=False)
            pdf_path = os.path.join(artifacts, "score-report.pdf")
            with open(pdf_path, "wb") as out:
                out.write(base64.b64decode(pdf["data"]))
            print("pdf:", os.path.abspath(pdf_path))
            check_events(tools.events, file_url)
        finally:
            tools.close()
    except Failure:
        chromium_log = os.path.join(work, "chromium.log")
        if os.path.exists(chromium_log):  # what chromium said, for the failure's reader
            with open(chromium_log, "rb") as said:
                sys.stderr.write(said.read()[-4000:].decode("utf-8", "replace"))
        raise
    finally:
        stop_chromium(chromium)
        if log is not None:
            log.close()


def check_page(seen, expected):
    check(seen["scripts"] == 0, "the page has %d scripts" % seen["scripts"])
    verdict = seen["verdict"]
    check(verdict is not None, "no #verdict element")
    check(verdict["text"] == ("Drift detected" if expected["drift"] else "No drift detected"),
          "verdict says %r" % verdict["text"])
    check(verdict["w"] > 0 and verdict["h"] > 0 and verdict["visibility"] == "visible"
          and verdict["display"] != "none" and float(verdict["opacity"]) > 0, "verdict not visible: %s" % verdict)
    names = [f["name"] for f in expected["features"]]
    check([c["name"] for c in seen["cards"]] == names,
          "cards %s, features %s" % ([c["name"] for c in seen["cards"]], names))
    check(ODD_NAME in names, "the markup column name was not read back as text")
    for card, feature in zip(seen["cards"], expected["features"]):
        plot = card["plot"]
        check(plot is not None and plot["w"] > 100 and plot["h"] > 50, "%r: plot size %s" % (card["name"], plot))
        check(card["ref_bars"] > 0 and card["cur_bars"] > 0,
              "%r: %d reference and %d current bars drawn" % (card["name"], card["ref_bars"], card["cur_bars"]))
        check(card["stats_rows"] == len(feature["tests"]), "%r: %d test rows" % (card["name"], card["stats_rows"]))
    tests = sum(len(f["tests"]) for f in expected["features"]) + len(expected["multivariate"])
    check(seen["result_rows"] == tests, "results table has %d rows for %d tests" % (seen["result_rows"], tests))
    check(seen["page"]["w"] <= 1400, "the page scrolls sideways: %s" % seen["page"])
    print("page: %d cards, %d result rows, %dx%d px" % (len(seen["cards"]), seen["result_rows"],
                                                       seen["page"]["w"], seen["page"]["h"]))


def check_events(events, file_url):
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            check(params.get("type") not in ("error", "assert"), "console %s: %s" % (params.get("type"), params))
        elif method == "Runtime.exceptionThrown":
            raise Failure("exception in the page: %s" % params.get("exceptionDetails"))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            check(entry.get("level") != "error", "log error: %s" % entry)
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            check(url == file_url or url.startswith("data:"), "the page fetched %s" % url)


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    driftd, artifacts = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    check(os.path.exists(CHROMIUM), "no %s (scripts/install-deps.sh test installs chromium)" % CHROMIUM)

    def give_up(signum, frame):
        raise Failure("signal %d: giving up" % signum)

    # A timeout or ctest's kill unwinds through the finally blocks, which
    # stop chromium.
    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, give_up)
    signal.signal(signal.SIGINT, give_up)
    signal.alarm(DEADLINE_SECONDS)
    work = tempfile.mkdtemp(prefix="driftd-browser-")
    try:
        run(driftd, artifacts, work)
    finally:
        signal.alarm(0)
        shutil.rmtree(work, ignore_errors=True)
    print("html report: ok in chromium")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as failure:
        print("FAIL:", failure, file=sys.stderr)
        sys.exit(1)
