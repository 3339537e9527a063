//! The outline pane: section titles indented by depth, numbered, with fold
//! markers and keyword hit counts; the selected entry highlighted.

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, CHANGED_MARK, Focus, READ_MARK, Reader};
use crate::layout::{display_width, fit};
use crate::ui::Areas;

pub(super) fn render(app: &App, reader: &Reader, areas: &Areas, buf: &mut Buffer) {
    let (Some(area), Some(frame)) = (areas.outline, areas.outline_frame) else {
        return;
    };
    let theme = &app.theme;
    // The right border, when the outline sits beside the text.
    if frame.width > area.width {
        let style = if reader.focus == Focus::Outline {
            theme.pane_border_focused
        } else {
            theme.pane_border
        };
        let x = frame.x + frame.width - 1;
        for y in frame.y..frame.y + frame.height {
            buf.set_string(x, y, "│", style);
        }
    }
    let width = usize::from(area.width);
    for (row, &s) in reader
        .visible
        .iter()
        .skip(reader.outline_scroll)
        .take(usize::from(area.height))
        .enumerate()
    {
        let entry = &reader.outline.entries[s];
        let section = &reader.briefing.sections[s];
        let fold = match (entry.has_children, reader.collapsed[s]) {
            (true, true) => "▸ ",
            (true, false) => "▾ ",
            (false, _) => "  ",
        };
        let indent = "  ".repeat(entry.depth.min(8));
        let count = reader.keywords.section_counts.get(s).copied().unwrap_or(0);
        let count_text = if count > 0 {
            format!(" {count}")
        } else {
            String::new()
        };
        let is_read = reader.read.get(s).copied().unwrap_or(false);
        let is_changed = reader.changed.get(s).copied().unwrap_or(false);
        let mark = if is_read {
            READ_MARK
        } else if is_changed {
            CHANGED_MARK
        } else {
            " "
        };
        let prefix = if entry.label.is_empty() {
            format!("{indent}{fold}")
        } else {
            format!("{indent}{fold}{} ", entry.label)
        };
        let room = width
            .saturating_sub(mark.width() + prefix.width())
            .saturating_sub(count_text.width());
        let title = if section.duplicate_of.is_some() {
            truncate(&format!("⟳ {}", section.title), room)
        } else {
            truncate(&section.title, room)
        };
        let pad = room.saturating_sub(title.width());
        let selected = s == reader.selected;
        let row_style = match (selected, reader.focus) {
            (true, Focus::Outline) => theme.selected_focused,
            (true, Focus::Detail | Focus::Keywords) => theme.selected_unfocused,
            // Read sections step back; unread ones stand out.
            (false, _) if is_read => theme.dim,
            (false, _) => theme.outline,
        };
        let mark_style = match (selected, is_changed) {
            (true, _) => row_style,
            (false, true) => theme.notice,
            (false, false) => theme.dim,
        };
        let number_style = if selected {
            row_style
        } else {
            theme.outline_number
        };
        let count_style = if selected { row_style } else { theme.hit_count };
        let line = Line::from(vec![
            Span::styled(mark, mark_style),
            Span::styled(prefix, number_style),
            Span::styled(title, row_style),
            Span::styled(" ".repeat(pad), row_style),
            Span::styled(count_text, count_style),
        ]);
        buf.set_line(area.x, area.y + row as u16, &line, area.width);
        if selected {
            buf.set_style(
                ratatui::layout::Rect {
                    y: area.y + row as u16,
                    height: 1,
                    ..area
                },
                Style::new().patch(row_style),
            );
        }
    }
}

/// Cut `s` to at most `width` columns, ending with `…` when cut. The text
/// here comes from documents and file names: any control character left
/// is shown as a symbol (ratatui would drop it silently).
pub(super) fn truncate(s: &str, width: usize) -> String {
    let s: String = s.chars().map(crate::loader::visible).collect();
    if display_width(&s) <= width {
        return s;
    }
    if width == 0 {
        return String::new();
    }
    let mut out = fit(&s, width - 1).to_owned();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncation_respects_display_width() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("日本語です", 5), "日本…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("⚠️⚠️⚠️", 5), "⚠️⚠️…");
        assert_eq!(truncate("a\u{1b}]0;x\u{7}", 20), "a␛]0;x␇");
    }
}
