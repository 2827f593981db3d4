//! Course content (issue 15): an offering's modules holding pages, files and links, released to
//! its students by date or after another item, and each student's completion and progress.
//! Staff who may see the offering's assessment see all of it (its instructors and academic
//! administrators change it); its enrolled students see what is published and released to them.

pub mod announcements;
pub mod content;
pub mod copy;
pub mod forums;
pub mod progress;

use std::collections::HashMap;

use qobe_domain::ids::{ContentItemId, InstitutionId, OfferingId, UserId};
use qobe_domain::learning::{Completion, Held, ItemKind, Progress, Release};
use qobe_domain::registration::EnrollmentStatus;
use qobe_store::learning::{self as rows, ContentCompletion};
/// Course content as stored; these records hold nothing secret.
pub use qobe_store::learning::{ContentItem, ContentModule};

use crate::academics::offerings::{self, OfferingView};
use crate::assessment::Access;
use crate::{Actor, App, AppError, AppResult};

/// Who is looking at an offering's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Staff: `Edit` for its instructors and academic administrators, `View` for outcome managers.
    Staff(Access),
    /// A student enrolled in it (or who completed it).
    Student,
}

impl Viewer {
    pub fn edits(self) -> bool {
        self == Viewer::Staff(Access::Edit)
    }

    pub fn is_student(self) -> bool {
        self == Viewer::Student
    }

    /// Something its editors publish (an assignment, a quiz): a student finds a draft not at all.
    pub fn finds(self, published: bool) -> AppResult<()> {
        if self.is_student() && !published { Err(AppError::NotFound) } else { Ok(()) }
    }

