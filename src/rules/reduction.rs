//! R001–R007: reductions (减员) — is the person enrolled, is the stop month plausible, does
//! a retirement match the statutory age, was it reported in time.

use super::retirement::{retirement, Schedule};
use super::{shown_id, Context, Facts};
use crate::calendar::Month;
use crate::finding::{Finding, Rule, Severity};
use crate::input::header::Field;
use crate::model::{Reason, RosterStatus};
use crate::rows::{ok, ChangeRow};

/// Flexible early retirement allows up to three years below the statutory age.
const FLEXIBLE_MONTHS: i32 = 36;
/// The year the retirement reform, and with it flexible early retirement, took effect.
const FLEXIBLE_FROM_YEAR: i32 = 2025;

pub fn check(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    roster(row, facts, ctx, out);
    stop_month(row, facts, ctx, out);
    retire(row, facts, out);
    if let Some(leave) = ok(&row.leave_date) {
        let days = leave.days_until(ctx.as_of);
        if days > 15 {
            out.push(
                Finding::new(&R006, row.at(Field::LeaveDate))
                    .arg("leave", leave)
                    .arg("as_of", ctx.as_of)
                    .arg("days", days),
            );
        }
    }
}

fn stop_field(row: &ChangeRow<'_>) -> Field {
    if row.map.has(Field::StopMonth) {
        Field::StopMonth
    } else {
        Field::LeaveDate
    }
}

fn roster(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (Some(roster), Some(_)) = (ctx.roster, &facts.key) else {
        return;
    };
    let at = row.at(Field::IdNumber);
    let Some(entry) = facts.roster.and_then(|i| roster.entries.get(i)) else {
        // A roster line mangled by a spreadsheet may be this person: V021 says so instead.
        if roster.mangled.could_be(row.id_text()) {
            return;
        }
        // A number an information change replaced: say which line holds the person now.
        let now = facts
            .key
            .as_ref()
            .and_then(|k| roster.position_by_former(k))
            .and_then(|p| roster.entries.get(p));
        let (zh, en) = match now {
            Some(e) => {
                (
                    format!(
                        "参保名册 {} 中此号码已更正为 {}（第 {} 行，{}），请用现证件号码减员",
                        roster.file,
                        shown_id(&e.id, ctx),
                        e.row,
                        e.name
                    ),
                    format!(
                        "in the roster {} this number was corrected to {} (row {}, {}); reduce by the current number",
                        roster.file,
                        shown_id(&e.id, ctx),
                        e.row,
                        e.name
                    ),
                )
            }
            None => (
                format!("参保名册 {} 中没有此人", roster.file),
                format!("the roster {} does not list this person", roster.file),
            ),
        };
        out.push(
            Finding::new(&R001, at)
                .arg("detail_zh", zh)
                .arg("detail_en", en),
        );
        return;
    };
    if entry.status == RosterStatus::Stopped {
        let since = entry.stop_month.map(|m| m.to_string()).unwrap_or_default();
        out.push(
            Finding::new(&R001, at)
                .arg(
                    "detail_zh",
                    format!(
                        "参保名册 {} 第 {} 行显示此人已于 {since} 停保",
                        roster.file, entry.row
                    ),
                )
                .arg(
                    "detail_en",
                    format!(
                        "the roster {} (row {}) shows this person stopped in {since}",
                        roster.file, entry.row
                    ),
                ),
        );
    }
    let name = row.name_text();
    if !name.is_empty() && !entry.name.is_empty() && *entry.name != *name {
        out.push(
            Finding::new(&R007, row.at(Field::Name))
                .arg("found", name)
                .arg("roster_name", &entry.name)
                .arg("roster_row", entry.row),
        );
    }
    if let (Some(first), Some(stop)) = (entry.start_month, facts.stop_month) {
        if stop < first {
            out.push(
                Finding::new(&R002, row.at(stop_field(row)))
                    .arg("stop", stop)
                    .arg("first", first)
                    .arg("source_zh", "名册")
                    .arg("source_en", "the roster"),
            );
        }
    }
}

