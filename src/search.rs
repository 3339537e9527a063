//! Search across the whole briefing: where a query (or one watched term)
//! matches, in document order, and which match is current.
//!
//! Matching is a smart-case substring (see `highlight`). The result is a
//! list of positions in document order ([`Matches`]); the app moves
//! through it with `n`/`N` and the renderer highlights the ones in the
//! section on screen. A search with very many matches keeps only how many
//! each section has (see [`LIST_LIMIT`]), and finds the places in a
//! section again when they are needed.
//!
//! A search never holds the screen, however large the briefing:
//! [`Search::start`] looks through at most [`SYNC_BYTES`] of text from the
//! top, then (if the reader is further down) from the reader's section on
//! to the first match after it, within the same budget. When that did not
//! cover the whole briefing, the search is [`Pending`]: a [`Job`] finds
//! every match on a background thread (see `background::search`) and the
//! list comes back tagged with the job's generation; [`Search::complete`]
//! takes it only if it is still the current search, so a result for an
//! older query is dropped. A job stops early when its search is replaced
//! ([`Search::cancel`]). This module does no threading itself.

use std::ops::{Deref, Range};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::briefing::Briefing;
use crate::highlight::{MatchMode, Matcher};

/// Bytes of text searched at most while a key is handled, per pass (a
/// fraction of a millisecond: a query typed in one go costs a pass or two
/// per character); the rest is left to a background [`Job`].
pub const SYNC_BYTES: usize = 256 * 1024;

/// Threads a background [`Job`] uses at most.
pub const JOB_THREADS: usize = 4;

/// A background [`Job`] that finds more matches than this keeps how many
/// each section has instead of every one. Listing each of the 4.9 million
/// matches of `e` in 50 MiB of Markdown took the reader from 118 to 342
/// MiB; a count per section takes a few hundred KiB, whatever the query.
pub const LIST_LIMIT: usize = 100_000;

/// A match: which section, which text in it (0 = title, `i + 1` = block
/// `i`), which bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchPos {
    pub section: usize,
    pub source: usize,
    pub range: Range<usize>,
}

/// What the matches are of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SearchKind {
    /// A typed query.
    #[default]
    Query,
    /// The hits of one watched term (its index in the keyword terms).
    Term(usize),
}

/// The current search and its matches in document order.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub kind: SearchKind,
    /// Every match, or while [`Search::pending`] is set, those found so
    /// far (still in document order, possibly with gaps).
    pub matches: Matches,
    pub current: Option<usize>,
    /// The full list is being found in the background.
    pub pending: Option<Pending>,
}

/// A search whose full list of matches is still being found.
#[derive(Debug, Clone)]
pub struct Pending {
    pub job: Job,
    /// Where the reader was (section, scroll) when the search began: where
    /// to look for the first match to show if none was shown yet.
    pub origin: (usize, usize),
}

/// The matches of a search, in document order: each one listed, or for a
/// search with more than [`LIST_LIMIT`] matches, how many each section has.
/// Then the places in a section are found again, by the same scan, when
/// they are needed: for the section on screen, and for the match to go
/// to. The briefing must be the one the matches were found in (a search is
/// run again when the briefing changes).
#[derive(Debug, Clone)]
pub enum Matches {
    /// Every match, in document order.
    Listed(Vec<MatchPos>),
    /// How many matches each section has.
    Counted(Counted),
}

impl Default for Matches {
    fn default() -> Matches {
        Matches::Listed(Vec::new())
    }
}

/// Matches kept as how many each section has.
#[derive(Debug, Clone)]
pub struct Counted {
    /// Each section with matches, in order, with the index of its first
    /// match.
    sections: Vec<(usize, usize)>,
    total: usize,
    finder: Finder,
    include_repeats: bool,
    /// The section last found again, and its matches: every frame and key
    /// asks for the one on screen again (a section of 10 MiB took 25 ms a
    /// frame to search). Shared by clones, which are of the same search.
    last: Arc<Mutex<Option<Found>>>,
}

/// A section's matches, found again.
type Found = (usize, Arc<[MatchPos]>);

