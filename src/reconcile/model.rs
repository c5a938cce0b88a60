//! One model for both sides of a reconciliation: a bill line is one amount one person is
//! charged for one insurance, part and month; headcount's expected contributions are read
//! into the same shape.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::calendar::Month;

/// Who pays a share.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Employer,
    Employee,
}

impl Part {
    pub fn id(self) -> &'static str {
        match self {
            Part::Employer => "employer",
            Part::Employee => "employee",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Part::Employer => "单位",
            Part::Employee => "个人",
        }
    }
}

/// What a line charges for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Regular,
    /// 补缴: a month before the billed one.
    Backpay,
    /// 退费: money returned (a negative amount).
    Refund,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Regular => "regular",
            Kind::Backpay => "backpay",
            Kind::Refund => "refund",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Regular => "正常",
            Kind::Backpay => "补缴",
            Kind::Refund => "退费",
        }
    }
}

/// How a person is named on a line; at least one is present.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    /// Upper case, as the ID number is compared.
    pub id: Option<String>,
    /// The city's person number (电脑号, 社保编号, 人员编号, 工号).
    pub person_no: Option<String>,
    pub name: Option<String>,
}

/// Where a line was read: an index into the run's files, the sheet's name and the row.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    pub file: u32,
    /// Shared by the sheet's lines.
    pub sheet: Arc<str>,
    pub row: u32,
}

#[derive(Clone, Debug)]
pub struct Line {
    /// Shared by the lines of one row.
    pub person: Arc<Person>,
    /// `None` when the bill does not say (a 补缴 column without a month).
    pub month: Option<Month>,
    /// Interned (`policy::InsuranceId`): no string per line.
    pub insurance: &'static str,
    pub part: Part,
    pub base: Option<Decimal>,
    pub amount: Decimal,
    pub kind: Kind,
    pub origin: Origin,
}

/// Which side of the comparison.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Side {
    Bill,
    Expected,
}
