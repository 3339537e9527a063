//! Pure rendering: `render(&App, &mut Frame)` reads the state and draws it,
//! never mutating anything. One function per screen region, each in its own
//! module.
//!
//! ```text
//! ┌ outline ──────────┐┌ detail ─────────────────────────────┐
//! │ 1 Summary         ││ 2.1 Findings                        │
//! │▸2 Findings     3  ││                                     │
//! │  2.1 Substations  ││ wrapped, styled, highlighted text   │
//! └───────────────────┘└─────────────────────────────────────┘
//!  status: title · §i/N · position · search/keywords · keys
//! ```
//!
//! [`areas`] is the one function that decides where regions go; `update`
//! uses it too (for scroll bounds and mouse hits), so both always agree.

mod detail;
mod help;
pub use help::{HelpRow, help_rows, help_shown};
mod keywords;
mod library;
mod links;
mod outline;
mod status;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::{App, Focus, Mode, Screen};

pub use detail::styled_line;

/// Where each region of the screen goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// Rows of outline entries (inside its border), when shown.
    pub outline: Option<Rect>,
    /// The outline including its right border.
    pub outline_frame: Option<Rect>,
    /// The keyword panel with its header row, when shown.
    pub keywords_frame: Option<Rect>,
    /// Rows of the keyword panel (under the outline), when shown.
    pub keywords: Option<Rect>,
    /// Text rows of the detail pane (or the list of briefings). When the
    /// pane is hidden this is where it would be, so text keeps its width.
    pub detail: Rect,
    pub show_detail: bool,
    /// The column right of the text, for the scroll bar.
    pub scrollbar: Option<Rect>,
    /// A header row above the list of briefings.
    pub header: Option<Rect>,
    pub status: Option<Rect>,
}

/// Panes side by side need at least this many columns; below it only the
/// focused pane shows.
pub const TWO_PANE_MIN_WIDTH: u16 = 60;

/// Split the terminal into regions for the current screen and focus.
pub fn areas(app: &App) -> Areas {
    let full = app.area();
    let (main, status) = if full.height >= 2 {
        let main = Rect {
            height: full.height - 1,
            ..full
        };
        let status = Rect {
            y: full.y + full.height - 1,
            height: 1,
            ..full
        };
        (main, Some(status))
    } else {
        (full, None)
    };
    match app.screen {
        Screen::Library => {
            let (header, list) = if main.height >= 2 {
                (
                    Some(Rect { height: 1, ..main }),
                    Rect {
                        y: main.y + 1,
                        height: main.height - 1,
                        ..main
                    },
                )
            } else {
                (None, main)
            };
            Areas {
                outline: None,
                outline_frame: None,
                keywords_frame: None,
                keywords: None,
                detail: list,
                show_detail: true,
                scrollbar: None,
                header,
                status,
            }
        }
        Screen::Reader => reader_areas(app, main, status),
    }
}

