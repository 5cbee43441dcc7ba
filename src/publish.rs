//! Publishing outputs: what a site on the web needs besides its pages. An Atom feed of
//! the newest entries of each kind with dated entries, `robots.txt`, and, when
//! `base_url` says where the site lives, `sitemap.xml` and absolute (canonical) URLs.
//!
//! Takes the loaded site, its links, the config and the rendered pages; hands on the
//! extra output files. Nothing here depends on the time of the build, so the same
//! input gives the same bytes.

use crate::config::Config;
use crate::link::Links;
use crate::load::Site;
use crate::render::theme::escape_html;
use crate::render::views::href_for_url;
use crate::write::{Content, OutputFile};

/// How many entries a feed holds.
const FEED_ENTRIES: usize = 20;

/// The site's base URL with a trailing slash, if it has one.
pub fn base_url(config: &Config) -> Option<String> {
    let base = config.base_url.as_deref()?.trim();
    Some(if base.ends_with('/') { base.to_string() } else { format!("{base}/") })
}

/// The absolute URL of a site-relative href (`a/b/index.html`, or `./` for the home
/// page with clean URLs).
pub fn permalink(base: &str, href: &str) -> String {
    format!("{base}{}", href.trim_start_matches("./"))
}

/// The Atom feed of one kind.
#[derive(Debug, Clone)]
pub struct Feed {
    pub kind: String,
    pub title: String,
    /// Site-relative path of the feed file: `inspiratie/atom.xml`.
    pub path: String,
    /// The newest dated entries, newest first.
    pub entries: Vec<usize>,
}

/// A feed for every kind that has dated entries.
pub fn feeds(site: &Site, links: &Links, config: &Config) -> Vec<Feed> {
    config
        .kinds()
        .filter_map(|kind| {
            let mut entries: Vec<usize> = links
                .index
                .entries_of_kind(&kind.name)
                .iter()
                .copied()
                .filter(|&i| site.pages[i].date.is_some())
                .collect();
            if entries.is_empty() {
                return None;
            }
            entries.sort_by(|&a, &b| {
                let (pa, pb) = (&site.pages[a], &site.pages[b]);
                pb.date.cmp(&pa.date).then_with(|| pa.url.cmp(&pb.url))
            });
            entries.truncate(FEED_ENTRIES);
            let title = format!("{}: {}", config.title, kind.plural);
            let path = format!("{}/atom.xml", kind.folder);
            Some(Feed { kind: kind.name.clone(), title, path, entries })
        })
        .collect()
}

/// What the publishing files need to know of each page.
pub struct Published<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub feeds: &'a [Feed],
    /// Each page's meta description, indexed like `site.pages`.
    pub descriptions: &'a [String],
    /// Site-relative folders of the generated listing pages (tags, facets).
    pub listings: &'a [String],
}

/// The feeds, `robots.txt` and, with a base URL, `sitemap.xml`.
pub fn files(published: &Published<'_>) -> Vec<OutputFile> {
    let base = base_url(published.config);
    let mut files: Vec<OutputFile> = published
        .feeds
        .iter()
        .map(|feed| bytes(&feed.path, atom(feed, published, base.as_deref())))
        .collect();
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &base {
        robots.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
        files.push(bytes("sitemap.xml", sitemap(published, base)));
    }
    files.push(bytes("robots.txt", robots));
    files
}

fn bytes(path: &str, text: String) -> OutputFile {
    OutputFile { path: path.to_string(), content: Content::Bytes(text.into_bytes()) }
}

fn clean_urls(config: &Config) -> bool {
    crate::render::clean_urls(config)
}

/// `sitemap.xml`: every page and listing, with the page's date where it has one.
fn sitemap(published: &Published<'_>, base: &str) -> String {
    let clean = clean_urls(published.config);
    let mut urls: Vec<(String, Option<&str>)> = published
        .site
        .pages
        .iter()
        .map(|p| (href_for_url(&p.url, clean), p.date.as_deref()))
        .chain(published.listings.iter().map(|url| (href_for_url(url, clean), None)))
        .collect();
    urls.sort();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (href, date) in urls {
        xml.push_str(&format!("  <url><loc>{}</loc>", escape_html(&permalink(base, &href))));
        if let Some(date) = date.and_then(|d| d.get(..10)) {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// An Atom feed (RFC 4287). Without a base URL, links are relative to the feed and
/// ids are `urn:` names made from the site and page, so they stay the same.
fn atom(feed: &Feed, published: &Published<'_>, base: Option<&str>) -> String {
    let site = published.site;
    let clean = clean_urls(published.config);
    let up = "../".repeat(feed.path.matches('/').count());
    let link = |url: &str| {
        let href = href_for_url(url, clean);
        base.map_or_else(|| format!("{up}{href}"), |b| permalink(b, &href))
    };
    let id = |url: &str| match base {
        Some(b) => permalink(b, &href_for_url(url, clean)),
        None => format!(
            "urn:spiegel:{}:{}",
            crate::slug::slugify(&published.config.title),
            url.trim_end_matches('/')
        ),
    };
    let updated = |i: usize| {
        let date = site.pages[i].date.as_deref().and_then(|d| d.get(..10)).unwrap_or("1970-01-01");
        format!("{date}T00:00:00Z")
    };
    let author = &published.config.organisation.name;
    let author = if author.is_empty() { &published.config.title } else { author };
    let kind_url = feed.path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <title>{}</title>\n", escape_html(&feed.title)));
    xml.push_str(&format!("  <id>{}</id>\n", escape_html(&id(&format!("{kind_url}/atom")))));
    xml.push_str(&format!("  <link href=\"{}\"/>\n", escape_html(&link(&format!("{kind_url}/")))));
    if let Some(b) = base {
        xml.push_str(&format!(
            "  <link rel=\"self\" href=\"{}\"/>\n",
            escape_html(&format!("{b}{}", feed.path))
        ));
    }
    xml.push_str(&format!("  <updated>{}</updated>\n", updated(feed.entries[0])));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", escape_html(author)));
    for &i in &feed.entries {
        let page = &site.pages[i];
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", escape_html(&page.title)));
        xml.push_str(&format!("    <id>{}</id>\n", escape_html(&id(&page.url))));
        xml.push_str(&format!("    <link href=\"{}\"/>\n", escape_html(&link(&page.url))));
        xml.push_str(&format!("    <updated>{}</updated>\n", updated(i)));
        xml.push_str(&format!(
            "    <summary>{}</summary>\n",
            escape_html(&published.descriptions[i])
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalinks() {
        assert_eq!(permalink("https://x.org/a/", "b/index.html"), "https://x.org/a/b/index.html");
        assert_eq!(permalink("https://x.org/a/", "./"), "https://x.org/a/");
        assert_eq!(permalink("https://x.org/a/", "index.html"), "https://x.org/a/index.html");
    }
}
