//! V001 and V008–V019: the values of one row, read on their own and against the ID.

use super::{Context, Facts};
use crate::finding::{Finding, Rule, Severity};
use crate::ids;
use crate::input::header::Field;
use crate::input::value::{IdCell, Value};
use crate::model::{ChangeKind, Reason, Sex};
use crate::rows::{ok, ChangeRow};

pub fn check(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    required(row, out);
    unreadable(row, out);
    against_id(row, facts, out);
    name(row, facts, out);
    phone(row, out);
    employer(row, ctx, out);
    category(row, facts, out);
    insurances(row, out);
    if matches!(row.medical_tier, Value::Invalid) {
        out.push(
            Finding::new(&V022, row.at(Field::MedicalTier))
                .arg("found", row.shown(Field::MedicalTier)),
        );
    }
    let normalized = row.normalized_fields();
    if !normalized.is_empty() {
        let names: Vec<&str> = normalized.iter().map(|f| f.label_zh()).collect();
        let ids: Vec<&str> = normalized.iter().map(|f| f.id()).collect();
        out.push(
            Finding::new(&V019, row.at)
                .arg("fields_zh", names.join("、"))
                .arg("fields_en", ids.join(", ")),
        );
    }
}

fn required(row: &ChangeRow<'_>, out: &mut Vec<Finding>) {
    let mut need = vec![Field::Name];
    if matches!(row.id_number, IdCell::Empty) {
        need.push(Field::IdNumber);
    }
    if row.map.has(Field::Change) {
        need.push(Field::Change);
    }
    // A sheet without the hire (leave) date column goes by its start (stop) month column,
    // or by the declared month; the sheet's H007 note says so.
    let by_column = |date: Field, month: Field| {
        if row.map.has(date) || !row.map.has(month) {
            date
        } else {
            month
        }
    };
    match row.kind() {
        Some(ChangeKind::Addition) => {
            need.extend([by_column(Field::HireDate, Field::StartMonth), Field::Base])
        }
        Some(ChangeKind::Reduction) => need.push(by_column(Field::LeaveDate, Field::StopMonth)),
        Some(ChangeKind::Information) | None => {}
    }
    need.retain(|f| row.map.has(*f) || matches!(f, Field::IdNumber | Field::Change | Field::Base));
    for f in need {
        let empty = match f {
            Field::Name => matches!(row.name, Value::Empty),
            Field::IdNumber => true,
            Field::Change => matches!(row.kind, Value::Empty),
            Field::HireDate => matches!(row.hire_date, Value::Empty),
            Field::Base => matches!(row.base, Value::Empty),
            Field::LeaveDate => matches!(row.leave_date, Value::Empty),
            Field::StartMonth => matches!(row.start_month, Value::Empty),
            Field::StopMonth => matches!(row.stop_month, Value::Empty),
            _ => false,
        };
        if empty {
            out.push(
                Finding::new(&V001, row.at(f))
                    .arg("field_zh", f.label_zh())
                    .arg("field_en", f.id()),
            );
        }
    }
}

fn unreadable(row: &ChangeRow<'_>, out: &mut Vec<Finding>) {
    let dates = [
        (
            Field::BirthDate,
            matches!(row.birth_date, Value::Invalid),
            false,
        ),
        (
            Field::HireDate,
            matches!(row.hire_date, Value::Invalid),
            false,
        ),
        (
            Field::LeaveDate,
            matches!(row.leave_date, Value::Invalid),
            false,
        ),
        (
            Field::StartMonth,
            matches!(row.start_month, Value::Invalid),
            true,
        ),
        (
            Field::StopMonth,
            matches!(row.stop_month, Value::Invalid),
            true,
        ),
    ];
    for (f, invalid, month) in dates {
        if invalid {
            out.push(
                Finding::new(&V010, row.at(f))
                    .arg("field_zh", f.label_zh())
                    .arg("field_en", f.id())
                    .arg("found", row.shown(f))
                    .arg("what_zh", if month { "年月" } else { "日期" })
                    .arg("what_en", if month { "month" } else { "date" }),
            );
        }
    }
    let bad_base = match &row.base {
        Value::Invalid => true,
        Value::Ok { value, .. } => value.is_sign_negative() || value.is_zero(),
        Value::Empty => false,
    };
    if bad_base {
        out.push(Finding::new(&V011, row.at(Field::Base)).arg("found", row.shown(Field::Base)));
    }
    if matches!(row.kind, Value::Invalid) {
        out.push(
            Finding::new(&V012, row.at(Field::Change))
                .arg("found", row.shown(Field::Change))
                .arg(
                    "accepted",
                    "增员/新参保/转入/add、减员/停保/停缴/转出/reduce，或 11|增员、12|减员",
                ),
        );
    }
    // A template without a reason column (Shanghai 转出盘片) is not asked for one; the
    // sheet's H007 note says so.
    if row.kind() == Some(ChangeKind::Reduction) && row.map.has(Field::Reason) {
        let found = match &row.reason {
            // 延长缴费 / 补缴中断 describe additions, not why someone leaves.
            Value::Ok { value, .. } if value.is_addition() => {
                Some((row.shown(Field::Reason), row.shown(Field::Reason)))
            }
            Value::Ok { .. } => None,
            Value::Empty => Some(("（空）".to_string(), "(empty)".to_string())),
            Value::Invalid => Some((row.shown(Field::Reason), row.shown(Field::Reason))),
        };
        if let Some((zh, en)) = found {
            let closest = row.vocab.closest_reasons(&row.shown(Field::Reason), 3);
            let (near_zh, near_en) = if closest.is_empty() {
                let all = Reason::ALL.map(|r| r.label_zh()).join("、");
                (
                    format!("可用：{all}"),
                    format!("accepted (Chinese labels): {all}"),
                )
            } else {
                (
                    format!("最接近的已知原因：{}", closest.join("、")),
                    format!("closest known reasons: {}", closest.join(", ")),
                )
            };
            out.push(
                Finding::new(&V013, row.at(Field::Reason))
                    .arg("found_zh", zh)
                    .arg("found_en", en)
                    .arg("closest_zh", near_zh)
                    .arg("closest_en", near_en),
            );
        }
    }
}

