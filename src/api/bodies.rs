//! Every JSON request body the API takes, by endpoint, as data: a decoder per body that
//! does what the server does with bytes before any database is involved (serde with the
//! body's own type, then the checks that need no state: a test read's plan on a demo
//! device, the configuration model's conversion to TOML and its parse). The fuzz targets
//! and the property tests run arbitrary bytes through each; a body must be refused or
//! accepted, never panic.

use std::sync::OnceLock;

use super::{account, admin, devices, security, storage};
use crate::auth::users::UserChange;
use crate::auth::vendor::{NewVendor, VendorChange};
use crate::backup::targets::TargetInput;
use crate::collector::commission::TestRead;
use crate::config::Device;
use crate::core::production::{
    AssignBody, NewDisplay, NewIdealCycle, NewPlannedStop, NewReason, NewScrap, ReasonChange,
    StopReasonBody,
};
use crate::core::{CertificateUpload, CreateUser, PlantLanguage, PreferencesChange};

/// Decodes a body; `Err` says why it was refused.
pub type Decode = fn(&[u8]) -> Result<(), String>;

fn json<T: serde::de::DeserializeOwned>(b: &[u8]) -> Result<T, String> {
    serde_json::from_slice(b).map_err(|e| e.to_string())
}

fn demo_device() -> &'static Device {
    static D: OnceLock<Device> = OnceLock::new();
    D.get_or_init(|| {
        toml::from_str(
            "key = \"d\"\nprotocol = \"modbus-tcp\"\nhost = \"127.0.0.1\"\nunit_id = 1\n\
             [[tags]]\nname = \"t\"\nregister = 40001\ntype = \"f32\"\n",
        )
        .expect("a device")
    })
}

