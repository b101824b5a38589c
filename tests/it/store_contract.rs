//! The store contract: what the live layer relies on, checked the same way against the SQLite file and a real
//! PostgreSQL (started by the test, skipped with a message where PostgreSQL is missing). Also the copy of a
//! SQLite installation into PostgreSQL with `samsyn copy-to-postgres`.

use crate::accounts::{admin, printed_password, sign_in};
use crate::common::services::*;
use crate::common::*;
use samsyn::domain::access::Role;
use samsyn::domain::catalogue::{Catalogue, BUILT_IN};
use samsyn::domain::kinds::scale::ScaleAnswer;
use samsyn::domain::roadmap::PlanAction;
use samsyn::domain::{Answer, Event, SessionSpec};
use samsyn::store::{
    Account, Invitation, Membership, OidcLogin, Organisation, PostgresStore, SqliteStore, Store, StoreError,
    StoredSession, Unit,
};
use serde_json::{json, Value};
use std::sync::Arc;

fn stored(code: &str, created_at: i64) -> StoredSession {
    let catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
    StoredSession {
        id: format!("id-{code}"),
        code: code.into(),
        facilitator_key: "k".into(),
        spec: SessionSpec::workshop(&catalogue, "Kontraktskommun").unwrap(),
        created_at,
        events: vec![],
        cursor: None,
        organisation: None,
    }
}

fn ballot(participant: u32, level: u8) -> Event {
    Event::BallotCast { item: "L1".into(), round: 1, participant, answer: Answer::Scale(ScaleAnswer::Level(level)) }
}

/// Anna's account as stored now.
async fn anna_now(store: &dyn Store) -> Account {
    store.account_by_email("anna@exempelby.se").await.unwrap().unwrap()
}

/// Every promise of the `Store` trait, on a fresh store.
async fn contract(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    store.create_session(&stored("111111", 10)).await.unwrap();
    store.create_session(&stored("222222", 20)).await.unwrap();
    assert!(matches!(store.create_session(&stored("111111", 30)).await, Err(StoreError::CodeTaken)));
    assert!(store.load_session("999999").await.unwrap().is_none());

    // Appends are numbered; a gap or a repeat is refused and changes nothing.
    let first = vec![Event::RoundOpened { item: "L1".into(), round: 1 }, ballot(1, 3)];
    store.append("id-111111", 1, &first, None).await.unwrap();
    assert!(matches!(store.append("id-111111", 1, &[ballot(2, 4)], None).await, Err(StoreError::OutOfOrder { .. })));
    assert!(matches!(store.append("id-111111", 5, &[ballot(2, 4)], None).await, Err(StoreError::OutOfOrder { .. })));
    store.append("id-111111", 3, &[ballot(2, 4)], Some("1700000000000-3")).await.unwrap();
    store.append("id-111111", 4, &[], Some("ignored")).await.unwrap();
    let loaded = store.load_session("111111").await.unwrap().unwrap();
    assert_eq!(loaded.events, vec![first[0].clone(), first[1].clone(), ballot(2, 4)]);
    assert_eq!(loaded.cursor.as_deref(), Some("1700000000000-3"), "the stream cursor is stored with its events");
    assert_eq!(loaded.spec.items.len(), 32);
    assert_eq!((loaded.id.as_str(), loaded.facilitator_key.as_str(), loaded.created_at), ("id-111111", "k", 10));

    // Two writers racing for the same event number: exactly one wins (the fence between two owners).
    let (one, other) = ([ballot(1, 1)], [ballot(2, 2)]);
    let (a, b) = tokio::join!(store.append("id-222222", 1, &one, None), store.append("id-222222", 1, &other, None));
    assert!(a.is_ok() != b.is_ok(), "one of two racing appends is refused: {a:?} {b:?}");
    assert_eq!(store.load_session("222222").await.unwrap().unwrap().events.len(), 1);

    // Catalogues: stored once per id and version, listed in import order.
    let mut catalogue: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
    catalogue.id = "egen".into();
    store.save_catalogue(&catalogue, 5, None).await.unwrap();
    assert!(matches!(store.save_catalogue(&catalogue, 6, None).await, Err(StoreError::CatalogueExists)));
    let listed = store.catalogues().await.unwrap();
    assert_eq!(
        listed.iter().map(|c| (c.catalogue.id.as_str(), c.organisation.as_deref())).collect::<Vec<_>>(),
        [("egen", None)]
    );

    // Compaction replaces the log and marks the session; deletion removes it with its events.
    assert_eq!(store.sessions_to_compact(15, Some(0)).await.unwrap(), ["111111"]);
    assert!(store.sessions_to_compact(15, None).await.unwrap().is_empty(), "no retention, no compaction");
    store.replace_events("id-111111", &[Event::RoundOpened { item: "L1".into(), round: 1 }], 40).await.unwrap();
    assert_eq!(store.load_session("111111").await.unwrap().unwrap().events.len(), 1);
    assert!(store.sessions_to_compact(100, Some(0)).await.unwrap() == ["222222"]);
    assert_eq!(store.session_codes().await.unwrap(), ["111111", "222222"]);
    store.delete_session("111111").await.unwrap();
    assert!(store.load_session("111111").await.unwrap().is_none());
    assert_eq!(store.session_codes().await.unwrap(), ["222222"]);

    owners(store.as_ref()).await;
    store.close().await;
}

