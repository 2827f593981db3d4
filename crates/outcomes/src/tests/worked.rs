//! Worked examples computed by hand (the arithmetic is in the comments).

use super::{assert_close, close, small_offering};
use crate::*;

#[test]
fn marks_based_scores_pool_item_shares_and_treat_statuses_by_policy() {
    let o = small_offering();
    let scores = student_clo_scores(&Policy::pec(), &o);
    // A, CLO1: (8 + 10·0.5) / (10 + 20·0.5) = 13/20.
    assert_close(scores.get(0, 0), 0.65);
    // A, CLO2: (10·0.5 + absent 0) / (10 + 10) = 5/20 — absent counts as zero.
    assert_close(scores.get(0, 1), 0.25);
    // B, CLO1: excused Q1 is left out: 10/10.
    assert_close(scores.get(1, 0), 1.0);
    // B, CLO2: (10 + 6) / 20.
    assert_close(scores.get(1, 1), 0.8);
    // C has nothing entered: no score at all.
    assert_eq!((scores.get(2, 0), scores.get(2, 1)), (None, None));

    let lenient =
        Policy { marks: MarkTreatment { absent: Treatment::Exclude, ..MarkTreatment::default() }, ..Policy::pec() };
    // Absent left out: 5/10.
    assert_close(student_clo_scores(&lenient, &o).get(0, 1), 0.5);
    let strict = Policy {
        marks: MarkTreatment { excused: Treatment::Zero, missing: Treatment::Zero, ..MarkTreatment::default() },
        ..Policy::pec()
    };
    let s = student_clo_scores(&strict, &o);
    // Excused as zero: B, CLO1 = 10/20; missing as zero: C scores 0 on both.
    assert_close(s.get(1, 0), 0.5);
    assert_close(s.get(2, 0), 0.0);
}

#[test]
fn percentage_based_scores_weigh_assessments_or_categories() {
    let o = small_offering();
    let by_assessment =
        Policy { score: ScoreMethod::PercentageBased { group_by: GroupBy::Assessment }, ..Policy::pec() };
    let s = student_clo_scores(&by_assessment, &o);
    // A, CLO1: Quiz 8/10 (w 10); Midterm's half for CLO1 is 5 of 10 (w 30): (8 + 15) / 40.
    assert_close(s.get(0, 0), 0.575);
    // A, CLO2: Midterm 5/10 (w 30), Final 0/10 (w 60): 15 / 90.
    assert_close(s.get(0, 1), 15.0 / 90.0);
    // B, CLO1: the excused quiz drops out and Midterm alone counts: 1.0.
    assert_close(s.get(1, 0), 1.0);

    let weights = vec![
        CategoryWeight { category: "CIE".into(), weight: 0.3 },
        CategoryWeight { category: "SEE".into(), weight: 0.7 },
    ];
    let by_category =
        Policy { score: ScoreMethod::PercentageBased { group_by: GroupBy::Category { weights } }, ..Policy::pec() };
    let s = student_clo_scores(&by_category, &o);
    // A, CLO2: CIE 5/10, SEE 0/10: 0.3·0.5 + 0.7·0.
    assert_close(s.get(0, 1), 0.15);
    // B, CLO2: CIE 10/10, SEE 6/10: 0.3 + 0.42.
    assert_close(s.get(1, 1), 0.72);
    // CLO1 has no SEE evidence: CIE alone, re-weighted, pooled within CIE. A: (8 + 5) / (10 + 10).
    assert_close(s.get(0, 0), 0.65);
}

#[test]
fn course_attainment_by_share_attaining_and_by_mean() {
    let o = small_offering();
    let policy = Policy::pec();
    let courses = course_clos(&policy, &o, &student_clo_scores(&policy, &o));
    // CLO1: A 0.65 and B 1.0 both reach 50%: 2 of 2 = 100% ≥ 60% target.
    assert_eq!((courses[0].overall.attaining, courses[0].overall.students_with_evidence), (2, 2));
    assert_eq!(courses[0].met, Some(true));
    // CLO2: A 0.25 fails, B 0.8 attains: 1 of 2 = 50% < 60%.
    assert_close(courses[1].value, 0.5);
    assert_eq!(courses[1].met, Some(false));
    assert_close(courses[1].overall.mean_score, 0.525);

    let mean = Policy { course_measure: CourseMeasure::MeanScore, course_target: 0.5, ..Policy::pec() };
    let by_mean = course_clos(&mean, &o, &student_clo_scores(&mean, &o));
    // Mean score of CLO2 is 0.525 ≥ 0.5.
    assert_close(by_mean[1].value, 0.525);
    assert_eq!(by_mean[1].met, Some(true));
}