/// (endpoint, decoder) for every endpoint that takes a JSON body.
pub fn request_bodies() -> &'static [(&'static str, Decode)] {
    &[
        ("POST /setup", |b| json::<account::SetupBody>(b).map(drop)),
        ("POST /login", |b| json::<account::LoginBody>(b).map(drop)),
        ("POST /me/password", |b| {
            json::<account::PasswordBody>(b).map(drop)
        }),
        ("PATCH /me/preferences", |b| {
            json::<PreferencesChange>(b).map(drop)
        }),
        ("PUT /settings/language", |b| {
            json::<PlantLanguage>(b).map(drop)
        }),
        ("PUT /sync/bandwidth", |b| {
            json::<super::sync::SyncBandwidth>(b).map(drop)
        }),
        ("POST /users", |b| json::<CreateUser>(b).map(drop)),
        ("PATCH /users/{id}", |b| json::<UserChange>(b).map(drop)),
        ("POST /users/{id}/password", |b| {
            json::<admin::ResetPassword>(b).map(drop)
        }),
        ("POST /commissioning/read", |b| {
            let r = json::<TestRead>(b)?;
            r.plan(demo_device()).map(drop).map_err(|e| e.to_string())
        }),
        ("POST /commissioning/scan", |b| {
            json::<devices::ScanBody>(b).map(drop)
        }),
        ("PUT /config/model", |b| {
            let v = json::<serde_json::Value>(b)?;
            let text = crate::config::toml_of_json(v)?;
            crate::config::parse(&text)
                .map(drop)
                .map_err(|e| e.to_string())
        }),
        ("PUT /storage", |b| {
            json::<storage::StorageChange>(b).map(drop)
        }),
        ("POST /me/mfa/confirm", |b| {
            json::<security::MfaCode>(b).map(drop)
        }),
        ("PUT /security", |b| {
            json::<security::SecurityChange>(b).map(drop)
        }),
        ("POST /security/certificate", |b| {
            let u = json::<CertificateUpload>(b)?;
            crate::auth::tls::parse_pair(
                u.certificate_pem.as_bytes(),
                u.private_key_pem.as_bytes(),
                0,
                false,
            )
            .map(drop)
            .map_err(|e| e.to_string())
        }),
        ("POST /vendors", |b| json::<NewVendor>(b).map(drop)),
        ("PATCH /vendors/{id}", |b| json::<VendorChange>(b).map(drop)),
        ("PUT /production/stop-reasons", |b| {
            json::<StopReasonBody>(b).map(drop)
        }),
        ("POST /production/reasons", |b| {
            json::<NewReason>(b).map(drop)
        }),
        ("PATCH /production/reasons/{id}", |b| {
            json::<ReasonChange>(b).map(drop)
        }),
        ("POST /production/planned-stops", |b| {
            json::<NewPlannedStop>(b).map(drop)
        }),
        ("POST /production/scrap", |b| json::<NewScrap>(b).map(drop)),
        ("POST /production/ideal-cycles", |b| {
            json::<NewIdealCycle>(b).map(drop)
        }),
        ("PUT /production/operators/{id}", |b| {
            json::<AssignBody>(b).map(drop)
        }),
        ("POST /displays", |b| json::<NewDisplay>(b).map(drop)),
        ("PUT /support/desktop", |b| {
            json::<crate::core::support::DesktopSettings>(b).map(drop)
        }),
        ("POST /backups/targets", |b| {
            json::<TargetInput>(b).map(drop)
        }),
        ("PUT /backups/targets/{id}", |b| {
            json::<TargetInput>(b).map(drop)
        }),
        ("PUT /backups/encryption", |b| {
            json::<crate::core::EncryptionChange>(b).map(drop)
        }),
        ("POST /backups/encryption/key", |b| {
            json::<crate::core::RecoveryKey>(b).map(drop)
        }),
        // Counter review (issue 9)
        ("POST /machines/{key}/counter-events/review", |b| {
            json::<crate::core::review::CounterReviewBody>(b).map(drop)
        }),
        ("POST /alarms/{id}/ack", |b| {
            json::<crate::core::AckBody>(b).map(drop)
        }),
        ("POST /alarms/{id}/shelve", |b| {
            json::<crate::core::ShelveBody>(b).map(drop)
        }),
        // Report schedules and export jobs (issue 11)
        ("POST /report-schedules", |b| {
            json::<crate::report::jobs::ReportScheduleInput>(b).map(drop)
        }),
        ("PUT /report-schedules/{id}", |b| {
            json::<crate::report::jobs::ReportScheduleInput>(b).map(drop)
        }),
        ("POST /exports", |b| {
            json::<crate::core::export_jobs::ExportRequest>(b).map(drop)
        }),
        // Quality and stores (issue 15)
        ("POST /quality/lots", |b| {
            json::<crate::quality::store::NewLot>(b).map(drop)
        }),
        ("POST /quality/lots/{code}/end", |b| {
            json::<crate::quality::store::EndLot>(b).map(drop)
        }),
        ("POST /quality/lots/{code}/scrap", |b| {
            json::<crate::quality::store::NewLotScrap>(b).map(drop)
        }),
        ("POST /quality/checks", |b| {
            json::<crate::quality::store::NewCheck>(b).map(drop)
        }),
        ("POST /quality/checks/gauge", |b| {
            json::<super::quality::GaugeCheck>(b).map(drop)
        }),
        ("POST /quality/checks/{id}/disposition", |b| {
            json::<crate::quality::store::NewDisposition>(b).map(drop)
        }),
        ("POST /quality/receipts", |b| {
            json::<crate::quality::store::NewReceipt>(b).map(drop)
        }),
        ("POST /quality/moves", |b| {
            json::<crate::quality::store::NewMove>(b).map(drop)
        }),
        ("PUT /quality/lot-sources", |b| {
            json::<crate::quality::orders::LotSources>(b).map(drop)
        }),
        ("POST /takeout", |b| {
            json::<super::takeout::TakeoutRequest>(b).map(drop)
        }),
        ("POST /forget/user/plan", |b| {
            json::<super::takeout::ForgetRequest>(b).map(drop)
        }),
        ("POST /forget/user", |b| {
            json::<super::takeout::ForgetRequest>(b).map(drop)
        }),
        ("POST /forget/tag/plan", |b| {
            json::<super::takeout::ForgetRequest>(b).map(drop)
        }),
        ("POST /forget/tag", |b| {
            json::<super::takeout::ForgetRequest>(b).map(drop)
        }),
        ("POST /forget/machine/plan", |b| {
            json::<super::takeout::ForgetRequest>(b).map(drop)
        }),
        ("POST /forget/machine", |b| {
            json::<super::takeout::ForgetRequest>(b).map(drop)
        }),
        ("POST /forget/before/plan", |b| {
            json::<super::takeout::BeforeRequest>(b).map(drop)
        }),
        ("POST /forget/before", |b| {
            json::<super::takeout::BeforeRequest>(b).map(drop)
        }),
        ("PUT /quality/negative-stock", |b| {
            json::<super::quality::NegativeStock>(b).map(drop)
        }),
        // Alarm e-mail and escalation (issue 13)
        ("PUT /mail/settings", |b| {
            json::<crate::core::SmtpBody>(b).map(drop)
        }),
        ("PUT /mail/recipients/{id}", |b| {
            json::<crate::core::EmailBody>(b).map(drop)
        }),
        ("POST /mail/test", |b| {
            json::<crate::core::TestMailBody>(b).map(drop)
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Endpoints that change something but take no JSON body (none, or TOML text).
    const NO_JSON: &[&str] = &[
        "DELETE /backups/targets/{id}",
        "POST /backups/targets/{id}/run",
        "POST /backups/drill",
        "DELETE /report-schedules/{id}",
        "POST /exports/{id}/cancel",
        "POST /backups/targets/{id}/backups/{name}/verify",
        "POST /backups/targets/{id}/backups/{name}/restore",
        "POST /logout",
        "PUT /config",
        "POST /config/check",
        "POST /me/mfa/start",
        "POST /me/mfa/remove",
        "POST /users/{id}/mfa/reset",
        "DELETE /sessions/{id}",
        "POST /production/planned-stops/{id}/cancel",
        "POST /displays/{id}/revoke",
        "POST /support/bundle",
        "POST /mail/retry",
        "PUT /quality/master",
        "POST /takeout/cancel",
    ];

    /// Every endpoint that takes a JSON body is listed (a new one must be added here, or
    /// the fuzzing does not reach it), and nothing else is.
    #[test]
    fn every_json_body_is_listed() {
        let listed: Vec<&str> = request_bodies().iter().map(|(e, _)| *e).collect();
        for e in super::super::ENDPOINTS {
            let name = format!("{} {}", e.method, e.path);
            if e.method != "GET" && !NO_JSON.contains(&name.as_str()) {
                assert!(
                    listed.contains(&name.as_str()),
                    "{name} takes a JSON body but is not in request_bodies()"
                );
            }
        }
        for l in &listed {
            assert!(
                super::super::ENDPOINTS
                    .iter()
                    .any(|e| format!("{} {}", e.method, e.path) == *l),
                "{l} is no endpoint"
            );
        }
    }

    #[test]
    fn bodies_are_refused_or_taken_never_a_panic() {
        for (name, decode) in request_bodies() {
            for body in [
                &b""[..],
                b"{}",
                b"null",
                b"[]",
                b"{\"username\": 1}",
                &[0xff, 0xfe],
            ] {
                let _ = decode(body);
            }
            assert!(decode(b"not json").is_err(), "{name}");
        }
    }
}
