//! Render tests: the real `App` driven by key sequences, drawn with
//! `ui::render` onto ratatui's `TestBackend`, checked against reviewed
//! snapshots (text and styles) and against facts about the buffer.

use std::path::Path;

use brief::app::{App, Effect, Message};
use brief::briefing::Briefing;
use brief::keymap::{Key, Keymap};
use brief::library::Library;
use brief::loader::{self, LoadOptions};
use brief::theme::Theme;
use brief::ui;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;
use ratatui::style::{Color, Modifier};

const SECURITY: &str = "briefings/2026-11-27-daily-security-brief.md";

fn load(path: &str) -> Briefing {
    loader::load_file(Path::new(path), &LoadOptions::default()).expect("sample briefing loads")
}

fn app_for(path: &str, terms: &[&str], width: u16, height: u16) -> App {
    App::with_briefing(
        Some(path.into()),
        load(path),
        terms
            .iter()
            .map(|t| (*t).to_owned())
            .collect::<Vec<String>>(),
        Keymap::default(),
        Theme::colored(),
        Size { width, height },
    )
}

/// An app reading the Markdown `source`, on a screen of that size.
fn app_of(source: &str, width: u16, height: u16) -> App {
    let briefing = loader::load_stdin(source.as_bytes(), &LoadOptions::default()).expect("loads");
    App::with_briefing(
        None,
        briefing,
        Vec::<String>::new(),
        Keymap::default(),
        Theme::colored(),
        Size { width, height },
    )
}

/// Press keys: plain characters, or `<name>` for a named key
/// (`<tab>`, `<enter>`, `<esc>`, `<c-c>`, `<down>`, ...).
fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let key = if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let name = &rest[1..end];
            rest = &rest[end + 1..];
            let name = name.replace("c-", "ctrl-");
            Key::parse(&name).expect("test key names are valid")
        } else {
            rest = &rest[c.len_utf8()..];
            Key::new(KeyCode::Char(c), KeyModifiers::NONE)
        };
        // Saving read marks is the only effect reading keys may have.
        let effect = app.update(Message::Key(key));
        assert!(
            matches!(effect, None | Some(Effect::Save { .. })),
            "no effect but saving expected from {keys:?}: {effect:?}"
        );
    }
}

fn draw(app: &App) -> Buffer {
    let backend = TestBackend::new(app.size.width, app.size.height);
    let mut terminal = Terminal::new(backend).expect("test backend never fails");
    terminal
        .draw(|frame| ui::render(app, frame))
        .expect("test backend never fails");
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    find_left_of(buf, needle, buf.area.width)
}

/// Like [`find`], only in the columns left of `max_x` (the outline).
fn find_left_of(buf: &Buffer, needle: &str, max_x: u16) -> Option<(u16, u16)> {
    let area = buf.area;
    for y in 0..area.height {
        let mut line = String::new();
        let mut xs = Vec::new();
        for x in 0..max_x.min(area.width) {
            let sym = buf[(x, y)].symbol();
            for _ in sym.chars() {
                xs.push(x);
            }
            line.push_str(sym);
        }
        if let Some(byte) = line.find(needle) {
            let idx = line[..byte].chars().count();
            return Some((xs[idx], y));
        }
    }
    None
}

#[test]
fn first_screen_80x24() {
    let app = app_for(SECURITY, &["ransomware"], 80, 24);
    insta::assert_snapshot!(text(&draw(&app)));
}

#[test]
fn first_screen_40x12_shows_only_the_outline() {
    let app = app_for(SECURITY, &[], 40, 12);
    insta::assert_snapshot!(text(&draw(&app)));
}

#[test]
fn text_pane_40x12_after_tab() {
    let mut app = app_for(SECURITY, &[], 40, 12);
    press(&mut app, "]<tab>");
    insta::assert_snapshot!(text(&draw(&app)));
}

#[test]
fn styles_of_the_first_screen_80x24() {
    let app = app_for(SECURITY, &["ransomware"], 80, 24);
    insta::assert_debug_snapshot!(draw(&app));
}

#[test]
fn bracket_goes_to_next_section_and_status_follows() {
    let mut app = app_for(SECURITY, &[], 80, 24);
    press(&mut app, "]]");
    let screen = text(&draw(&app));
    assert!(screen.contains("§3/8"), "{screen}");
    let (x, y) = find(&draw(&app), "1.2 Threat activity").expect("title shown");
    assert!(x > 24, "the text pane shows the title (found at {x},{y})");
}

