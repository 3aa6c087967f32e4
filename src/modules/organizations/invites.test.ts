import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mailedInviteToken,
  makeOrganization,
  makeUser,
  PASSWORD,
  signIn,
} from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { sha256 } from "../../platform/crypto.js";
import { createDepartment, createTeam } from "./structure.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const tokenOf = (res: { body: { data: { invite: { id: string } } } }) =>
  mailedInviteToken(t, res.body.data.invite.id);

describe("invitations", () => {
  it("mail a single-use link, store only its hash, and bring the person in with role, department and team", async () => {
    const { org, people } = await makeOrganization(t, { seats: 10 });
    const dept = await createDepartment(t.system, org.id, { name: "Research" });
    const team = await createTeam(t.system, org.id, { name: "Lab", departmentId: dept.id });
    const invitee = await makeUser(t, { email: "invitee@example.com" });
    const res = await t.http.post(
      `/api/v1/organizations/${org.id}/invites`,
      {
        email: "Invitee@Example.com",
        roleKey: "instructor",
        departmentId: dept.id,
        teamId: team.id,
        message: "Welcome aboard",
      },
      people.admin,
    );
    expect(res.status).toBe(201);
    expect(res.body.data.invite).toMatchObject({
      email: "invitee@example.com",
      roleKey: "instructor",
      status: "pending",
    });
    expect(res.body.data).not.toHaveProperty("inviteUrl");
    const token = await tokenOf(res);
    const row = await t.system.db
      .selectFrom("organization_invites")
      .selectAll()
      .where("id", "=", res.body.data.invite.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    const mail = await t.system.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("to_address", "=", "invitee@example.com")
      .executeTakeFirstOrThrow();
    expect(mail.template).toBe("organization-invite");
    expect(mail.text_body).toContain(`token=${encodeURIComponent(token)}`);
    expect(mail.text_body).toContain("Welcome aboard");

    const lookup = await t.http.get(`/api/v1/invites/lookup?token=${encodeURIComponent(token)}`);
    expect(lookup.body.data).toMatchObject({
      organization: { id: org.id },
      invitedBy: { name: "Org Admin" },
      email: "invitee@example.com",
      status: "pending",
      hasAccount: true,
    });

    const creds = await signIn(t, invitee.email);
    const accepted = await t.http.post("/api/v1/invites/accept", { token }, creds);
    expect(accepted.status).toBe(200);
    const me = await t.http.get("/api/v1/users/me", creds);
    const membership = me.body.data.memberships[0];
    expect(membership.organization.id).toBe(org.id);
    expect(membership.roles.sort()).toEqual(["instructor", "learner"]);
    expect(membership.department).toEqual({ id: dept.id, name: "Research" });
    expect(membership.teams).toEqual([{ id: team.id, name: "Lab", role: "member" }]);
    const after = await t.system.db
      .selectFrom("organization_invites")
      .selectAll()
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: "accepted", accepted_user_id: invitee.id });
    const seats = await t.system.db
      .selectFrom("organizations")
      .select("seats_used")
      .where("id", "=", org.id)
      .executeTakeFirstOrThrow();
    expect(seats.seats_used).toBe(2);
    const again = await t.http.post("/api/v1/invites/accept", { token }, creds);
    expect(again.body.error.code).toBe("INVITE_NOT_PENDING");
  });

  it("refuse a second pending invitation for an address, and members", async () => {
    const { org, people } = await makeOrganization(t);
    const url = `/api/v1/organizations/${org.id}/invites`;
    expect((await t.http.post(url, { email: "twice@example.com" }, people.admin)).status).toBe(201);
    const second = await t.http.post(url, { email: "twice@example.com" }, people.admin);
    expect(second.status).toBe(409);
    const member = await t.http.post(url, { email: people.admin.user.email }, people.admin);
    expect(member.body.error.code).toBe("ALREADY_MEMBER");
    const badRole = await t.http.post(
      url,
      { email: "x@example.com", roleKey: "wizard" },
      people.admin,
    );
    expect(badRole.status).toBe(404);
  });

  it("only work for the invited address, before expiry, and until revoked", async () => {
    const { org, people } = await makeOrganization(t);
    const url = `/api/v1/organizations/${org.id}/invites`;
    const other = await makeUser(t);
    const otherCreds = await signIn(t, other.email);
    const first = await t.http.post(
      url,
      { email: "right@example.com", expiresInDays: 1 },
      people.admin,
    );
    const firstToken = await tokenOf(first);
    const mismatch = await t.http.post("/api/v1/invites/accept", { token: firstToken }, otherCreds);
    expect(mismatch.body.error.code).toBe("INVITE_EMAIL_MISMATCH");

    t.clock.advance(25 * 3_600_000);
    Object.assign(people.admin, await signIn(t, people.admin.user.email));
    const right = await makeUser(t, { email: "right@example.com" });
    const expired = await t.http.post(
      "/api/v1/invites/accept",
      { token: firstToken },
      await signIn(t, right.email),
    );
    expect(expired.body.error.code).toBe("INVITE_EXPIRED");
    const listed = await t.http.get(`${url}?status=expired`, people.admin);
    expect(listed.body.data.map((i: { email: string }) => i.email)).toEqual(["right@example.com"]);

    const resent = await t.http.post(
      `${url}/${first.body.data.invite.id}/resend`,
      {},
      people.admin,
    );
    expect(resent.status).toBe(200);
    expect(resent.body.data.invite.status).toBe("pending");
    expect(await tokenOf(resent)).not.toBe(firstToken);
    const oldLookup = await t.http.get(
      `/api/v1/invites/lookup?token=${encodeURIComponent(firstToken)}`,
    );
    expect(oldLookup.status).toBe(404);

    const revoked = await t.http.delete(`${url}/${first.body.data.invite.id}`, people.admin);
    expect(revoked.body.data.status).toBe("revoked");
    const afterRevoke = await t.http.post(
      "/api/v1/invites/accept",
      { token: await tokenOf(resent) },
      await signIn(t, right.email),
    );
    expect(afterRevoke.body.error.code).toBe("INVITE_NOT_PENDING");
    const members = await t.system.db
      .selectFrom("organization_members")
      .select("user_id")
      .where("organization_id", "=", org.id)
      .execute();
    expect(members).toHaveLength(1);
  });

  it("create a verified account for a newcomer and join in one step", async () => {
    const { org, people } = await makeOrganization(t);
    const res = await t.http.post(
      `/api/v1/organizations/${org.id}/invites`,
      { email: "newcomer@example.com", roleKey: "manager" },
      people.admin,
    );
    const token = await tokenOf(res);
    const weak = await t.http.post("/api/v1/invites/accept-new", {
      token,
      firstName: "New",
      lastName: "Comer",
      password: "weak",
    });
    expect(weak.body.error.code).toBe("WEAK_PASSWORD");
    expect(
      await t.system.db
        .selectFrom("users")
        .select("id")
        .where("email", "=", "newcomer@example.com")
        .executeTakeFirst(),
    ).toBeUndefined();
    const created = await t.http.post("/api/v1/invites/accept-new", {
      token,
      firstName: "New",
      lastName: "Comer",
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    expect(created.body.data.user).toMatchObject({
      email: "newcomer@example.com",
      emailVerified: true,
    });
    const creds = await signIn(t, "newcomer@example.com");
    const me = await t.http.get("/api/v1/users/me", creds);
    expect(me.body.data.memberships[0].roles.sort()).toEqual(["learner", "manager"]);

    const second = await t.http.post(
      `/api/v1/organizations/${org.id}/invites`,
      { email: people.admin.user.email.replace("@", "+x@") },
      people.admin,
    );
    await makeUser(t, { email: people.admin.user.email.replace("@", "+x@") });
    const taken = await t.http.post("/api/v1/invites/accept-new", {
      token: await tokenOf(second),
      firstName: "A",
      lastName: "B",
      password: PASSWORD,
    });
    expect(taken.body.error.code).toBe("EMAIL_TAKEN");
  });

  it("can be declined by the link's holder: stored, shown to the organization, told to the inviter, never accepted afterwards", async () => {
    const { org, people } = await makeOrganization(t);
    const url = `/api/v1/organizations/${org.id}/invites`;
    const sent = await t.http.post(url, { email: "declines@example.com" }, people.admin);
    const inviteId = sent.body.data.invite.id;
    const token = await tokenOf(sent);
    const declined = await t.http.post("/api/v1/invites/decline", { token });
    expect(declined.status).toBe(200);
    expect(declined.body.data).toEqual({
      organizationId: org.id,
      status: "declined",
      declinedAt: t.clock.now().toISOString(),
    });
    const row = await t.system.db
      .selectFrom("organization_invites")
      .select(["status", "declined_at", "accepted_at"])
      .where("id", "=", inviteId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "declined", declined_at: t.clock.now(), accepted_at: null });

    // The organization sees the answer in its list, filtered or not.
    const listed = await t.http.get(`${url}?status=declined`, people.admin);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: inviteId,
        status: "declined",
        declinedAt: t.clock.now().toISOString(),
      }),
    ]);
    const pending = await t.http.get(`${url}?status=pending`, people.admin);
    expect(pending.body.data.map((i: { id: string }) => i.id)).not.toContain(inviteId);
    const lookup = await t.http.get(`/api/v1/invites/lookup?token=${encodeURIComponent(token)}`);
    expect(lookup.body.data.status).toBe("declined");

    // The inviter is told, in the app; the audit log keeps the answer.
    const notes = await t.system.db
      .selectFrom("notifications")
      .select(["type", "title", "organization_id"])
      .where("user_id", "=", people.admin.user.id)
      .where("type", "=", "invite-declined")
      .execute();
    expect(notes).toEqual([
      {
        type: "invite-declined",
        title: `declines@example.com declined the invitation to ${org.name}`,
        organization_id: org.id,
      },
    ]);
    const audited = await t.system.db
      .selectFrom("audit_logs")
      .select("action")
      .where("entity_id", "=", inviteId)
      .where("action", "=", "invite.decline")
      .execute();
    expect(audited).toHaveLength(1);

    // Declining again is harmless: the same answer, nothing new stored or sent.
    t.clock.advance(60_000);
    const again = await t.http.post("/api/v1/invites/decline", { token });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(declined.body.data);
    const notesAfter = await t.system.db
      .selectFrom("notifications")
      .select("id")
      .where("user_id", "=", people.admin.user.id)
      .where("type", "=", "invite-declined")
      .execute();
    expect(notesAfter).toHaveLength(1);

    // The link can no longer be accepted, with or without an account, nor resent or revoked.
    const invitee = await makeUser(t, { email: "declines@example.com" });
    const accept = await t.http.post(
      "/api/v1/invites/accept",
      { token },
      await signIn(t, invitee.email),
    );
    expect(accept.status).toBe(409);
    expect(accept.body.error.code).toBe("INVITE_DECLINED");
    const acceptNew = await t.http.post("/api/v1/invites/accept-new", {
      token,
      firstName: "Changed",
      lastName: "Mind",
      password: PASSWORD,
    });
    expect(acceptNew.status).toBe(409);
    expect(acceptNew.body.error.code).toBe("INVITE_DECLINED");
    const resend = await t.http.post(`${url}/${inviteId}/resend`, {}, people.admin);
    expect(resend.body.error.code).toBe("INVITE_DECLINED");
    const revoke = await t.http.delete(`${url}/${inviteId}`, people.admin);
    expect(revoke.body.error.code).toBe("INVITE_DECLINED");
    const members = await t.system.db
      .selectFrom("organization_members")
      .select("user_id")
      .where("organization_id", "=", org.id)
      .where("user_id", "=", invitee.id)
      .execute();
    expect(members).toEqual([]);
    const stored = await t.system.db
      .selectFrom("organization_invites")
      .select("status")
      .where("id", "=", inviteId)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("declined");

    // A declined invitation does not block a new one to the same address.
    const fresh = await t.http.post(url, { email: "declines@example.com" }, people.admin);
    expect(fresh.status).toBe(201);
  });

  it("cannot be declined once accepted, revoked or expired, nor with an unknown token", async () => {
    const { org, people } = await makeOrganization(t);
    const url = `/api/v1/organizations/${org.id}/invites`;
    const unknown = await t.http.post("/api/v1/invites/decline", { token: "x".repeat(43) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("NOT_FOUND");

    const acceptedInvite = await t.http.post(url, { email: "took-it@example.com" }, people.admin);
    const acceptedToken = await tokenOf(acceptedInvite);
    const taker = await makeUser(t, { email: "took-it@example.com" });
    expect(
      (
        await t.http.post(
          "/api/v1/invites/accept",
          { token: acceptedToken },
          await signIn(t, taker.email),
        )
      ).status,
    ).toBe(200);
    const afterAccept = await t.http.post("/api/v1/invites/decline", { token: acceptedToken });
    expect(afterAccept.status).toBe(409);
    expect(afterAccept.body.error.code).toBe("INVITE_NOT_PENDING");

    const revokedInvite = await t.http.post(url, { email: "withdrawn@example.com" }, people.admin);
    const revokedToken = await tokenOf(revokedInvite);
    await t.http.delete(`${url}/${revokedInvite.body.data.invite.id}`, people.admin);
    const afterRevoke = await t.http.post("/api/v1/invites/decline", { token: revokedToken });
    expect(afterRevoke.body.error.code).toBe("INVITE_NOT_PENDING");

    const lapsing = await t.http.post(
      url,
      { email: "lapsed@example.com", expiresInDays: 1 },
      people.admin,
    );
    const lapsingToken = await tokenOf(lapsing);
    t.clock.advance(25 * 3_600_000);
    const afterExpiry = await t.http.post("/api/v1/invites/decline", { token: lapsingToken });
    expect(afterExpiry.status).toBe(422);
    expect(afterExpiry.body.error.code).toBe("INVITE_EXPIRED");

    const statuses = await t.system.db
      .selectFrom("organization_invites")
      .select(["email", "status", "declined_at"])
      .where("organization_id", "=", org.id)
      .orderBy("email")
      .execute();
    expect(statuses).toEqual([
      { email: "lapsed@example.com", status: "pending", declined_at: null },
      { email: "took-it@example.com", status: "accepted", declined_at: null },
      { email: "withdrawn@example.com", status: "revoked", declined_at: null },
    ]);
  });

  it("stop at the seat limit", async () => {
    const { org, people } = await makeOrganization(t, { seats: 1 });
    const res = await t.http.post(
      `/api/v1/organizations/${org.id}/invites`,
      { email: "noseat@example.com" },
      people.admin,
    );
    const user = await makeUser(t, { email: "noseat@example.com" });
    const accepted = await t.http.post(
      "/api/v1/invites/accept",
      { token: await tokenOf(res) },
      await signIn(t, user.email),
    );
    expect(accepted.status).toBe(422);
    expect(accepted.body.error.code).toBe("SEATS_EXHAUSTED");
    const invite = await t.system.db
      .selectFrom("organization_invites")
      .select("status")
      .where("id", "=", res.body.data.invite.id)
      .executeTakeFirstOrThrow();
    expect(invite.status).toBe("pending");
  });

  it("go out many at once, each row as alone: refused rows say why and leave the others sent", async () => {
    const { org, people } = await makeOrganization(t);
    const dept = await createDepartment(t.system, org.id, { name: "Sales" });
    const url = `/api/v1/organizations/${org.id}/invites/batch`;
    const res = await t.http.post(
      url,
      {
        invites: [
          { email: "Ana@Example.com", roleKey: "manager", departmentId: dept.id },
          { email: "ben@example.com" },
          { email: "ana@example.com" },
          { email: people.admin.user.email },
          { email: "cleo@example.com", roleKey: "wizard" },
          { email: "not-an-address" },
        ],
        expiresInDays: 14,
      },
      people.admin,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ invited: 2, failed: 4 });
    const results = res.body.data.results as Array<{
      row: number;
      status: string;
      email: string;
      invite: { roleKey: string; departmentId: string | null; expiresAt: string } | null;
      error: { code: string; field: string | null } | null;
    }>;
    expect(results.map((r) => [r.row, r.status, r.error?.code ?? null])).toEqual([
      [0, "invited", null],
      [1, "invited", null],
      [2, "failed", "ALREADY_EXISTS"],
      [3, "failed", "ALREADY_MEMBER"],
      [4, "failed", "NOT_FOUND"],
      [5, "failed", "VALIDATION_ERROR"],
    ]);
    expect(results[5]?.error?.field).toBe("email");
    expect(results[0]?.invite).toMatchObject({ roleKey: "manager", departmentId: dept.id });
    expect(results[2]?.error?.field).toBe("email");
    const days =
      (Date.parse(results[1]?.invite?.expiresAt ?? "") - t.clock.now().getTime()) / 864e5;
    expect(Math.round(days)).toBe(14);
    // What was stored and mailed: the two invitations, one mail each.
    const stored = await t.system.db
      .selectFrom("organization_invites")
      .select(["email", "status"])
      .where("organization_id", "=", org.id)
      .orderBy("email")
      .execute();
    expect(stored).toEqual([
      { email: "ana@example.com", status: "pending" },
      { email: "ben@example.com", status: "pending" },
    ]);
    const mails = await t.system.db
      .selectFrom("mail_outbox")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("to_address", "in", ["ana@example.com", "ben@example.com", "cleo@example.com"])
      .executeTakeFirstOrThrow();
    expect(Number(mails.n)).toBe(2);

    // Another organization's department refuses the whole batch before anything is sent.
    const other = await makeOrganization(t);
    const foreign = await createDepartment(t.system, other.org.id, { name: "Elsewhere" });
    const refused = await t.http.post(
      url,
      {
        invites: [
          { email: "dan@example.com" },
          { email: "eve@example.com", departmentId: foreign.id },
        ],
      },
      people.admin,
    );
    expect(refused.status).toBe(404);
    expect(refused.body.error.field).toBe("invites.1.departmentId");
    const none = await t.system.db
      .selectFrom("organization_invites")
      .select("id")
      .where("email", "in", ["dan@example.com", "eve@example.com"])
      .execute();
    expect(none).toEqual([]);
    const empty = await t.http.post(url, { invites: [] }, people.admin);
    expect(empty.status).toBe(400);
    // A learner of the organization may not invite anyone.
    const { addMember } = await import("./service.js");
    const learner = await makeUser(t);
    await addMember(t.system, org.id, { userId: learner.id, roleKeys: ["learner"] });
    const denied = await t.http.post(
      url,
      { invites: [{ email: "fay@example.com" }] },
      await signIn(t, learner.email),
    );
    expect(denied.status).toBe(403);
  });

  it("are listed, revoked and resent by a department administrator within their department only", async () => {
    const { org, people } = await makeOrganization(t);
    const mine = await createDepartment(t.system, org.id, { name: "Mine" });
    const theirs = await createDepartment(t.system, org.id, { name: "Theirs" });
    const { addMember } = await import("./service.js");
    const head = await makeUser(t);
    await addMember(t.system, org.id, {
      userId: head.id,
      roleKeys: ["department-admin"],
      departmentId: mine.id,
    });
    const headCreds = await signIn(t, head.email);
    const url = `/api/v1/organizations/${org.id}/invites`;
    const ids: Record<string, string> = {};
    for (const [email, departmentId] of [
      ["in-mine@example.com", mine.id],
      ["in-theirs@example.com", theirs.id],
      ["nowhere@example.com", null],
    ] as const) {
      const res = await t.http.post(url, { email, departmentId }, people.admin);
      expect(res.status).toBe(201);
      ids[email] = res.body.data.invite.id;
    }
    const listed = await t.http.get(`${url}?status=pending`, headCreds);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((i: { email: string }) => i.email)).toEqual([
      "in-mine@example.com",
    ]);
    const all = await t.http.get(`${url}?status=pending`, people.admin);
    expect(all.body.data).toHaveLength(3);
    for (const email of ["in-theirs@example.com", "nowhere@example.com"]) {
      const revoke = await t.http.delete(`${url}/${ids[email]}`, headCreds);
      expect(revoke.status).toBe(403);
      const resend = await t.http.post(`${url}/${ids[email]}/resend`, {}, headCreds);
      expect(resend.status).toBe(403);
    }
    const pending = await t.system.db
      .selectFrom("organization_invites")
      .select("email")
      .where("organization_id", "=", org.id)
      .where("status", "=", "pending")
      .execute();
    expect(pending).toHaveLength(3);
    expect((await t.http.delete(`${url}/${ids["in-mine@example.com"]}`, headCreds)).status).toBe(
      200,
    );
  });

  it("cannot hand out a role the inviter does not hold", async () => {
    const dept = { id: "" };
    const { org, people } = await makeOrganization(t);
    dept.id = (await createDepartment(t.system, org.id, { name: "Ops" })).id;
    const { addMember } = await import("./service.js");
    const hr = await makeUser(t);
    await addMember(t.system, org.id, {
      userId: hr.id,
      roleKeys: ["hr-admin"],
      departmentId: dept.id,
    });
    const hrCreds = await signIn(t, hr.email);
    const res = await t.http.post(
      `/api/v1/organizations/${org.id}/invites`,
      { email: "boss@example.com", roleKey: "org-admin" },
      hrCreds,
    );
    expect(res.status).toBe(403);
    const ok = await t.http.post(
      `/api/v1/organizations/${org.id}/invites`,
      { email: "boss@example.com", roleKey: "learner" },
      hrCreds,
    );
    expect(ok.status).toBe(201);
    expect(people.admin.user.id).toBeTruthy();
  });
});