/// V020: a 参加险种 cell that names something other than the insurances.
fn insurances(row: &ChangeRow<'_>, out: &mut Vec<Finding>) {
    if matches!(row.insurances, Value::Invalid) {
        out.push(Finding::new(&V020, row.at(Field::Cover)).arg("found", row.shown(Field::Cover)));
    }
}

fn against_id(row: &ChangeRow<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(info) = &facts.id else { return };
    if let (Some(id_sex), Some(col_sex)) = (info.sex, ok(&row.sex)) {
        if id_sex != *col_sex {
            out.push(
                Finding::new(&V008, row.at(Field::Sex))
                    .arg("found", row.shown(Field::Sex))
                    .arg("expected_zh", id_sex.label_zh())
                    .arg("expected_en", id_sex.label_en()),
            );
        }
    }
    if let (Some(id_birth), Some(col_birth)) = (info.birth, ok(&row.birth_date)) {
        if id_birth != *col_birth {
            out.push(
                Finding::new(&V009, row.at(Field::BirthDate))
                    .arg("found", col_birth)
                    .arg("expected", id_birth),
            );
        }
    }
}

/// Names are free text, so this only flags what is clearly a typing or export artefact.
fn name(row: &ChangeRow<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(name) = ok(&row.name) else { return };
    let resident = facts
        .id
        .as_ref()
        .is_some_and(|i| i.detected == ids::DocType::ResidentId);
    let problem: Option<(&str, &str)> = if name.chars().any(|c| c.is_ascii_digit()) {
        Some(("含有数字", "it contains digits"))
    } else if resident && name.chars().any(|c| c.is_ascii_alphabetic()) {
        Some((
            "居民身份证持有人的姓名含拉丁字母",
            "Latin letters in the name of a resident-ID holder",
        ))
    } else if name
        .chars()
        .any(|c| matches!(c, '•' | '.' | '・' | '▪' | '∙' | '．'))
    {
        Some((
            "间隔号应为「·」（U+00B7）",
            "the middle dot should be `·` (U+00B7)",
        ))
    } else if has_stray_space(name) {
        Some(("含有多余空格", "it contains stray spaces"))
    } else {
        None
    };
    if let Some((zh, en)) = problem {
        out.push(
            Finding::new(&V014, row.at(Field::Name))
                .arg("found", name)
                .arg("detail_zh", zh)
                .arg("detail_en", en),
        );
    }
}

/// A space between two Chinese characters, or two spaces in a row.
fn has_stray_space(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    chars.windows(2).any(|w| w[0] == ' ' && w[1] == ' ')
        || chars
            .windows(3)
            .any(|w| w[1].is_whitespace() && !w[0].is_ascii() && !w[2].is_ascii())
}

fn phone(row: &ChangeRow<'_>, out: &mut Vec<Finding>) {
    let Some(phone) = ok(&row.phone) else { return };
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let valid =
        digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        out.push(Finding::new(&V015, row.at(Field::Phone)).arg("found", phone.as_ref()));
    }
}

