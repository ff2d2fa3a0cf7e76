/** Multipart uploads over real HTTP, as the story editor sends them. */
export interface UploadPart {
  field?: string;
  bytes: Uint8Array;
  filename?: string;
  type?: string;
}

export interface UploadResult {
  status: number;
  body: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
}

export async function uploadImage(
  baseUrl: string,
  token: string | null,
  /** `fields` as pairs when a test needs a name twice or a name an object cannot hold (`__proto__`). */
  opts: { files?: UploadPart[]; fields?: Record<string, string> | [string, string][] },
): Promise<UploadResult> {
  const form = new FormData();
  for (const [k, v] of Array.isArray(opts.fields) ? opts.fields : Object.entries(opts.fields ?? {})) form.append(k, v);
  for (const f of opts.files ?? []) form.append(f.field ?? 'file', new Blob([f.bytes], { type: f.type ?? 'image/jpeg' }), f.filename ?? 'photo.jpg');
  const res = await fetch(`${baseUrl}/api/media/images`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as UploadResult['body'] };
}
