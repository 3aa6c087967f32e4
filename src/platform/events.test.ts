import { describe, expect, it } from "vitest";
import { EventBus } from "./events.js";

type Payload = { userId: string; sessionId: string };
const payload = (n: number): Payload => ({ userId: `u${n}`, sessionId: `s${n}` });

describe("the event bus", () => {
  it("hands a batch handler every payload of an emission at once, any other one at a time, in registration order", async () => {
    const bus = new EventBus<string>();
    const heard: string[] = [];
    bus.on("user.signed-in", async (ctx, p) => {
      heard.push(`one:${ctx}:${p.userId}`);
    });
    bus.onMany("user.signed-in", async (ctx, list) => {
      heard.push(`many:${ctx}:${list.map((p) => p.userId).join(",")}`);
    });
    bus.on("user.signed-out", async (_ctx, p) => {
      heard.push(`out:${p.userId}`);
    });

    await bus.emitMany("tx", "user.signed-in", [payload(1), payload(2)]);
    expect(heard).toEqual(["one:tx:u1", "one:tx:u2", "many:tx:u1,u2"]);

    heard.length = 0;
    await bus.emit("tx2", "user.signed-in", payload(3));
    expect(heard).toEqual(["one:tx2:u3", "many:tx2:u3"]);

    heard.length = 0;
    await bus.emitMany("tx", "user.signed-in", []);
    expect(heard).toEqual([]);
  });

  it("stops at a handler's error, so the caller's transaction rolls back", async () => {
    const bus = new EventBus<null>();
    const heard: string[] = [];
    bus.onMany("user.signed-in", async () => {
      throw new Error("refused");
    });
    bus.on("user.signed-in", async (_ctx, p) => {
      heard.push(p.userId);
    });
    await expect(bus.emitMany(null, "user.signed-in", [payload(1)])).rejects.toThrow("refused");
    expect(heard).toEqual([]);
  });
});
