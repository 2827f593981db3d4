//! What makes the demo tell a true story: past terms' results go through the real workflow
//! (submitted by the instructor, approved, published and locked by the head of department, so
//! students see grades and outcome profiles and attainment is frozen in snapshots), and the
//! shortfalls of the last finished term become CQI findings with actions, as a QA office would
//! raise them.

use qobe_domain::ids::{InstitutionId, OfferingId, UserId};
use qobe_domain::roles::{Role, Scope};

use crate::results;
use crate::{Actor, App, AppResult, ClientInfo};
use qobe_domain::grading::ResultAction;

/// A person the demo acts as, with the grants the demo gave them.
pub(super) fn actor(institution: InstitutionId, user: i64, email: &str, grants: Vec<(Role, Scope)>) -> Actor {
    Actor {
        user_id: UserId(user),
        institution_id: Some(institution),
        email: email.to_owned(),
        name: String::new(),
        is_operator: false,
        grants,
        session_id: None,
        time_zone: "UTC".into(),
        language: "en".into(),
        needs_two_factor_setup: false,
        needs_consent: false,
    }
}

/// A finished offering, its instructor and the head of its department.
pub(super) struct Finished {
    pub offering: i64,
    pub instructor: Actor,
    pub head: Actor,
}

/// Submits, approves, publishes and locks each finished offering's results.
pub(super) async fn publish(app: &App, finished: &[Finished]) -> AppResult<()> {
    let client = ClientInfo::default();
    for f in finished {
        let id = OfferingId(f.offering);
        results::act(app, &f.instructor, id, ResultAction::Submit, &Default::default(), &client).await?;
        for step in [ResultAction::Approve, ResultAction::Publish, ResultAction::Lock] {
            results::act(app, &f.head, id, step, &Default::default(), &client).await?;
        }
    }
    Ok(())
}

/// Raises a finding for the first shortfalls of the given offerings (the last finished term),
/// each with an action owned by the offering's instructor, due next term. Returns how many.
pub(super) async fn raise_findings(
    app: &App,
    qa: &Actor,
    offerings: &[(i64, String)],
    due_term: &str,
    most: usize,
) -> AppResult<usize> {
    let client = ClientInfo::default();
    let mut raised = 0;
    for (offering, instructor_email) in offerings {
        if raised == most {
            break;
        }
        let view = crate::assessment::attainment::of_offering(app, qa, OfferingId(*offering)).await?;
        let Some(short) = view.attainment.clos.iter().find(|c| c.blended.met == Some(false)) else { continue };
        let finding = crate::cqi::findings::raise_from_shortfall(
            app,
            qa,
            OfferingId(*offering),
            qobe_domain::ids::CloId(short.clo.id),
            &client,
        )
        .await?;
        crate::cqi::actions::add(
            app,
            qa,
            qobe_domain::ids::FindingId(finding.id),
            &crate::cqi::actions::ActionInput {
                description: format!(
                    "Add two worked examples and a formative quiz on {} before the midterm; re-assess with the same rubric.",
                    short.clo.code
                ),
                owner: instructor_email.to_string(),
                due_term: due_term.to_string(),
            },
            &client,
        )
        .await?;
        raised += 1;
    }
    Ok(raised)
}
