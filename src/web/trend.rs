//! An organisation's history: every finished occasion, and the trend over all of them (JSON, and CSV for
//! a spreadsheet). Read from the store, so no session is started to be read.

use super::auth;
use super::export::{attachment, cell, english, Lang};
use super::reply::{no_store, ApiResult};
use super::AppState;
use crate::domain::access::Action;
use crate::domain::summary::summarise;
use crate::domain::trend::{trend, Trend, TrendOccasion};
use crate::domain::Session;
use crate::live::LiveError;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::fmt::Write;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/trend", get(trend_json))
        .route("/organisations/{id}/trend.csv", get(trend_csv))
}

/// Which occasions: those of one unit (`field`, as named when the occasion was finished), or all.
#[derive(Deserialize)]
struct Which {
    field: Option<String>,
    #[serde(flatten)]
    lang: Lang,
}

/// The trend over the organisation's finished workshops, for its members.
async fn organisation_trend(app: &AppState, headers: &HeaderMap, id: &str, field: Option<&str>) -> ApiResult<Trend> {
    auth::member(app, headers, id, Action::ReadResults, false).await?;
    let store = app.registry.store();
    let mut occasions = Vec::new();
    for listed in store.organisation_sessions(id).await.map_err(LiveError::Store)? {
        if listed.spec.catalogue.is_none() {
            continue;
        }
        let Some(stored) = store.load_session(&listed.code).await.map_err(LiveError::Store)? else { continue };
        let session = Session::replay(stored.spec, &stored.events);
        let Some(occasion) = &session.occasion else { continue };
        let wanted =
            field.is_none_or(|f| occasion.field.as_deref().is_some_and(|mine| mine.to_lowercase() == f.to_lowercase()));
        if !wanted {
            continue;
        }
        let named = TrendOccasion {
            code: stored.code,
            title: session.spec.title.clone(),
            date: occasion.date.clone(),
            field: occasion.field.clone(),
            catalogue: session.spec.catalogue.as_ref().map(|c| c.id.clone()),
            version: session.spec.catalogue.as_ref().map(|c| c.version.clone()),
        };
        occasions.push((named, summarise(&session)));
    }
    Ok(trend(occasions))
}

async fn trend_json(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(which): Query<Which>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let trend = organisation_trend(&app, &headers, &id, which.field.as_deref()).await?;
    Ok(no_store(Json(trend).into_response()))
}

/// The trend for a spreadsheet: one row per area, then one per indicator, a column per occasion.
async fn trend_csv(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(which): Query<Which>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let trend = organisation_trend(&app, &headers, &id, which.field.as_deref()).await?;
    let en = english(&which.lang);
    Ok(attachment("text/csv; charset=utf-8", format!("samsyn-trend-{}.csv", today(&trend)), trend_table(&trend, en)))
}

/// The newest occasion's date, to name the file.
fn today(trend: &Trend) -> String {
    trend.occasions.last().map_or_else(|| "empty".to_string(), |o| o.date.clone())
}

/// Semicolon-separated UTF-8 with a byte-order mark, as Excel with Swedish settings expects; levels
/// with a decimal comma in Swedish.
fn trend_table(trend: &Trend, en: bool) -> String {
    let t = |sv: &'static str, english: &'static str| if en { english } else { sv };
    let mut out = String::from("\u{FEFF}");
    let mut header = vec![
        t("Rad", "Row").to_string(),
        t("Område", "Area").to_string(),
        "Id".into(),
        t("Indikator", "Indicator").to_string(),
    ];
    header.extend(trend.occasions.iter().map(|o| match &o.field {
        Some(field) => format!("{} ({field})", o.date),
        None => o.date.clone(),
    }));
    let _ = writeln!(out, "{}\r", header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(";"));
    let number = |value: f64| {
        let text = format!("{value:.1}");
        if en {
            text
        } else {
            text.replace('.', ",")
        }
    };
    for area in &trend.areas {
        let mut row = vec![cell(t("Område", "Area")), cell(area.name.pick(en)), cell(&area.id), String::new()];
        row.extend(area.averages.iter().map(|a| a.map(number).unwrap_or_default()));
        let _ = writeln!(out, "{}\r", row.join(";"));
    }
    for line in &trend.indicators {
        let area = line.area.as_deref().unwrap_or_default();
        let mut row = vec![cell(t("Indikator", "Indicator")), cell(area), cell(&line.id), cell(line.title.pick(en))];
        row.extend(line.levels.iter().map(|l| l.map(|l| l.to_string()).unwrap_or_default()));
        let _ = writeln!(out, "{}\r", row.join(";"));
    }
    out
}
