//! Staff accounts: what a name, an email and a password must look like, Argon2id hashing, and the first
//! administrator with their organisation. Shared by the web's sign-in and by `samsyn admin`; participants
//! never have an account (docs/decisions/0005).

use crate::store::{Account, Organisation, Store, StoreError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

/// At least 8 characters (NIST SP 800-63B); long passphrases are welcome, up to a size that keeps
/// hashing cheap for the server.
pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_BYTES: usize = 1024;
const MAX_NAME_CHARS: usize = 200;
const MAX_EMAIL_BYTES: usize = 254;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A field that breaks its rule; `field` is its name in the request.
    #[error("{field}: {message}")]
    Field { field: &'static str, message: String },
    #[error("an account with this email exists already")]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn field(field: &'static str, message: impl Into<String>) -> AccountError {
    AccountError::Field { field, message: message.into() }
}

/// A person's or an organisation's name, trimmed; not empty, at most 200 characters.
pub fn checked_name(name: &str, which: &'static str) -> Result<String, AccountError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(field(which, "must not be empty"));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(field(which, format!("at most {MAX_NAME_CHARS} characters, on one line")));
    }
    Ok(name.to_string())
}

/// An email address in lower case. Only its shape is checked (`someone@somewhere`): Samsyn sends no mail.
pub fn checked_email(email: &str) -> Result<String, AccountError> {
    let email = email.trim().to_lowercase();
    let shaped = match email.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    };
    if !shaped || email.len() > MAX_EMAIL_BYTES || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(field("email", "must be an email address such as anna@kommun.se"));
    }
    Ok(email)
}

pub fn check_password(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(field("password", format!("must have at least {MIN_PASSWORD_CHARS} characters")));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(field("password", format!("must have at most {MAX_PASSWORD_BYTES} bytes")));
    }
    Ok(())
}

/// Argon2id with the crate's recommended parameters (19 MiB, 2 passes), in PHC form. On a blocking
/// thread: one hash takes tens of milliseconds of CPU.
pub async fn hash_password(password: String) -> String {
    let hashed = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string())
    })
    .await;
    match hashed {
        Ok(Ok(hash)) => hash,
        // Only a broken random source or a panic gets here; no password is ever stored in clear.
        other => panic!("could not hash a password: {other:?}"),
    }
}

/// Whether `password` matches `hash`. With no hash (an unknown email, or an account without a local
/// password) a fixed hash is checked all the same, so the answer takes as long and tells nothing.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| stand_in_hash().to_string());
    let verified = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await;
    known && verified.unwrap_or(false)
}

/// A hash of a password nobody has, made once, to spend the same time on an unknown email.
fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let secret = crate::accounts::random_token();
        Argon2::default().hash_password(secret.as_bytes(), &salt).map(|hash| hash.to_string()).unwrap_or_default()
    })
}

/// 32 random bytes in hex: cookie tokens, CSRF tokens, ids.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A password for `samsyn admin` to hand out: 20 characters a person can type, about 119 bits.
pub fn generated_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// What the first administrator (or any new member) gives.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub name: String,
    pub email: String,
    pub password: String,
}

impl NewAccount {
    /// The account to store: fields checked, the email in lower case, the password hashed.
    pub async fn into_account(self, now: i64) -> Result<Account, AccountError> {
        let name = checked_name(&self.name, "name")?;
        let email = checked_email(&self.email)?;
        check_password(&self.password)?;
        Ok(Account {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            email: Some(email),
            password_hash: Some(hash_password(self.password).await),
            created_at: now,
        })
    }
}

/// Stores `account` as the administrator of a new organisation named `organisation`.
pub async fn create_with_organisation(
    store: &dyn Store,
    account: &Account,
    organisation: &str,
    now: i64,
) -> Result<Organisation, AccountError> {
    let name = checked_name(organisation, "organisation")?;
    match store.create_account(account).await {
        Err(StoreError::EmailTaken) => return Err(AccountError::EmailTaken),
        other => other?,
    }
    let organisation = Organisation { id: uuid::Uuid::new_v4().to_string(), name, created_at: now };
    store.create_organisation(&organisation, &account.id).await?;
    Ok(organisation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_kept_in_lower_case_and_must_look_like_one() {
        assert_eq!(checked_email("  Anna.Berg@Exempelby.SE ").unwrap(), "anna.berg@exempelby.se");
        for bad in ["", "anna", "@kommun.se", "anna@", "anna@@kommun.se", "an na@kommun.se", "a@b@c"] {
            assert!(checked_email(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_password_has_at_least_eight_characters_counted_as_a_person_would() {
        assert!(check_password("kort").is_err());
        assert!(check_password("åäöåäöå").is_err(), "seven characters, though fourteen bytes");
        assert!(check_password("åäöåäöåä").is_ok());
        assert!(check_password(&"x".repeat(MAX_PASSWORD_BYTES + 1)).is_err());
    }

    #[test]
    fn names_are_trimmed_and_never_empty() {
        assert_eq!(checked_name("  Exempelby kommun ", "organisation").unwrap(), "Exempelby kommun");
        assert!(checked_name("   ", "name").is_err());
        assert!(checked_name("två\nrader", "name").is_err());
    }

    #[tokio::test]
    async fn the_right_password_matches_its_hash_and_no_other_does() {
        let hash = hash_password("rätt lösenord".into()).await;
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("rätt lösenord".into(), Some(hash.clone())).await);
        assert!(!verify_password("fel lösenord".into(), Some(hash)).await);
        assert!(!verify_password("rätt lösenord".into(), None).await, "no account, no match");
    }
}
