//! The status bar: briefing title, section i/N, position in the section,
//! search or keyword state, and a key hint. In input modes it is the prompt.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Mode, Reader, Screen};
use crate::ui::outline::truncate;

pub(super) fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    buf.set_style(area, theme.status);
    let width = usize::from(area.width);
    // The left part is a (cuttable) title and a place that must stay
    // visible; the middle is search or keyword state or a notice.
    let (title, place, middle) = match (&app.mode, app.screen) {
        (Mode::Search { input, .. }, _) => {
            let search = app.reader.as_ref().map(|r| &r.search);
            let count = search.map_or(0, |s| s.matches.len());
            // While the rest is searched in the background, or the rest of
            // the file is still loading (it is searched once it is in), a
            // count is a floor and none is not yet "no match".
            let more = if search.is_some_and(|s| s.pending.is_some())
                || app.loading.is_some()
                || app.counting
            {
                "+"
            } else {
                ""
            };
            let info = if input.is_empty() {
                String::new()
            } else if count == 0 && !more.is_empty() {
                "  searching…".to_owned()
            } else if count == 0 {
                "  no match".to_owned()
            } else if count == 1 {
                format!("  1{more} match")
            } else {
                format!("  {count}{more} matches")
            };
            (String::new(), format!("/{input}▏"), info)
        }
        (Mode::AddTerm { input }, _) => (
            String::new(),
            format!("+{input}▏"),
            "  word, phrase or re:regex · Enter watches it".to_owned(),
        ),
        (Mode::Mark { set }, _) => {
            let marks: String = app
                .reader
                .as_ref()
                .map(|r| r.memory.marks.keys().collect())
                .unwrap_or_default();
            let known = if marks.is_empty() {
                "no marks yet".to_owned()
            } else {
                format!("marks: {marks}")
            };
            if *set {
                (
                    String::new(),
                    "m▏".to_owned(),
                    format!("  a letter names the mark · {known} · Esc cancels"),
                )
            } else {
                (
                    String::new(),
                    "'▏".to_owned(),
                    format!("  a mark's letter, or ' for the previous place · {known}"),
                )
            }
        }
        (Mode::Jump { input }, _) => (
            String::new(),
            format!(":{input}▏"),
            "  section number, Enter to go".to_owned(),
        ),
        (_, Screen::Library) => {
            let lib = app.library.as_ref();
            let n = lib.map_or(0, |l| l.library.entries.len());
            let i = lib.map_or(0, |l| l.selected + 1);
            let partial = lib.map_or(0, |l| {
                l.library.entries.iter().filter(|e| e.partial).count()
            });
            let loading = if partial > 0 {
                format!("  loading {partial} more…")
            } else {
                String::new()
            };
            (String::new(), format!(" {i}/{n} briefings "), loading)
        }
        (_, Screen::Reader) => match &app.reader {
            Some(r) => reader_status(app, r),
            None => (String::new(), String::new(), String::new()),
        },
    };
    let hint = match app.screen {
        Screen::Library => " Enter open · ? help · q quit ",
        Screen::Reader => " ? help · q quit ",
    };
    // A notice (such as the place resumed at) takes the middle; the
    // progress of a load still in hand goes before it.
    let notice = app.notice.as_deref().map(|n| match &app.loading {
        Some(progress) => format!(" {} · {n} ", loading(progress)),
        None => format!(" {n} "),
    });
    let hint_width = if width > place.width() + hint.width() + 24 {
        hint.width()
    } else {
        0
    };
    let left_room = width.saturating_sub(hint_width);
    let left = if title.is_empty() {
        truncate(&place, left_room)
    } else {
        // The place always shows; the title gets what is left after it and
        // after some of the middle, and is cut first.
        let fixed = place.width() + 3;
        let mut title_room = left_room.saturating_sub(fixed + middle.width().min(30));
        if title_room < 8 {
            title_room = left_room.saturating_sub(fixed);
        }
        let title = truncate(&title, title_room);
        if title.is_empty() {
            truncate(&place, left_room)
        } else {
            truncate(&format!(" {title} ·{place}"), left_room)
        }
    };
    let middle_room = left_room.saturating_sub(left.width());
    let mut spans = vec![Span::styled(left.clone(), theme.status_accent)];
    let middle_text = match &notice {
        Some(n) => truncate(n, middle_room),
        None => truncate(&middle, middle_room),
    };
    let middle_style = if notice.is_some() {
        theme.notice
    } else {
        theme.status
    };
    let used = left.width() + middle_text.width();
    spans.push(Span::styled(middle_text, middle_style));
    spans.push(Span::styled(
        " ".repeat(left_room.saturating_sub(used)),
        theme.status,
    ));
    if hint_width > 0 {
        spans.push(Span::styled(hint, theme.status));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}

