import "@mantine/core/styles.css";
import "./app/app.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { i18nReady } from "./i18n";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
// The shell's texts (common, errors) load before the first render; areas load their own.
await i18nReady;
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
