#!/usr/bin/env python3
"""T80 (spec R35): latency of the token endpoint at a fixed request rate.

Starts `skill serve` (release build) on SQLite on 127.0.0.1 with an ephemeral port and a token
pepper, as production runs it; registers a client (`skill clients add`), a user (`skill users add`)
and their grant (`skill tokens issue`); then sends `POST /oauth/token` with
grant_type=refresh_token and HTTP Basic client authentication at a fixed rate. Each refresh is a
real one: the client secret and the refresh token are checked and a new access token is stored.

The load is open-loop: request i is due at start + i / rate and its latency counts from then, so
a slow answer also counts against the requests queued behind it (no coordinated omission); the
time from sending to the answer is printed beside it. The client registers without rotation, so
every answer must be 200 with the same refresh token and a new access token (all distinct), and
the last one must resolve at /oauth/userinfo. Prints p50/p90/p99/max and the load average.

Usage: bench/http/token_rate.py [--rate 50] [--duration 10] [--connections 4]
       [--skill build/release/bin/skill]
"""
import argparse
import base64
import http.client
import json
import os
import pathlib
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from run import ROOT, free_port, wait_until_answering

REDIRECT_URI = "https://pitangui.amazon.com/api/skill/link/MBENCHVENDOR"
TARGET_P99_MS = 500.0


def skill(binary, env, *args):
    return subprocess.run([binary, *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def percentile(sorted_values, p):
    index = min(len(sorted_values) - 1, max(0, round(p / 100.0 * len(sorted_values)) - 1))
    return sorted_values[index]


class Sender(threading.Thread):
    """One keep-alive connection sending the requests i = first, first + step, … on schedule."""

    def __init__(self, port, body, headers, schedule, refresh_token):
        super().__init__()
        self.port, self.body, self.headers, self.schedule = port, body, headers, schedule
        self.refresh_token = refresh_token
        self.latencies, self.service_times, self.failures, self.access_tokens = [], [], [], []

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        for due in self.schedule:
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent = time.monotonic()
            connection.request("POST", "/oauth/token", body=self.body, headers=self.headers)
            response = connection.getresponse()
            reply = response.read()
            answered = time.monotonic()
            self.latencies.append((answered - due) * 1000.0)
            self.service_times.append((answered - sent) * 1000.0)
            answer = json.loads(reply) if response.status == 200 else {}
            # Stable refresh mode: the same refresh token back and a new access token each time.
            if (response.status != 200 or answer.get("refresh_token") != self.refresh_token
                    or not answer.get("access_token", "").startswith("at_")):
                self.failures.append(f"{response.status} {reply[:200]!r}")
            else:
                self.access_tokens.append(answer["access_token"])
        connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--skill", default=str(ROOT / "build/release/bin/skill"))
    args = parser.parse_args()
    args.skill = str(pathlib.Path(args.skill).resolve())  # the server runs in a temporary directory

    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        port = free_port()
        config = json.loads((ROOT / "config/test.json").read_text())
        config["server"] = {**config.get("server", {}), "host": "127.0.0.1", "port": port}
        config["storage"] = {"type": "sqlite", "path": str(workdir / "bench.db")}
        config["server"]["www"] = str(ROOT / "www")
        config["skill"]["views"] = str(ROOT / "app/views")
        config["log"] = {"level": "warn"}
        config_path = workdir / "config.json"
        config_path.write_text(json.dumps(config))
        env = {**os.environ, "SKILL_CONFIG": str(config_path),
               "PARLEY_TOKEN_PEPPER": secrets.token_hex(32)}

        added = skill(args.skill, env, "clients", "add", "--id", "bench", "--redirect-uri",
                      REDIRECT_URI)
        client_secret = added.split("client_secret: ", 1)[1].split()[0]
        user_id = skill(args.skill, env, "users", "add", "--email", "ada@example.com").strip()
        issued = json.loads(skill(args.skill, env, "tokens", "issue", "--user", user_id,
                                  "--client", "bench"))
        credentials = f"{urllib.parse.quote('bench')}:{urllib.parse.quote(client_secret)}"
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}
        body = urllib.parse.urlencode({"grant_type": "refresh_token",
                                       "refresh_token": issued["refresh_token"]})

        server = subprocess.Popen([args.skill, "serve"], env=env, cwd=workdir)
        try:
            wait_until_answering(f"http://127.0.0.1:{port}/healthz", None)
            load_before = os.getloadavg()
            total = int(args.rate * args.duration)
            start = time.monotonic() + 0.1
            due = [start + i / args.rate for i in range(total)]
            senders = [Sender(port, body, headers, due[k::args.connections],
                              issued["refresh_token"]) for k in range(args.connections)]
            for sender in senders:
                sender.start()
            for sender in senders:
                sender.join()
            elapsed = time.monotonic() - start
            load_after = os.getloadavg()
            access_tokens = [token for sender in senders for token in sender.access_tokens]
            assert len(set(access_tokens)) == len(access_tokens), "an access token came twice"
            access_token = access_tokens[-1]
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/oauth/userinfo",
                               headers={"Authorization": f"Bearer {access_token}"})
            userinfo = connection.getresponse()
            user = json.loads(userinfo.read())
            assert userinfo.status == 200 and user["email"] == "ada@example.com", user
        finally:
            server.terminate()
            server.wait(timeout=10)

    latencies = sorted(latency for sender in senders for latency in sender.latencies)
    service_times = sorted(time_ for sender in senders for time_ in sender.service_times)
    failures = [failure for sender in senders for failure in sender.failures]
    p99 = percentile(latencies, 99)
    print(f"\nPOST /oauth/token (refresh_token grant, HTTP Basic), {len(latencies)} requests at "
          f"{args.rate:g}/s over {elapsed:.1f} s on {args.connections} keep-alive connections; "
          f"SQLite, token pepper set, ioThreads {config['server'].get('ioThreads', 1)}, "
          f"workerThreads {config['server'].get('workerThreads', 2)}; load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print("| latency | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for name, values in (("scheduled start → answer", latencies),
                         ("sent → answer", service_times)):
        print(f"| {name} | {percentile(values, 50):.2f} | {percentile(values, 90):.2f} "
              f"| {percentile(values, 99):.2f} | {values[-1]:.2f} |")
    print(f"non-200 or malformed answers: {len(failures)}; distinct access tokens: "
          f"{len(set(access_tokens))}; the last one resolves at /oauth/userinfo")
    print(f"T80 target p99 < {TARGET_P99_MS:g} ms: {'met' if p99 < TARGET_P99_MS else 'NOT met'}")
    for failure in failures[:5]:
        print("failed:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
