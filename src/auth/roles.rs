//! The seven roles and what each may do. The matrix is data: the API checks every
//! request against it, the UI reads it to hide what a role cannot use, and the docs
//! print it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Operator,
    Supervisor,
    Maintenance,
    Quality,
    Stores,
    Management,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Operator,
        Role::Supervisor,
        Role::Maintenance,
        Role::Quality,
        Role::Stores,
        Role::Management,
        Role::Admin,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Supervisor => "supervisor",
            Role::Maintenance => "maintenance",
            Role::Quality => "quality",
            Role::Stores => "stores",
            Role::Management => "management",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Operator => "Operator",
            Role::Supervisor => "Supervisor",
            Role::Maintenance => "Maintenance",
            Role::Quality => "Quality",
            Role::Stores => "Stores",
            Role::Management => "Management",
            Role::Admin => "Admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == s)
    }

    /// The permissions of this role.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| p.roles().contains(&self))
            .collect()
    }

    pub fn can(self, permission: Permission) -> bool {
        permission.roles().contains(&self)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Overview, machine pages, trends, live values.
    ViewPlant,
    /// Device status and diagnostics.
    ViewDevices,
    /// Export the plant configuration.
    ViewConfig,
    /// Import a plant configuration.
    EditConfig,
    /// Users: list, create, disable, set roles, reset passwords.
    ManageUsers,
    /// Read the audit log.
    ViewAudit,
    /// Test reads, bus scans, serial port lists: talking to devices outside the
    /// schedule (reads only).
    Commission,
    /// Production figures, reports, the shift view and a machine's stops: of every
    /// machine with `all_machines`, else of the machines assigned to the user.
    ViewProduction,
    /// Production figures of every machine (not only one's assigned machines).
    AllMachines,
    /// Give, change or split the reason of a stop, with a comment.
    ExplainStops,
    /// Enter scrap.
    EnterScrap,
    /// The reason tree, planned stops, ideal cycle times, operators' machines.
    ManageProduction,
    /// Andon displays: create and revoke their read-only tokens.
    ManageDisplays,
    /// Recent warnings and errors, crash records, the support bundle for a vendor.
    Support,
    /// Run reports (shift, production) of every machine and download them.
    RunReports,
    /// Write exports to removable drives (USB sticks) and list them.
    WriteRemovable,
    /// Acknowledge alarms (operators: those of their machines).
    AckAlarms,
    /// Shelve alarms, for the roles the alarm settings name.
    ShelveAlarms,
    /// Receive every alarm and see the alarm report.
    ManageAlarms,
    /// Run the reports about plant data (the tag report) and download them.
    RunDataReports,
    /// Read the data passport (issue 17): what is collected, stored, who has access,
    /// what leaves the plant; as a page and a document for an auditor.
    ViewPassport,
    /// Quality and stores data (issue 15): lots, checks, stock, a lot's story; operators
    /// see their machines' due checks.
    ViewQuality,
    /// Enter checks (operators: on their machines) and scrap per lot.
    EnterChecks,
    /// Give out-of-spec checks their disposition (rework, scrap, accept under deviation).
    DispositionChecks,
    /// Products, inspection plans and materials: import and export.
    EditPlans,
    /// Start and end production lots (operators: on their machines).
    RunLots,
    /// Receive material lots, issue, return and scrap material.
    MoveMaterials,
}

impl Permission {
    pub const ALL: [Permission; 27] = [
        Permission::ViewPlant,
        Permission::ViewDevices,
        Permission::ViewConfig,
        Permission::EditConfig,
        Permission::ManageUsers,
        Permission::ViewAudit,
        Permission::Commission,
        Permission::ViewProduction,
        Permission::AllMachines,
        Permission::ExplainStops,
        Permission::EnterScrap,
        Permission::ManageProduction,
        Permission::ManageDisplays,
        Permission::Support,
        Permission::RunReports,
        Permission::WriteRemovable,
        Permission::AckAlarms,
        Permission::ShelveAlarms,
        Permission::ManageAlarms,
        Permission::RunDataReports,
        Permission::ViewPassport,
        Permission::ViewQuality,
        Permission::EnterChecks,
        Permission::DispositionChecks,
        Permission::EditPlans,
        Permission::RunLots,
        Permission::MoveMaterials,
    ];

