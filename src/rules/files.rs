//! H009: a sheet with a header and no data rows. An export that came out empty (a filter
//! left on, the wrong month) must not pass as "everything accepted".

use crate::finding::{At, Finding, Rule, Severity};

/// H009 when a sheet's header was found and no row below it holds data (blank and totals
/// lines do not count).
/// `place` is the file, and the sheet of a workbook (`a.xlsx [增员]`).
pub fn empty_sheet(place: &str, data_rows: u64, at: At) -> Option<Finding> {
    (data_rows == 0).then(|| Finding::new(&H009, at).arg("place", place))
}

pub static H009: Rule = Rule {
    code: "H009",
    severity: Severity::Warning,
    title_zh: "只有表头，没有数据行",
    title_en: "a header and no data rows",
    message_zh: "{place} 只有表头，没有任何人员行",
    message_en: "{place} has a header and no rows of people",
    hint_zh: "请确认导出时没有筛选条件、月份正确；确实没有变动时可不提交此文件",
    hint_en: "check that the export had no filter and the right month; with no changes, leave the file out",
    basis: "",
};

pub static RULES: [&Rule; 1] = [&H009];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_sheet_without_data_rows_is_h009() {
        assert!(empty_sheet("增员", 1, At::RUN).is_none());
        let f = empty_sheet("增员", 0, At::RUN);
        assert_eq!(f.map(|f| f.rule.code), Some("H009"));
    }
}
