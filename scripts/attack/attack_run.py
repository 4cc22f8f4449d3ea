#!/usr/bin/env python3
"""The attack run of issue 8: a real `plantlog demo` listening on the LAN (0.0.0.0,
HTTPS), attacked from another host (a network namespace of its own, reached over a
veth pair, so the server sees a LAN address), while a monitor on this PC measures
that the plant keeps collecting. Prints a report; exits non-zero when an attack was
not refused or collection dropped by more than 10 %.

Attacks: takeover of the first admin, a DNS-rebinding Host, a foreign Origin, brute
force with case variants, a parallel login flood, unbounded ranges, slowloris, 50 MB
bodies, production endpoints called by a role without the permission, and guessing an
andon display's token. Every loop is bounded in count and time; traffic goes only to
this machine's own addresses (loopback and the namespace's veth pair).

    scripts/attack-run            (as root for the namespace; else loopback only)
    scripts/attack-run --short    (shorter measuring windows and flood, for scripts/test-all)
"""

import argparse
import calendar
import http.client
import json
import os
import random
import re
import shutil
import socket
import ssl
import string
import subprocess
import sys
import tempfile
import threading
import time

NS = f"plantlog-attack-{os.getpid()}"
# The veth pair's ends, named after this run (at most 15 characters).
VETH_HOST, VETH_NS = f"pla{os.getpid() % 10**6}h", f"pla{os.getpid() % 10**6}n"
HOST_IP, NS_IP = "10.213.77.1", "10.213.77.2"
# More addresses of the attacking host, for the flood (a botnet of tablets, as it were).
FLOOD_IPS = [f"10.213.77.{i}" for i in range(10, 30)]
I64_MIN, I64_MAX = -9223372036854775808, 9223372036854775807
# Seconds: the baseline, the least window measured around each attack, the flood, the
# wait before the memory left behind is read. --short halves them for the everyday run.
TIMES = {"baseline": 30, "window": 15, "flood": 10, "after": 15}
SHORT_TIMES = {"baseline": 15, "window": 8, "flood": 5, "after": 5}


# ---------------------------------------------------------------- attacker side

def tls_context(cert):
    ctx = ssl.create_default_context(cafile=cert)
    ctx.check_hostname = True
    return ctx


def request(target, method, path, body=None, headers=None, cookie=None, timeout=20, tls=True, source=None):
    """One request; returns (status, headers, body bytes, seconds)."""
    host, port, cert = target["host"], target["port"], target["cert"]
    src = (source, 0) if source else None
    conn = (
        http.client.HTTPSConnection(host, port, context=tls_context(cert), timeout=timeout, source_address=src)
        if tls
        else http.client.HTTPConnection(host, port, timeout=timeout, source_address=src)
    )
    h = {"X-Plantlog-Request": "1"}
    if body is not None and not isinstance(body, (bytes, bytearray)):
        body = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    if cookie:
        h["Cookie"] = cookie
    h.update(headers or {})
    t0 = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        return r.status, dict(r.getheaders()), data, time.monotonic() - t0
    except (ConnectionError, socket.timeout, ssl.SSLError, http.client.HTTPException) as e:
        return f"error:{type(e).__name__}", {}, b"", time.monotonic() - t0
    finally:
        conn.close()


def code_of(body):
    try:
        return json.loads(body).get("code")
    except (ValueError, AttributeError):
        return None


def tally(results):
    out = {}
    for r in results:
        out[str(r)] = out.get(str(r), 0) + 1
    return dict(sorted(out.items()))


def login(target, user, password):
    s, h, b, _ = request(target, "POST", "/api/login", {"username": user, "password": password})
    cookie = h.get("Set-Cookie", h.get("set-cookie", "")).split(";")[0]
    return s, cookie


def phase_takeover(t, _):
    res = []
    s, _, b, _ = request(t, "POST", "/api/setup", {"username": "mallory", "display_name": "M", "password": "a long long password"})
    res.append((s, code_of(b)))
    s, _, b, _ = request(t, "POST", "/api/setup", {"username": "mallory", "display_name": "M", "password": "a long long password", "setup_code": "AAAA-BBBB-CCCC"})
    res.append((s, code_of(b)))
    s, h, b, _ = request(t, "POST", "/api/setup", {"username": "mallory", "display_name": "M", "password": "x" * 20}, tls=False)
    res.append((s, h.get("Location", h.get("location", ""))[:8]))
    refused = all(r[0] in (403, 409, 308) for r in res)
    return {"sent": len(res), "answers": [f"{s} {c}" for s, c in res], "refused": refused}


