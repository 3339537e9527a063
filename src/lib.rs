//! `brief`: a terminal reader for briefings.
//!
//! The core is a library so that loading, sectioning, highlighting and layout
//! can be tested and benchmarked without a terminal:
//!
//! ```text
//! file ──loader──▶ Briefing ──App::new──▶ App ◀── update(Message) ◀── keymap ◀── terminal event
//!                                          │
//!                        derived when selection, width or keywords change:
//!                        keyword ranges + style runs + wrapped line ranges ──merge──▶ detail lines
//!                                          │
//!                                 ui::render(&App, &mut Frame)   (pure: reads, never mutates)
//! ```
//!
//! Loading and laying out a briefing needs no terminal:
//!
//! ```
//! use brief::layout::{SectionView, layout_section};
//! use brief::loader::{FormatHint, load_bytes};
//!
//! let briefing = load_bytes(b"# Brief\n\nOne **short** paragraph.\n", "brief.md", FormatHint::Auto)
//!     .expect("text loads");
//! let section = &briefing.sections[0];
//! let view = SectionView { number: "1", section, children: &[], next: None, hide_repeats: false };
//! let texts = view.texts();
//! let lines: Vec<String> = layout_section(&view, 12).iter().map(|l| l.plain(&texts)).collect();
//! assert_eq!(lines, ["1 Brief", "", "One short", "paragraph."]);
//! ```

pub mod action;
pub mod app;
pub mod background;
pub mod briefing;
pub mod cli;
pub mod config;
pub mod guard;
pub mod highlight;
pub mod keymap;
pub mod keywords;
pub mod layout;
pub mod library;
pub mod links;
pub mod loader;
pub mod manual;
pub mod output;
mod parallel;
pub mod repeat;
pub mod search;
pub mod state;
pub mod suggest;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod watch;
