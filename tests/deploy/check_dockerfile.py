#!/usr/bin/python3
"""Static checks of deploy/docker/Dockerfile (no Docker engine needed).

    check_dockerfile.py REPO_ROOT [--binary DRIFTD]

- two stages: a debian:12 builder that configures with -DDRIFTD_NATIVE=OFF
  -DDRIFTD_TESTS=OFF and builds the driftd target, and a debian:12-slim
  runtime without -dev packages;
- the builder installs every build package of scripts/install-deps.sh (but
  Catch2, which only the tests need);
- every package either stage installs exists in Debian 12 (apt-cache, when
  the package lists are there);
- the runtime runs as uid 10001, declares the volumes /etc/driftd and
  /var/lib/driftd, exposes 9108, and has ENTRYPOINT ["driftd"] and
  CMD ["run", "--config", "/etc/driftd/driftd.yaml"] in exec form;
- every COPY source exists in the build context and is not excluded by
  Dockerfile.dockerignore;
- with --binary: every shared library the built driftd loads comes from a
  package the runtime stage installs, or from one of their dependencies.

Exit status 0 when every check passes.
"""

import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys

from checks import check, failures, report


def instructions(path):
    """(stage index, INSTRUCTION, arguments) with continuation lines joined."""
    out, stage, pending = [], -1, ""
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if pending and line.lstrip().startswith("#"):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            line, pending = pending + line, ""
            word, _, rest = line.strip().partition(" ")
            word = word.upper()
            if word == "FROM":
                stage += 1
            out.append((stage, word, rest.strip()))
    return out


def apt_packages(run_args):
    pkgs = []
    for command in re.split(r"&&|;", run_args):
        words = command.split()
        if "apt-get" in words and "install" in words:
            pkgs += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return pkgs


def apt_lists_present():
    d = "/var/lib/apt/lists"
    return os.path.isdir(d) and any("_Packages" in n for n in os.listdir(d))


def existing_packages(pkgs):
    """The names among pkgs that apt-cache knows (one call for all)."""
    r = subprocess.run(["apt-cache", "show", "--no-all-versions"] + pkgs,
                       capture_output=True, text=True)
    return {l.split(":", 1)[1].strip() for l in r.stdout.splitlines() if l.startswith("Package:")}


def dependency_closure(pkgs):
    """pkgs and everything they depend on, recursively (Depends, Pre-Depends)."""
    r = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                        "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"] + pkgs,
                       capture_output=True, text=True)
    closure = set(pkgs)
    for line in r.stdout.splitlines():
        line = line.strip()
        if line.startswith(("Depends:", "PreDepends:")):
            closure.add(line.split(":", 1)[1].strip().strip("<>").split(":")[0])
        elif line and ":" not in line:
            closure.add(line.strip("<>"))
    return closure


def owning_packages(paths):
    """path -> Debian package, for the paths dpkg knows (merged /usr aware)."""
    variants = {}
    for path in paths:
        for c in (path, os.path.realpath(path)):
            variants.setdefault(c, path)
            variants.setdefault(c[4:] if c.startswith("/usr/") else "/usr" + c, path)
    r = subprocess.run(["dpkg", "-S"] + sorted(variants), capture_output=True, text=True)
    owners = {}
    for line in r.stdout.splitlines():
        pkg, _, file = line.partition(": ")
        if file in variants:
            owners.setdefault(variants[file], pkg.split(":")[0].split(",")[0].strip())
    return owners


