import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  IMAGE_UPLOAD_FILE_FIELD,
  ImageAssetSchema,
  ImageIdParamsSchema,
  ImageListQuerySchema,
  ImageSourceFormatSchema,
  ImageUploadOptionsSchema,
  ImageVariantParamsSchema,
  UploadImageFieldsSchema,
} from '@farmlive/shared';
import { requireRole, requireUser } from '../auth/guards';
import { AppError, issuesToDetails } from '../platform/errors';
import type { HttpApp } from '../platform/http';
import type { MediaService } from './media.service';

/** Multipart errors (from @fastify/multipart and busboy) as our codes: all are the client's doing. */
const multipartCodes: Record<string, [AppError['code'], string?]> = {
  FST_REQ_FILE_TOO_LARGE: ['IMAGE_TOO_LARGE'],
  FST_FILES_LIMIT: ['IMAGE_UPLOAD_INVALID', 'Send one image per upload.'],
  FST_FIELDS_LIMIT: ['IMAGE_UPLOAD_INVALID', 'Too many form fields.'],
  FST_PARTS_LIMIT: ['IMAGE_UPLOAD_INVALID', 'Too many form parts.'],
  FST_PROTO_VIOLATION: ['VALIDATION_FAILED', 'That field name is not allowed.'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Send the image as multipart/form-data.'],
  FST_MP_PREMATURE_CLOSE: ['IMAGE_UPLOAD_INVALID', 'The upload ended before the image was complete.'],
};

function uploadError(err: unknown, req: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  const [code, message] = multipartCodes[(err as { code?: string }).code ?? ''] ?? ['IMAGE_UPLOAD_INVALID', 'The upload is not a well-formed multipart form.'];
  req.log.debug({ err }, 'multipart upload refused');
  return new AppError(code, message);
}

/** Reads the one file and the text fields of an upload, within the limits given to @fastify/multipart. */
async function readUpload(req: FastifyRequest): Promise<{ bytes: Buffer; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the image as multipart/form-data.');
  const fields: Record<string, string> = {};
  let bytes: Buffer | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== IMAGE_UPLOAD_FILE_FIELD) throw new AppError('IMAGE_UPLOAD_INVALID', `Send the image in the field "${IMAGE_UPLOAD_FILE_FIELD}", not "${part.fieldname.slice(0, 40)}".`);
        bytes = await part.toBuffer();
      } else {
        if (part.fieldnameTruncated || part.valueTruncated) throw new AppError('VALIDATION_FAILED', `The field "${part.fieldname.slice(0, 40)}" is too long.`);
        if (Object.prototype.hasOwnProperty.call(fields, part.fieldname)) throw new AppError('VALIDATION_FAILED', `The field "${part.fieldname.slice(0, 40)}" was sent twice.`);
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    throw uploadError(err, req);
  }
  if (!bytes) throw new AppError('IMAGE_UPLOAD_INVALID');
  return { bytes, fields };
}

export async function registerMediaRoutes(app: HttpApp, deps: { media: MediaService; maxUploadBytes: number; maxPixels: number }): Promise<void> {
  const { media } = deps;
  const tags = ['media'];

  // Multipart is accepted by the upload route only: it lives in its own encapsulated scope.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      throwFileSizeLimit: true,
      limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 8, parts: 9, fieldNameSize: 40, fieldSize: 200, headerPairs: 20 },
    });
    scope.post(
      '/api/media/images',
      { schema: { tags, consumes: ['multipart/form-data'], response: { 200: ImageAssetSchema, 201: ImageAssetSchema } } },
      async (req, reply) => {
        // Refuse before reading a byte of the body.
        const user = requireRole(req, 'official', 'host');
        const { bytes, fields } = await readUpload(req);
        const parsed = UploadImageFieldsSchema.safeParse(fields);
        if (!parsed.success) throw new AppError('VALIDATION_FAILED', undefined, issuesToDetails(parsed.error.issues));
        const { image, created } = await media.upload(user, { bytes, fields: parsed.data });
        return reply.status(created ? 201 : 200).send(image);
      },
    );
  });

  app.get('/api/media/options', { schema: { tags, response: { 200: ImageUploadOptionsSchema } } }, async (req) => {
    requireRole(req, 'official', 'host');
    return { maxUploadBytes: deps.maxUploadBytes, maxPixels: deps.maxPixels, sourceFormats: ImageSourceFormatSchema.options, counties: await media.brandCounties() };
  });

  app.get('/api/media/images', { schema: { tags, querystring: ImageListQuerySchema, response: { 200: z.array(ImageAssetSchema) } } }, (req) =>
    media.listMine(requireRole(req, 'official', 'host'), req.query),
  );

  app.get('/api/media/images/:id', { schema: { tags, params: ImageIdParamsSchema, response: { 200: ImageAssetSchema } } }, (req) => media.get(req.params.id));

  // Variants are public (they are published) and immutable: cache them for good.
  app.get('/api/media/images/:id/:variant', { schema: { tags, params: ImageVariantParamsSchema } }, async (req, reply) => {
    const delivery = await media.openVariant(req.params.id, req.params.variant);
    if ('redirect' in delivery) return reply.redirect(delivery.redirect, 302);
    const { object, etag } = delivery;
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === etag) {
      object.body.destroy();
      return reply.status(304).send();
    }
    return reply.header('content-type', object.contentType).header('content-length', object.size).send(object.body);
  });

  app.delete('/api/media/images/:id', { schema: { tags, params: ImageIdParamsSchema, response: { 204: z.null() } } }, async (req, reply) => {
    await media.remove(requireUser(req), req.params.id);
    return reply.status(204).send(null);
  });
}
