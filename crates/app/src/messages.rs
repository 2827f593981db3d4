//! Messages between people of one institution: to one or several people, or from those who
//! teach an offering to its whole class. Whom one may write to is the sender's reach: those
//! who see the institution's people (its administrators and registrars) write to anyone in it;
//! everyone else to the people they share a class with (a student to their instructors and
//! classmates, an instructor to their students and co-instructors). Anyone in a conversation
//! replies to it. Each person sees how many conversations have something unread.

use std::collections::{HashMap, HashSet};

use qobe_domain::ids::{ConversationId, OfferingId};
use qobe_domain::registration::EnrollmentStatus;
use qobe_domain::validation::{optional_text, required_text};
use qobe_store::messages::{self as rows, NewConversation};
/// A conversation and a message as stored (nothing secret in them, but private to their members).
pub use qobe_store::messages::{Conversation, Message};
use serde::Deserialize;

use crate::{Actor, App, AppError, AppResult, authz, learning, mail};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// Email addresses of the people to write to, separated by commas or new lines; left
    /// empty when writing to an offering's class.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub to: String,
    /// The offering whose whole class is written to (its instructors only).
    #[serde(default, deserialize_with = "qobe_domain::whole::optional")]
    pub offering: Option<i64>,
    #[schema(max_length = 200)]
    pub subject: String,
    #[schema(max_length = 20000)]
    pub body: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyInput {
    #[schema(max_length = 20000)]
    pub body: String,
}

/// Whom the actor may write to.
enum Reach {
    Anyone,
    /// These people (never the actor), each with where they are met ("EE-201 A").
    Classes(HashMap<i64, String>),
}

async fn offering_label(app: &App, actor: &Actor, offering: i64) -> AppResult<String> {
    let conn = app.store.conn();
    let institution = actor.institution()?;
    let Some(row) = qobe_store::academics::offerings::get(conn, institution, OfferingId(offering)).await? else {
        return Ok(String::new());
    };
    let course =
        qobe_store::academics::courses::get(conn, institution, qobe_domain::ids::CourseId(row.course_id)).await?;
    Ok(format!("{} {}", course.map(|c| c.code).unwrap_or_default(), row.section))
}

async fn reach(app: &App, actor: &Actor) -> AppResult<Reach> {
    if authz::view_users(actor) {
        return Ok(Reach::Anyone);
    }
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut people: HashMap<i64, String> = HashMap::new();
    let mut offerings = learning::own_offerings(app, actor).await?;
    offerings.sort_unstable();
    offerings.dedup();
    for offering in offerings {
        let label = offering_label(app, actor, offering).await?;
        let students = qobe_store::registration::for_offering(conn, institution, OfferingId(offering)).await?;
        let teachers = qobe_store::academics::offerings::instructors(conn, institution, &[offering]).await?;
        let ids = students
            .iter()
            .filter(|e| EnrollmentStatus::in_class(&e.status))
            .map(|e| e.user_id)
            .chain(teachers.iter().map(|t| t.user_id));
        for id in ids.filter(|id| *id != actor.user_id.0) {
            people.entry(id).or_insert_with(|| label.clone());
        }
    }
    Ok(Reach::Classes(people))
}

/// Someone the actor may write to.
#[derive(Debug, Clone)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Where they are met ("EE-201 A"); empty for someone found in the whole institution.
    pub context: String,
}

/// The people the actor may write to whose name or email holds `search`: everyone they share a
/// class with (all of them when the search is empty), or for those who reach the whole
/// institution, the first 25 it finds (none for an empty search).
pub async fn contacts(app: &App, actor: &Actor, search: &str) -> AppResult<Vec<Contact>> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let needle = search.trim().to_lowercase();
    match reach(app, actor).await? {
        Reach::Anyone => {
            if needle.is_empty() {
                return Ok(Vec::new());
            }
            let filter = qobe_store::accounts::UserFilter {
                search: Some(&needle),
                status: Some("active"),
                user_ids_with_role: None,
                sort: qobe_store::accounts::UserSort::Name,
                page: 1,
                per_page: 25,
            };
            let found = qobe_store::accounts::list(conn, institution, filter).await?;
            Ok(found
                .items
                .into_iter()
                .filter(|u| u.id != actor.user_id.0)
                .map(|u| Contact { id: u.id, name: u.name, email: u.email, context: String::new() })
                .collect())
        }
        Reach::Classes(people) => {
            let ids: Vec<i64> = people.keys().copied().collect();
            let mut found: Vec<Contact> = qobe_store::accounts::people(conn, institution, &ids)
                .await?
                .into_iter()
                .filter(|p| {
                    needle.is_empty()
                        || p.name.to_lowercase().contains(&needle)
                        || p.email.to_lowercase().contains(&needle)
                })
                .map(|p| Contact {
                    context: people.get(&p.id).cloned().unwrap_or_default(),
                    id: p.id,
                    name: p.name,
                    email: p.email,
                })
                .collect();
            found.sort_by(|a, b| a.context.cmp(&b.context).then(a.name.cmp(&b.name)));
            Ok(found)
        }
    }
}

