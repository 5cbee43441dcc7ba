//! Synonym groups: words or phrases that mean the same to the people searching.
//!
//! A team calls it `kinderopvang`, the next organisation `kinderdagverblijf`. Synonyms are
//! expanded at index time: a page that says one member of a group is also indexed (at a
//! lower weight) under the terms of the other members. That costs the query nothing: no
//! extra shards to load. Takes the groups from the site config (or [`default_synonyms`])
//! and hands on, for a run of terms, the extra terms to index; the folded groups also go
//! to the entry file so the client can highlight the synonyms it finds.

use super::fasthash::{FastMap, WordFilter};
use super::tokenize::terms;

/// Sensible synonym groups for a site language; sites can replace them in their config.
pub fn default_synonyms(language: &str) -> Vec<Vec<String>> {
    let groups: &[&[&str]] = match language {
        "nl" => &[
            &["kinderopvang", "kinderdagverblijf", "crèche", "dagopvang"],
            &["kinderbegeleider", "kindbegeleider", "pedagogisch medewerker", "leidster"],
            &["buitenschoolse opvang", "bso", "naschoolse opvang"],
            &["gastouder", "onthaalouder"],
            &["peuterspeelzaal", "peuteropvang"],
            &["baby", "zuigeling"],
            &["welbevinden", "welzijn"],
            &["teamoverleg", "teamvergadering"],
        ],
        "fr" => &[
            &["crèche", "garderie", "milieu d'accueil"],
            &["puéricultrice", "puériculteur", "professionnel de l'enfance"],
            &["accueillante", "accueillant d'enfants", "assistante maternelle"],
            &["bébé", "nourrisson"],
            &["accueil extrascolaire", "périscolaire"],
        ],
        "en" => &[
            &["childcare", "child care", "daycare", "day care", "nursery"],
            &["childcare worker", "early years practitioner", "nursery nurse"],
            &["childminder", "family day carer"],
            &["after-school care", "out of school care"],
            &["baby", "infant"],
            &["wellbeing", "well-being"],
        ],
        _ => &[],
    };
    groups.iter().map(|group| group.iter().map(|m| m.to_string()).collect()).collect()
}

/// The groups, folded into term sequences, with an index from first term to members.
pub(super) struct SynonymTable {
    groups: Vec<Vec<Vec<String>>>,
    by_first_term: FastMap<String, Vec<(usize, usize)>>,
    /// Spares the lookup in `by_first_term` for most words.
    first_terms: WordFilter,
}

impl SynonymTable {
    /// Folds every member; members that fold to nothing and groups left with fewer than
    /// two distinct members are dropped.
    pub(super) fn new(groups: &[Vec<String>]) -> Self {
        let mut folded: Vec<Vec<Vec<String>>> = Vec::new();
        for group in groups {
            let mut members: Vec<Vec<String>> = Vec::new();
            for member in group.iter().map(|m| terms(m)).filter(|t| !t.is_empty()) {
                if !members.contains(&member) {
                    members.push(member);
                }
            }
            if members.len() >= 2 {
                folded.push(members);
            }
        }
        let mut by_first_term: FastMap<String, Vec<(usize, usize)>> = FastMap::default();
        for (group, members) in folded.iter().enumerate() {
            for (member, words) in members.iter().enumerate() {
                by_first_term.entry(words[0].clone()).or_default().push((group, member));
            }
        }
        let first_terms = WordFilter::new(by_first_term.keys().map(String::as_str));
        SynonymTable { groups: folded, by_first_term, first_terms }
    }

    /// For every occurrence of a group member in `tokens` (a field's terms in order, stop
    /// words included so phrases line up), the terms of the group's other members.
    pub(super) fn expansions<'a>(&'a self, tokens: &[&str]) -> Vec<&'a str> {
        let mut out = Vec::new();
        for (at, token) in tokens.iter().enumerate() {
            if !self.first_terms.may_hold(token) {
                continue;
            }
            let Some(candidates) = self.by_first_term.get(*token) else { continue };
            for &(group, member) in candidates {
                let words = &self.groups[group][member];
                let follows = tokens.len() - at >= words.len()
                    && words.iter().zip(&tokens[at..]).all(|(w, t)| w == t);
                if follows {
                    let start = out.len();
                    for other in self.others(group, member) {
                        if !out[start..].contains(&other) {
                            out.push(other);
                        }
                    }
                }
            }
        }
        out
    }

    fn others(&self, group: usize, member: usize) -> impl Iterator<Item = &str> {
        let own = &self.groups[group][member];
        self.groups[group]
            .iter()
            .enumerate()
            .filter(move |(other, _)| *other != member)
            .flat_map(|(_, words)| words.iter())
            .filter(move |word| !own.contains(word))
            .map(String::as_str)
    }

    /// The folded groups, each member's terms joined by a space, for the entry file.
    pub(super) fn folded_groups(&self) -> Vec<Vec<String>> {
        self.groups
            .iter()
            .map(|members| members.iter().map(|words| words.join(" ")).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(text: &str) -> Vec<String> {
        let table = SynonymTable::new(&default_synonyms("nl"));
        let terms = terms(text);
        let tokens: Vec<&str> = terms.iter().map(String::as_str).collect();
        table.expansions(&tokens).into_iter().map(String::from).collect()
    }

    #[test]
    fn single_words_expand_to_the_other_members() {
        let found = expand("Een crèche in Gent");
        assert_eq!(found, ["kinderopvang", "kinderdagverblijf", "dagopvang"]);
    }

    #[test]
    fn phrases_match_as_a_run_of_terms() {
        let found = expand("De pedagogisch medewerker speelt");
        assert_eq!(found, ["kinderbegeleider", "kindbegeleider", "leidster"]);
        assert!(expand("pedagogisch beleid en een medewerker").is_empty());
    }

    #[test]
    fn a_word_expands_to_phrase_terms() {
        let found = expand("onze bso");
        assert_eq!(found, ["buitenschoolse", "opvang", "naschoolse"]);
    }

    #[test]
    fn groups_are_folded_and_degenerate_ones_dropped() {
        let table = SynonymTable::new(&[
            vec!["Crèche".into(), "creche".into()],
            vec!["Baby".into(), "zuigeling".into(), "!!".into()],
        ]);
        assert_eq!(table.folded_groups(), [vec!["baby".to_string(), "zuigeling".to_string()]]);
    }

    #[test]
    fn every_language_has_defaults() {
        for language in ["nl", "fr", "en"] {
            assert!(SynonymTable::new(&default_synonyms(language)).folded_groups().len() >= 4);
        }
        assert!(default_synonyms("xx").is_empty());
    }
}
