//! Integration tests of the root package, linked as one binary (one module per area).
//! They use real things: SQLite files in temporary folders, the HTTP server on a free
//! port, the simulated Modbus TCP devices, and the `plantlog` binary itself where a
//! process boundary matters (SIGKILL, the data folder lock, the command line).

#[cfg_attr(not(unix), allow(dead_code))]
mod peer;
mod util;

mod access;
#[cfg(unix)]
mod alarms;
#[cfg(unix)]
mod backup;
#[cfg(unix)]
mod backup_restore;
mod cli;
#[cfg(unix)]
mod collector;
mod config_edit;
#[cfg(unix)]
mod counters;
mod device_offline;
#[cfg(target_os = "linux")]
mod disk_full;
#[cfg(target_os = "linux")]
mod export;
mod first_run;
#[cfg(unix)]
mod kill;
mod layout;
#[cfg(unix)]
mod mail;
mod passport;
#[cfg(unix)]
mod power_loss;
mod production;
mod quality;
mod report;
mod report_energy;
mod report_schedule;
mod report_tags;
#[cfg(unix)]
mod restart;
mod security;
mod setup_path;
mod storage;
mod support;
#[cfg(unix)]
mod sync;
mod takeout;
#[cfg(target_os = "linux")]
mod usb;
