//! The keyword panel: each watched term with its colour, hits and the
//! number of sections it appears in; then the suggested terms with their
//! counts. The selected row is highlighted when the panel has the focus.
//! While the terms are counted or suggested in the background, `…` stands
//! for what is not known yet.

use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Focus, PanelRow, Reader};
use crate::ui::Areas;
use crate::ui::outline::truncate;

/// A line of the panel: a selectable row, the "suggested" label, or the
/// note that suggestions are being worked out.
enum Display {
    Row(usize, PanelRow),
    Label,
    Suggesting,
}

pub(super) fn render(app: &App, reader: &Reader, areas: &Areas, buf: &mut Buffer) {
    let (Some(frame), Some(area)) = (areas.keywords_frame, areas.keywords) else {
        if let Some(frame) = areas.keywords_frame {
            header(app, reader, frame, buf);
        }
        return;
    };
    header(app, reader, frame, buf);
    let theme = &app.theme;
    let rows = reader.panel_rows();
    let mut display = Vec::with_capacity(rows.len() + 1);
    for (i, row) in rows.iter().enumerate() {
        if matches!(row, PanelRow::Suggestion(0)) {
            display.push(Display::Label);
        }
        display.push(Display::Row(i, *row));
    }
    if reader.suggesting {
        display.push(Display::Suggesting);
    }
    if rows.is_empty() && !reader.suggesting {
        let hint = truncate("no terms: + adds one", usize::from(area.width));
        buf.set_string(area.x, area.y, hint, theme.dim);
        return;
    }
    let height = usize::from(area.height);
    let selected_at = display
        .iter()
        .position(|d| matches!(d, Display::Row(i, _) if *i == reader.panel.selected))
        .unwrap_or(0);
    let offset = (selected_at + 1).saturating_sub(height);
    let width = usize::from(area.width);
    let focused = reader.focus == Focus::Keywords;
    for (y, item) in display.iter().skip(offset).take(height).enumerate() {
        let y = area.y + y as u16;
        match item {
            Display::Label => {
                buf.set_string(
                    area.x,
                    y,
                    truncate("suggested (a watches)", width),
                    theme.dim,
                );
            }
            Display::Suggesting => {
                buf.set_string(area.x, y, truncate("suggesting…", width), theme.dim);
            }
            Display::Row(i, row) => {
                let (swatch, swatch_style, text, count, base) = match *row {
                    PanelRow::Term(t) => {
                        let term = &reader.keywords.terms[t];
                        let hits = reader.keywords.term_totals.get(t).copied().unwrap_or(0);
                        let sections = reader.keywords.term_sections.get(t).copied().unwrap_or(0);
                        let (swatch, style) = if term.enabled {
                            ("■ ", app.theme.term(t, term.color.as_deref()))
                        } else {
                            ("□ ", theme.dim)
                        };
                        let base = if term.enabled {
                            theme.outline
                        } else {
                            theme.dim
                        };
                        let count = if reader.keywords.is_pending() {
                            " …".to_owned()
                        } else {
                            format!(" {hits}·{sections}§")
                        };
                        (swatch, style, term.text.clone(), count, base)
                    }
                    PanelRow::Suggestion(k) => {
                        let (text, n) = reader
                            .suggestions
                            .as_ref()
                            .and_then(|l| l.get(k))
                            .cloned()
                            .unwrap_or_default();
                        ("+ ", theme.dim, text, format!(" {n}"), theme.outline)
                    }
                };
                let selected = *i == reader.panel.selected;
                let style = if selected && focused {
                    theme.selected_focused
                } else if selected {
                    theme.selected_unfocused
                } else {
                    base
                };
                let room = width.saturating_sub(2 + count.width());
                let text = truncate(&text, room);
                let pad = room.saturating_sub(text.width());
                let line = Line::from(vec![
                    Span::styled(swatch, if selected { style } else { swatch_style }),
                    Span::styled(text, style),
                    Span::styled(" ".repeat(pad), style),
                    Span::styled(count, if selected { style } else { theme.hit_count }),
                ]);
                buf.set_line(area.x, y, &line, area.width);
            }
        }
    }
}

fn header(app: &App, reader: &Reader, frame: ratatui::layout::Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let mut title = String::from("─ keywords ");
    if reader.filter_hits {
        title.push_str("· filtered ");
    }
    if !reader.keywords.includes_repeats && reader.repeat_count > 0 {
        title.push_str("· repeats not counted ");
    }
    let width = usize::from(frame.width);
    let fill = width.saturating_sub(title.width());
    let style = if reader.focus == Focus::Keywords {
        theme.pane_border_focused
    } else {
        theme.pane_border
    };
    let text = truncate(&format!("{title}{}", "─".repeat(fill)), width);
    buf.set_string(frame.x, frame.y, text, style.add_modifier(Modifier::BOLD));
}
