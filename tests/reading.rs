//! A reader's day, through the real `App` without a terminal: read marks,
//! bookmarks, history, the remembered place, reloads, links and the editor
//! key. Drawn on ratatui's `TestBackend` where the screen is the point.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use brief::app::{App, Effect, Message};
use brief::briefing::Briefing;
use brief::keymap::{Key, Keymap};
use brief::keywords::Keywords;
use brief::loader::{self, FormatHint};
use brief::state::{self, Memory, Place};
use brief::theme::Theme;
use brief::ui;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;

/// Six sections; the second is long enough to scroll at 24 rows.
fn doc(extra_first: &str, second_title: &str) -> String {
    let mut long = String::new();
    for i in 1..=40 {
        writeln!(
            long,
            "Paragraph {i} of the long section about the harbour.\n"
        )
        .expect("writing to a String");
    }
    format!(
        "# Morning brief\n\nLead text. {extra_first}\n\n\
         ## {second_title}\n\n{long}\
         ## Markets\n\nStocks rose. See [the outlook](#outlook) and \
         [the source](https://example.org/markets).\n\n\
         ## Weather\n\nRain later.\n\n\
         ## Outlook\n\nCalm week ahead.\n\n\
         ## Contacts\n\nDesk: mailto:desk@example.org\n"
    )
}

fn load(text: &str) -> Briefing {
    loader::load_bytes(text.as_bytes(), "brief.md", FormatHint::Markdown).expect("loads")
}

fn app(text: &str) -> App {
    app_watching(text, &[])
}

/// [`app`], watching `terms`.
fn app_watching(text: &str, terms: &[&str]) -> App {
    App::with_briefing(
        Some("/nonexistent/brief.md".into()),
        load(text),
        terms
            .iter()
            .map(|t| (*t).to_owned())
            .collect::<Vec<String>>(),
        Keymap::default(),
        Theme::monochrome(),
        Size {
            width: 100,
            height: 24,
        },
    )
}

/// Press keys (`<name>` for named keys) and collect the effects.
fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let key = if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let name = rest[1..end].replace("c-", "ctrl-");
            rest = &rest[end + 1..];
            Key::parse(&name).expect("test key names are valid")
        } else {
            rest = &rest[c.len_utf8()..];
            Key::new(KeyCode::Char(c), KeyModifiers::NONE)
        };
        effects.extend(app.update(Message::Key(key)));
    }
    effects
}

fn screen(app: &App) -> String {
    let backend = TestBackend::new(app.size.width, app.size.height);
    let mut terminal = Terminal::new(backend).expect("test backend");
    terminal
        .draw(|frame| ui::render(app, frame))
        .expect("draws");
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn selected(app: &App) -> usize {
    app.reader.as_ref().expect("a reader").selected
}

fn title(app: &App) -> String {
    let r = app.reader.as_ref().expect("a reader");
    r.briefing.sections[r.selected].title.clone()
}

fn reader(app: &App) -> &brief::app::Reader {
    app.reader.as_ref().expect("a reader")
}

#[test]
fn a_section_is_read_once_its_end_has_been_on_screen() {
    let mut app = app(&doc("", "Harbour"));
    assert_eq!(reader(&app).read_count, 0);
    // Browsing the outline reads nothing.
    press(&mut app, "jjjk");
    assert_eq!(reader(&app).read_count, 0);
    press(&mut app, "gg");
    // `]` leaves the lead (its end was on screen) and lands on the long
    // section, whose end is not on screen yet.
    let effects = press(&mut app, "]");
    assert_eq!(title(&app), "Harbour");
    assert!(reader(&app).read[0]);
    assert!(!reader(&app).read[1]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Save { memory, .. } if memory.read.len() == 1)),
        "a new read mark is saved at once: {effects:?}"
    );
    // Paging to its end reads it.
    press(&mut app, "<tab>G");
    assert!(reader(&app).read[1]);
    assert_eq!(reader(&app).read_count, 2);
    let shown = screen(&app);
    assert!(shown.contains("✓    1.1 Harbour"), "{shown}");
    assert!(shown.contains("2/6 read"), "{shown}");
    // R marks unread again, and read again.
    press(&mut app, "R");
    assert!(!reader(&app).read[1]);
    assert_eq!(app.notice.as_deref(), Some("marked unread (1 of 6 read)"));
    press(&mut app, "R");
    assert!(reader(&app).read[1]);
}

