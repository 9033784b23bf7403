// Schema versions of the catalog. Each step is applied once, in order, inside a transaction;
// never edit a released step — add a new one.
#include "catalog/catalog.h"

namespace clade {

namespace {

const char *const kSchemaV1 = R"sql(
CREATE TABLE photos (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,
    size          INTEGER NOT NULL,
    mtime_ms      INTEGER NOT NULL,
    hash          TEXT NOT NULL,
    format        TEXT NOT NULL,
    width         INTEGER NOT NULL DEFAULT 0,
    height        INTEGER NOT NULL DEFAULT 0,
    taken_at      TEXT,
    camera_make   TEXT,
    camera_model  TEXT,
    lens          TEXT,
    orientation   INTEGER NOT NULL DEFAULT 0,
    gps_lat       REAL,
    gps_lon       REAL,
    gps_alt       REAL,
    keywords      TEXT,
    colour        TEXT,
    state         INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX photos_hash ON photos(hash);

CREATE TABLE features (
    photo_id   INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    model_id   TEXT NOT NULL,
    dim        INTEGER NOT NULL,
    vector     BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (photo_id, model_id)
);
CREATE INDEX features_model ON features(model_id);

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    folder           TEXT NOT NULL,
    k                INTEGER NOT NULL,
    method           TEXT NOT NULL,
    model_id         TEXT NOT NULL,
    seed             INTEGER NOT NULL,
    params           TEXT NOT NULL,
    software_version TEXT NOT NULL,
    semantic         INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL,
    error            TEXT,
    started_at       INTEGER NOT NULL,
    finished_at      INTEGER
);

CREATE TABLE clusters (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    name_scores TEXT NOT NULL DEFAULT '[]',
    UNIQUE (run_id, idx)
);

CREATE TABLE assignments (
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    photo_id   INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    confidence REAL NOT NULL,
    manual     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, photo_id)
);
CREATE INDEX assignments_cluster ON assignments(cluster_id);

CREATE TABLE problems (
    path    TEXT NOT NULL,
    stage   TEXT NOT NULL,
    message TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (path, stage)
);
)sql";

// v2: text embeddings of a noun vocabulary per CLIP model (SIC's semantic space), stored row by
// row so an interrupted vocabulary embedding resumes where it stopped.
const char *const kSchemaV2 = R"sql(
CREATE TABLE text_features (
    model_id   TEXT NOT NULL,
    vocabulary TEXT NOT NULL,
    idx        INTEGER NOT NULL,
    noun       TEXT NOT NULL,
    vector     BLOB NOT NULL,
    PRIMARY KEY (model_id, vocabulary, idx)
);
)sql";

// v3: the process that owns a run (host, PID, start token), so a run whose process died without
// finishing can be told apart from one that is still running, and marked 'interrupted'.
const char *const kSchemaV3 = R"sql(
ALTER TABLE runs ADD COLUMN owner_host TEXT;
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE runs ADD COLUMN owner_start TEXT;
CREATE INDEX runs_status ON runs(status);
)sql";

// v4: corrections. The user's name of a cluster (the computed one stays in `name`), and every
// correction as a row with its time and kind.
const char *const kSchemaV4 = R"sql(
ALTER TABLE clusters ADD COLUMN user_name TEXT;
CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    at_ms      INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    cluster_id INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
    detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX corrections_run ON corrections(run_id);
)sql";

// v5: the rest of the corrections. A locked cluster keeps its members and name through a re-run;
// a removed one (merged away) stays as a row for the corrections that name it; origin says
// whether the user created it, a split made it, or a re-run kept it for the user's corrections.
const char *const kSchemaV5 = R"sql(
ALTER TABLE clusters ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clusters ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clusters ADD COLUMN origin TEXT NOT NULL DEFAULT '';
)sql";

// v6: a group's members best first straight from an index: the cover of each group and the
// grid of a group of tens of thousands no longer sort its assignments first.
const char *const kSchemaV6 = R"sql(
CREATE INDEX assignments_ranked ON assignments(cluster_id, confidence DESC, photo_id);
)sql";

}   // namespace

const std::vector<Catalog::Migration> &Catalog::migrations()
{
    static const std::vector<Migration> steps = {
        {1, [](Catalog &catalog) { return catalog.exec(QString::fromUtf8(kSchemaV1)); }},
        {2, [](Catalog &catalog) { return catalog.exec(QString::fromUtf8(kSchemaV2)); }},
        {3, [](Catalog &catalog) { return catalog.exec(QString::fromUtf8(kSchemaV3)); }},
        {4, [](Catalog &catalog) { return catalog.exec(QString::fromUtf8(kSchemaV4)); }},
        {5, [](Catalog &catalog) { return catalog.exec(QString::fromUtf8(kSchemaV5)); }},
        {6, [](Catalog &catalog) { return catalog.exec(QString::fromUtf8(kSchemaV6)); }},
    };
    return steps;
}

int Catalog::currentVersion()
{
    return migrations().back().version;
}

}   // namespace clade
