//! The demo's course content: the demo instructor's first offering of the running term gets a
//! welcome announcement and two published weeks (pages, a PDF handout, a link, a page released
//! only after the first is done) and a draft third week; the demo student, enrolled there, has
//! opened and finished part of it, so the progress bars and the class table have something true
//! to show.

use futures_util::stream;
use qobe_domain::ids::{ContentItemId, InstitutionId, OfferingId, TermId};
use qobe_domain::roles::{Role, Scope};

use super::story::actor;
use crate::learning::content::{self, ItemInput, ModuleInput};
use crate::{App, AppResult, ClientInfo};

/// A one-page PDF handout (hand-written, so the demo needs no typesetting).
const HANDOUT: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Week 1 handout: units and laws) Tj ET\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

const INTRODUCTION: &str = "# Welcome\n\nThis course builds on what you learned last term. Each week has a short reading, a handout and exercises.\n\n## How the course runs\n\n- Read the week's page before the lecture.\n- Try the exercises; they are released once you have marked the reading done.\n- Ask in the forum when you are stuck.\n\n**Assessment** follows the plan on the course page: quizzes, a midterm, a project and a final exam, each mapped to the course's learning outcomes.\n";

fn page(title: &str, body: &str, completion: &str) -> ItemInput {
    ItemInput {
        kind: "page".into(),
        title: title.into(),
        body: body.into(),
        published: true,
        completion: completion.into(),
        ..ItemInput::default()
    }
}

/// The demo student asks in the forum and the instructor answers; the student also writes to
/// the instructor, so the forum and the inbox have something to show.
async fn discussion(
    app: &App,
    instructor: &crate::Actor,
    learner: &crate::Actor,
    offering: OfferingId,
    instructor_email: &str,
    client: &ClientInfo,
) -> AppResult<()> {
    use crate::learning::forums::{self, PostInput, ThreadInput};
    let question = ThreadInput {
        title: "Sign convention in exercise 2".into(),
        body: "Do we take the current into a node as positive or negative?".into(),
    };
    let thread = forums::start(app, learner, offering, &question, client).await?;
    let answer = PostInput { body: "Either, as long as you keep to one convention for the whole node.".into() };
    forums::reply(app, instructor, qobe_domain::ids::ThreadId(thread.id), &answer, client).await?;
    let note = crate::messages::MessageInput {
        to: instructor_email.into(),
        subject: "Missed Tuesday's lecture".into(),
        body: "I was ill on Tuesday; is there anything besides the week 1 page I should read?".into(),
        ..Default::default()
    };
    crate::messages::send(app, learner, &note).await?;
    Ok(())
}

/// The course's second assessment (the first is the demo quiz) is an assignment due in a week,
/// which the student has handed in.
async fn homework(
    app: &App,
    instructor: &crate::Actor,
    learner: &crate::Actor,
    offering: OfferingId,
    client: &ClientInfo,
) -> AppResult<()> {
    let Some(assessment) =
        qobe_store::assessment::plans::assessments(app.store.conn(), instructor.institution()?, offering)
            .await?
            .into_iter()
            .nth(1)
    else {
        return Ok(());
    };
    let due = (app.now() + chrono::Duration::days(7)).to_rfc3339();
    let input = crate::assignments::AssignmentInput {
        assessment: Some(assessment.id),
        title: format!("{}: problem set", assessment.name),
        instructions: "Solve the week 1 exercises and hand in your working as a PDF or as text.".into(),
        accepts_text: true,
        accepts_files: true,
        file_types: "pdf".into(),
        due_at: qobe_domain::entered::Entered::Text(due),
        late_percent: Some(qobe_domain::entered::Entered::Value(10.0)),
        late_unit: Some("day".into()),
        published: true,
        ..Default::default()
    };
    let made = crate::assignments::create(app, instructor, offering, &input, client).await?;
    let answer = crate::assignments::submit::SubmissionInput {
        body: "1. I = V/R = 12/4 = 3 A.\n2. Two 6 Ω in parallel make 3 Ω.".into(),
    };
    crate::assignments::submit::submit(app, learner, qobe_domain::ids::AssignmentId(made.id), &answer, &[], client)
        .await?;
    Ok(())
}

