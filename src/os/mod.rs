//! What depends on the operating system around the core: where a service keeps its data
//! (`paths`), log files with rotation and a size cap (`logs`), crash records written by
//! a panic hook (`crash`), the support bundle for a vendor (`support`), and running the
//! headless core as a Windows service or a systemd unit (`service`); the desktop
//! app's settings that the admin sets for the PC (`desktop`).
//!
//! Nothing here starts collection by itself or knows HTTP; the command line and the
//! desktop shell call these functions. Code that only exists on one OS sits behind
//! `cfg`, with its counterpart for the other.

pub mod crash;
pub mod desktop;
pub mod logs;
pub mod paths;
pub mod service;
pub mod support;
