// The README's screenshots (docs/screenshots/*.png): the web app in chromium, served by an
// in-process Lyceum on PGlite, as a desktop (1440 px) and a phone (360 px).
//
//   npm run docs:screenshots
import { fileURLToPath } from "node:url";
import { createUser } from "../../src/modules/identity/auth.js";
import { launchChromium } from "./browser.js";
import { Lyceum } from "./pages.js";
import { startServer } from "./server.js";

const out = (name: string) =>
  fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url));

const server = await startServer();
const browser = await launchChromium();
try {
  const person = { email: "grace@example.org", password: "Compiler-A0-1952" };
  await createUser(server.app.system, {
    ...person,
    firstName: "Grace",
    lastName: "Hopper",
    emailVerified: true,
  });
  const shots: Array<[string, number, number]> = [
    ["desktop", 1440, 900],
    ["phone", 360, 780],
  ];
  for (const [device, width, height] of shots) {
    const context = await browser.newContext({
      viewport: { width, height },
      locale: "en-GB",
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const app = new Lyceum(page, server.url);
    await app.open("/sign-in");
    await app.expectHeading("Sign in");
    await page.screenshot({ path: out(`sign-in-${device}`) });
    await app.signIn(person.email, person.password);
    await app.expectHeading("My learning");
    await page.getByRole("heading", { name: "No courses yet" }).waitFor();
    await page.screenshot({ path: out(`my-learning-${device}`) });
    await context.close();
  }
  console.log("wrote docs/screenshots/*.png");
} finally {
  await browser.close();
  await server.close();
}