fn employer(row: &ChangeRow<'_>, _ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(code) = ok(&row.employer) else {
        return;
    };
    // A local unit number (单位编号) is not a credit code; only 18-character values are.
    let compact: String = code.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if compact.chars().count() != 18 {
        return;
    }
    if let Err(p) = ids::check_uscc(&compact) {
        let (zh, en) = match p {
            ids::UsccProblem::Length { found } => (
                format!("长度应为 18，实为 {found}"),
                format!("length should be 18, found {found}"),
            ),
            ids::UsccProblem::Chars { position, found } => (
                format!("第 {position} 位「{found}」不是允许的字符"),
                format!("character {position} (`{found}`) is not allowed"),
            ),
            ids::UsccProblem::CheckChar { expected, found } => (
                format!("校验位应为 {expected}，实为 {found}"),
                format!("check character should be {expected}, found {found}"),
            ),
            ids::UsccProblem::OrgCode { expected, found } => (
                format!("其中组织机构代码校验位应为 {expected}，实为 {found}"),
                format!(
                    "the embedded organisation code's check should be {expected}, found {found}"
                ),
            ),
        };
        out.push(
            Finding::new(&V016, row.at(Field::Employer))
                .arg("found", code.as_ref())
                .arg("detail_zh", zh)
                .arg("detail_en", en),
        );
    }
}

/// The retirement age of a woman depends on her category; without it the earlier age is
/// assumed, which matters for additions and for retirements.
fn category(row: &ChangeRow<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let female = facts.id.as_ref().and_then(|i| i.sex) == Some(Sex::Female);
    let relevant = match row.kind() {
        Some(ChangeKind::Addition) => true,
        Some(ChangeKind::Reduction) => ok(&row.reason) == Some(&Reason::Retire),
        Some(ChangeKind::Information) | None => false,
    };
    if female && relevant && ok(&row.category).is_none() {
        let shown = row.shown(Field::Category);
        let (zh, en) = if shown.is_empty() {
            ("（空）".to_string(), "(empty)".to_string())
        } else {
            (shown.clone(), shown)
        };
        out.push(
            Finding::new(&V018, row.at(Field::Category))
                .arg("found_zh", zh)
                .arg("found_en", en),
        );
    }
}

pub static V001: Rule = Rule {
    code: "V001",
    severity: Severity::Error,
    title_zh: "必填项为空",
    title_en: "a required value is empty",
    message_zh: "必填项「{field}」为空",
    message_en: "required value `{field}` is empty",
    hint_zh: "请补填后重新提交",
    hint_en: "fill it in and re-run",
    basis: "",
};

pub static V008: Rule = Rule {
    code: "V008",
    severity: Severity::Error,
    title_zh: "性别与证件号码不符",
    title_en: "the sex column disagrees with the ID number",
    message_zh: "性别填写为「{found}」，但证件号码显示为{expected}",
    message_en: "the sex column says `{found}` but the ID number says {expected}",
    hint_zh: "请核对性别或证件号码",
    hint_en: "check the sex or the ID number",
    basis: "5.1",
};

pub static V009: Rule = Rule {
    code: "V009",
    severity: Severity::Error,
    title_zh: "出生日期与证件号码不符",
    title_en: "the birth-date column disagrees with the ID number",
    message_zh: "出生日期填写为 {found}，但证件号码显示为 {expected}",
    message_en: "the birth date says {found} but the ID number says {expected}",
    hint_zh: "请核对出生日期或证件号码",
    hint_en: "check the birth date or the ID number",
    basis: "5.1",
};

pub static V010: Rule = Rule {
    code: "V010",
    severity: Severity::Error,
    title_zh: "日期或年月无法识别",
    title_en: "a date or month cannot be read",
    message_zh: "「{field}」无法识别为{what}：「{found}」",
    message_en: "`{field}` cannot be read as a {what}: `{found}`",
    hint_zh:
        "可用格式：2025-07-01、2025/7/1、20250701、2025年7月1日；年月：2025-07、202507、2025年7月",
    hint_en:
        "accepted: 2025-07-01, 2025/7/1, 20250701, 2025年7月1日; months: 2025-07, 202507, 2025年7月",
    basis: "",
};

pub static V011: Rule = Rule {
    code: "V011",
    severity: Severity::Error,
    title_zh: "缴费基数不是正数",
    title_en: "the contribution base is not a number, or is zero or negative",
    message_zh: "缴费基数「{found}」不是大于零的数字",
    message_en: "contribution base `{found}` is not a number above zero",
    hint_zh: "请填写月缴费基数，如 8123.45",
    hint_en: "enter the monthly base, e.g. 8123.45",
    basis: "3.1",
};

pub static V012: Rule = Rule {
    code: "V012",
    severity: Severity::Error,
    title_zh: "无法识别的变动类型",
    title_en: "unknown change type",
    message_zh: "无法识别的变动类型「{found}」",
    message_en: "unknown change type `{found}`",
    hint_zh: "可用：{accepted}",
    hint_en: "accepted: {accepted}",
    basis: "",
};

