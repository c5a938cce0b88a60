//! V002–V007 and V017: is the identity document number well-formed for its type?

use super::{shown_id, Context, Facts};
use crate::finding::{Finding, Rule, Severity};
use crate::ids::{self, DocType, IdProblem};
use crate::input::header::Field;
use crate::input::value::{IdCell, Value};
use crate::rows::key::PersonKey;
use crate::rows::ChangeRow;

pub fn check(row: &ChangeRow<'_>, ctx: &Context<'_>, out: &mut Vec<Finding>) -> Facts {
    let number_text = match &row.id_number {
        IdCell::Text { value, .. } => value.as_ref(),
        _ => "",
    };
    let declared = match &row.id_type {
        Value::Ok { value, .. } => Some(*value),
        // No type given: a number only one document has is that document.
        Value::Empty => Some(ids::implied(number_text)),
        Value::Invalid => {
            out.push(
                Finding::new(&V017, row.at(Field::IdType))
                    .arg("found", row.shown(Field::IdType))
                    .arg("accepted", DocType::ALL.map(|d| d.label_zh()).join("、")),
            );
            None
        }
    };
    let at = row.at(Field::IdNumber);
    let number = match &row.id_number {
        IdCell::Empty => {
            // V001 names the empty field; nothing more to check here.
            return Facts::default();
        }
        IdCell::Numeric { shown } => {
            out.push(Finding::new(&V005, at).arg("shown", shown_id(shown, ctx)));
            return Facts::default();
        }
        IdCell::Text { value, .. } => value.as_ref(),
    };
    let key = PersonKey::of(number);
    let Some(declared) = declared else {
        return Facts {
            key,
            ..Facts::default()
        };
    };
    match ids::check(declared, number, ctx.as_of) {
        Ok(info) => {
            if let Some(up) = &info.legacy15_upgrade {
                out.push(Finding::new(&V007, at).arg("upgraded", shown_id(up, ctx)));
            }
            Facts {
                id: Some(info),
                key,
                ..Facts::default()
            }
        }
        // 15 digits and `000`: the spreadsheet's doing, not a typo (V005, not V003).
        Err(_) if crate::rows::mangled::shown(&row.id_number).is_some() => {
            out.push(Finding::new(&V005, at).arg("shown", shown_id(number, ctx)));
            Facts::default()
        }
        Err(problem) => {
            out.push(problem_finding(&problem, declared, number, at, ctx));
            Facts {
                key,
                ..Facts::default()
            }
        }
    }
}

fn problem_finding(
    p: &IdProblem,
    declared: DocType,
    number: &str,
    at: crate::finding::At,
    ctx: &Context<'_>,
) -> Finding {
    let value = shown_id(number, ctx);
    let shape = |zh: String, en: String| {
        Finding::new(&V002, at)
            .arg("value", &value)
            .arg("doc_zh", declared.label_zh())
            .arg("doc_en", declared.label_en())
            .arg("detail_zh", zh)
            .arg("detail_en", en)
    };
    let date = |zh: String, en: String| {
        Finding::new(&V004, at)
            .arg("detail_zh", zh)
            .arg("detail_en", en)
    };
    match p {
        IdProblem::Length { found, expected } => shape(
            format!("应为 {expected} 位，实为 {found} 位"),
            format!("expected {expected} characters, found {found}"),
        ),
        IdProblem::Chars { position, found } => shape(
            format!("第 {position} 位「{found}」不是允许的字符"),
            format!("character {position} (`{found}`) is not allowed there"),
        ),
        IdProblem::CheckChar { expected, found } => Finding::new(&V003, at)
            .arg("expected", expected)
            .arg("found", found),
        IdProblem::BirthDate { text } => date(
            format!("出生日期 {text} 不存在"),
            format!("an impossible birth date {text}"),
        ),
        IdProblem::FutureBirth { birth } => date(
            format!("出生日期 {birth} 晚于处理日期"),
            format!("a birth date {birth} after the processing date"),
        ),
        IdProblem::Region { prefix } => date(
            format!("地区代码 {prefix} 不存在"),
            format!("an unknown region code {prefix}"),
        ),
        IdProblem::Nationality { code } => date(
            format!("国籍代码 {code} 不存在"),
            format!("an unknown nationality code {code}"),
        ),
        IdProblem::TypeMismatch { declared, detected } => Finding::new(&V006, at)
            .arg("declared_zh", declared.label_zh())
            .arg("declared_en", declared.label_en())
            .arg("detected_zh", detected.label_zh())
            .arg("detected_en", detected.label_en()),
    }
}

