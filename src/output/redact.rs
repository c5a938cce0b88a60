//! Masking in everything a person reads (errors.csv, errors.xlsx, JSON Lines, stderr):
//! not only the ID column. Any ID-shaped token in any cell or message is masked with
//! `ids::mask`, and the birth date of the row's person is shown as its year only, so the
//! rest of the report cannot give back the digits the mask hides (docs/security.md states
//! the guarantee).

use std::borrow::Cow;

use crate::calendar::Date;

/// The masking of one row's report lines: generic ID-shaped tokens, the row's own ID text
/// (whatever its shape), and the row's birth dates.
#[derive(Default, Clone)]
pub struct Redact<'a> {
    on: bool,
    id: &'a str,
    births: Vec<Date>,
}

impl<'a> Redact<'a> {
    /// No masking (`--no-mask`).
    pub fn off() -> Redact<'static> {
        Redact::default()
    }

    /// ID-shaped tokens only: for lines about no particular row.
    pub fn tokens(on: bool) -> Redact<'static> {
        Redact {
            on,
            ..Redact::default()
        }
    }

    /// A row's lines: its ID text and birth dates (from the ID, from the birth-date column)
    /// are hidden wherever they appear.
    pub fn row(on: bool, id: &'a str, births: impl IntoIterator<Item = Date>) -> Redact<'a> {
        let mut births: Vec<Date> = births.into_iter().collect();
        births.dedup();
        Redact {
            on,
            id: id.trim(),
            births,
        }
    }

    pub fn is_on(&self) -> bool {
        self.on
    }

    /// `text` with every ID-shaped token, the row's ID and its birth dates masked.
    pub fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !self.on || text.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = id_tokens(text);
        if self.id.chars().count() >= 4 && out.contains(self.id) {
            out = Cow::Owned(out.replace(self.id, &crate::ids::mask(self.id)));
        }
        // The birth digits of the ID, as V004 quotes them ("出生日期 19901345 不存在").
        if let Some(digits) = birth_digits(self.id) {
            if out.contains(digits) {
                out = Cow::Owned(out.replace(digits, &"*".repeat(digits.len())));
            }
        }
        for d in &self.births {
            for (full, shown) in [
                (d.to_string(), format!("{:04}-**-**", d.year())),
                (
                    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day()),
                    format!("{:04}****", d.year()),
                ),
            ] {
                if out.contains(&full) {
                    out = Cow::Owned(out.replace(&full, &shown));
                }
            }
        }
        out
    }

    /// A birth-date cell of the row: the year only (`1990-**-**`) when masking.
    pub fn birth_cell<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !self.on {
            return Cow::Borrowed(text);
        }
        Cow::Owned(year_only(text))
    }
}

/// The 8 (18-character ID) or 6 (15-character ID) birth digits of an ID text.
fn birth_digits(id: &str) -> Option<&str> {
    let d = match id.len() {
        18 => id.get(6..14)?,
        15 => id.get(6..12)?,
        _ => return None,
    };
    d.bytes().all(|b| b.is_ascii_digit()).then_some(d)
}

/// Keeps the first four digits (the year) of a date-like text and stars the other digits.
fn year_only(text: &str) -> String {
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                seen += 1;
                if seen > 4 {
                    return '*';
                }
            }
            c
        })
        .collect()
}

/// A character that can be part of an identity number: ASCII or full-width letters and
/// digits (a full-width ID in a remarks column is still an ID). `Some(ascii)` folds it.
fn fold(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c);
    }
    let u = c as u32;
    if (0xFF10..=0xFF19).contains(&u)
        || (0xFF21..=0xFF3A).contains(&u)
        || (0xFF41..=0xFF5A).contains(&u)
    {
        return char::from_u32(u - 0xFEE0);
    }
    None
}

/// Masks every ID-shaped token of `text` (see [`is_id_shaped`]).
pub fn id_tokens(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut start: Option<usize> = None;
    let mut last = 0;
    let bytes_end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let in_token = fold(c).is_some();
        if in_token && start.is_none() {
            start = Some(i);
        }
        let ends =
            start.is_some() && (!in_token || chars.peek().is_none_or(|(_, n)| fold(*n).is_none()));
        if ends {
            let s = start.take().unwrap_or(i);
            let e = if in_token { i + c.len_utf8() } else { i };
            let token = &text[s..e];
            if is_id_shaped(token) {
                let o = out.get_or_insert_with(|| String::with_capacity(bytes_end));
                o.push_str(&text[last..s]);
                o.push_str(&crate::ids::mask(token));
                last = e;
            }
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[last..]);
            Cow::Owned(o)
        }
    }
}

