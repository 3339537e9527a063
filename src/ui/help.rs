//! The help screen, built from the live keymap (so it never lies about a
//! binding).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::App;

pub(super) fn render(app: &App, scroll: usize, screen: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let help = app.keymap.help();
    let key_width = help.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let desc_width = help.iter().map(|(_, d)| d.width()).max().unwrap_or(0);
    let width = key_width + desc_width + 6;
    let height = (help.len() + 2).min(usize::from(screen.height.saturating_sub(1)).max(1));
    let shown = height.saturating_sub(2);
    let title = if shown < help.len() {
        let last = (scroll + shown).min(help.len());
        format!(
            " keys {}–{last} of {} · j/k scroll · Esc closes ",
            scroll + 1,
            help.len()
        )
    } else {
        " keys · Esc or ? closes ".to_owned()
    };
    let inner = super::popup(app, screen, width, height, &title, buf);
    for (row, (keys, desc)) in help
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let pad = key_width.saturating_sub(keys.width());
        let line = Line::from(vec![
            Span::styled(format!("{keys}{}", " ".repeat(pad)), theme.help_key),
            Span::styled(format!("  {desc}"), theme.help),
        ]);
        buf.set_line(inner.x, inner.y + row as u16, &line, inner.width);
    }
}
