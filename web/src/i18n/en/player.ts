// The lesson player: one lesson of a course the learner is enrolled in, with the course outline.
const player = {
  // Link from the player back to the course's page.
  backToCourse: "Course page",
  // The button that opens the course outline in a drawer on small screens.
  openOutline: "Course outline",
  outline: {
    title: "Course outline",
    // Screen-reader name of the course's progress bar.
    progressLabel: "Course progress",
    progress: "{{percent}} complete · {{completed}} of {{total}} lessons",
    moduleLessons: "{{completed}} of {{total}} lessons",
    moduleCompleted: "Module completed",
    locked: "Locked",
    // Why a module is locked: it opens on a date.
    lockScheduled: "Opens on {{date}}.",
    // Why a module is locked: it waits for the module before it.
    lockSequential: "Opens when you finish “{{modules}}”.",
    // Why a module is locked: it waits for these modules (a list of titles).
    lockPrerequisites: "Opens when you finish {{modules}}.",
    lockUnknown: "Not open yet.",
    // A module's title quoted inside lockPrerequisites.
    quoted: "“{{title}}”",
    // Status of a lesson, read by screen readers next to its icon.
    lessonStatus: {
      "not-started": "Not started",
      "in-progress": "In progress",
      completed: "Completed",
      locked: "Locked",
    },
  },
  lesson: {
    // The lesson's type, as a badge.
    type: {
      video: "Video",
      text: "Reading",
      pdf: "PDF",
      audio: "Audio",
      interactive: "Interactive",
      "live-session": "Live session",
      "external-link": "External link",
    },
    duration: "{{duration}}",
    previous: "Previous lesson",
    next: "Next lesson",
    // Shown instead of "Next lesson" on the last lesson.
    backToCourseEnd: "Back to the course",
    // Screen-reader name of the previous/next navigation.
    pagination: "Lesson navigation",
    transcript: "Transcript",
    attachments: "Attachments",
    unsupported: "This lesson's type ({{type}}) cannot be shown here yet.",
  },
  content: {
    resumeFrom: "Resuming at {{time}}.",
    videoLabel: "Video: {{title}}",
    audioLabel: "Audio: {{title}}",
    mediaError: "The media could not be loaded. Try the direct link: ",
    mediaLink: "Open the media file",
    pdfTitle: "PDF: {{title}}",
    pdfOpen: "Open the PDF in a new tab",
    pdfDownload: "Download the PDF",
    pdfPages: "{{count}} pages",
    interactiveTitle: "Interactive exercise: {{title}}",
    interactiveOpen: "Open the exercise in a new tab",
    interactiveLoading: "Loading the exercise…",
    liveStarts: "Starts {{dateTime}}",
    liveDuration: "Duration: {{duration}}",
    liveJoin: "Join the session",
    liveNoLink: "The join link will be shared before the session starts.",
    liveUpcoming: "This session has not started yet.",
    liveRunning: "This session is running now.",
    liveOver: "This session has ended.",
    externalOpen: "Open {{label}}",
    externalDefault: "the resource",
    // After the label of a link that opens in a new tab.
    newTab: "(opens in a new tab)",
    externalHint: "The resource opens in a new tab; come back here to mark the lesson complete.",
  },
  completion: {
    completed: "Completed",
    completedOn: "Completed on {{date}}",
    inProgress: "In progress",
    markComplete: "Mark complete",
    // The minimum study time rule, explained before the learner can complete the lesson.
    minTime:
      "This lesson counts as complete after {{required}} of study; you have studied {{spent}}.",
    minTimeMet: "You have studied the minimum time for this lesson.",
    mediaRule: "It completes on its own when you reach the end.",
    liveRule: "You can mark it complete once the session has started.",
    externalRule: "Open the resource first, then mark the lesson complete.",
    justCompleted: "Lesson completed.",
    moduleCompleted: "You completed this module.",
    courseCompleted: "You completed the course. Well done!",
    unlocked: "Now open: {{modules}}.",
  },
  notes: {
    title: "My notes",
    label: "Notes on this lesson",
    description: "Only you can see your notes.",
    save: "Save notes",
    clear: "Delete notes",
    saved: "Notes saved.",
    cleared: "Notes deleted.",
  },
  bookmarks: {
    title: "Bookmarks",
    empty: "No bookmarks yet.",
    note: "Bookmark note (optional)",
    add: "Add a bookmark",
    jump: "Go to {{time}}",
    remove: "Delete bookmark",
    // Screen-reader name of a bookmark's delete button.
    removeLabel: "Delete bookmark {{name}}",
    listLabel: "Bookmarks of this lesson",
    added: "Bookmark added.",
    removed: "Bookmark deleted.",
    untitled: "Bookmark",
  },
  refusal: {
    notEnrolledTitle: "You are not enrolled in this course",
    notEnrolledBody:
      "Lessons are open to the course's learners. Enroll on the course page to start learning.",
    inactiveTitle: "This course is not open to you right now",
    inactiveBody: "Your enrollment is {{status}}, so its lessons are closed.",
    lockedTitle: "This lesson is locked",
    lockedBody: "Its module is not open yet.",
    notFoundTitle: "Lesson not found",
    notFoundBody: "There is no such lesson, or it is not published. Check the link you followed.",
    toCourse: "Go to the course page",
    toMyLearning: "Go to My learning",
    // An enrollment's status, inside inactiveBody.
    status: {
      "pending-payment": "awaiting payment",
      active: "active",
      completed: "completed",
      suspended: "suspended",
      dropped: "dropped",
      expired: "expired",
    },
  },
  resume: {
    title: "Opening your lesson",
    noLessonsTitle: "Nothing to learn here yet",
    noLessonsBody: "This course has no lessons open to you yet.",
  },
  // Link on the course page once enrolled.
  continue: {
    start: "Start learning",
    continue: "Continue learning",
    review: "Review the course",
  },
};

export default player;
