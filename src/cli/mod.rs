//! The `plantlog` command's subcommands, one module each. They parse, call the core's
//! rooms and print; the core itself never prints or exits.

pub mod bench;
pub mod config;
pub mod import;
pub mod modbus;
pub mod production;
pub mod run;
pub mod service;
pub mod support;
pub mod users;

use anyhow::{Context, Result};

use plantlog::store::{DataDir, Db};

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn open_db(data_dir: &std::path::Path) -> Result<Db> {
    let dir = DataDir::create(data_dir)
        .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
    Ok(Db::open(&dir.database())?)
}

pub fn read(file: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}
