//! Policy errors: an invalid policy file (P003), a month no period covers (P002), an
//! unknown region, an unreadable file.

use crate::calendar::Month;

/// One problem in a policy file (P003).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Problem {
    /// Key path, e.g. `region[beijing].period[2025-07].pension.floor`; empty for the file.
    pub key: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    pub message: String,
}

/// A policy error. The text does not start with the rule code: [`PolicyError::code`]
/// carries it once, and the renderer (`error::message`) puts it in front.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// P003: the policy file is invalid. Every problem found is listed.
    #[error("{}", invalid_message(file, problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
    /// P002: no period covers a month the run needs.
    #[error(
        "no policy period covers region {region} in {month} (the tables cover {covered}); \
         add a period with --policy"
    )]
    NoCoverage {
        region: String,
        month: Month,
        covered: String,
    },
    #[error("unknown region `{given}`; known regions: {}", known.join(", "))]
    UnknownRegion { given: String, known: Vec<String> },
    #[error("cannot read policy file {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

impl PolicyError {
    /// The rule code of the catalogue, where one applies.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            PolicyError::Invalid { .. } => Some("P003"),
            PolicyError::NoCoverage { .. } => Some("P002"),
            _ => None,
        }
    }
}

fn invalid_message(file: &str, problems: &[Problem]) -> String {
    let mut s = format!(
        "policy file {file} is invalid ({} problem{}):",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(file);
        if let Some(line) = p.line {
            s.push_str(&format!(":{line}"));
        }
        if !p.key.is_empty() {
            s.push_str(&format!(": {}", p.key));
        }
        s.push_str(": ");
        s.push_str(&p.message);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::check_str;

    #[test]
    fn invalid_display_lists_every_problem_with_file_and_line() {
        let err = check_str(
            "[[region]]\nname = \"beijing\"\nfoo = 1\nbar = 2\n",
            "p.toml",
        )
        .unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with("policy file p.toml is invalid (2 problems):"),
            "{shown}"
        );
        assert!(
            shown.contains("\n  p.toml:3: region[beijing].foo: unknown field `foo`"),
            "{shown}"
        );
        assert!(
            shown.contains("\n  p.toml:4: region[beijing].bar: unknown field `bar`"),
            "{shown}"
        );
        // The code is carried once, apart from the text; the renderer puts it in front.
        assert_eq!(err.code(), Some("P003"));
    }
}
