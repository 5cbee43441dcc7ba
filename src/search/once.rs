//! One-shot index build (placeholder).

use std::sync::Arc;

use super::{SearchConfig, SearchDoc, SearchFile, SearchIndex};

pub fn index_once(
    config: &SearchConfig,
    docs: Vec<Arc<SearchDoc>>,
    emit: &mut dyn FnMut(Vec<SearchFile>),
) {
    emit(SearchIndex::new(config.clone()).update(docs).files);
}
