//! The program's own documentation for shells and `man`: completion scripts
//! and the man page, generated from the clap definition in [`crate::cli`],
//! so they always list the flags the program really takes. Returns strings;
//! `main` prints them.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The name the scripts complete and the man page documents.
const BIN_NAME: &str = "brief";

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> String {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN_NAME, &mut out);
    String::from_utf8(out).expect("clap_complete writes UTF-8 from UTF-8 help text")
}

/// The man page, in roff (`man -l` reads it): NAME, SYNOPSIS, DESCRIPTION
/// and OPTIONS from the clap definition, then EXAMPLES and EXIT STATUS
/// (written here), then VERSION.
pub fn man_page() -> String {
    let man = clap_mangen::Man::new(Cli::command());
    let mut out = Vec::new();
    man.render_title(&mut out)
        .and_then(|()| man.render_name_section(&mut out))
        .and_then(|()| man.render_synopsis_section(&mut out))
        .and_then(|()| man.render_description_section(&mut out))
        .and_then(|()| man.render_options_section(&mut out))
        .expect("rendering into a Vec cannot fail");
    out.extend_from_slice(EXAMPLES.as_bytes());
    out.extend_from_slice(EXIT_STATUS.as_bytes());
    man.render_version_section(&mut out)
        .expect("rendering into a Vec cannot fail");
    String::from_utf8(out).expect("clap_mangen writes UTF-8 from UTF-8 help text")
}

/// Sections the clap definition has no place for, in roff.
const EXAMPLES: &str = r".SH EXAMPLES
.TP
\fBbrief\fR
Open the \fIbriefings\fR folder of the current directory.
.TP
\fBbrief \-k ransomware \-k phishing brief.md\fR
Read a briefing with two terms highlighted.
.TP
\fBcurl \-s https://example.org/brief.md | brief \-\fR
Read a briefing from standard input; keys still come from the terminal.
.TP
\fBbrief brief.md | less\fR
Print it as wrapped plain text (standard output is not a terminal).
.TP
\fBbrief \-\-export markdown brief.md > outline.md\fR
Save the outline with hit counts and read marks as a Markdown task list.
.TP
\fBbrief \-\-completions bash > /etc/bash_completion.d/brief\fR
Install completions for bash.
";

const EXIT_STATUS: &str = r".SH EXIT STATUS
0 on success; 1 when a briefing cannot be read (one line on standard error
names it and says why); 2 for a command line clap rejects; 128 plus the
signal's number after SIGTERM, SIGHUP or SIGINT in the reader.
";
