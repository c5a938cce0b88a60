//! Identity numbers and employer credit codes: what a number says about its holder, and
//! exactly what is wrong with it when it is wrong.
//!
//! `check` is the entry point for people (rules V002–V007), `check_uscc` for employers
//! (V016); the document-type column is read by `input::value::vocab`. Everything here is pure
//! and allocation-free on the happy path of a valid 18-character ID: it runs once per row.

mod credit_code;
mod doc_type;
mod foreign;
mod mask;
mod resident;

pub use credit_code::{check_uscc, UsccProblem};
pub use doc_type::DocType;
pub use mask::mask;
pub use resident::upgrade15;

use crate::calendar::Date;
use crate::model::Sex;

/// What a valid number says about its holder.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IdInfo {
    /// The type whose rules the number passed: the declared type, except that a
    /// home-return permit says by its `H`/`M` whether it is Hong Kong's or Macao's.
    pub detected: DocType,
    /// Only the numbering schemes that encode them give birth date and sex.
    pub birth: Option<Date>,
    pub sex: Option<Sex>,
    /// A valid legacy 15-digit resident ID's 18-digit form (the caller warns, V007).
    pub legacy15_upgrade: Option<String>,
}

/// Why a number is invalid for its declared document type.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IdProblem {
    /// V002: `found` characters; `expected` lists the lengths, e.g. `18/15` or `5-20`.
    Length {
        found: usize,
        expected: &'static str,
    },
    /// V002: the first character that cannot stand where it is (1-based position).
    Chars { position: usize, found: char },
    /// V003: the check character (`found` upper-cased).
    CheckChar { expected: char, found: char },
    /// V004: the birth-date digits as they stand in the number, not a real date (or
    /// before 1800).
    BirthDate { text: String },
    /// V004: a birth date after the day of the run.
    FutureBirth { birth: Date },
    /// V004: the province digits (2), or a residence permit's 6-digit address code.
    Region { prefix: String },
    /// V004: the nationality of a foreign permanent resident card, as written.
    Nationality { code: String },
    /// V006: the number is well-formed for a different document type.
    TypeMismatch {
        declared: DocType,
        detected: DocType,
    },
}

impl IdProblem {
    /// The rule this problem is reported under.
    pub fn rule_code(&self) -> &'static str {
        match self {
            IdProblem::Length { .. } | IdProblem::Chars { .. } => "V002",
            IdProblem::CheckChar { .. } => "V003",
            IdProblem::BirthDate { .. }
            | IdProblem::FutureBirth { .. }
            | IdProblem::Region { .. }
            | IdProblem::Nationality { .. } => "V004",
            IdProblem::TypeMismatch { .. } => "V006",
        }
    }
}

