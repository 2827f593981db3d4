//! Course offerings (sections in a term) and their instructors.

use qobe_domain::FieldErrors;
use qobe_domain::accounts::{AccountStatus, Email};
use qobe_domain::entered::Entered;
use qobe_domain::ids::{CourseId, OfferingId, TermId, UserId};
use qobe_domain::roles::{Permission, Role, Scope};
use qobe_domain::schedule::{Schedule, ScheduleError};
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::academics::{courses, offerings, terms};
use qobe_store::rows::{Course, Offering, Term};
use qobe_store::{accounts, roles as grant_rows};

use super::duplicate;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit};

/// A new or edited offering (section) of a course in a term, as the offering form and
/// `POST /api/v1/offerings` send it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OfferingIn)]
pub struct OfferingInput {
    /// The course code, e.g. `EE-101` (the form sends its id).
    pub course: String,
    /// The term code, e.g. `2026FA` (the form sends its id).
    pub term: String,
    #[schema(max_length = 10)]
    pub section: String,
    #[schema(value_type = i64, minimum = 1, maximum = 2000)]
    pub capacity: Entered<i64>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub room: String,
    #[serde(default)]
    pub online: bool,
    /// Meetings like `Mon 09:00-10:30; Wed 09:00-10:30`; one that ends before it starts is
    /// refused (409).
    #[serde(default)]
    #[schema(pattern = "schedule")]
    pub schedule: String,
    #[serde(default)]
    pub requires_approval: bool,
}

/// An offering with what its pages show.
#[derive(Debug, Clone)]
pub struct OfferingView {
    pub offering: Offering,
    pub course: Course,
    pub term: Term,
    pub schedule: Schedule,
    pub instructors: Vec<crate::accounts::Account>,
}

struct Valid {
    course: Course,
    term: Term,
    section: String,
    capacity: i64,
    room: Option<String>,
    schedule: Schedule,
}

async fn validate(app: &App, actor: &Actor, input: &OfferingInput) -> AppResult<Valid> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let conn = app.store.conn();
    let mut errors = FieldErrors::new();
    let course = match input.course.trim().parse::<i64>() {
        Ok(id) => courses::get(conn, institution, CourseId(id)).await?,
        Err(_) => courses::by_code(conn, institution, &input.course.trim().to_uppercase()).await?,
    };
    if course.is_none() {
        errors.refuse("course", "choose a course of this institution");
    }
    let term = match input.term.trim().parse::<i64>() {
        Ok(id) => terms::get(conn, institution, TermId(id)).await?,
        Err(_) => terms::by_code(conn, institution, &input.term.trim().to_uppercase()).await?,
    };
    if term.is_none() {
        errors.refuse("term", "choose a term of this institution");
    }
    let section = errors.check("section", required_text(&input.section, 10).map(|s| s.to_uppercase()));
    let capacity = errors.check(
        "capacity",
        input
            .capacity
            .text()
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|c| (1..=2000).contains(c))
            .ok_or_else(|| "must be a whole number from 1 to 2000".to_owned()),
    );
    let room = errors.check("room", optional_text(&input.room, 100));
    let schedule = match Schedule::parse(&input.schedule) {
        Ok(schedule) => Some(schedule),
        Err(ScheduleError::Backwards(message)) => {
            errors.refuse("schedule", message);
            None
        }
        Err(ScheduleError::Malformed(message)) => {
            errors.add("schedule", message);
            None
        }
    };
    match (course, term, section, capacity, room, schedule) {
        (Some(course), Some(term), Some(section), Some(capacity), Some(room), Some(schedule)) if errors.is_empty() => {
            Ok(Valid { course, term, section, capacity, room, schedule })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

const DUPLICATE_SECTION: &str = "That course already has this section in the term.";

pub async fn create(app: &App, actor: &Actor, input: &OfferingInput, client: &ClientInfo) -> AppResult<Offering> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let v = validate(app, actor, input).await?;
    let schedule = schedule_text(&v.schedule);
    let fields = offerings::OfferingFields {
        course: CourseId(v.course.id),
        term: TermId(v.term.id),
        section: &v.section,
        capacity: v.capacity,
        room: v.room.as_deref(),
        online: input.online,
        schedule: &schedule,
        requires_approval: input.requires_approval,
    };
    let tx = app.store.begin().await?;
    let offering = offerings::insert(&tx, institution, fields, app.now())
        .await
        .map_err(duplicate("section", DUPLICATE_SECTION))?;
    let label = format!("{} {} {}", v.course.code, v.term.code, v.section);
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.offering_created").target(&label)).await?;
    qobe_store::commit(tx).await?;
    Ok(offering)
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &OfferingInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let existing = offerings::get(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let mut input = input.clone();
    input.course = existing.course_id.to_string();
    input.term = existing.term_id.to_string();
    let v = validate(app, actor, &input).await?;
    let schedule = schedule_text(&v.schedule);
    let fields = offerings::OfferingFields {
        course: CourseId(existing.course_id),
        term: TermId(existing.term_id),
        section: &v.section,
        capacity: v.capacity,
        room: v.room.as_deref(),
        online: input.online,
        schedule: &schedule,
        requires_approval: input.requires_approval,
    };
    let tx = app.store.begin().await?;
    offerings::update(&tx, institution, id, fields).await.map_err(duplicate("section", DUPLICATE_SECTION))?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "academics.offering_updated").target(&id.to_string()))
        .await?;
    Ok(qobe_store::commit(tx).await?)
}

