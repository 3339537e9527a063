//! Application state and the one function that changes it: [`App::update`].
//!
//! `update` is synchronous and does no I/O. When it needs the outside world
//! (opening a briefing from the list) it returns an [`Effect`] for the event
//! loop to carry out, and the result comes back as a [`Message`]. Everything
//! the screen needs (visible outline entries, the laid-out lines of the
//! selected section, hit positions) is derived here, when the selection, the
//! size or the terms change, so rendering only reads.
//!
//! Invariants kept by construction: the selection is always a real,
//! visible section; scroll offsets are clamped to the laid-out text and
//! re-clamped on every resize.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crossterm::event::KeyCode;
use ratatui::layout::{Position, Rect, Size};

use crate::action::Action;
use std::sync::Arc;

use crate::background::{Hold, Loaded, Progress};
use crate::briefing::{Briefing, Link, Outline, Section};
use crate::keymap::{Key, Keymap};
use crate::keywords::{Keywords, Term, TermOrigin};
use crate::layout::{self, Line, SectionView};
use crate::library::{Entry, Library};
use crate::links;
use crate::search::{self, Search, SearchKind};
use crate::state::{self, Memory, Place, SectionKey};
use crate::theme::Theme;
use crate::ui;
use crate::watch::Stamp;

mod reading;

use reading::anchor;
pub use reading::{CHANGED_MARK, History, READ_MARK};

/// Text is never laid out wider than this by default, however wide the
/// terminal (the config's `max_width` changes it).
pub const MAX_TEXT_WIDTH: usize = 100;

/// Columns `>` and `<` add to or take from the outline pane.
const OUTLINE_STEP: i16 = 4;

/// Something that happened: a key, a resize, a mouse event, or the result
/// of an [`Effect`].
#[derive(Debug)]
pub enum Message {
    Key(Key),
    Resize(Size),
    /// Mouse wheel: negative is up.
    Wheel {
        position: Position,
        delta: i32,
    },
    Click(Position),
    /// A briefing chosen from the list has been loaded (or not), with what
    /// is remembered about it.
    Opened(Box<Result<Opened, String>>),
    /// The briefing at `path` changed on disk (or in the editor) and has
    /// been read again, or could not be.
    Reloaded {
        path: PathBuf,
        result: Box<Result<Briefing, String>>,
    },
    /// Something the event loop wants the user to know (a save or an
    /// opener failed).
    Notice(String),
    /// Background work finished a step (see `background`).
    Loaded(Loaded),
    /// Time passed with nothing else happening (redraw the progress).
    Tick,
}

/// Work for the event loop that `update` may not do itself.
#[derive(Debug, Clone)]
pub enum Effect {
    Open(PathBuf),
    /// Count these terms over this briefing on a background thread; then,
    /// with `suggest`, suggest terms for the keyword panel.
    CountKeywords {
        terms: Vec<Term>,
        briefing: Arc<Briefing>,
        include_repeats: bool,
        suggest: bool,
    },
    /// Suggest terms for the keyword panel on a background thread.
    Suggest(Arc<Briefing>),
    /// Write what is remembered about this briefing (see `state`).
    Save {
        path: PathBuf,
        memory: Memory,
    },
    /// Hand a URL or file to the system's opener.
    OpenExternal(String),
    /// Run the editor on this file at this line, then reload it.
    Edit {
        path: PathBuf,
        line: usize,
    },
    /// Compare a new version of the briefing with the one shown on a
    /// background thread.
    Compare {
        shown: Arc<Briefing>,
        new: Arc<Briefing>,
    },
    /// Find every match of a search on a background thread.
    Search {
        job: search::Job,
        briefing: Arc<Briefing>,
    },
}

/// A briefing opened from the list.
#[derive(Debug)]
pub struct Opened {
    pub path: PathBuf,
    /// The file's stamp from just before it was read.
    pub stamp: Option<Stamp>,
    /// The whole briefing, or its first screenful while the rest loads in
    /// the background (then `loading` is that load's progress).
    pub briefing: Briefing,
    pub loading: Option<Progress>,
    pub memory: Memory,
}

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Outline,
    Detail,
    /// The keyword panel.
    Keywords,
}

/// What keys mean right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a search; `origin` is where the reader was when it started.
    Search {
        input: String,
        origin: (usize, usize),
    },
    /// Typing a section number after `:`.
    Jump {
        input: String,
    },
    /// Typing a term to watch.
    AddTerm {
        input: String,
    },
    Help {
        scroll: usize,
    },
    /// Waiting for the letter of a bookmark to set (`set`) or go to.
    Mark {
        set: bool,
    },
    /// The links of the selected section, one selected.
    Links {
        links: Vec<Link>,
        selected: usize,
    },
}

/// Which screen is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Library,
    Reader,
}

/// The list of briefings and its selection.
#[derive(Debug, Clone)]
pub struct LibraryView {
    pub library: Library,
    pub selected: usize,
    pub scroll: usize,
    /// Sections read, per briefing (when known).
    pub read: Vec<usize>,
    /// The read marks remembered for each briefing, by path, to count its
    /// read sections again when its whole outline comes in.
    pub marks: HashMap<PathBuf, BTreeMap<SectionKey, u64>>,
    /// Holds the reading of the briefings only partly read while one of
    /// them is open (see `background::read_entries`).
    pub hold: Hold,
}

impl LibraryView {
    /// The read sections of entry `i`, by its marks.
    fn count_read(&self, i: usize) -> usize {
        let Some(entry) = self.library.entries.get(i) else {
            return 0;
        };
        self.marks.get(&entry.path).map_or(0, |marks| {
            entry.keys.iter().filter(|k| marks.contains_key(k)).count()
        })
    }

    /// Count the read sections of every entry again.
    fn recount_read(&mut self) {
        self.read = (0..self.library.entries.len())
            .map(|i| self.count_read(i))
            .collect();
    }

    /// Put a briefing read whole in place of its first screenful's entry,
    /// keeping the selection on the same briefing.
    fn complete(&mut self, entry: Entry) {
        let Some(i) = self
            .library
            .entries
            .iter()
            .position(|e| e.path == entry.path)
        else {
            return;
        };
        let moved = self.library.entries[i].date != entry.date;
        self.library.entries[i] = entry;
        if !moved {
            self.read[i] = self.count_read(i);
            return;
        }
        let selected = self
            .library
            .entries
            .get(self.selected)
            .map(|e| e.path.clone());
        self.library.sort();
        self.selected = selected
            .and_then(|p| self.library.entries.iter().position(|e| e.path == p))
            .unwrap_or(0);
        self.recount_read();
    }
}

/// An open briefing and the reader's place in it.
#[derive(Debug, Clone)]
pub struct Reader {
    pub path: Option<PathBuf>,
    /// The file's stamp from just before it was read, for the watcher to
    /// see a change made before it started (see [`crate::watch::watch`]).
    pub stamp: Option<Stamp>,
    /// Shared with background work (repeats, keyword counts) while it runs.
    pub briefing: Arc<Briefing>,
    pub outline: Outline,
    pub collapsed: Vec<bool>,
    /// Section indices shown in the outline, in order.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub outline_scroll: usize,
    pub focus: Focus,
    /// Laid-out lines of the selected section at `text_width`.
    pub lines: Vec<Line>,
    pub text_width: usize,
    /// The section `lines` were last laid out for (at `text_width`).
    laid_out: Option<usize>,
    pub scroll: usize,
    pub keywords: Keywords,
    pub search: Search,
    /// Show blocks that repeat earlier text instead of one marker line.
    pub show_repeats: bool,
    /// How many blocks repeat earlier text.
    pub repeat_count: usize,
    /// The keyword panel: shown, and its selected row.
    pub panel: Panel,
    /// Show only sections with keyword hits (and their parents).
    pub filter_hits: bool,
    /// Suggested terms with their counts, worked out when the panel first
    /// opens.
    pub suggestions: Option<Vec<(String, usize)>>,
    /// The suggestions are being worked out in the background.
    pub suggesting: bool,
    /// New versions being compared with the one shown in the background
    /// (see `Loaded::Compared`): a comparison that comes back to a reader
    /// with none was asked for by one that has since been replaced.
    pub comparing: usize,
    /// Section identities (see `state`).
    pub keys: Vec<SectionKey>,
    /// What is remembered about this briefing: read sections, bookmarks.
    pub memory: Memory,
    /// Read marks or bookmarks changed since they were last handed to the
    /// event loop to save.
    pub unsaved: bool,
    /// Per section: read (its end was on screen, or marked) and unchanged
    /// since.
    pub read: Vec<bool>,
    /// Per section: new since the last version seen, or changed since it
    /// was read.
    pub changed: Vec<bool>,
    pub read_count: usize,
    /// A remembered place whose section is not loaded yet (or vanished in
    /// a half-written reload): gone to when it appears, unless the reader
    /// has moved meanwhile.
    pub pending_place: Option<Place>,
    pub history: History,
}

