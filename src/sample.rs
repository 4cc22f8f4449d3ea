//! Samples and their quality: the unit of data that flows from a driver to the store,
//! the live cache and the production engine.
//!
//! A sample carries a value only when its quality is good. A failed read becomes a
//! sample with bad quality and no value; it is never stored as 0 and a last value is
//! never repeated in its place.

use std::sync::Arc;

use serde::Serialize;

/// Row id of a tag in the `tags` table.
pub type TagId = i64;

/// A fast hasher for the maps on the collector's hot path (keyed by tag id or device
/// key, values that come from the plant's own configuration), where SipHash's
/// protection against chosen keys buys nothing.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_i64(&mut self, v: i64) {
        self.0 = (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by tag id.
pub type TagMap<V> = std::collections::HashMap<TagId, V, std::hash::BuildHasherDefault<FastHasher>>;

/// A map keyed by a device or bus key.
pub type KeyMap<V> =
    std::collections::HashMap<String, V, std::hash::BuildHasherDefault<FastHasher>>;

/// How far a sample can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quality {
    /// The device answered and the value decoded.
    Good,
    /// The device did not answer (timeout, connection refused or lost).
    NoAnswer,
    /// The device answered with a Modbus exception; the code is kept.
    Exception(u8),
    /// A value that was good once but is too old to be shown as current.
    Stale,
    /// The device answered, but with something that is not a number (a float register
    /// holding NaN or infinity, as meters do when a sensor is missing).
    BadValue,
    /// A marker, not a reading: the tag's decoding changed here (register, type, word
    /// order, scale, offset, device). A counter's next reading starts a new series (no
    /// increase is computed across it), and charts show the change as a break.
    Reconfigured,
}

impl Quality {
    /// The integer stored in SQLite: 0 good, 1 no answer, 2 stale, 3 bad value, 4
    /// reconfigured, 256 + code for an exception.
    pub fn code(self) -> i64 {
        match self {
            Quality::Good => 0,
            Quality::NoAnswer => 1,
            Quality::Stale => 2,
            Quality::BadValue => 3,
            Quality::Reconfigured => 4,
            Quality::Exception(c) => 256 + i64::from(c),
        }
    }

    pub fn from_code(code: i64) -> Option<Quality> {
        match code {
            0 => Some(Quality::Good),
            1 => Some(Quality::NoAnswer),
            2 => Some(Quality::Stale),
            3 => Some(Quality::BadValue),
            4 => Some(Quality::Reconfigured),
            256..=511 => Some(Quality::Exception((code - 256) as u8)),
            _ => None,
        }
    }

    pub fn is_good(self) -> bool {
        self == Quality::Good
    }

    /// The word used in the API and exports.
    pub fn name(self) -> &'static str {
        match self {
            Quality::Good => "good",
            Quality::NoAnswer => "no_answer",
            Quality::Exception(_) => "exception",
            Quality::Stale => "stale",
            Quality::BadValue => "bad_value",
            Quality::Reconfigured => "reconfigured",
        }
    }
}

/// A reading: a number, or text (a string tag: a serial number, a batch code).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(Arc<str>),
}

/// One reading of one tag at one time (UTC milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub tag_id: TagId,
    pub ts: i64,
    value: Option<Value>,
    pub quality: Quality,
}

impl Sample {
    pub fn good(tag_id: TagId, ts: i64, value: f64) -> Sample {
        Sample {
            tag_id,
            ts,
            value: Some(Value::Number(value)),
            quality: Quality::Good,
        }
    }

    pub fn good_text(tag_id: TagId, ts: i64, text: &str) -> Sample {
        Sample {
            tag_id,
            ts,
            value: Some(Value::Text(text.into())),
            quality: Quality::Good,
        }
    }

    /// A good sample of either kind.
    pub fn good_value(tag_id: TagId, ts: i64, value: Value) -> Sample {
        Sample {
            tag_id,
            ts,
            value: Some(value),
            quality: Quality::Good,
        }
    }

    /// A sample without a value. `quality` must not be [`Quality::Good`].
    pub fn bad(tag_id: TagId, ts: i64, quality: Quality) -> Sample {
        debug_assert!(!quality.is_good(), "a bad sample needs a bad quality");
        Sample {
            tag_id,
            ts,
            value: None,
            quality,
        }
    }

    /// Rebuilds a sample from stored columns; a stored value with bad quality is
    /// dropped, so the invariant holds whatever the row says.
    pub fn from_parts(tag_id: TagId, ts: i64, value: Option<Value>, quality: Quality) -> Sample {
        Sample {
            tag_id,
            ts,
            value: if quality.is_good() { value } else { None },
            quality,
        }
    }

    /// The number, present only when the quality is good and the value is a number.
    pub fn value(&self) -> Option<f64> {
        match self.value {
            Some(Value::Number(v)) => Some(v),
            _ => None,
        }
    }

    /// The text of a good text sample.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The value of either kind, present only when the quality is good.
    pub fn raw_value(&self) -> Option<&Value> {
        self.value.as_ref()
    }
}

/// The JSON form of a sample in the API and live events.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SampleJson {
    pub tag_id: TagId,
    pub ts: i64,
    pub value: Option<f64>,
    /// The text of a good text sample (`value` is null then).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub text: Option<String>,
    #[cfg_attr(
        test,
        ts(
            type = r#""good" | "no_answer" | "stale" | "bad_value" | "reconfigured" | "exception""#
        )
    )]
    pub quality: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub exception_code: Option<u8>,
}

impl From<&Sample> for SampleJson {
    fn from(s: &Sample) -> Self {
        SampleJson {
            tag_id: s.tag_id,
            ts: s.ts,
            value: s.value(),
            text: s.text().map(str::to_string),
            quality: s.quality.name(),
            exception_code: match s.quality {
                Quality::Exception(c) => Some(c),
                _ => None,
            },
        }
    }
}

/// Current UTC time in milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_codes_round_trip() {
        for q in [
            Quality::Good,
            Quality::NoAnswer,
            Quality::Stale,
            Quality::BadValue,
            Quality::Reconfigured,
            Quality::Exception(1),
            Quality::Exception(255),
        ] {
            assert_eq!(Quality::from_code(q.code()), Some(q));
        }
        assert_eq!(Quality::from_code(5), None);
    }

    #[test]
    fn bad_quality_drops_a_stored_value() {
        let s = Sample::from_parts(1, 2, Some(Value::Number(5.0)), Quality::NoAnswer);
        assert_eq!(s.value(), None);
    }
}
