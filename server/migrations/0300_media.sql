-- Uploaded images (server/src/media/): one row per upload, its variants' blobs in the blob store.
create table images (
  -- Chosen by the server before the variants are stored, so that blob keys can carry it.
  id uuid primary key,
  owner_id uuid not null references users (id),
  -- SHA-256 of the uploaded bytes and the processing options (brand, county, crops) in a
  -- canonical form: the same upload by the same person is stored once.
  source_sha256 text not null check (source_sha256 ~ '^[0-9a-f]{64}$'),
  options_key text not null,
  source_format text not null check (source_format in ('jpeg', 'png', 'webp', 'gif', 'avif')),
  source_bytes integer not null check (source_bytes > 0),
  -- The upright photo (EXIF orientation applied).
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  brand text not null default 'none' check (brand in ('none', 'frame', 'watermark')),
  county_id text references counties (id),
  -- WeChat draft crop fields (normalised x1_y1_x2_y2), relative to the wechat-cover variant.
  pic_crop_235_1 text not null,
  pic_crop_1_1 text not null,
  -- {"<variant>": {"key", "format", "contentType", "width", "height", "bytes"}} for every variant.
  variants jsonb not null,
  created_at timestamptz not null
);
create unique index images_dedupe on images (owner_id, source_sha256, options_key);
create index images_owner_created on images (owner_id, created_at desc);
