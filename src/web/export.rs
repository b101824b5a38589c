//! Results that last: the summary, exports (JSON, CSV for spreadsheets, a printable report), comparing two
//! occasions, and deleting a session. Every route here needs the facilitator key, except the summary once shared.

use super::auth::{self, session_for, Need};
use super::reply::ApiError;
use super::reply::ForOrganisation;
use super::AppState;
use crate::domain::access::Action;
use crate::domain::item::item_set;
use crate::domain::session::{ActionStatus, Session};
use crate::domain::summary::{compare, ordered_plan, summarise, Summary};
use crate::domain::view::render_whole;
use crate::domain::Text;
use crate::protocol::Code;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::fmt::Write;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions/{code}/summary", get(summary))
        .route("/sessions/{code}/export.json", get(export_json))
        .route("/sessions/{code}/export.csv", get(export_csv))
        .route("/sessions/{code}/report.html", get(report))
        .route("/sessions/{code}", axum::routing::delete(delete_session))
        .route("/compare", post(compare_occasions))
        .route("/occasions", post(import_occasion))
}

#[derive(Deserialize)]
pub(super) struct Lang {
    lang: Option<String>,
}

pub(super) fn english(query: &Lang) -> bool {
    query.lang.as_deref() == Some("en")
}

pub(super) fn attachment(content_type: &'static str, filename: String, body: impl Into<axum::body::Body>) -> Response {
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The summary for the facilitator, or for anyone once the facilitator has shared it.
async fn summary(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let handle = app.registry.get(&code).await?;
    let session = handle.snapshot().await?;
    if !session.summary_shared {
        session_for(&app, &code, &headers, Need::Read).await?;
    }
    let summary = summarise(&session);
    let actions = ordered_plan(&session, &summary);
    Ok(Json(json!({ "summary": summary, "actions": actions, "occasion": session.occasion })).into_response())
}

/// Everything about the session except individual ballots: the facilitator's view (every round's
/// distribution, locks, notes, dissent, moderation), the summary, the action plan, and the items as a
/// re-importable item set.
async fn export_json(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let handle = session_for(&app, &code, &headers, Need::Read).await?;
    let session = handle.snapshot().await?;
    let agenda = session.agenda();
    let body = json!({
        "format": "samsyn-occasion",
        "version": 1,
        "exported_at": app.now(),
        "session": render_whole(&session, &code),
        "item_set": item_set(&session.spec.title, &agenda),
    });
    let text = serde_json::to_string_pretty(&body).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(attachment("application/json", format!("samsyn-{code}.json"), text))
}

/// A spreadsheet cell: quoted, and defused if a spreadsheet would read it as a formula.
pub(super) fn cell(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if risky { format!("'{text}") } else { text.to_string() };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// One row per item with its locked level, notes and the latest round's distribution, then the action plan.
/// Semicolon-separated UTF-8 with a byte-order mark, which is what Excel with Swedish settings expects.
fn csv(session: &Session, summary: &Summary, en: bool) -> String {
    let t = |sv: &'static str, english: &'static str| if en { english } else { sv };
    let mut out = String::from("\u{FEFF}");
    let top = summary.top.max(1);
    let mut header = vec![
        t("Område", "Area"),
        t("Id", "Id"),
        t("Fråga", "Item"),
        t("Typ", "Kind"),
        t("Låst nivå", "Locked level"),
        t("Nivå", "Level label"),
        t("Motivering", "Note"),
        t("Avvikande mening", "Dissent"),
        t("Omgångar", "Rounds"),
        t("Svar senaste omgång", "Answers, latest round"),
        t("Ej relevant", "Not relevant"),
        t("Median", "Median"),
        t("Samstämmighet", "Consensus"),
        t("Resultat", "Result"),
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    header.extend((1..=top).map(|level| format!("{} {level}", t("Nivå", "Level"))));
    let _ = writeln!(out, "{}\r", header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(";"));
    let view = render_whole(session, "");
    for (item, state) in session.spec.items.iter().zip(&session.items) {
        let area = item
            .area
            .as_ref()
            .and_then(|id| session.spec.areas.iter().find(|a| &a.id == id))
            .map(|a| a.name.pick(en).to_string())
            .unwrap_or_default();
        let scale = session.scale_of(item);
        let consensus = state.consensus.as_ref();
        let level_label = consensus
            .and_then(|c| scale.and_then(|s| s.levels.get(c.level as usize - 1)))
            .map(|l| l.label.pick(en).to_string())
            .unwrap_or_default();
        let latest = view.items.iter().find(|v| v.id == item.id).and_then(|v| v.rounds.last());
        let spread = latest.and_then(|r| r.spread.as_ref());
        let mut row = vec![
            area,
            item.id.clone(),
            item.title.pick(en).to_string(),
            item.kind.label(en).to_string(),
            consensus.map(|c| c.level.to_string()).unwrap_or_default(),
            level_label,
            consensus.map(|c| c.note.clone()).unwrap_or_default(),
            consensus.and_then(|c| c.dissent.clone()).unwrap_or_default(),
            state.rounds.len().to_string(),
            latest.map(|r| r.voted.to_string()).unwrap_or_default(),
            spread.map(|s| s.not_relevant.to_string()).unwrap_or_default(),
            spread
                .and_then(|s| s.median)
                .map(|m| format!("{m}").replace('.', if en { "." } else { "," }))
                .unwrap_or_default(),
            spread.and_then(|s| s.consensus).map(|c| format!("{:.0} %", c * 100.0)).unwrap_or_default(),
            latest.and_then(|r| r.tally.as_ref()).map(|t| t.result_line(&item.kind, en)).unwrap_or_default(),
        ];
        let counts = latest.and_then(|r| r.tally.as_ref()).and_then(|t| t.level_counts());
        row.extend((0..top as usize).map(|i| counts.and_then(|c| c.get(i)).map(|n| n.to_string()).unwrap_or_default()));
        let _ = writeln!(out, "{}\r", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(";"));
    }
    let plan = ordered_plan(session, summary);
    if !plan.is_empty() {
        let _ = writeln!(out, "\r");
        let header = [
            t("Åtgärd", "Action"),
            t("Fråga", "Item"),
            t("Ansvarig", "Owner"),
            t("Klart senast", "Due"),
            t("Status", "Status"),
        ];
        let _ = writeln!(out, "{}\r", header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(";"));
        for action in plan {
            let row = [
                action.text.as_str(),
                &action.item,
                &action.owner,
                action.due.as_deref().unwrap_or(""),
                status_word(action.status, en),
            ];
            let _ = writeln!(out, "{}\r", row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(";"));
        }
    }
    out
}

/// An action's status in the words the console uses (frontend/src/lib/summaryStrings.ts), so a plan reads
/// the same on screen, in the CSV and in the report.
fn status_word(status: ActionStatus, en: bool) -> &'static str {
    match (status, en) {
        (ActionStatus::Todo, false) => "Att göra",
        (ActionStatus::Doing, false) => "Pågår",
        (ActionStatus::Done, false) => "Klar",
        (ActionStatus::Todo, true) => "To do",
        (ActionStatus::Doing, true) => "In progress",
        (ActionStatus::Done, true) => "Done",
    }
}

async fn export_csv(
    State(app): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<Lang>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (session, summary) = summarised(&app, &code, &headers).await?;
    Ok(attachment("text/csv; charset=utf-8", format!("samsyn-{code}.csv"), csv(&session, &summary, english(&query))))
}

/// The session and its summary, for the facilitator only.
async fn summarised(app: &AppState, code: &str, headers: &HeaderMap) -> Result<(Session, Summary), ApiError> {
    let session = session_for(app, code, headers, Need::Read).await?.snapshot().await?;
    let summary = summarise(&session);
    Ok((session, summary))
}

/// Escapes text for HTML element content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A radar chart of the area averages as inline SVG, with the figures in a table beside it in the report.
fn radar(summary: &Summary, en: bool) -> String {
    let areas: Vec<_> = summary.areas.iter().collect();
    if areas.len() < 3 {
        return String::new();
    }
    let (cx, cy, r) = (160.0, 150.0, 110.0);
    let top = summary.top.max(1) as f64;
    let point = |i: usize, value: f64| {
        let angle = std::f64::consts::TAU * i as f64 / areas.len() as f64 - std::f64::consts::FRAC_PI_2;
        (cx + r * value / top * angle.cos(), cy + r * value / top * angle.sin())
    };
    let mut svg = String::new();
    let title = if en { "Average locked level per area" } else { "Genomsnittlig låst nivå per område" };
    let _ = write!(
        svg,
        r##"<svg class="radar" viewBox="-80 -10 480 320" role="img" aria-label="{}"><g fill="none" stroke="#8a94a6">"##,
        esc(title)
    );
    for ring in 1..=summary.top {
        let pts: Vec<String> =
            (0..areas.len()).map(|i| point(i, ring as f64)).map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let _ = write!(svg, r#"<polygon points="{}" stroke-width="0.6"/>"#, pts.join(" "));
    }
    svg.push_str("</g>");
    let values: Vec<String> = areas
        .iter()
        .enumerate()
        .map(|(i, a)| point(i, a.average.unwrap_or(0.0)))
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        svg,
        r##"<polygon points="{}" fill="#1d3a6e" fill-opacity="0.35" stroke="#1d3a6e" stroke-width="2"/>"##,
        values.join(" ")
    );
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

/// `catalogue` is the title of the session's catalogue, when it is still known to the server.
fn report_html(session: &Session, summary: &Summary, code: &str, catalogue: Option<&Text>, en: bool) -> String {
    let t = |sv: &'static str, english: &'static str| if en { english } else { sv };
    let mut h = String::new();
    let title = esc(&session.spec.title);
    let _ = write!(
        h,
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} – {}</title><style>{REPORT_CSS}</style></head><body><main>"#,
        if en { "en" } else { "sv" },
        t("Rapport", "Report")
    );
    let _ = write!(h, "<header><p class=\"brand\">Samsyn</p><h1>{title}</h1>");
    if let Some(occasion) = &session.occasion {
        let _ = write!(h, "<p>{} · {}", esc(&occasion.organisation), esc(&occasion.date));
        if let Some(field) = &occasion.field {
            let _ = write!(h, " · {}", esc(field));
        }
        h.push_str("</p>");
    }
    if let Some(reference) = &session.spec.catalogue {
        // The title people know the catalogue by; its id only if the catalogue is no longer on the server.
        let name = catalogue.map(|title| title.pick(en)).unwrap_or(&reference.id);
        let _ = write!(
            h,
            "<p class=\"muted\">{}: {}, {} {} · {} {}</p>",
            t("Katalog", "Catalogue"),
            esc(name),
            t("version", "version"),
            esc(&reference.version),
            t("kod", "code"),
            esc(code)
        );
    }
    let _ = write!(
        h,
        "<p class=\"muted\">{}: {}</p></header>",
        t("Öppna indikatorer", "Indicators still open"),
        summary.open
    );

    if !summary.areas.is_empty() {
        let _ = write!(h, "<section><h2>{}</h2><div class=\"areas\">{}<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t("Områden", "Areas"), radar(summary, en), t("Område", "Area"), t("Snitt", "Average"), t("Låsta", "Locked"));
        for area in &summary.areas {
            let average = area.average.map(|a| format!("{a:.1}")).unwrap_or_else(|| "–".into());
            let average = if en { average } else { average.replace('.', ",") };
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th><td>{average}</td><td>{} / {}</td></tr>",
                esc(area.name.pick(en)),
                area.locked,
                area.indicators
            );
        }
        h.push_str("</tbody></table></div></section>");
    }

    if !summary.disagreements.is_empty() {
        let _ =
            write!(h, "<section><h2>{}</h2><ol>", t("Där gruppen var mest oenig", "Where the group disagreed most"));
        for id in &summary.disagreements {
            if let Some(i) = summary.indicators.iter().find(|i| &i.id == id) {
                let cns = i.first_consensus.map(|c| format!("{:.0} %", c * 100.0)).unwrap_or_default();
                let _ = write!(
                    h,
                    "<li>{} <span class=\"muted\">({} {cns})</span></li>",
                    esc(i.title.pick(en)),
                    t("samstämmighet", "consensus")
                );
            }
        }
        h.push_str("</ol></section>");
    }

    // One table per area under the area's heading, so the report reads like the catalogue it came from.
    let head = format!("<table class=\"items\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t("Indikator", "Indicator"), t("Nivå", "Level"), t("Motivering", "Note"), t("Samstämmighet, första omgången", "Consensus, first round"));
    let _ = write!(h, "<section><h2>{}</h2>", t("Indikatorer", "Indicators"));
    let mut groups: Vec<(Option<&str>, Vec<&crate::domain::summary::IndicatorSummary>)> = Vec::new();
    for indicator in &summary.indicators {
        let area = indicator.area.as_deref();
        match groups.iter_mut().find(|(a, _)| *a == area) {
            Some((_, list)) => list.push(indicator),
            None => groups.push((area, vec![indicator])),
        }
    }
    let named = groups.iter().any(|(area, _)| area.is_some());
    for (area, indicators) in groups {
        if named {
            let name = area
                .and_then(|id| session.spec.areas.iter().find(|a| a.id == id))
                .map(|a| a.name.pick(en).to_string())
                .unwrap_or_else(|| t("Övriga", "Other").to_string());
            let _ = write!(h, "<h3>{}</h3>", esc(&name));
        }
        h.push_str(&head);
        for indicator in indicators {
            let item = session.spec.items.iter().find(|i| i.id == indicator.id);
            let label = indicator
                .level
                .and_then(|l| item.and_then(|i| session.scale_of(i)).and_then(|s| s.levels.get(l as usize - 1)))
                .map(|l| format!("{} – {}", l.level, l.label.pick(en)))
                .unwrap_or_else(|| t("ej låst", "not locked").to_string());
            let mut note = esc(indicator.note.as_deref().unwrap_or(""));
            if let Some(dissent) = &indicator.dissent {
                let _ = write!(note, "<br><em>{}: {}</em>", t("Avvikande mening", "Dissent"), esc(dissent));
            }
            let cns = indicator.first_consensus.map(|c| format!("{:.0} %", c * 100.0)).unwrap_or_default();
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{note}</td><td>{cns}</td></tr>",
                esc(indicator.title.pick(en)),
                esc(&label)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>");

    if !summary.priorities.is_empty() {
        let _ = write!(h, "<section><h2>{}</h2><ol>", t("Prioriteringar", "Priorities"));
        for p in &summary.priorities {
            let title = summary
                .indicators
                .iter()
                .find(|i| i.id == p.item)
                .map(|i| i.title.pick(en).to_string())
                .unwrap_or_else(|| p.item.clone());
            let _ = write!(
                h,
                "<li>{} – {} {}, {} {}</li>",
                esc(&title),
                p.points,
                t("poäng", "points"),
                p.supporters,
                t("personer", "people")
            );
        }
        h.push_str("</ol></section>");
    }

    let plan = ordered_plan(session, summary);
    if !plan.is_empty() {
        let _ = write!(h, "<section><h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>", t("Handlingsplan", "Action plan"), t("Åtgärd", "Action"), t("Indikator", "Indicator"), t("Ansvarig", "Owner"), t("Klart senast", "Due"), t("Status", "Status"));
        for action in plan {
            let title = summary
                .indicators
                .iter()
                .find(|i| i.id == action.item)
                .map(|i| i.title.pick(en).to_string())
                .unwrap_or_else(|| action.item.clone());
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&action.text),
                esc(&title),
                esc(&action.owner),
                esc(action.due.as_deref().unwrap_or("")),
                status_word(action.status, en)
            );
        }
        h.push_str("</tbody></table></section>");
    }
    h.push_str("</main></body></html>");
    h
}

pub(super) const REPORT_CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b2430;margin:0;background:#fff;line-height:1.45}main{max-width:60rem;margin:0 auto;padding:2rem 1.5rem}h1{font-size:1.9rem;margin:.2rem 0}h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:2px solid #1d3a6e;padding-bottom:.2rem}h3{font-size:1.1rem;margin:1.4rem 0 .4rem;color:#1d3a6e}.brand{font-weight:700;color:#1d3a6e;margin:0}.muted{color:#4a5568}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #cbd2dc}thead th{font-size:.9rem;color:#4a5568}.areas{display:flex;gap:1.5rem;align-items:flex-start;flex-wrap:wrap}.areas table{flex:1;min-width:16rem}.radar{width:20rem;max-width:100%}@media print{main{padding:0;max-width:none}h2,h3{break-after:avoid}tr,li{break-inside:avoid}@page{margin:18mm}}";

/// A printable report page. It loads nothing from anywhere and prints to a clean PDF from a browser.
async fn report(
    State(app): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<Lang>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let handle = session_for(&app, &code, &headers, Need::Read).await?;
    let session = handle.snapshot().await?;
    let summary = summarise(&session);
    let catalogue = match &session.spec.catalogue {
        Some(reference) => {
            super::catalogues::catalogue_title(&app, handle.organisation(), &reference.id, &reference.version).await?
        }
        None => None,
    };
    Ok(printable(report_html(&session, &summary, &code, catalogue.as_ref(), english(&query))))
}

/// A printable page: loads nothing from anywhere, kept by no cache, framed by no one.
pub(super) fn printable(html: String) -> Response {
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// One occasion to compare: its code, and its facilitator key unless the caller is a member of its
/// organisation (signed in).
#[derive(Deserialize)]
struct Access {
    code: String,
    #[serde(default)]
    key: Option<String>,
}

#[derive(Deserialize)]
struct CompareRequest {
    then: Access,
    now: Access,
}

/// Compares two occasions; the caller proves access to each with its facilitator key or as a member of
/// its organisation.
async fn compare_occasions(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let request: CompareRequest = super::reply::read_json(&body)?;
    let mut sessions = Vec::new();
    let mut owners = Vec::new();
    for access in [&request.then, &request.now] {
        let mut asking = headers.clone();
        if let Some(key) = &access.key {
            let bearer = HeaderValue::from_str(&format!("Bearer {key}"));
            asking.insert(header::AUTHORIZATION, bearer.map_err(|_| crate::live::LiveError::WrongKey)?);
        }
        let handle = session_for(&app, &access.code, &asking, Need::Read).await?;
        owners.push(handle.organisation().map(str::to_string));
        sessions.push(handle.snapshot().await?);
    }
    let (then, now) = (&sessions[0], &sessions[1]);
    // Two occasions of one organisation are comparable whatever name each was given.
    let same_owner = owners[0].is_some() && owners[0] == owners[1];
    if let (false, Some(a), Some(b)) = (same_owner, &then.occasion, &now.occasion) {
        if a.organisation.to_lowercase() != b.organisation.to_lowercase() {
            let message =
                format!("the occasions are of different organisations ({:?} and {:?})", a.organisation, b.organisation);
            return Err(ApiError::new(Code::NotComparable, message));
        }
    }
    let comparison = compare(&summarise(then), &summarise(now));
    if !comparison.indicators.is_empty() && !comparison.indicators.iter().any(|i| i.in_then) {
        let message =
            "no indicator of the earlier occasion maps to one of the later (different catalogues without a mapping)";
        return Err(ApiError::new(Code::NotComparable, message));
    }
    // The later occasion's scale, so a client can label levels without another request.
    let scale = now.spec.items.iter().find_map(|item| now.scale_of(item));
    let describe =
        |s: &Session| json!({ "title": s.spec.title, "catalogue": s.spec.catalogue, "occasion": s.occasion });
    Ok(Json(json!({ "then": describe(then), "now": describe(now), "scale": scale, "comparison": comparison }))
        .into_response())
}

#[derive(Deserialize)]
struct ExportFile {
    format: String,
    session: crate::domain::occasion::ExportedSession,
    item_set: crate::domain::item::ItemSetInput,
}

/// Imports an `export.json` as a new session: its items, every round's counts, locks with notes and
/// dissent, moderation, the action plan and the occasion — so occasions from another server, or from
/// before a reinstall, can be compared. Answers like `POST /api/sessions`.
async fn import_occasion(
    State(app): State<AppState>,
    Query(owner): Query<ForOrganisation>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let organisation = auth::owner_for_new(&app, &headers, owner.organisation.as_deref(), Action::RunSession).await?;
    let file: ExportFile = super::reply::read_json(&body)?;
    if file.format != "samsyn-occasion" {
        let message = format!("format: expected \"samsyn-occasion\", found {:?}", file.format);
        return Err(ApiError::new(Code::InvalidItems, message));
    }
    let agenda = crate::domain::item::agenda_from_input(file.item_set.items, &Default::default())
        .map_err(|e| ApiError::new(Code::InvalidItems, format!("item_set.{e}")))?;
    let events = file.session.events(&agenda);
    let title = file.item_set.title.unwrap_or(file.session.title.clone());
    let mut spec = crate::domain::SessionSpec::from_agenda(&title, agenda).map_err(crate::live::LiveError::from)?;
    spec.catalogue = file.session.catalogue;
    spec.areas = file.session.areas;
    let created = app.registry.create_with(spec, events, organisation.as_deref()).await?;
    tracing::info!(session = %created.code, "occasion imported");
    Ok((StatusCode::CREATED, Json(super::api::created_body(&created))).into_response())
}

/// Deletes the session and everything stored about it.
async fn delete_session(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    session_for(&app, &code, &headers, Need::Drive).await?;
    app.registry.delete(&code).await?;
    tracing::info!(session = %code, "session deleted");
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Enkel"), "\"Enkel\"");
        assert_eq!(cell("Säger \"ja\""), "\"Säger \"\"ja\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+46 8 123"), "\"'+46 8 123\"");
        assert_eq!(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(cell("-1"), "\"'-1\"");
    }

    #[test]
    fn statuses_and_kinds_use_the_words_of_the_console() {
        use crate::domain::kinds::{choice::ChoiceKind, points::PointsKind, scale::ScaleKind, words::WordsKind};
        use crate::domain::ItemKind;
        let words = |en| [ActionStatus::Todo, ActionStatus::Doing, ActionStatus::Done].map(|s| status_word(s, en));
        assert_eq!(words(false), ["Att göra", "Pågår", "Klar"]);
        assert_eq!(words(true), ["To do", "In progress", "Done"]);
        let kinds = [
            ItemKind::Scale(ScaleKind { scale: "s".into() }),
            ItemKind::Choice(ChoiceKind { options: vec![], multiple: false }),
            ItemKind::Points(PointsKind { options: vec![], budget: 100, targets: vec![] }),
            ItemKind::Words(WordsKind { max_words: 3, max_chars: 40 }),
        ];
        assert_eq!(kinds.each_ref().map(|k| k.label(false)), ["Skala", "Val", "Poäng", "Ordmoln"]);
        assert_eq!(kinds.each_ref().map(|k| k.label(true)), ["Scale", "Choice", "Points", "Word cloud"]);
    }

    #[test]
    fn markup_in_texts_is_escaped_in_the_report() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
