//! Writing the output while the build still renders: a build hands each batch of files
//! to a [`Stream`] as soon as they are made (pages by the hundred, then the pages that
//! gather others, the search index, the copied files), so its memory holds a batch, not
//! the site. The same safety as [`super::write`]: new files go straight to their place,
//! changed ones beside it, and only [`Stream::finish`] renames them into place and
//! removes stale files; [`Stream::abort`] (or dropping the stream) takes back every file
//! and folder it made, so a failed build leaves the previous output as it was.
//!
//! The files are written on a thread of their own: the kernel's time creating files
//! (most of a big build's system time) overlaps the rendering of the next batch.
//!
//! The first file put at a path wins: a build puts its pages first, then the other files
//! in the order [`crate::incremental`] gives them precedence.

use std::collections::HashSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::{
    commit, discard, io_error, plain_target, prepare, remove_stale, stage, write_new, Content,
    OutputFile, Prepared, Staged, WriteStats,
};
use crate::diag::{Action, Diagnostic};

/// Batches waiting for the writer thread: enough to keep it busy, few enough that
/// memory holds only a few batches.
const QUEUED_BATCHES: usize = 4;

/// An output folder being written.
pub struct Stream {
    output: PathBuf,
    how: Option<How>,
}

enum How {
    Thread(mpsc::SyncSender<Vec<OutputFile>>, std::thread::JoinHandle<Writing>),
    /// When no thread could be started: each batch written as it comes.
    Here(Box<Writing>),
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
        let writing = Writing::new(output, prepared);
        let (sender, receiver) = mpsc::sync_channel::<Vec<OutputFile>>(QUEUED_BATCHES);
        let thread = std::thread::Builder::new().name("spiegel-write".into()).spawn(move || {
            let mut writing = writing;
            for batch in receiver {
                writing.put(batch);
            }
            writing
        });
        let how = match thread {
            Ok(handle) => How::Thread(sender, handle),
            // The closure, and with it `writing`, is gone: start again here.
            Err(_) => How::Here(Box::new(Writing::new(output, prepared))),
        };
        Ok(Stream { output: output.to_path_buf(), how: Some(how) })
    }

    /// Writes `files` (on the writer thread); a path already put keeps its first file.
    pub fn put(&mut self, files: Vec<OutputFile>) {
        if files.is_empty() {
            return;
        }
        match &mut self.how {
            Some(How::Thread(sender, _)) => {
                // A send fails only when the thread is gone: `finish` reports why.
                let _ = sender.send(files);
            }
            Some(How::Here(writing)) => writing.put(files),
            None => {}
        }
    }

    /// Puts the changed files in place and removes stale ones; on any problem takes
    /// back everything instead.
    pub fn finish(mut self) -> Result<Written, Diagnostic> {
        let Some(mut writing) = self.wait() else {
            let cause = "the thread writing the output stopped".to_string();
            let message = crate::diag::Message::CannotDo { action: Action::Write, cause };
            return Err(Diagnostic::file(&self.output, message));
        };
        if let Some(error) = writing.error.take() {
            writing.take_back();
            return Err(error);
        }
        writing.commit()
    }

    /// Takes back every file and folder the stream made: the build failed.
    pub fn abort(mut self) {
        if let Some(writing) = self.wait() {
            writing.take_back();
        }
    }

    /// The writing state once every batch is written.
    fn wait(&mut self) -> Option<Writing> {
        match self.how.take()? {
            How::Thread(sender, handle) => {
                drop(sender);
                handle.join().ok()
            }
            How::Here(writing) => Some(*writing),
        }
    }
}

impl Drop for Stream {
    /// A stream neither finished nor aborted (a panic on the way) takes back its files.
    fn drop(&mut self) {
        if let Some(writing) = self.wait() {
            writing.take_back();
        }
    }
}

/// The writer's state: what it wrote, and the first problem.
struct Writing {
    output: PathBuf,
    prepared: Prepared,
    produced: HashSet<String>,
    staged: Vec<Staged>,
    unchanged: usize,
    /// Folders known to exist, so each is created once.
    folders: HashSet<PathBuf>,
    error: Option<Diagnostic>,
}

impl Writing {
    fn new(output: &Path, prepared: Prepared) -> Writing {
        Writing {
            output: output.to_path_buf(),
            prepared,
            produced: HashSet::new(),
            staged: Vec::new(),
            unchanged: 0,
            folders: HashSet::new(),
            error: None,
        }
    }

    fn put(&mut self, files: Vec<OutputFile>) {
        for file in files {
            if self.error.is_some() {
                return;
            }
            if !self.produced.insert(file.path.clone()) {
                continue;
            }
            let result = match self.prepared.fresh {
                true => self.write_fresh(&file).map(Some),
                false => stage(&self.output, &file),
            };
            match result {
                Ok(Some(staged)) => self.staged.push(staged),
                Ok(None) => self.unchanged += 1,
                Err(e) => self.error = Some(e),
            }
        }
    }

    /// Writes a file into a folder that held nothing before: no file to compare with or
    /// protect, no link on the way.
    fn write_fresh(&mut self, file: &OutputFile) -> Result<Staged, Diagnostic> {
        let target = plain_target(&self.output, &file.path)?;
        if let Some(parent) = target.parent().filter(|p| !self.folders.contains(*p)) {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, Action::CreateFolder, &e))?;
            let mut folder = Some(parent);
            while let Some(dir) = folder.filter(|d| d.starts_with(&self.output)) {
                if !self.folders.insert(dir.to_path_buf()) {
                    break;
                }
                folder = dir.parent();
            }
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

    /// Renames the changed files into place, removes stale files.
    fn commit(mut self) -> Result<Written, Diagnostic> {
        self.staged.sort_by_key(Staged::in_place);
        for (i, file) in self.staged.iter().enumerate() {
            if let Err(e) = commit(file) {
                discard(&self.output, &self.staged[i..]);
                return Err(e);
            }
        }
        let produced: std::collections::BTreeSet<&str> =
            self.produced.iter().map(String::as_str).collect();
        let removed = if self.prepared.fresh { 0 } else { remove_stale(&self.output, &produced)? };
        let stats = WriteStats { written: self.staged.len(), unchanged: self.unchanged, removed };
        Ok(Written { stats, files: self.produced.len() })
    }

    fn take_back(self) {
        discard(&self.output, &self.staged);
        self.prepared.undo(&self.output);
    }
}

/// Writes a new file from its parts, without putting them together in memory first.
fn write_parts(target: &Path, parts: &super::Parts) -> std::io::Result<()> {
    let file = fs::File::create_new(target)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let written = parts.0.iter().try_for_each(|part| out.write_all(part.as_bytes()));
    let written = written.and_then(|()| out.flush());
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

    fn read(dir: &Path, path: &str) -> String {
        fs::read_to_string(dir.join(path)).unwrap_or_default()
    }

    #[test]
    fn the_first_file_at_a_path_wins_and_parts_are_joined() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/index.html", "page"), file("a/card.js", "card")]);
        let parts: Vec<std::sync::Arc<str>> = vec!["boek: ".into(), "een, ".into(), "twee".into()];
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
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/index.html", "A"), file("b/index.html", "B")]);
        stream.finish().unwrap();
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
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut stream = Stream::open(&out).unwrap();
        stream.put(vec![file("a/index.html", "A"), file("b/index.html", "B")]);
        stream.finish().unwrap();
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
