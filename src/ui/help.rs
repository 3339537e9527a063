//! The help screen, built from the live keymap (so it never lies about a
//! binding).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::keymap::Keymap;

/// One row of the help box: the keys of an action on its first row (blank
/// on the rows its description wraps onto), and that part of the
/// description. `entry` counts the actions.
pub struct HelpRow {
    pub entry: usize,
    pub keys: String,
    pub text: String,
}

/// The help box's rows on a screen `screen_width` columns wide, and the
/// box's width. Descriptions that do not fit beside the keys wrap under
/// themselves rather than being cut.
pub fn help_rows(keymap: &Keymap, screen_width: u16) -> (Vec<HelpRow>, usize) {
    let help = keymap.help();
    let key_width = help.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let desc_width = help.iter().map(|(_, d)| d.width()).max().unwrap_or(0);
    // Borders, two columns between keys and text, one spare on the right.
    let width = (key_width + desc_width + 5).min(usize::from(screen_width));
    // Never narrower than a few words, even if the box then cuts them.
    let room = width.saturating_sub(key_width + 5).max(12);
    let mut rows = Vec::new();
    for (entry, (keys, desc)) in help.iter().enumerate() {
        for (k, range) in crate::layout::wrap_ranges(desc, room)
            .into_iter()
            .enumerate()
        {
            rows.push(HelpRow {
                entry,
                keys: if k == 0 { keys.clone() } else { String::new() },
                text: desc[range].trim_end().to_owned(),
            });
        }
    }
    (rows, width)
}

/// How many rows the help box shows on a screen `screen_height` rows high
/// (the status bar stays), borders aside.
pub fn help_shown(rows: usize, screen_height: u16) -> usize {
    rows.min(usize::from(screen_height.saturating_sub(3)).max(1))
}

pub(super) fn render(app: &App, scroll: usize, screen: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let (rows, width) = help_rows(&app.keymap, screen.width);
    let entries = app.keymap.help().len();
    let shown = help_shown(rows.len(), screen.height);
    let title = if shown < rows.len() {
        let first = rows.get(scroll).map_or(0, |r| r.entry) + 1;
        let last = rows
            .get((scroll + shown).min(rows.len()) - 1)
            .map_or(entries, |r| r.entry + 1);
        format!(" keys {first}–{last} of {entries} · j/k scroll · Esc closes ")
    } else {
        " keys · Esc or ? closes ".to_owned()
    };
    let inner = super::popup(app, screen, width, shown + 2, &title, buf);
    let key_width = rows.iter().map(|r| r.keys.width()).max().unwrap_or(0);
    for (y, row) in rows
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let pad = key_width.saturating_sub(row.keys.width());
        let line = Line::from(vec![
            Span::styled(format!("{}{}", row.keys, " ".repeat(pad)), theme.help_key),
            Span::styled(format!("  {}", row.text), theme.help),
        ]);
        buf.set_line(inner.x, inner.y + y as u16, &line, inner.width);
    }
}
