/**
 * A progress line for long operations, shown only when the stream is a terminal:
 * it rewrites one line in place (at most every 100 ms) and erases it when done.
 * Piped or redirected output gets nothing, so scripts and logs stay clean.
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

export interface ProgressLine {
  /** Shows `text` (replacing the previous text) when the stream is a terminal. */
  update(text: string): void;
  /** Erases the line, if one was shown. */
  done(): void;
}

export function progressLine(stream: ProgressStream = process.stderr, now: () => number = Date.now): ProgressLine {
  const tty = stream.isTTY === true;
  let shown = false;
  let last = -Infinity;
  return {
    update(text) {
      if (!tty) return;
      const t = now();
      if (t - last < 100) return;
      last = t;
      shown = true;
      stream.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