fn reader_status(app: &App, r: &Reader) -> (String, String, String) {
    let n = r.section_count();
    let height = app.viewport.detail_height;
    let total = r.lines.len();
    let position = if total <= height {
        "all".to_owned()
    } else if r.scroll == 0 {
        "top".to_owned()
    } else if r.scroll + height >= total {
        "end".to_owned()
    } else {
        format!("{}%", (r.scroll + height) * 100 / total)
    };
    let number = r
        .outline
        .entries
        .get(r.selected)
        .map_or("", |e| e.label.as_str());
    let sep = if number.is_empty() { "" } else { " " };
    let place = format!(" §{}/{n}{sep}{number} · {position} ", r.selected + 1);
    let mut middle = String::new();
    if let Some(progress) = &app.loading {
        middle.push_str(&format!("  {}", loading(progress)));
    } else if app.counting {
        middle.push_str("  counting…");
    }
    if !r.search.query.is_empty() {
        // While a background job looks through the rest, the count is a
        // floor.
        let more = if r.search.pending.is_some() { "+" } else { "" };
        let count = format!("{}{more}", r.search.matches.len());
        match r.search.current {
            Some(i) => middle.push_str(&format!("  /{} {}/{}", r.search.query, i + 1, count)),
            None => middle.push_str(&format!("  /{} {count} matches", r.search.query)),
        }
    }
    // While they are counted again, "counting…" says it.
    if r.keywords.is_active() && !r.keywords.is_pending() {
        let total = r.keywords.total();
        let sections = r.keywords.sections_with_hits;
        middle.push_str(&format!(
            "  keywords: {} in {}",
            plural(total, "hit"),
            plural(sections, "section")
        ));
    }
    if r.repeat_count > 0 {
        let state = if r.show_repeats { "shown" } else { "hidden" };
        middle.push_str(&format!(
            "  ⟳ {} {state} (r)",
            plural(r.repeat_count, "repeat")
        ));
    }
    if !r.briefing.warnings.is_empty() {
        middle.push_str(&format!(
            "  {}",
            plural(r.briefing.warnings.len(), "warning")
        ));
    }
    if r.read_count > 0 {
        middle.push_str(&format!("  {}/{n} read", r.read_count));
    }
    (r.briefing.title.clone(), place, middle)
}

/// How far loading has come, as the status bar says it: in percent of a
/// file, in bytes read of a stream.
fn loading(progress: &crate::background::Progress) -> String {
    match progress.percent() {
        Some(percent) => format!("loading {percent}%…"),
        None => format!("loading… {} read", bytes(progress.done())),
    }
}

/// A number of bytes as people read it: `900 B`, `16 KB`, `12.5 MB`,
/// `1.2 GB` (powers of 1000, one decimal from 10 MB down to 1 MB and for
/// gigabytes).
fn bytes(n: u64) -> String {
    const K: u64 = 1000;
    match n {
        0..K => format!("{n} B"),
        K..1_000_000 => format!("{} KB", n / K),
        1_000_000..10_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        10_000_000..1_000_000_000 => format!("{} MB", n / 1_000_000),
        _ => format!("{:.1} GB", n as f64 / 1e9),
    }
}

/// `1 hit`, `2 hits`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::bytes;

    #[test]
    fn bytes_read_as_people_read_them() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1_000, "1 KB"),
            (16_384, "16 KB"),
            (999_999, "999 KB"),
            (1_000_000, "1.0 MB"),
            (1_250_000, "1.2 MB"),
            (9_990_000, "10.0 MB"),
            (10_000_000, "10 MB"),
            (52_428_800, "52 MB"),
            (999_999_999, "999 MB"),
            (1_000_000_000, "1.0 GB"),
            (u64::MAX, "18446744073.7 GB"),
        ];
        for (n, shown) in cases {
            assert_eq!(bytes(n), shown, "{n}");
        }
    }
}
