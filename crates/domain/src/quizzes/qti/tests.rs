use super::*;
use crate::quizzes::questions::Pair;

fn every_kind() -> Vec<(&'static str, f64, Body)> {
    vec![
        (
            "Which is 4 Ω?\n\nPick **one**.",
            1.0,
            Body::SingleChoice { options: vec!["2 Ω".into(), "4 Ω".into()], correct: 1 },
        ),
        (
            "Units & <symbols>",
            2.0,
            Body::MultipleChoice { options: vec!["V".into(), "m".into(), "A".into()], correct: vec![0, 2] },
        ),
        ("Current flows from + to −.", 1.0, Body::TrueFalse { correct: false }),
        ("R in ohms?", 2.5, Body::Numeric { answer: 3.3, tolerance: 0.05 }),
        (
            "Name the law.",
            1.0,
            Body::ShortAnswer { patterns: vec!["ohm*law".into(), "ohm's".into()], case_sensitive: true },
        ),
        (
            "Match the units.",
            2.0,
            Body::Matching {
                pairs: vec![
                    Pair { left: "V".into(), right: "volt".into() },
                    Pair { left: "I".into(), right: "ampere".into() },
                ],
            },
        ),
        ("Order the steps.", 1.0, Body::Ordering { items: vec!["Isolate".into(), "Test".into(), "Work".into()] }),
        ("Explain superposition.", 4.0, Body::Essay { guidance: "Each source alone, then the sum.".into() }),
    ]
}

#[test]
fn every_kind_written_as_qti_3_reads_back_the_same() {
    for (n, (prompt, points, body)) in every_kind().into_iter().enumerate() {
        let xml = write_item(&format!("q{n}"), "Circuits", prompt, points, &body);
        let item = read_item(&xml).unwrap_or_else(|e| panic!("{}: {e}\n{xml}", body.kind()));
        assert_eq!(
            item,
            Item { identifier: format!("q{n}"), label: "Circuits".into(), prompt: prompt.into(), points, body },
            "{xml}"
        );
    }
}

const CHOICE_21: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="choice" title="Unit" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>ChoiceB</value></correctResponse>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float" normalMaximum="2"/>
  <itemBody>
    <p>The unit of charge is</p>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="true" maxChoices="1">
      <simpleChoice identifier="ChoiceA">ampere</simpleChoice>
      <simpleChoice identifier="ChoiceB">coulomb</simpleChoice>
    </choiceInteraction>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>"#;

#[test]
fn qti_2_1_items_of_each_interaction_read() {
    let choice = read_item(CHOICE_21).unwrap();
    assert_eq!(choice.prompt, "The unit of charge is");
    assert_eq!(choice.points, 2.0);
    assert_eq!(choice.body, Body::SingleChoice { options: vec!["ampere".into(), "coulomb".into()], correct: 1 });

    let text_entry = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="te" title="t">
      <responseDeclaration identifier="R" cardinality="single" baseType="string">
        <correctResponse><value>Paris</value></correctResponse>
        <mapping defaultValue="0"><mapEntry mapKey="Paris" mappedValue="1" caseSensitive="false"/><mapEntry mapKey="paris, france" mappedValue="1"/><mapEntry mapKey="Lyon" mappedValue="0"/></mapping>
      </responseDeclaration>
      <itemBody><p>The capital of France is <textEntryInteraction responseIdentifier="R" expectedLength="10"/>.</p></itemBody>
    </assessmentItem>"#;
    let item = read_item(text_entry).unwrap();
    assert_eq!(item.prompt, "The capital of France is ____.");
    assert_eq!(
        item.body,
        Body::ShortAnswer { patterns: vec!["Paris".into(), "paris, france".into()], case_sensitive: false }
    );

    let numeric = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="n" title="n">
      <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float"><correctResponse><value>9.81</value></correctResponse></responseDeclaration>
      <itemBody><p>g, in m/s²?</p><p><textEntryInteraction responseIdentifier="RESPONSE"/></p></itemBody>
      <responseProcessing><responseCondition><responseIf><equal toleranceMode="relative" tolerance="1 1"><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></equal></responseIf></responseCondition></responseProcessing>
    </assessmentItem>"#;
    let item = read_item(numeric).unwrap();
    assert_eq!(item.prompt, "g, in m/s²?");
    let Body::Numeric { answer, tolerance } = item.body else { panic!("{:?}", item.body) };
    assert_eq!(answer, 9.81);
    assert!((tolerance - 0.0981).abs() < 1e-12, "1 % of the answer: {tolerance}");

    let essay = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="e" title="e">
      <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string"/>
      <itemBody><rubricBlock view="scorer"><p>Look for both laws.</p></rubricBlock><extendedTextInteraction responseIdentifier="RESPONSE"><prompt>Compare Kirchhoff's laws.</prompt></extendedTextInteraction></itemBody>
    </assessmentItem>"#;
    let item = read_item(essay).unwrap();
    assert_eq!(
        (item.prompt.as_str(), item.body),
        ("Compare Kirchhoff's laws.", Body::Essay { guidance: "Look for both laws.".into() })
    );

    let matching = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="m" title="m">
      <responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="directedPair"><correctResponse><value>V volt</value><value>I amp</value></correctResponse></responseDeclaration>
      <itemBody><matchInteraction responseIdentifier="RESPONSE" maxAssociations="2"><prompt>Match.</prompt>
        <simpleMatchSet><simpleAssociableChoice identifier="V" matchMax="1">Voltage</simpleAssociableChoice><simpleAssociableChoice identifier="I" matchMax="1">Current</simpleAssociableChoice></simpleMatchSet>
        <simpleMatchSet><simpleAssociableChoice identifier="amp" matchMax="1">ampere</simpleAssociableChoice><simpleAssociableChoice identifier="volt" matchMax="1">volt</simpleAssociableChoice></simpleMatchSet>
      </matchInteraction></itemBody>
    </assessmentItem>"#;
    let item = read_item(matching).unwrap();
    let pair = |l: &str, r: &str| Pair { left: l.into(), right: r.into() };
    assert_eq!(item.body, Body::Matching { pairs: vec![pair("Voltage", "volt"), pair("Current", "ampere")] });

    let order = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="o" title="o">
      <responseDeclaration identifier="RESPONSE" cardinality="ordered" baseType="identifier"><correctResponse><value>B</value><value>A</value><value>C</value></correctResponse></responseDeclaration>
      <itemBody><orderInteraction responseIdentifier="RESPONSE"><prompt>First to last.</prompt><simpleChoice identifier="A">Work</simpleChoice><simpleChoice identifier="B">Isolate</simpleChoice><simpleChoice identifier="C">Restore</simpleChoice></orderInteraction></itemBody>
    </assessmentItem>"#;
    assert_eq!(
        read_item(order).unwrap().body,
        Body::Ordering { items: vec!["Isolate".into(), "Work".into(), "Restore".into()] }
    );
    let repeated = order.replace("<value>C</value>", "<value>A</value>");
    assert!(read_item(&repeated).unwrap_err().message.contains("same as an earlier one"));
}

