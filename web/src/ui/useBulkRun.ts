import { useCallback, useRef, useState } from "react";

export interface BulkFailure<T> {
  item: T;
  error: unknown;
}

export interface BulkState<T> {
  running: boolean;
  done: number;
  total: number;
  failures: BulkFailure<T>[];
  /** Set once a run has ended (with or without failures), until the next starts. */
  finished: boolean;
}

const IDLE = { running: false, done: 0, total: 0, failures: [], finished: false };

/**
 * Runs one action over many items, one after the other, so a bulk action shows its progress
 * (`done` of `total`) and reports each item that failed without stopping the others.
 * `cancel` stops before the next item. Returns the failures when the run ends.
 */
export function useBulkRun<T>() {
  const [state, setState] = useState<BulkState<T>>(IDLE);
  const cancelled = useRef(false);
  const run = useCallback(async (items: readonly T[], action: (item: T) => Promise<unknown>) => {
    cancelled.current = false;
    const failures: BulkFailure<T>[] = [];
    setState({ running: true, done: 0, total: items.length, failures, finished: false });
    let done = 0;
    for (const item of items) {
      if (cancelled.current) break;
      try {
        await action(item);
      } catch (error) {
        failures.push({ item, error });
      }
      done += 1;
      setState({
        running: true,
        done,
        total: items.length,
        failures: [...failures],
        finished: false,
      });
    }
    setState({ running: false, done, total: items.length, failures, finished: true });
    return failures;
  }, []);
  const cancel = useCallback(() => {
    cancelled.current = true;
  }, []);
  const reset = useCallback(() => setState(IDLE), []);
  return { ...state, run, cancel, reset };
}