/// Check `number` (trimmed; a lower-case `x` or other lower-case letters are accepted)
/// as a document of type `declared`, on the day `today`.
///
/// The first problem found is reported, in this order:
/// 1. type mismatch, when the number is well-formed (length and characters) for another
///    document type with a distinctive layout (see [`detect`]); a resident ID whose
///    prefix is 81/82/83 or 9 is such a case;
/// 2. length, then characters, for the declared type;
/// 3. check character;
/// 4. birth date, then province or address code, then nationality.
///
/// Free-format documents (passports, certificates, the social security card, "other")
/// only get length and character checks, and never a type mismatch: their numbers can
/// look like anything.
pub fn check(declared: DocType, number: &str, today: Date) -> Result<IdInfo, IdProblem> {
    use DocType::*;
    let b = number.as_bytes();
    if let Some(shape) = Shape::of(b) {
        if !accepts(declared, shape) {
            return Err(IdProblem::TypeMismatch {
                declared,
                detected: shape.doc_type(),
            });
        }
    }
    match declared {
        ResidentId => {
            layout(
                number,
                "18/15",
                |n| n == 18 || n == 15,
                |n, i, c| {
                    if n == 18 {
                        layout18_char(i, c)
                    } else {
                        c.is_ascii_digit()
                    }
                },
            )?;
            // The layout passed, so the bytes are ASCII and 18 or 15 long.
            if b.len() == 18 {
                resident::resident18(b, today)
            } else {
                resident::legacy15(b, today)
            }
        }
        ResidencePermit => {
            layout(number, "18", |n| n == 18, |_, i, c| layout18_char(i, c))?;
            resident::permit18(b, today)
        }
        ForeignPermanentResident => {
            layout(
                number,
                "18/15",
                |n| n == 18 || n == 15,
                |n, i, c| {
                    if n == 18 {
                        layout18_char(i, c)
                    } else if i < 3 {
                        c.is_ascii_alphabetic()
                    } else {
                        c.is_ascii_digit()
                    }
                },
            )?;
            if b.len() == 18 {
                foreign::foreign18(b, today)
            } else {
                foreign::foreign15(b, today)
            }
        }
        HongKongPermit | MacaoPermit => {
            layout(
                number,
                "9/11",
                |n| n == 9 || n == 11,
                |_, i, c| {
                    if i == 0 {
                        matches!(c, 'H' | 'M' | 'h' | 'm')
                    } else {
                        c.is_ascii_digit()
                    }
                },
            )?;
            let detected = if b[0].eq_ignore_ascii_case(&b'H') {
                HongKongPermit
            } else {
                MacaoPermit
            };
            Ok(unstructured(detected))
        }
        TaiwanPermit => {
            layout(
                number,
                "8/10",
                |n| n == 8 || n == 10,
                |_, _, c| c.is_ascii_digit(),
            )?;
            Ok(unstructured(declared))
        }
        ForeignPassport | ChinesePassport => {
            layout(
                number,
                "5-20",
                |n| (5..=20).contains(&n),
                |_, _, c| c.is_ascii_alphanumeric(),
            )?;
            Ok(unstructured(declared))
        }
        PlaOfficer
        | ArmedPoliceOfficer
        | Disability
        | MartyrFamily
        | ForeignerEmployment
        | ForeignExpert
        | ForeignJournalist
        | HkMacaoTaiwanEmployment
        | SettledExpert
        | SocialSecurityCard
        | Other => {
            // Military and certificate numbers carry Chinese characters (南字第…号).
            layout(
                number,
                "4-32",
                |n| (4..=32).contains(&n),
                |_, _, c| c.is_alphanumeric() || matches!(c, '-' | '(' | ')' | '（' | '）'),
            )?;
            Ok(unstructured(declared))
        }
    }
}

/// The document a number is, when no document type is given: a number whose layout only
/// one document has (a residence permit 81/82/83…, a foreign permanent resident ID 9… or
/// `AAA`+12 digits, a home-return permit `H`/`M`…) is that document; anything else is
/// checked as a resident ID, the document nearly every employee has.
pub fn implied(number: &str) -> DocType {
    match Shape::of(number.as_bytes()) {
        Some(shape) => shape.doc_type(),
        None => DocType::ResidentId,
    }
}

/// The document type a number's shape suggests, for messages and for checking numbers
/// whose type is not given.
///
/// Distinctive layouts first: 18 characters in GB 11643 layout are a residence permit
/// (81/82/83), a foreign permanent resident card (leading 9) or a resident ID; 15 digits
/// a legacy resident ID; 3 letters + 12 digits the old foreign card; `H`/`M` + 8 or 10
/// digits a home-return permit. Then weaker guesses: 8 or 10 digits a Taiwan permit,
/// `E`/`G` + 8 digits or `E` + letter + 7 digits a Chinese passport, anything else made
/// mostly of digits a (mistyped) resident ID, other short alphanumerics a foreign passport.
pub fn detect(number: &str) -> DocType {
    let b = number.as_bytes();
    if let Some(shape) = Shape::of(b) {
        return shape.doc_type();
    }
    let all_digits = !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    if all_digits && (b.len() == 8 || b.len() == 10) {
        return DocType::TaiwanPermit;
    }
    if is_chinese_passport(b) {
        return DocType::ChinesePassport;
    }
    let n = number.chars().count();
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if all_digits || (n >= 11 && digits + 2 >= n) {
        return DocType::ResidentId;
    }
    if (5..=20).contains(&b.len()) && b.iter().all(u8::is_ascii_alphanumeric) {
        return DocType::ForeignPassport;
    }
    DocType::Other
}

/// Layouts distinctive enough to name a document type by themselves.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
enum Shape {
    Resident18,
    Resident15,
    Permit18,
    Foreign18,
    Foreign15,
    HongKong,
    Macao,
}

