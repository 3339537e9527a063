//! The event loop and the terminal's lifecycle, in one place.
//!
//! Raw mode, the alternate screen and mouse capture are switched on here and
//! switched off here: on quit, on error, through the panic hook on panic,
//! and on `SIGTERM`, `SIGHUP` and `SIGINT` (caught into a flag the loop
//! checks every time it wakes, at least every quarter second; the process
//! then exits with status 128 + the signal's number, as a shell expects).
//! The loop draws, waits for the next [`Message`], hands it to
//! [`App::update`] and carries out any [`Effect`]. Messages come down one
//! channel from every source: terminal events (read on their own thread,
//! see `Input`), background work (loading, counting, searching) and the
//! watcher following the open file; so whatever arrives is drawn at once,
//! and the loop sleeps when nothing does. Besides the terminal it holds
//! only handles to the outside world: the state store and the watcher.

use std::io::{self, BufWriter, Read, Stdout, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use crossterm::cursor::Show;
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Position, Size};

use crate::app::{App, Effect, Message, Opened};
use crate::background::{self, Progress};
use crate::keymap::Key;
use crate::loader::{self, LoadOptions, StreamName};
use crate::state::Store;
use crate::ui;
use crate::watch::{self, Watcher};

/// Background work to start once the first screen is drawn.
pub enum Startup {
    /// Load the rest of the briefing whose first screenful is shown.
    Load(Load),
    /// Read whole the briefings of the folder's list that it shows from
    /// their first screenful (see [`crate::library::Library::scan_first`]),
    /// held while the app holds it.
    Library(Vec<PathBuf>, background::Hold),
}

/// Loading the rest of a large file or of a stream, whose first
/// screenful is already in the app.
pub struct Load {
    pub source: background::Source,
    pub progress: Progress,
}

impl Load {
    /// Loading the file at `path`, its progress out of the file's size.
    pub fn of(path: PathBuf) -> Load {
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        Load {
            source: background::Source::File(path),
            progress: Progress::new(size),
        }
    }

    /// Reading the rest of a stream, `head` read already.
    pub fn of_stream(head: Vec<u8>, input: Box<dyn Read + Send>, name: StreamName) -> Load {
        Load {
            progress: Progress::of_stream(head.len() as u64),
            source: background::Source::Stream { head, input, name },
        }
    }
}

/// Set this variable (to anything) and the loop panics after the first
/// frame: for tests that check the terminal is restored on panic.
pub const TEST_PANIC_VAR: &str = "BRIEF_TEST_PANIC";

/// Run the reader until the user quits. The terminal is restored however
/// this returns; after a terminating signal it is restored and the process
/// exits with status 128 + the signal's number.
pub fn run(
    mut app: App,
    options: &LoadOptions,
    startup: Option<Startup>,
    store: Option<&Store>,
) -> io::Result<()> {
    // Before raw mode: a signal arriving from now on must be caught.
    let signals = Signals::register()?;
    install_panic_hook();
    let mut terminal = match open_screen() {
        Ok(terminal) => terminal,
        Err(e) => {
            restore();
            return Err(e);
        }
    };
    crate::guard::install_hook();
    let (sender, receiver) = mpsc::channel::<Message>();
    if let Some(Startup::Load(load)) = &startup {
        app.loading = Some(load.progress.clone());
        app.counting = true;
    }
    let input = match Input::start(sender.clone()) {
        Ok(input) => input,
        Err(e) => {
            // Raw mode is on: leave the terminal as it was found.
            restore();
            return Err(e);
        }
    };
    let world = World {
        options,
        store,
        sender: &sender,
        input: &input,
    };
    let result = execute!(stdout(), EnableMouseCapture).and_then(|()| {
        event_loop(
            &mut terminal,
            &mut app,
            &world,
            &signals,
            &receiver,
            startup,
        )
    });
    restore();
    // Quit, error or signal: remember the place (a panic skips this).
    world.save(&mut app);
    if let Some(signal) = signals.caught() {
        std::process::exit(128 + signal);
    }
    result
}

/// Terminating signals, caught into a flag that the loop checks.
struct Signals {
    /// The number of the last signal caught, 0 for none.
    caught: Arc<AtomicUsize>,
}

