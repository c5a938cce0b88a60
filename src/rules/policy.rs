//! P001–P007: findings about the policy a run uses. P001 (unconfirmed figures) and P004
//! (figures carried forward past the last published period) are reported once per run,
//! P005 (top-up after a late-published notice) once per person; P002 and P003 stop the
//! run (they are `PolicyError`s) and are listed here so the catalogue names them. P006
//! (limits against the average wage) once per period used, P007 (no late-fee terms) once.

use crate::calendar::Month;
use crate::finding::{At, Finding, Rule, Severity};
use crate::policy::{law, PolicySet, Region};

/// Figures shown in the P001 message before "…"; the summary lists them all.
const SHOWN: usize = 6;

/// P001, once per run: the figures used that are not confirmed, from every period used.
pub fn unconfirmed(policy: &PolicySet, region: &Region, months: &[Month]) -> Option<Finding> {
    let refs = policy.unconfirmed(region, months.iter().copied());
    if refs.is_empty() {
        return None;
    }
    let mut periods: Vec<Month> = refs.iter().map(|r| r.period_from).collect();
    periods.dedup();
    let names: Vec<String> = refs
        .iter()
        .take(SHOWN)
        .map(|r| format!("{} {}", r.period_from, r.key()))
        .collect();
    let more = if refs.len() > SHOWN { "…" } else { "" };
    Some(
        Finding::new(&P001, At::RUN)
            .arg("region", region.name())
            .arg(
                "periods",
                periods
                    .iter()
                    .map(Month::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .arg("n", refs.len())
            .arg("figures", format!("{}{more}", names.join(", "))),
    )
}

/// How many people of the run sit at the pension floor or ceiling of carried-forward
/// figures (their amounts move when the new figures are published).
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtLimits {
    pub at_floor: u64,
    pub at_ceiling: u64,
}

/// P004, once per run: months after the last published period use its figures.
pub fn carried_forward(region: &Region, months: &[Month], limits: AtLimits) -> Option<Finding> {
    let carried: Vec<Month> = months
        .iter()
        .copied()
        .filter(|m| region.carried(*m).is_some())
        .collect();
    let first = *carried.first()?;
    let period = region.carried(first)?;
    let to = period.to()?;
    let floor = period
        .floor("pension")
        .map(|d| d.to_string())
        .unwrap_or_default();
    let ceiling = period
        .ceiling("pension")
        .map(|d| d.to_string())
        .unwrap_or_default();
    Some(
        Finding::new(&P004, At::RUN)
            .arg("region", region.name())
            .arg("from", period.split_from())
            .arg("to", to)
            .arg("since", to.plus(1))
            .arg("months", carried.len())
            .arg("floor", floor)
            .arg("ceiling", ceiling)
            .arg("at_floor", limits.at_floor)
            .arg("at_ceiling", limits.at_ceiling),
    )
}

/// P005, one per person: the top-up owed for months declared at the figures in force
/// before a late-published period.
pub struct TopUp {
    pub region: String,
    pub period_from: Month,
    pub published: Month,
    /// First and last month owed.
    pub first: Month,
    pub last: Month,
    pub employer: rust_decimal::Decimal,
    pub employee: rust_decimal::Decimal,
}

pub fn top_up(t: &TopUp) -> Finding {
    Finding::new(&P005, At::RUN)
        .arg("region", &t.region)
        .arg("from", t.period_from)
        .arg("published", t.published)
        .arg("first", t.first)
        .arg("last", t.last)
        .arg("employer", t.employer)
        .arg("employee", t.employee)
}

pub static P001: Rule = Rule {
    code: "P001",
    severity: Severity::Warning,
    title_zh: "所用政策数据已公布但未经确认",
    title_en: "policy figures used are published but not confirmed",
    message_zh: "{region} 本次所用政策（{periods} 起的期间）有 {n} 项数据未经确认：{figures}",
    message_en: "{n} figures of the {region} policy used by this run (periods from {periods}) are not confirmed: {figures}",
    hint_zh: "headcount policy confirm --region {region} --period 月份 生成列出这些数据的政策文件；核对官方文件、填写来源并把 confidence 改为 confirmed 后用 --policy 提供，即不再提示",
    hint_en: "`headcount policy confirm --region {region} --period YYYY-MM` writes a policy file listing these figures; check them against the notice, fill in the source, set confidence = \"confirmed\" and pass the file with --policy: the warning then stops",
    basis: "3",
};

pub static P002: Rule = Rule {
    code: "P002",
    severity: Severity::Fatal,
    title_zh: "没有覆盖该地区和月份的政策",
    title_en: "no policy covers the region and a month this run needs",
    message_zh: "没有覆盖 {region} {month} 的政策",
    message_en: "no policy covers {region} in {month}",
    hint_zh: "用 --policy 补充该期间",
    hint_en: "add the period with --policy",
    basis: "3",
};

pub static P003: Rule = Rule {
    code: "P003",
    severity: Severity::Fatal,
    title_zh: "用户政策文件无效",
    title_en: "the user policy file is invalid",
    message_zh: "政策文件 {file} 无效：{problems}",
    message_en: "policy file {file} is invalid: {problems}",
    hint_zh: "用 headcount policy check 逐项检查",
    hint_en: "check it with `headcount policy check`",
    basis: "3",
};

pub static P004: Rule = Rule {
    code: "P004",
    severity: Severity::Warning,
    title_zh: "新缴费基数尚未公布，沿用上一期政策",
    title_en: "no figures published for the month: the last published figures are carried forward",
    message_zh: "{region} 的政策只公布到 {to}：本次 {since} 及以后的 {months} 个月沿用 {from}–{to} 的数据（养老基数下限 {floor}、上限 {ceiling}）；本次有 {at_floor} 人按下限、{at_ceiling} 人按上限缴费，新基数公布后其金额将变化",
    message_en: "the {region} policy is published up to {to}: this run's months from {since} on ({months}) use the figures of {from}–{to} (pension floor {floor}, ceiling {ceiling}); {at_floor} people pay at the floor and {at_ceiling} at the ceiling, and their amounts will change when the new figures are published",
    hint_zh: "新通知公布后，按 docs/policy.md 的五个步骤加入新期间；确认沿用旧数据的，可在政策文件中把该期间的 to 延长",
    hint_en: "when the new notice appears, add the period (docs/policy.md, five steps); to confirm the old figures still apply, extend the period's `to` in a policy file",
    basis: "3",
};

/// P006, once per policy period used whose pension floor or ceiling is not its share of
/// the average wage it derives from (`policy::law::check_limits`).
pub fn wage_limits(region: &Region, months: &[Month]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut last = None;
    for m in months {
        let Some(p) = region.period(*m) else { continue };
        if last == Some(p.from()) {
            continue;
        }
        last = Some(p.from());
        let (Some(floor), Some(ceiling)) = (p.floor("pension"), p.ceiling("pension")) else {
            continue;
        };
        for x in law::check_limits(region.law(), p.from(), floor, ceiling) {
            let (zh, en) = match x.limit {
                "floor" => ("下限", "floor"),
                _ => ("上限", "ceiling"),
            };
            out.push(
                Finding::new(&P006, At::RUN)
                    .arg("region", region.name())
                    .arg("from", p.from())
                    .arg("limit_zh", zh)
                    .arg("limit_en", en)
                    .arg("value", x.value)
                    .arg("expected", x.expected)
                    .arg("year", x.year)
                    .arg("wage", x.wage)
                    .arg("tolerance", x.tolerance),
            );
        }
    }
    out
}

/// P007 when back-pay months were charged but the region has no late-fee terms.
pub fn late_fee_terms(region: &Region, backpay_months: usize) -> Option<Finding> {
    (backpay_months > 0 && region.law().late_fee.is_none()).then(|| {
        Finding::new(&P007, At::RUN)
            .arg("region", region.name())
            .arg("n", backpay_months)
    })
}

pub static P006: Rule = Rule {
    code: "P006",
    severity: Severity::Warning,
    title_zh: "缴费基数上下限与上年度平均工资的比例不符",
    title_en: "a base floor or ceiling is not its share (60% / 300%) of the previous year's average wage",
    message_zh: "{region} 自 {from} 起的养老缴费基数{limit} {value} 与 {year} 年平均工资 {wage} 推算的 {expected} 相差超过 {tolerance} 元",
    message_en: "the {region} pension base {limit} from {from}, {value}, differs from {expected} (from the {year} average wage {wage}) by more than {tolerance} yuan",
    hint_zh: "核对政策数据中的上下限或平均工资；用 headcount policy 查看来源",
    hint_en: "check the limits or the average wage in the policy data; see the sources with `headcount policy`",
    basis: "3.1",
};

pub static P005: Rule = Rule {
    code: "P005",
    severity: Severity::Warning,
    title_zh: "新缴费基数晚于执行月份公布，需补差",
    title_en: "figures published after they took effect: a top-up is owed",
    message_zh: "{region} 自 {from} 起执行的缴费基数于 {published} 公布；{first}–{last} 已按旧基数申报，应补差：单位 {employer} 元，个人 {employee} 元",
    message_en: "the {region} figures in force from {from} were published in {published}; {first}–{last} were declared at the old figures, and a top-up is owed: employer {employer}, employee {employee}",
    hint_zh: "补差金额见 contributions.csv 中 kind 为 topup 的行；已补缴的可忽略",
    hint_en: "the amounts are the `topup` lines of contributions.csv; ignore if already paid",
    basis: "3",
};

pub static P007: Rule = Rule {
    code: "P007",
    severity: Severity::Warning,
    title_zh: "政策缺少滞纳金规定，补缴月份未计算滞纳金",
    title_en: "the policy has no late-fee terms: no late fee was computed for back-pay months",
    message_zh: "{region} 政策中没有 [region.late_fee]，{n} 个补缴人月未计算滞纳金（社会保险法第八十六条：按日加收万分之五）",
    message_en: "the {region} policy has no [region.late_fee], so {n} back-pay person-months carry no late fee (Social Insurance Law Art. 86: 0.05% a day)",
    hint_zh: "用 --policy 补充 [region.late_fee]",
    hint_en: "add [region.late_fee] with --policy",
    basis: "1.1 Art. 86",
};

pub static RULES: [&Rule; 7] = [&P001, &P002, &P003, &P004, &P005, &P006, &P007];
