//! An offering's discussion forum: its students and the staff who edit it start threads and
//! reply; those staff moderate (pin, lock, hide a post with a reason, each audited); an author
//! edits their own post for [`EDIT_WINDOW`] after posting. People follow a thread (posting in
//! it follows it) or the whole forum, and get what is new once a day in one email.

use std::collections::{BTreeMap, HashMap, HashSet};

use qobe_domain::discussion::{self, EDIT_WINDOW, Showing};
use qobe_domain::ids::{InstitutionId, OfferingId, PostId, ThreadId, UserId};
use qobe_domain::validation::required_text;
use qobe_store::forums as rows;
/// A thread and a post as stored (they hold nothing secret).
pub use qobe_store::forums::{Post, Thread};
use serde::Deserialize;

use super::{Viewer, viewer};
use crate::academics::offerings::OfferingView;
use crate::jobs::Running;
use crate::{Actor, App, AppError, AppResult, ClientInfo, audit, mail};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadInput {
    #[schema(max_length = 200)]
    pub title: String,
    /// Markdown.
    #[schema(max_length = 20000)]
    pub body: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostInput {
    /// Markdown.
    #[schema(max_length = 20000)]
    pub body: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideInput {
    /// Shown to the post's author and the moderators.
    #[schema(max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationInput {
    /// Both are required in JSON (so a body that is not this object is refused); a form's
    /// unticked checkbox reads as false.
    pub pinned: bool,
    /// Locked: only moderators reply.
    pub locked: bool,
}

/// Who may do what in the forum.
fn moderates(viewer: Viewer) -> bool {
    viewer.edits()
}

fn posts_in(viewer: Viewer) -> bool {
    viewer.is_student() || viewer.edits()
}

fn body_of(input: &PostInput) -> AppResult<String> {
    let mut errors = qobe_domain::FieldErrors::new();
    match errors.check("body", required_text(&input.body, 20_000)) {
        Some(body) if errors.is_empty() => Ok(body),
        _ => Err(errors.into()),
    }
}

/// A thread as the list shows it.
#[derive(Debug, Clone)]
pub struct ThreadSummary {
    pub thread: Thread,
    pub author: String,
    /// Replies the viewer sees (the opening post not counted).
    pub replies: usize,
    /// Posts by others since the viewer last read the thread (all of them if never).
    pub unread: usize,
}

pub struct Forum {
    pub offering: OfferingView,
    pub viewer: Viewer,
    pub threads: Vec<ThreadSummary>,
    pub may_post: bool,
    /// The viewer follows the whole forum.
    pub following: bool,
}

async fn names(app: &App, institution: InstitutionId, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    let people = qobe_store::accounts::people(app.store.conn(), institution, &ids).await?;
    Ok(people.into_iter().map(|p| (p.id, p.name)).collect())
}

/// The offering's forum: its threads, pinned first, then by latest post.
pub async fn forum(app: &App, actor: &Actor, offering: OfferingId) -> AppResult<Forum> {
    let (view, viewer) = viewer(app, actor, offering).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let threads = rows::threads(conn, institution, offering).await?;
    let ids: Vec<i64> = threads.iter().map(|t| t.id).collect();
    let stamps = rows::post_stamps(conn, institution, &ids).await?;
    let read: HashMap<i64, i64> = rows::read_up_to(conn, institution, actor.user_id, &ids).await?.into_iter().collect();
    let names = names(app, institution, threads.iter().map(|t| t.started_by).collect()).await?;
    let sees_hidden = moderates(viewer);
    let summaries = threads
        .into_iter()
        .map(|thread| {
            let own = stamps.iter().filter(|(t, ..)| *t == thread.id);
            let visible: Vec<_> = own.filter(|(.., hidden)| sees_hidden || !hidden).collect();
            let last_read = read.get(&thread.id);
            let unread = visible
                .iter()
                .filter(|(_, post, author, _)| *author != actor.user_id.0 && last_read.is_none_or(|r| post > r))
                .count();
            ThreadSummary {
                author: names.get(&thread.started_by).cloned().unwrap_or_default(),
                replies: visible.len().saturating_sub(1),
                unread,
                thread,
            }
        })
        .collect();
    let following =
        rows::subscriptions(conn, institution, actor.user_id, offering).await?.iter().any(|s| s.thread_id.is_none());
    Ok(Forum { offering: view, viewer, threads: summaries, may_post: posts_in(viewer), following })
}

/// Starts a thread with its opening post; its author follows it.
pub async fn start(
    app: &App,
    actor: &Actor,
    offering: OfferingId,
    input: &ThreadInput,
    client: &ClientInfo,
) -> AppResult<Thread> {
    let (_, viewer) = viewer(app, actor, offering).await?;
    if !posts_in(viewer) {
        return Err(AppError::Forbidden);
    }
    let institution = actor.institution()?;
    let mut errors = qobe_domain::FieldErrors::new();
    let title = errors.check("title", required_text(&input.title, 200));
    let body = errors.check("body", required_text(&input.body, 20_000));
    let (Some(title), Some(body)) = (title, body) else { return Err(errors.into()) };
    let now = app.now();
    let tx = app.store.begin().await?;
    let thread = rows::insert_thread(&tx, institution, offering, &title, actor.user_id, now).await?;
    let opening = rows::insert_post(&tx, institution, ThreadId(thread.id), actor.user_id, &body, now).await?;
    rows::mark_read(&tx, institution, ThreadId(thread.id), actor.user_id, opening.id, now).await?;
    rows::subscribe(&tx, institution, actor.user_id, offering, Some(ThreadId(thread.id))).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "forum.thread_started").target(&title)).await?;
    qobe_store::commit(tx).await?;
    Ok(thread)
}

