//! Text clean-up shared by every reader: full-width ASCII, ideographic and surrounding
//! spaces, Excel's text-marker apostrophe, and `code|label` cells.

use std::borrow::Cow;

use super::Value;
use crate::input::cell::Cell;

/// Text after [`normalize`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Norm<'a> {
    pub text: Cow<'a, str>,
    /// Something the user would see was changed (full-width characters mapped, spaces
    /// trimmed): the rules report it as V019.
    pub normalized: bool,
}

/// Characters trimmed from both ends: Unicode white space (which covers U+3000 and NBSP),
/// plus the zero-width space and BOM that copy-paste leaves behind invisibly.
pub(crate) fn is_trim(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

fn needs_mapping(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}')
}

/// Full-width ASCII (U+FF01–FF5E) to ASCII, ideographic space to a space.
pub(crate) fn map_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Cleans one cell's text: full-width ASCII becomes ASCII, U+3000 a space, and surrounding
/// white space goes. One leading apostrophe is Excel's "store as text" marker, not data, so
/// dropping it is silent; any further leading apostrophes are dropped and reported.
///
/// Borrows when nothing needs mapping, so clean cells cost no allocation.
pub fn normalize(s: &str) -> Norm<'_> {
    if !may_need_mapping(s) {
        let (t, fixed) = trim(s);
        return Norm {
            text: Cow::Borrowed(t),
            normalized: fixed,
        };
    }
    let mapped: String = s.chars().map(map_char).collect();
    let (t, _) = trim(&mapped);
    let text = if t.len() == mapped.len() {
        mapped
    } else {
        t.to_owned()
    };
    Norm {
        text: Cow::Owned(text),
        normalized: true,
    }
}

/// Whether `s` may hold a character `map_char` changes. Those are U+3000 (UTF-8 lead byte
/// E3) and U+FF01–FF5E (lead byte EF); a byte scan rules most text out, Chinese included,
/// without decoding it.
fn may_need_mapping(s: &str) -> bool {
    s.bytes().any(|b| b == 0xE3 || b == 0xEF) && s.chars().any(needs_mapping)
}

/// Trims white space and the text marker; says whether anything but one marker went.
fn trim(s: &str) -> (&str, bool) {
    // Most cells start and end with something kept: nothing to trim, nothing to report.
    if let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) {
        if !is_trim(first) && !is_trim(last) && first != '\'' {
            return (s, false);
        }
    }
    let t = s.trim_matches(is_trim);
    let mut fixed = t.len() != s.len();
    match t.strip_prefix('\'') {
        Some(rest) => {
            let r = rest.trim_start_matches(|c| c == '\'' || is_trim(c));
            fixed |= r.len() != rest.len();
            (r, fixed)
        }
        None => (t, fixed),
    }
}

/// Any cell as display text, normalised: numbers in their shortest form, dates as
/// `YYYY-MM-DD`, booleans as Excel shows them. Formula errors are invalid, not text.
pub fn text<'a>(cell: &'a Cell<'_>) -> Value<Cow<'a, str>> {
    match cell {
        Cell::Empty => Value::Empty,
        Cell::Text(t) => {
            let n = normalize(t);
            if n.text.is_empty() {
                Value::Empty
            } else {
                Value::Ok {
                    value: n.text,
                    normalized: n.normalized,
                }
            }
        }
        Cell::Number(f) if f.is_finite() => Value::Ok {
            // `-0` would print with its sign.
            value: Cow::Owned(if *f == 0.0 {
                "0".to_owned()
            } else {
                f.to_string()
            }),
            normalized: false,
        },
        Cell::Number(_) => Value::Invalid,
        Cell::Date(d) => Value::Ok {
            value: Cow::Owned(d.to_string()),
            normalized: false,
        },
        Cell::Bool(b) => Value::Ok {
            value: Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
            normalized: false,
        },
        Cell::Error(_) => Value::Invalid,
    }
}