impl Signals {
    #[cfg(unix)]
    fn register() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let caught = Arc::new(AtomicUsize::new(0));
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            let number = usize::try_from(signal).expect("signal numbers are positive");
            signal_hook::flag::register_usize(signal, Arc::clone(&caught), number)?;
        }
        Ok(Signals { caught })
    }

    #[cfg(not(unix))]
    fn register() -> io::Result<Signals> {
        Ok(Signals {
            caught: Arc::new(AtomicUsize::new(0)),
        })
    }

    fn caught(&self) -> Option<i32> {
        match self.caught.load(Ordering::SeqCst) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }
}

/// The terminal the reader draws on. A frame is written to the buffer and
/// goes out in one write when the frame is flushed, so the terminal never
/// shows half of one and a frame costs one system call. (Standard output
/// on its own writes every 1 KiB: five or six calls for a 120×40 frame.)
type Screen = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Room for a whole frame: one of 120×40 in colour is 2–8 KiB. A larger
/// one goes out in as many writes as it needs.
const FRAME_BYTES: usize = 64 * 1024;

/// Raw mode and the alternate screen, and a [`Screen`] on them.
fn open_screen() -> io::Result<Screen> {
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen)?;
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        FRAME_BYTES,
        stdout(),
    )))
}

/// Undo everything `run` switched on. Safe to call more than once.
pub fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture, Show);
    ratatui::restore();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Terminal events, read on their own thread and sent into the loop's
/// channel. Paused while another program (the editor) has the terminal,
/// so that none of its keys are taken.
struct Input {
    paused: Arc<AtomicBool>,
    /// The thread has seen `paused` and stays off the terminal.
    parked: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    failed: Arc<Mutex<Option<io::Error>>>,
}

impl Input {
    /// How long a read waits before looking at the flags again.
    const POLL: Duration = Duration::from_millis(50);

    fn start(sender: Sender<Message>) -> io::Result<Input> {
        let input = Input {
            paused: Arc::new(AtomicBool::new(false)),
            parked: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            failed: Arc::new(Mutex::new(None)),
        };
        let (paused, parked, stop, failed) = (
            Arc::clone(&input.paused),
            Arc::clone(&input.parked),
            Arc::clone(&input.stop),
            Arc::clone(&input.failed),
        );
        let read = move || -> io::Result<()> {
            while !stop.load(Ordering::SeqCst) {
                if paused.load(Ordering::SeqCst) {
                    parked.store(true, Ordering::SeqCst);
                    thread::sleep(Duration::from_millis(5));
                    continue;
                }
                parked.store(false, Ordering::SeqCst);
                if event::poll(Self::POLL)?
                    && let Some(message) = to_message(&event::read()?)
                    && sender.send(message).is_err()
                {
                    return Ok(());
                }
            }
            Ok(())
        };
        thread::Builder::new()
            .name("brief-input".into())
            .spawn(move || {
                if let Err(e) = read() {
                    *failed
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(e);
                }
            })?;
        Ok(input)
    }

    /// Stop reading the terminal until [`Input::resume`]; returns once the
    /// thread is off it.
    fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
        let deadline = std::time::Instant::now() + Self::POLL * 4;
        while !self.parked.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            thread::sleep(Duration::from_millis(2));
        }
    }

    fn resume(&self) {
        self.parked.store(false, Ordering::SeqCst);
        self.paused.store(false, Ordering::SeqCst);
    }

    /// Why reading the terminal failed, if it did (the reader then ends).
    fn failure(&self) -> Option<io::Error> {
        self.failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// The outside world the loop acts on for `update`.
struct World<'a> {
    options: &'a LoadOptions,
    store: Option<&'a Store>,
    sender: &'a Sender<Message>,
    input: &'a Input,
}

