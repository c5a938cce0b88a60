//! Foreign Permanent Resident ID card (外国人永久居留身份证) numbers.
//!
//! Two forms are in circulation: the 2023 card, `9 PP NNN YYYYMMDD SSS C`, which borrows
//! GB 11643's layout and MOD 11-2 check (PP = issuing province, NNN = ISO 3166-1 numeric
//! nationality); and the older 15-character card, `AAA RRRR YYMMDD G C`, with an ISO
//! 3166-1 alpha-3 nationality, a 4-digit issuing region and an ICAO 9303 7-3-1 check digit.
//! Functions take bytes whose layout the caller has already checked.

use super::resident::{birth8, digits, is_province, sex_of, verify_check18};
use super::{DocType, IdInfo, IdProblem};
use crate::calendar::Date;

/// Three ASCII letters (either case) and 12 ASCII digits.
pub(super) fn is_layout15(b: &[u8]) -> bool {
    b.len() == 15
        && b[..3].iter().all(u8::is_ascii_alphabetic)
        && b[3..].iter().all(u8::is_ascii_digit)
}

/// The 2023 card: check character, birth date, issuing province, nationality.
pub(super) fn foreign18(b: &[u8], today: Date) -> Result<IdInfo, IdProblem> {
    verify_check18(b)?;
    let birth = birth8(&b[6..14], today)?;
    issuing_province(&b[1..3])?;
    let code = &b[3..6];
    let known = u16::try_from(digits(code)).is_ok_and(|n| NUMERIC.binary_search(&n).is_ok());
    if !known {
        return Err(IdProblem::Nationality {
            code: String::from_utf8_lossy(code).into_owned(),
        });
    }
    Ok(IdInfo {
        detected: DocType::ForeignPermanentResident,
        birth: Some(birth),
        sex: Some(sex_of(b[16])),
        legacy15_upgrade: None,
    })
}

/// The older 15-character card: check digit, birth date, issuing province, nationality.
pub(super) fn foreign15(b: &[u8], today: Date) -> Result<IdInfo, IdProblem> {
    let expected = icao_check(&b[..14]);
    let found = char::from(b[14]);
    if expected != found {
        return Err(IdProblem::CheckChar { expected, found });
    }
    let birth = birth6(&b[7..13], today)?;
    issuing_province(&b[3..5])?;
    let code = [
        b[0].to_ascii_uppercase(),
        b[1].to_ascii_uppercase(),
        b[2].to_ascii_uppercase(),
    ];
    if ALPHA3.binary_search(&code).is_err() {
        return Err(IdProblem::Nationality {
            code: String::from_utf8_lossy(&code).into_owned(),
        });
    }
    Ok(IdInfo {
        detected: DocType::ForeignPermanentResident,
        birth: Some(birth),
        sex: Some(sex_of(b[13])),
        legacy15_upgrade: None,
    })
}

/// Cards are issued by mainland authorities, so Taiwan and the SARs cannot appear.
fn issuing_province(b: &[u8]) -> Result<(), IdProblem> {
    if is_province(b) && digits(b) < 71 {
        Ok(())
    } else {
        Err(IdProblem::Region {
            prefix: String::from_utf8_lossy(b).into_owned(),
        })
    }
}

/// `YYMMDD` without a century. Holders of the old card were born in either century, so
/// take 20YY when that is a real date not after `today`, else 19YY. A centenarian born in
/// 19YY with YY ≤ today's YY is misread as a child; no working-age holder is.
fn birth6(b: &[u8], today: Date) -> Result<Date, IdProblem> {
    let (yy, mm, dd) = (digits(&b[..2]) as i32, digits(&b[2..4]), digits(&b[4..6]));
    let birth = Date::new(2000 + yy, mm, dd)
        .filter(|d| *d <= today)
        .or_else(|| Date::new(1900 + yy, mm, dd))
        .ok_or_else(|| IdProblem::BirthDate {
            text: String::from_utf8_lossy(b).into_owned(),
        })?;
    if birth > today {
        return Err(IdProblem::FutureBirth { birth });
    }
    Ok(birth)
}

