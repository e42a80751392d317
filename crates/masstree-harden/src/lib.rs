//! Hardening harnesses for the masstree map, run by `cargo xtask lincheck`, `soak` and `fuzz`:
//!
//! - [`history`]: concurrent histories of point operations, recorded with a shared clock;
//! - [`linearize`]: a per-key Wing & Gong linearizability checker with memoization;
//! - [`lincheck`]: the runner that drives threads over a small hot key set;
//! - [`soak`]: a long mixed workload with structural checks and a memory ceiling;
//! - [`differential`]: the fuzz target's body, the map against `BTreeMap`;
//! - [`rng`]: a tiny seeded generator, so every run is reproducible from its seed.

pub mod differential;
pub mod history;
pub mod lincheck;
pub mod linearize;
pub mod memory;
pub mod soak;