/// What finds a counted search's matches again.
#[derive(Debug, Clone)]
enum Finder {
    /// A typed query.
    Query(String),
    /// The hits of one term of the watched terms' matcher (not of that
    /// term alone: a longer term's hit keeps a shorter one from starting
    /// inside it, and must here too).
    Term { matcher: Arc<Matcher>, term: usize },
}

impl Counted {
    /// The matches `finder` finds in the sections `counts` names, with how
    /// many each has, in order.
    fn new(
        counts: impl IntoIterator<Item = (usize, usize)>,
        finder: Finder,
        include_repeats: bool,
    ) -> Counted {
        let mut sections = Vec::new();
        let mut total = 0;
        for (s, count) in counts {
            sections.push((s, total));
            total += count;
        }
        Counted {
            sections,
            total,
            finder,
            include_repeats,
            last: Arc::default(),
        }
    }

    /// The hits of term `term` of the watched terms' `matcher`, in the
    /// sections `counts` names with how many each has, in order.
    pub fn of_term(
        matcher: Matcher,
        term: usize,
        include_repeats: bool,
        counts: &[(usize, usize)],
    ) -> Counted {
        let finder = Finder::Term {
            matcher: Arc::new(matcher),
            term,
        };
        Counted::new(counts.iter().copied(), finder, include_repeats)
    }

    /// The matches in section `s`, found again (or kept from last time).
    fn find(&self, s: usize, briefing: &Briefing) -> Arc<[MatchPos]> {
        if let Ok(last) = self.last.lock()
            && let Some((section, found)) = last.as_ref()
            && *section == s
        {
            return Arc::clone(found);
        }
        let mut out = Vec::new();
        if s < briefing.sections.len() {
            match &self.finder {
                Finder::Query(query) => {
                    if let Some(m) = matcher(query) {
                        scan_section(&m, None, briefing, self.include_repeats, s, &mut out);
                    }
                }
                Finder::Term { matcher, term } => {
                    scan_section(
                        matcher,
                        Some(*term),
                        briefing,
                        self.include_repeats,
                        s,
                        &mut out,
                    );
                }
            }
        }
        let found: Arc<[MatchPos]> = out.into();
        if let Ok(mut last) = self.last.lock() {
            *last = Some((s, Arc::clone(&found)));
        }
        found
    }

    /// The index of the first match after section `k` of `sections`.
    fn end_of(&self, k: usize) -> usize {
        self.sections
            .get(k + 1)
            .map_or(self.total, |&(_, first)| first)
    }
}

/// The matches in one section: part of the list, or found again.
#[derive(Debug, Clone)]
pub enum SectionMatches<'a> {
    Listed(&'a [MatchPos]),
    Found(Arc<[MatchPos]>),
}

impl Deref for SectionMatches<'_> {
    type Target = [MatchPos];

    fn deref(&self) -> &[MatchPos] {
        match self {
            SectionMatches::Listed(m) => m,
            SectionMatches::Found(m) => m,
        }
    }
}

impl From<Vec<MatchPos>> for Matches {
    /// Matches listed one by one (in document order).
    fn from(listed: Vec<MatchPos>) -> Matches {
        Matches::Listed(listed)
    }
}

