"""Live tests of modbus_peer.py against pymodbus' own client (and raw sockets).

    cd tests/peers && .venv/bin/python -m unittest -v test_peer

Needs the venv from setup.sh (pymodbus) and, for the RTU tests, socat.  Values are
decoded with peer_values.decode_tag and compared with the peer's --expect-out JSON.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import struct
import tempfile
import time
import unittest
from pathlib import Path

from peer_harness import TEMPLATES, PeerProcess, PtyPair
from peer_values import decode_tag, parse_template

try:
    from pymodbus.client import ModbusSerialClient, ModbusTcpClient
    from pymodbus.exceptions import ModbusException
    from pymodbus.framer import FramerType
except ImportError:  # pragma: no cover
    ModbusTcpClient = None  # type: ignore[assignment]

HAVE_SOCAT = shutil.which("socat") is not None
logging.getLogger("pymodbus").setLevel(logging.CRITICAL)
ALL_TEMPLATES = sorted(TEMPLATES.glob("*.toml"))


def read_values(client, unit: int, function: str, address: int, count: int):
    """Returns a list of bools/registers, or ('exception', code), or ('error', text)."""
    fn = {
        "coil": client.read_coils,
        "discrete": client.read_discrete_inputs,
        "holding": client.read_holding_registers,
        "input": client.read_input_registers,
    }[function]
    try:
        rr = fn(address, count=count, device_id=unit)
    except ModbusException as exc:
        return ("error", str(exc))
    if rr.isError():
        return ("exception", getattr(rr, "exception_code", None))
    if function in ("coil", "discrete"):
        return list(rr.bits[:count])
    return list(rr.registers)


def read_template(testcase: unittest.TestCase, client, unit: int, path: Path, expected: dict):
    tpl = parse_template(path)
    seen = 0
    for tag in tpl.tags:
        vals = read_values(client, unit, tag.function, tag.wire, tag.count)
        testcase.assertIsInstance(vals, list, f"{path.name} unit {unit} {tag.name}: {vals}")
        got = decode_tag(tag, vals)
        testcase.assertEqual(got, expected[tag.name], f"{path.name} unit {unit} {tag.name}")
        seen += 1
    testcase.assertEqual(seen, len(expected))
    return seen


def tcp_request(host: str, port: int, tid: int, unit: int, fc: int, addr: int, count: int) -> bytes:
    return struct.pack(">HHHBBHH", tid, 0, 6, unit, fc, addr, count)


def recv_all(sock: socket.socket, timeout: float) -> bytes:
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(1024)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, TimeoutError):
        pass
    return data


@unittest.skipIf(ModbusTcpClient is None, "pymodbus not installed (run setup.sh, use .venv/bin/python)")
class TcpTemplates(unittest.TestCase):
    def test_every_template_over_tcp(self):
        self.assertGreaterEqual(len(ALL_TEMPLATES), 7)
        for path in ALL_TEMPLATES:
            with self.subTest(template=path.name), tempfile.TemporaryDirectory() as d:
                out = Path(d) / "expect.json"
                with PeerProcess("--tcp", "127.0.0.1:0", "--unit", "1", "--template", str(path),
                                 "--expect-out", str(out)) as peer:
                    expected = json.loads(out.read_text())
                    self.assertEqual(list(expected), ["1"])
                    host, port = peer.host_port
                    self.assertNotEqual(port, 0)
                    client = ModbusTcpClient(host, port=port, timeout=2, retries=0)
                    self.assertTrue(client.connect())
                    try:
                        n = read_template(self, client, 1, path, expected["1"])
                    finally:
                        client.close()
                    self.assertEqual(n, len(parse_template(path).tags))


@unittest.skipIf(ModbusTcpClient is None, "pymodbus not installed")
class TcpBehaviour(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.expect = Path(self.tmp.name) / "e.json"
        self.peer = PeerProcess(
            "--tcp", "127.0.0.1:0",
            "--unit", "1", "--template", str(TEMPLATES / "autonics-tk4.toml"),
            "--unit", "2", "--identity", "--counter", "2000",
            "--unit", "3", "--template", str(TEMPLATES / "delta-ms300.toml"), "--exception", "6",
            "--unit", "4", "--identity", "--max-registers", "10",
            "--unit", "5", "--template", str(TEMPLATES / "selec-mfm383a.toml"), "--fill",
            "--expect-out", str(self.expect),
        )
        host, port = self.peer.host_port
        self.host, self.port = host, port
        self.client = ModbusTcpClient(host, port=port, timeout=1, retries=0)
        self.assertTrue(self.client.connect())

    def tearDown(self):
        self.client.close()
        self.peer.__exit__(None, None, None)
        self.tmp.cleanup()

    def test_expect_out_lists_template_units(self):
        e = json.loads(self.expect.read_text())
        self.assertEqual(sorted(e), ["1", "3", "5"])
        self.assertIs(e["1"]["control_stopped"], True)
        self.assertIsInstance(e["3"]["output_frequency"], float)

    def test_identity(self):
        for table in ("holding", "input"):
            for start in range(0, 1000, 125):
                vals = read_values(self.client, 2, table, start, min(125, 1000 - start))
                self.assertEqual(vals, list(range(start, start + len(vals))))
        for table in ("coil", "discrete"):
            for start in range(0, 1000, 500):
                vals = read_values(self.client, 2, table, start, 500)
                self.assertEqual(vals, [a % 2 == 1 for a in range(start, start + 500)])
        self.assertEqual(read_values(self.client, 2, "holding", 999, 2)[0], "exception")

    def test_counter(self):
        def counter():
            regs = read_values(self.client, 2, "holding", 2000, 2)
            return regs[0] << 16 | regs[1]
        a = counter()
        time.sleep(1.0)
        b = counter()
        self.assertTrue(8 <= b - a <= 12, (a, b))

    def test_exception_option_and_commands(self):
        self.assertEqual(read_values(self.client, 3, "holding", 0x2100, 1), ("exception", 6))
        self.assertEqual(self.peer.command("normal 3"), "ok")
        e = json.loads(self.expect.read_text())["3"]
        read_template(self, self.client, 3, TEMPLATES / "delta-ms300.toml", e)
        self.assertEqual(self.peer.command("exception 1 4"), "ok")
        self.assertEqual(read_values(self.client, 1, "input", 1000, 1), ("exception", 4))
        self.assertEqual(read_values(self.client, 1, "coil", 0, 2), ("exception", 4))
        self.assertEqual(self.peer.command("normal 1"), "ok")
        self.assertIsInstance(read_values(self.client, 1, "input", 1000, 1), list)
        self.assertTrue(self.peer.command("exception 99 4").startswith("err"))
        self.assertTrue(self.peer.command("bogus").startswith("err"))

    def test_addresses_not_served(self):
        # TK: input 31001..31008 are served, 31009 is not; 30105 neither
        self.assertEqual(read_values(self.client, 1, "input", 1000, 9), ("exception", 2))
        self.assertEqual(read_values(self.client, 1, "input", 104, 1), ("exception", 2))
        self.assertEqual(read_values(self.client, 1, "coil", 0, 3), ("exception", 2))
        self.assertEqual(read_values(self.client, 1, "holding", 0, 1), ("exception", 2))

    def test_fill(self):
        # Selec serves 0x00..0x3B contiguously anyway; --fill must not change the values
        e = json.loads(self.expect.read_text())["5"]
        read_template(self, self.client, 5, TEMPLATES / "selec-mfm383a.toml", e)
        self.assertEqual(read_values(self.client, 5, "input", 0x3C, 1), ("exception", 2))

    def test_max_registers(self):
        self.assertEqual(len(read_values(self.client, 4, "holding", 0, 10)), 10)
        self.assertEqual(read_values(self.client, 4, "holding", 0, 11), ("exception", 3))
        self.assertEqual(len(read_values(self.client, 2, "holding", 0, 125)), 125)

    def test_count_out_of_range(self):
        # 126 registers and 0 registers cannot even be decoded: exception 3, not silence
        for count in (126, 0):
            with socket.create_connection((self.host, self.port)) as s:
                s.sendall(tcp_request(self.host, self.port, 9, 2, 3, 0, count))
                data = recv_all(s, 0.5)
            self.assertEqual(data, struct.pack(">HHHBBB", 9, 0, 3, 2, 0x83, 3), count)

    def test_unknown_unit_gateway_exception(self):
        self.assertEqual(read_values(self.client, 9, "holding", 0, 1), ("exception", 11))

    def test_write_refused(self):
        rr = self.client.write_register(0, 5, device_id=2)
        self.assertTrue(rr.isError())
        self.assertEqual(rr.exception_code, 1)
        self.assertEqual(read_values(self.client, 2, "holding", 0, 1), [0])
        self.assertIn("WRITE-ATTEMPT unit 2 fc 6", self.peer.stderr())

    def test_kill_and_revive(self):
        self.assertEqual(self.peer.command("kill 2"), "ok")
        t = time.monotonic()
        res = read_values(self.client, 2, "holding", 0, 1)
        self.assertEqual(res[0], "error", res)
        self.assertGreaterEqual(time.monotonic() - t, 0.9)
        self.client.close()
        self.assertTrue(self.client.connect())
        # the other units still answer
        self.assertIsInstance(read_values(self.client, 1, "input", 1000, 1), list)
        self.assertEqual(self.peer.command("revive 2"), "ok")
        self.assertEqual(read_values(self.client, 2, "holding", 7, 1), [7])

    def test_set_command(self):
        self.assertEqual(self.peer.command("set 2 holding 10 4321"), "ok")
        self.assertEqual(read_values(self.client, 2, "holding", 9, 3), [9, 4321, 11])
        self.assertEqual(self.peer.command("set 2 coil 16 1"), "ok")
        self.assertEqual(self.peer.command("set 2 coil 17 0"), "ok")
        self.assertEqual(read_values(self.client, 2, "coil", 15, 4), [True, True, False, False])
        self.assertTrue(self.peer.command("set 2 holding 5000 1").startswith("err"))

    def test_late_answer_still_goes_out(self):
        self.assertEqual(self.peer.command("late 2 1:400:500"), "ok")
        with socket.create_connection((self.host, self.port)) as s:
            s.sendall(tcp_request(self.host, self.port, 0x1234, 2, 3, 5, 2))
            t = time.monotonic()
            early = recv_all(s, 0.3)
            self.assertEqual(early, b"")
            data = recv_all(s, 1.0)
            dt = time.monotonic() - t
        self.assertTrue(0.39 <= dt, dt)
        # MBAP tid 0x1234, unit 2, fc 3, 4 bytes: registers 5 and 6
        self.assertEqual(data, struct.pack(">HHHBBBHH", 0x1234, 0, 7, 2, 3, 4, 5, 6))
        self.assertEqual(self.peer.command("late 2 off"), "ok")

    def test_late_is_late(self):
        self.assertEqual(self.peer.command("late 2 1:300:400"), "ok")
        self.client.comm_params.timeout_connect = 2
        t = time.monotonic()
        self.assertEqual(read_values(self.client, 2, "holding", 1, 1), [1])
        dt = time.monotonic() - t
        self.assertTrue(0.29 <= dt <= 0.8, dt)
        self.assertEqual(self.peer.command("late 2 0.5:200:200"), "ok")
        fast = slow = 0
        for _ in range(20):
            t = time.monotonic()
            self.assertEqual(read_values(self.client, 2, "holding", 1, 1), [1])
            if time.monotonic() - t >= 0.19:
                slow += 1
            else:
                fast += 1
        self.assertGreater(fast, 0)
        self.assertGreater(slow, 0)

    def test_pipelined_requests(self):
        # two requests in one TCP write: both answered, each with its own transaction id
        with socket.create_connection((self.host, self.port)) as s:
            s.sendall(tcp_request(self.host, self.port, 1, 2, 3, 100, 1)
                      + tcp_request(self.host, self.port, 2, 2, 4, 200, 1))
            data = recv_all(s, 0.5)
        self.assertEqual(len(data), 22)
        answers = sorted([data[:11], data[11:]])
        self.assertEqual(answers[0], struct.pack(">HHHBBBH", 1, 0, 5, 2, 3, 2, 100))
        self.assertEqual(answers[1], struct.pack(">HHHBBBH", 2, 0, 5, 2, 4, 2, 200))

    def test_kill_while_late_drops_the_answer(self):
        self.assertEqual(self.peer.command("late 2 1:600:600"), "ok")
        with socket.create_connection((self.host, self.port)) as s:
            s.sendall(tcp_request(self.host, self.port, 7, 2, 3, 0, 1))
            time.sleep(0.2)
            self.assertEqual(self.peer.command("kill 2"), "ok")
            self.assertEqual(recv_all(s, 1.0), b"")


@unittest.skipIf(ModbusTcpClient is None, "pymodbus not installed")
class Process(unittest.TestCase):
    def test_stdin_eof_stops_the_peer(self):
        peer = PeerProcess("--tcp", "127.0.0.1:0", "--unit", "1", "--identity")
        peer.proc.stdin.close()
        self.assertEqual(peer.proc.wait(5), 0)
        peer.__exit__(None, None, None)

    def test_quit(self):
        with PeerProcess("--tcp", "127.0.0.1:0", "--unit", "1", "--identity") as peer:
            self.assertEqual(peer.command("quit"), "ok")
            self.assertEqual(peer.proc.wait(5), 0)

    def test_bad_arguments(self):
        import subprocess
        from peer_harness import PEER, venv_python
        for args in (["--unit", "1"],
                     ["--tcp", "127.0.0.1:0", "--identity"],
                     ["--tcp", "127.0.0.1:0", "--unit", "1", "--garbage", "0.1"],
                     ["--tcp", "127.0.0.1:0", "--unit", "1", "--late", "2:1:1"],
                     ["--tcp", "127.0.0.1:0"]):
            with self.subTest(args=args):
                r = subprocess.run([venv_python(), str(PEER), *args], capture_output=True,
                                   text=True, timeout=20, stdin=subprocess.DEVNULL)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stdout, "")


@unittest.skipIf(ModbusTcpClient is None, "pymodbus not installed")
@unittest.skipUnless(HAVE_SOCAT, "socat not installed")
class Rtu(unittest.TestCase):
    def test_all_templates_on_one_line_plus_identity(self):
        with PtyPair() as pty, tempfile.TemporaryDirectory() as d:
            out = Path(d) / "e.json"
            args = ["--rtu", pty.peer_end, "--baud", "19200", "--parity", "E"]
            for i, path in enumerate(ALL_TEMPLATES, start=1):
                args += ["--unit", str(i), "--template", str(path)]
            args += ["--unit", "200", "--identity", "--expect-out", str(out)]
            with PeerProcess(*args) as peer:
                self.assertEqual(peer.address, pty.peer_end)
                expected = json.loads(out.read_text())
                client = ModbusSerialClient(pty.client_end, baudrate=19200, timeout=1, retries=0)
                self.assertTrue(client.connect())
                try:
                    for i, path in enumerate(ALL_TEMPLATES, start=1):
                        read_template(self, client, i, path, expected[str(i)])
                    self.assertEqual(read_values(client, 200, "input", 120, 5), [120, 121, 122, 123, 124])
                    # a unit that is not on the line stays silent
                    self.assertEqual(read_values(client, 99, "input", 0, 1)[0], "error")
                    self.assertEqual(peer.command("kill 200"), "ok")
                    self.assertEqual(read_values(client, 200, "input", 0, 1)[0], "error")
                    self.assertEqual(peer.command("revive 200"), "ok")
                    self.assertEqual(read_values(client, 200, "input", 3, 1), [3])
                    self.assertEqual(peer.command("exception 200 2"), "ok")
                    self.assertEqual(read_values(client, 200, "input", 3, 1), ("exception", 2))
                finally:
                    client.close()

    def test_garbage(self):
        with PtyPair() as pty:
            with PeerProcess("--rtu", pty.peer_end, "--unit", "1", "--identity",
                             "--garbage", "0.5", "--seed", "7", "--verbose") as peer:
                client = ModbusSerialClient(pty.client_end, baudrate=9600, timeout=0.5, retries=0)
                self.assertTrue(client.connect())
                good = bad = 0
                try:
                    for i in range(40):
                        res = read_values(client, 1, "holding", i, 3)
                        if isinstance(res, list):
                            self.assertEqual(res, [i, i + 1, i + 2])
                            good += 1
                        else:
                            bad += 1
                            time.sleep(0.05)
                finally:
                    client.close()
                log = peer.stderr()
                self.assertIn("noise bytes before the answer", log)
                self.assertIn("flipped (bad CRC)", log)
                self.assertGreater(good, 5)
                self.assertGreater(bad, 3)


@unittest.skipIf(ModbusTcpClient is None, "pymodbus not installed")
class RtuOverTcp(unittest.TestCase):
    def test_two_units(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "e.json"
            t1, t2 = TEMPLATES / "carlo-gavazzi-em24.toml", TEMPLATES / "schneider-iem3000.toml"
            with PeerProcess("--rtu-over-tcp", "127.0.0.1:0", "--unit", "11", "--template", str(t1),
                             "--unit", "12", "--template", str(t2), "--expect-out", str(out)) as peer:
                e = json.loads(out.read_text())
                host, port = peer.host_port
                client = ModbusTcpClient(host, port=port, framer=FramerType.RTU, timeout=1, retries=0)
                self.assertTrue(client.connect())
                try:
                    read_template(self, client, 11, t1, e["11"])
                    read_template(self, client, 12, t2, e["12"])
                    self.assertEqual(read_values(client, 13, "input", 0, 1)[0], "error")
                finally:
                    client.close()
            # the raw answer is RTU framed (address, function, ..., CRC), no MBAP header
            with PeerProcess("--rtu-over-tcp", "127.0.0.1:0", "--unit", "1", "--identity") as peer:
                with socket.create_connection(peer.host_port) as s:
                    s.sendall(bytes.fromhex("010300050002d40a"))
                    data = recv_all(s, 0.5)
                self.assertEqual(data[:7], bytes.fromhex("0103040005 0006".replace(" ", "")))
                self.assertEqual(len(data), 9)


if __name__ == "__main__":
    unittest.main()
