//! The preview's listening socket, with Nagle's algorithm off for every connection.
//!
//! tiny_http writes a reply's head and its body in separate `send`s. With Nagle's algorithm
//! on, the body waits for the ACK of the head, and the browser holds that ACK back for up to
//! 40 ms (delayed ACK): every request after the first on a kept-alive connection stalled
//! for 40 ms, and a page reload makes several. tiny_http accepts connections itself and
//! never hands out their sockets, but Linux, the BSDs and macOS copy `TCP_NODELAY` from a
//! listening socket to each socket it accepts, so it is set once here, on the listener that
//! tiny_http is then given.

use std::io;
use std::net::{SocketAddr, TcpListener};

/// Binds `address` for the preview; every connection accepted from it sends at once.
pub fn bind(address: SocketAddr) -> io::Result<TcpListener> {
    let listener = TcpListener::bind(address)?;
    send_without_delay(&listener)?;
    Ok(listener)
}

#[cfg(unix)]
fn send_without_delay(listener: &TcpListener) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let on: libc::c_int = 1;
    // SAFETY: the descriptor is a live socket owned by `listener`, and the option value is
    // a c_int, passed with its own size, as setsockopt(2) asks for TCP_NODELAY.
    let result = unsafe {
        libc::setsockopt(
            listener.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Windows does not pass the option on to accepted sockets, and tiny_http gives no way to
/// reach them: there, a kept-alive connection may still stall on its second request.
#[cfg(not(unix))]
fn send_without_delay(_: &TcpListener) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    #[test]
    fn accepted_connections_send_without_delay() {
        let listener = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let _client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        let mut value: libc::c_int = 0;
        let mut size = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: a live socket, and a c_int buffer with its size.
        let result = unsafe {
            libc::getsockopt(
                accepted.as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&mut value as *mut libc::c_int).cast(),
                &mut size,
            )
        };
        assert_eq!(result, 0);
        assert_eq!(value, 1, "TCP_NODELAY is copied to accepted sockets");
    }
}
