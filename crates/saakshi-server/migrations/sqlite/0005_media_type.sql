-- The MIME type the server sniffed from the media's own first bytes when its upload
-- completed (saakshi_domain::media_type::sniff), the only type media is ever served
-- under. NULL for media stored before this migration: it is served as an
-- application/octet-stream attachment, never under the type a device declared.
ALTER TABLE media ADD COLUMN mime TEXT;
