/**
 * Minimal type declarations for the parts of autocannon 9 the benchmark uses
 * (the package ships no types and @types/autocannon is not installed).
 */
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      pipelining?: number;
      method?: string;
      body?: string;
      headers?: Record<string, string>;
      timeout?: number;
      /** Per-request hooks; setupRequest may return a changed request (e.g. a fresh body). */
      requests?: { method?: string; path?: string; body?: string; headers?: Record<string, string>; setupRequest?: (req: RequestParams) => RequestParams }[];
    }

    interface RequestParams {
      method?: string;
      path?: string;
      body?: string;
      headers?: Record<string, string>;
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
      total?: number;
    }

    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      resets: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram & { totalCount: number };
      requests: Histogram & { total: number; sent: number };
      throughput: Histogram;
    }
  }

  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export = autocannon;
}
