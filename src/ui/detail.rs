//! The detail pane: the selected section's laid-out lines, styled.
//!
//! [`styled_line`] is the one place where domain text becomes ratatui text.
//! It walks three partitions of the same text at once (inline style runs,
//! keyword hits, search matches) and starts a new span whenever any of them
//! changes. Only the lines on screen are styled.

use std::ops::Range;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line as TuiLine, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget};

use crate::app::{App, Reader};
use crate::briefing::{Inline, StyleRun};
use crate::layout::{Line, Piece};
use crate::theme::Theme;
use crate::ui::Areas;

/// A highlighted range: a keyword term or a search match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub range: Range<usize>,
    pub style: Style,
}

pub(super) fn render(app: &App, reader: &Reader, areas: &Areas, buf: &mut Buffer) {
    if !areas.show_detail {
        return;
    }
    let area = areas.detail;
    let Some(section) = reader.briefing.sections.get(reader.selected) else {
        return;
    };
    let texts: Vec<&str> = std::iter::once(section.title.as_str())
        .chain(section.blocks.iter().map(|b| b.text.as_str()))
        .collect();
    let runs: Vec<&[StyleRun]> = std::iter::once(&[][..])
        .chain(section.blocks.iter().map(|b| b.runs.as_slice()))
        .collect();
    let theme = &app.theme;
    let keyword_marks: Vec<Vec<Mark>> = reader
        .keywords
        .section_hits(reader.selected)
        .map(|hits| {
            hits.iter()
                .map(|h| Mark {
                    range: h.range.clone(),
                    style: theme.keyword(h.term),
                })
                .collect()
        })
        .collect();
    let mut search_marks: Vec<Vec<Mark>> = vec![Vec::new(); texts.len()];
    let (first_in_section, in_section) = reader
        .search
        .matches
        .in_section(reader.selected, &reader.briefing);
    for (k, m) in in_section.iter().enumerate() {
        let current = reader.search.current == Some(first_in_section + k);
        if let Some(marks) = search_marks.get_mut(m.source) {
            marks.push(Mark {
                range: m.range.clone(),
                style: if current {
                    theme.search_current
                } else {
                    theme.search
                },
            });
        }
    }
    let height = usize::from(area.height);
    for (row, line) in reader
        .lines
        .iter()
        .skip(reader.scroll)
        .take(height)
        .enumerate()
    {
        let empty: &[Mark] = &[];
        let styled = styled_line(
            line,
            &texts,
            &|source| runs.get(source).copied().unwrap_or(&[]),
            &|source| keyword_marks.get(source).map_or(empty, Vec::as_slice),
            &|source| search_marks.get(source).map_or(empty, Vec::as_slice),
            theme,
        );
        let y = area.y + row as u16;
        buf.set_line(area.x, y, &styled, area.width);
    }
    if let Some(bar) = areas.scrollbar
        && reader.lines.len() > height
    {
        let max = reader.lines.len().saturating_sub(height);
        let mut state = ScrollbarState::new(max + 1).position(reader.scroll);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_style(theme.dim)
            .thumb_style(theme.marker)
            .render(bar, buf, &mut state);
    } else if let Some(bar) = areas.scrollbar {
        Widget::render(ratatui::widgets::Clear, Rect { ..bar }, buf);
    }
}

