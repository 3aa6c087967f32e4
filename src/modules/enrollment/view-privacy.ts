import type { Ctx } from "../../platform/context.js";
import { privacyForViewer, restrictionsForViewer } from "../access/learner-privacy.js";
import { withoutActivity } from "./present.js";

interface ShownView {
  learner: { name: string | null; email: string | null };
  restricted: boolean;
  activityHidden: boolean;
  timeSpentSeconds: number | null;
  lastAccessedAt: string | null;
}

/**
 * Enrollment views of people as the caller may see them (docs/privacy.md): without study time
 * and last visit when the learner keeps their activity from the caller, and without name,
 * address and activity (`restricted: true`) while the learner's processing is restricted in the
 * enrollment's organization. The row stays, so lists still count it; the learner sees it all.
 */
export async function viewsForViewer<
  R extends { user_id: string; organization_id: string | null },
  V extends ShownView,
>(ctx: Ctx, rows: R[], present: (row: R) => V): Promise<V[]> {
  const privacy = await privacyForViewer(
    ctx,
    rows.map((r) => r.user_id),
  );
  const restriction = await restrictionsForViewer(
    ctx,
    rows.map((r) => ({ userId: r.user_id, organizationId: r.organization_id })),
  );
  return rows.map((row) => {
    const view = present(row);
    if (!restriction.restricted(row.user_id, row.organization_id)) {
      const hidden = privacy.hides(row.user_id, "activity");
      return { ...withoutActivity(view, hidden), activityHidden: hidden };
    }
    return {
      ...withoutActivity(view, true),
      learner: { ...view.learner, name: null, email: null },
      restricted: true,
      activityHidden: true,
    };
  });
}
