//! Curricula and the curriculum map, CSV imports, cohorts, PLO→PEO links and editing the
//! structure.

use crate::academics::{admin_actor, course, department_id, institution, program_id, school, term};
use crate::support::{TestApp, html};

#[tokio::test]
async fn curriculum_map_reports_coverage_gaps_and_unassessed_plos() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "cur").await;
    let program = program_id(&t, "cur").await;
    let program_page = format!("/academics/programs/{program}");
    admin.submit(&program_page, &format!("{program_page}/adopt"), &[("framework", "abet-eac-2019")]).await;
    term(&mut admin, "2026FA", 20).await;
    let bad = admin
        .submit(
            &program_page,
            &format!("{program_page}/curricula"),
            &[("name", "Catalogue"), ("catalog_year", "20x6"), ("effective_term", "NOPE")],
        )
        .await;
    assert_eq!(bad.status, 303);
    assert!(admin.get(&program_page).await.contains("catalog year: must be a year"));
    let created = admin
        .submit(
            &program_page,
            &format!("{program_page}/curricula"),
            &[("name", "Catalogue"), ("catalog_year", "2026"), ("effective_term", "2026fa")],
        )
        .await;
    let page = created.location().unwrap().to_owned();
    let c101 = course(&t, &mut admin, "cur", "EE-101").await;
    let c401 = course(&t, &mut admin, "cur", "EE-401").await;
    for (code, semester) in [("ee-101", "1"), ("EE-401", "8")] {
        assert_eq!(
            admin
                .submit(
                    &page,
                    &format!("{page}/courses"),
                    &[("course", code), ("semester", semester), ("category", "core")]
                )
                .await
                .status,
            303
        );
    }
    let wrong = admin
        .submit(&page, &format!("{page}/courses"), &[("course", "EE-999"), ("semester", "13"), ("category", "core")])
        .await;
    assert!(wrong.contains("is not a course code") && wrong.contains("from 1 to 12"));

    let plos = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        institution(&t, "cur").await,
        qobe_store::academics::outcomes::OutcomeOwner::ProgramPlos(program),
    )
    .await
    .unwrap();
    let plo = |code: &str| plos.iter().find(|p| p.code == code).unwrap().lineage_id;
    let map = format!("{page}/map");
    let invalid = admin.submit(&page, &map, &[(&format!("m{c101}_{}", plo("PLO1")), "X")]).await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.contains("EE-101 → PLO1"));
    let saved = admin
        .submit(
            &page,
            &map,
            &[
                (&format!("m{c101}_{}", plo("PLO1")), "i"),
                (&format!("m{c401}_{}", plo("PLO1")), "M"),
                (&format!("m{c101}_{}", plo("PLO2")), "I"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let shown = admin.get(&page).await;
    assert!(shown.contains("Curriculum map saved (3 cells changed)."));
    let coverage = shown.text.split("id=\"coverage\"").nth(1).unwrap().split("</section>").next().unwrap().to_owned();
    assert!(coverage.contains("Not in any course:</strong> PLO3, PLO4, PLO5, PLO6, PLO7"), "{coverage}");
    assert!(coverage.contains("Only introduced:</strong> PLO2"));
    // The same verdicts in the downloads, one row per PLO.
    let rows = admin.get(&format!("{page}?format=csv&table=1")).await.text;
    assert!(rows.starts_with("PLO,Introduced (I),Reinforced (R),Mastered (M),Coverage\n"), "{rows}");
    assert!(
        rows.contains("\nPLO1,1,0,1,nobody assesses\n")
            && rows.contains("\nPLO2,1,0,0,only introduced; nobody assesses\n"),
        "{rows}"
    );
    assert!(rows.contains("\nPLO3,0,0,0,not in any course; nobody assesses\n"), "{rows}");
    let map_csv = admin.get(&format!("{page}?format=csv")).await.text;
    assert!(map_csv.contains(",EE-101,I,I,") && map_csv.contains(",EE-401,M,,"), "{map_csv}");
    assert!(admin.get(&format!("{page}?format=pdf")).await.bytes.starts_with(b"%PDF-"));
    assert!(coverage.contains("Nobody assesses</strong> (no CLO of these courses maps to it): PLO1, PLO2, PLO3"));

    // A CLO of EE-101 mapped to PLO1 makes PLO1 assessed.
    let course_page = format!("/academics/courses/{c101}");
    admin
        .submit(
            &course_page,
            &format!("{course_page}/clos"),
            &[("code", "CLO1"), ("text", "Solve circuits"), ("taxonomy_level", "C3")],
        )
        .await;
    let clo = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        institution(&t, "cur").await,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(c101),
    )
    .await
    .unwrap()[0]
        .id;
    let matrix = format!("{program_page}/matrix");
    admin.submit(&matrix, &matrix, &[(&format!("c{clo}_{}", plo("PLO1")), "3")]).await;
    let after = admin.get(&page).await;
    let coverage = after.text.split("id=\"coverage\"").nth(1).unwrap().split("</section>").next().unwrap().to_owned();
    assert!(coverage.contains("maps to it): PLO2, PLO3"), "{coverage}");

    // Another institution cannot open or change it.
    let mut operator = t.client();
    operator
        .submit("/login", "/login", &[("email", "operator@qobe.test"), ("password", crate::support::PASSWORD)])
        .await;
    let mut other = t.institution(&mut operator, "other", "").await;
    assert_eq!(other.get(&page).await.status, 404);
    assert_eq!(other.submit("/academics/courses", &map, &[]).await.status, 404);
    assert_eq!(
        other
            .submit(
                "/academics/courses",
                &format!("{page}/courses"),
                &[("course", "EE-101"), ("semester", "1"), ("category", "core")]
            )
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn csv_imports_preview_every_row_and_write_all_or_nothing() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "imp").await;
    let program = program_id(&t, "imp").await;
    admin
        .submit(
            &format!("/academics/programs/{program}"),
            &format!("/academics/programs/{program}/adopt"),
            &[("framework", "pec-2014")],
        )
        .await;
    let page = "/academics/import";
    let broken = "code,title,department_code,credits_theory,credits_lab,category,prerequisites\nEE-101,Circuits,EE,3,1,core,\nEE-201,Circuits II,XX,three,0,core,EE-101:Q\nEE-301,Signals,EE,3,0,wizardry,EE-999\nee-101,Dup,EE,3,0,core,\nEE-401,Seminar,EE,0,0,core,\n";
    let preview = admin.upload_with(page, page, &[("kind", "courses")], "file", "c.csv", broken.as_bytes()).await;
    assert_eq!(preview.status, 422);
    for expected in [
        "department_code: is not a department code",
        "credits_theory: must be a number",
        "EE-101: minimum grade must be a letter grade",
        "category: must be core, elective or general_education",
        "EE-999 is neither in the catalogue nor in this file",
        "EE-101 appears more than once in the file",
        // The file's rows follow the course form's rules.
        "credits_theory: a course needs some credit hours (theory or lab)",
    ] {
        assert!(preview.contains(expected), "missing {expected:?}");
    }
    assert!(!preview.contains("Import all"));
    let forced = admin.submit(page, "/academics/import/commit", &[("kind", "courses"), ("csv_text", broken)]).await;
    assert_eq!(forced.status, 422);
    assert!(!admin.get("/academics/courses").await.contains("EE-101"), "nothing was written");

    let good = "code,title,department_code,credits_theory,credits_lab,category,prerequisites\nEE-201,Circuits II,EE,3,0,core,EE-101:C\nEE-101,Circuits,ee,3,1,core,\n";
    let ok = admin.upload_with(page, page, &[("kind", "courses")], "file", "c.csv", good.as_bytes()).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert!(ok.contains("Import all 2"));
    let imported = admin.submit(page, "/academics/import/commit", &[("kind", "courses"), ("csv_text", good)]).await;
    assert_eq!(imported.status, 303);
    let c201 = qobe_store::academics::courses::by_code(t.app.store.conn(), institution(&t, "imp").await, "EE-201")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(
        admin.get(&format!("/academics/courses/{c201}")).await.contains("<code>EE-101</code> with at least C"),
        "a prerequisite on a course later in the file"
    );

    let clos = "course_code,code,text,taxonomy_level,program_code,plo_mappings\nEE-101,CLO1,Solve DC circuits,C3,BSEE,PLO1:3; PLO2:1\nEE-101,CLO2,Build circuits in the lab,P3,BSEE,PLO5\n";
    let checked = admin.upload_with(page, page, &[("kind", "clos")], "file", "clos.csv", clos.as_bytes()).await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    assert_eq!(
        admin.submit(page, "/academics/import/commit", &[("kind", "clos"), ("csv_text", clos)]).await.status,
        303
    );
    let actor_matrix = admin.get(&format!("/academics/programs/{program}/matrix")).await;
    // Each mapping lands in its own cell (no strength given means 2).
    let inst = institution(&t, "imp").await;
    let ee101 = qobe_store::academics::courses::by_code(t.app.store.conn(), inst, "EE-101").await.unwrap().unwrap().id;
    let clos_of = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::CourseClos(ee101),
    )
    .await
    .unwrap();
    let plos_of = qobe_store::academics::outcomes::all_versions(
        t.app.store.conn(),
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::ProgramPlos(program),
    )
    .await
    .unwrap();
    let clo = |code: &str| clos_of.iter().find(|c| c.code == code).unwrap().id;
    let plo = |code: &str| plos_of.iter().find(|p| p.code == code).unwrap().lineage_id;
    for (c, p, strength) in [("CLO1", "PLO1", "3"), ("CLO1", "PLO2", "1"), ("CLO2", "PLO5", "2"), ("CLO2", "PLO1", "")]
    {
        let cell = format!("name=\"c{}_{}\" value=\"{strength}\"", clo(c), plo(p));
        assert!(actor_matrix.contains(&cell), "{c} → {p} is {strength:?}");
    }
    let bad_clos =
        "course_code,code,text,taxonomy_level,program_code,plo_mappings\nEE-101,CLO1,Again,C9,BSEE,PLO99:7\n";
    let refused = admin.upload_with(page, page, &[("kind", "clos")], "file", "clos.csv", bad_clos.as_bytes()).await;
    assert!(
        refused.contains("EE-101 already has CLO1")
            && refused.contains("PLO99 is not a PLO of BSEE")
            && refused.contains("C1–C6")
    );

    let programs = "department_code,code,name\nEE,BSEE,Duplicate\nEE,MSEE,MS Electrical Engineering\n";
    let checked = admin.upload_with(page, page, &[("kind", "programs")], "file", "p.csv", programs.as_bytes()).await;
    assert!(checked.contains("program BSEE already exists"));
}

