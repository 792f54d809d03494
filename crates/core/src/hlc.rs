//! Hybrid logical clock: wall-clock milliseconds in the high bits, a counter in the low 16.
//! Stamps from one device only grow, even if the PC's clock is set back, and a device that
//! has seen a stamp never issues a smaller one — so "newest stamp wins" respects causality.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Hlc(pub u64);

const COUNTER_BITS: u32 = 16;

impl Hlc {
    pub fn from_millis(ms: u64) -> Self {
        Hlc(ms << COUNTER_BITS)
    }

    pub fn millis(self) -> u64 {
        self.0 >> COUNTER_BITS
    }

    /// The next stamp after `last`, given the wall clock `now_ms`.
    pub fn next(last: Hlc, now_ms: u64) -> Hlc {
        let wall = Hlc::from_millis(now_ms);
        if wall > last {
            wall
        } else {
            // Incoming stamps are bounded (`Op::validate_incoming`), so this cannot reach the
            // top; saturating rather than wrapping to 0 if a damaged file ever holds one there.
            Hlc(last.0.saturating_add(1))
        }
    }

    pub fn as_i64(self) -> i64 {
        self.0 as i64
    }

    pub fn from_i64(v: i64) -> Self {
        Hlc(v as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_goes_back_when_the_wall_clock_does() {
        let a = Hlc::next(Hlc::default(), 1_000);
        let b = Hlc::next(a, 500);
        assert!(b > a);
        let c = Hlc::next(b, 2_000);
        assert!(c > b);
        assert_eq!(c.millis(), 2_000);
    }
}