/// ICAO 9303 check digit: weights 7, 3, 1 repeating; digits count as themselves and
/// letters A–Z as 10–35.
pub(super) fn icao_check(b: &[u8]) -> char {
    let sum: u32 = b
        .iter()
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(c, w)| {
            let v = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                b'A'..=b'Z' => u32::from(c - b'A') + 10,
                b'a'..=b'z' => u32::from(c - b'a') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    char::from(b'0' + (sum % 10) as u8)
}

/// ISO 3166-1 alpha-3 codes, sorted (249 entries, from the iso-codes 4.15 data).
const ALPHA3: [[u8; 3]; 249] = [
    *b"ABW", *b"AFG", *b"AGO", *b"AIA", *b"ALA", *b"ALB", *b"AND", *b"ARE", *b"ARG", *b"ARM",
    *b"ASM", *b"ATA", *b"ATF", *b"ATG", *b"AUS", *b"AUT", *b"AZE", *b"BDI", *b"BEL", *b"BEN",
    *b"BES", *b"BFA", *b"BGD", *b"BGR", *b"BHR", *b"BHS", *b"BIH", *b"BLM", *b"BLR", *b"BLZ",
    *b"BMU", *b"BOL", *b"BRA", *b"BRB", *b"BRN", *b"BTN", *b"BVT", *b"BWA", *b"CAF", *b"CAN",
    *b"CCK", *b"CHE", *b"CHL", *b"CHN", *b"CIV", *b"CMR", *b"COD", *b"COG", *b"COK", *b"COL",
    *b"COM", *b"CPV", *b"CRI", *b"CUB", *b"CUW", *b"CXR", *b"CYM", *b"CYP", *b"CZE", *b"DEU",
    *b"DJI", *b"DMA", *b"DNK", *b"DOM", *b"DZA", *b"ECU", *b"EGY", *b"ERI", *b"ESH", *b"ESP",
    *b"EST", *b"ETH", *b"FIN", *b"FJI", *b"FLK", *b"FRA", *b"FRO", *b"FSM", *b"GAB", *b"GBR",
    *b"GEO", *b"GGY", *b"GHA", *b"GIB", *b"GIN", *b"GLP", *b"GMB", *b"GNB", *b"GNQ", *b"GRC",
    *b"GRD", *b"GRL", *b"GTM", *b"GUF", *b"GUM", *b"GUY", *b"HKG", *b"HMD", *b"HND", *b"HRV",
    *b"HTI", *b"HUN", *b"IDN", *b"IMN", *b"IND", *b"IOT", *b"IRL", *b"IRN", *b"IRQ", *b"ISL",
    *b"ISR", *b"ITA", *b"JAM", *b"JEY", *b"JOR", *b"JPN", *b"KAZ", *b"KEN", *b"KGZ", *b"KHM",
    *b"KIR", *b"KNA", *b"KOR", *b"KWT", *b"LAO", *b"LBN", *b"LBR", *b"LBY", *b"LCA", *b"LIE",
    *b"LKA", *b"LSO", *b"LTU", *b"LUX", *b"LVA", *b"MAC", *b"MAF", *b"MAR", *b"MCO", *b"MDA",
    *b"MDG", *b"MDV", *b"MEX", *b"MHL", *b"MKD", *b"MLI", *b"MLT", *b"MMR", *b"MNE", *b"MNG",
    *b"MNP", *b"MOZ", *b"MRT", *b"MSR", *b"MTQ", *b"MUS", *b"MWI", *b"MYS", *b"MYT", *b"NAM",
    *b"NCL", *b"NER", *b"NFK", *b"NGA", *b"NIC", *b"NIU", *b"NLD", *b"NOR", *b"NPL", *b"NRU",
    *b"NZL", *b"OMN", *b"PAK", *b"PAN", *b"PCN", *b"PER", *b"PHL", *b"PLW", *b"PNG", *b"POL",
    *b"PRI", *b"PRK", *b"PRT", *b"PRY", *b"PSE", *b"PYF", *b"QAT", *b"REU", *b"ROU", *b"RUS",
    *b"RWA", *b"SAU", *b"SDN", *b"SEN", *b"SGP", *b"SGS", *b"SHN", *b"SJM", *b"SLB", *b"SLE",
    *b"SLV", *b"SMR", *b"SOM", *b"SPM", *b"SRB", *b"SSD", *b"STP", *b"SUR", *b"SVK", *b"SVN",
    *b"SWE", *b"SWZ", *b"SXM", *b"SYC", *b"SYR", *b"TCA", *b"TCD", *b"TGO", *b"THA", *b"TJK",
    *b"TKL", *b"TKM", *b"TLS", *b"TON", *b"TTO", *b"TUN", *b"TUR", *b"TUV", *b"TWN", *b"TZA",
    *b"UGA", *b"UKR", *b"UMI", *b"URY", *b"USA", *b"UZB", *b"VAT", *b"VCT", *b"VEN", *b"VGB",
    *b"VIR", *b"VNM", *b"VUT", *b"WLF", *b"WSM", *b"YEM", *b"ZAF", *b"ZMB", *b"ZWE",
];

/// ISO 3166-1 numeric codes, sorted (same source).
const NUMERIC: [u16; 249] = [
    4, 8, 10, 12, 16, 20, 24, 28, 31, 32, 36, 40, 44, 48, 50, 51, 52, 56, 60, 64, 68, 70, 72, 74,
    76, 84, 86, 90, 92, 96, 100, 104, 108, 112, 116, 120, 124, 132, 136, 140, 144, 148, 152, 156,
    158, 162, 166, 170, 174, 175, 178, 180, 184, 188, 191, 192, 196, 203, 204, 208, 212, 214, 218,
    222, 226, 231, 232, 233, 234, 238, 239, 242, 246, 248, 250, 254, 258, 260, 262, 266, 268, 270,
    275, 276, 288, 292, 296, 300, 304, 308, 312, 316, 320, 324, 328, 332, 334, 336, 340, 344, 348,
    352, 356, 360, 364, 368, 372, 376, 380, 384, 388, 392, 398, 400, 404, 408, 410, 414, 417, 418,
    422, 426, 428, 430, 434, 438, 440, 442, 446, 450, 454, 458, 462, 466, 470, 474, 478, 480, 484,
    492, 496, 498, 499, 500, 504, 508, 512, 516, 520, 524, 528, 531, 533, 534, 535, 540, 548, 554,
    558, 562, 566, 570, 574, 578, 580, 581, 583, 584, 585, 586, 591, 598, 600, 604, 608, 612, 616,
    620, 624, 626, 630, 634, 638, 642, 643, 646, 652, 654, 659, 660, 662, 663, 666, 670, 674, 678,
    682, 686, 688, 690, 694, 702, 703, 704, 705, 706, 710, 716, 724, 728, 729, 732, 740, 744, 748,
    752, 756, 760, 762, 764, 768, 772, 776, 780, 784, 788, 792, 795, 796, 798, 800, 804, 807, 818,
    826, 831, 832, 833, 834, 840, 850, 854, 858, 860, 862, 876, 882, 887, 894,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 22).unwrap()
    }

    #[test]
    fn tables_are_sorted_and_unique_for_binary_search() {
        assert!(ALPHA3.windows(2).all(|w| w[0] < w[1]));
        assert!(NUMERIC.windows(2).all(|w| w[0] < w[1]));
        assert!(ALPHA3.iter().flatten().all(u8::is_ascii_uppercase));
        assert!(NUMERIC.iter().all(|n| (1..=999).contains(n)));
    }

    #[test]
    fn tables_hold_known_countries_only() {
        for code in [
            b"KAZ", b"USA", b"DEU", b"JPN", b"KOR", b"GBR", b"FRA", b"ZWE",
        ] {
            assert!(ALPHA3.binary_search(code).is_ok(), "{code:?}");
        }
        for code in [b"KAA", b"XXX", b"UTO", b"D<<"] {
            assert!(ALPHA3.binary_search(code).is_err(), "{code:?}");
        }
        for n in [4, 398, 392, 410, 840, 826, 716] {
            assert!(NUMERIC.binary_search(&n).is_ok(), "{n}");
        }
        for n in [0, 1, 999, 900] {
            assert!(NUMERIC.binary_search(&n).is_err(), "{n}");
        }
    }

    #[test]
    fn icao_check_of_the_published_example() {
        assert_eq!(icao_check(b"KAZ11009012310"), '5');
        assert_eq!(icao_check(b"kaz11009012310"), '5');
        // ICAO 9303 part 3's own example: document number L898902C3, check digit 6.
        assert_eq!(icao_check(b"L898902C3"), '6');
    }

    #[test]
    fn old_card_century_is_the_latest_that_is_not_in_the_future() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(birth6(b"901231", today()), Ok(d(1990, 12, 31)));
        assert_eq!(birth6(b"100101", today()), Ok(d(2010, 1, 1)));
        assert_eq!(birth6(b"261122", today()), Ok(d(2026, 11, 22)));
        assert_eq!(birth6(b"261123", today()), Ok(d(1926, 11, 23)));
        // 1900 was not a leap year, 2000 was.
        assert_eq!(birth6(b"000229", today()), Ok(d(2000, 2, 29)));
        assert_eq!(
            birth6(b"000229", d(1999, 1, 1)),
            Err(IdProblem::BirthDate {
                text: "000229".into()
            })
        );
        assert_eq!(
            birth6(b"500101", d(1940, 1, 1)),
            Err(IdProblem::FutureBirth {
                birth: d(1950, 1, 1)
            })
        );
    }

    #[test]
    fn issuing_province_is_mainland_only() {
        assert!(issuing_province(b"11").is_ok());
        assert!(issuing_province(b"65").is_ok());
        for p in [b"71", b"81", b"82", b"99", b"00"] {
            assert!(issuing_province(p).is_err());
        }
    }
}
