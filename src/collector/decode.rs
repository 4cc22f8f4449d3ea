//! Turning Modbus registers and bits into values: data type, byte and word order, then
//! `raw * scale + offset`. The order is named by where the bytes of the big-endian
//! value ABCD travel: ABCD as Modbus defines, CDAB with the low word first, BADC with
//! the bytes of each word swapped, DCBA fully little-endian.

use crate::config::{DataType, Order, Tag};
use crate::sample::Value;

/// The bytes of `words` in big-endian order (A first), undoing `order`.
fn big_endian_bytes(words: &[u16], order: Order) -> Vec<u8> {
    let mut ws: Vec<u16> = words.to_vec();
    if order.words_reversed() {
        ws.reverse();
    }
    ws.iter()
        .flat_map(|w| {
            let [hi, lo] = w.to_be_bytes();
            if order.bytes_swapped() {
                [lo, hi]
            } else {
                [hi, lo]
            }
        })
        .collect()
}

/// The registers holding big-endian `bytes` in `order` (the inverse of
/// `big_endian_bytes`).
fn words_from_big_endian(bytes: &[u8], order: Order) -> Vec<u16> {
    let mut ws: Vec<u16> = bytes
        .chunks(2)
        .map(|c| {
            let (a, b) = (c[0], *c.get(1).unwrap_or(&0));
            if order.bytes_swapped() {
                u16::from_be_bytes([b, a])
            } else {
                u16::from_be_bytes([a, b])
            }
        })
        .collect();
    if order.words_reversed() {
        ws.reverse();
    }
    ws
}

/// The raw number held in `words` (exactly `data_type.width()` of them), before scale.
/// `bit` is the bit of a `Bit` tag. Strings are not numbers: `None`.
#[inline]
pub fn raw(words: &[u16], data_type: DataType, order: Order, bit: u8) -> Option<f64> {
    // One register: no byte juggling.
    if let (DataType::U16 | DataType::I16 | DataType::Bit, Some(&w)) = (data_type, words.first()) {
        let w = if order.bytes_swapped() {
            w.swap_bytes()
        } else {
            w
        };
        return Some(match data_type {
            DataType::U16 => f64::from(w),
            DataType::I16 => f64::from(w as i16),
            _ => f64::from((w >> bit) & 1),
        });
    }
    // Numbers are at most four registers: no allocation on this hot path.
    let n = words.len().min(4);
    let mut b = [0u8; 8];
    for i in 0..n {
        let w = if order.words_reversed() {
            words[n - 1 - i]
        } else {
            words[i]
        };
        let [hi, lo] = w.to_be_bytes();
        (b[2 * i], b[2 * i + 1]) = if order.bytes_swapped() {
            (lo, hi)
        } else {
            (hi, lo)
        };
    }
    let b = &b[..2 * n];
    let arr = |n: usize| -> Option<&[u8]> { b.get(..n) };
    Some(match data_type {
        DataType::Bool => f64::from(u8::from(words.first()? & 1 != 0)),
        DataType::Bit => f64::from((u16::from_be_bytes(arr(2)?.try_into().ok()?) >> bit) & 1),
        DataType::U16 => f64::from(u16::from_be_bytes(arr(2)?.try_into().ok()?)),
        DataType::I16 => f64::from(i16::from_be_bytes(arr(2)?.try_into().ok()?)),
        DataType::U32 => f64::from(u32::from_be_bytes(arr(4)?.try_into().ok()?)),
        DataType::I32 => f64::from(i32::from_be_bytes(arr(4)?.try_into().ok()?)),
        DataType::U64 => u64::from_be_bytes(arr(8)?.try_into().ok()?) as f64,
        DataType::I64 => i64::from_be_bytes(arr(8)?.try_into().ok()?) as f64,
        DataType::F32 => f32_to_f64(f32::from_be_bytes(arr(4)?.try_into().ok()?)),
        DataType::F64 => f64::from_be_bytes(arr(8)?.try_into().ok()?),
        DataType::String => return None,
    })
}

