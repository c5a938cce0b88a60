//! Escaping and number formatting for the report page. Numbers are formatted by hand (no
//! floats, no locale), so the page is the same bytes on every machine.

use rust_decimal::{Decimal, RoundingStrategy};

/// Text safe in element content and in double- or single-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no business in a page.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `1234567` → `1,234,567`.
pub fn int(n: u64) -> String {
    group(&n.to_string())
}

/// Two decimals, half away from zero, thousands grouped: `-12345.6` → `-12,345.60`.
pub fn money(d: Decimal) -> String {
    let plain = plain_money(d);
    match plain.strip_prefix('-') {
        Some(rest) => format!("-{}", group_decimal(rest)),
        None => group_decimal(&plain),
    }
}

/// Two decimals without grouping, as in `summary.json` (for `data-value`).
pub fn plain_money(d: Decimal) -> String {
    let mut d = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    d.rescale(2);
    d.to_string()
}

fn group_decimal(s: &str) -> String {
    match s.split_once('.') {
        Some((whole, frac)) => format!("{}.{frac}", group(whole)),
        None => group(s),
    }
}

fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `part / whole` as a whole number of `scale` (a bar length), rounded; 0 when whole is 0.
pub fn share(part: Decimal, whole: Decimal, scale: u32) -> u32 {
    if whole <= Decimal::ZERO || part <= Decimal::ZERO {
        return 0;
    }
    let v = (part * Decimal::from(scale) / whole)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    u32::try_from(v.mantissa() / 10i128.pow(v.scale())).map_or(scale, |v| v.min(scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attribute_contexts() {
        assert_eq!(
            esc(r#""><img src=x onerror='a()'>&"#),
            "&quot;&gt;&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;"
        );
        assert_eq!(
            esc("<script>张三</script>"),
            "&lt;script&gt;张三&lt;/script&gt;"
        );
        assert_eq!(esc("=1+2"), "=1+2");
        assert_eq!(esc("a\u{0}b"), "a\u{FFFD}b");
    }

    #[test]
    fn numbers_are_grouped_without_floats() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(money(Decimal::new(-123456, 1)), "-12,345.60");
        assert_eq!(money(Decimal::new(5, 3)), "0.01");
        assert_eq!(money(Decimal::new(100000000, 2)), "1,000,000.00");
        assert_eq!(plain_money(Decimal::new(100000000, 2)), "1000000.00");
    }

    #[test]
    fn shares_are_whole_and_bounded() {
        assert_eq!(share(Decimal::ONE, Decimal::TWO, 300), 150);
        assert_eq!(share(Decimal::ONE, Decimal::ZERO, 300), 0);
        assert_eq!(share(Decimal::TWO, Decimal::ONE, 300), 300);
        assert_eq!(share(Decimal::new(1, 0), Decimal::new(3, 0), 100), 33);
    }
}
