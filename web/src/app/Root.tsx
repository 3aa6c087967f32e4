import { useQueryClient } from "@tanstack/react-query";
import { Suspense, useEffect } from "react";
import { Outlet, useNavigate } from "react-router";
import { csrfToken, setSecurityRequirementHandler, setSessionExpiredHandler } from "../api/client";
import { Loading } from "../ui/PageState";
import { signInPath } from "./returnTo";
import { useRouteFocus } from "./useRouteFocus";

/**
 * The top of every route: installs the one handler for sessions that can no longer be
 * refreshed (forget everything cached, then sign in and come back here), and moves focus to
 * each new page's heading.
 */
export function Root() {
  const navigate = useNavigate();
  const client = useQueryClient();
  useRouteFocus();
  useEffect(() => {
    setSessionExpiredHandler(() => {
      client.clear();
      const here = window.location.pathname + window.location.search;
      navigate(signInPath(here), { replace: true });
    });
    // An organization requiring two-step sign-in: enroll first, or sign in again with a code.
    setSecurityRequirementHandler((requirement) => {
      if (requirement === "enroll") {
        if (window.location.pathname !== "/account/two-step")
          navigate("/account/two-step?required=1");
        return;
      }
      const here = window.location.pathname + window.location.search;
      void fetch("/api/v1/auth/logout", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrfToken() ?? "" },
        body: "{}",
        credentials: "same-origin",
      }).finally(() => {
        client.clear();
        navigate(signInPath(here), { replace: true });
      });
    });
  }, [client, navigate]);
  return (
    <Suspense fallback={<Loading />}>
      <Outlet />
    </Suspense>
  );
}
