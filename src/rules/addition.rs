//! A001–A013: additions (增员) — age, retirement, registration deadline, contribution
//! months, roster conflicts and the base's floor and ceiling.

use rust_decimal::Decimal;

use super::retirement::{retirement, Schedule};
use super::{Context, Facts};
use crate::calendar::Month;
use crate::finding::{Finding, Rule, Severity};
use crate::input::header::Field;
use crate::model::{Hukou, Reason, RosterStatus};
use crate::policy::{InsuranceId, Region};
use crate::rows::{ok, ChangeRow};

pub fn check(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    age(row, facts, out);
    dates(row, facts, ctx, out);
    months(row, facts, ctx, out);
    roster(row, facts, ctx, out);
    medical_tier(row, facts, ctx, out);
    if let (Some(region), Some(base), Some(start)) = (ctx.region, ok(&row.base), facts.start_month)
    {
        if *base > Decimal::ZERO {
            limits(row, region, *base, start, ctx.period, out);
        }
    }
}

/// A017: a medical tier the region's policy has no rates for in some charged months (they
/// are charged at tier 1); A018: a tier open to non-local hukou only, chosen by a local one.
fn medical_tier(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(tier) = ok(&row.medical_tier).copied() else {
        return;
    };
    let (Some(n), Some(region), Some(start)) = (tier.number(), ctx.region, facts.start_month)
    else {
        return;
    };
    if n == 1 {
        return;
    }
    let last = start.max(ctx.period);
    let tier_in = |m: Month| {
        region
            .period(m)
            .and_then(|p| p.insurance(InsuranceId::MEDICAL.as_str()))
            .and_then(|i| i.tier(n))
    };
    let mut spans: Vec<(Month, Month)> = Vec::new();
    for m in start.through(last).filter(|m| tier_in(*m).is_none()) {
        match spans.last_mut() {
            Some((_, to)) if to.plus(1) == m => *to = m,
            _ => spans.push((m, m)),
        }
    }
    let at = row.at(Field::MedicalTier);
    if !spans.is_empty() {
        let months: Vec<String> = spans
            .iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}–{b}")
                }
            })
            .collect();
        out.push(
            Finding::new(&A017, at)
                .arg("tier", tier.label_zh())
                .arg("region", region.name())
                .arg("months", months.join(", ")),
        );
    }
    let local = ok(&row.hukou)
        .and_then(|h| row.vocab.hukou(h))
        .is_some_and(|h| matches!(h, Hukou::LocalUrban | Hukou::LocalRural));
    if local
        && start
            .through(last)
            .any(|m| tier_in(m).is_some_and(|t| t.nonlocal_only))
    {
        out.push(
            Finding::new(&A018, at)
                .arg("tier", tier.label_zh())
                .arg("hukou", row.shown(Field::Hukou)),
        );
    }
}

/// Where a month finding points: the start-month column when there is one, else the hire date.
fn month_field(row: &ChangeRow<'_>) -> Field {
    if row.map.has(Field::StartMonth) {
        Field::StartMonth
    } else {
        Field::HireDate
    }
}

fn age(row: &ChangeRow<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(birth) = facts.birth else { return };
    if let Some(hire) = ok(&row.hire_date) {
        let age = birth.age_on(*hire);
        if age < 16 {
            out.push(
                Finding::new(&A001, row.at(Field::HireDate))
                    .arg("age", age)
                    .arg("hire", hire),
            );
        } else if age < 18 {
            out.push(
                Finding::new(&A002, row.at(Field::HireDate))
                    .arg("age", age)
                    .arg("hire", hire),
            );
        }
    }
    let (Some(sex), Some(start)) = (facts.sex, facts.start_month) else {
        return;
    };
    let r = retirement(
        birth.month_of(),
        Schedule::of(sex, ok(&row.category).copied()),
    );
    if start >= r.month {
        // 延长缴费: lawful past the age to reach the minimum contribution years (社保法
        // Art. 16); accepted with a note instead of the error.
        let rule = if ok(&row.reason) == Some(&Reason::Extend) {
            &A015
        } else {
            &A003
        };
        out.push(
            Finding::new(rule, row.at(Field::IdNumber))
                .arg("start", start)
                .arg("age_zh", r.age_zh())
                .arg("age_en", r.age_en())
                .arg("month", r.month),
        );
    }
}

