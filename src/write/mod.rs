//! Writing the output folder so that a failed build leaves the previous output as it was.
//!
//! Replaces each changed file atomically (temporary file in the same folder, then
//! rename, only once every file is there), writes new files straight into place
//! (removed again if the build fails), leaves unchanged files alone so repeated builds
//! stay fast, and removes files the site no longer produces. It refuses output folders
//! that would put the site itself at risk, and folders it did not make. [`write`] takes
//! the complete list of output files; [`stream::Stream`] takes them while the build
//! still renders, so a build never holds all its output in memory.

pub mod stream;

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Action, Diagnostic, Hint, Message, Refusal};
use crate::spill::{Parked, Spill};

/// A marker in every output folder spiegel writes: only such a folder (or an empty
/// or new one) is ever cleaned of stale files.
pub const MARKER: &str = ".spiegel-output";

/// What one output file holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copied from a file of the site or theme.
    Copy(PathBuf),
    /// Text put together from parts, one after another: a page gathering many kept
    /// parts (a book), which an update changes a part at a time without copying the rest.
    Parts(Parts),
}

impl Content {
    /// Bytes held in memory (none for a file still to be copied).
    pub fn bytes_held(&self) -> usize {
        match self {
            Content::Bytes(bytes) => bytes.len(),
            Content::Copy(_) => 0,
            Content::Parts(parts) => parts.0.iter().map(Piece::held).sum(),
        }
    }
}

/// Shared parts of a text, in order; cloning shares them.
#[derive(Debug, Clone)]
pub struct Parts(pub Arc<[Piece]>);

/// One part of a [`Parts`] text: held in memory, or parked in a temporary file by a
/// one-shot build (a book's cards, which it writes only after making all of them).
#[derive(Debug, Clone)]
pub enum Piece {
    Text(Arc<str>),
    Parked(Parked),
}

impl Piece {
    /// `text` parked in `spill`, or held in memory where there is none or it cannot be
    /// written.
    pub fn parked_or_held(spill: Option<&Arc<Spill>>, text: String) -> Piece {
        match spill.map(|spill| spill.park(text.as_bytes())) {
            Some(Ok(parked)) => Piece::Parked(parked),
            _ => Piece::Text(text.into()),
        }
    }

    /// Bytes held in memory.
    fn held(&self) -> usize {
        match self {
            Piece::Text(text) => text.len(),
            Piece::Parked(_) => 0,
        }
    }

    fn len(&self) -> usize {
        match self {
            Piece::Text(text) => text.len(),
            Piece::Parked(parked) => parked.len(),
        }
    }

    fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Piece::Text(text) => Ok(std::borrow::Cow::Borrowed(text.as_bytes())),
            Piece::Parked(parked) => parked.read().map(std::borrow::Cow::Owned),
        }
    }
}

impl Parts {
    /// The whole text; fails only when a parked part cannot be read back.
    pub fn join(&self) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(self.0.iter().map(Piece::len).sum());
        self.write_to(&mut bytes)?;
        Ok(bytes)
    }

    /// Writes the parts one after another, without putting them together first.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        self.0.iter().try_for_each(|piece| out.write_all(&piece.bytes()?))
    }
}

/// Parts kept between updates are the same parts: only the others are compared.
impl PartialEq for Parts {
    fn eq(&self, other: &Parts) -> bool {
        let same = |(a, b): (&Piece, &Piece)| match (a, b) {
            (Piece::Text(a), Piece::Text(b)) => Arc::ptr_eq(a, b) || a == b,
            (a, b) => matches!((a.bytes(), b.bytes()), (Ok(x), Ok(y)) if x == y),
        };
        self.0.len() == other.0.len() && self.0.iter().zip(other.0.iter()).all(same)
    }
}

/// One file of the output, site-relative path with `/` separators.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub content: Content,
}

/// What a write did, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Refuses an output folder that is, or contains, the site root or its content.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| {
        fs::canonicalize(p)
            .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    let out = absolute(output);
    let root_abs = absolute(root);
    let protected = [
        root_abs.clone(),
        root_abs.join("content"),
        root_abs.join("themes"),
        root_abs.join("static"),
        root_abs.join("templates"),
    ];
    for dir in &protected {
        if dir.starts_with(&out) || out.starts_with(dir) && dir != &root_abs {
            return Err(
                Diagnostic::file(output, Message::WriteIntoSite).with_hint(Hint::OutputOutsideSite)
            );
        }
    }
    if out.is_file() {
        return Err(
            Diagnostic::file(output, Message::OutputIsFile).with_hint(Hint::RemoveOrOtherOutput)
        );
    }
    Ok(())
}

