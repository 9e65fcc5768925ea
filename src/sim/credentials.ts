/**
 * The simulator's own credentials in this process's environment, in place of any real ones: the
 * AWS variables that could name a real profile, session or endpoint are removed, so nothing real
 * reaches the simulator and no simulator key reaches a real cloud.
 */
export function useSimulatorCredentials(key: { id: string; secret: string }, tokenEnv: string, token: string): void {
  for (const k of [
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE',
  ])
    delete process.env[k];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: key.id,
    AWS_SECRET_ACCESS_KEY: key.secret,
    AWS_REGION: 'us-east-1',
    [tokenEnv]: token,
  });
}
