//! The month's cost by kind of line, read back from the staged `contributions.csv`.
//!
//! Reading the written file (not a second tally in the writer) shows every kind the file
//! holds — `regular`, `backpay`, `topup`, and any kind added later — without code changes.

use std::path::Path;

use rust_decimal::Decimal;

/// Sums of one kind of line (`regular`, `backpay`, `topup`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCost {
    pub kind: String,
    pub lines: u64,
    pub employer: Decimal,
    pub employee: Decimal,
    /// Per insurance, in the file's column order: (employer, employee).
    pub by_insurance: Vec<(Decimal, Decimal)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Costs {
    pub insurances: Vec<String>,
    /// In order of first appearance in the file.
    pub kinds: Vec<KindCost>,
}

/// Reads `contributions.csv` (UTF-8 or GB18030: the columns read are ASCII either way),
/// streamed: a 1M-row run's file is hundreds of MB.
pub fn read(path: &Path) -> Result<Costs, std::io::Error> {
    let file = std::fs::File::open(path)?;
    from_reader(file).map_err(std::io::Error::other)
}

pub fn from_bytes(bytes: &[u8]) -> Result<Costs, String> {
    from_reader(bytes)
}

fn from_reader(input: impl std::io::Read) -> Result<Costs, String> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(input);
    let header = rdr.byte_headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| header.iter().position(|h| h == name.as_bytes());
    let (Some(kind_col), Some(er_col), Some(ee_col)) =
        (col("kind"), col("employer_total"), col("employee_total"))
    else {
        return Err("contributions.csv: kind or total columns missing".into());
    };
    let mut insurances = Vec::new();
    let mut ins_cols = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(name) = h.strip_suffix(b"_employer") {
            let name = String::from_utf8_lossy(name).into_owned();
            let ee = col(&format!("{name}_employee"));
            if name != "employer" {
                ins_cols.push((i, ee));
                insurances.push(name);
            }
        }
    }
    let mut costs = Costs {
        insurances,
        kinds: Vec::new(),
    };
    let mut rec = csv::ByteRecord::new();
    while rdr.read_byte_record(&mut rec).map_err(|e| e.to_string())? {
        let kind = String::from_utf8_lossy(rec.get(kind_col).unwrap_or_default()).into_owned();
        let at = match costs.kinds.iter().position(|k| k.kind == kind) {
            Some(at) => at,
            None => {
                costs.kinds.push(KindCost {
                    kind,
                    lines: 0,
                    employer: Decimal::ZERO,
                    employee: Decimal::ZERO,
                    by_insurance: vec![(Decimal::ZERO, Decimal::ZERO); ins_cols.len()],
                });
                costs.kinds.len() - 1
            }
        };
        let k = &mut costs.kinds[at];
        k.lines += 1;
        k.employer += num(&rec, Some(er_col))?;
        k.employee += num(&rec, Some(ee_col))?;
        for (slot, (er, ee)) in k.by_insurance.iter_mut().zip(&ins_cols) {
            slot.0 += num(&rec, Some(*er))?;
            slot.1 += num(&rec, *ee)?;
        }
    }
    Ok(costs)
}

fn num(rec: &csv::ByteRecord, col: Option<usize>) -> Result<Decimal, String> {
    let Some(cell) = col.and_then(|c| rec.get(c)) else {
        return Ok(Decimal::ZERO);
    };
    if cell.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let text = std::str::from_utf8(cell).map_err(|e| e.to_string())?;
    text.parse::<Decimal>()
        .map_err(|e| format!("contributions.csv: `{text}`: {e}"))
}

impl Costs {
    /// Whole-file totals per insurance: (employer, employee).
    pub fn by_insurance(&self, kinds: impl Fn(&str) -> bool) -> Vec<(Decimal, Decimal)> {
        let mut out = vec![(Decimal::ZERO, Decimal::ZERO); self.insurances.len()];
        for k in self.kinds.iter().filter(|k| kinds(&k.kind)) {
            for (o, v) in out.iter_mut().zip(&k.by_insurance) {
                o.0 += v.0;
                o.1 += v.1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id_number,name,month,kind,base,pension_employer,pension_employee,injury_employer,injury_employee,employer_total,employee_total\n\
1,a,2025-08,regular,1000.00,160.00,80.00,4.00,0.00,164.00,80.00\n\
2,b,2025-07,backpay,1000.00,160.00,80.00,4.00,0.00,164.00,80.00\n\
1,a,2025-08,regular,2000.00,320.00,160.00,8.00,0.00,328.00,160.00\n\
3,c,2025-08,late_fee,,,,,,1.50,0.00\n\
4,d,2025-07,topup,1000.00,-1.00,-0.50,0.00,0.00,-1.00,-0.50\n";

    #[test]
    fn every_kind_in_order_of_appearance() {
        let c = from_bytes(CSV.as_bytes()).unwrap();
        assert_eq!(c.insurances, ["pension", "injury"]);
        let kinds: Vec<_> = c.kinds.iter().map(|k| (k.kind.as_str(), k.lines)).collect();
        assert_eq!(
            kinds,
            [
                ("regular", 2),
                ("backpay", 1),
                ("late_fee", 1),
                ("topup", 1)
            ]
        );
        assert_eq!(c.kinds[0].employer, Decimal::new(49200, 2));
        assert_eq!(
            c.kinds[0].by_insurance[0],
            (Decimal::new(48000, 2), Decimal::new(24000, 2))
        );
        assert_eq!(c.kinds[2].employer, Decimal::new(150, 2));
        assert_eq!(c.kinds[3].employee, Decimal::new(-50, 2));
        let all = c.by_insurance(|k| k != "topup");
        assert_eq!(all[1], (Decimal::new(1600, 2), Decimal::ZERO));
    }

    #[test]
    fn a_damaged_number_is_an_error_not_a_zero() {
        let bad = CSV.replace("164.00,80.00\n2", "16x,80.00\n2");
        assert!(from_bytes(bad.as_bytes()).unwrap_err().contains("16x"));
    }
}
