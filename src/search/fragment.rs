//! Per-page fragment files: what a result needs to be shown, loaded only for results shown.
//!
//! A result shows the page's title, kind, a highlighted excerpt and links to the section
//! that matched best. So the client needs the page's sections, but a whole page (400-900
//! words) for each of ten results would blow the budget of a first query. A fragment keeps
//! every heading and anchor, and as much of the text as fits in [`FRAGMENT_TEXT_CHARS`]:
//! the first sentence (the default excerpt), then greedily the sentences that add the most
//! rare words per character, because rare words are what queries find a page by, while
//! common ones occur in many sentences anyway. Takes a document, its kind's index and the
//! site's document frequencies; hands on the fragment as JSON text.

use super::encode::push_json_str;
use super::fasthash::WordMap;
use super::tokenize::{fold_into, split_folded, BYTES_PER_DISTINCT_WORD};
use super::SearchDoc;

/// Text budget per page, in characters (headings included).
pub(super) const FRAGMENT_TEXT_CHARS: usize = 900;
/// Longer sentences are cut into pieces of about this size, at spaces.
const SNIPPET_CHARS: usize = 200;
/// Longer headings are cut: the anchor matters, not the full wording.
const HEADING_CHARS: usize = 100;
/// Added to a snippet's length when weighing its worth, so tiny snippets do not win on
/// one rare word alone.
const SNIPPET_OVERHEAD: f64 = 40.0;

/// A sentence (or a piece of a long one) of one section, with its distinct words as
/// indexes into the page's [`Words`].
struct Snippet<'d> {
    section: usize,
    text: &'d str,
    /// The text's length in characters.
    chars: usize,
    words: Vec<usize>,
}

/// The distinct words of one page and how rare each is on the site.
struct Words {
    rarity: Vec<f64>,
}

/// The fragment as ASCII JSON text: `{"k": kind index, "s": [[anchor, heading, text],
/// ...], "t": title, "u": url}`; `k` is left out for pages without a kind, anchors are
/// `""` when absent. Written directly, as `encode::ascii_json` would write it, for every
/// page of the site.
pub(super) fn fragment(doc: &SearchDoc, kind: Option<usize>, idf: &dyn Fn(&str) -> f64) -> String {
    let (snippets, words) = snippets(doc, idf);
    let headings: Vec<String> =
        doc.sections.iter().map(|s| cut(&s.heading, HEADING_CHARS)).collect();
    let heading_chars: usize = headings.iter().map(|h| h.chars().count()).sum();
    let keep = choose(&snippets, &words, FRAGMENT_TEXT_CHARS.saturating_sub(heading_chars));
    let mut json = String::with_capacity(FRAGMENT_TEXT_CHARS + 2 * doc.url.len() + 64);
    if let Some(kind) = kind {
        json.push_str(&format!("{{\"k\":{kind},\"s\":["));
    } else {
        json.push_str("{\"s\":[");
    }
    for (n, (section, heading)) in doc.sections.iter().zip(&headings).enumerate() {
        json.push_str(if n == 0 { "[" } else { ",[" });
        push_json_str(&mut json, section.anchor.as_deref().unwrap_or_default());
        json.push(',');
        push_json_str(&mut json, heading);
        json.push(',');
        push_json_str(&mut json, &section_text(&snippets, &keep, n));
        json.push(']');
    }
    json.push_str("],\"t\":");
    push_json_str(&mut json, &doc.title);
    json.push_str(",\"u\":");
    push_json_str(&mut json, &doc.url);
    json.push('}');
    json
}

