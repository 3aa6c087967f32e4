// The baselines for bench/api.ts: bare Fastify routes with nothing in front of them.
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/bare", async () => ({ ok: true }));
// `ms` milliseconds of synchronous work per request: what latency a route costing that much
// CPU shows at the same concurrency on the same host, with no database and no Lyceum.
app.get("/busy", async (request) => {
  const ms = Math.min(100, Number(request.query.ms ?? 0));
  const until = performance.now() + ms;
  while (performance.now() < until);
  return { ok: true };
});
await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT) });
