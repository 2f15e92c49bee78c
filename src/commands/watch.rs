//! `kaiho watch`: the live preview server.

use std::io::Write as _;
use std::sync::{Arc, Mutex};

use super::Error;
use super::build::default_output;
use crate::cli::WatchArgs;
use crate::fonts::FontSearch;
use crate::project;
use crate::watch::{PAGE, State, Watch, host_allowed, refusal};

/// Runs `kaiho watch` until interrupted (Ctrl-C ends it; every file it writes is written
/// atomically, so stopping it at any moment leaves nothing half-written).
pub fn run(args: &WatchArgs) -> Result<(), Error> {
    let server = tiny_http::Server::http(("127.0.0.1", args.port))
        .map_err(|e| Error::Serve { port: args.port, message: e.to_string() })?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let url = format!("http://127.0.0.1:{port}/");
    println!("kaiho watch: {url}  (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();

    let profile = args.output_args.profile;
    let watch = Watch {
        volume: args.volume.clone(),
        series: args.input.series.clone(),
        layout_dir: args.input.layout_dir.clone(),
        fonts: FontSearch {
            extra: args.fonts.font_paths.clone(),
            project: project::project_fonts(&args.volume),
            system: !args.fonts.no_system_fonts,
        },
        profile: profile.for_layout(args.output_args.marks),
        output: args.output.clone().unwrap_or_else(|| default_output(&args.volume, profile, "pdf")),
    };
    let state = Arc::new(Mutex::new(State::default()));
    let watcher_state = state.clone();
    std::thread::spawn(move || watch.run(watcher_state));
    if args.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    for request in server.incoming_requests() {
        let state = state.clone();
        // A slow or vanished client must not hold up the others.
        std::thread::spawn(move || respond(request, &state, port));
    }
    Ok(())
}

/// Answers one request; only those addressed to the preview itself (no CORS headers are
/// ever sent, so no other origin may read the answers either).
fn respond(request: tiny_http::Request, state: &Mutex<State>, port: u16) {
    let header = |value: &str| {
        tiny_http::Header::from_bytes(&b"Content-Type"[..], value.as_bytes()).expect("valid header")
    };
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str());
    if !host_allowed(host, port) {
        let answer = refusal(host, port);
        let response = tiny_http::Response::from_data(answer.into_bytes())
            .with_status_code(403)
            .with_header(header("text/plain; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let no_store = tiny_http::Header::from_bytes(&b"Cache-Control"[..], &b"no-store"[..])
        .expect("valid header");
    let response = match path {
        "/" => tiny_http::Response::from_data(PAGE.as_bytes().to_vec())
            .with_header(header("text/html; charset=utf-8")),
        "/state.json" => {
            let s = state.lock().unwrap_or_else(|e| e.into_inner());
            let json = serde_json::to_vec(&*s).expect("state is valid JSON");
            tiny_http::Response::from_data(json)
                .with_header(header("application/json"))
                .with_header(no_store)
        }
        _ => {
            let page = path
                .strip_prefix("/page/")
                .and_then(|p| p.strip_suffix(".png"))
                .and_then(|n| n.parse::<usize>().ok());
            let image = page.and_then(|n| {
                let s = state.lock().unwrap_or_else(|e| e.into_inner());
                let (plain, guided) = s.images.get(n.checked_sub(1)?)?;
                Some(if query.split('&').any(|q| q == "guides=1") {
                    guided.clone()
                } else {
                    plain.clone()
                })
            });
            match image {
                Some(png) => tiny_http::Response::from_data(png).with_header(header("image/png")),
                None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            }
        }
    };
    // The client may have gone; nothing to do about it.
    let _ = request.respond(response);
}
