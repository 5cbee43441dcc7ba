//! A small, synchronous headless-Chromium driver for integration tests.
//!
//! It speaks the Chrome DevTools Protocol over one WebSocket per browser, with one flattened
//! session per page. Every call is bounded by a timeout and fails with a readable `String`;
//! dropping a [`Browser`] stops Chromium and deletes its temporary profile.
//!
//! ```ignore
//! let browser = Browser::launch()?;
//! let page = browser.new_page()?;
//! page.goto(&server.url("index.html"))?;
//! page.press("/")?;
//! page.wait_for("document.activeElement.id === 'search'", Duration::from_secs(5))?;
//! assert_eq!(page.console_errors(), Vec::<String>::new());
//! ```
#![allow(dead_code)] // every test binary uses its own subset of the harness

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{json, Value};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// How long Chromium may take to start and open its DevTools port.
pub(crate) const LAUNCH_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a single protocol call (including `eval`) may take.
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_secs(15);
/// How long `goto` waits for the load event.
pub(crate) const LOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// CSS-pixel viewport every new page starts with (Chromium's own default is 780×493).
pub(crate) const DEFAULT_VIEWPORT: (u32, u32) = (1280, 800);

const POLL_INTERVAL: Duration = Duration::from_millis(20);
const CLOSE_GRACE: Duration = Duration::from_secs(3);

/// A running headless Chromium with its own throw-away profile.
pub(crate) struct Browser {
    conn: Arc<Mutex<Conn>>,
    process: ChromeProcess,
}

/// One page (in its own window), attached through its own flattened DevTools session.
/// After the page crashes every call fails at once; open a new page.
pub(crate) struct Page {
    conn: Arc<Mutex<Conn>>,
    session: String,
    target: String,
}

impl Browser {
    /// Starts Chromium (see [`Browser::chromium_path`]) and connects to it.
    pub(crate) fn launch() -> Result<Browser, String> {
        let exe = Self::chromium_path();
        if !exe.is_file() {
            return Err(format!(
                "Chromium not found at {}: install it (`apt-get install -y chromium`) \
                 or point the CHROMIUM environment variable at the binary",
                exe.display()
            ));
        }
        let mut process = ChromeProcess::spawn(&exe)?;
        let deadline = Instant::now() + LAUNCH_TIMEOUT;
        let (port, path) = process.wait_for_devtools_port(deadline)?;
        let conn = Conn::connect(port, &path, deadline)
            .map_err(|e| format!("cannot connect to Chromium's DevTools: {e}"))?;
        Ok(Browser { conn: Arc::new(Mutex::new(conn)), process })
    }

    /// `$CHROMIUM` if set, else the first `chromium`/`chromium-browser`/`google-chrome`
    /// on `PATH`, else `/usr/bin/chromium`.
    pub(crate) fn chromium_path() -> PathBuf {
        if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
            return PathBuf::from(path);
        }
        let dirs: Vec<PathBuf> = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect())
            .unwrap_or_default();
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
            .find(|path| path.is_file())
            .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
    }

    /// Opens a new `about:blank` page in its own window, with the Runtime, Page and Log
    /// domains enabled and a [`DEFAULT_VIEWPORT`].
    pub(crate) fn new_page(&self) -> Result<Page, String> {
        let mut conn = lock(&self.conn);
        // A background tab is "hidden" and never runs requestAnimationFrame; its own window
        // keeps every page visible.
        let params = json!({"url": "about:blank", "newWindow": true});
        let created = conn.call(None, "Target.createTarget", params)?;
        let target = str_field(&created, "targetId")?;
        let params = json!({"targetId": target, "flatten": true});
        let attached = conn.call(None, "Target.attachToTarget", params)?;
        let session = str_field(&attached, "sessionId")?;
        for method in ["Runtime.enable", "Page.enable", "Log.enable"] {
            conn.call(Some(&session), method, json!({}))?;
        }
        for method in ["Page.setLifecycleEventsEnabled", "Emulation.setFocusEmulationEnabled"] {
            conn.call(Some(&session), method, json!({"enabled": true}))?;
        }
        drop(conn);
        let page = Page { conn: Arc::clone(&self.conn), session, target };
        page.set_viewport(DEFAULT_VIEWPORT.0, DEFAULT_VIEWPORT.1)?;
        Ok(page)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closing gracefully lets Chromium stop its helpers and release the profile before it
        // is deleted; ChromeProcess's Drop kills whatever is left.
        let mut conn = lock(&self.conn);
        let _ = conn.send(None, "Browser.close", json!({}), Instant::now() + CLOSE_GRACE);
        drop(conn);
        self.process.wait_for_exit(Instant::now() + CLOSE_GRACE);
    }
}

