//! Text parked in a temporary file between the stage that makes it and the one that
//! uses it, so that a build's memory does not grow with it.
//!
//! A one-shot build makes some things from every page long before it can use them: the
//! plain text of each page for the search index (which needs every page's words before
//! it can weigh any) and each entry's card and contents line for its kind's book (which
//! is written in one piece, after all of them). Together they are larger than the site's
//! Markdown. A [`Spill`] is one unnamed temporary file that any thread appends such bytes
//! to, getting back a [`Parked`] handle to read them with later. The operating system
//! keeps a file this recent in its cache: reading it back is a copy, not a disk read.
//!
//! Used by `search` ([`crate::search::ParkedDoc`]) and by the books
//! ([`crate::write::Piece`]); `serve`, which keeps everything between builds, parks
//! nothing.

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::diag::{Action, Diagnostic, Message};

/// The temporary file. It has no name on Unix (it is removed as soon as it is opened);
/// elsewhere it is removed when the spill is dropped.
#[derive(Debug)]
pub struct Spill {
    file: File,
    /// Where the next bytes go.
    end: AtomicU64,
    /// The file's path while it has one.
    path: Option<PathBuf>,
}

/// Bytes parked in a [`Spill`]: where, and how many.
#[derive(Debug, Clone)]
pub struct Parked {
    spill: Arc<Spill>,
    at: u64,
    len: usize,
}

impl Spill {
    /// A new, empty spill file in the system's temporary folder.
    pub fn new() -> io::Result<Arc<Spill>> {
        let folder = std::env::temp_dir();
        let mut attempt = 0u32;
        loop {
            let path = folder.join(format!(".spiegel-spill-{}-{attempt}", std::process::id()));
            let file =
                std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path);
            match file {
                Ok(file) => {
                    // Unix lets an open file lose its name: nothing is left behind even
                    // if the build is killed.
                    let path = match cfg!(unix) && std::fs::remove_file(&path).is_ok() {
                        true => None,
                        false => Some(path),
                    };
                    return Ok(Arc::new(Spill { file, end: AtomicU64::new(0), path }));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Appends `bytes` to the file (from any thread).
    pub fn park(self: &Arc<Self>, bytes: &[u8]) -> io::Result<Parked> {
        let at = self.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        write_at(&self.file, bytes, at)?;
        Ok(Parked { spill: Arc::clone(self), at, len: bytes.len() })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            // A file left in the temporary folder is no loss: it is only a copy.
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Parked bytes could not be read back: a diagnostic at the temporary folder.
pub fn read_error(e: &io::Error) -> Diagnostic {
    let message = Message::CannotDo { action: Action::Read, cause: e.to_string() };
    Diagnostic::file(std::env::temp_dir(), message)
}

impl Parked {
    /// How many bytes are parked.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The parked bytes.
    pub fn read(&self) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; self.len];
        read_at(&self.spill.file, &mut bytes, self.at)?;
        Ok(bytes)
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_write(bytes, at)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => (bytes, at) = (&bytes[n..], at + n as u64),
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_read(bytes, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => (bytes, at) = (&mut bytes[n..], at + n as u64),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn bytes_parked_from_many_threads_read_back_as_they_were() {
        let spill = Spill::new().unwrap();
        let text = |n: usize| format!("{n}: {}", "één \u{1F476} ".repeat(n % 37));
        let parked: Vec<Parked> =
            (0..500).into_par_iter().map(|n| spill.park(text(n).as_bytes()).unwrap()).collect();
        for (n, p) in parked.iter().enumerate() {
            assert_eq!(p.len(), text(n).len());
            assert_eq!(p.read().unwrap(), text(n).into_bytes());
        }
        assert!(spill.park(b"").unwrap().read().unwrap().is_empty());
    }

    #[test]
    fn the_file_goes_with_the_spill() {
        let before = leftovers();
        let spill = Spill::new().unwrap();
        let parked = spill.park(b"tekst").unwrap();
        drop(spill);
        // Still readable while a handle holds the file.
        assert_eq!(parked.read().unwrap(), b"tekst");
        drop(parked);
        assert_eq!(leftovers(), before, "no file left in the temporary folder");
    }

    /// This process's spill files in the temporary folder.
    fn leftovers() -> usize {
        let prefix = format!(".spiegel-spill-{}-", std::process::id());
        std::fs::read_dir(std::env::temp_dir())
            .map(|dir| {
                dir.flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                    .count()
            })
            .unwrap_or(0)
    }
}
