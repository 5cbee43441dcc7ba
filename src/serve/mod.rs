//! `spiegel serve`: the live preview. Builds the site into memory, serves it over HTTP,
//! watches the site's files, rebuilds what a change touches, and reloads open tabs.
//!
//! Takes [`ServeOptions`]; runs until stopped. The pipeline is the one `build` runs: an
//! [`crate::incremental::Session`] whose updates hand on the changed output files, which go
//! into the in-memory site the server reads. A failed build changes nothing that is
//! served: its problems go to the terminal and, through the live script, to an overlay
//! in every open tab. Each connection has its own thread, with a cap on how many run at
//! once and timeouts on reading and writing, so a slow client holds up no one else.

mod http;
mod live;
mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::diag::{Change, Diagnostic, Diagnostics, Hint, Lang, Message, Note};
use crate::incremental::Session;
use crate::Purpose;
use crate::Timings;
pub use http::{content_type, percent_decode, write_response, Response};
use http::{Files, Lookup, Request};
use live::Hub;
use watch::Watch;

/// Connections served at once; more wait for a moment, then get "503".
const MAX_CONNECTIONS: usize = 128;
/// How long a client may take to send its request or read the response.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose a free port.
    pub port: u16,
    /// Print what happens (builds, problems) to the terminal.
    pub verbose: bool,
}

/// A running preview server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop_watch: Sender<watch::Message>,
    threads: Vec<JoinHandle<()>>,
}

/// What the server's threads share.
struct Shared {
    /// The site folder, symlinks resolved: copied files must lie inside it.
    root: PathBuf,
    files: RwLock<Files>,
    hub: Hub,
    stopping: AtomicBool,
    connections: AtomicUsize,
    verbose: bool,
    /// The language of the site's messages, read again when `site.yaml` changes.
    lang: RwLock<Lang>,
}

