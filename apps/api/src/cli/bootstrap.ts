import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@partnerwatch/config';
import { bootstrapOrganization } from './bootstrap-organization';

const ROLES = ['admin', 'risk_manager', 'procurement', 'viewer'] as const;

/** `npm run bootstrap -- --name "Acme Trading" [--slug acme] [--role admin]`: prints a new API key. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      'key-name': { type: 'string' },
    },
  });
  if (!values.name) {
    process.stderr.write(
      'usage: npm run bootstrap -- --name "Organization name" [--slug slug] [--role admin|risk_manager|procurement|viewer]\n',
    );
    process.exit(64);
  }
  const role = values.role as (typeof ROLES)[number];
  if (!ROLES.includes(role)) {
    process.stderr.write(`--role must be one of ${ROLES.join(', ')}\n`);
    process.exit(64);
  }
  const slug =
    values.slug ??
    values.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(slug)) {
    process.stderr.write(
      `cannot derive a slug from "${values.name}": pass --slug with lowercase letters, digits and dashes\n`,
    );
    process.exit(64);
  }
  const config = loadConfigOrExit();
  const result = await bootstrapOrganization(config.DATABASE_URL, {
    name: values.name,
    slug,
    role,
    ...(values['key-name'] ? { keyName: values['key-name'] } : {}),
  });
  process.stdout.write(
    `${result.created ? 'Created' : 'Found'} organization ${result.slug} (${result.organizationId}).\n` +
      `New ${role} API key (shown once, store it now):\n\n  ${result.apiKey}\n\n` +
      `Use it as: curl -H "Authorization: Bearer ${result.apiKey}" http://${config.API_HOST}:${config.API_PORT}/v1/suppliers\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bootstrap failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
