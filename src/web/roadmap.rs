//! The living plan on the organisation's page: actions added and followed between occasions, taken over
//! from a workshop, exported for a spreadsheet and a calendar, put to a wide audience as a points
//! question, and shown beside their indicators when the next occasion reaches them.

use super::api::created_body;
use super::auth::{self, session_for, Need};
use super::export::{attachment, cell, english, Lang};
use super::reply::{no_store, ApiResult};
use super::reply::{read_json, ApiError};
use super::AppState;
use crate::domain::access::Action;
use crate::domain::item::{agenda_from_input, ItemInput};
use crate::domain::roadmap::{PlanAction, PlanChange, PlanStatus};
use crate::domain::summary::summarise;
use crate::domain::{Session, SessionSpec};
use crate::live::LiveError;
use crate::protocol::Code;
use crate::store::StoreError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/plan", get(list).post(add))
        .route("/organisations/{id}/plan/{action}", put(change).delete(remove))
        .route("/organisations/{id}/plan/from/{code}", post(take_over))
        .route("/organisations/{id}/plan.csv", get(plan_csv))
        .route("/organisations/{id}/plan.ics", get(plan_ics))
        .route("/organisations/{id}/plan/seminar", post(seminar))
        .route("/sessions/{code}/previous", get(previous))
}

fn store_error(error: StoreError) -> ApiError {
    LiveError::Store(error).into()
}

/// The plan in roadmap order: by quarter, then due date, then when it was added; open actions first
/// within a quarter.
async fn ordered_plan(app: &AppState, id: &str) -> ApiResult<Vec<PlanAction>> {
    let mut plan = app.registry.store().plan(id).await.map_err(store_error)?;
    plan.sort_by(|a, b| {
        let key = |p: &PlanAction| {
            (p.quarter.is_none(), p.quarter.clone(), !p.is_open(), p.due.is_none(), p.due.clone(), p.created_at)
        };
        key(a).cmp(&key(b)).then(a.id.cmp(&b.id))
    });
    Ok(plan)
}

async fn list(State(app): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::ReadResults, false).await?;
    Ok(no_store(Json(ordered_plan(&app, &id).await?).into_response()))
}

fn invalid(error: crate::domain::roadmap::PlanError) -> ApiError {
    ApiError::new(Code::InvalidField, error.to_string())
}

async fn add(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::KeepPlan, true).await?;
    let request: PlanChange = read_json(&body)?;
    let action =
        PlanAction::new(uuid::Uuid::new_v4().to_string(), request, &who.account.name, app.now()).map_err(invalid)?;
    app.registry.store().save_plan_action(&id, &action).await.map_err(store_error)?;
    Ok((StatusCode::CREATED, Json(action)).into_response())
}

async fn find(app: &AppState, id: &str, action: &str) -> ApiResult<PlanAction> {
    let plan = app.registry.store().plan(id).await.map_err(store_error)?;
    plan.into_iter()
        .find(|a| a.id == action)
        .ok_or_else(|| ApiError::new(Code::InvalidField, format!("action: the plan has no action {action:?}")))
}

async fn change(
    State(app): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::KeepPlan, true).await?;
    let request: PlanChange = read_json(&body)?;
    let mut found = find(&app, &id, &action).await?;
    found.apply(request, &who.account.name, app.now()).map_err(invalid)?;
    app.registry.store().save_plan_action(&id, &found).await.map_err(store_error)?;
    Ok(Json(found).into_response())
}

async fn remove(
    State(app): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::KeepPlan, true).await?;
    if !app.registry.store().delete_plan_action(&id, &action).await.map_err(store_error)? {
        return Err(ApiError::new(Code::InvalidField, format!("action: the plan has no action {action:?}")));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Takes a workshop's action plan over onto the organisation's plan; taking it again adds only what is new.
async fn take_over(
    State(app): State<AppState>,
    Path((id, code)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::KeepPlan, true).await?;
    let handle = app.registry.get(&code).await?;
    if handle.organisation() != Some(id.as_str()) {
        return Err(ApiError::new(Code::Forbidden, "the session is not the organisation's"));
    }
    let session = handle.snapshot().await?;
    let catalogue = session.spec.catalogue.as_ref().map(|c| c.id.as_str());
    let now = app.now();
    let actions: Vec<PlanAction> = session
        .actions
        .iter()
        .map(|a| PlanAction::from_workshop(a, handle.code(), catalogue, &who.account.name, now))
        .collect();
    let added = app.registry.store().add_plan_actions(&id, &actions).await.map_err(store_error)?;
    Ok(Json(json!({ "added": added, "actions": actions.len() })).into_response())
}

fn status_word(status: PlanStatus, en: bool) -> &'static str {
    match (status, en) {
        (PlanStatus::Planned, false) => "Planerad",
        (PlanStatus::Started, false) => "Påbörjad",
        (PlanStatus::Done, false) => "Klar",
        (PlanStatus::Dropped, false) => "Struken",
        (PlanStatus::Planned, true) => "Planned",
        (PlanStatus::Started, true) => "Started",
        (PlanStatus::Done, true) => "Done",
        (PlanStatus::Dropped, true) => "Dropped",
    }
}

