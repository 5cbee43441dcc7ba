//! `spiegel serve` over real HTTP: pages change when their files are edited, created,
//! renamed and deleted; a broken edit keeps the last good page and sends the problems;
//! content types, folders, 404, refused path escapes, a slow client that blocks no one,
//! and no trace of the live script in `spiegel build` output.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use spiegel::serve::Server;
use support::TempSite;

const PATIENCE: Duration = Duration::from_secs(20);

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Sends `request_line` with a Host header and reads the whole reply.
fn raw(addr: SocketAddr, request_line: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(stream, "{request_line}\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Reply { status, head: head.to_string(), body: body.to_string() }
}

fn get(server: &Server, path: &str) -> Reply {
    raw(server.addr(), &format!("GET {path} HTTP/1.1"))
}

/// Polls `path` until its body satisfies `ok`; panics with the last body after a while.
fn wait_for(server: &Server, path: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
    let start = Instant::now();
    loop {
        let reply = get(server, path);
        if ok(&reply) {
            return reply;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{path} never changed: {} {}",
            reply.status,
            reply.body
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn links_site() -> TempSite {
    TempSite::fixture("links")
}

#[test]
fn serves_pages_with_their_types_folders_and_a_404() {
    let site = links_site();
    site.write("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let server = site.serve();
    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(home.body.contains("<script data-spiegel-live>"), "the live script is injected");
    assert!(home.body.trim_end().ends_with("</script>\n</body>\n</html>"), "before </body>");
    let css = get(&server, "/style.css");
    assert_eq!((css.status, css.header("content-type")), (200, Some("text/css; charset=utf-8")));
    assert!(!css.body.contains("spiegel-live"));
    assert_eq!(get(&server, "/logo.svg").header("content-type"), Some("image/svg+xml"));
    let folder = get(&server, "/bouwstenen/alpha");
    assert_eq!((folder.status, folder.header("location")), (301, Some("/bouwstenen/alpha/")));
    let page = get(&server, "/bouwstenen/alpha/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Alpha</h1>"), "{}", page.body);
    assert_eq!(get(&server, "/bouwstenen/alpha/index.html").body, page.body);
    let missing = get(&server, "/bestaat/niet/");
    assert_eq!(missing.status, 404);
    // Every site has its own 404 page now, which serve answers with.
    assert!(missing.body.contains("<h1>Pagina niet gevonden</h1>"), "{}", missing.body);
    assert!(missing.body.contains("spiegel-live"), "the 404 page reloads too");
    let head = raw(server.addr(), "HEAD / HTTP/1.1");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(raw(server.addr(), "POST / HTTP/1.1").status, 405);
}

#[test]
fn edits_creations_renames_and_deletions_are_served() {
    let site = links_site();
    let server = site.serve();
    let alpha = site.root().join("content/bouwstenen/alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    std::fs::write(&alpha, text.replace("Alpha hangt samen", "Alpha hangt nauw samen")).unwrap();
    wait_for(&server, "/bouwstenen/alpha/", |r| r.body.contains("Alpha hangt nauw samen"));

    site.write("content/notes/nieuw.md", "---\ntitle: Nieuw hier\n---\nNaar [[alpha]].\n");
    let new = wait_for(&server, "/notes/nieuw/", |r| r.status == 200);
    assert!(new.body.contains("<h1>Nieuw hier</h1>"));
    wait_for(&server, "/bouwstenen/alpha/", |r| r.body.contains("Nieuw hier"));

    let (from, to) =
        (site.root().join("content/notes/nieuw.md"), site.root().join("content/notes/verhuisd.md"));
    std::fs::rename(&from, &to).unwrap();
    wait_for(&server, "/notes/verhuisd/", |r| r.status == 200);
    assert_eq!(get(&server, "/notes/nieuw/").status, 404);

    std::fs::remove_file(&to).unwrap();
    wait_for(&server, "/notes/verhuisd/", |r| r.status == 404);
    wait_for(&server, "/bouwstenen/alpha/", |r| !r.body.contains("Nieuw hier"));

    // An editor's safe save: a hidden temporary file, renamed over the page.
    let temporary = site.root().join("content/bouwstenen/.alpha.md.swp");
    std::fs::write(&temporary, text.replace("Alpha hangt samen", "Alpha hangt veilig samen"))
        .unwrap();
    std::fs::rename(&temporary, &alpha).unwrap();
    wait_for(&server, "/bouwstenen/alpha/", |r| r.body.contains("Alpha hangt veilig samen"));

    // A whole folder renamed: its pages move.
    std::fs::rename(site.root().join("content/notes"), site.root().join("content/notities"))
        .unwrap();
    wait_for(&server, "/notities/gewoon/", |r| r.status == 200);
    assert_eq!(get(&server, "/notes/gewoon/").status, 404);
}

/// Reads server-sent events from the stream until one named `name` arrives.
fn next_event(reader: &mut BufReader<TcpStream>, name: &str) -> String {
    let start = Instant::now();
    let mut event = String::new();
    let mut line = String::new();
    while start.elapsed() < PATIENCE {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("the event stream ended");
        }
        if let Some(e) = line.strip_prefix("event: ") {
            event = e.trim().to_string();
        } else if let Some(data) = line.strip_prefix("data: ") {
            if event == name {
                return data.trim().to_string();
            }
        }
    }
    panic!("no {name} event");
}

fn events(server: &Server) -> BufReader<TcpStream> {
    let generation = get(server, "/").body;
    let since = generation.split("since=").nth(1).unwrap().split('"').next().unwrap().to_string();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(stream, "GET /__spiegel/events?since={since} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    reader
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_sends_the_problems() {
    let site = links_site();
    let server = site.serve();
    let mut stream = events(&server);
    let good = get(&server, "/bouwstenen/alpha/").body;
    let alpha = site.root().join("content/bouwstenen/alpha.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    std::fs::write(&alpha, text.replace("[[beta]]", "[[betta]] <b>vet</b>")).unwrap();
    let news = next_event(&mut stream, "errors");
    let shown: serde_json::Value = serde_json::from_str(&news).unwrap();
    assert_eq!(shown["title"], "1 probleem in de site; je ziet de laatste goede versie.");
    let errors = shown["problems"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = errors[0].as_str().unwrap();
    assert!(
        error.starts_with(
            "content/bouwstenen/alpha.md:8:23: er is geen pagina \"betta\" (bedoel je \"beta\"?)\n"
        ),
        "{error}"
    );
    let after = get(&server, "/bouwstenen/alpha/").body;
    let without_script =
        |html: &str| html.split("<script data-spiegel-live>").next().unwrap().to_string();
    assert_eq!(without_script(&after), without_script(&good), "the last good page stays");
    let mut late = events(&server);
    assert_eq!(next_event(&mut late, "errors"), news, "a tab opened now sees them too");

    std::fs::write(&alpha, text.replace("[[beta]]", "[[beta]] weer")).unwrap();
    let paths: Vec<String> = serde_json::from_str(&next_event(&mut stream, "reload")).unwrap();
    assert!(paths.contains(&"bouwstenen/alpha/index.html".to_string()), "{paths:?}");
    assert!(get(&server, "/bouwstenen/alpha/").body.contains("weer"));
}

#[test]
fn the_problems_are_sent_in_the_sites_language() {
    let site = links_site();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}language: fr\n"));
    let server = site.serve();
    let mut stream = events(&server);
    site.write("content/notes/los.md", "---\ntitle: Los\n---\nNaar [[betta]].\n");
    let news: serde_json::Value = serde_json::from_str(&next_event(&mut stream, "errors")).unwrap();
    assert_eq!(news["title"], "1 problème dans le site ; voici la dernière bonne version.");
    let problem = news["problems"][0].as_str().unwrap();
    assert!(
        problem.starts_with(
            "content/notes/los.md:4:6: il n'y a pas de page « betta » (vouliez-vous dire « beta » ?)\n"
        ),
        "{problem}"
    );
    assert!(problem.contains("\n  = conseil : vérifiez l'orthographe ;"), "{problem}");
}

#[test]
fn a_new_language_in_site_yaml_is_used_for_the_next_problems() {
    let site = links_site();
    let server = site.serve();
    let mut stream = events(&server);
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}language: fr\n"));
    next_event(&mut stream, "reload");
    site.write("content/notes/los.md", "---\ntitle: Los\n---\nNaar [[betta]].\n");
    let news: serde_json::Value = serde_json::from_str(&next_event(&mut stream, "errors")).unwrap();
    assert_eq!(news["title"], "1 problème dans le site ; voici la dernière bonne version.");
}

#[test]
fn many_files_at_once_make_one_rebuild() {
    let site = links_site();
    let server = site.serve();
    let mut stream = events(&server);
    for i in 0..25 {
        site.write(
            &format!("content/notes/stapel-{i:02}.md"),
            &format!("# Stapel {i}\n\n[[alpha]]\n"),
        );
    }
    let (mut created, mut rebuilds) = (0, 0);
    while created < 25 {
        let paths: Vec<String> = serde_json::from_str(&next_event(&mut stream, "reload")).unwrap();
        created += paths.iter().filter(|p| p.starts_with("notes/stapel-")).count();
        rebuilds += 1;
    }
    // One, unless the machine paused the writing loop for longer than the quiet time.
    assert!(rebuilds <= 2, "25 files written at once took {rebuilds} rebuilds");
    wait_for(&server, "/notes/stapel-24/", |r| r.status == 200);
}

#[test]
fn paths_that_leave_the_site_are_refused() {
    let site = links_site();
    let outside = site.root().parent().unwrap().join("geheim.txt");
    std::fs::write(&outside, "geheim").unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    symlink(&outside, &site.root().join("static/lek.txt"));
    symlink(&outside, &site.root().join("content/notes/lek2.txt"));
    let server = site.serve();
    for path in [
        "/../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/%2E%2E%2Fgeheim.txt",
        "/notes/..%2F..%2F..%2Fgeheim.txt",
        "/..%5Cgeheim.txt",
        "//etc/passwd",
        &format!("/{}", outside.display()),
        "/lek.txt",
        "/notes/lek2.txt",
        "geheim.txt",
        "http://x/../geheim.txt",
    ] {
        let reply = get(&server, path);
        assert!(!reply.body.contains("geheim\n") && reply.body != "geheim", "{path} leaked");
        assert!(matches!(reply.status, 403 | 404), "{path}: {}", reply.status);
    }
    // Loading already refuses a link out of the site (it is never part of the site), so
    // the server answers 404 for it rather than 403.
    let reply = get(&server, "/notes/lek2.txt");
    assert!(matches!(reply.status, 403 | 404) && !reply.body.contains("geheim"), "a symlink out");
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[test]
fn a_slow_client_blocks_no_one() {
    let site = links_site();
    let server = site.serve();
    let mut idle: Vec<TcpStream> =
        (0..8).map(|_| TcpStream::connect(server.addr()).unwrap()).collect();
    idle[0].write_all(b"GET /bouw").unwrap();
    let start = Instant::now();
    for _ in 0..5 {
        assert_eq!(get(&server, "/").status, 200);
    }
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    drop(idle);
}

#[test]
fn built_output_has_no_live_script() {
    let site = links_site();
    site.build_ok();
    for (path, bytes) in support::snapshot(&site.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("spiegel-live") && !text.contains("__spiegel"), "{path}");
    }
}

#[test]
fn a_changed_static_file_is_served_new_and_reloads_tabs() {
    let site = links_site();
    site.write("static/extra.css", "body { color: red }\n");
    let server = site.serve();
    let mut stream = events(&server);
    site.write("static/extra.css", "body { color: blue }\n");
    let paths: Vec<String> = serde_json::from_str(&next_event(&mut stream, "reload")).unwrap();
    assert_eq!(paths, ["extra.css"]);
    assert_eq!(get(&server, "/extra.css").body, "body { color: blue }\n");
}

/// Starts `spiegel serve` with `args`, returns the first line of stdout and everything
/// on stderr before it, and stops the process.
fn cli_start(site: &TempSite, args: &[&str]) -> (String, String) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_spiegel"))
        .args(["serve", "--port", "0"])
        .args(args)
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = String::new();
    let mut serving = String::new();
    while !serving.contains(" http://") {
        serving.clear();
        assert!(stdout.read_line(&mut serving).unwrap() > 0, "no 'serving' line: {lines}");
        lines.push_str(&serving);
    }
    child.kill().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    child.wait().unwrap();
    (serving.trim().to_string(), stderr)
}

#[test]
fn the_cli_prints_the_url_and_warns_about_a_public_address() {
    let site = links_site();
    let (serving, stderr) = cli_start(&site, &[]);
    assert!(serving.contains(" is te zien op http://127.0.0.1:"), "{serving}");
    assert!(!stderr.contains("let op"), "{stderr}");
    let (serving, stderr) = cli_start(&site, &["--bind", "0.0.0.0"]);
    assert!(serving.contains(" is te zien op http://127.0.0.1:"), "{serving}");
    assert!(
        stderr.starts_with("let op: spiegel luistert op 0.0.0.0: elk toestel dat deze computer bereikt, kan de voorvertoning openen"),
        "{stderr}"
    );
}
