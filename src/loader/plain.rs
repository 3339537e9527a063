//! Placeholder until the plain-text parser lands.
use crate::briefing::{Block, Briefing, Format, Metadata, Section};

pub(crate) fn parse(text: &str, fallback_title: &str) -> Briefing {
    let title = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(fallback_title)
        .trim()
        .to_owned();
    let mut s = Section::new(1, title.clone(), 1);
    s.blocks.push(Block::paragraph(text));
    Briefing {
        title,
        format: Format::PlainText,
        metadata: Metadata::default(),
        sections: vec![s],
        warnings: vec![],
    }
}
