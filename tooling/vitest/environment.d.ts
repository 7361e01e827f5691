export interface BenchEnvironment {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** 1, 5 and 15-minute load average when the run started. */
  loadAverage: number[];
  finished?: string;
  loadAverageAtEnd?: number[];
}

export declare function benchEnvironment(): BenchEnvironment;
export declare function finishedEnvironment(started: BenchEnvironment): Required<BenchEnvironment>;
export declare function writeBenchJson(
  path: string,
  started: BenchEnvironment,
  results: Record<string, unknown>,
): void;
