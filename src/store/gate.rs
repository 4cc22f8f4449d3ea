//! The gate every use of the database file passes while Plantlog runs, so a restore can
//! swap the file under the running core: [`Gate::close`] lets no new use in, waits until
//! the uses inside have ended ([`Closed::drain`]), and the file is then free to be moved
//! aside and replaced; dropping the [`Closed`] guard opens the gate again and the waiting
//! uses go on, on the new file.
//!
//! The pool's connections ([`super::Db`]) and each run of the compactor enter the gate;
//! the writer, which keeps its connection between commits, closes it when asked
//! ([`super::WriterHandle::quiesce`]) and waits at the gate before it opens a new one.
//! A thread already inside the gate (a pooled use that takes a second connection) is
//! not stopped at it again, so a closing gate never waits for a use that waits for it.

use std::cell::Cell;
use std::sync::{Arc, Condvar, Mutex};

#[derive(Clone, Default)]
pub struct Gate {
    inner: Arc<(Mutex<State>, Condvar)>,
}

#[derive(Default)]
struct State {
    closed: bool,
    inside: usize,
}

thread_local! {
    /// How many uses this thread is inside (of any gate).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// A use inside the gate; leaving drops it.
pub struct Entered {
    gate: Gate,
}

/// The gate closed for a swap; dropping it opens the gate again.
pub struct Closed {
    gate: Gate,
}

impl Gate {
    /// Enters: waits while the gate is closed (unless this thread is inside already).
    pub fn enter(&self) -> Entered {
        let (lock, cv) = &*self.inner;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        if DEPTH.get() == 0 {
            while s.closed {
                s = cv.wait(s).unwrap_or_else(|e| e.into_inner());
            }
        }
        s.inside += 1;
        DEPTH.set(DEPTH.get() + 1);
        Entered { gate: self.clone() }
    }

    /// Waits until the gate is open (for a user that holds nothing meanwhile).
    pub fn wait_open(&self) {
        let (lock, cv) = &*self.inner;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        while s.closed {
            s = cv.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Closes the gate: no new use enters (waits for another closer to finish first).
    pub fn close(&self) -> Closed {
        let (lock, cv) = &*self.inner;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        while s.closed {
            s = cv.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.closed = true;
        Closed { gate: self.clone() }
    }

    /// Whether the gate is closed now.
    pub fn is_closed(&self) -> bool {
        self.inner
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .closed
    }
}

impl Closed {
    /// Waits until every use that was inside has left.
    pub fn drain(&self) {
        let (lock, cv) = &*self.gate.inner;
        let mut s = lock.lock().unwrap_or_else(|e| e.into_inner());
        while s.inside > 0 {
            s = cv.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for Closed {
    fn drop(&mut self) {
        let (lock, cv) = &*self.gate.inner;
        lock.lock().unwrap_or_else(|e| e.into_inner()).closed = false;
        cv.notify_all();
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        let (lock, cv) = &*self.gate.inner;
        lock.lock().unwrap_or_else(|e| e.into_inner()).inside -= 1;
        DEPTH.set(DEPTH.get().saturating_sub(1));
        cv.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn a_closed_gate_waits_for_the_uses_inside_and_holds_new_ones_until_it_opens() {
        let gate = Gate::default();
        let inside = gate.enter();
        let closed = gate.close();
        assert!(gate.is_closed());
        let entered = Arc::new(AtomicUsize::new(0));
        let t = {
            let (gate, entered) = (gate.clone(), entered.clone());
            std::thread::spawn(move || {
                let _e = gate.enter();
                entered.fetch_add(1, Ordering::SeqCst);
            })
        };
        let drained = Arc::new(AtomicUsize::new(0));
        let d = {
            let drained = drained.clone();
            std::thread::spawn(move || {
                closed.drain();
                drained.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                drop(closed);
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(drained.load(Ordering::SeqCst), 0, "a use is still inside");
        assert_eq!(entered.load(Ordering::SeqCst), 0, "the gate is closed");
        // A second use on a thread already inside is not held (it would never end).
        let nested = gate.enter();
        drop(nested);
        drop(inside);
        d.join().unwrap();
        t.join().unwrap();
        assert_eq!(drained.load(Ordering::SeqCst), 1);
        assert_eq!(entered.load(Ordering::SeqCst), 1);
        assert!(!gate.is_closed());
    }
}