#[test]
fn unread_sections_are_stepped_through() {
    let mut app = app(&doc("", "Harbour"));
    press(&mut app, "]");
    // Lead read; Markets read by hand.
    // Jumping to the short Markets section shows all of it: read.
    press(&mut app, ":3<enter>");
    assert!(reader(&app).read[2]);
    press(&mut app, ":1<enter>");
    press(&mut app, "u");
    assert_eq!(title(&app), "Harbour");
    press(&mut app, "u");
    // Markets is read: skipped.
    assert_eq!(title(&app), "Weather");
    press(&mut app, "U");
    assert_eq!(title(&app), "Harbour");
    press(&mut app, "U");
    assert_eq!(
        app.notice.as_deref(),
        Some("no unread section before this one")
    );
}

#[test]
fn bookmarks_set_go_and_swap_with_the_previous_place() {
    let mut app = app(&doc("", "Harbour"));
    press(&mut app, ":2<enter><tab>jjjjj");
    let scroll = reader(&app).scroll;
    assert!(scroll > 0);
    press(&mut app, "ma");
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .starts_with("mark a set at §2")
    );
    press(&mut app, ":5<enter>");
    assert_eq!(title(&app), "Outlook");
    press(&mut app, "'a");
    assert_eq!(title(&app), "Harbour");
    assert_eq!(reader(&app).scroll, scroll, "back to the same line");
    press(&mut app, "''");
    assert_eq!(title(&app), "Outlook");
    press(&mut app, "''");
    assert_eq!(title(&app), "Harbour");
    press(&mut app, "'z");
    assert_eq!(app.notice.as_deref(), Some("no mark z (marks: a)"));
    // Not a letter: a hint, and nothing else happens.
    press(&mut app, "m1");
    assert_eq!(
        app.notice.as_deref(),
        Some("a mark is a letter: m then a–z")
    );
    assert_eq!(reader(&app).memory.marks.len(), 1);
    // Esc leaves the mark mode.
    press(&mut app, "m<esc>");
    assert_eq!(app.mode, brief::app::Mode::Normal);
}

#[test]
fn history_goes_back_and_forward_through_jumps() {
    let mut app = app(&doc("", "Harbour"));
    press(&mut app, ":3<enter>");
    press(&mut app, ":5<enter>");
    // `]` is reading, not a jump.
    press(&mut app, "]");
    assert_eq!(title(&app), "Contacts");
    // As in vim's jump list: back goes to where the last jump started.
    press(&mut app, "H");
    assert_eq!(title(&app), "Markets");
    press(&mut app, "<c-o>");
    assert_eq!(title(&app), "Morning brief");
    press(&mut app, "H");
    assert_eq!(
        app.notice.as_deref(),
        Some("no earlier place in the history")
    );
    press(&mut app, "L");
    assert_eq!(title(&app), "Markets");
    press(&mut app, "<alt-right>");
    assert_eq!(title(&app), "Contacts");
    press(&mut app, "L");
    assert_eq!(app.notice.as_deref(), Some("no later place in the history"));
    // A new jump clears the way forward.
    press(&mut app, "H:1<enter>L");
    assert_eq!(app.notice.as_deref(), Some("no later place in the history"));
}

#[test]
fn the_remembered_place_is_resumed_unless_fresh() {
    let text = doc("", "Harbour");
    let mut first = app(&text);
    press(&mut first, ":2<enter><tab>jjjjjjj");
    let (_, memory) = first.memory_to_save().expect("a path to save for");
    let (place, fingerprint) = memory.place.expect("a place");
    assert_eq!(place.index, 1);
    assert!(place.at.is_some());
    let keys = state::section_keys(&load(&text));
    assert_eq!(fingerprint, state::fingerprint(&keys));
    // Reopened narrower: the same text is at the top.
    let again = App::with_briefing(
        Some("/nonexistent/brief.md".into()),
        load(&text),
        Vec::<String>::new(),
        Keymap::default(),
        Theme::monochrome(),
        Size {
            width: 70,
            height: 20,
        },
    )
    .with_memory(memory.clone(), true);
    assert_eq!(title(&again), "Harbour");
    let (block, offset) = place.at.expect("scrolled");
    let r = reader(&again);
    assert!(r.scroll > 0);
    assert_eq!(
        brief::layout::line_of(&r.lines, block, offset),
        Some(r.scroll + place.above)
    );
    assert!(
        again
            .notice
            .as_deref()
            .unwrap_or("")
            .starts_with("resumed at §2")
    );
    // Fresh: the top, but read marks and bookmarks are still there.
    let fresh = app(&text).with_memory(
        Memory {
            marks: BTreeMap::from([('q', place)]),
            ..memory.clone()
        },
        false,
    );
    assert_eq!(selected(&fresh), 0);
    assert!(reader(&fresh).memory.marks.contains_key(&'q'));
    // A regenerated briefing with the same layout and new text reopens
    // there too; one whose section is gone starts at the top.
    let regenerated = app(&doc("New lead today.", "Harbour")).with_memory(memory.clone(), true);
    assert_eq!(title(&regenerated), "Harbour");
    let renamed = app(&doc("", "Port")).with_memory(memory, true);
    assert_eq!(selected(&renamed), 0);
}

