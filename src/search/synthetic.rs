//! A deterministic synthetic site for size and speed tests: Dutch-like pages of 400-900
//! words with headings, tags and facets. Word choice follows Zipf's law over a hand-written
//! childcare vocabulary (so `kinderen` is common) plus a long tail of made-up words (so
//! the dictionary grows as a real site's does, with many words used once or twice), and a
//! share of compounds made of two vocabulary nouns.

use super::{SearchDoc, SearchSection};
use crate::generate::words::{Random, Words, COMMON};

const KINDS: &[(&str, &str, &str)] = &[
    ("inspiration", "Inspiratie", "inspiratie"),
    ("method", "Methodiek", "methodieken"),
    ("vision", "Visie", "visie"),
    ("building_block", "Bouwsteen", "bouwstenen"),
];
const PHASES: &[&str] = &["beginfoto", "coachingsplan", "werkmoment", "pitstop", "eindevaluatie"];
const GROUP_SIZES: &[&str] = &["individueel", "duo", "kleine groep", "heel team"];

/// `count` pages, the same for the same count.
pub(super) fn site(count: usize) -> Vec<SearchDoc> {
    let words = Words::default();
    let tags: Vec<String> = COMMON[26..66].iter().map(|w| w.to_string()).collect();
    (0..count).map(|n| page(n, &words, &tags, &mut Random::new(n as u64 + 1))).collect()
}

fn page(n: usize, words: &Words, tags: &[String], random: &mut Random) -> SearchDoc {
    let (kind, label, folder) = KINDS[random.below(KINDS.len())];
    let title_words: Vec<String> = (0..2 + random.below(3)).map(|_| words.word(random)).collect();
    let title = crate::generate::words::capitalised(&title_words.join(" "));
    let target = 400 + random.below(501);
    let mut sections = Vec::new();
    let mut written = 0;
    while written < target {
        let heading = if sections.is_empty() { None } else { Some(words.heading(random)) };
        let mut text = Vec::new();
        for _ in 0..3 + random.below(6) {
            let length = 6 + random.below(13);
            text.push(words.sentence(random, length));
            written += length;
        }
        let anchor = heading.as_ref().map(|h| format!("h{}-{}", sections.len(), h.len()));
        sections.push(SearchSection {
            anchor,
            heading: heading.unwrap_or_default(),
            text: text.join(" "),
        });
    }
    let mut facets =
        vec![("bouwsteen".to_string(), vec![format!("bouwsteen {}", 1 + random.below(12))])];
    if kind == "method" {
        facets.push(("fase".into(), vec![PHASES[random.below(PHASES.len())].to_string()]));
        facets.push((
            "groepsgrootte".into(),
            vec![GROUP_SIZES[random.below(GROUP_SIZES.len())].to_string()],
        ));
    }
    SearchDoc {
        url: format!("{folder}/pagina-{n}/index.html"),
        title,
        kind: kind.into(),
        kind_label: label.into(),
        sections,
        tags: (0..1 + random.below(3)).map(|_| tags[random.below(tags.len())].clone()).collect(),
        facets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_deterministic_and_sized() {
        let first = site(20);
        assert_eq!(first, site(20));
        for page in &first {
            let words: usize = page.sections.iter().map(|s| s.text.split(' ').count()).sum();
            assert!((400..=920).contains(&words), "{words} words");
        }
    }
}