fn stop_month(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // A stop month the file gives is what it asks for: out of range, it is an error even
    // when the region's reading would put it right (R008 says which month that is).
    let Some(stop) = ok(&row.stop_month).copied().or(facts.stop_month) else {
        return;
    };
    let at = row.at(stop_field(row));
    let latest = ctx.period.plus(1);
    if stop > latest {
        out.push(
            Finding::new(&R003, at)
                .arg(
                    "detail_zh",
                    format!("停缴年月 {stop} 晚于申报月份的次月 {latest}"),
                )
                .arg(
                    "detail_en",
                    format!("stop month {stop} is after the month following the period ({latest})"),
                ),
        );
    } else if let Some(limit) = ctx
        .region
        .and_then(|r| r.period(ctx.period))
        .map(|p| p.retro_limit_months())
    {
        let earliest = ctx.period.plus(-(limit as i32));
        if stop < earliest {
            out.push(
                Finding::new(&R003, at)
                    .arg("detail_zh", format!("停缴年月 {stop} 早于政策允许追溯的 {earliest}（{limit} 个月）"))
                    .arg("detail_en", format!("stop month {stop} is before {earliest}, the policy's retro limit of {limit} months")),
            );
        }
    }
    // Only a stop month the export gives can disagree with the leaving date. With a
    // region, its sourced reading decides (and is what is charged): R008; without, R005.
    if let (Some(given), Some(leave)) = (ok(&row.stop_month), ok(&row.leave_date)) {
        let lm = leave.month_of();
        let reading = ctx.region.and_then(|r| r.stop_month_for(lm));
        if let (Some(region), Some(policy)) = (ctx.region, reading) {
            if *given != policy {
                out.push(
                    Finding::new(&R008, row.at(Field::StopMonth))
                        .arg("stop", given)
                        .arg("leave", leave)
                        .arg("policy", policy)
                        .arg("region", region.name())
                        .arg(
                            "reading_zh",
                            if policy == lm {
                                "离职当月起停止缴费"
                            } else {
                                "离职次月起停止缴费（离职当月照常缴费）"
                            },
                        )
                        .arg(
                            "reading_en",
                            if policy == lm {
                                "charging stops in the leaving month"
                            } else {
                                "charging stops the month after leaving (the leaving month is charged)"
                            },
                        ),
                );
            }
        } else if *given != lm && *given != lm.plus(1) {
            out.push(
                Finding::new(&R005, row.at(Field::StopMonth))
                    .arg("stop", given)
                    .arg("leave", leave)
                    .arg("a", lm)
                    .arg("b", lm.plus(1)),
            );
        }
    }
}

fn retire(row: &ChangeRow<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    if ok(&row.reason) != Some(&Reason::Retire) {
        return;
    }
    let (Some(birth), Some(sex), Some(leave)) = (facts.birth, facts.sex, ok(&row.leave_date))
    else {
        return;
    };
    let r = retirement(
        birth.month_of(),
        Schedule::of(sex, ok(&row.category).copied()),
    );
    let schedule = Schedule::of(sex, ok(&row.category).copied());
    let leave_month = leave.month_of();
    let early = leave_month.months_until(r.month);
    if early > 0 {
        // Flexible early retirement exists only from the reform (2025-01) and never goes
        // below the original age (60 / 55 / 50) nor more than three years early.
        let original = birth.month_of().plus(schedule.original_age() * 12);
        let lawful = leave_month >= Month::january(FLEXIBLE_FROM_YEAR)
            && leave_month >= original
            && early <= FLEXIBLE_MONTHS;
        let f = Finding::new(&R004, row.at(Field::Reason))
            .arg("leave", leave_month)
            .arg("age_zh", r.age_zh())
            .arg("age_en", r.age_en())
            .arg("month", r.month)
            .arg("early", early)
            .arg("original", original);
        out.push(if lawful {
            f
        } else {
            f.severity(Severity::Error)
        });
    }
}

pub static R001: Rule = Rule {
    code: "R001",
    severity: Severity::Error,
    title_zh: "名册中无在保记录（无可减员）",
    title_en: "not enrolled according to the roster (nothing to reduce)",
    message_zh: "无法减员：{detail}",
    message_en: "nothing to reduce: {detail}",
    hint_zh: "核对证件号码，或确认此人是否已在其他批次减员",
    hint_en: "check the ID number, or whether the person was already reduced",
    basis: "7",
};

