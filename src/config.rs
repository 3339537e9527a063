//! The configuration file: where it lives, what it may say, and what it
//! turns into (a keymap, a theme, watched terms).
//!
//! The file is TOML at `<config dir>/brief/config.toml` (`$XDG_CONFIG_HOME`
//! or `~/.config` on Linux and macOS, `%APPDATA%` on Windows) or at a path
//! the user names. Every setting is optional; `brief.sample.toml` at the
//! repository root lists them all at their defaults:
//!
//! ```toml
//! max_width = 100
//!
//! [theme]
//! title = "cyan"
//! keywords = ["yellow", "light-green"]
//!
//! [keys]
//! next_section = ["]", "ctrl-n"]
//!
//! [watch.markets]
//! terms = ["Eurogroup", "re:bank(s|ing)?"]
//! color = "#ffaf00"
//! ```
//!
//! Anything the reader does not understand is an error that names the file
//! and the line: an unknown key, a colour, action or key name it does not
//! know, a regular expression that does not compile, a key bound to two
//! actions. Nothing is silently ignored.
//!
//! This module reads one file and validates it. It does not look at the
//! command line (precedence is for the caller), draw, or touch the terminal.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Style};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use toml::Spanned;

use crate::action::Action;
use crate::keymap::{DEFAULT_BINDINGS, Key, Keymap};
use crate::theme::Theme;

/// The folder under the platform's configuration directory.
pub const APP_DIR: &str = "brief";
/// The file name within it.
pub const FILE_NAME: &str = "config.toml";
/// The default of `max_width`.
pub const DEFAULT_MAX_WIDTH: usize = 100;

/// Everything the configuration file can say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The widest the text column grows, in columns; 0 for no limit.
    pub max_width: usize,
    pub theme: ThemeConfig,
    /// Keys by action. An action listed here has exactly these keys; the
    /// others keep their defaults.
    pub keys: BTreeMap<ActionName, Spanned<Vec<KeyName>>>,
    /// Named lists of terms to highlight, chosen on the command line.
    pub watch: BTreeMap<String, WatchList>,
    /// The file this came from; `None` for the built-in defaults.
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Start of each line of the file, to turn spans into line numbers.
    #[serde(skip)]
    line_starts: Vec<usize>,
}

impl Default for Config {
    fn default() -> Config {
        let mut keys: BTreeMap<ActionName, Spanned<Vec<KeyName>>> = BTreeMap::new();
        for &(name, action) in DEFAULT_BINDINGS {
            let key = KeyName::parse(name).expect("the default key table parses (tested)");
            keys.entry(ActionName(action))
                .or_insert_with(|| Spanned::new(0..0, Vec::new()))
                .get_mut()
                .push(key);
        }
        Config {
            max_width: DEFAULT_MAX_WIDTH,
            theme: ThemeConfig::default(),
            keys,
            watch: BTreeMap::new(),
            path: None,
            line_starts: Vec::new(),
        }
    }
}

/// Why the configuration could not be used. Every variant names the file
/// (or the built-in defaults) and, where it can, the line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not TOML, or a key or value this version does not understand.
    #[error("{}: {message}", place(.path, *.line))]
    Parse {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error(
        "{}: [keys]: key `{key}` is bound to both `{first}` and `{second}`",
        place(.path, *.line)
    )]
    KeyConflict {
        path: PathBuf,
        line: Option<usize>,
        key: String,
        first: &'static str,
        second: &'static str,
    },
    /// The key table was refused for another reason (not expected: keys are
    /// checked when the file is read).
    #[error("{}: [keys]: {message}", .path.display())]
    Keys { path: PathBuf, message: String },
    #[error("{}: no watch list `{name}`; {}", .path.display(), known_lists(.known))]
    UnknownWatchList {
        path: PathBuf,
        name: String,
        known: Vec<String>,
    },
}

fn place(path: &Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

fn known_lists(known: &[String]) -> String {
    if known.is_empty() {
        "the configuration defines none".to_owned()
    } else {
        format!("known lists: {}", known.join(", "))
    }
}

/// Where the configuration file lives on this platform:
/// `<config dir>/brief/config.toml`. `None` when there is no home
/// directory.
pub fn default_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.config_dir().join(APP_DIR).join(FILE_NAME))
}

