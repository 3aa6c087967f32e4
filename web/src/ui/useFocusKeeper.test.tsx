import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useRef, useState } from "react";
import { describe, expect, it } from "vitest";
import { useFocusKeeper } from "./useFocusKeeper";

/** A save that disables its form until `finish` is called; `done` hides the button after it. */
function Saver({ hideAfter = false }: { hideAfter?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const fallback = useRef<HTMLHeadingElement>(null);
  const hold = useFocusKeeper(busy, fallback);
  return (
    <>
      <h2 ref={fallback} tabIndex={-1}>
        Notes
      </h2>
      <fieldset disabled={busy}>
        {!(hideAfter && done) && (
          <button
            type="button"
            onClick={() => {
              hold();
              setBusy(true);
              // A browser moves the focus of a control it disables to the body.
              (document.activeElement as HTMLElement).blur();
            }}
          >
            Save
          </button>
        )}
      </fieldset>
      <button
        type="button"
        onClick={() => {
          setDone(true);
          setBusy(false);
        }}
      >
        Finish
      </button>
      <input aria-label="Elsewhere" />
    </>
  );
}

/** Ends the save from outside, as a server's answer would, without moving focus. */
function finish() {
  act(() => screen.getByRole("button", { name: "Finish" }).click());
}

describe("keeping focus through a save", () => {
  it("puts focus back on the control that started the save", async () => {
    render(<Saver />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Save" }));
    expect(document.activeElement).toBe(document.body);
    finish();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Save" }));
  });

  it("moves focus to the fallback when that control is gone after the save", async () => {
    render(<Saver hideAfter />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Save" }));
    finish();
    expect(screen.queryByRole("button", { name: "Save" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Notes" }));
  });

  it("leaves focus where the person put it meanwhile", async () => {
    render(<Saver />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Save" }));
    act(() => screen.getByRole("textbox", { name: "Elsewhere" }).focus());
    finish();
    expect(document.activeElement).toBe(screen.getByRole("textbox", { name: "Elsewhere" }));
  });
});
