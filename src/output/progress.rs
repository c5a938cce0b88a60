//! The progress line on stderr while a run works: the phase (loading the roster, reading
//! headers, checking, writing) and file, rows and rows per second, and the share done with
//! the time left where the size is known (bytes of a CSV, the rows of a workbook sheet).
//! Drawn only on a terminal and only for inputs one waits for; the line's text is
//! [`line`], a pure function, so its format is pinned by a snapshot test.

use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

use crate::finding::Lang;

/// Inputs smaller than this finish before a progress line would be read.
const WORTH_SHOWING: u64 = 2_000_000;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    Roster,
    Reading,
    Checking,
    Writing,
}

impl Phase {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Phase::Roster, Lang::Zh) => "加载名册",
            (Phase::Reading, Lang::Zh) => "读取表头",
            (Phase::Checking, Lang::Zh) => "检查",
            (Phase::Writing, Lang::Zh) => "写出结果",
            (Phase::Roster, Lang::En) => "loading the roster",
            (Phase::Reading, Lang::En) => "reading headers",
            (Phase::Checking, Lang::En) => "checking",
            (Phase::Writing, Lang::En) => "writing outputs",
        }
    }
}

/// What the line shows at one moment.
pub struct Status<'a> {
    pub phase: Phase,
    pub file: Option<&'a str>,
    /// Rows of the file so far.
    pub rows: u64,
    /// `(done, total)` in the reader's unit (bytes, or rows of a sheet), when known.
    pub done: Option<(u64, u64)>,
    /// Since the phase started on this file.
    pub elapsed: Duration,
}

/// The progress line, e.g. `检查 a.csv：120,000 行，40,000 行/秒，25%，约剩 0:09`.
pub fn line(s: &Status<'_>, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = s.phase.label(lang).to_string();
    if let Some(file) = s.file {
        out.push(' ');
        out.push_str(file);
    }
    let mut parts = Vec::new();
    let ms = s.elapsed.as_millis() as u64;
    if s.rows > 0 {
        parts.push(if zh {
            format!("{} 行", thousands(s.rows))
        } else {
            format!("{} rows", thousands(s.rows))
        });
        if ms >= 1000 {
            let rate = thousands(s.rows.saturating_mul(1000) / ms);
            parts.push(if zh {
                format!("{rate} 行/秒")
            } else {
                format!("{rate} rows/s")
            });
        }
    }
    if let Some((done, total)) = s.done.filter(|(d, t)| *t > 0 && d <= t) {
        // 100% only once the phase has moved on.
        let percent = (done.saturating_mul(100) / total).min(99);
        parts.push(format!("{percent}%"));
        if done > 0 && ms >= 1000 {
            let left = ms.saturating_mul(total - done) / done / 1000;
            parts.push(if zh {
                format!("约剩 {}", clock(left))
            } else {
                format!("about {} left", clock(left))
            });
        }
    }
    if !parts.is_empty() {
        out.push_str(if zh { "：" } else { ": " });
        out.push_str(&parts.join(if zh { "，" } else { ", " }));
    }
    out
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Seconds as `m:ss`, or `h:mm:ss` from an hour.
fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The line on the terminal; every method does nothing when it is not drawn.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    lang: Lang,
    phase: Cell<Phase>,
    file: RefCell<Option<String>>,
    since: Cell<Instant>,
}

impl Progress {
    /// Drawn when not `quiet`, stderr is a terminal and the inputs weigh `bytes` or more
    /// than a moment's work.
    pub fn new(lang: Lang, quiet: bool, bytes: u64) -> Progress {
        use std::io::IsTerminal;
        let show = !quiet && bytes > WORTH_SHOWING && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            // Keeps turning while a roster loads or outputs are written.
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            lang,
            phase: Cell::new(Phase::Reading),
            file: RefCell::new(None),
            since: Cell::new(Instant::now()),
        }
    }

    /// A new phase, or the same phase on another file: the clock restarts.
    pub fn phase(&self, phase: Phase, file: Option<&str>) {
        let Some(bar) = &self.bar else { return };
        self.phase.set(phase);
        *self.file.borrow_mut() = file.map(str::to_string);
        self.since.set(Instant::now());
        bar.set_message(self.text(0, None));
    }

    /// Rows of the current file so far, and how much of it is read when known.
    pub fn rows(&self, rows: u64, done: Option<(u64, u64)>) {
        let Some(bar) = &self.bar else { return };
        bar.set_message(self.text(rows, done));
    }

    fn text(&self, rows: u64, done: Option<(u64, u64)>) -> String {
        let file = self.file.borrow();
        line(
            &Status {
                phase: self.phase.get(),
                file: file.as_deref(),
                rows,
                done,
                elapsed: self.since.get().elapsed(),
            },
            self.lang,
        )
    }
}

impl Drop for Progress {
    /// The line goes before anything else is printed (the summary, or an error).
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(phase: Phase, rows: u64, done: Option<(u64, u64)>, secs: u64) -> Status<'static> {
        Status {
            phase,
            file: Some("samples/2025-08.csv"),
            rows,
            done,
            elapsed: Duration::from_secs(secs),
        }
    }

    #[test]
    fn the_line_shows_phase_file_rate_share_and_time_left() {
        let cases = [
            at(Phase::Roster, 0, None, 0),
            at(Phase::Reading, 0, None, 0),
            at(Phase::Checking, 8_192, Some((1_000_000, 40_000_000)), 0),
            at(Phase::Checking, 120_000, Some((10_000_000, 40_000_000)), 3),
            at(Phase::Checking, 1_048_576, Some((1_000, 4_000)), 4_000),
            at(Phase::Checking, 1_048_576, Some((39_999, 40_000)), 60),
            at(Phase::Checking, 300_000, None, 10),
            Status {
                file: None,
                ..at(Phase::Writing, 0, None, 2)
            },
        ];
        let text: Vec<String> = [Lang::Zh, Lang::En]
            .iter()
            .flat_map(|l| cases.iter().map(move |c| line(c, *l)))
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }

    #[test]
    fn a_share_past_its_total_is_not_shown() {
        let s = at(Phase::Checking, 10, Some((12, 10)), 5);
        assert_eq!(
            line(&s, Lang::En),
            "checking samples/2025-08.csv: 10 rows, 2 rows/s"
        );
    }

    #[test]
    fn numbers_and_times_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
        assert_eq!(clock(9), "0:09");
        assert_eq!(clock(3_725), "1:02:05");
    }
}
