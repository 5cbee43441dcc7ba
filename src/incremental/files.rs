//! The output files that are not pages, kept between builds in layers, one per kind of
//! maker: publish files, copied files, the search index, listing pages, cards and
//! collection pages. Where two layers have a file at the same path, the later layer's
//! wins (a site's own `robots.txt` over the generated one), as in a full build.
//!
//! Each update hands a layer its new files (all of them, or only those that may have
//! changed and those gone); the layers note which paths now hold something else, so an
//! update compares only the files its makers made again, never the whole site.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::write::Content;

/// The makers of non-page files, in the order their files replace one another.
#[derive(Debug, Clone, Copy)]
pub(super) enum Layer {
    Published,
    Copied,
    Search,
    Listings,
    Cards,
    Collections,
}

const LAYERS: usize = 6;

/// What a maker made: all files of its layer, or some (the others as they were) and the
/// paths of files gone.
pub(super) enum Made {
    All(Vec<(String, Content)>),
    Some(Vec<(String, Content)>, Vec<String>),
}

/// Every non-page file of the last good build, by layer.
#[derive(Default)]
pub(super) struct Layers {
    layers: [BTreeMap<String, Content>; LAYERS],
    /// Paths whose file may differ from the last update's.
    changed: BTreeSet<String>,
}

impl Layers {
    /// The file at `path`: the last layer's that has one.
    pub(super) fn get(&self, path: &str) -> Option<&Content> {
        self.layers.iter().rev().find_map(|layer| layer.get(path))
    }

    /// Makes `files` the whole of `layer`. A copied file whose source is in `touched`
    /// counts as changed even when its place is not.
    pub(super) fn replace(
        &mut self,
        layer: Layer,
        files: Vec<(String, Content)>,
        touched: &BTreeSet<PathBuf>,
    ) {
        let new: BTreeMap<String, Content> = files.into_iter().collect();
        let old = std::mem::take(&mut self.layers[layer as usize]);
        for (path, content) in &new {
            let copied_from_touched =
                matches!(content, Content::Copy(source) if touched.contains(source));
            if old.get(path) != Some(content) || copied_from_touched {
                self.changed.insert(path.clone());
            }
        }
        self.changed.extend(old.into_keys().filter(|path| !new.contains_key(path)));
        self.layers[layer as usize] = new;
    }

    /// Sets some files of `layer` and removes others.
    pub(super) fn patch(
        &mut self,
        layer: Layer,
        files: impl IntoIterator<Item = (String, Content)>,
        gone: impl IntoIterator<Item = String>,
    ) {
        let map = &mut self.layers[layer as usize];
        for path in gone {
            if map.remove(&path).is_some() {
                self.changed.insert(path);
            }
        }
        for (path, content) in files {
            if map.get(&path) != Some(&content) {
                map.insert(path.clone(), content);
                self.changed.insert(path);
            }
        }
    }

    /// Puts what a maker made into its layer.
    pub(super) fn put(&mut self, layer: Layer, made: Made, touched: &BTreeSet<PathBuf>) {
        match made {
            Made::All(files) => self.replace(layer, files, touched),
            Made::Some(files, gone) => self.patch(layer, files, gone),
        }
    }

    /// The paths noted as changed since the last call.
    pub(super) fn take_changed(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.changed)
    }

    /// All files, the winning one at each path.
    pub(super) fn all(&self) -> BTreeMap<&str, &Content> {
        let mut all = BTreeMap::new();
        for layer in &self.layers {
            all.extend(layer.iter().map(|(path, content)| (path.as_str(), content)));
        }
        all
    }

    /// All files, the winning one at each path, taken out of the layers.
    pub(super) fn into_all(self) -> BTreeMap<String, Content> {
        self.layers.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Content {
        Content::Bytes(text.as_bytes().to_vec())
    }

    #[test]
    fn a_later_layer_wins_and_only_changed_paths_are_noted() {
        let mut layers = Layers::default();
        let none = BTreeSet::new();
        layers.replace(Layer::Published, vec![("robots.txt".into(), bytes("a"))], &none);
        layers.replace(Layer::Copied, vec![("robots.txt".into(), bytes("own"))], &none);
        assert_eq!(layers.get("robots.txt"), Some(&bytes("own")));
        layers.take_changed();
        layers.patch(Layer::Search, [("search/a.js".into(), bytes("x"))], []);
        layers.patch(Layer::Search, [("search/a.js".into(), bytes("x"))], []);
        assert_eq!(layers.take_changed(), BTreeSet::from(["search/a.js".to_string()]));
        layers.replace(Layer::Copied, Vec::new(), &none);
        assert_eq!(layers.get("robots.txt"), Some(&bytes("a")));
        assert_eq!(layers.take_changed(), BTreeSet::from(["robots.txt".to_string()]));
    }
}
