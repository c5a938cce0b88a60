//! C001–C006, C010–C013: the findings of `headcount reconcile` (issue 18), defined here
//! with the other rules so the catalogue lists them without reaching up into the command.

use crate::finding::{Rule, Severity};

pub static C001: Rule = Rule {
    code: "C001",
    severity: Severity::Error,
    title_zh: "账单有、预期没有（漏减）",
    title_en: "billed but not expected (a reduction that did not take)",
    message_zh: "{who} {insurance}{part} {month}：账单收取 {billed}，headcount 预期没有此项",
    message_en: "{who} {insurance} {part} {month}: billed {billed}, headcount expected nothing",
    hint_zh: "可能原因：减员未被经办机构办理（漏减），或此人不在本单位的名册中；核对减员回执",
    hint_en: "likely cause: a reduction the bureau did not process, or a person not on the employer's roster; check the reduction receipt",
    basis: "real-world.md §1.3",
};

pub static C002: Rule = Rule {
    code: "C002",
    severity: Severity::Error,
    title_zh: "预期有、账单没有（漏增）",
    title_en: "expected but not billed (an addition that did not take)",
    message_zh: "{who} {insurance}{part} {month}：headcount 预期 {expected}，账单没有此项",
    message_en: "{who} {insurance} {part} {month}: headcount expected {expected}, not on the bill",
    hint_zh: "可能原因：增员未被经办机构办理（漏增），或该险种未参保；核对增员回执",
    hint_en: "likely cause: an addition the bureau did not process, or an insurance not enrolled; check the addition receipt",
    basis: "real-world.md §1.3",
};

pub static C003: Rule = Rule {
    code: "C003",
    severity: Severity::Error,
    title_zh: "缴费基数不符",
    title_en: "the contribution base differs",
    message_zh: "{who} {insurance}{part} {month}：账单基数 {base_billed}，预期基数 {base_expected}（金额 {billed} / {expected}）",
    message_en: "{who} {insurance} {part} {month}: base {base_billed} billed, {base_expected} expected (amounts {billed} / {expected})",
    hint_zh: "可能原因：申报的基数未被采用（年度调基、上下限不同或申报有误）",
    hint_en: "likely cause: the declared base was not taken (annual base adjustment, different limits, or a declaration error)",
    basis: "real-world.md §1.3",
};

pub static C004: Rule = Rule {
    code: "C004",
    severity: Severity::Error,
    title_zh: "金额不符（超出政策的舍入误差）",
    title_en: "the amount differs beyond the policy's rounding",
    message_zh: "{who} {insurance}{part} {month}：账单 {billed}，预期 {expected}，差额 {difference}（基数相同）",
    message_en: "{who} {insurance} {part} {month}: billed {billed}, expected {expected}, difference {difference} (same base)",
    hint_zh: "可能原因：费率、定额或舍入规则与政策表不同，或账单含附加项目；用 headcount policy 核对费率",
    hint_en: "likely cause: a rate, fixed amount or rounding rule other than the policy table's, or an extra item on the bill; check the rates with `headcount policy`",
    basis: "real-world.md §1.3",
};

pub static C005: Rule = Rule {
    code: "C005",
    severity: Severity::Error,
    title_zh: "账单有预期之外的补缴或退费",
    title_en: "a back-pay or refund on the bill that was not expected",
    message_zh: "{who} {insurance}{part} {month}：账单{kind} {billed}，headcount 未预期",
    message_en: "{who} {insurance} {part} {month}: {kind} of {billed} billed, not expected by headcount",
    hint_zh: "可能原因：经办机构补收或退还了以前月份（如上月减员晚办、基数调整补差）；核对所属期",
    hint_en: "likely cause: the bureau charged or returned an earlier month (a late reduction, a base top-up); check the months it covers",
    basis: "real-world.md §1.3",
};

pub static C006: Rule = Rule {
    code: "C006",
    severity: Severity::Error,
    title_zh: "所属月份不符",
    title_en: "the month differs",
    message_zh: "{who} {insurance}{part}：账单 {month_billed} {billed}，预期 {month_expected} {expected}",
    message_en: "{who} {insurance} {part}: billed {billed} for {month_billed}, expected {expected} for {month_expected}",
    hint_zh: "可能原因：增减员生效月份与申报不同（截止日之后办理、起止月规则不同）",
    hint_en: "likely cause: the change took effect in another month than declared (handled after the cut-off, another start or stop month rule)",
    basis: "real-world.md §1.3, §2.8",
};

pub static C013: Rule = Rule {
    code: "C013",
    severity: Severity::Fatal,
    title_zh: "预期结果文件夹无法使用",
    title_en: "the expected run's folder cannot be used",
    message_zh: "{dir}：{reason}",
    message_en: "{dir}: {reason}",
    hint_zh: "--expected 指向一次 headcount run 的输出文件夹（含 contributions.csv）",
    hint_en: "--expected names the output folder of a `headcount run` (holding contributions.csv)",
    basis: "",
};

pub static C010: Rule = Rule {
    code: "C010",
    severity: Severity::Fatal,
    title_zh: "账单单元格无法读取",
    title_en: "a bill cell cannot be read",
    message_zh: "{file}{sheet}第 {row} 行 {column} 列「{header}」：「{value}」不是{what}",
    message_en: "{file}{sheet}, row {row}, column {column} `{header}`: `{value}` is not {what}",
    hint_zh: "改正账单中的该单元格后重新对账；对账不猜测金额",
    hint_en:
        "correct the cell in the bill and reconcile again; reconciliation does not guess amounts",
    basis: "real-world.md §1.4",
};

pub static C011: Rule = Rule {
    code: "C011",
    severity: Severity::Fatal,
    title_zh: "文件不是已知版式的账单",
    title_en: "the file is not a bill of a known layout",
    message_zh: "{file}：前 20 行中没有任何账单版式的表头（最接近的版式 {layout} 缺少列：{missing}）",
    message_en: "{file}: no bill layout's header in the first 20 rows (the nearest layout, {layout}, lacks: {missing})",
    hint_zh: "docs/reconcile.md 列出已知账单版式；用 --layout 文件添加您所在城市的账单版式",
    hint_en: "docs/reconcile.md lists the known bill layouts; add your city's with a --layout file",
    basis: "real-world.md §1.1",
};

pub static C012: Rule = Rule {
    code: "C012",
    severity: Severity::Fatal,
    title_zh: "分险种账单的文件名或工作表名未说明险种和单位/个人",
    title_en: "a per-insurance bill's file or sheet name does not say the insurance and part",
    message_zh: "{file}{sheet}（版式 {layout}）：每个文件只含一个险种的单位或个人部分，但文件名和工作表名都没有说明是哪个险种、哪一部分",
    message_en: "{file}{sheet} (layout {layout}): each file holds one insurance's employer or employee part, but neither the file nor the sheet name says which",
    hint_zh: "把文件命名为如「养老_单位.xlsx」「医疗_个人.csv」",
    hint_en: "name the file like `养老_单位.xlsx` or `医疗_个人.csv` (pension employer, medical employee)",
    basis: "real-world.md §1 B5",
};

/// The difference classes, in report order.
pub static CLASSES: [&Rule; 6] = [&C001, &C002, &C003, &C004, &C005, &C006];

pub static RULES: [&Rule; 10] = [
    &C001, &C002, &C003, &C004, &C005, &C006, &C010, &C011, &C012, &C013,
];
