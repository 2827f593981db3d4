//! Publishing a survey: the window it takes answers in, who is asked (an offering's, program's
//! or cohort's students, staff, alumni, or external respondents by single-use links from a list
//! of emails), the invitations, reminders to those who have not answered, and closing it.

use chrono::{DateTime, Utc};
use qobe_domain::FieldErrors;
use qobe_domain::accounts::Email as EmailAddress;
use qobe_domain::ids::{CohortId, OfferingId, ParticipantId, SurveyId, UserId};
use qobe_domain::registration::EnrollmentStatus;
use qobe_store::rows::{Survey, SurveyParticipant};
use qobe_store::surveys::{self as rows, Invitee};
use serde::Deserialize;

use super::{Status, managed};
use crate::academics::parse_moment;
use crate::academics::terms::Moment;
use crate::crypto::{random_token, token_hash};
use crate::mail::Email;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// Whom a survey may be published to.
pub const AUDIENCES: [&str; 6] = ["offering", "program", "cohort", "staff", "alumni", "external"];

/// The most external respondents one list may name.
pub const MAX_EXTERNAL: usize = 5_000;

/// When the survey takes answers and whom it asks. Publishing again adds people (those already
/// asked are not asked twice) and moves the window.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    /// The moment answers are first taken, in the person's time zone when typed in a form.
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub opens_at: Moment,
    #[schema(value_type = chrono::DateTime<chrono::Utc>)]
    pub closes_at: Moment,
    /// `offering` (its enrolled students), `program` (its cohorts' students), `cohort`,
    /// `staff`, `alumni`, or `external` (only the emails listed).
    #[schema(pattern = "enum:survey_audience")]
    pub audience: String,
    /// With `cohort`: which one.
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub cohort: Option<i64>,
    /// External respondents' emails, one per line or comma-separated; a CSV whose first line is
    /// `email` reads too. Each gets a single-use link, no account.
    #[serde(default)]
    #[schema(max_length = 400000)]
    pub external: String,
}

/// Who was asked by one publishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub people: usize,
    pub external: usize,
}

/// The external emails of a list, each once, or the lines that are not emails.
pub fn external_emails(list: &str) -> Result<Vec<String>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut out: Vec<String> = Vec::new();
    for (line_no, line) in list.lines().enumerate() {
        for cell in line.split([',', ';', '\t']) {
            let cell = cell.trim().trim_matches('"').trim();
            if cell.is_empty() || (line_no == 0 && cell.eq_ignore_ascii_case("email")) {
                continue;
            }
            match EmailAddress::parse(cell) {
                Ok(email) if !out.contains(&email.as_str().to_owned()) => out.push(email.as_str().to_owned()),
                Ok(_) => {}
                Err(e) => errors.refuse("external", format!("line {}: {cell:?} {e}", line_no + 1)),
            }
        }
    }
    if out.len() > MAX_EXTERNAL {
        errors.refuse("external", format!("lists at most {MAX_EXTERNAL} emails at a time"));
    }
    errors.into_result().map(|()| out)
}

