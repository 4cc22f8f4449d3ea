//! The one contract with the UI: the TypeScript types of every request and answer of the
//! API are generated from the Rust types (with ts-rs) into `ui/src/lib/api.gen.ts`, so a
//! renamed or retyped field breaks the UI's type check instead of a user's screen. The
//! test below fails when the file is stale;
//! `PLANTLOG_WRITE_TYPES=1 cargo test --lib api::contract` writes it anew.

#[cfg(test)]
mod tests {
    use std::any::TypeId;
    use std::collections::{BTreeMap, HashSet};
    use std::path::Path;

    use ts_rs::{Config, TS, TypeVisitor};

    use crate::api::{account, admin, devices, security, storage};
    use crate::auth::audit::AuditEntry;
    use crate::auth::audit::ChainReport;
    use crate::auth::display::Display;
    use crate::auth::mfa::Enrolment;
    use crate::auth::policy::SecuritySettings;
    use crate::auth::sessions::SessionView;
    use crate::auth::tls::CertInfo;
    use crate::auth::users::UserChange;
    use crate::auth::vendor::{NewVendor, VendorAccount, VendorChange};
    use crate::auth::{Permission, Role, User};
    use crate::backup::Verification;
    use crate::backup::drill::Drill;
    use crate::backup::targets::{Run, TargetInput};
    use crate::collector::commission::{ReadResult, ScanReport, TestRead};
    use crate::collector::ports::PortInfo;
    use crate::config::templates::Template;
    use crate::config::{Conflict, ImportOutcome, PlantConfig, Problem, VersionInfo};
    use crate::core::production::{
        AssignBody, CreatedDisplay, MachineNow, NewDisplay, NewIdealCycle, NewPlannedStop,
        NewReason, NewScrap, OperatorMachines, ReasonChange, ReportRequest, Setup, StopReasonBody,
    };
    use crate::core::{
        AccessReviewView, BusView, CertificateUpload, ConfigSummary, CreateUser, DeviceDetail,
        DeviceView, HistoryView, LanView, MachineView, Me, RoleView, StateTimesView, StorageView,
        TemplateSummary,
    };
    use crate::core::{BackupsView, TargetBackups};
    use crate::production::Overview;
    use crate::production::records::{IdealCycle, PlannedStop, Reason, ScrapEntry};
    use crate::production::report::Report;
    use crate::production::views::{Board, MachineStops, ShiftView, StopView};
    use crate::sample::SampleJson;

    const FILE: &str = "ui/src/lib/api.gen.ts";