impl Page {
    /// Navigates and waits for the load event; fails on network errors (not on HTTP 404).
    pub(crate) fn goto(&self, url: &str) -> Result<(), String> {
        let deadline = Instant::now() + LOAD_TIMEOUT;
        let mut conn = lock(&self.conn);
        let nav = conn.call(Some(&self.session), "Page.navigate", json!({"url": url}))?;
        if let Some(error) = nav["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(format!("navigation to {url} failed: {error}"));
        }
        // Same-document navigations (e.g. `#fragment`) have no loader and no load event.
        let Some(loader) = nav["loaderId"].as_str() else { return Ok(()) };
        loop {
            let state = conn.session(&self.session);
            if state.loaded.contains(loader) {
                return Ok(());
            }
            if let Some(gone) = &state.gone {
                return Err(format!("navigation to {url} failed: {gone}"));
            }
            if conn.read_one(deadline)?.is_none() {
                return Err(format!("{url} did not fire the load event within {LOAD_TIMEOUT:?}"));
            }
        }
    }

    /// Evaluates `expression` (awaiting promises) and returns its JSON value; `undefined`
    /// becomes `null` and NaN/Infinity/bigints their string form. A throw becomes `Err`.
    pub(crate) fn eval(&self, expression: &str) -> Result<Value, String> {
        self.eval_within(expression, CALL_TIMEOUT)
    }

