<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Hyperparameter</name>
    <message>
        <source>Candidates</source>
        <translation>Kandidaten</translation>
    </message>
    <message>
        <source>Trained heads compared by a label-free criterion, with the k-means partition; 1 is the authors&apos; single run</source>
        <translation>Trainierte Köpfe, zusammen mit der k-Means-Einteilung nach einem Kriterium ohne Labels verglichen; 1 ist der einzelne Lauf der Autoren</translation>
    </message>
    <message>
        <source>Balance weight λ</source>
        <translation>Ausgleichsgewicht λ</translation>
    </message>
    <message>
        <source>Weight of the batch entropy that keeps clusters from collapsing</source>
        <translation>Gewicht der Batch-Entropie, die Gruppen vor dem Zusammenfallen bewahrt</translation>
    </message>
    <message>
        <source>Semantic weight β</source>
        <translation>Semantisches Gewicht β</translation>
    </message>
    <message>
        <source>Weight of the image–semantic pseudo-label loss</source>
        <translation>Gewicht des Bild-Semantik-Pseudolabel-Verlusts</translation>
    </message>
    <message>
        <source>Uniqueness filter γu</source>
        <translation>Eindeutigkeitsfilter γu</translation>
    </message>
    <message>
        <source>Drops nouns too close to the mean of all nouns</source>
        <translation>Verwirft Substantive, die dem Mittel aller Substantive zu nahe sind</translation>
    </message>
    <message>
        <source>Nouns per centre γr</source>
        <translation>Substantive je Zentrum γr</translation>
    </message>
    <message>
        <source>Nearest nouns kept for each k-means centre</source>
        <translation>Nächste Substantive, die je k-Means-Zentrum behalten werden</translation>
    </message>
    <message>
        <source>Confident fraction ξc</source>
        <translation>Sicherer Anteil ξc</translation>
    </message>
    <message>
        <source>Share of each cluster&apos;s most confident photos used for its centre</source>
        <translation>Anteil der sichersten Fotos einer Gruppe, aus denen ihr Zentrum gebildet wird</translation>
    </message>
    <message>
        <source>Nouns per semantic centre ξa</source>
        <translation>Substantive je semantischem Zentrum ξa</translation>
    </message>
    <message>
        <source>Nouns averaged into each cluster&apos;s semantic centre</source>
        <translation>Substantive, die zum semantischen Zentrum einer Gruppe gemittelt werden</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>Nachbarn</translation>
    </message>
    <message>
        <source>Nearest photos whose clusters each photo is pulled towards</source>
        <translation>Nächste Fotos, zu deren Gruppen jedes Foto gezogen wird</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Adam&apos;s step size (constant)</source>
        <translation>Schrittweite von Adam (konstant)</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Gewichtsabnahme</translation>
    </message>
    <message>
        <source>Adam&apos;s L2 term</source>
        <translation>L2-Term von Adam</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batch-Größe</translation>
    </message>
    <message>
        <source>Photos per training step</source>
        <translation>Fotos je Trainingsschritt</translation>
    </message>
    <message>
        <source>Maximum epochs</source>
        <translation>Höchstzahl Epochen</translation>
    </message>
    <message>
        <source>Training stops here at the latest</source>
        <translation>Hier endet das Training spätestens</translation>
    </message>
    <message>
        <source>Minimum epochs</source>
        <translation>Mindestzahl Epochen</translation>
    </message>
    <message>
        <source>Training runs at least this long before it may count as settled</source>
        <translation>So lange läuft das Training mindestens, bevor es als eingeschwungen gelten darf</translation>
    </message>
    <message>
        <source>Stable when changes below</source>
        <translation>Stabil bei Änderungen unter</translation>
    </message>
    <message>
        <source>Share of photos changing cluster per epoch under which training counts as settled</source>
        <translation>Anteil der Fotos, die je Epoche die Gruppe wechseln, unter dem das Training als eingeschwungen gilt</translation>
    </message>
    <message>
        <source>Stable epochs needed</source>
        <translation>Nötige stabile Epochen</translation>
    </message>
    <message>
        <source>Settled epochs in a row before training stops</source>
        <translation>Eingeschwungene Epochen in Folge, bevor das Training endet</translation>
    </message>
    <message>
        <source>Start from k-means centres</source>
        <translation>Mit k-Means-Zentren beginnen</translation>
    </message>
    <message>
        <source>With one candidate: start the cluster head from the nearest-k-means-centre rule</source>
        <translation>Bei einem Kandidaten: den Gruppenkopf mit der Regel des nächsten k-Means-Zentrums beginnen</translation>
    </message>
    <message>
        <source>Centre start scale α</source>
        <translation>Skala des Zentrenstarts α</translation>
    </message>
    <message>
        <source>Scale of the k-means-centre start (and of the k-means candidate&apos;s confidence)</source>
        <translation>Skala des Starts mit k-Means-Zentren (und der Sicherheit des k-Means-Kandidaten)</translation>
    </message>
    <message>
        <source>k-means restarts</source>
        <translation>k-Means-Neustarts</translation>
    </message>
    <message>
        <source>Restarts of the k-means that seeds the semantic space</source>
        <translation>Neustarts des k-Means, das den semantischen Raum anlegt</translation>
    </message>
    <message>
        <source>k-means iterations</source>
        <translation>k-Means-Iterationen</translation>
    </message>
    <message>
        <source>Lloyd iterations per k-means restart at most</source>
        <translation>Höchstens so viele Lloyd-Iterationen je k-Means-Neustart</translation>
    </message>
    <message>
        <source>k-means tolerance</source>
        <translation>k-Means-Toleranz</translation>
    </message>
    <message>
        <source>Centre shift, relative to the data&apos;s variance, under which k-means stops</source>
        <translation>Verschiebung der Zentren, relativ zur Varianz der Daten, unter der k-Means endet</translation>
    </message>
    <message>
        <source>Names per group</source>
        <translation>Namen je Gruppe</translation>
    </message>
    <message>
        <source>Nouns shown for each group at most</source>
        <translation>Höchstens so viele Substantive werden je Gruppe gezeigt</translation>
    </message>
    <message>
        <source>Name candidates</source>
        <translation>Namenskandidaten</translation>
    </message>
    <message>
        <source>Nearest nouns of a group re-ranked by how much they set it apart</source>
        <translation>Nächste Substantive einer Gruppe, neu geordnet danach, wie sehr sie sie abheben</translation>
    </message>
    <message>
        <source>Name score margin</source>
        <translation>Namensschwelle</translation>
    </message>
    <message>
        <source>Names shown score at least this share of the group&apos;s best name</source>
        <translation>Gezeigte Namen erreichen mindestens diesen Anteil der Bewertung des besten Namens der Gruppe</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>Neustarts</translation>
    </message>
    <message>
        <source>k-means++ runs from different seeds; the best one is kept</source>
        <translation>k-Means++-Läufe mit verschiedenen Startwerten; der beste wird behalten</translation>
    </message>
    <message>
        <source>Exact neighbours up to</source>
        <translation>Exakte Nachbarn bis</translation>
    </message>
    <message>
        <source>Above this many photos the neighbour graph is approximate (faiss) on the CPU</source>
        <translation>Bei mehr Fotos als diesen wird der Nachbarschaftsgraph auf der CPU näherungsweise berechnet (faiss)</translation>
    </message>
    <message>
        <source>Train on at most</source>
        <translation>Training mit höchstens</translation>
    </message>
    <message>
        <source>Above this many photos (or 500 per group) SIC trains on a sample of that many and then assigns every photo; 0: train on all</source>
        <translation>Über so vielen Fotos (oder 500 je Gruppe) trainiert SIC an einer Stichprobe dieser Größe und ordnet danach jedes Foto zu; 0: an allen trainieren</translation>
    </message>
    <message>
        <source>Prune candidates at epoch</source>
        <translation>Kandidaten aussortieren in Epoche</translation>
    </message>
    <message>
        <source>Candidates kept training</source>
        <translation>Weiter trainierte Kandidaten</translation>
    </message>
    <message>
        <source>Candidates that train on after the pruning epoch; 0 keeps them all</source>
        <translation>Kandidaten, die nach der Aussortier-Epoche weiter trainieren; 0 behält alle</translation>
    </message>
    <message>
        <source>Epoch at which the candidates ranked below the kept ones stop training (later where the heads have not yet taken 5,000 steps)</source>
        <translation>Epoche, in der die hinter den behaltenen eingestuften Kandidaten das Training beenden (später, solange die Köpfe noch keine 5.000 Schritte gemacht haben)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Groups</source>
        <translation>Gruppen</translation>
    </message>
    <message>
        <source>Photos of the group</source>
        <translation>Fotos der Gruppe</translation>
    </message>
    <message>
        <source>Order of the photos</source>
        <translation>Reihenfolge der Fotos</translation>
    </message>
    <message>
        <source>Most typical first</source>
        <translation>Typischste zuerst</translation>
    </message>
    <message>
        <source>By date taken</source>
        <translation>Nach Aufnahmedatum</translation>
    </message>
    <message>
        <source>By file name</source>
        <translation>Nach Dateiname</translation>
    </message>
    <message>
        <source>Borderline first</source>
        <translation>Grenzfälle zuerst</translation>
    </message>
    <message>
        <source>Photos nearly as close to another group first</source>
        <translation>Fotos, die fast ebenso nah an einer anderen Gruppe liegen, zuerst</translation>
    </message>
    <message>
        <source>Least certain first</source>
        <translation>Unsicherste zuerst</translation>
    </message>
    <message>
        <source>The photos the clustering was least sure of first</source>
        <translation>Die Fotos, bei denen sich das Clustering am wenigsten sicher war, zuerst</translation>
    </message>