    /// Only the offering's editors change it.
    pub fn must_edit(self) -> AppResult<()> {
        if self.edits() { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// The offering and how the actor sees its content; neither staff nor its student: forbidden.
pub async fn viewer(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<(OfferingView, Viewer)> {
    let view = offerings::get(app, actor, offering).await?;
    if let Some(access) = crate::assessment::access_to(actor, &view) {
        return Ok((view, Viewer::Staff(access)));
    }
    if enrolled(app, actor.institution()?, offering, actor.user_id).await? {
        return Ok((view, Viewer::Student));
    }
    Err(AppError::Forbidden)
}

/// Offerings the person studies in (enrolled or completed) or teaches.
pub(crate) async fn own_offerings(app: &App, actor: &Actor) -> AppResult<Vec<i64>> {
    let institution = actor.institution()?;
    let mut ids: Vec<i64> = qobe_store::registration::for_user(app.store.conn(), institution, actor.user_id)
        .await?
        .into_iter()
        .filter(|e| EnrollmentStatus::in_class(&e.status))
        .map(|e| e.offering_id)
        .collect();
    ids.extend(actor.grants.iter().filter_map(|(_, scope)| match scope {
        qobe_domain::roles::Scope::Offering(id) => Some(*id),
        _ => None,
    }));
    Ok(ids)
}

/// Everyone in the offering's class now: its enrolled students and its instructors.
pub(crate) async fn class_members(app: &App, institution: InstitutionId, offering: OfferingId) -> AppResult<Vec<i64>> {
    let conn = app.store.conn();
    let mut ids: Vec<i64> = qobe_store::registration::for_offering(conn, institution, offering)
        .await?
        .into_iter()
        .filter(|e| EnrollmentStatus::parse(&e.status) == Some(EnrollmentStatus::Enrolled))
        .map(|e| e.user_id)
        .collect();
    ids.extend(
        qobe_store::academics::offerings::instructors(conn, institution, &[offering.0])
            .await?
            .into_iter()
            .map(|i| i.user_id),
    );
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Whether the person studies in the offering (enrolled now, or completed it).
pub(crate) async fn enrolled(
    app: &App,
    institution: InstitutionId,
    offering: OfferingId,
    user: UserId,
) -> AppResult<bool> {
    let enrollment = qobe_store::registration::find(app.store.conn(), institution, offering, user).await?;
    Ok(enrollment.is_some_and(|e| EnrollmentStatus::in_class(&e.status)))
}

/// One student's completions, by item.
pub(crate) struct Completions(HashMap<i64, ContentCompletion>);

impl Completions {
    pub(crate) fn new(rows: Vec<ContentCompletion>) -> Completions {
        Completions(rows.into_iter().map(|c| (c.item_id, c)).collect())
    }

    pub(crate) fn of(&self, item: &ContentItem) -> bool {
        let found = self.0.get(&item.id);
        completion(item).met(found.is_some_and(|c| c.viewed_at.is_some()), found.is_some_and(|c| c.done_at.is_some()))
    }
}

pub(crate) fn completion(item: &ContentItem) -> Completion {
    Completion::parse(&item.completion).unwrap_or(Completion::View)
}

pub(crate) fn release(item: &ContentItem) -> Release<i64> {
    Release { from: item.available_from, after: item.after_item_id }
}

/// Whether students see the item at all: it and its module are published.
fn offered(item: &ContentItem, modules: &[ContentModule]) -> bool {
    item.published && modules.iter().any(|m| m.id == item.module_id && m.published)
}

/// How an item stands for the one looking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// For staff: whether students see it, and what holds it from them.
    Staff { offered: bool, held: Option<String> },
    /// For a student: released to them, and whether they completed it.
    Open { completed: bool },
}

#[derive(Debug, Clone)]
pub struct ItemView {
    pub item: ContentItem,
    pub kind: ItemKind,
    pub completion: Completion,
    pub standing: Standing,
}

#[derive(Debug, Clone)]
pub struct ModuleView {
    pub module: ContentModule,
    pub items: Vec<ItemView>,
    pub progress: Progress,
}

/// An offering's content as the actor sees it.
pub struct Outline {
    pub offering: OfferingView,
    pub viewer: Viewer,
    pub modules: Vec<ModuleView>,
    /// A student's progress over every published item (released or not yet).
    pub progress: Progress,
    /// Published items not released to the student yet.
    pub held: u32,
}

/// Why an item is held, in words for staff.
fn held_words(held: Held<i64>, items: &[ContentItem], zone: chrono_tz::Tz) -> String {
    match held {
        Held::Until(from) => format!("Released {}", from.with_timezone(&zone).format("%-d %b %Y, %H:%M")),
        Held::After(id) => {
            let title = items.iter().find(|i| i.id == id).map_or("another item", |i| i.title.as_str());
            format!("Released after “{title}” is completed")
        }
    }
}

pub async fn outline(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<Outline> {
    let (view, viewer) = viewer(app, actor, offering).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let modules = rows::modules(conn, institution, offering).await?;
    let items = rows::items(conn, institution, offering).await?;
    let completions = Completions::new(if viewer.is_student() {
        rows::completions_of(conn, institution, offering, actor.user_id).await?
    } else {
        Vec::new()
    });
    let now = app.now();
    let mut progress = Progress::default();
    let mut held = 0;
    let mut out = Vec::new();
    for module in &modules {
        if viewer.is_student() && !module.published {
            continue;
        }
        let mut module_progress = Progress::default();
        let mut shown = Vec::new();
        for item in items.iter().filter(|i| i.module_id == module.id) {
            let released = release(item).check(now, |id| items.iter().any(|i| i.id == id && completions.of(i)));
            let standing = if viewer.is_student() {
                if !item.published {
                    continue;
                }
                let completed = completions.of(item);
                progress.add(completed);
                module_progress.add(completed);
                if released.is_err() {
                    held += 1;
                    continue;
                }
                Standing::Open { completed }
            } else {
                let release_rule = release(item);
                let rule_held = match (release_rule.from, release_rule.after) {
                    (Some(from), _) if from > now => Some(held_words(Held::Until(from), &items, actor.zone())),
                    (_, Some(after)) => Some(held_words(Held::After(after), &items, actor.zone())),
                    _ => None,
                };
                Standing::Staff { offered: offered(item, &modules), held: rule_held }
            };
            shown.push(ItemView {
                kind: ItemKind::parse(&item.kind).unwrap_or(ItemKind::Page),
                completion: completion(item),
                item: item.clone(),
                standing,
            });
        }
        out.push(ModuleView { module: module.clone(), items: shown, progress: module_progress });
    }
    Ok(Outline { offering: view, viewer, modules: out, progress, held })
}

/// An item as its page shows it.
pub struct Opened {
    pub offering: OfferingView,
    pub viewer: Viewer,
    pub item: ContentItem,
    pub kind: ItemKind,
    pub completion: Completion,
    pub completed: bool,
    pub file: Option<crate::files::StoredFile>,
    pub captions: Option<crate::files::StoredFile>,
    /// The items before and after it in the outline the viewer sees.
    pub previous: Option<(i64, String)>,
    pub next: Option<(i64, String)>,
}

/// The item, if the actor may see it: staff any of the offering's, a student only what is
/// published and released to them (anything else is not found, as if it did not exist).
async fn visible(app: &App, actor: &Actor, id: ContentItemId) -> AppResult<(ContentItem, Outline)> {
    let item = rows::item(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    let outline = outline(app, actor, OfferingId(item.offering_id)).await?;
    let shown = outline.modules.iter().flat_map(|m| &m.items).any(|i| i.item.id == item.id);
    if !shown {
        return Err(AppError::NotFound);
    }
    Ok((item, outline))
}

/// The item alone, under the same rule as [`visible`] without building the whole outline: a
/// video's every range request asks this.
async fn reachable(app: &App, actor: &Actor, id: ContentItemId) -> AppResult<ContentItem> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let item = rows::item(conn, institution, id).await?.ok_or(AppError::NotFound)?;
    let (_, viewer) = viewer(app, actor, OfferingId(item.offering_id)).await?;
    if !viewer.is_student() {
        return Ok(item);
    }
    let module = rows::module(conn, institution, qobe_domain::ids::ModuleId(item.module_id)).await?;
    if !item.published || !module.is_some_and(|m| m.published) {
        return Err(AppError::NotFound);
    }
    let gate = match item.after_item_id {
        Some(gate) => rows::item(conn, institution, ContentItemId(gate)).await?,
        None => None,
    };
    let completions = match &gate {
        Some(_) => Completions::new(
            rows::completions_of(conn, institution, OfferingId(item.offering_id), actor.user_id).await?,
        ),
        None => Completions::new(Vec::new()),
    };
    let completed = |id: i64| gate.as_ref().is_some_and(|g| g.id == id && completions.of(g));
    release(&item).check(app.now(), completed).map_err(|_| AppError::NotFound)?;
    Ok(item)
}

/// Opens an item: a student's first opening is recorded (and completes a "view" item).
pub async fn open(app: &App, actor: &Actor, id: ContentItemId) -> AppResult<Opened> {
    let (item, outline) = visible(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut completed = false;
    if outline.viewer.is_student() {
        rows::record_completion(conn, institution, &item, actor.user_id, None, app.now()).await?;
        let mine = Completions::new(
            rows::completions_of(conn, institution, OfferingId(item.offering_id), actor.user_id).await?,
        );
        completed = mine.of(&item);
    }
    let order: Vec<(i64, String)> =
        outline.modules.iter().flat_map(|m| &m.items).map(|i| (i.item.id, i.item.title.clone())).collect();
    let at = order.iter().position(|(i, _)| *i == item.id).unwrap_or(0);
    let file = match item.file_id {
        Some(file) => Some(crate::files::find(app, Some(institution), qobe_domain::ids::FileId(file)).await?),
        None => None,
    };
    let captions = match item.captions_file_id {
        Some(file) => Some(crate::files::find(app, Some(institution), qobe_domain::ids::FileId(file)).await?),
        None => None,
    };
    Ok(Opened {
        offering: outline.offering,
        viewer: outline.viewer,
        kind: ItemKind::parse(&item.kind).unwrap_or(ItemKind::Page),
        completion: completion(&item),
        completed,
        file,
        captions,
        previous: at.checked_sub(1).and_then(|i| order.get(i).cloned()),
        next: order.get(at + 1).cloned(),
        item,
    })
}

/// A student marks an item done (or not done again).
pub async fn mark_done(app: &App, actor: &Actor, id: ContentItemId, done: bool) -> AppResult<ContentItem> {
    let (item, outline) = visible(app, actor, id).await?;
    if !outline.viewer.is_student() {
        return Err(AppError::Refused(vec!["Only the course's students mark items done.".into()]));
    }
    rows::record_completion(app.store.conn(), actor.institution()?, &item, actor.user_id, Some(done), app.now())
        .await?;
    Ok(item)
}

/// Which stored file of an item is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached {
    File,
    Captions,
}

/// A file of an item the actor may see.
pub async fn file(app: &App, actor: &Actor, id: ContentItemId, which: Attached) -> AppResult<crate::files::StoredFile> {
    let item = reachable(app, actor, id).await?;
    let file = match which {
        Attached::File => item.file_id,
        Attached::Captions => item.captions_file_id,
    };
    crate::files::find(app, Some(actor.institution()?), qobe_domain::ids::FileId(file.ok_or(AppError::NotFound)?)).await
}

/// Whether a file of this content type may be shown in the page rather than saved: pictures,
/// audio, video, PDF and captions. Anything that could run script (HTML, SVG, XML) never is.
pub fn shown_inline(content_type: &str) -> bool {
    let kind = content_type.split(';').next().unwrap_or_default().trim();
    matches!(kind, "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "application/pdf" | "text/vtt")
        || kind.starts_with("audio/")
        || kind.starts_with("video/")
}