    /// Polls the JS `condition` until it is truthy; errors while polling count as "not yet".
    pub(crate) fn wait_for(&self, condition: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        let expression = format!("!!({condition})");
        let mut last = String::from("it stayed falsy");
        loop {
            let left = deadline.saturating_duration_since(Instant::now()).max(POLL_INTERVAL);
            match self.eval_within(&expression, left) {
                Ok(Value::Bool(true)) => return Ok(()),
                Ok(_) => {}
                Err(e) => last = format!("last error: {e}"),
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "timed out after {timeout:?} waiting for `{condition}` ({last})"
                ));
            }
            sleep(POLL_INTERVAL);
        }
    }

    /// Presses a key such as `"Enter"`, `"ArrowDown"`, `"/"`, `"a"` or `"Shift+Tab"`.
    pub(crate) fn press(&self, key: &str) -> Result<(), String> {
        let (modifiers, name) = split_modifiers(key);
        let key = Key::named(name)
            .or_else(|| single_char(name).map(Key::printable))
            .ok_or_else(|| format!("press: unknown key {name:?}"))?;
        self.dispatch_key(&key, modifiers)
    }

    /// Types `text` one key event per character, so keydown/keypress/input listeners fire.
    pub(crate) fn type_text(&self, text: &str) -> Result<(), String> {
        for c in text.chars() {
            let name = match c {
                '\n' => "Enter",
                '\t' => "Tab",
                _ => "",
            };
            let key = Key::named(name).unwrap_or_else(|| Key::printable(c));
            self.dispatch_key(&key, 0)?;
        }
        Ok(())
    }

    /// Scrolls the first element matching `selector` into view, then moves the mouse to its
    /// centre and clicks; fails if it is missing, has no size, or is covered by another element.
    pub(crate) fn click(&self, selector: &str) -> Result<(), String> {
        let point = self.eval(&format!("({CLICK_POINT_JS})({})", json!(selector)))?;
        let (x, y) = (point["x"].as_f64(), point["y"].as_f64());
        let (Some(x), Some(y)) = (x, y) else {
            return Err(format!("click {selector:?}: {}", point.as_str().unwrap_or("no point")));
        };
        let steps =
            [("mouseMoved", "none", 0), ("mousePressed", "left", 1), ("mouseReleased", "left", 0)];
        for (kind, button, buttons) in steps {
            let params = json!({"type": kind, "x": x, "y": y, "button": button,
                "buttons": buttons, "clickCount": 1});
            self.call("Input.dispatchMouseEvent", params)?;
        }
        Ok(())
    }

    /// The current `location.href`.
    pub(crate) fn url(&self) -> Result<String, String> {
        let href = self.eval("location.href")?;
        href.as_str().map(String::from).ok_or_else(|| format!("location.href was {href}"))
    }

    /// Saves a PNG of the viewport to `path`, creating parent folders.
    pub(crate) fn screenshot_png(&self, path: impl AsRef<Path>) -> Result<(), String> {
        let path = path.as_ref();
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}))?;
        let png = base64_decode(&str_field(&shot, "data")?)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|e| format!("create {}: {e}", parent.display()))?;
        }
        fs::write(path, png).map_err(|e| format!("write {}: {e}", path.display()))
    }

    /// Emulates a `width`×`height` CSS-pixel viewport at device scale factor 1.
    pub(crate) fn set_viewport(&self, width: u32, height: u32) -> Result<(), String> {
        let params = json!({"width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": false});
        self.call("Emulation.setDeviceMetricsOverride", params).map(drop)
    }

    /// Emulates a CSS media type (`"print"`, or `""` for the page's own) and media
    /// features such as `("prefers-color-scheme", "dark")`.
    pub(crate) fn emulate_media(
        &self,
        media: &str,
        features: &[(&str, &str)],
    ) -> Result<(), String> {
        let features: Vec<Value> =
            features.iter().map(|(name, value)| json!({"name": name, "value": value})).collect();
        self.call("Emulation.setEmulatedMedia", json!({"media": media, "features": features}))
            .map(drop)
    }

    /// console.error/console.assert calls, uncaught exceptions and error-level log entries
    /// (e.g. failed resource loads) seen since the page was created, except the 404 of
    /// Chromium's own `/favicon.ico` probe.
    pub(crate) fn console_errors(&self) -> Vec<String> {
        // A round trip to the renderer delivers every event it emitted before it.
        let _ = self.eval_within("0", Duration::from_secs(2));
        lock(&self.conn).session(&self.session).errors.clone()
    }

    /// Evaluates a JS file (e.g. a vendored axe-core) in the current document.
    pub(crate) fn inject_script_file(&self, path: impl AsRef<Path>) -> Result<(), String> {
        let path = path.as_ref();
        let source =
            fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))?;
        let params = json!({"expression": source, "returnByValue": false});
        let reply = self.call("Runtime.evaluate", params)?;
        match reply.get("exceptionDetails") {
            Some(details) => Err(format!("{}: {}", path.display(), exception_text(details))),
            None => Ok(()),
        }
    }

    fn eval_within(&self, expression: &str, timeout: Duration) -> Result<Value, String> {
        let params = json!({"expression": expression, "returnByValue": true,
            "awaitPromise": true, "userGesture": true});
        let deadline = Instant::now() + timeout;
        let reply = lock(&self.conn).call_until(
            Some(&self.session),
            "Runtime.evaluate",
            params,
            deadline,
        )?;
        if let Some(details) = reply.get("exceptionDetails") {
            return Err(exception_text(details));
        }
        let result = &reply["result"];
        Ok(match (result.get("value"), result["unserializableValue"].as_str()) {
            (Some(value), _) => value.clone(),
            (None, Some(special)) => Value::String(special.to_string()),
            (None, None) => Value::Null,
        })
    }

    fn dispatch_key(&self, key: &Key, modifiers: u8) -> Result<(), String> {
        let modifiers = modifiers | if key.shifted { SHIFT } else { 0 };
        // Text with Ctrl/Alt/Meta held would be inserted literally; real keyboards send none.
        let text = key.text.as_ref().filter(|_| modifiers & !SHIFT == 0);
        let kind = if text.is_some() { "keyDown" } else { "rawKeyDown" };
        let mut event = json!({"type": kind, "key": key.key, "code": key.code,
            "windowsVirtualKeyCode": key.key_code, "modifiers": modifiers});
        if let Some(text) = text {
            event["text"] = json!(text);
            event["unmodifiedText"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", event.clone())?;
        event["type"] = json!("keyUp");
        self.call("Input.dispatchKeyEvent", event).map(drop)
    }

    fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        lock(&self.conn).call(Some(&self.session), method, params)
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let mut conn = lock(&self.conn);
        let deadline = Instant::now() + Duration::from_secs(2);
        let params = json!({"targetId": self.target});
        let _ = conn.call_until(None, "Target.closeTarget", params, deadline);
        conn.sessions.remove(&self.session);
    }
}

