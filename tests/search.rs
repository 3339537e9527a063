//! Search of a briefing too large to search while a key is handled: the
//! app shows what it found at once, hands the rest to a background job (an
//! `Effect`), and takes the job's result only while it is still current.
//! The event loop's part (running the job on a thread) is played here by
//! hand; the real thread is exercised by the end-to-end search test.

use brief::app::{App, Effect, Message, Mode};
use brief::background::Loaded;
use brief::briefing::{Block, Briefing, Format, Metadata, Section};
use brief::keymap::{Key, Keymap};
use brief::search::SYNC_BYTES;
use brief::theme::Theme;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::layout::Size;

/// Sections of filler, twice what one pass searches, and a last section
/// that holds `word`.
fn big_briefing(word: &str) -> Briefing {
    let filler = "Operators restored supply to the northern region overnight. ".repeat(16);
    let n = 2 * SYNC_BYTES / filler.len() + 1;
    let mut sections: Vec<Section> = (0..n)
        .map(|i| {
            let mut s = Section::new(2, format!("Part {i}"), i + 1);
            s.blocks = vec![Block::paragraph(filler.clone())];
            s
        })
        .collect();
    let mut last = Section::new(2, "Last", n + 1);
    last.blocks = vec![Block::paragraph(format!("The end holds the word {word}."))];
    sections.push(last);
    of_sections("Big", sections)
}

/// A briefing of these sections.
fn of_sections(title: &str, sections: Vec<Section>) -> Briefing {
    Briefing {
        title: title.into(),
        format: Format::Markdown,
        metadata: Metadata::default(),
        sections,
        warnings: Vec::new(),
    }
}

/// A section of 30 paragraphs (the text of paragraph `i` from `text`) and
/// one after it of `other`, the reader 20 lines into the first.
fn long_and_other(text: impl Fn(usize) -> String, other: &str) -> App {
    let mut long = Section::new(2, "Long", 1);
    long.blocks = (0..30).map(|i| Block::paragraph(text(i))).collect();
    let mut next = Section::new(2, "Other", 40);
    next.blocks = vec![Block::paragraph(other)];
    let mut app = app(of_sections("Long", vec![long, next]));
    app.reader.as_mut().expect("reader").scroll = 20;
    app
}

fn app(briefing: Briefing) -> App {
    App::with_briefing(
        None,
        briefing,
        Vec::<String>::new(),
        Keymap::default(),
        Theme::colored(),
        Size::new(120, 40),
    )
}

/// Type `keys`, returning the last search job asked for.
fn type_keys(app: &mut App, keys: &str) -> Option<Effect> {
    let mut last = None;
    for c in keys.chars() {
        let key = Key::new(KeyCode::Char(c), KeyModifiers::NONE);
        if let Some(effect) = app.update(Message::Key(key)) {
            last = Some(effect);
        }
    }
    last
}

/// Run a search job as the event loop's thread would, and hand its result
/// back as the loop would.
fn run_job(app: &mut App, effect: Effect) {
    let Effect::Search { job, briefing } = effect else {
        panic!("expected a search job, got {effect:?}");
    };
    let matches = job.run(&briefing).expect("the job was not cancelled");
    drop(briefing);
    app.update(Message::Loaded(Loaded::Search {
        generation: job.generation,
        matches,
    }));
}

/// The bottom row of the screen as `app` draws it.
fn status_row(app: &App) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|frame| brief::ui::render(app, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    (0..120).map(|x| buffer[(x, 39)].symbol()).collect()
}

#[test]
fn a_match_at_the_very_end_comes_from_the_background_job_and_is_shown() {
    let mut app = app(big_briefing("zyxwvutsrq"));
    let last = app.reader.as_ref().expect("reader").section_count() - 1;
    let effect = type_keys(&mut app, "/zyxwvutsrq").expect("too big to search at once");
    let shown = status_row(&app);
    assert!(shown.contains("searching…"), "not yet 'no match': {shown}");
    let r = app.reader.as_ref().expect("reader");
    assert!(r.search.matches.is_empty(), "the end is beyond one pass");
    assert!(r.search.pending.is_some());
    assert_eq!(r.selected, 0, "the reader stays where it was meanwhile");
    run_job(&mut app, effect);
    let r = app.reader.as_ref().expect("reader");
    assert!(r.search.pending.is_none());
    assert_eq!(r.search.matches.len(), 1);
    assert_eq!(r.search.current, Some(0));
    assert_eq!(r.selected, last, "the match is on screen");
    assert!(matches!(app.mode, Mode::Search { .. }));
}

