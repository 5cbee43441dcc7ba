//! The view models templates see: [`SiteView`], [`PageView`], [`LinkView`]. Templates
//! never see the pipeline's own structs, so those can change without breaking themes.
//!
//! All hrefs here are site-relative (`inspiratie/x/index.html`); templates put
//! `{{ root }}` in front, which leads from the current page back to the site root, so
//! every link also works from `file://`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::brand::Brand;
use crate::config::{Config, FieldType, Kind, Organisation};
use crate::link::{Backlink, Heading};
use crate::load::{Page, Role};

/// Where the page that shows the reader's selection lives.
pub const SELECTION_URL: &str = "selectie/";

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: Option<&'a str>,
    /// Whether links go to folders (`a/b/`) rather than files (`a/b/index.html`).
    pub clean_urls: bool,
    pub organisation: &'a Organisation,
    /// The organisation's colours, checked for contrast, with a dark-mode variant.
    pub brand: &'a Brand,
    pub kinds: Vec<KindView<'a>>,
    /// The page that shows the entries the reader selected.
    pub selection_href: String,
    /// The search page, the search field's destination without JavaScript.
    pub search_href: String,
    pub extra: &'a Map<String, Value>,
    /// The Atom feeds, for `<link rel="alternate">`.
    pub feeds: Vec<FeedLink<'a>>,
}

/// A feed of the site.
#[derive(Serialize)]
pub struct FeedLink<'a> {
    pub title: &'a str,
    pub href: &'a str,
}

/// A link to a listing page of a tag or facet value, or to a whole listing.
#[derive(Serialize, Clone)]
pub struct TermLink<'a> {
    pub label: &'a str,
    pub href: String,
    /// How many pages it lists.
    pub count: usize,
}

/// A kind's facet field with a link to each value's listing page, on the kind's index.
#[derive(Serialize)]
pub struct FacetLinks<'a> {
    pub label: &'a str,
    pub href: String,
    pub terms: Vec<TermLink<'a>>,
}

#[derive(Serialize)]
pub struct KindView<'a> {
    pub name: &'a str,
    pub folder: &'a str,
    pub singular: &'a str,
    pub plural: &'a str,
    pub href: String,
    /// The page with every entry of the kind, for printing, if the kind has one.
    pub book_href: Option<String>,
    pub fields: Vec<FieldView<'a>>,
}

#[derive(Serialize)]
pub struct FieldView<'a> {
    pub name: &'a str,
    pub label: &'a str,
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub facet: bool,
    pub values: Option<&'a [String]>,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a Config, brand: &'a Brand, clean_urls: bool) -> Self {
        let href = |url: &str| href_for_url(url, clean_urls);
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: config.base_url.as_deref(),
            clean_urls,
            organisation: &config.organisation,
            brand,
            kinds: config
                .kinds()
                .map(|k| {
                    let book = book_url(k).map(|url| href(&url));
                    KindView::new(k, href(&format!("{}/", k.folder)), book)
                })
                .collect(),
            selection_href: href(SELECTION_URL),
            search_href: href(&format!("{}/", crate::load::search_page_name(&config.language).0)),
            extra: &config.extra,
            feeds: Vec::new(),
        }
    }
}

/// The folder of a kind's book page (`inspiratie/boek/`), if it has one.
pub fn book_url(kind: &Kind) -> Option<String> {
    kind.book.as_ref().map(|book| format!("{}/{book}/", kind.folder))
}

impl<'a> KindView<'a> {
    fn new(kind: &'a Kind, href: String, book_href: Option<String>) -> Self {
        let fields = kind
            .fields
            .iter()
            .map(|(name, f)| FieldView {
                name,
                label: f.label_or(name),
                ty: f.ty,
                facet: f.facet,
                values: f.values.as_deref(),
            })
            .collect();
        KindView {
            name: &kind.name,
            folder: &kind.folder,
            singular: &kind.singular,
            plural: &kind.plural,
            href,
            book_href,
            fields,
        }
    }
}

