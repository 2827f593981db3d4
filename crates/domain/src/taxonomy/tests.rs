use super::*;

use LearningDomain::{Affective, Cognitive, Psychomotor};
use PsychomotorScale::{Dave, Simpson};

fn level(raw: &str) -> TaxonomyLevel {
    TaxonomyLevel::parse(raw).unwrap()
}

fn names(domain: LearningDomain, scale: PsychomotorScale) -> Vec<String> {
    parse_table(domain, scale).unwrap().into_iter().map(|i| i.name).collect()
}

#[test]
fn every_embedded_table_parses_with_the_expected_levels() {
    assert_eq!(names(Cognitive, Simpson), ["Remember", "Understand", "Apply", "Analyze", "Evaluate", "Create"]);
    assert_eq!(
        names(Psychomotor, Simpson),
        ["Perception", "Set", "Guided Response", "Mechanism", "Complex Overt Response", "Adaptation", "Origination"]
    );
    assert_eq!(names(Psychomotor, Dave), ["Imitation", "Manipulation", "Precision", "Articulation", "Naturalization"]);
    assert_eq!(
        names(Affective, Simpson),
        ["Receiving", "Responding", "Valuing", "Organization", "Characterization by a Value or Value Complex"]
    );
    for (index, file) in TABLE_FILES.iter().enumerate() {
        assert!(!TABLES[index].is_empty(), "{} must parse", file.file);
    }
}

#[test]
fn level_tables_carry_codes_and_numbers() {
    let cognitive = Cognitive.levels();
    assert_eq!(cognitive.len(), 6);
    assert_eq!((cognitive[2].level, cognitive[2].code.as_str()), (3, "C3"));
    assert_eq!(Psychomotor.levels().len(), 7);
    assert_eq!(Dave.levels().len(), 5);
    assert_eq!(Dave.levels()[4].code, "P5");
    assert_eq!(Affective.levels()[0].name, "Receiving");
}

#[test]
fn parses_codes_in_any_case() {
    let c3 = level("c3");
    assert_eq!((c3.domain(), c3.level()), (Cognitive, 3));
    assert_eq!(level(" P7 "), TaxonomyLevel::new(Psychomotor, 7).unwrap());
    assert_eq!("a1".parse::<TaxonomyLevel>().unwrap().domain(), Affective);
    assert_eq!(level("C06"), level("C6"));
}

#[test]
fn prints_the_code() {
    assert_eq!(level("c3").to_string(), "C3");
    assert_eq!(level("p1").to_string(), "P1");
    assert_eq!(String::from(level("a5")), "A5");
}

#[test]
fn names_and_descriptions_come_from_the_tables() {
    assert_eq!(level("C1").name(), "Remember");
    assert_eq!(level("C6").name(), "Create");
    assert_eq!(level("P1").name(), "Perception");
    assert_eq!(level("P7").name(), "Origination");
    assert_eq!(level("A1").name(), "Receiving");
    assert_eq!(level("A5").name(), "Characterization by a Value or Value Complex");
    assert_eq!(
        level("C3").description(),
        "Carrying out or using a procedure in a given situation (executing, implementing)."
    );
    assert!(level("A2").description().starts_with("Active participation;"));
}

#[test]
fn errors_name_the_allowed_ranges() {
    let message = |raw: &str| TaxonomyLevel::parse(raw).unwrap_err().to_string();
    assert_eq!(message("C7"), "“C7” is out of range: must be C1–C6, P1–P7 or A1–A5");
    assert_eq!(message("p0"), "“p0” is out of range: must be C1–C6, P1–P7 or A1–A5");
    assert_eq!(message("A6"), "“A6” is out of range: must be C1–C6, P1–P7 or A1–A5");
    assert_eq!(message("C300"), "“C300” is out of range: must be C1–C6, P1–P7 or A1–A5");
    assert_eq!(message("X3"), "“X3” is not a taxonomy level: must be C1–C6, P1–P7 or A1–A5");
    assert_eq!(message(" "), "a taxonomy level is required: must be C1–C6, P1–P7 or A1–A5");
    for raw in ["C", "3", "C+3", "C-1", "C3a", "C 3", "Apply", "é3"] {
        assert!(
            matches!(TaxonomyLevel::parse(raw), Err(TaxonomyLevelError::Unknown { .. })),
            "{raw:?} should not parse"
        );
    }
    assert_eq!(
        TaxonomyLevel::new(Cognitive, 0).unwrap_err(),
        TaxonomyLevelError::OutOfRange { input: "C0".into(), allowed: "C1–C6, P1–P7 or A1–A5" }
    );
}

