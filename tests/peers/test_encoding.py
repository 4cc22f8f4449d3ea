"""Unit tests for the peer's register encoding, decoding, addressing and known values.

    cd tests/peers && python3 -m unittest -v test_encoding

Standard library only; the vectors below are written out by hand from the definitions in
templates/README.md, not computed with the code under test.
"""

from __future__ import annotations

import math
import struct
import tempfile
import textwrap
import unittest
from pathlib import Path

from peer_values import (
    TemplateError,
    Tag,
    decode_raw,
    decode_tag,
    encode_raw,
    known_raw,
    order_bytes,
    overlaps,
    parse_template,
    serve_template,
    unorder_registers,
    wire_from_register,
)

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


class ByteOrder(unittest.TestCase):
    # 0x11223344 as u32 in each order
    U32 = {
        "ABCD": [0x1122, 0x3344],
        "CDAB": [0x3344, 0x1122],
        "BADC": [0x2211, 0x4433],
        "DCBA": [0x4433, 0x2211],
    }
    # 0x1122334455667788 as u64 in each order
    U64 = {
        "ABCD": [0x1122, 0x3344, 0x5566, 0x7788],
        "CDAB": [0x7788, 0x5566, 0x3344, 0x1122],
        "BADC": [0x2211, 0x4433, 0x6655, 0x8877],
        "DCBA": [0x8877, 0x6655, 0x4433, 0x2211],
    }

    def test_u32_orders(self):
        for order, regs in self.U32.items():
            with self.subTest(order=order):
                self.assertEqual(encode_raw("u32", 0x11223344, order), regs)
                self.assertEqual(decode_raw("u32", regs, order), 0x11223344)

    def test_u64_orders(self):
        for order, regs in self.U64.items():
            with self.subTest(order=order):
                self.assertEqual(encode_raw("u64", 0x1122334455667788, order), regs)
                self.assertEqual(decode_raw("u64", regs, order), 0x1122334455667788)

    def test_f32_one(self):
        # IEEE 754 single 1.0 = 0x3F800000
        vectors = {
            "ABCD": [0x3F80, 0x0000],
            "CDAB": [0x0000, 0x3F80],
            "BADC": [0x803F, 0x0000],
            "DCBA": [0x0000, 0x803F],
        }
        for order, regs in vectors.items():
            with self.subTest(order=order):
                self.assertEqual(encode_raw("f32", 1.0, order), regs)
                self.assertEqual(decode_raw("f32", regs, order), 1.0)

    def test_f32_230_5(self):
        # 230.5 = 0x43668000
        self.assertEqual(encode_raw("f32", 230.5), [0x4366, 0x8000])
        self.assertEqual(encode_raw("f32", 230.5, "CDAB"), [0x8000, 0x4366])
        self.assertEqual(decode_raw("f32", [0x4366, 0x8000]), 230.5)

    def test_f64(self):
        # 1.0 double = 0x3FF0000000000000, -2.5 = 0xC004000000000000
        self.assertEqual(encode_raw("f64", 1.0), [0x3FF0, 0, 0, 0])
        self.assertEqual(encode_raw("f64", -2.5, "DCBA"), [0, 0, 0, 0x04C0])
        self.assertEqual(encode_raw("f64", -2.5, "CDAB"), [0, 0, 0, 0xC004])
        self.assertEqual(encode_raw("f64", -2.5, "BADC"), [0x04C0, 0, 0, 0])
        for order in ("ABCD", "CDAB", "BADC", "DCBA"):
            self.assertEqual(decode_raw("f64", encode_raw("f64", -2.5, order), order), -2.5)

    def test_signed(self):
        self.assertEqual(encode_raw("i16", -1), [0xFFFF])
        self.assertEqual(encode_raw("i16", -32768), [0x8000])
        self.assertEqual(decode_raw("i16", [0xFFFE]), -2)
        self.assertEqual(decode_raw("u16", [0xFFFE]), 0xFFFE)
        self.assertEqual(encode_raw("i32", -2), [0xFFFF, 0xFFFE])
        self.assertEqual(encode_raw("i32", -2, "CDAB"), [0xFFFE, 0xFFFF])
        self.assertEqual(decode_raw("i32", [0xFFFE, 0xFFFF], "CDAB"), -2)
        self.assertEqual(encode_raw("i64", -2, "ABCD"), [0xFFFF, 0xFFFF, 0xFFFF, 0xFFFE])
        self.assertEqual(decode_raw("i64", [0xFFFE, 0xFFFF, 0xFFFF, 0xFFFF], "CDAB"), -2)
        self.assertEqual(decode_raw("i64", [0x8000, 0, 0, 0]), -(1 << 63))

    def test_range_checks(self):
        with self.assertRaises(ValueError):
            encode_raw("u16", 65536)
        with self.assertRaises(ValueError):
            encode_raw("i16", 40000)
        with self.assertRaises(ValueError):
            encode_raw("u32", -1)
        with self.assertRaises(ValueError):
            decode_raw("u32", [1])

    def test_order_helpers_inverse(self):
        data = bytes(range(1, 9))
        for order in ("ABCD", "CDAB", "BADC", "DCBA"):
            self.assertEqual(unorder_registers(order_bytes(data, order), order), data)

    def test_struct_agrees(self):
        # independent cross-check against struct little/big endian packing
        v = 0x0102030405060708
        be = struct.pack(">Q", v)
        le = struct.pack("<Q", v)
        regs_abcd = [int.from_bytes(be[i:i + 2], "big") for i in range(0, 8, 2)]
        regs_dcba = [int.from_bytes(le[i:i + 2], "big") for i in range(0, 8, 2)]
        self.assertEqual(encode_raw("u64", v, "ABCD"), regs_abcd)
        self.assertEqual(encode_raw("u64", v, "DCBA"), regs_dcba)


