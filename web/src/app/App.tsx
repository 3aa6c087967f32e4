import { createTheme, MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router";
import { QUERY_DEFAULTS } from "./queryDefaults";
import { router } from "./router";

const theme = createTheme({
  primaryColor: "indigo",
  // Shade 8 keeps white text on buttons and links on white above 4.5:1 (WCAG AA).
  primaryShade: 8,
  defaultRadius: "md",
});

const queryClient = new QueryClient({ defaultOptions: { queries: QUERY_DEFAULTS } });

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