/// The keyword panel's state. Rows are the watched terms, then the
/// suggested terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Panel {
    pub visible: bool,
    pub selected: usize,
    pub scroll: usize,
}

/// A row of the keyword panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelRow {
    Term(usize),
    Suggestion(usize),
}

impl Reader {
    pub fn new(path: Option<PathBuf>, briefing: Briefing, extra_terms: &[Term]) -> Reader {
        let state::Derived { outline, keys } = state::Derived::of(&briefing);
        let mut terms: Vec<Term> = extra_terms.to_vec();
        for k in &briefing.metadata.keywords {
            terms.push(Term::new(k.clone(), TermOrigin::FrontMatter));
        }
        let keywords = Keywords::new(terms, &briefing, false);
        let panel = Panel {
            visible: keywords.is_active(),
            ..Panel::default()
        };
        let repeat_count = briefing.sections.iter().map(Section::repeated_blocks).sum();
        let n = briefing.sections.len();
        let mut reader = Reader {
            path,
            stamp: None,
            briefing: Arc::new(briefing),
            outline,
            collapsed: vec![false; n],
            visible: (0..n).collect(),
            selected: 0,
            outline_scroll: 0,
            focus: Focus::Outline,
            lines: Vec::new(),
            text_width: 0,
            laid_out: None,
            scroll: 0,
            keywords,
            search: Search::default(),
            show_repeats: false,
            repeat_count,
            panel,
            filter_hits: false,
            suggestions: None,
            suggesting: false,
            comparing: 0,
            keys,
            memory: Memory::default(),
            unsaved: false,
            read: vec![false; n],
            changed: vec![false; n],
            read_count: 0,
            pending_place: None,
            history: History::default(),
        };
        reader.relayout(80);
        reader
    }

    /// Show `briefing` instead of the one shown, which is returned; the
    /// next section selected is laid out from the new text.
    fn replace_briefing(&mut self, briefing: Arc<Briefing>) -> Arc<Briefing> {
        self.laid_out = None;
        std::mem::replace(&mut self.briefing, briefing)
    }

    pub fn section_count(&self) -> usize {
        self.briefing.sections.len()
    }

    /// Numbered titles of the children of section `s`.
    fn children_of(&self, s: usize) -> Vec<String> {
        self.outline
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.parent == Some(s))
            .map(|(i, e)| {
                format!("{} {}", e.label, self.briefing.sections[i].title)
                    .trim_start()
                    .to_owned()
            })
            .collect()
    }

    /// Lay out the selected section at `width`.
    fn relayout(&mut self, width: usize) {
        self.text_width = width;
        self.laid_out = None;
        let Some(section) = self.briefing.sections.get(self.selected) else {
            self.lines = Vec::new();
            return;
        };
        let own_body = section
            .blocks
            .iter()
            .any(|b| b.kind != crate::briefing::BlockKind::Facts);
        let children = if own_body {
            Vec::new()
        } else {
            self.children_of(self.selected)
        };
        let next = self.briefing.sections.get(self.selected + 1).map(|s| {
            let label = &self.outline.entries[self.selected + 1].label;
            let sep = if label.is_empty() { "" } else { " " };
            format!("{label}{sep}{}   (] or Space)", s.title)
        });
        let view = SectionView {
            number: &self.outline.entries[self.selected].label,
            section,
            children: &children,
            next: next.as_deref(),
            hide_repeats: !self.show_repeats,
        };
        self.lines = layout::layout_section(&view, width);
        self.laid_out = Some(self.selected);
        self.keywords.show(self.selected, &self.briefing);
    }

    /// A term's search, once its hits were counted again: the new hits,
    /// the current one kept by its place.
    fn refresh_term_search(&mut self) {
        let SearchKind::Term(t) = self.search.kind else {
            return;
        };
        let current = self
            .search
            .current
            .and_then(|i| self.search.matches.get(i, &self.briefing));
        self.search.matches = self.keywords.positions_of(t);
        let n = self.search.matches.len();
        self.search.current = current
            .map(|m| self.search.matches.first_from_place(&m, &self.briefing))
            .filter(|&i| i < n);
    }

    /// Rows of the keyword panel: terms, then suggestions not yet watched.
    pub fn panel_rows(&self) -> Vec<PanelRow> {
        let suggestions = self.suggestions.as_ref().map_or(0, Vec::len);
        (0..self.keywords.terms.len())
            .map(PanelRow::Term)
            .chain((0..suggestions).map(PanelRow::Suggestion))
            .collect()
    }

    /// Work out the suggested terms once, leaving out watched ones: at
    /// once in a small briefing (see [`Keywords::count_at_once`]). In a
    /// large one (50 MiB took 0.9 s) returns true when they are to be
    /// worked out in the background: `suggesting` is then set.
    /// With `defer` (the whole briefing is still to come, see
    /// [`App::whole_pending`]) they are only asked for: `suggesting` is set
    /// and the keyword count after repeats brings them.
    #[must_use]
    fn ensure_suggestions(&mut self, defer: bool) -> bool {
        if self.suggestions.is_none() && !self.suggesting {
            if defer {
                self.suggesting = true;
            } else if Keywords::count_at_once(&self.briefing) {
                self.suggestions = Some(crate::suggest::for_panel(&self.briefing));
            } else {
                self.suggesting = true;
                return true;
            }
        }
        let watched: Vec<String> = self
            .keywords
            .terms
            .iter()
            .map(|t| t.text.to_lowercase())
            .collect();
        if let Some(list) = self.suggestions.as_mut() {
            list.retain(|(term, _)| !watched.contains(&term.to_lowercase()));
        }
        false
    }

    /// Sections with hits and every ancestor of one, when filtering.
    fn filter_keep(&self) -> Option<Vec<bool>> {
        // While the hits are counted again, every section shows.
        if !self.filter_hits || self.keywords.is_pending() {
            return None;
        }
        let mut keep = vec![false; self.outline.entries.len()];
        for (s, &count) in self.keywords.section_counts.iter().enumerate() {
            if count > 0 {
                let mut p = Some(s);
                while let Some(i) = p {
                    if keep[i] {
                        break;
                    }
                    keep[i] = true;
                    p = self.outline.entries[i].parent;
                }
            }
        }
        Some(keep)
    }

    fn rebuild_visible(&mut self) {
        let keep = self.filter_keep();
        let mut visible = Vec::with_capacity(self.outline.entries.len());
        let mut hidden_below: Option<usize> = None;
        for (i, entry) in self.outline.entries.iter().enumerate() {
            if keep.as_ref().is_some_and(|k| !k[i]) {
                continue;
            }
            if let Some(depth) = hidden_below {
                if entry.depth > depth {
                    continue;
                }
                hidden_below = None;
            }
            visible.push(i);
            if self.collapsed[i] && entry.has_children {
                hidden_below = Some(entry.depth);
            }
        }
        self.visible = visible;
    }

    /// Unfold every ancestor of `s` so that it is visible.
    fn reveal(&mut self, s: usize) {
        let mut changed = false;
        let mut p = self.outline.entries.get(s).and_then(|e| e.parent);
        while let Some(i) = p {
            if self.collapsed[i] {
                self.collapsed[i] = false;
                changed = true;
            }
            p = self.outline.entries[i].parent;
        }
        if changed {
            self.rebuild_visible();
        }
    }

    fn visible_index(&self) -> usize {
        self.visible
            .iter()
            .position(|&s| s == self.selected)
            .unwrap_or(0)
    }
}

/// Sizes of the panes, derived from the terminal size and the focus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    pub outline_height: usize,
    pub panel_height: usize,
    pub detail_height: usize,
    pub text_width: usize,
    /// The text pane is on screen (narrow terminals show one pane).
    pub show_detail: bool,
}