#[test]
fn what_qobe_cannot_hold_is_refused_naming_the_element_and_its_line() {
    let wrong_key = CHOICE_21.replace("<value>ChoiceB</value>", "<value>ChoiceZ</value>");
    let err = read_item(&wrong_key).unwrap_err();
    assert_eq!((err.element.as_str(), err.line), ("responseDeclaration", 3), "{err}");
    assert!(err.to_string().contains("ChoiceZ"), "{err}");
    let hotspot = CHOICE_21.replace("choiceInteraction", "hotspotInteraction");
    let err = read_item(&hotspot).unwrap_err();
    assert_eq!((err.element.as_str(), err.line), ("hotspotInteraction", 9), "{err}");
    let broken = CHOICE_21.replace("</itemBody>", "");
    let err = read_item(&broken).unwrap_err();
    assert!(err.message.contains("not well-formed"), "{err}");
    let no_key = CHOICE_21.replace("<correctResponse><value>ChoiceB</value></correctResponse>", "");
    assert!(read_item(&no_key).unwrap_err().message.contains("no correct response"));
    let adaptive = CHOICE_21.replace("adaptive=\"false\"", "adaptive=\"true\"");
    assert!(read_item(&adaptive).unwrap_err().message.contains("adaptive"));
    let templated = CHOICE_21.replace("<itemBody>", "<templateDeclaration identifier=\"N\"/><itemBody>");
    assert_eq!(read_item(&templated).unwrap_err().element, "templateDeclaration");
    let deep = CHOICE_21.replace("<itemBody>", &format!("<itemBody>{}{}", "<div>".repeat(150), "</div>".repeat(150)));
    assert!(read_item(&deep).unwrap_err().message.contains("nested more than 100"));
    let two_right = CHOICE_21.replace("<value>ChoiceB</value>", "<value>ChoiceA</value><value>ChoiceB</value>");
    assert!(read_item(&two_right).unwrap_err().message.contains("more than one right choice"));
    let not_item = "<assessmentTest identifier=\"t\"/>";
    assert_eq!(read_item(not_item).unwrap_err().element, "assessmentTest");
}

#[test]
fn a_manifest_lists_its_items_and_reads_back() {
    let resources = vec![
        Resource { identifier: "q1".into(), href: "items/q1.xml".into() },
        Resource { identifier: "q2".into(), href: "items/q2.xml".into() },
    ];
    assert_eq!(read_manifest(&write_manifest("bank", &resources)).unwrap(), resources);
    let v21 = r#"<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><resources>
      <resource identifier="test" type="imsqti_test_xmlv2p1" href="test.xml"/>
      <resource identifier="i1" type="imsqti_item_xmlv2p1" href="i1.xml"><file href="i1.xml"/></resource>
    </resources></manifest>"#;
    assert_eq!(read_manifest(v21).unwrap(), vec![Resource { identifier: "i1".into(), href: "i1.xml".into() }]);
    let empty = r#"<manifest identifier="m"><resources/></manifest>"#;
    assert_eq!(read_manifest(empty).unwrap_err().element, "resources");
}
