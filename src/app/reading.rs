//! Reading over time: what is remembered between runs (the place, read
//! marks, bookmarks), the history of jumps, links, and following the file
//! as it changes. The `App` and `Reader` methods here change state only
//! through `App::update`, like the rest of `app`; the files themselves are
//! written by the event loop (see `state`).

use std::path::PathBuf;
use std::sync::Arc;

use super::{App, Effect, Mode, Reader, Screen, first_text_position};
use crate::briefing::{Briefing, Link, Section};
use crate::keywords::Keywords;
use crate::layout::{self, Line};
use crate::links::{self, Target};
use crate::search::{SYNC_BYTES, Search, SearchKind};
use crate::state::{self, Memory, Place, SectionKey};

/// The notice while a new version of a large briefing is compared with the
/// one shown.
const COMPARING: &str = "reloading: comparing with the version shown…";

/// Places left by jumps, to go back and forward through, as in a browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub back: Vec<Place>,
    pub forward: Vec<Place>,
    /// Where the reader was before the last jump (`''`).
    pub previous: Option<Place>,
}

/// Places kept in the history; older ones are dropped.
const HISTORY_LIMIT: usize = 200;

/// Marks shown in the outline: read, and new or changed since read.
pub const READ_MARK: &str = "✓";
pub const CHANGED_MARK: &str = "•";

impl Reader {
    /// Work out read and changed sections from the remembered read marks.
    /// Sections in `new` (after a reload) are flagged as new.
    pub(super) fn derive_read(&mut self, new: &[bool]) {
        let n = self.keys.len();
        self.read = vec![false; n];
        self.changed = vec![false; n];
        for s in 0..n {
            match self.memory.read.get(&self.keys[s]) {
                Some(&hash) if hash == state::section_hash(&self.briefing.sections[s]) => {
                    self.read[s] = true;
                }
                Some(_) => self.changed[s] = true,
                None => self.changed[s] = new.get(s).copied().unwrap_or(false),
            }
        }
        self.read_count = self.read.iter().filter(|&&r| r).count();
    }

    /// The first search match at or after `(section, scroll)` (`forward`),
    /// or the last one before it. `section` is the selected one: its lines
    /// are those laid out now.
    pub(super) fn match_from(
        &self,
        (section, scroll): (usize, usize),
        forward: bool,
    ) -> Option<usize> {
        let (first, here) = self.search.matches.in_section(section, &self.briefing);
        // Whether each match is on the line at `scroll` or below it.
        let mut below =
            layout::lines_of_places(&self.lines, here.iter().map(|m| (m.source, m.range.start)))
                .map(|line| line.is_some_and(|l| l >= scroll));
        if forward {
            below
                .position(|b| b)
                .map(|j| first + j)
                .or_else(|| self.search.matches.first_from(section + 1))
        } else {
            let above = below.enumerate().filter(|&(_, b)| !b).last();
            above.map(|(j, _)| first + j).or_else(|| {
                section
                    .checked_sub(1)
                    .and_then(|s| self.search.matches.last_through(s))
            })
        }
    }

    pub(super) fn set_read(&mut self, s: usize, read: bool) {
        if s >= self.read.len() || self.read[s] == read {
            return;
        }
        self.read[s] = read;
        if read {
            let hash = state::section_hash(&self.briefing.sections[s]);
            self.memory.read.insert(self.keys[s], hash);
            self.unsaved = true;
            self.changed[s] = false;
            self.read_count += 1;
        } else {
            self.memory.read.remove(&self.keys[s]);
            self.unsaved = true;
            self.read_count -= 1;
        }
    }

    /// The place on screen now, independent of the width.
    pub fn place(&self) -> Place {
        let anchor = if self.scroll == 0 {
            None
        } else {
            anchor(&self.lines, self.scroll)
        };
        Place {
            section: self.keys.get(self.selected).copied().unwrap_or_default(),
            index: self.selected,
            at: anchor.map(|(at, _)| at),
            above: anchor.map_or(0, |(_, above)| above),
        }
    }