/// Read the configuration from `path`, or from [`default_path`] when
/// `None`. A missing default file gives the defaults; a missing file the
/// user named is an error.
pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
    match path {
        Some(path) => read(path),
        None => default_path().map_or_else(|| Ok(Config::default()), |path| read_if_present(&path)),
    }
}

/// Read `path`, or give the defaults if there is no such file.
fn read_if_present(path: &Path) -> Result<Config, ConfigError> {
    match read(path) {
        Err(ConfigError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(Config::default())
        }
        other => other,
    }
}

fn read(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parse configuration text that came from `path`.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut config: Config = toml::from_str(text).map_err(|err| ConfigError::Parse {
        path: path.to_path_buf(),
        line: err.span().map(|span| line_of(&line_starts, span.start)),
        message: err.message().to_owned(),
    })?;
    config.path = Some(path.to_path_buf());
    config.line_starts = line_starts;
    Ok(config)
}

/// The 1-based line of byte `offset`.
fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts.partition_point(|&start| start <= offset).max(1)
}

impl Config {
    /// The file named in errors.
    fn origin(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("(built-in configuration)"))
    }

    /// The line of a span in the file, if this came from a file.
    fn line(&self, span: std::ops::Range<usize>) -> Option<usize> {
        (!self.line_starts.is_empty() && span.end > 0)
            .then(|| line_of(&self.line_starts, span.start))
    }

    /// The key bindings: the defaults, with the keys of every action listed
    /// in `[keys]` replaced. A key left bound to two actions is an error
    /// naming the key and both actions.
    pub fn keymap(&self) -> Result<Keymap, ConfigError> {
        let mut bindings: Vec<(&str, Action)> = DEFAULT_BINDINGS
            .iter()
            .filter(|(_, action)| !self.keys.contains_key(&ActionName(*action)))
            .copied()
            .collect();
        let mut owner: HashMap<Key, Action> = HashMap::new();
        for &(name, action) in &bindings {
            let key = Key::parse(name).map_err(|message| self.keys_error(message))?;
            owner.insert(key, action);
        }
        for (action, keys) in &self.keys {
            let action = action.0;
            for key in keys.get_ref() {
                if let Some(&first) = owner.get(&key.key)
                    && first != action
                {
                    return Err(ConfigError::KeyConflict {
                        path: self.origin(),
                        line: self.line(keys.span()),
                        key: key.name.clone(),
                        first: first.name(),
                        second: action.name(),
                    });
                }
                owner.insert(key.key, action);
                bindings.push((key.name.as_str(), action));
            }
        }
        Keymap::from_bindings(bindings).map_err(|message| self.keys_error(message))
    }

    fn keys_error(&self, message: String) -> ConfigError {
        ConfigError::Keys {
            path: self.origin(),
            message,
        }
    }

    /// The terms of the named watch lists, in order, each with its list's
    /// colour as written in the file (parse it with [`parse_color`]). A
    /// term in two lists is listed once, with the first list's colour.
    pub fn watch_terms(
        &self,
        names: &[String],
    ) -> Result<Vec<(String, Option<String>)>, ConfigError> {
        let mut terms: Vec<(String, Option<String>)> = Vec::new();
        for name in names {
            let Some(list) = self.watch.get(name) else {
                return Err(ConfigError::UnknownWatchList {
                    path: self.origin(),
                    name: name.clone(),
                    known: self.watch.keys().cloned().collect(),
                });
            };
            for term in &list.terms {
                if !terms.iter().any(|(t, _)| *t == term.0) {
                    let color = list.color.as_ref().map(|c| c.text.clone());
                    terms.push((term.0.clone(), color));
                }
            }
        }
        Ok(terms)
    }

    /// `base` with the colours of `[theme]`. A theme without colour
    /// (`NO_COLOR`) is returned as it is.
    pub fn theme(&self, base: Theme) -> Theme {
        if !base.color {
            return base;
        }
        let t = &self.theme;
        let mut theme = base;
        theme.title = theme.title.fg(t.title.color);
        theme.marker = theme.marker.fg(t.marker.color);
        theme.code = theme.code.fg(t.code.color);
        theme.border = theme.border.fg(t.border.color);
        theme.pane_border = theme.pane_border.fg(t.border.color);
        theme.selected_focused = theme.selected_focused.bg(t.selected.color);
        theme.search = theme.search.bg(t.search.color);
        theme.search_current = theme.search_current.bg(t.search_current.color);
        if !t.keywords.is_empty() {
            theme.keywords = t
                .keywords
                .iter()
                .map(|c| Style::new().fg(Color::Black).bg(c.color))
                .collect();
        }
        theme
    }
}