describe("the limit on an organization's invitations", () => {
  it("refuses the rows over INVITES_PER_ORGANIZATION_PER_HOUR, whoever sends them", async () => {
    const capped = await createTestApp({ env: { INVITES_PER_ORGANIZATION_PER_HOUR: "2" } });
    try {
      const { org, people } = await makeOrganization(capped);
      const res = await capped.http.post(
        `/api/v1/organizations/${org.id}/invites/batch`,
        {
          invites: [
            { email: "one@example.com" },
            { email: "two@example.com" },
            { email: "three@example.com" },
          ],
        },
        people.admin,
      );
      expect(res.status).toBe(200);
      expect(res.body.data.results.map((r: { status: string }) => r.status)).toEqual([
        "invited",
        "invited",
        "failed",
      ]);
      expect(res.body.data.results[2].error.code).toBe("RATE_LIMITED");
      const single = await capped.http.post(
        `/api/v1/organizations/${org.id}/invites`,
        { email: "four@example.com" },
        people.admin,
      );
      expect(single.status).toBe(429);
      // Another organization keeps its own share.
      const other = await makeOrganization(capped);
      const theirs = await capped.http.post(
        `/api/v1/organizations/${other.org.id}/invites`,
        { email: "five@example.com" },
        other.people.admin,
      );
      expect(theirs.status).toBe(201);
    } finally {
      await capped.close();
    }
  });
});

