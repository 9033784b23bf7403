#include "clusteringsettingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace clade {

namespace {

QString translated(const char *text)
{
    return QCoreApplication::translate("Hyperparameter", text);
}

const QString seedKey = QStringLiteral("clustering/seed");
const QString vocabularyKey = QStringLiteral("vocabulary/source");
const QString wordsKey = QStringLiteral("vocabulary/words");
const QString fileSource = QStringLiteral("file");

QString settingsKey(const QString &method, const QString &key)
{
    return QStringLiteral("clustering/%1/%2").arg(method, key);
}

}   // namespace

ClusteringSettingsDialog::ClusteringSettingsDialog(const QString &method, std::vector<Hyperparameter> parameters, QSettings *settings,
                                                   QWidget *parent)
    : QDialog(parent), m_method(method), m_settings(settings)
{
    setWindowTitle(tr("Clustering Settings"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Settings of the %1 method. The defaults are those of the method's "
                                "authors; change them only to experiment.")
                                 .arg(method),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    auto *methodLabel = new QLabel(method, this);
    methodLabel->setObjectName(QStringLiteral("method"));
    methodLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Method"), methodLabel);
    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(int(seed(settings)));
    m_seed->setAccessibleName(tr("Seed"));
    m_seed->setToolTip(tr("Runs with the same seed, photos and settings give the same groups.\nDefault: 0"));
    form->addRow(tr("Seed"), m_seed);
    m_vocabulary = new QComboBox(this);
    m_vocabulary->setObjectName(QStringLiteral("vocabulary"));
    m_vocabulary->setAccessibleName(tr("Vocabulary"));
    m_vocabulary->setToolTip(tr("The nouns the groups are named from (with a CLIP model). Changing it names the shown groups again "
                                "without grouping again."));
    m_vocabulary->addItem(tr("Everyday nouns (WordNet, sense-tagged)"), QStringLiteral("tagged"));
    m_vocabulary->addItem(tr("All WordNet nouns"), QStringLiteral("cleaned"));
    m_vocabulary->addItem(tr("WordNet as SIC's authors read it"), QStringLiteral("wordnet"));
    m_vocabulary->addItem(tr("A word list file"), fileSource);
    m_vocabularyFile = new QLineEdit(this);
    m_vocabularyFile->setObjectName(QStringLiteral("vocabularyFile"));
    m_vocabularyFile->setAccessibleName(tr("Word list file"));
    m_vocabularyFile->setPlaceholderText(tr("A text file, one noun per line"));
    connect(m_vocabulary, &QComboBox::currentIndexChanged, this,
            [this] { m_vocabularyFile->setEnabled(m_vocabulary->currentData().toString() == fileSource); });
    m_words = new QPlainTextEdit(this);
    m_words->setObjectName(QStringLiteral("words"));
    m_words->setAccessibleName(tr("Your own words"));
    m_words->setPlaceholderText(tr("Your own words, one per line (e.g. kitesurfing)"));
    m_words->setTabChangesFocus(true);
    m_words->setMaximumHeight(80);
    form->addRow(tr("Vocabulary"), m_vocabulary);
    form->addRow(tr("Word list"), m_vocabularyFile);
    form->addRow(tr("Your words"), m_words);
    m_openedWith = vocabulary(settings);
    setVocabulary(m_openedWith);
    for (const Hyperparameter &p : parameters) {
        Field field{p, makeEditor(p, this)};
        field.editor->setObjectName(p.key);
        field.editor->setAccessibleName(translated(p.label));
        field.editor->setToolTip(tr("%1\nDefault: %2").arg(translated(p.help)).arg(p.defaultValue));
        setValue(field, p.value);
        form->addRow(translated(p.label), field.editor);
        m_fields.push_back(field);
    }
    if (m_fields.empty())
        form->addRow(new QLabel(tr("This method has no settings."), this));
    layout->addLayout(form);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ClusteringSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, &ClusteringSettingsDialog::resetToDefaults);
    layout->addWidget(buttons);
}

QWidget *ClusteringSettingsDialog::makeEditor(const Hyperparameter &p, QWidget *parent)
{
    switch (p.kind) {
    case Hyperparameter::Kind::Flag: return new QCheckBox(parent);
    case Hyperparameter::Kind::Integer: {
        auto *box = new QSpinBox(parent);
        box->setRange(int(p.minimum), int(p.maximum));
        return box;
    }
    case Hyperparameter::Kind::Real: break;
    }
    auto *box = new QDoubleSpinBox(parent);
    box->setDecimals(p.decimals);
    box->setRange(p.minimum, p.maximum);
    box->setSingleStep(p.decimals > 0 ? std::pow(10.0, -p.decimals + 1) : 1.0);
    return box;
}

double ClusteringSettingsDialog::valueOf(const Field &field)
{
    if (auto *check = qobject_cast<QCheckBox *>(field.editor))
        return check->isChecked() ? 1.0 : 0.0;
    if (auto *spin = qobject_cast<QSpinBox *>(field.editor))
        return spin->value();
    return static_cast<QDoubleSpinBox *>(field.editor)->value();
}

