#pragma once

#include "mainwindow.h"
#include "service/appcore.h"

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QSettings;

namespace clade {

class GroupCorrections;
class MainWindow;
class ModelManager;
class ModelsDialog;
class PhotoSearch;

// The window's menus (File, Edit, Models, Tools, Help; the Group menu and Undo/Redo come from
// GroupCorrections, the search actions from PhotoSearch) and the dialogs they open: the folder
// chooser, Models, Clustering Settings and About. It also hands the remembered clustering
// settings to every newly loaded clusterer, loads the model again whenever the installed or
// chosen model changes, and offers the default model once when none is installed. GUI thread.
class MainMenus : public QObject
{
    Q_OBJECT

public:
    MainMenus(MainWindow &window, AppCore &core, ModelManager *models, QSettings *settings, EngineReloader reloadEngine);

    void build(GroupCorrections &corrections, PhotoSearch &search);
    // A loaded or changed engine: the settings action follows it, and a newly loaded clusterer
    // gets the remembered settings (queued before any request sent after this call).
    void onEngineChanged(const EngineInfo &info);
    // Models › Manage: the Models dialog, not modal (a download goes on in the background, its
    // progress in the status bar). Anything installed or deleted loads the model again, on the
    // worker, at once.
    ModelsDialog *showModels();
    // The banner's button and the first-start offer: downloads the catalogue's default model
    // (and the vocabulary, if missing) in the Models dialog.
    void downloadDefaultModel();
    // After the vocabulary was changed in Clustering Settings: the engine is loaded again with it
    // and the shown run's groups are named again (names only; MainWindow shows them).
    void useVocabulary();
    // Models › Use: makes an installed model the active one and loads it.
    void useModel(const QString &id);
    // Models › Use, filled from the installed models (each time it is about to show).
    QMenu *useMenu() const { return m_useMenu; }
    // On first start without a model: a question (not modal) offering the default model with its
    // size and licence; asked once (kept in the settings), only when `enabled`.
    void setOfferDefaultModel(bool enabled) { m_offerDefault = enabled; }

Q_SIGNALS:
    void message(const QString &text, int timeoutMs = 0);

private:
    // m_reloadEngine with the vocabulary as remembered now (read here, on the GUI thread).
    EngineLoader reloader() const;
    void fillUseMenu();
    void offerDefaultModel();
    void onModelsChanged();
    void chooseFolder();
    void showClusteringSettings();
    void showAbout();

    MainWindow &m_window;
    AppCore &m_core;
    ModelManager *m_models;
    QSettings *m_settings;
    EngineReloader m_reloadEngine;
    QAction *m_settingsAction = nullptr;
    QMenu *m_useMenu = nullptr;
    QPointer<ModelsDialog> m_modelsDialog;
    int m_restoredGeneration = 0;   // the engine whose clusterer got the remembered settings
    bool m_offerDefault = false;
    bool m_offered = false;   // this session
};

}   // namespace clade
