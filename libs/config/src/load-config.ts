import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema, type AppConfig } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parse and validate the environment. Throws ConfigError naming every bad or missing variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const given = env[name];
      const missing = given === undefined || given === '';
      return missing && issue.code === 'invalid_type'
        ? `${name} is missing: ${issue.message}`
        : `${name}=${JSON.stringify(given)} ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const config = result.data;
  if (!config.WORK_DIR) config.WORK_DIR = path.join(tmpdir(), 'partnerwatch');
  return config;
}

/** For process entry points: print the problems and exit rather than start half-configured. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`partnerwatch cannot start. ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
