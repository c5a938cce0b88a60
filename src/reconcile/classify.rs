//! Every cell of the bill and of the expected side ends matched or in exactly one
//! difference class, with both values and the likely cause.
//!
//! Order of the passes: same person, insurance, part, kind and month (base, then amount
//! compared); a bill cell without a month against the same person's cells of any month;
//! the same cell in another month (month differs); what is left is billed-not-expected,
//! unexpected back-pay or refund, or expected-not-billed.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::matching::{Cell, CellKey};
use super::model::{Kind, Part};
use crate::calendar::Month;
use crate::finding::{Rule, Severity};

/// One side of a difference.
#[derive(Clone, Debug)]
pub struct Side {
    pub month: Option<Month>,
    pub kind: Kind,
    pub base: Option<Decimal>,
    pub amount: Decimal,
    pub lines: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct Difference {
    pub rule: &'static Rule,
    pub person: u32,
    pub insurance: &'static str,
    pub part: Part,
    pub billed: Option<Side>,
    pub expected: Option<Side>,
}

impl Difference {
    /// Billed minus expected.
    pub fn difference(&self) -> Decimal {
        self.billed.as_ref().map_or(Decimal::ZERO, |s| s.amount)
            - self.expected.as_ref().map_or(Decimal::ZERO, |s| s.amount)
    }
}

/// What became of each line.
#[derive(Copy, Clone, Debug)]
pub enum Status {
    Matched,
    Differs(&'static Rule),
    /// An expected line of an insurance and part no bill covers.
    NotCovered,
}

pub struct Outcome {
    pub differences: Vec<Difference>,
    pub bill_status: Vec<Status>,
    pub expected_status: Vec<Status>,
}

impl PartialEq for Status {
    fn eq(&self, other: &Status) -> bool {
        match (self, other) {
            (Status::Matched, Status::Matched) | (Status::NotCovered, Status::NotCovered) => true,
            (Status::Differs(a), Status::Differs(b)) => a.code == b.code,
            _ => false,
        }
    }
}

fn side(k: &CellKey, c: &Cell) -> Side {
    Side {
        month: k.month,
        kind: k.kind,
        base: c.base,
        amount: c.amount,
        lines: c.lines.clone(),
    }
}

/// The rounding unit allowed for one insurance, part and month (zero when unknown).
pub type Tolerance<'a> = dyn Fn(&str, Part, Option<Month>) -> Decimal + 'a;

/// Compares the two sides' cells. `covered`: the (insurance, part) pairs the bills bill;
/// `bill_people`, `expected_people`: the person keys of each side.
pub fn classify(
    bill: BTreeMap<CellKey, Cell>,
    mut expected: BTreeMap<CellKey, Cell>,
    covered: &BTreeSet<(&'static str, Part)>,
    n_bill: usize,
    n_expected: usize,
    tolerance: &Tolerance<'_>,
) -> Outcome {
    let mut out = Outcome {
        differences: Vec::new(),
        bill_status: vec![Status::Matched; n_bill],
        expected_status: vec![Status::Matched; n_expected],
    };
    let expected_people: BTreeSet<u32> = expected.keys().map(|k| k.person).collect();
    // Expected cells no bill covers are not compared.
    expected.retain(|k, c| {
        let keep = covered.contains(&(k.insurance, k.part));
        if !keep {
            for &i in &c.lines {
                out.expected_status[i] = Status::NotCovered;
            }
        }
        keep
    });
    let push =
        |out: &mut Outcome, rule: &'static Rule, k: &CellKey, b: Option<Side>, e: Option<Side>| {
            for s in b.iter() {
                for &i in &s.lines {
                    out.bill_status[i] = Status::Differs(rule);
                }
            }
            for s in e.iter() {
                for &i in &s.lines {
                    out.expected_status[i] = Status::Differs(rule);
                }
            }
            out.differences.push(Difference {
                rule,
                person: k.person,
                insurance: k.insurance,
                part: k.part,
                billed: b,
                expected: e,
            });
        };
    let compare = |k: &CellKey, b: &Side, e: &Side| -> Option<&'static Rule> {
        if let (Some(x), Some(y)) = (b.base, e.base) {
            if x != y {
                return Some(&C003);
            }
        }
        let tol = tolerance(k.insurance, k.part, k.month.or(e.month));
        let diff = (b.amount - e.amount).abs();
        // Within rounding: less than one rounding step apart; nothing else is forgiven.
        (diff > Decimal::ZERO && diff >= tol).then_some(&C004)
    };

    // 1. Same cell on both sides.
    let mut left_bill: Vec<(CellKey, Cell)> = Vec::new();
    for (k, c) in bill {
        match expected.remove(&k) {
            Some(e) => {
                let (b, e) = (side(&k, &c), side(&k, &e));
                if let Some(rule) = compare(&k, &b, &e) {
                    push(&mut out, rule, &k, Some(b), Some(e));
                }
            }
            None => left_bill.push((k, c)),
        }
    }

