#pragma once

#include "service/appcore.h"

#include <QObject>

class QAction;
class QSettings;

namespace clade {

class GroupCorrections;
class MainWindow;
class ModelManager;
class PhotoSearch;

// The window's menus (File, Edit, Tools, Help; the Group menu and Undo/Redo come from
// GroupCorrections, the search actions from PhotoSearch) and the dialogs they open: the folder
// chooser, Models, Clustering Settings and About. It also hands the remembered clustering
// settings to every newly loaded clusterer. GUI thread.
class MainMenus : public QObject
{
    Q_OBJECT

public:
    MainMenus(MainWindow &window, AppCore &core, ModelManager *models, QSettings *settings, EngineLoader reloadEngine);

    void build(GroupCorrections &corrections, PhotoSearch &search);
    // A loaded or changed engine: the settings action follows it, and a newly loaded clusterer
    // gets the remembered settings (queued before any request sent after this call).
    void onEngineChanged(const EngineInfo &info);
    // Tools › Models (also the banner's button); a change loads the model again, on the worker.
    void showModels();

Q_SIGNALS:
    void message(const QString &text, int timeoutMs = 0);

private:
    void chooseFolder();
    void showClusteringSettings();
    void showAbout();

    MainWindow &m_window;
    AppCore &m_core;
    ModelManager *m_models;
    QSettings *m_settings;
    EngineLoader m_reloadEngine;
    QAction *m_settingsAction = nullptr;
    int m_restoredGeneration = 0;   // the engine whose clusterer got the remembered settings
};

} // namespace clade
