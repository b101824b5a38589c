//! Settings from flags and environment variables. Nothing here opens files or sockets.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(name = "samsyn", version, about = "Samsyn: real-time polling and consensus for workshops and seminars")]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "SAMSYN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Folder for the data (the SQLite file samsyn.db); created if missing.
    #[arg(long, env = "SAMSYN_DATA", default_value = "data", global = true)]
    pub data: PathBuf,

    /// Public base URL for links and QR codes (e.g. https://samsyn.kommun.se); by default taken from each request's Host.
    #[arg(long, env = "SAMSYN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Days to keep individual ballots and words; after that a session keeps only its distributions,
    /// decisions and notes. Unset: kept until the session is deleted.
    #[arg(long, env = "SAMSYN_BALLOT_RETENTION_DAYS")]
    pub ballot_retention_days: Option<u32>,

    /// Most open sockets from one address. High by default: a whole audience may share one address
    /// behind a municipality's network.
    #[arg(long, env = "SAMSYN_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 5000)]
    pub max_connections_per_address: usize,

    /// New participants a minute that one address may add to a session (two thirds of them at once);
    /// more wait a few seconds. Raise it for a large audience behind one address (a conference wifi).
    #[arg(long, env = "SAMSYN_NEW_PARTICIPANTS_PER_MINUTE", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..))]
    pub new_participants_per_minute: u32,

    /// Other origins whose pages may open the WebSocket, comma-separated (e.g. https://intranet.kommun.se).
    /// Pages served by Samsyn itself are always allowed.
    #[arg(long, env = "SAMSYN_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Seconds between pings on every socket. Keep it below your proxy's idle timeout; a socket that
    /// answers nothing for three intervals is dropped.
    #[arg(long, env = "SAMSYN_PING_INTERVAL_SECS", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub ping_interval_secs: u64,

    /// Addresses of your reverse proxies, comma-separated. Connections from them are counted under the
    /// client address the proxy puts in `X-Forwarded-For`; from anywhere else that header is ignored.
    #[arg(long, env = "SAMSYN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Store data in PostgreSQL instead of the SQLite file (e.g. postgres://samsyn:secret@db/samsyn).
    /// Required for several nodes; `--data` is then unused.
    #[arg(long, env = "SAMSYN_POSTGRES_URL", global = true)]
    pub postgres_url: Option<String>,

    /// Run as one of several nodes, coordinated through this Redis (e.g. redis://10.0.0.5:6379).
    /// Needs `--postgres-url`. Every node is started the same way; no sticky routing is needed.
    #[arg(long, env = "SAMSYN_REDIS_URL", requires = "postgres_url")]
    pub redis_url: Option<String>,

    /// Origins whose pages may show the screen page, and only it, in a frame, comma-separated
    /// (e.g. https://teams.microsoft.com,https://*.officeapps.live.com). Unset: no page may be framed.
    #[arg(long, env = "SAMSYN_FRAME_ANCESTORS", value_delimiter = ',', value_parser = frame_ancestor)]
    pub frame_ancestors: Vec<String>,

    /// Seconds a session nobody is connected to stays in memory; then it is let go, and loaded again
    /// from the store when someone comes back (so thousands of old sessions cost no memory).
    #[arg(long, env = "SAMSYN_UNLOAD_IDLE_SECS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    pub unload_idle_secs: u64,

    /// Let anyone create sessions and import catalogues without signing in, as on a laptop of one's own
    /// (the quick anonymous mode). Without it, creating needs a signed-in member of an organisation.
    #[arg(long, env = "SAMSYN_ALLOW_ANONYMOUS")]
    pub allow_anonymous: bool,

    /// Sign staff in with this OpenID Connect provider (e.g. https://login.microsoftonline.com/<tenant>/v2.0
    /// for Entra ID, https://sso.kommun.se/realms/<realm> for Keycloak). Its discovery document is read on
    /// first use; register `<public URL>/api/oidc/callback` as the redirect URI there.
    #[arg(long, env = "SAMSYN_OIDC_ISSUER", requires = "oidc_client_id")]
    pub oidc_issuer: Option<String>,

    /// The client (application) id Samsyn has at the OpenID provider; ID tokens must be issued to it.
    #[arg(long, env = "SAMSYN_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,

    /// The client secret, if the provider gave one. Prefer the environment variable: a flag shows in `ps`.
    #[arg(long, env = "SAMSYN_OIDC_CLIENT_SECRET", hide_env_values = true, requires = "oidc_issuer")]
    pub oidc_client_secret: Option<String>,

    /// The provider's name on the sign-in button ("Logga in med …"), e.g. "Exempelby kommun (Entra ID)".
    #[arg(long, env = "SAMSYN_OIDC_NAME", default_value = "OpenID Connect")]
    pub oidc_name: String,

    /// On a server with no accounts yet, the first person to sign in with OpenID Connect becomes the
    /// administrator of a new organisation of this name (renamed later on its page).
    #[arg(long, env = "SAMSYN_OIDC_ORGANISATION", default_value = "Min organisation")]
    pub oidc_organisation: String,

    #[command(subcommand)]
    pub command: Option<Task>,
}

/// One origin for the screen page's `frame-ancestors`: `https://host[:port]` (or `http://`), where the
/// host may start with `*.`; nothing that could end the directive or add another.
pub fn frame_ancestor(value: &str) -> Result<String, String> {
    let value = value.trim().trim_end_matches('/');
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| format!("{value:?}: an origin starts with https:// or http://"))?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    let host_ok = {
        let bare = host.strip_prefix("*.").unwrap_or(host);
        !bare.is_empty()
            && bare
                .split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    if host_ok && port_ok {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(format!("{value:?} is not an origin such as https://slides.example.com"))
    }
}

/// Jobs the binary can do instead of serving.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Task {
    /// Copies every session and imported catalogue from the SQLite file in `--data` to the PostgreSQL
    /// database of `--postgres-url`, then exits. Sessions already there are left as they are.
    CopyToPostgres,
    /// Accounts of staff, from the server's own shell (for a server others can reach before its first
    /// administrator exists, or for a forgotten password). Uses the same data as the server.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Admin {
    /// Creates an account and makes it a member of the organisation named `--organisation` (which is
    /// created, with the account as its administrator, if there is none of that name yet). Prints the
    /// password unless one is given on standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        organisation: String,
        /// admin, facilitator or viewer, in an organisation that exists already.
        #[arg(long, default_value = "admin", value_parser = ["admin", "facilitator", "viewer"])]
        role: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Gives an account a new password and signs it out everywhere. Prints the new password unless one
    /// is given on standard input.
    ResetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::frame_ancestor;

    #[test]
    fn frame_ancestors_are_plain_origins() {
        assert_eq!(frame_ancestor("https://teams.microsoft.com/").unwrap(), "https://teams.microsoft.com");
        assert_eq!(frame_ancestor("https://*.officeapps.live.com").unwrap(), "https://*.officeapps.live.com");
        assert_eq!(frame_ancestor("http://127.0.0.1:8081").unwrap(), "http://127.0.0.1:8081");
        for bad in [
            "teams.microsoft.com",
            "https://a.se; script-src *",
            "https://a.se/path",
            "https://",
            "'self'",
            "https://a.se:80a",
            "*",
        ] {
            assert!(frame_ancestor(bad).is_err(), "{bad} was accepted");
        }
    }
}
