//! The report of a run: the phones' figures added up and checked against the final states, as JSON or a table.

use crate::client;
use crate::measure::Samples;
use crate::phone::PhoneReport;
use crate::plan::{CHOICE, WORDS};
use crate::viewer::ViewerReport;
use crate::Env;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What a phone should see of a screen's `state`: the items that are current or open for answers (every
/// item while the summary is shared) and only their scales, everything else as the screen has it.
pub fn phone_view(screen_state: &Value) -> Value {
    let mut view = screen_state.clone();
    let session = &mut view["session"];
    if session["summary_shared"] == true {
        return view;
    }
    let current = session["current"].clone();
    if let Some(items) = session["items"].as_array_mut() {
        items.retain(|item| {
            let open = item["rounds"].as_array().and_then(|r| r.last()).is_some_and(|round| round["open"] == true);
            item["id"] == current || open
        });
    }
    let scales: Vec<Value> = session["items"].as_array().into_iter().flatten().map(|i| i["scale"].clone()).collect();
    if let Some(map) = session["scales"].as_object_mut() {
        map.retain(|id, _| scales.iter().any(|scale| scale == id.as_str()));
    }
    view
}

/// Adds up the phones' reports and checks them against the facilitator's and the screen's final states.
pub fn summarise(reports: &[PhoneReport], screen: &ViewerReport, facilitator: &ViewerReport, env: &Env) -> Value {
    let mut ack = Samples::default();
    let mut join = Samples::default();
    let mut phone = Samples::default();
    let mut screen_lat = Samples::default();
    let mut screen_unmeasured = 0u64;
    let mut expected_votes = [0u64; 16];
    let mut expected_words: BTreeMap<&str, u64> = BTreeMap::new();
    let mut voters = 0u64;
    let mut undetermined = 0u64;
    let sum = |f: fn(&PhoneReport) -> u64| reports.iter().map(f).sum::<u64>();
    for r in reports {
        ack.extend(&r.ack_us);
        if let Some(us) = r.join_us {
            join.extend(&[us]);
        }
        if let Some(us) = r.phone_us {
            phone.extend(&[us]);
        }
        if let Some(first) = r.first_vote {
            let i = screen.timeline.partition_point(|(_, voted)| *voted < first.bound);
            match screen.timeline.get(i) {
                Some((at, _)) => screen_lat.push(at.saturating_duration_since(first.sent_at)),
                None => screen_unmeasured += 1,
            }
        }
        if r.unanswered {
            undetermined += 1;
        } else if let Some(option) = r.last_acked {
            expected_votes[usize::from(option).min(15)] += 1;
            voters += 1;
        }
        for word in &r.words_acked {
            *expected_words.entry(word.as_str()).or_default() += 1;
        }
    }
    let first_votes = reports.iter().filter(|r| r.first_vote.is_some()).count() as u64;

    // The facilitator's final tallies against what was acknowledged.
    let final_state: Value =
        facilitator.last.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
    let round = |state: &Value, item: &str| -> Value {
        let items = state["session"]["items"].as_array().cloned().unwrap_or_default();
        items.into_iter().find(|i| i["id"] == item).map(|i| i["rounds"][0].clone()).unwrap_or(Value::Null)
    };
    let choice = round(&final_state, CHOICE);
    let counts: Vec<u64> =
        choice["tally"]["counts"].as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    let mut votes_lost = 0u64;
    let mut votes_extra = 0u64;
    for (i, expected) in expected_votes.iter().enumerate() {
        let actual = counts.get(i).copied().unwrap_or(0);
        votes_lost += expected.saturating_sub(actual);
        votes_extra += actual.saturating_sub(*expected);
    }
    let words = round(&final_state, WORDS);
    let mut actual_words: BTreeMap<String, u64> = BTreeMap::new();
    for group in words["tally"]["words"].as_array().into_iter().flatten() {
        if let (Some(text), Some(count)) = (group["text"].as_str(), group["count"].as_u64()) {
            *actual_words.entry(text.to_string()).or_default() += count;
        }
    }
    let words_lost: u64 =
        expected_words.iter().map(|(w, n)| n.saturating_sub(actual_words.get(*w).copied().unwrap_or(0))).sum();
    let tally_exact = !final_state.is_null()
        && undetermined == 0
        && votes_lost == 0
        && votes_extra == 0
        && choice["voted"].as_u64() == Some(voters)
        && words_lost == 0
        && actual_words.values().sum::<u64>() == expected_words.values().sum::<u64>();
    if final_state.is_null() {
        env.errors.add(|| "no final state from the facilitator".into());
    }

    // Every view against the final state: the screen against the facilitator's tallies, every phone
    // against the phones' view of the screen's state (docs/protocol.md, "state").
    let screen_state: Value = screen.last.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
    let public_words = |round: &Value, facilitator: bool| -> Vec<(String, u64)> {
        round["tally"]["words"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| !facilitator || g["hidden"] != true)
            .take(100)
            .map(|g| (g["text"].as_str().unwrap_or_default().to_string(), g["count"].as_u64().unwrap_or(0)))
            .collect()
    };
    let screen_choice = round(&screen_state, CHOICE);
    let screen_words = round(&screen_state, WORDS);
    let screen_ok = !screen_state.is_null()
        && screen_state["version"] == final_state["version"]
        && screen_choice["tally"]["counts"] == choice["tally"]["counts"]
        && screen_choice["voted"] == choice["voted"]
        && public_words(&screen_words, false) == public_words(&words, true);
    let expected_phone_view = phone_view(&screen_state);
    let final_version = screen_state["version"].as_u64().unwrap_or(0);
    // Phones of a session get byte-identical frames: once one final view matches, the others compare as bytes.
    let mut matching_view: Option<&str> = None;
    // How the diverged phones differ: no state since closing began, an older or newer version, or the same
    // version with other content (a live figure such as `participants`).
    let mut diverged = BTreeMap::<&str, u64>::new();
    for r in reports.iter().filter(|r| r.joined) {
        let kind = match r.final_view.as_ref() {
            None => "none",
            Some(view) if Some(view.as_str()) == matching_view => continue,
            Some(view)
                if !screen_state.is_null()
                    && serde_json::from_str::<Value>(view).is_ok_and(|v| v == expected_phone_view) =>
            {
                matching_view = Some(view.as_str());
                continue;
            }
            Some(view) => match client::state_version(view).unwrap_or(0).cmp(&final_version) {
                std::cmp::Ordering::Less => "older",
                std::cmp::Ordering::Greater => "newer",
                std::cmp::Ordering::Equal => "same_version",
            },
        };
        *diverged.entry(kind).or_default() += 1;
    }
    if !screen_ok {
        diverged.insert("screen", 1);
    }
    let views_diverged: u64 = diverged.values().sum();

    let updates = sum(|r| r.updates) + screen.updates + facilitator.updates;
    json!({
        "join_failures": sum(|r| u64::from(r.join_failures)),
        "join_failure_examples": env.join_errors.to_json()["examples"],
        "votes_sent": sum(|r| r.votes_sent),
        "votes_acked": sum(|r| r.votes_acked),
        "votes_resent": sum(|r| r.votes_resent),
        "votes_lost": votes_lost,
        "votes_extra": votes_extra,
        "words_sent": sum(|r| r.words_sent),
        "words_acked": sum(|r| r.words_acked.len() as u64),
        "words_lost": words_lost,
        "tally_exact": tally_exact,
        "final_tally": {"counts": counts, "voted": choice["voted"], "words_total": actual_words.values().sum::<u64>()},
        "views_diverged": views_diverged,
        "views_diverged_by": diverged,
        "ack_ms": ack.summary(),
        "screen_ms": screen_lat.summary(),
        "phone_ms": phone.summary(),
        "join_ms": join.summary(),
        "first_votes": first_votes,
        "screen_unmeasured": screen_unmeasured,
        "phone_unmeasured": first_votes.saturating_sub(phone.len() as u64),
        "updates_received": updates,
        "screen_updates": screen.updates,
        "state_bytes": {
            "phone": reports.iter().find_map(|r| r.final_view.as_ref()).map(|view| view.len()),
            "screen": screen.last.as_ref().map(String::len),
            "facilitator": facilitator.last.as_ref().map(String::len),
        },
        // What each audience's frames weighed while the vote ran: what a delivery carries at load.
        "vote_frames": {
            "phone": {"count": sum(|r| r.vote_frames), "bytes": sum(|r| r.vote_bytes)},
            "screen": {"count": screen.vote_frames, "bytes": screen.vote_bytes},
            "facilitator": {"count": facilitator.vote_frames, "bytes": facilitator.vote_bytes},
        },
        "reconnects": sum(|r| r.reconnects),
        "unavailable": sum(|r| r.unavailable),
        "stalls": sum(|r| r.stalls),
        "errors": env.errors.to_json(),
    })
}