/// The owner model's tables (docs/decisions/0005): accounts, organisations and their members, and the
/// sessions of signed-in browsers.
async fn owners(store: &dyn Store) {
    assert_eq!(store.account_count().await.unwrap(), 0, "a new server waits for its first administrator");
    let anna = Account {
        id: "a1".into(),
        name: "Anna Andersson".into(),
        email: Some("anna@exempelby.se".into()),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        created_at: 1,
    };
    store.create_account(&anna).await.unwrap();
    let twin = Account { id: "a2".into(), ..anna.clone() };
    assert!(matches!(store.create_account(&twin).await, Err(StoreError::EmailTaken)), "one account per email");
    // Accounts that sign in with OpenID only have no email, and any number of them may exist.
    for (id, name) in [("b1", "Bo Berg"), ("c1", "Cecilia Ek")] {
        let account = Account { id: id.into(), name: name.into(), email: None, password_hash: None, created_at: 2 };
        store.create_account(&account).await.unwrap();
    }
    assert_eq!(store.account_count().await.unwrap(), 3);
    assert_eq!(store.account_by_email("anna@exempelby.se").await.unwrap(), Some(anna.clone()));
    assert_eq!(store.account_by_email("nobody@exempelby.se").await.unwrap(), None);

    let social = Organisation { id: "o1".into(), name: "Exempelby kommun, socialförvaltningen".into(), created_at: 3 };
    let other = Organisation { id: "o2".into(), name: "Annanstad kommun".into(), created_at: 4 };
    store.create_organisation(&social, "a1").await.unwrap();
    store.create_organisation(&other, "b1").await.unwrap();
    store.set_membership("o1", "b1", Role::Facilitator).await.unwrap();
    store.set_membership("o1", "b1", Role::Viewer).await.unwrap();
    let bo = store.memberships("b1").await.unwrap();
    assert_eq!(
        bo.iter().map(|m| (m.organisation.name.as_str(), m.role)).collect::<Vec<_>>(),
        [("Annanstad kommun", Role::Admin), ("Exempelby kommun, socialförvaltningen", Role::Viewer)],
        "a person may belong to several organisations, with one role in each (the latest set)"
    );
    assert_eq!(store.memberships("a1").await.unwrap(), [Membership { organisation: social, role: Role::Admin }]);
    assert!(store.memberships("c1").await.unwrap().is_empty());

    // A signed-in browser is found by its token's hash until it expires or signs out.
    store.create_web_session("hash-1", "a1", "csrf-1", 10, 100).await.unwrap();
    let signed_in = store.web_session("hash-1", 50).await.unwrap().expect("signed in");
    assert_eq!((signed_in.account, signed_in.csrf_token.as_str(), signed_in.expires_at), (anna, "csrf-1", 100));
    assert!(store.web_session("hash-1", 100).await.unwrap().is_none(), "expired");
    assert!(store.web_session("hash-2", 50).await.unwrap().is_none());
    store.delete_web_session("hash-1").await.unwrap();
    assert!(store.web_session("hash-1", 50).await.unwrap().is_none(), "signed out");

    // A new password; signing out everywhere.
    assert!(store.set_password("a1", "$argon2id$new").await.unwrap());
    assert!(!store.set_password("nobody", "$argon2id$new").await.unwrap(), "no such account");
    assert_eq!(
        store.account_by_email("anna@exempelby.se").await.unwrap().unwrap().password_hash.as_deref(),
        Some("$argon2id$new")
    );
    store.create_web_session("hash-3", "a1", "csrf-3", 10, 100).await.unwrap();
    store.create_web_session("hash-4", "a1", "csrf-4", 10, 100).await.unwrap();
    store.delete_web_sessions_of("a1").await.unwrap();
    assert!(
        store.web_session("hash-3", 50).await.unwrap().is_none()
            && store.web_session("hash-4", 50).await.unwrap().is_none()
    );
    // Invitations: used once, never after they expire; the account is made in the same step.
    let exempelby = store.organisations().await.unwrap().into_iter().find(|o| o.id == "o1").unwrap();
    let invitation =
        Invitation { organisation: exempelby, role: Role::Facilitator, created_at: 10, expires_at: 100, used_at: None };
    store.create_invitation("inv-1", &invitation).await.unwrap();
    store.create_invitation("inv-2", &invitation).await.unwrap();
    assert_eq!(store.invitation("inv-1").await.unwrap(), Some(invitation.clone()));
    let dan = Account {
        id: "d1".into(),
        name: "Dan Dahl".into(),
        email: Some("dan@exempelby.se".into()),
        password_hash: None,
        created_at: 20,
    };
    assert!(matches!(
        store.accept_invitation("inv-1", "a1", Some(&Account { id: "x".into(), ..anna_now(store).await }), 20).await,
        Err(StoreError::EmailTaken)
    ));
    assert_eq!(store.invitation("inv-1").await.unwrap().unwrap().used_at, None, "a refused acceptance spends nothing");
    assert_eq!(store.accept_invitation("inv-1", "d1", Some(&dan), 20).await.unwrap().as_deref(), Some("o1"));
    assert_eq!(store.accept_invitation("inv-1", "c1", None, 21).await.unwrap(), None, "used once");
    let for_anna = Invitation { role: Role::Viewer, ..invitation.clone() };
    store.create_invitation("inv-3", &for_anna).await.unwrap();
    assert_eq!(store.accept_invitation("inv-3", "a1", None, 22).await.unwrap().as_deref(), Some("o1"));
    assert_eq!(store.memberships("a1").await.unwrap()[0].role, Role::Admin, "a link never demotes a member");
    assert_eq!(store.accept_invitation("inv-2", "c1", None, 100).await.unwrap(), None, "expired");
    let members: Vec<_> = store.members("o1").await.unwrap().into_iter().map(|m| (m.account.name, m.role)).collect();
    assert_eq!(
        members,
        [
            ("Anna Andersson".to_string(), Role::Admin),
            ("Bo Berg".into(), Role::Viewer),
            ("Dan Dahl".into(), Role::Facilitator)
        ]
    );
    // Removing a member: an account left in no organisation is deleted.
    assert!(store.remove_member("o1", "d1").await.unwrap());
    assert!(!store.remove_member("o1", "d1").await.unwrap());
    assert_eq!(store.account_by_email("dan@exempelby.se").await.unwrap(), None);
    assert!(store.remove_member("o1", "b1").await.unwrap());
    assert_eq!(store.memberships("b1").await.unwrap().len(), 1, "Bo is still in his other organisation");
    // Units, and a new name.
    for (id, name) in [("u1", "Äldreomsorg"), ("u2", "IFO")] {
        store.create_unit("o1", &Unit { id: id.into(), name: name.into() }).await.unwrap();
    }
    store.delete_unit("o1", "u1").await.unwrap();
    assert_eq!(store.units("o1").await.unwrap(), [Unit { id: "u2".into(), name: "IFO".into() }]);
    store.rename_organisation("o1", "Exempelby kommun, socialförvaltningen").await.unwrap();

    // The living plan: saved whole with its history; taken over once; never across organisations.
    let change = serde_json::from_value(json!({"text": "Ta fram en strategi", "indicator": "L1"})).unwrap();
    let mut strategy = PlanAction::new("p1".into(), change, "Anna", 10).unwrap();
    store.save_plan_action("o1", &strategy).await.unwrap();
    strategy.apply(serde_json::from_value(json!({"status": "started"})).unwrap(), "Anna", 20).unwrap();
    store.save_plan_action("o1", &strategy).await.unwrap();
    assert_eq!(store.plan("o1").await.unwrap(), [strategy.clone()]);
    let foreign = PlanAction { text: "Kapad".into(), ..strategy.clone() };
    store.save_plan_action("o2", &foreign).await.unwrap();
    assert_eq!(store.plan("o1").await.unwrap(), [strategy.clone()], "another organisation cannot overwrite it");
    assert!(store.plan("o2").await.unwrap().is_empty());
    let taken = PlanAction { id: "123456-a1".into(), ..strategy.clone() };
    assert_eq!(store.add_plan_actions("o1", &[taken.clone(), strategy.clone()]).await.unwrap(), 1, "only what is new");
    assert_eq!(store.add_plan_actions("o1", &[taken]).await.unwrap(), 0);
    assert!(!store.delete_plan_action("o2", "p1").await.unwrap());
    assert!(store.delete_plan_action("o1", "123456-a1").await.unwrap());
    assert_eq!(store.plan("o1").await.unwrap().len(), 1);

    // A whole installation's staff reads out and adds again without change (what a copy does twice).
    let all = store.owners().await.unwrap();
    assert!(
        all.accounts.len() >= 3 && all.organisations.len() == 2 && all.units.len() == 1 && all.plan.len() == 1,
        "{all:?}"
    );
    store.add_owners(&all).await.unwrap();
    assert_eq!(store.owners().await.unwrap(), all);

    let names: Vec<_> = store.organisations().await.unwrap().into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["Annanstad kommun", "Exempelby kommun, socialförvaltningen"]);

    // What an organisation owns: its sessions (newest first, nobody else's) and its imported catalogues.
    for (code, created_at, organisation) in
        [("333333", 30, Some("o1")), ("444444", 40, Some("o2")), ("555555", 50, Some("o1")), ("666666", 60, None)]
    {
        let session = StoredSession { organisation: organisation.map(str::to_string), ..stored(code, created_at) };
        store.create_session(&session).await.unwrap();
    }
    let of_o1: Vec<_> =
        store.organisation_sessions("o1").await.unwrap().into_iter().map(|s| (s.code, s.created_at)).collect();
    assert_eq!(of_o1, [("555555".to_string(), 50), ("333333".to_string(), 30)]);
    assert_eq!(store.load_session("444444").await.unwrap().unwrap().organisation.as_deref(), Some("o2"));
    assert_eq!(store.load_session("666666").await.unwrap().unwrap().organisation, None);
    // An organisation's retention wins over the server's; without either, ballots stay.
    store.set_retention("o1", Some(1)).await.unwrap();
    assert_eq!(store.retention("o1").await.unwrap(), Some(1));
    let day = 86_400_000;
    assert_eq!(store.sessions_to_compact(31 + day, None).await.unwrap(), ["333333"], "o1's session after a day");
    let due = store.sessions_to_compact(51 + day, Some(1000)).await.unwrap();
    assert_eq!(due, ["333333", "555555"], "o1's, not o2's nor the unowned under the server's 1000 days");
    store.set_retention("o1", None).await.unwrap();
    assert_eq!(store.retention("o1").await.unwrap(), None);
    let mut owned: Catalogue = serde_json::from_str(BUILT_IN[0].1).unwrap();
    owned.id = "exempelby-egen".into();
    store.save_catalogue(&owned, 70, Some("o1")).await.unwrap();
    let imported = store.catalogues().await.unwrap();
    let last = imported.last().unwrap();
    assert_eq!((last.catalogue.id.as_str(), last.organisation.as_deref()), ("exempelby-egen", Some("o1")));
    // The library: a version retired and back; deleted only while no session names it.
    let version = owned.version.clone();
    assert!(store.retire_catalogue("exempelby-egen", &version, Some(80)).await.unwrap());
    assert_eq!(store.catalogues().await.unwrap().last().unwrap().retired_at, Some(80));
    assert!(store.retire_catalogue("exempelby-egen", &version, None).await.unwrap());
    assert!(!store.retire_catalogue("nothing", &version, None).await.unwrap());
    let lika = stored("777777", 90).spec.catalogue.unwrap();
    assert_eq!(
        store.catalogue_sessions(&lika.id, &lika.version).await.unwrap().first().map(String::as_str),
        Some("222222")
    );
    let mut on_owned = stored("777777", 90);
    on_owned.spec.catalogue =
        Some(samsyn::domain::session::CatalogueRef { id: "exempelby-egen".into(), version: version.clone() });
    store.create_session(&on_owned).await.unwrap();
    assert_eq!(store.catalogue_sessions("exempelby-egen", &version).await.unwrap(), ["777777"]);
    assert!(!store.delete_catalogue("exempelby-egen", &version).await.unwrap(), "a session used it");
    store.delete_session("777777").await.unwrap();
    assert!(store.delete_catalogue("exempelby-egen", &version).await.unwrap());
    assert!(store.catalogues().await.unwrap().iter().all(|c| c.catalogue.id != "exempelby-egen"));

    oidc(store).await;
}

