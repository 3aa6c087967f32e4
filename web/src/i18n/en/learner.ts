// The learner's own pages.
const learner = {
  myLearning: {
    title: "My learning",
    // Screen-reader name of the list of course cards.
    listLabel: "Your courses",
    emptyTitle: "No courses yet",
    emptyBody:
      "When you enroll in a course, or your organization assigns you one, it appears here with your progress.",
    // The empty state's action: a link to the catalog.
    browseCatalog: "Browse the catalog",
    enrolledOn: "Enrolled {{date}}",
    dueOn: "Due {{date}}",
    progress: "{{percent}} complete",
    progressLabel: "Progress in {{course}}",
    lessons: "{{completed}} of {{total}} lessons",
    mandatory: "Mandatory",
    // An enrollment's status (the API's values).
    status: {
      "pending-payment": "Awaiting payment",
      active: "In progress",
      completed: "Completed",
      suspended: "Suspended",
      dropped: "Dropped",
      expired: "Expired",
    },
  },
};

export default learner;