fn dates(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(hire) = ok(&row.hire_date) else {
        return;
    };
    let days = hire.days_until(ctx.as_of);
    if days > 30 {
        out.push(
            Finding::new(&A004, row.at(Field::HireDate))
                .arg("hire", hire)
                .arg("as_of", ctx.as_of)
                .arg("days", days),
        );
    }
    if days < 0 {
        out.push(
            Finding::new(&A013, row.at(Field::HireDate))
                .arg("hire", hire)
                .arg("as_of", ctx.as_of),
        );
    }
    if let Some(given) = ok(&row.start_month) {
        if *given > hire.month_of() {
            let months: Vec<String> = hire
                .month_of()
                .through(given.plus(-1))
                .map(|m| m.to_string())
                .collect();
            out.push(
                Finding::new(&A014, row.at(Field::StartMonth))
                    .arg("start", given)
                    .arg("hire", hire)
                    .arg("months", months.join(", ")),
            );
        }
    }
    if let Some(start) = facts.start_month {
        if start < hire.month_of() {
            out.push(
                Finding::new(&A005, row.at(Field::StartMonth))
                    .arg("start", start)
                    .arg("hire_month", hire.month_of()),
            );
        }
    }
}

fn months(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(start) = facts.start_month else {
        return;
    };
    let at = row.at(month_field(row));
    if start > ctx.period {
        out.push(
            Finding::new(&A010, at)
                .arg("start", start)
                .arg("period", ctx.period),
        );
        return;
    }
    let backpay = start.months_until(ctx.period);
    if backpay <= 0 {
        return;
    }
    let list: Vec<String> = start
        .through(ctx.period.plus(-1))
        .map(|m| m.to_string())
        .collect();
    out.push(
        Finding::new(&A009, at)
            .arg("start", start)
            .arg("period", ctx.period)
            .arg("months", list.join(", ")),
    );
    if let (Some(region), Some(Reason::Interrupted)) = (ctx.region, ok(&row.reason)) {
        let missing: Vec<String> = start
            .through(ctx.period.plus(-1))
            .filter_map(|m| {
                let year = crate::policy::law::reference_year(region.period(m)?.from());
                region
                    .law()
                    .average_wage(year)
                    .is_none()
                    .then(|| format!("{m} ({year})"))
            })
            .collect();
        if !missing.is_empty() {
            out.push(
                Finding::new(&A016, row.at(Field::Reason))
                    .arg("region", region.name())
                    .arg("months", missing.join(", ")),
            );
        }
    }
    let limit = ctx
        .region
        .and_then(|r| r.period(ctx.period))
        .map(|p| p.retro_limit_months());
    if let Some(limit) = limit {
        if backpay as u32 > limit {
            out.push(
                Finding::new(&A011, at)
                    .arg("n", backpay)
                    .arg("start", start)
                    .arg("limit", limit),
            );
        }
    }
}

fn roster(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (Some(roster), Some(i)) = (ctx.roster, facts.roster) else {
        return;
    };
    let Some(entry) = roster.entries.get(i) else {
        return;
    };
    let at = row.at(Field::IdNumber);
    match entry.status {
        RosterStatus::Active => out.push(
            Finding::new(&A006, at)
                .arg("roster", &roster.file)
                .arg("roster_row", entry.row)
                .arg(
                    "since",
                    entry.start_month.map(|m| m.to_string()).unwrap_or_default(),
                ),
        ),
        RosterStatus::Stopped => {
            let (Some(stop), Some(start)) = (entry.stop_month, facts.start_month) else {
                return;
            };
            let gap = stop.months_until(start);
            if gap >= 3 {
                out.push(
                    Finding::new(&A012, at)
                        .arg("stop", stop)
                        .arg("start", start)
                        .arg("gap", gap),
                );
            }
        }
    }
}

