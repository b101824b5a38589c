//! An organisation's history: every finished occasion, and the trend over all of them (JSON, and CSV for
//! a spreadsheet). Read from the store, so no session is started to be read.

use super::auth;
use super::export::{attachment, cell, english, esc, printable, Lang, REPORT_CSS};
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
        .route("/organisations/{id}/trend.html", get(trend_report))
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

/// The trend as a printable page for the organisation's own plan and reports: the occasions, a radar
/// with one shape per occasion, and the levels per area and per indicator at each occasion.
async fn trend_report(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(which): Query<Which>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::ReadResults, false).await?;
    let name = who.memberships.iter().find(|m| m.organisation.id == id).map(|m| m.organisation.name.clone());
    let trend = organisation_trend(&app, &headers, &id, which.field.as_deref()).await?;
    Ok(printable(trend_html(&trend, name.as_deref().unwrap_or_default(), which.field.as_deref(), english(&which.lang))))
}

/// Dash patterns that tell the occasions' shapes apart in print, oldest first, the newest solid.
const DASHES: [&str; 6] = ["2 3", "6 3", "8 3 2 3", "1 2", "4 4", ""];

fn trend_html(trend: &Trend, organisation: &str, field: Option<&str>, en: bool) -> String {
    let t = |sv: &'static str, english: &'static str| if en { english } else { sv };
    let title = format!("{} – {}", t("Utveckling över tid", "Development over time"), organisation);
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{REPORT_CSS}</style></head><body><main><header><p class="brand">Samsyn</p><h1>{}</h1>"#,
        if en { "en" } else { "sv" },
        esc(&title),
        esc(&title)
    );
    if let Some(field) = field {
        let _ = write!(h, "<p class=\"muted\">{}: {}</p>", t("Verksamhetsområde", "Unit"), esc(field));
    }
    h.push_str("</header>");
    if trend.occasions.is_empty() {
        let _ = write!(
            h,
            "<p>{}</p></main></body></html>",
            t("Inga avslutade tillfällen än.", "No finished occasions yet.")
        );
        return h;
    }
    let _ = write!(h, "<h2>{}</h2><ol>", t("Tillfällen", "Occasions"));
    for occasion in &trend.occasions {
        let _ = write!(h, "<li>{} · {}", esc(&occasion.date), esc(&occasion.title));
        if let Some(field) = &occasion.field {
            let _ = write!(h, " · {}", esc(field));
        }
        if let (Some(catalogue), Some(version)) = (&occasion.catalogue, &occasion.version) {
            let _ = write!(h, " · {} {}", esc(catalogue), esc(version));
        }
        h.push_str("</li>");
    }
    h.push_str("</ol>");
    let _ = write!(h, "<h2>{}</h2><div class=\"areas\">", t("Områden", "Areas"));
    h.push_str(&radar(trend, en));
    let _ = write!(h, "<table><thead><tr><th scope=\"col\">{}</th>", t("Område", "Area"));
    for occasion in &trend.occasions {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&occasion.date));
    }
    h.push_str("</tr></thead><tbody>");
    let number = |value: f64| {
        let text = format!("{value:.1}");
        if en {
            text
        } else {
            text.replace('.', ",")
        }
    };
    for area in &trend.areas {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", esc(area.name.pick(en)));
        for average in &area.averages {
            let _ = write!(h, "<td>{}</td>", average.map(number).unwrap_or_else(|| "–".into()));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
    for area in &trend.areas {
        let lines: Vec<_> = trend.indicators.iter().filter(|l| l.area.as_deref() == Some(area.id.as_str())).collect();
        if lines.is_empty() {
            continue;
        }
        let _ = write!(
            h,
            "<h3>{}</h3><table><thead><tr><th scope=\"col\">{}</th>",
            esc(area.name.pick(en)),
            t("Indikator", "Indicator")
        );
        for occasion in &trend.occasions {
            let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&occasion.date));
        }
        h.push_str("</tr></thead><tbody>");
        for line in lines {
            let mut earlier: Vec<&str> =
                line.ids.iter().flatten().map(String::as_str).filter(|i| *i != line.id).collect();
            earlier.dedup();
            let _ = write!(h, "<tr><th scope=\"row\">{} {}", esc(&line.id), esc(line.title.pick(en)));
            if !earlier.is_empty() {
                let _ = write!(
                    h,
                    " <span class=\"muted\">({} {})</span>",
                    t("tidigare", "formerly"),
                    esc(&earlier.join(", "))
                );
            }
            h.push_str("</th>");
            for (level, id) in line.levels.iter().zip(&line.ids) {
                let cell = match (level, id) {
                    (Some(level), _) => level.to_string(),
                    (None, Some(_)) => t("ej låst", "not locked").to_string(),
                    (None, None) => "–".to_string(),
                };
                let _ = write!(h, "<td>{cell}</td>");
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</main></body></html>");
    h
}

/// One shape per occasion (the newest six), each with its own dash pattern, the newest solid and filled.
fn radar(trend: &Trend, en: bool) -> String {
    let areas = &trend.areas;
    if areas.len() < 3 {
        return String::new();
    }
    let (cx, cy, r) = (160.0, 150.0, 110.0);
    let top = f64::from(trend.top.max(1));
    let point = |i: usize, value: f64| {
        let angle = std::f64::consts::TAU * i as f64 / areas.len() as f64 - std::f64::consts::FRAC_PI_2;
        (cx + r * value / top * angle.cos(), cy + r * value / top * angle.sin())
    };
    let label = if en {
        "Average locked level per area at each occasion"
    } else {
        "Genomsnittlig låst nivå per område vid varje tillfälle"
    };
    let mut svg = format!(
        r##"<svg class="radar" viewBox="-80 -10 480 320" role="img" aria-label="{}"><g fill="none" stroke="#8a94a6">"##,
        esc(label)
    );
    for ring in 1..=trend.top {
        let pts: Vec<String> =
            (0..areas.len()).map(|i| point(i, f64::from(ring))).map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(svg, r#"<polygon points="{}" stroke-width="0.6"/>"#, pts.join(" "));
    }
    svg.push_str("</g>");
    let shown = trend.occasions.len().min(DASHES.len());
    let first = trend.occasions.len() - shown;
    for (n, at) in (first..trend.occasions.len()).enumerate() {
        let newest = at + 1 == trend.occasions.len();
        let pts: Vec<String> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| point(i, a.averages[at].unwrap_or(0.0)))
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let dash = if newest { "" } else { DASHES[n] };
        let _ = write!(
            svg,
            r##"<polygon points="{}" fill="#1d3a6e" fill-opacity="{}" stroke="#1d3a6e" stroke-width="{}" stroke-dasharray="{dash}"><title>{}</title></polygon>"##,
            pts.join(" "),
            if newest { "0.3" } else { "0" },
            if newest { "2.5" } else { "1.5" },
            esc(&trend.occasions[at].date)
        );
    }
    for (i, area) in areas.iter().enumerate() {
        let (x, y) = point(i, top * 1.18);
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="13" fill="#1b2430">{}</text>"##,
            esc(area.name.pick(en))
        );
    }
    svg.push_str("</svg>");
    svg
}
