//! Announcements: an offering's staff who edit it post to its class, an institution's admins to
//! everyone in it. Each is shown in the product (the course's page, the person's home with a
//! count of unread ones) and emailed, by a background job after the post committed, to those
//! whose communication preferences take course announcements.

use std::collections::{HashMap, HashSet};

use qobe_domain::accounts::CommunicationPreferences;
use qobe_domain::ids::{AnnouncementId, InstitutionId, OfferingId};
use qobe_domain::validation::required_text;
use qobe_store::announcements::{self as rows, NewAnnouncement};
use serde::{Deserialize, Serialize};

use super::viewer;
use crate::jobs::{self, Kind, Running};
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, authz, mail};
/// An announcement as stored (it holds nothing secret).
pub use qobe_store::announcements::Announcement;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementInput {
    #[schema(max_length = 200)]
    pub title: String,
    /// Markdown.
    #[schema(max_length = 20000)]
    pub body: String,
}

/// An announcement as a list shows it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub announcement: Announcement,
    pub author: String,
    /// The offering's label ("EE-201 section A"), or `None` for the institution's own.
    pub offering: Option<(i64, String)>,
    /// Not read by the person looking before this view.
    pub unread: bool,
    /// The person may delete it.
    pub deletable: bool,
}

fn check(input: &AnnouncementInput) -> AppResult<(String, String)> {
    let mut errors = qobe_domain::FieldErrors::new();
    let title = errors.check("title", required_text(&input.title, 200));
    let body = errors.check("body", required_text(&input.body, 20_000));
    match (title, body) {
        (Some(title), Some(body)) if errors.is_empty() => Ok((title, body)),
        _ => Err(errors.into()),
    }
}

#[derive(Serialize, Deserialize)]
struct Delivery {
    announcement: i64,
}

/// Posts an announcement to the offering's class (`Some`) or the whole institution (`None`).
pub async fn post(
    app: &App,
    actor: &Actor,
    offering: Option<OfferingId>,
    input: &AnnouncementInput,
    client: &ClientInfo,
) -> AppResult<Announcement> {
    let institution = actor.institution()?;
    let allowed = match offering {
        Some(offering) => viewer(app, actor, offering).await?.1.edits(),
        None => authz::manage_settings(actor),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let (title, body) = check(input)?;
    let tx = app.store.begin().await?;
    let new = NewAnnouncement { offering, title: &title, body: &body, by: actor.user_id };
    let posted = rows::insert(&tx, institution, new, app.now()).await?;
    rows::mark_read(&tx, institution, actor.user_id, &[posted.id], app.now()).await?;
    jobs::enqueue(&tx, app, Some(institution), Kind::Announce, &Delivery { announcement: posted.id }).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "announcement.posted").target(&title)).await?;
    qobe_store::commit(tx).await?;
    Ok(posted)
}

/// Lists announcements for the person; with `mark`, records them read (the marks show what
/// was new before this view).
async fn shown(
    app: &App,
    actor: &Actor,
    list: Vec<Announcement>,
    editors_of: &HashSet<i64>,
    mark: bool,
) -> AppResult<Vec<Shown>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let read: HashSet<i64> = rows::read_by(conn, institution, actor.user_id, &ids).await?.into_iter().collect();
    let authors: Vec<i64> = list.iter().map(|a| a.posted_by).collect();
    let names: HashMap<i64, String> =
        qobe_store::accounts::people(conn, institution, &authors).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let offering_ids: Vec<i64> = list.iter().filter_map(|a| a.offering_id).collect();
    let mut labels = HashMap::new();
    for offering in qobe_store::academics::offerings::by_ids(conn, institution, &offering_ids).await? {
        let course =
            qobe_store::academics::courses::get(conn, institution, qobe_domain::ids::CourseId(offering.course_id))
                .await?;
        let code = course.map(|c| c.code).unwrap_or_default();
        labels.insert(offering.id, format!("{code} section {}", offering.section));
    }
    let admin = authz::manage_settings(actor);
    let out = list
        .into_iter()
        .map(|a| Shown {
            author: names.get(&a.posted_by).cloned().unwrap_or_default(),
            offering: a.offering_id.map(|o| (o, labels.get(&o).cloned().unwrap_or_default())),
            unread: !read.contains(&a.id),
            deletable: a.posted_by == actor.user_id.0 || a.offering_id.map_or(admin, |o| editors_of.contains(&o)),
            announcement: a,
        })
        .collect();
    if mark {
        rows::mark_read(conn, institution, actor.user_id, &ids, app.now()).await?;
    }
    Ok(out)
}

