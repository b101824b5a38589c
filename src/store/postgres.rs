//! The store for several nodes: PostgreSQL, with the same tables and the same promises as the SQLite file.
//! A commit returns once PostgreSQL has made it durable (its default `synchronous_commit = on`).

use super::sql::{is_unique_violation, SharedSql};
use super::{
    Account, Invitation, Member, Membership, OidcLogin, Organisation, Owners, SessionListing, Store, StoreError,
    StoredCatalogue, StoredSession, Unit, WebSession,
};
use crate::domain::access::Role;
use crate::domain::roadmap::PlanAction;
use crate::domain::{Catalogue, Event};
use crate::metrics::METRICS;
use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::Postgres;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

pub struct PostgresStore {
    sql: SharedSql<Postgres>,
}

impl PostgresStore {
    /// Connects to `url` (e.g. `postgres://samsyn:secret@db.kommun.se/samsyn`) and runs migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            // A node whose database is gone should say so soon, not hang every request.
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        sqlx::migrate!("src/store/migrations_postgres").run(&pool).await?;
        let snapshot = Some("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        Ok(PostgresStore { sql: SharedSql { pool, snapshot } })
    }
}

#[async_trait]
impl Store for PostgresStore {
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
        let started = std::time::Instant::now();
        let mut tx = self.sql.pool.begin().await?;
        let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = $1")
            .bind(session_id)
            .fetch_one(&mut *tx)
            .await?;
        if next as u64 != first_seq {
            return Err(StoreError::OutOfOrder { expected: next as u64, got: first_seq });
        }
        let seqs: Vec<i64> = (0..events.len()).map(|offset| (first_seq + offset as u64) as i64).collect();
        let json = events.iter().map(serde_json::to_string).collect::<Result<Vec<String>, _>>()?;
        // One statement for the whole batch; a row another node stored first fails it (primary key).
        let inserted = sqlx::query(
            "INSERT INTO events (session_id, seq, event) SELECT $1, seq, event FROM UNNEST($2::BIGINT[], $3::TEXT[]) AS t(seq, event)",
        )
        .bind(session_id)
        .bind(&seqs)
        .bind(&json)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::OutOfOrder { expected: first_seq + 1, got: first_seq })
            }
            other => other?,
        };
        if let Some(cursor) = cursor {
            sqlx::query("UPDATE sessions SET stream_cursor = $1 WHERE id = $2")
                .bind(cursor)
                .bind(session_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        METRICS.store_transactions.fetch_add(1, Relaxed);
        super::note_commit(started.elapsed());
        Ok(())
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
        let mut tx = self.sql.pool.begin().await?;
        sqlx::query("DELETE FROM events WHERE session_id = $1").bind(session_id).execute(&mut *tx).await?;
        let seqs: Vec<i64> = (1..=events.len() as i64).collect();
        let json = events.iter().map(serde_json::to_string).collect::<Result<Vec<String>, _>>()?;
        sqlx::query(
            "INSERT INTO events (session_id, seq, event) SELECT $1, seq, event FROM UNNEST($2::BIGINT[], $3::TEXT[]) AS t(seq, event)",
        )
        .bind(session_id)
        .bind(&seqs)
        .bind(&json)
        .execute(&mut *tx)
        .await?;
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
        self.sql.pool.close().await;
    }
}
