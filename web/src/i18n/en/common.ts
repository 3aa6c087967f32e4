// Shell, shared states and the 404 page. Keys are `screen.item`; comments are notes for translators.
const common = {
  product: "Lyceum",
  // Label of the choice of organization on staff pages, for people in several.
  organization: "Organization",
  shell: {
    skipToContent: "Skip to content",
    navigation: "Main navigation",
    // Label of the burger button that opens the navigation on small screens.
    toggleNavigation: "Toggle navigation",
    userMenu: "Account menu for {{name}}",
    signOut: "Sign out",
    language: "Language",
  },
  // Page controls of long lists, named for screen readers.
  pagination: {
    previous: "Previous page",
    next: "Next page",
    page: "Page {{page}} of {{pages}}",
  },
  nav: {
    myLearning: "My learning",
    catalog: "Catalog",
    certificates: "Certificates",
    reports: "Reports",
    people: "People",
    organization: "Organization",
    learners: "Learners",
    platform: "Platform",
    integrations: "Integrations",
    assignments: "Assignments",
    teaching: "Teaching",
    compliance: "Compliance",
    approvals: "Approvals",
    workflows: "Workflows",
  },
  // Lists reordered by dragging a handle (mouse, touch or keyboard); read out by screen readers.
  sortable: {
    handle: "Move {{name}}",
    instructions:
      "To move an item, press Space or Enter to pick it up, the arrow keys to move it, Space or Enter to drop it, Escape to cancel.",
    picked: "Picked up {{name}}, position {{position}} of {{count}}.",
    moved: "{{name}} is now at position {{position}} of {{count}}.",
    dropped: "Dropped {{name}} at position {{position}} of {{count}}.",
    cancelled: "Moving {{name}} was cancelled; it is back where it was.",
  },
  // A question before an action that cannot be undone.
  confirm: {
    cancel: "Cancel",
  },
  // Choosing people, a team, a department or a course (ui/pickers.tsx, ui/PersonSelect.tsx,
  // ui/CourseSelect.tsx).
  pickers: {
    people: "People",
    peopleHint: "Type a name or email to find someone",
    searching: "Searching…",
    noPeople: "Nobody matches",
    // Shown for a chosen person whose name is not known yet.
    chosenPerson: "The chosen person",
    team: "Team",
    noTeams: "No teams",
    department: "Department",
    noDepartments: "No departments",
    // Shown for a chosen course whose title is not known yet.
    chosenCourse: "The chosen course",
    noAssignableCourse: "No published course matches",
    noOwnCourse: "No course of the organization matches",
  },
  // A chart's data as a table (ui/charts/Chart.tsx), for anyone who prefers the numbers.
  chart: {
    showTable: "Show as table",
    hideTable: "Hide table",
    noData: "Nothing to show yet.",
  },
  state: {
    loading: "Loading…",
    retry: "Try again",
    // Shown under an error message; support can find the request in the logs with it.
    requestId: "Reference: {{requestId}}",
    errorTitle: "Something went wrong",
  },
  notFound: {
    title: "Page not found",
    body: "There is nothing at this address. It may have moved, or the link may be mistyped.",
    home: "Go to the start page",
  },
  crash: {
    title: "This page could not be shown",
    body: "An unexpected error stopped this page. Reload to try again.",
    reload: "Reload",
  },
  languages: {
    en: "English",
    de: "Deutsch",
  },
  // The notification bell in the header and its popover.
  bell: {
    title: "Notifications",
    // The bell's name for screen readers, with and without unread ones.
    label: "Notifications",
    labelUnread_one: "Notifications, {{count}} unread",
    labelUnread_other: "Notifications, {{count}} unread",
    latest: "Latest notifications",
    unread: "Unread",
    empty: "Nothing new.",
    all: "See all notifications",
  },
  // Entries of the user menu that lead to the account pages.
  account: {
    profile: "Profile",
    sessions: "Sessions",
    notifications: "Notification preferences",
    privacy: "Privacy",
  },
  // What a list shows in place of a person's data that their privacy keeps from the reader.
  personPrivacy: {
    // A learner whose processing is restricted by a data subject request: no name is shown.
    restricted: "Restricted person",
    restrictedHint: "Details withheld while a data request restricts processing",
    // A value the learner keeps from managers in their privacy settings.
    hidden: "Hidden by the learner",
  },
};

export default common;
