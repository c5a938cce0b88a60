//! Ctrl-C and termination: staged outputs hold full ID numbers, so on SIGINT, SIGTERM or
//! SIGHUP the run removes the temporary files and folders it made, says so on stderr, and
//! exits with 128 + the signal (130 for Ctrl-C). The staging code registers what it
//! creates here and unregisters it once committed or dropped.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::finding::Lang;

/// Temporary paths of this process that a signal must remove (files, or folders removed
/// whole).
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static LANG: AtomicU8 = AtomicU8::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);
/// The outputs were renamed into place (a signal after that changes nothing written).
static COMMITTED: AtomicBool = AtomicBool::new(false);

/// Called by the commit once every output is in place.
pub fn committed() {
    COMMITTED.store(true, Ordering::SeqCst);
}

/// `verify`'s re-run commits into a scratch folder, which is not the user's output.
pub fn uncommitted() {
    COMMITTED.store(false, Ordering::SeqCst);
}

/// The registry, even if a panicking thread held the lock (the list stays valid).
pub(crate) fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Remember a temporary path to remove on a signal.
pub fn register(path: &Path) {
    live().push(path.to_path_buf());
}

/// Forget a path (committed, or already removed).
pub fn unregister(path: &Path) {
    live().retain(|p| p != path);
}

/// Sets the language of the signal message (the run knows it only after reading options).
pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

/// Starts the thread that waits for SIGINT, SIGTERM and SIGHUP. Idempotent. On a signal
/// it takes the registry lock, so a commit in progress (which holds it while renaming)
/// finishes first; then it removes what is left and exits.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        // Without the handler the default action applies; the next run cleans up.
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let removed = remove_live();
            // A progress line may be on the terminal: the message starts on a clean line.
            use std::io::IsTerminal;
            let clear = if std::io::stderr().is_terminal() {
                "\r\x1b[2K"
            } else {
                ""
            };
            eprintln!(
                "{clear}{}",
                message(signal, removed, COMMITTED.load(Ordering::SeqCst))
            );
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
pub fn install() {
    INSTALLED.store(true, Ordering::SeqCst);
}

/// Removes every registered path; returns how many there were. The lock is kept until
/// the process exits, so nothing new is staged or renamed after this.
fn remove_live() -> usize {
    let mut live = live();
    let n = live.len();
    for p in live.drain(..) {
        let _ = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
    }
    std::mem::forget(live);
    n
}

fn message(signal: i32, removed: usize, committed: bool) -> String {
    let lang = if LANG.load(Ordering::Relaxed) == Lang::En as u8 {
        Lang::En
    } else {
        Lang::Zh
    };
    let what = match (signal, lang) {
        (2, Lang::Zh) => "收到中断信号（Ctrl-C）".to_string(),
        (2, Lang::En) => "interrupted (Ctrl-C)".to_string(),
        (s, Lang::Zh) => format!("收到终止信号 {s}"),
        (s, Lang::En) => format!("terminated by signal {s}"),
    };
    match (lang, committed) {
        (Lang::Zh, false) => format!(
            "headcount: {what}：已删除本次运行的 {removed} 个临时文件，之前的输出保持不变"
        ),
        (Lang::En, false) => format!(
            "headcount: {what}: removed this run's {removed} temporary file(s); the previous outputs are unchanged"
        ),
        (Lang::Zh, true) => format!(
            "headcount: {what}：本次运行的输出已经全部提交，已删除 {removed} 个临时文件"
        ),
        (Lang::En, true) => format!(
            "headcount: {what}: this run had already committed all its outputs; removed {removed} temporary file(s)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_paths_are_removed_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.tmp");
        let b = dir.path().join("sub");
        std::fs::write(&a, "x").unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("c"), "x").unwrap();
        register(&a);
        register(&b);
        unregister(&b);
        assert!(live().contains(&a) && !live().contains(&b));
        unregister(&a);
        assert!(!live().contains(&a));
    }

    #[test]
    fn the_message_is_in_the_users_language() {
        set_lang(Lang::En);
        assert!(message(2, 3, false).contains("interrupted (Ctrl-C): removed this run's 3"));
        assert!(message(2, 0, true).contains("already committed"));
        set_lang(Lang::Zh);
        assert!(message(15, 1, false).contains("收到终止信号 15"));
    }
}
