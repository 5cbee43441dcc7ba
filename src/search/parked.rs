//! Page texts parked in a temporary file between rendering and indexing.
//!
//! `spiegel build` renders every page before it indexes any: the index needs every
//! page's words to weigh any one of them. The plain text of all sections is about as
//! large as the site's Markdown, so holding it all until then would be the largest part
//! of the build's memory. Each page's sections go to a [`Spill`] as the page is rendered,
//! from any thread, and [`index_once`] reads them back a chunk of pages at a time; what
//! stays in memory is the small rest of each [`SearchDoc`] (url, title, kind, tags,
//! facets).
//!
//! Takes [`SearchDoc`]s; hands on [`ParkedDoc`]s, which [`index_once`] reads through
//! [`Doc::full`]. Where no temporary file can be made or written, a page stays in memory:
//! the build takes more memory, but it does not fail for it.
//!
//! [`index_once`]: super::index_once

use std::borrow::Cow;
use std::io;
use std::sync::Arc;

use super::{SearchDoc, SearchSection};
use crate::spill::{Parked, Spill};

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

/// A page whose sections are in a [`Spill`], or in memory.
pub struct ParkedDoc {
    meta: SearchDoc,
    sections: Option<Parked>,
}

impl ParkedDoc {
    /// Parks `doc`'s sections in `spill` and keeps the rest of it; keeps all of it when
    /// there is no spill or it cannot be written.
    pub fn new(spill: Option<&Arc<Spill>>, mut doc: SearchDoc) -> ParkedDoc {
        let Some(spill) = spill else { return ParkedDoc { meta: doc, sections: None } };
        match spill.park(&encode(&doc.sections)) {
            Ok(parked) => {
                doc.sections = Vec::new();
                ParkedDoc { meta: doc, sections: Some(parked) }
            }
            Err(_) => ParkedDoc { meta: doc, sections: None },
        }
    }
}

impl Doc for ParkedDoc {
    fn meta(&self) -> &SearchDoc {
        &self.meta
    }

    fn full(&self) -> io::Result<Cow<'_, SearchDoc>> {
        let Some(parked) = &self.sections else { return Ok(Cow::Borrowed(&self.meta)) };
        let sections = decode(&parked.read()?).ok_or_else(|| {
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
            (0..200).into_par_iter().map(|n| ParkedDoc::new(Some(&spill), page(n))).collect();
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
        assert_eq!(*ParkedDoc::new(Some(&spill), doc.clone()).full().unwrap(), doc);
    }

    #[test]
    fn without_a_spill_a_page_stays_whole_in_memory() {
        let doc = ParkedDoc::new(None, page(2));
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