#[test]
fn selected_outline_entry_is_highlighted() {
    let mut app = app_for(SECURITY, &[], 120, 24);
    press(&mut app, "j");
    let buf = draw(&app);
    let (x, y) = find_left_of(&buf, "Key judgements", 30).expect("outline entry");
    assert_eq!(buf[(x, y)].bg, Color::Cyan, "{x},{y}\n{}", text(&buf));
    let (x, y) = find_left_of(&buf, "Threat activity", 30).expect("outline entry");
    assert_eq!(buf[(x, y)].bg, Color::Reset);
}

#[test]
fn search_highlights_every_match_and_marks_the_current_one() {
    let mut app = app_for(SECURITY, &[], 100, 30);
    press(&mut app, "/encrypt<enter>");
    let buf = draw(&app);
    let screen = text(&buf);
    assert!(screen.contains("/encrypt 1/"), "{screen}");
    let (x, y) = find(&buf, "encrypt").expect("a match on screen");
    assert_eq!(buf[(x, y)].bg, Color::LightRed, "current match");
    press(&mut app, "n");
    let screen = text(&draw(&app));
    assert!(screen.contains("/encrypt 2/"), "{screen}");
}

#[test]
fn escape_in_search_restores_the_place_and_clears() {
    let mut app = app_for(SECURITY, &[], 100, 30);
    press(&mut app, "/shadow cop");
    let screen = text(&draw(&app));
    assert!(
        screen.contains("1.2.1 Ransomware\n"),
        "incremental search moved: {screen}"
    );
    press(&mut app, "<esc>");
    let screen = text(&draw(&app));
    assert!(screen.contains("§1/8"), "{screen}");
    assert!(!screen.contains("/outlook"), "{screen}");
}

#[test]
fn keywords_are_coloured_per_term_and_counted_in_the_outline() {
    let app = app_for(SECURITY, &["ransomware", "phishing"], 100, 30);
    let buf = draw(&app);
    let screen = text(&buf);
    assert!(screen.contains("keywords:"), "{screen}");
    let mut app = app;
    press(&mut app, "}");
    let buf2 = draw(&app);
    let colours: Vec<Color> = ["ransomware", "Ransomware", "phishing", "Phishing"]
        .iter()
        .filter_map(|w| find(&buf2, w))
        .filter(|&(x, _)| x > 40)
        .map(|(x, y)| buf2[(x, y)].bg)
        .collect();
    assert!(colours.iter().all(|&c| c != Color::Reset), "{colours:?}");
    drop(buf);
}

#[test]
fn help_is_built_from_the_live_keymap() {
    let mut app = app_for(SECURITY, &[], 80, 30);
    press(&mut app, "?");
    insta::assert_snapshot!(text(&draw(&app)));
    press(&mut app, "<esc>");
    assert!(!text(&draw(&app)).contains("Esc or ? closes"));
}

#[test]
fn jump_to_section_by_number_and_outline_number() {
    let mut app = app_for(SECURITY, &[], 100, 30);
    press(&mut app, ":5<enter>");
    assert!(text(&draw(&app)).contains("§5/8"));
    press(&mut app, ":1.3<enter>");
    assert!(text(&draw(&app)).contains("§7/8"));
    press(&mut app, ":99<enter>");
    assert!(text(&draw(&app)).contains("no section 99"));
}

#[test]
fn folding_hides_and_shows_children() {
    let mut app = app_for(SECURITY, &[], 100, 30);
    let child_in_outline = "\n       1.2.1 Ransomware";
    press(&mut app, "jj");
    assert!(text(&draw(&app)).contains(child_in_outline));
    press(&mut app, "h");
    let screen = text(&draw(&app));
    assert!(!screen.contains(child_in_outline), "{screen}");
    assert!(screen.contains("▸ 1.2 Threat activity"), "{screen}");
    // A folded section with no text of its own lists its subsections.
    assert!(screen.contains("│   1.2.1 Ransomware"), "{screen}");
    press(&mut app, "l");
    let screen = text(&draw(&app));
    assert!(screen.contains(child_in_outline), "{screen}");
    // `]` into a folded section unfolds its parent.
    press(&mut app, "h]");
    // ... and reading it to its end (it is short) marks it read.
    let screen = text(&draw(&app));
    assert!(screen.contains("\n✓      1.2.1 Ransomware"), "{screen}");
}