    /// The section a place is in: the one with its key nearest to where it
    /// was.
    pub(super) fn find_place(&self, place: &Place) -> Option<usize> {
        if self.keys.get(place.index) == Some(&place.section) {
            return Some(place.index);
        }
        self.keys
            .iter()
            .enumerate()
            .filter(|&(_, &k)| k == place.section)
            .min_by_key(|&(i, _)| i.abs_diff(place.index))
            .map(|(i, _)| i)
    }

    /// What to save: read marks, bookmarks and the place now.
    pub fn memory_now(&self) -> Memory {
        Memory {
            place: Some((self.place(), state::fingerprint(&self.keys))),
            ..self.memory.clone()
        }
    }
}

impl App {
    /// Count the read sections of each briefing in the list, given the read
    /// marks remembered for each (in list order).
    pub fn set_library_read(&mut self, marks: &[std::collections::BTreeMap<SectionKey, u64>]) {
        if let Some(view) = self.library.as_mut() {
            view.marks = view
                .library
                .entries
                .iter()
                .zip(marks)
                .map(|(e, read)| (e.path.clone(), read.clone()))
                .collect();
            view.recount_read();
        }
    }

    /// Start from what is remembered about the open briefing: read marks,
    /// bookmarks, and (with `resume`) the place last read.
    #[must_use]
    pub fn with_memory(mut self, memory: Memory, resume: bool) -> App {
        self.recall(memory, resume);
        self
    }

    /// What to save for the open briefing when the reader closes it.
    pub fn memory_to_save(&self) -> Option<(PathBuf, Memory)> {
        let r = self.reader.as_ref()?;
        Some((r.path.clone()?, r.memory_now()))
    }