/// Writes `files` into `output`. Nothing is written if the folder is not ours, and
/// nothing is replaced unless every changed file could be written first: each goes to
/// a temporary file beside its target, and only when all are there are they renamed
/// into place; a file that is new goes straight to its place, and is removed again if
/// any other fails. A full disk, a vanished source file or a folder that cannot be written
/// to leaves the previous output as it was.
pub fn write(output: &Path, files: &[OutputFile]) -> Result<WriteStats, Diagnostic> {
    let fresh = prepare(output)?.fresh;
    let results: Vec<Result<Option<Staged>, Diagnostic>> =
        files.par_iter().map(|f| stage(output, f)).collect();
    let mut staged = Vec::new();
    let mut stats = WriteStats::default();
    let mut first_error = None;
    for result in results {
        match result {
            Ok(Some(file)) => staged.push(file),
            Ok(None) => stats.unchanged += 1,
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_error {
        discard(output, &staged);
        return Err(e);
    }
    // Renames first: should one fail, the new files written in place (last) go too.
    staged.sort_by_key(Staged::in_place);
    for (i, file) in staged.iter().enumerate() {
        if let Err(e) = commit(file) {
            discard(output, &staged[i..]);
            return Err(e);
        }
    }
    stats.written = staged.len();
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    // A folder that held nothing before has nothing stale: no need to walk it.
    stats.removed = if fresh { 0 } else { remove_stale(output, &produced)? };
    Ok(stats)
}

/// A changed file written to its temporary place, waiting to be renamed onto `target`;
/// or a new file, written in place (`temporary` is `target`).
struct Staged {
    temporary: PathBuf,
    target: PathBuf,
}

impl Staged {
    fn in_place(&self) -> bool {
        self.temporary == self.target
    }
}

/// Writes one file's new bytes beside its target; `None` if its bytes did not change.
fn stage(output: &Path, file: &OutputFile) -> Result<Option<Staged>, Diagnostic> {
    let target = target_path(output, &file.path)?;
    let bytes = match &file.content {
        Content::Bytes(bytes) => std::borrow::Cow::Borrowed(bytes.as_slice()),
        Content::Copy(source) => std::borrow::Cow::Owned(
            fs::read(source).map_err(|e| io_error(source, Action::Read, &e))?,
        ),
        Content::Parts(parts) => {
            std::borrow::Cow::Owned(parts.join().map_err(|e| crate::spill::read_error(&e))?)
        }
    };
    let exists = match fs::symlink_metadata(&target) {
        Ok(meta) => {
            let same = meta.is_file()
                && meta.len() == bytes.len() as u64
                && fs::read(&target).is_ok_and(|old| old == *bytes);
            if same {
                return Ok(None);
            }
            true
        }
        Err(_) => false,
    };
    let parent = target.parent().unwrap_or(output);
    fs::create_dir_all(parent).map_err(|e| io_error(parent, Action::CreateFolder, &e))?;
    // A new file has nothing to protect: it goes straight to its place (`create_new`
    // refuses to replace anything that appeared meanwhile), saving a rename per file.
    if !exists {
        match write_new(&target, &bytes) {
            Ok(()) => return Ok(Some(Staged { temporary: target.clone(), target })),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_error(&target, Action::Write, &e)),
        }
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = parent.join(format!(".{name}.spiegel-tmp"));
    let written = fs::File::create(&temporary).and_then(|mut f| {
        f.write_all(&bytes)?;
        f.flush()
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&temporary);
        return Err(io_error(&target, Action::Write, &e));
    }
    Ok(Some(Staged { temporary, target }))
}

/// Writes a file that must not exist yet; a partly written one is removed again.
fn write_new(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::File::create_new(target)?;
    let written = file.write_all(bytes).and_then(|()| file.flush());
    if written.is_err() {
        let _ = fs::remove_file(target);
    }
    written
}

/// `output/path`, refusing a path that could lead out of the output folder: not plain
/// relative names, or through a link someone put in the output folder.
fn target_path(output: &Path, path: &str) -> Result<PathBuf, Diagnostic> {
    plain_target(output, path)?;
    let mut at = output.to_path_buf();
    let mut parts = Path::new(path).components();
    for part in parts.by_ref() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refusal(output, path, Refusal::LinkOnTheWay));
            }
            Ok(_) => {}
            // Nothing below a missing folder can exist, let alone be a link.
            Err(_) => break,
        }
    }
    at.extend(parts);
    Ok(at)
}

