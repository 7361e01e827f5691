export declare function processCpuSeconds(pid: number | string): number | undefined;
export declare function cpuSecondsOf(pids: readonly (number | undefined)[]): number | undefined;
export declare function postgresCpuSeconds(): number | undefined;
export declare function cpuBetween(before: number | undefined, after: number | undefined): number | null;