#[tokio::test]
async fn cohorts_hold_students_with_unique_registration_numbers() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "coh").await;
    term(&mut admin, "2023FA", -400).await;
    let program = program_id(&t, "coh").await.to_string();
    let bad = admin
        .submit(
            "/academics/cohorts",
            "/academics/cohorts",
            &[("program_id", &program), ("intake_term", "1999XX"), ("name", "")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("is not a term code") && bad.contains("is required"));
    let created = admin
        .submit(
            "/academics/cohorts",
            "/academics/cohorts",
            &[("program_id", &program), ("intake_term", "2023fa"), ("name", "BSEE 2023")],
        )
        .await;
    assert_eq!(created.status, 303);
    let again = admin
        .submit(
            "/academics/cohorts",
            "/academics/cohorts",
            &[("program_id", &program), ("intake_term", "2023FA"), ("name", "Again")],
        )
        .await;
    assert!(again.contains("already has a cohort for that intake term"));
    let page = created.location().unwrap().to_owned();
    t.invite(&mut admin, "ali@coh.edu", "student").await;
    t.invite(&mut admin, "zoya@coh.edu", "student").await;
    assert_eq!(
        admin
            .submit(&page, &format!("{page}/students"), &[("email", "ali@coh.edu"), ("registration_no", "bsee-23-001")])
            .await
            .status,
        303
    );
    let twice = admin
        .submit(&page, &format!("{page}/students"), &[("email", "zoya@coh.edu"), ("registration_no", "BSEE-23-001")])
        .await;
    assert!(twice.contains("Another student already has that registration number."));
    let ghost =
        admin.submit(&page, &format!("{page}/students"), &[("email", "ghost@coh.edu"), ("registration_no", "X")]).await;
    assert!(ghost.contains("invite them first"));
    let shown = admin.get(&page).await;
    let row = html::row_with(&shown.text, "students", "BSEE-23-001").expect("the student, by number");
    assert_eq!(row[2], "ali@coh.edu", "{row:?}");

    let mut operator = t.client();
    operator
        .submit("/login", "/login", &[("email", "operator@qobe.test"), ("password", crate::support::PASSWORD)])
        .await;
    let mut other = t.institution(&mut operator, "coh2", "").await;
    assert_eq!(other.get(&page).await.status, 404);
    assert_eq!(
        other
            .submit(
                "/academics/cohorts",
                &format!("{page}/students"),
                &[("email", "ali@coh.edu"), ("registration_no", "Z")]
            )
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn plos_are_linked_to_the_peos_they_support() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "peo").await;
    let program = program_id(&t, "peo").await;
    let page = format!("/academics/programs/{program}");
    admin.submit(&page, &format!("{page}/adopt"), &[("framework", "abet-eac-2019")]).await;
    for (code, text) in [("PEO1", "Graduates practise engineering"), ("PEO2", "Graduates keep learning")] {
        assert_eq!(admin.submit(&page, &format!("{page}/peos"), &[("code", code), ("text", text)]).await.status, 303);
    }
    let inst = institution(&t, "peo").await;
    let conn = t.app.store.conn();
    let plos = qobe_store::academics::outcomes::all_versions(
        conn,
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::ProgramPlos(program),
    )
    .await
    .unwrap();
    let peos = qobe_store::academics::outcomes::all_versions(
        conn,
        inst,
        qobe_store::academics::outcomes::OutcomeOwner::ProgramPeos(program),
    )
    .await
    .unwrap();
    let cell = |plo: usize, peo: usize| format!("l{}_{}", plos[plo].lineage_id, peos[peo].lineage_id);
    let saved = admin.submit(&page, &format!("{page}/plo-peo"), &[(&cell(0, 0), "on"), (&cell(6, 1), "on")]).await;
    assert_eq!(saved.status, 303);
    let shown = admin.get(&page).await;
    assert_eq!(shown.text.matches(" checked>").count(), 2, "two links are shown");
    // Saving again replaces the set.
    admin.submit(&page, &format!("{page}/plo-peo"), &[(&cell(1, 1), "on")]).await;
    let links = qobe_app::academics::outcomes::plo_peo_links(
        &t.app,
        &admin_actor(&t, "peo").await,
        qobe_domain::ids::ProgramId(program),
    )
    .await
    .unwrap();
    assert_eq!(links, vec![(plos[1].lineage_id, peos[1].lineage_id)]);
    // Another program's outcome ids are not found.
    let foreign = admin.submit(&page, &format!("{page}/plo-peo"), &[("l999999_1", "on")]).await;
    assert_eq!(foreign.status, 404);
}

