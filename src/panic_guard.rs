//! A panic (ours or a library's) must end as a program error, exit 2, naming the file being
//! processed or the output folder, and must never print its payload: a library's panic
//! text may quote input content. The run says what it is doing here; `catch` turns a panic
//! at the stage boundary into `Error::Internal`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::Error;

thread_local! {
    /// The input being processed, for the message of a panic. Per thread: `catch` runs on
    /// the thread that drives the stages (worker panics are resumed there).
    static DOING: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}
/// Where the last panic happened (source file and line of the code, never its payload).
static LOCATION: Mutex<Option<String>> = Mutex::new(None);

/// The run is now reading (or checking the rows of) this input, as shown to the user.
pub fn reading(file: &str) {
    DOING.with(|d| *d.borrow_mut() = Some(file.to_string()));
}

/// The run is past the inputs (finishing and committing outputs).
pub fn done_reading() {
    DOING.with(|d| *d.borrow_mut() = None);
}

/// Replaces the default panic hook (which prints the payload) by one that only records
/// where the panic happened. For the binary; library tests keep the default hook.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        // The last two parts of the source path are enough to find it.
        let at = info.location().map(|l| {
            let parts: Vec<&str> = l.file().rsplit(['/', '\\']).take(2).collect();
            let short: Vec<&str> = parts.into_iter().rev().collect();
            format!("{}:{}", short.join("/"), l.line())
        });
        if CATCHING.load(Ordering::SeqCst) == 0 {
            // No stage boundary will report it (another command): say it here, still
            // without the payload.
            eprintln!(
                "headcount: 内部错误 / internal error{}: 这是 headcount 的缺陷，请报告 / a defect in headcount, please report it",
                at.as_deref().map(|l| format!(" ({l})")).unwrap_or_default()
            );
        }
        *LOCATION.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }));
}

/// How many `catch` scopes are running (the hook stays silent inside one).
static CATCHING: AtomicUsize = AtomicUsize::new(0);

/// Runs `f`; a panic inside becomes `Error::Internal` naming the file being read, or the
/// output folder when the panic was a failed write (a full disk inside the workbook
/// writer: "Couldn't write to xml file: No space left on device").
pub fn catch<T>(out: &Path, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    done_reading();
    CATCHING.fetch_add(1, Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.fetch_sub(1, Ordering::SeqCst);
    let doing = DOING.with(|d| d.borrow_mut().take());
    match result {
        Ok(r) => r,
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let location = LOCATION.lock().unwrap_or_else(|p| p.into_inner()).take();
            Err(Error::Internal {
                file: doing,
                out: out.to_path_buf(),
                write: write_failure(&text),
                location,
            })
        }
    }
}

/// Whether a panic payload reports a failed write (only classified, never shown).
fn write_failure(payload: &str) -> Option<WriteFailure> {
    if payload.contains("No space left on device") || payload.contains("os error 28") {
        Some(WriteFailure::Full)
    } else if payload.contains("File too large") || payload.contains("os error 27") {
        Some(WriteFailure::TooLarge)
    } else if payload.contains("Couldn't write to") {
        Some(WriteFailure::Other)
    } else {
        None
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum WriteFailure {
    Full,
    TooLarge,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Lang;

    #[test]
    fn a_full_disk_panic_in_the_workbook_writer_names_the_folder() {
        let e = catch::<()>(Path::new("headcount-out"), || {
            reading("a.csv");
            panic!("Couldn't write to xml file: No space left on device (os error 28)")
        })
        .unwrap_err();
        let zh = crate::error::message(&e, Lang::Zh);
        let en = crate::error::message(&e, Lang::En);
        assert!(
            zh.contains("headcount-out") && zh.contains("磁盘空间不足"),
            "{zh}"
        );
        assert!(
            en.contains("headcount-out") && en.contains("no space left"),
            "{en}"
        );
        assert!(!en.contains("xml"), "{en}");
    }

    #[test]
    fn a_panic_names_the_file_and_never_its_payload() {
        let e = catch::<()>(Path::new("out"), || {
            reading("samples/x.xls");
            panic!("index out of range: 110101199003071234 张三")
        })
        .unwrap_err();
        for lang in [Lang::Zh, Lang::En] {
            let m = crate::error::message(&e, lang);
            assert!(m.contains("samples/x.xls"), "{m}");
            assert!(!m.contains("110101") && !m.contains("张三"), "{m}");
        }
        assert!(catch(Path::new("out"), || Ok(1)).is_ok_and(|v| v == 1));
    }
}
