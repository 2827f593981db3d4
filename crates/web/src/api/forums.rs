//! API v1 for an offering's forum: threads, posts, following and moderation, under the same
//! rules as the pages.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use qobe_app::learning::forums::{
    self, Followed, HideInput, ModerationInput, Post, PostInput, PostView, Thread, ThreadInput, ThreadSummary,
};
use qobe_domain::discussion::Showing;
use qobe_domain::ids::{OfferingId, PostId, ThreadId};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiActor, Created, ErrorOut, created};
use crate::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offerings/{id}/forum", get(forum).post(start_thread))
        .route("/offerings/{id}/forum/subscription", put(follow_forum).delete(unfollow_forum))
        .route("/forum/threads/{id}", get(thread))
        .route("/forum/threads/{id}/posts", post(reply))
        .route("/forum/threads/{id}/moderation", put(moderate))
        .route("/forum/threads/{id}/subscription", put(follow_thread).delete(unfollow_thread))
        .route("/forum/posts/{id}", put(edit_post))
        .route("/forum/posts/{id}/hidden", put(hide_post).delete(show_post))
}

#[derive(Serialize, ToSchema)]
pub struct ThreadOut {
    pub id: i64,
    pub offering_id: i64,
    pub title: String,
    pub author: String,
    pub started_at: DateTime<Utc>,
    pub last_post_at: DateTime<Utc>,
    pub pinned: bool,
    pub locked: bool,
    /// Replies the caller sees.
    pub replies: usize,
    /// Posts by others since the caller last read the thread.
    pub unread: usize,
}

impl ThreadOut {
    fn of(thread: &Thread, author: &str, replies: usize, unread: usize) -> ThreadOut {
        ThreadOut {
            id: thread.id,
            offering_id: thread.offering_id,
            title: thread.title.clone(),
            author: author.to_owned(),
            started_at: thread.started_at,
            last_post_at: thread.last_post_at,
            pinned: thread.pinned,
            locked: thread.locked,
            replies,
            unread,
        }
    }
}

impl From<&ThreadSummary> for ThreadOut {
    fn from(s: &ThreadSummary) -> Self {
        ThreadOut::of(&s.thread, &s.author, s.replies, s.unread)
    }
}

#[derive(Serialize, ToSchema)]
pub struct ForumOut {
    pub threads: Vec<ThreadOut>,
    /// The caller follows the whole forum.
    pub following: bool,
    /// The caller may start threads.
    pub may_post: bool,
}

/// The offering's forum: pinned threads first, then by latest post.
#[utoipa::path(get, path = "/api/v1/offerings/{id}/forum", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = ForumOut)), security(("bearer" = [])))]
pub async fn forum(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ForumOut>, ApiError> {
    let found = forums::forum(&state.app, &actor, OfferingId(id)).await?;
    Ok(Json(ForumOut {
        threads: found.threads.iter().map(ThreadOut::from).collect(),
        following: found.following,
        may_post: found.may_post,
    }))
}

/// Starts a thread with its opening post; the caller follows it.
#[utoipa::path(post, path = "/api/v1/offerings/{id}/forum", tag = "discussion", params(("id" = i64, Path)), request_body = ThreadInput, responses((status = 201, body = ThreadOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn start_thread(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<ThreadInput>,
) -> Created<ThreadOut> {
    let thread = forums::start(&state.app, &actor, OfferingId(id), &input, &ctx.client).await?;
    created(ThreadOut::of(&thread, &actor.name, 0, 0))
}

#[derive(Serialize, ToSchema)]
pub struct PostOut {
    pub id: i64,
    pub thread_id: i64,
    pub author: String,
    /// Markdown; left out of a hidden post for all but its author and the moderators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub posted_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<DateTime<Utc>>,
    pub hidden: bool,
    /// Why a moderator hid it (to its author and the moderators).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
    /// The caller may edit it now.
    pub editable: bool,
}

impl From<&PostView> for PostOut {
    fn from(v: &PostView) -> Self {
        let shown = v.showing != Showing::Hidden;
        PostOut {
            id: v.post.id,
            thread_id: v.post.thread_id,
            author: v.author.clone(),
            body: shown.then(|| v.post.body.clone()),
            posted_at: v.post.posted_at,
            edited_at: v.post.edited_at,
            hidden: v.post.hidden_reason.is_some(),
            hidden_reason: if shown { v.post.hidden_reason.clone() } else { None },
            editable: v.editable,
        }
    }
}

