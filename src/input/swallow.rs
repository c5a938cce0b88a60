//! An unbalanced quote in a free-text column makes the CSV parser read every following
//! line into one cell until the next quote: rows vanish into a remark, silently. A quoted
//! cell that spans lines is suspect when one of its later lines looks like a record of
//! its own (as many delimiters as half the row's columns, at least two) or when it spans
//! more than `MAX_LINES` lines. The row is then rejected with H008, naming the lines it
//! covers, so every line of the file is accounted for.

use crate::finding::{Rule, Severity};

/// More lines than any remark a person types into one cell.
pub const MAX_LINES: usize = 50;

/// The column of the first suspect cell of a record that spans lines.
pub fn suspect(record: &csv::StringRecord, delimiter: u8) -> Option<usize> {
    let width = record.len();
    let delimiter = char::from(delimiter);
    record.iter().position(|field| {
        if !field.contains('\n') {
            return false;
        }
        let mut lines = 0;
        for line in field.split('\n') {
            lines += 1;
            if lines > 1 {
                let fields = line.matches(delimiter).count() + 1;
                if fields >= 3 && fields * 2 >= width {
                    return true;
                }
            }
        }
        lines > MAX_LINES
    })
}

pub static H008: Rule = Rule {
    code: "H008",
    severity: Severity::Error,
    title_zh: "引号未闭合：一个单元格吞并了后面的行",
    title_en: "an unclosed quote: one cell swallowed the lines after it",
    message_zh: "第 {row}–{last} 行被读成了一个单元格（列「{column}」以引号开头却没有在本行闭合），其中有看起来是独立记录的行；这些行都没有被处理",
    message_en: "lines {row}–{last} were read as one cell (column `{column}` opens a quote that does not close on its line), and some of them look like records of their own; none of these lines was processed",
    hint_zh: "删除或补齐该单元格中多余的半角双引号 \"，然后重新运行",
    hint_en: "remove the stray double quote \" in that cell (or close it), then run again",
    basis: "",
};

pub static RULES: [&Rule; 1] = [&H008];

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(fields.to_vec())
    }

    #[test]
    fn a_cell_holding_whole_records_is_suspect() {
        let r = record(&[
            "4",
            "张三",
            "备注\n5,李四,110,2025-08-01,x\n6,王五,111,2025-08-01,y",
        ]);
        assert_eq!(suspect(&r, b','), Some(2));
    }

    #[test]
    fn a_genuine_multi_line_remark_is_not() {
        let r = record(&[
            "4",
            "张三",
            "110",
            "2025-08-01",
            "地址：北京市, 朝阳区\n电话 123",
            "x",
        ]);
        assert_eq!(suspect(&r, b','), None);
        let long = vec!["line"; MAX_LINES].join("\n");
        assert_eq!(suspect(&record(&["1", &long]), b','), None);
        let longer = vec!["line"; MAX_LINES + 1].join("\n");
        assert_eq!(suspect(&record(&["1", &longer]), b','), Some(1));
    }

    #[test]
    fn tabs_count_in_a_tab_file() {
        let r = record(&["4", "张三", "x\n5\t李四\t110\t2025"]);
        assert_eq!(suspect(&r, b'\t'), Some(2));
        assert_eq!(suspect(&r, b','), None);
    }
}