/// A post as the thread shows it to the one looking.
#[derive(Debug, Clone)]
pub struct PostView {
    pub post: Post,
    pub author: String,
    pub showing: Showing,
    /// The viewer may edit it now.
    pub editable: bool,
    /// Posted by someone else since the viewer last read the thread.
    pub new: bool,
}

pub struct ThreadView {
    pub offering: OfferingView,
    pub viewer: Viewer,
    pub thread: Thread,
    pub posts: Vec<PostView>,
    pub may_reply: bool,
    pub moderates: bool,
    /// The viewer follows this thread; `following_forum`: the whole forum.
    pub following: bool,
    pub following_forum: bool,
}

/// The thread and how the actor sees it, or not found (another institution's, or an offering
/// they are not in: forbidden).
async fn thread_of(app: &App, actor: &Actor, id: ThreadId) -> AppResult<(Thread, OfferingView, Viewer)> {
    let found = rows::thread(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    let (view, viewer) = viewer(app, actor, OfferingId(found.offering_id)).await?;
    Ok((found, view, viewer))
}

/// Opens a thread, recording that the actor has read it.
pub async fn open(app: &App, actor: &Actor, id: ThreadId) -> AppResult<ThreadView> {
    let (thread, view, viewer) = thread_of(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let now = app.now();
    let moderator = moderates(viewer);
    let last_read = rows::read_up_to(conn, institution, actor.user_id, &[thread.id]).await?.first().map(|r| r.1);
    let list = rows::posts(conn, institution, id).await?;
    let mut authors: Vec<i64> = list.iter().map(|p| p.posted_by).collect();
    authors.sort_unstable();
    authors.dedup();
    let names = names(app, institution, authors).await?;
    let posts = list
        .into_iter()
        .map(|post| {
            let mine = post.posted_by == actor.user_id.0;
            PostView {
                author: names.get(&post.posted_by).cloned().unwrap_or_default(),
                showing: discussion::showing(post.hidden_reason.is_some(), mine, moderator),
                editable: discussion::may_edit(mine, moderator, post.posted_at, now),
                new: !mine && last_read.is_none_or(|r| post.id > r),
                post,
            }
        })
        .collect();
    rows::mark_read(conn, institution, id, actor.user_id, thread.last_post_id, now).await?;
    let follows = rows::subscriptions(conn, institution, actor.user_id, OfferingId(thread.offering_id)).await?;
    Ok(ThreadView {
        may_reply: posts_in(viewer) && discussion::may_reply(thread.locked, moderator),
        moderates: moderator,
        following: follows.iter().any(|s| s.thread_id == Some(thread.id)),
        following_forum: follows.iter().any(|s| s.thread_id.is_none()),
        offering: view,
        viewer,
        thread,
        posts,
    })
}

/// Replies in a thread (not in a locked one, but for moderators); the author follows it.
pub async fn reply(app: &App, actor: &Actor, id: ThreadId, input: &PostInput, client: &ClientInfo) -> AppResult<Post> {
    let (thread, _, viewer) = thread_of(app, actor, id).await?;
    if !posts_in(viewer) {
        return Err(AppError::Forbidden);
    }
    if !discussion::may_reply(thread.locked, moderates(viewer)) {
        return Err(AppError::Refused(vec!["This thread is locked: only its moderators reply.".into()]));
    }
    let body = body_of(input)?;
    let institution = actor.institution()?;
    let now = app.now();
    let tx = app.store.begin().await?;
    let post = rows::insert_post(&tx, institution, id, actor.user_id, &body, now).await?;
    rows::mark_read(&tx, institution, id, actor.user_id, post.id, now).await?;
    rows::subscribe(&tx, institution, actor.user_id, OfferingId(thread.offering_id), Some(id)).await?;
    audit::record(&tx, app, client, audit::Entry::by(actor, "forum.replied").target(&thread.title)).await?;
    qobe_store::commit(tx).await?;
    Ok(post)
}

/// The post and its thread, when the actor may see them.
async fn post_of(app: &App, actor: &Actor, id: PostId) -> AppResult<(Post, Thread, Viewer)> {
    let post = rows::post(app.store.conn(), actor.institution()?, id).await?.ok_or(AppError::NotFound)?;
    let (thread, _, viewer) = thread_of(app, actor, ThreadId(post.thread_id)).await?;
    Ok((post, thread, viewer))
}

/// The thread a post is in, when the actor may see it.
pub async fn thread_of_post(app: &App, actor: &Actor, id: PostId) -> AppResult<ThreadId> {
    Ok(ThreadId(post_of(app, actor, id).await?.1.id))
}

/// A post for its author's edit form, when they may still edit it.
pub async fn editable(app: &App, actor: &Actor, id: PostId) -> AppResult<(Post, Thread)> {
    let (post, thread, viewer) = post_of(app, actor, id).await?;
    if post.posted_by != actor.user_id.0 {
        return Err(AppError::Forbidden);
    }
    if !discussion::may_edit(true, moderates(viewer), post.posted_at, app.now()) {
        let minutes = EDIT_WINDOW.num_minutes();
        return Err(AppError::Refused(vec![format!("A post can be edited for {minutes} minutes after it is posted.")]));
    }
    Ok((post, thread))
}

/// The author edits their post within the edit window (moderators their own at any time).
pub async fn edit(app: &App, actor: &Actor, id: PostId, input: &PostInput) -> AppResult<Post> {
    let (post, _) = editable(app, actor, id).await?;
    let body = body_of(input)?;
    rows::edit_post(app.store.conn(), actor.institution()?, id, &body, app.now()).await?;
    Ok(Post { body, edited_at: Some(app.now()), ..post })
}

/// A moderator hides a post with a reason (`Some`), or shows it again; audited either way.
pub async fn hide(
    app: &App,
    actor: &Actor,
    id: PostId,
    reason: Option<&HideInput>,
    client: &ClientInfo,
) -> AppResult<Post> {
    let (post, thread, viewer) = post_of(app, actor, id).await?;
    if !moderates(viewer) {
        return Err(AppError::Forbidden);
    }
    let reason = match reason {
        Some(input) => {
            let mut errors = qobe_domain::FieldErrors::new();
            match errors.check("reason", required_text(&input.reason, 500)) {
                Some(reason) if errors.is_empty() => Some(reason),
                _ => return Err(errors.into()),
            }
        }
        None => None,
    };
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    rows::set_hidden(&tx, institution, id, reason.as_deref().map(|r| (r, actor.user_id)), app.now()).await?;
    let action = if reason.is_some() { "forum.post_hidden" } else { "forum.post_shown" };
    let details = serde_json::json!({"post": id.0, "thread": thread.id, "author": post.posted_by, "reason": reason});
    audit::record(&tx, app, client, audit::Entry::by(actor, action).target(&thread.title).details(details)).await?;
    qobe_store::commit(tx).await?;
    let hidden_at = reason.is_some().then(|| app.now());
    Ok(Post { hidden_by: reason.is_some().then_some(actor.user_id.0), hidden_reason: reason, hidden_at, ..post })
}

/// A moderator pins or locks a thread (or undoes either); audited.
pub async fn moderate(
    app: &App,
    actor: &Actor,
    id: ThreadId,
    input: &ModerationInput,
    client: &ClientInfo,
) -> AppResult<Thread> {
    let (thread, _, viewer) = thread_of(app, actor, id).await?;
    if !moderates(viewer) {
        return Err(AppError::Forbidden);
    }
    let tx = app.store.begin().await?;
    rows::set_flags(&tx, actor.institution()?, id, input.pinned, input.locked).await?;
    let details = serde_json::json!({"thread": thread.id, "pinned": input.pinned, "locked": input.locked});
    audit::record(&tx, app, client, audit::Entry::by(actor, "forum.moderated").target(&thread.title).details(details))
        .await?;
    qobe_store::commit(tx).await?;
    Ok(Thread { pinned: input.pinned, locked: input.locked, ..thread })
}

/// What to follow: a thread, or an offering's whole forum.
#[derive(Debug, Clone, Copy)]
pub enum Followed {
    Thread(ThreadId),
    Forum(OfferingId),
}

/// Follows (`on`) or stops following; returns the offering the forum belongs to.
pub async fn follow(app: &App, actor: &Actor, what: Followed, on: bool) -> AppResult<OfferingId> {
    let (offering, thread) = match what {
        Followed::Thread(id) => (OfferingId(thread_of(app, actor, id).await?.0.offering_id), Some(id)),
        Followed::Forum(offering) => {
            viewer(app, actor, offering).await?;
            (offering, None)
        }
    };
    let institution = actor.institution()?;
    let conn = app.store.conn();
    if on {
        rows::subscribe(conn, institution, actor.user_id, offering, thread).await?;
    } else {
        rows::unsubscribe(conn, institution, actor.user_id, offering, thread).await?;
    }
    Ok(offering)
}

/// Whether the person is still in the offering: in its class, or teaching it.
async fn still_in(app: &App, institution: InstitutionId, offering: OfferingId, user: UserId) -> AppResult<bool> {
    if super::enrolled(app, institution, offering, user).await? {
        return Ok(true);
    }
    let teaching = qobe_store::academics::offerings::instructors(app.store.conn(), institution, &[offering.0]).await?;
    Ok(teaching.iter().any(|t| t.user_id == user.0))
}

/// The daily digest: to each follower, one email per institution with the posts by others
/// since their last digest in what they follow (still in the class, and active).
pub(crate) async fn digest(app: &App, job: &Running) -> AppResult<()> {
    let conn = app.store.conn();
    let due = rows::due_subscriptions(conn).await?;
    let mut by_person: BTreeMap<(i64, i64), Vec<rows::Subscription>> = BTreeMap::new();
    for subscription in due {
        by_person.entry((subscription.institution_id, subscription.user_id)).or_default().push(subscription);
    }
    let total = by_person.len().max(1);
    let until = rows::latest_post_id(conn).await?;
    for (done, ((institution, user), subscriptions)) in by_person.into_iter().enumerate() {
        let institution = InstitutionId(institution);
        let user = UserId(user);
        let Some((_, email, _)) =
            qobe_store::announcements::recipients(conn, institution, Some(&[user.0])).await?.pop()
        else {
            continue;
        };
        let mut seen = HashSet::new();
        let mut sections = Vec::new();
        for subscription in &subscriptions {
            let offering = OfferingId(subscription.offering_id);
            if !still_in(app, institution, offering, user).await? {
                continue;
            }
            let thread = subscription.thread_id.map(ThreadId);
            let span = (subscription.after_post_id, until);
            let posts = rows::posts_between(conn, institution, offering, thread, span, user).await?;
            let fresh: Vec<Post> = posts.into_iter().filter(|p| seen.insert(p.id)).collect();
            if !fresh.is_empty() {
                sections.push(section(app, institution, offering, &fresh).await?);
            }
        }
        let tx = app.store.begin().await?;
        if !sections.is_empty() {
            let body = format!(
                "New in the forums you follow:\n\n{}\nYou get this because you follow these discussions; stop following on the forum's page.",
                sections.concat()
            );
            let message = mail::Email { to: email, subject: "Forum digest".into(), body };
            mail::queue(&tx, app, Some(institution), message).await?;
        }
        let ids: Vec<i64> = subscriptions.iter().map(|s| s.id).collect();
        rows::advance(&tx, &ids, until).await?;
        qobe_store::commit(tx).await?;
        job.progress(((done + 1) * 100 / total) as i64, "Emailing forum digests").await?;
    }
    Ok(())
}

/// One course's part of a digest: each thread with its new posts' authors and first lines.
async fn section(app: &App, institution: InstitutionId, offering: OfferingId, posts: &[Post]) -> AppResult<String> {
    let conn = app.store.conn();
    let row = qobe_store::academics::offerings::get(conn, institution, offering).await?.ok_or(AppError::NotFound)?;
    let course = qobe_store::academics::courses::get(conn, institution, qobe_domain::ids::CourseId(row.course_id))
        .await?
        .map(|c| format!("{} {}", c.code, c.title))
        .unwrap_or_default();
    let names = names(app, institution, posts.iter().map(|p| p.posted_by).collect()).await?;
    let mut by_thread: BTreeMap<i64, Vec<&Post>> = BTreeMap::new();
    for post in posts {
        by_thread.entry(post.thread_id).or_default().push(post);
    }
    let mut text = format!("{course}\n");
    for (thread, posts) in by_thread {
        let title = rows::thread(conn, institution, ThreadId(thread)).await?.map(|t| t.title).unwrap_or_default();
        text.push_str(&format!("\n  {title} ({} new)\n", posts.len()));
        for post in posts {
            let first: String = post.body.lines().next().unwrap_or_default().chars().take(160).collect();
            let name = names.get(&post.posted_by).map_or("Someone", String::as_str);
            text.push_str(&format!("    {name}: {first}\n"));
        }
        text.push_str(&format!("  {}/learning/threads/{thread}\n", app.config.public_url));
    }
    text.push('\n');
    Ok(text)
}
