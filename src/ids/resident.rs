//! GB 11643 citizen identity numbers (公民身份号码): the 18-character form, the legacy
//! 15-digit form, and the HK/Macao/Taiwan residence permits that reuse the 18-character
//! layout with the address codes 810000, 820000 and 830000.
//!
//! Functions here take the number as bytes whose layout the caller has already checked
//! (see `is_layout18` and `is_layout15`), so they index without bounds worries.

use super::{DocType, IdInfo, IdProblem};
use crate::calendar::Date;
use crate::model::Sex;

/// MOD 11-2 weights, W_i = 2^(18−i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character indexed by the weighted sum mod 11.
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// Birth years before this are typing errors, not people.
const MIN_BIRTH_YEAR: u32 = 1800;

/// 17 ASCII digits and a digit or `X` (either case).
pub(super) fn is_layout18(b: &[u8]) -> bool {
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && matches!(b[17], b'0'..=b'9' | b'X' | b'x')
}

/// 15 ASCII digits.
pub(super) fn is_layout15(b: &[u8]) -> bool {
    b.len() == 15 && b.iter().all(u8::is_ascii_digit)
}

/// The ISO 7064 MOD 11-2 check character of a 17-digit body.
pub(super) fn check_char(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    char::from(CHECK_CHARS[(sum % 11) as usize])
}

/// The check character of an 18-character layout (lower-case `x` accepted).
pub(super) fn verify_check18(b: &[u8]) -> Result<(), IdProblem> {
    let expected = check_char(&b[..17]);
    let found = char::from(b[17].to_ascii_uppercase());
    if expected == found {
        Ok(())
    } else {
        Err(IdProblem::CheckChar { expected, found })
    }
}

/// The value of a run of ASCII digits.
pub(super) fn digits(b: &[u8]) -> u32 {
    b.iter()
        .fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

/// A birth date written `YYYYMMDD`: real, from 1800 on, and not after `today`.
pub(super) fn birth8(b: &[u8], today: Date) -> Result<Date, IdProblem> {
    let year = digits(&b[..4]);
    let birth = if year < MIN_BIRTH_YEAR {
        None
    } else {
        Date::new(year as i32, digits(&b[4..6]), digits(&b[6..8]))
    };
    let birth = birth.ok_or_else(|| IdProblem::BirthDate {
        text: String::from_utf8_lossy(b).into_owned(),
    })?;
    if birth > today {
        return Err(IdProblem::FutureBirth { birth });
    }
    Ok(birth)
}

/// Odd is male: GB 11643's sequence code, and the foreign cards copy the rule.
pub(super) fn sex_of(digit: u8) -> Sex {
    if digit.wrapping_sub(b'0') % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    }
}

/// A GB/T 2260 province-level code (two digits), including Taiwan 71 and the SARs 81/82.
/// Province level only: county codes are historical and old ones stay in use.
pub(super) fn is_province(b: &[u8]) -> bool {
    matches!(
        digits(b),
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82
    )
}

/// 18-character resident ID: check character, then birth date, then province.
pub(super) fn resident18(b: &[u8], today: Date) -> Result<IdInfo, IdProblem> {
    verify_check18(b)?;
    let birth = birth8(&b[6..14], today)?;
    if !is_province(&b[..2]) {
        return Err(IdProblem::Region {
            prefix: String::from_utf8_lossy(&b[..2]).into_owned(),
        });
    }
    Ok(IdInfo {
        detected: DocType::ResidentId,
        birth: Some(birth),
        sex: Some(sex_of(b[16])),
        legacy15_upgrade: None,
    })
}

/// Legacy 15-digit resident ID: no check digit, birth year 19YY, sex from the last digit.
/// Valid ones come back with their 18-digit form for the caller's V007 warning.
pub(super) fn legacy15(b: &[u8], today: Date) -> Result<IdInfo, IdProblem> {
    let mut date = *b"19000000";
    date[2..].copy_from_slice(&b[6..12]);
    let birth = birth8(&date, today).map_err(|e| match e {
        // Report the digits as they stand in the number.
        IdProblem::BirthDate { .. } => IdProblem::BirthDate {
            text: String::from_utf8_lossy(&b[6..12]).into_owned(),
        },
        other => other,
    })?;
    if !is_province(&b[..2]) {
        return Err(IdProblem::Region {
            prefix: String::from_utf8_lossy(&b[..2]).into_owned(),
        });
    }
    Ok(IdInfo {
        detected: DocType::ResidentId,
        birth: Some(birth),
        sex: Some(sex_of(b[14])),
        legacy15_upgrade: Some(upgrade_layout15(b)),
    })
}