/// Builds the content and the demo student's progress; returns how many items were made.
pub(super) async fn course_content(
    app: &App,
    institution: InstitutionId,
    term: TermId,
    instructor_email: &str,
    student_email: &str,
) -> AppResult<usize> {
    let conn = app.store.conn();
    let Some(teacher) = qobe_store::accounts::by_email(conn, Some(institution), instructor_email).await? else {
        return Ok(0);
    };
    let offerings = qobe_store::academics::offerings::list(conn, institution, Some(term)).await?;
    let ids: Vec<i64> = offerings.iter().map(|o| o.id).collect();
    let taught = qobe_store::academics::offerings::instructors(conn, institution, &ids).await?;
    let Some(offering) = taught.iter().find(|t| t.user_id == teacher.id).map(|t| OfferingId(t.offering_id)) else {
        return Ok(0);
    };
    let instructor =
        actor(institution, teacher.id, instructor_email, vec![(Role::Instructor, Scope::Offering(offering.0))]);
    let client = ClientInfo::default();
    let week = |title: &str, published: bool| ModuleInput { title: title.into(), published };

    let one = content::add_module(app, &instructor, offering, &week("Week 1: Introduction", true), &client).await?;
    let reading = content::add_item(
        app,
        &instructor,
        qobe_domain::ids::ModuleId(one.id),
        &page("Read me first", INTRODUCTION, "done"),
        &client,
    )
    .await?;
    let target = content::upload_target(app, &instructor, qobe_domain::ids::ModuleId(one.id)).await?;
    let chunks = stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(HANDOUT))]);
    let handout = content::receive(app, &target, "file", "week-1-handout.pdf", chunks).await?;
    let file_input = ItemInput { title: "Week 1 handout".into(), published: true, ..ItemInput::default() };
    let handout = content::add_file(app, &instructor, &target, &handout, None, &file_input, &client).await?;
    let link = ItemInput {
        kind: "link".into(),
        title: "Circuit simulator".into(),
        url: "https://www.falstad.com/circuit/".into(),
        body: "Try each week's circuits here.".into(),
        published: true,
        ..ItemInput::default()
    };
    content::add_item(app, &instructor, qobe_domain::ids::ModuleId(one.id), &link, &client).await?;
    let exercises = ItemInput {
        after_item: Some(reading.id),
        ..page(
            "Exercises 1",
            "1. Find the current through a 4 Ω resistor across 12 V.\n2. Two 6 Ω resistors in parallel: what is their resistance?\n",
            "done",
        )
    };
    content::add_item(app, &instructor, qobe_domain::ids::ModuleId(one.id), &exercises, &client).await?;

    let two = content::add_module(app, &instructor, offering, &week("Week 2: Networks", true), &client).await?;
    content::add_item(
        app,
        &instructor,
        qobe_domain::ids::ModuleId(two.id),
        &page(
            "Kirchhoff's laws",
            "# Kirchhoff's laws\n\nThe currents into a node sum to zero; the voltages around a loop sum to zero.\n",
            "view",
        ),
        &client,
    )
    .await?;
    let three = content::add_module(app, &instructor, offering, &week("Week 3: Power (draft)", false), &client).await?;
    content::add_item(
        app,
        &instructor,
        qobe_domain::ids::ModuleId(three.id),
        &page("Power in circuits", "P = VI.", "view"),
        &client,
    )
    .await?;

    let welcome = crate::learning::announcements::AnnouncementInput {
        title: "Welcome to the course".into(),
        body: "Week 1 is up: start with **Read me first**, then the handout. Exercises open once you have marked the reading done.".into(),
    };
    crate::learning::announcements::post(app, &instructor, Some(offering), &welcome, &client).await?;

    // The demo student has read week 1's page and opened the handout.
    if let Some(student) = qobe_store::accounts::by_email(conn, Some(institution), student_email).await?
        && crate::learning::enrolled(app, institution, offering, qobe_domain::ids::UserId(student.id)).await?
    {
        let learner = actor(institution, student.id, student_email, vec![(Role::Student, Scope::Institution)]);
        crate::learning::open(app, &learner, ContentItemId(reading.id)).await?;
        crate::learning::mark_done(app, &learner, ContentItemId(reading.id), true).await?;
        crate::learning::open(app, &learner, ContentItemId(handout.id)).await?;
    }
    // A student of the class (the demo student when they are in it) asks in the forum.
    let teachers = qobe_store::academics::offerings::instructors(conn, institution, &[offering.0]).await?;
    let class = crate::learning::class_members(app, institution, offering).await?;
    let named = qobe_store::accounts::by_email(conn, Some(institution), student_email).await?.map(|s| s.id);
    let asker = named
        .filter(|id| class.contains(id))
        .or_else(|| class.iter().copied().find(|id| !teachers.iter().any(|t| t.user_id == *id)));
    if let Some(asker) = asker
        && let Some(person) = qobe_store::accounts::people(conn, institution, &[asker]).await?.pop()
    {
        let learner = actor(institution, asker, &person.email, vec![(Role::Student, Scope::Institution)]);
        discussion(app, &instructor, &learner, offering, instructor_email, &client).await?;
        homework(app, &instructor, &learner, offering, &client).await?;
        super::quiz::quiz(app, &instructor, &learner, offering, &client).await?;
    }
    Ok(6)
}
