//! The list of the selected section's links, over the text: number, text
//! and target; the selected one highlighted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::briefing::Link;
use crate::ui::outline::truncate;

pub(super) fn render(app: &App, links: &[Link], selected: usize, screen: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let rows: Vec<(String, String)> = links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let number = if i < 9 {
                format!("{} ", i + 1)
            } else {
                "  ".to_owned()
            };
            let text = if l.text.is_empty() || l.text == l.target {
                String::new()
            } else {
                format!("{}  ", l.text)
            };
            (format!("{number}{text}"), l.target.clone())
        })
        .collect();
    let title = " links · Enter or 1–9 opens · Esc closes ";
    let want = rows
        .iter()
        .map(|(a, b)| a.width() + b.width())
        .max()
        .unwrap_or(0)
        .max(title.width())
        + 4;
    let inner = super::popup(app, screen, want, rows.len() + 2, title, buf);
    let shown = usize::from(inner.height).max(1);
    let scroll = selected.saturating_sub(shown - 1);
    let inner_width = usize::from(inner.width);
    for (row, (i, (text, target))) in rows.iter().enumerate().skip(scroll).take(shown).enumerate() {
        let style = if i == selected {
            theme.selected_focused
        } else {
            theme.help
        };
        let text = truncate(text, inner_width);
        let target = truncate(target, inner_width.saturating_sub(text.width()));
        let pad = inner_width.saturating_sub(text.width() + target.width());
        let target_style = if i == selected { style } else { theme.dim };
        let line = Line::from(vec![
            Span::styled(text, style),
            Span::styled(target, target_style),
            Span::styled(" ".repeat(pad), style),
        ]);
        buf.set_line(inner.x, inner.y + row as u16, &line, inner.width);
    }
}
