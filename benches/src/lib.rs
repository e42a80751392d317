//! The benchmark harness of the `masstree` workspace.
//!
//! One library shared by the criterion suites (`benches/`) and the `throughput` runner behind
//! `cargo xtask bench`: the maps under test behind one [`contenders::Contender`] trait, key sets
//! and operation traces ([`keys`], [`workloads`], [`zipf`]), the multi-threaded driver
//! ([`driver`]), the DRAM-bound family's runner ([`dram`]), tail latency ([`tails`]), the
//! memory-per-key measurement ([`memory`], [`alloc_counter`]), the batch-lookup and
//! pin-cost measurements ([`batch`], [`pin_cost`]) and the report
//! writers ([`report`], [`svg`]).

pub mod alloc_counter;
pub mod batch;
pub mod contenders;
pub mod dram;
pub mod driver;
pub mod keys;
pub mod machine;
pub mod memory;
pub mod pin_cost;
pub mod report;
pub mod svg;
pub mod tails;
pub mod workloads;
pub mod zipf;
