import { ErrorResponseSchema, IMAGE_UPLOAD_FILE_FIELD, ImageAssetSchema, type ImageAsset, type UploadImageFields } from '@farmlive/shared';
import { ApiError } from '../../api/client';

export interface UploadProgress {
  sent: number;
  total: number;
}

export interface UploadHandle {
  /** The stored image (`created` false when the same upload was already stored); rejects with an ApiError. */
  done: Promise<{ image: ImageAsset; created: boolean }>;
  abort(): void;
}

/** Long enough for a 20 MB photo on a county office's uplink, and the variants being made. */
const TIMEOUT_MS = 180_000;

/** The client's code for an upload the person cancelled; never shown as an error. */
export const UPLOAD_ABORTED = 'ABORTED';

/**
 * Uploads one image as multipart (`POST /api/media/images`). XMLHttpRequest, not fetch: only it
 * reports upload progress. Failures become ApiErrors with the server's code, or NETWORK / TIMEOUT.
 */
export function uploadImage(file: Blob, fields: Partial<UploadImageFields>, onProgress: (p: UploadProgress) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, String(v));
  form.append(IMAGE_UPLOAD_FILE_FIELD, file, file instanceof File ? file.name : 'image');

  const done = new Promise<{ image: ImageAsset; created: boolean }>((resolve, reject) => {
    xhr.upload.onprogress = (e) => onProgress({ sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let json: unknown;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = undefined;
      }
      if (xhr.status === 200 || xhr.status === 201) {
        const parsed = ImageAssetSchema.safeParse(json);
        if (parsed.success) return resolve({ image: parsed.data, created: xhr.status === 201 });
        return reject(new ApiError('UNAVAILABLE', 'The server answered in an unexpected form.', xhr.status));
      }
      const error = ErrorResponseSchema.safeParse(json);
      if (error.success) return reject(new ApiError(error.data.error.code, error.data.error.message, xhr.status, error.data.error.details));
      // A proxy in front of FarmLive refused it (often its own body-size limit): say so by status.
      reject(new ApiError(xhr.status === 413 ? 'IMAGE_TOO_LARGE' : 'UNAVAILABLE', `HTTP ${xhr.status}`, xhr.status));
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', 'The network is unavailable.', 0));
    xhr.ontimeout = () => reject(new ApiError('TIMEOUT', 'No answer from the server.', 0));
    xhr.onabort = () => reject(new ApiError(UPLOAD_ABORTED, 'Cancelled.', 0));
  });

  xhr.open('POST', '/api/media/images');
  xhr.timeout = TIMEOUT_MS;
  xhr.withCredentials = true;
  xhr.setRequestHeader('accept', 'application/json');
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