pub async fn publish(
    app: &App,
    actor: &Actor,
    id: SurveyId,
    input: &PublishInput,
    client: &ClientInfo,
) -> AppResult<Published> {
    let survey = managed(app, actor, id).await?;
    let institution = actor.institution()?;
    let mut errors = FieldErrors::new();
    let opens = parse_moment(&mut errors, "opens_at", &input.opens_at.text(), actor.zone());
    let closes = parse_moment(&mut errors, "closes_at", &input.closes_at.text(), actor.zone());
    if let (Some(opens), Some(closes)) = (opens, closes)
        && closes <= opens
    {
        errors.refuse("closes_at", "must be after it opens");
    }
    if closes.is_some_and(|c| c <= app.now()) {
        errors.refuse("closes_at", "must be in the future");
    }
    let external = errors.take(external_emails(&input.external)).unwrap_or_default();
    let people: Vec<UserId> = audience(app, actor, &survey, input, &mut errors).await?.unwrap_or_default();
    if errors.is_empty() && people.is_empty() && external.is_empty() {
        errors.refuse("audience", "asks nobody: choose an audience with people in it, or list external emails");
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let (Some(opens), Some(closes)) = (opens, closes) else { return Err(AppError::Internal("window".into())) };
    if crate::surveys::form_of(&survey)?.questions().next().is_none() {
        return Err(AppError::Refused(vec!["The survey has no questions yet: add some before publishing it.".into()]));
    }

    let now = app.now();
    let tx = app.store.begin().await?;
    rows::set_status(&tx, institution, id, Status::Open.as_str(), Some(opens), Some(closes), now).await?;
    let asked = rows::add_participants(&tx, institution, id, people.into_iter().map(Invitee::Person).collect()).await?;
    let mut links = Vec::new();
    let mut invitees = Vec::new();
    for email in &external {
        let token = random_token();
        invitees.push(Invitee::External { email: email.clone(), token_hash: token_hash(&token) });
        links.push((email.clone(), token));
    }
    let external_added = rows::add_participants(&tx, institution, id, invitees).await?;
    // Invite everyone not yet invited (people asked by an earlier publishing were invited then).
    let waiting: Vec<SurveyParticipant> =
        rows::participants(&tx, institution, id).await?.into_iter().filter(|p| p.invited_at.is_none()).collect();
    let opened = Survey { opens_at: Some(opens), closes_at: Some(closes), ..survey };
    let contacted = contact(&tx, app, actor, &opened, &waiting, &links, false).await?;
    rows::mark_contacted(&tx, institution, &contacted, false, now).await?;
    let target = id.to_string();
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "surveys.published").target(&target).details(serde_json::json!({
            "audience": input.audience, "people": asked, "external": external_added,
            "opens_at": opens, "closes_at": closes,
        })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(Published { people: asked, external: external_added })
}

/// The people with accounts the chosen audience names; `None` (and an error) when it names none
/// it may.
async fn audience(
    app: &App,
    actor: &Actor,
    survey: &Survey,
    input: &PublishInput,
    errors: &mut FieldErrors,
) -> AppResult<Option<Vec<UserId>>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let students_of = |cohorts: Vec<i64>| async move {
        let mut out = Vec::new();
        for cohort in cohorts {
            for s in qobe_store::academics::cohorts::students_in_cohort(conn, institution, CohortId(cohort)).await? {
                out.push(UserId(s.user_id));
            }
        }
        AppResult::Ok(out)
    };
    let mut people = match input.audience.as_str() {
        "offering" => {
            let Some(offering) = survey.offering_id else {
                errors.refuse("audience", "this survey is not about an offering");
                return Ok(None);
            };
            qobe_store::registration::for_offering(conn, institution, OfferingId(offering))
                .await?
                .into_iter()
                .filter(|e| EnrollmentStatus::in_class(&e.status))
                .map(|e| UserId(e.user_id))
                .collect()
        }
        "program" | "cohort" => {
            let cohorts = qobe_store::academics::cohorts::list(conn, institution).await?;
            let chosen: Vec<i64> = if input.audience == "program" {
                let Some(program) = survey.program_id else {
                    errors.refuse("audience", "this survey is not about a program");
                    return Ok(None);
                };
                cohorts.iter().filter(|c| c.program_id == program).map(|c| c.id).collect()
            } else {
                let Some(cohort) = input.cohort.and_then(|id| cohorts.iter().find(|c| c.id == id)) else {
                    errors.refuse("cohort", "choose one of the institution's cohorts");
                    return Ok(None);
                };
                if survey.program_id.is_some_and(|p| p != cohort.program_id) {
                    errors.refuse("cohort", "must be a cohort of the survey's program");
                    return Ok(None);
                }
                vec![cohort.id]
            };
            students_of(chosen).await?
        }
        "staff" | "alumni" => {
            let roles: &[&str] = if input.audience == "alumni" {
                &["alumnus"]
            } else {
                &["institution_admin", "qa_officer", "program_coordinator", "instructor"]
            };
            let mut out = Vec::new();
            for role in roles {
                out.extend(qobe_store::roles::users_with_role(conn, institution, role).await?.into_iter().map(UserId));
            }
            out
        }
        "external" => Vec::new(),
        _ => {
            errors.add("audience", "must be offering, program, cohort, staff, alumni or external");
            return Ok(None);
        }
    };
    people.sort();
    people.dedup();
    Ok(Some(people))
}

