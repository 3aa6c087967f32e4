-- Files uploaded for a course's lessons (purpose 'course-file', POST /courses/{id}/files) name
-- their course in metadata; the course's editors list them newest first.
create index file_uploads_course_idx on file_uploads ((metadata ->> 'courseId'), created_at desc)
  where purpose = 'course-file' and deleted_at is null;
