//! The event loop and the terminal's lifecycle, in one place.
//!
//! Raw mode, the alternate screen and mouse capture are switched on here and
//! switched off here: on quit, on error, through the panic hook on panic,
//! and on `SIGTERM`, `SIGHUP` and `SIGINT` (caught into a flag the loop
//! checks every time it wakes, at least every quarter second; the process
//! then exits with status 128 + the signal's number, as a shell expects).
//! The loop draws, reads one event, turns it into a [`Message`], hands it
//! to [`App::update`] and carries out any [`Effect`]. It holds no state of
//! its own.

use std::io::{self, stdout};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use crossterm::cursor::Show;
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use ratatui::DefaultTerminal;
use ratatui::layout::{Position, Size};

use crate::app::{App, Effect, Message};
use crate::background::{self, Progress};
use crate::keymap::Key;
use crate::loader::{self, LoadOptions};
use crate::ui;

/// Background loading to start with the reader: the rest of a large file
/// whose first screenful is already in the app.
pub struct Startup {
    pub path: PathBuf,
    pub progress: Progress,
}

/// Set this variable (to anything) and the loop panics after the first
/// frame: for tests that check the terminal is restored on panic.
pub const TEST_PANIC_VAR: &str = "BRIEF_TEST_PANIC";

/// Run the reader until the user quits. The terminal is restored however
/// this returns; after a terminating signal it is restored and the process
/// exits with status 128 + the signal's number.
pub fn run(mut app: App, options: &LoadOptions, startup: Option<Startup>) -> io::Result<()> {
    // Before raw mode: a signal arriving from now on must be caught.
    let signals = Signals::register()?;
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    crate::guard::install_hook();
    let (sender, receiver) = mpsc::channel::<Message>();
    if let Some(startup) = startup {
        app.loading = Some(startup.progress.clone());
        app.counting = true;
        background::load(
            startup.path,
            options.clone(),
            startup.progress,
            sender.clone(),
            Message::Loaded,
        );
    }
    let result = execute!(stdout(), EnableMouseCapture).and_then(|()| {
        event_loop(
            &mut terminal,
            &mut app,
            options,
            &signals,
            &sender,
            &receiver,
        )
    });
    restore();
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

/// Undo everything `run` switched on. Safe to call more than once.
pub fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture, Show);
    ratatui::restore();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, Show);
        previous(info);
    }));
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    options: &LoadOptions,
    signals: &Signals,
    sender: &Sender<Message>,
    receiver: &Receiver<Message>,
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Message::Resize(size));
    let test_panic = std::env::var_os(TEST_PANIC_VAR).is_some();
    while app.is_running {
        if signals.caught().is_some() {
            return Ok(());
        }
        // A resize can reach the terminal before its event reaches us: lay
        // out for the size the frame will really have.
        let size = terminal.size()?;
        if size != app.size {
            app.update(Message::Resize(size));
        }
        terminal.draw(|frame| ui::render(app, frame))?;
        assert!(!test_panic, "{TEST_PANIC_VAR} is set: panicking on purpose");
        // Wait for a key or for background work, whichever comes first;
        // tick while loading so the progress moves.
        let mut messages: Vec<Message> = receiver.try_iter().collect();
        if messages.is_empty() {
            // A background search's result should reach the screen at
            // once: nothing else wakes this wait when it arrives.
            let searching = app
                .reader
                .as_ref()
                .is_some_and(|r| r.search.pending.is_some());
            let wait = if searching {
                Duration::from_millis(5)
            } else if app.loading.is_some() || app.counting {
                Duration::from_millis(100)
            } else {
                Duration::from_millis(250)
            };
            if event::poll(wait)? {
                messages.extend(to_message(&event::read()?));
                // Take every event already queued before drawing again.
                while event::poll(Duration::ZERO)? {
                    messages.extend(to_message(&event::read()?));
                }
            } else if app.loading.is_some() {
                messages.push(Message::Tick);
            }
            messages.extend(receiver.try_iter());
        }
        for message in messages {
            let mut effect = app.update(message);
            while let Some(next) = effect.take() {
                match next {
                    Effect::Open(path) => {
                        let result = loader::load_file(&path, options)
                            .map(|briefing| (path.clone(), briefing))
                            .map_err(|e| e.to_string());
                        effect = app.update(Message::Opened(Box::new(result)));
                    }
                    Effect::CountKeywords {
                        terms,
                        briefing,
                        include_repeats,
                    } => background::keywords(
                        terms,
                        briefing,
                        include_repeats,
                        sender.clone(),
                        Message::Loaded,
                    ),
                    Effect::Search { job, briefing } => {
                        background::search(job, briefing, sender.clone(), Message::Loaded);
                    }
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