/// The whole application state.
#[derive(Debug, Clone)]
pub struct App {
    pub screen: Screen,
    pub library: Option<LibraryView>,
    pub reader: Option<Reader>,
    pub mode: Mode,
    pub keymap: Keymap,
    pub theme: Theme,
    pub size: Size,
    pub viewport: Viewport,
    /// Terms from the command line and config, applied to every briefing
    /// opened.
    pub terms: Vec<Term>,
    /// A one-off message for the status bar, cleared by the next key.
    pub notice: Option<String>,
    /// The briefing shown is a first screenful; the rest is loading.
    pub loading: Option<Progress>,
    /// Keyword hits are being counted in the background.
    pub counting: bool,
    /// The whole briefing is loaded, and its repeats are being found: the
    /// keyword work that reads all of it waits for them (see
    /// [`App::whole_pending`]).
    pub awaiting_repeats: bool,
    /// Widest text layout, in columns.
    pub max_width: usize,
    /// Columns the user added to the outline pane's width (`>`, `<`);
    /// negative when it was made narrower (see `ui::areas`).
    pub outline_offset: i16,
    pub is_running: bool,
}

impl App {
    fn base(keymap: Keymap, theme: Theme, terms: Vec<Term>, size: Size) -> App {
        App {
            screen: Screen::Reader,
            library: None,
            reader: None,
            mode: Mode::Normal,
            keymap,
            theme,
            size,
            viewport: Viewport::default(),
            terms,
            notice: None,
            loading: None,
            counting: false,
            awaiting_repeats: false,
            max_width: MAX_TEXT_WIDTH,
            outline_offset: 0,
            is_running: true,
        }
    }

    /// An app reading one briefing.
    pub fn with_briefing(
        path: Option<PathBuf>,
        briefing: Briefing,
        terms: impl IntoIterator<Item = impl Into<Term>>,
        keymap: Keymap,
        theme: Theme,
        size: Size,
    ) -> App {
        let terms = terms.into_iter().map(Into::into).collect();
        let mut app = App::base(keymap, theme, terms, size);
        app.reader = Some(Reader::new(path, briefing, &app.terms));
        app.resize(size);
        app
    }

    /// An app showing the list of briefings in a directory.
    pub fn with_library(
        library: Library,
        terms: impl IntoIterator<Item = impl Into<Term>>,
        keymap: Keymap,
        theme: Theme,
        size: Size,
    ) -> App {
        let terms = terms.into_iter().map(Into::into).collect();
        let mut app = App::base(keymap, theme, terms, size);
        app.screen = Screen::Library;
        let n = library.entries.len();
        app.library = Some(LibraryView {
            library,
            selected: 0,
            scroll: 0,
            read: vec![0; n],
            marks: HashMap::new(),
            hold: Hold::default(),
        });
        app.resize(size);
        app
    }

    /// The single place where state changes.
    pub fn update(&mut self, message: Message) -> Option<Effect> {
        let effect = self.handle(message);
        if let Some(view) = &self.library {
            // The list's briefings are read whole only while the list is on
            // screen: not beside the load of the briefing opened from it.
            view.hold.set(self.screen == Screen::Reader);
        }
        if effect.is_some() {
            // Saving waits for the next message.
            return effect;
        }
        let r = self.reader.as_mut()?;
        if !r.unsaved || r.path.is_none() {
            return None;
        }
        r.unsaved = false;
        Some(Effect::Save {
            path: r.path.clone()?,
            memory: r.memory_now(),
        })
    }

    fn handle(&mut self, message: Message) -> Option<Effect> {
        match message {
            Message::Key(key) => {
                self.notice = None;
                self.key(key)
            }
            Message::Resize(size) => {
                self.resize(size);
                None
            }
            Message::Wheel { position, delta } => {
                self.wheel(position, delta);
                None
            }
            Message::Click(position) => self.click(position),
            Message::Opened(result) => {
                match *result {
                    Ok(Opened {
                        path,
                        stamp,
                        briefing,
                        loading,
                        memory,
                    }) => {
                        self.reader = Some(Reader {
                            stamp,
                            ..Reader::new(Some(path), briefing, &self.terms)
                        });
                        // The first screenful is counted at once; the rest
                        // (if any) after it is loaded.
                        self.counting = loading.is_some();
                        self.loading = loading;
                        self.awaiting_repeats = false;
                        self.screen = Screen::Reader;
                        self.mode = Mode::Normal;
                        self.resize(self.size);
                        self.recall(memory, true);
                    }
                    Err(message) => self.notice = Some(message),
                }
                None
            }
            Message::Reloaded { path, result } => {
                if self.reader.as_ref().and_then(|r| r.path.as_ref()) != Some(&path) {
                    // Of a briefing closed since (the watcher follows the
                    // open one from the next turn of the loop).
                    return None;
                }
                match *result {
                    Ok(briefing) => return self.reloaded(briefing),
                    Err(message) => {
                        self.notice = Some(format!(
                            "could not reload ({message}); showing the last version"
                        ));
                    }
                }
                None
            }
            Message::Notice(text) => {
                self.notice = Some(text);
                None
            }
            Message::Loaded(loaded) => self.loaded(loaded),
            Message::Tick => None,
        }
    }