/// A link to another page, with what a list or card shows of it.
#[derive(Serialize, Clone)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub href: String,
    pub slug: &'a str,
    /// The name a link can always use (`inspiratie/x`): the selection stores it.
    pub key: &'a str,
    pub kind: Option<&'a str>,
    pub kind_label: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub date: Option<&'a str>,
    // A link's tags and fields stay out of the templates' data: lists of links would
    // otherwise grow with every value of every entry they list (a page with 100,000
    // tags has 100,000 tag pages, each listing it).
    #[serde(skip)]
    pub tags: &'a [String],
    #[serde(skip)]
    pub fields: &'a Map<String, Value>,
    /// The sentence around a backlink.
    pub context: Option<&'a str>,
    /// The reference field a backlink came through.
    pub field: Option<&'a str>,
    /// On index pages: the entry's values of the kind's facet fields, by field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<BTreeMap<&'a str, Vec<String>>>,
}

/// A field the entries of a kind can be filtered by, with the values they have.
#[derive(Serialize)]
pub struct FacetView<'a> {
    pub name: &'a str,
    pub label: &'a str,
    /// `any`: entries with any of the chosen values; `max`: numbers up to the chosen one.
    pub mode: &'static str,
    /// Whether the values are pages (a reference field): options show their titles.
    pub linked: bool,
    pub options: Vec<FacetOption>,
}

#[derive(Serialize)]
pub struct FacetOption {
    /// As in the entries' facet values and the URL.
    pub value: String,
    /// What the reader sees: the value, or a referenced page's title.
    pub label: String,
}

/// An entry's place among its kind's entries, for next/previous and lunch mode.
#[derive(Serialize)]
pub struct Sequence<'a> {
    pub prev: Option<LinkView<'a>>,
    pub next: Option<LinkView<'a>>,
    /// 1-based.
    pub number: usize,
    pub count: usize,
}

/// Backlinks of one kind.
#[derive(Serialize)]
pub struct BacklinkGroup<'a> {
    pub kind: Option<&'a str>,
    pub label: &'a str,
    pub links: Vec<LinkView<'a>>,
}

/// A declared field with its value, for showing on the page.
#[derive(Serialize)]
pub struct Property<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a Value,
    /// For reference fields: the pages referred to.
    pub links: Vec<LinkView<'a>>,
    /// For other facet fields: the listing page of each value.
    pub terms: Vec<TermLink<'a>>,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub key: &'a str,
    pub role: &'static str,
    pub kind: Option<&'a str>,
    pub kind_singular: Option<&'a str>,
    pub kind_plural: Option<&'a str>,
    pub href: String,
    /// The absolute URL, when the site has a `base_url`.
    pub permalink: Option<String>,
    pub source: String,
    pub date: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// The summary, or the start of the first paragraph: for meta descriptions.
    pub description: String,
    pub tags: &'a [String],
    /// The tag pages of the page's tags.
    pub tag_links: Vec<TermLink<'a>>,
    pub weight: Option<f64>,
    pub fields: &'a Map<String, Value>,
    pub properties: Vec<Property<'a>>,
    /// The label of each of `properties`, by field name (`page.labels.bron`): one lookup
    /// for a template, where a loop over `properties` takes one per field.
    pub labels: BTreeMap<&'a str, &'a str>,
    pub content: String,
    pub toc: &'a [Heading],
    pub outgoing: Vec<LinkView<'a>>,
    pub backlinks: Vec<BacklinkGroup<'a>>,
    /// The backlinks from pages that name this one in a reference field (the methods
    /// and entries that serve a building block), grouped by kind.
    pub referenced_by: Vec<BacklinkGroup<'a>>,
    /// The other backlinks: pages that mention this one in their text.
    pub mentioned_by: Vec<BacklinkGroup<'a>>,
    /// The kind's index page, for entries and kind indexes.
    pub kind_href: Option<String>,
    /// For entries: the previous and next entry of the kind.
    pub sequence: Option<Sequence<'a>>,
    /// For kind indexes: the fields to filter the entries by.
    pub facets: Vec<FacetView<'a>>,
    /// The SVG of the page's graph: the whole graph on the home page and the graph
    /// kind's index, the neighbourhood on a graph kind's entry.
    pub graph: Option<String>,
}

