//! Book parts drawn with the page. In a build for one time, an entry of a kind with a
//! book gets its parts of the book (its card, its line in the table of contents) drawn
//! while its page is, from the page's own view, instead of from a view made again when
//! the book is put together (which read its file and rendered its Markdown once more).
//!
//! The page's view and the book's differ only in the heading ids of the entry's text:
//! the book puts the entry's slug in front of them, so that they stay unique on its one
//! page. So the page's view marks its heading ids with [`ID_MARK`]; the parts are drawn
//! with the marks, which become the slug; then the marks go for the page and `card.js`
//! (which is the part drawn by `{% include "card.html" %}`, where the book has one).
//!
//! [`CardParts`] says which entries qualify and parks their parts; rendering hands the
//! parts, by page, to the books ([`super::Books::provide`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;

use super::collections::{card_script, card_script_text, move_into, names_variable};
use super::collections::{included, part_template, without_comments};
use super::Inputs;
use crate::diag::Diagnostic;
use crate::load::Page;
use crate::spill::Spill;
use crate::write::Piece;

/// Put in front of every heading id of a view whose book parts are drawn with its page.
/// No page text holds it: a page whose text does is drawn the usual way.
pub(super) const ID_MARK: &str = "\u{1}spiegel-id\u{1}";

/// Which entries' book parts are drawn with their pages, how, and where they wait.
pub struct CardParts {
    /// Per kind, the way from its book back to the site root: an entry's parts are drawn
    /// with its page only where the page has the same (its links are written from there).
    roots: HashMap<String, String>,
    /// The theme with each loop's body as a template of its own.
    tera: tera::Tera,
    /// Each loop's variable, by loop number.
    loops: Vec<String>,
    /// The loop whose part is the entry's card as `card.js` shows it, if one is.
    card_loop: Option<usize>,
    spill: Option<Arc<Spill>>,
}

impl CardParts {
    /// Parts drawn with the page, for the book cut at `loops` (their variables and
    /// bodies; `tera` holds the bodies), where each body draws the same from a page's
    /// context as from the book's: it uses neither `entries` nor `toc` (a page's context
    /// has them, the book's has not or has them empty), nor `page` unless that is the
    /// loop's own variable (the book's `page` is the book). Includes count.
    pub(super) fn new(
        (tera, loops, bodies): (&tera::Tera, &[String], &[String]),
        texts: &BTreeMap<String, String>,
        roots: HashMap<String, String>,
        spill: Option<Arc<Spill>>,
    ) -> Option<CardParts> {
        for (name, body) in loops.iter().zip(bodies) {
            let mut words = vec!["entries", "toc"];
            if name != "page" {
                words.push("page");
            }
            if !with_includes(body, texts)?
                .iter()
                .all(|t| words.iter().all(|w| !names_variable(t, w)))
            {
                return None;
            }
        }
        let card_loop = loops.iter().zip(bodies).position(|(name, body)| {
            name == "page" && body.trim() == "{% include \"card.html\" %}"
        });
        Some(CardParts { roots, tera: tera.clone(), loops: loops.to_vec(), card_loop, spill })
    }

    /// Whether `page`'s book parts are drawn with it, from `root`.
    pub(super) fn wanted(&self, page: &Page, root: &str) -> bool {
        page.role == crate::load::Role::Entry
            && page.kind.as_deref().and_then(|k| self.roots.get(k)).is_some_and(|r| r == root)
    }
}

/// A template's text and the texts of all it includes, without comments; `None` where
/// it includes a template the theme does not have.
fn with_includes(text: &str, texts: &BTreeMap<String, String>) -> Option<Vec<String>> {
    let mut found = vec![without_comments(text)];
    let mut names: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(text) = found.get(at) {
        let mut more = Vec::new();
        for name in included(text) {
            if !names.iter().any(|n| n == name) {
                more.push(without_comments(texts.get(name)?));
                names.push(name.to_string());
            }
        }
        found.extend(more);
        at += 1;
    }
    Some(found)
}

/// An entry's parts of the book, drawn with the marks in, and the card among them.
pub(super) struct Drawn(Vec<String>);

/// Draws the book parts of an entry whose view, `page` in `context`, has its heading
/// ids marked, then takes the marks out of the view's content, for the page. `None`
/// where a part fails, or holds the content's marks neither once each nor not at all
/// (a body that prints the content twice): the book draws the parts then.
pub(super) fn draw(context: &mut tera::Context, parts: &CardParts) -> Option<Drawn> {
    let drawn = draw_parts(context, parts);
    let marks = unmark_content(context);
    let once_each = |part: &String| {
        let count = part.matches(ID_MARK).count();
        count == 0 || count == marks
    };
    drawn.filter(|drawn| drawn.iter().all(once_each)).map(Drawn)
}

/// `card.js` and the book parts, from what [`draw`] drew: the card is the part of the
/// loop that includes `card.html` alone, else drawn on its own as for any entry.
pub(super) fn card_and_parts(
    inputs: &Inputs<'_>,
    page: &Page,
    context: &tera::Context,
    drawn: Option<Drawn>,
    parts: &CardParts,
) -> Result<(Option<String>, Option<Vec<Piece>>), Diagnostic> {
    let Some(Drawn(drawn)) = drawn else { return Ok((card_script(inputs, page, context)?, None)) };
    let card = match parts.card_loop.and_then(|n| drawn.get(n)) {
        Some(card) => Some(card_script_text(page, card.replace(ID_MARK, ""))),
        None => card_script(inputs, page, context)?,
    };
    let prefix = format!("{}--", page.slug);
    let park =
        |part: &String| Piece::parked_or_held(parts.spill.as_ref(), part.replace(ID_MARK, &prefix));
    let pieces = drawn.iter().map(park).collect();
    Ok((card, Some(pieces)))
}

/// Each loop's part, drawn from the page's context with its view as the loop's variable;
/// the view is moved, not copied, and back as `page` after. `None` if one fails.
fn draw_parts(context: &mut tera::Context, parts: &CardParts) -> Option<Vec<String>> {
    let mut view = context.remove("page")?;
    let mut drawn = Some(Vec::with_capacity(parts.loops.len()));
    for (n, name) in parts.loops.iter().enumerate() {
        move_into(context, name, view);
        let part = parts.tera.render(&part_template(n), context);
        view = context.remove(name).unwrap_or(Value::Null);
        match (part, drawn.as_mut()) {
            (Ok(part), Some(drawn)) => drawn.push(part),
            _ => drawn = None,
        }
    }
    move_into(context, "page", view);
    drawn
}

/// Takes the marks out of the content of the context's `page`, moving the view out
/// and back rather than copying it; how many there were.
fn unmark_content(context: &mut tera::Context) -> usize {
    let Some(mut view) = context.remove("page") else { return 0 };
    let mut marks = 0;
    if let Some(Value::String(content)) = view.get_mut("content") {
        let marked = content.len();
        *content = content.replace(ID_MARK, "");
        marks = (marked - content.len()) / ID_MARK.len();
    }
    move_into(context, "page", view);
    marks
}