</context>
<context>
    <name>clade</name>
    <message>
        <source>Could not move %1 into place as %2.</source>
        <translation>%1 konnte nicht als %2 an seinen Platz verschoben werden.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Reading %1 failed: %2</source>
        <translation>Lesen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
</context>
<context>
    <name>clade::ClusterListModel</name>
    <message>
        <source>Named by you: running again keeps the name on the group that continues this one.</source>
        <translation>Von Ihnen benannt: Ein neuer Durchlauf behält den Namen für die Gruppe, die diese fortsetzt.</translation>
    </message>
    <message>
        <source>1 photo</source>
        <translation>1 Foto</translation>
    </message>
    <message numerus="yes">
        <source>%n photos</source>
        <translation>
            <numerusform>%n Foto</numerusform>
            <numerusform>%n Fotos</numerusform>
        </translation>
    </message>
    <message>
        <source>Group %1</source>
        <translation>Gruppe %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 · locked</source>
        <translation>%1 · gesperrt</translation>
    </message>
    <message>
        <source>Locked: running again keeps its photos and name.</source>
        <translation>Gesperrt: Ein neuer Durchlauf behält ihre Fotos und ihren Namen.</translation>
    </message>
    <message>
        <source>%1 · split?</source>
        <translation>%1 · aufteilen?</translation>
    </message>
    <message numerus="yes">
        <source>Cohesion %1 (1 = all alike) · %n borderline photo(s)</source>
        <translation>
            <numerusform>Zusammenhalt %1 (1 = alle gleich) · %n Grenzfall</numerusform>
            <numerusform>Zusammenhalt %1 (1 = alle gleich) · %n Grenzfälle</numerusform>
        </translation>
    </message>
    <message>
        <source>Looks like two groups: Group › Split may help.</source>
        <translation>Sieht nach zwei Gruppen aus: Gruppe › Aufteilen kann helfen.</translation>
    </message>
</context>
<context>
    <name>clade::ClusteringSettingsDialog</name>
    <message>
        <source>Clustering Settings</source>
        <translation>Clustering-Einstellungen</translation>
    </message>
    <message>
        <source>Settings of the %1 method. The defaults are those of the method&apos;s authors; change them only to experiment.</source>
        <translation>Einstellungen des Verfahrens %1. Die Standardwerte stammen von den Autoren des Verfahrens; ändern Sie sie nur zum Experimentieren.</translation>
    </message>
    <message>
        <source>%1
Default: %2</source>
        <translation>%1
Standard: %2</translation>
    </message>
    <message>
        <source>This method has no settings.</source>
        <translation>Dieses Verfahren hat keine Einstellungen.</translation>
    </message>
    <message>
        <source>The remembered clustering setting %1 is not a number; the default is used</source>
        <translation>Die gespeicherte Clustering-Einstellung %1 ist keine Zahl; der Standardwert wird verwendet</translation>
    </message>
    <message>
        <source>The remembered clustering setting is not used: %1</source>
        <translation>Die gespeicherte Clustering-Einstellung wird nicht verwendet: %1</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <source>Runs with the same seed, photos and settings give the same groups.
Default: 0</source>
        <translation>Läufe mit demselben Startwert, denselben Fotos und Einstellungen ergeben dieselben Gruppen.
Vorgabe: 0</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Wortschatz</translation>
    </message>
    <message>
        <source>The nouns the groups are named from (with a CLIP model). Changing it names the shown groups again without grouping again.</source>
        <translation>Die Substantive, nach denen die Gruppen benannt werden (mit einem CLIP-Modell). Eine Änderung benennt die gezeigten Gruppen neu, ohne neu zu gruppieren.</translation>
    </message>
    <message>
        <source>Everyday nouns (WordNet, sense-tagged)</source>
        <translation>Alltägliche Substantive (WordNet, nach Bedeutung markiert)</translation>
    </message>
    <message>
        <source>All WordNet nouns</source>
        <translation>Alle WordNet-Substantive</translation>
    </message>
    <message>
        <source>WordNet as SIC&apos;s authors read it</source>
        <translation>WordNet, wie die Autoren von SIC es lesen</translation>
    </message>
    <message>
        <source>A word list file</source>
        <translation>Eine Wortlisten-Datei</translation>
    </message>
    <message>
        <source>Word list file</source>
        <translation>Wortlisten-Datei</translation>
    </message>
    <message>
        <source>A text file, one noun per line</source>
        <translation>Eine Textdatei, ein Substantiv je Zeile</translation>
    </message>
    <message>
        <source>Your own words</source>
        <translation>Ihre eigenen Wörter</translation>
    </message>
    <message>
        <source>Your own words, one per line (e.g. kitesurfing)</source>
        <translation>Ihre eigenen Wörter, eines je Zeile (z. B. Kitesurfen)</translation>
    </message>
    <message>
        <source>Word list</source>
        <translation>Wortliste</translation>
    </message>
    <message>
        <source>Your words</source>
        <translation>Ihre Wörter</translation>
    </message>
    <message>
        <source>Choose the word list file, or another vocabulary.</source>
        <translation>Wählen Sie die Wortlisten-Datei oder einen anderen Wortschatz.</translation>
    </message>
</context>
<context>
    <name>clade::Engine</name>
    <message>
        <source>CLIP model %1: grouped by meaning, named from WordNet nouns; method %2</source>
        <translation>CLIP-Modell %1: nach dem Inhalt gruppiert, benannt mit WordNet-Substantiven; Verfahren %2</translation>
    </message>
    <message>
        <source>No CLIP model installed: grouped by look (colour, texture, layout), not by meaning; method %1</source>
        <translation>Kein CLIP-Modell installiert: nach dem Aussehen (Farbe, Textur, Aufbau) gruppiert, nicht nach dem Inhalt; Verfahren %1</translation>
    </message>