#[test]
fn page_down_continues_into_the_next_section() {
    let mut app = app_for(SECURITY, &[], 100, 30);
    press(&mut app, "<tab>");
    for _ in 0..3 {
        press(&mut app, " ");
    }
    assert!(!text(&draw(&app)).contains("§1/8"));
}

#[test]
fn library_lists_newest_first() {
    let library = Library::scan(Path::new("briefings"), &LoadOptions::default()).expect("samples");
    let app = library_app(library, 100, 14);
    insta::assert_snapshot!(text(&draw(&app)));
}

/// An app listing `library`, in colour, watching nothing.
fn library_app(library: Library, width: u16, height: u16) -> App {
    App::with_library(
        library,
        Vec::<String>::new(),
        Keymap::default(),
        Theme::colored(),
        Size { width, height },
    )
}

#[test]
fn library_shows_larger_briefings_counting_until_read_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut log = String::from("---\ntitle: Harbour log\ndate: 2026-11-30\n---\n\n");
    for i in 1..=600 {
        log.push_str(&format!(
            "## Entry {i}\n\nVessel {i} berthed at the outer mark.\n\n"
        ));
    }
    std::fs::write(dir.path().join("log.md"), &log).expect("write");
    std::fs::write(dir.path().join("2026-12-01-note.md"), "# Note\n\nShort.\n").expect("write");
    let options = LoadOptions::default();
    let library = Library::scan_first(dir.path(), &options).expect("listed");
    let log_path = dir.path().join("log.md");
    let mut app = library_app(library, 100, 10);
    // Three of the log's sections were read before, one of them past its
    // first screenful.
    let whole = brief::library::read_entry(log_path.clone(), &options);
    let marks: std::collections::BTreeMap<_, _> =
        [0, 1, 590].iter().map(|&k| (whole.keys[k], 0)).collect();
    app.set_library_read(&[std::collections::BTreeMap::new(), marks]);
    press(&mut app, "j");
    let screen = text(&draw(&app));
    let row = |screen: &str, what: &str| {
        screen
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        row(&screen, "Harbour log").ends_with("markdown · counting…"),
        "{screen}"
    );
    assert!(
        row(&screen, "Note").ends_with("markdown · 1 section"),
        "{screen}"
    );
    assert!(
        screen
            .lines()
            .last()
            .unwrap()
            .contains("2/2 briefings   loading 1 more…"),
        "{screen}"
    );

    app.update(Message::Loaded(brief::background::Loaded::Entry(Box::new(
        whole.clone(),
    ))));
    let screen = text(&draw(&app));
    assert!(
        row(&screen, "Harbour log").ends_with("markdown · 600 sections · 3 read"),
        "{screen}"
    );
    assert!(!screen.contains("loading"), "{screen}");
    assert_eq!(app.library.as_ref().map(|l| l.selected), Some(1));

    // Read whole, a briefing can turn out to have another date (front
    // matter past the first screenful): the list is sorted again, and the
    // selection stays on the same briefing.
    let newer = brief::library::Entry {
        date: "2026-12-05".to_owned(),
        ..whole
    };
    app.update(Message::Loaded(brief::background::Loaded::Entry(Box::new(
        newer,
    ))));
    let screen = text(&draw(&app));
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[1].contains("2026-12-05  Harbour log"), "{screen}");
    assert!(lines[1].ends_with("600 sections · 3 read"), "{screen}");
    assert!(lines[2].contains("2026-12-01  Note"), "{screen}");
    assert_eq!(app.library.as_ref().map(|l| l.selected), Some(0));

    // The reading of the list's briefings is held while one is open, and
    // goes on once the list is back.
    let hold = app.library.as_ref().expect("a list").hold.clone();
    assert!(!hold.is_on());
    let effect = app.update(Message::Key(Key::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(
        matches!(effect, Some(Effect::Open(ref p)) if *p == log_path),
        "{effect:?}"
    );
    let briefing = loader::load_file(&log_path, &options).expect("loads");
    app.update(Message::Opened(Box::new(Ok(brief::app::Opened {
        stamp: None,
        path: log_path,
        briefing,
        loading: None,
        memory: brief::state::Memory::default(),
    }))));
    assert!(text(&draw(&app)).contains("Entry 1"));
    assert!(hold.is_on(), "held while a briefing from the list is open");
    press(&mut app, "<backspace>");
    assert!(text(&draw(&app)).contains("1/2 briefings"));
    assert!(!hold.is_on(), "going on with the list back");
}

#[test]
fn no_color_theme_uses_no_colours() {
    let mut app = App::with_briefing(
        None,
        load(SECURITY),
        vec!["ransomware".to_owned()],
        Keymap::default(),
        Theme::monochrome(),
        Size {
            width: 100,
            height: 30,
        },
    );
    press(&mut app, "/brief<enter>");
    let buf = draw(&app);
    for cell in &buf.content {
        assert!(matches!(cell.fg, Color::Reset), "fg {:?}", cell.fg);
        assert!(matches!(cell.bg, Color::Reset), "bg {:?}", cell.bg);
    }
    let (x, y) = find(&buf, "Key judgements").expect("outline");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED) || y > 0);
}

