//! Discussion forums: an offering's threads and their posts, who read each thread up to when,
//! and who follows a thread or a whole forum for email digests.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, OfferingId, PostId, ThreadId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{forum_post, forum_read, forum_subscription, forum_thread};
use crate::{Conn, StoreError};

pub use forum_post::Model as Post;
pub use forum_subscription::Model as Subscription;
pub use forum_thread::Model as Thread;

pub async fn insert_thread(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    title: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<Thread, StoreError> {
    let row = forum_thread::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        title: Set(title.to_owned()),
        started_by: Set(by.0),
        started_at: Set(now),
        last_post_at: Set(now),
        last_post_id: Set(0),
        pinned: Set(false),
        locked: Set(false),
        ..Default::default()
    };
    Ok(forum_thread::Entity::insert(row).exec_with_returning(conn).await?)
}

/// Adds a post to the thread, which moves to the top of the list.
pub async fn insert_post(
    conn: &impl Conn,
    institution: InstitutionId,
    thread: ThreadId,
    author: UserId,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Post, StoreError> {
    let row = forum_post::ActiveModel {
        institution_id: Set(institution.0),
        thread_id: Set(thread.0),
        posted_by: Set(author.0),
        body: Set(body.to_owned()),
        posted_at: Set(now),
        ..Default::default()
    };
    let post = forum_post::Entity::insert(row).exec_with_returning(conn).await?;
    forum_thread::Entity::update_many()
        .col_expr(forum_thread::Column::LastPostAt, Expr::value(now))
        .col_expr(forum_thread::Column::LastPostId, Expr::value(post.id))
        .filter(forum_thread::Column::InstitutionId.eq(institution.0))
        .filter(forum_thread::Column::Id.eq(thread.0))
        .exec(conn)
        .await?;
    Ok(post)
}

/// The offering's threads: pinned first, then the latest activity first.
pub async fn threads(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
) -> Result<Vec<Thread>, StoreError> {
    use forum_thread::Column as C;
    Ok(forum_thread::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::OfferingId.eq(offering.0))
        .order_by_desc(C::Pinned)
        .order_by_desc(C::LastPostAt)
        .order_by_desc(C::Id)
        .all(conn)
        .await?)
}

