//! The embedded code lists as a Markdown page section (docs/code-lists.md is checked
//! against it, so the page cannot drift from the data).

use std::fmt::Write;

use super::load::{CodeLists, List};

/// Markers around the generated part of docs/code-lists.md.
pub const START: &str =
    "<!-- generated: code lists (cargo test --lib code_lists_page; UPDATE_DOCS=1 to rewrite) -->";
pub const END: &str = "<!-- end of generated code lists -->";

fn title(list: List) -> &'static str {
    match list {
        List::Change => "`change` — change type (变动类型)",
        List::Reason => "`reason` — reduction reason (减员原因)",
        List::DocType => "`doc_type` — document type (证件类型)",
        List::Sex => "`sex` — sex (性别)",
        List::Category => "`category` — retirement category (人员类别 / 个人身份)",
        List::Status => "`status` — roster status (参保状态)",
        List::Hukou => {
            "`hukou` — household registration (户口性质; A018 reads it for the medical tier)"
        }
        List::MedicalTier => "`medical_tier` — medical-insurance tier (医疗保险档次)",
    }
}

/// Every dictionary, then every list: one row per entry with its meaning, code,
/// dictionary, labels and source.
pub fn markdown(lists: &CodeLists) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "### Dictionaries\n");
    let _ = writeln!(
        s,
        "| dictionary | where | regions (division-code prefixes) | source |"
    );
    let _ = writeln!(s, "| --- | --- | --- | --- |");
    for d in &lists.dicts {
        let regions = if d.regions.is_empty() {
            "everywhere".to_string()
        } else {
            d.regions.join(", ")
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            d.name, d.title, regions, d.source
        );
    }
    for list in List::ALL {
        let _ = writeln!(s, "\n### {}\n", title(list));
        let _ = writeln!(s, "| means | code | dictionary | labels | source |");
        let _ = writeln!(s, "| --- | --- | --- | --- | --- |");
        for e in lists.of(list) {
            let code = match &e.code {
                Some(c) if e.alone => format!("`{c}`"),
                Some(c) => format!("`{c}` (with its label only)"),
                None => String::new(),
            };
            let dict = if e.code.is_some() {
                e.dict.as_str()
            } else {
                ""
            };
            let labels = e.labels.join("、").replace('|', "\\|");
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                e.means, code, dict, labels, e.source
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/code-lists.md holds `markdown(embedded)` between the markers.
    #[test]
    fn code_lists_page() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/code-lists.md");
        let page = std::fs::read_to_string(&path).unwrap();
        let (Some(a), Some(b)) = (page.find(START), page.find(END)) else {
            panic!("docs/code-lists.md lacks the markers {START} … {END}");
        };
        let want = format!(
            "{START}\n\n{}\n{END}",
            markdown(&CodeLists::embedded().unwrap())
        );
        let have = &page[a..b + END.len()];
        if have != want {
            if std::env::var_os("UPDATE_DOCS").is_some() {
                let new = format!("{}{want}{}", &page[..a], &page[b + END.len()..]);
                std::fs::write(&path, new).unwrap();
            } else {
                panic!(
                    "docs/code-lists.md is stale: run UPDATE_DOCS=1 cargo test --lib code_lists_page"
                );
            }
        }
    }
}
