//! Live reload and the error overlay: the news of each rebuild, and the small script
//! the server puts into every HTML page it serves (never into built files).
//!
//! The rebuild loop publishes into a [`Hub`]: after a good build the output paths that
//! changed, after a failed one the problems. Each open tab holds a server-sent-events
//! stream (`/__spiegel/events`); the script reloads the tab when its page (or any
//! non-page file) changed, and shows the problems as an overlay until the next good
//! build. The overlay writes the problems with `textContent`, so text from the site
//! can never become markup.

use std::io::Write;
use std::net::TcpStream;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::diag::{Diagnostics, Lang, Note};

/// The path of the event stream.
pub(crate) const EVENTS_PATH: &str = "/__spiegel/events";

/// How often an idle stream sends a comment, so that closed tabs are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What the last build said, for every tab's stream.
#[derive(Default)]
pub(crate) struct Hub {
    state: Mutex<News>,
    changed: Condvar,
}

#[derive(Default, Clone)]
struct News {
    /// Counts builds, good or failed.
    generation: u64,
    /// The problems of the last build (a JSON array of strings), if it failed.
    errors: Option<String>,
    /// The output paths the last good build changed or removed (a JSON array).
    paths: String,
    stopped: bool,
}

impl Hub {
    fn news(&self) -> MutexGuard<'_, News> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn generation(&self) -> u64 {
        self.news().generation
    }

    pub(crate) fn publish_good(&self, paths: &[&str]) {
        let mut news = self.news();
        news.generation += 1;
        news.errors = None;
        news.paths = serde_json::to_string(paths).unwrap_or_else(|_| "null".into());
        self.changed.notify_all();
    }

    /// Shows the problems in every open tab, in the site's language `lang`: the event's
    /// data is `{"title": "…", "problems": ["…", …]}`.
    pub(crate) fn publish_errors(&self, diagnostics: &Diagnostics, lang: Lang) {
        let problems: Vec<String> = diagnostics
            .clone()
            .into_sorted()
            .iter()
            .map(|d| d.in_language(lang).to_string())
            .collect();
        let title = Note::OverlayTitle { problems: problems.len() }.text(lang);
        let data = serde_json::json!({ "title": title, "problems": problems });
        let mut news = self.news();
        news.generation += 1;
        news.errors = Some(data.to_string());
        self.changed.notify_all();
    }

    pub(crate) fn stop(&self) {
        self.news().stopped = true;
        self.changed.notify_all();
    }
}

/// Streams the news to one tab until it goes away or the server stops. `since` is the
/// generation the tab's page was served at: anything newer is sent at once.
pub(crate) fn stream_events(stream: &mut TcpStream, hub: &Hub, since: u64) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          Connection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    let mut seen = since;
    let news = hub.news().clone();
    if let Some(errors) = news.errors.filter(|_| news.generation == since) {
        write_event(stream, "errors", &errors)?;
    }
    loop {
        let news = {
            let guard = hub.news();
            let (guard, _) = hub
                .changed
                .wait_timeout_while(guard, HEARTBEAT, |n| n.generation == seen && !n.stopped)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            guard.clone()
        };
        if news.stopped {
            return Ok(());
        }
        if news.generation == seen {
            stream.write_all(b": ping\n\n")?;
            stream.flush()?;
            continue;
        }
        match &news.errors {
            Some(errors) => write_event(stream, "errors", errors)?,
            // A tab that missed a build cannot know what changed: it reloads.
            None if news.generation == seen + 1 => write_event(stream, "reload", &news.paths)?,
            None => write_event(stream, "reload", "null")?,
        }
        seen = news.generation;
    }
}

fn write_event(stream: &mut TcpStream, name: &str, data: &str) -> std::io::Result<()> {
    stream.write_all(format!("event: {name}\ndata: {data}\n\n").as_bytes())?;
    stream.flush()
}

/// The page with the live script before its `</body>` (or at the end).
pub(crate) fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = SCRIPT.replace("__GENERATION__", &generation.to_string());
    let at =
        html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page for paths the site does not have; it reloads when the page appears.
pub(crate) fn not_found_page(path: &str, lang: Lang) -> Vec<u8> {
    let path = crate::render::theme::escape_html(path);
    let (code, title) = (lang.code(), Note::NotFound.text(lang));
    let (text, home) = (Note::NoPageAt { path }.text(lang), Note::ToHome.text(lang));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head>\n<body style=\"font-family: system-ui, sans-serif; \
         max-width: 40rem; margin: 3rem auto; padding: 0 1rem\">\n<h1>{title}</h1>\n\
         <p>{text}</p>\n<p><a href=\"/\">{home}</a></p>\n</body>\n</html>\n"
    )
    .into_bytes()
}

const SCRIPT: &str = r#"<script data-spiegel-live>
(function () {
  var here = decodeURIComponent(location.pathname.replace(/^\//, ""));
  if (here === "" || here.slice(-1) === "/") here += "index.html";
  var events = new EventSource("/__spiegel/events?since=__GENERATION__");
  events.addEventListener("reload", function (e) {
    var paths = JSON.parse(e.data);
    var mine = !paths || document.getElementById("spiegel-errors") ||
      paths.some(function (p) { return p === here || !/\.html$/.test(p); });
    if (mine) location.reload();
  });
  events.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
  function show(news) {
    var box = document.getElementById("spiegel-errors");
    if (!box) {
      box = document.createElement("section");
      box.id = "spiegel-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:70vh;overflow:auto;" +
        "z-index:2147483647;margin:0;padding:1rem 1.5rem;background:#fff5f5;color:#1a1a1a;" +
        "border-top:4px solid #b3261e;box-shadow:0 -4px 16px rgba(0,0,0,.25);font:16px/1.4 system-ui,sans-serif";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 .5rem;font-size:1.1rem;color:#b3261e";
    title.textContent = news.title;
    box.appendChild(title);
    news.problems.forEach(function (text) {
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:.5rem 0;white-space:pre-wrap;font:14px/1.4 ui-monospace,monospace";
      pre.textContent = text;
      box.appendChild(pre);
    });
  }
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></BODY></html>", 7);
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html><body><p>x</p><script data-spiegel-live>"));
        assert!(page.contains("since=7"));
        assert!(page.ends_with("</script>\n</BODY></html>"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", 1)).unwrap();
        assert!(bare.starts_with("<p>no body</p><script"));
    }

    #[test]
    fn the_plain_not_found_page_speaks_the_sites_language() {
        let page = String::from_utf8(not_found_page("a<b>", Lang::Fr)).unwrap();
        assert!(page.contains("<html lang=\"fr\">"), "{page}");
        assert!(page.contains("<h1>Page introuvable</h1>"), "{page}");
        assert!(page.contains("pas de page à l'adresse <code>a&lt;b&gt;</code>."), "{page}");
    }
}