pub static V002: Rule = Rule {
    code: "V002",
    severity: Severity::Error,
    title_zh: "证件号码长度或字符不符合证件类型",
    title_en: "ID number has the wrong length or characters for its document type",
    message_zh: "证件号码「{value}」不符合{doc}的格式：{detail}",
    message_en: "ID number `{value}` does not fit the {doc} format: {detail}",
    hint_zh: "请对照证件重新填写",
    hint_en: "re-enter it from the document",
    basis: "5.1",
};

pub static V003: Rule = Rule {
    code: "V003",
    severity: Severity::Error,
    title_zh: "证件号码校验位错误（GB 11643 MOD 11-2）",
    title_en: "ID number check character is wrong (GB 11643 MOD 11-2)",
    message_zh: "证件号码校验位应为 {expected}，实为 {found}",
    message_en: "check character should be {expected}, found {found}",
    hint_zh: "常见原因是抄错一位或两位数字顺序颠倒，请对照证件核对",
    hint_en: "usually one digit is mistyped or two are swapped: check against the card",
    basis: "5.1",
};

pub static V004: Rule = Rule {
    code: "V004",
    severity: Severity::Error,
    title_zh: "证件号码含不存在或未来的出生日期，或未知的地区代码",
    title_en: "ID number holds an impossible or future birth date, or an unknown region prefix",
    message_zh: "证件号码中{detail}",
    message_en: "the ID number holds {detail}",
    hint_zh: "请对照证件核对",
    hint_en: "check it against the document",
    basis: "5.1",
};

pub static V005: Rule = Rule {
    code: "V005",
    severity: Severity::Error,
    title_zh: "证件号码以数字格式存储（精度丢失）",
    title_en: "ID number arrived as a spreadsheet number (precision lost)",
    message_zh: "证件号码被电子表格转成了数字（显示为 {shown}），末尾数字已丢失",
    message_en:
        "a spreadsheet turned the ID number into a number ({shown}); its last digits are lost",
    hint_zh: "请将该列设置为文本格式，再从来源重新粘贴证件号码",
    hint_en: "format the column as text and re-paste the numbers from the source",
    basis: "2.9",
};

pub static V006: Rule = Rule {
    code: "V006",
    severity: Severity::Error,
    title_zh: "证件类型与证件号码不符",
    title_en: "document type and number disagree",
    message_zh: "证件类型为「{declared}」，但号码是{detected}",
    message_en: "the document type is `{declared}` but the number is a {detected}",
    hint_zh: "请将证件类型改为「{detected}」",
    hint_en: "set the document type to `{detected}`",
    basis: "5.1, 5.2",
};

pub static V007: Rule = Rule {
    code: "V007",
    severity: Severity::Warning,
    title_zh: "15 位旧身份证号码",
    title_en: "legacy 15-digit ID number",
    message_zh: "15 位旧身份证号码，18 位号码应为 {upgraded}",
    message_en: "legacy 15-digit ID number; its 18-digit form is {upgraded}",
    hint_zh: "请改填 18 位号码",
    hint_en: "enter the 18-digit form",
    basis: "5.1",
};

pub static V017: Rule = Rule {
    code: "V017",
    severity: Severity::Error,
    title_zh: "无法识别的证件类型",
    title_en: "unknown document type",
    message_zh: "无法识别的证件类型「{found}」",
    message_en: "unknown document type `{found}`",
    hint_zh: "可用：{accepted}",
    hint_en: "accepted: {accepted}",
    basis: "2.8",
};

pub static RULES: [&Rule; 7] = [&V002, &V003, &V004, &V005, &V006, &V007, &V017];
