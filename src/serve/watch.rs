//! Watching the site's files: `content/`, `static/`, `templates/`, `themes/` and
//! `site.yaml`, with notify, and gathering a burst of events into one batch.
//!
//! Takes the site root; hands on batches of changed paths through [`Watch::next_batch`].
//! An editor's save-via-rename or a `git checkout` of many files arrives as many events
//! in quick succession: a batch ends only when the files have been quiet for
//! [`QUIET`] (a few milliseconds once every file written has been closed), so it becomes
//! one rebuild. The root itself is watched without recursion
//! (a folder like `target/` or `public/` beside the site is never watched); a watched
//! folder created later is picked up when it appears.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::diag::{Diagnostic, Hint};

/// A batch ends after this long without events: long enough for the events of one
/// save or one checkout, short enough not to be felt.
pub(crate) const QUIET: Duration = Duration::from_millis(10);
/// Or after this long, when every file the batch saw written has been closed: a saved
/// file is complete then, and a checkout writes its next file sooner than this.
const QUIET_CLOSED: Duration = Duration::from_millis(3);
/// A batch never waits longer than this, even while events keep coming.
const LONGEST: Duration = Duration::from_millis(1000);

/// The folders of a site that hold its sources.
const WATCHED: [&str; 4] = ["content", "static", "templates", "themes"];

pub(crate) struct Watch {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    events: Receiver<Message>,
    stopper: Sender<Message>,
}

/// What the watch's channel carries: the watcher's events, or the server stopping.
pub(crate) enum Message {
    Event(notify::Result<notify::Event>),
    Stop,
}

impl Watch {
    pub(crate) fn start(root: &Path) -> Result<Watch, Diagnostic> {
        let (stopper, events) = channel();
        let sender = stopper.clone();
        let handler = move |event| {
            let _ = sender.send(Message::Event(event));
        };
        let watcher = notify::recommended_watcher(handler).map_err(|e| watch_error(root, &e))?;
        let mut watch = Watch { root: root.to_path_buf(), watcher, events, stopper };
        watch
            .watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, &e))?;
        for folder in WATCHED {
            watch.watch_folder(&root.join(folder));
        }
        Ok(watch)
    }

    /// A sender that ends [`Watch::next_batch`] with `None` when sent [`Message::Stop`].
    pub(crate) fn stopper(&self) -> Sender<Message> {
        self.stopper.clone()
    }

    fn watch_folder(&mut self, folder: &Path) {
        if folder.is_dir() {
            // A folder that vanishes between the check and the call is watched when it
            // comes back.
            let _ = self.watcher.watch(folder, RecursiveMode::Recursive);
        }
    }

    /// Waits for changes and returns them as one batch of paths; `None` once the
    /// watcher is gone.
    pub(crate) fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        let mut batch = Batch::default();
        while batch.paths.is_empty() {
            let Message::Event(event) = self.events.recv().ok()? else { return None };
            self.take(event, &mut batch);
        }
        let started = Instant::now();
        loop {
            let left = LONGEST.saturating_sub(started.elapsed());
            let quiet = if batch.unclosed.is_empty() { QUIET_CLOSED } else { QUIET };
            match self.events.recv_timeout(quiet.min(left)) {
                Ok(Message::Event(event)) if !left.is_zero() => self.take(event, &mut batch),
                Ok(Message::Event(event)) => {
                    self.take(event, &mut batch);
                    return Some(batch.paths.into_iter().collect());
                }
                Err(RecvTimeoutError::Timeout) => return Some(batch.paths.into_iter().collect()),
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Adds an event's paths that belong to the site's sources.
    fn take(&mut self, event: notify::Result<notify::Event>, batch: &mut Batch) {
        let Ok(event) = event else {
            // The watcher lost events (e.g. its queue overflowed): read everything again.
            batch.paths.insert(self.root.join("content"));
            batch.paths.insert(self.root.join(crate::config::FILE_NAME));
            batch.unclosed.insert(self.root.clone());
            return;
        };
        if event.kind == EventKind::Access(AccessKind::Close(AccessMode::Write)) {
            for path in &event.paths {
                batch.unclosed.remove(path);
            }
            return;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else { continue };
            let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
            let Some(top) = parts.next() else { continue };
            let is_source = WATCHED.contains(&top.as_ref()) || top == crate::config::FILE_NAME;
            let hidden = rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            if !is_source || hidden {
                continue;
            }
            if rel.components().count() == 1 && path.is_dir() {
                self.watch_folder(&path);
            }
            // Only a written file is closed; a rename or removal waits the full quiet.
            batch.unclosed.insert(path.clone());
            batch.paths.insert(path);
        }
    }
}

/// The changed paths of a batch, and those of them not (yet) closed after writing.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    unclosed: BTreeSet<PathBuf>,
}

fn watch_error(root: &Path, e: &notify::Error) -> Diagnostic {
    Diagnostic::file(root, crate::diag::Message::CannotWatch { cause: e.to_string() })
        .with_hint(Hint::InotifyWatches)
}
