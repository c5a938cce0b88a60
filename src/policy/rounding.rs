//! Rounding modes for contribution amounts (舍入/进位).
//!
//! There is no national rule: each city (sometimes each insurance and party) names its own,
//! so the mode is a policy figure. Amounts are never negative, so "up"/"down" and
//! "away from zero"/"toward zero" coincide and map onto rust_decimal's strategies.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// How one party's amount for one insurance is rounded.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Rounding {
    HalfUpFen,
    HalfUpJiao,
    HalfUpYuan,
    CeilJiao,
    CeilYuan,
    FloorFen,
    FloorJiao,
    FloorYuan,
}

impl Rounding {
    pub const ALL: [Rounding; 8] = [
        Rounding::HalfUpFen,
        Rounding::HalfUpJiao,
        Rounding::HalfUpYuan,
        Rounding::CeilJiao,
        Rounding::CeilYuan,
        Rounding::FloorFen,
        Rounding::FloorJiao,
        Rounding::FloorYuan,
    ];

    /// The identifier used in policy files.
    pub fn id(self) -> &'static str {
        match self {
            Rounding::HalfUpFen => "half-up-fen",
            Rounding::HalfUpJiao => "half-up-jiao",
            Rounding::HalfUpYuan => "half-up-yuan",
            Rounding::CeilJiao => "ceil-jiao",
            Rounding::CeilYuan => "ceil-yuan",
            Rounding::FloorFen => "floor-fen",
            Rounding::FloorJiao => "floor-jiao",
            Rounding::FloorYuan => "floor-yuan",
        }
    }

    pub fn from_id(id: &str) -> Option<Rounding> {
        Rounding::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The name payroll staff use for the rule.
    pub fn label_zh(self) -> &'static str {
        match self {
            Rounding::HalfUpFen => "四舍五入到分",
            Rounding::HalfUpJiao => "四舍五入到角",
            Rounding::HalfUpYuan => "四舍五入到元",
            Rounding::CeilJiao => "见分进角",
            Rounding::CeilYuan => "见角进元",
            Rounding::FloorFen => "舍去厘",
            Rounding::FloorJiao => "舍去分",
            Rounding::FloorYuan => "舍去角",
        }
    }

    /// The smallest step a rounded amount moves by: 0.01, 0.1 or 1 yuan. Two roundings of
    /// one amount differ by less than this (reconcile's tolerance).
    pub fn unit(self) -> Decimal {
        Decimal::new(1, self.places())
    }

    /// Decimal places kept (fen = 2, jiao = 1, yuan = 0).
    fn places(self) -> u32 {
        match self {
            Rounding::HalfUpFen | Rounding::FloorFen => 2,
            Rounding::HalfUpJiao | Rounding::CeilJiao | Rounding::FloorJiao => 1,
            Rounding::HalfUpYuan | Rounding::CeilYuan | Rounding::FloorYuan => 0,
        }
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUpFen | Rounding::HalfUpJiao | Rounding::HalfUpYuan => {
                RoundingStrategy::MidpointAwayFromZero
            }
            Rounding::CeilJiao | Rounding::CeilYuan => RoundingStrategy::AwayFromZero,
            Rounding::FloorFen | Rounding::FloorJiao | Rounding::FloorYuan => {
                RoundingStrategy::ToZero
            }
        }
    }

    /// Round `amount` and give it two decimals (yuan and jiao results are shown as
    /// `12.00` / `12.30`, as the portals print them).
    pub fn apply(self, amount: Decimal) -> Decimal {
        let mut r = amount.round_dp_with_strategy(self.places(), self.strategy());
        r.rescale(2);
        r
    }

    /// The ids, for error messages.
    pub fn ids() -> String {
        Rounding::ALL
            .iter()
            .map(|r| r.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Rounding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn check(mode: Rounding, cases: &[(&str, &str)]) {
        for (input, want) in cases {
            let got = mode.apply(d(input));
            assert_eq!(got.to_string(), *want, "{mode} of {input}");
        }
    }

    #[test]
    fn ids_round_trip_and_reject_unknown() {
        for r in Rounding::ALL {
            assert_eq!(Rounding::from_id(r.id()), Some(r));
        }
        assert_eq!(Rounding::from_id("half_up_fen"), None);
        assert_eq!(Rounding::from_id("HALF-UP-FEN"), None);
        assert_eq!(Rounding::from_id(""), None);
    }

    #[test]
    fn half_up_fen_edges() {
        check(
            Rounding::HalfUpFen,
            &[
                ("0", "0.00"),
                ("1145.92", "1145.92"),
                ("0.005", "0.01"),
                ("2.345", "2.35"),
                ("2.3449999", "2.34"),
                ("2.3450001", "2.35"),
                ("7", "7.00"),
            ],
        );
    }

    #[test]
    fn half_up_jiao_edges() {
        check(
            Rounding::HalfUpJiao,
            &[
                ("0", "0.00"),
                ("2.35", "2.40"),
                ("2.349", "2.30"),
                ("2.30", "2.30"),
                ("0.05", "0.10"),
                ("0.0499", "0.00"),
            ],
        );
    }

    #[test]
    fn half_up_yuan_edges() {
        check(
            Rounding::HalfUpYuan,
            &[
                ("0", "0.00"),
                ("2.5", "3.00"),
                ("2.4999", "2.00"),
                ("3", "3.00"),
                ("0.50", "1.00"),
            ],
        );
    }

    #[test]
    fn ceil_jiao_edges() {
        // 见分进角: any fen (or less) lifts the jiao.
        check(
            Rounding::CeilJiao,
            &[
                ("0", "0.00"),
                ("1145.92", "1146.00"),
                ("2.30", "2.30"),
                ("2.301", "2.40"),
                ("2.35", "2.40"),
                ("0.001", "0.10"),
            ],
        );
    }

    #[test]
    fn ceil_yuan_edges() {
        check(
            Rounding::CeilYuan,
            &[
                ("0", "0.00"),
                ("12", "12.00"),
                ("12.01", "13.00"),
                ("12.5", "13.00"),
            ],
        );
    }

    #[test]
    fn floor_modes_edges() {
        check(
            Rounding::FloorFen,
            &[
                ("0", "0.00"),
                ("2.345", "2.34"),
                ("2.3499", "2.34"),
                ("2.34", "2.34"),
            ],
        );
        check(
            Rounding::FloorJiao,
            &[
                ("0", "0.00"),
                ("2.39", "2.30"),
                ("2.35", "2.30"),
                ("2.3", "2.30"),
            ],
        );
        check(
            Rounding::FloorYuan,
            &[
                ("0", "0.00"),
                ("2.99", "2.00"),
                ("2.5", "2.00"),
                ("2", "2.00"),
            ],
        );
    }

    #[test]
    fn labels_match_the_table() {
        assert_eq!(Rounding::CeilJiao.label_zh(), "见分进角");
        assert_eq!(Rounding::FloorFen.label_zh(), "舍去厘");
        assert_eq!(Rounding::FloorYuan.label_zh(), "舍去角");
    }

    /// Non-negative amounts with up to 6 decimals, as base × rate produces.
    fn amount() -> impl Strategy<Value = Decimal> {
        (0i64..10_000_000_000, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s))
    }

    fn unit(mode: Rounding) -> Decimal {
        Decimal::new(1, mode.places())
    }

    proptest! {
        #[test]
        fn non_negative_idempotent_and_close(x in amount()) {
            for mode in Rounding::ALL {
                let once = mode.apply(x);
                prop_assert!(once >= Decimal::ZERO);
                prop_assert_eq!(once.scale(), 2);
                prop_assert_eq!(mode.apply(once), once, "{} not idempotent on {}", mode, x);
                prop_assert!((once - x).abs() < unit(mode), "{} moved {} too far", mode, x);
            }
        }

        #[test]
        fn floor_le_half_up_le_ceil(x in amount()) {
            use Rounding::*;
            prop_assert!(FloorFen.apply(x) <= HalfUpFen.apply(x));
            prop_assert!(FloorJiao.apply(x) <= HalfUpJiao.apply(x));
            prop_assert!(HalfUpJiao.apply(x) <= CeilJiao.apply(x));
            prop_assert!(FloorYuan.apply(x) <= HalfUpYuan.apply(x));
            prop_assert!(HalfUpYuan.apply(x) <= CeilYuan.apply(x));
            prop_assert!(FloorJiao.apply(x) <= x && x <= CeilJiao.apply(x));
            prop_assert!(FloorYuan.apply(x) <= x && x <= CeilYuan.apply(x));
        }
    }
}
