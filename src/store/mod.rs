//! Durable storage behind one small trait. The live layer depends on [`Store`], never on a database.

mod postgres;
mod sql;
mod sqlite;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use crate::domain::access::Role;
use crate::domain::roadmap::PlanAction;
use crate::domain::{Catalogue, Event, SessionSpec};
use crate::metrics::METRICS;
use async_trait::async_trait;
use std::time::Duration;

/// A transaction of events this slow is logged: every ack and state of the sessions in it waited that long.
const SLOW_COMMIT: Duration = Duration::from_millis(500);

/// Times a transaction that stored events, from its start until committed (fsync included), for
/// `samsyn_store_commit_seconds`, and logs a slow one: the usual cause is a slow or busy disk.
fn note_commit(took: Duration) {
    METRICS.store_commit_latency.observe(took);
    if took >= SLOW_COMMIT {
        tracing::warn!(ms = took.as_millis() as u64, "a store commit took long, and acks waited for it");
    }
}

/// A session as stored: its fixed part and every event so far, in order.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub id: String,
    pub code: String,
    pub facilitator_key: String,
    pub spec: SessionSpec,
    pub created_at: i64,
    pub events: Vec<Event>,
    /// With several nodes: the last command-stream entry whose events are among `events`. `None` on one node.
    pub cursor: Option<String>,
    /// The organisation that owns the session; `None` for an anonymous one (made under `--allow-anonymous`
    /// or before organisations), which only its key opens.
    pub organisation: Option<String>,
}

/// A session in its organisation's list.
#[derive(Debug, Clone)]
pub struct SessionListing {
    pub code: String,
    pub spec: SessionSpec,
    pub created_at: i64,
}

/// An imported catalogue and who imported it; `None`: anonymously, or before organisations.
#[derive(Debug, Clone)]
pub struct StoredCatalogue {
    pub catalogue: Catalogue,
    pub organisation: Option<String>,
    /// When it was retired: hidden from new sessions, kept for those that used it.
    pub retired_at: Option<i64>,
}

/// A member of staff as stored (docs/decisions/0005): the least needed to sign in and be named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
    /// Lower case; `None` for an account that signs in with OpenID Connect only.
    pub email: Option<String>,
    /// Argon2id in PHC form; `None` without a local password.
    pub password_hash: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// An organisation an account belongs to, and its role there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub organisation: Organisation,
    pub role: Role,
}

/// A member of an organisation, as its members see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub account: Account,
    pub role: Role,
}

/// A link that makes whoever opens it a member with `role`, once, until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub organisation: Organisation,
    pub role: Role,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A verksamhetsområde of an organisation: Äldreomsorg, IFO, Funktionsnedsättning, …
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub name: String,
}

/// Everything about staff and organisations (and their plans), to copy a whole installation (`samsyn copy-to-postgres`).
/// Sign-ins and invitations are not part of it: they are short-lived.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owners {
    pub accounts: Vec<Account>,
    /// Each organisation with its ballot retention in days.
    pub organisations: Vec<(Organisation, Option<u32>)>,
    /// Units by organisation id.
    pub units: Vec<(String, Unit)>,
    /// (organisation id, account id, role)
    pub memberships: Vec<(String, String, Role)>,
    /// The living plans' actions by organisation id.
    pub plan: Vec<(String, PlanAction)>,
    /// (account id, OpenID issuer, subject) of the accounts that sign in with OpenID Connect.
    pub oidc: Vec<(String, String, String)>,
}

