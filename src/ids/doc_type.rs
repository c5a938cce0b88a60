//! Person document types (证件类型), keyed by the national 医保 `psn_cert_type` codes.
//!
//! The codes and labels are what the submission writes. Reading a document-type cell, with
//! the spellings HR exports use, is `input::value::vocab::doc_type` (the list is data).

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_from_code() {
        for t in DocType::ALL {
            let code: u32 = t.code().parse().unwrap();
            assert_eq!(DocType::from_code(code), Some(t));
        }
        assert_eq!(DocType::from_code(18), None);
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
}