class Strings(unittest.TestCase):
    def test_abcd(self):
        # "PL7" in 3 registers: 'P'=0x50 'L'=0x4C '7'=0x37, NUL padding
        self.assertEqual(encode_raw("string", "PL7", "ABCD", 3), [0x504C, 0x3700, 0x0000])
        self.assertEqual(decode_raw("string", [0x504C, 0x3700, 0x0000], "ABCD"), "PL7")

    def test_badc(self):
        self.assertEqual(encode_raw("string", "PL7", "BADC", 2), [0x4C50, 0x0037])
        self.assertEqual(decode_raw("string", [0x4C50, 0x0037], "BADC"), "PL7")

    def test_too_long(self):
        with self.assertRaises(ValueError):
            encode_raw("string", "ABCDE", "ABCD", 2)


class Addressing(unittest.TestCase):
    def test_modicon(self):
        cases = [
            ("coil", 1, 0), ("coil", 9999, 9998),
            ("discrete", 10001, 0), ("discrete", 10014, 13), ("discrete", 100001, 0),
            ("discrete", 165536, 65535),
            ("input", 30001, 0), ("input", 31001, 1000), ("input", 300001, 0),
            ("input", 304865, 4864), ("input", 365536, 65535),
            ("holding", 40001, 0), ("holding", 49999, 9998), ("holding", 400001, 0),
            ("holding", 403000, 2999), ("holding", 464513, 64512),
        ]
        for function, reg, wire in cases:
            with self.subTest(function=function, reg=reg):
                self.assertEqual(wire_from_register(function, reg), wire)

    def test_wrong_range(self):
        for function, reg in [("input", 40001), ("holding", 30001), ("discrete", 1),
                              ("coil", 10001), ("coil", 65536),
                              ("coil", 0), ("input", 30000), ("holding", 465537),
                              ("discrete", 20000)]:
            with self.subTest(function=function, reg=reg):
                with self.assertRaises(TemplateError):
                    wire_from_register(function, reg)


def _tag(**kw) -> Tag:
    base = dict(index=0, name="t", label="t", function="holding", wire=0, type="u16")
    base.update(kw)
    return Tag(**base)


class LenientParse(unittest.TestCase):
    def test_plantlog_defaults(self):
        d = Path(tempfile.mkdtemp())
        p = d / "x.toml"
        p.write_text(textwrap.dedent('''
            [template]
            key = "x"
            maker = "M"
            model = "X"
            kind = "drive"
            document = "D"
            [[tags]]
            name = "a"
            register = 40011
            [[tags]]
            name = "b"
            register = 10003
            [[tags]]
            name = "c"
            register = 300005
            type = "f32"
        '''))
        with self.assertRaises(TemplateError):
            parse_template(p)  # strict: function, label and type are required
        tpl = parse_template(p, strict=False)
        got = [(t.function, t.wire, t.type, t.label) for t in tpl.tags]
        self.assertEqual(got, [("holding", 10, "u16", "a"), ("discrete", 2, "bool", "b"),
                               ("input", 4, "f32", "c")])


class KnownValues(unittest.TestCase):
    def test_types_exercised(self):
        self.assertEqual(known_raw(_tag(type="f32"), 0), 100.0)
        self.assertEqual(known_raw(_tag(type="f32"), 3), 121.75)
        self.assertLess(known_raw(_tag(type="i16"), 0), 0)
        self.assertGreater(known_raw(_tag(type="i16"), 1), 0)
        self.assertGreater(known_raw(_tag(type="u32"), 0), 0xFFFF)
        self.assertLess(known_raw(_tag(type="i32"), 2), -0xFFFF)
        self.assertGreater(known_raw(_tag(type="u64"), 0), 1 << 32)
        self.assertLess(known_raw(_tag(type="i64"), 0), -(1 << 32))
        self.assertEqual(known_raw(_tag(type="string", length=2), 5), "PL5")
        self.assertIs(known_raw(_tag(type="bit", bit=3), 0), True)
        self.assertIs(known_raw(_tag(type="bit", bit=3), 1), False)
        for k in range(200):
            for typ in ("u16", "i16", "u32", "i32", "u64", "i64"):
                encode_raw(typ, known_raw(_tag(type=typ), k))  # in range

    def test_f32_values_exact(self):
        for k in range(500):
            v = known_raw(_tag(type="f32"), k)
            self.assertEqual(decode_raw("f32", encode_raw("f32", v)), v)