pub fn print_table(report: &Value) {
    let ms = |v: &Value| {
        let f = |k: &str| v[k].as_f64().map_or("-".to_string(), |x| format!("{x:.1}"));
        format!("p50 {:>8}  p95 {:>8}  p99 {:>8}  max {:>8}  (n={})", f("p50"), f("p95"), f("p99"), f("max"), v["n"])
    };
    let line = |name: &str, value: String| println!("{name:<22} {value}");
    line(
        "participants",
        format!(
            "{} ({} connected, {} join failures)",
            report["participants"], report["connected"], report["join_failures"]
        ),
    );
    line("joined in", format!("{} s", report["join_secs"]));
    line(
        "votes",
        format!(
            "{} sent, {} acked, {} resent, {} lost",
            report["votes_sent"], report["votes_acked"], report["votes_resent"], report["votes_lost"]
        ),
    );
    line(
        "words",
        format!("{} sent, {} acked, {} lost", report["words_sent"], report["words_acked"], report["words_lost"]),
    );
    line("final tally", format!("{} (exact: {})", report["final_tally"], report["tally_exact"]));
    line("views diverged", report["views_diverged"].to_string());
    line("ack ms", ms(&report["ack_ms"]));
    line("vote→screen ms", ms(&report["screen_ms"]));
    line("vote→phone ms", ms(&report["phone_ms"]));
    line("join ms", ms(&report["join_ms"]));
    line("updates received", format!("{} ({} on the screen)", report["updates_received"], report["screen_updates"]));
    line(
        "reconnects / stalls",
        format!("{} / {} ({} after `unavailable`)", report["reconnects"], report["stalls"], report["unavailable"]),
    );
    line("cpu during join", report["cpu"]["join"].to_string());
    line("cpu during vote", report["cpu"]["vote"].to_string());
    line("memory", report["memory"].to_string());
    line("errors", report["errors"].to_string());
    line("duration", format!("{} s (timed out: {})", report["duration_secs"], report["timed_out"]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_sees_the_current_and_open_items_of_the_screens_state_and_their_scales() {
        let round = |open: bool| json!([{"number": 1, "open": open}]);
        let screen = json!({"type": "state", "version": 9, "session": {
        "current": "next", "summary_shared": false,
        "scales": {"s1": {}, "s2": {}},
        "items": [
            {"id": "done", "scale": "s1", "rounds": round(false)},
            {"id": "hot", "rounds": round(true)},
            {"id": "next", "scale": "s2", "rounds": []},
        ]}});
        let phone = phone_view(&screen);
        let ids: Vec<&str> =
            phone["session"]["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["hot", "next"]);
        assert_eq!(phone["session"]["scales"], json!({"s2": {}}));
        assert_eq!(phone["version"], 9);

        let mut shared = screen.clone();
        shared["session"]["summary_shared"] = json!(true);
        assert_eq!(phone_view(&shared), shared, "every item while the summary is shared");
    }
}
