//! End-to-end check of the CDP client against a tiny hand-written HTTP server.

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qobe_browser::{Browser, BrowserError, Launch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type TestResult = Result<(), Box<dyn Error>>;

const FORM_PAGE: &str = r##"<!doctype html>
<html><head><title>Form</title>
<meta name="viewport" content="width=device-width"></head><body>
<h1>Greeter</h1>
<form method="post" action="/echo">
  <input id="name" name="name">
  <select id="color" name="color">
    <option value="red">Red</option><option value="blue">Blue</option>
  </select>
  <textarea id="note" name="note"></textarea>
  <button id="go" type="submit">Go</button>
</form>
<button id="noop" type="button" onclick="document.getElementById('out').textContent = 'clicked'">
  Stay
</button>
<a id="frag" href="#bottom">jump</a>
<p id="out"></p>
<p id="late"></p>
<script>setTimeout(() => document.getElementById('late').textContent = 'ready', 300);</script>
<div style="height: 2000px"></div>
<p id="bottom">bottom</p>
</body></html>"##;

/// Launches the browser, or `None` (after printing the notice) when skipped.
async fn browser() -> Result<Option<Browser>, BrowserError> {
    match Browser::launch().await? {
        Launch::Ready(browser) => Ok(Some(browser)),
        Launch::Skipped(notice) => {
            eprintln!("SKIPPED: {notice}");
            Ok(None)
        }
    }
}

#[tokio::test]
async fn form_round_trip_and_screenshot() -> TestResult {
    let Some(browser) = browser().await? else {
        return Ok(());
    };
    let base = serve().await?;

    browser.goto(&format!("{base}/")).await?;
    assert_eq!(browser.url().await?, format!("{base}/"));
    assert_eq!(browser.text("h1").await?, "Greeter");

    // A click that does not navigate returns promptly and runs the handler.
    browser.click("#noop").await?;
    assert_eq!(browser.text("#out").await?, "clicked");
    // A same-document navigation is not mistaken for a page load.
    browser.click("#frag").await?;
    assert!(browser.url().await?.ends_with("#bottom"));
    browser.wait_for("#late", Duration::from_secs(5)).await?;
    wait_text(&browser, "#late", "ready").await?;

    browser.fill("#name", "Ada & <Lovelace>").await?;
    browser.fill("#color", "Blue").await?; // by label
    browser.fill("#note", "multi\nline").await?;
    assert_eq!(browser.eval("document.querySelector('#color').value").await?, "blue");
    browser.click("#go").await?;

    assert_eq!(browser.url().await?, format!("{base}/echo"));
    assert_eq!(browser.text("#echo").await?, "Hello, Ada & <Lovelace>!");
    assert_eq!(browser.text("#color").await?, "blue");
    assert!(browser.page_text().await?.contains("multi\nline"));

    // Explicit navigation wait, via a link back to the form.
    browser.click_and_wait_navigation("#back").await?;
    assert_eq!(browser.text("h1").await?, "Greeter");

    browser.set_viewport(390, 844, true).await?;
    assert_eq!(browser.eval("innerWidth").await?, 390);
    let dir = scratch_dir();
    let shot = dir.join("nested/form.png");
    browser.screenshot(&shot).await?;
    let png = std::fs::read(&shot)?;
    std::fs::remove_dir_all(&dir)?;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    Ok(())
}

#[tokio::test]
async fn errors_name_what_failed() -> TestResult {
    let Some(mut browser) = browser().await? else {
        return Ok(());
    };
    let base = serve().await?;
    browser.goto(&format!("{base}/")).await?;

    let err = browser.fill("#missing", "x").await.err().ok_or("fill succeeded")?;
    assert!(matches!(err, BrowserError::NoSuchElement(_)), "{err}");
    assert!(err.to_string().contains("#missing"), "{err}");

    let err = browser.text("h1[").await.err().ok_or("bad selector accepted")?;
    assert!(matches!(err, BrowserError::Script(_)), "{err}");

    let err = browser.eval("null.x").await.err().ok_or("eval succeeded")?;
    assert!(err.to_string().contains("TypeError"), "{err}");
    assert_eq!(browser.eval("Promise.resolve(41 + 1)").await?, 42);

    let wait = browser.wait_for("#never", Duration::from_millis(300)).await;
    let err = wait.err().ok_or("wait_for succeeded")?;
    assert!(matches!(err, BrowserError::Timeout(_)) && err.to_string().contains("#never"));

    browser.set_timeout(Duration::from_millis(800));
    let err = browser.click_and_wait_navigation("#noop").await.err();
    let err = err.ok_or("navigation wait succeeded without navigation")?;
    assert!(err.to_string().contains("navigation after clicking `#noop`"), "{err}");

    browser.set_timeout(Duration::from_secs(15));
    let closed = TcpListener::bind("127.0.0.1:0").await?.local_addr()?;
    let err = browser.goto(&format!("http://{closed}/")).await.err();
    let err = err.ok_or("navigation to a closed port succeeded")?;
    assert!(matches!(err, BrowserError::Navigation { .. }), "{err}");
    Ok(())
}

/// Polls until the element matching `css` reads `want` (bounded to 5 s).
async fn wait_text(browser: &Browser, css: &str, want: &str) -> Result<(), BrowserError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while browser.text(css).await? != want {
        if tokio::time::Instant::now() > deadline {
            return Err(BrowserError::Timeout(format!("`{css}` to read {want:?}")));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// A unique, not yet existing directory for test output.
fn scratch_dir() -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!("qobe-browser-test-{}-{nanos}", std::process::id()))
}

/// Serves the form page at `/` and the echo page at `POST /echo` on a random port.
async fn serve() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                // A failed test request shows up as a browser-side error; ignore here.
                let _ = handle(stream).await;
            });
        }
    });
    Ok(format!("http://{addr}"))
}

/// Handles one request (HTTP/1.1 with `Connection: close`).
async fn handle(mut stream: TcpStream) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    let request_line = head.lines().next().unwrap_or_default();
    let (status, page) = match request_line.split(' ').take(2).collect::<Vec<_>>()[..] {
        ["GET", "/"] => ("200 OK", FORM_PAGE.to_owned()),
        ["POST", "/echo"] => ("200 OK", echo_page(&body)),
        _ => ("404 Not Found", "<h1>not found</h1>".to_owned()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

fn echo_page(form: &str) -> String {
    let field = |name: &str| {
        form.split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| html_escape(&url_decode(v)))
            .unwrap_or_default()
    };
    format!(
        "<!doctype html><html><body><p id=\"echo\">Hello, {}!</p><p id=\"color\">{}</p>\
         <pre>{}</pre><a id=\"back\" href=\"/\">back</a></body></html>",
        field("name"),
        field("color"),
        field("note")
    )
}

fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
