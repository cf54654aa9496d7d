//! One client's connection: its requests read within bounds, each answered, and the
//! connection closed when the client misbehaves, goes quiet or asks for it.
//!
//! The connection loop is ours, over httparse (the request parser hyper uses). tiny_http,
//! which served the preview before, read request heads with no size limit and no timeout,
//! kept an unbounded thread per connection, trusted `Content-Length` into a `usize` (a
//! panic on `18446744073709551615`) and let none of that be bounded from outside. hyper can
//! bound all of it, but needs an async runtime for a server that answers from memory with
//! a handful of threads. What is left by hand is small: read a head, check it, write a
//! reply, and time out.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use super::http::{Answer, Reply, Request};

/// The largest request head read: browsers send a few hundred bytes, plus the cookies
/// every other program served on localhost has set (cookies ignore the port).
const MAX_HEAD: usize = 64 * 1024;
/// Header lines in one request; browsers send about fifteen.
const MAX_HEADERS: usize = 100;
/// Once a request has begun, its whole head must arrive within this.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A kept-alive connection with no new request for this long is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// A write that makes no progress for this long (a client that stopped reading) ends the
/// connection.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// Answers requests on `stream` until it closes. `answer` turns one request into its
/// answer; an event stream takes the connection over. `answered` is called after each
/// reply is written (the connection waits on its client from then), `release` once the
/// connection no longer counts against the cap (it became an event stream).
pub(crate) fn serve(
    mut stream: TcpStream,
    answer: &dyn Fn(&Request) -> Answer,
    answered: &dyn Fn(),
    release: impl FnOnce(),
    events: &dyn Fn(TcpStream, Option<String>),
) {
    // Replies go out whole at once, so Nagle's algorithm would only hold them back.
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buffer = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buffer) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(refused) => {
                if write_reply(&mut stream, &refused, false, false).is_ok() {
                    close_after_reading(stream);
                }
                return;
            }
        };
        // No request should make ldr panic; if one does, only that request fails.
        let outcome =
            panic::catch_unwind(AssertUnwindSafe(|| answer(&request))).unwrap_or_else(|_| {
                Answer::Reply(Reply::text(
                    500,
                    "ldr hit an internal error answering this request: this is a bug in ldr, \
                     please report it with the address you asked for.\n",
                ))
            });
        let reply = match outcome {
            Answer::Reply(reply) => reply,
            Answer::Events(first) => {
                release();
                return events(stream, first);
            }
        };
        let keep_alive = request.keep_alive && reply.status < 500;
        let head_only = request.method == "HEAD";
        if write_reply(&mut stream, &reply, head_only, keep_alive).is_err() || !keep_alive {
            return;
        }
        answered();
    }
}

/// Closes a connection whose client may still be sending (a body it was told not to).
/// Closed with unread bytes, the socket would be reset, and a reset can wipe the refusal
/// before the client reads it; so the sending side is closed first and what still comes
/// is read and dropped, for a little while.
fn close_after_reading(mut stream: TcpStream) {
    const LINGER: Duration = Duration::from_secs(2);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let until = Instant::now() + LINGER;
    let mut sink = [0; 8192];
    let mut left: usize = 1 << 20;
    while left > 0 {
        let wait = until.saturating_duration_since(Instant::now());
        if wait.is_zero() || stream.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(read) => left = left.saturating_sub(read),
        }
    }
}

/// Reads the next request's head. `Ok(None)`: the client closed the connection or went
/// quiet between requests. `Err`: the reply that refuses it, after which the connection
/// is closed (what is left of it cannot be trusted to be the next request).
fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Option<Request>, Reply> {
    let mut deadline = None;
    let mut chunk = [0; 8192];
    loop {
        if !buffer.is_empty() {
            deadline.get_or_insert_with(|| Instant::now() + HEAD_TIMEOUT);
            if let Some((request, length)) = parse(buffer)? {
                buffer.drain(..length);
                return Ok(Some(request));
            }
            if buffer.len() >= MAX_HEAD {
                return Err(too_large());
            }
        }
        let wait = match deadline {
            Some(deadline) => deadline.saturating_duration_since(Instant::now()),
            None => IDLE_TIMEOUT,
        };
        if wait.is_zero() {
            return Err(timed_out());
        }
        let _ = stream.set_read_timeout(Some(wait));
        let room = (MAX_HEAD + 1).saturating_sub(buffer.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return Ok(None),
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) && deadline.is_some() =>
            {
                return Err(timed_out());
            }
            Err(_) => return Ok(None),
        }
    }
}

