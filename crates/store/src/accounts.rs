//! User accounts: lookups, profile updates, credentials and lockout counters.

use chrono::{DateTime, Utc};
use qobe_domain::ids::{InstitutionId, UserId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use crate::entities::user::{ActiveModel, Column, Entity};
use crate::rows::User;
use crate::search::contains_any;
use crate::{Conn, Page, StoreError};

pub struct NewUser<'a> {
    pub institution_id: Option<InstitutionId>,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<String>,
    pub status: &'a str,
    pub is_operator: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub time_zone: &'a str,
    pub communication: &'a str,
    pub now: DateTime<Utc>,
}

pub async fn insert(conn: &impl Conn, new: NewUser<'_>) -> Result<User, StoreError> {
    let row = ActiveModel {
        institution_id: Set(new.institution_id.map(|id| id.0)),
        email: Set(new.email.to_owned()),
        name: Set(new.name.to_owned()),
        sort_name: Set(qobe_domain::collation::sort_key(new.name)),
        password_hash: Set(new.password_hash),
        status: Set(new.status.to_owned()),
        is_operator: Set(new.is_operator),
        email_verified_at: Set(new.email_verified_at),
        pending_email: Set(None),
        organisation: Set(None),
        address: Set(None),
        language: Set("en".to_owned()),
        time_zone: Set(new.time_zone.to_owned()),
        communication: Set(new.communication.to_owned()),
        picture_file_id: Set(None),
        totp_secret: Set(None),
        totp_enabled_at: Set(None),
        totp_pending_secret: Set(None),
        totp_last_step: Set(None),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(new.now),
        updated_at: Set(new.now),
        ..Default::default()
    };
    Ok(Entity::insert(row).exec_with_returning(conn).await?)
}

fn in_institution(institution: Option<InstitutionId>) -> Condition {
    match institution {
        Some(id) => Condition::all().add(Column::InstitutionId.eq(id.0)),
        None => Condition::all().add(Column::InstitutionId.is_null()),
    }
}

/// One account of `institution` (`None`: a platform account).
pub async fn get(conn: &impl Conn, institution: Option<InstitutionId>, id: UserId) -> Result<Option<User>, StoreError> {
    Ok(Entity::find_by_id(id.0).filter(in_institution(institution)).one(conn).await?)
}

pub async fn by_email(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    email: &str,
) -> Result<Option<User>, StoreError> {
    Ok(Entity::find().filter(in_institution(institution)).filter(Column::Email.eq(email)).one(conn).await?)
}

/// Every account with this email in any institution: sign-in tries the password against each.
pub async fn all_by_email(conn: &impl Conn, email: &str) -> Result<Vec<User>, StoreError> {
    Ok(Entity::find().filter(Column::Email.eq(email)).order_by_asc(Column::Id).all(conn).await?)
}

pub async fn operator_exists(conn: &impl Conn) -> Result<bool, StoreError> {
    Ok(Entity::find().filter(Column::IsOperator.eq(true)).count(conn).await? > 0)
}

/// Accounts that use a seat (invited or active).
pub async fn count_seats(conn: &impl Conn, institution: InstitutionId) -> Result<u64, StoreError> {
    Ok(Entity::find()
        .filter(Column::InstitutionId.eq(institution.0))
        .filter(Column::Status.ne("deactivated"))
        .count(conn)
        .await?)
}

pub struct UserFilter<'a> {
    pub search: Option<&'a str>,
    pub status: Option<&'a str>,
    /// Only accounts holding this role somewhere.
    pub user_ids_with_role: Option<Vec<i64>>,
    pub sort: UserSort,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    Name,
    Email,
    Newest,
}

/// A page of an institution's accounts, filtered and sorted.
pub async fn list(
    conn: &impl Conn,
    institution: InstitutionId,
    filter: UserFilter<'_>,
) -> Result<Page<User>, StoreError> {
    let mut query = Entity::find().filter(Column::InstitutionId.eq(institution.0));
    if let Some(matches) = filter.search.and_then(|search| contains_any(&[Column::Name, Column::Email], search)) {
        query = query.filter(matches);
    }
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status));
    }
    if let Some(ids) = filter.user_ids_with_role {
        query = query.filter(Column::Id.is_in(ids));
    }
    query = match filter.sort {
        UserSort::Name => query.order_by_asc(Column::SortName).order_by_asc(Column::Id),
        UserSort::Email => query.order_by_asc(Column::Email),
        UserSort::Newest => query.order_by_desc(Column::Id),
    };
    let per_page = filter.per_page.clamp(1, 200);
    let paginator = query.paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let page = crate::page_number(filter.page);
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page { items, total, page, per_page })
}

/// The fields a person edits on their profile page.
pub struct ProfileUpdate<'a> {
    pub name: &'a str,
    pub organisation: Option<&'a str>,
    pub address: Option<&'a str>,
    pub language: &'a str,
    pub time_zone: &'a str,
    pub communication: &'a str,
    pub now: DateTime<Utc>,
}

