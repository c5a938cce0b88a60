//! Horizontal bar charts as plain SVG: integer coordinates computed from the run's own
//! numbers, so the markup is deterministic and needs no charting crate.

use rust_decimal::Decimal;

use super::html::{esc, share};

/// One bar: a label, segments (value, CSS class) stacked left to right, and the text after it.
pub struct Bar {
    pub label: String,
    pub segments: Vec<(Decimal, &'static str)>,
    pub value_text: String,
}

const LABEL_W: u32 = 300;
const BAR_W: u32 = 480;
const ROW_H: u32 = 24;
const VALUE_W: u32 = 160;

/// A chart with an accessible title; bars scaled to the largest total.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let max = bars
        .iter()
        .map(|b| {
            b.segments
                .iter()
                .map(|s| s.0.max(Decimal::ZERO))
                .sum::<Decimal>()
        })
        .max()
        .unwrap_or(Decimal::ZERO);
    let width = LABEL_W + BAR_W + VALUE_W;
    let height = ROW_H * bars.len() as u32 + 4;
    let mut out = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{}</title>",
        esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = ROW_H * i as u32 + 2;
        let text_y = y + 16;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\" class=\"lbl\">{}</text>",
            LABEL_W - 8,
            esc(&clip(&b.label, 22))
        ));
        let mut x = LABEL_W;
        let mut done = Decimal::ZERO;
        for (value, class) in &b.segments {
            let value = (*value).max(Decimal::ZERO);
            // Ends are rounded from the running sum, so segments never drift past the total.
            let end = LABEL_W + share(done + value, max, BAR_W);
            done += value;
            if end > x {
                out.push_str(&format!(
                    "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"{class}\"/>",
                    y + 3,
                    end - x,
                    ROW_H - 6
                ));
            }
            x = end.max(x);
        }
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{text_y}\" class=\"val\">{}</text>",
            x + 6,
            esc(&b.value_text)
        ));
    }
    out.push_str("</svg>");
    out
}

/// At most `n` characters, with an ellipsis when cut (a label must fit its column).
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, v: i64) -> Bar {
        Bar {
            label: label.into(),
            segments: vec![(Decimal::from(v), "err")],
            value_text: v.to_string(),
        }
    }

    #[test]
    fn longest_bar_fills_the_width_and_labels_are_escaped() {
        let svg = bars("t<", &[bar("<script>", 10), bar("b", 5)]);
        assert!(svg.contains("<title>t&lt;</title>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains(&format!("width=\"{BAR_W}\" height")));
        assert!(svg.contains(&format!("width=\"{}\" height", BAR_W / 2)));
        assert!(!svg.contains("<script>"));
    }

    #[test]
    fn stacked_segments_end_at_the_total() {
        let b = Bar {
            label: "x".into(),
            segments: vec![(Decimal::ONE, "a"), (Decimal::TWO, "b")],
            value_text: String::new(),
        };
        let svg = bars("t", &[b]);
        assert!(svg.contains(&format!("x=\"{LABEL_W}\" y=\"5\" width=\"160\"")));
        assert!(svg.contains(&format!("x=\"{}\" y=\"5\" width=\"320\"", LABEL_W + 160)));
    }

    #[test]
    fn no_bars_no_division() {
        assert!(bars("t", &[]).ends_with("</svg>"));
        assert!(bars("t", &[bar("z", 0)]).contains(">0</text>"));
    }
}
