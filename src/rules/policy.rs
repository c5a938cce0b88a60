//! P001–P003: findings about the policy a run uses. P001 is reported once per policy
//! period used; P002 and P003 stop the run (they are `PolicyError`s) and are listed here so
//! the catalogue names them.

use crate::calendar::Month;
use crate::finding::{At, Finding, Rule, Severity};
use crate::policy::{PolicySet, Region};

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

pub static RULES: [&Rule; 3] = [&P001, &P002, &P003];