</context>
<context>
    <name>clade::ExportDialog</name>
    <message>
        <source>Export Groups</source>
        <translation>Gruppen exportieren</translation>
    </message>
    <message>
        <source> (groups)</source>
        <translation> (Gruppen)</translation>
    </message>
    <message>
        <source>Target folder</source>
        <translation>Zielordner</translation>
    </message>
    <message>
        <source>A folder for one sub-folder per group</source>
        <translation>Ein Ordner für je einen Unterordner pro Gruppe</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>Export mode</source>
        <translation>Exportart</translation>
    </message>
    <message>
        <source>Copy the photos</source>
        <translation>Fotos kopieren</translation>
    </message>
    <message>
        <source>Move the photos (undo puts them back)</source>
        <translation>Fotos verschieben (Rückgängig legt sie zurück)</translation>
    </message>
    <message>
        <source>Symbolic links to the photos</source>
        <translation>Symbolische Verknüpfungen auf die Fotos</translation>
    </message>
    <message>
        <source>Hard links to the photos (same drive only)</source>
        <translation>Harte Verknüpfungen auf die Fotos (nur auf demselben Laufwerk)</translation>
    </message>
    <message>
        <source>Groups and their folder names</source>
        <translation>Gruppen und ihre Ordnernamen</translation>
    </message>
    <message>
        <source>Folder name (editable)</source>
        <translation>Ordnername (änderbar)</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>Fotos</translation>
    </message>
    <message>
        <source>Preview of the export</source>
        <translation>Vorschau des Exports</translation>
    </message>
    <message>
        <source>Preview lists where every photo would go, without touching anything.</source>
        <translation>Die Vorschau zeigt, wohin jedes Foto käme, ohne etwas zu verändern.</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) of this run are missing from the folder and are left out.</source>
        <translation>
            <numerusform>%n Foto dieses Durchlaufs fehlt im Ordner und wird ausgelassen.</numerusform>
            <numerusform>%n Fotos dieses Durchlaufs fehlen im Ordner und werden ausgelassen.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>&amp;Undo Export</source>
        <translation>Export &amp;rückgängig machen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>&amp;Target folder:</source>
        <translation>&amp;Zielordner:</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>Export into</source>
        <translation>Exportieren nach</translation>
    </message>
    <message>
        <source>Choose a target folder first.</source>
        <translation>Wählen Sie zuerst einen Zielordner.</translation>
    </message>
    <message>
        <source>This run has no photos to export.</source>
        <translation>Dieser Durchlauf hat keine Fotos zum Exportieren.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Wird geplant …</translation>
    </message>
    <message>
        <source>Cannot export: %1</source>
        <translation>Export nicht möglich: %1</translation>
    </message>
    <message>
        <source>Move Photos</source>
        <translation>Fotos verschieben</translation>
    </message>
    <message numerus="yes">
        <source>Move %n photo(s) out of the photo folder into %1? Undo Export puts them back.</source>
        <translation>
            <numerusform>%n Foto aus dem Fotoordner nach %1 verschieben? „Export rückgängig machen“ legt es zurück.</numerusform>
            <numerusform>%n Fotos aus dem Fotoordner nach %1 verschieben? „Export rückgängig machen“ legt sie zurück.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Wird exportiert …</translation>
    </message>
    <message>
        <source>Undoing the export…</source>
        <translation>Export wird rückgängig gemacht …</translation>
    </message>
    <message>
        <source>Cannot undo the export: %1</source>
        <translation>Der Export kann nicht rückgängig gemacht werden: %1</translation>
    </message>
    <message>
        <source>Export undone: %1 copies or links removed, %2 photos moved back, %3 left alone, %4 failed.</source>
        <translation>Export rückgängig gemacht: %1 Kopien oder Verknüpfungen entfernt, %2 Fotos zurückverschoben, %3 unverändert gelassen, %4 fehlgeschlagen.</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… und %n weiteres</numerusform>
            <numerusform>… und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Preview: %n photo(s) would be exported; nothing was touched.</source>
        <translation>
            <numerusform>Vorschau: %n Foto würde exportiert; nichts wurde verändert.</numerusform>
            <numerusform>Vorschau: %n Fotos würden exportiert; nichts wurde verändert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled after %1 of %2 photos. Undo Export reverts what was done.</source>
        <translation>Nach %1 von %2 Fotos abgebrochen. „Export rückgängig machen“ nimmt das Erledigte zurück.</translation>
    </message>
    <message>
        <source>Exported %1 of %2 photos into %3.</source>
        <translation>%1 von %2 Fotos nach %3 exportiert.</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) failed; the list says why.</source>
        <translation>
            <numerusform>%n Foto ist fehlgeschlagen; die Liste nennt den Grund.</numerusform>
            <numerusform>%n Fotos sind fehlgeschlagen; die Liste nennt die Gründe.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing can be exported: %1</source>
        <translation>Nichts kann exportiert werden: %1</translation>
    </message>
</context>
<context>
    <name>clade::GridBar</name>
    <message>
        <source>Filter the photos by file name</source>
        <translation>Fotos nach Dateiname filtern</translation>
    </message>
    <message>
        <source>Filter by file name</source>
        <translation>Nach Dateiname filtern</translation>
    </message>
    <message>
        <source>Show only photos with a confidence below</source>
        <translation>Nur Fotos mit einer Sicherheit unter diesem Wert zeigen</translation>
    </message>
    <message>
        <source>Shows only the photos the clustering was less sure of than this (1: all photos)</source>
        <translation>Zeigt nur die Fotos, bei denen sich das Clustering weniger sicher war (1: alle Fotos)</translation>
    </message>
    <message>
        <source>Confidence below </source>
        <translation>Sicherheit unter </translation>
    </message>
    <message>
        <source>Any confidence</source>
        <translation>Jede Sicherheit</translation>
    </message>
