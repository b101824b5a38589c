//! The statements SQLite and PostgreSQL run alike, written once with `$N` placeholders (SQLite reads them
//! too). Each store keeps apart only what truly differs: how events are appended (SQLite's group-commit
//! writer, PostgreSQL's `UNNEST`) and how a read sees one snapshot. Knows sqlx, never a particular database.

use super::{SessionListing, StoreError, StoredCatalogue, StoredSession};
use crate::domain::{Catalogue, Event};
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

mod owners;

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
    for<'q> Option<String>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
    for<'r> (Option<i64>,): sqlx::FromRow<'r, DB::Row>,
    for<'r> (String,): sqlx::FromRow<'r, DB::Row>,
    for<'r> (i64,): sqlx::FromRow<'r, DB::Row>,
    for<'n> &'n str: ColumnIndex<DB::Row>,
{
    pub async fn create_session(&self, session: &StoredSession) -> Result<(), StoreError> {
        let spec = serde_json::to_string(&session.spec)?;
        let result = sqlx::query::<DB>(
            "INSERT INTO sessions (id, code, facilitator_key, spec, created_at, organisation_id, catalogue_id, \
             catalogue_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(session.id.clone())
        .bind(session.code.clone())
        .bind(session.facilitator_key.clone())
        .bind(spec)
        .bind(session.created_at)
        .bind(session.organisation.clone())
        .bind(session.spec.catalogue.as_ref().map(|c| c.id.clone()))
        .bind(session.spec.catalogue.as_ref().map(|c| c.version.clone()))
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
            "SELECT id, code, facilitator_key, spec, created_at, stream_cursor, organisation_id FROM sessions \
             WHERE code = $1",
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
            organisation: row.try_get("organisation_id")?,
        }))
    }

    pub async fn save_catalogue(
        &self,
        catalogue: &Catalogue,
        imported_at: i64,
        organisation: Option<&str>,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(catalogue)?;
        let result = sqlx::query::<DB>(
            "INSERT INTO catalogues (id, version, catalogue, imported_at, organisation_id) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(catalogue.id.clone())
        .bind(catalogue.version.clone())
        .bind(json)
        .bind(imported_at)
        .bind(organisation.map(str::to_string))
        .execute(&self.pool)
        .await;
        match result {
            Err(error) if is_unique_violation(&error) => Err(StoreError::CatalogueExists),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    pub async fn catalogues(&self) -> Result<Vec<StoredCatalogue>, StoreError> {
        let rows = sqlx::query::<DB>(
            "SELECT catalogue, organisation_id, retired_at FROM catalogues ORDER BY imported_at, id, version",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredCatalogue {
                    catalogue: serde_json::from_str(&row.try_get::<String, _>("catalogue")?)?,
                    organisation: row.try_get("organisation_id")?,
                    retired_at: row.try_get("retired_at")?,
                })
            })
            .collect()
    }

    /// Retires a catalogue version (`retired`) or brings it back; false if it is not stored.
    pub async fn retire_catalogue(&self, id: &str, version: &str, retired: Option<i64>) -> Result<bool, StoreError> {
        let found = sqlx::query_scalar::<DB, String>(
            "UPDATE catalogues SET retired_at = $1 WHERE id = $2 AND version = $3 RETURNING id",
        )
        .bind(retired)
        .bind(id.to_string())
        .bind(version.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Deletes a catalogue version that no session uses, in one statement; false if it is in use or not stored.
    pub async fn delete_catalogue(&self, id: &str, version: &str) -> Result<bool, StoreError> {
        let deleted = sqlx::query_scalar::<DB, String>(
            "DELETE FROM catalogues WHERE id = $1 AND version = $2 AND NOT EXISTS \
             (SELECT 1 FROM sessions WHERE catalogue_id = $1 AND catalogue_version = $2) RETURNING id",
        )
        .bind(id.to_string())
        .bind(version.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(deleted.is_some())
    }

    /// The join codes of the sessions started on a catalogue version, oldest first.
    pub async fn catalogue_sessions(&self, id: &str, version: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar::<DB, String>(
            "SELECT code FROM sessions WHERE catalogue_id = $1 AND catalogue_version = $2 ORDER BY created_at, code",
        )
        .bind(id.to_string())
        .bind(version.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn organisation_sessions(&self, organisation: &str) -> Result<Vec<SessionListing>, StoreError> {
        let rows = sqlx::query::<DB>(
            "SELECT code, spec, created_at FROM sessions WHERE organisation_id = $1 ORDER BY created_at DESC, code",
        )
        .bind(organisation.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SessionListing {
                    code: row.try_get("code")?,
                    spec: serde_json::from_str(&row.try_get::<String, _>("spec")?)?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    pub async fn set_session_owner(
        &self,
        code: &str,
        facilitator_key: &str,
        organisation: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query::<DB>("UPDATE sessions SET facilitator_key = $1, organisation_id = $2 WHERE code = $3")
            .bind(facilitator_key.to_string())
            .bind(organisation.map(str::to_string))
            .bind(code.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn sessions_to_compact(&self, now: i64, default_days: Option<u32>) -> Result<Vec<String>, StoreError> {
        // A session's own organisation's period wins; without one, the server's; without that, never.
        Ok(sqlx::query_scalar::<DB, String>(
            "SELECT s.code FROM sessions s LEFT JOIN organisations o ON o.id = s.organisation_id \
             WHERE s.compacted_at IS NULL AND s.created_at < $1 - COALESCE(o.retention_days, $2) * 86400000 \
             ORDER BY s.created_at",
        )
        .bind(now)
        .bind(default_days.map(i64::from))
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn set_retention(&self, organisation: &str, days: Option<u32>) -> Result<(), StoreError> {
        sqlx::query::<DB>("UPDATE organisations SET retention_days = $1 WHERE id = $2")
            .bind(days.map(i64::from))
            .bind(organisation.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn retention(&self, organisation: &str) -> Result<Option<u32>, StoreError> {
        let days = sqlx::query_scalar::<DB, Option<i64>>(
            "SELECT CAST(retention_days AS BIGINT) FROM organisations WHERE id = $1",
        )
        .bind(organisation.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(days.flatten().and_then(|d| u32::try_from(d).ok()))
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
