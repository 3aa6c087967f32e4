import type { FocusEvent, MouseEvent, Ref } from "react";
import { createPath, Link, type LinkProps, NavLink, type NavLinkProps } from "react-router";
import { preload } from "./preload";

function handlers<E extends HTMLAnchorElement>(
  to: LinkProps["to"],
  props: {
    onMouseEnter?: (event: MouseEvent<E>) => void;
    onFocus?: (event: FocusEvent<E>) => void;
  },
) {
  const path = typeof to === "string" ? to : createPath(to);
  return {
    onMouseEnter: (event: MouseEvent<E>) => {
      preload(path);
      props.onMouseEnter?.(event);
    },
    onFocus: (event: FocusEvent<E>) => {
      preload(path);
      props.onFocus?.(event);
    },
  };
}

/**
 * A router link that starts loading its page's code and data when pointed at or focused
 * (app/preload.ts), so the page is often ready when the click lands. Use it as Mantine's
 * `component` (`<Anchor component={PreloadLink} to=…>`) for links people are likely to follow.
 */
export function PreloadLink({ ref, ...props }: LinkProps & { ref?: Ref<HTMLAnchorElement> }) {
  return <Link ref={ref} {...props} {...handlers(props.to, props)} />;
}

/** The same for navigation entries (marks the current page like NavLink). */
export function PreloadNavLink({ ref, ...props }: NavLinkProps & { ref?: Ref<HTMLAnchorElement> }) {
  return <NavLink ref={ref} {...props} {...handlers(props.to, props)} />;
}
