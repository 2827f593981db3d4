//! `qobe bench content`: a 200 MB file uploaded as a course file and downloaded again through
//! the real router, with the process's peak memory above idle for each (the file streams both
//! ways, never whole in memory); then 300 students of one class opening its content page at once,
//! as requests per second and the 50th/99th percentile.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use axum::body::Body;
use axum::http::{Request, header};
use qobe_app::App;
use qobe_app::accounts::sessions::resolve;
use qobe_app::learning::content::{self, ItemInput, ModuleInput};
use qobe_domain::ids::{InstitutionId, ModuleId, UserId};
use qobe_web::WebConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

use crate::bench::{big_class, median, ms, sign_in};

const FILE_MB: usize = 200;
/// The client writes and reads the socket this much at a time.
const CHUNK: usize = 64 * 1024;
const STUDENTS: usize = 300;
/// Each student opens the page this many times, all students at once.
const ROUNDS: usize = 10;

/// The process's resident memory now and at its peak since the last reset, in MB (Linux).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Starts counting the peak afresh (Linux: writing 5 to clear_refs resets VmHWM).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn request(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, format!("qobe_session={cookie}"))
        .body(Body::empty())
        .unwrap_or_default()
}

/// The upload form's CSRF token, from the page that shows the form.
async fn csrf(router: &axum::Router, path: &str, cookie: &str) -> anyhow::Result<String> {
    let response = router.clone().oneshot(request(path, cookie)).await?;
    let page = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    let page = String::from_utf8_lossy(&page);
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).context("a form with a token")? + marker.len();
    Ok(page[start..].split('"').next().unwrap_or_default().to_owned())
}