/// Splits a `code|label` cell (also with the full-width `｜`) at its first separator; both
/// parts are trimmed and may be empty. `None` when there is no separator.
pub fn split_code_label(s: &str) -> Option<(&str, &str)> {
    // Byte search: `|` is one byte and `｜` (EF BD 9C) starts with EF, so most cells are
    // ruled out without decoding.
    let b = s.as_bytes();
    let mut from = 0;
    let (i, len) = loop {
        let at = from + b[from..].iter().position(|&c| c == b'|' || c == 0xEF)?;
        if b[at] == b'|' {
            break (at, 1);
        }
        if b[at..].starts_with("｜".as_bytes()) {
            break (at, "｜".len());
        }
        from = at + 1;
    };
    let code = s[..i].trim_matches(is_trim);
    let label = s[i + len..].trim_matches(is_trim);
    Some((code, label))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use proptest::prelude::*;

    fn norm(s: &str) -> (String, bool) {
        let n = normalize(s);
        (n.text.into_owned(), n.normalized)
    }

    #[test]
    fn clean_text_is_borrowed_and_unchanged() {
        for s in [
            "110101199003070011",
            "张三",
            "2025-07-01",
            "8,123.45",
            "a b",
        ] {
            let n = normalize(s);
            assert!(matches!(n.text, Cow::Borrowed(_)), "{s}");
            assert_eq!(n.text, s);
            assert!(!n.normalized);
        }
    }

    #[test]
    fn full_width_and_spaces_are_fixed_and_reported() {
        assert_eq!(
            norm("２０２５年７月１日"),
            ("2025年7月1日".to_owned(), true)
        );
        assert_eq!(norm("１１０１０１"), ("110101".to_owned(), true));
        assert_eq!(norm("ＡＢｃ"), ("ABc".to_owned(), true));
        assert_eq!(norm("\u{3000}张三\u{3000}"), ("张三".to_owned(), true));
        assert_eq!(norm("张\u{3000}三"), ("张 三".to_owned(), true));
        assert_eq!(norm("  8123 "), ("8123".to_owned(), true));
        assert_eq!(norm("\u{00A0}8123\t"), ("8123".to_owned(), true));
        assert_eq!(norm("\u{FEFF}8123\u{200B}"), ("8123".to_owned(), true));
        assert_eq!(norm("11｜增员"), ("11|增员".to_owned(), true));
        // Outside the mapped range: the full-width yen sign is left for the money reader.
        assert_eq!(norm("￥8123"), ("￥8123".to_owned(), false));
    }

    #[test]
    fn one_text_marker_apostrophe_is_silent() {
        assert_eq!(
            norm("'110101199003070011"),
            ("110101199003070011".to_owned(), false)
        );
        assert_eq!(norm("'"), (String::new(), false));
        // Spaces around the marker, or a second apostrophe, are real fixes.
        assert_eq!(norm(" '8123"), ("8123".to_owned(), true));
        assert_eq!(norm("' 8123"), ("8123".to_owned(), true));
        assert_eq!(norm("''8123"), ("8123".to_owned(), true));
        // Only a leading apostrophe is a marker.
        assert_eq!(norm("O'Neil"), ("O'Neil".to_owned(), false));
        // A full-width apostrophe is a full-width character first.
        assert_eq!(norm("＇8123"), ("8123".to_owned(), true));
    }

    #[test]
    fn cells_as_text() {
        let t = |c: Cell<'static>| text(&c).map(|s| s.into_owned());
        assert_eq!(t(Cell::Empty), Value::Empty);
        assert_eq!(t(Cell::Text(" \u{3000} ".into())), Value::Empty);
        assert_eq!(t(Cell::Text("'".into())), Value::Empty);
        assert_eq!(
            t(Cell::Text("ａ".into())),
            Value::Ok {
                value: "a".into(),
                normalized: true
            }
        );
        assert_eq!(
            t(Cell::Number(8123.45)),
            Value::Ok {
                value: "8123.45".into(),
                normalized: false
            }
        );
        assert_eq!(t(Cell::Number(7162.0)).ok().as_deref(), Some("7162"));
        assert_eq!(t(Cell::Number(-0.0)).ok().as_deref(), Some("0"));
        assert_eq!(t(Cell::Number(f64::NAN)), Value::Invalid);
        assert_eq!(t(Cell::Number(f64::INFINITY)), Value::Invalid);
        assert_eq!(
            t(Cell::Date(Date::new(2025, 7, 1).unwrap()))
                .ok()
                .as_deref(),
            Some("2025-07-01")
        );
        assert_eq!(t(Cell::Bool(true)).ok().as_deref(), Some("TRUE"));
        assert_eq!(t(Cell::Error("#N/A".into())), Value::Invalid);
    }

    #[test]
    fn text_borrows_from_clean_text_cells() {
        let c = Cell::Text("张三".into());
        assert!(matches!(
            text(&c),
            Value::Ok {
                value: Cow::Borrowed("张三"),
                normalized: false
            }
        ));
    }

    #[test]
    fn code_label_split() {
        assert_eq!(split_code_label("11|增员"), Some(("11", "增员")));
        assert_eq!(split_code_label("28｜辞职"), Some(("28", "辞职")));
        assert_eq!(split_code_label(" 0 | 男 "), Some(("0", "男")));
        assert_eq!(split_code_label("|增员"), Some(("", "增员")));
        assert_eq!(split_code_label("11|"), Some(("11", "")));
        assert_eq!(split_code_label("a|b|c"), Some(("a", "b|c")));
        assert_eq!(split_code_label("增员"), None);
        assert_eq!(split_code_label(""), None);
    }

    proptest! {
        #[test]
        fn normalize_is_idempotent(s in any::<String>()) {
            let once = normalize(&s);
            let twice = normalize(&once.text);
            prop_assert_eq!(&twice.text, &once.text);
            prop_assert!(!twice.normalized);
            prop_assert!(matches!(twice.text, Cow::Borrowed(_)));
        }

        #[test]
        fn normalize_is_idempotent_on_tricky_text(s in "[ '\u{3000}\u{00A0}\u{FF07}\u{FF10}-\u{FF19}a０x|｜年]{0,12}") {
            let once = normalize(&s);
            let twice = normalize(&once.text);
            prop_assert_eq!(&twice.text, &once.text);
            prop_assert!(!twice.normalized);
            // Whatever was mapped is gone.
            prop_assert!(!once.text.chars().any(needs_mapping));
        }

        #[test]
        fn split_matches_a_char_search(s in "[a|｜＼ｏ 1２年]{0,10}") {
            let want = s.char_indices().find(|&(_, c)| c == '|' || c == '｜').map(|(i, c)| {
                (s[..i].trim_matches(is_trim), s[i + c.len_utf8()..].trim_matches(is_trim))
            });
            prop_assert_eq!(split_code_label(&s), want);
        }

        #[test]
        fn split_never_panics(s in any::<String>()) {
            if let Some((c, l)) = split_code_label(&s) {
                prop_assert!(c.len() + l.len() < s.len());
            }
        }
    }
}
