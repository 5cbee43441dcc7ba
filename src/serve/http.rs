//! HTTP for the preview server: reading a request head, finding the file a path names
//! in the site held in memory, and writing a response.
//!
//! Takes the request's bytes and the [`Files`] of the last good build; hands on a
//! [`Response`]. A path is percent-decoded once and refused when any segment is `..` or
//! `.`, holds a backslash or NUL, or when a copied file resolves (through symlinks) to a
//! place outside the site. Folders serve their `index.html`; a folder without its
//! trailing slash is redirected, so that relative links in the page work.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;

use crate::write::Content;

/// The site as served: output path → content, as the last good build left it.
pub(crate) type Files = HashMap<String, Content>;

/// Request heads larger than this are refused.
const MAX_HEAD_BYTES: u64 = 16 * 1024;

/// What a request asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The path without query, not yet decoded.
    pub(crate) path: String,
    pub(crate) query: String,
}

/// Reads the request line and skips the headers (no request here has a body).
pub(crate) fn read_request(stream: &TcpStream) -> std::io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD_BYTES));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut header = String::new();
    loop {
        header.clear();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else { return Ok(None) };
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Some(Request { method: method.to_string(), path: path.to_string(), query: query.into() }))
}

/// A response to write.
#[derive(Debug)]
pub struct Response {
    pub status: &'static str,
    pub content_type: &'static str,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(status: &'static str, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: body.as_bytes().to_vec(),
        }
    }

    pub(crate) fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// Writes the response and closes the exchange (`Connection: close`).
pub fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    if let Some(location) = &response.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// What a request path names in the site.
#[derive(Debug, PartialEq)]
pub(crate) enum Lookup {
    /// A file of the site, by its output path.
    Found(String),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    NotFound,
    /// A path that tries to leave the site, or cannot be read.
    Refused(&'static str),
}

/// Finds the output file `raw_path` (as sent, percent-encoded) names.
pub(crate) fn lookup(files: &Files, raw_path: &str) -> Lookup {
    let Some(path) = percent_decode(raw_path) else {
        return Lookup::Refused("bad percent-encoding");
    };
    let Some(rel) = path.strip_prefix('/') else { return Lookup::Refused("not an absolute path") };
    let escapes = rel.starts_with('/') || rel.contains(['\\', '\0']);
    if escapes || rel.split('/').any(|s| s == ".." || s == ".") {
        return Lookup::Refused("the path leaves the site");
    }
    let key =
        if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.into() };
    if files.contains_key(&key) {
        return Lookup::Found(key);
    }
    if files.contains_key(&format!("{rel}/index.html")) {
        return Lookup::Redirect(format!("{raw_path}/"));
    }
    Lookup::NotFound
}

/// The bytes of a file: kept ones as they are, copied ones read now, but only when the
/// file (symlinks followed) lies inside the site's folder.
pub(crate) fn read_content(content: &Content, site_root: &Path) -> Result<Vec<u8>, Lookup> {
    match content {
        Content::Bytes(bytes) => Ok(bytes.clone()),
        Content::Parts(parts) => parts.join().map_err(|_| Lookup::Refused("cannot be read")),
        Content::Copy(source) => {
            let real = source.canonicalize().map_err(|_| Lookup::NotFound)?;
            if !real.starts_with(site_root) {
                return Err(Lookup::Refused("the file lies outside the site"));
            }
            std::fs::read(real).map_err(|_| Lookup::NotFound)
        }
    }
}

/// The `Content-Type` of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Files {
        ["index.html", "a/index.html", "a/b.css", "a b/index.html"]
            .into_iter()
            .map(|p| (p.to_string(), Content::Bytes(p.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn finds_files_folders_and_refuses_escapes() {
        let files = site();
        let cases: &[(&str, Lookup)] = &[
            ("/", Lookup::Found("index.html".into())),
            ("/a/", Lookup::Found("a/index.html".into())),
            ("/a", Lookup::Redirect("/a/".into())),
            ("/a/b.css", Lookup::Found("a/b.css".into())),
            ("/a%20b/", Lookup::Found("a b/index.html".into())),
            ("/nope", Lookup::NotFound),
            ("/../etc/passwd", Lookup::Refused("the path leaves the site")),
            ("/a/../../x", Lookup::Refused("the path leaves the site")),
            ("/%2e%2e/%2e%2e/etc/passwd", Lookup::Refused("the path leaves the site")),
            ("/a/%2E%2E/index.html", Lookup::Refused("the path leaves the site")),
            ("/..%2fetc", Lookup::Refused("the path leaves the site")),
            ("/..%5c..%5cwin.ini", Lookup::Refused("the path leaves the site")),
            ("//etc/passwd", Lookup::Refused("the path leaves the site")),
            ("/a/./b.css", Lookup::Refused("the path leaves the site")),
            ("/%00", Lookup::Refused("the path leaves the site")),
            ("etc/passwd", Lookup::Refused("not an absolute path")),
            ("/%zz", Lookup::Refused("bad percent-encoding")),
        ];
        for (path, expected) in cases {
            assert_eq!(&lookup(&files, path), expected, "{path}");
        }
    }
}