/// Ten students on one CLO; their scores are given directly as marks out of 100.
fn ten_students(scores: [f32; 10]) -> Offering {
    let mut o = Offering::new(
        vec![1],
        vec![
            Assessment { id: 1, name: "Sessional".into(), category: "CIE".into(), weight: 40.0 },
            Assessment { id: 2, name: "Terminal".into(), category: "SEE".into(), weight: 60.0 },
        ],
        vec![
            Item { id: 1, label: "S".into(), assessment: 0, max_marks: 100.0 },
            Item { id: 2, label: "T".into(), assessment: 1, max_marks: 100.0 },
        ],
        vec![Mapping { item: 0, clo: 0, share: 1.0 }, Mapping { item: 1, clo: 0, share: 1.0 }],
        (1..=10).collect(),
    )
    .unwrap();
    for (s, score) in scores.iter().enumerate() {
        o.set(s, 0, Mark::Score(*score)).unwrap();
        o.set(s, 1, Mark::Score(*score)).unwrap();
    }
    o
}

#[test]
fn nba_levels_and_component_blend() {
    let o = ten_students([90.0, 80.0, 70.0, 65.0, 60.0, 55.0, 50.0, 40.0, 30.0, 20.0]);
    let no_blend = Policy { component_blend: None, ..Policy::nba() };
    let c = &course_clos(&no_blend, &o, &student_clo_scores(&no_blend, &o))[0];
    // Five of ten reach 60%: 50% of students → level 1 (slabs 50/60/70); target level 2 not met.
    assert_close(c.overall.percent_attaining, 0.5);
    assert_eq!(c.overall.level, Some(1));
    assert_eq!(c.met, Some(false));

    // Sessional marks high (everyone 100 → level 3), terminal as above (level 1):
    // 0.3·3 + 0.7·1 = 1.6.
    let mut blended = o.clone();
    for s in 0..10 {
        blended.set(s, 0, Mark::Score(100.0)).unwrap();
    }
    let policy = Policy::nba();
    let c = &course_clos(&policy, &blended, &student_clo_scores(&policy, &blended))[0];
    assert_eq!(c.components.iter().map(|p| p.measure.level).collect::<Vec<_>>(), vec![Some(3), Some(1)]);
    assert_close(c.value, 1.6);
    assert_eq!(c.met, Some(false));
}