/// Every sample briefing draws at every size without panicking and without
/// writing outside the buffer (ratatui would panic on an out-of-bounds
/// index).
#[test]
fn every_sample_draws_at_every_size() {
    let sizes = [
        (1, 1),
        (2, 2),
        (10, 3),
        (20, 5),
        (40, 12),
        (80, 24),
        (300, 100),
    ];
    for entry in std::fs::read_dir("briefings").expect("briefings folder") {
        let path = entry.expect("dir entry").path();
        let path = path.to_str().expect("utf-8 path").to_owned();
        for &(w, h) in &sizes {
            let mut app = app_for(&path, &["the"], w, h);
            draw(&app);
            for keys in [
                "]", "<tab>", "j", "G", " ", "/e", "<enter>", "n", "?", "<esc>", "h", "l",
            ] {
                press(&mut app, keys);
                draw(&app);
            }
            app.update(Message::Resize(Size {
                width: h,
                height: w,
            }));
            draw(&app);
        }
    }
}

#[test]
fn resize_keeps_the_same_text_at_the_top() {
    let mut app = app_for("briefings/2026-11-15-water-policy-brief.md", &[], 120, 20);
    press(&mut app, ":2<enter><tab>");
    for _ in 0..6 {
        press(&mut app, "j");
    }
    let before = app.reader.as_ref().map(|r| r.scroll).unwrap_or_default();
    app.update(Message::Resize(Size {
        width: 70,
        height: 20,
    }));
    let after = app.reader.as_ref().map(|r| r.scroll).unwrap_or_default();
    assert!(
        after >= before,
        "narrower text needs more lines above: {before} -> {after}"
    );
}

#[test]
fn repeated_text_collapses_to_a_marker_and_r_shows_it() {
    let story =
        "The council voted on Tuesday to extend the water restrictions until the end of March.";
    let source = format!(
        "# Brief\n\n## Water\n\n{story}\n\n## Also\n\nSomething entirely new was said here today by the minister.\n\n{story}\n"
    );
    let briefing =
        loader::load_bytes(source.as_bytes(), "r.md", loader::FormatHint::Markdown).expect("loads");
    let mut app = App::with_briefing(
        None,
        briefing,
        vec!["council".to_owned()],
        Keymap::default(),
        Theme::colored(),
        Size {
            width: 100,
            height: 16,
        },
    );
    press(&mut app, ":3<enter>");
    let screen = text(&draw(&app));
    assert!(
        screen.contains("⟳ repeats §2 (1 paragraph) · r shows repeats"),
        "{screen}"
    );
    assert!(screen.contains("⟳ 1 repeat hidden (r)"), "{screen}");
    assert!(
        screen.contains("keywords: 1 hit in 1 section"),
        "hits in repeats are not counted: {screen}"
    );
    press(&mut app, "r");
    let screen = text(&draw(&app));
    assert!(screen.contains("The council voted on Tuesday"), "{screen}");
    assert!(screen.contains("showing repeated text"), "{screen}");
    let keywords = &app.reader.as_ref().expect("reader").keywords;
    assert_eq!((keywords.total(), keywords.includes_repeats), (2, true));
}

