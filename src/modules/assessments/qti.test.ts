import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { parseQti } from "./qti.js";
import { questionDefinition, validateQuestion } from "./questions.js";

const NS = 'xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"';

/** A QTI 3.0 choice item as authoring tools write it (after the IMS examples). */
const CHOICE = `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item ${NS} identifier="choice-1" title="Unattended luggage" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>ChoiceA</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-outcome-declaration identifier="MAXSCORE" cardinality="single" base-type="float">
    <qti-default-value><qti-value>2</qti-value></qti-default-value>
  </qti-outcome-declaration>
  <qti-item-body>
    <p>Look at the text in the picture.</p>
    <qti-choice-interaction response-identifier="RESPONSE" shuffle="false" max-choices="1">
      <qti-prompt>What does it say?</qti-prompt>
      <qti-simple-choice identifier="ChoiceA">You must stay with your luggage at all times.</qti-simple-choice>
      <qti-simple-choice identifier="ChoiceB">Do not let someone else look after your luggage.
        <qti-feedback-inline outcome-identifier="FEEDBACK" identifier="ChoiceB" show-hide="show">Read it again.</qti-feedback-inline>
      </qti-simple-choice>
      <qti-simple-choice identifier="ChoiceC">Remember your luggage when you leave.</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"/>
  <qti-modal-feedback outcome-identifier="FEEDBACK" identifier="x" show-hide="show">Signs in stations ask you to keep your luggage with you.</qti-modal-feedback>
</qti-assessment-item>`;

const TRUE_FALSE = `<qti-assessment-item ${NS} identifier="tf-1" title="Earth">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>F</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
      <qti-prompt>The Earth is flat.</qti-prompt>
      <qti-simple-choice identifier="T">True</qti-simple-choice>
      <qti-simple-choice identifier="F">False</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
</qti-assessment-item>`;

const MULTIPLE = `<qti-assessment-item ${NS} identifier="ms-1" title="Primes">
  <qti-response-declaration identifier="R" cardinality="multiple" base-type="identifier">
    <qti-correct-response><qti-value>two</qti-value><qti-value>three</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body>
    <qti-choice-interaction response-identifier="R" max-choices="0">
      <qti-prompt>Which are prime?</qti-prompt>
      <qti-simple-choice identifier="two">2</qti-simple-choice>
      <qti-simple-choice identifier="three">3</qti-simple-choice>
      <qti-simple-choice identifier="four">4</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response"/>
</qti-assessment-item>`;

const TEXT_ENTRY = `<qti-assessment-item ${NS} identifier="te-1" title="Capital">
  <qti-response-declaration identifier="R" cardinality="single" base-type="string">
    <qti-correct-response><qti-value>Paris</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body><p>Capital of France: <qti-text-entry-interaction response-identifier="R"/></p></qti-item-body>
</qti-assessment-item>`;

/** The same item in QTI 2.1 spelling. */
const QTI21 = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="old-1" title="Old">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse><value>B</value></correctResponse>
  </responseDeclaration>
  <itemBody>
    <choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">
      <prompt>Pick B</prompt>
      <simpleChoice identifier="A">A</simpleChoice>
      <simpleChoice identifier="B">B</simpleChoice>
    </choiceInteraction>
  </itemBody>
</assessmentItem>`;

describe("QTI import", () => {
  it("reads choice items into multiple choice with feedback, explanation and points", () => {
    const [item] = parseQti(CHOICE);
    expect(item?.identifier).toBe("choice-1");
    expect(item?.title).toBe("Unattended luggage");
    const q = questionDefinition.parse(item?.question);
    expect(q).toMatchObject({
      type: "multiple-choice",
      text: "What does it say?",
      points: 2,
      explanation: "Signs in stations ask you to keep your luggage with you.",
      options: [
        { id: "ChoiceA", text: "You must stay with your luggage at all times.", correct: true },
        {
          id: "ChoiceB",
          text: "Do not let someone else look after your luggage.",
          correct: false,
          feedback: "Read it again.",
        },
        { id: "ChoiceC", correct: false },
      ],
    });
    expect(validateQuestion(q)).toEqual([]);
  });

  it("reads true/false, multiple response and the QTI 2.x spelling; refuses what it cannot read", () => {
    expect(parseQti(TRUE_FALSE)[0]?.question).toMatchObject({
      type: "true-false",
      text: "The Earth is flat.",
      correct: false,
      points: 1,
    });
    expect(parseQti(MULTIPLE)[0]?.question).toMatchObject({
      type: "multiple-select",
      partialCredit: true,
      options: [
        { id: "two", correct: true },
        { id: "three", correct: true },
        { id: "four", correct: false },
      ],
    });
    expect(parseQti(QTI21)[0]?.question).toMatchObject({ type: "multiple-choice", text: "Pick B" });
    expect(parseQti(TEXT_ENTRY)[0]).toMatchObject({
      identifier: "te-1",
      problem: expect.stringContaining("qti-text-entry-interaction is not supported"),
    });
    expect(() => parseQti("<qti-assessment-item><oops></qti-assessment-item>")).toThrow(
      /well-formed/,
    );
    expect(() =>
      parseQti('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
    ).toThrow(/DOCTYPE/);
    expect(() => parseQti("<html/>")).toThrow(/No qti-assessment-item/);
  });
});

describe("QTI import over HTTP", () => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeOrganization>>;
  beforeAll(async () => {
    t = await createTestApp();
    w = await makeOrganization(t, {
      people: [
        { key: "author", roles: ["learner", "instructor"] },
        { key: "learner", roles: ["learner"] },
      ],
    });
  });
  afterAll(() => t.close());

  it("stores each readable item in the organization's bank and reports the rest", async () => {
    const url = `/api/v1/organizations/${w.org.id}/question-bank/import-qti`;
    const body = {
      documents: [CHOICE, `<items>${TRUE_FALSE}${TEXT_ENTRY}</items>`, "not xml"],
      category: "safety",
      tags: ["imported"],
    };
    expect((await t.http.post(url, body, w.people.learner!)).status).toBe(403);
    const res = await t.http.post(url, body, w.people.author!);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ imported: 2, refused: 2 });
    expect(res.body.data.results).toEqual([
      expect.objectContaining({ document: 0, identifier: "choice-1", id: expect.any(String) }),
      expect.objectContaining({ document: 1, identifier: "tf-1", id: expect.any(String) }),
      expect.objectContaining({
        document: 1,
        identifier: "te-1",
        error: expect.objectContaining({ code: "UNPROCESSABLE" }),
      }),
      expect.objectContaining({
        document: 2,
        identifier: null,
        error: expect.objectContaining({ code: "INVALID_FILE" }),
      }),
    ]);
    const rows = await t.system.db
      .selectFrom("question_bank")
      .select(["title", "question_type", "category", "tags"])
      .where("organization_id", "=", w.org.id)
      .orderBy("title")
      .execute();
    expect(rows).toEqual([
      {
        title: "Earth",
        question_type: "true-false",
        category: "safety",
        tags: ["imported", "qti"],
      },
      {
        title: "Unattended luggage",
        question_type: "multiple-choice",
        category: "safety",
        tags: ["imported", "qti"],
      },
    ]);
  });
});
