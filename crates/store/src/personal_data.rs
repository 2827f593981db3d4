//! Where the product keeps data about people: every column that names a person or holds
//! something that identifies one, with what it is. A data-subject export reads a person's rows
//! through it and an erasure anonymises through it, so a table is never forgotten; a test fails
//! when the schema holds a person column this registry does not list, or the registry names a
//! column that is gone.

/// How a column relates to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The row is about this person (their enrolment, their mark, their session).
    Subject,
    /// This person acted on the row (who decided, uploaded, granted): the row is someone
    /// else's or the institution's, and the person is named in it.
    Actor,
    /// The column holds identifying data itself (a name, an address, a picture, a secret).
    Identifying,
}

/// What kind of data it is, as a data-subject export groups it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Profile,
    Security,
    Consents,
    Roles,
    Registrations,
    Marks,
    Results,
    Quality,
    /// Surveys a person was asked to answer (never an anonymous survey's answers: those rows
    /// name nobody).
    Surveys,
    /// Course content a student opened or marked done; announcements and forum posts.
    Learning,
    Documents,
    /// Email waiting to be sent (address and text), dropped once it has gone; messages
    /// between people.
    Messages,
    Audit,
    Settings,
}

/// One column that says something about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub link: Link,
    pub category: Category,
}

const fn c(table: &'static str, column: &'static str, link: Link, category: Category) -> PersonColumn {
    PersonColumn { table, column, link, category }
}

use Category::*;
use Link::*;

/// Every person column of the schema.
pub const REGISTRY: &[PersonColumn] = &[
    // The account itself: every column of it is about its person.
    c("users", "id", Subject, Profile),
    c("users", "email", Identifying, Profile),
    c("users", "name", Identifying, Profile),
    c("users", "sort_name", Identifying, Profile),
    c("users", "password_hash", Identifying, Security),
    c("users", "status", Identifying, Profile),
    c("users", "is_operator", Identifying, Profile),
    c("users", "email_verified_at", Identifying, Profile),
    c("users", "pending_email", Identifying, Profile),
    c("users", "organisation", Identifying, Profile),
    c("users", "address", Identifying, Profile),
    c("users", "language", Identifying, Profile),
    c("users", "time_zone", Identifying, Profile),
    c("users", "communication", Identifying, Profile),
    c("users", "picture_file_id", Identifying, Profile),
    c("users", "totp_secret", Identifying, Security),
    c("users", "totp_enabled_at", Identifying, Security),
    c("users", "totp_pending_secret", Identifying, Security),
    c("users", "totp_last_step", Identifying, Security),
    c("users", "failed_logins", Identifying, Security),
    c("users", "locked_until", Identifying, Security),
    c("users", "created_at", Identifying, Profile),
    c("users", "updated_at", Identifying, Profile),
    c("students", "user_id", Subject, Profile),
    c("students", "registration_no", Identifying, Profile),
    // Signing in.
    c("sessions", "user_id", Subject, Security),
    c("sessions", "ip", Identifying, Security),
    c("sessions", "user_agent", Identifying, Security),
    c("login_events", "user_id", Subject, Security),
    c("login_events", "email", Identifying, Security),
    c("login_events", "ip", Identifying, Security),
    c("login_events", "user_agent", Identifying, Security),
    c("api_tokens", "user_id", Subject, Security),
    c("one_time_tokens", "user_id", Subject, Security),
    c("consents", "user_id", Subject, Consents),
    c("consents", "ip", Identifying, Consents),
    c("role_grants", "user_id", Subject, Roles),
    c("role_grants", "granted_by", Actor, Roles),
    // Registration and results.
    c("enrollments", "user_id", Subject, Registrations),
    c("enrollments", "decided_by", Actor, Registrations),
    c("holds", "user_id", Subject, Registrations),
    c("holds", "created_by", Actor, Registrations),
    c("offering_instructors", "user_id", Subject, Roles),
    c("marks", "user_id", Subject, Marks),
    c("marks", "updated_by", Actor, Marks),
    c("mark_changes", "user_id", Subject, Marks),
    c("mark_changes", "changed_by", Actor, Marks),
    c("result_lines", "user_id", Subject, Results),
    c("result_change_requests", "user_id", Subject, Results),
    c("result_change_requests", "requested_by", Actor, Results),
    c("result_change_requests", "decided_by", Actor, Results),
    c("offering_results", "submitted_by", Actor, Results),
    c("offering_results", "approved_by", Actor, Results),
    c("course_files", "updated_by", Actor, Results),
    c("attainment_policies", "created_by", Actor, Settings),
    c("attainment_snapshots", "created_by", Actor, Results),
    c("grading_schemes", "created_by", Actor, Settings),
    c("rubrics", "created_by", Actor, Settings),
    c("institution_logos", "updated_by", Actor, Settings),
    // Quality improvement.
    c("cqi_findings", "raised_by", Actor, Quality),
    c("cqi_actions", "owner_id", Subject, Quality),
    c("cqi_actions", "created_by", Actor, Quality),
    c("cqi_evidence", "uploaded_by", Actor, Quality),
    // Surveys: who designed one, who was asked (and an external respondent's email), and who
    // answered a named survey.
    c("surveys", "created_by", Actor, Surveys),
    c("survey_participants", "user_id", Subject, Surveys),
    c("survey_participants", "email", Identifying, Surveys),
    c("survey_responses", "respondent_id", Subject, Surveys),
    // Course content: which items each student has opened and marked done.
    c("content_completions", "user_id", Subject, Learning),
    // Announcements: who posted one, and who has read which.
    c("announcements", "posted_by", Actor, Learning),
    c("announcement_reads", "user_id", Subject, Learning),
    // Forums: who started a thread, wrote or hid a post, follows or read a thread.
    c("forum_threads", "started_by", Subject, Learning),
    c("forum_posts", "posted_by", Subject, Learning),
    c("forum_posts", "hidden_by", Actor, Learning),
    c("forum_subscriptions", "user_id", Subject, Learning),
    c("forum_reads", "user_id", Subject, Learning),
    // Assignments: who set one, whose submissions, extensions and grades they are, who granted
    // and graded.
    c("assignments", "created_by", Actor, Marks),
    c("assignment_extensions", "user_id", Subject, Marks),
    c("assignment_extensions", "granted_by", Actor, Marks),
    c("submissions", "user_id", Subject, Marks),
    c("assignment_grades", "user_id", Subject, Marks),
    c("assignment_grades", "graded_by", Actor, Marks),
    // Quizzes: who wrote a question or set a quiz, whose extra time, attempts and answers they
    // are, who granted the time and scored by hand.
    c("questions", "created_by", Actor, Marks),
    c("quizzes", "created_by", Actor, Marks),
    c("quiz_accommodations", "user_id", Subject, Marks),
    c("quiz_accommodations", "granted_by", Actor, Marks),
    c("quiz_attempts", "user_id", Subject, Marks),
    c("quiz_answers", "scored_by", Actor, Marks),
    // Messages: who started a conversation, who is in it, who wrote each message.
    c("conversations", "started_by", Subject, Messages),
    c("conversation_members", "user_id", Subject, Messages),
    c("messages", "sent_by", Subject, Messages),
    // Documents and the audit trail.
    c("document_jobs", "requested_by", Subject, Documents),
    // A stored file's owner: the person in a picture, who uploaded evidence, who asked for a document.
    c("files", "owner_id", Subject, Documents),
    // An email job's payload holds its address and text until it is sent.
    c("jobs", "payload", Identifying, Messages),
    c("audit_events", "actor_id", Actor, Audit),
    c("audit_events", "actor_email", Identifying, Audit),
    c("audit_events", "ip", Identifying, Audit),
];

