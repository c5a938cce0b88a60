//! The summary printed at the end of `run` and `check`: what was declared (and what was
//! defaulted), what each file gave, the main problems by title, the month's cost in 元,
//! and where the outputs are with the file to open first.

use rust_decimal::Decimal;

use super::summary::{Counts, SheetSummary, Summary};
use crate::config::{Command, Config};
use crate::finding::Lang;

/// Findings listed by title; the rest are in the report.
const TOP: usize = 5;

/// What the terminal summary needs beyond `summary.json`.
pub struct Screen {
    pub command: Command,
    /// The output folder as given (`headcount-out` by default).
    pub out: String,
    pub period_defaulted: bool,
    pub as_of_defaulted: bool,
    /// The files this run wrote, by name.
    pub written: Vec<String>,
}

impl Screen {
    pub fn of(cfg: &Config, written: &[String]) -> Screen {
        Screen {
            command: cfg.command,
            out: cfg.out.display().to_string(),
            period_defaulted: cfg.period_defaulted,
            as_of_defaulted: cfg.as_of_defaulted,
            written: written.to_vec(),
        }
    }

    fn wrote(&self, name: &str) -> bool {
        self.written.iter().any(|w| w == name)
    }
}

/// Information changes, in the totals line only when there are some (most months have none).
fn information(n: u64, zh: bool) -> String {
    match (n, zh) {
        (0, _) => String::new(),
        (n, true) => format!("，信息变更 {n}"),
        (n, false) => format!(", {n} information changes"),
    }
}

/// The lines printed on stderr at the end of a run.
pub fn story(s: &Summary, screen: &Screen, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    out.push_str(&declared(s, screen, zh));
    out.push('\n');

    for f in &s.files {
        for sh in &f.sheets {
            out.push_str(&sheet_line(&f.file, sh, zh));
        }
    }
    let t = &s.totals;
    out.push_str(&if zh {
        format!(
            "合计：读取 {} 行，通过 {}（增员 {}，减员 {}{}），拒绝 {}，空行跳过 {}\n",
            t.rows_read,
            t.accepted,
            t.additions_accepted,
            t.reductions_accepted,
            information(t.information_accepted, zh),
            t.rejected,
            t.blank_skipped
        )
    } else {
        format!(
            "total: {} rows read, {} accepted ({} additions, {} reductions{}), {} rejected, {} blank skipped\n",
            t.rows_read,
            t.accepted,
            t.additions_accepted,
            t.reductions_accepted,
            information(t.information_accepted, zh),
            t.rejected,
            t.blank_skipped
        )
    });

    let fc = &s.findings;
    out.push_str(&if zh {
        format!("发现：错误 {}，警告 {}\n", fc.errors, fc.warnings)
    } else {
        format!("findings: {} errors, {} warnings\n", fc.errors, fc.warnings)
    });
    let mut top: Vec<_> = fc
        .by_code
        .iter()
        .filter(|(_, c)| c.severity != "note")
        .collect();
    // Errors first (they reject rows), then the most frequent.
    top.sort_by(|a, b| {
        (b.1.severity == "error")
            .cmp(&(a.1.severity == "error"))
            .then(b.1.count.cmp(&a.1.count))
            .then(a.0.cmp(b.0))
    });
    for (code, c) in top.iter().take(TOP) {
        let title = crate::rules::catalogue::find(code).map_or(c.title, |r| r.title(lang));
        out.push_str(&format!("  {code} ×{:<4} {title}\n", c.count));
    }
    if top.len() > TOP {
        out.push_str(&if zh {
            format!("  ……另有 {} 类，见错误报告\n", top.len() - TOP)
        } else {
            format!("  … {} more kinds, see the report\n", top.len() - TOP)
        });
    }
    if let Some(cap) = s.report.filter(|c| c.truncated) {
        out.push_str(&if zh {
            format!(
                "报告只列出前 {} 条发现，另有 {} 条未列出（--max-findings）；以上计数完整\n",
                cap.written, cap.omitted
            )
        } else {
            format!(
                "the report lists the first {} findings and leaves out {} (--max-findings); the counts above are complete\n",
                cap.written, cap.omitted
            )
        });
    }

    if let Some(c) = &s.contributions {
        let total = c.employer_total + c.employee_total;
        out.push_str(&if zh {
            format!(
                "本月缴费：单位 {} 元，个人 {} 元，合计 {} 元（{} 行）\n",
                yuan(c.employer_total),
                yuan(c.employee_total),
                yuan(total),
                c.lines
            )
        } else {
            format!(
                "this month's contributions: employer {} yuan, employee {} yuan, total {} yuan ({} lines)\n",
                yuan(c.employer_total),
                yuan(c.employee_total),
                yuan(total),
                c.lines
            )
        });
        if c.late_fees.lines > 0 {
            let fee = yuan(c.late_fees.employer_total);
            let n = c.late_fees.lines;
            out.push_str(&if zh {
                format!("滞纳金（由单位承担，不含在上面的合计中）：{fee} 元（{n} 行）\n")
            } else {
                format!("late fees (payable by the employer, not in the total above): {fee} yuan ({n} lines)\n")
            });
        }
    }
    for note in s.roster.note.iter().chain(&s.notes) {
        out.push_str(note);
        out.push('\n');
    }
    out.push_str(&next_step(t, screen, zh));
    out
}

