-- A photo may only sit in an album of its own resident, and an album's cover
-- must be one of that resident's photos; the plain foreign keys let a guessed
-- id from another resident through.

alter table public.albums add constraint albums_id_resident_id_key unique (id, resident_id);

alter table public.media_items add constraint media_items_album_same_resident
  foreign key (album_id, resident_id) references public.albums (id, resident_id) on delete set null (album_id);

alter table public.albums add constraint albums_cover_same_resident
  foreign key (cover_media_id, resident_id) references public.media_items (id, resident_id) on delete set null (cover_media_id);