#[test]
fn levels_averaged_within_a_component_beside_the_pooled_measure() {
    // Two sessional tests (CIE) and a terminal exam (SEE), ten students, one CLO.
    let mut o = Offering::new(
        vec![1],
        vec![
            Assessment { id: 1, name: "Test 1".into(), category: "CIE".into(), weight: 15.0 },
            Assessment { id: 2, name: "Test 2".into(), category: "CIE".into(), weight: 15.0 },
            Assessment { id: 3, name: "Terminal".into(), category: "SEE".into(), weight: 70.0 },
        ],
        vec![
            Item { id: 1, label: "T1".into(), assessment: 0, max_marks: 100.0 },
            Item { id: 2, label: "T2".into(), assessment: 1, max_marks: 100.0 },
            Item { id: 3, label: "F".into(), assessment: 2, max_marks: 100.0 },
        ],
        (0..3).map(|item| Mapping { item, clo: 0, share: 1.0 }).collect(),
        (1..=10).collect(),
    )
    .unwrap();
    let test_two = [90.0, 80.0, 70.0, 65.0, 60.0, 55.0, 50.0, 40.0, 30.0, 20.0];
    for (s, second) in test_two.into_iter().enumerate() {
        // Test 1: six students score 100, four score 0 → 60% attain → level 2.
        o.set(s, 0, Mark::Score(if s < 6 { 100.0 } else { 0.0 })).unwrap();
        // Test 2: five reach 60 → 50% → level 1.
        o.set(s, 1, Mark::Score(second)).unwrap();
        // Terminal: everyone 100 → level 3.
        o.set(s, 2, Mark::Score(100.0)).unwrap();
    }
    // Pooled (today's measure): each student's CIE score is (T1 + T2) ÷ 200 — 95, 90, 85, 82.5,
    // 80, 77.5, 25, 20, 15, 10% — six of ten reach 60% → level 2; 0.3·2 + 0.7·3 = 2.7.
    let pooled = Policy::nba();
    let c = &course_clos(&pooled, &o, &student_clo_scores(&pooled, &o))[0];
    assert_eq!(c.components[0].value, Some(2.0));
    assert!(c.components[0].assessments.is_empty());
    assert_close(c.value, 2.7);

    // Averaged: CIE = (level 2 + level 1) ÷ 2 = 1.5; 0.3·1.5 + 0.7·3 = 0.45 + 2.1 = 2.55.
    let averaged = Policy { component_levels: ComponentLevels::MeanOfAssessments, ..Policy::nba() };
    let c = &course_clos(&averaged, &o, &student_clo_scores(&averaged, &o))[0];
    let cie = &c.components[0];
    assert_eq!(
        cie.assessments.iter().map(|a| (a.assessment_id, a.measure.level)).collect::<Vec<_>>(),
        vec![(1, Some(2)), (2, Some(1))]
    );
    assert_eq!(cie.value, Some(1.5));
    assert_eq!(c.components[1].value, Some(3.0));
    assert_close(c.value, 2.55);
    assert_eq!(c.met, Some(true), "2.55 reaches the target level 2");
}

#[test]
fn abet_eamu_buckets() {
    let o = ten_students([90.0, 80.0, 70.0, 65.0, 60.0, 55.0, 50.0, 40.0, 30.0, 20.0]);
    let policy = Policy::abet_eamu();
    let c = &course_clos(&policy, &o, &student_clo_scores(&policy, &o))[0];
    // E ≥ 90: 90. A ≥ 75: 80. M ≥ 60: 70, 65, 60. U: the other five.
    assert_eq!(c.eamu, Some(EamuCounts { exceeds: 1, adequate: 1, minimal: 3, unsatisfactory: 5 }));
    // E + A = 2 of 10 = 20% < 70%.
    assert_close(c.value, 0.2);
    assert_eq!(c.met, Some(false));
}

#[test]
fn canvas_and_d2l_rollups() {
    let s = [0.2, 0.8, 0.6];
    assert_close(rollup(&Rollup::Highest, &s), 0.8);
    assert_close(rollup(&Rollup::Latest, &s), 0.6);
    assert_close(rollup(&Rollup::Average, &s), 1.6 / 3.0);
    // Weighted 65/35: 0.65·0.6 + 0.35·mean(0.2, 0.8) = 0.39 + 0.175.
    assert_close(rollup(&Rollup::DecayingAverage { latest_weight: 0.65 }, &s), 0.565);
    // Standard: 0.2 → 0.65·0.8 + 0.35·0.2 = 0.59 → 0.65·0.6 + 0.35·0.59 = 0.5965.
    assert_close(rollup(&Rollup::StandardDecayingAverage { new_weight: 0.65 }, &s), 0.5965);
    // Canvas's own example in points of 4: 1, 4, 2, 3 at 75/25 gives 2.8333 (÷ 4).
    assert_close(
        rollup(&Rollup::DecayingAverage { latest_weight: 0.75 }, &[0.25, 1.0, 0.5, 0.75]),
        0.75 * 0.75 + 0.25 * (1.75 / 3.0),
    );
    // Two scores reach 0.6 (0.8, 0.6): mastered twice, score their mean; three times: not yet.
    assert_close(rollup(&Rollup::NMastery { times: 2, mastery: 0.6 }, &s), 0.7);
    assert_eq!(rollup(&Rollup::NMastery { times: 3, mastery: 0.6 }, &s), None);
    let levels = Slabs(vec![Slab { min: 0.5, level: 1 }, Slab { min: 0.75, level: 2 }]);
    // Levels 0, 2, 1 — a three-way tie goes to the highest level, 2.
    assert_close(rollup(&Rollup::MostCommon { levels: levels.clone() }, &s), 0.8);
    // Levels 1, 1, 2: level 1 is most common; the mean of its scores.
    assert_close(rollup(&Rollup::MostCommon { levels }, &[0.55, 0.6, 0.9]), 0.575);
    assert_eq!(rollup(&Rollup::Highest, &[]), None);
}