/// `file://` URL for a local path (made absolute, with unsafe bytes percent-encoded).
pub(crate) fn file_url(path: impl AsRef<Path>) -> String {
    let path = std::path::absolute(path.as_ref()).unwrap_or_else(|_| path.as_ref().to_path_buf());
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// Returns `{x, y}` of the element's visible centre, or a string saying why there is none.
const CLICK_POINT_JS: &str = "(selector) => {
    const el = document.querySelector(selector);
    if (!el) return 'no element matches';
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return 'element has no size (hidden?)';
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit !== el && !el.contains(hit)) {
        return 'element is covered by <' + hit.tagName.toLowerCase() + '>';
    }
    return {x, y};
}";

/// The Chromium child process and the temporary folder holding its profile.
struct ChromeProcess {
    child: Child,
    dir: PathBuf,
}

impl ChromeProcess {
    fn spawn(exe: &Path) -> Result<ChromeProcess, String> {
        let dir = fresh_temp_dir()?;
        let profile = dir.join("profile");
        let stderr = File::create(dir.join("stderr.log"))
            .map_err(|e| format!("create {}: {e}", dir.display()))?;
        let spawned = Command::new(exe)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic"])
            .args(["--no-first-run", "--disable-background-networking"])
            .args(["--disable-component-update", "--disable-sync"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(["--remote-debugging-port=0", "about:blank"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn();
        match spawned {
            Ok(child) => Ok(ChromeProcess { child, dir }),
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                Err(format!("cannot start {}: {e}", exe.display()))
            }
        }
    }

    /// Polls `DevToolsActivePort` (port on line 1, browser WebSocket path on line 2).
    fn wait_for_devtools_port(&mut self, deadline: Instant) -> Result<(u16, String), String> {
        let file = self.dir.join("profile").join("DevToolsActivePort");
        loop {
            if let Some(found) = fs::read_to_string(&file).ok().and_then(parse_active_port) {
                return Ok(found);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "Chromium exited during startup ({status}):\n{}",
                    self.stderr()
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "Chromium did not open its DevTools port within {LAUNCH_TIMEOUT:?}:\n{}",
                    self.stderr()
                ));
            }
            sleep(POLL_INTERVAL);
        }
    }

    fn wait_for_exit(&mut self, deadline: Instant) {
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            sleep(POLL_INTERVAL);
        }
    }