/// The roadmap for a spreadsheet (Excel with Swedish settings: semicolons, UTF-8 with a byte-order mark).
async fn plan_csv(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::ReadResults, false).await?;
    let en = english(&lang);
    let t = |sv: &'static str, english: &'static str| if en { english } else { sv };
    let mut out = String::from("\u{FEFF}");
    let header = [
        t("Kvartal", "Quarter"),
        t("Åtgärd", "Action"),
        t("Indikator", "Indicator"),
        t("Ansvarig", "Owner"),
        t("Klart senast", "Due"),
        t("Status", "Status"),
        t("Senaste anteckning", "Latest note"),
        t("Från workshop", "From workshop"),
    ];
    let _ = writeln!(out, "{}\r", header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(";"));
    for action in ordered_plan(&app, &id).await? {
        let row = [
            action.quarter.clone().unwrap_or_default(),
            action.text.clone(),
            action.indicator.clone().unwrap_or_default(),
            action.owner.clone(),
            action.due.clone().unwrap_or_default(),
            status_word(action.status, en).to_string(),
            action.note.clone(),
            action.session.clone().unwrap_or_default(),
        ];
        let _ = writeln!(out, "{}\r", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(";"));
    }
    Ok(attachment("text/csv; charset=utf-8", "samsyn-plan.csv".into(), out))
}

/// Text for an iCalendar property: backslash, semicolon, comma and newlines escaped (RFC 5545, 3.3.11).
fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace('\n', "\\n")
}

/// A content line folded at 75 octets, never inside a character (RFC 5545, 3.1).
fn folded(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// `YYYYMMDDTHHMMSSZ` for milliseconds since the Unix epoch.
fn utc_stamp(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The open actions with a due date as all-day events on that date, for a calendar.
async fn plan_ics(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(lang): Query<Lang>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::ReadResults, false).await?;
    let en = english(&lang);
    let stamp = utc_stamp(app.now());
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Samsyn//Plan//SV", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    {
        out.push_str(&folded(line));
    }
    for action in ordered_plan(&app, &id).await?.iter().filter(|a| a.is_open()) {
        let Some(due) = &action.due else { continue };
        let owner = if action.owner.is_empty() { String::new() } else { format!(" ({})", action.owner) };
        let description = format!("Status: {}. {}", status_word(action.status, en), action.note);
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@samsyn", action.id),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", due.replace('-', "")),
            format!("SUMMARY:{}", ics_text(&format!("{}{owner}", action.text))),
            format!("DESCRIPTION:{}", ics_text(description.trim())),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&folded(&line));
        }
    }
    out.push_str(&folded("END:VCALENDAR"));
    Ok(attachment("text/calendar; charset=utf-8", "samsyn-plan.ics".into(), out))
}