impl Shape {
    fn of(b: &[u8]) -> Option<Shape> {
        if resident::is_layout18(b) {
            return Some(match &b[..2] {
                b"81" | b"82" | b"83" => Shape::Permit18,
                [b'9', _] => Shape::Foreign18,
                _ => Shape::Resident18,
            });
        }
        if resident::is_layout15(b) {
            return Some(Shape::Resident15);
        }
        if foreign::is_layout15(b) {
            return Some(Shape::Foreign15);
        }
        if (b.len() == 9 || b.len() == 11) && b[1..].iter().all(u8::is_ascii_digit) {
            return match b[0] {
                b'H' | b'h' => Some(Shape::HongKong),
                b'M' | b'm' => Some(Shape::Macao),
                _ => None,
            };
        }
        None
    }

    fn doc_type(self) -> DocType {
        match self {
            Shape::Resident18 | Shape::Resident15 => DocType::ResidentId,
            Shape::Permit18 => DocType::ResidencePermit,
            Shape::Foreign18 | Shape::Foreign15 => DocType::ForeignPermanentResident,
            Shape::HongKong => DocType::HongKongPermit,
            Shape::Macao => DocType::MacaoPermit,
        }
    }
}

/// Whether a number of this shape may be checked as `declared`. Free-format types take
/// any shape. Hong Kong's and Macao's codes share one permit, and a label naming neither
/// SAR is read as 04, so both take both letters.
fn accepts(declared: DocType, shape: Shape) -> bool {
    use DocType::*;
    match declared {
        ResidentId => matches!(shape, Shape::Resident18 | Shape::Resident15),
        ResidencePermit => shape == Shape::Permit18,
        ForeignPermanentResident => matches!(shape, Shape::Foreign18 | Shape::Foreign15),
        HongKongPermit | MacaoPermit => matches!(shape, Shape::HongKong | Shape::Macao),
        TaiwanPermit => false,
        _ => true,
    }
}

/// A character allowed at 0-based index `i` of the 18-character GB 11643 layout.
fn layout18_char(i: usize, c: char) -> bool {
    c.is_ascii_digit() || (i == 17 && matches!(c, 'X' | 'x'))
}

/// Length (in characters), then the first character `char_ok(length, index, c)` rejects.
fn layout(
    number: &str,
    expected: &'static str,
    len_ok: impl Fn(usize) -> bool,
    char_ok: impl Fn(usize, usize, char) -> bool,
) -> Result<(), IdProblem> {
    let found = number.chars().count();
    if !len_ok(found) {
        return Err(IdProblem::Length { found, expected });
    }
    match number
        .chars()
        .enumerate()
        .find(|&(i, c)| !char_ok(found, i, c))
    {
        Some((i, c)) => Err(IdProblem::Chars {
            position: i + 1,
            found: c,
        }),
        None => Ok(()),
    }
}

fn unstructured(detected: DocType) -> IdInfo {
    IdInfo {
        detected,
        birth: None,
        sex: None,
        legacy15_upgrade: None,
    }
}

