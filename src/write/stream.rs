//! Writing the output while the build still renders: a build hands each batch of files
//! to a [`Stream`] as soon as they are made (pages by the hundred, then the pages that
//! gather others, the search index, the copied files), so its memory holds a batch, not
//! the site. The same safety as [`super::write`]: new files go straight to their place,
//! changed ones beside it, and only [`Stream::finish`] renames them into place and
//! removes stale files; [`Stream::abort`] (or dropping the stream) takes back every file
//! and folder it made, so a failed build leaves the previous output as it was.
//!
//! The files are written by a thread of their own (a pool of [`WRITERS`]): the kernel's
//! time creating files (most of a big build's system time) overlaps the rendering.
//!
//! The first file put at a path wins: a build puts its pages first, then the other files
//! in the order [`crate::incremental`] gives them precedence.

use std::collections::HashSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};

use super::{
    commit, discard, io_error, plain_target, prepare, remove_stale, stage, write_new, Content,
    OutputFile, Prepared, Staged, WriteStats,
};
use crate::diag::{Action, Diagnostic, Message};

/// Threads writing files. More than one only adds contention in the kernel: on this
/// project's machine (ext4 on a virtual disk), four writers spent three times the
/// system time of one and took longer (`/usr/bin/time`, 10,000 entries, alternating).
const WRITERS: usize = 1;

/// Bytes waiting for a writer at most (a larger batch still goes, alone): rendering goes
/// on while the disk is slow, and memory holds a bounded part of the output. (A queue of
/// two pages made the renderers wait for every stall of the disk.)
const QUEUED_BYTES: usize = 64 << 20;

/// Batches on their way to the writers, with their size in bytes.
type Batch = (Vec<OutputFile>, usize);

/// An output folder being written.
pub struct Stream {
    shared: Arc<Shared>,
    prepared: Prepared,
    /// Every path put so far.
    produced: HashSet<String>,
    sender: Option<Sender>,
    writers: Vec<std::thread::JoinHandle<Done>>,
}

/// Hands files to a stream's writers from any thread, without the first-file-wins
/// check: for files at paths nothing else can take, claimed with [`Stream::claim`].
/// Every sender must be gone before [`Stream::finish`], which waits for the writers.
#[derive(Clone)]
pub struct Sender {
    batches: mpsc::Sender<Batch>,
    queue: Arc<Queue>,
}

impl Sender {
    pub fn put(&self, files: Vec<OutputFile>) {
        if files.is_empty() {
            return;
        }
        let bytes = files.iter().map(|f| f.content.bytes_held()).sum();
        self.queue.reserve(bytes);
        // A send fails only when every writer is gone: `finish` reports why.
        if self.batches.send((files, bytes)).is_err() {
            self.queue.release(bytes);
        }
    }
}

/// How many bytes wait for the writers; senders wait for room.
#[derive(Default)]
struct Queue {
    /// Bytes queued, and whether the writers are gone (then nobody waits).
    state: Mutex<(usize, bool)>,
    room: Condvar,
}

impl Queue {
    fn reserve(&self, bytes: usize) {
        let Ok(mut state) = self.state.lock() else { return };
        while state.0 > 0 && state.0 + bytes > QUEUED_BYTES && !state.1 {
            match self.room.wait(state) {
                Ok(next) => state = next,
                Err(_) => return,
            }
        }
        state.0 += bytes;
    }

    fn release(&self, bytes: usize) {
        if let Ok(mut state) = self.state.lock() {
            state.0 = state.0.saturating_sub(bytes);
        }
        self.room.notify_all();
    }

    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.1 = true;
        }
        self.room.notify_all();
    }
}

/// Closes the queue when a writer ends, even by a panic: no sender waits for it then.
struct Closing(Arc<Queue>);

impl Drop for Closing {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// What the writers share.
struct Shared {
    output: PathBuf,
    /// The folder held nothing before: no file to compare with, no link on the way.
    fresh: bool,
    /// Folders known to exist, so each is created once.
    folders: Mutex<HashSet<PathBuf>>,
    /// A writer failed: the others stop, the build's output will be taken back.
    failed: AtomicBool,
}

/// What one writer did.
#[derive(Default)]
struct Done {
    staged: Vec<Staged>,
    unchanged: usize,
    error: Option<Diagnostic>,
}

/// What a finished stream wrote.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub stats: WriteStats,
    /// Files the site has (written or unchanged).
    pub files: usize,
}

