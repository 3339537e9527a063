//! Keys → actions: one table, parsed once, used both to map key presses and
//! to build the help screen (reverse lookup).
//!
//! Key names are written as text (`j`, `down`, `ctrl-c`, `pagedown`,
//! `space`), so the same table can later be overridden from a config file.
//! A key bound to two actions is an error, never a silent override. This
//! module does not decide what an action does.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

/// The default bindings, in help order within each action.
pub const DEFAULT_BINDINGS: &[(&str, Action)] = &[
    ("j", Action::MoveDown),
    ("down", Action::MoveDown),
    ("k", Action::MoveUp),
    ("up", Action::MoveUp),
    ("]", Action::NextSection),
    ("[", Action::PrevSection),
    ("space", Action::PageDown),
    ("pagedown", Action::PageDown),
    ("ctrl-f", Action::PageDown),
    ("b", Action::PageUp),
    ("pageup", Action::PageUp),
    ("ctrl-b", Action::PageUp),
    ("g", Action::First),
    ("home", Action::First),
    ("G", Action::Last),
    ("end", Action::Last),
    ("tab", Action::SwitchPane),
    ("backtab", Action::SwitchPane),
    (">", Action::WiderOutline),
    ("<", Action::NarrowerOutline),
    ("enter", Action::Open),
    ("h", Action::Collapse),
    ("left", Action::Collapse),
    ("l", Action::Expand),
    ("right", Action::Expand),
    (":", Action::StartJump),
    ("/", Action::StartSearch),
    ("n", Action::NextMatch),
    ("N", Action::PrevMatch),
    ("u", Action::NextUnread),
    ("U", Action::PrevUnread),
    ("R", Action::ToggleRead),
    ("c", Action::NextChanged),
    ("C", Action::PrevChanged),
    ("m", Action::SetMark),
    ("'", Action::GoToMark),
    ("`", Action::GoToMark),
    ("ctrl-o", Action::HistoryBack),
    ("H", Action::HistoryBack),
    ("alt-left", Action::HistoryBack),
    ("L", Action::HistoryForward),
    ("alt-right", Action::HistoryForward),
    ("o", Action::ShowLinks),
    ("e", Action::Edit),
    ("}", Action::NextKeywordSection),
    ("{", Action::PrevKeywordSection),
    ("r", Action::ToggleRepeats),
    ("K", Action::ToggleKeywordPanel),
    ("f", Action::ToggleHitFilter),
    ("+", Action::AddTerm),
    ("x", Action::RemoveTerm),
    ("t", Action::ToggleTerm),
    ("a", Action::AdoptSuggestion),
    ("esc", Action::Escape),
    ("backspace", Action::BackToList),
    ("?", Action::ToggleHelp),
    ("q", Action::Quit),
    ("ctrl-c", Action::Quit),
];

/// A key with its modifiers, normalised so that `G` and `shift-g` are the
/// same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        // Shift is part of the character for printable keys.
        let modifiers = match code {
            KeyCode::Char(_) | KeyCode::BackTab => modifiers - KeyModifiers::SHIFT,
            _ => modifiers,
        };
        Key {
            code,
            modifiers: modifiers
                & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT),
        }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// Parse a key name such as `j`, `G`, `ctrl-c`, `pagedown`, `space`.
    pub fn parse(name: &str) -> Result<Key, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = name;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-").filter(|r| !r.is_empty()) {
                modifiers |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            s => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("unknown key name `{name}`")),
                }
            }
        };
        Ok(Key::new(code, modifiers))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The live key bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    map: HashMap<Key, Action>,
    /// Bindings in table order, for help.
    order: Vec<(Key, Action)>,
}

impl Keymap {
    /// Build a keymap from `(key name, action)` pairs. Unknown key names and
    /// keys bound twice are errors.
    pub fn from_bindings<'a>(
        bindings: impl IntoIterator<Item = (&'a str, Action)>,
    ) -> Result<Keymap, String> {
        let mut map = HashMap::new();
        let mut order = Vec::new();
        for (name, action) in bindings {
            let key = Key::parse(name)?;
            if let Some(previous) = map.insert(key, action)
                && previous != action
            {
                return Err(format!(
                    "key `{name}` is bound to both `{}` and `{}`",
                    previous.name(),
                    action.name()
                ));
            }
            order.push((key, action));
        }
        Ok(Keymap { map, order })
    }

    /// The action bound to a key, if any.
    pub fn action(&self, key: Key) -> Option<Action> {
        self.map.get(&key).copied()
    }

    /// The keys bound to an action, in table order.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.order
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// Help lines: keys and description of every bound action.
    pub fn help(&self) -> Vec<(String, &'static str)> {
        Action::ALL
            .iter()
            .filter_map(|&action| {
                let keys = self.keys_for(action);
                if keys.is_empty() {
                    return None;
                }
                let keys = keys
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
                Some((keys, action.describe()))
            })
            .collect()
    }
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::from_bindings(DEFAULT_BINDINGS.iter().copied())
            .expect("the default key table parses and has no conflicts (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_parses_without_conflicts() {
        assert!(Keymap::from_bindings(DEFAULT_BINDINGS.iter().copied()).is_ok());
    }

    #[test]
    fn every_action_has_a_key() {
        let keymap = Keymap::default();
        for action in Action::ALL {
            assert!(!keymap.keys_for(action).is_empty(), "{action:?} has no key");
        }
    }

    #[test]
    fn conflicting_bindings_are_an_error() {
        let err =
            Keymap::from_bindings([("j", Action::MoveDown), ("j", Action::Quit)]).unwrap_err();
        assert_eq!(err, "key `j` is bound to both `move_down` and `quit`");
    }

    #[test]
    fn shifted_letters_and_control_keys_map() {
        let keymap = Keymap::default();
        let shift_g = Key::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(keymap.action(shift_g), Some(Action::Last));
        let ctrl_c = Key::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keymap.action(ctrl_c), Some(Action::Quit));
        assert_eq!(
            keymap.action(Key::new(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn help_lists_keys_from_the_live_table() {
        let keymap =
            Keymap::from_bindings([("x", Action::Quit), ("ctrl-q", Action::Quit)]).unwrap();
        assert_eq!(keymap.help(), vec![("x Ctrl-q".to_owned(), "quit")]);
    }

    #[test]
    fn unknown_key_names_are_rejected() {
        assert_eq!(
            Key::parse("hyper-x"),
            Err("unknown key name `hyper-x`".to_owned())
        );
    }
}
