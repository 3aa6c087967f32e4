import { Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useParams, useSearchParams } from "react-router";
import { AnnouncementsPanel } from "./AnnouncementsPanel";
import { CourseFrame } from "./CourseFrame";
import { KitPanel } from "./KitPanel";
import { ReviewsPanel } from "./ReviewsPanel";

const TABS = ["announcements", "kit", "reviews"] as const;
type Tab = (typeof TABS)[number];

/**
 * What a course's team tells and gives its learners beyond the lessons
 * (`/teaching/courses/:courseId/community`), one tab each (`?tab=`): announcements to everyone,
 * a cohort or chosen learners, now or at a set time, with who read them; the enablement kit
 * (slides, prompts, templates, chatbots, worksheets); and the learners' reviews with the
 * team's answers.
 */
export function CourseCommunityPage() {
  const { t } = useTranslation("cohorts");
  const { courseId = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get("tab")) ?? "announcements";
  return (
    <CourseFrame
      courseId={courseId}
      title={(course) => (course ? t("community.pageTitle", { course }) : t("community.title"))}
      intro={t("community.intro")}
    >
      {(data) => (
        <Tabs
          value={tab}
          onChange={(value) => value && setParams({ tab: value }, { replace: true })}
          keepMounted={false}
        >
          <Tabs.List>
            {TABS.map((x) => (
              <Tabs.Tab key={x} value={x}>
                {t(`community.tabs.${x}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="announcements" pt="md">
            <AnnouncementsPanel course={data.course} />
          </Tabs.Panel>
          <Tabs.Panel value="kit" pt="md">
            <KitPanel courseId={data.course.id} />
          </Tabs.Panel>
          <Tabs.Panel value="reviews" pt="md">
            <ReviewsPanel course={data.course} />
          </Tabs.Panel>
        </Tabs>
      )}
    </CourseFrame>
  );
}