/// A post as its author or a moderator sees it right after changing it.
fn own_post(post: Post, author: &str, editable: bool) -> PostOut {
    PostOut {
        id: post.id,
        thread_id: post.thread_id,
        author: author.to_owned(),
        body: Some(post.body),
        posted_at: post.posted_at,
        edited_at: post.edited_at,
        hidden: post.hidden_reason.is_some(),
        hidden_reason: post.hidden_reason,
        editable,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadDetailOut {
    pub thread: ThreadOut,
    pub posts: Vec<PostOut>,
    pub may_reply: bool,
    pub moderates: bool,
    pub following: bool,
}

/// A thread with its posts, oldest first; read from now on.
#[utoipa::path(get, path = "/api/v1/forum/threads/{id}", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = ThreadDetailOut)), security(("bearer" = [])))]
pub async fn thread(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ThreadDetailOut>, ApiError> {
    let view = forums::open(&state.app, &actor, ThreadId(id)).await?;
    let author = view.posts.first().map(|p| p.author.clone()).unwrap_or_default();
    let replies = view.posts.iter().filter(|p| p.showing != Showing::Hidden).count().saturating_sub(1);
    Ok(Json(ThreadDetailOut {
        thread: ThreadOut::of(&view.thread, &author, replies, 0),
        posts: view.posts.iter().map(PostOut::from).collect(),
        may_reply: view.may_reply,
        moderates: view.moderates,
        following: view.following || view.following_forum,
    }))
}

/// Replies in a thread (a locked one takes moderators' replies only: 409).
#[utoipa::path(post, path = "/api/v1/forum/threads/{id}/posts", tag = "discussion", params(("id" = i64, Path)), request_body = PostInput, responses((status = 201, body = PostOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn reply(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<PostInput>,
) -> Created<PostOut> {
    let post = forums::reply(&state.app, &actor, ThreadId(id), &input, &ctx.client).await?;
    created(own_post(post, &actor.name, true))
}

/// Pins or locks a thread (its moderators).
#[utoipa::path(put, path = "/api/v1/forum/threads/{id}/moderation", tag = "discussion", params(("id" = i64, Path)), request_body = ModerationInput, responses((status = 200, body = ThreadOut)), security(("bearer" = [])))]
pub async fn moderate(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<ModerationInput>,
) -> Result<Json<ThreadOut>, ApiError> {
    let thread = forums::moderate(&state.app, &actor, ThreadId(id), &input, &ctx.client).await?;
    Ok(Json(ThreadOut::of(&thread, "", 0, 0)))
}

/// Edits the caller's own post within the edit window (409 after it).
#[utoipa::path(put, path = "/api/v1/forum/posts/{id}", tag = "discussion", params(("id" = i64, Path)), request_body = PostInput, responses((status = 200, body = PostOut), (status = 409, body = ErrorOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn edit_post(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<PostInput>,
) -> Result<Json<PostOut>, ApiError> {
    let post = forums::edit(&state.app, &actor, PostId(id), &input).await?;
    Ok(Json(own_post(post, &actor.name, true)))
}

/// Hides a post with a reason (the forum's moderators; audited).
#[utoipa::path(put, path = "/api/v1/forum/posts/{id}/hidden", tag = "discussion", params(("id" = i64, Path)), request_body = HideInput, responses((status = 200, body = PostOut), (status = 422, body = ErrorOut)), security(("bearer" = [])))]
pub async fn hide_post(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
    Json(input): Json<HideInput>,
) -> Result<Json<PostOut>, ApiError> {
    let post = forums::hide(&state.app, &actor, PostId(id), Some(&input), &ctx.client).await?;
    Ok(Json(own_post(post, "", false)))
}

/// Shows a hidden post again (the forum's moderators; audited).
#[utoipa::path(delete, path = "/api/v1/forum/posts/{id}/hidden", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = PostOut)), security(("bearer" = [])))]
pub async fn show_post(
    State(state): State<AppState>,
    ApiActor(actor, ctx): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<PostOut>, ApiError> {
    let post = forums::hide(&state.app, &actor, PostId(id), None, &ctx.client).await?;
    Ok(Json(own_post(post, "", false)))
}

#[derive(Serialize, ToSchema)]
pub struct FollowingOut {
    pub following: bool,
}

async fn set_following(
    state: &AppState,
    actor: &qobe_app::Actor,
    what: Followed,
    on: bool,
) -> Result<Json<FollowingOut>, ApiError> {
    forums::follow(&state.app, actor, what, on).await?;
    Ok(Json(FollowingOut { following: on }))
}

/// Follows the whole forum: a daily email of what is new.
#[utoipa::path(put, path = "/api/v1/offerings/{id}/forum/subscription", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = FollowingOut)), security(("bearer" = [])))]
pub async fn follow_forum(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<FollowingOut>, ApiError> {
    set_following(&state, &actor, Followed::Forum(OfferingId(id)), true).await
}

/// Stops following the whole forum.
#[utoipa::path(delete, path = "/api/v1/offerings/{id}/forum/subscription", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = FollowingOut)), security(("bearer" = [])))]
pub async fn unfollow_forum(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<FollowingOut>, ApiError> {
    set_following(&state, &actor, Followed::Forum(OfferingId(id)), false).await
}

/// Follows a thread.
#[utoipa::path(put, path = "/api/v1/forum/threads/{id}/subscription", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = FollowingOut)), security(("bearer" = [])))]
pub async fn follow_thread(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<FollowingOut>, ApiError> {
    set_following(&state, &actor, Followed::Thread(ThreadId(id)), true).await
}

/// Stops following a thread.
#[utoipa::path(delete, path = "/api/v1/forum/threads/{id}/subscription", tag = "discussion", params(("id" = i64, Path)), responses((status = 200, body = FollowingOut)), security(("bearer" = [])))]
pub async fn unfollow_thread(
    State(state): State<AppState>,
    ApiActor(actor, _): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<FollowingOut>, ApiError> {
    set_following(&state, &actor, Followed::Thread(ThreadId(id)), false).await
}
