//! A generator of large, realistic sites for benchmarks: N entries spread over the four
//! default kinds, with Dutch-like text of 400-900 words, headings, lists, emphasis,
//! tables, some fenced code, tags, building-block references and 2-5 wiki links each.
//!
//! Takes a folder, a page count and a seed; writes `site.yaml` and `content/`. The same
//! seed gives the same site, byte for byte. Used by `spiegel generate` (hidden from the
//! help) and the benchmark scripts.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use words::{capitalised, Random, Words};

pub(crate) mod words;

/// The twelve building blocks every generated site has.
pub const BLOCKS: [&str; 12] = [
    "pedagogisch-professionals",
    "team",
    "visie-missie-doelen",
    "pedagogisch-leiderschap",
    "monitoring-en-evaluatie",
    "innovatie",
    "professionalisering",
    "coaching",
    "structuur",
    "cultuur",
    "partnerschap-met-ouders",
    "relatie-met-ketenpartners",
];

const TAGS: &[&str] = &[
    "spel",
    "ruimte",
    "taal",
    "ouders",
    "team",
    "eten",
    "buiten",
    "emoties",
    "coaching",
    "reflectie",
    "observatie",
    "diversiteit",
];
const DIMENSIONS: &[&str] = &[
    "welbevinden",
    "betrokkenheid",
    "emotionele ondersteuning",
    "educatieve ondersteuning",
    "omgeving",
    "gezinnen",
    "diversiteit",
];
const PHASES: &[&str] = &["beginfoto", "coachingsplan", "werkmoment", "pitstop", "eindevaluatie"];
const GROUPS: &[&str] = &["individueel", "duo", "team"];

/// The kind folder and slug of entry `i` of `n`.
fn entry(i: usize) -> (&'static str, String) {
    match i % 10 {
        0..=4 => ("inspiratie", format!("inspiratie-{i:05}")),
        5..=7 => ("methodieken", format!("methodiek-{i:05}")),
        _ => ("visie", format!("visie-{i:05}")),
    }
}

/// Writes a site of `pages` entries (plus the twelve blocks) into `dir`.
pub fn generate(dir: &Path, pages: usize, seed: u64) -> io::Result<()> {
    fs::create_dir_all(dir.join("content"))?;
    fs::write(
        dir.join("site.yaml"),
        format!("title: Gegenereerde site ({pages} pagina's)\nlanguage: nl\n"),
    )?;
    fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: Start\n---\nEen gegenereerde site om spiegel te meten.\n",
    )?;
    let mut random = Random::new(seed);
    let words = Words::default();
    for (n, slug) in BLOCKS.iter().enumerate() {
        let mut text =
            format!("---\ntitle: {}\nnummer: {}\nbron: gegenereerd\n---\n", title_of(slug), n + 1);
        body(&mut random, &words, pages, &mut text);
        write(dir, "bouwstenen", slug, &text)?;
    }
    for i in 0..pages {
        let (folder, slug) = entry(i);
        let mut text = front_matter(&mut random, &words, folder, i);
        body(&mut random, &words, pages, &mut text);
        write(dir, folder, &slug, &text)?;
    }
    Ok(())
}

fn write(dir: &Path, folder: &str, slug: &str, text: &str) -> io::Result<()> {
    let path = dir.join("content").join(folder);
    fs::create_dir_all(&path)?;
    fs::write(path.join(format!("{slug}.md")), text)
}

fn title_of(slug: &str) -> String {
    capitalised(&slug.replace('-', " "))
}

fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

