//! Realistic demo institutions: departments, programs with PLOs adopted from a framework,
//! curricula of 8 semesters, courses with CLOs mapped to PLOs, 8 terms, cohorts of students,
//! instructors, offerings with sections, four years of registrations with grades (some
//! students weak on some courses), and every offering's assessment plan with marks (some
//! students weak on some CLOs). Fast: bulk inserts, one transaction per step or program.

mod content;
mod marks;
mod names;
mod quiz;
mod story;
mod surveys;

use std::time::Instant;

use chrono::{Datelike, Duration, TimeZone, Utc};
use qobe_domain::academics::TermWindows;
use qobe_domain::accounts::CommunicationPreferences;
use qobe_domain::frameworks;
use qobe_domain::ids::{CourseId, CurriculumVersionId, DepartmentId, InstitutionId, OfferingId, ProgramId, TermId};
use qobe_domain::roles::{Role, Scope};
use qobe_domain::tenancy::Plan;
use qobe_store::academics::outcomes::{OutcomeOwner, OutcomeText, VersionOf};
use qobe_store::academics::{cohorts, courses, curricula, offerings, outcomes, terms};
use qobe_store::bulk::{self, EnrollmentRow, UserRow};
use qobe_store::{structure, tenancy};

use crate::{App, AppError, AppResult, crypto};
use names::{DEPARTMENTS, FIRST_NAMES, FRAMEWORKS, LAST_NAMES, Rng, TOPICS, VERBS};

/// How big a demo institution to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    S,
    M,
    L,
}

impl Size {
    pub fn parse(raw: &str) -> Result<Size, String> {
        match raw.to_lowercase().as_str() {
            "s" | "small" => Ok(Size::S),
            "m" | "medium" => Ok(Size::M),
            "l" | "large" => Ok(Size::L),
            _ => Err("must be s, m or l".into()),
        }
    }

    /// (departments, programs, students per program, instructors per department)
    fn shape(self) -> (usize, usize, usize, usize) {
        match self {
            Size::S => (1, 1, 200, 8),
            Size::M => (5, 10, 500, 20),
            Size::L => (10, 40, 1_000, 60),
        }
    }

    fn letter(self) -> &'static str {
        match self {
            Size::S => "s",
            Size::M => "m",
            Size::L => "l",
        }
    }
}

/// What was made, for the closing message.
#[derive(Debug, Clone)]
pub struct Summary {
    pub slug: String,
    pub admin_email: String,
    /// One account of every role that has pages, to sign in as: (role, email).
    pub sign_ins: Vec<(Role, String)>,
    /// Past offerings whose results went through the workflow, and findings raised.
    pub published: usize,
    pub findings: usize,
    pub password: &'static str,
    pub programs: usize,
    pub courses: usize,
    pub students: usize,
    pub offerings: usize,
    pub enrollments: usize,
    pub marks: usize,
}

/// The password of every demo account (they are demo data; change it before real use).
pub const DEMO_PASSWORD: &str = "demo password 2026";

const COURSES_PER_SEMESTER: usize = 5;
const SEMESTERS: usize = 8;
const SECTION_SIZE: usize = 60;

fn letter_grade(score: f64) -> &'static str {
    const LADDER: &[(f64, &str)] = &[
        (0.85, "A"),
        (0.80, "A-"),
        (0.75, "B+"),
        (0.70, "B"),
        (0.65, "B-"),
        (0.61, "C+"),
        (0.58, "C"),
        (0.55, "C-"),
        (0.53, "D+"),
        (0.50, "D"),
    ];
    LADDER.iter().find(|(min, _)| score >= *min).map(|(_, g)| *g).unwrap_or("F")
}