/// Whether a column of the schema names or identifies a person, by the naming rules the schema
/// keeps: every column of the account, `user_id`, `owner_id`, `actor_id`, `respondent_id`, anything `…_by`, and
/// emails, addresses, registration numbers and browsers, and a job's payload (an email waiting to
/// be sent). A new person column must follow them.
pub fn is_person_column(table: &str, column: &str) -> bool {
    const IDENTIFYING: [&str; 5] = ["actor_email", "email", "ip", "registration_no", "user_agent"];
    (table == "users" && column != "institution_id")
        || (table == "jobs" && column == "payload")
        || matches!(column, "user_id" | "owner_id" | "actor_id" | "respondent_id")
        || column.ends_with("_by")
        || IDENTIFYING.contains(&column)
}

/// The registry's entry for a column, if any.
pub fn entry(table: &str, column: &str) -> Option<&'static PersonColumn> {
    REGISTRY.iter().find(|e| e.table == table && e.column == column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_is_listed_once_and_follows_the_naming_rules() {
        for (i, e) in REGISTRY.iter().enumerate() {
            assert!(is_person_column(e.table, e.column), "{}.{} breaks the naming rules", e.table, e.column);
            assert!(
                !REGISTRY[..i].iter().any(|x| x.table == e.table && x.column == e.column),
                "{}.{} is listed twice",
                e.table,
                e.column
            );
        }
        assert_eq!(entry("marks", "user_id").map(|e| (e.link, e.category)), Some((Subject, Marks)));
        assert!(entry("terms", "name").is_none() && !is_person_column("terms", "name"));
    }
}
