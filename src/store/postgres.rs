//! The store for several nodes: PostgreSQL, with the same tables and the same promises as the SQLite file.
//! A commit returns once PostgreSQL has made it durable (its default `synchronous_commit = on`).

use super::{Store, StoreError, StoredSession};
use crate::domain::{Catalogue, Event};
use crate::metrics::METRICS;
use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

pub struct PostgresStore {
    pool: PgPool,
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
        Ok(PostgresStore { pool })
    }
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[async_trait]
impl Store for PostgresStore {
    async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError> {
        let spec = serde_json::to_string(&session.spec)?;
        let result = sqlx::query(
            "INSERT INTO sessions (id, code, facilitator_key, spec, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.id)
        .bind(&session.code)
        .bind(&session.facilitator_key)
        .bind(spec)
        .bind(session.created_at)
        .execute(&self.pool)
        .await;
        match result {
            Err(e) if is_unique_violation(&e) => Err(StoreError::CodeTaken),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    async fn load_session(&self, code: &str) -> Result<Option<StoredSession>, StoreError> {
        // One snapshot for both reads, so the events belong to the session row read with them.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        let Some(row) = sqlx::query(
            "SELECT id, code, facilitator_key, spec, created_at, stream_cursor FROM sessions WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let id: String = row.get("id");
        let rows: Vec<String> = sqlx::query_scalar("SELECT event FROM events WHERE session_id = $1 ORDER BY seq")
            .bind(&id)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        let events = rows.iter().map(|e| serde_json::from_str(e)).collect::<Result<Vec<Event>, _>>()?;
        Ok(Some(StoredSession {
            id,
            code: row.get("code"),
            facilitator_key: row.get("facilitator_key"),
            spec: serde_json::from_str(row.get::<&str, _>("spec"))?,
            created_at: row.get("created_at"),
            events,
            cursor: row.get("stream_cursor"),
        }))
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
        let mut tx = self.pool.begin().await?;
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

    async fn save_catalogue(&self, catalogue: &Catalogue, imported_at: i64) -> Result<(), StoreError> {
        let json = serde_json::to_string(catalogue)?;
        let result =
            sqlx::query("INSERT INTO catalogues (id, version, catalogue, imported_at) VALUES ($1, $2, $3, $4)")
                .bind(&catalogue.id)
                .bind(&catalogue.version)
                .bind(json)
                .bind(imported_at)
                .execute(&self.pool)
                .await;
        match result {
            Err(e) if is_unique_violation(&e) => Err(StoreError::CatalogueExists),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    async fn catalogues(&self) -> Result<Vec<Catalogue>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT catalogue FROM catalogues ORDER BY imported_at, id, version")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().map(|json| serde_json::from_str(json)).collect::<Result<_, _>>()?)
    }

    async fn replace_events(&self, session_id: &str, events: &[Event], compacted_at: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
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

    async fn sessions_to_compact(&self, before: i64) -> Result<Vec<String>, StoreError> {
        let codes = sqlx::query_scalar(
            "SELECT code FROM sessions WHERE created_at < $1 AND compacted_at IS NULL ORDER BY created_at",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?;
        Ok(codes)
    }

    async fn session_codes(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT code FROM sessions ORDER BY created_at, code").fetch_all(&self.pool).await?)
    }

    async fn delete_session(&self, code: &str) -> Result<(), StoreError> {
        // Events go with their session (ON DELETE CASCADE).
        sqlx::query("DELETE FROM sessions WHERE code = $1").bind(code).execute(&self.pool).await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