#[test]
fn keyword_panel_lists_terms_with_counts_and_enter_jumps_through_one_term() {
    let mut app = app_for(SECURITY, &["Harbour Lynx"], 100, 30);
    let screen = text(&draw(&app));
    assert!(
        screen.contains("─ keywords"),
        "shown at start when terms are active: {screen}"
    );
    assert!(screen.contains("■ Harbour Lynx"), "{screen}");
    // Focus the panel, select the first term, jump to its hits.
    press(&mut app, "<tab><tab><enter>");
    let screen = text(&draw(&app));
    assert!(screen.contains("/Harbour Lynx 1/3"), "{screen}");
    press(&mut app, "n");
    assert!(text(&draw(&app)).contains("/Harbour Lynx 2/3"));
    // Turning a term off keeps its count but drops its highlight.
    press(&mut app, "<tab><tab>t");
    let buf = draw(&app);
    assert!(text(&buf).contains("□ Harbour Lynx"));
}

#[test]
fn filter_shows_only_sections_with_hits_and_their_parents() {
    let source = "# Report\n\n## Weather\n\nRain.\n\n## Markets\n\n### Bonds\n\nYields rose.\n\n### Stocks\n\nFlat.\n";
    let briefing =
        loader::load_bytes(source.as_bytes(), "f.md", loader::FormatHint::Markdown).expect("loads");
    let mut app = App::with_briefing(
        None,
        briefing,
        Vec::<String>::new(),
        Keymap::default(),
        Theme::colored(),
        Size {
            width: 100,
            height: 20,
        },
    );
    press(&mut app, "+yields<enter>f");
    let buf = draw(&app);
    let in_outline = |buf: &Buffer, s: &str| find_left_of(buf, s, 28).is_some();
    assert!(in_outline(&buf, "1.2.1 Bonds"), "{}", text(&buf));
    assert!(
        in_outline(&buf, "1.2 Markets"),
        "parent kept: {}",
        text(&buf)
    );
    assert!(!in_outline(&buf, "Weather"), "{}", text(&buf));
    assert!(!in_outline(&buf, "Stocks"), "{}", text(&buf));
    press(&mut app, "<esc>");
    assert!(
        in_outline(&draw(&app), "1.1 Weather"),
        "Esc leaves the filter"
    );
}

#[test]
fn keyword_panel_80x24() {
    let mut app = app_for(SECURITY, &["Harbour Lynx"], 80, 24);
    press(&mut app, "<tab><tab>j");
    insta::assert_snapshot!(text(&draw(&app)));
}

#[test]
fn loading_a_stream_shows_the_bytes_read_so_far() {
    // Standard input has no size to take a percentage of: the status bar
    // says how much has been read, as it grows.
    let mut app = app_for(SECURITY, &[], 120, 30);
    let progress = brief::background::Progress::of_stream(16_384);
    app.loading = Some(progress.clone());
    let status = |app: &App| {
        text(&draw(app))
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        status(&app).contains("loading… 16 KB read"),
        "{}",
        status(&app)
    );
    progress
        .done
        .store(52_428_800, std::sync::atomic::Ordering::Relaxed);
    assert!(
        status(&app).contains("loading… 52 MB read"),
        "{}",
        status(&app)
    );
    assert!(!status(&app).contains('%'), "{}", status(&app));
}

#[test]
fn loading_progress_shows_beside_a_notice() {
    // Opening a large briefing at a remembered place says so in the status
    // bar while the rest still loads: both show.
    let mut app = app_for(SECURITY, &[], 120, 30);
    app.loading = Some(brief::background::Progress::new(1000));
    app.notice = Some("resumed at §2".to_owned());
    let buf = draw(&app);
    let status = text(&buf).lines().last().unwrap_or_default().to_owned();
    assert!(status.contains("loading 0%… · resumed at §2"), "{status}");
    app.loading = None;
    let status = text(&draw(&app))
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    assert!(
        status.contains("resumed at §2") && !status.contains("loading"),
        "{status}"
    );
}

#[test]
fn text_keeps_a_column_clear_of_the_scroll_bar() {
    // A word longer than a line is broken to fill every line to its width.
    let mut app = app_of(&format!("# Long\n\n{}\n", "c".repeat(5000)), 80, 24);
    press(&mut app, "<tab>");
    let buf = draw(&app);
    let bar = buf.area.width - 1;
    let rows = 0..buf.area.height - 1;
    // The bar is drawn: a long section scrolls.
    assert!(
        rows.clone()
            .any(|y| !buf[(bar, y)].symbol().trim().is_empty()),
        "{}",
        text(&buf)
    );
    assert!(
        rows.clone().all(|y| buf[(bar - 1, y)].symbol() == " "),
        "the column left of the bar holds text:\n{}",
        text(&buf)
    );
    assert!(
        rows.clone().any(|y| buf[(bar - 2, y)].symbol() == "c"),
        "lines fill the text column:\n{}",
        text(&buf)
    );
}