fn evidence(course_id: i64, clo_id: i64, term: i64, score: f64, strength: f64, credits: f64) -> CloEvidence {
    CloEvidence { course_id, clo_id, term, score, strength, credits }
}

#[test]
fn plo_scores_weigh_clos_by_strength_and_credits_and_roll_up_repeats() {
    let e = [evidence(1, 10, 1, 0.8, 3.0, 3.0), evidence(2, 20, 1, 0.5, 1.0, 4.0)];
    let with = |plo_weighting| Policy { plo_weighting, ..Policy::pec() };
    // Strength × credits: weights 9 and 4: (7.2 + 2) / 13.
    assert_close(student_plo(&with(PloWeighting::StrengthTimesCredits), &e).map(|p| p.score), 9.2 / 13.0);
    assert_close(student_plo(&with(PloWeighting::Strength), &e).map(|p| p.score), 2.9 / 4.0);
    assert_close(student_plo(&with(PloWeighting::CreditHours), &e).map(|p| p.score), 4.4 / 7.0);
    assert_close(student_plo(&with(PloWeighting::Equal), &e).map(|p| p.score), 0.65);

    // Course 1 retaken: 0.3 then 0.8. Latest keeps 0.8; highest too; average 0.55.
    let repeated = [evidence(1, 10, 2, 0.8, 1.0, 3.0), evidence(1, 10, 1, 0.3, 1.0, 3.0)];
    let plo = student_plo(&Policy::pec(), &repeated).unwrap();
    assert_eq!(plo.parts[0].attempts, vec![0.3, 0.8], "attempts are ordered by term");
    assert_close(Some(plo.score), 0.8);
    let average = Policy { repeated: Rollup::Average, ..Policy::pec() };
    assert_close(student_plo(&average, &repeated).map(|p| p.score), 0.55);
    assert!(student_plo(&Policy::pec(), &[]).is_none());
}

#[test]
fn cohort_and_program_plo() {
    let policy = Policy::pec();
    let cohort = group_plo(&policy, [Some(0.7), Some(0.4), None, Some(0.5)]);
    // 0.7 and 0.5 reach 50%: 2 of 3 ≥ 60% target.
    assert_eq!((cohort.attaining, cohort.students_with_evidence), (2, 3));
    assert_eq!(cohort.met, Some(true));
    assert_eq!((cohort.distribution[4], cohort.distribution[5], cohort.distribution[7]), (1, 1, 1));
    let other = group_plo(&policy, [Some(0.2), Some(0.3)]);
    let program = pooled(&policy, &[cohort, other]);
    // 2 of 5 pooled.
    assert_close(program.percent_attaining, 0.4);
    assert_close(program.mean_score, 2.1 / 5.0);
    assert_eq!(program.met, Some(false));
}

#[test]
fn rounding_before_banding_decides_borderline_students() {
    let exact = Rounding { percent_decimals: Some(2), before_banding: false };
    let rounded = Rounding { percent_decimals: Some(2), before_banding: true };
    // 49.996% reports as 50.00%; it attains a 50% threshold only when rounded first.
    assert!(close(exact.report(0.49996), 0.5));
    assert!(!exact.reaches(0.49996, 0.5));
    assert!(rounded.reaches(0.49996, 0.5));
    assert!(!Rounding::EXACT.reaches(0.49996, 0.5));
}

