//! A real RFC 3161 time-stamping service on loopback: OpenSSL's `openssl ts -reply` behind a
//! tiny HTTP server, with a throwaway TSA CA and a TSA certificate (extendedKeyUsage critical
//! timeStamping). The CLI tests include this file too, so it uses only std and tempfile.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

const TSA_EXT: &str = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\n";

/// `openssl ts -reply`'s settings; the second policy is there to be asked for by the tests
/// that want a refusal (any other policy is rejected).
const TS_CNF: &str = "\
[tsa]
default_tsa = tsa1
[tsa1]
dir = .
serial = ./tsaserial
crypto_device = builtin
signer_cert = ./tsa.pem
certs = ./tsaca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
";

/// Changes a DER TimeStampReq before the service answers it.
pub type Alter = Box<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>;

/// How the service answers.
pub enum Mode {
    /// `openssl ts -reply` to the request received.
    Good,
    /// Ignores the request: replies to a query made beforehand over other data.
    OtherImprint,
    /// `openssl ts -reply` to the request as changed by the function (e.g. another nonce).
    Altered(Alter),
    /// HTTP 503 with a text body.
    Unavailable,
    /// Reads the request and never answers (holds the connection for 30 s).
    Silent,
}

pub struct Tsa {
    pub url: String,
    pub dir: Arc<tempfile::TempDir>,
    /// How many requests reached the server.
    pub requests: Arc<AtomicUsize>,
}

impl Tsa {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// The TSA's CA (`tsaca.pem`), its certificate (`tsa.pem`, key `tsa.key`) and `tsa.cnf`.
fn tsa_pki(d: &Path) {
    std::fs::write(d.join("tsa_ext.cnf"), TSA_EXT).unwrap();
    std::fs::write(d.join("tsa.cnf"), TS_CNF).unwrap();
    std::fs::write(d.join("tsaserial"), "01\n").unwrap();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "tsaca.key",
            "-out",
            "tsaca.pem",
            "-days",
            "3650",
            "-utf8",
            "-subj",
            "/CN=Kehoach Test TSA CA/O=Thử nghiệm/C=VN",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "tsa.key",
            "-out",
            "tsa.csr",
            "-utf8",
            "-subj",
            "/CN=Máy chủ dấu thời gian thử nghiệm/O=Thử nghiệm/C=VN",
        ],
    );
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "tsa.csr",
            "-CA",
            "tsaca.pem",
            "-CAkey",
            "tsaca.key",
            "-CAcreateserial",
            "-out",
            "tsa.pem",
            "-days",
            "365",
            "-sha256",
            "-extfile",
            "tsa_ext.cnf",
        ],
    );
    // For Mode::OtherImprint: a query over other data, made now.
    std::fs::write(d.join("other.txt"), "một văn bản khác").unwrap();
    openssl(d, &["ts", "-query", "-data", "other.txt", "-sha256", "-cert", "-out", "other.tsq"]);
}

/// Starts the service on 127.0.0.1 (a free port); it runs until the test process ends.
pub fn start(mode: Mode) -> Tsa {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    tsa_pki(dir.path());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let (d, n) = (dir.clone(), requests.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            n.fetch_add(1, Ordering::SeqCst);
            if let Err(e) = serve(stream, d.path(), &mode) {
                eprintln!("test TSA: {e}");
            }
        }
    });
    Tsa { url, dir, requests }
}

/// A URL on loopback where nothing listens (a port bound, then closed).
pub fn closed_url() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}/tsa")
}

fn read_request(s: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let k = s.read(&mut chunk)?;
        if k == 0 {
            return Err(std::io::Error::other("connection closed before the headers ended"));
        }
        buf.extend_from_slice(&chunk[..k]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map(|(_, v)| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < len {
        let k = s.read(&mut chunk)?;
        if k == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..k]);
    }
    Ok((head, body))
}

fn respond(s: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    s.flush()
}

fn serve(mut s: TcpStream, d: &Path, mode: &Mode) -> std::io::Result<()> {
    let (head, query) = read_request(&mut s)?;
    assert!(head.starts_with("POST "), "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: application/timestamp-query"), "{head}");
    std::fs::write(d.join("last.tsq"), &query)?;
    let queryfile = match mode {
        Mode::Unavailable => return respond(&mut s, "503 Service Unavailable", "text/plain", b"maintenance"),
        Mode::Silent => {
            std::thread::sleep(std::time::Duration::from_secs(30));
            return Ok(());
        }
        Mode::Good => "last.tsq",
        Mode::OtherImprint => "other.tsq",
        Mode::Altered(f) => {
            std::fs::write(d.join("altered.tsq"), f(&query))?;
            "altered.tsq"
        }
    };
    let out = Command::new("openssl")
        .args(["ts", "-reply", "-config", "tsa.cnf", "-queryfile", queryfile, "-out", "last.tsr"])
        .current_dir(d)
        .output()?;
    if !out.status.success() {
        return respond(&mut s, "500 Internal Server Error", "text/plain", &out.stderr);
    }
    respond(&mut s, "200 OK", "application/timestamp-reply", &std::fs::read(d.join("last.tsr"))?)
}