/// ASCII text in registers: two characters per register, NULs and trailing spaces
/// dropped, anything not printable ASCII shown as '?'.
pub fn text(words: &[u16], order: Order) -> String {
    big_endian_bytes(words, order)
        .into_iter()
        .filter(|&c| c != 0)
        .map(|c| {
            if c.is_ascii_graphic() || c == b' ' {
                c as char
            } else {
                '?'
            }
        })
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// The f64 nearest to the f32's shortest decimal form, so 2.4f32 becomes 2.4 and not
/// 2.4000000953674316.
fn f32_to_f64(v: f32) -> f64 {
    if v.is_finite() {
        v.to_string().parse().unwrap_or(f64::from(v))
    } else {
        f64::from(v)
    }
}

/// Rounds away binary noise of scaling (0.1 * 3 = 0.30000000000000004) by keeping 12
/// significant digits, more than any 32-bit register holds.
fn tidy(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{v:.11e}").parse().unwrap_or(v)
}

/// The tag's value from its registers (or, for coils and discrete inputs, from its
/// bit as 0 or 1 in `words[0]`); `None` when the device sent something that is not a
/// number (NaN or infinity in a float register).
#[inline]
pub fn value(words: &[u16], tag: &Tag) -> Option<Value> {
    let t = tag.effective_type();
    if t == DataType::String {
        return Some(Value::Text(text(words, tag.order).into()));
    }
    let raw = raw(words, t, tag.order, tag.bit.unwrap_or(0))?;
    let v = if tag.scale == 1.0 && tag.offset == 0.0 {
        raw
    } else {
        tidy(raw * tag.scale + tag.offset)
    };
    v.is_finite().then_some(Value::Number(v))
}

/// A tag's decoding, worked out once when the read plan is made, so the hot path does
/// not look at the tag again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decoder {
    data_type: DataType,
    order: Order,
    bit: u8,
    scale: f64,
    offset: f64,
    /// No scale or offset: the raw value is the value.
    plain: bool,
}

impl Decoder {
    pub fn of(tag: &Tag) -> Decoder {
        Decoder {
            data_type: tag.effective_type(),
            order: tag.order,
            bit: tag.bit.unwrap_or(0),
            scale: tag.scale,
            offset: tag.offset,
            plain: tag.scale == 1.0 && tag.offset == 0.0,
        }
    }

    pub fn is_text(&self) -> bool {
        self.data_type == DataType::String
    }

    /// The number in `words`; `None` for text or for something that is not a number.
    #[inline]
    pub fn number(&self, words: &[u16]) -> Option<f64> {
        let raw = raw(words, self.data_type, self.order, self.bit)?;
        let v = if self.plain {
            raw
        } else {
            tidy(raw * self.scale + self.offset)
        };
        v.is_finite().then_some(v)
    }
}

/// The registers that hold `raw` in the given type and order; the simulator and tests
/// use it to serve values.
pub fn encode(raw: f64, data_type: DataType, order: Order) -> Vec<u16> {
    let bytes: Vec<u8> = match data_type {
        DataType::Bool | DataType::Bit | DataType::U16 => (raw as u16).to_be_bytes().to_vec(),
        DataType::I16 => (raw as i16).to_be_bytes().to_vec(),
        DataType::U32 => (raw as u32).to_be_bytes().to_vec(),
        DataType::I32 => (raw as i32).to_be_bytes().to_vec(),
        DataType::U64 => (raw as u64).to_be_bytes().to_vec(),
        DataType::I64 => (raw as i64).to_be_bytes().to_vec(),
        DataType::F32 => (raw as f32).to_be_bytes().to_vec(),
        DataType::F64 => raw.to_be_bytes().to_vec(),
        DataType::String => Vec::new(),
    };
    words_from_big_endian(&bytes, order)
}