#[test]
fn direct_indirect_blend_and_targets_from_history() {
    let weights = DirectIndirect { direct: 0.8, indirect: 0.2 };
    assert_close(blend_direct_indirect(weights, Some(0.7), Some(0.9)), 0.74);
    assert_close(blend_direct_indirect(weights, Some(0.7), None), 0.7);
    assert_close(blend_direct_indirect(weights, None, Some(0.9)), 0.9);
    assert_eq!(blend_direct_indirect(weights, None, None), None);

    assert_close(next_target(TargetRule::PreviousTimes { factor: 1.05, cap: 0.95 }, &[0.6, 0.7]), 0.735);
    assert_close(next_target(TargetRule::PreviousTimes { factor: 1.05, cap: 0.95 }, &[0.93]), 0.95);
    assert_close(next_target(TargetRule::MeanOfLast { n: 2, factor: 1.0, cap: 1.0 }, &[0.1, 0.6, 0.7]), 0.65);
    assert_close(next_target(TargetRule::Fixed { value: 0.5 }, &[]), 0.5);
    assert_eq!(next_target(TargetRule::PreviousTimes { factor: 1.05, cap: 1.0 }, &[]), None);
}

#[test]
fn explanations_add_up_to_the_numbers() {
    let o = small_offering();
    let policy = Policy { score: ScoreMethod::PercentageBased { group_by: GroupBy::Assessment }, ..Policy::pec() };
    let why = explain_student_clo(&policy, &o, 0, 1);
    assert_eq!(why.contributions.len(), 2, "Q2's half and Q3");
    let q3 = why.contributions.iter().find(|c| c.item_label == "Q3").unwrap();
    assert_eq!((q3.mark, q3.counted, q3.possible), (Mark::Absent, true, 10.0));
    assert_close(why.score, 15.0 / 90.0);
    assert_eq!(why.attained, Some(false));

    let course = explain_course_clo(&Policy::pec(), &o, 1).unwrap();
    let attaining = course.students.iter().filter(|s| s.attained == Some(true)).count();
    assert_eq!(attaining, course.result.overall.attaining);
    assert_eq!(course.students.iter().filter(|s| s.score.is_some()).count(), 2);
}

#[test]
fn policies_round_trip_through_json_and_presets_are_sound() {
    for (key, policy) in Policy::presets() {
        assert!(policy.problems().is_empty(), "{key}: {:?}", policy.problems());
        let json = serde_json::to_string(&policy).unwrap();
        let back: Policy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, policy, "{key}");
    }
    let broken = Policy { student_threshold: 50.0, schema: 99, ..Policy::pec() };
    let problems = broken.problems();
    assert!(problems.iter().any(|p| p.starts_with("student_threshold")), "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("schema")), "{problems:?}");
}

#[test]
fn bad_evidence_is_refused_with_the_place_named() {
    let o = small_offering();
    let mut copy = o.clone();
    assert!(copy.set(0, 0, Mark::Score(11.0)).unwrap_err().to_string().contains("from 0 to 10"));
    assert!(copy.set(9, 0, Mark::Score(1.0)).is_err());
    let bad = Offering::new(
        vec![1],
        o.assessments.clone(),
        o.items.clone(),
        vec![Mapping { item: 0, clo: 3, share: 1.0 }],
        vec![],
    );
    assert_eq!(bad.unwrap_err().to_string(), "mapping 0: its CLO does not exist");
    let zero = Item { id: 1, label: "Z".into(), assessment: 0, max_marks: 0.0 };
    assert!(Offering::new(vec![1], o.assessments.clone(), vec![zero], vec![], vec![]).is_err());
    let mut unmapped = o.clone();
    unmapped.clos.push(103);
    assert_eq!(unmapped.clos_without_evidence(), vec![2]);
}

#[test]
fn not_attempted_counts_as_zero_unless_the_policy_leaves_it_out() {
    let mut o = small_offering();
    o.set(2, 0, Mark::NotAttempted).unwrap();
    o.set(2, 1, Mark::Score(10.0)).unwrap();
    // C, CLO1: Q1 not attempted (0 of 10) + Q2's half 5 of 10 = 5/20.
    assert_close(student_clo_scores(&Policy::pec(), &o).get(2, 0), 0.25);
    let lenient = Policy {
        marks: MarkTreatment { not_attempted: Treatment::Exclude, ..MarkTreatment::default() },
        ..Policy::pec()
    };
    // Left out: 5/10.
    assert_close(student_clo_scores(&lenient, &o).get(2, 0), 0.5);
    let why = explain_student_clo(&lenient, &o, 2, 0);
    assert!(why.contributions.iter().any(|c| c.mark == Mark::NotAttempted && !c.counted));
}
