//! The statements SQLite and PostgreSQL run alike, written once with `$N` placeholders (SQLite reads them
//! too). Each store keeps apart only what truly differs: how events are appended (SQLite's group-commit
//! writer, PostgreSQL's `UNNEST`) and how a read sees one snapshot. Knows sqlx, never a particular database.

use super::{StoreError, StoredSession};
use crate::domain::{Catalogue, Event};
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

/// One database's pool and the statements every store shares.
pub(super) struct SharedSql<DB: Database> {
    pub pool: Pool<DB>,
    /// Run first in the transaction of [`SharedSql::load_session`], where the database needs telling that
    /// its two reads must see one snapshot (PostgreSQL); `None` where any transaction does (SQLite in WAL).
    pub snapshot: Option<&'static str>,
}

impl<DB> SharedSql<DB>
where
    DB: Database,
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> String: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Decode<'q, DB>,
    for<'r> (String,): sqlx::FromRow<'r, DB::Row>,
    for<'n> &'n str: ColumnIndex<DB::Row>,
{
    pub async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError> {
        let spec = serde_json::to_string(&session.spec)?;
        let result = sqlx::query::<DB>(
            "INSERT INTO sessions (id, code, facilitator_key, spec, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session.id.clone())
        .bind(session.code.clone())
        .bind(session.facilitator_key.clone())
        .bind(spec)
        .bind(session.created_at)
        .execute(&self.pool)
        .await;
        match result {
            Err(error) if is_unique_violation(&error) => Err(StoreError::CodeTaken),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    pub async fn load_session(&self, code: &str) -> Result<Option<StoredSession>, StoreError> {
        // One snapshot for both reads, so the events belong to the session row read with them.
        let mut tx = self.pool.begin().await?;
        if let Some(snapshot) = self.snapshot {
            sqlx::query::<DB>(snapshot).execute(&mut *tx).await?;
        }
        let Some(row) = sqlx::query::<DB>(
            "SELECT id, code, facilitator_key, spec, created_at, stream_cursor FROM sessions WHERE code = $1",
        )
        .bind(code.to_string())
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let id: String = row.try_get("id")?;
        let rows: Vec<String> =
            sqlx::query_scalar::<DB, String>("SELECT event FROM events WHERE session_id = $1 ORDER BY seq")
                .bind(id.clone())
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let events = rows.iter().map(|e| serde_json::from_str(e)).collect::<Result<Vec<Event>, _>>()?;
        Ok(Some(StoredSession {
            id,
            code: row.try_get("code")?,
            facilitator_key: row.try_get("facilitator_key")?,
            spec: serde_json::from_str(&row.try_get::<String, _>("spec")?)?,
            created_at: row.try_get("created_at")?,
            events,
            cursor: row.try_get("stream_cursor")?,
        }))
    }

    pub async fn save_catalogue(&self, catalogue: &Catalogue, imported_at: i64) -> Result<(), StoreError> {
        let json = serde_json::to_string(catalogue)?;
        let result =
            sqlx::query::<DB>("INSERT INTO catalogues (id, version, catalogue, imported_at) VALUES ($1, $2, $3, $4)")
                .bind(catalogue.id.clone())
                .bind(catalogue.version.clone())
                .bind(json)
                .bind(imported_at)
                .execute(&self.pool)
                .await;
        match result {
            Err(error) if is_unique_violation(&error) => Err(StoreError::CatalogueExists),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    pub async fn catalogues(&self) -> Result<Vec<Catalogue>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar::<DB, String>("SELECT catalogue FROM catalogues ORDER BY imported_at, id, version")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.iter().map(|json| serde_json::from_str(json)).collect::<Result<_, _>>()?)
    }

    pub async fn sessions_to_compact(&self, before: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar::<DB, String>(
            "SELECT code FROM sessions WHERE created_at < $1 AND compacted_at IS NULL ORDER BY created_at",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn session_codes(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar::<DB, String>("SELECT code FROM sessions ORDER BY created_at, code")
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn delete_session(&self, code: &str) -> Result<(), StoreError> {
        // Events go with their session (ON DELETE CASCADE), in the same statement's transaction.
        sqlx::query::<DB>("DELETE FROM sessions WHERE code = $1").bind(code.to_string()).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query::<DB>("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// True for a failed insert of a key that is already there.
pub(super) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}
