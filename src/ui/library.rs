//! The list of briefings in a folder, newest first.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::ui::Areas;
use crate::ui::outline::truncate;

pub(super) fn render(app: &App, areas: &Areas, buf: &mut Buffer) {
    let Some(view) = &app.library else { return };
    let theme = &app.theme;
    if let Some(header) = areas.header {
        let dir = view.library.dir.display().to_string();
        let text = format!(
            " Briefings in {} ",
            truncate(&dir, usize::from(header.width))
        );
        buf.set_line(
            header.x,
            header.y,
            &Line::from(Span::styled(text, theme.title)),
            header.width,
        );
    }
    let area = areas.detail;
    let width = usize::from(area.width);
    for (row, (i, entry)) in view
        .library
        .entries
        .iter()
        .enumerate()
        .skip(view.scroll)
        .take(usize::from(area.height))
        .enumerate()
    {
        let selected = i == view.selected;
        let detail = match (&entry.error, entry.format) {
            // An error can quote the file (a parser's panic message).
            (Some(err), _) => format!("  {}", truncate(err, usize::MAX)),
            // Its outline is still being counted (see `Library::scan_first`).
            (None, Some(format)) if entry.partial => format!("  {} · counting…", format.name()),
            (None, Some(format)) => {
                let s = if entry.sections == 1 { "" } else { "s" };
                let read = view.read.get(i).copied().unwrap_or(0);
                let progress = match read {
                    0 => String::new(),
                    r if r >= entry.sections => " · all read".to_owned(),
                    r => format!(" · {r} read"),
                };
                format!(
                    "  {} · {} section{s}{progress}",
                    format.name(),
                    entry.sections
                )
            }
            (None, None) => String::new(),
        };
        let date = format!(" {:<10}  ", entry.date);
        let room = width.saturating_sub(date.width());
        let detail = if room > 40 { detail } else { String::new() };
        let title = truncate(&entry.title, room.saturating_sub(detail.width()));
        let pad = room.saturating_sub(title.width() + detail.width());
        let base = if selected {
            theme.selected_focused
        } else {
            theme.outline
        };
        let dim = if selected { base } else { theme.dim };
        let line = Line::from(vec![
            Span::styled(date, dim),
            Span::styled(title, base),
            Span::styled(" ".repeat(pad), base),
            Span::styled(detail, dim),
        ]);
        buf.set_line(area.x, area.y + row as u16, &line, area.width);
        if selected {
            buf.set_style(
                Rect {
                    y: area.y + row as u16,
                    height: 1,
                    ..area
                },
                base,
            );
        }
    }
}