/// A007/A008 against the pension floor and ceiling of every policy period the charged
/// months fall in (a back-pay addition may cross a July base adjustment).
fn limits(
    row: &ChangeRow<'_>,
    region: &Region,
    base: Decimal,
    start: Month,
    period: Month,
    out: &mut Vec<Finding>,
) {
    let mut low = Vec::new();
    let mut high = Vec::new();
    let mut last_from = None;
    for m in start.min(period).through(period) {
        let Some(p) = region.period(m) else { continue };
        if last_from == Some(p.from()) {
            continue;
        }
        last_from = Some(p.from());
        if let Some(floor) = p.floor("pension").filter(|f| base < *f) {
            low.push(format!("{m}: {floor}"));
        }
        if let Some(ceiling) = p.ceiling("pension").filter(|c| base > *c) {
            high.push(format!("{m}: {ceiling}"));
        }
    }
    if !low.is_empty() {
        out.push(
            Finding::new(&A007, row.at(Field::Base))
                .arg("base", base)
                .arg("limits", low.join("; ")),
        );
    }
    if !high.is_empty() {
        out.push(
            Finding::new(&A008, row.at(Field::Base))
                .arg("base", base)
                .arg("limits", high.join("; ")),
        );
    }
}

pub static A001: Rule = Rule {
    code: "A001",
    severity: Severity::Error,
    title_zh: "入职时未满 16 周岁",
    title_en: "under 16 at the hire date",
    message_zh: "入职日期 {hire} 时年龄为 {age} 岁，未满 16 周岁",
    message_en: "aged {age} on the hire date {hire}: under 16",
    hint_zh: "用人单位不得招用未满十六周岁的未成年人，请核对出生日期或证件号码",
    hint_en: "employers may not hire anyone under 16; check the birth date or ID number",
    basis: "1.2",
};

pub static A002: Rule = Rule {
    code: "A002",
    severity: Severity::Warning,
    title_zh: "入职时 16 或 17 周岁（未成年工）",
    title_en: "16 or 17 at the hire date (juvenile worker)",
    message_zh: "入职日期 {hire} 时年龄为 {age} 岁，属未成年工",
    message_en: "aged {age} on the hire date {hire}: a juvenile worker",
    hint_zh: "未成年工不得从事禁忌劳动，并须定期体检",
    hint_en: "restricted work and health checks apply",
    basis: "1.2",
};

pub static A003: Rule = Rule {
    code: "A003",
    severity: Severity::Error,
    title_zh: "首次缴费月已达到或超过法定退休年龄（2025 年改革后）",
    title_en: "at or past the statutory retirement age (2025 reform) in the first contribution month",
    message_zh: "法定退休年龄为 {age}（{month} 达到），首次缴费月 {start} 已达到或超过",
    message_en: "the statutory retirement age is {age} (reached in {month}); the first contribution month {start} is at or past it",
    hint_zh: "返聘的退休人员一般只参加工伤保险，请按单工伤办理",
    hint_en: "re-employed retirees are normally enrolled for work injury only",
    basis: "4",
};

pub static A004: Rule = Rule {
    code: "A004",
    severity: Severity::Warning,
    title_zh: "入职超过 30 天才登记",
    title_en: "registered more than 30 days after the hire date",
    message_zh: "入职日期 {hire} 至处理日期 {as_of} 已 {days} 天，超过 30 天的登记期限",
    message_en: "{days} days from the hire date {hire} to the processing date {as_of}: past the 30-day limit",
    hint_zh: "此前月份需补缴",
    hint_en: "the earlier months must be paid as back-pay",
    basis: "1.1 Art. 58",
};

pub static A005: Rule = Rule {
    code: "A005",
    severity: Severity::Error,
    title_zh: "首次缴费月早于入职月份",
    title_en: "first contribution month earlier than the hire month",
    message_zh: "首次缴费月 {start} 早于入职月份 {hire_month}",
    message_en: "first contribution month {start} is before the hire month {hire_month}",
    hint_zh: "参保年月不能早于入职",
    hint_en: "contributions cannot start before employment",
    basis: "6.1",
};

