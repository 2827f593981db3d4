//! The plan's history, read back from the audit log: who added, changed or deleted which
//! assessment or item, and what it was before.

use chrono::{DateTime, Utc};
use qobe_domain::ids::OfferingId;
use qobe_store::rows::AuditEvent;
use serde_json::Value;

use crate::assessment::marks::display_number;
use crate::assessment::staff_access;
use crate::{Actor, App, AppResult};

/// How many changes the plan page shows.
const SHOWN: u64 = 50;

pub struct PlanChange {
    pub at: DateTime<Utc>,
    pub by: String,
    pub summary: String,
}

pub async fn history(app: &App, actor: &Actor, id: OfferingId) -> AppResult<Vec<PlanChange>> {
    staff_access(app, actor, id).await?;
    let events =
        qobe_store::logs::audit_of_offering(app.store.conn(), actor.institution()?, "assessment.", id.0, SHOWN).await?;
    Ok(events
        .into_iter()
        .filter_map(|e| summary(&e).map(|summary| PlanChange { at: e.created_at, by: e.actor_email, summary }))
        .collect())
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map(display_number).unwrap_or_else(|| n.to_string()),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// `weightage 30 → 25, …` for the fields that differ between `before` and `after`.
fn differences(details: &Value, fields: &[(&str, &str)]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|(key, name)| {
            let (old, new) = (&details["before"][key], &details["after"][key]);
            (old != new).then(|| match *key {
                "clos" => format!("{name} changed"),
                _ => format!("{name} {} → {}", text(old), text(new)),
            })
        })
        .collect();
    if parts.is_empty() { "saved without changes".to_owned() } else { parts.join(", ") }
}

fn summary(event: &AuditEvent) -> Option<String> {
    let details: Value = serde_json::from_str(&event.details).unwrap_or(Value::Null);
    let target = &event.target;
    Some(match event.action.as_str() {
        "assessment.added" => {
            format!("added assessment {target} ({}, {} %)", text(&details["category"]), text(&details["weight"]))
        }
        "assessment.item_added" => format!("added item {target} (out of {})", text(&details["max_marks"])),
        "assessment.rubric_applied" => format!("applied rubric {target} ({} criteria)", text(&details["criteria"])),
        "assessment.changed" => format!(
            "changed assessment {}: {}",
            text(&details["before"]["name"]),
            differences(&details, &[("name", "name"), ("category", "category"), ("weight", "weightage")])
        ),
        "assessment.item_changed" => format!(
            "changed item {}: {}",
            text(&details["before"]["label"]),
            differences(&details, &[("label", "label"), ("max_marks", "maximum"), ("clos", "CLOs")])
        ),
        "assessment.deleted" => {
            let items = text(&details["before"]["items"]);
            if items.is_empty() {
                format!("deleted assessment {target}")
            } else {
                format!("deleted assessment {target} with items {items}")
            }
        }
        "assessment.item_deleted" => {
            format!("deleted item {target} (out of {})", text(&details["before"]["max_marks"]))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, target: &str, details: Value) -> AuditEvent {
        AuditEvent {
            id: 1,
            institution_id: Some(1),
            actor_id: Some(1),
            actor_email: "a@b.edu".into(),
            action: action.into(),
            target: target.into(),
            details: details.to_string(),
            ip: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_change_names_only_what_differs() {
        let e = event(
            "assessment.changed",
            "Midterm",
            serde_json::json!({"offering": 3, "before": {"name": "Midterm", "category": "CIE", "weight": 30.0},
                "after": {"name": "Midterm", "category": "CIE", "weight": 25.0}}),
        );
        assert_eq!(summary(&e).unwrap(), "changed assessment Midterm: weightage 30 → 25");
    }

    #[test]
    fn an_item_change_names_label_maximum_and_clos() {
        let e = event(
            "assessment.item_changed",
            "Q1a",
            serde_json::json!({"offering": 3, "before": {"label": "Q1", "max_marks": 10.0, "clos": [[4, 1.0]]},
                "after": {"label": "Q1a", "max_marks": 12.5, "clos": [[5, 1.0]]}}),
        );
        assert_eq!(summary(&e).unwrap(), "changed item Q1: label Q1 → Q1a, maximum 10 → 12.5, CLOs changed");
    }

    #[test]
    fn other_assessment_events_are_not_plan_history() {
        assert!(summary(&event("assessment.rubric_created", "Lab rubric", Value::Null)).is_none());
    }
}
