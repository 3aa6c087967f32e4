-- The AI grader's feedback is kept apart from a person's comment. An applied AI grade used to
-- copy the grader's feedback into quiz_answers.feedback, which learners read once the attempt
-- closed, whatever the quiz's answer policy: a keyword grader's "Not yet shown: <criterion>"
-- gave the rubric away. The grader's text stays in ai_feedback (shown with the answer key only);
-- copies left in feedback are removed.

update quiz_answers
set feedback = null
where ai_decision in ('graded', 'graded-flagged')
  and ai_feedback is not null
  and feedback = ai_feedback;
