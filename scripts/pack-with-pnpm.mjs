// The packages' `prepack` check: only pnpm may pack or publish them. pnpm replaces the
// `workspace:` ranges and applies publishConfig (the exports map without `tributary-source`,
// which points at src/, not shipped); npm does neither and makes a tarball that cannot install.
const agent = process.env.npm_config_user_agent ?? '';
if (!agent.startsWith('pnpm/')) {
  console.error(
    `${process.env.npm_package_name ?? 'this package'}: pack and publish with pnpm ('pnpm pack', 'pnpm publish', 'pnpm changeset publish'), not ${agent.split(' ')[0] || 'this tool'}: ` +
      'only pnpm replaces the workspace: ranges and applies publishConfig. See docs/releasing.md.',
  );
  process.exit(1);
}