pub static A006: Rule = Rule {
    code: "A006",
    severity: Severity::Error,
    title_zh: "名册中已在保（重复增员）",
    title_en: "already enrolled according to the roster (duplicate addition)",
    message_zh: "参保名册 {roster} 第 {roster_row} 行显示此人已在保（自 {since} 起）",
    message_en:
        "the roster {roster} (row {roster_row}) lists this person as enrolled (since {since})",
    hint_zh: "无需重复增员；如为调整基数，请走基数调整",
    hint_en: "no addition is needed; a base change is a separate adjustment",
    basis: "6.1",
};

pub static A007: Rule = Rule {
    code: "A007",
    severity: Severity::Warning,
    title_zh: "缴费基数低于下限，按下限计算",
    title_en: "base below the floor for that month: the floor was used",
    message_zh: "缴费基数 {base} 低于缴费基数下限（{limits}），已按下限计算",
    message_en: "base {base} is below the floor ({limits}); the floor was used",
    hint_zh: "申报时请按下限填写",
    hint_en: "declare the floor",
    basis: "3.1",
};

pub static A008: Rule = Rule {
    code: "A008",
    severity: Severity::Warning,
    title_zh: "缴费基数高于上限，按上限计算",
    title_en: "base above the ceiling for that month: the ceiling was used",
    message_zh: "缴费基数 {base} 高于缴费基数上限（{limits}），已按上限计算",
    message_en: "base {base} is above the ceiling ({limits}); the ceiling was used",
    hint_zh: "申报时请按上限填写",
    hint_en: "declare the ceiling",
    basis: "3.1",
};

pub static A009: Rule = Rule {
    code: "A009",
    severity: Severity::Warning,
    title_zh: "首次缴费月早于申报月份：需补缴",
    title_en: "first contribution month earlier than the declared period: back-pay",
    message_zh: "首次缴费月 {start} 早于申报月份 {period}，需补缴 {months}（各月按当月政策计算）",
    message_en: "first contribution month {start} is before the period {period}: back-pay for {months}, each at that month's policy",
    hint_zh: "补缴可能产生滞纳金（每日万分之五）",
    hint_en: "late fees of 0.05% a day may apply",
    basis: "6.3",
};

pub static A010: Rule = Rule {
    code: "A010",
    severity: Severity::Error,
    title_zh: "首次缴费月晚于申报月份",
    title_en: "first contribution month later than the declared period",
    message_zh: "首次缴费月 {start} 晚于申报月份 {period}",
    message_en: "first contribution month {start} is after the declared period {period}",
    hint_zh: "请在 {start} 的申报中办理",
    hint_en: "declare it in {start}",
    basis: "6.1",
};

pub static A011: Rule = Rule {
    code: "A011",
    severity: Severity::Error,
    title_zh: "补缴超过政策允许的月数",
    title_en: "back-pay would reach further back than the policy's retro limit",
    message_zh: "自 {start} 起需补缴 {n} 个月，超过政策允许的 {limit} 个月",
    message_en: "{n} months of back-pay from {start}, more than the policy's limit of {limit}",
    hint_zh: "超期补缴须向经办机构单独申请",
    hint_en: "older back-pay needs a separate application to the agency",
    basis: "6.3",
};

pub static A012: Rule = Rule {
    code: "A012",
    severity: Severity::Warning,
    title_zh: "断缴 3 个月以上后再次增员：医保可能有待遇等待期",
    title_en: "re-addition after a gap of 3 or more months: a medical waiting period may apply",
    message_zh: "名册显示此人 {stop} 停保，至 {start} 间断 {gap} 个月",
    message_en: "the roster shows this person stopped in {stop}; {gap} months to {start}",
    hint_zh: "断缴后再参保，医保可能设有待遇等待期",
    hint_en: "after a break, medical benefits may start only after a waiting period",
    basis: "6.4",
};

pub static A013: Rule = Rule {
    code: "A013",
    severity: Severity::Warning,
    title_zh: "入职日期晚于处理日期",
    title_en: "hire date later than the as-of date",
    message_zh: "入职日期 {hire} 晚于处理日期 {as_of}",
    message_en: "hire date {hire} is after the processing date {as_of}",
    hint_zh: "请确认入职日期",
    hint_en: "check the hire date",
    basis: "",
};

