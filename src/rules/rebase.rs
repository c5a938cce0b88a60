//! B001–B015: findings of the annual base adjustment (`headcount rebase`, issue 17). Wage
//! lines that cannot be used are errors on their cell; what happens to a person (clamped,
//! moved a lot, left, no wages) is a warning on their roster line.

use crate::finding::{Rule, Severity};

pub static B001: Rule = Rule {
    code: "B001",
    severity: Severity::Warning,
    title_zh: "没有工资数据",
    title_en: "no wage data",
    message_zh: "{reason_zh}：没有可用的工资，按原缴费基数 {old} 在 {year} 年度上下限内申报为 {new}",
    message_en: "{reason_en}: no usable wage; the old base {old}, within the {year} limits, is declared as {new}",
    hint_zh: "请在工资文件中补充该人员的工资后重新运行",
    hint_en: "add the person's wages to the wage file and run again",
    basis: "3.1",
};

pub static B002: Rule = Rule {
    code: "B002",
    severity: Severity::Warning,
    title_zh: "工资低于缴费基数下限",
    title_en: "wage below the base floor",
    message_zh: "月平均工资 {wage} 低于 {year} 年度缴费基数下限 {limit}，按下限 {limit} 申报",
    message_en: "average monthly wage {wage} is below the {year} base floor {limit}; declared at the floor {limit}",
    hint_zh: "",
    hint_en: "",
    basis: "3.1",
};

pub static B003: Rule = Rule {
    code: "B003",
    severity: Severity::Warning,
    title_zh: "工资高于缴费基数上限",
    title_en: "wage above the base ceiling",
    message_zh: "月平均工资 {wage} 高于 {year} 年度缴费基数上限 {limit}，按上限 {limit} 申报",
    message_en: "average monthly wage {wage} is above the {year} base ceiling {limit}; declared at the ceiling {limit}",
    hint_zh: "",
    hint_en: "",
    basis: "3.1",
};

pub static B004: Rule = Rule {
    code: "B004",
    severity: Severity::Warning,
    title_zh: "缴费基数变动过大",
    title_en: "base moved more than the threshold",
    message_zh: "新缴费基数 {new} 比原基数 {old} 变动 {pct}%，超过 {threshold}%",
    message_en: "new base {new} differs from the old base {old} by {pct}%, more than {threshold}%",
    hint_zh: "请核对工资是否含年终奖、是否按月填写、单位是否为元",
    hint_en: "check whether the wages include a bonus, are monthly, and are in yuan",
    basis: "",
};

pub static B005: Rule = Rule {
    code: "B005",
    severity: Severity::Warning,
    title_zh: "人员已停保",
    title_en: "person has left",
    message_zh: "名册中为停保（停缴年月 {stop}），不申报新年度基数{lines_zh}",
    message_en: "stopped on the roster (stop month {stop}); no new base is declared{lines_en}",
    hint_zh: "",
    hint_en: "",
    basis: "",
};

pub static B006: Rule = Rule {
    code: "B006",
    severity: Severity::Error,
    title_zh: "工资不是数字",
    title_en: "wage is not a number",
    message_zh: "「{column}」的值 `{found}` 不是金额，该行未计入",
    message_en: "`{found}` in `{column}` is not an amount; the line is not used",
    hint_zh: "请填写以元为单位的数字",
    hint_en: "write a number of yuan",
    basis: "",
};

pub static B007: Rule = Rule {
    code: "B007",
    severity: Severity::Error,
    title_zh: "工资为负数",
    title_en: "negative wage",
    message_zh: "「{column}」的值 {found} 为负数，该行未计入",
    message_en: "`{column}` is negative ({found}); the line is not used",
    hint_zh: "冲销或补发应并入当月应发工资",
    hint_en: "fold reversals and back pay into the month's gross wage",
    basis: "",
};

