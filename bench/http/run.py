#!/usr/bin/env python3
"""Load benchmark of `POST /skill` against a fixed-reply nginx baseline, in one run.

Measures requests/s and p50/p99 latency with wrk (linked LaunchRequest: a real storage lookup per
request), idle and loaded RSS, and cold start (exec to first answered request). Prints a Markdown
table and the ratio to the baseline.

Both servers run side by side and are measured in alternating rounds (--rounds, parley then nginx
each round): on a shared machine whose speed drifts, a ratio of back-to-back measurements moves
with the drift, the median over rounds much less. The table shows each server's median round.

With --soak N it then keeps the load on in 5-second windows until N requests were answered and
prints requests/s, p99 and RSS per window, to show that latency and memory stay flat.

Usage: bench/http/run.py [--duration 10] [--rounds 3] [--connections 32] [--threads 1]
       [--soak 1000000]
       [--storage sqlite|dynamodb [--dynamodb-endpoint URL]] [--skill build/release/bin/skill]
       [--io-threads 1]

With --storage dynamodb and no endpoint it starts dynalite (tests/aws/node, installed by
tests/aws/node/install.sh) on a free port for the run.
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests/fixtures/alexa/launch-linked.json"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def post(url, body, timeout=2.0):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def wait_until_answering(url, body, deadline_s=10.0):
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        try:
            post(url, body, timeout=0.5)
            return time.monotonic() - start
        except OSError:
            time.sleep(0.0005)
    raise RuntimeError(f"{url} did not answer within {deadline_s}s")


def wrk(url, body, args, workdir):
    script = workdir / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body.decode())}\n"
        'wrk.headers["Content-Type"] = "application/json"\n')
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--latency", "-s", str(script),
               url]
    command += ["-d", f"{args.duration}s"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))

    def percentile(p):
        match = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", output)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {"rps": rps, "requests": requests, "p50": percentile(50), "p99": percentile(99),
            "non2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def median_round(results):
    """The run with the median requests/s (its latencies belong to that same run)."""
    return sorted(results, key=lambda r: r["rps"])[len(results) // 2]


def soak_windows(url, body, args, workdir, pid):
    """Consecutive 5 s wrk windows until args.soak requests: (requests so far, rps, p99, RSS)."""
    windows, total = [], 0
    window_args = argparse.Namespace(**{**vars(args), "duration": 5})
    while total < args.soak and len(windows) < 1000:
        result = wrk(url, body, window_args, workdir)
        total += result["requests"]
        windows.append((total, result["rps"], result["p99"], rss_kib(pid)))
    return windows


def start_nginx(workdir, port, body_size):
    (workdir / "nginx").mkdir()
    conf = workdir / "nginx/nginx.conf"
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {workdir}/nginx/nginx.pid;
error_log {workdir}/nginx/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/nginx;
  server {{
    listen 127.0.0.1:{port};
    location / {{ default_type application/json; return 200 '{"x" * body_size}'; }}
  }}
}}
""")
    return subprocess.Popen(["nginx", "-c", str(conf), "-p", str(workdir / "nginx")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def skill_env(config):
    env = dict(os.environ)
    env["SKILL_CONFIG"] = str(config)
    # dynalite accepts any signature; real credentials are never needed here.
    env.setdefault("AWS_ACCESS_KEY_ID", "AKIDBENCH")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "bench-secret")
    return env


def start_dynalite():
    """dynalite on 127.0.0.1:0; returns (process, endpoint URL). It stops when stdin closes."""
    script = ROOT / "tests/aws/node/dynalite-ephemeral.js"
    process = subprocess.Popen(["node", str(script)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    port = process.stdout.readline().strip()
    if not port.isdigit():
        process.kill()
        sys.exit("dynalite did not start: run tests/aws/node/install.sh")
    return process, f"http://127.0.0.1:{port}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating parley/nginx rounds")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--soak", type=int, default=0, help="requests in the flatness run")
    parser.add_argument("--storage", default="sqlite", choices=["sqlite", "dynamodb"])
    parser.add_argument("--dynamodb-endpoint", default="")
    parser.add_argument("--skill", default=str(ROOT / "build/release/bin/skill"))
    parser.add_argument("--io-threads", type=int, default=1, help="server.ioThreads of the skill")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            sys.exit(f"{tool} is missing: run scripts/install-deps.sh bench")

    body = FIXTURE.read_bytes()
    dynalite = None
    if args.storage == "dynamodb" and not args.dynamodb_endpoint:
        dynalite, args.dynamodb_endpoint = start_dynalite()
    try:
        return measure(args, body)
    finally:
        if dynalite:
            dynalite.stdin.close()
            dynalite.wait(timeout=10)


def measure(args, body):
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        port = free_port()
        config = json.loads((ROOT / "config/test.json").read_text())
        config["server"] = {**config.get("server", {}), "host": "127.0.0.1", "port": port,
                            "ioThreads": args.io_threads}
        config.setdefault("log", {})["level"] = "warn"
        if args.storage == "sqlite":
            config["storage"] = {"type": "sqlite", "path": str(workdir / "bench.db")}
            # SQLite lookups take microseconds: a hop to a worker thread costs more.
            config["server"]["workerThreads"] = 0
        else:
            config["storage"] = {"type": "dynamodb", "endpoint": args.dynamodb_endpoint,
                                 "region": "us-east-1", "tablePrefix": "bench-"}
        config_path = workdir / "config.json"
        config_path.write_text(json.dumps(config))
        env = skill_env(config_path)
        if args.storage == "dynamodb":
            subprocess.run([args.skill, "db", "create-tables"], env=env, check=True)
        user_id = subprocess.run([args.skill, "users", "add", "--email", "ada@example.com"],
                                 env=env, check=True, capture_output=True, text=True).stdout.strip()

        url = f"http://127.0.0.1:{port}/skill"
        started = time.monotonic()
        server = subprocess.Popen([args.skill, "serve"], env=env)
        try:
            wait_until_answering(url, body)  # the fixture's token is unknown: the unlinked reply
            cold_start_ms = (time.monotonic() - started) * 1000.0
            # The token is issued while the server runs, as users link in production. (Before it
            # starts, SQLite's write-ahead log would hold no frames for the server's whole run,
            # and every read would then also ask the file system for the database's size.)
            issued = subprocess.run([args.skill, "tokens", "issue", "--user", user_id], env=env,
                                    check=True, capture_output=True, text=True).stdout
            request = json.loads(body)
            for user in (request["session"]["user"], request["context"]["System"]["user"]):
                user["accessToken"] = json.loads(issued)["access_token"]
            body = json.dumps(request).encode()
            status, reply = post(url, body)
            assert status == 200 and b"Welcome ada@example.com" in reply, reply
            idle_rss = rss_kib(server.pid)
            nginx_port = free_port()
            nginx = start_nginx(workdir, nginx_port, len(reply))
            try:
                wait_until_answering(f"http://127.0.0.1:{nginx_port}/", body)
                rounds, loaded_rss = [], 0
                for _ in range(max(1, args.rounds)):
                    ours = wrk(url, body, args, workdir)
                    loaded_rss = max(loaded_rss, rss_kib(server.pid))
                    theirs = wrk(f"http://127.0.0.1:{nginx_port}/", body, args, workdir)
                    rounds.append((ours, theirs))
            finally:
                nginx.terminate()
                nginx.wait(timeout=10)
            soak = soak_windows(url, body, args, workdir, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)

    ratios = sorted(ours["rps"] / theirs["rps"] for ours, theirs in rounds)
    ratio = ratios[len(ratios) // 2]
    result = median_round([ours for ours, _ in rounds])
    baseline = median_round([theirs for _, theirs in rounds])
    print(f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, storage={args.storage}, "
          f"ioThreads={config['server'].get('ioThreads', 1)}, "
          f"workerThreads={config['server'].get('workerThreads', 2)}")
    print("| server | req/s | p50 ms | p99 ms | idle RSS MiB | loaded RSS MiB | cold start ms |")
    print("|---|---|---|---|---|---|---|")
    print(f"| parley POST /skill | {result['rps']:.0f} | {result['p50']:.3f} | {result['p99']:.3f} "
          f"| {idle_rss / 1024:.1f} | {loaded_rss / 1024:.1f} | {cold_start_ms:.1f} |")
    print(f"| nginx fixed reply ({len(reply)} B) | {baseline['rps']:.0f} | {baseline['p50']:.3f} "
          f"| {baseline['p99']:.3f} | | | |")
    for number, (ours, theirs) in enumerate(rounds, 1):
        print(f"round {number}: parley {ours['rps']:.0f} req/s (p99 {ours['p99']:.3f} ms), "
              f"nginx {theirs['rps']:.0f} req/s (p99 {theirs['p99']:.3f} ms), "
              f"ratio {ours['rps'] / theirs['rps']:.2f}")
    print(f"ratio parley/nginx: {ratio:.2f} (median of {len(ratios)} rounds, "
          f"{ratios[0]:.2f}-{ratios[-1]:.2f})")
    # The targets, round by round: the host's speed drifts, so one number can mislead.
    under_2ms = sum(ours["p99"] < 2.0 for ours, _ in rounds)
    nginx_under_2ms = sum(theirs["p99"] < 2.0 for _, theirs in rounds)
    print(f"targets: ratio >= 0.40 in {sum(r >= 0.40 for r in ratios)} of {len(ratios)} rounds; "
          f"p99 < 2 ms in {under_2ms} of {len(rounds)} (nginx {nginx_under_2ms}); "
          f"idle RSS {idle_rss * 1024 / 1e6:.1f} MB (< 10 MB); "
          f"cold start {cold_start_ms:.1f} ms (< 20 ms)")
    if soak:
        print("\n| requests so far | req/s | p99 ms | RSS MiB |\n|---|---|---|---|")
        for total, rps, p99, rss in soak:
            print(f"| {total} | {rps:.0f} | {p99:.3f} | {rss / 1024:.1f} |")
    failed = [ours for ours, _ in rounds if ours["non2xx"] or ours["socket_errors"]]
    for ours in failed:
        print(f"errors: non-2xx {ours['non2xx']}, sockets {ours['socket_errors']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
