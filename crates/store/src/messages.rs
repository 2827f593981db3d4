//! Messages: conversations between people of one institution, who is in each, and whether a
//! message came since each member last read it.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{ConversationId, InstitutionId, OfferingId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{conversation, conversation_member, message};
use crate::{Conn, StoreError};

pub use conversation::Model as Conversation;
pub use conversation_member::Model as Member;
pub use message::Model as Message;

pub struct NewConversation<'a> {
    pub subject: &'a str,
    pub offering: Option<OfferingId>,
    pub by: UserId,
    /// Everyone in it, the one who starts it too.
    pub members: &'a [i64],
}

/// Starts a conversation with its members (each but the starter with it unread, once its first
/// message is added).
pub async fn start(
    conn: &impl Conn,
    institution: InstitutionId,
    new: NewConversation<'_>,
    now: DateTime<Utc>,
) -> Result<Conversation, StoreError> {
    let row = conversation::ActiveModel {
        institution_id: Set(institution.0),
        subject: Set(new.subject.to_owned()),
        offering_id: Set(new.offering.map(|o| o.0)),
        started_by: Set(new.by.0),
        started_at: Set(now),
        last_message_at: Set(now),
        ..Default::default()
    };
    let made = conversation::Entity::insert(row).exec_with_returning(conn).await?;
    let rows: Vec<conversation_member::ActiveModel> = new
        .members
        .iter()
        .map(|user| conversation_member::ActiveModel {
            institution_id: Set(institution.0),
            conversation_id: Set(made.id),
            user_id: Set(*user),
            read_up_to: Set(None),
            unread: Set(false),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        conversation_member::Entity::insert_many(chunk.to_vec()).exec_without_returning(conn).await?;
    }
    Ok(made)
}

/// Adds a message: unread for every other member, read for its sender.
pub async fn add(
    conn: &impl Conn,
    institution: InstitutionId,
    conversation: ConversationId,
    sender: UserId,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Message, StoreError> {
    use conversation_member::Column as M;
    let row = message::ActiveModel {
        institution_id: Set(institution.0),
        conversation_id: Set(conversation.0),
        sent_by: Set(sender.0),
        body: Set(body.to_owned()),
        sent_at: Set(now),
        ..Default::default()
    };
    let sent = message::Entity::insert(row).exec_with_returning(conn).await?;
    conversation::Entity::update_many()
        .col_expr(conversation::Column::LastMessageAt, Expr::value(now))
        .filter(conversation::Column::InstitutionId.eq(institution.0))
        .filter(conversation::Column::Id.eq(conversation.0))
        .exec(conn)
        .await?;
    conversation_member::Entity::update_many()
        .col_expr(M::Unread, Expr::value(true))
        .filter(M::InstitutionId.eq(institution.0))
        .filter(M::ConversationId.eq(conversation.0))
        .filter(M::UserId.ne(sender.0))
        .exec(conn)
        .await?;
    mark_read(conn, institution, conversation, sender, sent.id).await?;
    Ok(sent)
}

pub async fn get(
    conn: &impl Conn,
    institution: InstitutionId,
    id: ConversationId,
) -> Result<Option<Conversation>, StoreError> {
    use conversation::Column as C;
    Ok(conversation::Entity::find_by_id(id.0).filter(C::InstitutionId.eq(institution.0)).one(conn).await?)
}

/// The person's place in the conversation, when they are in it.
pub async fn member(
    conn: &impl Conn,
    institution: InstitutionId,
    conversation: ConversationId,
    user: UserId,
) -> Result<Option<Member>, StoreError> {
    use conversation_member::Column as M;
    Ok(conversation_member::Entity::find()
        .filter(M::InstitutionId.eq(institution.0))
        .filter(M::ConversationId.eq(conversation.0))
        .filter(M::UserId.eq(user.0))
        .one(conn)
        .await?)
}

/// Everyone in the conversation, by user id.
pub async fn members(
    conn: &impl Conn,
    institution: InstitutionId,
    conversation: ConversationId,
) -> Result<Vec<i64>, StoreError> {
    use conversation_member::Column as M;
    Ok(conversation_member::Entity::find()
        .select_only()
        .column(M::UserId)
        .filter(M::InstitutionId.eq(institution.0))
        .filter(M::ConversationId.eq(conversation.0))
        .order_by_asc(M::Id)
        .into_tuple()
        .all(conn)
        .await?)
}

/// The person's conversations, latest message first, each with their own place in it.
pub async fn of_person(
    conn: &impl Conn,
    institution: InstitutionId,
    user: UserId,
    limit: u64,
) -> Result<Vec<(Conversation, Member)>, StoreError> {
    use conversation_member::Column as M;
    let mine = conversation_member::Entity::find()
        .filter(M::InstitutionId.eq(institution.0))
        .filter(M::UserId.eq(user.0))
        .all(conn)
        .await?;
    let ids: Vec<i64> = mine.iter().map(|m| m.conversation_id).collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let found = conversation::Entity::find()
            .filter(conversation::Column::InstitutionId.eq(institution.0))
            .filter(conversation::Column::Id.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        out.extend(found);
    }
    out.sort_by(|a, b| b.last_message_at.cmp(&a.last_message_at).then(b.id.cmp(&a.id)));
    out.truncate(limit as usize);
    Ok(out
        .into_iter()
        .filter_map(|c| mine.iter().find(|m| m.conversation_id == c.id).cloned().map(|m| (c, m)))
        .collect())
}

/// The conversation's messages, oldest first.
pub async fn messages(
    conn: &impl Conn,
    institution: InstitutionId,
    conversation: ConversationId,
) -> Result<Vec<Message>, StoreError> {
    use message::Column as C;
    Ok(message::Entity::find()
        .filter(C::InstitutionId.eq(institution.0))
        .filter(C::ConversationId.eq(conversation.0))
        .order_by_asc(C::SentAt)
        .order_by_asc(C::Id)
        .all(conn)
        .await?)
}

/// Records that the person has read the conversation up to its message `up_to`.
pub async fn mark_read(
    conn: &impl Conn,
    institution: InstitutionId,
    conversation: ConversationId,
    user: UserId,
    up_to: i64,
) -> Result<(), StoreError> {
    use conversation_member::Column as M;
    conversation_member::Entity::update_many()
        .col_expr(M::Unread, Expr::value(false))
        .col_expr(M::ReadUpTo, Expr::value(Some(up_to)))
        .filter(M::InstitutionId.eq(institution.0))
        .filter(M::ConversationId.eq(conversation.0))
        .filter(M::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(())
}

/// How many of the person's conversations have a message they have not read.
pub async fn unread(conn: &impl Conn, institution: InstitutionId, user: UserId) -> Result<u64, StoreError> {
    use conversation_member::Column as M;
    Ok(conversation_member::Entity::find()
        .filter(M::InstitutionId.eq(institution.0))
        .filter(M::UserId.eq(user.0))
        .filter(M::Unread.eq(true))
        .count(conn)
        .await?)
}
