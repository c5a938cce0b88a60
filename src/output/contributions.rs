//! `contributions.csv`: one line per employee per contribution month, and the run's totals.

use std::io::Write;

use rust_decimal::Decimal;

use super::cells::{money, CsvOut};
use super::summary::{ContributionTotals, InsuranceTotal};
use crate::calendar::Month;
use crate::contributions::charge::{Basis, MonthCharge};
use crate::contributions::MonthAmounts;
use crate::error::Error;

pub struct ContributionsCsv<W: Write> {
    out: CsvOut<W>,
    insurances: Vec<String>,
    totals: ContributionTotals,
}

impl<W: Write> ContributionsCsv<W> {
    /// `insurances`: the region's insurance ids in column order.
    pub fn new(w: W, insurances: Vec<String>) -> Result<Self, Error> {
        let mut header: Vec<String> = ["id_number", "name", "month", "kind", "base"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for i in &insurances {
            header.push(format!("{i}_employer"));
            header.push(format!("{i}_employee"));
        }
        header.push("employer_total".into());
        header.push("employee_total".into());
        // Appended last so that readers of the older columns keep working.
        header.push("basis".into());
        header.push("late_fee_days".into());
        let refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let totals = ContributionTotals {
            by_insurance: insurances
                .iter()
                .map(|i| InsuranceTotal {
                    insurance: i.clone(),
                    employer: Decimal::ZERO,
                    employee: Decimal::ZERO,
                })
                .collect(),
            ..ContributionTotals::default()
        };
        Ok(ContributionsCsv {
            out: CsvOut::new(w, super::CONTRIBUTIONS, &refs)?,
            insurances,
            totals,
        })
    }

    pub fn write(
        &mut self,
        id: &str,
        name: &str,
        month: Month,
        backpay: bool,
        a: &MonthAmounts,
    ) -> Result<(), Error> {
        self.write_with_basis(id, name, month, backpay, a, Basis::Declared)
    }

    /// A contribution line whose base came from `basis`.
    pub fn write_with_basis(
        &mut self,
        id: &str,
        name: &str,
        month: Month,
        backpay: bool,
        a: &MonthAmounts,
        basis: Basis,
    ) -> Result<(), Error> {
        self.line(
            id,
            name,
            month,
            if backpay { "backpay" } else { "regular" },
            a,
            basis,
        )?;
        self.totals.employer_total += a.employer_total;
        self.totals.employee_total += a.employee_total;
        self.totals.lines += 1;
        Ok(())
    }

    /// A top-up (补差) line: the difference owed for a month declared at the old figures.
    /// Counted in `topup`, not in the run's totals.
    pub fn write_topup(
        &mut self,
        id: &str,
        name: &str,
        month: Month,
        a: &MonthAmounts,
    ) -> Result<(), Error> {
        self.line(id, name, month, "topup", a, Basis::Declared)?;
        let t = self.totals.topup.get_or_insert_with(Default::default);
        t.lines += 1;
        t.employer_total += a.employer_total;
        t.employee_total += a.employee_total;
        Ok(())
    }

    fn line(
        &mut self,
        id: &str,
        name: &str,
        month: Month,
        kind: &str,
        a: &MonthAmounts,
        basis: Basis,
    ) -> Result<(), Error> {
        self.out
            .text(id)
            .text(name)
            .num(month)
            .num(kind)
            .num(money(a.base));
        for (i, ins) in self.insurances.iter().enumerate() {
            let (er, ee) = a.item(ins).map_or((Decimal::ZERO, Decimal::ZERO), |it| {
                (it.employer, it.employee)
            });
            self.out.num(money(er)).num(money(ee));
            if kind == "topup" {
                continue;
            }
            if let Some(t) = self.totals.by_insurance.get_mut(i) {
                t.employer += er;
                t.employee += ee;
            }
        }
        self.out
            .num(money(a.employer_total))
            .num(money(a.employee_total))
            .num(basis.id())
            .num("");
        self.out.end()
    }

    /// The late fee of one back-pay month, if it has one: the insurance columns are empty
    /// (the fee is charged on the month's whole amount), the employer owes it all.
    /// Counted in `late_fees`, not in the run's totals.
    pub fn write_late_fee(&mut self, id: &str, name: &str, c: &MonthCharge) -> Result<(), Error> {
        let Some((fee, days)) = c.late_fee else {
            return Ok(());
        };
        self.out
            .text(id)
            .text(name)
            .num(c.month)
            .num("late_fee")
            .num(money(c.amounts.base));
        for _ in &self.insurances {
            self.out.num("").num("");
        }
        self.out
            .num(money(fee))
            .num(money(Decimal::ZERO))
            .num(c.basis.id())
            .num(days);
        self.totals.late_fees.employer_total += fee;
        self.totals.late_fees.lines += 1;
        self.out.end()
    }

    pub fn finish(mut self) -> Result<ContributionTotals, Error> {
        for t in &mut self.totals.by_insurance {
            t.employer.rescale(2);
            t.employee.rescale(2);
        }
        self.totals.employer_total.rescale(2);
        self.totals.employee_total.rescale(2);
        if let Some(t) = &mut self.totals.topup {
            t.employer_total.rescale(2);
            t.employee_total.rescale(2);
        }
        self.totals.late_fees.employer_total.rescale(2);
        self.out.finish()?;
        Ok(self.totals)
    }
}