    /// The last lines Chromium wrote to stderr, for error messages.
    fn stderr(&self) -> String {
        let text = fs::read_to_string(self.dir.join("stderr.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for ChromeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Helper processes can still be flushing into the profile for a moment.
        for _ in 0..20 {
            if fs::remove_dir_all(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
    }
}

/// `None` while Chromium is still writing the file.
fn parse_active_port(text: String) -> Option<(u16, String)> {
    let (port, path) = text.split_once('\n')?;
    let path = path.trim();
    Some((port.trim().parse().ok()?, path.to_string())).filter(|_| path.starts_with('/'))
}

fn fresh_temp_dir() -> Result<PathBuf, String> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    let name = format!(
        "browser-test-{}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos.subsec_nanos()
    );
    let dir = std::env::temp_dir().join(name);
    fs::create_dir(&dir).map_err(|e| format!("create temp dir {}: {e}", dir.display()))?;
    Ok(dir)
}

/// What the harness remembers from one session's events.
#[derive(Default)]
struct SessionState {
    errors: Vec<String>,
    /// Loader ids whose document fired `load`.
    loaded: HashSet<String>,
    /// Set when the target crashed or was detached.
    gone: Option<String>,
}

/// The browser-level WebSocket. Events arriving while a call waits for its reply are folded
/// into per-session state, so nothing is lost between calls.
struct Conn {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    sessions: HashMap<String, SessionState>,
    broken: Option<String>,
}

impl Conn {
    fn connect(port: u16, path: &str, deadline: Instant) -> Result<Conn, String> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let left = deadline.saturating_duration_since(Instant::now()).max(POLL_INTERVAL);
        let stream = TcpStream::connect_timeout(&addr, left).map_err(|e| e.to_string())?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(left)).map_err(|e| e.to_string())?;
        stream.set_write_timeout(Some(left)).map_err(|e| e.to_string())?;
        // Screenshots and large evaluation results exceed the default frame limit.
        let limit = Some(512 << 20);
        let config = WebSocketConfig::default().max_message_size(limit).max_frame_size(limit);
        let url = format!("ws://127.0.0.1:{port}{path}");
        let (ws, _) = tungstenite::client::client_with_config(url.as_str(), stream, Some(config))
            .map_err(|e| e.to_string())?;
        Ok(Conn { ws, next_id: 1, sessions: HashMap::new(), broken: None })
    }

    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        self.call_until(session, method, params, Instant::now() + CALL_TIMEOUT)
    }

    fn call_until(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        deadline: Instant,
    ) -> Result<Value, String> {
        let id = self.send(session, method, params, deadline)?;
        loop {
            // A crashed or closed page never answers; fail now instead of at the deadline.
            if let Some(gone) = session.and_then(|s| self.sessions.get(s)?.gone.as_ref()) {
                return Err(format!("{method}: {gone}"));
            }
            let Some(message) = self.read_one(deadline)? else {
                return Err(format!("{method}: no reply before the timeout"));
            };
            // Replies to earlier calls that timed out arrive late and are dropped here.
            if message["id"].as_u64() != Some(id) {
                continue;
            }
            if let Some(error) = message.get("error") {
                return Err(format!(
                    "{method} failed: {}",
                    error["message"].as_str().unwrap_or("?")
                ));
            }
            return Ok(message["result"].clone());
        }
    }

    fn send(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        deadline: Instant,
    ) -> Result<u64, String> {
        self.check_open()?;
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let left = deadline.saturating_duration_since(Instant::now()).max(POLL_INTERVAL);
        let _ = self.ws.get_mut().set_write_timeout(Some(left));
        let mut sent = self.ws.send(Message::text(message.to_string()));
        // A timed-out write keeps the rest of the frame buffered; flushing resumes it.
        while is_timeout(&sent) && Instant::now() < deadline {
            sent = self.ws.flush();
        }
        sent.map_err(|e| self.fail(format!("{method}: sending failed: {e}")))?;
        Ok(id)
    }