/// Style one laid-out line: decoration in its own style; text pieces split
/// wherever an inline run, a keyword mark or a search mark starts or ends.
/// Search marks win over keyword marks, which win over inline styles.
pub fn styled_line<'a>(
    line: &Line,
    texts: &[&'a str],
    runs: &dyn Fn(usize) -> &'a [StyleRun],
    keywords: &dyn Fn(usize) -> &'a [Mark],
    search: &dyn Fn(usize) -> &'a [Mark],
    theme: &Theme,
) -> TuiLine<'a> {
    let mut spans: Vec<Span<'a>> = Vec::with_capacity(line.pieces.len() * 2);
    for piece in &line.pieces {
        match piece {
            Piece::Deco { text, kind } => spans.push(Span::styled(text.clone(), theme.deco(*kind))),
            Piece::Text {
                source,
                range,
                base,
            } => {
                let Some(text) = texts.get(*source) else {
                    continue;
                };
                let base_style = theme.base(*base);
                let runs = runs(*source);
                let keywords = keywords(*source);
                let search = search(*source);
                let mut cuts = vec![range.start, range.end];
                add_cuts(&mut cuts, runs, |r| &r.range, range);
                add_cuts(&mut cuts, keywords, |m| &m.range, range);
                add_cuts(&mut cuts, search, |m| &m.range, range);
                cuts.sort_unstable();
                cuts.dedup();
                for pair in cuts.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    let Some(slice) = text.get(a..b) else {
                        continue;
                    };
                    let inline = covering(runs, a, |r| &r.range).map_or(Inline::PLAIN, |r| r.style);
                    let mut style = theme.inline(base_style, inline);
                    if let Some(m) = covering(keywords, a, |m| &m.range) {
                        style = style.patch(m.style);
                    }
                    if let Some(m) = covering(search, a, |m| &m.range) {
                        style = style.patch(m.style);
                    }
                    spans.push(Span::styled(slice, style));
                }
            }
        }
    }
    TuiLine::from(spans)
}

/// Add the boundaries of the ranges of `items` that fall strictly inside
/// `within`.
/// `items` are sorted and non-overlapping: the first one that can reach
/// `within` is found by bisection, so a line near the end of a long text
/// with many marks costs no more than one near its start.
fn add_cuts<T>(
    cuts: &mut Vec<usize>,
    items: &[T],
    range: impl Fn(&T) -> &Range<usize>,
    within: &Range<usize>,
) {
    let first = items.partition_point(|it| range(it).end <= within.start);
    for r in items[first..].iter().map(range) {
        if r.start >= within.end {
            break;
        }
        for p in [r.start, r.end] {
            if p > within.start && p < within.end {
                cuts.push(p);
            }
        }
    }
}

/// The item of a sorted, non-overlapping list whose range covers `pos`.
fn covering<T>(items: &[T], pos: usize, range: impl Fn(&T) -> &Range<usize>) -> Option<&T> {
    let i = items.partition_point(|it| range(it).end <= pos);
    items.get(i).filter(|it| range(it).start <= pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Base, Deco};
    use ratatui::style::Modifier;

    #[test]
    fn spans_split_where_runs_keywords_and_search_change() {
        let theme = Theme::monochrome();
        let text = "alpha beta gamma";
        let line = Line {
            pieces: vec![
                Piece::Deco {
                    text: "• ".into(),
                    kind: Deco::Marker,
                },
                Piece::Text {
                    source: 0,
                    range: 0..16,
                    base: Base::Body,
                },
            ],
        };
        let runs = vec![StyleRun {
            range: 0..10,
            style: Inline::ITALIC,
        }];
        let runs: &'static [StyleRun] = runs.leak();
        let kw: &'static [Mark] = vec![Mark {
            range: 6..10,
            style: theme.keyword(0),
        }]
        .leak();
        let se: &'static [Mark] = vec![Mark {
            range: 8..13,
            style: theme.search,
        }]
        .leak();
        let styled = styled_line(&line, &[text], &|_| runs, &|_| kw, &|_| se, &theme);
        let parts: Vec<(&str, Style)> = styled
            .spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        let italic = Style::new().add_modifier(Modifier::ITALIC);
        assert_eq!(
            parts,
            vec![
                ("• ", Style::new()),
                ("alpha ", italic),
                ("be", italic.patch(theme.keyword(0))),
                ("ta", italic.patch(theme.keyword(0)).patch(theme.search)),
                (" ga", Style::new().patch(theme.search)),
                ("mma", Style::new()),
            ]
        );
    }
}