impl Stream {
    /// Checks that `output` is ours (or new or empty), creates and marks it.
    pub fn open(output: &Path) -> Result<Stream, Diagnostic> {
        let prepared = prepare(output)?;
        let shared = Arc::new(Shared {
            output: output.to_path_buf(),
            fresh: prepared.fresh,
            folders: Mutex::new(HashSet::new()),
            failed: AtomicBool::new(false),
        });
        let (batches, receiver) = mpsc::channel::<Batch>();
        let receiver = Arc::new(Mutex::new(receiver));
        let queue = Arc::new(Queue::default());
        let writers = (0..WRITERS)
            .filter_map(|n| {
                let (shared, receiver) = (Arc::clone(&shared), Arc::clone(&receiver));
                let closing = Closing(Arc::clone(&queue));
                let writer = move || {
                    let mut done = Done::default();
                    // The lock is held only while waiting for the next batch.
                    let next = || receiver.lock().ok().and_then(|r| r.recv().ok());
                    while let Some((batch, bytes)) = next() {
                        shared.write_batch(batch, &mut done);
                        closing.0.release(bytes);
                    }
                    drop(closing);
                    done
                };
                std::thread::Builder::new().name(format!("spiegel-write-{n}")).spawn(writer).ok()
            })
            .collect::<Vec<_>>();
        if writers.is_empty() {
            let cause = "no thread to write the output could start".to_string();
            prepared.undo(output);
            return Err(Diagnostic::file(
                output,
                Message::CannotDo { action: Action::Write, cause },
            ));
        }
        let sender = Some(Sender { batches, queue });
        Ok(Stream { shared, prepared, produced: HashSet::new(), sender, writers })
    }

    /// Writes `files` (on a writer thread); a path already put keeps its first file.
    pub fn put(&mut self, mut files: Vec<OutputFile>) {
        files.retain(|file| self.produced.insert(file.path.clone()));
        if let Some(sender) = &self.sender {
            sender.put(files);
        }
    }

    /// A sender for files whose paths are claimed (with [`Stream::claim`]) by no one else.
    pub fn sender(&self) -> Option<Sender> {
        self.sender.clone()
    }

    /// Notes paths put through a [`Sender`]: files put later at them are left out.
    pub fn claim(&mut self, paths: impl IntoIterator<Item = String>) {
        self.produced.extend(paths);
    }

    /// Puts the changed files in place and removes stale ones; on any problem takes
    /// back everything instead.
    pub fn finish(mut self) -> Result<Written, Diagnostic> {
        let (mut done, all_back) = self.wait();
        if !all_back && done.error.is_none() {
            let cause = "a thread writing the output stopped".to_string();
            let message = Message::CannotDo { action: Action::Write, cause };
            done.error = Some(Diagnostic::file(&self.shared.output, message));
        }
        if let Some(error) = done.error.take() {
            self.take_back(&done.staged);
            return Err(error);
        }
        let output = &self.shared.output;
        let mut staged = done.staged;
        staged.sort_by_key(Staged::in_place);
        for (i, file) in staged.iter().enumerate() {
            if let Err(e) = commit(file) {
                discard(output, &staged[i..]);
                return Err(e);
            }
        }
        let produced: std::collections::BTreeSet<&str> =
            self.produced.iter().map(String::as_str).collect();
        let removed = if self.shared.fresh { 0 } else { remove_stale(output, &produced)? };
        let stats = WriteStats { written: staged.len(), unchanged: done.unchanged, removed };
        Ok(Written { stats, files: self.produced.len() })
    }

    /// Takes back every file and folder the stream made: the build failed.
    pub fn abort(mut self) {
        let (done, _) = self.wait();
        self.take_back(&done.staged);
    }

    /// What all writers did, once every batch is written, and whether every writer
    /// came back (none stopped on the way).
    fn wait(&mut self) -> (Done, bool) {
        drop(self.sender.take());
        let mut all = Done::default();
        let mut all_back = true;
        for writer in std::mem::take(&mut self.writers) {
            match writer.join() {
                Ok(done) => {
                    all.staged.extend(done.staged);
                    all.unchanged += done.unchanged;
                    all.error = all.error.or(done.error);
                }
                Err(_) => all_back = false,
            }
        }
        (all, all_back)
    }

    fn take_back(&mut self, staged: &[Staged]) {
        discard(&self.shared.output, staged);
        self.prepared.undo(&self.shared.output);
        // Taken back once: a drop after `abort` or a failed `finish` leaves it at that.
        self.prepared =
            Prepared { fresh: self.prepared.fresh, made_folder: false, made_marker: false };
    }
}

impl Drop for Stream {
    /// A stream neither finished nor aborted (a panic on the way) takes back its files.
    fn drop(&mut self) {
        if self.sender.is_some() || !self.writers.is_empty() {
            let (done, _) = self.wait();
            self.take_back(&done.staged);
        }
    }
}

impl Shared {
    fn write_batch(&self, batch: Vec<OutputFile>, done: &mut Done) {
        for file in batch {
            if self.failed.load(Ordering::Relaxed) {
                return;
            }
            let result = match self.fresh {
                true => self.write_fresh(&file).map(Some),
                false => stage(&self.output, &file),
            };
            match result {
                Ok(Some(staged)) => done.staged.push(staged),
                Ok(None) => done.unchanged += 1,
                Err(e) => {
                    done.error.get_or_insert(e);
                    self.failed.store(true, Ordering::Relaxed);
                }
            }
        }
    }