def phase_rebinding(t, _):
    res = []
    for host in ["rebind.attacker.example", "evil.example:8470", "127.0.0.1.nip.io"]:
        s, _, b, _ = request(t, "GET", "/api/health", headers={"Host": host})
        res.append((s, code_of(b)))
    return {"sent": len(res), "answers": [f"{s} {c}" for s, c in res], "refused": all(s == 421 for s, _ in res)}


def phase_origin(t, _):
    res = []
    for path in ["/api/logout", "/api/login", "/api/users"]:
        s, _, b, _ = request(t, "POST", path, {"username": "a", "password": "b"}, headers={"Origin": "https://evil.example"})
        res.append((s, code_of(b)))
    # No Origin and no header: a form post from elsewhere would look like this.
    conn = http.client.HTTPSConnection(t["host"], t["port"], context=tls_context(t["cert"]), timeout=10)
    conn.request("POST", "/api/logout", body=b"", headers={"Content-Type": "text/plain"})
    r = conn.getresponse()
    res.append((r.status, code_of(r.read())))
    conn.close()
    return {"sent": len(res), "answers": [f"{s} {c}" for s, c in res], "refused": all(s == 403 for s, _ in res)}


def phase_bruteforce(t, users):
    pw = users["admin"]
    statuses = []
    names = ["admin", "Admin", "ADMIN", "aDmIn", " admin ", "admiN"]
    for i in range(40):
        s, _, b, _ = request(t, "POST", "/api/login", {"username": names[i % len(names)], "password": f"guess-{i}-{random.random()}"})
        statuses.append(f"{s} {code_of(b)}")
    # The right password, a case variant, after the lock: still refused without the code.
    s, _, b, _ = request(t, "POST", "/api/login", {"username": "ADMIN", "password": pw})
    statuses.append(f"right password afterwards: {s} {code_of(b)}")
    checked = sum(1 for x in statuses[:40] if x.startswith("401"))
    refused = checked <= 10 and not s == 200
    return {"sent": 41, "answers": tally(statuses[:40]) | {"last": statuses[-1]}, "checked": checked, "refused": refused}


def phase_flood(t, _):
    """100 threads for 10 s (5 s short), logging in with random names from many
    addresses (each address's own limit lets 30 failures through, so passwords really
    get hashed)."""
    stop = time.monotonic() + t["times"]["flood"]
    out, lock = [], threading.Lock()
    sources = t.get("sources") or [None]

    def worker(k):
        n = 0
        while time.monotonic() < stop and n < 200:
            name = "".join(random.choices(string.ascii_lowercase, k=12))
            s, _, b, _ = request(t, "POST", "/api/login", {"username": name, "password": "p" * 20},
                                 timeout=15, source=sources[k % len(sources)])
            with lock:
                out.append(f"closed ({s[6:]})" if str(s).startswith("error:") else f"{s} {code_of(b)}")
            n += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(100)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    ok = all(not x.startswith(("200", "5")) for x in out)
    return {"sent": len(out), "answers": tally(out), "refused": ok}


def phase_ranges(t, users):
    s, cookie = login(t, "operator", users["operator"])
    if s != 200:
        return {"sent": 1, "answers": [f"login {s}"], "refused": False}
    paths = [
        f"/api/tags/1/states?from={I64_MIN}&to={I64_MAX}",
        f"/api/tags/1/history?from={I64_MIN}&to={I64_MAX}",
        f"/api/export/samples.csv?tags=1&from={I64_MIN}",
        "/api/export/samples.csv?tags=" + ",".join(["1"] * 2000),
        "/api/export/samples.csv?tags=" + ",".join(str(i) for i in range(1, 400)),
        f"/api/tags/1/states?from=0&to={I64_MAX}&columns=99999999",
    ]
    res = []
    for p in paths:
        s, _, b, secs = request(t, "GET", p, cookie=cookie, timeout=30)
        res.append((s, code_of(b), round(secs, 3), len(b)))
    refused = all(s == 400 or (s == 200 and secs < 5) for s, _, secs, _ in res)
    return {"sent": len(res), "answers": [f"{s} {c} in {secs} s, {n} bytes" for s, c, secs, n in res], "refused": refused}