/// HK/Macao/Taiwan residence permit: the resident layout with a fixed address code.
pub(super) fn permit18(b: &[u8], today: Date) -> Result<IdInfo, IdProblem> {
    verify_check18(b)?;
    let birth = birth8(&b[6..14], today)?;
    if &b[2..6] != b"0000" {
        return Err(IdProblem::Region {
            prefix: String::from_utf8_lossy(&b[..6]).into_owned(),
        });
    }
    Ok(IdInfo {
        detected: DocType::ResidencePermit,
        birth: Some(birth),
        sex: Some(sex_of(b[16])),
        legacy15_upgrade: None,
    })
}

/// The 18-digit form of a legacy 15-digit number: `19` before the birth date, and the
/// check character appended. `None` unless the input is 15 ASCII digits; the date and
/// region are not judged here (that is `check`'s job).
pub fn upgrade15(number: &str) -> Option<String> {
    let b = number.as_bytes();
    is_layout15(b).then(|| upgrade_layout15(b))
}

fn upgrade_layout15(b: &[u8]) -> String {
    let mut out = [0u8; 18];
    out[..6].copy_from_slice(&b[..6]);
    out[6..8].copy_from_slice(b"19");
    out[8..17].copy_from_slice(&b[6..15]);
    // The check table is ASCII, so the byte is the character.
    out[17] = check_char(&out[..17]) as u8;
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_two_mod_11() {
        for (i, w) in WEIGHTS.iter().enumerate() {
            let expected = (1u32 << (17 - i)) % 11;
            assert_eq!(*w, expected, "position {}", i + 1);
        }
    }

    #[test]
    fn check_char_matches_the_published_examples() {
        assert_eq!(check_char(b"36042619910101007"), '1');
        assert_eq!(check_char(b"44011320141005001"), 'X');
        assert_eq!(check_char(b"61010419620927690"), '8');
    }

    #[test]
    fn check_char_equals_the_closed_form() {
        // (12 − S mod 11) mod 11, 10 → X: an independent formula for the same table.
        for n in [0u64, 1, 12_345_678_901_234_567, 99_999_999_999_999_999] {
            let body = format!("{n:017}");
            let s: u32 = body
                .bytes()
                .zip(WEIGHTS)
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum();
            let v = (12 - s % 11) % 11;
            let expected = if v == 10 {
                'X'
            } else {
                char::from_digit(v, 10).unwrap()
            };
            assert_eq!(check_char(body.as_bytes()), expected, "{body}");
        }
    }

    #[test]
    fn provinces_cover_gb_t_2260_and_nothing_else() {
        let known: Vec<u32> = (0..100)
            .filter(|n| is_province(format!("{n:02}").as_bytes()))
            .collect();
        assert_eq!(known.len(), 34);
        for code in [11, 15, 23, 37, 46, 50, 54, 65, 71, 81, 82] {
            assert!(known.contains(&code), "{code}");
        }
        for code in [
            0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 90, 99,
        ] {
            assert!(!known.contains(&code), "{code}");
        }
    }

    #[test]
    fn upgrade_inserts_the_century_and_appends_the_check() {
        assert_eq!(
            upgrade15("610104620927690").as_deref(),
            Some("610104196209276908")
        );
        assert_eq!(upgrade15("61010462092769"), None);
        assert_eq!(upgrade15("61010462092769X"), None);
        assert_eq!(upgrade15("610104196209276908"), None);
        assert_eq!(upgrade15("６10104620927690"), None);
    }

    #[test]
    fn sex_follows_parity() {
        assert_eq!(sex_of(b'1'), Sex::Male);
        assert_eq!(sex_of(b'9'), Sex::Male);
        assert_eq!(sex_of(b'0'), Sex::Female);
        assert_eq!(sex_of(b'8'), Sex::Female);
    }
}
