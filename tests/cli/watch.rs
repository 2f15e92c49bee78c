//! `kaiho watch` over HTTP on loopback: the page, the state, the pages, rebuilds after an
//! edit, a located error with the last good pages kept, a burst of saves built once.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// The watch process, killed when dropped.
struct Watching(Child, u16);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(volume: &std::path::Path) -> Watching {
    let mut command = kaiho_command();
    command
        .args(["watch", volume.to_str().unwrap(), "--port", "0"])
        .current_dir(volume.parent().unwrap())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // Ctrl-C as at a terminal: a test run started as a background job (`cmd &` in a
    // script) inherits SIGINT ignored, and so would kaiho.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe `signal` between fork and exec.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
    }
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok());
    Watching(child, port.unwrap_or_else(|| panic!("no port in {line:?}")))
}

/// GET on loopback, as the preview page asks; returns status, content type and body.
fn get(port: u16, path: &str) -> (u16, String, Vec<u8>) {
    let (status, head, body) = get_for(port, path, &format!("Host: 127.0.0.1:{port}\r\n"));
    let kind = header(&head, "content-type").unwrap_or_default();
    (status, kind, body)
}

/// GET on loopback with the given header lines; returns status, head and body.
fn get_for(port: u16, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\n{headers}\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, raw[split + 4..].to_vec())
}

/// The value of header `name` (lower case) in a response head.
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (field, value) = l.split_once(':')?;
        field.eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
    })
}

fn state(port: u16) -> serde_json::Value {
    serde_json::from_slice(&get(port, "/state.json").2).unwrap()
}