def phase_slowloris(t, _):
    socks, closed_at_once = [], 0
    for _ in range(200):
        try:
            s = socket.create_connection((t["host"], t["port"]), timeout=5)
            socks.append(s)
        except OSError:
            closed_at_once += 1
    # Plain HTTP, a header line at a time, slowly.
    start = time.monotonic()
    alive_after = []
    for round_ in range(6):
        for s in list(socks):
            try:
                s.send(b"GET / HTTP/1.1\r\n" if round_ == 0 else f"X-{round_}: {'a' * 10}\r\n".encode())
            except OSError:
                socks.remove(s)
                closed_at_once += round_ == 0
        alive_after.append(len(socks))
        time.sleep(5)
    # Which are still open: a read either times out (open) or sees the close.
    still = 0
    for s in socks:
        s.settimeout(0.2)
        try:
            if s.recv(1) == b"":
                continue
        except socket.timeout:
            still += 1
        except OSError:
            continue
    for s in socks:
        s.close()
    return {
        "sent": 200,
        "answers": {"open after each 5 s": alive_after, "open at 30 s": still, "seconds": round(time.monotonic() - start)},
        "refused": still == 0,
    }


def phase_bodies(t, users):
    res = []
    chunk = b"x" * (1 << 20)
    for path, cookie in [("/api/login", None), ("/api/config/check", login(t, "operator", users["operator"])[1])]:
        conn = http.client.HTTPSConnection(t["host"], t["port"], context=tls_context(t["cert"]), timeout=30)
        t0 = time.monotonic()
        try:
            conn.putrequest("POST", path)
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(50 << 20))
            conn.putheader("X-Plantlog-Request", "1")
            if cookie:
                conn.putheader("Cookie", cookie)
            conn.endheaders()
            sent = 0
            try:
                for _ in range(50):
                    conn.send(chunk)
                    sent += len(chunk)
            except OSError:
                pass
            r = conn.getresponse()
            res.append(f"{path}: {r.status} {code_of(r.read())} after {sent >> 20} MB sent, {time.monotonic() - t0:.1f} s")
        except (OSError, http.client.HTTPException) as e:
            res.append(f"{path}: connection closed ({type(e).__name__}) after {time.monotonic() - t0:.1f} s")
        finally:
            conn.close()
    refused = all((" 413 " in r or " 403 " in r or "closed" in r) for r in res)
    return {"sent": 2, "answers": res, "refused": refused}


def phase_display(t, _):
    """Guessing an andon display's token (the board opens without a login): 40 guesses
    of the right shape from one address; past the login limit (30 per 15 minutes) the
    address is refused."""
    out = []
    for _ in range(40):
        guess = "".join(random.choices("0123456789abcdef", k=64))
        s, _, b, _ = request(t, "GET", "/api/display/board", headers={"x-display-token": guess})
        out.append(f"{s} {code_of(b)}")
    s, _, b, _ = request(t, "GET", "/api/display/board")
    out.append(f"{s} {code_of(b)}")
    refused = all(not x.startswith("200") for x in out) and out[39].startswith("429")
    return {"sent": len(out), "answers": tally(out), "refused": refused}


def phase_wrong_role(t, users):
    """Production's endpoints called by a role without the permission, with valid and
    with malformed bodies: refused before the body is read (403)."""
    calls = [
        ("operator", "POST", "/api/production/reasons", {"kind": "downtime", "category": "X", "name": "Mallory"}),
        ("operator", "POST", "/api/production/planned-stops", {"machine": "press-1", "from_ms": 0, "to_ms": 60000, "reason_id": 1}),
        ("operator", "POST", "/api/production/ideal-cycles", {"machine": "press-1", "from_ms": 0, "cycle_s": 0.1}),
        ("operator", "PUT", "/api/production/operators/1", {"machines": ["press-1"]}),
        ("operator", "POST", "/api/displays", {"name": "Mallory's TV", "machines": [], "cycle_s": 0}),
        ("operator", "GET", "/api/displays", None),
        ("operator", "POST", "/api/production/reasons", b"{not json"),
        ("maintenance", "GET", "/api/production/report", None),
        ("maintenance", "POST", "/api/production/scrap", {"machine": "press-1", "parts": 1000000}),
        ("stores", "PUT", "/api/production/stop-reasons", {"machine": "press-1", "at_ms": 0, "reason_id": None}),
    ]
    cookies, res = {}, []
    for role, method, path, body in calls:
        if role not in cookies:
            s, cookies[role] = login(t, role, users[role])
            if s != 200:
                return {"sent": len(res), "answers": res + [f"login {role}: {s}"], "refused": False}
        headers = {"Content-Type": "application/json"} if isinstance(body, bytes) else None
        s, _, b, _ = request(t, method, path, body, headers=headers, cookie=cookies[role])
        res.append(f"{role} {method} {path}: {s} {code_of(b)}")
    refused = all(r.endswith(": 403 forbidden") for r in res)
    return {"sent": len(res), "answers": res, "refused": refused}


