// A machine as the Machines API lists it (GET /v1/apps/{app}/machines), reduced to what Vigil
// uses, and the defensive parse from the documented JSON: a missing or odd field becomes a safe
// default instead of an exception, and only a body that is not a list at all is "malformed".
// Shape: https://fly.io/docs/machines/api/machines-resource/

export type FlyCheckStatus = 'passing' | 'warning' | 'critical' | string;

export interface FlyCheck {
  name: string;
  status: FlyCheckStatus;
  output: string;
  updatedAt: string | null;
}

export interface FlyMachine {
  id: string;
  name: string;
  state: string;
  region: string;
  instanceId: string | null;
  image: { repository: string | null; tag: string | null; digest: string | null } | null;
  checks: FlyCheck[];
  updatedAt: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function parseCheck(raw: unknown): FlyCheck | null {
  if (!isObject(raw)) return null;
  return {
    name: str(raw.name) ?? 'check',
    status: str(raw.status) ?? 'unknown',
    // Check output can be long (a whole HTTP body); the snapshot only needs a glance.
    output: (str(raw.output) ?? '').slice(0, 500),
    updatedAt: str(raw.updated_at),
  };
}

function parseMachine(raw: unknown): FlyMachine | null {
  if (!isObject(raw)) return null;
  const id = str(raw.id);
  if (!id) return null; // a machine Vigil cannot name cannot be restarted or tracked
  const image = isObject(raw.image_ref) ? { repository: str(raw.image_ref.repository), tag: str(raw.image_ref.tag), digest: str(raw.image_ref.digest) } : null;
  const checks = Array.isArray(raw.checks) ? raw.checks.map(parseCheck).filter((c): c is FlyCheck => c !== null) : [];
  return {
    id,
    name: str(raw.name) ?? id,
    state: str(raw.state) ?? 'unknown',
    region: str(raw.region) ?? '',
    instanceId: str(raw.instance_id),
    image,
    checks,
    updatedAt: str(raw.updated_at),
  };
}

/** The machines in a list response, or null when the body is not the documented list. */
export function parseMachineList(body: unknown): FlyMachine[] | null {
  if (!Array.isArray(body)) return null;
  return body.map(parseMachine).filter((m): m is FlyMachine => m !== null);
}

/** "repository:tag@digest", as much of it as Fly gave. */
export function imageLabel(machine: FlyMachine): string | null {
  const image = machine.image;
  if (!image || (!image.repository && !image.digest)) return null;
  return `${image.repository ?? ''}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}
