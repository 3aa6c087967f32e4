import { Command, InvalidArgumentError } from "commander";
import { VERSION } from "../app.js";
import { migrateCommand } from "./migrate.js";
import { orgCreateCommand } from "./org.js";
import { seedCommand } from "./seed.js";
import { serveCommand } from "./serve.js";
import { userCreateCommand } from "./user.js";

const program = new Command()
  .name("lyceum")
  .description(
    "Lyceum, the open learning platform. Configuration comes from environment variables (see README).",
  )
  .version(VERSION);

const services = (value: string) => {
  const list = value.split(",").map((s) => s.trim());
  for (const s of list) {
    if (!["web", "worker", "scheduler"].includes(s))
      throw new InvalidArgumentError(`unknown service ${s}`);
  }
  return list;
};

program
  .command("serve")
  .description(
    "Run Lyceum: API, worker and scheduler in one process (migrates, and seeds demo data on first start)",
  )
  .option("--services <list>", "comma-separated services to run: web,worker,scheduler", services)
  .option("--no-seed", "do not create demo data on an empty database")
  .option("--no-web-build", "do not build the web app when web/dist is missing or stale")
  .action((opts: { services?: string[]; seed: boolean; webBuild: boolean }) =>
    serveCommand({ services: opts.services, seed: opts.seed, webBuild: opts.webBuild }),
  );

program
  .command("build-web")
  .description("Build the web app into web/dist (serve does this when the build is stale)")
  .option("--if-stale", "only when web/dist is missing or was built from other sources")
  .action(async (opts: { ifStale?: boolean }) => {
    const { buildWeb, ensureWebBuild } = await import("./web-build.js");
    if (opts.ifStale) await ensureWebBuild();
    else await buildWeb();
  });

program
  .command("worker")
  .description(
    "Run only the background worker and scheduler (scale out beside `serve --services web`)",
  )
  .action(() => serveCommand({ services: ["worker", "scheduler"], seed: false }));

program
  .command("migrate")
  .description("Apply pending database migrations and sync the permission catalog")
  .action(() => migrateCommand());

program
  .command("seed")
  .description("Create seed data")
  .option("--demo", "the demo organization with departments, teams and one person per role")
  .action((opts: { demo?: boolean }) => seedCommand(opts));

const user = program.command("user").description("Manage people");
user
  .command("create")
  .description("Create a verified account")
  .requiredOption("--email <email>", "email address")
  .requiredOption("--first-name <name>", "first name")
  .requiredOption("--last-name <name>", "last name")
  .option("--password <password>", "password (generated and printed when omitted)")
  .option("--platform-admin", "make the person a platform administrator")
  .option("--org <slug>", "add the person to this organization")
  .option("--role <key>", "their role in that organization", "learner")
  .action(userCreateCommand);

const org = program.command("org").description("Manage organizations");
org
  .command("create")
  .description("Create an organization with its built-in roles")
  .requiredOption("--name <name>", "display name")
  .option("--slug <slug>", "URL name (derived from the name when omitted)")
  .option(
    "--domain <domain>",
    "email domain the organization owns, recorded as verified (no DNS check); its verified people join automatically",
  )
  .option("--seats <n>", "seats purchased (unlimited when omitted)", (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError("seats must be a whole number");
    return n;
  })
  .option("--admin-email <email>", "an existing person to make its first administrator")
  .action(orgCreateCommand);

const secrets = program
  .command("secrets")
  .description("Stored secrets (integration credentials) and the keys that encrypt them");
secrets
  .command("status")
  .description("How many stored credentials each key encrypted, and which key is current")
  .action(async () => {
    const { secretsStatusCommand } = await import("./secrets.js");
    await secretsStatusCommand();
  });
secrets
  .command("reencrypt")
  .description(
    "Re-encrypt every stored credential with the key of LYCEUM_SECRET (after a rotation, with the old secret in LYCEUM_SECRET_PREVIOUS)",
  )
  .action(async () => {
    const { secretsReencryptCommand } = await import("./secrets.js");
    await secretsReencryptCommand();
  });

const auditCommand = program.command("audit").description("The tamper-evident audit trail");
auditCommand
  .command("verify")
  .description(
    "Seal what is waiting, then check every organization's audit hash chain (or one); exits non-zero when a chain is broken",
  )
  .option("--org <slug>", "only this organization's chain")
  .option("--no-seal", "check without sealing the records written since the last seal")
  .action(async (opts: { org?: string; seal: boolean }) => {
    const { auditVerifyCommand } = await import("./audit.js");
    await auditVerifyCommand(opts);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
