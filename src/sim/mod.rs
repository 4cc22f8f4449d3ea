//! Simulation: the simulated Modbus devices, the demo plant built on them, and the
//! building blocks of `plantlog bench`. Nothing in the product's rooms imports this
//! room; the command line, the tests and the benchmarks do.

pub mod bench;
pub mod demo;
pub mod operators;
pub mod quality;
pub mod simulator;
