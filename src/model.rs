//! The domain vocabulary every stage speaks: change types, reasons, sex, categories.
//!
//! Parsing these from the many spellings found in real exports lives in
//! `input::value::vocab`; this module only names the canonical values.

use std::fmt;

/// Addition (增员), reduction (减员), or a change of a member's details (信息变更: a
/// corrected ID number, a new name …), which changes nobody's enrollment.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum ChangeKind {
    Addition,
    Reduction,
    Information,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 3] = [
        ChangeKind::Addition,
        ChangeKind::Reduction,
        ChangeKind::Information,
    ];

    /// The canonical id layout data names a kind by.
    pub fn id(self) -> &'static str {
        match self {
            ChangeKind::Addition => "ADDITION",
            ChangeKind::Reduction => "REDUCTION",
            ChangeKind::Information => "INFORMATION",
        }
    }

    /// The text written in the submission's `变动类型` column.
    pub fn label_zh(self) -> &'static str {
        match self {
            ChangeKind::Addition => "增员",
            ChangeKind::Reduction => "减员",
            ChangeKind::Information => "信息变更",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ChangeKind::Addition => "addition",
            ChangeKind::Reduction => "reduction",
            ChangeKind::Information => "information change",
        }
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// Retirement category: for women it selects the original retirement age (worker 50,
/// cadre 55); for men it does not matter.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Category {
    Worker,
    Cadre,
}

impl Category {
    pub fn label_zh(self) -> &'static str {
        match self {
            Category::Worker => "工人",
            Category::Cadre => "干部",
        }
    }
}

/// Canonical reduction reasons; each city's own code list maps onto these.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Reason {
    Resign,
    TerminateMutual,
    Dismiss,
    ContractEnd,
    Retire,
    Death,
    TransferOut,
    Military,
    Emigrate,
    UnitClosed,
    Other,
    /// Additions only: keeps contributing past the retirement age to reach the minimum
    /// contribution years (延长缴费).
    Extend,
    /// Additions only: back-pay of an interrupted period, on the average wage (补缴中断).
    Interrupted,
}

impl Reason {
    /// The reduction reasons (`Extend` and `Interrupted` belong to additions).
    pub const ALL: [Reason; 11] = [
        Reason::Resign,
        Reason::TerminateMutual,
        Reason::Dismiss,
        Reason::ContractEnd,
        Reason::Retire,
        Reason::Death,
        Reason::TransferOut,
        Reason::Military,
        Reason::Emigrate,
        Reason::UnitClosed,
        Reason::Other,
    ];

    /// Stable identifier used in machine-readable outputs.
    pub fn id(self) -> &'static str {
        match self {
            Reason::Resign => "RESIGN",
            Reason::TerminateMutual => "TERMINATE_MUTUAL",
            Reason::Dismiss => "DISMISS",
            Reason::ContractEnd => "CONTRACT_END",
            Reason::Retire => "RETIRE",
            Reason::Death => "DEATH",
            Reason::TransferOut => "TRANSFER_OUT",
            Reason::Military => "MILITARY",
            Reason::Emigrate => "EMIGRATE",
            Reason::UnitClosed => "UNIT_CLOSED",
            Reason::Other => "OTHER",
            Reason::Extend => "EXTEND",
            Reason::Interrupted => "INTERRUPTED",
        }
    }

    /// The canonical Chinese label, as written to the submission.
    pub fn label_zh(self) -> &'static str {
        match self {
            Reason::Resign => "辞职",
            Reason::TerminateMutual => "协商解除劳动合同",
            Reason::Dismiss => "解除劳动合同",
            Reason::ContractEnd => "劳动合同期满终止",
            Reason::Retire => "退休",
            Reason::Death => "死亡",
            Reason::TransferOut => "转出",
            Reason::Military => "参军",
            Reason::Emigrate => "出国（境）定居",
            Reason::UnitClosed => "单位注销",
            Reason::Other => "其他",
            Reason::Extend => "延长缴费",
            Reason::Interrupted => "补缴中断",
        }
    }

    /// The reasons only an addition carries (issue 14).
    pub const ADDITION: [Reason; 2] = [Reason::Extend, Reason::Interrupted];

    /// Only an addition can carry this reason.
    pub fn is_addition(self) -> bool {
        matches!(self, Reason::Extend | Reason::Interrupted)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Household registration (户口性质), as far as the cell tells it: local or not, urban or
/// rural. Read for what the portals' code lists need; the submission keeps the cell's words.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Hukou {
    LocalUrban,
    LocalRural,
    NonlocalUrban,
    NonlocalRural,
    /// Urban, locality not said.
    Urban,
    /// Rural, locality not said.
    Rural,
    /// The unified 居民户口 of the 2014 reform.
    Resident,
    HkMacaoTaiwan,
    Foreign,
}

