//! The policy a run uses: the embedded figures with the user's file and injury rate
//! layered over them. One function, so `run`, `check`, `verify` and `rebase` load alike.

use std::path::Path;

use rust_decimal::Decimal;

use super::{PolicyError, PolicySet};

impl PolicySet {
    /// The embedded policy, then `file` over it, then `injury` for `region` (both given).
    pub fn for_run(
        file: Option<&Path>,
        region: Option<&str>,
        injury: Option<Decimal>,
    ) -> Result<PolicySet, PolicyError> {
        let mut set = PolicySet::embedded()?;
        if let Some(file) = file {
            set = set.layer_file(file)?;
        }
        if let (Some(rate), Some(region)) = (injury, region) {
            set = set.set_injury_rate(region, rate)?;
        }
        Ok(set)
    }
}