def check_libraries(binary, runtime_pkgs):
    r = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if not check(r.returncode == 0, f"ldd {binary} failed: {r.stderr.strip()}"):
        return
    libs = []
    for line in r.stdout.splitlines():
        m = re.search(r"=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            libs.append(m.group(1))
    # A sanitizer build (make test-asan) links the sanitizer runtimes, which
    # the image's Release build does not.
    sanitizers = [l for l in libs if re.match(r"lib(asan|ubsan|lsan|tsan)\.so", os.path.basename(l))]
    if sanitizers:
        print(f"  (ignoring sanitizer runtimes: {', '.join(os.path.basename(l) for l in sanitizers)})")
        libs = [l for l in libs if l not in sanitizers]
    closure = dependency_closure(runtime_pkgs)
    by_path = owning_packages(libs)
    owners = {}
    for lib in libs:
        owner = by_path.get(lib)
        if owner is None:
            check(False, f"{lib} (linked by {binary}) belongs to no Debian package")
            continue
        owners[os.path.basename(lib)] = owner
        check(owner in closure, f"{os.path.basename(lib)} comes from {owner}, which the runtime stage does not install")
    print(f"  {binary} loads {len(libs)} libraries from {len(set(owners.values()))} packages, "
          f"from: "
          + ", ".join(sorted(set(owners.values()))))


def ignore_patterns(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [l.strip().rstrip("/") for l in f if l.strip() and not l.startswith("#")]


def ignored(rel, patterns):
    parts = rel.strip("/").split("/")
    for p in patterns:
        for i in range(1, len(parts) + 1):
            if fnmatch.fnmatch("/".join(parts[:i]), p) or fnmatch.fnmatch("/".join(parts[:i]), p.replace("**/", "")):
                return True
    return False


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--binary"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    root = argv[1]
    dockerfile = os.path.join(root, "deploy/docker/Dockerfile")
    ins = instructions(dockerfile)
    froms = [rest for _, word, rest in ins if word == "FROM"]
    if not check(len(froms) == 2, f"expected 2 stages, found {len(froms)}"):
        return report()
    check(re.fullmatch(r"debian:12\s+AS\s+\w+", froms[0], re.I) is not None, f"builder is {froms[0]!r}, expected debian:12 AS <name>")
    check(froms[1] == "debian:12-slim", f"runtime is {froms[1]!r}, expected debian:12-slim")
    build_alias = froms[0].split()[-1]

    build_runs = " ".join(rest for stage, word, rest in ins if stage == 0 and word == "RUN")
    for flag in ("-DDRIFTD_NATIVE=OFF", "-DDRIFTD_TESTS=OFF", "--target driftd"):
        check(flag in build_runs, f"the builder does not pass {flag}")
    build_pkgs = apt_packages(build_runs)
    runtime_pkgs = apt_packages(" ".join(rest for stage, word, rest in ins if stage == 1 and word == "RUN"))
    check(runtime_pkgs, "the runtime stage installs no packages")
    for p in runtime_pkgs:
        check(not p.endswith("-dev") and p not in ("build-essential", "cmake"), f"runtime installs build package {p}")

    deps_script = os.path.join(root, "scripts/install-deps.sh")
    if os.path.exists(deps_script):
        m = re.search(r"^build=\(([^)]*)\)", open(deps_script, encoding="utf-8").read(), re.M)
        if m:
            wanted = set(m.group(1).split()) - {"catch2"}
            missing = sorted(wanted - set(build_pkgs))
            check(not missing, f"the builder lacks build packages of scripts/install-deps.sh: {missing}")

    if apt_lists_present():
        known = existing_packages(build_pkgs + runtime_pkgs)
        for p in build_pkgs + runtime_pkgs:
            check(p in known, f"{p} is not a Debian package (apt-cache show)")
        checked_apt = True
    else:
        print("  SKIP package existence: no apt package lists (run apt-get update)")
        checked_apt = False

    final = [(word, rest) for stage, word, rest in ins if stage == 1]
    user = [rest for word, rest in final if word == "USER"]
    check(user and user[-1].split(":")[0] in ("10001", "driftd"), f"runtime USER is {user[-1:]!r}, expected 10001")
    volumes = set()
    for word, rest in final:
        if word == "VOLUME":
            volumes |= set(json.loads(rest)) if rest.startswith("[") else set(rest.split())
    check({"/etc/driftd", "/var/lib/driftd"} <= volumes, f"VOLUME {sorted(volumes)} lacks /etc/driftd or /var/lib/driftd")
    exposed = {p for word, rest in final if word == "EXPOSE" for p in rest.split()}
    check("9108" in exposed or "9108/tcp" in exposed, f"EXPOSE {sorted(exposed)} lacks 9108")

    def exec_form(word):
        values = [rest for w, rest in final if w == word]
        if not check(values, f"no {word}"):
            return None
        try:
            return json.loads(values[-1])
        except ValueError:
            check(False, f"{word} {values[-1]} is not in exec (JSON) form")
            return None
    check(exec_form("ENTRYPOINT") == ["driftd"], "ENTRYPOINT is not [\"driftd\"]")
    check(exec_form("CMD") == ["run", "--config", "/etc/driftd/driftd.yaml"], "CMD is not run --config /etc/driftd/driftd.yaml")

    patterns = ignore_patterns(dockerfile + ".dockerignore")
    copies = 0
    for stage, word, rest in ins:
        if word != "COPY":
            continue
        args = shlex.split(rest)
        flags = [a for a in args if a.startswith("--")]
        paths = [a for a in args if not a.startswith("--")]
        if any(f == f"--from={build_alias}" for f in flags):
            check(paths[-1] == "/usr/local/bin/driftd", f"the binary is copied to {paths[-1]}")
            continue
        for src in paths[:-1]:
            copies += 1
            if src in (".", "./"):
                continue
            check(os.path.exists(os.path.join(root, src)), f"COPY source {src} is not in the build context")
            check(not ignored(src, patterns), f"COPY source {src} is excluded by Dockerfile.dockerignore")
    for must in ("CMakeLists.txt", "src", "include", "detectors"):
        check(not ignored(must, patterns), f"Dockerfile.dockerignore excludes {must}, which the build needs")

    if len(argv) == 4:
        if checked_apt:
            check_libraries(argv[3], runtime_pkgs)
        else:
            print("  SKIP runtime library coverage: no apt package lists")
    print(f"{dockerfile}: builder {froms[0]} ({len(build_pkgs)} packages), runtime {froms[1]} "
          f"({', '.join(runtime_pkgs)}), {copies} context copies")
    return report()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