# In this order: the attacks that log in first, the ones that lock this address last.
PHASES = {
    "takeover": phase_takeover,
    "rebinding Host": phase_rebinding,
    "foreign Origin": phase_origin,
    "unbounded ranges": phase_ranges,
    "50 MB bodies": phase_bodies,
    "production as a wrong role": phase_wrong_role,
    "display token guessing": phase_display,
    "slowloris": phase_slowloris,
    "brute force, case variants": phase_bruteforce,
    "parallel login flood": phase_flood,
}


# ---------------------------------------------------------------- this PC's side

class Monitor(threading.Thread):
    """Logs in on this PC (loopback) as maintenance, reads the server's memory and the
    time /api/storage takes every second, and at the end counts the good samples the
    plant stored in each window, by their own time stamps (an export of every tag)."""

    def __init__(self, port, users, pid):
        super().__init__(daemon=True)
        self.t = {"host": "127.0.0.1", "port": port, "cert": None}
        self.users, self.pid = users, pid
        self.points = []
        self.stop = threading.Event()
        self.logins = []
        self.cookie = None
        # Wall clock (the samples' time) of a monotonic instant.
        self.wall = time.time() - time.monotonic()
        self.stamps = []

    def run(self):
        s, self.cookie = self.login()
        while not self.stop.is_set():
            st, _, b, secs = request(self.t, "GET", "/api/storage", cookie=self.cookie, tls=False, timeout=10)
            if st == 200:
                self.points.append((time.monotonic(), rss_mb(self.pid), secs))
            elif st == 401:
                s, self.cookie = self.login()
            self.stop.wait(1.0)

    def login(self):
        t0 = time.monotonic()
        s, cookie = self._login()
        self.logins.append((time.monotonic(), s, time.monotonic() - t0))
        return s, cookie

    def _login(self):
        st, h, _, _ = request(self.t, "POST", "/api/login", {"username": "maintenance", "password": self.users["maintenance"]}, tls=False)
        return st, h.get("Set-Cookie", h.get("set-cookie", "")).split(";")[0]

    def get(self, path):
        st, _, b, _ = request(self.t, "GET", path, cookie=self.cookie, tls=False, timeout=60)
        if st == 401:
            _, self.cookie = self.login()
            st, _, b, _ = request(self.t, "GET", path, cookie=self.cookie, tls=False, timeout=60)
        if st != 200:
            raise RuntimeError(f"GET {path}: {st} {b[:200]!r}")
        return b

    def read_samples(self, t0, t1):
        """The time stamps (ms) of every good sample stored between the monotonic
        instants t0 and t1, of every tag of every machine."""
        ids = []
        for m in json.loads(self.get("/api/overview"))["machines"]:
            ids += [t["id"] for t in json.loads(self.get(f"/api/machines/{m['key']}"))["tags"]]
        frm, to = int((self.wall + t0) * 1000), int((self.wall + t1) * 1000)
        text = self.get(f"/api/export/samples.csv?tags={','.join(map(str, sorted(set(ids))))}&from={frm}&to={to}").decode()
        stamps = []
        for row in text.splitlines()[1:]:
            cells = row.split(",")
            if cells[-1] == "good":
                t = cells[0]
                stamps.append(calendar.timegm(time.strptime(t[:19], "%Y-%m-%dT%H:%M:%S")) * 1000 + int(t[20:23]))
        self.stamps = sorted(stamps)
        self.tags = len(set(ids))

    def rate(self, t0, t1):
        """Good samples stored per second in [t0, t1], counted by their time stamps over
        the longest whole number of seconds in it (every device polls each second, so
        such a window holds the same number of polls wherever it starts)."""
        secs = int(t1 - t0)
        if secs < 1 or not self.stamps:
            return None
        a = int((self.wall + t0) * 1000)
        b = a + secs * 1000
        return sum(1 for x in self.stamps if a <= x < b) / secs

    def peak_rss(self, t0, t1):
        return max((p[1] for p in self.points if t0 <= p[0] <= t1), default=None)

    def worst_latency(self, t0, t1):
        return max((p[2] for p in self.points if t0 <= p[0] <= t1), default=None)


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True)


