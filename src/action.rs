//! Every user intent the reader understands.
//!
//! Keys map to these through the keymap; the help screen describes them with
//! [`Action::describe`]; `App::update` is the only place that carries them
//! out. Names are commands; [`Action::name`] is the `snake_case` name used in
//! configuration.

/// A user intent, independent of the key that asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave the reader.
    Quit,
    /// Move the focus between the outline and the text.
    SwitchPane,
    /// Make the outline pane wider (the text pane narrower).
    WiderOutline,
    /// Make the outline pane narrower (the text pane wider).
    NarrowerOutline,
    /// Move down one entry (outline) or one line (text).
    MoveDown,
    /// Move up one entry (outline) or one line (text).
    MoveUp,
    /// Open the selected section in the text pane, or the selected briefing
    /// in the list.
    Open,
    /// Go to the next section, wherever the focus is.
    NextSection,
    /// Go to the previous section, wherever the focus is.
    PrevSection,
    /// Go to the first section (outline) or the top of the text.
    First,
    /// Go to the last section (outline) or the end of the text.
    Last,
    /// Scroll one page down; at the end of a section, go on to the next.
    PageDown,
    /// Scroll one page up.
    PageUp,
    /// Fold the selected entry, or go to its parent.
    Collapse,
    /// Unfold the selected entry.
    Expand,
    /// Start typing a search.
    StartSearch,
    /// Go to the next search match, across sections.
    NextMatch,
    /// Go to the previous search match, across sections.
    PrevMatch,
    /// Clear the search highlight, or leave the current mode.
    Escape,
    /// Start typing a section number to jump to (`:3`, `:2.3`): the number
    /// the outline shows, else a place in order.
    StartJump,
    /// Show or hide the help screen.
    ToggleHelp,
    /// Go to the next section with a keyword hit.
    NextKeywordSection,
    /// Go to the previous section with a keyword hit.
    PrevKeywordSection,
    /// Go back to the list of briefings.
    BackToList,
    /// Show or collapse text that repeats earlier text.
    ToggleRepeats,
    /// Show or hide the keyword panel.
    ToggleKeywordPanel,
    /// Show only sections with keyword hits (and their parents), or all.
    ToggleHitFilter,
    /// Type a new term to watch.
    AddTerm,
    /// Stop watching the term selected in the keyword panel.
    RemoveTerm,
    /// Turn the highlighting of the selected term off or on.
    ToggleTerm,
    /// Watch the suggested term selected in the keyword panel.
    AdoptSuggestion,
    /// Mark the selected section read, or unread again.
    ToggleRead,
    /// Go to the next section not yet read.
    NextUnread,
    /// Go to the previous section not yet read.
    PrevUnread,
    /// Go to the next section that is new or changed since it was read.
    NextChanged,
    /// Go to the previous section that is new or changed since it was read.
    PrevChanged,
    /// Set a bookmark: the next key (a letter) names it.
    SetMark,
    /// Go to a bookmark (the next key names it; the same key again goes
    /// back to where you were before the last jump).
    GoToMark,
    /// Go back to the place before the last jump.
    HistoryBack,
    /// Go forward again after going back.
    HistoryForward,
    /// List the links of the section; open one or follow it.
    ShowLinks,
    /// Edit the briefing in `$EDITOR` at this section, then reload it.
    Edit,
}

impl Action {
    /// Every action, in the order the help screen lists them.
    pub const ALL: [Action; 42] = [
        Action::MoveDown,
        Action::MoveUp,
        Action::NextSection,
        Action::PrevSection,
        Action::PageDown,
        Action::PageUp,
        Action::First,
        Action::Last,
        Action::SwitchPane,
        Action::WiderOutline,
        Action::NarrowerOutline,
        Action::Open,
        Action::Collapse,
        Action::Expand,
        Action::StartJump,
        Action::StartSearch,
        Action::NextMatch,
        Action::PrevMatch,
        Action::NextUnread,
        Action::PrevUnread,
        Action::ToggleRead,
        Action::NextChanged,
        Action::PrevChanged,
        Action::SetMark,
        Action::GoToMark,
        Action::HistoryBack,
        Action::HistoryForward,
        Action::ShowLinks,
        Action::Edit,
        Action::NextKeywordSection,
        Action::PrevKeywordSection,
        Action::ToggleKeywordPanel,
        Action::ToggleHitFilter,
        Action::AddTerm,
        Action::RemoveTerm,
        Action::ToggleTerm,
        Action::AdoptSuggestion,
        Action::ToggleRepeats,
        Action::Escape,
        Action::BackToList,
        Action::ToggleHelp,
        Action::Quit,
    ];