/// Ordinary passports: `E`/`G` + 8 digits, or `E` + letter + 7 digits.
fn is_chinese_passport(b: &[u8]) -> bool {
    if b.len() != 9 {
        return false;
    }
    let first = b[0].to_ascii_uppercase();
    let rest_digits = |from: usize| b[from..].iter().all(u8::is_ascii_digit);
    (matches!(first, b'E' | b'G') && rest_digits(1))
        || (first == b'E' && b[1].is_ascii_alphabetic() && rest_digits(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use DocType::*;

    fn today() -> Date {
        Date::new(2026, 11, 22).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    fn ok(declared: DocType, number: &str) -> IdInfo {
        match check(declared, number, today()) {
            Ok(info) => info,
            Err(e) => panic!("{number} as {declared:?}: {e:?}"),
        }
    }

    fn err(declared: DocType, number: &str) -> IdProblem {
        match check(declared, number, today()) {
            Ok(info) => panic!("{number} as {declared:?} passed: {info:?}"),
            Err(e) => e,
        }
    }

    /// A body of 17 digits completed with its check character.
    fn with_check(body: &str) -> String {
        format!("{body}{}", resident::check_char(body.as_bytes()))
    }

    #[test]
    fn resident_id_gives_birth_and_sex() {
        assert_eq!(
            ok(ResidentId, "360426199101010071"),
            IdInfo {
                detected: ResidentId,
                birth: Some(date(1991, 1, 1)),
                sex: Some(Sex::Male),
                legacy15_upgrade: None,
            }
        );
        let info = ok(ResidentId, "44011320141005001x");
        assert_eq!(info.birth, Some(date(2014, 10, 5)));
        assert_eq!(info.sex, Some(Sex::Male));
        assert_eq!(ok(ResidentId, "44011320141005001X"), info);
        assert_eq!(ok(ResidentId, "11010519491231002X").sex, Some(Sex::Female));
    }

    #[test]
    fn resident_id_accepts_legacy_county_codes() {
        // Abolished counties stay in use; only the province is judged.
        ok(ResidentId, "44040119580101000X");
        ok(ResidentId, "140120198001010015");
        ok(ResidentId, "110111198012010078");
        // Taiwan's GB/T 2260 province code.
        ok(ResidentId, "710000198001010010");
    }

    #[test]
    fn legacy_15_digit_is_valid_with_its_upgrade() {
        assert_eq!(
            ok(ResidentId, "610104620927690"),
            IdInfo {
                detected: ResidentId,
                birth: Some(date(1962, 9, 27)),
                sex: Some(Sex::Female),
                legacy15_upgrade: Some("610104196209276908".into()),
            }
        );
        assert_eq!(ok(ResidentId, "610104620927691").sex, Some(Sex::Male));
        assert_eq!(
            err(ResidentId, "610104620932690"),
            IdProblem::BirthDate {
                text: "620932".into()
            }
        );
        assert_eq!(
            err(ResidentId, "990104620927690"),
            IdProblem::Region {
                prefix: "99".into()
            }
        );
    }

    #[test]
    fn residence_permits() {
        for (number, birth) in [
            ("810000199408230021", date(1994, 8, 23)),
            ("820000199408230023", date(1994, 8, 23)),
            ("830000199201300022", date(1992, 1, 30)),
        ] {
            assert_eq!(
                ok(ResidencePermit, number),
                IdInfo {
                    detected: ResidencePermit,
                    birth: Some(birth),
                    sex: Some(Sex::Female),
                    legacy15_upgrade: None,
                }
            );
        }
    }

    #[test]
    fn foreign_permanent_resident_cards() {
        assert_eq!(
            ok(ForeignPermanentResident, "911398199012310021"),
            IdInfo {
                detected: ForeignPermanentResident,
                birth: Some(date(1990, 12, 31)),
                sex: Some(Sex::Female),
                legacy15_upgrade: None,
            }
        );
        let old = IdInfo {
            detected: ForeignPermanentResident,
            birth: Some(date(1990, 12, 31)),
            sex: Some(Sex::Female),
            legacy15_upgrade: None,
        };
        assert_eq!(ok(ForeignPermanentResident, "KAZ110090123105"), old);
        assert_eq!(ok(ForeignPermanentResident, "kaz110090123105"), old);
    }

    #[test]
    fn free_format_documents_give_no_birth_or_sex() {
        let cases = [
            (HongKongPermit, "H12345678", HongKongPermit),
            (HongKongPermit, "H1234567801", HongKongPermit),
            (HongKongPermit, "M12345678", MacaoPermit),
            (MacaoPermit, "M1234567801", MacaoPermit),
            (MacaoPermit, "h12345678", HongKongPermit),
            (TaiwanPermit, "12345678", TaiwanPermit),
            (TaiwanPermit, "1234567801", TaiwanPermit),
            (ForeignPassport, "L898902C3", ForeignPassport),
            (ForeignPassport, "e12345678", ForeignPassport),
            (ChinesePassport, "E12345678", ChinesePassport),
            (ChinesePassport, "EA1234567", ChinesePassport),
            (PlaOfficer, "南字第123456号", PlaOfficer),
            (ArmedPoliceOfficer, "武字第00012345号", ArmedPoliceOfficer),
            (Disability, "11010119900307123X41", Disability),
            (MartyrFamily, "京(2020)0012", MartyrFamily),
            (ForeignerEmployment, "110000201812345", ForeignerEmployment),
            (ForeignExpert, "Z20171100001", ForeignExpert),
            (ForeignJournalist, "J-2019-0001", ForeignJournalist),
            (
                HkMacaoTaiwanEmployment,
                "4403000012345",
                HkMacaoTaiwanEmployment,
            ),
            (SettledExpert, "（2018）001", SettledExpert),
            (SocialSecurityCard, "A12345678", SocialSecurityCard),
            (SocialSecurityCard, "360426199101010071", SocialSecurityCard),
            (Other, "XYZ-0001", Other),
        ];
        for (declared, number, detected) in cases {
            assert_eq!(
                ok(declared, number),
                IdInfo {
                    detected,
                    birth: None,
                    sex: None,
                    legacy15_upgrade: None,
                },
                "{number} as {declared:?}"
            );
        }
    }

    #[test]
    fn every_doc_type_has_a_passing_and_a_failing_number() {
        let passing = |t: DocType| match t {
            ResidentId => "360426199101010071",
            ResidencePermit => "810000199408230021",
            ForeignPermanentResident => "911398199012310021",
            HongKongPermit => "H12345678",
            MacaoPermit => "M12345678",
            TaiwanPermit => "12345678",
            ForeignPassport | ChinesePassport => "E12345678",
            _ => "NO-1234",
        };
        for t in DocType::ALL {
            ok(t, passing(t));
            // Nothing takes a number with a control character in it.
            let e = err(t, &format!("{}\u{7}", &passing(t)[..4]));
            assert!(
                matches!(e, IdProblem::Length { .. } | IdProblem::Chars { .. }),
                "{t:?}: {e:?}"
            );
        }
    }

    #[test]
    fn length_problems_name_the_expected_lengths() {
        let cases = [
            (ResidentId, "44030819990110", 14, "18/15"),
            (ResidentId, "", 0, "18/15"),
            (ResidentId, "4403081999011015123", 19, "18/15"),
            (ResidencePermit, "81000019940823002", 17, "18"),
            (ForeignPermanentResident, "KAZ11009012310", 14, "18/15"),
            (HongKongPermit, "H1234567", 8, "9/11"),
            (MacaoPermit, "M123456789", 10, "9/11"),
            (TaiwanPermit, "1234567", 7, "8/10"),
            (TaiwanPermit, "123456789", 9, "8/10"),
            (ForeignPassport, "E123", 4, "5-20"),
            (ChinesePassport, "E12345678901234567890", 21, "5-20"),
            (Other, "无", 1, "4-32"),
            (SocialSecurityCard, "123", 3, "4-32"),
            // Characters, not bytes: six 3-byte characters.
            (ResidentId, "壹贰叁肆伍陆", 6, "18/15"),
        ];
        for (declared, number, found, expected) in cases {
            assert_eq!(
                err(declared, number),
                IdProblem::Length { found, expected },
                "{number} as {declared:?}"
            );
        }
    }

    #[test]
    fn character_problems_name_the_first_bad_character() {
        let cases = [
            (ResidentId, "T60426199101010078", 1, 'T'),
            (ResidentId, "36042619910101007A", 18, 'A'),
            (ResidentId, "3604261991010100X1", 17, 'X'),
            (ResidentId, "3604261991０1010071", 11, '０'),
            (ResidentId, "61010462092769X", 15, 'X'),
            (ResidencePermit, "81000019940823002Y", 18, 'Y'),
            (ForeignPermanentResident, "K1Z110090123105", 2, '1'),
            (ForeignPermanentResident, "KAZ11009012310X", 15, 'X'),
            (HongKongPermit, "K12345678", 1, 'K'),
            (MacaoPermit, "M1234567A", 9, 'A'),
            (TaiwanPermit, "1234567X", 8, 'X'),
            (ForeignPassport, "AB-12345", 3, '-'),
            (ChinesePassport, "E1234567８", 9, '８'),
            (PlaOfficer, "南字第 123456 号", 4, ' '),
        ];
        for (declared, number, position, found) in cases {
            assert_eq!(
                err(declared, number),
                IdProblem::Chars { position, found },
                "{number} as {declared:?}"
            );
        }
    }

    #[test]
    fn check_character_problems_give_the_expected_character() {
        let cases = [
            (ResidentId, "36042619910102009X", '3', 'X'),
            (ResidentId, "440308199901101513", '2', '3'),
            (ResidentId, "440113201410050010", 'X', '0'),
            (ResidentId, "36042619910101007x", '1', 'X'),
            (ResidencePermit, "810000199408230022", '1', '2'),
            (ResidencePermit, "830000199201300021", '2', '1'),
            (ForeignPermanentResident, "911398199012310022", '1', '2'),
            (ForeignPermanentResident, "KAZ110090123107", '5', '7'),
        ];
        for (declared, number, expected, found) in cases {
            assert_eq!(
                err(declared, number),
                IdProblem::CheckChar { expected, found },
                "{number} as {declared:?}"
            );
        }
    }

    #[test]
    fn impossible_and_future_birth_dates() {
        let cases = [
            (ResidentId, "36042619911301007", "19911301"),
            (ResidentId, "44030819990230151", "19990230"),
            (ResidentId, "11010117991231001", "17991231"),
            (ResidentId, "11010100000101001", "00000101"),
            (ResidencePermit, "81000019940231002", "19940231"),
            (ForeignPermanentResident, "91139819900231002", "19900231"),
        ];
        for (declared, body, text) in cases {
            assert_eq!(
                err(declared, &with_check(body)),
                IdProblem::BirthDate { text: text.into() },
                "{body} as {declared:?}"
            );
        }
        let body = "KAZ11009002310";
        let old_card = format!("{body}{}", foreign::icao_check(body.as_bytes()));
        assert_eq!(
            err(ForeignPermanentResident, &old_card),
            IdProblem::BirthDate {
                text: "900231".into()
            }
        );
        ok(ResidentId, &with_check("11010118000101001"));
        ok(ResidentId, &with_check("11010120261122001"));
        let future = [
            (ResidentId, "11010120261123001", date(2026, 11, 23)),
            (ResidencePermit, "81000020270101002", date(2027, 1, 1)),
            (
                ForeignPermanentResident,
                "91139820300101002",
                date(2030, 1, 1),
            ),
        ];
        for (declared, body, birth) in future {
            assert_eq!(
                err(declared, &with_check(body)),
                IdProblem::FutureBirth { birth },
                "{body}"
            );
        }
    }

    #[test]
    fn unknown_provinces_and_address_codes() {
        let cases = [
            (ResidentId, "10042619911201007", "10"),
            (ResidentId, "72042619911201007", "72"),
            (ResidentId, "00010119900101001", "00"),
            (ResidentId, "84010119900101001", "84"),
            (ResidencePermit, "81000119940823002", "810001"),
            (ResidencePermit, "83110019940823002", "831100"),
            (ForeignPermanentResident, "99939819901231002", "99"),
            (ForeignPermanentResident, "97139819901231002", "71"),
        ];
        for (declared, body, prefix) in cases {
            assert_eq!(
                err(declared, &with_check(body)),
                IdProblem::Region {
                    prefix: prefix.into()
                },
                "{body}"
            );
        }
        assert_eq!(
            err(ForeignPermanentResident, "KAZ990090123105"),
            IdProblem::Region {
                prefix: "99".into()
            }
        );
    }

    #[test]
    fn unknown_nationalities() {
        assert_eq!(
            err(ForeignPermanentResident, &with_check("91199919901231002")),
            IdProblem::Nationality { code: "999".into() }
        );
        assert_eq!(
            err(ForeignPermanentResident, &with_check("91100019901231002")),
            IdProblem::Nationality { code: "000".into() }
        );
        // KAA with a check digit that fits, so the nationality is what fails.
        let body = "KAA11009012310";
        let number = format!("{body}{}", foreign::icao_check(body.as_bytes()));
        assert_eq!(
            err(ForeignPermanentResident, &number),
            IdProblem::Nationality { code: "KAA".into() }
        );
        let lower = number.to_ascii_lowercase();
        assert_eq!(
            err(ForeignPermanentResident, &lower),
            IdProblem::Nationality { code: "KAA".into() }
        );
    }

    #[test]
    fn type_mismatches_both_ways() {
        let cases = [
            (ResidentId, "810000199408230021", ResidencePermit),
            (ResidentId, "820000199408230023", ResidencePermit),
            (ResidentId, "830000199201300022", ResidencePermit),
            (ResidentId, "911398199012310021", ForeignPermanentResident),
            (ResidentId, "KAZ110090123105", ForeignPermanentResident),
            (ResidentId, "H12345678", HongKongPermit),
            // Well-formed is about shape: a bad check character still mismatches.
            (ResidentId, "810000199408230022", ResidencePermit),
            (ResidencePermit, "360426199101010071", ResidentId),
            (ResidencePermit, "610104620927690", ResidentId),
            (
                ResidencePermit,
                "911398199012310021",
                ForeignPermanentResident,
            ),
            (ResidencePermit, "M12345678", MacaoPermit),
            (ForeignPermanentResident, "360426199101010071", ResidentId),
            (
                ForeignPermanentResident,
                "810000199408230021",
                ResidencePermit,
            ),
            (HongKongPermit, "810000199408230021", ResidencePermit),
            (MacaoPermit, "360426199101010071", ResidentId),
            (TaiwanPermit, "830000199201300022", ResidencePermit),
            (TaiwanPermit, "610104620927690", ResidentId),
        ];
        for (declared, number, detected) in cases {
            assert_eq!(
                err(declared, number),
                IdProblem::TypeMismatch { declared, detected },
                "{number}"
            );
        }
    }

    #[test]
    fn malformed_numbers_are_judged_by_the_declared_type() {
        // Not well-formed for any distinctive type: no mismatch, a shape problem.
        assert_eq!(
            err(ResidentId, "8100001994082300X1"),
            IdProblem::Chars {
                position: 17,
                found: 'X'
            }
        );
        assert_eq!(
            err(ResidencePermit, "12345678"),
            IdProblem::Length {
                found: 8,
                expected: "18"
            }
        );
        // Free-format types never mismatch.
        ok(ForeignPassport, "360426199101010071");
        ok(Other, "810000199408230021");
    }

    #[test]
    fn problems_map_to_their_rules() {
        let cases = [
            (
                IdProblem::Length {
                    found: 1,
                    expected: "18",
                },
                "V002",
            ),
            (
                IdProblem::Chars {
                    position: 1,
                    found: 'a',
                },
                "V002",
            ),
            (
                IdProblem::CheckChar {
                    expected: '1',
                    found: '2',
                },
                "V003",
            ),
            (IdProblem::BirthDate { text: "x".into() }, "V004"),
            (IdProblem::FutureBirth { birth: today() }, "V004"),
            (
                IdProblem::Region {
                    prefix: "99".into(),
                },
                "V004",
            ),
            (IdProblem::Nationality { code: "999".into() }, "V004"),
            (
                IdProblem::TypeMismatch {
                    declared: ResidentId,
                    detected: ResidencePermit,
                },
                "V006",
            ),
        ];
        for (problem, rule) in cases {
            assert_eq!(problem.rule_code(), rule, "{problem:?}");
        }
    }

    #[test]
    fn detect_by_shape() {
        let cases = [
            ("360426199101010071", ResidentId),
            ("44011320141005001x", ResidentId),
            ("610104620927690", ResidentId),
            ("810000199408230021", ResidencePermit),
            ("830000199201300022", ResidencePermit),
            ("911398199012310021", ForeignPermanentResident),
            ("KAZ110090123105", ForeignPermanentResident),
            ("H12345678", HongKongPermit),
            ("m1234567801", MacaoPermit),
            ("12345678", TaiwanPermit),
            ("1234567801", TaiwanPermit),
            ("E12345678", ChinesePassport),
            ("EA1234567", ChinesePassport),
            ("G12345678", ChinesePassport),
            ("L898902C3", ForeignPassport),
            ("X1234567", ForeignPassport),
            // Mangled resident IDs stay resident IDs, so the message is about the ID.
            ("44030819990110", ResidentId),
            ("T60426199101010078", ResidentId),
            ("3604261991010100-71", ResidentId),
            ("12345", ResidentId),
            ("", Other),
            ("南字第123456号", Other),
            ("ABC", Other),
        ];
        for (number, t) in cases {
            assert_eq!(detect(number), t, "{number}");
        }
    }

    /// Province codes a resident ID can carry (81/82 are residence permits).
    const RESIDENT_PROVINCES: [u32; 32] = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71,
    ];

    fn valid_resident_id() -> impl Strategy<Value = (String, Date)> {
        resident_id_born(date(1800, 1, 1), today())
    }

    fn resident_id_born(first: Date, last: Date) -> impl Strategy<Value = (String, Date)> {
        (
            prop::sample::select(RESIDENT_PROVINCES.to_vec()),
            0u32..10_000,
            first.day_number()..=last.day_number(),
            0u32..1000,
        )
            .prop_map(|(province, county, day, seq)| {
                let birth = Date::from_day_number(day).unwrap();
                let body = format!(
                    "{province:02}{county:04}{:04}{:02}{:02}{seq:03}",
                    birth.year(),
                    birth.month(),
                    birth.day()
                );
                (with_check(&body), birth)
            })
    }

    fn any_number() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "\\PC{0,24}",
            "[0-9Xx０-９]{0,20}",
            "[0-9]{17}[0-9Xx]",
            "(81|82|83|9)[0-9]{15,16}[0-9Xx]?",
            "[A-Za-z]{3}[0-9]{12}",
            "[HhMmK][0-9]{7,11}",
            "[0-9 ]{1,6}[一-龥é]{0,3}[0-9xX]{0,14}",
        ]
    }

    proptest! {
        #[test]
        fn a_generated_resident_id_passes((id, birth) in valid_resident_id()) {
            let info = check(ResidentId, &id, today()).unwrap();
            prop_assert_eq!(info.birth, Some(birth));
            let seventeenth = id.as_bytes()[16] - b'0';
            let sex = if seventeenth % 2 == 1 { Sex::Male } else { Sex::Female };
            prop_assert_eq!(info.sex, Some(sex));
            prop_assert_eq!(detect(&id), ResidentId);
            let lower = id.to_ascii_lowercase();
            prop_assert_eq!(check(ResidentId, &lower, today()), Ok(info));
        }

        #[test]
        fn any_single_substitution_fails(
            (id, _) in valid_resident_id(),
            pos in 0usize..18,
            shift in any::<u8>(),
        ) {
            // Move the character 1 to len − 1 steps round its alphabet: never to itself.
            let alphabet: &[u8] = if pos == 17 { b"0123456789X" } else { b"0123456789" };
            let step = 1 + usize::from(shift) % (alphabet.len() - 1);
            let mut b = id.into_bytes();
            let from = alphabet.iter().position(|c| *c == b[pos]).unwrap();
            b[pos] = alphabet[(from + step) % alphabet.len()];
            let changed = String::from_utf8(b).unwrap();
            // The checksum alone catches it, whatever check reports first.
            let bytes = changed.as_bytes();
            prop_assert_ne!(resident::check_char(&bytes[..17]), char::from(bytes[17]));
            prop_assert!(check(ResidentId, &changed, today()).is_err());
        }

        #[test]
        fn any_adjacent_transposition_fails((id, _) in valid_resident_id(), start in 0usize..17) {
            let mut b = id.into_bytes();
            // The first pair of different digits from `start` on, wrapping round.
            let pair = (start..17)
                .chain(0..start)
                .find(|&i| b[i] != b[i + 1] && b[i + 1] != b'X');
            let Some(pos) = pair else { return Ok(()) };
            b.swap(pos, pos + 1);
            let changed = String::from_utf8(b).unwrap();
            let bytes = changed.as_bytes();
            prop_assert_ne!(resident::check_char(&bytes[..17]), char::from(bytes[17]));
            prop_assert!(check(ResidentId, &changed, today()).is_err());
        }

        #[test]
        fn check_never_panics_and_reports_what_it_saw(number in any_number()) {
            for declared in DocType::ALL {
                match check(declared, &number, today()) {
                    Err(IdProblem::Length { found, .. }) => {
                        prop_assert_eq!(found, number.chars().count());
                    }
                    Err(IdProblem::Chars { position, found }) => {
                        prop_assert_eq!(number.chars().nth(position - 1), Some(found));
                    }
                    Err(IdProblem::TypeMismatch { declared: d, detected }) => {
                        prop_assert_eq!(d, declared);
                        prop_assert_eq!(detected, detect(&number));
                    }
                    _ => {}
                }
            }
            let _ = upgrade15(&number);
            let _ = mask(&number);
        }

        #[test]
        fn a_number_never_mismatches_its_detected_type(number in any_number()) {
            let result = check(detect(&number), &number, today());
            let mismatch = matches!(result, Err(IdProblem::TypeMismatch { .. }));
            prop_assert!(!mismatch, "{:?}", result);
        }

        #[test]
        fn upgraded_legacy_ids_are_valid_18_digit_ids(
            (id, birth) in resident_id_born(date(1900, 1, 1), date(1999, 12, 31)),
        ) {
            let legacy = format!("{}{}", &id[..6], &id[8..17]);
            let info = check(ResidentId, &legacy, today()).unwrap();
            prop_assert_eq!(info.birth, Some(birth));
            prop_assert_eq!(info.legacy15_upgrade.as_deref(), Some(id.as_str()));
            prop_assert_eq!(upgrade15(&legacy), Some(id));
        }
    }
}
