import type { mediaErrors } from '@farmlive/shared';
import type { Texts } from './texts';

type Codes = keyof typeof mediaErrors;

const zhCN: Texts<Codes> = {
  IMAGE_TOO_LARGE: '图片文件太大了。',
  IMAGE_TOO_MANY_PIXELS: '图片像素太多了，请换一张小一些的照片。',
  IMAGE_UNSUPPORTED_TYPE: '不支持这种文件。请使用 JPEG、PNG、WebP、GIF 或 AVIF 图片。',
  IMAGE_SHAPE_UNSUPPORTED: '图片太小，或者太细长了。',
  IMAGE_CORRUPT: '图片已损坏或不完整。',
  IMAGE_UPLOAD_INVALID: '请一次上传一张图片。',
  IMAGE_CROP_INVALID: '裁剪区域的比例不对。',
  IMAGE_COUNTY_NOT_FOUND: '没有找到这个县，无法加上区域品牌。',
  IMAGE_NOT_FOUND: '这张图片不存在。',
  IMAGE_IN_USE: '这张图片正在被图文使用，不能删除。',
  IMAGE_PIPELINE_BUSY: '正在处理的图片太多了，请稍后再试。',
  BLOB_NOT_FOUND: '存储的文件不见了。',
  BLOB_KEY_INVALID: '存储路径不正确。',
};

const en: Texts<Codes> = {
  IMAGE_TOO_LARGE: 'The image file is too large.',
  IMAGE_TOO_MANY_PIXELS: 'The image has too many pixels. Please use a smaller photo.',
  IMAGE_UNSUPPORTED_TYPE: 'This file is not a supported image. Use JPEG, PNG, WebP, GIF or AVIF.',
  IMAGE_SHAPE_UNSUPPORTED: 'The image is too small, or too long and narrow.',
  IMAGE_CORRUPT: 'The image is damaged or incomplete.',
  IMAGE_UPLOAD_INVALID: 'Upload one image at a time.',
  IMAGE_CROP_INVALID: 'The crop does not have the required shape.',
  IMAGE_COUNTY_NOT_FOUND: 'No such county, so its brand cannot be applied.',
  IMAGE_NOT_FOUND: 'This image does not exist.',
  IMAGE_IN_USE: 'This image is used by a story and cannot be deleted.',
  IMAGE_PIPELINE_BUSY: 'Too many images are being processed. Try again in a moment.',
  BLOB_NOT_FOUND: 'The stored file is missing.',
  BLOB_KEY_INVALID: 'Invalid storage key.',
};

export const mediaErrorTexts = { 'zh-CN': zhCN, en };