#[test]
fn read_sections_whose_text_changed_are_flagged() {
    let text = doc("", "Harbour");
    let mut first = app(&text);
    press(&mut first, "]");
    let (_, memory) = first.memory_to_save().expect("a path");
    assert_eq!(memory.read.len(), 1);
    // The lead's text changed since it was read.
    let mut next = app(&doc("A new line.", "Harbour")).with_memory(memory, false);
    assert!(!reader(&next).read[0]);
    assert!(reader(&next).changed[0]);
    let shown = screen(&next);
    assert!(shown.contains("•▾ 1 Morning brief"), "{shown}");
    press(&mut next, ":4<enter>C");
    assert_eq!(title(&next), "Morning brief");
}

#[test]
fn a_reload_keeps_the_place_and_flags_new_and_changed_sections() {
    let mut app = app(&doc("", "Harbour"));
    press(&mut app, ":4<enter>");
    assert_eq!(title(&app), "Weather");
    // A section inserted before, and Markets changed.
    let changed = doc("", "Harbour")
        .replace("## Markets", "## Breaking\n\nNews.\n\n## Markets")
        .replace("Stocks rose.", "Stocks fell.");
    app.update(reload(Box::new(Ok(load(&changed)))));
    assert_eq!(title(&app), "Weather", "same section, new index");
    assert_eq!(selected(&app), 4);
    assert_eq!(
        app.notice.as_deref(),
        Some("reloaded: 1 new, 1 changed (c steps through new and changed)")
    );
    press(&mut app, "gc");
    assert_eq!(title(&app), "Breaking");
    press(&mut app, "c");
    assert_eq!(title(&app), "Markets");
    // Stepping onto them read them (they are short): none is left.
    press(&mut app, "c");
    assert_eq!(app.notice.as_deref(), Some("no new or changed sections"));
}

#[test]
fn a_half_written_reload_keeps_the_place_for_the_next_one() {
    let mut app = app(&doc("", "Harbour"));
    press(&mut app, ":5<enter>");
    assert_eq!(title(&app), "Outlook");
    let text = doc("", "Harbour");
    let half = &text[..text.find("## Weather").expect("there")];
    app.update(reload(Box::new(Ok(load(half)))));
    assert!(selected(&app) < reader(&app).section_count());
    app.update(reload(Box::new(Ok(load(&text)))));
    assert_eq!(title(&app), "Outlook", "back where it was once whole");
    // A reload that fails leaves everything as it was.
    app.update(reload(Box::new(Err("gone".into()))));
    assert_eq!(title(&app), "Outlook");
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("showing the last version")
    );
}

#[test]
fn links_are_listed_followed_and_opened() {
    let mut app = app(&doc("", "Harbour"));
    press(&mut app, "o");
    assert_eq!(app.notice.as_deref(), Some("no links in this section"));
    press(&mut app, ":3<enter>o");
    let shown = screen(&app);
    assert!(shown.contains("1 the outlook  #outlook"), "{shown}");
    assert!(
        shown.contains("2 the source  https://example.org/markets"),
        "{shown}"
    );
    // An anchor jumps inside the briefing (and can be gone back from).
    press(&mut app, "<enter>");
    assert_eq!(title(&app), "Outlook");
    press(&mut app, "H");
    assert_eq!(title(&app), "Markets");
    // A URL goes to the system's opener.
    let effects = press(&mut app, "o2");
    assert!(
        matches!(effects.as_slice(), [Effect::OpenExternal(t)] if t == "https://example.org/markets"),
        "{effects:?}"
    );
    // Bare URLs count as links too; Esc closes the list.
    press(&mut app, ":6<enter>o");
    assert!(screen(&app).contains("mailto:desk@example.org"));
    press(&mut app, "<esc>");
    assert_eq!(app.mode, brief::app::Mode::Normal);
}

#[test]
fn e_asks_for_the_editor_at_the_section_line() {
    let mut app = app(&doc("", "Harbour"));
    let effects = press(&mut app, ":3<enter>e");
    let line = reader(&app).briefing.sections[2].line;
    assert!(line > 1);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Edit { line: l, .. } if *l == line)),
        "{effects:?}"
    );
}

