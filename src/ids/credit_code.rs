//! Unified social credit codes (统一社会信用代码, GB 32100) and the organisation code
//! (组织机构代码, GB 11714) embedded in them.
//!
//! Layout: registration authority and category (positions 1–2, any code-alphabet
//! character: the standard has letter authorities such as `A`, `G`, `J`, `N`, `Q`, `Y`),
//! the registering division code (3–8, digits), the organisation code (9–17, whose last
//! character is its own GB 11714 check), and the GB 32100 check character (18).

/// The code alphabet; a character's value is its index. No I, O, S, V, Z.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^(i−1) mod 31 for positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// GB 11714 weights over the first 8 characters of the organisation code.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Why a credit code is invalid (all rule V016). Positions are 1-based in the compacted
/// code (spaces and hyphens removed), and characters are shown upper-cased.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum UsccProblem {
    Length {
        found: usize,
    },
    Chars {
        position: usize,
        found: char,
    },
    /// The GB 32100 check character (position 18).
    CheckChar {
        expected: char,
        found: char,
    },
    /// The GB 11714 check of the embedded organisation code (position 17).
    OrgCode {
        expected: char,
        found: char,
    },
}

impl UsccProblem {
    pub fn rule_code(&self) -> &'static str {
        "V016"
    }
}

/// Check a credit code. Spaces and hyphens are separators and lower case is accepted;
/// the compacted, upper-cased code comes back. Order: length, characters, GB 32100 check,
/// then the organisation-code check.
pub fn check_uscc(code: &str) -> Result<String, UsccProblem> {
    let compact: String = code
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let n = compact.chars().count();
    if n != 18 {
        return Err(UsccProblem::Length { found: n });
    }
    let mut values = [0u32; 18];
    for (i, c) in compact.chars().enumerate() {
        values[i] = match value_of(c) {
            Some(v) if !(2..8).contains(&i) || v < 10 => v,
            _ => {
                return Err(UsccProblem::Chars {
                    position: i + 1,
                    found: c,
                })
            }
        };
    }
    // Every character is in the (ASCII) alphabet now, so bytes are characters.
    let b = compact.as_bytes();
    let expected = check_char(&values[..17]);
    let found = char::from(b[17]);
    if expected != found {
        return Err(UsccProblem::CheckChar { expected, found });
    }
    let expected = org_check(&b[8..16]);
    let found = char::from(b[16]);
    if expected != found {
        return Err(UsccProblem::OrgCode { expected, found });
    }
    Ok(compact)
}

/// GB 32100 check character of the first 17 character values.
fn check_char(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    char::from(ALPHABET[((31 - sum % 31) % 31) as usize])
}

fn value_of(c: char) -> Option<u32> {
    let b = u8::try_from(c).ok()?;
    ALPHABET.iter().position(|a| *a == b).map(|p| p as u32)
}