/// The offering's announcements, newest first, for its staff and students.
pub async fn of_offering(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<Vec<Shown>> {
    let (_, viewer) = viewer(app, actor, offering).await?;
    let list = rows::for_offerings(app.store.conn(), actor.institution()?, &[offering.0], false, 200).await?;
    let editors: HashSet<i64> = if viewer.edits() { HashSet::from([offering.0]) } else { HashSet::new() };
    shown(app, actor, list, &editors, true).await
}

/// Everything announced to the person: the institution's and their courses', newest first;
/// with `mark`, recorded as read.
pub async fn mine(app: &App, actor: &Actor, limit: u64, mark: bool) -> AppResult<Vec<Shown>> {
    let offerings = super::own_offerings(app, actor).await?;
    let list = rows::for_offerings(app.store.conn(), actor.institution()?, &offerings, true, limit).await?;
    shown(app, actor, list, &HashSet::new(), mark).await
}

/// Deletes an announcement: its author, the offering's editors, or for the institution's own
/// its admins.
pub async fn delete(app: &App, actor: &Actor, id: AnnouncementId, client: &ClientInfo) -> AppResult<Announcement> {
    let institution = actor.institution()?;
    let found = rows::get(app.store.conn(), institution, id).await?.ok_or(AppError::NotFound)?;
    let allowed = found.posted_by == actor.user_id.0
        || match found.offering_id {
            Some(offering) => viewer(app, actor, OfferingId(offering)).await.is_ok_and(|(_, v)| v.edits()),
            None => authz::manage_settings(actor),
        };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let tx = app.store.begin().await?;
    rows::delete(&tx, institution, id).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "announcement.deleted").target(&found.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(found)
}

/// Who an announcement goes to: the offering's students (enrolled) and instructors, or everyone
/// active in the institution.
async fn audience(app: &App, institution: InstitutionId, offering: Option<OfferingId>) -> AppResult<Option<Vec<i64>>> {
    let Some(offering) = offering else { return Ok(None) };
    Ok(Some(super::class_members(app, institution, offering).await?))
}

/// The background job: an email to each person the announcement reaches who takes course
/// announcements by email, queued in batches (each its own job, so one bad address holds up
/// nobody).
pub(crate) async fn deliver(app: &App, job: &Running) -> AppResult<()> {
    let task: Delivery = job.payload()?;
    let institution = job.institution.ok_or(AppError::NotFound)?;
    let conn = app.store.conn();
    let Some(found) = rows::get(conn, institution, AnnouncementId(task.announcement)).await? else {
        return Ok(()); // deleted before it went out
    };
    let offering = found.offering_id.map(OfferingId);
    let only = audience(app, institution, offering).await?;
    let people = rows::recipients(conn, institution, only.as_deref()).await?;
    let place = match offering {
        Some(id) => {
            let row = qobe_store::academics::offerings::get(conn, institution, id).await?.ok_or(AppError::NotFound)?;
            let course =
                qobe_store::academics::courses::get(conn, institution, qobe_domain::ids::CourseId(row.course_id))
                    .await?
                    .map(|c| format!("{} {}", c.code, c.title))
                    .unwrap_or_default();
            (course, format!("{}/learning/offerings/{}/announcements", app.config.public_url, id.0))
        }
        None => ("Announcement".to_owned(), format!("{}/announcements", app.config.public_url)),
    };
    let wanted: Vec<&(i64, String, String)> = people
        .iter()
        .filter(|(id, _, prefs)| {
            *id != found.posted_by
                && serde_json::from_str::<CommunicationPreferences>(prefs).unwrap_or_default().course_announcements
        })
        .collect();
    let total = wanted.len().max(1);
    for (done, batch) in wanted.chunks(200).enumerate() {
        let tx = app.store.begin().await?;
        for (_, email, _) in batch {
            let text = format!(
                "{}\n\n{}\n\nRead it in QOBE: {}\n\nYou receive course announcements by email; change this on your profile page.",
                found.title, found.body, place.1
            );
            let message =
                mail::Email { to: email.clone(), subject: format!("{}: {}", place.0, found.title), body: text };
            mail::queue(&tx, app, Some(institution), message).await?;
        }
        qobe_store::commit(tx).await?;
        job.progress((((done + 1) * 200).min(total) * 100 / total) as i64, "Emailing the announcement").await?;
    }
    Ok(())
}