/// The recipients named in `to`, each checked against the actor's reach. An address outside
/// it reads exactly as an unknown one, so nothing is learnt about who exists.
async fn recipients(app: &App, actor: &Actor, to: &str) -> Result<Vec<i64>, String> {
    let institution = actor.institution().map_err(|e| e.to_string())?;
    let addresses: Vec<String> =
        to.split([',', ';', '\n', '\r']).map(|a| a.trim().to_lowercase()).filter(|a| !a.is_empty()).collect();
    if addresses.is_empty() {
        return Err("Name at least one person to write to.".into());
    }
    if addresses.len() > 100 {
        return Err("Write to at most 100 people at once; to a whole class, write from its page.".into());
    }
    let reach = reach(app, actor).await.map_err(|e| e.to_string())?;
    let mut ids = Vec::new();
    for address in addresses {
        let found = qobe_store::accounts::by_email(app.store.conn(), Some(institution), &address)
            .await
            .map_err(|e| e.to_string())?
            .filter(|u| u.status == "active" && u.id != actor.user_id.0);
        let allowed = found.filter(|u| match &reach {
            Reach::Anyone => true,
            Reach::Classes(people) => people.contains_key(&u.id),
        });
        match allowed {
            Some(user) => ids.push(user.id),
            None => return Err(format!("No one you may write to has the address {address}.")),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Starts a conversation with its first message.
pub async fn send(app: &App, actor: &Actor, input: &MessageInput) -> AppResult<Conversation> {
    let institution = actor.institution()?;
    let mut errors = qobe_domain::FieldErrors::new();
    let to = errors.check("to", optional_text(&input.to, 5000));
    let members = match input.offering {
        Some(offering) => {
            let (_, viewer) = learning::viewer(app, actor, OfferingId(offering)).await?;
            if !viewer.edits() {
                return Err(AppError::Forbidden);
            }
            Some(learning::class_members(app, institution, OfferingId(offering)).await?)
        }
        None if to.is_none() => None,
        None => match recipients(app, actor, &input.to).await {
            Ok(ids) => Some(ids),
            Err(message) => {
                errors.refuse("to", message);
                None
            }
        },
    };
    let subject = errors.check("subject", required_text(&input.subject, 200));
    let body = errors.check("body", required_text(&input.body, 20_000));
    let (Some(mut members), Some(subject), Some(body)) = (members, subject, body) else { return Err(errors.into()) };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    members.push(actor.user_id.0);
    members.sort_unstable();
    members.dedup();
    let now = app.now();
    let tx = app.store.begin().await?;
    let new = NewConversation {
        subject: &subject,
        offering: input.offering.map(OfferingId),
        by: actor.user_id,
        members: &members,
    };
    let conversation = rows::start(&tx, institution, new, now).await?;
    rows::add(&tx, institution, ConversationId(conversation.id), actor.user_id, &body, now).await?;
    email_others(&tx, app, actor, &conversation, &members, &body).await?;
    qobe_store::commit(tx).await?;
    Ok(conversation)
}

/// Emails the message to the conversation's other members who take messages by email, in the
/// transaction that adds it (so it goes only if the message is kept).
async fn email_others(
    tx: &impl qobe_store::Conn,
    app: &App,
    actor: &Actor,
    conversation: &Conversation,
    members: &[i64],
    body: &str,
) -> AppResult<()> {
    let institution = actor.institution()?;
    let others: Vec<i64> = members.iter().copied().filter(|id| *id != actor.user_id.0).collect();
    let people = qobe_store::announcements::recipients(tx, institution, Some(&others)).await?;
    let address = format!("{}/messages/{}", app.config.public_url, conversation.id);
    for (_, email, preferences) in people {
        let takes: qobe_domain::accounts::CommunicationPreferences =
            serde_json::from_str(&preferences).unwrap_or_default();
        if !takes.messages {
            continue;
        }
        let text = format!(
            "{} wrote:\n\n{body}\n\nRead and reply in QOBE: {address}\n\nYou receive messages by email; change this on your profile page.",
            actor.name
        );
        let subject = format!("{}: {}", actor.name, conversation.subject);
        mail::queue(tx, app, Some(institution), mail::Email { to: email, subject, body: text }).await?;
    }
    Ok(())
}

/// A conversation as the inbox lists it.
#[derive(Debug, Clone)]
pub struct Summary {
    pub conversation: Conversation,
    /// The others in it ("Ayesha Khan, Omar Ali", or "the class of EE-201 A").
    pub with: String,
    pub unread: bool,
}

pub struct Inbox {
    pub conversations: Vec<Summary>,
    pub unread: u64,
}

/// The others' names, or the class it was written to.
async fn others(app: &App, actor: &Actor, conversation: &Conversation, members: &[i64]) -> AppResult<String> {
    if let Some(offering) = conversation.offering_id {
        return Ok(format!("the class of {}", offering_label(app, actor, offering).await?));
    }
    let ids: Vec<i64> = members.iter().copied().filter(|id| *id != actor.user_id.0).collect();
    let people = qobe_store::accounts::people(app.store.conn(), actor.institution()?, &ids).await?;
    Ok(people.into_iter().map(|p| p.name).collect::<Vec<_>>().join(", "))
}

/// The actor's conversations, the latest first.
pub async fn inbox(app: &App, actor: &Actor, limit: u64) -> AppResult<Inbox> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let mut conversations = Vec::new();
    for (conversation, member) in rows::of_person(conn, institution, actor.user_id, limit).await? {
        let members = rows::members(conn, institution, ConversationId(conversation.id)).await?;
        conversations.push(Summary {
            with: others(app, actor, &conversation, &members).await?,
            unread: member.unread,
            conversation,
        });
    }
    Ok(Inbox { conversations, unread: unread(app, actor).await? })
}

/// How many of the actor's conversations have a message they have not read.
pub async fn unread(app: &App, actor: &Actor) -> AppResult<u64> {
    Ok(rows::unread(app.store.conn(), actor.institution()?, actor.user_id).await?)
}

/// A message as the conversation shows it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub message: Message,
    pub sender: String,
    pub mine: bool,
    /// Came since the actor last read the conversation.
    pub new: bool,
}

pub struct Opened {
    pub conversation: Conversation,
    pub with: String,
    pub messages: Vec<Shown>,
}

/// The conversation's place for the actor; one they are not in is not found.
async fn membership(app: &App, actor: &Actor, id: ConversationId) -> AppResult<(Conversation, rows::Member)> {
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let conversation = rows::get(conn, institution, id).await?.ok_or(AppError::NotFound)?;
    let member = rows::member(conn, institution, id, actor.user_id).await?.ok_or(AppError::NotFound)?;
    Ok((conversation, member))
}

/// Opens a conversation; it is read from now on.
pub async fn open(app: &App, actor: &Actor, id: ConversationId) -> AppResult<Opened> {
    let (conversation, member) = membership(app, actor, id).await?;
    let institution = actor.institution()?;
    let conn = app.store.conn();
    let list = rows::messages(conn, institution, id).await?;
    let senders: Vec<i64> = list.iter().map(|m| m.sent_by).collect::<HashSet<_>>().into_iter().collect();
    let names: HashMap<i64, String> =
        qobe_store::accounts::people(conn, institution, &senders).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let members = rows::members(conn, institution, id).await?;
    let newest = list.last().map_or(0, |m| m.id);
    let messages = list
        .into_iter()
        .map(|message| {
            let mine = message.sent_by == actor.user_id.0;
            Shown {
                sender: names.get(&message.sent_by).cloned().unwrap_or_default(),
                new: !mine && member.read_up_to.is_none_or(|r| message.id > r),
                mine,
                message,
            }
        })
        .collect();
    rows::mark_read(conn, institution, id, actor.user_id, newest).await?;
    Ok(Opened { with: others(app, actor, &conversation, &members).await?, conversation, messages })
}

/// Replies in a conversation the actor is in.
pub async fn reply(app: &App, actor: &Actor, id: ConversationId, input: &ReplyInput) -> AppResult<Message> {
    let (conversation, _) = membership(app, actor, id).await?;
    let mut errors = qobe_domain::FieldErrors::new();
    let Some(body) = errors.check("body", required_text(&input.body, 20_000)) else { return Err(errors.into()) };
    let institution = actor.institution()?;
    let tx = app.store.begin().await?;
    let sent = rows::add(&tx, institution, id, actor.user_id, &body, app.now()).await?;
    let members = rows::members(&tx, institution, id).await?;
    email_others(&tx, app, actor, &conversation, &members, &body).await?;
    qobe_store::commit(tx).await?;
    Ok(sent)
}