/// An identity number by its shape: an 18-character resident ID or permit (17 digits and
/// a digit or X), a 15-digit old ID, an old foreign permanent-residence card (3 letters,
/// 12 digits), a longer token holding 15 digits in a row (an ID glued to other letters or
/// digits, a bank card), or a
/// passport or travel permit (1–2 letters, then 7–10 digits). A valid credit code that
/// fails the resident-ID check is left alone: it is the employer's, and public.
fn is_id_shaped(token: &str) -> bool {
    let folded: String = token.chars().filter_map(fold).collect();
    let b = folded.as_bytes();
    let n = b.len();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let resident18 = n == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x');
    if n == 18 && crate::ids::check_uscc(&folded).is_ok() {
        return resident18 && gb11643_check_holds(b);
    }
    if resident18 {
        return true;
    }
    if n == 15 && (digits == 15 || (digits == 12 && b[..3].iter().all(u8::is_ascii_alphabetic))) {
        return true;
    }
    // Longer tokens: any 15 digits in a row (an ID glued to letters or other digits).
    let mut run = 0;
    let longest = b.iter().fold(0, |best, c| {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        best.max(run)
    });
    if n >= 16 && longest >= 15 {
        return true;
    }
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    (1..=2).contains(&letters) && (7..=10).contains(&(n - letters)) && digits == n - letters
}

/// Whether the 18th character is the GB 11643 check character of the first 17 digits
/// (only the check: a number with an unknown region or date is still a person's number).
fn gb11643_check_holds(b: &[u8]) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b
        .iter()
        .zip(W)
        .map(|(c, w)| u32::from(c.wrapping_sub(b'0')) * w)
        .sum();
    let want = b"10X98765432"[(sum % 11) as usize];
    b.get(17).map(u8::to_ascii_uppercase) == Some(want)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid resident ID made with the check character of GB 11643.
    fn id(body17: &str) -> String {
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let s: u32 = body17
            .bytes()
            .zip(W)
            .map(|(b, w)| (b - b'0') as u32 * w)
            .sum();
        format!("{body17}{}", b"10X98765432"[(s % 11) as usize] as char)
    }

    #[test]
    fn id_shaped_tokens_are_masked_anywhere_in_a_text() {
        let a = id("11010519900307123");
        let text = format!("备注：身份证{a}，电话13812345678，护照E12345678；旧证610104620927690");
        let m = id_tokens(&text);
        assert!(!m.contains(&a) && !m.contains("19900307"), "{m}");
        assert!(m.contains("13812345678"), "phone numbers stay: {m}");
        assert!(
            !m.contains("E12345678") && !m.contains("610104620927690"),
            "{m}"
        );
        assert!(m.contains(&crate::ids::mask(&a)), "{m}");
    }

    #[test]
    fn full_width_and_glued_ids_are_masked() {
        let a = id("11010519900307123");
        let wide: String = a
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert!(!id_tokens(&wide).contains(&wide));
        let glued = format!("{a}13812345678");
        assert!(!id_tokens(&glued).contains(&a));
    }

    #[test]
    fn dates_amounts_codes_and_credit_codes_stay() {
        for keep in [
            "2025-08-20",
            "20250820",
            "12000.00",
            "V004",
            "第 8 行",
            "91110000600037341L",
            "202508",
        ] {
            let m = id_tokens(keep);
            assert_eq!(m, keep, "{keep}");
        }
    }

    #[test]
    fn a_row_hides_its_id_and_birth_dates_in_messages() {
        let a = id("11010519900307123");
        let birth = Date::new(1990, 3, 7).unwrap();
        let col = Date::new(1990, 3, 8).unwrap();
        let r = Redact::row(true, &a, [birth, col]);
        let m = r.text("出生日期 1990-03-08 与证件号码中的 1990-03-07 不符");
        assert_eq!(m, "出生日期 1990-**-** 与证件号码中的 1990-**-** 不符");
        let bad = "1101051990134512";
        let r = Redact::row(true, "11010519901345123X", []);
        assert!(!r.text("出生日期 19901345 不存在").contains("19901345"));
        assert!(!r.text(bad).contains("19901345"));
        assert_eq!(r.birth_cell("1990-03-07"), "1990-**-**");
        assert_eq!(Redact::off().text(&a), a);
        assert_eq!(
            Redact::row(false, &a, [birth]).birth_cell("1990-03-07"),
            "1990-03-07"
        );
        // A short malformed ID in the name column is hidden by its own text.
        let r = Redact::row(true, "1101051990", []);
        assert!(!r.text("1101051990").contains("1101051990"));
    }

    proptest::proptest! {
        #[test]
        fn an_id_never_survives_whatever_surrounds_it(
            body in "[1-8][0-9]{5}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}",
            before in "\\PC{0,12}",
            after in "\\PC{0,12}",
        ) {
            let a = id(&body);
            let text = format!("{before}{a}{after}");
            let m = id_tokens(&text);
            // Hidden: the 8 birth digits and at least two more.
            let birth = &a[6..14];
            proptest::prop_assert!(!m.contains(&a), "{}", m);
            proptest::prop_assert!(
                !m.contains(birth) || text.matches(birth).count() > a.matches(birth).count(),
                "{}", m
            );
        }
    }
}