</context>
<context>
    <name>clade::GroupCorrections</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>&amp;Gruppe</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>&amp;Umbenennen</translation>
    </message>
    <message>
        <source>&amp;Move Selected Photos To…</source>
        <translation>Ausgewählte Fotos &amp;verschieben nach …</translation>
    </message>
    <message>
        <source>M&amp;erge Into…</source>
        <translation>&amp;Zusammenführen mit …</translation>
    </message>
    <message>
        <source>&amp;Split…</source>
        <translation>&amp;Aufteilen …</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>S&amp;perren</translation>
    </message>
    <message>
        <source>A locked group keeps its photos and name when the folder is run again</source>
        <translation>Eine gesperrte Gruppe behält ihre Fotos und ihren Namen, wenn der Ordner erneut verarbeitet wird</translation>
    </message>
    <message>
        <source>&amp;New Group…</source>
        <translation>&amp;Neue Gruppe …</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Rückgängig: %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>&amp;Wiederholen: %1</translation>
    </message>
    <message>
        <source>There are no groups to correct yet.</source>
        <translation>Es gibt noch keine Gruppen zum Korrigieren.</translation>
    </message>
    <message>
        <source>Groups can be corrected when the current run has finished.</source>
        <translation>Die Gruppen lassen sich korrigieren, sobald der laufende Durchlauf beendet ist.</translation>
    </message>
    <message>
        <source>Cannot undo or redo: %1</source>
        <translation>Rückgängig oder Wiederholen nicht möglich: %1</translation>
    </message>
    <message>
        <source>Cannot correct the groups: %1</source>
        <translation>Die Gruppen können nicht korrigiert werden: %1</translation>
    </message>
    <message>
        <source>Cannot undo or redo while a run is in progress.</source>
        <translation>Rückgängig und Wiederholen sind während eines Durchlaufs nicht möglich.</translation>
    </message>
    <message numerus="yes">
        <source>Move %n photo(s)</source>
        <translation>
            <numerusform>%n Foto verschieben</numerusform>
            <numerusform>%n Fotos verschieben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Moved %n photo(s). Running again keeps them in that group.</source>
        <translation>
            <numerusform>%n Foto verschoben. Ein neuer Durchlauf behält es in dieser Gruppe.</numerusform>
            <numerusform>%n Fotos verschoben. Ein neuer Durchlauf behält sie in dieser Gruppe.</numerusform>
        </translation>
    </message>
    <message>
        <source>Merge groups</source>
        <translation>Gruppen zusammenführen</translation>
    </message>
    <message>
        <source>Groups merged. Running again keeps their photos together.</source>
        <translation>Gruppen zusammengeführt. Ein neuer Durchlauf hält ihre Fotos zusammen.</translation>
    </message>
    <message>
        <source>Split group</source>
        <translation>Gruppe aufteilen</translation>
    </message>
    <message>
        <source>Group split in %1. Running again keeps the parts apart.</source>
        <translation>Gruppe in %1 Teile aufgeteilt. Ein neuer Durchlauf hält die Teile getrennt.</translation>
    </message>
    <message>
        <source>Lock group</source>
        <translation>Gruppe sperren</translation>
    </message>
    <message>
        <source>Unlock group</source>
        <translation>Gruppe entsperren</translation>
    </message>
    <message>
        <source>Group locked: running again keeps its photos and name.</source>
        <translation>Gruppe gesperrt: Ein neuer Durchlauf behält ihre Fotos und ihren Namen.</translation>
    </message>
    <message>
        <source>Group unlocked.</source>
        <translation>Gruppe entsperrt.</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <source>New group made: move photos into it with drag and drop or %1.</source>
        <translation>Neue Gruppe erstellt: Verschieben Sie Fotos per Ziehen und Ablegen oder mit %1 hinein.</translation>
    </message>
    <message>
        <source>Rename group</source>
        <translation>Gruppe umbenennen</translation>
    </message>
    <message>
        <source>The group has its computed name again.</source>
        <translation>Die Gruppe trägt wieder ihren berechneten Namen.</translation>
    </message>
    <message>
        <source>Group renamed. Running again keeps the name on the group that continues this one.</source>
        <translation>Gruppe umbenannt. Ein neuer Durchlauf behält den Namen für die Gruppe, die diese fortsetzt.</translation>
    </message>
    <message>
        <source>Select the photos to move first.</source>
        <translation>Wählen Sie zuerst die zu verschiebenden Fotos aus.</translation>
    </message>
    <message>
        <source>Move Photos</source>
        <translation>Fotos verschieben</translation>
    </message>
    <message numerus="yes">
        <source>Move %n photo(s) to:</source>
        <translation>
            <numerusform>%n Foto verschieben nach:</numerusform>
            <numerusform>%n Fotos verschieben nach:</numerusform>
        </translation>
    </message>
    <message>
        <source>Merge Groups</source>
        <translation>Gruppen zusammenführen</translation>
    </message>
    <message>
        <source>Merge this group into:</source>
        <translation>Diese Gruppe zusammenführen mit:</translation>
    </message>
    <message>
        <source>A group needs at least two photos to be split.</source>
        <translation>Eine Gruppe braucht mindestens zwei Fotos, um aufgeteilt zu werden.</translation>
    </message>
    <message>
        <source>Split Group</source>
        <translation>Gruppe aufteilen</translation>
    </message>
    <message>
        <source>Number of parts:</source>
        <translation>Anzahl der Teile:</translation>
    </message>
    <message>
        <source>New Group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <source>Name of the new group:</source>
        <translation>Name der neuen Gruppe:</translation>
    </message>
</context>
<context>
    <name>clade::GroupDiagnostics</name>
    <message>
        <source>Cannot work out how well the groups hold together: %1</source>
        <translation>Der Zusammenhalt der Gruppen lässt sich nicht bestimmen: %1</translation>
    </message>
</context>
<context>
    <name>clade::KeywordsDialog</name>
    <message>
        <source>written</source>
        <translation>geschrieben</translation>
    </message>
    <message>
        <source>already there</source>
        <translation>schon vorhanden</translation>
    </message>
    <message>
        <source>skipped (RAW)</source>
        <translation>übersprungen (RAW)</translation>
    </message>
    <message>
        <source>skipped (format)</source>
        <translation>übersprungen (Format)</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Write Keywords</source>
        <translation>Stichwörter schreiben</translation>
    </message>
    <message>
        <source>Each photo gets its group&apos;s name as a keyword (XMP dc:subject, a &quot;Clade|name&quot; hierarchy for Lightroom and &quot;Clade/name&quot; for digiKam). Other keywords are kept.</source>
        <translation>Jedes Foto erhält den Namen seiner Gruppe als Stichwort (XMP dc:subject, eine Hierarchie „Clade|Name“ für Lightroom und „Clade/Name“ für digiKam). Andere Stichwörter bleiben erhalten.</translation>
    </message>
    <message>
        <source>In &amp;sidecar files beside the photos (the photos are not touched)</source>
        <translation>In &amp;Filialdateien neben den Fotos (die Fotos bleiben unverändert)</translation>
    </message>
    <message>
        <source>&amp;Inside the photos (JPEG and TIFF; RAW files are never written)</source>
        <translation>&amp;In den Fotos (JPEG und TIFF; RAW-Dateien werden nie geschrieben)</translation>
    </message>
    <message>
        <source>Sidecar file names</source>
        <translation>Namen der Filialdateien</translation>
    </message>
    <message>
        <source>photo.jpg.xmp (darktable, digiKam)</source>
        <translation>foto.jpg.xmp (darktable, digiKam)</translation>
    </message>
    <message>
        <source>photo.xmp (Lightroom)</source>
        <translation>foto.xmp (Lightroom)</translation>
    </message>
    <message>
        <source>Keep each photo&apos;s modification time</source>
        <translation>Änderungszeit jedes Fotos beibehalten</translation>
    </message>
    <message>
        <source>Outcome per photo</source>
        <translation>Ergebnis je Foto</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <source>Written to</source>
        <translation>Geschrieben in</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>No keywords can be written: %1</source>
        <translation>Es können keine Stichwörter geschrieben werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) in %1 group(s).</source>
        <translation>
            <numerusform>%n Foto in %1 Gruppe(n).</numerusform>
            <numerusform>%n Fotos in %1 Gruppe(n).</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Write Keywords</source>
        <translation>Stichwörter &amp;schreiben</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Sidecar &amp;names:</source>
        <translation>&amp;Namen der Filialdateien:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>This run has no photos to write keywords to.</source>
        <translation>Dieser Durchlauf hat keine Fotos, in die Stichwörter geschrieben werden könnten.</translation>
    </message>
    <message>
        <source>Write Into the Photos</source>
        <translation>In die Fotos schreiben</translation>
    </message>
    <message numerus="yes">
        <source>Rewrite %n photo(s) to put the keywords inside them? Each file is replaced by a new copy with the keywords; RAW files are never written. Sidecar files leave your photos untouched.</source>
        <translation>
            <numerusform>%n Foto neu schreiben, um die Stichwörter hineinzulegen? Die Datei wird durch eine neue Kopie mit den Stichwörtern ersetzt; RAW-Dateien werden nie geschrieben. Filialdateien lassen Ihre Fotos unverändert.</numerusform>
            <numerusform>%n Fotos neu schreiben, um die Stichwörter hineinzulegen? Jede Datei wird durch eine neue Kopie mit den Stichwörtern ersetzt; RAW-Dateien werden nie geschrieben. Filialdateien lassen Ihre Fotos unverändert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing keywords…</source>
        <translation>Stichwörter werden geschrieben …</translation>
    </message>
    <message>
        <source>Cannot write keywords: %1</source>
        <translation>Stichwörter können nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>%1 written, %2 already there, %3 RAW skipped, %4 other formats skipped, %5 failed.</source>
        <translation>%1 geschrieben, %2 schon vorhanden, %3 RAW übersprungen, %4 andere Formate übersprungen, %5 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
