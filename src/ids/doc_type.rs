//! Person document types (证件类型), keyed by the national 医保 `psn_cert_type` codes.
//!
//! The codes are what the submission writes; the labels and synonyms are what HR exports
//! actually contain, so `parse` is generous and everything else is exact.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A document type. The discriminant order follows the national code list.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum DocType {
    /// 01 居民身份证（户口簿）
    ResidentId,
    /// 02 中国人民解放军军官证
    PlaOfficer,
    /// 03 中国人民武装警察警官证
    ArmedPoliceOfficer,
    /// 04 香港特区护照/港澳居民来往内地通行证
    HongKongPermit,
    /// 05 澳门特区护照/港澳居民来往内地通行证
    MacaoPermit,
    /// 06 台湾居民来往大陆通行证
    TaiwanPermit,
    /// 07 外国人永久居留证
    ForeignPermanentResident,
    /// 08 外国人护照
    ForeignPassport,
    /// 09 残疾人证
    Disability,
    /// 10 军烈属证明
    MartyrFamily,
    /// 11 外国人就业证
    ForeignerEmployment,
    /// 12 外国专家证
    ForeignExpert,
    /// 13 外国人常驻记者证
    ForeignJournalist,
    /// 14 台港澳人员就业证
    HkMacaoTaiwanEmployment,
    /// 15 回国（来华）定居专家证
    SettledExpert,
    /// 16 中国护照
    ChinesePassport,
    /// 17 港澳台居民居住证
    ResidencePermit,
    /// 90 社会保障卡
    SocialSecurityCard,
    /// 99 其他身份证件
    Other,
}

use DocType::*;

impl DocType {
    pub const ALL: [DocType; 19] = [
        ResidentId,
        PlaOfficer,
        ArmedPoliceOfficer,
        HongKongPermit,
        MacaoPermit,
        TaiwanPermit,
        ForeignPermanentResident,
        ForeignPassport,
        Disability,
        MartyrFamily,
        ForeignerEmployment,
        ForeignExpert,
        ForeignJournalist,
        HkMacaoTaiwanEmployment,
        SettledExpert,
        ChinesePassport,
        ResidencePermit,
        SocialSecurityCard,
        Other,
    ];