pub static B008: Rule = Rule {
    code: "B008",
    severity: Severity::Error,
    title_zh: "工资疑似以千元为单位",
    title_en: "wage likely in thousands of yuan",
    message_zh: "「{column}」的值 {found} 低于 {min} 元，疑似以千元为单位，该行未计入",
    message_en:
        "`{column}` is {found}, below {min} yuan: likely in thousands of yuan; the line is not used",
    hint_zh: "请换算为元后重新运行",
    hint_en: "convert to yuan and run again",
    basis: "",
};

pub static B009: Rule = Rule {
    code: "B009",
    severity: Severity::Warning,
    title_zh: "工资文件中的人员不在名册",
    title_en: "wage person not on the roster",
    message_zh: "该人员不在参保名册中（或没有可用的名册行），其 {lines} 行工资未计入",
    message_en: "this person is not on the roster (or has no usable roster line); their {lines} wage lines are not used",
    hint_zh: "新入职人员请先办理增员",
    hint_en: "enroll new hires first",
    basis: "",
};

pub static B010: Rule = Rule {
    code: "B010",
    severity: Severity::Error,
    title_zh: "同一人同一月份两行工资",
    title_en: "two wage lines for one person and month",
    message_zh: "{month} 的工资已在第 {first} 行给出，本行未计入",
    message_en: "the wage for {month} is already given on row {first}; this line is not used",
    hint_zh: "请把同月的多笔收入合并为一行",
    hint_en: "merge a month's payments into one line",
    basis: "",
};

pub static B011: Rule = Rule {
    code: "B011",
    severity: Severity::Error,
    title_zh: "工资月份无法识别",
    title_en: "wage month not readable",
    message_zh: "「{column}」的值 `{found}` 不是年月，该行未计入",
    message_en: "`{found}` in `{column}` is not a month; the line is not used",
    hint_zh: "请写作 2025-07 或 202507",
    hint_en: "write 2025-07 or 202507",
    basis: "",
};

pub static B012: Rule = Rule {
    code: "B012",
    severity: Severity::Warning,
    title_zh: "同时给出月平均工资和月工资",
    title_en: "both an average and monthly wages",
    message_zh: "本行给出上年度月平均工资，按它申报；该人员另有 {lines} 行月工资未计入",
    message_en: "this line gives the average wage, which is declared; the person's {lines} monthly wage lines are not used",
    hint_zh: "",
    hint_en: "",
    basis: "",
};

pub static B013: Rule = Rule {
    code: "B013",
    severity: Severity::Error,
    title_zh: "工资行没有证件号码",
    title_en: "wage line without an ID number",
    message_zh: "没有可用的证件号码{found}，该行未计入",
    message_en: "no usable ID number{found}; the line is not used",
    hint_zh: "",
    hint_en: "",
    basis: "",
};

pub static B014: Rule = Rule {
    code: "B014",
    severity: Severity::Note,
    title_zh: "按原证件号码找到工资",
    title_en: "wages found under the former ID number",
    message_zh: "工资文件中该人员的工资在原证件号码 {former} 下（名册「原证件号码」列），已按此人计入",
    message_en: "the wage file lists this person's wages under the former ID number {former} (the roster's 原证件号码 column); they are used for this person",
    hint_zh: "工资系统中的证件号码可在下次导出前更正",
    hint_en: "the payroll system's number can be corrected before the next export",
    basis: "issue 17",
};

pub static B015: Rule = Rule {
    code: "B015",
    severity: Severity::Warning,
    title_zh: "现证件号码和原证件号码下都有工资",
    title_en: "wages under both the current and the former ID number",
    message_zh: "工资文件在现证件号码和原证件号码 {former} 下都有该人员的工资；按现号码计算，原号码下的 {lines} 行未计入",
    message_en: "the wage file has this person's wages under the current number and under the former number {former}; the current number's are used, the {lines} lines under the former number are not",
    hint_zh: "把两个号码下的工资合并到现证件号码下后重新运行",
    hint_en: "merge both numbers' lines under the current number and run again",
    basis: "issue 17",
};

pub static RULES: [&Rule; 15] = [
    &B001, &B002, &B003, &B004, &B005, &B006, &B007, &B008, &B009, &B010, &B011, &B012, &B013,
    &B014, &B015,
];