</context>
<context>
    <name>clade::MainMenus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Folder…</source>
        <translation>&amp;Ordner öffnen …</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Filter Photos</source>
        <translation>Fotos &amp;filtern</translation>
    </message>
    <message>
        <source>Collapse &amp;Bursts</source>
        <translation>Serien &amp;zusammenfassen</translation>
    </message>
    <message>
        <source>Show photos taken in a burst, or nearly the same, as one</source>
        <translation>Serienaufnahmen und fast gleiche Fotos als eines zeigen</translation>
    </message>
    <message>
        <source>&amp;View Photo</source>
        <translation>Foto &amp;ansehen</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Extras</translation>
    </message>
    <message>
        <source>&amp;Clustering Settings…</source>
        <translation>&amp;Clustering-Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Clade</source>
        <translation>&amp;Über Clade</translation>
    </message>
    <message>
        <source>The installed models changed; restart Clade to use them.</source>
        <translation>Die installierten Modelle haben sich geändert; starten Sie Clade neu, um sie zu verwenden.</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Das Modell wird geladen …</translation>
    </message>
    <message>
        <source>Choose a photo folder</source>
        <translation>Fotoordner wählen</translation>
    </message>
    <message>
        <source>Clustering Settings</source>
        <translation>Clustering-Einstellungen</translation>
    </message>
    <message>
        <source>The settings can be changed when the current run has finished.</source>
        <translation>Die Einstellungen lassen sich ändern, sobald der laufende Durchlauf beendet ist.</translation>
    </message>
    <message>
        <source>About Clade</source>
        <translation>Über Clade</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Clade %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Sorts a photo folder into groups by meaning.&lt;/p&gt;&lt;p&gt;Licensed under the GNU General Public License, version 3 or later.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Clade %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Sortiert einen Fotoordner nach Bildinhalt in Gruppen.&lt;/p&gt;&lt;p&gt;Lizenziert unter der GNU General Public License, Version 3 oder später.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>&amp;Modelle</translation>
    </message>
    <message>
        <source>&amp;Manage Models…</source>
        <translation>Modelle &amp;verwalten …</translation>
    </message>
    <message>
        <source>&amp;Use</source>
        <translation>&amp;Verwenden</translation>
    </message>
    <message>
        <source>Downloading %1: %2 of %3</source>
        <translation>%1 wird heruntergeladen: %2 von %3</translation>
    </message>
    <message>
        <source>Downloading %1: %2</source>
        <translation>%1 wird heruntergeladen: %2</translation>
    </message>
    <message>
        <source>%1 (not verified)</source>
        <translation>%1 (nicht geprüft)</translation>
    </message>
    <message>
        <source>No model installed</source>
        <translation>Kein Modell installiert</translation>
    </message>
    <message>
        <source>Cannot use this model: %1</source>
        <translation>Dieses Modell kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>Download a CLIP model?</source>
        <translation>Ein CLIP-Modell herunterladen?</translation>
    </message>
    <message>
        <source>Clade groups photos by what they show, and names the groups, with a CLIP model. None is installed yet, so photos are grouped by look (colour, texture, layout).</source>
        <translation>Clade gruppiert Fotos nach dem, was sie zeigen, und benennt die Gruppen mit einem CLIP-Modell. Noch ist keines installiert, deshalb werden Fotos nach dem Aussehen (Farbe, Textur, Aufbau) gruppiert.</translation>
    </message>
    <message>
        <source>Download %1 now? It is %2, under the %3 licence. The download runs in the background and can be cancelled; Models › Manage Models does it later.</source>
        <translation>%1 jetzt herunterladen? Es ist %2 groß und steht unter der Lizenz %3. Der Download läuft im Hintergrund und kann abgebrochen werden; später geht es über Modelle › Modelle verwalten.</translation>
    </message>
    <message>
        <source>of unknown size</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <source>&amp;Not Now</source>
        <translation>&amp;Nicht jetzt</translation>
    </message>
    <message>
        <source>Write &amp;Keywords…</source>
        <translation>&amp;Stichwörter schreiben …</translation>
    </message>
    <message>
        <source>Export &amp;Table…</source>
        <translation>&amp;Tabelle exportieren …</translation>
    </message>
    <message>
        <source>Next &amp;Uncertain Photo</source>
        <translation>Nächstes &amp;unsicheres Foto</translation>
    </message>
    <message>
        <source>The next photo the clustering was unsure of, across the groups</source>
        <translation>Das nächste Foto, bei dem sich das Clustering unsicher war, über alle Gruppen</translation>
    </message>
    <message>
        <source>&amp;Problems</source>
        <translation>&amp;Probleme</translation>
    </message>
    <message>
        <source>The vocabulary changed; restart Clade to use it.</source>
        <translation>Der Wortschatz wurde geändert; starten Sie Clade neu, um ihn zu verwenden.</translation>
    </message>
    <message>
        <source>Naming the groups again from the new vocabulary…</source>
        <translation>Die Gruppen werden mit dem neuen Wortschatz neu benannt …</translation>
    </message>
</context>
<context>
    <name>clade::MainWindow</name>
    <message>
        <source>Done. No group of this run continues the one you named “%1”; the name stays on the earlier run.</source>
        <translation>Fertig. Keine Gruppe dieses Durchlaufs setzt die von Ihnen benannte „%1“ fort; der Name bleibt beim früheren Durchlauf.</translation>
    </message>
    <message>
        <source>Clade</source>
        <translation>Clade</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>The run failed: %1</source>
        <translation>Der Durchlauf ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cannot read the catalog: %1</source>
        <translation>Der Katalog kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Choose a photo folder first.</source>
        <translation>Wählen Sie zuerst einen Fotoordner.</translation>
    </message>
    <message>
        <source>%1 is not a folder.</source>
        <translation>%1 ist kein Ordner.</translation>
    </message>
    <message>
        <source>Run %1 is not in the catalog.</source>
        <translation>Durchlauf %1 ist nicht im Katalog.</translation>
    </message>
    <message>
        <source>Cannot read the groups: %1</source>
        <translation>Die Gruppen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 — Clade</source>
        <translation>%1 — Clade</translation>
    </message>
    <message>
        <source>Groups: %1 · made %2 with %3 on %4 features</source>
        <translation>Gruppen: %1 · erstellt am %2 mit %3, Merkmale: %4</translation>
    </message>
    <message>
        <source>Choose a photo folder and press Run.</source>
        <translation>Wählen Sie einen Fotoordner und klicken Sie auf „Starten“.</translation>
    </message>
    <message>
        <source>This folder has not been grouped yet: press Run.</source>
        <translation>Dieser Ordner wurde noch nicht gruppiert: Klicken Sie auf „Starten“.</translation>
    </message>
    <message>
        <source>Cannot read the photos of this group: %1</source>
        <translation>Die Fotos dieser Gruppe können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
    <message>
        <source>Cannot rename the group: it is not shown any more.</source>
        <translation>Die Gruppe kann nicht umbenannt werden: Sie wird nicht mehr angezeigt.</translation>
    </message>
    <message numerus="yes">
        <source>Search for %1: the %n closest photo(s), best first.</source>
        <translation>
            <numerusform>Suche nach %1: das %n nächste Foto, das beste zuerst.</numerusform>
            <numerusform>Suche nach %1: die %n nächsten Fotos, die besten zuerst.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training left %n group(s) empty; each was refilled with half of the widest group.</source>
        <translation>
            <numerusform>Das Training ließ %n Gruppe leer; sie wurde mit der Hälfte der breitesten Gruppe gefüllt.</numerusform>
            <numerusform>Das Training ließ %n Gruppen leer; jede wurde mit der Hälfte der breitesten Gruppe gefüllt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Das Modell wird geladen …</translation>
    </message>
    <message>
        <source>Cannot load the model: %1</source>
        <translation>Das Modell kann nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>A clustering setting was not used: %1</source>
        <translation>Eine Einstellung der Gruppierung wurde nicht übernommen: %1</translation>
    </message>
    <message>
        <source>The run starts once the model is loaded.</source>
        <translation>Der Lauf beginnt, sobald das Modell geladen ist.</translation>
    </message>
    <message>
        <source>Cannot read the problems of %1: %2</source>
        <translation>Die Probleme von %1 können nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Cannot name the groups again: %1</source>
        <translation>Die Gruppen können nicht neu benannt werden: %1</translation>
    </message>
    <message>
        <source>The groups have been named again from the vocabulary.</source>
        <translation>Die Gruppen wurden mit dem Wortschatz neu benannt.</translation>
    </message>