impl Matches {
    pub fn len(&self) -> usize {
        match self {
            Matches::Listed(listed) => listed.len(),
            Matches::Counted(c) => c.total,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The matches in section `s`, and the index of the first of them (of
    /// the first match after `s` when it has none).
    pub fn in_section(&self, s: usize, briefing: &Briefing) -> (usize, SectionMatches<'_>) {
        let c = match self {
            Matches::Listed(listed) => {
                let start = listed.partition_point(|m| m.section < s);
                let end = listed.partition_point(|m| m.section <= s);
                return (start, SectionMatches::Listed(&listed[start..end]));
            }
            Matches::Counted(c) => c,
        };
        let k = c.sections.partition_point(|&(section, _)| section < s);
        match c.sections.get(k) {
            Some(&(section, first)) if section == s => {
                (first, SectionMatches::Found(c.find(s, briefing)))
            }
            Some(&(_, first)) => (first, SectionMatches::Listed(&[])),
            None => (c.total, SectionMatches::Listed(&[])),
        }
    }

    /// Match `i`.
    pub fn get(&self, i: usize, briefing: &Briefing) -> Option<MatchPos> {
        let c = match self {
            Matches::Listed(listed) => return listed.get(i).cloned(),
            Matches::Counted(c) => c,
        };
        let k = c
            .sections
            .partition_point(|&(_, first)| first <= i)
            .checked_sub(1)?;
        let (section, first) = c.sections[k];
        if i >= c.end_of(k) {
            return None;
        }
        c.find(section, briefing).get(i - first).cloned()
    }

    /// Every match, each found again where only counted.
    pub fn to_vec(&self, briefing: &Briefing) -> Vec<MatchPos> {
        match self {
            Matches::Listed(listed) => listed.clone(),
            Matches::Counted(c) => c
                .sections
                .iter()
                .flat_map(|&(s, _)| c.find(s, briefing).to_vec())
                .collect(),
        }
    }

    /// Whether only how many matches each section has is kept.
    pub fn is_counted(&self) -> bool {
        matches!(self, Matches::Counted(_))
    }

    /// The index of `m`, if it is a match.
    pub fn index_of(&self, m: &MatchPos, briefing: &Briefing) -> Option<usize> {
        let (first, here) = self.in_section(m.section, briefing);
        here.iter().position(|x| x == m).map(|j| first + j)
    }

    /// The index of the first match at or after `m`'s place (section,
    /// text, start), or the number of matches when there is none.
    pub fn first_from_place(&self, m: &MatchPos, briefing: &Briefing) -> usize {
        let key = |m: &MatchPos| (m.section, m.source, m.range.start);
        let (first, here) = self.in_section(m.section, briefing);
        first + here.partition_point(|x| key(x) < key(m))
    }

    /// The index of the first match in section `s` or after it.
    pub fn first_from(&self, s: usize) -> Option<usize> {
        let i = match self {
            Matches::Listed(listed) => listed.partition_point(|m| m.section < s),
            Matches::Counted(c) => {
                let k = c.sections.partition_point(|&(section, _)| section < s);
                c.sections.get(k).map_or(c.total, |&(_, first)| first)
            }
        };
        (i < self.len()).then_some(i)
    }

    /// The index of the last match in section `s` or before it.
    pub fn last_through(&self, s: usize) -> Option<usize> {
        match self {
            Matches::Listed(listed) => listed.partition_point(|m| m.section <= s).checked_sub(1),
            Matches::Counted(c) => {
                let k = c
                    .sections
                    .partition_point(|&(section, _)| section <= s)
                    .checked_sub(1)?;
                Some(c.end_of(k) - 1)
            }
        }
    }
}

/// Work for a background thread: every match of `query`.
#[derive(Debug, Clone)]
pub struct Job {
    /// Tells this job's result from the results of searches before it.
    pub generation: u64,
    pub query: String,
    pub include_repeats: bool,
    cancel: Arc<AtomicBool>,
}

/// What a part of a [`Job`] found: its matches while they were listed, and
/// its sections with matches, with how many each has.
type Part = (Vec<MatchPos>, Vec<(usize, usize)>);

/// Source of generations: each job gets a new one.
static GENERATION: AtomicU64 = AtomicU64::new(1);

impl Job {
    fn new(query: &str, include_repeats: bool) -> Job {
        Job {
            generation: GENERATION.fetch_add(1, Ordering::Relaxed),
            query: query.to_owned(),
            include_repeats,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Every match in `briefing`, or `None` when the job was cancelled
    /// before it finished. The sections are split among up to
    /// [`JOB_THREADS`] scoped threads (the matches are independent per
    /// section), and each looks at the cancel flag before every section.
    /// Once they have found more than [`LIST_LIMIT`] matches together, they
    /// only count them.
    pub fn run(&self, briefing: &Briefing) -> Option<Matches> {
        let m = matcher(&self.query)?;
        let n = briefing.sections.len();
        let threads = crate::parallel::cores().clamp(1, JOB_THREADS).min(n.max(1));
        let chunk = n.div_ceil(threads).max(1);
        let found = AtomicUsize::new(0);
        let run_part = |part: Range<usize>| -> Option<Part> {
            let mut listed = Vec::new();
            let mut counts = Vec::new();
            let mut listing = true;
            for s in part {
                if self.is_cancelled() {
                    return None;
                }
                let before = listed.len();
                scan_section(&m, None, briefing, self.include_repeats, s, &mut listed);
                let here = listed.len() - before;
                let so_far = if here > 0 {
                    counts.push((s, here));
                    found.fetch_add(here, Ordering::Relaxed) + here
                } else {
                    found.load(Ordering::Relaxed)
                };
                if listing && so_far > LIST_LIMIT {
                    listing = false;
                    listed = Vec::new();
                }
                if !listing {
                    listed.clear();
                }
            }
            Some((listed, counts))
        };
        let parts: Vec<Option<Part>> = if threads == 1 {
            vec![run_part(0..n)]
        } else {
            Job::run_parts(n, chunk, &run_part)
        };
        let mut parts = parts.into_iter().collect::<Option<Vec<_>>>()?;
        let total = parts
            .iter()
            .flat_map(|(_, counts)| counts)
            .map(|&(_, c)| c)
            .sum();
        if total <= LIST_LIMIT {
            let mut all = Vec::with_capacity(total);
            for (listed, _) in &mut parts {
                all.append(listed);
            }
            return Some(all.into());
        }
        Some(Matches::Counted(Counted::new(
            parts.into_iter().flat_map(|(_, counts)| counts),
            Finder::Query(self.query.clone()),
            self.include_repeats,
        )))
    }

    /// `run_part` over `n` sections in parts of `chunk`, each on a thread
    /// of its own but the first, which runs here.
    fn run_parts<T: Send>(
        n: usize,
        chunk: usize,
        run_part: &(impl Fn(Range<usize>) -> Option<T> + Sync),
    ) -> Vec<Option<T>> {
        std::thread::scope(|scope| {
            // A part whose thread cannot start is searched here, after the
            // first (`scope.spawn` would panic).
            let handles: Vec<_> = (0..n)
                .step_by(chunk)
                .skip(1)
                .map(|start| {
                    let run_part = &run_part;
                    let part = start..(start + chunk).min(n);
                    std::thread::Builder::new()
                        .spawn_scoped(scope, {
                            let part = part.clone();
                            move || run_part(part)
                        })
                        .map_err(|_| part)
                })
                .collect();
            let mut parts = vec![run_part(0..chunk.min(n))];
            parts.extend(handles.into_iter().map(|handle| match handle {
                Ok(h) => h.join().ok().flatten(),
                Err(part) => run_part(part),
            }));
            parts
        })
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// When a [`scan`] stops before the end of its range.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// After this many bytes of text.
    Budget(usize),
    /// After this many bytes of text, or after a section past `section`
    /// that has a match.
    FirstHitAfter { section: usize, budget: usize },
}

/// Matches of `matcher` in `sections` (with `only`, only the hits of that
/// term), appended to `out` in document order. Returns the section it
/// stopped before (the range's end if it finished), and whether everything
/// before that was searched: the budget is checked after every block, so a
/// section larger than the budget is left part searched (the background
/// job covers the rest).
fn scan(
    matcher: &Matcher,
    only: Option<usize>,
    briefing: &Briefing,
    include_repeats: bool,
    sections: Range<usize>,
    stop: Stop,
    out: &mut Vec<MatchPos>,
) -> (usize, bool) {
    let budget = match stop {
        Stop::Budget(b) | Stop::FirstHitAfter { budget: b, .. } => b,
    };
    let mut spent = 0;
    for s in sections.clone() {
        let section = &briefing.sections[s];
        let found = out.len();
        let texts = std::iter::once(section.title.as_str()).chain(section.blocks.iter().map(|b| {
            if include_repeats || b.repeat_of.is_none() {
                b.text.as_str()
            } else {
                ""
            }
        }));
        let mut texts = texts.enumerate().peekable();
        while let Some((source, text)) = texts.next() {
            spent += text.len();
            for hit in matcher.find(text) {
                if only.is_some_and(|term| hit.term != term) {
                    continue;
                }
                out.push(MatchPos {
                    section: s,
                    source,
                    range: hit.range,
                });
            }
            if spent >= budget && texts.peek().is_some() {
                return (s + 1, false);
            }
        }
        let hit_after = match stop {
            Stop::FirstHitAfter { section, .. } => s > section && out.len() > found,
            Stop::Budget(_) => false,
        };
        if hit_after || spent >= budget {
            return (s + 1, true);
        }
    }
    (sections.end, true)
}

/// Every match of `matcher` (of term `only`) in section `s`, appended to
/// `out`.
fn scan_section(
    matcher: &Matcher,
    only: Option<usize>,
    briefing: &Briefing,
    include_repeats: bool,
    s: usize,
    out: &mut Vec<MatchPos>,
) {
    scan(
        matcher,
        only,
        briefing,
        include_repeats,
        s..s + 1,
        Stop::Budget(usize::MAX),
        out,
    );
}

fn matcher(query: &str) -> Option<Matcher> {
    Matcher::new(&[query.to_owned()], MatchMode::SmartCaseSubstring)
}

impl Search {
    /// Search every section for `query`, all at once. Blocks that repeat
    /// earlier text are searched only when `include_repeats` is set. (The
    /// reader never does: see [`Search::start`]; tests compare with it.)
    #[cfg(test)]
    pub fn run(query: &str, briefing: &Briefing, include_repeats: bool) -> Search {
        let mut matches = Vec::new();
        if let Some(m) = matcher(query) {
            let n = briefing.sections.len();
            scan(
                &m,
                None,
                briefing,
                include_repeats,
                0..n,
                Stop::Budget(usize::MAX),
                &mut matches,
            );
        }
        Search {
            query: query.to_owned(),
            matches: matches.into(),
            ..Search::default()
        }
    }

    /// Search for `query` within a key's time: see the module comment.
    /// `origin` is the reader's (section, scroll). When the briefing holds
    /// more text than one pass covers, the search is pending and its
    /// [`Job`] is to be run in the background.
    pub fn start(
        query: &str,
        briefing: &Briefing,
        include_repeats: bool,
        origin: (usize, usize),
    ) -> Search {
        Search::start_within(query, briefing, include_repeats, origin, SYNC_BYTES)
    }

    /// [`Search::start`] with `budget` bytes per pass.
    pub fn start_within(
        query: &str,
        briefing: &Briefing,
        include_repeats: bool,
        origin: (usize, usize),
        budget: usize,
    ) -> Search {
        let mut search = Search {
            query: query.to_owned(),
            ..Search::default()
        };
        let Some(m) = matcher(query) else {
            return search;
        };
        let n = briefing.sections.len();
        let mut matches = Vec::new();
        let (top, whole) = scan(
            &m,
            None,
            briefing,
            include_repeats,
            0..n,
            Stop::Budget(budget),
            &mut matches,
        );
        if top == n && whole {
            search.matches = matches.into();
            return search;
        }
        let section = origin.0.min(n - 1);
        if !matches.iter().any(|p| p.section > section) {
            scan(
                &m,
                None,
                briefing,
                include_repeats,
                section.max(top)..n,
                Stop::FirstHitAfter { section, budget },
                &mut matches,
            );
        }
        search.matches = matches.into();
        search.pending = Some(Pending {
            job: Job::new(query, include_repeats),
            origin,
        });
        search
    }

    /// Take the full list of matches from a background [`Job`] of
    /// `generation`. Returns whether it was taken: it is dropped when the
    /// search is no longer the one that job was for. The current match
    /// stays current.
    pub fn complete(&mut self, generation: u64, matches: Matches, briefing: &Briefing) -> bool {
        if self.pending.as_ref().map(|p| p.job.generation) != Some(generation) {
            return false;
        }
        self.current = self.current.and_then(|i| {
            let old = self.matches.get(i, briefing)?;
            let j = matches.first_from_place(&old, briefing);
            Some(j.min(matches.len().checked_sub(1)?))
        });
        self.matches = matches;
        self.pending = None;
        true
    }

    /// Keep only the current match, found in `briefing`, the text the
    /// matches are of: before that text is replaced, so that the match can
    /// be looked for in the new one. (A listed match is kept as it is; a
    /// counted one would be found again in the new text, at the same
    /// index, which may be another match.)
    pub fn keep_only_current(&mut self, briefing: &Briefing) {
        if !self.matches.is_counted() {
            return;
        }
        let current = self.current.and_then(|i| self.matches.get(i, briefing));
        self.current = current.as_ref().map(|_| 0);
        self.matches = Vec::from_iter(current).into();
    }

    /// Stop the background job of this search, if any (its result would be
    /// dropped anyway: this only saves the work).
    pub fn cancel(&self) {
        if let Some(p) = &self.pending {
            p.job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Put `new` in this search's place, cancelling this one's job.
    pub fn replace(&mut self, new: Search) {
        self.cancel();
        *self = new;
    }

    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::briefing::{Block, Format, Metadata, Section};

    /// A briefing with one section per body, titled `S0`, `S1`...
    fn briefing(bodies: &[&str]) -> Briefing {
        Briefing {
            title: "t".into(),
            format: Format::Markdown,
            metadata: Metadata::default(),
            sections: bodies
                .iter()
                .enumerate()
                .map(|(i, body)| {
                    let mut s = Section::new(2, format!("S{i}"), i + 1);
                    s.blocks = vec![Block::paragraph(*body)];
                    s
                })
                .collect(),
            warnings: Vec::new(),
        }
    }

    fn at(section: usize, range: Range<usize>) -> MatchPos {
        MatchPos {
            section,
            source: 1,
            range,
        }
    }

    const BODIES: [&str; 6] = [
        "a needle here",
        "hay",
        "hay",
        "hay",
        "more hay and a needle",
        "Needle",
    ];

    #[test]
    fn a_small_briefing_is_searched_at_once() {
        let b = briefing(&BODIES);
        let s = Search::start("needle", &b, false, (3, 0));
        assert!(s.pending.is_none());
        assert_eq!(
            s.matches.to_vec(&b),
            [at(0, 2..8), at(4, 15..21), at(5, 0..6)],
            "everything, as `run` finds it"
        );
        assert_eq!(
            s.matches.to_vec(&b),
            Search::run("needle", &b, false).matches.to_vec(&b)
        );
    }

    #[test]
    fn over_budget_it_finds_the_first_match_after_the_reader_and_leaves_the_rest() {
        let b = briefing(&BODIES);
        // A pass stops after 20 bytes: the first at section 2, the second
        // at the match in section 4.
        let s = Search::start_within("needle", &b, false, (2, 0), 20);
        assert_eq!(s.matches.to_vec(&b), [at(0, 2..8), at(4, 15..21)]);
        let pending = s.pending.as_ref().expect("the rest is left to a job");
        assert_eq!(pending.origin, (2, 0));
        assert_eq!(
            pending.job.run(&b).map(|m| m.to_vec(&b)),
            Some(vec![at(0, 2..8), at(4, 15..21), at(5, 0..6)])
        );
    }

    #[test]
    fn the_full_list_keeps_the_current_match_current() {
        let b = briefing(&BODIES);
        let mut s = Search::start_within("needle", &b, false, (2, 0), 20);
        s.current = Some(1);
        let job = s.pending.clone().expect("pending").job;
        let all = job.run(&b).expect("not cancelled");
        assert!(s.complete(job.generation, all, &b));
        assert_eq!(s.matches.len(), 3);
        assert_eq!(s.current, Some(1));
        assert!(s.pending.is_none());
    }

    #[test]
    fn a_result_for_an_older_search_is_dropped() {
        let b = briefing(&BODIES);
        let old = Search::start_within("needle", &b, false, (0, 0), 1);
        let mut new = Search::start_within("hay", &b, false, (0, 0), 1);
        let job = old.pending.expect("pending").job;
        let stale = job.run(&b).expect("not cancelled");
        assert!(!new.complete(job.generation, stale, &b));
        assert!(new.matches.to_vec(&b).iter().all(|m| m.section == 1));
        assert!(new.pending.is_some());
    }

    #[test]
    fn a_cancelled_job_stops() {
        let b = briefing(&BODIES);
        let s = Search::start_within("needle", &b, false, (0, 0), 1);
        s.cancel();
        let job = s.pending.expect("pending").job;
        assert!(job.is_cancelled());
        assert!(job.run(&b).is_none());
    }

    #[test]
    fn smart_case_holds_in_every_pass() {
        let b = briefing(&BODIES);
        let s = Search::start_within("Needle", &b, false, (0, 0), 1);
        let job = s.pending.expect("pending").job;
        assert_eq!(job.run(&b).map(|m| m.to_vec(&b)), Some(vec![at(5, 0..6)]));
    }

    /// A briefing of `sections` sections, each with `per_block` matches of
    /// `x` in each of its two blocks, and none in the sections between.
    fn many(sections: usize, per_block: usize) -> Briefing {
        let x = "x ".repeat(per_block);
        let mut b = briefing(&[]);
        for i in 0..sections * 2 {
            let mut s = Section::new(2, format!("S{i}"), i + 1);
            s.blocks = if i % 2 == 0 {
                vec![
                    Block::paragraph(x.trim_end()),
                    Block::paragraph(x.trim_end()),
                ]
            } else {
                vec![Block::paragraph("none here")]
            };
            b.sections.push(s);
        }
        b
    }

    #[test]
    fn past_the_limit_a_job_counts_per_section_and_finds_places_again() {
        let per_block = LIST_LIMIT / 40 + 1;
        let b = many(21, per_block);
        let listed = Search::run("x", &b, false).matches;
        assert!(!listed.is_counted());
        let total = 21 * 2 * per_block;
        assert!(total > LIST_LIMIT && listed.len() == total);
        let job = Search::start_within("x", &b, false, (0, 0), 1)
            .pending
            .expect("pending")
            .job;
        let counted = job.run(&b).expect("not cancelled");
        assert!(counted.is_counted(), "more than the limit");
        assert_eq!(counted.len(), total);
        assert_eq!(counted.to_vec(&b), listed.to_vec(&b));
        // Every way in agrees with the list, in sections with matches and
        // between them.
        for s in 0..=b.sections.len() {
            assert_eq!(counted.in_section(s, &b).0, listed.in_section(s, &b).0);
            assert_eq!(*counted.in_section(s, &b).1, *listed.in_section(s, &b).1);
            assert_eq!(counted.first_from(s), listed.first_from(s), "from {s}");
            assert_eq!(
                counted.last_through(s),
                listed.last_through(s),
                "through {s}"
            );
        }
        // The section on screen is found again once, not on every frame.
        let ((_, SectionMatches::Found(once)), (_, SectionMatches::Found(again))) =
            (counted.in_section(2, &b), counted.in_section(2, &b))
        else {
            panic!("section 2 has matches");
        };
        assert!(Arc::ptr_eq(&once, &again));
        for i in (0..total).step_by(997).chain([total - 1, total]) {
            let m = counted.get(i, &b);
            assert_eq!(m, listed.get(i, &b), "match {i}");
            if let Some(m) = m {
                assert_eq!(counted.index_of(&m, &b), Some(i));
                assert_eq!(counted.first_from_place(&m, &b), i);
            }
        }
    }

    #[test]
    fn before_the_text_is_replaced_a_counted_search_keeps_its_current_match_by_place() {
        let b = many(21, LIST_LIMIT / 40 + 1);
        let job = Search::start_within("x", &b, false, (0, 0), 1)
            .pending
            .expect("pending")
            .job;
        let mut s = Search {
            query: "x".into(),
            matches: job.run(&b).expect("not cancelled"),
            current: Some(12_345),
            ..Search::default()
        };
        let current = s.matches.get(12_345, &b);
        s.keep_only_current(&b);
        assert_eq!(s.matches.len(), 1);
        assert_eq!(s.current, Some(0));
        assert_eq!(
            s.matches.get(0, &briefing(&[])),
            current,
            "the place, not the index"
        );
        let mut listed = Search::run("x", &many(1, 3), false);
        listed.current = Some(2);
        listed.keep_only_current(&b);
        assert_eq!(
            (listed.matches.len(), listed.current),
            (6, Some(2)),
            "kept as it is"
        );
    }

    #[test]
    fn under_the_limit_a_job_lists_every_match() {
        let b = many(3, 10);
        let job = Search::start_within("x", &b, false, (0, 0), 1)
            .pending
            .expect("pending")
            .job;
        let found = job.run(&b).expect("not cancelled");
        assert!(!found.is_counted());
        assert_eq!(found.len(), 60);
    }
}
