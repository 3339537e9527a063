//! Styles in one place. `NO_COLOR` is honoured here and nowhere else: without
//! colour every distinction is kept with bold, underline, italic and reverse.

use ratatui::style::{Color, Modifier, Style};

use crate::briefing::Inline;
use crate::layout::{Base, Deco};

/// Every style the reader draws with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub title: Style,
    pub body: Style,
    pub code: Style,
    pub quote: Style,
    pub marker: Style,
    pub border: Style,
    pub note: Style,
    pub outline: Style,
    pub outline_number: Style,
    pub selected_focused: Style,
    pub selected_unfocused: Style,
    pub hit_count: Style,
    pub pane_border: Style,
    pub pane_border_focused: Style,
    pub status: Style,
    pub status_accent: Style,
    pub notice: Style,
    pub search: Style,
    pub search_current: Style,
    pub keywords: Vec<Style>,
    pub help: Style,
    pub help_key: Style,
    pub dim: Style,
}

impl Theme {
    /// The theme for this environment: colours unless `NO_COLOR` is set to a
    /// non-empty value.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color {
            Theme::monochrome()
        } else {
            Theme::colored()
        }
    }

    pub fn colored() -> Theme {
        let keyword = |c: Color| Style::new().fg(Color::Black).bg(c);
        Theme {
            color: true,
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            body: Style::new(),
            code: Style::new().fg(Color::Yellow),
            quote: Style::new().fg(Color::Gray).add_modifier(Modifier::ITALIC),
            marker: Style::new().fg(Color::Cyan),
            border: Style::new().fg(Color::DarkGray),
            note: Style::new().fg(Color::DarkGray),
            outline: Style::new(),
            outline_number: Style::new().fg(Color::DarkGray),
            selected_focused: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            hit_count: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            pane_border: Style::new().fg(Color::DarkGray),
            pane_border_focused: Style::new().fg(Color::Cyan),
            status: Style::new().fg(Color::White).bg(Color::DarkGray),
            status_accent: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            notice: Style::new().fg(Color::Black).bg(Color::Yellow),
            search: Style::new().fg(Color::Black).bg(Color::LightMagenta),
            search_current: Style::new()
                .fg(Color::Black)
                .bg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            keywords: vec![
                keyword(Color::Yellow),
                keyword(Color::LightGreen),
                keyword(Color::LightBlue),
                keyword(Color::LightMagenta),
                keyword(Color::LightCyan),
                keyword(Color::LightRed),
            ],
            help: Style::new(),
            help_key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::DarkGray),
        }
    }

    pub fn monochrome() -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reversed = Style::new().add_modifier(Modifier::REVERSED);
        Theme {
            color: false,
            title: bold,
            body: Style::new(),
            code: Style::new(),
            quote: Style::new().add_modifier(Modifier::ITALIC),
            marker: Style::new(),
            border: Style::new(),
            note: Style::new().add_modifier(Modifier::DIM),
            outline: Style::new(),
            outline_number: Style::new(),
            selected_focused: reversed.add_modifier(Modifier::BOLD),
            selected_unfocused: reversed,
            hit_count: bold,
            pane_border: Style::new(),
            pane_border_focused: bold,
            status: reversed,
            status_accent: reversed.add_modifier(Modifier::BOLD),
            notice: bold.add_modifier(Modifier::UNDERLINED),
            search: reversed,
            search_current: reversed.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            keywords: vec![bold.add_modifier(Modifier::UNDERLINED)],
            help: Style::new(),
            help_key: bold,
            dim: Style::new().add_modifier(Modifier::DIM),
        }
    }

    /// The style of keyword term `i`, or of the colour its watch list gave
    /// it (a colour name or `#rrggbb`), when colours are on.
    pub fn term(&self, term: usize, color: Option<&str>) -> Style {
        match color.and_then(|c| c.parse::<Color>().ok()) {
            Some(c) if self.color => Style::new().fg(Color::Black).bg(c),
            _ => self.keyword(term),
        }
    }

    /// The style of keyword term `i`.
    pub fn keyword(&self, term: usize) -> Style {
        self.keywords
            .get(term % self.keywords.len().max(1))
            .copied()
            .unwrap_or_default()
    }

    pub fn base(&self, base: Base) -> Style {
        match base {
            Base::Title => self.title,
            Base::Body => self.body,
            Base::Code => self.code,
            Base::Quote => self.quote,
            Base::Facts => self.note,
        }
    }

    pub fn deco(&self, deco: Deco) -> Style {
        match deco {
            Deco::Space => Style::new(),
            Deco::Marker => self.marker,
            Deco::QuoteBar | Deco::Border | Deco::Continuation => self.border,
            Deco::Note => self.note,
        }
    }

    /// Inline styles patched over the base style.
    pub fn inline(&self, base: Style, inline: Inline) -> Style {
        let mut style = base;
        if inline.contains(Inline::BOLD) || inline.contains(Inline::HEADER) {
            style = style.add_modifier(Modifier::BOLD);
        }
        if inline.contains(Inline::ITALIC) {
            style = style.add_modifier(Modifier::ITALIC);
        }
        if inline.contains(Inline::STRIKE) {
            style = style.add_modifier(Modifier::CROSSED_OUT);
        }
        if inline.contains(Inline::CODE) {
            style = if self.color {
                style.fg(Color::Yellow)
            } else {
                style.add_modifier(Modifier::BOLD)
            };
        }
        if inline.contains(Inline::LINK) {
            style = style.add_modifier(Modifier::UNDERLINED);
            if self.color {
                style = style.fg(Color::LightBlue);
            }
        }
        if inline.contains(Inline::LINK_TARGET) {
            style = if self.color {
                style.fg(Color::DarkGray)
            } else {
                style.add_modifier(Modifier::DIM)
            };
        }
        if inline.contains(Inline::FOOTNOTE) && self.color {
            style = style.fg(Color::Cyan);
        }
        style
    }
}