    /// The two-digit national code.
    pub fn code(self) -> &'static str {
        match self {
            ResidentId => "01",
            PlaOfficer => "02",
            ArmedPoliceOfficer => "03",
            HongKongPermit => "04",
            MacaoPermit => "05",
            TaiwanPermit => "06",
            ForeignPermanentResident => "07",
            ForeignPassport => "08",
            Disability => "09",
            MartyrFamily => "10",
            ForeignerEmployment => "11",
            ForeignExpert => "12",
            ForeignJournalist => "13",
            HkMacaoTaiwanEmployment => "14",
            SettledExpert => "15",
            ChinesePassport => "16",
            ResidencePermit => "17",
            SocialSecurityCard => "90",
            Other => "99",
        }
    }

    /// The label of the national code list.
    pub fn label_zh(self) -> &'static str {
        match self {
            ResidentId => "居民身份证（户口簿）",
            PlaOfficer => "中国人民解放军军官证",
            ArmedPoliceOfficer => "中国人民武装警察警官证",
            HongKongPermit => "香港特区护照/港澳居民来往内地通行证",
            MacaoPermit => "澳门特区护照/港澳居民来往内地通行证",
            TaiwanPermit => "台湾居民来往大陆通行证",
            ForeignPermanentResident => "外国人永久居留证",
            ForeignPassport => "外国人护照",
            Disability => "残疾人证",
            MartyrFamily => "军烈属证明",
            ForeignerEmployment => "外国人就业证",
            ForeignExpert => "外国专家证",
            ForeignJournalist => "外国人常驻记者证",
            HkMacaoTaiwanEmployment => "台港澳人员就业证",
            SettledExpert => "回国（来华）定居专家证",
            ChinesePassport => "中国护照",
            ResidencePermit => "港澳台居民居住证",
            SocialSecurityCard => "社会保障卡",
            Other => "其他身份证件",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ResidentId => "resident ID card",
            PlaOfficer => "PLA officer card",
            ArmedPoliceOfficer => "Armed Police officer card",
            HongKongPermit => "Hong Kong passport or home-return permit",
            MacaoPermit => "Macao passport or home-return permit",
            TaiwanPermit => "Taiwan residents' travel permit",
            ForeignPermanentResident => "foreign permanent resident ID card",
            ForeignPassport => "foreign passport",
            Disability => "disability certificate",
            MartyrFamily => "military martyr family certificate",
            ForeignerEmployment => "foreigner employment permit",
            ForeignExpert => "foreign expert certificate",
            ForeignJournalist => "resident foreign journalist card",
            HkMacaoTaiwanEmployment => "HK/Macao/Taiwan employment permit",
            SettledExpert => "returning or settling expert certificate",
            ChinesePassport => "Chinese passport",
            ResidencePermit => "HK/Macao/Taiwan residence permit",
            SocialSecurityCard => "social security card",
            Other => "other document",
        }
    }

    /// The type for a national code given as a number (`1` and `01` alike).
    pub fn from_code(code: u32) -> Option<DocType> {
        Some(match code {
            1 => ResidentId,
            2 => PlaOfficer,
            3 => ArmedPoliceOfficer,
            4 => HongKongPermit,
            5 => MacaoPermit,
            6 => TaiwanPermit,
            7 => ForeignPermanentResident,
            8 => ForeignPassport,
            9 => Disability,
            10 => MartyrFamily,
            11 => ForeignerEmployment,
            12 => ForeignExpert,
            13 => ForeignJournalist,
            14 => HkMacaoTaiwanEmployment,
            15 => SettledExpert,
            16 => ChinesePassport,
            17 => ResidencePermit,
            90 => SocialSecurityCard,
            99 => Other,
            _ => return None,
        })
    }

    /// A code (`01`, `1`), a Chinese label or synonym, or an English name. Spaces, case,
    /// full-width forms, `_` and `-` are ignored. The caller splits `code|label` cells and
    /// decides which half to trust: Guangdong's local codes (`6|身份证`, `1|护照`) are not
    /// the national ones, so a code alone is read as a national code.
    pub fn parse(text: &str) -> Option<DocType> {
        let mut digits = 0u32;
        let mut n_digits = 0usize;
        let mut other = false;
        for c in normalized(text) {
            match c.to_digit(10) {
                Some(d) if n_digits < 3 => {
                    digits = digits * 10 + d;
                    n_digits += 1;
                }
                _ => {
                    other = true;
                    break;
                }
            }
        }
        if !other {
            return if n_digits == 0 {
                None
            } else {
                DocType::from_code(digits)
            };
        }
        // Runs once per row: one table look-up instead of normalising ~130 labels. A cell
        // written exactly as a label (the usual case) is its own normalised form.
        if let Some(&t) = labels().get(text) {
            return Some(t);
        }
        let key = Key::new(text)?;
        labels().get(key.as_str()).copied()
    }
}

/// Every label and synonym in its `normalized` form. Where two normalise alike, the first
/// in the order canonical labels, then synonyms wins (a test checks that none conflict).
fn labels() -> &'static HashMap<String, DocType> {
    static LABELS: OnceLock<HashMap<String, DocType>> = OnceLock::new();
    LABELS.get_or_init(|| {
        let mut map = HashMap::new();
        let all = DocType::ALL
            .iter()
            .flat_map(|&t| [t.label_zh(), t.label_en()].map(|label| (label, t)))
            .chain(SYNONYMS.iter().copied());
        for (label, t) in all {
            map.entry(normalized(label).collect()).or_insert(t);
        }
        map
    })
}

/// Longest `normalized` text kept; every label is shorter (a test checks), so a longer
/// text cannot match any.
const KEY_CAP: usize = 96;

/// `normalized(text)` on the stack.
struct Key {
    buf: [u8; KEY_CAP],
    len: usize,
}

impl Key {
    fn new(text: &str) -> Option<Key> {
        let mut k = Key {
            buf: [0; KEY_CAP],
            len: 0,
        };
        for c in normalized(text) {
            let end = k.len + c.len_utf8();
            c.encode_utf8(k.buf.get_mut(k.len..end)?);
            k.len = end;
        }
        Some(k)
    }

