//! Quality: measured and attribute checks against their specifications, statistical
//! process control over them, and when checks fall due (pure: master, schedule, spc);
//! the quality and stores records in SQLite (store: lots, checks, dispositions, scrap,
//! material lots and moves, audited) and a lot's story from them and the production
//! engine's stored history (trace). The same functions serve the API, the command line
//! (`plantlog trace`) and the demo.

pub mod alarm;
pub mod control;
pub mod master;
pub mod master_csv;
pub mod orders;
pub mod schedule;
pub mod service;
pub mod spc;
pub mod store;
pub mod trace;