/// `headcount run：2025-08 月 …`: the month, the processing date and the region, and
/// which of them nobody gave.
fn declared(s: &Summary, screen: &Screen, zh: bool) -> String {
    let cmd = screen.command.id();
    let region = s.region.as_deref();
    if zh {
        let period = if screen.period_defaulted {
            format!("{}（未指定 --period，按处理日期所在月份）", s.period)
        } else {
            s.period.clone()
        };
        let as_of = if screen.as_of_defaulted {
            format!("{}（未指定 --as-of，按今天）", s.as_of)
        } else {
            s.as_of.clone()
        };
        let region = region.map_or(
            "未指定（--region），缴费基数上下限等检查已跳过".to_string(),
            str::to_string,
        );
        format!("headcount {cmd}：申报月份 {period}，处理日期 {as_of}，地区 {region}")
    } else {
        let period = if screen.period_defaulted {
            format!(
                "{} (no --period: the month of the processing date)",
                s.period
            )
        } else {
            s.period.clone()
        };
        let as_of = if screen.as_of_defaulted {
            format!("{} (no --as-of: today)", s.as_of)
        } else {
            s.as_of.clone()
        };
        let region = region.map_or(
            "none (--region): base limit checks skipped".to_string(),
            str::to_string,
        );
        format!("headcount {cmd}: period {period}, processing date {as_of}, region {region}")
    }
}

fn sheet_line(file: &str, sh: &SheetSummary, zh: bool) -> String {
    let place = if sh.sheet.is_empty() {
        file.to_string()
    } else {
        format!("{file} [{}]", sh.sheet)
    };
    if sh.skipped {
        return if zh {
            format!("  {place}：未读取（没有可识别的表头）\n")
        } else {
            format!("  {place}: not read (no recognisable header)\n")
        };
    }
    let c = &sh.counts;
    let data = c.rows_read - c.blank_skipped;
    if zh {
        let kind = match sh.kind {
            Some("addition") => "增员",
            Some("reduction") => "减员",
            _ => "按每行的变动类型",
        };
        let from = match sh.kind_from {
            Some("column") => "（由变动类型列决定）",
            Some("sheet name") => "（由工作表名决定）",
            Some("file name") => "（由文件名决定）",
            Some("layout") => "（由版式决定）",
            Some("--kind") => "（由命令行 --kind 决定）",
            _ => "",
        };
        format!(
            "  {place}：{data} 行，通过 {}，拒绝 {} · {kind}{from}\n",
            c.accepted, c.rejected
        )
    } else {
        format!(
            "  {place}: {data} rows, {} accepted, {} rejected · {} (decided by the {})\n",
            c.accepted,
            c.rejected,
            sh.kind.unwrap_or("each row's change type"),
            sh.kind_from.unwrap_or("nothing")
        )
    }
}

/// Where the outputs are, and the one file to open first.
fn next_step(t: &Counts, screen: &Screen, zh: bool) -> String {
    let out = &screen.out;
    let fix = if screen.wrote(super::ERRORS_XLSX) {
        Some(super::ERRORS_XLSX)
    } else if screen.wrote(super::ERRORS) {
        Some(super::ERRORS)
    } else {
        None
    };
    let upload = [
        super::PORTAL_ADDITIONS,
        super::PORTAL_ADDITIONS_XLS,
        super::PORTAL_REDUCTIONS,
        super::PORTAL_REDUCTIONS_XLS,
        super::SUBMISSION_XLSX,
        super::SUBMISSION,
    ]
    .into_iter()
    .find(|f| screen.wrote(f));
    let first = match (t.rejected > 0, fix, upload) {
        (true, Some(f), _) => Some((f, true)),
        (_, _, Some(u)) => Some((u, false)),
        (_, Some(f), None) => Some((f, true)),
        _ => None,
    };
    let sep = if out.ends_with('/') { "" } else { "/" };
    match (first, zh) {
        (Some((f, true)), true) if t.rejected > 0 => format!(
            "输出在 {out}{sep}：请先打开 {f}，改正被拒绝的 {} 行后重新运行\n",
            t.rejected
        ),
        (Some((f, true)), true) => format!("输出在 {out}{sep}：请先打开 {f}，查看发现\n"),
        (Some((f, false)), true) => format!(
            "输出在 {out}{sep}：请先打开 {f}（可上传的 {} 条变动）\n",
            t.accepted
        ),
        (Some((f, true)), false) if t.rejected > 0 => format!(
            "outputs in {out}{sep}: open {f} first, fix the {} rejected rows and run again\n",
            t.rejected
        ),
        (Some((f, true)), false) => {
            format!("outputs in {out}{sep}: open {f} first to see the findings\n")
        }
        (Some((f, false)), false) => format!(
            "outputs in {out}{sep}: open {f} first ({} changes ready to upload)\n",
            t.accepted
        ),
        (None, true) => format!("输出在 {out}{sep}\n"),
        (None, false) => format!("outputs in {out}{sep}\n"),
    }
}

/// `1234567.5` → `1,234,567.50`: an amount as a person reads it (two decimals, thousands
/// separated).
pub fn yuan(d: Decimal) -> String {
    let s = d.round_dp(2).to_string();
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<2}");
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn amounts_have_separators_and_two_decimals() {
        let y = |s: &str| yuan(Decimal::from_str(s).unwrap());
        assert_eq!(y("2719484775.57"), "2,719,484,775.57");
        assert_eq!(y("248598.9"), "248,598.90");
        assert_eq!(y("999"), "999.00");
        assert_eq!(y("1000"), "1,000.00");
        assert_eq!(y("0"), "0.00");
        assert_eq!(y("-1234.5"), "-1,234.50");
    }
}