/// Regions of the reader: outline (with the keyword panel under it) beside
/// the text, or only the focused pane on a narrow terminal.
fn reader_areas(app: &App, main: Rect, status: Option<Rect>) -> Areas {
    let reader = app.reader.as_ref();
    let focus = reader.map_or(Focus::Outline, |r| r.focus);
    let panel = reader.is_some_and(|r| r.panel.visible);
    let panel_rows = reader.map_or(0, |r| r.panel_rows().len() + 1);
    let mut areas = Areas {
        outline: None,
        outline_frame: None,
        keywords_frame: None,
        keywords: None,
        detail: detail_areas(main).0,
        show_detail: false,
        scrollbar: None,
        header: None,
        status,
    };
    // Split a column between the outline and the keyword panel (a header
    // row, then its rows).
    let split = |column: Rect, areas: &mut Areas| {
        if panel && column.height >= 6 {
            let wanted = u16::try_from(panel_rows + 1).unwrap_or(u16::MAX);
            // At most two fifths of the column, at least 3 rows (a column
            // of 6 or 7 rows has less than 3 in two fifths).
            let panel_height = wanted.min(column.height * 2 / 5).max(3);
            let outline_height = column.height - panel_height;
            areas.outline = Some(Rect {
                height: outline_height,
                ..column
            });
            let frame = Rect {
                y: column.y + outline_height,
                height: panel_height,
                ..column
            };
            areas.keywords_frame = Some(frame);
            areas.keywords = Some(Rect {
                y: frame.y + 1,
                height: frame.height - 1,
                ..frame
            });
        } else {
            areas.outline = Some(column);
        }
    };
    if main.width >= TWO_PANE_MIN_WIDTH {
        // Three tenths, within 20 to 42 columns, moved by `>` and `<`;
        // never under 12 columns, nor leaving the text under 30.
        let base = i32::from((main.width * 3 / 10).clamp(20, 42));
        let widest = (i32::from(main.width) - 30).max(12);
        let ow = (base + i32::from(app.outline_offset)).clamp(12, widest) as u16;
        areas.outline_frame = Some(Rect { width: ow, ..main });
        split(
            Rect {
                width: ow - 1,
                ..main
            },
            &mut areas,
        );
        let rest = Rect {
            x: main.x + ow,
            width: main.width - ow,
            ..main
        };
        let (detail, scrollbar) = detail_areas(rest);
        areas.detail = detail;
        areas.scrollbar = scrollbar;
        areas.show_detail = true;
    } else {
        match focus {
            Focus::Outline => {
                areas.outline_frame = Some(main);
                areas.outline = Some(main);
            }
            Focus::Keywords => {
                areas.keywords_frame = Some(main);
                areas.keywords = (main.height > 1).then(|| Rect {
                    y: main.y + 1,
                    height: main.height - 1,
                    ..main
                });
            }
            Focus::Detail => {
                let (detail, scrollbar) = detail_areas(main);
                areas.detail = detail;
                areas.scrollbar = scrollbar;
                areas.show_detail = true;
            }
        }
    }
    areas
}

/// The text column of a detail region: one column of padding on the left,
/// one on the right (but in a narrow pane), then one for the scroll bar.
fn detail_areas(rest: Rect) -> (Rect, Option<Rect>) {
    if rest.width < 4 {
        return (rest, None);
    }
    // A column of margin each side of the text: none against the bar and
    // a full line read as running into it (`so█`). Narrow panes keep
    // their columns for text.
    let gap = u16::from(rest.width >= 24);
    let text = Rect {
        x: rest.x + 1,
        width: rest.width - 2 - gap,
        ..rest
    };
    let bar = Rect {
        x: rest.x + rest.width - 1,
        width: 1,
        ..rest
    };
    (text, Some(bar))
}

/// Width at which text is laid out in a detail region: never wider than
/// `max` (the configured maximum text width).
pub fn text_width(detail: Rect, max: usize) -> usize {
    usize::from(detail.width).clamp(1, max.max(1))
}

/// Draw the whole screen. Draws nothing when the frame is not the size the
/// state was laid out for (the next resize message fixes that).
pub fn render(app: &App, frame: &mut Frame<'_>) {
    if frame.area() != app.area() {
        return;
    }
    let areas = areas(app);
    let buf = frame.buffer_mut();
    match app.screen {
        Screen::Library => library::render(app, &areas, buf),
        Screen::Reader => {
            if let Some(reader) = &app.reader {
                outline::render(app, reader, &areas, buf);
                keywords::render(app, reader, &areas, buf);
                detail::render(app, reader, &areas, buf);
            }
        }
    }
    if let Some(status) = areas.status {
        status::render(app, status, buf);
    }
    match &app.mode {
        Mode::Help { scroll } => help::render(app, *scroll, app.area(), buf),
        Mode::Links { links, selected } => links::render(app, links, *selected, app.area(), buf),
        _ => {}
    }
}

/// A bordered box of at most `width`×`height` cells, centred in `screen`
/// above the status row, cleared and framed with `title`. Returns the
/// inside of the box.
fn popup(
    app: &App,
    screen: Rect,
    width: usize,
    height: usize,
    title: &str,
    buf: &mut Buffer,
) -> Rect {
    use ratatui::widgets::{Block, Borders, Clear, Widget};
    let room = screen.height.saturating_sub(1);
    let width = width.min(usize::from(screen.width)) as u16;
    let height = height.min(usize::from(room).max(1)) as u16;
    let area = Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (room - height.min(room)) / 2,
        width,
        height,
    };
    Clear.render(area, buf);
    // A wide character just left of the box would spill over its border
    // (the terminal draws both its columns): blank it.
    if let Some(left) = area.x.checked_sub(1) {
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(left, y)];
            if unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(app.theme.pane_border_focused)
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}