/// Queues an invitation (or a reminder) to each of `participants`, with its link; an external
/// respondent's link comes from `links` (just made), or, for a reminder, a new token replaces
/// theirs. Returns who was written to.
async fn contact(
    tx: &qobe_store::Tx,
    app: &App,
    actor: &Actor,
    survey: &Survey,
    participants: &[SurveyParticipant],
    links: &[(String, String)],
    reminder: bool,
) -> AppResult<Vec<ParticipantId>> {
    let institution = actor.institution()?;
    let users: Vec<i64> = participants.iter().filter_map(|p| p.user_id).collect();
    let people = qobe_store::accounts::people(tx, institution, &users).await?;
    let zone = actor.zone();
    let closes = survey.closes_at.map(|c| c.with_timezone(&zone).format("%-d %B %Y, %H:%M %Z").to_string());
    let mut contacted = Vec::new();
    for participant in participants {
        let (to, name, link) = match (participant.user_id, &participant.email) {
            (Some(user), _) => {
                let Some(person) = people.iter().find(|p| p.id == user) else { continue };
                (person.email.clone(), person.name.clone(), app.link(&format!("/surveys/{}/answer", survey.id)))
            }
            (None, Some(email)) => {
                let token = match links.iter().find(|(e, _)| e == email) {
                    Some((_, token)) => token.clone(),
                    None => {
                        let token = random_token();
                        rows::replace_token(tx, institution, ParticipantId(participant.id), &token_hash(&token))
                            .await?;
                        token
                    }
                };
                (email.clone(), String::new(), app.link(&format!("/surveys/respond?token={token}")))
            }
            (None, None) => continue,
        };
        let greeting = if name.is_empty() { "Hello".to_owned() } else { format!("Hello {name}") };
        let (subject, lead) = if reminder {
            (format!("Reminder: {}", survey.title), "We have not had your answers yet to")
        } else {
            (survey.title.clone(), "You are invited to answer")
        };
        let anonymity = if survey.anonymous {
            "Your answers are anonymous: they are kept apart from your name and cannot be traced to you."
        } else {
            "Your answers are kept with your name."
        };
        let body = format!(
            "{greeting},\n\n{lead} \"{}\".\n\n{anonymity}\nYou can save your answers and finish later.{}\n\nAnswer here:\n{link}\n",
            survey.title,
            closes.as_ref().map(|c| format!(" It closes on {c}.")).unwrap_or_default(),
        );
        crate::mail::queue(tx, app, Some(institution), Email { to, subject, body }).await?;
        contacted.push(ParticipantId(participant.id));
    }
    Ok(contacted)
}

/// Emails a reminder to everyone asked who has not answered; returns how many.
pub async fn remind(app: &App, actor: &Actor, id: SurveyId, client: &ClientInfo) -> AppResult<usize> {
    let survey = managed(app, actor, id).await?;
    if Status::of(&survey) != Status::Open || survey.closes_at.is_some_and(|c| c <= app.now()) {
        return Err(AppError::Refused(vec!["Only a survey that is open takes reminders.".into()]));
    }
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let waiting: Vec<SurveyParticipant> =
        rows::participants(&tx, institution, id).await?.into_iter().filter(|p| !p.answered).collect();
    let contacted = contact(&tx, app, actor, &survey, &waiting, &[], true).await?;
    rows::mark_contacted(&tx, institution, &contacted, true, app.now()).await?;
    let target = id.to_string();
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "surveys.reminded")
            .target(&target)
            .details(serde_json::json!({ "sent": contacted.len() })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(contacted.len())
}

/// Who was asked and who has answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub asked: usize,
    pub answered: usize,
    pub external: usize,
}

pub async fn standing(app: &App, actor: &Actor, id: SurveyId) -> AppResult<Standing> {
    managed(app, actor, id).await?;
    let all = rows::participants(app.store.conn(), actor.institution()?, id).await?;
    Ok(Standing {
        asked: all.len(),
        answered: all.iter().filter(|p| p.answered).count(),
        external: all.iter().filter(|p| p.user_id.is_none()).count(),
    })
}

/// Stops taking answers.
pub async fn close(app: &App, actor: &Actor, id: SurveyId, client: &ClientInfo) -> AppResult<()> {
    let survey = managed(app, actor, id).await?;
    let institution = actor.institution()?;
    let now = app.now();
    let closes: Option<DateTime<Utc>> = Some(survey.closes_at.map_or(now, |c| c.min(now)));
    let tx = app.store.begin().await?;
    rows::set_status(&tx, institution, id, Status::Closed.as_str(), survey.opens_at, closes, now).await?;
    let target = id.to_string();
    audit::record(&tx, app, client, audit::Entry::by(actor, "surveys.closed").target(&target)).await?;
    qobe_store::commit(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_list_reads_lines_commas_and_a_csv_header_and_names_bad_lines() {
        let list = "email\nhr@acme.com, Boss@Acme.com\n\"ceo@works.org\"\nhr@acme.com\n";
        assert_eq!(external_emails(list).unwrap(), vec!["hr@acme.com", "boss@acme.com", "ceo@works.org"]);
        let errors = external_emails("a@b.com\nnot an email\n").unwrap_err();
        assert!(errors.get("external").unwrap().starts_with("line 2"), "{errors:?}");
    }
}
