import { Button, Checkbox, Group, List, Modal, Radio, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type AssignResult, membersOf, useAssign } from "../../api/assignments";
import type { CourseListItem } from "../../api/catalog";
import { useOrgPermission } from "../../app/permissions";
import { useSignedInMe } from "../../app/RequireAuth";
import { ApiErrorAlert } from "../../ui/ApiErrorAlert";
import { BulkProgress } from "../../ui/BulkProgress";
import { CourseSelect } from "../../ui/CourseSelect";
import { dayOf, endOfDay } from "../../ui/days";
import { DepartmentPicker, PeoplePicker, type Person, TeamPicker } from "../../ui/pickers";
import { CohortPicker } from "./pickers";

type Audience = "people" | "team" | "department";

/**
 * Assigns a course to people picked by name, to everyone in a team, or to everyone in a
 * department, with an optional due date and the mandatory and compliance flags. Large groups
 * go out in batches under a progress bar; the result says who was enrolled, who waits for a
 * seat, and who was refused and why.
 */
export function AssignDialog({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const { t } = useTranslation("assignments");
  const me = useSignedInMe();
  const may = useOrgPermission(orgId);
  const assign = useAssign(me.user.id, orgId);
  const [course, setCourse] = useState<CourseListItem | null>(null);
  const [cohortId, setCohortId] = useState<string | null>(null);
  const [audience, setAudience] = useState<Audience>("people");
  const [people, setPeople] = useState<Person[]>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [withDue, setWithDue] = useState(true);
  const [day, setDay] = useState(dayOf(null, 30));
  const [isMandatory, setMandatory] = useState(false);
  const [isCompliance, setCompliance] = useState(false);
  const [sending, setSending] = useState<{ done: number; total: number } | null>(null);
  const [recipients, setRecipients] = useState<Person[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [lookupError, setLookupError] = useState<unknown>(null);

  const dueAt = withDue ? endOfDay(day) : null;
  const [resolving, setResolving] = useState(false);
  const busy = assign.isPending || resolving;
  const results = assign.data;

  const submit = async () => {
    setProblem(null);
    setLookupError(null);
    if (!course) return setProblem(t("assign.needCourse"));
    if (withDue && !dueAt) return setProblem(t("assign.dueInvalid"));
    if (course.delivery === "cohort-based" && !cohortId) return setProblem(t("assign.needCohort"));
    let chosen: Person[];
    setResolving(true);
    try {
      chosen =
        audience === "people"
          ? people
          : audience === "team" && teamId
            ? await membersOf(orgId, { teamId })
            : audience === "department" && departmentId
              ? await membersOf(orgId, { departmentId })
              : [];
    } catch (error) {
      setLookupError(error);
      return;
    } finally {
      setResolving(false);
    }
    if (chosen.length === 0) return setProblem(t(`assign.nobody.${audience}`));
    setRecipients(chosen);
    setSending({ done: 0, total: chosen.length });
    assign.mutate({
      input: {
        userIds: chosen.map((p) => p.userId),
        courseId: course.id,
        cohortId,
        dueAt,
        isMandatory,
        isCompliance,
      },
      onProgress: (done) => setSending({ done, total: chosen.length }),
    });
  };

  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={t("assign.title")}
      size="lg"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      closeButtonProps={{ "aria-label": t("assign.cancel") }}
    >
      {sending ? (
        <Stack gap="sm">
          <BulkProgress
            done={sending.done}
            total={sending.total}
            label={t("assign.progress", { done: sending.done, total: sending.total })}
          />
          {assign.error && <ApiErrorAlert error={assign.error} />}
          {results && <AssignSummary results={results} people={recipients} />}
          <Group justify="flex-end">
            <Button onClick={onClose} disabled={busy}>
              {t("assign.close")}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="sm">
            <CourseSelect
              orgId={orgId}
              label={t("assign.course")}
              placeholder={t("assign.coursePlaceholder")}
              value={course?.id ?? null}
              onChange={(_, next) => {
                setCourse(next);
                setCohortId(null);
              }}
              autoFocus
            />
            {course?.delivery === "cohort-based" && (
              <CohortPicker courseId={course.id} value={cohortId} onChange={setCohortId} />
            )}
            <Radio.Group
              label={t("assign.audience")}
              value={audience}
              onChange={(value) => setAudience(value as Audience)}
            >
              <Group gap="md" mt={4}>
                <Radio value="people" label={t("assign.toPeople")} />
                {may("teams:read") && <Radio value="team" label={t("assign.toTeam")} />}
                {may("departments:read") && (
                  <Radio value="department" label={t("assign.toDepartment")} />
                )}
              </Group>
            </Radio.Group>
            {audience === "people" && (
              <PeoplePicker orgId={orgId} value={people} onChange={setPeople} />
            )}
            {audience === "team" && (
              <TeamPicker orgId={orgId} value={teamId} onChange={setTeamId} />
            )}
            {audience === "department" && (
              <DepartmentPicker orgId={orgId} value={departmentId} onChange={setDepartmentId} />
            )}
            <Checkbox
              label={t("assign.withDue")}
              checked={withDue}
              onChange={(event) => setWithDue(event.currentTarget.checked)}
            />
            {withDue && (
              <TextInput
                type="date"
                label={t("assign.dueAt")}
                description={t("assign.dueHint")}
                value={day}
                onChange={(event) => setDay(event.currentTarget.value)}
              />
            )}
            <Checkbox
              label={t("required.mandatory")}
              description={t("assign.mandatoryHint")}
              checked={isMandatory}
              onChange={(event) => setMandatory(event.currentTarget.checked)}
            />
            <Checkbox
              label={t("required.compliance")}
              description={t("assign.complianceHint")}
              checked={isCompliance}
              onChange={(event) => setCompliance(event.currentTarget.checked)}
            />
            {problem && (
              <Text c="red.9" size="sm" role="alert">
                {problem}
              </Text>
            )}
            {lookupError !== null && <ApiErrorAlert error={lookupError} />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                {t("assign.cancel")}
              </Button>
              <Button type="submit" loading={resolving}>
                {t("assign.send")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** What an assignment did, in counts, and each refusal with the person and the reason. */
function AssignSummary({ results, people }: { results: AssignResult[]; people: Person[] }) {
  const { t } = useTranslation("assignments");
  const names = new Map(people.map((p) => [p.userId, p.fullName]));
  const count = (kind: AssignResult["result"]) => results.filter((r) => r.result === kind).length;
  const refused = results.filter((r) => r.result === "refused");
  return (
    <Stack gap={4}>
      <Text fw={500}>
        {t("assign.result", {
          enrolled: count("enrolled"),
          waitlisted: count("waitlisted"),
          refused: refused.length,
        })}
      </Text>
      {refused.length > 0 && (
        <List size="sm" spacing={2}>
          {refused.map((r) => (
            <List.Item key={r.userId} style={{ overflowWrap: "anywhere" }}>
              {t("assign.refusedRow", {
                person: names.get(r.userId) ?? r.userId,
                reason: t(`errors:${r.error?.code}`, { defaultValue: r.error?.message ?? "" }),
              })}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
