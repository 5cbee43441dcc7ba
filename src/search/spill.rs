//! Page texts parked in a temporary file between rendering and indexing.
//!
//! `spiegel build` renders every page before it indexes any: the index needs every
//! page's words to weigh any one of them. The plain text of all sections is about as
//! large as the site's Markdown, so holding it all until then would be the largest part
//! of the build's memory. A [`Spill`] writes each page's sections to one unnamed
//! temporary file as the page is rendered, from any thread, and [`index_once`] reads
//! them back a chunk of pages at a time; what stays in memory is the small rest of each
//! [`SearchDoc`] (url, title, kind, tags, facets). The operating system keeps a recent
//! file in its cache, so reading it back is a copy, not a disk read.
//!
//! Takes [`SearchDoc`]s; hands on [`ParkedDoc`]s, which [`index_once`] reads through
//! [`Doc::full`]. Where no temporary file can be made or written, a page stays in memory:
//! the build takes more memory, but it does not fail for it.
//!
//! [`index_once`]: super::index_once

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{SearchDoc, SearchSection};

/// A page as the index build reads it: what it needs of all pages at once (`meta`:
/// title, url, kind, tags and facets) and, one chunk of pages at a time, the whole page.
pub trait Doc: Send + Sync {
    /// The page; its sections may be left out.
    fn meta(&self) -> &SearchDoc;
    /// The whole page, sections included.
    fn full(&self) -> io::Result<Cow<'_, SearchDoc>>;
}

impl Doc for Arc<SearchDoc> {
    fn meta(&self) -> &SearchDoc {
        self
    }

    fn full(&self) -> io::Result<Cow<'_, SearchDoc>> {
        Ok(Cow::Borrowed(self))
    }
}

/// The temporary file the sections go to. It has no name on Unix (it is removed as soon
/// as it is opened); elsewhere it is removed when the spill is dropped.
pub struct Spill {
    file: File,
    /// Where the next page's sections go.
    end: AtomicU64,
    /// The file's path while it has one.
    path: Option<PathBuf>,
}

/// A page whose sections are in a [`Spill`], or in memory.
pub struct ParkedDoc {
    meta: SearchDoc,
    /// The spill, and where in it the sections are and how many bytes they take.
    place: Option<(Arc<Spill>, u64, usize)>,
}

impl Spill {
    /// A new, empty spill file in the system's temporary folder.
    pub fn new() -> io::Result<Arc<Spill>> {
        let folder = std::env::temp_dir();
        let mut attempt = 0u32;
        loop {
            let path = folder.join(format!(".spiegel-search-{}-{attempt}", std::process::id()));
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

    /// Writes `doc`'s sections to `spill` and keeps the rest of it; keeps all of it when
    /// there is no spill or it cannot be written.
    pub fn park(spill: Option<&Arc<Spill>>, mut doc: SearchDoc) -> ParkedDoc {
        let Some(spill) = spill else { return ParkedDoc { meta: doc, place: None } };
        let bytes = encode(&doc.sections);
        let at = spill.end.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if write_at(&spill.file, &bytes, at).is_err() {
            return ParkedDoc { meta: doc, place: None };
        }
        doc.sections = Vec::new();
        ParkedDoc { meta: doc, place: Some((Arc::clone(spill), at, bytes.len())) }
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

impl Doc for ParkedDoc {
    fn meta(&self) -> &SearchDoc {
        &self.meta
    }

    fn full(&self) -> io::Result<Cow<'_, SearchDoc>> {
        let Some((spill, at, len)) = &self.place else { return Ok(Cow::Borrowed(&self.meta)) };
        let mut bytes = vec![0; *len];
        read_at(&spill.file, &mut bytes, *at)?;
        let sections = decode(&bytes).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "the temporary search file changed")
        })?;
        Ok(Cow::Owned(SearchDoc { sections, ..self.meta.clone() }))
    }
}

/// Sections as `[count] ([has anchor] [anchor] [heading] [text])*`, each string as its
/// length (four bytes, little-endian) and its bytes.
fn encode(sections: &[SearchSection]) -> Vec<u8> {
    let size: usize = sections
        .iter()
        .map(|s| 13 + s.anchor.as_ref().map_or(0, |a| a.len() + 4) + s.heading.len() + s.text.len())
        .sum();
    let mut out = Vec::with_capacity(4 + size);
    let string = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    for section in sections {
        out.push(u8::from(section.anchor.is_some()));
        if let Some(anchor) = &section.anchor {
            string(&mut out, anchor);
        }
        string(&mut out, &section.heading);
        string(&mut out, &section.text);
    }
    out
}

fn decode(mut bytes: &[u8]) -> Option<Vec<SearchSection>> {
    fn number(bytes: &mut &[u8]) -> Option<usize> {
        let (head, rest) = bytes.split_first_chunk::<4>()?;
        *bytes = rest;
        Some(u32::from_le_bytes(*head) as usize)
    }
    fn string(bytes: &mut &[u8]) -> Option<String> {
        let len = number(bytes)?;
        let (text, rest) = bytes.split_at_checked(len)?;
        *bytes = rest;
        String::from_utf8(text.to_vec()).ok()
    }
    let count = number(&mut bytes)?;
    let mut sections = Vec::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        let (&has_anchor, rest) = bytes.split_first()?;
        bytes = rest;
        let anchor = match has_anchor {
            0 => None,
            _ => Some(string(&mut bytes)?),
        };
        let heading = string(&mut bytes)?;
        let text = string(&mut bytes)?;
        sections.push(SearchSection { anchor, heading, text });
    }
    bytes.is_empty().then_some(sections)
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

    fn page(n: usize) -> SearchDoc {
        SearchDoc {
            url: format!("p{n}/index.html"),
            title: format!("Pagina {n}"),
            kind: "inspiratie".into(),
            tags: vec!["buiten".into()],
            sections: vec![
                SearchSection { anchor: None, heading: String::new(), text: "Eerst. ".repeat(n) },
                SearchSection {
                    anchor: Some(format!("kop-{n}")),
                    heading: "Een kop — met één teken".into(),
                    text: "Daarna \u{1F476} meer tekst.".into(),
                },
            ],
            ..SearchDoc::default()
        }
    }

    #[test]
    fn pages_kept_from_many_threads_read_back_whole() {
        use rayon::prelude::*;
        let spill = Spill::new().unwrap();
        let kept: Vec<ParkedDoc> =
            (0..200).into_par_iter().map(|n| Spill::park(Some(&spill), page(n))).collect();
        for (n, doc) in kept.iter().enumerate() {
            assert!(doc.meta().sections.is_empty(), "the sections are not held");
            assert_eq!(doc.meta().title, format!("Pagina {n}"));
            assert_eq!(*doc.full().unwrap(), page(n));
        }
    }

    #[test]
    fn a_page_without_sections_reads_back() {
        let spill = Spill::new().unwrap();
        let doc = SearchDoc { title: "Leeg".into(), ..SearchDoc::default() };
        assert_eq!(*Spill::park(Some(&spill), doc.clone()).full().unwrap(), doc);
    }

    #[test]
    fn without_a_spill_a_page_stays_whole_in_memory() {
        let doc = Spill::park(None, page(2));
        assert_eq!(*doc.meta(), page(2));
        assert_eq!(*doc.full().unwrap(), page(2));
    }

    #[test]
    fn a_damaged_record_is_an_error_not_a_panic() {
        let bytes = encode(&page(3).sections);
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        assert!(decode(&[255, 255, 255, 255]).is_none());
    }
}