/// Waits (bounded) until the state's generation reaches `generation`.
fn wait_for(port: u16, generation: u64) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let s = state(port);
        if s["generation"].as_u64().unwrap_or(0) >= generation {
            return s;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no build {generation}: {s}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_serves_the_pages_rebuilds_on_save_and_shows_located_errors() {
    let proj = project(&[(
        "vol1.yaml",
        &volume_with("      - headline:\n          title: はじめの見出し\n"),
    )]);
    let volume = proj.path().join("vol1.yaml");
    let w = start(&volume);
    let port = w.1;

    let (status, kind, page) = get(port, "/");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(String::from_utf8_lossy(&page).contains("/state.json"));

    let first = wait_for(port, 1);
    assert_eq!(first["ok"], true, "{first}");
    assert_eq!(first["pages"], 1);
    let (status, kind, png) = get(port, "/page/1.png");
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    assert!(png.starts_with(b"\x89PNG"));
    let (_, _, guided) = get(port, "/page/1.png?guides=1");
    assert_ne!(png, guided, "guides change the image");
    assert_eq!(get(port, "/page/2.png").0, 404);
    let pdf = proj.path().join("out/vol1.pdf");
    assert!(pdf.is_file(), "the PDF of a good build is written");

    // An edit (written by rename, as many editors do) rebuilds.
    let edited = proj.path().join(".vol1.yaml.swp");
    std::fs::write(&edited, volume_with("      - headline:\n          title: つぎの見出し\n"))
        .unwrap();
    std::fs::rename(&edited, &volume).unwrap();
    let second = wait_for(port, 2);
    assert_eq!(second["ok"], true, "{second}");
    assert_eq!(second["pages_generation"], second["generation"]);
    assert!(pdf_text_compact(&pdf).contains("つぎの見出し"));

    // A broken file: a located error; the last good pages and PDF stay.
    let good_pdf = std::fs::read(&pdf).unwrap();
    std::fs::write(&volume, volume_with("      - headline:\n          titel: x\n")).unwrap();
    let third = wait_for(port, 3);
    assert_eq!(third["ok"], false);
    let problem = &third["problems"][0];
    assert_eq!(problem["line"], 7, "{third}");
    assert_eq!(problem["column"], 11);
    assert_eq!(problem["path"], "pages[0].blocks[0].headline.titel");
    assert!(problem["hint"].as_str().unwrap().contains("did you mean `title`?"));
    assert_eq!(third["pages"], 1);
    assert_eq!(third["pages_generation"], second["generation"]);
    assert_eq!(get(port, "/page/1.png").0, 200);
    assert_eq!(std::fs::read(&pdf).unwrap(), good_pdf);

    // A burst of saves builds once.
    for i in 0..5 {
        std::fs::write(
            &volume,
            volume_with(&format!("      - headline:\n          title: 見出し{i}\n")),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    let after = wait_for(port, 4);
    std::thread::sleep(Duration::from_millis(800));
    let settled = state(port);
    assert_eq!(settled["generation"], after["generation"], "the burst built more than once");
    assert_eq!(settled["ok"], true, "{settled}");
    assert!(pdf_text_compact(&pdf).contains("見出し4"));
}

/// The page as Debian's headless Chromium renders it after its scripts ran: the DOM.
fn browser_dom(port: u16, profile: &std::path::Path) -> String {
    let output = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("http://127.0.0.1:{port}/"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run chromium ({e}); scripts/setup --test installs it"));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_preview_page_in_a_real_browser_shows_the_pages_then_a_located_error() {
    let proj = project(&[(
        "vol1.yaml",
        &volume_with("      - headline:\n          title: ブラウザの見出し\n"),
    )]);
    let volume = proj.path().join("vol1.yaml");
    let w = start(&volume);
    wait_for(w.1, 1);
    let profile = proj.path().join("chromium");
    let dom = browser_dom(w.1, &profile);
    assert!(dom.contains(r#"<img alt="page 1" src="/page/1.png?g=1">"#), "{dom}");
    assert!(dom.contains("built in "), "{dom}");

    std::fs::write(&volume, volume_with("      - headline:\n          titel: x\n")).unwrap();
    wait_for(w.1, 2);
    let dom = browser_dom(w.1, &profile);
    assert!(dom.contains("vol1.yaml:7:11: error: unknown field `titel`"), "{dom}");
    assert!(dom.contains("at pages[0].blocks[0].headline.titel"), "{dom}");
    assert!(dom.contains("1 problem(s) — showing the last good pages"), "{dom}");
    // The last good page is still there, marked stale.
    assert!(
        dom.contains(r#"<div id="pages" class="stale"><img alt="page 1" src="/page/1.png?g=1">"#),
        "{dom}"
    );
}

#[test]
fn a_page_that_does_not_fit_is_shown_with_the_block_framed_in_red() {
    let long: String = (0..60).map(|i| format!("            - 長い項目{i}の説明がここに続きます。長い項目の説明がここに続きます。\n")).collect();
    let blocks = format!(
        "      - headline:\n          title: 見出し\n      - section:\n          number: 1\n          theme: 長すぎる\n          items:\n{long}"
    );
    let proj = project(&[("vol1.yaml", &volume_with(&blocks))]);
    let w = start(&proj.path().join("vol1.yaml"));
    let s = wait_for(w.1, 1);
    assert_eq!(s["ok"], false);
    assert!(s["problems"][0]["message"].as_str().unwrap().contains("page 1 is too full"), "{s}");
    assert_eq!(s["pages_generation"], s["generation"], "the overflowing pages are shown");
    // The page as it comes out: the block that runs past the foot framed in red.
    let (_, _, png) = get(w.1, "/page/1.png");
    let dir = temp();
    let path = dir.path().join("p.png");
    std::fs::write(&path, png).unwrap();
    let image = png_pixels(&path);
    let red =
        image.data.chunks(image.channels).filter(|p| p[0] > 200 && p[1] < 60 && p[2] < 60).count();
    assert!(red > 200, "the block is framed in red ({red} red pixels)");
    assert!(!proj.path().join("out/vol1.pdf").exists(), "no PDF from a page that does not fit");
}

#[test]
fn vanishing_clients_and_a_second_tab_do_no_harm_and_ctrl_c_stops_cleanly() {
    let proj =
        project(&[("vol1.yaml", &volume_with("      - headline:\n          title: 見出し\n"))]);
    let mut w = start(&proj.path().join("vol1.yaml"));
    wait_for(w.1, 1);
    // A client that asks and goes away without reading, several at once.
    for _ in 0..8 {
        let mut stream = TcpStream::connect(("127.0.0.1", w.1)).unwrap();
        write!(stream, "GET /page/1.png HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", w.1).unwrap();
        drop(stream);
    }
    // Two tabs polling at the same time both get answers.
    let port = w.1;
    let tabs: Vec<_> =
        (0..2).map(|_| std::thread::spawn(move || state(port)["generation"].as_u64())).collect();
    for tab in tabs {
        assert_eq!(tab.join().unwrap(), Some(1));
    }
    assert_eq!(get(w.1, "/page/1.png").0, 200);
    // Ctrl-C (SIGINT) ends it; the PDF it wrote is whole and no temporary file is left.
    let pid = w.0.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let start = Instant::now();
    while w.0.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < Duration::from_secs(5), "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = proj.path().join("out");
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["vol1.pdf"]);
    tool("qpdf", &["--check", out.join("vol1.pdf").to_str().unwrap()]);
}

#[test]
fn a_changed_photo_is_built_again() {
    // A grey PNG; another size gives another file length, so the change shows whatever
    // the clock's resolution.
    let grey = |width: u32| {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, 40);
        encoder.set_color(png::ColorType::Grayscale);
        let pixels = vec![128u8; (width * 40) as usize];
        encoder.write_header().unwrap().write_image_data(&pixels).unwrap();
        out
    };
    let proj = project(&[(
        "vol1.yaml",
        &volume_with("      - photo:\n          src: photo.png\n          caption: 写真\n"),
    )]);
    let photo = proj.path().join("photo.png");
    std::fs::write(&photo, grey(60)).unwrap();
    let w = start(&proj.path().join("vol1.yaml"));
    wait_for(w.1, 1);
    std::fs::write(&photo, grey(80)).unwrap();
    let s = wait_for(w.1, 2);
    assert_eq!(s["generation"], 2, "{s}");
}

#[test]
fn the_preview_answers_only_requests_addressed_to_itself() {
    let proj =
        project(&[("vol1.yaml", &volume_with("      - headline:\n          title: 未公開\n"))]);
    let w = start(&proj.path().join("vol1.yaml"));
    let port = w.1;
    wait_for(port, 1);
    // A page on another domain that resolves to 127.0.0.1 (DNS rebinding): its requests
    // reach the port, but name that domain.
    let origin = "Origin: http://evil.example.com\r\n";
    for host in [
        "evil.example.com".to_owned(),
        format!("evil.example.com:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in ["/", "/state.json", "/page/1.png"] {
            let (status, head, body) = get_for(port, path, &format!("Host: {host}\r\n{origin}"));
            assert_eq!(status, 403, "{host}{path}: {head}");
            let body = String::from_utf8(body).unwrap();
            assert_eq!(body.lines().count(), 1, "{body}");
            assert!(body.contains(&format!("http://127.0.0.1:{port}/")), "{body}");
            assert!(!body.contains("未公開"));
            assert!(header(&head, "access-control-allow-origin").is_none(), "{head}");
        }
    }
    // No Host at all is refused too.
    assert_eq!(get_for(port, "/state.json", "").0, 403);
    // Addressed to itself, under each of its names: answered, and never with CORS headers.
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")]
    {
        let (status, head, body) =
            get_for(port, "/state.json", &format!("Host: {host}\r\n{origin}"));
        assert_eq!(status, 200, "{host}: {head}");
        assert!(!head.to_ascii_lowercase().contains("access-control-"), "{head}");
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&body).unwrap()["ok"], true);
    }
}
