export interface DependencyProbe {
  name: string;
  check(): Promise<{ ok: boolean; latencyMs: number }>;
}

export interface Readiness {
  ready: boolean;
  dependencies: Record<string, { ok: boolean; latencyMs: number; error?: string }>;
}

/** Readiness = every dependency answers; a probe that throws counts as down, never as a crash. */
export class HealthService {
  readonly #probes: DependencyProbe[];

  constructor(probes: DependencyProbe[]) {
    this.#probes = probes;
  }

  async readiness(): Promise<Readiness> {
    const results = await Promise.all(
      this.#probes.map(async (probe) => {
        try {
          return [probe.name, await probe.check()] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [probe.name, { ok: false, latencyMs: Number.NaN, error: message }] as const;
        }
      }),
    );
    return { ready: results.every(([, result]) => result.ok), dependencies: Object.fromEntries(results) };
  }
}
