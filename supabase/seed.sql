-- A believable demo: Fjordvik kommune with two units, their staff, three
-- residents with invented life stories, their families in every role, and a
-- guestbook over the last weeks. Log-ins are listed in supabase/demo-logins.md;
-- the pictures are drawn by `npx tsx scripts/seed-media.ts` at the paths used here.
-- Ids are derived from names, so the same demo gets the same ids on every machine.

create function pg_temp.id(name text) returns uuid
language sql immutable as $$
  select extensions.uuid_generate_v5('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'minnespor-demo:' || name)
$$;

-- Today in Oslo (the database's own current_date is UTC on Supabase): arrival dates are
-- Oslo dates, and the insight counts days from them in Oslo time.
create function pg_temp.oslo_today() returns date
language sql stable as $$ select (now() at time zone 'Europe/Oslo')::date $$;

-- A Tiptap document of plain paragraphs.
create function pg_temp.doc(variadic paragraphs text[]) returns jsonb
language sql immutable as $$
  select jsonb_build_object('type', 'doc', 'content', jsonb_agg(jsonb_build_object(
    'type', 'paragraph', 'content', jsonb_build_array(jsonb_build_object('type', 'text', 'text', p)))
    order by n))
  from unnest(paragraphs) with ordinality as t (p, n)
$$;

create function pg_temp.add_user(key text, name text, email text, phone text) returns void
language sql as $$
  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
    confirmation_token, recovery_token, email_change_token_new, email_change, phone_change,
    phone_change_token, email_change_token_current, reauthentication_token)
  values ('00000000-0000-0000-0000-000000000000', pg_temp.id(key), 'authenticated', 'authenticated', email,
    extensions.crypt('minnespor-demo', extensions.gen_salt('bf')), now() - interval '60 days',
    phone, now() - interval '60 days', '{"provider": "email", "providers": ["email", "phone"]}',
    jsonb_build_object('display_name', name), now() - interval '60 days', now() - interval '60 days',
    '', '', '', '', '', '', '', '');
  insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
  values (pg_temp.id(key)::text, pg_temp.id(key),
    jsonb_build_object('sub', pg_temp.id(key)::text, 'email', email, 'email_verified', true, 'phone_verified', true),
    'email', now() - interval '60 days', now() - interval '60 days', now() - interval '60 days');
$$;

select pg_temp.add_user('hege', 'Hege Solberg', 'hege.solberg@demo.minnespor.no', '4790000001'),
  pg_temp.add_user('tor', 'Tor Eriksen', 'tor.eriksen@demo.minnespor.no', '4790000002'),
  pg_temp.add_user('mona', 'Mona Haugen', 'mona.haugen@demo.minnespor.no', '4790000003'),
  pg_temp.add_user('kari', 'Kari Nordmann', 'kari.nordmann@demo.minnespor.no', '4790000004'),
  pg_temp.add_user('ali', 'Ali Hassan', 'ali.hassan@demo.minnespor.no', '4790000005'),
  pg_temp.add_user('siri', 'Siri Lie', 'siri.lie@demo.minnespor.no', '4790000006'),
  pg_temp.add_user('anne', 'Anne Bakken', 'anne.bakken@demo.minnespor.no', '4790000007'),
  pg_temp.add_user('per', 'Per Bakken', 'per.bakken@demo.minnespor.no', '4790000008'),
  pg_temp.add_user('emma', 'Emma Bakken Lund', 'emma.lund@demo.minnespor.no', '4790000009'),
  pg_temp.add_user('knut', 'Knut Nilsen', 'knut.nilsen@demo.minnespor.no', '4790000010'),
  pg_temp.add_user('lise', 'Lise Nilsen', 'lise.nilsen@demo.minnespor.no', '4790000011'),
  pg_temp.add_user('johannes', 'Johannes Nilsen', 'johannes.nilsen@demo.minnespor.no', '4790000012'),
  pg_temp.add_user('berit', 'Berit Haugland', 'berit.haugland@demo.minnespor.no', '4790000013');

insert into public.legal_acceptances (user_id, document_id, accepted_at)
select p.id, d.id, now() - interval '59 days'
from public.people p cross join public.current_legal_documents d
where p.id in (select pg_temp.id(k) from unnest(array['hege', 'tor', 'mona', 'kari', 'ali', 'siri', 'anne', 'per',
  'emma', 'knut', 'lise', 'johannes', 'berit']) as k);

insert into public.organisations (id, name) values (pg_temp.id('fjordvik'), 'Fjordvik kommune');
insert into public.organisation_admins (organisation_id, user_id) values (pg_temp.id('fjordvik'), pg_temp.id('hege'));
insert into public.units (id, organisation_id, name, site_name) values
  (pg_temp.id('solsiden'), pg_temp.id('fjordvik'), 'Avdeling Solsiden', 'Fjordvik helse- og omsorgssenter'),
  (pg_temp.id('fjordtunet'), pg_temp.id('fjordvik'), 'Avdeling Fjordtunet', 'Fjordvik helse- og omsorgssenter');
insert into public.unit_members (unit_id, user_id, role, invited_by) values
  (pg_temp.id('solsiden'), pg_temp.id('tor'), 'leader', pg_temp.id('hege')),
  (pg_temp.id('solsiden'), pg_temp.id('mona'), 'superuser', pg_temp.id('tor')),
  (pg_temp.id('solsiden'), pg_temp.id('kari'), 'staff', pg_temp.id('mona')),
  (pg_temp.id('fjordtunet'), pg_temp.id('siri'), 'leader', pg_temp.id('hege')),
  (pg_temp.id('fjordtunet'), pg_temp.id('ali'), 'staff', pg_temp.id('siri'));

insert into public.residents (id, unit_id, display_name, preferred_name, birth_date, birth_year, grew_up_in,
  introduction, photo_path, arrived_on, created_by) values
(pg_temp.id('ingrid'), pg_temp.id('solsiden'), 'Ingrid Marie Bakken', 'Ingrid', '1938-03-14', 1938,
 'På en gård på Toten',
 'Jeg heter Ingrid og vokste opp på en gård på Toten med fire søsken. Jeg var lærer i over tretti år, '
 || 'og jeg blir glad når noen synger Prøysen med meg. Jeg liker å strikke, å se på fugler og å få besøk av barnebarna.',
 pg_temp.id('ingrid')::text || '/portrait.png', pg_temp.oslo_today() - 210, pg_temp.id('mona')),
(pg_temp.id('johannes'), pg_temp.id('solsiden'), 'Johannes Nilsen', 'Johs', '1941-08-02', 1941,
 'I Henningsvær i Lofoten',
 'Jeg er Johs, fiskergutt fra Henningsvær. Jeg dro på Lofotfiske som fjortenåring og ble siden skipper på '
 || 'ferja over fjorden. Jeg liker godt vær, en god fortelling og kaffe med en bit brunost.',
 pg_temp.id('johannes')::text || '/portrait.png', pg_temp.oslo_today() - 95, pg_temp.id('tor')),
(pg_temp.id('astrid'), pg_temp.id('fjordtunet'), 'Astrid Haugland', 'Astrid', null, 1935,
 'På Nordnes i Bergen',
 'Jeg heter Astrid og er fra Nordnes i Bergen. Jeg var syerske og sang i kor i femti år. '
 || 'Jeg setter pris på pene klær, blomster i vinduet og at folk tar seg tid til en prat.',
 pg_temp.id('astrid')::text || '/portrait.png', pg_temp.oslo_today() - 400, pg_temp.id('siri'));

insert into public.resident_members (resident_id, user_id, role, relationship, invited_by, created_at) values
  (pg_temp.id('ingrid'), pg_temp.id('anne'), 'primary_contact', 'datter', pg_temp.id('mona'), now() - interval '200 days'),
  (pg_temp.id('ingrid'), pg_temp.id('per'), 'relative', 'sønn', pg_temp.id('anne'), now() - interval '190 days'),
  (pg_temp.id('ingrid'), pg_temp.id('emma'), 'viewer', 'barnebarn', pg_temp.id('anne'), now() - interval '150 days'),
  (pg_temp.id('johannes'), pg_temp.id('knut'), 'primary_contact', 'sønn', pg_temp.id('tor'), now() - interval '90 days'),
  (pg_temp.id('johannes'), pg_temp.id('lise'), 'relative', 'svigerdatter', pg_temp.id('knut'), now() - interval '85 days'),
  (pg_temp.id('johannes'), pg_temp.id('johannes'), 'resident', null, pg_temp.id('kari'), now() - interval '80 days'),
  (pg_temp.id('astrid'), pg_temp.id('berit'), 'primary_contact', 'niese', pg_temp.id('siri'), now() - interval '380 days');

-- Ingrid's life story, mostly written by her daughter Anne and by staff.
insert into public.relations (resident_id, name, relationship, description, photo_path, is_key, is_living, position,
  consent_confirmed_by, consent_confirmed_at, sensitive, created_by) values
(pg_temp.id('ingrid'), 'Olav', 'ektemann', 'Vi giftet oss i Hoff kirke i 1961. Olav var snekker og laget kjøkkenbordet vårt, '
 || 'som fortsatt står hos Anne. Han døde i 2015.', pg_temp.id('ingrid') || '/relations/olav.png', true, false, 1,
 null, null, true, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Anne', 'datter', 'Anne bor i Gjøvik og ringer hver søndag etter middag. Hun er sykepleier og '
 || 'har to barn, Emma og Sindre.', pg_temp.id('ingrid') || '/relations/anne.png', true, true, 2,
 pg_temp.id('anne'), now() - interval '190 days', false, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Per', 'sønn', 'Per er ingeniør i Stavanger og kommer hjem til jul og påske. Han sender bilder fra '
 || 'fjellturer.', pg_temp.id('ingrid') || '/relations/per.png', true, true, 3,
 pg_temp.id('per'), now() - interval '185 days', false, pg_temp.id('per')),
(pg_temp.id('ingrid'), 'Emma', 'barnebarn', 'Emma studerer til lærer i Trondheim, akkurat som bestemor.', null, false, true, 4,
 pg_temp.id('anne'), now() - interval '150 days', false, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Gunvor', 'søster', 'Storesøster. Vi delte rom hele barndommen og var sammen på setra hver sommer.',
 null, false, false, 5, null, null, false, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Birgit', 'venninne', 'Venninne fra lærerskolen på Hamar. De skriver fortsatt julekort til hverandre.',
 null, false, true, 6, pg_temp.id('anne'), now() - interval '120 days', false, pg_temp.id('kari'));

insert into public.life_events (resident_id, title, description, event_year, event_date, date_precision, place,
  life_period, position, sensitive, created_by) values
(pg_temp.id('ingrid'), 'Født på Østre Bakken', 'Yngst av fem søsken på en gård med kuer, høns og en hest som het Blakken.',
 1938, '1938-03-14', 'day', 'Østre Toten', 'childhood', 0, false, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Krigsårene på gården', 'Far gjemte radioen i høyet. Ingrid snakker helst lite om disse årene.',
 1942, null, 'year', 'Østre Toten', 'childhood', 0, true, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Lærerskolen på Hamar', 'Første gang hjemmefra. Bodde på hybel med Birgit.', 1957, null, 'year',
 'Hamar', 'youth', 0, false, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Bryllup med Olav', 'Sol hele dagen og middag på ungdomshuset etterpå.', 1961, '1961-06-24', 'day',
 'Hoff kirke', 'adult_life', 0, false, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Lærer på Lena skole', 'Underviste i norsk og håndarbeid i 36 år.', 1962, '1962-08-20', 'month',
 'Lena', 'adult_life', 1, false, pg_temp.id('kari')),
(pg_temp.id('ingrid'), 'Anne blir født', null, 1963, '1963-05-02', 'day', 'Gjøvik', 'adult_life', 0, false, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Per blir født', null, 1966, '1966-11-11', 'day', 'Gjøvik', 'adult_life', 0, false, pg_temp.id('per')),
(pg_temp.id('ingrid'), 'Pensjonist og tur til Roma', 'Olav og Ingrid feiret pensjonen med ti dager i Roma.', 1998, null,
 'year', 'Roma', 'later_life', 0, false, pg_temp.id('per')),
(pg_temp.id('ingrid'), 'Olav dør', 'Ingrid bodde alene i huset på Lena i seks år etterpå.', 2015, null, 'year', 'Lena',
 'later_life', 0, true, pg_temp.id('anne'));

insert into public.stories (resident_id, title, life_period, body, body_text, position, created_by) values
(pg_temp.id('ingrid'), 'Sommeren på setra', 'childhood',
 pg_temp.doc('Hver sommer fra jeg var sju år gammel, dro Gunvor og jeg til setra med kuene. Vi gikk i to dager, '
   || 'og mor hadde sydd nye forklær til oss.',
   'Om morgenen melket vi, og om ettermiddagen kinnet vi smør. Når det regnet, satt vi inne og strikket og sang '
   || 'alt vi kunne av Prøysen og salmer.',
   'Den beste dagen var da far kom opp med post og sukkertøy. Da fikk vi bade i tjernet selv om det var iskaldt.'),
 'Hver sommer fra jeg var sju år gammel, dro Gunvor og jeg til setra med kuene. Vi gikk i to dager, og mor hadde '
   || 'sydd nye forklær til oss.' || E'\n\n' || 'Om morgenen melket vi, og om ettermiddagen kinnet vi smør. Når det '
   || 'regnet, satt vi inne og strikket og sang alt vi kunne av Prøysen og salmer.' || E'\n\n' || 'Den beste dagen '
   || 'var da far kom opp med post og sukkertøy. Da fikk vi bade i tjernet selv om det var iskaldt.',
 1, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'Første dag som lærer', 'adult_life',
 pg_temp.doc('Jeg var 24 år og hadde 31 elever i andre klasse. Den første dagen glemte jeg navnet på halve klassen.',
   'En gutt som het Kjell satt under pulten hele første time. Til slutt satte jeg meg på gulvet ved siden av ham, '
   || 'og så leste vi «Karius og Baktus» sammen. Kjell ble senere rektor på den samme skolen.'),
 'Jeg var 24 år og hadde 31 elever i andre klasse. Den første dagen glemte jeg navnet på halve klassen.' || E'\n\n'
   || 'En gutt som het Kjell satt under pulten hele første time. Til slutt satte jeg meg på gulvet ved siden av ham, '
   || 'og så leste vi «Karius og Baktus» sammen. Kjell ble senere rektor på den samme skolen.',
 2, pg_temp.id('kari'));

insert into public.interests (resident_id, category, title, description, position, created_by) values
(pg_temp.id('ingrid'), 'music', 'Alf Prøysens viser', 'Kan alle versene av «Du ska få en dag i mårå» og «Steinrøysa».', 1,
 pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'crafts', 'Strikking', 'Har strikket lusekofter til hele familien. Liker mønstre med mange farger.', 2,
 pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'nature', 'Fugler', 'Kjenner igjen de fleste småfugler på sangen. Har fuglebrett utenfor vinduet.', 3,
 pg_temp.id('kari')),
(pg_temp.id('ingrid'), 'reading', 'Kriminalromaner', 'Liker å gjette hvem som gjorde det før siste kapittel.', 4,
 pg_temp.id('per')),
(pg_temp.id('ingrid'), 'food', 'Vafler', 'Med rømme og bringebærsyltetøy, helst nystekte.', 5, pg_temp.id('emma'));

insert into public.everyday_wishes (resident_id, category, title, description, status, done_at, position, created_by) values
(pg_temp.id('ingrid'), 'routine', 'Kaffe med fløte før frokost', 'Gjerne i den blå koppen fra hjemme.', 'wished', null, 1,
 pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'music', 'Prøysen på søndager', 'Platen «Prøysen for alle» ligger i nattbordsskuffen.', 'done',
 now() - interval '7 days', 2, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'calming', 'Strikketøy i hendene', 'Å holde på garn og snakke om mønstre roer henne når dagen blir lang.',
 'wished', null, 3, pg_temp.id('mona')),
(pg_temp.id('ingrid'), 'dislikes', 'Høy radio i fellesstua', 'Hun trekker seg tilbake når det blir mye lyd.', 'wished', null, 4,
 pg_temp.id('kari')),
(pg_temp.id('ingrid'), 'conversation', 'Skolen og elevene', 'Spør om elevene hun hadde, og om livet på gården.', 'wished',
 null, 5, pg_temp.id('anne')),
(pg_temp.id('ingrid'), 'activity', 'Tur ned til kaia', 'Hun vil se båtene og kjøpe en is i kiosken.', 'planned', null, 6,
 pg_temp.id('kari'));

insert into public.albums (id, resident_id, title, description, life_period, position, created_by) values
(pg_temp.id('album:ingrid:toten'), pg_temp.id('ingrid'), 'Barndom på Toten', 'Gården, setra og søsknene.', 'childhood', 1,
 pg_temp.id('anne')),
(pg_temp.id('album:ingrid:familien'), pg_temp.id('ingrid'), 'Familien', 'Bryllup, barn og hytteturer.', 'adult_life', 2,
 pg_temp.id('per'));

insert into public.media_items (id, resident_id, album_id, storage_path, kind, mime_type, width, height, caption,
  taken_year, taken_period, place, shows_living_people, consent_confirmed_by, consent_confirmed_at, created_by) values
(pg_temp.id('media:ingrid:gaarden'), pg_temp.id('ingrid'), pg_temp.id('album:ingrid:toten'),
 pg_temp.id('ingrid') || '/media/' || pg_temp.id('media:ingrid:gaarden') || '/original.png', 'image', 'image/png', 960, 720, 'Østre Bakken gård en sommerdag',
 1950, null, 'Østre Toten', false, null, null, pg_temp.id('anne')),
(pg_temp.id('media:ingrid:setra'), pg_temp.id('ingrid'), pg_temp.id('album:ingrid:toten'),
 pg_temp.id('ingrid') || '/media/' || pg_temp.id('media:ingrid:setra') || '/original.png', 'image', 'image/png', 960, 720, 'Ingrid og Gunvor på setra',
 null, '1940-tallet', 'Totenåsen', false, null, null, pg_temp.id('anne')),
(pg_temp.id('media:ingrid:bryllup'), pg_temp.id('ingrid'), pg_temp.id('album:ingrid:familien'),
 pg_temp.id('ingrid') || '/media/' || pg_temp.id('media:ingrid:bryllup') || '/original.png', 'image', 'image/png', 960, 720, 'Bryllupsdagen 24. juni 1961',
 1961, null, 'Hoff kirke', false, null, null, pg_temp.id('anne')),
(pg_temp.id('media:ingrid:hytta'), pg_temp.id('ingrid'), pg_temp.id('album:ingrid:familien'),
 pg_temp.id('ingrid') || '/media/' || pg_temp.id('media:ingrid:hytta') || '/original.png', 'image', 'image/png', 960, 720, 'Hytta ved Mjøsa, påsken 1975',
 1975, null, 'Mjøsa', true, pg_temp.id('per'), now() - interval '180 days', pg_temp.id('per')),
(pg_temp.id('media:ingrid:vafler'), pg_temp.id('ingrid'), null,
 pg_temp.id('ingrid') || '/glimpses/vafler.png', 'image', 'image/png', 960, 720, 'Vaffelsteking på Solsiden',
 2026, null, 'Avdeling Solsiden', true, pg_temp.id('kari'), now() - interval '1 day', pg_temp.id('kari'));

insert into public.media_people (resident_id, media_item_id, relation_id, person_id, name, created_by) values
(pg_temp.id('ingrid'), pg_temp.id('media:ingrid:setra'), null, null, 'Gunvor', pg_temp.id('anne')),
(pg_temp.id('ingrid'), pg_temp.id('media:ingrid:hytta'), null, pg_temp.id('per'), 'Per', pg_temp.id('per'));
update public.albums set cover_media_id = pg_temp.id('media:ingrid:gaarden') where id = pg_temp.id('album:ingrid:toten');
update public.albums set cover_media_id = pg_temp.id('media:ingrid:bryllup') where id = pg_temp.id('album:ingrid:familien');

-- Johannes ("Johs"), who takes part himself on the ward's tablet, with his son Knut.
insert into public.relations (resident_id, name, relationship, description, photo_path, is_key, is_living, position,
  consent_confirmed_by, consent_confirmed_at, sensitive, created_by) values
(pg_temp.id('johannes'), 'Marit', 'kone', 'Marit var fra Kabelvåg. De møttes på dansen på Svolvær samfunnshus i 1962. '
 || 'Hun døde i 2019.', pg_temp.id('johannes') || '/relations/marit.png', true, false, 1, null, null, true, pg_temp.id('knut')),
(pg_temp.id('johannes'), 'Knut', 'sønn', 'Knut bor i Fjordvik og kommer innom flere ganger i uka. De ser Glimt-kamper sammen.',
 pg_temp.id('johannes') || '/relations/knut.png', true, true, 2, pg_temp.id('knut'), now() - interval '88 days', false,
 pg_temp.id('knut')),
(pg_temp.id('johannes'), 'Lise', 'svigerdatter', 'Lise baker de beste skillingsbollene, sier Johs.', null, false, true, 3,
 pg_temp.id('lise'), now() - interval '84 days', false, pg_temp.id('lise')),
(pg_temp.id('johannes'), 'Arne', 'bror', 'Lillebror som fortsatt bor i Henningsvær og ringer når torsken er kommet.', null,
 true, true, 4, pg_temp.id('knut'), now() - interval '80 days', false, pg_temp.id('knut')),
(pg_temp.id('johannes'), 'Ragnar', 'skipskamerat', 'Mannskap på ferja i tjue år. Død 2010.', null, false, false, 5, null, null,
 false, pg_temp.id('johannes'));

insert into public.life_events (resident_id, title, description, event_year, event_date, date_precision, place,
  life_period, position, sensitive, created_by) values
(pg_temp.id('johannes'), 'Født i Henningsvær', 'Eldste sønn av en fisker og en bestyrerinne på fiskebruket.', 1941,
 '1941-08-02', 'day', 'Henningsvær', 'childhood', 0, false, pg_temp.id('knut')),
(pg_temp.id('johannes'), 'Første Lofotfiske', 'Fjorten år gammel, som eskimo (den yngste i båten) på «Havbris».', 1955, null,
 'year', 'Lofoten', 'youth', 0, false, pg_temp.id('johannes')),
(pg_temp.id('johannes'), 'Gift med Marit', null, 1964, '1964-07-11', 'day', 'Vågan kirke', 'adult_life', 0, false,
 pg_temp.id('knut')),
(pg_temp.id('johannes'), 'Knut blir født', null, 1966, null, 'year', 'Svolvær', 'adult_life', 0, false, pg_temp.id('knut')),
(pg_temp.id('johannes'), 'Skipper på Fjordvik-ferja', 'Førte ferja over fjorden i 34 år, i all slags vær.', 1972, null,
 'year', 'Fjordvik', 'adult_life', 1, false, pg_temp.id('knut')),
(pg_temp.id('johannes'), 'Siste tur som skipper', 'Hele bygda sto på kaia og vinket.', 2006, '2006-05-31', 'day', 'Fjordvik',
 'later_life', 0, false, pg_temp.id('lise')),
(pg_temp.id('johannes'), 'Marit dør', null, 2019, null, 'year', 'Fjordvik', 'later_life', 0, true, pg_temp.id('knut'));

insert into public.stories (resident_id, title, life_period, body, body_text, position, created_by) values
(pg_temp.id('johannes'), 'Uværet i 1959', 'youth',
 pg_temp.doc('Vi lå på feltet utenfor Skrova da det snudde. På en halvtime gikk det fra stille sjø til full storm.',
   'Skipperen ba oss kutte garnene. Jeg var atten og trodde vi skulle gå ned. Da vi kom inn til Henningsvær om natta, '
   || 'sto mor på moloen med lykt.'),
 'Vi lå på feltet utenfor Skrova da det snudde. På en halvtime gikk det fra stille sjø til full storm.' || E'\n\n'
   || 'Skipperen ba oss kutte garnene. Jeg var atten og trodde vi skulle gå ned. Da vi kom inn til Henningsvær om natta, '
   || 'sto mor på moloen med lykt.', 1, pg_temp.id('johannes')),
(pg_temp.id('johannes'), 'Folkene på ferja', 'adult_life',
 pg_temp.doc('Ferja var bygdas stue. Jeg kjente alle som reiste, og hunden til landhandleren reiste gratis hver tirsdag.',
   'En julaften fikk vi ikke lagt til på grunn av isen, og alle passasjerene spiste julemiddag om bord. Marit kom ut med '
   || 'ribbe i en robåt.'),
 'Ferja var bygdas stue. Jeg kjente alle som reiste, og hunden til landhandleren reiste gratis hver tirsdag.' || E'\n\n'
   || 'En julaften fikk vi ikke lagt til på grunn av isen, og alle passasjerene spiste julemiddag om bord. Marit kom ut '
   || 'med ribbe i en robåt.', 2, pg_temp.id('knut'));

insert into public.interests (resident_id, category, title, description, position, created_by) values
(pg_temp.id('johannes'), 'sport', 'Bodø/Glimt', 'Har fulgt laget siden 1970-tallet. Gult skjerf på kampdager.', 1,
 pg_temp.id('knut')),
(pg_temp.id('johannes'), 'nature', 'Vær og hav', 'Leser skyer og vind bedre enn værmeldingen, sier han selv.', 2,
 pg_temp.id('johannes')),
(pg_temp.id('johannes'), 'music', 'Trekkspillmusikk', 'Særlig Erik Bye og gamle sjømannsviser.', 3, pg_temp.id('lise')),
(pg_temp.id('johannes'), 'food', 'Mølje', 'Torsk, lever og rogn – helst i januar.', 4, pg_temp.id('knut'));

insert into public.everyday_wishes (resident_id, category, title, description, status, done_at, position, created_by) values
(pg_temp.id('johannes'), 'routine', 'Værmeldingen etter Dagsrevyen', 'Han vil se den hver kveld, og gjerne kommentere den.',
 'wished', null, 1, pg_temp.id('knut')),
(pg_temp.id('johannes'), 'food_and_drink', 'Kaffe med brunost', 'Svart kaffe og en skive med brunost til kvelds.', 'wished',
 null, 2, pg_temp.id('lise')),
(pg_temp.id('johannes'), 'calming', 'Sitte ved vinduet mot fjorden', 'Å se båtene gå gjør ham rolig.', 'wished', null, 3,
 pg_temp.id('kari')),
(pg_temp.id('johannes'), 'dislikes', 'Å bli forhastet om morgenen', 'Han liker å ta tiden til hjelp.', 'wished', null, 4,
 pg_temp.id('johannes')),
(pg_temp.id('johannes'), 'conversation', 'Fiske, båter og vær', 'Spør om Lofotfisket eller om ferja.', 'wished', null, 5,
 pg_temp.id('knut')),
(pg_temp.id('johannes'), 'activity', 'Båttur med Knut i sommer', 'Ut til fyret og tilbake, med termos.', 'wished', null, 6,
 pg_temp.id('johannes'));

insert into public.albums (id, resident_id, title, description, life_period, position, created_by) values
(pg_temp.id('album:johannes:lofoten'), pg_temp.id('johannes'), 'Lofoten', 'Henningsvær og fiskeårene.', 'youth', 1,
 pg_temp.id('knut')),
(pg_temp.id('album:johannes:ferja'), pg_temp.id('johannes'), 'Ferja', 'Trettifire år over fjorden.', 'adult_life', 2,
 pg_temp.id('knut'));

insert into public.media_items (id, resident_id, album_id, storage_path, kind, mime_type, width, height, caption,
  taken_year, taken_period, place, shows_living_people, consent_confirmed_by, consent_confirmed_at, created_by) values
(pg_temp.id('media:johannes:henningsvaer'), pg_temp.id('johannes'), pg_temp.id('album:johannes:lofoten'),
 pg_temp.id('johannes') || '/media/' || pg_temp.id('media:johannes:henningsvaer') || '/original.png', 'image', 'image/png', 960, 720, 'Havna i Henningsvær',
 null, '1950-tallet', 'Henningsvær', false, null, null, pg_temp.id('knut')),
(pg_temp.id('media:johannes:ferja'), pg_temp.id('johannes'), pg_temp.id('album:johannes:ferja'),
 pg_temp.id('johannes') || '/media/' || pg_temp.id('media:johannes:ferja') || '/original.png', 'image', 'image/png', 960, 720, 'MF «Fjordvik» ved kaia',
 1975, null, 'Fjordvik', false, null, null, pg_temp.id('knut')),
(pg_temp.id('media:johannes:kaia'), pg_temp.id('johannes'), null,
 pg_temp.id('johannes') || '/glimpses/kaia.png', 'image', 'image/png', 960, 720, 'Tur til kaia i sola',
 2026, null, 'Fjordvik', true, pg_temp.id('kari'), now() - interval '15 days', pg_temp.id('kari'));

-- Astrid, with her niece Berit as primary contact.
insert into public.relations (resident_id, name, relationship, description, photo_path, is_key, is_living, position,
  consent_confirmed_by, consent_confirmed_at, sensitive, created_by) values
(pg_temp.id('astrid'), 'Berit', 'niese', 'Berit er datter av broren Sverre og har vært som en datter for Astrid.',
 pg_temp.id('astrid') || '/relations/berit.png', true, true, 1, pg_temp.id('berit'), now() - interval '380 days', false,
 pg_temp.id('berit')),
(pg_temp.id('astrid'), 'Sverre', 'bror', 'Storebror og sjømann. Kom hjem med silke fra Kina til systuen.', null, true, false, 2,
 null, null, false, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'Else', 'venninne', 'Sang alt i koret ved siden av Astrid i førti år.', null, false, true, 3,
 pg_temp.id('berit'), now() - interval '300 days', false, pg_temp.id('ali'));

insert into public.life_events (resident_id, title, description, event_year, event_date, date_precision, place,
  life_period, position, sensitive, created_by) values
(pg_temp.id('astrid'), 'Født på Nordnes', null, 1935, null, 'year', 'Bergen', 'childhood', 0, false, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'Læretid som syerske', 'Hos fru Isdahl i Øvregaten.', 1950, null, 'year', 'Bergen', 'youth', 0, false,
 pg_temp.id('berit')),
(pg_temp.id('astrid'), 'Egen systue i Strandgaten', 'Sydde brudekjoler for halve byen.', 1958, null, 'year', 'Bergen',
 'adult_life', 0, false, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'Begynte i Nordnes kvinnekor', 'Sang i koret i femti år.', 1962, null, 'year', 'Bergen', 'adult_life',
 1, false, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'Flyttet til Fjordvik', 'For å bo nær Berit.', 2012, null, 'year', 'Fjordvik', 'later_life', 0, false,
 pg_temp.id('berit'));

insert into public.stories (resident_id, title, life_period, body, body_text, position, created_by) values
(pg_temp.id('astrid'), 'Systuen i Strandgaten', 'adult_life',
 pg_temp.doc('Systuen lå i andre etasje, med utsikt over Vågen. Om våren sto brudene i kø på trappen.',
   'Den fineste kjolen jeg sydde var til en fiskerdatter fra Sotra. Vi brukte silken Sverre hadde med fra Shanghai.'),
 'Systuen lå i andre etasje, med utsikt over Vågen. Om våren sto brudene i kø på trappen.' || E'\n\n'
   || 'Den fineste kjolen jeg sydde var til en fiskerdatter fra Sotra. Vi brukte silken Sverre hadde med fra Shanghai.',
 1, pg_temp.id('berit'));

insert into public.interests (resident_id, category, title, description, position, created_by) values
(pg_temp.id('astrid'), 'music', 'Korsang', 'Griegs salmer og «Nystemten».', 1, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'crafts', 'Søm og broderi', 'Ser straks om en søm er skjev.', 2, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'nature', 'Pelargonier', 'Har alltid hatt røde pelargonier i vinduet.', 3, pg_temp.id('ali')),
(pg_temp.id('astrid'), 'places', 'Fisketorget i Bergen', 'Husker prisene på reker i 1960.', 4, pg_temp.id('berit'));

insert into public.everyday_wishes (resident_id, category, title, description, status, done_at, position, created_by) values
(pg_temp.id('astrid'), 'routine', 'Pent kledd før frokost', 'Med brosjen fra Sverre.', 'wished', null, 1, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'calming', 'Høre korsang', 'Spill gjerne opptaket fra jubileumskonserten.', 'wished', null, 2,
 pg_temp.id('berit')),
(pg_temp.id('astrid'), 'dislikes', 'Å bli kalt «vennen»', 'Si Astrid.', 'wished', null, 3, pg_temp.id('berit')),
(pg_temp.id('astrid'), 'conversation', 'Bergen, mote og stoffer', null, 'wished', null, 4, pg_temp.id('ali')),
(pg_temp.id('astrid'), 'food_and_drink', 'Skillingsboller', 'Til kaffen på lørdager.', 'done', now() - interval '9 days', 5,
 pg_temp.id('ali'));

insert into public.albums (id, resident_id, title, description, life_period, position, created_by) values
(pg_temp.id('album:astrid:bergen'), pg_temp.id('astrid'), 'Bergen', 'Nordnes, systuen og koret.', 'adult_life', 1,
 pg_temp.id('berit'));

insert into public.media_items (id, resident_id, album_id, storage_path, kind, mime_type, width, height, caption,
  taken_year, taken_period, place, shows_living_people, consent_confirmed_by, consent_confirmed_at, created_by) values
(pg_temp.id('media:astrid:nordnes'), pg_temp.id('astrid'), pg_temp.id('album:astrid:bergen'),
 pg_temp.id('astrid') || '/media/' || pg_temp.id('media:astrid:nordnes') || '/original.png', 'image', 'image/png', 960, 720, 'Nordnes en vårdag', null, '1940-tallet',
 'Bergen', false, null, null, pg_temp.id('berit')),
(pg_temp.id('media:astrid:systuen'), pg_temp.id('astrid'), pg_temp.id('album:astrid:bergen'),
 pg_temp.id('astrid') || '/media/' || pg_temp.id('media:astrid:systuen') || '/original.png', 'image', 'image/png', 960, 720, 'Utstillingsvinduet i Strandgaten', 1960,
 null, 'Bergen', false, null, null, pg_temp.id('berit'));

-- The guestbook over the last weeks: greetings from the families, glimpses from staff.
insert into public.guestbook_posts (id, resident_id, kind, body, created_by, created_at) values
(pg_temp.id('post:ingrid:vafler'), pg_temp.id('ingrid'), 'glimpse', 'I dag stekte vi vafler, og Ingrid sang «Det var en '
 || 'lørdagsaften» for hele stua. Flere sang med på refrenget. 🎶', pg_temp.id('kari'), now() - interval '1 day 2 hours'),
(pg_temp.id('post:ingrid:2'), pg_temp.id('ingrid'), 'greeting', 'Hei mamma! Vi kommer på søndag med Emma og Sindre. '
 || 'Gleder oss! Klem fra Anne', pg_temp.id('anne'), now() - interval '2 days 5 hours'),
(pg_temp.id('post:ingrid:3'), pg_temp.id('ingrid'), 'greeting', 'Hei bestemor! Jeg bestod eksamen i norsk 😊 Skal fortelle '
 || 'alt når jeg kommer.', pg_temp.id('emma'), now() - interval '5 days 3 hours'),
(pg_temp.id('post:ingrid:4'), pg_temp.id('ingrid'), 'glimpse', 'Ingrid lærte to av de nye sommervikarene å strikke '
 || 'vrangmasker i dag. Tålmodig lærer fortsatt!', pg_temp.id('mona'), now() - interval '8 days 6 hours'),
(pg_temp.id('post:ingrid:5'), pg_temp.id('ingrid'), 'greeting', 'Hilsen fra Stavanger! Vi var på Preikestolen i helgen. '
 || 'Tenkte på deg og alle turene våre.', pg_temp.id('per'), now() - interval '12 days 1 hour'),
(pg_temp.id('post:ingrid:6'), pg_temp.id('ingrid'), 'glimpse', 'Vi så på fuglebrettet i morges. Ingrid kjente igjen '
 || 'dompap og kjøttmeis med en gang.', pg_temp.id('kari'), now() - interval '20 days 4 hours'),
(pg_temp.id('post:ingrid:7'), pg_temp.id('ingrid'), 'greeting', 'Takk for en fin bursdagsfeiring, alle sammen!',
 pg_temp.id('anne'), now() - interval '31 days'),
(pg_temp.id('post:johannes:1'), pg_temp.id('johannes'), 'glimpse', 'Johs fortalte om Lofotfisket i 1955 til hele '
 || 'frokostbordet. Nå vet vi alle hva en «eskimo» er i en fiskebåt!', pg_temp.id('tor'), now() - interval '1 day 5 hours'),
(pg_temp.id('post:johannes:2'), pg_temp.id('johannes'), 'greeting', 'Hei far! Glimt vant 3–1. Vi ser neste kamp sammen på '
 || 'lørdag, jeg tar med skjerfet.', pg_temp.id('knut'), now() - interval '3 days 2 hours'),
(pg_temp.id('post:johannes:3'), pg_temp.id('johannes'), 'greeting', 'Takk for kaffen i dag, Knut. Hils Lise.',
 pg_temp.id('johannes'), now() - interval '4 days 1 hour'),
(pg_temp.id('post:johannes:4'), pg_temp.id('johannes'), 'greeting', 'Skillingsbollene kommer på fredag! Klem fra Lise',
 pg_temp.id('lise'), now() - interval '9 days 3 hours'),
(pg_temp.id('post:johannes:kaia'), pg_temp.id('johannes'), 'glimpse', 'Tur ned til kaia i sola. Johs hadde en kommentar til '
 || 'hver eneste båt som gikk forbi.', pg_temp.id('kari'), now() - interval '15 days 2 hours'),
(pg_temp.id('post:astrid:1'), pg_temp.id('astrid'), 'glimpse', 'Astrid hjalp oss å sy nye gardiner til dagligstua. '
 || 'Sømmen vår var «nesten godkjent» 😄', pg_temp.id('ali'), now() - interval '2 days 4 hours'),
(pg_temp.id('post:astrid:2'), pg_temp.id('astrid'), 'greeting', 'Hei tante Astrid! Pelargoniene dine står og blomstrer hos '
 || 'meg. Kommer torsdag.', pg_temp.id('berit'), now() - interval '6 days 2 hours'),
(pg_temp.id('post:astrid:3'), pg_temp.id('astrid'), 'glimpse', 'Korkonsert i kantina i dag. Astrid sang med på alle '
 || 'salmene, og kunne alle versene.', pg_temp.id('siri'), now() - interval '18 days 5 hours');

insert into public.guestbook_post_media (post_id, media_item_id, resident_id, created_by) values
(pg_temp.id('post:ingrid:vafler'), pg_temp.id('media:ingrid:vafler'), pg_temp.id('ingrid'), pg_temp.id('kari')),
(pg_temp.id('post:johannes:kaia'), pg_temp.id('media:johannes:kaia'), pg_temp.id('johannes'), pg_temp.id('kari'));

insert into public.guestbook_comments (post_id, resident_id, body, created_by, created_at) values
(pg_temp.id('post:ingrid:vafler'), pg_temp.id('ingrid'), 'Så fint! Den sangen har hun alltid elsket.', pg_temp.id('anne'),
 now() - interval '1 day'),
(pg_temp.id('post:ingrid:vafler'), pg_temp.id('ingrid'), 'Takk for at dere deler dette ❤️', pg_temp.id('per'),
 now() - interval '20 hours'),
(pg_temp.id('post:johannes:1'), pg_temp.id('johannes'), 'Han har fortalt den historien hver jul i femti år 😄',
 pg_temp.id('knut'), now() - interval '1 day 1 hour'),
(pg_temp.id('post:astrid:1'), pg_temp.id('astrid'), 'Typisk tante Astrid!', pg_temp.id('berit'), now() - interval '2 days');

insert into public.guestbook_hearts (post_id, resident_id, created_by) values
(pg_temp.id('post:ingrid:vafler'), pg_temp.id('ingrid'), pg_temp.id('anne')),
(pg_temp.id('post:ingrid:vafler'), pg_temp.id('ingrid'), pg_temp.id('per')),
(pg_temp.id('post:ingrid:vafler'), pg_temp.id('ingrid'), pg_temp.id('emma')),
(pg_temp.id('post:ingrid:3'), pg_temp.id('ingrid'), pg_temp.id('anne')),
(pg_temp.id('post:johannes:1'), pg_temp.id('johannes'), pg_temp.id('knut')),
(pg_temp.id('post:johannes:2'), pg_temp.id('johannes'), pg_temp.id('johannes')),
(pg_temp.id('post:astrid:1'), pg_temp.id('astrid'), pg_temp.id('berit'));

-- Admin and insight (issue 12): two goals for Solsiden, visits that make Per and
-- Emma active relatives this week and Ali active staff, and Berit's choice to hear
-- when the family has gone quiet. The insight test (tests/admin/insight-seed.test.ts)
-- counts these by hand.
insert into public.unit_goals (unit_id, kind, sections, weeks, created_by) values
  (pg_temp.id('solsiden'), 'sections_within_weeks', array['people', 'life'], 4, pg_temp.id('tor')),
  (pg_temp.id('solsiden'), 'glimpse_every_week', '{}', 4, pg_temp.id('tor'));
insert into private.resident_visits (resident_id, user_id, week_start, last_seen_at) values
  (pg_temp.id('ingrid'), pg_temp.id('per'), date_trunc('week', now() at time zone 'Europe/Oslo')::date, now()),
  (pg_temp.id('ingrid'), pg_temp.id('emma'), date_trunc('week', now() at time zone 'Europe/Oslo')::date, now()),
  (pg_temp.id('astrid'), pg_temp.id('ali'), date_trunc('week', now() at time zone 'Europe/Oslo')::date, now());
insert into public.family_nudge_preferences (user_id, resident_id, enabled, quiet_weeks) values
  (pg_temp.id('berit'), pg_temp.id('astrid'), true, 3);
