//! Insurance names: the four core insurances, maternity and the region extras, as a
//! cheap interned id ordered as output columns are.

use std::fmt;
use std::sync::{Mutex, OnceLock};

/// An insurance name (`pension`, `medical`, …, or a region extra such as
/// `serious_illness`). Copyable and cheap to compare, so amounts can carry it on the hot
/// path; ordered as output columns are: the four core insurances, then extras by name.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct InsuranceId(&'static str);

impl InsuranceId {
    pub const PENSION: InsuranceId = InsuranceId("pension");
    pub const MEDICAL: InsuranceId = InsuranceId("medical");
    pub const UNEMPLOYMENT: InsuranceId = InsuranceId("unemployment");
    pub const INJURY: InsuranceId = InsuranceId("injury");
    pub const MATERNITY: InsuranceId = InsuranceId("maternity");
    pub const CORE: [InsuranceId; 4] = [
        InsuranceId::PENSION,
        InsuranceId::MEDICAL,
        InsuranceId::UNEMPLOYMENT,
        InsuranceId::INJURY,
    ];

    /// The id for `name`. Extra names are interned once per process (a handful of short
    /// strings from policy files), which is what lets the id be `Copy`.
    pub fn intern(name: &str) -> InsuranceId {
        if let Some(core) = InsuranceId::CORE
            .into_iter()
            .chain([InsuranceId::MATERNITY])
            .find(|c| c.0 == name)
        {
            return core;
        }
        static NAMES: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
        let mut names = NAMES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(known) = names.iter().find(|n| **n == name) {
            return InsuranceId(known);
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        names.push(leaked);
        InsuranceId(leaked)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// Chinese name for the known insurances.
    pub fn label_zh(self) -> Option<&'static str> {
        Some(match self.0 {
            "pension" => "养老",
            "medical" => "医疗",
            "unemployment" => "失业",
            "injury" => "工伤",
            "maternity" => "生育",
            "serious_illness" => "大额医疗互助",
            _ => return None,
        })
    }

    /// Employees pay nothing for work injury and maternity (社会保险法 Art. 53,
    /// 工伤保险条例 Art. 10).
    pub fn employee_pays_nothing(self) -> bool {
        self == InsuranceId::INJURY || self == InsuranceId::MATERNITY
    }

    fn rank(self) -> usize {
        InsuranceId::CORE
            .iter()
            .position(|c| *c == self)
            .unwrap_or(InsuranceId::CORE.len())
    }
}

impl Ord for InsuranceId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.rank(), self.0).cmp(&(other.rank(), other.0))
    }
}

impl PartialOrd for InsuranceId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for InsuranceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for InsuranceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InsuranceId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insurance_ids_are_interned_and_ordered() {
        let a = InsuranceId::intern("serious_illness");
        let b = InsuranceId::intern(&String::from("serious_illness"));
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(InsuranceId::intern("injury"), InsuranceId::INJURY);
        let mut ids = [
            a,
            InsuranceId::INJURY,
            InsuranceId::intern("aaa"),
            InsuranceId::PENSION,
        ];
        ids.sort();
        let names: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
        assert_eq!(names, ["pension", "injury", "aaa", "serious_illness"]);
        assert!(InsuranceId::MATERNITY.employee_pays_nothing());
        assert!(!InsuranceId::MEDICAL.employee_pays_nothing());
    }
}