#[test]
fn a_place_survives_json_and_the_key_is_stable() {
    let place = Place {
        section: 42,
        index: 3,
        at: Some((2, 17)),
        above: 1,
    };
    let text = serde_json::to_string(&place).expect("json");
    let back: Place = serde_json::from_str(&text).expect("json");
    assert_eq!(back, place);
    // The same titles give the same keys in any run (a fixed hash, not a
    // per-process one).
    let keys = state::section_keys(&load("# A\n\n## B\n"));
    assert_eq!(
        keys,
        state::section_keys(&load("# A\n\ntext\n\n## B\n\nmore\n"))
    );
}

#[test]
fn background_results_for_a_replaced_briefing_are_dropped() {
    use brief::background::Loaded;
    use brief::keywords::{Keywords, Term};
    let mut app = app_watching(&doc("", "Harbour"), &["harbour"]);
    let old = std::sync::Arc::clone(&reader(&app).briefing);
    // The file shrank to two sections and was reloaded.
    app.update(reload(Box::new(Ok(load(
        "# Morning brief\n\nharbour\n\n## Harbour\n\nshort\n",
    )))));
    assert_eq!(reader(&app).section_count(), 2);
    // Counts and repeats worked out for the old version arrive late.
    let terms = vec![Term::from("harbour".to_owned())];
    let stale = Keywords::new(terms, &old, false);
    assert_eq!(stale.section_counts.len(), 6);
    app.update(Message::Loaded(Loaded::Keywords(
        Box::new(stale),
        std::sync::Arc::clone(&old),
    )));
    app.update(Message::Loaded(Loaded::Repeats(
        brief::repeat::find(&old),
        std::sync::Arc::clone(&old),
    )));
    let derived = Box::new(brief::state::Derived::of(&old));
    let load = brief::background::Progress::new(1000);
    app.update(Message::Loaded(Loaded::Briefing(old, derived, load)));
    assert_eq!(reader(&app).section_count(), 2);
    assert_eq!(reader(&app).keywords.section_counts.len(), 2);
    // And the screen still draws, with keys working.
    press(&mut app, "G]f");
    assert!(screen(&app).contains("§2/2"));
}

/// More text than is counted while a key is handled (see
/// `Keywords::count_at_once`): 600 parts, each with 12 ferries and 12
/// quays among words in an order of their own (no part repeats another).
fn large_harbour() -> String {
    const WORDS: [&str; 16] = [
        "pilot", "crew", "tide", "berth", "cargo", "signal", "harbour", "delay", "north", "gate",
        "storm", "deck", "rope", "crane", "dock", "buoy",
    ];
    let mut text = String::from("# Harbour notes\n\n");
    let mut seed: u64 = 7;
    let mut word = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        WORDS[(seed >> 60) as usize]
    };
    for i in 0..600 {
        let _ = write!(text, "## Part {i}\n\n");
        for _ in 0..12 {
            let _ = write!(
                text,
                "The {} {} ferry {} {} at the {} quay {} {}. ",
                word(),
                word(),
                word(),
                word(),
                word(),
                word(),
                word()
            );
        }
        text.push_str("\n\n");
    }
    text
}

/// The one piece of keyword work among `effects`.
fn keyword_work(effects: Vec<Effect>) -> Effect {
    let mut work = effects
        .into_iter()
        .filter(|e| matches!(e, Effect::CountKeywords { .. } | Effect::Suggest(_)));
    let one = work.next().expect("keyword work");
    assert!(work.next().is_none(), "one piece of work");
    one
}

/// Do keyword work as the event loop does, on a thread, and hand the app
/// what it sends back.
fn run_keyword_work(app: &mut App, effect: Effect) {
    let (sender, receiver) = std::sync::mpsc::channel();
    match effect {
        Effect::CountKeywords {
            terms,
            briefing,
            include_repeats,
            suggest,
        } => brief::background::keywords(
            terms,
            briefing,
            include_repeats,
            suggest,
            sender,
            Message::Loaded,
        ),
        Effect::Suggest(briefing) => {
            brief::background::suggestions(briefing, sender, Message::Loaded);
        }
        other => panic!("expected keyword work, got {other:?}"),
    }
    // Ends when the thread is done and its sender gone.
    for message in receiver {
        app.update(message);
    }
}

