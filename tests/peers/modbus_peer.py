#!/usr/bin/env python3
"""An independent Modbus server (slave) for Plantlog's integration tests, built on pymodbus.

It serves one or more unit ids over Modbus TCP, Modbus RTU on a serial device (e.g. one
end of a socat pty pair) or RTU framing over TCP, with known values from Plantlog's
device templates, an identity map, and faults injected on demand: exception answers,
late answers, no answer at all (a unit that lost power), and noise / broken CRCs on RTU.

See tests/peers/README.md for the command line, the stdin commands and what a test can
rely on.  Examples:

    modbus_peer.py --tcp 127.0.0.1:0 --unit 1 --template templates/eastron-sdm630.toml \\
        --expect-out /tmp/expect.json
    modbus_peer.py --rtu /dev/pts/7 --baud 9600 --parity E --unit 1 --identity \\
        --unit 2 --template templates/delta-ms300.toml --late 0.2:300:800 --garbage 0.1

Prints exactly one line "READY <address>" on stdout once it listens, then "ok" (or
"err <reason>") for each command read from stdin.  Everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from peer_values import TemplateError, parse_template, serve_template  # noqa: E402

try:
    from pymodbus import __version__ as PYMODBUS_VERSION
    from pymodbus.constants import ExcCodes
    from pymodbus.exceptions import ModbusIOException
    from pymodbus.framer import FramerType
    from pymodbus.pdu import ExceptionResponse
    from pymodbus.server import ModbusSerialServer, ModbusTcpServer
    from pymodbus.server.requesthandler import ServerRequestHandler
    from pymodbus.simulator import DataType, SimData, SimDevice
    from pymodbus.transaction import TransactionManager
except ImportError as _exc:  # pragma: no cover
    sys.stderr.write(
        f"modbus_peer: pymodbus is missing ({_exc}); run tests/peers/setup.sh and use "
        f"tests/peers/.venv/bin/python\n"
    )
    sys.exit(3)

READ_FCS = {1: "coil", 2: "discrete", 3: "holding", 4: "input"}
WRITE_FCS = {5, 6, 15, 16, 22, 23}
TABLE_KEY = {"coil": "c", "discrete": "d", "holding": "h", "input": "i"}
IDENTITY_SIZE = 1000


def log(msg: str) -> None:
    sys.stderr.write(f"modbus_peer: {msg}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- units


@dataclass
class Late:
    prob: float
    min_ms: float
    max_ms: float

    @classmethod
    def parse(cls, text: str) -> "Late":
        parts = text.split(":")
        if len(parts) != 3:
            raise ValueError("expected PROB:MIN_MS:MAX_MS")
        prob, lo, hi = float(parts[0]), float(parts[1]), float(parts[2])
        if not 0.0 <= prob <= 1.0 or lo < 0 or hi < lo:
            raise ValueError("PROB must be 0..1 and 0 <= MIN_MS <= MAX_MS")
        return cls(prob, lo, hi)

    def __str__(self) -> str:
        return f"{self.prob:g}:{self.min_ms:g}:{self.max_ms:g}"


@dataclass
class UnitSpec:
    uid: int
    template: str | None = None
    identity: bool = False
    exception: int | None = None
    late: Late | None = None
    counters: list[int] = field(default_factory=list)
    fill: bool = False
    max_registers: int | None = None


@dataclass
class Unit:
    spec: UnitSpec
    values: dict[str, dict[int, int | bool]]  # table -> wire address -> value
    valid: dict[str, set[int]]  # table -> readable wire addresses
    expected: dict[str, object] | None
    killed: bool = False
    exception: int | None = None
    late: Late | None = None

    @property
    def uid(self) -> int:
        return self.spec.uid


def build_unit(spec: UnitSpec) -> Unit:
    values: dict[str, dict[int, int | bool]] = {t: {} for t in TABLE_KEY}
    if spec.identity:
        for a in range(IDENTITY_SIZE):
            values["holding"][a] = a
            values["input"][a] = a
            values["coil"][a] = a % 2 == 1
            values["discrete"][a] = a % 2 == 1
    expected = None
    if spec.template:
        tpl = parse_template(spec.template, strict=False)
        served = serve_template(tpl)
        for msg in served.skipped:
            log(f"unit {spec.uid}: {Path(spec.template).name}: {msg}")
        for table in TABLE_KEY:
            values[table].update(served.table(table))
        expected = dict(served.expected)
        for addr in spec.counters:
            hit = [
                t.name for t in tpl.tags
                if t.function == "holding" and t.name in expected
                and (addr in t.span() or addr + 1 in t.span())
            ]
            for name in hit:
                log(f"unit {spec.uid}: counter at holding {addr} overwrites tag {name}; "
                    f"left out of the expected values")
                expected.pop(name, None)
    for addr in spec.counters:
        values["holding"][addr] = 0
        values["holding"][addr + 1] = 0
    valid: dict[str, set[int]] = {}
    for table, vals in values.items():
        if spec.fill and vals:
            lo, hi = min(vals), max(vals)
            zero = False if table in ("coil", "discrete") else 0
            for a in range(lo, hi + 1):
                vals.setdefault(a, zero)
        valid[table] = set(vals)
    return Unit(spec=spec, values=values, valid=valid, expected=expected,
                exception=spec.exception, late=spec.late)


def _runs(vals: dict[int, int | bool]) -> list[tuple[int, list]]:
    out: list[tuple[int, list]] = []
    for a in sorted(vals):
        if out and out[-1][0] + len(out[-1][1]) == a:
            out[-1][1].append(vals[a])
        else:
            out.append((a, [vals[a]]))
    return out


def simdevice_for(unit: Unit, action) -> SimDevice:
    """pymodbus SimDevice with 4 separate tables (coils, discrete inputs, holding, input).

    Addresses that are not served are refused by the request handler before the
    datastore is asked, so the placeholders for empty tables are never read."""
    blocks = []
    for table in ("coil", "discrete", "holding", "input"):
        vals = unit.values[table]
        entries = []
        for start, run in _runs(vals):
            if table in ("coil", "discrete"):
                entries.append(SimData(start, values=[bool(v) for v in run], datatype=DataType.BITS))
            else:
                entries.append(SimData(start, values=[int(v) for v in run], datatype=DataType.REGISTERS))
        if not entries:  # pymodbus needs one entry per table
            if table in ("coil", "discrete"):
                entries.append(SimData(0, values=[False] * 16, datatype=DataType.BITS))
            else:
                entries.append(SimData(0, values=[0], datatype=DataType.REGISTERS))
        blocks.append(entries)
    return SimDevice(id=unit.uid, simdata=tuple(blocks), action=action)


# --------------------------------------------------------------------------- server side


class PeerHandler(ServerRequestHandler):
    """One connection (TCP) or the serial line; hands every decoded request to the Peer.

    Unlike pymodbus' own handler, each request is answered by its own task with the PDU
    captured at arrival, so a late answer keeps its transaction id and unit."""

    def __init__(self, owner, peer: "Peer"):
        super().__init__(owner, None, None, None)
        self.peer = peer

    def callback_data(self, data: bytes, addr: tuple | None = None) -> int:
        used = 0
        while used < len(data):  # several requests may arrive in one read (TCP)
            try:
                n = TransactionManager.callback_data(self, data[used:], addr)
            except ModbusIOException as exc:
                self.peer.spawn(self.peer.answer_undecodable(self, exc, data[used:], addr))
                return len(data)
            pdu, pdu_addr = self.last_pdu, self.last_addr
            self.last_pdu = self.last_addr = None
            used += n
            if pdu is None:
                break
            self.peer.spawn(self.peer.answer(self, pdu, pdu_addr))
            if n == 0:
                break
        return used


class Peer:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rtu_framing = bool(args.rtu or args.rtu_over_tcp)
        self.garbage = args.garbage or 0.0
        self.verbose = args.verbose
        self.units: dict[int, Unit] = {}
        self.server = None
        self.simcore = None
        self.t0 = time.monotonic()
        self.tasks: set[asyncio.Task] = set()
        self.stop_event: asyncio.Event | None = None
        self.char_time = 11.0 / (args.baud or 9600)

    # ---- setup

    def build(self) -> None:
        for spec in self.args.units:
            self.units[spec.uid] = build_unit(spec)
        if self.args.expect_out:
            data = {str(u.uid): u.expected for u in self.units.values() if u.expected is not None}
            tmp = Path(self.args.expect_out).with_name(Path(self.args.expect_out).name + ".tmp")
            tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
            os.replace(tmp, self.args.expect_out)

    async def counter_action(self, unit: Unit, function_code, start_address, address, count,
                             registers, set_values):
        """SimDevice action: keep the u32 counters current in the holding table."""
        _ = address, count, set_values
        if function_code not in (3, 6, 16, 22, 23):
            return None
        value = int((time.monotonic() - self.t0) * 10) & 0xFFFF_FFFF
        for addr in unit.spec.counters:
            i = addr - start_address
            if 0 <= i and i + 1 < len(registers):
                registers[i] = value >> 16
                registers[i + 1] = value & 0xFFFF
        return None

    async def start(self) -> str:
        devices = [simdevice_for(u, partial(self.counter_action, u)) for u in self.units.values()]
        args = self.args
        if args.tcp or args.rtu_over_tcp:
            host, port = split_hostport(args.tcp or args.rtu_over_tcp)
            self.server = ModbusTcpServer(
                devices, address=(host, port),
                framer=FramerType.RTU if args.rtu_over_tcp else FramerType.SOCKET,
            )
        else:
            parity = check_serial(args.rtu, args.baud, args.parity, args.stopbits, args.bytesize)
            self.server = ModbusSerialServer(
                devices, framer=FramerType.RTU, port=args.rtu, baudrate=args.baud,
                parity=parity, stopbits=args.stopbits, bytesize=args.bytesize,
                timeout=0,
            )
        self.server.callback_new_connection = lambda: PeerHandler(self.server, self)
        self.simcore = self.server.context
        await self.server.serve_forever(background=True)
        if args.rtu:
            return args.rtu
        sock = self.server.transport.sockets[0]
        name = sock.getsockname()
        host = name[0]
        if ":" in host:
            host = f"[{host}]"
        return f"{host}:{name[1]}"

    async def stop(self) -> None:
        for t in list(self.tasks):
            t.cancel()
        if self.server:
            await self.server.shutdown()

    def spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception():
            log(f"internal error while answering: {task.exception()!r}")

    # ---- answering

    async def answer_undecodable(self, handler, exc: ModbusIOException, data: bytes, addr) -> None:
        """A frame with a good CRC / MBAP that pymodbus could not decode (e.g. a count
        out of range, an unknown function code)."""
        uid = exc.dev_id if exc.dev_id is not None else 0
        fc = exc.fcode
        if fc is None:
            pos = 1 if self.rtu_framing else 7
            fc = data[pos] & 0x7F if len(data) > pos else 0
        if fc in WRITE_FCS:
            log(f"WRITE-ATTEMPT unit {uid} fc {fc} (this peer is read-only; refused or unanswered)")
        unit = self.units.get(uid)
        if unit is None or unit.killed:
            self.vlog(f"unit {uid} fc {fc}: undecodable request, no answer")
            return
        code = unit.exception or (ExcCodes.ILLEGAL_VALUE if fc in READ_FCS else ExcCodes.ILLEGAL_FUNCTION)
        resp = ExceptionResponse(fc, int(code), device_id=uid)
        resp.transaction_id = exc.transaction_id or 0
        self.vlog(f"unit {uid} fc {fc}: undecodable request -> exception {int(code)}")
        await self.send(handler, resp, unit, addr)

    async def answer(self, handler, pdu, addr) -> None:
        uid, fc = pdu.dev_id, pdu.function_code
        what = f"unit {uid} fc {fc}"
        if fc in READ_FCS:
            what += f" addr {pdu.address} count {pdu.count}"
        if fc in WRITE_FCS:
            log(f"WRITE-ATTEMPT unit {uid} fc {fc} (this peer is read-only; refused or unanswered)")
        unit = self.units.get(uid)
        if unit is None:
            if self.rtu_framing:
                self.vlog(f"{what}: no such unit, silent")
                return
            resp = ExceptionResponse(fc, ExcCodes.GATEWAY_NO_RESPONSE)
            self.vlog(f"{what}: no such unit -> exception 11")
            resp.transaction_id, resp.dev_id = pdu.transaction_id, uid
            await self.send(handler, resp, None, addr)
            return
        if unit.killed:
            self.vlog(f"{what}: unit killed, no answer")
            return
        late_ms = 0.0
        if unit.late and random.random() < unit.late.prob:
            late_ms = random.uniform(unit.late.min_ms, unit.late.max_ms)
            await asyncio.sleep(late_ms / 1000.0)
            if unit.killed:
                self.vlog(f"{what}: unit killed while answering late, no answer")
                return
        resp, desc = await self.respond(unit, pdu)
        resp.transaction_id, resp.dev_id = pdu.transaction_id, uid
        if late_ms:
            desc += f" (late {late_ms:.0f} ms)"
        self.vlog(f"{what} -> {desc}")
        await self.send(handler, resp, unit, addr)

    async def respond(self, unit: Unit, pdu):
        fc = pdu.function_code
        if unit.exception is not None:
            return ExceptionResponse(fc, unit.exception), f"exception {unit.exception} (injected)"
        if fc in WRITE_FCS:
            return ExceptionResponse(fc, ExcCodes.ILLEGAL_FUNCTION), "exception 1 (write)"
        if fc not in READ_FCS:
            return ExceptionResponse(fc, ExcCodes.ILLEGAL_FUNCTION), "exception 1 (function)"
        table = READ_FCS[fc]
        count, address = pdu.count, pdu.address
        limit = 2000 if fc in (1, 2) else 125
        if unit.spec.max_registers and fc in (3, 4):
            limit = min(limit, unit.spec.max_registers)
        if not 1 <= count <= limit:
            return ExceptionResponse(fc, ExcCodes.ILLEGAL_VALUE), f"exception 3 (count > {limit})"
        valid = unit.valid[table]
        if address + count > 65536 or any(a not in valid for a in range(address, address + count)):
            return ExceptionResponse(fc, ExcCodes.ILLEGAL_ADDRESS), "exception 2 (address)"
        resp = await pdu.datastore_update(self.simcore, unit.uid)
        if resp.function_code & 0x80:
            return resp, f"exception {resp.exception_code} (datastore)"
        if fc in (1, 2):
            return resp, f"{count} bits"
        return resp, f"{len(resp.registers)} registers"

    async def send(self, handler, resp, unit: Unit | None, addr) -> None:
        frame = handler.framer.buildFrame(resp)
        if self.rtu_framing and self.garbage and random.random() < self.garbage:
            if random.random() < 0.5:
                noise = bytes(random.randrange(256) for _ in range(random.randint(1, 8)))
                self.vlog(f"garbage: {len(noise)} noise bytes before the answer")
                if not self.write(handler, noise, addr):
                    return
                await asyncio.sleep(max(0.002, 4 * self.char_time))
                if unit is not None and unit.killed:
                    return
            else:
                buf = bytearray(frame)
                i = random.randrange(len(buf))
                buf[i] ^= random.randint(1, 255)
                frame = bytes(buf)
                self.vlog(f"garbage: byte {i} of the answer flipped (bad CRC)")
        self.write(handler, frame, addr)

    def write(self, handler, data: bytes, addr) -> bool:
        transport = handler.transport
        if transport is None:
            self.vlog("connection gone, answer dropped")
            return False
        if self.verbose:
            log(f"send {data.hex(' ')}")
        transport.write(data)
        return True

    def vlog(self, msg: str) -> None:
        if self.verbose:
            log(msg)

    # ---- control

    def command(self, line: str) -> str:
        parts = line.split()
        if not parts:
            return "err empty command"
        cmd, rest = parts[0].lower(), parts[1:]
        try:
            if cmd == "quit":
                if self.stop_event:
                    self.stop_event.set()
                return "ok"
            if cmd == "garbage" and len(rest) == 1:
                if not self.rtu_framing:
                    return "err garbage needs RTU framing (--rtu or --rtu-over-tcp)"
                p = float(rest[0])
                if not 0.0 <= p <= 1.0:
                    return "err PROB must be 0..1"
                self.garbage = p
                return "ok"
            if not rest:
                return f"err unknown command {line.strip()!r}"
            unit = self.units.get(int(rest[0]))
            if unit is None:
                return f"err unknown unit {rest[0]}"
            if cmd == "kill" and len(rest) == 1:
                unit.killed = True
            elif cmd == "revive" and len(rest) == 1:
                unit.killed = False
            elif cmd == "exception" and len(rest) == 2:
                code = int(rest[1], 0)
                if not 1 <= code <= 255:
                    return "err exception CODE must be 1..255"
                unit.exception = code
            elif cmd == "normal" and len(rest) == 1:
                unit.exception = None
            elif cmd == "late" and len(rest) == 2:
                unit.late = None if rest[1] == "off" else Late.parse(rest[1])
            elif cmd == "set" and len(rest) == 4:
                return self.set_value(unit, rest[1], int(rest[2], 0), int(rest[3], 0))
            else:
                return f"err unknown command {line.strip()!r}"
        except ValueError as exc:
            return f"err {exc}"
        log(f"command: {line.strip()}")
        return "ok"

    def set_value(self, unit: Unit, table: str, addr: int, value: int) -> str:
        if table not in TABLE_KEY:
            return "err TABLE must be coil, discrete, holding or input"
        if addr not in unit.valid[table]:
            return f"err {table} {addr} is not served by unit {unit.uid}"
        runtime = self.simcore.devices[unit.uid]
        start, _count, registers, _flags = runtime.block[TABLE_KEY[table]]
        if table in ("coil", "discrete"):
            if value not in (0, 1):
                return "err VALUE must be 0 or 1"
            i, b = addr // 16 - start, addr % 16
            registers[i] = (registers[i] | (1 << b)) if value else (registers[i] & ~(1 << b))
        else:
            if not 0 <= value <= 0xFFFF:
                return "err VALUE must be 0..65535"
            registers[addr - start] = value
        log(f"command: set unit {unit.uid} {table} {addr} = {value}")
        return "ok"


def check_serial(device: str, baud: int, parity: str, stopbits: int, bytesize: int) -> str:
    """Open the serial device once with the requested settings; return the parity to use.

    Some kernels refuse to set parity on a pseudo terminal (tcsetattr EINVAL).  On a pty
    the line settings do not change the bytes that pass, so the peer then falls back to
    no parity and says so on stderr; on a real serial port the error stands."""
    import serial  # pyserial, installed with pymodbus[serial]

    def try_open(par: str) -> None:
        s = serial.serial_for_url(device, baudrate=baud, parity=par, stopbits=stopbits,
                                  bytesize=bytesize, timeout=0)
        s.close()

    is_pty = os.path.realpath(device).startswith("/dev/pts/")
    if is_pty and parity != "N":
        # Linux ptys may refuse PARENB (EINVAL), not always reproducibly: do not try.
        log(f"{device} is a pty: parity {parity} not set, using N (line settings do not "
            f"change the bytes on a pty; the client may set any parity)")
        parity = "N"
    try_open(parity)
    return parity


def split_hostport(text: str) -> tuple[str, int]:
    if ":" not in text:
        raise argparse.ArgumentTypeError(f"{text!r}: expected HOST:PORT")
    host, port = text.rsplit(":", 1)
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


# --------------------------------------------------------------------------- command line


class _UnitAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        units = getattr(namespace, "units", None) or []
        try:
            uid = int(values, 0)
        except ValueError:
            parser.error(f"--unit {values!r}: not a number")
        if not 0 <= uid <= 255:
            parser.error(f"--unit {uid}: must be 0..255")
        if any(u.uid == uid for u in units):
            parser.error(f"--unit {uid} given twice")
        units.append(UnitSpec(uid))
        namespace.units = units


class _UnitOption(argparse.Action):
    """An option that applies to the last --unit."""

    def __call__(self, parser, namespace, values, option_string=None):
        units = getattr(namespace, "units", None)
        if not units:
            parser.error(f"{option_string} must follow a --unit")
        unit = units[-1]
        try:
            if self.dest == "template":
                if unit.template:
                    parser.error(f"--unit {unit.uid}: one --template per unit")
                unit.template = values
            elif self.dest == "identity":
                unit.identity = True
            elif self.dest == "fill":
                unit.fill = True
            elif self.dest == "exception":
                code = int(values, 0)
                if not 1 <= code <= 255:
                    raise ValueError("CODE must be 1..255")
                unit.exception = code
            elif self.dest == "late":
                unit.late = Late.parse(values)
            elif self.dest == "counter":
                addr = int(values, 0)
                if not 0 <= addr <= 65534:
                    raise ValueError("ADDR must be 0..65534")
                unit.counters.append(addr)
            elif self.dest == "max_registers":
                n = int(values, 0)
                if not 1 <= n <= 125:
                    raise ValueError("N must be 1..125")
                unit.max_registers = n
        except ValueError as exc:
            parser.error(f"{option_string} {values}: {exc}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="modbus_peer.py",
        description="Independent Modbus TCP/RTU server with known values and injectable "
                    "faults, for Plantlog's integration tests.",
        epilog="Unit options (--template, --identity, --exception, --late, --counter, "
               "--fill, --max-registers) apply to the --unit before them.  Commands on "
               "stdin: kill UNIT, revive UNIT, exception UNIT CODE, normal UNIT, "
               "late UNIT PROB:MIN_MS:MAX_MS|off, garbage PROB, "
               "set UNIT coil|discrete|holding|input ADDR VALUE, quit.",
    )
    p.set_defaults(units=None)
    t = p.add_mutually_exclusive_group(required=True)
    t.add_argument("--tcp", metavar="HOST:PORT", help="Modbus TCP (PORT 0 = a free port)")
    t.add_argument("--rtu", metavar="DEVICE", help="Modbus RTU on a serial device")
    t.add_argument("--rtu-over-tcp", metavar="HOST:PORT",
                   help="RTU framing over TCP, like a serial gateway (PORT 0 = a free port)")
    p.add_argument("--baud", type=int, default=9600, help="RTU baud rate (default 9600)")
    p.add_argument("--parity", choices=["N", "E", "O"], default="N", help="RTU parity (default N)")
    p.add_argument("--stopbits", type=int, choices=[1, 2], default=1, help="RTU stop bits (default 1)")
    p.add_argument("--bytesize", type=int, choices=[7, 8], default=8, help="RTU data bits (default 8)")
    p.add_argument("--unit", action=_UnitAction, metavar="ID",
                   help="add a unit id (slave address); repeat for several units on one line")
    p.add_argument("--template", action=_UnitOption, metavar="PATH",
                   help="serve a device template with known values")
    p.add_argument("--identity", action=_UnitOption, nargs=0,
                   help="holding/input register N (0..999) holds N; coil/discrete N holds N %% 2 == 1")
    p.add_argument("--exception", action=_UnitOption, metavar="CODE",
                   help="answer every request to this unit with exception CODE")
    p.add_argument("--late", action=_UnitOption, metavar="PROB:MIN_MS:MAX_MS",
                   help="with probability PROB answer after a random delay in [MIN_MS, MAX_MS]")
    p.add_argument("--counter", action=_UnitOption, metavar="ADDR",
                   help="holding ADDR, ADDR+1: u32 (high word first) counting up every 100 ms")
    p.add_argument("--fill", action=_UnitOption, nargs=0,
                   help="registers/bits between served ones read as 0 instead of exception 2")
    p.add_argument("--max-registers", action=_UnitOption, metavar="N",
                   help="refuse register reads of more than N registers with exception 3")
    p.add_argument("--garbage", type=float, metavar="PROB",
                   help="RTU framing only: with probability PROB send noise before an answer "
                        "or flip a byte of it")
    p.add_argument("--expect-out", metavar="FILE",
                   help="write the expected engineering values of the template tags as JSON")
    p.add_argument("--seed", type=int, help="seed for the random faults (repeatable runs)")
    p.add_argument("--keep-on-eof", action="store_true",
                   help="keep running when stdin reaches end of file (default: stop)")
    p.add_argument("--verbose", "-v", action="store_true", help="log requests and answers to stderr")
    args = p.parse_args(argv)
    if not args.units:
        p.error("give at least one --unit")
    if args.garbage is not None:
        if not (args.rtu or args.rtu_over_tcp):
            p.error("--garbage needs RTU framing (--rtu or --rtu-over-tcp)")
        if not 0.0 <= args.garbage <= 1.0:
            p.error("--garbage PROB must be 0..1")
    if args.rtu or args.rtu_over_tcp:
        for u in args.units:
            if not 1 <= u.uid <= 247:
                p.error(f"--unit {u.uid}: RTU slave addresses are 1..247")
    for hp in (args.tcp, args.rtu_over_tcp):
        if hp:
            try:
                split_hostport(hp)
            except (argparse.ArgumentTypeError, ValueError):
                p.error(f"{hp!r}: expected HOST:PORT")
    for u in args.units:
        if u.template and not Path(u.template).is_file():
            p.error(f"--template {u.template}: no such file")
    return args


def _stdin_reader(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue) -> None:
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line)
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def amain(args: argparse.Namespace) -> int:
    peer = Peer(args)
    try:
        peer.build()
    except TemplateError as exc:
        log(f"bad template: {exc}")
        return 2
    loop = asyncio.get_running_loop()
    peer.stop_event = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, peer.stop_event.set)
    try:
        where = await peer.start()
    except Exception as exc:  # noqa: BLE001
        log(f"cannot listen: {exc}")
        return 1
    for u in peer.units.values():
        parts = []
        if u.spec.template:
            parts.append(f"template {Path(u.spec.template).name}")
        if u.spec.identity:
            parts.append("identity")
        if u.spec.counters:
            parts.append("counter " + ",".join(map(str, u.spec.counters)))
        if u.exception is not None:
            parts.append(f"exception {u.exception}")
        if u.late:
            parts.append(f"late {u.late}")
        log(f"unit {u.uid}: " + (", ".join(parts) or "no registers"))
    log(f"pymodbus {PYMODBUS_VERSION}, listening on {where}")
    sys.stdout.write(f"READY {where}\n")
    sys.stdout.flush()

    queue: asyncio.Queue = asyncio.Queue()
    threading.Thread(target=_stdin_reader, args=(loop, queue), daemon=True).start()

    async def control() -> None:
        while True:
            line = await queue.get()
            if line is None:
                if not args.keep_on_eof:
                    log("stdin closed, stopping")
                    peer.stop_event.set()
                return
            if not line.strip():
                continue
            reply = peer.command(line)
            sys.stdout.write(reply + "\n")
            sys.stdout.flush()

    control_task = loop.create_task(control())
    await peer.stop_event.wait()
    control_task.cancel()
    await peer.stop()
    log("stopped")
    return 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.seed is not None:
        random.seed(args.seed)
    logging.getLogger("pymodbus").setLevel(logging.WARNING if args.verbose else logging.CRITICAL)
    try:
        return asyncio.run(amain(args))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