</context>
<context>
    <name>clade::ModelDownload</name>
    <message>
        <source>%1 is not in the model catalogue; only catalogue models can be downloaded.</source>
        <translation>%1 ist nicht im Modellkatalog; nur Modelle aus dem Katalog können heruntergeladen werden.</translation>
    </message>
    <message>
        <source>The catalogue has no checksum for %1, so a download could not be verified. Import the file instead.</source>
        <translation>Der Katalog enthält keine Prüfsumme für %1, ein Download ließe sich also nicht überprüfen. Importieren Sie die Datei stattdessen.</translation>
    </message>
    <message>
        <source>%1 has no usable https download address.</source>
        <translation>Für %1 gibt es keine verwendbare HTTPS-Downloadadresse.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>The server redirected the download of %1 to %2, which is not one of its official https locations; the download was stopped.</source>
        <translation>Der Server hat den Download von %1 nach %2 umgeleitet, das keine der offiziellen HTTPS-Adressen ist; der Download wurde angehalten.</translation>
    </message>
    <message>
        <source>The server sent the wrong part of %1; the download was stopped.</source>
        <translation>Der Server hat den falschen Teil von %1 gesendet; der Download wurde angehalten.</translation>
    </message>
    <message>
        <source>The server offers %1 bytes for %2, but the catalogue expects %3; the download was stopped.</source>
        <translation>Der Server bietet %1 Bytes für %2 an, der Katalog erwartet aber %3; der Download wurde angehalten.</translation>
    </message>
    <message>
        <source>The server sent more data than %1 has; the download was stopped.</source>
        <translation>Der Server hat mehr Daten gesendet, als %1 umfasst; der Download wurde angehalten.</translation>
    </message>
    <message>
        <source>Writing %1 failed: %2</source>
        <translation>Schreiben von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>No data arrived from %1 for %2 seconds; the download of %3 was stopped. Start it again to resume where it stopped.</source>
        <translation>Von %1 kamen %2 Sekunden lang keine Daten; der Download von %3 wurde angehalten. Starten Sie ihn erneut, um dort fortzufahren, wo er stehen blieb.</translation>
    </message>
    <message>
        <source>The server answered HTTP %1 (%2) for %3; the download of %4 failed.</source>
        <translation>Der Server antwortete mit HTTP %1 (%2) für %3; der Download von %4 ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The download of %1 failed: %2</source>
        <translation>Der Download von %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The connection closed after %1 of %2 bytes of %3; start the download again to resume.</source>
        <translation>Die Verbindung wurde nach %1 von %2 Bytes von %3 geschlossen; starten Sie den Download erneut, um fortzufahren.</translation>
    </message>
    <message>
        <source>The downloaded file&apos;s SHA-256 (%1) does not match the catalogue&apos;s (%2) for %3; the partial file was deleted.</source>
        <translation>Die SHA-256-Prüfsumme der heruntergeladenen Datei (%1) stimmt nicht mit der des Katalogs (%2) für %3 überein; die Teildatei wurde gelöscht.</translation>
    </message>
    <message>
        <source>Could not move %1 into place as %2.</source>
        <translation>%1 konnte nicht als %2 an seinen Platz verschoben werden.</translation>
    </message>
    <message>
        <source>Every source of %1 failed:</source>
        <translation>Jede Quelle von %1 schlug fehl:</translation>
    </message>
</context>
<context>
    <name>clade::ModelManager</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>There is no model &quot;%1&quot; to delete.</source>
        <translation>Es gibt kein Modell „%1“, das gelöscht werden könnte.</translation>
    </message>
    <message>
        <source>Could not delete %1.</source>
        <translation>%1 konnte nicht gelöscht werden.</translation>
    </message>
    <message>
        <source>%1 is not a readable file.</source>
        <translation>%1 ist keine lesbare Datei.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid model id (use a-z, 0-9, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;).</source>
        <translation>„%1“ ist keine gültige Modellkennung (erlaubt sind a–z, 0–9, „.“, „_“ und „-“).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not in the model catalogue, so %2 cannot be verified; it can only be imported if you accept an unverified file.</source>
        <translation>„%1“ ist nicht im Modellkatalog, daher kann %2 nicht überprüft werden; die Datei lässt sich nur importieren, wenn Sie eine ungeprüfte Datei akzeptieren.</translation>
    </message>
    <message>
        <source>The catalogue has no checksum for %1, so %2 cannot be verified; it can only be imported if you accept an unverified file.</source>
        <translation>Der Katalog enthält keine Prüfsumme für %1, daher kann %2 nicht überprüft werden; die Datei lässt sich nur importieren, wenn Sie eine ungeprüfte Datei akzeptieren.</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, but %3 is %4 bytes; not imported.</source>
        <translation>%1 ist %2 Bytes groß, %3 aber %4 Bytes; nicht importiert.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was installed.</source>
        <translation>Import abgebrochen; es wurde nichts installiert.</translation>
    </message>
    <message>
        <source>Copying %1 failed: %2 %3</source>
        <translation>Kopieren von %1 fehlgeschlagen: %2 %3</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no catalogue checksum to verify against.</source>
        <translation>Für „%1“ gibt es keine Katalogprüfsumme zum Abgleich.</translation>
    </message>
    <message>
        <source>The SHA-256 of %1 is %2, but %3 has %4; it is not used.</source>
        <translation>Die SHA-256-Prüfsumme von %1 ist %2, %3 hat aber %4; die Datei wird nicht verwendet.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not installed; install or import it first.</source>
        <translation>„%1“ ist nicht installiert; zuerst installieren oder importieren.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a CLIP model.</source>
        <translation>„%1“ ist kein CLIP-Modell.</translation>
    </message>
    <message>
        <source>Copying %1 failed: %2</source>
        <translation>Das Kopieren von %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 cannot be verified: the catalogue has no checksum for &quot;%2&quot;.</source>
        <translation>%1 kann nicht geprüft werden: Der Katalog hat keine Prüfsumme für „%2“.</translation>
    </message>
    <message>
        <source>The SHA-256 of %1 is %2, but %3 has %4.</source>
        <translation>Der SHA-256 von %1 ist %2, %3 hat aber %4.</translation>
    </message>
    <message>
        <source>%1 The file was not imported.</source>
        <translation>%1 Die Datei wurde nicht importiert.</translation>
    </message>
