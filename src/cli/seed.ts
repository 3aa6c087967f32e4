import { seedDemo } from "../seed/demo.js";
import { openForCli, printLogins } from "./runtime.js";

export async function seedCommand(options: { demo?: boolean }): Promise<void> {
  if (!options.demo) {
    console.error("Choose a scenario: lyceum seed --demo");
    process.exitCode = 1;
    return;
  }
  const { ctx, close } = await openForCli();
  try {
    const result = await seedDemo(ctx, {
      password: ctx.config.demoPassword,
      onProgress: (step) => console.log(`  seeding ${step} …`),
    });
    if (!result.created) {
      console.log("The demo organization already exists; nothing to do.");
      return;
    }
    console.log("Demo organization Northwind Learning created.");
    printLogins(result.logins, result.password as string);
  } finally {
    await close();
  }
}
