//! Which listing pages (a taxonomy's overview, one tag or facet value's page) to render
//! again after an edit: a value's page when its label or its pages changed, or one of
//! its pages looks different where lists show it; an overview when one of its values
//! came, went, or changed label or count. Takes the last good build's and the new
//! [`Terms`], hands on what to render and the paths of values that are gone.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::Terms;
use crate::load::Site;
use crate::render::views::Linker;

/// The listing pages to render again, and those gone.
pub(super) struct Listings {
    /// Taxonomy urls whose overview renders again.
    pub(super) overviews: BTreeSet<String>,
    /// (taxonomy url, term url) of the value pages that render again.
    pub(super) terms: BTreeSet<(String, String)>,
    pub(super) gone: Vec<String>,
}

/// Compares `new` with `old`; `old_of` maps new pages to old ones.
pub(super) fn changed(
    (old, old_site): (&Terms, &Site),
    (new, site): (&Terms, &Site),
    old_of: &[Option<usize>],
) -> Listings {
    let looks_same = |i: usize| {
        old_of[i].is_some_and(|o| {
            let (a, b) = (&old_site.pages[o], &site.pages[i]);
            Arc::ptr_eq(a, b) || Linker::same_card(a, b)
        })
    };
    let mut listings =
        Listings { overviews: BTreeSet::new(), terms: BTreeSet::new(), gone: Vec::new() };
    for (key, (label, pages)) in &new.0 {
        let (same_label, same_pages) = match old.0.get(key) {
            Some((old_label, old_pages)) => (
                old_label == label && old_pages.len() == pages.len(),
                old_pages.len() == pages.len()
                    && pages.iter().zip(old_pages).all(|(&n, &o)| old_of[n] == Some(o)),
            ),
            None => (false, false),
        };
        if !same_label {
            listings.overviews.insert(key.0.clone());
        }
        if !same_pages || !same_label || !pages.iter().all(|&i| looks_same(i)) {
            listings.terms.insert(key.clone());
        }
    }
    for (key, _) in old.0.iter().filter(|(key, _)| !new.0.contains_key(*key)) {
        listings.overviews.insert(key.0.clone());
        listings.gone.push(format!("{}index.html", key.1));
    }
    listings
}