void ClusteringSettingsDialog::setValue(const Field &field, double value)
{
    if (auto *check = qobject_cast<QCheckBox *>(field.editor))
        check->setChecked(value != 0.0);
    else if (auto *spin = qobject_cast<QSpinBox *>(field.editor))
        spin->setValue(int(value));
    else
        static_cast<QDoubleSpinBox *>(field.editor)->setValue(value);
}

void ClusteringSettingsDialog::resetToDefaults()
{
    m_seed->setValue(0);
    for (const Field &field : m_fields)
        setValue(field, field.parameter.defaultValue);
}

QWidget *ClusteringSettingsDialog::editor(const QString &key) const
{
    for (const Field &field : m_fields)
        if (field.parameter.key == key)
            return field.editor;
    return nullptr;
}

VocabularyChoice ClusteringSettingsDialog::vocabulary(const QSettings *settings)
{
    VocabularyChoice choice;
    if (!settings)
        return choice;
    const QString source = settings->value(vocabularyKey).toString();
    if (!source.isEmpty())
        choice.source = source;
    choice.words = settings->value(wordsKey).toStringList();
    return choice;
}

VocabularyChoice ClusteringSettingsDialog::chosenVocabulary() const
{
    VocabularyChoice choice;
    const QString source = m_vocabulary->currentData().toString();
    choice.source = source == fileSource ? m_vocabularyFile->text().trimmed() : source;
    for (const QString &line : m_words->toPlainText().split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            choice.words << line.trimmed();
    }
    return choice;
}

void ClusteringSettingsDialog::setVocabulary(const VocabularyChoice &choice)
{
    const int builtIn = m_vocabulary->findData(choice.source);
    m_vocabulary->setCurrentIndex(builtIn >= 0 && choice.source != fileSource ? builtIn : m_vocabulary->findData(fileSource));
    m_vocabularyFile->setText(builtIn >= 0 ? QString() : choice.source);
    m_vocabularyFile->setEnabled(builtIn < 0);
    m_words->setPlainText(choice.words.join(QLatin1Char('\n')));
}

void ClusteringSettingsDialog::accept()
{
    const VocabularyChoice choice = chosenVocabulary();
    if (auto source = parseVocabularySource(choice.source); !source) {
        m_error->setText(m_vocabulary->currentData().toString() == fileSource && choice.source.isEmpty()
                             ? tr("Choose the word list file, or another vocabulary.")
                             : source.error());
        m_error->show();
        return;
    }
    Values values;
    for (const Field &field : m_fields) {
        const double value = valueOf(field);
        if (Status s = checkHyperparameter(field.parameter, value); !s) {
            m_error->setText(s.error());
            m_error->show();
            return;
        }
        values.emplace_back(field.parameter.key, value);
    }
    m_values = std::move(values);
    for (const Field &field : m_fields) {
        const double value = valueOf(field);
        if (m_settings) {
            // Defaults are not stored, so a later change of a default reaches the user.
            if (value == field.parameter.defaultValue)
                m_settings->remove(settingsKey(m_method, field.parameter.key));
            else
                m_settings->setValue(settingsKey(m_method, field.parameter.key), value);
        }
    }
    if (m_settings) {
        if (m_seed->value() == 0)
            m_settings->remove(seedKey);
        else
            m_settings->setValue(seedKey, m_seed->value());
        if (choice.source == QLatin1String("tagged"))
            m_settings->remove(vocabularyKey);
        else
            m_settings->setValue(vocabularyKey,
                                 QFileInfo(choice.source).isFile() ? QFileInfo(choice.source).absoluteFilePath() : choice.source);
        if (choice.words.isEmpty())
            m_settings->remove(wordsKey);
        else
            m_settings->setValue(wordsKey, choice.words);
    }
    QDialog::accept();
}

quint64 ClusteringSettingsDialog::seed(const QSettings *settings)
{
    if (!settings)
        return 0;
    bool ok = false;
    const qlonglong value = settings->value(seedKey, 0).toLongLong(&ok);
    return ok && value >= 0 && value <= std::numeric_limits<int>::max() ? quint64(value) : 0;
}

ClusteringSettingsDialog::Values ClusteringSettingsDialog::restore(const QString &method, const std::vector<Hyperparameter> &parameters,
                                                                   QSettings &settings, QStringList *problems)
{
    Values values;
    settings.beginGroup(QStringLiteral("clustering/%1").arg(method));
    const QStringList keys = settings.childKeys();
    for (const QString &key : keys) {
        bool ok = false;
        const double value = settings.value(key).toDouble(&ok);
        if (!ok) {
            *problems << tr("The remembered clustering setting %1 is not a number; the default is used").arg(key);
            continue;
        }
        const auto known = std::find_if(parameters.begin(), parameters.end(), [&key](const Hyperparameter &p) { return p.key == key; });
        const Status usable = known == parameters.end() ? Status(fail(QStringLiteral("The %1 method has no setting '%2'").arg(method, key)))
                                                        : checkHyperparameter(*known, value);
        if (usable)
            values.emplace_back(key, value);
        else
            *problems << tr("The remembered clustering setting is not used: %1").arg(usable.error());
    }
    settings.endGroup();
    return values;
}

}   // namespace clade