#[test]
fn in_a_large_briefing_terms_are_counted_and_suggested_in_the_background() {
    let mut app = app(&large_harbour());
    assert!(!Keywords::count_at_once(&reader(&app).briefing));
    // Opening the panel: suggestions are worked out in the background.
    let work = keyword_work(press(&mut app, "K"));
    assert!(matches!(work, Effect::Suggest(_)), "{work:?}");
    assert!(reader(&app).suggesting);
    assert!(screen(&app).contains("suggesting…"));
    run_keyword_work(&mut app, work);
    let r = reader(&app);
    assert!(!r.suggesting);
    let suggested = r.suggestions.clone().expect("suggestions");
    assert!(
        suggested.iter().any(|(t, _)| t.contains("ferry")),
        "{suggested:?}"
    );
    // A term added: in the panel at once, uncounted; keys go on.
    let work = keyword_work(press(&mut app, "+ferry<enter>"));
    let r = reader(&app);
    assert!(r.keywords.is_pending());
    assert_eq!(r.keywords.terms.len(), 1);
    assert!(app.counting);
    let shown = screen(&app);
    assert!(shown.contains("■ ferry") && shown.contains(" …"), "{shown}");
    assert!(
        r.suggestions
            .as_ref()
            .is_some_and(|s| !s.is_empty() && s.iter().all(|(t, _)| t != "ferry")),
        "a watched term is no longer suggested"
    );
    press(&mut app, "<tab>]");
    assert_eq!(selected(&app), 1);
    let shown = screen(&app);
    assert!(shown.contains("counting…"), "{shown}");
    run_keyword_work(&mut app, work);
    let r = reader(&app);
    assert!(!r.keywords.is_pending());
    assert!(!app.counting);
    assert_eq!(r.keywords.term_totals, vec![7200]);
    assert!(screen(&app).contains("7200·600§"));
}

#[test]
fn a_count_for_terms_since_changed_is_dropped_and_the_newer_one_awaited() {
    let mut app = app(&large_harbour());
    let first = keyword_work(press(&mut app, "+ferry<enter>"));
    let second = keyword_work(press(&mut app, "+quay<enter>"));
    run_keyword_work(&mut app, first);
    assert!(
        reader(&app).keywords.is_pending(),
        "the stale count is dropped"
    );
    assert!(app.counting, "the newer one is still awaited");
    run_keyword_work(&mut app, second);
    assert_eq!(reader(&app).keywords.term_totals, vec![7200, 7200]);
    assert!(!app.counting);
}

#[test]
fn a_large_briefing_reloaded_is_counted_again_in_the_background() {
    let text = large_harbour();
    let mut app = app_watching(&text, &["ferry"]);
    assert_eq!(reader(&app).keywords.term_totals, vec![7200]);
    let changed = text.replace("## Part 599\n\n", "## Part 599\n\nOne more ferry.\n\n");
    let compare = app
        .update(reload(Box::new(Ok(load(&changed)))))
        .expect("the comparison, in the background");
    assert!(
        !reader(&app).keywords.is_pending() && !app.counting,
        "the shown version stays, counted, while the new one is compared"
    );
    assert_eq!(reader(&app).keywords.term_totals, vec![7200]);
    assert_eq!(
        app.notice.as_deref(),
        Some("reloading: comparing with the version shown…")
    );
    let effect = run_comparison(&mut app, compare).expect("the count, in the background");
    assert!(reader(&app).keywords.is_pending());
    assert!(app.counting);
    assert_eq!(
        reader(&app).section_count(),
        601,
        "the new version is shown"
    );
    run_keyword_work(&mut app, effect);
    assert_eq!(reader(&app).keywords.term_totals, vec![7201]);
    assert!(!app.counting);
}

#[test]
fn a_large_briefing_reloaded_twice_while_comparing_ends_on_the_last_version() {
    let text = large_harbour();
    let mut app = app_watching(&text, &["ferry"]);
    press(&mut app, ":4<enter>");
    assert_eq!(title(&app), "Part 2");
    let first = text.replace("## Part 0\n\n", "## Part 0\n\nOne more ferry.\n\n");
    let second = first.replace("## Part 2\n\n", "## Inserted\n\nNews.\n\n## Part 2\n\n");
    let compare_first = app
        .update(reload(Box::new(Ok(load(&first)))))
        .expect("the first comparison");
    let compare_second = app
        .update(reload(Box::new(Ok(load(&second)))))
        .expect("the second comparison");
    // The first arrives and is taken; the second was made against the
    // version shown before it, so it is made again against the first.
    run_comparison(&mut app, compare_first).expect("the count of the first");
    assert_eq!(reader(&app).section_count(), 601);
    let again = run_comparison(&mut app, compare_second).expect("compared again");
    assert!(
        matches!(again, Effect::Compare { .. }),
        "compared again with the version now shown, got {again:?}"
    );
    let count = run_comparison(&mut app, again).expect("the count of the second");
    run_keyword_work(&mut app, count);
    assert_eq!(reader(&app).section_count(), 602);
    assert_eq!(title(&app), "Part 2", "the place is kept through both");
    assert_eq!(
        app.notice.as_deref(),
        Some("reloaded: 1 new, 0 changed (c steps through new and changed)")
    );
    assert_eq!(reader(&app).keywords.term_totals, vec![7201]);
}