/// Colours by role, mapped onto [`Theme`] by [`Config::theme`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeConfig {
    /// Headings and the briefing's title (text colour).
    pub title: ColorSpec,
    /// List bullets and numbers (text colour).
    pub marker: ColorSpec,
    /// Code blocks (text colour).
    pub code: ColorSpec,
    /// Pane borders, quote bars and table rules (text colour).
    pub border: ColorSpec,
    /// The selected outline entry (background).
    pub selected: ColorSpec,
    /// Search matches (background).
    pub search: ColorSpec,
    /// The current search match (background).
    pub search_current: ColorSpec,
    /// Keyword highlights, one per term in turn (background).
    pub keywords: Vec<ColorSpec>,
}

impl Default for ThemeConfig {
    /// The colours of [`Theme::colored`].
    fn default() -> ThemeConfig {
        let c = ColorSpec::named;
        ThemeConfig {
            title: c("cyan"),
            marker: c("cyan"),
            code: c("yellow"),
            border: c("dark-gray"),
            selected: c("cyan"),
            search: c("light-magenta"),
            search_current: c("light-red"),
            keywords: [
                "yellow",
                "light-green",
                "light-blue",
                "light-magenta",
                "light-cyan",
                "light-red",
            ]
            .into_iter()
            .map(c)
            .collect(),
        }
    }
}

/// One watch list: `[watch.NAME]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchList {
    /// Words or phrases; `re:` starts a regular expression.
    pub terms: Vec<WatchTerm>,
    /// The highlight colour of the list's terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<ColorSpec>,
}

/// A watched term, checked when read: not blank, and after `re:` a regular
/// expression that compiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct WatchTerm(pub String);

impl<'de> Deserialize<'de> for WatchTerm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let term = String::deserialize(deserializer)?;
        if term.trim().is_empty() {
            return Err(serde::de::Error::custom("a watched term is blank"));
        }
        if let Some(pattern) = term.strip_prefix("re:") {
            regex::Regex::new(pattern).map_err(|err| {
                serde::de::Error::custom(format!("invalid regular expression `{pattern}`: {err}"))
            })?;
        }
        Ok(WatchTerm(term))
    }
}

/// A colour as written in the file (`yellow`, `light-blue`, `#ffaf00`, or
/// a palette index `0`–`255`) and what it means. Equal when the colours
/// are.
#[derive(Debug, Clone)]
pub struct ColorSpec {
    pub text: String,
    pub color: Color,
}

impl ColorSpec {
    fn named(text: &str) -> ColorSpec {
        ColorSpec {
            text: text.to_owned(),
            color: parse_color(text).expect("built-in colour names parse (tested)"),
        }
    }
}

impl PartialEq for ColorSpec {
    fn eq(&self, other: &ColorSpec) -> bool {
        self.color == other.color
    }
}

/// Parse a colour the way the configuration file does.
pub fn parse_color(text: &str) -> Option<Color> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("reset") {
        return None;
    }
    if text.starts_with('#') && text.len() != 7 {
        return None;
    }
    Color::from_str(text).ok()
}

impl Serialize for ColorSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match parse_color(&text) {
            Some(color) => Ok(ColorSpec { text, color }),
            None => Err(serde::de::Error::custom(format!(
                "invalid colour `{text}`: use a name such as `yellow` or `light-blue`, \
                 `#rrggbb`, or a palette number 0-255"
            ))),
        }
    }
}

/// An action by its configuration name (`next_section`). Sorted in help
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionName(pub Action);