impl Shared {
    fn lang(&self) -> Lang {
        *self.lang.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Server {
    /// Builds the site, starts watching and serving. A site with problems is served
    /// too (with the overlay); only a folder that cannot be watched, or an address that
    /// cannot be bound, is an error.
    pub fn start(options: &ServeOptions) -> Result<Server, Diagnostic> {
        let root = options.root.canonicalize().map_err(|e| {
            Diagnostic::file(&options.root, Message::CannotOpenSiteFolder { cause: e.to_string() })
                .with_hint(Hint::RootFolder)
        })?;
        let listener = TcpListener::bind((options.bind, options.port)).map_err(|e| {
            Diagnostic::file(
                format!("{}:{}", options.bind, options.port),
                Message::CannotListen { cause: e.to_string() },
            )
            .with_hint(Hint::OtherPort)
        })?;
        let addr = listener.local_addr().map_err(|e| {
            Diagnostic::file("serve", Message::CannotStartServer { cause: e.to_string() })
        })?;
        let shared = Arc::new(Shared {
            root: root.clone(),
            files: RwLock::new(Files::new()),
            hub: Hub::default(),
            stopping: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            verbose: options.verbose,
            lang: RwLock::new(Lang::of_site(&root)),
        });
        // Watch before the first build, so that no edit made during it is missed.
        let mut watch = Watch::start(&root)?;
        let stop_watch = watch.stopper();
        let mut session = Session::new(&root, Purpose::Publish);
        rebuild(&shared, &mut session, &[]);
        let for_rebuild = Arc::clone(&shared);
        let rebuilder = thread::spawn(move || {
            while let Some(batch) = watch.next_batch() {
                rebuild(&for_rebuild, &mut session, &batch);
            }
        });
        let for_accept = Arc::clone(&shared);
        let acceptor = thread::spawn(move || accept_loop(&listener, &for_accept));
        Ok(Server { addr, shared, stop_watch, threads: vec![rebuilder, acceptor] })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address to open in a browser.
    pub fn url(&self) -> String {
        let host = match self.addr.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        format!("http://{host}:{}/", self.addr.port())
    }

    /// Serves until the process is stopped.
    pub fn wait(mut self) {
        let threads = std::mem::take(&mut self.threads);
        for thread in threads {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.shared.hub.stop();
        let _ = self.stop_watch.send(watch::Message::Stop);
        // `accept` blocks; a throw-away connection wakes it up to see the flag.
        let wake = SocketAddr::new(loopback_for(self.addr.ip()), self.addr.port());
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn loopback_for(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

/// One update of the session; a good one replaces the served files and reloads tabs.
fn rebuild(shared: &Shared, session: &mut Session, changed: &[PathBuf]) {
    let started = Instant::now();
    if changed.iter().any(|p| p.file_name() == Some(crate::config::FILE_NAME.as_ref())) {
        let lang = Lang::of_site(&shared.root);
        *shared.lang.write().unwrap_or_else(std::sync::PoisonError::into_inner) = lang;
    }
    let mut timings = Timings::default();
    match session.update(changed, &mut timings) {
        Ok(update) => {
            let (rendered, pages) = (update.rendered, update.pages);
            let paths = apply(shared, update.files, update.removed);
            shared.hub.publish_good(&paths.iter().map(String::as_str).collect::<Vec<_>>());
            if shared.verbose {
                let change = what_changed(&shared.root, changed);
                let ms = started.elapsed().as_millis();
                let note = Note::Rebuilt { change, rendered, pages, files: paths.len(), ms };
                println!("{}", note.text(shared.lang()));
                if std::env::var_os("SPIEGEL_TIMINGS").is_some() {
                    for (stage, took) in &timings.stages {
                        println!("  {stage}: {:.1} ms", took.as_secs_f64() * 1000.0);
                    }
                }
            }
        }
        Err(diagnostics) => {
            let lang = shared.lang();
            shared.hub.publish_errors(&diagnostics, lang);
            if shared.verbose {
                report_problems(&diagnostics, lang);
            }
        }
    }
}

/// Puts the changed files into the served site; returns the paths that changed.
fn apply(
    shared: &Shared,
    files: Vec<crate::write::OutputFile>,
    removed: Vec<String>,
) -> Vec<String> {
    let mut served = shared.files.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut paths = Vec::with_capacity(files.len() + removed.len());
    for path in removed {
        served.remove(&path);
        paths.push(path);
    }
    for file in files {
        paths.push(file.path.clone());
        served.insert(file.path, file.content);
    }
    paths
}

/// `content/a.md changed`, `3 files changed`, or `first build`.
fn what_changed(root: &std::path::Path, changed: &[PathBuf]) -> Change {
    match changed {
        [] => Change::FirstBuild,
        [one] => Change::One(one.strip_prefix(root).unwrap_or(one).display().to_string()),
        many => Change::Many(many.len()),
    }
}

fn report_problems(diagnostics: &Diagnostics, lang: Lang) {
    let sorted = diagnostics.clone().into_sorted();
    for d in &sorted {
        eprint!("{}", d.in_language(lang));
    }
    eprintln!("{}", Note::StillServing { problems: sorted.len() }.text(lang));
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Errors like EMFILE persist for a moment; don't spin on them.
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(stream);
            continue;
        }
        let for_thread = Arc::clone(shared);
        let spawned = thread::Builder::new().name("spiegel-http".into()).spawn(move || {
            let _ = handle(stream, &for_thread);
            for_thread.connections.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
    let response = Response::text("503 Service Unavailable", "too many connections; try again\n");
    let _ = http::write_response(&mut stream, &response, false);
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let Some(request) = http::read_request(&stream)? else {
        let response = Response::text("400 Bad Request", "malformed request\n");
        return http::write_response(&mut stream, &response, false);
    };
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        let response = Response::text("405 Method Not Allowed", "only GET and HEAD are served\n");
        return http::write_response(&mut stream, &response, false);
    }
    if request.path == live::EVENTS_PATH {
        let since = request.query.strip_prefix("since=").and_then(|n| n.parse().ok());
        let since = since.unwrap_or_else(|| shared.hub.generation());
        return live::stream_events(&mut stream, &shared.hub, since);
    }
    let response = respond(shared, &request);
    http::write_response(&mut stream, &response, head_only)
}

/// The response to a request for a file of the site.
fn respond(shared: &Shared, request: &Request) -> Response {
    // Read before the files: a page is never older than the generation it announces.
    let generation = shared.hub.generation();
    let found = {
        let files = shared.files.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        match http::lookup(&files, &request.path) {
            Lookup::Found(path) => {
                files.get(&path).cloned().map(|c| (path, c)).ok_or(Lookup::NotFound)
            }
            other => Err(other),
        }
    };
    let found = found.and_then(|(path, content)| {
        http::read_content(&content, &shared.root).map(|body| (path, body))
    });
    let mut response = match found {
        Ok((path, body)) => Response {
            status: "200 OK",
            content_type: http::content_type(&path),
            location: None,
            body,
        },
        Err(Lookup::Redirect(location)) => {
            let mut response = Response::text("301 Moved Permanently", "");
            response.location = Some(location);
            response
        }
        Err(Lookup::Refused(why)) => Response::text("403 Forbidden", &format!("refused: {why}\n")),
        Err(Lookup::NotFound | Lookup::Found(_)) => not_found(shared, &request.path),
    };
    if response.is_html() {
        response.body = live::inject(&response.body, generation);
    }
    response
}

/// The site's own `404.html` if it has one, else a plain page.
fn not_found(shared: &Shared, path: &str) -> Response {
    let own = {
        let files = shared.files.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        files.get("404.html").cloned()
    };
    let body = own
        .and_then(|c| http::read_content(&c, &shared.root).ok())
        .unwrap_or_else(|| live::not_found_page(path, shared.lang()));
    Response {
        status: "404 Not Found",
        content_type: "text/html; charset=utf-8",
        location: None,
        body,
    }
}

/// Opens `url` in the desktop's browser, if there is a way to; quietly.
pub fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Whether serving on `ip` reaches beyond this computer.
pub fn is_public(ip: IpAddr) -> bool {
    !ip.is_loopback()
}
