//! A tiny static file server for browser tests.
//!
//! It serves one folder on `127.0.0.1` at an OS-chosen port, one thread per connection,
//! answers `GET`/`HEAD` only, and stops when dropped.
//!
//! ```ignore
//! let server = StaticServer::start("target/site");
//! page.goto(&server.url("docs/"))?; // serves target/site/docs/index.html
//! ```
#![allow(dead_code)] // every test binary uses its own subset of the harness

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use spiegel::serve::{write_response, Response};
use std::time::Duration;

const IO_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_HEAD_BYTES: u64 = 64 * 1024;

/// Serves a folder over HTTP until dropped.
pub(crate) struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Starts serving `root`; panics if the folder is missing or no port can be bound.
    pub(crate) fn start(root: impl AsRef<Path>) -> StaticServer {
        let root = root.as_ref();
        let root = root
            .canonicalize()
            .unwrap_or_else(|e| panic!("static server root {}: {e}", root.display()));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap_or_else(|e| panic!("static server: cannot bind 127.0.0.1: {e}"));
        let addr = listener.local_addr().expect("bound listener has an address");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::spawn(move || accept_loop(&listener, &root, &flag));
        StaticServer { addr, stop, thread: Some(thread) }
    }

    /// Absolute URL of `path` (relative to the served folder), e.g. `url("a/b.html")`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    pub(crate) fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks; a throw-away connection wakes it up to see the stop flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, root: &Path, stop: &AtomicBool) {
    let root = Arc::new(root.to_path_buf());
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Errors like EMFILE persist for a moment; don't spin on them.
            thread::sleep(Duration::from_millis(10));
            continue;
        };
        let root = Arc::clone(&root);
        thread::spawn(move || {
            let _ = serve(stream, &root);
        });
    }
}

fn serve(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let request_line = read_request_head(&stream)?;
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let response = match method {
        "GET" | "HEAD" => resolve(root, target),
        _ => Response::text("405 Method Not Allowed", "only GET and HEAD are served\n"),
    };
    write_response(&mut stream, &response, method == "HEAD")
}

/// Returns the request line after consuming the rest of the head (bodies are not expected).
fn read_request_head(stream: &TcpStream) -> std::io::Result<String> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD_BYTES));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 0 && !header.trim().is_empty() {
        header.clear();
    }
    Ok(request_line)
}

fn resolve(root: &Path, target: &str) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let Some(decoded) = spiegel::serve::percent_decode(path) else {
        return Response::text("400 Bad Request", "malformed percent-encoding\n");
    };
    if !decoded.starts_with('/') || decoded.contains('\0') {
        return Response::text("400 Bad Request", "bad request path\n");
    }
    if decoded.split(['/', '\\']).any(|segment| segment == "..") {
        return Response::text("403 Forbidden", "paths with .. are refused\n");
    }
    let mut file: PathBuf = root.join(decoded.trim_start_matches('/'));
    if file.is_dir() {
        if !decoded.ends_with('/') {
            // Relative links in the folder's index.html resolve against the trailing slash.
            let mut redirect = Response::text("301 Moved Permanently", "");
            redirect.location = Some(format!("{path}/"));
            return redirect;
        }
        file.push("index.html");
    }
    match fs::read(&file) {
        Ok(body) => {
            Response { status: "200 OK", content_type: content_type(&file), location: None, body }
        }
        Err(_) => Response::text("404 Not Found", &format!("not found: {decoded}\n")),
    }
}

fn content_type(path: &Path) -> &'static str {
    spiegel::serve::content_type(&path.to_string_lossy())
}