pub async fn thread(conn: &impl Conn, institution: InstitutionId, id: ThreadId) -> Result<Option<Thread>, StoreError> {
    use forum_thread::Column as C;
    Ok(forum_thread::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub async fn set_flags(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ThreadId,
    pinned: bool,
    locked: bool,
) -> Result<(), StoreError> {
    use forum_thread::Column as C;
    forum_thread::Entity::update_many()
        .col_expr(C::Pinned, Expr::value(pinned))
        .col_expr(C::Locked, Expr::value(locked))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// The thread's posts, oldest first (the first opens the thread).
pub async fn posts(conn: &impl Conn, institution: InstitutionId, thread: ThreadId) -> Result<Vec<Post>, StoreError> {
    use forum_post::Column as C;
    Ok(forum_post::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::ThreadId.eq(thread.0))
        .order_by_asc(C::PostedAt)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

pub async fn post(conn: &impl Conn, institution: InstitutionId, id: PostId) -> Result<Option<Post>, StoreError> {
    use forum_post::Column as C;
    Ok(forum_post::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

pub async fn edit_post(
    conn: &impl Conn,
    institution: InstitutionId,
    id: PostId,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use forum_post::Column as C;
    forum_post::Entity::update_many()
        .col_expr(C::Body, Expr::value(body))
        .col_expr(C::EditedAt, Expr::value(Some(now)))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// Hides a post with the moderator's reason (`Some`), or shows it again (`None`).
pub async fn set_hidden(
    conn: &impl Conn,
    institution: InstitutionId,
    id: PostId,
    hidden: Option<(&str, UserId)>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use forum_post::Column as C;
    forum_post::Entity::update_many()
        .col_expr(C::HiddenReason, Expr::value(hidden.map(|(reason, _)| reason.to_owned())))
        .col_expr(C::HiddenBy, Expr::value(hidden.map(|(_, by)| by.0)))
        .col_expr(C::HiddenAt, Expr::value(hidden.map(|_| now)))
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::Id.eq(id.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// (thread, post, author, hidden) of every post of these threads, for counting.
pub async fn post_stamps(
    conn: &impl Conn,
    institution: InstitutionId,
    threads: &[i64],
) -> Result<Vec<(i64, i64, i64, bool)>, StoreError> {
    use forum_post::Column as C;
    if threads.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, i64, Option<String>)> = forum_post::Entity::find()
        .select_only()
        .columns([C::ThreadId, C::Id, C::PostedBy, C::HiddenReason])
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::ThreadId.is_in(threads.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|(thread, id, author, hidden)| (thread, id, author, hidden.is_some())).collect())
}

/// The newest post of each of these threads when the person last read it.
pub async fn read_up_to(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    threads: &[i64],
) -> Result<Vec<(i64, i64)>, StoreError> {
    use forum_read::Column as C;
    if threads.is_empty() {
        return Ok(Vec::new());
    }
    Ok(forum_read::Entity::find()
        .select_only()
        .columns([C::ThreadId, C::LastPostId])
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::UserId.eq(user.0))
        .filter(C::ThreadId.is_in(threads.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Records that the person has read the thread up to its post `up_to`.
pub async fn mark_read(
    conn: &impl Conn,
    institution: InstitutionId,
    thread: ThreadId,
    user: UserId,
    up_to: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use forum_read::Column as C;
    let row = forum_read::ActiveModel {
        institution_id: Set(institution.0),
        thread_id: Set(thread.0),
        user_id: Set(user.0),
        last_post_id: Set(up_to),
        read_at: Set(now),
        ..Default::default()
    };
    forum_read::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([C::ThreadId, C::UserId]).update_columns([C::LastPostId, C::ReadAt]).to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The person's subscriptions in the offering's forum (the whole forum's has no thread).
pub async fn subscriptions(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    offering: OfferingId,
) -> Result<Vec<Subscription>, StoreError> {
    use forum_subscription::Column as C;
    Ok(forum_subscription::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::UserId.eq(user.0))
        .filter(C::OfferingId.eq(offering.0))
        .all(conn)
        .await?)
}

/// The newest post's id of every institution (ids only grow: a greater one is newer).
pub async fn latest_post_id(conn: &impl Conn) -> Result<i64, StoreError> {
    let newest: Option<i64> = forum_post::Entity::find()
        .select_only()
        .column(forum_post::Column::Id)
        .order_by_desc(forum_post::Column::Id)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(newest.unwrap_or(0))
}

/// Follows the thread (`Some`) or the whole forum from now on; following again changes nothing.
pub async fn subscribe(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    offering: OfferingId,
    thread: Option<ThreadId>,
) -> Result<(), StoreError> {
    let existing = subscriptions(conn, institution, user, offering).await?;
    if existing.iter().any(|s| s.thread_id == thread.map(|t| t.0)) {
        return Ok(());
    }
    let row = forum_subscription::ActiveModel {
        institution_id: Set(institution.0),
        offering_id: Set(offering.0),
        thread_id: Set(thread.map(|t| t.0)),
        user_id: Set(user.0),
        after_post_id: Set(latest_post_id(conn).await?),
        ..Default::default()
    };
    forum_subscription::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

pub async fn unsubscribe(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    offering: OfferingId,
    thread: Option<ThreadId>,
) -> Result<(), StoreError> {
    use forum_subscription::Column as C;
    let which = match thread {
        Some(thread) => C::ThreadId.eq(thread.0),
        None => C::ThreadId.is_null(),
    };
    forum_subscription::Entity::delete_many()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::UserId.eq(user.0))
        .filter(C::OfferingId.eq(offering.0))
        .filter(which)
        .exec(conn)
        .await?;
    Ok(())
}

/// Every subscription of every institution with posts newer than it has sent (for the
/// digest), by institution and person.
pub async fn due_subscriptions(conn: &impl Conn) -> Result<Vec<Subscription>, StoreError> {
    use forum_subscription::Column as C;
    Ok(forum_subscription::Entity::find()
        .filter(Expr::exists(
            sea_orm::sea_query::Query::select()
                .expr(Expr::val(1))
                .from(forum_thread::Entity)
                .and_where(
                    Expr::col((forum_thread::Entity, forum_thread::Column::OfferingId))
                        .equals((forum_subscription::Entity, C::OfferingId)),
                )
                .and_where(
                    Expr::col((forum_thread::Entity, forum_thread::Column::LastPostId))
                        .gt(Expr::col((forum_subscription::Entity, C::AfterPostId))),
                )
                .to_owned(),
        ))
        .order_by_asc(C::InstitutionId)
        .order_by_asc(C::UserId)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

/// Visible posts of the offering's forum (of one thread when given) with ids in `after..=until`,
/// by someone else than `reader`, oldest first.
pub async fn posts_between(
    conn: &impl Conn,
    institution: InstitutionId,
    offering: OfferingId,
    thread: Option<ThreadId>,
    (after, until): (i64, i64),
    reader: UserId,
) -> Result<Vec<Post>, StoreError> {
    use forum_post::Column as C;
    let threads: Vec<i64> = match thread {
        Some(thread) => vec![thread.0],
        None => threads(conn, institution, offering).await?.into_iter().map(|t| t.id).collect(),
    };
    if threads.is_empty() {
        return Ok(Vec::new());
    }
    Ok(forum_post::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::ThreadId.is_in(threads))
        .filter(C::Id.gt(after))
        .filter(C::Id.lte(until))
        .filter(C::PostedBy.ne(reader.0))
        .filter(C::HiddenReason.is_null())
        .order_by_asc(C::PostedAt)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

/// Records that the subscriptions have sent every post up to `until`.
pub async fn advance(conn: &impl Conn, subscriptions: &[i64], until: i64) -> Result<(), StoreError> {
    use forum_subscription::Column as C;
    if subscriptions.is_empty() {
        return Ok(());
    }
    forum_subscription::Entity::update_many()
        .col_expr(C::AfterPostId, Expr::value(until))
        .filter(C::Id.is_in(subscriptions.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}