    pub(super) fn recall(&mut self, memory: Memory, resume: bool) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let place = memory.place.map(|(place, _)| place);
        r.memory = Memory {
            place: None,
            ..memory
        };
        r.unsaved = false;
        r.derive_read(&[]);
        if let Some(place) = place.filter(|p| resume && (p.index > 0 || p.at.is_some())) {
            if self.go_to_place(place) {
                self.notice = Some(self.resumed_notice());
            } else if let Some(r) = self.reader.as_mut() {
                r.pending_place = Some(place);
            }
        }
    }

    pub(super) fn resumed_notice(&self) -> String {
        let Some(r) = self.reader.as_ref() else {
            return String::new();
        };
        format!(
            "resumed at §{} {}",
            r.selected + 1,
            r.briefing.sections[r.selected].title
        )
    }

    /// Go to a place: its section, and the text that was at the top.
    pub(super) fn go_to_place(&mut self, place: Place) -> bool {
        let Some(s) = self.reader.as_ref().and_then(|r| r.find_place(&place)) else {
            return false;
        };
        self.select(s);
        if let Some((block, offset)) = place.at
            && let Some(r) = self.reader.as_mut()
            && let Some(line) = layout::line_of(&r.lines, block, offset)
        {
            r.scroll = line.saturating_sub(place.above);
        }
        self.scroll_by(0);
        true
    }

    /// A jump left `from`: remember it for going back, unless the reader is
    /// still there.
    pub(super) fn record_jump(&mut self, from: Place) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        if r.place() == from {
            return;
        }
        let h = &mut r.history;
        h.back.push(from);
        if h.back.len() > HISTORY_LIMIT {
            h.back.remove(0);
        }
        h.forward.clear();
        h.previous = Some(from);
    }

    /// Walk the history: back (`true`) or forward.
    pub(super) fn walk_history(&mut self, back: bool) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let here = r.place();
        let next = if back {
            r.history.back.pop()
        } else {
            r.history.forward.pop()
        };
        let Some(place) = next else {
            self.notice = Some(if back {
                "no earlier place in the history".to_owned()
            } else {
                "no later place in the history".to_owned()
            });
            return;
        };
        if back {
            r.history.forward.push(here);
        } else {
            r.history.back.push(here);
        }
        r.history.previous = Some(here);
        if !self.go_to_place(place) {
            self.notice = Some("that place is gone from the briefing".to_owned());
        }
    }

    /// A section counts as read once its end has been on screen after a
    /// reading move (not while browsing the outline).
    pub(super) fn note_read(&mut self) {
        let height = self.viewport.detail_height;
        let loading = self.loading.is_some();
        if self.screen != Screen::Reader || height == 0 || !self.viewport.show_detail {
            return;
        }
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        // The last section of a briefing still loading may be cut short.
        if loading && r.selected + 1 >= r.section_count() {
            return;
        }
        if r.scroll + height >= r.lines.len() {
            let s = r.selected;
            r.set_read(s, true);
        }
    }

    pub(super) fn set_mark(&mut self, letter: char) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let place = r.place();
        r.memory.marks.insert(letter, place);
        r.unsaved = true;
        self.notice = Some(format!(
            "mark {letter} set at §{} {}",
            r.selected + 1,
            r.briefing.sections[r.selected].title
        ));
    }

    pub(super) fn go_to_mark(&mut self, letter: char) {
        let Some(r) = self.reader.as_ref() else {
            return;
        };
        let from = r.place();
        let Some(&place) = r.memory.marks.get(&letter) else {
            let set: String = r.memory.marks.keys().collect();
            self.notice = Some(if set.is_empty() {
                format!("no mark {letter}: set one with m{letter}")
            } else {
                format!("no mark {letter} (marks: {set})")
            });
            return;
        };
        if self.go_to_place(place) {
            self.record_jump(from);
            self.note_read();
        } else {
            self.notice = Some(format!(
                "mark {letter}: its section is gone from the briefing"
            ));
        }
    }

    /// `''`: back to where the reader was before the last jump.
    pub(super) fn go_to_previous(&mut self) {
        let Some(r) = self.reader.as_ref() else {
            return;
        };
        let from = r.place();
        let previous = r.history.previous;
        match previous {
            Some(place) if self.go_to_place(place) => self.record_jump(from),
            Some(_) => self.notice = Some("that place is gone from the briefing".to_owned()),
            None => self.notice = Some("no jump yet to go back from".to_owned()),
        }
    }

    /// Step to the next (or previous) section for which `pick` holds.
    pub(super) fn step_to(&mut self, forward: bool, pick: fn(&Reader, usize) -> bool, what: &str) {
        let Some(r) = self.reader.as_ref() else {
            return;
        };
        let n = r.section_count();
        let found = if forward {
            (r.selected + 1..n).find(|&s| pick(r, s))
        } else {
            (0..r.selected).rev().find(|&s| pick(r, s))
        };
        if let Some(s) = found {
            self.select(s);
            return;
        }
        let any = (0..n).any(|s| pick(r, s));
        self.notice = Some(match (any, forward) {
            (false, _) => format!("no {what} sections"),
            (true, true) => format!("no {what} section after this one"),
            (true, false) => format!("no {what} section before this one"),
        });
    }

    pub(super) fn open_link(&mut self, link: &Link) -> Option<Effect> {
        let r = self.reader.as_ref()?;
        let dir = r.path.as_deref().and_then(std::path::Path::parent);
        match links::resolve(&r.briefing, &r.outline, &link.target, dir) {
            Target::Section(s) => {
                let from = r.place();
                self.select(s);
                self.record_jump(from);
                self.note_read();
                None
            }
            Target::MissingAnchor(anchor) => {
                self.notice = Some(format!("no section here for {anchor}"));
                None
            }
            Target::External(target) => {
                self.notice = Some(format!("opening {target}"));
                Some(Effect::OpenExternal(target))
            }
        }
    }

    /// The briefing was read again. A small one is compared with the one
    /// shown at once; a large one on a background thread (see
    /// [`state::Comparison`]), the shown one staying meanwhile.
    pub(super) fn reloaded(&mut self, briefing: Briefing) -> Option<Effect> {
        let r = self.reader.as_mut()?;
        let new = Arc::new(briefing);
        if new.holds_at_most(SYNC_BYTES) && r.briefing.holds_at_most(SYNC_BYTES) {
            let comparison = state::Comparison::of(&r.briefing, &new);
            return self.compared(comparison, new);
        }
        r.comparing += 1;
        let shown = Arc::clone(&r.briefing);
        self.notice = Some(COMPARING.to_owned());
        Some(Effect::Compare { shown, new })
    }

    /// A new version `new` of the briefing, compared with the one shown:
    /// keep the place by section identity, flag new and changed sections,
    /// and search again. Returns the background work to start: in a large
    /// briefing (see [`Keywords::count_at_once`]) the keyword count, which
    /// the search follows (see `Loaded::Keywords`); else the search's, if
    /// any.
    pub(super) fn compared(
        &mut self,
        comparison: state::Comparison,
        new: Arc<Briefing>,
    ) -> Option<Effect> {
        if matches!(self.mode, Mode::Links { .. }) {
            self.mode = Mode::Normal;
        }
        let state::Comparison::Changed(diff) = comparison else {
            // The same text again: keep everything, and any notice about
            // the change (but the one saying it was being compared).
            if self.notice.as_deref().is_none_or(|n| n == COMPARING) {
                self.notice = Some("reloaded: no section changed".to_owned());
            }
            crate::background::drop_later(new);
            return None;
        };
        let state::Changes {
            derived: state::Derived { outline, keys },
            fresh,
            new_count,
            changed_count,
        } = *diff;
        // Whatever was still loading or counting is for the old version.
        self.loading = None;
        self.counting = false;
        self.awaiting_repeats = false;
        let r = self.reader.as_mut()?;
        let place = r.pending_place.unwrap_or_else(|| r.place());
        let folded: std::collections::HashSet<SectionKey> = r
            .keys
            .iter()
            .zip(&r.collapsed)
            .filter(|&(_, &c)| c)
            .map(|(&k, _)| k)
            .collect();
        r.collapsed = if folded.is_empty() {
            vec![false; keys.len()]
        } else {
            keys.iter().map(|k| folded.contains(k)).collect()
        };
        r.outline = outline;
        r.repeat_count = new.sections.iter().map(Section::repeated_blocks).sum();
        let terms = std::mem::take(&mut r.keywords.terms);
        let count_now = Keywords::count_at_once(&new);
        r.keywords = if count_now {
            Keywords::new(terms, &new, r.show_repeats)
        } else {
            Keywords::uncounted(terms, &new, r.show_repeats)
        };
        if r.search.kind != SearchKind::Query {
            // A term's hits are recounted with the keywords; a typed
            // query is searched again after (see `research`).
            r.search = Search::default();
        }
        // Found again in the new text by its place (see `App::research`).
        r.search.keep_only_current(&r.briefing);
        crate::background::drop_later(r.replace_briefing(new));
        r.keys = keys;
        r.suggestions = None;
        r.suggesting = false;
        r.derive_read(&fresh);
        r.rebuild_visible();
        let n = r.section_count();
        if self.go_to_place(place) {
            if let Some(r) = self.reader.as_mut() {
                r.pending_place = None;
            }
        } else {
            // Gone (a half-written file?): stay near, and go back to it if a
            // later version has it again.
            self.select(place.index.min(n.saturating_sub(1)));
            if let Some(r) = self.reader.as_mut() {
                r.pending_place = Some(place);
            }
        }
        self.refilter();
        self.notice = Some(match (new_count, changed_count) {
            (0, 0) => "reloaded: no section changed".to_owned(),
            (added, changed) => format!(
                "reloaded: {added} new, {changed} changed (c steps through new and changed)"
            ),
        });
        if count_now {
            return self.research();
        }
        self.count_in_background(false)
    }
}

/// The text that anchors the screen's top line `scroll`: the first text
/// position at or below it, and how many lines below it is.
pub(super) fn anchor(lines: &[Line], scroll: usize) -> Option<((usize, usize), usize)> {
    lines
        .iter()
        .enumerate()
        .skip(scroll)
        .find_map(|(i, line)| first_text_position(line).map(|at| (at, i - scroll)))
}
