//! The running plant: the active configuration with the database ids of its machines
//! and tags, and the lookups the collector, production engine and API need.

use std::collections::HashMap;

use super::model::{Device, Machine, PlantConfig, Site, Tag, TagRole};
use crate::sample::TagId;

/// A tag with its device and database id.
#[derive(Debug, Clone, Copy)]
pub struct TagRef<'a> {
    pub id: TagId,
    pub device: &'a Device,
    pub tag: &'a Tag,
}

#[derive(Debug, Clone)]
pub struct Plant {
    /// The configuration version (row of `config_versions`); 0 before any import.
    pub version: i64,
    pub config: PlantConfig,
    tag_ids: HashMap<(String, String), TagId>,
    by_id: HashMap<TagId, (usize, usize)>,
}

impl Plant {
    /// A plant with nothing configured yet.
    pub fn empty() -> Plant {
        Plant::new(
            0,
            PlantConfig {
                site: Site {
                    name: "Plantlog".to_string(),
                    timezone: jiff::tz::TimeZone::system()
                        .iana_name()
                        .unwrap_or("UTC")
                        .to_string(),
                },
                shifts: Vec::new(),
                machines: Vec::new(),
                buses: Vec::new(),
                devices: Vec::new(),
                holidays: Vec::new(),
                alarms: Vec::new(),
                alarm_settings: Default::default(),
            },
            HashMap::new(),
        )
    }

    /// `tag_ids` maps (device key, tag name) to the tag's row id.
    pub fn new(
        version: i64,
        config: PlantConfig,
        tag_ids: HashMap<(String, String), TagId>,
    ) -> Plant {
        let mut by_id = HashMap::new();
        for (d, device) in config.devices.iter().enumerate() {
            for (t, tag) in device.tags.iter().enumerate() {
                if let Some(id) = tag_ids.get(&(device.key.clone(), tag.name.clone())) {
                    by_id.insert(*id, (d, t));
                }
            }
        }
        Plant {
            version,
            config,
            tag_ids,
            by_id,
        }
    }

    pub fn tag_id(&self, device: &str, tag: &str) -> Option<TagId> {
        self.tag_ids
            .get(&(device.to_string(), tag.to_string()))
            .copied()
    }

    pub fn tag(&self, id: TagId) -> Option<TagRef<'_>> {
        let (d, t) = *self.by_id.get(&id)?;
        let device = &self.config.devices[d];
        Some(TagRef {
            id,
            device,
            tag: &device.tags[t],
        })
    }

    /// Every configured tag with its id, in file order.
    pub fn tags(&self) -> impl Iterator<Item = TagRef<'_>> {
        self.config.devices.iter().flat_map(move |device| {
            device.tags.iter().filter_map(move |tag| {
                Some(TagRef {
                    id: self.tag_id(&device.key, &tag.name)?,
                    device,
                    tag,
                })
            })
        })
    }

    pub fn machine(&self, key: &str) -> Option<&Machine> {
        self.config.machines.iter().find(|m| m.key == key)
    }

    /// The tags that describe a machine.
    pub fn machine_tags<'a>(&'a self, key: &'a str) -> impl Iterator<Item = TagRef<'a>> + 'a {
        self.tags()
            .filter(move |t| t.tag.machine_key(t.device) == Some(key))
    }

    /// The machine's tag with `role`, if it has one.
    pub fn role_tag(&self, machine: &str, role: TagRole) -> Option<TagRef<'_>> {
        self.tags()
            .find(|t| t.tag.machine_key(t.device) == Some(machine) && t.tag.role == Some(role))
    }

    pub fn timezone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.config.site.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}
