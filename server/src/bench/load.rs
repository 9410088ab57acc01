//! HTTP plumbing of the throughput benchmarks: the portal as its own process pinned to CPU 0,
//! a minimal keep-alive HTTP/1.1 client, and `server bench load`, the load generator that the
//! benchmarks start pinned to CPU 1 — closed-loop (as many requests as the portal answers) or
//! paced at a constant rate, where each latency counts from the moment the request was due, so
//! a slow answer cannot hide the ones queued behind it.

use crate::bench::{ms, percentile};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Starts `server serve` on `port`, pinned to CPU 0, with per-address rates lifted (one load
/// generator is one client address).
pub fn spawn_portal(database_url: &str, port: u16, site_root: &str) -> anyhow::Result<tokio::process::Child> {
    let exe = std::env::current_exe()?;
    Ok(tokio::process::Command::new("taskset")
        .arg("-c")
        .arg("0")
        .arg(&exe)
        .arg("--database-url")
        .arg(database_url)
        .arg("serve")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site_root)
        .env("RUST_LOG", "warn")
        .env("PORTAL_OPEN_DATA_RATE", "100000")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()?)
}

/// Waits up to 60 s until `path` answers 200; returns its body.
pub async fn wait_for(port: u16, path: &str, cookie: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let started = Instant::now();
    loop {
        match get_once(port, path, cookie).await {
            Ok(body) => return Ok(body),
            Err(e) if started.elapsed() > Duration::from_secs(60) => anyhow::bail!("{path}: nach 60 s keine Antwort 200 ({e})"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Peak and current resident memory of a process in MiB.
pub fn memory_mib(child: &tokio::process::Child) -> (u64, u64) {
    let Some(pid) = child.id() else { return (0, 0) };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = |key: &str| status.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok()).unwrap_or(0);
    (kib("VmHWM:") / 1024, kib("VmRSS:") / 1024)
}

fn request(path: &str, cookie: Option<&str>) -> String {
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n{cookie}\r\n")
}

/// Reads until `buf` holds at least `need` bytes.
async fn fill(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>, need: usize) -> anyhow::Result<()> {
    while buf.len() < need {
        let mut chunk = [0u8; 16384];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            anyhow::bail!("Verbindung geschlossen");
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(())
}

async fn read_response(stream: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> anyhow::Result<(u16, Vec<u8>)> {
    // Headers, then a body by Content-Length or chunked encoding (keep-alive connection).
    let header_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let mut chunk = [0u8; 16384];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            anyhow::bail!("Verbindung geschlossen");
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_lowercase();
    let status: u16 = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    buf.drain(..header_end);
    if let Some(len) = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok()) {
        fill(stream, buf, len).await?;
        let body = buf.drain(..len).collect();
        return Ok((status, body));
    }
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            let have = buf.len();
            fill(stream, buf, have + 1).await?;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&buf[..line_end]).trim(), 16).unwrap_or(0);
        fill(stream, buf, line_end + 2 + size + 2).await?;
        body.extend_from_slice(&buf[line_end + 2..line_end + 2 + size]);
        buf.drain(..line_end + 2 + size + 2);
        if size == 0 {
            return Ok((status, body));
        }
    }
}

/// One GET on a fresh connection; the body if the answer is 200.
pub async fn get_once(port: u16, path: &str, cookie: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    s.write_all(request(path, cookie).as_bytes()).await?;
    let (status, body) = read_response(&mut s, &mut Vec::new()).await?;
    if status != 200 {
        anyhow::bail!("Status {status}");
    }
    Ok(body)
}

/// `server bench load`: with `rate` 0 a closed-loop load generator (32 keep-alive
/// connections), otherwise `rate` requests per second; prints
/// "<Anfragen/s> Anfragen/s, p50 … ms, p99 … ms, Fehler n".
pub async fn load(port: u16, path: &str, seconds: u64, rate: u32, cookie: Option<String>) -> anyhow::Result<()> {
    if rate > 0 {
        return paced(port, path, seconds, rate, cookie).await;
    }
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let req = request(path, cookie.as_deref());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < until {
                let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
                    errors += 1;
                    continue;
                };
                let _ = s.set_nodelay(true);
                let mut buf = Vec::new();
                while Instant::now() < until {
                    let started = Instant::now();
                    if s.write_all(req.as_bytes()).await.is_err() {
                        errors += 1;
                        break;
                    }
                    match read_response(&mut s, &mut buf).await {
                        Ok((200, _)) => times.push(started.elapsed()),
                        _ => {
                            errors += 1;
                            break;
                        }
                    }
                }
            }
            (times, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (times, e) = t.await?;
        all.extend(times);
        errors += e;
    }
    all.sort();
    println!(
        "{:.0} Anfragen/s, p50 {} ms, p99 {} ms, Fehler {errors}",
        all.len() as f64 / seconds as f64,
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 99.0))
    );
    Ok(())
}

/// Open-loop load: a request is due every 1/`rate` s, sent on an idle keep-alive connection
/// (a new one when all are busy); its latency counts from when it was due.
async fn paced(port: u16, path: &str, seconds: u64, rate: u32, cookie: Option<String>) -> anyhow::Result<()> {
    let req: Arc<str> = request(path, cookie.as_deref()).into();
    let idle: Arc<tokio::sync::Mutex<Vec<(tokio::net::TcpStream, Vec<u8>)>>> = Arc::default();
    let total = rate as u64 * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + interval * i as u32;
        tokio::time::sleep_until(due).await;
        let (req, idle) = (req.clone(), idle.clone());
        tasks.push(tokio::spawn(async move {
            let conn = idle.lock().await.pop();
            let (mut s, mut buf) = match conn {
                Some(c) => c,
                None => {
                    let s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
                    let _ = s.set_nodelay(true);
                    (s, Vec::new())
                }
            };
            s.write_all(req.as_bytes()).await.ok()?;
            match read_response(&mut s, &mut buf).await {
                Ok((200, _)) => {
                    let took = due.elapsed();
                    idle.lock().await.push((s, buf));
                    Some(took)
                }
                _ => None,
            }
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0u64;
    for t in tasks {
        match t.await? {
            Some(d) => all.push(d),
            None => errors += 1,
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    println!(
        "{:.0} Anfragen/s, p50 {} ms, p99 {} ms, Fehler {errors}",
        all.len() as f64 / elapsed.max(seconds as f64),
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 99.0))
    );
    Ok(())
}