#[test]
fn a_result_for_an_older_query_is_dropped() {
    let mut app = app(big_briefing("zyxwvutsrq"));
    let older = type_keys(&mut app, "/zyx").expect("a job for `zyx`");
    let newer = type_keys(&mut app, "q").expect("a job for `zyxq`");
    if let Effect::Search { job, .. } = &older {
        assert!(job.is_cancelled(), "a replaced search's job is cancelled");
    }
    // Run the older job anyway (it may have finished before the cancel).
    let Effect::Search { job, briefing } = older else {
        panic!("expected a search job");
    };
    let stale = Loaded::Search {
        generation: job.generation,
        matches: vec![brief::search::MatchPos {
            section: 3,
            source: 1,
            range: 0..3,
        }]
        .into(),
    };
    drop(briefing);
    app.update(Message::Loaded(stale));
    let r = app.reader.as_ref().expect("reader");
    assert!(r.search.matches.is_empty());
    assert!(r.search.pending.is_some(), "still waiting for `zyxq`");
    assert_eq!(r.selected, 0);
    run_job(&mut app, newer);
    let r = app.reader.as_ref().expect("reader");
    assert!(r.search.pending.is_none());
    assert!(r.search.matches.is_empty(), "`zyxq` is nowhere");
}

#[test]
fn a_match_near_the_reader_is_shown_at_once_and_kept_when_the_rest_arrives() {
    let mut app = app(big_briefing("zyxwvutsrq"));
    // `region` is in every filler section: the first is found at once.
    let effect = type_keys(&mut app, "/region").expect("a job for the rest");
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.search.current, Some(0));
    let first = r.search.matches.get(0, &r.briefing).expect("a match");
    run_job(&mut app, effect);
    let r = app.reader.as_ref().expect("reader");
    let count = r.briefing.sections.len() - 1;
    assert_eq!(r.search.matches.len(), count * 16);
    assert_eq!(r.search.current, Some(0));
    assert_eq!(r.search.matches.get(0, &r.briefing), Some(first));
}

#[test]
fn escape_drops_the_search_and_its_job() {
    let mut app = app(big_briefing("zyxwvutsrq"));
    let effect = type_keys(&mut app, "/zyxwvutsrq").expect("a job");
    app.update(Message::Key(Key::new(KeyCode::Esc, KeyModifiers::NONE)));
    let Effect::Search { job, briefing } = effect else {
        panic!("expected a search job");
    };
    assert!(job.is_cancelled());
    assert!(job.run(&briefing).is_none());
    let r = app.reader.as_ref().expect("reader");
    assert!(!r.search.is_active());
    assert_eq!(r.selected, 0);
}

#[test]
fn one_section_larger_than_a_pass_is_searched_in_part_and_left_to_the_job() {
    // One section of many paragraphs, twice what a pass searches, the word
    // in its last paragraph: a key must not search all of it.
    let big = big_briefing("zyxwvutsrq");
    let mut one = Section::new(1, "Everything", 1);
    one.blocks = big.sections.into_iter().flat_map(|s| s.blocks).collect();
    let briefing = Briefing {
        sections: vec![one],
        ..big_briefing("unused")
    };
    let mut app = app(briefing);
    let effect = type_keys(&mut app, "/zyxwvutsrq").expect("too big to search at once");
    let r = app.reader.as_ref().expect("reader");
    assert!(
        r.search.matches.is_empty(),
        "the last paragraph is beyond one pass"
    );
    assert!(r.search.pending.is_some());
    run_job(&mut app, effect);
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.search.matches.len(), 1);
}

#[test]
fn a_search_typed_while_loading_runs_on_the_final_briefing() {
    // The reader shows a first screenful while the rest loads: a search
    // typed then starts no job (the briefing is about to change, and a job
    // holding it would make marking repeats copy it); the search runs on
    // the whole briefing once repeats are marked and hits counted.
    let full = big_briefing("zyxwvutsrq");
    // A first screenful as large as the filler (more than a key searches),
    // without the last section that holds the word.
    let preview = Briefing {
        sections: full.sections[..full.sections.len() - 1].to_vec(),
        ..full.clone()
    };
    let mut app = app(preview);
    let load = brief::background::Progress::new(1000);
    app.loading = Some(load.clone());
    app.counting = true;
    assert!(
        type_keys(&mut app, "/zyxwvutsrq").is_none(),
        "no job while loading"
    );
    assert!(
        app.reader
            .as_ref()
            .expect("reader")
            .search
            .pending
            .is_some()
    );
    let full = std::sync::Arc::new(full);
    let loaded = |l| Message::Loaded(l);
    let derived = Box::new(brief::state::Derived::of(&full));
    assert!(
        app.update(loaded(Loaded::Briefing(full.clone(), derived, load)))
            .is_none()
    );
    // (The filler repeats itself; nothing is marked, so that the search
    // still has more than one pass to look through.)
    let marks = brief::repeat::RepeatMarks::default();
    let count = app.update(loaded(Loaded::Repeats(marks, full.clone())));
    assert!(
        matches!(count, Some(Effect::CountKeywords { .. })),
        "{count:?}"
    );
    let r = app.reader.as_ref().expect("reader");
    let briefing = std::sync::Arc::clone(&r.briefing);
    let keywords = brief::keywords::Keywords::new(Vec::<String>::new(), &briefing, false);
    drop(full);
    let effect = app
        .update(loaded(Loaded::Keywords(Box::new(keywords), briefing)))
        .expect("the search now runs in the background");
    run_job(&mut app, effect);
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.search.matches.len(), 1);
    assert_eq!(r.selected, r.section_count() - 1, "the match is on screen");
}

