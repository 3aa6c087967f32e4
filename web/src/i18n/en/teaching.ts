// Teaching: the instructor's screens, starting with a course's enrollment requests.
const teaching = {
  requests: {
    title: "Enrollment requests",
    // Under the heading: the course the requests are for.
    course: "For {{course}}",
    intro:
      "Learners asking to join this course. Approving enrolls them; declining tells them why, if you say.",
    pending: "Waiting for a decision",
    decided: "Decided",
    emptyTitle: "No requests are waiting",
    emptyReason:
      "When a learner asks to join this course, the request appears here and you are notified.",
    noDecided: "No request has been decided yet.",
    requestedAt: "Asked on {{date}}",
    decidedAt: "Decided on {{date}}",
    // The learner's own words, sent with the request.
    message: "Message",
    noMessage: "No message.",
    reviewNotes: "Note to the learner",
    approve: "Approve",
    decline: "Decline",
    // Label of a request's group of buttons, for screen readers.
    actionsFor: "Decide the request of {{name}}",
    declineTitle: "Decline the request of {{name}}",
    declineReason: "Reason (sent to the learner)",
    declineReasonHint: "Optional. Say why, and what they could do instead.",
    declineConfirm: "Decline the request",
    cancel: "Keep it waiting",
    approved: "{{name}} was approved.",
    declined: "The request of {{name}} was declined.",
    status: {
      pending: "Waiting",
      approved: "Approved",
      rejected: "Declined",
      withdrawn: "Withdrawn",
    },
    refusedTitle: "You cannot review these requests",
    refusedBody:
      "Only the course's instructors and the organization's approvers see its enrollment requests.",
    notFoundTitle: "Course not found",
    notFoundBody: "There is no such course here, or it is not visible to you.",
    toCourse: "Go to the course page",
    toCatalog: "Go to the catalog",
  },
};

export default teaching;
