//! The statutory retirement age under the gradual reform in force from 2025-01-01
//! (domain notes §4): men 60 → 63 and women whose original age was 55 → 58, one month later
//! for every four months of birth; women whose original age was 50 → 55, one month later for
//! every two months of birth.

use crate::calendar::Month;
use crate::model::{Category, Sex};

/// Which schedule a person follows.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Schedule {
    Male,
    /// Women whose original age was 55 (cadres, management and technical posts).
    Female55,
    /// Women whose original age was 50 (workers).
    Female50,
}

impl Schedule {
    /// The schedule for a person; a woman without a category follows the earlier age (50),
    /// which V018 reports.
    pub fn of(sex: Sex, category: Option<Category>) -> Schedule {
        match (sex, category) {
            (Sex::Male, _) => Schedule::Male,
            (Sex::Female, Some(Category::Cadre)) => Schedule::Female55,
            (Sex::Female, _) => Schedule::Female50,
        }
    }

    /// (original age in years, birth months per month of delay, maximum delay in months,
    /// first birth month affected)
    fn params(self) -> (i32, i32, i32, Month) {
        match self {
            Schedule::Male => (60, 4, 36, Month::january(1965)),
            Schedule::Female55 => (55, 4, 36, Month::january(1970)),
            Schedule::Female50 => (50, 2, 60, Month::january(1975)),
        }
    }

    pub fn original_age(self) -> i32 {
        self.params().0
    }
}

/// A statutory retirement: the age in months and the month it is reached.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Retirement {
    pub age_months: i32,
    pub month: Month,
}

impl Retirement {
    /// The age as a person says it: `60岁3个月` / `60 y 3 m`.
    pub fn age_zh(self) -> String {
        match self.age_months % 12 {
            0 => format!("{}岁", self.age_months / 12),
            m => format!("{}岁{}个月", self.age_months / 12, m),
        }
    }

    pub fn age_en(self) -> String {
        match self.age_months % 12 {
            0 => format!("{} years", self.age_months / 12),
            m => format!("{} years {} months", self.age_months / 12, m),
        }
    }
}

/// The statutory retirement for someone born in `birth` on `schedule`.
pub fn retirement(birth: Month, schedule: Schedule) -> Retirement {
    let (years, step, cap, first) = schedule.params();
    // Counting the first affected birth month as 1.
    let k = first.months_until(birth) + 1;
    let delay = if k <= 0 {
        0
    } else {
        ((k + step - 1) / step).min(cap)
    };
    let age_months = years * 12 + delay;
    Retirement {
        age_months,
        month: birth.plus(age_months),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    /// Every row of the domain notes' table §4.3 (copied as data: birth, schedule, age in
    /// months, retirement month).
    #[test]
    fn matches_the_published_vectors() {
        use Schedule::*;
        let rows = [
            ("1964-12", Male, 720, "2024-12"),
            ("1965-01", Male, 721, "2025-02"),
            ("1965-04", Male, 721, "2025-05"),
            ("1965-05", Male, 722, "2025-07"),
            ("1965-12", Male, 723, "2026-03"),
            ("1976-08", Male, 755, "2039-07"),
            ("1976-09", Male, 756, "2039-09"),
            ("1995-12", Male, 756, "2058-12"),
            ("1969-12", Female55, 660, "2024-12"),
            ("1970-01", Female55, 661, "2025-02"),
            ("1971-04", Female55, 664, "2026-08"),
            ("1981-09", Female55, 696, "2039-09"),
            ("1974-12", Female50, 600, "2024-12"),
            ("1975-01", Female50, 601, "2025-02"),
            ("1975-03", Female50, 602, "2025-05"),
            ("1984-10", Female50, 659, "2039-09"),
            ("1984-11", Female50, 660, "2039-11"),
            ("1995-12", Female50, 660, "2050-12"),
        ];
        for (birth, schedule, age, month) in rows {
            let r = retirement(m(birth), schedule);
            assert_eq!(
                (r.age_months, r.month),
                (age, m(month)),
                "{birth} {schedule:?}"
            );
        }
    }

    #[test]
    fn boundaries_of_each_schedule() {
        use Schedule::*;
        // (schedule, last unaffected birth month, step, cap, first capped birth month)
        let cases = [
            (Male, "1964-12", 4, 36, "1976-09"),
            (Female55, "1969-12", 4, 36, "1981-09"),
            (Female50, "1974-12", 2, 60, "1984-11"),
        ];
        for (s, last_unaffected, step, cap, first_capped) in cases {
            let base = s.original_age() * 12;
            let before = m(last_unaffected);
            assert_eq!(
                retirement(before, s).age_months,
                base,
                "{s:?} before the reform"
            );
            // Each step: the delay grows by one month every `step` birth months.
            for k in 1..=(cap * step) {
                let got = retirement(before.plus(k), s).age_months - base;
                assert_eq!(got, (k + step - 1) / step, "{s:?} k={k}");
            }
            let capped = m(first_capped);
            assert_eq!(retirement(capped, s).age_months, base + cap);
            assert_eq!(retirement(capped.plus(-1), s).age_months, base + cap - 1);
            assert_eq!(retirement(capped.plus(600), s).age_months, base + cap);
        }
    }

    #[test]
    fn women_without_category_follow_the_earlier_age() {
        assert_eq!(Schedule::of(Sex::Female, None), Schedule::Female50);
        assert_eq!(
            Schedule::of(Sex::Female, Some(Category::Cadre)),
            Schedule::Female55
        );
        assert_eq!(
            Schedule::of(Sex::Male, Some(Category::Worker)),
            Schedule::Male
        );
    }

    #[test]
    fn ages_read_naturally() {
        let r = retirement(m("1965-12"), Schedule::Male);
        assert_eq!(r.age_zh(), "60岁3个月");
        assert_eq!(r.age_en(), "60 years 3 months");
        assert_eq!(retirement(m("1960-01"), Schedule::Male).age_zh(), "60岁");
    }

    proptest! {
        #[test]
        fn later_birth_never_retires_earlier(y in 1940i32..2010, mo in 1u32..=12, s in 0usize..3) {
            let s = [Schedule::Male, Schedule::Female55, Schedule::Female50][s];
            let b = Month::new(y, mo).unwrap();
            let a = retirement(b, s);
            let n = retirement(b.plus(1), s);
            prop_assert!(n.month > a.month);
            prop_assert!(n.age_months >= a.age_months);
        }
    }
}