impl World<'_> {
    /// Save what is remembered about the open briefing, if anything.
    fn save(&self, app: &mut App) {
        if let (Some(store), Some((path, memory))) = (self.store, app.memory_to_save())
            && let Err(e) = store.remember(&path, &memory)
        {
            app.update(Message::Notice(e.to_string()));
        }
    }

    /// Follow the open briefing's file, if it has one and is not already
    /// followed.
    fn follow(&self, app: &App, watching: &mut Option<(PathBuf, Watcher)>) {
        let path = app.reader.as_ref().and_then(|r| r.path.clone());
        if watching.as_ref().map(|(p, _)| p) == path.as_ref() {
            return;
        }
        *watching = path.and_then(|path| {
            let stamp = app.reader.as_ref().and_then(|r| r.stamp);
            let watcher = watch::watch(
                &path,
                stamp,
                self.options.clone(),
                self.sender.clone(),
                |path, result| Message::Reloaded {
                    path,
                    result: Box::new(result),
                },
            )
            .ok()?;
            Some((path, watcher))
        });
    }

    /// Load the rest of a briefing whose first screenful is shown, in the
    /// background; returns the load's progress.
    fn load(&self, load: Load) -> Progress {
        background::load(
            load.source,
            self.options.clone(),
            load.progress.clone(),
            self.sender.clone(),
            Message::Loaded,
        );
        load.progress
    }

    /// Start the background work that waited for the first screen.
    fn start(&self, startup: Startup) {
        match startup {
            Startup::Load(load) => {
                self.load(load);
            }
            Startup::Library(paths, hold) => background::read_entries(
                paths,
                self.options.clone(),
                hold,
                self.sender.clone(),
                Message::Loaded,
            ),
        }
    }

    /// Carry out one effect; its outcome may be another message.
    fn carry_out(
        &self,
        terminal: &mut Screen,
        app: &mut App,
        effect: Effect,
    ) -> io::Result<Option<Message>> {
        Ok(match effect {
            Effect::Open(path) => {
                // Leaving one briefing for another: remember the first.
                self.save(app);
                // As at start: the first screenful at once, the rest in
                // the background.
                let stamp = watch::Stamp::of(&path);
                let result = loader::load_preview(&path, self.options, loader::PREVIEW_BYTES)
                    .map(|(briefing, complete)| {
                        let loading = (!complete).then(|| self.load(Load::of(path.clone())));
                        let memory = self
                            .store
                            .map(|s| s.recall(&path).memory)
                            .unwrap_or_default();
                        Opened {
                            path: path.clone(),
                            stamp,
                            briefing,
                            loading,
                            memory,
                        }
                    })
                    .map_err(|e| e.to_string());
                Some(Message::Opened(Box::new(result)))
            }
            Effect::CountKeywords {
                terms,
                briefing,
                include_repeats,
                suggest,
            } => {
                background::keywords(
                    terms,
                    briefing,
                    include_repeats,
                    suggest,
                    self.sender.clone(),
                    Message::Loaded,
                );
                None
            }
            Effect::Suggest(briefing) => {
                background::suggestions(briefing, self.sender.clone(), Message::Loaded);
                None
            }
            Effect::Compare { shown, new } => {
                background::compare(shown, new, self.sender.clone(), Message::Loaded);
                None
            }
            Effect::Search { job, briefing } => {
                background::search(job, briefing, self.sender.clone(), Message::Loaded);
                None
            }
            Effect::Save { path, memory } => self
                .store
                .and_then(|store| store.remember(&path, &memory).err())
                .map(|e| Message::Notice(e.to_string())),
            Effect::OpenExternal(target) => open_external(&target)
                .err()
                .map(|e| Message::Notice(format!("could not open {target}: {e}"))),
            Effect::Edit { path, line } => {
                self.input.pause();
                let outcome = edit(terminal, &path, line);
                self.input.resume();
                let outcome = outcome?;
                Some(match outcome {
                    Ok(()) => Message::Reloaded {
                        result: Box::new(
                            loader::load_file(&path, self.options).map_err(|e| e.to_string()),
                        ),
                        path,
                    },
                    Err(message) => Message::Notice(message),
                })
            }
        })
    }
}

/// Hand a URL or file to the system's opener (`BRIEF_OPENER`, when set, is
/// the command to use), without waiting and without touching the terminal.
fn open_external(target: &str) -> io::Result<()> {
    match std::env::var(OPENER_VAR)
        .ok()
        .filter(|c| !c.trim().is_empty())
    {
        Some(command) => {
            let mut words = command.split_whitespace();
            let program = words.next().unwrap_or_default();
            Command::new(program)
                .args(words)
                .arg(target)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map(drop)
        }
        None => open::that_detached(target),
    }
}

