//! Reading change files and rosters: CSV and workbooks, header detection, value normalisation.

pub mod cell;
pub mod value;