#[test]
fn while_the_rest_is_searched_n_does_not_wrap_and_the_count_is_a_floor() {
    let mut briefing = big_briefing("zyxwvutsrq");
    briefing.sections[0]
        .blocks
        .push(Block::paragraph("An early zyxwvutsrq too."));
    let mut app = app(briefing);
    let effect = type_keys(&mut app, "/zyxwvutsrq").expect("a job for the rest");
    app.update(Message::Key(Key::new(KeyCode::Enter, KeyModifiers::NONE)));
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.search.matches.len(), 1);
    assert!(r.search.pending.is_some());
    assert!(status_row(&app).contains("/zyxwvutsrq 1/1+"));
    type_keys(&mut app, "n");
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.starts_with("searching for")),
        "{:?}",
        app.notice
    );
    run_job(&mut app, effect);
    let shown = status_row(&app);
    assert!(shown.contains("/zyxwvutsrq 1/2"), "{shown}");
    type_keys(&mut app, "n");
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.search.current, Some(1), "the match at the end");
}

#[test]
fn no_match_in_a_first_screenful_is_not_no_match_while_the_rest_loads() {
    let full = big_briefing("zyxwvutsrq");
    let preview = Briefing {
        sections: full.sections[..2].to_vec(),
        ..full
    };
    let mut app = app(preview);
    app.loading = Some(brief::background::Progress::new(1000));
    app.counting = true;
    type_keys(&mut app, "/zyxwvutsrq");
    let shown = status_row(&app);
    assert!(shown.contains("searching…"), "{shown}");
    app.loading = None;
    app.counting = false;
    let shown = status_row(&app);
    assert!(shown.contains("no match"), "{shown}");
}

/// 120 sections of 2,000 `x` each.
fn parts_of_x() -> Vec<Section> {
    let words = "x ".repeat(2000);
    (0..120)
        .map(|i| {
            let mut s = Section::new(2, format!("Part {i}"), i + 1);
            s.blocks = vec![Block::paragraph(words.trim_end())];
            s
        })
        .collect()
}

#[test]
fn a_search_with_more_matches_than_are_listed_still_steps_through_every_one() {
    // 120 sections of 2,000 matches: more than a pass searches, and more
    // than a job lists one by one.
    let sections = parts_of_x();
    let mut app = app(of_sections("Many", sections));
    let effect = type_keys(&mut app, "/x").expect("a job for the rest");
    app.update(Message::Key(Key::new(KeyCode::Enter, KeyModifiers::NONE)));
    run_job(&mut app, effect);
    let r = app.reader.as_ref().expect("reader");
    assert!(r.search.matches.is_counted(), "only counted per section");
    assert_eq!(r.search.matches.len(), 240_000);
    assert_eq!(r.search.current, Some(0));
    assert!(
        status_row(&app).contains("/x 1/240000"),
        "{}",
        status_row(&app)
    );
    type_keys(&mut app, "N");
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.search.current, Some(239_999), "wrapped to the last");
    assert_eq!(r.selected, 119);
    assert!(status_row(&app).contains("search wrapped to the bottom"));
    type_keys(&mut app, "nnn");
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.search.current, Some(2), "wrapped to the top, then on");
    assert_eq!(r.selected, 0);
    let m = r.search.matches.get(2, &r.briefing).expect("match 2");
    assert_eq!((m.section, m.source, m.range), (0, 1, 4..5));
}

#[test]
fn after_moving_to_another_section_n_and_shift_n_search_on_from_there() {
    let sections = ["A needle.", "Hay.", "A needle.", "Hay.", "A needle."]
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let mut s = Section::new(2, format!("Part {i}"), i + 1);
            s.blocks = vec![Block::paragraph(*body)];
            s
        })
        .collect();
    let mut app = app(of_sections("Five", sections));
    type_keys(&mut app, "/needle");
    app.update(Message::Key(Key::new(KeyCode::Enter, KeyModifiers::NONE)));
    let at = |app: &App| {
        let r = app.reader.as_ref().expect("reader");
        (r.selected, r.search.current)
    };
    assert_eq!(at(&app), (0, Some(0)));
    type_keys(&mut app, "]]]n");
    assert_eq!(
        at(&app),
        (4, Some(2)),
        "on from section 3, not from the match"
    );
    type_keys(&mut app, "[N");
    assert_eq!(at(&app), (2, Some(1)), "back from section 3");
    type_keys(&mut app, "n");
    assert_eq!(at(&app), (4, Some(2)), "on from the current match again");
    assert!(app.notice.is_none(), "{:?}", app.notice);
    type_keys(&mut app, "n");
    assert_eq!(at(&app), (0, Some(0)));
    assert_eq!(app.notice.as_deref(), Some("search wrapped to the top"));
}