    /// Reads one message (routing events), or `None` once `deadline` passes.
    fn read_one(&mut self, deadline: Instant) -> Result<Option<Value>, String> {
        loop {
            self.check_open()?;
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            let _ = self.ws.get_mut().set_read_timeout(Some(left));
            let read = self.ws.read();
            if is_timeout(&read) {
                continue;
            }
            match read {
                Ok(Message::Text(text)) => {
                    let message: Value = serde_json::from_str(text.as_str())
                        .map_err(|e| format!("bad DevTools message: {e}"))?;
                    self.route_event(&message);
                    return Ok(Some(message));
                }
                Ok(Message::Close(_)) => {
                    return Err(self.fail("Chromium closed the connection".into()));
                }
                Ok(_) => {}
                Err(e) => {
                    return Err(
                        self.fail(format!("lost DevTools connection (Chromium gone?): {e}"))
                    );
                }
            }
        }
    }

    fn route_event(&mut self, message: &Value) {
        let Some(method) = message["method"].as_str() else { return };
        let params = &message["params"];
        let session = message["sessionId"].as_str().unwrap_or_default();
        match method {
            "Runtime.consoleAPICalled" => {
                if let Some(error) = console_error_text(params) {
                    self.session(session).errors.push(error);
                }
            }
            "Runtime.exceptionThrown" => {
                let text = exception_text(&params["exceptionDetails"]);
                self.session(session).errors.push(text);
            }
            "Log.entryAdded" if params["entry"]["level"] == "error" && !is_auto_favicon(params) => {
                let entry = &params["entry"];
                let text = format!(
                    "{} error: {} ({})",
                    entry["source"].as_str().unwrap_or("log"),
                    entry["text"].as_str().unwrap_or_default(),
                    entry["url"].as_str().unwrap_or_default()
                );
                self.session(session).errors.push(text);
            }
            "Page.lifecycleEvent" if params["name"] == "load" => {
                let loader = params["loaderId"].as_str().unwrap_or_default().to_string();
                self.session(session).loaded.insert(loader);
            }
            "Inspector.targetCrashed" => {
                self.session(session).gone = Some("the page crashed (open a new one)".into());
            }
            "Target.detachedFromTarget" => {
                let detached = params["sessionId"].as_str().unwrap_or_default();
                if let Some(state) = self.sessions.get_mut(detached) {
                    state.gone = Some("page was closed".into());
                }
            }
            _ => {}
        }
    }

    fn session(&mut self, id: &str) -> &mut SessionState {
        self.sessions.entry(id.to_string()).or_default()
    }

    fn check_open(&self) -> Result<(), String> {
        self.broken.clone().map_or(Ok(()), Err)
    }

    fn fail(&mut self, why: String) -> String {
        self.broken = Some(why.clone());
        why
    }
}

fn lock(conn: &Mutex<Conn>) -> MutexGuard<'_, Conn> {
    // A panic elsewhere never leaves Conn half-updated, so a poisoned lock is still usable.
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn is_timeout<T>(result: &tungstenite::Result<T>) -> bool {
    matches!(result, Err(tungstenite::Error::Io(e))
        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut))
}

fn str_field(value: &Value, name: &str) -> Result<String, String> {
    value[name].as_str().map(String::from).ok_or_else(|| format!("reply lacks {name}: {value}"))
}

/// Chromium requests `/favicon.ico` on its own after load, so its 404 says nothing about the
/// page and would only make error assertions racy.
fn is_auto_favicon(params: &Value) -> bool {
    let url = params["entry"]["url"].as_str().unwrap_or_default();
    url.starts_with("http") && url.split('/').nth(3) == Some("favicon.ico")
}

fn console_error_text(params: &Value) -> Option<String> {
    let kind = params["type"].as_str()?;
    if kind != "error" && kind != "assert" {
        return None;
    }
    let args = params["args"].as_array().map(Vec::as_slice).unwrap_or_default();
    let words: Vec<String> = args.iter().map(remote_object_text).collect();
    Some(format!("console.{kind}: {}", words.join(" ")))
}

fn remote_object_text(object: &Value) -> String {
    match (&object["value"], object["description"].as_str()) {
        (Value::String(s), _) => s.clone(),
        (Value::Null, Some(description)) => description.to_string(),
        (value, _) => value.to_string(),
    }
}