/// The command links are opened with, instead of the system's opener.
pub const OPENER_VAR: &str = "BRIEF_OPENER";

/// Run the user's editor (`$VISUAL`, `$EDITOR`, else `vi`) on `path` at
/// `line`, with the terminal handed over to it and taken back after.
/// The outer error is the terminal's; the inner one is for the user.
fn edit(terminal: &mut Screen, path: &Path, line: usize) -> io::Result<Result<(), String>> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_owned());
    restore();
    // Through the shell, as git does, so `EDITOR="code -w"` works.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\" \"$2\""))
        .arg("sh")
        .arg(format!("+{line}"))
        .arg(path)
        .status();
    crossterm::terminal::enable_raw_mode()?;
    execute!(
        stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture
    )?;
    terminal.clear()?;
    Ok(match status {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{editor} exited with {s}; reloading anyway")),
        Err(e) => Err(format!("could not run {editor}: {e}")),
    })
}

fn event_loop(
    terminal: &mut Screen,
    app: &mut App,
    world: &World,
    signals: &Signals,
    receiver: &Receiver<Message>,
    mut startup: Option<Startup>,
) -> io::Result<()> {
    // Started after a frame and once loading is done (see below).
    let mut watching: Option<(PathBuf, Watcher)> = None;
    let size = terminal.size()?;
    app.update(Message::Resize(size));
    let test_panic = std::env::var_os(TEST_PANIC_VAR).is_some();
    let mut redraw = true;
    while app.is_running {
        if signals.caught().is_some() {
            return Ok(());
        }
        // A resize can reach the terminal before its event reaches us: lay
        // out for the size the frame will really have.
        let size = terminal.size()?;
        if size != app.size {
            app.update(Message::Resize(size));
            redraw = true;
        }
        if redraw {
            terminal.draw(|frame| ui::render(app, frame))?;
        }
        assert!(!test_panic, "{TEST_PANIC_VAR} is set: panicking on purpose");
        if let Some(startup) = startup.take() {
            // The first screen is up: load the rest of the file. Started
            // only now, as the terminal needs a core to show that screen:
            // loading beside it made the first screen later in the e2e
            // bench (Markdown 50 MiB: 8.6-9.3 ms against 6.5-7.1 ms).
            world.start(startup);
        }
        // Follow the file on disk from here, so that the watcher's first
        // read of the whole file competes neither with a frame nor with
        // the loader.
        if app.loading.is_none() {
            world.follow(app, &mut watching);
        }
        // Wait for the next message from anywhere; tick while loading so
        // the progress moves, and wake now and then for signals.
        let wait = if app.loading.is_some() {
            Duration::from_millis(100)
        } else {
            Duration::from_millis(250)
        };
        let mut messages: Vec<Message> = match receiver.recv_timeout(wait) {
            Ok(message) => vec![message],
            Err(_) if app.loading.is_some() => vec![Message::Tick],
            Err(_) => Vec::new(),
        };
        // Take everything already queued before drawing again; a wake-up
        // with nothing to show (it only looked at the signal flag) draws
        // nothing.
        messages.extend(receiver.try_iter());
        redraw = !messages.is_empty();
        if let Some(e) = world.input.failure() {
            return Err(e);
        }
        for message in messages {
            let mut effect = app.update(message);
            while let Some(next) = effect.take() {
                if let Some(message) = world.carry_out(terminal, app, next)? {
                    effect = app.update(message);
                }
            }
        }
    }
    Ok(())
}

fn to_message(event: &Event) -> Option<Message> {
    match *event {
        Event::Key(ref key) if key.kind != KeyEventKind::Release => {
            Some(Message::Key(Key::from_event(key)))
        }
        Event::Resize(width, height) => Some(Message::Resize(Size { width, height })),
        Event::Mouse(mouse) => {
            let position = Position {
                x: mouse.column,
                y: mouse.row,
            };
            match mouse.kind {
                MouseEventKind::ScrollDown => Some(Message::Wheel { position, delta: 3 }),
                MouseEventKind::ScrollUp => Some(Message::Wheel {
                    position,
                    delta: -3,
                }),
                MouseEventKind::Down(MouseButton::Left) => Some(Message::Click(position)),
                _ => None,
            }
        }
        _ => None,
    }
}
