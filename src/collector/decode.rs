//! Turning Modbus registers into engineering values: data type, word order, then
//! `raw * scale + offset`. Bytes within a register are big-endian, as Modbus defines;
//! the order of registers within a 32-bit value varies by maker and is configured.

use crate::config::{DataType, Tag, WordOrder};

/// The raw number held in `words` (exactly `data_type.registers()` of them).
pub fn raw(words: &[u16], data_type: DataType, order: WordOrder) -> f64 {
    let pair = || -> u32 {
        let (hi, lo) = match order {
            WordOrder::Big => (words[0], words[1]),
            WordOrder::Little => (words[1], words[0]),
        };
        (u32::from(hi) << 16) | u32::from(lo)
    };
    match data_type {
        DataType::U16 => f64::from(words[0]),
        DataType::I16 => f64::from(words[0] as i16),
        DataType::U32 => f64::from(pair()),
        DataType::I32 => f64::from(pair() as i32),
        DataType::F32 => f32_to_f64(f32::from_bits(pair())),
    }
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

/// The tag's engineering value, or `None` when the device sent something that is not
/// a number (NaN or infinity in a float register).
pub fn value(words: &[u16], tag: &Tag) -> Option<f64> {
    let raw = raw(words, tag.data_type, tag.word_order);
    let v = if tag.scale == 1.0 && tag.offset == 0.0 {
        raw
    } else {
        tidy(raw * tag.scale + tag.offset)
    };
    v.is_finite().then_some(v)
}

/// The registers that hold `raw` in the given type and order; the simulator and tests
/// use it to serve values.
pub fn encode(raw: f64, data_type: DataType, order: WordOrder) -> Vec<u16> {
    let split = |v: u32| -> Vec<u16> {
        let (hi, lo) = ((v >> 16) as u16, v as u16);
        match order {
            WordOrder::Big => vec![hi, lo],
            WordOrder::Little => vec![lo, hi],
        }
    };
    match data_type {
        DataType::U16 => vec![raw as u16],
        DataType::I16 => vec![(raw as i16) as u16],
        DataType::U32 => split(raw as u32),
        DataType::I32 => split((raw as i32) as u32),
        DataType::F32 => split((raw as f32).to_bits()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_orders() {
        // 0x0001_0002 = 65538
        assert_eq!(raw(&[1, 2], DataType::U32, WordOrder::Big), 65538.0);
        assert_eq!(raw(&[2, 1], DataType::U32, WordOrder::Little), 65538.0);
        assert_eq!(raw(&[0xFFFF, 0xFFFE], DataType::I32, WordOrder::Big), -2.0);
        assert_eq!(raw(&[0xFFFF], DataType::I16, WordOrder::Big), -1.0);
        // 230.5 as f32 is 0x4366_8000
        assert_eq!(raw(&[0x4366, 0x8000], DataType::F32, WordOrder::Big), 230.5);
        assert_eq!(
            raw(&[0x8000, 0x4366], DataType::F32, WordOrder::Little),
            230.5
        );
    }

    #[test]
    fn encode_round_trips() {
        for (v, t) in [
            (12345.0, DataType::U16),
            (-123.0, DataType::I16),
            (4_000_000_000.0, DataType::U32),
            (-2_000_000_000.0, DataType::I32),
            (1.5, DataType::F32),
        ] {
            for o in [WordOrder::Big, WordOrder::Little] {
                assert_eq!(raw(&encode(v, t, o), t, o), v, "{t:?} {o:?}");
            }
        }
    }

    #[test]
    fn values_carry_no_binary_noise() {
        assert_eq!(
            raw(
                &encode(2.4, DataType::F32, WordOrder::Big),
                DataType::F32,
                WordOrder::Big
            ),
            2.4
        );
        let tag: Tag = toml::from_str(
            "name = 't'\nfunction = 'holding'\naddress = 0\ntype = 'u16'\nscale = 0.1\n",
        )
        .unwrap();
        assert_eq!(value(&[3], &tag), Some(0.3));
        assert_eq!(value(&[346], &tag), Some(34.6));
    }

    #[test]
    fn nan_is_not_a_value() {
        let tag: Tag =
            toml::from_str("name = 't'\nfunction = 'input'\naddress = 0\ntype = 'f32'\n").unwrap();
        assert_eq!(value(&[0x7FC0, 0], &tag), None);
    }
}
