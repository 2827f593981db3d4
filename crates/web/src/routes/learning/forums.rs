//! An offering's forum pages: its threads (with the form to start one and to follow the whole
//! forum), a thread with its posts (reply, follow, and for moderators pin, lock and hide with a
//! reason), and an author's edit form within the edit window.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use qobe_app::learning::forums::{
    self, Followed, Forum, HideInput, ModerationInput, Post, PostInput, Thread, ThreadInput, ThreadView,
};
use qobe_domain::discussion::{EDIT_WINDOW, Showing};
use qobe_domain::ids::{OfferingId, PostId, ThreadId};
use serde::Deserialize;

use crate::AppState;
use crate::context::{Page, SignedIn};
use crate::error::HtmlError;
use crate::forms::{FormState, Submitted};
use crate::routes::{done, render, render_with};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/learning/offerings/{id}/forum", get(show_forum).post(start_thread))
        .route("/learning/offerings/{id}/forum/follow", post(follow_forum))
        .route("/learning/threads/{id}", get(show_thread))
        .route("/learning/threads/{id}/posts", post(reply))
        .route("/learning/threads/{id}/moderation", post(moderate))
        .route("/learning/threads/{id}/follow", post(follow_thread))
        .route("/learning/posts/{id}/edit", get(edit_form).post(edit))
        .route("/learning/posts/{id}/hide", post(hide))
        .route("/learning/posts/{id}/show", post(unhide))
}

fn markdown(text: &str) -> String {
    crate::markdown::to_html(text)
}

#[derive(Template)]
#[template(path = "learning/forum.html")]
struct ForumPage {
    page: Page,
    forum: Forum,
    form: FormState,
}

async fn forum_page(
    state: &AppState,
    signed: &SignedIn,
    id: OfferingId,
    form: FormState,
) -> Result<ForumPage, HtmlError> {
    let forum = forums::forum(&state.app, &signed.actor, id).await?;
    let title = format!("Forum · {} {}", forum.offering.course.code, forum.offering.term.code);
    let page = Page::new(&title, &signed.ctx).in_offering_as(&forum.offering, !forum.viewer.is_student(), true);
    Ok(ForumPage { page, forum, form })
}

async fn show_forum(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    Ok(render(&forum_page(&state, &signed, OfferingId(id), FormState::new()).await?))
}

