//! Leichte Sprache and Deutsche Gebärdensprache (BITV 2.0 § 4): what the portal is, who uses it,
//! how to find the figures and how to get help, in Leichte Sprache (short sentences, one
//! statement each, hard words explained); and which information is offered in Gebärdensprache
//! and how to ask for it.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LeichteSprache() -> impl IntoView {
    view! {
        <Title text="Leichte Sprache"/>
        <div class="plain-language">
            <h1>"Informationen in Leichter Sprache"</h1>
            <h2>"Was ist das OZG-Portal?"</h2>
            <p>"Das OZG-Portal ist eine Internet-Seite."</p>
            <p>"Die Internet-Seite ist vom Land Sachsen-Anhalt."</p>
            <p>"Das Land arbeitet auf dieser Seite mit den Städten und Gemeinden zusammen."</p>
            <p>"Städte, Gemeinden und Landkreise heißen auch: Kommunen."</p>
            <p>"Auf der Seite geht es um Anträge."</p>
            <p>"Ein Antrag ist zum Beispiel: Sie möchten Wohngeld bekommen."</p>
            <p>"Für viele Anträge gehen Sie heute noch in ein Amt."</p>
            <p>"Bald sollen Sie viele Anträge im Internet stellen können."</p>
            <p>"Das steht in einem Gesetz."</p>
            <p>"Das Gesetz heißt: Online-Zugangs-Gesetz."</p>
            <p>"Die Abkürzung für das Gesetz ist: OZG."</p>
            <p>"Auf dieser Internet-Seite steht: So weit sind die Kommunen mit den Anträgen im Internet."</p>

            <h2>"Wer benutzt das OZG-Portal?"</h2>
            <ul>
                <li>"Mitarbeiterinnen und Mitarbeiter von den Kommunen. Sie schreiben auf: Diese Anträge gibt es bei uns schon im Internet. Sie können das Land um Hilfe bitten."</li>
                <li>"Beraterinnen und Berater vom Land. Sie helfen den Kommunen."</li>
                <li>"Die Verbände von den Kommunen. Ein Verband ist eine Gruppe. In der Gruppe sind viele Kommunen."</li>
                <li>"Alle Menschen. Alle dürfen sich die Zahlen ansehen. Dafür brauchen Sie kein Konto."</li>
            </ul>
            <p>"Ein Konto ist ein Zugang mit Namen und Passwort. Nur Mitarbeiterinnen und Mitarbeiter bekommen ein Konto."</p>

            <h2>"Wo finde ich die Zahlen?"</h2>
            <p>"Die Zahlen stehen im Lagebild."</p>
            <p>"Das Lagebild ist eine Übersicht."</p>
            <p>"Klicken Sie oben auf der Seite auf: Lagebild."</p>
            <p>"Dann sehen Sie die Zahlen für ganz Sachsen-Anhalt."</p>
            <p>"Sie können auch einen Landkreis auswählen."</p>
            <p>"Dann sehen Sie die Zahlen für diesen Landkreis."</p>
            <p>"Alle Zahlen gibt es auch als Tabelle."</p>
            <p><a href="/lagebild">"Hier kommen Sie zum Lagebild."</a></p>

            <h2>"Wo bekomme ich Hilfe?"</h2>
            <p>"Sie haben eine Frage zum OZG-Portal?"</p>
            <p>"Dann schreiben Sie uns."</p>
            <p>"Unsere Adresse steht im Impressum."</p>
            <p><a href="/impressum">"Hier kommen Sie zum Impressum."</a></p>
            <p>"Sie können etwas auf dieser Seite nicht benutzen?"</p>
            <p>"Das nennt man: Barriere."</p>
            <p>"Bitte sagen Sie uns das."</p>
            <p>"Dann können wir die Barriere entfernen."</p>
            <p><a href="/barriere-melden">"Hier können Sie uns eine Barriere melden."</a></p>
            <p>"Sie brauchen einen Antrag für sich selbst? Zum Beispiel für Wohngeld?"</p>
            <p>"Dann sind Sie hier nicht richtig."</p>
            <p>"Fragen Sie bitte Ihre Stadt oder Ihre Gemeinde."</p>
        </div>
    }
}

#[component]
pub fn Gebaerdensprache() -> impl IntoView {
    view! {
        <Title text="Gebärdensprache"/>
        <h1>"Informationen in Deutscher Gebärdensprache"</h1>
        <p>"Das OZG-Portal Sachsen-Anhalt stellt die wichtigsten Informationen zur Seite auch in Deutscher Gebärdensprache (DGS) bereit, wenn Sie sie anfordern."</p>
        <h2>"Welche Informationen angeboten werden"</h2>
        <ul>
            <li>"was das OZG-Portal ist und wer es nutzt,"</li>
            <li>"wie Sie die Zahlen im Lagebild finden und lesen,"</li>
            <li>"wie Sie sich auf der Seite zurechtfinden (Navigation),"</li>
            <li>"wie Sie eine Barriere melden und welche Rechte Sie dabei haben (Erklärung zur Barrierefreiheit)."</li>
        </ul>
        <p>"Diese Inhalte stehen auf dieser Website bisher als Text und in "<a href="/leichte-sprache">"Leichter Sprache"</a>" zur Verfügung. Videos in Gebärdensprache gibt es noch nicht."</p>
        <h2>"So fordern Sie Informationen in Gebärdensprache an"</h2>
        <ol>
            <li>"Schreiben Sie eine E-Mail an die Kontaktadresse im "<a href="/impressum">"Impressum"</a>"."</li>
            <li>"Nennen Sie das Thema, zu dem Sie Informationen in Gebärdensprache wünschen, und wie wir Sie erreichen (E-Mail, Videotelefonie oder Fax)."</li>
            <li>"Die betreibende Stelle beantwortet Ihre Anfrage und stellt die Informationen in Deutscher Gebärdensprache bereit, bei Bedarf mit einer Gebärdensprachdolmetschung."</li>
        </ol>
        <p>"Barrieren auf dieser Website können Sie jederzeit über das Formular "<a href="/barriere-melden">"Barriere melden"</a>" mitteilen, ohne Konto und auch ohne JavaScript."</p>
    }
}