/// Open another briefing, `/nonexistent/other.md`, as from the list.
fn open_other(app: &mut App) {
    app.update(Message::Opened(Box::new(Ok(brief::app::Opened {
        stamp: None,
        path: "/nonexistent/other.md".into(),
        briefing: load(&doc("", "Markets")),
        loading: None,
        memory: Memory::default(),
    }))));
}

#[test]
fn a_reload_of_a_briefing_closed_since_is_dropped() {
    let mut app = app(&doc("", "Harbour"));
    open_other(&mut app);
    let shown = reader(&app).section_count();
    // The first briefing's watcher had read it again meanwhile.
    let more = doc("", "Harbour").replace("## Markets", "## Breaking\n\nNews.\n\n## Markets");
    assert!(app.update(reload(Box::new(Ok(load(&more))))).is_none());
    assert_eq!(reader(&app).section_count(), shown);
    assert_eq!(app.notice, None);
}

#[test]
fn a_comparison_that_comes_back_after_another_briefing_opened_is_dropped() {
    let text = large_harbour();
    let mut app = app(&text);
    let changed = text.replace("## Part 5\n\n", "## Inserted\n\nNews.\n\n## Part 5\n\n");
    let compare = app
        .update(reload(Box::new(Ok(load(&changed)))))
        .expect("the comparison");
    open_other(&mut app);
    let shown = reader(&app).section_count();
    assert!(run_comparison(&mut app, compare).is_none());
    assert_eq!(
        reader(&app).section_count(),
        shown,
        "the other briefing stays"
    );
    assert_eq!(
        reader(&app).path.as_deref(),
        Some(std::path::Path::new("/nonexistent/other.md"))
    );
}

/// The briefing of [`app`] read again (or not), as the watcher sends it.
fn reload(result: Box<Result<Briefing, String>>) -> Message {
    Message::Reloaded {
        path: "/nonexistent/brief.md".into(),
        result,
    }
}

/// Run a comparison the app asked for, as the event loop would, and hand
/// its result to the app; the app's next effect.
fn run_comparison(app: &mut App, effect: Effect) -> Option<Effect> {
    let Effect::Compare { shown, new } = effect else {
        panic!("expected a comparison, got {effect:?}");
    };
    let (sender, receiver) = std::sync::mpsc::channel();
    brief::background::compare(shown, new, sender, Message::Loaded);
    let message = receiver.recv().expect("the comparison's result");
    app.update(message)
}

#[test]
fn a_briefing_opened_with_the_rest_loading_takes_only_its_own_load() {
    use brief::app::Opened;
    use brief::background::{Loaded, Progress};
    let mut app = app(&doc("", "Markets"));
    let full = load(&large_harbour());
    let first_screenful = Briefing {
        sections: full.sections[..3].to_vec(),
        ..full.clone()
    };
    let own = Progress::new(1000);
    app.update(Message::Opened(Box::new(Ok(Opened {
        stamp: None,
        path: "/nonexistent/harbour.md".into(),
        briefing: first_screenful,
        loading: Some(own.clone()),
        memory: Memory::default(),
    }))));
    assert_eq!(reader(&app).section_count(), 3);
    assert!(screen(&app).contains("loading"));
    let full = std::sync::Arc::new(full);
    let derived = || Box::new(state::Derived::of(&full));
    // Another load (of a briefing opened before this one) is not taken.
    app.update(Message::Loaded(Loaded::Briefing(
        std::sync::Arc::clone(&full),
        derived(),
        Progress::new(1000),
    )));
    assert_eq!(reader(&app).section_count(), 3);
    app.update(Message::Loaded(Loaded::Failed(
        "gone".to_owned(),
        Progress::new(1000),
    )));
    assert!(app.loading.is_some(), "nor its failure");
    app.update(Message::Loaded(Loaded::Briefing(
        std::sync::Arc::clone(&full),
        derived(),
        own,
    )));
    assert_eq!(reader(&app).section_count(), 601);
    assert!(app.loading.is_none());
}