    // 2. A bill cell without a month against the same person's cells of every month.
    let mut left2 = Vec::new();
    for (k, c) in left_bill {
        if k.month.is_some() {
            left2.push((k, c));
            continue;
        }
        let same: Vec<CellKey> = expected
            .keys()
            .filter(|e| {
                e.person == k.person
                    && e.insurance == k.insurance
                    && e.part == k.part
                    && e.kind == k.kind
            })
            .cloned()
            .collect();
        if same.is_empty() {
            left2.push((k, c));
            continue;
        }
        let mut sum = Cell::default();
        for e in &same {
            if let Some(c) = expected.remove(e) {
                sum.amount += c.amount;
                sum.lines.extend(c.lines);
            }
        }
        let b = side(&k, &c);
        let mut e = side(&k, &sum);
        e.month = same.first().and_then(|k| k.month);
        if let Some(rule) = compare(&k, &b, &e) {
            push(&mut out, rule, &k, Some(b), Some(e));
        }
    }

    // 3. The same cell in another month.
    let mut left3 = Vec::new();
    for (k, c) in left2 {
        let other = expected
            .keys()
            .find(|e| {
                e.person == k.person
                    && e.insurance == k.insurance
                    && e.part == k.part
                    && e.kind == k.kind
                    && e.month != k.month
            })
            .cloned();
        match other.and_then(|o| expected.remove_entry(&o)) {
            Some((ek, ec)) => push(
                &mut out,
                &C006,
                &k,
                Some(side(&k, &c)),
                Some(side(&ek, &ec)),
            ),
            None => left3.push((k, c)),
        }
    }

    // 4. Billed, nothing expected: a back-pay or refund of a known person, else 漏减.
    for (k, c) in left3 {
        let rule = if expected_people.contains(&k.person) && k.kind != Kind::Regular {
            &C005
        } else {
            &C001
        };
        push(&mut out, rule, &k, Some(side(&k, &c)), None);
    }
    // 5. Expected, not billed: 漏增.
    for (k, c) in std::mem::take(&mut expected) {
        push(&mut out, &C002, &k, None, Some(side(&k, &c)));
    }
    out
}

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

/// The difference classes, in report order.
pub static CLASSES: [&Rule; 6] = [&C001, &C002, &C003, &C004, &C005, &C006];

pub static RULES: [&Rule; 10] = [
    &C001,
    &C002,
    &C003,
    &C004,
    &C005,
    &C006,
    &super::bill::C010,
    &super::bill::C011,
    &super::bill::C012,
    &C013,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn key(person: u32, month: Option<Month>, kind: Kind) -> CellKey {
        CellKey {
            person,
            insurance: "pension",
            part: Part::Employer,
            kind,
            month,
        }
    }

    fn cell(amount: &str, line: usize) -> Cell {
        Cell {
            amount: amount.parse().unwrap(),
            base: None,
            lines: vec![line],
        }
    }

    fn codes(
        bill: Vec<(CellKey, Cell)>,
        expected: Vec<(CellKey, Cell)>,
        unit: &str,
    ) -> Vec<&'static str> {
        let covered: BTreeSet<(&'static str, Part)> = [("pension", Part::Employer)].into();
        let unit: Decimal = unit.parse().unwrap();
        let (nb, ne) = (bill.len(), expected.len());
        let out = classify(
            bill.into_iter().collect(),
            expected.into_iter().collect(),
            &covered,
            nb,
            ne,
            &|_, _, _| unit,
        );
        out.differences.iter().map(|d| d.rule.code).collect()
    }

    #[test]
    fn less_than_one_rounding_step_is_equal_and_nothing_else_is_forgiven() {
        let m = Month::new(2025, 8);
        let k = key(0, m, Kind::Regular);
        // Jiao rounding: 0.05 apart is rounding; 0.10 is a difference.
        assert!(codes(
            vec![(k.clone(), cell("100.05", 0))],
            vec![(k.clone(), cell("100.00", 0))],
            "0.1"
        )
        .is_empty());
        assert_eq!(
            codes(
                vec![(k.clone(), cell("100.10", 0))],
                vec![(k.clone(), cell("100.00", 0))],
                "0.1"
            ),
            ["C004"]
        );
        // Fen rounding: one fen is a difference; with no policy, any difference is.
        assert_eq!(
            codes(
                vec![(k.clone(), cell("100.01", 0))],
                vec![(k.clone(), cell("100.00", 0))],
                "0.01"
            ),
            ["C004"]
        );
        assert_eq!(
            codes(
                vec![(k.clone(), cell("100.001", 0))],
                vec![(k, cell("100.00", 0))],
                "0"
            ),
            ["C004"]
        );
    }

    #[test]
    fn month_less_back_pay_compares_with_the_sum_of_the_months() {
        let b = key(0, None, Kind::Backpay);
        let e6 = key(0, Month::new(2025, 6), Kind::Backpay);
        let e7 = key(0, Month::new(2025, 7), Kind::Backpay);
        let got = codes(
            vec![(b, cell("300.00", 0))],
            vec![(e6, cell("100.00", 0)), (e7, cell("200.00", 1))],
            "0.01",
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn leftovers_are_month_back_pay_billed_or_expected() {
        let aug = Month::new(2025, 8);
        let sep = Month::new(2025, 9);
        let got = codes(
            vec![
                (key(0, sep, Kind::Regular), cell("1.00", 0)),
                (key(0, Month::new(2025, 5), Kind::Backpay), cell("2.00", 1)),
                (key(7, aug, Kind::Regular), cell("3.00", 2)),
            ],
            vec![
                (key(0, aug, Kind::Regular), cell("1.00", 0)),
                (key(1, aug, Kind::Regular), cell("4.00", 1)),
            ],
            "0.01",
        );
        assert_eq!(got, ["C006", "C005", "C001", "C002"]);
    }
}
