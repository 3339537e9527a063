//! The event loop and the terminal's lifecycle, in one place.
//!
//! Raw mode, the alternate screen and mouse capture are switched on here and
//! switched off here: on quit, on error and, through the panic hook, on
//! panic. The loop draws, reads one event, turns it into a [`Message`], hands
//! it to [`App::update`] and carries out any [`Effect`]. It holds no state of
//! its own.

use std::io::{self, stdout};

use crossterm::cursor::Show;
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;
use ratatui::DefaultTerminal;
use ratatui::layout::{Position, Size};

use crate::app::{App, Effect, Message};
use crate::keymap::Key;
use crate::loader::{self, LoadOptions};
use crate::ui;

/// Run the reader until the user quits. The terminal is restored however
/// this returns.
pub fn run(mut app: App, options: &LoadOptions) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    crate::guard::install_hook();
    let result = execute!(stdout(), EnableMouseCapture)
        .and_then(|()| event_loop(&mut terminal, &mut app, options));
    restore();
    result
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
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Message::Resize(size));
    while app.is_running {
        // A resize can reach the terminal before its event reaches us: lay
        // out for the size the frame will really have.
        let size = terminal.size()?;
        if size != app.size {
            app.update(Message::Resize(size));
        }
        terminal.draw(|frame| ui::render(app, frame))?;
        let Some(message) = to_message(&event::read()?) else {
            continue;
        };
        let mut effect = app.update(message);
        while let Some(Effect::Open(path)) = effect {
            let result = loader::load_file(&path, options)
                .map(|briefing| (path.clone(), briefing))
                .map_err(|e| e.to_string());
            effect = app.update(Message::Opened(Box::new(result)));
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