#[test]
fn a_stream_is_shown_as_it_grows_keeping_the_place_and_counting_terms() {
    use brief::background::{Loaded, Progress};
    let full = load(&large_harbour());
    let part_of = |n: usize| {
        std::sync::Arc::new(Briefing {
            sections: full.sections[..n].to_vec(),
            ..full.clone()
        })
    };
    let mut app = app_watching("", &["ferry"]);
    let load = Progress::of_stream(0);
    app.update(Message::Opened(Box::new(Ok(brief::app::Opened {
        stamp: None,
        path: "/nonexistent/harbour.md".into(),
        briefing: (*part_of(3)).clone(),
        loading: Some(load.clone()),
        memory: Memory::default(),
    }))));
    press(&mut app, ":3<enter>");
    let here = title(&app);
    let grown = |app: &mut App, part: std::sync::Arc<Briefing>, load: Progress| {
        let derived = Box::new(state::Derived::of(&part));
        app.update(Message::Loaded(Loaded::Grown(part, derived, load)))
    };
    // What has come of another stream is not taken.
    grown(&mut app, part_of(40), Progress::new(1000));
    assert_eq!(reader(&app).section_count(), 3);
    grown(&mut app, part_of(40), load.clone());
    assert_eq!(reader(&app).section_count(), 40);
    assert!(app.loading.is_some(), "still reading");
    assert!(screen(&app).contains("loading"));
    assert_eq!(title(&app), here, "the place is kept");
    // The part is small: its terms are counted at once.
    let ferries: usize = part_of(40)
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .map(|b| b.text.matches("ferry").count())
        .sum();
    assert_eq!(reader(&app).keywords.term_totals, vec![ferries]);
    grown(&mut app, part_of(80), load.clone());
    assert_eq!(reader(&app).section_count(), 80);
    loaded_whole(&mut app, &std::sync::Arc::new(full.clone()), load);
    assert_eq!(reader(&app).section_count(), 601);
    assert!(app.loading.is_none());
    assert_eq!(title(&app), here);
}

/// The reader as it starts on a large file: its first three sections
/// shown, the rest loading.
fn loading_harbour() -> (App, std::sync::Arc<Briefing>, brief::background::Progress) {
    let full = load(&large_harbour());
    let mut app = app("");
    let first_screenful = Briefing {
        sections: full.sections[..3].to_vec(),
        ..full.clone()
    };
    let load = brief::background::Progress::new(1000);
    app.update(Message::Opened(Box::new(Ok(brief::app::Opened {
        stamp: None,
        path: "/nonexistent/harbour.md".into(),
        briefing: first_screenful,
        loading: Some(load.clone()),
        memory: Memory::default(),
    }))));
    (app, std::sync::Arc::new(full), load)
}

/// Hand the app the whole briefing, as its load does.
fn loaded_whole(app: &mut App, full: &std::sync::Arc<Briefing>, load: brief::background::Progress) {
    use brief::background::Loaded;
    let derived = Box::new(state::Derived::of(full));
    app.update(Message::Loaded(Loaded::Briefing(
        std::sync::Arc::clone(full),
        derived,
        load,
    )));
}

/// Hand the app its repeats (none are marked in the harbour) and return
/// whether the briefing was copied to mark them (a job held it), with the
/// keyword work that follows.
fn repeats_found(app: &mut App, full: std::sync::Arc<Briefing>) -> (bool, Option<Effect>) {
    use brief::background::Loaded;
    let before = std::sync::Arc::as_ptr(&reader(app).briefing);
    let marks = brief::repeat::find(&full);
    let work = app.update(Message::Loaded(Loaded::Repeats(marks, full)));
    (
        std::sync::Arc::as_ptr(&reader(app).briefing) != before,
        work,
    )
}

#[test]
fn keyword_work_asked_for_while_repeats_are_found_follows_them() {
    let (mut app, full, load) = loading_harbour();
    loaded_whole(&mut app, &full, load);
    assert!(app.whole_pending());
    // The panel opened, a term added: nothing starts that holds the
    // briefing while its repeats are found.
    let effects = press(&mut app, "K+ferry<enter>");
    assert!(
        effects
            .iter()
            .all(|e| !matches!(e, Effect::CountKeywords { .. } | Effect::Suggest(_))),
        "{effects:?}"
    );
    assert!(reader(&app).suggesting);
    assert!(reader(&app).keywords.is_pending());
    let (copied, work) = repeats_found(&mut app, full);
    assert!(!copied, "marked in place");
    let work = work.expect("the count, with suggestions");
    assert!(
        matches!(&work, Effect::CountKeywords { terms, suggest: true, .. } if terms.len() == 1),
        "{work:?}"
    );
    run_keyword_work(&mut app, work);
    let r = reader(&app);
    assert_eq!(r.keywords.term_totals, vec![7200]);
    assert!(!r.suggesting);
    assert!(r.suggestions.as_ref().is_some_and(|s| !s.is_empty()));
    assert!(!app.counting);
}