pub static R002: Rule = Rule {
    code: "R002",
    severity: Severity::Error,
    title_zh: "停缴年月早于参保年月（名册或本批次的增员）",
    title_en: "stop month earlier than the person's first contribution month (roster or this batch's addition)",
    message_zh: "停缴年月 {stop} 早于{source}中的参保年月 {first}",
    message_en: "stop month {stop} is before the first contribution month {first} in {source}",
    hint_zh: "",
    hint_en: "",
    basis: "7",
};

pub static R003: Rule = Rule {
    code: "R003",
    severity: Severity::Error,
    title_zh: "停缴年月超出允许范围",
    title_en: "stop month after the month following the period, or before the retro limit",
    message_zh: "{detail}",
    message_en: "{detail}",
    hint_zh: "未来月份的减员请在当月办理；更早的月份须向经办机构申请",
    hint_en: "declare future reductions in their month; older ones need the agency",
    basis: "6.2",
};

pub static R004: Rule = Rule {
    code: "R004",
    severity: Severity::Warning,
    title_zh: "以退休减员，但离职月份未到法定退休年龄（弹性提前退休之外为错误）",
    title_en: "reason is retirement but below the statutory age in the leaving month (an error outside flexible early retirement)",
    message_zh: "离职月份 {leave} 距法定退休（{age}，{month}）还有 {early} 个月",
    message_en: "the leaving month {leave} is {early} months before the statutory retirement ({age}, {month})",
    hint_zh: "弹性提前退休自 2025 年 1 月起实施，最多提前 3 年，且不得早于原法定退休年龄（本人为 {original}）；请核对减员原因或出生日期",
    hint_en: "flexible early retirement exists from 2025-01, allows at most 3 years, and never goes below the original retirement age (for this person {original}); check the reason or the birth date",
    basis: "4.4",
};

pub static R005: Rule = Rule {
    code: "R005",
    severity: Severity::Warning,
    title_zh: "停缴年月既非离职当月也非次月",
    title_en: "stop month is neither the leaving month nor the month after it",
    message_zh: "离职日期 {leave}，停缴年月应为 {a} 或 {b}，实为 {stop}",
    message_en: "left on {leave}: the stop month should be {a} or {b}, found {stop}",
    hint_zh: "",
    hint_en: "",
    basis: "6.2",
};

pub static R006: Rule = Rule {
    code: "R006",
    severity: Severity::Warning,
    title_zh: "离职超过 15 天才报减",
    title_en: "reported more than 15 days after the leaving date",
    message_zh: "离职日期 {leave} 至处理日期 {as_of} 已 {days} 天，超过 15 天",
    message_en:
        "{days} days from the leaving date {leave} to the processing date {as_of}: more than 15",
    hint_zh: "用人单位应在解除劳动关系之日起 15 日内告知经办机构",
    hint_en: "the law asks for the report within 15 days of termination",
    basis: "1.1 Art. 50",
};

pub static R007: Rule = Rule {
    code: "R007",
    severity: Severity::Error,
    title_zh: "姓名与名册不符",
    title_en: "the name differs from the roster's name for this ID number",
    message_zh: "姓名「{found}」与名册第 {roster_row} 行的「{roster_name}」不符",
    message_en: "the name `{found}` differs from `{roster_name}` in roster row {roster_row}",
    hint_zh: "核对姓名或证件号码",
    hint_en: "check the name or the ID number",
    basis: "7",
};

pub static R008: Rule = Rule {
    code: "R008",
    severity: Severity::Warning,
    title_zh: "停缴年月与本地政策的停缴口径不符，按政策口径计算",
    title_en: "the stop month differs from the region's stop-month reading; the reading is charged",
    message_zh: "离职日期 {leave}，停缴年月填写为 {stop}；{region} 的口径为{reading}，应为 {policy}；已按 {policy} 计算并申报",
    message_en: "left on {leave} with stop month {stop}; in {region} {reading}, so it is {policy}; {policy} was charged and declared",
    hint_zh: "请将停缴年月改为 {policy}，或用 --policy 提供有来源的本地口径",
    hint_en: "set the stop month to {policy}, or give a sourced local reading with --policy",
    basis: "6.2",
};

pub static RULES: [&Rule; 8] = [&R001, &R002, &R003, &R004, &R005, &R006, &R007, &R008];