async fn start_thread(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ThreadInput>,
) -> Result<Response, HtmlError> {
    match forums::start(&state.app, &signed.actor, OfferingId(id), &form.input, &signed.ctx.client).await {
        Ok(thread) => Ok(done(&state, &format!("/learning/threads/{}", thread.id), "Thread started; you follow it.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &forum_page(&state, &signed, OfferingId(id), kept).await?))
        }
    }
}

#[derive(Deserialize)]
struct FollowInput {
    #[serde(default)]
    on: bool,
}

async fn follow_forum(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<FollowInput>,
) -> Result<Response, HtmlError> {
    let on = form.input.on;
    forums::follow(&state.app, &signed.actor, Followed::Forum(OfferingId(id)), on).await?;
    let notice = if on {
        "You follow this forum: a daily email brings what is new."
    } else {
        "You no longer follow this forum."
    };
    Ok(done(&state, &format!("/learning/offerings/{id}/forum"), notice))
}

#[derive(Template)]
#[template(path = "learning/thread.html")]
struct ThreadPage {
    page: Page,
    view: ThreadView,
    /// The reply form.
    form: FormState,
    /// A hide form that came back with its error, by post.
    hiding: Option<(i64, FormState)>,
    blank: FormState,
    edit_minutes: i64,
}

impl ThreadPage {
    fn html(&self, text: &str) -> String {
        markdown(text)
    }

    fn shows_text(&self, showing: &Showing) -> bool {
        *showing != Showing::Hidden
    }

    fn hidden(&self, showing: &Showing) -> bool {
        *showing != Showing::Text
    }

    fn hide_form(&self, post: &i64) -> Option<&FormState> {
        self.hiding.as_ref().filter(|(id, _)| id == post).map(|(_, form)| form)
    }
}

async fn thread_page(
    state: &AppState,
    signed: &SignedIn,
    id: ThreadId,
    form: FormState,
    hiding: Option<(i64, FormState)>,
) -> Result<ThreadPage, HtmlError> {
    let view = forums::open(&state.app, &signed.actor, id).await?;
    let title = format!("{} · Forum", view.thread.title);
    let page = Page::new(&title, &signed.ctx).in_offering_as(&view.offering, !view.viewer.is_student(), true);
    Ok(ThreadPage { page, view, form, hiding, blank: FormState::new(), edit_minutes: EDIT_WINDOW.num_minutes() })
}

async fn show_thread(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    Ok(render(&thread_page(&state, &signed, ThreadId(id), FormState::new(), None).await?))
}

async fn reply(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<PostInput>,
) -> Result<Response, HtmlError> {
    match forums::reply(&state.app, &signed.actor, ThreadId(id), &form.input, &signed.ctx.client).await {
        Ok(post) => Ok(done(&state, &format!("/learning/threads/{id}#post-{}", post.id), "Reply posted.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &thread_page(&state, &signed, ThreadId(id), kept, None).await?))
        }
    }
}

async fn moderate(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<ModerationInput>,
) -> Result<Response, HtmlError> {
    let thread: Thread =
        forums::moderate(&state.app, &signed.actor, ThreadId(id), &form.input, &signed.ctx.client).await?;
    let notice = match (thread.pinned, thread.locked) {
        (true, true) => "Thread pinned and locked.",
        (true, false) => "Thread pinned.",
        (false, true) => "Thread locked: only moderators reply.",
        (false, false) => "Thread neither pinned nor locked.",
    };
    Ok(done(&state, &format!("/learning/threads/{id}"), notice))
}

async fn follow_thread(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<FollowInput>,
) -> Result<Response, HtmlError> {
    let on = form.input.on;
    forums::follow(&state.app, &signed.actor, Followed::Thread(ThreadId(id)), on).await?;
    let notice = if on { "You follow this thread." } else { "You no longer follow this thread." };
    Ok(done(&state, &format!("/learning/threads/{id}"), notice))
}

#[derive(Template)]
#[template(path = "learning/post_form.html")]
struct PostForm {
    page: Page,
    post: Post,
    thread: Thread,
    form: FormState,
}

async fn post_form(
    state: &AppState,
    signed: &SignedIn,
    id: PostId,
    form: Option<FormState>,
) -> Result<PostForm, HtmlError> {
    let (post, thread) = forums::editable(&state.app, &signed.actor, id).await?;
    let view = qobe_app::academics::offerings::get(&state.app, &signed.actor, OfferingId(thread.offering_id)).await?;
    let staff = qobe_app::assessment::access_to(&signed.actor, &view).is_some();
    let page = Page::new("Edit post", &signed.ctx).in_offering_as(&view, staff, true);
    let form = form.unwrap_or_else(|| FormState::new().set("body", &post.body));
    Ok(PostForm { page, post, thread, form })
}

async fn edit_form(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, HtmlError> {
    Ok(render(&post_form(&state, &signed, PostId(id), None).await?))
}

async fn edit(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<PostInput>,
) -> Result<Response, HtmlError> {
    match forums::edit(&state.app, &signed.actor, PostId(id), &form.input).await {
        Ok(post) => Ok(done(&state, &format!("/learning/threads/{}#post-{id}", post.thread_id), "Post saved.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let status = kept.status();
            Ok(render_with(status, &post_form(&state, &signed, PostId(id), Some(kept)).await?))
        }
    }
}

async fn hide(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<i64>,
    form: Submitted<HideInput>,
) -> Result<Response, HtmlError> {
    match forums::hide(&state.app, &signed.actor, PostId(id), Some(&form.input), &signed.ctx.client).await {
        Ok(post) => Ok(done(&state, &format!("/learning/threads/{}#post-{id}", post.thread_id), "Post hidden.")),
        Err(err) => {
            let kept = form.typed.absorb(err)?;
            let thread = forums::thread_of_post(&state.app, &signed.actor, PostId(id)).await?;
            let status = kept.status();
            Ok(render_with(status, &thread_page(&state, &signed, thread, FormState::new(), Some((id, kept))).await?))
        }
    }
}

async fn unhide(State(state): State<AppState>, signed: SignedIn, Path(id): Path<i64>) -> Result<Response, HtmlError> {
    let post = forums::hide(&state.app, &signed.actor, PostId(id), None, &signed.ctx.client).await?;
    Ok(done(&state, &format!("/learning/threads/{}#post-{id}", post.thread_id), "Post shown again."))
}
