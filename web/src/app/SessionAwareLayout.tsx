import { hasSession, useOptionalMe } from "../api/invites";
import { Loading } from "../ui/PageState";
import { PublicLayout } from "./PublicLayout";
import { Shell } from "./Shell";

/**
 * For pages open to everyone that a signed-in person sees inside the shell (an invitation
 * link): the public layout without a session, the shell with one. Nobody is sent to sign in.
 */
export function SessionAwareLayout() {
  const me = useOptionalMe();
  if (!hasSession() || me.isError) return <PublicLayout />;
  if (!me.data) return <Loading />;
  return <Shell />;
}