describe("the mail limit on invitations", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ env: { MAILS_PER_RECIPIENT_PER_HOUR: "2" } });
  });
  afterAll(() => limited.close());

  it("lets no number of organizations flood one address, account or not", async () => {
    await makeUser(limited, { email: "popular@example.com" });
    const orgs = [];
    for (let i = 0; i < 3; i++) orgs.push(await makeOrganization(limited));
    for (const target of ["popular@example.com", "unknown@example.com"]) {
      const statuses = [];
      for (const { org, people } of orgs) {
        const res = await limited.http.post(
          `/api/v1/organizations/${org.id}/members`,
          { email: target },
          people.admin,
        );
        statuses.push(res.status);
        if (res.status === 429) expect(res.body.error.code).toBe("RATE_LIMITED");
      }
      expect(statuses).toEqual([202, 202, 429]);
    }
    const mailed = await limited.system.db
      .selectFrom("mail_outbox")
      .select("to_address")
      .where("template", "=", "organization-invite")
      .execute();
    expect(mailed.filter((m) => m.to_address === "popular@example.com")).toHaveLength(2);
    expect(mailed.filter((m) => m.to_address === "unknown@example.com")).toHaveLength(2);
    const refused = await limited.system.db
      .selectFrom("organization_invites")
      .select("id")
      .where("organization_id", "=", orgs[2]!.org.id)
      .execute();
    expect(refused).toEqual([]);
  });

  it("counts resent invitations too", async () => {
    const { org, people } = await makeOrganization(limited);
    const base = `/api/v1/organizations/${org.id}/invites`;
    const sent = await limited.http.post(base, { email: "resent@example.com" }, people.admin);
    expect(sent.status).toBe(201);
    const resend = () =>
      limited.http.post(`${base}/${sent.body.data.invite.id}/resend`, {}, people.admin);
    expect((await resend()).status).toBe(200);
    const third = await resend();
    expect(third.status).toBe(429);
    expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
  });
});