/// The registers of ASCII `text` in `length` registers.
pub fn encode_text(text: &str, length: u16, order: Order) -> Vec<u16> {
    let mut bytes: Vec<u8> = text.bytes().take(usize::from(length) * 2).collect();
    bytes.resize(usize::from(length) * 2, 0);
    words_from_big_endian(&bytes, order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(toml_text: &str) -> Tag {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn orders_of_a_32_bit_value() {
        // 0x0102_0304 in each order, as the registers a device sends.
        let v = 0x0102_0304 as f64;
        assert_eq!(
            raw(&[0x0102, 0x0304], DataType::U32, Order::Abcd, 0),
            Some(v)
        );
        assert_eq!(
            raw(&[0x0304, 0x0102], DataType::U32, Order::Cdab, 0),
            Some(v)
        );
        assert_eq!(
            raw(&[0x0201, 0x0403], DataType::U32, Order::Badc, 0),
            Some(v)
        );
        assert_eq!(
            raw(&[0x0403, 0x0201], DataType::U32, Order::Dcba, 0),
            Some(v)
        );
        assert_eq!(
            raw(&[0xFFFF, 0xFFFE], DataType::I32, Order::Abcd, 0),
            Some(-2.0)
        );
        assert_eq!(raw(&[0xFFFF], DataType::I16, Order::Abcd, 0), Some(-1.0));
        // 230.5 as f32 is 0x4366_8000
        assert_eq!(
            raw(&[0x4366, 0x8000], DataType::F32, Order::Abcd, 0),
            Some(230.5)
        );
        assert_eq!(
            raw(&[0x8000, 0x4366], DataType::F32, Order::Cdab, 0),
            Some(230.5)
        );
    }

    #[test]
    fn sixty_four_bits_and_bits() {
        let words = [0x0000, 0x0001, 0x0000, 0x0000]; // 2^32
        assert_eq!(
            raw(&words, DataType::U64, Order::Abcd, 0),
            Some(4_294_967_296.0)
        );
        let rev = [0x0000, 0x0000, 0x0001, 0x0000];
        assert_eq!(
            raw(&rev, DataType::U64, Order::Cdab, 0),
            Some(4_294_967_296.0)
        );
        assert_eq!(raw(&[0b1000], DataType::Bit, Order::Abcd, 3), Some(1.0));
        assert_eq!(raw(&[0b1000], DataType::Bit, Order::Abcd, 2), Some(0.0));
        // Bit 0 of a register whose bytes are swapped is bit 8 on the wire.
        assert_eq!(raw(&[0x0100], DataType::Bit, Order::Badc, 0), Some(1.0));
        let f = encode(-1234.5678, DataType::F64, Order::Dcba);
        assert_eq!(raw(&f, DataType::F64, Order::Dcba, 0), Some(-1234.5678));
    }

    #[test]
    fn encode_round_trips() {
        for (v, t) in [
            (12345.0, DataType::U16),
            (-123.0, DataType::I16),
            (4_000_000_000.0, DataType::U32),
            (-2_000_000_000.0, DataType::I32),
            (1.5, DataType::F32),
            (9_007_199_254_740_000.0, DataType::U64),
            (-9_000_000_000.0, DataType::I64),
            (0.1, DataType::F64),
        ] {
            for o in [Order::Abcd, Order::Cdab, Order::Badc, Order::Dcba] {
                assert_eq!(raw(&encode(v, t, o), t, o, 0), Some(v), "{t:?} {o:?}");
            }
        }
    }

    #[test]
    fn strings() {
        let words = encode_text("SN-42", 4, Order::Abcd);
        assert_eq!(words[0], u16::from_be_bytes(*b"SN"));
        assert_eq!(text(&words, Order::Abcd), "SN-42");
        let swapped = encode_text("SN-42", 4, Order::Badc);
        assert_eq!(text(&swapped, Order::Badc), "SN-42");
        assert_eq!(text(&swapped, Order::Abcd), "NS4-2");
        let t = tag("name = 't'\nregister = 40001\ntype = 'string'\nlength = 4\n");
        assert_eq!(value(&words, &t), Some(Value::Text("SN-42".into())));
    }

    #[test]
    fn values_carry_no_binary_noise() {
        let enc = encode(2.4, DataType::F32, Order::Abcd);
        assert_eq!(raw(&enc, DataType::F32, Order::Abcd, 0), Some(2.4));
        let t = tag("name = 't'\nfunction = 'holding'\naddress = 0\ntype = 'u16'\nscale = 0.1\n");
        assert_eq!(value(&[3], &t), Some(Value::Number(0.3)));
        assert_eq!(value(&[346], &t), Some(Value::Number(34.6)));
    }

    #[test]
    fn nan_is_not_a_value() {
        let t = tag("name = 't'\nfunction = 'input'\naddress = 0\ntype = 'f32'\n");
        assert_eq!(value(&[0x7FC0, 0], &t), None);
    }
}