/// OpenID Connect: accounts found by their provider's issuer and subject, and sign-ins under way, each
/// taken once and never after it expires.
async fn oidc(store: &dyn Store) {
    let issuer = "https://login.exempelby.se/realms/staff";
    let eva = Account { id: "e1".into(), name: "Eva Ek".into(), email: None, password_hash: None, created_at: 80 };
    store.create_oidc_account(&eva, issuer, "subject-eva").await.unwrap();
    assert_eq!(store.account_by_oidc(issuer, "subject-eva").await.unwrap(), Some(eva.clone()));
    let copied = store.owners().await.unwrap().oidc;
    assert!(
        copied.contains(&(eva.id.clone(), issuer.to_string(), "subject-eva".to_string())),
        "a copy keeps it: {copied:?}"
    );
    assert_eq!(store.account_by_oidc("https://other.example", "subject-eva").await.unwrap(), None, "per issuer");
    assert_eq!(store.account_by_oidc(issuer, "subject-other").await.unwrap(), None);
    let twin = Account { id: "e2".into(), ..eva.clone() };
    assert!(
        matches!(store.create_oidc_account(&twin, issuer, "subject-eva").await, Err(StoreError::EmailTaken)),
        "one account per issuer and subject"
    );
    // The same subject at another provider is another person; a verified email is kept, and unique.
    let fia = Account { id: "f1".into(), name: "Fia".into(), email: Some("fia@exempelby.se".into()), ..eva.clone() };
    store.create_oidc_account(&fia, "https://other.example", "subject-eva").await.unwrap();
    assert_eq!(store.account_by_email("fia@exempelby.se").await.unwrap(), Some(fia.clone()));
    let same_email = Account { id: "f2".into(), ..fia.clone() };
    assert!(matches!(store.create_oidc_account(&same_email, issuer, "subject-fia").await, Err(StoreError::EmailTaken)));
    // A password account is not found by OpenID.
    assert_eq!(store.account_by_oidc("", "").await.unwrap(), None);

    let login = |next: &str, expires_at| OidcLogin {
        nonce: "nonce".into(),
        pkce_verifier: "verifier".into(),
        next: next.into(),
        created_at: 100,
        expires_at,
    };
    store.create_oidc_login("state-1", &login("/organisation", 200)).await.unwrap();
    store.create_oidc_login("state-2", &login("/", 150)).await.unwrap();
    store.create_oidc_login("state-3", &login("/", 150)).await.unwrap();
    assert_eq!(store.take_oidc_login("state-1", 120).await.unwrap(), Some(login("/organisation", 200)));
    assert_eq!(store.take_oidc_login("state-1", 120).await.unwrap(), None, "used once");
    assert_eq!(store.take_oidc_login("state-2", 150).await.unwrap(), None, "expired");
    assert_eq!(store.take_oidc_login("state-3", 120).await.unwrap(), None, "forgotten once expired by an earlier take");
    assert_eq!(store.take_oidc_login("nothing", 120).await.unwrap(), None);
}

