//! V021: roster lines whose ID number a spreadsheet turned into a number. Reported once per
//! roster sheet (the fix is the same for the whole column), naming its rows.

use crate::finding::{At, Finding, Rule, Severity};
use crate::rows::roster::Roster;

/// Rows named in the message before "…"; `summary.json` `roster.skipped` lists more.
const SHOWN: usize = 10;

/// V021 for each roster sheet with mangled IDs; `file` is the roster's position among
/// the run's sources.
pub fn mangled_ids(roster: &Roster, file: u32) -> Vec<Finding> {
    roster
        .mangled_rows
        .iter()
        .map(|(sheet, rows)| {
            let mut shown: Vec<String> = rows.iter().take(SHOWN).map(u32::to_string).collect();
            if rows.len() > SHOWN {
                shown.push("…".into());
            }
            let at = At {
                file,
                sheet: *sheet,
                row: rows.first().copied().unwrap_or(0),
                column: None,
            };
            Finding::new(&V021, at)
                .arg("roster", &roster.file)
                .arg("rows", shown.join(", "))
                .arg("count", rows.len().to_string())
        })
        .collect()
}

pub static V021: Rule = Rule {
    code: "V021",
    severity: Severity::Error,
    title_zh: "参保名册的证件号码被电子表格转成了数字",
    title_en: "roster ID numbers turned into numbers by a spreadsheet",
    message_zh: "参保名册 {roster} 的证件号码被电子表格转成了数字（如 1.1E+17，或末三位变成 000），\
                 第 {rows} 行（共 {count} 行）无法对应到任何人：这些人员的减员未按名册核对（不报 R001），\
                 本月缴费也未计入",
    message_en: "a spreadsheet turned the ID numbers of roster {roster} into numbers (such as \
                 1.1E+17, or the last three digits become 000): rows {rows} ({count} in all) match \
                 nobody, so reductions were not checked against them (no R001) and they are not \
                 charged this month",
    hint_zh: "在表格软件中把证件号码列设为「文本」格式，再从来源（社保系统导出、上月的 roster.next.csv）\
              重新粘贴证件号码；不要用表格软件打开 CSV 后直接保存",
    hint_en: "format the ID number column as text and re-paste the numbers from the source (the \
              portal's export, or last month's roster.next.csv); do not open a CSV in a \
              spreadsheet and save it",
    basis: "2.9",
};

pub static RULES: [&Rule; 1] = [&V021];