    /// Writes a file into a folder that held nothing before: no file to compare with or
    /// protect, no link on the way.
    fn write_fresh(&self, file: &OutputFile) -> Result<Staged, Diagnostic> {
        let target = plain_target(&self.output, &file.path)?;
        if let Some(parent) = target.parent() {
            self.make_folder(parent)?;
        }
        let written = match &file.content {
            Content::Bytes(bytes) => write_new(&target, bytes),
            Content::Copy(source) => {
                let bytes = fs::read(source).map_err(|e| io_error(source, Action::Read, &e))?;
                write_new(&target, &bytes)
            }
            Content::Parts(parts) => write_parts(&target, parts),
        };
        written.map_err(|e| io_error(&target, Action::Write, &e))?;
        Ok(Staged { temporary: target.clone(), target })
    }

    /// Creates `folder` and the folders above it, unless known to exist.
    fn make_folder(&self, folder: &Path) -> Result<(), Diagnostic> {
        let known = |f: &Path| self.folders.lock().is_ok_and(|folders| folders.contains(f));
        if known(folder) {
            return Ok(());
        }
        fs::create_dir_all(folder).map_err(|e| io_error(folder, Action::CreateFolder, &e))?;
        if let Ok(mut folders) = self.folders.lock() {
            let mut at = Some(folder);
            while let Some(dir) = at.filter(|d| d.starts_with(&self.output)) {
                if !folders.insert(dir.to_path_buf()) {
                    break;
                }
                at = dir.parent();
            }
        }
        Ok(())
    }
}

/// Writes a new file from its parts, without putting them together in memory first.
fn write_parts(target: &Path, parts: &super::Parts) -> std::io::Result<()> {
    let file = fs::File::create_new(target)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let written = parts.write_to(&mut out).and_then(|()| out.flush());
    if written.is_err() {
        let _ = fs::remove_file(target);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), content: Content::Bytes(text.as_bytes().to_vec()) }
    }

    /// An output folder with a first build in it: two pages, `a/` and `b/`.
    fn first_build() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/index.html", "A"), file("b/index.html", "B")]);
        stream.finish().unwrap();
        (dir, out)
    }

    fn read(dir: &Path, path: &str) -> String {
        fs::read_to_string(dir.join(path)).unwrap_or_default()
    }

    #[test]
    fn the_first_file_at_a_path_wins_and_parts_are_joined() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/index.html", "page"), file("a/card.js", "card")]);
        // One part parked in a spill file, as a one-shot build parks a book's cards.
        let spill = crate::spill::Spill::new().unwrap();
        let parked = super::super::Piece::Parked(spill.park(b"een, ").unwrap());
        let text = |t: &str| super::super::Piece::Text(t.into());
        let parts = vec![text("boek: "), parked, text("twee")];
        let book = OutputFile {
            path: "boek/index.html".into(),
            content: Content::Parts(super::super::Parts(parts.into())),
        };
        stream.put(vec![file("a/index.html", "listing"), book]);
        let written = stream.finish().unwrap();
        assert_eq!(written.files, 3);
        assert_eq!(written.stats, WriteStats { written: 3, unchanged: 0, removed: 0 });
        assert_eq!(read(&out, "a/index.html"), "page");
        assert_eq!(read(&out, "boek/index.html"), "boek: een, twee");
    }

    #[test]
    fn an_aborted_first_build_leaves_no_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/b/index.html", "A"), file("c/index.html", "C")]);
        stream.abort();
        assert!(!out.exists(), "the folder the stream made is gone again");
    }

    #[test]
    fn an_aborted_build_leaves_the_previous_output_as_it_was() {
        let (_dir, out) = first_build();
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/index.html", "A2"), file("n/index.html", "new")]);
        drop(stream);
        assert_eq!(read(&out, "a/index.html"), "A");
        assert!(!out.join("n").exists(), "a new file and its folder are taken back");
        let left = walkdir::WalkDir::new(&out).into_iter().flatten().count();
        assert_eq!(left, 6, "the folder, its marker, two folders and two pages");
    }

    #[test]
    fn a_later_build_replaces_changed_files_and_removes_stale_ones() {
        let (_dir, out) = first_build();
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/index.html", "A2"), file("c/index.html", "C")]);
        let written = stream.finish().unwrap();
        assert_eq!(written.stats, WriteStats { written: 2, unchanged: 0, removed: 1 });
        assert_eq!(read(&out, "a/index.html"), "A2");
        assert!(!out.join("b").exists());
    }

    #[test]
    fn a_failed_write_is_reported_at_the_finish_and_takes_everything_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut stream = Stream::open(&out).unwrap();
        let vanished = OutputFile {
            path: "foto.jpg".into(),
            content: Content::Copy(dir.path().join("weg.jpg")),
        };
        stream.put(vec![file("a/index.html", "A"), vanished, file("b/index.html", "B")]);
        let err = stream.finish().unwrap_err();
        assert!(err.message.text(crate::diag::Lang::En).starts_with("cannot read: "));
        assert!(!out.exists());
    }
}