#[tokio::test]
async fn the_sqlite_store_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    contract(Arc::new(SqliteStore::open(dir.path()).await.unwrap())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_postgres_store_keeps_the_contract() {
    if !services_available() {
        return;
    }
    let postgres = Postgres::start().await;
    contract(Arc::new(PostgresStore::connect(&postgres.url()).await.unwrap())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_installation_is_copied_to_postgres_and_served_from_there() {
    if !services_available() {
        return;
    }
    let (dir, postgres) = (tempfile::tempdir().unwrap(), Postgres::start().await);
    let data = dir.path().to_str().unwrap();
    let printed = admin(
        dir.path(),
        &["create-user", "--email", "anna@exempelby.se", "--name", "Anna", "--organisation", "Exempelby"],
    )
    .await;
    let password = printed_password(&printed);
    let server = ServerProcess::start_with(&["--data", data]).await;
    let session = create_workshop(&server.url("")).await;
    // An organisation's session too: it refers to the organisation, which must be copied first.
    let anna = sign_in(&server.url(""), "anna@exempelby.se", &password).await;
    let owned =
        anna.post(&server.url(""), "/api/sessions", json!({"catalogue": "lika", "title": "Exempelby 2026"})).await;
    let mut facilitator = Client::facilitator(&server.addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;
    for level in [2, 3, 3] {
        let mut phone = Client::participant(&server.addr, &session.code, None).await;
        phone.ok(vote("L1", 1, json!(level))).await;
    }
    facilitator.ok(act("reveal", "L1")).await;
    // Revealed, not only counted: the facilitator sees the tally before the reveal too, and a state can
    // arrive before the ack of the command it shows.
    let revealed = |s: &Value| last_round(s, "L1")["revealed"] == true;
    let before = facilitator
        .wait_state(|s| revealed(s) && last_round(s, "L1")["tally"]["counts"] == json!([0, 1, 2, 0, 0]))
        .await;
    server.kill_9().await;

    let copy = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_samsyn")).args(args).env("RUST_LOG", "warn").output().unwrap()
    };
    let output = copy(&["copy-to-postgres", "--data", data, "--postgres-url", &postgres.url()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("copied 2 sessions"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let again = copy(&["copy-to-postgres", "--data", data, "--postgres-url", &postgres.url()]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("copied 0 sessions to PostgreSQL; 2 were there already"));

    let node = ServerProcess::start_with(&["--postgres-url", &postgres.url()]).await;
    let mut facilitator = Client::facilitator(&node.addr, &session.code, &session.key).await;
    let after = facilitator.wait_state(|s| last_round(s, "L1")["tally"]["counts"] == json!([0, 1, 2, 0, 0])).await;
    assert_eq!(after["items"], before["items"], "the copied session is the same session");
    // Staff sign in with the same password, and find their organisation's session.
    let anna = sign_in(&node.url(""), "anna@exempelby.se", &password).await;
    let organisation =
        anna.get(&node.url(""), "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();
    let listed = anna.get(&node.url(""), &format!("/api/organisations/{organisation}/sessions")).await;
    assert_eq!(listed.body[0]["code"], owned.body["code"], "{}", listed.body);
}

/// Sessions are independent: their actors commit at the same moments, and none may be refused for it.
async fn concurrent_sessions_all_commit(store: Arc<dyn Store>) {
    let codes: Vec<String> = (0..8).map(|i| format!("30000{i}")).collect();
    for code in &codes {
        store.create_session(&stored(code, 1)).await.unwrap();
    }
    let mut writers = Vec::new();
    for code in codes.clone() {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            for seq in 1..=40u64 {
                let event = [ballot(seq as u32, 1 + (seq % 5) as u8)];
                store.append(&format!("id-{code}"), seq, &event, None).await.unwrap();
            }
        }));
    }
    for writer in writers {
        writer.await.expect("every commit of every session succeeds");
    }
    for code in &codes {
        assert_eq!(store.load_session(code).await.unwrap().unwrap().events.len(), 40);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_commits_of_different_sessions_at_the_same_time_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_sessions_all_commit(Arc::new(SqliteStore::open(dir.path()).await.unwrap())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_commits_of_different_sessions_at_the_same_time_all_succeed() {
    if !services_available() {
        return;
    }
    let postgres = Postgres::start().await;
    concurrent_sessions_all_commit(Arc::new(PostgresStore::connect(&postgres.url()).await.unwrap())).await;
}