pub static A014: Rule = Rule {
    code: "A014",
    severity: Severity::Warning,
    title_zh: "首次缴费月晚于入职月份：入职当月起的月份按补缴计算",
    title_en: "first contribution month later than the hire month: the months from the hire month are charged as back-pay",
    message_zh: "入职日期 {hire}，首次缴费月却为 {start}；用人单位应自用工之日起三十日内为职工办理社会保险登记，{months} 已按补缴计算，申报的参保年月改为入职月份",
    message_en: "hired on {hire} but the first contribution month is {start}; the employer must register within 30 days of hiring, so {months} are charged as back-pay and the declared start month is the hire month",
    hint_zh: "如入职日期有误，请更正入职日期",
    hint_en: "if the hire date is wrong, correct it",
    basis: "1.1 Art. 58",
};

pub static A015: Rule = Rule {
    code: "A015",
    severity: Severity::Warning,
    title_zh: "已达到法定退休年龄，按延长缴费受理",
    title_en: "past the statutory retirement age, accepted as extended contribution (延长缴费)",
    message_zh: "法定退休年龄为 {age}（{month} 达到），首次缴费月 {start} 已达到或超过；原因为延长缴费（继续缴费至满最低缴费年限），已受理",
    message_en: "the statutory retirement age is {age} (reached in {month}) and the first contribution month {start} is at or past it; the reason is extended contribution (to reach the minimum contribution years), so the row is accepted",
    hint_zh: "请确认此人累计缴费年限不足最低缴费年限",
    hint_en: "make sure the person's contribution years are below the minimum",
    basis: "1.1 Art. 16; 4.4",
};

pub static A016: Rule = Rule {
    code: "A016",
    severity: Severity::Warning,
    title_zh: "补缴中断：政策缺少上年度社会平均工资，按申报基数计算",
    title_en: "back-pay of an interruption: the policy lacks the previous year's average wage, so the declared base was used",
    message_zh: "{region} 政策中没有以下补缴月份所需的上年度职工平均工资：{months}；这些月份已按申报基数计算",
    message_en: "the {region} policy has no previous-year average wage for these back-pay months: {months}; they were charged on the declared base",
    hint_zh: "用 --policy 补充 [[region.average_wage]]",
    hint_en: "add [[region.average_wage]] with --policy",
    basis: "6.3",
};

pub static A017: Rule = Rule {
    code: "A017",
    severity: Severity::Warning,
    title_zh: "所选医疗保险档次在政策中没有单独费率，按一档计算",
    title_en: "the medical tier chosen has no rates of its own in the policy; charged as tier 1",
    message_zh: "{region} 在 {months} 的政策中没有医疗保险{tier}的费率，这些月份按一档计算",
    message_en: "the {region} policy has no rates for medical {tier} in {months}; those months are charged as tier 1",
    hint_zh: "核对档次；如当地有此档次，用 --policy 补充 [….medical.tier.N]",
    hint_en: "check the tier; where the city has it, add [….medical.tier.N] with --policy",
    basis: "2.2",
};

pub static A018: Rule = Rule {
    code: "A018",
    severity: Severity::Warning,
    title_zh: "本地户籍人员选择了仅限非本地户籍的医疗保险档次",
    title_en: "a local-hukou person chose a medical tier open to non-local hukou only",
    message_zh: "医疗保险{tier}仅限非本地户籍人员参加，而户籍为「{hukou}」；经办机构可能不予受理",
    message_en: "medical {tier} is open to non-local hukou only, and the hukou is `{hukou}`; the bureau may refuse it",
    hint_zh: "本地户籍人员按一档参保",
    hint_en: "local-hukou employees enrol in tier 1",
    basis: "2.2",
};

pub static RULES: [&Rule; 18] = [
    &A001, &A002, &A003, &A004, &A005, &A006, &A007, &A008, &A009, &A010, &A011, &A012, &A013,
    &A014, &A015, &A016, &A017, &A018,
];