#[test]
fn a_term_added_to_the_first_screenful_keeps_the_whole_count_awaited() {
    let (mut app, full, load) = loading_harbour();
    press(&mut app, "+ferry<enter>");
    assert!(app.counting, "the whole briefing's hits are still to come");
    loaded_whole(&mut app, &full, load);
    // A search typed now waits for the count too (no job holds the
    // briefing while repeats are marked).
    let jobs = press(&mut app, "<esc>/quay");
    assert!(
        jobs.iter().all(|e| !matches!(e, Effect::Search { .. })),
        "{jobs:?}"
    );
    let (copied, work) = repeats_found(&mut app, full);
    assert!(!copied);
    run_keyword_work(&mut app, work.expect("the count"));
    assert_eq!(reader(&app).keywords.term_totals, vec![7200]);
}

#[test]
fn the_filter_turned_on_while_counting_goes_off_when_nothing_hits() {
    let mut app = app(&large_harbour());
    let work = keyword_work(press(&mut app, "+zzzqqq<enter>"));
    press(&mut app, "<tab>f");
    assert!(reader(&app).filter_hits);
    run_keyword_work(&mut app, work);
    let r = reader(&app);
    assert!(!r.filter_hits);
    assert_eq!(r.visible.len(), 601, "every section shows");
    assert_eq!(app.notice.as_deref(), Some("no keyword hits to filter by"));
}

#[test]
fn an_unchanged_reload_while_counting_keeps_the_count_awaited() {
    let text = large_harbour();
    let mut app = app(&text);
    let work = keyword_work(press(&mut app, "+ferry<enter>"));
    app.update(reload(Box::new(Ok(load(&text)))));
    assert!(app.counting, "the status bar still says counting…");
    run_keyword_work(&mut app, work);
    assert!(!app.counting);
    assert_eq!(reader(&app).keywords.term_totals, vec![7200]);
}

#[test]
fn a_term_search_keeps_its_current_hit_when_repeats_are_shown() {
    let paragraph = "The ferry left the north quay at dawn with the morning cargo, \
                     bound for the island harbour across the grey water of the bay.";
    let text = format!(
        "# Log\n\n## One\n\n{paragraph}\n\n## Two\n\n{paragraph}\n\n## Three\n\nA last ferry.\n"
    );
    let mut app = app_watching(&text, &["ferry"]);
    assert_eq!(reader(&app).repeat_count, 1, "section Two repeats One");
    assert_eq!(reader(&app).keywords.term_totals, vec![2]);
    // The term's search, on to its hit in section Three.
    press(&mut app, "<tab><tab><enter>n");
    let current = |app: &App| {
        let r = reader(app);
        let i = r.search.current.expect("a current hit");
        (
            i,
            r.search.matches.get(i, &r.briefing).expect("a hit").section,
        )
    };
    assert_eq!(current(&app), (1, 3));
    press(&mut app, "r");
    assert_eq!(reader(&app).keywords.term_totals, vec![3]);
    assert_eq!(current(&app), (2, 3), "the same hit, now the third");
}

#[test]
fn a_jump_goes_to_the_number_the_outline_shows() {
    // Headings with their own numbers: `:3` is `3. Timeline`, not the
    // third section in order.
    let mut app = app(
        "# Postmortem\n\n## 1. Summary\n\nA.\n\n## 2. Impact\n\nB.\n\n\
                       ## 3. Timeline\n\nC.\n\n### 3.1 Detection\n\nD.\n",
    );
    press(&mut app, ":3<enter>");
    assert_eq!(title(&app), "3. Timeline");
    press(&mut app, ":3.1<enter>");
    assert_eq!(title(&app), "3.1 Detection");
    // Without numbers of their own, a number is a place in order.
    let mut plain = self::app(&doc("", "Harbour"));
    press(&mut plain, ":3<enter>");
    assert_eq!(selected(&plain), 2);
    press(&mut plain, ":99<enter>");
    assert_eq!(plain.notice.as_deref(), Some("no section 99"));
}