#[test]
fn help_in_a_narrow_terminal_wraps_descriptions_and_scrolls_to_the_last() {
    let mut app = app_for(SECURITY, &[], 60, 20);
    press(&mut app, "?");
    let buf = draw(&app);
    let screen = text(&buf);
    let (x, y) = find(&buf, "page down (continues").expect("the page-down row");
    // Wrapped under itself, not cut at the box's edge.
    let next: String = (x..buf.area.width - 1)
        .map(|x| buf[(x, y + 1)].symbol())
        .collect();
    assert_eq!(next.trim_end(), "section)", "{screen}");
    assert!(screen.contains("keys 1–16 of 42"), "{screen}");
    // The end of the list is reachable: the last action's row shows.
    press(&mut app, "G");
    let screen = text(&draw(&app));
    assert!(screen.contains("q Ctrl-c           quit"), "{screen}");
    assert!(screen.contains("keys 29–42 of 42"), "{screen}");
}

#[test]
fn a_popup_is_not_overdrawn_by_a_wide_character_beside_it() {
    // Outline titles of double-width characters reach the help box's edge.
    let mut source = String::from("# 高度な設定\n\n");
    for i in 0..30 {
        source.push_str(&format!(
            "## カスタムプロンプトの設定と変数{i}\n\nテキスト。\n\n"
        ));
    }
    let mut app = app_of(&source, 120, 40);
    press(&mut app, "?");
    let buf = draw(&app);
    let (x, y) = find(&buf, "┌ keys").expect("the help box");
    for row in y..y + 20 {
        let left = buf[(x - 1, row)].symbol();
        assert!(
            unicode_width::UnicodeWidthStr::width(left) <= 1,
            "{left:?} at row {row} spills over the border:\n{}",
            text(&buf)
        );
    }
}

#[test]
fn angle_brackets_widen_and_narrow_the_outline_pane() {
    let mut app = app_for(SECURITY, &[], 120, 40);
    let width = |app: &App| ui::areas(app).outline_frame.map(|r| r.width);
    let text_width = |app: &App| app.reader.as_ref().map(|r| r.text_width);
    let (start, laid_out) = (width(&app), text_width(&app));
    press(&mut app, ">");
    assert_eq!(width(&app), start.map(|w| w + 4));
    // The text is laid out again for its narrower pane.
    assert!(
        text_width(&app) < laid_out,
        "{:?} {laid_out:?}",
        text_width(&app)
    );
    press(&mut app, "<<");
    assert_eq!(width(&app), start.map(|w| w - 4));
    // The border is drawn where the pane now ends.
    let buf = draw(&app);
    let border = start.map_or(0, |w| w - 4) - 1;
    assert_eq!(buf[(border, 1)].symbol(), "│", "{}", text(&buf));
    // At its widest: a notice, and nothing moves.
    press(&mut app, &">".repeat(40));
    let widest = width(&app);
    press(&mut app, ">");
    assert_eq!(width(&app), widest);
    assert_eq!(
        app.notice.as_deref(),
        Some("the outline pane is at its widest")
    );
}

#[test]
fn the_facts_under_the_first_title_are_searched_and_counted() {
    // `Source: Northgate Cyber Fusion Centre` is front matter, shown first
    // in the first section: found by search, and counted as a term there.
    let mut app = app_for(SECURITY, &["TLP"], 120, 40);
    press(&mut app, "/northgate<enter>");
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.search.matches.len(), 1);
    let buf = draw(&app);
    let (x, y) = find(&buf, "Northgate").expect("the source shown");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED) || buf[(x, y)].bg != Color::Reset,
        "the match is highlighted:\n{}",
        text(&buf)
    );
    // The first term given is `TLP`: its one hit is in the first section.
    let tlp = reader
        .keywords
        .terms
        .iter()
        .position(|t| t.text == "TLP")
        .expect("the term");
    assert_eq!(reader.keywords.section_term_counts(0)[tlp], 1);
}
