//! The default store: one SQLite file in WAL mode with `synchronous=FULL`, so a committed event survives a power cut.

use super::{Store, StoreError, StoredSession};
use crate::domain::{Catalogue, Event};
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Row;
use std::path::Path;
use std::time::Duration;

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) `samsyn.db` in `data_dir`, and runs migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join("samsyn.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: fsync the WAL at every commit. An acknowledged vote must survive a crash or power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Deleted sessions are overwritten on disk, not just unlinked: "delete" must really remove the data.
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("src/store/migrations").run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    /// SQLite's own check of the file: `ok` when it is sound.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.pool).await?)
    }

    /// The pragmas in force on a pooled connection, for tests and health checks: (journal_mode, synchronous).
    pub async fn durability(&self) -> Result<(String, i64), StoreError> {
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&self.pool).await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&self.pool).await?;
        Ok((journal, synchronous))
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError> {
        let spec = serde_json::to_string(&session.spec)?;
        let result =
            sqlx::query("INSERT INTO sessions (id, code, facilitator_key, spec, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(&session.id)
                .bind(&session.code)
                .bind(&session.facilitator_key)
                .bind(spec)
                .bind(session.created_at)
                .execute(&self.pool)
                .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::CodeTaken),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    async fn load_session(&self, code: &str) -> Result<Option<StoredSession>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT id, code, facilitator_key, spec, created_at, stream_cursor FROM sessions WHERE code = ?",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: String = row.get("id");
        let rows: Vec<String> = sqlx::query_scalar("SELECT event FROM events WHERE session_id = ? ORDER BY seq")
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
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
        // The whole batch is one INSERT, which writes only if it continues the log where it ends: every
        // statement is a trip to the driver's thread (two thread switches).
        let texts = events.iter().map(serde_json::to_string).collect::<Result<Vec<String>, _>>()?;
        let insert = sqlx::query(
            "INSERT INTO events (session_id, seq, event) \
             SELECT ?1, ?2 + batch.key, batch.value FROM json_each(?3) AS batch \
             WHERE (SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?1) = ?2",
        )
        .bind(session_id)
        .bind(first_seq as i64)
        .bind(serde_json::to_string(&texts)?);
        let Some(cursor) = cursor else {
            // Alone, the statement is its own transaction, committed (and synced) before it returns. A
            // writing statement takes the write lock before it reads, so it waits for another session's
            // commit (the busy timeout) instead of failing the way a deferred transaction would.
            let inserted = insert.execute(&self.pool).await?.rows_affected();
            if inserted != events.len() as u64 {
                return Err(out_of_order(&self.pool, session_id, first_seq).await);
            }
            return Ok(());
        };
        // IMMEDIATE: take the write lock now, waiting up to the busy timeout. A deferred transaction that
        // reads first fails at once with "database is locked" when another session's actor commits meanwhile.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let inserted = insert.execute(&mut *tx).await?.rows_affected();
        if inserted != events.len() as u64 {
            return Err(out_of_order(&mut *tx, session_id, first_seq).await);
        }
        sqlx::query("UPDATE sessions SET stream_cursor = ? WHERE id = ?")
            .bind(cursor)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn save_catalogue(&self, catalogue: &Catalogue, imported_at: i64) -> Result<(), StoreError> {
        let json = serde_json::to_string(catalogue)?;
        let result = sqlx::query("INSERT INTO catalogues (id, version, catalogue, imported_at) VALUES (?, ?, ?, ?)")
            .bind(&catalogue.id)
            .bind(&catalogue.version)
            .bind(json)
            .bind(imported_at)
            .execute(&self.pool)
            .await;
        match result {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::CatalogueExists),
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM events WHERE session_id = ?").bind(session_id).execute(&mut *tx).await?;
        for (offset, event) in events.iter().enumerate() {
            sqlx::query("INSERT INTO events (session_id, seq, event) VALUES (?, ?, ?)")
                .bind(session_id)
                .bind(offset as i64 + 1)
                .bind(serde_json::to_string(event)?)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE sessions SET compacted_at = ? WHERE id = ?")
            .bind(compacted_at)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn sessions_to_compact(&self, before: i64) -> Result<Vec<String>, StoreError> {
        let codes = sqlx::query_scalar(
            "SELECT code FROM sessions WHERE created_at < ? AND compacted_at IS NULL ORDER BY created_at",
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
        // Events go with their session (ON DELETE CASCADE); both in one transaction.
        sqlx::query("DELETE FROM sessions WHERE code = ?").bind(code).execute(&self.pool).await?;
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

/// The refusal of a batch that does not continue the session's log, naming the sequence number expected.
async fn out_of_order<'e>(executor: impl sqlx::SqliteExecutor<'e>, session_id: &str, got: u64) -> StoreError {
    let next: Result<i64, _> = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?")
        .bind(session_id)
        .fetch_one(executor)
        .await;
    match next {
        Ok(next) => StoreError::OutOfOrder { expected: next as u64, got },
        Err(error) => error.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::{Catalogue, BUILT_IN};
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
            Event::BallotCast { item: "L1".into(), round: 1, participant: 1, answer: Answer::Level(3) },
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
}