impl ActionName {
    fn index(self) -> usize {
        Action::ALL
            .iter()
            .position(|&a| a == self.0)
            .expect("Action::ALL lists every action (tested in action.rs)")
    }
}

impl Ord for ActionName {
    fn cmp(&self, other: &ActionName) -> std::cmp::Ordering {
        self.index().cmp(&other.index())
    }
}

impl PartialOrd for ActionName {
    fn partial_cmp(&self, other: &ActionName) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ActionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

impl Serialize for ActionName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name())
    }
}

impl<'de> Deserialize<'de> for ActionName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Action::ALL
            .iter()
            .find(|a| a.name() == name)
            .map(|&a| ActionName(a))
            .ok_or_else(|| {
                let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                serde::de::Error::custom(format!(
                    "unknown action `{name}`; actions are {}",
                    known.join(", ")
                ))
            })
    }
}

/// A key as written in the file (`j`, `ctrl-n`, `pagedown`) and the key it
/// names. Equal when the keys are (`G` and `shift-g`).
#[derive(Debug, Clone)]
pub struct KeyName {
    pub name: String,
    pub key: Key,
}

impl KeyName {
    pub fn parse(name: &str) -> Result<KeyName, String> {
        Ok(KeyName {
            name: name.to_owned(),
            key: Key::parse(name)?,
        })
    }
}

impl PartialEq for KeyName {
    fn eq(&self, other: &KeyName) -> bool {
        self.key == other.key
    }
}

