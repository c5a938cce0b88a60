//! The last line behind the checks of `guard`: a panic inside a third-party reader is
//! caught at the reader boundary and becomes a refusal naming the file. Such a panic is
//! expected and reported, so its message (a library's internals) is kept off stderr: the
//! process's panic hook stays silent while a contained call runs on this thread, and
//! prints every other panic as before.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

static HOOK: Once = Once::new();

/// A contained call panicked (its message was not shown).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Panicked;

/// Runs `f`; `Err(Panicked)` if it panicked.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f)).map_err(|_| Panicked);
    CONTAINED.with(|c| c.set(outer));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        assert_eq!(contain(|| 7), Ok(7));
        let r: Result<(), Panicked> = contain(|| panic!("inside a reader"));
        assert!(r.is_err());
        // Nested and repeated calls keep working.
        assert_eq!(contain(|| contain(|| 1)), Ok(Ok(1)));
    }
}
