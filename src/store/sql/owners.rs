//! The owner model's statements (docs/decisions/0005): staff accounts and their sign-ins, organisations,
//! members, invitations and units, the living plan, and a whole installation's copy of them. One body of
//! SQL for both stores, like the session statements beside it.

use super::{is_unique_violation, SharedSql};
use crate::domain::access::Role;
use crate::domain::roadmap::PlanAction;
use crate::store::{
    Account, Invitation, Member, Membership, OidcLogin, Organisation, Owners, StoreError, Unit, WebSession,
};
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

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
    pub async fn create_account(&self, account: &Account) -> Result<(), StoreError> {
        let result = sqlx::query::<DB>(
            "INSERT INTO accounts (id, name, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(account.id.clone())
        .bind(account.name.clone())
        .bind(account.email.clone())
        .bind(account.password_hash.clone())
        .bind(account.created_at)
        .execute(&self.pool)
        .await;
        match result {
            Err(error) if is_unique_violation(&error) => Err(StoreError::EmailTaken),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query::<DB>("SELECT id, name, email, password_hash, created_at FROM accounts WHERE email = $1")
            .bind(email.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| account(&row, "")).transpose()
    }

    pub async fn create_oidc_account(&self, account: &Account, issuer: &str, subject: &str) -> Result<(), StoreError> {
        let result = sqlx::query::<DB>(
            "INSERT INTO accounts (id, name, email, password_hash, created_at, oidc_issuer, oidc_subject) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(account.id.clone())
        .bind(account.name.clone())
        .bind(account.email.clone())
        .bind(account.password_hash.clone())
        .bind(account.created_at)
        .bind(issuer.to_string())
        .bind(subject.to_string())
        .execute(&self.pool)
        .await;
        match result {
            Err(error) if is_unique_violation(&error) => Err(StoreError::EmailTaken),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    pub async fn account_by_oidc(&self, issuer: &str, subject: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query::<DB>(
            "SELECT id, name, email, password_hash, created_at FROM accounts WHERE oidc_issuer = $1 AND oidc_subject = $2",
        )
        .bind(issuer.to_string())
        .bind(subject.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| account(&row, "")).transpose()
    }

    pub async fn create_oidc_login(&self, state_hash: &str, login: &OidcLogin) -> Result<(), StoreError> {
        sqlx::query::<DB>(
            "INSERT INTO oidc_logins (state_hash, nonce, pkce_verifier, next, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(state_hash.to_string())
        .bind(login.nonce.clone())
        .bind(login.pkce_verifier.clone())
        .bind(login.next.clone())
        .bind(login.created_at)
        .bind(login.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes and returns the sign-in under way behind `state_hash` if it has not expired by `now`; forgets
    /// every expired one on the way.
    pub async fn take_oidc_login(&self, state_hash: &str, now: i64) -> Result<Option<OidcLogin>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query::<DB>(
            "DELETE FROM oidc_logins WHERE state_hash = $1 \
             RETURNING nonce, pkce_verifier, next, created_at, expires_at",
        )
        .bind(state_hash.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query::<DB>("DELETE FROM oidc_logins WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        let login = row
            .map(|row| {
                Ok::<_, StoreError>(OidcLogin {
                    nonce: row.try_get("nonce")?,
                    pkce_verifier: row.try_get("pkce_verifier")?,
                    next: row.try_get("next")?,
                    created_at: row.try_get("created_at")?,
                    expires_at: row.try_get("expires_at")?,
                })
            })
            .transpose()?;
        Ok(login.filter(|login| login.expires_at > now))
    }

    pub async fn account_count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar::<DB, i64>("SELECT COUNT(*) FROM accounts").fetch_one(&self.pool).await?;
        Ok(count.max(0) as u64)
    }

    pub async fn set_password(&self, account: &str, password_hash: &str) -> Result<bool, StoreError> {
        let updated =
            sqlx::query_scalar::<DB, String>("UPDATE accounts SET password_hash = $1 WHERE id = $2 RETURNING id")
                .bind(password_hash.to_string())
                .bind(account.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(updated.is_some())
    }

    /// Signs an account out everywhere (after a new password).
    pub async fn delete_web_sessions_of(&self, account: &str) -> Result<(), StoreError> {
        sqlx::query::<DB>("DELETE FROM web_sessions WHERE account_id = $1")
            .bind(account.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_organisation(&self, organisation: &Organisation, admin: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query::<DB>("INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(organisation.id.clone())
            .bind(organisation.name.clone())
            .bind(organisation.created_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query::<DB>("INSERT INTO memberships (organisation_id, account_id, role) VALUES ($1, $2, $3)")
            .bind(organisation.id.clone())
            .bind(admin.to_string())
            .bind(Role::Admin.as_str().to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        let rows = sqlx::query::<DB>("SELECT id, name, created_at FROM organisations ORDER BY name, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Organisation {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    pub async fn set_membership(&self, organisation: &str, account: &str, role: Role) -> Result<(), StoreError> {
        sqlx::query::<DB>(
            "INSERT INTO memberships (organisation_id, account_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (organisation_id, account_id) DO UPDATE SET role = excluded.role",
        )
        .bind(organisation.to_string())
        .bind(account.to_string())
        .bind(role.as_str().to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn memberships(&self, account: &str) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query::<DB>(
            "SELECT o.id, o.name, o.created_at, m.role FROM memberships m \
             JOIN organisations o ON o.id = m.organisation_id WHERE m.account_id = $1 ORDER BY o.name, o.id",
        )
        .bind(account.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let role = role(row)?;
                let organisation = Organisation {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                };
                Ok(Membership { organisation, role })
            })
            .collect()
    }

    pub async fn members(&self, organisation: &str) -> Result<Vec<Member>, StoreError> {
        let rows = sqlx::query::<DB>(
            "SELECT a.id, a.name, a.email, a.password_hash, a.created_at, m.role FROM memberships m \
             JOIN accounts a ON a.id = m.account_id WHERE m.organisation_id = $1 ORDER BY a.name, a.id",
        )
        .bind(organisation.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok(Member { account: account(row, "")?, role: role(row)? })).collect()
    }

    /// Removes a membership; an account left in no organisation is deleted with its sign-ins, so no
    /// personal data of a former member stays. Returns whether there was such a member.
    pub async fn remove_member(&self, organisation: &str, account: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let removed = sqlx::query_scalar::<DB, String>(
            "DELETE FROM memberships WHERE organisation_id = $1 AND account_id = $2 RETURNING account_id",
        )
        .bind(organisation.to_string())
        .bind(account.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let left: i64 = sqlx::query_scalar::<DB, i64>("SELECT COUNT(*) FROM memberships WHERE account_id = $1")
            .bind(account.to_string())
            .fetch_one(&mut *tx)
            .await?;
        if removed.is_some() && left == 0 {
            sqlx::query::<DB>("DELETE FROM web_sessions WHERE account_id = $1")
                .bind(account.to_string())
                .execute(&mut *tx)
                .await?;
            sqlx::query::<DB>("DELETE FROM accounts WHERE id = $1").bind(account.to_string()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(removed.is_some())
    }

    pub async fn rename_organisation(&self, organisation: &str, name: &str) -> Result<(), StoreError> {
        sqlx::query::<DB>("UPDATE organisations SET name = $1 WHERE id = $2")
            .bind(name.to_string())
            .bind(organisation.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_invitation(&self, token_hash: &str, invitation: &Invitation) -> Result<(), StoreError> {
        sqlx::query::<DB>(
            "INSERT INTO invitations (token_hash, organisation_id, role, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash.to_string())
        .bind(invitation.organisation.id.clone())
        .bind(invitation.role.as_str().to_string())
        .bind(invitation.created_at)
        .bind(invitation.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn invitation(&self, token_hash: &str) -> Result<Option<Invitation>, StoreError> {
        let row = sqlx::query::<DB>(
            "SELECT o.id, o.name, o.created_at AS organisation_created_at, i.role, i.created_at, i.expires_at, i.used_at \
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id WHERE i.token_hash = $1",
        )
        .bind(token_hash.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Invitation {
                organisation: Organisation {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    created_at: row.try_get("organisation_created_at")?,
                },
                role: role(&row)?,
                created_at: row.try_get("created_at")?,
                expires_at: row.try_get("expires_at")?,
                used_at: row.try_get("used_at")?,
            })
        })
        .transpose()
    }

    /// Uses an invitation up and makes `account` a member with its role, in one transaction; `new` is
    /// stored first when the invited person has no account yet. `None` (and nothing changed) when the
    /// invitation was used already or has expired by `now`; the organisation's id otherwise.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        account: &str,
        new: Option<&Account>,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let accepted = sqlx::query::<DB>(
            "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             RETURNING organisation_id, role",
        )
        .bind(now)
        .bind(token_hash.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(accepted) = accepted else { return Ok(None) };
        let organisation: String = accepted.try_get("organisation_id")?;
        if let Some(new) = new {
            let inserted = sqlx::query::<DB>(
                "INSERT INTO accounts (id, name, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new.id.clone())
            .bind(new.name.clone())
            .bind(new.email.clone())
            .bind(new.password_hash.clone())
            .bind(new.created_at)
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(error) if is_unique_violation(&error) => return Err(StoreError::EmailTaken),
                other => other?,
            };
        }
        // Someone already a member keeps their role: a link never demotes (nor leaves an organisation
        // without its admin); an admin changes roles on the organisation's page.
        sqlx::query::<DB>(
            "INSERT INTO memberships (organisation_id, account_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (organisation_id, account_id) DO NOTHING",
        )
        .bind(organisation.clone())
        .bind(account.to_string())
        .bind(role(&accepted)?.as_str().to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(organisation))
    }

    pub async fn units(&self, organisation: &str) -> Result<Vec<Unit>, StoreError> {
        let rows = sqlx::query::<DB>("SELECT id, name FROM units WHERE organisation_id = $1 ORDER BY name, id")
            .bind(organisation.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| Ok(Unit { id: row.try_get("id")?, name: row.try_get("name")? })).collect()
    }

    pub async fn create_unit(&self, organisation: &str, unit: &Unit) -> Result<(), StoreError> {
        sqlx::query::<DB>("INSERT INTO units (id, organisation_id, name) VALUES ($1, $2, $3)")
            .bind(unit.id.clone())
            .bind(organisation.to_string())
            .bind(unit.name.clone())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_unit(&self, organisation: &str, unit: &str) -> Result<(), StoreError> {
        sqlx::query::<DB>("DELETE FROM units WHERE organisation_id = $1 AND id = $2")
            .bind(organisation.to_string())
            .bind(unit.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_web_session(
        &self,
        token_hash: &str,
        account: &str,
        csrf_token: &str,
        created_at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query::<DB>(
            "INSERT INTO web_sessions (token_hash, account_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash.to_string())
        .bind(account.to_string())
        .bind(csrf_token.to_string())
        .bind(created_at)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn web_session(&self, token_hash: &str, now: i64) -> Result<Option<WebSession>, StoreError> {
        let row = sqlx::query::<DB>(
            "SELECT a.id, a.name, a.email, a.password_hash, a.created_at, s.csrf_token, s.expires_at \
             FROM web_sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash.to_string())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(WebSession {
                account: account(&row, "")?,
                csrf_token: row.try_get("csrf_token")?,
                expires_at: row.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    pub async fn delete_web_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query::<DB>("DELETE FROM web_sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn owners(&self) -> Result<Owners, StoreError> {
        let rows = sqlx::query::<DB>(
            "SELECT id, name, email, password_hash, created_at FROM accounts ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let accounts = rows.iter().map(|row| account(row, "")).collect::<Result<_, _>>()?;
        let rows = sqlx::query::<DB>(
            "SELECT id, name, created_at, CAST(retention_days AS BIGINT) AS retention_days FROM organisations ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let organisations = rows
            .iter()
            .map(|row| {
                let days: Option<i64> = row.try_get("retention_days")?;
                let organisation = Organisation {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                };
                Ok((organisation, days.and_then(|d| u32::try_from(d).ok())))
            })
            .collect::<Result<_, StoreError>>()?;
        let rows = sqlx::query::<DB>("SELECT organisation_id, id, name FROM units ORDER BY organisation_id, id")
            .fetch_all(&self.pool)
            .await?;
        let units = rows
            .iter()
            .map(|row| {
                Ok((row.try_get("organisation_id")?, Unit { id: row.try_get("id")?, name: row.try_get("name")? }))
            })
            .collect::<Result<_, StoreError>>()?;
        let rows = sqlx::query::<DB>(
            "SELECT organisation_id, account_id, role FROM memberships ORDER BY organisation_id, account_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let memberships = rows
            .iter()
            .map(|row| Ok((row.try_get("organisation_id")?, row.try_get("account_id")?, role(row)?)))
            .collect::<Result<_, StoreError>>()?;
        let rows = sqlx::query::<DB>("SELECT organisation_id, action FROM plan_actions ORDER BY organisation_id, id")
            .fetch_all(&self.pool)
            .await?;
        let plan = rows
            .iter()
            .map(|row| {
                Ok((row.try_get("organisation_id")?, serde_json::from_str(&row.try_get::<String, _>("action")?)?))
            })
            .collect::<Result<_, StoreError>>()?;
        let rows = sqlx::query::<DB>(
            "SELECT id, oidc_issuer, oidc_subject FROM accounts WHERE oidc_issuer IS NOT NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let oidc = rows
            .iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("oidc_issuer")?, row.try_get("oidc_subject")?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(Owners { accounts, organisations, units, memberships, plan, oidc })
    }

    pub async fn add_owners(&self, owners: &Owners) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for account in &owners.accounts {
            sqlx::query::<DB>(
                "INSERT INTO accounts (id, name, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(account.id.clone())
            .bind(account.name.clone())
            .bind(account.email.clone())
            .bind(account.password_hash.clone())
            .bind(account.created_at)
            .execute(&mut *tx)
            .await?;
        }
        for (organisation, days) in &owners.organisations {
            sqlx::query::<DB>(
                "INSERT INTO organisations (id, name, created_at, retention_days) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(organisation.id.clone())
            .bind(organisation.name.clone())
            .bind(organisation.created_at)
            .bind(days.map(i64::from))
            .execute(&mut *tx)
            .await?;
        }
        for (organisation, unit) in &owners.units {
            sqlx::query::<DB>(
                "INSERT INTO units (id, organisation_id, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(unit.id.clone())
            .bind(organisation.clone())
            .bind(unit.name.clone())
            .execute(&mut *tx)
            .await?;
        }
        for (organisation, account, role) in &owners.memberships {
            sqlx::query::<DB>(
                "INSERT INTO memberships (organisation_id, account_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(organisation.clone())
            .bind(account.clone())
            .bind(role.as_str().to_string())
            .execute(&mut *tx)
            .await?;
        }
        for (account, issuer, subject) in &owners.oidc {
            sqlx::query::<DB>("UPDATE accounts SET oidc_issuer = $1, oidc_subject = $2 WHERE id = $3")
                .bind(issuer.clone())
                .bind(subject.clone())
                .bind(account.clone())
                .execute(&mut *tx)
                .await?;
        }
        for (organisation, action) in &owners.plan {
            sqlx::query::<DB>(
                "INSERT INTO plan_actions (id, organisation_id, action, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(action.id.clone())
            .bind(organisation.clone())
            .bind(serde_json::to_string(action)?)
            .bind(action.updated_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn plan(&self, organisation: &str) -> Result<Vec<PlanAction>, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar::<DB, String>(
            "SELECT action FROM plan_actions WHERE organisation_id = $1 ORDER BY updated_at, id",
        )
        .bind(organisation.to_string())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|json| serde_json::from_str(json)).collect::<Result<_, _>>()?)
    }

    pub async fn save_plan_action(&self, organisation: &str, action: &PlanAction) -> Result<(), StoreError> {
        // An id of another organisation's action is never overwritten.
        sqlx::query::<DB>(
            "INSERT INTO plan_actions (id, organisation_id, action, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET action = excluded.action, updated_at = excluded.updated_at \
             WHERE plan_actions.organisation_id = excluded.organisation_id",
        )
        .bind(action.id.clone())
        .bind(organisation.to_string())
        .bind(serde_json::to_string(action)?)
        .bind(action.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn add_plan_actions(&self, organisation: &str, actions: &[PlanAction]) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for action in actions {
            let inserted = sqlx::query_scalar::<DB, String>(
                "INSERT INTO plan_actions (id, organisation_id, action, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING RETURNING id",
            )
            .bind(action.id.clone())
            .bind(organisation.to_string())
            .bind(serde_json::to_string(action)?)
            .bind(action.updated_at)
            .fetch_optional(&mut *tx)
            .await?;
            added += usize::from(inserted.is_some());
        }
        tx.commit().await?;
        Ok(added)
    }

    pub async fn delete_plan_action(&self, organisation: &str, id: &str) -> Result<bool, StoreError> {
        let deleted = sqlx::query_scalar::<DB, String>(
            "DELETE FROM plan_actions WHERE organisation_id = $1 AND id = $2 RETURNING id",
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(deleted.is_some())
    }
}

/// An account read from a row with the `accounts` columns (their names after `prefix`).
fn account<R: Row>(row: &R, prefix: &str) -> Result<Account, StoreError>
where
    for<'q> String: Decode<'q, R::Database> + Type<R::Database>,
    for<'q> Option<String>: Decode<'q, R::Database>,
    for<'q> i64: Decode<'q, R::Database> + Type<R::Database>,
    for<'n> &'n str: ColumnIndex<R>,
{
    let column = |name: &str| format!("{prefix}{name}");
    Ok(Account {
        id: row.try_get(column("id").as_str())?,
        name: row.try_get(column("name").as_str())?,
        email: row.try_get(column("email").as_str())?,
        password_hash: row.try_get(column("password_hash").as_str())?,
        created_at: row.try_get(column("created_at").as_str())?,
    })
}

/// The `role` column of a row.
fn role<R: Row>(row: &R) -> Result<Role, StoreError>
where
    for<'q> String: Decode<'q, R::Database> + Type<R::Database>,
    for<'n> &'n str: ColumnIndex<R>,
{
    let name: String = row.try_get("role")?;
    Role::parse(&name).ok_or_else(|| StoreError::Write(format!("unknown role {name:?}")))
}
