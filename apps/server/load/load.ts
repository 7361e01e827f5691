import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { latencyChart, rssChart } from './charts.ts';
import { renderMarkdown, type ScenarioResult } from './report.ts';
import { type RunOptions, runScenario } from './run-scenario.ts';
import { scenarios } from './scenarios.ts';
import { startLoadTarget } from './target.ts';

export interface LoadOptions extends RunOptions {
  scenarios: string[];
  /** Server processes sharing the load (default 1). */
  servers?: number;
  /** Directory for `<scenario>.json|.md` and `<scenario>-latency.svg|-rss.svg`. */
  outputDir: string;
  /** How to reproduce the run, written into the report. */
  command: string;
}

export interface LoadReport {
  result: ScenarioResult;
  markdown: string;
  files: string[];
}

/** Runs each scenario against a fresh server (and workers) and writes its report files. */
export async function runLoad(options: LoadOptions): Promise<LoadReport[]> {
  await mkdir(options.outputDir, { recursive: true });
  const reports: LoadReport[] = [];
  for (const name of options.scenarios) {
    const scenario = scenarios[name];
    if (scenario === undefined)
      throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
    const target = await startLoadTarget({ servers: options.servers ?? 1, workers: scenario.workers });
    try {
      const result = await runScenario(scenario, target, options);
      const markdown = renderMarkdown(result, options.command);
      const contents: Record<string, string> = {
        [`${name}.json`]: `${JSON.stringify(result, null, 2)}\n`,
        [`${name}.md`]: markdown,
        [`${name}-latency.svg`]: latencyChart(result),
        [`${name}-rss.svg`]: rssChart(result),
      };
      const files = Object.keys(contents).map((file) => join(options.outputDir, file));
      await Promise.all(
        Object.entries(contents).map(([file, text]) => writeFile(join(options.outputDir, file), text)),
      );
      reports.push({ result, markdown, files });
    } finally {
      await target.close();
    }
  }
  return reports;
}