#[test]
fn a_search_begins_at_the_reader_s_place_inside_a_long_section() {
    let mut app = long_and_other(
        |i| format!("Paragraph {i} has a needle."),
        "One more needle.",
    );
    type_keys(&mut app, "/needle");
    app.update(Message::Key(Key::new(KeyCode::Enter, KeyModifiers::NONE)));
    let r = app.reader.as_ref().expect("reader");
    let i = r.search.current.expect("a match shown");
    let m = r.search.matches.get(i, &r.briefing).expect("match");
    let line = brief::layout::line_of(&r.lines, m.source, m.range.start).expect("on a line");
    assert!(i > 0 && line >= 20, "match {i} on line {line}");
    let above = r.search.matches.get(i - 1, &r.briefing).expect("match");
    assert!(brief::layout::line_of(&r.lines, above.source, above.range.start) < Some(20));
    // From the top of the next section, back to the last match before it.
    type_keys(&mut app, "]N");
    let r = app.reader.as_ref().expect("reader");
    assert_eq!((r.selected, r.search.current), (0, Some(29)));
}

#[test]
fn a_shorter_query_looks_again_from_where_the_search_began() {
    let mut app = long_and_other(
        |i| {
            let text = if i == 25 { "A needle here." } else { "Hay." };
            format!("Paragraph {i}. {text}")
        },
        "A needlex.",
    );
    type_keys(&mut app, "/needlex");
    assert_eq!(app.reader.as_ref().expect("reader").selected, 1);
    // Back to `needle`: the one below where the search began, in the long
    // section, comes first (the reader is in the other section now).
    app.update(Message::Key(Key::new(
        KeyCode::Backspace,
        KeyModifiers::NONE,
    )));
    let r = app.reader.as_ref().expect("reader");
    assert_eq!((r.selected, r.search.current), (0, Some(0)));
}

#[test]
fn keyword_hits_past_the_limit_are_counted_yet_highlighted_and_stepped_through() {
    // 120 sections of 2,000 hits of a watched term: more than are kept
    // one by one.
    let sections = parts_of_x();
    let mut app = App::with_briefing(
        None,
        of_sections("Many", sections),
        vec!["x".to_owned()],
        Keymap::default(),
        Theme::colored(),
        Size::new(120, 40),
    );
    let r = app.reader.as_ref().expect("reader");
    assert!(r.keywords.is_counted(), "only counted per section");
    assert_eq!(r.keywords.total(), 240_000);
    // The section on screen has its hits found again, and shows them.
    let highlighted = |app: &App| {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
        terminal
            .draw(|frame| brief::ui::render(app, frame))
            .expect("draw");
        let buf = terminal.backend().buffer();
        let keyword = app.theme.keyword(0);
        (50..120)
            .flat_map(|x| (1..38).map(move |y| (x, y)))
            .filter(|&(x, y)| buf[(x, y)].symbol() == "x" && buf[(x, y)].bg == keyword.bg.unwrap())
            .count()
    };
    assert!(highlighted(&app) > 100, "{}", highlighted(&app));
    type_keys(&mut app, "]]");
    let r = app.reader.as_ref().expect("reader");
    assert_eq!(r.selected, 2);
    assert_eq!(r.keywords.section_hits(2).flatten().count(), 2000);
    assert!(highlighted(&app) > 100, "found again in the next section");
    // Enter on the term in the keyword panel: a search of its hits, also
    // only counted, from the reader's place.
    for code in [KeyCode::Tab, KeyCode::Tab, KeyCode::Enter] {
        app.update(Message::Key(Key::new(code, KeyModifiers::NONE)));
    }
    let r = app.reader.as_ref().expect("reader");
    assert!(r.search.matches.is_counted());
    assert_eq!(r.search.matches.len(), 240_000);
    let current = r.search.current.expect("a current hit");
    let m = r
        .search
        .matches
        .get(current, &r.briefing)
        .expect("it is found again");
    assert_eq!(m.section, 2, "the first hit from the reader's place");
    assert!(
        status_row(&app).contains(&format!("/x {}/240000", current + 1)),
        "{}",
        status_row(&app)
    );
    let last = r
        .search
        .matches
        .get(239_999, &r.briefing)
        .expect("the last hit");
    assert_eq!(
        (last.section, last.source, last.range),
        (119, 1, 3998..3999)
    );
}
