// A course's ratings and reviews (on its page) and its announcements.
const feedback = {
  reviews: {
    title: "Ratings and reviews",
    // Screen-reader name of the list of reviews.
    listLabel: "Reviews",
    empty: "No one has rated this course yet.",
    // {{average}} is e.g. "4.5"; {{count}} the number of ratings.
    summary_one: "{{average}} out of 5 ({{count}} rating)",
    summary_other: "{{average}} out of 5 ({{count}} ratings)",
    stars_one: "{{count}} star",
    stars_other: "{{count}} stars",
    // Under a review: who wrote it (first name and initial) and when.
    by: "{{name}}, {{date}}",
    anonymous: "A learner",
    // Heads the course team's answer to a review.
    instructorAnswer: "The instructor's answer",
    // Under the list while more reviews exist than are shown; {{count}} is the total.
    shown_one: "Showing {{shown}} of {{total}} review",
    shown_other: "Showing {{shown}} of {{total}} reviews",
    showMore: "Show more reviews",
  },
  rate: {
    heading: "Your rating",
    // Label of the 1–5 star choice.
    stars: "Stars",
    // Each star's name for screen readers.
    starLabel_one: "{{count}} star",
    starLabel_other: "{{count}} stars",
    ratingRequired: "Choose from 1 to 5 stars",
    title: "Review title (optional)",
    content: "Your review (optional)",
    tooLong: "At most {{max}} characters",
    submit: "Save rating",
    update: "Update rating",
    delete: "Delete my rating",
    saved: "Your rating is saved.",
  },
  announcements: {
    title: "Announcements",
    // The link on a course's page, for its learners.
    link: "Course announcements",
    back: "Back to {{course}}",
    backPlain: "Back to the course",
    listLabel: "Announcements, newest first",
    emptyTitle: "No announcements",
    emptyBody: "When the course team announces something, it appears here and you are notified.",
    // Marks an announcement not read before this visit.
    new: "New",
    published: "Published {{date}}",
    priority: { low: "Low", normal: "Normal", high: "Important", urgent: "Urgent" },
  },
};

export default feedback;
