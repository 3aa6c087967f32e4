// Enrolling and where a person stands in a course: payments, access codes, requests to join,
// waitlists and their seat offers, leaving a course.
const enrollment = {
  status: {
    completed: "You completed this course.",
    suspended: "Your enrollment is suspended. Ask the course team for details.",
    // cohort is the cohort's name.
    cohort: "Cohort: {{cohort}}",
  },
  // Training an organization assigned to the person.
  assigned: {
    mandatory: "Mandatory",
    compliance: "Compliance training",
    // date is a date and time in the person's time zone.
    due: "Due by {{date}}",
  },
  drop: {
    button: "Leave this course",
    // course is the course's title.
    title: "Leave {{course}}?",
    body: "Your progress is kept, but you lose access to the course and your seat goes to someone else.",
    paid: "Leaving does not refund your payment. Ask the course team about a refund.",
    keep: "Stay enrolled",
    confirm: "Leave the course",
    mandatory: "This training was assigned to you as mandatory, so it cannot be left.",
  },
  code: {
    label: "Access code",
    description: "The code you were given by the course team or your organization.",
    submit: "Join with this code",
    tooShort: "An access code has at least 4 characters.",
    tooLong: "An access code has at most 60 characters.",
  },
  request: {
    sentOn: "Sent on {{date}}.",
    // notes are the reviewer's own words.
    notes: "Note from the course team: {{notes}}",
    withdraw: "Withdraw my request",
  },
  payment: {
    // price is the formatted amount, e.g. "€49.00".
    body: "Pay {{price}} by card to enroll. You will be enrolled as soon as the payment is confirmed.",
    pay: "Pay {{price}} and enroll",
    unfinished:
      "You started paying for this course but the payment is not finished. Your seat is held for a while.",
    resume: "Continue to payment",
    retry: "Try the payment again",
    redirect: "You will be taken to the payment page and brought back here afterwards.",
    received: "Payment received, you are enrolled.",
    cancelled: "Payment cancelled, nothing was charged.",
    confirming: "Confirming your payment…",
    late: "Your payment has not been confirmed yet. We will tell you as soon as it is; you can also check again later.",
    checkAgain: "Check again",
  },
  // The local test payment page (the built-in card processor of development and demo sites).
  checkout: {
    title: "Test payment",
    intro: "This site takes payments through its built-in test processor: no card is charged.",
    course: "Course",
    amount: "Amount",
    pay: "Pay {{price}}",
    cancel: "Cancel payment",
    done: "This payment is already settled.",
    // status is the payment's status word below.
    status: "Status: {{status}}",
    statuses: {
      pending: "Waiting for payment",
      completed: "Paid",
      failed: "Failed",
      expired: "Expired",
      refunded: "Refunded",
      "partially-refunded": "Partly refunded",
    },
    back: "Back to the course",
    notFoundTitle: "Payment not found",
    notFoundBody: "There is no payment of yours at this address.",
  },
  waitlist: {
    // position is the person's place in the queue; cohort is the cohort's name.
    position: "You are number {{position}} on the waitlist for {{cohort}}.",
    weWillTell: "We will tell you by email and in the app when a seat is free for you.",
    leave: "Leave the waitlist",
    // until is a date and time in the person's time zone.
    offered: "A seat in {{cohort}} is held for you until {{until}}.",
    seeOffer: "Accept or decline the seat",
  },
  // The page a seat offer links to (/waitlist/:entryId).
  offer: {
    title: "A seat is waiting for you",
    body: "A seat opened in {{cohort}} of {{course}}. It is held for you until {{until}}; after that it goes to the next person.",
    // hours: hours left before the offer runs out.
    left_one: "About {{count}} hour left.",
    left_other: "About {{count}} hours left.",
    accept: "Accept the seat",
    decline: "Decline",
    declineConfirm: "Decline the seat? It goes to the next person waiting.",
    acceptedTitle: "You are enrolled",
    acceptedBody: "The seat is yours: you are enrolled in {{course}}.",
    declinedTitle: "Seat declined",
    declinedBody: "The seat goes to the next person waiting. Thank you for letting us know.",
    expiredTitle: "This offer has run out",
    expiredBody: "The offer was open until {{until}}; the seat went to the next person waiting.",
    waitingTitle: "You are on the waitlist",
    goneTitle: "This offer is no longer open",
    goneBody:
      "It was accepted, declined or ran out. My learning lists the courses you are enrolled in.",
    toCourse: "Go to the course",
    toMyLearning: "Go to My learning",
  },
};

export default enrollment;
