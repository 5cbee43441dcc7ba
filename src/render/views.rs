//! The view models templates see: [`SiteView`], [`PageView`], [`LinkView`]. Templates
//! never see the pipeline's own structs, so those can change without breaking themes.
//!
//! All hrefs here are site-relative (`inspiratie/x/index.html`); templates put
//! `{{ root }}` in front, which leads from the current page back to the site root, so
//! every link also works from `file://`.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::{Config, FieldType, Kind, Organisation};
use crate::link::{Backlink, Heading};
use crate::load::{Page, Role};

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: Option<&'a str>,
    pub organisation: &'a Organisation,
    pub kinds: Vec<KindView<'a>>,
    pub extra: &'a Map<String, Value>,
}

#[derive(Serialize)]
pub struct KindView<'a> {
    pub name: &'a str,
    pub singular: &'a str,
    pub plural: &'a str,
    pub href: String,
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
    pub fn new(config: &'a Config, href: impl Fn(&str) -> String) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: config.base_url.as_deref(),
            organisation: &config.organisation,
            kinds: config
                .kinds()
                .map(|k| KindView::new(k, href(&format!("{}/", k.folder))))
                .collect(),
            extra: &config.extra,
        }
    }
}

impl<'a> KindView<'a> {
    fn new(kind: &'a Kind, href: String) -> Self {
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
        KindView { name: &kind.name, singular: &kind.singular, plural: &kind.plural, href, fields }
    }
}

/// A link to another page, with what a list or card shows of it.
#[derive(Serialize, Clone)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub href: String,
    pub slug: &'a str,
    pub kind: Option<&'a str>,
    pub kind_label: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub date: Option<&'a str>,
    pub tags: &'a [String],
    pub fields: &'a Map<String, Value>,
    /// The sentence around a backlink.
    pub context: Option<&'a str>,
    /// The reference field a backlink came through.
    pub field: Option<&'a str>,
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
    pub source: String,
    pub date: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// The summary, or the start of the first paragraph: for meta descriptions.
    pub description: String,
    pub tags: &'a [String],
    pub weight: Option<f64>,
    pub fields: &'a Map<String, Value>,
    pub properties: Vec<Property<'a>>,
    pub content: String,
    pub toc: &'a [Heading],
    pub outgoing: Vec<LinkView<'a>>,
    pub backlinks: Vec<BacklinkGroup<'a>>,
    /// The SVG of the page's graph: the whole graph on the home page and the graph
    /// kind's index, the neighbourhood on a graph kind's entry.
    pub graph: Option<String>,
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Home => "home",
        Role::KindIndex => "kind_index",
        Role::Section => "section",
        Role::Entry => "entry",
        Role::Page => "page",
    }
}

/// Makes [`LinkView`]s of pages: knows every page and kind, and how to write an href.
pub struct Linker<'a> {
    pub pages: &'a [Arc<Page>],
    pub config: &'a Config,
    pub clean_urls: bool,
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
            kind: page.kind.as_deref(),
            kind_label: kind.map(|k| k.singular.as_str()),
            summary: page.summary.as_deref(),
            date: page.date.as_deref(),
            tags: &page.tags,
            fields: &page.fields,
            context: None,
            field: None,
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

    /// Backlinks grouped by the source's kind, in the order of `site.yaml`; pages of no
    /// kind last.
    pub fn group_backlinks(&self, backlinks: &'a [Backlink]) -> Vec<BacklinkGroup<'a>> {
        let mut groups: Vec<BacklinkGroup<'a>> = Vec::new();
        for kind in self.config.kinds().map(Some).chain([None]) {
            let name = kind.map(|k| k.name.as_str());
            let links: Vec<LinkView<'a>> = backlinks
                .iter()
                .filter(|b| self.pages[b.source].kind.as_deref() == name)
                .map(|b| self.backlink(b))
                .collect();
            if !links.is_empty() {
                let label = kind.map_or("Pagina's", |k| k.plural.as_str());
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