fn snippets<'d>(doc: &'d SearchDoc, idf: &dyn Fn(&str) -> f64) -> (Vec<Snippet<'d>>, Words) {
    // Every snippet folded into one string first, so that the page's words can be
    // looked up and kept borrowed from it, with no string per word.
    let mut folded = String::with_capacity(doc.sections.iter().map(|s| s.text.len()).sum());
    let mut found: Vec<(usize, &'d str, usize, usize)> = Vec::new();
    for (section, content) in doc.sections.iter().enumerate() {
        // Text of ASCII has as many characters as bytes: most pages' text need not be
        // counted.
        let ascii = content.text.is_ascii();
        for sentence in sentences(&content.text) {
            for text in pieces(sentence, SNIPPET_CHARS) {
                fold_into(text, &mut folded);
                let chars = if ascii { text.len() } else { text.chars().count() };
                found.push((section, text, chars, folded.len()));
            }
        }
    }
    let distinct = folded.len() / BYTES_PER_DISTINCT_WORD;
    let mut index: WordMap<&str, usize> = WordMap::with_capacity(distinct);
    let mut words = Words { rarity: Vec::with_capacity(distinct) };
    let mut out = Vec::with_capacity(found.len());
    let mut start = 0;
    for (section, text, chars, end) in found {
        let mut ids: Vec<usize> = split_folded(&folded[start..end])
            .map(|term| {
                *index.get_or_insert_with(term, || {
                    words.rarity.push(idf(term));
                    words.rarity.len() - 1
                })
            })
            .collect();
        start = end;
        ids.sort_unstable();
        ids.dedup();
        out.push(Snippet { section, text, chars, words: ids });
    }
    (out, words)
}

/// Which snippets to keep: all when they fit, else the first and the most informative.
fn choose(snippets: &[Snippet<'_>], words: &Words, budget: usize) -> Vec<bool> {
    let lengths: Vec<usize> = snippets.iter().map(|s| s.chars + 1).collect();
    if lengths.iter().sum::<usize>() <= budget {
        return vec![true; snippets.len()];
    }
    let mut choice = Choice::new(snippets, words, budget);
    if let Some(first) = (0..snippets.len()).find(|&n| lengths[n] <= budget) {
        choice.take(first, lengths[first]);
    }
    while let Some(n) = choice.best(&lengths) {
        choice.take(n, lengths[n]);
    }
    choice.keep
}

/// The snippets kept so far, the words they cover and the budget left.
struct Choice<'c, 'd> {
    snippets: &'c [Snippet<'d>],
    words: &'c Words,
    keep: Vec<bool>,
    covered: Vec<bool>,
    left: usize,
    /// Each snippet's worth (gain per character) when last worked out, and whether a
    /// word of it was covered since: only those are worked out again, not every snippet
    /// after every choice.
    worth: Vec<f64>,
    stale: Vec<bool>,
    /// The snippets each word is in: word `w`'s are `in_snippets[starts[w]..starts[w + 1]]`.
    starts: Vec<usize>,
    in_snippets: Vec<usize>,
}

impl<'c, 'd> Choice<'c, 'd> {
    fn new(snippets: &'c [Snippet<'d>], words: &'c Words, budget: usize) -> Self {
        let word_count = words.rarity.len();
        let mut starts = vec![0; word_count + 1];
        for &word in snippets.iter().flat_map(|s| &s.words) {
            starts[word + 1] += 1;
        }
        for word in 0..word_count {
            starts[word + 1] += starts[word];
        }
        let mut next = starts.clone();
        let mut in_snippets = vec![0; starts[word_count]];
        for (n, snippet) in snippets.iter().enumerate() {
            for &word in &snippet.words {
                in_snippets[next[word]] = n;
                next[word] += 1;
            }
        }
        Choice {
            snippets,
            words,
            keep: vec![false; snippets.len()],
            covered: vec![false; word_count],
            left: budget,
            worth: vec![0.0; snippets.len()],
            stale: vec![true; snippets.len()],
            starts,
            in_snippets,
        }
    }

    fn take(&mut self, n: usize, length: usize) {
        self.keep[n] = true;
        self.left = self.left.saturating_sub(length);
        for &word in &self.snippets[n].words {
            if !self.covered[word] {
                self.covered[word] = true;
                let users = &self.in_snippets[self.starts[word]..self.starts[word + 1]];
                users.iter().for_each(|&s| self.stale[s] = true);
            }
        }
    }

    /// The snippet not kept yet that fits and adds the most rarity per character (the
    /// first of equals), if any adds some.
    fn best(&mut self, lengths: &[usize]) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (n, &length) in lengths.iter().enumerate() {
            if self.keep[n] || length > self.left {
                continue;
            }
            if self.stale[n] {
                self.worth[n] = self.fresh_gain(n) / (length as f64 + SNIPPET_OVERHEAD);
                self.stale[n] = false;
            }
            let worth = self.worth[n];
            if worth > 0.0 && best.is_none_or(|b| worth > b.1) {
                best = Some((n, worth));
            }
        }
        best.map(|b| b.0)
    }

    /// The summed rarity of the snippet's words that no kept snippet has yet.
    fn fresh_gain(&self, n: usize) -> f64 {
        let words = self.snippets[n].words.iter().filter(|&&w| !self.covered[w]);
        words.map(|&w| self.words.rarity[w]).sum()
    }
}