pub static V013: Rule = Rule {
    code: "V013",
    severity: Severity::Error,
    title_zh: "减员原因缺失或无法识别",
    title_en: "unknown or missing reduction reason",
    message_zh: "减员原因「{found}」无法识别",
    message_en: "reduction reason `{found}` is not known",
    hint_zh: "{closest}（全部代码表见 docs/code-lists.md，可在布局文件的 [codes] 中补充）",
    hint_en: "{closest} (every code list is in docs/code-lists.md; add yours under [codes] in a layout file)",
    basis: "2.8",
};

pub static V014: Rule = Rule {
    code: "V014",
    severity: Severity::Warning,
    title_zh: "姓名疑似有误",
    title_en: "the name looks wrong",
    message_zh: "姓名「{found}」疑似有误：{detail}",
    message_en: "the name `{found}` looks wrong: {detail}",
    hint_zh: "请与证件上的姓名核对",
    hint_en: "compare it with the name on the document",
    basis: "7",
};

pub static V015: Rule = Rule {
    code: "V015",
    severity: Severity::Warning,
    title_zh: "手机号码不是以 1 开头的 11 位数字",
    title_en: "mobile number is not 11 digits starting with 1",
    message_zh: "手机号码「{found}」不是以 1 开头的 11 位数字",
    message_en: "mobile number `{found}` is not 11 digits starting with 1",
    hint_zh: "",
    hint_en: "",
    basis: "",
};

pub static V016: Rule = Rule {
    code: "V016",
    severity: Severity::Error,
    title_zh: "统一社会信用代码校验失败（GB 32100 / GB 11714）",
    title_en:
        "the employer's unified social credit code fails GB 32100 or its embedded GB 11714 check",
    message_zh: "统一社会信用代码「{found}」无效：{detail}",
    message_en: "unified social credit code `{found}` is invalid: {detail}",
    hint_zh: "请对照营业执照核对",
    hint_en: "check it against the business licence",
    basis: "5.4",
};

pub static V018: Rule = Rule {
    code: "V018",
    severity: Severity::Warning,
    title_zh: "女职工缺少人员类别（工人/干部），按工人（原退休年龄 50 岁）处理",
    title_en: "a woman's retirement category (worker/cadre) is missing; worker (age 50) assumed",
    message_zh: "女职工的人员类别为「{found}」，无法确定原法定退休年龄，已按工人（50 岁）处理",
    message_en: "the woman's category is `{found}`, so her original retirement age is unknown; worker (50) was assumed",
    hint_zh: "请在「个人身份」列填写 工人 或 干部",
    hint_en: "fill in worker (工人) or cadre (干部) in the category column",
    basis: "4.2",
};

pub static V019: Rule = Rule {
    code: "V019",
    severity: Severity::Warning,
    title_zh: "已规范化全角字符或首尾空格",
    title_en: "full-width characters or surrounding spaces were normalised",
    message_zh: "以下字段中的全角字符或首尾空格已自动规范化：{fields}",
    message_en: "full-width characters or surrounding spaces were normalised in: {fields}",
    hint_zh: "建议在源表中一并修正",
    hint_en: "consider fixing the source too",
    basis: "",
};

pub static V020: Rule = Rule {
    code: "V020",
    severity: Severity::Error,
    title_zh: "参加险种无法识别",
    title_en: "the insurances enrolled (参加险种) cannot be read",
    message_zh: "参加险种「{found}」无法识别；可用：养老、医疗、失业、工伤、生育，用顿号或逗号分隔；单工伤；五险",
    message_en: "insurances `{found}` cannot be read; accepted: 养老, 医疗, 失业, 工伤, 生育 separated by 、 or commas; 单工伤; 五险",
    hint_zh: "",
    hint_en: "",
    basis: "2.2",
};

pub static V022: Rule = Rule {
    code: "V022",
    severity: Severity::Error,
    title_zh: "医疗保险档次无法识别",
    title_en: "the medical tier (医疗保险档次) cannot be read",
    message_zh: "医疗保险档次「{found}」无法识别；可用：一档、二档、三档、不参加（深圳模板代码 1、2、4、0）",
    message_en: "medical tier `{found}` cannot be read; accepted: 一档, 二档, 三档, 不参加 (Shenzhen template codes 1, 2, 4, 0)",
    hint_zh: "",
    hint_en: "",
    basis: "2.2",
};

pub static RULES: [&Rule; 14] = [
    &V001, &V008, &V009, &V010, &V011, &V012, &V013, &V014, &V015, &V016, &V018, &V019, &V020,
    &V022,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_spaces() {
        assert!(has_stray_space("张 三"));
        assert!(has_stray_space("Anna  Li"));
        assert!(!has_stray_space("Anna Li"));
        assert!(!has_stray_space("阿依古丽·买买提"));
    }
}