impl<'a> PageView<'a> {
    /// The view of a page spiegel makes itself (a listing, the 404 page): no content of
    /// its own, but every field a template may use.
    pub fn generated(
        title: &'a str,
        role: &'static str,
        href: String,
        description: String,
        fields: &'a Map<String, Value>,
    ) -> Self {
        PageView {
            title,
            slug: "",
            key: "",
            role,
            kind: None,
            kind_singular: None,
            kind_plural: None,
            href,
            permalink: None,
            source: String::new(),
            date: None,
            summary: None,
            description,
            tags: &[],
            tag_links: Vec::new(),
            weight: None,
            fields,
            properties: Vec::new(),
            labels: BTreeMap::new(),
            content: String::new(),
            toc: &[],
            outgoing: Vec::new(),
            backlinks: Vec::new(),
            referenced_by: Vec::new(),
            mentioned_by: Vec::new(),
            kind_href: None,
            sequence: None,
            facets: Vec::new(),
            graph: None,
        }
    }

    /// A page with nothing on it, for pages that gather others (a book, the selection).
    pub fn empty(fields: &'a Map<String, Value>) -> Self {
        PageView::generated("", "page", String::new(), String::new(), fields)
    }
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Home => "home",
        Role::KindIndex => "kind_index",
        Role::Section => "section",
        Role::Entry => "entry",
        Role::Page => "page",
        Role::SearchIndex => "search",
    }
}

/// Makes [`LinkView`]s of pages: knows every page and kind, and how to write an href.
pub struct Linker<'a> {
    pub pages: &'a [Arc<Page>],
    pub config: &'a Config,
    pub clean_urls: bool,
    /// The heading of backlinks from pages of no kind.
    pub other_pages: &'a str,
}

impl<'a> Linker<'a> {
    /// Site-relative href of a page's output.
    pub fn href(&self, page: &Page) -> String {
        href_for_url(&page.url, self.clean_urls)
    }

    pub fn link(&self, index: usize) -> LinkView<'a> {
        let page = &self.pages[index];
        let kind = page.kind.as_deref().and_then(|k| self.config.kind(k));
        LinkView {
            title: &page.title,
            href: self.href(page),
            slug: &page.slug,
            key: &page.key,
            kind: page.kind.as_deref(),
            kind_label: kind.map(|k| k.singular.as_str()),
            summary: page.summary.as_deref(),
            date: page.date.as_deref(),
            tags: &page.tags,
            fields: &page.fields,
            context: None,
            field: None,
            facets: None,
        }
    }

    /// Whether two versions of a page look the same wherever other pages show them:
    /// everything [`Linker::link`] reads, and the key `get_page` finds them by.
    pub fn same_card(a: &Page, b: &Page) -> bool {
        a.title == b.title
            && a.url == b.url
            && a.slug == b.slug
            && a.key == b.key
            && a.kind == b.kind
            && a.summary == b.summary
            && a.date == b.date
            && a.tags == b.tags
            && a.fields == b.fields
    }

    pub fn backlink(&self, backlink: &'a Backlink) -> LinkView<'a> {
        LinkView {
            context: backlink.context.as_deref(),
            field: backlink.field.as_deref(),
            ..self.link(backlink.source)
        }
    }

    /// The backlinks that `keep`, grouped by the source's kind, in the order of
    /// `site.yaml`; pages of no kind last.
    pub fn group_backlinks(
        &self,
        backlinks: &'a [Backlink],
        keep: impl Fn(&Backlink) -> bool,
    ) -> Vec<BacklinkGroup<'a>> {
        let mut groups: Vec<BacklinkGroup<'a>> = Vec::new();
        for kind in self.config.kinds().map(Some).chain([None]) {
            let name = kind.map(|k| k.name.as_str());
            let links: Vec<LinkView<'a>> = backlinks
                .iter()
                .filter(|b| keep(b) && self.pages[b.source].kind.as_deref() == name)
                .map(|b| self.backlink(b))
                .collect();
            if !links.is_empty() {
                let label = kind.map_or(self.other_pages, |k| k.plural.as_str());
                groups.push(BacklinkGroup { kind: name, label, links });
            }
        }
        groups
    }
}

pub fn href_for_url(url: &str, clean_urls: bool) -> String {
    if clean_urls {
        if url.is_empty() {
            "./".to_string()
        } else {
            url.to_string()
        }
    } else {
        format!("{url}index.html")
    }
}

/// `../` once per folder level of `url`: from the page back to the site root.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_roots() {
        assert_eq!(root_prefix(""), "");
        assert_eq!(root_prefix("over/"), "../");
        assert_eq!(root_prefix("bouwstenen/team/"), "../../");
        assert_eq!(href_for_url("", false), "index.html");
        assert_eq!(href_for_url("a/b/", true), "a/b/");
    }
}
