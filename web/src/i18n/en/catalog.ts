// The catalog: browsing published courses and a course's own page.
const catalog = {
  list: {
    title: "Catalog",
    search: "Search courses",
    searchPlaceholder: "Title, description, code or tag",
    // Labels of the filters above the course list.
    category: "Category",
    // A category in the filter with the number of courses it holds.
    categoryOption: "{{name}} ({{count}})",
    level: "Level",
    language: "Language",
    delivery: "Format",
    price: "Price",
    sort: "Sort by",
    any: "Any",
    free: "Free",
    paid: "Paid",
    clearFilters: "Clear filters",
    // Screen-reader name of the list of course cards.
    listLabel: "Courses",
    // Announced when the list changes; count is the number of courses found.
    results_one: "{{count}} course",
    results_other: "{{count}} courses",
    pagination: "Catalog pages",
    emptyTitle: "No courses match",
    emptyBody: "Try other words, or clear the filters to see every course.",
    emptyCatalogTitle: "The catalog is empty",
    emptyCatalogBody: "No course has been published yet. Published courses will appear here.",
    sorts: {
      newest: "Newest",
      oldest: "Oldest",
      popular: "Most popular",
      rating: "Best rated",
      price: "Price",
      title: "Title",
    },
  },
  course: {
    level: {
      beginner: "Beginner",
      intermediate: "Intermediate",
      advanced: "Advanced",
      "all-levels": "All levels",
    },
    delivery: {
      "self-paced": "Self-paced",
      "cohort-based": "Cohort-based",
    },
    free: "Free",
    // Average rating out of five, e.g. "4.5 (12 ratings)".
    rating_one: "{{average}} out of 5 ({{count}} rating)",
    rating_other: "{{average}} out of 5 ({{count}} ratings)",
    noRatings: "No ratings yet",
    lessons_one: "{{count}} lesson",
    lessons_other: "{{count}} lessons",
    instructor: "By {{name}}",
  },
  detail: {
    back: "Back to the catalog",
    previewTitle: "Preview as a learner",
    previewText:
      "This is the course as learners see it: unpublished modules and lessons are hidden.",
    previewBack: "Back to the editor",
    notFoundTitle: "Course not found",
    notFoundBody:
      "There is no course at this address, or it is not open to you. It may have been unpublished or the link may be mistyped.",
    about: "About this course",
    outcomes: "What you will learn",
    requirements: "Requirements",
    audience: "Who it is for",
    outline: "Course outline",
    // Shown under a module's title: its number of lessons.
    moduleLessons_one: "{{count}} lesson",
    moduleLessons_other: "{{count}} lessons",
    preview: "Preview",
    emptyOutline: "The outline has no lessons yet.",
    ratings: "Ratings",
    prerequisites: "Prerequisites",
    prerequisitesBody: "Complete these courses before you enroll:",
    // A prerequisite course that could not be loaded (hidden or removed).
    prerequisiteUnknown: "A course you cannot see",
    instructors: "Instructor",
    cohorts: "Cohorts",
    cohortDates: "{{start}} – {{end}}",
    seatsLeft_one: "{{count}} seat left",
    seatsLeft_other: "{{count}} seats left",
    full: "Full — join the waitlist",
    // A cohort's status (the API's values).
    cohortStatus: {
      scheduled: "Scheduled",
      open: "Open for enrollment",
      "in-progress": "Running",
      completed: "Completed",
      cancelled: "Cancelled",
    },
    noCohorts: "No cohort is open for enrollment right now.",
    chooseCohort: "Choose a cohort",
    facts: "Course facts",
    duration: "Duration",
    language: "Language",
    price: "Price",
  },
  enroll: {
    title: "Enrollment",
    enroll: "Enroll",
    enrolled: "You are enrolled in this course.",
    goToMyLearning: "Go to My learning",
    requestAccess: "Ask to join",
    approvalBody: "The course team reviews each request to join this course.",
    // The status of the person's request to join an approval-based course.
    requestStatus: {
      pending: "Your request to join is waiting for review.",
      approved: "Your request to join was approved.",
      rejected: "Your request to join was declined.",
      withdrawn: "You withdrew your request to join.",
    },
    inviteBody:
      "This course is open by invitation. Ask the course team or your organization for an access code.",
    closed: "This course does not take enrollments at the moment.",
  },
};

export default catalog;