/// `output/path`, refusing a path that is not plain relative names; in a folder that
/// held nothing before, where no link can be on the way.
fn plain_target(output: &Path, path: &str) -> Result<PathBuf, Diagnostic> {
    let plain = !path.is_empty()
        && Path::new(path).components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain || path.contains('\\') {
        return Err(refusal(output, path, Refusal::LeavesOutput));
    }
    Ok(output.join(path))
}

fn refusal(output: &Path, path: &str, why: Refusal) -> Diagnostic {
    Diagnostic::file(output.join(path), Message::RefuseWrite { why })
        .with_hint(Hint::OnlyInsideOutput)
}

/// Puts a staged file in place of its target.
fn commit(file: &Staged) -> Result<(), Diagnostic> {
    if file.in_place() {
        return Ok(());
    }
    if fs::symlink_metadata(&file.target).is_ok_and(|m| m.is_dir()) {
        fs::remove_dir_all(&file.target)
            .map_err(|e| io_error(&file.target, Action::ReplaceFolder, &e))?;
    }
    fs::rename(&file.temporary, &file.target).map_err(|e| io_error(&file.target, Action::Write, &e))
}

/// Removes staged files that will not be used, and the folders staging made for them.
fn discard(output: &Path, staged: &[Staged]) {
    for file in staged {
        let _ = fs::remove_file(&file.temporary);
        let mut folder = file.temporary.parent();
        // Only empty folders go, so folders of the previous output stay.
        while let Some(dir) = folder.filter(|d| *d != output && d.starts_with(output)) {
            if fs::remove_dir(dir).is_err() {
                break;
            }
            folder = dir.parent();
        }
    }
}

fn io_error(path: &Path, action: Action, e: &std::io::Error) -> Diagnostic {
    let hint = match e.kind() {
        std::io::ErrorKind::PermissionDenied => Hint::MayWriteOutput,
        std::io::ErrorKind::StorageFull => Hint::DiskFull,
        _ => Hint::CheckOutput,
    };
    Diagnostic::file(path, Message::CannotDo { action, cause: e.to_string() }).with_hint(hint)
}

/// What [`prepare`] found and made.
#[derive(Clone, Copy)]
struct Prepared {
    /// The folder held nothing before (no folder, an empty one, or only the marker).
    fresh: bool,
    made_folder: bool,
    made_marker: bool,
}

impl Prepared {
    /// Takes back what [`prepare`] made, after a failed build.
    fn undo(&self, output: &Path) {
        if self.made_marker {
            let _ = fs::remove_file(output.join(MARKER));
        }
        if self.made_folder {
            let _ = fs::remove_dir(output);
        }
    }
}

/// Creates the folder, or checks that an existing one is ours (or empty), and marks it.
fn prepare(output: &Path) -> Result<Prepared, Diagnostic> {
    let mut fresh = true;
    let made_folder = !output.is_dir();
    if !made_folder {
        let ours = output.join(MARKER).is_file();
        let empty = fs::read_dir(output)
            .map_err(|e| io_error(output, Action::ReadOutput, &e))?
            .next()
            .is_none();
        fresh = empty || ours && only_marker(output);
        if !ours && !empty {
            return Err(Diagnostic::file(output, Message::OutputNotOurs)
                .with_hint(Hint::OnlyOurFolders { marker: MARKER.to_string() }));
        }
    } else {
        fs::create_dir_all(output).map_err(|e| io_error(output, Action::CreateOutput, &e))?;
    }
    let marker = output.join(MARKER);
    let made_marker = !marker.is_file();
    if made_marker {
        fs::write(
            &marker,
            "This folder is written by spiegel build; its files are replaced on every build.\n",
        )
        .map_err(|e| io_error(&marker, Action::Write, &e))?;
    }
    Ok(Prepared { fresh, made_folder, made_marker })
}