    /// Every type the API takes or gives, with every type they are made of.
    struct Collect<'a> {
        cfg: &'a Config,
        seen: HashSet<TypeId>,
        decls: BTreeMap<String, String>,
    }

    impl TypeVisitor for Collect<'_> {
        fn visit<T: TS + 'static + ?Sized>(&mut self) {
            if !self.seen.insert(TypeId::of::<T>()) {
                return;
            }
            // Declared types (structs, enums) get a declaration; wrappers (Vec, Option)
            // and primitives only lead on to what they hold.
            if T::output_path().is_some() {
                let docs = T::docs().unwrap_or_default();
                let decl = format!("{docs}export {}", T::decl(self.cfg));
                let name = T::ident(self.cfg);
                if let Some(other) = self.decls.insert(name.clone(), decl.clone()) {
                    // Two Rust types of one name: rename one for TypeScript.
                    assert_eq!(
                        other, decl,
                        "two API types are both called {name}; give one #[ts(rename)]"
                    );
                }
            }
            T::visit_dependencies(self);
            T::visit_generics(self);
        }
    }

    fn generated() -> String {
        // Times are milliseconds and ids small: numbers, not bigints.
        let cfg = Config::new().with_large_int("number");
        let mut c = Collect {
            cfg: &cfg,
            seen: HashSet::new(),
            decls: BTreeMap::new(),
        };
        // Answers.
        c.visit::<Overview>();
        c.visit::<MachineView>();
        c.visit::<HistoryView>();
        c.visit::<StateTimesView>();
        c.visit::<SampleJson>();
        c.visit::<DeviceView>();
        c.visit::<DeviceDetail>();
        c.visit::<BusView>();
        c.visit::<ReadResult>();
        c.visit::<crate::core::TagFindings>();
        c.visit::<ScanReport>();
        c.visit::<PortInfo>();
        c.visit::<TemplateSummary>();
        c.visit::<Template>();
        c.visit::<Me>();
        c.visit::<crate::api::error::ErrorBody>();
        c.visit::<crate::core::PreferencesView>();
        c.visit::<crate::core::PlantLanguage>();
        c.visit::<RoleView>();
        c.visit::<Role>();
        c.visit::<Permission>();
        c.visit::<User>();
        c.visit::<AuditEntry>();
        c.visit::<PlantConfig>();
        c.visit::<ImportOutcome>();
        c.visit::<ConfigSummary>();
        c.visit::<VersionInfo>();
        c.visit::<Conflict>();
        c.visit::<Problem>();
        c.visit::<StorageView>();
        c.visit::<Report>();
        c.visit::<ShiftView>();
        c.visit::<MachineNow>();
        c.visit::<MachineStops>();
        c.visit::<StopView>();
        c.visit::<Reason>();
        c.visit::<PlannedStop>();
        c.visit::<ScrapEntry>();
        c.visit::<IdealCycle>();
        c.visit::<OperatorMachines>();
        c.visit::<Setup>();
        c.visit::<Display>();
        c.visit::<CreatedDisplay>();
        c.visit::<Board>();
        c.visit::<crate::core::support::SupportView>();
        c.visit::<Enrolment>();
        c.visit::<security::RecoveryCodes>();
        c.visit::<security::SecurityView>();
        c.visit::<SecuritySettings>();
        c.visit::<LanView>();
        c.visit::<CertInfo>();
        c.visit::<SessionView>();
        c.visit::<VendorAccount>();
        c.visit::<AccessReviewView>();
        c.visit::<ChainReport>();
        c.visit::<BackupsView>();
        c.visit::<TargetBackups>();
        c.visit::<Drill>();
        c.visit::<crate::core::BackupRestored>();
        c.visit::<Run>();
        c.visit::<Verification>();
        // Alarms (issue 13).
        c.visit::<crate::core::AlarmsView>();
        c.visit::<crate::alerts::store::AlarmView>();
        c.visit::<crate::alerts::store::JournalEntry>();
        c.visit::<crate::alerts::report::AlarmReport>();
        c.visit::<crate::sync::SyncStatus>();
        c.visit::<crate::api::sync::SyncBandwidth>();
        // Alarm e-mail and escalation (issue 13).
        c.visit::<crate::core::MailView>();
        c.visit::<crate::core::TestMailResult>();
        c.visit::<crate::core::SmtpBody>();
        c.visit::<crate::core::EmailBody>();
        c.visit::<crate::core::TestMailBody>();
        // Requests.
        c.visit::<account::SetupBody>();
        c.visit::<account::LoginBody>();
        c.visit::<account::PasswordBody>();
        c.visit::<crate::core::PreferencesChange>();
        c.visit::<admin::ResetPassword>();
        c.visit::<CreateUser>();
        c.visit::<UserChange>();
        c.visit::<TestRead>();
        c.visit::<devices::ScanBody>();
        c.visit::<storage::StorageChange>();
        c.visit::<ReportRequest>();
        c.visit::<StopReasonBody>();
        c.visit::<NewReason>();
        c.visit::<ReasonChange>();
        c.visit::<NewPlannedStop>();
        c.visit::<NewScrap>();
        c.visit::<crate::core::review::CounterEvents>();
        c.visit::<crate::core::review::CounterReviewBody>();
        c.visit::<crate::production::review::CounterReview>();
        c.visit::<NewIdealCycle>();
        c.visit::<AssignBody>();
        c.visit::<NewDisplay>();
        c.visit::<crate::core::support::DesktopSettings>();
        c.visit::<security::MfaCode>();
        c.visit::<security::SecurityChange>();
        c.visit::<CertificateUpload>();
        c.visit::<NewVendor>();
        c.visit::<VendorChange>();
        c.visit::<TargetInput>();
        c.visit::<crate::core::EncryptionChange>();
        c.visit::<crate::core::RecoveryKey>();
        c.visit::<crate::core::EncryptionTurnedOn>();
        // Reports and export (issue 11).
        c.visit::<crate::removable::Drive>();
        c.visit::<crate::removable::write::Progress>();
        c.visit::<crate::removable::write::Written>();
        c.visit::<crate::report::Kind>();
        c.visit::<crate::report::Format>();
        c.visit::<crate::report::Paper>();
        // Report schedules and export jobs (issue 11).
        c.visit::<crate::core::report_jobs::ReportSchedulesView>();
        c.visit::<crate::report::jobs::ReportScheduleInput>();
        c.visit::<crate::core::export_jobs::ExportRequest>();
        // Data passport (issue 17).
        c.visit::<crate::passport::Passport>();
        c.visit::<crate::api::takeout::TakeoutView>();
        c.visit::<crate::api::takeout::TakeoutJob>();
        c.visit::<crate::api::takeout::TakeoutRequest>();
        c.visit::<crate::api::takeout::ForgetRequest>();
        c.visit::<crate::takeout::forget::UserPlan>();
        c.visit::<crate::takeout::forget::Forgotten>();
        c.visit::<crate::takeout::forget::TagPlan>();
        c.visit::<crate::takeout::history::MachinePlan>();
        c.visit::<crate::takeout::history::BeforePlan>();
        c.visit::<crate::takeout::history::Removed>();
        c.visit::<crate::api::takeout::BeforeRequest>();
        c.visit::<crate::core::export_jobs::ExportJob>();
        c.visit::<crate::api::reports::ExportStarted>();
        c.visit::<crate::core::AckBody>();
        c.visit::<crate::core::ShelveBody>();
        c.visit::<crate::alerts::store::JournalQuery>();
        // Quality and stores (issue 15).
        c.visit::<crate::api::quality::DueView>();
        c.visit::<crate::quality::control::SpcView>();
        c.visit::<crate::api::quality::StockView>();
        c.visit::<crate::api::quality::ReverseTrace>();
        c.visit::<crate::quality::trace::LotStory>();
        c.visit::<crate::quality::store::MasterImported>();
        c.visit::<crate::quality::store::LotScrapView>();
        c.visit::<crate::quality::store::NewLot>();
        c.visit::<crate::quality::store::EndLot>();
        c.visit::<crate::quality::store::NewCheck>();
        c.visit::<crate::quality::store::NewDisposition>();
        c.visit::<crate::quality::store::NewLotScrap>();
        c.visit::<crate::quality::store::NewReceipt>();
        c.visit::<crate::quality::store::NewMove>();
        c.visit::<crate::api::quality::NegativeStock>();
        c.visit::<crate::api::quality::GaugeCheck>();
        c.visit::<crate::quality::orders::LotSources>();
        c.visit::<crate::api::quality::BarcodeScan>();
        let mut out = String::from(
            "// The types of Plantlog's HTTP API, generated from its Rust types by ts-rs.\n\
             // Do not edit: run `PLANTLOG_WRITE_TYPES=1 cargo test --lib api::contract`.\n",
        );
        for decl in c.decls.values() {
            out.push('\n');
            out.push_str(decl);
            out.push('\n');
        }
        out
    }

    #[test]
    fn ui_types_are_generated_from_the_api_types() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE);
        let want = generated();
        if std::env::var_os("PLANTLOG_WRITE_TYPES").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{FILE} is stale: an API type changed. Run `PLANTLOG_WRITE_TYPES=1 cargo test --lib api::contract` and commit the file (the UI's type check then shows what to adapt)."
        );
    }
}