    fn as_str(&self) -> &str {
        // Whole chars were encoded, so this never fails.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// Spellings seen in exports besides the canonical labels. Matched after `normalized`,
/// so write each once, without spaces and in any case.
const SYNONYMS: &[(&str, DocType)] = &[
    ("居民身份证", ResidentId),
    ("身份证", ResidentId),
    ("身份证(户口簿)", ResidentId),
    ("二代身份证", ResidentId),
    ("第二代居民身份证", ResidentId),
    ("中国居民身份证", ResidentId),
    ("中华人民共和国居民身份证", ResidentId),
    ("大陆居民身份证", ResidentId),
    ("内地居民身份证", ResidentId),
    ("公民身份证", ResidentId),
    ("公民身份号码", ResidentId),
    ("户口簿", ResidentId),
    ("户口本", ResidentId),
    ("resident id", ResidentId),
    ("resident identity card", ResidentId),
    ("id card", ResidentId),
    ("identity card", ResidentId),
    ("national id", ResidentId),
    ("chinese id", ResidentId),
    ("prc id", ResidentId),
    ("household register", ResidentId),
    ("军官证", PlaOfficer),
    ("解放军军官证", PlaOfficer),
    ("military officer card", PlaOfficer),
    ("警官证", ArmedPoliceOfficer),
    ("武警警官证", ArmedPoliceOfficer),
    ("armed police card", ArmedPoliceOfficer),
    // The home-return permit is one document for both SARs; a label that does not name
    // the SAR is read as Hong Kong, and the checks accept H and M numbers under 04 and 05.
    ("港澳居民来往内地通行证", HongKongPermit),
    ("港澳居民往来内地通行证", HongKongPermit),
    ("回乡证", HongKongPermit),
    ("港澳回乡证", HongKongPermit),
    ("港澳通行证", HongKongPermit),
    ("香港特区护照", HongKongPermit),
    ("香港护照", HongKongPermit),
    ("香港居民来往内地通行证", HongKongPermit),
    ("港澳居民来往内地通行证(香港)", HongKongPermit),
    ("hk permit", HongKongPermit),
    ("hong kong permit", HongKongPermit),
    ("home return permit", HongKongPermit),
    ("hk passport", HongKongPermit),
    ("hong kong passport", HongKongPermit),
    ("澳门特区护照", MacaoPermit),
    ("澳门护照", MacaoPermit),
    ("澳门居民来往内地通行证", MacaoPermit),
    ("港澳居民来往内地通行证(澳门)", MacaoPermit),
    ("macao permit", MacaoPermit),
    ("macau permit", MacaoPermit),
    ("macao passport", MacaoPermit),
    ("macau passport", MacaoPermit),
    ("台胞证", TaiwanPermit),
    ("台湾通行证", TaiwanPermit),
    ("台湾居民通行证", TaiwanPermit),
    ("台湾居民来往大陆通行证(台胞证)", TaiwanPermit),
    ("taiwan permit", TaiwanPermit),
    ("taiwan compatriot permit", TaiwanPermit),
    ("外国人永久居留身份证", ForeignPermanentResident),
    (
        "中华人民共和国外国人永久居留身份证",
        ForeignPermanentResident,
    ),
    ("外国人永久居留身份证件", ForeignPermanentResident),
    ("永久居留证", ForeignPermanentResident),
    ("永久居留身份证", ForeignPermanentResident),
    ("永居证", ForeignPermanentResident),
    ("foreign permanent resident card", ForeignPermanentResident),
    ("foreign permanent resident id", ForeignPermanentResident),
    ("permanent resident card", ForeignPermanentResident),
    ("permanent resident id", ForeignPermanentResident),
    // A person insured under a passport is a foreigner: citizens use the resident ID.
    ("护照", ForeignPassport),
    ("外国护照", ForeignPassport),
    ("passport", ForeignPassport),
    ("残疾证", Disability),
    ("disability card", Disability),
    ("军烈属证", MartyrFamily),
    ("就业证", ForeignerEmployment),
    // The 2017 work permit replaced both 就业证 and 专家证; read it as the employment permit.
    ("外国人工作许可证", ForeignerEmployment),
    ("工作许可证", ForeignerEmployment),
    ("work permit", ForeignerEmployment),
    ("employment permit", ForeignerEmployment),
    ("专家证", ForeignExpert),
    ("记者证", ForeignJournalist),
    ("台港澳人员就业证", HkMacaoTaiwanEmployment),
    ("港澳台人员就业证", HkMacaoTaiwanEmployment),
    ("回国定居专家证", SettledExpert),
    ("来华定居专家证", SettledExpert),
    ("中华人民共和国护照", ChinesePassport),
    ("中国公民护照", ChinesePassport),
    ("prc passport", ChinesePassport),
    ("港澳居民居住证", ResidencePermit),
    ("台湾居民居住证", ResidencePermit),
    ("香港居民居住证", ResidencePermit),
    ("澳门居民居住证", ResidencePermit),
    ("港澳台居住证", ResidencePermit),
    ("residence permit", ResidencePermit),
    ("hk macao taiwan residence permit", ResidencePermit),
    ("社保卡", SocialSecurityCard),
    ("social security card", SocialSecurityCard),
    ("其他", Other),
    ("其它", Other),
    ("其他证件", Other),
    ("其它证件", Other),
    ("other", Other),
];

/// Characters of `text` with full-width ASCII folded to ASCII, white space, `_` and `-`
/// dropped, and ASCII letters lower-cased.
fn normalized(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_with_and_without_the_leading_zero() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.code()), Some(t), "{t:?}");
            let bare = t.code().trim_start_matches('0');
            assert_eq!(DocType::parse(bare), Some(t), "{t:?}");
            let code: u32 = t.code().parse().unwrap();
            assert_eq!(DocType::from_code(code), Some(t));
        }
    }

    #[test]
    fn every_label_parses_back_to_its_type() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.label_zh()), Some(t), "{t:?}");
            assert_eq!(DocType::parse(t.label_en()), Some(t), "{t:?}");
            assert_eq!(
                DocType::parse(&t.label_en().to_uppercase()),
                Some(t),
                "{t:?}"
            );
        }
    }

    #[test]
    fn codes_and_labels_are_unique() {
        for (i, a) in DocType::ALL.iter().enumerate() {
            for b in &DocType::ALL[i + 1..] {
                assert_ne!(a.code(), b.code());
                assert_ne!(a.label_zh(), b.label_zh());
                assert_ne!(a.label_en(), b.label_en());
            }
        }
    }

    #[test]
    fn synonyms_never_shadow_a_canonical_label_of_another_type() {
        for (syn, t) in SYNONYMS {
            let canonical = DocType::ALL
                .iter()
                .find(|c| normalized(c.label_zh()).eq(normalized(syn)));
            if let Some(c) = canonical {
                assert_eq!(c, t, "{syn}");
            }
            assert_eq!(DocType::parse(syn), Some(*t), "{syn}");
        }
    }

    #[test]
    fn common_spellings() {
        let cases = [
            ("身份证", ResidentId),
            ("居民身份证", ResidentId),
            ("居民身份证（户口簿）", ResidentId),
            ("居民身份证(户口簿)", ResidentId),
            (" 居民 身份证 ", ResidentId),
            ("Resident ID", ResidentId),
            ("RESIDENT_ID", ResidentId),
            ("ｒｅｓｉｄｅｎｔ ｉｄ", ResidentId),
            ("港澳台居民居住证", ResidencePermit),
            ("外国人永久居留身份证", ForeignPermanentResident),
            ("护照", ForeignPassport),
            ("Passport", ForeignPassport),
            ("中国护照", ChinesePassport),
            ("台胞证", TaiwanPermit),
            ("回乡证", HongKongPermit),
            ("澳门居民来往内地通行证", MacaoPermit),
            ("社保卡", SocialSecurityCard),
            ("其他", Other),
            ("０１", ResidentId),
            ("001", ResidentId),
            (" 17 ", ResidencePermit),
        ];
        for (text, t) in cases {
            assert_eq!(DocType::parse(text), Some(t), "{text}");
        }
    }

    #[test]
    fn every_label_fits_the_key_and_none_conflict() {
        let all = DocType::ALL
            .iter()
            .flat_map(|&t| [t.label_zh(), t.label_en()].map(|label| (label, t)))
            .chain(SYNONYMS.iter().copied());
        for (label, t) in all {
            assert!(
                normalized(label).collect::<String>().len() < KEY_CAP,
                "{label}"
            );
            assert_eq!(
                labels()[&normalized(label).collect::<String>()],
                t,
                "{label}"
            );
        }
        assert_eq!(DocType::parse(&"身".repeat(KEY_CAP)), None);
        // The exact-text fast path relies on keys being their own normalised form.
        for key in labels().keys() {
            assert_eq!(&normalized(key).collect::<String>(), key);
        }
    }

    #[test]
    fn rejects_unknown_codes_and_labels() {
        for text in [
            "",
            " ",
            "0",
            "00",
            "18",
            "89",
            "100",
            "0001",
            "1a",
            "驾驶证",
            "id number",
            "01|身份证",
        ] {
            assert_eq!(DocType::parse(text), None, "{text:?}");
        }
    }
}