    /// One line for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::SwitchPane => "switch between outline and text",
            Action::WiderOutline => "outline pane wider",
            Action::NarrowerOutline => "outline pane narrower",
            Action::MoveDown => "down one entry / line",
            Action::MoveUp => "up one entry / line",
            Action::Open => "open the selected section or briefing",
            Action::NextSection => "next section",
            Action::PrevSection => "previous section",
            Action::First => "first section / top of text",
            Action::Last => "last section / end of text",
            Action::PageDown => "page down (continues into the next section)",
            Action::PageUp => "page up",
            Action::Collapse => "fold, or go to the parent",
            Action::Expand => "unfold",
            Action::StartSearch => "search the whole briefing",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::Escape => "clear search / leave a mode",
            Action::StartJump => "jump to section number (:3 or :2.3)",
            Action::ToggleHelp => "this help",
            Action::NextKeywordSection => "next section with a keyword",
            Action::PrevKeywordSection => "previous section with a keyword",
            Action::BackToList => "back to the list of briefings",
            Action::ToggleRepeats => "show / collapse repeated text",
            Action::ToggleKeywordPanel => "keyword panel: terms, counts, suggestions",
            Action::ToggleHitFilter => "only sections with keyword hits / all",
            Action::AddTerm => "watch a new term (word, phrase or re:regex)",
            Action::RemoveTerm => "stop watching the selected term",
            Action::ToggleTerm => "selected term's highlighting off / on",
            Action::AdoptSuggestion => "watch the selected suggested term",
            Action::ToggleRead => "mark the section read / unread",
            Action::NextUnread => "next unread section",
            Action::PrevUnread => "previous unread section",
            Action::NextChanged => "next section new or changed since read",
            Action::PrevChanged => "previous section new or changed since read",
            Action::SetMark => "set bookmark (then a letter)",
            Action::GoToMark => "go to bookmark (then a letter; again: previous place)",
            Action::HistoryBack => "back to the place before the last jump",
            Action::HistoryForward => "forward again",
            Action::ShowLinks => "links in this section: open or follow",
            Action::Edit => "edit in $EDITOR at this section, then reload",
        }
    }

    /// The `snake_case` name used in configuration.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::SwitchPane => "switch_pane",
            Action::WiderOutline => "wider_outline",
            Action::NarrowerOutline => "narrower_outline",
            Action::MoveDown => "move_down",
            Action::MoveUp => "move_up",
            Action::Open => "open",
            Action::NextSection => "next_section",
            Action::PrevSection => "prev_section",
            Action::First => "first",
            Action::Last => "last",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Collapse => "collapse",
            Action::Expand => "expand",
            Action::StartSearch => "start_search",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::Escape => "escape",
            Action::StartJump => "start_jump",
            Action::ToggleHelp => "toggle_help",
            Action::NextKeywordSection => "next_keyword_section",
            Action::PrevKeywordSection => "prev_keyword_section",
            Action::BackToList => "back_to_list",
            Action::ToggleRepeats => "toggle_repeats",
            Action::ToggleKeywordPanel => "toggle_keyword_panel",
            Action::ToggleHitFilter => "toggle_hit_filter",
            Action::AddTerm => "add_term",
            Action::RemoveTerm => "remove_term",
            Action::ToggleTerm => "toggle_term",
            Action::AdoptSuggestion => "adopt_suggestion",
            Action::ToggleRead => "toggle_read",
            Action::NextUnread => "next_unread",
            Action::PrevUnread => "prev_unread",
            Action::NextChanged => "next_changed",
            Action::PrevChanged => "prev_changed",
            Action::SetMark => "set_mark",
            Action::GoToMark => "go_to_mark",
            Action::HistoryBack => "history_back",
            Action::HistoryForward => "history_forward",
            Action::ShowLinks => "show_links",
            Action::Edit => "edit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
