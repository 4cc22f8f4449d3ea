//! Series breaks: when a tag's decoding changes between two configurations (its
//! device's address, line or unit id; its register, type, bit, length, word order,
//! field, scale or offset), its readings before and after are two series that must not
//! be compared. A marker sample of quality `Reconfigured` at the change says so: the
//! counter rule takes the next reading as a new baseline, and charts show a break
//! labelled "configuration changed". The marker is stored like a reading, so reports
//! over history see the same break as the live engine. Pure: the caller emits them.

use std::collections::HashMap;

use crate::config::{Plant, TagRef};
use crate::sample::{Quality, Sample, TagId};

/// What decides how a tag's registers become its value.
fn decoding(t: &TagRef<'_>) -> String {
    let d = t.device;
    let g = t.tag;
    format!(
        "{:?}|{:?}|{}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}",
        d.protocol,
        d.host,
        d.tcp_port(),
        d.bus,
        d.unit_id,
        g.location(),
        g.effective_type(),
        g.bit,
        g.length,
        g.order,
        g.field,
        g.scale,
        g.offset,
    )
}

/// The tags of both configurations whose decoding differs.
pub fn changed(old: &Plant, new: &Plant) -> Vec<TagId> {
    let before: HashMap<TagId, String> = old.tags().map(|t| (t.id, decoding(&t))).collect();
    new.tags()
        .filter(|t| before.get(&t.id).is_some_and(|d| *d != decoding(t)))
        .map(|t| t.id)
        .collect()
}

/// The markers of a change from `old` to `new` at `ts`.
pub fn markers(old: &Plant, new: &Plant, ts: i64) -> Vec<Sample> {
    changed(old, new)
        .into_iter()
        .map(|id| Sample::bad(id, ts, Quality::Reconfigured))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Device, Order, Tag};

    fn plant(order: Order, scale: f64, label: &str) -> Plant {
        let mut tag: Tag =
            toml::from_str("name = \"count\"\nregister = 40001\ntype = \"u32\"").unwrap();
        tag.order = order;
        tag.scale = scale;
        tag.label = Some(label.into());
        let mut other: Tag = toml::from_str("name = \"temp\"\nregister = 40010").unwrap();
        other.label = Some(label.into());
        let mut config = crate::production::tests_support::config_with_shift();
        config.devices = vec![Device::modbus_tcp("plc", "10.0.0.5", 502, vec![tag, other])];
        let ids = [
            (("plc".to_string(), "count".to_string()), 7),
            (("plc".to_string(), "temp".to_string()), 8),
        ];
        Plant::new(1, config, ids.into_iter().collect())
    }

    #[test]
    fn a_change_of_decoding_breaks_the_series_and_a_label_does_not() {
        let before = plant(Order::Cdab, 1.0, "Count");
        assert!(changed(&before, &plant(Order::Cdab, 1.0, "Parts made")).is_empty());
        assert_eq!(changed(&before, &plant(Order::Abcd, 1.0, "Count")), [7]);
        assert_eq!(changed(&before, &plant(Order::Cdab, 0.1, "Count")), [7]);
        let m = markers(&before, &plant(Order::Abcd, 1.0, "Count"), 99);
        assert_eq!(m, [Sample::bad(7, 99, Quality::Reconfigured)]);
        // Another unit id: every tag of the device is another series.
        let mut moved = plant(Order::Cdab, 1.0, "Count");
        moved.config.devices[0].unit_id = 2;
        let moved = Plant::new(
            1,
            moved.config,
            [
                (("plc".to_string(), "count".to_string()), 7),
                (("plc".to_string(), "temp".to_string()), 8),
            ]
            .into_iter()
            .collect(),
        );
        assert_eq!(changed(&before, &moved), [7, 8]);
    }
}