/// The canonical text form a schedule is stored in.
fn schedule_text(schedule: &Schedule) -> String {
    schedule
        .0
        .iter()
        .map(|m| {
            let day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                .get(usize::from(m.day.saturating_sub(1)))
                .copied()
                .unwrap_or("Mon");
            format!("{day} {:02}:{:02}-{:02}:{:02}", m.start / 60, m.start % 60, m.end / 60, m.end % 60)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) async fn views(app: &App, actor: &Actor, rows: Vec<Offering>) -> AppResult<Vec<OfferingView>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut course_ids: Vec<i64> = rows.iter().map(|o| o.course_id).collect();
    course_ids.sort_unstable();
    course_ids.dedup();
    let all_courses = courses::by_ids(conn, institution, &course_ids).await?;
    let all_terms = terms::list(conn, institution).await?;
    let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
    let teaching = offerings::instructors(conn, institution, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for offering in rows {
        let (Some(course), Some(term)) = (
            all_courses.iter().find(|c| c.id == offering.course_id).cloned(),
            all_terms.iter().find(|t| t.id == offering.term_id).cloned(),
        ) else {
            continue;
        };
        let mut instructors = Vec::new();
        for link in teaching.iter().filter(|i| i.offering_id == offering.id) {
            if let Some(user) = accounts::get(conn, Some(institution), UserId(link.user_id)).await? {
                instructors.push(user.into());
            }
        }
        let schedule = Schedule::parse(&offering.schedule).unwrap_or_default();
        out.push(OfferingView { offering, course, term, schedule, instructors });
    }
    Ok(out)
}

/// Offerings of a term (or all), with course, term and instructors.
pub async fn list(app: &App, actor: &Actor, term: Option<TermId>) -> AppResult<Vec<OfferingView>> {
    let rows = offerings::list(app.store.conn(), actor.institution()?, term).await?;
    views(app, actor, rows).await
}

pub async fn get(app: &App, actor: &Actor, id: OfferingId) -> AppResult<OfferingView> {
    let row = offerings::get(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    views(app, actor, vec![row]).await?.pop().ok_or(AppError::NotFound)
}

/// Assigns an instructor by email; they are granted the instructor role for this offering.
pub async fn add_instructor(
    app: &App,
    actor: &Actor,
    id: OfferingId,
    input: &crate::accounts::EmailInput,
    client: &ClientInfo,
) -> AppResult<()> {
    let institution = actor.require(Permission::ManageAcademicStructure)?;
    let tx = app.store.begin().await?;
    offerings::get(&tx, institution, id).await?.ok_or(AppError::NotFound)?;
    let email = Email::parse(&input.email).map_err(|m| AppError::field("email", m))?;
    let user = accounts::by_email(&tx, Some(institution), email.as_str())
        .await?
        .filter(|u| u.status != AccountStatus::Deactivated.as_str())
        .ok_or_else(|| {
            AppError::refused_field("email", "nobody with that email has an account here; invite them first")
        })?;
    offerings::add_instructor(&tx, institution, id, UserId(user.id))
        .await
        .map_err(duplicate("email", "That person already teaches this offering."))?;
    let grant = grant_rows::NewGrant {
        institution_id: institution,
        user_id: UserId(user.id),
        role: Role::Instructor.as_str(),
        scope_kind: Scope::Offering(id.0).kind(),
        scope_id: id.0,
        granted_by: Some(actor.user_id),
        now: app.now(),
    };
    match grant_rows::insert(&tx, grant).await {
        Ok(_) | Err(qobe_store::StoreError::Duplicate(_)) => {}
        Err(other) => return Err(other.into()),
    }
    audit::record(
        &tx,
        app,
        client,
        audit::Entry::by(actor, "academics.instructor_assigned")
            .target(&user.email)
            .details(serde_json::json!({ "offering": id.0 })),
    )
    .await?;
    qobe_store::commit(tx).await?;
    Ok(())
}
