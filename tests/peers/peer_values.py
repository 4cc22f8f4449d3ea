"""Template loading, Modbus addressing, value encoding/decoding and known test values.

Standard library only (Python 3.11+, tomllib), so that the template checker and the
encoder unit tests run without the pymodbus venv.  modbus_peer.py imports this module.

Definitions (the same as templates/README.md):

* Register numbers in Modicon notation, 5 or 6 digits:
    coil      1..9999      (00001..09999; TOML has no leading zeros)  -> wire = n - 1
    discrete  10001..19999                 or 100001..165536 -> wire = n - 10001 / n - 100001
    input     30001..39999                 or 300001..365536 -> wire = n - 30001 / n - 300001
    holding   40001..49999                 or 400001..465536 -> wire = n - 40001 / n - 400001
  (TOML integers have no leading zeros, so coil 00001 is written `register = 1`.)
* `address = N` is the 0-based wire address, used instead of `register`.
* Byte/word order of multi-register values, the value's big-endian bytes split in
  16-bit words W0 (most significant) .. Wn-1:
    ABCD  W0 W1 .. Wn-1, each word high byte first (big endian, the default)
    CDAB  Wn-1 .. W1 W0, each word high byte first ("low word first"; for 64-bit
          values all four words are reversed)
    BADC  W0 W1 .. Wn-1, the two bytes of each word swapped
    DCBA  Wn-1 .. W0, bytes swapped (fully little endian)
* Strings: `length` registers, 2 ASCII characters each; ABCD puts the first character
  in the high byte of the first register, BADC in the low byte.  Padding is NUL (0x00);
  a reader strips trailing NULs.
* value = raw * scale + offset.
"""

from __future__ import annotations