/// The request at the start of `buffer` and its head's length, once the head is whole.
fn parse(buffer: &[u8]) -> Result<Option<(Request, usize)>, Reply> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let length = match parsed.parse(buffer) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(too_large()),
        Err(error) => {
            return Err(Reply::text(
                400,
                &format!("Bad request: the request is not HTTP/1.1 ({error}).\n"),
            ));
        }
    };
    let (Some(method), Some(target), Some(version)) = (parsed.method, parsed.path, parsed.version)
    else {
        return Ok(None);
    };
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        host: None,
        keep_alive: version == 1,
    };
    let mut lengths = 0;
    let mut hosts = 0;
    for header in parsed.headers.iter() {
        let value = String::from_utf8_lossy(header.value);
        let value = value.trim();
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            lengths += 1;
            check_length(value, lengths)?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(Reply::text(
                413,
                "A request body was sent (Transfer-Encoding), but the preview takes no \
                 request bodies.\n",
            ));
        } else if name.eq_ignore_ascii_case("host") {
            hosts += 1;
            request.host = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("connection") {
            for option in value.split(',').map(str::trim) {
                if option.eq_ignore_ascii_case("close") {
                    request.keep_alive = false;
                } else if option.eq_ignore_ascii_case("keep-alive") {
                    request.keep_alive = true;
                }
            }
        }
    }
    // HTTP/1.1 asks for exactly one Host (RFC 9112, section 3.2); HTTP/1.0 may have none.
    if hosts > 1 || (hosts == 0 && version == 1) {
        return Err(Reply::text(
            400,
            "Bad request: a request names its host in exactly one Host header.\n",
        ));
    }
    Ok(Some((request, length)))
}

/// The preview takes no request bodies: a length of zero is the only one accepted, written
/// as digits only (RFC 9110, section 8.6), once.
fn check_length(value: &str, seen: usize) -> Result<(), Reply> {
    if seen > 1 {
        return Err(Reply::text(
            400,
            "Bad request: the request has more than one Content-Length header.\n",
        ));
    }
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Reply::text(
            400,
            &format!("Bad request: Content-Length `{value}` is not a number of bytes.\n"),
        ));
    }
    if value.bytes().any(|b| b != b'0') {
        return Err(Reply::text(
            413,
            "A request body was sent, but the preview takes no request bodies.\n",
        ));
    }
    Ok(())
}

fn too_large() -> Reply {
    Reply::text(
        431,
        &format!(
            "The request's headers are larger than the preview reads ({} KiB).\n",
            MAX_HEAD / 1024
        ),
    )
}

fn timed_out() -> Reply {
    Reply::text(
        408,
        &format!(
            "The request's headers did not arrive within {} seconds.\n",
            HEAD_TIMEOUT.as_secs()
        ),
    )
}

/// Writes `reply` as one buffer, so that head and body leave in the same packets.
pub(crate) fn write_reply(
    stream: &mut impl Write,
    reply: &Reply,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nDate: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\n",
        reply.status,
        reason(reply.status),
        httpdate::fmt_http_date(std::time::SystemTime::now()),
        reply.content_type,
        reply.body.len(),
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // Said either way: an HTTP/1.0 client keeps a connection only when told it may.
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    let body: &[u8] = if head_only { &[] } else { &reply.body };
    let mut bytes = Vec::with_capacity(head.len() + body.len());
    bytes.extend_from_slice(head.as_bytes());
    bytes.extend_from_slice(body);
    stream.write_all(&bytes)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn parse_text(text: &str) -> Result<Option<(Request, usize)>, Reply> {
        parse(text.as_bytes())
    }

    #[test]
    fn every_spelling_of_a_body_length_but_zero_is_refused() {
        for (length, status) in [
            ("18446744073709551615", 413),
            ("99999999999999999999999", 413),
            ("2000", 413),
            ("-1", 400),
            ("1e9", 400),
            ("+5", 400),
            ("0x10", 400),
            ("5, 5", 400),
            ("", 400),
        ] {
            let head =
                format!("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {length}\r\n\r\n");
            let refused = parse_text(&head)
                .err()
                .unwrap_or_else(|| panic!("{length:?}"));
            assert_eq!(refused.status, status, "{length:?}");
        }
        let twice =
            "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(parse_text(twice).err().map(|r| r.status), Some(400));
        let zero = "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n";
        assert!(matches!(parse_text(zero), Ok(Some(_))));
        let chunked = "GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(parse_text(chunked).err().map(|r| r.status), Some(413));
    }

    #[test]
    fn a_request_names_exactly_one_host() {
        let none = "GET / HTTP/1.1\r\n\r\n";
        assert_eq!(parse_text(none).err().map(|r| r.status), Some(400));
        let two = "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n";
        assert_eq!(parse_text(two).err().map(|r| r.status), Some(400));
        let old = "GET / HTTP/1.0\r\n\r\n";
        let (request, _) = parse_text(old).ok().flatten().unwrap();
        assert!(!request.keep_alive && request.host.is_none());
    }

    #[test]
    fn a_panic_answering_one_request_fails_only_that_request() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            for _ in 0..2 {
                let (stream, _) = listener.accept().unwrap();
                let answer = |request: &Request| -> Answer {
                    if request.target == "/boom" {
                        panic!("a test's panic");
                    }
                    Answer::Reply(Reply::text(200, "fine\n"))
                };
                serve(stream, &answer, &|| {}, || {}, &|_, _| {});
            }
        });
        let ask = |target: &str| {
            let mut client = TcpStream::connect(address).unwrap();
            client
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            write!(client, "GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
            let mut reply = String::new();
            client.read_to_string(&mut reply).unwrap();
            reply
        };
        let failed = ask("/boom");
        assert!(failed.starts_with("HTTP/1.1 500 "), "{failed}");
        assert!(failed.contains("please report it"), "{failed}");
        // The 500 closed its connection; the next connection is answered.
        let mut fine = TcpStream::connect(address).unwrap();
        fine.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            fine,
            "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        fine.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 200 OK"), "{reply}");
        assert!(reply.ends_with("fine\n"), "{reply}");
        server.join().unwrap();
    }
}
