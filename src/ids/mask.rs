//! Masking identity numbers for logs, reports and messages.

/// The number with its middle replaced by `*`, the same number of characters long.
///
/// 15 characters or more keep the region (first 6) and the last 2 (`110101**********3X`):
/// the 8 birth digits and at least two sequence digits stay hidden, so a report that
/// shows the year of birth still leaves thousands of candidates (docs/security.md).
/// Shorter numbers (passports, permits) reveal at most half their characters (rounded
/// down), the larger share at the front: 9 → 2 + 2, 3 → 1 + 0.
pub fn mask(number: &str) -> String {
    let n = number.chars().count();
    let (head, tail) = if n >= 15 {
        (6, 2)
    } else {
        let shown = n / 2;
        (shown - shown / 2, shown / 2)
    };
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn resident_id_keeps_region_and_two() {
        assert_eq!(mask("11010119900307123X"), "110101**********3X");
        assert_eq!(mask("12345678901234567890"), "123456************90");
    }

    #[test]
    fn short_numbers_reveal_at_most_half() {
        assert_eq!(mask("610104620927690"), "610104*******90");
        assert_eq!(mask("H12345678"), "H1*****78");
        assert_eq!(mask("12345678"), "12****78");
        assert_eq!(mask("ABC"), "A**");
        assert_eq!(mask("AB"), "A*");
        assert_eq!(mask("A"), "*");
        assert_eq!(mask(""), "");
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(mask("南字第123456号"), "南字第*****6号");
    }

    proptest! {
        #[test]
        fn same_length_and_never_more_than_half_below_15(s in "\\PC{0,40}") {
            let m = mask(&s);
            let n = s.chars().count();
            prop_assert_eq!(m.chars().count(), n);
            let shown = s.chars().zip(m.chars()).filter(|(a, b)| a == b && *b != '*').count();
            let limit = if n >= 15 { 8 } else { n / 2 };
            prop_assert!(shown <= limit, "{} shows {}", m, shown);
        }
    }
}