fn front_matter(random: &mut Random, words: &Words, folder: &str, i: usize) -> String {
    let title = format!("{} {i}", words.heading(random));
    let (tag_count, block_count) = (random.range(1, 3), random.range(1, 3));
    let tags = random.some(TAGS, tag_count);
    let blocks = random.some(&BLOCKS, block_count);
    let mut fm = format!(
        "---\ntitle: \"{title}\"\nsummary: \"{}\"\ntags: {}\nbron: gegenereerd\n",
        words.sentence(random, 12),
        list(&tags)
    );
    let date = format!(
        "20{:02}-{:02}-{:02}",
        20 + random.below(6),
        1 + random.below(12),
        1 + random.below(28)
    );
    match folder {
        "inspiratie" => {
            let _ = write!(
                fm,
                "date: {date}\nvragen:\n  - \"{}?\"\n  - \"{}?\"\ndimensies: {}\nbouwstenen: {}\nleeftijd: [\"peuters\"]\nopvangvorm: [\"groepsopvang\"]\n",
                words.sentence(random, 8).trim_end_matches('.'),
                words.sentence(random, 9).trim_end_matches('.'),
                list(&random.some(DIMENSIONS, 2)),
                list(&blocks)
            );
        }
        "methodieken" => {
            let _ = write!(
                fm,
                "fase: {}\ngroep: {}\nduur: {}\nmateriaal: [\"papier\", \"pen\"]\nstappen:\n  - \"{}\"\n  - \"{}\"\nbouwstenen: {}\ntrajecttype: [\"{}\"]\n",
                list(&random.some(PHASES, 2)),
                list(&random.some(GROUPS, 1)),
                15 * random.range(1, 8),
                words.sentence(random, 8),
                words.sentence(random, 8),
                list(&blocks),
                1 + random.below(4)
            );
        }
        _ => {
            let _ = write!(
                fm,
                "principes: [\"{}\"]\nbouwstenen: {}\n",
                words.sentence(random, 4),
                list(&blocks)
            );
        }
    }
    fm.push_str("---\n");
    fm
}

/// 400-900 words in sections, with lists, emphasis, a table, sometimes code, and 2-5
/// wiki links to other entries or blocks.
fn body(random: &mut Random, words: &Words, pages: usize, out: &mut String) {
    let target_words = random.range(400, 900);
    let mut links = random.range(2, 5);
    let mut written = 0;
    let mut section = 0;
    while written < target_words {
        section += 1;
        let _ = writeln!(out, "\n## {} {section}\n", words.heading(random));
        for _ in 0..random.range(2, 4) {
            let mut paragraph = String::new();
            for s in 0..random.range(3, 6) {
                let length = random.range(8, 16);
                written += length;
                let mut text = words.sentence(random, length);
                if s == 1 {
                    text = format!("*{}* {}", words.word(random), text);
                }
                if links > 0 && random.below(3) == 0 {
                    links -= 1;
                    text.push_str(&format!(" Zie ook [[{}]].", link_target(random, pages)));
                }
                paragraph.push_str(&text);
                paragraph.push(' ');
            }
            let _ = writeln!(out, "{}\n", paragraph.trim_end());
        }
        match section % 4 {
            1 => {
                for _ in 0..random.range(3, 5) {
                    let _ =
                        writeln!(out, "- **{}** {}", words.word(random), words.sentence(random, 6));
                }
                written += 30;
            }
            2 => {
                let _ = writeln!(out, "| moment | wat we zien |\n|---|---|");
                for _ in 0..3 {
                    let _ =
                        writeln!(out, "| {} | {} |", words.word(random), words.sentence(random, 5));
                }
                written += 20;
            }
            3 if random.below(4) == 0 => {
                let _ = writeln!(
                    out,
                    "```yaml\nfase: {}\nduur: {}\n```",
                    random.pick(PHASES),
                    random.range(10, 60)
                );
            }
            _ => {}
        }
    }
    while links > 0 {
        links -= 1;
        let _ = writeln!(out, "\nLees verder bij [[{}]].", link_target(random, pages));
    }
}

fn link_target(random: &mut Random, pages: usize) -> String {
    if pages == 0 || random.below(3) == 0 {
        random.pick(&BLOCKS).to_string()
    } else {
        entry(random.below(pages)).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_sites_are_deterministic_and_build() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        generate(a.path(), 30, 7).unwrap();
        generate(b.path(), 30, 7).unwrap();
        let read = |dir: &Path| {
            fs::read_to_string(dir.join("content/inspiratie/inspiratie-00010.md")).unwrap()
        };
        assert_eq!(read(a.path()), read(b.path()));
        let words = read(a.path()).split_whitespace().count();
        assert!((400..1200).contains(&words), "{words} words");
        let out = a.path().join("public");
        let report =
            crate::build(&crate::BuildOptions { root: a.path().to_path_buf(), output: out })
                .unwrap_or_else(|d| panic!("{}", d.in_language(crate::diag::Lang::En)));
        assert_eq!(
            report.pages,
            30 + 12 + 1 + 4 + 1,
            "entries, blocks, home, kind indexes, search page"
        );
    }
}
