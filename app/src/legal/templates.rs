//! The templates of the legal texts, shown until the operator saves its own version. They name
//! every part the law asks for; what only the operator knows stands in [eckigen Klammern].

/// Impressum (§ 5 DDG, § 18 Abs. 2 MStV).
pub const IMPRESSUM: &str = "## Anbieter

[Name der Behörde, z. B. Ministerium für Infrastruktur und Digitales des Landes Sachsen-Anhalt]
[Straße und Hausnummer]
[Postleitzahl] Magdeburg

Die Behörde ist eine Körperschaft des öffentlichen Rechts; sie wird vertreten durch [die Ministerin / den Minister, Name].

## Kontakt

- Telefon: [Telefonnummer]
- E-Mail: [E-Mail-Adresse der betreibenden Stelle]
- Hinweise zu Barrieren: über das Formular [Barriere melden](/barriere-melden)

## Aufsicht

[Zuständige Aufsichtsbehörde, z. B. die Landesregierung Sachsen-Anhalt]

## Umsatzsteuer-Identifikationsnummer

[Umsatzsteuer-Identifikationsnummer nach § 27a UStG, falls vorhanden; sonst diesen Abschnitt löschen]

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

[Name, Anschrift wie oben]

## Technischer Betrieb

[Name und Anschrift des IT-Dienstleisters, der das Portal betreibt]
";

/// Datenschutzerklärung (Art. 13 DSGVO), with the processing the portal does and its periods.
pub const DATENSCHUTZ: &str = "## Verantwortliche Stelle

[Name und Anschrift der Behörde wie im Impressum], E-Mail: [E-Mail-Adresse]

## Datenschutzbeauftragte oder Datenschutzbeauftragter

[Name oder Funktion, Anschrift, E-Mail-Adresse]

## Zwecke und Rechtsgrundlagen

Das OZG-Portal unterstützt die Zusammenarbeit des Landes Sachsen-Anhalt mit seinen Kommunen bei der Umsetzung des Onlinezugangsgesetzes. Die Verarbeitung ist für die Wahrnehmung dieser Aufgabe im öffentlichen Interesse erforderlich (Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit [Rechtsgrundlage des Landes, z. B. § 3 DSAG LSA]).

## Welche Daten das Portal verarbeitet und wie lange

- **Konten** (nur Beschäftigte der Kommunen, des Landes und der Verbände): Name, dienstliche E-Mail-Adresse, Rolle, Organisation, ein Passwort-Hash (Argon2id; das Passwort selbst wird nie gespeichert), der zweite Faktor, die letzte und die vorletzte Anmeldung. Gespeichert, solange das Konto besteht; eine Löschung anonymisiert das Konto sofort.
- **Sitzungen**: ein technisch notwendiges Cookie, von dem nur ein Hashwert gespeichert wird. Es endet nach 30 Minuten Inaktivität, spätestens nach 8 Stunden, und bei der Abmeldung. Zur Abwehr von Passwort-Raten werden Fehlversuche je Konto, Gerät und Adresse gezählt und nach einem Tag gelöscht.
- **Sicherheitsprotokoll**: Zeitpunkt, Aktion und IP-Adresse von An- und Abmeldungen und von Änderungen an Konten und Daten. Gelöscht nach [365] Tagen.
- **Beratungsfälle**: Anfragen der Kommunen mit Nachrichten, Anlagen und Bearbeitungsverlauf. Anlagen werden [730] Tage nach Abschluss des Falls gelöscht; Benachrichtigungen nach [180] Tagen.
- **Nachnutzung und Förderung**: Anbindungen der Kommunen an EfA-Dienste mit jedem Schritt (wer ihn wann gesetzt hat), Checkliste und Kosten; Förderanträge mit Kostenplan und jedem Bearbeitungsschritt. Gespeichert nach den haushaltsrechtlichen Aufbewahrungsfristen [10 Jahre nach Abschluss].
- **E-Mails**: Benachrichtigungen, Einladungen und Links zum Zurücksetzen des Passworts. Versandte E-Mails werden nach [30] Tagen aus dem Postausgang gelöscht.
- **Meldungen von Barrieren**: Seite, Beschreibung, eine freiwillig angegebene E-Mail-Adresse und ein Hashwert der IP-Adresse (zur Begrenzung auf fünf Meldungen je Stunde). Gelöscht ein Jahr nach der Erledigung.
- **Öffentliches Lagebild**: Besucherinnen und Besucher ohne Konto werden nicht erfasst; IP-Adressen dienen nur der Begrenzung der Abrufe und werden nicht gespeichert.

Es werden keine Analyse- oder Werbedienste eingesetzt. Daten werden nicht an Dritte übermittelt, außer an [den IT-Dienstleister des Landes] als Auftragsverarbeiter (Art. 28 DSGVO).

## Ihre Rechte

Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18) und Widerspruch (Art. 21). Angemeldete Personen können eine Auskunft über ihre Daten unter »Mein Konto« selbst abrufen.

## Beschwerderecht

Sie können sich bei der Aufsichtsbehörde beschweren: Landesbeauftragte oder Landesbeauftragter für den Datenschutz Sachsen-Anhalt, [Anschrift], [E-Mail-Adresse].
";

/// Erklärung zur Barrierefreiheit (§ 12b BGG, BITV 2.0), with the feedback channel.
pub const BARRIEREFREIHEIT: &str = "[Name der Behörde] ist bemüht, das OZG-Portal Sachsen-Anhalt im Einklang mit der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und den Web Content Accessibility Guidelines (WCAG 2.1, Stufe AA) barrierefrei zugänglich zu machen.

## Stand der Vereinbarkeit mit den Anforderungen

Diese Website ist mit den Anforderungen der BITV 2.0 [weitgehend / vollständig] vereinbar. Jede Seite wird vor jeder Veröffentlichung automatisiert mit axe geprüft; alle Funktionen sind per Tastatur und ohne JavaScript bedienbar.

## Nicht barrierefreie Inhalte

- Videos in Deutscher Gebärdensprache gibt es noch nicht; Informationen in Gebärdensprache können [angefordert werden](/gebaerdensprache).
- [Weitere bekannte Einschränkungen eintragen]

## Erstellung dieser Erklärung

Diese Erklärung wurde am [TT.MM.JJJJ] erstellt und zuletzt am [TT.MM.JJJJ] überprüft. Grundlage ist [eine Selbstbewertung / ein BITV-Test durch ...].

## Feedback und Kontakt

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Dann melden Sie sie bitte über das Formular [Barriere melden](/barriere-melden). Es ist von jeder Seite aus im Fußbereich erreichbar, ohne Anmeldung und ohne JavaScript. Sie können uns auch schreiben: [E-Mail-Adresse], [Telefonnummer].

## Schlichtungsverfahren

Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie ein Schlichtungsverfahren bei der Schlichtungsstelle nach dem Behindertengleichstellungsgesetz des Landes Sachsen-Anhalt einleiten: [Name der Schlichtungsstelle], [Anschrift], [E-Mail-Adresse]. Das Verfahren ist kostenlos; Sie brauchen keine Rechtsberatung.

## Durchsetzungsverfahren

Die Überwachung der Barrierefreiheit öffentlicher Stellen des Landes obliegt [der zuständigen Überwachungsstelle des Landes Sachsen-Anhalt, Anschrift].
";
