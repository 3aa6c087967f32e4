// The learner's own pages.
const learner = {
  myLearning: {
    title: "My learning",
    // Screen-reader name of the list of courses in progress.
    listLabel: "Your courses in progress",
    emptyTitle: "No courses yet",
    emptyBody:
      "When you enroll in a course, or your organization assigns you one, it appears here with your progress.",
    // The empty state's action: a link to the catalog.
    browseCatalog: "Browse the catalog",
    progress: "{{percent}} complete",
    progressLabel: "Progress in {{course}}",
    lessons: "{{completed}} of {{total}} lessons",
    // {{relative}} is e.g. "3 days ago".
    lastActivity: "Last activity {{relative}}",
    notStarted: "Not started yet",
    // The button that goes on with a course (its title follows for screen readers).
    continue: "Continue",
    start: "Start",
    // {{relative}} is e.g. "in 3 days", {{date}} the date and time in the person's time zone.
    due: "Due {{relative}} ({{date}})",
    overdue: "Overdue: was due {{relative}} ({{date}})",
    overdueBadge: "Overdue",
    mandatory: "Mandatory",
    compliance: "Compliance",
    // An enrollment's status (the API's values).
    status: {
      "pending-payment": "Awaiting payment",
      active: "In progress",
      completed: "Completed",
      suspended: "Suspended",
      dropped: "Dropped",
      expired: "Expired",
    },
    assigned: {
      title: "Assigned and due",
      listLabel: "Courses assigned to you or with a due date",
      emptyTitle: "Nothing assigned",
      emptyBody: "Courses your organization assigns you, and courses with a due date, show here.",
    },
    inProgress: {
      title: "In progress",
      emptyTitle: "No courses in progress",
      emptyBody: "Courses you enroll in yourself show here until you complete them.",
    },
    completed: {
      title: "Completed",
      listLabel: "Completed courses",
      emptyTitle: "Nothing completed yet",
      emptyBody: "Courses you complete show here, with their certificates.",
      on: "Completed {{date}}",
      // Link to the course's certificate (its title follows for screen readers).
      certificate: "View certificate",
    },
    certificates: {
      title: "Certificates",
      listLabel: "Your latest certificates",
      all: "All certificates",
      emptyTitle: "No certificates yet",
      emptyBody: "Completing a course that awards a certificate adds it here.",
      issued: "Issued {{date}}",
      status: { valid: "Valid", expired: "Expired", revoked: "Revoked" },
    },
    notifications: {
      title: "Recent notifications",
      listLabel: "Your latest notifications",
      emptyTitle: "No notifications",
      emptyBody: "News about your courses, certificates and deadlines shows here.",
      // Marks a notification not read yet.
      unread: "New",
    },
  },
};

export default learner;
