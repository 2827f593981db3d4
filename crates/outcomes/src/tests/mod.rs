mod properties;
mod worked;

use crate::{Assessment, Item, Mapping, Mark, Offering};

pub(crate) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[track_caller]
pub(crate) fn assert_close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or(f64::NAN);
    assert!(close(actual, expected), "expected {expected}, got {actual}");
}

/// Quiz (weight 10, CIE) with Q1 /10 → CLO1; Midterm (30, CIE) with Q2 /20 → half CLO1, half
/// CLO2; Final (60, SEE) with Q3 /10 → CLO2. Students A, B, C.
pub(crate) fn small_offering() -> Offering {
    let assessment = |id, name: &str, category: &str, weight| Assessment {
        id,
        name: name.into(),
        category: category.into(),
        weight,
    };
    let mut o = Offering::new(
        vec![101, 102],
        vec![
            assessment(1, "Quiz", "CIE", 10.0),
            assessment(2, "Midterm", "CIE", 30.0),
            assessment(3, "Final", "SEE", 60.0),
        ],
        vec![
            Item { id: 11, label: "Q1".into(), assessment: 0, max_marks: 10.0 },
            Item { id: 12, label: "Q2".into(), assessment: 1, max_marks: 20.0 },
            Item { id: 13, label: "Q3".into(), assessment: 2, max_marks: 10.0 },
        ],
        vec![
            Mapping { item: 0, clo: 0, share: 1.0 },
            Mapping { item: 1, clo: 0, share: 0.5 },
            Mapping { item: 1, clo: 1, share: 0.5 },
            Mapping { item: 2, clo: 1, share: 1.0 },
        ],
        vec![1, 2, 3],
    )
    .unwrap();
    for (student, item, mark) in [
        (0, 0, Mark::Score(8.0)),
        (0, 1, Mark::Score(10.0)),
        (0, 2, Mark::Absent),
        (1, 0, Mark::Excused),
        (1, 1, Mark::Score(20.0)),
        (1, 2, Mark::Score(6.0)),
    ] {
        o.set(student, item, mark).unwrap();
    }
    o
}