fn only_marker(output: &Path) -> bool {
    fs::read_dir(output)
        .is_ok_and(|mut entries| entries.all(|e| e.is_ok_and(|e| e.file_name() == MARKER)))
}

/// Removes files (and then empty folders) under `output` that were not produced.
fn remove_stale(output: &Path, produced: &BTreeSet<&str>) -> Result<usize, Diagnostic> {
    let mut removed = 0;
    let mut folders = Vec::new();
    for entry in walkdir::WalkDir::new(output).min_depth(1).into_iter().filter_map(Result::ok) {
        let rel = entry
            .path()
            .strip_prefix(output)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            folders.push(entry.path().to_path_buf());
        } else if rel != MARKER && !produced.contains(rel.as_str()) {
            fs::remove_file(entry.path())
                .map_err(|e| io_error(entry.path(), Action::RemoveOld, &e))?;
            removed += 1;
        }
    }
    // Deepest first, so a folder emptied by removing its subfolders goes too.
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for folder in folders {
        let _ = fs::remove_dir(folder); // fails, as wanted, for folders that still hold files
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), content: Content::Bytes(text.as_bytes().to_vec()) }
    }

    #[test]
    fn writes_changes_only_and_removes_stale_files() {
        let dir = std::env::temp_dir().join(format!("spiegel-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let stats = write(&dir, &[file("a/index.html", "A"), file("b/index.html", "B")]).unwrap();
        assert_eq!(stats, WriteStats { written: 2, unchanged: 0, removed: 0 });
        let stats = write(&dir, &[file("a/index.html", "A2")]).unwrap();
        assert_eq!(stats, WriteStats { written: 1, unchanged: 0, removed: 1 });
        assert_eq!(fs::read_to_string(dir.join("a/index.html")).unwrap(), "A2");
        assert!(!dir.join("b").exists(), "the emptied folder is removed");
        let stats = write(&dir, &[file("a/index.html", "A2")]).unwrap();
        assert_eq!(stats, WriteStats { written: 0, unchanged: 1, removed: 0 });
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Every file under `dir` with its text.
    fn contents(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                (rel, fs::read_to_string(e.path()).unwrap_or_default())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write(&out, &[file("a/index.html", "A"), file("b/index.html", "B")]).unwrap();
        let before = contents(&out);
        let vanished = OutputFile {
            path: "foto.jpg".into(),
            content: Content::Copy(dir.path().join("weg.jpg")),
        };
        let files = [file("a/index.html", "A2"), file("c/d/index.html", "C"), vanished];
        let err = write(&out, &files).unwrap_err();
        assert!(
            err.message.text(crate::diag::Lang::En).starts_with("cannot read: "),
            "{}",
            err.message.text(crate::diag::Lang::En)
        );
        assert_eq!(contents(&out), before, "no file replaced, added or left behind");
        assert!(!out.join("c").exists(), "folders made for the new files are gone again");
    }

    #[test]
    fn never_writes_outside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elders");
        fs::create_dir_all(&elsewhere).unwrap();
        for path in ["../x.html", "/tmp/x.html", "a/../../x.html", "", "a\\..\\..\\x.html"] {
            let err = write(&out, &[file(path, "x")]).unwrap_err();
            assert!(
                err.message.text(crate::diag::Lang::En).contains("leads out of the output folder"),
                "{path}: {}",
                err.message.text(crate::diag::Lang::En)
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&elsewhere, out.join("link")).unwrap();
            let err = write(&out, &[file("link/index.html", "x")]).unwrap_err();
            assert!(
                err.message.text(crate::diag::Lang::En).contains("holds a link"),
                "{}",
                err.message.text(crate::diag::Lang::En)
            );
        }
        assert_eq!(contents(&elsewhere), [], "nothing was written through the link");
        assert!(!dir.path().join("x.html").exists());
    }

    #[test]
    fn refuses_a_folder_it_did_not_make() {
        let dir = std::env::temp_dir().join(format!("spiegel-foreign-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("thesis.docx"), "precious").unwrap();
        let err = write(&dir, &[file("index.html", "x")]).unwrap_err();
        assert!(
            err.message.text(crate::diag::Lang::En).contains("did not write"),
            "{}",
            err.message.text(crate::diag::Lang::En)
        );
        assert_eq!(fs::read_to_string(dir.join("thesis.docx")).unwrap(), "precious");
        fs::remove_dir_all(&dir).unwrap();
    }
}
