//! `samsyn admin …`: staff accounts from the server's own shell, on the same data as the server.

use crate::accounts::{self, NewAccount};
use crate::clock::now_ms;
use crate::config::{Admin, Config};
use crate::domain::access::Role;
use crate::store::{PostgresStore, SqliteStore, Store};
use anyhow::{bail, Context};
use std::io::BufRead;

/// Runs one admin task and says what it did on standard output.
pub async fn run(config: &Config, task: &Admin) -> anyhow::Result<()> {
    let store: Box<dyn Store> = match &config.postgres_url {
        Some(url) => Box::new(PostgresStore::connect(url).await?),
        None => Box::new(SqliteStore::open(&config.data).await?),
    };
    let outcome = match task {
        Admin::CreateUser { email, name, organisation, role, password_stdin } => {
            create_user(store.as_ref(), email, name, organisation, role, *password_stdin).await
        }
        Admin::ResetPassword { email, password_stdin } => reset_password(store.as_ref(), email, *password_stdin).await,
    };
    store.close().await;
    outcome
}

/// The password from standard input's first line, or a new one to print.
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((accounts::generated_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    Ok((line.trim_end_matches(['\r', '\n']).to_string(), false))
}

async fn create_user(
    store: &dyn Store,
    email: &str,
    name: &str,
    organisation: &str,
    role: &str,
    password_stdin: bool,
) -> anyhow::Result<()> {
    let role = Role::parse(role).context("the role is admin, facilitator or viewer")?;
    let (password, generated) = password(password_stdin)?;
    let now = now_ms();
    let account =
        NewAccount { name: name.into(), email: email.into(), password: password.clone() }.into_account(now).await?;
    let wanted = accounts::checked_name(organisation, "organisation")?;
    let existing = store.organisations().await?.into_iter().find(|o| o.name.to_lowercase() == wanted.to_lowercase());
    let joined = match existing {
        Some(organisation) => {
            match store.create_account(&account).await {
                Err(crate::store::StoreError::EmailTaken) => {
                    bail!("an account with the email {email:?} exists already")
                }
                other => other?,
            }
            store.set_membership(&organisation.id, &account.id, role).await?;
            format!("{} of {}", role.as_str(), organisation.name)
        }
        None => {
            let made = accounts::create_with_organisation(store, &account, &wanted, now).await?;
            format!("admin of the new organisation {}", made.name)
        }
    };
    println!("created {} <{}>, {joined}", account.name, account.email.as_deref().unwrap_or_default());
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

async fn reset_password(store: &dyn Store, email: &str, password_stdin: bool) -> anyhow::Result<()> {
    let email = accounts::checked_email(email)?;
    let Some(account) = store.account_by_email(&email).await? else { bail!("no account has the email {email:?}") };
    let (password, generated) = password(password_stdin)?;
    accounts::check_password(&password)?;
    store.set_password(&account.id, &accounts::hash_password(password.clone()).await).await?;
    store.delete_web_sessions_of(&account.id).await?;
    println!("new password set for {} <{email}>; signed out everywhere", account.name);
    if generated {
        println!("password: {password}");
    }
    Ok(())
}