#[test]
fn dave_scale_has_five_psychomotor_levels() {
    assert_eq!(TaxonomyLevel::parse_in("P5", Dave).unwrap(), level("P5"));
    assert_eq!(
        TaxonomyLevel::parse_in("P6", Dave).unwrap_err().to_string(),
        "“P6” is out of range: must be C1–C6, P1–P5 or A1–A5"
    );
    assert!(TaxonomyLevel::new_in(Psychomotor, 6, Dave).is_err());
    assert_eq!(TaxonomyLevel::parse_in("C6", Dave).unwrap(), level("C6"), "other domains are unaffected");

    assert_eq!(level("P3").info_in(Dave).unwrap().name, "Precision");
    assert_eq!(level("P3").name(), "Guided Response", "Simpson is the default");
    assert!(level("P6").info_in(Dave).is_none());
    assert_eq!(PsychomotorScale::default(), Simpson);
}

#[test]
fn lists_every_level_in_order() {
    let codes = |scale| TaxonomyLevel::all_in(scale).iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
    assert_eq!(codes(Simpson), "C1 C2 C3 C4 C5 C6 P1 P2 P3 P4 P5 P6 P7 A1 A2 A3 A4 A5");
    assert_eq!(codes(Dave), "C1 C2 C3 C4 C5 C6 P1 P2 P3 P4 P5 A1 A2 A3 A4 A5");
    assert!(level("C2") < level("C3") && level("C6") < level("P1"));
}

#[test]
fn domains_know_their_letters_and_sources() {
    for domain in LearningDomain::ALL {
        assert_eq!(LearningDomain::from_letter(domain.letter()), Some(domain));
        assert_eq!(LearningDomain::from_letter(domain.letter().to_ascii_lowercase()), Some(domain));
        assert_eq!(usize::from(domain.max_level()), domain.levels().len());
    }
    assert_eq!(LearningDomain::from_letter('x'), None);
    assert_eq!(Cognitive.label(), "Cognitive");
    assert!(Cognitive.taxonomy().contains("Anderson & Krathwohl, 2001"));
    assert!(Psychomotor.taxonomy().contains("Simpson"));
    assert!(Dave.taxonomy().contains("Dave, 1970"));
}

#[test]
fn serializes_as_the_code() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Clo {
        level: TaxonomyLevel,
        domain: LearningDomain,
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.serialize(Clo { level: level("c4"), domain: Cognitive }).unwrap();
    assert_eq!(String::from_utf8(writer.into_inner().unwrap()).unwrap(), "level,domain\nC4,cognitive\n");

    let mut reader = csv::Reader::from_reader("level,domain\np2,psychomotor\nP8,psychomotor\n".as_bytes());
    let rows: Vec<Result<Clo, _>> = reader.deserialize().collect();
    assert_eq!(rows[0].as_ref().unwrap(), &Clo { level: level("P2"), domain: Psychomotor });
    let err = rows[1].as_ref().unwrap_err().to_string();
    assert!(err.contains("must be C1–C6, P1–P7 or A1–A5"), "{err}");
}

#[test]
fn a_table_without_the_expected_levels_is_an_error() {
    let gap = EmbeddedCsv { file: "t.csv", text: "level_code,level,description\nC1,Remember,x\nC3,Apply,y\n" };
    assert_eq!(
        parse_levels(&gap, 'C', 6).unwrap_err().to_string(),
        "embedded data file t.csv: row 2 has code C3, expected C2"
    );
    let short = EmbeddedCsv { file: "t.csv", text: "level_code,level,description\nA1,Receiving,x\n" };
    assert_eq!(parse_levels(&short, 'A', 5).unwrap_err().message, "has 1 levels, expected A1–A5");
    let wrong_columns = EmbeddedCsv { file: "t.csv", text: "code,level,description\nA1,Receiving,x\n" };
    assert!(parse_levels(&wrong_columns, 'A', 1).is_err());
}
