/**
 * Preloaded with `node --import ./bench/rss-hook.mjs …`: writes the process's peak resident set
 * size (KiB, from getrusage) to $BENCH_RSS_FILE when it exits, so the benchmark can report the
 * peak memory of the real CLI without wrapping it in /usr/bin/time.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