impl Hukou {
    pub const ALL: [Hukou; 9] = [
        Hukou::LocalUrban,
        Hukou::LocalRural,
        Hukou::NonlocalUrban,
        Hukou::NonlocalRural,
        Hukou::Urban,
        Hukou::Rural,
        Hukou::Resident,
        Hukou::HkMacaoTaiwan,
        Hukou::Foreign,
    ];

    /// Stable identifier, as the code lists name it.
    pub fn id(self) -> &'static str {
        match self {
            Hukou::LocalUrban => "LOCAL_URBAN",
            Hukou::LocalRural => "LOCAL_RURAL",
            Hukou::NonlocalUrban => "NONLOCAL_URBAN",
            Hukou::NonlocalRural => "NONLOCAL_RURAL",
            Hukou::Urban => "URBAN",
            Hukou::Rural => "RURAL",
            Hukou::Resident => "RESIDENT",
            Hukou::HkMacaoTaiwan => "HK_MACAO_TAIWAN",
            Hukou::Foreign => "FOREIGN",
        }
    }
}

/// The medical-insurance tier a person is enrolled in (医疗保险档次): Shenzhen's 一档 / 二档 /
/// 三档 have their own rates (policy `[….medical.tier.N]`), or not enrolled in medical.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum MedicalTier {
    NotEnrolled,
    Tier1,
    Tier2,
    Tier3,
}

impl MedicalTier {
    pub const ALL: [MedicalTier; 4] = [
        MedicalTier::NotEnrolled,
        MedicalTier::Tier1,
        MedicalTier::Tier2,
        MedicalTier::Tier3,
    ];

    /// Stable identifier, as the code lists name it.
    pub fn id(self) -> &'static str {
        match self {
            MedicalTier::NotEnrolled => "NONE",
            MedicalTier::Tier1 => "TIER1",
            MedicalTier::Tier2 => "TIER2",
            MedicalTier::Tier3 => "TIER3",
        }
    }

    /// As `roster.next.csv` writes it (read back by the code list's labels).
    pub fn label_zh(self) -> &'static str {
        match self {
            MedicalTier::NotEnrolled => "不参加",
            MedicalTier::Tier1 => "一档",
            MedicalTier::Tier2 => "二档",
            MedicalTier::Tier3 => "三档",
        }
    }

    /// The tier number a policy's `tier.N` table is keyed by; `None` when not enrolled.
    pub fn number(self) -> Option<u8> {
        match self {
            MedicalTier::NotEnrolled => None,
            MedicalTier::Tier1 => Some(1),
            MedicalTier::Tier2 => Some(2),
            MedicalTier::Tier3 => Some(3),
        }
    }
}

/// A roster member's enrollment status.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RosterStatus {
    Active,
    Stopped,
}

impl RosterStatus {
    pub fn label_zh(self) -> &'static str {
        match self {
            RosterStatus::Active => "参保",
            RosterStatus::Stopped => "停保",
        }
    }
}
