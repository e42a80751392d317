//! The way a scan moves.

/// The way a scan moves: the one difference between forward and reverse scans.
pub trait Direction {
    /// Whether keys come out in increasing order.
    const FORWARD: bool;
}

/// Increasing key order.
#[derive(Debug)]
pub struct Forward;

/// Decreasing key order.
#[derive(Debug)]
pub struct Reverse;

impl Direction for Forward {
    const FORWARD: bool = true;
}

impl Direction for Reverse {
    const FORWARD: bool = false;
}
