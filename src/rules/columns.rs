//! H007 notes: a sheet without a column (a date, the reason) that some rules would use
//! says which checks it skipped, instead of passing them silently.

use crate::finding::{At, Finding};
use crate::input::header::{Field, H007};
use crate::input::plan;
use crate::model::ChangeKind;

/// H007 notes for a sheet without a column (a date, the reason) the rules would use.
pub fn missing_dates(
    data: &plan::SheetData,
    sheet: &str,
    period: crate::calendar::Month,
    at: At,
) -> Vec<Finding> {
    let map = &data.header.map;
    let may = |k: ChangeKind| data.kind.is_none_or(|d| d == k);
    let mut out = Vec::new();
    let note = |field: Field, zh: String, en: String| {
        Finding::new(&H007, at)
            .arg("sheet", sheet)
            .arg("field_zh", field.label_zh())
            .arg("field_en", field.id())
            .arg("effect_zh", zh)
            .arg("effect_en", en)
    };
    if may(ChangeKind::Addition) && !map.has(Field::HireDate) {
        out.push(if map.has(Field::StartMonth) {
            note(
                Field::HireDate,
                "增员以参保年月列为准，需要入职日期的检查（如 30 日内办理）已跳过".into(),
                "additions go by the start-month column; checks that need the hire date (e.g. the 30-day limit) are skipped".into(),
            )
        } else {
            note(
                Field::HireDate,
                format!("也没有参保年月列，增员的参保年月按申报月份 {period} 计，需要入职日期的检查已跳过"),
                format!("nor a start-month column: additions start in the declared month {period}; checks that need the hire date are skipped"),
            )
        });
    }
    if may(ChangeKind::Reduction) && data.kind.is_some() && !map.has(Field::LeaveDate) {
        out.push(if map.has(Field::StopMonth) {
            note(
                Field::LeaveDate,
                "减员以停缴年月列为准，需要离职日期的检查已跳过".into(),
                "reductions go by the stop-month column; checks that need the leave date are skipped".into(),
            )
        } else {
            note(
                Field::LeaveDate,
                format!("也没有停缴年月列，减员自申报月份 {period} 起停缴，需要离职日期的检查已跳过"),
                format!("nor a stop-month column: reductions stop from the declared month {period}; checks that need the leave date are skipped"),
            )
        });
    }
    if may(ChangeKind::Reduction) && data.kind.is_some() && !map.has(Field::Reason) {
        out.push(note(
            Field::Reason,
            "减员不检查原因，依赖原因的检查（如退休、死亡）已跳过".into(),
            "reductions are taken without a reason; checks that depend on it (retirement, death) are skipped".into(),
        ));
    }
    out
}
