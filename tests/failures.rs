//! Failures that are not one bad file: links that loop or leave the site, a file name
//! that is not UTF-8, a file that vanishes between rendering and writing, an output
//! path that is a file, a folder spiegel may not write to, a full disk. Each gives a
//! clear error, never a panic, and leaves the previous output exactly as it was.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use spiegel::diag::{Hint, Lang, Message};
use support::{snapshot, TempSite};

fn site_with_a_page() -> TempSite {
    let site = TempSite::new();
    site.write("content/over.md", "# Over ons\n\nEen pagina.\n");
    site.write("content/foto.txt", "een bijlage\n");
    site
}

#[cfg(unix)]
#[test]
fn a_link_loop_is_reported() {
    let site = site_with_a_page();
    std::os::unix::fs::symlink(".", site.root().join("content/lus")).unwrap();
    assert_eq!(
        site.build_err(),
        ["content/lus: deze snelkoppeling leidt terug naar een map waar ze zelf in staat"]
    );
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_refused() {
    let site = site_with_a_page();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("geheim.md"), "# Geheim\n").unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("content/map")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path().join("geheim.md"),
        site.root().join("content/geheim.md"),
    )
    .unwrap();
    assert_eq!(
        site.build_err(),
        [
            "content/geheim.md: deze snelkoppeling wijst naar een plek buiten de site",
            "content/map: deze snelkoppeling wijst naar een plek buiten de site",
        ]
    );
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_are_followed() {
    let site = site_with_a_page();
    site.write("gedeeld/tekst.md", "# Gedeeld\n");
    std::os::unix::fs::symlink(site.root().join("gedeeld"), site.root().join("content/ook"))
        .unwrap();
    site.build_ok();
    assert!(site.read("ook/tekst/index.html").contains("<h1>Gedeeld</h1>"));
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let site = site_with_a_page();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.md");
    fs::write(site.root().join("content").join(name), "# Café\n").unwrap();
    assert_eq!(site.build_err(), ["content/caf\u{FFFD}.md: de bestandsnaam bevat tekens die spiegel niet kan lezen (geen UTF-8)"]);
}

#[test]
fn a_file_that_vanishes_before_writing() {
    let site = site_with_a_page();
    site.build_ok();
    let before = snapshot(&site.out());
    site.write("content/over.md", "# Over ons\n\nNieuwe tekst.\n");
    let rendered = spiegel::render_site(&site.root(), &mut Default::default()).unwrap();
    fs::remove_file(site.root().join("content/foto.txt")).unwrap();
    let err = spiegel::write::write(&site.out(), &rendered.files).unwrap_err();
    assert!(
        err.headline(spiegel::diag::Lang::Nl).contains("foto.txt: het bestand is niet te lezen: "),
        "{}",
        err.headline(spiegel::diag::Lang::Nl)
    );
    assert_eq!(snapshot(&site.out()), before, "the new page was not written either");
}

#[test]
fn an_output_path_that_is_a_file() {
    let site = site_with_a_page();
    let file = site.root().join("uitvoer");
    fs::write(&file, "mijn bestand").unwrap();
    let err = site.build_into(&file).unwrap_err().into_sorted();
    assert_eq!(*err[0].message, Message::OutputIsFile);
    assert_eq!(fs::read_to_string(&file).unwrap(), "mijn bestand");
}

#[test]
fn the_output_folder_never_holds_the_site() {
    let site = site_with_a_page();
    let parent = site.root().parent().unwrap().to_path_buf();
    for output in [site.root(), site.root().join("content"), parent] {
        let err = site.build_into(&output).unwrap_err().into_sorted();
        assert_eq!(*err[0].message, Message::WriteIntoSite);
    }
}

/// The CLI's `build`, run as the unprivileged user `nobody` when the tests run as root
/// (root may write anywhere), else as the current user.
#[cfg(unix)]
fn build_without_privileges(site: &TempSite) -> std::process::Output {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let top = site.out().parent().unwrap().to_path_buf();
    let as_root = fs::metadata(site.root().join("site.yaml")).unwrap().uid() == 0;
    // nobody must be able to read the site and the binary, which may sit in a folder
    // only root may enter: both go into the temporary folder, opened up.
    let binary = top.join("spiegel");
    fs::copy(env!("CARGO_BIN_EXE_spiegel"), &binary).unwrap();
    fs::set_permissions(&top, fs::Permissions::from_mode(0o755)).unwrap();
    let mut command = Command::new(&binary);
    command.args(["build", "--root"]).arg(site.root()).arg("--output").arg(site.out());
    if as_root {
        command.gid(65534).uid(65534);
    }
    command.output().unwrap()
}

#[cfg(unix)]
fn make_read_only(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_dir() {
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o555)).unwrap();
        }
    }
}

#[cfg(unix)]
#[test]
fn no_permission_to_write_the_output() {
    let site = site_with_a_page();
    site.build_ok();
    let before = snapshot(&site.out());
    site.write("content/over.md", "# Over ons\n\nNieuwe tekst.\n");
    make_read_only(&site.out());
    let run = build_without_privileges(&site);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("het bestand kan niet geschreven worden: Permission denied"),
        "{stderr}"
    );
    assert!(stderr.contains("tip: kijk na of je in de map voor de site mag schrijven"), "{stderr}");
    assert_eq!(snapshot(&site.out()), before);
}

/// A disk that fills up, simulated with a file size limit (`ulimit -f`): the new page
/// is larger than any file may be, so writing it fails like a full disk would.
#[cfg(unix)]
#[test]
fn a_file_size_limit_stops_the_write_cleanly() {
    let site = site_with_a_page();
    site.build_ok();
    let before = snapshot(&site.out());
    site.write("content/groot.md", &"Een lange alinea over spel en ruimte.\n\n".repeat(10_000));
    // 512-byte blocks; the signal the limit raises is ignored so write() reports it.
    let script = "trap '' XFSZ; ulimit -f 200; exec \"$0\" build --root \"$1\" --output \"$2\"";
    let run = Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_spiegel")])
        .arg(site.root())
        .arg(site.out())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("groot/index.html: het bestand kan niet geschreven worden: File too large"),
        "{stderr}"
    );
    assert_eq!(snapshot(&site.out()), before, "no new, replaced or temporary files");
}

/// A real full disk: the output folder on a 256 KiB tmpfs.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "needs root: mounts a small tmpfs"]
fn a_full_disk_stops_the_write_cleanly() {
    let site = site_with_a_page();
    fs::create_dir_all(site.out()).unwrap();
    let _mount = Tmpfs::mount(&site.out(), "256k");
    site.build_ok();
    let before = snapshot(&site.out());
    site.write("content/over.md", "# Over ons\n\nNieuwe tekst.\n");
    site.write("content/groot.md", &"Een lange alinea over spel en ruimte.\n\n".repeat(20_000));
    let err = site.build().unwrap_err().into_sorted();
    assert_eq!(err.len(), 1);
    let message = err[0].message.text(Lang::Nl);
    assert!(
        message.starts_with("het bestand kan niet geschreven worden: No space left on device"),
        "{message}"
    );
    assert_eq!(err[0].hint.as_deref(), Some(&Hint::DiskFull));
    assert_eq!(snapshot(&site.out()), before, "the changed page was not replaced either");
}

/// A tmpfs mounted for one test, unmounted when dropped (also when the test fails).
#[cfg(target_os = "linux")]
struct Tmpfs(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Tmpfs {
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .unwrap();
        assert!(status.success(), "mount failed: run this test as root");
        Tmpfs(at.to_path_buf())
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}