/// Generates a demo institution of `size`, reporting progress through `progress`.
pub async fn generate(app: &App, size: Size, mut progress: impl FnMut(&str)) -> AppResult<Summary> {
    let started = Instant::now();
    let mut say = |what: &str| progress(&format!("[{:>6.1}s] {what}", started.elapsed().as_secs_f64()));
    let (n_departments, n_programs, per_program, per_department) = size.shape();
    let mut rng = Rng::new(0x5EED_0000 + n_programs as u64);
    let now = app.now();
    let conn = app.store.conn();
    let slug = format!("demo-{}", size.letter());
    if tenancy::by_slug(conn, &slug).await?.is_some() {
        return Err(AppError::conflict("slug", format!("A demo institution {slug} already exists.")));
    }
    let password_hash = crypto::hash_password(DEMO_PASSWORD, app.config.argon2_memory_kib)?;
    let prefs =
        serde_json::to_string(&CommunicationPreferences::default()).map_err(|e| AppError::Internal(e.to_string()))?;

    // Institution, departments, programs, terms.
    let tx = app.store.begin().await?;
    let name = format!("Demo University ({})", size.letter().to_uppercase());
    let inst = tenancy::insert(
        &tx,
        tenancy::NewInstitution {
            name: &name,
            slug: &slug,
            plan: Plan::Enterprise.as_str(),
            seat_limit: 1_000_000,
            now,
        },
    )
    .await?;
    let institution = InstitutionId(inst.id);
    let mut departments = Vec::new();
    for (code, dname, _) in DEPARTMENTS.iter().take(n_departments) {
        departments.push(structure::insert_department(&tx, institution, None, code, dname, now).await?);
    }
    let mut programs = Vec::new();
    for p in 0..n_programs {
        let d = &departments[p % departments.len()];
        let stem = DEPARTMENTS[p % departments.len()].2;
        let round = p / departments.len();
        let (code, pname) = if round == 0 {
            (format!("BS{}", d.code), format!("BS {stem}"))
        } else {
            (format!("BS{}{}", d.code, round + 1), format!("BS {stem} (track {})", round + 1))
        };
        programs.push(structure::insert_program(&tx, institution, DepartmentId(d.id), &code, &pname, now).await?);
    }
    // Eight terms: Fall (1 Sep) and Spring (1 Feb), the last one the season running now.
    let mut seasons = Vec::new();
    let (mut year, mut fall) = if now.month() >= 9 {
        (now.year(), true)
    } else if now.month() >= 2 {
        (now.year(), false)
    } else {
        (now.year() - 1, true)
    };
    for _ in 0..SEMESTERS {
        seasons.push((year, fall));
        if fall {
            fall = false
        } else {
            fall = true;
            year -= 1
        }
    }
    seasons.reverse();
    let mut term_rows = Vec::new();
    for (year, fall) in seasons {
        let season_start = Utc
            .with_ymd_and_hms(year, if fall { 9 } else { 2 }, 1, 0, 0, 0)
            .single()
            .ok_or_else(|| AppError::Internal("date".into()))?;
        // The running term started ten days ago, so add/drop is open whenever the demo is made.
        let start = if term_rows.len() == SEMESTERS - 1 { now - Duration::days(10) } else { season_start };
        let windows = TermWindows::between(start, start + Duration::days(110));
        let code = format!("{year}{}", if fall { "FA" } else { "SP" });
        let tname = format!("{} {year}", if fall { "Fall" } else { "Spring" });
        term_rows.push(
            terms::insert(
                &tx,
                institution,
                terms::TermFields { code: &code, name: &tname, windows: &windows, min_credits: 9.0, max_credits: 21.0 },
                now,
            )
            .await?,
        );
    }
    qobe_store::commit(tx).await?;
    say(&format!(
        "institution {slug}: {} departments, {} programs, {} terms",
        departments.len(),
        programs.len(),
        term_rows.len()
    ));

    // Staff and students: the admin, a QA officer, a head for each department, its instructors.
    let mut user_rows = vec![
        UserRow { email: format!("admin@{slug}.edu"), name: "Demo Admin".into(), password_hash: password_hash.clone() },
        UserRow {
            email: format!("qa@{slug}.edu"),
            name: "Quality Officer".into(),
            password_hash: password_hash.clone(),
        },
    ];
    for d in &departments {
        let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        user_rows.push(UserRow {
            email: format!("head.{}@{slug}.edu", d.code.to_lowercase()),
            name,
            password_hash: password_hash.clone(),
        });
    }
    for d in &departments {
        for i in 0..per_department {
            let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            user_rows.push(UserRow {
                email: format!("{}.{i}@{slug}.edu", d.code.to_lowercase()),
                name,
                password_hash: password_hash.clone(),
            });
        }
    }
    let n_students = per_program * programs.len();
    for s in 0..n_students {
        let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        user_rows.push(UserRow { email: format!("s{s:06}@{slug}.edu"), name, password_hash: password_hash.clone() });
    }
    let tx = app.store.begin().await?;
    let ids = bulk::insert_users(&tx, institution, &user_rows, &prefs, now).await?;
    let id_of: std::collections::HashMap<String, i64> = ids.into_iter().collect();
    let mut grants: Vec<(i64, &str, &str, i64)> = vec![
        (id_of[&format!("admin@{slug}.edu")], Role::InstitutionAdmin.as_str(), "institution", 0),
        (id_of[&format!("qa@{slug}.edu")], Role::QaOfficer.as_str(), "institution", 0),
    ];
    for d in &departments {
        let head = id_of[&format!("head.{}@{slug}.edu", d.code.to_lowercase())];
        grants.push((head, Role::ProgramCoordinator.as_str(), "department", d.id));
    }
    for d in &departments {
        for i in 0..per_department {
            grants.push((
                id_of[&format!("{}.{i}@{slug}.edu", d.code.to_lowercase())],
                Role::Instructor.as_str(),
                "department",
                d.id,
            ));
        }
    }
    for s in 0..n_students {
        grants.push((id_of[&format!("s{s:06}@{slug}.edu")], Role::Student.as_str(), "institution", 0));
    }
    bulk::insert_grants(&tx, institution, &grants, now).await?;
    qobe_store::commit(tx).await?;
    say(&format!("{} accounts ({} students)", user_rows.len(), n_students));

    let mut finished: Vec<story::Finished> = Vec::new();
    let mut last_term_offerings: Vec<(i64, String)> = Vec::new();
    let mut total_courses = 0;
    let mut total_offerings = 0;
    let mut total_enrollments = 0;
    let mut total_marks = 0;
    for (p_index, program) in programs.iter().enumerate() {
        let tx = app.store.begin().await?;
        // PLOs from a framework.
        let framework = frameworks::find(FRAMEWORKS[p_index % FRAMEWORKS.len()])
            .ok_or_else(|| AppError::Internal("framework".into()))?;
        let plos =
            crate::academics::outcomes::insert_framework_plos(&tx, app, institution, ProgramId(program.id), framework)
                .await?;
        // Curriculum of 8 semesters × 5 courses, each with CLOs mapped to PLOs.
        let curriculum = curricula::insert(
            &tx,
            institution,
            ProgramId(program.id),
            "Catalogue",
            i64::from(term_rows[0].starts_at.year()),
            TermId(term_rows[0].id),
            now,
        )
        .await?;
        let mut course_rows = Vec::new();
        let mut course_clos: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
        let mut demo_offerings = Vec::new();
        let mut maps = Vec::new();
        for semester in 0..SEMESTERS {
            for k in 0..COURSES_PER_SEMESTER {
                let topic = TOPICS[(semester * COURSES_PER_SEMESTER + k + p_index) % TOPICS.len()];
                let code = format!("{}-{}{:02}", program.code, semester + 1, k + 1);
                let lab = if k == 0 { 1.0 } else { 0.0 };
                let course = courses::insert(
                    &tx,
                    institution,
                    courses::CourseFields {
                        department_id: DepartmentId(program.department_id),
                        code: &code,
                        title: topic,
                        credits_theory: 3.0,
                        credits_lab: lab,
                        category: if semester == 0 && k == 4 { "general_education" } else { "core" },
                        description: None,
                    },
                    now,
                )
                .await?;
                curricula::set_course(
                    &tx,
                    institution,
                    CurriculumVersionId(curriculum.id),
                    CourseId(course.id),
                    i64::try_from(semester + 1).unwrap_or(1),
                    &course.category,
                )
                .await?;
                for c in 0..(3 + rng.below(3)) {
                    let (level, verb) = VERBS[(semester + c) % VERBS.len()];
                    let code = format!("CLO{}", c + 1);
                    let text = format!("{verb} the principles of {} in engineering problems", topic.to_lowercase());
                    let clo = outcomes::insert_version(
                        &tx,
                        institution,
                        OutcomeOwner::CourseClos(course.id),
                        VersionOf::first(),
                        &OutcomeText {
                            code: &code,
                            title: "",
                            text: &text,
                            taxonomy_level: Some(level),
                            framework: None,
                        },
                        now,
                    )
                    .await?;
                    course_clos.entry(course.id).or_default().push(clo.id);
                    for m in 0..(1 + rng.below(2)) {
                        let plo = &plos[(semester + c * 3 + m + k) % plos.len()];
                        maps.push((clo.id, plo.lineage_id, i64::try_from(1 + rng.below(3)).unwrap_or(2)));
                    }
                }
                course_rows.push(course);
            }
        }
        maps.sort_unstable();
        maps.dedup_by_key(|m| (m.0, m.1));
        bulk::insert_clo_plo(&tx, institution, &maps).await?;
        total_courses += course_rows.len();

        // Four cohorts (intakes in the four Fall terms) with their students.
        let first = p_index * per_program;
        let per_cohort = per_program / 4;
        let mut students = Vec::new();
        let department = &departments[p_index % departments.len()];
        let instructor_emails: Vec<String> =
            (0..per_department).map(|i| format!("{}.{i}@{slug}.edu", department.code.to_lowercase())).collect();
        let instructors: Vec<i64> = instructor_emails.iter().map(|e| id_of[e]).collect();
        let head_email = format!("head.{}@{slug}.edu", department.code.to_lowercase());
        let head = story::actor(
            institution,
            id_of[&head_email],
            &head_email,
            vec![(Role::ProgramCoordinator, Scope::Department(DepartmentId(department.id)))],
        );
        // About one course in four has a CLO most students find hard: the shortfalls a QA
        // office follows up.
        let hard_clo: std::collections::HashMap<i64, usize> = course_rows
            .iter()
            .filter_map(|c| {
                let n = course_clos.get(&c.id).map_or(0, Vec::len);
                (n > 0 && rng.below(4) == 0).then(|| (c.id, rng.below(n)))
            })
            .collect();
        let mut enrollment_rows = Vec::new();
        // Teaching an offering comes with an instructor role scoped to it, as assigning one does.
        let mut teaching_grants: Vec<(i64, &str, &str, i64)> = Vec::new();
        for c in 0..4 {
            let intake = 2 * c;
            let cohort = cohorts::insert(
                &tx,
                institution,
                ProgramId(program.id),
                TermId(term_rows[intake].id),
                Some(CurriculumVersionId(curriculum.id)),
                &format!("{} {}", program.code, term_rows[intake].starts_at.year()),
                now,
            )
            .await?;
            let members: Vec<(i64, f64)> = (0..per_cohort)
                .map(|i| {
                    let s = first + c * per_cohort + i;
                    students.push((
                        id_of[&format!("s{s:06}@{slug}.edu")],
                        program.id,
                        cohort.id,
                        format!("{}-{:05}", program.code, s),
                    ));
                    (id_of[&format!("s{s:06}@{slug}.edu")], rng.normal(0.70, 0.10))
                })
                .collect();
            // Each term from the intake on, the cohort takes its semester's five courses.
            for (t, term) in term_rows.iter().enumerate().skip(intake) {
                let semester = t - intake;
                if semester >= SEMESTERS {
                    break;
                }
                let current = t == term_rows.len() - 1;
                for course in &course_rows[semester * COURSES_PER_SEMESTER..(semester + 1) * COURSES_PER_SEMESTER] {
                    let difficulty = rng.normal(0.0, 0.05);
                    for (section, group) in members.chunks(SECTION_SIZE).enumerate() {
                        let section_code = char::from(b'A' + u8::try_from(section % 26).unwrap_or(0)).to_string();
                        let offering = offerings::insert(
                            &tx,
                            institution,
                            offerings::OfferingFields {
                                course: CourseId(course.id),
                                term: TermId(term.id),
                                section: &section_code,
                                capacity: i64::try_from(SECTION_SIZE).unwrap_or(60),
                                room: Some("Main block"),
                                online: false,
                                schedule: "",
                                requires_approval: false,
                            },
                            now,
                        )
                        .await?;
                        let which = (total_offerings + section) % instructors.len();
                        let instructor = instructors[which];
                        if !current {
                            finished.push(story::Finished {
                                offering: offering.id,
                                instructor: story::actor(
                                    institution,
                                    instructor,
                                    &instructor_emails[which],
                                    vec![(Role::Instructor, Scope::Department(DepartmentId(department.id)))],
                                ),
                                head: head.clone(),
                            });
                            if t == term_rows.len() - 2 {
                                last_term_offerings.push((offering.id, instructor_emails[which].clone()));
                            }
                        }
                        offerings::add_instructor(
                            &tx,
                            institution,
                            OfferingId(offering.id),
                            qobe_domain::ids::UserId(instructor),
                        )
                        .await?;
                        teaching_grants.push((instructor, Role::Instructor.as_str(), "offering", offering.id));
                        demo_offerings.push(marks::DemoOffering {
                            id: offering.id,
                            clos: course_clos.get(&course.id).cloned().unwrap_or_default(),
                            hard_clo: hard_clo.get(&course.id).copied(),
                            students: group.to_vec(),
                            difficulty,
                            running: current,
                            instructor,
                        });
                        total_offerings += 1;
                        for (student, ability) in group {
                            let grade = (!current).then(|| letter_grade(ability - difficulty + rng.normal(0.0, 0.06)));
                            enrollment_rows.push(EnrollmentRow {
                                offering: offering.id,
                                user: *student,
                                term: term.id,
                                course: course.id,
                                status: if current { "enrolled" } else { "completed" },
                                credits: course.credits_theory + course.credits_lab,
                                grade,
                            });
                        }
                    }
                }
            }
        }
        bulk::insert_grants(&tx, institution, &teaching_grants, now).await?;
        bulk::insert_students(&tx, institution, &students, now).await?;
        bulk::insert_enrollments(&tx, institution, &enrollment_rows, now).await?;
        total_enrollments += enrollment_rows.len();
        let mark_count = marks::add(&tx, institution, &demo_offerings, &mut rng, now).await?;
        total_marks += mark_count;
        qobe_store::commit(tx).await?;
        say(&format!(
            "program {}/{} {}: {} courses, {} students, {} registrations, {} marks",
            p_index + 1,
            programs.len(),
            program.code,
            course_rows.len(),
            students.len(),
            enrollment_rows.len(),
            mark_count
        ));
    }
    story::publish(app, &finished).await?;
    say(&format!("{} past offerings' results submitted, approved, published and locked", finished.len()));
    let qa = story::actor(
        institution,
        id_of[&format!("qa@{slug}.edu")],
        &format!("qa@{slug}.edu"),
        vec![(Role::QaOfficer, Scope::Institution)],
    );
    let current_term = &term_rows[term_rows.len() - 1].code;
    let findings = story::raise_findings(app, &qa, &last_term_offerings, current_term, 3).await?;
    say(&format!("{findings} CQI findings raised from last term's shortfalls"));
    let surveyed = finished.iter().find(|f| last_term_offerings.first().is_some_and(|(o, _)| *o == f.offering));
    if let Some(offering) = surveyed {
        let answered = surveys::course_exit(app, offering).await?;
        say(&format!("a course exit survey answered by {answered} students, closed"));
    }
    let department = departments[0].code.to_lowercase();
    let running = TermId(term_rows[term_rows.len() - 1].id);
    let instructor_email = format!("{department}.0@{slug}.edu");
    let student_email = format!("s{:06}@{slug}.edu", per_program / 4 * 3);
    let items = content::course_content(app, institution, running, &instructor_email, &student_email).await?;
    say(&format!("{items} content items in the demo instructor's course"));
    say("done");
    let sign_ins = vec![
        (Role::InstitutionAdmin, format!("admin@{slug}.edu")),
        (Role::QaOfficer, format!("qa@{slug}.edu")),
        (Role::ProgramCoordinator, format!("head.{department}@{slug}.edu")),
        (Role::Instructor, instructor_email),
        (Role::Student, student_email),
    ];
    Ok(Summary {
        slug: slug.clone(),
        admin_email: format!("admin@{slug}.edu"),
        sign_ins,
        published: finished.len(),
        findings,
        password: DEMO_PASSWORD,
        programs: programs.len(),
        courses: total_courses,
        students: n_students,
        offerings: total_offerings,
        enrollments: total_enrollments,
        marks: total_marks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_ladder() {
        assert_eq!(letter_grade(0.9), "A");
        assert_eq!(letter_grade(0.72), "B");
        assert_eq!(letter_grade(0.5), "D");
        assert_eq!(letter_grade(0.2), "F");
    }

    #[test]
    fn the_generator_is_splitmix64() {
        // SplitMix64's published sequence from seed 0, so every run makes the same demo.
        let mut zero = Rng::new(0);
        let first: Vec<u64> = (0..3).map(|_| zero.next_u64()).collect();
        assert_eq!(first, [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F]);
        let u = Rng::new(1).unit();
        assert!((0.0..1.0).contains(&u));
        assert_eq!(Size::parse("M"), Ok(Size::M));
        assert!(Size::parse("xl").is_err());
    }
}
