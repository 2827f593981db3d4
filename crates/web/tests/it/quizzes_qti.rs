//! QTI content packages through the question bank's page: QTI 2.1 and 3.0 items of every
//! interaction QOBE reads are checked, then imported whole; a broken package is refused naming
//! the file, the element and its line, and adds nothing; the bank exported as QTI 3.0 imports
//! into another course's bank as the same questions.

use std::io::Read;

use serde_json::Value;

use crate::assessment::{Class, class};
use crate::support::{TestApp, html};

/// A content package of the items, its manifest also listing `absent` files it does not hold.
fn package(items: &[(&str, &str, &str)], absent: &[&str]) -> Vec<u8> {
    let listed = items.iter().map(|(href, kind, _)| (*href, *kind)).chain(absent.iter().map(|href| (*href, V21)));
    let resources: String = listed
        .map(|(href, kind)| {
            format!(
                "<resource identifier=\"{href}\" type=\"{kind}\" href=\"{href}\"><file href=\"{href}\"/></resource>"
            )
        })
        .collect();
    let manifest = format!(
        "<?xml version=\"1.0\"?><manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" identifier=\"p\"><organizations/><resources>{resources}</resources></manifest>"
    );
    let mut files = vec![("imsmanifest.xml".to_owned(), manifest.into_bytes())];
    files.extend(items.iter().map(|(href, _, xml)| (href.to_string(), xml.as_bytes().to_vec())));
    qobe_domain::zip::write(&files)
}

const V21: &str = "imsqti_item_xmlv2p1";
const V30: &str = "imsqti_item_xmlv3p0";

const CHOICE_21: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="c" title="c" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier">
    <correctResponse><value>A</value><value>C</value></correctResponse>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float" normalMaximum="2"/>
  <itemBody>
    <choiceInteraction responseIdentifier="RESPONSE" maxChoices="0">
      <prompt>Which are SI base units?</prompt>
      <simpleChoice identifier="A">ampere</simpleChoice>
      <simpleChoice identifier="B">volt</simpleChoice>
      <simpleChoice identifier="C">kelvin</simpleChoice>
    </choiceInteraction>
  </itemBody>
</assessmentItem>"#;

const TEXT_21: &str = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="t" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float"><correctResponse><value>3.3</value></correctResponse></responseDeclaration>
  <itemBody><p>What resistance, in kΩ, gives 3 mA at 10 V?</p><p><textEntryInteraction responseIdentifier="RESPONSE"/></p></itemBody>
  <responseProcessing><responseCondition><responseIf><equal toleranceMode="absolute" tolerance="0.05 0.05"><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></equal></responseIf></responseCondition></responseProcessing>
</assessmentItem>"#;

const ESSAY_21: &str = r#"<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="e" title="e" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string"/>
  <outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float"><defaultValue><value>5</value></defaultValue></outcomeDeclaration>
  <itemBody><extendedTextInteraction responseIdentifier="RESPONSE"><prompt>Explain Thévenin's theorem.</prompt></extendedTextInteraction></itemBody>
</assessmentItem>"#;

const MATCH_30: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="m" title="m" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="directedPair">
    <qti-correct-response><qti-value>L1 R2</qti-value><qti-value>L2 R1</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body>
    <qti-match-interaction response-identifier="RESPONSE" max-associations="2">
      <qti-prompt>Match each quantity to its unit.</qti-prompt>
      <qti-simple-match-set>
        <qti-simple-associable-choice identifier="L1" match-max="1">Charge</qti-simple-associable-choice>
        <qti-simple-associable-choice identifier="L2" match-max="1">Current</qti-simple-associable-choice>
      </qti-simple-match-set>
      <qti-simple-match-set>
        <qti-simple-associable-choice identifier="R1" match-max="1">ampere</qti-simple-associable-choice>
        <qti-simple-associable-choice identifier="R2" match-max="1">coulomb</qti-simple-associable-choice>
      </qti-simple-match-set>
    </qti-match-interaction>
  </qti-item-body>
</qti-assessment-item>"#;

const ORDER_30: &str = r#"<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="o" title="o" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="ordered" base-type="identifier">
    <qti-correct-response><qti-value>B</qti-value><qti-value>C</qti-value><qti-value>A</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body>
    <qti-order-interaction response-identifier="RESPONSE">
      <qti-prompt>Put the steps of safe isolation in order.</qti-prompt>
      <qti-simple-choice identifier="A">Work</qti-simple-choice>
      <qti-simple-choice identifier="B">Isolate</qti-simple-choice>
      <qti-simple-choice identifier="C">Test dead</qti-simple-choice>
    </qti-order-interaction>
  </qti-item-body>
</qti-assessment-item>"#;

const TEXT_30: &str = r#"<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="s" title="s" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string">
    <qti-correct-response><qti-value>Ohm's law</qti-value></qti-correct-response>
    <qti-mapping default-value="0"><qti-map-entry map-key="Ohm's law" mapped-value="1"/><qti-map-entry map-key="ohms law" mapped-value="1"/></qti-mapping>
  </qti-response-declaration>
  <qti-item-body><p>V = IR is <qti-text-entry-interaction response-identifier="RESPONSE"/>.</p></qti-item-body>
</qti-assessment-item>"#;

const TRUE_FALSE_30: &str = r#"<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="tf" title="tf" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>F</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body><qti-choice-interaction response-identifier="RESPONSE" max-choices="1"><qti-prompt>Current is measured in volts.</qti-prompt>
    <qti-simple-choice identifier="T">True</qti-simple-choice><qti-simple-choice identifier="F">False</qti-simple-choice>
  </qti-choice-interaction></qti-item-body>
