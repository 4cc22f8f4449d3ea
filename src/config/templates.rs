//! Device templates: register maps of common devices, shipped as TOML files in
//! templates/ and embedded in the binary. A device that names a template gets the
//! template's tags (its own tags of the same name replace them) and the template's
//! device settings where it sets none itself.

use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};

use super::model::Tag;

static TEMPLATES_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub template: TemplateInfo,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TemplateInfo {
    pub key: String,
    pub maker: String,
    pub model: String,
    /// "energy meter", "temperature controller", "drive".
    pub kind: String,
    /// The maker's published register map this template follows.
    pub document: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default)]
    pub device: TemplateDevice,
}

/// Device settings known to suit the device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TemplateDevice {
    pub timeout_ms: Option<u64>,
    pub poll_ms: Option<u64>,
    pub max_registers: Option<u16>,
    pub max_bits: Option<u16>,
    pub max_gap: Option<u16>,
}

/// Every shipped template, parsed once. A template that does not parse is left out
/// and logged; the test below keeps that from ever shipping.
pub fn all() -> &'static [Template] {
    static ALL: OnceLock<Vec<Template>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<Template> = parse_all()
            .into_iter()
            .filter_map(|(path, r)| match r {
                Ok(t) => Some(t),
                Err(e) => {
                    tracing::error!("template {path} is broken: {e}");
                    None
                }
            })
            .collect();
        out.sort_by(|a, b| a.template.key.cmp(&b.template.key));
        out
    })
}

fn parse_all() -> Vec<(String, Result<Template, String>)> {
    TEMPLATES_DIR
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .map(|f| {
            let path = f.path().display().to_string();
            let parsed = f
                .contents_utf8()
                .ok_or_else(|| "not UTF-8".to_string())
                .and_then(|text| toml::from_str::<Template>(text).map_err(|e| e.to_string()));
            (path, parsed)
        })
        .collect()
}

pub fn get(key: &str) -> Option<&'static Template> {
    all().iter().find(|t| t.template.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Device, PlantConfig, Protocol, Site};

    #[test]
    fn every_template_parses_and_validates() {
        for (path, parsed) in parse_all() {
            let t = parsed.unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                format!("{}.toml", t.template.key),
                path,
                "a template's key is its file name"
            );
            // A device using the template is a valid configuration.
            let mut device: Device = toml::from_str(&format!(
                "key = 'd'\nprotocol = 'modbus-tcp'\nhost = '127.0.0.1'\ntemplate = '{}'\n",
                t.template.key
            ))
            .unwrap();
            device.tags = t.tags.clone();
            let config = PlantConfig {
                site: Site {
                    name: "P".into(),
                    timezone: "UTC".into(),
                },
                shifts: vec![],
                machines: vec![],
                buses: vec![],
                devices: vec![device],
                holidays: vec![],
                alarms: Vec::new(),
                alarm_settings: Default::default(),
            };
            let text = crate::config::export(&config);
            crate::config::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(config.devices[0].protocol, Protocol::ModbusTcp, "sanity");
        }
    }
}