def stale_runs_down():
    """Removes what an earlier run that was killed left behind (its namespace, its
    veth pair, its addresses), so this run's addresses are free."""
    for line in sh("ip", "netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.fullmatch(r"plantlog-attack-(\d+)", name)
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            sh("ip", "netns", "del", name, check=False)
    for line in sh("ip", "-o", "link", "show", check=False).stdout.splitlines():
        m = re.match(r"\d+: (pla\d*-?h)[@:]", line)
        if m:
            pid = re.sub(r"\D", "", m.group(1))
            if not pid or not os.path.exists(f"/proc/{pid}"):
                sh("ip", "link", "del", m.group(1), check=False)


def netns_up():
    if os.geteuid() != 0 or not shutil.which("ip"):
        return False
    stale_runs_down()
    try:
        sh("ip", "netns", "add", NS)
        sh("ip", "link", "add", VETH_HOST, "type", "veth", "peer", "name", VETH_NS)
        sh("ip", "link", "set", VETH_NS, "netns", NS)
        sh("ip", "addr", "add", f"{HOST_IP}/24", "dev", VETH_HOST)
        sh("ip", "link", "set", VETH_HOST, "up")
        sh("ip", "netns", "exec", NS, "ip", "addr", "add", f"{NS_IP}/24", "dev", VETH_NS)
        for ip in FLOOD_IPS:
            sh("ip", "netns", "exec", NS, "ip", "addr", "add", f"{ip}/24", "dev", VETH_NS)
        sh("ip", "netns", "exec", NS, "ip", "link", "set", VETH_NS, "up")
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up")
        return True
    except subprocess.CalledProcessError as e:
        print(f"no network namespace ({e.stderr.strip()}); attacking over loopback", file=sys.stderr)
        netns_down()
        return False


def netns_down():
    sh("ip", "link", "del", VETH_HOST, check=False)
    sh("ip", "netns", "del", NS, check=False)


def start_demo(binary, data_dir):
    log = open(os.path.join(os.path.dirname(data_dir), os.path.basename(data_dir) + ".log"), "w")
    p = subprocess.Popen(
        [binary, "demo", "--listen", "0.0.0.0", "--port", "0", "--data-dir", data_dir],
        stdout=subprocess.PIPE, stderr=log, text=True,
    )
    users, port, deadline = {}, None, time.monotonic() + 120
    for line in p.stdout:
        m = re.search(r"running at http://[^:]+:(\d+)/", line)
        if m:
            port = int(m.group(1))
        m = re.match(r"^\s+(operator|supervisor|maintenance|quality|stores|management|admin)\s+(\S+)\s+(\S+)\s*$", line)
        if m:
            users[m.group(1)] = m.group(3)
        if "Certificate" in line or time.monotonic() > deadline:
            break
    threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
    if not port or len(users) < 7:
        p.kill()
        raise SystemExit("the demo did not start")
    return p, port, users


def record_every_poll(binary, data_dir):
    """The demo records most tags on change: its stored rate follows the machines. For a
    steady measure, every tag is recorded at every poll (imported from the console, as
    an admin would; the running demo switches within seconds)."""
    text = sh(binary, "config", "export", "--data-dir", data_dir).stdout
    text = re.sub(r'^record = ".*"$', 'record = "every_poll"', text, flags=re.M)
    text = re.sub(r"^(deadband|deadband_percent|heartbeat_s) = .*$\n", "", text, flags=re.M)
    path = os.path.join(data_dir, "every-poll.toml")
    with open(path, "w") as f:
        f.write(text)
    sh(binary, "config", "import", path, "--data-dir", data_dir)


def orchestrate(binary, times):
    data_dir = tempfile.mkdtemp(prefix="plantlog-attack-")
    use_ns = netns_up()
    demo = None
    try:
        demo, port, users = start_demo(binary, data_dir)
        record_every_poll(binary, data_dir)
        time.sleep(10)
        cert = os.path.join(data_dir, "tls", "cert.pem")
        target_host = HOST_IP if use_ns else "127.0.0.1"
        mon = Monitor(port, users, demo.pid)
        mon.start()
        print(f"Plantlog demo (pid {demo.pid}) on 0.0.0.0:{port}; attacker at "
              f"{NS_IP + ' (own network namespace)' if use_ns else '127.0.0.1 (no namespace: LAN-only checks weaker)'}")
        print(f"baseline: {times['baseline']} s of collecting...", flush=True)
        time.sleep(times["baseline"])
        t_base = (time.monotonic() - times["baseline"] + 2, time.monotonic())
        base_rss = mon.peak_rss(*t_base)
        rows = []
        for name in PHASES:
            t0 = time.monotonic()
            cmd = [sys.executable, __file__, "--phase", name, "--host", target_host, "--port", str(port), "--cert", cert, "--users", json.dumps(users)]
            if use_ns:
                cmd += ["--sources", ",".join(FLOOD_IPS)]
            if times is SHORT_TIMES:
                cmd += ["--short"]
            if use_ns:
                cmd = ["ip", "netns", "exec", NS] + cmd
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
            try:
                result = json.loads(out.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                result = {"sent": 0, "answers": out.stderr[-400:], "refused": False}
            # Collection is measured over at least 15 s (8 s short) around each attack.
            while time.monotonic() - t0 < times["window"]:
                time.sleep(0.5)
            t1 = time.monotonic()
            rows.append([name, result, (t0, t1), mon.peak_rss(t0, t1), mon.worst_latency(t0, t1), round(t1 - t0)])
            print(f"  {name}: done", flush=True)
        # Memory after the attacks: what a flood leaves behind.
        time.sleep(times["after"])
        after_rss = rss_mb(demo.pid)
        # A second for the last samples to be committed, then what was stored, counted.
        time.sleep(2)
        mon.read_samples(t_base[0] - 1, time.monotonic() - 2)
        mon.stop.set()
        base_rate = mon.rate(*t_base)
        for row in rows:
            row[2] = mon.rate(*row[2])
        with open(data_dir + ".log") as f:
            errors = [l.strip() for l in f if "ERROR" in l or "panicked" in l]
        return report(rows, base_rate, base_rss, use_ns, after_rss, errors, times)
    finally:
        if demo:
            demo.terminate()
            try:
                demo.wait(timeout=30)
            except subprocess.TimeoutExpired:
                demo.kill()
        if use_ns:
            netns_down()
        shutil.rmtree(data_dir, ignore_errors=True)
        try:
            os.remove(data_dir + ".log")
        except OSError:
            pass


def report(rows, base_rate, base_rss, use_ns, after_rss, errors, times):
    print()
    print("Attack run report")
    print("=================")
    print(f"attacker: {'a LAN host (network namespace, veth)' if use_ns else 'loopback'}; "
          f"baseline: {base_rate or 0:.1f} good samples stored per second, server memory {base_rss or 0:.0f} MB")
    print("stored/s: good samples stored per second, counted by their own time stamps over the whole")
    print("seconds of each attack's window; monitor s: the slowest answer to the monitor on this PC")
    print()
    print(f"{'attack':<28} {'refused':<8} {'stored/s':>9} {'vs base':>8} {'peak MB':>8} {'monitor s':>9}  answers")
    ok = True
    for name, res, rate, rss, lat, secs in rows:
        change = (rate - base_rate) / base_rate * 100 if rate and base_rate else float("nan")
        kept = rate is not None and abs(change) <= 10
        ok &= bool(res.get("refused")) and kept
        print(f"{name:<28} {'yes' if res.get('refused') else 'NO':<8} {rate or 0:>9.1f} {change:>+7.1f}% {rss or 0:>8.0f} {lat or 0:>9.2f}  {json.dumps(res.get('answers'))}")
    print()
    print(f"server memory {times['after']} s after the last attack: {after_rss or 0:.0f} MB")
    print(f"errors in the server's log: {len(errors)}")
    for e in errors[:10]:
        print("  ", re.sub(r"\x1b\[[0-9;]*m", "", e)[:300])
    print("verdict:", "every attack refused, collection unchanged within 10 %" if ok else "FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--phase")
    ap.add_argument("--host")
    ap.add_argument("--port", type=int)
    ap.add_argument("--cert")
    ap.add_argument("--users")
    ap.add_argument("--sources", default="")
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--binary", default=os.environ.get("PLANTLOG_BIN", "target/release/plantlog"))
    a = ap.parse_args()
    if a.phase:
        t = {"host": a.host, "port": a.port, "cert": a.cert, "sources": [x for x in a.sources.split(",") if x],
             "times": SHORT_TIMES if a.short else TIMES}
        print(json.dumps(PHASES[a.phase](t, json.loads(a.users))))
        return 0
    return orchestrate(a.binary, SHORT_TIMES if a.short else TIMES)


if __name__ == "__main__":
    sys.exit(main())