impl Serialize for KeyName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        KeyName::parse(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../brief.sample.toml");

    fn parse_as(text: &str, name: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new(name))
    }

    fn error(text: &str) -> String {
        parse_as(text, "config.toml")
            .and_then(|c| c.keymap().map(|_| c))
            .expect_err("the configuration is refused")
            .to_string()
    }

    /// The config with what only a file has (its path, its lines) removed.
    fn settings(mut config: Config) -> Config {
        config.path = None;
        config.line_starts.clear();
        config
    }

    #[test]
    fn missing_default_file_gives_defaults() {
        let missing = std::env::temp_dir().join("brief-no-such-dir/brief/config.toml");
        let config = read_if_present(&missing).expect("a missing default file is no error");
        assert_eq!(config, Config::default());
    }

    #[test]
    fn missing_named_file_is_an_error_naming_it() {
        let missing = std::env::temp_dir().join("brief-no-such-dir/mine.toml");
        let err = load(Some(&missing)).expect_err("a named file must exist");
        assert!(
            err.to_string()
                .starts_with(&format!("{}: ", missing.display())),
            "{err}"
        );
    }

    #[test]
    fn a_file_is_read_and_remembers_its_path() {
        let dir = std::env::temp_dir().join(format!("brief-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("config.toml");
        std::fs::write(&path, "max_width = 72\n").expect("write config");
        let config = load(Some(&path)).expect("valid config");
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert_eq!(config.max_width, 72);
        assert_eq!(config.path.as_deref(), Some(path.as_path()));
        assert_eq!(
            settings(config),
            Config {
                max_width: 72,
                ..Config::default()
            }
        );
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse_as("# nothing\n", "config.toml").expect("valid");
        assert_eq!(settings(config), Config::default());
    }

    #[test]
    fn unknown_field_error_names_file_line_and_key() {
        assert_eq!(
            error("max_width = 90\ncolour = \"red\"\n"),
            "config.toml:2: unknown field `colour`, expected one of `max_width`, `theme`, `keys`, `watch`"
        );
    }

    #[test]
    fn unknown_theme_role_error_names_it() {
        assert_eq!(
            error("[theme]\ntitel = \"red\"\n"),
            "config.toml:2: unknown field `titel`, expected one of `title`, `marker`, `code`, \
             `border`, `selected`, `search`, `search_current`, `keywords`"
        );
    }

    #[test]
    fn bad_colour_error_names_file_line_and_value() {
        assert_eq!(
            error("[watch.people]\nterms = [\"Alvarez\"]\ncolor = \"yelow\"\n"),
            "config.toml:3: invalid colour `yelow`: use a name such as `yellow` or \
             `light-blue`, `#rrggbb`, or a palette number 0-255"
        );
        assert!(
            error("[theme]\nsearch = \"#12345\"\n")
                .starts_with("config.toml:2: invalid colour `#12345`")
        );
    }

    #[test]
    fn colours_are_names_hex_or_palette_numbers() {
        let config = parse_as(
            "[theme]\ntitle = \"Light Blue\"\nmarker = \"#ffaf00\"\ncode = \"208\"\n",
            "config.toml",
        )
        .expect("valid colours");
        assert_eq!(config.theme.title.color, Color::LightBlue);
        assert_eq!(config.theme.marker.color, Color::Rgb(0xff, 0xaf, 0x00));
        assert_eq!(config.theme.code.color, Color::Indexed(208));
    }

    #[test]
    fn unknown_action_error_names_it() {
        let err = error("[keys]\nnext_sectoin = [\"x\"]\n");
        assert!(
            err.starts_with(
                "config.toml:2: unknown action `next_sectoin`; actions are move_down, move_up,"
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_key_name_error_names_it() {
        assert_eq!(
            error("[keys]\nquit = [\"hyper-q\"]\n"),
            "config.toml:2: unknown key name `hyper-q`"
        );
    }

    #[test]
    fn invalid_regex_after_re_is_an_error() {
        let err = error("[watch.cves]\nterms = [\"re:CVE-(\\\\d+\"]\n");
        assert!(
            err.starts_with("config.toml:2: invalid regular expression `CVE-(\\d+`: "),
            "{err}"
        );
    }

    #[test]
    fn blank_watched_term_is_an_error() {
        assert_eq!(
            error("[watch.x]\nterms = [\"ok\", \"  \"]\n"),
            "config.toml:2: a watched term is blank"
        );
    }

    #[test]
    fn key_conflict_error_names_file_key_and_both_actions() {
        assert_eq!(
            error("[keys]\nquit = [\"q\", \"j\"]\n"),
            "config.toml:2: [keys]: key `j` is bound to both `move_down` and `quit`"
        );
        assert_eq!(
            error("[keys]\nquit = [\"ctrl-y\"]\nopen = [\"ctrl-y\"]\n"),
            "config.toml:2: [keys]: key `ctrl-y` is bound to both `open` and `quit`"
        );
    }

    #[test]
    fn overriding_an_action_replaces_its_default_keys() {
        let config = parse_as(
            "[keys]\nnext_section = [\"]\", \"ctrl-n\"]\nquit = [\"ctrl-q\"]\n",
            "config.toml",
        )
        .expect("valid");
        let keymap = config.keymap().expect("no conflicts");
        let keys = |action| -> Vec<String> {
            keymap
                .keys_for(action)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(keys(Action::NextSection), ["]", "Ctrl-n"]);
        assert_eq!(keys(Action::Quit), ["Ctrl-q"]);
        assert_eq!(keys(Action::MoveDown), ["j", "↓"]);
    }

    #[test]
    fn a_key_may_move_between_overridden_actions() {
        let config = parse_as(
            "[keys]\nquit = [\"j\"]\nmove_down = [\"down\"]\n",
            "config.toml",
        )
        .expect("valid");
        let keymap = config.keymap().expect("j moved from move_down to quit");
        assert_eq!(keymap.keys_for(Action::Quit).len(), 1);
    }

    #[test]
    fn default_keymap_is_the_default_table() {
        let keymap = Config::default()
            .keymap()
            .expect("defaults have no conflicts");
        assert_eq!(keymap.help(), Keymap::default().help());
    }

    #[test]
    fn watch_lists_give_their_terms_and_colours_in_order() {
        let config = parse_as(
            "[watch.people]\nterms = [\"Alvarez\", \"Ruiz\"]\ncolor = \"yellow\"\n\n\
             [watch.places]\nterms = [\"Puente Alto\", \"re:Alvarez|Ruiz\", \"Ruiz\"]\n",
            "config.toml",
        )
        .expect("valid");
        let terms = config
            .watch_terms(&["places".to_owned(), "people".to_owned()])
            .expect("both lists exist");
        let yellow = Some("yellow".to_owned());
        assert_eq!(
            terms,
            vec![
                ("Puente Alto".to_owned(), None),
                ("re:Alvarez|Ruiz".to_owned(), None),
                ("Ruiz".to_owned(), None),
                ("Alvarez".to_owned(), yellow),
            ]
        );
    }

    #[test]
    fn unknown_watch_list_error_lists_the_known_ones() {
        let config = parse_as(
            "[watch.people]\nterms = [\"a\"]\n[watch.places]\nterms = [\"b\"]\n",
            "config.toml",
        )
        .expect("valid");
        let err = config
            .watch_terms(&["firms".to_owned()])
            .expect_err("no such list");
        assert_eq!(
            err.to_string(),
            "config.toml: no watch list `firms`; known lists: people, places"
        );
        let err = Config::default()
            .watch_terms(&["firms".to_owned()])
            .expect_err("no lists at all");
        assert_eq!(
            err.to_string(),
            "(built-in configuration): no watch list `firms`; the configuration defines none"
        );
    }

    #[test]
    fn default_theme_colours_are_the_coloured_theme() {
        assert_eq!(Config::default().theme(Theme::colored()), Theme::colored());
    }

    #[test]
    fn theme_colours_apply_unless_colour_is_off() {
        let config = parse_as(
            "[theme]\ntitle = \"red\"\nkeywords = [\"blue\"]\n",
            "config.toml",
        )
        .expect("valid");
        let theme = config.theme(Theme::colored());
        assert_eq!(theme.title, Theme::colored().title.fg(Color::Red));
        assert_eq!(
            theme.keywords,
            [Style::new().fg(Color::Black).bg(Color::Blue)]
        );
        assert_eq!(config.theme(Theme::monochrome()), Theme::monochrome());
    }

    #[test]
    fn sample_file_sets_every_option_to_its_default() {
        let sample = parse_as(SAMPLE, "brief.sample.toml").expect("the sample parses");
        assert_eq!(settings(sample), Config::default());
    }

    /// Every key path of a TOML value (`theme.title`, `keys.quit`).
    fn key_paths(value: &toml::Value, prefix: &str, out: &mut Vec<String>) {
        if let toml::Value::Table(table) = value {
            for (key, value) in table {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                key_paths(value, &path, out);
                out.push(path);
            }
        }
    }

    #[test]
    fn sample_file_has_exactly_the_defaults_keys() {
        let sample: toml::Value = toml::from_str(SAMPLE).expect("the sample is TOML");
        let defaults = toml::Value::try_from(Config::default()).expect("defaults serialise");
        let (mut have, mut want) = (Vec::new(), Vec::new());
        key_paths(&sample, "", &mut have);
        key_paths(&defaults, "", &mut want);
        have.sort();
        want.sort();
        // `watch` has no default lists; the sample shows them commented out.
        want.retain(|k| k != "watch");
        assert_eq!(have, want);
    }

    #[test]
    fn sample_file_watch_example_parses_when_uncommented() {
        let example: String = SAMPLE
            .lines()
            .skip_while(|line| !line.starts_with("# [watch."))
            .map(|line| line.trim_start_matches('#').trim_start())
            .collect::<Vec<_>>()
            .join("\n");
        let config = parse_as(&example, "example.toml").expect("the example parses");
        let names: Vec<&str> = config.watch.keys().map(String::as_str).collect();
        assert_eq!(names, ["markets", "security"]);
        let terms = config
            .watch_terms(&["security".to_owned()])
            .expect("the list exists");
        assert_eq!(
            terms,
            vec![
                ("ransomware".to_owned(), Some("#ff8700".to_owned())),
                ("re:CVE-\\d{4}-\\d+".to_owned(), Some("#ff8700".to_owned())),
            ]
        );
    }

    #[test]
    fn default_path_is_brief_config_toml_in_the_config_dir() {
        if let Some(path) = default_path() {
            assert!(path.ends_with("brief/config.toml"), "{}", path.display());
        }
    }

    #[test]
    fn lines_are_counted_from_one() {
        let starts = [0, 5, 9];
        assert_eq!(line_of(&starts, 0), 1);
        assert_eq!(line_of(&starts, 4), 1);
        assert_eq!(line_of(&starts, 5), 2);
        assert_eq!(line_of(&starts, 100), 3);
    }
}