/// Puts the roadmap to a wide audience: a seminar with one points question over the open actions
/// (the first twelve in roadmap order), so units and digital coaches weigh in on what comes first.
async fn seminar(State(app): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::RunSession, true).await?;
    let open: Vec<PlanAction> = ordered_plan(&app, &id).await?.into_iter().filter(PlanAction::is_open).collect();
    let most = *crate::domain::kinds::OPTIONS.end();
    if open.len() < *crate::domain::kinds::OPTIONS.start() {
        return Err(ApiError::new(Code::InvalidItems, "the plan needs at least two open actions to prioritise"));
    }
    let options: Vec<Value> = open.iter().take(most).map(|a| json!({ "sv": a.text, "en": a.text })).collect();
    let item: ItemInput = serde_json::from_value(json!({
        "id": "roadmap",
        "kind": "points",
        "title": { "sv": "Vad ska vi göra först?", "en": "What should we do first?" },
        "description": { "sv": "Fördela dina poäng på åtgärderna i färdplanen.", "en": "Spread your points over the roadmap's actions." },
        "options": options,
    }))
    .map_err(|e| ApiError::internal(e.to_string()))?;
    let agenda = agenda_from_input(vec![item], &BTreeMap::new())
        .map_err(|e| ApiError::new(Code::InvalidItems, e.to_string()))?;
    let spec = SessionSpec::from_agenda("Färdplanen: vad först?", agenda).map_err(LiveError::from)?;
    let created = app.registry.create(spec, Some(&id)).await?;
    let mut body = created_body(&created);
    body["actions"] = json!(open.len().min(most));
    body["left_out"] = json!(open.len().saturating_sub(most));
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// For the console when the next occasion reaches an indicator: the level and note the organisation
/// locked last time (its latest finished workshop on the same catalogue), and its plan's actions for it.
async fn previous(State(app): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let handle = session_for(&app, &code, &headers, Need::Read).await?;
    let Some(organisation) = handle.organisation().map(str::to_string) else {
        return Ok(no_store(Json(json!({ "occasion": null, "indicators": {} })).into_response()));
    };
    let now = handle.snapshot().await?;
    let store = app.registry.store();
    let catalogue = now.spec.catalogue.as_ref().map(|c| c.id.clone());
    // The latest finished occasion before this one, on the same catalogue.
    let mut last: Option<Session> = None;
    for listed in store.organisation_sessions(&organisation).await.map_err(store_error)? {
        let same_catalogue = listed.spec.catalogue.as_ref().map(|c| &c.id) == catalogue.as_ref();
        if listed.code == code || !same_catalogue || catalogue.is_none() {
            continue;
        }
        let Some(stored) = store.load_session(&listed.code).await.map_err(store_error)? else { continue };
        let session = Session::replay(stored.spec, &stored.events);
        let newer = match (&session.occasion, last.as_ref().and_then(|l| l.occasion.as_ref())) {
            (Some(candidate), Some(best)) => candidate.date > best.date,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if newer {
            last = Some(session);
        }
    }
    let plan = store.plan(&organisation).await.map_err(store_error)?;
    let summary = last.as_ref().map(summarise);
    let mut indicators = serde_json::Map::new();
    for item in &now.spec.items {
        // This indicator's id, and the ids it replaces in earlier catalogue versions.
        let known = |id: &str| id == item.id || item.replaces.iter().any(|r| r == id);
        let then = summary.as_ref().and_then(|s| s.indicators.iter().find(|i| known(&i.id)));
        // An action names an indicator of its catalogue; one of another catalogue is another indicator.
        let same_catalogue = |a: &PlanAction| a.catalogue.is_none() || a.catalogue == catalogue;
        let actions: Vec<&PlanAction> =
            plan.iter().filter(|a| same_catalogue(a) && a.indicator.as_deref().is_some_and(known)).collect();
        if then.is_none() && actions.is_empty() {
            continue;
        }
        let entry = json!({
            "level": then.and_then(|i| i.level),
            "note": then.and_then(|i| i.note.clone()),
            "dissent": then.and_then(|i| i.dissent.clone()),
            "actions": actions,
        });
        indicators.insert(item.id.clone(), entry);
    }
    let occasion = last
        .as_ref()
        .and_then(|l| l.occasion.as_ref().map(|o| json!({ "title": l.spec.title, "date": o.date, "field": o.field })));
    Ok(no_store(Json(json!({ "occasion": occasion, "indicators": indicators })).into_response()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_lines_are_escaped_and_folded_at_75_octets() {
        assert_eq!(ics_text("Plan; steg 1, steg 2\\3\nny rad"), "Plan\\; steg 1\\, steg 2\\\\3\\nny rad");
        let long = format!("SUMMARY:{}", "å".repeat(60));
        let folded = folded(&long);
        assert!(folded.split("\r\n").all(|line| line.len() <= 75), "{folded:?}");
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"), "unfolding gives the line back");
    }

    #[test]
    fn stamps_are_utc_calendar_times() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(1_798_761_600_000), "20270101T000000Z");
        assert_eq!(utc_stamp(1_709_210_096_000), "20240229T123456Z", "a leap day");
    }
}