</context>
<context>
    <name>clade::ModelsDialog</name>
    <message>
        <source>CLIP models</source>
        <translation>CLIP-Modelle</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>vocabulary (needed by every model)</source>
        <translation>Vokabular (für jedes Modell nötig)</translation>
    </message>
    <message>
        <source>user file</source>
        <translation>eigene Datei</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>Wird heruntergeladen …</translation>
    </message>
    <message>
        <source>Not installed</source>
        <translation>Nicht installiert</translation>
    </message>
    <message>
        <source>Installed, not verified (accepted by you)</source>
        <translation>Installiert, nicht überprüft (von Ihnen akzeptiert)</translation>
    </message>
    <message>
        <source>Installed, verified (default)</source>
        <translation>Installiert, überprüft (Standard)</translation>
    </message>
    <message>
        <source>Installed, verified</source>
        <translation>Installiert, überprüft</translation>
    </message>
    <message>
        <source>Installed and verified: %1</source>
        <translation>Installiert und überprüft: %1</translation>
    </message>
    <message>
        <source>Download cancelled; starting it again resumes where it stopped.</source>
        <translation>Download abgebrochen; ein erneuter Start setzt dort fort, wo er stehen blieb.</translation>
    </message>
    <message>
        <source>Downloading %1 from %2…</source>
        <translation>%1 wird von %2 heruntergeladen …</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>Modelldatei importieren</translation>
    </message>
    <message>
        <source>File not verified</source>
        <translation>Datei nicht überprüft</translation>
    </message>
    <message>
        <source>%1

Use this file anyway? Clade will mark it as not verified.</source>
        <translation>%1

Diese Datei trotzdem verwenden? Clade markiert sie als nicht überprüft.</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>%1 importiert.</translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>Modell löschen</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>%1 löschen?</translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation>%1 gelöscht.</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <source>&amp;Import file…</source>
        <translation>Datei &amp;importieren …</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>No CLIP model installed — clusters are grouped by look (colour, texture, layout), not by meaning.</source>
        <translation>Kein CLIP-Modell installiert – die Gruppen entstehen nach dem Aussehen (Farbe, Textur, Aufbau), nicht nach dem Inhalt.</translation>
    </message>
    <message>
        <source>A download is already going on.</source>
        <translation>Es läuft bereits ein Download.</translation>
    </message>
    <message>
        <source>The catalogue names no default model that can be downloaded; import one instead.</source>
        <translation>Der Katalog nennt kein herunterladbares Standardmodell; importieren Sie stattdessen eines.</translation>
    </message>
    <message>
        <source>%1 is installed already.</source>
        <translation>%1 ist bereits installiert.</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Progress of the download or import</source>
        <translation>Fortschritt des Herunterladens oder Imports</translation>
    </message>
    <message>
        <source>Choose the model the file is for first.</source>
        <translation>Wählen Sie zuerst das Modell, zu dem die Datei gehört.</translation>
    </message>
    <message>
        <source>Wait until the current transfer has ended.</source>
        <translation>Warten Sie, bis die laufende Übertragung beendet ist.</translation>
    </message>
    <message>
        <source>Import cancelled; nothing was installed.</source>
        <translation>Import abgebrochen; es wurde nichts installiert.</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 wird importiert …</translation>
    </message>
</context>
<context>
    <name>clade::NoModelBanner</name>
    <message>
        <source>Download a Model…</source>
        <translation>Modell herunterladen …</translation>
    </message>
    <message>
        <source>Downloads the default CLIP model in the background (Models › Manage Models shows it)</source>
        <translation>Lädt das Standard-CLIP-Modell im Hintergrund herunter (Modelle › Modelle verwalten zeigt den Fortschritt)</translation>
    </message>
</context>
<context>
    <name>clade::PhotoGridModel</name>
    <message>
        <source>Typicality %1 (1 = the group&apos;s centre)</source>
        <translation>Typizität %1 (1 = Mitte der Gruppe)</translation>
    </message>
    <message>
        <source>Borderline: nearly as close to “%1”</source>
        <translation>Grenzfall: fast ebenso nah an „%1“</translation>
    </message>
    <message>
        <source>%1 (+%2)</source>
        <translation>%1 (+%2)</translation>
    </message>
    <message numerus="yes">
        <source>Stands for %n photo(s) taken in a burst or nearly the same (Edit › Collapse Bursts shows them all)</source>
        <translation>
            <numerusform>Steht für %n Foto aus einer Serie oder fast gleiche Fotos (Bearbeiten › Serien zusammenfassen zeigt alle)</numerusform>
            <numerusform>Steht für %n Fotos aus einer Serie oder fast gleiche Fotos (Bearbeiten › Serien zusammenfassen zeigt alle)</numerusform>
        </translation>
    </message>
    <message>
        <source>Confidence %1: uncertain (below %2)</source>
        <translation>Sicherheit %1: unsicher (unter %2)</translation>
    </message>
    <message>
        <source>Confidence %1</source>
        <translation>Sicherheit %1</translation>
    </message>
</context>
<context>
    <name>clade::PhotoSearch</name>
    <message>
        <source>Search the photos by a description</source>
        <translation>Die Fotos nach einer Beschreibung durchsuchen</translation>
    </message>
    <message>
        <source>Cannot search: %1</source>
        <translation>Suche nicht möglich: %1</translation>
    </message>
    <message>
        <source>&amp;Search by Description</source>
        <translation>Nach Beschreibung &amp;suchen</translation>
    </message>
    <message>
        <source>More Like This &amp;Photo</source>
        <translation>Ähnliche Fotos wie dieses &amp;Foto</translation>
    </message>
    <message>
        <source>More Like This &amp;Group</source>
        <translation>Ähnliche Fotos wie diese &amp;Gruppe</translation>
    </message>
    <message>
        <source>Search: describe a photo, e.g. dog on a beach</source>
        <translation>Suche: ein Foto beschreiben, z. B. Hund am Strand</translation>
    </message>
    <message>
        <source>Search needs a CLIP model</source>
        <translation>Die Suche braucht ein CLIP-Modell</translation>
    </message>
    <message>
        <source>Install a CLIP model (Tools › Models) to search by description or for more photos like one.</source>
        <translation>Installieren Sie ein CLIP-Modell (Extras › Modelle), um nach Beschreibung oder nach ähnlichen Fotos zu suchen.</translation>
    </message>
    <message>
        <source>Search needs a CLIP model (Tools › Models).</source>
        <translation>Die Suche braucht ein CLIP-Modell (Extras › Modelle).</translation>
    </message>
    <message>
        <source>Search when the current run has finished.</source>
        <translation>Suchen Sie, sobald der laufende Durchlauf beendet ist.</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>„%1“</translation>
    </message>
    <message>
        <source>Select a photo first.</source>
        <translation>Wählen Sie zuerst ein Foto.</translation>
    </message>
    <message>
        <source>photos like %1</source>
        <translation>Fotos wie %1</translation>
    </message>
    <message>
        <source>Select a group first.</source>
        <translation>Wählen Sie zuerst eine Gruppe.</translation>
    </message>
    <message>
        <source>photos like the group “%1”</source>
        <translation>Fotos wie die Gruppe „%1“</translation>
    </message>
</context>
<context>
    <name>clade::PhotoViewer</name>
    <message>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1 (%2 von %3)</translation>
    </message>
    <message>
        <source>confidence %1, uncertain</source>
        <translation>Sicherheit %1, unsicher</translation>
    </message>
    <message>
        <source>confidence %1</source>
        <translation>Sicherheit %1</translation>
    </message>
</context>
<context>
    <name>clade::PreviewPane</name>
    <message>
        <source>no image decoder is available</source>
        <translation>kein Bilddecoder verfügbar</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen …</translation>
    </message>
    <message>
        <source>Select a photo to see it here.</source>
        <translation>Wählen Sie ein Foto, um es hier zu sehen.</translation>
    </message>
    <message>
        <source>Date unknown</source>
        <translation>Datum unbekannt</translation>
    </message>
    <message>
        <source>Camera unknown</source>
        <translation>Kamera unbekannt</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 Pixel</translation>
    </message>
    <message>
        <source>Cannot show this photo: %1</source>
        <translation>Dieses Foto kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>Preview of the current photo</source>
        <translation>Vorschau des aktuellen Fotos</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
