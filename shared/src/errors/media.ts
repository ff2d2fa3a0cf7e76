import { defineErrors } from './define';

/** Image uploads, the image pipeline and the blob store. */
export const mediaErrors = defineErrors({
  IMAGE_TOO_LARGE: { status: 413, message: 'The image file is too large.' },
  IMAGE_TOO_MANY_PIXELS: { status: 413, message: 'The image has too many pixels. Please use a smaller photo.' },
  IMAGE_UNSUPPORTED_TYPE: { status: 415, message: 'This file is not a supported image. Use JPEG, PNG, WebP, GIF or AVIF.' },
  IMAGE_SHAPE_UNSUPPORTED: { status: 400, message: 'The image is too small, or too long and narrow.' },
  IMAGE_CORRUPT: { status: 400, message: 'The image is damaged or incomplete.' },
  IMAGE_UPLOAD_INVALID: { status: 400, message: 'Send one image in the multipart field "file".' },
  IMAGE_CROP_INVALID: { status: 400, message: 'The crop does not have the required shape.' },
  IMAGE_COUNTY_NOT_FOUND: { status: 404, message: 'No county with that id, so its brand cannot be applied.' },
  IMAGE_NOT_FOUND: { status: 404, message: 'This image does not exist.' },
  IMAGE_IN_USE: { status: 409, message: 'This image is used by a story and cannot be deleted.' },
  IMAGE_PIPELINE_BUSY: { status: 503, message: 'Too many images are being processed. Try again in a moment.' },
  BLOB_NOT_FOUND: { status: 404, message: 'The stored file is missing.' },
  BLOB_KEY_INVALID: { status: 400, message: 'Invalid storage key.' },
});