    /// The matrix, one row per permission.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::ViewPlant => &Role::ALL,
            Permission::ViewDevices => &[Supervisor, Maintenance, Admin],
            Permission::ViewConfig => &[Maintenance, Admin],
            Permission::EditConfig => &[Admin],
            Permission::ManageUsers => &[Admin],
            Permission::ViewAudit => &[Management, Admin],
            Permission::Commission => &[Maintenance, Admin],
            Permission::ViewProduction => &[Operator, Supervisor, Quality, Management, Admin],
            Permission::AllMachines => &[Supervisor, Quality, Management, Admin],
            Permission::ExplainStops => &[Operator, Supervisor, Admin],
            Permission::EnterScrap => &[Operator, Supervisor, Quality, Admin],
            Permission::ManageProduction => &[Supervisor, Admin],
            Permission::ManageDisplays => &[Admin],
            Permission::Support => &[Maintenance, Admin],
            // Issue 11: management, supervisor and admin run any report. The shift and
            // production reports are production figures of every machine; quality,
            // maintenance and stores run the reports about their own data
            // (RunDataReports: the tag report).
            Permission::RunReports => &[Supervisor, Management, Admin],
            // The admin's: what leaves the plant on a stick.
            Permission::WriteRemovable => &[Admin],
            // Operators acknowledge the alarms of their machines (the core checks which).
            Permission::AckAlarms => &[Operator, Supervisor, Maintenance, Admin],
            // Who of these may shelve is the admin's setting (alarm_settings.shelve_roles).
            Permission::ShelveAlarms => &[Operator, Supervisor, Maintenance, Admin],
            Permission::ManageAlarms => &[Admin],
            // Issue 11: quality, maintenance and stores run the reports about their data
            // (tags: temperatures, pressures, levels, stock counters), as do those who run
            // every report. Operators none.
            Permission::RunDataReports => {
                &[Supervisor, Maintenance, Quality, Stores, Management, Admin]
            }
            // Issue 17: those who answer for the plant's data to an auditor.
            Permission::ViewPassport => &[Management, Admin],
            // Issue 15: quality enters and dispositions checks and edits plans; stores
            // moves material; operators enter checks and run lots on their machines (the
            // API checks which); supervisors see and do all of the floor's part;
            // management reads.
            Permission::ViewQuality => &[Operator, Supervisor, Quality, Stores, Management, Admin],
            Permission::EnterChecks => &[Operator, Supervisor, Quality, Admin],
            Permission::DispositionChecks => &[Quality, Admin],
            Permission::EditPlans => &[Quality, Admin],
            Permission::RunLots => &[Operator, Supervisor, Admin],
            Permission::MoveMaterials => &[Stores, Admin],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Permission::ViewPlant => "view_plant",
            Permission::ViewDevices => "view_devices",
            Permission::ViewConfig => "view_config",
            Permission::EditConfig => "edit_config",
            Permission::ManageUsers => "manage_users",
            Permission::ViewAudit => "view_audit",
            Permission::Commission => "commission",
            Permission::ViewProduction => "view_production",
            Permission::AllMachines => "all_machines",
            Permission::ExplainStops => "explain_stops",
            Permission::EnterScrap => "enter_scrap",
            Permission::ManageProduction => "manage_production",
            Permission::ManageDisplays => "manage_displays",
            Permission::Support => "support",
            Permission::RunReports => "run_reports",
            Permission::WriteRemovable => "write_removable",
            Permission::AckAlarms => "ack_alarms",
            Permission::ShelveAlarms => "shelve_alarms",
            Permission::ManageAlarms => "manage_alarms",
            Permission::RunDataReports => "run_data_reports",
            Permission::ViewPassport => "view_passport",
            Permission::ViewQuality => "view_quality",
            Permission::EnterChecks => "enter_checks",
            Permission::DispositionChecks => "disposition_checks",
            Permission::EditPlans => "edit_plans",
            Permission::RunLots => "run_lots",
            Permission::MoveMaterials => "move_materials",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.name()), Some(r));
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.name())
            );
        }
        for p in Permission::ALL {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.name())
            );
        }
    }

    #[test]
    fn only_admin_manages_users_and_config() {
        for r in Role::ALL {
            assert_eq!(r.can(Permission::ManageUsers), r == Role::Admin);
            assert_eq!(r.can(Permission::EditConfig), r == Role::Admin);
            assert!(r.can(Permission::ViewPlant));
        }
    }

    #[test]
    fn production_is_read_by_management_supervisors_admins_and_operators_for_their_machines() {
        for r in Role::ALL {
            let all = matches!(
                r,
                Role::Supervisor | Role::Management | Role::Admin | Role::Quality
            );
            assert_eq!(r.can(Permission::AllMachines), all, "{r:?}");
            assert_eq!(
                r.can(Permission::ViewProduction),
                all || r == Role::Operator,
                "{r:?}"
            );
        }
        assert!(Role::Operator.can(Permission::ExplainStops));
        assert!(!Role::Operator.can(Permission::ManageProduction));
        assert!(Role::Supervisor.can(Permission::ManageProduction));
        assert!(!Role::Management.can(Permission::ExplainStops));
        assert_eq!(Permission::ManageDisplays.roles(), &[Role::Admin]);
    }
}