/// GB 11714 check character of an organisation code's first 8 characters (digits, and
/// letters valued A=10 … Z=35): 11 − S mod 11, with 10 → X and 11 → 0.
fn org_check(b: &[u8]) -> char {
    let sum: u32 = b
        .iter()
        .zip(ORG_WEIGHTS)
        .map(|(c, w)| {
            let v = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                b'A'..=b'Z' => u32::from(c - b'A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from(b'0' + c as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn accepts_the_standard_example_in_its_spellings() {
        for text in [
            "91110000600037341L",
            "91110000600037341l",
            "91 110000 600037341L",
            "91110000-600037341L",
            " 91110000600037341L ",
        ] {
            assert_eq!(
                check_uscc(text).as_deref(),
                Ok("91110000600037341L"),
                "{text}"
            );
        }
    }

    #[test]
    fn accepts_letter_authorities() {
        assert_eq!(
            check_uscc("A1110000600037341K").as_deref(),
            Ok("A1110000600037341K")
        );
    }

    #[test]
    fn length_counts_characters_after_compaction() {
        assert_eq!(check_uscc("12345"), Err(UsccProblem::Length { found: 5 }));
        assert_eq!(check_uscc(""), Err(UsccProblem::Length { found: 0 }));
        assert_eq!(
            check_uscc("91110000600037341LL"),
            Err(UsccProblem::Length { found: 19 })
        );
        // Six 3-byte characters are 18 bytes but 6 characters.
        assert_eq!(
            check_uscc("统一社会信用"),
            Err(UsccProblem::Length { found: 6 })
        );
        // A full-width digit is one character of three bytes: a character problem.
        assert_eq!(
            check_uscc("９1110000600037341L"),
            Err(UsccProblem::Chars {
                position: 1,
                found: '９'
            })
        );
    }

    #[test]
    fn characters_outside_the_alphabet() {
        assert_eq!(
            check_uscc("9111000060003IOZSV"),
            Err(UsccProblem::Chars {
                position: 14,
                found: 'I'
            })
        );
        // Letters are lawful in positions 1–2 and 9–18 but not in the division code.
        assert_eq!(
            check_uscc("911A0000600037341L"),
            Err(UsccProblem::Chars {
                position: 4,
                found: 'A'
            })
        );
    }

    #[test]
    fn wrong_check_character() {
        assert_eq!(
            check_uscc("911100006000373410"),
            Err(UsccProblem::CheckChar {
                expected: 'L',
                found: '0'
            })
        );
        assert_eq!(
            check_uscc("A1110000600037341L"),
            Err(UsccProblem::CheckChar {
                expected: 'K',
                found: 'L'
            })
        );
    }

    #[test]
    fn wrong_embedded_organisation_code() {
        assert_eq!(
            check_uscc("91110000600037342P"),
            Err(UsccProblem::OrgCode {
                expected: '1',
                found: '2'
            })
        );
    }

    #[test]
    fn org_check_maps_10_to_x_and_11_to_0() {
        // S mod 11 = 0 gives 11 → 0; S mod 11 = 1 (6 × 2 = 12) gives 10 → X.
        assert_eq!(org_check(b"00000000"), '0');
        assert_eq!(org_check(b"00000006"), 'X');
        assert_eq!(org_check(b"00000005"), '1');
        // Letters count from A = 10 over the whole Latin alphabet: J is 19, not 18.
        assert_eq!(org_check(b"0000000J"), '6'); // 19 × 2 = 38, 38 mod 11 = 5
        assert_eq!(org_check(b"60003734"), '1');
    }

    /// A valid code from 15 free characters: the organisation check and the overall
    /// check are computed.
    fn valid_uscc() -> impl Strategy<Value = String> {
        let any = || prop::sample::select(ALPHABET.to_vec());
        let digit = || prop::sample::select(b"0123456789".to_vec());
        (
            prop::collection::vec(any(), 2),
            prop::collection::vec(digit(), 6),
            prop::collection::vec(any(), 8),
        )
            .prop_map(|(head, division, org)| {
                let mut b = [head, division, org].concat();
                b.push(org_check(&b[8..16]) as u8);
                let values: Vec<u32> = b
                    .iter()
                    .map(|c| value_of(char::from(*c)).unwrap())
                    .collect();
                b.push(check_char(&values) as u8);
                String::from_utf8(b).unwrap()
            })
    }

    proptest! {
        #[test]
        fn a_generated_code_passes(code in valid_uscc()) {
            prop_assert_eq!(check_uscc(&code), Ok(code.clone()));
            prop_assert_eq!(check_uscc(&code.to_ascii_lowercase()), Ok(code));
        }

        #[test]
        fn any_single_substitution_fails(
            code in valid_uscc(),
            pos in 0usize..18,
            shift in any::<u8>(),
        ) {
            // Move the character 1 to 30 steps round the alphabet: never to itself.
            let mut b = code.into_bytes();
            let from = ALPHABET.iter().position(|c| *c == b[pos]).unwrap();
            b[pos] = ALPHABET[(from + 1 + usize::from(shift) % 30) % 31];
            let changed = String::from_utf8(b).unwrap();
            // GB 32100 alone catches it: 31 is prime and no weight is 0 mod 31.
            let values: Vec<u32> = changed.chars().map(|c| value_of(c).unwrap()).collect();
            prop_assert_ne!(check_char(&values[..17]), changed.chars().nth(17).unwrap());
            prop_assert!(check_uscc(&changed).is_err());
        }

        #[test]
        fn never_panics_and_reports_what_it_saw(text in prop_oneof![
            any::<String>(),
            "[0-9A-Za-z \\-]{0,24}",
            "[0-9A-Z]{8}[0-9A-Z一-龥]{10}",
        ]) {
            let compact: String = text
                .chars()
                .filter(|c| *c != ' ' && *c != '-')
                .map(|c| c.to_ascii_uppercase())
                .collect();
            match check_uscc(&text) {
                Ok(code) => prop_assert_eq!(code, compact),
                Err(UsccProblem::Length { found }) => prop_assert_eq!(found, compact.chars().count()),
                Err(UsccProblem::Chars { position, found }) => {
                    prop_assert_eq!(compact.chars().nth(position - 1), Some(found));
                }
                Err(_) => prop_assert_eq!(compact.len(), 18),
            }
        }
    }
}