import math
import re
import struct
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FUNCTIONS = ("coil", "discrete", "holding", "input")
TYPES = ("bool", "bit", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64", "string")
ORDERS = ("ABCD", "CDAB", "BADC", "DCBA")
KINDS = ("energy meter", "temperature controller", "drive")

# registers used by each type (string: `length`)
TYPE_REGS = {
    "bool": 1, "bit": 1, "u16": 1, "i16": 1,
    "u32": 2, "i32": 2, "f32": 2,
    "u64": 4, "i64": 4, "f64": 4,
}
# struct codes, big endian
STRUCT_CODE = {
    "u16": "H", "i16": "h", "u32": "I", "i32": "i",
    "u64": "Q", "i64": "q", "f32": "f", "f64": "d",
}
INT_RANGE = {
    "u16": (0, 0xFFFF), "i16": (-0x8000, 0x7FFF),
    "u32": (0, 0xFFFF_FFFF), "i32": (-0x8000_0000, 0x7FFF_FFFF),
    "u64": (0, 0xFFFF_FFFF_FFFF_FFFF), "i64": (-0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF),
}

# (5-digit low, 5-digit high, 6-digit low, 6-digit high, base5, base6)
_MODICON = {
    "coil": (1, 9999, 1, 9999, 1, 1),
    "discrete": (10001, 19999, 100001, 165536, 10001, 100001),
    "input": (30001, 39999, 300001, 365536, 30001, 300001),
    "holding": (40001, 49999, 400001, 465536, 40001, 400001),
}

KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class TemplateError(ValueError):
    """A template file breaks the format."""


def wire_from_register(function: str, register: int) -> int:
    """0-based wire address of a Modicon register number for the given function.

    Raises TemplateError when the number does not belong to the function's range."""
    if function not in _MODICON:
        raise TemplateError(f"unknown function {function!r}")
    lo5, hi5, lo6, hi6, base5, base6 = _MODICON[function]
    if function == "coil":
        # TOML has no leading zeros: 6-digit coil numbers 010001.. would read as discrete
        # 10001.., so coils take 1..9999 only; use `address` beyond.
        if 1 <= register <= 9999:
            return register - 1
    else:
        if lo5 <= register <= hi5:
            return register - base5
        if lo6 <= register <= hi6:
            return register - base6
    raise TemplateError(
        f"register {register} is not a {function} register in Modicon notation "
        f"({lo5}..{hi5} or {lo6}..{hi6})"
    )


def function_of_register(register: int) -> str | None:
    """The table a Modicon number belongs to (5 digits below 100000, else 6), or None."""
    if register < 1:
        return None
    prefix = register // 100000 if register >= 100000 else register // 10000
    return {0: "coil", 1: "discrete", 3: "input", 4: "holding"}.get(prefix)


def register_count(tag: dict) -> int:
    t = tag["type"]
    if t == "string":
        return int(tag["length"])
    return TYPE_REGS[t]


@dataclass
class Tag:
    index: int  # 0-based position in the file
    name: str
    label: str
    function: str
    wire: int  # 0-based wire address
    type: str
    order: str = "ABCD"
    scale: float = 1.0
    offset: float = 0.0
    unit: str | None = None
    bit: int | None = None
    length: int | None = None
    register: int | None = None  # as written, if given
    address: int | None = None  # as written, if given

    @property
    def count(self) -> int:
        if self.type == "string":
            return int(self.length or 0)
        return TYPE_REGS[self.type]

    @property
    def table(self) -> str:
        return self.function

    def span(self) -> range:
        return range(self.wire, self.wire + self.count)


@dataclass
class Template:
    path: Path
    key: str
    meta: dict
    device: dict
    tags: list[Tag] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


TOP_KEYS = {"template", "tags"}
TEMPLATE_KEYS = {"key", "maker", "model", "kind", "document", "url", "notes", "device"}
TEMPLATE_REQUIRED = ("key", "maker", "model", "kind", "document")
DEVICE_KEYS = {"timeout_ms", "poll_ms", "max_registers", "max_bits", "max_gap"}
TAG_KEYS = {
    "name", "label", "function", "register", "address", "type", "order", "scale",
    "offset", "unit", "bit", "length",
}
TAG_REQUIRED = ("name", "label", "function", "type")


def parse_template(path: str | Path, strict: bool = True) -> Template:
    """Load and validate a template file; raise TemplateError listing every problem."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{path}: cannot read: {exc}") from exc
    errors: list[str] = []

    warnings: list[str] = []

    def err(msg: str) -> None:
        errors.append(msg)

    def warn(msg: str) -> None:
        warnings.append(msg)

    for k in doc:
        if k not in TOP_KEYS:
            err(f"unknown top-level key {k!r}")
    meta = doc.get("template")
    if not isinstance(meta, dict):
        raise TemplateError(f"{path}: missing [template] table")
    for k in meta:
        if k not in TEMPLATE_KEYS:
            err(f"[template]: unknown key {k!r}")
    for k in TEMPLATE_REQUIRED:
        v = meta.get(k)
        if not isinstance(v, str) or not v.strip():
            err(f"[template]: {k} is required (non-empty string)")
    for k in ("url", "notes"):
        if k in meta and not isinstance(meta[k], str):
            err(f"[template]: {k} must be a string")
    key = meta.get("key", "")
    if isinstance(key, str):
        if not KEY_RE.match(key):
            err(f"[template]: key {key!r} must be lowercase letters, digits and '-'")
        if strict and key != path.stem:
            err(f"[template]: key {key!r} must equal the file name without .toml ({path.stem!r})")
    if isinstance(meta.get("kind"), str) and meta["kind"] not in KINDS:
        err(f"[template]: kind {meta['kind']!r} must be one of {KINDS}")
    if "url" in meta and isinstance(meta["url"], str) and not meta["url"].startswith(("http://", "https://")):
        err("[template]: url must start with http:// or https://")
    device = meta.get("device", {})
    if not isinstance(device, dict):
        err("[template.device] must be a table")
        device = {}
    for k, v in device.items():
        if k not in DEVICE_KEYS:
            err(f"[template.device]: unknown key {k!r}")
        elif not isinstance(v, int) or isinstance(v, bool) or v < 0:
            err(f"[template.device]: {k} must be a non-negative integer")
    if isinstance(device.get("max_registers"), int) and not 1 <= device["max_registers"] <= 125:
        err("[template.device]: max_registers must be 1..125")
    if isinstance(device.get("max_bits"), int) and not 1 <= device["max_bits"] <= 2000:
        err("[template.device]: max_bits must be 1..2000")
    for k in ("timeout_ms", "poll_ms"):
        if isinstance(device.get(k), int) and device[k] == 0:
            err(f"[template.device]: {k} must be > 0")

    raw_tags = doc.get("tags")
    tags: list[Tag] = []
    if not isinstance(raw_tags, list) or not raw_tags:
        err("at least one [[tags]] entry is required")
        raw_tags = []
    seen: set[str] = set()
    for i, t in enumerate(raw_tags):
        where = f"tags[{i}]" + (f" ({t.get('name')})" if isinstance(t, dict) and "name" in t else "")
        if not isinstance(t, dict):
            err(f"{where}: must be a table")
            continue
        ok = True
        for k in t:
            if k not in TAG_KEYS:
                err(f"{where}: unknown key {k!r}")
                ok = False
        t = dict(t)
        if not strict:
            # Plantlog's own defaults: function from a register number, label = name,
            # type bool for coil/discrete and u16 for registers
            if "function" not in t and isinstance(t.get("register"), int):
                t["function"] = function_of_register(t["register"]) or ""
            if "label" not in t and isinstance(t.get("name"), str):
                t["label"] = t["name"]
            if "type" not in t and t.get("function") in FUNCTIONS:
                t["type"] = "bool" if t["function"] in ("coil", "discrete") else "u16"
        for k in TAG_REQUIRED:
            if not isinstance(t.get(k), str) or not t.get(k).strip():
                err(f"{where}: {k} is required (non-empty string)")
                ok = False
        if not ok:
            continue
        name, function, typ = t["name"], t["function"], t["type"]
        if not NAME_RE.match(name):
            err(f"{where}: name must be snake_case (lowercase letters, digits, '_')")
        if name in seen:
            err(f"{where}: duplicate name {name!r}")
        seen.add(name)
        if function not in FUNCTIONS:
            err(f"{where}: function {function!r} must be one of {FUNCTIONS}")
            continue
        if typ not in TYPES:
            err(f"{where}: type {typ!r} must be one of {TYPES}")
            continue
        if function in ("coil", "discrete") and typ != "bool":
            err(f"{where}: {function} tags must have type = \"bool\"")
        if function in ("holding", "input") and typ == "bool":
            err(f"{where}: type bool is only for coil/discrete; use bit for a register bit")
        has_reg, has_addr = "register" in t, "address" in t
        if has_reg == has_addr:
            err(f"{where}: give exactly one of register / address")
            continue
        wire = None
        if has_reg:
            r = t["register"]
            if not isinstance(r, int) or isinstance(r, bool):
                err(f"{where}: register must be an integer")
            else:
                try:
                    wire = wire_from_register(function, r)
                except TemplateError as exc:
                    err(f"{where}: {exc}")
        else:
            a = t["address"]
            if not isinstance(a, int) or isinstance(a, bool) or not 0 <= a <= 65535:
                err(f"{where}: address must be an integer 0..65535")
            else:
                wire = a
        order = t.get("order", "ABCD")
        if order not in ORDERS:
            err(f"{where}: order {order!r} must be one of {ORDERS}")
        if "order" in t and typ in ("bool", "bit", "u16", "i16"):
            err(f"{where}: order only applies to multi-register values")
        if typ == "string" and order not in ("ABCD", "BADC"):
            err(f"{where}: strings take order ABCD or BADC")
        if "order" in t and order == "ABCD":
            warn(f"{where}: omit order when ABCD")
        bit = t.get("bit")
        if typ == "bit":
            if not isinstance(bit, int) or isinstance(bit, bool) or not 0 <= bit <= 15:
                err(f"{where}: type bit needs bit = 0..15")
        elif "bit" in t:
            err(f"{where}: bit only with type = \"bit\"")
        length = t.get("length")
        if typ == "string":
            if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= 125:
                err(f"{where}: type string needs length = 1..125 registers")
        elif "length" in t:
            err(f"{where}: length only with type = \"string\"")
        scale = t.get("scale", 1.0)
        offset = t.get("offset", 0.0)
        for k, v in (("scale", scale), ("offset", offset)):
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
                err(f"{where}: {k} must be a finite number")
        if isinstance(scale, (int, float)) and scale == 0:
            err(f"{where}: scale must not be 0")
        if typ in ("bool", "bit", "string") and ("scale" in t or "offset" in t):
            err(f"{where}: scale/offset do not apply to {typ}")
        if "scale" in t and scale == 1:
            warn(f"{where}: omit scale when 1")
        if "offset" in t and offset == 0:
            warn(f"{where}: omit offset when 0")
        unit = t.get("unit")
        if unit is not None and (not isinstance(unit, str) or not unit):
            err(f"{where}: unit must be a non-empty string (omit when none)")
        if wire is None:
            continue
        tag = Tag(
            index=i, name=name, label=t["label"], function=function, wire=wire, type=typ,
            order=order if order in ORDERS else "ABCD",
            scale=float(scale) if isinstance(scale, (int, float)) else 1.0,
            offset=float(offset) if isinstance(offset, (int, float)) else 0.0,
            unit=unit, bit=bit if typ == "bit" else None,
            length=length if typ == "string" else None,
            register=t.get("register"), address=t.get("address"),
        )
        if typ == "string" and not isinstance(length, int):
            continue
        if wire + tag.count - 1 > 65535:
            err(f"{where}: registers run past wire address 65535")
            continue
        tags.append(tag)
    if errors:
        raise TemplateError(f"{path}:\n  " + "\n  ".join(errors))
    return Template(path=path, key=key, meta=meta, device=device, tags=tags, warnings=warnings)


def overlaps(tags: list[Tag]) -> list[tuple[Tag, Tag]]:
    """Pairs (earlier, later) of tags that share registers/bits in the same table.

    Bit tags on the same register with different bits do not overlap each other."""
    out: list[tuple[Tag, Tag]] = []
    # per table: wire -> list of (tag, bit or None)
    owners: dict[tuple[str, int], list[Tag]] = {}
    for tag in tags:
        hit: Tag | None = None
        for w in tag.span():
            for other in owners.get((tag.table, w), []):
                if tag.type == "bit" and other.type == "bit" and tag.bit != other.bit:
                    continue
                hit = other
                break
            if hit:
                break
        if hit:
            out.append((hit, tag))
            continue
        for w in tag.span():
            owners.setdefault((tag.table, w), []).append(tag)
    return out


# --------------------------------------------------------------------------- encoding

def _to_words(b: bytes) -> list[bytes]:
    return [b[i:i + 2] for i in range(0, len(b), 2)]


def order_bytes(be: bytes, order: str) -> list[int]:
    """Big-endian value bytes -> register list in the given order."""
    if len(be) % 2:
        raise ValueError("odd byte count")
    words = _to_words(be)
    if order in ("CDAB", "DCBA"):
        words.reverse()
    if order in ("BADC", "DCBA"):
        words = [w[::-1] for w in words]
    elif order not in ("ABCD", "CDAB"):
        raise ValueError(f"bad order {order!r}")
    return [int.from_bytes(w, "big") for w in words]


def unorder_registers(regs: list[int], order: str) -> bytes:
    """Register list in the given order -> big-endian value bytes (inverse of order_bytes)."""
    words = [r.to_bytes(2, "big") for r in regs]
    if order in ("BADC", "DCBA"):
        words = [w[::-1] for w in words]
    elif order not in ("ABCD", "CDAB"):
        raise ValueError(f"bad order {order!r}")
    if order in ("CDAB", "DCBA"):
        words.reverse()
    return b"".join(words)


def encode_raw(typ: str, raw, order: str = "ABCD", length: int | None = None) -> list[int]:
    """Encode a raw (unscaled) value to registers. bit/bool are not handled here."""
    if typ == "string":
        if length is None:
            raise ValueError("string needs length")
        data = raw.encode("ascii")
        if len(data) > 2 * length:
            raise ValueError("string too long")
        data = data + b"\x00" * (2 * length - len(data))
        regs = []
        for i in range(length):
            hi, lo = data[2 * i], data[2 * i + 1]
            if order == "BADC":
                hi, lo = lo, hi
            elif order != "ABCD":
                raise ValueError("strings take ABCD or BADC")
            regs.append(hi << 8 | lo)
        return regs
    code = STRUCT_CODE[typ]
    if typ in INT_RANGE:
        lo, hi = INT_RANGE[typ]
        if not isinstance(raw, int) or not lo <= raw <= hi:
            raise ValueError(f"{raw!r} out of range for {typ}")
    be = struct.pack(">" + code, raw)
    return order_bytes(be, order)


def decode_raw(typ: str, regs: list[int], order: str = "ABCD"):
    """Decode registers to the raw value (int, float or str). Independent of encode_raw."""
    if typ == "string":
        chars = bytearray()
        for r in regs:
            hi, lo = (r >> 8) & 0xFF, r & 0xFF
            if order == "BADC":
                hi, lo = lo, hi
            chars += bytes((hi, lo))
        return chars.rstrip(b"\x00").decode("ascii", errors="replace")
    n = TYPE_REGS[typ]
    if len(regs) != n:
        raise ValueError(f"{typ} needs {n} registers, got {len(regs)}")
    # assemble the big-endian byte string word by word
    if order == "ABCD":
        seq = list(regs)
    elif order == "CDAB":
        seq = list(reversed(regs))
    elif order == "BADC":
        seq = [((r & 0xFF) << 8) | (r >> 8) for r in regs]
    elif order == "DCBA":
        seq = [((r & 0xFF) << 8) | (r >> 8) for r in reversed(regs)]
    else:
        raise ValueError(f"bad order {order!r}")
    value = 0
    for r in seq:
        value = (value << 16) | (r & 0xFFFF)
    bits = 16 * n
    if typ in ("f32", "f64"):
        return struct.unpack(">f" if typ == "f32" else ">d", value.to_bytes(bits // 8, "big"))[0]
    if typ.startswith("i") and value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


def engineering(tag: Tag, raw):
    """raw -> engineering value as it goes in the expected JSON."""
    if tag.type in ("bool", "bit"):
        return bool(raw)
    if tag.type == "string":
        return raw
    if tag.type in INT_RANGE and tag.scale == 1.0 and tag.offset == 0.0:
        return int(raw)
    return float(raw) * tag.scale + tag.offset


# --------------------------------------------------------------------------- known values

def known_raw(tag: Tag, k: int):
    """The raw value the peer serves for the k-th tag (0-based, file order).

    floats: 100 + 7.25*k (exact in f32/f64); integers: values that use the type's range
    (negative for signed types on even k, above 65535 for 32-bit, above 2^32 for 64-bit);
    bool/bit: alternate True/False (True for even k); string: "PL<k>"."""
    t = tag.type
    if t in ("bool", "bit"):
        return k % 2 == 0
    if t == "string":
        s = f"PL{k}"
        return s[: 2 * int(tag.length)]
    if t in ("f32", "f64"):
        return 100.0 + 7.25 * k
    neg = k % 2 == 0
    if t == "u16":
        return (1000 + 37 * k) % 0x10000
    if t == "i16":
        v = 1200 + 37 * k
        return -v if neg else v
    if t == "u32":
        return (70_000 + 100_003 * k) % 0x1_0000_0000 or 70_000
    if t == "i32":
        v = 70_000 + 100_003 * k
        return -v if neg else v
    if t == "u64":
        return 0x0123_4567_89AB_0000 + 0x1_0001_0001 * (k + 1)
    if t == "i64":
        v = 0x0012_3456_789A_0000 + 0x1_0001_0001 * (k + 1)
        return -v if neg else v
    raise ValueError(t)


@dataclass
class Served:
    """What a template puts on the wire for one unit."""
    coils: dict[int, bool] = field(default_factory=dict)
    discretes: dict[int, bool] = field(default_factory=dict)
    holding: dict[int, int] = field(default_factory=dict)
    input: dict[int, int] = field(default_factory=dict)
    expected: dict[str, object] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def table(self, function: str) -> dict:
        return {"coil": self.coils, "discrete": self.discretes,
                "holding": self.holding, "input": self.input}[function]


def serve_template(tpl: Template) -> Served:
    """Registers/bits with known values for every tag, and the expected values.

    A tag that overlaps an earlier tag is left out (listed in .skipped)."""
    out = Served()
    later = {id(b): a for a, b in overlaps(tpl.tags)}
    bit_regs: dict[tuple[str, int], list[Tag]] = {}
    for k, tag in enumerate(tpl.tags):
        if id(tag) in later:
            out.skipped.append(
                f"{tag.name} overlaps {later[id(tag)].name} (same {tag.table} registers); "
                f"left out of the expected values"
            )
            continue
        raw = known_raw(tag, k)
        table = out.table(tag.function)
        if tag.type == "bool":
            table[tag.wire] = bool(raw)
        elif tag.type == "bit":
            bit_regs.setdefault((tag.function, tag.wire), []).append(tag)
            tag._raw = bool(raw)  # type: ignore[attr-defined]
        else:
            regs = encode_raw(tag.type, raw, tag.order, tag.length)
            for i, r in enumerate(regs):
                table[tag.wire + i] = r
        out.expected[tag.name] = engineering(tag, raw)
    # registers holding bit tags: tag bits as expected, every other bit the opposite of
    # the first tag's value, so that reading a wrong bit shows
    for (function, wire), tags in bit_regs.items():
        first = tags[0]._raw  # type: ignore[attr-defined]
        value = 0x0000 if first else 0xFFFF
        for tag in tags:
            if tag._raw:  # type: ignore[attr-defined]
                value |= 1 << tag.bit
            else:
                value &= ~(1 << tag.bit) & 0xFFFF
        out.table(function)[wire] = value
    return out


def decode_tag(tag: Tag, values: list) -> object:
    """Engineering value of a tag from what was read: list of bools (coil/discrete) or
    registers (holding/input), exactly tag.count long."""
    if tag.type == "bool":
        return bool(values[0])
    if tag.type == "bit":
        return bool((values[0] >> tag.bit) & 1)
    raw = decode_raw(tag.type, list(values), tag.order)
    return engineering(tag, raw)
