//! The read plan of a device: which Modbus requests to send, how often, and which tags
//! each answer feeds. Planning is pure, so it is tested without a device.

use crate::config::{Device, Plant, RegisterKind, Tag};
use crate::sample::TagId;

/// One request sent every `poll_ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadRequest {
    pub kind: RegisterKind,
    /// First register, 0-based.
    pub address: u16,
    /// Number of registers.
    pub count: u16,
    pub poll_ms: u64,
    pub tags: Vec<PlannedTag>,
}

/// A tag served by a request: its registers start `offset` registers into the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTag {
    pub id: TagId,
    pub offset: u16,
    pub tag: Tag,
}

/// One request per tag, in the order of the configuration.
pub fn plan(plant: &Plant, device: &Device) -> Vec<ReadRequest> {
    device
        .tags
        .iter()
        .filter_map(|tag| {
            let id = plant.tag_id(&device.key, &tag.name)?;
            Some(ReadRequest {
                kind: tag.function,
                address: tag.address,
                count: tag.data_type.registers(),
                poll_ms: tag.effective_poll_ms(device),
                tags: vec![PlannedTag {
                    id,
                    offset: 0,
                    tag: tag.clone(),
                }],
            })
        })
        .collect()
}
