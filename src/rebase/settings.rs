//! The figures and declaration layouts of `rebase`, read from `data/rebase.toml` (data with
//! a source, not code).

use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::policy::rounding::Rounding;

const TEXT: &str = include_str!("data/rebase.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    moved: Sourced,
    thousands: Thousands,
    average: Average,
    declaration: Vec<Declaration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sourced {
    share: Decimal,
    #[allow(dead_code)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Thousands {
    below: Decimal,
    #[allow(dead_code)]
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Average {
    rounding: String,
    #[allow(dead_code)]
    source: String,
}

/// One declaration layout: a region (6-digit code, empty for the generic one) and its
/// columns.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    pub region: String,
    pub name: String,
    #[allow(dead_code)]
    source: String,
    pub columns: Vec<Column>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub header: String,
    pub field: DeclField,
}

/// What a declaration column holds.
#[derive(Deserialize, Copy, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeclField {
    Name,
    IdType,
    IdNumber,
    Months,
    AverageWage,
    OldBase,
    NewBase,
    Effective,
    /// A column the portal wants that headcount cannot fill (the bureau's person number,
    /// the unit's code, remarks): left blank for HR.
    Blank,
}

pub struct Settings {
    /// B004 above this share of the old base.
    pub moved_share: Decimal,
    /// B008 below this many yuan.
    pub thousands_below: Decimal,
    pub average_rounding: Rounding,
    declarations: Vec<Declaration>,
}

impl Settings {
    /// The embedded settings; a broken data file is caught by the unit test below.
    pub fn embedded() -> &'static Settings {
        static S: OnceLock<Settings> = OnceLock::new();
        S.get_or_init(|| parse(TEXT).unwrap_or_else(|_| fallback()))
    }

    /// The region's declaration layout, else the generic one.
    pub fn declaration(&self, region_code: &str) -> &Declaration {
        self.declarations
            .iter()
            .find(|d| d.region == region_code)
            .or_else(|| self.declarations.iter().find(|d| d.region.is_empty()))
            .unwrap_or(&GENERIC_EMPTY)
    }
}

static GENERIC_EMPTY: Declaration = Declaration {
    region: String::new(),
    name: String::new(),
    source: String::new(),
    columns: Vec::new(),
};

fn parse(text: &str) -> Result<Settings, String> {
    let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(Settings {
        moved_share: f.moved.share,
        thousands_below: f.thousands.below,
        average_rounding: Rounding::from_id(&f.average.rounding)
            .ok_or_else(|| format!("unknown rounding `{}`", f.average.rounding))?,
        declarations: f.declaration,
    })
}

/// Never used with the shipped file (the test proves it parses); keeps `embedded` total.
fn fallback() -> Settings {
    Settings {
        moved_share: Decimal::new(35, 2),
        thousands_below: Decimal::new(100, 0),
        average_rounding: Rounding::HalfUpFen,
        declarations: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_parses_with_a_generic_layout() {
        let s = parse(TEXT).unwrap();
        assert_eq!(s.moved_share, Decimal::new(35, 2));
        assert_eq!(s.thousands_below, Decimal::new(100, 0));
        assert_eq!(s.declaration("110000").name, "beijing-online");
        assert_eq!(s.declaration("310000").name, "shanghai-annual");
        assert_eq!(s.declaration("610100").name, "xian-annual-review");
        assert_eq!(s.declaration("330100").name, "generic");
        assert!(s
            .declaration("330100")
            .columns
            .iter()
            .any(|c| c.field == DeclField::NewBase));
    }
}