class ServeTemplate(unittest.TestCase):
    def _write(self, body: str) -> Path:
        d = Path(tempfile.mkdtemp())
        p = d / "sample-device.toml"
        p.write_text(textwrap.dedent(body))
        return p

    def test_serve_and_decode(self):
        p = self._write('''
            [template]
            key = "sample-device"
            maker = "M"
            model = "X"
            kind = "drive"
            document = "D"

            [[tags]]
            name = "a"
            label = "a"
            function = "input"
            register = 30001
            type = "f32"
            order = "CDAB"
            scale = 0.5
            offset = -3.0

            [[tags]]
            name = "b"
            label = "b"
            function = "holding"
            address = 0x10
            type = "i32"
            order = "DCBA"
            scale = 0.1

            [[tags]]
            name = "c"
            label = "c"
            function = "holding"
            address = 0x20
            type = "bit"
            bit = 4

            [[tags]]
            name = "d"
            label = "d"
            function = "holding"
            address = 0x20
            type = "bit"
            bit = 5

            [[tags]]
            name = "e"
            label = "e"
            function = "coil"
            register = 5
            type = "bool"

            [[tags]]
            name = "f"
            label = "f"
            function = "holding"
            register = 400018
            type = "u16"

            [[tags]]
            name = "g"
            label = "g"
            function = "discrete"
            register = 10003
            type = "bool"

            [[tags]]
            name = "h"
            label = "h"
            function = "input"
            register = 30010
            type = "string"
            length = 3

            [[tags]]
            name = "i"
            label = "i"
            function = "holding"
            register = 40100
            type = "u64"
            order = "CDAB"
        ''')
        tpl = parse_template(p)
        served = serve_template(tpl)
        # f overlaps b (wire 17 is b's second register) and is skipped
        self.assertIn("f", "".join(served.skipped))
        self.assertNotIn("f", served.expected)
        exp = served.expected
        self.assertEqual(exp["a"], 100.0 * 0.5 - 3.0)
        raw_b = known_raw(tpl.tags[1], 1)
        self.assertEqual(exp["b"], raw_b * 0.1)
        self.assertIs(exp["c"], True)
        self.assertIs(exp["d"], False)
        self.assertIs(exp["e"], True)  # k = 4
        self.assertIs(exp["g"], True)  # k = 6
        self.assertEqual(exp["h"], "PL7")
        self.assertEqual(exp["i"], known_raw(tpl.tags[8], 8))
        # wire contents
        self.assertEqual(served.input[0:2] if False else [served.input[0], served.input[1]],
                         encode_raw("f32", 100.0, "CDAB"))
        reg = served.holding[0x20]
        self.assertEqual((reg >> 4) & 1, 1)
        self.assertEqual((reg >> 5) & 1, 0)
        # every other bit is the opposite of the first bit tag's value (True -> 0)
        self.assertEqual(reg & ~0x30 & 0xFFFF, 0)
        self.assertIs(served.coils[4], True)
        self.assertIs(served.discretes[2], True)
        self.assertEqual([served.input[9 + i] for i in range(3)], [0x504C, 0x3700, 0])
        # decoding what is served gives the expected values back
        for tag in tpl.tags:
            if tag.name not in exp:
                continue
            table = served.table(tag.function)
            vals = [table[tag.wire + i] for i in range(tag.count)]
            got = decode_tag(tag, vals)
            if isinstance(got, float):
                self.assertTrue(math.isclose(got, exp[tag.name], rel_tol=0, abs_tol=0))
            else:
                self.assertEqual(got, exp[tag.name])

    def test_overlap_pairs(self):
        tags = [
            _tag(name="a", wire=0, type="u32"),
            _tag(name="b", wire=1, type="u16"),
            _tag(name="c", wire=5, type="bit", bit=1),
            _tag(name="d", wire=5, type="bit", bit=2),
            _tag(name="e", wire=5, type="bit", bit=1),
            _tag(name="f", wire=5, type="u16"),
        ]
        pairs = [(a.name, b.name) for a, b in overlaps(tags)]
        self.assertEqual(pairs, [("a", "b"), ("c", "e"), ("c", "f")])


class ShippedTemplates(unittest.TestCase):
    def test_all_templates_serve(self):
        paths = sorted(TEMPLATES.glob("*.toml"))
        self.assertGreaterEqual(len(paths), 7)
        for p in paths:
            with self.subTest(template=p.name):
                tpl = parse_template(p)
                served = serve_template(tpl)
                self.assertEqual(served.skipped, [])
                for tag in tpl.tags:
                    table = served.table(tag.function)
                    vals = [table[tag.wire + i] for i in range(tag.count)]
                    self.assertEqual(decode_tag(tag, vals), served.expected[tag.name])


if __name__ == "__main__":
    unittest.main()
