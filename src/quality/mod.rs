//! Quality: measured and attribute checks against their specifications, statistical
//! process control over them, and when checks fall due. Headless and free of storage,
//! so the same figures serve the quality pages, the reports and the command line.

pub mod master;
pub mod schedule;
pub mod spc;
pub mod store;
pub mod trace;