/// An OpenID Connect sign-in under way: what the callback needs to finish it, kept from the redirect to the
/// provider until the person comes back (docs/decisions/0005).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcLogin {
    /// The ID token must carry it back.
    pub nonce: String,
    /// PKCE: the secret whose hash went to the provider with the redirect.
    pub pkce_verifier: String,
    /// Where to go once signed in: a path on this site.
    pub next: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A signed-in browser, found by the hash of its cookie's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub account: Account,
    /// Every state change made with this session's cookie must carry it.
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the join code is already taken")]
    CodeTaken,
    #[error("a catalogue with that id and version is already stored")]
    CatalogueExists,
    #[error("an account with that email exists already")]
    EmailTaken,
    #[error("events out of order: expected sequence {expected}, got {got}")]
    OutOfOrder { expected: u64, got: u64 },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("writing the event log: {0}")]
    Write(String),
    #[error("stored data could not be read: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Stores a new session with no events. Fails with [`StoreError::CodeTaken`] if the code is in use.
    async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError>;

    /// Loads a session with all its events, by join code.
    async fn load_session(&self, code: &str) -> Result<Option<StoredSession>, StoreError>;

    /// Appends events numbered `first_seq`, `first_seq + 1`, … in one transaction, and with them `cursor`
    /// (the last command-stream entry they answer) when given. Returns once they are durable: the caller
    /// acknowledges to clients only after this succeeds. Fails with [`StoreError::OutOfOrder`] if event
    /// `first_seq` is already stored, which is also what stops a second node writing to the same session.
    async fn append(
        &self,
        session_id: &str,
        first_seq: u64,
        events: &[Event],
        cursor: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Stores an imported catalogue for `organisation`. Fails with [`StoreError::CatalogueExists`] if its id
    /// and version are stored.
    async fn save_catalogue(
        &self,
        catalogue: &Catalogue,
        imported_at: i64,
        organisation: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Every imported catalogue, oldest import first.
    async fn catalogues(&self) -> Result<Vec<StoredCatalogue>, StoreError>;

    /// Retires a catalogue version at `retired` (ms), or brings it back with `None`; false if not stored.
    async fn retire_catalogue(&self, id: &str, version: &str, retired: Option<i64>) -> Result<bool, StoreError>;

    /// Deletes a catalogue version no session uses; false if one does, or it is not stored.
    async fn delete_catalogue(&self, id: &str, version: &str) -> Result<bool, StoreError>;

    /// The join codes of every session started on a catalogue version, oldest first.
    async fn catalogue_sessions(&self, id: &str, version: &str) -> Result<Vec<String>, StoreError>;

    /// An organisation's sessions, newest first.
    async fn organisation_sessions(&self, organisation: &str) -> Result<Vec<SessionListing>, StoreError>;

    /// Replaces a session's whole event log with `events` (numbered from 1) and marks it compacted, in one transaction.
    async fn replace_events(&self, session_id: &str, events: &[Event], compacted_at: i64) -> Result<(), StoreError>;

    /// Gives a session a new facilitator key and owner (rotating or revoking the key, claiming it).
    async fn set_session_owner(
        &self,
        code: &str,
        facilitator_key: &str,
        organisation: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Codes of sessions whose ballots are past their retention at `now` (ms) and not compacted yet: the
    /// owning organisation's period, else `default_days`, else never.
    async fn sessions_to_compact(&self, now: i64, default_days: Option<u32>) -> Result<Vec<String>, StoreError>;

    /// Sets how many days an organisation keeps individual ballots (`None`: the server's setting).
    async fn set_retention(&self, organisation: &str, days: Option<u32>) -> Result<(), StoreError>;

    async fn retention(&self, organisation: &str) -> Result<Option<u32>, StoreError>;

    /// Every session's join code, oldest first (for copying a whole store).
    async fn session_codes(&self) -> Result<Vec<String>, StoreError>;

    /// Removes a session and all its events.
    async fn delete_session(&self, code: &str) -> Result<(), StoreError>;

    /// Stores a new account. Fails with [`StoreError::EmailTaken`] if its email is in use.
    async fn create_account(&self, account: &Account) -> Result<(), StoreError>;

    /// The account with this (lower-case) email.
    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError>;

    /// Gives an account a new password hash; false if there is no such account.
    async fn set_password(&self, account: &str, password_hash: &str) -> Result<bool, StoreError>;

    /// Signs an account out of every browser.
    async fn delete_web_sessions_of(&self, account: &str) -> Result<(), StoreError>;

    /// Stores a new account that signs in with OpenID Connect as `subject` of the provider `issuer`. Fails
    /// with [`StoreError::EmailTaken`] if its email, or that issuer and subject, are in use.
    async fn create_oidc_account(&self, account: &Account, issuer: &str, subject: &str) -> Result<(), StoreError>;

    /// The account that signs in as `subject` of the OpenID provider `issuer`.
    async fn account_by_oidc(&self, issuer: &str, subject: &str) -> Result<Option<Account>, StoreError>;

    /// Stores an OpenID Connect sign-in under way, under the hash of its `state`.
    async fn create_oidc_login(&self, state_hash: &str, login: &OidcLogin) -> Result<(), StoreError>;

    /// Takes (removes and returns) the sign-in under way behind `state_hash`, unless it has expired by `now`:
    /// each is used once. Expired ones are forgotten on the way.
    async fn take_oidc_login(&self, state_hash: &str, now: i64) -> Result<Option<OidcLogin>, StoreError>;

    /// How many accounts exist: none means the server waits for its first administrator.
    async fn account_count(&self) -> Result<u64, StoreError>;

    /// Stores a new organisation with `admin` (an account's id) as its first administrator, in one transaction.
    async fn create_organisation(&self, organisation: &Organisation, admin: &str) -> Result<(), StoreError>;

    /// Every organisation, by name.
    async fn organisations(&self) -> Result<Vec<Organisation>, StoreError>;

    /// Makes an account a member of an organisation with `role`, or changes its role there.
    async fn set_membership(&self, organisation: &str, account: &str, role: Role) -> Result<(), StoreError>;

    /// Every organisation an account belongs to, by name.
    async fn memberships(&self, account: &str) -> Result<Vec<Membership>, StoreError>;

    /// An organisation's members with their roles, by name.
    async fn members(&self, organisation: &str) -> Result<Vec<Member>, StoreError>;

    /// Removes a member; an account left in no organisation is deleted with everything personal about it.
    /// False if there was no such member.
    async fn remove_member(&self, organisation: &str, account: &str) -> Result<bool, StoreError>;

    async fn rename_organisation(&self, organisation: &str, name: &str) -> Result<(), StoreError>;

    /// Stores an invitation under the hash of its link's token.
    async fn create_invitation(&self, token_hash: &str, invitation: &Invitation) -> Result<(), StoreError>;

    async fn invitation(&self, token_hash: &str) -> Result<Option<Invitation>, StoreError>;

    /// Uses an invitation up and makes `account` a member with its role (a member already keeps the role
    /// they have), in one transaction; `new` is
    /// stored first when the invited person has no account yet ([`StoreError::EmailTaken`] if its email is
    /// in use). `None`, and nothing changed, when the invitation was used already or has expired by `now`;
    /// else the organisation's id.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        account: &str,
        new: Option<&Account>,
        now: i64,
    ) -> Result<Option<String>, StoreError>;

    async fn units(&self, organisation: &str) -> Result<Vec<Unit>, StoreError>;

    async fn create_unit(&self, organisation: &str, unit: &Unit) -> Result<(), StoreError>;

    async fn delete_unit(&self, organisation: &str, unit: &str) -> Result<(), StoreError>;

    /// Stores a signed-in browser's session under the hash of its token.
    async fn create_web_session(
        &self,
        token_hash: &str,
        account: &str,
        csrf_token: &str,
        created_at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The session behind a token's hash, if it has not expired by `now` (ms).
    async fn web_session(&self, token_hash: &str, now: i64) -> Result<Option<WebSession>, StoreError>;

    /// Signs a browser out.
    async fn delete_web_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Every account, organisation, unit and membership.
    async fn owners(&self) -> Result<Owners, StoreError>;

    /// Adds `owners`, leaving alone every row whose key is there already (so a copy can run again).
    async fn add_owners(&self, owners: &Owners) -> Result<(), StoreError>;

    /// An organisation's plan (docs/decisions/0005), least recently changed first.
    async fn plan(&self, organisation: &str) -> Result<Vec<PlanAction>, StoreError>;

    /// Stores a new or changed action of an organisation's plan.
    async fn save_plan_action(&self, organisation: &str, action: &PlanAction) -> Result<(), StoreError>;

    /// Adds the actions whose ids are not stored yet, in one transaction; returns how many were added.
    async fn add_plan_actions(&self, organisation: &str, actions: &[PlanAction]) -> Result<usize, StoreError>;

    /// Removes an action; false if the organisation has none with that id.
    async fn delete_plan_action(&self, organisation: &str, id: &str) -> Result<bool, StoreError>;

    /// Checks that the store answers (for `/healthz`).
    async fn ping(&self) -> Result<(), StoreError>;

    /// Flushes and closes; called once at shutdown.
    async fn close(&self);
}
