//! P001–P003: findings about the policy a run uses. P001 is reported once per policy
//! period used; P002 and P003 stop the run (they are `PolicyError`s) and are listed here so
//! the catalogue names them.

use crate::calendar::Month;
use crate::finding::{At, Finding, Rule, Severity};
use crate::policy::{law, PolicySet, Region};

/// Figures shown in one P001 message before "…"; the summary lists them all.
const SHOWN: usize = 6;

/// One P001 per policy period used by the months of this run.
pub fn unconfirmed(policy: &PolicySet, region: &Region, months: &[Month]) -> Vec<Finding> {
    let refs = policy.unconfirmed(region, months.iter().copied());
    let mut out = Vec::new();
    let mut periods: Vec<Month> = refs.iter().map(|r| r.period_from).collect();
    periods.dedup();
    for from in periods {
        let group: Vec<_> = refs.iter().filter(|r| r.period_from == from).collect();
        let names: Vec<String> = group
            .iter()
            .take(SHOWN)
            .map(|r| match r.insurance {
                Some(i) => format!("{}.{}", i.as_str(), r.figure),
                None => r.figure.to_string(),
            })
            .collect();
        let more = if group.len() > SHOWN { "…" } else { "" };
        out.push(
            Finding::new(&P001, At::RUN)
                .arg("region", region.name())
                .arg("from", from)
                .arg("n", group.len())
                .arg("figures", format!("{}{more}", names.join(", "))),
        );
    }
    out
}

pub static P001: Rule = Rule {
    code: "P001",
    severity: Severity::Warning,
    title_zh: "所用政策数据未经官方来源确认或已过期",
    title_en: "a policy figure used is not confirmed from an official source, or not verified this contribution year",
    message_zh: "{region} 自 {from} 起的政策有 {n} 项数据未经官方来源确认或核实日期早于本缴费年度：{figures}",
    message_en: "{n} figures of the {region} policy from {from} are not confirmed from an official source or not verified this contribution year: {figures}",
    hint_zh: "用 headcount policy 查看来源；用 --policy 提供经核实的数据",
    hint_en: "see the sources with `headcount policy`; supply verified figures with --policy",
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

/// P004, once per policy period used whose pension floor or ceiling is not its share of
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
                Finding::new(&P004, At::RUN)
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

/// P005 when back-pay months were charged but the region has no late-fee terms.
pub fn late_fee_terms(region: &Region, backpay_months: usize) -> Option<Finding> {
    (backpay_months > 0 && region.law().late_fee.is_none()).then(|| {
        Finding::new(&P005, At::RUN)
            .arg("region", region.name())
            .arg("n", backpay_months)
    })
}

pub static P004: Rule = Rule {
    code: "P004",
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
    title_zh: "政策缺少滞纳金规定，补缴月份未计算滞纳金",
    title_en: "the policy has no late-fee terms: no late fee was computed for back-pay months",
    message_zh: "{region} 政策中没有 [region.late_fee]，{n} 个补缴人月未计算滞纳金（社会保险法第八十六条：按日加收万分之五）",
    message_en: "the {region} policy has no [region.late_fee], so {n} back-pay person-months carry no late fee (Social Insurance Law Art. 86: 0.05% a day)",
    hint_zh: "用 --policy 补充 [region.late_fee]",
    hint_en: "add [region.late_fee] with --policy",
    basis: "1.1 Art. 86",
};

pub static RULES: [&Rule; 5] = [&P001, &P002, &P003, &P004, &P005];
