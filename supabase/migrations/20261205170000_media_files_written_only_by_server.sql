-- Resident media files are written only by the app's server, after its media
-- pipeline (server/utils/media/pipeline.ts): it reads what a file really is from
-- its bytes, turns the picture upright, strips GPS and other location data, and
-- makes the display and thumbnail variants. Until now storage RLS also let every
-- contributor write "<resident_id>/..." keys directly with supabase-js, past the
-- pipeline: a JPEG that still carries GPS, or a web page declared as an image,
-- could be stored and then named by a media_items row. The upload route now
-- checks permission with the uploader's own token (can_upload_media, and the
-- media_items insert under RLS) and writes the files with the server's secret
-- key, which RLS does not bind; so no signed-in user needs to insert or update
-- objects in this bucket any more.
--
-- Dropped: the INSERT and UPDATE policies for resident folders (direct uploads,
-- upsert, move and copy all need one of them; so does a signed upload URL).
-- Also dropped: the same two for a person's own photo "people/<user_id>/...":
-- the app never uploads there (people.avatar_path is not shown anywhere yet), so
-- those policies only offered a second way past the pipeline, into a file that
-- everyone who may see the person could open. A person's photo, once the app
-- offers one, goes through the server the same way.
--
-- Kept: reading (SELECT) as before, and DELETE as before (an uploader may still
-- remove files that name them as owner, moderators any file of their residents;
-- the server names the uploader as owner of what it writes, 20261205170100).

drop policy if exists "Contributors can upload media files for a resident" on storage.objects;
drop policy if exists "Uploaders and moderators can replace media files" on storage.objects;
drop policy if exists "People can upload their own photo" on storage.objects;
drop policy if exists "People can replace their own photo" on storage.objects;

-- Storage RLS no longer takes part in an upload; this check (with the
-- uploader's token) is what guards the server's file writes.
comment on function public.can_upload_media(uuid) is
  'Whether the caller may upload photos and videos for the resident. The upload route asks it with the uploader''s token before it writes any file with the server''s key; the media_items insert under RLS decides again.';
