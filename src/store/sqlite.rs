//! The default store: one SQLite file in WAL mode with `synchronous=FULL`, so a committed event survives a power cut.
//! Events go through [`writer`], one thread that commits every waiting session's batch together; everything
//! else (sessions, catalogues, reading) through sqlx's pool.

mod writer;

use super::sql::SharedSql;
use super::{
    Account, Invitation, Member, Membership, OidcLogin, Organisation, Owners, SessionListing, Store, StoreError,
    StoredCatalogue, StoredSession, Unit, WebSession,
};
use crate::domain::access::Role;
use crate::domain::roadmap::PlanAction;
use crate::domain::{Catalogue, Event};
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Sqlite;
use std::path::Path;
use std::time::Duration;

pub struct SqliteStore {
    sql: SharedSql<Sqlite>,
    writer: writer::Writer,
}

/// How long a write waits for another connection's transaction before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl SqliteStore {
    /// Opens (creating if missing) `samsyn.db` in `data_dir`, and runs migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        let file = data_dir.join("samsyn.db");
        let options = SqliteConnectOptions::new()
            .filename(&file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: fsync the WAL at every commit. An acknowledged vote must survive a crash or power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Deleted sessions are overwritten on disk, not just unlinked: "delete" must really remove the data.
            .pragma("secure_delete", "ON")
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("src/store/migrations").run(&pool).await?;
        let writer = writer::Writer::start(&file, BUSY_TIMEOUT)?;
        // In WAL mode a read transaction sees one snapshot of the file throughout.
        Ok(SqliteStore { sql: SharedSql { pool, snapshot: None }, writer })
    }

    /// SQLite's own check of the file: `ok` when it is sound.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.sql.pool).await?)
    }

    /// The pragmas in force on the connection that writes events, for tests and health checks:
    /// (journal_mode, synchronous).
    pub async fn durability(&self) -> Result<(String, i64), StoreError> {
        self.writer.pragmas().await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError> {
        self.sql.create_session(session).await
    }

    async fn load_session(&self, code: &str) -> Result<Option<StoredSession>, StoreError> {
        self.sql.load_session(code).await
    }

    async fn append(
        &self,
        session_id: &str,
        first_seq: u64,
        events: &[Event],
        cursor: Option<&str>,
    ) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let events = events.iter().map(serde_json::to_string).collect::<Result<Vec<String>, _>>()?;
        let batch =
            writer::Batch { session_id: session_id.to_string(), first_seq, events, cursor: cursor.map(str::to_string) };
        self.writer.append(batch).await
    }

    async fn save_catalogue(
        &self,
        catalogue: &Catalogue,
        imported_at: i64,
        organisation: Option<&str>,
    ) -> Result<(), StoreError> {
        self.sql.save_catalogue(catalogue, imported_at, organisation).await
    }

    async fn catalogues(&self) -> Result<Vec<StoredCatalogue>, StoreError> {
        self.sql.catalogues().await
    }

    async fn retire_catalogue(&self, id: &str, version: &str, retired: Option<i64>) -> Result<bool, StoreError> {
        self.sql.retire_catalogue(id, version, retired).await
    }

    async fn delete_catalogue(&self, id: &str, version: &str) -> Result<bool, StoreError> {
        self.sql.delete_catalogue(id, version).await
    }

    async fn catalogue_sessions(&self, id: &str, version: &str) -> Result<Vec<String>, StoreError> {
        self.sql.catalogue_sessions(id, version).await
    }

    async fn organisation_sessions(&self, organisation: &str) -> Result<Vec<SessionListing>, StoreError> {
        self.sql.organisation_sessions(organisation).await
    }

    async fn replace_events(&self, session_id: &str, events: &[Event], compacted_at: i64) -> Result<(), StoreError> {
        let mut tx = self.sql.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM events WHERE session_id = $1").bind(session_id).execute(&mut *tx).await?;
        for (offset, event) in events.iter().enumerate() {
            sqlx::query("INSERT INTO events (session_id, seq, event) VALUES ($1, $2, $3)")
                .bind(session_id)
                .bind(offset as i64 + 1)
                .bind(serde_json::to_string(event)?)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE sessions SET compacted_at = $1 WHERE id = $2")
            .bind(compacted_at)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_session_owner(
        &self,
        code: &str,
        facilitator_key: &str,
        organisation: Option<&str>,
    ) -> Result<(), StoreError> {
        self.sql.set_session_owner(code, facilitator_key, organisation).await
    }

    async fn sessions_to_compact(&self, now: i64, default_days: Option<u32>) -> Result<Vec<String>, StoreError> {
        self.sql.sessions_to_compact(now, default_days).await
    }

    async fn set_retention(&self, organisation: &str, days: Option<u32>) -> Result<(), StoreError> {
        self.sql.set_retention(organisation, days).await
    }

    async fn retention(&self, organisation: &str) -> Result<Option<u32>, StoreError> {
        self.sql.retention(organisation).await
    }

    async fn session_codes(&self) -> Result<Vec<String>, StoreError> {
        self.sql.session_codes().await
    }

    async fn delete_session(&self, code: &str) -> Result<(), StoreError> {
        self.sql.delete_session(code).await
    }

    async fn create_account(&self, account: &Account) -> Result<(), StoreError> {
        self.sql.create_account(account).await
    }

    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        self.sql.account_by_email(email).await
    }

    async fn set_password(&self, account: &str, password_hash: &str) -> Result<bool, StoreError> {
        self.sql.set_password(account, password_hash).await
    }

    async fn delete_web_sessions_of(&self, account: &str) -> Result<(), StoreError> {
        self.sql.delete_web_sessions_of(account).await
    }

    async fn create_oidc_account(&self, account: &Account, issuer: &str, subject: &str) -> Result<(), StoreError> {
        self.sql.create_oidc_account(account, issuer, subject).await
    }

    async fn account_by_oidc(&self, issuer: &str, subject: &str) -> Result<Option<Account>, StoreError> {
        self.sql.account_by_oidc(issuer, subject).await
    }

    async fn create_oidc_login(&self, state_hash: &str, login: &OidcLogin) -> Result<(), StoreError> {
        self.sql.create_oidc_login(state_hash, login).await
    }

    async fn take_oidc_login(&self, state_hash: &str, now: i64) -> Result<Option<OidcLogin>, StoreError> {
        self.sql.take_oidc_login(state_hash, now).await
    }

    async fn account_count(&self) -> Result<u64, StoreError> {
        self.sql.account_count().await
    }

    async fn create_organisation(&self, organisation: &Organisation, admin: &str) -> Result<(), StoreError> {
        self.sql.create_organisation(organisation, admin).await
    }

    async fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        self.sql.organisations().await
    }

    async fn set_membership(&self, organisation: &str, account: &str, role: Role) -> Result<(), StoreError> {
        self.sql.set_membership(organisation, account, role).await
    }

    async fn memberships(&self, account: &str) -> Result<Vec<Membership>, StoreError> {
        self.sql.memberships(account).await
    }

    async fn members(&self, organisation: &str) -> Result<Vec<Member>, StoreError> {
        self.sql.members(organisation).await
    }

    async fn remove_member(&self, organisation: &str, account: &str) -> Result<bool, StoreError> {
        self.sql.remove_member(organisation, account).await
    }

    async fn rename_organisation(&self, organisation: &str, name: &str) -> Result<(), StoreError> {
        self.sql.rename_organisation(organisation, name).await
    }

    async fn create_invitation(&self, token_hash: &str, invitation: &Invitation) -> Result<(), StoreError> {
        self.sql.create_invitation(token_hash, invitation).await
    }

    async fn invitation(&self, token_hash: &str) -> Result<Option<Invitation>, StoreError> {
        self.sql.invitation(token_hash).await
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        account: &str,
        new: Option<&Account>,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        self.sql.accept_invitation(token_hash, account, new, now).await
    }

    async fn units(&self, organisation: &str) -> Result<Vec<Unit>, StoreError> {
        self.sql.units(organisation).await
    }

    async fn create_unit(&self, organisation: &str, unit: &Unit) -> Result<(), StoreError> {
        self.sql.create_unit(organisation, unit).await
    }

    async fn delete_unit(&self, organisation: &str, unit: &str) -> Result<(), StoreError> {
        self.sql.delete_unit(organisation, unit).await
    }

    async fn create_web_session(
        &self,
        token_hash: &str,
        account: &str,
        csrf_token: &str,
        created_at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.sql.create_web_session(token_hash, account, csrf_token, created_at, expires_at).await
    }

    async fn web_session(&self, token_hash: &str, now: i64) -> Result<Option<WebSession>, StoreError> {
        self.sql.web_session(token_hash, now).await
    }

    async fn delete_web_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.sql.delete_web_session(token_hash).await
    }

    async fn owners(&self) -> Result<Owners, StoreError> {
        self.sql.owners().await
    }

    async fn add_owners(&self, owners: &Owners) -> Result<(), StoreError> {
        self.sql.add_owners(owners).await
    }

    async fn plan(&self, organisation: &str) -> Result<Vec<PlanAction>, StoreError> {
        self.sql.plan(organisation).await
    }

    async fn save_plan_action(&self, organisation: &str, action: &PlanAction) -> Result<(), StoreError> {
        self.sql.save_plan_action(organisation, action).await
    }

    async fn add_plan_actions(&self, organisation: &str, actions: &[PlanAction]) -> Result<usize, StoreError> {
        self.sql.add_plan_actions(organisation, actions).await
    }

    async fn delete_plan_action(&self, organisation: &str, id: &str) -> Result<bool, StoreError> {
        self.sql.delete_plan_action(organisation, id).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.sql.ping().await
    }

    async fn close(&self) {
        self.writer.stop().await;
        self.sql.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Catalogue, BUILT_IN};
    use crate::domain::kinds::scale::ScaleAnswer;
    use crate::domain::{Answer, SessionSpec};

    fn stored(code: &str) -> StoredSession {
        let catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
        StoredSession {
            id: format!("id-{code}"),
            code: code.into(),
            facilitator_key: "k".into(),
            spec: SessionSpec::workshop(&catalogue, "Test").unwrap(),
            created_at: 1,
            events: vec![],
            cursor: None,
            organisation: None,
        }
    }

    #[tokio::test]
    async fn events_written_are_read_back_in_order_after_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        assert_eq!(store.durability().await.unwrap(), ("wal".to_string(), 2));
        store.create_session(&stored("123456")).await.unwrap();
        let events = vec![
            Event::RoundOpened { item: "L1".into(), round: 1 },
            Event::BallotCast {
                item: "L1".into(),
                round: 1,
                participant: 1,
                answer: Answer::Scale(ScaleAnswer::Level(3)),
            },
        ];
        store.append("id-123456", 1, &events, None).await.unwrap();
        assert!(matches!(store.append("id-123456", 1, &events, None).await, Err(StoreError::OutOfOrder { .. })));
        assert!(matches!(store.create_session(&stored("123456")).await, Err(StoreError::CodeTaken)));
        store.close().await;

        let reopened = SqliteStore::open(dir.path()).await.unwrap();
        let session = reopened.load_session("123456").await.unwrap().unwrap();
        assert_eq!(session.events, events);
        assert_eq!(session.spec.items.len(), 32);
        assert!(reopened.load_session("654321").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn batches_of_many_sessions_at_once_are_each_stored_or_refused_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        let codes: Vec<String> = (0..40).map(|k| format!("{:06}", 100_000 + k)).collect();
        for code in &codes {
            store.create_session(&stored(code)).await.unwrap();
        }
        let opened = |k: usize| vec![Event::RoundOpened { item: format!("L{k}"), round: 1 }];
        // Every session appends at once; session 7 out of order, session 9 deleted meanwhile.
        store.delete_session(&codes[9]).await.unwrap();
        let appends = codes.iter().enumerate().map(|(k, code)| {
            let (store, events) = (&store, opened(k));
            async move {
                let first_seq = if k == 7 { 2 } else { 1 };
                store.append(&format!("id-{code}"), first_seq, &events, None).await
            }
        });
        let outcomes = futures_util::future::join_all(appends).await;
        for (k, outcome) in outcomes.iter().enumerate() {
            match k {
                7 => assert!(matches!(outcome, Err(StoreError::OutOfOrder { expected: 1, got: 2 })), "{outcome:?}"),
                9 => assert!(matches!(outcome, Err(StoreError::Write(_))), "{outcome:?}"),
                _ => assert!(outcome.is_ok(), "session {k}: {outcome:?}"),
            }
        }
        store.close().await;
        assert!(matches!(store.append("id-100000", 2, &opened(0), None).await, Err(StoreError::Write(_))));

        let reopened = SqliteStore::open(dir.path()).await.unwrap();
        for (k, code) in codes.iter().enumerate() {
            let events = reopened.load_session(code).await.unwrap().map(|s| s.events);
            match k {
                7 => assert_eq!(events, Some(vec![])),
                9 => assert_eq!(events, None),
                _ => assert_eq!(events, Some(opened(k))),
            }
        }
    }
}