    fn key(&mut self, key: Key) -> Option<Effect> {
        match &mut self.mode {
            Mode::Search { input, origin } => {
                let origin = *origin;
                let mut effect = None;
                match key.code {
                    KeyCode::Esc => {
                        self.mode = Mode::Normal;
                        self.clear_search();
                        self.restore_position(origin);
                    }
                    KeyCode::Enter => {
                        self.mode = Mode::Normal;
                        if let Some(r) = &self.reader
                            && !r.search.query.is_empty()
                            && r.search.matches.is_empty()
                            && r.search.pending.is_none()
                        {
                            self.notice = Some(format!("no match for “{}”", r.search.query));
                        }
                        self.record_jump_from(origin);
                        self.note_read();
                    }
                    KeyCode::Backspace => {
                        if input.pop().is_none() {
                            self.mode = Mode::Normal;
                            self.clear_search();
                            self.restore_position(origin);
                        } else {
                            let query = input.clone();
                            effect = self.set_query(&query, origin);
                        }
                    }
                    KeyCode::Char(c)
                        if !key
                            .modifiers
                            .contains(crossterm::event::KeyModifiers::CONTROL) =>
                    {
                        input.push(c);
                        let query = input.clone();
                        effect = self.set_query(&query, origin);
                    }
                    KeyCode::Char('c') => self.is_running = false,
                    _ => {}
                }
                effect
            }
            Mode::Jump { input } => {
                match key.code {
                    KeyCode::Esc => self.mode = Mode::Normal,
                    KeyCode::Enter => {
                        let target = input.clone();
                        self.mode = Mode::Normal;
                        let from = self.reader.as_ref().map(Reader::place);
                        self.jump_to(&target);
                        if let Some(from) = from {
                            self.record_jump(from);
                        }
                        self.note_read();
                    }
                    KeyCode::Backspace if input.pop().is_none() => self.mode = Mode::Normal,
                    KeyCode::Char(c) if c.is_ascii_digit() || c == '.' => input.push(c),
                    KeyCode::Char('c')
                        if key
                            .modifiers
                            .contains(crossterm::event::KeyModifiers::CONTROL) =>
                    {
                        self.is_running = false;
                    }
                    _ => {}
                }
                None
            }
            Mode::AddTerm { input } => {
                let mut effect = None;
                match key.code {
                    KeyCode::Esc => self.mode = Mode::Normal,
                    KeyCode::Enter => {
                        let text = input.trim().to_owned();
                        self.mode = Mode::Normal;
                        if !text.is_empty()
                            && let Some(r) = self.reader.as_mut()
                        {
                            let mut terms = r.keywords.terms.clone();
                            terms.push(Term::new(text.clone(), TermOrigin::Added));
                            // Open first, so that the suggestions come with
                            // the count.
                            r.panel.visible = true;
                            r.focus = Focus::Keywords;
                            effect = self.set_terms(terms);
                            if let Some(r) = self.reader.as_mut()
                                && let Some(i) =
                                    r.keywords.terms.iter().position(|t| t.text == text)
                            {
                                r.panel.selected = i;
                            }
                            self.resize(self.size);
                            if self.notice.is_none() {
                                self.notice = Some(format!("watching “{text}”"));
                            }
                        }
                    }
                    KeyCode::Backspace if input.pop().is_none() => self.mode = Mode::Normal,
                    KeyCode::Char('c')
                        if key
                            .modifiers
                            .contains(crossterm::event::KeyModifiers::CONTROL) =>
                    {
                        self.is_running = false;
                    }
                    KeyCode::Char(c) => input.push(c),
                    _ => {}
                }
                effect
            }
            Mode::Help { scroll } => {
                match self.keymap.action(key) {
                    Some(Action::MoveDown) => *scroll += 1,
                    Some(Action::MoveUp) => *scroll = scroll.saturating_sub(1),
                    Some(Action::PageDown) => *scroll += self.viewport.detail_height.max(1),
                    Some(Action::PageUp) => {
                        *scroll = scroll.saturating_sub(self.viewport.detail_height.max(1));
                    }
                    Some(Action::First) => *scroll = 0,
                    Some(Action::Last) => *scroll = usize::MAX,
                    Some(Action::Quit)
                        if key
                            .modifiers
                            .contains(crossterm::event::KeyModifiers::CONTROL) =>
                    {
                        self.is_running = false;
                    }
                    Some(Action::ToggleHelp | Action::Escape | Action::Quit) => {
                        self.mode = Mode::Normal;
                    }
                    _ => {}
                }
                // As many rows as the help box shows (see `ui::help`).
                let len = ui::help_rows(&self.keymap, self.size.width).0.len();
                let max = len - ui::help_shown(len, self.size.height);
                if let Mode::Help { scroll } = &mut self.mode {
                    *scroll = (*scroll).min(max);
                }
                None
            }
            Mode::Mark { set } => {
                let set = *set;
                self.mode = Mode::Normal;
                let control = key
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Char('c') if control => self.is_running = false,
                    KeyCode::Char(c) if c.is_ascii_alphabetic() && set => self.set_mark(c),
                    KeyCode::Char(c) if c.is_ascii_alphabetic() => self.go_to_mark(c),
                    KeyCode::Char('\'' | '`') if !set => self.go_to_previous(),
                    KeyCode::Esc => {}
                    _ => {
                        self.notice = Some(if set {
                            "a mark is a letter: m then a–z".to_owned()
                        } else {
                            "go to a mark with ' then its letter ('' for the previous place)"
                                .to_owned()
                        });
                    }
                }
                None
            }
            Mode::Links { links, selected } => {
                let count = links.len();
                let mut close = false;
                let mut quit = false;
                let digit = match key.code {
                    KeyCode::Char(c) => c.to_digit(10).map(|d| d as usize),
                    _ => None,
                };
                let choose = match (digit, self.keymap.action(key)) {
                    (Some(d), _) if d >= 1 && d <= count => Some(d - 1),
                    (_, Some(Action::MoveDown)) => {
                        *selected = (*selected + 1).min(count.saturating_sub(1));
                        None
                    }
                    (_, Some(Action::MoveUp)) => {
                        *selected = selected.saturating_sub(1);
                        None
                    }
                    (_, Some(Action::First)) => {
                        *selected = 0;
                        None
                    }
                    (_, Some(Action::Last)) => {
                        *selected = count.saturating_sub(1);
                        None
                    }
                    (_, Some(Action::Open | Action::Expand)) => Some(*selected),
                    (_, Some(Action::Quit))
                        if key
                            .modifiers
                            .contains(crossterm::event::KeyModifiers::CONTROL) =>
                    {
                        quit = true;
                        None
                    }
                    (_, Some(Action::Escape | Action::Quit | Action::ShowLinks)) => {
                        close = true;
                        None
                    }
                    _ => None,
                };
                let link = choose.and_then(|i| links.get(i).cloned());
                if close {
                    self.mode = Mode::Normal;
                }
                if quit {
                    self.is_running = false;
                }
                if let Some(link) = link {
                    self.mode = Mode::Normal;
                    return self.open_link(&link);
                }
                None
            }
            Mode::Normal => {
                if let Some(r) = self.reader.as_mut() {
                    // The reader has taken over: a remembered place that had
                    // not loaded yet no longer applies.
                    r.pending_place = None;
                }
                let action = self.keymap.action(key)?;
                self.apply(action)
            }
        }
    }

    fn record_jump_from(&mut self, (section, scroll): (usize, usize)) {
        let Some(r) = self.reader.as_ref() else {
            return;
        };
        let anchor = if r.selected == section && scroll > 0 {
            anchor(&r.lines, scroll)
        } else {
            None
        };
        let from = Place {
            at: anchor.map(|(at, _)| at),
            above: anchor.map_or(0, |(_, above)| above),
            section: r.keys.get(section).copied().unwrap_or_default(),
            index: section,
        };
        self.record_jump(from);
    }

    /// Carry out an action in normal mode.
    pub fn apply(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::Quit => {
                self.is_running = false;
                return None;
            }
            Action::ToggleHelp => {
                self.mode = Mode::Help { scroll: 0 };
                return None;
            }
            _ => {}
        }
        match self.screen {
            Screen::Library => self.apply_library(action),
            Screen::Reader => self.apply_reader(action),
        }
    }

    fn apply_library(&mut self, action: Action) -> Option<Effect> {
        let page = self.viewport.detail_height.max(1);
        let lib = self.library.as_mut()?;
        let n = lib.library.entries.len();
        let last = n.saturating_sub(1);
        match action {
            Action::MoveDown | Action::NextSection => lib.selected = (lib.selected + 1).min(last),
            Action::MoveUp | Action::PrevSection => lib.selected = lib.selected.saturating_sub(1),
            Action::First => lib.selected = 0,
            Action::Last => lib.selected = last,
            Action::PageDown => lib.selected = (lib.selected + page).min(last),
            Action::PageUp => lib.selected = lib.selected.saturating_sub(page),
            Action::Open | Action::Expand => {
                let entry = lib.library.entries.get(lib.selected)?;
                if let Some(err) = &entry.error {
                    self.notice = Some(format!("{}: {err}", entry.path.display()));
                    return None;
                }
                return Some(Effect::Open(entry.path.clone()));
            }
            Action::BackToList | Action::Collapse if self.reader.is_some() => {
                self.screen = Screen::Reader;
            }
            _ => {}
        }
        self.clamp_library();
        None
    }

    fn clamp_library(&mut self) {
        let height = self.viewport.detail_height.max(1);
        if let Some(lib) = self.library.as_mut() {
            lib.selected = lib
                .selected
                .min(lib.library.entries.len().saturating_sub(1));
            if lib.selected < lib.scroll {
                lib.scroll = lib.selected;
            } else if lib.selected >= lib.scroll + height {
                lib.scroll = lib.selected + 1 - height;
            }
        }
    }

    fn apply_reader(&mut self, action: Action) -> Option<Effect> {
        if matches!(action, Action::NextSection | Action::PageDown) {
            // Moving on from a section whose end is on screen: read.
            self.note_read();
        }
        let panel_row = self.panel_row();
        let whole_pending = self.whole_pending();
        let r = self.reader.as_mut()?;
        let focus = r.focus;
        let from = r.place();
        let mut effect = None;
        let page =
            isize::try_from(self.viewport.detail_height.saturating_sub(1).max(1)).unwrap_or(1);
        let n = r.section_count();
        match (action, focus) {
            (Action::SwitchPane, _) => {
                r.focus = match focus {
                    Focus::Outline => Focus::Detail,
                    Focus::Detail if r.panel.visible => Focus::Keywords,
                    Focus::Detail | Focus::Keywords => Focus::Outline,
                };
                self.resize(self.size);
            }
            (Action::MoveDown, Focus::Keywords) => self.move_panel(1),
            (Action::MoveUp, Focus::Keywords) => self.move_panel(-1),
            (Action::First, Focus::Keywords) => self.move_panel(isize::MIN / 2),
            (Action::Last, Focus::Keywords) => self.move_panel(isize::MAX / 2),
            (Action::Open, Focus::Keywords) => match panel_row {
                Some(PanelRow::Term(t)) => self.jump_to_term(t),
                Some(PanelRow::Suggestion(_)) => effect = self.adopt_suggestion(),
                None => {}
            },
            (Action::ToggleKeywordPanel, _) => {
                r.panel.visible = !r.panel.visible;
                if r.panel.visible {
                    r.focus = Focus::Keywords;
                    if r.ensure_suggestions(whole_pending) {
                        effect = Some(Effect::Suggest(Arc::clone(&r.briefing)));
                    }
                } else if r.focus == Focus::Keywords {
                    r.focus = Focus::Outline;
                }
                self.resize(self.size);
            }
            (Action::ToggleHitFilter, _) => {
                // While the hits are counted the filter waits for them
                // (see `filter_keep`).
                if !r.keywords.is_active() || (r.keywords.total() == 0 && !r.keywords.is_pending())
                {
                    self.notice = Some("no keyword hits to filter by".to_owned());
                } else {
                    r.filter_hits = !r.filter_hits;
                    self.refilter();
                }
            }
            (Action::AddTerm, _) => {
                self.mode = Mode::AddTerm {
                    input: String::new(),
                }
            }
            (Action::RemoveTerm, _) => match panel_row {
                Some(PanelRow::Term(t)) => {
                    let removed = r.keywords.terms.get(t).map(|term| term.text.clone());
                    let terms: Vec<Term> = r
                        .keywords
                        .terms
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| i != t)
                        .map(|(_, term)| term.clone())
                        .collect();
                    effect = self.set_terms(terms);
                    if let Some(text) = removed {
                        self.notice = Some(format!("stopped watching “{text}”"));
                    }
                }
                _ => {
                    self.notice =
                        Some("select a term in the keyword panel (K) to remove it".to_owned());
                }
            },
            (Action::ToggleTerm, _) => match panel_row {
                Some(PanelRow::Term(t)) => {
                    if let Some(term) = r.keywords.terms.get_mut(t) {
                        term.enabled = !term.enabled;
                    }
                }
                _ => self.notice = Some("select a term in the keyword panel (K) first".to_owned()),
            },
            (Action::AdoptSuggestion, _) => effect = self.adopt_suggestion(),
            (Action::Open, Focus::Outline) => {
                r.focus = Focus::Detail;
                self.resize(self.size);
            }
            (Action::MoveDown, Focus::Outline) => {
                let i = r.visible_index();
                if let Some(&next) = r.visible.get(i + 1) {
                    self.select(next);
                }
            }
            (Action::MoveUp, Focus::Outline) => {
                let i = r.visible_index();
                if i > 0 {
                    let prev = r.visible[i - 1];
                    self.select(prev);
                }
            }
            (Action::MoveDown, Focus::Detail) => self.scroll_by(1),
            (Action::MoveUp, Focus::Detail) => self.scroll_by(-1),
            (Action::First, Focus::Outline) => {
                if let Some(&first) = r.visible.first() {
                    self.select(first);
                }
            }
            (Action::Last, Focus::Outline) => {
                if let Some(&last) = r.visible.last() {
                    self.select(last);
                }
            }
            (Action::First, Focus::Detail) => r.scroll = 0,
            (Action::Last, Focus::Detail) => {
                r.scroll = r.lines.len().saturating_sub(self.viewport.detail_height);
            }
            (Action::NextSection, _) => {
                if r.selected + 1 < n {
                    let next = r.selected + 1;
                    self.select(next);
                } else {
                    self.notice = Some("last section".to_owned());
                }
            }
            (Action::PrevSection, _) => {
                if r.selected > 0 {
                    let prev = r.selected - 1;
                    self.select(prev);
                } else {
                    self.notice = Some("first section".to_owned());
                }
            }
            (Action::PageDown, _) => {
                let max = r.lines.len().saturating_sub(self.viewport.detail_height);
                if r.scroll >= max {
                    if r.selected + 1 < n {
                        let next = r.selected + 1;
                        self.select(next);
                    } else {
                        self.notice = Some("end of briefing".to_owned());
                    }
                } else {
                    self.scroll_by(page);
                }
            }
            (Action::PageUp, _) => {
                if r.scroll == 0 {
                    if r.selected > 0 {
                        let prev = r.selected - 1;
                        self.select(prev);
                        if let Some(r) = self.reader.as_mut() {
                            r.scroll = r.lines.len().saturating_sub(self.viewport.detail_height);
                        }
                    }
                } else {
                    self.scroll_by(-page);
                }
            }
            (Action::Collapse, _) => {
                let s = r.selected;
                if r.outline.entries[s].has_children && !r.collapsed[s] {
                    r.collapsed[s] = true;
                    r.rebuild_visible();
                    self.keep_outline_in_view();
                } else if let Some(parent) = r.outline.entries[s].parent {
                    self.select(parent);
                }
            }
            (Action::Expand, _) => {
                let s = r.selected;
                if r.outline.entries[s].has_children {
                    if r.collapsed[s] {
                        r.collapsed[s] = false;
                        r.rebuild_visible();
                        self.keep_outline_in_view();
                    } else {
                        self.select(s + 1);
                    }
                }
            }
            (Action::StartSearch, _) => {
                self.mode = Mode::Search {
                    input: String::new(),
                    origin: (r.selected, r.scroll),
                };
            }
            (Action::StartJump, _) => {
                self.mode = Mode::Jump {
                    input: String::new(),
                };
            }
            (Action::NextMatch, _) => self.step_match(true),
            (Action::PrevMatch, _) => self.step_match(false),
            (Action::Escape, _) if r.search.query.is_empty() && r.filter_hits => {
                r.filter_hits = false;
                self.refilter();
            }
            (Action::Escape, _) => {
                if r.search.query.is_empty() {
                    if focus == Focus::Detail {
                        r.focus = Focus::Outline;
                        self.resize(self.size);
                    }
                } else {
                    self.clear_search();
                }
            }
            (Action::WiderOutline | Action::NarrowerOutline, _) => {
                let step = if action == Action::WiderOutline {
                    OUTLINE_STEP
                } else {
                    -OUTLINE_STEP
                };
                let before = ui::areas(self).outline_frame;
                self.outline_offset = self.outline_offset.saturating_add(step);
                let after = ui::areas(self).outline_frame;
                if after.map(|a| a.width) == before.map(|b| b.width) {
                    // At its widest or narrowest, or one pane shown.
                    self.outline_offset = self.outline_offset.saturating_sub(step);
                    let two_panes = before.is_some_and(|b| b.width < self.size.width);
                    self.notice = Some(
                        match (two_panes, step > 0) {
                            (false, _) => "one pane at a time at this width",
                            (true, true) => "the outline pane is at its widest",
                            (true, false) => "the outline pane is at its narrowest",
                        }
                        .to_owned(),
                    );
                } else {
                    self.resize(self.size);
                }
            }
            (Action::ToggleRepeats, _) => {
                if r.repeat_count == 0 {
                    self.notice = Some("no repeated text in this briefing".to_owned());
                } else {
                    r.show_repeats = !r.show_repeats;
                    let showing = r.show_repeats;
                    let terms = std::mem::take(&mut r.keywords.terms);
                    let count = self.recount(terms, false);
                    let Some(r) = self.reader.as_mut() else {
                        return count;
                    };
                    if !r.keywords.is_pending() {
                        r.refresh_term_search();
                    }
                    let width = r.text_width;
                    r.relayout(width);
                    self.scroll_by(0);
                    self.notice = Some(if showing {
                        "showing repeated text".to_owned()
                    } else {
                        "repeated text collapsed".to_owned()
                    });
                    // The searched text changed: search again, in the
                    // background when the briefing is large (once the
                    // count is in, when that is made in the background).
                    return count.or_else(|| self.research());
                }
            }
            (Action::NextKeywordSection, _) => self.step_keyword_section(true),
            (Action::PrevKeywordSection, _) => self.step_keyword_section(false),
            (Action::BackToList, _) => {
                let path = r.path.clone();
                let read = r.read_count;
                if let Some(view) = self.library.as_mut()
                    && let Some(path) = path
                    && let Some(i) = view.library.entries.iter().position(|e| e.path == path)
                    && let Some(count) = view.read.get_mut(i)
                {
                    *count = read;
                    // Counted again from them if its whole outline comes in.
                    view.marks.insert(path, r.memory.read.clone());
                }
                if self.library.is_some() {
                    self.screen = Screen::Library;
                    self.clamp_library();
                } else {
                    self.notice = Some("not opened from a folder".to_owned());
                }
            }
            (Action::ToggleRead, _) => {
                let s = r.selected;
                let read = !r.read[s];
                r.set_read(s, read);
                self.notice = Some(format!(
                    "{} ({} of {n} read)",
                    if read { "marked read" } else { "marked unread" },
                    r.read_count
                ));
            }
            (Action::NextUnread, _) => self.step_to(true, |r, s| !r.read[s], "unread"),
            (Action::PrevUnread, _) => self.step_to(false, |r, s| !r.read[s], "unread"),
            (Action::NextChanged, _) => {
                self.step_to(true, |r, s| r.changed[s], "new or changed");
            }
            (Action::PrevChanged, _) => {
                self.step_to(false, |r, s| r.changed[s], "new or changed");
            }
            (Action::SetMark, _) => self.mode = Mode::Mark { set: true },
            (Action::GoToMark, _) => self.mode = Mode::Mark { set: false },
            (Action::HistoryBack, _) => self.walk_history(true),
            (Action::HistoryForward, _) => self.walk_history(false),
            (Action::ShowLinks, _) => {
                let links = links::of_section(&r.briefing.sections[r.selected]);
                if links.is_empty() {
                    self.notice = Some("no links in this section".to_owned());
                } else {
                    self.mode = Mode::Links { links, selected: 0 };
                }
            }
            (Action::Edit, _) => match &r.path {
                Some(path) => {
                    effect = Some(Effect::Edit {
                        path: path.clone(),
                        line: r.briefing.sections[r.selected].line.max(1),
                    });
                }
                None => self.notice = Some("read from standard input: nothing to edit".to_owned()),
            },
            (Action::Quit | Action::ToggleHelp, _) | (Action::Open, Focus::Detail) => {}
        }
        let jump = matches!(
            (action, focus),
            (Action::First | Action::Last, Focus::Outline)
                | (Action::Open, Focus::Keywords)
                | (
                    Action::NextMatch
                        | Action::PrevMatch
                        | Action::NextKeywordSection
                        | Action::PrevKeywordSection
                        | Action::NextUnread
                        | Action::PrevUnread
                        | Action::NextChanged
                        | Action::PrevChanged,
                    _
                )
        );
        if jump {
            self.record_jump(from);
        }
        let browsing = matches!(
            (action, focus),
            (Action::First | Action::Last, Focus::Outline)
        );
        let reading = (jump && !browsing)
            || matches!(
                (action, focus),
                (
                    Action::MoveDown | Action::MoveUp | Action::First | Action::Last,
                    Focus::Detail
                ) | (
                    Action::NextSection
                        | Action::PrevSection
                        | Action::PageDown
                        | Action::PageUp
                        | Action::HistoryBack
                        | Action::HistoryForward,
                    _
                )
            );
        if reading {
            self.note_read();
        }
        effect
    }

    /// Whether the reader awaits what `load` brings: not when a reload
    /// replaced the briefing meanwhile (what it brings is older), or
    /// another briefing was opened since.
    fn awaits(&self, load: &Progress) -> bool {
        self.loading
            .as_ref()
            .is_some_and(|l| l.is_of_same_load(load))
    }

    /// Show `briefing`, which begins with the sections shown now (the
    /// first screenful, or what had come of a stream) and has more: keep
    /// the place.
    fn show_more(&mut self, briefing: Arc<Briefing>, derived: state::Derived) -> Option<()> {
        let r = self.reader.as_mut()?;
        let (selected, scroll, focus) = (r.selected, r.scroll, r.focus);
        let n = briefing.sections.len();
        let state::Derived { outline, keys } = derived;
        r.outline = outline;
        r.keys = keys;
        crate::background::drop_later(r.replace_briefing(briefing));
        // Sections folded meanwhile stay folded.
        r.collapsed.resize(n, false);
        r.selected = selected.min(n.saturating_sub(1));
        r.focus = focus;
        // Those of the part shown; any asked for meanwhile come with the
        // count after repeats.
        r.suggestions = None;
        r.derive_read(&[]);
        r.rebuild_visible();
        let width = r.text_width;
        r.relayout(width);
        r.scroll = scroll;
        self.scroll_by(0);
        self.keep_outline_in_view();
        Some(())
    }

    /// Apply a step of background work.
    fn loaded(&mut self, loaded: Loaded) -> Option<Effect> {
        match loaded {
            Loaded::Failed(message, load) => {
                if !self.awaits(&load) {
                    return None;
                }
                // Nothing more comes: the first screenful is the briefing.
                self.loading = None;
                self.counting = false;
                if let Some(r) = self.reader.as_mut() {
                    // Asked for meanwhile: `K` asks again.
                    r.suggesting = false;
                }
                self.notice = Some(format!("could not finish loading: {message}"));
                self.research()
            }
            Loaded::Briefing(briefing, derived, load) => {
                if !self.awaits(&load) {
                    crate::background::drop_later(briefing);
                    return None;
                }
                self.loading = None;
                self.awaiting_repeats = true;
                self.show_more(briefing, *derived)?;
                // The remembered place may only now have loaded.
                if let Some(place) = self.reader.as_mut().and_then(|r| r.pending_place.take())
                    && self.go_to_place(place)
                {
                    self.notice = Some(self.resumed_notice());
                }
                // A search typed meanwhile is run again once repeats are
                // marked and hits counted (see `Loaded::Keywords` and
                // `search_effect`).
                None
            }
            Loaded::Grown(briefing, derived, load) => {
                if !self.awaits(&load) {
                    crate::background::drop_later(briefing);
                    return None;
                }
                self.show_more(briefing, *derived)?;
                // The watched terms are counted again as when they change
                // while loading (a large part's count waits for the whole),
                // and a typed search is run again.
                let terms = std::mem::take(&mut self.reader.as_mut()?.keywords.terms);
                self.recount(terms, false).or_else(|| self.research())
            }
            Loaded::Entry(entry) => {
                self.library.as_mut()?.complete(*entry);
                self.clamp_library();
                None
            }
            Loaded::Repeats(marks, briefing) => {
                let r = self.reader.as_mut()?;
                if !Arc::ptr_eq(&briefing, &r.briefing) {
                    // Found for a briefing that has since been replaced.
                    return None;
                }
                drop(briefing);
                self.awaiting_repeats = false;
                // No job holds the briefing (see `whole_pending`): marked in
                // place, not copied.
                crate::repeat::apply(Arc::make_mut(&mut r.briefing), &marks);
                r.repeat_count = marks.blocks.len();
                // Laid out again only if its text changed: a section of
                // megabytes takes a while.
                if marks.touches(r.selected) {
                    let width = r.text_width;
                    r.relayout(width);
                }
                // Suggestions only when asked for meanwhile (the panel
                // opened, a term added): working them out always raised
                // the peak for 50 MiB of Markdown by 3.3 MB.
                let suggest = r.suggesting;
                self.scroll_by(0);
                self.count_in_background(suggest)
            }
            Loaded::Compared {
                comparison,
                shown,
                new,
            } => {
                let r = self.reader.as_mut()?;
                let Some(under_way) = r.comparing.checked_sub(1) else {
                    // For a briefing since closed.
                    return None;
                };
                r.comparing = under_way;
                if !Arc::ptr_eq(&shown, &r.briefing) {
                    // Compared with a version since replaced (a reload
                    // before it): compare again with the one shown now.
                    drop(shown);
                    r.comparing += 1;
                    return Some(Effect::Compare {
                        shown: Arc::clone(&r.briefing),
                        new,
                    });
                }
                drop(shown);
                self.compared(comparison, new)
            }
            Loaded::Keywords(keywords, briefing) => {
                let r = self.reader.as_mut()?;
                if !Arc::ptr_eq(&briefing, &r.briefing) {
                    // For a briefing since replaced (and counted then).
                    return None;
                }
                drop(briefing);
                // Terms changed meanwhile: those counts are already stale,
                // and the count for the new ones is still to come.
                if keywords.terms == r.keywords.terms && keywords.includes_repeats == r.show_repeats
                {
                    self.counting = false;
                    r.keywords = *keywords;
                    r.refresh_term_search();
                    // Turned on while counting (see `filter_keep`), but
                    // nothing to show.
                    if r.filter_hits && r.keywords.total() == 0 {
                        r.filter_hits = false;
                        self.notice = Some("no keyword hits to filter by".to_owned());
                    }
                    self.refilter();
                }
                // The last step after loading: search the whole briefing,
                // repeats marked, for a query typed meanwhile.
                self.research()
            }
            Loaded::Suggestions(list, briefing) => {
                let r = self.reader.as_mut()?;
                if !Arc::ptr_eq(&briefing, &r.briefing) || !r.suggesting {
                    return None;
                }
                r.suggestions = Some(list);
                r.suggesting = false;
                // Leaves out the terms watched meanwhile.
                let _ = r.ensure_suggestions(false);
                None
            }
            Loaded::Search {
                generation,
                matches,
            } => {
                let r = self.reader.as_mut()?;
                let origin = r.search.pending.as_ref().map(|p| p.origin);
                let taken = r.search.complete(generation, matches, &r.briefing);
                // "Searching…" is over.
                if taken && self.notice == Some(searching_notice(&r.search.query)) {
                    self.notice = None;
                }
                if taken
                    && r.search.current.is_none()
                    && let Some(origin) = origin
                {
                    if r.search.matches.is_empty() {
                        if self.mode == Mode::Normal {
                            self.notice = Some(format!("no match for “{}”", r.search.query));
                        }
                    } else {
                        self.show_first_match(origin);
                    }
                }
                None
            }
        }
    }

    /// The panel row under the selection, if the panel is shown.
    fn panel_row(&self) -> Option<PanelRow> {
        let r = self.reader.as_ref()?;
        if !r.panel.visible {
            return None;
        }
        r.panel_rows().get(r.panel.selected).copied()
    }

    fn move_panel(&mut self, delta: isize) {
        let height = self.viewport.panel_height.max(1);
        if let Some(r) = self.reader.as_mut() {
            let rows = r.panel_rows().len();
            r.panel.selected = r
                .panel
                .selected
                .saturating_add_signed(delta)
                .min(rows.saturating_sub(1));
            if r.panel.selected < r.panel.scroll {
                r.panel.scroll = r.panel.selected;
            } else if r.panel.selected >= r.panel.scroll + height {
                r.panel.scroll = r.panel.selected + 1 - height;
            }
        }
    }

    /// Search through the hits of term `t`: `n`/`N` then step through them.
    fn jump_to_term(&mut self, t: usize) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let Some(term) = r.keywords.terms.get(t) else {
            return;
        };
        if r.keywords.is_pending() {
            self.notice = Some(format!("still counting “{}”…", term.text));
            return;
        }
        let matches = r.keywords.positions_of(t);
        if matches.is_empty() {
            self.notice = Some(format!("“{}” is not in this briefing", term.text));
            return;
        }
        r.search.replace(Search {
            query: term.text.clone(),
            kind: SearchKind::Term(t),
            matches,
            ..Search::default()
        });
        self.step_match(true);
    }

    /// Watch the selected suggestion.
    fn adopt_suggestion(&mut self) -> Option<Effect> {
        let Some(PanelRow::Suggestion(i)) = self.panel_row() else {
            self.notice = Some("select a suggested term in the keyword panel (K) first".to_owned());
            return None;
        };
        let r = self.reader.as_mut()?;
        let (text, _) = r.suggestions.as_ref().and_then(|l| l.get(i)).cloned()?;
        let mut terms = r.keywords.terms.clone();
        terms.push(Term::new(text.clone(), TermOrigin::Suggested));
        let effect = self.set_terms(terms);
        self.notice = Some(format!("watching “{text}”"));
        effect
    }

    /// Whether the whole briefing is still to come, or its repeats still
    /// to be marked (`Arc::make_mut` then marks them in place only while
    /// no background job holds it): work over all of it waits.
    pub fn whole_pending(&self) -> bool {
        self.loading.is_some() || self.awaiting_repeats
    }

    /// Count `terms` over the briefing and put them in place: at once in a
    /// small briefing, else in the background (see
    /// [`Keywords::count_at_once`]), the terms uncounted meanwhile; then,
    /// with `suggest`, suggest terms there too (only asked for when the
    /// count is made in the background: else they were worked out at once).
    /// Returns the background work to start.
    fn recount(&mut self, terms: Vec<Term>, suggest: bool) -> Option<Effect> {
        let whole_pending = self.whole_pending();
        let r = self.reader.as_mut()?;
        if Keywords::count_at_once(&r.briefing) {
            r.keywords = Keywords::new(terms, &r.briefing, r.show_repeats);
            // Anything still counted in the background is for older terms
            // (the whole briefing's count is still to come, though).
            if !whole_pending {
                self.counting = false;
            }
            // So were the suggestions (see `ensure_suggestions`).
            return None;
        }
        if whole_pending {
            // Counted with the new terms once repeats are marked: a job
            // now would hold the briefing they are marked in.
            r.keywords = Keywords::uncounted(terms, &r.briefing, r.show_repeats);
            return None;
        }
        r.keywords = Keywords::uncounted(terms, &r.briefing, r.show_repeats);
        self.count_in_background(suggest)
    }

    /// Count the watched terms over the whole briefing in the background
    /// (`counting…` meanwhile); then, with `suggest`, suggest terms.
    fn count_in_background(&mut self, suggest: bool) -> Option<Effect> {
        let r = self.reader.as_ref()?;
        self.counting = true;
        Some(Effect::CountKeywords {
            terms: r.keywords.terms.clone(),
            briefing: Arc::clone(&r.briefing),
            include_repeats: r.show_repeats,
            suggest,
        })
    }

    /// Replace the watched terms: recount (see [`App::recount`]), refilter,
    /// re-lay out. Returns the background work to start.
    fn set_terms(&mut self, terms: Vec<Term>) -> Option<Effect> {
        let whole_pending = self.whole_pending();
        let r = self.reader.as_mut()?;
        if let SearchKind::Term(_) = r.search.kind {
            r.search = Search::default();
        }
        // Suggestions are worked out with the count, not before it.
        let suggest = r.panel.visible && r.ensure_suggestions(whole_pending);
        let effect = self.recount(terms, suggest);
        let r = self.reader.as_mut()?;
        if r.panel.visible {
            // Leave out the new terms.
            let _ = r.ensure_suggestions(whole_pending);
        }
        let rows = r.panel_rows().len();
        r.panel.selected = r.panel.selected.min(rows.saturating_sub(1));
        if !r.keywords.is_active() {
            r.filter_hits = false;
        }
        let rejected: Vec<String> = r
            .keywords
            .rejected
            .iter()
            .map(|(t, e)| format!("{t}: {e}"))
            .collect();
        self.refilter();
        if !rejected.is_empty() {
            self.notice = Some(rejected.join("; "));
        }
        effect
    }

    /// Rebuild the outline after the filter or the hits changed, keeping a
    /// visible selection.
    fn refilter(&mut self) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        r.rebuild_visible();
        if !r.visible.contains(&r.selected) {
            let next = r
                .visible
                .iter()
                .copied()
                .find(|&s| s >= r.selected)
                .or_else(|| r.visible.last().copied());
            if let Some(s) = next {
                self.select(s);
            }
        }
        // New hits (this follows every change of the keywords): those of
        // the section shown, where only counts are kept.
        if let Some(r) = self.reader.as_mut() {
            r.keywords.show(r.selected, &r.briefing);
        }
        self.keep_outline_in_view();
    }

    /// Select section `s`: reveal it in the outline, lay it out, scroll to
    /// its top.
    pub fn select(&mut self, s: usize) {
        let width = self.viewport.text_width.max(1);
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        if s >= r.section_count() {
            return;
        }
        r.selected = s;
        r.reveal(s);
        // The section shown again (`G` on the last one) is laid out
        // already: a section of megabytes takes a while.
        if r.laid_out == Some(s) && r.text_width == width {
            r.keywords.show(s, &r.briefing);
        } else {
            r.relayout(width);
        }
        r.scroll = 0;
        self.keep_outline_in_view();
    }

    fn keep_outline_in_view(&mut self) {
        let height = self.viewport.outline_height.max(1);
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let i = r.visible_index();
        if i < r.outline_scroll {
            r.outline_scroll = i;
        } else if i >= r.outline_scroll + height {
            r.outline_scroll = i + 1 - height;
        }
        let max = r.visible.len().saturating_sub(height);
        r.outline_scroll = r.outline_scroll.min(max);
    }

    fn scroll_by(&mut self, delta: isize) {
        let height = self.viewport.detail_height;
        if let Some(r) = self.reader.as_mut() {
            let max = r.lines.len().saturating_sub(height);
            r.scroll = r.scroll.saturating_add_signed(delta).min(max);
        }
    }

    fn resize(&mut self, size: Size) {
        self.size = size;
        let areas = ui::areas(self);
        self.viewport = Viewport {
            outline_height: areas.outline.map_or(0, |a| a.height as usize),
            panel_height: areas.keywords.map_or(0, |a| a.height as usize),
            detail_height: areas.detail.height as usize,
            text_width: ui::text_width(areas.detail, self.max_width),
            show_detail: areas.show_detail,
        };
        let width = self.viewport.text_width.max(1);
        let height = self.viewport.detail_height;
        if let Some(r) = self.reader.as_mut()
            && r.text_width != width
        {
            // Keep the same text at the top across a reflow.
            let top = anchor(&r.lines, r.scroll);
            r.relayout(width);
            r.scroll = top
                .and_then(|((source, offset), above)| {
                    layout::line_of(&r.lines, source, offset).map(|l| l.saturating_sub(above))
                })
                .unwrap_or(0);
        }
        if let Some(r) = self.reader.as_mut() {
            r.scroll = r.scroll.min(r.lines.len().saturating_sub(height));
        }
        self.keep_outline_in_view();
        self.clamp_library();
    }

    /// Search for `query` as it is typed: the first match at or after
    /// `origin` on screen at once if one is near, every match from a
    /// background job (the effect) when the briefing is large.
    fn set_query(&mut self, query: &str, origin: (usize, usize)) -> Option<Effect> {
        let r = self.reader.as_mut()?;
        r.search
            .replace(Search::start(query, &r.briefing, r.show_repeats, origin));
        self.show_first_match(origin);
        self.search_effect()
    }

    /// The background job a search left pending, to run on a thread. None
    /// while the briefing is about to change (the rest of the file is
    /// loading, or repeats and hits are being counted): `Loaded::Keywords`
    /// searches the final briefing then, and a job holding this one would
    /// make marking repeats copy it.
    fn search_effect(&self) -> Option<Effect> {
        if self.loading.is_some() || self.counting {
            return None;
        }
        let r = self.reader.as_ref()?;
        r.search.pending.as_ref().map(|p| Effect::Search {
            job: p.job.clone(),
            briefing: Arc::clone(&r.briefing),
        })
    }

    /// Go to the first match at or after `origin` (else the first one), or
    /// back to `origin` when there is none.
    fn show_first_match(&mut self, origin: (usize, usize)) {
        // Where the search began is where its lines are compared: back
        // there first if an earlier query took the reader elsewhere.
        if self.reader.as_ref().is_some_and(|r| r.selected != origin.0) {
            self.restore_position(origin);
        }
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        // Incremental: the first match at or after where the search began.
        let next = r.match_from(origin, true);
        // Wrap to the first match only when every match is known: while a
        // job looks for the rest, a later one may still turn up.
        let first = next.or(
            if r.search.matches.is_empty() || r.search.pending.is_some() {
                None
            } else {
                Some(0)
            },
        );
        if let Some(i) = first {
            self.goto_match(i);
        } else {
            self.restore_position(origin);
        }
    }

    fn clear_search(&mut self) {
        if let Some(r) = self.reader.as_mut() {
            r.search.replace(Search::default());
        }
    }

    /// Search the whole briefing again for the typed query (it changed
    /// under the search), keeping the current match if it is still one.
    fn research(&mut self) -> Option<Effect> {
        let r = self.reader.as_mut()?;
        if r.search.kind != SearchKind::Query || r.search.query.is_empty() {
            return None;
        }
        let current = r
            .search
            .current
            .and_then(|i| r.search.matches.get(i, &r.briefing));
        let origin = (r.selected, r.scroll);
        let query = std::mem::take(&mut r.search.query);
        r.search
            .replace(Search::start(&query, &r.briefing, r.show_repeats, origin));
        r.search.current = current.and_then(|m| r.search.matches.index_of(&m, &r.briefing));
        self.search_effect()
    }

    fn restore_position(&mut self, (section, scroll): (usize, usize)) {
        let same = self.reader.as_ref().is_some_and(|r| r.selected == section);
        if !same {
            self.select(section);
        }
        if let Some(r) = self.reader.as_mut() {
            r.scroll = scroll;
        }
        self.scroll_by(0);
    }

    fn goto_match(&mut self, i: usize) {
        let Some(m) = self
            .reader
            .as_ref()
            .and_then(|r| r.search.matches.get(i, &r.briefing))
        else {
            return;
        };
        let height = self.viewport.detail_height;
        if self
            .reader
            .as_ref()
            .is_some_and(|r| r.selected != m.section)
        {
            self.select(m.section);
        }
        if let Some(r) = self.reader.as_mut() {
            r.search.current = Some(i);
            if let Some(line) = layout::line_of(&r.lines, m.source, m.range.start)
                && (line < r.scroll || line >= r.scroll + height)
            {
                r.scroll = line.saturating_sub(height / 3);
            }
        }
        self.scroll_by(0);
    }

    fn step_match(&mut self, forward: bool) {
        let Some(r) = self.reader.as_ref() else {
            return;
        };
        let count = r.search.matches.len();
        if count == 0 {
            self.notice = Some(if r.search.query.is_empty() {
                "no search: press / to search".to_owned()
            } else if r.search.pending.is_some() {
                searching_notice(&r.search.query)
            } else {
                format!("no match for “{}”", r.search.query)
            });
            return;
        }
        // From the current match while the reader is in its section; from
        // the reader's section once they went elsewhere (as `less` and vim
        // search on from where one is).
        let current = r.search.current.filter(|&i| {
            r.search
                .matches
                .get(i, &r.briefing)
                .is_some_and(|m| m.section == r.selected)
        });
        let (next, wrapped) = match current {
            Some(i) if forward => ((i + 1) % count, i + 1 == count),
            Some(i) => ((i + count - 1) % count, i == 0),
            None => match r.match_from((r.selected, r.scroll), forward) {
                Some(i) => (i, false),
                None if forward => (0, true),
                None => (count - 1, true),
            },
        };
        if wrapped {
            if r.search.pending.is_some() {
                // Matches past the last known one may still turn up.
                self.notice = Some(searching_notice(&r.search.query));
                return;
            }
            self.notice = Some(if forward {
                "search wrapped to the top".to_owned()
            } else {
                "search wrapped to the bottom".to_owned()
            });
        }
        self.goto_match(next);
    }

    fn step_keyword_section(&mut self, forward: bool) {
        let Some(r) = self.reader.as_ref() else {
            return;
        };
        if !r.keywords.is_active() {
            self.notice = Some("no keywords: give -k TERM or --keywords FILE".to_owned());
            return;
        }
        if r.keywords.is_pending() {
            self.notice = Some("still counting the keywords…".to_owned());
            return;
        }
        let counts = &r.keywords.section_counts;
        let found = if forward {
            (r.selected + 1..counts.len()).find(|&s| counts[s] > 0)
        } else {
            (0..r.selected).rev().find(|&s| counts[s] > 0)
        };
        match found {
            Some(s) => self.select(s),
            None => {
                self.notice = Some(if forward {
                    "no later section with keywords".to_owned()
                } else {
                    "no earlier section with keywords".to_owned()
                });
            }
        }
    }

    fn jump_to(&mut self, target: &str) {
        let Some(r) = self.reader.as_ref() else {
            return;
        };
        // The number the outline shows (a heading's own `3.`, or `2.3`),
        // else the section's place in order.
        let found = r
            .outline
            .find_number(&r.briefing.sections, target)
            .or_else(|| {
                target
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1 && n <= r.section_count())
                    .map(|n| n - 1)
            });
        match found {
            Some(s) => {
                self.select(s);
            }
            None => self.notice = Some(format!("no section {target}")),
        }
    }

    fn wheel(&mut self, position: Position, delta: i32) {
        let areas = ui::areas(self);
        match self.screen {
            Screen::Library => {
                let action = if delta > 0 {
                    Action::MoveDown
                } else {
                    Action::MoveUp
                };
                for _ in 0..delta.unsigned_abs() {
                    self.apply_library(action);
                }
            }
            Screen::Reader => {
                if areas.outline.is_some_and(|a| a.contains(position)) {
                    let height = self.viewport.outline_height;
                    if let Some(r) = self.reader.as_mut() {
                        let max = r.visible.len().saturating_sub(height);
                        r.outline_scroll = r
                            .outline_scroll
                            .saturating_add_signed(delta as isize)
                            .min(max);
                    }
                } else if areas.show_detail && areas.detail.contains(position) {
                    self.scroll_by(delta as isize);
                }
            }
        }
    }

    fn click(&mut self, position: Position) -> Option<Effect> {
        let areas = ui::areas(self);
        match self.screen {
            Screen::Library => {
                if areas.detail.contains(position) {
                    let row = usize::from(position.y - areas.detail.y);
                    if let Some(lib) = self.library.as_mut() {
                        let i = lib.scroll + row;
                        if i < lib.library.entries.len() {
                            if lib.selected == i {
                                return self.apply_library(Action::Open);
                            }
                            lib.selected = i;
                        }
                    }
                }
                None
            }
            Screen::Reader => {
                if let Some(outline) = areas.outline.filter(|a| a.contains(position)) {
                    let row = usize::from(position.y - outline.y);
                    let target = self
                        .reader
                        .as_ref()
                        .and_then(|r| r.visible.get(r.outline_scroll + row).copied());
                    if let Some(r) = self.reader.as_mut() {
                        r.focus = Focus::Outline;
                    }
                    if let Some(s) = target {
                        self.select(s);
                    }
                    self.resize(self.size);
                } else if areas.show_detail && areas.detail.contains(position) {
                    if let Some(r) = self.reader.as_mut() {
                        r.focus = Focus::Detail;
                    }
                    self.resize(self.size);
                }
                None
            }
        }
    }

    /// The rectangle of the whole terminal.
    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.width, self.size.height)
    }
}

fn first_text_position(line: &Line) -> Option<(usize, usize)> {
    line.pieces.iter().find_map(|p| match p {
        layout::Piece::Text { source, range, .. } => Some((*source, range.start)),
        layout::Piece::Deco { .. } => None,
    })
}

/// The notice while a background job still looks for matches of `query`.
fn searching_notice(query: &str) -> String {
    format!("searching for “{query}”…")
}