fn exception_text(details: &Value) -> String {
    let exception = &details["exception"];
    let what = match exception["description"].as_str() {
        Some(description) => description.to_string(),
        None if exception.get("value").is_some() => remote_object_text(exception),
        None => String::new(),
    };
    let text = details["text"].as_str().unwrap_or("exception");
    format!("{text} {what}").trim().to_string()
}

const SHIFT: u8 = 8;

fn split_modifiers(mut combo: &str) -> (u8, &str) {
    let mut modifiers = 0;
    while let Some((name, rest)) = combo.split_once('+') {
        let bit = match name {
            "Alt" => 1,
            "Control" | "Ctrl" => 2,
            "Meta" => 4,
            "Shift" => SHIFT,
            _ => break,
        };
        if rest.is_empty() {
            break;
        }
        modifiers |= bit;
        combo = rest;
    }
    (modifiers, combo)
}

fn single_char(name: &str) -> Option<char> {
    let mut chars = name.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The fields of an `Input.dispatchKeyEvent` for one key on a US layout.
struct Key {
    key: String,
    code: String,
    key_code: u32,
    text: Option<String>,
    shifted: bool,
}

impl Key {
    fn named(name: &str) -> Option<Key> {
        let (key_code, text) = match name {
            "Enter" => (13, Some("\r")),
            "Tab" => (9, None),
            "Escape" => (27, None),
            "Backspace" => (8, None),
            "Delete" => (46, None),
            "ArrowLeft" => (37, None),
            "ArrowUp" => (38, None),
            "ArrowRight" => (39, None),
            "ArrowDown" => (40, None),
            "Home" => (36, None),
            "End" => (35, None),
            "PageUp" => (33, None),
            "PageDown" => (34, None),
            _ => return None,
        };
        Some(Key {
            key: name.into(),
            code: name.into(),
            key_code,
            text: text.map(String::from),
            shifted: false,
        })
    }

    fn printable(c: char) -> Key {
        let (code, key_code, shifted) = us_key_position(c);
        Key { key: c.to_string(), code, key_code, text: Some(c.to_string()), shifted }
    }
}

/// Physical key (`code`), legacy `keyCode` and whether Shift is held to type `c` on a US
/// keyboard; other characters get no code and are delivered through the event's text.
fn us_key_position(c: char) -> (String, u32, bool) {
    const PUNCTUATION: &[(char, char, &str, u32)] = &[
        ('`', '~', "Backquote", 192),
        ('-', '_', "Minus", 189),
        ('=', '+', "Equal", 187),
        ('[', '{', "BracketLeft", 219),
        (']', '}', "BracketRight", 221),
        ('\\', '|', "Backslash", 220),
        (';', ':', "Semicolon", 186),
        ('\'', '"', "Quote", 222),
        (',', '<', "Comma", 188),
        ('.', '>', "Period", 190),
        ('/', '?', "Slash", 191),
    ];
    const SHIFTED_DIGITS: &str = ")!@#$%^&*(";
    if c.is_ascii_alphabetic() {
        let upper = c.to_ascii_uppercase();
        return (format!("Key{upper}"), upper as u32, c.is_ascii_uppercase());
    }
    if c.is_ascii_digit() {
        return (format!("Digit{c}"), c as u32, false);
    }
    if let Some(digit) = SHIFTED_DIGITS.find(c) {
        return (format!("Digit{digit}"), 48 + digit as u32, true);
    }
    if c == ' ' {
        return ("Space".into(), 32, false);
    }
    PUNCTUATION
        .iter()
        .find(|(plain, shifted, _, _)| c == *plain || c == *shifted)
        .map_or((String::new(), 0, false), |(_, shifted, code, key_code)| {
            (code.to_string(), *key_code, c == *shifted)
        })
}

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0);
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace() && *b != b'=') {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("bad base64 byte {byte:#04x}")),
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Ok(out)
}