</qti-assessment-item>"#;

async fn questions(c: &mut Class) -> Vec<Value> {
    let token = c.instructor.api_token().await;
    let listed = c.instructor.api("GET", &format!("/api/v1/offerings/{}/questions", c.offering), &token, None).await;
    listed.json()["questions"].as_array().unwrap().clone()
}

/// A question as it would be exported: everything but its id, tags and CLO.
fn content(question: &Value) -> Value {
    serde_json::json!({
        "category": question["category"],
        "prompt": question["prompt"],
        "points": question["points"],
        "body": question["body"],
    })
}

#[tokio::test]
async fn qti_packages_of_every_interaction_import_whole_and_the_bank_exports_back_the_same() {
    let t = TestApp::new().await;
    let mut c = class(&t, "qti").await;
    let page = format!("/quizzes/offerings/{}/bank/qti", c.offering);
    let items = [
        ("items/choice.xml", V21, CHOICE_21),
        ("items/text.xml", V21, TEXT_21),
        ("items/essay.xml", V21, ESSAY_21),
        ("items/match.xml", V30, MATCH_30),
        ("items/order.xml", V30, ORDER_30),
        ("items/short.xml", V30, TEXT_30),
        ("items/truth.xml", V30, TRUE_FALSE_30),
    ];
    let good = package(&items, &[]);

    // A broken package: one item's key names no choice, another is listed but missing. Nothing
    // is added; each problem is named by file, element and line.
    let broken_choice = CHOICE_21.replace("<value>C</value>", "<value>Z</value>");
    let mut broken_items = items.to_vec();
    broken_items[0].2 = &broken_choice;
    let broken = package(&broken_items, &["items/missing.xml"]);
    let refused = c.instructor.upload_with(&page, &page, &[("mode", "import")], "file", "bank.zip", &broken).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    let error = html::text(&refused.text, "upload-error").unwrap_or_else(|| panic!("{}", refused.text));
    assert!(
        error.contains("items/choice.xml: line 3, <responseDeclaration>") && error.contains("names Z as right"),
        "{error}"
    );
    assert!(error.contains("items/missing.xml: listed in imsmanifest.xml but not in the package"), "{error}");
    assert!(questions(&mut c).await.is_empty(), "nothing was added");
    let not_zip = c.instructor.upload_with(&page, &page, &[("mode", "check")], "file", "bank.zip", b"not a zip").await;
    assert_eq!(not_zip.status, 422);

    // Checked first: a preview of the seven, nothing added yet.
    let checked = c.instructor.upload_with(&page, &page, &[("mode", "check")], "file", "bank.zip", &good).await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    assert!(checked.contains("Ready to import") && checked.contains("7 questions."), "{}", checked.text);
    assert!(questions(&mut c).await.is_empty());
    let imported = c
        .instructor
        .upload_with(&page, &page, &[("mode", "import"), ("category", "Imported")], "file", "bank.zip", &good)
        .await;
    assert_eq!(imported.status, 200, "{}", imported.text);
    let bank = questions(&mut c).await;
    let kinds: Vec<&str> = bank.iter().map(|q| q["body"]["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["multiple_choice", "numeric", "essay", "matching", "ordering", "short_answer", "true_false"],
        "{bank:?}"
    );
    assert!(bank.iter().all(|q| q["category"] == "Imported"));
    assert_eq!(bank[0]["points"], 2.0);
    assert_eq!(bank[0]["body"]["correct"], serde_json::json!([0, 2]));
    assert_eq!(bank[1]["body"], serde_json::json!({"kind": "numeric", "answer": 3.3, "tolerance": 0.05}));
    assert_eq!(bank[2]["points"], 5.0);
    assert_eq!(bank[3]["body"]["pairs"][0], serde_json::json!({"left": "Charge", "right": "coulomb"}));
    assert_eq!(bank[4]["body"]["items"], serde_json::json!(["Isolate", "Test dead", "Work"]));
    assert_eq!(bank[5]["prompt"], "V = IR is ____.");
    assert_eq!(bank[5]["body"]["patterns"], serde_json::json!(["Ohm's law", "ohms law"]));
    assert_eq!(bank[6]["body"], serde_json::json!({"kind": "true_false", "correct": false}));

    // Exported as QTI 3.0 and imported into another bank: the same questions.
    let export = c.instructor.get(&format!("{page}/export")).await;
    assert_eq!(export.status, 200);
    assert_eq!(export.headers.get("content-type").unwrap(), "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(export.bytes.to_vec())).unwrap();
    let mut manifest = String::new();
    archive.by_name("imsmanifest.xml").unwrap().read_to_string(&mut manifest).unwrap();
    assert_eq!(manifest.matches("imsqti_item_xmlv3p0").count(), 7, "{manifest}");
    let mut other = class(&t, "qtj").await;
    let other_page = format!("/quizzes/offerings/{}/bank/qti", other.offering);
    let again = other
        .instructor
        .upload_with(&other_page, &other_page, &[("mode", "import")], "file", "bank.zip", &export.bytes)
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    let copied = questions(&mut other).await;
    assert_eq!(copied.iter().map(content).collect::<Vec<_>>(), bank.iter().map(content).collect::<Vec<_>>());

    // Only the course's staff: a student is refused, another institution finds nothing.
    let mut student = t.sign_in("s1@qti.edu").await;
    assert_eq!(student.get(&page).await.status, 403);
    assert_eq!(student.get(&format!("{page}/export")).await.status, 403);
    assert_eq!(other.instructor.get(&format!("{page}/export")).await.status, 404);
}
