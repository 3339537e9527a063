//! Work that runs beside the event loop: finishing the load of a large
//! briefing after its first screen is up, and the derived facts that take
//! time at tens of megabytes (repeats, keyword hits, every match of a
//! search).
//!
//! Each job runs on its own thread and sends one or more [`Loaded`]
//! messages into the event loop; `App::update` applies them like any other
//! message. Jobs never touch the app: they only read what they were given.
//! Shared briefings travel as `Arc`s and come back inside the message, so
//! the app can drop the last other reference before it changes one (no copy
//! of a 50 MB model).

use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::briefing::Briefing;
use crate::keywords::{Keywords, Term};
use crate::library::{self, Entry};
use crate::loader::{self, LoadOptions, StreamName};
use crate::repeat::{self, RepeatMarks};
use crate::search::{Job, Matches};
use crate::state::{Comparison, Derived};

/// A result of background work, for `App::update`.
#[derive(Debug)]
pub enum Loaded {
    /// The whole briefing is parsed: the outline is complete, and what the
    /// reader derives from it is made. With the load's progress, which
    /// tells it from other loads.
    Briefing(Arc<Briefing>, Box<Derived>, Progress),
    /// What has come of a stream still being read, parsed (see
    /// [`loader::Growth`]), with what the reader derives from it and the
    /// load's progress.
    Grown(Arc<Briefing>, Box<Derived>, Progress),
    /// Loading failed after the first screen was shown.
    Failed(String, Progress),
    /// Repeated text found in the briefing sent before (which comes back).
    Repeats(RepeatMarks, Arc<Briefing>),
    /// Keyword hits over the whole briefing (which comes back), for the
    /// terms they were computed for.
    Keywords(Box<Keywords>, Arc<Briefing>),
    /// Terms suggested for the keyword panel, with their counts, in the
    /// briefing (which comes back).
    Suggestions(Vec<(String, usize)>, Arc<Briefing>),
    /// A new version of the briefing compared with the one shown, which
    /// both come back (see [`compare`]).
    Compared {
        comparison: Comparison,
        shown: Arc<Briefing>,
        new: Arc<Briefing>,
    },
    /// Every match of the search of this generation (see `search::Job`).
    Search { generation: u64, matches: Matches },
    /// A briefing of the folder's list, read whole (see
    /// [`crate::library::Library::scan_first`]).
    Entry(Box<Entry>),
}

/// How far a load has come, shared with the loading thread.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Bytes loaded (a file) or read (a stream) so far.
    pub done: Arc<AtomicU64>,
    /// The file's size; `None` for a stream, whose size is known only
    /// once it ends.
    pub total: Option<u64>,
}

impl Progress {
    /// The progress of loading `total` bytes.
    pub fn new(total: u64) -> Progress {
        Progress {
            done: Arc::new(AtomicU64::new(0)),
            total: Some(total),
        }
    }

    /// The progress of reading a stream of unknown size, of which `read`
    /// bytes are read already.
    pub fn of_stream(read: u64) -> Progress {
        Progress {
            done: Arc::new(AtomicU64::new(read)),
            total: None,
        }
    }

    /// Whether `other` is the progress of the same load.
    pub fn is_of_same_load(&self, other: &Progress) -> bool {
        Arc::ptr_eq(&self.done, &other.done)
    }

    /// Bytes loaded or read so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Percent done, 0 to 100; `None` for a stream.
    pub fn percent(&self) -> Option<u64> {
        let total = self.total?;
        if total == 0 {
            return Some(100);
        }
        Some((self.done().min(total) * 100) / total)
    }
}

/// What a background load reads: the whole of a file, or the rest of a
/// stream after its first screenful.
pub enum Source {
    File(PathBuf),
    /// A stream (standard input, a named pipe), of which `head` was read
    /// already (see [`loader::load_stream_start`]).
    Stream {
        head: Vec<u8>,
        input: Box<dyn Read + Send>,
        name: StreamName,
    },
}