pub async fn update_profile(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    update: ProfileUpdate<'_>,
) -> Result<(), StoreError> {
    Entity::update_many()
        .col_expr(Column::Name, Expr::value(update.name))
        .col_expr(Column::SortName, Expr::value(qobe_domain::collation::sort_key(update.name)))
        .col_expr(Column::Organisation, Expr::value(update.organisation.map(str::to_owned)))
        .col_expr(Column::Address, Expr::value(update.address.map(str::to_owned)))
        .col_expr(Column::Language, Expr::value(update.language))
        .col_expr(Column::TimeZone, Expr::value(update.time_zone))
        .col_expr(Column::Communication, Expr::value(update.communication))
        .col_expr(Column::UpdatedAt, Expr::value(update.now))
        .filter(Column::Id.eq(id.0))
        .filter(in_institution(institution))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets one column of one account, scoped to its institution. Returns whether a row changed.
async fn set(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    values: Vec<(Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<bool, StoreError> {
    let mut update = Entity::update_many();
    for (column, value) in values {
        update = update.col_expr(column, value);
    }
    let result = update.filter(Column::Id.eq(id.0)).filter(in_institution(institution)).exec(conn).await?;
    Ok(result.rows_affected == 1)
}

pub async fn set_password(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    set(
        conn,
        institution,
        id,
        vec![
            (Column::PasswordHash, Expr::value(hash)),
            (Column::FailedLogins, Expr::value(0)),
            (Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None)),
            (Column::UpdatedAt, Expr::value(now)),
        ],
    )
    .await
}

pub async fn set_status(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    status: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    set(conn, institution, id, vec![(Column::Status, Expr::value(status)), (Column::UpdatedAt, Expr::value(now))]).await
}

pub async fn mark_email_verified(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    set(conn, institution, id, vec![(Column::EmailVerifiedAt, Expr::value(now)), (Column::UpdatedAt, Expr::value(now))])
        .await
}

pub async fn set_pending_email(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    email: Option<&str>,
) -> Result<bool, StoreError> {
    set(conn, institution, id, vec![(Column::PendingEmail, Expr::value(email.map(str::to_owned)))]).await
}

/// Makes the pending email the account's email, verified now.
pub async fn replace_email(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    set(
        conn,
        institution,
        id,
        vec![
            (Column::Email, Expr::value(email)),
            (Column::PendingEmail, Expr::value(Option::<String>::None)),
            (Column::EmailVerifiedAt, Expr::value(now)),
            (Column::UpdatedAt, Expr::value(now)),
        ],
    )
    .await
}

/// Points the person at their picture's file (or at none).
pub async fn set_picture(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    file: Option<i64>,
) -> Result<bool, StoreError> {
    set(conn, institution, id, vec![(Column::PictureFileId, Expr::value(file))]).await
}

/// Keeps a new TOTP secret while the person confirms it; the secret in use (if any) stays.
pub async fn set_totp_pending(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    secret: Option<&str>,
) -> Result<bool, StoreError> {
    set(conn, institution, id, vec![(Column::TotpPendingSecret, Expr::value(secret.map(str::to_owned)))]).await
}

/// Puts a confirmed secret in use, with the step of the code that confirmed it.
pub async fn enable_totp(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    secret: &str,
    enabled_at: DateTime<Utc>,
    step: i64,
) -> Result<bool, StoreError> {
    set(
        conn,
        institution,
        id,
        vec![
            (Column::TotpSecret, Expr::value(secret)),
            (Column::TotpEnabledAt, Expr::value(enabled_at)),
            (Column::TotpPendingSecret, Expr::value(Option::<String>::None)),
            (Column::TotpLastStep, Expr::value(step)),
        ],
    )
    .await
}

/// Turns two-factor sign-in off and forgets every secret.
pub async fn disable_totp(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
) -> Result<bool, StoreError> {
    set(
        conn,
        institution,
        id,
        vec![
            (Column::TotpSecret, Expr::value(Option::<String>::None)),
            (Column::TotpEnabledAt, Expr::value(Option::<DateTime<Utc>>::None)),
            (Column::TotpPendingSecret, Expr::value(Option::<String>::None)),
            (Column::TotpLastStep, Expr::value(Option::<i64>::None)),
        ],
    )
    .await
}

/// Records that the code of `step` was used, only if no code of that step or a later one was:
/// false means the code was used already (also by a concurrent request on another instance).
pub async fn use_totp_step(
    conn: &impl Conn,
    institution: Option<InstitutionId>,
    id: UserId,
    step: i64,
) -> Result<bool, StoreError> {
    let result = Entity::update_many()
        .col_expr(Column::TotpLastStep, Expr::value(step))
        .filter(in_institution(institution))
        .filter(Column::Id.eq(id.0))
        .filter(Condition::any().add(Column::TotpLastStep.is_null()).add(Column::TotpLastStep.lt(step)))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Who someone is, without the rest of the account (no picture bytes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// The student's registration number (names repeat; numbers don't); empty for staff.
    pub registration: String,
}

impl Person {
    /// "Ayesha Khan (BSCE-00012)", or the name alone for someone with no number.
    pub fn label(&self) -> String {
        if self.registration.is_empty() { self.name.clone() } else { format!("{} ({})", self.name, self.registration) }
    }
}

/// The names, emails and registration numbers of these accounts of the institution, in no
/// particular order.
pub async fn people(conn: &impl Conn, institution: InstitutionId, ids: &[i64]) -> Result<Vec<Person>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, String)> = Entity::find()
            .select_only()
            .columns([Column::Id, Column::Name, Column::Email])
            .filter(Column::InstitutionId.eq(institution.0))
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        let mut numbers: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        for (user, number) in crate::academics::cohorts::registration_numbers(conn, institution, chunk).await? {
            // Someone in two programs keeps the smaller number, the same on every page.
            let kept = numbers.entry(user).or_insert_with(|| number.clone());
            if number < *kept {
                *kept = number;
            }
        }
        out.extend(rows.into_iter().map(|(id, name, email)| Person {
            registration: numbers.remove(&id).unwrap_or_default(),
            id,
            name,
            email,
        }));
    }
    Ok(out)
}
