-- The first version of the terms of use, privacy statement and duty of
-- confidentiality, so that a new installation has a working terms gate.
-- Organisations adapt the texts by publishing a new version (see docs/admin.md).

insert into public.legal_documents (kind, version, title_nb, title_en, body_nb, body_en, published_at) values
('terms', 1, 'Vilkår for bruk', 'Terms of use',
$nb$Minnespor er et verktøy for personsentrert omsorg. Her lager ansatte, pårørende og beboeren sammen en livshistorie og en gjestebok.

- Du får tilgang fordi du er invitert, eller fordi du jobber på beboerens avdeling.
- Skriv bare det beboeren ville vært komfortabel med at de andre leser.
- **Minnespor er ikke en journal.** Ikke skriv helseopplysninger: diagnoser, medisiner, behandling eller prøvesvar.
- Bilder og opplysninger om levende personer krever deres samtykke, eller samtykke fra noen som kan gi det for dem.
- Du kan slette det du selv har lagt inn. Ansatte og hovedkontakten kan fjerne innhold som ikke hører hjemme her.
- Tilgangen kan fjernes når som helst av kommunen eller hovedkontakten.$nb$,
$en$Minnespor is a tool for person-centred care. Staff, relatives and the resident build a life story and a guestbook together.

- You have access because you were invited, or because you work on the resident's unit.
- Write only what the resident would be comfortable with the others reading.
- **Minnespor is not a medical record.** Do not write health information: diagnoses, medication, treatment or test results.
- Photos of and information about living people need their consent, or the consent of someone who may give it for them.
- You can delete what you added yourself. Staff and the primary contact can remove content that does not belong here.
- Access can be removed at any time by the municipality or the primary contact.$en$,
 now()),
('privacy', 1, 'Personvernerklæring', 'Privacy statement',
$nb$Kommunen som driver avdelingen er behandlingsansvarlig for opplysningene i Minnespor.

- **Hva vi lagrer:** navn, e-post og telefonnummer til brukerne, beboerens livshistorie, bilder, videoer og gjestebok, og en logg over hvem som har fått og mistet tilgang.
- **Hvorfor:** for at ansatte skal kunne bli kjent med beboeren og for at familien skal kunne holde kontakten med avdelingen.
- **Hvem ser det:** bare de som er invitert til profilen og de ansatte på beboerens avdeling. Ingenting deles med andre, og siden brukes ikke til reklame eller sporing.
- **Bilder:** stedsinformasjon (GPS) fjernes fra bilder når de lastes opp.
- **Sletting:** når en profil slettes, slettes alle opplysninger og filer. Du kan be om innsyn, retting og sletting hos kommunen.$nb$,
$en$The municipality that runs the unit is the data controller for the information in Minnespor.

- **What we store:** the users' names, e-mail addresses and phone numbers, the resident's life story, photos, videos and guestbook, and a log of who was given or lost access.
- **Why:** so that staff can get to know the resident, and the family can keep in touch with the unit.
- **Who sees it:** only those invited to the profile and the staff of the resident's unit. Nothing is shared with others, and the site is not used for advertising or tracking.
- **Photos:** location data (GPS) is removed from photos when they are uploaded.
- **Deletion:** when a profile is deleted, all its information and files are deleted. You can ask the municipality for access, correction and deletion.$en$,
 now()),
('confidentiality', 1, 'Taushetsplikt', 'Duty of confidentiality',
$nb$Det du ser og leser i Minnespor handler om en annen persons liv. Du har taushetsplikt om det.

- Ikke fortell videre det du får vite om beboeren eller andre brukere til noen som ikke har tilgang.
- Ikke ta skjermbilder eller last ned bilder for å dele dem andre steder.
- Ansatte har i tillegg taushetsplikt etter helsepersonelloven § 21.
- Taushetsplikten gjelder også etter at tilgangen din er avsluttet.$nb$,
$en$What you see and read in Minnespor is about another person's life. You are bound to keep it confidential.

- Do not pass on what you learn about the resident or other users to anyone who does not have access.
- Do not take screenshots or download photos to share them elsewhere.
- Staff are also bound by the duty of confidentiality in the Health Personnel Act, section 21.
- The duty continues after your access has ended.$en$,
 now())
on conflict (kind, version) do nothing;