/// The kept text of one section, with `…` where sentences were left out.
fn section_text(snippets: &[Snippet<'_>], keep: &[bool], section: usize) -> String {
    let mut text = String::new();
    let mut skipped = false;
    for (n, snippet) in snippets.iter().enumerate().filter(|(_, s)| s.section == section) {
        if !keep[n] {
            skipped = true;
            continue;
        }
        if skipped {
            text.push_str(if text.is_empty() { "… " } else { " … " });
        } else if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(snippet.text);
        skipped = false;
    }
    if skipped && !text.is_empty() {
        text.push_str(" …");
    }
    text
}

/// Sentences: text up to `.`, `!`, `?` or `…` followed by white space, or a line break.
///
/// Looks at bytes, not characters: all but `…` are ASCII, and `…` is the only
/// character whose UTF-8 ends in the bytes `E2 80 A6`. Skips over the other bytes with
/// a table, as all of every page's text goes through here.
fn sentences(text: &str) -> Vec<&str> {
    const MAY_END: [bool; 256] = {
        let mut may_end = [false; 256];
        let mut n = 0;
        while n < 5 {
            may_end[[b'\n', b'.', b'!', b'?', 0xA6][n] as usize] = true;
            n += 1;
        }
        may_end
    };
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    loop {
        while bytes.get(at).is_some_and(|&b| !MAY_END[usize::from(b)]) {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else { break };
        let end = at + 1;
        let stop = match byte {
            b'\n' => true,
            0xA6 => bytes[..at].ends_with(&[0xE2, 0x80]) && next_is_space(text, end),
            _ => next_is_space(text, end),
        };
        if stop {
            push_trimmed(&mut out, &text[start..end]);
            start = end;
        }
        at = end;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

/// Whether `text` ends at `at` (a character boundary) or goes on with white space.
fn next_is_space(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_none_or(char::is_whitespace)
}

fn push_trimmed<'t>(out: &mut Vec<&'t str>, sentence: &'t str) {
    let sentence = sentence.trim();
    if !sentence.is_empty() {
        out.push(sentence);
    }
}

/// Cuts a long sentence at spaces into pieces of at most `max` characters (a single word
/// longer than that becomes its own piece).
fn pieces(sentence: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = sentence;
    std::iter::from_fn(move || {
        // No more bytes than `max` is no more characters: most sentences need no count.
        if rest.is_empty() || rest.len() <= max || rest.chars().count() <= max {
            return Some(std::mem::take(&mut rest)).filter(|rest| !rest.is_empty());
        }
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(at, _)| at);
        let at = if rest[limit..].starts_with(' ') {
            limit
        } else {
            rest[..limit].rfind(' ').filter(|&at| at > 0).unwrap_or(limit)
        };
        let piece = rest[..at].trim();
        rest = rest[at..].trim_start();
        Some(piece)
    })
}

/// `text` cut at a space to at most `max` characters, with `…` when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    format!("{}…", pieces(text, max).next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::super::SearchSection;
    use super::*;

    fn doc(texts: &[&str]) -> SearchDoc {
        SearchDoc {
            url: "a/index.html".into(),
            title: "A".into(),
            sections: texts
                .iter()
                .enumerate()
                .map(|(n, t)| SearchSection {
                    anchor: (n > 0).then(|| format!("h{n}")),
                    heading: format!("Kop {n}"),
                    text: t.to_string(),
                })
                .collect(),
            ..SearchDoc::default()
        }
    }

    fn common_except(rare: &'static str) -> impl Fn(&str) -> f64 {
        move |term: &str| if term == rare { 9.0 } else { 0.1 }
    }

    use super::super::encode::ascii_json;
    use serde_json::{json, Value};

    fn fragment_value(doc: &SearchDoc, kind: Option<usize>, idf: &dyn Fn(&str) -> f64) -> Value {
        serde_json::from_str(&fragment(doc, kind, idf)).expect("JSON")
    }

    #[test]
    fn short_pages_are_kept_whole() {
        let page = doc(&["Een zin. Nog een zin!"]);
        let fragment = fragment(&page, Some(2), &common_except("x"));
        let value = json!({"u": "a/index.html", "t": "A", "k": 2, "s": [["", "Kop 0", "Een zin. Nog een zin!"]]});
        assert_eq!(fragment, ascii_json(&value));
    }

    #[test]
    fn the_text_is_what_ascii_json_writes() {
        let mut page = doc(&["Één \"zin\"\\ met\t👶. Nog\u{1} een…", ""]);
        page.title = "Tïtel \u{2028}".into();
        page.url = "ä/b\\\"c.html".into();
        let value = json!({"u": page.url, "t": page.title, "s": [
            ["", "Kop 0", "Één \"zin\"\\ met\t👶. Nog\u{1} een…"],
            ["h1", "Kop 1", ""],
        ]});
        assert_eq!(fragment(&page, None, &common_except("x")), ascii_json(&value));
    }

    #[test]
    fn long_pages_keep_the_first_sentence_and_rare_words_within_budget() {
        let filler = "Kinderen spelen samen in de groep en dat is fijn om te zien. ".repeat(30);
        let page = doc(&[
            &filler,
            &format!("{filler} Hier staat het zeldzame woord sprookjesbos."),
            &filler,
        ]);
        let fragment = fragment_value(&page, None, &common_except("sprookjesbos"));
        let texts: Vec<&str> =
            fragment["s"].as_array().unwrap().iter().map(|s| s[2].as_str().unwrap()).collect();
        assert!(texts[0].starts_with("Kinderen spelen samen"));
        assert!(texts[1].contains("sprookjesbos"), "{texts:?}");
        assert!(texts.iter().map(|t| t.chars().count()).sum::<usize>() <= FRAGMENT_TEXT_CHARS);
        assert_eq!(fragment["s"][1][0], "h1");
        assert!(fragment.get("k").is_none());
    }

    /// Sentences as first defined, character by character: the reference for [`sentences`].
    fn sentences_by_char(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            if c == '\n' || (matches!(c, '.' | '!' | '?' | '…') && next_is_space) {
                push_trimmed(&mut out, &text[start..at + c.len_utf8()]);
                start = at + c.len_utf8();
            }
        }
        push_trimmed(&mut out, &text[start..]);
        out
    }

    #[test]
    fn sentences_by_byte_are_sentences_by_character() {
        let texts = [
            "Ja… nee…x. Tja!\u{a0}Zo?\tOp…",
            "\u{2025} \u{e6} \u{2027}… b.c. d\n\ne ! ?",
            "Één.\u{2003}Twee…\u{2026}. ...",
            "",
        ];
        for text in texts {
            assert_eq!(sentences(text), sentences_by_char(text), "{text:?}");
        }
    }

    #[test]
    fn sentences_and_pieces() {
        assert_eq!(sentences("Eén. Twee? 3.5 kilo\nvier…"), ["Eén.", "Twee?", "3.5 kilo", "vier…"]);
        assert_eq!(pieces("aaa bbb ccc", 7).collect::<Vec<_>>(), ["aaa bbb", "ccc"]);
        assert_eq!(pieces("ééé ëëë ccc", 7).collect::<Vec<_>>(), ["ééé ëëë", "ccc"]);
        assert_eq!(pieces("ééé", 3).collect::<Vec<_>>(), ["ééé"]);
        assert_eq!(pieces("", 3).count(), 0);
        assert_eq!(cut("lange kop hier", 9), "lange kop…");
    }
}