impl Source {
    /// Load it all, counting the bytes loaded or read in `done`.
    fn load(
        self,
        options: &LoadOptions,
        done: &AtomicU64,
        show: &mut dyn FnMut(Briefing),
    ) -> Result<Briefing, String> {
        match self {
            Source::File(path) => {
                loader::load_file_with_progress(&path, options, done).map_err(|e| e.to_string())
            }
            Source::Stream { head, input, name } => {
                loader::load_stream_rest(head, input, &name, options, done, show)
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// A stream read on a thread of its own from the start, so that its first
/// part can be shown after a short wait: a slow writer (a command that
/// prints as it goes) may take long to fill a screenful or to end. Reads
/// block until something comes; how long at most is the pipe's `Wait`.
/// A read that waited that long fails with [`io::ErrorKind::TimedOut`]
/// and can be tried again: nothing is lost.
pub struct Pipe {
    chunks: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
    wait: Wait,
}

/// How long a [`Pipe`]'s read waits for more.
enum Wait {
    /// The first part: once something has come, reads wait until `patience`
    /// after that, in all (see [`loader::load_stream_start`]).
    FirstPart {
        patience: Duration,
        deadline: Option<Instant>,
    },
    /// Each read waits at most this long: longer, and the writer has
    /// paused (see [`loader::Growth`]).
    Pause(Duration),
}

impl Pipe {
    /// Start reading `input` on a thread, with `patience`.
    pub fn spawn(mut input: Box<dyn Read + Send>, patience: Duration) -> Pipe {
        // At most this much read ahead of what is taken.
        let (sender, chunks) = mpsc::sync_channel(64);
        let reading = move || {
            loop {
                let mut chunk = vec![0; 64 * 1024];
                let sent = match input.read(&mut chunk) {
                    Ok(0) => return,
                    Ok(n) => {
                        chunk.truncate(n);
                        sender.send(Ok(chunk))
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return;
                    }
                };
                if sent.is_err() {
                    return;
                }
            }
        };
        let spawned = thread::Builder::new()
            .name("brief-pipe".to_owned())
            .spawn(reading);
        let chunks = match spawned {
            Ok(_) => chunks,
            Err(e) => {
                // Nothing will read it: say so at the first read.
                let (sender, chunks) = mpsc::sync_channel(1);
                let _ = sender.send(Err(e));
                chunks
            }
        };
        Pipe {
            chunks,
            chunk: Vec::new(),
            at: 0,
            wait: Wait::FirstPart {
                patience,
                deadline: None,
            },
        }
    }

    /// From now on, a read that has waited `pause` for more fails with
    /// [`io::ErrorKind::TimedOut`]: the writer has paused.
    pub fn time_pauses(&mut self, pause: Duration) {
        self.wait = Wait::Pause(pause);
    }
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.at == self.chunk.len() {
            let wait = match self.wait {
                Wait::FirstPart {
                    deadline: Some(deadline),
                    ..
                } => Some(deadline.saturating_duration_since(Instant::now())),
                Wait::Pause(pause) => Some(pause),
                Wait::FirstPart { deadline: None, .. } => None,
            };
            let next = match wait {
                Some(wait) => match self.chunks.recv_timeout(wait) {
                    Ok(next) => next,
                    Err(RecvTimeoutError::Timeout) => {
                        return Err(io::ErrorKind::TimedOut.into());
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(0),
                },
                None => match self.chunks.recv() {
                    Ok(next) => next,
                    Err(_) => return Ok(0),
                },
            };
            self.chunk = next?;
            self.at = 0;
            if let Wait::FirstPart {
                patience,
                deadline: deadline @ None,
            } = &mut self.wait
            {
                *deadline = Some(Instant::now() + *patience);
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Load the whole of `source` and then find its repeats, sending each
/// result as it is ready. `send` wraps a [`Loaded`] into the loop's message
/// type.
pub fn load<M: Send + 'static>(
    source: Source,
    options: LoadOptions,
    progress: Progress,
    sender: Sender<M>,
    send: fn(Loaded) -> M,
) {
    let on_failure = sender.clone();
    let ours = progress.clone();
    let spawned = thread::Builder::new()
        .name("brief-load".to_owned())
        .spawn(move || {
            // A stream that grows slowly is shown as it grows.
            let mut show = |part: Briefing| {
                let part = Arc::new(part);
                let derived = Box::new(Derived::of(&part));
                let _ = sender.send(send(Loaded::Grown(part, derived, progress.clone())));
            };
            let briefing = match source.load(&options, &progress.done, &mut show) {
                Ok(b) => Arc::new(b),
                Err(e) => {
                    let _ = sender.send(send(Loaded::Failed(e, progress)));
                    return;
                }
            };
            let derived = Box::new(Derived::of(&briefing));
            if let Some(total) = progress.total {
                progress.done.store(total, Ordering::Relaxed);
            }
            if sender
                .send(send(Loaded::Briefing(
                    Arc::clone(&briefing),
                    derived,
                    progress,
                )))
                .is_err()
            {
                return;
            }
            let marks = repeat::find(&briefing);
            let _ = sender.send(send(Loaded::Repeats(marks, briefing)));
        });
    if let Err(e) = spawned {
        // No thread: nothing more will come; say so rather than wait.
        let _ = on_failure.send(send(Loaded::Failed(
            format!("could not start loading: {e}"),
            ours,
        )));
    }
}

/// A switch the app turns on to hold a background job between two of its
/// items, and off to let it go on.
#[derive(Debug, Clone, Default)]
pub struct Hold(Arc<(Mutex<bool>, Condvar)>);

impl Hold {
    pub fn set(&self, on: bool) {
        let (lock, turned) = &*self.0;
        let mut held = lock.lock().unwrap_or_else(PoisonError::into_inner);
        if *held != on {
            *held = on;
            turned.notify_all();
        }
    }

    pub fn is_on(&self) -> bool {
        *self.0.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wait (asleep) while it is on.
    fn wait(&self) {
        let (lock, turned) = &*self.0;
        let held = lock.lock().unwrap_or_else(PoisonError::into_inner);
        drop(
            turned
                .wait_while(held, |on| *on)
                .unwrap_or_else(PoisonError::into_inner),
        );
    }
}

/// Read the briefings at `paths` whole, one after the other, for the
/// folder's list, which shows their first screenful meanwhile; each entry
/// is sent as it is made. While `hold` is on (a briefing opened from the
/// list is loading or being read), the next one waits.
pub fn read_entries<M: Send + 'static>(
    paths: Vec<PathBuf>,
    options: LoadOptions,
    hold: Hold,
    sender: Sender<M>,
    send: fn(Loaded) -> M,
) {
    spawn_or_run("brief-library", move || {
        for path in paths {
            hold.wait();
            let entry = library::read_entry(path, &options);
            if sender.send(send(Loaded::Entry(Box::new(entry)))).is_err() {
                return;
            }
        }
    });
}

/// Count `terms` over the whole briefing on a thread; then, with
/// `suggest`, suggest terms for the keyword panel.
pub fn keywords<M: Send + 'static>(
    terms: Vec<Term>,
    briefing: Arc<Briefing>,
    include_repeats: bool,
    suggest: bool,
    sender: Sender<M>,
    send: fn(Loaded) -> M,
) {
    spawn_or_run("brief-keywords", move || {
        let keywords = Box::new(Keywords::new(terms, &briefing, include_repeats));
        let _ = sender.send(send(Loaded::Keywords(keywords, Arc::clone(&briefing))));
        if suggest {
            let terms = crate::suggest::for_panel(&briefing);
            let _ = sender.send(send(Loaded::Suggestions(terms, briefing)));
        }
    });
}

/// Compare a new version of the briefing with the one shown on a thread
/// (here, if no thread can be started: the reload must not stay pending).
pub fn compare<M: Send + 'static>(
    shown: Arc<Briefing>,
    new: Arc<Briefing>,
    sender: Sender<M>,
    send: fn(Loaded) -> M,
) {
    spawn_or_run("brief-compare", move || {
        let comparison = Comparison::of(&shown, &new);
        let _ = sender.send(send(Loaded::Compared {
            comparison,
            shown,
            new,
        }));
    });
}

/// Suggest terms for the keyword panel on a thread.
pub fn suggestions<M: Send + 'static>(
    briefing: Arc<Briefing>,
    sender: Sender<M>,
    send: fn(Loaded) -> M,
) {
    spawn_or_run("brief-suggest", move || {
        let terms = crate::suggest::for_panel(&briefing);
        let _ = sender.send(send(Loaded::Suggestions(terms, briefing)));
    });
}

/// Find every match of a search on a thread (here, if no thread can be
/// started: the search must not stay pending). Nothing is sent when the
/// job is cancelled first (a newer search replaced it).
pub fn search<M: Send + 'static>(
    job: Job,
    briefing: Arc<Briefing>,
    sender: Sender<M>,
    send: fn(Loaded) -> M,
) {
    spawn_or_run("brief-search", move || {
        let found = job.run(&briefing);
        // Let go of the briefing before the result can arrive, so the app
        // holds the only reference again when it needs to change it.
        drop(briefing);
        if let Some(matches) = found {
            let _ = sender.send(send(Loaded::Search {
                generation: job.generation,
                matches,
            }));
        }
    });
}

/// Let go of `value` on a thread of its own: a briefing of 50 MiB is
/// millions of allocations, and freeing them took 45 ms of a reload on the
/// thread that draws.
pub fn drop_later<T: Send + 'static>(value: T) {
    spawn_or_run("brief-drop", move || drop(value));
}

/// Run `work` on a new thread, or here if no thread can be started: its
/// result must arrive either way (the app would wait for it forever).
fn spawn_or_run(name: &str, work: impl FnOnce() + Send + 'static) {
    let slot = Arc::new(Mutex::new(Some(work)));
    let theirs = Arc::clone(&slot);
    let take = |slot: &Mutex<Option<_>>| slot.lock().ok().and_then(|mut w| w.take());
    let spawned = thread::Builder::new().name(name.to_owned()).spawn(move || {
        if let Some(work) = take(&theirs) {
            work();
        }
    });
    if spawned.is_err()
        && let Some(work) = take(&slot)
    {
        work();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_pipe_gives_what_has_come_once_its_writer_pauses() {
        use std::io::Write as _;
        let (reader, mut writer) = io::pipe().expect("a pipe");
        writer
            .write_all(b"# Morning brief\n\n## Weather\n\nRain.\n")
            .expect("write");
        let mut pipe = Pipe::spawn(Box::new(reader), Duration::from_millis(50));
        let name = StreamName::stdin();
        let options = LoadOptions::default();
        // The writer is still there, and quiet: the first part is what came.
        let start = loader::load_stream_start(&mut pipe, &name, &options, 16 * 1024)
            .expect("the first part");
        let loader::StreamStart::Part { preview, head } = start else {
            panic!("a pipe still open is in parts: {start:?}");
        };
        assert_eq!(preview.title, "Morning brief");
        assert_eq!(preview.sections.len(), 2);
        pipe.time_pauses(Duration::from_millis(50));
        let rest = thread::spawn(move || {
            writer.write_all(b"\n## Markets\n\nFlat.\n").expect("write");
            // Dropped: the end of the stream.
        });
        let done = AtomicU64::new(0);
        let whole = loader::load_stream_rest(head, pipe, &name, &options, &done, &mut |_| {})
            .expect("whole");
        rest.join().expect("no panic");
        let titles: Vec<&str> = whole.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Morning brief", "Weather", "Markets"]);
    }

    #[test]
    fn a_pipe_that_ends_at_once_is_whole_and_an_empty_one_is_refused() {
        let start_of = |input: Box<dyn Read + Send>| {
            let mut pipe = Pipe::spawn(input, Duration::from_secs(60));
            let (name, options) = (StreamName::stdin(), LoadOptions::default());
            loader::load_stream_start(&mut pipe, &name, &options, 16 * 1024)
        };
        let start = start_of(Box::new(&b"# Note\n\nShort.\n"[..]));
        assert!(
            matches!(start, Ok(loader::StreamStart::Whole(_))),
            "{start:?}"
        );
        let start = start_of(Box::new(io::empty()));
        assert!(
            matches!(start, Err(loader::StreamError::Empty { .. })),
            "{start:?}"
        );
    }

    #[test]
    fn a_hold_keeps_a_waiting_job_until_it_is_turned_off() {
        let hold = Hold::default();
        hold.wait(); // Off: no wait.
        hold.set(true);
        let (done, finished) = mpsc::channel();
        let theirs = hold.clone();
        let job = thread::spawn(move || {
            theirs.wait();
            done.send(()).expect("the test waits");
        });
        assert!(
            finished.recv_timeout(Duration::from_millis(100)).is_err(),
            "held"
        );
        hold.set(false);
        finished
            .recv_timeout(Duration::from_secs(10))
            .expect("let go once turned off");
        job.join().expect("no panic");
    }
}
