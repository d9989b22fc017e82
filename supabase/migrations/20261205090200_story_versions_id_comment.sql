-- Every column of the data model carries a comment for the dashboard; this one was missed.
comment on column public.story_versions.id is 'Identifies the version.';
