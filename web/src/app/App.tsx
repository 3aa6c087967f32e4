import { createTheme, Drawer, MantineProvider, Modal } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router";
import { queryClient } from "../api/queryClient";
import { router } from "./router";

const theme = createTheme({
  primaryColor: "indigo",
  // Shade 8 keeps white text on buttons and links on white above 4.5:1 (WCAG AA).
  primaryShade: 8,
  defaultRadius: "md",
  components: {
    // A dialog's title bar is a <header>: as such it would be a second banner landmark next
    // to the shell's (axe: landmark-no-duplicate-banner). The dialog names itself already.
    Modal: Modal.extend({ defaultProps: { attributes: { header: { role: "presentation" } } } }),
    Drawer: Drawer.extend({ defaultProps: { attributes: { header: { role: "presentation" } } } }),
  },
});

export function App() {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={(t) => ({
        variables: {},
        // Mantine's dimmed grey is below 4.5:1 on white; one shade darker passes.
        light: {
          "--mantine-color-dimmed": t.colors.gray[7] ?? "#495057",
          // Field errors (text and the input's red text) in red 8: red 6 is below 4.5:1 on white.
          "--mantine-color-error": t.colors.red[8] ?? "#e03131",
        },
        dark: {},
      })}
    >
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
