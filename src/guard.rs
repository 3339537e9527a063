//! Containing panics from parsers: a bug in a dependency on one strange
//! document becomes an error naming the file, not a crash.
//!
//! [`contain`] runs a closure and turns a panic into `Err(message)`. The
//! panic hook installed by [`install_hook`] stays silent for contained
//! panics (so nothing is printed over the reader's screen and the terminal
//! is not restored for a panic that was handled) and defers to the previous
//! hook for every other panic.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Run `f`; a panic inside it becomes `Err` with the panic's message and
/// location.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = CONTAINING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(was));
    result.map_err(|payload| {
        LAST.with(|l| l.borrow_mut().take()).unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned())
        })
    })
}

/// Install a panic hook that is silent inside [`contain`] and calls the
/// hook installed before it otherwise. Install it after any hook that
/// restores the terminal, so that a contained panic does not restore it.
pub fn install_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if CONTAINING.with(Cell::get) {
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            LAST.with(|l| *l.borrow_mut() = Some(format!("{message}{location}")));
        } else {
            previous(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        let result: Result<(), String> = contain(|| panic!("parser bug"));
        assert!(result.unwrap_err().contains("parser bug"));
        assert_eq!(contain(|| 7), Ok(7));
    }
}
