//! Crash safety of the state files: a writer killed at any moment leaves
//! the last complete state readable, never half a file.
//!
//! The test runs this same test binary again as the writer (the ignored
//! `writer_loop` test, which only runs when asked for by name), lets it
//! rewrite the state as fast as it can, kills it with SIGKILL at a random
//! moment, and reads what is left.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use brief::state::{Memory, Place, Store};

const DIR_VAR: &str = "BRIEF_TEST_WRITER_DIR";

/// Two versions of the memory, large enough that a write takes a while.
fn version(n: u64) -> Memory {
    Memory {
        place: Some((
            Place {
                section: n,
                index: n as usize,
                at: Some((1, 2)),
                above: 0,
            },
            n,
        )),
        read: (0..20_000).map(|k| (k, k * 7 + n)).collect(),
        marks: BTreeMap::from([(
            'a',
            Place {
                section: n,
                index: 1,
                at: None,
                above: 0,
            },
        )]),
    }
}

fn briefing(dir: &Path) -> std::path::PathBuf {
    dir.join("brief.md")
}

#[test]
#[ignore = "the writer half of kill_during_writes_leaves_the_state_readable"]
fn writer_loop() {
    let Some(dir) = std::env::var_os(DIR_VAR) else {
        return;
    };
    let store = Store::at(Path::new(&dir).join("state"));
    let file = briefing(Path::new(&dir));
    for n in 0.. {
        store
            .remember(&file, &version(n % 2))
            .expect("the writer can write");
    }
}

#[cfg(unix)]
#[test]
fn kill_during_writes_leaves_the_state_readable() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(briefing(dir.path()), "# Brief\n").expect("write");
    let store = Store::at(dir.path().join("state"));
    let me = std::env::current_exe().expect("the test binary");
    let mut seen_written = 0;
    for round in 0..12u64 {
        let mut child = Command::new(&me)
            .args(["--ignored", "--exact", "writer_loop", "--test-threads=1"])
            .env(DIR_VAR, dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        // A different moment each round, some early, some late.
        let wait = Duration::from_millis(30 + (round * 37) % 250);
        let start = Instant::now();
        while start.elapsed() < wait {
            thread::sleep(Duration::from_millis(5));
        }
        child.kill().expect("SIGKILL the writer");
        child.wait().expect("reap the writer");
        let recall = store.recall(&briefing(dir.path()));
        assert!(
            recall.warnings.is_empty(),
            "round {round}: the state was damaged: {:?}",
            recall.warnings
        );
        // Each purpose has its own file, each written whole: each part is
        // one complete version (or not written yet).
        let memory = recall.memory;
        let (v0, v1) = (version(0), version(1));
        assert!(memory.place.is_none() || memory.place == v0.place || memory.place == v1.place);
        assert!(
            memory.read.is_empty() || memory.read == v0.read || memory.read == v1.read,
            "round {round}: read marks damaged"
        );
        assert!(memory.marks.is_empty() || memory.marks == v0.marks || memory.marks == v1.marks);
        if memory.place.is_some() {
            seen_written += 1;
        }
    }
    assert!(seen_written > 0, "the writer never finished a write");
}
