//! The read plan of a device: which Modbus requests to send, how often, and which tags
//! each answer feeds. Tags of one table and poll interval whose registers are near
//! each other are read in one request, within the protocol's limits (125 registers,
//! 2000 bits), the device's own largest request and the largest gap it allows. Planning
//! is pure, so it is tested without a device.

use super::decode::Decoder;
use crate::config::{Device, Location, Plant, RegisterKind, Tag};
use crate::sample::TagId;

/// One request sent every `poll_ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadRequest {
    pub kind: RegisterKind,
    /// First register (or bit), 0-based.
    pub address: u16,
    /// Number of registers (or bits).
    pub count: u16,
    pub poll_ms: u64,
    pub tags: Vec<PlannedTag>,
}

/// A tag served by a request: its value starts `offset` registers (or bits) into the
/// answer and spans `width`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTag {
    pub id: TagId,
    pub offset: u16,
    pub width: u16,
    pub tag: Tag,
    pub decoder: Decoder,
}

/// Limits of one device's requests.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_registers: u16,
    pub max_bits: u16,
    pub max_gap: u16,
}

impl Limits {
    pub fn of(device: &Device) -> Limits {
        Limits {
            max_registers: device.max_registers.clamp(1, 125),
            max_bits: device.max_bits.clamp(1, 2000),
            max_gap: device.max_gap,
        }
    }

    fn largest(&self, kind: RegisterKind) -> u16 {
        if kind.is_bits() {
            self.max_bits
        } else {
            self.max_registers
        }
    }
}

/// The requests that read `items` (a location and poll interval each, in any order).
/// Returns, per request, its table, start, count, poll interval and the indices of the
/// items it serves.
pub fn coalesce(
    items: &[(Location, u64)],
    limits: Limits,
) -> Vec<(RegisterKind, u16, u16, u64, Vec<usize>)> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| {
        (
            items[i].0.kind,
            items[i].1,
            items[i].0.address,
            items[i].0.width,
        )
    });
    let mut out: Vec<(RegisterKind, u16, u16, u64, Vec<usize>)> = Vec::new();
    for i in order {
        let (loc, poll) = items[i];
        let (start, end) = (
            u32::from(loc.address),
            u32::from(loc.address) + u32::from(loc.width),
        );
        if let Some((kind, rstart, rcount, rpoll, members)) = out.last_mut()
            && *kind == loc.kind
            && *rpoll == poll
        {
            let rs = u32::from(*rstart);
            let re = rs + u32::from(*rcount);
            let gap = start.saturating_sub(re);
            let merged_end = re.max(end);
            if gap <= u32::from(limits.max_gap)
                && merged_end - rs <= u32::from(limits.largest(loc.kind))
            {
                *rcount = (merged_end - rs) as u16;
                members.push(i);
                continue;
            }
        }
        out.push((loc.kind, loc.address, loc.width, poll, vec![i]));
    }
    out
}

/// The device's requests.
pub fn plan(plant: &Plant, device: &Device) -> Vec<ReadRequest> {
    let tags: Vec<(TagId, &Tag, Location)> = device
        .tags
        .iter()
        .filter_map(|tag| Some((plant.tag_id(&device.key, &tag.name)?, tag, tag.location()?)))
        .collect();
    let items: Vec<(Location, u64)> = tags
        .iter()
        .map(|(_, tag, loc)| (*loc, tag.effective_poll_ms(device)))
        .collect();
    coalesce(&items, Limits::of(device))
        .into_iter()
        .map(|(kind, address, count, poll_ms, members)| ReadRequest {
            kind,
            address,
            count,
            poll_ms,
            tags: members
                .into_iter()
                .map(|i| {
                    let (id, tag, loc) = &tags[i];
                    PlannedTag {
                        id: *id,
                        offset: loc.address - address,
                        width: loc.width,
                        tag: (*tag).clone(),
                        decoder: Decoder::of(tag),
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(kind: RegisterKind, address: u16, width: u16) -> (Location, u64) {
        (
            Location {
                kind,
                address,
                width,
            },
            1000,
        )
    }

    const LIMITS: Limits = Limits {
        max_registers: 125,
        max_bits: 2000,
        max_gap: 0,
    };

    #[test]
    fn neighbours_merge_and_gaps_split() {
        use RegisterKind::*;
        let items = [
            loc(Input, 0, 2),
            loc(Input, 2, 2),
            loc(Input, 6, 2), // gap of 2
            loc(Holding, 0, 1),
            loc(Input, 4, 2),
        ];
        let r = coalesce(&items, LIMITS);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].0, r[0].1, r[0].2), (Input, 0, 8));
        assert_eq!(r[0].4, vec![0, 1, 4, 2]);
        assert_eq!((r[1].0, r[1].1, r[1].2), (Holding, 0, 1));

        let r = coalesce(&[loc(Input, 0, 2), loc(Input, 6, 2)], LIMITS);
        assert_eq!(r.len(), 2);
        let r = coalesce(
            &[loc(Input, 0, 2), loc(Input, 6, 2)],
            Limits {
                max_gap: 4,
                ..LIMITS
            },
        );
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].2, 8);
    }

    #[test]
    fn limits_hold() {
        use RegisterKind::*;
        // 100 f32 values back to back: 200 registers, two requests of at most 125.
        let items: Vec<_> = (0..100).map(|i| loc(Input, i * 2, 2)).collect();
        let r = coalesce(&items, LIMITS);
        assert!(r.iter().all(|x| x.2 <= 125));
        assert_eq!(r.iter().map(|x| x.4.len()).sum::<usize>(), 100);
        assert_eq!(r.len(), 2);
        // A device that answers at most 40 registers.
        let r = coalesce(
            &items,
            Limits {
                max_registers: 40,
                ..LIMITS
            },
        );
        assert!(r.iter().all(|x| x.2 <= 40));
        assert_eq!(r.len(), 5);
        // Bits: 2000 per request.
        let bits: Vec<_> = (0..3000).map(|i| loc(Coil, i, 1)).collect();
        let r = coalesce(&bits, LIMITS);
        assert_eq!(r.iter().map(|x| x.2).collect::<Vec<_>>(), vec![2000, 1000]);
    }

    #[test]
    fn different_intervals_are_different_requests() {
        let a = (
            Location {
                kind: RegisterKind::Holding,
                address: 0,
                width: 1,
            },
            1000,
        );
        let b = (
            Location {
                kind: RegisterKind::Holding,
                address: 1,
                width: 1,
            },
            5000,
        );
        assert_eq!(coalesce(&[a, b], LIMITS).len(), 2);
    }
}
