//! Which `Host` names the preview answers to.

use std::net::IpAddr;

use super::http::Reply;
use crate::diagnostic::Diagnostic;

/// The names the preview answers to, against DNS rebinding: a web page anywhere can point
/// a name it owns at 127.0.0.1 and then read the preview as its own site, so a request
/// whose `Host` is another name is refused. As Vite's `server.allowedHosts`: `localhost`
/// and names under `.localhost`, the loopback addresses and the address the preview is
/// bound to (bound to all, `--bind 0.0.0.0`, any IP address: a page cannot make its own
/// origin an IP address it does not serve), any port, plus the names given with
/// `--allowed-host` (`.example.org` allows `example.org` and every name under it).
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    bound: IpAddr,
    names: Vec<String>,
}

impl AllowedHosts {
    /// Refuses a `--allowed-host` that is not a host name, rather than never matching it.
    pub fn new(bound: IpAddr, names: &[String]) -> Result<AllowedHosts, Diagnostic> {
        let names = names
            .iter()
            .map(|given| {
                let name = given.trim().trim_start_matches('[').trim_end_matches(']');
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                let bare = name.strip_prefix('.').unwrap_or(&name);
                let labels_ok = bare.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                });
                if labels_ok || bare.parse::<IpAddr>().is_ok() {
                    Ok(name)
                } else {
                    Err(Diagnostic::error(format!(
                        "--allowed-host `{given}` is not a host name"
                    ))
                    .help(
                        "give a name as a browser's address bar shows it, without scheme, port \
                         or path: --allowed-host preview.example.org, or --allowed-host \
                         .example.org for that name and every name under it",
                    ))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(AllowedHosts { bound, names })
    }

    fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        let own_address = name.parse::<IpAddr>().is_ok_and(|address| {
            let address = address.to_canonical();
            address.is_loopback()
                || address == self.bound.to_canonical()
                || self.bound.is_unspecified()
        });
        if own_address || name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        self.names
            .iter()
            .any(|allowed| match allowed.strip_prefix('.') {
                Some(domain) => {
                    name == domain
                        || name
                            .strip_suffix(domain)
                            .is_some_and(|sub| sub.ends_with('.'))
                }
                None => name == *allowed,
            })
    }

    /// `Err`: the reply that refuses a request for `host`.
    pub fn check(&self, host: &str) -> Result<(), Reply> {
        if self.allows(host) {
            return Ok(());
        }
        let shown: String = host.chars().filter(|c| !c.is_control()).take(200).collect();
        let Some(name) = host_name(host) else {
            return Err(Reply::text(
                400,
                &format!("Bad request: the Host header \"{shown}\" is not a host name.\n"),
            ));
        };
        Err(Reply::text(
            403,
            &format!(
                "Blocked request: the preview does not answer to the host \"{name}\".\n\
                 It answers to localhost and its own addresses only, so that other web \
                 pages cannot read it. If you trust this name, start the preview with \
                 --allowed-host {name}\n"
            ),
        ))
    }
}

/// The host name of a `Host` header, lowercase, without its port: `[::1]:1111` is `::1`.
fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return None;
        }
        inside
    } else {
        let name = match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return None,
            None => host,
        };
        // An IPv6 address is named in brackets; `::1` unbracketed is no host.
        if name.contains(':') {
            return None;
        }
        name
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':');
    (!name.is_empty() && name.chars().all(plain)).then_some(name)
}

fn is_port(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit()) && text.parse::<u16>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_loopback_names_the_bound_address_or_allowed_names() {
        let loopback = AllowedHosts::new("127.0.0.1".parse().unwrap(), &[]).unwrap();
        for host in [
            "localhost",
            "a.localhost:3000",
            "127.0.0.1:1111",
            "127.1.2.3",
            "[::1]:80",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "192.168.1.20",
            "[fe80::1]:1111",
            "evil.example",
            "",
            ":1111",
            "[::1",
            "a b",
            "::1",
            "::ffff:127.0.0.1:80",
            "localhost:1111:1111",
            "localhost:99999",
            "[::1]:65536",
            "localhost:+80",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        // Not names at all, so told as much rather than that the name is not allowed.
        for host in ["::1", "localhost:1111:1111", "localhost:99999"] {
            let refused = loopback.check(host).err().map(|reply| reply.status);
            assert_eq!(refused, Some(400), "{host}");
        }
        let given =
            AllowedHosts::new("127.0.0.1".parse().unwrap(), &["[fe80::1]".to_string()]).unwrap();
        assert!(given.allows("[fe80::1]:1111"));
        let lan = AllowedHosts::new("192.168.1.20".parse().unwrap(), &[]).unwrap();
        assert!(lan.allows("192.168.1.20:1111"));
        assert!(!lan.allows("192.168.1.21:1111"));
        let everywhere = AllowedHosts::new("0.0.0.0".parse().unwrap(), &[]).unwrap();
        assert!(everywhere.allows("192.168.1.21:1111"));
        assert!(everywhere.allows("[2001:db8::7]"));
        assert!(
            !everywhere.allows("my-laptop.lan:1111"),
            "names still need --allowed-host"
        );
        let named = AllowedHosts::new(
            "0.0.0.0".parse().unwrap(),
            &["my-laptop.lan".to_string(), ".Example.org.".to_string()],
        )
        .unwrap();
        for host in [
            "my-laptop.lan:1111",
            "MY-LAPTOP.LAN.",
            "example.org",
            "a.b.example.org",
        ] {
            assert!(named.allows(host), "{host}");
        }
        for host in ["x.my-laptop.lan", "badexample.org", "example.org.evil.test"] {
            assert!(!named.allows(host), "{host}");
        }
    }

    #[test]
    fn an_allowed_host_that_is_no_host_name_is_refused() {
        let any = "127.0.0.1".parse().unwrap();
        for given in [
            "http://preview.test",
            "preview.test:8080",
            "*.example.org",
            "",
            "a..b",
            "a/b",
        ] {
            let refused = AllowedHosts::new(any, &[given.to_string()]).unwrap_err();
            assert_eq!(
                refused.message,
                format!("--allowed-host `{given}` is not a host name")
            );
            assert!(refused.help.as_deref().unwrap().contains(".example.org"));
        }
        assert!(AllowedHosts::new(any, &["::1".to_string(), "x_y.test".to_string()]).is_ok());
    }
}