#[tokio::test]
async fn departments_and_programs_can_be_edited_but_not_across_institutions() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "edit").await;
    admin.submit("/admin/structure", "/admin/departments", &[("code", "ME"), ("name", "Mechanical")]).await;
    let dept = department_id(&t, "edit").await;
    let program = program_id(&t, "edit").await;
    let renamed = admin
        .submit(
            "/admin/structure",
            &format!("/admin/departments/{dept}"),
            &[("code", "ee"), ("name", "Electrical and Electronic Engineering")],
        )
        .await;
    assert_eq!(renamed.status, 303);
    assert!(admin.get("/admin/structure").await.contains("Electrical and Electronic Engineering"));
    let clash =
        admin.submit("/admin/structure", &format!("/admin/departments/{dept}"), &[("code", "ME"), ("name", "x")]).await;
    assert_eq!(clash.status, 422);
    assert!(clash.contains("That code is already used here."));
    let mechanical = qobe_store::structure::departments(t.app.store.conn(), institution(&t, "edit").await)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.code == "ME")
        .unwrap()
        .id;
    let moved = admin
        .submit(
            "/admin/structure",
            &format!("/admin/programs/{program}"),
            &[("department_id", &mechanical.to_string()), ("code", "BSEEE"), ("name", "BS Electrical and Electronic")],
        )
        .await;
    assert_eq!(moved.status, 303);
    let structure = admin.get("/admin/structure").await;
    assert!(structure.contains("<code>BSEEE</code> BS Electrical and Electronic</a>"), "renamed");
    assert_eq!(html::text(&structure.text, &format!("program-{program}-department")).as_deref(), Some("(ME)"), "moved");

    let mut operator = t.client();
    operator
        .submit("/login", "/login", &[("email", "operator@qobe.test"), ("password", crate::support::PASSWORD)])
        .await;
    let mut other = t.institution(&mut operator, "edit2", "").await;
    assert_eq!(
        other
            .submit("/admin/structure", &format!("/admin/departments/{dept}"), &[("code", "X"), ("name", "X")])
            .await
            .status,
        404
    );
    assert_eq!(
        other
            .submit(
                "/admin/structure",
                &format!("/admin/programs/{program}"),
                &[("department_id", &dept.to_string()), ("code", "X"), ("name", "X")]
            )
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn program_outcomes_are_corrected_in_place_until_a_cohort_starts_then_versioned() {
    let t = TestApp::new().await;
    let mut admin = school(&t, "ped").await;
    let program = program_id(&t, "ped").await;
    let page = format!("/academics/programs/{program}");
    admin.submit(&page, &format!("{page}/adopt"), &[("framework", "abet-eac-2019")]).await;
    admin.submit(&page, &format!("{page}/peos"), &[("code", "PEO1"), ("text", "Graduates practise engineering")]).await;
    let inst = institution(&t, "ped").await;
    let conn = t.app.store.conn();
    let versions =
        |owner| async move { qobe_store::academics::outcomes::all_versions(conn, inst, owner).await.unwrap() };
    let plos = versions(qobe_store::academics::outcomes::OutcomeOwner::ProgramPlos(program)).await;
    let peos = versions(qobe_store::academics::outcomes::OutcomeOwner::ProgramPeos(program)).await;
    let edit = |kind: &str, id: i64| format!("{page}/{kind}/{id}/edit");

    // No cohort has started: a correction rewrites the wording in place.
    let fixed = admin
        .submit(
            &page,
            &edit("peos", peos[0].id),
            &[("code", "PEO1"), ("text", "Graduates practise engineering ethically")],
        )
        .await;
    assert_eq!(fixed.status, 303, "{}", fixed.text);
    let shown = admin.get(&page).await;
    let row = html::row_with(&shown.text, "peos", "PEO1").unwrap();
    assert_eq!(row[2..5], ["Graduates practise engineering ethically", "", "v1"], "{row:?}");
    let empty = admin.submit(&page, &edit("plos", plos[0].id), &[("code", "PLO1"), ("text", "")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.contains("<details open>"), "the form with the error is open");
    assert_eq!(admin.submit(&page, &edit("pxos", plos[0].id), &[("code", "PLO1"), ("text", "x")]).await.status, 404);

    // A cohort that has started uses the PLOs: new wording needs a new version from a later term.
    term(&mut admin, "NOW", -5).await;
    term(&mut admin, "LATER", 200).await;
    let cohort = admin
        .submit(
            "/academics/cohorts",
            "/academics/cohorts",
            &[("program_id", &program.to_string()), ("intake_term", "NOW"), ("name", "BSEE 2026")],
        )
        .await;
    assert_eq!(cohort.status, 303, "{}", cohort.text);
    let wording = [("code", "PLO2"), ("text", "Apply engineering design with attention to safety")];
    let refused = admin.submit(&page, &edit("plos", plos[1].id), &wording).await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        html::text(&refused.text, "e-effective_term").as_deref(),
        Some("this outcome already has evidence: choose the term the new wording applies from")
    );
    let versioned =
        admin.submit(&page, &edit("plos", plos[1].id), &[wording[0], wording[1], ("effective_term", "LATER")]).await;
    assert_eq!(versioned.status, 303, "{}", versioned.text);
    let after = versions(qobe_store::academics::outcomes::OutcomeOwner::ProgramPlos(program)).await;
    let plo2: Vec<(i64, &str)> =
        after.iter().filter(|p| p.lineage_id == plos[1].lineage_id).map(|p| (p.version, p.text.as_str())).collect();
    assert_eq!(plo2, [(1, plos[1].text.as_str()), (2, "Apply engineering design with attention to safety")]);
}
