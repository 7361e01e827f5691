import cliProgress from 'cli-progress';

export interface ProgressBar {
  start(total: number, label: string): void;
  update(done: number, detail?: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr (stdout keeps the report): redrawn in place on a terminal, a line every
 * few seconds otherwise (CI logs, pipes); `enabled: false` draws nothing.
 */
export function progressBar(enabled: boolean): ProgressBar {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: '{label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted} {detail}',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
      etaBuffer: 100,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  return {
    start(total, label) {
      started = performance.now();
      bar.start(total, 0, { label, rate: '0', detail: '' });
    },
    update(done, detail = '') {
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? (done / seconds).toFixed(0) : '0', detail });
    },
    stop() {
      bar.stop();
    },
  };
}
