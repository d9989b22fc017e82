-- Shortcomings of the access rules, said where an administrator looks (the
-- dashboard shows these comments). They are choices made for speed, not bugs.
comment on function private.visible_person_ids() is
  'The people whose name and photo the caller may see: themselves, members and staff of the profiles '
  'and units they see, and those organisations'' admins. Someone who has left a profile is no longer '
  'visible, so their old posts show no author name; finding every past author would mean scanning '
  'all posts of every profile the caller sees, on every read of people.';
comment on policy "Readers of a resident can see its media files" on storage.objects is
  'A hidden media item''s file stays readable by everyone who reads the profile and knows its key: '
  'storage policies see the path, not the row that refers to it.';