</context>
<context>
    <name>clade::ProblemsLabel</name>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Files that could not be used: %1</source>
        <translation>Nicht verwendbare Dateien: %1</translation>
    </message>
</context>
<context>
    <name>clade::ProblemsPanel</name>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Filter problems</source>
        <translation>Probleme filtern</translation>
    </message>
    <message>
        <source>Filter by file, stage or message</source>
        <translation>Nach Datei, Schritt oder Meldung filtern</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copies the selected problems (all shown ones when none is selected) as tab-separated lines</source>
        <translation>Kopiert die ausgewählten Probleme (alle gezeigten, wenn keines ausgewählt ist) als tabulatorgetrennte Zeilen</translation>
    </message>
    <message>
        <source>&amp;Open Folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>Opens the folder of the current file in the file manager</source>
        <translation>Öffnet den Ordner der aktuellen Datei im Dateimanager</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>Runs the folder again: every file that failed is read again, and the list shows what still fails</source>
        <translation>Verarbeitet den Ordner erneut: Jede fehlgeschlagene Datei wird neu gelesen, und die Liste zeigt, was weiterhin fehlschlägt</translation>
    </message>
    <message>
        <source>Files that could not be used</source>
        <translation>Dateien, die nicht verwendet werden konnten</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n Datei</numerusform>
            <numerusform>%n Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 files</source>
        <translation>%1 von %2 Dateien</translation>
    </message>
</context>
<context>
    <name>clade::RunBar</name>
    <message>
        <source>Choose…</source>
        <translation>Wählen …</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Photo folder</source>
        <translation>Fotoordner</translation>
    </message>
    <message>
        <source>How many groups to make</source>
        <translation>Wie viele Gruppen gebildet werden sollen</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <source>&amp;Groups:</source>
        <translation>&amp;Gruppen:</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet …</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source> — </source>
        <translation> — </translation>
    </message>
    <message>
        <source>Scanning the folder</source>
        <translation>Ordner wird durchsucht</translation>
    </message>
    <message>
        <source>Reading metadata</source>
        <translation>Metadaten werden gelesen</translation>
    </message>
    <message>
        <source>Decoding photos and computing features</source>
        <translation>Fotos werden dekodiert und Merkmale berechnet</translation>
    </message>
    <message>
        <source>Grouping</source>
        <translation>Gruppieren</translation>
    </message>
    <message>
        <source>Naming the groups</source>
        <translation>Gruppen werden benannt</translation>
    </message>
    <message>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
    <message>
        <source>about %1 min %2 s left</source>
        <translation>noch etwa %1 min %2 s</translation>
    </message>
    <message>
        <source>about %1 h %2 min left</source>
        <translation>noch etwa %1 h %2 min</translation>
    </message>
    <message>
        <source>%1 images/s</source>
        <translation>%1 Bilder/s</translation>
    </message>
    <message>
        <source>Choose a photo folder</source>
        <translation>Fotoordner wählen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen …</translation>
    </message>
    <message>
        <source>Progress of the run</source>
        <translation>Fortschritt des Durchlaufs</translation>
    </message>
    <message>
        <source>State of the run</source>
        <translation>Stand des Durchlaufs</translation>
    </message>
</context>
<context>
    <name>clade::RunOutputs</name>
    <message>
        <source>There are no groups to export yet.</source>
        <translation>Es gibt noch keine Gruppen zum Exportieren.</translation>
    </message>
    <message>
        <source>Export when the current run has finished.</source>
        <translation>Exportieren Sie, sobald der laufende Durchlauf beendet ist.</translation>
    </message>
    <message>
        <source>There are no groups to write as keywords yet.</source>
        <translation>Es gibt noch keine Gruppen, die als Stichwörter geschrieben werden könnten.</translation>
    </message>
    <message>
        <source>Write keywords when the current run has finished.</source>
        <translation>Schreiben Sie Stichwörter, wenn der laufende Durchlauf beendet ist.</translation>
    </message>
    <message>
        <source>Export Table</source>
        <translation>Tabelle exportieren</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;JSON (*.json)</source>
        <translation>CSV-Tabelle (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>A table is written as .csv or .json: %1</source>
        <translation>Eine Tabelle wird als .csv oder .json geschrieben: %1</translation>
    </message>
    <message>
        <source>Writing the table…</source>
        <translation>Die Tabelle wird geschrieben …</translation>
    </message>
    <message>
        <source>Wrote the table %1</source>
        <translation>Tabelle %1 geschrieben</translation>
    </message>
    <message>
        <source>Cannot write the table: %1</source>
        <translation>Die Tabelle kann nicht geschrieben werden: %1</translation>
    </message>
</context>
<context>
    <name>clade::ScreenshotTaker</name>
    <message>
        <source>The run failed: %1</source>
        <translation>Der Durchlauf ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The run was cancelled.</source>
        <translation>Der Durchlauf wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>clade::UncertainQueue</name>
    <message>
        <source>There are no groups yet.</source>
        <translation>Es gibt noch keine Gruppen.</translation>
    </message>
    <message>
        <source>Cannot read the groups: %1</source>
        <translation>Die Gruppen können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No photo of this run is uncertain or borderline.</source>
        <translation>Kein Foto dieses Durchlaufs ist unsicher oder ein Grenzfall.</translation>
    </message>
    <message>
        <source>Uncertain photo %1 of %2 in this run (confidence %3).</source>
        <translation>Unsicheres Foto %1 von %2 in diesem Durchlauf (Sicherheit %3).</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Sort a photo folder into groups.</source>
        <translation>Sortiert einen Fotoordner in Gruppen.</translation>
    </message>
    <message>
        <source>Photo folder to open.</source>
        <translation>Zu öffnender Fotoordner.</translation>
    </message>
    <message>
        <source>Catalog file to use.</source>
        <translation>Zu verwendende Katalogdatei.</translation>
    </message>
    <message>
        <source>CLIP weights file to use.</source>
        <translation>Zu verwendende Datei mit CLIP-Gewichten.</translation>
    </message>
    <message>
        <source>Number of groups.</source>
        <translation>Anzahl der Gruppen.</translation>
    </message>
    <message>
        <source>Start grouping FOLDER at once.</source>
        <translation>FOLDER sofort gruppieren.</translation>
    </message>
    <message>
        <source>Save a picture of the window to FILE once it is idle, then quit.</source>
        <translation>Ein Bild des Fensters in FILE speichern, sobald es nichts mehr zu tun hat, dann beenden.</translation>
    </message>
    <message>
        <source>Clade</source>
        <translation>Clade</translation>
    </message>
    <message>
        <source>Cannot open the catalog %1: %2</source>
        <translation>Der Katalog %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Cannot start a run on %1</source>
        <translation>Auf %1 kann kein Durchlauf gestartet werden</translation>
    </message>
    <message>
        <source>Open the export dialog for the latest run of FOLDER.</source>
        <translation>Den Exportdialog für den letzten Durchlauf von FOLDER öffnen.</translation>
    </message>
    <message>
        <source>There is no finished run of %1 to export</source>
        <translation>Es gibt keinen abgeschlossenen Durchlauf von %1 zum Exportieren</translation>
    </message>
    <message>
        <source>The catalog was upgraded; the old one is kept at %1</source>
        <translation>Der Katalog wurde aktualisiert; der alte liegt unter %1</translation>
    </message>
</context>
</TS>
