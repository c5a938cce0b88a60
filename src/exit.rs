//! Exit codes as a type: the meanings of the interface contract, merged across files.

/// What the process tells its caller. Ordered so that merging takes the worst.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Every row accepted (warnings allowed unless `--deny-warnings`).
    Clean = 0,
    /// At least one row rejected; for `verify`, the outputs differ.
    Rejected = 1,
    /// Could not run: bad arguments, unreadable input, invalid policy.
    CannotRun = 2,
}

impl Exit {
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The worse of two outcomes.
    pub fn merge(self, other: Exit) -> Exit {
        self.max(other)
    }

    /// The exit for a finished validation run.
    pub fn for_findings(errors: u64, warnings: u64, deny_warnings: bool) -> Exit {
        if errors > 0 || (deny_warnings && warnings > 0) {
            Exit::Rejected
        } else {
            Exit::Clean
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_contract() {
        assert_eq!(Exit::Clean.code(), 0);
        assert_eq!(Exit::Rejected.code(), 1);
        assert_eq!(Exit::CannotRun.code(), 2);
    }

    #[test]
    fn merge_keeps_the_worst() {
        assert_eq!(Exit::Clean.merge(Exit::Rejected), Exit::Rejected);
        assert_eq!(Exit::CannotRun.merge(Exit::Rejected), Exit::CannotRun);
        assert_eq!(Exit::Clean.merge(Exit::Clean), Exit::Clean);
    }

    #[test]
    fn warnings_fail_only_when_denied() {
        assert_eq!(Exit::for_findings(0, 3, false), Exit::Clean);
        assert_eq!(Exit::for_findings(0, 3, true), Exit::Rejected);
        assert_eq!(Exit::for_findings(1, 0, false), Exit::Rejected);
        assert_eq!(Exit::for_findings(0, 0, true), Exit::Clean);
    }
}
