//! Plantlog's core: collection from Modbus devices, the SQLite historian, production
//! figures, users and roles, and the HTTP API with the embedded UI. Headless: the
//! `plantlog` command, the desktop shell (src-tauri) and the tests all drive it through
//! [`app::start`].
//!
//! Data flows one way: driver -> sample bus -> writer, live cache, production engine,
//! live events. See docs/ARCHITECTURE.md.

pub mod alerts;
pub mod api;
pub mod app;
pub mod auth;
pub mod backup;
pub mod collector;
pub mod config;
pub mod core;
pub mod fuzz;
pub mod health;
pub mod i18n;
pub mod live;
pub mod mail;
pub mod os;
pub mod passport;
pub mod production;
pub mod quality;
pub mod removable;
pub mod report;
pub mod sample;
pub mod sim;
pub mod store;
pub mod sync;
pub mod takeout;
