//! Page texts a one-shot build lets go of once the pages are linked, and reads again,
//! one page at a time, to render them.
//!
//! Every page's whole text is needed at once only to link the pages (a link's target
//! must be known before any page can show it) and to plan their photos. After that each
//! text is needed by the one task that renders its page (and its card in the book), and
//! holding all of them until the end would be the largest single part of a build's
//! memory. So `build` takes the texts out of the pages ([`Released::release`]), and the
//! render reads each file again ([`Released::body`]). A file changed in between would no
//! longer match the links and headings found in it: its length and a hash of its text
//! are kept, and a page whose file changed is an error (build again), never a page made
//! from two versions. `serve`, which keeps its pages between builds, releases nothing.
//!
//! Takes the loaded [`Site`]; hands on each page's body to the render.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{decode_text, Page, Site};
use crate::diag::{Diagnostic, Hint, Message};

/// What was let go of: per page (like `site.pages`), what its text was.
#[derive(Debug, Default)]
pub struct Released {
    root: PathBuf,
    pages: Vec<Option<Was>>,
}

/// A released text: its length, hash and where its body starts.
#[derive(Debug, Clone, Copy)]
struct Was {
    len: usize,
    hash: u64,
    body_start: usize,
}

impl Released {
    /// Takes the text out of every page of `site` that has a file and that only `site`
    /// holds (the caller drops its other references first); `root` is the site's folder.
    pub fn release(root: &Path, site: &mut Site) -> Released {
        use rayon::prelude::*;
        let pages = site
            .pages
            .par_iter_mut()
            .map(|page| {
                let page = Arc::get_mut(page).filter(|p| !p.source.as_os_str().is_empty())?;
                let text = std::mem::take(&mut page.text);
                let was = Was { len: text.len(), hash: hash(&text), body_start: page.body_start };
                // `body()` of a released page is empty, never out of bounds.
                page.body_start = 0;
                Some(was)
            })
            .collect();
        Released { root: root.to_path_buf(), pages }
    }

    /// The body of page `i` of the site: its own when it was not released (or there is
    /// no release), else read again from its file, which must not have changed.
    pub fn body<'p>(
        released: Option<&Released>,
        i: usize,
        page: &'p Page,
    ) -> Result<Cow<'p, str>, Diagnostic> {
        let Some((root, was)) = released.and_then(|r| Some((&r.root, r.pages.get(i)?.as_ref()?)))
        else {
            return Ok(Cow::Borrowed(page.body()));
        };
        let changed = || {
            Diagnostic::file(&page.source, Message::ChangedDuringBuild).with_hint(Hint::BuildAgain)
        };
        let bytes = std::fs::read(root.join(&page.source)).map_err(|_| changed())?;
        let mut text = decode_text(bytes, &page.source).map_err(|_| changed())?;
        if text.len() != was.len
            || hash(&text) != was.hash
            || !text.is_char_boundary(was.body_start)
        {
            return Err(changed());
        }
        text.drain(..was.body_start);
        Ok(Cow::Owned(text))
    }
}

/// A quick 64-bit hash of a text, to tell whether a file changed (not against anyone
/// trying to fool it: the length is compared too, and the file is the writer's own).
fn hash(text: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunks = text.as_bytes().chunks_exact(8);
    let mut h = text.len() as u64;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        h = (h ^ word).wrapping_mul(K).rotate_left(29);
    }
    for &byte in chunks.remainder() {
        h = (h ^ u64::from(byte)).wrapping_mul(K).rotate_left(29);
    }
    h ^ (h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site with two pages read from `root`, as `load` reads them.
    fn site(root: &Path) -> Site {
        let config = crate::config::parse("title: X\n", Path::new("site.yaml")).unwrap();
        let mut pages = Vec::new();
        for (name, text) in
            [("a.md", "---\ntitle: A\n---\nTekst van A, met één teken.\n"), ("b.md", "# B\n")]
        {
            std::fs::write(root.join("content").join(name), text).unwrap();
            let (page, problems) = super::super::load_page(name, text.as_bytes().to_vec(), &config);
            assert!(problems.is_empty(), "{problems:?}");
            pages.push(Arc::new(page.unwrap()));
        }
        Site { pages, assets: Vec::new() }
    }

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        dir
    }

    #[test]
    fn a_released_page_reads_its_body_again() {
        let dir = folder();
        let mut site = site(dir.path());
        let bodies: Vec<String> = site.pages.iter().map(|p| p.body().to_string()).collect();
        let released = Released::release(dir.path(), &mut site);
        for (i, page) in site.pages.iter().enumerate() {
            assert!(page.text.is_empty() && page.body().is_empty(), "the text is let go of");
            assert_eq!(Released::body(Some(&released), i, page).unwrap(), bodies[i]);
        }
    }

    #[test]
    fn a_page_held_elsewhere_keeps_its_text() {
        let dir = folder();
        let mut site = site(dir.path());
        let held = Arc::clone(&site.pages[0]);
        let released = Released::release(dir.path(), &mut site);
        assert_eq!(site.pages[0].text, held.text);
        let body = Released::body(Some(&released), 0, &site.pages[0]).unwrap();
        assert!(matches!(body, Cow::Borrowed(_)) && body == held.body());
        assert!(site.pages[1].text.is_empty());
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_an_error_at_that_file() {
        let dir = folder();
        let mut site = site(dir.path());
        let released = Released::release(dir.path(), &mut site);
        // The same length, other text; then another length; then gone.
        let a = dir.path().join("content/a.md");
        std::fs::write(&a, "---\ntitle: A\n---\nTekst van B, met één teken.\n").unwrap();
        for change in [None, Some("korter\n")] {
            if let Some(text) = change {
                std::fs::write(&a, text).unwrap();
            }
            let error = Released::body(Some(&released), 0, &site.pages[0]).unwrap_err();
            assert_eq!(error.path, Path::new("content/a.md"));
            assert_eq!(*error.message, Message::ChangedDuringBuild);
        }
        std::fs::remove_file(&a).unwrap();
        assert!(Released::body(Some(&released), 0, &site.pages[0]).is_err());
        assert!(Released::body(Some(&released), 1, &site.pages[1]).is_ok(), "b is as it was");
    }
}
