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

pub mod action;
pub mod app;
pub mod briefing;
pub mod cli;
pub mod guard;
pub mod highlight;
pub mod keymap;
pub mod layout;
pub mod library;
pub mod loader;
pub mod output;
pub mod theme;
pub mod tui;
pub mod ui;