pub async fn content(app: App, size: qobe_app::demo::Size) -> anyhow::Result<()> {
    let summary = qobe_app::demo::generate(&app, size, |_| {}).await?;
    let conn = app.store.conn();
    let institution =
        InstitutionId(qobe_store::tenancy::by_slug(conn, &summary.slug).await?.context("the demo institution")?.id);
    let (offering, instructor_email, students, _) = big_class(&app, institution, "CONTENT", STUDENTS, false).await?;
    if students.len() < STUDENTS {
        return Err(anyhow!("the demo has {} students; use --size m", students.len()));
    }
    let cookie = sign_in(&app, &instructor_email).await?;
    let instructor = resolve(&app, &cookie).await?.context("session")?.actor;
    let client = qobe_app::ClientInfo::default();
    let module = ModuleInput { title: "Week 1".into(), published: true };
    let module = content::add_module(&app, &instructor, offering, &module, &client).await?;
    for n in 1..=5 {
        let page = ItemInput {
            kind: "page".into(),
            title: format!("Reading {n}"),
            body: format!("# Reading {n}\n\nSome text with **emphasis** and a [link](https://example.edu/{n})."),
            published: true,
            completion: if n % 2 == 0 { "done".into() } else { "view".into() },
            after_item: None,
            ..ItemInput::default()
        };
        content::add_item(&app, &instructor, ModuleId(module.id), &page, &client).await?;
    }
    let router = qobe_web::router(app.clone(), WebConfig { secure: false, trusted_proxies: Vec::new() });

    // The server on a real socket, as browsers reach it: the socket's flow control is what
    // keeps a fast sender from filling the server's memory.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let service = router.clone().into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });

    // The upload: multipart framing around 200 MB written to the socket 64 KiB at a time.
    let form = format!("/learning/modules/{}/new?kind=file", module.id);
    let token = csrf(&router, &form, &cookie).await?;
    let boundary = "qobe-bench-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nLecture recording\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"published\"\r\n\r\non\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lecture.webm\"\r\nContent-Type: video/webm\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let size = FILE_MB * 1024 * 1024;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (idle, _) = memory();
    reset_peak();
    let at = Instant::now();
    let mut socket = tokio::net::TcpStream::connect(addr).await?;
    let opening = format!(
        "POST /learning/modules/{}/files HTTP/1.1\r\nHost: localhost\r\nCookie: qobe_session={cookie}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
        module.id,
        head.len() + size + tail.len()
    );
    socket.write_all(opening.as_bytes()).await?;
    let mut chunk = vec![7u8; CHUNK];
    chunk[..4].copy_from_slice(b"\x1a\x45\xdf\xa3");
    for _ in 0..size / CHUNK {
        socket.write_all(&chunk).await?;
    }
    socket.write_all(tail.as_bytes()).await?;
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await?;
    let took = at.elapsed();
    let (_, peak) = memory();
    let status = String::from_utf8_lossy(&answer[..answer.len().min(12)]).into_owned();
    if !status.ends_with("303") {
        return Err(anyhow!("the upload was refused: {}", String::from_utf8_lossy(&answer)));
    }
    println!(
        "{FILE_MB} MB uploaded in {:.1} s ({:.0} MB/s): peak memory {:.0} MB above idle ({idle:.0} MB)",
        took.as_secs_f64(),
        FILE_MB as f64 / took.as_secs_f64(),
        peak - idle
    );

    // The download, read from the socket as it arrives.
    let item = qobe_store::learning::items(conn, institution, offering)
        .await?
        .into_iter()
        .find(|i| i.kind == "file")
        .context("the uploaded item")?;
    let (idle, _) = memory();
    reset_peak();
    let at = Instant::now();
    let mut socket = tokio::net::TcpStream::connect(addr).await?;
    let asking = format!(
        "GET /learning/items/{}/file HTTP/1.1\r\nHost: localhost\r\nCookie: qobe_session={cookie}\r\nConnection: close\r\n\r\n",
        item.id
    );
    socket.write_all(asking.as_bytes()).await?;
    let mut buffer = vec![0u8; CHUNK];
    let mut received = 0usize;
    loop {
        let n = socket.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        received += n;
    }
    let took = at.elapsed();
    let (_, peak) = memory();
    // What came is the headers and the body: the body is the file's size.
    if received < size || received > size + 4096 {
        return Err(anyhow!("downloaded {received} bytes for a file of {size}"));
    }
    println!(
        "{FILE_MB} MB downloaded in {:.1} s ({:.0} MB/s): peak memory {:.0} MB above idle ({idle:.0} MB)",
        took.as_secs_f64(),
        FILE_MB as f64 / took.as_secs_f64(),
        peak - idle
    );

    // 300 students sign in, then all open the content page at once, ten times over.
    let mut cookies = Vec::new();
    for student in students.iter().take(STUDENTS) {
        let email =
            qobe_store::accounts::get(conn, Some(institution), UserId(*student)).await?.context("student")?.email;
        cookies.push(sign_in(&app, &email).await?);
    }
    let path = format!("/learning/offerings/{}", offering.0);
    let at = Instant::now();
    let mut tasks = Vec::new();
    for cookie in cookies {
        let (router, path) = (router.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(ROUNDS);
            for _ in 0..ROUNDS {
                let started = Instant::now();
                let response = router.clone().oneshot(request(&path, &cookie)).await?;
                let status = response.status();
                let page = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
                if !status.is_success() || !page.windows(9).any(|w| w == b"Reading 5") {
                    return Err(anyhow!("the content page did not show: {status}"));
                }
                times.push(started.elapsed());
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await??);
    }
    let wall = at.elapsed();
    times.sort();
    let p99 = times[times.len() * 99 / 100];
    println!(
        "{STUDENTS} students opening the module page at once, {ROUNDS} times each: {:.0} requests/s, median {}, p99 {} ({} requests in {:.1} s)",
        times.len() as f64 / wall.as_secs_f64(),
        ms(median(times.clone())),
        ms(p99),
        times.len(),
        wall.as_secs_f64()
    );
    Ok(())
}
